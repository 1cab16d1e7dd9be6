//! The area pages. Areas that later issues build say plainly that they are not built yet.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use indsats_domain::Area;

use crate::AppState;
use crate::context::RequestContext;
use crate::error::AppError;
use crate::pages::{Layout, area_key, render};

#[derive(Template)]
#[template(path = "area.html")]
struct AreaPage {
    layout: Layout,
    planned: String,
}

/// The front page: the overview for a logged-in user, the login form otherwise.
pub async fn home(ctx: RequestContext) -> Response {
    let target = if ctx.user.is_some() { "/overblik" } else { "/login" };
    Redirect::to(target).into_response()
}

fn planned_key(area: Area) -> &'static str {
    match area {
        Area::Citizens => "area-citizens-planned",
        Area::Companies => "area-companies-planned",
        Area::Match => "area-match-planned",
        // Built areas have their own pages and never reach this function.
        Area::Overview | Area::Plans | Area::Reports | Area::Admin => "not-built-body",
    }
}

/// An area page, found by its path segment. Unknown segments are 404.
pub async fn page(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    // Built areas have their own pages.
    let area = Area::ALL
        .into_iter()
        .find(|a| a.slug() == slug && !matches!(a, Area::Admin | Area::Overview | Area::Plans | Area::Reports))
        .ok_or(AppError::NotFound)?;
    ctx.require(area)?;
    let locale = ctx.locale;
    let title = locale.t_args("not-built-title", &[("area", &locale.t(area_key(area)))]);
    render(&AreaPage { layout: Layout::new(&state, &ctx, title, Some(area)), planned: locale.t(planned_key(area)) })
}
