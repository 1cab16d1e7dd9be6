//! The manager's audit search (issue 12 item 9), under Borgere: the log by staff user, event,
//! date range and citizen, newest first, 50 rows a page. The filters travel in the URL, the
//! citizen only as an internal id: a CPR number is typed into a POST form, looked up (an
//! audited `citizen.search`) and replaced by the id before the redirect to the results. Every
//! search is audited (`audit.search`). Results show ids and codes, never a CPR number.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::NaiveDate;
use indsats_app::audit_search::{self as use_case, Filters};
use indsats_app::cases::{self as cases, CaseError};
use indsats_domain::{Action, Area, AuditEvent, CitizenId, Username};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;

use crate::citizens::actor;
use crate::context::RequestContext;
use crate::error::AppError;
use crate::forms::Form;
use crate::pages::{Layout, render_with_status};
use crate::state::AppState;

/// The search page (GET with the filters) and where the form posts.
pub const PAGE: &str = "/borgere/revisionsspor";

/// The search page.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().route(PAGE, get(show).post(post_form))
}

/// The filters as the URL and the form carry them, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
struct Fields {
    #[serde(default)]
    bruger: String,
    #[serde(default)]
    haendelse: String,
    #[serde(default)]
    fra: String,
    #[serde(default)]
    til: String,
    /// The citizen's internal id (from a CPR look-up).
    #[serde(default)]
    borger: String,
    /// The newest row the first page showed.
    #[serde(default)]
    til_id: String,
    #[serde(default)]
    side: String,
}

impl Fields {
    fn is_empty(&self) -> bool {
        [&self.bruger, &self.haendelse, &self.fra, &self.til, &self.borger].iter().all(|f| f.trim().is_empty())
    }

    /// The results URL for these filters on `page`.
    fn url(&self, page: i64) -> String {
        let mut pairs: Vec<(&str, String)> = [
            ("bruger", &self.bruger),
            ("haendelse", &self.haendelse),
            ("fra", &self.fra),
            ("til", &self.til),
            ("borger", &self.borger),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k, v.trim().to_owned()))
        .collect();
        if !self.til_id.is_empty() {
            pairs.push(("til_id", self.til_id.clone()));
        }
        pairs.push(("side", page.to_string()));
        format!("{PAGE}?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default())
    }
}

/// The form as posted: the filters and a CPR number.
#[derive(Debug, Default, Deserialize)]
struct PostedFields {
    #[serde(default)]
    bruger: String,
    #[serde(default)]
    haendelse: String,
    #[serde(default)]
    fra: String,
    #[serde(default)]
    til: String,
    #[serde(default)]
    cpr: String,
}

/// A field's text, or `None` when blank.
fn text(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

/// Parses the filters; each one that does not parse is named at its field.
fn parse(ctx: &RequestContext, f: &Fields) -> Result<Filters, Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    let date = |field: &'static str, s: &str, errors: &mut Vec<(&'static str, String)>| {
        text(s).and_then(|s| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| errors.push((field, ctx.locale.t("audit-search-bad-date"))))
                .ok()
        })
    };
    let user = text(&f.bruger).and_then(|s| {
        Username::parse(s).map_err(|_| errors.push(("bruger", ctx.locale.t("audit-search-bad-user")))).ok()
    });
    let kind = text(&f.haendelse).and_then(|s| {
        if AuditEvent::CODES.contains(&s) {
            Some(s.to_owned())
        } else {
            errors.push(("haendelse", ctx.locale.t("audit-search-bad-kind")));
            None
        }
    });
    let from = date("fra", &f.fra, &mut errors);
    let to = date("til", &f.til, &mut errors);
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        errors.push(("til", ctx.locale.t("audit-search-to-before-from")));
    }
    let citizen = text(&f.borger).and_then(|s| s.parse::<i64>().map(CitizenId).ok());
    let upto = text(&f.til_id).and_then(|s| s.parse::<i64>().ok());
    let page = text(&f.side).and_then(|s| s.parse::<i64>().ok()).unwrap_or(1).max(1);
    if errors.is_empty() { Ok(Filters { user, kind, from, to, citizen, upto, page }) } else { Err(errors) }
}

