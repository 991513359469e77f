//! Session and CSRF cookies, and the extractor that finds who is signed in.

use crate::AppState;
use crate::error::WebError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use cookie::{Cookie, SameSite};
use pathways_app::auth::{self, Session, secrets_match};

pub const SESSION_COOKIE: &str = "pathways_session";
/// Double-submit token for the sign-in form, which has no session yet.
pub const SIGN_IN_CSRF_COOKIE: &str = "pathways_sign_in_csrf";

/// The value of a cookie in the request, if sent.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// A `Set-Cookie` header: HttpOnly, SameSite, path `/`, Secure when configured.
pub fn set_cookie(name: &str, value: &str, secure: bool, same_site: SameSite) -> (header::HeaderName, HeaderValue) {
    let cookie = Cookie::build((name.to_owned(), value.to_owned()))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(same_site)
        .build();
    (
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie.to_string()).unwrap_or(HeaderValue::from_static("")),
    )
}

/// A `Set-Cookie` header that removes a cookie.
pub fn clear_cookie(name: &str, secure: bool) -> (header::HeaderName, HeaderValue) {
    let cookie = Cookie::build((name.to_owned(), String::new()))
        .path("/")
        .http_only(true)
        .secure(secure)
        .max_age(cookie::time::Duration::ZERO)
        .build();
    (
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie.to_string()).unwrap_or(HeaderValue::from_static("")),
    )
}

/// The signed-in member of staff. Pages that take this redirect anyone else to
/// the sign-in page.
#[derive(Debug, Clone)]
pub struct CurrentStaff {
    pub session: Session,
    /// Seconds without a request before the session ends, for the warning shown first.
    pub idle_timeout_seconds: i64,
}

impl CurrentStaff {
    /// Refuses a state-changing request whose form token is not this session's.
    pub fn check_csrf(&self, form_token: &str) -> Result<(), WebError> {
        if secrets_match(form_token, &self.session.csrf_token) {
            Ok(())
        } else {
            Err(WebError::Csrf)
        }
    }
}

/// Why there is no signed-in member of staff.
#[derive(Debug)]
pub enum NotSignedIn {
    Redirect,
    /// There was a session cookie, but its session has ended (idle timeout,
    /// deactivation, password change): say so on the sign-in page.
    Ended,
    Error(WebError),
}

impl IntoResponse for NotSignedIn {
    fn into_response(self) -> Response {
        match self {
            NotSignedIn::Redirect => Redirect::to("/sign-in").into_response(),
            NotSignedIn::Ended => Redirect::to("/sign-in?timed-out=1").into_response(),
            NotSignedIn::Error(error) => error.into_response(),
        }
    }
}

impl FromRequestParts<AppState> for CurrentStaff {
    type Rejection = NotSignedIn;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Some(token) = cookie_value(&parts.headers, SESSION_COOKIE) else {
            return Err(NotSignedIn::Redirect);
        };
        let session = auth::session(&state.store, state.clock.as_ref(), &token, state.settings.idle_timeout)
            .await
            .map_err(|e| NotSignedIn::Error(WebError::internal(e)))?;
        session
            .map(|session| CurrentStaff {
                session,
                idle_timeout_seconds: state.settings.idle_timeout.as_secs(),
            })
            .ok_or(NotSignedIn::Ended)
    }
}
