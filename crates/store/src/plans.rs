//! Employment plans: the versioned plan files, and what the managers change in the
//! application (action status, a comment per goal per quarter).
//!
//! A stored version is never changed: loading changed text for a plan id adds the
//! next version, loading the same text again adds nothing. Action states and
//! comments are keyed by plan id, not version, so they survive a new version.
//! Both are edited under optimistic concurrency: the caller sends the revision it
//! showed the user, and a change made by someone else in between is refused with
//! [`StoreError::Conflict`] rather than overwritten.

use sha2::{Digest, Sha256};

use crate::{StoreError, UserId};

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
    pub plan_id: String,
    /// 1, 2, 3, ... in the order loaded.
    pub version: i64,
    /// Kommunekode.
    pub municipality: u16,
    /// The plan's title.
    pub title: String,
    /// When this version was loaded (Unix seconds).
    pub loaded_at: i64,
    /// Who loaded it (username); `None` when loaded outside a login, e.g. by the CLI.
    pub loaded_by: Option<String>,
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

/// The status of an action as last set in the application.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ActionState {
    /// The plan's id.
    pub plan_id: String,
    /// The action's id in the plan file.
    pub action_id: String,
    /// `not_started`, `in_progress`, `done` or `dropped` (`indsats_domain::plan::ActionStatus`).
    pub status: String,
    /// How many times it has been set: 1 after the first change.
    pub revision: i64,
    /// When it was last set (Unix seconds).
    pub changed_at: i64,
    /// Who set it (username).
    pub changed_by: Option<String>,
}

