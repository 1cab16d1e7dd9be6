//! The JSON API under `/api/v1/`, described by an OpenAPI document.
//!
//! Clients authenticate with the browser session (and then send the CSRF token
//! in `X-CSRF-Token` on writes) or with `Authorization: Bearer <API token>`.

use axum::Json as JsonResponse;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use indsats_app::accounts::{self, AccountError};
use indsats_domain::{Action, Role};
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::context::RequestContext;
use crate::error::{ApiError, ApiErrorBody, AppError};
use crate::forms::Json;
use crate::state::AppState;

/// Where the API's description is served.
pub const OPENAPI_URL: &str = "/api/v1/openapi.json";

/// The API's description before the areas add their paths: title, error shape, authentication.
#[derive(OpenApi)]
#[openapi(
    info(title = "indsats API", description = "The JSON API of indsats. Errors have the shape `{\"error\": {\"code\", \"message\", \"field\", \"request_id\"}}`."),
    components(schemas(ApiError, ApiErrorBody)),
    modifiers(&BearerAuth),
    security(("bearer" = []), ("session" = []))
)]
struct ApiDoc;

/// The document every area's router adds its paths to.
pub fn base_document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The description itself and the account routes of the API.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().route(OPENAPI_URL, get(openapi)).routes(routes!(me)).routes(routes!(list_users, create_user))
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(utoipa::openapi::security::ApiKey::Cookie(
                utoipa::openapi::security::ApiKeyValue::new(crate::cookies::SESSION_COOKIE),
            )),
        );
    }
}

/// `GET /api/v1/openapi.json`: built once, the same text as `indsats openapi` prints.
async fn openapi() -> impl IntoResponse {
    static DOCUMENT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ([(axum::http::header::CONTENT_TYPE, "application/json")], DOCUMENT.get_or_init(crate::openapi_json).as_str())
}

/// A role, by its stable name.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RoleName {
    /// Caseworker.
    Sagsbehandler,
    /// Company consultant.
    Virksomhedskonsulent,
    /// Manager.
    Leder,
    /// Committee member.
    Udvalg,
    /// Administrator.
    Admin,
    /// Citizen (sees only their own case).
    Borger,
}

impl From<Role> for RoleName {
    fn from(role: Role) -> Self {
        match role {
            Role::Sagsbehandler => RoleName::Sagsbehandler,
            Role::Virksomhedskonsulent => RoleName::Virksomhedskonsulent,
            Role::Leder => RoleName::Leder,
            Role::Udvalg => RoleName::Udvalg,
            Role::Admin => RoleName::Admin,
            Role::Borger => RoleName::Borger,
        }
    }
}

impl From<RoleName> for Role {
    fn from(role: RoleName) -> Self {
        match role {
            RoleName::Sagsbehandler => Role::Sagsbehandler,
            RoleName::Virksomhedskonsulent => Role::Virksomhedskonsulent,
            RoleName::Leder => Role::Leder,
            RoleName::Udvalg => Role::Udvalg,
            RoleName::Admin => Role::Admin,
            RoleName::Borger => Role::Borger,
        }
    }
}

/// A user, as the API shows one.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserInfo {
    /// Login name.
    pub username: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// Role.
    pub role: RoleName,
    /// Whether the user is disabled.
    pub disabled: bool,
}

impl From<&indsats_store::User> for UserInfo {
    fn from(user: &indsats_store::User) -> Self {
        UserInfo {
            username: user.username.to_string(),
            display_name: user.display_name.clone(),
            role: user.role.into(),
            disabled: user.disabled,
        }
    }
}

/// Who am I?
#[utoipa::path(get, path = "/api/v1/me", tag = "users",
    responses((status = 200, body = UserInfo), (status = 401, body = ApiError)))]
async fn me(ctx: RequestContext) -> Result<JsonResponse<UserInfo>, AppError> {
    Ok(JsonResponse(UserInfo::from(ctx.user()?)))
}

/// Every user (administrators only).
#[utoipa::path(get, path = "/api/v1/users", tag = "users",
    responses((status = 200, body = [UserInfo]), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
async fn list_users(
    State(state): State<AppState>,
    ctx: RequestContext,
) -> Result<JsonResponse<Vec<UserInfo>>, AppError> {
    ctx.require(Action::ManageUsers)?;
    let users = state.store.list_users().await?;
    Ok(JsonResponse(users.iter().map(UserInfo::from).collect()))
}

/// A user to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    /// Login name: 2-64 characters of a-z, 0-9, `.`, `-`, `_`.
    pub username: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// Role.
    pub role: RoleName,
    /// At least 12 characters.
    pub password: String,
}

/// Create a user (administrators only).
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = NewUserRequest,
    responses((status = 201, body = UserInfo), (status = 400, body = ApiError), (status = 403, body = ApiError),
              (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn create_user(
    State(state): State<AppState>,
    ctx: RequestContext,
    Json(request): Json<NewUserRequest>,
) -> Result<(StatusCode, JsonResponse<UserInfo>), AppError> {
    let me = ctx.require(Action::ManageUsers)?;
    let role = Role::from(request.role);
    match accounts::create_user(
        &*state.store,
        Some(me.id),
        &request.username,
        &request.display_name,
        role,
        &request.password,
    )
    .await
    {
        Ok(_) => {
            let username = indsats_domain::Username::parse(&request.username).map_err(AppError::internal)?;
            let user = state.store.user_by_username(&username).await?.ok_or(AppError::NotFound)?;
            Ok((StatusCode::CREATED, JsonResponse(UserInfo::from(&user))))
        }
        Err(AccountError::Store(e)) => Err(e.into()),
        Err(err) => match err.field_error() {
            Some((field, key)) => Err(AppError::BadRequest {
                status: if matches!(err, AccountError::UsernameTaken) {
                    StatusCode::CONFLICT
                } else {
                    StatusCode::UNPROCESSABLE_ENTITY
                },
                field: Some(field.to_owned()),
                problem: Some(ctx.locale.t(key)),
            }),
            None => Err(AppError::internal(err)),
        },
    }
}
