//! HTTP for indsats: the router, pages, sessions, authorisation and the JSON API.
//!
//! Handlers are thin: they take the [`context::RequestContext`] (who is asking,
//! checked by one middleware), call one function, and render a template.

pub mod accounts;
pub mod api;
pub mod context;
pub mod cookies;
pub mod error;
pub mod figures;
pub mod pages;

mod admin;
mod areas;
mod assets;
mod forms;
mod health;
mod login;
mod overview;
pub mod plans;
mod reports;

/// The message catalogues, in their own crate so the CLI reads the same; `crate::i18n::Locale`
/// as before.
pub use indsats_i18n as i18n;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Request, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use indsats_register::series::SeriesIndex;
use indsats_store::{Site, Store};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::error::AppError;

/// How the web layer behaves; the CLI fills it from flags, environment and `indsats.toml`.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Set the `Secure` flag on cookies (on unless serving plain HTTP on loopback).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted load balancer).
    pub trust_forwarded_for: bool,
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The operational database.
    pub store: Arc<dyn Store>,
    /// Web settings.
    pub config: Arc<WebConfig>,
    /// The municipality this installation serves, read at start (none before set-up).
    pub site: Arc<Option<Site>>,
    /// The indicator panel computed from the register data at start (none without data).
    pub indicators: Arc<Option<SeriesIndex>>,
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The content security policy: only our own scripts and styles, no framing.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The whole application as one router.
pub fn router(state: AppState) -> Router {
    let pages = Router::new()
        .route("/", get(areas::home))
        .route("/login", get(login::show).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/sprog", post(login::switch_language))
        .route("/overblik", get(overview::show))
        .route("/plan", get(plans::list).post(plans::upload))
        .route("/plan/{plan}", get(plans::show))
        .route("/plan/{plan}/maal/{goal}", get(plans::goal))
        .route("/plan/{plan}/maal/{goal}/kommentar", post(plans::set_comment))
        .route("/plan/{plan}/handlinger/{action}", post(plans::set_action))
        .route("/plan/{plan}/{file}", get(plans::report))
        .route("/rapporter", get(reports::list))
        .route("/administration", get(admin::show))
        .route("/administration/brugere", post(admin::add_user))
        .route("/administration/brugere/status", post(admin::set_status))
        .route("/administration/noegler", post(admin::add_token))
        .route("/administration/noegler/tilbagekald", post(admin::revoke_token))
        .route("/{area}", get(areas::page));
    let api = Router::new()
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/api/v1/me", get(api::me))
        .route("/api/v1/indicators", get(overview::series_json))
        .route("/api/v1/users", get(api::list_users).post(api::create_user));
    let probes = Router::new()
        .route("/healthz", get(health::live))
        .route("/readyz", get(health::ready))
        .route("/static/htmx-2.0.11.min.js", get(assets::htmx))
        .route("/static/indsats.css", get(assets::css));

    let app = pages
        .merge(api)
        .fallback(|| async { AppError::NotFound })
        .layer(CatchPanicLayer::custom(|_| AppError::internal("a handler panicked").into_response()))
        .layer(middleware::from_fn_with_state(state.clone(), context::middleware))
        .layer(DefaultBodyLimit::max(2 * 1024 * 1024))
        .with_state(state.clone());

    app.merge(probes.with_state(state)).layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                let id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
                // The path only: by design no personal data is ever in a path, and the query is not logged.
                tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
            }))
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::SERVICE_UNAVAILABLE, Duration::from_mins(1)))
            .layer(header_layer(header::CONTENT_SECURITY_POLICY, CSP))
            .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .layer(header_layer(header::X_FRAME_OPTIONS, "DENY"))
            .layer(header_layer(header::REFERRER_POLICY, "same-origin")),
    )
}

fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// For tests and tools: a response's body as text.
pub async fn body_text(response: Response) -> String {
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}
