//! The report as one self-contained HTML file: styles and charts inline, nothing fetched.

use std::collections::HashMap;

use askama::Template;

use crate::document::{GoalSection, Report, comparison, data_line, intro, version};
use crate::evaluate::Status;
use crate::labels::Labels;

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    r: &'a Report,
    l: &'a Labels,
    /// "Målopfyldelse 2022K4", for the window title.
    title: String,
    /// "Målopfyldelse 4. kvartal 2022", for the heading.
    heading: String,
    /// The plan version judged, or that it is the plan file.
    version: String,
    made_on: Option<String>,
    intro: String,
    caption: String,
    comparison: String,
    statuses: Vec<(&'static str, &'static str, String)>,
    charts: HashMap<&'a str, String>,
    /// The goals with indicators, one section each.
    measured: Vec<&'a GoalSection>,
    /// The goals without, listed together.
    unmeasured: Vec<&'a GoalSection>,
    /// The demo warning, when the figures are invented.
    synthetic: Option<String>,
    /// The data's version and last week, for the appendix.
    data_line: Option<String>,
}

/// Renders the report as HTML, in the language of `labels` (the labels it was built with).
pub fn render(report: &Report, labels: &Labels) -> Result<String, askama::Error> {
    let statuses = Status::ALL.map(|s| (s.as_str(), s.symbol(), labels.status(s))).to_vec();
    let charts = report
        .goals
        .iter()
        .flat_map(|g| &g.indicators)
        .filter_map(|i| {
            i.chart.as_ref().map(|c| (i.indicator.id.as_str(), c.svg(&format!("chart-{}", i.indicator.id))))
        })
        .collect();
    let quarter = labels.quarter(report.quarter);
    Page {
        r: report,
        l: labels,
        title: labels.t_args("report-title", &[("quarter", &quarter)]),
        heading: labels.t_args("report-title", &[("quarter", &labels.quarter_long(report.quarter))]),
        version: version(report, labels),
        made_on: report.made_on.as_ref().map(|d| labels.t_args("report-made-on", &[("date", d)])),
        intro: intro(report, labels, "report-quote-html"),
        caption: labels.t_args("report-summary-caption", &[("quarter", &quarter)]),
        comparison: comparison(report, labels),
        statuses,
        charts,
        measured: report.measured_goals().collect(),
        unmeasured: report.unmeasured_goals().collect(),
        synthetic: report.synthetic().then(|| labels.t("report-synthetic")),
        data_line: data_line(report, labels),
    }
    .render()
}
