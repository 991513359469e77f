//! `/`: straight to the caseload, or to sign in.

use crate::AppState;
use crate::session::CurrentStaff;
use axum::Router;
use axum::response::Redirect;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

async fn home(_staff: CurrentStaff) -> Redirect {
    Redirect::to("/caseload")
}
