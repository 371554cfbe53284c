//! The indicators as an Excel workbook: one sheet, a header row that stays in view
//! (frozen) with a filter on every column, numbers as number cells (percentages as
//! percentages), everything else as text exactly as written.

use super::{Cell, Rows, indicator_rows, title};
use crate::{DocumentError, Printable};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, XlsxError};

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
