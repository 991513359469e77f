//! Pathways storage on SQLite (the demo, small councils) and PostgreSQL (real
//! councils, regional deployments), from one codebase.
//!
//! Every query is written once in SQL both databases accept and runs against
//! either pool through [`with_pool!`]; each backend has its own migrations with the
//! same version numbers. No business rules and no HTML live here.

mod allocations;
mod audit;
mod compliance;
mod contacts;
mod photos;
mod plans;
mod practice;
mod rows;
mod search;
mod sessions;
mod ssda903;
mod staff;
mod support;
mod young_people;

pub use allocations::{AdviserCaseload, Reallocation, UnallocatedRecord};
pub use audit::{AuditEntry, AuditRecord};
pub use compliance::{ComplianceScope, PracticeFacts};
pub use contacts::ContactRecord;
pub use plans::{PlanRecord, PlanStep};
pub use practice::{NeedsAssessmentRecord, NewTask, TaskRecord};
pub use search::{MAX_NAME_WORDS, SearchHit, SearchQuery, SearchScope};
pub use sessions::SessionRecord;
pub use ssda903::{ImportSummary, Ssda903Person, Ssda903Record, StoredOc3};
pub use staff::NewStaff;
pub use support::{Arrangement, NewPayment, PaymentRecord};
pub use young_people::{AllocationRecord, CaseloadRecord, NewYoungPerson, PracticeHistory, YoungPersonRecord};

use sqlx::migrate::{MigrateError, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// What can go wrong in the store, worded for the person running Pathways.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database URL {0:?} is not understood: use sqlite:FILE or postgres://…")]
    BadUrl(String),
    #[error("cannot connect to the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error(
        "the database has migration {0} which this version of Pathways does not know: is it newer than this program?"
    )]
    UnknownMigration(i64),
    #[error("migration {0} was changed after it was applied to this database; restore the original file")]
    ChangedMigration(i64),
    #[error("migrating the database failed: {0}")]
    Migrate(#[source] MigrateError),
    #[error("the database has not been set up: run `pathways migrate --database-url …` first")]
    NotMigrated,
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error("{0}")]
    Conflict(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A connection pool to one of the two supported databases.
#[derive(Debug, Clone)]
pub enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same code against whichever pool the store holds. The body is type
/// checked once per backend, so SQL and bindings must suit both.
macro_rules! with_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            $crate::Store::Sqlite($pool) => $body,
            $crate::Store::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

impl Store {
    /// Connects to `sqlite:FILE` (created when missing) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Store> {
        match Backend::of_url(url) {
            Some(Backend::Sqlite) => {
                let options = SqliteConnectOptions::from_str(url)
                    .map_err(|_| StoreError::BadUrl(url.to_owned()))?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(5));
                let pool = SqlitePoolOptions::new()
                    .max_connections(8)
                    .connect_with(options)
                    .await
                    .map_err(StoreError::Connect)?;
                Ok(Store::Sqlite(pool))
            }
            Some(Backend::Postgres) => {
                let options = PgConnectOptions::from_str(url).map_err(|_| StoreError::BadUrl(url.to_owned()))?;
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
                    .await
                    .map_err(StoreError::Connect)?;
                Ok(Store::Postgres(pool))
            }
            None => Err(StoreError::BadUrl(url.to_owned())),
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Store::Sqlite(_) => Backend::Sqlite,
            Store::Postgres(_) => Backend::Postgres,
        }
    }

    fn migrator(&self) -> &'static Migrator {
        match self {
            Store::Sqlite(_) => &SQLITE_MIGRATIONS,
            Store::Postgres(_) => &POSTGRES_MIGRATIONS,
        }
    }

    /// Applies any migrations not yet applied, each in its own transaction.
    pub async fn migrate(&self) -> Result<()> {
        let result = with_pool!(self, pool => self.migrator().run(pool).await);
        result.map_err(|e| match e {
            MigrateError::VersionMissing(v) => StoreError::UnknownMigration(v),
            MigrateError::VersionMismatch(v) => StoreError::ChangedMigration(v),
            other => StoreError::Migrate(other),
        })
    }

    /// Fails with [`StoreError::NotMigrated`] unless every migration is applied.
    pub async fn check_migrated(&self) -> Result<()> {
        let applied: Vec<i64> = with_pool!(self, pool => {
            sqlx::query_scalar::<_, i64>("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
                .fetch_all(pool)
                .await
        })
        .map_err(|_| StoreError::NotMigrated)?;
        let known: Vec<i64> = self.migrator().iter().map(|m| m.version).collect();
        if let Some(unknown) = applied.iter().find(|v| !known.contains(v)) {
            return Err(StoreError::UnknownMigration(*unknown));
        }
        if known.iter().any(|v| !applied.contains(v)) {
            return Err(StoreError::NotMigrated);
        }
        Ok(())
    }

    /// The migration versions this program carries for the store's backend.
    pub fn known_migrations(&self) -> Vec<i64> {
        self.migrator().iter().map(|m| m.version).collect()
    }

    /// A cheap round trip, for health checks.
    pub async fn ping(&self) -> Result<()> {
        with_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        let value = with_pool!(self, pool => {
            sqlx::query_scalar::<_, String>("SELECT value FROM settings WHERE key = $1")
                .bind(key)
                .fetch_optional(pool)
                .await
        })?;
        Ok(value)
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        with_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO settings (key, value) VALUES ($1, $2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(key)
            .bind(value)
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
        })?;
        Ok(())
    }

    pub async fn close(&self) {
        with_pool!(self, pool => pool.close().await);
    }
}

/// The migration files of both backends, for the test that keeps them in step.
pub fn migration_versions() -> (Vec<i64>, Vec<i64>) {
    (
        SQLITE_MIGRATIONS.iter().map(|m| m.version).collect(),
        POSTGRES_MIGRATIONS.iter().map(|m| m.version).collect(),
    )
}
