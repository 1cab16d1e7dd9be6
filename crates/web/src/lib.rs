//! HTTP for indsats: each area's router, pages, sessions, authorisation and the JSON API.
//!
//! Every area module exports one `router()` that carries its routes, the one action each
//! handler authorises and the OpenAPI description of its API routes; this file only merges
//! them and wraps them in the layers every request passes. Handlers are thin: they take the
//! [`context::RequestContext`] (who is asking, checked by one middleware), authorise one
//! [`indsats_domain::Action`], call one `indsats_app` use case, and render a template.

pub mod api;
pub mod context;
pub mod cookies;
pub mod error;
pub mod pages;
pub mod state;

mod admin;
mod areas;
mod assets;
mod audit_search;
mod citizen_plan;
mod citizens;
mod decisions;
mod error_pages;
mod exemptions;
mod export;
mod forms;
mod health;
mod heavy;
mod login;
mod min_side;
mod oidc_login;
mod overview;
mod plans;
mod prose;
mod reports;
mod rule_calculator;
mod rule_files;
mod security;

/// The message catalogues, in their own crate so the CLI reads the same; `crate::i18n::Locale`
/// as before.
pub use indsats_i18n as i18n;

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Request, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;

use crate::error::AppError;
pub use crate::state::{AppState, WebConfig};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Every area's routes with the API's description. The catch-all "not built yet" area page
/// comes last in reading order only; axum prefers the fixed paths regardless.
fn areas() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(api::base_document())
        .merge(login::router())
        .merge(overview::router())
        .merge(plans::router())
        .merge(reports::router())
        .merge(citizens::router())
        .merge(rule_calculator::router())
        .merge(export::router())
        .merge(admin::router())
        .merge(api::router())
        .merge(areas::router())
        .merge(citizen_plan::router())
        .merge(decisions::router())
        .merge(min_side::router())
        .merge(oidc_login::router())
        .merge(exemptions::router())
        .merge(rule_files::router())
        .merge(audit_search::router())
}

/// The OpenAPI document of the JSON API as pretty JSON, as served and as committed in `openapi.json`.
pub fn openapi_json() -> String {
    areas().into_openapi().to_pretty_json().unwrap_or_default()
}

/// The whole application as one router.
pub fn router(state: AppState) -> Router {
    let (routes, _) = areas().split_for_parts();
    let app = routes
        .fallback(|| async { AppError::NotFound })
        .layer(CatchPanicLayer::custom(|_| AppError::internal("a handler panicked").into_response()))
        .layer(middleware::from_fn_with_state(state.clone(), context::middleware))
        .layer(middleware::from_fn_with_state(state.clone(), error_pages::middleware))
        .layer(DefaultBodyLimit::max(context::BODY_LIMIT))
        .with_state(state.clone());

    app.merge(health::router().merge(assets::router()).with_state(state.clone())).layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                let id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
                // The path only: by design no personal data is ever in a path, and the query is not logged.
                tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
            }))
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::SERVICE_UNAVAILABLE, Duration::from_mins(1)))
            .layer(middleware::from_fn_with_state(state, security::hsts))
            .layer(header_layer(header::CONTENT_SECURITY_POLICY, security::CSP))
            // Pages, JSON and downloads hold personal or unpublished figures: no cache may keep
            // them. Static files say otherwise themselves.
            .layer(header_layer(header::CACHE_CONTROL, "no-store"))
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
