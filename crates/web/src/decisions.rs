//! Afgørelser: the decisions section of the case page (making a decision, recording that it
//! was sent, a complaint and Ankestyrelsen's outcome), the decision letter as PDF, and the
//! managers' page of outcomes by legal basis and quarter with its export. The use cases live
//! in [`indsats_app::decisions`]; this module parses, authorises one action and renders.
//!
//! The letter's URL names only the decision; the letter is always in Danish, since it goes
//! to the citizen whatever language the caseworker reads the pages in.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use chrono::NaiveDate;
use indsats_app::cases::{self as case_use, CaseError};
use indsats_app::decisions as use_case;
use indsats_domain::case::{AccessReason, FieldProblem, Problem};
use indsats_domain::decision::{AppealOutcome, DecisionEntry, LegalBasis, complaint_deadline};
use indsats_domain::{Action, Area, CitizenId, DecisionId};
use indsats_store::{CaseFile, Decision};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;

use crate::citizens::{Extras, actor, back_to_case, case_error, case_page, date_text, parse_reason, problem_text};
use crate::context::RequestContext;
use crate::error::AppError;
use crate::export::{self, Cell, Format, Table};
use crate::forms::Form;
use crate::i18n::Locale;
use crate::pages::{Layout, render_with_status};
use crate::state::AppState;

/// Where each page and form lives.
pub mod url {
    use indsats_domain::case::AccessReason;
    use indsats_domain::{CitizenId, DecisionId};

    /// The managers' page of Ankestyrelsen's outcomes.
    pub const OUTCOMES: &str = "/borgere/afgoerelser";
    const OUTCOMES_XLSX: &str = "/borgere/afgoerelser/udfald.xlsx";
    const OUTCOMES_CSV: &str = "/borgere/afgoerelser/udfald.csv";
    const LETTER: &str = "/borgere/afgoerelser/{decision}/brev.pdf";
    const NEW: &str = "/borgere/{citizen}/afgoerelser";
    const SENT: &str = "/borgere/{citizen}/afgoerelser/{decision}/sendt";
    const APPEAL: &str = "/borgere/{citizen}/afgoerelser/{decision}/klage";
    const OUTCOME: &str = "/borgere/{citizen}/afgoerelser/{decision}/udfald";

    /// The router's patterns, in the order above.
    pub(super) const PATTERNS: [&str; 7] = [OUTCOMES_XLSX, OUTCOMES_CSV, LETTER, NEW, SENT, APPEAL, OUTCOME];

    /// The export of the outcomes table.
    pub fn outcomes_export(format: super::Format) -> &'static str {
        match format {
            super::Format::Xlsx => OUTCOMES_XLSX,
            super::Format::Csv => OUTCOMES_CSV,
        }
    }

    /// A decision's letter; `reason` when it is another caseworker's case.
    pub fn letter(decision: DecisionId, reason: Option<AccessReason>) -> String {
        let url = LETTER.replace("{decision}", &decision.to_string());
        match reason {
            Some(r) => format!("{url}?grund={}", r.code()),
            None => url,
        }
    }

    /// Where the new-decision form posts.
    pub fn new(citizen: CitizenId) -> String {
        NEW.replace("{citizen}", &citizen.to_string())
    }

    fn step(pattern: &str, citizen: CitizenId, decision: DecisionId) -> String {
        pattern.replace("{citizen}", &citizen.to_string()).replace("{decision}", &decision.to_string())
    }

    /// Where the "sent on" form of a decision posts.
    pub fn sent(citizen: CitizenId, decision: DecisionId) -> String {
        step(SENT, citizen, decision)
    }

    /// Where a decision's complaint form posts.
    pub fn appeal(citizen: CitizenId, decision: DecisionId) -> String {
        step(APPEAL, citizen, decision)
    }

    /// Where the form for Ankestyrelsen's outcome posts.
    pub fn outcome(citizen: CitizenId, decision: DecisionId) -> String {
        step(OUTCOME, citizen, decision)
    }
}

