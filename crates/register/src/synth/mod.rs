//! A synthetic register: persons, residence, benefit and activation spells for chosen
//! municipalities and years, shaped like the real registers and calibrated to each
//! municipality's profile (`data/profiles.toml`).
//!
//! The model, in brief:
//! - **Population.** Each municipality starts with its population (`data/municipalities.csv`,
//!   times `scale`) on 1 January of the first year, drawn by origin from its profile and by age
//!   from an origin-specific pyramid. Children are born and immigrants arrive every year;
//!   persons die (Gompertz), emigrate, and move between the generated municipalities (mostly
//!   in their twenties, more often within their region).
//! - **Careers.** Lasting states (disability pension; flex job alternating with flex-job
//!   unemployment benefit) are entered at a drawn age, often after sickness, job clarification
//!   and a resource course; efterløn follows each cohort's efterløn age. Around them persons
//!   alternate between self-support and episodes: unemployment (a-dagpenge of months, or
//!   kontanthjælp when uninsured), assistance (uddannelseshjælp under 30, selvforsørgelses-
//!   ydelse in a refugee's first years, kontanthjælp), sickness benefit (mostly short; some
//!   beyond 22 weeks continue in job clarification) and rehabilitation. A frailty per person
//!   concentrates episodes on a few. Parental leave surrounds births of 20-45-year-olds.
//!   Activation (work placement, wage subsidy, utility work, upskilling, guidance) is placed
//!   inside spells on a-dagpenge, kontanthjælp, uddannelseshjælp and selvforsørgelsesydelse.
//! - **Calibration.** The design chooses, per municipality and for non-western immigrants and
//!   descendants and everyone else, the two rates (lasting states, episodes) whose stationary
//!   shares meet the profile in its calibration year; a correction pass then counts the drawn
//!   micro-data exactly as the engine does and redraws or trims the careers of a few
//!   residents until the figures meet the profile. The figures are always computed from the
//!   micro-data.
//! - **Determinism.** Each person draws from their own generator keyed by (seed, home
//!   municipality, serial), so the same configuration gives the same tables whatever the
//!   number of threads.

mod calibrate;
mod career;
mod design;
mod dist;
mod model;
mod population;
mod profile;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;
use std::num::NonZeroUsize;
use std::str::FromStr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{NaiveDate, TimeDelta};
use indsats_domain::{IsoWeek, Period};

pub use profile::{Targets, targets};

use crate::files::Tables;
use crate::{ActivationSpell, BenefitSpell, Person, Residence};
use career::{Act, Force, Spell};
use design::Design;
use dist::{ACTIVATION, CAREER, person_rng, to_u32};
use model::Kit;
use population::{PersonRec, ResRec};
use profile::{Data, Profile};

/// Which municipalities to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Municipalities {
    /// All 98.
    All,
    /// These codes.
    Only(Vec<u16>),
}

impl FromStr for Municipalities {
    type Err = SynthError;

    /// Reads `all` or a comma-separated list of codes such as `175,159`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("all") {
            return Ok(Municipalities::All);
        }
        let codes: Result<Vec<u16>, _> = t.split(',').map(|c| c.trim().parse::<u16>()).collect();
        match codes {
            Ok(codes) if !codes.is_empty() => Ok(Municipalities::Only(codes)),
            _ => Err(SynthError::InvalidList(s.to_owned())),
        }
    }
}

impl fmt::Display for Municipalities {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Municipalities::All => f.write_str("all"),
            Municipalities::Only(codes) => {
                let codes: Vec<String> = codes.iter().map(u16::to_string).collect();
                f.write_str(&codes.join(","))
            }
        }
    }
}

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthConfig {
    /// The municipalities; moves between municipalities stay among them.
    pub municipalities: Municipalities,
    /// The first year (ISO year) of spells and residence changes; one year before it is
    /// simulated too, so long-term support can be judged from the first week.
    pub from_year: i32,
    /// The last year.
    pub to_year: i32,
    /// The seed: the same configuration and seed give the same tables.
    pub seed: u64,
    /// Persons per real resident: 1.0 is the real population, 0.1 a tenth.
    pub scale: f64,
    /// Worker threads; 0 means one per available core. Never changes the result.
    pub threads: usize,
}

