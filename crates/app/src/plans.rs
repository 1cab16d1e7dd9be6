//! Plans and goals: loading plan files as versions, judging a plan's goals for a quarter from
//! the served register figures, and the managers' follow-up (action status, comments).

use std::collections::HashMap;

use indsats_domain::plan::{ActionStatus, Measure, PlanDocument, parse};
use indsats_domain::{ActionId, GoalId, Period, PeriodKind, PlanId, Quarter};
use indsats_i18n::Locale;
use indsats_register::series::{SeriesIndex, SeriesKey};
use indsats_report::document::{Annotations, Comment, DataInfo, Report, ReportError, build};
use indsats_report::labels::Labels;
use indsats_store::{
    ActionStatusChange, GoalComment, GoalCommentChange, NewPlanVersion, PlanVersion, SaveOutcome, Store, StoreError,
    UserId,
};

use crate::figures::{CaseSource, PanelFigures, PlanFigures};

/// The longest comment kept; a report page has room for about this much.
pub const COMMENT_MAX: usize = 4000;

/// Why a plan use case did not go through. The caller words it for the user.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// No such plan, version, goal or action.
    #[error("no such plan, goal or action")]
    NotFound,
    /// The quarter does not lie in the plan's period.
    #[error("the quarter is outside the plan period")]
    QuarterOutsidePlan,
    /// The comment is longer than [`COMMENT_MAX`] characters.
    #[error("the comment is longer than {max} characters")]
    CommentTooLong {
        /// The limit.
        max: usize,
    },
    /// Someone else changed the action or comment since the user's page was made.
    #[error("someone else changed it first")]
    Conflict,
    /// A stored plan no longer parses: our fault, never the user's.
    #[error("stored plan {0} does not parse")]
    Corrupt(String),
    /// The database failed.
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for PlanError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Conflict(_) => PlanError::Conflict,
            other => PlanError::Store(other),
        }
    }
}

/// Stores a checked plan as a new version (or finds it unchanged); the store records who
/// loaded it in the same transaction.
pub async fn load(
    store: &dyn Store,
    plan: &PlanDocument,
    text: &str,
    by: Option<UserId>,
) -> Result<SaveOutcome, PlanError> {
    let h = &plan.plan;
    // The plan file's reader holds ids to the same rule, so a parsed plan's id always passes.
    let id = PlanId::parse(&h.id).map_err(|_| PlanError::Corrupt(h.id.clone()))?;
    let new = NewPlanVersion {
        plan: id,
        municipality: h.municipality,
        title: h.title.clone(),
        text: text.to_owned(),
        loaded_at: indsats_store::unix_now(),
    };
    Ok(store.save_plan_version(&new, by).await?)
}

/// A plan id from a URL or a form: one that cannot be an id names no plan.
fn plan_id(raw: &str) -> Result<PlanId, PlanError> {
    PlanId::parse(raw).map_err(|_| PlanError::NotFound)
}

/// A stored version read back into the model (it was checked when it was loaded).
pub async fn stored(
    store: &dyn Store,
    plan_id_raw: &str,
    version: Option<i64>,
) -> Result<(PlanVersion, PlanDocument), PlanError> {
    let id = plan_id(plan_id_raw)?;
    let stored = store.plan(&id, version).await?.ok_or(PlanError::NotFound)?;
    let plan = parse(&stored.text).map_err(|_| PlanError::Corrupt(plan_id_raw.to_owned()))?;
    Ok((stored.version, plan))
}

/// The latest version of every plan, read back into the model, ordered by title.
pub async fn latest_all(store: &dyn Store) -> Result<Vec<(PlanVersion, PlanDocument)>, PlanError> {
    let mut plans = Vec::new();
    for listed in store.plans().await? {
        plans.push(stored(store, listed.plan_id.as_str(), Some(listed.version)).await?);
    }
    Ok(plans)
}

/// The newest quarter of the plan period with register figures for the municipality, else the
/// plan's first quarter: the quarter a plan's page and report open on.
pub fn default_quarter(plan: &PlanDocument, index: Option<&SeriesIndex>) -> Quarter {
    let period = plan.plan.period;
    let latest = index.and_then(|index| {
        let key = SeriesKey {
            municipality: plan.plan.municipality.get(),
            indicator: indsats_domain::indicator::Indicator::Befolkning,
            category: indsats_domain::indicator::Category::Total,
            kind: PeriodKind::Quarter,
        };
        index.get(&key).iter().rev().find_map(|p| match p.period {
            Period::Quarter(q) if period.contains(q) => Some(q),
            _ => None,
        })
    });
    latest.unwrap_or(period.first())
}

/// What a reader asks to see of a plan.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlanRequest<'a> {
    /// The plan's id.
    pub plan_id: &'a str,
    /// A stored version; the latest when `None`.
    pub version: Option<i64>,
    /// The quarter to judge; [`default_quarter`] when `None`.
    pub quarter: Option<Quarter>,
    /// The committee meeting the report is made for, printed on its first page.
    pub meeting: Option<&'a indsats_report::document::Meeting>,
    /// Who asks: recorded with the read of the cases when the plan names operational figures.
    pub viewer: Option<UserId>,
}

