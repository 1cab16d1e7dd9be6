//! The behavioural model made ready for use: duration samplers, the episode chains with their
//! exact duration distributions (which the design needs), onset curves and retirement rules.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::dist::{Curve, Durations, Pmf, Rng, between, uniform};
use super::profile::Model;

/// The weeks of support after which a week can count as long-term: 42 of the last 52.
pub(crate) const LONG_TERM_AFTER: usize = 41;

/// The kinds of episode that start during self-support.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Episode {
    /// Unemployment: a-dagpenge when insured, else assistance.
    Ledig,
    /// Social or education assistance (or self-support benefit).
    Bistand,
    /// Sickness, sometimes continuing in job clarification.
    Syg,
    /// Pre-rehabilitation and rehabilitation.
    Reval,
}

impl Episode {
    pub const ALL: [Episode; 4] = [Episode::Ledig, Episode::Bistand, Episode::Syg, Episode::Reval];
}

/// A piece of an episode; assistance is labelled by the person's age and origin when emitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Piece {
    ADagpenge,
    Bistand,
    Syg,
    Jafk,
    Ress,
    Forrev,
    Rev,
}

/// The duration of a whole episode (all its pieces).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChainStats {
    /// Mean weeks.
    pub mean: f64,
    /// Mean weeks beyond the 41st: roughly the weeks that count as long-term.
    pub tail: f64,
    /// The longest possible episode.
    pub max: i32,
}

impl ChainStats {
    fn of(pmf: &Pmf) -> Self {
        Self { mean: pmf.mean(), tail: pmf.tail(LONG_TERM_AFTER), max: i32::try_from(pmf.max()).unwrap_or(i32::MAX) }
    }
}

/// Everything the design and the careers draw on.
#[derive(Debug, Clone)]
pub(crate) struct Kit {
    pub model: Model,
    pub a_dagpenge: Durations,
    pub bistand: Durations,
    pub syg: Durations,
    pub jafk: Durations,
    pub ress: Durations,
    pub forrev: Durations,
    pub rev: Durations,
    pub fleksjob: Durations,
    pub ledighedsydelse: Durations,
    /// In [`indsats_domain::ActivationKind::ALL`] order.
    pub activation: [Durations; 5],
    pub foertidspension: Curve,
    pub fleks: Curve,
    /// Episode statistics: unemployment when insured, assistance (also unemployment when
    /// not insured), sickness, rehabilitation, and the lead-in before a lasting state.
    pub ledig_chain: ChainStats,
    pub bistand_chain: ChainStats,
    pub syg_chain: ChainStats,
    pub reval_chain: ChainStats,
    pub lead_chain: ChainStats,
    /// Frailty multipliers and their probabilities (summing to one).
    pub frailty: Vec<(f64, f64)>,
    pub cycle: BTreeMap<i32, f64>,
}

/// The lead-in's sickness spell lasts from the reassessment week to this many weeks beyond it.
const LEAD_SICK_EXTRA: u32 = 8;

