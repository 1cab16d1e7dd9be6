//! The Danish personal identification number (CPR), parsed at the edge and hard to leak.
//!
//! A `Cpr` is ten digits whose first six are a valid date (DDMMYY) and whose seventh digit
//! gives the century, by the CPR office's table. There is deliberately no modulus-11 check:
//! numbers without a valid check digit have been issued since 2007, so the check would
//! refuse real people.
//!
//! The type never prints the whole number by accident: `Debug` shows the masked form and
//! there is no `Display`. [`Cpr::reveal`] is the one way to get all ten digits, for the
//! audited "show CPR" action and for encryption; errors never carry the input either.

use std::fmt;

use chrono::{Datelike, NaiveDate};

/// A valid CPR number.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cpr([u8; 10]);

/// Why a text is not a CPR number. The text itself is never kept: it is personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvalidCpr {
    /// Not ten digits (a dash after the sixth is allowed).
    #[error("a CPR number is ten digits, written DDMMYYXXXX or DDMMYY-XXXX")]
    Shape,
    /// The first six digits are not a date.
    #[error("the first six digits of a CPR number must be a date (DDMMYY)")]
    Date,
}

impl Cpr {
    /// Parses `DDMMYYXXXX` or `DDMMYY-XXXX`, ignoring surrounding white space.
    pub fn parse(raw: &str) -> Result<Self, InvalidCpr> {
        let raw = raw.trim();
        let bytes = raw.as_bytes();
        let digits: Vec<u8> = match bytes.len() {
            10 => bytes.to_vec(),
            11 if bytes[6] == b'-' => bytes[..6].iter().chain(&bytes[7..]).copied().collect(),
            _ => return Err(InvalidCpr::Shape),
        };
        if !digits.iter().all(u8::is_ascii_digit) {
            return Err(InvalidCpr::Shape);
        }
        let mut number = [0u8; 10];
        for (slot, digit) in number.iter_mut().zip(&digits) {
            *slot = digit - b'0';
        }
        let cpr = Cpr(number);
        cpr.date().ok_or(InvalidCpr::Date)?;
        Ok(cpr)
    }

    fn pair(&self, at: usize) -> u32 {
        u32::from(self.0[at]) * 10 + u32::from(self.0[at + 1])
    }

    /// The birth date, with the century from the seventh digit (the CPR office's table).
    fn date(&self) -> Option<NaiveDate> {
        let (day, month, yy) = (self.pair(0), self.pair(2), self.pair(4));
        let century = match (self.0[6], yy) {
            (0..=3, _) | (4 | 9, 37..=99) => 1900,
            (4 | 9, _) | (5..=8, 0..=57) => 2000,
            (5..=8, _) => 1800,
            _ => return None,
        };
        NaiveDate::from_ymd_opt(i32::try_from(century + yy).ok()?, month, day)
    }

    /// The birth date the number encodes.
    pub fn birth_date(&self) -> NaiveDate {
        // `parse` is the only constructor and refuses numbers without a date.
        self.date().unwrap_or(NaiveDate::MIN)
    }

    /// The age in whole years on `day`.
    pub fn age_on(&self, day: NaiveDate) -> u32 {
        let born = self.birth_date();
        let years = day.year() - born.year() - i32::from((day.month(), day.day()) < (born.month(), born.day()));
        u32::try_from(years).unwrap_or(0)
    }

    /// The form shown until someone asks to see the number: `DDMMYY-xxxx`.
    pub fn masked(&self) -> String {
        let mut out: String = self.0[..6].iter().map(|d| char::from(b'0' + d)).collect();
        out.push_str("-xxxx");
        out
    }

    /// All ten digits as `DDMMYY-XXXX`. Only for the audited reveal and for encryption.
    pub fn reveal(&self) -> String {
        let mut out: String = self.0[..6].iter().map(|d| char::from(b'0' + d)).collect();
        out.push('-');
        out.extend(self.0[6..].iter().map(|d| char::from(b'0' + d)));
        out
    }
}

