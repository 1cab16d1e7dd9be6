//! Hand-computed cases, and the engine against the reference on random datasets.

use chrono::{NaiveDate, TimeDelta};
use indsats_domain::{ActivationKind, BenefitGroup, IsoWeek, Origin, Period, Sex};
use proptest::prelude::*;
use proptest::sample::select;

use super::*;
use crate::dataset::{ActivationSpell, BenefitSpell, Person, Residence};
use crate::panel::write_csv;
use crate::reference;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn week(yyyyww: u32) -> IsoWeek {
    IsoWeek::from_yyyyww(yyyyww).unwrap()
}

fn period(s: &str) -> Period {
    s.parse().unwrap()
}

fn person(id: i64, birth_date: NaiveDate) -> Person {
    Person { id, birth_date, sex: Sex::K, origin: Origin::Dansk }
}

fn lives(person_id: i64, municipality: u16, from: NaiveDate, to: Option<NaiveDate>) -> Residence {
    Residence { person_id, municipality, from, to }
}

fn on(person_id: i64, group: BenefitGroup, from: u32, to: u32) -> BenefitSpell {
    BenefitSpell { person_id, group, from: week(from), to: week(to) }
}

fn activation(person_id: i64, kind: ActivationKind, from: u32, to: u32) -> ActivationSpell {
    ActivationSpell { person_id, kind, from: week(from), to: week(to) }
}

fn range(from: &str, to: &str) -> PeriodRange {
    PeriodRange::new(period(from), period(to)).unwrap()
}

/// Runs the engine, checks it against the reference, and returns its rows.
fn run(data: &Dataset, ranges: &[PeriodRange]) -> Vec<PanelRow> {
    let rows = compute(data, ranges, &Options::default()).unwrap();
    assert_same(&rows, &reference::compute(data, ranges).unwrap()).unwrap();
    rows
}

fn get(rows: &[PanelRow], municipality: u16, period: &str, indicator: &str, category: &str) -> Option<(f64, u32)> {
    let period: Period = period.parse().unwrap();
    rows.iter()
        .find(|r| {
            r.municipality == municipality
                && r.period == period
                && r.indicator.as_str() == indicator
                && r.category.as_str() == category
        })
        .map(|r| (r.value, r.persons))
}

fn assert_close(actual: Option<(f64, u32)>, value: f64, persons: u32) {
    let (v, p) = actual.unwrap_or_else(|| panic!("row missing; expected {value} with {persons} persons"));
    assert!((v - value).abs() < 1e-9, "value {v}, expected {value}");
    assert_eq!(p, persons, "persons for value {v}");
}

/// The engine's rows must equal the reference's: same rows in the same order, values
/// within 1e-9, persons exactly.
fn assert_same(engine: &[PanelRow], reference: &[PanelRow]) -> Result<(), String> {
    for (i, (e, r)) in engine.iter().zip(reference).enumerate() {
        let same_key = e.sort_key() == r.sort_key();
        if !same_key || (e.value - r.value).abs() > 1e-9 || e.persons != r.persons {
            return Err(format!("row {i}: engine {e:?}\n reference {r:?}"));
        }
    }
    if engine.len() != reference.len() {
        return Err(format!("engine has {} rows, reference {}", engine.len(), reference.len()));
    }
    Ok(())
}

