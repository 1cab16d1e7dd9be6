//! What is due on a case: the rules' obligations for the citizen's course, each marked met or
//! not from what the case holds, the worklist sorted by urgency, and the date proposed for
//! the next conversation.
//!
//! The obligations come from `indsats_domain::rules` (the rules in force on each date); this
//! module only compares them with the conversations held and offers started. Adopting a
//! regime that is not adopted in its file (the expected 2027 rules) is not built yet: the
//! built-in rule book is used as the files say.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use indsats_domain::case::{ConversationKind, ConversationStatus, EducationLevel, TargetGroup};
use indsats_domain::rules::{Course, Held, Holder, Obligation, ObligationKind, RuleBook};
use indsats_store::{CaseFile, Store, WorklistRow};

use crate::cases::{Actor, CaseError};

/// An obligation of the rules compared with the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    /// The obligation as the rules state it.
    pub obligation: Obligation,
    /// Whether the case meets it by now (a conversation held late still counts, as the rules
    /// count it; an offer must have started by the deadline).
    pub met: bool,
    /// Met, but later than the deadline.
    pub late: bool,
    /// Not met and the deadline has passed. Obligations the a-kasse holds are never overdue
    /// for the municipality.
    pub overdue: bool,
}

impl Due {
    /// The catalogue key of what is due.
    pub fn kind_key(&self) -> &'static str {
        match self.obligation.kind {
            ObligationKind::Conversation => "due-conversation",
            ObligationKind::JointConversation => "due-joint-conversation",
            ObligationKind::FollowUp => "due-follow-up",
            ObligationKind::Offer => "due-offer",
        }
    }

    /// The catalogue key of who holds it.
    pub fn holder_key(&self) -> &'static str {
        match self.obligation.holder {
            Holder::Akasse => "due-holder-akasse",
            Holder::Kommune => "due-holder-kommune",
        }
    }
}

/// The rules the application follows: the built-in rule files, with the adopted ones in force.
pub fn rule_book() -> &'static RuleBook {
    // `RuleBook::builtin` hands out a copy; one is enough for every worklist and case page.
    static BOOK: std::sync::LazyLock<RuleBook> = std::sync::LazyLock::new(RuleBook::builtin);
    &BOOK
}

/// A case's current course as the rules see it: full-time from its start.
pub fn course(group: TargetGroup, start: NaiveDate, born: NaiveDate, education: EducationLevel) -> Course {
    let educated =
        !matches!(education, EducationLevel::Primary | EducationLevel::UpperSecondary | EducationLevel::Unknown);
    Course { born: Some(born), education: educated, ..Course::new(group, start) }
}

/// Compares the rules' obligations with what was held and started up to `today`.
pub fn compare(rules: Vec<Obligation>, held: &[Held], first_offer: Option<NaiveDate>, today: NaiveDate) -> Vec<Due> {
    let held: Vec<&Held> = held.iter().filter(|h| h.date <= today).collect();
    let count = |by: NaiveDate, joint: bool| held.iter().filter(|h| h.date <= by && (!joint || h.joint)).count();
    rules
        .into_iter()
        .map(|o| {
            let need = usize::try_from(o.count).unwrap_or(usize::MAX);
            let joint = o.kind == ObligationKind::JointConversation;
            let (met, late) = if o.kind == ObligationKind::Offer {
                (first_offer.is_some_and(|d| d <= o.due), false)
            } else {
                let met = count(today, joint) >= need;
                (met, met && count(o.due, joint) < need)
            };
            let overdue = !met && o.holder == Holder::Kommune && o.due < today;
            Due { obligation: o, met, late, overdue }
        })
        .collect()
}

/// The obligations of a case's current course, compared with the case.
pub fn obligations(case: &CaseFile, today: NaiveDate) -> Vec<Due> {
    let c = &case.citizen;
    let held: Vec<Held> = case
        .conversations
        .iter()
        .filter(|v| v.status == ConversationStatus::Held && v.at.date() >= c.course_start)
        .map(|v| Held { date: v.at.date(), joint: v.kind == ConversationKind::JointAkasse })
        .collect();
    let first_offer = case.offers.iter().filter(|o| o.start >= c.course_start).map(|o| o.start).min();
    let course = course(c.target_group, c.course_start, c.birth_date, c.profile.education);
    compare(rule_book().due(&course), &held, first_offer, today)
}

