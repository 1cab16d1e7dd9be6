//! Decisions (afgørelser) on a citizen's case and complaints about them to Ankestyrelsen.
//!
//! A decision names its legal basis from a short list with the law's citation, says in plain
//! Danish why, and is dated twice: when it was made and when it was sent to the citizen. A
//! complaint (klage) is lodged against a sent decision; Ankestyrelsen's outcome is one of
//! four (upheld, changed, remitted, dismissed). The checks are pure and return every problem
//! at its field, like [`crate::case`]'s; [`outcome_table`] counts outcomes by legal basis and
//! quarter for the managers' follow-up ("appeal outcomes are a source of learning").
//!
//! The list of legal bases and their citations, and which of them are uncertain, is in
//! `docs/decisions.md`.

use chrono::{Datelike as _, Days, NaiveDate};

use crate::case::{FieldProblem, Problem};
use crate::citizen_plan::looks_like_cpr;
use crate::codes::code_enum;
use crate::period::Quarter;

code_enum! {
    /// The rule a decision is made under: a short list of what a jobcentre decides most,
    /// each with its citation (`citation`). The codes are stored; the words are in the
    /// catalogue (`legal-basis-<code>`).
    LegalBasis, "legal basis" {
        /// Kontanthjælp: the right to help (lov om aktiv socialpolitik § 11).
        Las11 => "las_11",
        /// Kontanthjælp: availability for work, rådighed (lov om aktiv socialpolitik § 13).
        Las13 => "las_13",
        /// Kontanthjælp: reduction or stop as a sanction (lov om aktiv socialpolitik §§ 36-40).
        LasSanction => "las_36_40",
        /// The target group a citizen is placed in (lov om en aktiv beskæftigelsesindsats § 6).
        Lab6 => "lab_6",
        /// The right and duty to an offer (lov om en aktiv beskæftigelsesindsats § 102).
        Lab102 => "lab_102",
        /// Sygedagpenge: the right to them, incapacity for work (sygedagpengeloven § 7).
        Sdl7 => "sdl_7",
        /// Sygedagpenge: stopped for want of cooperation (sygedagpengeloven § 21).
        Sdl21 => "sdl_21",
        /// Sygedagpenge: extension beyond 22 weeks (sygedagpengeloven § 27).
        Sdl27 => "sdl_27",
    }
}

impl LegalBasis {
    /// The citation printed in the letter and beside the choice: the law and its section.
    pub fn citation(self) -> &'static str {
        match self {
            LegalBasis::Las11 => "Lov om aktiv socialpolitik § 11",
            LegalBasis::Las13 => "Lov om aktiv socialpolitik § 13",
            LegalBasis::LasSanction => "Lov om aktiv socialpolitik §§ 36-40",
            LegalBasis::Lab6 => "Lov om en aktiv beskæftigelsesindsats § 6",
            LegalBasis::Lab102 => "Lov om en aktiv beskæftigelsesindsats § 102",
            LegalBasis::Sdl7 => "Sygedagpengeloven § 7",
            LegalBasis::Sdl21 => "Sygedagpengeloven § 21",
            LegalBasis::Sdl27 => "Sygedagpengeloven § 27",
        }
    }
}

code_enum! {
    /// Ankestyrelsen's outcome of a complaint.
    AppealOutcome, "appeal outcome" {
        /// Stadfæstet: the decision stands.
        Upheld => "upheld",
        /// Ændret: Ankestyrelsen changed the decision (ophævet is counted here too).
        Changed => "changed",
        /// Hjemvist: sent back to the municipality to decide again.
        Remitted => "remitted",
        /// Afvist: not examined (too late, no decision to complain of, ...).
        Dismissed => "dismissed",
    }
}

/// The longest subject kept, in characters.
pub const SUBJECT_MAX: usize = 200;
/// The longest explanation kept, in characters (about two pages of letter).
pub const EXPLANATION_MAX: usize = 6000;
/// The time to complain: four weeks from when the citizen received the decision
/// (retssikkerhedsloven § 67; the letter's complaint guidance says so).
pub const COMPLAINT_WEEKS: u64 = 4;

/// A decision to record, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionEntry {
    /// The rule it is made under.
    pub legal_basis: LegalBasis,
    /// What it is about, one line ("Afslag på kontanthjælp").
    pub subject: String,
    /// Why, in plain Danish, as the citizen will read it.
    pub explanation: String,
    /// The day it was made.
    pub decided_on: NaiveDate,
    /// The day it was sent to the citizen; `None` until sent.
    pub sent_on: Option<NaiveDate>,
}

