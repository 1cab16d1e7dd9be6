//! The portfolio rules' exemptions (issue 12 item 2): a caseworker exempts a citizen from the
//! 75 % minimums by a concrete judgement, with a reason; the municipality may exempt at most
//! 25 % of each pool (the groups the rule in force pools the conversation and the offer
//! minimums over). A grant past the quota is refused (docs/case-work.md says why), and the
//! manager's quota view counts open cases and exemptions per target group and per pool.

use chrono::NaiveDate;
use indsats_domain::CitizenId;
use indsats_domain::case::{AccessReason, FieldProblem, Problem, TargetGroup};
use indsats_domain::citizen_plan::looks_like_cpr;
use indsats_domain::rules::{PortfolioRule, Quota, RuleBook};
use indsats_store::exemptions::{ALREADY_EXEMPT, NOT_IN_PORTFOLIO, NOT_OPEN, QUOTA_FULL, pool_counts};
use indsats_store::{ExemptionFile, GroupCount, NewExemption, Store, StoreError};

use crate::cases::{Actor, CaseError, check_access};

/// The longest reason kept, in characters.
pub const REASON_MAX: usize = 1000;

fn invalid(problem: Problem) -> CaseError {
    CaseError::Invalid(vec![FieldProblem { field: "reason", problem }])
}

fn store_error(err: StoreError) -> CaseError {
    match err {
        StoreError::Conflict(what) if what == QUOTA_FULL => invalid(Problem::QuotaFull),
        StoreError::Conflict(what) if what == NOT_IN_PORTFOLIO => invalid(Problem::NotInPortfolio),
        StoreError::Conflict(what) if what == ALREADY_EXEMPT => invalid(Problem::AlreadyExempt),
        StoreError::Conflict(what) if what == NOT_OPEN => CaseError::Conflict,
        other => CaseError::Store(other),
    }
}

/// The pools of a portfolio rule: the conversation pool and the offer pool.
pub fn pools(rule: &PortfolioRule) -> Vec<Vec<TargetGroup>> {
    vec![rule.conversation_groups.clone(), rule.offer_groups.clone()]
}

/// The case's exemptions (audited as a read of the case).
pub async fn load(
    store: &dyn Store,
    actor: Actor,
    citizen: CitizenId,
    reason: Option<AccessReason>,
) -> Result<ExemptionFile, CaseError> {
    let (_, reason) = check_access(store, actor, citizen, reason).await?;
    store.exemption_file(citizen, actor.user, reason).await.map_err(store_error)?.ok_or(CaseError::NotFound)
}

/// Exempts the citizen, with `why` (required, not a CPR number); refused at the field when no
/// portfolio rule is in force today, the group is in no pool, or a pool's quota is full.
pub async fn grant(
    store: &dyn Store,
    book: &RuleBook,
    actor: Actor,
    citizen: CitizenId,
    access: Option<AccessReason>,
    why: &str,
    today: NaiveDate,
) -> Result<i64, CaseError> {
    let open = check_access(store, actor, citizen, access).await?.0.closed_on.is_none();
    let why = why.trim();
    if !open {
        return Err(invalid(Problem::CaseClosed));
    }
    if why.is_empty() {
        return Err(invalid(Problem::Missing));
    }
    if why.chars().count() > REASON_MAX {
        return Err(invalid(Problem::TooLong));
    }
    // The reason is shown to everyone who reads the case and is not audited as a CPR read.
    if looks_like_cpr(why) {
        return Err(invalid(Problem::LooksLikeCpr));
    }
    let rule = book.portfolio(today).ok_or_else(|| invalid(Problem::NotInPortfolio))?;
    let new = NewExemption {
        citizen,
        reason: why.to_owned(),
        pools: pools(rule),
        max_exempt_percent: rule.max_exempt_percent,
    };
    store.grant_exemption(&new, actor.user).await.map_err(store_error)
}

/// Ends the citizen's open exemption `exemption`.
pub async fn end(
    store: &dyn Store,
    actor: Actor,
    citizen: CitizenId,
    access: Option<AccessReason>,
    exemption: i64,
) -> Result<(), CaseError> {
    check_access(store, actor, citizen, access).await?;
    store.end_exemption(citizen, exemption, actor.user).await.map_err(store_error)
}

/// One line of the quota view.
#[derive(Debug, Clone)]
pub struct QuotaLine {
    /// The target group; `None` for a pool's total.
    pub group: Option<TargetGroup>,
    /// Which pools the group is in: conversations, offer.
    pub pools: (bool, bool),
    /// The quota judged on the group's own counts (or the pool's).
    pub quota: Quota,
}

/// The quota view on a day: the rule in force, a line per target group under it, and the two
/// pools' totals (what the law limits).
#[derive(Debug, Clone)]
pub struct QuotaView {
    /// The portfolio rule in force; `None` before lov 1750 (no quota then).
    pub rule: Option<PortfolioRule>,
    /// Per target group in either pool.
    pub groups: Vec<QuotaLine>,
    /// The conversation pool's total.
    pub conversation_pool: Option<Quota>,
    /// The offer pool's total.
    pub offer_pool: Option<Quota>,
}

/// The counts judged against the portfolio rule in force on `today` (counts only: no audit).
pub fn quota_view(book: &RuleBook, counts: &[GroupCount], today: NaiveDate) -> QuotaView {
    let Some(rule) = book.portfolio(today) else {
        return QuotaView { rule: None, groups: Vec::new(), conversation_pool: None, offer_pool: None };
    };
    let judge = |(exempted, open): (u32, u32)| rule.exemption_quota(exempted, open);
    let groups = TargetGroup::ALL
        .iter()
        .copied()
        .filter(|g| rule.conversation_groups.contains(g) || rule.offer_groups.contains(g))
        .map(|g| QuotaLine {
            group: Some(g),
            pools: (rule.conversation_groups.contains(&g), rule.offer_groups.contains(&g)),
            quota: judge(pool_counts(counts, &[g])),
        })
        .collect();
    QuotaView {
        groups,
        conversation_pool: Some(judge(pool_counts(counts, &rule.conversation_groups))),
        offer_pool: Some(judge(pool_counts(counts, &rule.offer_groups))),
        rule: Some(rule.clone()),
    }
}

/// The manager's quota view today.
pub async fn quota(store: &dyn Store, book: &RuleBook, today: NaiveDate) -> Result<QuotaView, StoreError> {
    Ok(quota_view(book, &store.exemption_counts().await?, today))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_view_judges_each_group_and_each_pool_against_25_percent() {
        let counts = [
            GroupCount { group: TargetGroup::Dagpenge, open: 8, exempted: 3 },
            GroupCount { group: TargetGroup::KontanthjaelpJobparat, open: 4, exempted: 0 },
            GroupCount { group: TargetGroup::Sygedagpenge, open: 50, exempted: 0 },
        ];
        let view = quota_view(&RuleBook::builtin(), &counts, d("2026-12-01"));
        let dagpenge = view.groups.iter().find(|l| l.group == Some(TargetGroup::Dagpenge)).unwrap();
        assert_eq!((dagpenge.quota.exempted, dagpenge.quota.total, dagpenge.quota.within), (3, 8, false));
        assert!(view.groups.iter().all(|l| l.group != Some(TargetGroup::Sygedagpenge)), "not a portfolio group");
        let pool = view.conversation_pool.unwrap();
        assert_eq!((pool.exempted, pool.total, pool.allowed, pool.within), (3, 12, 3, true));
        // Before lov 1750 there is no quota to judge.
        assert!(quota_view(&RuleBook::builtin(), &counts, d("2026-01-01")).rule.is_none());
    }
}
