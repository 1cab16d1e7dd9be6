//! The page layout every HTML page shares, and the catalogue keys of shared names.

use askama::Template;
use axum::http::StatusCode;
use axum::http::header::CACHE_CONTROL;
use axum::response::{Html, IntoResponse, Response};
use indsats_domain::{Action, Area, Role, format};

use crate::context::RequestContext;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::state::AppState;

/// The front page.
pub const HOME: &str = "/";

/// An area's own page, as the navigation links it and its router serves it.
pub fn area_url(area: Area) -> String {
    format!("/{}", area.slug())
}

/// One entry of the main navigation.
#[derive(Debug, Clone)]
pub struct NavItem {
    /// Where it leads.
    pub href: String,
    /// What it says.
    pub label: String,
    /// Whether it is the current area (`aria-current="page"`).
    pub current: bool,
}

/// What the shared layout shows around every page.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The UI language.
    pub locale: Locale,
    /// The page title.
    pub title: String,
    /// The logged-in user's name and role, for the header.
    pub user_line: Option<String>,
    /// The areas this user may enter.
    pub nav: Vec<NavItem>,
    /// The token every form on the page carries.
    pub csrf_token: String,
    /// The municipality's name for the header.
    pub site_name: String,
    /// Whether to show the demo-data banner.
    pub is_demo: bool,
    /// The path and query of this page, so the language switch can come back to it (the area's
    /// page after a form post).
    pub path: String,
}

impl Layout {
    /// The layout for a page in `area` (or none, e.g. the login page).
    pub fn new(state: &AppState, ctx: &RequestContext, title: String, area: Option<Area>) -> Self {
        let locale = ctx.locale;
        let nav = ctx
            .user
            .as_ref()
            .map(|user| {
                Area::ALL
                    .into_iter()
                    .filter(|a| a.allows(user.role))
                    .map(|a| NavItem { href: area_url(a), label: locale.t(area_key(a)), current: Some(a) == area })
                    .collect()
            })
            .unwrap_or_default();
        Layout {
            locale,
            title,
            user_line: ctx.user.as_ref().map(|u| {
                locale.t_args("logged-in-as", &[("name", &u.display_name), ("role", &locale.t(role_key(u.role)))])
            }),
            nav,
            csrf_token: ctx.csrf_token.clone(),
            site_name: state.site.as_ref().as_ref().map(|s| s.municipality_name.clone()).unwrap_or_default(),
            is_demo: state.site.as_ref().as_ref().is_some_and(|s| s.is_demo),
            path: ctx.page.clone().unwrap_or_else(|| area.map_or_else(|| HOME.to_owned(), area_url)),
        }
    }

    /// A message from the catalogue.
    pub fn t(&self, key: &str) -> String {
        self.locale.t(key)
    }

    /// A message with one argument.
    pub fn t1(&self, key: &str, name: &str, value: &str) -> String {
        self.locale.t_args(key, &[(name, value)])
    }

    /// A Danish-formatted moment.
    pub fn datetime(&self, unix_seconds: &i64) -> String {
        format::datetime(*unix_seconds, &self.locale.t("format-datetime"))
    }
}

/// The catalogue key of an area's name.
pub fn area_key(area: Area) -> &'static str {
    match area {
        Area::Overview => "nav-overview",
        Area::Plans => "nav-plans",
        Area::Citizens => "nav-citizens",
        Area::Companies => "nav-companies",
        Area::Match => "nav-match",
        Area::Reports => "nav-reports",
        Area::Admin => "nav-admin",
        Area::OwnCase => "nav-own-case",
    }
}

/// The catalogue key of what an action lets a user do, worded to follow "may not" in the
/// refusal ("Som leder må du ikke indlæse planfiler").
pub fn action_key(action: Action) -> &'static str {
    match action {
        Action::ViewOverview => "action-view-overview",
        Action::ViewPlans => "action-view-plans",
        Action::LoadPlan => "action-load-plan",
        Action::EditGoalComment => "action-edit-goal-comment",
        Action::SetActionStatus => "action-set-action-status",
        Action::ViewReports => "action-view-reports",
        Action::ManageUsers => "action-manage-users",
        Action::ManageApiTokens => "action-manage-api-tokens",
        Action::ViewAuditLog => "action-view-audit-log",
        Action::ViewCitizens => "action-view-citizens",
        Action::ViewCompanies => "action-view-companies",
        Action::ViewMatch => "action-view-match",
        Action::WorkOnCase => "action-work-on-case",
        Action::RevealCpr => "action-reveal-cpr",
        Action::ArchiveReport => "action-archive-report",
        Action::ApproveReport => "action-approve-report",
        Action::ViewDecisionOutcomes => "action-view-decision-outcomes",
        Action::ViewOwnCase => "action-view-own-case",
        Action::ExemptCitizen => "action-exempt-citizen",
        Action::ViewExemptionQuota => "action-view-exemption-quota",
        Action::AdoptRules => "action-adopt-rules",
        Action::SearchAuditLog => "action-search-audit-log",
    }
}

/// The catalogue key of a role's name.
pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::Sagsbehandler => "role-sagsbehandler",
        Role::Virksomhedskonsulent => "role-virksomhedskonsulent",
        Role::Leder => "role-leder",
        Role::Udvalg => "role-udvalg",
        Role::Admin => "role-admin",
        Role::Borger => "role-borger",
    }
}

/// Renders a template as an HTML response that no cache keeps.
pub fn render(template: &impl Template) -> Result<Response, AppError> {
    render_with_status(StatusCode::OK, template)
}

/// Renders a template with a status code.
pub fn render_with_status(status: StatusCode, template: &impl Template) -> Result<Response, AppError> {
    let html = template.render().map_err(AppError::internal)?;
    Ok((status, [(CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

/// A field's label in the user's language when the catalogue has one, else its name.
pub fn field_label(locale: Locale, field: &str) -> String {
    let key = format!("field-{}", field.replace('_', "-"));
    let label = locale.t(&key);
    if label == key { field.to_owned() } else { label }
}
