//! Logging in through OpenID Connect: staff through the municipality's provider (Entra ID and
//! the like), citizens through a MitID broker (NemLog-in and the like). Two providers, each
//! with its own issuer and client, because that is how they are reached in practice: the
//! municipality's staff directory and the national citizen login are different services, a
//! staff login must never come out of MitID and a citizen's never out of the staff directory.
//!
//! The flow is the authorization code flow with PKCE (S256), a random `state` and `nonce`:
//! [`begin`] discovers the provider, stores the state's hash, the nonce and the PKCE verifier
//! in the database ([`indsats_store::OidcLogins`], used once, ten minutes) and returns the
//! provider's URL; `finish` takes them back by the state the browser returns (which must also
//! equal the state in the browser's own cookie, so a login started elsewhere cannot be
//! completed here), exchanges the code with the verifier, and has the `openidconnect` crate
//! verify the ID token: its signature against the provider's published keys (JWKS), issuer,
//! audience, expiry and nonce. Only then is the configured claim read from the verified token.
//!
//! The claim of a citizen's login is a CPR number: it is parsed into [`Cpr`] at once, turned
//! into the vault's lookup hash, and never written to a log, a URL or an error.

use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use indsats_domain::{CitizenId, Cpr, Role, Username};
use indsats_store::{NewSession, NewUser, PendingLogin, Store, StoreError, User};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, HttpRequest, HttpResponse, IssuerUrl, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};

use crate::accounts::{LoggedIn, SESSION_SECONDS, new_secret, secret_hash};
use crate::vault::Vault;

/// How long a login may stay at the provider before its state is forgotten.
pub const PENDING_SECONDS: i64 = 10 * 60;
/// The longest wait for the provider to answer one request.
const HTTP_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest answer read from the provider (its metadata, keys or tokens are a few kB).
const HTTP_BODY_LIMIT: usize = 1024 * 1024;

/// Which of the two providers a login goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Staff: the claim names an existing user.
    Staff,
    /// Citizens: the claim is the CPR number.
    Citizen,
}

impl Audience {
    /// The stable name stored with a pending login and used in the URLs.
    pub fn code(self) -> &'static str {
        match self {
            Audience::Staff => "staff",
            Audience::Citizen => "citizen",
        }
    }
}

/// One configured OpenID provider and indsats's client there.
#[derive(Clone)]
pub struct ProviderConfig {
    /// The issuer URL; its `/.well-known/openid-configuration` is read at each login.
    pub issuer: String,
    /// The client id registered at the provider.
    pub client_id: String,
    /// The client secret, if the client has one (sent with HTTP Basic to the token endpoint).
    pub client_secret: Option<String>,
    /// Where the provider sends the browser back: indsats's callback URL as registered.
    pub redirect_url: String,
    /// The ID token claim to read: the user name for staff, the CPR number for citizens.
    pub claim: String,
    /// Scopes asked for besides `openid`.
    pub scopes: Vec<String>,
}

impl std::fmt::Debug for ProviderConfig {
    // The client secret stays out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderConfig")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "***"))
            .field("redirect_url", &self.redirect_url)
            .field("claim", &self.claim)
            .field("scopes", &self.scopes)
            .finish()
    }
}

impl ProviderConfig {
    /// Checks the URLs: absolute, and `https` unless the host is a loopback address (a provider
    /// on the same machine, as in development and the tests).
    pub fn check(&self) -> Result<(), String> {
        for (name, value) in [("issuer", &self.issuer), ("redirect_url", &self.redirect_url)] {
            let url = url::Url::parse(value).map_err(|e| format!("{name}: {e}"))?;
            let loopback = match url.host() {
                Some(url::Host::Domain(d)) => d == "localhost",
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                None => false,
            };
            if url.scheme() != "https" && !(url.scheme() == "http" && loopback) {
                return Err(format!("{name} must be an https URL (plain http only on loopback)"));
            }
        }
        if self.client_id.trim().is_empty() {
            return Err("client_id must not be empty".into());
        }
        if self.claim.trim().is_empty() {
            return Err("the claim name must not be empty".into());
        }
        Ok(())
    }
}

/// The configured providers; a login through one that is not configured is refused.
#[derive(Debug, Clone, Default)]
pub struct Providers {
    /// Staff (medarbejdere).
    pub staff: Option<ProviderConfig>,
    /// Citizens (borgere).
    pub citizen: Option<ProviderConfig>,
}

impl Providers {
    /// The provider for `audience`, if configured.
    pub fn get(&self, audience: Audience) -> Option<&ProviderConfig> {
        match audience {
            Audience::Staff => self.staff.as_ref(),
            Audience::Citizen => self.citizen.as_ref(),
        }
    }
}

