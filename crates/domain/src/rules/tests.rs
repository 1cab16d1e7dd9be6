//! The rule book against the research notes, and its invariants.

#![allow(clippy::unwrap_used, reason = "a failed step is a failed test")]

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn book() -> RuleBook {
    RuleBook::builtin()
}

/// The obligations as (kind, holder, count, due, regime), the facts a test compares.
fn facts(obligations: &[Obligation]) -> Vec<(&'static str, &'static str, u32, String, String)> {
    obligations.iter().map(|o| (o.kind.code(), o.holder.code(), o.count, o.due.to_string(), o.regime.clone())).collect()
}

fn fact(
    kind: &'static str,
    holder: &'static str,
    count: u32,
    due: &str,
    regime: &str,
) -> (&'static str, &'static str, u32, String, String) {
    (kind, holder, count, due.to_owned(), regime.to_owned())
}

#[test]
fn the_builtin_files_read_and_only_the_2027_file_is_not_adopted() {
    let book = book();
    let ids: Vec<(&str, bool)> = book.regimes().iter().map(|r| (r.id.as_str(), r.adopted)).collect();
    assert_eq!(ids, [("lab-2024", true), ("lov1750-2026-07", true), ("reform-2027", false)]);
    assert_eq!(book.regime("lab-2024").unwrap().valid_from, d("2024-01-01"));
    assert_eq!(book.regime("lov1750-2026-07").unwrap().valid_from, d("2026-07-01"));
    assert_eq!(book.regime("reform-2027").unwrap().valid_from, d("2027-01-01"));
    assert!(book.regime_in_force(d("2023-12-31")).is_none());
    assert_eq!(book.regime_in_force(d("2026-06-30")).unwrap().id, "lab-2024");
    assert_eq!(book.regime_in_force(d("2026-07-01")).unwrap().id, "lov1750-2026-07");
}

#[test]
fn every_rule_of_the_expected_reform_is_marked_uncertain() {
    let reform = book().regime("reform-2027").unwrap().clone();
    assert!(reform.uncertain.is_some());
    for (group, rules) in &reform.groups {
        for rule in &rules.rules {
            assert!(rule.citation.uncertain.is_some(), "{group}: {}", rule.citation.paragraph);
        }
    }
}

#[test]
fn dagpenge_under_lab_2024_has_the_akasse_first_three_months() {
    // Monday 2024-03-04: weekday 10 is Friday 2024-03-15, 65 is 2024-05-31, 130 is 2024-08-30, 347 is 2025-07-01.
    let due = book().due(&Course::new(TargetGroup::Dagpenge, d("2024-03-04")));
    assert_eq!(
        facts(&due),
        [
            fact("conversation", "akasse", 1, "2024-03-15", "lab-2024"),
            fact("conversation", "akasse", 3, "2024-05-31", "lab-2024"),
            fact("conversation", "kommune", 3, "2024-08-30", "lab-2024"),
            fact("offer", "kommune", 1, "2024-08-30", "lab-2024"),
            fact("joint_conversation", "kommune", 1, "2025-07-01", "lab-2024"),
        ]
    );
    assert_eq!(due[0].source, "lab-2024.toml: LAB § 31 (LBK 280/2024)");
    assert!(due.iter().all(|o| !o.portfolio));
    // Without a birth date the under-30 variant cannot be ruled out.
    assert!(due[0].flag.as_deref().unwrap().contains("no birth date"));
}

#[test]
fn young_dagpenge_without_education_have_the_kommune_six_times_in_six_months() {
    let mut course = Course::new(TargetGroup::Dagpenge, d("2024-03-04"));
    course.born = Some(d("2000-05-01"));
    let due = book().due(&course);
    assert_eq!(
        facts(&due),
        [
            fact("conversation", "kommune", 6, "2024-08-30", "lab-2024"),
            fact("offer", "kommune", 1, "2024-08-30", "lab-2024"),
            fact("joint_conversation", "kommune", 1, "2025-07-01", "lab-2024"),
        ]
    );
    assert!(due[0].flag.as_deref().unwrap().contains("§ 27 stk. 3"));
    // With an education, or 30 on the start date, the a-kasse holds the first three months.
    course.education = true;
    assert_eq!(book().due(&course)[0].holder, Holder::Akasse);
    course.education = false;
    course.born = Some(d("1994-03-04"));
    assert_eq!(book().due(&course)[0].holder, Holder::Akasse);
    assert!(book().due(&course)[0].flag.is_none(), "a known age needs no look");
}

