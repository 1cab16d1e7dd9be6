//! The indicator engine: person-weeks counted as intervals, never week by week.
//!
//! For each person the engine builds, in week indices, the intervals in which the person
//! counts at all: residence (by the Thursday rule) intersected with the age segments
//! between the birthdays at which the person's categories change (16, 20, 25, 30, 40, 50,
//! 60, 67). Every measure (a benefit, being on any public support, long-term support, the
//! unemployed, activation) is a sorted list of disjoint intervals; intersecting it with
//! those segments gives pieces that are added to a dense accumulator indexed by
//! (municipality, period, measure, category), in the segment's municipality and the country.
//!
//! A piece covers at most two periods partly (its first and last); those get their weeks
//! added directly, and a cell remembers the last person that touched it so distinct
//! persons are counted without sets. The periods in between are covered whole, and since
//! one measure's pieces never overlap, no other piece of the same person reaches those
//! cells: they get +1 in a difference array over periods, and one prefix sum at the end
//! turns that into persons and weeks. So a ten-year spell costs the same in a weekly panel
//! as in a yearly one.
//!
//! Threads take chunks of persons from a shared counter and each fills its own
//! accumulator; since a person is only ever in one chunk, the threads' counts simply add
//! up. The accumulator has 16 bytes per cell: for 98 municipalities and the country,
//! 40 quarters and 10 years, 20 measures and 16 categories that is 1.6 million cells,
//! about 26 MB per thread (ten years of weeks: 16.5 million cells, 264 MB per thread).

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};

use indsats_domain::Period;
use indsats_domain::benefit::{ActivationKind, BenefitGroup};
use indsats_domain::person::{Origin, Sex, birthday};
use indsats_domain::week::{first_week_thursday_on_or_after, last_week_thursday_on_or_before};

use crate::RegisterError;
use crate::dataset::Dataset;
use crate::indicator::{AgeBand, Category, Indicator, MAX_AGE, MIN_AGE, Subject};
use crate::panel::{self, PanelRow, PeriodRange, WHOLE_COUNTRY};

/// Measures, the numerators and denominators the indicators are built from.
/// 0 is the population, 1 + [`crate::Subject::index`] the subjects (benefits, public support, long-term).
/// Public support is the union of the public benefits, which gives its persons; its weeks,
/// which count a person on two benefits twice, are the sum of those benefits' weeks.
const POPULATION: usize = 0;
const PUBLIC_SUPPORT: usize = 1 + 14;
const LONG_TERM: usize = 1 + 15;
const UNEMPLOYED: usize = 17;
const COMPANY: usize = 18;
const UPSKILLING: usize = 19;
const MEASURES: usize = 20;
const CATEGORIES: usize = Category::ALL.len();

/// The window of the long-term rule, and how many of its weeks must be on support.
const WINDOW: i32 = 52;
const LONG_TERM_WEEKS: i32 = 42;

/// Settings that change how fast the engine runs, never what it computes.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Worker threads; 0 means one per available core.
    pub threads: usize,
    /// Persons a thread takes at a time.
    pub chunk: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self { threads: 0, chunk: 4096 }
    }
}

/// Computes the panel for the requested ranges (at most one per period kind).
///
/// Rows come ordered by period kind, municipality (`000` first), period, indicator and
/// category, the same order as [`crate::reference::compute`].
pub fn compute(data: &Dataset, ranges: &[PeriodRange], options: &Options) -> Result<Vec<PanelRow>, RegisterError> {
    let layout = Layout::new(data, &panel::sorted_ranges(ranges)?);
    let persons = data.persons().len();
    let chunk = options.chunk.max(1);
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(1, NonZeroUsize::get),
        n => n,
    }
    .min(persons.div_ceil(chunk))
    .max(1);

    let next = AtomicUsize::new(0);
    let work = || {
        let mut acc = Accumulator::new(layout.cells());
        let mut scratch = Scratch::default();
        loop {
            let start = next.fetch_add(chunk, Ordering::Relaxed);
            if start >= persons {
                break;
            }
            for i in start..persons.min(start + chunk) {
                acc.add_person(&layout, data, i, &mut scratch);
            }
        }
        acc
    };
    let mut accumulators: Vec<Accumulator> = if threads == 1 {
        vec![work()]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
            handles.into_iter().map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
        })
    };
    let mut total = accumulators.pop().unwrap_or_else(|| Accumulator::new(layout.cells()));
    for other in accumulators {
        total.merge(&other);
    }
    total.finish(&layout);
    Ok(layout.rows(data, &total))
}

