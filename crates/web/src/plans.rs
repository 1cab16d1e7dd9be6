//! Plan og mål: the policy-to-action hierarchy with each goal's status, goal pages with charts
//! and status history, managers' edits of action status and comments, the quarterly report
//! as HTML or PDF, and loading plan files (admin).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use indsats_domain::plan::{ActionStatus, PlanDocument, parse};
use indsats_domain::{Area, Period, Quarter, Role};
use indsats_register::series::SeriesIndex;
use indsats_report::document::{Annotations, GoalSection, Report, action_status_label, build, quarter_label};
use indsats_store::{SaveOutcome, Store, StoreError, UserId};
use serde::Deserialize;

use crate::context::RequestContext;
use crate::error::AppError;
use crate::figures::PanelFigures;
use crate::forms::Form;
use crate::pages::{Layout, render_with_status};
use crate::{AppState, cookies};

/// Stores a checked plan as a new version (or finds it unchanged) and writes the audit log.
pub async fn store_plan(
    store: &dyn Store,
    plan: &PlanDocument,
    text: &str,
    by: Option<UserId>,
) -> Result<SaveOutcome, StoreError> {
    let h = &plan.plan;
    let outcome =
        store.save_plan_version(&h.id, h.municipality.get(), &h.title, text, by, indsats_store::unix_now()).await?;
    if let SaveOutcome::Created(v) = &outcome {
        store.record(by, "plan.load", &format!("{} version {}", v.plan_id, v.version)).await?;
    }
    Ok(outcome)
}

/// The query every plan page takes.
#[derive(Debug, Default, Deserialize)]
pub struct PlanQuery {
    /// The quarter to judge, e.g. 2022Q4.
    kvartal: Option<String>,
    /// A stored version; the latest when absent.
    version: Option<i64>,
}

/// A plan loaded for a page: the stored version, the parsed document and the judged report.
struct Loaded {
    version: indsats_store::PlanVersion,
    versions: Vec<indsats_store::PlanVersion>,
    plan: PlanDocument,
    quarter: Quarter,
    quarters: Vec<Quarter>,
    report: Result<Report, String>,
    revisions: HashMap<String, i64>,
    comment_revisions: HashMap<String, i64>,
}

fn bad_quarter(ctx: &RequestContext) -> AppError {
    AppError::invalid("kvartal", ctx.locale.t("plans-bad-quarter"))
}

/// The newest quarter of the plan period with register figures for the municipality, else the
/// plan's first quarter.
pub(crate) fn default_quarter(plan: &PlanDocument, index: Option<&SeriesIndex>) -> Quarter {
    let period = plan.plan.period;
    let latest = index.and_then(|index| {
        let key = indsats_register::series::SeriesKey {
            municipality: plan.plan.municipality.get(),
            indicator: indsats_domain::indicator::Indicator::Befolkning,
            category: indsats_domain::indicator::Category::Total,
            kind: indsats_domain::PeriodKind::Quarter,
        };
        index.get(&key).iter().rev().find_map(|p| match p.period {
            Period::Quarter(q) if period.contains(q) => Some(q),
            _ => None,
        })
    });
    latest.unwrap_or(period.first())
}

async fn load(state: &AppState, ctx: &RequestContext, plan_id: &str, query: &PlanQuery) -> Result<Loaded, AppError> {
    let user = ctx.require(Area::Plans)?;
    let stored = state.store.plan(plan_id, query.version).await?.ok_or(AppError::NotFound)?;
    let plan = parse(&stored.text).map_err(|_| AppError::internal(format!("stored plan {plan_id} does not parse")))?;
    let index = state.indicators.as_ref().as_ref();
    let quarter = match &query.kvartal {
        Some(q) => q.parse::<Quarter>().map_err(|_| bad_quarter(ctx))?,
        None => default_quarter(&plan, index),
    };
    let states = state.store.action_states(plan_id).await?;
    let comments = state.store.goal_comments(plan_id, &quarter.to_string()).await?;
    let notes = Annotations {
        version: Some(stored.version.version),
        action_status: states.iter().filter_map(|s| Some((s.action_id.clone(), s.status.parse().ok()?))).collect(),
        comments: comments.iter().map(|c| (c.goal_id.clone(), c.text.clone())).collect(),
        made_on: Some(chrono::Local::now().date_naive()),
    };
    let empty = SeriesIndex::default();
    let figures = PanelFigures { index: index.unwrap_or(&empty), sees_small_cells: user.role.sees_small_cells() };
    let report = build(&plan, quarter, &figures, &notes).map_err(|e| e.to_string());
    Ok(Loaded {
        versions: state.store.plan_versions(plan_id).await?,
        version: stored.version,
        quarters: plan.plan.period.quarters().collect(),
        plan,
        quarter,
        report,
        revisions: states.into_iter().map(|s| (s.action_id, s.revision)).collect(),
        comment_revisions: comments.into_iter().map(|c| (c.goal_id, c.revision)).collect(),
    })
}

