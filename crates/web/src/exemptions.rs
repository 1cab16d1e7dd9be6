//! The portfolio rules' exemptions (issue 12 item 2): a citizen's exemption page, where the
//! caseworker exempts the citizen from the 75 % minimums with a reason or ends the exemption,
//! and the manager's quota view per target group against the 25 % limit. The use cases live
//! in [`indsats_app::exemptions`]; this module parses, authorises one action and renders.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use indsats_app::cases::{self as cases, CaseError};
use indsats_app::citizen_plans::saved_local;
use indsats_app::due;
use indsats_app::exemptions::{self as use_case, QuotaView};
use indsats_domain::case::{AccessReason, FieldProblem};
use indsats_domain::rules::Quota;
use indsats_domain::{Action, Area, CitizenId};
use indsats_store::ExemptionFile;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;

use crate::citizens::{ReasonQuery, actor, case_error, parse_reason, problem_text, reason_page, target_group_key};
use crate::context::RequestContext;
use crate::cookies;
use crate::error::AppError;
use crate::forms::Form;
use crate::pages::{Layout, render_with_status};
use crate::state::AppState;

/// Where the exemption pages live.
pub mod url {
    use indsats_domain::CitizenId;
    use indsats_domain::case::AccessReason;

    /// The manager's quota view.
    pub const QUOTA: &str = "/borgere/fritagelser";
    const PAGE: &str = "/borgere/{citizen}/fritagelse";
    const END: &str = "/borgere/{citizen}/fritagelse/afslut";

    /// The router's patterns, in the order above.
    pub(super) const PATTERNS: [&str; 2] = [PAGE, END];

    /// A citizen's exemption page (GET) and where the grant posts; `reason` as the case page holds it.
    pub fn page_for(citizen: CitizenId, reason: &str) -> String {
        let url = PAGE.replace("{citizen}", &citizen.to_string());
        if reason.is_empty() { url } else { format!("{url}?grund={reason}") }
    }

    /// [`page_for`] with the reason as a value.
    pub fn page(citizen: CitizenId, reason: Option<AccessReason>) -> String {
        page_for(citizen, reason.map_or("", AccessReason::code))
    }

    /// Where the end button posts.
    pub fn end(citizen: CitizenId) -> String {
        END.replace("{citizen}", &citizen.to_string())
    }
}

/// The exemption pages.
pub fn router() -> OpenApiRouter<AppState> {
    let [page, end] = url::PATTERNS;
    OpenApiRouter::new().route(url::QUOTA, get(quota)).route(page, get(show).post(grant)).route(end, post(end_post))
}

pub(crate) fn when(unix: i64) -> String {
    saved_local(unix).map(|t| t.format("%d.%m.%Y %H:%M").to_string()).unwrap_or_default()
}

/// An exemption, worded.
#[derive(Debug)]
struct ExemptionView {
    id: i64,
    reason: String,
    granted: String,
    ended: String,
    open: bool,
}

#[derive(Template)]
#[template(path = "citizen_exemption.html")]
struct ExemptionPage {
    layout: Layout,
    message: Option<String>,
    citizen: CitizenId,
    case_url: String,
    reason: &'static str,
    group: String,
    /// Whether the citizen's group is under the portfolio rules in force.
    in_portfolio: bool,
    quota: Option<String>,
    exemptions: Vec<ExemptionView>,
    has_open: bool,
    can_exempt: bool,
    typed: String,
    error: Option<String>,
}

impl ExemptionPage {
    fn end_url(&self) -> String {
        url::end(self.citizen)
    }
    fn page_url(&self) -> String {
        url::page_for(self.citizen, self.reason)
    }
}

/// How a quota reads: "3 af 12 fritaget (højst 3)".
fn quota_text(ctx: &RequestContext, q: &Quota) -> String {
    ctx.locale.t_args(
        "exemption-quota-value",
        &[("exempted", &q.exempted.to_string()), ("total", &q.total.to_string()), ("allowed", &q.allowed.to_string())],
    )
}

