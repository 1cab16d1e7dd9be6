//! ISO 8601 weeks, the unit of the benefit registers (DREAM counts person-weeks).
//!
//! Besides year and week number every week has a dense index: the number of weeks since
//! Monday 1 January 1900 (the first day of 1900W01). Engines work on indices so that
//! "the 52 weeks ending with this one" or "weeks in this quarter" is integer arithmetic.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate, TimeDelta};

/// The first year an [`IsoWeek`] may have; four digits keep `YYYYWW` unambiguous.
pub const MIN_YEAR: i32 = 1000;
/// The last year an [`IsoWeek`] may have.
pub const MAX_YEAR: i32 = 9999;

/// The Monday that week index 0 starts on: 1900-01-01, the first day of 1900W01.
const EPOCH: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(date) => date,
    None => panic!("1900-01-01 is a valid date"),
};

/// `EPOCH.num_days_from_ce()`, spelt out because that function is not `const`.
const EPOCH_DAYS_FROM_CE: i32 = 693_596;

/// An ISO 8601 week: the week of the year whose Thursday decides which year it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoWeek {
    // Field order matters: the derived ordering is then chronological.
    year: i32,
    week: u8,
}

/// A week that does not exist in the ISO calendar, or a malformed `YYYYWW`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid ISO week {0:?}: expected YYYYWW (or YYYYWww) with a week 01-52, or 53 in long years")]
pub struct InvalidIsoWeek(pub String);

impl IsoWeek {
    /// The week `week` of ISO year `year`; week 53 only exists in years that have it.
    pub fn new(year: i32, week: u32) -> Result<Self, InvalidIsoWeek> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) || week == 0 || week > weeks_in_year(year) {
            return Err(InvalidIsoWeek(format!("{year}W{week:02}")));
        }
        let week = u8::try_from(week).map_err(|_| InvalidIsoWeek(format!("{year}W{week:02}")))?;
        Ok(Self { year, week })
    }

    /// Parses the integer form used in register files, `YYYYWW`: 202307 is 2023W07.
    pub fn from_yyyyww(value: u32) -> Result<Self, InvalidIsoWeek> {
        let year = i32::try_from(value / 100).map_err(|_| InvalidIsoWeek(value.to_string()))?;
        Self::new(year, value % 100).map_err(|_| InvalidIsoWeek(value.to_string()))
    }

    /// The integer form `YYYYWW`.
    pub fn yyyyww(self) -> u32 {
        // The year is validated to four positive digits, so the conversion cannot fail.
        u32::try_from(self.year).unwrap_or(0) * 100 + u32::from(self.week)
    }

    /// The ISO year the week belongs to (the calendar year of its Thursday).
    pub fn year(self) -> i32 {
        self.year
    }

    /// The week number, 1 to 53.
    pub fn week(self) -> u32 {
        u32::from(self.week)
    }

    /// The week's dense index: weeks since Monday 1900-01-01 (negative before it).
    pub fn index(self) -> i32 {
        week_one_index(self.year) + i32::from(self.week) - 1
    }

    /// The week with the given dense index, if its year lies within the supported years.
    pub fn from_index(index: i32) -> Option<Self> {
        let thursday = EPOCH.checked_add_signed(TimeDelta::try_days(7 * i64::from(index) + 3)?)?;
        let year = thursday.year();
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return None;
        }
        let week = u8::try_from(index - week_one_index(year) + 1).ok()?;
        Some(Self { year, week })
    }

    /// The week that contains `date`.
    pub fn containing(date: NaiveDate) -> Option<Self> {
        Self::from_index(index_containing(date))
    }

    /// The Monday the week starts on.
    pub fn monday(self) -> NaiveDate {
        EPOCH + TimeDelta::days(7 * i64::from(self.index()))
    }

    /// The week's Thursday: it decides the week's year, quarter, municipality and age.
    pub fn thursday(self) -> NaiveDate {
        EPOCH + TimeDelta::days(7 * i64::from(self.index()) + 3)
    }

    /// The following week, unless it lies after [`MAX_YEAR`].
    pub fn next(self) -> Option<Self> {
        Self::from_index(self.index() + 1)
    }
}

