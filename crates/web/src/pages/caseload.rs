//! `/caseload`: a personal adviser's young people.

use super::{category_colour, render};
use crate::AppState;
use crate::components::{Cell, Table, Tag};
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

#[derive(Template)]
#[template(path = "caseload.html")]
struct CaseloadPage {
    layout: Layout,
    table: Table,
}

async fn show(State(state): State<AppState>, staff: CurrentStaff) -> Result<Response, WebError> {
    let entries = my_caseload(&state.store, state.clock.as_ref(), &state.rules, &staff.session.staff).await?;
    let people = if entries.len() == 1 { "person" } else { "people" };
    let caption = format!(
        "{} young {people} allocated to you, as at {}",
        entries.len(),
        gov_uk(state.clock.today())
    );
    let mut table = Table::new(caption, &["Name", "Date of birth", "Age", "Legal category", "Flags"])
        .numeric(2)
        .caption_size("m");
    for e in entries {
        let category = e.category.category;
        table.row(vec![
            Cell::Link {
                href: format!("/young-people/{}", e.id),
                text: e.name,
            },
            Cell::Text(gov_uk(e.date_of_birth)),
            Cell::Numeric(e.age.to_string()),
            Cell::Tags(vec![Tag::new(category.label(), category_colour(category))]),
            Cell::Tags(e.risk_flags.iter().map(|f| Tag::new(f.label(), "red")).collect()),
        ]);
    }
    let page = CaseloadPage {
        layout: Layout::signed_in(&state.settings.council_name, &staff, "/caseload"),
        table,
    };
    Ok(render(&page))
}