/// A plan in the list.
#[derive(Debug)]
struct PlanRow {
    id: String,
    title: String,
    municipality: String,
    version: i64,
    loaded_at: i64,
}

#[derive(Template)]
#[template(path = "plans.html")]
struct PlansPage {
    layout: Layout,
    message: Option<String>,
    plans: Vec<PlanRow>,
    is_admin: bool,
    upload: String,
    problems: Vec<String>,
}

async fn list_page(
    state: &AppState,
    ctx: &RequestContext,
    status: StatusCode,
    message: Option<String>,
    upload: String,
    problems: Vec<String>,
) -> Result<Response, AppError> {
    let user = ctx.require(Area::Plans)?;
    let plans = state
        .store
        .plans()
        .await?
        .into_iter()
        .map(|v| PlanRow {
            municipality: crate::figures::municipality_name(v.municipality),
            id: v.plan_id,
            title: v.title,
            version: v.version,
            loaded_at: v.loaded_at,
        })
        .collect();
    let page = PlansPage {
        layout: Layout::new(state, ctx, ctx.locale.t("plans-title"), Some(Area::Plans)),
        message,
        plans,
        is_admin: user.role == Role::Admin,
        upload,
        problems,
    };
    render_with_status(status, &page)
}

/// The list of plans; admins also get the form to load one.
pub async fn list(
    State(state): State<AppState>,
    ctx: RequestContext,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let flash = cookies::Flash::take(&headers);
    let response = list_page(&state, &ctx, StatusCode::OK, flash.message(), String::new(), Vec::new()).await?;
    Ok(flash.shown(response, state.config.secure_cookies))
}

/// What the load-a-plan form sent: a chosen file (name, bytes) and the text box.
#[derive(Debug, Default)]
struct Upload {
    file: Option<(String, Vec<u8>)>,
    pasted: String,
}

impl Upload {
    async fn read(mut multipart: Multipart, ctx: &RequestContext) -> Result<Self, AppError> {
        let unreadable = |_| AppError::BadRequest {
            status: StatusCode::BAD_REQUEST,
            field: Some("plan_file".into()),
            problem: Some(ctx.locale.t("plans-upload-unreadable")),
        };
        let mut upload = Self::default();
        while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
            match field.name() {
                Some("plan_file") => {
                    let name = field.file_name().unwrap_or_default().to_owned();
                    let bytes = field.bytes().await.map_err(unreadable)?;
                    // A file input left empty still sends a part, with no name and no bytes.
                    if !name.is_empty() || !bytes.is_empty() {
                        upload.file = Some((name, bytes.to_vec()));
                    }
                }
                Some("plan") => upload.pasted = field.text().await.map_err(unreadable)?,
                _ => {}
            }
        }
        Ok(upload)
    }
}

