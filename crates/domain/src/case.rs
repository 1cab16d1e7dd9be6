//! Case work: a citizen's case, its conversations and its offers, and the checks a change
//! must pass before it is saved.
//!
//! The checks are pure and return every problem at once, each naming its field, so the page
//! can put each message beside its field and keep what the caseworker typed.

use chrono::{NaiveDate, NaiveDateTime};

use crate::benefit::ActivationKind;
use crate::codes::code_enum;

pub use crate::rules::TargetGroup;

code_enum! {
    /// What a conversation is for.
    ConversationKind, "conversation kind" {
        /// Jobsamtale: the individual job conversation.
        Job => "job",
        /// Fælles samtale with the a-kasse.
        JointAkasse => "joint_akasse",
        /// Opfølgningssamtale on sygedagpenge.
        SickFollowUp => "sick_follow_up",
        /// A conversation in a rehabilitation or clarification course.
        Rehabilitation => "rehabilitation",
    }
}

code_enum! {
    /// Where a conversation stands.
    ConversationStatus, "conversation status" {
        /// Booked for a time.
        Booked => "booked",
        /// Held.
        Held => "held",
        /// Cancelled before it took place.
        Cancelled => "cancelled",
        /// The citizen did not come.
        Missed => "missed",
    }
}

code_enum! {
    /// A kind of offer (tilbud) on a case.
    OfferKind, "offer kind" {
        /// Virksomhedspraktik.
        WorkPlacement => "virksomhedspraktik",
        /// Ansættelse med løntilskud.
        WageSubsidy => "loentilskud",
        /// Nytteindsats.
        UtilityWork => "nytteindsats",
        /// Ordinære timer.
        OrdinaryHours => "ordinaere_timer",
        /// AMU-kursus.
        AmuCourse => "amu",
        /// Ordinær uddannelse.
        OrdinaryEducation => "ordinaer_uddannelse",
        /// Voksenlærling.
        AdultApprenticeship => "voksenlaerling",
        /// Mentor.
        Mentor => "mentor",
        /// IPS (individuelt planlagt job med støtte).
        Ips => "ips",
    }
}

code_enum! {
    /// How an offer ended.
    OfferOutcome, "offer outcome" {
        /// Completed as planned.
        Completed => "completed",
        /// Ended in ordinary work.
        Job => "job",
        /// Ended in ordinary education.
        Education => "education",
        /// Stopped early.
        Interrupted => "interrupted",
    }
}

code_enum! {
    /// The highest completed education.
    EducationLevel, "education level" {
        /// Grundskole.
        Primary => "grundskole",
        /// Gymnasial uddannelse.
        UpperSecondary => "gymnasial",
        /// Erhvervsfaglig uddannelse.
        Vocational => "erhvervsfaglig",
        /// Kort videregående.
        ShortHigher => "kort_videregaaende",
        /// Mellemlang videregående.
        MediumHigher => "mellemlang_videregaaende",
        /// Lang videregående.
        LongHigher => "lang_videregaaende",
        /// Not known.
        Unknown => "ukendt",
    }
}

code_enum! {
    /// Why someone opens a case that is not theirs. A fixed list, so the audit log records
    /// the reason without free text (which could hold anything about the citizen).
    AccessReason, "access reason" {
        /// Covering for the citizen's caseworker (vikar).
        Substitute => "substitute",
        /// The citizen contacted the jobcentre.
        CitizenContact => "citizen_contact",
        /// Professional sparring with the caseworker.
        Sparring => "sparring",
        /// Handling a complaint or an appeal.
        Complaint => "complaint",
        /// A manager's supervision of the case work.
        Supervision => "supervision",
    }
}

impl OfferKind {
    /// The activation kind the offer counts as in the register format's activation spells,
    /// so indicators can be computed from the jobcentre's own cases as from register data.
    /// Ordinary hours are work, not activation.
    pub fn activation_kind(self) -> Option<ActivationKind> {
        match self {
            OfferKind::WorkPlacement => Some(ActivationKind::Virksomhedspraktik),
            OfferKind::WageSubsidy => Some(ActivationKind::Loentilskud),
            OfferKind::UtilityWork => Some(ActivationKind::Nytteindsats),
            OfferKind::AmuCourse | OfferKind::OrdinaryEducation | OfferKind::AdultApprenticeship => {
                Some(ActivationKind::Opkvalificering)
            }
            OfferKind::Mentor | OfferKind::Ips => Some(ActivationKind::Vejledning),
            OfferKind::OrdinaryHours => None,
        }
    }

