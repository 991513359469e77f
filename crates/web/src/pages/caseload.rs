//! `/caseload`: a personal adviser's young people.

use super::{category_colour, render};
use crate::AppState;
use crate::error::WebError;
use crate::layout::Layout;
use crate::session::CurrentStaff;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use pathways_app::caseload::my_caseload;
use pathways_domain::dates::gov_uk;

pub fn router() -> Router<AppState> {
    Router::new().route("/caseload", get(show))
}

struct Row {
    id: i64,
    name: String,
    date_of_birth: String,
    age: i16,
    category: &'static str,
    category_colour: &'static str,
    flags: Vec<&'static str>,
}

#[derive(Template)]
#[template(path = "caseload.html")]
struct CaseloadPage {
    layout: Layout,
    as_at: String,
    rows: Vec<Row>,
}

async fn show(State(state): State<AppState>, staff: CurrentStaff) -> Result<Response, WebError> {
    let entries = my_caseload(
        &state.store,
        state.clock.as_ref(),
        &state.rules,
        &staff.session.staff,
    )
    .await?;
    let rows = entries
        .into_iter()
        .map(|e| Row {
            id: e.id,
            name: e.name,
            date_of_birth: gov_uk(e.date_of_birth),
            age: e.age,
            category: e.category.category.label(),
            category_colour: category_colour(e.category.category),
            flags: e.risk_flags.iter().map(|f| f.label()).collect(),
        })
        .collect();
    let page = CaseloadPage {
        layout: Layout::signed_in(&state.settings.council_name, &staff, "/caseload"),
        as_at: gov_uk(state.clock.today()),
        rows,
    };
    Ok(render(&page))
}