/// Loads a plan file (admin), chosen as a file or pasted as text: every problem is listed and
/// nothing is stored unless it checks clean.
pub async fn upload(
    State(state): State<AppState>,
    ctx: RequestContext,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let user = ctx.require(Area::Plans)?;
    if user.role != Role::Admin {
        return Err(AppError::Forbidden(Area::Admin));
    }
    let upload = Upload::read(multipart, &ctx).await?;
    let rejected = |text: String, problems: Vec<String>| {
        list_page(&state, &ctx, StatusCode::UNPROCESSABLE_ENTITY, None, text, problems)
    };
    // A chosen file wins over the text box; problems name the file, so it is clear which was read.
    let (text, source) = match upload.file {
        Some((name, bytes)) => {
            let Ok(text) = String::from_utf8(bytes) else {
                let problem = ctx.locale.t_args("plans-upload-not-text", &[("file", &name)]);
                return rejected(upload.pasted, vec![problem]).await;
            };
            (text, Some(name))
        }
        None if upload.pasted.trim().is_empty() => {
            return rejected(String::new(), vec![ctx.locale.t("plans-upload-empty")]).await;
        }
        None => (upload.pasted, None),
    };
    match parse(&text) {
        Err(problems) => {
            let problems = problems
                .iter()
                .map(|p| {
                    let line = ctx.locale.t_args(
                        "plans-problem",
                        &[("line", &p.line.to_string()), ("column", &p.column.to_string()), ("message", &p.message_da)],
                    );
                    match &source {
                        Some(file) => format!("{file}: {line}"),
                        None => line,
                    }
                })
                .collect();
            rejected(text, problems).await
        }
        Ok(plan) => {
            let message = match store_plan(&*state.store, &plan, &text, Some(user.id)).await? {
                SaveOutcome::Created(v) => {
                    ctx.locale.t_args("plans-loaded", &[("title", &v.title), ("version", &v.version.to_string())])
                }
                SaveOutcome::Unchanged(v) => {
                    ctx.locale.t_args("plans-unchanged", &[("title", &v.title), ("version", &v.version.to_string())])
                }
            };
            let mut response = Redirect::to("/plan").into_response();
            cookies::append(&mut response, &cookies::flash(&message, state.config.secure_cookies));
            Ok(response)
        }
    }
}

/// A strategic goal with the plan's goals that serve it.
#[derive(Debug)]
struct Branch<'a> {
    title: String,
    goals: Vec<&'a GoalSection>,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage<'a> {
    layout: Layout,
    l: &'a Loaded,
    branches: Vec<Branch<'a>>,
    unlinked: Vec<&'a GoalSection>,
    quarter: String,
}

impl PlanPage<'_> {
    #[allow(
        clippy::unused_self,
        clippy::trivially_copy_pass_by_ref,
        reason = "askama calls it as a method on references"
    )]
    fn quarter_label(&self, q: &Quarter) -> String {
        quarter_label(*q)
    }
}

/// The plan: policy, strategic goals, goals with their status, versions and the report.
pub async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(plan_id): Path<String>,
    Query(query): Query<PlanQuery>,
) -> Result<Response, AppError> {
    let l = load(&state, &ctx, &plan_id, &query).await?;
    let goals: Vec<&GoalSection> = l.report.as_ref().map(|r| r.goals.iter().collect()).unwrap_or_default();
    let branches = l
        .plan
        .policy
        .strategic_goals
        .iter()
        .map(|s| Branch {
            title: s.title.clone(),
            goals: goals.iter().copied().filter(|g| g.goal.strategic_goals.contains(&s.id)).collect(),
        })
        .collect();
    let unlinked = goals.iter().copied().filter(|g| g.goal.strategic_goals.is_empty()).collect();
    let page = PlanPage {
        layout: Layout::new(&state, &ctx, l.plan.plan.title.clone(), Some(Area::Plans)),
        quarter: l.quarter.to_string(),
        l: &l,
        branches,
        unlinked,
    };
    render_with_status(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "goal.html")]
struct GoalPage<'a> {
    layout: Layout,
    l: &'a Loaded,
    g: &'a GoalSection,
    charts: HashMap<String, String>,
    can_edit: bool,
    quarter: String,
    message: Option<String>,
    conflict: Option<String>,
    statuses: Vec<(&'static str, &'static str)>,
}

impl GoalPage<'_> {
    fn revision(&self, action_id: &str) -> i64 {
        self.l.revisions.get(action_id).copied().unwrap_or(0)
    }

    fn comment_revision(&self) -> i64 {
        self.l.comment_revisions.get(&self.g.goal.id).copied().unwrap_or(0)
    }

    #[allow(
        clippy::unused_self,
        clippy::trivially_copy_pass_by_ref,
        reason = "askama calls it as a method on references"
    )]
    fn quarter_label(&self, q: &Quarter) -> String {
        quarter_label(*q)
    }
}

/// How a goal page is answered: plainly, with a receipt, or refusing a stale edit.
#[derive(Debug, Default)]
struct Outcome {
    status: StatusCode,
    message: Option<String>,
    conflict: Option<String>,
}

impl Outcome {
    fn conflict(message: String) -> Self {
        Outcome { status: StatusCode::CONFLICT, message: None, conflict: Some(message) }
    }
}