impl fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}W{:02}", self.year, self.week)
    }
}

impl FromStr for IsoWeek {
    type Err = InvalidIsoWeek;

    /// Accepts `2023W07` as well as the register form `202307`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let err = || InvalidIsoWeek(s.to_owned());
        if !t.is_ascii() {
            return Err(err());
        }
        let (year, week) = match t.split_once(['W', 'w']) {
            Some((year, week)) if year.len() == 4 && week.len() == 2 => (year, week),
            None if t.len() == 6 => t.split_at(4),
            _ => return Err(err()),
        };
        if !year.bytes().chain(week.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        let year: i32 = year.parse().map_err(|_| err())?;
        let week: u32 = week.parse().map_err(|_| err())?;
        Self::new(year, week).map_err(|_| err())
    }
}

/// The number of ISO weeks in `year`: 53 when it starts on a Thursday, or on a Wednesday in a leap year.
pub fn weeks_in_year(year: i32) -> u32 {
    let weeks = week_one_index_i64(i64::from(year) + 1) - week_one_index_i64(i64::from(year));
    // Always 52 or 53.
    u32::try_from(weeks).unwrap_or(52)
}

/// The dense index of the week containing `date`.
pub fn index_containing(date: NaiveDate) -> i32 {
    day_number(date).div_euclid(7)
}

/// The index of the first week whose Thursday falls on or after `date`.
pub fn first_week_thursday_on_or_after(date: NaiveDate) -> i32 {
    // Week w's Thursday is day 7w + 3; 7w + 3 >= d  <=>  w >= ceil((d - 3) / 7) = floor((d + 3) / 7).
    (day_number(date) + 3).div_euclid(7)
}

/// The index of the last week whose Thursday falls on or before `date`.
pub fn last_week_thursday_on_or_before(date: NaiveDate) -> i32 {
    (day_number(date) - 3).div_euclid(7)
}

/// Days from the epoch Monday to `date`.
fn day_number(date: NaiveDate) -> i32 {
    date.num_days_from_ce() - EPOCH_DAYS_FROM_CE
}

/// The index of week 1 of `year`: the week containing 4 January.
fn week_one_index(year: i32) -> i32 {
    saturate(week_one_index_i64(i64::from(year)))
}

fn week_one_index_i64(year: i64) -> i64 {
    first_week_from_civil(year, 1, 1)
}

/// The index of the first week whose Thursday falls on or after the given calendar day.
///
/// Pure arithmetic, so it is total for any year: periods never fail to have a start.
pub(crate) fn first_week_from_civil(year: i64, month: u32, day: u32) -> i64 {
    (days_from_civil(year, month, day) + 3).div_euclid(7)
}

/// Clamps an index computed in `i64` into `i32`; only absurd years reach the bounds.
pub(crate) fn saturate(value: i64) -> i32 {
    i32::try_from(value).unwrap_or(if value < 0 { i32::MIN } else { i32::MAX })
}