#[test]
fn one_person_one_benefit_one_quarter() {
    let data = Dataset::new(
        vec![person(1, date(1980, 5, 5))],
        vec![lives(1, 175, date(2000, 1, 1), None)],
        vec![on(1, BenefitGroup::Kontanthjaelp, 202_302, 202_305)],
        vec![],
    )
    .unwrap();
    let rows = run(&data, &[range("2023Q1", "2023Q1")]);
    // 2023Q1 has 13 weeks; the person is 42 all quarter and on kontanthjælp for 4 of them.
    for municipality in [175, WHOLE_COUNTRY] {
        assert_close(get(&rows, municipality, "2023Q1", "befolkning", "i_alt"), 1.0, 1);
        assert_close(get(&rows, municipality, "2023Q1", "fuldtid.kontanthjaelp", "i_alt"), 4.0 / 13.0, 1);
        assert_close(get(&rows, municipality, "2023Q1", "andel.kontanthjaelp", "40-49"), 400.0 / 13.0, 1);
        assert_close(get(&rows, municipality, "2023Q1", "fuldtid.offentlig_forsoergelse", "K"), 4.0 / 13.0, 1);
        // None on a-dagpenge: a zero row, not a missing one.
        assert_close(get(&rows, municipality, "2023Q1", "fuldtid.a_dagpenge", "dansk"), 0.0, 0);
        assert_close(get(&rows, municipality, "2023Q1", "andel.virksomhedsrettet", "i_alt"), 0.0, 0);
        // Nobody aged 30-39 or male: no data, so no row.
        assert_eq!(get(&rows, municipality, "2023Q1", "befolkning", "30-39"), None);
        assert_eq!(get(&rows, municipality, "2023Q1", "fuldtid.kontanthjaelp", "M"), None);
    }
    // Four categories (i_alt, 40-49, K, dansk) x 35 indicators, for 175 and the country.
    assert_eq!(rows.len(), 2 * 4 * 35);
    assert_eq!(rows[0].municipality, WHOLE_COUNTRY);
}

#[test]
fn two_benefits_in_the_same_week_count_twice_in_public_support() {
    let data = Dataset::new(
        vec![person(1, date(1980, 5, 5))],
        vec![lives(1, 175, date(2000, 1, 1), None)],
        vec![
            on(1, BenefitGroup::Sygedagpenge, 202_310, 202_313),
            on(1, BenefitGroup::Kontanthjaelp, 202_313, 202_313),
            // Parental leave is not public support.
            on(1, BenefitGroup::Barselsdagpenge, 202_301, 202_302),
        ],
        vec![],
    )
    .unwrap();
    let rows = run(&data, &[range("2023Q1", "2023Q1")]);
    assert_close(get(&rows, 175, "2023Q1", "fuldtid.offentlig_forsoergelse", "i_alt"), 5.0 / 13.0, 1);
    assert_close(get(&rows, 175, "2023Q1", "andel.offentlig_forsoergelse", "i_alt"), 500.0 / 13.0, 1);
    assert_close(get(&rows, 175, "2023Q1", "fuldtid.barselsdagpenge", "i_alt"), 2.0 / 13.0, 1);
}

#[test]
fn long_term_needs_42_of_the_last_52_weeks() {
    let data = Dataset::new(
        vec![person(1, date(1980, 5, 5)), person(2, date(1980, 5, 5))],
        // Person 1 moves in during the window: earlier weeks on support still count.
        vec![lives(1, 101, date(2022, 11, 1), None), lives(2, 175, date(2000, 1, 1), None)],
        vec![
            // 20 + 22 = 42 weeks in 2022W01-2022W52, 41 in 2021W52-2022W51.
            on(1, BenefitGroup::Kontanthjaelp, 202_201, 202_220),
            on(1, BenefitGroup::Sygedagpenge, 202_231, 202_252),
            // 19 + 22 = 41 weeks.
            on(2, BenefitGroup::Kontanthjaelp, 202_202, 202_220),
            on(2, BenefitGroup::Kontanthjaelp, 202_231, 202_252),
        ],
        vec![],
    )
    .unwrap();
    let rows = run(&data, &[range("2022W40", "2022W52")]);
    assert_eq!(get(&rows, 101, "2022W43", "befolkning", "i_alt"), None);
    assert_close(get(&rows, 101, "2022W44", "fuldtid.offentlig_forsoergelse", "i_alt"), 1.0, 1);
    assert_close(get(&rows, 101, "2022W51", "fuldtid.langvarige", "i_alt"), 0.0, 0);
    assert_close(get(&rows, 101, "2022W52", "fuldtid.langvarige", "i_alt"), 1.0, 1);
    assert_close(get(&rows, 101, "2022W52", "andel.langvarige", "i_alt"), 100.0, 1);
    assert_close(get(&rows, 175, "2022W52", "fuldtid.langvarige", "i_alt"), 0.0, 0);
    assert_close(get(&rows, WHOLE_COUNTRY, "2022W52", "andel.langvarige", "i_alt"), 50.0, 1);
}

