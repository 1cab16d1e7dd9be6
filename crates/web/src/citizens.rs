//! Borgere: the caseworker's worklist, finding a citizen by CPR number, creating a case, and
//! the case page with conversations and offers. The use cases live in
//! [`indsats_app::cases`]; this module parses, authorises one action and renders.
//!
//! A CPR number only ever travels in a POST body: URLs name a citizen by internal id.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{NaiveDate, NaiveDateTime};
use indsats_app::cases::{self as use_case, Actor, CaseError, CitizenForm, ConversationForm};
use indsats_app::due::{self, Due, Urgency, WorkItem, Worklist};
use indsats_domain::case::{
    AccessReason, ConversationEntry, ConversationKind, ConversationStatus, Disco08, EducationLevel, FieldProblem,
    OfferEntry, OfferKind, Problem, TargetGroup, caseworker_changes,
};
use indsats_domain::{Action, Area, BenefitGroup, CitizenId};
use indsats_store::{CaseFile, Profile};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;

use crate::context::RequestContext;
use crate::cookies;
use crate::error::AppError;
use crate::forms::Form;
use crate::pages::{Layout, render_with_status};
use crate::state::AppState;

/// Where each citizens' page lives.
pub mod url {
    use indsats_domain::CitizenId;
    use indsats_domain::case::AccessReason;

    /// The worklist and the search form.
    pub const LIST: &str = "/borgere";
    /// Where the search by CPR posts.
    pub const SEARCH: &str = "/borgere/soeg";
    /// The form for a new case.
    pub const NEW: &str = "/borgere/ny";
    const CASE: &str = "/borgere/{citizen}";
    const CPR: &str = "/borgere/{citizen}/cpr";
    const CONVERSATION: &str = "/borgere/{citizen}/samtale";
    const OFFER: &str = "/borgere/{citizen}/tilbud";

    /// The router's patterns, in the order above.
    pub(super) const PATTERNS: [&str; 4] = [CASE, CPR, CONVERSATION, OFFER];

    /// A case page; `reason` when opening another caseworker's case.
    pub fn case(citizen: CitizenId, reason: Option<AccessReason>) -> String {
        let url = CASE.replace("{citizen}", &citizen.to_string());
        match reason {
            Some(r) => format!("{url}?grund={}", r.code()),
            None => url,
        }
    }

    /// Where the reveal-CPR button posts.
    pub fn cpr(citizen: CitizenId) -> String {
        CPR.replace("{citizen}", &citizen.to_string())
    }

    /// Where the conversation form posts.
    pub fn conversation(citizen: CitizenId) -> String {
        CONVERSATION.replace("{citizen}", &citizen.to_string())
    }

    /// Where the offer form posts.
    pub fn offer(citizen: CitizenId) -> String {
        OFFER.replace("{citizen}", &citizen.to_string())
    }
}

/// The citizens' pages.
pub fn router() -> OpenApiRouter<AppState> {
    let [case, cpr, conversation, offer] = url::PATTERNS;
    OpenApiRouter::new()
        .route(url::LIST, get(list))
        .route(url::SEARCH, post(search))
        .route(url::NEW, get(new_form).post(create))
        .route(case, get(show))
        .route(cpr, post(reveal))
        .route(conversation, post(conversation_post))
        .route(offer, post(offer_post))
}

/// Errors by field, worded for the page, in form order.
#[derive(Debug, Default)]
struct Errors(Vec<(&'static str, String)>);

impl Errors {
    fn from_problems(ctx: &RequestContext, problems: &[FieldProblem]) -> Self {
        Errors(problems.iter().map(|p| (p.field, problem_text(ctx, p.problem))).collect())
    }

    fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, e)| e.as_str())
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn push(&mut self, field: &'static str, text: String) {
        self.0.push((field, text));
    }

    /// `value`, or `None` with `message` at `field`.
    fn require<T>(&mut self, field: &'static str, value: Option<T>, message: &str) -> Option<T> {
        if value.is_none() {
            self.push(field, message.to_owned());
        }
        value
    }
}

pub(crate) fn problem_text(ctx: &RequestContext, problem: Problem) -> String {
    ctx.locale.t(match problem {
        Problem::Missing => "case-problem-missing",
        Problem::Invalid => "case-problem-invalid",
        Problem::TooLong => "case-problem-too-long",
        Problem::BookedInPast => "case-problem-booked-in-past",
        Problem::HeldInFuture => "case-problem-held-in-future",
        Problem::EndBeforeStart => "case-problem-end-before-start",
        Problem::HoursOutOfRange => "case-problem-hours",
        Problem::CaseClosed => "case-problem-closed",
        Problem::ClosedToNewEntrants => "case-problem-closed-to-new",
        Problem::InFuture => "decision-problem-in-future",
        Problem::SentBeforeDecided => "decision-problem-sent-before-decided",
        Problem::NotSent => "decision-problem-not-sent",
        Problem::LodgedBeforeSent => "decision-problem-lodged-before-sent",
        Problem::NoAppeal => "decision-problem-no-appeal",
        Problem::OutcomeBeforeLodged => "decision-problem-outcome-before-lodged",
        Problem::AlreadyRegistered => "decision-problem-already-registered",
        Problem::ContainsCpr => "decision-problem-contains-cpr",
        Problem::QuotaFull => "exemption-problem-quota-full",
        Problem::NotInPortfolio => "exemption-problem-not-in-portfolio",
        Problem::AlreadyExempt => "exemption-problem-already",
        Problem::LooksLikeCpr => "exemption-problem-cpr",
    })
}