/// The periods of one requested range and the week indices where they start.
struct RangeLayout {
    periods: Vec<Period>,
    /// `bounds[k]..bounds[k + 1]` are the weeks of `periods[k]`.
    bounds: Vec<i32>,
    first_slot: usize,
}

/// The shape of the accumulator and the rules that do not depend on the person.
struct Layout {
    ranges: Vec<RangeLayout>,
    periods: usize,
    /// Slot 0 is the whole country, slot 1 + i the i-th of [`Dataset::municipalities`].
    municipalities: usize,
    /// The weeks any requested period covers: `start..end`.
    start: i32,
    end: i32,
    /// Ages at which some category changes, ascending: 16, 20, 25, 30, 40, 50, 60, 67.
    breaks: Vec<u32>,
    /// The categories of each sex and origin (see [`kind`]) in each age segment, worked out
    /// once here because doing it per person cost a tenth of the engine's time.
    kinds: Vec<CategoryTable>,
}

/// For one sex and origin: `categories[ranges[j].0..ranges[j].1]` are the categories of
/// someone between break ages `j` and `j + 1`.
#[derive(Default)]
struct CategoryTable {
    categories: Vec<usize>,
    ranges: Vec<(usize, usize)>,
}

/// The index of a sex and origin in [`Layout::kinds`].
fn kind(sex: Sex, origin: Origin) -> usize {
    sex as usize * Origin::ALL.len() + origin as usize
}

impl Layout {
    fn new(data: &Dataset, ranges: &[PeriodRange]) -> Self {
        let mut out = Vec::with_capacity(ranges.len());
        let mut slots = 0;
        for range in ranges {
            let periods: Vec<Period> = range.periods().collect();
            let mut bounds: Vec<i32> = periods.iter().map(|p| p.week_indices().start).collect();
            bounds.push(periods.last().map_or(0, |p| p.week_indices().end));
            let first_slot = slots;
            slots += periods.len();
            out.push(RangeLayout { periods, bounds, first_slot });
        }
        let start = out.iter().filter_map(|r| r.bounds.first().copied()).min().unwrap_or(0);
        let end = out.iter().filter_map(|r| r.bounds.last().copied()).max().unwrap_or(0);

        let mut breaks: Vec<u32> = AgeBand::ALL
            .into_iter()
            .flat_map(|band| {
                let (lo, hi) = band.bounds();
                [lo, hi + 1]
            })
            .chain([MIN_AGE, MAX_AGE + 1])
            .filter_map(|age| u32::try_from(age).ok())
            .collect();
        breaks.sort_unstable();
        breaks.dedup();

        let mut kinds: Vec<CategoryTable> =
            (0..Sex::ALL.len() * Origin::ALL.len()).map(|_| CategoryTable::default()).collect();
        for sex in Sex::ALL {
            for origin in Origin::ALL {
                let table = &mut kinds[kind(sex, origin)];
                for &age in &breaks[..breaks.len() - 1] {
                    let age = i32::try_from(age).unwrap_or(i32::MAX);
                    let first = table.categories.len();
                    table.categories.extend(
                        Category::ALL.into_iter().filter(|c| c.includes(age, sex, origin)).map(Category::index),
                    );
                    table.ranges.push((first, table.categories.len()));
                }
            }
        }

        Self { ranges: out, periods: slots, municipalities: 1 + data.municipalities().len(), start, end, breaks, kinds }
    }

    fn cells(&self) -> usize {
        self.municipalities * self.periods * MEASURES * CATEGORIES
    }