#[test]
fn long_term_starts_in_the_42nd_week_of_a_spell() {
    let data = Dataset::new(
        vec![person(1, date(1980, 5, 5))],
        vec![lives(1, 101, date(2000, 1, 1), None)],
        vec![on(1, BenefitGroup::ADagpenge, 202_201, 202_242)],
        vec![],
    )
    .unwrap();
    let rows = run(&data, &[range("2022W40", "2022W43")]);
    assert_close(get(&rows, 101, "2022W41", "fuldtid.langvarige", "i_alt"), 0.0, 0);
    assert_close(get(&rows, 101, "2022W42", "fuldtid.langvarige", "i_alt"), 1.0, 1);
    assert_close(get(&rows, 101, "2022W43", "fuldtid.langvarige", "i_alt"), 0.0, 0);
}

#[test]
fn long_term_looks_back_51_weeks_before_the_first_requested_week() {
    // The window of 2022W40 is 2021W41-2022W40: 1 + 41 = 42 weeks on support.
    let data = Dataset::new(
        vec![person(1, date(1980, 5, 5))],
        vec![lives(1, 101, date(2000, 1, 1), None)],
        vec![
            on(1, BenefitGroup::Kontanthjaelp, 202_141, 202_141),
            on(1, BenefitGroup::Kontanthjaelp, 202_152, 202_240),
        ],
        vec![],
    )
    .unwrap();
    let rows = run(&data, &[range("2022W40", "2022W41")]);
    assert_close(get(&rows, 101, "2022W40", "fuldtid.langvarige", "i_alt"), 1.0, 1);
    // Off support in 2022W41: not long-term, however full the window.
    assert_close(get(&rows, 101, "2022W41", "fuldtid.langvarige", "i_alt"), 0.0, 0);
}

#[test]
fn activation_share_counts_a_person_week_on_two_unemployment_benefits_once() {
    let data = Dataset::new(
        vec![person(1, date(1980, 5, 5)), person(2, date(1980, 5, 5))],
        vec![lives(1, 101, date(2000, 1, 1), None), lives(2, 101, date(2000, 1, 1), None)],
        vec![
            on(1, BenefitGroup::ADagpenge, 202_301, 202_310),
            on(1, BenefitGroup::Kontanthjaelp, 202_301, 202_310),
            on(2, BenefitGroup::ADagpenge, 202_301, 202_310),
            // Sickness benefit is not in the base: activation during it does not count.
            on(2, BenefitGroup::Sygedagpenge, 202_311, 202_313),
        ],
        vec![
            activation(1, ActivationKind::Virksomhedspraktik, 202_306, 202_315),
            activation(2, ActivationKind::Loentilskud, 202_311, 202_313),
        ],
    )
    .unwrap();
    let rows = run(&data, &[range("2023Q1", "2023Q1")]);
    // 20 unemployed person-weeks, 5 of them in a work placement.
    assert_close(get(&rows, 101, "2023Q1", "andel.virksomhedsrettet", "i_alt"), 25.0, 1);
    assert_close(get(&rows, 101, "2023Q1", "andel.opkvalificering", "i_alt"), 0.0, 0);
    assert_close(get(&rows, 101, "2023Q1", "fuldtid.offentlig_forsoergelse", "i_alt"), 33.0 / 13.0, 2);
}

