//! The register panel and the jobcentre's own cases as the figures a plan report reads, with
//! small cells hidden for readers who may not see them.

use indsats_domain::PeriodKind;
use indsats_domain::disclosure::is_suppressed;
use indsats_domain::indicator::Category;
use indsats_domain::municipality;
use indsats_domain::plan::Measure;
use indsats_register::series::{SeriesIndex, SeriesKey};
use indsats_report::document::Figures;
use indsats_report::evaluate::{Observation, Series};

/// [`Figures`] over an indexed panel.
#[derive(Debug, Clone, Copy)]
pub struct PanelFigures<'a> {
    /// The panel.
    pub index: &'a SeriesIndex,
    /// Whether the reader may see cells of 1-4 persons (only caseworkers may).
    pub sees_small_cells: bool,
}

impl Figures for PanelFigures<'_> {
    fn series(&self, municipality: u16, measure: Measure, category: Category) -> Series {
        let Measure::Register(indicator) = measure else { return Series::default() };
        let read = |kind| -> Vec<Observation> {
            self.index
                .get(&SeriesKey { municipality, indicator, category, kind })
                .iter()
                .map(|p| Observation {
                    period: p.period,
                    value: (self.sees_small_cells || !is_suppressed(p.persons)).then_some(p.value),
                })
                .collect()
        };
        Series { quarters: read(PeriodKind::Quarter), years: read(PeriodKind::Year) }
    }

    fn similar(&self, municipality: u16, n: usize) -> Vec<u16> {
        self.index.similar(municipality, n)
    }

    fn name(&self, municipality: u16) -> String {
        municipality_name(municipality)
    }
}

/// The cases a site holds, as a source of the operational figures (`sager.*`) of its own
/// municipality.
#[derive(Debug, Clone, Copy)]
pub struct CaseSource<'a> {
    /// The municipality whose jobcentre keeps the cases (the site's).
    pub municipality: u16,
    /// The cases.
    pub facts: &'a [indsats_store::CaseFacts],
    /// Today: only periods that have ended have figures.
    pub today: chrono::NaiveDate,
}

/// [`Figures`] over the register panel and, for the operational measures, the cases. Other
/// municipalities and the whole country have no operational figures: their cases are not here.
#[derive(Debug, Clone, Copy)]
pub struct PlanFigures<'a> {
    /// The register panel.
    pub panel: PanelFigures<'a>,
    /// The cases, when the plan's municipality is the site's.
    pub cases: Option<CaseSource<'a>>,
}

impl Figures for PlanFigures<'_> {
    fn series(&self, municipality: u16, measure: Measure, category: Category) -> Series {
        match (measure, self.cases) {
            (Measure::Case(m), Some(cases)) if cases.municipality == municipality => {
                crate::case_figures::series(cases.facts, m, category, cases.today, self.panel.sees_small_cells)
            }
            (Measure::Case(_), _) => Series::default(),
            _ => self.panel.series(municipality, measure, category),
        }
    }

    fn similar(&self, municipality: u16, n: usize) -> Vec<u16> {
        self.panel.similar(municipality, n)
    }

    fn name(&self, municipality: u16) -> String {
        self.panel.name(municipality)
    }
}

/// A municipality's name from Danmarks Statistik's list, or its three-digit code for a code not
/// on it (the whole country, `000`, is named by the caller in the reader's language).
pub fn municipality_name(code: u16) -> String {
    municipality::by_code(code).map_or_else(|| format!("{code:03}"), |m| m.name.clone())
}
