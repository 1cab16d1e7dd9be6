//! The operational database of indsats.
//!
//! Two real backends sit behind one trait, [`Store`]: embedded SQLite (the
//! default, one file in the data directory, WAL mode) and PostgreSQL (production,
//! chosen by a `postgres://` URL). Each aggregate has its own module with its
//! own trait; the SQL is written once per module and compiled for both backends
//! by `impl_for_both!`, because the queries use only syntax both accept
//! (`$1` placeholders, `RETURNING`, `ON CONFLICT`, Unix-second timestamps).
//!
//! The traits speak domain types: ids ([`UserId`], [`indsats_domain::PlanId`], ...),
//! [`indsats_domain::plan::ActionStatus`], [`indsats_domain::Quarter`],
//! [`indsats_domain::MunicipalityCode`]; rows become domain values through `TryFrom`.
//! Every method that changes data writes its [`AuditEvent`] in its own transaction,
//! so a change and its audit row exist together or not at all (see [`audit`]).
//!
//! Error policy: every method returns [`StoreError`]; a broken unique constraint or a
//! stale revision becomes [`StoreError::Conflict`] so callers can tell the user; a stored
//! value that no longer parses is [`StoreError::Corrupt`], naming table and key, never
//! skipped; everything else is our problem and is logged, never shown.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

/// Writes one `impl` block for both backends. The body is compiled twice, once
/// against each pool type, so a query that one backend cannot run fails to
/// build or fails the shared test suite rather than in production.
macro_rules! impl_for_both {
    (impl $trait:ident { $($body:tt)* }) => {
        #[async_trait::async_trait]
        impl $trait for $crate::SqliteStore { $($body)* }
        #[async_trait::async_trait]
        impl $trait for $crate::PostgresStore { $($body)* }
    };
}

pub mod api_tokens;
pub mod audit;
pub mod audit_search;
pub mod case_figures;
pub mod cases;
pub mod citizen_accounts;
pub mod citizen_plans;
pub mod decisions;
pub mod exemptions;
pub mod login_failures;
pub mod oidc_logins;
pub mod plans;
pub mod report_archive;
pub mod rule_adoptions;
pub mod sessions;
pub mod site;
pub mod users;

mod error;

pub use api_tokens::{ApiToken, ApiTokens, NewApiToken};
pub use audit::{Audit, AuditEntry, BrokenLink, ChainSummary, ChainVerdict, LinkProblem};
pub use audit_search::{AuditPage, AuditQuery, AuditSearch};
pub use case_figures::{CaseFacts, CaseFigures, CaseOffer};
pub use cases::{
    CaseAccess, CaseFile, Cases, Citizen, Conversation, ConversationChange, NewCitizen, NewOffer, Offer, Profile,
    WorklistRow,
};
pub use citizen_accounts::{CaseRead, CitizenAccounts};
pub use citizen_plans::{CitizenPlans, PlanFile, PlanVersionSaved};
pub use decisions::{Appeal, Decision, Decisions, LetterFile};
pub use error::{StoreError, redact_url};
pub use exemptions::{Exemption, ExemptionFile, Exemptions, GroupCount, NewExemption};
pub use indsats_domain::{AuditEvent, UserId};
pub use login_failures::LoginFailures;
pub use oidc_logins::{OidcLogins, PendingLogin};
pub use plans::{
    ActionState, ActionStatusChange, GoalComment, GoalCommentChange, NewPlanVersion, PlanVersion, Plans, SaveOutcome,
    StoredPlan,
};
pub use report_archive::{
    Approval, ArchivedFile, ArchivedFormat, ArchivedReport, ArchivedReportId, NewArchivedReport, ReportArchive,
};
pub use rule_adoptions::{Adoption, RuleAdoptions};
pub use sessions::{NewSession, SessionUser, Sessions};
pub use site::{Site, SiteSettings};
pub use users::{NewUser, User, Users};

/// Everything the application needs from its operational database.
#[async_trait::async_trait]
pub trait Store:
    Users
    + Sessions
    + LoginFailures
    + ApiTokens
    + Audit
    + SiteSettings
    + Plans
    + Cases
    + CaseFigures
    + ReportArchive
    + CitizenPlans
    + Decisions
    + CitizenAccounts
    + OidcLogins
    + Exemptions
    + AuditSearch
    + RuleAdoptions
    + Send
    + Sync
{
    /// Checks that the database answers; used by the readiness probe.
    async fn ping(&self) -> Result<(), StoreError>;
    /// Which backend this is, for logs and the admin page.
    fn backend(&self) -> &'static str;
}

/// The embedded SQLite backend.
#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

/// The PostgreSQL backend.
#[derive(Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl SqliteStore {
    /// Opens (creating if missing) the database file and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        private_file(path)
            .map_err(|e| StoreError::Unavailable { target: path.display().to_string(), source: sqlx::Error::Io(e) })?;
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Unavailable { target: path.display().to_string(), source })?;
        SQLITE_MIGRATIONS.run(&pool).await?;
        Ok(Self { pool })
    }
}

/// Creates the database file readable by its owner only (0600), or takes group and world
/// access away from an existing one: it holds the users' password hashes and every citizen's
/// case. SQLite gives its `-wal` and `-shm` files the database file's mode.
#[cfg(unix)]
fn private_file(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    match std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path) {
        Ok(_) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            let mode = std::fs::metadata(path)?.permissions().mode();
            let open_to_others = mode & 0o077 != 0;
            if open_to_others {
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o700))
            } else {
                Ok(())
            }
        }
        Err(err) => Err(err),
    }
}

#[cfg(not(unix))]
fn private_file(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

impl PostgresStore {
    /// Connects to `url` and brings the schema up to date.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect(url)
            .await
            .map_err(|source| StoreError::Unavailable { target: redact_url(url), source })?;
        POSTGRES_MIGRATIONS.run(&pool).await?;
        Ok(Self { pool })
    }
}

#[async_trait::async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
    fn backend(&self) -> &'static str {
        "sqlite"
    }
}

#[async_trait::async_trait]
impl Store for PostgresStore {
    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
    fn backend(&self) -> &'static str {
        "postgres"
    }
}

/// Where the operational data lives.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    /// An SQLite file.
    Sqlite(std::path::PathBuf),
    /// A PostgreSQL URL.
    Postgres(String),
}

impl std::fmt::Debug for Location {
    // The URL may carry a password; never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "Sqlite({})", path.display()),
            Location::Postgres(url) => write!(f, "Postgres({})", redact_url(url)),
        }
    }
}

/// Opens the store at `location`, migrating it to the current schema.
pub async fn open(location: &Location) -> Result<Arc<dyn Store>, StoreError> {
    Ok(match location {
        Location::Sqlite(path) => Arc::new(SqliteStore::open(path).await?),
        Location::Postgres(url) => Arc::new(PostgresStore::connect(url).await?),
    })
}

/// The current time as Unix seconds, the unit every timestamp column uses.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
