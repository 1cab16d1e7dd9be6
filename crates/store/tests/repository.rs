//! One repository test suite, run against both backends.
//!
//! SQLite runs always. The PostgreSQL variants are `#[ignore]`d with the reason,
//! so a machine with only the Rust toolchain reports them as skipped; `.ci/run`
//! runs them with `--ignored` against a real server named by
//! `INDSATS_TEST_POSTGRES_URL`, each test in a database of its own.

// Test helpers panic on purpose: a failed step is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use indsats_domain::{MunicipalityCode, Role, Username};
use indsats_store::{NewSession, NewUser, PostgresStore, SaveOutcome, Site, SqliteStore, Store, StoreError};

mod suite {
    use super::*;

    fn username(s: &str) -> Username {
        Username::parse(s).unwrap()
    }

    async fn add(store: &dyn Store, name: &str, role: Role) -> indsats_store::UserId {
        store
            .create_user(&NewUser {
                username: username(name),
                display_name: format!("Navn {name}"),
                role,
                password_hash: "$argon2id$fake".into(),
            })
            .await
            .unwrap()
    }

    pub async fn users_round_trip_and_names_are_unique(store: &dyn Store) {
        assert_eq!(store.count_users().await.unwrap(), 0);
        let id = add(store, "anna", Role::Sagsbehandler).await;
        add(store, "bo", Role::Udvalg).await;
        let anna = store.user_by_username(&username("anna")).await.unwrap().unwrap();
        assert_eq!(anna.id, id);
        assert_eq!(anna.role, Role::Sagsbehandler);
        assert_eq!(anna.display_name, "Navn anna");
        assert!(!anna.disabled);
        assert!(store.user_by_username(&username("carl")).await.unwrap().is_none());

        let again = store
            .create_user(&NewUser {
                username: username("anna"),
                display_name: "Anden Anna".into(),
                role: Role::Admin,
                password_hash: "x".into(),
            })
            .await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
        let names: Vec<String> =
            store.list_users().await.unwrap().into_iter().map(|u| u.username.to_string()).collect();
        assert_eq!(names, ["anna", "bo"]);
        assert_eq!(store.count_users().await.unwrap(), 2);
    }

    pub async fn sessions_expire_and_die_with_a_disabled_user(store: &dyn Store) {
        let id = add(store, "anna", Role::Leder).await;
        let now = 1_000_000;
        for (hash, expires) in [("live", now + 60), ("old", now - 1)] {
            store
                .create_session(&NewSession {
                    token_hash: hash.into(),
                    user_id: id,
                    csrf_token: format!("csrf-{hash}"),
                    expires_at: expires,
                })
                .await
                .unwrap();
        }
        let live = store.session_by_token_hash("live", now).await.unwrap().unwrap();
        assert_eq!(live.user.id, id);
        assert_eq!(live.csrf_token, "csrf-live");
        assert!(store.session_by_token_hash("old", now).await.unwrap().is_none());
        assert!(store.session_by_token_hash("nope", now).await.unwrap().is_none());
        assert_eq!(store.delete_expired_sessions(now).await.unwrap(), 1);

        assert!(store.set_user_disabled(&username("anna"), true).await.unwrap());
        assert!(store.session_by_token_hash("live", now).await.unwrap().is_none());
        assert!(!store.set_user_disabled(&username("ghost"), true).await.unwrap());

        // Re-enabling does not resurrect the ended session.
        store.set_user_disabled(&username("anna"), false).await.unwrap();
        assert!(store.session_by_token_hash("live", now).await.unwrap().is_none());
    }

    pub async fn logout_deletes_only_that_session(store: &dyn Store) {
        let id = add(store, "anna", Role::Leder).await;
        for hash in ["a", "b"] {
            store
                .create_session(&NewSession {
                    token_hash: hash.into(),
                    user_id: id,
                    csrf_token: "c".into(),
                    expires_at: i64::MAX,
                })
                .await
                .unwrap();
        }
        store.delete_session("a").await.unwrap();
        assert!(store.session_by_token_hash("a", 0).await.unwrap().is_none());
        assert!(store.session_by_token_hash("b", 0).await.unwrap().is_some());
    }

