//! The store's one error type.

/// What can go wrong in the operational database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be reached or opened. `target` is safe to show:
    /// a file path, or a URL with its password removed.
    #[error("cannot open the database at {target}: {source}")]
    Unavailable {
        /// Where we tried to connect.
        target: String,
        /// Why it failed.
        #[source]
        source: sqlx::Error,
    },
    /// A unique constraint was broken: the thing already exists.
    #[error("already exists: {0}")]
    Conflict(String),
    /// A stored value could not be read back as its domain type: the row is reported, not
    /// skipped, so nothing quietly disappears from a page. `table` and `key` (the row's
    /// primary key) say where to look; neither, nor `detail`, holds personal data.
    #[error("corrupt row in {table} ({key}): {detail}")]
    Corrupt {
        /// The table.
        table: &'static str,
        /// The row's primary key, e.g. `id=7` or `plan_id=p, action_id=a1`.
        key: String,
        /// Which column and what was wrong with it.
        detail: String,
    },
    /// The schema could not be migrated.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Any other database error.
    #[error("database error: {0}")]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Conflict(db.constraint().unwrap_or("unique").to_owned())
            }
            _ => StoreError::Database(err),
        }
    }
}

impl StoreError {
    /// A [`StoreError::Corrupt`] for `column` of the row `key` in `table`.
    pub(crate) fn corrupt(table: &'static str, key: String, column: &str, problem: impl std::fmt::Display) -> Self {
        StoreError::Corrupt { table, key, detail: format!("{column}: {problem}") }
    }

    /// Whether the database could not be reached (as opposed to refusing a query):
    /// the user should be told to try again rather than that something broke.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Unavailable { .. } => true,
            StoreError::Database(err) => {
                matches!(err, sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_))
            }
            _ => false,
        }
    }
}

/// A database URL with its password replaced by `***`, fit for logs and error messages.
pub fn redact_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                // set_password only fails for URLs that cannot carry one.
                let _ = parsed.set_password(Some("***"));
            }
            parsed.to_string()
        }
        // Unparseable: show only the scheme, since we cannot tell where a password would be.
        Err(_) => raw
            .split_once("://")
            .map_or_else(|| "<invalid URL>".to_owned(), |(scheme, _)| format!("{scheme}://<invalid URL>")),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn password_is_removed_from_database_urls() {
        let shown = redact_url("postgres://indsats:hemmelig@db.example:5432/indsats");
        assert!(!shown.contains("hemmelig"));
        assert!(shown.contains("indsats:***@db.example:5432/indsats"));
        assert_eq!(redact_url("postgres://localhost/x"), "postgres://localhost/x");
        assert!(!redact_url("postgres://u:p@[bad").contains(":p@"));
    }
}
