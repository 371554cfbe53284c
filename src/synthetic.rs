//! `malkedja demo --units N --years Y`: a synthetic district of any size in a database
//! (`malkedja_store::synthetic`), with a progress bar on a terminal.

use crate::DbArgs;
use crate::progress::Progress;
use clap::Args;
use malkedja_domain::ReportKind;
use malkedja_store::synthetic::{self, Options};
use std::sync::Mutex;

#[derive(Args)]
pub(crate) struct DemoArgs {
    /// How many units (enheter) the district has, in departments of --units-per-department.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    units: u32,
    /// How many years are followed up in full (plans approved; T1, T2 and annual reports
    /// written and approved), ending last year. This year's plans are approved and its
    /// first tertial reports are under way.
    #[arg(long, value_name = "Y", default_value_t = 3,
        value_parser = clap::value_parser!(u32).range(0..=50))]
    years: u32,
    /// The board's goals (nämndmål) each year.
    #[arg(long, value_name = "N", default_value_t = 40,
        value_parser = clap::value_parser!(u32).range(1..=1000))]
    board_goals: u32,
    /// Units in each department (avdelning).
    #[arg(long, value_name = "N", default_value_t = 12,
        value_parser = clap::value_parser!(u32).range(1..=10_000))]
    units_per_department: u32,
    /// The reports written for each year followed up in full, as their addresses name
    /// them: t1, t2, vb (comma-separated). `--reports vb` alone is the quickest way to a
    /// roll-up (sammanställning) of every unit's annual report.
    #[arg(long, value_name = "KINDS", value_delimiter = ',', default_value = "t1,t2,vb",
        value_parser = report_kind)]
    reports: Vec<ReportKind>,
    /// Generate also into a database that already has an organisation, beside it. Without
    /// it, a database with an organisation is refused.
    #[arg(long)]
    allow_existing: bool,
}

fn report_kind(slug: &str) -> Result<ReportKind, String> {
    ReportKind::from_slug(slug.trim())
        .ok_or_else(|| format!("\"{slug}\" är ingen rapport: ange t1, t2 eller vb"))
}

pub(crate) async fn run(db: &DbArgs, args: DemoArgs) -> anyhow::Result<()> {
    let url = db.url()?;
    let store = crate::open(&url).await?;
    let result = execute(&store, args).await;
    store.close().await;
    result
}

async fn execute(store: &malkedja_store::Store, args: DemoArgs) -> anyhow::Result<()> {
    let options = Options {
        board_goals: args.board_goals as usize,
        units_per_department: args.units_per_department as usize,
        allow_existing: args.allow_existing,
        report_kinds: args.reports,
        ..Options::new(args.units as usize, args.years as usize)
    };
    let years = options.all_years();
    eprintln!(
        "Skapar en syntetisk stadsdel: {} enheter, {} nämndmål, åren {}–{} …",
        options.units,
        options.board_goals,
        years.first().copied().unwrap_or(options.this_year),
        options.this_year
    );
    let started = std::time::Instant::now();
    let bar = Mutex::new(Progress::new(options.steps()));
    let generated = synthetic::generate(store, &options, &|p| {
        if let Ok(mut b) = bar.lock() {
            b.step(p.what);
        }
    })
    .await;
    if let Ok(b) = bar.lock() {
        b.finish();
    }
    let s = generated?;
    eprintln!(
        "Klart på {:.1} s: {} enheter, {} år, {} mål, {} indikatorer, {} aktiviteter, {} planer, {} uppföljningsrapporter.",
        started.elapsed().as_secs_f64(),
        s.units.len(),
        s.years.len(),
        s.goals,
        s.indicators,
        s.activities,
        s.plans,
        s.reports
    );
    Ok(())
}