/// A choice in a select: code and label.
type Choice = (&'static str, String);

pub(crate) fn target_group_key(g: TargetGroup) -> &'static str {
    match g {
        TargetGroup::Dagpenge => "group-dagpenge",
        TargetGroup::KontanthjaelpJobparat => "group-kontanthjaelp-jobparat",
        TargetGroup::KontanthjaelpAktivitetsparat => "group-kontanthjaelp-aktivitetsparat",
        TargetGroup::Uddannelseshjaelp => "group-uddannelseshjaelp",
        TargetGroup::Sygedagpenge => "group-sygedagpenge",
        TargetGroup::Ledighedsydelse => "group-ledighedsydelse",
        TargetGroup::Ressourceforloeb => "group-ressourceforloeb",
        TargetGroup::Jobafklaring => "group-jobafklaring",
        TargetGroup::Revalidering => "group-revalidering",
    }
}

pub(crate) fn conversation_kind_key(k: ConversationKind) -> &'static str {
    match k {
        ConversationKind::Job => "conversation-job",
        ConversationKind::JointAkasse => "conversation-joint-akasse",
        ConversationKind::SickFollowUp => "conversation-sick-follow-up",
        ConversationKind::Rehabilitation => "conversation-rehabilitation",
    }
}

fn conversation_status_key(s: ConversationStatus) -> &'static str {
    match s {
        ConversationStatus::Booked => "conversation-booked",
        ConversationStatus::Held => "conversation-held",
        ConversationStatus::Cancelled => "conversation-cancelled",
        ConversationStatus::Missed => "conversation-missed",
    }
}

fn offer_kind_key(k: OfferKind) -> &'static str {
    match k {
        OfferKind::WorkPlacement => "offer-work-placement",
        OfferKind::WageSubsidy => "offer-wage-subsidy",
        OfferKind::UtilityWork => "offer-utility-work",
        OfferKind::OrdinaryHours => "offer-ordinary-hours",
        OfferKind::AmuCourse => "offer-amu",
        OfferKind::OrdinaryEducation => "offer-ordinary-education",
        OfferKind::AdultApprenticeship => "offer-adult-apprenticeship",
        OfferKind::Mentor => "offer-mentor",
        OfferKind::Ips => "offer-ips",
    }
}

fn education_key(e: EducationLevel) -> &'static str {
    match e {
        EducationLevel::Primary => "education-primary",
        EducationLevel::UpperSecondary => "education-upper-secondary",
        EducationLevel::Vocational => "education-vocational",
        EducationLevel::ShortHigher => "education-short-higher",
        EducationLevel::MediumHigher => "education-medium-higher",
        EducationLevel::LongHigher => "education-long-higher",
        EducationLevel::Unknown => "education-unknown",
    }
}

pub(crate) fn reason_key(r: AccessReason) -> &'static str {
    match r {
        AccessReason::Substitute => "reason-substitute",
        AccessReason::CitizenContact => "reason-citizen-contact",
        AccessReason::Sparring => "reason-sparring",
        AccessReason::Complaint => "reason-complaint",
        AccessReason::Supervision => "reason-supervision",
    }
}

fn benefit_key(b: BenefitGroup) -> &'static str {
    match b {
        BenefitGroup::ADagpenge => "benefit-a-dagpenge",
        BenefitGroup::Kontanthjaelp => "benefit-kontanthjaelp",
        BenefitGroup::Uddannelseshjaelp => "benefit-uddannelseshjaelp",
        BenefitGroup::Selvforsoergelsesydelse => "benefit-selvforsoergelsesydelse",
        BenefitGroup::Sygedagpenge => "benefit-sygedagpenge",
        BenefitGroup::Jobafklaringsforloeb => "benefit-jobafklaringsforloeb",
        BenefitGroup::Forrevalidering => "benefit-forrevalidering",
        BenefitGroup::Revalidering => "benefit-revalidering",
        BenefitGroup::Ressourceforloeb => "benefit-ressourceforloeb",
        BenefitGroup::Ledighedsydelse => "benefit-ledighedsydelse",
        BenefitGroup::Fleksjob => "benefit-fleksjob",
        BenefitGroup::Foertidspension => "benefit-foertidspension",
        BenefitGroup::Efterloen => "benefit-efterloen",
        BenefitGroup::Barselsdagpenge => "benefit-barselsdagpenge",
    }
}

fn choices<T: Copy>(
    ctx: &RequestContext,
    all: &[T],
    code: fn(T) -> &'static str,
    key: fn(T) -> &'static str,
) -> Vec<Choice> {
    all.iter().map(|v| (code(*v), ctx.locale.t(key(*v)))).collect()
}

pub(crate) fn actor(ctx: &RequestContext, action: Action) -> Result<Actor, AppError> {
    let user = ctx.require(action)?;
    Ok(Actor { user: user.id, role: user.role })
}

