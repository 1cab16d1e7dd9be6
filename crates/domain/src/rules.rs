//! Case-work rules as dated data: which conversations, follow-ups and offers a course needs,
//! by when, under the rules in force on each date.
//!
//! The rules live in rule files (`crates/domain/data/rules/*.toml`, format and sources in
//! `docs/rules.md`), one per regime, each with the date it takes effect and whether it is
//! adopted. A regime that is not adopted (the expected 2027 reform) is ignored until
//! [`RuleBook::with_adopted`] names it. An obligation is judged under the regime in force on its
//! deadline, so a course that spans a change of law gets obligations from both, and those
//! judged under a regime the course started before carry a flag for a human look.

mod clock;
mod file;
mod group;
mod regime;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::LazyLock;

use chrono::{Months, NaiveDate};
use serde::Deserialize;

pub use clock::{Clock, Unit, Window};
pub use file::{RuleFileError, parse};
pub use group::{TargetGroup, UnknownTargetGroup};
pub use regime::{
    Citation, Condition, ConditionalFlag, Duty, GroupRules, PortfolioRule, Quota, Regime, Rule, Source, TimelyOffer,
};

/// The rule files shipped with indsats, by file name, oldest first.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    ("lab-2024.toml", include_str!("../data/rules/lab-2024.toml")),
    ("lov1750-2026-07.toml", include_str!("../data/rules/lov1750-2026-07.toml")),
    ("reform-2027.toml", include_str!("../data/rules/reform-2027.toml")),
];

/// The embedded files, read on first use.
#[expect(clippy::expect_used, reason = "the embedded files are fixed at build time and read by the tests")]
static BUILTIN: LazyLock<RuleBook> =
    LazyLock::new(|| RuleBook::from_files(BUILTIN_FILES).expect("the embedded rule files are valid"));

/// How far after the start repeating rules (continuous offers) are listed.
pub const HORIZON_MONTHS: u32 = 24;

/// What an obligation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObligationKind {
    /// An individual job conversation.
    Conversation,
    /// A conversation held jointly with the a-kasse.
    JointConversation,
    /// A sygedagpenge follow-up conversation.
    FollowUp,
    /// An offer (tilbud) started.
    Offer,
}

impl ObligationKind {
    /// The stable code, as in rule files and the CLI's JSON.
    pub fn code(self) -> &'static str {
        match self {
            ObligationKind::Conversation => "conversation",
            ObligationKind::JointConversation => "joint_conversation",
            ObligationKind::FollowUp => "follow_up",
            ObligationKind::Offer => "offer",
        }
    }

    /// Whether it is met by holding a conversation.
    pub fn is_conversation(self) -> bool {
        !matches!(self, ObligationKind::Offer)
    }
}

impl fmt::Display for ObligationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Who must see to an obligation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Holder {
    /// The citizen's a-kasse.
    Akasse,
    /// The kommune (the jobcenter before lov 1750).
    Kommune,
}

impl Holder {
    /// The stable code, as in rule files and the CLI's JSON.
    pub fn code(self) -> &'static str {
        match self {
            Holder::Akasse => "akasse",
            Holder::Kommune => "kommune",
        }
    }
}

impl fmt::Display for Holder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A hypothetical course: full-time on one benefit from `start`, without breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Course {
    /// The target group.
    pub group: TargetGroup,
    /// The first day (registration, first henvendelse, first absence day, start of the benefit).
    pub start: NaiveDate,
    /// The birth date, for the under-30 rules; without it they are not applied (and flagged).
    pub born: Option<NaiveDate>,
    /// Has a vocational education (erhvervskompetencegivende uddannelse).
    pub education: bool,
    /// Employed (sygedagpenge).
    pub employed: bool,
    /// Expected back at work within this many weeks (sygedagpenge).
    pub expected_weeks: Option<u32>,
}

impl Course {
    /// A course with only a group and a start.
    pub fn new(group: TargetGroup, start: NaiveDate) -> Self {
        Course { group, start, born: None, education: false, employed: false, expected_weeks: None }
    }
}

/// Something due in a course: at least `count` of `kind` by `due`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Obligation {
    /// What is due.
    pub kind: ObligationKind,
    /// Who must see to it.
    pub holder: Holder,
    /// The minimum number of this kind, by this holder, held by `due` since the start.
    pub count: u32,
    /// The deadline (inclusive).
    pub due: NaiveDate,
    /// The rule file and paragraph, e.g. `lab-2024.toml: LAB § 31 (LBK 280/2024)`.
    pub source: String,
    /// The id of the regime in force on `due`, which the obligation was judged under.
    pub regime: String,
    /// A portfolio rule: the minimum holds for a share of the group (75 %), and a reasoned
    /// exemption counts against the quota.
    pub portfolio: bool,
    /// Why a human should look: uncertain rules, unclear transitions, missing facts.
    pub flag: Option<String>,
}

