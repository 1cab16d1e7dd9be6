//! HTTP tests of "Plan og mål": the admin loads plan files, managers (leder) set action status
//! and write the quarter's comment on a goal, and a stale edit is refused, not written over.
//! Every test runs on SQLite and on PostgreSQL (see `support`).

// Test helpers panic on purpose: a failed step is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

mod support;

use axum::http::StatusCode;
use indsats_domain::Role;
use support::{Client, Page, Part, TestApp, escape_html, on_both_databases};

/// Gladsaxe's plan 2022, one of the example plans.
const GLADSAXE: &str = include_str!("../../../plans/gladsaxe-2022.toml");
const PLAN: &str = "gladsaxe-2022";
const TITLE: &str = "Beskæftigelsesplan 2022";
const GOAL: &str = "kortere-ledighed";
const GOAL_TITLE: &str = "Vi vil forkorte ledighedsperioden og sikre arbejdsmarkedstilknytning";
const ACTION: &str = "jobklub";
const ACTION_TITLE: &str = "Individuelt tilrettelagte jobklubber";
const OTHER_ACTION: &str = "faerre-skift";
const NO_PLAN: &str = "Der er ikke indlæst nogen plan endnu.";

/// Gladsaxe's plan with an action plan of two actions for its last goal, `kortere-ledighed`
/// (the example plans have none).
fn with_actions() -> String {
    format!(
        r#"{GLADSAXE}

[[goals.action_plans]]
id = "handleplan-ledighed"
title = "Handleplan for kortere ledighed"

[[goals.action_plans.actions]]
id = "{ACTION}"
title = "{ACTION_TITLE}"
owner = "Jobcenteret"
due = 2022-06-30

[[goals.action_plans.actions]]
id = "{OTHER_ACTION}"
title = "Færre sagsbehandlerskift"
"#
    )
}

fn goal_url(quarter: &str) -> String {
    format!("/plan/{PLAN}/maal/{GOAL}?kvartal={quarter}")
}

fn comment_url() -> String {
    format!("/plan/{PLAN}/maal/{GOAL}/kommentar")
}

fn action_url(action: &str) -> String {
    format!("/plan/{PLAN}/handlinger/{action}")
}

/// Opens the plan list, as the admin does before choosing a file, and posts the load form.
async fn upload(client: &mut Client<'_>, parts: &[Part]) -> Page {
    client.get("/plan").await;
    client.post_multipart("/plan", parts).await
}

/// The load form with a chosen file and the text box left empty, as a browser sends it.
fn file(name: &str, bytes: &[u8]) -> [Part; 2] {
    [Part::file("plan_file", name, bytes), Part::text("plan", "")]
}

/// The version the plan list shows for `plan_id`, if it lists the plan.
fn listed_version(page: &Page, plan_id: &str) -> Option<i64> {
    let row = page.body.split(&format!("<a href=\"/plan/{plan_id}\">")).nth(1)?.split("</tr>").next()?;
    row.split("<td class=\"num\">").nth(1)?.split("</td>").next()?.parse().ok()
}

/// The table row of a page that holds `text`.
fn row_with<'p>(page: &'p Page, text: &str) -> &'p str {
    let escaped = escape_html(text);
    page.body
        .split("<tr>")
        .find(|row| row.contains(&escaped))
        .and_then(|row| row.split("</tr>").next())
        .unwrap_or_else(|| panic!("no row with {text}:\n{}", page.body))
}

/// Line and column (1-based, in characters) where `needle` starts in `text`, as the plan
/// checker counts them.
fn position(text: &str, needle: &str) -> (usize, usize) {
    let start = text.find(needle).unwrap_or_else(|| panic!("{needle} not in the text"));
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or(before).chars().count() + 1;
    (line, column)
}

