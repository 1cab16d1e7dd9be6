//! The report as one self-contained HTML file: styles and charts inline, nothing fetched.

use std::collections::HashMap;

use askama::Template;

use crate::document::{Report, comparison, version};
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
}

/// Renders the report as HTML, in the language of `labels` (the labels it was built with).
pub fn render(report: &Report, labels: &Labels) -> Result<String, askama::Error> {
    let statuses = [Status::Met, Status::OnTrack, Status::AtRisk, Status::NotMet, Status::NoData]
        .map(|s| (s.as_str(), s.symbol(), labels.status(s)))
        .to_vec();
    let charts = report
        .goals
        .iter()
        .flat_map(|g| &g.indicators)
        .filter_map(|i| {
            i.chart.as_ref().map(|c| (i.indicator.id.as_str(), c.svg(&format!("chart-{}", i.indicator.id))))
        })
        .collect();
    let quarter = labels.quarter(report.quarter);
    let no_data = labels.t_args("report-quote-html", &[("text", &labels.status(Status::NoData))]);
    Page {
        r: report,
        l: labels,
        title: labels.t_args("report-title", &[("quarter", &quarter)]),
        heading: labels.t_args("report-title", &[("quarter", &labels.quarter_long(report.quarter))]),
        version: version(report, labels),
        made_on: report.made_on.as_ref().map(|d| labels.t_args("report-made-on", &[("date", d)])),
        intro: labels.t_args("report-intro", &[("quarter", &quarter), ("no-data", &no_data)]),
        caption: labels.t_args("report-summary-caption", &[("quarter", &quarter)]),
        comparison: comparison(report, labels),
        statuses,
        charts,
    }
    .render()
}
