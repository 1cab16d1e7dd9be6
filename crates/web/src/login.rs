//! Logging in and out, and the language switch.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use indsats_app::accounts::{self, AccountError};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;

use crate::context::RequestContext;
use crate::cookies;
use crate::error::AppError;
use crate::forms::Form;
use crate::pages::{Layout, render, render_with_status};
use crate::state::AppState;

/// The login form.
pub const LOGIN: &str = "/login";
/// Where the header's logout button posts.
pub const LOGOUT: &str = "/logout";
/// Where the footer's language switch posts.
pub const LANGUAGE: &str = "/sprog";

/// Logging in and out and the language switch: open to anyone, so no action is checked.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route(LOGIN, get(show).post(submit))
        .route(LOGOUT, post(logout))
        .route(LANGUAGE, post(switch_language))
}

#[derive(Template)]
#[template(path = "login.html")]
pub(crate) struct LoginPage {
    layout: Layout,
    username: String,
    message: Option<String>,
    error: Option<String>,
    /// Which OpenID logins to offer (`crate::oidc_login`): staff, citizens.
    oidc: (bool, bool),
}

impl LoginPage {
    /// The login form with a message at the top, as an OpenID login that failed shows it.
    pub(crate) fn with_error(state: &AppState, ctx: &RequestContext, error: String) -> Self {
        let layout = Layout::new(state, ctx, ctx.locale.t("login-title"), None);
        LoginPage { layout, username: String::new(), message: None, error: Some(error), oidc: oidc_offered(state) }
    }
}

fn oidc_offered(state: &AppState) -> (bool, bool) {
    (state.oidc.staff.is_some(), state.oidc.citizen.is_some())
}

/// The login form (or the front page, for someone already logged in), with the receipt of a
/// logout that redirected here.
pub async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    if ctx.user.is_some() {
        return Ok(Redirect::to(crate::pages::HOME).into_response());
    }
    let flash = cookies::Flash::take(&headers);
    let layout = Layout::new(&state, &ctx, ctx.locale.t("login-title"), None);
    let response = render(&LoginPage {
        layout,
        username: String::new(),
        message: flash.message(),
        error: None,
        oidc: oidc_offered(&state),
    })?;
    Ok(flash.shown(response, state.config.secure_cookies))
}

/// The fields of the login form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

/// Checks the credentials; on success sets the session cookie and goes to the front page.
pub async fn submit(
    State(state): State<AppState>,
    ctx: RequestContext,
    headers: axum::http::HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let locale = ctx.locale;
    let failure = |status, message: String| {
        let layout = Layout::new(&state, &ctx, locale.t("login-title"), None);
        render_with_status(
            status,
            &LoginPage {
                layout,
                username: form.username.trim().to_owned(),
                message: None,
                error: Some(message),
                oidc: oidc_offered(&state),
            },
        )
    };
    if form.username.trim().is_empty() || form.password.is_empty() {
        return failure(axum::http::StatusCode::UNPROCESSABLE_ENTITY, locale.t("login-missing"));
    }
    match accounts::login(&*state.store, &form.username, &form.password, &ctx.address, indsats_store::unix_now()).await
    {
        Ok(logged_in) => {
            tracing::info!(user_id = logged_in.user.id.0, "login");
            // A login always gets a new session id; one the browser still held (another user's,
            // or one planted in it) is ended, not left alive beside the new one.
            let previous = cookies::parse(&headers).remove(cookies::SESSION_COOKIE);
            accounts::logout(&*state.store, previous.as_deref()).await?;
            let mut response = Redirect::to(crate::pages::HOME).into_response();
            cookies::append(&mut response, &cookies::session(&logged_in.session_secret, state.config.secure_cookies));
            Ok(response)
        }
        Err(AccountError::BadCredentials) => failure(axum::http::StatusCode::UNAUTHORIZED, locale.t("login-failed")),
        Err(AccountError::RateLimited) => failure(
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            locale.t_args("login-rate-limited", &[("minutes", "15")]),
        ),
        Err(AccountError::Store(err)) => Err(err.into()),
        Err(other) => Err(AppError::internal(other)),
    }
}

/// Ends the session and goes to the login page with a receipt (Post/Redirect/Get, so a reload
/// of that page sends nothing again).
pub async fn logout(
    State(state): State<AppState>,
    ctx: RequestContext,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    let jar = cookies::parse(&headers);
    let secret = jar.get(cookies::SESSION_COOKIE).map(String::as_str);
    accounts::logout(&*state.store, secret).await?;
    let mut response = Redirect::to(LOGIN).into_response();
    cookies::append(&mut response, &cookies::session_removal(state.config.secure_cookies));
    cookies::append(&mut response, &cookies::flash(&ctx.locale.t("logged-out"), state.config.secure_cookies));
    Ok(response)
}

/// The language-switch form.
#[derive(Debug, Deserialize)]
pub struct LanguageForm {
    lang: String,
    #[serde(default)]
    back: String,
}

/// Stores the language choice and returns to the page the user came from.
pub async fn switch_language(State(state): State<AppState>, Form(form): Form<LanguageForm>) -> Response {
    let locale = crate::i18n::Locale::from_tag(&form.lang);
    let back = if is_local_path(&form.back) { form.back } else { crate::pages::HOME.into() };
    let mut response = Redirect::to(&back).into_response();
    cookies::append(&mut response, &cookies::locale(locale.tag(), state.config.secure_cookies));
    response
}

/// Whether `back` is a path on this site, so the language form cannot redirect elsewhere. Only
/// visible ASCII: browsers drop tabs and newlines from a URL (so "/\t/evil" would become
/// "//evil", another host) and a control character cannot go in a `Location` header at all;
/// our own pages' addresses are percent-encoded, so nothing else is ever needed.
fn is_local_path(back: &str) -> bool {
    back.starts_with('/') && !back.starts_with("//") && back.bytes().all(|b| b.is_ascii_graphic() && b != b'\\')
}