impl Kit {
    pub fn new(model: &Model) -> Self {
        let durations = &model.durations;
        let chains = &model.chains;
        let a_dagpenge = Durations::lognormal(durations.a_dagpenge);
        let bistand = Durations::lognormal(durations.bistand);
        let syg = Durations::lognormal(durations.sygedagpenge);
        let jafk = Durations::lognormal(durations.jobafklaringsforloeb);
        let ress = Durations::lognormal(durations.ressourceforloeb);
        let forrev = Durations::lognormal(durations.forrevalidering);
        let rev = Durations::lognormal(durations.revalidering);

        // Unemployment: exhausted a-dagpenge continues on assistance.
        let (before_max, at_max) = a_dagpenge.pmf().split(a_dagpenge.pmf().max());
        let ledig = before_max
            .plus(&at_max.scaled(1.0 - chains.a_dagpenge_to_kontanthjaelp))
            .plus(&at_max.convolve(bistand.pmf()).scaled(chains.a_dagpenge_to_kontanthjaelp));
        let assistance = bistand
            .pmf()
            .scaled(1.0 - chains.bistand_to_ressourceforloeb)
            .plus(&bistand.pmf().convolve(ress.pmf()).scaled(chains.bistand_to_ressourceforloeb));
        let reassess = chains.sick_reassessment as usize;
        let (short, long) = syg.pmf().split(reassess + 1);
        let after_jafk = Pmf::point(0)
            .scaled(1.0 - chains.jobafklaring_to_ressourceforloeb)
            .plus(&ress.pmf().scaled(chains.jobafklaring_to_ressourceforloeb));
        let clarified = Pmf::uniform(reassess, reassess + chains.sick_extension as usize)
            .convolve(jafk.pmf())
            .convolve(&after_jafk);
        let sick = short
            .plus(&long.scaled(1.0 - chains.sick_to_jobafklaring))
            .plus(&clarified.scaled(chains.sick_to_jobafklaring * long.mass()));
        let reval = forrev
            .pmf()
            .scaled(1.0 - chains.forrevalidering_to_revalidering)
            .plus(&forrev.pmf().convolve(rev.pmf()).scaled(chains.forrevalidering_to_revalidering));
        let permanent = &model.permanent;
        let before_ress = Pmf::point(0).scaled(1.0 - permanent.lead_in_jobafklaring).plus(
            &Pmf::uniform(reassess, reassess + LEAD_SICK_EXTRA as usize)
                .convolve(jafk.pmf())
                .scaled(permanent.lead_in_jobafklaring),
        );
        let lead = ress.pmf().convolve(&before_ress);

        let act = &model.activation.durations;
        let total_frailty: f64 = model.frailty.iter().map(|f| f[1]).sum::<f64>().max(f64::MIN_POSITIVE);
        Self {
            ledig_chain: ChainStats::of(&ledig),
            bistand_chain: ChainStats::of(&assistance),
            syg_chain: ChainStats::of(&sick),
            reval_chain: ChainStats::of(&reval),
            lead_chain: ChainStats::of(&lead),
            a_dagpenge,
            bistand,
            syg,
            jafk,
            ress,
            forrev,
            rev,
            fleksjob: Durations::lognormal(durations.fleksjob),
            ledighedsydelse: Durations::lognormal(durations.ledighedsydelse),
            activation: [
                Durations::lognormal(act.virksomhedspraktik),
                Durations::lognormal(act.loentilskud),
                Durations::lognormal(act.nytteindsats),
                Durations::lognormal(act.opkvalificering),
                Durations::lognormal(act.vejledning),
            ],
            foertidspension: Curve::new(&permanent.foertidspension, 0.01),
            fleks: Curve::new(&permanent.fleksjob, 0.01),
            frailty: model.frailty.iter().map(|f| (f[0], f[1] / total_frailty)).collect(),
            cycle: model.cycle.iter().filter_map(|(k, v)| Some((k.parse().ok()?, *v))).collect(),
            model: model.clone(),
        }
    }

    /// The age band (index into the per-band vectors) of an age in years.
    pub fn band(&self, age: f64) -> usize {
        self.model.age_bands.iter().rposition(|&lo| age >= f64::from(lo)).unwrap_or(0)
    }

    /// The business-cycle factor on unemployment episodes in a year.
    pub fn cycle(&self, year: i32) -> f64 {
        self.cycle.get(&year).copied().unwrap_or(1.0)
    }

    /// Relative start rates of the episode kinds in an age band and year.
    pub fn mix(&self, band: usize, cycle: f64) -> [f64; 4] {
        let m = &self.model;
        [m.mix_ledig[band] * cycle, m.mix_bistand[band], m.mix_syg[band], m.mix_reval[band]]
    }

    pub fn chain(&self, episode: Episode, insured: bool) -> ChainStats {
        match episode {
            Episode::Ledig if insured => self.ledig_chain,
            Episode::Ledig | Episode::Bistand => self.bistand_chain,
            Episode::Syg => self.syg_chain,
            Episode::Reval => self.reval_chain,
        }
    }

