//! Persons and where they live: the residents at the start, births and immigrants during the
//! years, deaths, emigration and moves between the generated municipalities.

use chrono::{Datelike, NaiveDate, TimeDelta};
use indsats_domain::person::birthday;
use indsats_domain::week::{first_week_thursday_on_or_after, index_containing, last_week_thursday_on_or_before};
use indsats_domain::{Origin, Sex};

use super::design::insured_share;
use super::dist::{DEMOGRAPHY, Rng, WEEKS_PER_YEAR, exponential, person_rng, pick, to_i32, to_u32, uniform};
use super::model::retirement_ages;
use super::{MuniPlan, Plan};

/// Days in an average year.
const YEAR_DAYS: f64 = 365.2425;

/// A generated person; the rest of their description is derived from this when needed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PersonRec {
    /// Serial number within the home municipality (the one that generated the person).
    pub serial: u32,
    pub birth: NaiveDate,
    pub sex: Sex,
    pub origin: Origin,
    pub insured: bool,
    /// Index into the model's frailty classes.
    pub frailty: u8,
    /// Arrived from abroad during the generated years.
    pub arrived: bool,
    /// First week in Denmark (Thursday rule).
    pub dk_week: i32,
    /// First week no longer in Denmark (died or emigrated); `i32::MAX` if still here.
    pub presence_end: i32,
    /// The person's residence spells: `residences[res_start..res_start + res_len]` of the chunk.
    pub res_start: u32,
    pub res_len: u32,
}

/// A residence spell, in the output's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ResRec {
    pub municipality: u16,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

impl ResRec {
    /// The weeks in which the spell counts (Thursday rule): `start..end`.
    pub fn weeks(&self) -> (i32, i32) {
        let start = first_week_thursday_on_or_after(self.from);
        let end = self.to.map_or(i32::MAX, |to| last_week_thursday_on_or_before(to).saturating_add(1));
        (start, end)
    }
}

/// Week marks of a person's life that the careers and the tallies need.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Life {
    pub birth: NaiveDate,
    pub birth_week: i32,
    pub t16: i32,
    pub t18: i32,
    pub t30: i32,
    pub t67: i32,
    /// First week on folkepension.
    pub pension: i32,
    /// Efterløn age in years.
    pub efterloen_age: f64,
}

impl Life {
    pub fn of(birth: NaiveDate, support_from_age: u32) -> Self {
        let at = |age: u32| birthday(birth, age).map_or(i32::MAX, first_week_thursday_on_or_after);
        let (efterloen_age, pension_age) = retirement_ages(birth);
        let mut life = Self {
            birth,
            birth_week: index_containing(birth),
            t16: at(16),
            t18: at(support_from_age),
            t30: at(30),
            t67: at(67),
            pension: 0,
            efterloen_age,
        };
        life.pension = life.week_of_age(pension_age);
        life
    }

    /// The first week whose Thursday falls on or after the day the person reaches `age` years
    /// (fractions of a year after the birthday): from then on the engine counts that age.
    pub fn week_of_age(&self, age: f64) -> i32 {
        let whole = age.floor().max(0.0);
        let day = birthday(self.birth, to_u32(whole)).map(|d| add_years(d, age - whole));
        day.map_or(i32::MAX, first_week_thursday_on_or_after)
    }

    /// Age in years at the start of a week.
    pub fn age(&self, week: i32) -> f64 {
        f64::from(week - self.birth_week) / WEEKS_PER_YEAR
    }

    /// The week at which the person reaches an age in years.
    pub fn week_at(&self, age: f64) -> i32 {
        self.birth_week + to_i32(age * WEEKS_PER_YEAR)
    }

    /// The first week of efterløn of a person who takes it: half at the efterløn age, the rest
    /// spread over the following two years (`u` uniform in [0, 1)).
    pub fn efterloen_start(&self, u: f64) -> i32 {
        let delay = if u < 0.5 { 0.0 } else { (u - 0.5) * 4.0 };
        self.week_of_age(self.efterloen_age + delay)
    }
}

