//! What is due on a case: the rules' obligations for the citizen's course, each marked met or
//! not from what the case holds, the worklist sorted by urgency, and the date proposed for
//! the next conversation.
//!
//! The obligations come from `indsats_domain::rules` (the rules in force on each date); this
//! module only compares them with the conversations held and offers started. The rule book
//! used is the built-in files with the ones an administrator adopted ([`rules_in_force`]):
//! a file marked *not adopted* (the expected 2027 rules) counts only once adopted.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use indsats_domain::case::{ConversationKind, ConversationStatus, EducationLevel, TargetGroup};
use indsats_domain::rules::{Course, Held, Holder, Obligation, ObligationKind, RuleBook};
use indsats_store::{CaseFile, Store, StoreError, WorklistRow};

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

/// The built-in rule files as the files say (the 2027 reform not adopted), for what must not
/// wait for the database (the rule calculator's default). Case work uses [`rules_in_force`].
pub fn rule_book() -> &'static RuleBook {
    // `RuleBook::builtin` hands out a copy; one is enough for every worklist and case page.
    static BOOK: std::sync::LazyLock<RuleBook> = std::sync::LazyLock::new(RuleBook::builtin);
    &BOOK
}

/// The rules the application follows: the built-in files with those an administrator adopted.
/// An adoption naming no built-in file (a file removed in a later release) is skipped, with
/// a warning in the log, rather than stopping case work.
pub async fn rules_in_force(store: &dyn Store) -> Result<RuleBook, StoreError> {
    let adopted = store.rule_adoptions().await?;
    let book = rule_book();
    let known: Vec<&str> = adopted.iter().map(|a| a.regime.as_str()).filter(|id| book.regime(id).is_some()).collect();
    if known.len() != adopted.len() {
        tracing::warn!("an adopted rule file is not among the built-in files and is ignored");
    }
    // Every id was checked against the book above, so adopting cannot fail.
    Ok(book.clone().with_adopted(known).unwrap_or_else(|_| book.clone()))
}

/// A rule file with whether it is adopted, and by whom when adopted here.
#[derive(Debug, Clone)]
pub struct RuleFileStatus {
    /// The file's id.
    pub id: String,
    /// Its file name.
    pub file: String,
    /// Its title.
    pub title: String,
    /// The day it takes effect.
    pub valid_from: NaiveDate,
    /// Adopted in the file itself (in force as shipped).
    pub adopted_in_file: bool,
    /// Adopted here, by an administrator.
    pub adopted_here: Option<indsats_store::Adoption>,
}

/// Every built-in rule file with its status, oldest first.
pub async fn rule_files(store: &dyn Store) -> Result<Vec<RuleFileStatus>, StoreError> {
    let adopted = store.rule_adoptions().await?;
    Ok(rule_book()
        .regimes()
        .iter()
        .map(|r| RuleFileStatus {
            id: r.id.clone(),
            file: r.file_name(),
            title: r.title.clone(),
            valid_from: r.valid_from,
            adopted_in_file: r.adopted,
            adopted_here: adopted.iter().find(|a| a.regime == r.id).cloned(),
        })
        .collect())
}

