//! `/`: straight to the caseload, or to sign in.

use crate::AppState;
use crate::session::CurrentStaff;
use axum::Router;
use axum::response::Redirect;
use axum::routing::get;
use pathways_domain::staff::Role;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/session/keep-alive", get(keep_alive))
}

/// Restarts the idle timer (the session extractor touches the session) for the
/// "Stay signed in" button of the timeout warning.
async fn keep_alive(_staff: CurrentStaff) -> axum::http::StatusCode {
    axum::http::StatusCode::NO_CONTENT
}

/// Each role's first page.
async fn home(staff: CurrentStaff) -> Redirect {
    Redirect::to(match staff.session.staff.role {
        Role::PersonalAdviser => "/caseload",
        Role::Administrator => "/admin/users",
        _ => "/team",
    })
}
