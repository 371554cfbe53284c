//! The indicators as CSV, in the form Swedish Excel opens by double-click without an
//! import dialogue: UTF-8 with a byte-order mark (without it Excel reads the file as
//! Windows-1252 and "å" breaks), semicolons between fields (the list separator of a
//! Swedish Windows), decimal commas, no thousands separators, CRLF line ends, quoting as
//! RFC 4180 (by the `csv` crate). A percentage is written as the percentage ("58,84"; the
//! column Måttenhet says "%" or "Procent"), so scripts read it as easily as Excel.

use super::{Cell, indicator_rows};
use crate::print_order::xml_safe;
use crate::{DocumentError, Printable};

/// The byte-order mark the file starts with.
pub const BOM: char = '\u{FEFF}';

fn text(c: &Cell) -> String {
    match c {
        Cell::Empty => String::new(),
        // Control characters (other than tab and line feed) say nothing to a reader and
        // confuse spreadsheet programs: left out, as in the other formats.
        Cell::Text(t) => xml_safe(t).into_owned(),
        Cell::Number { value, .. } => value.normalize().to_string().replace('.', ","),
    }
}

/// Makes the CSV text, beginning with [`BOM`].
pub fn csv(printable: &Printable<'_>) -> Result<String, DocumentError> {
    let rows = indicator_rows(printable);
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let err = |e: &dyn std::fmt::Display| DocumentError::Sheet(e.to_string());
    w.write_record(&rows.header).map_err(|e| err(&e))?;
    for row in &rows.rows {
        w.write_record(row.iter().map(text)).map_err(|e| err(&e))?;
    }
    let bytes = w.into_inner().map_err(|e| err(&e))?;
    let body = String::from_utf8(bytes).map_err(|e| err(&e))?;
    let mut out = String::with_capacity(body.len() + 3);
    out.push(BOM);
    out.push_str(&body);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use malkedja_domain::Decimal;
    use std::str::FromStr;

    #[test]
    fn numbers_have_decimal_commas_and_no_grouping() {
        let n = |s: &str| Cell::Number {
            value: Decimal::from_str(s).unwrap(),
            percent: false,
            text: s.into(),
        };
        assert_eq!(text(&n("58.840")), "58,84");
        assert_eq!(text(&n("40000")), "40000");
        assert_eq!(text(&n("-3.3")), "-3,3");
        assert_eq!(text(&Cell::Text("a\u{1}b".into())), "ab");
    }
}
