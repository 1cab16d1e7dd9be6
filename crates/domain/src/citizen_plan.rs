//! The coherent plan ("én samlet plan"): one plan per citizen with goals and sub-goals in the
//! citizen's own words and the efforts (indsatser) of several departments towards them, each
//! with who is responsible, where it stands and when it is next reviewed.
//!
//! The checks are pure and return every problem at once, each naming its form field, like
//! [`crate::case`]'s. Rows are numbered from 0 in the order the plan holds them, and a
//! field's name carries the row (`effort_2_review`), so a message lands beside its row.

use chrono::NaiveDate;

use crate::case::{FieldProblem, Problem};
use crate::codes::code_enum;

code_enum! {
    /// The department (forvaltning) an effort belongs to.
    Department, "department" {
        /// Beskæftigelse: the jobcentre.
        Employment => "employment",
        /// Socialområdet.
        Social => "social",
        /// Sundhed.
        Health => "health",
        /// Bolig.
        Housing => "housing",
        /// Uddannelse.
        Education => "education",
    }
}

code_enum! {
    /// Where an effort stands.
    EffortStatus, "effort status" {
        /// Agreed, not started.
        Planned => "planned",
        /// Under way.
        Running => "running",
        /// Finished as planned.
        Done => "done",
        /// Stopped before it was finished.
        Stopped => "stopped",
    }
}

impl EffortStatus {
    /// Whether the effort is still ahead or under way, and so needs a review date.
    pub fn is_active(self) -> bool {
        matches!(self, EffortStatus::Planned | EffortStatus::Running)
    }
}

/// A goal in the citizen's own words, with its sub-goals.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PlanGoal {
    /// The goal.
    pub text: String,
    /// Steps towards it, in order.
    pub sub_goals: Vec<String>,
}

/// An effort (indsats) in the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effort {
    /// The department responsible.
    pub department: Department,
    /// What the effort is.
    pub what: String,
    /// The responsible person, by name or role (never a CPR number).
    pub responsible: String,
    /// Where it stands.
    pub status: EffortStatus,
    /// When it is next reviewed; required while planned or running.
    pub review: Option<NaiveDate>,
}

/// The content of one version of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PlanContent {
    /// Goals, in the order the citizen put them.
    pub goals: Vec<PlanGoal>,
    /// Efforts, in the order they were entered.
    pub efforts: Vec<Effort>,
}

/// The most goals a plan holds (one screen's worth; a longer list is no plan).
pub const GOALS_MAX: usize = 10;
/// The most sub-goals under one goal.
pub const SUB_GOALS_MAX: usize = 10;
/// The most efforts a plan holds.
pub const EFFORTS_MAX: usize = 20;
/// The longest goal, in characters.
pub const GOAL_MAX: usize = 500;
/// The longest sub-goal, in characters.
pub const SUB_GOAL_MAX: usize = 300;
/// The longest description of an effort, in characters.
pub const WHAT_MAX: usize = 200;
/// The longest name or role of a responsible person, in characters.
pub const RESPONSIBLE_MAX: usize = 120;

/// `[prefix0suffix, prefix1suffix, ...]` for `n` rows, as `&'static str` so that a
/// [`FieldProblem`] can name a row's field.
macro_rules! row_fields {
    ($prefix:literal, $suffix:literal) => {
        [
            concat!($prefix, "0", $suffix),
            concat!($prefix, "1", $suffix),
            concat!($prefix, "2", $suffix),
            concat!($prefix, "3", $suffix),
            concat!($prefix, "4", $suffix),
            concat!($prefix, "5", $suffix),
            concat!($prefix, "6", $suffix),
            concat!($prefix, "7", $suffix),
            concat!($prefix, "8", $suffix),
            concat!($prefix, "9", $suffix),
            concat!($prefix, "10", $suffix),
            concat!($prefix, "11", $suffix),
            concat!($prefix, "12", $suffix),
            concat!($prefix, "13", $suffix),
            concat!($prefix, "14", $suffix),
            concat!($prefix, "15", $suffix),
            concat!($prefix, "16", $suffix),
            concat!($prefix, "17", $suffix),
            concat!($prefix, "18", $suffix),
            concat!($prefix, "19", $suffix),
        ]
    };
}

