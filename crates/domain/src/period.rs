//! Reporting periods: ISO weeks, quarters and years, all made of whole ISO weeks.
//!
//! A week belongs to the quarter and year of its Thursday, as in the ISO calendar itself,
//! so every week lies in exactly one quarter and one year: 2020W53 (Thursday 2020-12-31)
//! is in 2020Q4, and a year has 52 or 53 weeks, a quarter 12 to 14
//! (2021Q1 has 12: 1 January 2021 was a Friday).

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use chrono::Datelike;

use crate::week::{self, IsoWeek, MAX_YEAR, MIN_YEAR};

/// A calendar quarter: `2023Q2` is April to June 2023.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    // Field order matters: the derived ordering is then chronological.
    year: i32,
    q: u8,
}

/// A period that does not exist or cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid period {0:?}: expected a year (2023), a quarter (2023Q2) or an ISO week (2023W07)")]
pub struct InvalidPeriod(pub String);

impl Quarter {
    /// Quarter `q` (1-4) of `year`.
    pub fn new(year: i32, q: u32) -> Result<Self, InvalidPeriod> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) || !(1..=4).contains(&q) {
            return Err(InvalidPeriod(format!("{year}Q{q}")));
        }
        let q = u8::try_from(q).map_err(|_| InvalidPeriod(format!("{year}Q{q}")))?;
        Ok(Self { year, q })
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The quarter number, 1 to 4.
    pub fn q(self) -> u32 {
        u32::from(self.q)
    }

    /// The indices of the weeks whose Thursday falls in the quarter.
    pub fn week_indices(self) -> Range<i32> {
        let year = i64::from(self.year);
        let first_month = 3 * u32::from(self.q) - 2;
        let end = if self.q == 4 {
            week::first_week_from_civil(year + 1, 1, 1)
        } else {
            week::first_week_from_civil(year, first_month + 3, 1)
        };
        week::saturate(week::first_week_from_civil(year, first_month, 1))..week::saturate(end)
    }

    /// The following quarter, unless it lies after [`MAX_YEAR`].
    pub fn next(self) -> Option<Self> {
        if self.q == 4 { Self::new(self.year + 1, 1).ok() } else { Some(Self { year: self.year, q: self.q + 1 }) }
    }

    /// The quarter before, unless it lies before [`MIN_YEAR`].
    pub fn prev(self) -> Option<Self> {
        if self.q == 1 { Self::new(self.year - 1, 4).ok() } else { Some(Self { year: self.year, q: self.q - 1 }) }
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}Q{}", self.year, self.q)
    }
}

impl FromStr for Quarter {
    type Err = InvalidPeriod;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || InvalidPeriod(s.to_owned());
        let (year, q) = s.trim().split_once(['Q', 'q']).ok_or_else(err)?;
        if year.len() != 4 || q.len() != 1 || !year.bytes().chain(q.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        Self::new(year.parse().map_err(|_| err())?, q.parse().map_err(|_| err())?).map_err(|_| err())
    }
}

/// The length of a reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PeriodKind {
    /// One ISO week.
    Week,
    /// A calendar quarter of whole ISO weeks.
    Quarter,
    /// An ISO year.
    Year,
}

/// A period kind name that is not week, quarter or year.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown period kind {0:?}; expected week, quarter or year")]
pub struct UnknownPeriodKind(pub String);

impl PeriodKind {
    /// Every kind, shortest first.
    pub const ALL: [PeriodKind; 3] = [PeriodKind::Week, PeriodKind::Quarter, PeriodKind::Year];

    /// The stable identifier used on the command line and in files.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Week => "week",
            PeriodKind::Quarter => "quarter",
            PeriodKind::Year => "year",
        }
    }

    /// The period of this kind that `week` belongs to.
    pub fn period_of(self, week: IsoWeek) -> Period {
        match self {
            PeriodKind::Week => Period::Week(week),
            PeriodKind::Quarter => {
                let thursday = week.thursday();
                // The Thursday's year is the ISO year, which the week's validation kept in range.
                let q = u8::try_from(thursday.month0() / 3 + 1).unwrap_or(1);
                Period::Quarter(Quarter { year: thursday.year(), q })
            }
            PeriodKind::Year => Period::Year(week.year()),
        }
    }

    /// The period of this kind that the week with dense index `index` belongs to.
    pub fn period_of_index(self, index: i32) -> Option<Period> {
        IsoWeek::from_index(index).map(|week| self.period_of(week))
    }
}

impl fmt::Display for PeriodKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PeriodKind {
    type Err = UnknownPeriodKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PeriodKind::ALL.into_iter().find(|k| k.as_str() == s.trim()).ok_or_else(|| UnknownPeriodKind(s.to_owned()))
    }
}

/// A reporting period: a week, a quarter or a year.
///
/// Periods of one kind order chronologically; across kinds, weeks sort before quarters before years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    /// One ISO week.
    Week(IsoWeek),
    /// A calendar quarter.
    Quarter(Quarter),
    /// An ISO year.
    Year(i32),
}

impl Period {
    /// The period's kind.
    pub fn kind(self) -> PeriodKind {
        match self {
            Period::Week(_) => PeriodKind::Week,
            Period::Quarter(_) => PeriodKind::Quarter,
            Period::Year(_) => PeriodKind::Year,
        }
    }

