//! Decisions on a citizen's case and complaints about them to Ankestyrelsen.
//!
//! A decision is written once; only the day it was sent may be filled in later, once, and a
//! complaint's outcome likewise. Each of those steps names the state it expects in its SQL
//! (`sent_on IS NULL`, no complaint yet, `outcome IS NULL`), so two people registering the
//! same thing at once cannot both succeed: the second gets
//! [`StoreError::Conflict`]`(`[`DECISION_CONFLICT`]`)` and nothing is written. Every change
//! writes its audit event in its own transaction; the letter's read (the citizen's name and
//! address with the decision) writes `case.letter` the same way. The decisions of a case are
//! read with the case file ([`crate::Cases::case_file`]), under its `citizen.view`.

use chrono::NaiveDate;
use indsats_domain::case::AccessReason;
use indsats_domain::decision::{AppealOutcome, DecisionEntry, DecisionState, LegalBasis};
use indsats_domain::{AuditEvent, CitizenId, DecisionId, UserId, Username};

use crate::StoreError;

/// The payload of [`StoreError::Conflict`] when a decision's step was registered already
/// (or the decision is not the citizen's).
pub const DECISION_CONFLICT: &str = "decision";

const DATE: &str = "%Y-%m-%d";

/// A complaint about a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Appeal {
    /// The day it was lodged.
    pub lodged_on: NaiveDate,
    /// Ankestyrelsen's outcome and its date, once known.
    pub outcome: Option<(AppealOutcome, NaiveDate)>,
}

/// A decision as stored, with its complaint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Id.
    pub id: DecisionId,
    /// The rule it was made under.
    pub legal_basis: LegalBasis,
    /// What it is about.
    pub subject: String,
    /// Why, in plain Danish.
    pub explanation: String,
    /// The day it was made.
    pub decided_on: NaiveDate,
    /// The day it was sent; `None` until sent.
    pub sent_on: Option<NaiveDate>,
    /// Who recorded it.
    pub decided_by: Option<Username>,
    /// The complaint, if any.
    pub appeal: Option<Appeal>,
}

impl Decision {
    /// Where it stands, for the checks of the next step.
    pub fn state(&self) -> DecisionState {
        DecisionState {
            decided_on: self.decided_on,
            sent_on: self.sent_on,
            lodged_on: self.appeal.map(|a| a.lodged_on),
            outcome: self.appeal.and_then(|a| a.outcome.map(|(o, _)| o)),
        }
    }
}

/// What a decision's letter needs ([`Decisions::decision_letter`]).
#[derive(Debug, Clone)]
pub struct LetterFile {
    /// The citizen.
    pub citizen: CitizenId,
    /// The citizen's name.
    pub name: String,
    /// The citizen's postal address.
    pub address: String,
    /// The decision.
    pub decision: Decision,
}

