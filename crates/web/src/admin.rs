//! Administration: users, API tokens and the latest audit events.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use indsats_app::accounts::{self, AccountError};
use indsats_domain::{Action, Area, Role, format};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;

use crate::context::RequestContext;
use crate::cookies;
use crate::error::AppError;
use crate::export::{Cell, Table};
use crate::forms::Form;
use crate::pages::{Layout, render_with_status, role_key};
use crate::state::AppState;

/// Where the add-user form posts.
pub const ADD_USER: &str = "/administration/brugere";
/// Where the disable/enable buttons post.
pub const USER_STATUS: &str = "/administration/brugere/status";
/// Where the create-token form posts.
pub const ADD_TOKEN: &str = "/administration/noegler";
/// Where the revoke buttons post.
pub const REVOKE_TOKEN: &str = "/administration/noegler/tilbagekald";

/// The administration page and its forms.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .route(&crate::pages::area_url(Area::Admin), get(show))
        .route(ADD_USER, post(add_user))
        .route(USER_STATUS, get(ask_disable).post(set_status))
        .route(ADD_TOKEN, post(add_token))
        .route(REVOKE_TOKEN, get(ask_revoke).post(revoke_token))
}

/// A user as the admin table shows it.
#[derive(Debug)]
struct UserRow {
    username: String,
    display_name: String,
    role_label: String,
    created_at: i64,
    disabled: bool,
    is_self: bool,
    /// Whether the administrator may make an API token for this user (`Role::is_within`).
    token_allowed: bool,
}

/// The add-user form as submitted, with its errors by field.
#[derive(Debug, Default, Deserialize)]
pub struct UserForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default, skip_serializing)]
    password: String,
    #[serde(skip)]
    errors: Vec<(&'static str, String)>,
    /// A refused token purpose, kept in its field.
    #[serde(skip)]
    token_name: String,
}

/// The add-user form's fields in page order, with the id of each input.
const FIELDS: [(&str, &str); 4] = [
    ("username", "new-username"),
    ("display_name", "new-display-name"),
    ("role", "new-role"),
    ("password", "new-password"),
];

impl UserForm {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| *f == field).map(|(_, e)| e.as_str())
    }

    /// The id of the input a field's error links to.
    fn anchor(field: &str) -> &'static str {
        FIELDS.iter().find(|(f, _)| *f == field).map_or("token-name", |(_, id)| id)
    }
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    layout: Layout,
    message: Option<String>,
    new_token: Option<(String, String)>,
    users: Vec<UserRow>,
    roles: Vec<(&'static str, String)>,
    form: UserForm,
    tokens: Vec<indsats_store::ApiToken>,
    audit: Vec<indsats_store::AuditEntry>,
    backend: String,
}

struct Outcome {
    status: StatusCode,
    message: Option<String>,
    new_token: Option<(String, String)>,
    form: UserForm,
}

impl Default for Outcome {
    fn default() -> Self {
        Outcome {
            status: StatusCode::OK,
            message: None,
            new_token: None,
            form: UserForm { role: Role::Sagsbehandler.as_str().into(), ..UserForm::default() },
        }
    }
}

async fn page(state: &AppState, ctx: &RequestContext, outcome: Outcome) -> Result<Response, AppError> {
    let me = ctx.require(Action::ManageUsers)?;
    let locale = ctx.locale;
    let users = state
        .store
        .list_users()
        .await?
        .into_iter()
        .map(|u| UserRow {
            is_self: u.id == me.id,
            username: u.username.to_string(),
            display_name: u.display_name,
            role_label: locale.t(role_key(u.role)),
            created_at: u.created_at,
            disabled: u.disabled,
            token_allowed: u.role.is_within(me.role),
        })
        .collect();
    let template = AdminPage {
        layout: Layout::new(state, ctx, locale.t("admin-title"), Some(Area::Admin)),
        message: outcome.message,
        new_token: outcome.new_token,
        users,
        roles: Role::STAFF.into_iter().map(|r| (r.as_str(), locale.t(role_key(r)))).collect(),
        form: outcome.form,
        tokens: if Action::ManageApiTokens.allows(me.role) { state.store.list_api_tokens().await? } else { Vec::new() },
        audit: if Action::ViewAuditLog.allows(me.role) {
            indsats_app::audit::recent(&*state.store, 20).await?
        } else {
            Vec::new()
        },
        backend: state.store.backend().to_owned(),
    };
    render_with_status(outcome.status, &template)
}