/// Where a stored decision stands, for the checks on the steps after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecisionState {
    /// The day it was made.
    pub decided_on: NaiveDate,
    /// The day it was sent; `None` until sent.
    pub sent_on: Option<NaiveDate>,
    /// The day a complaint was lodged; `None` without one.
    pub lodged_on: Option<NaiveDate>,
    /// Ankestyrelsen's outcome, once known.
    pub outcome: Option<AppealOutcome>,
}

fn problem(field: &'static str, problem: Problem) -> FieldProblem {
    FieldProblem { field, problem }
}

/// Checks a new decision against `today` and the case's state: every problem at once.
pub fn check_decision(entry: &DecisionEntry, today: NaiveDate, case_open: bool) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    if !case_open {
        problems.push(problem("legal_basis", Problem::CaseClosed));
    }
    for (field, text, max) in
        [("subject", &entry.subject, SUBJECT_MAX), ("explanation", &entry.explanation, EXPLANATION_MAX)]
    {
        if text.trim().is_empty() {
            problems.push(problem(field, Problem::Missing));
        } else if text.chars().count() > max {
            problems.push(problem(field, Problem::TooLong));
        } else if looks_like_cpr(text) {
            // The letter shows these words to the citizen and anyone they show it to, and the
            // case page to every reader of the case: a CPR number has no place in them.
            problems.push(problem(field, Problem::ContainsCpr));
        }
    }
    if entry.decided_on > today {
        problems.push(problem("decided_on", Problem::InFuture));
    }
    if let Some(sent) = entry.sent_on {
        problems.extend(check_sent_date(entry.decided_on, sent, today, "sent_on"));
    }
    problems
}

fn check_sent_date(decided_on: NaiveDate, sent: NaiveDate, today: NaiveDate, field: &'static str) -> Vec<FieldProblem> {
    if sent < decided_on {
        vec![problem(field, Problem::SentBeforeDecided)]
    } else if sent > today {
        vec![problem(field, Problem::InFuture)]
    } else {
        Vec::new()
    }
}

/// Checks recording the day a decision that was not yet sent was sent.
pub fn check_sent(state: &DecisionState, sent_on: NaiveDate, today: NaiveDate) -> Vec<FieldProblem> {
    if state.sent_on.is_some() {
        return vec![problem("sent_on", Problem::AlreadyRegistered)];
    }
    check_sent_date(state.decided_on, sent_on, today, "sent_on")
}

/// Checks lodging a complaint against a decision: it must have been sent, and the complaint
/// cannot come before it was sent or lie in the future. One complaint per decision: a
/// remitted case gets a new decision, which can be complained of in turn.
pub fn check_appeal(state: &DecisionState, lodged_on: NaiveDate, today: NaiveDate) -> Vec<FieldProblem> {
    if state.lodged_on.is_some() {
        return vec![problem("lodged_on", Problem::AlreadyRegistered)];
    }
    match state.sent_on {
        None => vec![problem("lodged_on", Problem::NotSent)],
        Some(sent) if lodged_on < sent => vec![problem("lodged_on", Problem::LodgedBeforeSent)],
        Some(_) if lodged_on > today => vec![problem("lodged_on", Problem::InFuture)],
        Some(_) => Vec::new(),
    }
}

/// Checks recording Ankestyrelsen's outcome: there must be a complaint, without an outcome
/// yet, and the outcome cannot come before the complaint or lie in the future.
pub fn check_outcome(state: &DecisionState, outcome_on: NaiveDate, today: NaiveDate) -> Vec<FieldProblem> {
    let Some(lodged) = state.lodged_on else {
        return vec![problem("outcome", Problem::NoAppeal)];
    };
    if state.outcome.is_some() {
        return vec![problem("outcome", Problem::AlreadyRegistered)];
    }
    if outcome_on < lodged {
        vec![problem("outcome_on", Problem::OutcomeBeforeLodged)]
    } else if outcome_on > today {
        vec![problem("outcome_on", Problem::InFuture)]
    } else {
        Vec::new()
    }
}

/// The last day to complain of a decision sent on `sent_on`: four weeks on. The law counts
/// from when the citizen received it; a letter is taken as received the day it was sent, so
/// the date shown errs on the early side.
pub fn complaint_deadline(sent_on: NaiveDate) -> NaiveDate {
    sent_on.checked_add_days(Days::new(COMPLAINT_WEEKS * 7)).unwrap_or(sent_on)
}

/// Outcomes of one legal basis in one quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutcomeCounts {
    /// Stadfæstet.
    pub upheld: u32,
    /// Ændret.
    pub changed: u32,
    /// Hjemvist.
    pub remitted: u32,
    /// Afvist.
    pub dismissed: u32,
}