/// The decisions' pages and forms.
pub fn router() -> OpenApiRouter<AppState> {
    let [xlsx, csv, letter, new, sent, appeal, outcome] = url::PATTERNS;
    OpenApiRouter::new()
        .route(url::OUTCOMES, get(outcomes_page))
        .route(xlsx, get(outcomes_xlsx))
        .route(csv, get(outcomes_csv))
        .route(letter, get(letter_pdf))
        .route(new, post(create))
        .route(sent, post(sent_post))
        .route(appeal, post(appeal_post))
        .route(outcome, post(outcome_post))
}

fn basis_key(b: LegalBasis) -> &'static str {
    match b {
        LegalBasis::Las11 => "legal-basis-las-11",
        LegalBasis::Las13 => "legal-basis-las-13",
        LegalBasis::LasSanction => "legal-basis-las-sanction",
        LegalBasis::Lab6 => "legal-basis-lab-6",
        LegalBasis::Lab102 => "legal-basis-lab-102",
        LegalBasis::Sdl7 => "legal-basis-sdl-7",
        LegalBasis::Sdl21 => "legal-basis-sdl-21",
        LegalBasis::Sdl27 => "legal-basis-sdl-27",
    }
}

fn outcome_key(o: AppealOutcome) -> &'static str {
    match o {
        AppealOutcome::Upheld => "outcome-upheld",
        AppealOutcome::Changed => "outcome-changed",
        AppealOutcome::Remitted => "outcome-remitted",
        AppealOutcome::Dismissed => "outcome-dismissed",
    }
}

/// A legal basis as the pages show it: the words and the citation.
fn basis_text(locale: Locale, b: LegalBasis) -> String {
    format!("{} ({})", locale.t(basis_key(b)), b.citation())
}

// ---------------------------------------------------------------------------------------------
// The section of the case page

/// Errors by field, worded, in form order.
#[derive(Debug, Default)]
pub(crate) struct FieldErrors(pub Vec<(&'static str, String)>);

impl FieldErrors {
    fn from_problems(ctx: &RequestContext, problems: &[FieldProblem]) -> Self {
        FieldErrors(problems.iter().map(|p| (p.field, problem_text(ctx, p.problem))).collect())
    }

    pub(crate) fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, e)| e.as_str())
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The new-decision form as posted; kept as typed so a refused form comes back whole.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct DecisionFields {
    #[serde(default)]
    grund: Option<String>,
    #[serde(default)]
    pub legal_basis: String,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub explanation: String,
    #[serde(default)]
    pub decided_on: String,
    #[serde(default)]
    pub sent_on: String,
}

/// A step on one decision as posted: the day sent, a complaint, or Ankestyrelsen's outcome.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct StepFields {
    #[serde(default)]
    grund: Option<String>,
    #[serde(default)]
    pub sent_on: String,
    #[serde(default)]
    pub lodged_on: String,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub outcome_on: String,
}

/// A refused form of the section, to show again with its errors.
#[derive(Debug)]
pub(crate) enum Refused {
    /// The new-decision form.
    New(DecisionFields, FieldErrors),
    /// A step on the decision with this id.
    Step(i64, StepFields, FieldErrors),
}

/// One decision, worded, with the step forms it offers.
#[derive(Debug)]
pub(crate) struct DecisionRow {
    pub id: i64,
    pub decided: String,
    pub subject: String,
    pub basis: String,
    pub sent: String,
    pub appeal: String,
    pub letter: String,
    pub sent_url: String,
    pub appeal_url: String,
    pub outcome_url: String,
    /// Which step form to offer: `sent`, `appeal`, `outcome`, or none.
    pub next_step: &'static str,
    pub step: StepFields,
    pub errors: FieldErrors,
}

