//! The operational figures (`sager.*` measures, `indsats_domain::case_figures`) computed from
//! the cases, per calendar quarter and year, with the number of citizens behind each figure
//! so the report's small-cell rule applies to them as to register figures.
//!
//! The definitions are in `docs/case-work.md` ("Operational figures"). A period has a figure
//! once it has ended (its last day is before `today`): a running quarter's count would only be
//! a part of it. Shares and rates have no figure for a period with an empty base; counts are
//! zero when nothing happened, from the quarter the first case was opened.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, Months, NaiveDate};
use indsats_domain::case::ConversationKind;
use indsats_domain::case_figures::CaseMeasure;
use indsats_domain::disclosure::is_suppressed;
use indsats_domain::indicator::Category;
use indsats_domain::person::age_on;
use indsats_domain::plan::QuarterRange;
use indsats_domain::rules::{Held, Holder};
use indsats_domain::{CitizenId, Period, Quarter};
use indsats_report::evaluate::{Observation, Series};
use indsats_store::CaseFacts;

use crate::due::{compare, course, rule_book};

/// One figure before the small-cell rule: the value and the distinct citizens behind it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figure {
    /// The value: a percentage, a count or a rate, as the measure says.
    pub value: f64,
    /// The citizens behind it (for shares and rates: those in the base).
    pub persons: u32,
}

/// The figures of `measure` in `category` for every ended quarter and year, in order.
pub fn figures(
    facts: &[CaseFacts],
    measure: CaseMeasure,
    category: Category,
    today: NaiveDate,
) -> BTreeMap<Period, Figure> {
    let periods = periods(facts, today);
    let cells = match measure {
        CaseMeasure::ConversationsOnTime(group) => {
            conversations_on_time(facts.iter().filter(|c| group.is_none_or(|g| g == c.target_group)), category, today)
        }
        CaseMeasure::OffersStarted(kind) => {
            let mut cells = events(facts, category, |c| {
                c.offers.iter().filter(|o| kind.is_none_or(|k| k == o.kind)).map(|o| (o.start, 1.0)).collect()
            });
            for p in &periods {
                cells.entry(*p).or_default();
            }
            cells
        }
        CaseMeasure::CompanyOrientedShare => events(facts, category, |c| {
            c.offers.iter().map(|o| (o.start, if o.kind.is_company_oriented() { 1.0 } else { 0.0 })).collect()
        }),
        CaseMeasure::CaseworkerChanges => caseworker_changes(facts, category, &periods),
        CaseMeasure::LongRunning(group) => long_running(facts, category, &periods, group),
        CaseMeasure::ExemptedShare | CaseMeasure::AppealsUpheld => BTreeMap::new(),
    };
    cells
        .into_iter()
        .filter(|(p, _)| periods.contains(p))
        .filter_map(|(p, cell)| {
            let persons = u32::try_from(cell.persons.len()).unwrap_or(u32::MAX);
            let value = match measure.unit() {
                indsats_domain::case_figures::CaseUnit::Count | indsats_domain::case_figures::CaseUnit::Stock => {
                    cell.count
                }
                indsats_domain::case_figures::CaseUnit::Share if cell.base > 0.0 => 100.0 * cell.count / cell.base,
                indsats_domain::case_figures::CaseUnit::PerCitizenYear if cell.base > 0.0 => {
                    cell.count / (cell.base / DAYS_PER_YEAR)
                }
                _ => return None,
            };
            Some((p, Figure { value, persons }))
        })
        .collect()
}

/// The figures as the report reads them, cells of 1-4 citizens hidden unless the reader may
/// see them.
pub fn series(
    facts: &[CaseFacts],
    measure: CaseMeasure,
    category: Category,
    today: NaiveDate,
    sees_small_cells: bool,
) -> Series {
    let mut out = Series::default();
    for (period, f) in figures(facts, measure, category, today) {
        let o = Observation { period, value: (sees_small_cells || !is_suppressed(f.persons)).then_some(f.value) };
        if matches!(period, Period::Year(_)) {
            out.years.push(o);
        } else {
            out.quarters.push(o);
        }
    }
    out
}

/// A citizen-year of open cases.
const DAYS_PER_YEAR: f64 = 365.0;

/// What a figure is built from in one period.
#[derive(Debug, Default)]
struct Cell {
    /// The count, or a share's or rate's numerator.
    count: f64,
    /// A share's base, or a rate's citizen-days.
    base: f64,
    /// The citizens behind it.
    persons: HashSet<CitizenId>,
}

/// The calendar quarter of a day.
fn quarter_of(day: NaiveDate) -> Option<Quarter> {
    Quarter::new(day.year(), (day.month() - 1) / 3 + 1).ok()
}

