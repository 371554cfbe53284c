//! The indicators as an Excel workbook: one sheet, a header row that stays in view
//! (frozen) with a filter on every column, numbers as number cells (percentages as
//! percentages), everything else as text exactly as written. A report whose economy is
//! printed has a second sheet, *Ekonomi*: the same table as the PDF, in kronor.

use super::{Cell, Rows, indicator_rows, title};
use crate::print_order::xml_safe;
use crate::{Document, DocumentError, Printable};
use malkedja_domain::{EconomyFigures, EconomyTable, PrintedEconomy, ReportDocument};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError,
};

/// The most characters Excel keeps in a cell.
const CELL_MAX_CHARS: usize = 32_767;

fn err(e: XlsxError) -> DocumentError {
    DocumentError::Sheet(e.to_string())
}

/// A text cut to what a cell holds.
fn fit(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().count() <= CELL_MAX_CHARS {
        std::borrow::Cow::Borrowed(s)
    } else {
        let mut t: String = s.chars().take(CELL_MAX_CHARS - 1).collect();
        t.push('…');
        std::borrow::Cow::Owned(t)
    }
}

/// The width of a column (in characters) by its header.
fn width(header: &str) -> f64 {
    match header {
        "Målväg" => 28.0,
        "Mål" | "Indikator" => 45.0,
        "Analys" => 50.0,
        "Målnivå" | "Riktning" | "Målets bedömning" => 18.0,
        "Utfall föregående år" => 14.0,
        "Indikatorns id" => 10.0,
        _ => 13.0,
    }
}

/// The number format of a value with `decimals` decimals: "0", "0.00", "0%", "0.0%" (Excel
/// shows the decimal sign of the reader's language).
fn number_format(decimals: u32, percent: bool) -> String {
    let mut f = String::from("0");
    if decimals > 0 {
        f.push('.');
        f.push_str(&"0".repeat(decimals.min(10) as usize));
    }
    if percent {
        f.push('%');
    }
    f
}

/// Makes the workbook.
pub fn xlsx(printable: &Printable<'_>) -> Result<Vec<u8>, DocumentError> {
    let rows = indicator_rows(printable);
    let mut book = workbook(&title(printable), printable.printed_on)?;
    write_sheet(&mut book, "Indikatorer", &rows, &width, 0)?;
    if let Document::Report(r) = printable.document {
        economy_sheet(&mut book, r)?;
    }
    book.save_to_buffer().map_err(err)
}

/// A workbook with its title, author and date set.
pub(crate) fn workbook(title: &str, d: time::Date) -> Result<Workbook, DocumentError> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(
        u16::try_from(d.year()).unwrap_or(1900),
        u8::from(d.month()),
        d.day(),
    )
    .map_err(err)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(fit(title).into_owned())
            .set_author("Målkedja")
            .set_creation_datetime(&created),
    );
    Ok(book)
}

/// Adds a sheet named `name` with `rows`: a bold header row that stays in view (with the
/// first `frozen_columns` columns), a filter on every column, numbers as number cells
/// (percentages as percentages), text as written. `width` gives a column's width by its
/// header.
pub(crate) fn write_sheet(
    book: &mut Workbook,
    name: &str,
    rows: &Rows,
    width: &dyn Fn(&str) -> f64,
    frozen_columns: u16,
) -> Result<(), DocumentError> {
    let sheet = book.add_worksheet();
    sheet.set_name(name).map_err(err)?;
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border_bottom(FormatBorder::Thin);
    for (c, h) in rows.header.iter().enumerate() {
        let col =
            u16::try_from(c).map_err(|_| DocumentError::Sheet("för många kolumner".into()))?;
        sheet
            .write_string_with_format(0, col, fit(h), &head)
            .map_err(err)?;
        sheet.set_column_width(col, width(h)).map_err(err)?;
    }
    for (r, row) in rows.rows.iter().enumerate() {
        let line =
            u32::try_from(r + 1).map_err(|_| DocumentError::Sheet("för många rader".into()))?;
        for (c, cell) in row.iter().enumerate() {
            let col =
                u16::try_from(c).map_err(|_| DocumentError::Sheet("för många kolumner".into()))?;
            match cell {
                Cell::Empty => {}
                Cell::Text(t) => {
                    sheet.write_string(line, col, fit(t)).map_err(err)?;
                }
                Cell::Number { value, percent, .. } => {
                    let n: f64 = value
                        .normalize()
                        .to_string()
                        .parse()
                        .map_err(|_| DocumentError::Sheet(format!("{value} är inget tal")))?;
                    let decimals = value.normalize().scale();
                    let n = if *percent { n / 100.0 } else { n };
                    let format = Format::new().set_num_format(number_format(decimals, *percent));
                    sheet
                        .write_number_with_format(line, col, n, &format)
                        .map_err(err)?;
                }
            }
        }
    }
    let last_row = u32::try_from(rows.rows.len()).unwrap_or(u32::MAX);
    let last_col = u16::try_from(rows.header.len().saturating_sub(1)).unwrap_or(0);
    sheet.set_freeze_panes(1, frozen_columns).map_err(err)?;
    sheet.autofilter(0, 0, last_row, last_col).map_err(err)?;
    Ok(())
}

