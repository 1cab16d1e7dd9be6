//! The coherent plan per citizen: reading it (audited, with a reason for another
//! caseworker's case, as opening the case needs), saving a new version, and the versions.
//!
//! A save names the revision the user edited. When a colleague saved in between the save is
//! refused with [`CaseError::Conflict`] and nothing is written; the page then shows the saved
//! plan beside the user's text, so nothing typed is lost.

use indsats_domain::CitizenId;
use indsats_domain::case::AccessReason;
use indsats_domain::citizen_plan::{PlanContent, check_plan};
use indsats_store::citizen_plans::PLAN_CONFLICT;
use indsats_store::{PlanFile, PlanVersionSaved, Store, StoreError};

use crate::cases::{Actor, CaseError, check_access};

fn store_error(err: StoreError) -> CaseError {
    match err {
        StoreError::Conflict(what) if what == PLAN_CONFLICT => CaseError::Conflict,
        other => CaseError::Store(other),
    }
}

/// The citizen's current plan (audited).
pub async fn load(
    store: &dyn Store,
    actor: Actor,
    citizen: CitizenId,
    reason: Option<AccessReason>,
) -> Result<PlanFile, CaseError> {
    let (_, reason) = check_access(store, actor, citizen, reason).await?;
    store.citizen_plan(citizen, actor.user, reason).await.map_err(store_error)?.ok_or(CaseError::NotFound)
}

/// Saves `content` as the plan's next version and returns its revision. `expected` is the
/// revision the user edited (0 for a citizen without a plan).
pub async fn save(
    store: &dyn Store,
    actor: Actor,
    citizen: CitizenId,
    reason: Option<AccessReason>,
    expected: i64,
    content: &PlanContent,
) -> Result<i64, CaseError> {
    let (access, _) = check_access(store, actor, citizen, reason).await?;
    let problems = check_plan(content, access.closed_on.is_none());
    if !problems.is_empty() {
        return Err(CaseError::Invalid(problems));
    }
    let content = trimmed(content);
    store.save_citizen_plan(citizen, expected, &content, actor.user).await.map_err(store_error)
}

/// Every saved version, newest first (audited).
pub async fn history(
    store: &dyn Store,
    actor: Actor,
    citizen: CitizenId,
    reason: Option<AccessReason>,
) -> Result<Vec<PlanVersionSaved>, CaseError> {
    let (_, reason) = check_access(store, actor, citizen, reason).await?;
    store.citizen_plan_history(citizen, actor.user, reason).await.map_err(store_error)
}

/// The plan as kept: surrounding white space dropped, the citizen's words otherwise as typed.
fn trimmed(content: &PlanContent) -> PlanContent {
    let mut out = content.clone();
    for goal in &mut out.goals {
        goal.text = goal.text.trim().to_owned();
        goal.sub_goals = goal.sub_goals.iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect();
    }
    for effort in &mut out.efforts {
        effort.what = effort.what.trim().to_owned();
        effort.responsible = effort.responsible.trim().to_owned();
    }
    out
}

/// When a version was saved, on the wall in Denmark (Unix seconds to local time).
pub fn saved_local(unix: i64) -> Option<chrono::NaiveDateTime> {
    chrono::DateTime::from_timestamp(unix, 0).map(|t| t.with_timezone(&chrono_tz::Europe::Copenhagen).naive_local())
}
