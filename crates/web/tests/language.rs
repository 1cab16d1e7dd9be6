//! The UI language reaches the plan and goal pages, the report downloads and the plan-file
//! problems: in English no Danish status word is left; in Danish the words are as before.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

mod support;

use axum::http::{StatusCode, header};
use indsats_domain::Role;
use indsats_web::i18n::Locale;
use support::{Backend, Client, Part, TestApp};

/// 23 persons: 3 in municipality 175, all on sickness benefit through 2021 (so 175's share on
/// public support is 100 % and rests on 3 persons, which only caseworkers see), 20 in 159.
fn small_register() -> indsats_register::series::SeriesIndex {
    use chrono::NaiveDate;
    use indsats_domain::{BenefitGroup, IsoWeek, Origin, Period, PeriodKind, Sex};
    use indsats_register::{BenefitSpell, Dataset, PeriodRange, Person, Residence, engine};
    let born = NaiveDate::from_ymd_opt(1980, 3, 1).unwrap();
    let start = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    let mut persons = Vec::new();
    let mut residences = Vec::new();
    let mut benefits = Vec::new();
    for id in 0..23_i64 {
        persons.push(Person { id, birth_date: born, sex: Sex::K, origin: Origin::Dansk });
        let municipality = if id < 3 { 175 } else { 159 };
        residences.push(Residence { person_id: id, municipality, from: start, to: None });
        if id < 13 {
            let group = if id < 3 { BenefitGroup::Sygedagpenge } else { BenefitGroup::ADagpenge };
            let (from, to) = (IsoWeek::new(2021, 1).unwrap(), IsoWeek::new(2021, 52).unwrap());
            benefits.push(BenefitSpell { person_id: id, group, from, to });
        }
    }
    let dataset = Dataset::new(persons, residences, benefits, Vec::new()).unwrap();
    let q = |s: &str| s.parse::<Period>().unwrap();
    let range = PeriodRange::spanning(PeriodKind::Quarter, q("2021Q1"), q("2021Q4")).unwrap();
    let rows = engine::compute(&dataset, &[range], &engine::Options { threads: 1, chunk: 64 }).unwrap();
    indsats_register::series::SeriesIndex::new(&rows)
}

/// A plan for 175 in 2021 with English titles, so any Danish word on an English page comes
/// from the application: one goal not met (100 % against below 50 %), at risk in the quarters
/// before, one indicator without data, and an action in progress.
const PLAN: &str = r#"format = 1
[policy]
title = "Employment policy"
vision = "Everyone who can work, works"
[[policy.strategic_goals]]
id = "sg"
title = "Fewer on public support"
[plan]
id = "test-2021"
municipality = 175
title = "Employment plan 2021"
from = "2021Q1"
to = "2021Q4"
[[goals]]
id = "support"
kind = "local"
title = "Fewer on public support"
strategic_goals = ["sg"]
[[goals.indicators]]
id = "share"
title = "Share on public support"
measure = "andel.offentlig_forsoergelse"
target = { rule = "below", value = 50.0 }
[[goals.indicators]]
id = "companies"
title = "Company satisfaction"
measure = "virksomheder.tilfredshed"
target = { rule = "at_least", value = 77.0 }
[[goals.action_plans]]
id = "ap"
title = "Company visits"
[[goals.action_plans.actions]]
id = "visit"
title = "Visit employers"
status = "in_progress"
"#;

/// The report's Danish words: each `report-*` message without arguments whose Danish differs
/// from its English.
fn danish_words() -> Vec<String> {
    indsats_web::i18n::keys()
        .into_iter()
        .filter(|k| k.starts_with("report-"))
        .map(|k| (Locale::Da.t(k), Locale::En.t(k)))
        .filter(|(da, en)| da != en && !da.contains('{') && da.chars().count() > 1)
        .map(|(da, _)| da)
        .collect()
}

/// Whether `word` occurs in `text` with no letter or digit on either side.
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// A caseworker (who sees the small cells, so the goal is judged) speaking `locale`, with the
/// test plan loaded.
async fn caseworker(app: &TestApp, locale: Locale) -> Client<'_> {
    app.load_plan(PLAN).await;
    let mut client = app.client();
    client.set_cookie(Locale::COOKIE, locale.tag());
    client.login(Role::Sagsbehandler).await;
    client
}

const WORDS_EN: [&str; 5] = ["Not met", "At risk", "Not measured", "unchanged from the quarter before", "In progress"];
const WORDS_DA: [&str; 5] = ["Ikke opfyldt", "I risiko", "Ikke målt", "uændret fra kvartalet før", "I gang"];

