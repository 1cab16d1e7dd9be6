//! Plan og mål: the policy-to-action hierarchy with each goal's status, goal pages with charts
//! and status history, managers' edits of action status and comments, the quarterly report
//! as HTML or PDF, and loading plan files (admin). The use cases live in
//! [`indsats_app::plans`]; this module parses, authorises one action and renders.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use indsats_app::plans::{
    self as use_case, ActionChange, CommentChange, JudgedPlan, PlanError, PlanRequest, report_labels,
};
use indsats_domain::plan::{ActionStatus, Goal, parse};
use indsats_domain::{Action, Area, Quarter, format};
use indsats_report::document::{GoalSection, ReportError};
use indsats_store::SaveOutcome;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;

use crate::context::RequestContext;
use crate::cookies;
use crate::error::AppError;
use crate::export::{Cell, Table};
use crate::forms::Form;
use crate::pages::{Layout, render_with_status};
use crate::state::AppState;

/// Where each plan page lives: the router's patterns and every link and redirect use these.
pub mod url {
    use indsats_domain::Quarter;

    /// The list of plans (and, for the admin, the load form).
    pub const LIST: &str = "/plan";
    const PLAN: &str = "/plan/{plan}";
    const GOAL: &str = "/plan/{plan}/maal/{goal}";
    const COMMENT: &str = "/plan/{plan}/maal/{goal}/kommentar";
    const ACTION: &str = "/plan/{plan}/handlinger/{action}";
    const REPORT: &str = "/plan/{plan}/{file}";
    const COUNTER: &str = "/plan/{plan}/maal/{goal}/kommentar/taeller";

    /// The router's patterns, in the order above.
    pub(super) const PATTERNS: [&str; 6] = [PLAN, GOAL, COMMENT, ACTION, REPORT, COUNTER];

    /// A plan's page for a quarter (and a stored version, when not the latest).
    pub fn plan(plan_id: &str, quarter: Option<Quarter>, version: Option<i64>) -> String {
        let mut url = PLAN.replace("{plan}", plan_id);
        let query: Vec<String> = [quarter.map(|q| format!("kvartal={q}")), version.map(|v| format!("version={v}"))]
            .into_iter()
            .flatten()
            .collect();
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query.join("&"));
        }
        url
    }

    /// A goal's page for a quarter.
    pub fn goal(plan_id: &str, goal_id: &str, quarter: Quarter) -> String {
        format!("{}?kvartal={quarter}", GOAL.replace("{plan}", plan_id).replace("{goal}", goal_id))
    }

    /// Where a goal's comment form posts.
    pub fn comment(plan_id: &str, goal_id: &str) -> String {
        COMMENT.replace("{plan}", plan_id).replace("{goal}", goal_id)
    }

    /// Where the comment field's live counter posts (htmx).
    pub fn counter(plan_id: &str, goal_id: &str) -> String {
        COUNTER.replace("{plan}", plan_id).replace("{goal}", goal_id)
    }

    /// Where an action's status form posts.
    pub fn action(plan_id: &str, action_id: &str) -> String {
        ACTION.replace("{plan}", plan_id).replace("{action}", action_id)
    }

    /// The quarterly report of a plan version as a download; `file` is `rapport.pdf` or `rapport.html`.
    pub fn report(plan_id: &str, file: &str, quarter: Quarter, version: i64) -> String {
        format!("{}?kvartal={quarter}&version={version}", REPORT.replace("{plan}", plan_id).replace("{file}", file))
    }
}

/// The plan pages, the managers' edits and the report downloads.
pub fn router() -> OpenApiRouter<AppState> {
    let [plan, goal, comment, action, report, counter] = url::PATTERNS;
    OpenApiRouter::new()
        .route(url::LIST, get(list).post(upload))
        .route(plan, get(show))
        .route(goal, get(goal_page_get))
        .route(comment, post(set_comment))
        .route(action, post(set_action))
        .route(report, get(download_report))
        .route(counter, post(comment_counter))
}

/// The query every plan page takes.
#[derive(Debug, Default, Deserialize)]
struct PlanQuery {
    /// The quarter to judge, e.g. 2022Q4.
    kvartal: Option<String>,
    /// A stored version; the latest when absent.
    version: Option<i64>,
}

fn bad_quarter(ctx: &RequestContext) -> AppError {
    AppError::invalid("kvartal", ctx.locale.t("plans-bad-quarter"))
}

