//! Case work: creating and finding citizens' cases, opening one (audited, with a reason when it
//! is another caseworker's), revealing the CPR number, conversations and offers.
//!
//! The CPR number enters here as text and leaves only as the vault's lookup hash and sealed
//! value; every error names a field, never the number.

use chrono::{NaiveDate, NaiveDateTime};
use indsats_domain::case::{
    AccessReason, ConversationEntry, ConversationKind, ConversationStatus, FieldProblem, OfferEntry, Problem,
    TargetGroup, check_conversation, check_offer,
};
use indsats_domain::ids::ConversationId;
use indsats_domain::{AuditEvent, BenefitGroup, CitizenId, Cpr, OfferId, Role, UserId};
use indsats_store::cases::{CITIZEN_EXISTS, CONVERSATION_CONFLICT};
use indsats_store::{CaseAccess, CaseFile, ConversationChange, NewCitizen, NewOffer, Profile, Store, StoreError};

use crate::vault::{Vault, VaultError};

/// Why a case use case did not go through. The caller words it for the user.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    /// The input has problems, each naming its field.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldProblem>),
    /// No such citizen.
    #[error("no such citizen")]
    NotFound,
    /// A case for this CPR number exists already.
    #[error("a case for this CPR number exists")]
    Exists(CitizenId),
    /// Another caseworker's case, opened without a reason: refused, and the refusal audited.
    #[error("a reason is required to open another caseworker's case")]
    ReasonRequired,
    /// Someone changed a conversation since the page was made.
    #[error("someone else changed it first")]
    Conflict,
    /// A sealed number did not open: the key configuration is wrong.
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// The database failed.
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for CaseError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Conflict(what) if what == CONVERSATION_CONFLICT => CaseError::Conflict,
            other => CaseError::Store(other),
        }
    }
}

fn invalid(field: &'static str, problem: Problem) -> CaseError {
    CaseError::Invalid(vec![FieldProblem { field, problem }])
}

/// The time on the wall in Denmark: conversations are booked in local time.
pub fn local_now() -> NaiveDateTime {
    chrono::Utc::now().with_timezone(&chrono_tz::Europe::Copenhagen).naive_local()
}

/// Who is asking: the user's id and role.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    /// The user.
    pub user: UserId,
    /// Their role.
    pub role: Role,
}

/// A new citizen's case as typed in the form, parsed.
#[derive(Debug, Clone)]
pub struct CitizenForm {
    /// The CPR number as typed.
    pub cpr: String,
    /// The citizen's details.
    pub profile: Profile,
    /// Benefit.
    pub benefit: BenefitGroup,
    /// Target group.
    pub target_group: TargetGroup,
    /// The day the course started.
    pub course_start: NaiveDate,
}

/// The longest name, address or contact field kept.
pub const TEXT_MAX: usize = 200;

/// Checks a new case's fields, every problem at once.
pub fn check_new_citizen(form: &CitizenForm, today: NaiveDate) -> Result<(), CaseError> {
    let mut problems = Vec::new();
    if Cpr::parse(&form.cpr).is_err() {
        problems.push(FieldProblem { field: "cpr", problem: Problem::Invalid });
    }
    let p = &form.profile;
    if p.name.trim().is_empty() {
        problems.push(FieldProblem { field: "name", problem: Problem::Missing });
    }
    for (field, value) in [("name", &p.name), ("address", &p.address), ("phone", &p.phone), ("email", &p.email)] {
        if value.chars().count() > TEXT_MAX {
            problems.push(FieldProblem { field, problem: Problem::TooLong });
        }
    }
    if form.course_start > today {
        problems.push(FieldProblem { field: "course_start", problem: Problem::Invalid });
    }
    // Ressourceforløb and revalidering are closed to new courses from lov 1750 (docs/rules.md).
    if crate::due::rule_book().closed_to_new_entrants(form.target_group, form.course_start) {
        problems.push(FieldProblem { field: "target_group", problem: Problem::ClosedToNewEntrants });
    }
    if problems.is_empty() { Ok(()) } else { Err(CaseError::Invalid(problems)) }
}

/// Creates a case with `actor` as caseworker. A CPR number that already has a case gives
/// [`CaseError::Exists`] with that case, so the page can offer to open it.
pub async fn create_citizen(
    store: &dyn Store,
    vault: &Vault,
    actor: Actor,
    form: &CitizenForm,
    today: NaiveDate,
) -> Result<CitizenId, CaseError> {
    check_new_citizen(form, today)?;
    let cpr = Cpr::parse(&form.cpr).map_err(|_| invalid("cpr", Problem::Invalid))?;
    let p = &form.profile;
    let lookup = vault.lookup(&cpr);
    let new = NewCitizen {
        cpr_sealed: vault.seal(&cpr),
        cpr_lookup: lookup.clone(),
        birth_date: cpr.birth_date(),
        profile: Profile { name: p.name.trim().to_owned(), ..p.clone() },
        benefit: form.benefit,
        target_group: form.target_group,
        course_start: form.course_start,
        caseworker: Some(actor.user),
        opened_on: today,
        created_at: indsats_store::unix_now(),
    };
    match store.create_citizen(&new, actor.user).await {
        Ok(id) => Ok(id),
        Err(StoreError::Conflict(what)) if what == CITIZEN_EXISTS => {
            let existing = store.find_citizen(&lookup, actor.user).await?.ok_or(CaseError::NotFound)?;
            Err(CaseError::Exists(existing))
        }
        Err(e) => Err(e.into()),
    }
}

