//! The rule files (administration): each built-in rule file with the day it takes effect and
//! whether it is adopted, and a button to adopt one its file marks as *not adopted* (the
//! expected 2027 rules). Adoption is audited (`rules.adopt`) and changes the obligations every
//! case page and worklist computes from the day the file takes effect. The use cases live in
//! [`indsats_app::due`].

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use indsats_app::due::{self, AdoptError};
use indsats_domain::{Action, Area};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;

use crate::context::RequestContext;
use crate::cookies;
use crate::error::AppError;
use crate::forms::Form;
use crate::pages::{Layout, render_with_status};
use crate::state::AppState;

/// The rule files page.
pub const PAGE: &str = "/administration/regler";
/// Where the adopt button posts.
pub const ADOPT: &str = "/administration/regler/vedtag";

/// The rule files' pages.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().route(PAGE, get(show)).route(ADOPT, post(adopt))
}

/// A rule file, worded.
#[derive(Debug)]
struct FileRow {
    id: String,
    file: String,
    title: String,
    valid_from: String,
    status: String,
    can_adopt: bool,
}

#[derive(Template)]
#[template(path = "rule_files.html")]
struct RuleFilesPage {
    layout: Layout,
    message: Option<String>,
    files: Vec<FileRow>,
}

/// Every rule file with its status and, for one not adopted, the adopt button.
async fn show(State(state): State<AppState>, ctx: RequestContext, headers: HeaderMap) -> Result<Response, AppError> {
    ctx.require(Action::AdoptRules)?;
    let files = due::rule_files(&*state.store).await?;
    let flash = cookies::Flash::take(&headers);
    let page = RuleFilesPage {
        layout: Layout::new(&state, &ctx, ctx.locale.t("rule-files-title"), Some(Area::Admin)),
        message: flash.message(),
        files: files
            .into_iter()
            .map(|f| {
                let status = match (&f.adopted_here, f.adopted_in_file) {
                    (_, true) => ctx.locale.t("rule-files-adopted-in-file"),
                    (Some(a), false) => ctx.locale.t_args(
                        "rule-files-adopted-here",
                        &[
                            ("name", a.adopted_by.as_ref().map_or("", |n| n.as_str())),
                            ("at", &crate::exemptions::when(a.adopted_at)),
                        ],
                    ),
                    (None, false) => ctx.locale.t("rule-files-not-adopted"),
                };
                FileRow {
                    can_adopt: !f.adopted_in_file && f.adopted_here.is_none(),
                    id: f.id,
                    file: f.file,
                    title: f.title,
                    valid_from: crate::citizens::date_text(f.valid_from),
                    status,
                }
            })
            .collect(),
    };
    let response = render_with_status(StatusCode::OK, &page)?;
    Ok(flash.shown(response, state.config.secure_cookies))
}

#[derive(Debug, Default, Deserialize)]
struct AdoptForm {
    #[serde(default)]
    regime: String,
}

/// Adopts a rule file (audited) and goes back to the list.
async fn adopt(
    State(state): State<AppState>,
    ctx: RequestContext,
    Form(form): Form<AdoptForm>,
) -> Result<Response, AppError> {
    let user = ctx.require(Action::AdoptRules)?;
    let key = match due::adopt(&*state.store, user.id, &form.regime).await {
        Ok(()) => "rule-files-adopted",
        Err(AdoptError::Adopted) => "rule-files-already",
        Err(AdoptError::Unknown) => return Err(AppError::invalid("regime", ctx.locale.t("rule-files-unknown"))),
        Err(AdoptError::Store(e)) => return Err(e.into()),
    };
    let mut response = Redirect::to(PAGE).into_response();
    cookies::append(&mut response, &cookies::flash(&ctx.locale.t(key), state.config.secure_cookies));
    Ok(response)
}
