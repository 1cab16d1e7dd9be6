//! The coherent plan per citizen: the current version, every saved version kept.
//!
//! A save names the revision it was made from; when that is no longer the current one (a
//! colleague saved in between) the save is refused with [`StoreError::Conflict`] and nothing
//! is written, so the caller can show both versions. Every read writes `citizen.plan.view`
//! in its own transaction with the audit head taken first, like the case reads do.

use chrono::NaiveDate;
use indsats_domain::case::AccessReason;
use indsats_domain::citizen_plan::{Effort, PlanContent, PlanGoal};
use indsats_domain::{AuditEvent, CitizenId, UserId, Username};

use crate::StoreError;

/// The payload of [`StoreError::Conflict`] when the plan changed since it was read.
pub const PLAN_CONFLICT: &str = "citizen_plan";

const DATE: &str = "%Y-%m-%d";

/// One saved version of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanVersionSaved {
    /// Its revision: 1 for the first save, one more for each save after.
    pub revision: i64,
    /// Who saved it; `None` when the user is gone.
    pub saved_by: Option<Username>,
    /// When, Unix seconds.
    pub saved_at: i64,
    /// Goals and efforts.
    pub content: PlanContent,
}

/// A citizen's plan as the plan page reads it.
#[derive(Debug, Clone)]
pub struct PlanFile {
    /// The citizen's name, for the page's heading.
    pub name: String,
    /// Whether the case is open (a closed case's plan is read only).
    pub open: bool,
    /// The current version; `None` before the first save.
    pub current: Option<PlanVersionSaved>,
}

/// Persistence of citizens' plans.
#[async_trait::async_trait]
pub trait CitizenPlans {
    /// The current plan, recording `citizen.plan.view` (with `reason`) by `actor`. `None`
    /// for an unknown citizen.
    async fn citizen_plan(
        &self,
        citizen: CitizenId,
        actor: UserId,
        reason: Option<AccessReason>,
    ) -> Result<Option<PlanFile>, StoreError>;
    /// Every saved version, newest first, recording `citizen.plan.view` with the versions.
    async fn citizen_plan_history(
        &self,
        citizen: CitizenId,
        actor: UserId,
        reason: Option<AccessReason>,
    ) -> Result<Vec<PlanVersionSaved>, StoreError>;
    /// Saves `content` as the next version, recording `citizen.plan.save`, and returns the
    /// new revision. `expected` is the revision the user edited (0 before the first save);
    /// any other current revision gives `StoreError::Conflict(PLAN_CONFLICT)`, nothing saved.
    async fn save_citizen_plan(
        &self,
        citizen: CitizenId,
        expected: i64,
        content: &PlanContent,
        actor: UserId,
    ) -> Result<i64, StoreError>;
}

#[derive(sqlx::FromRow)]
pub(crate) struct VersionRow {
    revision: i64,
    saved_by: Option<String>,
    saved_at: i64,
}

