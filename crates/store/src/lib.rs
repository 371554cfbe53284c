//! Målkedja's store: one API over SQLite (embedded, the default) and PostgreSQL
//! (production, several web nodes).
//!
//! Both backends run the same SQL through sqlx's `Any` driver: queries use `$N`
//! parameters, which both accept, and store dates, timestamps and exact decimals as text so
//! that they behave the same on both. Every write goes through a [`Writer`]: one
//! transaction that also appends to the audit trail. Reads go through [`Store`].

mod accounts;
mod archive;
mod bulk;
mod calendar;
mod carry_forward;
pub mod demo;
mod document;
mod editing;
mod error;
mod fill;
mod followup;
mod history;
pub mod import;
mod memo;
mod migrate;
mod org;
pub mod password;
mod read;
mod ready;
mod reports;
mod rollup;
mod rows;
mod selection;
pub mod sessions;
mod structure;
pub mod synthetic;
mod templates;
mod url;
mod versioned;
mod workflow;
mod writer;

pub use archive::{
    FreezeFuture, FreezeInput, FreezeSource, Freezer, Frozen, FrozenInfo, FrozenPart, FrozenParts,
    Mismatch, sha256_hex,
};
pub use carry_forward::{CarriedGoal, CarryCounts, CarryOutcome, CarryPreview};
pub use document::{DocRef, Item};
pub use editing::{
    ActivityEdit, GoalEdit, GoalForEditing, IndicatorEdit, IndicatorForEditing, Move,
};
pub use error::StoreError;
pub use history::{
    HISTORY_PAGE_MAX, HistoryEvent, HistoryPage, HistorySubject, ItemName, ItemNames,
};
pub use memo::StoredMemo;
pub use read::{AuditEvent, PlanOverview, UnitOverview, count_queries};
pub use ready::ReadyMark;
pub use reports::{
    AssessmentWrite, EconomyInput, EconomyLineInput, FollowUpWrites, OutcomeWrite, ReportRef,
    ReportTransitionRecord, SectionWrite, StatusWrite, previous_kinds, report_locked_reason,
};
pub use selection::{PlanChoices, PlanFacts};
pub use sessions::{
    ApiToken, NewSession, SessionInfo, SessionSecret, SignedIn, TokenInfo, TokenSecret,
};
pub use structure::{OwnerCount, StructureCopy};
pub use templates::StoredTemplate;
pub use url::{Backend, DatabaseUrl};
pub use workflow::{PlanSnapshot, PlanTransitionRecord};
pub use writer::Writer;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;

/// A handle on the database. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    /// SQLite: the connection writers use, of their own, so that the writer holding
    /// `write_lock` never queues for a connection behind the readers in `pool` (which
    /// starved writes under many readers). PostgreSQL writes through `pool`.
    write_pool: Option<AnyPool>,
    backend: Backend,
    /// SQLite allows one writer: writes in this process wait here instead of failing with
    /// "database is locked".
    write_lock: Arc<Mutex<()>>,
    /// Renders archive copies at approval (`archive.rs`); `None`: approvals freeze nothing.
    freezer: Option<Arc<dyn Freezer>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish()
    }
}

impl Store {
    /// Connects to the database the URL names, creating an SQLite file (and its folder)
    /// when it does not exist. Does not migrate: call [`Store::migrate`].
    pub async fn connect(url: &DatabaseUrl) -> Result<Store, StoreError> {
        install_default_drivers();
        let backend = url.backend();
        if let DatabaseUrl::Sqlite(path) = url
            && let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Io {
                path: dir.display().to_string(),
                message: e.to_string(),
            })?;
        }
        let connect = |max_connections: u32| async move {
            AnyPoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .after_connect(move |conn, _meta| {
                    Box::pin(async move {
                        if backend == Backend::Sqlite {
                            conn.execute("PRAGMA foreign_keys = ON").await?;
                            conn.execute("PRAGMA journal_mode = WAL").await?;
                            conn.execute("PRAGMA synchronous = NORMAL").await?;
                            conn.execute("PRAGMA busy_timeout = 5000").await?;
                        }
                        Ok(())
                    })
                })
                .connect(&url.connect_string())
                .await
                .map_err(|e| StoreError::Connect {
                    url: url.redacted(),
                    message: e.to_string(),
                })
        };
        let (pool, write_pool) = match backend {
            Backend::Sqlite => (connect(4).await?, Some(connect(1).await?)),
            Backend::Postgres => (connect(10).await?, None),
        };
        Ok(Store {
            pool,
            write_pool,
            backend,
            write_lock: Arc::new(Mutex::new(())),
            freezer: None,
        })
    }

    /// Connects and applies any migrations not yet applied.
    pub async fn open(url: &DatabaseUrl) -> Result<Store, StoreError> {
        let store = Store::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Applies the migrations not yet applied. Safe to run from several processes at once
    /// on PostgreSQL (it takes an advisory lock).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        migrate::migrator(self.backend)
            .run(&self.pool)
            .await
            .map_err(|e| StoreError::Migrate(e.to_string()))
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Starts a write transaction on behalf of `actor` (a user name, "demo", "import").
    /// Nothing is stored until [`Writer::commit`]; dropping the writer rolls back.
    pub async fn begin_write(&self, actor: &str) -> Result<Writer, StoreError> {
        let guard = match self.backend {
            Backend::Sqlite => Some(self.write_lock.clone().lock_owned().await),
            Backend::Postgres => None,
        };
        let tx = match (self.backend, &self.write_pool) {
            (Backend::Sqlite, Some(writers)) => writers.begin_with("BEGIN IMMEDIATE").await?,
            (Backend::Sqlite, None) => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            (Backend::Postgres, _) => self.pool.begin().await?,
        };
        let mut w = Writer::new(tx, guard, actor);
        w.freezer = self.freezer.clone();
        Ok(w)
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Closes the pool, waiting for connections in use to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
        if let Some(writers) = &self.write_pool {
            writers.close().await;
        }
    }
}

/// The current time as stored: UTC, fixed width, so that text order is time order.
pub(crate) fn now_text() -> String {
    timestamp_text(time::OffsetDateTime::now_utc())
}

pub(crate) fn timestamp_text(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let fmt = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z"
    );
    t.format(&fmt).unwrap_or_else(|_| t.to_string())
}

pub(crate) fn parse_timestamp(s: &str) -> Result<time::OffsetDateTime, StoreError> {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .map_err(|e| StoreError::Corrupt(format!("tidpunkt {s:?}: {e}")))
}

pub mod testing;

#[cfg(test)]
mod tests {
    use std::time::Duration;

    /// SQLite has one writer at a time: writers queue on the store's lock, and the one
    /// holding it must not then queue behind the readers for a connection as well (with 150
    /// readers that made every save wait 7–13 s; scripts/load-test, docs/benchmarks.md).
    #[tokio::test]
    async fn an_sqlite_writer_does_not_wait_for_the_readers_connections() {
        let db = crate::testing::sqlite().await;
        let mut readers = Vec::new();
        for _ in 0..db.store.pool.options().get_max_connections() {
            readers.push(db.store.conn().await.expect("a reader's connection"));
        }
        let writer = tokio::time::timeout(Duration::from_secs(5), db.store.begin_write("test"))
            .await
            .expect("the writer has a connection while the readers hold all of theirs")
            .expect("a write transaction begins");
        writer.commit().await.expect("commit");
        drop(readers);
        db.finish().await;
    }
}
