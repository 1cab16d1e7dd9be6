//! Error pages: the outermost middleware turns a response tagged with an [`ErrorPage`] (or a
//! bare client error from axum itself) into an HTML page in the user's language, or the JSON
//! error body under `/api/`, with the request id.

use askama::Template;
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use crate::context::RequestContext;
use crate::error::{ApiError, ApiErrorBody, ErrorPage};
use crate::i18n::Locale;
use crate::login;
use crate::pages::{Layout, action_key, field_label, render_with_status, role_key};
use crate::state::AppState;

/// Renders the error a handler (or the context middleware) returned.
pub async fn middleware(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    let page = match response.extensions().get::<ErrorPage>() {
        Some(page) => page.clone(),
        // Errors produced by axum itself (unknown method, body too large, bad extractor input).
        None if status.is_client_error() && !has_body_type(&response) => generic_page(status),
        None => return response,
    };
    let Some(ctx) = response.extensions().get::<RequestContext>().cloned() else {
        // Only routes outside the context middleware (probes, static files) get here, and they
        // do not fail with pages.
        return response;
    };
    if status == StatusCode::UNAUTHORIZED && !is_api {
        let mut redirect = Redirect::to(login::LOGIN).into_response();
        // Carry a cookie set by the handler, if any (e.g. a logout that found no session).
        if let Some(cookie) = response.headers().get(SET_COOKIE) {
            redirect.headers_mut().append(SET_COOKIE, cookie.clone());
        }
        return redirect;
    }
    let mut rendered = if is_api { error_json(&ctx, status, &page) } else { error_page(&state, &ctx, status, &page) };
    for cookie in response.headers().get_all(SET_COOKIE) {
        rendered.headers_mut().append(SET_COOKIE, cookie.clone());
    }
    rendered
}

fn has_body_type(response: &Response) -> bool {
    response.headers().get(CONTENT_TYPE).is_some_and(|v| v != HeaderValue::from_static("text/plain; charset=utf-8"))
}

fn generic_page(status: StatusCode) -> ErrorPage {
    let (code, key) = match status {
        StatusCode::NOT_FOUND => ("not_found", "404"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "405"),
        StatusCode::PAYLOAD_TOO_LARGE => ("too_large", "413"),
        StatusCode::UNAUTHORIZED => ("unauthorized", "401"),
        _ => ("invalid_input", "400"),
    };
    ErrorPage { code, key, action: None, field: None }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    layout: Layout,
    body: String,
    detail: Option<String>,
    request_id: String,
}

/// The HTML error page for a tagged error.
fn error_page(state: &AppState, ctx: &RequestContext, status: StatusCode, page: &ErrorPage) -> Response {
    let locale = ctx.locale;
    let title = locale.t(&format!("error-title-{}", page.key));
    let body = match (page.key, ctx.user.as_ref(), page.action) {
        ("403", Some(user), Some(action)) => locale.t_args(
            "error-body-403",
            &[("role", &locale.t(role_key(user.role))), ("action", &locale.t(action_key(action)))],
        ),
        ("400", _, _) if page.field.is_some() => locale.t("form-has-errors"),
        ("429", _, _) => locale.t_args("login-rate-limited", &[("minutes", "15")]),
        (key, _, _) => locale.t(&format!("error-body-{key}")),
    };
    let detail = page.field.as_ref().map(|(field, problem)| field_message(locale, field, problem.as_deref()));
    let template = ErrorTemplate {
        layout: Layout::new(state, ctx, title, None),
        body,
        detail,
        request_id: ctx.request_id.clone(),
    };
    let mut response = render_with_status(status, &template).unwrap_or_else(|_| status.into_response());
    *response.status_mut() = status;
    response
}

/// The JSON error body of the API: a stable code, a message in the user's language, the field.
fn error_json(ctx: &RequestContext, status: StatusCode, page: &ErrorPage) -> Response {
    let locale = ctx.locale;
    let message = match (&page.field, page.action) {
        (Some((field, problem)), _) => field_message(locale, field, problem.as_deref()),
        (None, Some(action)) => locale.t_args("error-api-403", &[("action", &locale.t(action_key(action)))]),
        (None, None) => locale.t(&format!("error-body-{}", page.key)),
    };
    let body = ApiError {
        error: ApiErrorBody {
            code: page.code.to_owned(),
            message,
            field: page.field.as_ref().map(|(f, _)| f.clone()),
            request_id: ctx.request_id.clone(),
        },
    };
    let json = serde_json::to_string(&body).unwrap_or_default();
    (status, [(CONTENT_TYPE, "application/json"), (CACHE_CONTROL, "no-store")], json).into_response()
}

/// "The field «Rolle» is invalid: ..." with the generic problem when none is known.
fn field_message(locale: Locale, field: &str, problem: Option<&str>) -> String {
    let generic = locale.t("error-field-invalid");
    locale.t_args(
        "error-field-problem",
        &[("field", &field_label(locale, field)), ("problem", problem.unwrap_or(&generic))],
    )
}