/// The "Afgørelser" section of the case page.
#[derive(Debug)]
pub(crate) struct Section {
    pub rows: Vec<DecisionRow>,
    pub can_work: bool,
    pub new_url: String,
    pub form: DecisionFields,
    pub errors: FieldErrors,
    pub bases: Vec<(&'static str, String)>,
    pub outcomes: Vec<(&'static str, String)>,
}

/// The step forms' names, as the template tests them (constants, not catalogue keys).
const STEP_SENT: &str = "sent";
const STEP_APPEAL: &str = "appeal";
const STEP_OUTCOME: &str = "outcome";

fn next_step(d: &Decision) -> &'static str {
    match (d.sent_on, d.appeal) {
        (None, _) => STEP_SENT,
        (Some(_), None) => STEP_APPEAL,
        (Some(_), Some(a)) if a.outcome.is_none() => STEP_OUTCOME,
        _ => "",
    }
}

fn appeal_text(ctx: &RequestContext, d: &Decision) -> String {
    match d.appeal {
        None => ctx.locale.t("appeal-none"),
        Some(a) => match a.outcome {
            None => ctx.locale.t_args("appeal-pending", &[("date", &date_text(a.lodged_on))]),
            Some((outcome, on)) => ctx.locale.t_args(
                "appeal-decided",
                &[
                    ("outcome", &ctx.locale.t(outcome_key(outcome))),
                    ("date", &date_text(on)),
                    ("lodged", &date_text(a.lodged_on)),
                ],
            ),
        },
    }
}

/// The section for `case`; `refused` is a form to show again with its errors.
pub(crate) fn section(
    ctx: &RequestContext,
    case: &CaseFile,
    can_work: bool,
    reason: Option<AccessReason>,
    refused: Option<Refused>,
) -> Section {
    let today = case_use::local_now().date();
    let (mut form, mut errors) =
        (DecisionFields { decided_on: today.to_string(), ..DecisionFields::default() }, FieldErrors::default());
    let mut step = None;
    match refused {
        Some(Refused::New(f, e)) => (form, errors) = (f, e),
        Some(Refused::Step(id, f, e)) => step = Some((id, f, e)),
        None => {}
    }
    let citizen = case.citizen.id;
    let rows = case
        .decisions
        .iter()
        .map(|d| {
            let (fields, errors) = match step.take_if(|(id, _, _)| *id == d.id.0) {
                Some((_, f, e)) => (f, e),
                None => (
                    StepFields {
                        sent_on: today.to_string(),
                        lodged_on: today.to_string(),
                        outcome_on: today.to_string(),
                        ..StepFields::default()
                    },
                    FieldErrors::default(),
                ),
            };
            DecisionRow {
                id: d.id.0,
                decided: date_text(d.decided_on),
                subject: d.subject.clone(),
                basis: basis_text(ctx.locale, d.legal_basis),
                sent: d.sent_on.map_or_else(
                    || ctx.locale.t("decision-not-sent"),
                    |s| {
                        let deadline = date_text(complaint_deadline(s));
                        format!("{} ({})", date_text(s), ctx.locale.t_args("decision-deadline", &[("date", &deadline)]))
                    },
                ),
                appeal: appeal_text(ctx, d),
                letter: url::letter(d.id, reason),
                sent_url: url::sent(citizen, d.id),
                appeal_url: url::appeal(citizen, d.id),
                outcome_url: url::outcome(citizen, d.id),
                next_step: if can_work { next_step(d) } else { "" },
                step: fields,
                errors,
            }
        })
        .collect();
    Section {
        rows,
        can_work,
        new_url: url::new(citizen),
        form,
        errors,
        bases: LegalBasis::ALL.iter().map(|b| (b.code(), basis_text(ctx.locale, *b))).collect(),
        outcomes: AppealOutcome::ALL.iter().map(|o| (o.code(), ctx.locale.t(outcome_key(*o)))).collect(),
    }
}

fn parse_date(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

/// Shows the case page again with the refused form, or turns another error into the page's.
async fn refused_page(
    state: &AppState,
    ctx: &RequestContext,
    citizen: CitizenId,
    reason: Option<AccessReason>,
    err: CaseError,
    refused: impl FnOnce(FieldErrors) -> Refused,
) -> Result<Response, AppError> {
    let (status, errors) = match err {
        CaseError::Invalid(problems) => (StatusCode::UNPROCESSABLE_ENTITY, FieldErrors::from_problems(ctx, &problems)),
        // Someone registered the same step first: say so at the step's form.
        CaseError::Conflict => {
            (StatusCode::CONFLICT, FieldErrors(vec![("outcome", problem_text(ctx, Problem::AlreadyRegistered))]))
        }
        e => return Err(case_error(ctx, e)),
    };
    let actor = actor(ctx, Action::ViewCitizens)?;
    let case = case_use::open_case(&*state.store, actor, citizen, reason).await.map_err(|e| case_error(ctx, e))?;
    let extras = Extras::refused_decision(reason, refused(errors));
    case_page(state, ctx, status, &case, extras).await
}

/// Makes a decision on the case.
async fn create(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(citizen): Path<i64>,
    Form(f): Form<DecisionFields>,
) -> Result<Response, AppError> {
    let actor = actor(&ctx, Action::WorkOnCase)?;
    let citizen = CitizenId(citizen);
    let reason = parse_reason(&ctx, f.grund.as_deref())?;
    let today = case_use::local_now().date();
    let mut problems = Vec::new();
    let mut bad = |field: &'static str| problems.push(FieldProblem { field, problem: Problem::Invalid });
    let basis = f.legal_basis.parse::<LegalBasis>().ok();
    if basis.is_none() {
        bad("legal_basis");
    }
    let decided = parse_date(&f.decided_on);
    if decided.is_none() {
        bad("decided_on");
    }
    let sent = if f.sent_on.trim().is_empty() { Ok(None) } else { parse_date(&f.sent_on).map(Some).ok_or(()) };
    if sent.is_err() {
        bad("sent_on");
    }
    let result = match (basis, decided, sent) {
        (Some(legal_basis), Some(decided_on), Ok(sent_on)) => {
            let entry = DecisionEntry {
                legal_basis,
                subject: f.subject.clone(),
                explanation: f.explanation.clone(),
                decided_on,
                sent_on,
            };
            use_case::make_decision(&*state.store, actor, citizen, reason, &entry, today).await
        }
        _ => Err(CaseError::Invalid(problems)),
    };
    match result {
        Ok(_) => Ok(back_to_case(&state, citizen, reason, &ctx.locale.t("decision-saved"))),
        Err(e) => refused_page(&state, &ctx, citizen, reason, e, |errors| Refused::New(f, errors)).await,
    }
}

/// Which step a post records.
#[derive(Debug, Clone, Copy)]
enum Step {
    Sent,
    Appeal,
    Outcome,
}

async fn step(
    state: AppState,
    ctx: RequestContext,
    (citizen, decision): (i64, i64),
    f: StepFields,
    step: Step,
) -> Result<Response, AppError> {
    let actor = actor(&ctx, Action::WorkOnCase)?;
    let (citizen, decision) = (CitizenId(citizen), DecisionId(decision));
    let reason = parse_reason(&ctx, f.grund.as_deref())?;
    let today = case_use::local_now().date();
    let store = &*state.store;
    let invalid = |field| CaseError::Invalid(vec![FieldProblem { field, problem: Problem::Invalid }]);
    let (result, saved) = match step {
        Step::Sent => (
            match parse_date(&f.sent_on) {
                Some(on) => use_case::mark_sent(store, actor, citizen, reason, decision, on, today).await,
                None => Err(invalid("sent_on")),
            },
            "decision-sent-saved",
        ),
        Step::Appeal => (
            match parse_date(&f.lodged_on) {
                Some(on) => use_case::lodge_appeal(store, actor, citizen, reason, decision, on, today).await,
                None => Err(invalid("lodged_on")),
            },
            "appeal-saved",
        ),
        Step::Outcome => (
            match (f.outcome.parse::<AppealOutcome>(), parse_date(&f.outcome_on)) {
                (Ok(outcome), Some(on)) => {
                    use_case::record_outcome(store, actor, citizen, reason, decision, outcome, on, today).await
                }
                (Err(_), _) => Err(invalid("outcome")),
                (_, None) => Err(invalid("outcome_on")),
            },
            "appeal-outcome-saved",
        ),
    };
    match result {
        Ok(()) => Ok(back_to_case(&state, citizen, reason, &ctx.locale.t(saved))),
        Err(e) => refused_page(&state, &ctx, citizen, reason, e, |errors| Refused::Step(decision.0, f, errors)).await,
    }
}

/// Records the day a decision was sent.
async fn sent_post(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(ids): Path<(i64, i64)>,
    Form(f): Form<StepFields>,
) -> Result<Response, AppError> {
    step(state, ctx, ids, f, Step::Sent).await
}

/// Registers a complaint about a decision.
async fn appeal_post(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(ids): Path<(i64, i64)>,
    Form(f): Form<StepFields>,
) -> Result<Response, AppError> {
    step(state, ctx, ids, f, Step::Appeal).await
}

/// Registers Ankestyrelsen's outcome of a complaint.
async fn outcome_post(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(ids): Path<(i64, i64)>,
    Form(f): Form<StepFields>,
) -> Result<Response, AppError> {
    step(state, ctx, ids, f, Step::Outcome).await
}

// ---------------------------------------------------------------------------------------------
// The letter

#[derive(Debug, Default, Deserialize)]
struct LetterQuery {
    grund: Option<String>,
}

/// The letter's words, in Danish: it goes to the citizen.
fn word_letter(
    municipality: &str,
    file: &indsats_store::LetterFile,
    today: NaiveDate,
) -> indsats_report::letter::Letter {
    let da = Locale::Da;
    let d = &file.decision;
    let mut complaint = vec![da.t("letter-complaint-text")];
    if let Some(sent) = d.sent_on {
        let deadline = date_text(complaint_deadline(sent));
        complaint.push(da.t_args("letter-complaint-deadline", &[("sent", &date_text(sent)), ("deadline", &deadline)]));
    }
    complaint.push(da.t("letter-complaint-forward"));
    complaint.push(da.t("letter-complaint-law"));
    let unit = da.t("letter-unit");
    let sender = if municipality.is_empty() { vec![unit.clone()] } else { vec![municipality.to_owned(), unit.clone()] };
    indsats_report::letter::Letter {
        lang: da.tag().to_owned(),
        sender,
        name: file.name.clone(),
        address: file.address.replace(", ", "\n"),
        date: da.t_args("letter-date", &[("date", &date_text(d.sent_on.unwrap_or(today)))]),
        subject: d.subject.clone(),
        sections: vec![
            (
                da.t("letter-decision-heading"),
                da.t_args("letter-decision-text", &[("subject", &d.subject), ("decided", &date_text(d.decided_on))]),
            ),
            (
                da.t("letter-basis-heading"),
                da.t_args(
                    "letter-basis-text",
                    &[("citation", d.legal_basis.citation()), ("basis", &da.t(basis_key(d.legal_basis)))],
                ),
            ),
            (da.t("letter-reasons-heading"), d.explanation.clone()),
            (da.t("letter-complaint-heading"), complaint.join("\n\n")),
        ],
        closing: vec![da.t("letter-questions"), String::new(), da.t("letter-closing"), unit],
    }
}

/// A decision's letter as PDF (an audited read of the citizen's name, address and decision).
/// Built without the `pdf` feature it says so, and reads nothing.
async fn letter_pdf(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(decision): Path<i64>,
    Query(query): Query<LetterQuery>,
) -> Result<Response, AppError> {
    let actor = actor(&ctx, Action::ViewCitizens)?;
    let reason = parse_reason(&ctx, query.grund.as_deref())?;
    let decision = DecisionId(decision);
    if !cfg!(feature = "pdf") {
        let problem = Some(ctx.locale.t("decision-no-pdf"));
        // The error page shows the problem with the field it names: here the file asked for.
        let field = Some("brev.pdf".to_owned());
        return Err(AppError::BadRequest { status: StatusCode::NOT_IMPLEMENTED, field, problem });
    }
    let file = match use_case::letter(&*state.store, actor, decision, reason).await {
        Ok(file) => file,
        Err(CaseError::ReasonRequired) => {
            return crate::citizens::reason_page(&state, &ctx, url::letter(decision, None));
        }
        Err(e) => return Err(case_error(&ctx, e)),
    };
    let municipality = state.site.as_ref().as_ref().map(|s| s.municipality_name.clone()).unwrap_or_default();
    let today = case_use::local_now().date();
    let letter = word_letter(&municipality, &file, today);
    render_letter(letter, today, decision).await
}

#[cfg(feature = "pdf")]
async fn render_letter(
    letter: indsats_report::letter::Letter,
    today: NaiveDate,
    decision: DecisionId,
) -> Result<Response, AppError> {
    use axum::http::header;
    use axum::response::IntoResponse as _;
    // Typst lays out pages for a while; keep it off the async workers.
    let pdf = tokio::task::spawn_blocking(move || indsats_report::letter::pdf(&letter, Some(today)))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"afgoerelse-{decision}.pdf\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        pdf,
    )
        .into_response())
}