/// A row of the results, worded.
#[derive(Debug)]
struct ResultRow {
    at: String,
    actor: String,
    action: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "audit_search.html")]
struct SearchPage {
    layout: Layout,
    f: Fields,
    kinds: Vec<&'static str>,
    errors: Vec<(&'static str, String)>,
    searched: bool,
    citizen: Option<String>,
    rows: Vec<ResultRow>,
    page: i64,
    previous: Option<String>,
    next: Option<String>,
}

impl SearchPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| *f == field).map(|(_, e)| e.as_str())
    }
}

async fn page(
    state: &AppState,
    ctx: &RequestContext,
    status: StatusCode,
    f: Fields,
    errors: Vec<(&'static str, String)>,
) -> Result<Response, AppError> {
    let user = ctx.require(Action::SearchAuditLog)?;
    let mut page = SearchPage {
        layout: Layout::new(state, ctx, ctx.locale.t("audit-search-title"), Some(Area::Citizens)),
        kinds: AuditEvent::CODES.to_vec(),
        searched: false,
        citizen: None,
        rows: Vec::new(),
        page: 1,
        previous: None,
        next: None,
        f,
        errors,
    };
    if page.errors.is_empty() && !page.f.is_empty() {
        match parse(ctx, &page.f) {
            Ok(filters) => {
                let found = use_case::search(&*state.store, user.id, &filters).await?;
                page.searched = true;
                page.page = filters.page;
                page.citizen =
                    filters.citizen.map(|c| ctx.locale.t_args("audit-search-citizen-id", &[("id", &c.to_string())]));
                page.f.til_id = found.upto.map(|u| u.to_string()).unwrap_or_default();
                page.previous = (filters.page > 1).then(|| page.f.url(filters.page - 1));
                page.next = found.more.then(|| page.f.url(filters.page + 1));
                page.rows = found
                    .entries
                    .into_iter()
                    .map(|e| ResultRow {
                        at: page.layout.datetime(&e.at),
                        actor: e.actor.map(|a| a.to_string()).unwrap_or_default(),
                        action: e.action,
                        detail: e.detail,
                    })
                    .collect();
            }
            Err(errors) => page.errors = errors,
        }
    }
    let status = if page.errors.is_empty() { status } else { StatusCode::UNPROCESSABLE_ENTITY };
    render_with_status(status, &page)
}

/// The search form, and the results when the URL carries filters (the search audited).
async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(f): Query<Fields>,
) -> Result<Response, AppError> {
    page(&state, &ctx, StatusCode::OK, f, Vec::new()).await
}

/// The form with a CPR number: looks the citizen up (audited) and goes to the results by id.
/// A refused number comes back at its field, the field emptied.
async fn post_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    Form(posted): Form<PostedFields>,
) -> Result<Response, AppError> {
    let actor = actor(&ctx, Action::SearchAuditLog)?;
    let mut f = Fields {
        bruger: posted.bruger,
        haendelse: posted.haendelse,
        fra: posted.fra,
        til: posted.til,
        ..Fields::default()
    };
    if !posted.cpr.trim().is_empty() {
        match cases::find_by_cpr(&*state.store, &state.vault, actor, &posted.cpr).await {
            Ok(citizen) => f.borger = citizen.to_string(),
            Err(CaseError::Invalid(_)) => {
                let errors = vec![("cpr", ctx.locale.t("citizens-search-invalid"))];
                return page(&state, &ctx, StatusCode::UNPROCESSABLE_ENTITY, f, errors).await;
            }
            Err(CaseError::NotFound) => {
                let errors = vec![("cpr", ctx.locale.t("citizens-search-none"))];
                return page(&state, &ctx, StatusCode::UNPROCESSABLE_ENTITY, f, errors).await;
            }
            Err(e) => return Err(crate::citizens::case_error(&ctx, e)),
        }
    }
    Ok(Redirect::to(&f.url(1)).into_response())
}
