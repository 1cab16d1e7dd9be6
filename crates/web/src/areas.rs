//! The front page, and the pages of areas that later issues build: they say plainly that the
//! area is not built yet.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use indsats_domain::{Action, Area};
use utoipa_axum::router::OpenApiRouter;

use crate::context::RequestContext;
use crate::error::AppError;
use crate::pages::{HOME, Layout, area_key, area_url, render};
use crate::state::AppState;

/// The front page and the not-yet-built areas; the catch-all path only answers for those.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().route(HOME, get(home)).route("/{area}", get(page))
}

#[derive(Template)]
#[template(path = "area.html")]
struct AreaPage {
    layout: Layout,
    planned: String,
}

/// The front page: the overview for a logged-in user, the login form otherwise.
async fn home(ctx: RequestContext) -> Response {
    let target = match &ctx.user {
        // A citizen has one page; every staff page would refuse them.
        Some(user) if user.role == indsats_domain::Role::Borger => area_url(Area::OwnCase),
        Some(_) => area_url(Area::Overview),
        None => crate::login::LOGIN.to_owned(),
    };
    Redirect::to(&target).into_response()
}

/// What a not-yet-built area will hold and the action that opens it; `None` for built areas,
/// which have their own routers.
fn planned(area: Area) -> Option<(&'static str, Action)> {
    match area {
        Area::Companies => Some(("area-companies-planned", Action::ViewCompanies)),
        Area::Match => Some(("area-match-planned", Action::ViewMatch)),
        Area::Overview | Area::Plans | Area::Citizens | Area::Reports | Area::Admin | Area::OwnCase => None,
    }
}

/// An area page, found by its path segment. Unknown segments are 404.
async fn page(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let (area, (key, action)) = Area::ALL
        .into_iter()
        .filter(|a| a.slug() == slug)
        .find_map(|a| Some((a, planned(a)?)))
        .ok_or(AppError::NotFound)?;
    ctx.require(action)?;
    let locale = ctx.locale;
    let title = locale.t_args("not-built-title", &[("area", &locale.t(area_key(area)))]);
    render(&AreaPage { layout: Layout::new(&state, &ctx, title, Some(area)), planned: locale.t(key) })
}