impl OutcomeCounts {
    fn add(&mut self, outcome: AppealOutcome) {
        let n = match outcome {
            AppealOutcome::Upheld => &mut self.upheld,
            AppealOutcome::Changed => &mut self.changed,
            AppealOutcome::Remitted => &mut self.remitted,
            AppealOutcome::Dismissed => &mut self.dismissed,
        };
        *n += 1;
    }

    /// Every outcome counted.
    pub fn total(&self) -> u32 {
        self.upheld + self.changed + self.remitted + self.dismissed
    }

    /// The share of complaints examined on their merits (all but the dismissed) that were
    /// changed or remitted, in per cent: Ankestyrelsen's "omgørelsesprocent". `None` when
    /// none was examined.
    pub fn reversal_percent(&self) -> Option<f64> {
        let examined = self.upheld + self.changed + self.remitted;
        (examined > 0).then(|| f64::from(self.changed + self.remitted) * 100.0 / f64::from(examined))
    }
}

/// One line of the managers' table: a quarter, a legal basis and its outcomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeRow {
    /// The quarter the outcomes were given in.
    pub quarter: Quarter,
    /// The legal basis of the decisions complained of.
    pub legal_basis: LegalBasis,
    /// The outcomes.
    pub counts: OutcomeCounts,
}