pub(crate) fn date_text(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

pub(crate) fn datetime_text(d: NaiveDateTime) -> String {
    d.format("%d.%m.%Y %H:%M").to_string()
}

/// Turns a use-case error that is not about the form into the page's error.
pub(crate) fn case_error(ctx: &RequestContext, err: CaseError) -> AppError {
    match err {
        CaseError::NotFound => AppError::NotFound,
        CaseError::Invalid(p) => match p.first() {
            Some(first) => AppError::invalid(first.field, problem_text(ctx, first.problem)),
            None => AppError::Internal("empty problem list".into()),
        },
        CaseError::Conflict => AppError::BadRequest {
            status: StatusCode::CONFLICT,
            field: None,
            problem: Some(ctx.locale.t("case-conflict")),
        },
        CaseError::ReasonRequired => AppError::BadRequest {
            status: StatusCode::FORBIDDEN,
            field: Some("grund".into()),
            problem: Some(ctx.locale.t("citizens-reason-required")),
        },
        CaseError::Exists(_) => AppError::Internal("an existing case is handled by the page".into()),
        CaseError::Vault(e) => AppError::internal(e),
        CaseError::Store(e) => e.into(),
    }
}

// ---------------------------------------------------------------------------------------------
// The worklist and the search

/// One line of the worklist, worded.
#[derive(Debug)]
struct WorkRow {
    href: String,
    name: String,
    masked_cpr: String,
    group: String,
    due: String,
    due_date: String,
    overdue: bool,
    next_booked: String,
    offer_ends: String,
    plan_review: String,
}

/// One group of the worklist (Overskredet, Denne uge, ...), worded.
#[derive(Debug)]
struct WorkGroup {
    /// The heading's id, for the table's label.
    id: &'static str,
    heading: String,
    rows: Vec<WorkRow>,
}

#[derive(Template)]
#[template(path = "citizens.html")]
struct ListPage {
    layout: Layout,
    message: Option<String>,
    search_error: Option<String>,
    empty: bool,
    groups: Vec<WorkGroup>,
    can_work: bool,
    /// A manager's links to Ankestyrelsen's outcomes, the exemption quota and the audit search
    /// (one flag: the three actions are the manager's, see `domain::access`).
    can_oversee: bool,
}

/// The worklist's groups: the three the caseworker plans the weeks by are always shown,
/// "later" and "nothing due" only when they hold a case.
fn work_groups(ctx: &RequestContext, list: &Worklist) -> Vec<WorkGroup> {
    Urgency::ALL
        .into_iter()
        .filter_map(|urgency| {
            let rows = work_rows(ctx, list.group(urgency));
            let always = matches!(urgency, Urgency::Overdue | Urgency::ThisWeek | Urgency::NextWeek);
            (always || !rows.is_empty()).then(|| WorkGroup {
                id: urgency.key(),
                heading: ctx.locale.t_args(urgency.key(), &[("count", &rows.len().to_string())]),
                rows,
            })
        })
        .collect()
}

fn work_rows<'a>(ctx: &RequestContext, items: impl Iterator<Item = &'a WorkItem>) -> Vec<WorkRow> {
    items
        .map(|item| WorkRow {
            href: url::case(item.row.citizen, None),
            name: item.row.name.clone(),
            masked_cpr: format!("{}-xxxx", item.row.birth_date.format("%d%m%y")),
            group: ctx.locale.t(target_group_key(item.row.target_group)),
            due: item.due.as_ref().map(|d| ctx.locale.t(d.kind_key())).unwrap_or_default(),
            due_date: item.due.as_ref().map(|d| date_text(d.obligation.due)).unwrap_or_default(),
            overdue: item.due.as_ref().is_some_and(|d| d.overdue),
            next_booked: item.row.next_booked.map(datetime_text).unwrap_or_default(),
            offer_ends: item.row.offer_ends.map(date_text).unwrap_or_default(),
            plan_review: item.row.plan_review.map(date_text).unwrap_or_default(),
        })
        .collect()
}

async fn list_page(
    state: &AppState,
    ctx: &RequestContext,
    status: StatusCode,
    message: Option<String>,
    search_error: Option<String>,
) -> Result<Response, AppError> {
    let user = ctx.require(Action::ViewCitizens)?;
    let actor = Actor { user: user.id, role: user.role };
    let list =
        due::worklist(&*state.store, actor, use_case::local_now().date()).await.map_err(|e| case_error(ctx, e))?;
    let page = ListPage {
        layout: Layout::new(state, ctx, ctx.locale.t("citizens-title"), Some(Area::Citizens)),
        message,
        search_error,
        empty: list.items.is_empty(),
        groups: work_groups(ctx, &list),
        can_work: Action::WorkOnCase.allows(user.role),
        can_oversee: Action::ViewExemptionQuota.allows(user.role),
    };
    render_with_status(status, &page)
}

/// "Mine borgere": the caseworker's open cases, most urgent first, and the search form.
async fn list(State(state): State<AppState>, ctx: RequestContext, headers: HeaderMap) -> Result<Response, AppError> {
    let flash = cookies::Flash::take(&headers);
    let response = list_page(&state, &ctx, StatusCode::OK, flash.message(), None).await?;
    Ok(flash.shown(response, state.config.secure_cookies))
}