/// Why a login through a provider did not go through. None of them carries a claim's value.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// That provider is not configured.
    #[error("no OpenID provider is configured for this login")]
    NotConfigured,
    /// The state is unknown, used, expired, for the other provider, or not this browser's.
    #[error("the login's state is unknown, used, expired or from another browser")]
    BadState,
    /// The provider sent the browser back with an error (the user cancelled, for one).
    #[error("the provider refused the login: {0}")]
    Refused(String),
    /// The provider could not be reached, or its answer or ID token did not pass the checks.
    #[error("the OpenID provider failed: {0}")]
    Provider(String),
    /// The ID token lacks the configured claim, or its value is not a user name or CPR number.
    #[error("the ID token has no usable {0} claim")]
    MissingClaim(String),
    /// A staff login whose user name is no enabled staff user here (no account is made).
    #[error("the user is not a staff user here")]
    UnknownStaff,
    /// A citizen login whose CPR number has no case here.
    #[error("no case for this citizen")]
    UnknownCitizen,
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn provider_error(err: impl std::fmt::Display) -> OidcError {
    OidcError::Provider(err.to_string())
}

/// Where to send the browser, and the state to keep in its cookie.
#[derive(Debug)]
pub struct Started {
    /// The provider's authorization URL with every parameter.
    pub authorize_url: String,
    /// The random state, for the browser's cookie.
    pub state: String,
}

async fn client(config: &ProviderConfig) -> Result<CoreClientReady, OidcError> {
    let issuer = IssuerUrl::new(config.issuer.clone()).map_err(provider_error)?;
    let metadata = CoreProviderMetadata::discover_async(issuer, &send).await.map_err(provider_error)?;
    let redirect = RedirectUrl::new(config.redirect_url.clone()).map_err(provider_error)?;
    Ok(CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(config.client_id.clone()),
        config.client_secret.clone().map(ClientSecret::new),
    )
    .set_redirect_uri(redirect))
}

type CoreClientReady = CoreClient<
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

/// Starts a login at the provider for `audience`.
pub async fn begin(
    store: &dyn Store,
    providers: &Providers,
    audience: Audience,
    now: i64,
) -> Result<Started, OidcError> {
    let config = providers.get(audience).ok_or(OidcError::NotConfigured)?;
    let client = client(config).await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request =
        client.authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random);
    for scope in &config.scopes {
        request = request.add_scope(Scope::new(scope.clone()));
    }
    let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
    store
        .save_oidc_login(&PendingLogin {
            state_hash: secret_hash(state.secret()),
            provider: audience.code().to_owned(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            expires_at: now + PENDING_SECONDS,
        })
        .await?;
    Ok(Started { authorize_url: url.to_string(), state: state.secret().clone() })
}

/// What the provider sent the browser back with.
#[derive(Debug, Default)]
pub struct Callback {
    /// The authorization code.
    pub code: Option<String>,
    /// The state from the URL.
    pub state: Option<String>,
    /// The state this browser kept in its cookie when the login began.
    pub cookie_state: Option<String>,
    /// The provider's error code, when it refused.
    pub error: Option<String>,
}

/// Completes a login: checks the state, exchanges the code, verifies the ID token, and returns
/// the configured claim's value (to be turned at once into a user name or CPR number).
async fn finish(
    store: &dyn Store,
    providers: &Providers,
    audience: Audience,
    callback: &Callback,
    now: i64,
) -> Result<ClaimValue, OidcError> {
    let config = providers.get(audience).ok_or(OidcError::NotConfigured)?;
    let state = callback.state.as_deref().ok_or(OidcError::BadState)?;
    let same_browser =
        callback.cookie_state.as_deref().is_some_and(|c| constant_time_eq(c.as_bytes(), state.as_bytes()));
    // The pending row is taken (and so spent) whatever comes next: a state is tried once.
    let pending = store.take_oidc_login(&secret_hash(state), now).await?;
    let pending = match pending {
        Some(p) if same_browser && p.provider == audience.code() => p,
        _ => return Err(OidcError::BadState),
    };
    if let Some(error) = &callback.error {
        // Only the provider's short error code (`access_denied`), never its free text.
        return Err(OidcError::Refused(error.chars().filter(char::is_ascii_alphanumeric).take(40).collect()));
    }
    let code = callback.code.as_deref().ok_or_else(|| OidcError::Provider("no code".into()))?;
    let client = client(config).await?;
    let token = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .map_err(provider_error)?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier))
        .request_async(&send)
        .await
        .map_err(provider_error)?;
    let id_token = token.id_token().ok_or_else(|| OidcError::Provider("no ID token".into()))?;
    // Signature (against the provider's JWKS), issuer, audience, expiry and nonce.
    id_token.claims(&client.id_token_verifier(), &Nonce::new(pending.nonce)).map_err(provider_error)?;
    // The claim is read from the payload just verified: the configured name may be any claim
    // (NemLog-in's CPR attribute is not a standard one).
    claim_of(&id_token.to_string(), &config.claim).ok_or_else(|| OidcError::MissingClaim(config.claim.clone()))
}

