//! `/young-people/{id}/contacts/new`: recording a contact or visit in under a minute.

use super::{parse_id, render};
use crate::AppState;
use crate::components::RadioOption;
use crate::error::WebError;
use crate::forms::{DateParts, Errors, form_errors};
use crate::layout::Layout;
use crate::session::CurrentStaff;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use pathways_app::contacts::{ContactForm, record_contact};
use pathways_app::records::editable;
use pathways_domain::contacts::{ContactOutcome, ContactType};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/young-people/{id}/contacts/new", get(show).post(submit))
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(default)]
struct ContactFields {
    csrf_token: String,
    #[serde(rename = "date-day")]
    day: String,
    #[serde(rename = "date-month")]
    month: String,
    #[serde(rename = "date-year")]
    year: String,
    time: String,
    contact_type: String,
    outcome: String,
    seen_alone: String,
    location: String,
    present: String,
    summary: String,
    statutory_visit: String,
}

#[derive(Template)]
#[template(path = "contact_form.html")]
struct ContactPage {
    layout: Layout,
    id: i64,
    name: String,
    csrf_token: String,
    date: DateParts,
    time: String,
    contact_types: Vec<RadioOption>,
    outcomes: Vec<RadioOption>,
    seen_alone: Vec<RadioOption>,
    location: String,
    present: String,
    summary: String,
    statutory_visit: bool,
    errors: Errors,
}

fn page(
    state: &AppState,
    staff: &CurrentStaff,
    id: i64,
    name: String,
    f: &ContactFields,
    errors: Errors,
) -> ContactPage {
    let pairs = |all: Vec<(&str, &str)>| {
        all.into_iter()
            .map(|(v, l)| (v.to_owned(), l.to_owned()))
            .collect::<Vec<_>>()
    };
    ContactPage {
        layout: Layout::signed_in(&state.settings.council_name, staff, ""),
        id,
        name,
        csrf_token: staff.session.csrf_token.clone(),
        date: DateParts {
            day: f.day.clone(),
            month: f.month.clone(),
            year: f.year.clone(),
        },
        time: f.time.clone(),
        contact_types: RadioOption::list(
            "contact_type",
            pairs(ContactType::ALL.iter().map(|t| (t.code(), t.label())).collect()),
            &f.contact_type,
        ),
        outcomes: RadioOption::list(
            "outcome",
            pairs(ContactOutcome::ALL.iter().map(|o| (o.code(), o.label())).collect()),
            &f.outcome,
        ),
        seen_alone: RadioOption::list("seen_alone", pairs(vec![("yes", "Yes"), ("no", "No")]), &f.seen_alone),
        location: f.location.clone(),
        present: f.present.clone(),
        summary: f.summary.clone(),
        statutory_visit: f.statutory_visit == "yes",
        errors,
    }
}

async fn show(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let record = editable(&state.store, &staff.session.staff, id)
        .await
        .map_err(WebError::from)?;
    // Today is the usual answer: fill it in.
    let today = state.clock.today();
    let fields = ContactFields {
        day: today.day().to_string(),
        month: today.month().to_string(),
        year: today.year().to_string(),
        ..ContactFields::default()
    };
    Ok(render(&page(
        &state,
        &staff,
        id,
        record.person.display_name(),
        &fields,
        Errors::default(),
    )))
}

async fn submit(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(fields): Form<ContactFields>,
) -> Result<Response, WebError> {
    staff.check_csrf(&fields.csrf_token)?;
    let id = parse_id(&id)?;
    let record = editable(&state.store, &staff.session.staff, id)
        .await
        .map_err(WebError::from)?;
    let parts = DateParts {
        day: fields.day.clone(),
        month: fields.month.clone(),
        year: fields.year.clone(),
    };
    let errors = match parts.parse("Date") {
        Err(message) => Errors::from(vec![("date-day", message)]),
        Ok(date) => {
            let form = ContactForm {
                date,
                time: fields.time.clone(),
                contact_type: fields.contact_type.clone(),
                outcome: fields.outcome.clone(),
                seen_alone: fields.seen_alone.clone(),
                location: fields.location.clone(),
                present: fields.present.clone(),
                summary: fields.summary.clone(),
                statutory_visit: fields.statutory_visit == "yes",
            };
            match record_contact(&state.store, state.clock.as_ref(), &staff.session.staff, id, &form).await {
                Ok(_) => return Ok(Redirect::to(&format!("/young-people/{id}?contact=1#contacts")).into_response()),
                Err(e) => form_errors(e, "summary")?,
            }
        }
    };
    let page = page(&state, &staff, id, record.person.display_name(), &fields, errors);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
}
