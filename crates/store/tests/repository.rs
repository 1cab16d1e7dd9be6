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
use indsats_store::{NewSession, NewUser, PostgresStore, Site, SqliteStore, Store, StoreError};

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
);