impl SynthConfig {
    /// The real population of `municipalities` in `from_year..=to_year`, on all cores.
    pub fn new(municipalities: Municipalities, from_year: i32, to_year: i32, seed: u64) -> Self {
        Self { municipalities, from_year, to_year, seed, scale: 1.0, threads: 0 }
    }
}

/// Why nothing could be generated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SynthError {
    /// A code that is not one of the 98 municipalities.
    #[error("unknown municipality code {0}: expected one of the 98 municipality codes, e.g. 175 or 159")]
    UnknownMunicipality(u16),
    /// A municipality list that cannot be read.
    #[error("invalid municipality list {0:?}: expected all or codes separated by commas, e.g. 175,159")]
    InvalidList(String),
    /// No municipality chosen.
    #[error("no municipality chosen")]
    NoMunicipalities,
    /// Years out of order or out of range.
    #[error("invalid years {from} to {to}: expected years from 1950 to 2100, the first not after the last")]
    InvalidYears {
        /// The first year.
        from: i32,
        /// The last year.
        to: i32,
    },
    /// A scale that is not a positive number of at most 10.
    #[error("invalid scale {0}: expected a number above 0 and at most 10")]
    InvalidScale(f64),
    /// A bundled data file is malformed (a build problem, not a user's).
    #[error("bundled data {file}: {message}")]
    Data {
        /// The file.
        file: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A spell outside the calendar the week type supports.
    #[error("week index {0} lies outside the supported calendar")]
    WeekOutOfRange(i32),
}

/// Generates the register tables for `config`.
///
/// Persons get ids 1, 2, ... in order of their home municipality's code. Each municipality is
/// calibrated to its profile (see [`targets`]) in the profile's year, or the nearest generated
/// year when the years do not include it; the other years follow from the same model.
pub fn generate(config: &SynthConfig) -> Result<Tables, SynthError> {
    let plan = Plan::new(config)?;
    let mut jobs = Vec::new();
    for (slot, m) in plan.munis.iter().enumerate() {
        let mut first = 0;
        while first < m.total {
            let end = m.total.min(first.saturating_add(CHUNK));
            jobs.push((slot, first, end));
            first = end;
        }
    }
    let chunks = par_map(plan.threads, &jobs, |&(slot, first, end)| generate_chunk(&plan, slot, first, end));
    let mut by_muni: Vec<Vec<Chunk>> = (0..plan.munis.len()).map(|_| Vec::new()).collect();
    for chunk in chunks {
        by_muni[chunk.muni].push(chunk);
    }

    let tally = calibrate::tally(&plan, &all_chunks(&by_muni));
    par_for_each_mut(plan.threads, &mut by_muni, |slot, chunks| {
        calibrate::correct_benefits(&plan, slot, chunks, &tally[slot]);
    });
    {
        let mut all: Vec<&mut Chunk> = by_muni.iter_mut().flatten().collect();
        par_for_each_mut(plan.threads, &mut all, |_, chunk| activate(&plan, chunk));
    }
    let tally = calibrate::tally(&plan, &all_chunks(&by_muni));
    par_for_each_mut(plan.threads, &mut by_muni, |slot, chunks| {
        calibrate::correct_activation(&plan, slot, chunks, &tally[slot]);
    });
    output(&plan, &all_chunks(&by_muni))
}

/// Persons a worker generates at a time.
const CHUNK: u32 = 8192;

fn all_chunks(by_muni: &[Vec<Chunk>]) -> Vec<&Chunk> {
    by_muni.iter().flatten().collect()
}

/// Everything fixed before the first person is drawn.
pub(crate) struct Plan {
    pub seed: u64,
    pub threads: usize,
    pub data: &'static Data,
    pub kit: Kit,
    pub munis: Vec<MuniPlan>,
    slots: Vec<u8>,
    pub from_year: i32,
    pub to_year: i32,
    /// 1 January of the first year: the residents are drawn as of that day.
    pub reference: NaiveDate,
    /// The last day of the last week of the last year.
    pub end_date: NaiveDate,
    /// The first week after the last year, and the week the simulation of careers starts
    /// (a year before the first year).
    pub w_end: i32,
    pub sim_start: i32,
    year_starts: Vec<(i32, i32)>,
}