/// The form fields of a goal row: the goal (`goal_N`) and its sub-goals, one per line
/// (`subgoals_N`).
pub const GOAL_FIELDS: [&str; EFFORTS_MAX] = row_fields!("goal_", "");
/// See [`GOAL_FIELDS`].
pub const SUB_GOAL_FIELDS: [&str; EFFORTS_MAX] = row_fields!("subgoals_", "");
/// The form fields of an effort row (`effort_N_what` ...).
pub const EFFORT_WHAT: [&str; EFFORTS_MAX] = row_fields!("effort_", "_what");
/// See [`EFFORT_WHAT`].
pub const EFFORT_DEPARTMENT: [&str; EFFORTS_MAX] = row_fields!("effort_", "_department");
/// See [`EFFORT_WHAT`].
pub const EFFORT_RESPONSIBLE: [&str; EFFORTS_MAX] = row_fields!("effort_", "_responsible");
/// See [`EFFORT_WHAT`].
pub const EFFORT_STATUS: [&str; EFFORTS_MAX] = row_fields!("effort_", "_status");
/// See [`EFFORT_WHAT`].
pub const EFFORT_REVIEW: [&str; EFFORTS_MAX] = row_fields!("effort_", "_review");

/// Whether `text` holds something shaped like a CPR number (six digits, an optional dash or
/// space, four digits). Free text in the plan is shown to every reader of the plan, the
/// citizen included, and is not audited as a CPR read, so a number must not slip in there.
pub fn looks_like_cpr(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let digits = |from: usize, n: usize| chars.get(from..from + n).is_some_and(|s| s.iter().all(char::is_ascii_digit));
    (0..chars.len()).any(|i| {
        let starts_run = i == 0 || !chars[i - 1].is_ascii_digit();
        if !starts_run || !digits(i, 6) {
            return false;
        }
        let after = i + 6;
        let rest = match chars.get(after) {
            Some('-' | ' ') => after + 1,
            _ => after,
        };
        digits(rest, 4) && !chars.get(rest + 4).is_some_and(char::is_ascii_digit)
    })
}

fn too_long(text: &str, max: usize) -> bool {
    text.chars().count() > max
}

