//! The coherent plan ("én samlet plan") of a citizen: the page showing the current plan with
//! its edit form, the save, and the saved versions. The use cases live in
//! [`indsats_app::citizen_plans`]; this module parses, authorises one action and renders.
//!
//! The form has a fixed number of empty rows to add a goal or an effort (the CSP forbids
//! inline script, and a row more is one save away). Blank rows are dropped, and a refused
//! form comes back with the rows in the order they were kept, so each message sits beside the
//! row it is about. A save from a page that a colleague's save has overtaken comes back with
//! the saved plan shown and the user's text still in the form.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::NaiveDate;
use indsats_app::cases::{Actor, CaseError};
use indsats_app::citizen_plans as use_case;
use indsats_domain::case::{AccessReason, FieldProblem, Problem};
use indsats_domain::citizen_plan::{
    Department, EFFORT_DEPARTMENT, EFFORT_RESPONSIBLE, EFFORT_REVIEW, EFFORT_STATUS, EFFORT_WHAT, EFFORTS_MAX, Effort,
    EffortStatus, GOAL_FIELDS, GOALS_MAX, PlanContent, PlanGoal, SUB_GOAL_FIELDS, check_plan,
};
use indsats_domain::{Action, Area, CitizenId};
use indsats_store::{PlanFile, PlanVersionSaved};
use utoipa_axum::router::OpenApiRouter;

use crate::citizens::{ReasonQuery, actor, case_error, date_text, parse_reason, problem_text, reason_page};
use crate::context::RequestContext;
use crate::cookies;
use crate::error::AppError;
use crate::forms::Form;
use crate::pages::{Layout, render_with_status};
use crate::state::AppState;

/// Where the plan's pages live.
pub mod url {
    use indsats_domain::CitizenId;
    use indsats_domain::case::AccessReason;

    const PAGE: &str = "/borgere/{citizen}/plan";
    const HISTORY: &str = "/borgere/{citizen}/plan/historik";

    /// The router's patterns, in the order above.
    pub(super) const PATTERNS: [&str; 2] = [PAGE, HISTORY];

    fn with_reason(url: String, reason: &str) -> String {
        if reason.is_empty() { url } else { format!("{url}?grund={reason}") }
    }

    /// The plan page (GET) and where its form posts; `reason` when it is another's case.
    pub fn page(citizen: CitizenId, reason: Option<AccessReason>) -> String {
        page_for(citizen, reason.map_or("", AccessReason::code))
    }

    /// [`page`] with the reason's code as the case page holds it ("" for none).
    pub fn page_for(citizen: CitizenId, reason: &str) -> String {
        with_reason(PAGE.replace("{citizen}", &citizen.to_string()), reason)
    }

    /// The saved versions.
    pub fn history(citizen: CitizenId, reason: Option<AccessReason>) -> String {
        with_reason(HISTORY.replace("{citizen}", &citizen.to_string()), reason.map_or("", AccessReason::code))
    }
}

/// The plan's pages.
pub fn router() -> OpenApiRouter<AppState> {
    let [page, history] = url::PATTERNS;
    OpenApiRouter::new().route(page, get(show).post(save)).route(history, get(history_page))
}

/// How many empty goal rows the form offers beyond the saved ones.
const SPARE_GOALS: usize = 2;
/// How many empty effort rows the form offers beyond the saved ones.
const SPARE_EFFORTS: usize = 3;

type Choice = (&'static str, String);

pub(crate) fn department_key(d: Department) -> &'static str {
    match d {
        Department::Employment => "plan-department-employment",
        Department::Social => "plan-department-social",
        Department::Health => "plan-department-health",
        Department::Housing => "plan-department-housing",
        Department::Education => "plan-department-education",
    }
}

