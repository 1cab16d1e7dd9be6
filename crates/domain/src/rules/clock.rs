//! Windows ("2 weeks", "6 months") and how a deadline is counted from a course's start.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

/// A period after the start of a course, as written in a rule file: `"2 weeks"`, `"6 months"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// How many units.
    pub n: u32,
    /// Weeks or months.
    pub unit: Unit,
}

/// The unit of a [`Window`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Weeks.
    Weeks,
    /// Months.
    Months,
}

/// How a group's periods are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    /// Calendar time: N months end on the same day of the month N months after the start (a
    /// shorter month ends on its last day); N weeks end on day 7·N counting the start as day 1
    /// (week 8 ends on day 56). The same-day-of-month convention is not sourced (notes § 5, U).
    #[default]
    Calendar,
    /// Dagpenge: *sammenlagt ledighed* in hours (LAB § 9, BEK 2636/2021 § 7). A full-time course
    /// without breaks accrues 7.4 hours every weekday (Monday-Friday, public holidays included);
    /// one month is 160.33 hours and one week 37 hours, so N months end on weekday
    /// ceil(N·160.33/7.4) (3 months: 65, 6: 130, 16: 347) and N weeks on weekday 5·N, counting
    /// the first weekday on or after the start as weekday 1.
    DagpengeHours,
}

/// Hundredths of an hour in one month of dagpenge (160.33 h).
const MONTH_CENTIHOURS: u64 = 16_033;
/// Hundredths of an hour accrued per full-time weekday (7.4 h).
const WEEKDAY_CENTIHOURS: u64 = 740;

impl Window {
    /// The last day of the window for a course starting on `start`, or `None` past the calendar's end.
    pub fn deadline(self, start: NaiveDate, clock: Clock) -> Option<NaiveDate> {
        match (clock, self.unit) {
            (Clock::Calendar, Unit::Months) => start.checked_add_months(Months::new(self.n)),
            (Clock::Calendar, Unit::Weeks) => {
                let days = u64::from(self.n).checked_mul(7)?.checked_sub(1)?;
                start.checked_add_days(Days::new(days))
            }
            (Clock::DagpengeHours, Unit::Weeks) => nth_weekday(start, u64::from(self.n) * 5),
            (Clock::DagpengeHours, Unit::Months) => {
                let hours = u64::from(self.n) * MONTH_CENTIHOURS;
                nth_weekday(start, hours.div_ceil(WEEKDAY_CENTIHOURS))
            }
        }
    }

    /// This window stretched by `times` more of `step` (same unit), for repeating rules.
    pub(crate) fn plus(self, step: Window, times: u32) -> Option<Window> {
        (self.unit == step.unit).then_some(())?;
        Some(Window { n: self.n.checked_add(step.n.checked_mul(times)?)?, unit: self.unit })
    }
}

/// The `n`th weekday (1-based) counting from the first weekday on or after `start`.
pub(crate) fn nth_weekday(start: NaiveDate, n: u64) -> Option<NaiveDate> {
    let mut day = start;
    while is_weekend(day) {
        day = day.succ_opt()?;
    }
    let Some(rest) = n.checked_sub(1) else { return Some(day) };
    // Whole weeks keep the weekday; the remainder steps over weekends one day at a time.
    day = day.checked_add_days(Days::new(rest / 5 * 7))?;
    for _ in 0..rest % 5 {
        day = day.succ_opt()?;
        while is_weekend(day) {
            day = day.succ_opt()?;
        }
    }
    Some(day)
}

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match (self.unit, self.n) {
            (Unit::Weeks, 1) => "week",
            (Unit::Weeks, _) => "weeks",
            (Unit::Months, 1) => "month",
            (Unit::Months, _) => "months",
        };
        write!(f, "{} {unit}", self.n)
    }
}

impl FromStr for Window {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("{s:?} is not a window such as \"2 weeks\" or \"6 months\"");
        let (n, unit) = s.trim().split_once(' ').ok_or_else(bad)?;
        let n: u32 = n.parse().map_err(|_| bad())?;
        let unit = match unit.trim() {
            "week" | "weeks" => Unit::Weeks,
            "month" | "months" => Unit::Months,
            _ => return Err(bad()),
        };
        if n == 0 {
            return Err(bad());
        }
        Ok(Window { n, unit })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn w(s: &str) -> Window {
        s.parse().unwrap()
    }

    /// The weekday number of `date` counted the slow way, for comparison.
    fn weekday_number(start: NaiveDate, date: NaiveDate) -> u64 {
        start.iter_days().take_while(|x| *x <= date).filter(|x| !is_weekend(*x)).count() as u64
    }

    #[test]
    fn dagpenge_months_are_the_notes_weekday_numbers() {
        // Monday 2026-01-05: weekday 65 is the Friday of the 13th week.
        let start = d("2026-01-05");
        let cases = [("3 months", 65), ("6 months", 130), ("16 months", 347), ("2 weeks", 10)];
        for (window, weekday) in cases {
            let due = w(window).deadline(start, Clock::DagpengeHours).unwrap();
            assert_eq!(weekday_number(start, due), weekday, "{window}");
            assert!(!is_weekend(due));
        }
        assert_eq!(w("3 months").deadline(start, Clock::DagpengeHours), Some(d("2026-04-03")));
        // 410 hours are passed on weekday 56 (notes § 5).
        assert_eq!((41_000_u64).div_ceil(WEEKDAY_CENTIHOURS), 56);
    }

    #[test]
    fn calendar_windows_count_the_start_as_day_one() {
        let start = d("2025-01-31");
        assert_eq!(w("8 weeks").deadline(start, Clock::Calendar), Some(d("2025-03-27")));
        assert_eq!(w("1 week").deadline(start, Clock::Calendar), Some(d("2025-02-06")));
        // A shorter month ends on its last day.
        assert_eq!(w("1 month").deadline(start, Clock::Calendar), Some(d("2025-02-28")));
        assert_eq!(w("6 months").deadline(start, Clock::Calendar), Some(d("2025-07-31")));
    }

    #[test]
    fn windows_parse_and_refuse_nonsense() {
        assert_eq!(w("1 week"), Window { n: 1, unit: Unit::Weeks });
        assert_eq!(w("16 months").to_string(), "16 months");
        for bad in ["", "6", "six months", "0 weeks", "6 years", "-1 months"] {
            assert!(bad.parse::<Window>().is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn nth_weekday_agrees_with_counting_day_by_day(offset in 0_i64..3000, n in 1_u64..400) {
            let start = d("2023-01-01") + chrono::Duration::days(offset);
            let day = nth_weekday(start, n).unwrap();
            prop_assert!(!is_weekend(day));
            prop_assert_eq!(weekday_number(start, day), n);
        }
    }
}
