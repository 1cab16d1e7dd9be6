//! Reasoned exemptions from the portfolio rules' minimums (the 75 % rules), and the counts
//! the municipality's exemption quota is judged on.
//!
//! An exemption is never deleted: ending it records who and when, so the record of who
//! exempted whom, when and why stays. A grant counts the pools inside its own transaction,
//! after taking the audit head, so two grants at once cannot both take the last place in a
//! quota. The reason is the caseworker's own words: it is kept here and never copied into
//! the audit log.

use indsats_domain::case::{AccessReason, TargetGroup};
use indsats_domain::{AuditEvent, CitizenId, UserId, Username};

use crate::StoreError;

/// The payload of [`StoreError::Conflict`] when a grant would take a pool over its quota.
pub const QUOTA_FULL: &str = "exemption_quota";
/// The payload of [`StoreError::Conflict`] when the citizen is exempted already.
pub const ALREADY_EXEMPT: &str = "exemption_open";
/// The payload of [`StoreError::Conflict`] when the citizen's target group is in no pool, or
/// the case is closed: there is no minimum to exempt from.
pub const NOT_IN_PORTFOLIO: &str = "exemption_not_in_portfolio";
/// The payload of [`StoreError::Conflict`] when the exemption to end is not open.
pub const NOT_OPEN: &str = "exemption_not_open";

/// An exemption as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exemption {
    /// Its id.
    pub id: i64,
    /// Why, in the caseworker's words.
    pub reason: String,
    /// Who granted it; `None` when the user is gone.
    pub granted_by: Option<Username>,
    /// When, Unix seconds.
    pub granted_at: i64,
    /// Who ended it.
    pub ended_by: Option<Username>,
    /// When it ended, Unix seconds; `None` while it holds.
    pub ended_at: Option<i64>,
}

/// What the exemption page shows of a case.
#[derive(Debug, Clone)]
pub struct ExemptionFile {
    /// The citizen's name, for the heading.
    pub name: String,
    /// The current target group.
    pub target_group: TargetGroup,
    /// Whether the case is open.
    pub open: bool,
    /// Every exemption, newest first.
    pub exemptions: Vec<Exemption>,
}

/// An exemption to grant ([`Exemptions::grant_exemption`]).
#[derive(Debug, Clone)]
pub struct NewExemption {
    /// The citizen.
    pub citizen: CitizenId,
    /// Why (required; checked by the caller).
    pub reason: String,
    /// The pools of target groups of the portfolio rule in force (conversations, offers): the
    /// grant is refused when it would take a pool holding the citizen's group over
    /// `max_exempt_percent`, or when no pool holds it.
    pub pools: Vec<Vec<TargetGroup>>,
    /// The most that may be exempted in a pool, in percent (25).
    pub max_exempt_percent: u32,
}

/// Open cases and open exemptions in one target group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupCount {
    /// The target group.
    pub group: TargetGroup,
    /// Open cases.
    pub open: u32,
    /// Of which exempted.
    pub exempted: u32,
}

/// Sums the counts of `groups`: (exempted, open).
pub fn pool_counts(counts: &[GroupCount], groups: &[TargetGroup]) -> (u32, u32) {
    counts.iter().filter(|c| groups.contains(&c.group)).fold((0, 0), |(e, o), c| (e + c.exempted, o + c.open))
}

/// Persistence of exemptions.
#[async_trait::async_trait]
pub trait Exemptions {
    /// A citizen's name, target group, whether the case is open, and exemptions newest first,
    /// recording `citizen.view` (with `reason`) by `actor`; `None` for an unknown citizen.
    async fn exemption_file(
        &self,
        citizen: CitizenId,
        actor: UserId,
        reason: Option<AccessReason>,
    ) -> Result<Option<ExemptionFile>, StoreError>;
    /// Grants an exemption, recording `citizen.exemption.grant`; refused with
    /// `Conflict(QUOTA_FULL)` or `Conflict(ALREADY_EXEMPT)`, nothing written.
    async fn grant_exemption(&self, new: &NewExemption, actor: UserId) -> Result<i64, StoreError>;
    /// Ends an open exemption, recording `citizen.exemption.end`; `Conflict(NOT_OPEN)` when
    /// it is not the citizen's open exemption.
    async fn end_exemption(&self, citizen: CitizenId, exemption: i64, actor: UserId) -> Result<(), StoreError>;
    /// Open cases and open exemptions per target group (counts only, no person).
    async fn exemption_counts(&self) -> Result<Vec<GroupCount>, StoreError>;
}