fn add_years(date: NaiveDate, years: f64) -> NaiveDate {
    date.checked_add_signed(TimeDelta::days(i64::from(to_i32(years * YEAR_DAYS)))).unwrap_or(date)
}

fn add_days(date: NaiveDate, days: i64) -> NaiveDate {
    date.checked_add_signed(TimeDelta::days(days)).unwrap_or(date)
}

fn years_between(from: NaiveDate, to: NaiveDate) -> f64 {
    f64::from(i32::try_from((to - from).num_days()).unwrap_or(i32::MAX)) / YEAR_DAYS
}

/// A random day of a year.
fn day_in(rng: &mut Rng, year: i32) -> NaiveDate {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    add_days(first, i64::from(to_i32(uniform(rng) * 365.0)))
}

/// An age in years from 5-year band weights.
fn age_from(rng: &mut Rng, bands: &[f64; 20]) -> f64 {
    let band = pick(rng, bands);
    5.0 * f64::from(u32::try_from(band).unwrap_or(0)) + 5.0 * uniform(rng)
}

/// How a serial number came to be: resident at the start, born or immigrated in a year.
enum Kind {
    Stock,
    Birth(i32),
    Arrival(i32),
}

fn kind(plan: &Plan, muni: &MuniPlan, serial: u32) -> Kind {
    if serial < muni.stock {
        return Kind::Stock;
    }
    let per_year = (muni.births + muni.arrivals).max(1);
    let r = serial - muni.stock;
    let year = plan.from_year + i32::try_from(r / per_year).unwrap_or(0);
    if r % per_year < muni.births { Kind::Birth(year) } else { Kind::Arrival(year) }
}

/// Origin, birth date, arrival in Denmark and moving into the municipality.
fn origin_and_dates(
    plan: &Plan,
    muni: &MuniPlan,
    serial: u32,
    rng: &mut Rng,
) -> (Origin, NaiveDate, NaiveDate, NaiveDate) {
    let pop = &plan.data.population;
    let reference = plan.reference;
    let share = |o: Origin| muni.profile.origin[o as usize];
    match kind(plan, muni, serial) {
        Kind::Stock => {
            let origin = Origin::ALL[pick(rng, &muni.profile.origin)];
            let age = age_from(rng, pop.age_pyramid.get(origin));
            let birth = add_years(reference, -age);
            let in_denmark = if matches!(origin, Origin::VestligIndvandrer | Origin::IkkeVestligIndvandrer) {
                let mut arrival_age = age * uniform(rng);
                for _ in 0..8 {
                    let a = age_from(rng, &pop.arrival_age);
                    if a < age {
                        arrival_age = a;
                        break;
                    }
                }
                add_years(birth, arrival_age)
            } else {
                birth
            };
            let moved_in = add_years(reference, -exponential(rng, pop.years_in_municipality)).max(in_denmark);
            (origin, birth, in_denmark, moved_in)
        }
        Kind::Birth(year) => {
            // Children of immigrants are descendants; such births are a little more frequent.
            let non_western =
                (1.4 * (share(Origin::IkkeVestligIndvandrer) + share(Origin::IkkeVestligEfterkommer)) / 100.0).min(0.6);
            let western = 0.8 * (share(Origin::VestligIndvandrer) + share(Origin::VestligEfterkommer)) / 100.0;
            let u = uniform(rng);
            let origin = if u < non_western {
                Origin::IkkeVestligEfterkommer
            } else if u < non_western + western {
                Origin::VestligEfterkommer
            } else {
                Origin::Dansk
            };
            let birth = day_in(rng, year);
            (origin, birth, birth, birth)
        }
        Kind::Arrival(year) => {
            let a = pop.arrival_origin;
            let origin = [Origin::Dansk, Origin::VestligIndvandrer, Origin::IkkeVestligIndvandrer]
                [pick(rng, &[a.dansk, a.vestlig_indvandrer, a.ikke_vestlig_indvandrer])];
            let date = day_in(rng, year);
            let age = age_from(rng, &pop.arrival_age);
            (origin, add_years(date, -age), date, date)
        }
    }
}

