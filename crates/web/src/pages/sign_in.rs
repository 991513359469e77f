//! Sign in and sign out.

use super::{FieldError, render};
use crate::AppState;
use crate::error::WebError;
use crate::layout::Layout;
use crate::session::{CurrentStaff, SESSION_COOKIE, SIGN_IN_CSRF_COOKIE, clear_cookie, cookie_value, set_cookie};
use askama::Template;
use axum::Extension;
use axum::Router;
use axum::extract::{ConnectInfo, Form, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use cookie::SameSite;
use pathways_app::auth::{self, AuthError, random_token, secrets_match};
use serde::Deserialize;
use std::net::SocketAddr;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sign-in", get(show).post(submit))
        .route("/sign-out", post(sign_out))
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    layout: Layout,
    csrf_token: String,
    email: String,
    errors: Vec<FieldError>,
    email_error: Option<String>,
    password_error: Option<String>,
    notice: Option<&'static str>,
}

impl SignInPage {
    fn new(state: &AppState, csrf_token: String, email: String, errors: Vec<FieldError>) -> Self {
        let error_for = |field: &str| errors.iter().find(|e| e.field == field).map(|e| e.message.clone());
        SignInPage {
            layout: Layout::signed_out(&state.settings.council_name),
            email_error: error_for("email"),
            password_error: error_for("password"),
            csrf_token,
            email,
            errors,
            notice: None,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Notices {
    #[serde(rename = "password-changed")]
    password_changed: Option<String>,
    #[serde(rename = "timed-out")]
    timed_out: Option<String>,
}

async fn show(State(state): State<AppState>, Query(notices): Query<Notices>) -> Response {
    let notice = if notices.password_changed.is_some() {
        Some("Your password has been changed. Sign in with your new password")
    } else if notices.timed_out.is_some() {
        Some("You have been signed out. Sign in again to continue")
    } else {
        None
    };
    fresh_form(&state, None, notice)
}

/// An empty sign-in form with a new double-submit CSRF token (and its cookie),
/// plus any other cookie to set and a notice to show.
fn fresh_form(state: &AppState, also_set: Option<(HeaderName, HeaderValue)>, notice: Option<&'static str>) -> Response {
    let token = random_token();
    let mut page = SignInPage::new(state, token.clone(), String::new(), Vec::new());
    page.notice = notice;
    let csrf = set_cookie(
        SIGN_IN_CSRF_COOKIE,
        &token,
        state.settings.secure_cookies,
        SameSite::Strict,
    );
    (AppendHeaders(also_set.into_iter().chain([csrf])), render(&page)).into_response()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SignInForm {
    csrf_token: String,
    email: String,
    password: String,
}

/// The peer address of the connection, for limiting guesses per address. Behind a
/// reverse proxy every request shares the proxy's address, so the per-address
/// limit then applies to all users together; set it high there.
type Client = Option<Extension<ConnectInfo<SocketAddr>>>;

async fn submit(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Result<Response, WebError> {
    let cookie_token = cookie_value(&headers, SIGN_IN_CSRF_COOKIE).unwrap_or_default();
    if cookie_token.is_empty() || !secrets_match(&cookie_token, &form.csrf_token) {
        return Err(WebError::Csrf);
    }
    let mut errors = Vec::new();
    if form.email.trim().is_empty() {
        errors.push(FieldError {
            field: "email",
            message: "Enter your email address".into(),
        });
    }
    if form.password.is_empty() {
        errors.push(FieldError {
            field: "password",
            message: "Enter your password".into(),
        });
    }
    if errors.is_empty() {
        let address = client.map_or_else(
            || "unknown".to_owned(),
            |Extension(ConnectInfo(peer))| peer.ip().to_string(),
        );
        let limits = &state.settings.sign_in_limits;
        match auth::sign_in(
            &state.store,
            state.clock.as_ref(),
            limits,
            &address,
            &form.email,
            &form.password,
        )
        .await
        {
            Ok(started) => {
                let secure = state.settings.secure_cookies;
                let session = set_cookie(SESSION_COOKIE, &started.token, secure, SameSite::Lax);
                let clear = clear_cookie(SIGN_IN_CSRF_COOKIE, secure);
                return Ok((AppendHeaders([session, clear]), Redirect::to("/")).into_response());
            }
            Err(AuthError::BadCredentials) => errors.push(FieldError {
                field: "email",
                message: AuthError::BadCredentials.to_string(),
            }),
            Err(AuthError::TooManyAttempts) => {
                errors.push(FieldError {
                    field: "email",
                    message: AuthError::TooManyAttempts.to_string(),
                });
                let page = SignInPage::new(&state, cookie_token, form.email.trim().to_owned(), errors);
                return Ok((axum::http::StatusCode::TOO_MANY_REQUESTS, render(&page)).into_response());
            }
            Err(other) => return Err(WebError::internal(other)),
        }
    }
    let page = SignInPage::new(&state, cookie_token, form.email.trim().to_owned(), errors);
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SignOutForm {
    csrf_token: String,
}

async fn sign_out(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Form(form): Form<SignOutForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&form.csrf_token)?;
    auth::sign_out(&state.store, state.clock.as_ref(), &staff.session).await?;
    let clear = clear_cookie(SESSION_COOKIE, state.settings.secure_cookies);
    Ok(fresh_form(&state, Some(clear), Some("You have signed out")))
}
