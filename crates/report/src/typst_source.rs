//! The report as Typst markup, for the PDF. Every piece of text from the plan or the
//! application goes in as a Typst string literal, so nothing in it can be read as markup.

use std::fmt::Write as _;

use crate::document::{GoalSection, Report, comparison, data_line, intro, version};
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
pub(crate) fn lit(text: &str) -> String {
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
fn look(status: Status) -> (&'static str, &'static str) {
    match status {
        Status::Met => ("rgb(\"#e6f4e7\")", "1.2pt + rgb(\"#1a5e20\")"),
        Status::OnTrack => ("rgb(\"#e5eef9\")", "1.2pt + rgb(\"#0b4a8b\")"),
        Status::AtRisk => ("rgb(\"#fdf1dc\")", "(paint: rgb(\"#7a4300\"), thickness: 1.2pt, dash: \"dashed\")"),
        Status::NotMet => ("rgb(\"#fbe7e8\")", "2.4pt + rgb(\"#8f1d24\")"),
        Status::NoFigures => ("rgb(\"#f2f3f5\")", "(paint: rgb(\"#3d444d\"), thickness: 1.2pt, dash: \"dotted\")"),
        Status::NotMeasured => ("white", "(paint: rgb(\"#3d444d\"), thickness: 0.8pt, dash: \"dotted\")"),
    }
}

/// A status badge in running text: one unbreakable box.
fn badge(status: Status, labels: &Labels) -> String {
    let (fill, stroke) = look(status);
    format!(
        "box(fill: {fill}, stroke: {stroke}, inset: (x: 3pt, y: 2pt), outset: (y: 1pt), radius: 2pt, strong({}))",
        lit(&format!("{} {}", status.symbol(), labels.status(status)))
    )
}

/// A status badge in a table cell: a block as wide as the cell, so a long status word wraps
/// inside it instead of running into the next column.
fn cell_badge(status: Status, labels: &Labels) -> String {
    let (fill, stroke) = look(status);
    format!(
        "block(fill: {fill}, stroke: {stroke}, inset: (x: 3pt, y: 2pt), radius: 2pt, strong({}))",
        lit(&format!("{} {}", status.symbol(), labels.status(status)))
    )
}

/// A goal's badge followed by how many indicators it rests on, when not all.
fn goal_badge(g: &GoalSection, labels: &Labels, in_cell: bool) -> String {
    let badge = if in_cell { cell_badge(g.status, labels) } else { badge(g.status, labels) };
    match judged_note(g, labels) {
        Some(note) => format!("({badge} + h(3pt) + text(size: 8.5pt, {}))", lit(&note)),
        None => badge,
    }
}

/// "2 af 4 indikatorer målt", when a figure judged some but not all of a goal's indicators.
fn judged_note(g: &GoalSection, labels: &Labels) -> Option<String> {
    (g.status.is_judged() && g.judged < g.indicators.len()).then(|| {
        labels.t_args(
            "report-judged-of",
            &[("judged", &g.judged.to_string()), ("total", &g.indicators.len().to_string())],
        )
    })
}

/// The report as Typst markup with its chart files, in the language of `labels` (the labels it
/// was built with).
pub fn render(report: &Report, labels: &Labels) -> Source {
    let mut s = String::new();
    let mut files = Vec::new();
    let title = labels.t_args("report-title", &[("quarter", &labels.quarter_long(report.quarter))]);
    // Invented figures are marked at the top of every page, where no reader can miss it.
    let header = if report.synthetic() {
        format!(
            "align(center, block(width: 100%, fill: rgb(\"#fdf1dc\"), stroke: 1pt + rgb(\"#7a4300\"), inset: 4pt, text(size: 9pt, weight: \"bold\", fill: rgb(\"#5c3200\"), {})))",
            lit(&labels.t("report-synthetic"))
        )
    } else {
        "none".to_owned()
    };
    let _ = writeln!(
        s,
        r##"#set document(title: {}, author: {})
#set page(paper: "a4", margin: (x: 2cm, top: 2.5cm, bottom: 2cm), numbering: "1 / 1", header: {header}, header-ascent: 20%)
#set text(lang: {}, size: 10pt)
#set par(justify: false)
#set table(stroke: 0.5pt + rgb("#8c959f"), inset: 4pt)
#show table: set text(size: 9pt, hyphenate: true)
#show table.cell.where(y: 0): set text(weight: "bold")
#show heading.where(level: 1): set text(size: 18pt)
#show heading.where(level: 2): set text(size: 14pt)
#show heading.where(level: 2): set block(above: 1.6em)
#show heading.where(level: 3): set text(size: 11pt)"##,
        lit(&title),
        lit(&report.municipality),
        lit(labels.lang())
    );
    let _ = writeln!(s, "#text(weight: \"bold\", {})\n", lit(&report.sender));
    if let Some(m) = &report.meeting {
        let _ = writeln!(s, "#{}\n", lit(m));
    }
    let _ = writeln!(s, "= #{}", lit(&title));
    let version = version(report, labels);
    let mut meta = format!("{} ({}) · {version}", report.plan_title, report.period);
    if let Some(d) = &report.made_on {
        let _ = write!(meta, " · {}", labels.t_args("report-made-on", &[("date", d)]));
    }
    let _ = writeln!(s, "#text(fill: rgb(\"#4a5560\"), {})\n", lit(&meta));
    summary(&mut s, report, labels);
    for (gi, g) in report.goals.iter().enumerate().filter(|(_, g)| !g.indicators.is_empty()) {
        goal_section(&mut s, &mut files, gi, g, labels);
    }
    unmeasured(&mut s, report, labels);
    appendix(&mut s, report, labels);
    Source { main: s, files }
}

/// One goal with indicators: status, texts, each indicator with its verdict and chart,
/// history, strategy, activities and actions. Flows on from the section before.
fn goal_section(s: &mut String, files: &mut Vec<(String, Vec<u8>)>, gi: usize, g: &GoalSection, labels: &Labels) {
    let _ = writeln!(s, "== #{}", lit(&g.goal.title));
    let kind = if g.goal.kind.as_str() == "national" { "report-goal-national" } else { "report-goal-local" };
    let mut line = labels.t(kind);
    if let Some(f) = &g.goal.focus_area {
        let _ = write!(line, " · {f}");
    }
    // Sticky: the heading and this line go with what follows to the next page.
    let _ = writeln!(s, "#block(sticky: true)[#{} #h(6pt) #{}]\n", goal_badge(g, labels, false), lit(&line));
    if !g.strategic_goals.is_empty() {
        let text = format!("{}: {}", labels.t("report-strategic-goals"), g.strategic_goals.join("; "));
        let _ = writeln!(s, "#{}\n", lit(&text));
    }
    if let Some(a) = &g.goal.ambition {
        let _ = writeln!(s, "#{}\n", lit(a));
    }
    comment(s, g, labels);
    for (ii, i) in g.indicators.iter().enumerate() {
        // The heading, the verdict, its figures and the chart stay on one page.
        let mut block = String::new();
        let _ = writeln!(block, "=== #{}", lit(&i.indicator.title));
        let _ = writeln!(block, "#{} #h(4pt) #{}\n", badge(i.verdict.status, labels), lit(&i.explanation));
        let heads = [
            head(&i.value_heading),
            head(&labels.t("report-col-baseline")),
            head(&labels.t("report-col-target")),
            head(&labels.t("report-col-trend")),
        ];
        let _ = writeln!(
            block,
            "#table(columns: (1.3fr, 1.3fr, 2fr, 1.6fr), {}, {}, {}, {}, {})\n",
            heads.join(", "),
            lit(&i.value),
            lit(&i.baseline),
            lit(&i.target),
            lit(&i.trend)
        );
        if let Some(chart) = &i.chart {
            let name = format!("chart-{gi}-{ii}.svg");
            files.push((name.clone(), chart.svg(&format!("c{gi}-{ii}")).into_bytes()));
            let _ = writeln!(block, "#image({}, width: 80%, alt: {})\n", lit(&name), lit(&chart.description()));
            chart_table(&mut block, chart, labels);
        }
        let _ = writeln!(s, "#block(breakable: false, width: 100%)[\n{block}]\n");
        if let Some(text) = &i.indicator.text {
            let wording = format!("{}: {text}", labels.t("report-wording"));
            let _ = writeln!(s, "#text(size: 9pt, fill: rgb(\"#4a5560\"), {})\n", lit(&wording));
        }
    }
    if !g.history.is_empty() {
        let mut block = String::new();
        let _ = writeln!(block, "=== #{}", lit(&labels.t("report-history")));
        let cols = g.history.len();
        let heads: Vec<String> = g.history.iter().map(|(q, _)| head(&labels.quarter(*q))).collect();
        let cells: Vec<String> = g.history.iter().map(|(_, st)| cell_badge(*st, labels)).collect();
        let _ = writeln!(block, "#table(columns: {cols}, {}, {})\n", heads.join(", "), cells.join(", "));
        let _ = writeln!(s, "#block(breakable: false, width: 100%)[\n{block}]\n");
    }
    details(s, g, labels);
}

/// The figures of a chart in a small table under it, for print and for screen readers.
fn chart_table(s: &mut String, chart: &crate::chart::Chart, labels: &Labels) {
    let (periods, rows) = chart.table();
    let mut cells = vec![head("")];
    cells.extend(periods.iter().map(|p| head(p)));
    for (label, values) in &rows {
        cells.push(lit(label));
        cells.extend(values.iter().map(|v| lit(v)));
    }
    let columns =
        std::iter::once("2.6cm".to_owned()).chain(periods.iter().map(|_| "1fr".to_owned())).collect::<Vec<_>>();
    let _ = writeln!(
        s,
        "#block(width: 100%)[#set text(size: 7pt)\n#table(columns: ({},), inset: 1.5pt, align: (x, y) => if x == 0 {{ left }} else {{ right }}, table.header({}), {})\n#text(size: 7pt, fill: rgb(\"#4a5560\"), {})]\n",
        columns.join(", "),
        cells[..=periods.len()].join(", "),
        cells[periods.len() + 1..].join(", "),
        lit(&labels.t("report-chart-table"))
    );
}

/// The manager's comment with who wrote it and when.
fn comment(s: &mut String, g: &GoalSection, labels: &Labels) {
    if let Some(c) = &g.comment {
        let byline = g
            .comment_byline(labels)
            .map(|b| format!(" + parbreak() + text(size: 8.5pt, fill: rgb(\"#4a5560\"), {})", lit(&b)))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "=== #{}\n#block(stroke: (left: 3pt + rgb(\"#4a5560\")), inset: (left: 8pt, y: 4pt), {}{byline})\n",
            lit(&labels.t("report-comment")),
            lit(&c.text)
        );
    }
}

