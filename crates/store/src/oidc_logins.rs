//! Logins under way at an OpenID provider: what the callback must check, kept on the server
//! and used once.

use crate::StoreError;

/// A login sent to an OpenID provider, waiting for the provider to send the browser back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingLogin {
    /// Hex SHA-256 of the random `state` (the browser carries the state itself).
    pub state_hash: String,
    /// Which configured provider: `staff` or `citizen`.
    pub provider: String,
    /// The nonce the ID token must carry.
    pub nonce: String,
    /// The PKCE code verifier, sent with the code to the token endpoint.
    pub pkce_verifier: String,
    /// When the login is abandoned (Unix seconds).
    pub expires_at: i64,
}

/// Persistence of pending OpenID logins. No audit event: nothing has happened yet; the login
/// itself, or its refusal, is recorded when the provider answers.
#[async_trait::async_trait]
pub trait OidcLogins {
    /// Stores a pending login.
    async fn save_oidc_login(&self, login: &PendingLogin) -> Result<(), StoreError>;
    /// Removes and returns the pending login with this state hash if it has not expired, so
    /// a state is used once; expired logins are removed on the way.
    async fn take_oidc_login(&self, state_hash: &str, now: i64) -> Result<Option<PendingLogin>, StoreError>;
}

impl_for_both! {
    impl OidcLogins {
        async fn save_oidc_login(&self, login: &PendingLogin) -> Result<(), StoreError> {
            sqlx::query(
                "INSERT INTO oidc_logins (state_hash, provider, nonce, pkce_verifier, expires_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&login.state_hash)
            .bind(&login.provider)
            .bind(&login.nonce)
            .bind(&login.pkce_verifier)
            .bind(login.expires_at)
            .execute(&self.pool)
            .await?;
            Ok(())
        }

        async fn take_oidc_login(&self, state_hash: &str, now: i64) -> Result<Option<PendingLogin>, StoreError> {
            let mut tx = self.pool.begin().await?;
            sqlx::query("DELETE FROM oidc_logins WHERE expires_at <= $1").bind(now).execute(&mut *tx).await?;
            let row: Option<(String, String, String, String, i64)> = sqlx::query_as(
                "DELETE FROM oidc_logins WHERE state_hash = $1 \
                 RETURNING state_hash, provider, nonce, pkce_verifier, expires_at",
            )
            .bind(state_hash)
            .fetch_optional(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(row.map(|(state_hash, provider, nonce, pkce_verifier, expires_at)| PendingLogin {
                state_hash,
                provider,
                nonce,
                pkce_verifier,
                expires_at,
            }))
        }
    }
}
