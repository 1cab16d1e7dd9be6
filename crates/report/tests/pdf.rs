//! Typst to PDF in-process: Danish text, tables and SVG charts come out as PDF pages that
//! poppler (pdftoppm, pdftotext) reads back; the bytes depend on the input alone; errors
//! name the line. Needs poppler-utils installed (`apt-get install -y poppler-utils`).

#![cfg(feature = "pdf")]
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

use std::path::Path;
use std::process::{Command, Output};

use chrono::NaiveDate;
use indsats_domain::format::Numbers;
use indsats_report::chart::{Chart, Line, LineStyle};
use indsats_report::pdf::{self, DiagnosticSeverity, PdfError, RenderOptions};

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

#[test]
fn the_same_input_gives_the_same_bytes() {
    let svg = chart_svg("c1");
    let files = [("chart-1.svg", svg.as_bytes())];
    let first = pdf::render_pdf(&report_source(), &files).unwrap();
    let second = pdf::render_pdf(&report_source(), &files).unwrap();
    assert!(first == second, "two renders of the same input differ");
    // No wall-clock timestamp is written unless a date is passed in.
    assert!(!contains(&first, b"CreationDate"), "an undated render wrote a creation date");

    let options = RenderOptions { date: NaiveDate::from_ymd_opt(2023, 1, 15) };
    let dated = pdf::render(&report_source(), &files, options).unwrap().pdf;
    assert!(dated == pdf::render(&report_source(), &files, options).unwrap().pdf);
    assert!(contains(&dated, b"/CreationDate(D:20230115"), "the given date is the creation date");
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

#[test]
fn today_is_the_date_passed_in_and_an_error_without_one() {
    let source = "Udskrevet #datetime.today().display(\"[day].[month].[year]\")";
    let options = RenderOptions { date: NaiveDate::from_ymd_opt(2023, 1, 15) };
    let rendered = pdf::render(source, &[], options).unwrap();
    assert_eq!(rendered.pages, 1);

    let error = pdf::render_pdf(source, &[]).unwrap_err();
    assert!(error.to_string().contains("main.typ:1:"), "{error}");
    assert!(error.to_string().contains("current date"), "{error}");
}

#[test]
fn a_malformed_source_names_the_line() {
    let source = "= Målopfyldelse\n\nTabellen:\n#table(columns: 2, [Mål], [Værdi]\n";
    let error = pdf::render_pdf(source, &[]).unwrap_err();
    let PdfError::Compile(diagnostics) = &error else { panic!("expected a compile error, got {error:?}") };
    let first = &diagnostics[0];
    assert_eq!(first.severity, DiagnosticSeverity::Error);
    assert_eq!(first.file.as_deref(), Some("main.typ"));
    assert_eq!(first.line, Some(4), "{error}");
    let message = error.to_string();
    assert!(message.contains("main.typ:4:7: error: unclosed delimiter"), "{message}");

    let error = pdf::render_pdf("Hej\n#let x = \n#undefined-function()\n", &[]).unwrap_err();
    assert!(error.diagnostics().iter().all(|d| d.line.is_some()), "{error}");
}

#[test]
fn missing_files_packages_and_bad_paths_are_reported() {
    let error = pdf::render_pdf("Figur:\n#image(\"chart-9.svg\")", &[]).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("main.typ:2:") && message.contains("chart-9.svg"), "{message}");

    let error = pdf::render_pdf("#import \"@preview/cetz:0.3.0\": canvas\n", &[]).unwrap_err();
    assert!(error.to_string().contains("not available"), "{error}");

    for path in ["../chart.svg", "main.typ", "a\\b.svg"] {
        let error = pdf::render_pdf("x", &[(path, b"")]).unwrap_err();
        assert!(matches!(error, PdfError::InvalidPath { .. }), "{path}: {error:?}");
    }
}

#[test]
fn virtual_typst_files_can_be_included() {
    let part = "== Bilag\nØkonomi og årsværk.".as_bytes();
    let svg = chart_svg("c2");
    let source = "= Rapport\n#include \"dele/bilag.typ\"\n#image(\"diagrammer/chart-2.svg\", width: 8cm)";
    let rendered = pdf::render(
        source,
        &[("dele/bilag.typ", part), ("diagrammer/chart-2.svg", svg.as_bytes())],
        RenderOptions::default(),
    )
    .unwrap();
    assert_eq!(rendered.pages, 1);
}
