//! The report as Typst markup, for the PDF. Every piece of text from the plan or the
//! application goes in as a Typst string literal, so nothing in it can be read as markup.

use std::fmt::Write as _;

use crate::document::{GoalSection, Report, comparison, version};
use crate::evaluate::Status;
use crate::labels::Labels;

/// Typst source and the chart files it refers to (`chart-<n>.svg`).
#[derive(Debug, Clone)]
pub struct Source {
    /// The main file.
    pub main: String,
    /// Files the main file reads: name and bytes.
    pub files: Vec<(String, Vec<u8>)>,
}

/// A table header cell: markup brackets around a string literal, so the text stays text.
fn head(text: &str) -> String {
    format!("[#{}]", lit(text))
}

/// A Typst string literal of `text`: only `\` and `"` need escaping inside one.
fn lit(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Fill and stroke per status; the word and symbol are always printed too, and the stroke
/// pattern differs, so black-and-white prints tell them apart.
fn badge(status: Status, labels: &Labels) -> String {
    let (fill, stroke) = match status {
        Status::Met => ("rgb(\"#e6f4e7\")", "1.2pt + rgb(\"#1a5e20\")"),
        Status::OnTrack => ("rgb(\"#e5eef9\")", "1.2pt + rgb(\"#0b4a8b\")"),
        Status::AtRisk => ("rgb(\"#fdf1dc\")", "(paint: rgb(\"#7a4300\"), thickness: 1.2pt, dash: \"dashed\")"),
        Status::NotMet => ("rgb(\"#fbe7e8\")", "2.4pt + rgb(\"#8f1d24\")"),
        Status::NoData => ("rgb(\"#f2f3f5\")", "(paint: rgb(\"#3d444d\"), thickness: 1.2pt, dash: \"dotted\")"),
    };
    format!(
        "box(fill: {fill}, stroke: {stroke}, inset: (x: 3pt, y: 2pt), radius: 2pt, strong({}))",
        lit(&format!("{} {}", status.symbol(), labels.status(status)))
    )
}

/// The report as Typst markup with its chart files, in the language of `labels` (the labels it
/// was built with).
pub fn render(report: &Report, labels: &Labels) -> Source {
    let mut s = String::new();
    let mut files = Vec::new();
    let title = labels.t_args("report-title", &[("quarter", &labels.quarter_long(report.quarter))]);
    let _ = writeln!(
        s,
        r##"#set document(title: {}, author: {})
#set page(paper: "a4", margin: (x: 2cm, y: 2cm), numbering: "1 / 1")
#set text(lang: {}, size: 10pt)
#set par(justify: false)
#set table(stroke: 0.5pt + rgb("#8c959f"), inset: 4pt)
#show table.cell.where(y: 0): set text(weight: "bold")
#show heading.where(level: 1): set text(size: 18pt)
#show heading.where(level: 2): set text(size: 14pt)
#show heading.where(level: 3): set text(size: 11pt)"##,
        lit(&title),
        lit(&report.municipality),
        lit(labels.lang())
    );
    let _ = writeln!(s, "= #{}", lit(&title));
    let version = version(report, labels);
    let mut meta = format!("{} · {} ({}) · {version}", report.municipality, report.plan_title, report.period);
    if let Some(d) = &report.made_on {
        let _ = write!(meta, " · {}", labels.t_args("report-made-on", &[("date", d)]));
    }
    let _ = writeln!(s, "#text(fill: rgb(\"#4a5560\"), {})\n", lit(&meta));
    let no_data = labels.t_args("report-quote-pdf", &[("text", &labels.status(Status::NoData))]);
    let intro = labels.t_args("report-intro", &[("quarter", &labels.quarter(report.quarter)), ("no-data", &no_data)]);
    let _ = writeln!(s, "#{}\n", lit(&intro));
    summary(&mut s, report, labels);
    for (gi, g) in report.goals.iter().enumerate() {
        goal_page(&mut s, &mut files, gi, g, labels);
    }
    Source { main: s, files }
}

/// One goal's page: status, texts, each indicator with its verdict and chart, history, strategy,
/// activities and actions.
fn goal_page(s: &mut String, files: &mut Vec<(String, Vec<u8>)>, gi: usize, g: &GoalSection, labels: &Labels) {
    let _ = writeln!(s, "#pagebreak()\n== #{}", lit(&g.goal.title));
    let kind = if g.goal.kind.as_str() == "national" { "report-goal-national" } else { "report-goal-local" };
    let mut line = labels.t(kind);
    if let Some(f) = &g.goal.focus_area {
        let _ = write!(line, " · {f}");
    }
    let _ = writeln!(s, "#{} #h(6pt) #{}\n", badge(g.status, labels), lit(&line));
    if !g.strategic_goals.is_empty() {
        let text = format!("{}: {}", labels.t("report-strategic-goals"), g.strategic_goals.join("; "));
        let _ = writeln!(s, "#{}\n", lit(&text));
    }
    if let Some(a) = &g.goal.ambition {
        let _ = writeln!(s, "#{}\n", lit(a));
    }
    if let Some(c) = &g.comment {
        let _ = writeln!(
            s,
            "=== #{}\n#block(stroke: (left: 3pt + rgb(\"#4a5560\")), inset: (left: 8pt, y: 4pt), {})\n",
            lit(&labels.t("report-comment")),
            lit(c)
        );
    }
    for (ii, i) in g.indicators.iter().enumerate() {
        let _ = writeln!(s, "=== #{}", lit(&i.indicator.title));
        let _ = writeln!(s, "#{} #h(4pt) #{}\n", badge(i.verdict.status, labels), lit(&i.explanation));
        let heads = ["report-col-value", "report-col-baseline", "report-col-target", "report-col-trend"]
            .map(|key| head(&labels.t(key)));
        let _ = writeln!(
            s,
            "#table(columns: (1fr, 1.4fr, 2fr, 2fr), {}, {}, {}, {}, {})\n",
            heads.join(", "),
            lit(&i.value),
            lit(&i.baseline),
            lit(&i.target),
            lit(&i.trend)
        );
        if let Some(text) = &i.indicator.text {
            let wording = format!("{}: {text}", labels.t("report-wording"));
            let _ = writeln!(s, "#text(size: 9pt, fill: rgb(\"#4a5560\"), {})\n", lit(&wording));
        }
        if let Some(chart) = &i.chart {
            let name = format!("chart-{gi}-{ii}.svg");
            files.push((name.clone(), chart.svg(&format!("c{gi}-{ii}")).into_bytes()));
            let _ = writeln!(s, "#image({}, width: 100%, alt: {})\n", lit(&name), lit(&chart.description()));
        }
    }
    if !g.history.is_empty() {
        let _ = writeln!(s, "=== #{}", lit(&labels.t("report-history")));
        let cols = g.history.len();
        let heads: Vec<String> = g.history.iter().map(|(q, _)| head(&labels.quarter(*q))).collect();
        let cells: Vec<String> = g.history.iter().map(|(_, st)| badge(*st, labels)).collect();
        let _ = writeln!(s, "#table(columns: {cols}, {}, {})\n", heads.join(", "), cells.join(", "));
    }
    if let Some(st) = &g.goal.strategy {
        let _ = writeln!(s, "=== #{}\n#{}\n", lit(&labels.t("report-strategy")), lit(st));
    }
    if !g.goal.activities.is_empty() {
        let items: Vec<String> = g.goal.activities.iter().map(|a| lit(a)).collect();
        let _ = writeln!(s, "=== #{}\n#enum({})\n", lit(&labels.t("report-activities")), items.join(", "));
    }
    if !g.actions.is_empty() {
        let _ = writeln!(s, "=== #{}", lit(&labels.t("report-action-plans")));
        let mut cells: Vec<String> =
            ["report-col-action-plan", "report-col-action", "report-col-owner", "report-col-due", "report-col-status"]
                .map(|key| head(&labels.t(key)))
                .to_vec();
        for a in &g.actions {
            cells.push(lit(&a.plan));
            cells.push(lit(&a.title));
            cells.push(lit(a.owner.as_deref().unwrap_or("–")));
            cells.push(lit(a.due.as_deref().unwrap_or("–")));
            cells.push(lit(&labels.action_status(a.status)));
        }
        let _ = writeln!(s, "#table(columns: (1.3fr, 2fr, 1fr, 0.9fr, 0.9fr), {})\n", cells.join(", "));
    }
}

fn summary(s: &mut String, report: &Report, labels: &Labels) {
    let _ = writeln!(s, "== #{}", lit(&labels.t("report-summary")));
    let mut cells: Vec<String> = [
        "report-col-goal",
        "report-col-indicator",
        "report-col-status",
        "report-col-value",
        "report-col-baseline",
        "report-col-target",
    ]
    .map(|key| head(&labels.t(key)))
    .to_vec();
    for g in &report.goals {
        let goal_cell = format!("[#{} \\ #{}]", lit(&g.goal.title), badge(g.status, labels));
        if g.indicators.is_empty() {
            let none = lit(&labels.t("report-no-indicator"));
            cells.extend([goal_cell, none, badge(g.status, labels), lit("–"), lit("–"), lit("–")]);
            continue;
        }
        for (k, i) in g.indicators.iter().enumerate() {
            if k == 0 {
                cells.push(format!("table.cell(rowspan: {}, {goal_cell})", g.indicators.len()));
            }
            cells.extend([
                lit(&i.indicator.title),
                badge(i.verdict.status, labels),
                lit(&i.value),
                lit(&i.baseline),
                lit(&i.target),
            ]);
        }
    }
    let _ = writeln!(
        s,
        "#table(columns: (2.2fr, 2fr, 1.3fr, 0.9fr, 1.1fr, 1.5fr), table.header({}), {})\n",
        cells[..6].join(", "),
        cells[6..].join(", ")
    );
    let _ = writeln!(s, "#text(size: 9pt, {})\n", lit(&comparison(report, labels)));
}

/// The report as a PDF, made in-process by the embedded Typst compiler, in the language of
/// `labels` (the labels it was built with).
#[cfg(feature = "pdf")]
pub fn pdf(
    report: &Report,
    labels: &Labels,
    made_on: Option<chrono::NaiveDate>,
) -> Result<Vec<u8>, crate::pdf::PdfError> {
    let source = render(report, labels);
    let files: Vec<(&str, &[u8])> = source.files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    crate::pdf::render(&source.main, &files, crate::pdf::RenderOptions { date: made_on }).map(|r| r.pdf)
}

#[cfg(test)]
mod tests {
    use super::lit;

    #[test]
    fn text_cannot_break_out_of_its_string() {
        assert_eq!(lit(r#"a "b" \c #d [e] $f$"#), r#""a \"b\" \\c #d [e] $f$""#);
        assert_eq!(lit("to\nlinjer"), r#""to\nlinjer""#);
    }
}