/// Never reached: `letter_pdf` answers before it reads anything when the build has no PDF.
#[cfg(not(feature = "pdf"))]
fn render_letter(
    _letter: indsats_report::letter::Letter,
    _today: NaiveDate,
    _decision: DecisionId,
) -> std::future::Ready<Result<Response, AppError>> {
    std::future::ready(Err(AppError::Internal("no PDF in this build".into())))
}

// ---------------------------------------------------------------------------------------------
// The managers' page

/// One line of the outcomes table, worded.
#[derive(Debug)]
struct OutcomeLine {
    quarter: String,
    basis: String,
    upheld: u32,
    changed: u32,
    remitted: u32,
    dismissed: u32,
    total: u32,
    reversal: String,
}

#[derive(Template)]
#[template(path = "decision_outcomes.html")]
struct OutcomesPage {
    layout: Layout,
    lines: Vec<OutcomeLine>,
    headers: Vec<String>,
    xlsx: &'static str,
    csv: &'static str,
}

fn percent(locale: Locale, value: Option<f64>) -> String {
    value.map_or_else(String::new, |v| {
        let text = format!("{v:.1} %");
        if locale == Locale::Da { text.replace('.', ",") } else { text }
    })
}

async fn outcome_lines(state: &AppState, ctx: &RequestContext) -> Result<Vec<OutcomeLine>, AppError> {
    ctx.require(Action::ViewDecisionOutcomes)?;
    let rows = use_case::outcomes(&*state.store).await?;
    Ok(rows
        .iter()
        .map(|r| OutcomeLine {
            quarter: r.quarter.to_string(),
            basis: basis_text(ctx.locale, r.legal_basis),
            upheld: r.counts.upheld,
            changed: r.counts.changed,
            remitted: r.counts.remitted,
            dismissed: r.counts.dismissed,
            total: r.counts.total(),
            reversal: percent(ctx.locale, r.counts.reversal_percent()),
        })
        .collect())
}

