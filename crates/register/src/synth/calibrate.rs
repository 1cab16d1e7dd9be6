//! The correction pass: count what the generated micro-data give in each municipality's
//! calibration year, exactly as the indicator engine counts it, and redraw or trim the
//! careers of a few residents until the figures meet the profile.
//!
//! Only persons who live in the municipality and are 16-66 through the whole calibration year
//! are touched, so a change to one of them moves that municipality's figures for that year by
//! exactly their own weeks and nobody else's figures; municipalities can be corrected in
//! parallel. Non-western immigrants and descendants are corrected first (their share on
//! support, and long-term support in the profile's proportion), then everyone else so the
//! totals meet the profile. Long-term support is adjusted by giving self-supporting persons a
//! lasting state (or clearing a long-term recipient's career), the share on support by short
//! spells that cannot make anyone long-term. Activation is corrected afterwards by adding or
//! shortening offers inside unemployed weeks.

use indsats_domain::ActivationKind;

use super::career::{Act, Force, Person, Spell};
use super::design::{NON_WESTERN, OTHER, stratum};
use super::dist::{CORRECTION, between, float64, person_key, person_rng, pick, uniform};
use super::model::Piece;
use super::population::Life;
use super::{Chunk, MuniPlan, Plan, par_map};

/// Weeks of the calibration year and of the long-term look-back, counted per municipality.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    /// Resident person-weeks aged 16-66, by stratum.
    pub population: [u64; 2],
    /// Person-weeks on public support, by stratum.
    pub support: [u64; 2],
    /// Person-weeks as a long-term recipient, by stratum.
    pub long_term: [u64; 2],
    /// Person-weeks on a-dagpenge, kontanthjælp, uddannelseshjælp or selvforsørgelsesydelse.
    pub unemployed: u64,
    /// Of those, in company-oriented activation, and in upskilling.
    pub company: u64,
    pub upskilling: u64,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        for s in 0..2 {
            self.population[s] += o.population[s];
            self.support[s] += o.support[s];
            self.long_term[s] += o.long_term[s];
        }
        self.unemployed += o.unemployed;
        self.company += o.company;
        self.upskilling += o.upskilling;
    }

    /// A share in per cent: (support, non-western support, long-term, company, upskilling).
    #[cfg(test)]
    pub fn shares(&self) -> [f64; 5] {
        let pct = |a: u64, b: u64| if b == 0 { 0.0 } else { 100.0 * float64(a) / float64(b) };
        let pop = self.population[0] + self.population[1];
        [
            pct(self.support[0] + self.support[1], pop),
            pct(self.support[NON_WESTERN], self.population[NON_WESTERN]),
            pct(self.long_term[0] + self.long_term[1], pop),
            pct(self.company, self.unemployed),
            pct(self.upskilling, self.unemployed),
        ]
    }
}

/// Bits of the calibration year's weeks (bit j is week `ys + j`).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct YearBits {
    pub support: u64,
    pub long_term: u64,
    pub base: u64,
    pub company: u64,
    pub upskilling: u64,
    /// Any activation.
    pub activation: u64,
}

/// Bits `lo..hi` of `0..n`.
fn mask(lo: i32, hi: i32, n: i32) -> u64 {
    let (lo, hi) = (lo.max(0), hi.min(n));
    if lo >= hi {
        return 0;
    }
    let width = (hi - lo).unsigned_abs();
    let ones = if width >= 64 { u64::MAX } else { (1u64 << width) - 1 };
    ones << lo.unsigned_abs()
}

fn mask128(lo: i32, hi: i32, n: i32) -> u128 {
    let (lo, hi) = (lo.max(0), hi.min(n));
    if lo >= hi {
        return 0;
    }
    let width = (hi - lo).unsigned_abs();
    let ones = if width >= 128 { u128::MAX } else { (1u128 << width) - 1 };
    ones << lo.unsigned_abs()
}

