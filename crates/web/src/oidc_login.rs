//! Logging in through an OpenID provider: staff at the municipality's provider, citizens at
//! the MitID broker (`indsats_app::oidc` has the protocol and the reasons for two providers).
//! Both start from a link on the login page and come back to their own callback URL, which is
//! the redirect URL registered at that provider.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use indsats_app::oidc::{self, Audience, Callback, OidcError};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;

use crate::context::RequestContext;
use crate::cookies;
use crate::error::AppError;
use crate::login::LoginPage;
use crate::pages::render_with_status;
use crate::state::AppState;

/// The path segment of each provider's login, in the order of [`audience`]'s table.
const SEGMENTS: [(Audience, &str); 2] = [(Audience::Staff, "medarbejder"), (Audience::Citizen, "borger")];

/// The path segment of each provider's login.
fn segment(audience: Audience) -> &'static str {
    SEGMENTS.iter().find(|(a, _)| *a == audience).map_or("", |(_, s)| s)
}

fn audience(segment: &str) -> Option<Audience> {
    SEGMENTS.iter().find(|(_, s)| *s == segment).map(|(a, _)| *a)
}

/// Where the login page's link starts a login at `audience`'s provider.
pub fn start_url(audience: Audience) -> String {
    format!("/login/oidc/{}", segment(audience))
}

/// Starting and completing OpenID logins: open to anyone, so no action is checked.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().route("/login/oidc/{provider}", get(start)).route("/login/oidc/{provider}/svar", get(callback))
}

/// Sends the browser to the provider, keeping the state in a cookie.
async fn start(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(provider): Path<String>,
) -> Result<Response, AppError> {
    let audience = audience(&provider).ok_or(AppError::NotFound)?;
    match oidc::begin(&*state.store, &state.oidc, audience, indsats_store::unix_now()).await {
        Ok(started) => {
            let mut response = Redirect::to(&started.authorize_url).into_response();
            cookies::append(&mut response, &cookies::oidc_state(&started.state, state.config.secure_cookies));
            Ok(response)
        }
        Err(err) => refused(&state, &ctx, &err),
    }
}

/// What the provider sends back in the query.
#[derive(Debug, Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// Completes the login: a session and the front page (the citizen's own page for a citizen),
/// or the login page with a Danish message saying what to do.
async fn callback(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(provider): Path<String>,
    Query(query): Query<CallbackQuery>,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    let audience = audience(&provider).ok_or(AppError::NotFound)?;
    let callback = Callback {
        code: query.code,
        state: query.state,
        cookie_state: cookies::parse(&headers).remove(cookies::OIDC_STATE_COOKIE),
        error: query.error,
    };
    let now = indsats_store::unix_now();
    let result = match audience {
        Audience::Staff => oidc::finish_staff(&*state.store, &state.oidc, &callback, now).await,
        Audience::Citizen => oidc::finish_citizen(&*state.store, &state.vault, &state.oidc, &callback, now).await,
    };
    let mut response = match result {
        Ok(logged_in) => {
            tracing::info!(user_id = logged_in.user.id.0, provider = audience.code(), "login through OpenID provider");
            let mut response = Redirect::to(crate::pages::HOME).into_response();
            cookies::append(&mut response, &cookies::session(&logged_in.session_secret, state.config.secure_cookies));
            response
        }
        Err(err) => refused(&state, &ctx, &err)?,
    };
    cookies::append(&mut response, &cookies::oidc_state_removal(state.config.secure_cookies));
    Ok(response)
}

/// The login page with the reason a login through a provider did not go through. The error's
/// own text names no claim value; only our failures are logged, as warnings.
fn refused(state: &AppState, ctx: &RequestContext, err: &OidcError) -> Result<Response, AppError> {
    let (status, key) = match err {
        OidcError::NotConfigured => (StatusCode::NOT_FOUND, "login-oidc-not-configured"),
        OidcError::BadState => (StatusCode::BAD_REQUEST, "login-oidc-bad-state"),
        OidcError::Refused(_) => (StatusCode::UNAUTHORIZED, "login-oidc-refused"),
        OidcError::UnknownStaff => (StatusCode::FORBIDDEN, "login-oidc-unknown-staff"),
        OidcError::UnknownCitizen => (StatusCode::FORBIDDEN, "login-oidc-unknown-citizen"),
        OidcError::MissingClaim(_) | OidcError::Provider(_) => {
            tracing::warn!(error = %err, "login through OpenID provider failed");
            (StatusCode::BAD_GATEWAY, "login-oidc-failed")
        }
        OidcError::Store(_) => return Err(AppError::internal(err)),
    };
    render_with_status(status, &LoginPage::with_error(state, ctx, ctx.locale.t(key)))
}
