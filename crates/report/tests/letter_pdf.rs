//! The decision letter as a PDF, read back with poppler's `pdftotext`: the Danish text, the
//! citation and the complaint guidance come out as text a reader (and a screen reader) gets.
//! Needs poppler-utils, so the test is `#[ignore]`d like `tests/pdf.rs`; `.ci/run` runs it.

#![cfg(feature = "pdf")]
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

use std::process::Command;

use indsats_report::letter::{Letter, pdf};

fn letter() -> Letter {
    Letter {
        lang: "da".into(),
        sender: vec!["Rødovre Kommune".into(), "Jobcentret".into()],
        name: "Ida Jensen".into(),
        address: "Rødovrevej 1\n2610 Rødovre".into(),
        date: "30. november 2026".into(),
        subject: "Nedsættelse af kontanthjælp".into(),
        sections: vec![
            ("Afgørelse".into(), "Vi nedsætter din kontanthjælp i én måned.".into()),
            ("Lovgrundlag".into(), "Lov om aktiv socialpolitik § 13".into()),
            ("Klagevejledning".into(), "Du kan klage inden 4 uger. Klagen sendes til jobcentret.".into()),
        ],
        closing: vec!["Med venlig hilsen".into(), "Jobcentret".into()],
    }
}

#[test]
#[ignore = "needs poppler-utils (pdftotext); .ci/run installs it and runs them"]
fn a_decision_letter_reads_back_as_danish_text() {
    let bytes = pdf(&letter(), None).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("brev.pdf");
    std::fs::write(&file, &bytes).unwrap();
    let output = Command::new("pdftotext")
        .args(["-enc", "UTF-8", file.to_str().unwrap(), "-"])
        .output()
        .expect("could not run pdftotext: install poppler-utils (apt-get install -y poppler-utils)");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    for words in [
        "Ida Jensen",
        "2610 Rødovre",
        "Nedsættelse af kontanthjælp",
        "Lov om aktiv socialpolitik § 13",
        "Du kan klage inden 4 uger",
        "Med venlig hilsen",
    ] {
        assert!(text.contains(words), "{words:?} missing from the letter's text:\n{text}");
    }
}
