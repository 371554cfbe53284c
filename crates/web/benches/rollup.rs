//! The roll-up (*sammanställning*) of a board at scale (issue 10): 300 units × 40 board
//! goals, and a whole city of 1 500 units, on SQLite and (when `MALKEDJA_TEST_POSTGRES_URL`
//! names a server) on PostgreSQL.
//!
//! `cargo bench -p malkedja-web --bench rollup` (see docs/benchmarks.md). Each district is
//! made once per backend by the synthetic generator (`malkedja_store::synthetic`, the
//! same as `malkedja demo --units N --years 1 --reports vb`): every unit's plan approved
//! and its annual report of the year before written and approved, so that the public
//! reads every cell. Then, for the board's annual report roll-up:
//!
//! - `page`: the whole request through the router, as the server answers
//!   `GET /organisation/{board}/uppfoljning/2025/vb` to an anonymous reader (the
//!   authentication layer, the store's read, the build, the page rendered, the body
//!   collected): the server time of the page;
//! - `read`: `Store::rollup` alone (one snapshot, nine queries and two for the charts);
//! - `build`: `malkedja_domain::build_rollup` alone, from what was read.
//!
//! For the 1 500-unit city also the city's roll-up (the same units; the council's goals
//! are its columns). `MALKEDJA_BENCH_UNITS=300` (a comma-separated list) measures only
//! the districts named; generating the 1 500 units takes a few minutes.
//! `MALKEDJA_BENCH_YEARS=5` gives every district five years of history, each with its
//! T1, T2 and annual report (`--years 5 --reports t1,t2,vb`): what the charts of the
//! summed indicators read grows with it.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use malkedja_domain::{NodeId, PlanStatus, ReportKind, RollupData, build_rollup};
use malkedja_store::Store;
use malkedja_store::synthetic::{self, Options};
use malkedja_store::testing::{self, TestDb};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;
use tower::ServiceExt;

const YEAR: i32 = 2025;
const KIND: ReportKind = ReportKind::AnnualReport;
const BOARD_GOALS: usize = 40;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Node {
    Board,
    City,
}

/// One roll-up measured: a backend, a district's size and the node rolled up.
#[derive(Clone, Copy, Debug)]
struct Case {
    backend: Backend,
    units: usize,
    node: Node,
}

impl fmt::Display for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let backend = match self.backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        };
        let node = match self.node {
            Node::Board => "board",
            Node::City => "city",
        };
        write!(f, "{backend} {} units, {node}", self.units)
    }
}

fn sizes() -> Vec<usize> {
    // Under `cargo test --all-targets` (no `--bench`) each bench runs once as a check: a
    // small district, not minutes of generating.
    if !std::env::args().any(|a| a == "--bench") {
        return vec![12];
    }
    std::env::var("MALKEDJA_BENCH_UNITS")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![300, 1500])
}

/// Years followed up in full (`MALKEDJA_BENCH_YEARS`, 1 by default: the annual report
/// alone; more: every report of each year).
fn years() -> usize {
    std::env::var("MALKEDJA_BENCH_YEARS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|&y| y > 0)
        .unwrap_or(1)
}

fn cases() -> Vec<Case> {
    let mut backends = vec![Backend::Sqlite];
    if std::env::var("MALKEDJA_TEST_POSTGRES_URL").is_ok_and(|u| !u.trim().is_empty()) {
        backends.push(Backend::Postgres);
    }
    let mut out = Vec::new();
    for backend in backends {
        for units in sizes() {
            out.push(Case {
                backend,
                units,
                node: Node::Board,
            });
            if units >= 1000 {
                out.push(Case {
                    backend,
                    units,
                    node: Node::City,
                });
            }
        }
    }
    out
}

/// A generated district, served.
struct District {
    store: Store,
    app: axum::Router,
    board: NodeId,
    city: NodeId,
}

impl District {
    fn node(&self, node: Node) -> NodeId {
        match node {
            Node::Board => self.board,
            Node::City => self.city,
        }
    }
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    })
}

/// The databases made, removed at the end.
static DATABASES: Mutex<Vec<TestDb>> = Mutex::new(Vec::new());

