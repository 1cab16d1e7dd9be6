//! Overblik: the municipality's key register figures over time, next to the whole country.

use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use indsats_domain::Place;
use indsats_domain::{Action, Area, Period, PeriodKind, disclosure};
use indsats_register::series::{Point, SeriesKey};
use indsats_register::{Category, Indicator};
use indsats_report::chart::{Chart, Line, LineStyle};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::context::RequestContext;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::pages::{Layout, render};
use crate::state::AppState;

/// The overview page and the indicator series in the API.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().route(&crate::pages::area_url(Area::Overview), get(show)).routes(routes!(series_json))
}

/// How many quarters the overview shows.
const QUARTERS_SHOWN: usize = 20;
/// How many of them the tables list.
pub(crate) const QUARTERS_TABULATED: usize = 8;

/// The indicators on the overview, in page order.
pub(crate) fn key_indicators() -> [Indicator; 4] {
    use indsats_register::indicator::Subject;
    [
        Indicator::Andel(Subject::OffentligForsoergelse),
        Indicator::Andel(Subject::Langvarige),
        Indicator::Virksomhedsrettet,
        Indicator::Opkvalificering,
    ]
}

fn indicator_label(locale: Locale, indicator: Indicator) -> String {
    locale.t(&format!("indicator-{}", indicator.as_str().replace(['.', '_'], "-")))
}

fn category_label(locale: Locale, category: Category) -> String {
    locale.t(&format!("category-{}", category.as_str().replace('_', "-").to_lowercase()))
}

struct TableRow {
    period: String,
    municipality: String,
    country: String,
}

struct Section {
    id: String,
    title: String,
    svg: String,
    caption: String,
    rows: Vec<TableRow>,
}

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage {
    layout: Layout,
    welcome: String,
    intro: Option<String>,
    categories: Vec<(&'static str, String, bool)>,
    sections: Vec<Section>,
    any_suppressed: bool,
}

/// The overview's query: which population group.
#[derive(Debug, Deserialize)]
pub struct OverviewQuery {
    kategori: Option<String>,
}

/// A point as shown to this user: `None` when suppressed.
pub(crate) fn shown(point: &Point, unsuppressed: bool) -> Option<f64> {
    (unsuppressed || !disclosure::is_suppressed(point.persons)).then_some(point.value)
}

/// `GET /overblik`.
#[expect(clippy::too_many_lines, reason = "one pass builds each section's chart and table from the same points")]
async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(query): Query<OverviewQuery>,
) -> Result<Response, AppError> {
    let user = ctx.require(Action::ViewOverview)?;
    let locale = ctx.locale;
    let category = match query.kategori.as_deref() {
        None | Some("") => Category::ALL[0],
        Some(raw) => raw.parse().map_err(|_| AppError::invalid("kategori", locale.t("overview-no-series")))?,
    };
    let layout = Layout::new(&state, &ctx, locale.t("overview-title"), Some(Area::Overview));
    let welcome = locale.t_args("welcome", &[("name", &user.display_name)]);
    let categories =
        Category::ALL.into_iter().map(|c| (c.as_str(), category_label(locale, c), c == category)).collect();
    let site = state.site.as_ref().as_ref();
    let (Some(index), Some(site)) = (state.indicators.as_ref().as_ref(), site) else {
        return render(&OverviewPage {
            layout,
            welcome,
            intro: None,
            categories,
            sections: Vec::new(),
            any_suppressed: false,
        });
    };
    let municipality = site.municipality_code.get();
    let unsuppressed = user.role.sees_small_cells();
    // The figures in the reader's number format, as the report words them.
    let labels = indsats_app::plans::report_labels(locale);
    let numbers = labels.numbers();
    // Every heading and caption names the chosen group, so a figure is never read as the total.
    let group = category_label(locale, category);
    let mut any_suppressed = false;
    let mut sections = Vec::new();
    for indicator in key_indicators() {
        let key = SeriesKey { municipality, indicator, category, kind: PeriodKind::Quarter };
        let local = index.get(&key);
        let country = index.get(&SeriesKey { municipality: Place::Country.code(), ..key });
        let local = &local[local.len().saturating_sub(QUARTERS_SHOWN)..];
        let periods: Vec<Period> = local.iter().map(|p| p.period).collect();
        let local_values: Vec<Option<f64>> = local.iter().map(|p| shown(p, unsuppressed)).collect();
        let country_values: Vec<Option<f64>> = periods
            .iter()
            .map(|period| country.iter().find(|p| p.period == *period).and_then(|p| shown(p, unsuppressed)))
            .collect();
        any_suppressed |= local_values.iter().chain(&country_values).any(Option::is_none);
        let title = indicator_label(locale, indicator);
        let chart = Chart {
            title: format!("{title} ({group})"),
            x_labels: periods.iter().map(|p| labels.period(*p)).collect(),
            lines: vec![
                Line { label: site.municipality_name.clone(), values: local_values.clone(), style: LineStyle::Primary },
                Line {
                    label: locale.t("overview-whole-country"),
                    values: country_values.clone(),
                    style: LineStyle::Comparison,
                },
            ],
            percent: true,
            decimals: 1,
            numbers,
        };
        let cell = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format!("{} %", numbers.decimal(v, 1)));
        let rows = periods
            .iter()
            .zip(local_values.iter().zip(&country_values))
            .rev()
            .take(QUARTERS_TABULATED)
            .map(|(period, (l, c))| TableRow {
                period: labels.period(*period),
                municipality: cell(*l),
                country: cell(*c),
            })
            .collect();
        let id = indicator.as_str().replace('.', "-");
        sections.push(Section {
            svg: chart.svg(&id),
            id,
            caption: locale.t_args("overview-table-caption", &[("indicator", &title), ("group", &group)]),
            title: locale.t_args("overview-section-title", &[("indicator", &title), ("group", &group)]),
            rows,
        });
    }
    let intro = Some(locale.t_args("overview-intro", &[("municipality", &site.municipality_name)]));
    render(&OverviewPage { layout, welcome, intro, categories, sections, any_suppressed })
}

