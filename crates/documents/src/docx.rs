//! Word (DOCX): the same content as the official PDF, for those who must edit further.
//!
//! The WordprocessingML is written here directly (escaped by [`esc`]) and zipped with the
//! `zip` crate. docx-rs, the usual crate, cannot mark a table's header row as repeating
//! (`w:tblHeader`), set the document's language (`w:lang`) or its title in the core
//! properties, all of which this document needs; the parts Word reads are few and small.
//!
//! What Word gets: the built-in heading styles (Rubrik 1–6 in a Swedish Word, with outline
//! levels, so the navigation pane and the table of contents work), a table of contents
//! field (filled in, linked to the headings; Word adds the page numbers when it updates
//! fields on opening), tables whose header row repeats on each page and whose rows never
//! split, bullet lists, "Sid X (Y)" in the footer, language sv-SE with hyphenation, and the
//! title, language and date in the core properties.

use crate::print_order::{self, Block, Header, Item, Table, TableKind, xml_safe};
use crate::{DocumentError, Printable};
use std::fmt::Write as _;
use std::io::Write as _;

/// The width of the text between the margins, in twentieths of a point: A4 (11 906) less
/// two margins of 2,5 cm (1 418 each).
const TEXT_WIDTH: u32 = 11_906 - 2 * 1_418;

/// Makes the Word document.
pub fn docx(printable: &Printable<'_>) -> Result<Vec<u8>, DocumentError> {
    let header = print_order::header(printable);
    let items = print_order::items(printable);
    let document = document_xml(&header, &items);
    let core = core_xml(&header.title, printable);
    pack(&[
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("docProps/core.xml", core),
        ("docProps/app.xml", APP.to_string()),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_string()),
        ("word/document.xml", document),
        ("word/styles.xml", styles_xml()),
        ("word/settings.xml", SETTINGS.to_string()),
        ("word/numbering.xml", NUMBERING.to_string()),
        ("word/footer1.xml", FOOTER.to_string()),
    ])
}

fn pack(parts: &[(&str, String)]) -> Result<Vec<u8>, DocumentError> {
    let err = |e: &dyn std::fmt::Display| DocumentError::Docx(e.to_string());
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in parts {
        zip.start_file(*name, options).map_err(|e| err(&e))?;
        zip.write_all(body.as_bytes()).map_err(|e| err(&e))?;
    }
    let cursor = zip.finish().map_err(|e| err(&e))?;
    Ok(cursor.into_inner())
}

/// Escapes text for XML content and attribute values, and drops what XML cannot carry.
fn esc(s: &str) -> String {
    let s = xml_safe(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Runs for a text: line breaks become `w:br`, tabs `w:tab`.
fn runs(text: &str) -> String {
    let mut out = String::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:r><w:br/></w:r>");
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                out.push_str("<w:r><w:tab/></w:r>");
            }
            if !piece.is_empty() {
                let _ = write!(
                    out,
                    "<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r>",
                    esc(piece)
                );
            }
        }
    }
    out
}

/// A paragraph of one style.
fn para(style: &str, text: &str) -> String {
    format!(
        "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>{}</w:p>",
        runs(text)
    )
}

fn page_break() -> &'static str {
    "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>"
}

struct Body {
    xml: String,
    /// Bookmarks of the headings the table of contents lists.
    next_bookmark: usize,
}

impl Body {
    fn blocks(&mut self, blocks: &[Block]) {
        for b in blocks {
            match b {
                Block::Paragraph(t) => self.xml.push_str(&para("Normal", t)),
                Block::List(items) => {
                    for i in items {
                        self.xml.push_str(&para("ListBullet", i));
                    }
                }
            }
        }
    }