    pub async fn login_failures_are_counted_per_user_and_address(store: &dyn Store) {
        store.record_login_failure("anna", "10.0.0.1", 100, 0).await.unwrap();
        store.record_login_failure("anna", "10.0.0.2", 200, 0).await.unwrap();
        store.record_login_failure("bo", "10.0.0.1", 300, 0).await.unwrap();
        assert_eq!(store.count_login_failures("anna", "10.0.0.1", 0).await.unwrap(), (2, 2));
        assert_eq!(store.count_login_failures("anna", "10.0.0.1", 150).await.unwrap(), (1, 1));
        store.clear_login_failures("anna").await.unwrap();
        assert_eq!(store.count_login_failures("anna", "10.0.0.1", 0).await.unwrap(), (0, 1));
        // Recording forgets what is older than the window.
        store.record_login_failure("carl", "10.0.0.9", 1000, 500).await.unwrap();
        assert_eq!(store.count_login_failures("bo", "10.0.0.1", 0).await.unwrap(), (0, 0));
    }

    pub async fn api_tokens_authenticate_until_revoked(store: &dyn Store) {
        let id = add(store, "robot", Role::Admin).await;
        let token = store.create_api_token(id, "statistik", "hash1").await.unwrap();
        assert_eq!(store.user_by_api_token("hash1").await.unwrap().map(|u| u.id), Some(id));
        assert!(store.user_by_api_token("hash2").await.unwrap().is_none());
        let listed = store.list_api_tokens().await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(
            (listed[0].username.as_str(), listed[0].name.as_str(), listed[0].revoked),
            ("robot", "statistik", false)
        );

        store.set_user_disabled(&username("robot"), true).await.unwrap();
        assert!(store.user_by_api_token("hash1").await.unwrap().is_none());
        store.set_user_disabled(&username("robot"), false).await.unwrap();
        assert!(store.revoke_api_token(token).await.unwrap());
        assert!(store.user_by_api_token("hash1").await.unwrap().is_none());
        assert!(!store.revoke_api_token(token + 100).await.unwrap());
    }

    pub async fn audit_log_lists_newest_first(store: &dyn Store) {
        let id = add(store, "anna", Role::Leder).await;
        store.record(None, "login.failed", "").await.unwrap();
        store.record(Some(id), "login", "").await.unwrap();
        let entries = store.recent_audit(10).await.unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!((entries[0].action.as_str(), entries[0].actor.as_deref()), ("login", Some("anna")));
        assert_eq!((entries[1].action.as_str(), entries[1].actor.as_deref()), ("login.failed", None));
        assert_eq!(store.recent_audit(1).await.unwrap().len(), 1);
    }

    pub async fn site_settings_are_replaced_not_duplicated(store: &dyn Store) {
        assert!(store.site().await.unwrap().is_none());
        let mut site = Site {
            municipality_code: MunicipalityCode::new(175).unwrap(),
            municipality_name: "Rødovre".into(),
            is_demo: true,
        };
        store.set_site(&site).await.unwrap();
        site.municipality_name = "Gladsaxe".into();
        site.municipality_code = MunicipalityCode::new(159).unwrap();
        site.is_demo = false;
        store.set_site(&site).await.unwrap();
        assert_eq!(store.site().await.unwrap(), Some(site));
        store.ping().await.unwrap();
    }

    const PLAN_V1: &str = "[plan]\nid = \"roedovre-2023\"\ntitle = \"Beskæftigelsesplan 2023\"\n";
    const PLAN_V2: &str = "[plan]\nid = \"roedovre-2023\"\ntitle = \"Beskæftigelsesplan 2023 (revideret)\"\n";

