//! One error type for the web layer: details are logged, never shown.

use crate::AppState;
use crate::layout::Layout;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

#[derive(Debug)]
pub enum WebError {
    NotFound,
    /// A form posted without this session's CSRF token.
    Csrf,
    /// A password-reset link that is unknown, used or expired.
    LinkExpired,
    Internal(String),
}

impl WebError {
    pub fn internal(error: impl std::fmt::Display) -> Self {
        WebError::Internal(error.to_string())
    }
}

impl From<pathways_app::AppError> for WebError {
    fn from(error: pathways_app::AppError) -> Self {
        match error {
            pathways_app::AppError::NotFound => WebError::NotFound,
            other => WebError::internal(other),
        }
    }
}

/// For a use case whose form errors cannot happen here (only not found or a failure).
impl From<pathways_app::FormError> for WebError {
    fn from(error: pathways_app::FormError) -> Self {
        match error {
            pathways_app::FormError::NotFound => WebError::NotFound,
            other => WebError::internal(other),
        }
    }
}

impl From<pathways_store::StoreError> for WebError {
    fn from(error: pathways_store::StoreError) -> Self {
        WebError::internal(error)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    heading: &'static str,
    paragraphs: Vec<&'static str>,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, heading, paragraphs) = match self {
            WebError::NotFound => (
                StatusCode::NOT_FOUND,
                "Page not found",
                vec![
                    "If you typed the web address, check it is correct.",
                    "If you followed a link to a young person's record, it may not be in your team.",
                ],
            ),
            WebError::Csrf => (
                StatusCode::FORBIDDEN,
                "Your form has expired",
                vec!["For your security, the form could not be sent. Go back, reload the page and try again."],
            ),
            WebError::LinkExpired => (
                StatusCode::NOT_FOUND,
                "This link has expired",
                vec!["Links to reset a password work once, for 1 hour. Ask for a new one from the sign-in page."],
            ),
            WebError::Internal(detail) => {
                tracing::error!(%detail, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Sorry, there is a problem with the service",
                    vec!["Try again later. Nothing you entered has been lost if you go back."],
                )
            }
        };
        // Error pages carry no personal data, so the plain layout is enough.
        let page = ErrorPage {
            layout: Layout::signed_out("Pathways"),
            heading,
            paragraphs,
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, heading).into_response(),
        }
    }
}

pub async fn not_found(State(_): State<AppState>) -> WebError {
    WebError::NotFound
}
