//! Accounts: password hashing, secret tokens, creating, disabling and enabling users, API
//! tokens, and login with its rate limit. Used by the web handlers and by the `indsats user`
//! and `indsats token` commands.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use base64::Engine;
use indsats_domain::user::{InvalidPassword, InvalidUsername};
use indsats_domain::{ApiTokenId, AuditEvent, Password, Role, Username};
use indsats_store::{NewApiToken, NewSession, NewUser, Store, StoreError, User, UserId};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// How long a login session lasts: a working day and some.
pub const SESSION_SECONDS: i64 = 12 * 60 * 60;
/// The window in which failed logins are counted.
pub const FAILURE_WINDOW_SECONDS: i64 = 15 * 60;
/// Failed attempts allowed per user name within the window.
pub const MAX_FAILURES_PER_USER: i64 = 5;
/// Failed attempts per client address within the window after which that address's attempts
/// are slowed down ([`ADDRESS_DELAY`], one at a time), not refused: an office shares an address,
/// and refusing would let one person's guessing lock the whole office (or, behind a proxy, the
/// whole site) out.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 30;
/// How long each attempt from an address over [`MAX_FAILURES_PER_ADDRESS`] waits, one after the
/// other: about one guess a second from that address for each server process.
pub const ADDRESS_DELAY: std::time::Duration = std::time::Duration::from_secs(1);

/// The longest display name: a full name with room to spare, short enough for a table cell and
/// the header line.
pub const DISPLAY_NAME_MAX: usize = 100;
/// The longest purpose of an API token.
pub const TOKEN_NAME_MAX: usize = 100;

/// Hashes a password with Argon2id and a random salt (PHC string format).
pub fn hash_password(password: &Password) -> Result<String, AccountError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.expose().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AccountError::Hashing(e.to_string()))
}

/// Checks a password against a stored hash; an unreadable hash never matches.
pub fn verify_password(hash: &str, candidate: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(candidate.as_bytes(), &parsed).is_ok())
}

/// A new random secret: 32 bytes, URL-safe base64 without padding.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The hex SHA-256 of a secret: what the database stores instead of the secret.
pub fn secret_hash(secret: &str) -> String {
    format!("{:x}", Sha256::digest(secret.as_bytes()))
}

/// What can go wrong with accounts, split by whose fault it is.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// The user name is not acceptable.
    #[error(transparent)]
    Username(#[from] InvalidUsername),
    /// The password does not meet the policy.
    #[error(transparent)]
    Password(#[from] InvalidPassword),
    /// The display name is empty.
    #[error("the display name must not be empty")]
    DisplayNameEmpty,
    /// The display name is longer than [`DISPLAY_NAME_MAX`] characters.
    #[error("the display name may be at most {DISPLAY_NAME_MAX} characters long")]
    DisplayNameTooLong,
    /// An API token's purpose is empty.
    #[error("say what the token is for")]
    TokenNameEmpty,
    /// An API token's purpose is longer than [`TOKEN_NAME_MAX`] characters.
    #[error("a token's purpose may be at most {TOKEN_NAME_MAX} characters long")]
    TokenNameTooLong,
    /// The user name is taken.
    #[error("the user name is already taken")]
    UsernameTaken,
    /// A citizen's account (role `borger`) is bound to their case: made by their first login
    /// through the citizens' OpenID provider, never as a free-standing user.
    #[error("a citizen's account is made by the citizen's own login; choose a staff role")]
    StaffRoleRequired,
    /// Wrong user name or password (deliberately not saying which).
    #[error("wrong user name or password")]
    BadCredentials,
    /// No user has that name.
    #[error("no such user")]
    UnknownUser,
    /// A token for a user whose role may do something the token's maker may not.
    #[error("a token may carry only rights its maker has: the user's role may do more than yours")]
    TokenBeyondMaker,
    /// An administrator tried to disable their own account, which would lock them out.
    #[error("you cannot disable your own account")]
    CannotDisableSelf,
    /// Too many failed attempts lately.
    #[error("too many failed login attempts; wait and try again")]
    RateLimited,
    /// Hashing failed (our problem).
    #[error("password hashing failed: {0}")]
    Hashing(String),
    /// The database failed (our problem).
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for AccountError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Conflict(_) => AccountError::UsernameTaken,
            other => AccountError::Store(other),
        }
    }
}

impl AccountError {
    /// For the user's own mistakes: the field at fault and the catalogue key of the message.
    pub fn field_error(&self) -> Option<(&'static str, &'static str)> {
        Some(match self {
            AccountError::Username(InvalidUsername::Length) => ("username", "error-username-length"),
            AccountError::Username(InvalidUsername::Character) => ("username", "error-username-characters"),
            AccountError::UsernameTaken => ("username", "error-username-taken"),
            AccountError::StaffRoleRequired => ("role", "error-role-staff"),
            AccountError::UnknownUser => ("username", "error-user-unknown"),
            AccountError::CannotDisableSelf => ("username", "admin-cannot-disable-self"),
            AccountError::DisplayNameEmpty => ("display_name", "error-display-name-required"),
            AccountError::DisplayNameTooLong => ("display_name", "error-display-name-long"),
            AccountError::TokenNameEmpty => ("token_name", "error-token-name-required"),
            AccountError::TokenNameTooLong => ("token_name", "error-token-name-long"),
            AccountError::TokenBeyondMaker => ("username", "error-token-beyond-maker"),
            AccountError::Password(InvalidPassword::Blank) => ("password", "error-password-blank"),
            AccountError::Password(InvalidPassword::TooShort) => ("password", "error-password-short"),
            AccountError::Password(InvalidPassword::TooLong) => ("password", "error-password-long"),
            _ => return None,
        })
    }
}