/// Counts outcomes by the quarter they were given in and the legal basis of the decision,
/// newest quarter first, legal bases in list order. Only pairs with an outcome are listed.
pub fn outcome_table(outcomes: &[(LegalBasis, AppealOutcome, NaiveDate)]) -> Vec<OutcomeRow> {
    use std::collections::BTreeMap;
    let mut cells: BTreeMap<(std::cmp::Reverse<Quarter>, LegalBasis), OutcomeCounts> = BTreeMap::new();
    for (basis, outcome, on) in outcomes {
        // A date chrono accepts but the calendar does not (outside 1900-2100) is left out.
        let Ok(quarter) = Quarter::new(on.year(), on.month0() / 3 + 1) else { continue };
        cells.entry((std::cmp::Reverse(quarter), *basis)).or_default().add(*outcome);
    }
    cells
        .into_iter()
        .map(|((quarter, legal_basis), counts)| OutcomeRow { quarter: quarter.0, legal_basis, counts })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn entry() -> DecisionEntry {
        DecisionEntry {
            legal_basis: LegalBasis::Las13,
            subject: "Nedsættelse af kontanthjælp".into(),
            explanation: "Du mødte ikke op til samtalen den 3. november.".into(),
            decided_on: d("2026-11-20"),
            sent_on: Some(d("2026-11-21")),
        }
    }

    fn sent() -> DecisionState {
        DecisionState { decided_on: d("2026-10-01"), sent_on: Some(d("2026-10-02")), lodged_on: None, outcome: None }
    }

    #[test]
    fn codes_round_trip_and_every_basis_has_a_citation() {
        for b in LegalBasis::ALL {
            assert_eq!(b.code().parse::<LegalBasis>(), Ok(*b));
            assert!(b.citation().contains('§'), "{b}");
        }
        for o in AppealOutcome::ALL {
            assert_eq!(o.code().parse::<AppealOutcome>(), Ok(*o));
        }
        assert!("stadfaestet".parse::<AppealOutcome>().is_err());
    }

    #[test]
    fn a_good_decision_passes_and_an_unsent_one_too() {
        let today = d("2026-11-30");
        assert!(check_decision(&entry(), today, true).is_empty());
        let unsent = DecisionEntry { sent_on: None, ..entry() };
        assert!(check_decision(&unsent, today, true).is_empty());
    }

    #[test]
    fn a_decision_is_not_sent_before_it_is_made_nor_made_in_the_future() {
        let today = d("2026-11-30");
        let e = DecisionEntry { sent_on: Some(d("2026-11-19")), ..entry() };
        assert_eq!(check_decision(&e, today, true), [problem("sent_on", Problem::SentBeforeDecided)]);
        let e = DecisionEntry { decided_on: d("2026-12-01"), sent_on: Some(d("2026-12-02")), ..entry() };
        assert_eq!(
            check_decision(&e, today, true),
            [problem("decided_on", Problem::InFuture), problem("sent_on", Problem::InFuture)]
        );
    }

    #[test]
    fn every_text_problem_is_named_at_its_field() {
        let e = DecisionEntry { subject: " ".into(), explanation: "Se CPR 010203-1234 i sagen.".into(), ..entry() };
        assert_eq!(
            check_decision(&e, d("2026-11-30"), false),
            [
                problem("legal_basis", Problem::CaseClosed),
                problem("subject", Problem::Missing),
                problem("explanation", Problem::ContainsCpr),
            ]
        );
        let e = DecisionEntry { subject: "x".repeat(SUBJECT_MAX + 1), ..entry() };
        assert_eq!(check_decision(&e, d("2026-11-30"), true), [problem("subject", Problem::TooLong)]);
    }

    #[test]
    fn a_complaint_needs_a_sent_decision_and_comes_after_it() {
        let today = d("2026-11-30");
        let unsent = DecisionState { sent_on: None, ..sent() };
        assert_eq!(check_appeal(&unsent, d("2026-10-10"), today), [problem("lodged_on", Problem::NotSent)]);
        assert_eq!(check_appeal(&sent(), d("2026-10-01"), today), [problem("lodged_on", Problem::LodgedBeforeSent)]);
        assert_eq!(check_appeal(&sent(), d("2026-12-01"), today), [problem("lodged_on", Problem::InFuture)]);
        // Sent and received the same day: a complaint that day is fine; a late one is still
        // registered (Ankestyrelsen decides whether to dismiss it).
        assert!(check_appeal(&sent(), d("2026-10-02"), today).is_empty());
        assert!(check_appeal(&sent(), d("2026-11-29"), today).is_empty());
        let lodged = DecisionState { lodged_on: Some(d("2026-10-05")), ..sent() };
        assert_eq!(check_appeal(&lodged, d("2026-10-06"), today), [problem("lodged_on", Problem::AlreadyRegistered)]);
    }

    #[test]
    fn an_outcome_needs_a_complaint_and_comes_after_it() {
        let today = d("2026-11-30");
        assert_eq!(check_outcome(&sent(), d("2026-11-01"), today), [problem("outcome", Problem::NoAppeal)]);
        let lodged = DecisionState { lodged_on: Some(d("2026-10-05")), ..sent() };
        assert_eq!(
            check_outcome(&lodged, d("2026-10-04"), today),
            [problem("outcome_on", Problem::OutcomeBeforeLodged)]
        );
        assert_eq!(check_outcome(&lodged, d("2026-12-04"), today), [problem("outcome_on", Problem::InFuture)]);
        assert!(check_outcome(&lodged, d("2026-11-04"), today).is_empty());
        let decided = DecisionState { outcome: Some(AppealOutcome::Upheld), ..lodged };
        assert_eq!(check_outcome(&decided, d("2026-11-04"), today), [problem("outcome", Problem::AlreadyRegistered)]);
    }

    #[test]
    fn sending_is_recorded_once_and_not_before_the_decision() {
        let today = d("2026-11-30");
        let unsent = DecisionState { sent_on: None, ..sent() };
        assert!(check_sent(&unsent, d("2026-10-01"), today).is_empty());
        assert_eq!(check_sent(&unsent, d("2026-09-30"), today), [problem("sent_on", Problem::SentBeforeDecided)]);
        assert_eq!(check_sent(&sent(), d("2026-10-03"), today), [problem("sent_on", Problem::AlreadyRegistered)]);
    }

    #[test]
    fn the_complaint_deadline_is_four_weeks_on() {
        assert_eq!(complaint_deadline(d("2026-11-30")), d("2026-12-28"));
    }

    #[test]
    fn outcomes_are_counted_by_quarter_and_basis_newest_first() {
        use AppealOutcome::*;
        let rows = outcome_table(&[
            (LegalBasis::Sdl7, Upheld, d("2026-01-15")),
            (LegalBasis::Las13, Changed, d("2026-02-01")),
            (LegalBasis::Las13, Upheld, d("2026-03-31")),
            (LegalBasis::Las13, Dismissed, d("2026-03-01")),
            (LegalBasis::Las13, Remitted, d("2026-04-01")),
        ]);
        let keys: Vec<(String, LegalBasis)> = rows.iter().map(|r| (r.quarter.to_string(), r.legal_basis)).collect();
        assert_eq!(
            keys,
            [
                ("2026Q2".to_owned(), LegalBasis::Las13),
                ("2026Q1".to_owned(), LegalBasis::Las13),
                ("2026Q1".to_owned(), LegalBasis::Sdl7),
            ]
        );
        let q1 = rows[1].counts;
        assert_eq!((q1.upheld, q1.changed, q1.remitted, q1.dismissed, q1.total()), (1, 1, 0, 1, 3));
        // Dismissed complaints were not examined, so they are outside the reversal share.
        assert_eq!(q1.reversal_percent(), Some(50.0));
        assert_eq!(OutcomeCounts { dismissed: 2, ..OutcomeCounts::default() }.reversal_percent(), None);
    }
}