fn headers(ctx: &RequestContext) -> Vec<String> {
    [
        "outcomes-col-quarter",
        "outcomes-col-basis",
        "outcome-upheld",
        "outcome-changed",
        "outcome-remitted",
        "outcome-dismissed",
        "outcomes-col-total",
        "outcomes-col-reversal",
    ]
    .iter()
    .map(|k| ctx.locale.t(k))
    .collect()
}

/// Ankestyrelsen's outcomes by quarter and legal basis, for the managers.
async fn outcomes_page(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    let lines = outcome_lines(&state, &ctx).await?;
    let page = OutcomesPage {
        layout: Layout::new(&state, &ctx, ctx.locale.t("outcomes-title"), Some(Area::Citizens)),
        lines,
        headers: headers(&ctx),
        xlsx: url::outcomes_export(Format::Xlsx),
        csv: url::outcomes_export(Format::Csv),
    };
    render_with_status(StatusCode::OK, &page)
}

fn count(n: u32) -> Cell {
    Cell::Number { value: f64::from(n), decimals: 0, shown: n.to_string() }
}

async fn outcomes_table(state: &AppState, ctx: &RequestContext) -> Result<Table, AppError> {
    let lines = outcome_lines(state, ctx).await?;
    Ok(Table {
        title: ctx.locale.t("outcomes-caption"),
        headers: headers(ctx),
        rows: lines
            .into_iter()
            .map(|l| {
                vec![
                    Cell::Text(l.quarter),
                    Cell::Text(l.basis),
                    count(l.upheld),
                    count(l.changed),
                    count(l.remitted),
                    count(l.dismissed),
                    count(l.total),
                    Cell::Text(l.reversal),
                ]
            })
            .collect(),
    })
}

/// The outcomes table as an Excel workbook.
async fn outcomes_xlsx(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    let table = outcomes_table(&state, &ctx).await?;
    export::download(Format::Xlsx, &[table], 0, "klager-ankestyrelsen")
}

/// The outcomes table as CSV.
async fn outcomes_csv(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    let table = outcomes_table(&state, &ctx).await?;
    export::download(Format::Csv, &[table], 0, "klager-ankestyrelsen")
}