#[test]
fn age_band_changes_at_the_birthday_by_the_thursday_rule() {
    // 2023W07's Thursday is 2023-02-16: a person born 1998-02-16 is 25 that week, one born 1998-02-17 is 24.
    let data = Dataset::new(
        vec![person(1, date(1998, 2, 16)), person(2, date(1998, 2, 17))],
        vec![lives(1, 101, date(2000, 1, 1), None), lives(2, 175, date(2000, 1, 1), None)],
        vec![],
        vec![],
    )
    .unwrap();
    let rows = run(&data, &[range("2023Q1", "2023Q1"), range("2023W06", "2023W07")]);
    assert_close(get(&rows, 101, "2023Q1", "befolkning", "16-24"), 6.0 / 13.0, 1);
    assert_close(get(&rows, 101, "2023Q1", "befolkning", "25-29"), 7.0 / 13.0, 1);
    assert_close(get(&rows, 101, "2023Q1", "befolkning", "20-29"), 1.0, 1);
    assert_close(get(&rows, 175, "2023Q1", "befolkning", "16-24"), 7.0 / 13.0, 1);
    assert_close(get(&rows, 175, "2023Q1", "befolkning", "25-29"), 6.0 / 13.0, 1);
    assert_close(get(&rows, WHOLE_COUNTRY, "2023Q1", "befolkning", "25-29"), 13.0 / 13.0, 2);
    assert_eq!(get(&rows, 101, "2023W07", "befolkning", "16-24"), None);
    assert_close(get(&rows, 175, "2023W07", "befolkning", "16-24"), 1.0, 1);
}

#[test]
fn a_move_counts_where_the_person_lives_on_thursday() {
    let data = Dataset::new(
        vec![person(1, date(1980, 5, 5)), person(2, date(1980, 5, 5))],
        vec![
            // Person 1 moves on Thursday 2023-02-16, so 2023W07 belongs to 175.
            lives(1, 101, date(2010, 1, 1), Some(date(2023, 2, 15))),
            lives(1, 175, date(2023, 2, 16), None),
            // Person 2 moves the day after, so 2023W07 still belongs to 101.
            lives(2, 101, date(2010, 1, 1), Some(date(2023, 2, 16))),
            lives(2, 175, date(2023, 2, 17), None),
        ],
        vec![on(1, BenefitGroup::Kontanthjaelp, 202_301, 202_313)],
        vec![],
    )
    .unwrap();
    let rows = run(&data, &[range("2023Q1", "2023Q1")]);
    assert_close(get(&rows, 101, "2023Q1", "befolkning", "i_alt"), 13.0 / 13.0, 2);
    assert_close(get(&rows, 175, "2023Q1", "befolkning", "i_alt"), 13.0 / 13.0, 2);
    assert_close(get(&rows, WHOLE_COUNTRY, "2023Q1", "befolkning", "i_alt"), 2.0, 2);
    assert_close(get(&rows, 101, "2023Q1", "fuldtid.kontanthjaelp", "i_alt"), 6.0 / 13.0, 1);
    assert_close(get(&rows, 175, "2023Q1", "fuldtid.kontanthjaelp", "i_alt"), 7.0 / 13.0, 1);
    assert_close(get(&rows, 101, "2023Q1", "andel.kontanthjaelp", "i_alt"), 600.0 / 13.0, 1);
    assert_close(get(&rows, WHOLE_COUNTRY, "2023Q1", "fuldtid.kontanthjaelp", "i_alt"), 1.0, 1);
}

#[test]
fn spells_of_one_benefit_that_overlap_count_each_week_once() {
    let data = Dataset::new(
        vec![person(1, date(1980, 5, 5))],
        vec![lives(1, 101, date(2000, 1, 1), None)],
        vec![on(1, BenefitGroup::Fleksjob, 202_301, 202_306), on(1, BenefitGroup::Fleksjob, 202_304, 202_308)],
        vec![],
    )
    .unwrap();
    let rows = run(&data, &[range("2023Q1", "2023Q1")]);
    assert_close(get(&rows, 101, "2023Q1", "fuldtid.fleksjob", "i_alt"), 8.0 / 13.0, 1);
}

#[test]
fn empty_dataset_and_bad_requests() {
    let data = Dataset::default();
    assert!(run(&data, &[range("2023", "2023")]).is_empty());
    let y = range("2023", "2023");
    assert!(compute(&data, &[y, y], &Options::default()).is_err());
}

