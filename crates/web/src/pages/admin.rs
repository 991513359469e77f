//! `/admin/…`: users, roles and teams, for administrators only.

use super::{parse_id, render};
use crate::AppState;
use crate::components::{Cell, RadioOption, Table, Tag};
use crate::error::WebError;
use crate::forms::{Errors, form_errors};
use crate::layout::Layout;
use crate::session::CurrentStaff;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use pathways_app::admin::{self, UserForm};
use pathways_domain::staff::{Role, StaffMember, Team};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(list))
        .route("/admin/users/new", get(new_user).post(create_user))
        .route("/admin/users/{id}", get(edit_user).post(update_user))
        .route("/admin/users/{id}/active", post(set_active))
        .route("/admin/teams", post(create_team))
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    layout: Layout,
    csrf_token: String,
    users: Table,
    teams: Table,
    team_name: String,
    errors: Errors,
    banner: Option<&'static str>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Banner {
    saved: Option<String>,
}

async fn users_page(
    state: &AppState,
    staff: &CurrentStaff,
    team_name: String,
    errors: Errors,
) -> Result<UsersPage, WebError> {
    let (users, teams) = admin::users(&state.store, &staff.session.staff)
        .await
        .map_err(WebError::from)?;
    let team_of = |id: Option<i64>| {
        id.and_then(|id| teams.iter().find(|t| t.id == id))
            .map_or("", |t| t.name.as_str())
            .to_owned()
    };
    let mut table = Table::new(
        format!("{} users", users.len()),
        &["Name", "Email", "Role", "Team", "Status"],
    );
    for user in &users {
        let status = if user.active {
            Tag::new("Active", "green")
        } else {
            Tag::new("Deactivated", "grey")
        };
        table.row(vec![
            Cell::Link {
                href: format!("/admin/users/{}", user.id),
                text: user.display_name.clone(),
            },
            Cell::Text(user.email.clone()),
            Cell::Text(user.role.label().to_owned()),
            Cell::Text(team_of(user.team_id)),
            Cell::Tags(vec![status]),
        ]);
    }
    let mut team_table = Table::new(format!("{} teams", teams.len()), &["Team", "Members"]).numeric(1);
    for team in &teams {
        let members = users.iter().filter(|u| u.team_id == Some(team.id) && u.active).count();
        team_table.row(vec![Cell::Text(team.name.clone()), Cell::Numeric(members.to_string())]);
    }
    Ok(UsersPage {
        layout: Layout::signed_in(&state.settings.council_name, staff, "/admin/users"),
        csrf_token: staff.session.csrf_token.clone(),
        users: table,
        teams: team_table,
        team_name,
        errors,
        banner: None,
    })
}

