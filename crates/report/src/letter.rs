//! A letter to a citizen as Typst markup, for the PDF: the decision letter (afgørelsesbrev).
//!
//! The caller words every line from its catalogue; this module only lays them out, and, like
//! the report's [`crate::typst_source`], puts every piece of text in as a Typst string
//! literal, so nothing a caseworker typed can be read as markup. Hyphenation follows the
//! letter's language (`lang`), Danish for letters to citizens.

use std::fmt::Write as _;

use crate::typst_source::lit;

/// A letter, worded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    /// The language tag for hyphenation and the PDF's metadata (`da`).
    pub lang: String,
    /// Who sends it: the municipality and the jobcentre, one line each.
    pub sender: Vec<String>,
    /// The recipient's name.
    pub name: String,
    /// The recipient's postal address (lines separated by newlines or commas are kept as typed).
    pub address: String,
    /// The date line ("30. november 2026").
    pub date: String,
    /// The heading: what the letter is about.
    pub subject: String,
    /// The body: a heading and its text for each part (the decision, the legal basis, the
    /// reasons, how to complain). Blank lines in a text become paragraph breaks.
    pub sections: Vec<(String, String)>,
    /// The closing line and signature ("Med venlig hilsen", the jobcentre).
    pub closing: Vec<String>,
}

/// The letter as Typst markup.
pub fn render(letter: &Letter) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"#set document(title: {}, author: {})
#set page(paper: "a4", margin: (x: 2.5cm, top: 2.5cm, bottom: 2.5cm))
#set text(lang: {}, size: 11pt, hyphenate: true)
#set par(justify: false, spacing: 0.9em)
#show heading.where(level: 1): set text(size: 15pt)
#show heading.where(level: 2): set text(size: 11.5pt)
#show heading.where(level: 2): set block(above: 1.3em, below: 0.6em)"#,
        lit(&letter.subject),
        lit(letter.sender.first().map_or("", String::as_str)),
        lit(&letter.lang)
    );
    let sender: Vec<String> = letter.sender.iter().map(|l| lit(l)).collect();
    let mut recipient = vec![lit(&letter.name)];
    recipient.extend(letter.address.lines().map(str::trim).filter(|l| !l.is_empty()).map(lit));
    let _ = writeln!(
        s,
        "#grid(columns: (1fr, auto), gutter: 1cm, [#stack(spacing: 0.4em, {})], align(right, [#stack(spacing: 0.4em, {})]))\n",
        recipient.join(", "),
        sender.join(", ")
    );
    let _ = writeln!(s, "#align(right, {})\n", lit(&letter.date));
    let _ = writeln!(s, "= #{}\n", lit(&letter.subject));
    for (heading, text) in &letter.sections {
        let _ = writeln!(s, "== #{}\n", lit(heading));
        for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            // A single line break inside a paragraph is kept as one.
            let lines: Vec<String> = paragraph.lines().map(|l| lit(l.trim())).collect();
            let _ = writeln!(s, "#{}\n", lines.join(" + linebreak() + "));
        }
    }
    let closing: Vec<String> = letter.closing.iter().map(|l| lit(l)).collect();
    let _ = writeln!(s, "#v(1em)\n#stack(spacing: 0.5em, {})", closing.join(", "));
    s
}

/// The letter as a PDF, made in-process by the embedded Typst compiler; `made_on` is the
/// PDF's creation date.
#[cfg(feature = "pdf")]
pub fn pdf(letter: &Letter, made_on: Option<chrono::NaiveDate>) -> Result<Vec<u8>, crate::pdf::PdfError> {
    crate::pdf::render(&render(letter), &[], crate::pdf::RenderOptions { date: made_on }).map(|r| r.pdf)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn letter() -> Letter {
        Letter {
            lang: "da".into(),
            sender: vec!["Rødovre Kommune".into(), "Jobcenter".into()],
            name: "Ida Jensen".into(),
            address: "Rødovrevej 1\n2610 Rødovre".into(),
            date: "30. november 2026".into(),
            subject: "Afgørelse: Nedsættelse af kontanthjælp".into(),
            sections: vec![
                ("Afgørelse".into(), "Vi har besluttet at nedsætte din hjælp.".into()),
                ("Begrundelse".into(), "Du kom ikke til samtalen #[ \"3. november\" ].\n\nAnden del.".into()),
            ],
            closing: vec!["Med venlig hilsen".into(), "Jobcentret".into()],
        }
    }

    #[test]
    fn typed_text_stays_text_and_the_language_is_set() {
        let source = render(&letter());
        assert!(source.contains(r#"#set text(lang: "da""#), "{source}");
        // The caseworker's brackets and quotes are inside a string literal, escaped.
        assert!(source.contains(r#"#"Du kom ikke til samtalen #[ \"3. november\" ].""#), "{source}");
        assert!(source.contains("#\"Anden del.\""), "a blank line starts a new paragraph: {source}");
        assert!(source.contains(r#""Rødovrevej 1", "2610 Rødovre""#), "{source}");
    }
}
