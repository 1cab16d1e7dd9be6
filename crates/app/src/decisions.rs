//! Decisions and complaints: recording a decision on a case, the day it was sent, a
//! complaint and Ankestyrelsen's outcome; the decision's letter (an audited read); and the
//! managers' table of outcomes by legal basis and quarter.
//!
//! Access is the case's ([`crate::cases::check_access`]): another caseworker's case needs a
//! reason, a manager reads (the letter) but does not record. Every check is
//! [`indsats_domain::decision`]'s and names its field.

use chrono::NaiveDate;
use indsats_domain::case::{AccessReason, FieldProblem};
use indsats_domain::decision::{
    AppealOutcome, DecisionEntry, OutcomeRow, check_appeal, check_decision, check_outcome, check_sent, outcome_table,
};
use indsats_domain::{CitizenId, DecisionId};
use indsats_store::decisions::DECISION_CONFLICT;
use indsats_store::{LetterFile, Store, StoreError};

use crate::cases::{Actor, CaseError, check_access};

fn store_error(err: StoreError) -> CaseError {
    match err {
        StoreError::Conflict(what) if what == DECISION_CONFLICT => CaseError::Conflict,
        other => CaseError::Store(other),
    }
}

fn refuse(problems: Vec<FieldProblem>) -> Result<(), CaseError> {
    if problems.is_empty() { Ok(()) } else { Err(CaseError::Invalid(problems)) }
}

/// Records a decision on an open case; returns its id.
pub async fn make_decision(
    store: &dyn Store,
    actor: Actor,
    citizen: CitizenId,
    reason: Option<AccessReason>,
    entry: &DecisionEntry,
    today: NaiveDate,
) -> Result<DecisionId, CaseError> {
    let (access, _) = check_access(store, actor, citizen, reason).await?;
    refuse(check_decision(entry, today, access.closed_on.is_none()))?;
    let entry = DecisionEntry {
        subject: entry.subject.trim().to_owned(),
        explanation: entry.explanation.trim().to_owned(),
        ..entry.clone()
    };
    store.record_decision(citizen, &entry, actor.user).await.map_err(store_error)
}

/// Where `citizen`'s decision stands; another citizen's decision is not found.
async fn state(
    store: &dyn Store,
    citizen: CitizenId,
    decision: DecisionId,
) -> Result<indsats_domain::decision::DecisionState, CaseError> {
    store.decision_state(citizen, decision).await.map_err(store_error)?.ok_or(CaseError::NotFound)
}

/// Records the day a decision that was not yet sent was sent.
pub async fn mark_sent(
    store: &dyn Store,
    actor: Actor,
    citizen: CitizenId,
    reason: Option<AccessReason>,
    decision: DecisionId,
    sent_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), CaseError> {
    check_access(store, actor, citizen, reason).await?;
    refuse(check_sent(&state(store, citizen, decision).await?, sent_on, today))?;
    store.mark_decision_sent(citizen, decision, sent_on, actor.user).await.map_err(store_error)
}

/// Registers a complaint about a sent decision.
pub async fn lodge_appeal(
    store: &dyn Store,
    actor: Actor,
    citizen: CitizenId,
    reason: Option<AccessReason>,
    decision: DecisionId,
    lodged_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), CaseError> {
    check_access(store, actor, citizen, reason).await?;
    refuse(check_appeal(&state(store, citizen, decision).await?, lodged_on, today))?;
    store.lodge_appeal(citizen, decision, lodged_on, actor.user).await.map_err(store_error)
}

/// Registers Ankestyrelsen's outcome of a complaint.
#[expect(clippy::too_many_arguments, reason = "the case's access (actor, citizen, reason) and the step's own fields")]
pub async fn record_outcome(
    store: &dyn Store,
    actor: Actor,
    citizen: CitizenId,
    reason: Option<AccessReason>,
    decision: DecisionId,
    outcome: AppealOutcome,
    outcome_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), CaseError> {
    check_access(store, actor, citizen, reason).await?;
    refuse(check_outcome(&state(store, citizen, decision).await?, outcome_on, today))?;
    store.record_appeal_outcome(citizen, decision, outcome, outcome_on, actor.user).await.map_err(store_error)
}

/// What the letter is made from, read with its audit event (`case.letter`). Access is the
/// case's: another caseworker's case needs a reason.
pub async fn letter(
    store: &dyn Store,
    actor: Actor,
    decision: DecisionId,
    reason: Option<AccessReason>,
) -> Result<LetterFile, CaseError> {
    let citizen = store.decision_citizen(decision).await.map_err(store_error)?.ok_or(CaseError::NotFound)?;
    let (_, reason) = check_access(store, actor, citizen, reason).await?;
    store.decision_letter(decision, actor.user, reason).await.map_err(store_error)?.ok_or(CaseError::NotFound)
}

/// Ankestyrelsen's outcomes by quarter and legal basis, newest quarter first.
pub async fn outcomes(store: &dyn Store) -> Result<Vec<OutcomeRow>, StoreError> {
    Ok(outcome_table(&store.appeal_outcomes().await?))
}