/// One municipality's share of the plan.
pub(crate) struct MuniPlan {
    pub code: u16,
    /// Residents at the start, births and arrivals a year, and all persons generated.
    pub stock: u32,
    pub births: u32,
    pub arrivals: u32,
    pub total: u32,
    pub profile: Profile,
    pub design: Design,
    /// The calibration year's weeks, `start..end`.
    pub year_weeks: (i32, i32),
    /// Where movers go: cumulative chances and codes.
    pub destinations: Vec<(f64, u16)>,
    /// Factor on the age-specific moving rate: flows between any two municipalities balance
    /// (`P_a * rate_a * share_a->b = P_b * rate_b * share_b->a`), the average over all residents
    /// of all municipalities is the rate in the data file, and moves to municipalities not
    /// generated do not happen.
    pub move_factor: f64,
}

impl MuniPlan {
    /// The destination of a move for a uniform draw `u`.
    pub fn destination(&self, u: f64) -> u16 {
        let i = self.destinations.partition_point(|d| d.0 <= u).min(self.destinations.len().saturating_sub(1));
        self.destinations.get(i).map_or(self.code, |d| d.1)
    }
}

const NO_SLOT: u8 = u8::MAX;

impl Plan {
    fn new(config: &SynthConfig) -> Result<Self, SynthError> {
        let data = profile::data()?;
        let (from, to) = (config.from_year, config.to_year);
        if !(1950..=2100).contains(&from) || !(1950..=2100).contains(&to) || from > to {
            return Err(SynthError::InvalidYears { from, to });
        }
        if !(config.scale.is_finite() && config.scale > 0.0 && config.scale <= 10.0) {
            return Err(SynthError::InvalidScale(config.scale));
        }
        let mut codes = match &config.municipalities {
            Municipalities::All => data.municipalities.iter().map(|m| m.code).collect(),
            Municipalities::Only(codes) => codes.clone(),
        };
        codes.sort_unstable();
        codes.dedup();
        if codes.is_empty() {
            return Err(SynthError::NoMunicipalities);
        }
        let infos = codes.iter().map(|&c| data.municipality(c)).collect::<Result<Vec<_>, _>>()?;
        let kit = Kit::new(&data.model);
        let munis = muni_plans(data, &kit, &infos, config.scale, (from, to));
        let mut slots = vec![NO_SLOT; 1000];
        for (i, m) in munis.iter().enumerate() {
            slots[usize::from(m.code)] = u8::try_from(i).unwrap_or(NO_SLOT);
        }
        let w_start = Period::Year(from).week_indices().start;
        let w_end = Period::Year(to).week_indices().end;
        let end_date = IsoWeek::from_index(w_end - 1)
            .map(|w| w.monday() + TimeDelta::days(6))
            .ok_or(SynthError::WeekOutOfRange(w_end))?;
        let year_starts = (from - 3..=to + 1).map(|y| (y, Period::Year(y).week_indices().start)).collect();
        Ok(Self {
            seed: config.seed,
            threads: match config.threads {
                0 => std::thread::available_parallelism().map_or(1, NonZeroUsize::get),
                n => n,
            },
            data,
            kit,
            munis,
            slots,
            from_year: from,
            to_year: to,
            reference: NaiveDate::from_ymd_opt(from, 1, 1).ok_or(SynthError::InvalidYears { from, to })?,
            end_date,
            w_end,
            sim_start: w_start - 52,
            year_starts,
        })
    }

    /// The position of a municipality in [`Plan::munis`].
    pub fn slot(&self, code: u16) -> Option<usize> {
        match self.slots.get(usize::from(code)) {
            Some(&s) if s != NO_SLOT => Some(usize::from(s)),
            _ => None,
        }
    }

