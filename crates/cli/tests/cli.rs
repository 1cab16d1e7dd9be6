//! The `indsats` binary as a user runs it.

// Test helpers panic on purpose: a failed step is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]
#![allow(clippy::too_many_lines, reason = "a test reads as one story; the length limit is for non-test code")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

fn indsats(data_dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_indsats"));
    cmd.arg("--data-dir").arg(data_dir).env_remove("DATABASE_URL").env("RUST_LOG", "warn");
    cmd
}

fn run(cmd: &mut Command, stdin: &str) -> (bool, String, String) {
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn user_add_reads_the_password_from_stdin_and_names_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let add = |name: &str, role: &str, password: &str| {
        run(indsats(dir.path()).args(["user", "add", "--username", name, "--role", role, "--password-stdin"]), password)
    };
    let (ok, out, err) = add("Anna.B", "leder", "korrekt-hest-batteri\n");
    assert!(ok, "{err}");
    assert!(out.contains("Added anna.b as leder"));
    let (ok, _, err) = add("anna.b", "leder", "korrekt-hest-batteri\n");
    assert!(!ok);
    assert!(err.contains("already taken"), "{err}");
    let (ok, _, err) = add("bo", "chef", "korrekt-hest-batteri\n");
    assert!(!ok);
    assert!(err.contains("--role") && err.contains("unknown role"), "{err}");
    let (ok, _, err) = add("bo", "udvalg", "kort\n");
    assert!(!ok);
    assert!(err.contains("at least 12 characters"), "{err}");

    let (ok, out, _) = run(indsats(dir.path()).args(["user", "list"]), "");
    assert!(ok);
    assert!(out.contains("anna.b") && out.contains("leder") && out.contains("active"));
    assert!(!out.contains("bo "), "failed adds leave nothing behind");

    let (ok, _, _) = run(indsats(dir.path()).args(["user", "disable", "anna.b"]), "");
    assert!(ok);
    let (_, out, _) = run(indsats(dir.path()).args(["user", "list"]), "");
    assert!(out.contains("disabled"));
    let (ok, _, err) = run(indsats(dir.path()).args(["user", "disable", "ghost"]), "");
    assert!(!ok && err.contains("no user named ghost"), "{err}");
}

#[test]
fn audit_verify_reports_an_intact_log_and_names_a_tampered_row() {
    let dir = tempfile::tempdir().unwrap();
    let add = ["user", "add", "--username", "anna", "--role", "leder", "--password-stdin"];
    let (ok, _, err) = run(indsats(dir.path()).args(add), "korrekt-hest-batteri\n");
    assert!(ok, "{err}");
    let (ok, _, err) = run(indsats(dir.path()).args(["user", "disable", "anna"]), "");
    assert!(ok, "{err}");
    let (ok, out, err) = run(indsats(dir.path()).args(["audit", "verify"]), "");
    assert!(ok, "{err}");
    assert!(out.starts_with("audit log intact: 2 rows\nhead: "), "{out}");

    // Someone with the file lifts the guard and rewrites who was created.
    let url = format!("sqlite://{}", dir.path().join("indsats.db").display());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url).await.unwrap();
        sqlx::raw_sql(
            "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail = '{}' WHERE action = 'user.create'",
        )
        .execute(&mut conn)
        .await
        .unwrap();
    });
    let out = indsats(dir.path()).args(["audit", "verify"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "a broken chain has its own exit code");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout, "audit log broken at row 1: its contents do not match its hash (the row was changed)\n");
}

#[test]
fn demo_seeds_an_empty_data_dir_once() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out, err) = run(indsats(dir.path()).arg("demo"), "");
    assert!(ok, "{err}");
    for role in ["sagsbehandler", "virksomhedskonsulent", "leder", "udvalg", "admin"] {
        assert!(out.contains(role), "{out}");
    }
    let credentials = std::fs::read_to_string(dir.path().join("demo-credentials.txt")).unwrap();
    // One per staff role and the demo citizen's login.
    assert_eq!(credentials.lines().count(), 6);
    assert_eq!(credentials.lines().filter(|l| l.ends_with("(borger)")).count(), 1, "{credentials}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("demo-credentials.txt")).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "only the owner may read the passwords");
    }
    let (ok, _, err) = run(indsats(dir.path()).arg("demo"), "");
    assert!(!ok);
    assert!(err.contains("already holds users"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("demo-credentials.txt")).unwrap(),
        credentials,
        "nothing overwritten"
    );
}