/// What the plan list holds, seen by a role that cannot load plans.
async fn nothing_stored(app: &TestApp) {
    let mut reader = app.client();
    reader.login(Role::Udvalg).await;
    let list = reader.get("/plan").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.has_text(NO_PLAN), "{}", list.body);
    assert_eq!(reader.get(&format!("/plan/{PLAN}")).await.status, StatusCode::NOT_FOUND);
}

async fn a_plan_file_is_stored_and_a_changed_one_becomes_the_next_version(app: TestApp) {
    let mut admin = app.client();
    admin.login(Role::Admin).await;
    let list = admin.get("/plan").await;
    assert!(list.has_text(NO_PLAN));
    assert!(list.has_form("/plan"), "the admin gets the load form");

    let loaded = upload(&mut admin, &file("gladsaxe-2022.toml", GLADSAXE.as_bytes())).await;
    assert_eq!(loaded.status, StatusCode::SEE_OTHER, "Post/Redirect/Get: {}", loaded.body);
    assert_eq!(loaded.location(), Some("/plan"));
    let page = admin.follow(loaded).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has_text(&format!("{TITLE} er indlæst som version 1.")), "{}", page.body);
    assert_eq!(listed_version(&page, PLAN), Some(1), "{}", page.body);
    assert!(page.body.contains(&format!("<a href=\"/plan/{PLAN}\">{TITLE}</a>")));

    // Another user sees the stored plan, and the receipt is not shown again.
    let mut leader = app.client();
    leader.login(Role::Leder).await;
    let list = leader.get("/plan").await;
    assert_eq!(listed_version(&list, PLAN), Some(1), "{}", list.body);
    assert!(!list.has_text("er indlæst som version"));
    assert!(!list.has_form("/plan"), "only admins load plans");
    assert!(!admin.get("/plan").await.has_text("er indlæst som version"), "the receipt is shown once");

    let again = upload(&mut admin, &file("gladsaxe-2022.toml", GLADSAXE.as_bytes())).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let page = admin.follow(again).await;
    assert!(page.has_text(&format!("{TITLE} er uændret; version 1 gælder fortsat.")), "{}", page.body);
    assert_eq!(listed_version(&page, PLAN), Some(1));

    // A changed text, pasted into the text box this time, is the next version.
    let revised = GLADSAXE.replace(&format!("title = \"{TITLE}\""), "title = \"Beskæftigelsesplan 2022, revideret\"");
    assert_ne!(revised, GLADSAXE);
    let changed = upload(&mut admin, &[Part::no_file("plan_file"), Part::text("plan", &revised)]).await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    let page = admin.follow(changed).await;
    assert!(page.has_text("Beskæftigelsesplan 2022, revideret er indlæst som version 2."), "{}", page.body);
    assert_eq!(listed_version(&leader.get("/plan").await, PLAN), Some(2));

    // Both versions are kept: the first one is still there to read.
    let latest = leader.get(&format!("/plan/{PLAN}")).await;
    assert!(latest.body.contains("<h1>Beskæftigelsesplan 2022, revideret</h1>"), "{}", latest.body);
    let first = leader.get(&format!("/plan/{PLAN}?version=1")).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains(&format!("<h1>{TITLE}</h1>")), "{}", first.body);
}

async fn a_plan_file_with_problems_is_refused_with_each_problem_and_nothing_is_stored(app: TestApp) {
    let bad = GLADSAXE.replacen("measure = \"andel.virksomhedsrettet\"", "measure = \"andel.ingenting\"", 1).replacen(
        "category = \"20-29\"",
        "category = \"20-99\"",
        1,
    );
    let (measure_line, measure_column) = position(&bad, "\"andel.ingenting\"");
    let (category_line, category_column) = position(&bad, "\"20-99\"");
    let mut admin = app.client();
    admin.login(Role::Admin).await;

    let page = upload(&mut admin, &file("gladsaxe-2022.toml", bad.as_bytes())).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.has_text("Planen er ikke indlæst. Ret disse fejl og prøv igen:"), "{}", page.body);
    let expected = [
        format!(
            "gladsaxe-2022.toml: Linje {measure_line}, kolonne {measure_column}: ukendt indikator \"andel.ingenting\""
        ),
        format!("gladsaxe-2022.toml: Linje {category_line}, kolonne {category_column}: ukendt kategori \"20-99\""),
    ];
    for problem in &expected {
        assert!(page.has_text(problem), "{problem} in:\n{}", page.body);
    }
    assert_eq!(page.body.matches("<li><a href=\"#plan-text\">").count(), expected.len(), "every problem, once");
    assert_eq!(page.form("/plan").get("plan"), Some(bad.as_str()), "the file is shown for correcting");
    nothing_stored(&app).await;
}