async fn list(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Query(banner): Query<Banner>,
) -> Result<Response, WebError> {
    let mut page = users_page(&state, &staff, String::new(), Errors::default()).await?;
    page.banner = banner.saved.map(|_| "Saved");
    Ok(render(&page))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TeamForm {
    csrf_token: String,
    name: String,
}

async fn create_team(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Form(form): Form<TeamForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&form.csrf_token)?;
    match admin::create_team(&state.store, state.clock.as_ref(), &staff.session.staff, &form.name).await {
        Ok(_) => Ok(Redirect::to("/admin/users?saved=1").into_response()),
        Err(e) => {
            let errors = form_errors(e, "name")?;
            let page = users_page(&state, &staff, form.name, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "admin_user.html")]
struct UserPage {
    layout: Layout,
    heading: String,
    action: String,
    creating: bool,
    csrf_token: String,
    display_name: String,
    email: String,
    roles: Vec<RadioOption>,
    teams: Vec<RadioOption>,
    /// Present when editing: whether the account is active.
    active: Option<bool>,
    errors: Errors,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct UserFields {
    csrf_token: String,
    display_name: String,
    email: String,
    role: String,
    team: String,
    password: String,
}

impl UserFields {
    fn of(user: &StaffMember) -> Self {
        UserFields {
            display_name: user.display_name.clone(),
            email: user.email.clone(),
            role: user.role.code().to_owned(),
            team: user.team_id.map(|t| t.to_string()).unwrap_or_default(),
            ..UserFields::default()
        }
    }

    fn form(&self) -> UserForm {
        UserForm {
            display_name: self.display_name.clone(),
            email: self.email.clone(),
            role: self.role.clone(),
            team: self.team.clone(),
            password: self.password.clone(),
        }
    }
}

fn user_page(
    state: &AppState,
    staff: &CurrentStaff,
    editing: Option<&StaffMember>,
    teams: &[Team],
    fields: &UserFields,
    errors: Errors,
) -> UserPage {
    let roles = Role::ALL
        .iter()
        .map(|r| (r.code().to_owned(), r.label().to_owned()))
        .collect();
    let mut team_choices: Vec<(String, String)> = teams.iter().map(|t| (t.id.to_string(), t.name.clone())).collect();
    team_choices.push((String::new(), "No team (service-wide roles)".into()));
    UserPage {
        layout: Layout::signed_in(&state.settings.council_name, staff, "/admin/users"),
        heading: editing.map_or_else(|| "Add a user".to_owned(), |u| format!("Change {}", u.display_name)),
        action: editing.map_or_else(|| "/admin/users/new".to_owned(), |u| format!("/admin/users/{}", u.id)),
        creating: editing.is_none(),
        csrf_token: staff.session.csrf_token.clone(),
        display_name: fields.display_name.clone(),
        email: editing.map_or_else(|| fields.email.clone(), |u| u.email.clone()),
        roles: RadioOption::list("role", roles, &fields.role),
        teams: RadioOption::list("team", team_choices, &fields.team),
        active: editing.map(|u| u.active),
        errors,
    }
}

async fn teams_for_admin(state: &AppState, staff: &CurrentStaff) -> Result<Vec<Team>, WebError> {
    if !admin::is_admin(&staff.session.staff) {
        return Err(WebError::NotFound);
    }
    Ok(state.store.teams().await?)
}

async fn new_user(State(state): State<AppState>, staff: CurrentStaff) -> Result<Response, WebError> {
    let teams = teams_for_admin(&state, &staff).await?;
    Ok(render(&user_page(
        &state,
        &staff,
        None,
        &teams,
        &UserFields::default(),
        Errors::default(),
    )))
}

async fn create_user(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Form(fields): Form<UserFields>,
) -> Result<Response, WebError> {
    staff.check_csrf(&fields.csrf_token)?;
    let teams = teams_for_admin(&state, &staff).await?;
    match admin::create_user(&state.store, state.clock.as_ref(), &staff.session.staff, &fields.form()).await {
        Ok(_) => Ok(Redirect::to("/admin/users?saved=1").into_response()),
        Err(e) => {
            let errors = form_errors(e, "email")?;
            let page = user_page(&state, &staff, None, &teams, &fields, errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
    }
}

async fn user_to_edit(state: &AppState, staff: &CurrentStaff, id: &str) -> Result<(StaffMember, Vec<Team>), WebError> {
    let teams = teams_for_admin(state, staff).await?;
    let id = parse_id(id)?;
    let user = state.store.staff_member(id).await?.ok_or(WebError::NotFound)?;
    Ok((user, teams))
}

async fn edit_user(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let (user, teams) = user_to_edit(&state, &staff, &id).await?;
    Ok(render(&user_page(
        &state,
        &staff,
        Some(&user),
        &teams,
        &UserFields::of(&user),
        Errors::default(),
    )))
}

async fn update_user(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(fields): Form<UserFields>,
) -> Result<Response, WebError> {
    staff.check_csrf(&fields.csrf_token)?;
    let (user, teams) = user_to_edit(&state, &staff, &id).await?;
    match admin::update_user(
        &state.store,
        state.clock.as_ref(),
        &staff.session.staff,
        user.id,
        &fields.form(),
    )
    .await
    {
        Ok(()) => Ok(Redirect::to("/admin/users?saved=1").into_response()),
        Err(e) => {
            let errors = form_errors(e, "role")?;
            let page = user_page(&state, &staff, Some(&user), &teams, &fields, errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ActiveForm {
    csrf_token: String,
    active: String,
}

async fn set_active(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(form): Form<ActiveForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&form.csrf_token)?;
    let (user, teams) = user_to_edit(&state, &staff, &id).await?;
    let active = form.active == "true";
    match admin::set_user_active(
        &state.store,
        state.clock.as_ref(),
        &staff.session.staff,
        user.id,
        active,
    )
    .await
    {
        Ok(()) => Ok(Redirect::to("/admin/users?saved=1").into_response()),
        Err(e) => {
            let errors = form_errors(e, "display_name")?;
            let page = user_page(&state, &staff, Some(&user), &teams, &UserFields::of(&user), errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
    }
}
