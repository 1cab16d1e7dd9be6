//! `indsats rules` as a user runs it.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

use std::process::Command;

/// Runs `indsats rules ARGS` and returns (exit code, stdout, stderr).
fn rules(args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_indsats"))
        .arg("--data-dir")
        .arg(dir.path())
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .arg("rules")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> Vec<serde_json::Map<String, serde_json::Value>> {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (code, out, err) = rules(&all);
    assert_eq!(code, 0, "{err}");
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    value.as_array().unwrap().iter().map(|o| o.as_object().unwrap().clone()).collect()
}

#[test]
fn due_gives_different_obligations_for_the_same_course_before_and_after_1_july_2026() {
    let before = json(&["due", "--group", "dagpenge", "--start", "2025-01-06"]);
    let after = json(&["due", "--group", "dagpenge", "--start", "2027-01-04"]);
    for o in before.iter().chain(&after) {
        let mut keys: Vec<&str> = o.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["count", "due", "holder", "kind", "source"], "exactly these keys");
    }
    let summary = |list: &[serde_json::Map<String, serde_json::Value>]| {
        list.iter()
            .map(|o| format!("{} {} {}", o["kind"].as_str().unwrap(), o["holder"].as_str().unwrap(), o["count"]))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        summary(&before),
        [
            "conversation akasse 1",
            "conversation akasse 3",
            "conversation kommune 3",
            "offer kommune 1",
            "joint_conversation kommune 1"
        ]
    );
    assert_eq!(
        summary(&after),
        [
            "conversation akasse 1",
            "conversation akasse 2",
            "conversation kommune 2",
            "offer kommune 1",
            "joint_conversation kommune 1"
        ]
    );
    assert_eq!(before[1]["due"], "2025-04-04");
    assert!(before.iter().all(|o| o["source"].as_str().unwrap().starts_with("lab-2024.toml: LAB §")));
    assert!(after.iter().all(|o| o["source"].as_str().unwrap().starts_with("lov1750-2026-07.toml: ")));

    let kh_before = json(&["due", "--group", "kontanthjaelp_jobparat", "--start", "2026-03-02"]);
    let kh_after = json(&["due", "--group", "kontanthjaelp_jobparat", "--start", "2026-09-01"]);
    assert_eq!(kh_before.len(), 3);
    assert_eq!(kh_before[1]["due"], "2026-09-02");
    assert_eq!(kh_after[1]["source"].as_str().unwrap().split(':').next(), Some("lov1750-2026-07.toml"));
}

#[test]
fn due_as_text_is_an_aligned_table_with_notes() {
    let (code, out, err) = rules(&["due", "--group", "sygedagpenge", "--start", "2026-03-02"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "sygedagpenge from 2026-03-02, full-time without breaks");
    assert!(lines[1].starts_with("due         kind       holder   count  notes  source"), "{out}");
    // Week 8 (lab-2024), then lov 1750's one conversation in the half-year, flagged for the transition.
    assert!(
        lines[2].starts_with("2026-04-26  follow_up  kommune      1         lab-2024.toml: Sygedagpengeloven § 13 b"),
        "{out}"
    );
    assert!(lines[3].starts_with("2026-09-02  follow_up  kommune      1  [1]    lov1750-2026-07.toml:"), "{out}");
    assert!(out.contains("For a human look:\n[1] uncertain: whether the sygedagpenge change took effect"), "{out}");

    let (code, out, _) =
        rules(&["due", "--group", "sygedagpenge", "--start", "2026-09-01", "--employed", "--expected-weeks", "12"]);
    assert_eq!(code, 0);
    assert!(out.contains("No obligations are due"), "{out}");
}

#[test]
fn bad_input_gets_a_clear_message_and_exit_code_2() {
    let (code, _, err) = rules(&["due", "--group", "kontanthjaelp", "--start", "2026-07-01"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown target group \"kontanthjaelp\""), "{err}");
    assert!(
        err.contains("dagpenge, kontanthjaelp_jobparat, kontanthjaelp_aktivitetsparat, uddannelseshjaelp"),
        "{err}"
    );

    let (code, _, err) = rules(&["due", "--group", "dagpenge", "--start", "1-7-2026"]);
    assert_eq!(code, 2);
    assert!(err.contains("\"1-7-2026\" is not a date; expected YYYY-MM-DD"), "{err}");

    let (code, _, err) = rules(&["due", "--group", "ressourceforloeb", "--start", "2026-08-01"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("ressourceforloeb is closed to new entrants on 2026-08-01 under lov1750-2026-07.toml"),
        "{err}"
    );
    let (code, _, err) = rules(&["due", "--group", "ressourceforloeb", "--start", "2026-06-01"]);
    assert_eq!(code, 0, "{err}");

    let (code, _, err) = rules(&["due", "--group", "dagpenge", "--start", "2023-06-01"]);
    assert_eq!(code, 2);
    assert!(err.contains("not modelled"), "{err}");

    let (code, _, err) = rules(&["due", "--group", "dagpenge", "--start", "2026-06-01", "--adopt", "reform-2099"]);
    assert_eq!(code, 2);
    assert!(err.contains("reform-2099") && err.contains("lab-2024, lov1750-2026-07, reform-2027"), "{err}");
}

#[test]
fn list_shows_the_regimes_and_the_groups_and_adopt_previews_2027() {
    let (code, out, err) = rules(&["list"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("lab-2024         2024-01-01  yes "), "{out}");
    assert!(out.contains("lov1750-2026-07  2026-07-01  yes "), "{out}");
    assert!(out.contains("reform-2027      2027-01-01  no (ignored until adopted)"), "{out}");
    assert!(
        out.contains("ressourceforloeb               LAB § 6 nr. 8    from 2026-07-01 (lov1750-2026-07, uncertain)"),
        "{out}"
    );
    let jobafklaring = out.lines().find(|l| l.starts_with("jobafklaring")).unwrap();
    assert!(!jobafklaring.contains("from"), "{jobafklaring}");

    let (_, out, _) = rules(&["list", "--adopt", "reform-2027"]);
    assert!(out.contains("reform-2027      2027-01-01  yes"), "{out}");
    assert!(out.lines().any(|l| l.starts_with("jobafklaring") && l.contains("from 2027-01-01")), "{out}");

    let shipped = json(&["due", "--group", "dagpenge", "--start", "2026-09-07"]);
    let adopted = json(&["due", "--group", "dagpenge", "--start", "2026-09-07", "--adopt", "reform-2027"]);
    assert!(shipped.iter().all(|o| !o["source"].as_str().unwrap().starts_with("reform-2027")));
    assert!(adopted.iter().any(|o| o["source"].as_str().unwrap().starts_with("reform-2027.toml: ")));
}
