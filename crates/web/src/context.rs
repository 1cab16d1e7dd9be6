//! The per-request context: who is asking, in which language, with which CSRF
//! token. One middleware builds it for every request and enforces CSRF on every
//! state-changing request; it leaves the context on the response too, so that
//! `error_pages` can render an error in the user's language.

use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use indsats_app::accounts::{new_secret, secret_hash};
use indsats_domain::Action;
use indsats_store::User;

use crate::cookies;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::state::AppState;

/// The largest request body read, a plan file upload included: the router's body limit, and the
/// CSRF check reads form bodies up to the same size, so a body the handler would take is never
/// refused earlier by the check.
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;
/// The header htmx and API clients send the CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The form field plain HTML forms send the CSRF token in.
pub const CSRF_FIELD: &str = "csrf_token";

/// Who is asking, and how to answer them.
#[derive(Debug, Clone)]
pub struct RequestContext {
    /// The UI language.
    pub locale: Locale,
    /// The logged-in user, if any.
    pub user: Option<User>,
    /// The CSRF token forms on this page must carry.
    pub csrf_token: String,
    /// Whether the user came with an API token (no cookies, no CSRF).
    pub via_api_token: bool,
    /// The request id, shown on error pages and written in every log line.
    pub request_id: String,
    /// The client's address, for the login rate limit.
    pub address: String,
    /// The path and query of a `GET` request, so the language switch returns to the same page
    /// with its query; `None` for a form post, whose URL cannot be fetched again.
    pub page: Option<String>,
}

impl RequestContext {
    /// The logged-in user, or a "log in first" error.
    pub fn user(&self) -> Result<&User, AppError> {
        self.user.as_ref().ok_or(AppError::NotLoggedIn)
    }

    /// The logged-in user if their role may take `action`, else a 403 that names the action.
    pub fn require(&self, action: Action) -> Result<&User, AppError> {
        let user = self.user()?;
        if action.allows(user.role) { Ok(user) } else { Err(AppError::Forbidden(action)) }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestContext {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<RequestContext>()
            .cloned()
            .ok_or_else(|| AppError::internal("request context middleware is not installed"))
    }
}

/// Builds the context, checks CSRF and runs the handler; the context rides on the response.
pub async fn middleware(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (ctx, new_anonymous_token, request) = match build(&state, request).await {
        Ok(built) => built,
        Err((err, ctx)) => {
            let mut response = err.into_response();
            response.extensions_mut().insert(ctx);
            return response;
        }
    };
    let mut response = next.run(request).await;
    if let Some(token) = new_anonymous_token {
        cookies::append(&mut response, &cookies::csrf(&token, state.config.secure_cookies));
    }
    response.extensions_mut().insert(ctx);
    response
}

type Built = (RequestContext, Option<String>, Request);

async fn build(state: &AppState, request: Request) -> Result<Built, (AppError, RequestContext)> {
    let headers = request.headers();
    let jar = cookies::parse(headers);
    let request_id = headers.get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-").to_owned();
    let locale = jar.get(Locale::COOKIE).map_or(Locale::Da, |v| Locale::from_tag(v));
    let address = crate::security::client_address(&request, &state.config.trusted_proxies);
    let anonymous = jar.get(cookies::CSRF_COOKIE).filter(|t| t.len() >= 32).cloned();
    let page =
        (request.method() == Method::GET).then(|| request.uri().path_and_query().map(ToString::to_string)).flatten();
    let mut ctx = RequestContext {
        locale,
        user: None,
        csrf_token: anonymous.clone().unwrap_or_default(),
        via_api_token: false,
        request_id,
        address,
        page,
    };
    let mut new_anonymous_token = None;

    if let Some(bearer) = bearer_token(headers) {
        match state.store.user_by_api_token(&secret_hash(bearer)).await {
            Ok(Some(user)) => {
                ctx.user = Some(user);
                ctx.via_api_token = true;
            }
            Ok(None) => return Err((AppError::NotLoggedIn, ctx)),
            Err(err) => return Err((err.into(), ctx)),
        }
    } else if let Some(secret) = jar.get(cookies::SESSION_COOKIE) {
        match state.store.session_by_token_hash(&secret_hash(secret), indsats_store::unix_now()).await {
            Ok(Some(session)) => {
                ctx.user = Some(session.user);
                ctx.csrf_token = session.csrf_token;
            }
            Ok(None) => {}
            Err(err) => return Err((err.into(), ctx)),
        }
    }
    if ctx.user.is_none() && anonymous.is_none() {
        let token = new_secret();
        ctx.csrf_token.clone_from(&token);
        new_anonymous_token = Some(token);
    }

    let request = if is_state_changing(request.method()) && !ctx.via_api_token {
        match check_csrf(request, &ctx.csrf_token, new_anonymous_token.is_some()).await {
            Ok(request) => request,
            Err(err) => return Err((err, ctx)),
        }
    } else {
        request
    };
    let mut request = request;
    request.extensions_mut().insert(ctx.clone());
    Ok((ctx, new_anonymous_token, request))
}

fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    headers.get(AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}

/// Accepts the request only if it carries the expected token, in the header or
/// as a form field. The form body is read and handed on unchanged.
async fn check_csrf(request: Request, expected: &str, token_is_new: bool) -> Result<Request, AppError> {
    // A token minted for this very request cannot have been put in a form yet.
    if expected.is_empty() || token_is_new {
        return Err(AppError::Csrf);
    }
    if let Some(sent) = request.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return if constant_time_eq(sent, expected) { Ok(request) } else { Err(AppError::Csrf) };
    }
    let content_type = request.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    // File uploads (a plan file) come as multipart forms with the token as an ordinary field.
    let is_multipart = content_type.starts_with("multipart/form-data");
    if !is_form && !is_multipart {
        return Err(AppError::Csrf);
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, BODY_LIMIT).await.map_err(|_| AppError::TooLarge)?;
    let sent = if is_form {
        let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
        fields.into_iter().find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v)
    } else {
        multipart_field(&content_type, bytes.clone(), CSRF_FIELD).await
    };
    match sent {
        Some(sent) if constant_time_eq(&sent, expected) => Ok(Request::from_parts(parts, Body::from(bytes))),
        _ => Err(AppError::Csrf),
    }
}

/// The text of the first field called `name` in a multipart body, if it can be read.
async fn multipart_field(content_type: &str, bytes: axum::body::Bytes, name: &str) -> Option<String> {
    use axum::extract::{FromRequest, Multipart};
    let request = Request::builder().header(CONTENT_TYPE, content_type).body(Body::from(bytes)).ok()?;
    let mut multipart = Multipart::from_request(request, &()).await.ok()?;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some(name) {
            return field.text().await.ok();
        }
    }
    None
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