    fn heading(&mut self, level: u8, text: &str) {
        let level = level.clamp(1, 9);
        if level <= print_order::TOC_DEPTH {
            let id = self.next_bookmark;
            self.next_bookmark += 1;
            let _ = write!(
                self.xml,
                "<w:p><w:pPr><w:pStyle w:val=\"Heading{level}\"/></w:pPr>\
                 <w:bookmarkStart w:id=\"{id}\" w:name=\"_Toc{id}\"/>{}\
                 <w:bookmarkEnd w:id=\"{id}\"/></w:p>",
                runs(text)
            );
        } else {
            self.xml.push_str(&para(&format!("Heading{level}"), text));
        }
    }

    fn table(&mut self, t: &Table) {
        let widths = column_widths(t.kind, t.header.len());
        self.xml.push_str(&para("Caption", &t.caption));
        let _ = write!(
            self.xml,
            "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"{TEXT_WIDTH}\" w:type=\"dxa\"/>\
             <w:tblLayout w:type=\"fixed\"/>\
             <w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"1\" w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/>\
             <w:tblCaption w:val=\"{}\"/></w:tblPr><w:tblGrid>",
            esc(&t.caption)
        );
        for w in &widths {
            let _ = write!(self.xml, "<w:gridCol w:w=\"{w}\"/>");
        }
        self.xml.push_str("</w:tblGrid>");
        // The header row repeats on every page; no row splits over a page break.
        self.xml
            .push_str("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
        for (j, (h, w)) in t.header.iter().zip(&widths).enumerate() {
            let style = if t.kind.is_amount(j) {
                "TableHeadingNumber"
            } else {
                "TableHeading"
            };
            self.cell(*w, Some(Shading), &para(style, h));
        }
        self.xml.push_str("</w:tr>");
        for (i, row) in t.rows.iter().enumerate() {
            self.xml.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
            for (j, (value, w)) in row.iter().zip(&widths).enumerate() {
                let merge = if t.grouped && j == 0 {
                    let continues = i > 0 && t.rows[i - 1].first() == Some(value);
                    Some(if continues { Continue } else { Restart })
                } else {
                    None
                };
                let style = if j == 0 {
                    "TableRowHeading"
                } else if t.kind.is_amount(j) {
                    "TableNumber"
                } else {
                    "TableText"
                };
                let content = if merge == Some(Continue) {
                    "<w:p/>".to_string()
                } else {
                    para(style, value)
                };
                self.cell(*w, merge, &content);
            }
            self.xml.push_str("</w:tr>");
        }
        // The totals: bold, under a heavier rule.
        if let Some(totals) = &t.totals {
            self.xml.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
            for (j, (value, w)) in totals.iter().zip(&widths).enumerate() {
                let style = if t.kind.is_amount(j) {
                    "TableTotalNumber"
                } else {
                    "TableTotal"
                };
                self.cell(*w, Some(Total), &para(style, value));
            }
            self.xml.push_str("</w:tr>");
        }
        self.xml.push_str("</w:tbl>");
    }

    fn cell(&mut self, width: u32, look: Option<CellLook>, content: &str) {
        let _ = write!(
            self.xml,
            "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>"
        );
        match look {
            Some(Restart) => self.xml.push_str("<w:vMerge w:val=\"restart\"/>"),
            Some(Continue) => self.xml.push_str("<w:vMerge w:val=\"continue\"/>"),
            Some(Shading) => self
                .xml
                .push_str("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E7E6E6\"/>"),
            Some(Total) => self.xml.push_str(
                "<w:tcBorders><w:top w:val=\"single\" w:sz=\"12\" w:space=\"0\" w:color=\"404040\"/></w:tcBorders>",
            ),
            None => {}
        }
        let _ = write!(self.xml, "</w:tcPr>{content}</w:tc>");
    }
}

/// How a cell differs from the rest: the first of a group's merged cells, one merged into
/// the cell above, a shaded header cell, or a cell of the totals row (a heavier rule above).
#[derive(Clone, Copy, PartialEq, Eq)]
enum CellLook {
    Restart,
    Continue,
    Shading,
    Total,
}
use CellLook::{Continue, Restart, Shading, Total};

/// Column widths (twentieths of a point) that add up to the text's width.
fn column_widths(kind: TableKind, columns: usize) -> Vec<u32> {
    let shares: &[u32] = match kind {
        TableKind::PlanIndicators => &[50, 17, 18, 15],
        TableKind::ReportIndicators if columns == 6 => &[28, 16, 15, 13, 14, 14],
        TableKind::ReportIndicators => &[20, 13, 10, 10, 12, 11, 11, 13],
        TableKind::PlanActivities => &[62, 19, 19],
        TableKind::ReportActivities => &[49, 17, 17, 17],
        TableKind::Complaints => &[18, 26, 7, 7, 7, 8, 27],
        // The operation, then equal columns of amounts (budget, forecast, outcome in the
        // annual report; budget and forecast in the second tertial report), the deviation.
        TableKind::Economy if columns == 4 => &[37, 21, 21, 21],
        TableKind::Economy => &[32, 17, 17, 17, 17],
    };
    if shares.len() != columns || columns == 0 {
        let n = u32::try_from(columns.max(1)).unwrap_or(1);
        return vec![TEXT_WIDTH / n; columns];
    }
    let total: u32 = shares.iter().sum();
    shares.iter().map(|s| TEXT_WIDTH * s / total).collect()
}

fn iso(d: malkedja_domain::Date) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    d.format(&fmt).unwrap_or_default()
}

