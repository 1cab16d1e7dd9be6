//! The demo's caseload: about 3,000 open cases for the residents of the demo municipality who
//! are on a benefit at the end of its synthetic register, shared among 100 caseworkers, with
//! conversations held (some late or missing, so the worklist has overdue cases), booked
//! conversations and offers.
//!
//! Everything is invented: names from short lists, addresses on made-up house numbers, CPR
//! numbers built from the register's birth dates. Time on benefit is kept: a person who had
//! been on benefit for 20 weeks when the register ends has a course that started 20 weeks
//! before today.

use std::collections::HashSet;

use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
use indsats_domain::case::{ConversationKind, ConversationStatus, EducationLevel, OfferKind, TargetGroup};
use indsats_domain::citizen_plan::{Department, Effort, EffortStatus, PlanContent, PlanGoal};
use indsats_domain::{BenefitGroup, Cpr, Role, Sex, UserId, Username};
use indsats_register::files::Tables;
use indsats_store::{ConversationChange, NewCitizen, NewOffer, NewUser, Profile, Store, StoreError};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::vault::Vault;

/// How many open cases the demo holds (Rødovre has some 3,000 citizens in an effort).
pub const CASES: usize = 3000;
/// How many caseworkers share them; the demo's own `sagsbehandler` is one.
pub const CASEWORKERS: usize = 100;

/// A resident on a benefit when the register ends.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Birth date.
    pub birth_date: NaiveDate,
    /// Sex, for the CPR number's last digit and the first name.
    pub sex: Sex,
    /// The benefit.
    pub benefit: BenefitGroup,
    /// Whole weeks on it when the register ends.
    pub weeks: u32,
}

/// The target group a benefit puts a person in; `None` for benefits without case work here.
fn target_group(benefit: BenefitGroup, rng: &mut impl Rng) -> Option<TargetGroup> {
    Some(match benefit {
        BenefitGroup::ADagpenge => TargetGroup::Dagpenge,
        // About four in ten on kontanthjælp are job-ready (jobindsats.dk's order of magnitude).
        BenefitGroup::Kontanthjaelp if rng.random_bool(0.4) => TargetGroup::KontanthjaelpJobparat,
        BenefitGroup::Kontanthjaelp => TargetGroup::KontanthjaelpAktivitetsparat,
        BenefitGroup::Uddannelseshjaelp => TargetGroup::Uddannelseshjaelp,
        BenefitGroup::Sygedagpenge => TargetGroup::Sygedagpenge,
        BenefitGroup::Ledighedsydelse => TargetGroup::Ledighedsydelse,
        BenefitGroup::Ressourceforloeb => TargetGroup::Ressourceforloeb,
        BenefitGroup::Jobafklaringsforloeb => TargetGroup::Jobafklaring,
        _ => return None,
    })
}

/// The residents of `municipality` on a case-work benefit in the register's last week.
pub fn candidates(tables: &Tables, municipality: u16) -> Vec<Candidate> {
    let Some(last) = tables.benefits.iter().map(|b| b.to).max() else {
        return Vec::new();
    };
    let residents: HashSet<i64> = tables
        .residences
        .iter()
        .filter(|r| r.municipality == municipality && r.to.is_none())
        .map(|r| r.person_id)
        .collect();
    let persons: std::collections::HashMap<i64, (NaiveDate, Sex)> =
        tables.persons.iter().map(|p| (p.id, (p.birth_date, p.sex))).collect();
    tables
        .benefits
        .iter()
        .filter(|b| b.to == last && residents.contains(&b.person_id))
        .filter_map(|b| {
            let (birth_date, sex) = *persons.get(&b.person_id)?;
            let weeks = u32::try_from(last.monday().signed_duration_since(b.from.monday()).num_weeks()).ok()?;
            Some(Candidate { birth_date, sex, benefit: b.group, weeks })
        })
        .collect()
}