/// Strategy, activities and actions.
fn details(s: &mut String, g: &GoalSection, labels: &Labels) {
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
        let _ = writeln!(
            s,
            "#table(columns: (1.3fr, 2fr, 1fr, 0.9fr, 0.9fr), table.header({}), {})\n",
            cells[..5].join(", "),
            cells[5..].join(", ")
        );
    }
}

/// The goals without an indicator, together in one short section.
fn unmeasured(s: &mut String, report: &Report, labels: &Labels) {
    let goals: Vec<&GoalSection> = report.unmeasured_goals().collect();
    if goals.is_empty() {
        return;
    }
    let _ = writeln!(s, "== #{}", lit(&labels.t("report-unmeasured")));
    // Sticky: the heading and this sentence stay with the table's first rows.
    let _ = writeln!(s, "#block(sticky: true, {})\n", lit(&labels.t("report-unmeasured-intro")));
    let mut cells: Vec<String> = ["report-col-goal", "report-col-kind", "report-strategic-goals", "report-col-status"]
        .map(|key| head(&labels.t(key)))
        .to_vec();
    for g in &goals {
        let kind = if g.goal.kind.as_str() == "national" { "report-goal-national" } else { "report-goal-local" };
        cells.extend([
            lit(&g.goal.title),
            lit(&labels.t(kind)),
            lit(&g.strategic_goals.join("; ")),
            cell_badge(g.status, labels),
        ]);
    }
    let _ = writeln!(
        s,
        "#table(columns: (2.6fr, 1.3fr, 2fr, 1.2fr), table.header({}), {})\n",
        cells[..4].join(", "),
        cells[4..].join(", ")
    );
    for g in goals {
        if g.comment.is_some() || g.goal.strategy.is_some() || !g.goal.activities.is_empty() || !g.actions.is_empty() {
            let _ = writeln!(s, "=== #{}", lit(&g.goal.title));
            comment(s, g, labels);
            details(s, g, labels);
        }
    }
}

