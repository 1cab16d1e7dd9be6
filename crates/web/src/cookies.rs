//! The cookies indsats sets. All are HttpOnly and SameSite=Lax; `Secure` is on
//! unless the server only listens on a loopback address (see `WebConfig`).

use std::collections::HashMap;

use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use cookie::{Cookie, SameSite};

/// The session cookie: a random secret whose hash names the session.
pub const SESSION_COOKIE: &str = "indsats_session";
/// The CSRF token of a visitor who is not logged in (double-submit for the login form).
pub const CSRF_COOKIE: &str = "indsats_csrf";

/// The request's cookies by name.
pub fn parse(headers: &HeaderMap) -> HashMap<String, String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .map(|c| (c.name().to_owned(), c.value().to_owned()))
        .collect()
}

fn base(name: &'static str, value: String, secure: bool, max_age_seconds: Option<i64>) -> Cookie<'static> {
    let mut cookie =
        Cookie::build((name, value)).path("/").http_only(true).same_site(SameSite::Lax).secure(secure).build();
    if let Some(seconds) = max_age_seconds {
        cookie.set_max_age(cookie::time::Duration::seconds(seconds));
    }
    cookie
}

/// The session cookie, lasting as long as the session.
pub fn session(secret: &str, secure: bool) -> Cookie<'static> {
    base(SESSION_COOKIE, secret.to_owned(), secure, Some(indsats_app::accounts::SESSION_SECONDS))
}

/// A cookie that removes the session cookie.
pub fn session_removal(secure: bool) -> Cookie<'static> {
    base(SESSION_COOKIE, String::new(), secure, Some(0))
}

/// A one-time receipt shown by the page a form redirects to (Post/Redirect/Get),
/// so reloading that page does not submit the form again.
pub const FLASH_COOKIE: &str = "indsats_flash";

/// A flash cookie carrying `message` (base64 so any text survives the cookie syntax).
pub fn flash(message: &str, secure: bool) -> Cookie<'static> {
    use base64::Engine;
    base(FLASH_COOKIE, base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(message), secure, Some(60))
}

/// The flash message a request carries. Read it with [`Flash::message`] to show it, then
/// [`Flash::shown`] adds the removal to the response so the receipt is shown once.
#[derive(Debug)]
pub struct Flash(Option<String>);

impl Flash {
    /// The flash message in the request, if any.
    pub fn take(headers: &HeaderMap) -> Self {
        use base64::Engine;
        let message = parse(headers).remove(FLASH_COOKIE).and_then(|raw| {
            let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(raw).ok()?;
            String::from_utf8(bytes).ok().filter(|m| !m.is_empty())
        });
        Self(message)
    }

    /// The message to show.
    pub fn message(&self) -> Option<String> {
        self.0.clone()
    }

    /// `response`, removing the flash cookie if there was one.
    pub fn shown(self, mut response: Response, secure: bool) -> Response {
        if self.0.is_some() {
            append(&mut response, &base(FLASH_COOKIE, String::new(), secure, Some(0)));
        }
        response
    }
}

/// The anonymous CSRF cookie.
pub fn csrf(token: &str, secure: bool) -> Cookie<'static> {
    base(CSRF_COOKIE, token.to_owned(), secure, None)
}

/// The language choice, kept for a year.
pub fn locale(tag: &str, secure: bool) -> Cookie<'static> {
    base(crate::i18n::Locale::COOKIE, tag.to_owned(), secure, Some(365 * 24 * 60 * 60))
}

/// Adds a `Set-Cookie` header to a response.
pub fn append(response: &mut Response, cookie: &Cookie<'static>) {
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(SET_COOKIE, value);
    }
}