/// Persistence of decisions and complaints.
#[async_trait::async_trait]
pub trait Decisions {
    /// Records a decision on `citizen`'s case and `case.decision` by `actor`.
    async fn record_decision(
        &self,
        citizen: CitizenId,
        entry: &DecisionEntry,
        actor: UserId,
    ) -> Result<DecisionId, StoreError>;
    /// The citizen a decision belongs to, without reading the citizen's data (for the access
    /// check before the letter is read). `None` for an unknown decision.
    async fn decision_citizen(&self, decision: DecisionId) -> Result<Option<CitizenId>, StoreError>;
    /// Where `citizen`'s decision stands (dates and outcome only, no text), for the checks
    /// before a step. `None` when it is not that citizen's decision.
    async fn decision_state(
        &self,
        citizen: CitizenId,
        decision: DecisionId,
    ) -> Result<Option<DecisionState>, StoreError>;
    /// Records the day an unsent decision was sent, and `case.decision_sent`.
    async fn mark_decision_sent(
        &self,
        citizen: CitizenId,
        decision: DecisionId,
        sent_on: NaiveDate,
        actor: UserId,
    ) -> Result<(), StoreError>;
    /// Registers a complaint about a sent decision without one, and `case.appeal`.
    async fn lodge_appeal(
        &self,
        citizen: CitizenId,
        decision: DecisionId,
        lodged_on: NaiveDate,
        actor: UserId,
    ) -> Result<(), StoreError>;
    /// Registers Ankestyrelsen's outcome of a complaint without one, and `case.appeal_outcome`.
    async fn record_appeal_outcome(
        &self,
        citizen: CitizenId,
        decision: DecisionId,
        outcome: AppealOutcome,
        outcome_on: NaiveDate,
        actor: UserId,
    ) -> Result<(), StoreError>;
    /// The decision with the citizen's name and address, for its letter, recording
    /// `case.letter` (with `reason`) by `actor`. `None` for an unknown decision.
    async fn decision_letter(
        &self,
        decision: DecisionId,
        actor: UserId,
        reason: Option<AccessReason>,
    ) -> Result<Option<LetterFile>, StoreError>;
    /// Every outcome given: the decision's legal basis, the outcome and its date. Counts for
    /// the managers' table; no citizen is named, so the read is not a read of personal data.
    async fn appeal_outcomes(&self) -> Result<Vec<(LegalBasis, AppealOutcome, NaiveDate)>, StoreError>;
}

/// The columns [`DecisionRow`] reads, from `decisions d LEFT JOIN users u ON u.id =
/// d.decided_by LEFT JOIN appeals a ON a.decision_id = d.id`.
macro_rules! decision_select {
    () => {
        "SELECT d.id, d.legal_basis, d.subject, d.explanation, d.decided_on, d.sent_on, \
         u.username AS decided_by, a.lodged_on, a.outcome, a.outcome_on \
         FROM decisions d LEFT JOIN users u ON u.id = d.decided_by \
         LEFT JOIN appeals a ON a.decision_id = d.id "
    };
}
pub(crate) use decision_select;

/// A citizen's decisions (`$1`), newest first: the case file's list.
macro_rules! decisions_of_citizen {
    () => {
        concat!($crate::decisions::decision_select!(), "WHERE d.citizen_id = $1 ORDER BY d.decided_on DESC, d.id DESC")
    };
}
pub(crate) use decisions_of_citizen;

#[derive(sqlx::FromRow)]
pub(crate) struct DecisionRow {
    id: i64,
    legal_basis: String,
    subject: String,
    explanation: String,
    decided_on: String,
    sent_on: Option<String>,
    decided_by: Option<String>,
    lodged_on: Option<String>,
    outcome: Option<String>,
    outcome_on: Option<String>,
}

fn corrupt(id: i64, column: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::corrupt("decisions", format!("id={id}"), column, detail)
}

fn day(id: i64, column: &str, text: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(text, DATE).map_err(|e| corrupt(id, column, e))
}

impl TryFrom<DecisionRow> for Decision {
    type Error = StoreError;
    fn try_from(row: DecisionRow) -> Result<Self, StoreError> {
        let id = row.id;
        let appeal = match row.lodged_on {
            None => None,
            Some(lodged) => {
                let outcome = match (row.outcome, row.outcome_on) {
                    (Some(o), Some(on)) => Some((
                        o.parse().map_err(|e| corrupt(id, "appeals.outcome", e))?,
                        day(id, "appeals.outcome_on", &on)?,
                    )),
                    (None, None) => None,
                    _ => return Err(corrupt(id, "appeals.outcome", "outcome and its date must come together")),
                };
                Some(Appeal { lodged_on: day(id, "appeals.lodged_on", &lodged)?, outcome })
            }
        };
        Ok(Decision {
            id: DecisionId(id),
            legal_basis: row.legal_basis.parse().map_err(|e| corrupt(id, "legal_basis", e))?,
            subject: row.subject,
            explanation: row.explanation,
            decided_on: day(id, "decided_on", &row.decided_on)?,
            sent_on: row.sent_on.as_deref().map(|d| day(id, "sent_on", d)).transpose()?,
            decided_by: row
                .decided_by
                .map(|n| Username::parse(&n).map_err(|e| corrupt(id, "decided_by (users.username)", e)))
                .transpose()?,
            appeal,
        })
    }
}

