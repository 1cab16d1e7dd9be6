//! The demo's decisions and complaints: about one case in five has a decision from the past
//! year and a half, about one decision in four a complaint, and the complaints old enough have
//! Ankestyrelsen's outcome, so the case pages and the managers' table of outcomes by legal
//! basis and quarter show something. Deterministic: the same caseload gives the same decisions.
//! The words are invented and plain; the legal bases follow the citizen's target group.

use chrono::{Duration, NaiveDate};
use indsats_domain::case::TargetGroup;
use indsats_domain::decision::{AppealOutcome, DecisionEntry, LegalBasis};
use indsats_domain::{CitizenId, UserId};
use indsats_store::{Store, StoreError};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// How long Ankestyrelsen takes in the demo: two to five months.
const APPEAL_DAYS: std::ops::Range<i64> = 60..150;

fn pick(list: &[LegalBasis], rng: &mut impl Rng) -> LegalBasis {
    list[rng.random_range(0..list.len())]
}

fn basis(group: TargetGroup, rng: &mut impl Rng) -> LegalBasis {
    match group {
        TargetGroup::KontanthjaelpJobparat
        | TargetGroup::KontanthjaelpAktivitetsparat
        | TargetGroup::Uddannelseshjaelp => pick(&[LegalBasis::Las11, LegalBasis::Las13, LegalBasis::LasSanction], rng),
        TargetGroup::Sygedagpenge => pick(&[LegalBasis::Sdl7, LegalBasis::Sdl21, LegalBasis::Sdl27], rng),
        TargetGroup::Dagpenge => LegalBasis::Lab102,
        _ => pick(&[LegalBasis::Lab6, LegalBasis::Lab102], rng),
    }
}

/// A subject and an explanation in plain Danish for a decision under `basis`.
fn words(basis: LegalBasis) -> (&'static str, &'static str) {
    match basis {
        LegalBasis::Las11 => (
            "Afslag på kontanthjælp",
            "Du har formue over grænsen for kontanthjælp. Derfor kan du ikke få kontanthjælp, før formuen er brugt.",
        ),
        LegalBasis::Las13 => (
            "Du står ikke til rådighed",
            "Du har sagt nej til et rimeligt job uden en rimelig grund. Derfor står du ikke til rådighed for arbejdsmarkedet.",
        ),
        LegalBasis::LasSanction => (
            "Nedsættelse af kontanthjælp",
            "Du kom ikke til samtalen i jobcentret og gav ikke besked. Derfor trækker vi dig i hjælpen for de dage, du udeblev.",
        ),
        LegalBasis::Lab6 => (
            "Du er vurderet aktivitetsparat",
            "Du har lige nu problemer ud over ledighed, som gør, at du ikke kan tage et job inden for tre måneder.",
        ),
        LegalBasis::Lab102 => (
            "Tilbud om virksomhedspraktik",
            "Du får tilbud om virksomhedspraktik i fire uger. Tilbuddet skal hjælpe dig tættere på et job.",
        ),
        LegalBasis::Sdl7 => (
            "Afslag på sygedagpenge",
            "Lægens oplysninger viser, at du kan arbejde. Derfor er du ikke uarbejdsdygtig, og du kan ikke få sygedagpenge.",
        ),
        LegalBasis::Sdl21 => (
            "Stop for sygedagpenge",
            "Du har ikke sendt den opfølgningsplan, vi bad om, og ikke givet en rimelig grund. Derfor stopper dine sygedagpenge.",
        ),
        LegalBasis::Sdl27 => (
            "Forlængelse af sygedagpenge",
            "Du er i behandling, og lægen venter, at du kan vende tilbage til arbejdet. Derfor forlænger vi dine sygedagpenge.",
        ),
    }
}

fn outcome(rng: &mut impl Rng) -> AppealOutcome {
    match rng.random_range(0..20) {
        0..12 => AppealOutcome::Upheld,
        12..15 => AppealOutcome::Changed,
        15..18 => AppealOutcome::Remitted,
        _ => AppealOutcome::Dismissed,
    }
}

/// Seeds decisions on some of `cases` (citizen, caseworker, target group, course start);
/// returns how many decisions were made.
pub async fn seed(
    store: &dyn Store,
    cases: &[(CitizenId, UserId, TargetGroup, NaiveDate)],
    today: NaiveDate,
) -> Result<usize, StoreError> {
    let mut rng = ChaCha8Rng::seed_from_u64(67);
    let mut made = 0;
    for &(citizen, worker, group, start) in cases {
        if !rng.random_bool(0.2) {
            continue;
        }
        let basis = basis(group, &mut rng);
        let decided = (today - Duration::days(rng.random_range(3..540))).max(start);
        let sent = (decided + Duration::days(rng.random_range(0..3))).min(today);
        let (subject, explanation) = words(basis);
        let entry = DecisionEntry {
            legal_basis: basis,
            subject: subject.into(),
            explanation: explanation.into(),
            decided_on: decided,
            sent_on: Some(sent),
        };
        let decision = store.record_decision(citizen, &entry, worker).await?;
        made += 1;
        if !rng.random_bool(0.3) {
            continue;
        }
        let lodged = sent + Duration::days(rng.random_range(3..26));
        if lodged > today {
            continue;
        }
        store.lodge_appeal(citizen, decision, lodged, worker).await?;
        let decided_by_board = lodged + Duration::days(rng.random_range(APPEAL_DAYS));
        let outcome = outcome(&mut rng);
        if decided_by_board <= today {
            store.record_appeal_outcome(citizen, decision, outcome, decided_by_board, worker).await?;
        }
    }
    Ok(made)
}