#[derive(Debug, Deserialize)]
struct SearchForm {
    #[serde(default)]
    cpr: String,
}

/// Finds a case by CPR number (posted, never in a URL) and goes to it.
async fn search(
    State(state): State<AppState>,
    ctx: RequestContext,
    Form(form): Form<SearchForm>,
) -> Result<Response, AppError> {
    let actor = actor(&ctx, Action::ViewCitizens)?;
    match use_case::find_by_cpr(&*state.store, &state.vault, actor, &form.cpr).await {
        Ok(citizen) => Ok(Redirect::to(&url::case(citizen, None)).into_response()),
        Err(CaseError::Invalid(_)) => {
            let error = ctx.locale.t("citizens-search-invalid");
            list_page(&state, &ctx, StatusCode::UNPROCESSABLE_ENTITY, None, Some(error)).await
        }
        Err(CaseError::NotFound) => {
            let error = ctx.locale.t("citizens-search-none");
            list_page(&state, &ctx, StatusCode::NOT_FOUND, None, Some(error)).await
        }
        Err(e) => Err(case_error(&ctx, e)),
    }
}

// ---------------------------------------------------------------------------------------------
// A new case

/// The new-case form as posted; every field kept as typed so a refused form comes back whole.
#[derive(Debug, Default, Deserialize)]
struct NewCitizenFields {
    #[serde(default)]
    cpr: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    interpreter: Option<String>,
    #[serde(default)]
    education: String,
    #[serde(default)]
    occupations: String,
    #[serde(default)]
    benefit: String,
    #[serde(default)]
    target_group: String,
    #[serde(default)]
    course_start: String,
}

#[derive(Template)]
#[template(path = "citizen_new.html")]
struct NewPage {
    layout: Layout,
    f: NewCitizenFields,
    errors: Errors,
    groups: Vec<Choice>,
    benefits: Vec<Choice>,
    educations: Vec<Choice>,
}

fn new_page(
    state: &AppState,
    ctx: &RequestContext,
    status: StatusCode,
    f: NewCitizenFields,
    errors: Errors,
) -> Result<Response, AppError> {
    let page = NewPage {
        layout: Layout::new(state, ctx, ctx.locale.t("citizens-new-title"), Some(Area::Citizens)),
        f,
        errors,
        groups: choices(ctx, TargetGroup::ALL, TargetGroup::code, target_group_key),
        benefits: choices(ctx, &BenefitGroup::ALL, BenefitGroup::as_str, benefit_key),
        educations: choices(ctx, EducationLevel::ALL, EducationLevel::code, education_key),
    };
    render_with_status(status, &page)
}

async fn new_form(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    ctx.require(Action::WorkOnCase)?;
    let today = use_case::local_now().date();
    let f = NewCitizenFields {
        language: ctx.locale.t("citizens-default-language"),
        course_start: today.to_string(),
        ..NewCitizenFields::default()
    };
    new_page(&state, &ctx, StatusCode::OK, f, Errors::default())
}

/// Parses the form; a field that does not parse is named in `errors` and replaced by a
/// default, so the remaining fields can still be checked and every problem listed at once.
fn parse_new(ctx: &RequestContext, f: &NewCitizenFields, errors: &mut Errors, today: NaiveDate) -> CitizenForm {
    let invalid = problem_text(ctx, Problem::Invalid);
    let education = f.education.parse::<EducationLevel>().unwrap_or_else(|_| {
        errors.push("education", invalid.clone());
        EducationLevel::Unknown
    });
    let occupations = Disco08::parse_list(&f.occupations).unwrap_or_else(|_| {
        errors.push("occupations", ctx.locale.t("citizens-bad-disco"));
        Vec::new()
    });
    let benefit = f.benefit.parse::<BenefitGroup>().unwrap_or_else(|_| {
        errors.push("benefit", invalid.clone());
        BenefitGroup::ADagpenge
    });
    let target_group = f.target_group.parse::<TargetGroup>().unwrap_or_else(|_| {
        errors.push("target_group", invalid.clone());
        TargetGroup::Dagpenge
    });
    let course_start = NaiveDate::parse_from_str(f.course_start.trim(), "%Y-%m-%d").unwrap_or_else(|_| {
        errors.push("course_start", invalid.clone());
        today
    });
    CitizenForm {
        cpr: f.cpr.clone(),
        profile: Profile {
            name: f.name.clone(),
            address: f.address.trim().to_owned(),
            phone: f.phone.trim().to_owned(),
            email: f.email.trim().to_owned(),
            language: f.language.trim().to_owned(),
            interpreter: f.interpreter.is_some(),
            education,
            wished_occupations: occupations,
        },
        benefit,
        target_group,
        course_start,
    }
}