/// A claim's value; its `Debug` never shows it (it may be a CPR number).
struct ClaimValue(String);

impl std::fmt::Debug for ClaimValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClaimValue(***)")
    }
}

/// The string value of claim `name` in a compact JWT's payload.
fn claim_of(jwt: &str, name: &str) -> Option<ClaimValue> {
    use base64::Engine;
    let payload = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let value = claims.get(name)?.as_str()?.trim();
    (!value.is_empty()).then(|| ClaimValue(value.to_owned()))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0_u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Completes a staff login: the claim must name an enabled staff user. No account is made for
/// an unknown name: who may work in indsats, and in which role, is the administrator's choice.
pub async fn finish_staff(
    store: &dyn Store,
    providers: &Providers,
    callback: &Callback,
    now: i64,
) -> Result<LoggedIn, OidcError> {
    let value = finish(store, providers, Audience::Staff, callback, now).await?;
    let name = Username::parse(&value.0).map_err(|_| OidcError::UnknownStaff)?;
    let user = match store.user_by_username(&name).await? {
        Some(user) if !user.disabled && user.role != Role::Borger => user,
        _ => {
            store.record(&indsats_domain::AuditEvent::LoginFailed, None).await?;
            return Err(OidcError::UnknownStaff);
        }
    };
    Ok(start_session(store, user, now).await?)
}

/// Completes a citizen's login: the CPR claim must belong to a case here. The citizen's account
/// (role `borger`, bound to the case) is made at the first login: the case is the jobcentre's
/// decision that this person is its citizen, so there is nothing for an administrator to add.
pub async fn finish_citizen(
    store: &dyn Store,
    vault: &Vault,
    providers: &Providers,
    callback: &Callback,
    now: i64,
) -> Result<LoggedIn, OidcError> {
    let value = finish(store, providers, Audience::Citizen, callback, now).await?;
    let claim = providers.citizen.as_ref().map(|c| c.claim.clone()).unwrap_or_default();
    let cpr = Cpr::parse(&value.0).map_err(|_| OidcError::MissingClaim(claim))?;
    let citizen = store.citizen_by_lookup(&vault.lookup(&cpr)).await?.ok_or(OidcError::UnknownCitizen)?;
    let user = citizen_account(store, citizen, None).await?;
    if user.disabled {
        store.record(&indsats_domain::AuditEvent::LoginFailed, None).await?;
        return Err(OidcError::UnknownCitizen);
    }
    Ok(start_session(store, user, now).await?)
}

/// The citizen's account, made (with `actor` on record, none at the citizen's own login) when
/// they have none. Its password never matches: a citizen logs in through MitID only (the demo
/// sets one for its demo citizen).
pub async fn citizen_account(
    store: &dyn Store,
    citizen: CitizenId,
    actor: Option<indsats_domain::UserId>,
) -> Result<User, StoreError> {
    if let Some(user) = store.citizen_account(citizen).await? {
        return Ok(user);
    }
    // `borger-<id>` always parses; the error arm only keeps `unwrap` out.
    let username = Username::parse(&format!("borger-{}", citizen.0))
        .map_err(|_| StoreError::Conflict("citizen_accounts.username".into()))?;
    // A neutral name: the administrators' user list must not name citizens.
    let new = NewUser { username, display_name: "Borger".into(), role: Role::Borger, password_hash: "!".into() };
    match store.create_citizen_account(citizen, &new, actor).await {
        Ok(_) | Err(StoreError::Conflict(_)) => {}
        Err(other) => return Err(other),
    }
    // Made now, or by a login of the same citizen a moment earlier.
    store.citizen_account(citizen).await?.ok_or_else(|| StoreError::Conflict("citizen_accounts".into()))
}

/// Starts a session for a user whose identity the provider vouched for.
async fn start_session(store: &dyn Store, user: User, now: i64) -> Result<LoggedIn, StoreError> {
    let session_secret = new_secret();
    let csrf_token = new_secret();
    store
        .create_session(&NewSession {
            token_hash: secret_hash(&session_secret),
            user_id: user.id,
            csrf_token: csrf_token.clone(),
            expires_at: now + SESSION_SECONDS,
        })
        .await?;
    Ok(LoggedIn { user, session_secret, csrf_token })
}

/// What went wrong talking to the provider.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// The URL cannot be used.
    #[error("unusable URL: {0}")]
    Url(String),
    /// Connecting, TLS or HTTP failed.
    #[error("{0}")]
    Io(String),
    /// No answer in time.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
}

