//! The Pathways web app: server-rendered GOV.UK Design System pages for staff.
//! Sessions, CSRF and security headers live here; rules and SQL do not.

mod assets;
mod components;
mod error;
mod forms;
mod layout;
mod pages;
mod pdf;
mod security;
mod session;

use axum::Router;
use pathways_app::clock::Clock;
use pathways_domain::legal::LegalRules;
use pathways_store::Store;
use std::sync::Arc;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

pub use error::WebError;

/// Settings the web app needs at run time.
#[derive(Debug, Clone)]
pub struct WebSettings {
    pub council_name: String,
    /// Mark cookies `Secure` (always, except plain-HTTP demos on a network).
    pub secure_cookies: bool,
    /// Sessions end after this long without a request.
    pub idle_timeout: jiff::SignedDuration,
    pub sign_in_limits: pathways_app::auth::SignInLimits,
    /// Where people reach this Pathways, for links in emails.
    pub public_url: String,
    /// Outgoing email; without it, "forgotten your password?" says to ask an administrator.
    pub mailer: Option<pathways_app::mail::Mailer>,
}

impl Default for WebSettings {
    fn default() -> Self {
        WebSettings {
            council_name: "Pathways".into(),
            secure_cookies: true,
            idle_timeout: pathways_app::auth::DEFAULT_IDLE_TIMEOUT,
            sign_in_limits: pathways_app::auth::SignInLimits::default(),
            public_url: "http://127.0.0.1:8080".into(),
            mailer: None,
        }
    }
}

/// Everything a request handler may use.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub rules: Arc<LegalRules>,
    pub compliance: Arc<pathways_domain::compliance::ComplianceRules>,
    /// Team overdue counts, kept briefly; cleared by every change that can alter them.
    pub overdue_counts: Arc<pathways_app::compliance::OverdueCounts>,
    /// Entitlement limits, the approval threshold and the Staying Close duty date.
    pub money: Arc<pathways_domain::support::MoneyRules>,
    pub settings: Arc<WebSettings>,
}

/// The whole app: pages, assets and health check, with security headers and
/// request ids on every response.
pub fn router(state: AppState) -> Router {
    let x_request_id = axum::http::HeaderName::from_static("x-request-id");
    Router::new()
        // Room for a photo; forms are held to axum's smaller default by their extractors.
        .merge(pages::router().layer(tower_http::limit::RequestBodyLimitLayer::new(
            pathways_app::photos::MAX_UPLOAD_BYTES + 64 * 1024,
        )))
        // A statutory return: larger, on its one route, with its own limit and message.
        .merge(pages::large_upload_router())
        .merge(assets::router())
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn(security::headers))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
                let id = request
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                // The path only: query strings may carry search terms (personal data).
                tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
            }),
        )
        .layer(PropagateRequestIdLayer::new(x_request_id.clone()))
        .layer(SetRequestIdLayer::new(x_request_id, MakeRequestUuid))
        .layer(axum::middleware::from_fn_with_state(state.clone(), forget_overdue_counts))
        .with_state(state)
}

/// Any change saved (a form posted and answered with a redirect) may alter what is
/// overdue, so the team counts kept for a minute are dropped.
async fn forget_overdue_counts(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let posted = request.method() == axum::http::Method::POST;
    let response = next.run(request).await;
    if posted && response.status().is_redirection() {
        state.overdue_counts.clear();
    }
    response
}

/// Serves the app until Ctrl-C or SIGTERM.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
