//! A report's indicator table has the columns for women and men when an indicator in it
//! is reported for them (`by_sex`); in such a table the cells of an indicator that is not
//! are empty, never a dash or a figure stored for it. In Word and in the PDF alike.

mod fixtures;
mod pdf_support;

use fixtures::ooxml::{outline, part, unzip};
use malkedja_documents::{Document, PdfKind, docx, pdf};
use malkedja_domain::{CascadeGoal, IndicatorId, ReportDocument};
use pdf_support::{pdftotext, squash};

/// The fixture's report with sickness absence (indicator 3, beside satisfied users on the
/// board's goal) not reported for women and men, though figures for them are stored.
fn mixed() -> ReportDocument {
    fn unmark(goals: &mut [CascadeGoal]) {
        for g in goals {
            for i in &mut g.indicators {
                if i.indicator.id == IndicatorId(3) {
                    i.indicator.by_sex = false;
                }
            }
            unmark(&mut g.children);
        }
    }
    let mut doc = fixtures::report(false);
    unmark(&mut doc.goals);
    let o = doc.outcomes.get_mut(&IndicatorId(3)).expect("an outcome");
    o.women = Some("4 %".into());
    o.men = Some("3 %".into());
    doc
}

#[test]
fn word_keeps_the_columns_for_a_table_with_one_indicator_by_sex() {
    let doc = mixed();
    let memo = fixtures::memo(false);
    let bytes = docx(&fixtures::printable(Document::Report(&doc), &memo)).expect("a docx");
    let text = outline(part(&unzip(&bytes), "word/document.xml"));
    let rows: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("header↻ | Indikator | Periodens utfall"))
        .collect();
    assert_eq!(
        rows.iter().filter(|l| l.contains("Utfall män")).count(),
        1,
        "only the board goal's table has them: {rows:?}"
    );
    assert!(
        text.contains("rad | Andel nöjda brukare | 61,5 % | 60 % | 63 % |"),
        "{text}"
    );
    // Sickness absence: empty cells for women and men, not a dash and not what is stored.
    assert!(
        text.contains("rad | Sjukfrånvaro | 7,2 % |  |  | 55 %"),
        "{text}"
    );
    assert!(!text.contains("| 4 %") && !text.contains("| 3 %"), "{text}");
}

#[test]
fn the_pdf_has_the_columns_only_where_an_indicator_is_by_sex() {
    let doc = mixed();
    let memo = fixtures::memo(false);
    let bytes = pdf(
        &fixtures::printable(Document::Report(&doc), &memo),
        PdfKind::Download,
    )
    .expect("the report typesets");
    let text = squash(&pdftotext(&bytes, false));
    // Three indicator tables; the board goal's alone has the columns for women and men.
    assert_eq!(text.matches("Utfall män").count(), 1, "{text}");
    assert_eq!(text.matches("Utfall kvinnor").count(), 1, "{text}");
    assert!(
        text.contains("Andel nöjda brukare 61,5 % 60 % 63 % 55 %"),
        "{text}"
    );
    assert!(text.contains("Sjukfrånvaro 7,2 % 55 %"), "{text}");
}