pub(crate) fn status_key(s: EffortStatus) -> &'static str {
    match s {
        EffortStatus::Planned => "plan-effort-planned",
        EffortStatus::Running => "plan-effort-running",
        EffortStatus::Done => "plan-effort-done",
        EffortStatus::Stopped => "plan-effort-stopped",
    }
}

/// The case pages' error, but a stale save speaks of the plan.
fn plan_error(ctx: &RequestContext, err: CaseError) -> AppError {
    match err {
        CaseError::Conflict => AppError::BadRequest {
            status: StatusCode::CONFLICT,
            field: None,
            problem: Some(ctx.locale.t("plan-conflict")),
        },
        other => case_error(ctx, other),
    }
}

// ---------------------------------------------------------------------------------------------
// What the page shows

/// An effort, worded.
#[derive(Debug)]
struct EffortView {
    department: String,
    what: String,
    responsible: String,
    status: String,
    review: String,
}

/// A saved version, worded.
#[derive(Debug)]
struct VersionView {
    revision: i64,
    saved_by: String,
    saved_at: String,
    goals: Vec<(String, Vec<String>)>,
    efforts: Vec<EffortView>,
}

fn version_view(ctx: &RequestContext, v: &PlanVersionSaved) -> VersionView {
    VersionView {
        revision: v.revision,
        saved_by: v.saved_by.as_ref().map(ToString::to_string).unwrap_or_default(),
        saved_at: use_case::saved_local(v.saved_at).map(|t| t.format("%d.%m.%Y %H:%M").to_string()).unwrap_or_default(),
        goals: v.content.goals.iter().map(|g| (g.text.clone(), g.sub_goals.clone())).collect(),
        efforts: v
            .content
            .efforts
            .iter()
            .map(|e| EffortView {
                department: ctx.locale.t(department_key(e.department)),
                what: e.what.clone(),
                responsible: e.responsible.clone(),
                status: ctx.locale.t(status_key(e.status)),
                review: e.review.map(date_text).unwrap_or_default(),
            })
            .collect(),
    }
}

/// A goal row of the form, as typed, with its messages.
#[derive(Debug, Default, Clone)]
struct GoalRow {
    text: String,
    subgoals: String,
    text_error: Option<String>,
    subgoals_error: Option<String>,
}

/// An effort row of the form, as typed, with its messages.
#[derive(Debug, Default, Clone)]
struct EffortRow {
    department: String,
    what: String,
    responsible: String,
    status: String,
    review: String,
    department_error: Option<String>,
    what_error: Option<String>,
    responsible_error: Option<String>,
    status_error: Option<String>,
    review_error: Option<String>,
}

/// The form as typed: the revision it was made from and the kept rows.
#[derive(Debug, Default)]
struct Typed {
    revision: i64,
    goals: Vec<GoalRow>,
    efforts: Vec<EffortRow>,
}

impl Typed {
    fn from_plan(plan: &PlanFile) -> Self {
        let Some(current) = &plan.current else { return Typed::default() };
        Typed {
            revision: current.revision,
            goals: current
                .content
                .goals
                .iter()
                .map(|g| GoalRow { text: g.text.clone(), subgoals: g.sub_goals.join("\n"), ..GoalRow::default() })
                .collect(),
            efforts: current
                .content
                .efforts
                .iter()
                .map(|e| EffortRow {
                    department: e.department.code().into(),
                    what: e.what.clone(),
                    responsible: e.responsible.clone(),
                    status: e.status.code().into(),
                    review: e.review.map(|d| d.to_string()).unwrap_or_default(),
                    ..EffortRow::default()
                })
                .collect(),
        }
    }

