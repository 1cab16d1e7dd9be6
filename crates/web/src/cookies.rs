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

/// The `state` of a login under way at an OpenID provider, so the callback can check that the
/// browser coming back is the one that left (ten minutes, like the pending login).
pub const OIDC_STATE_COOKIE: &str = "indsats_oidc_state";

/// The OpenID login's state cookie. SameSite=Lax still sends it on the provider's redirect
/// back, a top-level GET.
pub fn oidc_state(state: &str, secure: bool) -> Cookie<'static> {
    base(OIDC_STATE_COOKIE, state.to_owned(), secure, Some(indsats_app::oidc::PENDING_SECONDS))
}

/// A cookie that removes the OpenID login's state cookie.
pub fn oidc_state_removal(secure: bool) -> Cookie<'static> {
    base(OIDC_STATE_COOKIE, String::new(), secure, Some(0))
}

/// Adds a `Set-Cookie` header to a response.
pub fn append(response: &mut Response, cookie: &Cookie<'static>) {
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(SET_COOKIE, value);
    }
}

/// A one-time flash that carries a secret (a new API token) across the redirect after the form
/// that made it (Post/Redirect/Get), so a reload never makes a second token and the secret is
/// never in a URL. It is sealed to the session: encrypted and authenticated with a key derived
/// from the session cookie's secret, which the server never stores, so the cookie is useless
/// without the session it was made in, and it lives for a minute and is read once.
pub const SECRET_FLASH_COOKIE: &str = "indsats_secret_flash";

/// The session-derived key, kept apart from any other use of the session secret by its label.
fn seal_key(session_secret: &str) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::new().chain_update(b"indsats secret flash v1\0").chain_update(session_secret.as_bytes()).finalize().into()
}

/// SHA-256 in counter mode over key and nonce: the key stream `text` is XORed with.
fn key_stream(key: &[u8; 32], nonce: &[u8], len: usize) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let mut stream = Vec::with_capacity(len + 32);
    let mut counter: u32 = 0;
    while stream.len() < len {
        stream
            .extend(Sha256::new().chain_update(key).chain_update(nonce).chain_update(counter.to_be_bytes()).finalize());
        counter += 1;
    }
    stream.truncate(len);
    stream
}

/// HMAC-SHA-256 (RFC 2104) of nonce and cipher text, so a changed cookie is refused.
fn seal_tag(key: &[u8; 32], nonce: &[u8], cipher: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut inner_pad = [0x36_u8; 64];
    let mut outer_pad = [0x5c_u8; 64];
    for (i, k) in key.iter().enumerate() {
        inner_pad[i] ^= k;
        outer_pad[i] ^= k;
    }
    let inner = Sha256::new().chain_update(inner_pad).chain_update(nonce).chain_update(cipher).finalize();
    Sha256::new().chain_update(outer_pad).chain_update(inner).finalize().into()
}

/// The sealed flash cookie carrying `text`, readable only with `session_secret`.
pub fn secret_flash(text: &str, session_secret: &str, secure: bool) -> Cookie<'static> {
    use base64::Engine;
    use rand::RngCore;
    let key = seal_key(session_secret);
    let mut nonce = [0_u8; 16];
    rand::rng().fill_bytes(&mut nonce);
    let cipher: Vec<u8> =
        text.as_bytes().iter().zip(key_stream(&key, &nonce, text.len())).map(|(b, k)| b ^ k).collect();
    let tag = seal_tag(&key, &nonce, &cipher);
    let sealed = [nonce.as_slice(), tag.as_slice(), cipher.as_slice()].concat();
    base(SECRET_FLASH_COOKIE, base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sealed), secure, Some(60))
}

/// Opens a sealed flash with the session it was made in; `None` if absent, altered or another
/// session's.
pub fn open_secret_flash(headers: &HeaderMap, session_secret: &str) -> Option<String> {
    use base64::Engine;
    let raw = parse(headers).remove(SECRET_FLASH_COOKIE)?;
    let sealed = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(raw).ok()?;
    if sealed.len() < 48 {
        return None;
    }
    let (nonce, rest) = sealed.split_at(16);
    let (tag, cipher) = rest.split_at(32);
    let key = seal_key(session_secret);
    // Constant-time comparison is not needed for a one-minute cookie bound to the session, but
    // it costs nothing.
    let expected = seal_tag(&key, nonce, cipher);
    if expected.iter().zip(tag).fold(0_u8, |acc, (a, b)| acc | (a ^ b)) != 0 {
        return None;
    }
    let plain: Vec<u8> = cipher.iter().zip(key_stream(&key, nonce, cipher.len())).map(|(b, k)| b ^ k).collect();
    String::from_utf8(plain).ok()
}

/// A cookie that removes the sealed flash once it is shown.
pub fn secret_flash_removal(secure: bool) -> Cookie<'static> {
    base(SECRET_FLASH_COOKIE, String::new(), secure, Some(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request_with(cookie: &Cookie<'static>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let pair = format!("{}={}", cookie.name(), cookie.value());
        headers.insert(COOKIE, HeaderValue::from_str(&pair).unwrap());
        headers
    }

    #[test]
    fn a_sealed_flash_opens_only_with_its_session_and_unaltered() {
        let text = "admin\nsecret-token-value";
        let cookie = secret_flash(text, "session-one", true);
        assert!(!cookie.value().contains("secret"), "the cookie does not carry the text in the clear");
        assert_eq!(open_secret_flash(&request_with(&cookie), "session-one").as_deref(), Some(text));
        assert_eq!(open_secret_flash(&request_with(&cookie), "session-two"), None, "another session cannot read it");
        let mut altered = cookie.value().to_owned();
        let last = altered.pop().unwrap();
        altered.push(if last == 'A' { 'B' } else { 'A' });
        let altered = base(SECRET_FLASH_COOKIE, altered, true, None);
        assert_eq!(open_secret_flash(&request_with(&altered), "session-one"), None, "an altered cookie is refused");
    }

    #[test]
    fn two_seals_of_one_text_differ() {
        let (a, b) = (secret_flash("x", "s", true), secret_flash("x", "s", true));
        assert_ne!(a.value(), b.value(), "a fresh nonce each time");
    }
}
