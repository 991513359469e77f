//! Recording a move, a change of activity, a needs assessment, or a task about a
//! young person. One form page shape for all four; each checks and saves through
//! its use case in `pathways_app::practice`.

use super::{parse_id, render};
use crate::AppState;
use crate::components::RadioOption;
use crate::error::WebError;
use crate::forms::{DateParts, Errors, Values, form_errors, value};
use crate::layout::Layout;
use crate::session::CurrentStaff;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use pathways_app::FormError;
use pathways_app::practice::{
    AccommodationForm, ActivityForm, NeedsAssessmentForm, add_task, needs_field, record_accommodation, record_activity,
    record_needs_assessment, task_assignees,
};
use pathways_app::records::editable;
use pathways_app::support::{ArrangementForm, PaymentForm, record_payment, record_staying_close, record_staying_put};
use pathways_domain::living::{AccommodationType, Activity};
use pathways_domain::plans::PlanDimension;
use pathways_domain::support::Entitlement;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/young-people/{id}/accommodation/new", get(show).post(submit))
        .route("/young-people/{id}/activity/new", get(show).post(submit))
        .route("/young-people/{id}/needs-assessments/new", get(show).post(submit))
        .route("/young-people/{id}/tasks/new", get(show).post(submit))
        .route("/young-people/{id}/death", get(show).post(submit))
        .route("/young-people/{id}/staying-put/new", get(show).post(submit))
        .route("/young-people/{id}/staying-close/new", get(show).post(submit))
        .route("/young-people/{id}/payments/new", get(show).post(submit))
        .route("/payments/{payment}/approve", post(approve_payment))
        .route("/payments/{payment}/refuse", post(refuse_payment))
}

/// One field of a practice form.
pub(crate) enum Field {
    Date {
        id: &'static str,
        label: &'static str,
        hint: &'static str,
        parts: DateParts,
        /// The first box, which the error summary links to.
        error_id: &'static str,
    },
    Radios {
        id: &'static str,
        legend: &'static str,
        options: Vec<RadioOption>,
    },
    Text {
        id: &'static str,
        label: &'static str,
        value: String,
    },
    Textarea {
        id: &'static str,
        label: &'static str,
        hint: &'static str,
        value: String,
    },
}

#[derive(Template)]
#[template(path = "practice_form.html")]
struct PracticePage {
    layout: Layout,
    id: i64,
    name: String,
    title: &'static str,
    action: String,
    button: &'static str,
    csrf_token: String,
    /// Carried through the form unchanged, such as the record version read.
    hidden: Vec<(&'static str, String)>,
    warning: Option<&'static str>,
    fields: Vec<Field>,
    errors: Errors,
}

/// Which form, from the last part of the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Accommodation,
    Activity,
    NeedsAssessment,
    Task,
    Death,
    StayingPut,
    StayingClose,
    Payment,
}

impl Kind {
    fn of(path: &str) -> Option<Kind> {
        if path.ends_with("/death") {
            return Some(Kind::Death);
        }
        let section = path.rsplit('/').nth(1)?;
        match section {
            "accommodation" => Some(Kind::Accommodation),
            "activity" => Some(Kind::Activity),
            "needs-assessments" => Some(Kind::NeedsAssessment),
            "tasks" => Some(Kind::Task),
            "staying-put" => Some(Kind::StayingPut),
            "staying-close" => Some(Kind::StayingClose),
            "payments" => Some(Kind::Payment),
            _ => None,
        }
    }

    fn title(self) -> &'static str {
        match self {
            Kind::Accommodation => "Record a move",
            Kind::Activity => "Record a change of activity",
            Kind::NeedsAssessment => "Record a needs assessment",
            Kind::Task => "Add a task",
            Kind::Death => "Record a death",
            Kind::StayingPut => "Record a Staying Put arrangement",
            Kind::StayingClose => "Record a Staying Close arrangement",
            Kind::Payment => "Record a payment",
        }
    }

    fn action(self, id: i64) -> String {
        match self {
            Kind::Accommodation => format!("/young-people/{id}/accommodation/new"),
            Kind::Activity => format!("/young-people/{id}/activity/new"),
            Kind::NeedsAssessment => format!("/young-people/{id}/needs-assessments/new"),
            Kind::Task => format!("/young-people/{id}/tasks/new"),
            Kind::Death => format!("/young-people/{id}/death"),
            Kind::StayingPut => format!("/young-people/{id}/staying-put/new"),
            Kind::StayingClose => format!("/young-people/{id}/staying-close/new"),
            Kind::Payment => format!("/young-people/{id}/payments/new"),
        }
    }

    /// The field a conflict with someone else's change is shown on.
    fn first_field(self) -> &'static str {
        match self {
            Kind::Accommodation | Kind::Activity | Kind::StayingPut | Kind::StayingClose => "start-day",
            Kind::Payment => "entitlement",
            Kind::NeedsAssessment => "completed-day",
            Kind::Task => "title",
            Kind::Death => "died-day",
        }
    }

    /// The banner flag and anchor on the record after saving.
    fn saved(self) -> &'static str {
        match self {
            Kind::Accommodation => "moved=1#accommodation",
            Kind::Activity => "activity=1#activity",
            Kind::NeedsAssessment => "assessment=1#due",
            Kind::Task => "task=1#due",
            Kind::Death => "died=1",
            Kind::StayingPut | Kind::StayingClose => "arranged=1#money",
            Kind::Payment => "paid=1#money",
        }
    }
}

