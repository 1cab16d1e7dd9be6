//! The message catalogue: every text a user reads, in Danish and English.
//!
//! Catalogues are Fluent files compiled into the binary. Danish is the
//! default; English is chosen by the `indsats_lang` cookie.

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

const DA_SOURCE: &str = include_str!("../locales/da/main.ftl");
const EN_SOURCE: &str = include_str!("../locales/en/main.ftl");

static DA: LazyLock<FluentBundle<FluentResource>> = LazyLock::new(|| bundle(langid!("da"), DA_SOURCE));
static EN: LazyLock<FluentBundle<FluentResource>> = LazyLock::new(|| bundle(langid!("en"), EN_SOURCE));

fn bundle(lang: LanguageIdentifier, source: &'static str) -> FluentBundle<FluentResource> {
    // The sources are compiled in and checked by the tests below; a syntax error
    // still yields the parsable part rather than a panic.
    let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(partial, _)| partial);
    let mut bundle = FluentBundle::new_concurrent(vec![lang]);
    // Unicode isolation marks would end up inside attribute values and e-mails.
    bundle.set_use_isolating(false);
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(?errors, "duplicate messages in catalogue");
    }
    bundle
}

#[cfg(test)]
pub(crate) fn keys(source: &str) -> Vec<String> {
    source
        .lines()
        .filter_map(|line| line.split_once(" = ").map(|(k, _)| k.trim().to_owned()))
        .filter(|k| !k.is_empty() && !k.starts_with('#'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogues_parse_without_errors() {
        for source in [DA_SOURCE, EN_SOURCE] {
            assert!(FluentResource::try_new(source.to_owned()).is_ok());
        }
    }

    #[test]
    fn both_catalogues_have_the_same_keys() {
        let mut da = keys(DA_SOURCE);
        let mut en = keys(EN_SOURCE);
        da.sort();
        en.sort();
        assert_eq!(da, en);
    }

    #[test]
    fn every_key_used_in_code_and_templates_exists() {
        let known = keys(DA_SOURCE);
        let root = concat!(env!("CARGO_MANIFEST_DIR"));
        let mut used = Vec::new();
        for dir in ["src", "templates"] {
            for entry in std::fs::read_dir(format!("{root}/{dir}")).unwrap() {
                let path = entry.unwrap().path();
                if path.ends_with("i18n.rs") {
                    continue;
                }
                let text = std::fs::read_to_string(path).unwrap();
                // Calls in code and templates, and keys returned from match arms (`Area::Plans => "nav-plans"`).
                for marker in [".t(\"", "t_args(\"", ".t1(\"", "=> \""] {
                    let keys = text.split(marker).skip(1).filter_map(|part| part.split('"').next());
                    used.extend(
                        keys.filter(|k| {
                            !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                        })
                        .map(str::to_owned),
                    );
                }
            }
        }
        assert!(used.len() > 20, "the scan found too few keys to be working: {used:?}");
        let missing: Vec<_> = used.iter().filter(|k| !known.contains(k)).collect();
        assert!(missing.is_empty(), "keys missing from the catalogue: {missing:?}");
    }

    #[test]
    fn arguments_are_filled_in_without_isolation_marks() {
        assert_eq!(Locale::Da.t_args("welcome", &[("name", "Anna")]), "Velkommen, Anna.");
        assert_eq!(Locale::En.t("nav-plans"), "Plan and goals");
        assert_eq!(Locale::Da.t("no-such-key"), "no-such-key");
        assert_eq!(Locale::from_tag("EN"), Locale::En);
        assert_eq!(Locale::from_tag("fr"), Locale::Da);
    }
}
