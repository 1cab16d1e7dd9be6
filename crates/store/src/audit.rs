//! The audit log: who did what, when. It holds ids and names of things, never the content
//! of a case, so reading the log does not itself leak personal data.
//!
//! Three rules make it worth trusting:
//! - **Written with the change.** Every store method that changes data appends its
//!   [`AuditEvent`] inside its own transaction (through the crate's `append_audit!` macro), so a change
//!   without its audit row cannot exist, and a failed audit write undoes the change.
//!   [`Audit::record`] is only for events without a change of data (a refused login).
//! - **Append-only.** The application never updates or deletes a row, and triggers
//!   (migration `0003_audit_chain.sql`) make the database refuse to on both backends.
//! - **Hash-chained.** Each row stores the previous row's hash and its own,
//!   [`chain_hash`] over that and its fields; the one-row table `audit_head` holds the count
//!   of chained rows and the last hash. [`Audit::verify_audit_chain`] recomputes the chain
//!   and names the first row where it breaks, so an edit made with raw SQL (triggers
//!   dropped) shows. The head is the value to copy somewhere else now and then: with it,
//!   even a rewrite of the whole table shows.
//!
//! Appends are serialised by the head: an append starts by incrementing
//! `audit_head.chained_rows`, which takes the row lock (PostgreSQL, to the end of the
//! transaction, so the next append reads the committed hash) or the database's write lock
//! (SQLite, which the change has already taken with its own first write). Row ids are
//! assigned after that, so id order is chain order.

use std::fmt;

use indsats_domain::{AuditEvent, UserId, Username};
use sha2::{Digest, Sha256};

use crate::StoreError;

/// The `prev_hash` of the first chained row.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One line of the audit log, for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// The row's id; ids rise in the order rows were written.
    pub id: i64,
    /// When (Unix seconds).
    pub at: i64,
    /// Who, when known (a failed login has no actor).
    pub actor: Option<Username>,
    /// A stable action code such as `login` or `user.disable` ([`AuditEvent::code`]).
    pub action: String,
    /// The ids and names the action concerned ([`AuditEvent::detail`]; free text in rows
    /// written before the events were typed).
    pub detail: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct AuditEntryRow {
    id: i64,
    at: i64,
    actor_user_id: Option<i64>,
    actor: Option<String>,
    action: String,
    detail: String,
}

impl TryFrom<AuditEntryRow> for AuditEntry {
    type Error = StoreError;
    fn try_from(row: AuditEntryRow) -> Result<Self, StoreError> {
        let actor = match (row.actor_user_id, row.actor) {
            (Some(user), Some(name)) => Some(
                Username::parse(&name)
                    .map_err(|e| StoreError::corrupt("users", format!("id={user}"), "username", e))?,
            ),
            _ => None,
        };
        Ok(AuditEntry { id: row.id, at: row.at, actor, action: row.action, detail: row.detail })
    }
}

/// A row as the chain sees it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ChainRow {
    /// The row's id.
    pub id: i64,
    /// When (Unix seconds).
    pub at: i64,
    /// The actor's user id.
    pub actor_user_id: Option<i64>,
    /// The event code.
    pub action: String,
    /// The canonical detail.
    pub detail: String,
    /// The hash of the row before; `None` in rows from before the chain.
    pub prev_hash: Option<String>,
    /// This row's hash; `None` in rows from before the chain.
    pub hash: Option<String>,
}

/// The hash of a chained row, lower-case hex: SHA-256 over a version tag and the fields,
/// each written as its length in bytes, `:`, the bytes and a newline, so no two different
/// rows give the same input. The actor is its id in decimal, or empty when there is none.
pub fn chain_hash(prev_hash: &str, at: i64, actor: Option<UserId>, action: &str, detail: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"indsats-audit-v1\n");
    let at = at.to_string();
    let actor = actor.map(|a| a.0.to_string()).unwrap_or_default();
    for field in [prev_hash, &at, &actor, action, detail] {
        hasher.update(field.len().to_string().as_bytes());
        hasher.update(b":");
        hasher.update(field.as_bytes());
        hasher.update(b"\n");
    }
    format!("{:x}", hasher.finalize())
}

/// The end of the chain as `audit_head` records it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ChainHead {
    /// How many rows are chained.
    pub chained_rows: i64,
    /// The hash of the last chained row ([`GENESIS_HASH`] when there is none).
    pub last_hash: String,
    /// How many rows were written before the chain began.
    pub legacy_rows: i64,
}

