//! `/tasks`: what is overdue and due soon for a PA's caseload or a team; and
//! `/compliance`: the share of young people in time under each measure.

use super::{parse_id, render};
use crate::AppState;
use crate::components::{Cell, Table, Tag};
use crate::error::WebError;
use crate::layout::Layout;
use crate::session::CurrentStaff;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use pathways_app::compliance::{
    MeasureSummary, TaskLine, WorkScope, complete_task_as, compliance_report, default_scope, tasks_for,
};
use pathways_app::team::may_view_team;
use pathways_domain::dates::gov_uk;
use pathways_domain::staff::StaffMember;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tasks", get(show_tasks))
        .route("/tasks/{id}/done", post(mark_done))
        .route("/compliance", get(show_compliance))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ScopeQuery {
    team: Option<i64>,
    done: Option<String>,
}

/// The scope asked for, or the member of staff's own; and the words for it.
async fn scope_of(state: &AppState, staff: &StaffMember, team: Option<i64>) -> Result<(WorkScope, String), WebError> {
    let scope = match (team, default_scope(staff)) {
        (Some(team), _) => WorkScope::Team(team),
        (None, Some(scope)) => scope,
        // Service-wide roles without a team of their own start at the first team.
        (None, None) => {
            let teams = state.store.teams().await.map_err(WebError::internal)?;
            let first = teams.into_iter().find(|t| may_view_team(staff, t.id));
            WorkScope::Team(first.ok_or(WebError::NotFound)?.id)
        }
    };
    let whose = match scope {
        WorkScope::Own => "Your caseload".to_owned(),
        WorkScope::Team(id) => {
            let teams = state.store.teams().await.map_err(WebError::internal)?;
            let name = teams.into_iter().find(|t| t.id == id).ok_or(WebError::NotFound)?.name;
            format!("{name} team")
        }
    };
    Ok((scope, whose))
}

async fn other_teams(state: &AppState, staff: &StaffMember, scope: WorkScope) -> Result<Vec<(i64, String)>, WebError> {
    let teams = state.store.teams().await.map_err(WebError::internal)?;
    Ok(teams
        .into_iter()
        .filter(|t| may_view_team(staff, t.id) && scope != WorkScope::Team(t.id))
        .map(|t| (t.id, t.name))
        .collect())
}

#[derive(Template)]
#[template(path = "tasks.html")]
struct TasksPage {
    layout: Layout,
    whose: String,
    other_teams: Vec<(i64, String)>,
    lists: Vec<(&'static str, Table)>,
    banner: Option<&'static str>,
}

fn task_table(caption: &str, lines: &[TaskLine], csrf_token: &str) -> Table {
    let mut table = Table::new(
        format!("{caption}: {}", lines.len()),
        &["Young person", "What", "Due by", "Why", "Action"],
    );
    for line in lines {
        let who = match (line.young_person_id, &line.name) {
            (Some(id), Some(name)) => Cell::Link {
                href: format!("/young-people/{id}#due"),
                text: name.clone(),
            },
            _ => Cell::Text(String::new()),
        };
        let action = match line.task_id {
            Some(id) => Cell::PostButton {
                action: format!("/tasks/{id}/done"),
                csrf_token: csrf_token.to_owned(),
                label: "Mark done",
                hidden: line.what.clone(),
            },
            None => Cell::Text(String::new()),
        };
        let what = match &line.assigned_to {
            Some(to) => format!("{} (assigned to {to})", line.what),
            None => line.what.clone(),
        };
        table.row(vec![
            who,
            Cell::Text(what),
            Cell::TagsThenText(
                vec![Tag::new(line.status.label(), super::caseload::due_colour(line.status))],
                gov_uk(line.due_on),
            ),
            Cell::Text(line.reason.clone()),
            action,
        ]);
    }
    table.caption_size("m")
}

async fn show_tasks(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Query(query): Query<ScopeQuery>,
) -> Result<Response, WebError> {
    let who = &staff.session.staff;
    let (scope, whose) = scope_of(&state, who, query.team).await?;
    let list = tasks_for(
        &state.store,
        state.clock.as_ref(),
        &state.rules,
        &state.compliance,
        who,
        scope,
    )
    .await?;
    let csrf = &staff.session.csrf_token;
    let page = TasksPage {
        layout: Layout::signed_in(&state.settings.council_name, &staff, "/tasks"),
        whose,
        other_teams: other_teams(&state, who, scope).await?,
        lists: vec![
            ("Overdue", task_table("Overdue", &list.overdue, csrf)),
            (
                "Due within 7 days",
                task_table("Due within 7 days", &list.within_7_days, csrf),
            ),
            (
                "Due within 30 days",
                task_table("Due within 30 days", &list.within_30_days, csrf),
            ),
        ],
        banner: query.done.map(|_| "Task marked as done"),
    };
    Ok(render(&page))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CsrfOnly {
    csrf_token: String,
}

async fn mark_done(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    staff.check_csrf(&form.csrf_token)?;
    let id = parse_id(&id)?;
    complete_task_as(&state.store, state.clock.as_ref(), &staff.session.staff, id).await?;
    Ok(Redirect::to("/tasks?done=1").into_response())
}

#[derive(Template)]
#[template(path = "compliance.html")]
struct CompliancePage {
    layout: Layout,
    whose: String,
    other_teams: Vec<(i64, String)>,
    as_at: String,
    young_people: usize,
    overall: Table,
    by_adviser: Option<Table>,
}

fn percent(summary: &MeasureSummary) -> String {
    match summary.percent() {
        Some(p) => format!("{p}% ({} of {})", summary.in_time, summary.applicable),
        None => "None due".to_owned(),
    }
}

async fn show_compliance(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Query(query): Query<ScopeQuery>,
) -> Result<Response, WebError> {
    let who = &staff.session.staff;
    let (scope, whose) = scope_of(&state, who, query.team).await?;
    let report = compliance_report(
        &state.store,
        state.clock.as_ref(),
        &state.rules,
        &state.compliance,
        who,
        scope,
    )
    .await?;
    let mut overall = Table::new("All young people", &["Measure", "In time"]).caption_size("m");
    for s in &report.overall {
        overall.row(vec![Cell::Text(s.measure.label().to_owned()), Cell::Text(percent(s))]);
    }
    let by_adviser = if let WorkScope::Team(team) = scope {
        let names = state.store.team_caseloads(team).await.map_err(WebError::internal)?;
        let mut table = Table::new(
            "By personal adviser",
            &[
                "Personal adviser",
                "Needs assessment",
                "Pathway plan",
                "Visits",
                "In touch",
                "Key documents",
            ],
        )
        .caption_size("m");
        for adviser in names {
            let Some((_, summaries)) = report.by_adviser.iter().find(|(id, _)| *id == adviser.staff_id) else {
                continue;
            };
            let mut row = vec![Cell::Text(adviser.name.clone())];
            row.extend(summaries.iter().map(|s| Cell::Text(percent(s))));
            table.row(row);
        }
        Some(table)
    } else {
        None
    };
    let page = CompliancePage {
        layout: Layout::signed_in(&state.settings.council_name, &staff, "/compliance"),
        whose,
        other_teams: other_teams(&state, who, scope).await?,
        as_at: gov_uk(state.clock.today()),
        young_people: report.young_people,
        overall,
        by_adviser,
    };
    Ok(render(&page))
}
