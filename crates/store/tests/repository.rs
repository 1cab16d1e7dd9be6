//! One repository test suite, run against both backends.
//!
//! SQLite runs always. The PostgreSQL variants are `#[ignore]`d with the reason,
//! so a machine with only the Rust toolchain reports them as skipped; `.ci/run`
//! runs them with `--ignored` against a real server named by
//! `INDSATS_TEST_POSTGRES_URL`, each test in a database of its own.

// Test helpers panic on purpose: a failed step is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

use std::sync::Arc;

use indsats_domain::case::{
    AccessReason, ConversationKind, ConversationStatus, Disco08, EducationLevel, OfferKind, TargetGroup,
};
use indsats_domain::decision::{AppealOutcome, DecisionEntry, LegalBasis};
use indsats_domain::plan::ActionStatus;
use indsats_domain::{ActionId, ApiTokenId, AuditEvent, GoalId, MunicipalityCode, PlanId, Quarter, Role, Username};
use indsats_store::{
    ActionStatusChange, ArchivedFormat, ArchivedReport, ArchivedReportId, ChainVerdict, ConversationChange,
    GoalCommentChange, LinkProblem, NewApiToken, NewArchivedReport, NewCitizen, NewOffer, NewPlanVersion, NewSession,
    NewUser, PostgresStore, Profile, SaveOutcome, Site, SqliteStore, Store, StoreError,
};

mod suite {
    use super::*;

    fn username(s: &str) -> Username {
        Username::parse(s).unwrap()
    }

    fn plan_id(s: &str) -> PlanId {
        PlanId::parse(s).unwrap()
    }

    fn quarter(s: &str) -> Quarter {
        s.parse().unwrap()
    }

    async fn add(store: &dyn Store, name: &str, role: Role) -> indsats_store::UserId {
        store
            .create_user(
                &NewUser {
                    username: username(name),
                    display_name: format!("Navn {name}"),
                    role,
                    password_hash: "$argon2id$fake".into(),
                },
                None,
            )
            .await
            .unwrap()
    }

    fn version(plan: &str, municipality: u16, title: &str, text: &str, at: i64) -> NewPlanVersion {
        NewPlanVersion {
            plan: plan_id(plan),
            municipality: MunicipalityCode::new(municipality).unwrap(),
            title: title.into(),
            text: text.into(),
            loaded_at: at,
        }
    }

    fn action(plan: &str, action: &str, status: ActionStatus, expected_revision: i64, at: i64) -> ActionStatusChange {
        ActionStatusChange {
            plan: plan_id(plan),
            action: ActionId::parse(action).unwrap(),
            status,
            expected_revision,
            at,
        }
    }

    fn comment(plan: &str, goal: &str, q: &str, text: &str, expected_revision: i64, at: i64) -> GoalCommentChange {
        GoalCommentChange {
            plan: plan_id(plan),
            goal: GoalId::parse(goal).unwrap(),
            quarter: quarter(q),
            text: text.into(),
            expected_revision,
            at,
        }
    }

    fn session(hash: &str, user: indsats_store::UserId, expires_at: i64) -> NewSession {
        NewSession { token_hash: hash.into(), user_id: user, csrf_token: format!("csrf-{hash}"), expires_at }
    }

    /// The codes of the whole audit log, oldest first.
    async fn audit_codes(store: &dyn Store) -> Vec<String> {
        store.recent_audit(1000).await.unwrap().into_iter().rev().map(|e| e.action).collect()
    }

    /// The number of rows in an intact chain; panics on a broken one.
    async fn intact_rows(store: &dyn Store) -> u64 {
        match store.verify_audit_chain().await.unwrap() {
            ChainVerdict::Intact(summary) => summary.rows,
            ChainVerdict::Broken(broken) => panic!("audit log broken at {broken}"),
        }
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
            .create_user(
                &NewUser {
                    username: username("anna"),
                    display_name: "Anden Anna".into(),
                    role: Role::Admin,
                    password_hash: "x".into(),
                },
                Some(id),
            )
            .await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
        let names: Vec<String> =
            store.list_users().await.unwrap().into_iter().map(|u| u.username.to_string()).collect();
        assert_eq!(names, ["anna", "bo"]);
        assert_eq!(store.count_users().await.unwrap(), 2);
        // The refused user left no audit row.
        assert_eq!(audit_codes(store).await, ["user.create", "user.create"]);
    }

    pub async fn sessions_expire_and_die_with_a_disabled_user(store: &dyn Store) {
        let id = add(store, "anna", Role::Leder).await;
        let now = 1_000_000;
        for (hash, expires) in [("live", now + 60), ("old", now - 1)] {
            store.create_session(&session(hash, id, expires)).await.unwrap();
        }
        let live = store.session_by_token_hash("live", now).await.unwrap().unwrap();
        assert_eq!(live.user.id, id);
        assert_eq!(live.csrf_token, "csrf-live");
        assert!(store.session_by_token_hash("old", now).await.unwrap().is_none());
        assert!(store.session_by_token_hash("nope", now).await.unwrap().is_none());
        assert_eq!(store.delete_expired_sessions(now).await.unwrap(), 1);

        assert!(store.set_user_disabled(&username("anna"), true, None).await.unwrap());
        assert!(store.session_by_token_hash("live", now).await.unwrap().is_none());
        assert!(!store.set_user_disabled(&username("ghost"), true, None).await.unwrap());

        // Re-enabling does not resurrect the ended session.
        store.set_user_disabled(&username("anna"), false, None).await.unwrap();
        assert!(store.session_by_token_hash("live", now).await.unwrap().is_none());
    }

    pub async fn logout_deletes_only_that_session(store: &dyn Store) {
        let id = add(store, "anna", Role::Leder).await;
        for hash in ["a", "b"] {
            store.create_session(&session(hash, id, i64::MAX)).await.unwrap();
        }
        assert!(store.delete_session("a").await.unwrap());
        assert!(store.session_by_token_hash("a", 0).await.unwrap().is_none());
        assert!(store.session_by_token_hash("b", 0).await.unwrap().is_some());
        // A second logout with the same cookie finds nothing and records nothing.
        assert!(!store.delete_session("a").await.unwrap());
        assert_eq!(audit_codes(store).await, ["user.create", "login", "login", "logout"]);
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
        // Each failure is on record, without the name that was typed.
        let entries = store.recent_audit(10).await.unwrap();
        assert_eq!(entries.len(), 4);
        assert!(entries.iter().all(|e| e.action == "login.failed" && e.detail == "{}" && e.actor.is_none()));
        assert_eq!(entries[0].at, 1000);
    }

    /// Twenty guesses at once: each is counted before any is checked, so no more than the
    /// limit of five can see a count of five or less.
    pub async fn concurrent_login_attempts_are_each_counted_before_any_is_checked(store: &dyn Store) {
        let attempts: Vec<_> =
            (0..20).map(|i| store.record_login_attempt("anna", "10.0.0.1", 1000 + i, 0, 0)).collect();
        let counts: Vec<(i64, i64)> = crate::join_all(attempts).await.into_iter().map(Result::unwrap).collect();
        let under_the_limit = counts.iter().filter(|(by_user, _)| *by_user <= 5).count();
        assert!(under_the_limit <= 5, "{counts:?}");
        assert!(counts.iter().all(|(by_user, by_address)| *by_user >= 1 && *by_address >= 1), "{counts:?}");
        assert!(counts.iter().any(|(by_user, _)| *by_user == 20), "the last to count sees every one: {counts:?}");
        assert_eq!(store.count_login_failures("anna", "10.0.0.1", 0).await.unwrap(), (20, 20));
        // Attempts are not audited by themselves: the caller writes login.failed after the check.
        assert!(store.recent_audit(10).await.unwrap().is_empty());
        // Older attempts are forgotten as new ones come.
        assert_eq!(store.record_login_attempt("bo", "10.0.0.2", 5000, 4000, 0).await.unwrap(), (1, 1));
        assert_eq!(store.count_login_failures("anna", "10.0.0.1", 0).await.unwrap(), (0, 0));
    }

    pub async fn api_tokens_authenticate_until_revoked(store: &dyn Store) {
        let id = add(store, "robot", Role::Admin).await;
        let new = NewApiToken { user: id, name: "statistik".into(), token_hash: "hash1".into() };
        let token = store.create_api_token(&new, Some(id)).await.unwrap();
        assert_eq!(store.user_by_api_token("hash1").await.unwrap().map(|u| u.id), Some(id));
        assert!(store.user_by_api_token("hash2").await.unwrap().is_none());
        let listed = store.list_api_tokens().await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(
            (listed[0].id, listed[0].username.as_str(), listed[0].name.as_str(), listed[0].revoked),
            (token, "robot", "statistik", false)
        );

        store.set_user_disabled(&username("robot"), true, None).await.unwrap();
        assert!(store.user_by_api_token("hash1").await.unwrap().is_none());
        store.set_user_disabled(&username("robot"), false, None).await.unwrap();
        assert!(store.revoke_api_token(token, Some(id)).await.unwrap());
        assert!(store.user_by_api_token("hash1").await.unwrap().is_none());
        assert!(!store.revoke_api_token(ApiTokenId(token.0 + 100), Some(id)).await.unwrap());
        assert_eq!(
            audit_codes(store).await,
            ["user.create", "api_token.create", "user.disable", "user.enable", "api_token.revoke"]
        );
    }