#[tokio::test]
async fn the_english_plan_and_goal_pages_show_no_danish_status_word() {
    let app = TestApp::spawn(Backend::Sqlite, Some(small_register())).await;
    let mut client = caseworker(&app, Locale::En).await;
    let plan = client.get("/plan/test-2021?kvartal=2021Q4").await;
    assert_eq!(plan.status, StatusCode::OK, "{}", plan.body);
    assert!(plan.body.contains("<html lang=\"en\">"));
    assert!(plan.body.contains("× Not met"), "{}", plan.body);
    assert!(plan.body.contains("2021 Q4"), "the quarter as English writes it: {}", plan.body);
    let goal = client.get("/plan/test-2021/maal/support?kvartal=2021Q4").await;
    assert_eq!(goal.status, StatusCode::OK, "{}", goal.body);
    for word in WORDS_EN {
        assert!(goal.body.contains(word), "no {word:?} on the English goal page: {}", goal.body);
    }
    assert!(goal.body.contains("100.0 %") && goal.body.contains("below 50.0 % in 2021"), "{}", goal.body);
    for page in [&plan, &goal] {
        for word in danish_words() {
            assert!(!has_word(&page.body, &word), "Danish {word:?} on an English page: {}", page.body);
        }
        assert!(!page.body.contains("2021K"), "{}", page.body);
    }

    let html = client.get("/plan/test-2021/rapport.html?kvartal=2021Q4").await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.body.contains("<html lang=\"en\">") && html.body.contains("Goal fulfilment Q4 2021"));
    for word in danish_words() {
        assert!(!has_word(&html.body, &word), "Danish {word:?} in the English report: {}", html.body);
    }
    let pdf = client.get("/plan/test-2021/rapport.pdf?kvartal=2021Q4").await;
    if cfg!(feature = "pdf") {
        assert_eq!(pdf.status, StatusCode::OK);
        assert_eq!(pdf.headers.get(header::CONTENT_TYPE).unwrap(), "application/pdf");
    } else {
        // `cargo test -p indsats-web` builds without the PDF stack: the download says so, in English.
        assert_eq!(pdf.status, StatusCode::NOT_IMPLEMENTED);
        assert!(pdf.has_text("This build of indsats has no PDF support"), "{}", pdf.body);
    }
}

#[tokio::test]
async fn the_danish_plan_and_goal_pages_keep_their_words() {
    let app = TestApp::spawn(Backend::Sqlite, Some(small_register())).await;
    let mut client = caseworker(&app, Locale::Da).await;
    let plan = client.get("/plan/test-2021?kvartal=2021Q4").await;
    assert!(plan.body.contains("<html lang=\"da\">") && plan.body.contains("× Ikke opfyldt"), "{}", plan.body);
    assert!(plan.body.contains("Mål og status i 2021K4"), "{}", plan.body);
    let goal = client.get("/plan/test-2021/maal/support?kvartal=2021Q4").await;
    for word in WORDS_DA {
        assert!(goal.body.contains(word), "no {word:?} on the Danish goal page: {}", goal.body);
    }
    assert!(goal.body.contains("100,0 %") && goal.body.contains("under 50,0 % i 2021"), "{}", goal.body);
    for word in WORDS_EN {
        assert!(!goal.body.contains(word), "English {word:?} on the Danish goal page");
    }
    let html = client.get("/plan/test-2021/rapport.html?kvartal=2021Q4").await;
    assert!(html.body.contains("<html lang=\"da\">") && html.body.contains("Målopfyldelse 4. kvartal 2021"));
}

#[tokio::test]
async fn plan_file_problems_are_listed_in_the_ui_language() {
    let app = TestApp::spawn(Backend::Sqlite, None).await;
    let bad = PLAN.replace("\"andel.offentlig_forsoergelse\"", "\"andel.kontant\"");
    let line = bad.lines().position(|l| l.contains("andel.kontant")).unwrap() + 1;
    for (locale, expected) in [
        (Locale::Da, format!("Linje {line}, kolonne 11: ukendt indikator \"andel.kontant\" (se docs/plan-format.md)")),
        (
            Locale::En,
            format!(
                "Line {line}, column 11: unknown indicator \"andel.kontant\": expected a register figure such as andel.offentlig_forsoergelse"
            ),
        ),
    ] {
        let mut admin = app.client();
        admin.set_cookie(Locale::COOKIE, locale.tag());
        admin.login(Role::Admin).await;
        admin.get("/plan").await;
        let page = admin.post_multipart("/plan", &[Part::text("plan", &bad)]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
        let shown = page.body.replace("&quot;", "\"").replace("&#34;", "\"");
        assert!(shown.contains(&expected), "{locale:?}: no {expected:?} in {}", page.body);
    }
}

#[tokio::test]
async fn the_language_switch_returns_to_the_same_page_with_its_query() {
    let app = TestApp::spawn(Backend::Sqlite, Some(small_register())).await;
    app.load_plan(PLAN).await;
    let mut client = app.client();
    client.login(Role::Udvalg).await;
    let page = client.get("/plan/test-2021?kvartal=2021Q3").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let switch = page.form("/sprog");
    assert_eq!(switch.get("back"), Some("/plan/test-2021?kvartal=2021Q3"));
    let back = client.submit(&switch.set("lang", "en")).await;
    assert_eq!(back.location(), Some("/plan/test-2021?kvartal=2021Q3"));
    let english = client.get(back.location().unwrap()).await;
    assert!(english.body.contains("<html lang=\"en\">"), "{}", english.body);
    assert!(english.has_text("Goals and status in 2021 Q3"), "the same quarter: {}", english.body);
}

#[tokio::test]
async fn the_overview_names_the_chosen_group_in_headings_and_captions() {
    let app = TestApp::spawn(Backend::Sqlite, Some(small_register())).await;
    let mut client = app.client();
    client.login(Role::Udvalg).await;
    let page = client.get("/overblik?kategori=K").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let group = "Kvinder";
    let headings: Vec<&str> = page.body.split("<h2 id=\"").skip(1).filter_map(|h| h.split("</h2>").next()).collect();
    assert_eq!(headings.len(), 4, "{}", page.body);
    for heading in headings {
        assert!(heading.contains(group), "{heading}");
    }
    let captions: Vec<&str> =
        page.body.split("<caption").skip(1).filter_map(|c| c.split("</caption>").next()).collect();
    assert!(!captions.is_empty());
    for caption in captions {
        assert!(caption.contains(group) && caption.contains("de seneste kvartaler"), "{caption}");
    }
    assert!(page.body.contains("<th scope=\"row\">2021K4</th>"), "quarters as 2021K4: {}", page.body);
}
