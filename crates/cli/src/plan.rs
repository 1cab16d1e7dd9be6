//! `indsats plan` and `indsats report`: check, show and load plan files; render the quarterly report.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use indsats_app::figures::{PanelFigures, municipality_name};
use indsats_app::plans::report_labels;
use indsats_domain::Quarter;
use indsats_domain::plan::{PlanDocument, parse};
use indsats_i18n::Locale;
use indsats_register::series::SeriesIndex;
use indsats_report::document::{Annotations, ReportError, build};

/// Reads and checks a plan file; the error lists every problem with file, line and column.
pub fn read(path: &Path) -> anyhow::Result<(String, PlanDocument)> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    match parse(&text) {
        Ok(plan) => Ok((text, plan)),
        Err(problems) => {
            let mut msg = format!("{} has {} problem(s):", path.display(), problems.len());
            for p in &problems {
                let _ = write!(msg, "\n  {}:{}:{}: {}", path.display(), p.line, p.column, p.kind);
            }
            bail!(msg)
        }
    }
}

/// `indsats plan check`.
pub fn check(path: &Path) -> anyhow::Result<()> {
    let (_, plan) = read(path)?;
    println!(
        "{}: ok ({} goals, {} indicators, {} actions)",
        path.display(),
        plan.goals.len(),
        plan.indicators().count(),
        plan.actions().count()
    );
    Ok(())
}

/// `indsats plan show`: the hierarchy from policy to action.
pub fn show(path: &Path) -> anyhow::Result<()> {
    let (_, plan) = read(path)?;
    print!("{}", outline(&plan));
    Ok(())
}

fn outline(plan: &PlanDocument) -> String {
    let labels = report_labels(Locale::En);
    let mut out = String::new();
    let h = &plan.plan;
    let _ = writeln!(
        out,
        "{} — {} ({}, {})",
        h.title,
        municipality_name(h.municipality.get()),
        h.municipality.get(),
        h.period
    );
    let _ = writeln!(out, "Policy: {}", plan.policy.title);
    let _ = writeln!(out, "  Vision: {}", plan.policy.vision.trim());
    for s in &plan.policy.strategic_goals {
        let _ = writeln!(out, "  Strategic goal [{}] {}", s.id, s.title);
    }
    for g in &plan.goals {
        let _ = writeln!(out, "Goal [{}] ({}) {}", g.id, g.kind.as_str(), g.title);
        if !g.strategic_goals.is_empty() {
            let _ = writeln!(out, "  serves: {}", g.strategic_goals.join(", "));
        }
        for (n, a) in g.activities.iter().enumerate() {
            let first = a.lines().next().unwrap_or("");
            let _ = writeln!(out, "  activity {}: {}", n + 1, first.chars().take(100).collect::<String>());
        }
        for i in &g.indicators {
            let baseline = i.baseline.map_or_else(
                || "none".to_owned(),
                |b| format!("{} = {}", b.period, b.value.map_or_else(|| "from data".to_owned(), |v| v.to_string())),
            );
            let target = match i.target.threshold(None) {
                Some(v) if !i.target.needs_baseline() => format!("{} {v:.1}", i.target.name()),
                _ => i.target.name().to_owned(),
            };
            let _ = writeln!(
                out,
                "  indicator [{}] {}: {} ({}), baseline {baseline}, target {target} in {}",
                i.id,
                i.title,
                i.measure.as_str(),
                i.category,
                i.target_period
            );
        }
        for p in &g.action_plans {
            let _ = writeln!(out, "  action plan [{}] {}", p.id, p.title);
            for a in &p.actions {
                let _ = writeln!(out, "    action [{}] {} — {}", a.id, a.title, labels.action_status(a.status));
            }
        }
    }
    out
}

/// Output formats of `indsats report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// One self-contained HTML file.
    Html,
    /// PDF, made by the embedded Typst compiler.
    Pdf,
}

/// Languages of `indsats report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// Danish.
    Da,
    /// English.
    En,
}

impl From<Lang> for Locale {
    fn from(lang: Lang) -> Self {
        match lang {
            Lang::Da => Locale::Da,
            Lang::En => Locale::En,
        }
    }
}

/// `indsats report`.
pub fn report(
    plan_path: &Path,
    quarter: Quarter,
    data: &Path,
    format: ReportFormat,
    locale: Locale,
    out: &PathBuf,
) -> anyhow::Result<()> {
    // Said before the register is loaded, not after.
    #[cfg(not(feature = "pdf"))]
    if format == ReportFormat::Pdf {
        anyhow::bail!(
            "this indsats was built without PDF support (the `pdf` feature of indsats-cli, on by default): \
             use --format html, or build with the default features"
        );
    }
    let started = Instant::now();
    let (_, plan) = read(plan_path)?;
    let dataset = indsats_register::import::load(data)
        .with_context(|| format!("cannot load the register data set in {}", data.display()))?;
    let index = SeriesIndex::recent(&dataset)?;
    let figures = PanelFigures { index: &index, sees_small_cells: false };
    let today = chrono::Local::now().date_naive();
    let labels = report_labels(locale);
    let data_info = indsats_app::plans::data_info(Some(&index), &labels);
    let notes = Annotations { made_on: Some(today), data: data_info, ..Annotations::default() };
    let report = build(&plan, quarter, &figures, &notes, &labels).map_err(|e| match e {
        ReportError::OutsidePlan { period, .. } => {
            anyhow::anyhow!("{quarter} is outside the plan period {period}: choose a quarter in the period")
        }
        ReportError::NoData { .. } => anyhow::anyhow!(
            "the register data set in {} has no figures for municipality {} up to {quarter}, so the goals cannot be judged",
            data.display(),
            plan.plan.municipality.get()
        ),
    })?;
    let bytes = match format {
        ReportFormat::Html => indsats_report::html::render(&report, &labels)?.into_bytes(),
        #[cfg(feature = "pdf")]
        ReportFormat::Pdf => indsats_report::typst_source::pdf(&report, &labels, Some(today))?,
        #[cfg(not(feature = "pdf"))]
        ReportFormat::Pdf => unreachable!("refused above"),
    };
    std::fs::write(out, &bytes).with_context(|| format!("cannot write {}", out.display()))?;
    eprintln!(
        "wrote {} ({} bytes, {} goals) in {:.2} s",
        out.display(),
        bytes.len(),
        report.goals.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `indsats plan load`: stores the file as the plan's next version, unless it is unchanged.
pub async fn load(settings: &crate::config::Settings, path: &Path) -> anyhow::Result<()> {
    let (text, plan) = read(path)?;
    let store = settings.open_store().await?;
    match indsats_app::plans::load(&*store, &plan, &text, None).await? {
        indsats_store::SaveOutcome::Created(v) => println!("{}: stored as version {}", v.plan_id, v.version),
        indsats_store::SaveOutcome::Unchanged(v) => {
            println!("{}: unchanged; version {} stays in force", v.plan_id, v.version);
        }
    }
    Ok(())
}
