//! Demo data: a fictitious municipality and one user per role.

use std::io::Write;

use std::path::Path;

use anyhow::{Context, bail};
use indsats_domain::{MunicipalityCode, Role};
use indsats_register::files::Tables;
use indsats_register::import;
use indsats_register::synth::{self, Municipalities, SynthConfig};
use indsats_store::{Site, Store};
use indsats_web::accounts;

use crate::config::Settings;

/// The demo users: user name, display name, role. The names are made up.
const DEMO_USERS: [(&str, &str, Role); 5] = [
    ("sagsbehandler", "Anne Holm", Role::Sagsbehandler),
    ("virksomhedskonsulent", "Karim Nielsen", Role::Virksomhedskonsulent),
    ("leder", "Lene Kjær", Role::Leder),
    ("udvalg", "Poul Mortensen", Role::Udvalg),
    ("admin", "Sofie Admin", Role::Admin),
];

/// The file in the data directory that keeps the demo passwords.
pub const CREDENTIALS_FILE: &str = "demo-credentials.txt";

/// `indsats demo`: seeds an empty data directory, refuses one that holds data.
pub async fn run(settings: &Settings) -> anyhow::Result<()> {
    let store = settings.open_store().await?;
    if store.count_users().await? > 0 {
        bail!(
            "the database already holds users; demo data are only seeded into an empty data directory (use --data-dir to choose another)"
        );
    }
    seed(settings, &*store).await
}

/// Seeds the demo and prints how to log in. The caller has checked that the database is empty.
pub async fn seed(settings: &Settings, store: &dyn Store) -> anyhow::Result<()> {
    store
        .set_site(&Site {
            municipality_code: MunicipalityCode::new(175)?,
            municipality_name: "Demo Kommune".into(),
            is_demo: true,
        })
        .await?;
    let mut lines = Vec::new();
    for (username, name, role) in DEMO_USERS {
        let password = readable_password();
        accounts::create_user(store, None, username, name, role, &password).await?;
        lines.push(format!("{username:<22} {password}   ({role})"));
    }
    let file = settings.data_dir().join(CREDENTIALS_FILE);
    std::fs::create_dir_all(settings.data_dir())?;
    write_private(&file, &format!("{}\n", lines.join("\n")))
        .with_context(|| format!("cannot write {}", file.display()))?;
    let register = settings.data_dir().join("register");
    if !register.exists() {
        let started = std::time::Instant::now();
        let persons = seed_register(&register)?;
        println!(
            "Demo register generated: {persons} persons in {:.1} s ({}).",
            started.elapsed().as_secs_f64(),
            register.display()
        );
    }
    for (file, text) in DEMO_PLANS {
        let plan = indsats_domain::plan::parse(text).map_err(|p| {
            anyhow::anyhow!("{file}: {}", p.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))
        })?;
        indsats_web::plans::store_plan(store, &plan, text, None).await?;
    }
    println!("Demo data seeded: a fictitious municipality, one user per role and the example plans.");
    println!("Log in with one of these (user name, password, role); they are also in {}:", file.display());
    for line in &lines {
        println!("  {line}");
    }
    Ok(())
}

/// The demo municipality's register profile (Rødovre's size and figures) and the years shown.
const DEMO_MUNICIPALITY: u16 = 175;
/// Municipalities generated at full size: the demo municipality and Gladsaxe, whose plan 2022
/// is among the example plans the demo loads, so its report has real-sized figures.
const FULL_SIZE: [u16; 2] = [DEMO_MUNICIPALITY, 159];
/// The example plans the demo loads (see `plans/`).
const DEMO_PLANS: [(&str, &str); 3] = [
    ("plans/gladsaxe-2022.toml", include_str!("../../../plans/gladsaxe-2022.toml")),
    ("plans/roedovre-2023-24.toml", include_str!("../../../plans/roedovre-2023-24.toml")),
    ("plans/odense-rummelige-arbejdsmarked.toml", include_str!("../../../plans/odense-rummelige-arbejdsmarked.toml")),
];
const DEMO_YEARS: (i32, i32) = (2016, 2025);
/// The share of the other municipalities' residents drawn for the whole-country line.
const NATIONAL_SAMPLE: f64 = 0.01;

/// Generates the demo register: the demo municipality and Gladsaxe at full size, and a 1 % sample
/// of the other 96 for the whole-country comparison. The sample keeps the demo fast to start; it
/// weights the full-size municipalities more than their true share in `000`, which real data do not.
fn seed_register(out: &Path) -> anyhow::Result<usize> {
    let (from, to) = DEMO_YEARS;
    let local = synth::generate(&SynthConfig::new(Municipalities::Only(FULL_SIZE.to_vec()), from, to, 1))?;
    let national =
        synth::generate(&SynthConfig { scale: NATIONAL_SAMPLE, ..SynthConfig::new(Municipalities::All, from, to, 2) })?;
    let tables = merge_without(local, national, &FULL_SIZE);
    let persons = tables.persons.len();
    import::install(&tables, out).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(persons)
}

/// `base` plus the persons of `other` who never lived in any of `municipalities`, renumbered after `base`'s.
fn merge_without(mut base: Tables, other: Tables, municipalities: &[u16]) -> Tables {
    let offset = base.persons.iter().map(|p| p.id).max().unwrap_or(0) + 1;
    let excluded: std::collections::HashSet<i64> =
        other.residences.iter().filter(|r| municipalities.contains(&r.municipality)).map(|r| r.person_id).collect();
    let keep = |id: i64| !excluded.contains(&id);
    base.persons.extend(other.persons.into_iter().filter(|p| keep(p.id)).map(|mut p| {
        p.id += offset;
        p
    }));
    base.residences.extend(other.residences.into_iter().filter(|r| keep(r.person_id)).map(|mut r| {
        r.person_id += offset;
        r
    }));
    base.benefits.extend(other.benefits.into_iter().filter(|b| keep(b.person_id)).map(|mut b| {
        b.person_id += offset;
        b
    }));
    base.activations.extend(other.activations.into_iter().filter(|a| keep(a.person_id)).map(|mut a| {
        a.person_id += offset;
        a
    }));
    base
}

/// `indsats demo register`: a synthetic register data set.
pub fn register(municipalities: &str, from: i32, to: i32, seed: u64, scale: f64, out: &Path) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let municipalities: Municipalities =
        municipalities.parse().map_err(|e| anyhow::anyhow!("--municipalities: {e}"))?;
    let tables = synth::generate(&SynthConfig { scale, ..SynthConfig::new(municipalities, from, to, seed) })?;
    let generated = started.elapsed().as_secs_f64();
    let done = import::install(&tables, out).map_err(|e| anyhow::anyhow!("{e}"))?;
    let [persons, residence, benefits, activation] = done.rows;
    println!(
        "Generated {persons} persons, {residence} residence, {benefits} benefit and {activation} activation spells \
         in {generated:.1} s; written to {} in {:.1} s.",
        done.version.display(),
        started.elapsed().as_secs_f64() - generated
    );
    Ok(())
}

/// 20 characters in groups of four, easy to type, about 100 bits of entropy.
fn readable_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let secret = accounts::new_secret();
    let chars: Vec<char> =
        secret.bytes().take(20).map(|b| char::from(ALPHABET[usize::from(b) % ALPHABET.len()])).collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}
