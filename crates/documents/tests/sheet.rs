//! The indicator sheet: the workbook read back with calamine (numbers are numbers,
//! percentages are percentages, text is as written), the CSV read back with the csv crate.

mod fixtures;

use calamine::{Data, Reader as _, Xlsx, open_workbook_from_rs};
use malkedja_documents::{Document, csv, xlsx};
use std::io::{Cursor, Read};

fn sheet(bytes: &[u8]) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("a workbook");
    // A report's economy has a sheet of its own after the indicators (tests/economy.rs).
    assert_eq!(book.sheet_names()[0], "Indikatorer");
    let range = book.worksheet_range("Indikatorer").expect("the sheet");
    range.rows().map(<[Data]>::to_vec).collect()
}

fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut s = String::new();
    zip.by_name(name)
        .expect("the part")
        .read_to_string(&mut s)
        .expect("text");
    s
}

fn column(rows: &[Vec<Data>], header: &str) -> usize {
    rows[0]
        .iter()
        .position(|c| c == &Data::String(header.into()))
        .unwrap_or_else(|| panic!("no column {header}"))
}

fn s(t: &str) -> Data {
    Data::String(t.into())
}

#[test]
fn the_plans_indicators_are_rows_with_numbers_as_numbers() {
    let doc = fixtures::plan(false);
    let memo = fixtures::memo(false);
    let bytes = xlsx(&fixtures::printable(Document::Plan(&doc), &memo)).expect("xlsx");
    let rows = sheet(&bytes);
    assert_eq!(
        rows[0],
        [
            "Målväg",
            "Målnivå",
            "Mål",
            "Indikator",
            "Måttenhet",
            "Periodicitet",
            "Riktning",
            "Årsmål",
            "KF:s årsmål",
            "Indikatorns id"
        ]
        .map(s)
    );
    assert_eq!(rows.len(), 5, "a header and one row per indicator");
    assert_eq!(
        rows[1],
        vec![
            s("1 › 1.3"),
            s("KF:s mål för verksamhetsområdet"),
            s("1.3 Stöd och omsorg där behoven är störst"),
            s("Aktivt medskapandeindex"),
            s("Index"),
            s("År"),
            s("Högre är bättre"),
            Data::Empty,
            Data::Float(83.0),
            Data::Float(1.0),
        ]
    );
    // Percentages are stored as fractions with a percent format; a text target is text.
    assert_eq!(rows[2][7], Data::Float(0.5884));
    assert_eq!(rows[2][8], Data::Float(0.9));
    assert_eq!(rows[3][7], s("Tas fram av nämnd"));
    assert_eq!(rows[3][8], Data::Float(0.065), "6,5 of an indicator in %");
    assert_eq!(
        rows[4][0],
        s("1 › 1.3 › Invånarna får stöd på lika villkor › Alla deltagare har en meningsfull dag")
    );
    assert_eq!(rows[4][7], Data::Float(12.0), "12 st with the unit st");
    assert_eq!(rows[4][4], s("st"));

    let styles = part(&bytes, "xl/styles.xml");
    assert!(styles.contains("formatCode=\"0.00%\""), "{styles}");
    assert!(styles.contains("formatCode=\"0%\""), "{styles}");
    let ws = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(ws.contains("state=\"frozen\""), "the header row is frozen");
    assert!(ws.contains("<autoFilter ref=\"A1:J5\""), "{ws}");
    assert!(ws.contains("<col "), "column widths");
    let core = part(&bytes, "docProps/core.xml");
    assert!(
        core.contains(
            "<dc:title>Indikatorer – Verksamhetsplan 2025 för Dagverksamheten</dc:title>"
        ),
        "{core}"
    );
}