/// The quarter and the year a day belongs to.
fn periods_of(day: NaiveDate) -> Vec<Period> {
    quarter_of(day).map(|q| vec![Period::Quarter(q), Period::Year(day.year())]).unwrap_or_default()
}

/// The first and last day of a quarter or a year.
fn days_of(period: Period) -> Option<(NaiveDate, NaiveDate)> {
    let range = QuarterRange::of_period(period)?;
    Some((range.first_day(), range.last_day()))
}

/// Every quarter and year from the first case's opening that has ended by `today`.
fn periods(facts: &[CaseFacts], today: NaiveDate) -> Vec<Period> {
    let Some(first) = facts.iter().map(|c| c.opened_on).min().and_then(quarter_of) else { return Vec::new() };
    let mut out = Vec::new();
    let mut q = Some(first);
    while let Some(quarter) = q {
        let Some((_, last)) = days_of(Period::Quarter(quarter)) else { break };
        if last >= today {
            break;
        }
        out.push(Period::Quarter(quarter));
        if quarter.q() == 4 || quarter == first {
            // A year has a figure once it has ended; its first quarter may lie before the cases.
            if let Some((_, year_end)) = days_of(Period::Year(quarter.year()))
                && year_end < today
                && !out.contains(&Period::Year(quarter.year()))
            {
                out.push(Period::Year(quarter.year()));
            }
        }
        q = quarter.next();
    }
    out
}

fn in_category(category: Category, born: NaiveDate, day: NaiveDate) -> bool {
    match category {
        Category::Total => true,
        Category::Age(band) => band.contains(age_on(born, day)),
        _ => false,
    }
}

/// Events of each case, each a day and a numerator (1 for a count), added to their quarter
/// and year with a base of 1; the category by the citizen's age on the day.
fn events(
    facts: &[CaseFacts],
    category: Category,
    of: impl Fn(&CaseFacts) -> Vec<(NaiveDate, f64)>,
) -> BTreeMap<Period, Cell> {
    let mut cells: BTreeMap<Period, Cell> = BTreeMap::new();
    for case in facts {
        for (day, n) in of(case) {
            if !in_category(category, case.birth_date, day) {
                continue;
            }
            for p in periods_of(day) {
                let cell = cells.entry(p).or_default();
                cell.count += n;
                cell.base += 1.0;
                cell.persons.insert(case.citizen);
            }
        }
    }
    cells
}

/// Each conversation deadline the rules give the municipality for the case's current course,
/// up to `today` and while the case was open, counted in its deadline's period; met on time
/// when enough conversations were held by the deadline.
fn conversations_on_time<'a>(
    cases: impl Iterator<Item = &'a CaseFacts>,
    category: Category,
    today: NaiveDate,
) -> BTreeMap<Period, Cell> {
    let mut cells: BTreeMap<Period, Cell> = BTreeMap::new();
    for case in cases {
        let held: Vec<Held> = case
            .held
            .iter()
            .filter(|(at, _)| at.date() >= case.course_start)
            .map(|(at, kind)| Held { date: at.date(), joint: *kind == ConversationKind::JointAkasse })
            .collect();
        let first_offer = case.offers.iter().filter(|o| o.start >= case.course_start).map(|o| o.start).min();
        let course = course(case.target_group, case.course_start, case.birth_date, case.education);
        let deadlines = rule_book()
            .due(&course)
            .into_iter()
            .filter(|o| o.holder == Holder::Kommune && o.kind.is_conversation())
            .filter(|o| o.due < today && case.closed_on.is_none_or(|closed| o.due <= closed))
            .collect();
        for due in compare(deadlines, &held, first_offer, today) {
            let day = due.obligation.due;
            if !in_category(category, case.birth_date, day) {
                continue;
            }
            let on_time = due.met && !due.late;
            for p in periods_of(day) {
                let cell = cells.entry(p).or_default();
                cell.count += if on_time { 1.0 } else { 0.0 };
                cell.base += 1.0;
                cell.persons.insert(case.citizen);
            }
        }
    }
    cells
}

/// The days a case was open within `first..=last`: from the day it was opened to the day it
/// was closed, both counted.
fn open_days(case: &CaseFacts, first: NaiveDate, last: NaiveDate) -> i64 {
    let from = case.opened_on.max(first);
    let to = case.closed_on.map_or(last, |c| c.min(last));
    if to < from { 0 } else { (to - from).num_days() + 1 }
}

