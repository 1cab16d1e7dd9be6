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
