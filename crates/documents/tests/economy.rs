//! A report's economy in every printed form: after the goals, a table per operation with
//! the columns the report's kind has, the unit's totals in bold, then the analysis of the
//! deviations, Investeringar and Medel för lokaländamål; in the table of contents; nothing
//! at all when the economy is empty.

mod fixtures;
mod pdf_support;

use calamine::{Data, Reader as _, Xlsx, open_workbook_from_rs};
use fixtures::ooxml::{outline, part, unzip};
use malkedja_documents::{Document, PdfKind, Printable, docx, pdf, xlsx};
use malkedja_domain::{ReportDocument, ReportEconomy, ReportKind};
use std::io::Cursor;

fn report(kind: ReportKind, economy: ReportEconomy) -> ReportDocument {
    let mut doc = fixtures::report(false);
    doc.report.kind = kind;
    doc.economy = economy;
    doc
}

fn annual() -> ReportDocument {
    fixtures::report(false)
}

/// The fixture's economy with its figures and texts, in the second tertial report.
fn tertial2() -> ReportDocument {
    report(ReportKind::Tertial2, fixtures::economy(&|s| s.to_string()))
}

/// An economy saved with nothing in it: a line per operation, no figure, blank texts.
fn empty_economy() -> ReportEconomy {
    let mut e = fixtures::economy(&|s| s.to_string());
    let lines = e
        .lines
        .iter()
        .map(|l| {
            malkedja_domain::EconomyLineView::unwritten(l.operation_id, l.operation_name.clone())
        })
        .collect();
    e = ReportEconomy::new(
        e.version,
        lines,
        Some("  ".into()),
        None,
        Some(String::new()),
    );
    assert!(e.is_empty());
    e
}

fn printable<'a>(doc: &'a ReportDocument, memo: &'a malkedja_domain::Memo) -> Printable<'a> {
    fixtures::printable(Document::Report(doc), memo)
}

fn pdf_text(doc: &ReportDocument, layout: bool) -> String {
    let memo = fixtures::memo(false);
    let bytes = pdf(&printable(doc, &memo), PdfKind::Archive).unwrap_or_else(|e| panic!("{e}"));
    pdf_support::pdftotext(&bytes, layout).replace(['\u{2060}', '\u{ad}'], "")
}

fn word(doc: &ReportDocument) -> String {
    let memo = fixtures::memo(false);
    let parts = unzip(&docx(&printable(doc, &memo)).expect("a docx"));
    part(&parts, "word/document.xml").to_string()
}

/// The lines from the line `from` (the last that is `from` alone: a heading, not its entry
/// in the table of contents) up to the next line that `to` accepts, trailing spaces
/// trimmed.
fn between(text: &str, from: &str, to: impl Fn(&str) -> bool) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let start = lines
        .iter()
        .rposition(|l| l.trim() == from)
        .unwrap_or_else(|| panic!("no line {from:?} in\n{text}"));
    let end = lines[start + 1..]
        .iter()
        .position(|l| to(l.trim()))
        .map_or(lines.len(), |i| start + 1 + i);
    lines[start..end].join("\n").trim_end().to_string()
}

