//! Unit tests of the generator as a whole: configuration, determinism, structure, design.

use std::collections::BTreeMap;

use chrono::Datelike;
use indsats_domain::person::age_on;
use indsats_domain::{BenefitGroup, Origin};

use super::*;

fn config(codes: &[u16], from: i32, to: i32, seed: u64, scale: f64) -> SynthConfig {
    let mut c = SynthConfig::new(Municipalities::Only(codes.to_vec()), from, to, seed);
    c.scale = scale;
    c
}

/// The shares of each municipality's calibration year before any correction:
/// (support, non-western support, long-term, company, upskilling), activation after drawing it.
fn design_only(config: &SynthConfig) -> Vec<(u16, [f64; 5])> {
    let plan = Plan::new(config).unwrap();
    let mut jobs = Vec::new();
    for (slot, m) in plan.munis.iter().enumerate() {
        let mut first = 0;
        while first < m.total {
            let end = m.total.min(first + CHUNK);
            jobs.push((slot, first, end));
            first = end;
        }
    }
    let mut chunks = par_map(plan.threads, &jobs, |&(slot, first, end)| generate_chunk(&plan, slot, first, end));
    for chunk in &mut chunks {
        activate(&plan, chunk);
    }
    let refs: Vec<&Chunk> = chunks.iter().collect();
    let tally = calibrate::tally(&plan, &refs);
    plan.munis.iter().zip(tally).map(|(m, t)| (m.code, t.shares())).collect()
}

#[test]
fn municipality_lists_parse() {
    assert_eq!("all".parse::<Municipalities>().unwrap(), Municipalities::All);
    assert_eq!(" 175, 159 ".parse::<Municipalities>().unwrap(), Municipalities::Only(vec![175, 159]));
    assert!(matches!("175;159".parse::<Municipalities>(), Err(SynthError::InvalidList(_))));
    assert!("".parse::<Municipalities>().is_err());
    assert_eq!(Municipalities::Only(vec![175, 159]).to_string(), "175,159");
}

#[test]
fn bad_configurations_are_refused_with_a_reason() {
    let err = generate(&config(&[999], 2020, 2021, 1, 0.01)).unwrap_err();
    assert_eq!(err, SynthError::UnknownMunicipality(999));
    assert!(err.to_string().contains("999"));
    assert_eq!(
        generate(&config(&[175], 2022, 2021, 1, 0.01)).unwrap_err(),
        SynthError::InvalidYears { from: 2022, to: 2021 }
    );
    assert_eq!(generate(&config(&[175], 2020, 2021, 1, 0.0)).unwrap_err(), SynthError::InvalidScale(0.0));
    assert!(matches!(generate(&config(&[175], 2020, 2021, 1, f64::NAN)), Err(SynthError::InvalidScale(_))));
    assert_eq!(generate(&config(&[], 2020, 2021, 1, 0.1)).unwrap_err(), SynthError::NoMunicipalities);
}

#[test]
fn profiles_resolve_from_the_data_file() {
    let g = targets(159).unwrap();
    assert_eq!(
        (g.year, g.offentlig_forsoergelse, g.ikke_vestlig, g.langvarige, g.virksomhedsrettet, g.opkvalificering),
        (2021, 12.6, 18.2, 8.1, 3.1, 6.7)
    );
    // Rødovre names only its share on support; the rest keeps the default's proportions.
    let r = targets(175).unwrap();
    let d = targets(851).unwrap();
    assert!((r.offentlig_forsoergelse - 17.0).abs() < 1e-9);
    assert!((r.ikke_vestlig / r.offentlig_forsoergelse - d.ikke_vestlig / d.offentlig_forsoergelse).abs() < 1e-9);
    assert!((r.langvarige / r.offentlig_forsoergelse - d.langvarige / d.offentlig_forsoergelse).abs() < 1e-9);
    assert!((d.offentlig_forsoergelse - 16.0).abs() < 1e-9);
    assert_eq!(targets(7), Err(SynthError::UnknownMunicipality(7)));
}

#[test]
fn the_same_seed_gives_the_same_tables_on_any_number_of_threads() {
    let mut one = config(&[175, 101], 2020, 2021, 7, 0.02);
    one.threads = 1;
    let mut four = one.clone();
    four.threads = 4;
    let a = generate(&one).unwrap();
    assert_eq!(a, generate(&four).unwrap());
    assert!(!a.benefits.is_empty() && !a.activations.is_empty());
    let mut other = one.clone();
    other.seed = 8;
    let b = generate(&other).unwrap();
    assert_ne!(a.benefits, b.benefits);
}