async fn goal_page(
    state: &AppState,
    ctx: &RequestContext,
    plan_id: &str,
    goal_id: &str,
    query: &PlanQuery,
    Outcome { status, message, conflict }: Outcome,
) -> Result<Response, AppError> {
    let l = load(state, ctx, plan_id, query).await?;
    let report = l.report.as_ref().map_err(|e| AppError::invalid("kvartal", e.clone()))?;
    let g = report.goals.iter().find(|g| g.goal.id == goal_id).ok_or(AppError::NotFound)?;
    let can_edit = ctx.user()?.role == Role::Leder && query.version.is_none();
    let page = GoalPage {
        layout: Layout::new(state, ctx, g.goal.title.clone(), Some(Area::Plans)),
        charts: g
            .indicators
            .iter()
            .filter_map(|i| Some((i.indicator.id.clone(), i.chart.as_ref()?.svg(&format!("chart-{}", i.indicator.id)))))
            .collect(),
        can_edit,
        quarter: l.quarter.to_string(),
        message,
        conflict,
        statuses: ActionStatus::ALL.into_iter().map(|s| (s.as_str(), action_status_label(s))).collect(),
        l: &l,
        g,
    };
    render_with_status(status, &page)
}

/// A goal: its indicators with charts and verdicts, status by quarter, actions and comment.
pub async fn goal(
    State(state): State<AppState>,
    ctx: RequestContext,
    headers: HeaderMap,
    Path((plan_id, goal_id)): Path<(String, String)>,
    Query(query): Query<PlanQuery>,
) -> Result<Response, AppError> {
    let flash = cookies::Flash::take(&headers);
    let outcome = Outcome { message: flash.message(), ..Outcome::default() };
    let response = goal_page(&state, &ctx, &plan_id, &goal_id, &query, outcome).await?;
    Ok(flash.shown(response, state.config.secure_cookies))
}

/// A manager's change of an action's status.
#[derive(Debug, Deserialize)]
pub struct ActionForm {
    goal: String,
    kvartal: String,
    status: String,
    revision: i64,
}

fn back_to_goal(state: &AppState, plan_id: &str, goal_id: &str, quarter: &str, message: &str) -> Response {
    let mut response = Redirect::to(&format!("/plan/{plan_id}/maal/{goal_id}?kvartal={quarter}")).into_response();
    cookies::append(&mut response, &cookies::flash(message, state.config.secure_cookies));
    response
}

/// The latest stored version of a plan, read back into the model (it was checked when loaded).
async fn latest_plan(state: &AppState, plan_id: &str) -> Result<PlanDocument, AppError> {
    let stored = state.store.plan(plan_id, None).await?.ok_or(AppError::NotFound)?;
    parse(&stored.text).map_err(|_| AppError::internal(format!("stored plan {plan_id} does not parse")))
}

fn require_leader(ctx: &RequestContext) -> Result<UserId, AppError> {
    let user = ctx.require(Area::Plans)?;
    if user.role == Role::Leder { Ok(user.id) } else { Err(AppError::Forbidden(Area::Plans)) }
}