const FIRST_F: [&str; 12] =
    ["Anne", "Mette", "Fatima", "Sofie", "Hanne", "Ida", "Aisha", "Louise", "Maja", "Birgitte", "Emma", "Zeynep"];
const FIRST_M: [&str; 12] =
    ["Jens", "Peter", "Mohammed", "Lars", "Ali", "Mikkel", "Søren", "Ahmad", "Frederik", "Henrik", "Omar", "Kasper"];
const LAST: [&str; 14] = [
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Yilmaz",
    "Hussein",
    "Jørgensen",
    "Petersen",
    "Madsen",
];
const STREETS: [&str; 8] = [
    "Rødovrevej",
    "Tårnvej",
    "Islevbrovej",
    "Korsdalsvej",
    "Hendriksholms Boulevard",
    "Valhøjs Allé",
    "Roskildevej",
    "Bymarken",
];

/// A CPR number for a birth date that no other demo citizen has: the century digit the CPR
/// office uses for the year, the last digit odd for men and even for women.
fn cpr_for(birth: NaiveDate, sex: Sex, taken: &mut HashSet<String>, rng: &mut impl Rng) -> Option<Cpr> {
    let seventh = if birth.year() < 2000 { rng.random_range(0..=3) } else { 4 };
    for _ in 0..100 {
        let middle: u32 = rng.random_range(0..100);
        let last = rng.random_range(0..5) * 2 + u32::from(sex == Sex::M);
        let text = format!("{}{seventh}{middle:02}{last}", birth.format("%d%m%y"));
        if taken.insert(text.clone()) {
            return Cpr::parse(&text).ok();
        }
    }
    None
}

async fn caseworkers(store: &dyn Store, own: UserId) -> Result<Vec<UserId>, StoreError> {
    let mut ids = vec![own];
    for i in 1..CASEWORKERS {
        let user = NewUser {
            username: Username::parse(&format!("sb{i:03}")).map_err(|e| StoreError::Conflict(e.to_string()))?,
            display_name: format!("Demo-sagsbehandler {i}"),
            role: Role::Sagsbehandler,
            // Not a PHC string: nobody can log in as a demo colleague.
            password_hash: "!".into(),
        };
        ids.push(store.create_user(&user, None).await?);
    }
    Ok(ids)
}

/// The candidates in a case-work target group, in a fixed shuffled order: the same demo every time.
fn pick(mut candidates: Vec<Candidate>, rng: &mut impl Rng) -> Vec<(Candidate, TargetGroup)> {
    candidates.sort_by_key(|c| (c.birth_date, c.weeks));
    let mut picked: Vec<(Candidate, TargetGroup)> =
        candidates.into_iter().filter_map(|c| Some((c.clone(), target_group(c.benefit, rng)?))).collect();
    for i in (1..picked.len()).rev() {
        picked.swap(i, rng.random_range(0..=i));
    }
    picked.truncate(CASES);
    picked
}

fn profile(sex: Sex, rng: &mut impl Rng) -> Profile {
    let first = if sex == Sex::M { FIRST_M } else { FIRST_F };
    Profile {
        name: format!("{} {}", first[rng.random_range(0..first.len())], LAST[rng.random_range(0..LAST.len())]),
        address: format!("{} {}, 2610 Rødovre", STREETS[rng.random_range(0..STREETS.len())], rng.random_range(1..200)),
        phone: format!("{}", rng.random_range(20_000_000..99_999_999)),
        email: String::new(),
        language: if rng.random_bool(0.15) { "arabisk".into() } else { "dansk".into() },
        interpreter: rng.random_bool(0.05),
        education: EducationLevel::ALL[rng.random_range(0..EducationLevel::ALL.len())],
        wished_occupations: Vec::new(),
    }
}

