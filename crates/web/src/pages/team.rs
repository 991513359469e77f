//! `/team`: caseload sizes and who waits for a personal adviser; and
//! `/young-people/{id}/allocate`: allocating one young person.

use super::{category_colour, parse_id, render};
use crate::AppState;
use crate::components::{Cell, RadioOption, Table, Tag};
use crate::error::WebError;
use crate::forms::Errors;
use crate::layout::Layout;
use crate::session::CurrentStaff;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use pathways_app::FormError;
use pathways_app::access::Placement;
use pathways_app::team::{AllocationChoices, AllocationRequest, allocate, allocation_choices, team_view};
use pathways_domain::dates::gov_uk;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/team", get(show_team))
        .route("/young-people/{id}/allocate", get(show_allocate).post(submit_allocate))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TeamQuery {
    team: Option<i64>,
}

#[derive(Template)]
#[template(path = "team.html")]
struct TeamPage {
    layout: Layout,
    team_name: String,
    other_teams: Vec<(i64, String)>,
    advisers: Table,
    unallocated: Table,
    may_add: bool,
}

async fn show_team(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Query(query): Query<TeamQuery>,
) -> Result<Response, WebError> {
    let view = team_view(
        &state.store,
        state.clock.as_ref(),
        &state.rules,
        &state.compliance,
        &state.overdue_counts,
        &staff.session.staff,
        query.team,
    )
    .await?;
    let total: i64 = view.advisers.iter().map(|a| a.young_people).sum();
    let mut advisers = Table::new(
        format!(
            "Personal advisers: {} young people allocated, {} waiting; overdue as at {}",
            total,
            view.unallocated_total,
            view.overdue_as_at
                .to_zoned(pathways_app::clock::london())
                .strftime("%H:%M")
        ),
        &[
            "Personal adviser",
            "Young people",
            "With something overdue",
            "Overdue items",
            "Status",
        ],
    )
    .numeric(1)
    .numeric(2)
    .numeric(3)
    .caption_size("m");
    for adviser in &view.advisers {
        let status = if adviser.active {
            Tag::new("Active", "green")
        } else {
            Tag::new("Deactivated", "grey")
        };
        let (people_overdue, items_overdue) = view.overdue.get(&adviser.staff_id).copied().unwrap_or_default();
        advisers.row(vec![
            Cell::Text(adviser.name.clone()),
            Cell::Numeric(adviser.young_people.to_string()),
            Cell::Numeric(people_overdue.to_string()),
            Cell::Numeric(items_overdue.to_string()),
            Cell::Tags(vec![status]),
        ]);
    }
    let shown = view.unallocated.len() as i64;
    let caption = if shown < view.unallocated_total {
        format!("The {shown} waiting longest of {}", view.unallocated_total)
    } else {
        format!("{shown} waiting, longest first")
    };
    let mut headings = vec!["Name", "Date of birth", "Age", "Legal category", "Waiting since"];
    if view.may_allocate {
        headings.push("Action");
    }
    let mut unallocated = Table::new(caption, &headings).numeric(2);
    for waiting in &view.unallocated {
        let category = waiting.category.category;
        let mut row = vec![
            Cell::Link {
                href: format!("/young-people/{}", waiting.id),
                text: waiting.name.clone(),
            },
            Cell::Text(gov_uk(waiting.date_of_birth)),
            Cell::Numeric(waiting.age.to_string()),
            Cell::Tags(vec![Tag::new(category.label(), category_colour(category))]),
            Cell::Text(waiting.waiting_since.map(gov_uk).unwrap_or_default()),
        ];
        if view.may_allocate {
            row.push(Cell::Link {
                href: format!("/young-people/{}/allocate", waiting.id),
                text: format!("Allocate {}", waiting.name),
            });
        }
        unallocated.row(row);
    }
    let page = TeamPage {
        layout: Layout::signed_in(&state.settings.council_name, &staff, "/team"),
        team_name: view.team.name.clone(),
        other_teams: view
            .teams
            .iter()
            .filter(|t| t.id != view.team.id)
            .map(|t| (t.id, t.name.clone()))
            .collect(),
        advisers,
        unallocated,
        may_add: pathways_app::records::may_add(&staff.session.staff),
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "allocate.html")]
struct AllocatePage {
    layout: Layout,
    id: i64,
    name: String,
    csrf_token: String,
    expected: String,
    options: Vec<RadioOption>,
    reason: String,
    errors: Errors,
}