/// A conversation already held, for [`RuleBook::next_due`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    /// When.
    pub date: NaiveDate,
    /// Held jointly with the a-kasse (it counts as a conversation as well).
    pub joint: bool,
}

/// A regime id that names no rule file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no rule file has the id {0:?}")]
pub struct UnknownRegime(pub String);

/// Every regime known, adopted or not.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleBook {
    /// Sorted by `valid_from`.
    regimes: Vec<Regime>,
}

impl RuleBook {
    /// The rule files shipped with indsats ([`BUILTIN_FILES`]), as shipped: the 2027 reform not
    /// adopted. Read once per process; each call returns a copy.
    pub fn builtin() -> Self {
        BUILTIN.clone()
    }

    /// Reads rule files given as (file name, text).
    pub fn from_files(files: &[(&str, &str)]) -> Result<Self, RuleFileError> {
        let mut regimes = files.iter().map(|(name, text)| parse(name, text)).collect::<Result<Vec<_>, _>>()?;
        regimes.sort_by_key(|r| r.valid_from);
        for pair in regimes.windows(2) {
            if pair[0].valid_from == pair[1].valid_from || pair[0].id == pair[1].id {
                return Err(RuleFileError {
                    file: pair[1].file_name(),
                    message: format!("takes effect on the same day as {}", pair[0].file_name()),
                });
            }
        }
        let ids: BTreeSet<&str> = regimes.iter().map(|r| r.id.as_str()).collect();
        if ids.len() != regimes.len() {
            return Err(RuleFileError { file: String::new(), message: "two rule files share an id".to_owned() });
        }
        Ok(RuleBook { regimes })
    }

    /// The same book with these regimes adopted as well (an administrator's decision, kept in the store).
    pub fn with_adopted<I, S>(mut self, ids: I) -> Result<Self, UnknownRegime>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for id in ids {
            let id = id.as_ref();
            let regime = self.regimes.iter_mut().find(|r| r.id == id).ok_or_else(|| UnknownRegime(id.to_owned()))?;
            regime.adopted = true;
        }
        Ok(self)
    }

    /// Every regime, adopted or not, oldest first.
    pub fn regimes(&self) -> &[Regime] {
        &self.regimes
    }

    /// The regime with this id.
    pub fn regime(&self, id: &str) -> Option<&Regime> {
        self.regimes.iter().find(|r| r.id == id)
    }

    /// The adopted regimes, oldest first; the others are ignored.
    pub fn adopted(&self) -> impl Iterator<Item = &Regime> {
        self.regimes.iter().filter(|r| r.adopted)
    }

    /// The adopted regime in force on `date`: the latest that took effect on or before it.
    pub fn regime_in_force(&self, date: NaiveDate) -> Option<&Regime> {
        self.adopted().take_while(|r| r.valid_from <= date).last()
    }

    /// The rules of a group on a date.
    pub fn group_rules(&self, group: TargetGroup, date: NaiveDate) -> Option<&GroupRules> {
        self.regime_in_force(date)?.groups.get(&group)
    }

    /// Whether no new citizen may enter `group` on `date` (ressourceforløb and revalidering under lov 1750).
    pub fn closed_to_new_entrants(&self, group: TargetGroup, date: NaiveDate) -> bool {
        self.closure(group, date).is_some()
    }

    /// The regime that closes `group` to new entrants on `date`, with its citation.
    pub fn closure(&self, group: TargetGroup, date: NaiveDate) -> Option<(&Regime, &Citation)> {
        let regime = self.regime_in_force(date)?;
        Some((regime, regime.groups.get(&group)?.closed_to_new_entrants.as_ref()?))
    }

    /// The portfolio rule (75 % minimums, 25 % exemption quota) in force on `date`, if any.
    pub fn portfolio(&self, date: NaiveDate) -> Option<&PortfolioRule> {
        self.regime_in_force(date)?.portfolio.as_ref()
    }

    /// The exemption quota check under the portfolio rule in force on `date`; `None` when there is none.
    pub fn exemption_quota(&self, date: NaiveDate, exempted: u32, total: u32) -> Option<Quota> {
        Some(self.portfolio(date)?.exemption_quota(exempted, total))
    }

    /// What counts as a timely offer on `date`.
    pub fn timely_offer(&self, date: NaiveDate) -> Option<&TimelyOffer> {
        self.regime_in_force(date)?.timely_offer.as_ref()
    }

    /// Every obligation of the course, by deadline, each judged under the regime in force on its deadline.
    ///
    /// Counts never fall for one kind and holder: an obligation asking for fewer than an earlier
    /// deadline already did (possible only across a change of regime) is implied by it and left out.
    /// Deadlines before the first adopted regime are left out (the rules before 2024 are not
    /// modelled). This does not refuse a course in a group closed to new entrants: ask
    /// [`RuleBook::closed_to_new_entrants`] for the start date first.
    pub fn due(&self, course: &Course) -> Vec<Obligation> {
        let adopted: Vec<&Regime> = self.adopted().collect();
        let mut out = Vec::new();
        for (i, regime) in adopted.iter().enumerate() {
            let until = adopted.get(i + 1).map(|next| next.valid_from);
            let Some(rules) = regime.groups.get(&course.group) else { continue };
            for rule in rules.rules.iter().filter(|r| r.applies_to(course)) {
                for (count, due) in deadlines(rule, course.start, rules.clock) {
                    if due < regime.valid_from || until.is_some_and(|u| due >= u) {
                        continue;
                    }
                    out.push(Obligation {
                        kind: rule.kind,
                        holder: rule.holder,
                        count,
                        due,
                        source: format!("{}: {}", regime.file_name(), rule.citation.paragraph),
                        regime: regime.id.clone(),
                        portfolio: rule.portfolio,
                        flag: flag(regime, rules, rule, course),
                    });
                }
            }
        }
        out.sort_by_key(|o| (o.due, o.kind, o.holder, o.count));
        // Across a change of regime a later rule can ask for fewer than an earlier deadline
        // already did (two continuous offers by June, then "one within 6 months" in July). The
        // earlier minimum still stands by the later date, so the weaker one is implied: leave it
        // out. One asking for as many is kept: it says which law holds then, and may carry a flag.
        let mut most: BTreeMap<(ObligationKind, Holder), u32> = BTreeMap::new();
        out.retain(|o| {
            let seen = most.entry((o.kind, o.holder)).or_insert(0);
            let new = o.count >= *seen;
            *seen = (*seen).max(o.count);
            new
        });
        out
    }

    /// The kommune's conversation obligations not yet met by the conversations held up to `today`,
    /// earliest deadline first (overdue ones included: their deadline lies before `today`).
    ///
    /// A conversation counts towards every obligation of the course whatever its date, so one
    /// held late still meets a missed minimum; a joint conversation also counts as a conversation.
    pub fn outstanding(&self, course: &Course, held: &[Held], today: NaiveDate) -> Vec<Obligation> {
        let held: Vec<&Held> = held.iter().filter(|h| h.date >= course.start && h.date <= today).collect();
        let joint = u32::try_from(held.iter().filter(|h| h.joint).count()).unwrap_or(u32::MAX);
        let all = u32::try_from(held.len()).unwrap_or(u32::MAX);
        self.due(course)
            .into_iter()
            .filter(|o| o.holder == Holder::Kommune && o.kind.is_conversation())
            .filter(|o| if o.kind == ObligationKind::JointConversation { joint < o.count } else { all < o.count })
            .collect()
    }

    /// The next conversation the kommune should hold: the first of [`RuleBook::outstanding`].
    pub fn next_due(&self, course: &Course, held: &[Held], today: NaiveDate) -> Option<Obligation> {
        self.outstanding(course, held, today).into_iter().next()
    }
}