/// When to propose the next conversation: by the first unmet conversation obligation the
/// municipality holds, not before tomorrow; four weeks on when the rules ask for none.
/// `due` is the case's [`obligations`] on `now`'s day.
pub fn propose_next(due: &[Due], now: NaiveDateTime) -> NaiveDateTime {
    let tomorrow = now.date() + Duration::days(1);
    let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default();
    let due = due
        .iter()
        .filter(|d| !d.met && d.obligation.holder == Holder::Kommune && d.obligation.kind.is_conversation())
        .map(|d| d.obligation.due)
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
    /// The most urgent unmet obligation the municipality holds.
    pub due: Option<Due>,
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
        let key = |i: &WorkItem| {
            let date = i.due.as_ref().map(|d| d.obligation.due);
            (date.is_none(), date)
        };
        key(a).cmp(&key(b)).then_with(|| a.row.name.cmp(&b.row.name))
    });
}

/// The actor's own open cases, audited as one worklist read.
pub async fn worklist(store: &dyn Store, actor: Actor, today: NaiveDate) -> Result<Worklist, CaseError> {
    let rows = store.worklist(actor.user, today, actor.user).await?;
    let mut items: Vec<WorkItem> = rows
        .into_iter()
        .map(|row| {
            let course = course(row.target_group, row.course_start, row.birth_date, row.education);
            let due = compare(rule_book().due(&course), &row.held, row.first_offer, today)
                .into_iter()
                .filter(|d| !d.met && d.obligation.holder == Holder::Kommune)
                .min_by_key(|d| d.obligation.due);
            WorkItem { row, due }
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

    fn rule(kind: ObligationKind, holder: Holder, count: u32, due: &str) -> Obligation {
        Obligation {
            kind,
            holder,
            count,
            due: d(due),
            source: "test".into(),
            regime: "test".into(),
            portfolio: false,
            flag: None,
        }
    }

    fn held(dates: &[&str]) -> Vec<Held> {
        dates.iter().map(|s| Held { date: d(s), joint: false }).collect()
    }

    #[test]
    fn a_count_is_met_by_conversations_held_and_late_when_after_the_deadline() {
        let rules = vec![
            rule(ObligationKind::Conversation, Holder::Kommune, 1, "2026-03-10"),
            rule(ObligationKind::Conversation, Holder::Kommune, 2, "2026-04-10"),
            rule(ObligationKind::Conversation, Holder::Kommune, 3, "2026-05-10"),
        ];
        let due = compare(rules, &held(&["2026-03-01", "2026-04-11"]), None, d("2026-05-20"));
        assert!(due[0].met && !due[0].late && !due[0].overdue);
        assert!(due[1].met && due[1].late, "the second was held a day late");
        assert!(!due[2].met && due[2].overdue);
    }

    #[test]
    fn joint_conversations_need_joint_ones_and_the_akasse_is_never_overdue_for_us() {
        let rules = vec![
            rule(ObligationKind::JointConversation, Holder::Kommune, 1, "2026-03-10"),
            rule(ObligationKind::Conversation, Holder::Akasse, 3, "2026-01-31"),
            rule(ObligationKind::Offer, Holder::Kommune, 1, "2026-06-30"),
        ];
        let due = compare(rules.clone(), &held(&["2026-03-01"]), Some(d("2026-07-01")), d("2026-12-01"));
        assert!(!due[0].met && due[0].overdue, "an ordinary conversation is not a joint one");
        assert!(!due[1].met && !due[1].overdue);
        assert!(!due[2].met && due[2].overdue, "an offer that started after the deadline is late");
        let joint = vec![Held { date: d("2026-03-01"), joint: true }];
        let due = compare(rules, &joint, Some(d("2026-06-30")), d("2026-12-01"));
        assert!(due[0].met && due[2].met);
    }

    #[test]
    fn the_rule_book_gives_a_dagpenge_course_the_municipalitys_conversations() {
        let c = course(TargetGroup::Dagpenge, d("2026-08-03"), d("1990-01-01"), EducationLevel::Vocational);
        let due = compare(rule_book().due(&c), &[], None, d("2026-08-03"));
        assert!(due.iter().any(|x| x.obligation.holder == Holder::Kommune && x.obligation.kind.is_conversation()));
        assert!(due.iter().all(|x| !x.met && !x.overdue), "nothing is overdue on the first day");
    }
}