/// Creates a case; a refused form comes back with every problem at its field and nothing
/// saved. An existing case for the number is offered instead of a second one.
async fn create(
    State(state): State<AppState>,
    ctx: RequestContext,
    Form(f): Form<NewCitizenFields>,
) -> Result<Response, AppError> {
    let actor = actor(&ctx, Action::WorkOnCase)?;
    let mut errors = Errors::default();
    let today = use_case::local_now().date();
    let form = parse_new(&ctx, &f, &mut errors, today);
    let result = if errors.is_empty() {
        use_case::create_citizen(&*state.store, &state.vault, actor, &form, today).await
    } else {
        // Check the rest too, so every problem is listed in one round.
        use_case::check_new_citizen(&form, today).map(|()| CitizenId(0))
    };
    match result {
        Ok(citizen) if errors.is_empty() => {
            let mut response = Redirect::to(&url::case(citizen, None)).into_response();
            let message = ctx.locale.t("citizens-created");
            cookies::append(&mut response, &cookies::flash(&message, state.config.secure_cookies));
            Ok(response)
        }
        Ok(_) => {
            let f = NewCitizenFields { cpr: String::new(), ..f };
            new_page(&state, &ctx, StatusCode::UNPROCESSABLE_ENTITY, f, errors)
        }
        Err(CaseError::Invalid(problems)) => {
            let mut all = Errors::from_problems(&ctx, &problems);
            all.0.extend(errors.0);
            // The CPR field is emptied: a number must not be echoed back into a page.
            let f = NewCitizenFields { cpr: String::new(), ..f };
            new_page(&state, &ctx, StatusCode::UNPROCESSABLE_ENTITY, f, all)
        }
        Err(CaseError::Exists(citizen)) => {
            let mut response = Redirect::to(&url::case(citizen, None)).into_response();
            let message = ctx.locale.t("citizens-exists");
            cookies::append(&mut response, &cookies::flash(&message, state.config.secure_cookies));
            Ok(response)
        }
        Err(e) => Err(case_error(&ctx, e)),
    }
}

// ---------------------------------------------------------------------------------------------
// The case page

/// The conversation form as posted.
#[derive(Debug, Default, Deserialize)]
struct ConversationFields {
    #[serde(default)]
    grund: Option<String>,
    #[serde(default)]
    conversation: Option<i64>,
    #[serde(default)]
    revision: Option<i64>,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    at: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    next_kind: String,
    #[serde(default)]
    next_at: String,
}

/// The offer form as posted.
#[derive(Debug, Default, Deserialize)]
struct OfferFields {
    #[serde(default)]
    grund: Option<String>,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    place: String,
}

/// A conversation, worded.
#[derive(Debug)]
struct ConversationRow {
    kind: String,
    status: String,
    at: String,
    note: String,
    by: String,
}

/// An offer, worded.
#[derive(Debug)]
struct OfferRow {
    kind: String,
    period: String,
    hours: String,
    place: String,
}

/// An obligation, worded.
#[derive(Debug)]
struct DueRow {
    met: bool,
    late: bool,
    what: String,
    holder: String,
    count: u32,
    due: String,
    overdue: bool,
    source: String,
    flag: String,
}

#[derive(Template)]
#[template(path = "citizen.html")]
struct CasePage {
    layout: Layout,
    message: Option<String>,
    /// The reason the case was opened with, carried by every form ("" for one's own case).
    reason: &'static str,
    citizen: CitizenId,
    name: String,
    cpr: String,
    revealed: bool,
    facts: Vec<(String, String)>,
    obligations: Vec<DueRow>,
    conversations: Vec<ConversationRow>,
    offers: Vec<OfferRow>,
    history: Vec<(String, String)>,
    /// The caseworkers in turn: name and first day.
    caseworkers: Vec<(String, String)>,
    caseworker_changes: String,
    can_work: bool,
    can_reveal: bool,
    /// The booked conversation the form records the outcome of: id, revision, kind, when.
    booked: Option<(i64, i64, String)>,
    conv: ConversationFields,
    conv_errors: Errors,
    offer: OfferFields,
    offer_errors: Errors,
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
    offer_kinds: Vec<Choice>,
    /// The "Afgørelser" section.
    decisions: crate::decisions::Section,
}

impl CasePage {
    fn cpr_url(&self) -> String {
        url::cpr(self.citizen)
    }
    fn conversation_url(&self) -> String {
        url::conversation(self.citizen)
    }
    fn offer_url(&self) -> String {
        url::offer(self.citizen)
    }
}

/// What a case page shows besides the case: a receipt, a revealed number, or a refused form.
#[derive(Debug, Default)]
pub(crate) struct Extras {
    message: Option<String>,
    reason: Option<AccessReason>,
    cpr: Option<String>,
    conv: Option<(ConversationFields, Errors)>,
    offer: Option<(OfferFields, Errors)>,
    /// A refused form of the decisions' section.
    decision: Option<crate::decisions::Refused>,
}

impl Extras {
    /// The case page again with a refused form of the decisions' section.
    pub(crate) fn refused_decision(reason: Option<AccessReason>, refused: crate::decisions::Refused) -> Self {
        Extras { reason, decision: Some(refused), ..Extras::default() }
    }
}

