//! `indsats bench register`: how fast the engine computes the panel, printed as figures
//! (never asserted in tests; see docs/performance.md).

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, bail};
use indsats_domain::{Period, PeriodKind};
use indsats_register::{Dataset, PeriodRange, engine, files, import};

/// Loads the data set once, then computes the quarter and year panel from `from` to `to`
/// (default: the data's whole span) `runs` times.
pub fn register(
    data: &Path,
    runs: usize,
    threads: usize,
    from: Option<Period>,
    to: Option<Period>,
) -> anyhow::Result<()> {
    if runs == 0 {
        bail!("--runs must be at least 1");
    }
    let started = Instant::now();
    let tables =
        files::read(&[import::current_dir(data)]).with_context(|| format!("cannot read {}", data.display()))?;
    let read_seconds = started.elapsed().as_secs_f64();
    let dataset = Dataset::new(tables.persons, tables.residences, tables.benefits, tables.activations)?;
    let load_seconds = started.elapsed().as_secs_f64();
    let (first, last) = dataset.week_span().context("the data set has no spells")?;
    let week = |i| indsats_domain::IsoWeek::from_index(i).map(Period::Week).context("week out of range");
    let from = match from {
        Some(p) => p,
        None => week(first)?,
    };
    let to = match to {
        Some(p) => p,
        None => week(last)?,
    };
    let ranges = [PeriodKind::Quarter, PeriodKind::Year]
        .into_iter()
        .map(|kind| PeriodRange::spanning(kind, from, to))
        .collect::<Result<Vec<_>, _>>()?;
    let spells = dataset.spell_count();
    println!(
        "data: {} persons, {spells} spells (residence, benefit, activation), {} municipalities, {from} to {to}",
        dataset.persons().len(),
        dataset.municipalities().len()
    );
    println!(
        "load (Parquet -> memory): {load_seconds:.2} s ({read_seconds:.2} s reading the files, {:.2} s indexing)",
        load_seconds - read_seconds
    );
    let options = engine::Options { threads, chunk: 4096 };
    let mut seconds = Vec::with_capacity(runs);
    let mut rows = 0;
    for run in 1..=runs {
        let started = Instant::now();
        let panel = engine::compute(&dataset, &ranges, &options)?;
        let elapsed = started.elapsed().as_secs_f64();
        rows = panel.len();
        println!("run {run}: {elapsed:.2} s, {rows} rows");
        seconds.push(elapsed);
    }
    seconds.sort_by(f64::total_cmp);
    let median = seconds[seconds.len() / 2];
    #[allow(clippy::cast_precision_loss, reason = "spell counts are far below 2^53")]
    let rate = spells as f64 / median;
    println!(
        "engine (quarter + year, every dimension): median {median:.2} s over {runs} runs, {rows} rows, {:.1} million spells/s",
        rate / 1e6
    );
    match peak_memory_bytes() {
        #[allow(clippy::cast_precision_loss, reason = "display only")]
        Some(bytes) => println!("peak memory (VmHWM): {:.2} GB", bytes as f64 / 1e9),
        None => println!("peak memory: not available on this system"),
    }
    Ok(())
}

/// The process's peak resident set size, from Linux's /proc.
fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