/// The look-back of the long-term rule: 42 of the 52 weeks ending with the week.
const WINDOW: i32 = 52;
const LONG_TERM_WEEKS: u32 = 42;

/// A person's weeks of the year `ys..ye` (at most 53) on support, long-term, unemployed and in activation.
pub(crate) fn year_bits(spells: &[Spell], acts: &[Act], ys: i32, ye: i32) -> YearBits {
    let n = ye - ys;
    let lookback = ys - (WINDOW - 1);
    let mut support: u128 = 0;
    let mut bits = YearBits::default();
    for s in spells {
        if s.group.is_public_support() {
            support |= mask128(s.from - lookback, s.to - lookback, n + WINDOW - 1);
        }
        if s.group.is_activation_base() {
            bits.base |= mask(s.from - ys, s.to - ys, n);
        }
    }
    bits.support = u64::try_from(support >> (WINDOW - 1)).unwrap_or(u64::MAX);
    let window = (1u128 << WINDOW) - 1;
    for j in 0..n {
        if bits.support >> j & 1 == 1 && ((support >> j) & window).count_ones() >= LONG_TERM_WEEKS {
            bits.long_term |= 1 << j;
        }
    }
    for a in acts {
        let m = mask(a.from - ys, a.to - ys, n);
        bits.activation |= m;
        if a.kind.is_company_oriented() {
            bits.company |= m;
        } else if a.kind == ActivationKind::Opkvalificering {
            bits.upskilling |= m;
        }
    }
    bits.company &= bits.base;
    bits.upskilling &= bits.base;
    bits
}

/// The first week a person counts in the population (16) and the first they no longer do (67).
fn counted_ages(plan: &Plan, chunk: &Chunk, i: usize) -> (i32, i32) {
    let life = Life::of(chunk.persons[i].birth, plan.kit.model.support_from_age);
    (life.t16, life.t67)
}

fn tally_chunk(plan: &Plan, chunk: &Chunk) -> Vec<Tally> {
    let mut out = vec![Tally::default(); plan.munis.len()];
    for (i, p) in chunk.persons.iter().enumerate() {
        // Nobody under 16 or over 66 at any time of the years counts.
        if !plan.may_count(p.birth) {
            continue;
        }
        let (t16, t67) = counted_ages(plan, chunk, i);
        let mut cached: Option<(i32, YearBits)> = None;
        for r in chunk.residences_of(i) {
            let Some(slot) = plan.slot(r.municipality) else { continue };
            let (ys, ye) = plan.munis[slot].year_weeks;
            let (a, b) = r.weeks();
            let (lo, hi) = (a.max(t16).max(ys), b.min(t67).min(ye));
            if lo >= hi {
                continue;
            }
            let counted = mask(lo - ys, hi - ys, ye - ys);
            let bits = match cached {
                Some((y, bits)) if y == ys => bits,
                _ => {
                    let bits = year_bits(chunk.benefits.get(i), chunk.activations.get(i), ys, ye);
                    cached = Some((ys, bits));
                    bits
                }
            };
            let t = &mut out[slot];
            let s = stratum(p.origin);
            let count = |x: u64| u64::from((x & counted).count_ones());
            t.population[s] += count(u64::MAX);
            t.support[s] += count(bits.support);
            t.long_term[s] += count(bits.long_term);
            t.unemployed += count(bits.base);
            t.company += count(bits.company);
            t.upskilling += count(bits.upskilling);
        }
    }
    out
}

/// The figures of every municipality's calibration year.
pub(crate) fn tally(plan: &Plan, chunks: &[&Chunk]) -> Vec<Tally> {
    let parts = par_map(plan.threads, chunks, |c| tally_chunk(plan, c));
    let mut total = vec![Tally::default(); plan.munis.len()];
    for part in &parts {
        for (t, p) in total.iter_mut().zip(part) {
            t.add(p);
        }
    }
    total
}

/// A person who lives in the municipality and is 16-66 through the whole calibration year.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    chunk: usize,
    person: usize,
    stratum: usize,
    support: u32,
    long_term: u32,
    /// No public support in the year or the look-back before it.
    clean: bool,
    used: bool,
}