    /// The first cell of (municipality slot, period slot, measure); categories follow it.
    fn cell(&self, municipality: usize, period: usize, measure: usize) -> usize {
        ((municipality * self.periods + period) * MEASURES + measure) * CATEGORIES
    }

    fn rows(&self, data: &Dataset, acc: &Accumulator) -> Vec<PanelRow> {
        let mut rows = Vec::new();
        for range in &self.ranges {
            for slot in 0..self.municipalities {
                let municipality = if slot == 0 { WHOLE_COUNTRY } else { data.municipalities()[slot - 1] };
                for (k, &period) in range.periods.iter().enumerate() {
                    let weeks_in_period = u64::from(period.weeks());
                    let at = |measure: usize, category: usize| {
                        &acc.cells[self.cell(slot, range.first_slot + k, measure) + category]
                    };
                    let subject_weeks = |subject: Subject, category: usize| match subject {
                        Subject::OffentligForsoergelse => BenefitGroup::ALL
                            .into_iter()
                            .filter(|g| g.is_public_support())
                            .map(|g| u64::from(at(1 + g.index(), category).weeks))
                            .sum(),
                        _ => u64::from(at(1 + subject.index(), category).weeks),
                    };
                    for indicator in Indicator::ALL {
                        for category in Category::ALL {
                            let c = category.index();
                            let population = u64::from(at(POPULATION, c).weeks);
                            if population == 0 {
                                continue;
                            }
                            let (measure, value) = match indicator {
                                Indicator::Befolkning => (POPULATION, panel::full_time(population, weeks_in_period)),
                                Indicator::Fuldtid(subject) => {
                                    (1 + subject.index(), panel::full_time(subject_weeks(subject, c), weeks_in_period))
                                }
                                Indicator::Andel(subject) => {
                                    (1 + subject.index(), panel::share(subject_weeks(subject, c), population))
                                }
                                Indicator::Virksomhedsrettet | Indicator::Opkvalificering => {
                                    let unemployed = u64::from(at(UNEMPLOYED, c).weeks);
                                    if unemployed == 0 {
                                        continue;
                                    }
                                    let m =
                                        if indicator == Indicator::Virksomhedsrettet { COMPANY } else { UPSKILLING };
                                    (m, panel::share(u64::from(at(m, c).weeks), unemployed))
                                }
                            };
                            let persons = at(measure, c).persons;
                            rows.push(PanelRow { municipality, period, indicator, category, value, persons });
                        }
                    }
                }
            }
        }
        rows
    }
}

/// One (municipality, period, measure, category) count of the accumulator. It is 16 bytes so
/// all four counters share a cache line: the engine's time goes into reaching cells, not into
/// adding. 32-bit weeks suffice below [`crate::dataset::MAX_PERSONS`].
#[derive(Clone, Copy)]
struct Cell {
    weeks: u32,
    persons: u32,
    /// The last person counted in `persons`; `u32::MAX` for none.
    stamp: u32,
    /// The change from the previous period in the number of this accumulator's persons
    /// covering the whole period; [`Accumulator::finish`] adds it up into `weeks` and `persons`.
    whole: i32,
}

struct Accumulator {
    cells: Vec<Cell>,
}

/// A stretch of weeks in which a person lives in one municipality and has one set of categories.
#[derive(Clone, Copy)]
struct Segment {
    start: i32,
    end: i32,
    municipality: usize,
    /// Which age segment: an index into [`CategoryTable::ranges`].
    ages: usize,
}

/// Buffers reused from person to person, so the hot loop does not allocate.
#[derive(Default)]
struct Scratch {
    turning: Vec<i32>,
    segments: Vec<Segment>,
    group: Vec<(i32, i32)>,
    public: Vec<(i32, i32)>,
    unemployed: Vec<(i32, i32)>,
    company: Vec<(i32, i32)>,
    upskilling: Vec<(i32, i32)>,
    long_term: Vec<(i32, i32)>,
    both: Vec<(i32, i32)>,
    points: Vec<i32>,
}