/// Sets an action's status; a stale form (someone else changed it first) is refused and the
/// page shows the current state.
pub async fn set_action(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path((plan_id, action_id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let by = require_leader(&ctx)?;
    let plan = latest_plan(&state, &plan_id).await?;
    let status: ActionStatus =
        form.status.parse().map_err(|()| AppError::invalid("status", ctx.locale.t("plans-bad-status")))?;
    let Some((goal, action)) = plan.actions().find(|(g, a)| a.id == action_id && g.id == form.goal) else {
        return Err(AppError::NotFound);
    };
    let query = PlanQuery { kvartal: Some(form.kvartal.clone()), version: None };
    form.kvartal.parse::<Quarter>().map_err(|_| bad_quarter(&ctx))?;
    match state
        .store
        .set_action_status(&plan_id, &action_id, status.as_str(), form.revision, by, indsats_store::unix_now())
        .await
    {
        Ok(_) => {
            state.store.record(Some(by), "plan.action", &format!("{plan_id}/{action_id} {}", status.as_str())).await?;
            let message = ctx
                .locale
                .t_args("plans-action-saved", &[("action", &action.title), ("status", action_status_label(status))]);
            Ok(back_to_goal(&state, &plan_id, &goal.id, &form.kvartal, &message))
        }
        Err(StoreError::Conflict(_)) => {
            let conflict = ctx.locale.t_args("plans-action-conflict", &[("action", &action.title)]);
            goal_page(&state, &ctx, &plan_id, &goal.id, &query, Outcome::conflict(conflict)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A manager's comment on a goal for a quarter.
#[derive(Debug, Deserialize)]
pub struct CommentForm {
    kvartal: String,
    #[serde(default)]
    comment: String,
    revision: i64,
}

/// The longest comment kept; a report page has room for about this much.
const COMMENT_MAX: usize = 4000;

/// Saves the comment; a stale form is refused like an action change.
pub async fn set_comment(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path((plan_id, goal_id)): Path<(String, String)>,
    Form(form): Form<CommentForm>,
) -> Result<Response, AppError> {
    let by = require_leader(&ctx)?;
    let plan = latest_plan(&state, &plan_id).await?;
    let goal = plan.goals.iter().find(|g| g.id == goal_id).ok_or(AppError::NotFound)?;
    let quarter = form.kvartal.parse::<Quarter>().map_err(|_| bad_quarter(&ctx))?;
    if !plan.plan.period.contains(quarter) {
        return Err(bad_quarter(&ctx));
    }
    if form.comment.chars().count() > COMMENT_MAX {
        return Err(AppError::invalid(
            "comment",
            ctx.locale.t_args("plans-comment-too-long", &[("max", &COMMENT_MAX.to_string())]),
        ));
    }
    let text = form.comment.trim();
    let query = PlanQuery { kvartal: Some(form.kvartal.clone()), version: None };
    match state
        .store
        .set_goal_comment(&plan_id, &goal_id, &quarter.to_string(), text, form.revision, by, indsats_store::unix_now())
        .await
    {
        Ok(_) => {
            state.store.record(Some(by), "plan.comment", &format!("{plan_id}/{goal_id} {quarter}")).await?;
            let message = ctx.locale.t_args("plans-comment-saved", &[("goal", &goal.title)]);
            Ok(back_to_goal(&state, &plan_id, &goal_id, &form.kvartal, &message))
        }
        Err(StoreError::Conflict(_)) => {
            let conflict = ctx.locale.t("plans-comment-conflict");
            goal_page(&state, &ctx, &plan_id, &goal_id, &query, Outcome::conflict(conflict)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The quarterly report as a download: `rapport.html` or `rapport.pdf`.
pub async fn report(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path((plan_id, file)): Path<(String, String)>,
    Query(query): Query<PlanQuery>,
) -> Result<Response, AppError> {
    let l = load(&state, &ctx, &plan_id, &query).await?;
    let report = l.report.map_err(|e| AppError::invalid("kvartal", e))?;
    let name = format!("maalopfyldelse-{}-{}", plan_id, l.quarter);
    match file.as_str() {
        "rapport.html" => {
            let html = indsats_report::html::render(&report).map_err(AppError::internal)?;
            Ok(download(html.into_bytes(), "text/html; charset=utf-8", &format!("{name}.html")))
        }
        #[cfg(feature = "pdf")]
        "rapport.pdf" => {
            let made_on = Some(chrono::Local::now().date_naive());
            // Typst lays out pages for a while; keep it off the async workers.
            let pdf = tokio::task::spawn_blocking(move || indsats_report::typst_source::pdf(&report, made_on))
                .await
                .map_err(AppError::internal)?
                .map_err(AppError::internal)?;
            Ok(download(pdf, "application/pdf", &format!("{name}.pdf")))
        }
        // Built without the `pdf` feature (no Typst compiler in the binary): say so.
        #[cfg(not(feature = "pdf"))]
        "rapport.pdf" => {
            let problem = match ctx.locale {
                crate::i18n::Locale::Da => "Denne udgave af indsats er bygget uden PDF; hent rapporten som HTML.",
                crate::i18n::Locale::En => "This build of indsats has no PDF support; download the report as HTML.",
            };
            let field = Some("rapport.pdf".to_owned());
            Err(AppError::BadRequest { status: StatusCode::NOT_IMPLEMENTED, field, problem: Some(problem.to_owned()) })
        }
        _ => Err(AppError::NotFound),
    }
}

fn download(bytes: Vec<u8>, content_type: &'static str, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response()
}
