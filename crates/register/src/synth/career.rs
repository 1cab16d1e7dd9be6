//! Benefit careers, parental leave and activation of one person.
//!
//! A career is a sequence of non-overlapping spells in week indices (`from..to`). Its parts:
//! lasting states entered at a drawn age of onset (disability pension; flex job alternating
//! with flex-job unemployment benefit), often after a lead-in of sickness, job clarification
//! and a resource course; efterløn from the cohort's efterløn age; and before those, episodes
//! of unemployment, assistance, sickness and rehabilitation separated by spells of
//! self-support. Persons already adult when the simulation starts begin in the stationary
//! state of that process (an episode in progress with the right chance and length), so the
//! first year is no different from the others.

use indsats_domain::{ActivationKind, BenefitGroup, Origin, Sex};

use super::design::{StratumDesign, stratum};
use super::dist::{Rng, WEEKS_PER_YEAR, between, geometric, pick, to_i32, uniform};
use super::model::{Episode, Piece};
use super::population::{Life, PersonRec};
use super::{MuniPlan, Plan};

/// A benefit spell in week indices, `from..to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Spell {
    pub group: BenefitGroup,
    pub from: i32,
    pub to: i32,
}

/// An activation spell in week indices, `from..to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Act {
    pub kind: ActivationKind,
    pub from: i32,
    pub to: i32,
}

/// What a career must be, when a correction redraws it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Force {
    /// As the model draws it.
    Natural,
    /// Never on public support.
    Clear,
    /// A lasting state (flex job or disability pension) from the given week.
    Lasting { onset: i32, flex: bool },
}

/// The person and the rules in force, for drawing a career.
pub(crate) struct Person<'a> {
    pub plan: &'a Plan,
    pub rec: &'a PersonRec,
    pub life: Life,
    pub design: &'a StratumDesign,
    /// The first week a benefit can be paid and the first one it cannot.
    pub lo: i32,
    pub hi: i32,
}

impl<'a> Person<'a> {
    pub fn new(plan: &'a Plan, muni: &'a MuniPlan, rec: &'a PersonRec) -> Self {
        let life = Life::of(rec.birth, plan.kit.model.support_from_age);
        let lo = rec.dk_week.max(life.t18);
        let hi = rec.presence_end.min(life.pension).min(plan.w_end);
        Self { plan, rec, life, design: &muni.design.strata[stratum(rec.origin)], lo, hi }
    }

    /// Weekly start rate of episodes at an age.
    fn rate(&self, age: f64) -> f64 {
        let kit = &self.plan.kit;
        let frailty = kit.frailty.get(usize::from(self.rec.frailty)).map_or(1.0, |f| f.0);
        self.design.mu_e * kit.model.episode_rate * kit.model.intensity[kit.band(age)] * frailty
    }

    /// The group assistance is paid as in a week: self-support benefit in a non-western
    /// immigrant's first years, education assistance under 30, social assistance from then on.
    fn assistance_boundaries(&self) -> (i32, i32) {
        let refugee_until = if self.rec.origin == Origin::IkkeVestligIndvandrer {
            self.rec.dk_week + to_i32(self.plan.kit.model.selvforsoergelse_years * WEEKS_PER_YEAR)
        } else {
            i32::MIN
        };
        (refugee_until, self.life.t30)
    }

    /// Appends spell `from..to` of a piece, clipped to `lo..end`, labelling assistance.
    pub fn emit(&self, piece: Piece, from: i32, to: i32, end: i32, out: &mut Vec<Spell>) {
        let (from, to) = (from.max(self.lo), to.min(end));
        if from >= to {
            return;
        }
        let group = match piece {
            Piece::ADagpenge => BenefitGroup::ADagpenge,
            Piece::Syg => BenefitGroup::Sygedagpenge,
            Piece::Jafk => BenefitGroup::Jobafklaringsforloeb,
            Piece::Ress => BenefitGroup::Ressourceforloeb,
            Piece::Forrev => BenefitGroup::Forrevalidering,
            Piece::Rev => BenefitGroup::Revalidering,
            Piece::Bistand => {
                let (refugee_until, thirty) = self.assistance_boundaries();
                let mut a = from;
                for (bound, group) in [
                    (refugee_until, BenefitGroup::Selvforsoergelsesydelse),
                    (thirty, BenefitGroup::Uddannelseshjaelp),
                    (i32::MAX, BenefitGroup::Kontanthjaelp),
                ] {
                    let b = to.min(bound);
                    if a < b {
                        out.push(Spell { group, from: a, to: b });
                        a = b;
                    }
                }
                return;
            }
        };
        out.push(Spell { group, from, to });
    }