    /// Whether the offer counts in the plans' company-oriented ("virksomhedsrettet") share:
    /// the register's company-oriented kinds, plus work at a workplace on ordinary terms.
    pub fn is_company_oriented(self) -> bool {
        matches!(
            self,
            OfferKind::WorkPlacement
                | OfferKind::WageSubsidy
                | OfferKind::UtilityWork
                | OfferKind::OrdinaryHours
                | OfferKind::AdultApprenticeship
                | OfferKind::Ips
        )
    }
}

/// An occupation code from DISCO-08 (Danmarks Statistik's version of ISCO-08): one to six
/// digits, the first four being ISCO-08's major, sub-major, minor and unit groups.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Disco08(String);

impl Disco08 {
    /// Parses a code of one to six digits.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        (1..=6).contains(&raw.len()).then_some(())?;
        raw.bytes().all(|b| b.is_ascii_digit()).then(|| Self(raw.to_owned()))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Parses a list separated by commas or white space; `Err` carries the first bad entry.
    pub fn parse_list(raw: &str) -> Result<Vec<Self>, String> {
        raw.split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(|s| Self::parse(s).ok_or_else(|| s.to_owned()))
            .collect()
    }
}

/// What is wrong with a field of a form, for a message beside that field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// The field must be filled in.
    Missing,
    /// Not a valid value for the field.
    Invalid,
    /// Too long.
    TooLong,
    /// A booked conversation must lie in the future.
    BookedInPast,
    /// A held or missed conversation cannot lie in the future.
    HeldInFuture,
    /// The end lies before the start.
    EndBeforeStart,
    /// Hours outside 1-37 per week.
    HoursOutOfRange,
    /// The case is closed: nothing new may be added.
    CaseClosed,
    /// The offer or course is closed to new entrants under the rules in force.
    ClosedToNewEntrants,
    /// A date that cannot lie in the future (a decision made, sent, complained of).
    InFuture,
    /// A decision sent before the day it was made.
    SentBeforeDecided,
    /// A complaint about a decision that was never sent.
    NotSent,
    /// A complaint lodged before the decision was sent.
    LodgedBeforeSent,
    /// An appeal outcome for a decision nobody complained of.
    NoAppeal,
    /// An appeal outcome dated before the complaint.
    OutcomeBeforeLodged,
    /// Recorded already (a decision sent, a complaint, an outcome): kept as first recorded.
    AlreadyRegistered,
    /// Text meant for the citizen's letter holds something shaped like a CPR number.
    ContainsCpr,
    /// An exemption would take the municipality over the portfolio rules' quota (25 %).
    QuotaFull,
    /// The citizen's target group is not under the portfolio rules in force: nothing to exempt from.
    NotInPortfolio,
    /// The citizen is exempted already.
    AlreadyExempt,
    /// Text that looks like a CPR number, in a field that must not hold one.
    LooksLikeCpr,
}

/// A problem with one named field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldProblem {
    /// The form field's name.
    pub field: &'static str,
    /// What is wrong.
    pub problem: Problem,
}

/// How many times a case changed caseworker: each assignment after the first that names
/// someone else than the one before (a re-assignment to the same person is no change).
pub fn caseworker_changes<T: PartialEq>(history: &[T]) -> usize {
    history.windows(2).filter(|w| w[0] != w[1]).count()
}

/// The most a short note may hold, in characters.
pub const NOTE_MAX: usize = 2000;

/// A conversation to record: booked for later, or held, cancelled or missed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationEntry {
    /// Its kind.
    pub kind: ConversationKind,
    /// Its status.
    pub status: ConversationStatus,
    /// When (local time).
    pub at: NaiveDateTime,
    /// A short note.
    pub note: String,
}

/// Checks a conversation entry against `now` and the case's state.
pub fn check_conversation(entry: &ConversationEntry, now: NaiveDateTime, case_open: bool) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    if !case_open {
        problems.push(FieldProblem { field: "status", problem: Problem::CaseClosed });
    }
    match entry.status {
        ConversationStatus::Booked if entry.at < now => {
            problems.push(FieldProblem { field: "at", problem: Problem::BookedInPast });
        }
        ConversationStatus::Held | ConversationStatus::Missed if entry.at > now => {
            problems.push(FieldProblem { field: "at", problem: Problem::HeldInFuture });
        }
        _ => {}
    }
    if entry.note.chars().count() > NOTE_MAX {
        problems.push(FieldProblem { field: "note", problem: Problem::TooLong });
    }
    problems
}

