//! The PDF of a plan: typeset for real, with the memo header, the cascade and its tables.

mod pdf_support;

use malkedja_documents::{Document, PdfKind, Printable, pdf};
use malkedja_domain::Memo;
use pdf_support::{pdftotext, small_plan, squash};
use time::macros::date;

#[test]
fn a_plan_prints_its_title_memo_and_cascade() {
    let plan = small_plan("Dagliga verksamheten");
    let memo = Memo {
        case_number: "HÄ 2026/12".into(),
        case_officer: "Anna Andersson".into(),
        addressee: "Stadsdelsnämnden".into(),
        phone: "08-508 000 00".into(),
        ..Memo::default()
    };
    let printable = Printable {
        document: Document::Plan(&plan),
        memo: &memo,
        printed_on: date!(2026 - 01 - 23),
    };
    let bytes = pdf(&printable, PdfKind::Download).expect("the plan typesets");
    assert!(bytes.starts_with(b"%PDF-"));
    let text = squash(&pdftotext(&bytes, false));
    for expected in [
        "Stockholms stad",
        "Tjänsteutlåtande",
        "Dnr: HÄ 2026/12",
        "2026-01-23",
        "Handläggare",
        "Anna Andersson",
        "Telefon: 08-508 000 00",
        "Verksamhetsplan 2026 för Dagliga verksamheten",
        "Förslag till beslut",
        "Innehållsförteckning",
        "KF:s inriktningsmål: 1. En stad som håller samman",
        "KF:s mål för verksamhetsområdet: 1.3 Stöd och omsorg där behoven är störst",
        "Nämndmål: Personer med funktionsnedsättning är delaktiga",
        "Enhetsmål: Brukarna är delaktiga i planeringen",
        "Beskrivning",
        "Förväntat resultat",
        "Periodicitet",
        "Andel nöjda brukare",
        "Tas fram av nämnd",
        "Startdatum",
        "2026-12-31",
        "Sid 1 (",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(!text.contains("VÄGLEDNING"), "guidance is never printed");
}

#[test]
#[ignore = "writes the small plan to $PDF_OUT for a look"]
fn dump_small_plan() {
    let plan = small_plan("Dagliga verksamheten");
    let memo = Memo::default();
    let printable = Printable {
        document: Document::Plan(&plan),
        memo: &memo,
        printed_on: date!(2026 - 01 - 23),
    };
    let bytes = pdf(&printable, PdfKind::Archive).expect("the plan typesets");
    std::fs::write(
        std::env::var("PDF_OUT").unwrap_or("/tmp/small.pdf".into()),
        bytes,
    )
    .unwrap();
}