#[derive(sqlx::FromRow)]
pub(crate) struct GoalRow {
    revision: i64,
    goal: i64,
    sub: i64,
    text: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct EffortRow {
    revision: i64,
    position: i64,
    department: String,
    what: String,
    responsible: String,
    status: String,
    review_on: Option<String>,
}

/// Puts versions, goal rows and effort rows (each ordered by revision, then position)
/// together, newest version first.
pub(crate) fn assemble(
    citizen: CitizenId,
    versions: Vec<VersionRow>,
    goals: Vec<GoalRow>,
    efforts: Vec<EffortRow>,
) -> Result<Vec<PlanVersionSaved>, StoreError> {
    use std::collections::BTreeMap;
    const T: &str = "citizen_plan_efforts";
    let mut out: BTreeMap<i64, PlanVersionSaved> = BTreeMap::new();
    for v in versions {
        let saved_by = v
            .saved_by
            .map(|n| Username::parse(&n))
            .transpose()
            .map_err(|e| StoreError::corrupt("citizen_plan_versions", key(citizen, v.revision), "saved_by", e))?;
        out.insert(
            v.revision,
            PlanVersionSaved { revision: v.revision, saved_by, saved_at: v.saved_at, content: PlanContent::default() },
        );
    }
    for g in goals {
        let Some(version) = out.get_mut(&g.revision) else { continue };
        let goals = &mut version.content.goals;
        if g.sub == 0 {
            goals.push(PlanGoal { text: g.text, sub_goals: Vec::new() });
        } else {
            let in_order = usize::try_from(g.goal).ok().map(|i| i + 1) == Some(goals.len());
            let Some(last) = goals.last_mut().filter(|_| in_order) else {
                return Err(StoreError::corrupt(
                    "citizen_plan_goals",
                    key(citizen, g.revision),
                    "goal",
                    "sub-goal without its goal",
                ));
            };
            last.sub_goals.push(g.text);
        }
    }
    for e in efforts {
        let Some(version) = out.get_mut(&e.revision) else { continue };
        let k = || format!("{} position={}", key(citizen, e.revision), e.position);
        version.content.efforts.push(Effort {
            department: e.department.parse().map_err(|err| StoreError::corrupt(T, k(), "department", err))?,
            status: e.status.parse().map_err(|err| StoreError::corrupt(T, k(), "status", err))?,
            review: e
                .review_on
                .as_deref()
                .map(|d| NaiveDate::parse_from_str(d, DATE))
                .transpose()
                .map_err(|err| StoreError::corrupt(T, k(), "review_on", err))?,
            what: e.what,
            responsible: e.responsible,
        });
    }
    Ok(out.into_values().rev().collect())
}

fn key(citizen: CitizenId, revision: i64) -> String {
    format!("citizen_id={} revision={revision}", citizen.0)
}

/// Columns and order of the three version queries; `$1` is the citizen, `$2` the lowest
/// revision wanted (the current one for the plan page, 1 for the history).
macro_rules! version_queries {
    () => {
        (
            "SELECT v.revision, u.username AS saved_by, v.saved_at FROM citizen_plan_versions v \
             LEFT JOIN users u ON u.id = v.saved_by WHERE v.citizen_id = $1 AND v.revision >= $2 \
             ORDER BY v.revision",
            "SELECT revision, goal, sub, text FROM citizen_plan_goals WHERE citizen_id = $1 AND revision >= $2 \
             ORDER BY revision, goal, sub",
            "SELECT revision, position, department, what, responsible, status, review_on FROM citizen_plan_efforts \
             WHERE citizen_id = $1 AND revision >= $2 ORDER BY revision, position",
        )
    };
}
pub(crate) use version_queries;

impl_for_both! {
    impl CitizenPlans {
        async fn citizen_plan(
            &self,
            citizen: CitizenId,
            actor: UserId,
            reason: Option<AccessReason>,
        ) -> Result<Option<PlanFile>, StoreError> {
            let mut tx = self.pool.begin().await?;
            crate::audit::lock_audit_head!(tx);
            let head: Option<(String, Option<String>)> =
                sqlx::query_as("SELECT name, closed_on FROM citizens WHERE id = $1")
                    .bind(citizen.0)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some((name, closed_on)) = head else {
                return Ok(None);
            };
            let current: Option<i64> = sqlx::query_scalar("SELECT revision FROM citizen_plans WHERE citizen_id = $1")
                .bind(citizen.0)
                .fetch_optional(&mut *tx)
                .await?;
            let (versions_sql, goals_sql, efforts_sql) = crate::citizen_plans::version_queries!();
            let mut versions = Vec::new();
            if let Some(revision) = current {
                let v: Vec<crate::citizen_plans::VersionRow> =
                    sqlx::query_as(versions_sql).bind(citizen.0).bind(revision).fetch_all(&mut *tx).await?;
                let g: Vec<crate::citizen_plans::GoalRow> =
                    sqlx::query_as(goals_sql).bind(citizen.0).bind(revision).fetch_all(&mut *tx).await?;
                let e: Vec<crate::citizen_plans::EffortRow> =
                    sqlx::query_as(efforts_sql).bind(citizen.0).bind(revision).fetch_all(&mut *tx).await?;
                versions = crate::citizen_plans::assemble(citizen, v, g, e)?;
            }
            let event = AuditEvent::CitizenPlanViewed { citizen, reason, history: false };
            crate::audit::append_audit!(tx, &event, Some(actor), crate::unix_now());
            tx.commit().await?;
            Ok(Some(PlanFile { name, open: closed_on.is_none(), current: versions.into_iter().next() }))
        }

        async fn citizen_plan_history(
            &self,
            citizen: CitizenId,
            actor: UserId,
            reason: Option<AccessReason>,
        ) -> Result<Vec<PlanVersionSaved>, StoreError> {
            let mut tx = self.pool.begin().await?;
            crate::audit::lock_audit_head!(tx);
            let (versions_sql, goals_sql, efforts_sql) = crate::citizen_plans::version_queries!();
            let v: Vec<crate::citizen_plans::VersionRow> =
                sqlx::query_as(versions_sql).bind(citizen.0).bind(1_i64).fetch_all(&mut *tx).await?;
            let g: Vec<crate::citizen_plans::GoalRow> =
                sqlx::query_as(goals_sql).bind(citizen.0).bind(1_i64).fetch_all(&mut *tx).await?;
            let e: Vec<crate::citizen_plans::EffortRow> =
                sqlx::query_as(efforts_sql).bind(citizen.0).bind(1_i64).fetch_all(&mut *tx).await?;
            let event = AuditEvent::CitizenPlanViewed { citizen, reason, history: true };
            crate::audit::append_audit!(tx, &event, Some(actor), crate::unix_now());
            tx.commit().await?;
            crate::citizen_plans::assemble(citizen, v, g, e)
        }

        async fn save_citizen_plan(
            &self,
            citizen: CitizenId,
            expected: i64,
            content: &PlanContent,
            actor: UserId,
        ) -> Result<i64, StoreError> {
            let now = crate::unix_now();
            let mut tx = self.pool.begin().await?;
            // The first statement writes, so SQLite takes the write lock at once, and on
            // PostgreSQL a concurrent save waits on the row and then sees the new revision.
            let revision: Option<i64> = sqlx::query_scalar(
                "INSERT INTO citizen_plans (citizen_id, revision) VALUES ($1, 1) \
                 ON CONFLICT (citizen_id) DO UPDATE SET revision = citizen_plans.revision + 1 \
                 WHERE citizen_plans.revision = $2 RETURNING revision",
            )
            .bind(citizen.0)
            .bind(expected)
            .fetch_optional(&mut *tx)
            .await?;
            // A first save that names a revision, or a later one that does not match: stale.
            let Some(revision) = revision.filter(|r| *r == expected + 1) else {
                return Err(StoreError::Conflict(crate::citizen_plans::PLAN_CONFLICT.to_owned()));
            };
            sqlx::query("INSERT INTO citizen_plan_versions (citizen_id, revision, saved_by, saved_at) VALUES ($1, $2, $3, $4)")
                .bind(citizen.0)
                .bind(revision)
                .bind(actor.0)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            for (goal, g) in (0_i64..).zip(&content.goals) {
                for (sub, text) in (0_i64..).zip(std::iter::once(&g.text).chain(&g.sub_goals)) {
                    sqlx::query(
                        "INSERT INTO citizen_plan_goals (citizen_id, revision, goal, sub, text) VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(citizen.0)
                    .bind(revision)
                    .bind(goal)
                    .bind(sub)
                    .bind(text)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            for (position, e) in (0_i64..).zip(&content.efforts) {
                sqlx::query(
                    "INSERT INTO citizen_plan_efforts (citizen_id, revision, position, department, what, responsible, \
                     status, review_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(citizen.0)
                .bind(revision)
                .bind(position)
                .bind(e.department.code())
                .bind(&e.what)
                .bind(&e.responsible)
                .bind(e.status.code())
                .bind(e.review.map(|d| d.format(DATE).to_string()))
                .execute(&mut *tx)
                .await?;
            }
            crate::audit::append_audit!(tx, &AuditEvent::CitizenPlanSaved { citizen, revision }, Some(actor), now);
            tx.commit().await?;
            Ok(revision)
        }
    }
}