#[test]
fn dagpenge_under_lov_1750_has_two_and_two_for_75_percent() {
    // Monday 2026-09-07: weekday 10 2026-09-18, 65 2026-12-04, 130 2027-03-05, 347 2028-01-03.
    let due = book().due(&Course::new(TargetGroup::Dagpenge, d("2026-09-07")));
    assert_eq!(
        facts(&due),
        [
            fact("conversation", "akasse", 1, "2026-09-18", "lov1750-2026-07"),
            fact("conversation", "akasse", 2, "2026-12-04", "lov1750-2026-07"),
            fact("conversation", "kommune", 2, "2027-03-05", "lov1750-2026-07"),
            fact("offer", "kommune", 1, "2027-03-05", "lov1750-2026-07"),
            fact("joint_conversation", "kommune", 1, "2028-01-04", "lov1750-2026-07"),
        ]
    );
    let portfolio: Vec<bool> = due.iter().map(|o| o.portfolio).collect();
    assert_eq!(portfolio, [false, true, true, true, false]);
    // Whether the 2-week a-kasse conversation is kept is not known.
    assert!(due[0].flag.as_deref().unwrap().contains("uncertain"));
    assert!(due[1].flag.is_none(), "{:?}", due[1].flag);
    assert!(due.iter().all(|o| o.source.starts_with("lov1750-2026-07.toml: ")));
}

#[test]
fn the_same_course_before_and_after_1_july_2026_gets_different_obligations() {
    // The same weekday and month, one year apart, so only the law differs.
    let shape = |start: &str, group| {
        let start = d(start);
        book()
            .due(&Course::new(group, start))
            .into_iter()
            .map(|o| (o.kind, o.holder, o.count, (o.due - start).num_days() / 7, o.portfolio))
            .collect::<Vec<_>>()
    };
    // Dagpenge: the a-kasse's 3 conversations become 2, the kommune's 3 become 2 (75 % rules).
    let counts =
        |shape: Vec<(ObligationKind, Holder, u32, i64, bool)>| shape.into_iter().map(|s| s.2).collect::<Vec<_>>();
    assert_eq!(counts(shape("2025-01-06", TargetGroup::Dagpenge)), [1, 3, 3, 1, 1]);
    assert_eq!(counts(shape("2027-01-04", TargetGroup::Dagpenge)), [1, 2, 2, 1, 1]);
    // Kontanthjælp keeps its numbers, but the 4 conversations and the offer become portfolio rules.
    let before = shape("2025-01-06", TargetGroup::KontanthjaelpJobparat);
    let after = shape("2027-01-04", TargetGroup::KontanthjaelpJobparat);
    assert_eq!(before.iter().map(|s| s.4).collect::<Vec<_>>(), [false, false, false]);
    assert_eq!(after.iter().map(|s| s.4).collect::<Vec<_>>(), [false, true, true]);
}

#[test]
fn a_course_spanning_1_july_2026_gets_both_regimes_and_a_flag_on_the_new_ones() {
    // Monday 2026-04-06: the first a-kasse conversation falls under lab-2024, the rest under lov 1750.
    let mut course = Course::new(TargetGroup::Dagpenge, d("2026-04-06"));
    course.born = Some(d("1980-01-01"));
    let due = book().due(&course);
    assert_eq!(
        facts(&due),
        [
            fact("conversation", "akasse", 1, "2026-04-17", "lab-2024"),
            fact("conversation", "akasse", 2, "2026-07-03", "lov1750-2026-07"),
            fact("conversation", "kommune", 2, "2026-10-02", "lov1750-2026-07"),
            fact("offer", "kommune", 1, "2026-10-02", "lov1750-2026-07"),
            fact("joint_conversation", "kommune", 1, "2027-08-03", "lov1750-2026-07"),
        ]
    );
    assert!(due[0].flag.is_none());
    for o in &due[1..] {
        assert!(o.flag.as_deref().unwrap().contains("started before lov1750-2026-07"), "{o:?}");
    }
}

