//! Every indicator of a plan or report, one row each, for controllers: as an Excel workbook
//! (numbers as numbers) and as CSV for Swedish Excel. Both are made from the same rows
//! ([`indicator_rows`]); see docs/office-formats.md for the columns and the CSV's form.
//! A roll-up of many units is a workbook of its own (`rollup.rs`).

mod csv_text;
mod rollup;
mod xlsx;

pub use csv_text::csv;
pub use rollup::{rollup_title, rollup_xlsx};
pub use xlsx::xlsx;

use crate::print_order;
use crate::{Document, Printable};
use malkedja_domain::{
    CascadeGoal, Decimal, Direction, IndicatorView, Measure, ReportDocument, Target, ValueKind,
};

/// A value in a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A number as written, with its number. `percent`: the number is a percentage
    /// ("58,84 %" is 58.84; Excel stores 0.5884 and shows it as a percentage).
    Number {
        value: Decimal,
        percent: bool,
        text: String,
    },
}

impl Cell {
    /// A text cell; control characters (other than tab and line feed) are left out, as in
    /// every format (XML cannot carry them, and they say nothing to a reader).
    fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.trim().is_empty() {
            Cell::Empty
        } else {
            Cell::Text(print_order::xml_safe(&s).into_owned())
        }
    }
}

/// The header row and the rows: one per indicator, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rows {
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// Reads a value as a number when it is one: a number alone, a number with "%", or a
/// number followed by the indicator's unit of measure ("0 st" with unit "st", "30 gram"
/// with unit "gram per portion"). Anything
/// else ("Tas fram av nämnd", "ca 90", "19 Tas fram") stays text as written. A bare number
/// of a percentage indicator is a percentage.
pub fn number_cell(text: &str, kind: ValueKind, unit: Option<&str>) -> Cell {
    let t = text.trim();
    if t.is_empty() {
        return Cell::Empty;
    }
    if kind == ValueKind::Text {
        return Cell::text(t);
    }
    let m = Measure::parse(t);
    let Some(value) = m.value else {
        return Cell::text(t);
    };
    let rest = rest_after_number(t);
    let unit = unit.map(str::trim).filter(|u| !u.is_empty());
    let percent = if rest.is_empty() {
        kind == ValueKind::Percent || unit == Some("%")
    } else if rest == "%" {
        true
    } else if unit.is_some_and(|u| names_unit(rest, u)) {
        false
    } else {
        return Cell::text(t);
    };
    Cell::Number {
        value,
        percent,
        text: t.to_string(),
    }
}

/// Whether the words after a number name the indicator's unit of measure: the unit itself
/// ("st" of "st"), or its first words ("gram" of "gram per portion"), in any case.
fn names_unit(rest: &str, unit: &str) -> bool {
    let (rest, unit) = (rest.to_lowercase(), unit.to_lowercase());
    unit == rest
        || unit
            .strip_prefix(&rest)
            .is_some_and(|after| after.starts_with(' '))
}

/// What follows the leading number of a text, trimmed.
fn rest_after_number(t: &str) -> &str {
    let mut end = 0;
    let mut seen_digit = false;
    for (i, c) in t.char_indices() {
        let ok = c.is_ascii_digit()
            || (i == 0 && matches!(c, '-' | '−' | '+'))
            || (seen_digit && matches!(c, ',' | '.' | ' ' | '\u{a0}' | '\u{202f}'));
        if !ok {
            break;
        }
        seen_digit |= c.is_ascii_digit();
        if c.is_ascii_digit() {
            end = i + c.len_utf8();
        }
    }
    t[end..].trim()
}

fn target_cell(t: Option<&Target>, kind: ValueKind, unit: Option<&str>) -> Cell {
    match t {
        None => Cell::Empty,
        Some(Target::SetByBoard { text }) => Cell::text(text.trim()),
        Some(Target::Value(m)) => number_cell(&m.text, kind, unit),
    }
}

fn value_of(c: &Cell) -> Option<Decimal> {
    match c {
        Cell::Number { value, .. } => Some(*value),
        _ => None,
    }
}

/// The headers of the columns.
fn header(report: Option<&ReportDocument>) -> Vec<String> {
    let mut h: Vec<String> = [
        "Målväg",
        "Målnivå",
        "Mål",
        "Indikator",
        "Måttenhet",
        "Periodicitet",
        "Riktning",
        "Årsmål",
        "KF:s årsmål",
    ]
    .map(String::from)
    .to_vec();
    if let Some(r) = report {
        let period = r.report.kind.slug().to_uppercase();
        h.extend([
            format!("Utfall {period} {}", r.year),
            "Utfall kvinnor".into(),
            "Utfall män".into(),
            "Utfall föregående år".into(),
            "Period".into(),
            "Årsmålet nått".into(),
            "Målets bedömning".into(),
            "Analys".into(),
        ]);
    }
    h.push("Indikatorns id".into());
    h
}

/// Every indicator of the document, in document order.
pub fn indicator_rows(p: &Printable<'_>) -> Rows {
    let (goals, report) = match p.document {
        Document::Plan(d) => (&d.goals, None),
        Document::Report(r) => (&r.goals, Some(r)),
    };
    let mut rows = Vec::new();
    let mut path = Vec::new();
    for g in goals {
        walk(g, &mut path, report, &mut rows);
    }
    Rows {
        header: header(report),
        rows,
    }
}

fn short_name(g: &CascadeGoal) -> String {
    match g.goal.number.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() => n.to_string(),
        _ => g.goal.title.trim().to_string(),
    }
}