    fn emit_pieces(&self, pieces: &[(Piece, i32)], start: i32, end: i32, out: &mut Vec<Spell>) -> i32 {
        let mut t = start;
        for &(piece, weeks) in pieces {
            self.emit(piece, t, t + weeks, end, out);
            t += weeks;
        }
        t
    }

    /// Onset week of a lasting state from its curve, or `None` if the person never enters it.
    fn onset(&self, curve: &super::dist::Curve, u: f64) -> Option<i32> {
        if self.design.mu_p <= 0.0 {
            return None;
        }
        let week = self.life.week_at(curve.inverse(u / self.design.mu_p)?);
        if week >= self.lo {
            return Some(week);
        }
        // Immigrants who arrived as adults enter it a while after arriving; others at 18.
        Some(if self.rec.dk_week > self.life.t18 { self.lo + 104 } else { self.lo })
    }

    /// Draws the benefit spells (and parental leave), sorted by start, none overlapping.
    pub fn benefits(&self, rng: &mut Rng, force: Force) -> Vec<Spell> {
        let plan = self.plan;
        let kit = &plan.kit;
        let mut out = Vec::new();
        let draw_pension = uniform(rng);
        let draw_flex = uniform(rng);
        let draw_lead = uniform(rng);
        let draw_efterloen = uniform(rng);
        let draw_delay = uniform(rng);
        if self.lo < self.hi && self.hi > plan.sim_start && force != Force::Clear {
            let (mut fp, mut fj) = (self.onset(&kit.foertidspension, draw_pension), self.onset(&kit.fleks, draw_flex));
            if let Force::Lasting { onset, flex } = force {
                if flex {
                    fj = Some(onset);
                    fp = fp.filter(|&w| w > onset);
                } else {
                    fp = Some(onset);
                    fj = None;
                }
            }
            let lasting = match (fp, fj) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            }
            .filter(|&w| w < self.hi);
            let mut lead = Vec::new();
            let mut fixed = lasting;
            if let Some(onset) = lasting
                && self.life.age(onset) >= 22.0
                && draw_lead < kit.model.permanent.lead_in
            {
                kit.sample_lead(rng, &mut lead);
                fixed = Some(onset - lead.iter().map(|p| p.1).sum::<i32>());
            }
            // Efterløn, unless a lasting state comes first (then that state lasts until folkepension).
            let efterloen = (force == Force::Natural && draw_efterloen < kit.model.permanent.efterloen / 100.0)
                .then(|| self.life.efterloen_start(draw_delay))
                .filter(|&w| w < self.hi && w >= self.lo);
            let (lasting, efterloen) = match (fixed, efterloen) {
                (Some(f), Some(e)) if e < f => (None, Some(e)),
                (_, e) if lasting.is_none() => (None, e),
                _ => (lasting, None),
            };
            let episodes_end = match (lasting, efterloen) {
                (Some(_), _) => fixed.unwrap_or(self.hi),
                (None, Some(e)) => e,
                (None, None) => self.hi,
            }
            .min(self.hi);
            if force == Force::Natural {
                self.episodes(rng, self.lo.max(plan.sim_start), episodes_end, &mut out);
            }
            if let (Some(onset), Some(start)) = (lasting, fixed) {
                self.emit_pieces(&lead, start, onset, &mut out);
                let stop_flex = fp.filter(|&w| w >= onset).unwrap_or(self.hi).min(self.hi);
                if fj == Some(onset) {
                    self.flex(rng, onset, stop_flex, &mut out);
                }
                if let Some(fp) = fp.filter(|&w| w >= onset && w < self.hi) {
                    out.push(Spell { group: BenefitGroup::Foertidspension, from: fp.max(self.lo), to: self.hi });
                }
            }
            if let Some(e) = efterloen {
                out.push(Spell { group: BenefitGroup::Efterloen, from: e, to: self.hi });
            }
        }
        out.sort_unstable_by_key(|s| s.from);
        self.parental_leave(rng, &mut out);
        out.retain(|s| s.to > plan.sim_start && s.from < s.to);
        out.sort_unstable_by_key(|s| s.from);
        out
    }

    /// Flex job alternating with flex-job unemployment benefit, `from..to`.
    fn flex(&self, rng: &mut Rng, from: i32, to: i32, out: &mut Vec<Spell>) {
        let kit = &self.plan.kit;
        let mut t = from.max(self.lo);
        while t < to {
            let f = kit.fleksjob.sample(rng);
            out.push(Spell { group: BenefitGroup::Fleksjob, from: t, to: (t + f).min(to) });
            t += f;
            if t >= to {
                break;
            }
            let l = kit.ledighedsydelse.sample(rng);
            out.push(Spell { group: BenefitGroup::Ledighedsydelse, from: t, to: (t + l).min(to) });
            t += l;
        }
    }

    /// The relative start rates of the episode kinds at a week (age band and business cycle).
    fn mix(&self, week: i32) -> [f64; 4] {
        let kit = &self.plan.kit;
        kit.mix(kit.band(self.life.age(week)), kit.cycle(self.plan.year_of(week)))
    }

    /// Episodes separated by self-support in `start..end`.
    fn episodes(&self, rng: &mut Rng, start: i32, end: i32, out: &mut Vec<Spell>) {
        if start >= end {
            return;
        }
        let plan = self.plan;
        let kit = &plan.kit;
        let insured = self.rec.insured;
        let mut pieces = Vec::new();
        let mut t = start;
        if self.lo < plan.sim_start {
            // In the stationary state: in an episode with chance rho E[D] / (1 + rho E[D]),
            // that episode drawn in proportion to its length and entered at a uniform point.
            let mix = self.mix(t);
            let weighted: Vec<f64> =
                Episode::ALL.iter().zip(mix).map(|(&e, w)| w * kit.chain(e, insured).mean).collect();
            let x = self.rate(self.life.age(t)) * weighted.iter().sum::<f64>();
            if uniform(rng) < x / (1.0 + x) {
                let episode = Episode::ALL[pick(rng, &weighted)];
                let longest = f64::from(kit.chain(episode, insured).max.max(1));
                for _ in 0..1000 {
                    kit.sample(episode, insured, rng, &mut pieces);
                    let total: i32 = pieces.iter().map(|p| p.1).sum();
                    if uniform(rng) * longest < f64::from(total) {
                        break;
                    }
                }
                let total: i32 = pieces.iter().map(|p| p.1).sum();
                let begun = t - to_i32(uniform(rng) * f64::from(total));
                t = self.emit_pieces(&pieces, begun, end, out);
            }
        } else if self.rec.arrived
            && self.rec.origin == Origin::IkkeVestligIndvandrer
            && uniform(rng) < kit.model.refugee_start
        {
            kit.sample(Episode::Bistand, false, rng, &mut pieces);
            t = self.emit_pieces(&pieces, t + geometric(rng, 4.0) - 1, end, out);
        }
        while t < end {
            let rate = self.rate(self.life.age(t));
            if rate <= 0.0 {
                break;
            }
            t = t.saturating_add(geometric(rng, 1.0 / rate));
            if t >= end {
                break;
            }
            let episode = Episode::ALL[pick(rng, &self.mix(t))];
            kit.sample(episode, insured, rng, &mut pieces);
            t = self.emit_pieces(&pieces, t, end, out);
        }
    }

    /// Parental leave around births, where it does not collide with other spells.
    fn parental_leave(&self, rng: &mut Rng, out: &mut Vec<Spell>) {
        let plan = self.plan;
        let b = &plan.kit.model.barsel;
        let fertility = if self.rec.sex == Sex::K { b.mother } else { b.father };
        let from = self.rec.dk_week.max(self.life.week_of_age(18.0)).max(plan.sim_start);
        let to = self.rec.presence_end.min(self.life.week_of_age(50.0)).min(plan.w_end);
        let mut t = from;
        while t < to {
            let age = self.life.age(t + 26);
            let rate = fertility.peak * (-((age - fertility.age) / fertility.width).powi(2)).exp();
            if uniform(rng) >= rate {
                t += 52;
                continue;
            }
            let born = t + between(rng, 0, 51);
            let (a, b) =
                if self.rec.sex == Sex::K { (born - 4, born + 42) } else { (born, born + between(rng, 2, 10)) };
            let (a, b) = (a.max(from), b.min(to));
            if a < b && out.iter().all(|s| s.to <= a || s.from >= b) {
                out.push(Spell { group: BenefitGroup::Barselsdagpenge, from: a, to: b });
            }
            t = born + 52;
        }
    }
}

/// Draws activation inside the spells on a-dagpenge, kontanthjælp, uddannelseshjælp and
/// selvforsørgelsesydelse: after a wait, offers follow one another with gaps between.
pub(crate) fn activations(plan: &Plan, muni: &MuniPlan, spells: &[Spell], rng: &mut Rng) -> Vec<Act> {
    let design = &muni.design.activation;
    let kit = &plan.kit;
    let mut out = Vec::new();
    for s in spells.iter().filter(|s| s.group.is_activation_base()) {
        let wait = if s.group == BenefitGroup::ADagpenge { design.wait_a_dagpenge } else { design.wait_assistance };
        let mut t = s.from + geometric(rng, wait + 1.0) - 1;
        while t < s.to {
            let k = pick(rng, &design.probs);
            let b = (t + kit.activation[k].sample(rng)).min(s.to);
            if b > plan.sim_start {
                out.push(Act { kind: ActivationKind::ALL[k], from: t, to: b });
            }
            t = b.saturating_add(geometric(rng, design.gap + 1.0) - 1);
        }
    }
    out
}
