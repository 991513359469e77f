//! "Forgotten your password?": `/forgot-password` emails a link; `/reset-password`
//! sets a new password from it. Neither says whether an account exists.

use super::account::PasswordPage;
use super::render;
use crate::AppState;
use crate::error::WebError;
use crate::forms::Errors;
use crate::layout::Layout;
use crate::session::{SIGN_IN_CSRF_COOKIE, cookie_value, set_cookie};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use cookie::SameSite;
use pathways_app::FormError;
use pathways_app::auth::{random_token, request_password_reset, reset_link_valid, reset_password, secrets_match};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/forgot-password", get(show_forgot).post(submit_forgot))
        .route("/reset-password", get(show_reset).post(submit_reset))
}

#[derive(Template)]
#[template(path = "forgot_password.html")]
struct ForgotPage {
    layout: Layout,
    csrf_token: String,
    email: String,
    sent: bool,
    mail_configured: bool,
    errors: Errors,
}

/// These forms have no session: like sign-in, they use a double-submit CSRF cookie.
fn with_csrf_cookie(state: &AppState, body: Response, token: &str) -> Response {
    let cookie = set_cookie(
        SIGN_IN_CSRF_COOKIE,
        token,
        state.settings.secure_cookies,
        SameSite::Strict,
    );
    ([cookie], body).into_response()
}

fn check_csrf(headers: &HeaderMap, form_token: &str) -> Result<String, WebError> {
    let cookie = cookie_value(headers, SIGN_IN_CSRF_COOKIE).unwrap_or_default();
    if cookie.is_empty() || !secrets_match(&cookie, form_token) {
        return Err(WebError::Csrf);
    }
    Ok(cookie)
}

fn forgot_page(state: &AppState, csrf_token: String, email: String, sent: bool, errors: Errors) -> ForgotPage {
    ForgotPage {
        layout: Layout::signed_out(&state.settings.council_name),
        csrf_token,
        email,
        sent,
        mail_configured: state.settings.mailer.is_some(),
        errors,
    }
}

async fn show_forgot(State(state): State<AppState>) -> Response {
    let token = random_token();
    let page = forgot_page(&state, token.clone(), String::new(), false, Errors::default());
    with_csrf_cookie(&state, render(&page), &token)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ForgotForm {
    csrf_token: String,
    email: String,
}

async fn submit_forgot(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<ForgotForm>,
) -> Result<Response, WebError> {
    let token = check_csrf(&headers, &form.csrf_token)?;
    let email = form.email.trim().to_owned();
    if !email.contains('@') {
        let errors: Errors = vec![("email", "Enter your email address, like name@example.gov.uk".to_owned())].into();
        let page = forgot_page(&state, token, email, false, errors);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response());
    }
    if let Some(mailer) = &state.settings.mailer {
        request_password_reset(
            &state.store,
            state.clock.as_ref(),
            mailer,
            &state.settings.public_url,
            &email,
        )
        .await
        .map_err(WebError::internal)?;
    }
    Ok(render(&forgot_page(&state, token, email, true, Errors::default())))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ResetQuery {
    token: String,
}

fn reset_page(state: &AppState, csrf_token: String, token: &str, errors: Errors) -> PasswordPage {
    PasswordPage {
        layout: Layout::signed_out(&state.settings.council_name),
        action: format!("/reset-password?token={token}"),
        csrf_token,
        ask_current: false,
        errors,
    }
}

async fn show_reset(State(state): State<AppState>, Query(query): Query<ResetQuery>) -> Result<Response, WebError> {
    if !reset_link_valid(&state.store, state.clock.as_ref(), &query.token).await? {
        return Err(WebError::LinkExpired);
    }
    let csrf = random_token();
    let page = reset_page(&state, csrf.clone(), &query.token, Errors::default());
    Ok(with_csrf_cookie(&state, render(&page), &csrf))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ResetForm {
    csrf_token: String,
    new_password: String,
    confirm_password: String,
}

async fn submit_reset(
    State(state): State<AppState>,
    Query(query): Query<ResetQuery>,
    headers: HeaderMap,
    Form(form): Form<ResetForm>,
) -> Result<Response, WebError> {
    let csrf = check_csrf(&headers, &form.csrf_token)?;
    match reset_password(
        &state.store,
        state.clock.as_ref(),
        &query.token,
        &form.new_password,
        &form.confirm_password,
    )
    .await
    {
        Ok(()) => Ok(Redirect::to("/sign-in?password-changed=1").into_response()),
        Err(FormError::Invalid(list)) => {
            let page = reset_page(&state, csrf, &query.token, list.into());
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(FormError::NotFound) => Err(WebError::LinkExpired),
        Err(other) => Err(WebError::internal(other)),
    }
}