fn document_xml(header: &Header, items: &[Item]) -> String {
    let mut body = Body {
        xml: String::new(),
        next_bookmark: 0,
    };
    // The memo header, as the city's documents print it.
    body.xml.push_str(&para("MemoCity", &header.city));
    body.xml.push_str(&para("MemoUnit", &header.unit));
    body.xml.push_str(&para("MemoKind", "Tjänsteutlåtande"));
    body.xml
        .push_str(&para("MemoField", &format!("Dnr: {}", header.case_number)));
    body.xml.push_str(&para("MemoField", &iso(header.date)));
    body.xml.push_str(&para("MemoLabel", "Handläggare"));
    body.xml.push_str(&para("MemoField", &header.case_officer));
    body.xml.push_str(&para("MemoLabel", "Till"));
    body.xml.push_str(&para("MemoField", &header.addressee));
    body.xml
        .push_str(&para("MemoField", &format!("Telefon: {}", header.phone)));
    body.xml.push_str(&para("Title", &header.title));
    body.xml
        .push_str(&para("MemoHeading", "Förslag till beslut"));
    body.blocks(&header.proposal);
    body.xml.push_str(page_break());

    // The table of contents: a TOC field over the headings of levels 1–2, its result
    // filled in with links to the headings (Word adds page numbers when it updates it).
    let toc = print_order::toc(items);
    body.xml.push_str(
        "<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val=\"Table of Contents\"/>\
         <w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>",
    );
    body.xml
        .push_str(&para("TOCHeading", "Innehållsförteckning"));
    let _ = write!(
        body.xml,
        "<w:p><w:r><w:fldChar w:fldCharType=\"begin\" w:dirty=\"true\"/></w:r>\
         <w:r><w:instrText xml:space=\"preserve\"> TOC \\o \"1-{}\" \\h \\z \\u </w:instrText></w:r>\
         <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r></w:p>",
        print_order::TOC_DEPTH
    );
    for (i, (level, text)) in toc.iter().enumerate() {
        let _ = write!(
            body.xml,
            "<w:p><w:pPr><w:pStyle w:val=\"TOC{level}\"/></w:pPr>\
             <w:hyperlink w:anchor=\"_Toc{i}\" w:history=\"1\">{}</w:hyperlink></w:p>",
            runs(text)
        );
    }
    body.xml.push_str(
        "<w:p><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p></w:sdtContent></w:sdt>",
    );
    body.xml.push_str(page_break());

    for item in items {
        match item {
            Item::Heading { level, text } => body.heading(*level, text),
            Item::Text(blocks) => body.blocks(blocks),
            Item::Note(t) => body.xml.push_str(&para("Note", t)),
            Item::Assessment { symbol, label } => body
                .xml
                .push_str(&para("Assessment", &format!("{symbol} {label}"))),
            Item::Table(t) => body.table(t),
        }
    }

    // Word ends a body with a paragraph, also after a final table.
    body.xml.push_str("<w:p/>");
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document xmlns:w=\"{W}\" xmlns:r=\"{R}\"><w:body>{}\
         <w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter1\"/>\
         <w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
         <w:pgMar w:top=\"1418\" w:right=\"1418\" w:bottom=\"1418\" w:left=\"1418\" w:header=\"709\" w:footer=\"709\" w:gutter=\"0\"/>\
         </w:sectPr></w:body></w:document>",
        body.xml
    )
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn core_xml(title: &str, p: &Printable<'_>) -> String {
    let created = format!("{}T00:00:00Z", iso(p.printed_on));
    let creator = print_order::unit_name(p);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:creator>{}</dc:creator><dc:language>sv-SE</dc:language>\
         <dcterms:created xsi:type=\"dcterms:W3CDTF\">{created}</dcterms:created>\
         <dcterms:modified xsi:type=\"dcterms:W3CDTF\">{created}</dcterms:modified>\
         </cp:coreProperties>",
        esc(title),
        esc(creator)
    )
}