/// The report's words in `locale`, from the catalogues: what the web pages, the downloads and
/// `indsats report` word a report with.
pub fn report_labels(locale: Locale) -> Labels {
    Labels::new(locale.tag(), move |key, args| locale.t_args(key, args))
}

/// A plan judged for a quarter, with what its pages need to offer edits.
#[derive(Debug)]
pub struct JudgedPlan {
    /// The version shown.
    pub version: PlanVersion,
    /// Every version of the plan, newest first.
    pub versions: Vec<PlanVersion>,
    /// The plan itself.
    pub plan: PlanDocument,
    /// The quarter judged.
    pub quarter: Quarter,
    /// The judged goals, or why they could not be judged for this quarter.
    pub report: Result<Report, ReportError>,
    /// The words it was judged with, in the reader's language.
    pub labels: Labels,
    /// The stored revision of each action changed in the application (0 when never changed).
    pub action_revisions: HashMap<String, i64>,
    /// The stored revision of each goal's comment for the quarter.
    pub comment_revisions: HashMap<String, i64>,
    /// The status of each action changed in the application, by action id: what the goal
    /// pages show when no report can be made for the quarter.
    pub action_states: HashMap<String, ActionStatus>,
    /// The stored comment on each goal for the quarter, with who wrote it and when.
    pub comments: HashMap<String, GoalComment>,
}

impl JudgedPlan {
    /// The revision of an action's status the user saw: 0 when never changed in the application.
    pub fn action_revision(&self, action_id: &str) -> i64 {
        self.action_revisions.get(action_id).copied().unwrap_or(0)
    }

    /// The revision of a goal's comment for the quarter: 0 when there is none.
    pub fn comment_revision(&self, goal_id: &str) -> i64 {
        self.comment_revisions.get(goal_id).copied().unwrap_or(0)
    }

    /// The stored comment on a goal for the quarter, if any was ever written.
    pub fn comment(&self, goal_id: &str) -> Option<&GoalComment> {
        self.comments.get(goal_id)
    }

    /// An action's current status: as set in the application, else as the plan file says.
    pub fn action_status(&self, action: &indsats_domain::plan::Action) -> ActionStatus {
        self.action_states.get(&action.id).copied().unwrap_or(action.status)
    }
}

/// Judges a plan's goals for a quarter from the served panel (`None`: no register data yet),
/// with the managers' action states and comments; small cells are hidden unless the reader
/// may see them.
pub async fn judge(
    store: &dyn Store,
    index: Option<&SeriesIndex>,
    sees_small_cells: bool,
    request: PlanRequest<'_>,
    labels: Labels,
) -> Result<JudgedPlan, PlanError> {
    let (version, plan) = stored(store, request.plan_id, request.version).await?;
    let quarter = request.quarter.unwrap_or_else(|| default_quarter(&plan, index));
    let states = store.action_states(&version.plan_id).await?;
    let comments = store.goal_comments(&version.plan_id, quarter).await?;
    let mut written = HashMap::new();
    for c in &comments {
        written.insert(c.goal_id.to_string(), comment(store, c).await?);
    }
    let notes = Annotations {
        version: Some(version.version),
        action_status: states.iter().map(|s| (s.action_id.to_string(), s.status)).collect(),
        comments: written,
        made_on: Some(chrono::Local::now().date_naive()),
        data: data_info(index, &labels),
        meeting: request.meeting.cloned(),
        ..Annotations::default()
    };
    let empty = SeriesIndex::default();
    let panel = PanelFigures { index: index.unwrap_or(&empty), sees_small_cells };
    let facts = case_facts(store, &plan, request.viewer).await?;
    let cases = facts.as_ref().map(|(municipality, facts)| CaseSource {
        municipality: *municipality,
        facts,
        today: crate::cases::local_now().date(),
    });
    let figures = PlanFigures { panel, cases };
    let report = build(&plan, quarter, &figures, &notes, &labels);
    Ok(JudgedPlan {
        versions: store.plan_versions(&version.plan_id).await?,
        version,
        plan,
        quarter,
        report,
        labels,
        action_revisions: states.iter().map(|s| (s.action_id.to_string(), s.revision)).collect(),
        action_states: states.iter().map(|s| (s.action_id.to_string(), s.status)).collect(),
        comment_revisions: comments.iter().map(|c| (c.goal_id.to_string(), c.revision)).collect(),
        comments: comments.into_iter().map(|c| (c.goal_id.to_string(), c)).collect(),
    })
}

