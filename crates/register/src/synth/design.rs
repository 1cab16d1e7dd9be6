//! Calibration by design: the two rates per population stratum that make the expected
//! (stationary) shares of the calibration year meet a profile.
//!
//! A person's support has three sources. Lasting states (disability pension, flex job) are
//! entered at a drawn age, so their share at each age is `mu_p` times the onset curve, the
//! lead-in before them (resource course, job clarification) adds the onset rate times its mean
//! length, and efterløn follows the retirement rules. Around them the person alternates between
//! self-support and episodes (unemployment, assistance, sickness, rehabilitation) that start at
//! a weekly rate `rho = mu_e * base * intensity(age) * frailty`; an alternating renewal process
//! spends `rho * E[D] / (1 + rho * E[D])` of its time in episodes. Episode weeks beyond the 41st
//! count as long-term, lasting states nearly all. Summing over the stratum's ages and persons
//! gives the expected share on support `S(mu_p, mu_e)` and long-term `L(mu_p, mu_e)`; both rise
//! with both rates, and trading episodes for lasting states raises `L` at equal `S`, so one
//! bisection inside another finds the pair that meets both targets.

use chrono::{NaiveDate, TimeDelta};
use indsats_domain::Origin;

use super::dist::{Pmf, WEEKS_PER_YEAR, float, to_i32};
use super::model::{Episode, Kit, retirement_ages};
use super::profile::{Population, Profile};

/// The two strata calibrated separately: 0 everyone else, 1 non-western immigrants and descendants.
pub(crate) const OTHER: usize = 0;
pub(crate) const NON_WESTERN: usize = 1;

pub(crate) fn stratum(origin: Origin) -> usize {
    if origin.is_non_western() { NON_WESTERN } else { OTHER }
}

/// The rates of one stratum.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct StratumDesign {
    /// Factor on the onset curves of lasting states.
    pub mu_p: f64,
    /// Factor on the start rate of episodes.
    pub mu_e: f64,
    /// Targets as fractions: on support, long-term.
    pub support: f64,
    pub long_term: f64,
}

/// How activation is placed inside unemployed spells.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ActivationDesign {
    /// Chance of each kind (in [`indsats_domain::ActivationKind::ALL`] order) for the next offer.
    pub probs: [f64; 5],
    /// Mean weeks between offers.
    pub gap: f64,
    /// Mean weeks before the first offer: on a-dagpenge, on assistance.
    pub wait_a_dagpenge: f64,
    pub wait_assistance: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Design {
    pub strata: [StratumDesign; 2],
    pub activation: ActivationDesign,
}

/// One age of a stratum, with everything that does not depend on the rates.
#[derive(Debug, Clone, Copy)]
struct Row {
    /// Persons of this age, relative.
    weight: f64,
    active: bool,
    /// Share of the year of age before folkepension.
    alpha: f64,
    fp: f64,
    fj: f64,
    /// Onsets per year a lead-in's length later.
    onsets: f64,
    efterloen: f64,
    efterloen_long: f64,
    insured: f64,
    intensity: f64,
    /// Mean episode weeks and long-term weeks per episode start: [not insured, insured].
    episode_weeks: [f64; 2],
    episode_tail: [f64; 2],
}

struct Stratum<'a> {
    kit: &'a Kit,
    rows: Vec<Row>,
    lead_share: f64,
    lead_weeks: f64,
    lead_long: f64,
}

/// Per-age population density of an origin from its 5-year pyramid.
pub(crate) fn age_density(population: &Population, origin: Origin, age: usize) -> f64 {
    let bands = population.age_pyramid.get(origin);
    let total: f64 = bands.iter().sum::<f64>().max(f64::MIN_POSITIVE);
    bands.get(age / 5).copied().unwrap_or(0.0) / 5.0 / total
}

pub(crate) fn insured_share(kit: &Kit, origin: Origin) -> f64 {
    let i = kit.model.insured;
    match origin {
        Origin::Dansk => i.dansk,
        Origin::VestligIndvandrer | Origin::VestligEfterkommer => i.vestlig,
        Origin::IkkeVestligIndvandrer | Origin::IkkeVestligEfterkommer => i.ikke_vestlig,
    }
}

/// Starts of the efterløn: from the efterløn age, half at once and the rest spread over two years.
pub(crate) fn efterloen_started(age: f64, efterloen_age: f64) -> f64 {
    if age < efterloen_age { 0.0 } else { 0.5 + 0.5 * ((age - efterloen_age) / 2.0).min(1.0) }
}

