//! Number and time formats: Danish `1.234,5` by default, [`Numbers`] for another language's
//! marks, and moments in Copenhagen time in the pattern the caller's catalogue gives.

/// How a language writes numbers: the decimal mark and the thousands separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Numbers {
    /// Between the whole part and the fraction.
    pub decimal_mark: char,
    /// Between groups of three digits.
    pub thousands_separator: char,
}

impl Numbers {
    /// Danish: `1.234,5`.
    pub const DANISH: Numbers = Numbers { decimal_mark: ',', thousands_separator: '.' };
    /// English: `1,234.5`.
    pub const ENGLISH: Numbers = Numbers { decimal_mark: '.', thousands_separator: ',' };

    /// Formats an integer with thousands separators: `-1234567` -> `-1.234.567` in Danish.
    pub fn integer(self, value: i64) -> String {
        let digits = value.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        if value < 0 {
            out.push('-');
        }
        self.group_thousands(&digits, &mut out);
        out
    }

    /// Formats a number with `decimals` decimals: `decimal(1234.5, 1)` -> `1.234,5` in
    /// Danish. Not-a-number and infinities, which no figure shown to a user should ever be,
    /// come out as `–`.
    pub fn decimal(self, value: f64, decimals: usize) -> String {
        if !value.is_finite() {
            return "–".to_owned();
        }
        // Rounding happens once, in the standard formatter; the rest only moves characters.
        let plain = format!("{:.*}", decimals, value.abs());
        let (whole, fraction) = plain.split_once('.').unwrap_or((&plain, ""));
        let mut out = String::with_capacity(plain.len() + whole.len() / 3 + 1);
        let is_zero = plain.chars().all(|c| c == '0' || c == '.');
        if value.is_sign_negative() && !is_zero {
            out.push('-');
        }
        self.group_thousands(whole, &mut out);
        if !fraction.is_empty() {
            out.push(self.decimal_mark);
            out.push_str(fraction);
        }
        out
    }

    fn group_thousands(self, digits: &str, out: &mut String) {
        let len = digits.len();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (len - i).is_multiple_of(3) {
                out.push(self.thousands_separator);
            }
            out.push(c);
        }
    }
}

/// Formats an integer with `.` as thousands separator: `-1234567` -> `-1.234.567`.
pub fn integer(value: i64) -> String {
    Numbers::DANISH.integer(value)
}

/// Formats a number with `decimals` decimals, `,` as decimal mark and `.` between
/// thousands: `decimal(1234.5, 1)` -> `1.234,5`. Not-a-number and infinities come out as `–`.
pub fn decimal(value: f64, decimals: usize) -> String {
    Numbers::DANISH.decimal(value, decimals)
}

/// Formats a moment (Unix seconds) in Copenhagen time, summer time included (the jobcentre's
/// clock), with a `chrono` pattern: the caller's language decides the pattern
/// (`%d.%m.%Y kl. %H.%M` in the Danish catalogue gives `23.11.2026 kl. 06.42`).
pub fn datetime(unix_seconds: i64, pattern: &str) -> String {
    chrono::DateTime::from_timestamp(unix_seconds, 0).map_or_else(
        || "–".to_owned(),
        |utc| utc.with_timezone(&chrono_tz::Europe::Copenhagen).format(pattern).to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn groups_thousands_with_dots() {
        assert_eq!(integer(0), "0");
        assert_eq!(integer(999), "999");
        assert_eq!(integer(1000), "1.000");
        assert_eq!(integer(-1_234_567), "-1.234.567");
        assert_eq!(integer(i64::MIN), "-9.223.372.036.854.775.808");
    }

    #[test]
    fn decimal_uses_comma_as_decimal_mark() {
        assert_eq!(decimal(1234.5, 1), "1.234,5");
        assert_eq!(decimal(12.6, 1), "12,6");
        assert_eq!(decimal(0.04, 1), "0,0");
        assert_eq!(decimal(-0.04, 1), "0,0");
        assert_eq!(decimal(-1234.56, 2), "-1.234,56");
        assert_eq!(decimal(1_000_000.0, 0), "1.000.000");
        assert_eq!(decimal(f64::NAN, 1), "–");
    }

    #[test]
    fn english_swaps_the_marks() {
        assert_eq!(Numbers::ENGLISH.decimal(1234.5, 1), "1,234.5");
        assert_eq!(Numbers::ENGLISH.decimal(-0.04, 1), "0.0");
        assert_eq!(Numbers::ENGLISH.integer(-1_234_567), "-1,234,567");
    }

    #[test]
    fn datetime_is_copenhagen_time_with_summer_time() {
        // 2026-11-23 05:42 UTC is 06:42 in winter; 2026-07-01 10:00 UTC is 12:00 in summer.
        assert_eq!(datetime(1_795_412_520, "%d.%m.%Y kl. %H.%M"), "23.11.2026 kl. 06.42");
        assert_eq!(datetime(1_782_900_000, "%Y-%m-%d %H:%M"), "2026-07-01 12:00");
    }

    proptest! {
        // Reference: undo the Danish punctuation and compare with Rust's own rounding.
        #[test]
        fn decimal_reads_back_as_the_rounded_value(v in -1.0e12f64..1.0e12, d in 0usize..4) {
            let danish = decimal(v, d);
            let back: String = danish.chars().filter(|c| *c != '.').map(|c| if c == ',' { '.' } else { c }).collect();
            let expected = format!("{v:.d$}");
            let parsed: f64 = back.parse().unwrap();
            let reference: f64 = expected.parse().unwrap();
            // Exact equality is the point: both sides come from the same rounding.
            #[expect(clippy::float_cmp, reason = "compares a value with its own rounding, which is exact")]
            let same = parsed == reference;
            prop_assert!(same, "{} vs {}", danish, expected);
            // Groups between dots are exactly three digits.
            let whole = danish.trim_start_matches('-').split(',').next().unwrap();
            let groups: Vec<&str> = whole.split('.').collect();
            prop_assert!(groups[0].len() <= 3 && !groups[0].is_empty());
            prop_assert!(groups[1..].iter().all(|g| g.len() == 3));
        }

        #[test]
        fn integer_matches_decimal_without_fraction(v in any::<i32>()) {
            prop_assert_eq!(integer(i64::from(v)), decimal(f64::from(v), 0));
        }
    }
}