/// What [`Audit::verify_audit_chain`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainVerdict {
    /// Every chained row links to the one before and matches its hash, up to the head.
    Intact(ChainSummary),
    /// The first place where the chain does not hold.
    Broken(BrokenLink),
}

/// An intact chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainSummary {
    /// Chained rows checked.
    pub rows: u64,
    /// Rows from before the chain began, counted but not verifiable.
    pub legacy_rows: u64,
    /// The hash of the last row checked: note it elsewhere to detect a rewrite of the whole log.
    pub head: String,
}

/// Where and how the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The id of the first row that does not fit; `None` when the problem is that rows are
    /// missing at the end and none is left to name.
    pub row: Option<i64>,
    /// What is wrong.
    pub problem: LinkProblem,
}

/// What is wrong at a [`BrokenLink`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkProblem {
    /// The row's fields do not give its stored hash: it was changed after it was written.
    HashMismatch,
    /// The row's `prev_hash` is not the hash of the row before it: a row was removed,
    /// inserted or replaced in between.
    PrevHashMismatch,
    /// The row has only one of `prev_hash` and `hash`.
    HalfChained,
    /// A row without hashes after the chain began: written around the application.
    UnchainedAfterChain,
    /// The number of rows from before the chain changed.
    LegacyRowsChanged {
        /// As fixed by the migration.
        expected: u64,
        /// As found.
        found: u64,
    },
    /// Fewer chained rows than the head records: rows were removed from the end (the
    /// row named, if any, is the last one left).
    Truncated {
        /// As the head records.
        expected: u64,
        /// As found.
        found: u64,
    },
    /// The last row's hash is not the one the head records.
    HeadMismatch,
}

impl fmt::Display for LinkProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkProblem::HashMismatch => f.write_str("its contents do not match its hash (the row was changed)"),
            LinkProblem::PrevHashMismatch => {
                f.write_str("it does not link to the row before it (a row was removed, inserted or replaced)")
            }
            LinkProblem::HalfChained => f.write_str("it has only one of prev_hash and hash"),
            LinkProblem::UnchainedAfterChain => f.write_str("it has no hash but was written after the chain began"),
            LinkProblem::LegacyRowsChanged { expected, found } => {
                write!(f, "{found} rows from before the chain, but {expected} when the chain began")
            }
            LinkProblem::Truncated { expected, found } => {
                write!(
                    f,
                    "the head records {expected} chained rows, the log holds {found}: rows were removed from the end"
                )
            }
            LinkProblem::HeadMismatch => f.write_str("the last row's hash is not the one the head records"),
        }
    }
}

impl fmt::Display for BrokenLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.row {
            Some(row) => write!(f, "row {row}: {}", self.problem),
            None => self.problem.fmt(f),
        }
    }
}

/// Walks the rows in id order against a head read before them. Rows chained after the
/// head was read (a concurrent append) are not looked at.
#[derive(Debug)]
pub struct ChainCheck {
    head: ChainHead,
    expected_prev: String,
    chained: u64,
    legacy: u64,
    last_row: Option<i64>,
    first_chained_row: Option<i64>,
}

impl ChainCheck {
    /// A check against `head`.
    pub fn new(head: ChainHead) -> Self {
        ChainCheck {
            head,
            expected_prev: GENESIS_HASH.to_owned(),
            chained: 0,
            legacy: 0,
            last_row: None,
            first_chained_row: None,
        }
    }

    fn head_rows(&self) -> u64 {
        u64::try_from(self.head.chained_rows).unwrap_or(0)
    }

    /// Checks the next row. `Ok(false)` when the check has reached the head and wants no
    /// more rows; `Err` at the first broken link.
    pub fn push(&mut self, row: &ChainRow) -> Result<bool, BrokenLink> {
        let broken = |problem| Err(BrokenLink { row: Some(row.id), problem });
        match (&row.prev_hash, &row.hash) {
            (None, None) if self.chained > 0 => return broken(LinkProblem::UnchainedAfterChain),
            (None, None) => self.legacy += 1,
            (Some(prev), Some(hash)) => {
                if self.chained == self.head_rows() {
                    return Ok(false);
                }
                if *prev != self.expected_prev {
                    return broken(LinkProblem::PrevHashMismatch);
                }
                let actor = row.actor_user_id.map(UserId);
                if chain_hash(prev, row.at, actor, &row.action, &row.detail) != *hash {
                    return broken(LinkProblem::HashMismatch);
                }
                self.expected_prev.clone_from(hash);
                self.chained += 1;
                self.first_chained_row.get_or_insert(row.id);
            }
            _ => return broken(LinkProblem::HalfChained),
        }
        self.last_row = Some(row.id);
        Ok(true)
    }

