//! Plan texts (vision, mission, values, ambitions, strategies) as HTML that keeps the writer's
//! paragraphs and lists. Plan files are TOML with multi-line strings, so a blank line is a new
//! paragraph and lines that start with `- `, `* `, `• ` or `1. ` are list items; everything is
//! escaped, so a plan file can never put markup on a page.

/// One block of a plan text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Block {
    /// Lines of running text, kept as lines.
    Paragraph(Vec<String>),
    /// List items, numbered or not.
    List { ordered: bool, items: Vec<String> },
}

/// The item text of a list line and whether the list is numbered, or `None` for running text.
fn list_item(line: &str) -> Option<(bool, &str)> {
    for bullet in ["- ", "* ", "• ", "– "] {
        if let Some(rest) = line.strip_prefix(bullet) {
            return Some((false, rest.trim()));
        }
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &line[digits..];
        if let Some(rest) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some((true, rest.trim()));
        }
    }
    None
}

fn blocks(text: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut after_blank = true;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() {
            after_blank = true;
            continue;
        }
        match (list_item(line), blocks.last_mut()) {
            (Some((ordered, item)), Some(Block::List { ordered: o, items })) if *o == ordered => {
                items.push(item.to_owned());
            }
            (Some((ordered, item)), _) => blocks.push(Block::List { ordered, items: vec![item.to_owned()] }),
            (None, Some(Block::Paragraph(lines))) if !after_blank => lines.push(line.to_owned()),
            // A line right under a list item without a blank line continues that item.
            (None, Some(Block::List { items, .. })) if !after_blank => {
                if let Some(last) = items.last_mut() {
                    last.push(' ');
                    last.push_str(line);
                }
            }
            (None, _) => blocks.push(Block::Paragraph(vec![line.to_owned()])),
        }
        after_blank = false;
    }
    blocks
}

/// Escapes as askama does, so a text reads the same here as in a template's `{{ }}`.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&#38;"),
            '<' => out.push_str("&#60;"),
            '>' => out.push_str("&#62;"),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The text as escaped HTML: `<p>` per paragraph (lines kept with `<br>`), `<ul>`/`<ol>` per list.
pub fn html(text: &str) -> String {
    let mut out = String::new();
    for block in blocks(text) {
        match block {
            Block::Paragraph(lines) => {
                let lines: Vec<String> = lines.iter().map(|l| escape(l)).collect();
                out.push_str("<p>");
                out.push_str(&lines.join("<br>"));
                out.push_str("</p>");
            }
            Block::List { ordered, items } => {
                out.push_str(if ordered { "<ol>" } else { "<ul>" });
                for item in items {
                    out.push_str("<li>");
                    out.push_str(&escape(&item));
                    out.push_str("</li>");
                }
                out.push_str(if ordered { "</ol>" } else { "</ul>" });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn paragraphs_and_lists_are_kept() {
        let text = "Vi vil tre ting:\n- flere i job\n- færre på ydelse\n\nDet sker sådan:\n1. først\n2. så\n\nSidste afsnit\nover to linjer.";
        assert_eq!(
            html(text),
            "<p>Vi vil tre ting:</p><ul><li>flere i job</li><li>færre på ydelse</li></ul>\
             <p>Det sker sådan:</p><ol><li>først</li><li>så</li></ol>\
             <p>Sidste afsnit<br>over to linjer.</p>"
        );
    }

    #[test]
    fn a_single_line_is_one_paragraph() {
        assert_eq!(html("Alle i job"), "<p>Alle i job</p>");
        assert_eq!(html("  \n\n "), "");
    }

    #[test]
    fn markup_in_a_plan_is_shown_never_run() {
        assert_eq!(html("<script>x</script> & \"y\""), "<p>&#60;script&#62;x&#60;/script&#62; &#38; &#34;y&#34;</p>");
        assert_eq!(html("- <b>fed</b>"), "<ul><li>&#60;b&#62;fed&#60;/b&#62;</li></ul>");
    }

    #[test]
    fn a_year_at_the_start_of_a_line_is_not_a_numbered_item() {
        assert_eq!(html("2022. Et godt år"), "<p>2022. Et godt år</p>");
    }

    proptest! {
        /// Whatever the text, the only markup is our own, and every word survives.
        #[test]
        fn only_our_tags_and_every_word_survives(text in "[a-zæøå<>&\"' \\-*1.\n]{0,80}") {
            let out = html(&text);
            let stripped = ["<p>", "</p>", "<br>", "<ul>", "</ul>", "<ol>", "</ol>", "<li>", "</li>"]
                .iter()
                .fold(out.clone(), |s, tag| s.replace(tag, " "));
            prop_assert!(!stripped.contains('<') && !stripped.contains('>'), "{out}");
            let words = |s: &str| -> Vec<String> {
                s.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()).map(str::to_owned).collect()
            };
            let unescaped = stripped.replace("&#60;", "<").replace("&#62;", ">").replace("&#34;", "\"")
                .replace("&#39;", "'").replace("&#38;", "&");
            prop_assert_eq!(words(&unescaped), words(&text));
        }
    }
}
