#![allow(clippy::unwrap_used, reason = "a failed step is a failed test")]

use std::path::{Path, PathBuf};

use super::*;

#[test]
fn catalogues_parse_without_errors() {
    for (file, da, en) in SOURCES {
        for source in [da, en] {
            assert!(FluentResource::try_new(source.to_owned()).is_ok(), "{file} does not parse");
        }
    }
}

#[test]
fn both_catalogues_have_the_same_keys() {
    for (file, da, en) in SOURCES {
        let mut da = keys_in(da);
        let mut en = keys_in(en);
        da.sort_unstable();
        en.sort_unstable();
        assert_eq!(da, en, "{file}");
    }
    let all = keys();
    let mut unique = all.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(all.len(), unique.len(), "a key is defined twice");
}

/// Where keys are used, and which keys a scan there may take for catalogue keys: the web's
/// code and templates use keys of every area; the report and the plan-file problems in
/// `domain` hold other short strings (CSS classes, file vocabulary), so there only strings
/// with the area's prefix count.
const USES: [(&str, &str); 5] = [
    ("web/src", ""),
    ("web/templates", ""),
    ("report/src", "report-"),
    ("report/templates", "report-"),
    ("domain/src", "plan-problem-"),
];

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The keys written literally in `text`: in calls (`.t("`, `t_args("`, `.t1("`) and returned
/// from match arms (`Area::Plans => "nav-plans"`).
fn used_keys<'a>(text: &'a str, prefix: &str) -> Vec<&'a str> {
    let mut used = Vec::new();
    for marker in [".t(\"", "t_args(\"", ".t1(\"", "=> \""] {
        let keys = text.split(marker).skip(1).filter_map(|part| part.split('"').next());
        used.extend(keys.filter(|k| {
            k.starts_with(prefix)
                && !k.is_empty()
                && k.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        }));
    }
    used
}

#[test]
fn every_key_used_in_code_and_templates_exists() {
    let known = keys();
    let crates = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    for (dir, prefix) in USES {
        let mut files = Vec::new();
        files_under(&Path::new(crates).join(dir), &mut files);
        let mut used = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            used.extend(used_keys(&text, prefix).into_iter().map(str::to_owned));
        }
        assert!(used.len() > 10, "the scan of {dir} found too few keys to be working: {used:?}");
        let missing: Vec<_> = used.iter().filter(|k| !known.contains(&k.as_str())).collect();
        assert!(missing.is_empty(), "keys used in {dir} but missing from the catalogue: {missing:?}");
    }
}

#[test]
fn arguments_are_filled_in_without_isolation_marks() {
    assert_eq!(Locale::Da.t_args("welcome", &[("name", "Anna")]), "Velkommen, Anna.");
    assert_eq!(Locale::En.t("nav-plans"), "Plan and goals");
    assert_eq!(Locale::Da.t("no-such-key"), "no-such-key");
    assert_eq!(Locale::from_tag("EN"), Locale::En);
    assert_eq!(Locale::from_tag("fr"), Locale::Da);
}