/// The administration page's tables as a download: the users, and the API tokens and the latest
/// audit events for an administrator who may see them, as the page shows them.
pub(crate) async fn tables(state: &AppState, ctx: &RequestContext) -> Result<Vec<Table>, AppError> {
    let me = ctx.require(Action::ManageUsers)?;
    let t = |key: &str| ctx.locale.t(key);
    let when = |at: i64| format::datetime(at, &t("format-datetime"));
    let status = |disabled: bool| t(if disabled { "admin-user-disabled" } else { "admin-user-active" });
    let headers = |keys: &[&str]| keys.iter().map(|k| t(k)).collect::<Vec<_>>();
    let users = state.store.list_users().await?;
    let mut tables = vec![Table {
        title: t("admin-users"),
        headers: headers(&[
            "admin-user-username",
            "admin-user-name",
            "admin-user-role",
            "admin-user-created",
            "admin-user-status",
        ]),
        rows: users
            .into_iter()
            .map(|u| {
                vec![
                    Cell::Text(u.username.to_string()),
                    Cell::Text(u.display_name),
                    Cell::Text(t(role_key(u.role))),
                    Cell::Text(when(u.created_at)),
                    Cell::Text(status(u.disabled)),
                ]
            })
            .collect(),
    }];
    if Action::ManageApiTokens.allows(me.role) {
        let tokens = state.store.list_api_tokens().await?;
        tables.push(Table {
            title: t("admin-tokens"),
            headers: headers(&["admin-token-user", "admin-token-name", "admin-user-created", "admin-user-status"]),
            rows: tokens
                .into_iter()
                .map(|k| {
                    let status = t(if k.revoked { "admin-token-revoked" } else { "admin-user-active" });
                    vec![
                        Cell::Text(k.username.to_string()),
                        Cell::Text(k.name),
                        Cell::Text(when(k.created_at)),
                        Cell::Text(status),
                    ]
                })
                .collect(),
        });
    }
    if Action::ViewAuditLog.allows(me.role) {
        let audit = indsats_app::audit::recent(&*state.store, 20).await?;
        tables.push(Table {
            title: t("admin-audit"),
            headers: headers(&["admin-audit-time", "admin-audit-actor", "admin-audit-action"]),
            rows: audit
                .into_iter()
                .map(|e| {
                    let actor = e.actor.map_or_else(|| "–".to_owned(), |a| a.to_string());
                    vec![Cell::Text(when(e.at)), Cell::Text(actor), Cell::Text(format!("{} {}", e.action, e.detail))]
                })
                .collect(),
        });
    }
    Ok(tables)
}

/// The administration page, with the receipt of the form that redirected here, if any, and a
/// new API token's secret, shown this once.
async fn show(State(state): State<AppState>, ctx: RequestContext, headers: HeaderMap) -> Result<Response, AppError> {
    let flash = cookies::Flash::take(&headers);
    let sealed = cookies::parse(&headers).contains_key(cookies::SECRET_FLASH_COOKIE);
    let new_token = session_secret(&headers)
        .and_then(|session| cookies::open_secret_flash(&headers, &session))
        .and_then(|text| text.split_once('\n').map(|(username, secret)| (username.to_owned(), secret.to_owned())))
        .map(|(username, secret)| (ctx.locale.t_args("admin-token-created", &[("username", &username)]), secret));
    let outcome = Outcome { message: flash.message(), new_token, ..Outcome::default() };
    let mut response = page(&state, &ctx, outcome).await?;
    if sealed {
        cookies::append(&mut response, &cookies::secret_flash_removal(state.config.secure_cookies));
    }
    Ok(flash.shown(response, state.config.secure_cookies))
}

/// The browser session's secret, which seals a new token's flash.
fn session_secret(headers: &HeaderMap) -> Option<String> {
    cookies::parse(headers).remove(cookies::SESSION_COOKIE).filter(|s| !s.is_empty())
}

