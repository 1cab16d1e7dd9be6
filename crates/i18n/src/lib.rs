//! The message catalogues: every text a user reads, in Danish and English.
//!
//! Catalogues are Fluent files compiled into the binary, one per area (`main.ftl` for the
//! web pages, `report.ftl` for the quarterly report, `plan-file.ftl` for problems in a plan
//! file). Danish is the default; the web chooses English by the `indsats_lang` cookie, the
//! CLI by `--lang en`. Lower crates return enums and codes; the web and the CLI turn them
//! into text here.

use std::borrow::Cow;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::{LanguageIdentifier, langid};

/// A language the UI speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    /// Danish, the default.
    #[default]
    Da,
    /// English.
    En,
}

impl Locale {
    /// The cookie that stores the choice.
    pub const COOKIE: &'static str = "indsats_lang";

    /// Every language, Danish first.
    pub const ALL: [Locale; 2] = [Locale::Da, Locale::En];

    /// The BCP 47 tag, for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Da => "da",
            Locale::En => "en",
        }
    }

    /// Parses a tag; anything unknown falls back to Danish.
    pub fn from_tag(tag: &str) -> Self {
        if tag.trim().eq_ignore_ascii_case("en") { Locale::En } else { Locale::Da }
    }

    /// Looks up a message without arguments.
    pub fn t(self, key: &str) -> String {
        self.t_args(key, &[])
    }

    /// Looks up a message with named arguments. A missing key renders as the key
    /// itself, so a gap shows up in the page rather than as a crash; a test
    /// checks that every key exists in both catalogues.
    pub fn t_args(self, key: &str, args: &[(&str, &str)]) -> String {
        let bundle = match self {
            Locale::Da => &*DA,
            Locale::En => &*EN,
        };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::warn!(key, locale = self.tag(), "missing message");
            return key.to_owned();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, FluentValue::String(Cow::Borrowed(value)));
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(key, ?errors, "message formatting error");
        }
        text.into_owned()
    }
}

/// The catalogue files, Danish and English side by side.
const SOURCES: [(&str, &str, &str); 6] = [
    ("main.ftl", include_str!("../locales/da/main.ftl"), include_str!("../locales/en/main.ftl")),
    ("report.ftl", include_str!("../locales/da/report.ftl"), include_str!("../locales/en/report.ftl")),
    ("plan-file.ftl", include_str!("../locales/da/plan-file.ftl"), include_str!("../locales/en/plan-file.ftl")),
    ("case.ftl", include_str!("../locales/da/case.ftl"), include_str!("../locales/en/case.ftl")),
    ("decisions.ftl", include_str!("../locales/da/decisions.ftl"), include_str!("../locales/en/decisions.ftl")),
    ("own-case.ftl", include_str!("../locales/da/own-case.ftl"), include_str!("../locales/en/own-case.ftl")),
];

static DA: LazyLock<FluentBundle<FluentResource>> =
    LazyLock::new(|| bundle(langid!("da"), SOURCES.iter().map(|(_, da, _)| *da)));
static EN: LazyLock<FluentBundle<FluentResource>> =
    LazyLock::new(|| bundle(langid!("en"), SOURCES.iter().map(|(_, _, en)| *en)));

fn bundle<'a>(lang: LanguageIdentifier, sources: impl Iterator<Item = &'a str>) -> FluentBundle<FluentResource> {
    let mut bundle = FluentBundle::new_concurrent(vec![lang]);
    // Unicode isolation marks would end up inside attribute values and e-mails.
    bundle.set_use_isolating(false);
    for source in sources {
        // The sources are compiled in and checked by the tests below; a syntax error
        // still yields the parsable part rather than a panic.
        let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(partial, _)| partial);
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(?errors, "duplicate messages in catalogue");
        }
    }
    bundle
}

/// Every message key of the catalogues, in file order (both languages have the same keys;
/// a test checks it). For tests elsewhere that compare the two languages.
pub fn keys() -> Vec<&'static str> {
    SOURCES.iter().flat_map(|(_, da, _)| keys_in(da)).collect()
}

fn keys_in(source: &str) -> Vec<&str> {
    // A message starts at the beginning of a line; indented lines continue the one before.
    source
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|line| line.split_once('=').map(|(k, _)| k.trim()))
        .filter(|k| k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .collect()
}

#[cfg(test)]
mod tests;