/// A display name as stored: trimmed, not empty, at most [`DISPLAY_NAME_MAX`] characters.
pub fn check_display_name(raw: &str) -> Result<&str, AccountError> {
    let name = raw.trim();
    if name.is_empty() {
        Err(AccountError::DisplayNameEmpty)
    } else if name.chars().count() > DISPLAY_NAME_MAX {
        Err(AccountError::DisplayNameTooLong)
    } else {
        Ok(name)
    }
}

/// An API token's purpose as stored: trimmed, not empty, at most [`TOKEN_NAME_MAX`] characters.
pub fn check_token_name(raw: &str) -> Result<&str, AccountError> {
    let name = raw.trim();
    if name.is_empty() {
        Err(AccountError::TokenNameEmpty)
    } else if name.chars().count() > TOKEN_NAME_MAX {
        Err(AccountError::TokenNameTooLong)
    } else {
        Ok(name)
    }
}

/// Every problem with a new user's fields at once, so a form can mark them all.
pub fn check_new_user(username: &str, display_name: &str, password: &str) -> Vec<AccountError> {
    let mut problems = Vec::new();
    if let Err(e) = Username::parse(username) {
        problems.push(AccountError::Username(e));
    }
    if let Err(e) = check_display_name(display_name) {
        problems.push(e);
    }
    if let Err(e) = Password::parse(password) {
        problems.push(AccountError::Password(e));
    }
    problems
}

/// Creates a user after checking every field; the password is hashed off the async threads.
pub async fn create_user(
    store: &dyn Store,
    actor: Option<UserId>,
    username: &str,
    display_name: &str,
    role: Role,
    password: &str,
) -> Result<UserId, AccountError> {
    if role == Role::Borger {
        return Err(AccountError::StaffRoleRequired);
    }
    let username = Username::parse(username)?;
    let display_name = check_display_name(display_name)?;
    let password = Password::parse(password)?;
    let password_hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AccountError::Hashing(e.to_string()))??;
    let new = NewUser { username, display_name: display_name.to_owned(), role, password_hash };
    Ok(store.create_user(&new, actor).await?)
}

/// A successful login: the cookie secret and the session's CSRF token.
#[derive(Debug)]
pub struct LoggedIn {
    /// Who logged in.
    pub user: User,
    /// The secret for the session cookie.
    pub session_secret: String,
    /// The session's CSRF token.
    pub csrf_token: String,
}

// A valid hash of a random password, verified when the user does not exist so that
// a wrong user name takes as long as a wrong password.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    Password::parse(&new_secret()).ok().and_then(|p| hash_password(&p).ok()).unwrap_or_default()
});