/// Conversations every four to seven weeks since the start, and the next one booked; one case
/// in five has fallen behind (none in the last ten weeks, none booked).
fn conversations(
    group: TargetGroup,
    start: NaiveDate,
    today: NaiveDate,
    rng: &mut impl Rng,
) -> Vec<ConversationChange> {
    let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default();
    let kind = if group == TargetGroup::Sygedagpenge { ConversationKind::SickFollowUp } else { ConversationKind::Job };
    let behind = rng.random_bool(0.2);
    let stop = if behind { today - Duration::weeks(10) } else { today };
    let mut changes = Vec::new();
    let mut day = start + Duration::days(rng.random_range(3..14));
    while day < stop {
        let status = if rng.random_bool(0.08) { ConversationStatus::Missed } else { ConversationStatus::Held };
        changes.push(ConversationChange { existing: None, kind, status, at: day.and_time(nine), note: String::new() });
        day += Duration::weeks(rng.random_range(4..8));
    }
    if !behind {
        let at = (today + Duration::days(rng.random_range(1..30))).and_time(nine);
        changes.push(ConversationChange {
            existing: None,
            kind,
            status: ConversationStatus::Booked,
            at,
            note: String::new(),
        });
    }
    changes
}

/// An offer for about half of those on benefit for more than two months.
fn offer(weeks: u32, start: NaiveDate, rng: &mut impl Rng) -> Option<NewOffer> {
    if weeks <= 8 || !rng.random_bool(0.45) {
        return None;
    }
    let first = start + Duration::weeks(rng.random_range(4..i64::from(weeks.clamp(5, 30))));
    Some(NewOffer {
        kind: [OfferKind::WorkPlacement, OfferKind::WageSubsidy, OfferKind::AmuCourse, OfferKind::Mentor]
            [rng.random_range(0..4)],
        start: first,
        end: first + Duration::weeks(rng.random_range(4..14)),
        hours: [15.0, 20.0, 30.0, 37.0][rng.random_range(0..4)],
        place: ["Bager Hansen ApS", "Rødovre Centrum", "Kommunens driftsgård", "AMU Vest"][rng.random_range(0..4)]
            .into(),
    })
}

/// A coherent plan for most citizens whose problems reach beyond work (aktivitetsparate,
/// ressourceforløb, jobafklaring, sygedagpenge) and a few others: goals in the citizen's own
/// words and efforts of two or three departments, some due for review already.
fn plan(group: TargetGroup, today: NaiveDate, rng: &mut impl Rng) -> Option<PlanContent> {
    const GOALS: [(&str, [&str; 2]); 4] = [
        (
            "Jeg vil have et job, hvor jeg kan bruge mine hænder",
            ["Prøve en praktik i et værksted", "Få et truckcertifikat"],
        ),
        ("Jeg vil kunne klare en hverdag med faste mødetider", ["Møde op tre dage om ugen", "Sove bedre om natten"]),
        ("Jeg vil tilbage til mit arbejde", ["Starte på nedsat tid", "Tale med min chef om skånehensyn"]),
        ("Jeg vil tage en uddannelse", ["Læse dansk og matematik på VUC", "Søge ind på SOSU-skolen"]),
    ];
    const EFFORTS: [(Department, &str, &str); 6] = [
        (Department::Employment, "Virksomhedspraktik med mentor", "Sagsbehandler i jobcentret"),
        (Department::Social, "Bostøtte efter servicelovens § 85", "Bostøttemedarbejder"),
        (Department::Health, "Forløb hos kommunens sundhedscenter", "Sundhedskonsulent"),
        (Department::Housing, "Hjælp til at finde en mindre bolig", "Boligsocial medarbejder"),
        (Department::Education, "Forberedende voksenundervisning (FVU)", "Vejleder på VUC"),
        (Department::Health, "Samtaler med psykolog", "Psykolog"),
    ];
    let complex = matches!(
        group,
        TargetGroup::KontanthjaelpAktivitetsparat
            | TargetGroup::Ressourceforloeb
            | TargetGroup::Jobafklaring
            | TargetGroup::Sygedagpenge
    );
    if !rng.random_bool(if complex { 0.7 } else { 0.1 }) {
        return None;
    }
    let (text, steps) = GOALS[rng.random_range(0..GOALS.len())];
    let goals = vec![PlanGoal { text: text.into(), sub_goals: steps.iter().map(|s| (*s).into()).collect() }];
    let mut efforts = vec![EFFORTS[0]];
    for _ in 0..rng.random_range(1..3) {
        let effort = EFFORTS[rng.random_range(1..EFFORTS.len())];
        if !efforts.iter().any(|e| e.1 == effort.1) {
            efforts.push(effort);
        }
    }
    let efforts = efforts
        .into_iter()
        .map(|(department, what, responsible)| {
            let status = [EffortStatus::Planned, EffortStatus::Running, EffortStatus::Running][rng.random_range(0..3)];
            // About one plan in six has a review that fell due in the last weeks.
            let review = today + Duration::days(rng.random_range(-21..90));
            Effort { department, what: what.into(), responsible: responsible.into(), status, review: Some(review) }
        })
        .collect();
    Some(PlanContent { goals, efforts })
}