/// Finds the case of the CPR number typed; the search is audited either way.
pub async fn find_by_cpr(store: &dyn Store, vault: &Vault, actor: Actor, raw: &str) -> Result<CitizenId, CaseError> {
    let cpr = Cpr::parse(raw).map_err(|_| invalid("cpr", Problem::Invalid))?;
    store.find_citizen(&vault.lookup(&cpr), actor.user).await?.ok_or(CaseError::NotFound)
}

/// Checks that `actor` may work with the case: a caseworker needs a reason for a case that
/// is not theirs, or is refused and the refusal audited; a manager reads every case. Returns
/// whose the case is and the reason to record (none for one's own case).
pub async fn check_access(
    store: &dyn Store,
    actor: Actor,
    citizen: CitizenId,
    reason: Option<AccessReason>,
) -> Result<(CaseAccess, Option<AccessReason>), CaseError> {
    let access = store.case_access(citizen).await?.ok_or(CaseError::NotFound)?;
    let own = access.caseworker == Some(actor.user);
    if !own && reason.is_none() && actor.role == Role::Sagsbehandler {
        store.record(&AuditEvent::CaseRefused { citizen }, Some(actor.user)).await?;
        return Err(CaseError::ReasonRequired);
    }
    Ok((access, if own { None } else { reason }))
}

/// Opens a case, audited (see `check_access` for another caseworker's case).
pub async fn open_case(
    store: &dyn Store,
    actor: Actor,
    citizen: CitizenId,
    reason: Option<AccessReason>,
) -> Result<CaseFile, CaseError> {
    let (_, reason) = check_access(store, actor, citizen, reason).await?;
    store.case_file(citizen, actor.user, reason).await?.ok_or(CaseError::NotFound)
}

/// The whole CPR number, for a caseworker who asked to see it (audited).
pub async fn reveal_cpr(store: &dyn Store, vault: &Vault, actor: Actor, citizen: CitizenId) -> Result<Cpr, CaseError> {
    let sealed = store.sealed_cpr(citizen, actor.user).await?.ok_or(CaseError::NotFound)?;
    Ok(vault.unseal(&sealed)?)
}

/// What the conversation form posts: the conversation recorded now, and optionally the next
/// one booked in the same step.
#[derive(Debug, Clone)]
pub struct ConversationForm {
    /// A booked conversation this records the outcome of, with the revision seen.
    pub existing: Option<(ConversationId, i64)>,
    /// The conversation.
    pub entry: ConversationEntry,
    /// The next conversation to book, if any.
    pub next: Option<(ConversationKind, NaiveDateTime)>,
}

/// Records a conversation and books the next, all or nothing.
pub async fn record_conversation(
    store: &dyn Store,
    actor: Actor,
    citizen: CitizenId,
    reason: Option<AccessReason>,
    form: &ConversationForm,
    now: NaiveDateTime,
) -> Result<Vec<ConversationId>, CaseError> {
    let open = check_access(store, actor, citizen, reason).await?.0.closed_on.is_none();
    let mut problems = check_conversation(&form.entry, now, open);
    let mut changes = vec![ConversationChange {
        existing: form.existing,
        kind: form.entry.kind,
        status: form.entry.status,
        at: form.entry.at,
        note: form.entry.note.clone(),
    }];
    if let Some((kind, at)) = form.next {
        let next = ConversationEntry { kind, status: ConversationStatus::Booked, at, note: String::new() };
        problems.extend(
            check_conversation(&next, now, true)
                .into_iter()
                .map(|p| FieldProblem { field: if p.field == "at" { "next_at" } else { p.field }, ..p }),
        );
        changes.push(ConversationChange {
            existing: None,
            kind,
            status: ConversationStatus::Booked,
            at,
            note: String::new(),
        });
    }
    if !problems.is_empty() {
        return Err(CaseError::Invalid(problems));
    }
    Ok(store.save_conversations(citizen, &changes, actor.user).await?)
}

/// Registers an offer on an open case.
pub async fn register_offer(
    store: &dyn Store,
    actor: Actor,
    citizen: CitizenId,
    reason: Option<AccessReason>,
    entry: &OfferEntry,
) -> Result<OfferId, CaseError> {
    let open = check_access(store, actor, citizen, reason).await?.0.closed_on.is_none();
    let problems = check_offer(entry, open);
    if !problems.is_empty() {
        return Err(CaseError::Invalid(problems));
    }
    let new = NewOffer {
        kind: entry.kind,
        start: entry.start,
        end: entry.end,
        hours: entry.hours,
        place: entry.place.trim().to_owned(),
    };
    Ok(store.register_offer(citizen, &new, actor.user).await?)
}