fn parts(values: &Values, id: &str) -> DateParts {
    DateParts {
        day: value(values, &format!("{id}-day")),
        month: value(values, &format!("{id}-month")),
        year: value(values, &format!("{id}-year")),
    }
}

fn radios(id: &str, choices: Vec<(String, String)>, values: &Values) -> Vec<RadioOption> {
    RadioOption::list(id, choices, &value(values, id))
}

fn yes_no() -> Vec<(String, String)> {
    vec![("yes".into(), "Yes".into()), ("no".into(), "No".into())]
}

fn fields(kind: Kind, values: &Values, assignees: &[(i64, String)]) -> Vec<Field> {
    let date = |id, label, hint| Field::Date {
        id,
        label,
        hint,
        parts: parts(values, id),
        error_id: date_field(id),
    };
    match kind {
        Kind::Accommodation => vec![
            date("start", "Date they moved in", "For example, 20 11 2026"),
            Field::Radios {
                id: "kind",
                legend: "Type of accommodation",
                options: radios(
                    "kind",
                    AccommodationType::ALL
                        .iter()
                        .map(|k| (k.code().to_owned(), k.label().to_owned()))
                        .collect(),
                    values,
                ),
            },
            Field::Radios {
                id: "suitable",
                legend: "Is it suitable for the young person's needs?",
                options: radios("suitable", yes_no(), values),
            },
            Field::Radios {
                id: "arranged_by_council",
                legend: "Did the council provide or arrange it?",
                options: radios("arranged_by_council", yes_no(), values),
            },
            Field::Text {
                id: "address",
                label: "Address or name of the place (optional)",
                value: value(values, "address"),
            },
        ],
        Kind::Activity => vec![
            date("start", "Date this started", "For example, 1 9 2026"),
            Field::Radios {
                id: "activity",
                legend: "What are they doing?",
                options: radios(
                    "activity",
                    Activity::ALL
                        .iter()
                        .map(|a| (a.code().to_owned(), a.label().to_owned()))
                        .collect(),
                    values,
                ),
            },
            Field::Radios {
                id: "full_time",
                legend: "Full-time (16 hours a week or more)?",
                options: radios("full_time", yes_no(), values),
            },
            Field::Text {
                id: "detail",
                label: "College, employer or provider; or why not available (optional)",
                value: value(values, "detail"),
            },
        ],
        Kind::NeedsAssessment => {
            let mut list = vec![date("completed", "Date completed", "For example, 10 8 2026")];
            list.extend(PlanDimension::ASSESSED.iter().map(|&d| Field::Textarea {
                id: needs_field(d),
                label: d.label(),
                hint: "The needs found, in the young person's words where you can. Write \"None identified\" if there are none.",
                value: value(values, needs_field(d)),
            }));
            list.push(Field::Textarea {
                id: "summary",
                label: "Anything else (optional)",
                hint: "For example, who took part and what the young person wants to happen next.",
                value: value(values, "summary"),
            });
            list
        }
        Kind::Death => vec![date("died", "Date they died", "For example, 20 11 2026")],
        Kind::StayingPut | Kind::StayingClose => {
            let put = kind == Kind::StayingPut;
            let mut list = vec![
                Field::Text {
                    id: "with",
                    label: if put {
                        "Former foster carers"
                    } else {
                        "Who provides the support"
                    },
                    value: value(values, "with"),
                },
                date("start", "Start date", "For example, 10 5 2026"),
                date("end", "End date (if known)", "For example, 10 5 2029"),
            ];
            if put {
                list.push(Field::Text {
                    id: "weekly",
                    label: "Weekly allowance, in pounds",
                    value: value(values, "weekly"),
                });
            }
            list
        }
        Kind::Payment => vec![
            Field::Radios {
                id: "entitlement",
                legend: "What is the payment for?",
                options: radios(
                    "entitlement",
                    Entitlement::ALL
                        .iter()
                        .map(|e| (e.code().to_owned(), e.label().to_owned()))
                        .collect(),
                    values,
                ),
            },
            Field::Text {
                id: "amount",
                label: "Amount, in pounds",
                value: value(values, "amount"),
            },
            Field::Text {
                id: "description",
                label: "What it buys or covers",
                value: value(values, "description"),
            },
            date("paid", "Date paid", "For example, 20 11 2026"),
        ],
        Kind::Task => vec![
            Field::Text {
                id: "title",
                label: "What needs doing",
                value: value(values, "title"),
            },
            date("due", "Due by", "For example, 14 12 2026"),
            Field::Radios {
                id: "assigned_to",
                legend: "Who will do it?",
                options: radios(
                    "assigned_to",
                    assignees
                        .iter()
                        .map(|(id, name)| (id.to_string(), name.clone()))
                        .collect(),
                    values,
                ),
            },
        ],
    }
}