#[test]
fn the_reports_rows_carry_outcomes_and_assessments() {
    let doc = fixtures::report(false);
    let memo = fixtures::memo(false);
    let bytes = xlsx(&fixtures::printable(Document::Report(&doc), &memo)).expect("xlsx");
    let rows = sheet(&bytes);
    for h in [
        "Utfall VB 2025",
        "Utfall kvinnor",
        "Utfall män",
        "Utfall föregående år",
        "Period",
        "Årsmålet nått",
        "Målets bedömning",
        "Analys",
    ] {
        column(&rows, h);
    }
    let (outcome, women, met, assessment, analysis) = (
        column(&rows, "Utfall VB 2025"),
        column(&rows, "Utfall kvinnor"),
        column(&rows, "Årsmålet nått"),
        column(&rows, "Målets bedömning"),
        column(&rows, "Analys"),
    );
    // Andel nöjda brukare: 61,5 % against 58,84 %, higher is better.
    assert_eq!(rows[2][outcome], Data::Float(0.615));
    assert_eq!(rows[2][women], Data::Float(0.63));
    assert_eq!(rows[2][met], s("Ja"));
    assert_eq!(rows[2][assessment], s("● Uppfylls helt"));
    assert_eq!(rows[2][analysis], s("Bättre än i fjol."));
    // Sjukfrånvaro: a text target, nothing to compare.
    assert_eq!(rows[3][met], Data::Empty);
    // Antal utflykter: 9 st against 12 st.
    assert_eq!(rows[4][outcome], Data::Float(9.0));
    assert_eq!(rows[4][met], s("Nej"));
    assert_eq!(rows[4][assessment], s("◐ Uppfylls delvis"));
}

#[test]
fn the_csv_is_for_swedish_excel_and_reads_back() {
    let doc = fixtures::report(false);
    let memo = fixtures::memo(false);
    let text = csv(&fixtures::printable(Document::Report(&doc), &memo)).expect("csv");
    assert!(text.starts_with('\u{FEFF}'), "a byte-order mark for Excel");
    assert!(text.contains("\r\n"));
    let mut r = ::csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.trim_start_matches('\u{FEFF}').as_bytes());
    let header: Vec<String> = r
        .headers()
        .expect("a header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(header[0], "Målväg");
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.expect("a row").iter().map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), 4);
    let col = |h: &str| header.iter().position(|x| x == h).expect("a column");
    assert_eq!(rows[1][col("Årsmål")], "58,84");
    assert_eq!(rows[1][col("KF:s årsmål")], "90");
    assert_eq!(rows[1][col("Utfall VB 2025")], "61,5");
    assert_eq!(rows[2][col("Årsmål")], "Tas fram av nämnd");
    assert_eq!(rows[3][col("Årsmål")], "12");
    assert_eq!(rows[3][col("Måttenhet")], "st");
}

#[test]
fn quotes_markup_and_control_characters_come_out_literally() {
    let literal = "\"Citat\" <b>fet</b> & 'apostrof' slut";
    let doc = fixtures::report(true);
    let memo = fixtures::memo(true);
    let p = fixtures::printable(Document::Report(&doc), &memo);

    let bytes = xlsx(&p).expect("xlsx");
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes.clone())).expect("a zip");
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("a part");
        let name = f.name().expect("a name").to_string();
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let mut xml = String::new();
            f.read_to_string(&mut xml).expect("text");
            let mut reader = quick_xml::reader::Reader::from_str(&xml);
            reader.config_mut().check_end_names = true;
            loop {
                match reader.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => {}
                    Err(e) => panic!("{name}: {e}"),
                }
            }
        }
    }
    let rows = sheet(&bytes);
    let indicator = column(&rows, "Indikator");
    assert_eq!(
        rows[2][indicator],
        s(&format!("Andel nöjda brukare {literal}"))
    );
    let goal = column(&rows, "Mål");
    assert_eq!(
        rows[2][goal],
        s(&format!("Invånarna får stöd på lika villkor {literal}"))
    );

    let text = csv(&p).expect("csv");
    let mut r = ::csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.trim_start_matches('\u{FEFF}').as_bytes());
    let names: Vec<String> = r
        .records()
        .map(|x| x.expect("a row")[3].to_string())
        .collect();
    assert_eq!(names[1], format!("Andel nöjda brukare {literal}"));
    assert!(!text.contains('\u{1}'));
}