    /// The verdict once every row (up to the head) has been pushed.
    pub fn finish(self) -> ChainVerdict {
        let legacy_expected = u64::try_from(self.head.legacy_rows).unwrap_or(0);
        let problem = if self.legacy != legacy_expected {
            Some((
                self.first_chained_row,
                LinkProblem::LegacyRowsChanged { expected: legacy_expected, found: self.legacy },
            ))
        } else if self.chained < self.head_rows() {
            Some((self.last_row, LinkProblem::Truncated { expected: self.head_rows(), found: self.chained }))
        } else if self.expected_prev != self.head.last_hash {
            Some((self.last_row, LinkProblem::HeadMismatch))
        } else {
            None
        };
        match problem {
            Some((row, problem)) => ChainVerdict::Broken(BrokenLink { row, problem }),
            None => ChainVerdict::Intact(ChainSummary {
                rows: self.chained,
                legacy_rows: self.legacy,
                head: self.expected_prev,
            }),
        }
    }
}

/// How many rows [`Audit::verify_audit_chain`] reads at a time.
pub(crate) const VERIFY_PAGE: i64 = 1000;

/// Appends `$event` by `$actor` at `$at` to the chain inside the open transaction `$tx`
/// (a `sqlx::Transaction` of either backend); `?` returns its errors from the enclosing
/// method, whose transaction then rolls back with the change. A macro, like
/// [`impl_for_both!`], so the one SQL text compiles against both backends.
///
/// In SQLite the transaction must already have written (every changing method writes
/// first), or the head update would have to upgrade a read lock, which can fail busy.
macro_rules! append_audit {
    ($tx:expr, $event:expr, $actor:expr, $at:expr) => {{
        let event: &indsats_domain::AuditEvent = $event;
        let actor: Option<indsats_domain::UserId> = $actor;
        let at: i64 = $at;
        // First the head: its lock makes concurrent appends take turns, and the hash it
        // returns is the committed end of the chain.
        let prev_hash: String = sqlx::query_scalar(
            "UPDATE audit_head SET chained_rows = chained_rows + 1 WHERE id = 1 RETURNING last_hash",
        )
        .fetch_one(&mut *$tx)
        .await?;
        let code = event.code();
        let detail = event.detail();
        let hash = $crate::audit::chain_hash(&prev_hash, at, actor, code, &detail);
        sqlx::query(
            "INSERT INTO audit_log (at, actor_user_id, action, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(at)
        .bind(actor.map(|a| a.0))
        .bind(code)
        .bind(&detail)
        .bind(&prev_hash)
        .bind(&hash)
        .execute(&mut *$tx)
        .await?;
        sqlx::query("UPDATE audit_head SET last_hash = $1 WHERE id = 1").bind(&hash).execute(&mut *$tx).await?;
    }};
}
pub(crate) use append_audit;

/// Takes the audit chain's head first in a transaction that reads and then appends (the
/// audited reads of personal data). Without it SQLite's deferred transaction starts as a
/// reader and must upgrade to a writer at the append, which fails at once with SQLITE_BUSY
/// when another connection writes meanwhile; taken first, the write lock waits its turn under
/// the busy timeout, as every change does. On PostgreSQL it is the row lock the append takes.
macro_rules! lock_audit_head {
    ($tx:expr) => {{
        sqlx::query("UPDATE audit_head SET chained_rows = chained_rows WHERE id = 1").execute(&mut *$tx).await?;
    }};
}
pub(crate) use lock_audit_head;

/// Persistence of the audit log.
#[async_trait::async_trait]
pub trait Audit {
    /// Appends an event that changes no data (a refused login) in a transaction of its
    /// own. Events that come with a change are written by the changing method instead.
    async fn record(&self, event: &AuditEvent, actor: Option<UserId>) -> Result<(), StoreError>;
    /// The newest `limit` lines, newest first.
    async fn recent_audit(&self, limit: i64) -> Result<Vec<AuditEntry>, StoreError>;
    /// Recomputes the hash chain from the first row to the head: the number of rows
    /// checked, or the first broken link. Reads in pages, so it runs beside normal use.
    async fn verify_audit_chain(&self) -> Result<ChainVerdict, StoreError>;
}

impl_for_both! {
    impl Audit {
        async fn record(&self, event: &AuditEvent, actor: Option<UserId>) -> Result<(), StoreError> {
            let mut tx = self.pool.begin().await?;
            crate::audit::append_audit!(tx, event, actor, crate::unix_now());
            tx.commit().await?;
            Ok(())
        }

        async fn recent_audit(&self, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
            let rows: Vec<crate::audit::AuditEntryRow> = sqlx::query_as(
                "SELECT a.id, a.at, a.actor_user_id, u.username AS actor, a.action, a.detail FROM audit_log a \
                 LEFT JOIN users u ON u.id = a.actor_user_id ORDER BY a.id DESC LIMIT $1",
            )
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
            rows.into_iter().map(AuditEntry::try_from).collect()
        }

        async fn verify_audit_chain(&self) -> Result<crate::audit::ChainVerdict, StoreError> {
            // The head first: rows appended while the check runs lie beyond it and are left alone.
            let head: crate::audit::ChainHead =
                sqlx::query_as("SELECT chained_rows, last_hash, legacy_rows FROM audit_head WHERE id = 1")
                    .fetch_one(&self.pool)
                    .await?;
            let mut check = crate::audit::ChainCheck::new(head);
            let mut after = i64::MIN;
            loop {
                let rows: Vec<crate::audit::ChainRow> = sqlx::query_as(
                    "SELECT id, at, actor_user_id, action, detail, prev_hash, hash FROM audit_log \
                     WHERE id > $1 ORDER BY id LIMIT $2",
                )
                .bind(after)
                .bind(crate::audit::VERIFY_PAGE)
                .fetch_all(&self.pool)
                .await?;
                let Some(last) = rows.last() else { break };
                after = last.id;
                for row in &rows {
                    match check.push(row) {
                        Ok(true) => {}
                        Ok(false) => return Ok(check.finish()),
                        Err(broken) => return Ok(crate::audit::ChainVerdict::Broken(broken)),
                    }
                }
            }
            Ok(check.finish())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(events: &[(&str, &str)]) -> Vec<ChainRow> {
        let mut prev = GENESIS_HASH.to_owned();
        events
            .iter()
            .zip(1..)
            .map(|(&(action, detail), id)| {
                let hash = chain_hash(&prev, 100 + id, Some(UserId(1)), action, detail);
                let row = ChainRow {
                    id,
                    at: 100 + id,
                    actor_user_id: Some(1),
                    action: action.into(),
                    detail: detail.into(),
                    prev_hash: Some(prev.clone()),
                    hash: Some(hash.clone()),
                };
                prev = hash;
                row
            })
            .collect()
    }

    fn verdict(head: ChainHead, rows: &[ChainRow]) -> ChainVerdict {
        let mut check = ChainCheck::new(head);
        for row in rows {
            match check.push(row) {
                Ok(true) => {}
                Ok(false) => break,
                Err(broken) => return ChainVerdict::Broken(broken),
            }
        }
        check.finish()
    }

    fn head_of(rows: &[ChainRow], legacy_rows: i64) -> ChainHead {
        let chained: Vec<&ChainRow> = rows.iter().filter(|r| r.hash.is_some()).collect();
        ChainHead {
            chained_rows: i64::try_from(chained.len()).unwrap(),
            last_hash: chained.last().and_then(|r| r.hash.clone()).unwrap_or_else(|| GENESIS_HASH.into()),
            legacy_rows,
        }
    }

    fn broken_at(verdict: &ChainVerdict) -> Option<(Option<i64>, &LinkProblem)> {
        match verdict {
            ChainVerdict::Broken(b) => Some((b.row, &b.problem)),
            ChainVerdict::Intact(_) => None,
        }
    }

    #[test]
    fn the_hash_covers_every_field_and_keeps_them_apart() {
        let base = chain_hash(GENESIS_HASH, 1, Some(UserId(2)), "login", "{}");
        assert_eq!(base.len(), 64);
        assert_eq!(base, chain_hash(GENESIS_HASH, 1, Some(UserId(2)), "login", "{}"));
        for other in [
            chain_hash(GENESIS_HASH, 2, Some(UserId(2)), "login", "{}"),
            chain_hash(GENESIS_HASH, 1, None, "login", "{}"),
            chain_hash(GENESIS_HASH, 1, Some(UserId(3)), "login", "{}"),
            chain_hash(GENESIS_HASH, 1, Some(UserId(2)), "logout", "{}"),
            chain_hash(GENESIS_HASH, 1, Some(UserId(2)), "login", "{ }"),
            chain_hash(&"1".repeat(64), 1, Some(UserId(2)), "login", "{}"),
            // Moving a byte from one field to the next changes the hash too.
            chain_hash(GENESIS_HASH, 1, Some(UserId(2)), "login{", "}"),
        ] {
            assert_ne!(base, other);
        }
    }

    #[test]
    fn an_untouched_chain_is_intact_and_reports_its_head() {
        let rows = chain(&[("login", "{}"), ("logout", "{}"), ("login", "{}")]);
        let ChainVerdict::Intact(summary) = verdict(head_of(&rows, 0), &rows) else { panic!() };
        assert_eq!((summary.rows, summary.legacy_rows), (3, 0));
        assert_eq!(Some(summary.head), rows[2].hash.clone());
        let empty = verdict(head_of(&[], 0), &[]);
        assert_eq!(empty, ChainVerdict::Intact(ChainSummary { rows: 0, legacy_rows: 0, head: GENESIS_HASH.into() }));
    }

    #[test]
    fn an_edited_row_is_the_first_broken_link() {
        let mut rows = chain(&[("login", "{}"), ("user.create", r#"{"user":2}"#), ("logout", "{}")]);
        let head = head_of(&rows, 0);
        rows[1].detail = r#"{"user":3}"#.into();
        assert_eq!(broken_at(&verdict(head.clone(), &rows)), Some((Some(2), &LinkProblem::HashMismatch)));
        // Recomputing the edited row's hash moves the break to the next row.
        rows[1].hash = Some(chain_hash(
            rows[1].prev_hash.as_ref().unwrap(),
            rows[1].at,
            Some(UserId(1)),
            "user.create",
            &rows[1].detail,
        ));
        assert_eq!(broken_at(&verdict(head, &rows)), Some((Some(3), &LinkProblem::PrevHashMismatch)));
    }

    #[test]
    fn removed_rows_break_the_chain_in_the_middle_and_at_the_end() {
        let rows = chain(&[("login", "{}"), ("logout", "{}"), ("login", "{}")]);
        let head = head_of(&rows, 0);
        let without_middle = [rows[0].clone(), rows[2].clone()];
        assert_eq!(broken_at(&verdict(head.clone(), &without_middle)), Some((Some(3), &LinkProblem::PrevHashMismatch)));
        assert_eq!(
            broken_at(&verdict(head.clone(), &rows[..2])),
            Some((Some(2), &LinkProblem::Truncated { expected: 3, found: 2 }))
        );
        assert_eq!(broken_at(&verdict(head, &[])), Some((None, &LinkProblem::Truncated { expected: 3, found: 0 })));
    }

    #[test]
    fn rows_appended_after_the_head_was_read_are_left_alone() {
        let rows = chain(&[("login", "{}"), ("logout", "{}"), ("login", "{}")]);
        let ChainVerdict::Intact(summary) = verdict(head_of(&rows[..2], 0), &rows) else { panic!() };
        assert_eq!(summary.rows, 2);
    }

    #[test]
    fn older_rows_are_counted_and_must_stay_before_the_chain() {
        let legacy = |id| ChainRow {
            id,
            at: 1,
            actor_user_id: None,
            action: "login.failed".into(),
            detail: String::new(),
            prev_hash: None,
            hash: None,
        };
        let mut rows = vec![legacy(-2), legacy(-1)];
        rows.extend(chain(&[("login", "{}")]));
        let ChainVerdict::Intact(summary) = verdict(head_of(&rows, 2), &rows) else { panic!() };
        assert_eq!((summary.rows, summary.legacy_rows), (1, 2));
        assert_eq!(
            broken_at(&verdict(head_of(&rows, 3), &rows)),
            Some((Some(1), &LinkProblem::LegacyRowsChanged { expected: 3, found: 2 }))
        );
        // An unchained row after the chain began was written around the application.
        let mut late = rows.clone();
        late.push(legacy(9));
        late.extend(chain(&[("login", "{}"), ("logout", "{}")]).into_iter().skip(1));
        assert_eq!(broken_at(&verdict(head_of(&late, 2), &late)), Some((Some(9), &LinkProblem::UnchainedAfterChain)));
    }
}