struct Context {
    kind: Kind,
    id: i64,
    name: String,
    version: i64,
    assignees: Vec<(i64, String)>,
}

async fn context(state: &AppState, staff: &CurrentStaff, uri: &axum::http::Uri, id: &str) -> Result<Context, WebError> {
    let kind = Kind::of(uri.path()).ok_or(WebError::NotFound)?;
    let id = parse_id(id)?;
    let who = &staff.session.staff;
    let record = editable(&state.store, who, id).await.map_err(WebError::from)?;
    let assignees = if kind == Kind::Task {
        task_assignees(&state.store, who, id).await.map_err(WebError::from)?
    } else {
        Vec::new()
    };
    Ok(Context {
        kind,
        id,
        name: record.person.display_name(),
        version: record.version,
        assignees,
    })
}

fn page(state: &AppState, staff: &CurrentStaff, c: &Context, values: &Values, errors: Errors) -> PracticePage {
    PracticePage {
        layout: Layout::signed_in(&state.settings.council_name, staff, ""),
        id: c.id,
        name: c.name.clone(),
        title: c.kind.title(),
        action: c.kind.action(c.id),
        button: match c.kind {
            Kind::Task => "Add task",
            Kind::Death => "Record the death",
            _ => "Save",
        },
        csrf_token: staff.session.csrf_token.clone(),
        // A version sent back keeps the one read; a fresh form reads the record's.
        hidden: match c.kind {
            Kind::Death => vec![("version", values.get("version").cloned().unwrap_or(c.version.to_string()))],
            _ => Vec::new(),
        },
        warning: (c.kind == Kind::Death).then_some(
            "This ends the young person's allocation and closes the record: their personal adviser can still read it, and their manager can still change it.",
        ),
        fields: fields(c.kind, values, &c.assignees),
        errors,
    }
}

async fn show(
    State(state): State<AppState>,
    staff: CurrentStaff,
    uri: axum::http::Uri,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let c = context(&state, &staff, &uri, &id).await?;
    let mut values = Values::new();
    if let [(only, _)] = c.assignees.as_slice() {
        values.insert("assigned_to".into(), only.to_string());
    }
    Ok(render(&page(&state, &staff, &c, &values, Errors::default())))
}