impl fmt::Debug for Cpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cpr({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn both_spellings_parse_to_the_same_number() {
        assert_eq!(Cpr::parse("0101901234").unwrap(), Cpr::parse(" 010190-1234 ").unwrap());
    }

    #[test]
    fn the_seventh_digit_gives_the_century() {
        assert_eq!(Cpr::parse("010190-1234").unwrap().birth_date(), d(1990, 1, 1));
        assert_eq!(Cpr::parse("010110-4234").unwrap().birth_date(), d(2010, 1, 1));
        assert_eq!(Cpr::parse("010140-4234").unwrap().birth_date(), d(1940, 1, 1));
        assert_eq!(Cpr::parse("010157-5234").unwrap().birth_date(), d(2057, 1, 1));
        assert_eq!(Cpr::parse("010160-5234").unwrap().birth_date(), d(1860, 1, 1));
        assert_eq!(Cpr::parse("010136-9234").unwrap().birth_date(), d(2036, 1, 1));
        assert_eq!(Cpr::parse("010137-9234").unwrap().birth_date(), d(1937, 1, 1));
    }

    #[test]
    fn impossible_dates_and_shapes_are_refused() {
        assert_eq!(Cpr::parse("310290-1234"), Err(InvalidCpr::Date));
        assert_eq!(Cpr::parse("290200-4234").unwrap().birth_date(), d(2000, 2, 29));
        assert_eq!(Cpr::parse("290200-1234"), Err(InvalidCpr::Date), "1900 was not a leap year");
        assert_eq!(Cpr::parse("011390-1234"), Err(InvalidCpr::Date));
        assert_eq!(Cpr::parse("010190123"), Err(InvalidCpr::Shape));
        assert_eq!(Cpr::parse("0101901234x"), Err(InvalidCpr::Shape));
        assert_eq!(Cpr::parse("01019O1234"), Err(InvalidCpr::Shape));
        assert_eq!(Cpr::parse("0101-901234"), Err(InvalidCpr::Shape));
        assert_eq!(Cpr::parse(""), Err(InvalidCpr::Shape));
    }

    #[test]
    fn no_modulus_11_check() {
        // 010190-1235 fails modulus 11; such numbers exist since 2007 and must be accepted.
        assert!(Cpr::parse("010190-1235").is_ok());
    }

    #[test]
    fn debug_and_errors_never_show_the_serial() {
        let cpr = Cpr::parse("010190-1234").unwrap();
        assert_eq!(format!("{cpr:?}"), "Cpr(010190-xxxx)");
        assert_eq!(cpr.masked(), "010190-xxxx");
        assert_eq!(cpr.reveal(), "010190-1234");
        let err = Cpr::parse("310290-1234").unwrap_err().to_string();
        assert!(!err.contains("1234") && !err.contains("3102"), "{err}");
    }

    #[test]
    fn age_turns_on_the_birthday() {
        let cpr = Cpr::parse("150690-1234").unwrap();
        assert_eq!(cpr.age_on(d(2026, 6, 14)), 35);
        assert_eq!(cpr.age_on(d(2026, 6, 15)), 36);
    }

    proptest! {
        /// Any date from 1858 to 2057 written with a serial whose seventh digit fits the
        /// century comes back as that date, and reveal/parse round-trips.
        #[test]
        fn dates_round_trip(days in 0i64..73_000, serial in 0u32..1000, pick in 0usize..4) {
            let date = d(1858, 1, 1) + chrono::Days::new(u64::try_from(days).unwrap());
            let yy = u32::try_from(date.year() % 100).unwrap();
            let sevenths: Vec<u32> = (0..=9)
                .filter(|&s| {
                    let century = match (s, yy) {
                        (0..=3, _) | (4 | 9, 37..=99) => 1900,
                        (4 | 9, _) | (5..=8, 0..=57) => 2000,
                        _ => 1800,
                    };
                    century + yy == u32::try_from(date.year()).unwrap()
                })
                .collect();
            prop_assume!(!sevenths.is_empty());
            let seventh = sevenths[pick % sevenths.len()];
            let text = format!("{:02}{:02}{:02}{}{:03}", date.day(), date.month(), yy, seventh, serial);
            let cpr = Cpr::parse(&text).unwrap();
            prop_assert_eq!(cpr.birth_date(), date);
            prop_assert_eq!(Cpr::parse(&cpr.reveal()).unwrap(), cpr);
        }
    }
}
