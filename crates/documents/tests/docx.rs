//! The Word document: opened as a zip, its XML parsed with a real parser, its text
//! structure (paragraph styles, headings, table rows) compared with reviewed snapshots.

mod fixtures;

use fixtures::ooxml::{check_xml, outline, part, unzip};
use malkedja_documents::{Document, docx};

fn plan_docx(nasty: bool) -> Vec<(String, String)> {
    let doc = fixtures::plan(nasty);
    let memo = fixtures::memo(nasty);
    let bytes = docx(&fixtures::printable(Document::Plan(&doc), &memo)).expect("a docx");
    unzip(&bytes)
}

fn report_docx(nasty: bool) -> Vec<(String, String)> {
    let doc = fixtures::report(nasty);
    let memo = fixtures::memo(nasty);
    let bytes = docx(&fixtures::printable(Document::Report(&doc), &memo)).expect("a docx");
    unzip(&bytes)
}

#[test]
fn every_part_is_well_formed_xml() {
    for parts in [
        plan_docx(false),
        report_docx(false),
        plan_docx(true),
        report_docx(true),
    ] {
        let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
        for needed in [
            "[Content_Types].xml",
            "_rels/.rels",
            "word/document.xml",
            "word/styles.xml",
            "word/_rels/document.xml.rels",
            "docProps/core.xml",
        ] {
            assert!(names.contains(&needed), "{needed} missing: {names:?}");
        }
        for (name, xml) in &parts {
            check_xml(name, xml);
        }
    }
}

#[test]
fn the_plan_reads_in_the_citys_order() {
    insta::assert_snapshot!(outline(part(&plan_docx(false), "word/document.xml")));
}

#[test]
fn the_annual_report_reads_in_the_citys_order() {
    insta::assert_snapshot!(outline(part(&report_docx(false), "word/document.xml")));
}

#[test]
fn quotes_markup_and_control_characters_come_out_literally() {
    let literal = "\"Citat\" <b>fet</b> & 'apostrof' slut";
    for parts in [plan_docx(true), report_docx(true)] {
        let doc = outline(part(&parts, "word/document.xml"));
        // In the memo header, a heading of the cascade, a section's text, a table's cells
        // and caption.
        for needle in [
            format!("[MemoUnit] Dagverksamheten {literal}"),
            format!("[MemoField] Dnr: HÄ 2025/815 {literal}"),
            format!("[Heading3] Nämndmål: Invånarna får stöd på lika villkor {literal}"),
            format!("| Genomförandeplaner i alla ärenden {literal} |"),
            format!(
                "(tabellbeskrivning: Aktiviteter – Enhetsmål Alla deltagare har en meningsfull dag {literal})"
            ),
        ] {
            assert!(doc.contains(&needle), "{needle}\nnot in\n{doc}");
        }
        assert!(!doc.contains('\u{1}') && !doc.contains('\u{1b}'));
        let core = part(&parts, "docProps/core.xml");
        assert!(
            core.contains("<dc:title>Verksamhets")
                && core.contains(
                    "&quot;Citat&quot; &lt;b&gt;fet&lt;/b&gt; &amp; &apos;apostrof&apos; slut"
                ),
            "{core}"
        );
    }
}

#[test]
fn headings_are_words_own_headings_and_tables_repeat_their_header() {
    let parts = plan_docx(false);
    let styles = part(&parts, "word/styles.xml");
    for level in 1..=6 {
        assert!(
            styles.contains(&format!(
                "w:styleId=\"Heading{level}\"><w:name w:val=\"heading {level}\"/>"
            )),
            "Heading{level}"
        );
        assert!(styles.contains(&format!("<w:outlineLvl w:val=\"{}\"/>", level - 1)));
    }
    assert!(styles.contains("<w:lang w:val=\"sv-SE\""), "the language");
    let doc = outline(part(&parts, "word/document.xml"));
    assert!(!doc.contains("SPLITS"), "every row is kept on one page");
    let tables = doc.matches("  tabell:").count();
    assert_eq!(
        doc.matches("header↻").count(),
        tables,
        "one repeating header per table"
    );
    let core = part(&parts, "docProps/core.xml");
    assert!(core.contains("<dc:title>Verksamhetsplan 2025 för Dagverksamheten</dc:title>"));
    assert!(core.contains("<dc:language>sv-SE</dc:language>"));
    assert!(core.contains(">2026-02-01T00:00:00Z</dcterms:created>"));
    let settings = part(&parts, "word/settings.xml");
    assert!(settings.contains("<w:updateFields w:val=\"true\"/>"));
}

#[test]
fn guidance_is_never_printed_and_missing_text_is_a_dash() {
    let doc = outline(part(&plan_docx(false), "word/document.xml"));
    assert!(!doc.contains("VÄGLEDNING"), "{doc}");
    assert!(!doc.contains("Beskriv enheten"), "{doc}");
    // A section that asks for text and has none.
    assert!(
        doc.contains("[Heading2] Utvecklingsområden\n[Normal] —"),
        "{doc}"
    );
    // A section with neither guidance nor text is left out.
    assert!(!doc.contains("Utan vägledning"), "{doc}");
    // Telefon is empty in the memo.
    assert!(doc.contains("[MemoField] Telefon: —"), "{doc}");
}

#[test]
fn a_written_title_replaces_the_default() {
    let doc = fixtures::report(false);
    let mut memo = fixtures::memo(false);
    memo.title = "Verksamhetsberättelse VB 2025 för enheten".into();
    let parts = unzip(&docx(&fixtures::printable(Document::Report(&doc), &memo)).expect("docx"));
    let text = outline(part(&parts, "word/document.xml"));
    assert!(
        text.contains("[Title] Verksamhetsberättelse VB 2025 för enheten"),
        "{text}"
    );
    let mut memo = fixtures::memo(false);
    memo.title = "  ".into();
    let parts = unzip(&docx(&fixtures::printable(Document::Report(&doc), &memo)).expect("docx"));
    let text = outline(part(&parts, "word/document.xml"));
    assert!(
        text.contains("[Title] Verksamhetsberättelse 2025 för Dagverksamheten"),
        "{text}"
    );
}
