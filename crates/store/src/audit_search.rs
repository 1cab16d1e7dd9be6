//! Searching the audit log (issue 12 item 9): by staff user, event code, time range and
//! citizen, newest first, a page at a time. The search is itself a read of who read which
//! case, so it appends its own `audit.search` event in the same transaction, after reading:
//! a search that left no trace cannot happen, and it never lists itself.
//!
//! A citizen is matched by internal id inside the canonical details (`"citizen":7` in a
//! case event, `7` in a worklist's `"citizens"` list). That is a scan of the log's details;
//! fine for a municipality's years of logs, and the place for a (citizen, row) index table if
//! it ever is not.

use indsats_domain::{AuditEvent, CitizenId, UserId, Username};

use crate::StoreError;
use crate::audit::AuditEntry;

/// What to search for; every filter is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// The staff user who acted.
    pub user: Option<Username>,
    /// The event code (`citizen.view`).
    pub kind: Option<String>,
    /// From this time (Unix seconds, inclusive).
    pub from: Option<i64>,
    /// Until this time (Unix seconds, exclusive).
    pub until: Option<i64>,
    /// The citizen the event concerned.
    pub citizen: Option<CitizenId>,
    /// Only rows up to this id: the newest row of the first page, so later pages are counted
    /// on the log as it was then (the searches themselves add rows that would shift them).
    pub upto: Option<i64>,
    /// The page, from 1.
    pub page: i64,
    /// Rows per page.
    pub per_page: i64,
}

/// One page of results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditPage {
    /// The rows, newest first.
    pub entries: Vec<AuditEntry>,
    /// Whether there is a next page.
    pub more: bool,
    /// The `upto` for the next and previous pages.
    pub upto: Option<i64>,
}

/// The LIKE patterns that find citizen `id` in the canonical details.
pub(crate) fn citizen_patterns(id: CitizenId) -> [String; 6] {
    let n = id.0;
    [
        format!("%\"citizen\":{n},%"),
        format!("%\"citizen\":{n}}}"),
        format!("%\"citizens\":\"{n}\"%"),
        format!("%\"citizens\":\"{n},%"),
        format!("%\"citizens\":\"%,{n},%"),
        format!("%\"citizens\":\"%,{n}\"%"),
    ]
}

/// Searching the audit log.
#[async_trait::async_trait]
pub trait AuditSearch {
    /// One page of the rows matching `query`, newest first, recording `event` (the search,
    /// worded by the caller) by `actor` in the same transaction.
    async fn search_audit(
        &self,
        query: &AuditQuery,
        event: &AuditEvent,
        actor: UserId,
    ) -> Result<AuditPage, StoreError>;
}

impl_for_both! {
    impl AuditSearch {
        async fn search_audit(
            &self,
            query: &AuditQuery,
            event: &AuditEvent,
            actor: UserId,
        ) -> Result<AuditPage, StoreError> {
            let per_page = query.per_page.max(1);
            let offset = (query.page.max(1) - 1).saturating_mul(per_page);
            let patterns = query.citizen.map(crate::audit_search::citizen_patterns);
            let pattern = |i: usize| patterns.as_ref().map(|p| p[i].clone());
            let mut tx = self.pool.begin().await?;
            crate::audit::lock_audit_head!(tx);
            let rows: Vec<crate::audit::AuditEntryRow> = sqlx::query_as(
                "SELECT a.id, a.at, a.actor_user_id, u.username AS actor, a.action, a.detail FROM audit_log a \
                 LEFT JOIN users u ON u.id = a.actor_user_id \
                 WHERE ($1 IS NULL OR u.username = $1) AND ($2 IS NULL OR a.action = $2) \
                 AND ($3 IS NULL OR a.at >= $3) AND ($4 IS NULL OR a.at < $4) \
                 AND ($5 IS NULL OR a.detail LIKE $6 OR a.detail LIKE $7 OR a.detail LIKE $8 \
                      OR a.detail LIKE $9 OR a.detail LIKE $10 OR a.detail LIKE $11) \
                 AND ($14 IS NULL OR a.id <= $14) ORDER BY a.id DESC LIMIT $12 OFFSET $13",
            )
            .bind(query.user.as_ref().map(Username::as_str))
            .bind(query.kind.as_deref())
            .bind(query.from)
            .bind(query.until)
            .bind(query.citizen.map(|c| c.0))
            .bind(pattern(0))
            .bind(pattern(1))
            .bind(pattern(2))
            .bind(pattern(3))
            .bind(pattern(4))
            .bind(pattern(5))
            .bind(per_page + 1)
            .bind(offset)
            .bind(query.upto)
            .fetch_all(&mut *tx)
            .await?;
            crate::audit::append_audit!(tx, event, Some(actor), crate::unix_now());
            tx.commit().await?;
            let mut entries = rows.into_iter().map(AuditEntry::try_from).collect::<Result<Vec<_>, _>>()?;
            let more = i64::try_from(entries.len()).unwrap_or(i64::MAX) > per_page;
            entries.truncate(usize::try_from(per_page).unwrap_or(usize::MAX));
            let upto = query.upto.or_else(|| entries.first().map(|e| e.id));
            Ok(AuditPage { entries, more, upto })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn like(pattern: &str, text: &str) -> bool {
        // `%` only, as the patterns use.
        let parts: Vec<&str> = pattern.split('%').collect();
        let mut rest = text;
        for (i, part) in parts.iter().enumerate() {
            if i == 0 {
                let Some(r) = rest.strip_prefix(part) else { return false };
                rest = r;
            } else if i == parts.len() - 1 {
                return rest.ends_with(part);
            } else {
                let Some(at) = rest.find(part) else { return false };
                rest = &rest[at + part.len()..];
            }
        }
        rest.is_empty()
    }

    fn matches(id: i64, detail: &str) -> bool {
        citizen_patterns(CitizenId(id)).iter().any(|p| like(p, detail))
    }

    #[test]
    fn a_citizen_is_found_in_case_events_and_worklists_and_not_by_a_longer_id() {
        assert!(matches(7, r#"{"citizen":7}"#));
        assert!(matches(7, r#"{"citizen":7,"reason":"substitute"}"#));
        assert!(matches(7, r#"{"user":3,"citizen":7,"page":1}"#));
        for list in ["7", "7,2", "2,7", "1,7,2"] {
            assert!(matches(7, &format!(r#"{{"citizens":"{list}"}}"#)), "{list}");
        }
        assert!(!matches(7, r#"{"citizen":17}"#));
        assert!(!matches(7, r#"{"citizen":71}"#));
        assert!(!matches(7, r#"{"citizens":"17,70"}"#));
        assert!(!matches(7, r#"{"user":7,"username":"anna"}"#));
    }
}