#[test]
fn csv_of_engine_rows_is_deterministic() {
    let data = Dataset::new(
        vec![person(1, date(1980, 5, 5)), person(2, date(1990, 5, 5))],
        vec![lives(1, 175, date(2000, 1, 1), None), lives(2, 101, date(2000, 1, 1), None)],
        vec![on(1, BenefitGroup::Kontanthjaelp, 202_302, 202_305)],
        vec![],
    )
    .unwrap();
    let ranges = [range("2023", "2023"), range("2023Q1", "2023Q2")];
    let csv = |options: &Options| {
        let mut out = Vec::new();
        write_csv(&compute(&data, &ranges, options).unwrap(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    let one = csv(&Options { threads: 1, chunk: 1 });
    assert_eq!(one, csv(&Options { threads: 2, chunk: 1 }));
    let lines: Vec<&str> = one.lines().collect();
    assert_eq!(lines[1], "000,2023Q1,befolkning,i_alt,i_alt,2.000000,2");
    assert!(lines.contains(&"175,2023Q1,fuldtid.kontanthjaelp,i_alt,i_alt,0.3076923076923077,1"));
    assert!(lines.contains(&"101,2023,befolkning,koen,K,1.000000,1"));
}

/// Weeks in which the brute-force count of the 52-week window says "long-term".
fn long_term_brute(support: &[(i32, i32)]) -> Vec<i32> {
    let on = |w: i32| support.iter().any(|&(a, b)| a <= w && w < b);
    let last = support.last().map_or(0, |s| s.1);
    (0..last).filter(|&w| on(w) && (w - 51..=w).filter(|&x| on(x)).count() >= 42).collect()
}

fn weeks_of(intervals: &[(i32, i32)]) -> Vec<i32> {
    intervals.iter().flat_map(|&(a, b)| a..b).collect()
}

proptest! {
    #[test]
    fn long_term_intervals_match_a_week_by_week_count(spells in prop::collection::vec((0i32..300, 1i32..70), 0..8)) {
        let mut support: Vec<(i32, i32)> = spells.iter().map(|&(a, len)| (a, a + len)).collect();
        normalize(&mut support);
        let (mut points, mut out) = (Vec::new(), Vec::new());
        long_term(&support, &mut points, &mut out);
        prop_assert_eq!(weeks_of(&out), long_term_brute(&support));
    }
}

// Random datasets around 2017-2024, so that ranges see ISO years with 53 weeks (2020),
// spells crossing year ends, moves, and persons turning 16 and 67.

const MUNICIPALITIES: [u16; 3] = [101, 175, 461];

fn birth_date() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        // Turning 67 around the ranges.
        (0i64..6 * 366).prop_map(|d| date(1951, 6, 1) + TimeDelta::days(d)),
        // Turning 16 around the ranges.
        (0i64..6 * 366).prop_map(|d| date(2002, 6, 1) + TimeDelta::days(d)),
        // Anyone, crossing the other age bands.
        (0i64..60 * 366).prop_map(|d| date(1950, 1, 1) + TimeDelta::days(d)),
        Just(date(2004, 2, 29)),
        Just(date(1956, 2, 29)),
    ]
}

fn week_index() -> impl Strategy<Value = i32> {
    let lo = week(201_730).index();
    let hi = week(202_340).index();
    lo..hi
}

fn spell_length() -> impl Strategy<Value = i32> {
    prop_oneof![1i32..=12, 1i32..=110]
}

type PersonData = (
    NaiveDate,
    Sex,
    Origin,
    Vec<(u16, i64, i64)>,
    bool,
    Vec<(BenefitGroup, i32, i32)>,
    Vec<(ActivationKind, i32, i32)>,
);

fn person_data() -> impl Strategy<Value = PersonData> {
    let group = prop_oneof![
        select(BenefitGroup::ALL.to_vec()),
        select(vec![BenefitGroup::ADagpenge, BenefitGroup::Kontanthjaelp, BenefitGroup::Uddannelseshjaelp]),
    ];
    (
        birth_date(),
        select(Sex::ALL.to_vec()),
        select(Origin::ALL.to_vec()),
        // Residence spells as (municipality, days since the previous one ended, days lived).
        prop::collection::vec((select(MUNICIPALITIES.to_vec()), 0i64..400, 0i64..1500), 0..=3),
        any::<bool>(),
        prop::collection::vec((group, week_index(), spell_length()), 0..=7),
        prop::collection::vec((select(ActivationKind::ALL.to_vec()), week_index(), 1i32..=60), 0..=6),
    )
}

fn dataset() -> impl Strategy<Value = Dataset> {
    prop::collection::vec(person_data(), 1..=5).prop_map(|people| {
        let (mut persons, mut residences, mut benefits, mut activations) = (vec![], vec![], vec![], vec![]);
        for (i, (birth_date, sex, origin, moves, open, spells, offers)) in people.into_iter().enumerate() {
            // Ids out of input order, to exercise the sorting.
            let id = 1000 - 7 * i64::try_from(i).unwrap();
            persons.push(Person { id, birth_date, sex, origin });
            let mut day = date(2017, 1, 1);
            let n = moves.len();
            for (j, (municipality, gap, stay)) in moves.into_iter().enumerate() {
                let from = day + TimeDelta::days(gap);
                let to = from + TimeDelta::days(stay);
                let to = if open && j + 1 == n { None } else { Some(to) };
                residences.push(Residence { person_id: id, municipality, from, to });
                day = to.unwrap_or(from) + TimeDelta::days(1);
            }
            for (group, start, len) in spells {
                let (from, to) = (IsoWeek::from_index(start).unwrap(), IsoWeek::from_index(start + len - 1).unwrap());
                benefits.push(BenefitSpell { person_id: id, group, from, to });
            }
            for (kind, start, len) in offers {
                let (from, to) = (IsoWeek::from_index(start).unwrap(), IsoWeek::from_index(start + len - 1).unwrap());
                activations.push(ActivationSpell { person_id: id, kind, from, to });
            }
        }
        Dataset::new(persons, residences, benefits, activations).unwrap()
    })
}

fn ranges() -> impl Strategy<Value = Vec<PeriodRange>> {
    let weeks = prop_oneof![
        // Around 2020W53.
        (week(202_040).index()..week(202_103).index(), 0i32..12),
        (week(201_945).index()..week(202_230).index(), 0i32..20),
    ]
    .prop_map(|(start, len)| {
        let at = |i| Period::Week(IsoWeek::from_index(i).unwrap());
        PeriodRange::new(at(start), at(start + len)).unwrap()
    });
    let quarters = (2019i32..=2022, 1u32..=4, 0usize..5).prop_map(|(year, q, len)| {
        let from = Period::Quarter(indsats_domain::Quarter::new(year, q).unwrap());
        let to = (0..len).fold(from, |p, _| p.next().unwrap());
        PeriodRange::new(from, to).unwrap()
    });
    let years = (2019i32..=2022, 0i32..=2)
        .prop_map(|(year, len)| PeriodRange::new(Period::Year(year), Period::Year(year + len)).unwrap());
    (weeks, quarters, years).prop_map(|(w, q, y)| vec![y, w, q])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn engine_equals_reference(data in dataset(), ranges in ranges(), threads in 1usize..=3, chunk in 1usize..=3) {
        let engine = compute(&data, &ranges, &Options { threads, chunk }).unwrap();
        let reference = reference::compute(&data, &ranges).unwrap();
        if let Err(msg) = assert_same(&engine, &reference) {
            prop_assert!(false, "{}", msg);
        }
        // Each kind alone gives the same rows as in the combined run.
        for range in &ranges {
            let alone = compute(&data, &[*range], &Options { threads, chunk }).unwrap();
            let part: Vec<PanelRow> = engine.iter().filter(|r| r.period.kind() == range.kind()).copied().collect();
            prop_assert_eq!(alone, part);
        }
    }
}
