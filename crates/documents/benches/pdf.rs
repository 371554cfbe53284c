//! PDF rendering, warm: the largest demo plan, and a 30-page plan made of it.
//!
//! `cargo bench -p malkedja-documents --bench pdf` (see docs/benchmarks.md). The first
//! render of a process (fonts parsed, typst's caches empty) is measured once before the
//! iterations and printed.

use malkedja_documents::{Document, PdfKind, Printable, pdf};
use malkedja_domain::{Memo, PlanDocument};
use std::sync::OnceLock;
use std::time::Instant;
use time::macros::date;

fn main() {
    let (plan, memo) = plans();
    let start = Instant::now();
    let bytes = render(&plan.0, memo);
    println!(
        "cold first render (largest demo plan, {} pages): {:.0} ms",
        pages(&bytes),
        start.elapsed().as_secs_f64() * 1000.0
    );
    println!("largest demo plan: {} pages", pages(&bytes));
    println!("generated plan: {} pages", pages(&render(&plan.1, memo)));
    divan::main();
}

fn pages(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    let alt = b"/Type/Page";
    let count = |n: &[u8]| {
        pdf.windows(n.len())
            .enumerate()
            .filter(|(i, w)| *w == n && pdf.get(i + n.len()) != Some(&b's'))
            .count()
    };
    count(needle) + count(alt)
}

fn render(plan: &PlanDocument, memo: &Memo) -> Vec<u8> {
    let printable = Printable {
        document: Document::Plan(plan),
        memo,
        printed_on: date!(2026 - 01 - 23),
    };
    pdf(&printable, PdfKind::Archive).expect("typesets")
}

/// The largest demo plan, and a plan of about 30 pages: its cascade three times over.
fn plans() -> (&'static (PlanDocument, PlanDocument), &'static Memo) {
    static PLANS: OnceLock<(PlanDocument, PlanDocument)> = OnceLock::new();
    static MEMO: OnceLock<Memo> = OnceLock::new();
    let plans = PLANS.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async {
            let db = malkedja_store::testing::sqlite().await;
            let summary = malkedja_store::demo::load(&db.store, &|_| {})
                .await
                .expect("demo")
                .expect("fresh");
            let mut best: Option<PlanDocument> = None;
            for (unit, _) in &summary.units {
                for year in &summary.years {
                    if let Some(p) = db.store.plan_document(*unit, *year).await.expect("plan") {
                        let size = |p: &PlanDocument| p.goals.iter().flat_map(|g| g.walk()).count();
                        if best.as_ref().is_none_or(|b| size(&p) > size(b)) {
                            best = Some(p);
                        }
                    }
                }
            }
            db.finish().await;
            let largest = best.expect("a demo plan");
            let mut big = largest.clone();
            for round in 2..=3 {
                let mut more = largest.goals.clone();
                for g in &mut more {
                    g.goal.title = format!("{} (del {round})", g.goal.title);
                }
                big.goals.extend(more);
            }
            (largest, big)
        })
    });
    (
        plans,
        MEMO.get_or_init(|| Memo {
            case_number: "SV 2026/1234".into(),
            case_officer: "Anna Andersson".into(),
            addressee: "Sjövikens stadsdelsnämnd".into(),
            phone: "08-508 000 00".into(),
            proposal: "Stadsdelsnämnden godkänner verksamhetsplanen.".into(),
            ..Memo::default()
        }),
    )
}

#[divan::bench(sample_count = 20)]
fn largest_demo_plan(bencher: divan::Bencher) {
    let (plans, memo) = plans();
    bencher.bench(|| render(&plans.0, memo));
}

#[divan::bench(sample_count = 20)]
fn thirty_page_plan(bencher: divan::Bencher) {
    let (plans, memo) = plans();
    bencher.bench(|| render(&plans.1, memo));
}