/// Days from the epoch Monday (1900-01-01) to a proleptic Gregorian date.
///
/// Howard Hinnant's `days_from_civil`, shifted to our epoch.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month_from_march = i64::from((month + 9) % 12);
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    // 719_468 shifts 0000-03-01 to 1970-01-01; 25_567 more shifts 1970-01-01 to 1900-01-01.
    era * 146_097 + day_of_era - 719_468 + 25_567
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn epoch_is_the_monday_of_1900w01() {
        assert_eq!(EPOCH.weekday(), Weekday::Mon);
        assert_eq!(EPOCH.num_days_from_ce(), EPOCH_DAYS_FROM_CE);
        assert_eq!(IsoWeek::new(1900, 1).unwrap().index(), 0);
        assert_eq!(days_from_civil(1900, 1, 1), 0);
    }

    #[test]
    fn parses_and_displays_the_register_form() {
        let w = IsoWeek::from_yyyyww(202_307).unwrap();
        assert_eq!((w.year(), w.week()), (2023, 7));
        assert_eq!(w.to_string(), "2023W07");
        assert_eq!(w.yyyyww(), 202_307);
        assert_eq!("2023W07".parse::<IsoWeek>(), Ok(w));
        assert_eq!("202307".parse::<IsoWeek>(), Ok(w));
        assert_eq!(w.thursday(), date(2023, 2, 16));
        assert_eq!(w.monday(), date(2023, 2, 13));
    }

    #[test]
    fn week_53_exists_only_in_long_years() {
        assert_eq!(weeks_in_year(2020), 53);
        assert_eq!(weeks_in_year(2015), 53);
        assert_eq!(weeks_in_year(2026), 53);
        assert_eq!(weeks_in_year(2023), 52);
        assert!(IsoWeek::from_yyyyww(202_053).is_ok());
        assert!(IsoWeek::from_yyyyww(202_353).is_err());
        assert!(IsoWeek::from_yyyyww(202_300).is_err());
        assert!(IsoWeek::from_yyyyww(99_901).is_err());
        assert!("2023W7".parse::<IsoWeek>().is_err());
        assert!("2023-07".parse::<IsoWeek>().is_err());
        // 2020W53's Thursday is the last day of 2020; the next week is 2021W01.
        let w53 = IsoWeek::new(2020, 53).unwrap();
        assert_eq!(w53.thursday(), date(2020, 12, 31));
        assert_eq!(w53.next(), IsoWeek::new(2021, 1).ok());
    }

    #[test]
    fn thursday_rule_helpers() {
        // 2023-02-16 is the Thursday of 2023W07.
        let w07 = IsoWeek::new(2023, 7).unwrap().index();
        assert_eq!(first_week_thursday_on_or_after(date(2023, 2, 16)), w07);
        assert_eq!(first_week_thursday_on_or_after(date(2023, 2, 17)), w07 + 1);
        assert_eq!(first_week_thursday_on_or_after(date(2023, 2, 13)), w07);
        assert_eq!(last_week_thursday_on_or_before(date(2023, 2, 16)), w07);
        assert_eq!(last_week_thursday_on_or_before(date(2023, 2, 15)), w07 - 1);
        assert_eq!(last_week_thursday_on_or_before(date(2023, 2, 19)), w07);
    }

    proptest! {
        #[test]
        fn index_agrees_with_chrono(days in 0i64..80_000) {
            let d = date(1950, 1, 1) + TimeDelta::days(days);
            let iso = d.iso_week();
            let w = IsoWeek::new(iso.year(), iso.week()).unwrap();
            prop_assert_eq!(IsoWeek::containing(d), Some(w));
            prop_assert_eq!(index_containing(d), w.index());
            prop_assert_eq!(IsoWeek::from_index(w.index()), Some(w));
            prop_assert_eq!(w.monday(), NaiveDate::from_isoywd_opt(iso.year(), iso.week(), Weekday::Mon).unwrap());
            prop_assert_eq!(IsoWeek::from_yyyyww(w.yyyyww()), Ok(w));
            prop_assert_eq!(w.to_string().parse::<IsoWeek>(), Ok(w));
            prop_assert_eq!(weeks_in_year(iso.year()), date(iso.year(), 12, 28).iso_week().week());
            // The Thursday helpers agree with a direct look at the week's Thursday.
            let first = first_week_thursday_on_or_after(d);
            prop_assert!(IsoWeek::from_index(first).unwrap().thursday() >= d);
            prop_assert!(IsoWeek::from_index(first - 1).unwrap().thursday() < d);
            let last = last_week_thursday_on_or_before(d);
            prop_assert!(IsoWeek::from_index(last).unwrap().thursday() <= d);
            prop_assert!(IsoWeek::from_index(last + 1).unwrap().thursday() > d);
        }

        #[test]
        fn civil_days_agree_with_chrono(days in -400_000i64..400_000) {
            let d = EPOCH + TimeDelta::days(days);
            prop_assert_eq!(days_from_civil(i64::from(d.year()), d.month(), d.day()), days);
        }
    }
}
