//! `/account/password`: a member of staff changes their own password.

use super::render;
use crate::AppState;
use crate::error::WebError;
use crate::forms::Errors;
use crate::layout::Layout;
use crate::session::{CurrentStaff, SESSION_COOKIE, clear_cookie};
use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use pathways_app::FormError;
use pathways_app::auth::change_password;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/account/password", get(show).post(submit))
}

/// The password form, for a signed-in change or a reset link.
#[derive(Template)]
#[template(path = "password.html")]
pub struct PasswordPage {
    pub layout: Layout,
    pub action: String,
    pub csrf_token: String,
    pub ask_current: bool,
    pub errors: Errors,
}

fn page(state: &AppState, staff: &CurrentStaff, errors: Errors) -> PasswordPage {
    PasswordPage {
        layout: Layout::signed_in(&state.settings.council_name, staff, "/account/password"),
        action: "/account/password".into(),
        csrf_token: staff.session.csrf_token.clone(),
        ask_current: true,
        errors,
    }
}

async fn show(State(state): State<AppState>, staff: CurrentStaff) -> Response {
    render(&page(&state, &staff, Errors::default()))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PasswordForm {
    csrf_token: String,
    current_password: String,
    new_password: String,
    confirm_password: String,
}

async fn submit(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&form.csrf_token)?;
    let changed = change_password(
        &state.store,
        state.clock.as_ref(),
        &staff.session.staff,
        &form.current_password,
        &form.new_password,
        &form.confirm_password,
    )
    .await;
    match changed {
        Ok(()) => {
            let clear = clear_cookie(SESSION_COOKIE, state.settings.secure_cookies);
            Ok(([clear], Redirect::to("/sign-in?password-changed=1")).into_response())
        }
        Err(FormError::Invalid(list)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&page(&state, &staff, list.into())),
        )
            .into_response()),
        Err(FormError::NotFound) => Err(WebError::NotFound),
        Err(other) => Err(WebError::internal(other)),
    }
}