#[test]
fn population_size_ages_and_origins_are_plausible() {
    let t = generate(&config(&[159], 2021, 2021, 3, 0.2)).unwrap();
    // The residents at the start, plus a year of births and immigrants.
    let start = 70_001.0 * 0.2;
    let n = dist::float(t.persons.len());
    assert!(n > start && n < start * 1.05, "{n}");
    let day = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap();
    let ages: Vec<i32> = t.persons.iter().map(|p| age_on(p.birth_date, day)).collect();
    let share = |f: &dyn Fn(i32) -> bool| dist::float(ages.iter().filter(|&&a| f(a)).count()) / n;
    let working = share(&|a| (16..=66).contains(&a));
    assert!((0.58..0.72).contains(&working), "{working}");
    assert!(share(&|a| a < 16) > 0.1 && share(&|a| a > 66) > 0.1);
    assert!(ages.iter().all(|&a| a <= 100));
    let non_western = dist::float(t.persons.iter().filter(|p| p.origin.is_non_western()).count()) / n;
    assert!((0.10..0.17).contains(&non_western), "{non_western}");
    let danish = dist::float(t.persons.iter().filter(|p| p.origin == Origin::Dansk).count()) / n;
    assert!((0.72..0.85).contains(&danish), "{danish}");
}

#[test]
fn spells_are_consistent() {
    let t = generate(&config(&[175, 159], 2019, 2021, 11, 0.05)).unwrap();
    let births: BTreeMap<i64, NaiveDate> = t.persons.iter().map(|p| (p.id, p.birth_date)).collect();
    let mut spells: BTreeMap<i64, Vec<(i32, i32, BenefitGroup)>> = BTreeMap::new();
    for b in &t.benefits {
        assert!(b.from <= b.to);
        spells.entry(b.person_id).or_default().push((b.from.index(), b.to.index(), b.group));
        let age = age_on(births[&b.person_id], b.from.thursday());
        match b.group {
            BenefitGroup::Efterloen => assert!(age >= 60, "efterløn at {age}"),
            BenefitGroup::Uddannelseshjaelp => assert!(age < 30, "uddannelseshjælp at {age}"),
            BenefitGroup::Barselsdagpenge => assert!((18..=50).contains(&age)),
            _ => assert!(age >= 18, "{} at {age}", b.group),
        }
    }
    // One benefit at a time.
    for list in spells.values_mut() {
        list.sort_unstable();
        assert!(list.windows(2).all(|w| w[0].1 < w[1].0), "{list:?}");
    }
    // Residence spells follow each other without overlap, in the chosen municipalities.
    let mut residences: BTreeMap<i64, Vec<(NaiveDate, Option<NaiveDate>, u16)>> = BTreeMap::new();
    for r in &t.residences {
        assert!([175, 159].contains(&r.municipality));
        assert!(r.to.is_none_or(|to| to >= r.from));
        residences.entry(r.person_id).or_default().push((r.from, r.to, r.municipality));
    }
    assert_eq!(residences.len(), t.persons.len());
    for list in residences.values() {
        for w in list.windows(2) {
            assert!(w[0].1.is_some_and(|to| to < w[1].0) && w[0].2 != w[1].2, "{list:?}");
        }
    }
}

#[test]
fn with_every_municipality_a_few_per_cent_move_each_year() {
    let t = generate(&SynthConfig { scale: 0.01, ..SynthConfig::new(Municipalities::All, 2021, 2021, 5) }).unwrap();
    let moves = t.residences.iter().filter(|r| r.from.year() == 2021).count();
    let rate = dist::float(moves) / dist::float(t.persons.len());
    assert!((0.02..0.07).contains(&rate), "{rate}");
    let codes: std::collections::BTreeSet<u16> = t.residences.iter().map(|r| r.municipality).collect();
    assert_eq!(codes.len(), 98);
    // Alone, nobody moves.
    let alone = generate(&config(&[175], 2021, 2021, 5, 0.05)).unwrap();
    assert_eq!(alone.residences.len(), alone.persons.len());
}

#[test]
fn the_design_alone_comes_close_to_the_profile() {
    for (code, shares) in design_only(&config(&[159, 175], 2021, 2021, 2, 1.0)) {
        let t = targets(code).unwrap();
        let wanted = [t.offentlig_forsoergelse, t.ikke_vestlig, t.langvarige, t.virksomhedsrettet, t.opkvalificering];
        for (got, want) in shares.iter().zip(wanted) {
            assert!((got - want).abs() < 0.25 * want + 0.5, "{code}: {shares:?} vs {wanted:?}");
        }
        assert!((shares[0] - wanted[0]).abs() < 1.0, "{code}: {shares:?} vs {wanted:?}");
    }
}