fn candidates(plan: &Plan, muni: &MuniPlan, chunks: &[Chunk], salt: u64) -> Vec<Candidate> {
    let (ys, ye) = muni.year_weeks;
    let mut out = Vec::new();
    let mut keys = Vec::new();
    for (c, chunk) in chunks.iter().enumerate() {
        for (i, p) in chunk.persons.iter().enumerate() {
            if !plan.may_count(p.birth) {
                continue;
            }
            let stays = chunk.residences_of(i).iter().any(|r| {
                let (a, b) = r.weeks();
                r.municipality == muni.code && a <= ys && b >= ye
            });
            if !stays {
                continue;
            }
            let (t16, t67) = counted_ages(plan, chunk, i);
            if t16 > ys || t67 < ye {
                continue;
            }
            let spells = chunk.benefits.get(i);
            let bits = year_bits(spells, &[], ys, ye);
            let clean = !spells.iter().any(|s| s.group.is_public_support() && s.to > ys - (WINDOW - 1) && s.from < ye);
            keys.push(person_key(plan.seed, muni.code, p.serial, salt));
            out.push(Candidate {
                chunk: c,
                person: i,
                stratum: stratum(p.origin),
                support: bits.support.count_ones(),
                long_term: bits.long_term.count_ones(),
                clean,
                used: false,
            });
        }
    }
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_unstable_by_key(|&i| keys[i]);
    order.into_iter().map(|i| out[i]).collect()
}

/// Removes up to `weeks` weeks of the year `ys..ye` from the intervals that `pick` selects,
/// from the end of the year backwards; returns the weeks removed.
fn cut<T: Copy>(
    items: &mut Vec<T>,
    ys: i32,
    ye: i32,
    weeks: u32,
    pick: impl Fn(&T) -> bool,
    span: impl Fn(&T) -> (i32, i32),
    with: impl Fn(&T, i32, i32) -> T,
) -> u32 {
    let mut left = i32::try_from(weeks).unwrap_or(i32::MAX);
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_unstable_by_key(|&i| std::cmp::Reverse(span(&items[i]).0));
    let mut out = Vec::with_capacity(items.len() + 1);
    let mut removed = vec![false; items.len()];
    for i in order {
        let item = items[i];
        let (from, to) = span(&item);
        let (lo, hi) = (from.max(ys), to.min(ye));
        if left == 0 || !pick(&item) || lo >= hi {
            continue;
        }
        let c = left.min(hi - lo);
        left -= c;
        removed[i] = true;
        if from < hi - c {
            out.push(with(&item, from, hi - c));
        }
        if hi < to {
            out.push(with(&item, hi, to));
        }
    }
    out.extend(items.iter().zip(&removed).filter(|(_, r)| !**r).map(|(x, _)| *x));
    out.sort_unstable_by_key(|x| span(x).0);
    *items = out;
    (i32::try_from(weeks).unwrap_or(i32::MAX) - left).unsigned_abs()
}

struct Corrector<'a> {
    plan: &'a Plan,
    muni: &'a MuniPlan,
    chunks: &'a mut [Chunk],
    candidates: Vec<Candidate>,
    support: [i64; 2],
    long_term: [i64; 2],
}

