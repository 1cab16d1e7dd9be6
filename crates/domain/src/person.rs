//! Person attributes that register statistics break figures down by, and age arithmetic.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Sex as recorded in the CPR register: `M` (mand) or `K` (kvinde).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Sex {
    /// Mand: male.
    M,
    /// Kvinde: female.
    K,
}

/// A sex code other than `M` or `K`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown sex {0:?}; expected M or K")]
pub struct UnknownSex(pub String);

impl Sex {
    /// Both values, in the order reports list them.
    pub const ALL: [Sex; 2] = [Sex::M, Sex::K];

    /// The one-letter code.
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::M => "M",
            Sex::K => "K",
        }
    }
}

impl fmt::Display for Sex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Sex {
    type Err = UnknownSex;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "M" | "m" => Ok(Sex::M),
            "K" | "k" => Ok(Sex::K),
            _ => Err(UnknownSex(s.to_owned())),
        }
    }
}

/// Origin (herkomst) as Statistics Denmark classifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Person of Danish origin.
    Dansk,
    /// Immigrant from a western country.
    VestligIndvandrer,
    /// Descendant of immigrants from a western country.
    VestligEfterkommer,
    /// Immigrant from a non-western country.
    IkkeVestligIndvandrer,
    /// Descendant of immigrants from a non-western country.
    IkkeVestligEfterkommer,
}

/// An origin name that is not one of the five origins.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown origin {0:?}; expected dansk, vestlig_indvandrer, vestlig_efterkommer, ikke_vestlig_indvandrer or ikke_vestlig_efterkommer"
)]
pub struct UnknownOrigin(pub String);

impl Origin {
    /// Every origin, in the order reports list them.
    pub const ALL: [Origin; 5] = [
        Origin::Dansk,
        Origin::VestligIndvandrer,
        Origin::VestligEfterkommer,
        Origin::IkkeVestligIndvandrer,
        Origin::IkkeVestligEfterkommer,
    ];

    /// The stable identifier used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Dansk => "dansk",
            Origin::VestligIndvandrer => "vestlig_indvandrer",
            Origin::VestligEfterkommer => "vestlig_efterkommer",
            Origin::IkkeVestligIndvandrer => "ikke_vestlig_indvandrer",
            Origin::IkkeVestligEfterkommer => "ikke_vestlig_efterkommer",
        }
    }

    /// Whether the person is a non-western immigrant or descendant.
    pub fn is_non_western(self) -> bool {
        matches!(self, Origin::IkkeVestligIndvandrer | Origin::IkkeVestligEfterkommer)
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Origin {
    type Err = UnknownOrigin;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Origin::ALL.into_iter().find(|o| o.as_str() == s.trim()).ok_or_else(|| UnknownOrigin(s.to_owned()))
    }
}

/// Age in completed years on `date` of a person born on `birth` (negative before birth).
///
/// Someone born on 29 February becomes a year older on 1 March in common years.
pub fn age_on(birth: NaiveDate, date: NaiveDate) -> i32 {
    let age = date.year() - birth.year();
    if (date.month(), date.day()) < (birth.month(), birth.day()) { age - 1 } else { age }
}

/// The date a person born on `birth` turns `age`, consistent with [`age_on`]; `None`
/// only when that date lies outside the calendar the `chrono` crate supports.
pub fn birthday(birth: NaiveDate, age: u32) -> Option<NaiveDate> {
    let year = birth.year().checked_add(i32::try_from(age).ok()?)?;
    // Only 29 February lacks a same-day birthday; the day after 28 February is 1 March.
    birth.with_year(year).or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn codes_round_trip() {
        for s in Sex::ALL {
            assert_eq!(s.as_str().parse::<Sex>(), Ok(s));
        }
        for o in Origin::ALL {
            assert_eq!(o.as_str().parse::<Origin>(), Ok(o));
        }
        assert!("X".parse::<Sex>().is_err());
        assert_eq!(Origin::ALL.into_iter().filter(|o| o.is_non_western()).count(), 2);
    }

    #[test]
    fn age_counts_completed_years() {
        let birth = date(2000, 6, 15);
        assert_eq!(age_on(birth, date(2016, 6, 14)), 15);
        assert_eq!(age_on(birth, date(2016, 6, 15)), 16);
        assert_eq!(birthday(birth, 16), Some(date(2016, 6, 15)));
        let leap = date(2004, 2, 29);
        assert_eq!(age_on(leap, date(2021, 2, 28)), 16);
        assert_eq!(age_on(leap, date(2021, 3, 1)), 17);
        assert_eq!(birthday(leap, 17), Some(date(2021, 3, 1)));
        assert_eq!(birthday(leap, 20), Some(date(2024, 2, 29)));
    }

    proptest! {
        #[test]
        fn birthday_is_the_first_day_of_the_new_age(days in 0i64..40_000, age in 0u32..100) {
            let birth = date(1920, 1, 1) + TimeDelta::days(days);
            let day = birthday(birth, age).unwrap();
            prop_assert_eq!(age_on(birth, day), i32::try_from(age).unwrap());
            prop_assert_eq!(age_on(birth, day - TimeDelta::days(1)), i32::try_from(age).unwrap() - 1);
        }
    }
}