/// A paragraph style: id, the name Word knows it by, what it is based on, and its
/// paragraph and run properties.
fn style(id: &str, name: &str, based_on: Option<&str>, ppr: &str, rpr: &str) -> String {
    let based = based_on.map_or_else(String::new, |b| format!("<w:basedOn w:val=\"{b}\"/>"));
    format!(
        "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/>{based}\
         <w:next w:val=\"Normal\"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
    )
}

fn styles_xml() -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:styles xmlns:w=\"{W}\"><w:docDefaults><w:rPrDefault><w:rPr>\
         <w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:eastAsia=\"Arial\" w:cs=\"Arial\"/>\
         <w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/><w:lang w:val=\"sv-SE\" w:eastAsia=\"sv-SE\" w:bidi=\"ar-SA\"/>\
         </w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"264\" w:lineRule=\"auto\"/>\
         </w:pPr></w:pPrDefault></w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
    );
    let sizes = [32, 28, 26, 24, 22, 22, 22, 22, 22];
    for (i, size) in sizes.iter().enumerate() {
        let level = i + 1;
        let italic = if level >= 6 { "<w:i/>" } else { "" };
        s.push_str(&style(
            &format!("Heading{level}"),
            &format!("heading {level}"),
            Some("Normal"),
            &format!(
                "<w:keepNext/><w:keepLines/><w:spacing w:before=\"{}\" w:after=\"120\"/><w:outlineLvl w:val=\"{i}\"/>",
                if level <= 2 { 360 } else { 240 }
            ),
            &format!("<w:b/><w:bCs/>{italic}<w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/>"),
        ));
    }
    s.push_str(&style(
        "Title",
        "Title",
        Some("Normal"),
        "<w:spacing w:before=\"480\" w:after=\"240\"/>",
        "<w:b/><w:bCs/><w:sz w:val=\"36\"/><w:szCs w:val=\"36\"/>",
    ));
    s.push_str(&style(
        "TOCHeading",
        "TOC Heading",
        Some("Normal"),
        "<w:keepNext/><w:spacing w:after=\"240\"/>",
        "<w:b/><w:bCs/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/>",
    ));
    for level in 1..=9u32 {
        s.push_str(&style(
            &format!("TOC{level}"),
            &format!("toc {level}"),
            Some("Normal"),
            &format!(
                "<w:tabs><w:tab w:val=\"right\" w:leader=\"dot\" w:pos=\"{TEXT_WIDTH}\"/></w:tabs>\
                 <w:spacing w:after=\"60\"/><w:ind w:left=\"{}\"/>",
                (level - 1) * 284
            ),
            "",
        ));
    }
    s.push_str(&style(
        "Caption",
        "caption",
        Some("Normal"),
        "<w:keepNext/><w:spacing w:before=\"200\" w:after=\"60\"/>",
        "<w:i/><w:iCs/><w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/>",
    ));
    s.push_str(&style(
        "ListBullet",
        "List Bullet",
        Some("Normal"),
        "<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr><w:spacing w:after=\"60\"/><w:ind w:left=\"357\" w:hanging=\"357\"/>",
        "",
    ));
    s.push_str(&style(
        "TableHeading",
        "Tabellrubrik",
        Some("Normal"),
        "<w:keepNext/><w:spacing w:after=\"0\"/>",
        "<w:b/><w:bCs/><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>",
    ));
    s.push_str(&style(
        "TableRowHeading",
        "Tabellradrubrik",
        Some("Normal"),
        "<w:spacing w:after=\"0\"/>",
        "<w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>",
    ));
    s.push_str(&style(
        "TableText",
        "Tabelltext",
        Some("Normal"),
        "<w:spacing w:after=\"0\"/>",
        "<w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>",
    ));
    // The economy's amounts: aligned to the right, the totals in bold.
    s.push_str(&style(
        "TableHeadingNumber",
        "Tabellrubrik belopp",
        Some("TableHeading"),
        "<w:jc w:val=\"right\"/>",
        "",
    ));
    s.push_str(&style(
        "TableNumber",
        "Tabelltext belopp",
        Some("TableText"),
        "<w:jc w:val=\"right\"/>",
        "",
    ));
    s.push_str(&style(
        "TableTotal",
        "Tabellsumma",
        Some("TableRowHeading"),
        "",
        "<w:b/><w:bCs/>",
    ));
    s.push_str(&style(
        "TableTotalNumber",
        "Tabellsumma belopp",
        Some("TableNumber"),
        "",
        "<w:b/><w:bCs/>",
    ));
    s.push_str(&style(
        "Note",
        "Notering",
        Some("Normal"),
        "",
        "<w:i/><w:iCs/><w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/>",
    ));
    s.push_str(&style(
        "Assessment",
        "Bedömning",
        Some("Normal"),
        "<w:spacing w:before=\"60\"/>",
        "<w:b/><w:bCs/>",
    ));
    s.push_str(&style(
        "MemoCity",
        "Tjänsteutlåtande stad",
        Some("Normal"),
        "<w:spacing w:after=\"0\"/>",
        "<w:b/><w:bCs/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>",
    ));
    s.push_str(&style(
        "MemoUnit",
        "Tjänsteutlåtande enhet",
        Some("Normal"),
        "<w:spacing w:after=\"240\"/>",
        "<w:b/><w:bCs/>",
    ));
    s.push_str(&style(
        "MemoKind",
        "Tjänsteutlåtande typ",
        Some("Normal"),
        "<w:spacing w:after=\"60\"/>",
        "<w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/>",
    ));
    s.push_str(&style(
        "MemoLabel",
        "Tjänsteutlåtande etikett",
        Some("Normal"),
        "<w:keepNext/><w:spacing w:before=\"120\" w:after=\"0\"/>",
        "<w:b/><w:bCs/><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>",
    ));
    s.push_str(&style(
        "MemoField",
        "Tjänsteutlåtande fält",
        Some("Normal"),
        "<w:spacing w:after=\"0\"/>",
        "",
    ));
    s.push_str(&style(
        "MemoHeading",
        "Tjänsteutlåtande rubrik",
        Some("Normal"),
        "<w:keepNext/><w:spacing w:before=\"240\" w:after=\"120\"/>",
        "<w:b/><w:bCs/><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/>",
    ));
    s.push_str(&style(
        "Footer",
        "footer",
        Some("Normal"),
        "<w:spacing w:after=\"0\"/><w:jc w:val=\"right\"/>",
        "<w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>",
    ));
    s.push_str(
        "<w:style w:type=\"character\" w:styleId=\"Hyperlink\"><w:name w:val=\"Hyperlink\"/>\
         <w:rPr><w:color w:val=\"0563C1\"/><w:u w:val=\"single\"/></w:rPr></w:style>\
         <w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table Grid\"/>\
         <w:tblPr><w:tblBorders>\
         <w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/>\
         <w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/>\
         <w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/>\
         <w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/>\
         <w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/>\
         <w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/>\
         </w:tblBorders><w:tblCellMar><w:top w:w=\"40\" w:type=\"dxa\"/><w:left w:w=\"80\" w:type=\"dxa\"/>\
         <w:bottom w:w=\"40\" w:type=\"dxa\"/><w:right w:w=\"80\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
         </w:styles>",
    );
    s
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/word/numbering.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
</Types>";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>";