/// One problem of every kind, with values as the reader would meet them.
#[expect(
    clippy::too_many_lines,
    reason = "one sample per problem kind, then the match that fails to compile without one"
)]
fn every_problem_kind() -> Vec<indsats_domain::plan::ProblemKind> {
    use indsats_domain::plan::{ProblemKind as K, QuarterRange};
    use indsats_domain::{Period, Quarter};
    let q = |s: &str| s.parse::<Quarter>().unwrap();
    let plan = QuarterRange::new(q("2022Q1"), q("2022Q4")).unwrap();
    let later = QuarterRange::of_period(Period::Year(2023)).unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2023, 1, 5).unwrap();
    let share = "andel.langvarige".parse().unwrap();
    let count = "fritidsjob.startet".parse().unwrap();
    let text = |s: &str| s.to_owned();
    let kinds = vec![
        K::NotToml { detail: text("expected `]`") },
        K::UnknownKey { key: text("colour") },
        K::MissingFormat,
        K::UnsupportedFormat,
        K::MissingTable { table: text("policy") },
        K::NotATable { what: text("[plan]") },
        K::InvalidSection { what: text("goal 1"), detail: text("unknown field `colour`") },
        K::GoalsNotTables,
        K::NoStrategicGoals,
        K::PlanEndsBeforeStart { from: q("2023Q1"), to: q("2022Q4") },
        K::AdoptedAfterPeriod { adopted: date, period: plan },
        K::UnknownGoalKind { kind: text("regional") },
        K::UnknownIndicator { measure: text("andel.kontant") },
        K::UnknownCategory { category: text("20-30") },
        K::NoCategories { measure: count },
        K::TargetPeriodOutsidePlan { target: later, plan },
        K::BaselineNotBeforeTarget { baseline: Period::Quarter(q("2022Q1")), target: plan },
        K::RuleNeedsBaseline { rule: text("below_baseline") },
        K::UnknownRule { rule: text("lower") },
        K::RuleNeedsValue { rule: text("below") },
        K::RuleTakesNoValue { rule: text("below_baseline") },
        K::ValueNotFinite,
        K::PlanTooLarge,
        K::RuleDoesNotFitMeasure { rule: text("at_least"), measure: count },
        K::RuleDoesNotFitMeasure { rule: text("count_at_least"), measure: share },
        K::DueOutsidePlan { due: date, plan },
        K::UnknownActionStatus { status: text("begun") },
        K::InvalidId { id: text("Unge") },
        K::DuplicateId { id: text("unge"), first_line: 12 },
        K::MissingStrategicGoal { id: text("sm9") },
        K::InvalidMunicipality { code: 1000 },
        K::InvalidQuarter { text: text("2023K1") },
        K::InvalidPeriod { text: text("2023W01") },
        K::InvalidDate { text: text("2023-06-30T12:00:00") },
    ];
    // A new kind fails to compile here until it has a sample above.
    let listed = |k: &K| match k {
        K::NotToml { .. }
        | K::UnknownKey { .. }
        | K::MissingFormat
        | K::UnsupportedFormat
        | K::MissingTable { .. }
        | K::NotATable { .. }
        | K::InvalidSection { .. }
        | K::GoalsNotTables
        | K::NoStrategicGoals
        | K::PlanEndsBeforeStart { .. }
        | K::AdoptedAfterPeriod { .. }
        | K::UnknownGoalKind { .. }
        | K::UnknownIndicator { .. }
        | K::UnknownCategory { .. }
        | K::NoCategories { .. }
        | K::TargetPeriodOutsidePlan { .. }
        | K::BaselineNotBeforeTarget { .. }
        | K::RuleNeedsBaseline { .. }
        | K::UnknownRule { .. }
        | K::RuleNeedsValue { .. }
        | K::RuleTakesNoValue { .. }
        | K::ValueNotFinite
        | K::PlanTooLarge
        | K::RuleDoesNotFitMeasure { .. }
        | K::DueOutsidePlan { .. }
        | K::UnknownActionStatus { .. }
        | K::InvalidId { .. }
        | K::DuplicateId { .. }
        | K::MissingStrategicGoal { .. }
        | K::InvalidMunicipality { .. }
        | K::InvalidQuarter { .. }
        | K::InvalidPeriod { .. }
        | K::InvalidDate { .. } => true,
    };
    assert!(kinds.iter().all(listed));
    kinds
}

fn problem_text(locale: Locale, kind: &indsats_domain::plan::ProblemKind) -> String {
    let args = kind.args();
    let args: Vec<(&str, &str)> = args.iter().map(|(name, value)| (*name, value.as_str())).collect();
    locale.t_args(kind.code(), &args)
}

#[test]
fn plan_file_problems_read_in_english_as_the_cli_prints_them() {
    for kind in every_problem_kind() {
        assert_eq!(problem_text(Locale::En, &kind), kind.to_string(), "{}", kind.code());
    }
}

#[test]
fn plan_file_problems_read_in_danish_with_their_values() {
    let danish: Vec<String> = every_problem_kind().iter().map(|k| problem_text(Locale::Da, k)).collect();
    assert!(danish.iter().all(|d| !d.starts_with("plan-problem-")), "{danish:#?}");
    assert!(danish.contains(&"ukendt indikator \"andel.kontant\" (se docs/plan-format.md)".to_owned()));
    assert!(danish.contains(&"fristen 2023-01-05 ligger uden for planperioden 2022".to_owned()));
    assert!(danish.contains(&"id'et \"unge\" er brugt før (linje 12)".to_owned()));
    assert!(danish.contains(&"mangler `format = 1` øverst i filen".to_owned()));
}
