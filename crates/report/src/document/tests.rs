use indsats_domain::plan::parse;
use indsats_i18n::Locale;

use super::*;
use crate::evaluate::Observation;

/// The report's words from the real catalogue, as the web and the CLI make them.
fn labels(locale: Locale) -> Labels {
    Labels::new(locale.tag(), move |key, args| locale.t_args(key, args))
}

fn da() -> Labels {
    labels(Locale::Da)
}

const PLAN: &str = r#"format = 1
[policy]
title = "Strategi"
vision = "Vision"
[[policy.strategic_goals]]
id = "lige"
title = "Lige muligheder for at lykkes"
[plan]
id = "test-2022"
municipality = 159
title = "Beskæftigelsesplan 2022"
from = "2022Q1"
to = "2022Q4"
[[goals]]
id = "forsoergelse"
kind = "local"
title = "Færre på offentlig forsørgelse"
strategic_goals = ["lige"]
[[goals.indicators]]
id = "off"
title = "Andelen på offentlig forsørgelse"
measure = "andel.offentlig_forsoergelse"
baseline = { period = "2021", value = 12.6 }
target = { rule = "below_baseline" }
[[goals.indicators]]
id = "unge"
title = "Unge 20-29 år"
measure = "andel.offentlig_forsoergelse"
category = "20-29"
target = { rule = "below", value = 8.0 }
[[goals.action_plans]]
id = "hp"
title = "Handleplan"
[[goals.action_plans.actions]]
id = "a1"
title = "Besøg virksomheder"
due = 2022-06-30
[[goals]]
id = "tilfredshed"
kind = "national"
title = "Virksomhederne er tilfredse"
[[goals.indicators]]
id = "tilf"
title = "Tilfredshed"
measure = "virksomheder.tilfredshed"
target = { rule = "at_least", value = 77.0 }
"#;

/// Figures for 159 and the whole country; `hidden` suppresses the 20-29 series.
struct Fake {
    empty: bool,
    hidden: bool,
}

impl Figures for Fake {
    fn series(&self, municipality: u16, _measure: Measure, category: Category) -> Series {
        if self.empty {
            return Series::default();
        }
        let young = category != Category::Total;
        let value = |v: f64| if young && self.hidden { None } else { Some(v) };
        let base = if municipality == 0 {
            15.0
        } else if young {
            7.0
        } else {
            12.0
        };
        let quarters = std::iter::successors("2020Q1".parse::<Quarter>().ok(), |q| q.next())
            .take(12)
            .map(|q| Observation { period: Period::Quarter(q), value: value(base) })
            .collect();
        Series { quarters, years: vec![Observation { period: Period::Year(2022), value: value(base) }] }
    }

    fn similar(&self, _municipality: u16, n: usize) -> Vec<u16> {
        [157, 161, 163, 165, 167].into_iter().take(n).collect()
    }

    fn name(&self, municipality: u16) -> String {
        match municipality {
            0 => "Hele landet".into(),
            159 => "Gladsaxe".into(),
            other => format!("Kommune {other}"),
        }
    }
}

fn q(s: &str) -> Quarter {
    s.parse().unwrap()
}

fn comment(text: &str) -> Comment {
    Comment { text: text.into(), author: None, written: NaiveDate::from_ymd_opt(2023, 1, 20).unwrap() }
}

fn full() -> Fake {
    Fake { empty: false, hidden: false }
}