    pub async fn plan_versions_are_numbered_and_identical_text_is_not_stored_again(store: &dyn Store) {
        let anna = add(store, "anna", Role::Leder).await;
        assert!(store.plans().await.unwrap().is_empty());
        assert!(store.plan("roedovre-2023", None).await.unwrap().is_none());

        let first = store.save_plan_version("roedovre-2023", 175, "Plan 2023", PLAN_V1, Some(anna), 100).await.unwrap();
        let SaveOutcome::Created(v1) = first else { panic!("{first:?}") };
        assert_eq!((v1.plan_id.as_str(), v1.version, v1.municipality), ("roedovre-2023", 1, 175));
        assert_eq!((v1.title.as_str(), v1.loaded_at, v1.loaded_by.as_deref()), ("Plan 2023", 100, Some("anna")));
        assert_eq!(v1.sha256, indsats_store::plans::plan_sha256(PLAN_V1));
        assert_eq!(v1.sha256.len(), 64);

        // The same bytes again, by someone else and later: nothing new is stored.
        let again = store.save_plan_version("roedovre-2023", 175, "Plan 2023", PLAN_V1, None, 200).await.unwrap();
        assert_eq!(again, SaveOutcome::Unchanged(v1.clone()));

        let second = store.save_plan_version("roedovre-2023", 175, "Plan 2023 rev.", PLAN_V2, None, 300).await.unwrap();
        let SaveOutcome::Created(v2) = &second else { panic!("{second:?}") };
        assert_eq!((v2.version, v2.loaded_at, v2.loaded_by.as_deref()), (2, 300, None));
        assert_eq!(second.version(), v2);

        // Going back to the first text is a change too: it becomes version 3.
        let third = store.save_plan_version("roedovre-2023", 175, "Plan 2023", PLAN_V1, None, 400).await.unwrap();
        assert!(matches!(&third, SaveOutcome::Created(v) if v.version == 3), "{third:?}");
        assert!(matches!(
            store.save_plan_version("roedovre-2023", 175, "Plan 2023", PLAN_V1, None, 500).await.unwrap(),
            SaveOutcome::Unchanged(v) if v.version == 3
        ));

        // Another plan id numbers its versions from 1.
        let other = store.save_plan_version("gladsaxe-2022", 159, "Gladsaxe 2022", PLAN_V1, None, 600).await.unwrap();
        assert!(matches!(&other, SaveOutcome::Created(v) if v.version == 1), "{other:?}");
    }

    pub async fn plan_versions_list_newest_first_and_plans_list_the_latest(store: &dyn Store) {
        for (version, text) in [PLAN_V1, PLAN_V2, "tredje"].into_iter().enumerate() {
            let at = 100 * (i64::try_from(version).unwrap() + 1);
            store
                .save_plan_version("roedovre-2023", 175, &format!("Rødovre v{}", version + 1), text, None, at)
                .await
                .unwrap();
        }
        store.save_plan_version("gladsaxe-2022", 159, "Gladsaxe 2022", PLAN_V1, None, 50).await.unwrap();

        let versions = store.plan_versions("roedovre-2023").await.unwrap();
        assert_eq!(versions.iter().map(|v| v.version).collect::<Vec<_>>(), [3, 2, 1]);
        assert_eq!(versions[2].loaded_at, 100);
        assert!(store.plan_versions("ukendt").await.unwrap().is_empty());

        let plans = store.plans().await.unwrap();
        assert_eq!(
            plans.iter().map(|p| (p.plan_id.as_str(), p.version)).collect::<Vec<_>>(),
            [("gladsaxe-2022", 1), ("roedovre-2023", 3)]
        );
        assert_eq!(plans[1].title, "Rødovre v3");

        let latest = store.plan("roedovre-2023", None).await.unwrap().unwrap();
        assert_eq!((latest.version.version, latest.text.as_str()), (3, "tredje"));
        assert_eq!(latest.version, versions[0]);
        let first = store.plan("roedovre-2023", Some(1)).await.unwrap().unwrap();
        assert_eq!((first.version.version, first.text.as_str()), (1, PLAN_V1));
        assert_eq!(first.version.title, "Rødovre v1");
        assert!(store.plan("roedovre-2023", Some(4)).await.unwrap().is_none());
        assert!(store.plan("ukendt", None).await.unwrap().is_none());
    }