/// The district of `units` units on `backend`, generated on first use.
fn district(backend: Backend, units: usize) -> &'static District {
    static DISTRICTS: OnceLock<Mutex<HashMap<(Backend, usize), &'static District>>> =
        OnceLock::new();
    let mut made = DISTRICTS
        .get_or_init(Default::default)
        .lock()
        .expect("the districts");
    made.entry((backend, units))
        .or_insert_with(|| Box::leak(Box::new(generate(backend, units))))
}

fn generate(backend: Backend, units: usize) -> District {
    runtime().block_on(async {
        let db = match backend {
            Backend::Sqlite => testing::sqlite().await,
            Backend::Postgres => testing::postgres().await.expect("PostgreSQL"),
        };
        let years = years();
        let options = Options {
            this_year: YEAR + 1,
            board_goals: BOARD_GOALS,
            report_kinds: if years == 1 {
                vec![KIND]
            } else {
                ReportKind::ALL.to_vec()
            },
            ..Options::new(units, years)
        };
        let started = Instant::now();
        let total = options.steps();
        let summary = synthetic::generate(&db.store, &options, &|p| {
            if p.done % 250 == 0 || p.done == total {
                eprintln!("  {backend:?}, {units} units: step {}/{total}", p.done);
            }
        })
        .await
        .expect("the synthetic district");
        eprintln!(
            "{backend:?}: {units} units × {BOARD_GOALS} board goals × {years} years generated in {:.0} s ({} plans, {} reports)",
            started.elapsed().as_secs_f64(),
            summary.plans,
            summary.reports
        );
        let store = db.store.clone();
        let district = District {
            app: malkedja_web::router(store.clone()),
            store,
            board: summary.board,
            city: summary.city,
        };
        for node in [Node::Board, Node::City] {
            let (status, body) = get(&district, node).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            let data = read_data(&district, node).await;
            let r = build_rollup(&data, today(), &public);
            eprintln!(
                "  {node:?}: {} units, {} goal columns, {} indicators, {} reports, {} past outcomes; page {} kB",
                r.units.len(),
                r.goals.len(),
                r.indicators.len(),
                data.reports.len(),
                data.history.len(),
                body.len() / 1000
            );
        }
        DATABASES.lock().expect("the databases").push(db);
        district
    })
}

fn today() -> time::Date {
    time::macros::date!(2026 - 12 - 02)
}

/// The policy for an anonymous reader: approved reports only.
fn public(_: &[malkedja_domain::OrgNode], status: PlanStatus) -> bool {
    status == PlanStatus::Approved
}

fn path(d: &District, node: Node) -> String {
    format!(
        "/organisation/{}/uppfoljning/{YEAR}/{}",
        d.node(node),
        KIND.slug()
    )
}

async fn get(d: &District, node: Node) -> (StatusCode, String) {
    let request = Request::get(path(d, node))
        .body(Body::empty())
        .expect("a request");
    let answer = d.app.clone().oneshot(request).await.expect("an answer");
    let status = answer.status();
    let bytes = answer
        .into_body()
        .collect()
        .await
        .expect("the body")
        .to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

async fn read_data(d: &District, node: Node) -> RollupData {
    d.store
        .rollup(d.node(node), YEAR, KIND, None)
        .await
        .expect("a read")
        .expect("the node")
}

fn main() {
    divan::main();
    let databases = std::mem::take(&mut *DATABASES.lock().expect("the databases"));
    runtime().block_on(async {
        for db in databases {
            db.finish().await;
        }
    });
}

#[divan::bench(args = cases(), sample_count = 20)]
fn page(bencher: divan::Bencher, case: Case) {
    let d = district(case.backend, case.units);
    bencher.bench(|| {
        let (status, body) = runtime().block_on(get(d, case.node));
        assert_eq!(status, StatusCode::OK);
        body.len()
    });
}

#[divan::bench(args = cases(), sample_count = 20)]
fn read(bencher: divan::Bencher, case: Case) {
    let d = district(case.backend, case.units);
    bencher.bench(|| runtime().block_on(read_data(d, case.node)));
}

#[divan::bench(args = cases(), sample_count = 20)]
fn build(bencher: divan::Bencher, case: Case) {
    let d = district(case.backend, case.units);
    let data = runtime().block_on(read_data(d, case.node));
    bencher.bench(|| build_rollup(&data, today(), &public));
}