#[test]
fn every_goal_gets_a_status_value_baseline_and_target() {
    let plan = parse(PLAN).unwrap();
    let mut notes = Annotations { version: Some(3), ..Annotations::default() };
    notes.comments.insert("forsoergelse".into(), comment("Vi er på rette vej."));
    notes.action_status.insert("a1".into(), ActionStatus::Done);
    let r = build(&plan, q("2022Q4"), &Fake { empty: false, hidden: false }, &notes, &da()).unwrap();
    assert_eq!((r.municipality.as_str(), r.version, r.comparable.len()), ("Gladsaxe", Some(3), SIMILAR));
    assert!(!r.comparable_from_plan);
    let g = &r.goals[0];
    assert_eq!(g.status, Status::Met);
    assert_eq!(g.strategic_goals, ["Lige muligheder for at lykkes"]);
    assert_eq!(g.indicators[0].value, "12,0 %");
    assert_eq!(g.indicators[0].baseline, "12,6 % (2021)");
    assert_eq!(g.indicators[0].target, "under basislinjen i 2022");
    assert_eq!(g.indicators[0].explanation, "Tallet for 2022: 12,0 % er under 12,6 %: opfyldt.");
    assert_eq!(g.indicators[1].target, "under 8,0 % i 2022");
    assert_eq!(g.actions[0].status, ActionStatus::Done);
    assert_eq!(g.comment.as_ref().map(|c| c.text.as_str()), Some("Vi er på rette vej."));
    assert_eq!(g.history.len(), 4);
    assert_eq!(g.history[0], (q("2022Q1"), Status::OnTrack));
    let chart = g.indicators[0].chart.as_ref().unwrap();
    assert_eq!(chart.x_labels.len(), 12);
    assert_eq!(chart.x_labels.last().map(String::as_str), Some("2022K4"));
    let labels: Vec<&str> = chart.lines.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(
        labels,
        ["Gladsaxe", "Hele landet", "Sammenlignelige kommuner", "Basislinje", "Mål", "2022, hele året: 12,0 %"]
    );
    assert_eq!(g.indicators[0].value_heading, "Værdi (2022, hele året)");
    // Not collected: not measured, never met; and so is its goal.
    assert_eq!(r.goals[1].status, Status::NotMeasured);
    assert_eq!(r.goals[1].indicators[0].verdict.status, Status::NotMeasured);
    assert!(r.goals[1].indicators[0].chart.is_none());
}

#[test]
fn suppressed_cells_are_not_shown_or_judged() {
    let plan = parse(PLAN).unwrap();
    let r = build(&plan, q("2022Q4"), &Fake { empty: false, hidden: true }, &Annotations::default(), &da()).unwrap();
    let young = &r.goals[0].indicators[1];
    assert_eq!((young.verdict.status, young.value.as_str()), (Status::NoFigures, "–"));
    assert_eq!(young.explanation, "Tallet bygger på færre end 5 personer og vises ikke.");
    assert!(young.chart.as_ref().unwrap().lines[0].values.iter().all(Option::is_none));
    // The goal rests on the one indicator with a figure, and says so.
    assert_eq!((r.goals[0].status, r.goals[0].judged), (Status::Met, 1));
    assert_eq!(r.goals[0].status_text(&da()), "Opfyldt, 1 af 2 indikatorer målt");
}

#[test]
fn a_quarter_outside_the_plan_or_without_data_is_refused_in_one_sentence() {
    let plan = parse(PLAN).unwrap();
    let notes = Annotations::default();
    let err = build(&plan, q("2023Q1"), &Fake { empty: false, hidden: false }, &notes, &da()).unwrap_err();
    assert_eq!(da().error(&err), "2023K1 ligger uden for planens periode 2022; vælg et kvartal i perioden.");
    let err = build(&plan, q("2022Q4"), &Fake { empty: true, hidden: false }, &notes, &da()).unwrap_err();
    assert_eq!(
        da().error(&err),
        "Der er ingen registertal for Gladsaxe til og med 2022K4, så målene kan ikke vurderes."
    );
}

#[test]
fn the_html_is_self_contained_and_shows_symbol_and_word() {
    let plan = parse(PLAN).unwrap();
    let r = build(&plan, q("2022Q4"), &Fake { empty: false, hidden: false }, &Annotations::default(), &da()).unwrap();
    let html = crate::html::render(&r, &da()).unwrap();
    assert!(html.contains("✔ Opfyldt") && html.contains("○ Ikke målt"), "status as symbol plus word");
    assert!(html.contains("12,6 % (2021)") && html.contains("under 8,0 % i 2022"));
    assert_eq!(html.matches("<svg").count(), 2, "one chart per register indicator");
    for external in ["<link", "<script", "src=\"http", "href=\"http"] {
        assert!(!html.contains(external), "nothing fetched: {external}");
    }
}

