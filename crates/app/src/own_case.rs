//! A citizen's own view of their case ("Min side"): the coherent plan, the conversations ahead,
//! what the rules ask of them, and every staff member who read their case and when.
//!
//! The citizen is found from the account alone (the account is bound to one case), never from
//! anything in the request, so a citizen cannot ask for someone else's case. Reading the page
//! is itself audited: the case and the plan are read through the same audited store reads as
//! a caseworker's, with the citizen's account as the actor.

use chrono::NaiveDateTime;
use indsats_domain::case::ConversationStatus;
use indsats_domain::rules::Holder;
use indsats_store::{CaseFile, CaseRead, Conversation, PlanVersionSaved, Store, User};

use crate::cases::CaseError;
use crate::due::{Due, obligations};

/// What the citizen's page shows.
#[derive(Debug, Clone)]
pub struct OwnCase {
    /// The case: the citizen's details, conversations and offers.
    pub case: CaseFile,
    /// The current coherent plan; `None` before the first save.
    pub plan: Option<PlanVersionSaved>,
    /// Booked conversations from now on, soonest first.
    pub coming: Vec<Conversation>,
    /// What the rules still ask for on the course (conversations to attend, the first offer),
    /// soonest first: the obligations not yet met.
    pub ahead: Vec<Due>,
    /// Every read of the case by staff, newest first.
    pub reads: Vec<CaseRead>,
}

/// The page of the citizen whose account `user` is; [`CaseError::NotFound`] for any account not
/// bound to a case (staff).
pub async fn view(store: &dyn Store, user: &User, now: NaiveDateTime) -> Result<OwnCase, CaseError> {
    let citizen = store.account_citizen(user.id).await?.ok_or(CaseError::NotFound)?;
    let case = store.case_file(citizen, user.id, None).await?.ok_or(CaseError::NotFound)?;
    let plan = store.citizen_plan(citizen, user.id, None).await?.and_then(|p| p.current);
    let mut coming: Vec<Conversation> =
        case.conversations.iter().filter(|c| c.status == ConversationStatus::Booked && c.at >= now).cloned().collect();
    coming.sort_by_key(|c| c.at);
    let book = crate::due::rules_in_force(store).await?;
    let mut ahead: Vec<Due> = obligations(&book, &case, now.date()).into_iter().filter(|d| !d.met).collect();
    ahead.sort_by_key(|d| (d.obligation.due, d.obligation.holder == Holder::Akasse));
    let reads = store.case_reads(citizen).await?;
    Ok(OwnCase { case, plan, coming, ahead, reads })
}