/// Seeds the caseload; `own` is the demo's logged-in caseworker. Returns the number of cases.
pub async fn seed(
    store: &dyn Store,
    vault: &Vault,
    candidates: Vec<Candidate>,
    own: UserId,
    today: NaiveDate,
) -> Result<usize, StoreError> {
    let mut rng = ChaCha8Rng::seed_from_u64(175);
    // Plans draw from their own stream, so the rest of the caseload is the same with or without them.
    let mut plan_rng = ChaCha8Rng::seed_from_u64(1750);
    let workers = caseworkers(store, own).await?;
    let picked = pick(candidates, &mut rng);
    let mut taken = HashSet::new();
    let mut seeded = Vec::with_capacity(picked.len());
    for (n, (c, group)) in picked.iter().enumerate() {
        let Some(cpr) = cpr_for(c.birth_date, c.sex, &mut taken, &mut rng) else { continue };
        let worker = workers[n % workers.len()];
        let course_start = today - Duration::weeks(i64::from(c.weeks.min(150)));
        let new = NewCitizen {
            cpr_lookup: vault.lookup(&cpr),
            cpr_sealed: vault.seal(&cpr),
            birth_date: c.birth_date,
            profile: profile(c.sex, &mut rng),
            benefit: c.benefit,
            target_group: *group,
            course_start,
            caseworker: Some(worker),
            opened_on: course_start,
            created_at: indsats_store::unix_now(),
        };
        let citizen = store.create_citizen(&new, worker).await?;
        store.save_conversations(citizen, &conversations(*group, course_start, today, &mut rng), worker).await?;
        if let Some(offer) = offer(c.weeks, course_start, &mut rng) {
            store.register_offer(citizen, &offer, worker).await?;
        }
        if let Some(plan) = plan(*group, today, &mut plan_rng) {
            store.save_citizen_plan(citizen, 0, &plan, worker).await?;
        }
        seeded.push((citizen, worker, *group, course_start));
    }
    // Decisions draw from a stream of their own, so the cases above stay as they were.
    crate::demo_decisions::seed(store, &seeded, today).await?;
    Ok(picked.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use indsats_domain::citizen_plan::check_plan;

    #[test]
    fn demo_plans_pass_the_checks_a_caseworkers_plan_must_pass() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let plans: Vec<PlanContent> =
            (0..400).filter_map(|_| plan(TargetGroup::KontanthjaelpAktivitetsparat, today, &mut rng)).collect();
        // About 70 % of the complex cases get a plan.
        assert!((220..340).contains(&plans.len()), "{}", plans.len());
        for p in &plans {
            assert_eq!(check_plan(p, true), Vec::new(), "{p:?}");
            assert!(p.efforts.iter().any(|e| e.department == Department::Employment));
            assert!(p.efforts.len() >= 2, "more than one department: {p:?}");
        }
        let overdue = plans.iter().filter(|p| p.efforts.iter().any(|e| e.review < Some(today))).count();
        assert!(overdue > 0 && overdue < plans.len() / 2, "some plans are due for review: {overdue}");
    }
}
