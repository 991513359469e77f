//! Pathway plans: `/plans/{plan}` and its sections, sign-off, agreement, comparison
//! comparison and PDF; `/young-people/{id}/plans/new` starts a plan or a review.

use super::{parse_id, render};
use crate::AppState;
use crate::components::{Cell, RadioOption, Table, Tag};
use crate::error::WebError;
use crate::forms::{DateParts, Errors, Values, form_errors, value};
use crate::layout::Layout;
use crate::session::CurrentStaff;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use pathways_app::FormError;
use pathways_app::plans::{
    ACTION_FIELDS, ActionForm, DUE_FIELDS, MAX_ACTIONS, OWNER_FIELDS, PlanView, SectionForm, decide_plan, open_plan,
    record_agreement, save_section, start_plan, submit_plan,
};
use pathways_domain::dates::gov_uk;
use pathways_domain::plans::{ActionStatus, AgreementMethod, PlanDimension, PlanSection, PlanStatus, compare};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/young-people/{id}/plans/new", post(start))
        .route("/plans/{plan}", get(show))
        .route(
            "/plans/{plan}/sections/{dimension}",
            get(show_section).post(submit_section),
        )
        .route("/plans/{plan}/submit", post(submit))
        .route("/plans/{plan}/decision", post(decide))
        .route("/plans/{plan}/agreement", get(show_agreement).post(submit_agreement))
        .route("/plans/{plan}/compare", get(show_compare))
        .route("/plans/{plan}/pdf", get(download_pdf))
}

/// Opens the plan in the path (audited, within scope).
async fn opened(state: &AppState, staff: &CurrentStaff, plan: &str) -> Result<PlanView, WebError> {
    Ok(open_plan(
        &state.store,
        state.clock.as_ref(),
        &staff.session.staff,
        parse_id(plan)?,
    )
    .await?)
}

fn version_of(values: &Values) -> i64 {
    value(values, "version").parse().unwrap_or(-1)
}

async fn start(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(values): Form<Values>,
) -> Result<Response, WebError> {
    staff.check_csrf(&value(&values, "csrf_token"))?;
    let id = parse_id(&id)?;
    let who = &staff.session.staff;
    let plan = match start_plan(&state.store, state.clock.as_ref(), who, id).await {
        Ok(plan) => plan,
        // A version is already being written: open that one.
        Err(FormError::Conflict(_)) => pathways_app::plans::plans_of(&state.store, who, id)
            .await?
            .into_iter()
            .find(|p| p.status.is_open())
            .map(|p| p.id)
            .ok_or(WebError::NotFound)?,
        Err(e) => return Err(form_errors(e, "plan").err().unwrap_or(WebError::NotFound)),
    };
    Ok(Redirect::to(&format!("/plans/{plan}")).into_response())
}

/// One section as the plan page shows it.
struct SectionView {
    code: &'static str,
    label: &'static str,
    own_words: String,
    needs: String,
    started: bool,
    ready: bool,
    actions: Table,
}

fn actions_table(section: &PlanSection) -> Table {
    let mut table = Table::new(
        format!("Actions: {}", section.dimension.label().to_lowercase()),
        &["Action", "Who", "By when", "Progress"],
    )
    .caption_size("s");
    for a in &section.actions {
        let colour = match a.status {
            ActionStatus::Done => "green",
            ActionStatus::InProgress => "light-blue",
            ActionStatus::NotStarted => "grey",
            ActionStatus::NoLongerNeeded => "grey",
        };
        table.row(vec![
            Cell::Text(a.action.clone()),
            Cell::Text(a.owner.clone()),
            Cell::Text(a.due_on.map(gov_uk).unwrap_or_default()),
            Cell::Tags(vec![Tag::new(a.status.label(), colour)]),
        ]);
    }
    table
}

fn status_colour(status: PlanStatus) -> &'static str {
    match status {
        PlanStatus::Draft => "grey",
        PlanStatus::Submitted => "yellow",
        PlanStatus::Returned => "orange",
        PlanStatus::SignedOff => "light-blue",
        PlanStatus::Active => "green",
        PlanStatus::Superseded => "grey",
    }
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    layout: Layout,
    id: i64,
    young_person_id: i64,
    name: String,
    plan_version: i64,
    version: i64,
    status: &'static str,
    status_colour: &'static str,
    facts: Vec<(&'static str, String)>,
    has_previous: bool,
    may_edit: bool,
    may_agree: bool,
    may_sign_off: bool,
    decisions: Vec<RadioOption>,
    comments: String,
    sections: Vec<SectionView>,
    csrf_token: String,
    banner: Option<&'static str>,
    errors: Errors,
}

