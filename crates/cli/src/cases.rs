//! `indsats cases`: the jobcentre's own cases as data for other tools.

use std::path::Path;

use anyhow::Context as _;

use crate::config::Settings;

/// `indsats cases spells --out DIR`: the cases' benefits and offers as the four register tables
/// (Parquet), for `indsats import register --from DIR`. The read of the cases is audited as
/// `cases.figures` (by the application: the command has no user).
pub async fn spells(settings: &Settings, out: &Path) -> anyhow::Result<()> {
    let store = settings.open_store().await?;
    let site =
        store.site().await?.context("the site has no municipality yet: run `indsats serve` or `indsats demo` first")?;
    let facts = store.case_facts(None).await?;
    let today = indsats_app::cases::local_now().date();
    let tables = indsats_app::case_spells::tables(&facts, site.municipality_code.get(), today);
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    indsats_register::files::write_parquet(&tables, out)?;
    println!(
        "{} cases written to {} as {} persons, {} benefit spells and {} activation spells (sex and origin are not in the cases: written as K and dansk).",
        facts.len(),
        out.display(),
        tables.persons.len(),
        tables.benefits.len(),
        tables.activations.len()
    );
    Ok(())
}