impl Corrector<'_> {
    fn person(&self, c: &Candidate) -> Person<'_> {
        Person::new(self.plan, self.muni, &self.chunks[c.chunk].persons[c.person])
    }

    fn rng(&self, c: &Candidate, stream: u64) -> super::dist::Rng {
        let serial = self.chunks[c.chunk].persons[c.person].serial;
        person_rng(self.plan.seed, self.muni.code, serial, CORRECTION + stream)
    }

    /// Replaces a candidate's spells and books the change.
    fn replace(&mut self, k: usize, spells: Vec<Spell>) {
        let (ys, ye) = self.muni.year_weeks;
        let c = self.candidates[k];
        let bits = year_bits(&spells, &[], ys, ye);
        let (support, long_term) = (bits.support.count_ones(), bits.long_term.count_ones());
        self.support[c.stratum] += i64::from(support) - i64::from(c.support);
        self.long_term[c.stratum] += i64::from(long_term) - i64::from(c.long_term);
        self.chunks[c.chunk].benefits.set(c.person, spells);
        let c = &mut self.candidates[k];
        c.support = support;
        c.long_term = long_term;
        c.used = true;
    }

    fn next(&self, from: &mut usize, ok: impl Fn(&Candidate) -> bool) -> Option<usize> {
        while *from < self.candidates.len() {
            let k = *from;
            *from += 1;
            let c = &self.candidates[k];
            if !c.used && ok(c) {
                return Some(k);
            }
        }
        None
    }

    /// Gives a self-supporting person a lasting state from before the look-back.
    fn make_lasting(&mut self, k: usize) -> bool {
        let (ys, _) = self.muni.year_weeks;
        let c = self.candidates[k];
        let mut rng = self.rng(&c, 1);
        let person = self.person(&c);
        if person.life.age(ys) < 22.0 {
            return false;
        }
        let mut onset = ys - 52 - between(&mut rng, 0, 156);
        if onset < person.lo {
            if person.lo > ys - 42 {
                return false;
            }
            onset = person.lo;
        }
        let flex = person.life.age(ys) < 58.0 && uniform(&mut rng) < 0.3;
        let mut redraw = self.rng(&c, 0);
        let spells = person.benefits(&mut redraw, Force::Lasting { onset, flex });
        self.replace(k, spells);
        true
    }

    /// Redraws a person as never on public support.
    fn clear(&mut self, k: usize) {
        let c = self.candidates[k];
        let mut redraw = self.rng(&c, 0);
        let spells = self.person(&c).benefits(&mut redraw, Force::Clear);
        self.replace(k, spells);
    }

    /// Adds one short spell (at most `need` weeks) inside the year to a self-supporting person.
    fn add_short(&mut self, k: usize, need: i64) -> bool {
        let (ys, ye) = self.muni.year_weeks;
        let c = self.candidates[k];
        let mut rng = self.rng(&c, 2);
        let person = self.person(&c);
        if person.lo > ys || person.hi < ye {
            return false;
        }
        let kit = &self.plan.kit;
        let sick = uniform(&mut rng) < 0.5;
        let drawn = if sick { kit.syg.sample(&mut rng) } else { kit.a_dagpenge.sample(&mut rng) };
        let weeks = i32::try_from(need).unwrap_or(i32::MAX).min(drawn).clamp(1, 30).min(ye - ys);
        let from = between(&mut rng, ys, ye - weeks);
        let spells = self.chunks[c.chunk].benefits.get(c.person);
        if spells.iter().any(|s| s.to > from && s.from < from + weeks) {
            return false;
        }
        let piece = if sick {
            Piece::Syg
        } else if self.chunks[c.chunk].persons[c.person].insured {
            Piece::ADagpenge
        } else {
            Piece::Bistand
        };
        let mut spells = spells.to_vec();
        person.emit(piece, from, from + weeks, ye, &mut spells);
        spells.sort_unstable_by_key(|s| s.from);
        self.replace(k, spells);
        true
    }

    /// Removes up to `weeks` weeks of support in the year from a person who is not long-term.
    fn trim(&mut self, k: usize, weeks: u32) {
        let (ys, ye) = self.muni.year_weeks;
        let c = self.candidates[k];
        let mut spells = self.chunks[c.chunk].benefits.get(c.person).to_vec();
        cut(
            &mut spells,
            ys,
            ye,
            weeks,
            |s| s.group.is_public_support(),
            |s| (s.from, s.to),
            |s, from, to| Spell { from, to, ..*s },
        );
        self.replace(k, spells);
    }

    fn correct(&mut self, which: usize, support_target: i64, long_target: Option<i64>) {
        let (ys, ye) = self.muni.year_weeks;
        let half_year = i64::from((ye - ys) / 2);
        if let Some(long_target) = long_target {
            let mut at = 0;
            while self.long_term[which] < long_target - half_year {
                let Some(k) = self.next(&mut at, |c| c.stratum == which && c.clean) else { break };
                self.make_lasting(k);
            }
            let mut at = 0;
            while self.long_term[which] > long_target + half_year {
                let Some(k) = self.next(&mut at, |c| c.stratum == which && c.long_term > 0) else { break };
                self.clear(k);
            }
        }
        let mut at = 0;
        while self.support[which] < support_target {
            let need = support_target - self.support[which];
            let Some(k) = self.next(&mut at, |c| c.stratum == which && c.clean) else { break };
            self.add_short(k, need);
        }
        let mut at = 0;
        while self.support[which] > support_target {
            let excess = u32::try_from(self.support[which] - support_target).unwrap_or(u32::MAX);
            let Some(k) = self.next(&mut at, |c| c.stratum == which && c.long_term == 0 && c.support > 0) else {
                break;
            };
            self.trim(k, excess);
        }
    }
}