impl<'a> Stratum<'a> {
    fn new(kit: &'a Kit, population: &Population, profile: &Profile, year: i32, which: usize) -> Self {
        let m = &kit.model;
        let lead_weeks = kit.lead_chain.mean;
        let lag = lead_weeks / WEEKS_PER_YEAR / 2.0;
        let mid_year = NaiveDate::from_ymd_opt(year, 7, 1).unwrap_or_default();
        let cycle = kit.cycle(year);
        let q = m.permanent.efterloen / 100.0;
        let mut rows = Vec::new();
        for x in 16..=66_usize {
            let mut weight = 0.0;
            let mut insured = 0.0;
            for origin in Origin::ALL.into_iter().filter(|&o| stratum(o) == which) {
                let w = profile.origin[origin as usize] * age_density(population, origin, x);
                weight += w;
                insured += w * insured_share(kit, origin);
            }
            let insured = if weight > 0.0 { insured / weight } else { 0.0 };
            let age = float(x) + 0.5;
            let birth = mid_year - TimeDelta::days(i64::from(to_i32(age * 365.2425)));
            let (efterloen_age, pension_age) = retirement_ages(birth);
            let alpha = (pension_age - float(x)).clamp(0.0, 1.0);
            let started = efterloen_started(age, efterloen_age);
            let band = kit.band(age);
            let mix = kit.mix(band, cycle);
            let mut episode_weeks = [0.0; 2];
            let mut episode_tail = [0.0; 2];
            for (k, episode) in Episode::ALL.into_iter().enumerate() {
                for insured in [false, true] {
                    let c = kit.chain(episode, insured);
                    episode_weeks[usize::from(insured)] += mix[k] * c.mean;
                    episode_tail[usize::from(insured)] += mix[k] * c.tail;
                }
            }
            let onset_age = age + lag;
            rows.push(Row {
                weight,
                active: x >= m.support_from_age as usize,
                alpha,
                fp: kit.foertidspension.value(age),
                fj: kit.fleks.value(age),
                onsets: if onset_age >= 22.0 {
                    kit.foertidspension.slope(onset_age) + kit.fleks.slope(onset_age)
                } else {
                    0.0
                },
                efterloen: q * started * alpha,
                efterloen_long: if started > 0.0 {
                    efterloen_started(age - 41.0 / WEEKS_PER_YEAR, efterloen_age) / started
                } else {
                    0.0
                },
                insured,
                intensity: m.intensity[band],
                episode_weeks,
                episode_tail,
            });
        }
        Self {
            kit,
            rows,
            lead_share: m.permanent.lead_in,
            lead_weeks,
            lead_long: if lead_weeks > 0.0 { kit.lead_chain.tail / lead_weeks } else { 0.0 },
        }
    }

    fn weight(&self) -> f64 {
        self.rows.iter().map(|r| r.weight).sum()
    }

    /// Expected shares on support and long-term.
    fn evaluate(&self, mu_p: f64, mu_e: f64) -> (f64, f64) {
        let base = self.kit.model.episode_rate;
        let (mut total, mut support, mut long) = (0.0, 0.0, 0.0);
        for r in &self.rows {
            total += r.weight;
            if !r.active || r.weight == 0.0 {
                continue;
            }
            let fp = (mu_p * r.fp).min(1.0);
            let fj = (mu_p * r.fj).min(1.0) * (1.0 - fp);
            let perm = (fp + fj) * r.alpha;
            let lead = self.lead_share * mu_p * r.onsets * self.lead_weeks / WEEKS_PER_YEAR * r.alpha;
            let efterloen = r.efterloen * (1.0 - fp - fj).max(0.0);
            let rest = (r.alpha - perm - lead - efterloen).max(0.0);
            let (mut e, mut l) = (0.0, 0.0);
            for &(frailty, p_frailty) in &self.kit.frailty {
                let rho = mu_e * base * r.intensity * frailty;
                for (insured, p_insured) in [(1, r.insured), (0, 1.0 - r.insured)] {
                    let x = rho * r.episode_weeks[insured];
                    e += p_frailty * p_insured * x / (1.0 + x);
                    l += p_frailty * p_insured * rho * r.episode_tail[insured] / (1.0 + x);
                }
            }
            support += r.weight * (perm + lead + efterloen + rest * e);
            long += r.weight * (0.98 * perm + self.lead_long * lead + r.efterloen_long * efterloen + rest * l);
        }
        if total > 0.0 { (support / total, long / total) } else { (0.0, 0.0) }
    }