/// The query of `GET /api/v1/indicators`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SeriesQuery {
    /// Municipality code; `000` is the whole country [default: this installation's municipality].
    municipality: Option<String>,
    /// Indicator, e.g. `andel.offentlig_forsoergelse`.
    indicator: String,
    /// Category, e.g. `i_alt`, `25-29`, `K`, `ikke_vestlig_i_alt` [default: `i_alt`].
    category: Option<String>,
    /// `quarter` or `year` [default: `quarter`].
    period: Option<String>,
}

/// One point of a series in the API; suppressed points have no value or persons.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SeriesPoint {
    /// `2024Q3`, `2024` or `2024W07`.
    pub period: String,
    /// The figure, absent when suppressed.
    pub value: Option<f64>,
    /// Distinct persons behind it, absent when suppressed.
    pub persons: Option<u32>,
    /// Whether the cell rests on fewer than 5 persons and is hidden from this user.
    pub suppressed: bool,
}

/// A series in the API.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Series {
    /// Municipality code (`000` for the whole country).
    pub municipality: String,
    /// Indicator.
    pub indicator: String,
    /// Dimension of the category.
    pub dimension: String,
    /// Category.
    pub category: String,
    /// The points in period order.
    pub points: Vec<SeriesPoint>,
}

/// An indicator series from the register data (cells under 5 persons suppressed except for caseworkers).
#[utoipa::path(get, path = "/api/v1/indicators", tag = "indicators", params(SeriesQuery),
    responses((status = 200, body = Series), (status = 401, body = crate::error::ApiError),
              (status = 403, body = crate::error::ApiError), (status = 404, body = crate::error::ApiError),
              (status = 422, body = crate::error::ApiError)))]
async fn series_json(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(query): Query<SeriesQuery>,
) -> Result<Json<Series>, AppError> {
    let user = ctx.require(Action::ViewOverview)?;
    let locale = ctx.locale;
    let index = state.indicators.as_ref().as_ref().ok_or(AppError::NotFound)?;
    let place = match query.municipality.as_deref() {
        Some("000") => Place::Country,
        Some(raw) => Place::Municipality(
            raw.parse::<indsats_domain::MunicipalityCode>()
                .map_err(|e| AppError::invalid("municipality", e.to_string()))?,
        ),
        None => {
            Place::Municipality(state.site.as_ref().as_ref().map(|s| s.municipality_code).ok_or(AppError::NotFound)?)
        }
    };
    let municipality = place.code();
    let indicator: Indicator = query
        .indicator
        .parse()
        .map_err(|e: indsats_register::indicator::UnknownIndicator| AppError::invalid("indicator", e.to_string()))?;
    let category: Category = query
        .category
        .as_deref()
        .unwrap_or("i_alt")
        .parse()
        .map_err(|e: indsats_register::indicator::UnknownCategory| AppError::invalid("category", e.to_string()))?;
    let kind = match query.period.as_deref().unwrap_or("quarter") {
        "quarter" => PeriodKind::Quarter,
        "year" => PeriodKind::Year,
        _ => return Err(AppError::invalid("period", locale.t("error-field-invalid"))),
    };
    let unsuppressed = user.role.sees_small_cells();
    let points = index
        .get(&SeriesKey { municipality, indicator, category, kind })
        .iter()
        .map(|p| {
            let value = shown(p, unsuppressed);
            SeriesPoint {
                period: p.period.to_string(),
                value,
                persons: value.map(|_| p.persons),
                suppressed: value.is_none(),
            }
        })
        .collect();
    Ok(Json(Series {
        municipality: format!("{municipality:03}"),
        indicator: indicator.to_string(),
        dimension: category.dimension().as_str().to_owned(),
        category: category.to_string(),
        points,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_and_key_indicator_has_a_label_in_both_languages() {
        for locale in [Locale::Da, Locale::En] {
            for category in Category::ALL {
                let label = category_label(locale, category);
                assert!(!label.starts_with("category-"), "{label}");
            }
            for indicator in key_indicators() {
                let label = indicator_label(locale, indicator);
                assert!(!label.starts_with("indicator-"), "{label}");
            }
        }
    }
}