#[expect(clippy::too_many_arguments, reason = "one page's parts, each named at the call")]
async fn exemption_page(
    state: &AppState,
    ctx: &RequestContext,
    status: StatusCode,
    citizen: CitizenId,
    reason: Option<AccessReason>,
    file: &ExemptionFile,
    message: Option<String>,
    refused: Option<(String, String)>,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let book = due::rules_in_force(&*state.store).await?;
    let view = use_case::quota(&*state.store, &book, cases::local_now().date()).await?;
    let line = view.groups.iter().find(|l| l.group == Some(file.target_group));
    let (typed, error) = refused.map_or((String::new(), None), |(t, e)| (t, Some(e)));
    let page = ExemptionPage {
        layout: Layout::new(
            state,
            ctx,
            ctx.locale.t_args("exemption-title", &[("name", &file.name)]),
            Some(Area::Citizens),
        ),
        message,
        citizen,
        case_url: crate::citizens::url::case(citizen, reason),
        reason: reason.map_or("", AccessReason::code),
        group: ctx.locale.t(target_group_key(file.target_group)),
        in_portfolio: line.is_some(),
        quota: line.map(|l| quota_text(ctx, &l.quota)),
        exemptions: file
            .exemptions
            .iter()
            .map(|x| ExemptionView {
                id: x.id,
                reason: x.reason.clone(),
                granted: format!(
                    "{} {}",
                    when(x.granted_at),
                    x.granted_by.as_ref().map(ToString::to_string).unwrap_or_default()
                ),
                ended: x
                    .ended_at
                    .map(|at| {
                        format!("{} {}", when(at), x.ended_by.as_ref().map(ToString::to_string).unwrap_or_default())
                    })
                    .unwrap_or_default(),
                open: x.ended_at.is_none(),
            })
            .collect(),
        has_open: file.exemptions.iter().any(|x| x.ended_at.is_none()),
        can_exempt: Action::ExemptCitizen.allows(user.role) && file.open,
        typed,
        error,
    };
    render_with_status(status, &page)
}

/// A citizen's exemption page (the read audited as a read of the case).
async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    headers: HeaderMap,
    Path(citizen): Path<i64>,
    Query(query): Query<ReasonQuery>,
) -> Result<Response, AppError> {
    let actor = actor(&ctx, Action::ViewCitizens)?;
    let citizen = CitizenId(citizen);
    let reason = parse_reason(&ctx, query.grund.as_deref())?;
    let file = match use_case::load(&*state.store, actor, citizen, reason).await {
        Ok(file) => file,
        Err(CaseError::ReasonRequired) => return reason_page(&state, &ctx, url::page(citizen, None)),
        Err(e) => return Err(case_error(&ctx, e)),
    };
    let flash = cookies::Flash::take(&headers);
    let response = exemption_page(&state, &ctx, StatusCode::OK, citizen, reason, &file, flash.message(), None).await?;
    Ok(flash.shown(response, state.config.secure_cookies))
}

#[derive(Debug, Default, Deserialize)]
struct GrantForm {
    #[serde(default)]
    grund: Option<String>,
    #[serde(default)]
    reason: String,
}

fn back(
    state: &AppState,
    ctx: &RequestContext,
    citizen: CitizenId,
    reason: Option<AccessReason>,
    key: &str,
) -> Response {
    let mut response = Redirect::to(&url::page(citizen, reason)).into_response();
    cookies::append(&mut response, &cookies::flash(&ctx.locale.t(key), state.config.secure_cookies));
    response
}

/// Exempts the citizen; a refused grant comes back with the reason typed and the message at the field.
async fn grant(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(citizen): Path<i64>,
    Form(form): Form<GrantForm>,
) -> Result<Response, AppError> {
    let actor = actor(&ctx, Action::ExemptCitizen)?;
    let citizen = CitizenId(citizen);
    let reason = parse_reason(&ctx, form.grund.as_deref())?;
    let book = due::rules_in_force(&*state.store).await?;
    let today = cases::local_now().date();
    match use_case::grant(&*state.store, &book, actor, citizen, reason, &form.reason, today).await {
        Ok(_) => Ok(back(&state, &ctx, citizen, reason, "exemption-granted")),
        Err(CaseError::Invalid(problems)) => {
            let FieldProblem { problem, .. } =
                problems.first().copied().ok_or_else(|| AppError::Internal("no problem".into()))?;
            let file = use_case::load(&*state.store, actor, citizen, reason).await.map_err(|e| case_error(&ctx, e))?;
            let refused = Some((form.reason, problem_text(&ctx, problem)));
            exemption_page(&state, &ctx, StatusCode::UNPROCESSABLE_ENTITY, citizen, reason, &file, None, refused).await
        }
        Err(e) => Err(case_error(&ctx, e)),
    }
}