    /// The episode factor that meets `support` given `mu_p` (0 when lasting states alone reach it).
    fn mu_e_for(&self, mu_p: f64, support: f64) -> f64 {
        if self.evaluate(mu_p, 0.0).0 >= support {
            return 0.0;
        }
        let mut hi = 1.0;
        while self.evaluate(mu_p, hi).0 < support {
            hi *= 2.0;
            if hi > 1e6 {
                return hi;
            }
        }
        let mut lo = 0.0;
        for _ in 0..50 {
            let mid = 0.5 * (lo + hi);
            if self.evaluate(mu_p, mid).0 < support {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        0.5 * (lo + hi)
    }

    fn solve(&self, support: f64, long_term: f64) -> StratumDesign {
        let design = |mu_p: f64| StratumDesign { mu_p, mu_e: self.mu_e_for(mu_p, support), support, long_term };
        // The most lasting states can give: their share alone equals the target.
        let cap = 64.0;
        let mu_p_max = if self.evaluate(cap, 0.0).0 <= support {
            cap
        } else {
            let (mut lo, mut hi) = (0.0, cap);
            for _ in 0..50 {
                let mid = 0.5 * (lo + hi);
                if self.evaluate(mid, 0.0).0 < support {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            lo
        };
        let long = |mu_p: f64| {
            let d = design(mu_p);
            self.evaluate(d.mu_p, d.mu_e).1
        };
        if long(0.0) >= long_term {
            return design(0.0);
        }
        if long(mu_p_max) <= long_term {
            return design(mu_p_max);
        }
        let (mut lo, mut hi) = (0.0, mu_p_max);
        for _ in 0..40 {
            let mid = 0.5 * (lo + hi);
            if long(mid) < long_term {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        design(0.5 * (lo + hi))
    }
}

/// The design for a municipality's profile in its calibration year.
pub(crate) fn design(kit: &Kit, population: &Population, profile: &Profile, year: i32) -> Design {
    let t = &profile.targets;
    let strata = [
        Stratum::new(kit, population, profile, year, OTHER),
        Stratum::new(kit, population, profile, year, NON_WESTERN),
    ];
    let (w_other, w_nw) = (strata[OTHER].weight(), strata[NON_WESTERN].weight());
    let n_nw = if w_other + w_nw > 0.0 { w_nw / (w_other + w_nw) } else { 0.0 };
    let support = t.offentlig_forsoergelse / 100.0;
    let long_term = t.langvarige / 100.0;
    let ratio = if support > 0.0 { long_term / support } else { 0.0 };
    let nw_support = t.ikke_vestlig / 100.0;
    let nw_long = nw_support * ratio;
    let other_support = ((support - n_nw * nw_support) / (1.0 - n_nw).max(1e-9)).max(0.002);
    let other_long = ((long_term - n_nw * nw_long) / (1.0 - n_nw).max(1e-9)).clamp(0.0, other_support);
    let solved = [strata[OTHER].solve(other_support, other_long), strata[NON_WESTERN].solve(nw_support, nw_long)];
    Design { strata: solved, activation: activation_design(kit, profile) }
}

fn activation_design(kit: &Kit, profile: &Profile) -> ActivationDesign {
    let a = &kit.model.activation;
    let t = &profile.targets;
    let company = t.virksomhedsrettet;
    let company_total = (a.virksomhedspraktik + a.loentilskud + a.nytteindsats).max(f64::MIN_POSITIVE);
    let weeks = [
        company * a.virksomhedspraktik / company_total,
        company * a.loentilskud / company_total,
        company * a.nytteindsats / company_total,
        t.opkvalificering,
        a.vejledning,
    ];
    let mut probs = [0.0; 5];
    for (k, p) in probs.iter_mut().enumerate() {
        *p = weeks[k] / kit.activation[k].mean().max(1.0);
    }
    let total: f64 = probs.iter().sum();
    if total > 0.0 {
        for p in &mut probs {
            *p /= total;
        }
    }
    let mut offer = Pmf::point(0).scaled(0.0);
    for (p, d) in probs.iter().zip(&kit.activation) {
        offer = offer.plus(&d.pmf().scaled(*p));
    }
    // Unemployed weeks are roughly a third on a-dagpenge, two thirds on assistance.
    let spells =
        [(1.0 / 3.0, kit.a_dagpenge.pmf(), a.wait_a_dagpenge), (2.0 / 3.0, kit.bistand.pmf(), a.wait_assistance)];
    let share = |gap: f64| -> f64 {
        let weeks: f64 = spells.iter().map(|(w, pmf, _)| w * pmf.mean()).sum();
        let active: f64 = spells.iter().map(|(w, pmf, wait)| w * active_weeks(pmf, &offer, *wait, gap)).sum();
        if weeks > 0.0 { active / weeks } else { 0.0 }
    };
    let wanted = weeks.iter().sum::<f64>() / 100.0;
    let gap = if wanted <= 0.0 {
        f64::INFINITY
    } else if share(0.0) <= wanted {
        0.0
    } else {
        // The share falls as the gap grows; bisect on a log scale.
        let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
        while share(hi) > wanted && hi < 1e5 {
            hi *= 2.0;
        }
        for _ in 0..40 {
            let mid = 0.5 * (lo + hi);
            if share(mid) > wanted {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        0.5 * (lo + hi)
    };
    ActivationDesign { probs, gap, wait_a_dagpenge: a.wait_a_dagpenge, wait_assistance: a.wait_assistance }
}

/// How far the activation recursion looks into a spell; beyond it the chance of being in an
/// offer has settled and is carried forward.
const HORIZON: usize = 160;

/// Expected weeks in activation in one spell with length distribution `spell`: a geometric wait
/// (mean `wait`), then offers drawn from `offer` separated by geometric gaps (mean `gap`), all
/// cut at the spell's end. With `s[t]` the chance an offer starts in week t of the spell,
/// `s = wait + s * (offer + gap)` (a renewal equation), the chance of being in an offer in week t
/// is `a[t] = sum_u s[u] P(offer > t - u)`, and the spell contributes `sum_t a[t] P(L > t)`.
pub(crate) fn active_weeks(spell: &Pmf, offer: &Pmf, wait: f64, gap: f64) -> f64 {
    let geometric = |mean: f64| -> Vec<f64> {
        let p = 1.0 / (mean + 1.0);
        (0..HORIZON).map(|g| p * (1.0 - p).powi(i32::try_from(g).unwrap_or(i32::MAX))).collect()
    };
    let offer_p: Vec<f64> = (0..HORIZON).map(|d| offer.at(d)).collect();
    let gap_p = geometric(gap);
    let mut cycle = vec![0.0; HORIZON];
    for (i, a) in offer_p.iter().enumerate() {
        for (j, g) in gap_p.iter().enumerate().take(HORIZON - i) {
            cycle[i + j] += a * g;
        }
    }
    let wait_p = geometric(wait);
    let mut starts = vec![0.0; HORIZON];
    for t in 0..HORIZON {
        let mut s = wait_p[t];
        for c in 1..=t {
            s += cycle[c] * starts[t - c];
        }
        starts[t] = s;
    }
    let mut survival = vec![0.0; HORIZON];
    let mut left = offer.mass();
    for (d, x) in survival.iter_mut().enumerate() {
        left -= offer_p[d];
        *x = left.max(0.0);
    }
    let mut active = vec![0.0; HORIZON];
    for (t, a) in active.iter_mut().enumerate() {
        *a = (0..=t).map(|u| starts[u] * survival[t - u]).sum();
    }
    let settled = active[HORIZON - 1];
    let mut longer = spell.mass();
    let mut total = 0.0;
    for t in 0..=spell.max() {
        longer -= spell.at(t);
        total += active.get(t).copied().unwrap_or(settled) * longer.max(0.0);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::profile::data;

    #[test]
    fn the_design_meets_its_own_targets() {
        let data = data().unwrap();
        let kit = Kit::new(&data.model);
        for code in [159, 175, 101] {
            let profile = data.profile(code);
            let d = design(&kit, &data.population, &profile, 2021);
            for (which, s) in d.strata.iter().enumerate() {
                let stratum = Stratum::new(&kit, &data.population, &profile, 2021, which);
                let (support, long) = stratum.evaluate(s.mu_p, s.mu_e);
                assert!((support - s.support).abs() < 1e-4, "{code}/{which}: {support} vs {}", s.support);
                assert!((long - s.long_term).abs() < 2e-3, "{code}/{which}: {long} vs {}", s.long_term);
                assert!(s.mu_p > 0.0 && s.mu_e > 0.0, "{code}/{which}: {s:?}");
            }
        }
    }
}