/// Changes of caseworker (a caseworker from a day who is not the one before) per citizen-year
/// of open cases; the category by the citizen's age on the period's last day.
fn caseworker_changes(facts: &[CaseFacts], category: Category, periods: &[Period]) -> BTreeMap<Period, Cell> {
    let mut cells: BTreeMap<Period, Cell> = BTreeMap::new();
    for period in periods {
        let Some((first, last)) = days_of(*period) else { continue };
        let cell = cells.entry(*period).or_default();
        for case in facts.iter().filter(|c| in_category(category, c.birth_date, last)) {
            let days = open_days(case, first, last);
            if days == 0 {
                continue;
            }
            #[expect(clippy::cast_precision_loss, reason = "days in a year")]
            let days = days as f64;
            cell.base += days;
            cell.persons.insert(case.citizen);
            let changes =
                case.caseworkers.windows(2).filter(|w| w[0].0 != w[1].0 && (first..=last).contains(&w[1].1)).count();
            #[expect(clippy::cast_precision_loss, reason = "a handful of changes")]
            let changes = changes as f64;
            cell.count += changes;
        }
    }
    cells
}

/// Cases open on the period's last day, opened at least a year before it, in one of the
/// group's target groups that day.
fn long_running(
    facts: &[CaseFacts],
    category: Category,
    periods: &[Period],
    group: indsats_domain::case_figures::LongRunningGroup,
) -> BTreeMap<Period, Cell> {
    let mut cells: BTreeMap<Period, Cell> = BTreeMap::new();
    for period in periods {
        let Some((_, last)) = days_of(*period) else { continue };
        let Some(year_before) = last.checked_sub_months(Months::new(12)) else { continue };
        let cell = cells.entry(*period).or_default();
        for case in facts {
            let open = case.opened_on <= year_before && case.closed_on.is_none_or(|c| c >= last);
            let then =
                case.target_groups.iter().rev().find(|(_, from)| *from <= last).map_or(case.target_group, |g| g.0);
            if open && group.contains(then) && in_category(category, case.birth_date, last) {
                cell.count += 1.0;
                cell.persons.insert(case.citizen);
            }
        }
    }
    cells
}

#[cfg(test)]
#[allow(clippy::float_cmp, reason = "counts and shares of small whole numbers are exact")]
mod tests {
    use super::*;
    use indsats_domain::case::{EducationLevel, OfferKind, TargetGroup};
    use indsats_domain::case_figures::LongRunningGroup;
    use indsats_domain::indicator::AgeBand;
    use indsats_domain::{BenefitGroup, UserId};
    use indsats_store::CaseOffer;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn q(s: &str) -> Period {
        Period::Quarter(s.parse().unwrap())
    }

    fn case(id: i64, group: TargetGroup, opened: &str) -> CaseFacts {
        CaseFacts {
            citizen: CitizenId(id),
            birth_date: d("1980-06-15"),
            education: EducationLevel::Vocational,
            benefit: BenefitGroup::Kontanthjaelp,
            target_group: group,
            course_start: d(opened),
            opened_on: d(opened),
            closed_on: None,
            target_groups: vec![(group, d(opened))],
            caseworkers: vec![(UserId(1), d(opened))],
            held: Vec::new(),
            offers: Vec::new(),
        }
    }

    fn offer(kind: OfferKind, start: &str) -> CaseOffer {
        CaseOffer { kind, start: d(start), end: d(start) + chrono::Duration::days(27), hours: 37.0 }
    }

    #[test]
    fn offers_are_counted_in_the_quarter_they_start_and_only_ended_quarters_have_figures() {
        let mut a = case(1, TargetGroup::KontanthjaelpJobparat, "2025-01-06");
        a.offers = vec![offer(OfferKind::WorkPlacement, "2025-02-03"), offer(OfferKind::AmuCourse, "2025-03-31")];
        let mut b = case(2, TargetGroup::Dagpenge, "2025-01-06");
        b.offers = vec![offer(OfferKind::WorkPlacement, "2025-05-05"), offer(OfferKind::WorkPlacement, "2025-08-01")];
        let facts = [a, b];
        let all = figures(&facts, CaseMeasure::OffersStarted(None), Category::Total, d("2025-08-15"));
        assert_eq!(all.get(&q("2025Q1")), Some(&Figure { value: 2.0, persons: 1 }));
        assert_eq!(all.get(&q("2025Q2")), Some(&Figure { value: 1.0, persons: 1 }));
        assert_eq!(all.get(&q("2025Q3")), None, "2025Q3 has not ended on 15 August");
        assert!(!all.contains_key(&Period::Year(2025)));
        let placements = figures(
            &facts,
            CaseMeasure::OffersStarted(Some(OfferKind::WorkPlacement)),
            Category::Total,
            d("2026-01-01"),
        );
        assert_eq!(placements[&q("2025Q1")].value, 1.0);
        assert_eq!(placements[&q("2025Q4")], Figure { value: 0.0, persons: 0 }, "a quarter without offers counts 0");
        assert_eq!(placements[&Period::Year(2025)], Figure { value: 3.0, persons: 2 });
        let share = figures(&facts, CaseMeasure::CompanyOrientedShare, Category::Total, d("2026-01-01"));
        assert_eq!(share[&q("2025Q1")].value, 50.0);
        assert_eq!(share[&Period::Year(2025)].value, 75.0);
        assert!(!share.contains_key(&q("2025Q4")), "no offers started: no share");
        let young = figures(&facts, CaseMeasure::OffersStarted(None), Category::Age(AgeBand::A16To24), d("2026-01-01"));
        assert_eq!(young[&Period::Year(2025)].value, 0.0, "both are 44-45");
        let series = series(&facts, CaseMeasure::OffersStarted(None), Category::Total, d("2026-01-01"), false);
        assert_eq!(series.quarters[0].value, None, "two offers of one citizen are a cell of one person");
    }