    pub async fn action_status_is_revised_and_a_stale_edit_is_refused(store: &dyn Store) {
        let anna = add(store, "anna", Role::Leder).await;
        let bo = add(store, "bo", Role::Leder).await;
        store.save_plan_version("p", 175, "P", PLAN_V1, None, 1).await.unwrap();
        assert!(store.action_states("p").await.unwrap().is_empty());

        let first = store.set_action_status("p", "a1", "in_progress", 0, anna, 100).await.unwrap();
        assert_eq!(
            (first.plan_id.as_str(), first.action_id.as_str(), first.status.as_str()),
            ("p", "a1", "in_progress")
        );
        assert_eq!((first.revision, first.changed_at, first.changed_by.as_deref()), (1, 100, Some("anna")));
        let second = store.set_action_status("p", "a1", "done", 1, bo, 200).await.unwrap();
        assert_eq!((second.status.as_str(), second.revision, second.changed_by.as_deref()), ("done", 2, Some("bo")));

        // Anna still has revision 1 on her screen; her edit must not overwrite Bo's.
        let stale = store.set_action_status("p", "a1", "dropped", 1, anna, 300).await;
        assert!(matches!(&stale, Err(StoreError::Conflict(what)) if what == "action_status"), "{stale:?}");
        // Creating a row that someone else already created is just as stale.
        let stale = store.set_action_status("p", "a1", "dropped", 0, anna, 300).await;
        assert!(matches!(&stale, Err(StoreError::Conflict(what)) if what == "action_status"), "{stale:?}");
        // A revision from the future is no better.
        let stale = store.set_action_status("p", "a2", "done", 5, anna, 300).await;
        assert!(matches!(&stale, Err(StoreError::Conflict(_))), "{stale:?}");

        // The database refuses a status outside the vocabulary.
        assert!(store.set_action_status("p", "a9", "finished", 0, anna, 300).await.is_err());

        let states = store.action_states("p").await.unwrap();
        assert_eq!(states, [second]);

        // States belong to the plan id, so a new version keeps them.
        store.set_action_status("p", "a0", "not_started", 0, bo, 400).await.unwrap();
        store.save_plan_version("p", 175, "P", PLAN_V2, None, 500).await.unwrap();
        let states = store.action_states("p").await.unwrap();
        assert_eq!(
            states.iter().map(|s| (s.action_id.as_str(), s.status.as_str(), s.revision)).collect::<Vec<_>>(),
            [("a0", "not_started", 1), ("a1", "done", 2)]
        );
        assert!(store.action_states("other").await.unwrap().is_empty());
    }

    pub async fn goal_comments_are_per_quarter_and_a_stale_edit_is_refused(store: &dyn Store) {
        let anna = add(store, "anna", Role::Leder).await;
        let bo = add(store, "bo", Role::Leder).await;
        let q3 = store.set_goal_comment("p", "g1", "2022Q3", "Godt på vej.", 0, anna, 100).await.unwrap();
        assert_eq!(
            (q3.plan_id.as_str(), q3.goal_id.as_str(), q3.quarter.as_str(), q3.text.as_str()),
            ("p", "g1", "2022Q3", "Godt på vej.")
        );
        assert_eq!((q3.revision, q3.updated_at, q3.updated_by.as_deref()), (1, 100, Some("anna")));
        // The same goal in the next quarter is a comment of its own, starting at revision 1.
        let q4 = store.set_goal_comment("p", "g1", "2022Q4", "Bagud.", 0, bo, 200).await.unwrap();
        assert_eq!(q4.revision, 1);
        store.set_goal_comment("p", "g2", "2022Q4", "Nået.", 0, bo, 210).await.unwrap();
        store.set_goal_comment("andet", "g1", "2022Q4", "Anden plan.", 0, bo, 220).await.unwrap();

        let edited = store.set_goal_comment("p", "g1", "2022Q4", "Bagud, men indhenter.", 1, anna, 300).await.unwrap();
        assert_eq!((edited.revision, edited.updated_at, edited.updated_by.as_deref()), (2, 300, Some("anna")));

        // Bo edits from the page he loaded before Anna's change.
        let stale = store.set_goal_comment("p", "g1", "2022Q4", "Stadig bagud.", 1, bo, 400).await;
        assert!(matches!(&stale, Err(StoreError::Conflict(what)) if what == "goal_comment"), "{stale:?}");
        let stale = store.set_goal_comment("p", "g1", "2022Q3", "Ny", 0, bo, 400).await;
        assert!(matches!(&stale, Err(StoreError::Conflict(what)) if what == "goal_comment"), "{stale:?}");

        // The database refuses a quarter not written as 2022Q4.
        assert!(store.set_goal_comment("p", "g1", "2022-4", "Nej", 0, bo, 400).await.is_err());

        let fourth = store.goal_comments("p", "2022Q4").await.unwrap();
        assert_eq!(
            fourth.iter().map(|c| (c.goal_id.as_str(), c.text.as_str(), c.revision)).collect::<Vec<_>>(),
            [("g1", "Bagud, men indhenter.", 2), ("g2", "Nået.", 1)]
        );
        assert_eq!(fourth[0], edited);
        assert_eq!(store.goal_comments("p", "2022Q3").await.unwrap(), [q3]);
        assert!(store.goal_comments("p", "2023Q1").await.unwrap().is_empty());
    }

