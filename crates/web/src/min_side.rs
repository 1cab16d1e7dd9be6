//! "Min side": a citizen's own page (role `borger`). The plan, the conversations ahead, what
//! is asked of them and the options they have, in plain Danish, and "Hvem har set min sag":
//! every staff member who read the case, when and why. The case is the one the citizen's
//! account is bound to; nothing in the URL chooses it.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use indsats_app::own_case::{self, OwnCase};
use indsats_domain::case::OfferKind;
use indsats_domain::rules::{Holder, ObligationKind};
use indsats_domain::{Action, Area};
use utoipa_axum::router::OpenApiRouter;

use crate::citizens::{case_error, conversation_kind_key, date_text, datetime_text, reason_key};
use crate::context::RequestContext;
use crate::error::AppError;
use crate::pages::{Layout, area_url, render, role_key};
use crate::state::AppState;

/// The citizen's page.
pub fn url() -> String {
    area_url(Area::OwnCase)
}

/// The page, open to the role `borger` only.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().route(&url(), get(show))
}

struct GoalView {
    text: String,
    steps: Vec<String>,
}

struct EffortView {
    what: String,
    department: String,
    responsible: String,
    status: String,
    review: String,
}

struct ReadView {
    when: String,
    who: String,
    role: String,
    what: String,
    why: String,
}

#[derive(Template)]
#[template(path = "min_side.html")]
struct MinSide {
    layout: Layout,
    goals: Vec<GoalView>,
    efforts: Vec<EffortView>,
    has_plan: bool,
    plan_saved: String,
    coming: Vec<(String, String)>,
    ahead: Vec<String>,
    options: Vec<(String, String)>,
    reads: Vec<ReadView>,
}

/// The catalogue key of an obligation as the citizen reads it.
fn ahead_key(kind: ObligationKind, holder: Holder) -> &'static str {
    match (kind, holder) {
        (ObligationKind::Conversation, Holder::Kommune) => "own-ahead-conversation",
        (ObligationKind::Conversation, Holder::Akasse) => "own-ahead-conversation-akasse",
        (ObligationKind::JointConversation, _) => "own-ahead-joint",
        (ObligationKind::FollowUp, _) => "own-ahead-follow-up",
        (ObligationKind::Offer, _) => "own-ahead-offer",
    }
}

/// The catalogue keys of an offer kind's plain name and what it means.
fn option_keys(kind: OfferKind) -> (&'static str, &'static str) {
    match kind {
        OfferKind::WorkPlacement => ("own-option-work-placement", "own-option-work-placement-text"),
        OfferKind::WageSubsidy => ("own-option-wage-subsidy", "own-option-wage-subsidy-text"),
        OfferKind::UtilityWork => ("own-option-utility-work", "own-option-utility-work-text"),
        OfferKind::OrdinaryHours => ("own-option-ordinary-hours", "own-option-ordinary-hours-text"),
        OfferKind::AmuCourse => ("own-option-amu", "own-option-amu-text"),
        OfferKind::OrdinaryEducation => ("own-option-ordinary-education", "own-option-ordinary-education-text"),
        OfferKind::AdultApprenticeship => ("own-option-adult-apprenticeship", "own-option-adult-apprenticeship-text"),
        OfferKind::Mentor => ("own-option-mentor", "own-option-mentor-text"),
        OfferKind::Ips => ("own-option-ips", "own-option-ips-text"),
    }
}

/// The catalogue key of what a staff member's read was.
fn read_key(action: &str) -> &'static str {
    match action {
        "citizen.cpr" => "own-read-cpr",
        "citizen.plan.view" => "own-read-plan",
        _ => "own-read-case",
    }
}

fn page(state: &AppState, ctx: &RequestContext, own: &OwnCase) -> MinSide {
    let t = |key: &str| ctx.locale.t(key);
    let plan = own.plan.as_ref();
    let goals = plan
        .map(|p| {
            p.content.goals.iter().map(|g| GoalView { text: g.text.clone(), steps: g.sub_goals.clone() }).collect()
        })
        .unwrap_or_default();
    let efforts = plan
        .map(|p| {
            p.content
                .efforts
                .iter()
                .map(|e| EffortView {
                    what: e.what.clone(),
                    department: t(crate::citizen_plan::department_key(e.department)),
                    responsible: e.responsible.clone(),
                    status: t(crate::citizen_plan::status_key(e.status)),
                    review: e.review.map(date_text).unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    let plan_saved = plan
        .and_then(|p| indsats_app::citizen_plans::saved_local(p.saved_at))
        .map(|at| ctx.locale.t_args("own-plan-saved", &[("date", &date_text(at.date()))]))
        .unwrap_or_default();
    let coming = own.coming.iter().map(|c| (datetime_text(c.at), t(conversation_kind_key(c.kind)))).collect();
    let ahead = own
        .ahead
        .iter()
        .map(|d| {
            let count = d.obligation.count.to_string();
            let date = date_text(d.obligation.due);
            ctx.locale.t_args(ahead_key(d.obligation.kind, d.obligation.holder), &[("count", &count), ("date", &date)])
        })
        .collect();
    let options = OfferKind::ALL
        .iter()
        .map(|k| {
            let (name, text) = option_keys(*k);
            (t(name), t(text))
        })
        .collect();
    let reads = own
        .reads
        .iter()
        .map(|r| ReadView {
            when: ctx
                .locale
                .t_args("own-read-when", &[("at", &indsats_domain::format::datetime(r.at, &t("format-datetime")))]),
            who: r.display_name.clone(),
            role: t(role_key(r.role)),
            what: t(read_key(&r.action)),
            why: r.reason.map_or_else(|| t("own-read-own-caseworker"), |reason| t(reason_key(reason))),
        })
        .collect();
    MinSide {
        layout: Layout::new(state, ctx, t("own-title"), Some(Area::OwnCase)),
        goals,
        efforts,
        has_plan: plan.is_some(),
        plan_saved,
        coming,
        ahead,
        options,
        reads,
    }
}

/// The citizen's page (audited: the case and the plan are read with the citizen as the actor).
async fn show(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    let user = ctx.require(Action::ViewOwnCase)?;
    let own =
        own_case::view(&*state.store, user, indsats_app::cases::local_now()).await.map_err(|e| case_error(&ctx, e))?;
    render(&page(&state, &ctx, &own))
}