/// Moves between the generated municipalities from `from` until `stop`, on Mondays.
fn moves(plan: &Plan, birth: NaiveDate, from: NaiveDate, stop: NaiveDate, rng: &mut Rng, residences: &mut Vec<ResRec>) {
    let pop = &plan.data.population;
    let mut t = from;
    while let Some(here) = residences.last().and_then(|r| plan.slot(r.municipality)).map(|s| &plan.munis[s]) {
        let age = years_between(birth, t);
        let per_year = here.move_factor * pop.moves.iter().rev().find(|m| age >= m[0]).map_or(0.0, |m| m[1] / 100.0);
        if per_year <= 0.0 {
            break;
        }
        t = add_years(t, exponential(rng, 1.0 / per_year));
        if t >= stop {
            break;
        }
        let monday = add_days(t, i64::from((7 - t.weekday().num_days_from_monday()) % 7));
        let destination = here.destination(uniform(rng));
        let Some(current) = residences.last_mut() else { break };
        if monday >= stop || monday <= add_days(current.from, 7) || destination == current.municipality {
            continue;
        }
        current.to = Some(add_days(monday, -1));
        residences.push(ResRec { municipality: destination, from: monday, to: None });
    }
}

/// Generates person `serial` of a municipality, appending their residence spells.
pub(crate) fn person(plan: &Plan, muni: &MuniPlan, serial: u32, residences: &mut Vec<ResRec>) -> PersonRec {
    let pop = &plan.data.population;
    let mut rng = person_rng(plan.seed, muni.code, serial, DEMOGRAPHY);
    let (origin, birth, in_denmark, moved_in) = origin_and_dates(plan, muni, serial, &mut rng);
    let sex = if uniform(&mut rng) < 0.5 { Sex::M } else { Sex::K };
    let insured = uniform(&mut rng) < insured_share(&plan.kit, origin);
    let frailty_weights: Vec<f64> = plan.kit.frailty.iter().map(|f| f.1).collect();
    let frailty = u8::try_from(pick(&mut rng, &frailty_weights)).unwrap_or(0);

    // Death (Gompertz) and emigration from the later of the start and arrival or birth.
    let from = plan.reference.max(moved_in);
    let age = years_between(birth, from).max(0.0);
    let g = pop.mortality;
    let e = exponential(&mut rng, 1.0);
    let to_death = (1.0 + g.c * e / (g.a * (g.c * age).exp())).ln() / g.c;
    let rate = pop.emigration.get(origin) / 100.0;
    let to_emigration = if rate > 0.0 { exponential(&mut rng, 1.0 / rate) } else { f64::INFINITY };
    let leave = add_years(from, to_death.min(to_emigration).min(500.0));
    let leave = (leave <= plan.end_date).then_some(leave);

    let res_start = u32::try_from(residences.len()).unwrap_or(u32::MAX);
    residences.push(ResRec { municipality: muni.code, from: moved_in, to: None });
    moves(plan, birth, from, leave.unwrap_or(plan.end_date), &mut rng, residences);
    if let Some(last) = residences.last_mut() {
        last.to = leave;
    }
    let res_len = u32::try_from(residences.len()).unwrap_or(u32::MAX) - res_start;
    PersonRec {
        serial,
        birth,
        sex,
        origin,
        insured,
        frailty,
        arrived: matches!(kind(plan, muni, serial), Kind::Arrival(_)),
        dk_week: first_week_thursday_on_or_after(in_denmark),
        presence_end: leave.map_or(i32::MAX, |d| last_week_thursday_on_or_before(d).saturating_add(1)),
        res_start,
        res_len,
    }
}
