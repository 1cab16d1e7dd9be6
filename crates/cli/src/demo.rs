//! `indsats demo`: the demo data (seeded by `indsats_app::demo`), and synthetic register data sets.

use std::path::Path;

use indsats_app::demo::{self, Seeded};
use indsats_register::import;
use indsats_register::synth::{self, Municipalities, SynthConfig};
use indsats_store::Store;

use crate::config::Settings;

/// `indsats demo`: seeds an empty data directory, refuses one that holds data.
pub async fn run(settings: &Settings) -> anyhow::Result<()> {
    let store = settings.open_store().await?;
    seed(settings, &*store).await
}

/// Seeds the demo and prints how to log in.
pub async fn seed(settings: &Settings, store: &dyn Store) -> anyhow::Result<()> {
    // The key for the demo's CPR numbers, in the data directory (mode 0600) unless configured.
    let vault = indsats_app::vault::Vault::for_installation(store, &settings.cpr_key_file()).await?;
    let Seeded { credentials, credentials_file, register, cases } = match demo::seed(store, settings.data_dir(), &vault)
        .await
    {
        Err(demo::DemoError::NotEmpty) => anyhow::bail!(
            "the database already holds users; demo data are only seeded into an empty data directory (use --data-dir to choose another)"
        ),
        other => other?,
    };
    if let Some((persons, seconds)) = register {
        println!("Demo register generated: {persons} persons in {seconds:.1} s.");
    }
    println!("Demo data seeded: a fictitious municipality, one user per role and the example plans.");
    if cases > 0 {
        println!("Demo caseload: {cases} open cases shared by 100 caseworkers (the demo's own caseworker is one).");
    }
    println!("Log in with one of these (user name, password, role); they are also in {}:", credentials_file.display());
    for line in &credentials {
        println!("  {line}");
    }
    Ok(())
}

/// `indsats demo register`: a synthetic register data set.
pub fn register(municipalities: &str, from: i32, to: i32, seed: u64, scale: f64, out: &Path) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let municipalities: Municipalities =
        municipalities.parse().map_err(|e| anyhow::anyhow!("--municipalities: {e}"))?;
    let tables = synth::generate(&SynthConfig { scale, ..SynthConfig::new(municipalities, from, to, seed) })?;
    let generated = started.elapsed().as_secs_f64();
    let done = import::install_synthetic(&tables, out).map_err(|e| anyhow::anyhow!("{e}"))?;
    let [persons, residence, benefits, activation] = done.rows;
    println!(
        "Generated {persons} persons, {residence} residence, {benefits} benefit and {activation} activation spells \
         in {generated:.1} s; written to {} in {:.1} s.",
        done.version.display(),
        started.elapsed().as_secs_f64() - generated
    );
    Ok(())
}