/// The cases, when the plan names an operational figure and is the site's own municipality's
/// plan (another municipality's plan has no cases here); the read is audited as `viewer`'s.
async fn case_facts(
    store: &dyn Store,
    plan: &PlanDocument,
    viewer: Option<UserId>,
) -> Result<Option<(u16, Vec<indsats_store::CaseFacts>)>, PlanError> {
    let names_cases = plan.indicators().any(|(_, i)| matches!(i.measure, Measure::Case(m) if m.is_computed()));
    if !names_cases {
        return Ok(None);
    }
    let municipality = plan.plan.municipality;
    match store.site().await? {
        Some(site) if site.municipality_code == municipality => {
            Ok(Some((municipality.get(), store.case_facts(viewer).await?)))
        }
        _ => Ok(None),
    }
}

/// A stored comment as the report prints it: the text, its author's display name (the user
/// name when the user is gone) and the day it was last written.
async fn comment(store: &dyn Store, c: &indsats_store::GoalComment) -> Result<Comment, PlanError> {
    let author = match &c.updated_by {
        Some(username) => {
            Some(store.user_by_username(username).await?.map_or_else(|| username.to_string(), |u| u.display_name))
        }
        None => None,
    };
    let written = chrono::DateTime::from_timestamp(c.updated_at, 0)
        .map_or_else(|| chrono::Local::now().date_naive(), |t| t.with_timezone(&chrono::Local).date_naive());
    Ok(Comment { text: c.text.clone(), author, written })
}

/// Which register data set the served figures come from, for the report's appendix and its
/// demo marking; `None` when there is none or it was not loaded from a data set directory.
pub fn data_info(index: Option<&SeriesIndex>, labels: &Labels) -> Option<DataInfo> {
    let index = index?;
    let provenance = index.provenance()?;
    Some(DataInfo {
        version: provenance.version.clone(),
        last_week: index.last_week().map_or_else(|| "–".to_owned(), |w| labels.week(w)),
        synthetic: provenance.synthetic,
    })
}

/// A manager's change of an action's status, as submitted.
#[derive(Debug, Clone)]
pub struct ActionChange<'a> {
    /// The plan's id.
    pub plan_id: &'a str,
    /// The goal the action was shown under.
    pub goal_id: &'a str,
    /// The action's id.
    pub action_id: &'a str,
    /// The new status.
    pub status: ActionStatus,
    /// The revision the user saw (0: never changed in the application).
    pub expected_revision: i64,
    /// The quarter the user was looking at; it must lie in the plan period, since the page
    /// they return to shows that quarter.
    pub quarter: Quarter,
}

/// Sets an action's status in the latest version of the plan; returns the action's title.
/// A stale revision (someone else changed it first) is [`PlanError::Conflict`] and writes nothing.
pub async fn set_action_status(store: &dyn Store, by: UserId, change: &ActionChange<'_>) -> Result<String, PlanError> {
    let (_, plan) = stored(store, change.plan_id, None).await?;
    let (_, action) =
        plan.actions().find(|(g, a)| a.id == change.action_id && g.id == change.goal_id).ok_or(PlanError::NotFound)?;
    if !plan.plan.period.contains(change.quarter) {
        return Err(PlanError::QuarterOutsidePlan);
    }
    let stored_change = ActionStatusChange {
        plan: plan_id(change.plan_id)?,
        action: ActionId::parse(change.action_id).map_err(|_| PlanError::NotFound)?,
        status: change.status,
        expected_revision: change.expected_revision,
        at: indsats_store::unix_now(),
    };
    store.set_action_status(&stored_change, by).await?;
    Ok(action.title.clone())
}

/// A manager's comment on a goal for a quarter, as submitted.
#[derive(Debug, Clone)]
pub struct CommentChange<'a> {
    /// The plan's id.
    pub plan_id: &'a str,
    /// The goal's id.
    pub goal_id: &'a str,
    /// The quarter the comment is about.
    pub quarter: Quarter,
    /// The comment; surrounding blanks are dropped.
    pub text: &'a str,
    /// The revision the user saw (0: no comment yet).
    pub expected_revision: i64,
}

/// Writes a goal's comment for a quarter in the plan period; returns the goal's title.
/// A stale revision is [`PlanError::Conflict`] and writes nothing.
pub async fn set_goal_comment(store: &dyn Store, by: UserId, change: &CommentChange<'_>) -> Result<String, PlanError> {
    let (_, plan) = stored(store, change.plan_id, None).await?;
    let goal = plan.goals.iter().find(|g| g.id == change.goal_id).ok_or(PlanError::NotFound)?;
    if !plan.plan.period.contains(change.quarter) {
        return Err(PlanError::QuarterOutsidePlan);
    }
    // What is stored is counted: blanks around the text are dropped first.
    let text = change.text.trim();
    if text.chars().count() > COMMENT_MAX {
        return Err(PlanError::CommentTooLong { max: COMMENT_MAX });
    }
    let stored_change = GoalCommentChange {
        plan: plan_id(change.plan_id)?,
        goal: GoalId::parse(change.goal_id).map_err(|_| PlanError::NotFound)?,
        quarter: change.quarter,
        text: text.to_owned(),
        expected_revision: change.expected_revision,
        at: indsats_store::unix_now(),
    };
    store.set_goal_comment(&stored_change, by).await?;
    Ok(goal.title.clone())
}
