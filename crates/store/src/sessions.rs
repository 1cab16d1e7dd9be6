//! Server-side login sessions. The cookie holds a random token; only its
//! SHA-256 hash is stored, so a copy of the database cannot be used to log in.

use indsats_domain::{AuditEvent, UserId};

use crate::users::UserRow;
use crate::{StoreError, User};

/// A session about to be stored.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// Hex SHA-256 of the cookie token.
    pub token_hash: String,
    /// Whose session it is.
    pub user_id: UserId,
    /// The synchronizer token every state-changing request must echo.
    pub csrf_token: String,
    /// When it stops working (Unix seconds).
    pub expires_at: i64,
}

/// A live session with its (enabled) user.
#[derive(Debug, Clone)]
pub struct SessionUser {
    /// The logged-in user.
    pub user: User,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// When the session expires (Unix seconds).
    pub expires_at: i64,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    csrf_token: String,
    expires_at: i64,
    #[sqlx(flatten)]
    user: UserRow,
}

/// Persistence of sessions. Starting and ending one is recorded in the audit log in the
/// same transaction, with the session's user as the actor.
#[async_trait::async_trait]
pub trait Sessions {
    /// Stores a new session and records `login` by its user.
    async fn create_session(&self, session: &NewSession) -> Result<(), StoreError>;
    /// The unexpired session with this token hash whose user is not disabled.
    async fn session_by_token_hash(&self, token_hash: &str, now: i64) -> Result<Option<SessionUser>, StoreError>;
    /// Ends a session (logout) and records `logout` by its user. Returns false, and records
    /// nothing, when there was no such session.
    async fn delete_session(&self, token_hash: &str) -> Result<bool, StoreError>;
    /// Removes expired sessions; returns how many.
    async fn delete_expired_sessions(&self, now: i64) -> Result<u64, StoreError>;
}

impl_for_both! {
    impl Sessions {
        async fn create_session(&self, session: &NewSession) -> Result<(), StoreError> {
            let now = crate::unix_now();
            let mut tx = self.pool.begin().await?;
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&session.token_hash)
            .bind(session.user_id.0)
            .bind(&session.csrf_token)
            .bind(now)
            .bind(session.expires_at)
            .execute(&mut *tx)
            .await?;
            crate::audit::append_audit!(tx, &AuditEvent::Login, Some(session.user_id), now);
            tx.commit().await?;
            Ok(())
        }

        async fn session_by_token_hash(&self, token_hash: &str, now: i64) -> Result<Option<SessionUser>, StoreError> {
            let row: Option<crate::sessions::SessionRow> = sqlx::query_as(concat!(
                "SELECT s.csrf_token, s.expires_at, ",
                crate::users::user_columns!(),
                " FROM sessions s JOIN users u ON u.id = s.user_id \
                 WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT u.disabled"
            )).bind(token_hash).bind(now).fetch_optional(&self.pool).await?;
            row.map(|r| {
                Ok(SessionUser { user: User::try_from(r.user)?, csrf_token: r.csrf_token, expires_at: r.expires_at })
            })
            .transpose()
        }

        async fn delete_session(&self, token_hash: &str) -> Result<bool, StoreError> {
            let mut tx = self.pool.begin().await?;
            let user: Option<i64> = sqlx::query_scalar("DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id")
                .bind(token_hash)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(user) = user else {
                tx.rollback().await?;
                return Ok(false);
            };
            crate::audit::append_audit!(tx, &AuditEvent::Logout, Some(UserId(user)), crate::unix_now());
            tx.commit().await?;
            Ok(true)
        }

        async fn delete_expired_sessions(&self, now: i64) -> Result<u64, StoreError> {
            Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                .bind(now)
                .execute(&self.pool)
                .await?
                .rows_affected())
        }
    }
}
