//! Errors a handler can return, and how each is shown.
//!
//! Error policy: a handler returns [`AppError`]. The user's mistakes (bad input,
//! missing rights) carry a message key from the catalogue; our own failures are
//! logged with the request id and shown only as a generic page with that id.
//! [`AppError::into_response`] does not render anything itself: it tags the
//! response with an [`ErrorPage`], and the context middleware, which knows the
//! locale, the user and the request id, renders it as HTML or JSON.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use indsats_domain::Action;
use serde::Serialize;
use utoipa::ToSchema;

/// An error a handler returns.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No valid session or token.
    #[error("not logged in")]
    NotLoggedIn,
    /// The user's role does not allow the action.
    #[error("forbidden: {0:?}")]
    Forbidden(Action),
    /// A state-changing request without a valid CSRF token.
    #[error("missing or wrong CSRF token")]
    Csrf,
    /// Nothing here.
    #[error("not found")]
    NotFound,
    /// The request body or a field could not be read, or a value was refused.
    #[error("bad request: {field:?}: {problem:?}")]
    BadRequest {
        /// 400 for unreadable, 422 for readable but invalid, 409 for a conflict.
        status: StatusCode,
        /// The field, when known (its form or JSON name).
        field: Option<String>,
        /// What was wrong, already in the user's language; `None` for the generic
        /// "missing or invalid". Never contains the submitted value.
        problem: Option<String>,
    },
    /// The request body is larger than we read.
    #[error("request body too large")]
    TooLarge,
    /// The database cannot be reached.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Our fault; logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

/// Which error page to render; attached to the response as an extension.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    /// A stable code, also used in the JSON API.
    pub code: &'static str,
    /// The catalogue key suffix of the title and body (`error-title-{key}`).
    pub key: &'static str,
    /// For 403: the action that was refused.
    pub action: Option<Action>,
    /// For 400/422: the field and, when known, the problem in the user's language.
    pub field: Option<(String, Option<String>)>,
}

impl AppError {
    /// Wraps any error of ours.
    pub fn internal(err: impl std::fmt::Display) -> Self {
        AppError::Internal(err.to_string())
    }

    /// A 422 for a named field, with a message in the user's language.
    pub fn invalid(field: &str, problem: String) -> Self {
        AppError::BadRequest {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            field: Some(field.to_owned()),
            problem: Some(problem),
        }
    }
}

impl From<indsats_store::StoreError> for AppError {
    fn from(err: indsats_store::StoreError) -> Self {
        if err.is_unavailable() { AppError::Unavailable(err.to_string()) } else { AppError::Internal(err.to_string()) }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, page) = match self {
            AppError::NotLoggedIn => (StatusCode::UNAUTHORIZED, page("unauthorized", "401")),
            AppError::Forbidden(action) => {
                (StatusCode::FORBIDDEN, ErrorPage { action: Some(action), ..page("forbidden", "403") })
            }
            AppError::Csrf => (StatusCode::FORBIDDEN, page("csrf", "csrf")),
            AppError::NotFound => (StatusCode::NOT_FOUND, page("not_found", "404")),
            AppError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, page("too_large", "413")),
            AppError::BadRequest { status, field, problem } => {
                (status, ErrorPage { field: field.map(|f| (f, problem)), ..page("invalid_input", "400") })
            }
            AppError::Unavailable(detail) => {
                tracing::error!(%detail, "database unavailable");
                (StatusCode::SERVICE_UNAVAILABLE, page("unavailable", "503"))
            }
            AppError::Internal(detail) => {
                // Logged inside the request's span, so the line carries the request id.
                tracing::error!(%detail, "handler failed");
                (StatusCode::INTERNAL_SERVER_ERROR, page("internal", "500"))
            }
        };
        let mut response = status.into_response();
        response.extensions_mut().insert(page);
        response
    }
}

fn page(code: &'static str, key: &'static str) -> ErrorPage {
    ErrorPage { code, key, action: None, field: None }
}

impl From<indsats_app::plans::PlanError> for AppError {
    fn from(err: indsats_app::plans::PlanError) -> Self {
        use indsats_app::plans::PlanError;
        match err {
            PlanError::NotFound => AppError::NotFound,
            PlanError::Store(e) => e.into(),
            // The rest are the user's and are worded by the handler that knows the field.
            other => AppError::internal(other),
        }
    }
}

/// The body of every error response of the JSON API. The middleware that renders errors
/// serialises this type, and the OpenAPI document describes it, so the two cannot differ.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiError {
    /// The error.
    pub error: ApiErrorBody,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiErrorBody {
    /// A stable code: `unauthorized`, `forbidden`, `csrf`, `not_found`, `invalid_input`, `internal`, `unavailable`.
    pub code: String,
    /// A message for a person, in the user's language (Danish by default).
    pub message: String,
    /// The field at fault, for `invalid_input`.
    pub field: Option<String>,
    /// Quote this when reporting a problem.
    pub request_id: String,
}