/// Reads a date; a badly typed one becomes the field's error.
fn date(
    values: &Values,
    id: &'static str,
    label: &str,
    errors: &mut Vec<(&'static str, String)>,
) -> Option<jiff::civil::Date> {
    match parts(values, id).parse(label) {
        Ok(date) => date,
        Err(message) => {
            errors.push((date_field(id), message));
            None
        }
    }
}

fn date_field(id: &'static str) -> &'static str {
    match id {
        "start" => "start-day",
        "completed" => "completed-day",
        "died" => "died-day",
        "end" => "end-day",
        "paid" => "paid-day",
        _ => "due-day",
    }
}

async fn save(state: &AppState, staff: &CurrentStaff, c: &Context, values: &Values) -> Result<(), FormError> {
    let who = &staff.session.staff;
    let clock = state.clock.as_ref();
    let mut typing = Vec::new();
    let result = match c.kind {
        Kind::Accommodation => {
            let form = AccommodationForm {
                start: date(values, "start", "Date they moved in", &mut typing),
                kind: value(values, "kind"),
                suitable: value(values, "suitable"),
                arranged_by_council: value(values, "arranged_by_council"),
                address: value(values, "address"),
            };
            record_accommodation(&state.store, clock, who, c.id, &form).await
        }
        Kind::Activity => {
            let form = ActivityForm {
                start: date(values, "start", "Date this started", &mut typing),
                activity: value(values, "activity"),
                full_time: value(values, "full_time"),
                detail: value(values, "detail"),
            };
            record_activity(&state.store, clock, who, c.id, &form).await
        }
        Kind::NeedsAssessment => {
            let form = NeedsAssessmentForm {
                completed_on: date(values, "completed", "Date completed", &mut typing),
                needs: PlanDimension::ASSESSED
                    .iter()
                    .map(|&d| (d, value(values, needs_field(d))))
                    .collect(),
                summary: value(values, "summary"),
            };
            record_needs_assessment(&state.store, clock, who, c.id, &form).await
        }
        Kind::StayingPut | Kind::StayingClose => {
            let form = ArrangementForm {
                with: value(values, "with"),
                start: date(values, "start", "Start date", &mut typing),
                end: date(values, "end", "End date", &mut typing),
                weekly: value(values, "weekly"),
            };
            if c.kind == Kind::StayingPut {
                let leap = state.rules.leap_day_birthday;
                record_staying_put(&state.store, clock, &state.money, leap, who, c.id, &form).await
            } else {
                record_staying_close(&state.store, clock, who, c.id, &form).await
            }
        }
        Kind::Payment => {
            let form = PaymentForm {
                entitlement: value(values, "entitlement"),
                amount: value(values, "amount"),
                description: value(values, "description"),
                paid_on: date(values, "paid", "Date paid", &mut typing),
            };
            record_payment(&state.store, clock, &state.money, who, c.id, &form)
                .await
                .map(|_| ())
        }
        Kind::Death => {
            let died = date(values, "died", "Date they died", &mut typing);
            let version = value(values, "version").parse().unwrap_or(-1);
            pathways_app::records::record_death(&state.store, clock, who, c.id, version, died).await
        }
        Kind::Task => {
            let due = date(values, "due", "Due by", &mut typing);
            let assigned = value(values, "assigned_to").parse().ok();
            add_task(&state.store, clock, who, c.id, &value(values, "title"), due, assigned)
                .await
                .map(|_| ())
        }
    };
    // A date typed wrongly is reported as typed, not as missing.
    match (result, typing.is_empty()) {
        (Ok(()), _) => Ok(()),
        (Err(FormError::Invalid(mut errors)), false) => {
            errors.retain(|(field, _)| !typing.iter().any(|(t, _)| t == field));
            typing.extend(errors);
            Err(FormError::Invalid(typing))
        }
        (Err(e), _) => Err(e),
    }
}

async fn submit(
    State(state): State<AppState>,
    staff: CurrentStaff,
    uri: axum::http::Uri,
    Path(id): Path<String>,
    Form(values): Form<Values>,
) -> Result<Response, WebError> {
    staff.check_csrf(&value(&values, "csrf_token"))?;
    let c = context(&state, &staff, &uri, &id).await?;
    let errors = match save(&state, &staff, &c, &values).await {
        Ok(()) => {
            let to = format!("/young-people/{}?{}", c.id, c.kind.saved());
            return Ok(Redirect::to(&to).into_response());
        }
        Err(e) => form_errors(e, c.kind.first_field())?,
    };
    let page = page(&state, &staff, &c, &values, errors);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct CsrfOnly {
    csrf_token: String,
}

async fn decide(
    state: &AppState,
    staff: &CurrentStaff,
    payment: &str,
    token: &str,
    approve: bool,
) -> Result<Response, WebError> {
    staff.check_csrf(token)?;
    let payment = parse_id(payment)?;
    let young_person = state
        .store
        .payment(payment)
        .await
        .map_err(WebError::internal)?
        .ok_or(WebError::NotFound)?
        .young_person_id;
    pathways_app::support::decide_payment(
        &state.store,
        state.clock.as_ref(),
        &staff.session.staff,
        payment,
        approve,
    )
    .await?;
    Ok(Redirect::to(&format!("/young-people/{young_person}?decided=1#money")).into_response())
}

async fn approve_payment(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(payment): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    decide(&state, &staff, &payment, &form.csrf_token, true).await
}

async fn refuse_payment(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(payment): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    decide(&state, &staff, &payment, &form.csrf_token, false).await
}