pub(crate) fn decisions_from(rows: Vec<DecisionRow>) -> Result<Vec<Decision>, StoreError> {
    rows.into_iter().map(Decision::try_from).collect()
}

fn conflict() -> StoreError {
    StoreError::Conflict(DECISION_CONFLICT.to_owned())
}

impl_for_both! {
    impl Decisions {
        async fn record_decision(
            &self,
            citizen: CitizenId,
            entry: &DecisionEntry,
            actor: UserId,
        ) -> Result<DecisionId, StoreError> {
            let now = crate::unix_now();
            let mut tx = self.pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO decisions (citizen_id, legal_basis, subject, explanation, decided_on, sent_on, \
                 decided_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(citizen.0)
            .bind(entry.legal_basis.code())
            .bind(&entry.subject)
            .bind(&entry.explanation)
            .bind(entry.decided_on.format(DATE).to_string())
            .bind(entry.sent_on.map(|d| d.format(DATE).to_string()))
            .bind(actor.0)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let decision = DecisionId(id);
            let event = AuditEvent::DecisionRecorded { citizen, decision, legal_basis: entry.legal_basis };
            crate::audit::append_audit!(tx, &event, Some(actor), now);
            tx.commit().await?;
            Ok(decision)
        }

        async fn decision_citizen(&self, decision: DecisionId) -> Result<Option<CitizenId>, StoreError> {
            let found: Option<i64> = sqlx::query_scalar("SELECT citizen_id FROM decisions WHERE id = $1")
                .bind(decision.0)
                .fetch_optional(&self.pool)
                .await?;
            Ok(found.map(CitizenId))
        }

        async fn decision_state(
            &self,
            citizen: CitizenId,
            decision: DecisionId,
        ) -> Result<Option<DecisionState>, StoreError> {
            let row: Option<crate::decisions::DecisionRow> =
                sqlx::query_as(concat!(crate::decisions::decision_select!(), "WHERE d.id = $1 AND d.citizen_id = $2"))
                    .bind(decision.0)
                    .bind(citizen.0)
                    .fetch_optional(&self.pool)
                    .await?;
            row.map(|r| Decision::try_from(r).map(|d| d.state())).transpose()
        }

        async fn mark_decision_sent(
            &self,
            citizen: CitizenId,
            decision: DecisionId,
            sent_on: NaiveDate,
            actor: UserId,
        ) -> Result<(), StoreError> {
            let now = crate::unix_now();
            let mut tx = self.pool.begin().await?;
            let done: Option<i64> = sqlx::query_scalar(
                "UPDATE decisions SET sent_on = $1 WHERE id = $2 AND citizen_id = $3 AND sent_on IS NULL RETURNING id",
            )
            .bind(sent_on.format(DATE).to_string())
            .bind(decision.0)
            .bind(citizen.0)
            .fetch_optional(&mut *tx)
            .await?;
            if done.is_none() {
                return Err(crate::decisions::conflict());
            }
            crate::audit::append_audit!(tx, &AuditEvent::DecisionSent { citizen, decision }, Some(actor), now);
            tx.commit().await?;
            Ok(())
        }

        async fn lodge_appeal(
            &self,
            citizen: CitizenId,
            decision: DecisionId,
            lodged_on: NaiveDate,
            actor: UserId,
        ) -> Result<(), StoreError> {
            let now = crate::unix_now();
            let mut tx = self.pool.begin().await?;
            // Only a sent decision of this citizen's, and only once (the key is the decision).
            let done: Option<i64> = sqlx::query_scalar(
                "INSERT INTO appeals (decision_id, lodged_on, lodged_by, recorded_at) \
                 SELECT id, $1, $2, $3 FROM decisions WHERE id = $4 AND citizen_id = $5 AND sent_on IS NOT NULL \
                 ON CONFLICT (decision_id) DO NOTHING RETURNING decision_id",
            )
            .bind(lodged_on.format(DATE).to_string())
            .bind(actor.0)
            .bind(now)
            .bind(decision.0)
            .bind(citizen.0)
            .fetch_optional(&mut *tx)
            .await?;
            if done.is_none() {
                return Err(crate::decisions::conflict());
            }
            crate::audit::append_audit!(tx, &AuditEvent::AppealLodged { citizen, decision }, Some(actor), now);
            tx.commit().await?;
            Ok(())
        }

        async fn record_appeal_outcome(
            &self,
            citizen: CitizenId,
            decision: DecisionId,
            outcome: AppealOutcome,
            outcome_on: NaiveDate,
            actor: UserId,
        ) -> Result<(), StoreError> {
            let now = crate::unix_now();
            let mut tx = self.pool.begin().await?;
            let done: Option<i64> = sqlx::query_scalar(
                "UPDATE appeals SET outcome = $1, outcome_on = $2, outcome_by = $3 \
                 WHERE decision_id = $4 AND outcome IS NULL \
                 AND decision_id IN (SELECT id FROM decisions WHERE citizen_id = $5) RETURNING decision_id",
            )
            .bind(outcome.code())
            .bind(outcome_on.format(DATE).to_string())
            .bind(actor.0)
            .bind(decision.0)
            .bind(citizen.0)
            .fetch_optional(&mut *tx)
            .await?;
            if done.is_none() {
                return Err(crate::decisions::conflict());
            }
            crate::audit::append_audit!(tx, &AuditEvent::AppealDecided { citizen, decision, outcome }, Some(actor), now);
            tx.commit().await?;
            Ok(())
        }

        async fn decision_letter(
            &self,
            decision: DecisionId,
            actor: UserId,
            reason: Option<AccessReason>,
        ) -> Result<Option<LetterFile>, StoreError> {
            let mut tx = self.pool.begin().await?;
            crate::audit::lock_audit_head!(tx);
            let row: Option<crate::decisions::DecisionRow> =
                sqlx::query_as(concat!(crate::decisions::decision_select!(), "WHERE d.id = $1"))
                    .bind(decision.0)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some(row) = row else {
                return Ok(None);
            };
            let who: (i64, String, String) = sqlx::query_as(
                "SELECT c.id, c.name, c.address FROM citizens c JOIN decisions d ON d.citizen_id = c.id WHERE d.id = $1",
            )
            .bind(decision.0)
            .fetch_one(&mut *tx)
            .await?;
            let citizen = CitizenId(who.0);
            crate::audit::append_audit!(
                tx,
                &AuditEvent::LetterRead { citizen, decision, reason },
                Some(actor),
                crate::unix_now()
            );
            tx.commit().await?;
            Ok(Some(LetterFile { citizen, name: who.1, address: who.2, decision: Decision::try_from(row)? }))
        }

        async fn appeal_outcomes(&self) -> Result<Vec<(LegalBasis, AppealOutcome, NaiveDate)>, StoreError> {
            let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
                "SELECT d.id, d.legal_basis, a.outcome, a.outcome_on FROM appeals a \
                 JOIN decisions d ON d.id = a.decision_id WHERE a.outcome IS NOT NULL ORDER BY a.outcome_on, d.id",
            )
            .fetch_all(&self.pool)
            .await?;
            rows.into_iter()
                .map(|(id, basis, outcome, on)| {
                    Ok((
                        basis.parse().map_err(|e| crate::decisions::corrupt(id, "legal_basis", e))?,
                        outcome.parse().map_err(|e| crate::decisions::corrupt(id, "appeals.outcome", e))?,
                        crate::decisions::day(id, "appeals.outcome_on", &on)?,
                    ))
                })
                .collect()
        }
    }
}