    /// The ISO year of a week (close to the generated years).
    pub fn year_of(&self, week: i32) -> i32 {
        let i = self.year_starts.partition_point(|y| y.1 <= week);
        self.year_starts.get(i.saturating_sub(1)).map_or(self.from_year, |y| y.0)
    }

    /// Whether a person born on `birth` is 16-66 at some time in the generated years.
    pub fn may_count(&self, birth: NaiveDate) -> bool {
        use chrono::Datelike;
        (self.from_year - 68..=self.to_year - 15).contains(&birth.year())
    }
}

/// The plan of each chosen municipality: sizes, profile, design and where movers go.
fn muni_plans(
    data: &Data,
    kit: &Kit,
    infos: &[&profile::MunicipalityInfo],
    scale: f64,
    years: (i32, i32),
) -> Vec<MuniPlan> {
    let pop = &data.population;
    let (from, to) = years;
    let n_years = u32::try_from(to - from + 1).unwrap_or(1);
    let nearness = |a: &profile::MunicipalityInfo, b: &profile::MunicipalityInfo| {
        if a.region == b.region { pop.same_region } else { 1.0 }
    };
    // Flows a -> b are proportional to P_a * P_b * nearness(a, b), the same both ways, scaled so
    // that with every municipality generated the average resident moves at the file's rate;
    // with fewer, only the moves that would go to one of them happen.
    let pull_all = |a: &profile::MunicipalityInfo| -> f64 {
        data.municipalities.iter().filter(|o| o.code != a.code).map(|o| f64::from(o.population) * nearness(a, o)).sum()
    };
    let residents: f64 = data.municipalities.iter().map(|i| f64::from(i.population)).sum();
    let weighted: f64 = data.municipalities.iter().map(|i| f64::from(i.population) * pull_all(i)).sum();
    let mut designs: Vec<(Profile, i32, Design)> = Vec::new();
    let mut munis = Vec::with_capacity(infos.len());
    for &info in infos {
        let profile = data.profile(info.code);
        let year = profile.targets.year.clamp(from, to);
        let design = if let Some(d) = designs.iter().find(|d| d.0 == profile && d.1 == year) {
            d.2
        } else {
            let d = design::design(kit, pop, &profile, year);
            designs.push((profile, year, d));
            d
        };
        let stock = to_u32(f64::from(info.population) * scale);
        let births = to_u32(f64::from(stock) * pop.births / 100.0);
        let arrivals = to_u32(f64::from(stock) * pop.arrivals / 100.0);
        let weights: Vec<(f64, u16)> = infos
            .iter()
            .filter(|o| o.code != info.code)
            .map(|o| (f64::from(o.population) * nearness(info, o), o.code))
            .collect();
        let pull: f64 = weights.iter().map(|w| w.0).sum();
        let mut acc = 0.0;
        let destinations = weights
            .into_iter()
            .map(|(w, code)| {
                acc += w / pull;
                (acc, code)
            })
            .collect();
        let year_weeks = Period::Year(year).week_indices();
        munis.push(MuniPlan {
            code: info.code,
            stock,
            births,
            arrivals,
            total: stock.saturating_add(n_years.saturating_mul(births + arrivals)),
            profile,
            design,
            year_weeks: (year_weeks.start, year_weeks.end),
            destinations,
            move_factor: if weighted > 0.0 { pull * residents / weighted } else { 0.0 },
        });
    }
    munis
}

/// Rows of variable length, stored flat; a few rows may be replaced later.
#[derive(Debug, Clone)]
pub(crate) struct Ragged<T> {
    items: Vec<T>,
    offsets: Vec<u32>,
    replaced: BTreeMap<u32, Vec<T>>,
}

impl<T> Default for Ragged<T> {
    fn default() -> Self {
        Self { items: Vec::new(), offsets: vec![0], replaced: BTreeMap::new() }
    }
}

impl<T> Ragged<T> {
    pub fn push(&mut self, row: Vec<T>) {
        self.items.extend(row);
        self.offsets.push(u32::try_from(self.items.len()).unwrap_or(u32::MAX));
    }

