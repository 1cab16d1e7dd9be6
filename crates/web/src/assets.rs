//! Static files compiled into the binary: no JavaScript build step, nothing to install.

use axum::Router;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;
use axum::routing::get;

use crate::state::AppState;

/// Where the layout links them; the htmx file name carries its version.
pub const HTMX_URL: &str = "/static/htmx-2.0.11.min.js";
/// The style sheet's address.
pub const CSS_URL: &str = "/static/indsats.css";
/// The favicon, which the layout links; `/favicon.ico` answers with it too, for browsers that
/// ask there before reading the page.
pub const FAVICON_URL: &str = "/static/favicon.svg";

/// The static files, outside the session middleware.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(HTMX_URL, get(htmx))
        .route(CSS_URL, get(css))
        .route(FAVICON_URL, get(favicon))
        .route("/favicon.ico", get(favicon))
}

const HTMX: &str = include_str!("../static/htmx-2.0.11.min.js");
const CSS: &str = include_str!("../static/indsats.css");
const FAVICON: &str = include_str!("../static/favicon.svg");

/// htmx, vendored. Its file name carries the version, so it can be cached for long.
pub async fn htmx() -> impl IntoResponse {
    ([(CONTENT_TYPE, "text/javascript; charset=utf-8"), (CACHE_CONTROL, "public, max-age=31536000, immutable")], HTMX)
}

/// The style sheet.
pub async fn css() -> impl IntoResponse {
    ([(CONTENT_TYPE, "text/css; charset=utf-8"), (CACHE_CONTROL, "public, max-age=3600")], CSS)
}

/// The favicon: a small SVG in the header's colour.
pub async fn favicon() -> impl IntoResponse {
    ([(CONTENT_TYPE, "image/svg+xml"), (CACHE_CONTROL, "public, max-age=86400")], FAVICON)
}