fn weeks_of(share_pct: f64, population: u64) -> i64 {
    i64::from(super::dist::to_i32((share_pct / 100.0 * float64(population)).round()))
}

/// Corrects the benefit careers of a municipality's residents so its calibration year meets the profile.
pub(crate) fn correct_benefits(plan: &Plan, slot: usize, chunks: &mut [Chunk], tally: &Tally) {
    let muni = &plan.munis[slot];
    let t = muni.profile.targets;
    let candidates = candidates(plan, muni, chunks, 0xB1);
    let mut fix = Corrector {
        plan,
        muni,
        chunks,
        candidates,
        support: tally.support.map(|x| i64::try_from(x).unwrap_or(i64::MAX)),
        long_term: tally.long_term.map(|x| i64::try_from(x).unwrap_or(i64::MAX)),
    };
    let population = tally.population[OTHER] + tally.population[NON_WESTERN];
    let ratio = if t.offentlig_forsoergelse > 0.0 { t.langvarige / t.offentlig_forsoergelse } else { 0.0 };
    let nw_support = weeks_of(t.ikke_vestlig, tally.population[NON_WESTERN]);
    let nw_long = weeks_of(t.ikke_vestlig * ratio, tally.population[NON_WESTERN]);
    fix.correct(NON_WESTERN, nw_support, Some(nw_long));
    let support = weeks_of(t.offentlig_forsoergelse, population) - fix.support[NON_WESTERN];
    let long_term = weeks_of(t.langvarige, population) - fix.long_term[NON_WESTERN];
    fix.correct(OTHER, support, Some(long_term));
}

