//! The report's charts and Danish text come out of the in-process Typst compiler as PDF
//! pages that poppler (pdftoppm, pdftotext) reads back. Needs poppler-utils, so the test is
//! `#[ignore]`d: `cargo test` on a machine with only the Rust toolchain reports it ignored,
//! and `.ci/run` installs poppler-utils and runs it with `--ignored`. The Typst world itself
//! (same bytes, dates, errors naming the line) is tested in `crates/pdf/tests/render.rs`.

#![cfg(feature = "pdf")]
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

use std::path::Path;
use std::process::{Command, Output};

use indsats_domain::format::Numbers;
use indsats_report::chart::{Chart, Line, LineStyle};
use indsats_report::pdf::{self, RenderOptions};

const HEADING: &str = "Målopfyldelse 2022Q4 — Beskæftigelsesplan";

fn chart_svg(id: &str) -> String {
    let quarters = ["2022K1", "2022K2", "2022K3", "2022K4"];
    Chart {
        title: "Andel på offentlig forsørgelse".into(),
        x_labels: quarters.iter().map(|q| (*q).to_owned()).collect(),
        lines: vec![
            Line {
                label: "Rødovre".into(),
                values: vec![Some(17.2), Some(16.8), None, Some(15.9)],
                style: LineStyle::Primary,
            },
            Line {
                label: "Hele landet".into(),
                values: vec![Some(16.1), Some(16.0), Some(15.8), Some(15.7)],
                style: LineStyle::Comparison,
            },
        ],
        percent: true,
        decimals: 1,
        numbers: Numbers::DANISH,
    }
    .svg(id)
}

/// Two pages: a heading, a table and a chart, then a page break and a closing section.
fn report_source() -> String {
    format!(
        r#"#set document(title: "Målopfyldelse 2022Q4")
#set text(lang: "da")
#set page(paper: "a4", numbering: "1")

= {HEADING}

Ydelsesmodtagere i Rødovre Kommune, fjerde kvartal 2022.

#table(
  columns: 3,
  table.header([*Mål*], [*Værdi*], [*Opfyldt*]),
  [Færre på offentlig forsørgelse], [15,9 %], [Ja],
  [Flere unge i uddannelse], [82,0 %], [Nej],
)

#figure(image("chart-1.svg", width: 100%), caption: [Andel på offentlig forsørgelse])

#pagebreak()

== Bilag

Tallene er opgjort for hele kvartalet; æ, ø og å gengives.
"#
    )
}

/// Runs a poppler tool, failing with a clear message when poppler-utils is missing.
fn poppler(tool: &str, args: &[&str]) -> Output {
    let output = Command::new(tool).args(args).output().unwrap_or_else(|error| {
        panic!(
            "could not run `{tool}` ({error}): these tests read the PDF back with poppler-utils; \
             install it with `apt-get install -y poppler-utils`"
        )
    });
    assert!(output.status.success(), "`{tool} {}` failed: {}", args.join(" "), String::from_utf8_lossy(&output.stderr));
    output
}

fn pngs_in(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|entry| entry.as_ref().unwrap().path().extension().is_some_and(|ext| ext == "png"))
        .count()
}

#[test]
#[ignore = "needs poppler-utils (pdftoppm, pdftotext); .ci/run installs it and runs them"]
fn a_danish_report_with_a_table_and_a_chart_becomes_two_pdf_pages() {
    let svg = chart_svg("c1");
    let rendered = pdf::render(&report_source(), &[("chart-1.svg", svg.as_bytes())], RenderOptions::default()).unwrap();
    assert!(rendered.pdf.starts_with(b"%PDF"), "{:?}", &rendered.pdf[..16]);
    assert_eq!(rendered.pages, 2);
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rapport.pdf");
    std::fs::write(&file, &rendered.pdf).unwrap();
    let file = file.to_str().unwrap();

    let prefix = dir.path().join("side");
    poppler("pdftoppm", &["-png", "-r", "50", file, prefix.to_str().unwrap()]);
    assert_eq!(pngs_in(dir.path()), 2, "pdftoppm should make one PNG per page");

    let text = String::from_utf8(poppler("pdftotext", &["-enc", "UTF-8", file, "-"]).stdout).unwrap();
    assert!(text.contains(HEADING), "heading missing from the PDF's text:\n{text}");
    for words in ["Færre på offentlig forsørgelse", "Værdi", "æ, ø og å gengives", "Bilag"] {
        assert!(text.contains(words), "{words:?} missing from the PDF's text:\n{text}");
    }
    // The chart's SVG text (tick labels, periods) is drawn with the embedded fonts.
    assert!(text.contains("2022K4"), "chart labels missing from the PDF's text:\n{text}");
}

/// Figures that move a little each quarter: 12,4 % falling towards the 12,6 % baseline's
/// other side, the country a few points above.
struct Moving;

