//! The sealed Typst world: the bytes depend on the input alone, `datetime.today()` is the
//! date passed in, errors name the file and line, and nothing outside the handed-over
//! files is reachable. (Reading the pages back with poppler is `indsats-report`'s
//! `tests/pdf.rs`.)

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

use chrono::NaiveDate;
use indsats_pdf::{DiagnosticSeverity, PdfError, RenderOptions, render, render_pdf};

/// A chart-like SVG with text, so the embedded fonts are used for SVG text too.
const CHART: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="320" height="160" viewBox="0 0 320 160">
  <polyline points="20,120 120,90 220,100 300,40" fill="none" stroke="#1f5f8b" stroke-width="2"/>
  <text x="20" y="150" font-family="sans-serif" font-size="10">2022K1</text>
  <text x="260" y="150" font-family="sans-serif" font-size="10">2022K4</text>
</svg>"##;

const SOURCE: &str = r#"#set document(title: "Målopfyldelse 2022Q4")
#set text(lang: "da")
#set page(paper: "a4", numbering: "1")

= Målopfyldelse 2022Q4

#table(
  columns: 2,
  table.header([*Mål*], [*Værdi*]),
  [Færre på offentlig forsørgelse], [15,9 %],
)

#figure(image("chart-1.svg", width: 100%), caption: [Andel på offentlig forsørgelse])

#pagebreak()

== Bilag

Tallene er opgjort for hele kvartalet; æ, ø og å gengives.
"#;

#[test]
fn a_source_with_a_table_a_chart_and_a_page_break_gives_two_clean_pages() {
    let rendered = render(SOURCE, &[("chart-1.svg", CHART.as_bytes())], RenderOptions::default()).unwrap();
    assert!(rendered.pdf.starts_with(b"%PDF"), "{:?}", &rendered.pdf[..16]);
    assert_eq!(rendered.pages, 2);
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let files = [("chart-1.svg", CHART.as_bytes())];
    let first = render_pdf(SOURCE, &files).unwrap();
    let second = render_pdf(SOURCE, &files).unwrap();
    assert!(first == second, "two renders of the same input differ");
    // No wall-clock timestamp is written unless a date is passed in.
    assert!(!contains(&first, b"CreationDate"), "an undated render wrote a creation date");

    let options = RenderOptions { date: NaiveDate::from_ymd_opt(2023, 1, 15) };
    let dated = render(SOURCE, &files, options).unwrap().pdf;
    assert!(dated == render(SOURCE, &files, options).unwrap().pdf);
    assert!(contains(&dated, b"/CreationDate(D:20230115"), "the given date is the creation date");
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

#[test]
fn today_is_the_date_passed_in_and_an_error_without_one() {
    let source = "Udskrevet #datetime.today().display(\"[day].[month].[year]\")";
    let options = RenderOptions { date: NaiveDate::from_ymd_opt(2023, 1, 15) };
    let rendered = render(source, &[], options).unwrap();
    assert_eq!(rendered.pages, 1);

    let error = render_pdf(source, &[]).unwrap_err();
    assert!(error.to_string().contains("main.typ:1:"), "{error}");
    assert!(error.to_string().contains("current date"), "{error}");
}

#[test]
fn a_malformed_source_names_the_line() {
    let source = "= Målopfyldelse\n\nTabellen:\n#table(columns: 2, [Mål], [Værdi]\n";
    let error = render_pdf(source, &[]).unwrap_err();
    let PdfError::Compile(diagnostics) = &error else { panic!("expected a compile error, got {error:?}") };
    let first = &diagnostics[0];
    assert_eq!(first.severity, DiagnosticSeverity::Error);
    assert_eq!(first.file.as_deref(), Some("main.typ"));
    assert_eq!(first.line, Some(4), "{error}");
    let message = error.to_string();
    assert!(message.contains("main.typ:4:7: error: unclosed delimiter"), "{message}");

    let error = render_pdf("Hej\n#let x = \n#undefined-function()\n", &[]).unwrap_err();
    assert!(error.diagnostics().iter().all(|d| d.line.is_some()), "{error}");
}

#[test]
fn missing_files_packages_and_bad_paths_are_reported() {
    let error = render_pdf("Figur:\n#image(\"chart-9.svg\")", &[]).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("main.typ:2:") && message.contains("chart-9.svg"), "{message}");

    let error = render_pdf("#import \"@preview/cetz:0.3.0\": canvas\n", &[]).unwrap_err();
    assert!(error.to_string().contains("not available"), "{error}");

    for path in ["../chart.svg", "main.typ", "a\\b.svg"] {
        let error = render_pdf("x", &[(path, b"")]).unwrap_err();
        assert!(matches!(error, PdfError::InvalidPath { .. }), "{path}: {error:?}");
    }
}

#[test]
fn virtual_typst_files_can_be_included() {
    let part = "== Bilag\nØkonomi og årsværk.".as_bytes();
    let source = "= Rapport\n#include \"dele/bilag.typ\"\n#image(\"diagrammer/chart-2.svg\", width: 8cm)";
    let rendered = render(
        source,
        &[("dele/bilag.typ", part), ("diagrammer/chart-2.svg", CHART.as_bytes())],
        RenderOptions::default(),
    )
    .unwrap();
    assert_eq!(rendered.pages, 1);
}
