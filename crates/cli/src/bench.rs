//! `indsats bench register`: how fast the engine computes the panel; `indsats bench report`: how
//! fast a quarterly report is judged and rendered. Printed as figures (never asserted in tests;
//! see docs/performance.md).

use std::path::Path;
use std::time::Instant;

use std::fmt::Write as _;

use anyhow::{Context, bail};
use indsats_app::figures::PanelFigures;
use indsats_app::plans::report_labels;
use indsats_domain::plan::{Goal, PlanDocument};
use indsats_domain::{Period, PeriodKind, Quarter};
use indsats_i18n::Locale;
use indsats_register::series::SeriesIndex;
use indsats_register::{Dataset, PeriodRange, engine, files, import};
use indsats_report::document::{Annotations, build};

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

/// Judges and renders the report for `quarter` `runs` times as HTML and as PDF, the panel
/// computed once before (as the web application holds it), and prints each run and the medians.
pub fn report(
    plan_path: &Path,
    quarter: Quarter,
    data: &Path,
    goals: Option<usize>,
    runs: usize,
) -> anyhow::Result<()> {
    if runs == 0 {
        bail!("--runs must be at least 1");
    }
    let (_, mut plan) = crate::plan::read(plan_path)?;
    if let Some(n) = goals {
        pad_goals(&mut plan, n)?;
    }
    let dataset =
        import::load(data).with_context(|| format!("cannot load the register data set in {}", data.display()))?;
    let index = SeriesIndex::recent(&dataset)?;
    let figures = PanelFigures { index: &index, sees_small_cells: false };
    let labels = report_labels(Locale::Da);
    let notes = Annotations { data: indsats_app::plans::data_info(Some(&index), &labels), ..Annotations::default() };
    let indicators: usize = plan.goals.iter().map(|g| g.indicators.len()).sum();
    println!("plan: {} goals, {indicators} indicators; quarter {quarter}", plan.goals.len());
    let mut htmls = Vec::new();
    // Filled only when the binary makes PDFs (the `pdf` feature).
    #[cfg_attr(not(feature = "pdf"), expect(unused_mut, reason = "only the pdf feature pushes PDF timings"))]
    let (mut pdfs, mut warm): (Vec<f64>, Vec<f64>) = (Vec::new(), Vec::new());
    for run in 1..=runs {
        let started = Instant::now();
        let report = build(&plan, quarter, &figures, &notes, &labels).map_err(|e| anyhow::anyhow!("{e}"))?;
        let html = indsats_report::html::render(&report, &labels)?;
        let html_seconds = started.elapsed().as_secs_f64();
        htmls.push(html_seconds);
        let line = format!("run {run}: HTML {html_seconds:.3} s ({} kB)", html.len() / 1024);
        #[cfg(feature = "pdf")]
        let line = {
            // Cold: Typst's memoised results of the run before dropped, as for a report not made
            // lately. Warm: the same report again, as a repeated download.
            indsats_report::pdf::forget_memoised();
            let mut seconds = [0.0; 2];
            let mut size = 0;
            for s in &mut seconds {
                let started = Instant::now();
                let report = build(&plan, quarter, &figures, &notes, &labels).map_err(|e| anyhow::anyhow!("{e}"))?;
                size = indsats_report::typst_source::pdf(&report, &labels, None)?.len();
                *s = started.elapsed().as_secs_f64();
            }
            pdfs.push(seconds[0]);
            warm.push(seconds[1]);
            format!("{line}, PDF {:.3} s cold, {:.3} s warm ({} kB)", seconds[0], seconds[1], size / 1024)
        };
        println!("{line}");
    }
    let mut summary = format!("median over {runs} runs: HTML {:.3} s", median(htmls));
    if !pdfs.is_empty() {
        let _ = write!(summary, ", PDF {:.3} s cold, {:.3} s warm", median(pdfs), median(warm));
    }
    println!("{summary}");
    Ok(())
}

/// Repeats the plan's goals that have indicators, with new ids, until it has `n` goals: a
/// bigger plan of the same kind, with more charts.
fn pad_goals(plan: &mut PlanDocument, n: usize) -> anyhow::Result<()> {
    let measured: Vec<Goal> = plan.goals.iter().filter(|g| !g.indicators.is_empty()).cloned().collect();
    if measured.is_empty() && plan.goals.len() < n {
        bail!("--goals: the plan has no goal with indicators to repeat");
    }
    let mut copy = 1;
    while plan.goals.len() < n {
        for goal in &measured {
            if plan.goals.len() >= n {
                break;
            }
            let mut goal = goal.clone();
            goal.id = format!("{}-{copy}", goal.id);
            goal.title = format!("{} ({copy})", goal.title);
            for action in goal.action_plans.iter_mut().flat_map(|p| p.actions.iter_mut()) {
                action.id = format!("{}-{copy}", action.id);
            }
            plan.goals.push(goal);
        }
        copy += 1;
    }
    Ok(())
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