fn placement_value(team_id: i64, adviser: Option<i64>) -> String {
    format!("{team_id}:{}", adviser.map(|a| a.to_string()).unwrap_or_default())
}

/// Reads `team:adviser` (adviser may be empty) as sent by the form.
fn parse_placement(value: &str) -> Option<Placement> {
    let (team, adviser) = value.split_once(':')?;
    let team_id = team.parse().ok()?;
    let personal_adviser_id = if adviser.is_empty() {
        None
    } else {
        Some(adviser.parse().ok()?)
    };
    Some(Placement {
        team_id,
        personal_adviser_id,
    })
}

fn allocate_page(
    state: &AppState,
    staff: &CurrentStaff,
    id: i64,
    choices: &AllocationChoices,
    chosen: &str,
    reason: String,
    errors: Errors,
) -> AllocatePage {
    let mut options = Vec::new();
    for (team, advisers) in &choices.teams {
        let in_team = choices.teams.len() > 1;
        for adviser in advisers {
            let value = placement_value(team.id, Some(adviser.staff_id));
            options.push(RadioOption {
                id: String::new(),
                label: if in_team {
                    format!("{} ({})", adviser.name, team.name)
                } else {
                    adviser.name.clone()
                },
                hint: format!("{} young people allocated now", adviser.young_people),
                checked: chosen == value,
                value,
            });
        }
        let value = placement_value(team.id, None);
        options.push(RadioOption {
            id: String::new(),
            label: format!("No personal adviser yet ({} team)", team.name),
            hint: "The young person waits on the team's list".into(),
            checked: chosen == value,
            value,
        });
    }
    for (n, option) in options.iter_mut().enumerate() {
        option.id = if n == 0 {
            "allocation".into()
        } else {
            format!("allocation-{}", n + 1)
        };
    }
    AllocatePage {
        layout: Layout::signed_in(&state.settings.council_name, staff, ""),
        id,
        name: choices.young_person_name.clone(),
        csrf_token: staff.session.csrf_token.clone(),
        expected: choices
            .current
            .map(|p| placement_value(p.team_id, p.personal_adviser_id))
            .unwrap_or_default(),
        options,
        reason,
        errors,
    }
}

async fn show_allocate(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let choices = allocation_choices(&state.store, &staff.session.staff, id).await?;
    let current = choices
        .current
        .map(|p| placement_value(p.team_id, p.personal_adviser_id))
        .unwrap_or_default();
    let page = allocate_page(&state, &staff, id, &choices, &current, String::new(), Errors::default());
    Ok(render(&page))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AllocateForm {
    csrf_token: String,
    expected: String,
    allocation: String,
    reason: String,
}

async fn submit_allocate(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(form): Form<AllocateForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&form.csrf_token)?;
    let id = parse_id(&id)?;
    let choices = allocation_choices(&state.store, &staff.session.staff, id).await?;
    let mut errors = Errors::default();
    let chosen = parse_placement(&form.allocation);
    if chosen.is_none() {
        errors.add("allocation", "Select who should be their personal adviser");
    }
    if let Some(chosen) = chosen {
        let request = AllocationRequest {
            team_id: chosen.team_id,
            personal_adviser_id: chosen.personal_adviser_id,
            reason: form.reason.clone(),
            expected: parse_placement(&form.expected),
        };
        match allocate(&state.store, state.clock.as_ref(), &staff.session.staff, id, &request).await {
            Ok(()) => return Ok(Redirect::to(&format!("/young-people/{id}?allocated=1")).into_response()),
            Err(FormError::NotFound) => return Err(WebError::NotFound),
            Err(FormError::Store(e)) => return Err(WebError::internal(e)),
            Err(FormError::Conflict(message)) => errors.add("allocation", message),
            Err(FormError::Invalid(list)) => {
                for (field, message) in list {
                    let field = if field == "reason" { "reason" } else { "allocation" };
                    errors.add(field, message);
                }
            }
        }
    } else if form.reason.trim().is_empty() {
        errors.add("reason", "Enter the reason for the allocation");
    }
    // Show the allocation as it is now, so a stale choice can be checked again.
    let choices = if errors.get("allocation").is_some_and(|m| m.starts_with("Someone else")) {
        allocation_choices(&state.store, &staff.session.staff, id).await?
    } else {
        choices
    };
    let page = allocate_page(&state, &staff, id, &choices, &form.allocation, form.reason, errors);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
}