/// Corrects activation so the municipality's calibration year meets the profile's shares.
pub(crate) fn correct_activation(plan: &Plan, slot: usize, chunks: &mut [Chunk], tally: &Tally) {
    let muni = &plan.munis[slot];
    let (ys, ye) = muni.year_weeks;
    let t = muni.profile.targets;
    let mut list = candidates(plan, muni, chunks, 0xAC);
    list.retain(|c| {
        let chunk = &chunks[c.chunk];
        year_bits(chunk.benefits.get(c.person), &[], ys, ye).base != 0
    });
    let probs = muni.design.activation.probs;
    let mut company_kinds: Vec<f64> =
        (0..5).map(|k| if ActivationKind::ALL[k].is_company_oriented() { probs[k] } else { 0.0 }).collect();
    if company_kinds.iter().sum::<f64>() <= 0.0 {
        company_kinds = ActivationKind::ALL.iter().map(|k| if k.is_company_oriented() { 1.0 } else { 0.0 }).collect();
    }
    for (target_pct, company) in [(t.virksomhedsrettet, true), (t.opkvalificering, false)] {
        let target = weeks_of(target_pct, tally.unemployed);
        let mut now = i64::try_from(if company { tally.company } else { tally.upskilling }).unwrap_or(i64::MAX);
        let in_class = move |a: &Act| {
            if company { a.kind.is_company_oriented() } else { a.kind == ActivationKind::Opkvalificering }
        };
        for c in &mut list {
            if now == target {
                break;
            }
            let chunk = &mut chunks[c.chunk];
            let spells = chunk.benefits.get(c.person);
            let mut acts = chunk.activations.get(c.person).to_vec();
            let bits = year_bits(spells, &acts, ys, ye);
            let serial = chunk.persons[c.person].serial;
            let mut rng = person_rng(plan.seed, muni.code, serial, CORRECTION + 3 + u64::from(company));
            if now < target {
                let free = bits.base & !bits.activation;
                if free == 0 {
                    continue;
                }
                let start = i32::try_from(free.trailing_zeros()).unwrap_or(0);
                let run = i32::try_from((free >> start).trailing_ones()).unwrap_or(0);
                let k = if company { pick(&mut rng, &company_kinds) } else { 3 };
                let drawn = plan.kit.activation[k].sample(&mut rng);
                let weeks = run.min(drawn).min(i32::try_from(target - now).unwrap_or(i32::MAX)).max(1);
                acts.push(Act { kind: ActivationKind::ALL[k], from: ys + start, to: ys + start + weeks });
                acts.sort_unstable_by_key(|a| a.from);
                now += i64::from(weeks);
            } else {
                let mine = if company { bits.company } else { bits.upskilling };
                if mine == 0 {
                    continue;
                }
                let excess = u32::try_from(now - target).unwrap_or(u32::MAX).min(mine.count_ones());
                let removed =
                    cut(&mut acts, ys, ye, excess, in_class, |a| (a.from, a.to), |a, from, to| Act { from, to, ..*a });
                now -= i64::from(removed);
            }
            chunk.activations.set(c.person, acts);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use indsats_domain::BenefitGroup;

    fn spell(group: BenefitGroup, from: i32, to: i32) -> Spell {
        Spell { group, from, to }
    }

    #[test]
    fn long_term_needs_42_of_52_weeks() {
        let ys = 1000;
        // On support from 30 weeks before the year: long-term from the 42nd week on.
        let bits = year_bits(&[spell(BenefitGroup::Kontanthjaelp, ys - 30, ys + 52)], &[], ys, ys + 52);
        assert_eq!(bits.support.count_ones(), 52);
        assert_eq!(bits.long_term.count_ones(), 52 - 11);
        assert_eq!(bits.long_term.trailing_zeros(), 11);
        // Parental leave is not public support.
        let bits = year_bits(&[spell(BenefitGroup::Barselsdagpenge, ys - 30, ys + 52)], &[], ys, ys + 52);
        assert_eq!(bits.support, 0);
    }

    #[test]
    fn cutting_removes_weeks_inside_the_year_only() {
        let mut spells = vec![spell(BenefitGroup::Sygedagpenge, 90, 130), spell(BenefitGroup::Efterloen, 10, 20)];
        let removed = cut(
            &mut spells,
            100,
            152,
            5,
            |s| s.group.is_public_support(),
            |s| (s.from, s.to),
            |s, a, b| Spell { from: a, to: b, ..*s },
        );
        assert_eq!(removed, 5);
        assert_eq!(spells, vec![spell(BenefitGroup::Efterloen, 10, 20), spell(BenefitGroup::Sygedagpenge, 90, 125),]);
        let mut spells = vec![spell(BenefitGroup::Fleksjob, 90, 200)];
        let removed =
            cut(&mut spells, 100, 152, 3, |_| true, |s| (s.from, s.to), |s, a, b| Spell { from: a, to: b, ..*s });
        assert_eq!(removed, 3);
        assert_eq!(spells, vec![spell(BenefitGroup::Fleksjob, 90, 149), spell(BenefitGroup::Fleksjob, 152, 200)]);
    }
}
