//! Regelberegner: the case-work rules for a hypothetical course, for caseworkers and auditors
//! (the same calculation as `indsats rules due`). A GET form: nothing is stored and nothing
//! about a real citizen is asked for.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use chrono::NaiveDate;
use indsats_domain::rules::{Course, Holder, ObligationKind, TargetGroup};
use indsats_domain::{Action, Area};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;

use crate::context::RequestContext;
use crate::error::AppError;
use crate::pages::{Layout, render_with_status};
use crate::state::AppState;

/// The calculator's page.
pub const URL: &str = "/borgere/regler";

/// The calculator.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().route(URL, get(page))
}

/// The form as sent (all text, so a bad value comes back to its field).
#[derive(Debug, Default, Deserialize)]
struct Fields {
    #[serde(default)]
    group: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    born: String,
    #[serde(default)]
    education: Option<String>,
    #[serde(default)]
    employed: Option<String>,
    #[serde(default)]
    expected_weeks: String,
}

/// One obligation, worded.
#[derive(Debug)]
struct Row {
    what: String,
    holder: String,
    count: u32,
    due: String,
    regime: String,
    source: String,
    flag: String,
}

#[derive(Template)]
#[template(path = "rule_calculator.html")]
struct Page {
    layout: Layout,
    f: Fields,
    groups: Vec<(&'static str, String)>,
    errors: Vec<(&'static str, String)>,
    closed: Option<String>,
    rows: Option<Vec<Row>>,
}

impl Page {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| *f == field).map(|(_, e)| e.as_str())
    }
}

fn kind_key(kind: ObligationKind) -> &'static str {
    match kind {
        ObligationKind::Conversation => "due-conversation",
        ObligationKind::JointConversation => "due-joint-conversation",
        ObligationKind::FollowUp => "due-follow-up",
        ObligationKind::Offer => "due-offer",
    }
}

fn date(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

/// The calculator: the empty form, or the obligations of the course it describes.
async fn page(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(f): Query<Fields>,
) -> Result<Response, AppError> {
    ctx.require(Action::ViewCitizens)?;
    let t = |key: &str| ctx.locale.t(key);
    let groups = TargetGroup::ALL.iter().map(|g| (g.code(), t(crate::citizens::target_group_key(*g)))).collect();
    let mut errors = Vec::new();
    let mut closed = None;
    let mut rows = None;
    if !f.group.is_empty() || !f.start.is_empty() {
        let invalid = t("case-problem-invalid");
        let group = f.group.parse::<TargetGroup>().map_err(|_| errors.push(("group", invalid.clone()))).ok();
        let start = date(&f.start).or_else(|| {
            errors.push(("start", invalid.clone()));
            None
        });
        let born = if f.born.trim().is_empty() {
            None
        } else {
            date(&f.born).or_else(|| {
                errors.push(("born", invalid.clone()));
                None
            })
        };
        let weeks = if f.expected_weeks.trim().is_empty() {
            None
        } else {
            f.expected_weeks.trim().parse::<u32>().map_err(|_| errors.push(("expected_weeks", invalid.clone()))).ok()
        };
        if let (Some(group), Some(start), true) = (group, start, errors.is_empty()) {
            let book = indsats_app::due::rule_book();
            if let Some((regime, _)) = book.closure(group, start) {
                closed = Some(ctx.locale.t_args("rules-closed", &[("regime", &regime.title)]));
            }
            let course = Course {
                born,
                education: f.education.is_some(),
                employed: f.employed.is_some(),
                expected_weeks: weeks,
                ..Course::new(group, start)
            };
            rows = Some(
                book.due(&course)
                    .into_iter()
                    .map(|o| Row {
                        what: t(kind_key(o.kind)),
                        holder: t(if o.holder == Holder::Akasse { "due-holder-akasse" } else { "due-holder-kommune" }),
                        count: o.count,
                        due: o.due.format("%d.%m.%Y").to_string(),
                        regime: o.regime,
                        source: o.source,
                        flag: o.flag.unwrap_or_default(),
                    })
                    .collect(),
            );
        }
    }
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = Page {
        layout: Layout::new(&state, &ctx, t("rules-title"), Some(Area::Citizens)),
        f,
        groups,
        errors,
        closed,
        rows,
    };
    render_with_status(status, &page)
}
