//! The demo district's plans and reports as PDF.

mod pdf_support;

use malkedja_documents::{Document, PdfKind, Printable, pdf};
use pdf_support::{demo, largest, memo};
use time::macros::date;

#[tokio::test]
#[ignore = "writes every demo document to $PDF_DIR (default /tmp/malkedja-pdf) for a look"]
async fn dump_demo_documents() {
    let dir = std::env::var("PDF_DIR").unwrap_or("/tmp/malkedja-pdf".into());
    std::fs::create_dir_all(&dir).unwrap();
    let demo = demo().await;
    let memo = memo();
    let big = largest(&demo.plans);
    for p in &demo.plans {
        let printable = Printable {
            document: Document::Plan(p),
            memo: &memo,
            printed_on: date!(2026 - 01 - 23),
        };
        let bytes = pdf(&printable, PdfKind::Archive).expect("plan");
        let tag = if std::ptr::eq(p, big) { "-largest" } else { "" };
        std::fs::write(
            format!("{dir}/plan-{}-{}{tag}.pdf", p.unit.id.0, p.plan.year),
            bytes,
        )
        .unwrap();
    }
    for r in &demo.reports {
        let printable = Printable {
            document: Document::Report(r),
            memo: &memo,
            printed_on: date!(2026 - 01 - 23),
        };
        let bytes = pdf(&printable, PdfKind::Archive).expect("report");
        std::fs::write(
            format!(
                "{dir}/report-{}-{}-{}.pdf",
                r.unit.id.0,
                r.year,
                r.report.kind.code()
            ),
            bytes,
        )
        .unwrap();
    }
}
