//! Employment plans: the versioned plan files, and what the managers change in the
//! application (action status, a comment per goal per quarter).
//!
//! A stored version is never changed: loading changed text for a plan id adds the
//! next version, loading the same text again adds nothing. Action states and
//! comments are keyed by plan id, not version, so they survive a new version.
//! Both are edited under optimistic concurrency: the caller sends the revision it
//! showed the user, and a change made by someone else in between is refused with
//! [`StoreError::Conflict`] rather than overwritten. Every change that is written
//! writes its audit event (`plan.load`, `plan.action`, `plan.comment`) in the same
//! transaction; a refused or unchanged one writes neither.

use indsats_domain::plan::ActionStatus;
use indsats_domain::{ActionId, AuditEvent, GoalId, MunicipalityCode, PlanId, Quarter, UserId, Username};
use sha2::{Digest, Sha256};

use crate::StoreError;

/// The payload of the [`StoreError::Conflict`] returned by [`Plans::set_action_status`]
/// when someone else changed the action first.
pub const ACTION_STATUS_CONFLICT: &str = "action_status";
/// The payload of the [`StoreError::Conflict`] returned by [`Plans::set_goal_comment`]
/// when someone else changed the comment first.
pub const GOAL_COMMENT_CONFLICT: &str = "goal_comment";

/// One stored version of a plan, without its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanVersion {
    /// The plan's id (`plan.id` in the file).
    pub plan_id: PlanId,
    /// 1, 2, 3, ... in the order loaded.
    pub version: i64,
    /// Kommunekode.
    pub municipality: MunicipalityCode,
    /// The plan's title.
    pub title: String,
    /// When this version was loaded (Unix seconds).
    pub loaded_at: i64,
    /// Who loaded it; `None` when loaded outside a login, e.g. by the CLI.
    pub loaded_by: Option<Username>,
    /// SHA-256 of the text, lower-case hex.
    pub sha256: String,
}

/// A version with the file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPlan {
    /// Which version.
    pub version: PlanVersion,
    /// The plan file exactly as loaded.
    pub text: String,
}

/// A plan file about to be stored as a version ([`Plans::save_plan_version`]).
#[derive(Debug, Clone)]
pub struct NewPlanVersion {
    /// The plan's id (`plan.id` in the file).
    pub plan: PlanId,
    /// Kommunekode.
    pub municipality: MunicipalityCode,
    /// The plan's title.
    pub title: String,
    /// The plan file exactly as read.
    pub text: String,
    /// When it is loaded (Unix seconds); also the time of its audit event.
    pub loaded_at: i64,
}

/// The status of an action as last set in the application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionState {
    /// The plan's id.
    pub plan_id: PlanId,
    /// The action's id in the plan file.
    pub action_id: ActionId,
    /// The status.
    pub status: ActionStatus,
    /// How many times it has been set: 1 after the first change.
    pub revision: i64,
    /// When it was last set (Unix seconds).
    pub changed_at: i64,
    /// Who set it.
    pub changed_by: Option<Username>,
}

/// A manager's change of an action's status ([`Plans::set_action_status`]).
#[derive(Debug, Clone)]
pub struct ActionStatusChange {
    /// The plan.
    pub plan: PlanId,
    /// The action; the caller checks that the plan has it.
    pub action: ActionId,
    /// The new status.
    pub status: ActionStatus,
    /// The revision the user saw: 0 when the action had never been set in the application.
    pub expected_revision: i64,
    /// When (Unix seconds); also the time of its audit event.
    pub at: i64,
}

/// A manager's comment on a goal for one quarter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalComment {
    /// The plan's id.
    pub plan_id: PlanId,
    /// The goal's id in the plan file.
    pub goal_id: GoalId,
    /// The quarter.
    pub quarter: Quarter,
    /// The comment.
    pub text: String,
    /// How many times it has been written: 1 after the first.
    pub revision: i64,
    /// When it was last written (Unix seconds).
    pub updated_at: i64,
    /// Who wrote it last.
    pub updated_by: Option<Username>,
}