fn walk(
    g: &CascadeGoal,
    path: &mut Vec<String>,
    report: Option<&ReportDocument>,
    out: &mut Vec<Vec<Cell>>,
) {
    path.push(short_name(g));
    for i in &g.indicators {
        out.push(row(g, i, path, report));
    }
    for c in &g.children {
        walk(c, path, report, out);
    }
    path.pop();
}

fn row(
    g: &CascadeGoal,
    i: &IndicatorView,
    path: &[String],
    report: Option<&ReportDocument>,
) -> Vec<Cell> {
    let ind = &i.indicator;
    let unit = ind.unit_of_measure.as_deref();
    let kind = ind.value_kind;
    let number = g.goal.number.as_deref().unwrap_or("").trim();
    let sep = if number.is_empty() { "" } else { " " };
    let target = target_cell(i.target.as_ref(), kind, unit);
    let mut row = vec![
        Cell::text(path.join(" › ")),
        Cell::text(g.goal.level.heading_prefix()),
        Cell::text(format!("{number}{sep}{}", g.goal.title.trim())),
        Cell::text(ind.name.trim()),
        Cell::text(unit.map_or_else(|| kind.label().to_string(), str::to_string)),
        Cell::text(ind.periodicity.label()),
        Cell::text(ind.direction.label()),
        target.clone(),
        target_cell(ind.council_target.as_ref(), kind, unit),
    ];
    if let Some(r) = report {
        let o = r.outcomes.get(&ind.id);
        let text = |s: Option<&str>| s.map_or(Cell::Empty, |s| number_cell(s, kind, unit));
        let outcome = text(o.and_then(|o| o.outcome.as_ref()).map(|m| m.text.as_str()));
        let met = match (value_of(&outcome), value_of(&target)) {
            (Some(o), Some(t)) => Cell::text(match (ind.direction, o >= t, o <= t) {
                (Direction::HigherIsBetter, true, _) | (Direction::LowerIsBetter, _, true) => "Ja",
                _ => "Nej",
            }),
            _ => Cell::Empty,
        };
        let assessment = r
            .assessments
            .get(&g.goal.id)
            .and_then(|a| a.assessment)
            .map_or(Cell::Empty, |a| {
                Cell::text(format!(
                    "{} {}",
                    print_order::assessment_symbol(a),
                    a.label()
                ))
            });
        row.extend([
            outcome,
            // Empty for an indicator not reported for women and men.
            text(o.filter(|_| ind.by_sex).and_then(|o| o.women.as_deref())),
            text(o.filter(|_| ind.by_sex).and_then(|o| o.men.as_deref())),
            text(r.previous_outcome(ind.id).as_deref()),
            Cell::text(o.and_then(|o| o.period.as_deref()).unwrap_or("")),
            met,
            assessment,
            Cell::text(o.and_then(|o| o.analysis.as_deref()).unwrap_or("").trim()),
        ]);
    }
    row.push(Cell::Number {
        value: Decimal::from(ind.id.0),
        percent: false,
        text: ind.id.0.to_string(),
    });
    row
}

/// The title of the sheet's document ("Indikatorer – Verksamhetsplan 2025 för …").
fn title(p: &Printable<'_>) -> String {
    format!("Indikatorer – {}", print_order::title(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn num(s: &str, percent: bool, text: &str) -> Cell {
        Cell::Number {
            value: Decimal::from_str(s).unwrap(),
            percent,
            text: text.into(),
        }
    }

    #[test]
    fn numbers_are_numbers_and_the_rest_stays_text() {
        let p = ValueKind::Percent;
        let n = ValueKind::Number;
        assert_eq!(
            number_cell("58,84 %", p, None),
            num("58.84", true, "58,84 %")
        );
        assert_eq!(number_cell("90%", n, None), num("90", true, "90%"));
        assert_eq!(number_cell("100", p, None), num("100", true, "100"));
        assert_eq!(
            number_cell("83", ValueKind::Index, None),
            num("83", false, "83")
        );
        assert_eq!(number_cell("4,4", n, None), num("4.4", false, "4,4"));
        assert_eq!(number_cell("0 st", n, Some("st")), num("0", false, "0 st"));
        assert_eq!(
            number_cell("40 000", n, None),
            num("40000", false, "40 000")
        );
        assert_eq!(number_cell("-3,3", n, None), num("-3.3", false, "-3,3"));
        assert_eq!(
            number_cell("Tas fram av nämnd", n, None),
            Cell::Text("Tas fram av nämnd".into())
        );
        assert_eq!(number_cell("ca 90", n, None), Cell::Text("ca 90".into()));
        assert_eq!(
            number_cell("19 Tas fram", n, None),
            Cell::Text("19 Tas fram".into())
        );
        assert_eq!(
            number_cell("1,5 kg CO2 per kg livsmedel", n, None),
            Cell::Text("1,5 kg CO2 per kg livsmedel".into())
        );
        assert_eq!(
            number_cell("1,5", n, Some("kg CO2 per kg livsmedel")),
            num("1.5", false, "1,5")
        );
        assert_eq!(
            number_cell("30 gram", n, Some("Gram per portion")),
            num("30", false, "30 gram")
        );
        assert_eq!(
            number_cell("30 gramm", n, Some("gram per portion")),
            Cell::Text("30 gramm".into())
        );
        assert_eq!(number_cell("  ", n, None), Cell::Empty);
        assert_eq!(
            number_cell("12", ValueKind::Text, None),
            Cell::Text("12".into())
        );
    }
}
