//! The reference computation: every person, every week, every rule applied literally.
//!
//! It is slow (persons x weeks x spells) and meant for tests and for checking the engine
//! on samples; it shares with the engine only the domain rules (ISO weeks, ages, which
//! category a person is in) and the two ratio formulas.

use std::collections::{BTreeMap, BTreeSet};

use indsats_domain::benefit::{ActivationKind, BenefitGroup};
use indsats_domain::person::age_on;
use indsats_domain::{IsoWeek, Period};

use crate::RegisterError;
use crate::dataset::Dataset;
use crate::indicator::{Category, Indicator, Subject};
use crate::panel::{self, PanelRow, PeriodRange, WHOLE_COUNTRY};

/// Person-weeks and the distinct persons behind them.
#[derive(Default)]
struct Tally {
    weeks: u64,
    persons: BTreeSet<usize>,
}

impl Tally {
    fn add(&mut self, weeks: u64, person: usize) {
        if weeks > 0 {
            self.weeks += weeks;
            self.persons.insert(person);
        }
    }

    fn persons(&self) -> u32 {
        u32::try_from(self.persons.len()).unwrap_or(u32::MAX)
    }
}

/// Everything counted for one municipality, period and category.
#[derive(Default)]
struct Cell {
    population: Tally,
    /// Indexed like [`Subject::ALL`].
    subjects: [Tally; 16],
    unemployed: Tally,
    company: Tally,
    upskilling: Tally,
}

/// Computes the panel for the requested ranges (at most one per period kind), week by week.
pub fn compute(data: &Dataset, ranges: &[PeriodRange]) -> Result<Vec<PanelRow>, RegisterError> {
    let ranges = panel::sorted_ranges(ranges)?;
    let mut cells: BTreeMap<(u16, Period, Category), Cell> = BTreeMap::new();
    for range in &ranges {
        for period in range.periods() {
            for index in period.week_indices() {
                let Some(week) = IsoWeek::from_index(index) else { continue };
                count_week(data, period, week, &mut cells);
            }
        }
    }
    let mut rows = Vec::new();
    for (&(municipality, period, category), cell) in &cells {
        let weeks_in_period = u64::from(period.weeks());
        let population = cell.population.weeks;
        let mut push = |indicator, value, persons| {
            rows.push(PanelRow { municipality, period, indicator, category, value, persons });
        };
        push(Indicator::Befolkning, panel::full_time(population, weeks_in_period), cell.population.persons());
        for subject in Subject::ALL {
            let tally = &cell.subjects[subject.index()];
            push(Indicator::Fuldtid(subject), panel::full_time(tally.weeks, weeks_in_period), tally.persons());
            push(Indicator::Andel(subject), panel::share(tally.weeks, population), tally.persons());
        }
        if cell.unemployed.weeks > 0 {
            let share = |t: &Tally| panel::share(t.weeks, cell.unemployed.weeks);
            push(Indicator::Virksomhedsrettet, share(&cell.company), cell.company.persons());
            push(Indicator::Opkvalificering, share(&cell.upskilling), cell.upskilling.persons());
        }
    }
    rows.sort_by_key(PanelRow::sort_key);
    Ok(rows)
}

fn count_week(data: &Dataset, period: Period, week: IsoWeek, cells: &mut BTreeMap<(u16, Period, Category), Cell>) {
    let thursday = week.thursday();
    for (i, person) in data.persons().iter().enumerate() {
        let residence =
            data.residences_of(i).iter().find(|r| r.from <= thursday && r.to.is_none_or(|to| thursday <= to));
        let Some(residence) = residence else { continue };
        let age = age_on(person.birth_date, thursday);
        let categories: Vec<Category> =
            Category::ALL.into_iter().filter(|c| c.includes(age, person.sex, person.origin)).collect();
        if categories.is_empty() {
            continue;
        }

        let on = |group: BenefitGroup, w: IsoWeek| {
            data.benefits_of(i).iter().any(|b| b.group == group && b.from <= w && w <= b.to)
        };
        let on_public_support = |w: IsoWeek| BenefitGroup::ALL.into_iter().any(|g| g.is_public_support() && on(g, w));
        let in_activation = |pred: fn(ActivationKind) -> bool| {
            data.activations_of(i).iter().any(|a| pred(a.kind) && a.from <= week && week <= a.to)
        };

        let groups: Vec<BenefitGroup> = BenefitGroup::ALL.into_iter().filter(|g| on(*g, week)).collect();
        let public_support = groups.iter().filter(|g| g.is_public_support()).count() as u64;
        let weeks_on_support_last_year = (0..52)
            .filter_map(|back| IsoWeek::from_index(week.index() - back))
            .filter(|w| on_public_support(*w))
            .count();
        let long_term = public_support > 0 && weeks_on_support_last_year >= 42;
        let unemployed = groups.iter().any(|g| g.is_activation_base());
        let company = unemployed && in_activation(ActivationKind::is_company_oriented);
        let upskilling = unemployed && in_activation(|k| k == ActivationKind::Opkvalificering);

        for municipality in [residence.municipality, WHOLE_COUNTRY] {
            for &category in &categories {
                let cell = cells.entry((municipality, period, category)).or_default();
                cell.population.add(1, i);
                for &g in &groups {
                    cell.subjects[Subject::Benefit(g).index()].add(1, i);
                }
                cell.subjects[Subject::OffentligForsoergelse.index()].add(public_support, i);
                cell.subjects[Subject::Langvarige.index()].add(u64::from(long_term), i);
                cell.unemployed.add(u64::from(unemployed), i);
                cell.company.add(u64::from(company), i);
                cell.upskilling.add(u64::from(upskilling), i);
            }
        }
    }
}