impl indsats_report::document::Figures for Moving {
    fn series(
        &self,
        municipality: u16,
        _measure: indsats_domain::plan::Measure,
        category: indsats_domain::indicator::Category,
    ) -> indsats_report::evaluate::Series {
        use indsats_domain::{Period, Quarter};
        use indsats_report::evaluate::{Observation, Series};
        let base =
            if municipality == 0 { 15.0 } else { 12.9 } - if category.to_string() == "20-29" { 5.0 } else { 0.0 };
        let quarters = std::iter::successors("2020Q1".parse::<Quarter>().ok(), |q| q.next())
            .take(12)
            .enumerate()
            .map(|(i, q)| Observation {
                period: Period::Quarter(q),
                value: Some(base - 0.05 * f64::from(u8::try_from(i).unwrap())),
            })
            .collect();
        Series { quarters, years: vec![Observation { period: Period::Year(2022), value: Some(base - 0.5) }] }
    }

    fn similar(&self, _municipality: u16, _n: usize) -> Vec<u16> {
        vec![157, 161]
    }

    fn name(&self, municipality: u16) -> String {
        if municipality == 159 { "Gladsaxe".into() } else { format!("Kommune {municipality}") }
    }
}

const COMMITTEE_PLAN: &str = r#"format = 1
[policy]
title = "Strategi"
vision = "Vision"
[[policy.strategic_goals]]
id = "lige"
title = "Lige muligheder"
[plan]
id = "udvalg-2022"
municipality = 159
title = "Beskæftigelsesplan 2022"
from = "2022Q1"
to = "2022Q4"
[[goals]]
id = "forsoergelse"
kind = "local"
title = "Færre på offentlig forsørgelse"
[[goals.indicators]]
id = "off"
title = "Andelen på offentlig forsørgelse"
measure = "andel.offentlig_forsoergelse"
baseline = { period = "2021", value = 12.6 }
target = { rule = "below_baseline" }
[[goals.indicators]]
id = "unge"
title = "Unge 20-29 år på offentlig forsørgelse"
measure = "andel.offentlig_forsoergelse"
category = "20-29"
target = { rule = "below", value = 8.0 }
[[goals.indicators]]
id = "tilf"
title = "Virksomhedernes tilfredshed"
measure = "virksomheder.tilfredshed"
target = { rule = "at_least", value = 77.0 }
[[goals]]
id = "vaerdig"
kind = "national"
title = "Alle ledige skal have en værdig sagsbehandling"
[[goals]]
id = "opkvalificering"
kind = "national"
title = "Flere ledige skal opkvalificeres"
"#;

#[test]
#[ignore = "needs poppler-utils (pdftoppm, pdftotext); .ci/run installs it and runs them"]
fn a_committee_report_on_demo_data_marks_every_page_and_wastes_none() {
    use indsats_report::document::{Annotations, DataInfo, Meeting, build};
    let locale = indsats_i18n::Locale::Da;
    let labels = indsats_report::labels::Labels::new(locale.tag(), move |key, args| locale.t_args(key, args));
    let plan = indsats_domain::plan::parse(COMMITTEE_PLAN).unwrap();
    let notes = Annotations {
        meeting: Some(Meeting {
            committee: "Beskæftigelsesudvalget".into(),
            date: chrono::NaiveDate::from_ymd_opt(2023, 2, 14).unwrap(),
        }),
        data: Some(DataInfo { version: "v1-demo".into(), last_week: "uge 52 2022".into(), synthetic: true }),
        ..Annotations::default()
    };
    let report = build(&plan, "2022Q4".parse().unwrap(), &Moving, &notes, &labels).unwrap();
    let pdf = indsats_report::typst_source::pdf(&report, &labels, None).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rapport.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let file = file.to_str().unwrap();
    let text = String::from_utf8(poppler("pdftotext", &["-enc", "UTF-8", file, "-"]).stdout).unwrap();
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert!((2..=3).contains(&pages.len()), "two goals with charts and a short rest: {} pages", pages.len());
    for (n, page) in pages.iter().enumerate() {
        assert!(page.contains("Demodata: alle tal i denne rapport er opdigtede"), "page {} not marked: {page}", n + 1);
        let letters = page.chars().filter(|c| c.is_alphanumeric()).count();
        assert!(n + 1 == pages.len() || letters > 800, "page {} is near-empty: {page}", n + 1);
    }
    let first = pages[0].split_whitespace().collect::<Vec<_>>().join(" ");
    for words in ["Gladsaxe Kommune", "Til Beskæftigelsesudvalget, mødet 14.02.2023", "Planen har 3 mål."] {
        assert!(first.contains(words), "{words:?} not on the first page: {first}");
    }
    // Words hyphenated at a line end come back whole.
    let all = text.replace("\u{ad}\n", "").split_whitespace().collect::<Vec<_>>().join(" ");
    for words in ["Ikke målt", "2 af 3 indikatorer målt", "Værdi (2022, hele året)", "Mål uden indikator", "v1-demo"]
    {
        assert!(all.contains(words), "{words:?} missing: {all}");
    }
    // The goals without an indicator have no section of their own: their titles appear in the
    // overview and in the one short section, nowhere else.
    assert_eq!(all.matches("Flere ledige skal opkvalificeres").count(), 2, "{all}");
}