#[test]
fn kontanthjaelp_jobparat_numbers_in_each_regime() {
    let before = book().due(&Course::new(TargetGroup::KontanthjaelpJobparat, d("2025-03-10")));
    assert_eq!(
        facts(&before),
        [
            fact("conversation", "kommune", 1, "2025-03-16", "lab-2024"),
            fact("conversation", "kommune", 4, "2025-09-10", "lab-2024"),
            fact("offer", "kommune", 1, "2025-09-10", "lab-2024"),
        ]
    );
    let after = book().due(&Course::new(TargetGroup::KontanthjaelpJobparat, d("2026-08-10")));
    assert_eq!(
        facts(&after),
        [
            fact("conversation", "kommune", 1, "2026-08-16", "lov1750-2026-07"),
            fact("conversation", "kommune", 4, "2027-02-10", "lov1750-2026-07"),
            fact("offer", "kommune", 1, "2027-02-10", "lov1750-2026-07"),
        ]
    );
    assert!(after[0].flag.is_some() && !after[0].portfolio, "all jobparate get the first conversation");
    assert!(after[1].portfolio && after[2].portfolio);
    // Under 30 without an education belongs to uddannelseshjaelp.
    let mut young = Course::new(TargetGroup::KontanthjaelpJobparat, d("2025-03-10"));
    young.born = Some(d("2001-01-01"));
    assert!(book().due(&young)[0].flag.as_deref().unwrap().contains("uddannelseshjaelp"));
}

#[test]
fn uddannelseshjaelp_gets_continuous_offers_until_lov_1750_repeals_them() {
    let due = book().due(&Course::new(TargetGroup::Uddannelseshjaelp, d("2025-01-15")));
    let offers: Vec<_> =
        due.iter().filter(|o| o.kind == ObligationKind::Offer).map(|o| (o.count, o.due.to_string())).collect();
    // 1 month, then every 4 months; from 2026-07-01 lov 1750's single offer within 6 months has passed.
    assert_eq!(
        offers,
        [
            (1, "2025-02-15".into()),
            (2, "2025-06-15".into()),
            (3, "2025-10-15".into()),
            (4, "2026-02-15".into()),
            (5, "2026-06-15".into())
        ]
    );
    assert!(
        due.iter().filter(|o| o.kind == ObligationKind::Offer).all(|o| o.flag.is_some()),
        "§ 105 timing is uncertain"
    );
}

#[test]
fn sygedagpenge_follow_up_by_week_8_and_no_follow_up_for_employed_back_soon_after_july_2026() {
    let mut course = Course::new(TargetGroup::Sygedagpenge, d("2025-02-03"));
    assert_eq!(
        facts(&book().due(&course)),
        [
            fact("follow_up", "kommune", 1, "2025-03-30", "lab-2024"),
            fact("follow_up", "kommune", 4, "2025-08-03", "lab-2024")
        ]
    );
    course.expected_weeks = Some(6);
    assert!(book().due(&course).is_empty(), "category 1: the kommune decides");

    let mut course = Course::new(TargetGroup::Sygedagpenge, d("2026-08-03"));
    assert_eq!(facts(&book().due(&course)), [fact("follow_up", "kommune", 1, "2027-02-03", "lov1750-2026-07")]);
    course.employed = true;
    course.expected_weeks = Some(26);
    assert!(book().due(&course).is_empty());
    course.expected_weeks = Some(27);
    assert_eq!(book().due(&course).len(), 1);
    course.employed = false;
    course.expected_weeks = Some(10);
    assert_eq!(book().due(&course).len(), 1, "the 26-week rule is for employed people");
}

#[test]
fn other_groups_have_four_conversations_in_six_months() {
    for group in [
        TargetGroup::Ledighedsydelse,
        TargetGroup::Jobafklaring,
        TargetGroup::Revalidering,
        TargetGroup::Ressourceforloeb,
    ] {
        let due = book().due(&Course::new(group, d("2025-04-01")));
        assert!(
            due.contains(&Obligation {
                kind: ObligationKind::Conversation,
                holder: Holder::Kommune,
                count: 4,
                due: d("2025-10-01"),
                source: due[0].source.clone(),
                regime: "lab-2024".into(),
                portfolio: false,
                flag: None,
            }),
            "{group}: {due:?}"
        );
    }
    let rf = book().due(&Course::new(TargetGroup::Ressourceforloeb, d("2025-04-01")));
    assert!(
        rf.iter().any(|o| o.kind == ObligationKind::Offer && o.due == d("2025-10-01")),
        "an indsats within 6 months"
    );
}