/// A manager's writing of the comment on a goal for a quarter ([`Plans::set_goal_comment`]).
#[derive(Debug, Clone)]
pub struct GoalCommentChange {
    /// The plan.
    pub plan: PlanId,
    /// The goal; the caller checks that the plan has it.
    pub goal: GoalId,
    /// The quarter commented on.
    pub quarter: Quarter,
    /// The comment.
    pub text: String,
    /// The revision the user saw: 0 when there was no comment yet.
    pub expected_revision: i64,
    /// When (Unix seconds); also the time of its audit event.
    pub at: i64,
}

/// What [`Plans::save_plan_version`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    /// The text was new: this is the version it became.
    Created(PlanVersion),
    /// The text was byte-identical to the latest version, which is returned; nothing was stored.
    Unchanged(PlanVersion),
}

impl SaveOutcome {
    /// The version the text is stored as, new or not.
    pub fn version(&self) -> &PlanVersion {
        match self {
            SaveOutcome::Created(v) | SaveOutcome::Unchanged(v) => v,
        }
    }
}

/// A user name read through a join, or `None`; a name that no longer parses is corruption
/// of the `users` row, reported under the key of the row being read.
fn joined_username(
    name: Option<String>,
    table: &'static str,
    key: impl FnOnce() -> String,
    column: &str,
) -> Result<Option<Username>, StoreError> {
    name.map(|n| Username::parse(&n).map_err(|e| StoreError::corrupt(table, key(), column, e))).transpose()
}

#[derive(sqlx::FromRow)]
pub(crate) struct PlanVersionRow {
    plan_id: String,
    version: i64,
    municipality: i32,
    title: String,
    loaded_at: i64,
    loaded_by: Option<String>,
    sha256: String,
}