    pub fn get(&self, i: usize) -> &[T] {
        let key = u32::try_from(i).unwrap_or(u32::MAX);
        if let Some(row) = self.replaced.get(&key) {
            return row;
        }
        let at = |k: usize| self.offsets.get(k).map_or(0, |&o| o as usize);
        self.items.get(at(i)..at(i + 1)).unwrap_or(&[])
    }

    pub fn set(&mut self, i: usize, row: Vec<T>) {
        self.replaced.insert(u32::try_from(i).unwrap_or(u32::MAX), row);
    }
}

/// A run of persons of one municipality, with everything drawn for them.
pub(crate) struct Chunk {
    /// The slot of the home municipality.
    pub muni: usize,
    pub persons: Vec<PersonRec>,
    pub residences: Vec<ResRec>,
    pub benefits: Ragged<Spell>,
    pub activations: Ragged<Act>,
}

impl Chunk {
    pub fn residences_of(&self, i: usize) -> &[ResRec] {
        let p = &self.persons[i];
        let start = p.res_start as usize;
        self.residences.get(start..start + p.res_len as usize).unwrap_or(&[])
    }
}

fn generate_chunk(plan: &Plan, slot: usize, first: u32, end: u32) -> Chunk {
    let muni = &plan.munis[slot];
    let n = (end - first) as usize;
    let mut chunk = Chunk {
        muni: slot,
        persons: Vec::with_capacity(n),
        residences: Vec::with_capacity(n + n / 8),
        benefits: Ragged::default(),
        activations: Ragged::default(),
    };
    for serial in first..end {
        let rec = population::person(plan, muni, serial, &mut chunk.residences);
        let mut rng = person_rng(plan.seed, muni.code, serial, CAREER);
        let spells = career::Person::new(plan, muni, &rec).benefits(&mut rng, Force::Natural);
        chunk.benefits.push(spells);
        chunk.persons.push(rec);
    }
    chunk
}

fn activate(plan: &Plan, chunk: &mut Chunk) {
    let muni = &plan.munis[chunk.muni];
    let mut activations = Ragged::default();
    for (i, p) in chunk.persons.iter().enumerate() {
        let mut rng = person_rng(plan.seed, muni.code, p.serial, ACTIVATION);
        activations.push(career::activations(plan, muni, chunk.benefits.get(i), &mut rng));
    }
    chunk.activations = activations;
}

fn week(index: i32) -> Result<IsoWeek, SynthError> {
    IsoWeek::from_index(index).ok_or(SynthError::WeekOutOfRange(index))
}

/// One chunk's rows of each output table.
struct Rows<'a> {
    chunk: &'a Chunk,
    first_id: i64,
    persons: &'a mut [Person],
    residences: &'a mut [Residence],
    benefits: &'a mut [BenefitSpell],
    activations: &'a mut [ActivationSpell],
}

impl Rows<'_> {
    fn fill(&mut self) -> Result<(), SynthError> {
        let chunk = self.chunk;
        let (mut r, mut b, mut a) = (0, 0, 0);
        for (i, p) in chunk.persons.iter().enumerate() {
            let id = self.first_id + i64::try_from(i).unwrap_or(i64::MAX);
            self.persons[i] = Person { id, birth_date: p.birth, sex: p.sex, origin: p.origin };
            for res in chunk.residences_of(i) {
                self.residences[r] =
                    Residence { person_id: id, municipality: res.municipality, from: res.from, to: res.to };
                r += 1;
            }
            for s in chunk.benefits.get(i) {
                self.benefits[b] =
                    BenefitSpell { person_id: id, group: s.group, from: week(s.from)?, to: week(s.to - 1)? };
                b += 1;
            }
            for act in chunk.activations.get(i) {
                self.activations[a] =
                    ActivationSpell { person_id: id, kind: act.kind, from: week(act.from)?, to: week(act.to - 1)? };
                a += 1;
            }
        }
        Ok(())
    }
}

/// Splits `rows` into consecutive pieces of the given lengths.
fn pieces<T>(mut rows: &mut [T], lengths: impl Iterator<Item = usize>) -> Vec<&mut [T]> {
    let mut out = Vec::new();
    for n in lengths {
        let (head, tail) = std::mem::take(&mut rows).split_at_mut(n);
        out.push(head);
        rows = tail;
    }
    out
}