#[test]
fn the_typst_source_carries_every_chart_and_quotes_all_text() {
    let mut plan = parse(PLAN).unwrap();
    plan.goals[0].title = "Mål med #tegn og \"citat\" [klammer]".into();
    let r = build(&plan, q("2022Q4"), &Fake { empty: false, hidden: false }, &Annotations::default(), &da()).unwrap();
    let src = crate::typst_source::render(&r, &da());
    assert_eq!(src.files.len(), 2);
    assert!(src.main.contains(r#""Mål med #tegn og \"citat\" [klammer]""#));
}

/// The test plan with English titles, so that a Danish word in a rendering can only come from
/// the report's own labels.
fn plan_with_english_titles() -> PlanDocument {
    let mut plan = parse(PLAN).unwrap();
    for (n, goal) in plan.goals.iter_mut().enumerate() {
        goal.title = format!("Goal {n}");
        goal.strategy = Some("Visit companies".into());
        goal.activities = vec!["Call employers".into()];
        for (k, indicator) in goal.indicators.iter_mut().enumerate() {
            indicator.title = format!("Indicator {n}.{k}");
            indicator.text = Some("As written in the plan".into());
        }
        for p in &mut goal.action_plans {
            p.title = "Action plan A".into();
            for a in &mut p.actions {
                a.title = "Visit employers".into();
            }
        }
    }
    for s in &mut plan.policy.strategic_goals {
        s.title = "Equal chances".into();
    }
    plan
}

/// The text a reader sees in the HTML: tags and the style sheet left out.
fn visible_text(html: &str) -> String {
    let body = html.split("</style>").nth(1).unwrap_or(html);
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether `word` occurs in `text` with no letter or digit on either side.
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The report's Danish words: each `report-*` message without arguments whose Danish differs
/// from its English.
fn danish_words() -> Vec<String> {
    indsats_i18n::keys()
        .into_iter()
        .filter(|k| k.starts_with("report-"))
        .map(|k| (Locale::Da.t(k), Locale::En.t(k)))
        .filter(|(da, en)| da != en && !da.contains('{') && da.chars().count() > 1)
        .map(|(da, _)| da)
        .collect()
}

/// The HTML's visible text and the Typst source of the test plan's report in `locale`.
fn renderings(locale: Locale) -> (String, String) {
    let plan = plan_with_english_titles();
    let labels = labels(locale);
    let mut notes = Annotations { version: Some(2), ..Annotations::default() };
    notes.comments.insert("forsoergelse".into(), comment("We are on our way."));
    notes.made_on = chrono::NaiveDate::from_ymd_opt(2023, 2, 1);
    let r = build(&plan, q("2022Q4"), &Fake { empty: false, hidden: false }, &notes, &labels).unwrap();
    let html = crate::html::render(&r, &labels).unwrap();
    assert!(html.contains(&format!("<html lang=\"{}\">", locale.tag())), "{html}");
    let typst = crate::typst_source::render(&r, &labels).main;
    assert!(typst.contains(&format!("lang: \"{}\"", locale.tag())), "{typst}");
    (visible_text(&html), typst)
}

#[test]
fn the_english_report_has_no_danish_word_and_the_danish_one_has_them() {
    let words = danish_words();
    assert!(words.len() > 40, "{words:?}");
    let (html, typst) = renderings(Locale::En);
    for word in &words {
        assert!(!has_word(&html, word), "Danish {word:?} in the English HTML: {html}");
        assert!(!has_word(&typst, word), "Danish {word:?} in the English Typst source: {typst}");
    }
    assert!(html.contains("2022 Q4") && !html.contains("2022K4"), "{html}");
    assert!(html.contains("12.0 %") && !html.contains("12,0 %"), "English decimals: {html}");
    assert!(html.contains("Q4 2022") && html.contains("2023-02-01"), "{html}");

    let (html, typst) = renderings(Locale::Da);
    for key in [
        "report-status-met",
        "report-status-on-track",
        "report-status-at-risk",
        "report-status-not-met",
        "report-status-not-measured",
        "report-summary",
        "report-col-indicator",
        "report-col-value",
        "report-col-baseline",
        "report-col-trend",
        "report-col-action-plan",
        "report-col-owner",
        "report-action-not-started",
        "report-comment",
        "report-history",
        "report-strategy",
        "report-activities",
        "report-chart-country",
        "report-chart-baseline",
    ] {
        let word = Locale::Da.t(key);
        assert!(has_word(&html, &word), "no {word:?} in the Danish HTML");
    }
    for word in ["Opfyldt", "Ikke målt", "Oversigt", "Handleplaner", "Kommentar fra ledelsen"] {
        assert!(has_word(&typst, word), "no {word:?} in the Danish Typst source");
    }
    assert!(html.contains("2022K4") && html.contains("12,0 %") && html.contains("01.02.2023"), "{html}");
    assert!(html.contains("4. kvartal 2022"), "{html}");
}

#[test]
fn english_explanations_and_targets_read_in_english() {
    let plan = parse(PLAN).unwrap();
    let en = labels(Locale::En);
    let r = build(&plan, q("2022Q4"), &Fake { empty: false, hidden: false }, &Annotations::default(), &en).unwrap();
    let i = &r.goals[0].indicators[0];
    assert_eq!(i.baseline, "12.6 % (2021)");
    assert_eq!(i.target, "below the baseline in 2022");
    assert_eq!(i.explanation, "The figure for 2022: 12.0 % is below 12.6 %: met.");
    assert_eq!(i.trend, "unchanged from the quarter before");
    let labels: Vec<&str> = i.chart.as_ref().unwrap().lines.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(
        labels,
        ["Gladsaxe", "Whole country", "Comparable municipalities", "Baseline", "Target", "2022, whole year: 12.0 %"]
    );
    assert_eq!(i.value_heading, "Value (2022, whole year)");
    let err =
        build(&plan, q("2023Q1"), &Fake { empty: false, hidden: false }, &Annotations::default(), &en).unwrap_err();
    assert_eq!(en.error(&err), "2023 Q1 is outside the plan period 2022; choose a quarter in the period.");
}

/// The test plan with a third goal that has no indicator, and a not-collected indicator added to
/// the first goal, so it is judged on two of its three.
fn committee_plan() -> PlanDocument {
    let mut plan = parse(PLAN).unwrap();
    let mut extra = plan.goals[1].indicators[0].clone();
    extra.id = "tilf2".into();
    extra.title = "Virksomhedernes tilfredshed".into();
    plan.goals[0].indicators.push(extra);
    let mut bare = plan.goals[1].clone();
    bare.id = "vaerdig".into();
    bare.title = "Alle ledige skal have en værdig sagsbehandling".into();
    bare.indicators.clear();
    plan.goals.push(bare);
    plan
}

fn committee_notes(synthetic: bool) -> Annotations {
    let mut notes = Annotations {
        version: Some(4),
        made_on: NaiveDate::from_ymd_opt(2023, 2, 1),
        meeting: Some(Meeting {
            committee: "Beskæftigelsesudvalget".into(),
            date: NaiveDate::from_ymd_opt(2023, 2, 14).unwrap(),
        }),
        sender: Some("Beskæftigelsesforvaltningen".into()),
        data: Some(DataInfo { version: "v17-1".into(), last_week: "uge 52 2022".into(), synthetic }),
        ..Annotations::default()
    };
    notes.comments.insert(
        "forsoergelse".into(),
        Comment {
            text: "Vi følger udviklingen tæt.".into(),
            author: Some("Lise Hansen".into()),
            written: NaiveDate::from_ymd_opt(2023, 1, 30).unwrap(),
        },
    );
    notes
}

#[test]
fn the_first_page_names_sender_meeting_and_counts_the_goals_by_status() {
    let r = build(&committee_plan(), q("2022Q4"), &full(), &committee_notes(false), &da()).unwrap();
    assert_eq!(r.sender, "Gladsaxe Kommune, Beskæftigelsesforvaltningen");
    assert_eq!(r.meeting.as_deref(), Some("Til Beskæftigelsesudvalget, mødet 14.02.2023"));
    assert_eq!(
        r.summary,
        "Planen har 3 mål. I 2022K4 er 1 opfyldt og 2 ikke målt. 1 af målene er vurderet på en del af deres \
         indikatorer; antallet målte står ved statussen."
    );
    let g = &r.goals[0];
    assert_eq!((g.status, g.judged, g.indicators.len()), (Status::Met, 2, 3));
    assert_eq!(g.status_text(&da()), "Opfyldt, 2 af 3 indikatorer målt");
    assert_eq!(g.comment_byline(&da()).as_deref(), Some("Skrevet af Lise Hansen 30.01.2023"));
    let html = crate::html::render(&r, &da()).unwrap();
    let first_page = html.split("<section class=\"goal\"").next().unwrap();
    for text in ["Gladsaxe Kommune, Beskæftigelsesforvaltningen", "mødet 14.02.2023", "Planen har 3 mål"] {
        assert!(first_page.contains(text), "{text:?} not before the goals: {first_page}");
    }
    assert!(html.contains("Opfyldt, 2 af 3 indikatorer målt"), "{html}");
    assert!(html.contains("Skrevet af Lise Hansen 30.01.2023"));
    let typst = crate::typst_source::render(&r, &da()).main;
    assert!(typst.contains("\"2 af 3 indikatorer målt\""), "{typst}");
    assert!(typst.contains("\"Skrevet af Lise Hansen 30.01.2023\""));
}

#[test]
fn goals_without_an_indicator_share_one_short_section_and_others_flow_on() {
    let r = build(&committee_plan(), q("2022Q4"), &full(), &committee_notes(false), &da()).unwrap();
    assert_eq!(r.unmeasured_goals().count(), 1);
    assert_eq!(r.goals[2].status, Status::NotMeasured);
    let html = crate::html::render(&r, &da()).unwrap();
    assert_eq!(html.matches("<section class=\"goal\"").count(), 2, "one section per goal with indicators");
    assert_eq!(html.matches("Mål uden indikator").count(), 1);
    let unmeasured = html.split("id=\"unmeasured\"").nth(1).unwrap();
    assert!(
        unmeasured.contains("Alle ledige skal have en værdig sagsbehandling") && unmeasured.contains("○ Ikke målt")
    );
    let typst = crate::typst_source::render(&r, &da()).main;
    assert!(!typst.contains("pagebreak"), "sections flow on: {typst}");
    assert_eq!(typst.matches("== #\"Mål uden indikator\"").count(), 1);
}

#[test]
fn the_pdf_source_keeps_charts_with_their_headings_and_hyphenates_danish() {
    let r = build(&committee_plan(), q("2022Q4"), &full(), &committee_notes(false), &da()).unwrap();
    let typst = crate::typst_source::render(&r, &da()).main;
    // Danish, hyphenated in table cells, where a long compound word could otherwise run into
    // the next column (running text is ragged-right and full width, so it never needs to).
    assert!(typst.contains("#set text(lang: \"da\", size: 10pt)"), "{typst}");
    assert!(typst.contains("#show table: set text(size: 9pt, hyphenate: true)"), "{typst}");
    // Each chart sits in an unbreakable block that starts with its indicator's heading.
    let blocks: Vec<&str> = typst.split("#block(breakable: false, width: 100%)[\n").skip(1).collect();
    let with_chart: Vec<&&str> = blocks.iter().filter(|b| b.split("]\n").next().unwrap().contains("#image(")).collect();
    assert_eq!(with_chart.len(), 2, "{typst}");
    for b in with_chart {
        assert!(b.starts_with("=== #\""), "a chart block starts with its heading: {b}");
    }
    assert!(!typst.contains("header: align"), "real data: no demo header");
}

#[test]
fn synthetic_data_are_marked_on_every_page_and_the_appendix_names_the_data() {
    let r = build(&committee_plan(), q("2022Q4"), &full(), &committee_notes(true), &da()).unwrap();
    assert!(r.synthetic());
    let typst = crate::typst_source::render(&r, &da()).main;
    let page_rule = typst.lines().find(|l| l.starts_with("#set page(")).unwrap();
    assert!(page_rule.contains("header: align") && page_rule.contains("Demodata: alle tal"), "{page_rule}");
    let html = crate::html::render(&r, &da()).unwrap();
    let banner = html.split("<body>").nth(1).unwrap().trim_start();
    assert!(banner.starts_with("<p class=\"demo-banner\" role=\"note\">Demodata"), "{banner}");
    let appendix = html.split("id=\"appendix\"").nth(1).unwrap();
    // One row per measure, naming the categories it is used for.
    assert!(appendix.contains("<code>andel.offentlig_forsoergelse (i_alt, 20-29)</code>"), "{appendix}");
    assert_eq!(appendix.matches("<code>andel.offentlig_forsoergelse").count(), 1, "{appendix}");
    assert!(appendix.contains("Indsamles ikke i indsats endnu"), "{appendix}");
    assert!(
        appendix.contains("datasæt v17-1, som rækker til og med uge 52 2022. Datasættet er syntetisk"),
        "{appendix}"
    );
    // Real data: no banner.
    let real = build(&committee_plan(), q("2022Q4"), &full(), &committee_notes(false), &da()).unwrap();
    assert!(!crate::html::render(&real, &da()).unwrap().contains("demo-banner\""));
}

#[test]
fn a_plan_without_a_measurable_indicator_says_so_in_one_line() {
    let mut plan = parse(PLAN).unwrap();
    plan.goals.remove(0);
    let r = build(&plan, q("2022Q4"), &full(), &Annotations::default(), &da()).unwrap();
    assert!(!r.measurable);
    assert_eq!(
        r.summary,
        "Ingen af planens 1 mål har en indikator, som indsats måler endnu, så ingen mål er vurderet."
    );
    let html = crate::html::render(&r, &da()).unwrap();
    let summary = html.split("id=\"summary-heading\"").nth(1).unwrap().split("</section>").next().unwrap();
    assert!(!summary.contains("<table"), "no overview table to fill with dashes: {summary}");
}

#[test]
fn the_chart_draws_baseline_and_target_over_their_own_periods_and_marks_the_value_judged() {
    let r = build(&parse(PLAN).unwrap(), q("2022Q4"), &full(), &Annotations::default(), &da()).unwrap();
    let chart = r.goals[0].indicators[0].chart.as_ref().unwrap();
    assert_eq!(chart.x_labels.first().map(String::as_str), Some("2020K1"));
    let line = |style| chart.lines.iter().find(|l| l.style == style).unwrap();
    let drawn = |style| -> Vec<&str> {
        let l = line(style);
        chart.x_labels.iter().zip(&l.values).filter(|(_, v)| v.is_some()).map(|(x, _)| x.as_str()).collect()
    };
    assert_eq!(drawn(LineStyle::Baseline), ["2021K1", "2021K2", "2021K3", "2021K4"]);
    assert_eq!(drawn(LineStyle::Target), ["2022K1", "2022K2", "2022K3", "2022K4"]);
    assert_eq!(drawn(LineStyle::Verdict), ["2022K1", "2022K2", "2022K3", "2022K4"]);
    assert_eq!(line(LineStyle::Verdict).values[11], Some(12.0));
    // The table under the chart has the data lines only.
    let (periods, rows) = chart.table();
    assert_eq!(periods.len(), 12);
    let names: Vec<&str> = rows.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Gladsaxe", "Hele landet", "Sammenlignelige kommuner"]);
    assert_eq!(rows[0].1[11], "12,0 %");
}

#[test]
fn a_baseline_and_target_on_the_same_quarters_and_value_are_one_line() {
    // Before the target period (2023), the target is drawn over the quarters judged, which are
    // the baseline's own: with the same value they would hide each other.
    let mut plan = parse(PLAN).unwrap();
    plan.plan.period = QuarterRange::new(q("2022Q1"), q("2023Q4")).unwrap();
    let ind = &mut plan.goals[0].indicators[0];
    ind.baseline = Some(indsats_domain::plan::Baseline { period: Period::Year(2022), value: Some(12.6) });
    ind.target_period = QuarterRange::of_period(Period::Year(2023)).unwrap();
    let r = build(&plan, q("2022Q4"), &full(), &Annotations::default(), &da()).unwrap();
    let chart = r.goals[0].indicators[0].chart.as_ref().unwrap();
    let labels: Vec<&str> = chart.lines.iter().map(|l| l.label.as_str()).collect();
    assert!(labels.contains(&"Basislinje og mål"), "{labels:?}");
    assert!(!labels.contains(&"Basislinje") && !labels.contains(&"Mål"), "{labels:?}");
}