#[derive(Debug, Default, Deserialize)]
struct EndForm {
    #[serde(default)]
    grund: Option<String>,
    #[serde(default)]
    exemption: i64,
}

/// Ends the citizen's exemption (audited); an exemption ended already is a conflict.
async fn end_post(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(citizen): Path<i64>,
    Form(form): Form<EndForm>,
) -> Result<Response, AppError> {
    let actor = actor(&ctx, Action::ExemptCitizen)?;
    let citizen = CitizenId(citizen);
    let reason = parse_reason(&ctx, form.grund.as_deref())?;
    match use_case::end(&*state.store, actor, citizen, reason, form.exemption).await {
        Ok(()) => Ok(back(&state, &ctx, citizen, reason, "exemption-ended")),
        Err(CaseError::Conflict) => Err(AppError::BadRequest {
            status: StatusCode::CONFLICT,
            field: None,
            problem: Some(ctx.locale.t("exemption-not-open")),
        }),
        Err(e) => Err(case_error(&ctx, e)),
    }
}

/// One line of the quota table, worded.
#[derive(Debug)]
struct QuotaRow {
    name: String,
    pools: String,
    exempted: u32,
    total: u32,
    share: String,
    allowed: u32,
    over: bool,
}

#[derive(Template)]
#[template(path = "exemption_quota.html")]
struct QuotaPage {
    layout: Layout,
    in_force: bool,
    intro: String,
    over_text: String,
    groups: Vec<QuotaRow>,
    pools: Vec<QuotaRow>,
    any_over: bool,
}

fn quota_row(ctx: &RequestContext, name: String, pools: String, q: &Quota) -> QuotaRow {
    let share = if q.total == 0 { 0.0 } else { f64::from(q.exempted) * 100.0 / f64::from(q.total) };
    QuotaRow {
        name,
        pools,
        exempted: q.exempted,
        total: q.total,
        share: ctx.locale.t_args("exemption-share", &[("share", &format!("{share:.1}").replace('.', ","))]),
        allowed: q.allowed,
        over: !q.within,
    }
}

fn quota_rows(ctx: &RequestContext, view: &QuotaView) -> (Vec<QuotaRow>, Vec<QuotaRow>) {
    let pool_names = |(conversation, offer): (bool, bool)| {
        let mut names = Vec::new();
        if conversation {
            names.push(ctx.locale.t("exemption-pool-conversations"));
        }
        if offer {
            names.push(ctx.locale.t("exemption-pool-offer"));
        }
        names.join(", ")
    };
    let groups = view
        .groups
        .iter()
        .filter_map(|l| Some(quota_row(ctx, ctx.locale.t(target_group_key(l.group?)), pool_names(l.pools), &l.quota)))
        .collect();
    let mut pools = Vec::new();
    if let Some(q) = &view.conversation_pool {
        pools.push(quota_row(ctx, ctx.locale.t("exemption-pool-conversations"), String::new(), q));
    }
    if let Some(q) = &view.offer_pool {
        pools.push(quota_row(ctx, ctx.locale.t("exemption-pool-offer"), String::new(), q));
    }
    (groups, pools)
}

/// The manager's quota view: per target group and per pool, exempted out of open cases,
/// against the 25 % limit (counts only; no citizen is named, so nothing to audit).
async fn quota(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    ctx.require(Action::ViewExemptionQuota)?;
    let book = due::rules_in_force(&*state.store).await?;
    let view = use_case::quota(&*state.store, &book, cases::local_now().date()).await?;
    let (groups, pools) = quota_rows(&ctx, &view);
    let limit = view.rule.as_ref().map_or(0, |r| r.max_exempt_percent).to_string();
    let page = QuotaPage {
        layout: Layout::new(&state, &ctx, ctx.locale.t("exemption-quota-title"), Some(Area::Citizens)),
        in_force: view.rule.is_some(),
        intro: ctx.locale.t_args("exemption-quota-intro", &[("limit", &limit)]),
        over_text: ctx.locale.t_args("exemption-quota-over", &[("limit", &limit)]),
        any_over: groups.iter().chain(&pools).any(|r| r.over),
        groups,
        pools,
    };
    render_with_status(StatusCode::OK, &page)
}