#[test]
fn the_other_groups_under_lov_1750() {
    let book = book();
    let start = d("2026-08-03");
    let six = d("2027-02-03");
    let due = |group| book.due(&Course::new(group, start));
    let ly = due(TargetGroup::Ledighedsydelse);
    assert_eq!(facts(&ly), [fact("conversation", "kommune", 4, "2027-02-03", "lov1750-2026-07")]);
    assert!(ly[0].portfolio && ly[0].flag.is_none());
    // No sourced minimum for aktivitetsparate: lab-2024's kept, and flagged.
    let ap = due(TargetGroup::KontanthjaelpAktivitetsparat);
    assert_eq!(ap.len(), 2);
    assert!(ap.iter().all(|o| o.due == six && !o.portfolio && o.flag.as_deref().unwrap().contains("assumption")));
    // Uddannelseshjælp: § 105's continuous offers are gone; one offer within 6 months (75 %).
    let uh = due(TargetGroup::Uddannelseshjaelp);
    let offers: Vec<_> = uh.iter().filter(|o| o.kind == ObligationKind::Offer).collect();
    assert_eq!(offers.len(), 1);
    assert!(offers[0].portfolio && offers[0].due == six && offers[0].flag.is_none());
    let ja = due(TargetGroup::Jobafklaring);
    assert_eq!(facts(&ja), [fact("conversation", "kommune", 4, "2027-02-03", "lov1750-2026-07")]);
    assert!(ja[0].flag.as_deref().unwrap().contains("presumably"));
    // Timely offers: ØVO may now count.
    assert!(book.timely_offer(d("2026-06-30")).unwrap().not_counting.iter().any(|n| n.contains("ØVO")));
    assert!(!book.timely_offer(start).unwrap().not_counting.iter().any(|n| n.contains("ØVO")));
}

#[test]
fn ressourceforloeb_and_revalidering_close_to_new_entrants_on_1_july_2026() {
    let book = book();
    for group in [TargetGroup::Ressourceforloeb, TargetGroup::Revalidering] {
        assert!(!book.closed_to_new_entrants(group, d("2026-06-30")), "{group}");
        assert!(book.closed_to_new_entrants(group, d("2026-07-01")), "{group}");
        assert!(book.closed_to_new_entrants(group, d("2026-08-01")), "{group}");
        let (regime, citation) = book.closure(group, d("2026-08-01")).unwrap();
        assert_eq!(regime.id, "lov1750-2026-07");
        assert!(citation.uncertain.as_deref().unwrap().contains("2026-02-01"));
    }
    for group in
        TargetGroup::ALL.iter().filter(|g| !matches!(g, TargetGroup::Ressourceforloeb | TargetGroup::Revalidering))
    {
        assert!(!book.closed_to_new_entrants(*group, d("2026-12-31")), "{group}");
    }
}

#[test]
fn the_2027_file_is_ignored_until_adopted() {
    let shipped = book();
    assert_eq!(shipped.regime_in_force(d("2027-06-01")).unwrap().id, "lov1750-2026-07");
    assert!(!shipped.closed_to_new_entrants(TargetGroup::Jobafklaring, d("2027-06-01")));
    let course = Course::new(TargetGroup::Dagpenge, d("2026-09-07"));
    assert!(shipped.due(&course).iter().all(|o| o.regime != "reform-2027"));

    let adopted = book().with_adopted(["reform-2027"]).unwrap();
    assert_eq!(adopted.regime_in_force(d("2027-06-01")).unwrap().id, "reform-2027");
    assert!(adopted.closed_to_new_entrants(TargetGroup::Jobafklaring, d("2027-06-01")));
    let due = adopted.due(&course);
    let reform: Vec<_> = due.iter().filter(|o| o.regime == "reform-2027").collect();
    assert!(!reform.is_empty());
    assert!(reform.iter().all(|o| o.flag.as_deref().unwrap().contains("reform-2027 is uncertain")));
    assert_eq!(book().with_adopted(["reform-2028"]), Err(UnknownRegime("reform-2028".into())));
}

