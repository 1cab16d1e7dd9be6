//! Indicator series: the panel indexed for reading one line at a time, as the
//! overview page, the JSON API and the reports do.

use std::collections::HashMap;

use indsats_domain::{Period, PeriodKind};

use crate::{Category, Indicator, PanelRow};

/// One point of a series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// The period.
    pub period: Period,
    /// The value (full-time persons or a percentage).
    pub value: f64,
    /// Distinct persons behind the value.
    pub persons: u32,
}

/// Which line: municipality (0 for the whole country), indicator, category and period kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SeriesKey {
    /// Municipality code, or [`crate::WHOLE_COUNTRY`].
    pub municipality: u16,
    /// Indicator.
    pub indicator: Indicator,
    /// Population category.
    pub category: Category,
    /// Weeks, quarters or years.
    pub kind: PeriodKind,
}

/// A panel indexed by series, each series in period order.
#[derive(Debug, Clone, Default)]
pub struct SeriesIndex {
    series: HashMap<SeriesKey, Vec<Point>>,
    municipalities: Vec<u16>,
}

impl SeriesIndex {
    /// Indexes panel rows.
    pub fn new(rows: &[PanelRow]) -> Self {
        let mut series: HashMap<SeriesKey, Vec<Point>> = HashMap::new();
        for row in rows {
            let key = SeriesKey {
                municipality: row.municipality,
                indicator: row.indicator,
                category: row.category,
                kind: row.period.kind(),
            };
            series.entry(key).or_default().push(Point { period: row.period, value: row.value, persons: row.persons });
        }
        for points in series.values_mut() {
            points.sort_by_key(|p| p.period);
        }
        let mut municipalities: Vec<u16> = series.keys().map(|k| k.municipality).collect();
        municipalities.sort_unstable();
        municipalities.dedup();
        Self { series, municipalities }
    }

    /// One series; empty when the panel has no such line.
    pub fn get(&self, key: &SeriesKey) -> &[Point] {
        self.series.get(key).map_or(&[], Vec::as_slice)
    }

    /// The municipalities present (the whole country included as 0).
    pub fn municipalities(&self) -> &[u16] {
        &self.municipalities
    }

    /// Whether the index holds no figures.
    pub fn is_empty(&self) -> bool {
        self.series.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use indsats_domain::Quarter;

    fn row(municipality: u16, q: u32, value: f64) -> PanelRow {
        PanelRow {
            municipality,
            period: Period::Quarter(Quarter::new(2021, q).unwrap()),
            indicator: Indicator::Befolkning,
            category: Category::ALL[0],
            value,
            persons: 7,
        }
    }

    #[test]
    fn series_come_out_in_period_order_per_municipality() {
        let index = SeriesIndex::new(&[row(175, 3, 3.0), row(175, 1, 1.0), row(0, 2, 9.0), row(175, 2, 2.0)]);
        let key = SeriesKey {
            municipality: 175,
            indicator: Indicator::Befolkning,
            category: Category::ALL[0],
            kind: PeriodKind::Quarter,
        };
        let values: Vec<f64> = index.get(&key).iter().map(|p| p.value).collect();
        assert_eq!(values, [1.0, 2.0, 3.0]);
        assert_eq!(index.get(&SeriesKey { municipality: 0, ..key }).len(), 1);
        assert!(index.get(&SeriesKey { kind: PeriodKind::Year, ..key }).is_empty());
        assert_eq!(index.municipalities(), &[0, 175]);
    }
}