/// The output tables, written straight into place by the workers (no copies of the whole).
fn output(plan: &Plan, chunks: &[&Chunk]) -> Result<Tables, SynthError> {
    let counts: Vec<[usize; 4]> = chunks
        .iter()
        .map(|c| {
            let n = c.persons.len();
            [
                n,
                c.residences.len(),
                (0..n).map(|i| c.benefits.get(i).len()).sum(),
                (0..n).map(|i| c.activations.get(i).len()).sum(),
            ]
        })
        .collect();
    let total = |k: usize| counts.iter().map(|c| c[k]).sum::<usize>();
    let day = plan.reference;
    let week0 = week(plan.w_end - 1)?;
    let person = Person { id: 0, birth_date: day, sex: indsats_domain::Sex::M, origin: indsats_domain::Origin::Dansk };
    let residence = Residence { person_id: 0, municipality: 0, from: day, to: None };
    let benefit = BenefitSpell { person_id: 0, group: indsats_domain::BenefitGroup::ADagpenge, from: week0, to: week0 };
    let activation =
        ActivationSpell { person_id: 0, kind: indsats_domain::ActivationKind::Vejledning, from: week0, to: week0 };
    let mut out = Tables {
        persons: vec![person; total(0)],
        residences: vec![residence; total(1)],
        benefits: vec![benefit; total(2)],
        activations: vec![activation; total(3)],
    };
    let mut first_ids = Vec::with_capacity(chunks.len());
    let mut next = 1_i64;
    for c in &counts {
        first_ids.push(next);
        next += i64::try_from(c[0]).unwrap_or(i64::MAX);
    }
    let persons = pieces(&mut out.persons, counts.iter().map(|c| c[0]));
    let residences = pieces(&mut out.residences, counts.iter().map(|c| c[1]));
    let benefits = pieces(&mut out.benefits, counts.iter().map(|c| c[2]));
    let activations = pieces(&mut out.activations, counts.iter().map(|c| c[3]));
    let mut rows: Vec<Rows<'_>> = chunks
        .iter()
        .zip(first_ids)
        .zip(persons.into_iter().zip(residences).zip(benefits.into_iter().zip(activations)))
        .map(|((&chunk, first_id), ((persons, residences), (benefits, activations)))| Rows {
            chunk,
            first_id,
            persons,
            residences,
            benefits,
            activations,
        })
        .collect();
    // The first failing chunk's error, whichever thread finds it.
    let failed: Mutex<Option<(usize, SynthError)>> = Mutex::new(None);
    par_for_each_mut(plan.threads, &mut rows, |i, r| {
        if let Err(e) = r.fill() {
            let mut failed = failed.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if failed.as_ref().is_none_or(|f| f.0 > i) {
                *failed = Some((i, e));
            }
        }
    });
    drop(rows);
    match failed.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner) {
        Some((_, e)) => Err(e),
        None => Ok(out),
    }
}

/// `f` applied to every item on `threads` threads; results in the items' order.
pub(crate) fn par_map<T: Sync, R: Send>(threads: usize, items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads.min(items.len()).max(1);
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut out = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            out.push((i, f(item)));
        }
        out
    };
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    });
    results.sort_unstable_by_key(|r| r.0);
    results.into_iter().map(|r| r.1).collect()
}

/// `f(index, item)` for every item on `threads` threads.
pub(crate) fn par_for_each_mut<T: Send>(threads: usize, items: &mut [T], f: impl Fn(usize, &mut T) + Sync) {
    let threads = threads.min(items.len()).max(1);
    if threads == 1 {
        for (i, item) in items.iter_mut().enumerate() {
            f(i, item);
        }
        return;
    }
    let queue = Mutex::new(items.iter_mut().enumerate());
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    loop {
                        let next = queue.lock().unwrap_or_else(std::sync::PoisonError::into_inner).next();
                        let Some((i, item)) = next else { break };
                        f(i, item);
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        }
    });
}