/// A quarter as the URL carries it (`2022Q4`) or as the Danish pages write it (`2022K4`).
fn parse_quarter(ctx: &RequestContext, raw: &str) -> Result<Quarter, AppError> {
    raw.trim().replace(['K', 'k'], "Q").parse::<Quarter>().map_err(|_| bad_quarter(ctx))
}

/// Judges the plan the query names, for a reader who may take `action`.
async fn judged(
    state: &AppState,
    ctx: &RequestContext,
    action: Action,
    plan_id: &str,
    query: &PlanQuery,
) -> Result<JudgedPlan, AppError> {
    let user = ctx.require(action)?;
    let quarter = query.kvartal.as_deref().map(|q| parse_quarter(ctx, q)).transpose()?;
    let request = PlanRequest { plan_id, version: query.version, quarter, meeting: None, viewer: Some(user.id) };
    let index = state.indicators.as_ref().as_ref();
    let labels = report_labels(ctx.locale);
    Ok(use_case::judge(&*state.store, index, user.role.sees_small_cells(), request, labels).await?)
}

/// A plan in the list.
#[derive(Debug)]
struct PlanRow {
    href: String,
    title: String,
    municipality: String,
    version: i64,
    loaded_at: i64,
}

/// Every stored plan version as the list shows it.
async fn plan_rows(state: &AppState) -> Result<Vec<PlanRow>, AppError> {
    Ok(state
        .store
        .plans()
        .await?
        .into_iter()
        .map(|v| PlanRow {
            municipality: indsats_app::figures::municipality_name(v.municipality.get()),
            href: url::plan(v.plan_id.as_str(), None, None),
            title: v.title,
            version: v.version,
            loaded_at: v.loaded_at,
        })
        .collect())
}

/// The list of plans as a download: the page's table, for a reader who may see plans.
pub(crate) async fn list_table(state: &AppState, ctx: &RequestContext) -> Result<Table, AppError> {
    ctx.require(Action::ViewPlans)?;
    let t = |key: &str| ctx.locale.t(key);
    let rows = plan_rows(state)
        .await?
        .into_iter()
        .map(|p| {
            vec![
                Cell::Text(p.title),
                Cell::Text(p.municipality),
                Cell::integer(p.version),
                Cell::Text(format::datetime(p.loaded_at, &t("format-datetime"))),
            ]
        })
        .collect();
    Ok(Table {
        title: t("plans-list-caption"),
        headers: vec![t("plans-col-plan"), t("plans-col-municipality"), t("plans-col-version"), t("plans-col-loaded")],
        rows,
    })
}

#[derive(Template)]
#[template(path = "plans.html")]
struct PlansPage {
    layout: Layout,
    message: Option<String>,
    plans: Vec<PlanRow>,
    can_load: bool,
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
    let user = ctx.require(Action::ViewPlans)?;
    let plans = plan_rows(state).await?;
    let page = PlansPage {
        layout: Layout::new(state, ctx, ctx.locale.t("plans-title"), Some(Area::Plans)),
        message,
        plans,
        can_load: Action::LoadPlan.allows(user.role),
        upload,
        problems,
    };
    render_with_status(status, &page)
}