fn plan_page(state: &AppState, staff: &CurrentStaff, view: &PlanView, values: &Values, errors: Errors) -> PlanPage {
    let plan = &view.plan;
    let when = |at: jiff::Timestamp| gov_uk(at.to_zoned(pathways_app::clock::london()).date());
    let mut facts = vec![
        ("Status", plan.status.label().to_owned()),
        ("Started", format!("{} by {}", when(plan.created_at), plan.created_by)),
    ];
    if let Some(by) = &plan.submitted_by {
        facts.push(("Submitted by", by.clone()));
    }
    if let (Some(by), Some(at)) = (&plan.signed_off_by, plan.signed_off_at) {
        let what = if plan.status == PlanStatus::Returned {
            "Returned by"
        } else {
            "Signed off by"
        };
        facts.push((what, format!("{by} on {}", when(at))));
    }
    if let Some(comments) = &plan.manager_comments {
        facts.push(("Manager's comments", comments.clone()));
    }
    if let (Some(on), Some(method)) = (plan.agreed_on, plan.agreement_method) {
        facts.push((
            "Young person's agreement",
            format!("{} on {}", method.label(), gov_uk(on)),
        ));
    }
    let sections = PlanDimension::ALL
        .iter()
        .map(|&d| {
            let s = plan.content.section(d);
            SectionView {
                code: d.code(),
                label: d.label(),
                started: s.is_started(),
                ready: !s.needs.trim().is_empty()
                    && s.actions
                        .iter()
                        .all(|a| !a.owner.trim().is_empty() && a.due_on.is_some()),
                own_words: s.own_words.clone(),
                needs: s.needs.clone(),
                actions: actions_table(&s),
            }
        })
        .collect();
    let pairs = vec![
        ("sign_off".to_owned(), "Sign off the plan".to_owned()),
        ("return".to_owned(), "Return it for changes".to_owned()),
    ];
    PlanPage {
        layout: Layout::signed_in(&state.settings.council_name, staff, ""),
        id: plan.id,
        young_person_id: plan.young_person_id,
        name: view.young_person_name.clone(),
        plan_version: plan.plan_version,
        version: plan.version,
        status: plan.status.label(),
        status_colour: status_colour(plan.status),
        facts,
        has_previous: view.previous.is_some(),
        may_edit: view.may_edit,
        may_agree: view.may_agree,
        may_sign_off: view.may_sign_off,
        decisions: RadioOption::list("decision", pairs, &value(values, "decision")),
        comments: value(values, "comments"),
        sections,
        csrf_token: staff.session.csrf_token.clone(),
        banner: None,
        errors,
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct Banner {
    saved: Option<String>,
    submitted: Option<String>,
    decided: Option<String>,
    agreed: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(plan): Path<String>,
    Query(banner): Query<Banner>,
) -> Result<Response, WebError> {
    let view = opened(&state, &staff, &plan).await?;
    let mut page = plan_page(&state, &staff, &view, &Values::new(), Errors::default());
    page.banner = [
        (&banner.saved, "Section saved"),
        (&banner.submitted, "Plan submitted for sign-off"),
        (&banner.decided, "Decision saved"),
        (&banner.agreed, "Agreement recorded: this is now the active plan"),
    ]
    .into_iter()
    .find_map(|(flag, text)| flag.as_ref().map(|_| text));
    Ok(render(&page))
}

/// Re-shows the plan page with errors (after a refused submit or decision).
async fn plan_with_errors(
    state: &AppState,
    staff: &CurrentStaff,
    plan_id: i64,
    values: &Values,
    errors: Errors,
) -> Result<Response, WebError> {
    let view = open_plan(&state.store, state.clock.as_ref(), &staff.session.staff, plan_id).await?;
    let page = plan_page(state, staff, &view, values, errors);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
}

async fn submit(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(plan): Path<String>,
    Form(values): Form<Values>,
) -> Result<Response, WebError> {
    staff.check_csrf(&value(&values, "csrf_token"))?;
    let plan = parse_id(&plan)?;
    let who = &staff.session.staff;
    match submit_plan(&state.store, state.clock.as_ref(), who, plan, version_of(&values)).await {
        Ok(()) => Ok(Redirect::to(&format!("/plans/{plan}?submitted=1")).into_response()),
        Err(e) => {
            let errors = form_errors(e, "plan")?;
            plan_with_errors(&state, &staff, plan, &values, errors).await
        }
    }
}

async fn decide(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(plan): Path<String>,
    Form(values): Form<Values>,
) -> Result<Response, WebError> {
    staff.check_csrf(&value(&values, "csrf_token"))?;
    let plan = parse_id(&plan)?;
    let result = decide_plan(
        &state.store,
        state.clock.as_ref(),
        &staff.session.staff,
        plan,
        version_of(&values),
        &value(&values, "decision"),
        &value(&values, "comments"),
    )
    .await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/plans/{plan}?decided=1")).into_response()),
        Err(e) => {
            let errors = form_errors(e, "decision")?;
            plan_with_errors(&state, &staff, plan, &values, errors).await
        }
    }
}

/// One action row of the section form.
struct ActionRow {
    number: usize,
    blank: bool,
    action_id: &'static str,
    owner_id: &'static str,
    due_id: String,
    due_error_id: &'static str,
    status_id: String,
    action: String,
    owner: String,
    due: DateParts,
    statuses: Vec<RadioOption>,
}

#[derive(Template)]
#[template(path = "plan_section.html")]
struct SectionPage {
    layout: Layout,
    id: i64,
    name: String,
    plan_version: i64,
    version: i64,
    code: &'static str,
    label: &'static str,
    own_words: String,
    needs: String,
    rows: Vec<ActionRow>,
    csrf_token: String,
    errors: Errors,
}

fn due_prefix(n: usize) -> String {
    format!("due-{}", n + 1)
}

/// The form's values for a stored section: each action, then one blank row.
fn section_values(section: &PlanSection, version: i64) -> Values {
    let mut values = Values::new();
    values.insert("version".into(), version.to_string());
    values.insert("own_words".into(), section.own_words.clone());
    values.insert("needs".into(), section.needs.clone());
    for (n, a) in section.actions.iter().enumerate().take(MAX_ACTIONS) {
        values.insert(ACTION_FIELDS[n].into(), a.action.clone());
        values.insert(OWNER_FIELDS[n].into(), a.owner.clone());
        if let Some(due) = a.due_on {
            values.insert(format!("{}-day", due_prefix(n)), due.day().to_string());
            values.insert(format!("{}-month", due_prefix(n)), due.month().to_string());
            values.insert(format!("{}-year", due_prefix(n)), due.year().to_string());
        }
        values.insert(format!("status-{}", n + 1), a.status.code().into());
    }
    values
}

fn due_parts(values: &Values, n: usize) -> DateParts {
    let prefix = due_prefix(n);
    DateParts {
        day: value(values, &format!("{prefix}-day")),
        month: value(values, &format!("{prefix}-month")),
        year: value(values, &format!("{prefix}-year")),
    }
}

fn section_page(
    state: &AppState,
    staff: &CurrentStaff,
    view: &PlanView,
    dimension: PlanDimension,
    values: &Values,
    errors: Errors,
) -> SectionPage {
    let filled = (0..MAX_ACTIONS)
        .filter(|n| !value(values, ACTION_FIELDS[*n]).is_empty() || !value(values, OWNER_FIELDS[*n]).is_empty())
        .max()
        .map_or(0, |n| n + 1);
    let shown = (filled + 1).min(MAX_ACTIONS);
    let rows = (0..shown)
        .map(|n| {
            let status_choices = ActionStatus::ALL
                .iter()
                .map(|s| (s.code().to_owned(), s.label().to_owned()))
                .collect();
            let status_id = format!("status-{}", n + 1);
            let mut statuses = RadioOption::list(&status_id, status_choices, &value(values, &status_id));
            if statuses.iter().all(|s| !s.checked)
                && let Some(first) = statuses.first_mut()
            {
                first.checked = true;
            }
            ActionRow {
                number: n + 1,
                blank: n >= filled,
                action_id: ACTION_FIELDS[n],
                owner_id: OWNER_FIELDS[n],
                due_id: due_prefix(n),
                due_error_id: DUE_FIELDS[n],
                action: value(values, ACTION_FIELDS[n]),
                owner: value(values, OWNER_FIELDS[n]),
                due: due_parts(values, n),
                statuses,
                status_id,
            }
        })
        .collect();
    SectionPage {
        layout: Layout::signed_in(&state.settings.council_name, staff, ""),
        id: view.plan.id,
        name: view.young_person_name.clone(),
        plan_version: view.plan.plan_version,
        version: values
            .get("version")
            .and_then(|v| v.parse().ok())
            .unwrap_or(view.plan.version),
        code: dimension.code(),
        label: dimension.label(),
        own_words: value(values, "own_words"),
        needs: value(values, "needs"),
        rows,
        csrf_token: staff.session.csrf_token.clone(),
        errors,
    }
}

/// The plan and section asked for, if the member of staff may change the plan now.
async fn editable_section(
    state: &AppState,
    staff: &CurrentStaff,
    plan: &str,
    dimension: &str,
) -> Result<(PlanView, PlanDimension), WebError> {
    let dimension = PlanDimension::parse(dimension).ok_or(WebError::NotFound)?;
    let view = open_plan(
        &state.store,
        state.clock.as_ref(),
        &staff.session.staff,
        parse_id(plan)?,
    )
    .await?;
    let placement = pathways_app::young_person::placement_of(&state.store, view.plan.young_person_id).await?;
    if !pathways_app::access::can_edit(&staff.session.staff, placement) {
        return Err(WebError::NotFound);
    }
    Ok((view, dimension))
}

async fn show_section(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path((plan, dimension)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (view, dimension) = editable_section(&state, &staff, &plan, &dimension).await?;
    let values = section_values(&view.plan.content.section(dimension), view.plan.version);
    Ok(render(&section_page(
        &state,
        &staff,
        &view,
        dimension,
        &values,
        Errors::default(),
    )))
}

async fn submit_section(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path((plan, dimension)): Path<(String, String)>,
    Form(values): Form<Values>,
) -> Result<Response, WebError> {
    staff.check_csrf(&value(&values, "csrf_token"))?;
    let (view, dimension) = editable_section(&state, &staff, &plan, &dimension).await?;
    let mut typing = Vec::new();
    let actions = (0..MAX_ACTIONS)
        .map(|n| {
            let due_on = match due_parts(&values, n).parse(&format!("Action {} date", n + 1)) {
                Ok(date) => date,
                Err(message) => {
                    typing.push((DUE_FIELDS[n], message));
                    None
                }
            };
            ActionForm {
                action: value(&values, ACTION_FIELDS[n]),
                owner: value(&values, OWNER_FIELDS[n]),
                due_on,
                status: value(&values, &format!("status-{}", n + 1)),
            }
        })
        .collect();
    let form = SectionForm {
        own_words: value(&values, "own_words"),
        needs: value(&values, "needs"),
        actions,
    };
    let plan_id = view.plan.id;
    let result = if typing.is_empty() {
        save_section(
            &state.store,
            state.clock.as_ref(),
            &staff.session.staff,
            plan_id,
            version_of(&values),
            dimension,
            &form,
        )
        .await
    } else {
        Err(FormError::Invalid(typing))
    };
    let errors = match result {
        Ok(()) => return Ok(Redirect::to(&format!("/plans/{plan_id}?saved=1#{}", dimension.code())).into_response()),
        Err(e) => form_errors(e, "own_words")?,
    };
    let page = section_page(&state, &staff, &view, dimension, &values, errors);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
}

#[derive(Template)]
#[template(path = "plan_agreement.html")]
struct AgreementPage {
    layout: Layout,
    id: i64,
    name: String,
    plan_version: i64,
    version: i64,
    agreed: DateParts,
    methods: Vec<RadioOption>,
    csrf_token: String,
    errors: Errors,
}

async fn agreement_page(
    state: &AppState,
    staff: &CurrentStaff,
    plan: i64,
    values: &Values,
    errors: Errors,
) -> Result<AgreementPage, WebError> {
    let view = open_plan(&state.store, state.clock.as_ref(), &staff.session.staff, plan).await?;
    if !view.may_agree {
        return Err(WebError::NotFound);
    }
    let choices = AgreementMethod::ALL
        .iter()
        .map(|m| (m.code().to_owned(), m.label().to_owned()))
        .collect();
    Ok(AgreementPage {
        layout: Layout::signed_in(&state.settings.council_name, staff, ""),
        id: plan,
        name: view.young_person_name.clone(),
        plan_version: view.plan.plan_version,
        version: values
            .get("version")
            .and_then(|v| v.parse().ok())
            .unwrap_or(view.plan.version),
        agreed: DateParts {
            day: value(values, "agreed-day"),
            month: value(values, "agreed-month"),
            year: value(values, "agreed-year"),
        },
        methods: RadioOption::list("method", choices, &value(values, "method")),
        csrf_token: staff.session.csrf_token.clone(),
        errors,
    })
}

async fn show_agreement(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(plan): Path<String>,
) -> Result<Response, WebError> {
    let page = agreement_page(&state, &staff, parse_id(&plan)?, &Values::new(), Errors::default()).await?;
    Ok(render(&page))
}

async fn submit_agreement(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(plan): Path<String>,
    Form(values): Form<Values>,
) -> Result<Response, WebError> {
    staff.check_csrf(&value(&values, "csrf_token"))?;
    let plan = parse_id(&plan)?;
    let parts = DateParts {
        day: value(&values, "agreed-day"),
        month: value(&values, "agreed-month"),
        year: value(&values, "agreed-year"),
    };
    let result = match parts.parse("Date they agreed") {
        Err(message) => Err(FormError::Invalid(vec![("agreed-day", message)])),
        Ok(on) => {
            record_agreement(
                &state.store,
                state.clock.as_ref(),
                &staff.session.staff,
                plan,
                version_of(&values),
                on,
                &value(&values, "method"),
            )
            .await
        }
    };
    let errors = match result {
        Ok(()) => return Ok(Redirect::to(&format!("/plans/{plan}?agreed=1")).into_response()),
        Err(e) => form_errors(e, "agreed-day")?,
    };
    let page = agreement_page(&state, &staff, plan, &values, errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
}

struct ChangeView {
    label: &'static str,
    summary: Vec<String>,
    table: Table,
}

#[derive(Template)]
#[template(path = "plan_compare.html")]
struct ComparePage {
    layout: Layout,
    id: i64,
    name: String,
    plan_version: i64,
    has_previous: bool,
    changes: Vec<ChangeView>,
}

fn describe_actions(section: &PlanSection) -> String {
    section
        .actions
        .iter()
        .map(|a| {
            let due = a.due_on.map(gov_uk).unwrap_or_else(|| "no date".into());
            format!("{} ({}, {due}, {})", a.action, a.owner, a.status.label().to_lowercase())
        })
        .collect::<Vec<_>>()
        .join("; ")
}

async fn show_compare(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(plan): Path<String>,
) -> Result<Response, WebError> {
    let view = opened(&state, &staff, &plan).await?;
    let changes = match &view.previous {
        None => Vec::new(),
        Some(previous) => compare(&previous.content, &view.plan.content)
            .into_iter()
            .map(|c| {
                let mut summary = Vec::new();
                if c.own_words_changed {
                    summary.push("The young person's own words changed".to_owned());
                }
                if c.needs_changed {
                    summary.push("The needs changed".to_owned());
                }
                for (n, what) in [
                    (c.actions_added, "added"),
                    (c.actions_removed, "removed"),
                    (c.actions_changed, "updated"),
                ] {
                    if n > 0 {
                        summary.push(format!("{n} action{} {what}", if n == 1 { "" } else { "s" }));
                    }
                }
                let mut table = Table::new(
                    format!("{}: before and after", c.dimension.label()),
                    &["", "Version before", "This version"],
                )
                .caption_size("s");
                for (what, before, after) in [
                    ("Own words", c.before.own_words.clone(), c.after.own_words.clone()),
                    ("Needs", c.before.needs.clone(), c.after.needs.clone()),
                    ("Actions", describe_actions(&c.before), describe_actions(&c.after)),
                ] {
                    if before != after {
                        table.row(vec![Cell::Text(what.to_owned()), Cell::Text(before), Cell::Text(after)]);
                    }
                }
                ChangeView {
                    label: c.dimension.label(),
                    summary,
                    table,
                }
            })
            .collect(),
    };
    let page = ComparePage {
        layout: Layout::signed_in(&state.settings.council_name, &staff, ""),
        id: view.plan.id,
        name: view.young_person_name.clone(),
        plan_version: view.plan.plan_version,
        has_previous: view.previous.is_some(),
        changes,
    };
    Ok(render(&page))
}

/// The plan as an accessible PDF; the view is audited like any other.
async fn download_pdf(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(plan): Path<String>,
) -> Result<Response, WebError> {
    let view = opened(&state, &staff, &plan).await?;
    let file = format!(
        "attachment; filename=\"pathway-plan-{}-version-{}.pdf\"",
        view.plan.young_person_id, view.plan.plan_version
    );
    let council = state.settings.council_name.clone();
    // Typesetting is CPU work: keep it off the threads that answer requests.
    let pdf = tokio::task::spawn_blocking(move || crate::pdf::plan_pdf(&view, &council))
        .await
        .map_err(WebError::internal)?
        .map_err(WebError::internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, file),
        ],
        pdf,
    )
        .into_response())
}