    pub async fn concurrent_loads_never_share_a_version(store: &dyn Store) {
        let save = |plan: &'static str, text: &'static str| store.save_plan_version(plan, 175, "P", text, None, 1);
        // Four different texts at once: four versions, numbered 1 to 4 in some order.
        let (one, two, three, four) = tokio::join!(save("p", "a"), save("p", "b"), save("p", "c"), save("p", "d"));
        let mut numbers: Vec<i64> = [one, two, three, four]
            .into_iter()
            .map(|outcome| match outcome.unwrap() {
                SaveOutcome::Created(created) => created.version,
                unchanged @ SaveOutcome::Unchanged(_) => panic!("{unchanged:?}"),
            })
            .collect();
        numbers.sort_unstable();
        assert_eq!(numbers, [1, 2, 3, 4]);
        assert_eq!(store.plan_versions("p").await.unwrap().len(), 4);

        // The same text four times at once: stored once.
        let (one, two, three, four) = tokio::join!(save("q", "x"), save("q", "x"), save("q", "x"), save("q", "x"));
        let outcomes = [one.unwrap(), two.unwrap(), three.unwrap(), four.unwrap()];
        assert_eq!(outcomes.iter().filter(|o| matches!(o, SaveOutcome::Created(_))).count(), 1, "{outcomes:?}");
        assert!(outcomes.iter().all(|o| o.version().version == 1), "{outcomes:?}");
        assert_eq!(store.plan_versions("q").await.unwrap().len(), 1);
    }
}

async fn sqlite() -> (Arc<dyn Store>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("indsats.db");
    // Opening twice proves the migrations are idempotent on an existing file.
    drop(SqliteStore::open(&path).await.unwrap());
    (Arc::new(SqliteStore::open(&path).await.unwrap()), dir)
}

/// A fresh PostgreSQL database for one test, dropped afterwards.
struct PgDatabase {
    admin: String,
    name: String,
}

impl PgDatabase {
    async fn create() -> (Arc<dyn Store>, PgDatabase) {
        let admin = std::env::var("INDSATS_TEST_POSTGRES_URL").expect(
            "INDSATS_TEST_POSTGRES_URL must name a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run the PostgreSQL tests",
        );
        let name = format!("indsats_test_{:016x}", rand::random::<u64>());
        let conn = sqlx::PgPool::connect(&admin).await.expect("connect to the PostgreSQL test server");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&conn).await.unwrap();
        conn.close().await;
        let mut url = url::Url::parse(&admin).unwrap();
        url.set_path(&name);
        // Twice, to prove the migrations are idempotent on an existing database.
        drop(PostgresStore::connect(url.as_str()).await.unwrap());
        let store = Arc::new(PostgresStore::connect(url.as_str()).await.unwrap());
        (store, PgDatabase { admin, name })
    }

    async fn drop_database(self) {
        let conn = sqlx::PgPool::connect(&self.admin).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {} WITH (FORCE)", self.name)))
            .execute(&conn)
            .await
            .unwrap();
    }
}

macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let (store, _dir) = super::sqlite().await;
                    super::suite::$name(&*store).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                #[ignore = "needs a PostgreSQL server: set INDSATS_TEST_POSTGRES_URL and run with --ignored (bash .ci/run does)"]
                async fn $name() {
                    let (store, db) = super::PgDatabase::create().await;
                    super::suite::$name(&*store).await;
                    drop(store);
                    db.drop_database().await;
                }
            )*
        }
    };
}

on_both_backends!(
    users_round_trip_and_names_are_unique,
    sessions_expire_and_die_with_a_disabled_user,
    logout_deletes_only_that_session,
    login_failures_are_counted_per_user_and_address,
    api_tokens_authenticate_until_revoked,
    audit_log_lists_newest_first,
    site_settings_are_replaced_not_duplicated,
    plan_versions_are_numbered_and_identical_text_is_not_stored_again,
    plan_versions_list_newest_first_and_plans_list_the_latest,
    action_status_is_revised_and_a_stale_edit_is_refused,
    goal_comments_are_per_quarter_and_a_stale_edit_is_refused,
    concurrent_loads_never_share_a_version,
);