/// The list of plans; admins also get the form to load one.
async fn list(State(state): State<AppState>, ctx: RequestContext, headers: HeaderMap) -> Result<Response, AppError> {
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
async fn upload(
    State(state): State<AppState>,
    ctx: RequestContext,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let user = ctx.require(Action::LoadPlan)?;
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
    // Reading the plan and wording its problems is CPU work: off the async workers.
    let locale = ctx.locale;
    let (text, checked) = crate::heavy::run(move || {
        let checked = parse(&text).map_err(|problems| {
            problems
                .iter()
                .map(|p| {
                    let args = p.kind.args();
                    let args: Vec<(&str, &str)> = args.iter().map(|(name, value)| (*name, value.as_str())).collect();
                    let message = locale.t_args(p.kind.code(), &args);
                    let line = locale.t_args(
                        "plans-problem",
                        &[("line", &p.line.to_string()), ("column", &p.column.to_string()), ("message", &message)],
                    );
                    match &source {
                        Some(file) => format!("{file}: {line}"),
                        None => line,
                    }
                })
                .collect::<Vec<String>>()
        });
        (text, checked)
    })
    .await?;
    match checked {
        Err(problems) => rejected(text, problems).await,
        Ok(plan) => {
            let message = match use_case::load(&*state.store, &plan, &text, Some(user.id)).await? {
                SaveOutcome::Created(v) => {
                    ctx.locale.t_args("plans-loaded", &[("title", &v.title), ("version", &v.version.to_string())])
                }
                SaveOutcome::Unchanged(v) => {
                    ctx.locale.t_args("plans-unchanged", &[("title", &v.title), ("version", &v.version.to_string())])
                }
            };
            let mut response = Redirect::to(url::LIST).into_response();
            cookies::append(&mut response, &cookies::flash(&message, state.config.secure_cookies));
            Ok(response)
        }
    }
}

/// A strategic goal with the plan's goals that serve it.
#[derive(Debug)]
struct Branch<'a> {
    title: String,
    text: Option<String>,
    goals: Vec<&'a GoalSection>,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage<'a> {
    layout: Layout,
    l: &'a JudgedPlan,
    quarters: Vec<Quarter>,
    problem: Option<String>,
    branches: Vec<Branch<'a>>,
    unlinked: Vec<&'a GoalSection>,
}

impl PlanPage<'_> {
    #[expect(clippy::trivially_copy_pass_by_ref, reason = "askama calls it with references")]
    fn quarter_label(&self, q: &Quarter) -> String {
        self.l.labels.quarter(*q)
    }

    fn goal_url(&self, g: &GoalSection) -> String {
        url::goal(self.l.version.plan_id.as_str(), &g.goal.id, self.l.quarter)
    }

    fn report_url(&self, file: &str) -> String {
        url::report(self.l.version.plan_id.as_str(), file, self.l.quarter, self.l.version.version)
    }

    /// The plan period with its quarters written as everywhere else on the page: `2022K1–2022K4`.
    fn period_label(&self) -> String {
        let period = self.l.plan.plan.period;
        let (from, to) = (self.l.labels.quarter(period.first()), self.l.labels.quarter(period.last()));
        self.layout.locale.t_args("plans-period-range", &[("from", &from), ("to", &to)])
    }
}

/// The plan: policy, strategic goals, goals with their status, versions and the report.
async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(plan_id): Path<String>,
    Query(query): Query<PlanQuery>,
) -> Result<Response, AppError> {
    let l = judged(&state, &ctx, Action::ViewPlans, &plan_id, &query).await?;
    let goals: Vec<&GoalSection> = l.report.as_ref().map(|r| r.goals.iter().collect()).unwrap_or_default();
    let branches = l
        .plan
        .policy
        .strategic_goals
        .iter()
        .map(|s| Branch {
            title: s.title.clone(),
            text: s.text.clone(),
            goals: goals.iter().copied().filter(|g| g.goal.strategic_goals.contains(&s.id)).collect(),
        })
        .collect();
    let unlinked = goals.iter().copied().filter(|g| g.goal.strategic_goals.is_empty()).collect();
    let page = PlanPage {
        layout: Layout::new(&state, &ctx, l.plan.plan.title.clone(), Some(Area::Plans)),
        quarters: l.plan.plan.period.quarters().collect(),
        problem: l.report.as_ref().err().map(|e| l.labels.error(e)),
        l: &l,
        branches,
        unlinked,
    };
    render_with_status(StatusCode::OK, &page)
}

/// An action as the goal page lists it: from the plan, with the status set in the application.
#[derive(Debug)]
struct ActionView {
    plan: String,
    id: String,
    title: String,
    owner: Option<String>,
    due: Option<String>,
    status: ActionStatus,
}

/// The comment form as the page shows it: the text in the field (the user's own after a
/// refused post), and what went wrong, at the field.
#[derive(Debug, Default)]
struct CommentDraft {
    /// What the user typed, kept when the post was refused.
    text: String,
    /// Why the post was refused (too long, a quarter outside the plan).
    error: Option<String>,
    /// Someone else saved the comment first: the notice shown next to the field.
    conflict: Option<String>,
}

/// The stored comment with who wrote it and when, as the goal page words it.
#[derive(Debug)]
struct SavedComment {
    text: String,
    byline: String,
}

#[derive(Template)]
#[template(path = "goal.html")]
struct GoalPage<'a> {
    layout: Layout,
    l: &'a JudgedPlan,
    goal: &'a Goal,
    /// The goal judged for the quarter; `None` when no report can be made (no figures).
    judged: Option<&'a GoalSection>,
    /// Why the goal is not judged, when it is not.
    missing: Option<String>,
    strategic_goals: Vec<String>,
    actions: Vec<ActionView>,
    charts: HashMap<String, String>,
    can_edit: bool,
    message: Option<String>,
    conflict: Option<String>,
    statuses: Vec<(&'static str, String)>,
    draft: CommentDraft,
    saved: Option<SavedComment>,
    comment_max: usize,
}