    /// Puts each message beside its row's field, first message per field; returns the
    /// summary's list (field, text) in form order.
    fn attach(&mut self, ctx: &RequestContext, problems: &[FieldProblem]) -> Vec<(&'static str, String)> {
        let mut summary = Vec::new();
        for p in problems {
            let text = problem_text(ctx, p.problem);
            let slot = |fields: &[&'static str]| fields.iter().position(|f| *f == p.field);
            let target = if let Some(i) = slot(&GOAL_FIELDS) {
                self.goals.get_mut(i).map(|r| &mut r.text_error)
            } else if let Some(i) = slot(&SUB_GOAL_FIELDS) {
                self.goals.get_mut(i).map(|r| &mut r.subgoals_error)
            } else if let Some(i) = slot(&EFFORT_WHAT) {
                self.efforts.get_mut(i).map(|r| &mut r.what_error)
            } else if let Some(i) = slot(&EFFORT_DEPARTMENT) {
                self.efforts.get_mut(i).map(|r| &mut r.department_error)
            } else if let Some(i) = slot(&EFFORT_RESPONSIBLE) {
                self.efforts.get_mut(i).map(|r| &mut r.responsible_error)
            } else if let Some(i) = slot(&EFFORT_STATUS) {
                self.efforts.get_mut(i).map(|r| &mut r.status_error)
            } else if let Some(i) = slot(&EFFORT_REVIEW) {
                self.efforts.get_mut(i).map(|r| &mut r.review_error)
            } else {
                None
            };
            match target {
                Some(slot @ None) => {
                    *slot = Some(text.clone());
                    summary.push((p.field, text));
                }
                Some(Some(_)) => {}
                // A problem with the plan as a whole ("goals": closed case, too many rows).
                None => summary.push((p.field, text)),
            }
        }
        summary
    }

    /// The rows the form shows: the kept ones and empty ones to add with.
    fn with_spare_rows(mut self) -> Self {
        let goals = (self.goals.len() + SPARE_GOALS).min(GOALS_MAX);
        self.goals.resize(goals.max(self.goals.len()), GoalRow::default());
        let efforts = (self.efforts.len() + SPARE_EFFORTS).min(EFFORTS_MAX);
        let blank = EffortRow {
            department: Department::Employment.code().into(),
            status: EffortStatus::Planned.code().into(),
            ..EffortRow::default()
        };
        self.efforts.resize(efforts.max(self.efforts.len()), blank);
        self
    }
}

#[derive(Template)]
#[template(path = "citizen_plan.html")]
struct PlanPage {
    layout: Layout,
    message: Option<String>,
    /// The colleague's save that overtook this form, worded; `None` normally.
    conflict: Option<String>,
    /// The reason the case was opened with, carried by the form ("" for one's own case).
    reason: &'static str,
    citizen: CitizenId,
    name: String,
    current: Option<VersionView>,
    can_work: bool,
    typed: Typed,
    summary: Vec<(&'static str, String)>,
    departments: Vec<Choice>,
    statuses: Vec<Choice>,
}

impl PlanPage {
    fn case_url(&self) -> String {
        crate::citizens::url::case(self.citizen, self.reason.parse().ok())
    }
    fn save_url(&self) -> String {
        url::page_for(self.citizen, "")
    }
    fn history_url(&self) -> String {
        url::history(self.citizen, self.reason.parse().ok())
    }
}

struct Extras {
    status: StatusCode,
    message: Option<String>,
    conflict: bool,
    typed: Option<(Typed, Vec<(&'static str, String)>)>,
}

fn plan_page(
    state: &AppState,
    ctx: &RequestContext,
    citizen: CitizenId,
    reason: Option<AccessReason>,
    plan: &PlanFile,
    extras: Extras,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let current = plan.current.as_ref().map(|v| version_view(ctx, v));
    let conflict = extras.conflict.then(|| {
        let (by, at) = current.as_ref().map(|v| (v.saved_by.clone(), v.saved_at.clone())).unwrap_or_default();
        ctx.locale.t_args("plan-conflict-by", &[("name", &by), ("at", &at)])
    });
    let (mut typed, summary) = extras.typed.unwrap_or_else(|| (Typed::from_plan(plan), Vec::new()));
    if extras.conflict {
        // Saving again is a deliberate overwrite of what the user has now seen.
        typed.revision = plan.current.as_ref().map_or(0, |v| v.revision);
    }
    let title = ctx.locale.t_args("plan-title", &[("name", &plan.name)]);
    let page = PlanPage {
        layout: Layout::new(state, ctx, title, Some(Area::Citizens)),
        message: extras.message,
        conflict,
        reason: reason.map_or("", AccessReason::code),
        citizen,
        name: plan.name.clone(),
        current,
        can_work: Action::WorkOnCase.allows(user.role) && plan.open,
        typed: typed.with_spare_rows(),
        summary,
        departments: Department::ALL.iter().map(|d| (d.code(), ctx.locale.t(department_key(*d)))).collect(),
        statuses: EffortStatus::ALL.iter().map(|s| (s.code(), ctx.locale.t(status_key(*s)))).collect(),
    };
    render_with_status(extras.status, &page)
}

/// The plan and its edit form (the read audited).
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
    let plan = match use_case::load(&*state.store, actor, citizen, reason).await {
        Ok(plan) => plan,
        Err(CaseError::ReasonRequired) => return reason_page(&state, &ctx, url::page(citizen, None)),
        Err(e) => return Err(plan_error(&ctx, e)),
    };
    let flash = cookies::Flash::take(&headers);
    let extras = Extras { status: StatusCode::OK, message: flash.message(), conflict: false, typed: None };
    let response = plan_page(&state, &ctx, citizen, reason, &plan, extras)?;
    Ok(flash.shown(response, state.config.secure_cookies))
}

/// Reads the posted rows in form order, dropping blank ones; a value that does not parse
/// is named at its (kept) row and replaced by a default, so the rest is still checked.
fn parse_form(field: &dyn Fn(&str) -> String) -> (Typed, PlanContent, Vec<FieldProblem>) {
    let mut typed = Typed::default();
    let mut content = PlanContent::default();
    let mut problems = Vec::new();
    for i in 0..GOALS_MAX {
        let (text, subgoals) = (field(GOAL_FIELDS[i]), field(SUB_GOAL_FIELDS[i]));
        if text.trim().is_empty() && subgoals.trim().is_empty() {
            continue;
        }
        content.goals.push(PlanGoal {
            text: text.clone(),
            sub_goals: subgoals.lines().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect(),
        });
        typed.goals.push(GoalRow { text, subgoals, ..GoalRow::default() });
    }
    for i in 0..EFFORTS_MAX {
        let row = EffortRow {
            department: field(EFFORT_DEPARTMENT[i]),
            what: field(EFFORT_WHAT[i]),
            responsible: field(EFFORT_RESPONSIBLE[i]),
            status: field(EFFORT_STATUS[i]),
            review: field(EFFORT_REVIEW[i]),
            ..EffortRow::default()
        };
        // The selects always hold a value: a row is blank when nothing was typed into it.
        if [&row.what, &row.responsible, &row.review].iter().all(|s| s.trim().is_empty()) {
            continue;
        }
        let at = content.efforts.len();
        let mut bad = |field: &'static str| problems.push(FieldProblem { field, problem: Problem::Invalid });
        let department = row.department.parse().unwrap_or_else(|_| {
            bad(EFFORT_DEPARTMENT[at]);
            Department::Employment
        });
        let status = row.status.parse().unwrap_or_else(|_| {
            bad(EFFORT_STATUS[at]);
            EffortStatus::Planned
        });
        let review = match row.review.trim() {
            "" => None,
            raw => NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_or_else(
                |_| {
                    bad(EFFORT_REVIEW[at]);
                    // Counted as given, so the check does not add "missing" beside "invalid".
                    NaiveDate::from_ymd_opt(1970, 1, 1)
                },
                Some,
            ),
        };
        content.efforts.push(Effort {
            department,
            what: row.what.clone(),
            responsible: row.responsible.clone(),
            status,
            review,
        });
        typed.efforts.push(row);
    }
    (typed, content, problems)
}

/// Saves the plan as a new version; a refused or overtaken save comes back with the text kept.
async fn save(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(citizen): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let actor = actor(&ctx, Action::WorkOnCase)?;
    let citizen = CitizenId(citizen);
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let reason = parse_reason(&ctx, Some(&field("grund")))?;
    let expected: i64 = field("revision")
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("revision", ctx.locale.t("case-problem-invalid")))?;
    let (mut typed, content, mut problems) = parse_form(&field);
    typed.revision = expected;
    let result = if problems.is_empty() {
        use_case::save(&*state.store, actor, citizen, reason, expected, &content).await
    } else {
        // List every problem in one round; the case's state is checked again on the next save.
        problems.extend(check_plan(&content, true));
        Err(CaseError::Invalid(Vec::new()))
    };
    let back = Back { actor, citizen, reason, typed };
    match result {
        Ok(_) => {
            let mut response = Redirect::to(&url::page(citizen, reason)).into_response();
            let message = ctx.locale.t("plan-saved");
            cookies::append(&mut response, &cookies::flash(&message, state.config.secure_cookies));
            Ok(response)
        }
        Err(CaseError::Invalid(found)) => {
            problems.extend(found);
            back.page(&state, &ctx, StatusCode::UNPROCESSABLE_ENTITY, &problems).await
        }
        Err(CaseError::Conflict) => back.page(&state, &ctx, StatusCode::CONFLICT, &[]).await,
        Err(CaseError::ReasonRequired) => reason_page(&state, &ctx, url::page(citizen, None)),
        Err(e) => Err(plan_error(&ctx, e)),
    }
}

/// A save that did not go through, to show again with what was typed.
struct Back {
    actor: Actor,
    citizen: CitizenId,
    reason: Option<AccessReason>,
    typed: Typed,
}

impl Back {
    /// The plan page with the saved plan read again (audited) and the typed form, its
    /// messages at their rows; a conflict (409) also says who saved in between.
    async fn page(
        mut self,
        state: &AppState,
        ctx: &RequestContext,
        status: StatusCode,
        problems: &[FieldProblem],
    ) -> Result<Response, AppError> {
        let plan = use_case::load(&*state.store, self.actor, self.citizen, self.reason)
            .await
            .map_err(|e| plan_error(ctx, e))?;
        let summary = self.typed.attach(ctx, problems);
        let conflict = status == StatusCode::CONFLICT;
        let extras = Extras { status, message: None, conflict, typed: Some((self.typed, summary)) };
        plan_page(state, ctx, self.citizen, self.reason, &plan, extras)
    }
}

#[derive(Template)]
#[template(path = "citizen_plan_history.html")]
struct HistoryPage {
    layout: Layout,
    plan_url: String,
    versions: Vec<VersionView>,
}

/// Every saved version of the plan, newest first (the read audited).
async fn history_page(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(citizen): Path<i64>,
    Query(query): Query<ReasonQuery>,
) -> Result<Response, AppError> {
    let actor = actor(&ctx, Action::ViewCitizens)?;
    let citizen = CitizenId(citizen);
    let reason = parse_reason(&ctx, query.grund.as_deref())?;
    let versions = match use_case::history(&*state.store, actor, citizen, reason).await {
        Ok(versions) => versions,
        Err(CaseError::ReasonRequired) => return reason_page(&state, &ctx, url::history(citizen, None)),
        Err(e) => return Err(plan_error(&ctx, e)),
    };
    let page = HistoryPage {
        layout: Layout::new(&state, &ctx, ctx.locale.t("plan-history-title"), Some(Area::Citizens)),
        plan_url: url::page(citizen, reason),
        versions: versions.iter().map(|v| version_view(&ctx, v)).collect(),
    };
    render_with_status(StatusCode::OK, &page)
}