/// The parts of a person's scratch the accumulator reads while other parts are being filled.
struct PersonView<'a> {
    segments: &'a [Segment],
    categories: &'a [usize],
    category_ranges: &'a [(usize, usize)],
    stamp: u32,
}

impl Accumulator {
    fn new(cells: usize) -> Self {
        Self { cells: vec![Cell { weeks: 0, persons: 0, stamp: u32::MAX, whole: 0 }; cells] }
    }

    fn merge(&mut self, other: &Accumulator) {
        for (a, b) in self.cells.iter_mut().zip(&other.cells) {
            a.weeks += b.weeks;
            a.persons += b.persons;
            a.whole += b.whole;
        }
    }

    /// Turns the difference arrays into persons and weeks of whole periods.
    fn finish(&mut self, layout: &Layout) {
        let block = MEASURES * CATEGORIES;
        let mut running = vec![0i64; block];
        for municipality in 0..layout.municipalities {
            for range in &layout.ranges {
                running.fill(0);
                for (k, pair) in range.bounds.windows(2).enumerate() {
                    let weeks = u64::from((pair[1] - pair[0]).unsigned_abs());
                    let at = layout.cell(municipality, range.first_slot + k, 0);
                    for (run, cell) in running.iter_mut().zip(&mut self.cells[at..at + block]) {
                        *run += i64::from(cell.whole);
                        // A running count is a number of persons, never negative, and below
                        // MAX_PERSONS, so neither sum can reach u32::MAX.
                        let persons = run.unsigned_abs();
                        cell.weeks += u32::try_from(persons * weeks).unwrap_or(u32::MAX);
                        cell.persons += u32::try_from(persons).unwrap_or(u32::MAX);
                    }
                }
            }
        }
    }