/// A manager's comment on a goal for one quarter.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct GoalComment {
    /// The plan's id.
    pub plan_id: String,
    /// The goal's id in the plan file.
    pub goal_id: String,
    /// The quarter, as `2022Q4`.
    pub quarter: String,
    /// The comment.
    pub text: String,
    /// How many times it has been written: 1 after the first.
    pub revision: i64,
    /// When it was last written (Unix seconds).
    pub updated_at: i64,
    /// Who wrote it last (username).
    pub updated_by: Option<String>,
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
        Ok(PlanVersion {
            municipality: u16::try_from(row.municipality).map_err(|_| StoreError::Corrupt {
                column: "plan_versions.municipality",
                detail: row.municipality.to_string(),
            })?,
            plan_id: row.plan_id,
            version: row.version,
            title: row.title,
            loaded_at: row.loaded_at,
            loaded_by: row.loaded_by,
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

/// Persistence of employment plans and the managers' follow-up on them.
#[async_trait::async_trait]
pub trait Plans {
    /// Stores `text` as the next version of `plan_id` (1 for a new plan), unless it is
    /// byte-identical (same SHA-256) to the latest version, which is then returned as
    /// [`SaveOutcome::Unchanged`]. One transaction: the number is taken by incrementing
    /// the plan's row in `plans`, which makes a concurrent load of the same plan wait for
    /// this one and then compare against what it stored, so two loads never share a
    /// number and identical text is never stored twice in a row. `(plan_id, version)` is
    /// also the primary key, as a last guard ([`StoreError::Conflict`]).
    async fn save_plan_version(
        &self,
        plan_id: &str,
        municipality: u16,
        title: &str,
        text: &str,
        by: Option<UserId>,
        now: i64,
    ) -> Result<SaveOutcome, StoreError>;
    /// The latest version of every plan, ordered by title (then plan id).
    async fn plans(&self) -> Result<Vec<PlanVersion>, StoreError>;
    /// Every version of one plan, newest first; empty for an unknown plan.
    async fn plan_versions(&self, plan_id: &str) -> Result<Vec<PlanVersion>, StoreError>;
    /// One version with its text: the latest when `version` is `None`. `None` when
    /// there is no such plan or version.
    async fn plan(&self, plan_id: &str, version: Option<i64>) -> Result<Option<StoredPlan>, StoreError>;
    /// The action states stored for a plan, ordered by action id. An action never
    /// changed in the application has no row: the status in the plan file applies.
    async fn action_states(&self, plan_id: &str) -> Result<Vec<ActionState>, StoreError>;
    /// Sets an action's status if its stored revision is `expected_revision` (0: never
    /// set in the application), and returns the new state, whose revision is one more.
    /// When someone else changed it first, nothing is written and the error is
    /// `StoreError::Conflict(ACTION_STATUS_CONFLICT)` ("action_status"): tell the user
    /// someone else changed it and show the current state. The caller checks that the
    /// action exists in the plan; `status` must be one of the four status names.
    async fn set_action_status(
        &self,
        plan_id: &str,
        action_id: &str,
        status: &str,
        expected_revision: i64,
        by: UserId,
        now: i64,
    ) -> Result<ActionState, StoreError>;
    /// The comments on a plan's goals for one quarter (`2022Q4`), ordered by goal id.
    async fn goal_comments(&self, plan_id: &str, quarter: &str) -> Result<Vec<GoalComment>, StoreError>;
    /// Writes the comment on a goal for a quarter under the same rule as
    /// [`Plans::set_action_status`]: `expected_revision` is the revision the user saw
    /// (0: no comment yet), and a stale edit gets
    /// `StoreError::Conflict(GOAL_COMMENT_CONFLICT)` ("goal_comment") and writes nothing.
    #[allow(clippy::too_many_arguments)]
    async fn set_goal_comment(
        &self,
        plan_id: &str,
        goal_id: &str,
        quarter: &str,
        text: &str,
        expected_revision: i64,
        by: UserId,
        now: i64,
    ) -> Result<GoalComment, StoreError>;
}

impl_for_both! {
    impl Plans {
        async fn save_plan_version(
            &self,
            plan_id: &str,
            municipality: u16,
            title: &str,
            text: &str,
            by: Option<UserId>,
            now: i64,
        ) -> Result<SaveOutcome, StoreError> {
            let sha256 = crate::plans::plan_sha256(text);
            let mut tx = self.pool.begin().await?;
            // Taking the number first writes the plan's row in `plans`, which holds that
            // row (PostgreSQL) or the whole database (SQLite) until the transaction ends:
            // a concurrent load of the same plan waits and then takes the next number.
            let version: i64 = sqlx::query_scalar(
                "INSERT INTO plans (plan_id, latest_version) VALUES ($1, 1) \
                 ON CONFLICT (plan_id) DO UPDATE SET latest_version = plans.latest_version + 1 \
                 RETURNING latest_version",
            )
            .bind(plan_id)
            .fetch_one(&mut *tx)
            .await?;
            let previous: Option<crate::plans::PlanVersionRow> = sqlx::query_as(concat!(
                "SELECT ", crate::plans::plan_version_columns!(),
                " FROM plan_versions p LEFT JOIN users u ON u.id = p.loaded_by",
                " WHERE p.plan_id = $1 AND p.version = $2"
            ))
            .bind(plan_id)
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
            .bind(plan_id)
            .bind(version)
            .bind(i32::from(municipality))
            .bind(title)
            .bind(text)
            .bind(&sha256)
            .bind(now)
            .bind(by.map(|b| b.0))
            .execute(&mut *tx)
            .await?;
            let created: crate::plans::PlanVersionRow = sqlx::query_as(concat!(
                "SELECT ", crate::plans::plan_version_columns!(),
                " FROM plan_versions p LEFT JOIN users u ON u.id = p.loaded_by",
                " WHERE p.plan_id = $1 AND p.version = $2"
            ))
            .bind(plan_id)
            .bind(version)
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(SaveOutcome::Created(created.try_into()?))
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

        async fn plan_versions(&self, plan_id: &str) -> Result<Vec<PlanVersion>, StoreError> {
            let rows: Vec<crate::plans::PlanVersionRow> = sqlx::query_as(concat!(
                "SELECT ", crate::plans::plan_version_columns!(),
                " FROM plan_versions p LEFT JOIN users u ON u.id = p.loaded_by",
                " WHERE p.plan_id = $1 ORDER BY p.version DESC"
            ))
            .bind(plan_id)
            .fetch_all(&self.pool)
            .await?;
            rows.into_iter().map(PlanVersion::try_from).collect()
        }

        async fn plan(&self, plan_id: &str, version: Option<i64>) -> Result<Option<StoredPlan>, StoreError> {
            let row: Option<crate::plans::StoredPlanRow> = sqlx::query_as(concat!(
                "SELECT ", crate::plans::plan_version_columns!(), ", p.text",
                " FROM plan_versions p LEFT JOIN users u ON u.id = p.loaded_by",
                " WHERE p.plan_id = $1",
                " AND p.version = COALESCE($2, (SELECT h.latest_version FROM plans h WHERE h.plan_id = $1))"
            ))
            .bind(plan_id)
            .bind(version)
            .fetch_optional(&self.pool)
            .await?;
            row.map(StoredPlan::try_from).transpose()
        }

        async fn action_states(&self, plan_id: &str) -> Result<Vec<ActionState>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT s.plan_id, s.action_id, s.status, s.revision, s.changed_at, u.username AS changed_by \
                 FROM plan_action_states s LEFT JOIN users u ON u.id = s.changed_by \
                 WHERE s.plan_id = $1 ORDER BY s.action_id",
            )
            .bind(plan_id)
            .fetch_all(&self.pool)
            .await?)
        }

        async fn set_action_status(
            &self,
            plan_id: &str,
            action_id: &str,
            status: &str,
            expected_revision: i64,
            by: UserId,
            now: i64,
        ) -> Result<ActionState, StoreError> {
            let mut tx = self.pool.begin().await?;
            // The write comes first and carries the revision check, so it is atomic on
            // both backends: PostgreSQL re-checks the WHERE after waiting for a
            // concurrent writer, SQLite has one writer at a time.
            let written = if expected_revision == 0 {
                sqlx::query(
                    "INSERT INTO plan_action_states (plan_id, action_id, status, revision, changed_at, changed_by) \
                     VALUES ($1, $2, $3, 1, $4, $5) ON CONFLICT (plan_id, action_id) DO NOTHING",
                )
                .bind(plan_id)
                .bind(action_id)
                .bind(status)
                .bind(now)
                .bind(by.0)
                .execute(&mut *tx)
                .await?
            } else {
                sqlx::query(
                    "UPDATE plan_action_states SET status = $1, revision = revision + 1, changed_at = $2, changed_by = $3 \
                     WHERE plan_id = $4 AND action_id = $5 AND revision = $6",
                )
                .bind(status)
                .bind(now)
                .bind(by.0)
                .bind(plan_id)
                .bind(action_id)
                .bind(expected_revision)
                .execute(&mut *tx)
                .await?
            };
            if written.rows_affected() == 0 {
                tx.rollback().await?;
                return Err(StoreError::Conflict(crate::plans::ACTION_STATUS_CONFLICT.into()));
            }
            let state: ActionState = sqlx::query_as(
                "SELECT s.plan_id, s.action_id, s.status, s.revision, s.changed_at, u.username AS changed_by \
                 FROM plan_action_states s LEFT JOIN users u ON u.id = s.changed_by \
                 WHERE s.plan_id = $1 AND s.action_id = $2",
            )
            .bind(plan_id)
            .bind(action_id)
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(state)
        }

        async fn goal_comments(&self, plan_id: &str, quarter: &str) -> Result<Vec<GoalComment>, StoreError> {
            Ok(sqlx::query_as(
                "SELECT c.plan_id, c.goal_id, c.quarter, c.text, c.revision, c.updated_at, u.username AS updated_by \
                 FROM plan_goal_comments c LEFT JOIN users u ON u.id = c.updated_by \
                 WHERE c.plan_id = $1 AND c.quarter = $2 ORDER BY c.goal_id",
            )
            .bind(plan_id)
            .bind(quarter)
            .fetch_all(&self.pool)
            .await?)
        }

        async fn set_goal_comment(
            &self,
            plan_id: &str,
            goal_id: &str,
            quarter: &str,
            text: &str,
            expected_revision: i64,
            by: UserId,
            now: i64,
        ) -> Result<GoalComment, StoreError> {
            let mut tx = self.pool.begin().await?;
            // As in set_action_status: the write carries the revision check.
            let written = if expected_revision == 0 {
                sqlx::query(
                    "INSERT INTO plan_goal_comments (plan_id, goal_id, quarter, text, revision, updated_at, updated_by) \
                     VALUES ($1, $2, $3, $4, 1, $5, $6) ON CONFLICT (plan_id, quarter, goal_id) DO NOTHING",
                )
                .bind(plan_id)
                .bind(goal_id)
                .bind(quarter)
                .bind(text)
                .bind(now)
                .bind(by.0)
                .execute(&mut *tx)
                .await?
            } else {
                sqlx::query(
                    "UPDATE plan_goal_comments SET text = $1, revision = revision + 1, updated_at = $2, updated_by = $3 \
                     WHERE plan_id = $4 AND goal_id = $5 AND quarter = $6 AND revision = $7",
                )
                .bind(text)
                .bind(now)
                .bind(by.0)
                .bind(plan_id)
                .bind(goal_id)
                .bind(quarter)
                .bind(expected_revision)
                .execute(&mut *tx)
                .await?
            };
            if written.rows_affected() == 0 {
                tx.rollback().await?;
                return Err(StoreError::Conflict(crate::plans::GOAL_COMMENT_CONFLICT.into()));
            }
            let comment: GoalComment = sqlx::query_as(
                "SELECT c.plan_id, c.goal_id, c.quarter, c.text, c.revision, c.updated_at, u.username AS updated_by \
                 FROM plan_goal_comments c LEFT JOIN users u ON u.id = c.updated_by \
                 WHERE c.plan_id = $1 AND c.goal_id = $2 AND c.quarter = $3",
            )
            .bind(plan_id)
            .bind(goal_id)
            .bind(quarter)
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(comment)
        }
    }
}