async fn an_empty_form_and_a_file_that_is_not_text_get_their_danish_sentence(app: TestApp) {
    let mut admin = app.client();
    admin.login(Role::Admin).await;

    let empty = upload(&mut admin, &[Part::no_file("plan_file"), Part::text("plan", " \n")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.has_text("Vælg en planfil, eller indsæt planfilens tekst."), "{}", empty.body);

    let pdf = upload(&mut admin, &file("plan.pdf", &[0x25, 0x50, 0x44, 0x46, 0xff, 0xfe, 0x00])).await;
    assert_eq!(pdf.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        pdf.has_text("plan.pdf er ikke en tekstfil i UTF-8; gem planen som TOML-tekst og prøv igen."),
        "{}",
        pdf.body
    );
    nothing_stored(&app).await;
}

async fn only_an_admin_with_the_forms_token_loads_a_plan(app: TestApp) {
    for role in Role::STAFF.into_iter().filter(|r| *r != Role::Admin) {
        let mut client = app.client();
        client.login(role).await;
        let page = upload(&mut client, &file("gladsaxe-2022.toml", GLADSAXE.as_bytes())).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{role}");
        // The refusal names what was tried, not an area the user never asked for.
        assert!(page.has_text("må du ikke indlæse planfiler"), "{role}: {}", page.body);
        assert!(!page.has_text("Administration."), "{role}: {}", page.body);
        assert!(page.location().is_none(), "a refusal is never a redirect");
    }
    let mut admin = app.client();
    admin.login(Role::Admin).await;
    admin.get("/plan").await;
    let forged = admin.post_multipart_without_csrf("/plan", &file("gladsaxe-2022.toml", GLADSAXE.as_bytes())).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.has_text("Formularen er udløbet"), "{}", forged.body);
    nothing_stored(&app).await;
}

async fn a_leader_sets_an_action_status_and_everyone_sees_it(app: TestApp) {
    app.load_plan(&with_actions()).await;
    let mut leader = app.client();
    leader.login(Role::Leder).await;
    let page = leader.get(&goal_url("2022Q2")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let form = page.form(&action_url(ACTION));
    assert_eq!(
        [form.get("goal"), form.get("kvartal"), form.get("status"), form.get("revision")],
        [Some(GOAL), Some("2022Q2"), Some("not_started"), Some("0")]
    );

    let saved = leader.submit(&form.set("status", "in_progress")).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), Some(goal_url("2022Q2").as_str()));
    let page = leader.follow(saved).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has_text(&format!("Status for »{ACTION_TITLE}« er nu I gang.")), "{}", page.body);
    let form = page.form(&action_url(ACTION));
    assert_eq!((form.get("status"), form.get("revision")), (Some("in_progress"), Some("1")));
    assert_eq!(page.form(&action_url(OTHER_ACTION)).get("status"), Some("not_started"), "only that action changed");
    assert!(!leader.get(&goal_url("2022Q2")).await.has_text("er nu I gang"), "the receipt is shown once");

    // The status belongs to the plan, not the quarter; the committee reads it without a form.
    let mut committee = app.client();
    committee.login(Role::Udvalg).await;
    let page = committee.get(&goal_url("2022Q4")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.has_form(&action_url(ACTION)));
    assert!(row_with(&page, ACTION_TITLE).contains("<td>I gang</td>"), "{}", row_with(&page, ACTION_TITLE));
    assert!(row_with(&page, "Færre sagsbehandlerskift").contains("<td>Ikke startet</td>"));

    // It survives a new version of the plan.
    let revised = with_actions().replace("owner = \"Jobcenteret\"", "owner = \"Jobcenterets ledelse\"");
    assert_eq!(app.load_plan(&revised).await, 2);
    let page = committee.get(&goal_url("2022Q4")).await;
    let row = row_with(&page, ACTION_TITLE);
    assert!(row.contains("<td>Jobcenterets ledelse</td>"), "the page shows the new version: {row}");
    assert!(row.contains("<td>I gang</td>"), "{row}");
}

