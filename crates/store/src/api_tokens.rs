//! API tokens an administrator creates for scripts and integrations.
//! Like session tokens, only the SHA-256 hash is stored.

use indsats_domain::{ApiTokenId, AuditEvent, UserId, Username};

use crate::users::UserRow;
use crate::{StoreError, User};

/// An API token's metadata (never the secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    /// Database id.
    pub id: ApiTokenId,
    /// Whose rights the token carries.
    pub username: Username,
    /// What it is for, as the administrator wrote it.
    pub name: String,
    /// When it was created (Unix seconds).
    pub created_at: i64,
    /// A revoked token no longer authenticates.
    pub revoked: bool,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ApiTokenRow {
    id: i64,
    username: String,
    name: String,
    created_at: i64,
    revoked: bool,
}

impl TryFrom<ApiTokenRow> for ApiToken {
    type Error = StoreError;
    fn try_from(row: ApiTokenRow) -> Result<Self, StoreError> {
        Ok(ApiToken {
            username: Username::parse(&row.username)
                .map_err(|e| StoreError::corrupt("api_tokens", format!("id={}", row.id), "user's username", e))?,
            id: ApiTokenId(row.id),
            name: row.name,
            created_at: row.created_at,
            revoked: row.revoked,
        })
    }
}

/// A token about to be stored.
#[derive(Debug, Clone)]
pub struct NewApiToken {
    /// Whose rights it carries.
    pub user: UserId,
    /// What it is for, as the administrator wrote it.
    pub name: String,
    /// Hex SHA-256 of the secret.
    pub token_hash: String,
}

/// Persistence of API tokens. The changes write their audit event in their own transaction.
#[async_trait::async_trait]
pub trait ApiTokens {
    /// Stores a token hash for a user and records `api_token.create` by `actor`.
    async fn create_api_token(&self, token: &NewApiToken, actor: Option<UserId>) -> Result<ApiTokenId, StoreError>;
    /// The enabled user a live token belongs to.
    async fn user_by_api_token(&self, token_hash: &str) -> Result<Option<User>, StoreError>;
    /// Every token, newest first.
    async fn list_api_tokens(&self) -> Result<Vec<ApiToken>, StoreError>;
    /// Revokes a token and records `api_token.revoke` by `actor`; false, and nothing
    /// recorded, if there is no such token.
    async fn revoke_api_token(&self, id: ApiTokenId, actor: Option<UserId>) -> Result<bool, StoreError>;
}

impl_for_both! {
    impl ApiTokens {
        async fn create_api_token(&self, token: &NewApiToken, actor: Option<UserId>) -> Result<ApiTokenId, StoreError> {
            let now = crate::unix_now();
            let mut tx = self.pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO api_tokens (user_id, name, token_hash, created_at, revoked) VALUES ($1, $2, $3, $4, FALSE) RETURNING id",
            )
            .bind(token.user.0)
            .bind(&token.name)
            .bind(&token.token_hash)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let username: String = sqlx::query_scalar("SELECT username FROM users WHERE id = $1")
                .bind(token.user.0)
                .fetch_one(&mut *tx)
                .await?;
            let username = Username::parse(&username)
                .map_err(|e| StoreError::corrupt("users", format!("id={}", token.user), "username", e))?;
            let event = AuditEvent::ApiTokenCreated { token: ApiTokenId(id), user: token.user, username };
            crate::audit::append_audit!(tx, &event, actor, now);
            tx.commit().await?;
            Ok(ApiTokenId(id))
        }

        async fn user_by_api_token(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
            let row: Option<UserRow> = sqlx::query_as(concat!(
                "SELECT ",
                crate::users::user_columns!(),
                " FROM api_tokens t JOIN users u ON u.id = t.user_id \
                 WHERE t.token_hash = $1 AND NOT t.revoked AND NOT u.disabled"
            )).bind(token_hash).fetch_optional(&self.pool).await?;
            row.map(User::try_from).transpose()
        }

        async fn list_api_tokens(&self) -> Result<Vec<ApiToken>, StoreError> {
            let rows: Vec<crate::api_tokens::ApiTokenRow> = sqlx::query_as(
                "SELECT t.id, u.username, t.name, t.created_at, t.revoked FROM api_tokens t \
                 JOIN users u ON u.id = t.user_id ORDER BY t.id DESC",
            )
            .fetch_all(&self.pool)
            .await?;
            rows.into_iter().map(ApiToken::try_from).collect()
        }

        async fn revoke_api_token(&self, id: ApiTokenId, actor: Option<UserId>) -> Result<bool, StoreError> {
            let mut tx = self.pool.begin().await?;
            let revoked = sqlx::query("UPDATE api_tokens SET revoked = TRUE WHERE id = $1")
                .bind(id.0)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                > 0;
            if !revoked {
                tx.rollback().await?;
                return Ok(false);
            }
            crate::audit::append_audit!(tx, &AuditEvent::ApiTokenRevoked { token: id }, actor, crate::unix_now());
            tx.commit().await?;
            Ok(true)
        }
    }
}
