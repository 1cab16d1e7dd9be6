//! The audit log: who did what, when. It holds ids and actions, never the
//! content of a case, so reading the log does not itself leak personal data.

use crate::{StoreError, UserId};

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditEntry {
    /// When (Unix seconds).
    pub at: i64,
    /// Who, when known (a failed login has no actor).
    pub actor: Option<String>,
    /// A stable action code such as `login` or `user.disable`.
    pub action: String,
    /// Ids and names the action concerned.
    pub detail: String,
}

/// Persistence of the audit log.
#[async_trait::async_trait]
pub trait Audit {
    /// Appends a line.
    async fn record(&self, actor: Option<UserId>, action: &str, detail: &str) -> Result<(), StoreError>;
    /// The newest `limit` lines, newest first.
    async fn recent_audit(&self, limit: i64) -> Result<Vec<AuditEntry>, StoreError>;
}

impl_for_both! {
    impl Audit {
        async fn record(&self, actor: Option<UserId>, action: &str, detail: &str) -> Result<(), StoreError> {
            sqlx::query("INSERT INTO audit_log (at, actor_user_id, action, detail) VALUES ($1, $2, $3, $4)")
                .bind(crate::unix_now())
                .bind(actor.map(|a| a.0))
                .bind(action)
                .bind(detail)
                .execute(&self.pool)
                .await?;
            Ok(())
        }

        async fn recent_audit(&self, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT a.at, u.username AS actor, a.action, a.detail FROM audit_log a \
                 LEFT JOIN users u ON u.id = a.actor_user_id ORDER BY a.id DESC LIMIT $1",
            )
            .bind(limit)
            .fetch_all(&self.pool)
            .await?)
        }
    }
}