/// What the case page lists about the citizen.
fn facts(ctx: &RequestContext, case: &CaseFile) -> Vec<(String, String)> {
    let t = |key: &str| ctx.locale.t(key);
    let c = &case.citizen;
    let p = &c.profile;
    let yes_no = |b: bool| t(if b { "yes" } else { "no" });
    vec![
        (t("citizen-address"), p.address.clone()),
        (t("citizen-phone"), p.phone.clone()),
        (t("citizen-email"), p.email.clone()),
        (t("citizen-language"), p.language.clone()),
        (t("citizen-interpreter"), yes_no(p.interpreter)),
        (t("citizen-education"), t(education_key(p.education))),
        (t("citizen-occupations"), p.wished_occupations.iter().map(Disco08::as_str).collect::<Vec<_>>().join(", ")),
        (t("citizen-benefit"), t(benefit_key(c.benefit))),
        (t("citizen-target-group"), t(target_group_key(c.target_group))),
        (t("citizen-course-start"), date_text(c.course_start)),
        (
            t("citizen-caseworker"),
            c.caseworker.as_ref().map_or_else(|| t("citizen-no-caseworker"), |(_, n)| n.to_string()),
        ),
    ]
}

/// The conversation form filled in for the common case: the booked conversation (or one now)
/// held, and the next booked on the date the rules propose.
fn default_conversation(case: &CaseFile, due: &[Due], now: NaiveDateTime) -> ConversationFields {
    let next = due::propose_next(due, now);
    let at = case
        .conversations
        .iter()
        .filter(|v| v.status == ConversationStatus::Booked)
        .min_by_key(|v| v.at)
        .map_or(now, |v| v.at.min(now));
    ConversationFields {
        kind: ConversationKind::Job.code().into(),
        status: ConversationStatus::Held.code().into(),
        at: at.format("%Y-%m-%dT%H:%M").to_string(),
        next_kind: ConversationKind::Job.code().into(),
        next_at: next.format("%Y-%m-%dT%H:%M").to_string(),
        ..ConversationFields::default()
    }
}

/// The offer form filled in for the common case: a work placement from today, full time.
fn default_offer(now: NaiveDateTime) -> OfferFields {
    OfferFields {
        kind: OfferKind::WorkPlacement.code().into(),
        start: now.date().to_string(),
        hours: "37".into(),
        ..OfferFields::default()
    }
}

/// "Sagsbehandlerskift: N" for the case's caseworker history.
fn changes_text(ctx: &RequestContext, case: &CaseFile) -> String {
    let names: Vec<_> = case.caseworkers.iter().map(|(n, _)| n).collect();
    ctx.locale.t_args("citizen-caseworker-changes", &[("count", &caseworker_changes(&names).to_string())])
}

/// Target groups and caseworkers over time, by date.
fn history(ctx: &RequestContext, case: &CaseFile) -> Vec<(String, String)> {
    let mut history: Vec<(String, String)> = case
        .target_groups
        .iter()
        .map(|(g, from)| {
            let group = ctx.locale.t(target_group_key(*g));
            (date_text(*from), ctx.locale.t_args("citizen-history-group", &[("group", &group)]))
        })
        .collect();
    history.extend(case.caseworkers.iter().map(|(name, from)| {
        (date_text(*from), ctx.locale.t_args("citizen-history-caseworker", &[("name", name.as_str())]))
    }));
    history
}

#[expect(clippy::too_many_lines, reason = "one page's view model, field by field; splitting it scatters the page")]
pub(crate) async fn case_page(
    state: &AppState,
    ctx: &RequestContext,
    status: StatusCode,
    case: &CaseFile,
    extras: Extras,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let now = use_case::local_now();
    let t = |key: &str| ctx.locale.t(key);
    let c = &case.citizen;
    let p = &c.profile;
    let facts = facts(ctx, case);
    // Once per page: the table shows them and the conversation form proposes from them.
    let book = due::rules_in_force(&*state.store).await?;
    let due = due::obligations(&book, case, now.date());
    let obligations = due
        .iter()
        .map(|o| DueRow {
            met: o.met,
            late: o.late,
            what: t(o.kind_key()),
            holder: t(o.holder_key()),
            count: o.obligation.count,
            due: date_text(o.obligation.due),
            overdue: o.overdue,
            source: o.obligation.source.clone(),
            flag: o.obligation.flag.clone().unwrap_or_default(),
        })
        .collect();
    let booked = case
        .conversations
        .iter()
        .filter(|v| v.status == ConversationStatus::Booked)
        .min_by_key(|v| v.at)
        .map(|v| (v.id.0, v.revision, format!("{} {}", t(conversation_kind_key(v.kind)), datetime_text(v.at))));
    let (conv, conv_errors) = extras.conv.unwrap_or_else(|| (default_conversation(case, &due, now), Errors::default()));
    let (offer, offer_errors) = extras.offer.unwrap_or_else(|| (default_offer(now), Errors::default()));
    let history = history(ctx, case);
    let can_work = Action::WorkOnCase.allows(user.role) && c.closed_on.is_none();
    let decisions = crate::decisions::section(ctx, case, can_work, extras.reason, extras.decision);
    let page = CasePage {
        layout: Layout::new(state, ctx, p.name.clone(), Some(Area::Citizens)),
        message: extras.message,
        reason: extras.reason.map_or("", AccessReason::code),
        citizen: c.id,
        name: p.name.clone(),
        revealed: extras.cpr.is_some(),
        cpr: extras.cpr.unwrap_or_else(|| c.masked_cpr()),
        facts,
        obligations,
        conversations: case
            .conversations
            .iter()
            .map(|v| ConversationRow {
                kind: t(conversation_kind_key(v.kind)),
                status: t(conversation_status_key(v.status)),
                at: datetime_text(v.at),
                note: v.note.clone(),
                by: v.recorded_by.as_ref().map(ToString::to_string).unwrap_or_default(),
            })
            .collect(),
        offers: case
            .offers
            .iter()
            .map(|o| OfferRow {
                kind: t(offer_kind_key(o.kind)),
                period: format!("{} – {}", date_text(o.start), date_text(o.end)),
                hours: ctx.locale.t_args("offer-hours-value", &[("hours", &o.hours.to_string())]),
                place: o.place.clone(),
            })
            .collect(),
        history,
        caseworkers: case.caseworkers.iter().map(|(name, from)| (name.to_string(), date_text(*from))).collect(),
        caseworker_changes: changes_text(ctx, case),
        can_work,
        can_reveal: Action::RevealCpr.allows(user.role),
        booked,
        conv,
        conv_errors,
        offer,
        offer_errors,
        kinds: choices(ctx, ConversationKind::ALL, ConversationKind::code, conversation_kind_key),
        statuses: choices(ctx, ConversationStatus::ALL, ConversationStatus::code, conversation_status_key),
        offer_kinds: choices(ctx, OfferKind::ALL, OfferKind::code, offer_kind_key),
        decisions,
    };
    render_with_status(status, &page)
}

