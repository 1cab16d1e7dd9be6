//! The audit log as the administration reads it.

use indsats_store::{AuditEntry, Store, StoreError};

/// The newest `limit` events, newest first.
pub async fn recent(store: &dyn Store, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
    store.recent_audit(limit).await
}
