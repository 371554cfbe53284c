//! The Word document: opened as a zip, its XML parsed with a real parser, its text
//! structure (paragraph styles, headings, table rows) compared with reviewed snapshots.

mod fixtures;

use malkedja_documents::{Document, docx};
use quick_xml::events::Event;
use quick_xml::reader::Reader;
use std::io::Read;

/// The parts of a zip, by name.
pub fn unzip(bytes: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("a part");
            let mut s = String::new();
            f.read_to_string(&mut s).expect("UTF-8 text");
            (f.name().expect("a name").to_string(), s)
        })
        .collect()
}

fn part<'a>(parts: &'a [(String, String)], name: &str) -> &'a str {
    &parts
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .1
}

/// Checks that the text is well-formed XML 1.0: every character allowed, every element
/// closed by its own name, every reference known.
pub fn check_xml(name: &str, xml: &str) {
    for c in xml.chars() {
        let ok = matches!(c, '\t' | '\n' | '\r')
            || ('\u{20}'..='\u{D7FF}').contains(&c)
            || ('\u{E000}'..='\u{FFFD}').contains(&c)
            || c >= '\u{10000}';
        assert!(ok, "{name}: the character U+{:04X} is not allowed in XML", c as u32);
    }
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut depth = 0i64;
    loop {
        match reader.read_event() {
            Ok(Event::Start(_)) => depth += 1,
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::GeneralRef(r)) => {
                assert!(
                    r.is_char_ref() || ["lt", "gt", "amp", "quot", "apos"].contains(&&*r),
                    "{name}: unknown entity &{};",
                    &*r
                );
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{name} is not well-formed XML: {e}"),
        }
    }
    assert_eq!(depth, 0, "{name}: elements left open");
}

fn entity(r: &str) -> String {
    match r {
        "lt" => "<".into(),
        "gt" => ">".into(),
        "amp" => "&".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        other => panic!("unexpected entity {other}"),
    }
}

fn attr(e: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .expect("an attribute")
                .into_owned()
        })
}

/// The document's text structure: one line per paragraph, `[Style] text` (line breaks as
/// ⏎, tabs as ⇥), and tables as their rows, cells separated by " | ", the repeating
/// header row marked "header↻" and rows that may split marked "SPLITS".
pub fn outline(xml: &str) -> String {
    let mut reader = Reader::from_str(xml);
    let mut out: Vec<String> = Vec::new();
    let mut style = String::new();
    let mut text = String::new();
    let mut in_text = false;
    let mut table_depth = 0;
    let mut cells: Vec<String> = Vec::new();
    let mut row_flags: (bool, bool) = (false, false);
    let mut cell_paragraphs: Vec<String> = Vec::new();
    loop {
        match reader.read_event().expect("XML") {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "w:p" => {
                style = "Normal".into();
                text.clear();
            }
            Event::Start(e) if e.name().as_ref() == "w:t" => in_text = true,
            Event::End(e) if e.name().as_ref() == "w:t" => in_text = false,
            Event::Empty(e) if e.name().as_ref() == "w:pStyle" => {
                style = attr(&e, "w:val").expect("a style");
            }
            Event::Empty(e) if e.name().as_ref() == "w:br" => {
                if attr(&e, "w:type").as_deref() == Some("page") {
                    text.push_str("<sidbrytning>");
                } else {
                    text.push('⏎');
                }
            }
            Event::Empty(e) if e.name().as_ref() == "w:tab" => text.push('⇥'),
            Event::Empty(e) if e.name().as_ref() == "w:tblHeader" => row_flags.0 = true,
            Event::Empty(e) if e.name().as_ref() == "w:cantSplit" => row_flags.1 = true,
            Event::Empty(e) if e.name().as_ref() == "w:tblCaption" => {
                out.push(format!("  (tabellbeskrivning: {})", attr(&e, "w:val").unwrap_or_default()));
            }
            Event::Text(t) if in_text => text.push_str(&t.xml10_content()),
            Event::Text(t) => {
                // Field instructions.
                let s = t.xml10_content();
                if s.contains("TOC") {
                    out.push(format!("{{fält:{}}}", s.trim()));
                }
            }
            Event::GeneralRef(r) if in_text => text.push_str(&entity(&r)),
            Event::End(e) if e.name().as_ref() == "w:p" => {
                let line = if text.is_empty() {
                    format!("[{style}]")
                } else {
                    format!("[{style}] {text}")
                };
                if table_depth > 0 {
                    cell_paragraphs.push(text.clone());
                } else {
                    out.push(line);
                }
            }
            Event::Start(e) if e.name().as_ref() == "w:tbl" => {
                table_depth += 1;
                out.push("  tabell:".into());
            }
            Event::End(e) if e.name().as_ref() == "w:tbl" => table_depth -= 1,
            Event::Start(e) if e.name().as_ref() == "w:tr" => {
                row_flags = (false, false);
                cells.clear();
            }
            Event::Empty(e) if e.name().as_ref() == "w:vMerge" => {
                if attr(&e, "w:val").as_deref() == Some("continue") {
                    cell_paragraphs.push("〃".into());
                }
            }
            Event::Start(e) if e.name().as_ref() == "w:tc" => cell_paragraphs.clear(),
            Event::End(e) if e.name().as_ref() == "w:tc" => {
                cells.push(cell_paragraphs.iter().filter(|p| !p.is_empty()).cloned().collect::<Vec<_>>().join(" / "));
            }
            Event::End(e) if e.name().as_ref() == "w:tr" => {
                let mark = match row_flags {
                    (true, true) => "  header↻",
                    (false, true) => "  rad",
                    (_, false) => "  SPLITS",
                };
                out.push(format!("{mark} | {}", cells.join(" | ")));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out.join("\n")
}

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
    for parts in [plan_docx(false), report_docx(false), plan_docx(true), report_docx(true)] {
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
            format!("(tabellbeskrivning: Aktiviteter – Enhetsmål Alla deltagare har en meningsfull dag {literal})"),
        ] {
            assert!(doc.contains(&needle), "{needle}\nnot in\n{doc}");
        }
        assert!(!doc.contains('\u{1}') && !doc.contains('\u{1b}'));
        let core = part(&parts, "docProps/core.xml");
        assert!(
            core.contains("<dc:title>Verksamhets") && core.contains("&quot;Citat&quot; &lt;b&gt;fet&lt;/b&gt; &amp; &apos;apostrof&apos; slut"),
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
    assert_eq!(doc.matches("header↻").count(), tables, "one repeating header per table");
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
    assert!(doc.contains("[Heading2] Utvecklingsområden\n[Normal] —"), "{doc}");
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
    assert!(text.contains("[Title] Verksamhetsberättelse VB 2025 för enheten"), "{text}");
    let mut memo = fixtures::memo(false);
    memo.title = "  ".into();
    let parts = unzip(&docx(&fixtures::printable(Document::Report(&doc), &memo)).expect("docx"));
    let text = outline(part(&parts, "word/document.xml"));
    assert!(text.contains("[Title] Verksamhetsberättelse 2025 för Dagverksamheten"), "{text}");
}