/// The economy's sheet, when the report prints an economy: the table (amounts in kronor as
/// numbers, the deviation from the budget computed, the totals row in bold), the note
/// under it, then each text beside its heading.
fn economy_sheet(book: &mut Workbook, r: &ReportDocument) -> Result<(), DocumentError> {
    let Some(printed) = r.economy.printed(r.report.kind) else {
        return Ok(());
    };
    let sheet = book.add_worksheet();
    sheet.set_name(PrintedEconomy::HEADING).map_err(err)?;
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border_bottom(FormatBorder::Thin);
    let kr = Format::new().set_num_format("#,##0");
    let total_kr = Format::new()
        .set_bold()
        .set_num_format("#,##0")
        .set_border_top(FormatBorder::Medium);
    let total_name = Format::new()
        .set_bold()
        .set_border_top(FormatBorder::Medium);
    sheet.set_column_width(0, 34).map_err(err)?;
    let mut line: u32 = 0;
    if let Some(t) = &printed.table {
        for (c, h) in t.header().iter().enumerate() {
            let col = u16::try_from(c).unwrap_or(u16::MAX);
            let h = if c == 0 {
                (*h).to_string()
            } else {
                format!("{h} (kr)")
            };
            sheet
                .write_string_with_format(0, col, &h, &head)
                .map_err(err)?;
            if c > 0 {
                sheet.set_column_width(col, 16).map_err(err)?;
            }
        }
        let mut write_row = |line: u32,
                             f: &EconomyFigures,
                             name: &Format,
                             amount: &Format|
         -> Result<(), XlsxError> {
            sheet.write_string_with_format(line, 0, fit(&xml_safe(f.name.trim())), name)?;
            for (c, a) in t.amounts(f).into_iter().enumerate() {
                let col = u16::try_from(c + 1).unwrap_or(u16::MAX);
                match a.and_then(|a| a.normalize().to_string().parse::<f64>().ok()) {
                    Some(n) => sheet.write_number_with_format(line, col, n, amount)?,
                    None => sheet.write_blank(line, col, amount)?,
                };
            }
            Ok(())
        };
        for f in &t.rows {
            line += 1;
            write_row(line, f, &Format::new(), &kr).map_err(err)?;
        }
        line += 1;
        write_row(line, &t.totals, &total_name, &total_kr).map_err(err)?;
        line += 1;
        sheet
            .write_string_with_format(line, 0, EconomyTable::NOTE, &Format::new().set_italic())
            .map_err(err)?;
        sheet.set_freeze_panes(1, 0).map_err(err)?;
        line += 2;
    }
    // Each text beside its heading, over the table's width, its row as tall as the text.
    let last_col = printed.table.as_ref().map_or(4, |t| t.header().len() - 1);
    let width_chars = 34 + 16 * last_col;
    let last_col = u16::try_from(last_col).unwrap_or(4);
    let top = Format::new().set_bold().set_align(FormatAlign::Top);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    for (heading, text) in printed.texts() {
        sheet
            .write_string_with_format(line, 0, heading, &top)
            .map_err(err)?;
        let text = xml_safe(text.trim()).into_owned();
        sheet
            .merge_range(line, 1, line, last_col, &fit(&text), &wrap)
            .map_err(err)?;
        sheet
            .set_row_height(line, text_height(&text, width_chars - 34))
            .map_err(err)?;
        line += 1;
    }
    Ok(())
}

/// The height (points) of a row that shows `text` wrapped in `chars` characters' width:
/// Excel does not size a merged cell's row itself. At most Excel's 409 points.
fn text_height(text: &str, chars: usize) -> f64 {
    let per_line = chars.max(10);
    let lines: usize = text
        .lines()
        .map(|l| l.chars().count().div_ceil(per_line).max(1))
        .sum();
    (15.0 * lines.max(1) as f64).min(409.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_follow_the_decimals() {
        assert_eq!(number_format(0, false), "0");
        assert_eq!(number_format(2, false), "0.00");
        assert_eq!(number_format(0, true), "0%");
        assert_eq!(number_format(2, true), "0.00%");
    }

    #[test]
    fn long_texts_are_cut_to_a_cell() {
        let long = "å".repeat(CELL_MAX_CHARS + 5);
        assert_eq!(fit(&long).chars().count(), CELL_MAX_CHARS);
        assert_eq!(fit("kort"), "kort");
    }
}