#[test]
fn unreachable_database_gives_one_line_without_the_password() {
    let dir = tempfile::tempdir().unwrap();
    // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    let (ok, _, err) = run(
        indsats(dir.path()).args(["migrate", "--database-url", "postgres://indsats:hemmelig@127.0.0.1:9/indsats"]),
        "",
    );
    assert!(!ok);
    assert!(!err.contains("hemmelig"), "{err}");
    assert!(err.contains("postgres://indsats:***@127.0.0.1:9/indsats"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

#[test]
fn bad_configuration_key_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("indsats.toml");
    std::fs::write(&config, "adress = \"127.0.0.1:1\"\n").unwrap();
    let (ok, _, err) = run(indsats(dir.path()).args(["migrate", "--config"]).arg(&config), "");
    assert!(!ok);
    assert!(err.contains("adress"), "{err}");
}

#[test]
fn serve_seeds_an_empty_dir_answers_and_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = indsats(dir.path())
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = String::new();
    let addr = loop {
        let line = lines.next().expect("server output ended early").unwrap();
        seen.push_str(&line);
        seen.push('\n');
        if let Some(rest) = line.strip_prefix("indsats serves on http://") {
            break rest.split('/').next().unwrap().to_owned();
        }
    };
    assert!(seen.contains("Demo data seeded"), "{seen}");
    assert!(seen.contains("admin"), "{seen}");

    let mut stream = TcpStream::connect(&addr).unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.ends_with("ok"));

    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "graceful shutdown exits 0, got {exit:?}");

    // A second start finds the data and does not seed again.
    let out = indsats(dir.path()).args(["user", "list"]).output().unwrap();
    // A header, the five demo users, the demo's 99 other caseworkers and one citizen, once.
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 6 + 99 + 1);
    assert!(seen.contains("Demo caseload:"), "{seen}");
    let key = std::fs::metadata(dir.path().join("cpr.key")).unwrap();
    assert_eq!(std::os::unix::fs::PermissionsExt::mode(&key.permissions()) & 0o777, 0o600);
}

fn register_files(dir: &std::path::Path, benefits: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("persons.csv"),
        "person_id,birth_date,sex,origin\n1,1990-05-17,K,dansk\n2,1960-01-01,M,dansk\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("residence.csv"),
        "person_id,municipality,from_date,to_date\n1,175,2000-01-01,\n2,159,2000-01-01,\n",
    )
    .unwrap();
    std::fs::write(dir.join("benefits.csv"), benefits).unwrap();
    std::fs::write(dir.join("activation.csv"), "person_id,kind,from_week,to_week\n").unwrap();
}

#[test]
fn import_lists_every_problem_and_keeps_the_previous_data() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let data = dir.path().join("register");
    register_files(&input, "person_id,benefit,from_week,to_week\n1,sygedagpenge,202101,202113\n");
    let (ok, out, err) =
        run(indsats(dir.path()).args(["import", "register", "--from"]).arg(&input).arg("--out").arg(&data), "");
    assert!(ok, "{err}");
    assert!(out.contains("Imported 2 persons"), "{out}");

    register_files(
        &input,
        "person_id,benefit,from_week,to_week\n1,bistand,202101,202113\n2,sygedagpenge,202113,202101\n",
    );
    let (ok, _, err) =
        run(indsats(dir.path()).args(["import", "register", "--from"]).arg(&input).arg("--out").arg(&data), "");
    assert!(!ok);
    assert!(err.contains("2 problem(s) found; nothing was written"), "{err}");
    assert!(err.contains("benefits.csv row 1, column benefit, value \"bistand\""), "{err}");
    assert!(err.contains("benefits.csv row 2, column to_week, value \"202101\": before from_week"), "{err}");

    // The first import is still in force: 13 weeks of sickness benefit in 2021Q1 for person 1 in 175.
    let (ok, csv, err) = run(
        indsats(dir.path()).args(["indicators", "--data"]).arg(&data).args([
            "--municipality",
            "175",
            "--period",
            "quarter",
            "--from",
            "2021Q1",
            "--to",
            "2021Q1",
        ]),
        "",
    );
    assert!(ok, "{err}");
    assert!(csv.starts_with("municipality,period,indicator,dimension,category,value,persons\n"));
    assert!(csv.contains("175,2021Q1,fuldtid.sygedagpenge,i_alt,i_alt,1.000000,1\n"), "{csv}");
    assert!(csv.contains("175,2021Q1,andel.sygedagpenge,i_alt,i_alt,100.000000,1\n"), "{csv}");
    assert!(!csv.contains("\n159,"), "only the municipality asked for");
}