#[derive(Template)]
#[template(path = "citizen_reason.html")]
struct ReasonPage {
    layout: Layout,
    action: String,
    reasons: Vec<Choice>,
}

/// The form that asks why someone opens another caseworker's case; it sends the reason to
/// `action` (the page that was refused) as `grund`.
pub(crate) fn reason_page(state: &AppState, ctx: &RequestContext, action: String) -> Result<Response, AppError> {
    let page = ReasonPage {
        layout: Layout::new(state, ctx, ctx.locale.t("citizens-reason-title"), Some(Area::Citizens)),
        action,
        reasons: choices(ctx, AccessReason::ALL, AccessReason::code, reason_key),
    };
    render_with_status(StatusCode::FORBIDDEN, &page)
}

/// The reason for opening another caseworker's case, as the case pages' URLs carry it.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ReasonQuery {
    pub(crate) grund: Option<String>,
}

pub(crate) fn parse_reason(ctx: &RequestContext, raw: Option<&str>) -> Result<Option<AccessReason>, AppError> {
    raw.filter(|r| !r.is_empty())
        .map(|r| {
            r.parse::<AccessReason>().map_err(|_| AppError::invalid("grund", ctx.locale.t("case-problem-invalid")))
        })
        .transpose()
}

/// Opens the case (audited); another caseworker's case asks for a reason first.
async fn open(
    state: &AppState,
    ctx: &RequestContext,
    citizen: CitizenId,
    reason: Option<AccessReason>,
) -> Result<Result<CaseFile, Response>, AppError> {
    let actor = actor(ctx, Action::ViewCitizens)?;
    match use_case::open_case(&*state.store, actor, citizen, reason).await {
        Ok(case) => Ok(Ok(case)),
        Err(CaseError::ReasonRequired) => Ok(Err(reason_page(state, ctx, url::case(citizen, None))?)),
        Err(e) => Err(case_error(ctx, e)),
    }
}

/// A citizen's case.
async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    headers: HeaderMap,
    Path(citizen): Path<i64>,
    Query(query): Query<ReasonQuery>,
) -> Result<Response, AppError> {
    let flash = cookies::Flash::take(&headers);
    let reason = parse_reason(&ctx, query.grund.as_deref())?;
    let case = match open(&state, &ctx, CitizenId(citizen), reason).await? {
        Ok(case) => case,
        Err(refused) => return Ok(refused),
    };
    let extras = Extras { message: flash.message(), reason, ..Extras::default() };
    let response = case_page(&state, &ctx, StatusCode::OK, &case, extras).await?;
    Ok(flash.shown(response, state.config.secure_cookies))
}

#[derive(Debug, Default, Deserialize)]
struct RevealForm {
    #[serde(default)]
    grund: Option<String>,
}

/// Shows the whole CPR number once, in this response only (audited).
async fn reveal(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(citizen): Path<i64>,
    Form(form): Form<RevealForm>,
) -> Result<Response, AppError> {
    let actor = actor(&ctx, Action::RevealCpr)?;
    let reason = parse_reason(&ctx, form.grund.as_deref())?;
    let case = match open(&state, &ctx, CitizenId(citizen), reason).await? {
        Ok(case) => case,
        Err(refused) => return Ok(refused),
    };
    let cpr = use_case::reveal_cpr(&*state.store, &state.vault, actor, case.citizen.id)
        .await
        .map_err(|e| case_error(&ctx, e))?;
    case_page(&state, &ctx, StatusCode::OK, &case, Extras { cpr: Some(cpr.reveal()), reason, ..Extras::default() })
        .await
}

fn parse_at(raw: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(raw.trim(), "%Y-%m-%dT%H:%M").ok()
}

