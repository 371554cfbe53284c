//! Every plan and report of the demo district, read from a store as the server reads it,
//! made into Word, Excel and CSV: each file is well-formed, every goal of the cascade is a
//! heading in the Word document, and each indicator is a row of the sheets.

mod fixtures;

use fixtures::ooxml::{check_xml, outline, unzip};
use malkedja_documents::{Document, Printable, csv, docx, xlsx};
use malkedja_domain::{CascadeGoal, Memo, ReportKind, goal_heading};
use std::io::Cursor;
use time::macros::date;

fn walk(goals: &[CascadeGoal]) -> Vec<&CascadeGoal> {
    goals.iter().flat_map(CascadeGoal::walk).collect()
}

/// Checks one document in every format: returns how many files were made.
fn check(p: &Printable<'_>, goals: &[CascadeGoal]) -> usize {
    let parts = unzip(&docx(p).expect("a docx"));
    for (name, xml) in &parts {
        check_xml(name, xml);
    }
    let (_, xml) = parts
        .iter()
        .find(|(n, _)| n == "word/document.xml")
        .expect("the document");
    let text = outline(xml);
    let headings: Vec<&str> = text.lines().filter(|l| l.starts_with("[Heading")).collect();
    let all = walk(goals);
    assert!(!all.is_empty());
    for g in &all {
        let h = goal_heading(g);
        assert!(
            headings.iter().any(|l| l.ends_with(h.trim())),
            "the heading {h} is missing"
        );
    }
    let indicators: usize = all.iter().map(|g| g.indicators.len()).sum();

    let bytes = xlsx(p).expect("an xlsx");
    use calamine::Reader as _;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("a workbook");
    let range = book.worksheet_range("Indikatorer").expect("the sheet");
    assert_eq!(
        range.height(),
        indicators + 1,
        "a header and a row per indicator"
    );

    let text = csv(p).expect("a csv");
    let rows = ::csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.trim_start_matches('\u{FEFF}').as_bytes())
        .records()
        .count();
    assert_eq!(rows, indicators);
    3
}

#[tokio::test]
async fn every_demo_plan_and_report_in_every_office_format() {
    let db = malkedja_store::testing::sqlite().await;
    let store = db.store.clone();
    let summary = malkedja_store::demo::load(&store, &|_| {})
        .await
        .expect("the demo")
        .expect("a new demo");
    let memo = Memo::default();
    let mut files = 0;
    let mut reports = 0;
    for (unit, _) in &summary.units {
        for &year in &summary.years {
            let Some(plan) = store.plan_document(*unit, year).await.expect("a read") else {
                continue;
            };
            let p = Printable {
                document: Document::Plan(&plan),
                memo: &memo,
                printed_on: date!(2026 - 02 - 01),
            };
            files += check(&p, &plan.goals);
            for kind in ReportKind::ALL {
                let Some(report) = store
                    .report_document(*unit, year, kind)
                    .await
                    .expect("a read")
                else {
                    continue;
                };
                let p = Printable {
                    document: Document::Report(&report),
                    memo: &memo,
                    printed_on: date!(2026 - 02 - 01),
                };
                files += check(&p, &report.goals);
                reports += 1;
            }
        }
    }
    assert_eq!(reports, summary.reports, "every demo report was made");
    assert!(files >= 3 * (summary.units.len() * summary.years.len() + summary.reports));
    db.finish().await;
}
