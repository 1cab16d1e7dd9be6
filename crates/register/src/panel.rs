//! The engine's output: one row per municipality, period, indicator and category, and its CSV form.

use std::io::{self, Write};

use indsats_domain::{Period, PeriodKind};

use crate::RegisterError;
use crate::indicator::{Category, Dimension, Indicator};

pub use indsats_domain::municipality::WHOLE_COUNTRY;

/// A requested run of consecutive periods of one kind, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodRange {
    from: Period,
    to: Period,
}

impl PeriodRange {
    /// The periods `from` to `to`, which must be of the same kind and in order.
    pub fn new(from: Period, to: Period) -> Result<Self, RegisterError> {
        if from.kind() != to.kind() || from > to {
            return Err(RegisterError::InvalidRange { from: from.to_string(), to: to.to_string() });
        }
        Ok(Self { from, to })
    }

    /// The periods of `kind` that cover the weeks from the start of `from` to the end of `to`
    /// (`from` and `to` may be of any kind, e.g. quarters 2019Q1-2024Q4 as years 2019-2024).
    pub fn spanning(kind: PeriodKind, from: Period, to: Period) -> Result<Self, RegisterError> {
        let invalid = || RegisterError::InvalidRange { from: from.to_string(), to: to.to_string() };
        let first = kind.period_of_index(from.week_indices().start).ok_or_else(invalid)?;
        let last = kind.period_of_index(to.week_indices().end - 1).ok_or_else(invalid)?;
        Self::new(first, last)
    }

    /// The first period.
    pub fn from(self) -> Period {
        self.from
    }

    /// The last period.
    pub fn to(self) -> Period {
        self.to
    }

    /// The kind of both ends.
    pub fn kind(self) -> PeriodKind {
        self.from.kind()
    }

    /// The periods in order.
    pub fn periods(self) -> impl Iterator<Item = Period> {
        std::iter::successors(Some(self.from), move |p| p.next().filter(|n| *n <= self.to))
    }
}

/// Checks a request and puts its ranges in row order (weeks, quarters, years).
pub(crate) fn sorted_ranges(ranges: &[PeriodRange]) -> Result<Vec<PeriodRange>, RegisterError> {
    let mut sorted = ranges.to_vec();
    sorted.sort_by_key(|r| r.kind());
    if let Some(pair) = sorted.windows(2).find(|p| p[0].kind() == p[1].kind()) {
        return Err(RegisterError::DuplicateKind(pair[0].kind().as_str()));
    }
    Ok(sorted)
}

/// One figure of the panel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PanelRow {
    /// The municipality code, or [`WHOLE_COUNTRY`].
    pub municipality: u16,
    /// The period.
    pub period: Period,
    /// The indicator.
    pub indicator: Indicator,
    /// The population category; its dimension is [`PanelRow::dimension`].
    pub category: Category,
    /// Full-time persons, or a percentage for share indicators.
    pub value: f64,
    /// Distinct persons behind the numerator (for `befolkning`: distinct residents).
    pub persons: u32,
}

impl PanelRow {
    /// The dimension of the row's category.
    pub fn dimension(&self) -> Dimension {
        self.category.dimension()
    }

    /// The key rows are ordered by: period kind, municipality, period, indicator, category.
    pub fn sort_key(&self) -> (PeriodKind, u16, Period, Indicator, Category) {
        (self.period.kind(), self.municipality, self.period, self.indicator, self.category)
    }
}

/// Writes rows as CSV with the header `municipality,period,indicator,dimension,category,value,persons`.
///
/// Municipalities are three digits (`000` for the whole country); values use a decimal
/// point and at least six decimals, more when the shortest exact representation needs them,
/// so the file reads back to the same `f64`. Rows are written in the order given.
pub fn write_csv<W: Write>(rows: &[PanelRow], out: &mut W) -> io::Result<()> {
    writeln!(out, "municipality,period,indicator,dimension,category,value,persons")?;
    let mut value = String::new();
    for row in rows {
        format_value(row.value, &mut value);
        writeln!(
            out,
            "{:03},{},{},{},{},{},{}",
            row.municipality,
            row.period,
            row.indicator,
            row.dimension().as_str(),
            row.category,
            value,
            row.persons
        )?;
    }
    Ok(())
}

/// Full-time persons: person-weeks divided by the weeks of the period.
#[expect(clippy::cast_precision_loss, reason = "week counts stay far below 2^53")]
pub(crate) fn full_time(person_weeks: u64, weeks_in_period: u64) -> f64 {
    person_weeks as f64 / weeks_in_period as f64
}

/// `part` as a percentage of `whole` (person-weeks both).
#[expect(clippy::cast_precision_loss, reason = "week counts stay far below 2^53")]
pub(crate) fn share(part: u64, whole: u64) -> f64 {
    100.0 * part as f64 / whole as f64
}

fn format_value(v: f64, out: &mut String) {
    use std::fmt::Write as _;
    out.clear();
    // Display prints the shortest round-trip decimal and never an exponent.
    let _ = write!(out, "{v}");
    let decimals = if let Some(dot) = out.find('.') {
        out.len() - dot - 1
    } else {
        out.push('.');
        0
    };
    for _ in decimals..6 {
        out.push('0');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicator::{AgeBand, Subject};
    use indsats_domain::BenefitGroup;

    fn period(s: &str) -> Period {
        s.parse().unwrap()
    }

    #[test]
    fn values_have_at_least_six_decimals_and_read_back_exactly() {
        let mut s = String::new();
        for (v, expected) in
            [(12.0, "12.000000"), (0.5, "0.500000"), (0.0, "0.000000"), (1.0 / 3.0, "0.3333333333333333")]
        {
            format_value(v, &mut s);
            assert_eq!(s, expected);
            assert_eq!(s.parse::<f64>().unwrap().to_bits(), v.to_bits());
        }
        format_value(1e-9, &mut s);
        assert_eq!(s, "0.000000001");
    }

    #[test]
    fn csv_has_the_agreed_columns() {
        let rows = [
            PanelRow {
                municipality: WHOLE_COUNTRY,
                period: period("2023Q2"),
                indicator: Indicator::Befolkning,
                category: Category::Total,
                value: 2.5,
                persons: 3,
            },
            PanelRow {
                municipality: 175,
                period: period("2023W07"),
                indicator: Indicator::Andel(Subject::Benefit(BenefitGroup::ADagpenge)),
                category: Category::Age(AgeBand::A20To29),
                value: 100.0 / 3.0,
                persons: 1,
            },
        ];
        let mut out = Vec::new();
        write_csv(&rows, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "municipality,period,indicator,dimension,category,value,persons\n\
             000,2023Q2,befolkning,i_alt,i_alt,2.500000,3\n\
             175,2023W07,andel.a_dagpenge,alder,20-29,33.333333333333336,1\n"
        );
    }

    #[test]
    fn ranges_must_be_one_kind_in_order() {
        assert!(PeriodRange::new(period("2023Q1"), period("2023")).is_err());
        assert!(PeriodRange::new(period("2023Q3"), period("2023Q1")).is_err());
        let r = PeriodRange::new(period("2022Q4"), period("2023Q2")).unwrap();
        assert_eq!(r.periods().map(|p| p.to_string()).collect::<Vec<_>>(), ["2022Q4", "2023Q1", "2023Q2"]);
        let y = PeriodRange::new(period("2020"), period("2021")).unwrap();
        assert_eq!(sorted_ranges(&[y, r]).unwrap(), vec![r, y]);
        assert_eq!(sorted_ranges(&[y, y]), Err(RegisterError::DuplicateKind("year")));
    }
}
