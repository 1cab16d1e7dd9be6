//! Users: who may log in, with which role.

use indsats_domain::{Role, Username};

use crate::{StoreError, unix_now};

/// A user's database id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UserId(pub i64);

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
        Ok(User {
            id: UserId(row.id),
            username: Username::parse(&row.username)
                .map_err(|e| StoreError::Corrupt { column: "users.username", detail: e.to_string() })?,
            display_name: row.display_name,
            role: row.role.parse().map_err(|e: indsats_domain::role::UnknownRole| StoreError::Corrupt {
                column: "users.role",
                detail: e.to_string(),
            })?,
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

/// Persistence of users.
#[async_trait::async_trait]
pub trait Users {
    /// Creates a user; [`StoreError::Conflict`] if the name is taken.
    async fn create_user(&self, user: &NewUser) -> Result<UserId, StoreError>;
    /// Finds a user by login name, disabled or not.
    async fn user_by_username(&self, username: &Username) -> Result<Option<User>, StoreError>;
    /// All users, ordered by name.
    async fn list_users(&self) -> Result<Vec<User>, StoreError>;
    /// Disables or re-enables a user; a disabled user's sessions and tokens stop working.
    /// Returns false when no such user exists.
    async fn set_user_disabled(&self, username: &Username, disabled: bool) -> Result<bool, StoreError>;
    /// How many users exist; zero means a fresh installation.
    async fn count_users(&self) -> Result<i64, StoreError>;
}

impl_for_both! {
    impl Users {
        async fn create_user(&self, user: &NewUser) -> Result<UserId, StoreError> {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO users (username, display_name, role, password_hash, disabled, created_at) \
                 VALUES ($1, $2, $3, $4, FALSE, $5) RETURNING id",
            )
            .bind(user.username.as_str())
            .bind(&user.display_name)
            .bind(user.role.as_str())
            .bind(&user.password_hash)
            .bind(unix_now())
            .fetch_one(&self.pool)
            .await?;
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

        async fn set_user_disabled(&self, username: &Username, disabled: bool) -> Result<bool, StoreError> {
            let mut tx = self.pool.begin().await?;
            let updated = sqlx::query("UPDATE users SET disabled = $1 WHERE username = $2")
                .bind(disabled)
                .bind(username.as_str())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if disabled {
                sqlx::query("DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE username = $1)")
                    .bind(username.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(updated > 0)
        }

        async fn count_users(&self) -> Result<i64, StoreError> {
            Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&self.pool).await?)
        }
    }
}