#[test]
fn the_portfolio_rule_is_75_percent_with_a_25_percent_exemption_quota() {
    let book = book();
    assert!(book.portfolio(d("2026-06-30")).is_none());
    let rule = book.portfolio(d("2026-07-01")).unwrap();
    assert_eq!((rule.min_share_percent, rule.max_exempt_percent), (75, 25));
    assert!(rule.conversation_groups.contains(&TargetGroup::Ledighedsydelse));
    assert!(rule.offer_groups.contains(&TargetGroup::Uddannelseshjaelp));
    let q = book.exemption_quota(d("2026-07-01"), 25, 100).unwrap();
    assert!(q.within);
    assert_eq!((q.allowed, q.headroom()), (25, 0));
    assert!(!rule.exemption_quota(26, 100).within);
    assert!(!rule.exemption_quota(1, 3).within, "one of three is a third");
    assert!(rule.exemption_quota(0, 0).within);
    assert_eq!(rule.exemption_quota(3, 40).headroom(), 7);
}

#[test]
fn next_due_proposes_the_first_minimum_not_yet_met() {
    let book = book();
    let course = Course::new(TargetGroup::KontanthjaelpJobparat, d("2025-03-10"));
    let first = book.next_due(&course, &[], d("2025-03-10")).unwrap();
    assert_eq!((first.count, first.due), (1, d("2025-03-16")));
    let held = [Held { date: d("2025-03-14"), joint: false }];
    let next = book.next_due(&course, &held, d("2025-03-20")).unwrap();
    assert_eq!((next.count, next.due), (4, d("2025-09-10")));
    // A conversation booked for later is not held yet.
    assert_eq!(book.next_due(&course, &held, d("2025-03-13")).unwrap().count, 1);
    // Four held: nothing more is due (offers are not conversations).
    let four: Vec<Held> =
        (0..4).map(|m| Held { date: d("2025-03-14") + chrono::Duration::weeks(m * 4), joint: false }).collect();
    assert_eq!(book.next_due(&course, &four, d("2025-08-01")), None);

    // Dagpenge: the a-kasse's conversations are not the kommune's to book; a joint one counts twice.
    let dagpenge = Course { born: Some(d("1980-01-01")), ..Course::new(TargetGroup::Dagpenge, d("2024-03-04")) };
    assert_eq!(book.next_due(&dagpenge, &[], d("2024-03-04")).unwrap().holder, Holder::Kommune);
    let three = [d("2024-06-03"), d("2024-07-01"), d("2024-08-01")].map(|date| Held { date, joint: false });
    let joint = book.next_due(&dagpenge, &three, d("2024-09-01")).unwrap();
    assert_eq!((joint.kind, joint.due), (ObligationKind::JointConversation, d("2025-07-01")));
    let with_joint = [Held { date: d("2024-06-03"), joint: true }, three[1], three[2]];
    assert_eq!(book.next_due(&dagpenge, &with_joint, d("2024-09-01")), None);
}

#[test]
fn a_broken_rule_file_names_the_file_and_the_problem() {
    let text = BUILTIN_FILES[0].1;
    let err = |name: &str, text: &str| RuleBook::from_files(&[(name, text)]).unwrap_err().to_string();
    assert!(err("other.toml", text).contains("does not match the file name"));
    let unknown = text.replacen("sources = [\"LAB31\", \"STARkf\"]", "sources = [\"NOPE\"]", 1);
    assert!(err("lab-2024.toml", &unknown).contains("\"NOPE\" is not in the file's [[sources]]"));
    let no_group = text.replace("[groups.revalidering]", "[groups.revalidering_x]");
    assert!(err("lab-2024.toml", &no_group).contains("unknown target group \"revalidering_x\""));
    let bad_window = text.replacen("within = \"2 weeks\"", "within = \"2 fortnights\"", 1);
    assert!(err("lab-2024.toml", &bad_window).contains("2 fortnights"));
    let typo = text.replacen("holder = \"akasse\"", "holder = \"a-kasse\"", 1);
    assert!(err("lab-2024.toml", &typo).starts_with("lab-2024.toml: "));
    let two = RuleBook::from_files(&[BUILTIN_FILES[0], BUILTIN_FILES[0]]).unwrap_err();
    assert!(two.to_string().contains("same day"));
}