async fn an_action_status_is_refused_when_bad_not_a_leaders_or_unknown(app: TestApp) {
    app.load_plan(&with_actions()).await;
    let mut leader = app.client();
    leader.login(Role::Leder).await;
    let form = leader.get(&goal_url("2022Q2")).await.form(&action_url(ACTION));

    let bad = leader.submit(&form.clone().set("status", "finished")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.has_text("Feltet «status» er ugyldigt: Vælg en af statusserne på listen."), "{}", bad.body);

    let unknown = leader.submit(&form.clone().posted_to(&action_url("findes-ikke")).set("status", "done")).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.has_text("Siden findes ikke"), "{}", unknown.body);

    let fields = [("goal", GOAL), ("kvartal", "2022Q2"), ("status", "done"), ("revision", "0")];
    for role in Role::STAFF.into_iter().filter(|r| *r != Role::Leder) {
        let mut client = app.client();
        client.login(role).await;
        let page = client.get(&goal_url("2022Q2")).await;
        assert!(!page.has_form(&action_url(ACTION)), "{role} gets no form");
        let refused = client.post_form(&action_url(ACTION), &fields).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{role}: {}", refused.body);
        assert!(refused.has_text("må du ikke ændre status for en handling"), "{role}: {}", refused.body);
    }

    let form = leader.get(&goal_url("2022Q2")).await.form(&action_url(ACTION));
    assert_eq!((form.get("status"), form.get("revision")), (Some("not_started"), Some("0")), "nothing was written");
}

async fn a_leader_saves_a_comment_for_a_quarter_and_the_committee_reads_it(app: TestApp) {
    // Quotes, an ampersand and markup: stored as typed, shown as text.
    const TEXT: &str = "Ledigheden falder, men \"de unge\" halter efter & <b>skal</b> følges.";
    app.load_plan(GLADSAXE).await;
    let mut leader = app.client();
    leader.login(Role::Leder).await;
    let page = leader.get(&goal_url("2022Q3")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let form = page.form(&comment_url());
    assert_eq!([form.get("kvartal"), form.get("comment"), form.get("revision")], [Some("2022Q3"), Some(""), Some("0")]);

    let saved = leader.submit(&form.set("comment", TEXT)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), Some(goal_url("2022Q3").as_str()));
    let page = leader.follow(saved).await;
    assert!(page.has_text(&format!("Kommentaren til »{GOAL_TITLE}« er gemt.")), "{}", page.body);
    let form = page.form(&comment_url());
    assert_eq!((form.get("comment"), form.get("revision")), (Some(TEXT), Some("1")));
    assert_eq!(leader.get(&goal_url("2022Q4")).await.form(&comment_url()).get("comment"), Some(""), "per quarter");

    let mut committee = app.client();
    committee.login(Role::Udvalg).await;
    let page = committee.get(&goal_url("2022Q3")).await;
    assert!(page.body.contains(&format!("<p class=\"comment\">{}</p>", escape_html(TEXT))), "{}", page.body);
    assert!(page.has_text("Skrevet af leder, "), "who wrote it is shown: {}", page.body);
    assert!(!page.body.contains("<b>skal</b>"), "markup in a comment is shown, never run");
    assert!(!page.has_form(&comment_url()));
    assert!(committee.get(&goal_url("2022Q4")).await.has_text("Ingen kommentar til dette kvartal."));
    let report = committee.get(&format!("/plan/{PLAN}/rapport.html?kvartal=2022Q3")).await;
    assert_eq!(report.status, StatusCode::OK);
    assert!(report.has_text(TEXT), "the comment reaches the quarterly report");
}