/// The definitions of the indicators used and the data's version and last week.
fn appendix(s: &mut String, report: &Report, labels: &Labels) {
    let _ = writeln!(s, "== #{}", lit(&labels.t("report-appendix")));
    if let Some(line) = data_line(report, labels) {
        let _ = writeln!(s, "#{}\n", lit(&line));
    }
    if !report.definitions.is_empty() {
        let mut cells: Vec<String> = ["report-col-indicator", "report-col-measure", "report-col-definition"]
            .map(|key| head(&labels.t(key)))
            .to_vec();
        for d in &report.definitions {
            // File names are long words without hyphenation points: they may break after . _ ,
            let breakable: String = d
                .measure
                .chars()
                .flat_map(|c| std::iter::once(c).chain(matches!(c, '.' | '_' | ',').then_some('\u{200B}')))
                .collect();
            cells.extend([lit(&d.indicators.join("; ")), lit(&breakable), lit(&d.text)]);
        }
        let _ = writeln!(
            s,
            "#[#show table: set text(size: 8pt, hyphenate: true)\n#table(columns: (1.6fr, 1.4fr, 3fr), table.header({}), {})]\n",
            cells[..3].join(", "),
            cells[3..].join(", ")
        );
    }
}

fn summary(s: &mut String, report: &Report, labels: &Labels) {
    let _ = writeln!(s, "== #{}", lit(&labels.t("report-summary")));
    let _ = writeln!(s, "#{}\n", lit(&report.summary));
    if !report.measurable {
        return;
    }
    let _ = writeln!(s, "#text(size: 9pt, {})\n", lit(&intro(report, labels, "report-quote-pdf")));
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
        let goal_cell = format!("[#{} #{}]", lit(&g.goal.title), goal_badge(g, labels, true));
        if g.indicators.is_empty() {
            let none = lit(&labels.t("report-no-indicator"));
            cells.extend([goal_cell, none, cell_badge(g.status, labels), lit("–"), lit("–"), lit("–")]);
            continue;
        }
        for (k, i) in g.indicators.iter().enumerate() {
            if k == 0 {
                cells.push(format!("table.cell(rowspan: {}, {goal_cell})", g.indicators.len()));
            }
            let value = if i.value_basis.is_empty() {
                lit(&i.value)
            } else {
                format!(
                    "[#{} #linebreak() #text(size: 7.5pt, fill: rgb(\"#4a5560\"), {})]",
                    lit(&i.value),
                    lit(&i.value_basis)
                )
            };
            cells.extend([
                lit(&i.indicator.title),
                cell_badge(i.verdict.status, labels),
                value,
                lit(&i.baseline),
                lit(&i.target),
            ]);
        }
    }
    let _ = writeln!(
        s,
        "#table(columns: (2.2fr, 2fr, 1.4fr, 1.1fr, 1.1fr, 1.5fr), table.header({}), {})\n",
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
