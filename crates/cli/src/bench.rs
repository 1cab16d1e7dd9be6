//! `indsats bench register`: how fast the engine computes the panel, printed as figures
//! (never asserted in tests; see docs/performance.md).

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, bail};
use indsats_domain::{Period, PeriodKind};
use indsats_register::{Dataset, PeriodRange, engine, files, import};

/// Loads the data set and computes the quarter and year panel from `from` to `to` (default:
/// the data's whole span), `runs` times: each run is what one `indsats` command does.
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
    let options = engine::Options { threads, chunk: 4096 };
    let mut ranges = Vec::new();
    let (mut reads, mut indexings, mut loads) = (Vec::new(), Vec::new(), Vec::new());
    let (mut engines, mut totals) = (Vec::new(), Vec::new());
    let (mut spells, mut rows) = (0, 0);
    for run in 1..=runs {
        let started = Instant::now();
        let tables =
            files::read(&[import::current_dir(data)]).with_context(|| format!("cannot read {}", data.display()))?;
        let read_seconds = started.elapsed().as_secs_f64();
        let dataset = Dataset::new(tables.persons, tables.residences, tables.benefits, tables.activations)?;
        let load_seconds = started.elapsed().as_secs_f64();
        if run == 1 {
            let (first, last, spanning) = panel_ranges(&dataset, from, to)?;
            ranges = spanning;
            spells = dataset.spell_count();
            println!(
                "data: {} persons, {spells} spells (residence, benefit, activation), {} municipalities, {first} to {last}",
                dataset.persons().len(),
                dataset.municipalities().len(),
            );
        }
        let computed = Instant::now();
        let panel = engine::compute(&dataset, &ranges, &options)?;
        let engine_seconds = computed.elapsed().as_secs_f64();
        let index_seconds = load_seconds - read_seconds;
        let total_seconds = load_seconds + engine_seconds;
        rows = panel.len();
        println!(
            "run {run}: load {load_seconds:.2} s ({read_seconds:.2} s reading, {index_seconds:.2} s indexing), \
             engine {engine_seconds:.2} s, {rows} rows; load + engine {total_seconds:.2} s"
        );
        reads.push(read_seconds);
        indexings.push(index_seconds);
        loads.push(load_seconds);
        engines.push(engine_seconds);
        totals.push(total_seconds);
    }
    let (read, index, load) = (median(reads), median(indexings), median(loads));
    let (engine, total) = (median(engines), median(totals));
    println!(
        "load (Parquet -> memory): median {load:.2} s over {runs} runs \
         (medians: {read:.2} s reading the files, {index:.2} s indexing)"
    );
    #[expect(clippy::cast_precision_loss, reason = "spell counts are far below 2^53")]
    let rate = spells as f64 / engine;
    println!(
        "engine (quarter + year, every dimension): median {engine:.2} s over {runs} runs, {rows} rows, {:.1} million spells/s",
        rate / 1e6
    );
    println!("load + engine: median {total:.2} s over {runs} runs");
    match peak_memory_bytes() {
        #[expect(clippy::cast_precision_loss, reason = "display only")]
        Some(bytes) => println!("peak memory (VmHWM): {:.2} GB", bytes as f64 / 1e9),
        None => println!("peak memory: not available on this system"),
    }
    Ok(())
}

/// Quarters and years from `from` to `to`, by default the data's first and last week.
fn panel_ranges(
    dataset: &Dataset,
    from: Option<Period>,
    to: Option<Period>,
) -> anyhow::Result<(Period, Period, Vec<PeriodRange>)> {
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
    Ok((from, to, ranges))
}

/// The middle value (the upper one of the two middle values for an even count).
fn median(mut seconds: Vec<f64>) -> f64 {
    seconds.sort_by(f64::total_cmp);
    seconds[seconds.len() / 2]
}

/// The process's peak resident set size, from Linux's /proc.
fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
