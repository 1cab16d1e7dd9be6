//! One regime (a rule file) as values: its groups, their obligations, duties and closures.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};

use super::clock::{Clock, Window};
use super::group::TargetGroup;
use super::{Course, Holder, ObligationKind};

/// One set of rules with the date it takes effect: one rule file.
#[derive(Debug, Clone, PartialEq)]
pub struct Regime {
    /// The identifier, also the file's name without `.toml`, e.g. `lab-2024`.
    pub id: String,
    /// What the regime is, in a line.
    pub title: String,
    /// The first day it is in force.
    pub valid_from: NaiveDate,
    /// Whether it is law (as shipped; an administrator may adopt an expected regime later).
    pub adopted: bool,
    /// Why the regime as a whole is uncertain, if it is.
    pub uncertain: Option<String>,
    /// What is known, or not, about courses already running when it takes effect.
    pub transition: Option<String>,
    /// The sources its citations name by key.
    pub sources: Vec<Source>,
    /// The portfolio rule (the 75 % minimums), where the regime has one.
    pub portfolio: Option<PortfolioRule>,
    /// What counts as a timely offer.
    pub timely_offer: Option<TimelyOffer>,
    /// The rules per target group; every group has an entry.
    pub groups: BTreeMap<TargetGroup, GroupRules>,
}

impl Regime {
    /// The rule file's name.
    pub fn file_name(&self) -> String {
        format!("{}.toml", self.id)
    }
}

/// A source the notes read, by its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The key citations use, e.g. `LAB31`.
    pub key: String,
    /// What it is.
    pub title: String,
    /// Where to read it.
    pub url: String,
}

/// Where a rule comes from, and whether it is certain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// The paragraph, e.g. `LAB § 31 (LBK 280/2024)`.
    pub paragraph: String,
    /// Keys into the regime's [`Source`] list.
    pub sources: Vec<String>,
    /// Why a human should not take this as settled, where the notes say so (U).
    pub uncertain: Option<String>,
}

/// The rules of one target group under one regime.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupRules {
    /// How the group's periods are counted.
    pub clock: Clock,
    /// Why the way periods are counted is not settled, where the notes say so.
    pub clock_uncertain: Option<String>,
    /// Conversations, follow-ups and offers due.
    pub rules: Vec<Rule>,
    /// Other duties, as text with their citations.
    pub duties: Vec<Duty>,
    /// Set when no new citizens may enter the group while the regime is in force.
    pub closed_to_new_entrants: Option<Citation>,
    /// Reasons for a human look that hold for some courses.
    pub flags: Vec<ConditionalFlag>,
}

/// One obligation rule: `count` of `kind` held by `holder` within `within` of the start.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// What is due.
    pub kind: ObligationKind,
    /// Who must see to it.
    pub holder: Holder,
    /// The minimum number by the deadline.
    pub count: u32,
    /// The window from the start.
    pub within: Window,
    /// For continuous rules: one more is due every `every` after the first.
    pub every: Option<Window>,
    /// The rule applies only to courses that meet this condition.
    pub only_if: Option<Condition>,
    /// The rule does not apply to courses that meet this condition.
    pub unless: Option<Condition>,
    /// A portfolio rule: the minimum holds for a share of the group, and a reasoned exemption is possible.
    pub portfolio: bool,
    /// Where it comes from.
    pub citation: Citation,
}

impl Rule {
    /// Whether the rule applies to the course.
    pub fn applies_to(&self, course: &Course) -> bool {
        self.only_if.is_none_or(|c| c.holds(course)) && !self.unless.is_some_and(|c| c.holds(course))
    }
}

/// A duty beside the counted obligations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duty {
    /// The duty, in English.
    pub text: String,
    /// Where it comes from.
    pub citation: Citation,
}

/// A reason for a human look that holds when a condition does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionalFlag {
    /// When it holds.
    pub when: Condition,
    /// Why a human should look.
    pub reason: String,
}

/// A fact about a course that decides whether a rule applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// Under 30 on the start date (birth date given) and without a vocational education.
    Under30WithoutEducation,
    /// Expected back (`expected_weeks`) within this many weeks.
    ExpectedBackWithinWeeks(u32),
    /// Employed and expected back within this many weeks.
    EmployedExpectedBackWithinWeeks(u32),
}

impl Condition {
    /// Whether the course meets the condition; an unknown fact does not meet it.
    pub fn holds(self, course: &Course) -> bool {
        match self {
            Condition::Under30WithoutEducation => !course.education && course.under_30() == Some(true),
            Condition::ExpectedBackWithinWeeks(weeks) => course.expected_weeks.is_some_and(|w| w <= weeks),
            Condition::EmployedExpectedBackWithinWeeks(weeks) => {
                course.employed && course.expected_weeks.is_some_and(|w| w <= weeks)
            }
        }
    }

    /// Whether the condition depends on the birth date.
    pub fn needs_birth_date(self) -> bool {
        matches!(self, Condition::Under30WithoutEducation)
    }
}

impl Course {
    /// Whether the citizen is under 30 on the start date; `None` without a birth date.
    pub fn under_30(&self) -> Option<bool> {
        let born = self.born?;
        Some(born.checked_add_months(Months::new(30 * 12)).is_none_or(|thirty| thirty > self.start))
    }
}

/// The portfolio rule: each minimum marked `portfolio` must be met for a share of the group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortfolioRule {
    /// The least share, in percent, for whom each minimum must be met (75).
    pub min_share_percent: u32,
    /// The most a kommune may exempt by a concrete, reasoned judgement, in percent (25).
    pub max_exempt_percent: u32,
    /// The groups the conversation minimums are pooled over.
    pub conversation_groups: Vec<TargetGroup>,
    /// The groups the offer minimum is pooled over.
    pub offer_groups: Vec<TargetGroup>,
    /// Where it comes from.
    pub citation: Citation,
}

impl PortfolioRule {
    /// Whether `exempted` of `total` citizens is within the exemption quota.
    pub fn exemption_quota(&self, exempted: u32, total: u32) -> Quota {
        let allowed = u64::from(total) * u64::from(self.max_exempt_percent) / 100;
        Quota {
            exempted,
            total,
            max_exempt_percent: self.max_exempt_percent,
            allowed: u32::try_from(allowed).unwrap_or(u32::MAX),
            within: u64::from(exempted) <= allowed,
        }
    }
}

/// The exemption quota of a pool of citizens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// How many are exempted.
    pub exempted: u32,
    /// How many are in the pool.
    pub total: u32,
    /// The most that may be exempted, in percent.
    pub max_exempt_percent: u32,
    /// The most that may be exempted, in citizens (rounded down).
    pub allowed: u32,
    /// Whether `exempted` is within the quota.
    pub within: bool,
}

impl Quota {
    /// How many more may be exempted (0 when the quota is full or exceeded).
    pub fn headroom(&self) -> u32 {
        self.allowed.saturating_sub(self.exempted)
    }
}

/// What counts as a timely offer under a regime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelyOffer {
    /// The offer must have started, not only been offered, by the deadline.
    pub started_by_deadline: bool,
    /// The shortest offer that counts, in weeks.
    pub min_weeks: u32,
    /// Løntilskud offered by the deadline may start this many weeks later.
    pub wage_subsidy_start_grace_weeks: u32,
    /// Offers that do not count.
    pub not_counting: Vec<String>,
    /// A citizen exempt at the deadline must start within this window after the exemption ends.
    pub after_exemption: Window,
    /// The rule in a paragraph, in English.
    pub text: String,
    /// Where it comes from.
    pub citation: Citation,
}