/// A rule's deadlines for a course starting on `start`, with the count due by each.
fn deadlines(rule: &Rule, start: NaiveDate, clock: Clock) -> Vec<(u32, NaiveDate)> {
    let Some(first) = rule.within.deadline(start, clock) else { return Vec::new() };
    let mut out = vec![(rule.count, first)];
    if let Some(every) = rule.every {
        let horizon = start.checked_add_months(Months::new(HORIZON_MONTHS)).unwrap_or(NaiveDate::MAX);
        for times in 1.. {
            let Some(due) = rule.within.plus(every, times).and_then(|w| w.deadline(start, clock)) else { break };
            if due > horizon {
                break;
            }
            out.push((rule.count.saturating_add(times), due));
        }
    }
    out
}

/// Why a human should look at an obligation, if anything.
fn flag(regime: &Regime, rules: &GroupRules, rule: &Rule, course: &Course) -> Option<String> {
    let mut reasons = Vec::new();
    if let Some(why) = &regime.uncertain {
        reasons.push(format!("{} is uncertain: {why}", regime.id));
    }
    if let Some(why) = &rule.citation.uncertain {
        reasons.push(format!("uncertain: {why}"));
    }
    if course.start < regime.valid_from
        && let Some(transition) = &regime.transition
    {
        reasons.push(format!(
            "the course started before {} took effect on {}: {transition}",
            regime.id, regime.valid_from
        ));
    }
    for f in rules.flags.iter().filter(|f| f.when.holds(course)) {
        reasons.push(f.reason.clone());
    }
    // Group flags only warn when their condition surely holds; the rule's own conditions decide
    // what is due, so an unknown age there is worth a look.
    let needs_age = rule.only_if.into_iter().chain(rule.unless).any(Condition::needs_birth_date);
    if needs_age && course.born.is_none() && !course.education {
        reasons.push("no birth date given: the rules for under-30s without an education were not applied".to_owned());
    }
    (!reasons.is_empty()).then(|| reasons.join("; "))
}
