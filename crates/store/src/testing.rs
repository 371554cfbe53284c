//! Test support: a fresh database on each backend, for this crate's tests and the web
//! layer's.
//!
//! SQLite tests always run. PostgreSQL tests run when `MALKEDJA_TEST_POSTGRES_URL` names a
//! server (a database on it that the tests may connect to, e.g.
//! `postgres://postgres@127.0.0.1:5432/postgres`); each test gets its own new database,
//! dropped at the end. Without the variable the PostgreSQL tests print that they were
//! skipped, except under `CI=true`, where a missing PostgreSQL fails the run.

use crate::{DatabaseUrl, Store};
use malkedja_domain::{GoalId, GoalLevel, GoalSection, NewGoal, NewNode, NodeId, OrgKind, PlanId};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A database made for one test.
pub struct TestDb {
    pub store: Store,
    pub url: DatabaseUrl,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(PathBuf),
    Database { admin_url: String, name: String },
}

fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

/// A migrated SQLite database in a new temporary folder.
pub async fn sqlite() -> TestDb {
    sqlite_up_to(i64::MAX).await
}

/// Connects to `url` and applies the migrations up to and including `last`.
async fn open_up_to(url: &DatabaseUrl, last: i64) -> Store {
    let store = Store::connect(url)
        .await
        .expect("connect to the test database");
    crate::migrate::migrator_up_to(store.backend, last)
        .run(&store.pool)
        .await
        .expect("migrate the test database");
    store
}

async fn sqlite_up_to(last: i64) -> TestDb {
    let dir = std::env::temp_dir().join(unique("malkedja_test"));
    let url = DatabaseUrl::Sqlite(dir.join("malkedja.db"));
    let store = open_up_to(&url, last).await;
    TestDb {
        store,
        url,
        cleanup: Cleanup::Dir(dir),
    }
}

/// The admin URL of the test PostgreSQL server, or `None` (with a notice) when tests should
/// skip PostgreSQL. Panics under `CI=true` when it is not set.
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var("MALKEDJA_TEST_POSTGRES_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!(
                    "MALKEDJA_TEST_POSTGRES_URL is not set, and under CI=true the PostgreSQL tests must run"
                );
            }
            eprintln!(
                "NOTICE: PostgreSQL store test skipped: set MALKEDJA_TEST_POSTGRES_URL to run it"
            );
            None
        }
    }
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_part = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{host_part}/{name}?{q}"),
        None => format!("{host_part}/{name}"),
    }
}

/// A migrated PostgreSQL database of its own, or `None` when PostgreSQL tests are skipped.
pub async fn postgres() -> Option<TestDb> {
    postgres_up_to(i64::MAX).await
}

async fn postgres_up_to(last: i64) -> Option<TestDb> {
    let admin_url = postgres_admin_url()?;
    let name = unique("malkedja_t");
    let admin = Store::connect(&DatabaseUrl::parse(&admin_url).expect("admin url"))
        .await
        .expect("connect to MALKEDJA_TEST_POSTGRES_URL");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin.pool)
        .await
        .expect("create test database");
    admin.close().await;
    let url = DatabaseUrl::parse(&with_database(&admin_url, &name)).expect("test url");
    let store = open_up_to(&url, last).await;
    Some(TestDb {
        store,
        url,
        cleanup: Cleanup::Database { admin_url, name },
    })
}

/// The real documents of the corpus (`$MALKEDJA_CORPUS_DIR/seeds`, or `../shared/seeds`
/// beside the workspace), each as (path, bytes), in name order. `None`, with a notice, when
/// they are not here, except under `CI=true`, where they must be.
pub fn seed_files() -> Option<Vec<(String, Vec<u8>)>> {
    let dir = std::env::var_os("MALKEDJA_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
        .join("seeds");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .collect()
        })
        .unwrap_or_default();
    if files.is_empty() {
        assert!(
            !std::env::var("CI").is_ok_and(|v| v == "true"),
            "the seed documents are missing from {}, and under CI=true they must be there",
            dir.display()
        );
        eprintln!("NOTICE: corpus test skipped: no seeds in {}", dir.display());
        return None;
    }
    files.sort();
    Some(
        files
            .into_iter()
            .map(|p| {
                let bytes = std::fs::read(&p).expect("a seed document can be read");
                (p.display().to_string(), bytes)
            })
            .collect(),
    )
}

/// Another fresh database on the same backend as `store`, for tests that compare several
/// databases (PostgreSQL is there: `store` runs on it).
pub async fn same_backend(store: &Store) -> TestDb {
    match store.backend() {
        crate::Backend::Sqlite => sqlite().await,
        crate::Backend::Postgres => postgres().await.expect("PostgreSQL is configured"),
    }
}

/// A fresh database on the same backend as `store`, migrated only up to and including
/// migration `last`: for a test of what a later migration does to the rows it finds (write
/// them with [`execute_raw`], then [`Store::migrate`]).
pub async fn same_backend_up_to(store: &Store, last: i64) -> TestDb {
    match store.backend() {
        crate::Backend::Sqlite => sqlite_up_to(last).await,
        crate::Backend::Postgres => postgres_up_to(last)
            .await
            .expect("PostgreSQL is configured"),
    }
}

