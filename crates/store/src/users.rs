//! Users: who may log in, with which role.

use indsats_domain::{AuditEvent, Role, UserId, Username};

use crate::{StoreError, unix_now};

/// A user as stored, password hash included (it never leaves the server).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Database id.
    pub id: UserId,
    /// Login name.
    pub username: Username,
    /// Name shown in the UI.
    pub display_name: String,
    /// The one role the user holds.
    pub role: Role,
    /// Argon2 PHC string.
    pub password_hash: String,
    /// A disabled user cannot log in and loses their sessions.
    pub disabled: bool,
    /// When the user was created (Unix seconds).
    pub created_at: i64,
}

/// A user about to be created.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Login name.
    pub username: Username,
    /// Name shown in the UI.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Argon2 PHC string, already hashed.
    pub password_hash: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    password_hash: String,
    disabled: bool,
    created_at: i64,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(row: UserRow) -> Result<Self, StoreError> {
        let key = || format!("id={}", row.id);
        Ok(User {
            id: UserId(row.id),
            username: Username::parse(&row.username).map_err(|e| StoreError::corrupt("users", key(), "username", e))?,
            display_name: row.display_name,
            role: row
                .role
                .parse()
                .map_err(|e: indsats_domain::role::UnknownRole| StoreError::corrupt("users", key(), "role", e))?,
            password_hash: row.password_hash,
            disabled: row.disabled,
            created_at: row.created_at,
        })
    }
}

/// The columns [`UserRow`] reads, from a `users` table aliased `u`. A macro, not a
/// constant, because sqlx only accepts SQL that is fixed at compile time.
macro_rules! user_columns {
    () => {
        "u.id, u.username, u.display_name, u.role, u.password_hash, u.disabled, u.created_at"
    };
}
pub(crate) use user_columns;

/// Persistence of users. The changes write their audit event in their own transaction.
#[async_trait::async_trait]
pub trait Users {
    /// Creates a user and records `user.create` by `actor`; [`StoreError::Conflict`] if the
    /// name is taken.
    async fn create_user(&self, user: &NewUser, actor: Option<UserId>) -> Result<UserId, StoreError>;
    /// Finds a user by login name, disabled or not.
    async fn user_by_username(&self, username: &Username) -> Result<Option<User>, StoreError>;
    /// All users, ordered by name.
    async fn list_users(&self) -> Result<Vec<User>, StoreError>;
    /// Disables or re-enables a user and records `user.disable` or `user.enable` by `actor`;
    /// a disabled user's sessions end and their tokens stop working. Returns false, and
    /// records nothing, when no such user exists.
    async fn set_user_disabled(
        &self,
        username: &Username,
        disabled: bool,
        actor: Option<UserId>,
    ) -> Result<bool, StoreError>;
    /// How many users exist; zero means a fresh installation.
    async fn count_users(&self) -> Result<i64, StoreError>;
    /// Replaces a user's password hash (an Argon2 PHC string, already hashed) and records
    /// `user.password` by `actor`; the user's sessions stay. Returns false, and records
    /// nothing, when no such user exists.
    async fn set_password_hash(
        &self,
        username: &Username,
        password_hash: &str,
        actor: Option<UserId>,
    ) -> Result<bool, StoreError>;
}

impl_for_both! {
    impl Users {
        async fn create_user(&self, user: &NewUser, actor: Option<UserId>) -> Result<UserId, StoreError> {
            let now = unix_now();
            let mut tx = self.pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO users (username, display_name, role, password_hash, disabled, created_at) \
                 VALUES ($1, $2, $3, $4, FALSE, $5) RETURNING id",
            )
            .bind(user.username.as_str())
            .bind(&user.display_name)
            .bind(user.role.as_str())
            .bind(&user.password_hash)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let event = AuditEvent::UserCreated { user: UserId(id), username: user.username.clone(), role: user.role };
            crate::audit::append_audit!(tx, &event, actor, now);
            tx.commit().await?;
            Ok(UserId(id))
        }

        async fn user_by_username(&self, username: &Username) -> Result<Option<User>, StoreError> {
            let row: Option<crate::users::UserRow> =
                sqlx::query_as(concat!("SELECT ", crate::users::user_columns!(), " FROM users u WHERE u.username = $1"))
                .bind(username.as_str())
                .fetch_optional(&self.pool)
                .await?;
            row.map(User::try_from).transpose()
        }

        async fn list_users(&self) -> Result<Vec<User>, StoreError> {
            let rows: Vec<crate::users::UserRow> =
                sqlx::query_as(concat!("SELECT ", crate::users::user_columns!(), " FROM users u ORDER BY u.username"))
                    .fetch_all(&self.pool)
                    .await?;
            rows.into_iter().map(User::try_from).collect()
        }

        async fn set_user_disabled(
            &self,
            username: &Username,
            disabled: bool,
            actor: Option<UserId>,
        ) -> Result<bool, StoreError> {
            let mut tx = self.pool.begin().await?;
            let id: Option<i64> = sqlx::query_scalar("UPDATE users SET disabled = $1 WHERE username = $2 RETURNING id")
                .bind(disabled)
                .bind(username.as_str())
                .fetch_optional(&mut *tx)
                .await?;
            let Some(id) = id.map(UserId) else {
                tx.rollback().await?;
                return Ok(false);
            };
            let username = username.clone();
            let event = if disabled {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id.0).execute(&mut *tx).await?;
                AuditEvent::UserDisabled { user: id, username }
            } else {
                AuditEvent::UserEnabled { user: id, username }
            };
            crate::audit::append_audit!(tx, &event, actor, unix_now());
            tx.commit().await?;
            Ok(true)
        }

        async fn count_users(&self) -> Result<i64, StoreError> {
            Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&self.pool).await?)
        }

        async fn set_password_hash(
            &self,
            username: &Username,
            password_hash: &str,
            actor: Option<UserId>,
        ) -> Result<bool, StoreError> {
            let mut tx = self.pool.begin().await?;
            let id: Option<i64> =
                sqlx::query_scalar("UPDATE users SET password_hash = $1 WHERE username = $2 RETURNING id")
                    .bind(password_hash)
                    .bind(username.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some(id) = id.map(UserId) else {
                tx.rollback().await?;
                return Ok(false);
            };
            let event = AuditEvent::PasswordSet { user: id, username: username.clone() };
            crate::audit::append_audit!(tx, &event, actor, unix_now());
            tx.commit().await?;
            Ok(true)
        }
    }
}