/// Checks a plan before it is saved: every problem at once. `case_open` is false for a
/// closed case, to which nothing may be added.
pub fn check_plan(plan: &PlanContent, case_open: bool) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    let mut push = |field: &'static str, problem: Problem| problems.push(FieldProblem { field, problem });
    if !case_open {
        push("goals", Problem::CaseClosed);
    }
    if plan.goals.len() > GOALS_MAX {
        push("goals", Problem::TooLong);
    }
    if plan.efforts.len() > EFFORTS_MAX {
        push("efforts", Problem::TooLong);
    }
    for (i, goal) in plan.goals.iter().enumerate().take(GOALS_MAX) {
        if goal.text.trim().is_empty() {
            push(GOAL_FIELDS[i], Problem::Missing);
        } else if too_long(&goal.text, GOAL_MAX) {
            push(GOAL_FIELDS[i], Problem::TooLong);
        }
        if goal.sub_goals.len() > SUB_GOALS_MAX || goal.sub_goals.iter().any(|s| too_long(s, SUB_GOAL_MAX)) {
            push(SUB_GOAL_FIELDS[i], Problem::TooLong);
        }
    }
    for (i, effort) in plan.efforts.iter().enumerate().take(EFFORTS_MAX) {
        if effort.what.trim().is_empty() {
            push(EFFORT_WHAT[i], Problem::Missing);
        } else if too_long(&effort.what, WHAT_MAX) {
            push(EFFORT_WHAT[i], Problem::TooLong);
        } else if looks_like_cpr(&effort.what) {
            push(EFFORT_WHAT[i], Problem::Invalid);
        }
        if effort.responsible.trim().is_empty() {
            push(EFFORT_RESPONSIBLE[i], Problem::Missing);
        } else if too_long(&effort.responsible, RESPONSIBLE_MAX) {
            push(EFFORT_RESPONSIBLE[i], Problem::TooLong);
        } else if looks_like_cpr(&effort.responsible) {
            push(EFFORT_RESPONSIBLE[i], Problem::Invalid);
        }
        if effort.status.is_active() && effort.review.is_none() {
            push(EFFORT_REVIEW[i], Problem::Missing);
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn effort() -> Effort {
        Effort {
            department: Department::Health,
            what: "Forløb hos misbrugscentret".into(),
            responsible: "Rådgiver, Misbrugscentret".into(),
            status: EffortStatus::Running,
            review: NaiveDate::from_ymd_opt(2027, 1, 15),
        }
    }

    fn plan() -> PlanContent {
        PlanContent {
            goals: vec![PlanGoal {
                text: "Jeg vil have et arbejde i et køkken".into(),
                sub_goals: vec!["Tage hygiejnebevis".into(), "Praktik i en kantine".into()],
            }],
            efforts: vec![effort()],
        }
    }

    #[test]
    fn codes_round_trip() {
        for d in Department::ALL {
            assert_eq!(d.code().parse::<Department>(), Ok(*d));
        }
        for s in EffortStatus::ALL {
            assert_eq!(s.code().parse::<EffortStatus>(), Ok(*s));
        }
        assert_eq!(Department::ALL.len(), 5);
    }

    #[test]
    fn a_good_plan_has_no_problems_and_an_empty_one_is_allowed() {
        assert!(check_plan(&plan(), true).is_empty());
        assert!(check_plan(&PlanContent::default(), true).is_empty());
    }

    #[test]
    fn every_problem_is_named_at_its_row() {
        let mut p = plan();
        p.goals.push(PlanGoal { text: " ".into(), sub_goals: vec!["x".repeat(SUB_GOAL_MAX + 1)] });
        let mut second = effort();
        second.what = String::new();
        second.responsible = "Mentor 010190-1234".into();
        second.review = None;
        p.efforts.push(second);
        let found = check_plan(&p, false);
        let fields: Vec<_> = found.iter().map(|f| (f.field, f.problem)).collect();
        assert_eq!(
            fields,
            [
                ("goals", Problem::CaseClosed),
                ("goal_1", Problem::Missing),
                ("subgoals_1", Problem::TooLong),
                ("effort_1_what", Problem::Missing),
                ("effort_1_responsible", Problem::Invalid),
                ("effort_1_review", Problem::Missing),
            ]
        );
    }

    #[test]
    fn finished_efforts_need_no_review_date() {
        let mut p = plan();
        p.efforts[0].review = None;
        p.efforts[0].status = EffortStatus::Done;
        assert!(check_plan(&p, true).is_empty());
        p.efforts[0].status = EffortStatus::Planned;
        assert_eq!(check_plan(&p, true), [FieldProblem { field: "effort_0_review", problem: Problem::Missing }]);
    }

    #[test]
    fn limits_are_characters_and_counts() {
        let mut p = plan();
        p.goals[0].text = "æ".repeat(GOAL_MAX);
        assert!(check_plan(&p, true).is_empty(), "characters, not bytes");
        p.goals[0].text.push('æ');
        p.efforts = vec![effort(); EFFORTS_MAX + 1];
        let fields: Vec<_> = check_plan(&p, true).iter().map(|f| f.field).collect();
        assert_eq!(fields, ["efforts", "goal_0"]);
    }

    #[test]
    fn cpr_shaped_numbers_are_spotted_and_other_numbers_are_not() {
        for yes in ["010190-1234", "0101901234", "ring 010190 1234", "x010190-1234."] {
            assert!(looks_like_cpr(yes), "{yes}");
        }
        for no in ["", "tlf. 36 37 00 00", "12345", "01019012345", "1010190-1234", "2026-12-01", "010190-123"] {
            assert!(!looks_like_cpr(no), "{no}");
        }
    }

    #[test]
    fn row_fields_are_numbered_from_zero() {
        assert_eq!(GOAL_FIELDS[0], "goal_0");
        assert_eq!(EFFORT_REVIEW[19], "effort_19_review");
        assert_eq!(SUB_GOAL_FIELDS[GOALS_MAX - 1], "subgoals_9");
    }
}
