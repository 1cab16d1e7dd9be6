//! Indicator series: the panel indexed for reading one line at a time, as the
//! overview page, the JSON API and the reports do.

use std::collections::HashMap;

use indsats_domain::{Period, PeriodKind};

use crate::{AgeBand, Category, Indicator, PanelRow};

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
    provenance: Option<crate::import::Provenance>,
    last_week: Option<indsats_domain::IsoWeek>,
}

/// How far back from a data set's last week [`SeriesIndex::recent`] reaches: ten years.
pub const RECENT_WEEKS: i32 = 10 * 53;

impl SeriesIndex {
    /// Computes quarters and years over the data set's last ten years (pages and reports show
    /// recent years; long spells reaching decades back need not be computed) and indexes them.
    pub fn recent(dataset: &crate::Dataset) -> Result<Self, crate::RegisterError> {
        let Some((first, last)) = dataset.week_span() else { return Ok(Self::default()) };
        let first = first.max(last - RECENT_WEEKS);
        let week = |i| indsats_domain::IsoWeek::from_index(i).map(Period::Week);
        let (Some(from), Some(to)) = (week(first), week(last)) else { return Ok(Self::default()) };
        let ranges = [PeriodKind::Quarter, PeriodKind::Year]
            .into_iter()
            .map(|kind| crate::PeriodRange::spanning(kind, from, to))
            .collect::<Result<Vec<_>, _>>()?;
        let rows = crate::engine::compute(dataset, &ranges, &crate::engine::Options { threads: 0, chunk: 4096 })?;
        let mut index = Self::new(&rows);
        index.provenance = dataset.provenance().cloned();
        index.last_week = indsats_domain::IsoWeek::from_index(last);
        Ok(index)
    }

    /// Which data set the figures come from, when it was loaded from a data set directory.
    pub fn provenance(&self) -> Option<&crate::import::Provenance> {
        self.provenance.as_ref()
    }

    /// The data set's last week with a benefit or activation spell: how far its figures reach.
    pub fn last_week(&self) -> Option<indsats_domain::IsoWeek> {
        self.last_week
    }

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
        Self { series, municipalities, provenance: None, last_week: None }
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

    /// Up to `n` municipalities whose 16-66 population is most like `municipality`'s in its
    /// latest year: the shares of each age band (16-24 ... 60-66) and each origin, compared by
    /// Euclidean distance, nearest first. Municipalities without that year are left out.
    pub fn similar(&self, municipality: u16, n: usize) -> Vec<u16> {
        let structure = |code: u16| -> Option<(Period, Vec<f64>)> {
            let key = |category| SeriesKey {
                municipality: code,
                indicator: Indicator::Befolkning,
                category,
                kind: PeriodKind::Year,
            };
            let total = *self.get(&key(Category::Total)).last()?;
            if total.value <= 0.0 {
                return None;
            }
            let shares = Category::ALL
                .into_iter()
                .filter(|c| matches!(c, Category::Age(b) if *b != AgeBand::A20To29) || matches!(c, Category::Origin(_)))
                .map(|c| {
                    self.get(&key(c)).iter().find(|p| p.period == total.period).map_or(0.0, |p| p.value / total.value)
                })
                .collect();
            Some((total.period, shares))
        };
        let Some((year, own)) = structure(municipality) else { return Vec::new() };
        let mut distances: Vec<(f64, u16)> = self
            .municipalities
            .iter()
            .filter(|c| **c != municipality && **c != crate::WHOLE_COUNTRY)
            .filter_map(|c| {
                let (period, shares) = structure(*c).filter(|(p, _)| *p == year)?;
                let d: f64 = own.iter().zip(&shares).map(|(a, b)| (a - b).powi(2)).sum();
                (period == year).then_some((d.sqrt(), *c))
            })
            .collect();
        distances.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        distances.into_iter().take(n).map(|(_, c)| c).collect()
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

    fn population(municipality: u16, young: f64, old: f64) -> Vec<PanelRow> {
        let row = |category, value| PanelRow {
            municipality,
            period: Period::Year(2022),
            indicator: Indicator::Befolkning,
            category,
            value,
            persons: 100,
        };
        vec![
            row(Category::Total, young + old),
            row(Category::Age(AgeBand::A16To24), young),
            row(Category::Age(AgeBand::A60To66), old),
        ]
    }

    #[test]
    fn similar_municipalities_are_the_nearest_in_population_structure() {
        let rows: Vec<PanelRow> =
            [(159, 30.0, 70.0), (101, 60.0, 40.0), (147, 32.0, 68.0), (173, 40.0, 60.0), (0, 50.0, 50.0)]
                .into_iter()
                .flat_map(|(m, y, o)| population(m, y, o))
                .collect();
        let index = SeriesIndex::new(&rows);
        // 147 (0.32) is nearest to 159 (0.30), then 173 (0.40), then 101 (0.60); never itself or the country.
        assert_eq!(index.similar(159, 2), [147, 173]);
        assert_eq!(index.similar(159, 10), [147, 173, 101]);
        assert!(index.similar(999, 3).is_empty());
    }
}