impl TryFrom<PlanVersionRow> for PlanVersion {
    type Error = StoreError;
    fn try_from(row: PlanVersionRow) -> Result<Self, StoreError> {
        let key = || format!("plan_id={}, version={}", row.plan_id, row.version);
        let corrupt = |column: &str, e: &dyn std::fmt::Display| StoreError::corrupt("plan_versions", key(), column, e);
        let municipality = u16::try_from(row.municipality)
            .ok()
            .and_then(|code| MunicipalityCode::new(code).ok())
            .ok_or_else(|| corrupt("municipality", &format!("{} is not a municipality code", row.municipality)))?;
        Ok(PlanVersion {
            plan_id: PlanId::parse(&row.plan_id).map_err(|e| corrupt("plan_id", &e))?,
            loaded_by: joined_username(row.loaded_by, "plan_versions", key, "loaded_by (users.username)")?,
            version: row.version,
            municipality,
            title: row.title,
            loaded_at: row.loaded_at,
            sha256: row.sha256,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct StoredPlanRow {
    #[sqlx(flatten)]
    version: PlanVersionRow,
    text: String,
}

impl TryFrom<StoredPlanRow> for StoredPlan {
    type Error = StoreError;
    fn try_from(row: StoredPlanRow) -> Result<Self, StoreError> {
        Ok(StoredPlan { version: row.version.try_into()?, text: row.text })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ActionStateRow {
    plan_id: String,
    action_id: String,
    status: String,
    revision: i64,
    changed_at: i64,
    changed_by: Option<String>,
}

impl TryFrom<ActionStateRow> for ActionState {
    type Error = StoreError;
    fn try_from(row: ActionStateRow) -> Result<Self, StoreError> {
        let key = || format!("plan_id={}, action_id={}", row.plan_id, row.action_id);
        let corrupt =
            |column: &str, e: &dyn std::fmt::Display| StoreError::corrupt("plan_action_states", key(), column, e);
        Ok(ActionState {
            plan_id: PlanId::parse(&row.plan_id).map_err(|e| corrupt("plan_id", &e))?,
            action_id: ActionId::parse(&row.action_id).map_err(|e| corrupt("action_id", &e))?,
            status: row
                .status
                .parse()
                .map_err(|()| corrupt("status", &format!("{:?} is not an action status", row.status)))?,
            changed_by: joined_username(row.changed_by, "plan_action_states", key, "changed_by (users.username)")?,
            revision: row.revision,
            changed_at: row.changed_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct GoalCommentRow {
    plan_id: String,
    goal_id: String,
    quarter: String,
    text: String,
    revision: i64,
    updated_at: i64,
    updated_by: Option<String>,
}

impl TryFrom<GoalCommentRow> for GoalComment {
    type Error = StoreError;
    fn try_from(row: GoalCommentRow) -> Result<Self, StoreError> {
        let key = || format!("plan_id={}, quarter={}, goal_id={}", row.plan_id, row.quarter, row.goal_id);
        let corrupt =
            |column: &str, e: &dyn std::fmt::Display| StoreError::corrupt("plan_goal_comments", key(), column, e);
        Ok(GoalComment {
            plan_id: PlanId::parse(&row.plan_id).map_err(|e| corrupt("plan_id", &e))?,
            goal_id: GoalId::parse(&row.goal_id).map_err(|e| corrupt("goal_id", &e))?,
            quarter: row.quarter.parse().map_err(|e| corrupt("quarter", &e))?,
            updated_by: joined_username(row.updated_by, "plan_goal_comments", key, "updated_by (users.username)")?,
            text: row.text,
            revision: row.revision,
            updated_at: row.updated_at,
        })
    }
}

/// The SHA-256 of `text`, lower-case hex: what [`PlanVersion::sha256`] holds.
pub fn plan_sha256(text: &str) -> String {
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

/// The columns [`PlanVersionRow`] reads, from `plan_versions p LEFT JOIN users u`.
macro_rules! plan_version_columns {
    () => {
        "p.plan_id, p.version, p.municipality, p.title, p.loaded_at, u.username AS loaded_by, p.sha256"
    };
}
pub(crate) use plan_version_columns;

/// The query reading one [`ActionStateRow`] by plan and action id.
macro_rules! action_state_query {
    ($where:literal) => {
        concat!(
            "SELECT s.plan_id, s.action_id, s.status, s.revision, s.changed_at, u.username AS changed_by \
             FROM plan_action_states s LEFT JOIN users u ON u.id = s.changed_by WHERE ",
            $where
        )
    };
}
pub(crate) use action_state_query;

/// The query reading [`GoalCommentRow`]s.
macro_rules! goal_comment_query {
    ($where:literal) => {
        concat!(
            "SELECT c.plan_id, c.goal_id, c.quarter, c.text, c.revision, c.updated_at, u.username AS updated_by \
             FROM plan_goal_comments c LEFT JOIN users u ON u.id = c.updated_by WHERE ",
            $where
        )
    };
}
pub(crate) use goal_comment_query;

/// Persistence of employment plans and the managers' follow-up on them.
#[async_trait::async_trait]
pub trait Plans {
    /// Stores the text as the next version of its plan (1 for a new plan) and records
    /// `plan.load` by `actor` (who also becomes [`PlanVersion::loaded_by`]), unless it is
    /// byte-identical (same SHA-256) to the latest version, which is then returned as
    /// [`SaveOutcome::Unchanged`] and nothing is written. One transaction: the number is
    /// taken by incrementing the plan's row in `plans`, which makes a concurrent load of
    /// the same plan wait for this one and then compare against what it stored, so two
    /// loads never share a number and identical text is never stored twice in a row.
    /// `(plan_id, version)` is also the primary key, as a last guard ([`StoreError::Conflict`]).
    async fn save_plan_version(&self, new: &NewPlanVersion, actor: Option<UserId>) -> Result<SaveOutcome, StoreError>;
    /// The latest version of every plan, ordered by title (then plan id).
    async fn plans(&self) -> Result<Vec<PlanVersion>, StoreError>;
    /// Every version of one plan, newest first; empty for an unknown plan.
    async fn plan_versions(&self, plan: &PlanId) -> Result<Vec<PlanVersion>, StoreError>;
    /// One version with its text: the latest when `version` is `None`. `None` when
    /// there is no such plan or version.
    async fn plan(&self, plan: &PlanId, version: Option<i64>) -> Result<Option<StoredPlan>, StoreError>;
    /// The action states stored for a plan, ordered by action id. An action never
    /// changed in the application has no row: the status in the plan file applies.
    async fn action_states(&self, plan: &PlanId) -> Result<Vec<ActionState>, StoreError>;
    /// Sets an action's status if its stored revision is `change.expected_revision` (0:
    /// never set in the application), records `plan.action` by `actor`, and returns the
    /// new state, whose revision is one more. When someone else changed it first, nothing
    /// is written and the error is `StoreError::Conflict(ACTION_STATUS_CONFLICT)`
    /// ("action_status"): tell the user someone else changed it and show the current
    /// state. The caller checks that the action exists in the plan.
    async fn set_action_status(&self, change: &ActionStatusChange, actor: UserId) -> Result<ActionState, StoreError>;
    /// The comments on a plan's goals for one quarter, ordered by goal id.
    async fn goal_comments(&self, plan: &PlanId, quarter: Quarter) -> Result<Vec<GoalComment>, StoreError>;
    /// Writes the comment on a goal for a quarter and records `plan.comment` by `actor`,
    /// under the same rule as [`Plans::set_action_status`]: `change.expected_revision` is
    /// the revision the user saw (0: no comment yet), and a stale edit gets
    /// `StoreError::Conflict(GOAL_COMMENT_CONFLICT)` ("goal_comment") and writes nothing.
    async fn set_goal_comment(&self, change: &GoalCommentChange, actor: UserId) -> Result<GoalComment, StoreError>;
}

impl_for_both! {
    impl Plans {
        async fn save_plan_version(&self, new: &NewPlanVersion, actor: Option<UserId>) -> Result<SaveOutcome, StoreError> {
            let sha256 = crate::plans::plan_sha256(&new.text);
            let mut tx = self.pool.begin().await?;
            // Taking the number first writes the plan's row in `plans`, which holds that
            // row (PostgreSQL) or the whole database (SQLite) until the transaction ends:
            // a concurrent load of the same plan waits and then takes the next number.
            let version: i64 = sqlx::query_scalar(
                "INSERT INTO plans (plan_id, latest_version) VALUES ($1, 1) \
                 ON CONFLICT (plan_id) DO UPDATE SET latest_version = plans.latest_version + 1 \
                 RETURNING latest_version",
            )
            .bind(new.plan.as_str())
            .fetch_one(&mut *tx)
            .await?;
            let previous: Option<crate::plans::PlanVersionRow> = sqlx::query_as(concat!(
                "SELECT ", crate::plans::plan_version_columns!(),
                " FROM plan_versions p LEFT JOIN users u ON u.id = p.loaded_by",
                " WHERE p.plan_id = $1 AND p.version = $2"
            ))
            .bind(new.plan.as_str())
            .bind(version - 1)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(previous) = previous.filter(|p| p.sha256 == sha256) {
                // The same text as the latest version: undo the number, store nothing.
                tx.rollback().await?;
                return Ok(SaveOutcome::Unchanged(previous.try_into()?));
            }
            sqlx::query(
                "INSERT INTO plan_versions (plan_id, version, municipality, title, text, sha256, loaded_at, loaded_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(new.plan.as_str())
            .bind(version)
            .bind(i32::from(new.municipality.get()))
            .bind(&new.title)
            .bind(&new.text)
            .bind(&sha256)
            .bind(new.loaded_at)
            .bind(actor.map(|a| a.0))
            .execute(&mut *tx)
            .await?;
            let created: crate::plans::PlanVersionRow = sqlx::query_as(concat!(
                "SELECT ", crate::plans::plan_version_columns!(),
                " FROM plan_versions p LEFT JOIN users u ON u.id = p.loaded_by",
                " WHERE p.plan_id = $1 AND p.version = $2"
            ))
            .bind(new.plan.as_str())
            .bind(version)
            .fetch_one(&mut *tx)
            .await?;
            let created = PlanVersion::try_from(created)?;
            let event = AuditEvent::PlanLoaded { plan: new.plan.clone(), version };
            crate::audit::append_audit!(tx, &event, actor, new.loaded_at);
            tx.commit().await?;
            Ok(SaveOutcome::Created(created))
        }

        async fn plans(&self) -> Result<Vec<PlanVersion>, StoreError> {
            let rows: Vec<crate::plans::PlanVersionRow> = sqlx::query_as(concat!(
                "SELECT ", crate::plans::plan_version_columns!(),
                " FROM plans h JOIN plan_versions p ON p.plan_id = h.plan_id AND p.version = h.latest_version",
                " LEFT JOIN users u ON u.id = p.loaded_by ORDER BY p.title, p.plan_id"
            ))
            .fetch_all(&self.pool)
            .await?;
            rows.into_iter().map(PlanVersion::try_from).collect()
        }

        async fn plan_versions(&self, plan: &PlanId) -> Result<Vec<PlanVersion>, StoreError> {
            let rows: Vec<crate::plans::PlanVersionRow> = sqlx::query_as(concat!(
                "SELECT ", crate::plans::plan_version_columns!(),
                " FROM plan_versions p LEFT JOIN users u ON u.id = p.loaded_by",
                " WHERE p.plan_id = $1 ORDER BY p.version DESC"
            ))
            .bind(plan.as_str())
            .fetch_all(&self.pool)
            .await?;
            rows.into_iter().map(PlanVersion::try_from).collect()
        }

        async fn plan(&self, plan: &PlanId, version: Option<i64>) -> Result<Option<StoredPlan>, StoreError> {
            let row: Option<crate::plans::StoredPlanRow> = sqlx::query_as(concat!(
                "SELECT ", crate::plans::plan_version_columns!(), ", p.text",
                " FROM plan_versions p LEFT JOIN users u ON u.id = p.loaded_by",
                " WHERE p.plan_id = $1",
                " AND p.version = COALESCE($2, (SELECT h.latest_version FROM plans h WHERE h.plan_id = $1))"
            ))
            .bind(plan.as_str())
            .bind(version)
            .fetch_optional(&self.pool)
            .await?;
            row.map(StoredPlan::try_from).transpose()
        }

        async fn action_states(&self, plan: &PlanId) -> Result<Vec<ActionState>, StoreError> {
            let rows: Vec<crate::plans::ActionStateRow> =
                sqlx::query_as(crate::plans::action_state_query!("s.plan_id = $1 ORDER BY s.action_id"))
                    .bind(plan.as_str())
                    .fetch_all(&self.pool)
                    .await?;
            rows.into_iter().map(ActionState::try_from).collect()
        }

        async fn set_action_status(&self, change: &ActionStatusChange, actor: UserId) -> Result<ActionState, StoreError> {
            let mut tx = self.pool.begin().await?;
            // The write comes first and carries the revision check, so it is atomic on
            // both backends: PostgreSQL re-checks the WHERE after waiting for a
            // concurrent writer, SQLite has one writer at a time.
            let written = if change.expected_revision == 0 {
                sqlx::query(
                    "INSERT INTO plan_action_states (plan_id, action_id, status, revision, changed_at, changed_by) \
                     VALUES ($1, $2, $3, 1, $4, $5) ON CONFLICT (plan_id, action_id) DO NOTHING",
                )
                .bind(change.plan.as_str())
                .bind(change.action.as_str())
                .bind(change.status.as_str())
                .bind(change.at)
                .bind(actor.0)
                .execute(&mut *tx)
                .await?
            } else {
                sqlx::query(
                    "UPDATE plan_action_states SET status = $1, revision = revision + 1, changed_at = $2, changed_by = $3 \
                     WHERE plan_id = $4 AND action_id = $5 AND revision = $6",
                )
                .bind(change.status.as_str())
                .bind(change.at)
                .bind(actor.0)
                .bind(change.plan.as_str())
                .bind(change.action.as_str())
                .bind(change.expected_revision)
                .execute(&mut *tx)
                .await?
            };
            if written.rows_affected() == 0 {
                tx.rollback().await?;
                return Err(StoreError::Conflict(crate::plans::ACTION_STATUS_CONFLICT.into()));
            }
            let state: crate::plans::ActionStateRow =
                sqlx::query_as(crate::plans::action_state_query!("s.plan_id = $1 AND s.action_id = $2"))
                    .bind(change.plan.as_str())
                    .bind(change.action.as_str())
                    .fetch_one(&mut *tx)
                    .await?;
            let state = ActionState::try_from(state)?;
            let event = AuditEvent::ActionStatusSet {
                plan: change.plan.clone(),
                action: change.action.clone(),
                status: change.status,
                revision: state.revision,
            };
            crate::audit::append_audit!(tx, &event, Some(actor), change.at);
            tx.commit().await?;
            Ok(state)
        }

        async fn goal_comments(&self, plan: &PlanId, quarter: Quarter) -> Result<Vec<GoalComment>, StoreError> {
            let rows: Vec<crate::plans::GoalCommentRow> =
                sqlx::query_as(crate::plans::goal_comment_query!("c.plan_id = $1 AND c.quarter = $2 ORDER BY c.goal_id"))
                    .bind(plan.as_str())
                    .bind(quarter.to_string())
                    .fetch_all(&self.pool)
                    .await?;
            rows.into_iter().map(GoalComment::try_from).collect()
        }

        async fn set_goal_comment(&self, change: &GoalCommentChange, actor: UserId) -> Result<GoalComment, StoreError> {
            let quarter = change.quarter.to_string();
            let mut tx = self.pool.begin().await?;
            // As in set_action_status: the write carries the revision check.
            let written = if change.expected_revision == 0 {
                sqlx::query(
                    "INSERT INTO plan_goal_comments (plan_id, goal_id, quarter, text, revision, updated_at, updated_by) \
                     VALUES ($1, $2, $3, $4, 1, $5, $6) ON CONFLICT (plan_id, quarter, goal_id) DO NOTHING",
                )
                .bind(change.plan.as_str())
                .bind(change.goal.as_str())
                .bind(&quarter)
                .bind(&change.text)
                .bind(change.at)
                .bind(actor.0)
                .execute(&mut *tx)
                .await?
            } else {
                sqlx::query(
                    "UPDATE plan_goal_comments SET text = $1, revision = revision + 1, updated_at = $2, updated_by = $3 \
                     WHERE plan_id = $4 AND goal_id = $5 AND quarter = $6 AND revision = $7",
                )
                .bind(&change.text)
                .bind(change.at)
                .bind(actor.0)
                .bind(change.plan.as_str())
                .bind(change.goal.as_str())
                .bind(&quarter)
                .bind(change.expected_revision)
                .execute(&mut *tx)
                .await?
            };
            if written.rows_affected() == 0 {
                tx.rollback().await?;
                return Err(StoreError::Conflict(crate::plans::GOAL_COMMENT_CONFLICT.into()));
            }
            let comment: crate::plans::GoalCommentRow = sqlx::query_as(crate::plans::goal_comment_query!(
                "c.plan_id = $1 AND c.goal_id = $2 AND c.quarter = $3"
            ))
            .bind(change.plan.as_str())
            .bind(change.goal.as_str())
            .bind(&quarter)
            .fetch_one(&mut *tx)
            .await?;
            let comment = GoalComment::try_from(comment)?;
            let event = AuditEvent::GoalCommented {
                plan: change.plan.clone(),
                goal: change.goal.clone(),
                quarter: change.quarter,
                revision: comment.revision,
            };
            crate::audit::append_audit!(tx, &event, Some(actor), change.at);
            tx.commit().await?;
            Ok(comment)
        }
    }
}