    #[expect(
        clippy::too_many_lines,
        reason = "the engine's innermost loop over one person's pieces; split, its scratch buffers would cross calls"
    )]
    fn add_person(&mut self, layout: &Layout, data: &Dataset, i: usize, s: &mut Scratch) {
        let person = data.persons()[i];
        // Dataset::new refuses more persons than fit below u32::MAX.
        let Ok(stamp) = u32::try_from(i) else { return };

        // Week indices from which the person has reached each break age (by the Thursday rule).
        s.turning.clear();
        s.turning.extend(
            layout
                .breaks
                .iter()
                .map(|&age| birthday(person.birth_date, age).map_or(i32::MAX, first_week_thursday_on_or_after)),
        );

        s.segments.clear();
        for r in data.residences_of(i) {
            let lo = first_week_thursday_on_or_after(r.from).max(layout.start);
            let hi = r.to.map_or(i32::MAX, |to| last_week_thursday_on_or_before(to).saturating_add(1)).min(layout.end);
            if lo >= hi {
                continue;
            }
            let Ok(slot) = data.municipalities().binary_search(&r.municipality) else { continue };
            for (j, pair) in s.turning.windows(2).enumerate() {
                let (start, end) = (lo.max(pair[0]), hi.min(pair[1]));
                if start < end {
                    s.segments.push(Segment { start, end, municipality: 1 + slot, ages: j });
                }
            }
        }
        if s.segments.is_empty() {
            return;
        }
        // Residence spells do not overlap, so sorting by start leaves segments disjoint and in order.
        s.segments.sort_unstable_by_key(|seg| seg.start);

        let table = &layout.kinds[kind(person.sex, person.origin)];
        let view =
            PersonView { segments: &s.segments, categories: &table.categories, category_ranges: &table.ranges, stamp };

        for seg in view.segments {
            self.add_piece(layout, &view, *seg, seg.start, seg.end, POPULATION);
        }

        // Benefits come sorted by group and start, so each group's spells merge in one pass.
        let lookback = layout.start - (WINDOW - 1);
        s.public.clear();
        s.unemployed.clear();
        let spells = data.benefits_of(i);
        let mut k = 0;
        while k < spells.len() {
            let group = spells[k].group;
            s.group.clear();
            while k < spells.len() && spells[k].group == group {
                push_merged(&mut s.group, spells[k].from.index(), spells[k].to.index() + 1);
                k += 1;
            }
            self.add_intervals(layout, &view, &s.group, 1 + group.index());
            if group.is_public_support() {
                push_clipped(&mut s.public, &s.group, lookback, layout.end);
            }
            if group.is_activation_base() {
                push_clipped(&mut s.unemployed, &s.group, layout.start, layout.end);
            }
        }

        if !s.public.is_empty() {
            normalize(&mut s.public);
            self.add_intervals(layout, &view, &s.public, PUBLIC_SUPPORT);
            long_term(&s.public, &mut s.points, &mut s.long_term);
            self.add_intervals(layout, &view, &s.long_term, LONG_TERM);
        }

        if !s.unemployed.is_empty() {
            normalize(&mut s.unemployed);
            self.add_intervals(layout, &view, &s.unemployed, UNEMPLOYED);
            s.company.clear();
            s.upskilling.clear();
            for a in data.activations_of(i) {
                let target = if a.kind.is_company_oriented() {
                    &mut s.company
                } else if a.kind == ActivationKind::Opkvalificering {
                    &mut s.upskilling
                } else {
                    continue;
                };
                target.push((a.from.index(), a.to.index() + 1));
            }
            for (activation, measure) in [(&mut s.company, COMPANY), (&mut s.upskilling, UPSKILLING)] {
                if activation.is_empty() {
                    continue;
                }
                normalize(activation);
                intersect(&s.unemployed, activation, &mut s.both);
                self.add_intervals(layout, &view, &s.both, measure);
            }
        }
    }

    /// Adds the part of each interval (sorted, disjoint) that falls in the person's segments.
    fn add_intervals(&mut self, layout: &Layout, view: &PersonView<'_>, intervals: &[(i32, i32)], measure: usize) {
        let (mut i, mut j) = (0, 0);
        while i < intervals.len() && j < view.segments.len() {
            let (a, b) = intervals[i];
            let seg = view.segments[j];
            let (lo, hi) = (a.max(seg.start), b.min(seg.end));
            if lo < hi {
                self.add_piece(layout, view, seg, lo, hi, measure);
            }
            if b < seg.end {
                i += 1;
            } else {
                j += 1;
            }
        }
    }

    /// Adds weeks `lo..hi` (inside `seg`) of one measure to the periods they overlap, in the
    /// segment's municipality and the whole country, for each of the person's categories.
    fn add_piece(&mut self, layout: &Layout, view: &PersonView<'_>, seg: Segment, lo: i32, hi: i32, measure: usize) {
        let (first, last) = view.category_ranges[seg.ages];
        let categories = &view.categories[first..last];
        for range in &layout.ranges {
            let bounds = &range.bounds;
            let (Some(&range_start), Some(&range_end)) = (bounds.first(), bounds.last()) else { continue };
            let (a, b) = (lo.max(range_start), hi.min(range_end));
            if a >= b {
                continue;
            }
            // The periods holding the first and the last week.
            let k0 = bounds.partition_point(|&x| x <= a) - 1;
            let k1 = bounds.partition_point(|&x| x < b) - 1;
            for municipality in [0, seg.municipality] {
                if k0 == k1 {
                    self.add_weeks(
                        layout.cell(municipality, range.first_slot + k0, measure),
                        categories,
                        b - a,
                        view.stamp,
                    );
                    continue;
                }
                let head = layout.cell(municipality, range.first_slot + k0, measure);
                self.add_weeks(head, categories, bounds[k0 + 1] - a, view.stamp);
                let tail = layout.cell(municipality, range.first_slot + k1, measure);
                self.add_weeks(tail, categories, b - bounds[k1], view.stamp);
                if k0 + 1 < k1 {
                    let inner = layout.cell(municipality, range.first_slot + k0 + 1, measure);
                    for &c in categories {
                        self.cells[inner + c].whole += 1;
                        self.cells[tail + c].whole -= 1;
                    }
                }
            }
        }
    }

    /// Adds `weeks` to the cells `at + c` for each category `c`, counting the person once per cell.
    fn add_weeks(&mut self, at: usize, categories: &[usize], weeks: i32, stamp: u32) {
        let weeks = weeks.unsigned_abs();
        for &c in categories {
            let cell = &mut self.cells[at + c];
            cell.weeks += weeks;
            if cell.stamp != stamp {
                cell.stamp = stamp;
                cell.persons += 1;
            }
        }
    }
}