impl TestDb {
    /// Closes the store and removes the database.
    pub async fn finish(self) {
        self.store.close().await;
        match self.cleanup {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Database { admin_url, name } => {
                if let Ok(url) = DatabaseUrl::parse(&admin_url)
                    && let Ok(admin) = Store::connect(&url).await
                {
                    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                    )))
                    .execute(&admin.pool)
                    .await;
                    admin.close().await;
                }
            }
        }
    }
}

/// Runs a statement of a test's own on the store's database, outside any [`crate::Writer`]:
/// for tests that must do what the store never does (break a frozen archive copy to see
/// that `verify_archive` notices). Returns how many rows it changed.
pub async fn execute_raw(store: &Store, statement: &str) -> Result<u64, crate::StoreError> {
    Ok(sqlx::query(sqlx::AssertSqlSafe(statement.to_string()))
        .execute(&store.pool)
        .await?
        .rows_affected())
}

/// Waits until another writer of `store` is blocked behind an open write transaction, so
/// that a test can stage a real race: writer A writes and keeps its transaction open,
/// writer B starts and tries to write, and only then A commits. On PostgreSQL it waits until
/// a session of the test database waits for a lock (B's write waits on A's row); on SQLite
/// writers queue on the store's write lock, which cannot be observed, so it only gives B a
/// moment to get there. Returns false when no writer blocked within ten seconds.
pub async fn wait_for_blocked_writer(store: &Store) -> bool {
    use sqlx::Row;
    if store.backend == crate::Backend::Sqlite {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        return true;
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::time::Instant::now() < deadline {
        let waiting = sqlx::query(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
        .fetch_one(&store.pool)
        .await
        .and_then(|r| r.try_get::<i64, _>(0));
        if waiting.is_ok_and(|n| n > 0) {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    false
}

/// Runs the same test body against SQLite and PostgreSQL: `both_backends!(name, |store| async move { … });`
/// makes the tests `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let db = $crate::testing::sqlite().await;
                ($body)(db.store.clone()).await;
                db.finish().await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some(db) = $crate::testing::postgres().await else {
                    return;
                };
                ($body)(db.store.clone()).await;
                db.finish().await;
            }
        }
    };
}

/// A small organisation for tests: city → board → administration → department → unit,
/// the council's direction goal 1 and area goal 1.1, a board goal under it with a
/// description, and the unit's draft plan for 2025, which takes the board goal.
pub struct SmallOrg {
    pub city: NodeId,
    pub board: NodeId,
    pub administration: NodeId,
    pub department: NodeId,
    pub unit: NodeId,
    pub direction_goal: GoalId,
    pub area_goal: GoalId,
    pub board_goal: GoalId,
    pub plan: PlanId,
}

/// Stores a [`SmallOrg`], committed.
pub async fn small_org(store: &Store) -> SmallOrg {
    let mut w = store.begin_write("test").await.expect("a writer");
    let mut ids = Vec::new();
    let mut parent = None;
    for (kind, name) in [
        (OrgKind::City, "Staden"),
        (OrgKind::Board, "Nämnden"),
        (OrgKind::Administration, "Förvaltningen"),
        (OrgKind::Department, "Avdelningen"),
        (OrgKind::Unit, "Enheten"),
    ] {
        let node = w
            .create_node(NewNode {
                parent_id: parent,
                kind,
                name: name.into(),
                position: 0,
            })
            .await
            .expect("a node");
        parent = Some(node.id);
        ids.push(node.id);
    }
    let goal = |level, owner, parent, number: Option<&str>, title: &str| NewGoal {
        year: 2025,
        level,
        owner_id: owner,
        parent_id: parent,
        number: number.map(Into::into),
        title: title.into(),
        position: 0,
    };
    let direction = w
        .create_goal(goal(
            GoalLevel::Direction,
            ids[0],
            None,
            Some("1"),
            "Inriktning",
        ))
        .await
        .expect("a direction goal");
    let area = w
        .create_goal(goal(
            GoalLevel::Area,
            ids[0],
            Some(direction.id),
            Some("1.1"),
            "Område",
        ))
        .await
        .expect("an area goal");
    let board = w
        .create_goal(goal(
            GoalLevel::Board,
            ids[1],
            Some(area.id),
            None,
            "Nämndens mål",
        ))
        .await
        .expect("a board goal");
    w.set_goal_text(
        board.id,
        GoalSection::Description,
        "Nämndens beskrivning",
        time::macros::datetime!(2024-12-01 0:00 UTC),
    )
    .await
    .expect("a text");
    let plan = w.create_plan(ids[4], 2025).await.expect("a plan");
    w.select_goal(plan.id, board.id).await.expect("selected");
    w.commit().await.expect("committed");
    SmallOrg {
        city: ids[0],
        board: ids[1],
        administration: ids[2],
        department: ids[3],
        unit: ids[4],
        direction_goal: direction.id,
        area_goal: area.id,
        board_goal: board.id,
        plan: plan.id,
    }
}