pub(crate) fn back_to_case(
    state: &AppState,
    citizen: CitizenId,
    reason: Option<AccessReason>,
    message: &str,
) -> Response {
    let mut response = Redirect::to(&url::case(citizen, reason)).into_response();
    cookies::append(&mut response, &cookies::flash(message, state.config.secure_cookies));
    response
}

/// Records a conversation and books the next in one step.
async fn conversation_post(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(citizen): Path<i64>,
    Form(f): Form<ConversationFields>,
) -> Result<Response, AppError> {
    let actor = actor(&ctx, Action::WorkOnCase)?;
    let citizen = CitizenId(citizen);
    let reason = parse_reason(&ctx, f.grund.as_deref())?;
    let invalid = problem_text(&ctx, Problem::Invalid);
    let mut errors = Errors::default();
    let kind = errors.require("kind", f.kind.parse::<ConversationKind>().ok(), &invalid);
    let status = errors.require("status", f.status.parse::<ConversationStatus>().ok(), &invalid);
    let at = errors.require("at", parse_at(&f.at), &invalid);
    let next = if f.next_at.trim().is_empty() {
        None
    } else {
        let kind = errors.require("next_kind", f.next_kind.parse::<ConversationKind>().ok(), &invalid);
        let at = errors.require("next_at", parse_at(&f.next_at), &invalid);
        kind.zip(at)
    };
    let existing = f.conversation.zip(f.revision).map(|(id, rev)| (indsats_domain::ids::ConversationId(id), rev));
    let result = match (kind, status, at) {
        (Some(kind), Some(status), Some(at)) if errors.is_empty() => {
            let form = ConversationForm {
                existing,
                entry: ConversationEntry { kind, status, at, note: f.note.clone() },
                next,
            };
            use_case::record_conversation(&*state.store, actor, citizen, reason, &form, use_case::local_now()).await
        }
        _ => Err(CaseError::Invalid(Vec::new())),
    };
    match result {
        Ok(_) => Ok(back_to_case(&state, citizen, reason, &ctx.locale.t("case-conversation-saved"))),
        Err(CaseError::Invalid(problems)) => {
            let mut all = Errors::from_problems(&ctx, &problems);
            all.0.extend(errors.0);
            let case =
                use_case::open_case(&*state.store, actor, citizen, reason).await.map_err(|e| case_error(&ctx, e))?;
            let extras = Extras { conv: Some((f, all)), reason, ..Extras::default() };
            case_page(&state, &ctx, StatusCode::UNPROCESSABLE_ENTITY, &case, extras).await
        }
        Err(CaseError::Conflict) => {
            let case =
                use_case::open_case(&*state.store, actor, citizen, reason).await.map_err(|e| case_error(&ctx, e))?;
            let mut errors = Errors::default();
            errors.push("status", ctx.locale.t("case-conflict"));
            // The form keeps what was typed; the booked conversation shown is the current one.
            let f = ConversationFields { conversation: None, revision: None, ..f };
            let extras = Extras { conv: Some((f, errors)), reason, ..Extras::default() };
            case_page(&state, &ctx, StatusCode::CONFLICT, &case, extras).await
        }
        Err(e) => Err(case_error(&ctx, e)),
    }
}

/// Registers an offer.
async fn offer_post(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(citizen): Path<i64>,
    Form(f): Form<OfferFields>,
) -> Result<Response, AppError> {
    let actor = actor(&ctx, Action::WorkOnCase)?;
    let citizen = CitizenId(citizen);
    let reason = parse_reason(&ctx, f.grund.as_deref())?;
    let invalid = problem_text(&ctx, Problem::Invalid);
    let mut errors = Errors::default();
    let kind = errors.require("kind", f.kind.parse::<OfferKind>().ok(), &invalid);
    let date = |raw: &str| NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok();
    let start = errors.require("start", date(&f.start), &invalid);
    let end = errors.require("end", date(&f.end), &invalid);
    let hours = f.hours.trim().replace(',', ".").parse::<f64>().ok().or_else(|| {
        errors.push("hours", problem_text(&ctx, Problem::HoursOutOfRange));
        None
    });
    let result = match (kind, start, end, hours) {
        (Some(kind), Some(start), Some(end), Some(hours)) if errors.is_empty() => {
            let entry = OfferEntry { kind, start, end, hours, place: f.place.clone() };
            use_case::register_offer(&*state.store, actor, citizen, reason, &entry).await
        }
        _ => Err(CaseError::Invalid(Vec::new())),
    };
    match result {
        Ok(_) => Ok(back_to_case(&state, citizen, reason, &ctx.locale.t("case-offer-saved"))),
        Err(CaseError::Invalid(problems)) => {
            let mut all = Errors::from_problems(&ctx, &problems);
            all.0.extend(errors.0);
            let case =
                use_case::open_case(&*state.store, actor, citizen, reason).await.map_err(|e| case_error(&ctx, e))?;
            let extras = Extras { offer: Some((f, all)), reason, ..Extras::default() };
            case_page(&state, &ctx, StatusCode::UNPROCESSABLE_ENTITY, &case, extras).await
        }
        Err(e) => Err(case_error(&ctx, e)),
    }
}
