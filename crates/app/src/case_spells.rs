//! The cases as register spells (issue 12 item 5, second half): each case's benefit and offers
//! in the register interchange format (`docs/register-format.md`), so the register engine can
//! compute its indicators from the jobcentre's own data.
//!
//! A first step, without a command yet: cases keep neither the sex (it is in the sealed CPR
//! number) nor the origin, so every person is written as `K` and `dansk` and only the figures
//! for `i_alt` and the age bands mean anything; and a case keeps only its current benefit, so
//! its benefit spell runs from the opening of the case with that benefit. See
//! `docs/case-work.md` ("Not built yet: cases as register spells").

use chrono::NaiveDate;
use indsats_domain::{IsoWeek, Origin, Sex};
use indsats_register::files::Tables;
use indsats_register::{ActivationSpell, BenefitSpell, Person, Residence};
use indsats_store::CaseFacts;

/// The cases as the four register tables: each citizen a person (id = the case's internal id)
/// resident in `municipality` while the case is open, on the case's benefit for those weeks,
/// and in activation for the weeks of each offer that counts as activation
/// (`OfferKind::activation_kind`). An open case runs to `today`.
pub fn tables(facts: &[CaseFacts], municipality: u16, today: NaiveDate) -> Tables {
    let mut out = Tables::default();
    for case in facts {
        let person_id = case.citizen.0;
        let last = case.closed_on.unwrap_or(today);
        let (Some(from), Some(to)) = (IsoWeek::containing(case.opened_on), IsoWeek::containing(last)) else {
            continue;
        };
        if to < from {
            continue;
        }
        out.persons.push(Person { id: person_id, birth_date: case.birth_date, sex: Sex::K, origin: Origin::Dansk });
        out.residences.push(Residence { person_id, municipality, from: case.opened_on, to: case.closed_on });
        out.benefits.push(BenefitSpell { person_id, group: case.benefit, from, to });
        for offer in &case.offers {
            let Some(kind) = offer.kind.activation_kind() else { continue };
            if let (Some(from), Some(to)) = (IsoWeek::containing(offer.start), IsoWeek::containing(offer.end))
                && from <= to
            {
                out.activations.push(ActivationSpell { person_id, kind, from, to });
            }
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::float_cmp, reason = "whole person-weeks divided by whole weeks, compared with the same division")]
mod tests {
    use super::*;
    use indsats_domain::case::{EducationLevel, OfferKind, TargetGroup};
    use indsats_domain::indicator::{Category, Indicator, Subject};
    use indsats_domain::{BenefitGroup, CitizenId, Period};
    use indsats_register::engine::{Options, compute};
    use indsats_register::{Dataset, PeriodRange};
    use indsats_store::CaseOffer;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn case(id: i64, benefit: BenefitGroup, opened: &str, closed: Option<&str>, offers: Vec<CaseOffer>) -> CaseFacts {
        CaseFacts {
            citizen: CitizenId(id),
            birth_date: d("1980-06-15"),
            education: EducationLevel::Vocational,
            benefit,
            target_group: TargetGroup::KontanthjaelpJobparat,
            course_start: d(opened),
            opened_on: d(opened),
            closed_on: closed.map(d),
            target_groups: Vec::new(),
            caseworkers: Vec::new(),
            held: Vec::new(),
            offers,
        }
    }

    /// Weeks (by their Thursday, as the register counts) of `from..=to` that fall in 2025Q2.
    fn weeks_in_q2(from: &str, to: &str) -> f64 {
        let (q_first, q_last) = (d("2025-04-01"), d("2025-06-30"));
        let mut n = 0.0;
        let mut day = d(from);
        while day <= d(to) {
            if day.format("%u").to_string() == "4" && (q_first..=q_last).contains(&day) {
                n += 1.0;
            }
            day = day.succ_opt().unwrap();
        }
        n
    }

    #[test]
    fn the_engine_counts_the_cases_benefit_and_activation_weeks() {
        let placement =
            CaseOffer { kind: OfferKind::WorkPlacement, start: d("2025-05-05"), end: d("2025-06-01"), hours: 37.0 };
        let course =
            CaseOffer { kind: OfferKind::AmuCourse, start: d("2025-05-19"), end: d("2025-06-01"), hours: 37.0 };
        let facts = [
            case(1, BenefitGroup::Kontanthjaelp, "2025-01-06", None, vec![placement]),
            case(2, BenefitGroup::Kontanthjaelp, "2025-05-12", Some("2025-06-08"), vec![course]),
            case(3, BenefitGroup::ADagpenge, "2025-03-03", None, Vec::new()),
        ];
        let t = tables(&facts, 175, d("2025-08-01"));
        let data = Dataset::new(t.persons, t.residences, t.benefits, t.activations).unwrap();
        let q2 = Period::Quarter("2025Q2".parse().unwrap());
        let range = PeriodRange::new(q2, q2).unwrap();
        let rows = compute(&data, &[range], &Options { threads: 1, chunk: 64 }).unwrap();
        let figure = |indicator: Indicator| {
            rows.iter()
                .find(|r| r.municipality == 175 && r.category == Category::Total && r.indicator == indicator)
                .map(|r| (r.value, r.persons))
                .unwrap()
        };
        // By hand: person-weeks on kontanthjælp in 2025Q2 over the quarter's 13 weeks.
        let weeks = weeks_in_q2("2025-04-01", "2025-06-30");
        assert_eq!(weeks, 13.0);
        let on_kontanthjaelp = weeks_in_q2("2025-01-06", "2025-08-01") + weeks_in_q2("2025-05-12", "2025-06-08");
        assert_eq!(
            figure(Indicator::Fuldtid(Subject::Benefit(BenefitGroup::Kontanthjaelp))),
            (on_kontanthjaelp / weeks, 2)
        );
        // Company-oriented activation: the placement's weeks among the unemployed person-weeks.
        let unemployed = on_kontanthjaelp + weeks_in_q2("2025-03-03", "2025-08-01");
        let placed = weeks_in_q2("2025-05-05", "2025-06-01");
        let (share, persons) = figure(Indicator::Virksomhedsrettet);
        assert!((share - 100.0 * placed / unemployed).abs() < 1e-9, "{share}");
        assert_eq!(persons, 1);
        let (upskilled, _) = figure(Indicator::Opkvalificering);
        assert!((upskilled - 100.0 * weeks_in_q2("2025-05-19", "2025-06-01") / unemployed).abs() < 1e-9);
    }
}
