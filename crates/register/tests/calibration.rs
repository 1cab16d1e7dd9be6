//! The synthetic register: the indicator engine, counting the generated micro-data, finds the
//! figures of each municipality's profile; the data look like a register; and the same seed
//! gives the same files.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

use std::collections::HashMap;
use std::fs;

use indsats_domain::person::age_on;
use indsats_domain::{BenefitGroup, Period};
use indsats_register::engine::{self, Options};
use indsats_register::files::{self, Tables};
use indsats_register::synth::{self, Municipalities, SynthConfig};
use indsats_register::{Category, Dataset, Indicator, PanelRow, PeriodRange, Subject};

fn value(rows: &[PanelRow], municipality: u16, indicator: Indicator, category: Category) -> f64 {
    rows.iter()
        .find(|r| r.municipality == municipality && r.indicator == indicator && r.category == category)
        .map_or_else(|| panic!("no row for {municipality} {indicator} {category}"), |r| r.value)
}

fn median(mut weeks: Vec<i32>) -> i32 {
    assert!(!weeks.is_empty());
    weeks.sort_unstable();
    weeks[weeks.len() / 2]
}

/// Spell lengths, ages and activation: what any register would show.
fn assert_register_like(t: &Tables) {
    let length = |group: BenefitGroup| -> Vec<i32> {
        t.benefits.iter().filter(|b| b.group == group).map(|b| b.to.index() - b.from.index() + 1).collect()
    };
    let sickness = length(BenefitGroup::Sygedagpenge);
    let pension = length(BenefitGroup::Foertidspension);
    let (sick, disabled) = (median(sickness.clone()), median(pension));
    assert!(sick < disabled, "median sickness spell {sick} weeks, disability pension {disabled}");
    assert!(sick <= 13, "median sickness spell {sick} weeks");
    // Some sickness spells pass the 22-week reassessment, and some continue in job clarification.
    assert!(sickness.iter().any(|&w| w > 22));
    assert!(t.benefits.iter().any(|b| b.group == BenefitGroup::Jobafklaringsforloeb));

    let births: HashMap<i64, chrono::NaiveDate> = t.persons.iter().map(|p| (p.id, p.birth_date)).collect();
    for b in t.benefits.iter().filter(|b| b.group == BenefitGroup::Efterloen) {
        let age = age_on(births[&b.person_id], b.from.thursday());
        assert!(age >= 60, "efterløn from the age of {age}");
    }
    assert!(t.benefits.iter().any(|b| b.group == BenefitGroup::Efterloen));

    let mut base: HashMap<i64, Vec<(i32, i32)>> = HashMap::new();
    for b in t.benefits.iter().filter(|b| b.group.is_activation_base()) {
        base.entry(b.person_id).or_default().push((b.from.index(), b.to.index()));
    }
    assert!(!t.activations.is_empty());
    for a in &t.activations {
        let spells = base.get(&a.person_id).map_or(&[][..], Vec::as_slice);
        for w in a.from.index()..=a.to.index() {
            assert!(
                spells.iter().any(|&(from, to)| (from..=to).contains(&w)),
                "activation week {w} of person {} outside a-dagpenge, kontanthjælp, uddannelseshjælp and selvforsørgelsesydelse",
                a.person_id
            );
        }
    }
}

#[test]
fn gladsaxe_and_roedovre_meet_their_profiles() {
    let config = SynthConfig::new(Municipalities::Only(vec![159, 175]), 2021, 2021, 2022);
    let tables = synth::generate(&config).unwrap();
    assert_register_like(&tables);

    let Tables { persons, residences, benefits, activations } = tables;
    let data = Dataset::new(persons, residences, benefits, activations).unwrap();
    let year = PeriodRange::new(Period::Year(2021), Period::Year(2021)).unwrap();
    let rows = engine::compute(&data, &[year], &Options::default()).unwrap();
    for code in [159, 175] {
        let t = synth::targets(code).unwrap();
        assert_eq!(t.year, 2021);
        let support = Indicator::Andel(Subject::OffentligForsoergelse);
        for (name, indicator, category, target) in [
            ("andel.offentlig_forsoergelse", support, Category::Total, t.offentlig_forsoergelse),
            ("andel.offentlig_forsoergelse ikke_vestlig_i_alt", support, Category::NonWestern, t.ikke_vestlig),
            ("andel.langvarige", Indicator::Andel(Subject::Langvarige), Category::Total, t.langvarige),
            ("andel.virksomhedsrettet", Indicator::Virksomhedsrettet, Category::Total, t.virksomhedsrettet),
            ("andel.opkvalificering", Indicator::Opkvalificering, Category::Total, t.opkvalificering),
        ] {
            let got = value(&rows, code, indicator, category);
            eprintln!("{code} 2021 {name}: target {target:.2}, engine {got:.3}");
            assert!((got - target).abs() < 0.5, "{code} {name}: target {target}, got {got}");
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_parquet_files() {
    let mut config = SynthConfig::new(Municipalities::Only(vec![175, 159]), 2020, 2021, 99);
    config.scale = 0.05;
    let a = synth::generate(&config).unwrap();
    let b = synth::generate(&config).unwrap();
    assert_eq!(a, b);
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    files::write_parquet(&a, dir_a.path()).unwrap();
    files::write_parquet(&b, dir_b.path()).unwrap();
    for table in files::Table::ALL {
        let name = format!("{}.parquet", table.name());
        let (x, y) = (fs::read(dir_a.path().join(&name)).unwrap(), fs::read(dir_b.path().join(&name)).unwrap());
        assert!(!x.is_empty());
        assert!(x == y, "{name} differs between two runs with the same seed");
    }
    config.seed = 100;
    let c = synth::generate(&config).unwrap();
    assert_ne!(a.persons, c.persons);
    assert_ne!(a.benefits, c.benefits);
}