const DOCUMENT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
<Relationship Id=\"rIdNumbering\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering\" Target=\"numbering.xml\"/>\
<Relationship Id=\"rIdFooter1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>\
</Relationships>";

const APP: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
<Application>Målkedja</Application></Properties>";

/// Word updates the fields (the table of contents' page numbers) when it opens the file;
/// Swedish hyphenation. Word reads these elements only in the schema's order.
const SETTINGS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:defaultTabStop w:val=\"1304\"/><w:autoHyphenation/>\
<w:characterSpacingControl w:val=\"doNotCompress\"/><w:updateFields w:val=\"true\"/>\
<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
<w:themeFontLang w:val=\"sv-SE\"/><w:decimalSymbol w:val=\",\"/><w:listSeparator w:val=\";\"/>\
</w:settings>";

const NUMBERING: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:abstractNum w:abstractNumId=\"0\"><w:multiLevelType w:val=\"singleLevel\"/>\
<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"•\"/>\
<w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"357\" w:hanging=\"357\"/></w:pPr></w:lvl></w:abstractNum>\
<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>";

/// "Sid X (Y)" on every page.
const FOOTER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>\
<w:r><w:t xml:space=\"preserve\">Sid </w:t></w:r>\
<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>\
<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
<w:r><w:t xml:space=\"preserve\"> (</w:t></w:r>\
<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> NUMPAGES </w:instrText></w:r>\
<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
<w:r><w:t>)</w:t></w:r></w:p></w:ftr>";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_quotes_and_control_characters() {
        assert_eq!(
            esc("a<b>&\"c\"'d'\u{1}\u{1b}"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;"
        );
    }

    #[test]
    fn runs_keep_line_breaks_and_tabs() {
        let r = runs("a\nb\tc");
        assert_eq!(
            r,
            "<w:r><w:t xml:space=\"preserve\">a</w:t></w:r><w:r><w:br/></w:r>\
             <w:r><w:t xml:space=\"preserve\">b</w:t></w:r><w:r><w:tab/></w:r>\
             <w:r><w:t xml:space=\"preserve\">c</w:t></w:r>"
        );
    }

    #[test]
    fn columns_fill_the_text_width() {
        for kind in [
            TableKind::PlanIndicators,
            TableKind::ReportIndicators,
            TableKind::PlanActivities,
            TableKind::ReportActivities,
            TableKind::Complaints,
            TableKind::Economy,
        ] {
            let ns: &[usize] = match kind {
                TableKind::PlanIndicators | TableKind::ReportActivities => &[4],
                // With the columns for women and men, and without.
                TableKind::ReportIndicators => &[8, 6],
                TableKind::PlanActivities => &[3],
                TableKind::Complaints => &[7],
                // The annual report's, and the second tertial report's (no outcome).
                TableKind::Economy => &[5, 4],
            };
            for &n in ns {
                let w = column_widths(kind, n);
                assert_eq!(w.len(), n);
                let sum: u32 = w.iter().sum();
                assert!(
                    sum <= TEXT_WIDTH && TEXT_WIDTH - sum < 10,
                    "{kind:?} {n}: {sum}"
                );
            }
        }
    }
}