/// Gives a [`SmallOrg`]'s plan what the plan check asks before it can be submitted
/// ([`malkedja_domain::check_plan`]'s errors): text in every section that asks for text
/// and has none, and *Förväntat resultat* and *Uppföljning* in each of the unit's own goals
/// that lacks them. Committed. For tests that submit the plan to test something else.
pub async fn make_submittable(store: &Store, org: &SmallOrg) {
    make_plan_submittable(store, org.unit, 2025).await
}

/// [`make_submittable`] for any unit's plan of `year`; also gives the unit's own indicators
/// without a target one.
pub async fn make_plan_submittable(store: &Store, unit: NodeId, year: i32) {
    let doc = store
        .plan_document(unit, year)
        .await
        .expect("a read")
        .expect("the plan");
    let plan = doc.plan.id;
    let mut w = store.begin_write("test").await.expect("a writer");
    let mut sections: Vec<&malkedja_domain::PlanSectionView> = Vec::new();
    let mut todo: Vec<&malkedja_domain::PlanSectionView> = doc
        .sections_before
        .iter()
        .chain(&doc.sections_after)
        .collect();
    while let Some(s) = todo.pop() {
        sections.push(s);
        todo.extend(&s.children);
    }
    for s in sections {
        if !s.guidance.is_empty() && s.body.trim().is_empty() {
            w.save_plan_section(plan, &s.key, "Skrivet i provet.", s.version)
                .await
                .expect("a section");
        }
    }
    let at = time::OffsetDateTime::now_utc() - time::Duration::seconds(1);
    for g in doc
        .goals
        .iter()
        .flat_map(malkedja_domain::CascadeGoal::walk)
    {
        if !malkedja_domain::is_own_unit_goal(g, unit) {
            continue;
        }
        for section in [GoalSection::ExpectedResult, GoalSection::FollowUp] {
            if !g
                .sections
                .iter()
                .any(|(s, b)| *s == section && !b.trim().is_empty())
            {
                w.set_goal_text(g.goal.id, section, "Skrivet i provet.", at)
                    .await
                    .expect("a goal text");
            }
        }
    }
    for g in doc
        .goals
        .iter()
        .flat_map(malkedja_domain::CascadeGoal::walk)
    {
        for i in g.indicators.iter().filter(|i| i.target.is_none()) {
            w.set_document_target(
                crate::DocRef::Plan(plan),
                i.indicator.id,
                malkedja_domain::Target::parse("100 %"),
            )
            .await
            .expect("a target");
        }
    }
    w.commit().await.expect("committed");
}

/// A synthetic district for the roll-up's tests: [`crate::synthetic::generate`] with
/// `units` units in one department (up to 25) and `goals` board goals, followed up in
/// [`DISTRICT_YEAR`] with annual reports only, unit by unit in turn approved, submitted,
/// a draft (three times over) and not begun: units 1, 4 and 7 approved, 2, 5 and 8
/// submitted, 3, 6 and 9 drafts, 10 without a report, and so on. The administration's
/// deadline for the annual report is 2026-02-15. 2026 is this year: plans approved, the
/// first tertial reports under way.
pub struct District {
    pub city: NodeId,
    pub board: NodeId,
    pub administration: NodeId,
    pub departments: Vec<NodeId>,
    pub units: Vec<NodeId>,
    /// The board's goals of [`DISTRICT_YEAR`], in order.
    pub board_goals: Vec<GoalId>,
}

/// The year of a [`District`]'s annual reports.
pub const DISTRICT_YEAR: i32 = 2025;

/// Builds a [`District`].
pub async fn district(store: &Store, units: usize, goals: usize) -> District {
    use crate::synthetic::{Options, Stage};
    use malkedja_domain::ReportKind;
    let options = Options {
        this_year: DISTRICT_YEAR + 1,
        board_goals: goals,
        units_per_department: 25,
        report_kinds: vec![ReportKind::AnnualReport],
        stages: [Stage::Approved, Stage::Submitted, Stage::Draft]
            .repeat(3)
            .into_iter()
            .chain([Stage::NotBegun])
            .collect(),
        ..crate::synthetic::Options::new(units, 1)
    };
    let s = crate::synthetic::generate(store, &options, &|_| {})
        .await
        .expect("a synthetic district");
    let board_goals = store
        .goals_at_level(DISTRICT_YEAR, GoalLevel::Board)
        .await
        .expect("the board's goals")
        .into_iter()
        .filter(|g| g.owner_id == s.board)
        .map(|g| g.id)
        .collect();
    District {
        city: s.city,
        board: s.board,
        administration: s.administration,
        departments: s.departments,
        units: s.units,
        board_goals,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn replaces_the_database_name() {
        assert_eq!(
            super::with_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(super::with_database("postgres://h", "x"), "postgres://h/x");
        assert_eq!(
            super::with_database("postgres://h/db?sslmode=disable", "x"),
            "postgres://h/x?sslmode=disable"
        );
    }
}