/// Appends `lo..hi` to intervals sorted by start, merging it with the last one when they touch.
fn push_merged(intervals: &mut Vec<(i32, i32)>, lo: i32, hi: i32) {
    match intervals.last_mut() {
        Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
        _ => intervals.push((lo, hi)),
    }
}

/// Appends the parts of `intervals` inside `lo..hi` to `out`.
fn push_clipped(out: &mut Vec<(i32, i32)>, intervals: &[(i32, i32)], lo: i32, hi: i32) {
    out.extend(intervals.iter().map(|&(a, b)| (a.max(lo), b.min(hi))).filter(|(a, b)| a < b));
}

/// Sorts intervals and merges the ones that overlap or touch, in place.
fn normalize(intervals: &mut Vec<(i32, i32)>) {
    intervals.sort_unstable();
    let mut kept = 0;
    for r in 0..intervals.len() {
        let (a, b) = intervals[r];
        if kept > 0 && a <= intervals[kept - 1].1 {
            intervals[kept - 1].1 = intervals[kept - 1].1.max(b);
        } else {
            intervals[kept] = (a, b);
            kept += 1;
        }
    }
    intervals.truncate(kept);
}

/// The intersection of two sorted lists of disjoint intervals.
fn intersect(a: &[(i32, i32)], b: &[(i32, i32)], out: &mut Vec<(i32, i32)>) {
    out.clear();
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (lo, hi) = (a[i].0.max(b[j].0), a[i].1.min(b[j].1));
        if lo < hi {
            out.push((lo, hi));
        }
        if a[i].1 < b[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
}

/// The weeks in which a person is a long-term recipient, given the weeks on public support
/// (sorted, disjoint, merged): on support that week and in at least 42 of the 52 weeks ending with it.
///
/// The count c(w) of supported weeks in the window changes by s(w) - s(w - 52) from one week
/// to the next, so it is linear between the breakpoints a, b, a + 52 and b + 52 of the support
/// intervals a..b. On each piece where the person is on support the slope is 0 or 1, so the
/// qualifying weeks of the piece are a suffix of it, found without visiting the weeks.
fn long_term(support: &[(i32, i32)], points: &mut Vec<i32>, out: &mut Vec<(i32, i32)>) {
    points.clear();
    points.extend(support.iter().flat_map(|&(a, b)| [a, b, a + WINDOW, b + WINDOW]));
    points.sort_unstable();
    points.dedup();
    out.clear();
    let (mut now, mut lagged) = (0, 0);
    // c(e - 1) for the piece starting at e; nothing is on support before the first breakpoint.
    let mut count_before = 0;
    for pair in points.windows(2) {
        let (e, f) = (pair[0], pair[1]);
        let on = covers(support, &mut now, e);
        let slope = i32::from(on) - i32::from(covers(support, &mut lagged, e - WINDOW));
        let count = count_before + slope;
        if on {
            let from = if count >= LONG_TERM_WEEKS {
                e
            } else if slope == 1 {
                e + (LONG_TERM_WEEKS - count)
            } else {
                f
            };
            if from < f {
                push_merged(out, from, f);
            }
        }
        count_before = count + (f - 1 - e) * slope;
    }
}

/// Whether `week` is in one of the sorted intervals; `cursor` only moves forward, so
/// increasing queries cost linear time overall.
fn covers(intervals: &[(i32, i32)], cursor: &mut usize, week: i32) -> bool {
    while *cursor < intervals.len() && intervals[*cursor].1 <= week {
        *cursor += 1;
    }
    *cursor < intervals.len() && intervals[*cursor].0 <= week
}

#[cfg(test)]
mod tests;
