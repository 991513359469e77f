//! `/find`: find a young person by name, date of birth or id.

use super::render;
use crate::AppState;
use crate::components::{Cell, Table};
use crate::error::WebError;
use crate::forms::{DateParts, Errors};
use crate::layout::Layout;
use crate::session::CurrentStaff;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use pathways_app::search::{SEARCH_LIMIT, find_young_people};
use pathways_domain::dates::gov_uk;
use pathways_store::SearchQuery;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/find", get(show))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SearchForm {
    search: String,
    name: String,
    #[serde(rename = "dob-day")]
    day: String,
    #[serde(rename = "dob-month")]
    month: String,
    #[serde(rename = "dob-year")]
    year: String,
    id: String,
}

#[derive(Template)]
#[template(path = "find.html")]
struct FindPage {
    layout: Layout,
    errors: Errors,
    name: String,
    dob: DateParts,
    identifier: String,
    results: Option<Table>,
    truncated: bool,
}

/// What was typed, checked: a query, or the errors to show.
fn query_from(form: &SearchForm, dob: &DateParts) -> Result<SearchQuery, Errors> {
    let mut errors = Errors::default();
    let date_of_birth = dob.parse("Date of birth").unwrap_or_else(|message| {
        errors.add("dob-day", message);
        None
    });
    let name_words: Vec<String> = form.name.split_whitespace().map(str::to_owned).collect();
    let identifier = Some(form.id.trim().to_owned()).filter(|i| !i.is_empty());
    if errors.is_empty() && name_words.is_empty() && date_of_birth.is_none() && identifier.is_none() {
        errors.add("name", "Enter a name, date of birth or id");
    }
    if errors.is_empty() {
        Ok(SearchQuery {
            name_words,
            date_of_birth,
            identifier,
        })
    } else {
        Err(errors)
    }
}

async fn show(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Query(form): Query<SearchForm>,
) -> Result<Response, WebError> {
    let dob = DateParts {
        day: form.day.clone(),
        month: form.month.clone(),
        year: form.year.clone(),
    };
    let mut page = FindPage {
        layout: Layout::signed_in(&state.settings.council_name, &staff, "/find"),
        errors: Errors::default(),
        name: form.name.clone(),
        dob: dob.clone(),
        identifier: form.id.clone(),
        results: None,
        truncated: false,
    };
    if pathways_app::search::search_scope(&staff.session.staff).is_none() {
        return Err(WebError::NotFound);
    }
    if form.search.is_empty() {
        return Ok(render(&page));
    }
    match query_from(&form, &dob) {
        Err(errors) => page.errors = errors,
        Ok(query) => {
            let hits = find_young_people(&state.store, state.clock.as_ref(), &staff.session.staff, &query).await?;
            page.truncated = hits.len() as i64 >= SEARCH_LIMIT;
            let caption = match hits.len() {
                1 => "1 young person found".to_owned(),
                n => format!("{n} young people found"),
            };
            let mut table = Table::new(
                caption,
                &["Name", "Date of birth", "CHILD id", "Team", "Personal adviser"],
            );
            for hit in hits {
                table.row(vec![
                    Cell::Link {
                        href: format!("/young-people/{}", hit.id),
                        text: hit.person.display_name(),
                    },
                    Cell::Text(gov_uk(hit.person.date_of_birth)),
                    Cell::Text(hit.person.child_id.map(|c| c.to_string()).unwrap_or_default()),
                    Cell::Text(hit.team_name.unwrap_or_else(|| "Not allocated".into())),
                    Cell::Text(hit.personal_adviser_name.unwrap_or_else(|| "Not allocated".into())),
                ]);
            }
            page.results = Some(table);
        }
    }
    Ok(render(&page))
}