/// Runs a poppler tool (poppler-utils: `apt-get install -y poppler-utils`) and returns its stdout.
fn poppler(tool: &str, args: &[&std::ffi::OsStr]) -> String {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {tool} ({e}); install poppler-utils: apt-get install -y poppler-utils"));
    assert!(out.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The Danish report figure as a person checks it against the engine's CSV: one decimal, comma.
fn danish_percent(value: f64) -> String {
    format!("{value:.1} %").replace('.', ",")
}

/// `indsats indicators` for Gladsaxe, the year 2022, as CSV.
fn gladsaxe_2022(dir: &std::path::Path, data: &std::path::Path) -> String {
    let (ok, csv, err) = run(
        indsats(dir).args(["indicators", "--data"]).arg(data).args([
            "--municipality",
            "159",
            "--period",
            "year",
            "--from",
            "2022",
            "--to",
            "2022",
        ]),
        "",
    );
    assert!(ok, "{err}");
    csv
}

/// The value of one indicator and category in the engine's CSV.
fn engine_figure(csv: &str, indicator: &str, category: &str) -> f64 {
    csv.lines()
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|c| c[2] == indicator && c[4] == category)
        .unwrap_or_else(|| panic!("no {indicator} {category} in the engine's panel"))[5]
        .parse()
        .unwrap()
}

#[test]
#[ignore = "needs poppler-utils (pdftoppm, pdftotext); .ci/run installs it and runs them"]
fn the_gladsaxe_report_renders_as_html_and_a_pdf_that_opens_with_every_goal_judged() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("register");
    let plan_file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../plans/gladsaxe-2022.toml");
    let (ok, _, err) = run(
        indsats(dir.path())
            .args(["demo", "register", "--municipalities", "159", "--from", "2020", "--to", "2022", "--seed", "3"])
            .arg("--out")
            .arg(&data),
        "",
    );
    assert!(ok, "{err}");

    // The engine's own 2022 figures for Gladsaxe, to find in the report.
    let csv = gladsaxe_2022(dir.path(), &data);
    let figure = |indicator: &str, category: &str| engine_figure(&csv, indicator, category);

    let pdf = dir.path().join("rapport.pdf");
    let html = dir.path().join("rapport.html");
    for (format, out) in [("pdf", &pdf), ("html", &html)] {
        let (ok, _, err) = run(
            indsats(dir.path())
                .args(["report", "--quarter", "2022Q4", "--format", format, "--plan"])
                .arg(&plan_file)
                .arg("--data")
                .arg(&data)
                .arg("--out")
                .arg(out),
            "",
        );
        assert!(ok, "{format}: {err}");
        assert!(err.contains("7 goals"), "{err}");
    }
    let html = std::fs::read_to_string(&html).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") || html.starts_with("<!doctype html>"), "{}", &html[..40]);
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"), "the HTML needs nothing from outside");

    // The PDF opens: pdftoppm draws every page.
    let pages_dir = dir.path().join("sider");
    std::fs::create_dir(&pages_dir).unwrap();
    poppler(
        "pdftoppm",
        &["-png".as_ref(), "-r".as_ref(), "20".as_ref(), pdf.as_os_str(), pages_dir.join("s").as_os_str()],
    );
    let pngs = std::fs::read_dir(&pages_dir).unwrap().count();
    let text = poppler("pdftotext", &["-enc".as_ref(), "UTF-8".as_ref(), pdf.as_os_str(), "-".as_ref()]);
    assert_eq!(text.matches('\u{c}').count(), pngs, "pdftotext and pdftoppm see the same pages");
    // The sections flow on: no page is near-empty (the last may be shorter), and every page
    // says that the demo register's figures are invented.
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert_eq!(pages.len(), pngs);
    for (n, page) in pages.iter().enumerate() {
        let letters = page.chars().filter(|c| c.is_alphanumeric()).count();
        let least = if n + 1 == pages.len() { 150 } else { 1200 };
        assert!(letters >= least, "page {} of {pngs} is near-empty ({letters} letters): {page}", n + 1);
        assert!(page.contains("Demodata: alle tal i denne rapport er opdigtede"), "page {} not marked", n + 1);
    }
    // Words hyphenated at a line end come back whole.
    let text = text.replace("\u{ad}\n", "").split_whitespace().collect::<Vec<_>>().join(" ");
    // The goals without an indicator are not measured, and the partly measured goal says how
    // many of its indicators were.
    assert!(text.contains("Ikke målt") && text.contains("2 af 4 indikatorer målt"), "{text}");

    let source = std::fs::read_to_string(&plan_file).unwrap();
    let plan = indsats_domain::plan::parse(&source).unwrap();
    let statuses = ["Opfyldt", "På vej", "I risiko", "Ikke opfyldt", "Ingen tal endnu", "Ikke målt"];
    // Each goal's section starts with its title and runs to the next goal's title.
    let starts: Vec<usize> = plan
        .goals
        .iter()
        .map(|g| {
            let heading = g.title.split_whitespace().collect::<Vec<_>>().join(" ");
            text.rfind(&heading).unwrap_or_else(|| panic!("no page for goal {:?}", g.title))
        })
        .collect();
    for (k, goal) in plan.goals.iter().enumerate() {
        let end = starts.iter().copied().filter(|&s| s > starts[k]).min().unwrap_or(text.len());
        let page = &text[starts[k]..end];
        assert!(statuses.iter().any(|s| page.contains(s)), "goal {:?} shows no status: {page}", goal.title);
        let titles: Vec<String> =
            goal.indicators.iter().map(|i| i.title.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
        let at: Vec<usize> = titles
            .iter()
            .map(|t| page.find(t.as_str()).unwrap_or_else(|| panic!("{t:?} missing on its goal's page")))
            .collect();
        for (i, (indicator, title)) in goal.indicators.iter().zip(&titles).enumerate() {
            let end = at.iter().copied().filter(|&s| s > at[i]).min().unwrap_or(page.len());
            let section = &page[at[i]..end];
            for heading in ["Værdi", "Basislinje", "Mål"] {
                assert!(section.contains(heading), "{title:?}: no {heading}");
            }
            if let Some(baseline) = indicator.baseline.as_ref().and_then(|b| b.value) {
                let printed = danish_percent(baseline);
                assert!(section.contains(&printed), "{title:?}: baseline {printed} missing");
            }
            match indicator.measure {
                indsats_domain::plan::Measure::Register(measure) => {
                    let value = danish_percent(figure(&measure.to_string(), &indicator.category.to_string()));
                    assert!(section.contains(&value), "{title:?}: the engine's 2022 figure {value} missing");
                }
                // Collected by a later module: never judged without figures.
                _ => assert!(section.contains("Ikke målt"), "{title:?}: should be Ikke målt"),
            }
        }
    }
}

#[test]
fn report_lang_en_writes_the_report_in_english_and_danish_stays_the_default() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("register");
    let plan_file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../plans/gladsaxe-2022.toml");
    let (ok, _, err) = run(
        indsats(dir.path())
            .args(["demo", "register", "--municipalities", "159", "--from", "2021", "--to", "2022", "--seed", "3"])
            .arg("--out")
            .arg(&data),
        "",
    );
    assert!(ok, "{err}");
    let report = |lang: Option<&str>| {
        let out = dir.path().join(format!("rapport-{}.html", lang.unwrap_or("default")));
        let mut cmd = indsats(dir.path());
        cmd.args(["report", "--quarter", "2022Q4", "--plan"]).arg(&plan_file).arg("--data").arg(&data);
        if let Some(lang) = lang {
            cmd.args(["--lang", lang]);
        }
        let (ok, _, err) = run(cmd.arg("--out").arg(&out), "");
        assert!(ok, "{lang:?}: {err}");
        std::fs::read_to_string(out).unwrap()
    };
    let english = report(Some("en"));
    assert!(english.contains("<html lang=\"en\">") && english.contains("Goal fulfilment Q4 2022"));
    assert!(english.contains("2022 Q4") && english.contains("Status quarter by quarter"));
    for danish in ["Opfyldt", "På vej", "I risiko", "Ikke målt", "Målopfyldelse", "Oversigt", "2022K4"] {
        assert!(!english.contains(danish), "{danish:?} in the English report");
    }
    let danish = report(None);
    assert!(danish.contains("<html lang=\"da\">") && danish.contains("Målopfyldelse 4. kvartal 2022"));
    assert_eq!(danish, report(Some("da")), "Danish is the default");
    let (ok, _, err) = run(indsats(dir.path()).args(["report", "--lang", "fr"]), "");
    assert!(!ok && err.contains("fr"), "{err}");
}