    /// The dense indices of the period's weeks (see [`IsoWeek::index`]).
    pub fn week_indices(self) -> Range<i32> {
        match self {
            Period::Week(w) => w.index()..w.index() + 1,
            Period::Quarter(q) => q.week_indices(),
            Period::Year(y) => {
                let y = i64::from(y);
                week::saturate(week::first_week_from_civil(y, 1, 1))
                    ..week::saturate(week::first_week_from_civil(y + 1, 1, 1))
            }
        }
    }

    /// The number of weeks in the period: 1 for a week, 12 to 14 for a quarter, 52 or 53 for a year.
    pub fn weeks(self) -> u32 {
        let r = self.week_indices();
        (r.end - r.start).unsigned_abs()
    }

    /// The following period of the same kind, unless it lies after [`MAX_YEAR`].
    pub fn next(self) -> Option<Period> {
        match self {
            Period::Week(w) => w.next().map(Period::Week),
            Period::Quarter(q) => q.next().map(Period::Quarter),
            Period::Year(y) => (y < MAX_YEAR).then_some(Period::Year(y + 1)),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Week(w) => w.fmt(f),
            Period::Quarter(q) => q.fmt(f),
            Period::Year(y) => write!(f, "{y}"),
        }
    }
}

impl FromStr for Period {
    type Err = InvalidPeriod;

    /// Reads `2023`, `2023Q2` or `2023W07`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let err = || InvalidPeriod(s.to_owned());
        if t.contains(['Q', 'q']) {
            t.parse().map(Period::Quarter).map_err(|_| err())
        } else if t.contains(['W', 'w']) {
            t.parse().map(Period::Week).map_err(|_| err())
        } else if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
            let year: i32 = t.parse().map_err(|_| err())?;
            if (MIN_YEAR..=MAX_YEAR).contains(&year) { Ok(Period::Year(year)) } else { Err(err()) }
        } else {
            Err(err())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn period(s: &str) -> Period {
        s.parse().unwrap()
    }

    #[test]
    fn display_and_parse_round_trip() {
        for s in ["2023", "2023Q2", "2023W07", "2020W53"] {
            assert_eq!(period(s).to_string(), s);
        }
        assert!("2023Q5".parse::<Period>().is_err());
        assert!("2023Q0".parse::<Period>().is_err());
        assert!("23".parse::<Period>().is_err());
        assert!("2023W54".parse::<Period>().is_err());
        assert_eq!("quarter".parse::<PeriodKind>(), Ok(PeriodKind::Quarter));
    }

    #[test]
    fn week_53_of_2020_is_in_the_fourth_quarter_of_2020() {
        let w = IsoWeek::new(2020, 53).unwrap();
        assert_eq!(PeriodKind::Quarter.period_of(w), period("2020Q4"));
        assert_eq!(PeriodKind::Year.period_of(w), Period::Year(2020));
        assert_eq!(period("2020").weeks(), 53);
        assert_eq!(period("2020Q4").weeks(), 14);
        assert_eq!(period("2021").weeks(), 52);
        assert_eq!(period("2021W05").weeks(), 1);
        assert_eq!(period("2021Q1").weeks(), 12);
    }

    #[test]
    fn a_week_whose_thursday_is_in_january_belongs_to_the_new_year() {
        // 2025-12-29 (Monday) to 2026-01-04: Thursday is 1 January 2026.
        let w = IsoWeek::new(2026, 1).unwrap();
        assert_eq!(w.monday().year(), 2025);
        assert_eq!(PeriodKind::Quarter.period_of(w), period("2026Q1"));
    }

    #[test]
    fn next_crosses_year_boundaries() {
        assert_eq!(period("2020Q4").next(), Some(period("2021Q1")));
        assert_eq!("2021Q1".parse::<Quarter>().unwrap().prev(), "2020Q4".parse().ok());
        assert_eq!("2021Q3".parse::<Quarter>().unwrap().prev(), "2021Q2".parse().ok());
        assert_eq!(period("2020W53").next(), Some(period("2021W01")));
        assert_eq!(period("2020").next(), Some(period("2021")));
        assert_eq!(period("9999").next(), None);
    }

    proptest! {
        #[test]
        fn periods_partition_the_weeks(index in 0i32..10_000) {
            let week = IsoWeek::from_index(index).unwrap();
            for kind in PeriodKind::ALL {
                let p = kind.period_of(week);
                prop_assert!(p.week_indices().contains(&index));
                prop_assert_eq!(p.kind(), kind);
                prop_assert_eq!(kind.period_of_index(index), Some(p));
                prop_assert_eq!(p.to_string().parse::<Period>(), Ok(p));
                // The next period starts where this one ends.
                let next = p.next().unwrap();
                prop_assert_eq!(next.week_indices().start, p.week_indices().end);
                prop_assert!(next > p);
                // The first and last weeks of the period both map back to it.
                let r = p.week_indices();
                prop_assert_eq!(kind.period_of_index(r.start), Some(p));
                prop_assert_eq!(kind.period_of_index(r.end - 1), Some(p));
            }
            let q = PeriodKind::Quarter.period_of(week);
            prop_assert!((12..=14).contains(&q.weeks()));
        }
    }
}