/// Why a rule file could not be adopted.
#[derive(Debug, thiserror::Error)]
pub enum AdoptError {
    /// No built-in rule file has that id.
    #[error("no such rule file")]
    Unknown,
    /// It is adopted already (in its file or here).
    #[error("adopted already")]
    Adopted,
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Adopts a built-in rule file that its file marks as not adopted (audited).
pub async fn adopt(store: &dyn Store, actor: indsats_domain::UserId, id: &str) -> Result<(), AdoptError> {
    let regime = rule_book().regime(id).ok_or(AdoptError::Unknown)?;
    if regime.adopted {
        return Err(AdoptError::Adopted);
    }
    match store.adopt_rules(&regime.id, actor).await {
        Err(StoreError::Conflict(what)) if what == indsats_store::rule_adoptions::ALREADY_ADOPTED => {
            Err(AdoptError::Adopted)
        }
        other => Ok(other?),
    }
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

/// The obligations of a case's current course under `book`, compared with the case.
pub fn obligations(book: &RuleBook, case: &CaseFile, today: NaiveDate) -> Vec<Due> {
    let c = &case.citizen;
    let held: Vec<Held> = case
        .conversations
        .iter()
        .filter(|v| v.status == ConversationStatus::Held && v.at.date() >= c.course_start)
        .map(|v| Held { date: v.at.date(), joint: v.kind == ConversationKind::JointAkasse })
        .collect();
    let first_offer = case.offers.iter().filter(|o| o.start >= c.course_start).map(|o| o.start).min();
    let course = course(c.target_group, c.course_start, c.birth_date, c.profile.education);
    compare(book.due(&course), &held, first_offer, today)
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

/// How soon something on the worklist falls due, in calendar weeks (Monday to Sunday).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Urgency {
    /// Its date has passed.
    Overdue,
    /// Falls due this week (today included).
    ThisWeek,
    /// Falls due next week.
    NextWeek,
    /// Falls due after next week.
    Later,
    /// Nothing falls due.
    Nothing,
}

impl Urgency {
    /// Every group, in the worklist's order.
    pub const ALL: [Urgency; 5] =
        [Urgency::Overdue, Urgency::ThisWeek, Urgency::NextWeek, Urgency::Later, Urgency::Nothing];

    /// The group of something due on `date`, seen on `today`.
    pub fn of(date: Option<NaiveDate>, today: NaiveDate) -> Self {
        let Some(date) = date else { return Urgency::Nothing };
        let sunday = today + Duration::days(6 - i64::from(today.weekday().num_days_from_monday()));
        if date < today {
            Urgency::Overdue
        } else if date <= sunday {
            Urgency::ThisWeek
        } else if date <= sunday + Duration::weeks(1) {
            Urgency::NextWeek
        } else {
            Urgency::Later
        }
    }

    /// The catalogue key of the group's heading.
    pub fn key(self) -> &'static str {
        match self {
            Urgency::Overdue => "worklist-overdue",
            Urgency::ThisWeek => "worklist-this-week",
            Urgency::NextWeek => "worklist-next-week",
            Urgency::Later => "worklist-later",
            Urgency::Nothing => "worklist-nothing",
        }
    }
}

/// One case on the worklist: its most urgent unmet obligation, the offer ending and the plan
/// to review, and the group the earliest of them puts it in.
#[derive(Debug, Clone)]
pub struct WorkItem {
    /// The case.
    pub row: WorklistRow,
    /// The most urgent unmet obligation the municipality holds.
    pub due: Option<Due>,
    /// The earliest date of the three (obligation, offer ending, plan review).
    pub date: Option<NaiveDate>,
    /// The group that date puts the case in.
    pub urgency: Urgency,
}

impl WorkItem {
    /// The case with what falls due on it, as seen on `today`.
    pub fn new(row: WorklistRow, due: Option<Due>, today: NaiveDate) -> Self {
        let date =
            [due.as_ref().map(|d| d.obligation.due), row.offer_ends, row.plan_review].into_iter().flatten().min();
        WorkItem { row, due, date, urgency: Urgency::of(date, today) }
    }
}

/// The worklist: open cases, most urgent first.
#[derive(Debug, Clone)]
pub struct Worklist {
    /// The day it was made for.
    pub today: NaiveDate,
    /// The cases, sorted by [`sort_by_urgency`].
    pub items: Vec<WorkItem>,
}

impl Worklist {
    /// The cases in one group, in the list's order.
    pub fn group(&self, urgency: Urgency) -> impl Iterator<Item = &WorkItem> {
        self.items.iter().filter(move |i| i.urgency == urgency)
    }
}

/// Sorts by group, then by the earliest date (overdue first, then soonest), then by name;
/// cases with nothing due come last.
pub fn sort_by_urgency(items: &mut [WorkItem]) {
    items.sort_by(|a, b| (a.urgency, a.date).cmp(&(b.urgency, b.date)).then_with(|| a.row.name.cmp(&b.row.name)));
}

/// The actor's own open cases, audited as one worklist read.
pub async fn worklist(store: &dyn Store, actor: Actor, today: NaiveDate) -> Result<Worklist, CaseError> {
    let book = rules_in_force(store).await?;
    let rows = store.worklist(actor.user, today, actor.user).await?;
    let mut items: Vec<WorkItem> = rows
        .into_iter()
        .map(|row| {
            let course = course(row.target_group, row.course_start, row.birth_date, row.education);
            let due = compare(book.due(&course), &row.held, row.first_offer, today)
                .into_iter()
                .filter(|d| !d.met && d.obligation.holder == Holder::Kommune)
                .min_by_key(|d| d.obligation.due);
            WorkItem::new(row, due, today)
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

    fn row(name: &str, offer_ends: Option<&str>, plan_review: Option<&str>) -> WorklistRow {
        WorklistRow {
            citizen: indsats_domain::CitizenId(1),
            name: name.into(),
            birth_date: d("1990-01-01"),
            target_group: TargetGroup::Dagpenge,
            course_start: d("2026-08-03"),
            education: EducationLevel::Vocational,
            held: Vec::new(),
            next_booked: None,
            first_offer: None,
            offer_ends: offer_ends.map(d),
            plan_review: plan_review.map(d),
        }
    }

    #[test]
    fn urgency_follows_calendar_weeks_from_monday_to_sunday() {
        // 2026-12-02 is a Wednesday: this week ends on Sunday 6 December, next week on the 13th.
        let today = d("2026-12-02");
        assert_eq!(Urgency::of(Some(d("2026-12-01")), today), Urgency::Overdue);
        assert_eq!(Urgency::of(Some(today), today), Urgency::ThisWeek);
        assert_eq!(Urgency::of(Some(d("2026-12-06")), today), Urgency::ThisWeek);
        assert_eq!(Urgency::of(Some(d("2026-12-07")), today), Urgency::NextWeek);
        assert_eq!(Urgency::of(Some(d("2026-12-13")), today), Urgency::NextWeek);
        assert_eq!(Urgency::of(Some(d("2026-12-14")), today), Urgency::Later);
        assert_eq!(Urgency::of(None, today), Urgency::Nothing);
        // On a Sunday, Monday is next week.
        assert_eq!(Urgency::of(Some(d("2026-12-07")), d("2026-12-06")), Urgency::NextWeek);
    }

    #[test]
    fn the_earliest_of_obligation_offer_end_and_plan_review_places_the_case() {
        let today = d("2026-12-02");
        let due =
            compare(vec![rule(ObligationKind::Conversation, Holder::Kommune, 1, "2026-12-20")], &[], None, today).pop();
        let offer = WorkItem::new(row("Bo", Some("2026-12-04"), None), due.clone(), today);
        assert_eq!((offer.urgency, offer.date), (Urgency::ThisWeek, Some(d("2026-12-04"))));
        let review = WorkItem::new(row("Ea", None, Some("2026-11-30")), due.clone(), today);
        assert_eq!(review.urgency, Urgency::Overdue, "a review date passed is overdue");
        let only_due = WorkItem::new(row("Al", None, None), due, today);
        assert_eq!(only_due.urgency, Urgency::Later);
        let nothing = WorkItem::new(row("Ib", None, None), None, today);
        let mut items = vec![nothing, only_due, offer, review];
        sort_by_urgency(&mut items);
        let names: Vec<&str> = items.iter().map(|i| i.row.name.as_str()).collect();
        assert_eq!(names, ["Ea", "Bo", "Al", "Ib"]);
    }
}
