//! Failed login attempts, kept in the database so that the limit holds across
//! several `indsats serve` processes behind one load balancer.

use indsats_domain::AuditEvent;

use crate::StoreError;

/// Persistence of failed login attempts.
#[async_trait::async_trait]
pub trait LoginFailures {
    /// Records a failed attempt, writes `login.failed` (no actor, and not the name typed:
    /// it may be anything) to the audit log in the same transaction, and forgets attempts
    /// older than `forget_before`.
    async fn record_login_failure(
        &self,
        username: &str,
        address: &str,
        at: i64,
        forget_before: i64,
    ) -> Result<(), StoreError>;
    /// Counts a login attempt before its password is checked: stores it as a failure (so a
    /// success must clear it), forgets attempts older than `forget_before`, and returns the
    /// failures since `since`, this attempt included: (for this user name, from this address).
    ///
    /// The row is committed before the counting, which makes the limit hold under any
    /// concurrency on both backends without locks: of N attempts at once, the k-th to commit
    /// counts at least k rows, so no more than the limit are ever checked. (Counting first and
    /// recording after the check let 20 of 20 concurrent guesses through a limit of 5.)
    async fn record_login_attempt(
        &self,
        username: &str,
        address: &str,
        at: i64,
        forget_before: i64,
        since: i64,
    ) -> Result<(i64, i64), StoreError>;
    /// Failed attempts since `since`: (for this user name, from this address).
    async fn count_login_failures(&self, username: &str, address: &str, since: i64) -> Result<(i64, i64), StoreError>;
    /// Forgets a user name's failures after a successful login.
    async fn clear_login_failures(&self, username: &str) -> Result<(), StoreError>;
}

impl_for_both! {
    impl LoginFailures {
        async fn record_login_failure(&self, username: &str, address: &str, at: i64, forget_before: i64) -> Result<(), StoreError> {
            let mut tx = self.pool.begin().await?;
            sqlx::query("DELETE FROM login_failures WHERE at < $1").bind(forget_before).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO login_failures (username, address, at) VALUES ($1, $2, $3)")
                .bind(username)
                .bind(address)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            crate::audit::append_audit!(tx, &AuditEvent::LoginFailed, None, at);
            tx.commit().await?;
            Ok(())
        }

        async fn record_login_attempt(
            &self,
            username: &str,
            address: &str,
            at: i64,
            forget_before: i64,
            since: i64,
        ) -> Result<(i64, i64), StoreError> {
            let mut tx = self.pool.begin().await?;
            sqlx::query("DELETE FROM login_failures WHERE at < $1").bind(forget_before).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO login_failures (username, address, at) VALUES ($1, $2, $3)")
                .bind(username)
                .bind(address)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            self.count_login_failures(username, address, since).await
        }

        async fn count_login_failures(&self, username: &str, address: &str, since: i64) -> Result<(i64, i64), StoreError> {
            let by_user: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE username = $1 AND at >= $2")
                .bind(username)
                .bind(since)
                .fetch_one(&self.pool)
                .await?;
            let by_address: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE address = $1 AND at >= $2")
                .bind(address)
                .bind(since)
                .fetch_one(&self.pool)
                .await?;
            Ok((by_user, by_address))
        }

        async fn clear_login_failures(&self, username: &str) -> Result<(), StoreError> {
            sqlx::query("DELETE FROM login_failures WHERE username = $1").bind(username).execute(&self.pool).await?;
            Ok(())
        }
    }
}