/// The PDF's economy: from its heading to the next section's, each run of spaces that
/// pdftotext lays columns out with made two (its widths follow the whole page's text).
fn pdf_economy(text: &str) -> String {
    between(text, "Ekonomi", |l| l == "Uppföljning av ekonomi")
        .lines()
        .map(|l| {
            let mut out = String::new();
            for (i, cell) in l.split("  ").filter(|c| !c.is_empty()).enumerate() {
                if i > 0 {
                    out.push_str("  ");
                }
                out.push_str(cell.trim());
            }
            out
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The economy's part of a Word document's outline.
fn word_economy(outline: &str) -> String {
    between(outline, "[Heading1] Ekonomi", |l| {
        l.starts_with("[Heading1]")
    })
}

#[test]
fn the_annual_reports_economy_prints_in_the_pdf() {
    let text = pdf_text(&annual(), true);
    insta::assert_snapshot!(pdf_economy(&text));
    // In the table of contents, with its texts, before the sections after the goals.
    let toc = between(&text, "Innehållsförteckning", |l| {
        l == "Sammanfattande analys"
    });
    let squashed = pdf_support::squash(&toc);
    let at = |s: &str| {
        squashed
            .find(s)
            .unwrap_or_else(|| panic!("{s} not in the contents: {squashed}"))
    };
    assert!(at("Ekonomi") < at("Analys av avvikelser"));
    assert!(at("Analys av avvikelser") < at("Investeringar"));
    assert!(at("Investeringar") < at("Uppföljning av ekonomi"));
    assert!(at("KF:s mål för verksamhetsområdet: 1.3") < at("Ekonomi"));
    assert!(!squashed.contains("Medel för lokaländamål"), "not written");
}

#[test]
fn the_second_tertial_reports_economy_has_budget_and_forecast() {
    let text = pdf_text(&tertial2(), true);
    let part = pdf_economy(&text);
    insta::assert_snapshot!(part);
    assert!(!part.contains("Utfall"), "T2 has no outcome column");
    assert!(
        !part.contains("Investeringar"),
        "investments belong to the annual report"
    );
}

#[test]
fn the_annual_reports_economy_prints_in_word() {
    let xml = word(&annual());
    insta::assert_snapshot!(word_economy(&outline(&xml)));
    // Amounts right-aligned, the header's too; the totals row in bold.
    let table = &xml[xml
        .find("<w:tblCaption w:val=\"Budget, prognos")
        .expect("the table")..];
    let table = &table[..table.find("</w:tbl>").expect("its end")];
    assert_eq!(table.matches("w:val=\"TableHeadingNumber\"").count(), 4);
    assert_eq!(table.matches("w:val=\"TableNumber\"").count(), 3 * 4);
    assert_eq!(table.matches("w:val=\"TableTotal\"").count(), 1);
    assert_eq!(table.matches("w:val=\"TableTotalNumber\"").count(), 4);
    let memo = fixtures::memo(false);
    let parts = unzip(&docx(&printable(&annual(), &memo)).expect("a docx"));
    let styles = part(&parts, "word/styles.xml");
    for (id, needs) in [
        ("TableNumber", "<w:jc w:val=\"right\"/>"),
        ("TableHeadingNumber", "<w:jc w:val=\"right\"/>"),
        ("TableTotal", "<w:b/>"),
        ("TableTotalNumber", "<w:b/>"),
    ] {
        let at = styles
            .find(&format!("w:styleId=\"{id}\""))
            .unwrap_or_else(|| panic!("style {id}"));
        let style = &styles[at..at + styles[at..].find("</w:style>").unwrap()];
        assert!(style.contains(needs), "{id}: {style}");
    }
}

#[test]
fn the_second_tertial_reports_economy_prints_in_word() {
    insta::assert_snapshot!(word_economy(&outline(&word(&tertial2()))));
}

#[test]
fn an_economy_with_texts_only_prints_no_table() {
    let mut e = empty_economy();
    e.analysis = Some("Budgeten följs upp varje månad.".into());
    let doc = report(ReportKind::AnnualReport, e);
    let w = word_economy(&outline(&word(&doc)));
    assert_eq!(
        w,
        "[Heading1] Ekonomi\n[Heading2] Analys av avvikelser\n[Normal] Budgeten följs upp varje månad."
    );
    let text = pdf_support::squash(&pdf_text(&doc, false));
    assert!(
        text.contains("Ekonomi Analys av avvikelser Budgeten följs upp varje månad."),
        "{text}"
    );
    assert!(!text.contains("Avvikelse mot budget"), "no table: {text}");
}

#[test]
fn an_empty_economy_prints_nothing() {
    let memo = fixtures::memo(false);
    for doc in [
        report(ReportKind::AnnualReport, empty_economy()),
        report(ReportKind::Tertial2, ReportEconomy::default()),
        // The first tertial report has no economy, whatever is stored.
        report(ReportKind::Tertial1, fixtures::economy(&|s| s.to_string())),
    ] {
        let kind = doc.report.kind;
        let w = outline(&word(&doc));
        assert!(!w.contains("Ekonomi"), "{kind:?}: {w}");
        assert!(!w.contains("Verksamhet |"), "{kind:?}: {w}");
        let text = pdf_text(&doc, false);
        for absent in [
            "Ekonomi",
            "Avvikelse mot",
            "Summorna",
            "tkr",
            "Analys av avvikelser",
        ] {
            assert!(!text.contains(absent), "{kind:?}: {absent} in {text}");
        }
        let book: Xlsx<_> =
            open_workbook_from_rs(Cursor::new(xlsx(&printable(&doc, &memo)).expect("xlsx")))
                .expect("a workbook");
        assert_eq!(
            book.sheet_names(),
            vec!["Indikatorer".to_string()],
            "{kind:?}"
        );
    }
}

#[test]
fn the_economy_sheet_has_amounts_in_kronor_and_the_texts() {
    let memo = fixtures::memo(false);
    let bytes = xlsx(&printable(&annual(), &memo)).expect("xlsx");
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("a workbook");
    assert_eq!(
        book.sheet_names(),
        vec!["Indikatorer".to_string(), "Ekonomi".to_string()]
    );
    let range = book.worksheet_range("Ekonomi").expect("the sheet");
    let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
    let s = |t: &str| Data::String(t.into());
    let n = Data::Float;
    assert_eq!(
        rows[0],
        vec![
            s("Verksamhet"),
            s("Budget (kr)"),
            s("Prognos (kr)"),
            s("Utfall (kr)"),
            s("Avvikelse mot budget (kr)")
        ]
    );
    assert_eq!(
        rows[1],
        vec![
            s("Ateljén"),
            n(4_400_000.0),
            n(4_350_000.0),
            n(4_310_500.0),
            n(89_500.0)
        ]
    );
    assert_eq!(
        rows[2],
        vec![
            s("Kaféet"),
            n(1_250_000.0),
            n(1_300_000.0),
            n(1_342_000.0),
            n(-92_000.0)
        ]
    );
    assert_eq!(rows[3][0], s("Utflykter"));
    assert!(rows[3][1..].iter().all(|c| *c == Data::Empty));
    assert_eq!(
        rows[4],
        vec![
            s("Summa"),
            n(5_650_000.0),
            n(5_650_000.0),
            n(5_652_500.0),
            n(-2_500.0)
        ]
    );
    assert_eq!(rows[5][0], s(malkedja_domain::EconomyTable::NOTE));
    assert_eq!(rows[7][0], s("Analys av avvikelser"));
    assert_eq!(
        rows[7][1],
        s("Ateljén gick med överskott.\n\nKaféet hade högre kostnader för livsmedel.")
    );
    assert_eq!(rows[8][0], s("Investeringar"));
    assert_eq!(rows[8][1], s("Inga investeringar under året."));
    assert_eq!(rows.len(), 9, "Medel för lokaländamål is not written");
}