    #[test]
    fn caseworker_changes_are_per_citizen_year_of_open_cases() {
        let mut a = case(1, TargetGroup::Dagpenge, "2025-01-01");
        a.caseworkers = vec![(UserId(1), d("2025-01-01")), (UserId(2), d("2025-02-10")), (UserId(2), d("2025-03-01"))];
        let mut b = case(2, TargetGroup::Dagpenge, "2025-01-01");
        b.closed_on = Some(d("2025-02-14"));
        let f = figures(&[a, b], CaseMeasure::CaseworkerChanges, Category::Total, d("2025-07-01"));
        // 90 + 45 open days in 2025Q1, one change (the same caseworker again is none).
        let expected = 1.0 / (135.0 / 365.0);
        assert!((f[&q("2025Q1")].value - expected).abs() < 1e-9);
        assert_eq!(f[&q("2025Q1")].persons, 2);
        assert_eq!(f[&q("2025Q2")].value, 0.0);
    }

    #[test]
    fn long_running_cases_are_open_a_year_in_the_group_at_the_periods_end() {
        let old = case(1, TargetGroup::KontanthjaelpAktivitetsparat, "2024-03-31");
        let young = case(2, TargetGroup::KontanthjaelpJobparat, "2024-04-01");
        let mut moved = case(3, TargetGroup::Ressourceforloeb, "2023-01-01");
        moved.target_groups = vec![
            (TargetGroup::KontanthjaelpJobparat, d("2023-01-01")),
            (TargetGroup::Ressourceforloeb, d("2025-02-01")),
        ];
        let facts = [old, young, moved];
        let k = figures(
            &facts,
            CaseMeasure::LongRunning(LongRunningGroup::Kontanthjaelp),
            Category::Total,
            d("2025-07-01"),
        );
        assert_eq!(k[&q("2025Q1")].value, 1.0, "only the case opened by 31 March 2024; case 3 had moved on");
        assert_eq!(k[&q("2024Q4")].value, 1.0, "case 3 on 31 December 2024");
        let r = figures(
            &facts,
            CaseMeasure::LongRunning(LongRunningGroup::Ressourceforloeb),
            Category::Total,
            d("2025-07-01"),
        );
        assert_eq!(r[&q("2025Q1")].value, 1.0);
        assert_eq!(r[&q("2024Q4")].value, 0.0);
    }

    #[test]
    fn conversation_deadlines_are_judged_on_time_or_not_in_their_quarter() {
        let mut on_time = case(1, TargetGroup::KontanthjaelpJobparat, "2025-01-06");
        let mut late = case(2, TargetGroup::KontanthjaelpJobparat, "2025-01-06");
        let today = d("2026-01-01");
        let c = course(on_time.target_group, on_time.course_start, on_time.birth_date, on_time.education);
        let deadlines: Vec<(NaiveDate, u32)> = rule_book()
            .due(&c)
            .into_iter()
            .filter(|o| o.holder == Holder::Kommune && o.kind.is_conversation() && o.due < today)
            .map(|o| (o.due, o.count))
            .collect();
        assert!(!deadlines.is_empty(), "the rules give jobparat kontanthjælp conversations");
        // On each deadline day, as many conversations as bring the count up to what is due.
        let nine = chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        for (day, count) in &deadlines {
            while on_time.held.len() < usize::try_from(*count).unwrap() {
                on_time.held.push((day.and_time(nine), ConversationKind::Job));
            }
        }
        // The other citizen never came: no deadline met.
        late.held.clear();
        let f = figures(&[on_time, late], CaseMeasure::ConversationsOnTime(None), Category::Total, today);
        let first = quarter_of(deadlines[0].0).map(Period::Quarter).unwrap();
        assert_eq!(f[&first].value, 50.0, "one of the two citizens met each deadline");
        assert_eq!(f[&first].persons, 2);
        let other = figures(&[], CaseMeasure::ConversationsOnTime(Some(TargetGroup::Dagpenge)), Category::Total, today);
        assert!(other.is_empty());
    }
}
