//! The page layout every HTML page shares, and the error pages.

use askama::Template;
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{Html, IntoResponse, Response};
use indsats_domain::{Area, Role, format};

use crate::AppState;
use crate::context::RequestContext;
use crate::error::{AppError, ErrorPage};
use crate::i18n::Locale;

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
    /// The path of this page, so the language switch can come back to it.
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
                    .map(|a| NavItem {
                        href: format!("/{}", a.slug()),
                        label: locale.t(area_key(a)),
                        current: Some(a) == area,
                    })
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
            path: area.map_or_else(|| "/".to_owned(), |a| format!("/{}", a.slug())),
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
        format::datetime(*unix_seconds)
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

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    layout: Layout,
    body: String,
    detail: Option<String>,
    request_id: String,
}

/// The HTML error page for a tagged error.
pub fn error_page(state: &AppState, ctx: &RequestContext, status: StatusCode, page: &ErrorPage) -> Response {
    let locale = ctx.locale;
    let title = locale.t(&format!("error-title-{}", page.key));
    let body = match (page.key, ctx.user.as_ref(), page.area) {
        ("403", Some(user), Some(area)) => locale
            .t_args("error-body-403", &[("role", &locale.t(role_key(user.role))), ("area", &locale.t(area_key(area)))]),
        ("400", _, _) if page.field.is_some() => locale.t("form-has-errors"),
        ("429", _, _) => locale.t_args("login-rate-limited", &[("minutes", "15")]),
        (key, _, _) => locale.t(&format!("error-body-{key}")),
    };
    let detail = page.field.as_ref().map(|(field, problem)| field_message(locale, field, problem.as_deref()));
    let template = ErrorTemplate {
        layout: Layout::new(state, ctx, title, None),
        body,
        detail,
        request_id: ctx.request_id.clone(),
    };
    let mut response = render_with_status(status, &template).unwrap_or_else(|_| status.into_response());
    *response.status_mut() = status;
    response
}

/// The JSON error body of the API: a stable code, a message in the user's language, the field.
pub fn error_json(ctx: &RequestContext, status: StatusCode, page: &ErrorPage) -> Response {
    let locale = ctx.locale;
    let message = match &page.field {
        Some((field, problem)) => field_message(locale, field, problem.as_deref()),
        None if page.key == "403" => locale.t("error-title-403"),
        None => locale.t(&format!("error-body-{}", page.key)),
    };
    let body = serde_json::json!({
        "error": {
            "code": page.code,
            "message": message,
            "field": page.field.as_ref().map(|(f, _)| f),
            "request_id": ctx.request_id,
        }
    });
    (status, [(CONTENT_TYPE, "application/json"), (CACHE_CONTROL, "no-store")], body.to_string()).into_response()
}

/// "The field «Rolle» is invalid: ..." with the generic problem when none is known.
fn field_message(locale: Locale, field: &str, problem: Option<&str>) -> String {
    let generic = locale.t("error-field-invalid");
    locale.t_args(
        "error-field-problem",
        &[("field", &field_label(locale, field)), ("problem", problem.unwrap_or(&generic))],
    )
}

/// A field's label in the user's language when the catalogue has one, else its name.
pub fn field_label(locale: Locale, field: &str) -> String {
    let key = format!("field-{}", field.replace('_', "-"));
    let label = locale.t(&key);
    if label == key { field.to_owned() } else { label }
}
