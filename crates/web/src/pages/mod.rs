//! Pages, one module per resource; each module's `router()` is merged here.

mod account;
mod admin;
mod caseload;
mod contacts;
mod health;
mod home;
mod password_reset;
mod photos;
mod plans;
mod practice;
mod records;
mod returns;
mod search;
mod sign_in;
mod tasks;
mod team;
mod young_person;

use crate::AppState;
use axum::Router;

pub use crate::forms::FieldError;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(home::router())
        .merge(admin::router())
        .merge(account::router())
        .merge(password_reset::router())
        .merge(health::router())
        .merge(sign_in::router())
        .merge(caseload::router())
        .merge(contacts::router())
        .merge(practice::router())
        .merge(photos::router())
        .merge(plans::router())
        .merge(tasks::router())
        .merge(search::router())
        .merge(records::router())
        .merge(team::router())
        .merge(young_person::router())
}

/// Pages taking uploads larger than the app's usual limit, each with its own.
pub fn large_upload_router() -> Router<AppState> {
    returns::router()
}

/// Renders a template into a response, or an error page if it cannot.
/// An id from the path; one that is not a number is simply not found.
pub fn parse_id(id: &str) -> Result<i64, crate::error::WebError> {
    id.parse().map_err(|_| crate::error::WebError::NotFound)
}

pub fn render(template: &impl askama::Template) -> axum::response::Response {
    use axum::response::IntoResponse;
    match template.render() {
        Ok(html) => axum::response::Html(html).into_response(),
        Err(e) => crate::WebError::internal(e).into_response(),
    }
}

/// GOV.UK tag colour for a legal category: colour and the words together, never
/// colour alone.
pub fn category_colour(category: pathways_domain::legal::LegalCategory) -> &'static str {
    use pathways_domain::legal::LegalCategory::*;
    match category {
        Eligible | Relevant => "blue",
        FormerRelevant => "turquoise",
        FormerRelevant21To25 => "purple",
        Qualifying => "yellow",
        LookedAfterUnder16 | LookedAfterNotEligible => "light-blue",
        Died | NotCareLeaver => "grey",
    }
}