async fn a_comment_too_long_or_for_a_quarter_outside_the_plan_is_refused(app: TestApp) {
    app.load_plan(GLADSAXE).await;
    let mut leader = app.client();
    leader.login(Role::Leder).await;
    let form = leader.get(&goal_url("2022Q4")).await.form(&comment_url());

    // Too long: the page comes back with the text in the field, the message at it, and the count.
    let too_long = "x".repeat(4001);
    let long = leader.submit(&form.clone().set("comment", &too_long)).await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(long.has_text("Kommentaren må højst være 4000 tegn."), "{}", long.body);
    assert!(long.body.contains("<p class=\"field-error\" id=\"comment-error\">"), "the message is at the field");
    let textarea = long.body.split("<textarea").nth(1).and_then(|t| t.split('>').next()).unwrap();
    assert!(textarea.contains(" aria-invalid=\"true\""), "{textarea}");
    assert!(textarea.contains("aria-describedby=\"comment-count comment-error\""), "{textarea}");
    assert!(long.has_text("4001 / 4000 tegn"), "the counter shows what was typed");
    let kept = long.form(&comment_url());
    assert_eq!(kept.get("comment"), Some(too_long.as_str()), "the text is kept");
    assert_eq!(kept.get("kvartal"), Some("2022Q4"));

    for quarter in ["2023Q1", "2021Q4", "2022Q5"] {
        let outside = leader.submit(&form.clone().set("kvartal", quarter).set("comment", "Uden for perioden")).await;
        assert_eq!(outside.status, StatusCode::UNPROCESSABLE_ENTITY, "{quarter}");
        assert!(
            outside.has_text(&format!(
                "Kvartalet «{quarter}» ligger ikke i planens periode, så kommentaren er ikke gemt."
            )),
            "{quarter}: {}",
            outside.body
        );
        let kept = outside.form(&comment_url());
        assert_eq!(kept.get("comment"), Some("Uden for perioden"), "{quarter}: the text is kept");
        assert_eq!(kept.get("kvartal"), Some("2022Q4"), "{quarter}: offered for the plan's own quarter");
    }
    for quarter in ["2022Q1", "2022Q2", "2022Q3", "2022Q4"] {
        let page = leader.get(&goal_url(quarter)).await;
        assert_eq!(page.form(&comment_url()).get("comment"), Some(""), "nothing was stored for {quarter}");
    }

    // The limit counts characters, not bytes: 4000 of them, two bytes each, are kept.
    let longest = "æ".repeat(4000);
    let saved = leader.submit(&form.set("comment", &longest)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = leader.get(&goal_url("2022Q4")).await;
    assert_eq!(page.form(&comment_url()).get("comment"), Some(longest.as_str()));
}

async fn a_stale_comment_is_refused_and_the_first_text_stays(app: TestApp) {
    const FIRST: &str = "Ledigheden falder, men de unge halter efter.";
    const SECOND: &str = "De langvarige fylder stadig for meget.";
    app.load_plan(GLADSAXE).await;
    // The same manager in two tabs (two sessions): both open the goal before either saves.
    let (mut one, mut two) = (app.client(), app.client());
    one.login(Role::Leder).await;
    two.login(Role::Leder).await;
    let seen_by_one = one.get(&goal_url("2022Q4")).await.form(&comment_url());
    let seen_by_two = two.get(&goal_url("2022Q4")).await.form(&comment_url());

    let saved = one.submit(&seen_by_one.set("comment", FIRST)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    let stale = two.submit(&seen_by_two.set("comment", SECOND)).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(
        stale.has_text(
            "Kommentaren er ændret af en anden, mens du havde siden åben, så din tekst er ikke gemt endnu. Den står stadig i feltet, og den gemte tekst står herunder."
        ),
        "{}",
        stale.body
    );
    let refused = stale.form(&comment_url());
    assert_eq!(refused.get("comment"), Some(SECOND), "the field keeps what the second user typed");
    assert_eq!(refused.get("revision"), Some("1"), "and the form carries the revision it now has");
    // The saved text stands beside the field, with who wrote it, inside the notice that takes focus.
    let notice = stale.body.split("id=\"comment-conflict\"").nth(1).and_then(|n| n.split("</div>").next()).unwrap();
    assert!(notice.contains(&format!("<p class=\"comment saved-comment\">{FIRST}</p>")), "{notice}");
    assert!(notice.contains("Skrevet af leder, "), "{notice}");
    let notice_tag = stale.body.split("<div class=\"field-notice\"").nth(1).and_then(|t| t.split('>').next()).unwrap();
    assert!(notice_tag.contains("autofocus") && notice_tag.contains("tabindex=\"-1\""), "{notice_tag}");
    assert!(stale.body.contains("aria-describedby=\"comment-count comment-conflict\""), "{}", stale.body);

    let mut committee = app.client();
    committee.login(Role::Udvalg).await;
    let page = committee.get(&goal_url("2022Q4")).await;
    assert!(page.body.contains(&format!("<p class=\"comment\">{FIRST}</p>")), "{}", page.body);
    assert!(!page.has_text(SECOND), "the stale edit wrote nothing");

    // Saved again from the refused page as it stands (it carries the current revision).
    let retried = two.submit(&refused).await;
    assert_eq!(retried.status, StatusCode::SEE_OTHER, "{}", retried.body);
    let form = one.get(&goal_url("2022Q4")).await.form(&comment_url());
    assert_eq!((form.get("comment"), form.get("revision")), (Some(SECOND), Some("2")));
}

async fn a_stale_action_status_is_refused_and_the_first_status_stays(app: TestApp) {
    app.load_plan(&with_actions()).await;
    let (mut one, mut two) = (app.client(), app.client());
    one.login(Role::Leder).await;
    two.login(Role::Leder).await;
    let seen_by_one = one.get(&goal_url("2022Q2")).await.form(&action_url(ACTION));
    let seen_by_two = two.get(&goal_url("2022Q2")).await.form(&action_url(ACTION));

    let saved = one.submit(&seen_by_one.set("status", "in_progress")).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    let stale = two.submit(&seen_by_two.set("status", "dropped")).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(
        stale.has_text(&format!(
            "»{ACTION_TITLE}« er ændret af en anden, mens du havde siden åben. Her er den aktuelle status; gør din ændring igen, hvis den stadig skal gælde."
        )),
        "{}",
        stale.body
    );
    let refused = stale.form(&action_url(ACTION));
    assert_eq!((refused.get("status"), refused.get("revision")), (Some("in_progress"), Some("1")));

    let mut committee = app.client();
    committee.login(Role::Udvalg).await;
    let page = committee.get(&goal_url("2022Q2")).await;
    assert!(row_with(&page, ACTION_TITLE).contains("<td>I gang</td>"), "{}", page.body);

    let retried = two.submit(&refused.set("status", "dropped")).await;
    assert_eq!(retried.status, StatusCode::SEE_OTHER, "{}", retried.body);
    let page = committee.get(&goal_url("2022Q2")).await;
    assert!(row_with(&page, ACTION_TITLE).contains("<td>Opgivet</td>"), "{}", page.body);
}

/// A long plan file (here padded with comments past 1 MiB) loads as long as the whole body is
/// within the router's limit: the CSRF check reads as much as the handler would.
async fn a_plan_file_over_a_mebibyte_loads_and_one_over_the_limit_is_refused(app: TestApp) {
    let mut admin = app.client();
    admin.login(Role::Admin).await;
    let padding = "# Bemærkning til planen, gentaget for at gøre filen lang.\n".repeat(1_500_000 / 58);
    let long = format!("{GLADSAXE}{padding}");
    assert!(long.len() > 1024 * 1024 && long.len() < 2 * 1024 * 1024 - 4096, "{}", long.len());
    let loaded = upload(&mut admin, &file("gladsaxe-2022.toml", long.as_bytes())).await;
    assert_eq!(loaded.status, StatusCode::SEE_OTHER, "{}", loaded.body);
    let list = admin.get("/plan").await;
    assert_eq!(listed_version(&list, PLAN), Some(1), "{}", list.body);

    let too_long = format!("{long}{padding}");
    let refused = upload(&mut admin, &file("gladsaxe-2022.toml", too_long.as_bytes())).await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", refused.body);
    let list = admin.get("/plan").await;
    assert_eq!(listed_version(&list, PLAN), Some(1), "nothing more was stored: {}", list.body);
}

async fn a_goal_without_register_figures_still_opens_and_takes_a_comment(app: TestApp) {
    // The small register has figures for 159 and 175 only; København (101) has none.
    let elsewhere = GLADSAXE.replacen("municipality = 159", "municipality = 101", 1);
    assert_ne!(elsewhere, GLADSAXE);
    app.load_plan(&elsewhere).await;
    let mut leader = app.client();
    leader.login(Role::Leder).await;
    let page = leader.get(&goal_url("2022Q4")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.has_text("Der er ingen registertal for København til og med 2022K4"), "{}", page.body);
    assert!(page.body.contains(&format!("<h1>{}</h1>", escape_html(GOAL_TITLE))), "{}", page.body);
    let saved = leader.submit(&page.form(&comment_url()).set("comment", "Tallene mangler stadig.")).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = leader.follow(saved).await;
    assert_eq!(page.form(&comment_url()).get("comment"), Some("Tallene mangler stadig."));
    // The plan page says the same, once, instead of failing.
    let plan = leader.get(&format!("/plan/{PLAN}?kvartal=2022Q4")).await;
    assert_eq!(plan.status, StatusCode::OK);
    assert!(plan.has_text("Der er ingen registertal for København"), "{}", plan.body);
}

async fn quarters_are_written_2022k4_and_a_quarter_so_written_is_read(app: TestApp) {
    app.load_plan(GLADSAXE).await;
    let mut committee = app.client();
    committee.login(Role::Udvalg).await;
    let plan = committee.get(&format!("/plan/{PLAN}?kvartal=2022K3")).await;
    assert_eq!(plan.status, StatusCode::OK, "the Danish way of writing it is read: {}", plan.body);
    assert!(plan.has_text("Mål og status i 2022K3"), "{}", plan.body);
    assert!(plan.has_text("Periode 2022K1–2022K4"), "{}", plan.body);
    assert!(!plan.body.contains(">2022Q"), "no quarter written the other way in the text: {}", plan.body);
    let bad = committee.get(&format!("/plan/{PLAN}?kvartal=efteråret")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.has_text("Skriv et kvartal i planens periode, fx 2022K4."), "{}", bad.body);
}

async fn plan_texts_keep_their_paragraphs_lists_and_values(app: TestApp) {
    let mission = GLADSAXE.lines().find(|l| l.starts_with("mission = ")).unwrap();
    let text = GLADSAXE.replacen(
        mission,
        "mission = \"\"\"\nVi hjælper borgere i job.\n\nDet gør vi ved at:\n- lytte\n- handle\"\"\"\n\n\
         [[policy.values]]\ntitle = \"Tillid\"\ntext = \"Vi møder borgeren med tillid & respekt.\"",
        1,
    );
    app.load_plan(&text).await;
    let mut committee = app.client();
    committee.login(Role::Udvalg).await;
    let page = committee.get(&format!("/plan/{PLAN}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains(
            "<p>Vi hjælper borgere i job.</p><p>Det gør vi ved at:</p><ul><li>lytte</li><li>handle</li></ul>"
        ),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("<dt>Tillid</dt><dd class=\"prose\"><p>Vi møder borgeren med tillid &#38; respekt.</p></dd>"),
        "{}",
        page.body
    );
    // A strategic goal's text of three paragraphs stays three paragraphs.
    assert!(
        page.body
            .contains("rekruttere kvalificeret og nødvendig arbejdskraft, når behovet opstår.</p><p>Undersøgelser"),
        "{}",
        page.body
    );
}

async fn the_comment_counter_counts_characters_and_only_for_those_who_comment(app: TestApp) {
    app.load_plan(GLADSAXE).await;
    let counter = format!("/plan/{PLAN}/maal/{GOAL}/kommentar/taeller");
    let mut leader = app.client();
    leader.login(Role::Leder).await;
    let page = leader.get(&goal_url("2022Q4")).await;
    assert!(page.has_text("0 / 4000 tegn"), "the page prints the count itself: {}", page.body);
    assert!(page.body.contains(&format!("hx-post=\"{counter}\"")), "htmx updates it while typing");
    let count = leader.post_form(&counter, &[("comment", "  æøå  ")]).await;
    assert_eq!(count.status, StatusCode::OK);
    assert_eq!(count.body, "3 / 4000 tegn", "characters, not bytes, without the blanks around");
    let mut committee = app.client();
    committee.login(Role::Udvalg).await;
    committee.get(&goal_url("2022Q4")).await;
    assert_eq!(committee.post_form(&counter, &[("comment", "x")]).await.status, StatusCode::FORBIDDEN);
}

async fn a_broken_header_and_a_broken_goal_are_listed_in_one_round(app: TestApp) {
    let bad = GLADSAXE.replacen("from = \"2022Q1\"", "from = \"2022Q9\"", 1).replacen(
        "category = \"20-29\"",
        "category = \"20-99\"",
        1,
    );
    let mut admin = app.client();
    admin.login(Role::Admin).await;
    let page = upload(&mut admin, &file("gladsaxe-2022.toml", bad.as_bytes())).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let (line, _) = position(&bad, "\"2022Q9\"");
    assert!(
        page.has_text(&format!("gladsaxe-2022.toml: Linje {line}, kolonne")),
        "the header's problem: {}",
        page.body
    );
    assert!(page.has_text("ukendt kategori \"20-99\""), "and the goal's, in the same round: {}", page.body);
    nothing_stored(&app).await;
}

// Goal pages judge the goals, so they need figures for Gladsaxe in 2021 (the baselines) and 2022.
on_both_databases!(
    register: crate::support::small_register(2021, 2022);
    a_plan_file_is_stored_and_a_changed_one_becomes_the_next_version,
    a_plan_file_with_problems_is_refused_with_each_problem_and_nothing_is_stored,
    a_plan_file_over_a_mebibyte_loads_and_one_over_the_limit_is_refused,
    an_empty_form_and_a_file_that_is_not_text_get_their_danish_sentence,
    only_an_admin_with_the_forms_token_loads_a_plan,
    a_leader_sets_an_action_status_and_everyone_sees_it,
    an_action_status_is_refused_when_bad_not_a_leaders_or_unknown,
    a_leader_saves_a_comment_for_a_quarter_and_the_committee_reads_it,
    a_comment_too_long_or_for_a_quarter_outside_the_plan_is_refused,
    a_stale_comment_is_refused_and_the_first_text_stays,
    a_stale_action_status_is_refused_and_the_first_status_stays,
    a_goal_without_register_figures_still_opens_and_takes_a_comment,
    quarters_are_written_2022k4_and_a_quarter_so_written_is_read,
    plan_texts_keep_their_paragraphs_lists_and_values,
    the_comment_counter_counts_characters_and_only_for_those_who_comment,
    a_broken_header_and_a_broken_goal_are_listed_in_one_round,
);