fn io(err: impl std::fmt::Display) -> HttpError {
    HttpError::Io(err.to_string())
}

/// One request to the provider on a connection of its own: HTTP/1.1 over hyper, TLS by rustls
/// with the web PKI roots, no redirects followed, a time limit and a size limit.
async fn send(request: HttpRequest) -> Result<HttpResponse, HttpError> {
    tokio::time::timeout(HTTP_TIMEOUT, exchange(request)).await.map_err(|_| HttpError::Timeout(HTTP_TIMEOUT))?
}

async fn exchange(request: HttpRequest) -> Result<HttpResponse, HttpError> {
    let uri = request.uri().clone();
    let https = match uri.scheme_str() {
        Some("https") => true,
        Some("http") => false,
        _ => return Err(HttpError::Url(uri.to_string())),
    };
    let host = uri.host().ok_or_else(|| HttpError::Url(uri.to_string()))?.to_owned();
    let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
    let authority = uri.authority().map_or_else(|| host.clone(), ToString::to_string);
    let (mut parts, body) = request.into_parts();
    parts.uri = uri.path_and_query().map_or("/", |p| p.as_str()).parse().map_err(io)?;
    parts.headers.insert(openidconnect::http::header::HOST, authority.parse().map_err(io)?);
    let request = hyper::Request::from_parts(parts, Full::new(Bytes::from(body)));
    let host_for_connect = host.trim_start_matches('[').trim_end_matches(']').to_owned();
    let tcp = tokio::net::TcpStream::connect((host_for_connect.as_str(), port)).await.map_err(io)?;
    if https {
        let connector = tokio_rustls::TlsConnector::from(tls_config()?);
        let name = tokio_rustls::rustls::pki_types::ServerName::try_from(host_for_connect).map_err(io)?;
        let tls = connector.connect(name, tcp).await.map_err(io)?;
        round_trip(tls, request).await
    } else {
        round_trip(tcp, request).await
    }
}

fn tls_config() -> Result<Arc<tokio_rustls::rustls::ClientConfig>, HttpError> {
    use tokio_rustls::rustls;
    let roots = webpki_roots::TLS_SERVER_ROOTS.iter().cloned().collect::<rustls::RootCertStore>();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(io)?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

async fn round_trip<S>(stream: S, request: hyper::Request<Full<Bytes>>) -> Result<HttpResponse, HttpError>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(io)?;
    let driver = tokio::spawn(connection);
    let response = sender.send_request(request).await.map_err(io)?;
    let (parts, body) = response.into_parts();
    let bytes = Limited::new(body, HTTP_BODY_LIMIT).collect().await.map_err(io)?.to_bytes();
    driver.abort();
    Ok(HttpResponse::from_parts(parts, bytes.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(issuer: &str) -> ProviderConfig {
        ProviderConfig {
            issuer: issuer.into(),
            client_id: "indsats".into(),
            client_secret: Some("hemmelig".into()),
            redirect_url: "https://indsats.example.dk/login/oidc/borger/svar".into(),
            claim: "cpr".into(),
            scopes: vec![],
        }
    }

    #[test]
    fn an_issuer_must_be_https_except_on_loopback() {
        assert!(config("https://login.example.dk").check().is_ok());
        assert!(config("http://127.0.0.1:4000").check().is_ok());
        assert!(config("http://localhost:4000").check().is_ok());
        assert!(config("http://login.example.dk").check().is_err());
        assert!(config("login.example.dk").check().is_err());
    }

    #[test]
    fn the_client_secret_is_not_in_debug() {
        assert!(!format!("{:?}", config("https://login.example.dk")).contains("hemmelig"));
    }

    #[test]
    fn a_claim_is_read_from_the_payload_and_hidden_in_debug() {
        use base64::Engine;
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(
            br#"{"sub":"x","cpr":"0101901234","dk:gov:saml:attribute:CprNumberIdentifier":"0101901234","n":5}"#,
        );
        let jwt = format!("e30.{payload}.c2ln");
        let value = claim_of(&jwt, "cpr").unwrap();
        assert_eq!(value.0, "0101901234");
        assert!(!format!("{value:?}").contains("0101"));
        assert!(claim_of(&jwt, "dk:gov:saml:attribute:CprNumberIdentifier").is_some());
        assert!(claim_of(&jwt, "n").is_none(), "only text values");
        assert!(claim_of(&jwt, "missing").is_none());
        assert!(claim_of("not a jwt", "cpr").is_none());
    }
}
