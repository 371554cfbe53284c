//! The archive copy: PDF/A-2a and PDF/UA-1 (typst checks both as it writes, and refuses a
//! document that does not conform), tagged, Swedish, with title, date and bookmarks.

mod pdf_support;

use malkedja_documents::{Document, PdfKind, Printable, pdf};
use pdf_support::{demo, memo};
use std::process::Command;
use time::macros::date;

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn archive_copies_conform_and_carry_their_metadata() {
    let demo = demo().await;
    let memo = memo();
    let plan = pdf_support::largest(&demo.plans);
    let printable = Printable {
        document: Document::Plan(plan),
        memo: &memo,
        printed_on: date!(2026 - 02 - 01),
    };
    let bytes = pdf(&printable, PdfKind::Archive).expect("the archive copy conforms");
    // PDF/A-2a and PDF/UA-1 identification in the XMP metadata, the language, tags.
    assert!(
        contains(&bytes, "<pdfaid:part>2</pdfaid:part>"),
        "PDF/A part 2"
    );
    assert!(
        contains(&bytes, "<pdfaid:conformance>A</pdfaid:conformance>"),
        "level a"
    );
    assert!(
        contains(&bytes, "<pdfuaid:part>1</pdfuaid:part>"),
        "PDF/UA-1"
    );
    assert!(contains(&bytes, "/Lang(sv-SE)"), "document language sv");
    assert!(contains(&bytes, "/StructTreeRoot"), "tagged");
    assert!(contains(&bytes, "/Outlines"), "bookmarks from the headings");

    let dir = pdf_support::tempdir();
    let path = dir.join("plan.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let info = Command::new("pdfinfo")
        .arg(&path)
        .output()
        .expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8_lossy(&info.stdout).to_string();
    assert!(
        info.contains(&format!(
            "Title:           Verksamhetsplan {} för {}",
            plan.plan.year, plan.unit.name
        )),
        "{info}"
    );
    assert!(info.contains("Tagged:          yes"), "{info}");
    // The memo's date is the document's date.
    assert!(
        info.contains("CreationDate:") && info.contains("2026"),
        "{info}"
    );
    let _ = std::fs::remove_dir_all(&dir);

    // The same document gives the same bytes: a frozen copy can be made again.
    assert_eq!(pdf(&printable, PdfKind::Archive).unwrap(), bytes);

    // Every demo report conforms as well.
    for r in &demo.reports {
        let printable = Printable {
            document: Document::Report(r),
            memo: &memo,
            printed_on: date!(2026 - 02 - 01),
        };
        pdf(&printable, PdfKind::Archive).unwrap_or_else(|e| panic!("{}: {e}", r.unit.name));
    }
}