impl GoalPage<'_> {
    fn revision(&self, action_id: &str) -> i64 {
        self.l.action_revision(action_id)
    }

    fn comment_revision(&self) -> i64 {
        self.l.comment_revision(&self.goal.id)
    }

    #[expect(clippy::trivially_copy_pass_by_ref, reason = "askama calls it with references")]
    fn quarter_label(&self, q: &Quarter) -> String {
        self.l.labels.quarter(*q)
    }

    fn plan_url(&self) -> String {
        url::plan(self.l.version.plan_id.as_str(), Some(self.l.quarter), None)
    }

    fn comment_url(&self) -> String {
        url::comment(self.l.version.plan_id.as_str(), &self.goal.id)
    }

    fn counter_url(&self) -> String {
        url::counter(self.l.version.plan_id.as_str(), &self.goal.id)
    }

    fn action_url(&self, action_id: &str) -> String {
        url::action(self.l.version.plan_id.as_str(), action_id)
    }

    /// "123 / 4000 tegn" for the text in the field.
    fn count(&self) -> String {
        comment_count(self.layout.locale, &self.draft.text)
    }

    /// The ids of what describes the comment field: the counter, and the error or notice.
    fn comment_described_by(&self) -> String {
        let mut ids = vec!["comment-count"];
        if self.draft.error.is_some() {
            ids.push("comment-error");
        }
        if self.draft.conflict.is_some() {
            ids.push("comment-conflict");
        }
        ids.join(" ")
    }
}

/// The comment counter's words: characters as the limit counts them.
fn comment_count(locale: crate::i18n::Locale, text: &str) -> String {
    let count = text.trim().chars().count().to_string();
    locale.t_args("plans-comment-count", &[("count", &count), ("max", &use_case::COMMENT_MAX.to_string())])
}

/// How a goal page is answered: plainly, with a receipt, refusing a stale action change, or
/// with the comment form as the user sent it.
#[derive(Debug, Default)]
struct Outcome {
    status: StatusCode,
    message: Option<String>,
    conflict: Option<String>,
    draft: Option<CommentDraft>,
}

impl Outcome {
    fn conflict(message: String) -> Self {
        Outcome { status: StatusCode::CONFLICT, conflict: Some(message), ..Outcome::default() }
    }

    fn comment(status: StatusCode, draft: CommentDraft) -> Self {
        Outcome { status, draft: Some(draft), ..Outcome::default() }
    }
}

async fn goal_page(
    state: &AppState,
    ctx: &RequestContext,
    (plan_id, goal_id): (&str, &str),
    query: &PlanQuery,
    Outcome { status, message, conflict, draft }: Outcome,
) -> Result<Response, AppError> {
    let l = judged(state, ctx, Action::ViewPlans, plan_id, query).await?;
    let goal = l.plan.goals.iter().find(|g| g.id == goal_id).ok_or(AppError::NotFound)?;
    // No figures for the municipality yet is no reason to keep managers from the goal: the
    // page says so and still offers the comment and the actions. A quarter outside the plan is
    // the reader's choice to change.
    let (judged, missing) = match &l.report {
        Ok(report) => (Some(report.goals.iter().find(|g| g.goal.id == goal_id).ok_or(AppError::NotFound)?), None),
        Err(e @ ReportError::NoData { .. }) => (None, Some(l.labels.error(e))),
        Err(e) => return Err(AppError::invalid("kvartal", l.labels.error(e))),
    };
    let role = ctx.user()?.role;
    // Edits go to the latest version; an older version is shown read-only.
    let can_edit = Action::EditGoalComment.allows(role) && query.version.is_none();
    let stored = l.comment(goal_id);
    let saved = stored.filter(|c| !c.text.trim().is_empty()).map(|c| SavedComment {
        text: c.text.clone(),
        byline: ctx.locale.t_args(
            "plans-comment-by",
            &[
                ("user", &c.updated_by.as_ref().map_or_else(|| "–".to_owned(), ToString::to_string)),
                ("time", &indsats_domain::format::datetime(c.updated_at, &ctx.locale.t("format-datetime"))),
            ],
        ),
    });
    let draft = draft.unwrap_or_else(|| CommentDraft {
        text: stored.map(|c| c.text.clone()).unwrap_or_default(),
        ..CommentDraft::default()
    });
    let actions = goal
        .action_plans
        .iter()
        .flat_map(|p| {
            p.actions.iter().map(|a| ActionView {
                plan: p.title.clone(),
                id: a.id.clone(),
                title: a.title.clone(),
                owner: a.owner.clone(),
                due: a.due.map(|d| l.labels.date(d)),
                status: l.action_status(a),
            })
        })
        .collect();
    let strategic_goals = goal
        .strategic_goals
        .iter()
        .filter_map(|id| l.plan.policy.strategic_goals.iter().find(|s| &s.id == id).map(|s| s.title.clone()))
        .collect();
    let page = GoalPage {
        layout: Layout::new(state, ctx, goal.title.clone(), Some(Area::Plans)),
        charts: judged
            .iter()
            .flat_map(|g| &g.indicators)
            .filter_map(|i| Some((i.indicator.id.clone(), i.chart.as_ref()?.svg(&format!("chart-{}", i.indicator.id)))))
            .collect(),
        can_edit,
        message,
        conflict,
        statuses: ActionStatus::ALL.into_iter().map(|s| (s.as_str(), l.labels.action_status(s))).collect(),
        draft,
        saved,
        comment_max: use_case::COMMENT_MAX,
        strategic_goals,
        actions,
        missing,
        judged,
        goal,
        l: &l,
    };
    render_with_status(status, &page)
}