#[derive(sqlx::FromRow)]
pub(crate) struct ExemptionRow {
    id: i64,
    reason: String,
    granted_by: Option<String>,
    granted_at: i64,
    ended_by: Option<String>,
    ended_at: Option<i64>,
}

impl TryFrom<ExemptionRow> for Exemption {
    type Error = StoreError;
    fn try_from(row: ExemptionRow) -> Result<Self, StoreError> {
        let key = format!("id={}", row.id);
        let name = |n: Option<String>, column: &str| {
            n.map(|n| Username::parse(&n))
                .transpose()
                .map_err(|e| StoreError::corrupt("portfolio_exemptions", key.clone(), column, e))
        };
        Ok(Exemption {
            id: row.id,
            granted_by: name(row.granted_by, "granted_by (users.username)")?,
            ended_by: name(row.ended_by, "ended_by (users.username)")?,
            reason: row.reason,
            granted_at: row.granted_at,
            ended_at: row.ended_at,
        })
    }
}

pub(crate) fn counts(rows: Vec<(String, i64, i64)>) -> Result<Vec<GroupCount>, StoreError> {
    rows.into_iter()
        .map(|(group, open, exempted)| {
            let group: TargetGroup = group
                .parse()
                .map_err(|e| StoreError::corrupt("citizens", format!("target_group={group}"), "target_group", e))?;
            Ok(GroupCount {
                group,
                open: u32::try_from(open).unwrap_or(u32::MAX),
                exempted: u32::try_from(exempted).unwrap_or(u32::MAX),
            })
        })
        .collect()
}

/// Whether one more exemption keeps every pool within `percent`.
pub(crate) fn room_for_one(counts: &[GroupCount], pools: &[Vec<TargetGroup>], percent: u32) -> bool {
    pools.iter().all(|pool| {
        let (exempted, open) = pool_counts(counts, pool);
        (u64::from(exempted) + 1) * 100 <= u64::from(open) * u64::from(percent)
    })
}

const COUNTS: &str = "SELECT c.target_group, COUNT(*), COUNT(x.id) FROM citizens c \
     LEFT JOIN portfolio_exemptions x ON x.citizen_id = c.id AND x.ended_at IS NULL \
     WHERE c.closed_on IS NULL GROUP BY c.target_group ORDER BY c.target_group";

