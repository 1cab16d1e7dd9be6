//! Form and JSON extractors whose rejections name the field, in the error
//! format of [`AppError`], instead of axum's plain-text defaults.

use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// Like `axum::Form`, but a malformed body becomes a 400/422 naming the field.
#[derive(Debug)]
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(value)) => Ok(Form(value)),
            Err(rejection) => Err(form_error(&rejection)),
        }
    }
}

fn form_error(rejection: &FormRejection) -> AppError {
    let text = rejection.body_text();
    tracing::info!(detail = %problem_in(&text), "unreadable form");
    AppError::BadRequest { status: StatusCode::UNPROCESSABLE_ENTITY, field: field_in(&text), problem: None }
}

/// Like `axum::Json`, but a malformed body becomes a 400 (syntax) or 422 (content) naming the field.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Json(value)),
            Err(rejection) => {
                let status = match &rejection {
                    JsonRejection::JsonDataError(_) => StatusCode::UNPROCESSABLE_ENTITY,
                    _ => StatusCode::BAD_REQUEST,
                };
                let text = rejection.body_text();
                // A syntax error has a position, not a field.
                let field = if status == StatusCode::UNPROCESSABLE_ENTITY { field_in(&text) } else { None };
                tracing::info!(detail = %problem_in(&text), "unreadable JSON");
                Err(AppError::BadRequest { status, field, problem: None })
            }
        }
    }
}

/// Finds the field name in serde's messages as axum wraps them: "missing field `x`",
/// or a path "x: ..." as `serde_path_to_error` writes it. axum's own prefix ends at the
/// first ": ".
fn field_in(text: &str) -> Option<String> {
    let detail = text.split_once(": ").map_or(text, |(_, rest)| rest);
    if let Some(rest) = detail.split("field `").nth(1) {
        return rest.split('`').next().map(str::to_owned);
    }
    let (path, _) = detail.split_once(": ")?;
    (!path.is_empty() && path.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']')))
        .then(|| path.to_owned())
}

/// The last clause of serde's message, for the log: what was wrong, without the value.
fn problem_in(text: &str) -> String {
    let last = text.rsplit(": ").next().unwrap_or(text);
    // serde quotes the offending value in messages like `invalid type: string "x"`;
    // the value may be personal data, so keep only the part before it.
    last.split(['"', '`']).next().unwrap_or(last).trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_missing_field_names() {
        assert_eq!(field_in("Failed to deserialize form body: missing field `username`"), Some("username".into()));
    }

    #[test]
    fn finds_json_paths() {
        let text = "Failed to deserialize the JSON body into the target type: role: unknown variant `boss`, expected one of `a`";
        assert_eq!(field_in(text), Some("role".into()));
        assert_eq!(problem_in(text), "unknown variant");
    }

    #[test]
    fn messages_without_a_field_name_none() {
        assert_eq!(field_in("Failed to parse the request body as JSON: key must be a string at line 1 column 2"), None);
    }

    #[test]
    fn problem_never_echoes_the_submitted_value() {
        let text = "Failed to deserialize: cpr: invalid type: string \"010203-1234\", expected u64";
        assert!(!problem_in(text).contains("010203"));
    }
}