/// An offer to register on a case.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferEntry {
    /// Its kind.
    pub kind: OfferKind,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// Hours per week.
    pub hours: f64,
    /// The company or place, as free text until company service links it.
    pub place: String,
}

/// The most hours per week an offer may have: full time.
pub const HOURS_MAX: f64 = 37.0;

/// Checks an offer entry against the case's state.
pub fn check_offer(entry: &OfferEntry, case_open: bool) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    if !case_open {
        problems.push(FieldProblem { field: "kind", problem: Problem::CaseClosed });
    }
    if entry.end < entry.start {
        problems.push(FieldProblem { field: "end", problem: Problem::EndBeforeStart });
    }
    if !(entry.hours.is_finite() && (1.0..=HOURS_MAX).contains(&entry.hours)) {
        problems.push(FieldProblem { field: "hours", problem: Problem::HoursOutOfRange });
    }
    if entry.place.chars().count() > 200 {
        problems.push(FieldProblem { field: "place", problem: Problem::TooLong });
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn codes_round_trip() {
        for k in OfferKind::ALL {
            assert_eq!(k.code().parse::<OfferKind>(), Ok(*k));
        }
        let err = "praktik".parse::<OfferKind>().unwrap_err();
        assert_eq!(err.to_string(), "unknown offer kind \"praktik\"");
    }

    #[test]
    fn every_offer_but_ordinary_hours_is_activation() {
        let work: Vec<_> = OfferKind::ALL.iter().filter(|k| k.activation_kind().is_none()).collect();
        assert_eq!(work, [&OfferKind::OrdinaryHours]);
        // What the register counts as company-oriented stays company-oriented here.
        for k in OfferKind::ALL {
            if k.activation_kind().is_some_and(ActivationKind::is_company_oriented) {
                assert!(k.is_company_oriented(), "{k}");
            }
        }
    }

    #[test]
    fn booked_conversations_lie_ahead_and_held_ones_behind() {
        let now = at("2026-11-30 10:00");
        let mut e = ConversationEntry {
            kind: ConversationKind::Job,
            status: ConversationStatus::Booked,
            at: at("2026-11-30 09:00"),
            note: String::new(),
        };
        assert_eq!(check_conversation(&e, now, true), [FieldProblem { field: "at", problem: Problem::BookedInPast }]);
        e.status = ConversationStatus::Held;
        assert!(check_conversation(&e, now, true).is_empty());
        e.at = at("2026-12-01 09:00");
        assert_eq!(check_conversation(&e, now, true), [FieldProblem { field: "at", problem: Problem::HeldInFuture }]);
        e.status = ConversationStatus::Booked;
        assert!(check_conversation(&e, now, true).is_empty());
        e.note = "x".repeat(NOTE_MAX + 1);
        let problems = check_conversation(&e, now, false);
        assert_eq!(problems.len(), 2, "closed case and long note are both reported: {problems:?}");
    }

    #[test]
    fn offers_need_order_hours_and_an_open_case() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let mut e = OfferEntry {
            kind: OfferKind::WorkPlacement,
            start: d("2026-12-01"),
            end: d("2026-12-28"),
            hours: 37.0,
            place: "Bager Hansen".into(),
        };
        assert!(check_offer(&e, true).is_empty());
        e.end = d("2026-11-30");
        e.hours = f64::NAN;
        let fields: Vec<_> = check_offer(&e, false).iter().map(|p| p.field).collect();
        assert_eq!(fields, ["kind", "end", "hours"]);
        e.end = e.start;
        e.hours = 37.5;
        assert_eq!(check_offer(&e, true), [FieldProblem { field: "hours", problem: Problem::HoursOutOfRange }]);
    }

    #[test]
    fn disco_codes_are_one_to_six_digits() {
        assert_eq!(Disco08::parse_list("5223, 9112 251200").unwrap().len(), 3);
        assert_eq!(Disco08::parse_list("5223,52x3"), Err("52x3".to_owned()));
        assert!(Disco08::parse("1234567").is_none());
        assert!(Disco08::parse("").is_none());
    }

    #[test]
    fn caseworker_changes_count_a_new_person_not_a_repeat() {
        assert_eq!(caseworker_changes::<&str>(&[]), 0);
        assert_eq!(caseworker_changes(&["anna"]), 0);
        assert_eq!(caseworker_changes(&["anna", "bo", "bo", "anna"]), 2);
    }
}