/// Checks credentials under the rate limit and starts a session.
pub async fn login(
    store: &dyn Store,
    username: &str,
    password: &str,
    address: &str,
    now: i64,
) -> Result<LoggedIn, AccountError> {
    let key = username.trim().to_lowercase();
    let window = now - FAILURE_WINDOW_SECONDS;
    // Counted before the check, so concurrent guesses cannot all pass a limit read before any
    // of them was recorded; a success clears the count again.
    let (by_user, by_address) = store.record_login_attempt(&key, address, now, window, window).await?;
    if by_user > MAX_FAILURES_PER_USER {
        store.record(&AuditEvent::LoginRateLimited, None).await?;
        return Err(AccountError::RateLimited);
    }
    let _slow_lane = if by_address > MAX_FAILURES_PER_ADDRESS { Some(slow_lane(address).await) } else { None };
    let user = match Username::parse(&key) {
        Ok(name) => store.user_by_username(&name).await?,
        Err(_) => None,
    };
    let hash = user.as_ref().map_or_else(|| DUMMY_HASH.clone(), |u| u.password_hash.clone());
    let candidate = password.to_owned();
    let matches = tokio::task::spawn_blocking(move || verify_password(&hash, &candidate))
        .await
        .map_err(|e| AccountError::Hashing(e.to_string()))?;
    let user = match user {
        Some(user) if matches && !user.disabled => user,
        _ => {
            // The attempt is already counted; the audit log gets the failure (no actor, and not
            // the name typed: it may be anything).
            store.record(&AuditEvent::LoginFailed, None).await?;
            return Err(AccountError::BadCredentials);
        }
    };
    store.clear_login_failures(&key).await?;
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

/// The attempts from each address over the limit, queued one at a time in this process.
static SLOW_LANES: std::sync::LazyLock<
    std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<tokio::sync::Mutex<()>>>>,
> = std::sync::LazyLock::new(Default::default);

/// Waits for this address's turn and then [`ADDRESS_DELAY`]; the turn lasts while the returned
/// guard lives (the password check included), so parallel guesses from one address queue up.
async fn slow_lane(address: &str) -> tokio::sync::OwnedMutexGuard<()> {
    let lane = {
        let mut lanes = SLOW_LANES.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // Forget idle lanes now and then, so many addresses cannot grow the map for ever.
        if lanes.len() > 10_000 {
            lanes.retain(|_, lane| std::sync::Arc::strong_count(lane) > 1);
        }
        lanes.entry(address.to_owned()).or_default().clone()
    };
    let turn = lane.lock_owned().await;
    tokio::time::sleep(ADDRESS_DELAY).await;
    turn
}

/// Disables a user (ending every session and stopping their tokens) or enables them again.
/// An actor cannot disable themselves: the last administrator would be locked out.
pub async fn set_disabled(
    store: &dyn Store,
    actor: Option<UserId>,
    username: &str,
    disabled: bool,
) -> Result<(), AccountError> {
    let username = Username::parse(username).map_err(|_| AccountError::UnknownUser)?;
    let user = store.user_by_username(&username).await?.ok_or(AccountError::UnknownUser)?;
    if disabled && actor == Some(user.id) {
        return Err(AccountError::CannotDisableSelf);
    }
    if !store.set_user_disabled(&username, disabled, actor).await? {
        return Err(AccountError::UnknownUser);
    }
    Ok(())
}

/// Revokes an API token; `false` when there was no such token.
pub async fn revoke_api_token(store: &dyn Store, actor: Option<UserId>, id: ApiTokenId) -> Result<bool, AccountError> {
    Ok(store.revoke_api_token(id, actor).await?)
}

/// Ends the session whose cookie secret is given, if any; the store records the logout with
/// the session's own user.
pub async fn logout(store: &dyn Store, session_secret: Option<&str>) -> Result<(), StoreError> {
    if let Some(secret) = session_secret {
        store.delete_session(&secret_hash(secret)).await?;
    }
    Ok(())
}

/// Creates an API token for a user; returns the secret, shown once. A token carries its user's
/// rights, so a user (`actor`) may make one only for a user whose role may do nothing theirs
/// may not ([`Role::is_within`]): an administrator cannot lend themselves a caseworker's
/// unsuppressed figures and cases through a token. `None` is the operator at the server's
/// command line, who holds the database anyway.
pub async fn create_api_token(
    store: &dyn Store,
    actor: Option<&User>,
    username: &str,
    name: &str,
) -> Result<String, AccountError> {
    let name = check_token_name(name)?;
    let username = Username::parse(username)?;
    let user = store.user_by_username(&username).await?.ok_or(AccountError::UnknownUser)?;
    if let Some(maker) = actor
        && !user.role.is_within(maker.role)
    {
        return Err(AccountError::TokenBeyondMaker);
    }
    let actor = actor.map(|maker| maker.id);
    let secret = format!("indsats_{}", new_secret());
    let token = NewApiToken { user: user.id, name: name.to_owned(), token_hash: secret_hash(&secret) };
    store.create_api_token(&token, actor).await?;
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hash_verifies_only_the_right_password() {
        let p = Password::parse("korrekt-hest-batteri").unwrap();
        let hash = hash_password(&p).unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "korrekt-hest-batteri"));
        assert!(!verify_password(&hash, "korrekt-hest-batteri "));
        assert!(!verify_password("not a hash", "x"));
        // Salted: the same password hashes differently.
        assert_ne!(hash, hash_password(&p).unwrap());
    }

    #[test]
    fn secrets_are_random_and_hashes_are_hex_sha256() {
        let a = new_secret();
        assert_eq!(a.len(), 43);
        assert_ne!(a, new_secret());
        assert_eq!(secret_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn display_names_and_token_purposes_have_limits_counted_in_characters() {
        assert_eq!(check_display_name("  Åse Ørsted  ").unwrap(), "Åse Ørsted");
        assert!(matches!(check_display_name("   "), Err(AccountError::DisplayNameEmpty)));
        assert!(check_display_name(&"æ".repeat(DISPLAY_NAME_MAX)).is_ok(), "100 two-byte letters fit");
        assert!(matches!(check_display_name(&"æ".repeat(DISPLAY_NAME_MAX + 1)), Err(AccountError::DisplayNameTooLong)));
        assert!(check_token_name(&"x".repeat(TOKEN_NAME_MAX)).is_ok());
        assert!(matches!(check_token_name(&"x".repeat(TOKEN_NAME_MAX + 1)), Err(AccountError::TokenNameTooLong)));
        assert!(matches!(check_token_name(" "), Err(AccountError::TokenNameEmpty)));
        let problems = check_new_user("ny", &"n".repeat(DISPLAY_NAME_MAX + 1), &" ".repeat(20));
        let fields: Vec<_> = problems.iter().filter_map(AccountError::field_error).collect();
        assert_eq!(fields, [("display_name", "error-display-name-long"), ("password", "error-password-blank")]);
    }
}