    /// Draws an episode's pieces, in order, into `out` (cleared first).
    pub fn sample(&self, episode: Episode, insured: bool, rng: &mut Rng, out: &mut Vec<(Piece, i32)>) {
        out.clear();
        let c = &self.model.chains;
        match episode {
            Episode::Ledig if insured => {
                let a = self.a_dagpenge.sample(rng);
                out.push((Piece::ADagpenge, a));
                if a >= self.a_dagpenge.max() && uniform(rng) < c.a_dagpenge_to_kontanthjaelp {
                    out.push((Piece::Bistand, self.bistand.sample(rng)));
                }
            }
            Episode::Ledig | Episode::Bistand => {
                out.push((Piece::Bistand, self.bistand.sample(rng)));
                if uniform(rng) < c.bistand_to_ressourceforloeb {
                    out.push((Piece::Ress, self.ress.sample(rng)));
                }
            }
            Episode::Syg => {
                let s = self.syg.sample(rng);
                let r = i32::try_from(c.sick_reassessment).unwrap_or(22);
                if s > r && uniform(rng) < c.sick_to_jobafklaring {
                    let extension = i32::try_from(c.sick_extension).unwrap_or(0);
                    out.push((Piece::Syg, r + between(rng, 0, extension)));
                    out.push((Piece::Jafk, self.jafk.sample(rng)));
                    if uniform(rng) < c.jobafklaring_to_ressourceforloeb {
                        out.push((Piece::Ress, self.ress.sample(rng)));
                    }
                } else {
                    out.push((Piece::Syg, s));
                }
            }
            Episode::Reval => {
                out.push((Piece::Forrev, self.forrev.sample(rng)));
                if uniform(rng) < c.forrevalidering_to_revalidering {
                    out.push((Piece::Rev, self.rev.sample(rng)));
                }
            }
        }
    }

    /// Draws the lead-in before a lasting state: a resource course, sometimes after sickness
    /// and job clarification.
    pub fn sample_lead(&self, rng: &mut Rng, out: &mut Vec<(Piece, i32)>) {
        out.clear();
        if uniform(rng) < self.model.permanent.lead_in_jobafklaring {
            let r = i32::try_from(self.model.chains.sick_reassessment).unwrap_or(22);
            out.push((Piece::Syg, r + between(rng, 0, i32::try_from(LEAD_SICK_EXTRA).unwrap_or(0))));
            out.push((Piece::Jafk, self.jafk.sample(rng)));
        }
        out.push((Piece::Ress, self.ress.sample(rng)));
    }
}

/// The efterløn age and the folkepension age, in years, of a birth date (the rules of the 2006
/// welfare agreement and the 2011 retirement reform, as far as they reach these cohorts).
pub(crate) fn retirement_ages(birth: NaiveDate) -> (f64, f64) {
    let first_half = birth.month() <= 6;
    match birth.year() {
        ..=1953 => (60.0, 65.0),
        1954 if first_half => (60.5, 65.5),
        1954 => (61.0, 66.0),
        1955 if first_half => (61.5, 66.5),
        1955..=1958 => (62.0, 67.0),
        1959 => (62.5, 67.0),
        1960..=1962 => (63.0, 67.0),
        1963..=1966 => (64.0, 68.0),
        _ => (65.0, 69.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::dist::{CAREER, float, person_rng};
    use crate::synth::profile::data;

    #[test]
    fn chain_statistics_match_the_sampler() {
        let kit = Kit::new(&data().unwrap().model);
        let mut rng = person_rng(3, 159, 9, CAREER);
        let mut pieces = Vec::new();
        for (episode, insured) in
            [(Episode::Ledig, true), (Episode::Ledig, false), (Episode::Syg, true), (Episode::Reval, true)]
        {
            let stats = kit.chain(episode, insured);
            let n = 20_000;
            let mut total = 0.0;
            let mut tail = 0.0;
            for _ in 0..n {
                kit.sample(episode, insured, &mut rng, &mut pieces);
                let d: i32 = pieces.iter().map(|p| p.1).sum();
                assert!(d <= stats.max);
                total += f64::from(d);
                tail += f64::from((d - 41).max(0));
            }
            let (mean, tail) = (total / float(n), tail / float(n));
            assert!((mean - stats.mean).abs() < 0.05 * stats.mean, "{episode:?}: {mean} vs {}", stats.mean);
            assert!((tail - stats.tail).abs() < 0.1 * stats.tail + 0.2, "{episode:?}: {tail} vs {}", stats.tail);
        }
    }

    #[test]
    fn retirement_ages_rise_with_birth_year() {
        let d = |y, m| NaiveDate::from_ymd_opt(y, m, 1).unwrap();
        assert_eq!(retirement_ages(d(1950, 3)), (60.0, 65.0));
        assert_eq!(retirement_ages(d(1954, 9)), (61.0, 66.0));
        assert_eq!(retirement_ages(d(1960, 1)), (63.0, 67.0));
        assert_eq!(retirement_ages(d(1970, 1)), (65.0, 69.0));
    }
}