/// A goal: its indicators with charts and verdicts, status by quarter, actions and comment.
async fn goal_page_get(
    State(state): State<AppState>,
    ctx: RequestContext,
    headers: HeaderMap,
    Path((plan_id, goal_id)): Path<(String, String)>,
    Query(query): Query<PlanQuery>,
) -> Result<Response, AppError> {
    let flash = cookies::Flash::take(&headers);
    let outcome = Outcome { message: flash.message(), ..Outcome::default() };
    let response = goal_page(&state, &ctx, (&plan_id, &goal_id), &query, outcome).await?;
    Ok(flash.shown(response, state.config.secure_cookies))
}

/// A manager's change of an action's status.
#[derive(Debug, Deserialize)]
struct ActionForm {
    goal: String,
    kvartal: String,
    status: String,
    revision: i64,
}

fn back_to_goal(state: &AppState, plan_id: &str, goal_id: &str, quarter: Quarter, message: &str) -> Response {
    let mut response = Redirect::to(&url::goal(plan_id, goal_id, quarter)).into_response();
    cookies::append(&mut response, &cookies::flash(message, state.config.secure_cookies));
    response
}

/// Sets an action's status; a stale form (someone else changed it first) is refused and the
/// page shows the current state.
async fn set_action(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path((plan_id, action_id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let by = ctx.require(Action::SetActionStatus)?.id;
    let status: ActionStatus =
        form.status.parse().map_err(|()| AppError::invalid("status", ctx.locale.t("plans-bad-status")))?;
    let quarter = parse_quarter(&ctx, &form.kvartal)?;
    let change = ActionChange {
        plan_id: &plan_id,
        goal_id: &form.goal,
        action_id: &action_id,
        status,
        expected_revision: form.revision,
        quarter,
    };
    match use_case::set_action_status(&*state.store, by, &change).await {
        Ok(title) => {
            let status = report_labels(ctx.locale).action_status(status);
            let message = ctx.locale.t_args("plans-action-saved", &[("action", &title), ("status", &status)]);
            Ok(back_to_goal(&state, &plan_id, &form.goal, quarter, &message))
        }
        Err(PlanError::Conflict) => {
            let (_, plan) = use_case::stored(&*state.store, &plan_id, None).await?;
            let title =
                plan.actions().find(|(_, a)| a.id == action_id).map(|(_, a)| a.title.clone()).unwrap_or_default();
            let conflict = ctx.locale.t_args("plans-action-conflict", &[("action", &title)]);
            let query = PlanQuery { kvartal: Some(quarter.to_string()), version: None };
            goal_page(&state, &ctx, (&plan_id, &form.goal), &query, Outcome::conflict(conflict)).await
        }
        Err(PlanError::QuarterOutsidePlan) => Err(bad_quarter(&ctx)),
        Err(e) => Err(e.into()),
    }
}

/// A manager's comment on a goal for a quarter.
#[derive(Debug, Deserialize)]
struct CommentForm {
    kvartal: String,
    #[serde(default)]
    comment: String,
    revision: i64,
}

/// Saves the comment. Nothing the manager typed is lost: a refused post (too long, a quarter
/// outside the plan, someone else saved first) shows the page again with their text in the
/// field and the reason next to it.
async fn set_comment(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path((plan_id, goal_id)): Path<(String, String)>,
    Form(form): Form<CommentForm>,
) -> Result<Response, AppError> {
    let by = ctx.require(Action::EditGoalComment)?.id;
    let refused = |status: StatusCode, quarter: Option<Quarter>, error: Option<String>, conflict: Option<String>| {
        let query = PlanQuery { kvartal: quarter.map(|q| q.to_string()), version: None };
        let draft = CommentDraft { text: form.comment.clone(), error, conflict };
        let (state, ctx, plan_id, goal_id) = (&state, &ctx, &plan_id, &goal_id);
        async move { goal_page(state, ctx, (plan_id, goal_id), &query, Outcome::comment(status, draft)).await }
    };
    // A quarter that is not one, or not the plan's, is shown on the plan's own quarter, with the
    // text kept for the manager to save there or copy.
    let outside = || ctx.locale.t_args("plans-comment-bad-quarter", &[("quarter", &form.kvartal)]);
    let Ok(quarter) = parse_quarter(&ctx, &form.kvartal) else {
        return refused(StatusCode::UNPROCESSABLE_ENTITY, None, Some(outside()), None).await;
    };
    let change = CommentChange {
        plan_id: &plan_id,
        goal_id: &goal_id,
        quarter,
        text: &form.comment,
        expected_revision: form.revision,
    };
    match use_case::set_goal_comment(&*state.store, by, &change).await {
        Ok(title) => {
            let message = ctx.locale.t_args("plans-comment-saved", &[("goal", &title)]);
            Ok(back_to_goal(&state, &plan_id, &goal_id, quarter, &message))
        }
        Err(PlanError::QuarterOutsidePlan) => {
            refused(StatusCode::UNPROCESSABLE_ENTITY, None, Some(outside()), None).await
        }
        Err(PlanError::CommentTooLong { max }) => {
            let error = ctx.locale.t_args("plans-comment-too-long", &[("max", &max.to_string())]);
            refused(StatusCode::UNPROCESSABLE_ENTITY, Some(quarter), Some(error), None).await
        }
        Err(PlanError::Conflict) => {
            let conflict = ctx.locale.t("plans-comment-conflict");
            refused(StatusCode::CONFLICT, Some(quarter), None, Some(conflict)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// What the counter reads: the field's text.
#[derive(Debug, Deserialize)]
struct CounterForm {
    #[serde(default)]
    comment: String,
}

/// The comment counter's text for htmx to swap in while the manager types; the page prints
/// the same text itself, so the counter works without JavaScript.
async fn comment_counter(ctx: RequestContext, Form(form): Form<CounterForm>) -> Result<Response, AppError> {
    ctx.require(Action::EditGoalComment)?;
    Ok(([(header::CACHE_CONTROL, "no-store")], comment_count(ctx.locale, &form.comment)).into_response())
}

/// The quarterly report as a download: `rapport.html` or `rapport.pdf`.
async fn download_report(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path((plan_id, file)): Path<(String, String)>,
    Query(query): Query<PlanQuery>,
) -> Result<Response, AppError> {
    let l = judged(&state, &ctx, Action::ViewReports, &plan_id, &query).await?;
    let labels = l.labels;
    let report = l.report.map_err(|e| AppError::invalid("kvartal", labels.error(&e)))?;
    let name = format!("maalopfyldelse-{}-{}", plan_id, l.quarter);
    match file.as_str() {
        "rapport.html" => {
            let html = indsats_report::html::render(&report, &labels).map_err(AppError::internal)?;
            Ok(download(html.into_bytes(), "text/html; charset=utf-8", &format!("{name}.html")))
        }
        #[cfg(feature = "pdf")]
        "rapport.pdf" => {
            let made_on = Some(chrono::Local::now().date_naive());
            // Typst lays out pages for a while; off the async workers, a few at a time.
            let pdf = crate::heavy::run(move || indsats_report::typst_source::pdf(&report, &labels, made_on))
                .await?
                .map_err(AppError::internal)?;
            Ok(download(pdf, "application/pdf", &format!("{name}.pdf")))
        }
        // Built without the `pdf` feature (no Typst compiler in the binary): say so.
        #[cfg(not(feature = "pdf"))]
        "rapport.pdf" => {
            let problem = Some(ctx.locale.t("plans-no-pdf"));
            let field = Some("rapport.pdf".to_owned());
            Err(AppError::BadRequest { status: StatusCode::NOT_IMPLEMENTED, field, problem })
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