fn any_group() -> impl Strategy<Value = TargetGroup> {
    proptest::sample::select(TargetGroup::ALL.to_vec())
}

fn any_course() -> impl Strategy<Value = Course> {
    (
        any_group(),
        0_i64..1600,
        proptest::option::of(0_i64..20_000),
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(1_u32..60),
    )
        .prop_map(|(group, start, born, education, employed, expected_weeks)| Course {
            group,
            start: d("2023-06-01") + chrono::Duration::days(start),
            born: born.map(|b| d("1960-01-01") + chrono::Duration::days(b)),
            education,
            employed,
            expected_weeks,
        })
}

proptest! {
    #[test]
    fn obligations_are_never_due_before_the_start_and_counts_do_not_fall(course in any_course(), adopt in any::<bool>()) {
        let book = if adopt { book().with_adopted(["reform-2027"]).unwrap() } else { book() };
        let due = book.due(&course);
        for o in &due {
            prop_assert!(o.due >= course.start, "{o:?}");
            prop_assert!(o.count >= 1);
        }
        for kind in [ObligationKind::Conversation, ObligationKind::JointConversation, ObligationKind::FollowUp, ObligationKind::Offer] {
            for holder in [Holder::Akasse, Holder::Kommune] {
                let counts: Vec<u32> = due.iter().filter(|o| o.kind == kind && o.holder == holder).map(|o| o.count).collect();
                prop_assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{kind} {holder}: {counts:?}");
            }
        }
        prop_assert!(due.windows(2).all(|w| w[0].due <= w[1].due));
    }

    #[test]
    fn each_obligation_cites_the_regime_in_force_on_its_deadline(course in any_course(), adopt in any::<bool>()) {
        let book = if adopt { book().with_adopted(["reform-2027"]).unwrap() } else { book() };
        let due = book.due(&course);
        for o in &due {
            let regime = book.regime_in_force(o.due).unwrap();
            prop_assert_eq!(&o.regime, &regime.id);
            prop_assert!(o.source.starts_with(&format!("{}.toml: ", regime.id)), "{}", o.source);
        }
        let july = d("2026-07-01");
        if due.iter().all(|o| o.due < july) {
            prop_assert!(due.iter().all(|o| !o.source.contains("lov1750")));
        }
        if course.start >= july {
            prop_assert!(due.iter().all(|o| !o.source.starts_with("lab-2024")));
        }
        // A course wholly inside one regime is never flagged for the transition.
        if book.regime_in_force(course.start).is_some_and(|r| due.iter().all(|o| o.regime == r.id)) {
            prop_assert!(due.iter().all(|o| !o.flag.as_deref().unwrap_or("").contains("the course started before")));
        }
    }

    #[test]
    fn next_due_is_an_outstanding_kommune_conversation(course in any_course(), held_days in proptest::collection::vec(0_i64..400, 0..8), today in 0_i64..500) {
        let book = book();
        let held: Vec<Held> = held_days.iter().map(|&n| Held { date: course.start + chrono::Duration::days(n), joint: n % 3 == 0 }).collect();
        let today = course.start + chrono::Duration::days(today);
        let outstanding = book.outstanding(&course, &held, today);
        prop_assert_eq!(book.next_due(&course, &held, today), outstanding.first().cloned());
        let counted = held.iter().filter(|h| h.date <= today).count();
        for o in &outstanding {
            prop_assert!(o.holder == Holder::Kommune && o.kind.is_conversation());
            prop_assert!(o.kind == ObligationKind::JointConversation || counted < o.count as usize);
        }
    }

    #[test]
    fn the_quota_agrees_with_the_share(exempted in 0_u32..2000, total in 1_u32..2000) {
        let rule = book().portfolio(d("2026-07-01")).unwrap().clone();
        let quota = rule.exemption_quota(exempted, total);
        prop_assert_eq!(quota.within, f64::from(exempted) / f64::from(total) <= 0.25);
        prop_assert!(f64::from(quota.allowed) <= f64::from(total) * 0.25);
        prop_assert!(f64::from(quota.allowed + 1) > f64::from(total) * 0.25);
    }
}
