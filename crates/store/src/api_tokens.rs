//! API tokens an administrator creates for scripts and integrations.
//! Like session tokens, only the SHA-256 hash is stored.

use crate::users::UserRow;
use crate::{StoreError, User, UserId};

/// An API token's metadata (never the secret).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ApiToken {
    /// Database id.
    pub id: i64,
    /// Whose rights the token carries.
    pub username: String,
    /// What it is for, as the administrator wrote it.
    pub name: String,
    /// When it was created (Unix seconds).
    pub created_at: i64,
    /// A revoked token no longer authenticates.
    pub revoked: bool,
}

/// Persistence of API tokens.
#[async_trait::async_trait]
pub trait ApiTokens {
    /// Stores a token hash for a user.
    async fn create_api_token(&self, user_id: UserId, name: &str, token_hash: &str) -> Result<i64, StoreError>;
    /// The enabled user a live token belongs to.
    async fn user_by_api_token(&self, token_hash: &str) -> Result<Option<User>, StoreError>;
    /// Every token, newest first.
    async fn list_api_tokens(&self) -> Result<Vec<ApiToken>, StoreError>;
    /// Revokes a token; false if there is no such token.
    async fn revoke_api_token(&self, id: i64) -> Result<bool, StoreError>;
}

impl_for_both! {
    impl ApiTokens {
        async fn create_api_token(&self, user_id: UserId, name: &str, token_hash: &str) -> Result<i64, StoreError> {
            Ok(sqlx::query_scalar(
                "INSERT INTO api_tokens (user_id, name, token_hash, created_at, revoked) VALUES ($1, $2, $3, $4, FALSE) RETURNING id",
            )
            .bind(user_id.0)
            .bind(name)
            .bind(token_hash)
            .bind(crate::unix_now())
            .fetch_one(&self.pool)
            .await?)
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
            Ok(sqlx::query_as(
                "SELECT t.id, u.username, t.name, t.created_at, t.revoked FROM api_tokens t \
                 JOIN users u ON u.id = t.user_id ORDER BY t.id DESC",
            )
            .fetch_all(&self.pool)
            .await?)
        }

        async fn revoke_api_token(&self, id: i64) -> Result<bool, StoreError> {
            Ok(sqlx::query("UPDATE api_tokens SET revoked = TRUE WHERE id = $1")
                .bind(id)
                .execute(&self.pool)
                .await?
                .rows_affected()
                > 0)
        }
    }
}