#[derive(Template)]
#[template(path = "admin_confirm.html")]
struct ConfirmPage {
    layout: Layout,
    question: String,
    action: &'static str,
    fields: Vec<(&'static str, String)>,
    confirm_label: String,
}

/// The step before a change that cannot simply be undone by the one who made it: the question,
/// a button that confirms, and a way back. Plain HTML, so no script is needed.
fn confirm(
    state: &AppState,
    ctx: &RequestContext,
    (title, question): (String, String),
    action: &'static str,
    fields: Vec<(&'static str, String)>,
    confirm_label: String,
) -> Result<Response, AppError> {
    let layout = Layout::new(state, ctx, title, Some(Area::Admin));
    render_with_status(StatusCode::OK, &ConfirmPage { layout, question, action, fields, confirm_label })
}

/// The value a confirmation form sends.
const CONFIRMED: &str = "ja";

/// Whom the disable button asks about.
#[derive(Debug, Deserialize)]
pub struct AskDisable {
    username: String,
}

/// The question before disabling a user: a page of its own, so a reload sends nothing.
async fn ask_disable(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(query): Query<AskDisable>,
) -> Result<Response, AppError> {
    ctx.require(Action::ManageUsers)?;
    let locale = ctx.locale;
    let username = query.username.trim().to_lowercase();
    let known = state.store.list_users().await?.into_iter().any(|u| u.username.as_str() == username);
    if !known {
        return Err(AppError::invalid("username", locale.t("error-user-unknown")));
    }
    let args = [("username", username.as_str())];
    confirm(
        &state,
        &ctx,
        (locale.t_args("admin-confirm-disable-title", &args), locale.t_args("admin-confirm-disable", &args)),
        USER_STATUS,
        vec![("username", username.clone()), ("disabled", "true".into()), ("confirm", CONFIRMED.into())],
        locale.t_args("admin-confirm-disable-button", &args),
    )
}

/// Which token the revoke button asks about.
#[derive(Debug, Deserialize)]
pub struct AskRevoke {
    id: i64,
}

/// The question before revoking an API token.
async fn ask_revoke(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(query): Query<AskRevoke>,
) -> Result<Response, AppError> {
    ctx.require(Action::ManageApiTokens)?;
    let locale = ctx.locale;
    let token = state.store.list_api_tokens().await?.into_iter().find(|t| t.id.0 == query.id && !t.revoked);
    let Some(token) = token else {
        return Err(AppError::invalid("id", locale.t("error-token-unknown")));
    };
    let args = [("name", token.name.as_str()), ("username", token.username.as_str())];
    confirm(
        &state,
        &ctx,
        (locale.t("admin-confirm-revoke-title"), locale.t_args("admin-confirm-revoke", &args)),
        REVOKE_TOKEN,
        vec![("id", query.id.to_string()), ("confirm", CONFIRMED.into())],
        locale.t("admin-confirm-revoke-button"),
    )
}

/// Back to the administration page with a receipt.
fn done(state: &AppState, message: &str) -> Response {
    let mut response = Redirect::to(&crate::pages::area_url(Area::Admin)).into_response();
    cookies::append(&mut response, &cookies::flash(message, state.config.secure_cookies));
    response
}

/// Creates a user; a bad field re-shows the form with the error next to it.
async fn add_user(
    State(state): State<AppState>,
    ctx: RequestContext,
    Form(mut form): Form<UserForm>,
) -> Result<Response, AppError> {
    let me = ctx.require(Action::ManageUsers)?;
    let locale = ctx.locale;
    let role = form.role.parse::<Role>();
    if role.is_err() {
        form.errors.push(("role", locale.t("error-role-unknown")));
    }
    for problem in accounts::check_new_user(&form.username, &form.display_name, &form.password) {
        if let Some((field, key)) = problem.field_error() {
            form.errors.push((field, locale.t(key)));
        }
    }
    // The summary lists the problems in the order the fields stand on the page.
    form.errors.sort_by_key(|(field, _)| FIELDS.iter().position(|(f, _)| f == field));
    let (Ok(role), true) = (role, form.errors.is_empty()) else {
        form.password.clear();
        return page(&state, &ctx, Outcome { status: StatusCode::UNPROCESSABLE_ENTITY, form, ..Outcome::default() })
            .await;
    };
    match accounts::create_user(&*state.store, Some(me.id), &form.username, &form.display_name, role, &form.password)
        .await
    {
        Ok(_) => {
            let message = locale.t_args("admin-user-created-ok", &[("username", &form.username.trim().to_lowercase())]);
            Ok(done(&state, &message))
        }
        Err(err) => match err.field_error() {
            Some((field, key)) => {
                form.errors.push((field, locale.t(key)));
                form.password.clear();
                page(&state, &ctx, Outcome { status: StatusCode::UNPROCESSABLE_ENTITY, form, ..Outcome::default() })
                    .await
            }
            None => Err(match err {
                AccountError::Store(e) => e.into(),
                other => AppError::internal(other),
            }),
        },
    }
}

/// The enable/disable form.
#[derive(Debug, Deserialize)]
pub struct StatusForm {
    username: String,
    disabled: bool,
    /// `ja` once the admin has confirmed a disabling.
    #[serde(default)]
    confirm: String,
}

/// Disables (ending every session) or re-enables a user.
async fn set_status(
    State(state): State<AppState>,
    ctx: RequestContext,
    Form(form): Form<StatusForm>,
) -> Result<Response, AppError> {
    let me = ctx.require(Action::ManageUsers)?;
    let locale = ctx.locale;
    // Disabling logs the user out everywhere: ask first, on a page of its own (a reload of it
    // sends nothing). Enabling again needs no question.
    if form.disabled && form.confirm != CONFIRMED {
        let query = serde_urlencoded::to_string([("username", form.username.trim())]).map_err(AppError::internal)?;
        return Ok(Redirect::to(&format!("{USER_STATUS}?{query}")).into_response());
    }
    match accounts::set_disabled(&*state.store, Some(me.id), &form.username, form.disabled).await {
        Ok(()) => {}
        Err(AccountError::CannotDisableSelf) => {
            let message = Some(locale.t("admin-cannot-disable-self"));
            let outcome = Outcome { status: StatusCode::UNPROCESSABLE_ENTITY, message, ..Outcome::default() };
            return page(&state, &ctx, outcome).await;
        }
        Err(AccountError::Store(e)) => return Err(e.into()),
        Err(_) => return Err(AppError::invalid("username", locale.t("error-user-unknown"))),
    }
    let username = form.username.trim().to_lowercase();
    let key = if form.disabled { "admin-user-disabled-ok" } else { "admin-user-enabled-ok" };
    Ok(done(&state, &locale.t_args(key, &[("username", &username)])))
}

/// The create-token form.
#[derive(Debug, Deserialize)]
pub struct TokenForm {
    username: String,
    #[serde(default)]
    name: String,
}

/// Creates an API token and shows its secret once: after a redirect (Post/Redirect/Get, so a
/// reload makes no second token), carried by a flash sealed to the admin's session.
async fn add_token(
    State(state): State<AppState>,
    ctx: RequestContext,
    headers: HeaderMap,
    Form(form): Form<TokenForm>,
) -> Result<Response, AppError> {
    let me = ctx.require(Action::ManageApiTokens)?;
    let locale = ctx.locale;
    let refused = |key: &str| {
        let mut user_form = Outcome::default().form;
        user_form.errors.push(("token_name", locale.t(key)));
        user_form.token_name.clone_from(&form.name);
        page(&state, &ctx, Outcome { status: StatusCode::UNPROCESSABLE_ENTITY, form: user_form, ..Outcome::default() })
    };
    if let Err(err) = accounts::check_token_name(&form.name) {
        let key = err.field_error().map_or("error-token-name-required", |(_, key)| key);
        return refused(key).await;
    }
    match accounts::create_api_token(&*state.store, Some(me), &form.username, &form.name).await {
        Ok(secret) => {
            let username = form.username.trim().to_lowercase();
            let Some(session) = session_secret(&headers) else {
                // No browser session to seal it to: show it in this answer, the only chance.
                let label = locale.t_args("admin-token-created", &[("username", &username)]);
                return page(&state, &ctx, Outcome { new_token: Some((label, secret)), ..Outcome::default() }).await;
            };
            let mut response = Redirect::to(&crate::pages::area_url(Area::Admin)).into_response();
            let sealed = cookies::secret_flash(&format!("{username}\n{secret}"), &session, state.config.secure_cookies);
            cookies::append(&mut response, &sealed);
            Ok(response)
        }
        Err(AccountError::Store(e)) => Err(e.into()),
        Err(AccountError::TokenBeyondMaker) => Err(AppError::invalid("username", locale.t("error-token-beyond-maker"))),
        Err(_) => Err(AppError::invalid("username", locale.t("error-user-unknown"))),
    }
}

/// The revoke-token form.
#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    id: i64,
    /// `ja` once the admin has confirmed.
    #[serde(default)]
    confirm: String,
}

/// Revokes an API token, then shows the page again (Post/Redirect/Get keeps reloads harmless).
async fn revoke_token(
    State(state): State<AppState>,
    ctx: RequestContext,
    Form(form): Form<RevokeForm>,
) -> Result<Response, AppError> {
    let me = ctx.require(Action::ManageApiTokens)?;
    if form.confirm != CONFIRMED {
        return Ok(Redirect::to(&format!("{REVOKE_TOKEN}?id={}", form.id)).into_response());
    }
    match accounts::revoke_api_token(&*state.store, Some(me.id), indsats_domain::ApiTokenId(form.id)).await {
        Ok(_) => {}
        Err(AccountError::Store(e)) => return Err(e.into()),
        Err(other) => return Err(AppError::internal(other)),
    }
    Ok(done(&state, &ctx.locale.t("admin-token-revoked-ok")))
}
