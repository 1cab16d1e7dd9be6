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

/// What a not-yet-built area will hold; `None` for built areas, which have their own pages.
fn planned_key(area: Area) -> Option<&'static str> {
    match area {
        Area::Citizens => Some("area-citizens-planned"),
        Area::Companies => Some("area-companies-planned"),
        Area::Match => Some("area-match-planned"),
        Area::Overview | Area::Plans | Area::Reports | Area::Admin => None,
    }
}

/// An area page, found by its path segment. Unknown segments are 404.
pub async fn page(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let (area, planned) = Area::ALL
        .into_iter()
        .filter(|a| a.slug() == slug)
        .find_map(|a| Some((a, planned_key(a)?)))
        .ok_or(AppError::NotFound)?;
    ctx.require(area)?;
    let locale = ctx.locale;
    let title = locale.t_args("not-built-title", &[("area", &locale.t(area_key(area)))]);
    render(&AreaPage { layout: Layout::new(&state, &ctx, title, Some(area)), planned: locale.t(planned) })
}