    pub async fn a_password_hash_is_replaced_and_recorded(store: &dyn Store) {
        let admin = add(store, "admin", Role::Admin).await;
        let anna = add(store, "anna", Role::Sagsbehandler).await;
        assert!(store.set_password_hash(&username("anna"), "$argon2id$new", Some(admin)).await.unwrap());
        let stored = store.user_by_username(&username("anna")).await.unwrap().unwrap();
        assert_eq!(stored.password_hash, "$argon2id$new");
        let other = store.user_by_username(&username("admin")).await.unwrap().unwrap();
        assert_eq!(other.password_hash, "$argon2id$fake", "only the named user changes");
        // An unknown user changes nothing and records nothing.
        assert!(!store.set_password_hash(&username("nobody"), "$argon2id$x", Some(admin)).await.unwrap());
        assert_eq!(audit_codes(store).await, ["user.create", "user.create", "user.password"]);
        let entry = &store.recent_audit(1).await.unwrap()[0];
        assert_eq!(entry.detail, format!(r#"{{"user":{},"username":"anna"}}"#, anna.0));
        assert_eq!(intact_rows(store).await, 3);
    }

    pub async fn audit_log_lists_newest_first(store: &dyn Store) {
        let id = add(store, "anna", Role::Leder).await;
        store.record(&AuditEvent::LoginRateLimited, None).await.unwrap();
        store.record(&AuditEvent::Login, Some(id)).await.unwrap();
        let entries = store.recent_audit(10).await.unwrap();
        assert_eq!(entries.len(), 3);
        assert_eq!((entries[0].action.as_str(), entries[0].actor.as_ref()), ("login", Some(&username("anna"))));
        assert_eq!((entries[1].action.as_str(), entries[1].actor.as_ref()), ("login.rate_limited", None));
        assert_eq!(entries[2].action, "user.create");
        assert!(entries[0].id > entries[1].id && entries[1].id > entries[2].id);
        assert_eq!(store.recent_audit(1).await.unwrap().len(), 1);
    }

    pub async fn every_change_writes_its_audit_event_with_ids_and_names(store: &dyn Store) {
        let admin = add(store, "admin", Role::Admin).await;
        let anna = store
            .create_user(
                &NewUser {
                    username: username("anna"),
                    display_name: "Anna Andersen".into(),
                    role: Role::Leder,
                    password_hash: "x".into(),
                },
                Some(admin),
            )
            .await
            .unwrap();
        store.save_plan_version(&version("p", 175, "P", PLAN_V1, 10), Some(admin)).await.unwrap();
        // Unchanged text, a stale edit and an unknown user change nothing and record nothing.
        store.save_plan_version(&version("p", 175, "P", PLAN_V1, 11), Some(admin)).await.unwrap();
        store.set_action_status(&action("p", "a1", ActionStatus::Done, 0, 20), anna).await.unwrap();
        store.set_action_status(&action("p", "a1", ActionStatus::Dropped, 0, 21), anna).await.unwrap_err();
        store.set_goal_comment(&comment("p", "g1", "2022Q4", "Bagud.", 0, 30), anna).await.unwrap();
        store.set_goal_comment(&comment("p", "g1", "2022Q4", "Stadig bagud.", 1, 31), anna).await.unwrap();
        store.set_user_disabled(&username("ghost"), true, Some(admin)).await.unwrap();

        let entries: Vec<_> = store.recent_audit(100).await.unwrap().into_iter().rev().collect();
        let lines: Vec<(Option<&str>, &str, &str)> = entries
            .iter()
            .map(|e| (e.actor.as_ref().map(Username::as_str), e.action.as_str(), e.detail.as_str()))
            .collect();
        let admin_created = format!(r#"{{"user":{},"username":"admin","role":"admin"}}"#, admin.0);
        let anna_created = format!(r#"{{"user":{},"username":"anna","role":"leder"}}"#, anna.0);
        assert_eq!(
            lines,
            [
                (None, "user.create", admin_created.as_str()),
                (Some("admin"), "user.create", anna_created.as_str()),
                (Some("admin"), "plan.load", r#"{"plan":"p","version":1}"#),
                (Some("anna"), "plan.action", r#"{"plan":"p","action":"a1","status":"done","revision":1}"#),
                (Some("anna"), "plan.comment", r#"{"plan":"p","goal":"g1","quarter":"2022Q4","revision":1}"#),
                (Some("anna"), "plan.comment", r#"{"plan":"p","goal":"g1","quarter":"2022Q4","revision":2}"#),
            ]
        );
        // The change and its event carry the same time; the display name and the comment's
        // text are not in the log.
        assert_eq!(entries.iter().map(|e| e.at).skip(2).collect::<Vec<_>>(), [10, 20, 30, 31]);
        assert!(entries.iter().all(|e| !e.detail.contains("Andersen") && !e.detail.contains("Bagud")));
        assert_eq!(intact_rows(store).await, 6);
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
        let p = plan_id("roedovre-2023");
        assert!(store.plans().await.unwrap().is_empty());
        assert!(store.plan(&p, None).await.unwrap().is_none());

        let first =
            store.save_plan_version(&version("roedovre-2023", 175, "Plan 2023", PLAN_V1, 100), Some(anna)).await;
        let SaveOutcome::Created(v1) = first.unwrap() else { panic!() };
        assert_eq!((&v1.plan_id, v1.version, v1.municipality.get()), (&p, 1, 175));
        assert_eq!(
            (v1.title.as_str(), v1.loaded_at, v1.loaded_by.as_ref()),
            ("Plan 2023", 100, Some(&username("anna")))
        );
        assert_eq!(v1.sha256, indsats_store::plans::plan_sha256(PLAN_V1));
        assert_eq!(v1.sha256.len(), 64);

        // The same bytes again, by someone else and later: nothing new is stored.
        let again = store.save_plan_version(&version("roedovre-2023", 175, "Plan 2023", PLAN_V1, 200), None).await;
        assert_eq!(again.unwrap(), SaveOutcome::Unchanged(v1.clone()));

        let second = store
            .save_plan_version(&version("roedovre-2023", 175, "Plan 2023 rev.", PLAN_V2, 300), None)
            .await
            .unwrap();
        let SaveOutcome::Created(v2) = &second else { panic!("{second:?}") };
        assert_eq!((v2.version, v2.loaded_at, v2.loaded_by.as_ref()), (2, 300, None));
        assert_eq!(second.version(), v2);

        // Going back to the first text is a change too: it becomes version 3.
        let third = store.save_plan_version(&version("roedovre-2023", 175, "Plan 2023", PLAN_V1, 400), None).await;
        assert!(matches!(&third, Ok(SaveOutcome::Created(v)) if v.version == 3), "{third:?}");
        assert!(matches!(
            store.save_plan_version(&version("roedovre-2023", 175, "Plan 2023", PLAN_V1, 500), None).await.unwrap(),
            SaveOutcome::Unchanged(v) if v.version == 3
        ));

        // Another plan id numbers its versions from 1.
        let other = store.save_plan_version(&version("gladsaxe-2022", 159, "Gladsaxe 2022", PLAN_V1, 600), None).await;
        assert!(matches!(&other, Ok(SaveOutcome::Created(v)) if v.version == 1), "{other:?}");
        // One plan.load per version created, none for the unchanged loads.
        assert_eq!(audit_codes(store).await, ["user.create", "plan.load", "plan.load", "plan.load", "plan.load"]);
    }

    pub async fn plan_versions_list_newest_first_and_plans_list_the_latest(store: &dyn Store) {
        for (n, text) in [PLAN_V1, PLAN_V2, "tredje"].into_iter().enumerate() {
            let at = 100 * (i64::try_from(n).unwrap() + 1);
            let title = format!("Rødovre v{}", n + 1);
            store.save_plan_version(&version("roedovre-2023", 175, &title, text, at), None).await.unwrap();
        }
        store.save_plan_version(&version("gladsaxe-2022", 159, "Gladsaxe 2022", PLAN_V1, 50), None).await.unwrap();

        let p = plan_id("roedovre-2023");
        let versions = store.plan_versions(&p).await.unwrap();
        assert_eq!(versions.iter().map(|v| v.version).collect::<Vec<_>>(), [3, 2, 1]);
        assert_eq!(versions[2].loaded_at, 100);
        assert!(store.plan_versions(&plan_id("ukendt")).await.unwrap().is_empty());

        let plans = store.plans().await.unwrap();
        assert_eq!(
            plans.iter().map(|p| (p.plan_id.as_str(), p.version)).collect::<Vec<_>>(),
            [("gladsaxe-2022", 1), ("roedovre-2023", 3)]
        );
        assert_eq!(plans[1].title, "Rødovre v3");
        assert_eq!(plans[0].municipality, MunicipalityCode::new(159).unwrap());

        let latest = store.plan(&p, None).await.unwrap().unwrap();
        assert_eq!((latest.version.version, latest.text.as_str()), (3, "tredje"));
        assert_eq!(latest.version, versions[0]);
        let first = store.plan(&p, Some(1)).await.unwrap().unwrap();
        assert_eq!((first.version.version, first.text.as_str()), (1, PLAN_V1));
        assert_eq!(first.version.title, "Rødovre v1");
        assert!(store.plan(&p, Some(4)).await.unwrap().is_none());
        assert!(store.plan(&plan_id("ukendt"), None).await.unwrap().is_none());
    }

    pub async fn action_status_is_revised_and_a_stale_edit_is_refused(store: &dyn Store) {
        use ActionStatus::{Done, Dropped, InProgress, NotStarted};
        let anna = add(store, "anna", Role::Leder).await;
        let bo = add(store, "bo", Role::Leder).await;
        let p = plan_id("p");
        store.save_plan_version(&version("p", 175, "P", PLAN_V1, 1), None).await.unwrap();
        assert!(store.action_states(&p).await.unwrap().is_empty());

        let first = store.set_action_status(&action("p", "a1", InProgress, 0, 100), anna).await.unwrap();
        assert_eq!((first.plan_id.as_str(), first.action_id.as_str(), first.status), ("p", "a1", InProgress));
        assert_eq!((first.revision, first.changed_at, first.changed_by.as_ref()), (1, 100, Some(&username("anna"))));
        let second = store.set_action_status(&action("p", "a1", Done, 1, 200), bo).await.unwrap();
        assert_eq!((second.status, second.revision, second.changed_by.as_ref()), (Done, 2, Some(&username("bo"))));

        // Anna still has revision 1 on her screen; her edit must not overwrite Bo's.
        let stale = store.set_action_status(&action("p", "a1", Dropped, 1, 300), anna).await;
        assert!(matches!(&stale, Err(StoreError::Conflict(what)) if what == "action_status"), "{stale:?}");
        // Creating a row that someone else already created is just as stale.
        let stale = store.set_action_status(&action("p", "a1", Dropped, 0, 300), anna).await;
        assert!(matches!(&stale, Err(StoreError::Conflict(what)) if what == "action_status"), "{stale:?}");
        // A revision from the future is no better.
        let stale = store.set_action_status(&action("p", "a2", Done, 5, 300), anna).await;
        assert!(matches!(&stale, Err(StoreError::Conflict(_))), "{stale:?}");

        let states = store.action_states(&p).await.unwrap();
        assert_eq!(states, [second]);

        // States belong to the plan id, so a new version keeps them.
        store.set_action_status(&action("p", "a0", NotStarted, 0, 400), bo).await.unwrap();
        store.save_plan_version(&version("p", 175, "P", PLAN_V2, 500), None).await.unwrap();
        let states = store.action_states(&p).await.unwrap();
        assert_eq!(
            states.iter().map(|s| (s.action_id.as_str(), s.status, s.revision)).collect::<Vec<_>>(),
            [("a0", NotStarted, 1), ("a1", Done, 2)]
        );
        assert!(store.action_states(&plan_id("other")).await.unwrap().is_empty());
    }

    pub async fn goal_comments_are_per_quarter_and_a_stale_edit_is_refused(store: &dyn Store) {
        let anna = add(store, "anna", Role::Leder).await;
        let bo = add(store, "bo", Role::Leder).await;
        let q3 = store.set_goal_comment(&comment("p", "g1", "2022Q3", "Godt på vej.", 0, 100), anna).await.unwrap();
        assert_eq!(
            (q3.plan_id.as_str(), q3.goal_id.as_str(), q3.quarter, q3.text.as_str()),
            ("p", "g1", quarter("2022Q3"), "Godt på vej.")
        );
        assert_eq!((q3.revision, q3.updated_at, q3.updated_by.as_ref()), (1, 100, Some(&username("anna"))));
        // The same goal in the next quarter is a comment of its own, starting at revision 1.
        let q4 = store.set_goal_comment(&comment("p", "g1", "2022Q4", "Bagud.", 0, 200), bo).await.unwrap();
        assert_eq!(q4.revision, 1);
        store.set_goal_comment(&comment("p", "g2", "2022Q4", "Nået.", 0, 210), bo).await.unwrap();
        store.set_goal_comment(&comment("andet", "g1", "2022Q4", "Anden plan.", 0, 220), bo).await.unwrap();

        let edited =
            store.set_goal_comment(&comment("p", "g1", "2022Q4", "Bagud, men indhenter.", 1, 300), anna).await.unwrap();
        assert_eq!((edited.revision, edited.updated_at, edited.updated_by.as_ref()), (2, 300, Some(&username("anna"))));

        // Bo edits from the page he loaded before Anna's change.
        let stale = store.set_goal_comment(&comment("p", "g1", "2022Q4", "Stadig bagud.", 1, 400), bo).await;
        assert!(matches!(&stale, Err(StoreError::Conflict(what)) if what == "goal_comment"), "{stale:?}");
        let stale = store.set_goal_comment(&comment("p", "g1", "2022Q3", "Ny", 0, 400), bo).await;
        assert!(matches!(&stale, Err(StoreError::Conflict(what)) if what == "goal_comment"), "{stale:?}");

        let p = plan_id("p");
        let fourth = store.goal_comments(&p, quarter("2022Q4")).await.unwrap();
        assert_eq!(
            fourth.iter().map(|c| (c.goal_id.as_str(), c.text.as_str(), c.revision)).collect::<Vec<_>>(),
            [("g1", "Bagud, men indhenter.", 2), ("g2", "Nået.", 1)]
        );
        assert_eq!(fourth[0], edited);
        assert_eq!(store.goal_comments(&p, quarter("2022Q3")).await.unwrap(), [q3]);
        assert!(store.goal_comments(&p, quarter("2023Q1")).await.unwrap().is_empty());
    }

    pub async fn concurrent_loads_never_share_a_version(store: &dyn Store) {
        let save = |plan: &'static str, text: &'static str| async move {
            store.save_plan_version(&version(plan, 175, "P", text, 1), None).await
        };
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
        assert_eq!(store.plan_versions(&plan_id("p")).await.unwrap().len(), 4);

        // The same text four times at once: stored once.
        let (one, two, three, four) = tokio::join!(save("q", "x"), save("q", "x"), save("q", "x"), save("q", "x"));
        let outcomes = [one.unwrap(), two.unwrap(), three.unwrap(), four.unwrap()];
        assert_eq!(outcomes.iter().filter(|o| matches!(o, SaveOutcome::Created(_))).count(), 1, "{outcomes:?}");
        assert!(outcomes.iter().all(|o| o.version().version == 1), "{outcomes:?}");
        assert_eq!(store.plan_versions(&plan_id("q")).await.unwrap().len(), 1);
        assert_eq!(intact_rows(store).await, 5);
    }

    // What follows needs a raw connection to the same database: to make the audit write
    // fail, to try what the database must refuse, and to tamper as an intruder would.

    /// Every change below must fail with it and leave no trace.
    const FAILING_AUDIT: Sql = Sql {
        sqlite: "CREATE TRIGGER test_audit_fails BEFORE INSERT ON audit_log \
                 BEGIN SELECT RAISE(ABORT, 'audit insert fails'); END",
        postgres: "CREATE FUNCTION test_audit_fails() RETURNS trigger LANGUAGE plpgsql AS \
                   $$ BEGIN RAISE EXCEPTION 'audit insert fails'; END $$; \
                   CREATE TRIGGER test_audit_fails BEFORE INSERT ON audit_log \
                   FOR EACH ROW EXECUTE FUNCTION test_audit_fails()",
    };
    const WORKING_AUDIT: Sql =
        Sql { sqlite: "DROP TRIGGER test_audit_fails", postgres: "DROP TRIGGER test_audit_fails ON audit_log" };

    fn date(s: &str) -> chrono::NaiveDate {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn at(s: &str) -> chrono::NaiveDateTime {
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn citizen(lookup: &str, name: &str, caseworker: Option<indsats_store::UserId>, start: &str) -> NewCitizen {
        NewCitizen {
            cpr_lookup: lookup.into(),
            cpr_sealed: format!("sealed-{lookup}"),
            birth_date: date("1990-01-01"),
            profile: Profile {
                name: name.into(),
                address: "Rødovrevej 1".into(),
                phone: String::new(),
                email: String::new(),
                language: "dansk".into(),
                interpreter: false,
                education: EducationLevel::Vocational,
                wished_occupations: Disco08::parse_list("5223 9112").unwrap(),
            },
            benefit: indsats_domain::BenefitGroup::ADagpenge,
            target_group: TargetGroup::Dagpenge,
            course_start: date(start),
            caseworker,
            opened_on: date(start),
            created_at: 1,
        }
    }

    fn talk(status: ConversationStatus, when: &str) -> ConversationChange {
        ConversationChange { existing: None, kind: ConversationKind::Job, status, at: at(when), note: "Notat".into() }
    }

    pub async fn citizens_are_found_by_lookup_and_every_read_is_audited(store: &dyn Store) {
        let anna = add(store, "anna", Role::Sagsbehandler).await;
        let id = store.create_citizen(&citizen("h1", "Ida Jensen", Some(anna), "2026-01-05"), anna).await.unwrap();
        let again = store.create_citizen(&citizen("h1", "Ida Igen", Some(anna), "2026-01-05"), anna).await;
        assert!(
            matches!(again, Err(StoreError::Conflict(ref c)) if c == indsats_store::cases::CITIZEN_EXISTS),
            "{again:?}"
        );
        assert_eq!(store.count_citizens().await.unwrap(), 1);

        assert_eq!(store.find_citizen("h1", anna).await.unwrap(), Some(id));
        assert_eq!(store.find_citizen("nope", anna).await.unwrap(), None);
        let access = store.case_access(id).await.unwrap().unwrap();
        assert_eq!((access.caseworker, access.closed_on), (Some(anna), None));
        let case = store.case_file(id, anna, Some(AccessReason::Substitute)).await.unwrap().unwrap();
        assert_eq!(case.citizen.profile.name, "Ida Jensen");
        assert_eq!(case.citizen.masked_cpr(), "010190-xxxx");
        assert_eq!(case.citizen.profile.wished_occupations.len(), 2);
        assert_eq!(case.target_groups, [(TargetGroup::Dagpenge, date("2026-01-05"))]);
        assert_eq!(case.caseworkers, [(username("anna"), date("2026-01-05"))]);
        assert_eq!(store.sealed_cpr(id, anna).await.unwrap().as_deref(), Some("sealed-h1"));
        assert!(store.case_file(indsats_domain::CitizenId(999), anna, None).await.unwrap().is_none());

        let log = store.recent_audit(5).await.unwrap();
        let mut seen: Vec<(String, String)> = log.iter().map(|e| (e.action.clone(), e.detail.clone())).collect();
        seen.reverse();
        let id = id.0;
        assert_eq!(
            seen,
            [
                ("citizen.create".to_owned(), format!(r#"{{"citizen":{id}}}"#)),
                ("citizen.search".to_owned(), format!(r#"{{"citizen":{id}}}"#)),
                ("citizen.search".to_owned(), "{}".to_owned()),
                ("citizen.view".to_owned(), format!(r#"{{"citizen":{id},"reason":"substitute"}}"#)),
                ("citizen.cpr".to_owned(), format!(r#"{{"citizen":{id}}}"#)),
            ],
            "every read leaves its row, and nothing names the person"
        );
    }

    pub async fn a_citizen_account_is_bound_to_one_case_and_lists_only_staff_reads(store: &dyn Store) {
        let anna = add(store, "anna", Role::Sagsbehandler).await;
        let ida = store.create_citizen(&citizen("h1", "Ida Jensen", Some(anna), "2026-01-05"), anna).await.unwrap();
        let other = store.create_citizen(&citizen("h2", "Ole Hansen", Some(anna), "2026-01-05"), anna).await.unwrap();
        let borger = |name: &str, role: Role| indsats_store::NewUser {
            username: username(name),
            display_name: "Ida Jensen".into(),
            role,
            password_hash: "!".into(),
        };
        let account = store.create_citizen_account(ida, &borger("borger-1", Role::Borger), None).await.unwrap();
        assert_eq!(store.account_citizen(account).await.unwrap(), Some(ida));
        assert_eq!(store.account_citizen(anna).await.unwrap(), None, "staff are bound to no case");
        let found = store.citizen_account(ida).await.unwrap().unwrap();
        assert_eq!((found.id, found.role), (account, Role::Borger));
        assert!(store.citizen_account(other).await.unwrap().is_none());
        assert_eq!(store.citizen_by_lookup("h2").await.unwrap(), Some(other));
        assert_eq!(store.citizen_by_lookup("nope").await.unwrap(), None);
        let twice = store.create_citizen_account(ida, &borger("borger-2", Role::Borger), None).await;
        assert!(matches!(twice, Err(StoreError::Conflict(_))), "one account per citizen: {twice:?}");
        let staff = store.create_citizen_account(other, &borger("borger-3", Role::Sagsbehandler), None).await;
        assert!(matches!(staff, Err(StoreError::Conflict(_))), "only the citizen role: {staff:?}");
        assert!(store.user_by_username(&username("borger-3")).await.unwrap().is_none(), "nothing kept");

        // Reads: anna's of Ida's case (with a reason), of her CPR number, of another citizen's
        // case; Ida's own read is on record but not a staff read.
        let bo = add(store, "bo", Role::Sagsbehandler).await;
        store.case_file(ida, bo, Some(AccessReason::Substitute)).await.unwrap().unwrap();
        store.sealed_cpr(ida, anna).await.unwrap();
        store.case_file(other, anna, None).await.unwrap().unwrap();
        store.case_file(ida, account, None).await.unwrap().unwrap();
        let reads = store.case_reads(ida).await.unwrap();
        let seen: Vec<(&str, &str, Option<AccessReason>)> =
            reads.iter().map(|r| (r.username.as_str(), r.action.as_str(), r.reason)).collect();
        assert_eq!(
            seen,
            [("anna", "citizen.cpr", None), ("bo", "citizen.view", Some(AccessReason::Substitute))],
            "newest first, the citizen's own read and other citizens' cases left out"
        );
        let log = store.recent_audit(20).await.unwrap();
        assert!(
            log.iter().any(|e| e.action == "citizen.account"
                && e.detail == format!(r#"{{"citizen":{},"user":{}}}"#, ida.0, account.0))
        );
        assert!(
            log.iter()
                .any(|e| e.action == "citizen.view" && e.actor.as_ref().map(Username::as_str) == Some("borger-1"))
        );
    }

    pub async fn a_pending_oidc_login_is_taken_once_and_not_after_it_expires(store: &dyn Store) {
        let login = |state: &str, expires_at| indsats_store::PendingLogin {
            state_hash: state.into(),
            provider: "citizen".into(),
            nonce: "n".into(),
            pkce_verifier: "v".into(),
            expires_at,
        };
        store.save_oidc_login(&login("s1", 1_000)).await.unwrap();
        store.save_oidc_login(&login("s2", 500)).await.unwrap();
        assert_eq!(store.take_oidc_login("s1", 900).await.unwrap(), Some(login("s1", 1_000)));
        assert_eq!(store.take_oidc_login("s1", 900).await.unwrap(), None, "a state is used once");
        assert_eq!(store.take_oidc_login("s2", 900).await.unwrap(), None, "an expired login is gone");
        assert_eq!(store.take_oidc_login("unknown", 900).await.unwrap(), None);
    }

    pub async fn conversations_are_saved_all_or_nothing_and_a_stale_status_is_refused(store: &dyn Store) {
        let anna = add(store, "anna", Role::Sagsbehandler).await;
        let id = store.create_citizen(&citizen("h1", "Ida Jensen", Some(anna), "2026-01-05"), anna).await.unwrap();
        let booked =
            store.save_conversations(id, &[talk(ConversationStatus::Booked, "2026-02-01 09:00")], anna).await.unwrap();
        let held =
            ConversationChange { existing: Some((booked[0], 1)), ..talk(ConversationStatus::Held, "2026-02-01 09:30") };
        let next = talk(ConversationStatus::Booked, "2026-03-01 10:00");
        let ids = store.save_conversations(id, &[held.clone(), next], anna).await.unwrap();
        assert_eq!(ids[0], booked[0]);
        // The same form again carries the old revision: refused, and the extra booking with it.
        let stale =
            store.save_conversations(id, &[talk(ConversationStatus::Booked, "2026-04-01 10:00"), held], anna).await;
        assert!(
            matches!(stale, Err(StoreError::Conflict(ref c)) if c == indsats_store::cases::CONVERSATION_CONFLICT),
            "{stale:?}"
        );
        let case = store.case_file(id, anna, None).await.unwrap().unwrap();
        let got: Vec<_> = case.conversations.iter().map(|v| (v.status, v.at, v.revision)).collect();
        assert_eq!(
            got,
            [
                (ConversationStatus::Booked, at("2026-03-01 10:00"), 1),
                (ConversationStatus::Held, at("2026-02-01 09:30"), 2),
            ],
            "newest first; nothing from the refused save"
        );
        assert_eq!(case.conversations[1].recorded_by, Some(username("anna")));
    }

    pub async fn the_worklist_gathers_each_cases_conversations_and_offers(store: &dyn Store) {
        let anna = add(store, "anna", Role::Sagsbehandler).await;
        let bo = add(store, "bo", Role::Sagsbehandler).await;
        let ida = store.create_citizen(&citizen("h1", "Ida", Some(anna), "2026-01-05"), anna).await.unwrap();
        let ali = store.create_citizen(&citizen("h2", "Ali", Some(anna), "2026-06-01"), anna).await.unwrap();
        store.create_citizen(&citizen("h3", "Bos borger", Some(bo), "2026-06-01"), bo).await.unwrap();
        store
            .save_conversations(
                ida,
                &[
                    talk(ConversationStatus::Held, "2025-12-01 09:00"),
                    talk(ConversationStatus::Held, "2026-01-20 09:00"),
                    talk(ConversationStatus::Missed, "2026-02-20 09:00"),
                    talk(ConversationStatus::Held, "2026-03-20 09:00"),
                    talk(ConversationStatus::Booked, "2026-12-10 09:00"),
                ],
                anna,
            )
            .await
            .unwrap();
        let offer = |start: &str, end: &str| NewOffer {
            kind: OfferKind::WorkPlacement,
            start: date(start),
            end: date(end),
            hours: 37.0,
            place: "Bager".into(),
        };
        store.register_offer(ida, &offer("2025-11-01", "2025-11-30"), anna).await.unwrap();
        store.register_offer(ida, &offer("2026-11-01", "2026-12-31"), anna).await.unwrap();
        let list = store.worklist(anna, date("2026-11-30"), anna).await.unwrap();
        let names: Vec<_> = list.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["Ali", "Ida"], "only anna's open cases, by name");
        let row = &list[1];
        let held: Vec<_> = row.held.iter().map(|h| h.date).collect();
        assert_eq!(held, [date("2026-01-20"), date("2026-03-20")], "held since the course started, not missed");
        assert_eq!(row.next_booked, Some(at("2026-12-10 09:00")));
        assert_eq!(row.first_offer, Some(date("2026-11-01")), "the offer before the course does not count");
        assert_eq!(row.offer_ends, Some(date("2026-12-31")));
        assert!(list[0].held.is_empty() && list[0].next_booked.is_none() && list[0].offer_ends.is_none());
        let newest = store.recent_audit(1).await.unwrap();
        assert_eq!(newest[0].action, "citizen.worklist");
        assert_eq!(newest[0].detail, format!(r#"{{"citizens":"{},{}"}}"#, ali.0, ida.0));
    }

    pub async fn case_facts_hold_every_case_without_names_and_the_read_is_audited(store: &dyn Store) {
        let anna = add(store, "anna", Role::Sagsbehandler).await;
        let bo = add(store, "bo", Role::Sagsbehandler).await;
        let ida = store.create_citizen(&citizen("h1", "Ida", Some(anna), "2026-01-05"), anna).await.unwrap();
        let ali = store.create_citizen(&citizen("h2", "Ali", Some(bo), "2026-06-01"), bo).await.unwrap();
        store
            .save_conversations(
                ida,
                &[
                    talk(ConversationStatus::Held, "2026-01-20 09:00"),
                    talk(ConversationStatus::Missed, "2026-02-20 09:00"),
                    talk(ConversationStatus::Booked, "2026-12-10 09:00"),
                ],
                anna,
            )
            .await
            .unwrap();
        let offer = NewOffer {
            kind: OfferKind::WageSubsidy,
            start: date("2026-03-02"),
            end: date("2026-05-29"),
            hours: 30.0,
            place: "Bager".into(),
        };
        store.register_offer(ida, &offer, anna).await.unwrap();
        let facts = store.case_facts(Some(bo)).await.unwrap();
        let ids: Vec<_> = facts.iter().map(|f| f.citizen).collect();
        assert_eq!(ids, [ida, ali], "every case, whoever's, by id");
        let f = &facts[0];
        assert_eq!((f.opened_on, f.closed_on), (date("2026-01-05"), None));
        assert_eq!(f.held.iter().map(|(at, _)| *at).collect::<Vec<_>>(), [at("2026-01-20 09:00")], "held ones only");
        assert_eq!(f.offers.len(), 1);
        assert_eq!(
            (f.offers[0].kind, f.offers[0].start, f.offers[0].hours),
            (OfferKind::WageSubsidy, date("2026-03-02"), 30.0)
        );
        assert_eq!(f.caseworkers, [(anna, date("2026-01-05"))]);
        assert_eq!(f.target_groups.len(), 1);
        assert!(facts[1].held.is_empty() && facts[1].offers.is_empty());
        let newest = store.recent_audit(1).await.unwrap();
        assert_eq!((newest[0].action.as_str(), newest[0].detail.as_str()), ("cases.figures", r#"{"cases":2}"#));
        assert_eq!(newest[0].actor, Some(username("bo")));
    }

    pub async fn the_worklist_names_the_earliest_review_of_the_current_plan(store: &dyn Store) {
        use indsats_domain::citizen_plan::EffortStatus;
        let anna = add(store, "anna", Role::Sagsbehandler).await;
        let ida = store.create_citizen(&citizen("h1", "Ida", Some(anna), "2026-01-05"), anna).await.unwrap();
        let mut first = plan_content("Mål", "Anna");
        first.efforts[0].review = Some(date("2026-12-01"));
        store.save_citizen_plan(ida, 0, &first, anna).await.unwrap();
        let list = store.worklist(anna, date("2026-11-30"), anna).await.unwrap();
        assert_eq!(list[0].plan_review, Some(date("2026-12-01")));
        // The next version stops that effort and reviews another later: only the current
        // version's planned and running efforts count.
        let mut second = plan_content("Mål", "Anna");
        second.efforts[0].status = EffortStatus::Stopped;
        second.efforts[0].review = Some(date("2026-11-01"));
        second.efforts[1].status = EffortStatus::Planned;
        second.efforts[1].review = Some(date("2027-02-01"));
        store.save_citizen_plan(ida, 1, &second, anna).await.unwrap();
        let list = store.worklist(anna, date("2026-11-30"), anna).await.unwrap();
        assert_eq!(list[0].plan_review, Some(date("2027-02-01")));
    }

    fn conflict(result: &Result<impl std::fmt::Debug, StoreError>, what: &str) {
        assert!(matches!(result, Err(StoreError::Conflict(c)) if c == what), "{result:?}");
    }

    pub async fn exemptions_stay_within_the_quota_can_be_ended_and_are_audited(store: &dyn Store) {
        use indsats_store::NewExemption;
        use indsats_store::exemptions::{NOT_IN_PORTFOLIO, NOT_OPEN, QUOTA_FULL};
        let anna = add(store, "anna", Role::Sagsbehandler).await;
        let mut ids = Vec::new();
        for i in 0..4 {
            let new = citizen(&format!("h{i}"), &format!("Borger {i}"), Some(anna), "2026-08-03");
            ids.push(store.create_citizen(&new, anna).await.unwrap());
        }
        let sick =
            NewCitizen { target_group: TargetGroup::Sygedagpenge, ..citizen("s1", "Syg", Some(anna), "2026-08-03") };
        let sick = store.create_citizen(&sick, anna).await.unwrap();
        let pools = vec![vec![TargetGroup::Dagpenge, TargetGroup::KontanthjaelpJobparat]];
        let grant = |citizen, reason: &str| NewExemption {
            citizen,
            reason: reason.into(),
            pools: pools.clone(),
            max_exempt_percent: 25,
        };
        // Four dagpenge cases: 25 % is one.
        let first = store.grant_exemption(&grant(ids[0], "Indlagt på hospital"), anna).await.unwrap();
        conflict(&store.grant_exemption(&grant(ids[1], "Anden grund"), anna).await, QUOTA_FULL);
        conflict(&store.grant_exemption(&grant(sick, "Syg"), anna).await, NOT_IN_PORTFOLIO);
        let counts = store.exemption_counts().await.unwrap();
        let dagpenge = counts.iter().find(|c| c.group == TargetGroup::Dagpenge).unwrap();
        assert_eq!((dagpenge.open, dagpenge.exempted), (4, 1));
        store.end_exemption(ids[0], first, anna).await.unwrap();
        conflict(&store.end_exemption(ids[0], first, anna).await, NOT_OPEN);
        let second = store.grant_exemption(&grant(ids[1], "Anden grund"), anna).await.unwrap();
        let file = store.exemption_file(ids[0], anna, None).await.unwrap().unwrap();
        assert_eq!(file.exemptions.len(), 1);
        let x = &file.exemptions[0];
        assert_eq!(
            (x.reason.as_str(), x.granted_by.clone(), x.ended_by.clone()),
            ("Indlagt på hospital", Some(username("anna")), Some(username("anna")))
        );
        assert!(x.ended_at.is_some());
        let log: Vec<(String, String)> =
            store.recent_audit(4).await.unwrap().into_iter().rev().map(|e| (e.action, e.detail)).collect();
        assert_eq!(
            log,
            [
                ("citizen.exemption.grant".to_owned(), format!(r#"{{"citizen":{},"exemption":{first}}}"#, ids[0].0)),
                ("citizen.exemption.end".to_owned(), format!(r#"{{"citizen":{},"exemption":{first}}}"#, ids[0].0)),
                ("citizen.exemption.grant".to_owned(), format!(r#"{{"citizen":{},"exemption":{second}}}"#, ids[1].0)),
                ("citizen.view".to_owned(), format!(r#"{{"citizen":{}}}"#, ids[0].0)),
            ],
            "the reason stays out of the log"
        );
    }

    pub async fn rule_files_are_adopted_once_and_audited(store: &dyn Store) {
        use indsats_store::rule_adoptions::ALREADY_ADOPTED;
        let admin = add(store, "admin1", Role::Admin).await;
        assert!(store.rule_adoptions().await.unwrap().is_empty());
        store.adopt_rules("reform-2027", admin).await.unwrap();
        conflict(&store.adopt_rules("reform-2027", admin).await, ALREADY_ADOPTED);
        let adopted = store.rule_adoptions().await.unwrap();
        assert_eq!(adopted.len(), 1);
        assert_eq!(
            (adopted[0].regime.as_str(), adopted[0].adopted_by.clone()),
            ("reform-2027", Some(username("admin1")))
        );
        let last = store.recent_audit(1).await.unwrap().remove(0);
        assert_eq!((last.action.as_str(), last.detail.as_str()), ("rules.adopt", r#"{"regime":"reform-2027"}"#));
    }

    pub async fn the_audit_search_filters_pages_and_records_itself(store: &dyn Store) {
        use indsats_store::AuditQuery;
        let anna = add(store, "anna", Role::Sagsbehandler).await;
        let bo = add(store, "bo", Role::Leder).await;
        let ida = store.create_citizen(&citizen("h1", "Ida", Some(anna), "2026-08-03"), anna).await.unwrap();
        let ali = store.create_citizen(&citizen("h2", "Ali", Some(anna), "2026-08-03"), anna).await.unwrap();
        for _ in 0..3 {
            store.case_file(ida, anna, None).await.unwrap();
        }
        store.case_file(ali, bo, None).await.unwrap();
        store.worklist(anna, date("2026-11-30"), anna).await.unwrap();
        let search =
            AuditEvent::AuditSearched { user: None, kind: None, from: None, to: None, citizen: Some(ida), page: 1 };
        let query = AuditQuery { citizen: Some(ida), page: 1, per_page: 3, ..AuditQuery::default() };
        let first = store.search_audit(&query, &search, bo).await.unwrap();
        let codes: Vec<&str> = first.entries.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(codes, ["citizen.worklist", "citizen.view", "citizen.view"], "newest first, Ali's read left out");
        assert!(first.more);
        // The first search is about Ida too, but the next page counts on the log as it was.
        let second = AuditQuery { page: 2, upto: first.upto, ..query.clone() };
        let second = store.search_audit(&second, &search, bo).await.unwrap();
        let codes: Vec<&str> = second.entries.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(codes, ["citizen.view", "citizen.create"]);
        assert!(!second.more);
        let fresh = store.search_audit(&query, &search, bo).await.unwrap();
        assert_eq!(fresh.entries[0].action, "audit.search", "a new search sees the searches about Ida");
        let by_bo = AuditQuery {
            user: Some(username("bo")),
            kind: Some("citizen.view".into()),
            page: 1,
            per_page: 10,
            ..AuditQuery::default()
        };
        let found = store.search_audit(&by_bo, &search, bo).await.unwrap();
        assert_eq!(found.entries.len(), 1);
        assert_eq!(found.entries[0].detail, format!(r#"{{"citizen":{}}}"#, ali.0));
        let future = AuditQuery { from: Some(i64::MAX - 1), page: 1, per_page: 10, ..AuditQuery::default() };
        assert!(store.search_audit(&future, &search, bo).await.unwrap().entries.is_empty());
        let last = store.recent_audit(1).await.unwrap().remove(0);
        assert_eq!((last.action.as_str(), last.actor.clone()), ("audit.search", Some(username("bo"))));
    }

    pub async fn a_read_whose_audit_row_cannot_be_written_shows_nothing(db: &Db) {
        let store = &*db.store;
        let anna = add(store, "anna", Role::Sagsbehandler).await;
        let id = store.create_citizen(&citizen("h1", "Ida", Some(anna), "2026-01-05"), anna).await.unwrap();
        db.raw.run(&FAILING_AUDIT).await.unwrap();
        assert!(store.case_file(id, anna, None).await.is_err());
        assert!(store.sealed_cpr(id, anna).await.is_err());
        assert!(store.find_citizen("h1", anna).await.is_err());
        assert!(store.worklist(anna, date("2026-11-30"), anna).await.is_err());
        assert!(store.case_facts(Some(anna)).await.is_err());
        assert!(store.citizen_plan(id, anna, None).await.is_err());
        assert!(store.citizen_plan_history(id, anna, None).await.is_err());
        assert!(store.save_citizen_plan(id, 0, &plan_content("Mål", "Anna"), anna).await.is_err());
        let refused = store.create_citizen(&citizen("h2", "Ali", Some(anna), "2026-01-05"), anna).await;
        assert!(refused.is_err());
        assert!(
            store.save_conversations(id, &[talk(ConversationStatus::Held, "2026-02-01 09:00")], anna).await.is_err()
        );
        db.raw.run(&WORKING_AUDIT).await.unwrap();
        assert_eq!(store.count_citizens().await.unwrap(), 1);
        assert!(store.case_file(id, anna, None).await.unwrap().unwrap().conversations.is_empty());
        assert!(store.citizen_plan_history(id, anna, None).await.unwrap().is_empty(), "the plan save was undone");
    }

    pub async fn a_change_whose_audit_row_cannot_be_written_is_undone(db: &Db) {
        let store = &*db.store;
        let anna = add(store, "anna", Role::Leder).await;
        store.create_session(&session("s", anna, i64::MAX)).await.unwrap();
        store.save_plan_version(&version("p", 175, "P", PLAN_V1, 1), None).await.unwrap();
        store.set_action_status(&action("p", "a1", ActionStatus::InProgress, 0, 2), anna).await.unwrap();
        let rows_before = intact_rows(store).await;
        let log_before = store.recent_audit(100).await.unwrap();

        db.raw.run(&FAILING_AUDIT).await.unwrap();
        let refused = |r: Result<(), StoreError>| assert!(matches!(r, Err(StoreError::Database(_))), "{r:?}");
        refused(store.set_action_status(&action("p", "a1", ActionStatus::Done, 1, 3), anna).await.map(drop));
        refused(store.set_action_status(&action("p", "a2", ActionStatus::Done, 0, 3), anna).await.map(drop));
        refused(store.save_plan_version(&version("p", 175, "P", PLAN_V2, 3), None).await.map(drop));
        refused(store.save_plan_version(&version("ny", 175, "Ny", PLAN_V2, 3), None).await.map(drop));
        refused(store.set_user_disabled(&username("anna"), true, None).await.map(drop));
        refused(store.set_goal_comment(&comment("p", "g1", "2022Q4", "Nej", 0, 3), anna).await.map(drop));
        let new_user = NewUser {
            username: username("bo"),
            display_name: "Bo".into(),
            role: Role::Leder,
            password_hash: "x".into(),
        };
        refused(store.create_user(&new_user, None).await.map(drop));
        refused(store.create_session(&session("t", anna, i64::MAX)).await);
        refused(store.delete_session("s").await.map(drop));
        refused(store.record_login_failure("anna", "10.0.0.1", 3, 0).await);
        let token = NewApiToken { user: anna, name: "x".into(), token_hash: "h".into() };
        refused(store.create_api_token(&token, None).await.map(drop));
        refused(store.record(&AuditEvent::LoginRateLimited, None).await);

        // Everything is as it was: the data, the log, and the chain's head.
        let states = store.action_states(&plan_id("p")).await.unwrap();
        assert_eq!(
            states.iter().map(|s| (s.action_id.as_str(), s.status, s.revision)).collect::<Vec<_>>(),
            [("a1", ActionStatus::InProgress, 1)]
        );
        assert_eq!(store.plan_versions(&plan_id("p")).await.unwrap().len(), 1);
        assert!(store.plan(&plan_id("ny"), None).await.unwrap().is_none());
        let anna_now = store.user_by_username(&username("anna")).await.unwrap().unwrap();
        assert!(!anna_now.disabled);
        assert!(store.session_by_token_hash("s", 0).await.unwrap().is_some(), "the disable's logout was undone");
        assert!(store.session_by_token_hash("t", 0).await.unwrap().is_none());
        assert!(store.goal_comments(&plan_id("p"), quarter("2022Q4")).await.unwrap().is_empty());
        assert_eq!(store.count_users().await.unwrap(), 1);
        assert_eq!(store.count_login_failures("anna", "10.0.0.1", 0).await.unwrap(), (0, 0));
        assert!(store.list_api_tokens().await.unwrap().is_empty());
        assert_eq!(store.recent_audit(100).await.unwrap(), log_before);

        // With the audit log working again, the same change goes through, chained on.
        db.raw.run(&WORKING_AUDIT).await.unwrap();
        let done = store.set_action_status(&action("p", "a1", ActionStatus::Done, 1, 4), anna).await.unwrap();
        assert_eq!(done.revision, 2);
        let v2 = store.save_plan_version(&version("p", 175, "P", PLAN_V2, 4), None).await.unwrap();
        assert!(matches!(v2, SaveOutcome::Created(v) if v.version == 2));
        assert_eq!(intact_rows(store).await, rows_before + 2);
    }

    pub async fn the_database_refuses_to_change_or_remove_audit_rows(db: &Db) {
        let store = &*db.store;
        let anna = add(store, "anna", Role::Leder).await;
        store.record(&AuditEvent::Login, Some(anna)).await.unwrap();
        let before = store.recent_audit(10).await.unwrap();
        assert_eq!(before.len(), 2);

        for attempt in [
            "UPDATE audit_log SET detail = '{}' WHERE action = 'user.create'",
            "UPDATE audit_log SET actor_user_id = NULL",
            "DELETE FROM audit_log WHERE action = 'login'",
            "DELETE FROM audit_log",
            // An unchained row is refused too: every row written from now on is in the chain.
            "INSERT INTO audit_log (at, actor_user_id, action, detail) VALUES (1, NULL, 'login', '{}')",
        ] {
            let refused = db.raw.run(&Sql { sqlite: attempt, postgres: attempt }).await;
            assert!(refused.is_err(), "{attempt}");
        }
        if !db.raw.is_sqlite() {
            assert!(db.raw.run(&Sql { sqlite: "", postgres: "TRUNCATE audit_log" }).await.is_err());
        }
        assert_eq!(store.recent_audit(10).await.unwrap(), before);
        assert_eq!(intact_rows(store).await, 2);
    }

    /// Lifts the protection, as someone with the database's owner rights could.
    const TAMPERING_ALLOWED: Sql = Sql {
        sqlite: "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete",
        postgres: "DROP TRIGGER audit_log_no_update ON audit_log; DROP TRIGGER audit_log_no_delete ON audit_log",
    };

    pub async fn verify_names_the_first_row_changed_or_removed_behind_the_applications_back(db: &Db) {
        let store = &*db.store;
        let anna = add(store, "anna", Role::Leder).await;
        store.save_plan_version(&version("p", 175, "P", PLAN_V1, 1), Some(anna)).await.unwrap();
        for (status, seen) in [ActionStatus::InProgress, ActionStatus::Done, ActionStatus::Dropped].into_iter().zip(0..)
        {
            store.set_action_status(&action("p", "a1", status, seen, 10 + seen), anna).await.unwrap();
        }
        store.create_session(&session("s", anna, i64::MAX)).await.unwrap();
        store.delete_session("s").await.unwrap();
        let ChainVerdict::Intact(summary) = store.verify_audit_chain().await.unwrap() else { panic!() };
        assert_eq!((summary.rows, summary.legacy_rows, summary.head.len()), (7, 0, 64));
        let ids: Vec<i64> = store.recent_audit(100).await.unwrap().into_iter().rev().map(|e| e.id).collect();
        assert_eq!(ids.len(), 7);

        db.raw.run(&TAMPERING_ALLOWED).await.unwrap();
        // Someone turns Anna's "done" (the fourth row) into "dropped".
        let edit = format!(
            "UPDATE audit_log SET detail = '{{\"plan\":\"p\",\"action\":\"a1\",\"status\":\"dropped\",\"revision\":2}}' \
             WHERE id = {}",
            ids[3]
        );
        db.raw.run_owned(edit).await.unwrap();
        let verdict = store.verify_audit_chain().await.unwrap();
        let ChainVerdict::Broken(broken) = &verdict else { panic!("{verdict:?}") };
        assert_eq!((broken.row, &broken.problem), (Some(ids[3]), &LinkProblem::HashMismatch));
        assert!(broken.to_string().starts_with(&format!("row {}: ", ids[3])), "{broken}");

        // Put back as it was, the chain holds again.
        let undo = format!(
            "UPDATE audit_log SET detail = '{{\"plan\":\"p\",\"action\":\"a1\",\"status\":\"done\",\"revision\":2}}' \
             WHERE id = {}",
            ids[3]
        );
        db.raw.run_owned(undo).await.unwrap();
        assert_eq!(intact_rows(store).await, 7);

        // Removing the last row (the logout) is noticed through the head.
        db.raw.run_owned(format!("DELETE FROM audit_log WHERE id = {}", ids[6])).await.unwrap();
        let verdict = store.verify_audit_chain().await.unwrap();
        let ChainVerdict::Broken(broken) = &verdict else { panic!("{verdict:?}") };
        assert_eq!((broken.row, &broken.problem), (Some(ids[5]), &LinkProblem::Truncated { expected: 7, found: 6 }));

        // Removing one in the middle breaks the link of the row after it, which comes first.
        db.raw.run_owned(format!("DELETE FROM audit_log WHERE id = {}", ids[2])).await.unwrap();
        let verdict = store.verify_audit_chain().await.unwrap();
        let ChainVerdict::Broken(broken) = &verdict else { panic!("{verdict:?}") };
        assert_eq!((broken.row, &broken.problem), (Some(ids[3]), &LinkProblem::PrevHashMismatch));
    }

    pub async fn concurrent_appends_from_many_tasks_keep_one_chain(db: &Db) {
        const TASKS: i64 = 8;
        const ROUNDS: i64 = 6;
        let anna = add(&*db.store, "anna", Role::Leder).await;
        db.store.save_plan_version(&version("p", 175, "P", PLAN_V1, 1), None).await.unwrap();
        let mut tasks = tokio::task::JoinSet::new();
        for task in 0..TASKS {
            let store = Arc::clone(&db.store);
            tasks.spawn(async move {
                let action_id = format!("a{task}");
                for round in 0..ROUNDS {
                    // A change with its event, an event alone, and a login with its session.
                    let status = if round % 2 == 0 { ActionStatus::InProgress } else { ActionStatus::Done };
                    store.set_action_status(&action("p", &action_id, status, round, round), anna).await.unwrap();
                    store.record(&AuditEvent::LoginRateLimited, None).await.unwrap();
                    store.create_session(&session(&format!("{task}-{round}"), anna, i64::MAX)).await.unwrap();
                }
            });
        }
        while let Some(done) = tasks.join_next().await {
            done.unwrap();
        }
        let expected = u64::try_from(2 + 3 * TASKS * ROUNDS).unwrap();
        assert_eq!(intact_rows(&*db.store).await, expected);
        let states = db.store.action_states(&plan_id("p")).await.unwrap();
        assert!(states.iter().all(|s| s.revision == ROUNDS), "{states:?}");
    }

    pub async fn concurrent_audited_reads_and_writes_all_go_through(db: &Db) {
        // Reads of personal data append to the audit log; read first and append later, SQLite
        // refused the upgrade at once (SQLITE_BUSY) when another task wrote meanwhile.
        const TASKS: usize = 8;
        const ROUNDS: usize = 8;
        let anna = add(&*db.store, "anna", Role::Sagsbehandler).await;
        let id = db.store.create_citizen(&citizen("h1", "Ida", Some(anna), "2026-01-05"), anna).await.unwrap();
        let mut tasks = tokio::task::JoinSet::new();
        for task in 0..TASKS {
            let store = Arc::clone(&db.store);
            tasks.spawn(async move {
                for round in 0..ROUNDS {
                    store.case_file(id, anna, None).await.unwrap();
                    store.worklist(anna, date("2026-11-30"), anna).await.unwrap();
                    store.find_citizen("h1", anna).await.unwrap();
                    let when = format!("2026-02-{:02} {:02}:00", 1 + task, 8 + round);
                    store.save_conversations(id, &[talk(ConversationStatus::Held, &when)], anna).await.unwrap();
                }
            });
        }
        while let Some(done) = tasks.join_next().await {
            done.unwrap();
        }
        let case = db.store.case_file(id, anna, None).await.unwrap().unwrap();
        assert_eq!(case.conversations.len(), TASKS * ROUNDS);
        let expected = u64::try_from(2 + 4 * TASKS * ROUNDS + 1).unwrap();
        assert_eq!(intact_rows(&*db.store).await, expected, "every read left its row, chained");
    }

    pub async fn a_stored_value_that_no_longer_parses_is_reported_with_its_table_and_key(db: &Db) {
        let store = &*db.store;
        let sql = "INSERT INTO plans (plan_id, latest_version) VALUES ('gammel', 1); \
                   INSERT INTO plan_versions (plan_id, version, municipality, title, text, sha256, loaded_at, loaded_by) \
                   VALUES ('gammel', 1, 5, 'Gammel', 'x', 'h', 1, NULL); \
                   INSERT INTO plan_action_states (plan_id, action_id, status, revision, changed_at, changed_by) \
                   VALUES ('p', 'a1', 'done', 1, 1, NULL), ('p', 'A2', 'done', 1, 1, NULL); \
                   INSERT INTO plan_goal_comments (plan_id, goal_id, quarter, text, revision, updated_at, updated_by) \
                   VALUES ('p', 'g1', '2022Q4', 'x', 1, 1, NULL), ('p', 'G2', '2022Q4', 'x', 1, 1, NULL)";
        db.raw.run(&Sql { sqlite: sql, postgres: sql }).await.unwrap();

        let corrupt = |r: StoreError| match r {
            StoreError::Corrupt { table, key, detail } => (table, key, detail),
            other => panic!("{other:?}"),
        };
        let (table, key, detail) = corrupt(store.plans().await.unwrap_err());
        assert_eq!((table, key.as_str()), ("plan_versions", "plan_id=gammel, version=1"));
        assert!(detail.starts_with("municipality: "), "{detail}");
        let (table, key, detail) = corrupt(store.action_states(&plan_id("p")).await.unwrap_err());
        assert_eq!((table, key.as_str()), ("plan_action_states", "plan_id=p, action_id=A2"));
        assert!(detail.starts_with("action_id: "), "{detail}");
        let (table, key, _) = corrupt(store.goal_comments(&plan_id("p"), quarter("2022Q4")).await.unwrap_err());
        assert_eq!((table, key.as_str()), ("plan_goal_comments", "plan_id=p, quarter=2022Q4, goal_id=G2"));
        let shown = StoreError::Corrupt { table, key, detail: "x".into() }.to_string();
        assert_eq!(shown, "corrupt row in plan_goal_comments (plan_id=p, quarter=2022Q4, goal_id=G2): x");
    }

    fn archived(plan: &str, version: i64, html: &str, pdf: Option<&[u8]>, at: i64) -> NewArchivedReport {
        NewArchivedReport {
            plan: plan_id(plan),
            plan_version: version,
            quarter: quarter("2022Q4"),
            committee: "Beskæftigelsesudvalget".into(),
            meeting_date: chrono::NaiveDate::from_ymd_opt(2023, 2, 14).unwrap(),
            dataset_version: Some("2022Q4".into()),
            made_at: at,
            html: html.as_bytes().to_vec(),
            pdf: pdf.map(<[u8]>::to_vec),
        }
    }

    /// One archived report of plan `p` version 1, made by the manager `leder`.
    async fn one_archived(store: &dyn Store) -> (indsats_store::UserId, ArchivedReport) {
        let leder = add(store, "leder", Role::Leder).await;
        store.save_plan_version(&version("p", 175, "Plan", "v1", 10), None).await.unwrap();
        let pdf: &[u8] = b"%PDF-1.7 \x00\xff binary";
        let made = store.archive_report(&archived("p", 1, "<h1>Rapport</h1>", Some(pdf), 20), leder).await.unwrap();
        (leder, made)
    }

    pub async fn an_archived_report_keeps_its_bytes_and_hashes_whatever_comes_later(store: &dyn Store) {
        let (_, made) = one_archived(store).await;
        assert_eq!(made.plan_id, plan_id("p"));
        assert_eq!((made.plan_version, made.quarter, made.made_at), (1, quarter("2022Q4"), 20));
        assert_eq!(made.committee, "Beskæftigelsesudvalget");
        assert_eq!(made.meeting_date, chrono::NaiveDate::from_ymd_opt(2023, 2, 14).unwrap());
        assert_eq!(made.dataset_version.as_deref(), Some("2022Q4"));
        assert_eq!(made.made_by, Some(username("leder")));
        assert_eq!(made.approval, None);
        // The hashes are the store's own, over the bytes it keeps ...
        assert_eq!(made.html_sha256, indsats_store::report_archive::sha256_hex(b"<h1>Rapport</h1>"));
        // ... and the same as any SHA-256 tool gives (`printf '<h1>Rapport</h1>' | sha256sum`).
        assert_eq!(made.html_sha256, "9026dbbdaa4d781072d2ff1d502b745c4f7fc20e9c17dfd95990dd0b8ba9a0f3");
        let pdf = store.archived_report_file(made.id, ArchivedFormat::Pdf).await.unwrap().unwrap();
        assert_eq!(pdf.bytes, b"%PDF-1.7 \x00\xff binary");
        assert_eq!(Some(pdf.sha256), made.pdf_sha256);

        // A new plan version and a newer report change nothing in the first one.
        store.save_plan_version(&version("p", 175, "Plan", "v2", 30), None).await.unwrap();
        let leder = store.user_by_username(&username("leder")).await.unwrap().unwrap().id;
        let newer = store.archive_report(&archived("p", 2, "<h1>Ny</h1>", None, 40), leder).await.unwrap();
        assert_ne!(newer.id, made.id);
        assert_eq!(newer.pdf_sha256, None);
        let html = store.archived_report_file(made.id, ArchivedFormat::Html).await.unwrap().unwrap();
        assert_eq!(html.bytes, b"<h1>Rapport</h1>");
        assert_eq!(store.archived_report(made.id).await.unwrap(), Some(made.clone()));
        assert_eq!(store.archived_report_file(newer.id, ArchivedFormat::Pdf).await.unwrap(), None);
        assert_eq!(store.archived_report_file(ArchivedReportId(999), ArchivedFormat::Html).await.unwrap(), None);
        let listed: Vec<ArchivedReportId> = store.archived_reports().await.unwrap().iter().map(|r| r.id).collect();
        assert_eq!(listed, [newer.id, made.id], "newest first");

        // A version that was never stored cannot be archived, and nothing is recorded.
        let codes = audit_codes(store).await;
        assert!(store.archive_report(&archived("p", 9, "x", None, 50), leder).await.is_err());
        assert_eq!(audit_codes(store).await, codes);
        assert_eq!(codes.iter().filter(|c| *c == "report.archive").count(), 2);
    }

    pub async fn an_archived_report_is_approved_once_and_the_first_approval_stands(store: &dyn Store) {
        let (leder, made) = one_archived(store).await;
        let other = add(store, "leder2", Role::Leder).await;
        let approved = store.approve_report(made.id, 60, leder).await.unwrap().unwrap();
        let approval = approved.approval.clone().unwrap();
        assert_eq!((approval.by, approval.at), (Some(username("leder")), 60));
        assert_eq!(approved.html_sha256, made.html_sha256);

        let again = store.approve_report(made.id, 70, other).await;
        assert!(
            matches!(&again, Err(StoreError::Conflict(c)) if c == indsats_store::report_archive::REPORT_APPROVAL_CONFLICT),
            "{again:?}"
        );
        assert_eq!(store.archived_report(made.id).await.unwrap(), Some(approved));
        assert_eq!(store.approve_report(ArchivedReportId(999), 80, leder).await.unwrap(), None);
        let codes = audit_codes(store).await;
        assert_eq!(codes.iter().filter(|c| *c == "report.approve").count(), 1, "{codes:?}");
        let last = store.recent_audit(1).await.unwrap().remove(0);
        assert_eq!(last.detail, format!(r#"{{"report":{},"plan":"p"}}"#, made.id));
        assert_eq!(intact_rows(store).await, u64::try_from(codes.len()).unwrap());
    }

    pub async fn the_database_refuses_to_change_or_remove_archived_reports(db: &Db) {
        let store = &*db.store;
        let (leder, made) = one_archived(store).await;
        store.approve_report(made.id, 60, leder).await.unwrap();
        for attempt in [
            "UPDATE archived_reports SET committee = 'Andet udvalg'",
            "UPDATE archived_reports SET html = html",
            "UPDATE archived_reports SET html_sha256 = pdf_sha256",
            "DELETE FROM archived_reports",
            "UPDATE archived_report_approvals SET approved_at = 1",
            "DELETE FROM archived_report_approvals",
            // The hash goes with the bytes: a PDF without its hash is refused.
            "INSERT INTO archived_reports (plan_id, plan_version, quarter, committee, meeting_date, made_by, made_at, html, html_sha256, pdf) \
             SELECT plan_id, plan_version, quarter, committee, meeting_date, made_by, made_at, html, html_sha256, pdf FROM archived_reports",
        ] {
            let refused = db.raw.run(&Sql { sqlite: attempt, postgres: attempt }).await;
            assert!(refused.is_err(), "{attempt}");
        }
        if !db.raw.is_sqlite() {
            for table in ["TRUNCATE archived_report_approvals", "TRUNCATE archived_reports CASCADE"] {
                assert!(db.raw.run(&Sql { sqlite: "", postgres: table }).await.is_err(), "{table}");
            }
        }
        let kept = store.archived_report(made.id).await.unwrap().unwrap();
        assert_eq!(kept.committee, "Beskæftigelsesudvalget");
        assert!(kept.approval.is_some_and(|a| a.at == 60));
        let html = store.archived_report_file(made.id, ArchivedFormat::Html).await.unwrap().unwrap();
        assert_eq!(html.bytes, b"<h1>Rapport</h1>");
    }

    /// Rows from before migration 0003, as an existing demo database has them.
    pub const LEGACY_ROWS: &str = "INSERT INTO users (username, display_name, role, password_hash, disabled, created_at) \
         VALUES ('anna', 'Anna', 'leder', 'x', FALSE, 1); \
         INSERT INTO audit_log (at, actor_user_id, action, detail) VALUES (1, NULL, 'login.failed', ''); \
         INSERT INTO audit_log (at, actor_user_id, action, detail) \
         VALUES (2, (SELECT id FROM users WHERE username = 'anna'), 'plan.load', 'roedovre-2023 version 1')";

    pub async fn rows_from_before_the_chain_are_kept_protected_and_counted(db: &Db) {
        let store = &*db.store;
        let ChainVerdict::Intact(summary) = store.verify_audit_chain().await.unwrap() else { panic!() };
        assert_eq!((summary.rows, summary.legacy_rows), (0, 2));
        store.record(&AuditEvent::LoginRateLimited, None).await.unwrap();
        store.record_login_failure("x", "10.0.0.1", 5, 0).await.unwrap();
        let ChainVerdict::Intact(summary) = store.verify_audit_chain().await.unwrap() else { panic!() };
        assert_eq!((summary.rows, summary.legacy_rows), (2, 2));
        let codes = audit_codes(store).await;
        assert_eq!(codes, ["login.failed", "plan.load", "login.rate_limited", "login.failed"]);
        let old = "UPDATE audit_log SET detail = 'x' WHERE action = 'plan.load'";
        assert!(db.raw.run(&Sql { sqlite: old, postgres: old }).await.is_err());

        db.raw.run(&TAMPERING_ALLOWED).await.unwrap();
        let old = "DELETE FROM audit_log WHERE action = 'plan.load'";
        db.raw.run(&Sql { sqlite: old, postgres: old }).await.unwrap();
        let verdict = store.verify_audit_chain().await.unwrap();
        let ChainVerdict::Broken(broken) = verdict else { panic!("{verdict:?}") };
        assert_eq!(broken.problem, LinkProblem::LegacyRowsChanged { expected: 2, found: 1 });
    }
    fn plan_content(goal: &str, responsible: &str) -> indsats_domain::citizen_plan::PlanContent {
        use indsats_domain::citizen_plan::{Department, Effort, EffortStatus, PlanContent, PlanGoal};
        PlanContent {
            goals: vec![
                PlanGoal { text: goal.into(), sub_goals: vec!["Hygiejnebevis".into(), "Praktik".into()] },
                PlanGoal { text: "Styr på økonomien".into(), sub_goals: Vec::new() },
            ],
            efforts: vec![
                Effort {
                    department: Department::Employment,
                    what: "Virksomhedspraktik i kantine".into(),
                    responsible: responsible.into(),
                    status: EffortStatus::Running,
                    review: Some(date("2027-01-15")),
                },
                Effort {
                    department: Department::Housing,
                    what: "Boligsocial støtte".into(),
                    responsible: "Boligrådgiver".into(),
                    status: EffortStatus::Done,
                    review: None,
                },
            ],
        }
    }

    pub async fn a_citizen_plan_keeps_every_version_and_refuses_a_stale_save(store: &dyn Store) {
        let anna = add(store, "anna", Role::Sagsbehandler).await;
        let bo = add(store, "bo", Role::Sagsbehandler).await;
        let id = store.create_citizen(&citizen("h1", "Ida Jensen", Some(anna), "2026-01-05"), anna).await.unwrap();
        let empty = store.citizen_plan(id, anna, None).await.unwrap().unwrap();
        assert_eq!((empty.name.as_str(), empty.open, empty.current), ("Ida Jensen", true, None));
        assert!(store.citizen_plan(indsats_domain::CitizenId(999), anna, None).await.unwrap().is_none());

        let first = plan_content("Arbejde i et køkken", "Jobkonsulent Anna");
        let stale_first = store.save_citizen_plan(id, 3, &first, anna).await;
        assert!(matches!(stale_first, Err(StoreError::Conflict(ref c)) if c == "citizen_plan"), "{stale_first:?}");
        assert_eq!(store.save_citizen_plan(id, 0, &first, anna).await.unwrap(), 1);
        let second = plan_content("Arbejde i et storkøkken", "Mentor Bo");
        assert_eq!(store.save_citizen_plan(id, 1, &second, bo).await.unwrap(), 2);
        // Anna saves from the page she opened at revision 1: refused, nothing written.
        let lost = plan_content("Det Anna skrev", "Anna");
        let stale = store.save_citizen_plan(id, 1, &lost, anna).await;
        assert!(matches!(stale, Err(StoreError::Conflict(ref c)) if c == "citizen_plan"), "{stale:?}");
        let again = store.save_citizen_plan(id, 0, &lost, anna).await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "a second first save is stale too: {again:?}");

        let now = store.citizen_plan(id, anna, Some(AccessReason::Sparring)).await.unwrap().unwrap();
        let current = now.current.unwrap();
        assert_eq!((current.revision, current.saved_by), (2, Some(username("bo"))));
        assert_eq!(current.content, second, "goals, sub-goals and efforts come back as saved, in order");
        let history = store.citizen_plan_history(id, anna, None).await.unwrap();
        let revisions: Vec<i64> = history.iter().map(|v| v.revision).collect();
        assert_eq!(revisions, [2, 1], "newest first, the stale save not among them");
        assert_eq!((history[1].content.clone(), history[1].saved_by.clone()), (first, Some(username("anna"))));

        let log = store.recent_audit(5).await.unwrap();
        let mut seen: Vec<(String, String)> = log.iter().map(|e| (e.action.clone(), e.detail.clone())).collect();
        seen.reverse();
        let id = id.0;
        assert_eq!(
            seen,
            [
                ("citizen.plan.view".to_owned(), format!(r#"{{"citizen":{id}}}"#)),
                ("citizen.plan.save".to_owned(), format!(r#"{{"citizen":{id},"revision":1}}"#)),
                ("citizen.plan.save".to_owned(), format!(r#"{{"citizen":{id},"revision":2}}"#)),
                ("citizen.plan.view".to_owned(), format!(r#"{{"citizen":{id},"reason":"sparring"}}"#)),
                ("citizen.plan.view".to_owned(), format!(r#"{{"citizen":{id},"versions":"all"}}"#)),
            ],
            "only ids and codes, one row per read and per save, none for the refused saves or an unknown citizen"
        );
    }

    pub async fn concurrent_plan_saves_from_one_revision_let_exactly_one_through(store: &dyn Store) {
        let anna = add(store, "anna", Role::Sagsbehandler).await;
        let id = store.create_citizen(&citizen("h1", "Ida Jensen", Some(anna), "2026-01-05"), anna).await.unwrap();
        let save =
            |goal: &'static str| async move { store.save_citizen_plan(id, 0, &plan_content(goal, "Anna"), anna).await };
        let (one, two, three, four) = tokio::join!(save("a"), save("b"), save("c"), save("d"));
        let results = [one, two, three, four];
        let saved: Vec<i64> = results.iter().filter_map(|r| r.as_ref().ok().copied()).collect();
        assert_eq!(saved, [1], "{results:?}");
        assert!(results.iter().all(|r| r.is_ok() || matches!(r, Err(StoreError::Conflict(_)))), "{results:?}");
        assert_eq!(store.citizen_plan_history(id, anna, None).await.unwrap().len(), 1);
    }

    fn decision(basis: LegalBasis, decided: &str, sent: Option<&str>) -> DecisionEntry {
        DecisionEntry {
            legal_basis: basis,
            subject: "Nedsættelse af kontanthjælp".into(),
            explanation: "Du mødte ikke op til samtalen.".into(),
            decided_on: date(decided),
            sent_on: sent.map(date),
        }
    }

    pub async fn decisions_and_complaints_are_recorded_once_each_and_audited(store: &dyn Store) {
        let anna = add(store, "anna", Role::Sagsbehandler).await;
        let id = store.create_citizen(&citizen("h1", "Ida Jensen", Some(anna), "2026-01-05"), anna).await.unwrap();
        let other = store.create_citizen(&citizen("h2", "Ali Hansen", Some(anna), "2026-01-05"), anna).await.unwrap();
        let sent =
            store.record_decision(id, &decision(LegalBasis::Las13, "2026-03-02", Some("2026-03-03")), anna).await;
        let sent = sent.unwrap();
        let unsent = store.record_decision(id, &decision(LegalBasis::Sdl7, "2026-04-01", None), anna).await.unwrap();
        let conflict = |r: Result<(), StoreError>| {
            assert!(
                matches!(r, Err(StoreError::Conflict(ref c)) if c == indsats_store::decisions::DECISION_CONFLICT),
                "{r:?}"
            );
        };
        // A complaint needs a sent decision of this citizen's, once.
        conflict(store.lodge_appeal(id, unsent, date("2026-04-02"), anna).await);
        conflict(store.lodge_appeal(other, sent, date("2026-03-10"), anna).await);
        conflict(store.record_appeal_outcome(id, sent, AppealOutcome::Upheld, date("2026-05-01"), anna).await);
        store.lodge_appeal(id, sent, date("2026-03-10"), anna).await.unwrap();
        conflict(store.lodge_appeal(id, sent, date("2026-03-11"), anna).await);
        conflict(store.record_appeal_outcome(other, sent, AppealOutcome::Changed, date("2026-05-01"), anna).await);
        store.record_appeal_outcome(id, sent, AppealOutcome::Remitted, date("2026-05-01"), anna).await.unwrap();
        conflict(store.record_appeal_outcome(id, sent, AppealOutcome::Upheld, date("2026-05-02"), anna).await);
        // Sending is recorded once.
        store.mark_decision_sent(id, unsent, date("2026-04-02"), anna).await.unwrap();
        conflict(store.mark_decision_sent(id, unsent, date("2026-04-03"), anna).await);
        conflict(store.mark_decision_sent(other, sent, date("2026-04-03"), anna).await);

        let state = store.decision_state(id, sent).await.unwrap().unwrap();
        assert_eq!(
            (state.sent_on, state.lodged_on, state.outcome),
            (Some(date("2026-03-03")), Some(date("2026-03-10")), Some(AppealOutcome::Remitted))
        );
        assert!(store.decision_state(other, sent).await.unwrap().is_none(), "not the other citizen's");
        assert_eq!(store.decision_citizen(sent).await.unwrap(), Some(id));
        assert_eq!(store.decision_citizen(indsats_domain::DecisionId(999)).await.unwrap(), None);

        let case = store.case_file(id, anna, None).await.unwrap().unwrap();
        let listed: Vec<_> = case.decisions.iter().map(|d| (d.id, d.legal_basis, d.sent_on)).collect();
        assert_eq!(
            listed,
            [(unsent, LegalBasis::Sdl7, Some(date("2026-04-02"))), (sent, LegalBasis::Las13, Some(date("2026-03-03")))],
            "newest first"
        );
        let appeal = case.decisions[1].appeal.unwrap();
        assert_eq!(appeal.outcome, Some((AppealOutcome::Remitted, date("2026-05-01"))));
        assert_eq!(case.decisions[1].decided_by, Some(username("anna")));
        assert!(store.case_file(other, anna, None).await.unwrap().unwrap().decisions.is_empty());

        let letter = store.decision_letter(sent, anna, Some(AccessReason::Complaint)).await.unwrap().unwrap();
        assert_eq!((letter.citizen, letter.name.as_str(), letter.address.as_str()), (id, "Ida Jensen", "Rødovrevej 1"));
        assert_eq!(letter.decision.explanation, "Du mødte ikke op til samtalen.");
        assert!(store.decision_letter(indsats_domain::DecisionId(999), anna, None).await.unwrap().is_none());

        assert_eq!(
            store.appeal_outcomes().await.unwrap(),
            [(LegalBasis::Las13, AppealOutcome::Remitted, date("2026-05-01"))]
        );

        let log = store.recent_audit(7).await.unwrap();
        let mut seen: Vec<(String, String)> = log.iter().map(|e| (e.action.clone(), e.detail.clone())).collect();
        seen.reverse();
        let (c, s, u) = (id.0, sent.0, unsent.0);
        assert_eq!(
            seen,
            [
                ("case.decision".to_owned(), format!(r#"{{"citizen":{c},"decision":{u},"legal_basis":"sdl_7"}}"#)),
                ("case.appeal".to_owned(), format!(r#"{{"citizen":{c},"decision":{s}}}"#)),
                ("case.appeal_outcome".to_owned(), format!(r#"{{"citizen":{c},"decision":{s},"outcome":"remitted"}}"#)),
                ("case.decision_sent".to_owned(), format!(r#"{{"citizen":{c},"decision":{u}}}"#)),
                ("citizen.view".to_owned(), format!(r#"{{"citizen":{c}}}"#)),
                ("citizen.view".to_owned(), format!(r#"{{"citizen":{}}}"#, other.0)),
                ("case.letter".to_owned(), format!(r#"{{"citizen":{c},"decision":{s},"reason":"complaint"}}"#)),
            ],
            "one row per change and per read, none for a refused step or an unknown decision, ids and codes only"
        );
    }
    pub async fn a_decision_step_whose_audit_row_cannot_be_written_is_undone(db: &Db) {
        let store = &*db.store;
        let anna = add(store, "anna", Role::Sagsbehandler).await;
        let id = store.create_citizen(&citizen("h1", "Ida", Some(anna), "2026-01-05"), anna).await.unwrap();
        let sent = decision(LegalBasis::Las11, "2026-02-01", Some("2026-02-02"));
        let kept = store.record_decision(id, &sent, anna).await.unwrap();
        let unsent = store.record_decision(id, &decision(LegalBasis::Las11, "2026-02-01", None), anna).await.unwrap();
        let appealed = store.record_decision(id, &sent, anna).await.unwrap();
        store.lodge_appeal(id, appealed, date("2026-02-05"), anna).await.unwrap();
        let log_before = store.recent_audit(100).await.unwrap();

        db.raw.run(&FAILING_AUDIT).await.unwrap();
        assert!(store.record_decision(id, &sent, anna).await.is_err());
        assert!(store.decision_letter(kept, anna, None).await.is_err(), "no letter without its audit row");
        assert!(store.lodge_appeal(id, kept, date("2026-02-05"), anna).await.is_err());
        assert!(store.mark_decision_sent(id, unsent, date("2026-02-05"), anna).await.is_err());
        let outcome = store.record_appeal_outcome(id, appealed, AppealOutcome::Upheld, date("2026-03-01"), anna);
        assert!(outcome.await.is_err());
        db.raw.run(&WORKING_AUDIT).await.unwrap();

        let case = store.case_file(id, anna, None).await.unwrap().unwrap();
        let states: Vec<_> = case.decisions.iter().map(|d| (d.id, d.sent_on, d.appeal)).collect();
        assert_eq!(
            states,
            [
                (
                    appealed,
                    Some(date("2026-02-02")),
                    Some(indsats_store::Appeal { lodged_on: date("2026-02-05"), outcome: None })
                ),
                (unsent, None, None),
                (kept, Some(date("2026-02-02")), None),
            ],
            "nothing of the refused steps was kept"
        );
        assert_eq!(store.recent_audit(100).await.unwrap()[1..], log_before[..], "only the case read since");
    }
}

/// One SQL text per backend, for the few statements the two do not share.
struct Sql {
    sqlite: &'static str,
    postgres: &'static str,
}

/// A connection to a test's database beside the store's own.
enum Raw {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

impl Raw {
    fn is_sqlite(&self) -> bool {
        matches!(self, Raw::Sqlite(_))
    }

    /// Runs the backend's statements (several, separated by `;`, are fine).
    async fn run(&self, sql: &Sql) -> Result<(), sqlx::Error> {
        match self {
            Raw::Sqlite(pool) => sqlx::raw_sql(sql.sqlite).execute(pool).await.map(drop),
            Raw::Postgres(pool) => sqlx::raw_sql(sql.postgres).execute(pool).await.map(drop),
        }
    }

    /// Runs a statement made at run time, the same for both backends.
    async fn run_owned(&self, sql: String) -> Result<(), sqlx::Error> {
        let sql = sqlx::AssertSqlSafe(sql);
        match self {
            Raw::Sqlite(pool) => sqlx::raw_sql(sql).execute(pool).await.map(drop),
            Raw::Postgres(pool) => sqlx::raw_sql(sql).execute(pool).await.map(drop),
        }
    }
}

/// A fresh database for one test: the store, a raw connection, and what to clean up.
struct Db {
    store: Arc<dyn Store>,
    raw: Raw,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(tempfile::TempDir),
    Postgres(PgDatabase),
}

/// A migrator with only the migrations before the audit chain (0001 and 0002), to lay down
/// rows as an existing database has them. Built from copies of the files, so the store's
/// own migrator later finds them applied with the same checksums.
async fn before_the_chain(backend: &str) -> sqlx::migrate::Migrator {
    let dir = tempfile::tempdir().unwrap();
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(backend);
    for file in ["0001_foundation.sql", "0002_plans.sql"] {
        std::fs::copy(source.join(file), dir.path().join(file)).unwrap();
    }
    sqlx::migrate::Migrator::new(dir.path().to_owned()).await.unwrap()
}

impl Db {
    /// A fresh SQLite file; `legacy`, if any, runs before the audit chain's migration.
    async fn sqlite(legacy: Option<&'static str>) -> Db {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("indsats.db");
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .busy_timeout(std::time::Duration::from_secs(5));
        let raw = sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
        if let Some(sql) = legacy {
            before_the_chain("sqlite").await.run(&raw).await.unwrap();
            sqlx::raw_sql(sql).execute(&raw).await.unwrap();
        }
        // Opening twice proves the migrations are idempotent on an existing file.
        drop(SqliteStore::open(&path).await.unwrap());
        let store = Arc::new(SqliteStore::open(&path).await.unwrap());
        Db { store, raw: Raw::Sqlite(raw), cleanup: Cleanup::Sqlite(dir) }
    }

    /// A fresh PostgreSQL database, dropped by [`Db::finish`].
    async fn postgres(legacy: Option<&'static str>) -> Db {
        let (url, database) = PgDatabase::create().await;
        let raw = sqlx::PgPool::connect(&url).await.unwrap();
        if let Some(sql) = legacy {
            before_the_chain("postgres").await.run(&raw).await.unwrap();
            sqlx::raw_sql(sql).execute(&raw).await.unwrap();
        }
        // Twice, to prove the migrations are idempotent on an existing database.
        drop(PostgresStore::connect(&url).await.unwrap());
        let store = Arc::new(PostgresStore::connect(&url).await.unwrap());
        Db { store, raw: Raw::Postgres(raw), cleanup: Cleanup::Postgres(database) }
    }

    async fn finish(self) {
        drop(self.store);
        match self.raw {
            Raw::Sqlite(pool) => pool.close().await,
            Raw::Postgres(pool) => pool.close().await,
        }
        match self.cleanup {
            Cleanup::Sqlite(dir) => drop(dir),
            Cleanup::Postgres(database) => database.drop_database().await,
        }
    }
}

/// A fresh PostgreSQL database for one test, dropped afterwards.
struct PgDatabase {
    admin: String,
    name: String,
}

impl PgDatabase {
    /// Creates the database; returns its URL.
    async fn create() -> (String, PgDatabase) {
        let admin = std::env::var("INDSATS_TEST_POSTGRES_URL").expect(
            "INDSATS_TEST_POSTGRES_URL must name a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run the PostgreSQL tests",
        );
        let name = format!("indsats_test_{:016x}", rand::random::<u64>());
        let conn = sqlx::PgPool::connect(&admin).await.expect("connect to the PostgreSQL test server");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&conn).await.unwrap();
        conn.close().await;
        let mut url = url::Url::parse(&admin).unwrap();
        url.set_path(&name);
        (url.to_string(), PgDatabase { admin, name })
    }

    async fn drop_database(self) {
        let conn = sqlx::PgPool::connect(&self.admin).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {} WITH (FORCE)", self.name)))
            .execute(&conn)
            .await
            .unwrap();
    }
}

/// Runs each suite function on both backends: those in `store` get the store only, those in
/// `raw` also the raw connection, those in `legacy` a database that had `suite::LEGACY_ROWS`
/// written before the audit chain's migration.
macro_rules! on_both_backends {
    (store: [$($name:ident),* $(,)?], raw: [$($raw:ident),* $(,)?], legacy: [$($legacy:ident),* $(,)?] $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let db = super::Db::sqlite(None).await;
                    super::suite::$name(&*db.store).await;
                    db.finish().await;
                }
            )*
            $(
                #[tokio::test]
                async fn $raw() {
                    let db = super::Db::sqlite(None).await;
                    super::suite::$raw(&db).await;
                    db.finish().await;
                }
            )*
            $(
                #[tokio::test]
                async fn $legacy() {
                    let db = super::Db::sqlite(Some(super::suite::LEGACY_ROWS)).await;
                    super::suite::$legacy(&db).await;
                    db.finish().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                #[ignore = "needs a PostgreSQL server: set INDSATS_TEST_POSTGRES_URL and run with --ignored (bash .ci/run does)"]
                async fn $name() {
                    let db = super::Db::postgres(None).await;
                    super::suite::$name(&*db.store).await;
                    db.finish().await;
                }
            )*
            $(
                #[tokio::test]
                #[ignore = "needs a PostgreSQL server: set INDSATS_TEST_POSTGRES_URL and run with --ignored (bash .ci/run does)"]
                async fn $raw() {
                    let db = super::Db::postgres(None).await;
                    super::suite::$raw(&db).await;
                    db.finish().await;
                }
            )*
            $(
                #[tokio::test]
                #[ignore = "needs a PostgreSQL server: set INDSATS_TEST_POSTGRES_URL and run with --ignored (bash .ci/run does)"]
                async fn $legacy() {
                    let db = super::Db::postgres(Some(super::suite::LEGACY_ROWS)).await;
                    super::suite::$legacy(&db).await;
                    db.finish().await;
                }
            )*
        }
    };
}

on_both_backends!(
    store: [
        users_round_trip_and_names_are_unique,
        sessions_expire_and_die_with_a_disabled_user,
        logout_deletes_only_that_session,
        login_failures_are_counted_per_user_and_address,
        concurrent_login_attempts_are_each_counted_before_any_is_checked,
        api_tokens_authenticate_until_revoked,
        audit_log_lists_newest_first,
        every_change_writes_its_audit_event_with_ids_and_names,
        site_settings_are_replaced_not_duplicated,
        plan_versions_are_numbered_and_identical_text_is_not_stored_again,
        plan_versions_list_newest_first_and_plans_list_the_latest,
        action_status_is_revised_and_a_stale_edit_is_refused,
        goal_comments_are_per_quarter_and_a_stale_edit_is_refused,
        concurrent_loads_never_share_a_version,
        citizens_are_found_by_lookup_and_every_read_is_audited,
        conversations_are_saved_all_or_nothing_and_a_stale_status_is_refused,
        the_worklist_gathers_each_cases_conversations_and_offers,
        case_facts_hold_every_case_without_names_and_the_read_is_audited,
        the_worklist_names_the_earliest_review_of_the_current_plan,
        exemptions_stay_within_the_quota_can_be_ended_and_are_audited,
        rule_files_are_adopted_once_and_audited,
        the_audit_search_filters_pages_and_records_itself,
        an_archived_report_keeps_its_bytes_and_hashes_whatever_comes_later,
        an_archived_report_is_approved_once_and_the_first_approval_stands,
        a_password_hash_is_replaced_and_recorded,
        a_citizen_plan_keeps_every_version_and_refuses_a_stale_save,
        concurrent_plan_saves_from_one_revision_let_exactly_one_through,
        decisions_and_complaints_are_recorded_once_each_and_audited,
        a_citizen_account_is_bound_to_one_case_and_lists_only_staff_reads,
        a_pending_oidc_login_is_taken_once_and_not_after_it_expires,
    ],
    raw: [
        a_change_whose_audit_row_cannot_be_written_is_undone,
        the_database_refuses_to_change_or_remove_audit_rows,
        verify_names_the_first_row_changed_or_removed_behind_the_applications_back,
        concurrent_appends_from_many_tasks_keep_one_chain,
        a_stored_value_that_no_longer_parses_is_reported_with_its_table_and_key,
        a_read_whose_audit_row_cannot_be_written_shows_nothing,
        concurrent_audited_reads_and_writes_all_go_through,
        the_database_refuses_to_change_or_remove_archived_reports,
        a_decision_step_whose_audit_row_cannot_be_written_is_undone,
    ],
    legacy: [rows_from_before_the_chain_are_kept_protected_and_counted],
);

/// The database file holds password hashes and citizens' cases: only its owner may read it,
/// its `-wal` and `-shm` files too, and an existing file open to others is closed.
#[cfg(unix)]
#[tokio::test]
async fn the_sqlite_database_files_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("indsats.db");
    let store = SqliteStore::open(&path).await.unwrap();
    indsats_store::Users::count_users(&store).await.unwrap();
    for file in ["indsats.db", "indsats.db-wal", "indsats.db-shm"] {
        let file = dir.path().join(file);
        assert!(file.exists(), "{}", file.display());
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    drop(store);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    drop(SqliteStore::open(&path).await.unwrap());
    assert_eq!(mode(&path), 0o600);
}

/// Polls every future until all are done, on the test's own task: concurrency without
/// `'static` futures (they borrow the store).
async fn join_all<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    use std::task::Poll;
    let mut futures: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, output) in futures.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    Poll::Ready(value) => *output = Some(value),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending { Poll::Pending } else { Poll::Ready(()) }
    })
    .await;
    outputs.into_iter().map(Option::unwrap).collect()
}
