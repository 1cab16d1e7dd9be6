//! Reading a rule file (TOML, format in `docs/rules.md`) into a [`Regime`].
//!
//! The files are embedded and checked by the tests, so the errors are for the person editing
//! a file: they name the file and what is wrong.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Deserialize;
use toml_edit::Datetime;

use super::clock::{Clock, Window};
use super::group::TargetGroup;
use super::regime::{
    Citation, Condition, ConditionalFlag, Duty, GroupRules, PortfolioRule, Regime, Rule, Source, TimelyOffer,
};
use super::{Holder, ObligationKind};

/// A rule file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct RuleFileError {
    /// The file's name.
    pub file: String,
    /// What is wrong.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    id: String,
    title: String,
    valid_from: Datetime,
    adopted: bool,
    uncertain: Option<String>,
    transition: Option<String>,
    sources: Vec<RawSource>,
    portfolio: Option<RawPortfolio>,
    timely_offer: Option<RawTimelyOffer>,
    groups: BTreeMap<String, RawGroup>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    key: String,
    title: String,
    url: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCitation {
    paragraph: String,
    sources: Vec<String>,
    uncertain: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPortfolio {
    min_share_percent: u32,
    max_exempt_percent: u32,
    conversation_groups: Vec<String>,
    offer_groups: Vec<String>,
    paragraph: String,
    sources: Vec<String>,
    uncertain: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTimelyOffer {
    started_by_deadline: bool,
    min_weeks: u32,
    wage_subsidy_start_grace_weeks: u32,
    not_counting: Vec<String>,
    after_exemption: String,
    text: String,
    paragraph: String,
    sources: Vec<String>,
    uncertain: Option<String>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum RawClock {
    Calendar,
    DagpengeHours,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    clock: Option<RawClock>,
    clock_uncertain: Option<String>,
    #[serde(default)]
    duties: Vec<RawDuty>,
    #[serde(default)]
    flags: Vec<RawFlag>,
    closed_to_new_entrants: Option<RawCitation>,
    #[serde(default)]
    obligations: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDuty {
    text: String,
    paragraph: String,
    sources: Vec<String>,
    uncertain: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFlag {
    when: RawCondition,
    reason: String,
}

#[derive(Deserialize, Clone, Copy)]
enum RawCondition {
    #[serde(rename = "under_30_without_education")]
    Under30WithoutEducation,
    #[serde(rename = "expected_back_within_weeks")]
    ExpectedBackWithinWeeks(u32),
    #[serde(rename = "employed_expected_back_within_weeks")]
    EmployedExpectedBackWithinWeeks(u32),
}

impl From<RawCondition> for Condition {
    fn from(raw: RawCondition) -> Self {
        match raw {
            RawCondition::Under30WithoutEducation => Condition::Under30WithoutEducation,
            RawCondition::ExpectedBackWithinWeeks(w) => Condition::ExpectedBackWithinWeeks(w),
            RawCondition::EmployedExpectedBackWithinWeeks(w) => Condition::EmployedExpectedBackWithinWeeks(w),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    kind: ObligationKind,
    holder: Holder,
    count: u32,
    within: String,
    every: Option<String>,
    only_if: Option<RawCondition>,
    unless: Option<RawCondition>,
    #[serde(default)]
    portfolio: bool,
    paragraph: String,
    sources: Vec<String>,
    uncertain: Option<String>,
}

/// Reads one rule file; `file` is its name, which must be the regime's id with `.toml`.
pub fn parse(file: &str, text: &str) -> Result<Regime, RuleFileError> {
    let fail = |message: String| RuleFileError { file: file.to_owned(), message };
    let raw: RawFile = toml_edit::de::from_str(text).map_err(|e| fail(e.to_string().trim().to_owned()))?;
    Reader { sources: raw.sources.iter().map(|s| s.key.clone()).collect() }.regime(file, raw).map_err(fail)
}

struct Reader {
    sources: BTreeSet<String>,
}

impl Reader {
    fn regime(&self, file: &str, raw: RawFile) -> Result<Regime, String> {
        if format!("{}.toml", raw.id) != file {
            return Err(format!("the id {:?} does not match the file name", raw.id));
        }
        if self.sources.len() != raw.sources.len() {
            return Err("two sources share a key".to_owned());
        }
        let mut groups = BTreeMap::new();
        for (code, group) in raw.groups {
            let target: TargetGroup = code.parse().map_err(|e| format!("[groups.{code}]: {e}"))?;
            groups.insert(target, self.group(group).map_err(|e| format!("[groups.{code}]: {e}"))?);
        }
        if let Some(missing) = TargetGroup::ALL.iter().find(|g| !groups.contains_key(g)) {
            return Err(format!("no [groups.{missing}] section (every file names every group)"));
        }
        Ok(Regime {
            id: raw.id,
            title: raw.title,
            valid_from: date(&raw.valid_from).ok_or("valid_from must be a date such as 2026-07-01")?,
            adopted: raw.adopted,
            uncertain: raw.uncertain,
            transition: raw.transition,
            sources: raw.sources.into_iter().map(|s| Source { key: s.key, title: s.title, url: s.url }).collect(),
            portfolio: raw.portfolio.map(|p| self.portfolio(p)).transpose().map_err(|e| format!("[portfolio]: {e}"))?,
            timely_offer: raw
                .timely_offer
                .map(|t| self.timely_offer(t))
                .transpose()
                .map_err(|e| format!("[timely_offer]: {e}"))?,
            groups,
        })
    }

    fn citation(&self, raw: RawCitation) -> Result<Citation, String> {
        if raw.paragraph.trim().is_empty() {
            return Err("an empty paragraph".to_owned());
        }
        if raw.sources.is_empty() {
            return Err(format!("{:?} names no source", raw.paragraph));
        }
        if let Some(unknown) = raw.sources.iter().find(|k| !self.sources.contains(*k)) {
            return Err(format!("source {unknown:?} is not in the file's [[sources]]"));
        }
        Ok(Citation { paragraph: raw.paragraph, sources: raw.sources, uncertain: raw.uncertain })
    }

    fn group(&self, raw: RawGroup) -> Result<GroupRules, String> {
        let mut rules = Vec::new();
        for (n, rule) in raw.obligations.into_iter().enumerate() {
            rules.push(self.rule(rule).map_err(|e| format!("obligation {}: {e}", n + 1))?);
        }
        Ok(GroupRules {
            clock: match raw.clock {
                None | Some(RawClock::Calendar) => Clock::Calendar,
                Some(RawClock::DagpengeHours) => Clock::DagpengeHours,
            },
            clock_uncertain: raw.clock_uncertain,
            rules,
            duties: raw
                .duties
                .into_iter()
                .map(|d| {
                    Ok(Duty {
                        text: d.text,
                        citation: self.citation(RawCitation {
                            paragraph: d.paragraph,
                            sources: d.sources,
                            uncertain: d.uncertain,
                        })?,
                    })
                })
                .collect::<Result<_, String>>()?,
            closed_to_new_entrants: raw.closed_to_new_entrants.map(|c| self.citation(c)).transpose()?,
            flags: raw.flags.into_iter().map(|f| ConditionalFlag { when: f.when.into(), reason: f.reason }).collect(),
        })
    }

    fn rule(&self, raw: RawRule) -> Result<Rule, String> {
        if raw.count == 0 {
            return Err("count must be at least 1".to_owned());
        }
        let within: Window = raw.within.parse()?;
        let every = raw.every.as_deref().map(str::parse::<Window>).transpose()?;
        if every.is_some_and(|e| e.unit != within.unit) {
            return Err("`every` must use the same unit as `within`".to_owned());
        }
        Ok(Rule {
            kind: raw.kind,
            holder: raw.holder,
            count: raw.count,
            within,
            every,
            only_if: raw.only_if.map(Into::into),
            unless: raw.unless.map(Into::into),
            portfolio: raw.portfolio,
            citation: self.citation(RawCitation {
                paragraph: raw.paragraph,
                sources: raw.sources,
                uncertain: raw.uncertain,
            })?,
        })
    }

    fn portfolio(&self, raw: RawPortfolio) -> Result<PortfolioRule, String> {
        if raw.min_share_percent > 100 || raw.max_exempt_percent > 100 {
            return Err("a percentage above 100".to_owned());
        }
        let groups = |codes: Vec<String>| {
            codes.iter().map(|c| c.parse::<TargetGroup>().map_err(|e| e.to_string())).collect::<Result<Vec<_>, _>>()
        };
        Ok(PortfolioRule {
            min_share_percent: raw.min_share_percent,
            max_exempt_percent: raw.max_exempt_percent,
            conversation_groups: groups(raw.conversation_groups)?,
            offer_groups: groups(raw.offer_groups)?,
            citation: self.citation(RawCitation {
                paragraph: raw.paragraph,
                sources: raw.sources,
                uncertain: raw.uncertain,
            })?,
        })
    }

    fn timely_offer(&self, raw: RawTimelyOffer) -> Result<TimelyOffer, String> {
        Ok(TimelyOffer {
            started_by_deadline: raw.started_by_deadline,
            min_weeks: raw.min_weeks,
            wage_subsidy_start_grace_weeks: raw.wage_subsidy_start_grace_weeks,
            not_counting: raw.not_counting,
            after_exemption: raw.after_exemption.parse()?,
            text: raw.text,
            citation: self.citation(RawCitation {
                paragraph: raw.paragraph,
                sources: raw.sources,
                uncertain: raw.uncertain,
            })?,
        })
    }
}

fn date(raw: &Datetime) -> Option<NaiveDate> {
    if raw.time.is_some() || raw.offset.is_some() {
        return None;
    }
    let d = raw.date?;
    NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
}