impl_for_both! {
    impl Exemptions {
        async fn exemption_file(
            &self,
            citizen: CitizenId,
            actor: UserId,
            reason: Option<AccessReason>,
        ) -> Result<Option<crate::exemptions::ExemptionFile>, StoreError> {
            let mut tx = self.pool.begin().await?;
            crate::audit::lock_audit_head!(tx);
            let case: Option<(String, String, Option<String>)> =
                sqlx::query_as("SELECT name, target_group, closed_on FROM citizens WHERE id = $1")
                    .bind(citizen.0)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some((name, group, closed)) = case else { return Ok(None) };
            let rows: Vec<crate::exemptions::ExemptionRow> = sqlx::query_as(
                "SELECT x.id, x.reason, g.username AS granted_by, x.granted_at, e.username AS ended_by, x.ended_at \
                 FROM portfolio_exemptions x LEFT JOIN users g ON g.id = x.granted_by \
                 LEFT JOIN users e ON e.id = x.ended_by WHERE x.citizen_id = $1 ORDER BY x.id DESC",
            )
            .bind(citizen.0)
            .fetch_all(&mut *tx)
            .await?;
            crate::audit::append_audit!(tx, &AuditEvent::CaseViewed { citizen, reason }, Some(actor), crate::unix_now());
            tx.commit().await?;
            Ok(Some(crate::exemptions::ExemptionFile {
                name,
                target_group: group
                    .parse()
                    .map_err(|e| StoreError::corrupt("citizens", format!("id={}", citizen.0), "target_group", e))?,
                open: closed.is_none(),
                exemptions: rows.into_iter().map(Exemption::try_from).collect::<Result<_, _>>()?,
            }))
        }

        async fn grant_exemption(&self, new: &NewExemption, actor: UserId) -> Result<i64, StoreError> {
            let now = crate::unix_now();
            let mut tx = self.pool.begin().await?;
            // The head first: grants take turns, so the count below stays true until commit.
            crate::audit::lock_audit_head!(tx);
            let group: Option<String> =
                sqlx::query_scalar("SELECT target_group FROM citizens WHERE id = $1 AND closed_on IS NULL")
                    .bind(new.citizen.0)
                    .fetch_optional(&mut *tx)
                    .await?;
            let group: Option<TargetGroup> = group
                .map(|g| g.parse())
                .transpose()
                .map_err(|e| StoreError::corrupt("citizens", format!("id={}", new.citizen.0), "target_group", e))?;
            let pools: Vec<Vec<TargetGroup>> =
                new.pools.iter().filter(|p| group.is_some_and(|g| p.contains(&g))).cloned().collect();
            if pools.is_empty() {
                return Err(StoreError::Conflict(NOT_IN_PORTFOLIO.to_owned()));
            }
            let rows: Vec<(String, i64, i64)> = sqlx::query_as(crate::exemptions::COUNTS).fetch_all(&mut *tx).await?;
            let counts = crate::exemptions::counts(rows)?;
            if !crate::exemptions::room_for_one(&counts, &pools, new.max_exempt_percent) {
                return Err(StoreError::Conflict(QUOTA_FULL.to_owned()));
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO portfolio_exemptions (citizen_id, reason, granted_by, granted_at) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(new.citizen.0)
            .bind(&new.reason)
            .bind(actor.0)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| match StoreError::from(e) {
                StoreError::Conflict(_) => StoreError::Conflict(ALREADY_EXEMPT.to_owned()),
                other => other,
            })?;
            let event = AuditEvent::ExemptionGranted { citizen: new.citizen, exemption: id };
            crate::audit::append_audit!(tx, &event, Some(actor), now);
            tx.commit().await?;
            Ok(id)
        }

        async fn end_exemption(&self, citizen: CitizenId, exemption: i64, actor: UserId) -> Result<(), StoreError> {
            let now = crate::unix_now();
            let mut tx = self.pool.begin().await?;
            let ended: Option<i64> = sqlx::query_scalar(
                "UPDATE portfolio_exemptions SET ended_by = $1, ended_at = $2 \
                 WHERE id = $3 AND citizen_id = $4 AND ended_at IS NULL RETURNING id",
            )
            .bind(actor.0)
            .bind(now)
            .bind(exemption)
            .bind(citizen.0)
            .fetch_optional(&mut *tx)
            .await?;
            if ended.is_none() {
                return Err(StoreError::Conflict(NOT_OPEN.to_owned()));
            }
            crate::audit::append_audit!(tx, &AuditEvent::ExemptionEnded { citizen, exemption }, Some(actor), now);
            tx.commit().await?;
            Ok(())
        }

        async fn exemption_counts(&self) -> Result<Vec<crate::exemptions::GroupCount>, StoreError> {
            let rows: Vec<(String, i64, i64)> = sqlx::query_as(crate::exemptions::COUNTS).fetch_all(&self.pool).await?;
            crate::exemptions::counts(rows)
        }
    }
}
