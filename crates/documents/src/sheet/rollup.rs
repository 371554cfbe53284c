//! A roll-up (*sammanställning*) as an Excel workbook, for controllers and the board's
//! secretaries: the matrix of units × goals with each assessment in words (never colours),
//! the goals with their tallies and the node's own assessment, the indicators with their
//! aggregate and spread, and every unit's outcome. Numbers are number cells. Made from the
//! roll-up as built for the reader ([`malkedja_domain::build_rollup`]): what the reader
//! may not read is not in it.

use super::xlsx::{workbook, write_sheet};
use super::{Cell, Rows, number_cell};
use crate::DocumentError;
use malkedja_domain::{Aggregation, Decimal, Rollup, ValueKind};

fn count(n: usize) -> Cell {
    Cell::Number {
        value: Decimal::from(n as u64),
        percent: false,
        text: n.to_string(),
    }
}

fn number(value: Decimal, percent: bool) -> Cell {
    let value = value.normalize();
    Cell::Number {
        value,
        percent,
        text: value.to_string(),
    }
}

/// The title of the workbook ("Sammanställning Verksamhetsberättelse 2025 – Nämnden").
pub fn rollup_title(r: &Rollup) -> String {
    format!(
        "Sammanställning {} {} – {}",
        r.kind.label(),
        r.year,
        r.node().name
    )
}

/// The goal columns' headers: "1.3 Titel".
fn goal_header(g: &malkedja_domain::RollupGoal) -> String {
    if g.short == g.goal.number.clone().unwrap_or_default() {
        format!("{} {}", g.short, g.goal.title)
    } else {
        format!("{}: {}", g.short, g.goal.title)
    }
}

/// The matrix: one row per unit, one column per goal.
pub fn matrix_rows(r: &Rollup) -> Rows {
    let mut header: Vec<String> = ["Enhet", "Ligger under", "Rapportens läge", "Tidsfrist"]
        .map(String::from)
        .to_vec();
    header.extend(r.goals.iter().map(goal_header));
    header.push("Enhetens id".into());
    let rows = r
        .units
        .iter()
        .map(|u| {
            let mut row = vec![
                Cell::text(u.unit.name.as_str()),
                Cell::text(
                    u.path
                        .iter()
                        .map(|n| n.name.as_str())
                        .collect::<Vec<_>>()
                        .join(" › "),
                ),
                Cell::text(u.standing.label()),
                Cell::text(
                    u.deadline
                        .map(|d| {
                            let fmt = time::macros::format_description!("[year]-[month]-[day]");
                            d.format(&fmt).unwrap_or_default()
                        })
                        .unwrap_or_default(),
                ),
            ];
            row.extend(u.cells.iter().map(|c| Cell::text(c.label())));
            row.push(number(Decimal::from(u.unit.id.0), false));
            row
        })
        .collect();
    Rows { header, rows }
}

/// The goals: level, number, title, how the units assessed each, and the node's own
/// assessment and analysis.
pub fn goal_rows(r: &Rollup) -> Rows {
    let mut header: Vec<String> = ["Kolumn", "Målnivå", "Mål"].map(String::from).to_vec();
    header.extend(
        malkedja_domain::Cell::LEGEND
            .iter()
            .map(|c| c.label().to_string()),
    );
    header.extend(["Egen bedömning", "Egen analys", "Målets id"].map(String::from));
    let rows = r
        .goals
        .iter()
        .map(|g| {
            let mut row = vec![
                Cell::text(g.short.as_str()),
                Cell::text(g.goal.level.heading_prefix()),
                Cell::text(g.goal.title.as_str()),
            ];
            row.extend(g.tally.counts().into_iter().map(count));
            let own = r.own.get(&g.goal.id);
            row.push(Cell::text(
                own.and_then(|a| a.assessment)
                    .map(|a| a.label())
                    .unwrap_or(""),
            ));
            row.push(Cell::text(
                own.and_then(|a| a.analysis.as_deref()).unwrap_or(""),
            ));
            row.push(number(Decimal::from(g.goal.id.0), false));
            row
        })
        .collect();
    Rows { header, rows }
}

/// What an aggregation is called in a cell.
pub fn aggregation_label(a: Aggregation) -> &'static str {
    match a {
        Aggregation::Sum => "Summa",
        Aggregation::WeightedShare => "Viktad andel",
        Aggregation::Listed => "Listas per enhet",
    }
}

/// The indicators: the aggregate where one is sound, the spread, and how many units.
pub fn indicator_rows(r: &Rollup) -> Rows {
    let header: Vec<String> = [
        "Mål",
        "Indikator",
        "Måttenhet",
        "Värdetyp",
        "Sammanvägning",
        "Sammanvägt värde",
        "Kvinnor",
        "Män",
        "Lägst",
        "Lägst hos",
        "Högst",
        "Högst hos",
        "Enheter med utfall i tal",
        "Enheter som följer upp",
        "Regel",
        "Indikatorns id",
    ]
    .map(String::from)
    .to_vec();
    let goal_of = |id| {
        r.goals
            .iter()
            .find(|g| g.goal.id == id)
            .map(|g| g.short.clone())
            .unwrap_or_default()
    };
    let rows = r
        .indicators
        .iter()
        .map(|i| {
            let ind = &i.indicator;
            let percent = ind.value_kind == ValueKind::Percent;
            let c = i.combined.as_ref();
            let numeric = i.values.iter().filter(|v| v.value.is_some()).count();
            let opt = |d: Option<Decimal>, p: bool| d.map_or(Cell::Empty, |d| number(d, p));
            vec![
                Cell::text(goal_of(ind.goal_id)),
                Cell::text(ind.name.as_str()),
                Cell::text(ind.unit_of_measure.as_deref().unwrap_or("")),
                Cell::text(ind.value_kind.label()),
                Cell::text(aggregation_label(i.aggregation)),
                opt(c.map(|c| c.value), percent),
                opt(c.and_then(|c| c.women), false),
                opt(c.and_then(|c| c.men), false),
                opt(i.spread.as_ref().map(|s| s.min), percent),
                Cell::text(i.spread.as_ref().map_or("", |s| s.min_unit.as_str())),
                opt(i.spread.as_ref().map(|s| s.max), percent),
                Cell::text(i.spread.as_ref().map_or("", |s| s.max_unit.as_str())),
                count(numeric),
                count(i.expected),
                Cell::text(i.rule),
                number(Decimal::from(ind.id.0), false),
            ]
        })
        .collect();
    Rows { header, rows }
}

/// Every unit's outcome of every indicator.
pub fn outcome_rows(r: &Rollup) -> Rows {
    let header: Vec<String> = ["Indikator", "Enhet", "Utfall", "Kvinnor", "Män"]
        .map(String::from)
        .to_vec();
    let mut rows = Vec::new();
    for i in &r.indicators {
        let ind = &i.indicator;
        let unit = ind.unit_of_measure.as_deref();
        for v in &i.values {
            rows.push(vec![
                Cell::text(ind.name.as_str()),
                Cell::text(v.unit.as_str()),
                number_cell(&v.text, ind.value_kind, unit),
                number_cell(v.women.as_deref().unwrap_or(""), ind.value_kind, unit),
                number_cell(v.men.as_deref().unwrap_or(""), ind.value_kind, unit),
            ]);
        }
    }
    Rows { header, rows }
}

fn width(header: &str) -> f64 {
    match header {
        "Enhet" | "Indikator" | "Mål" | "Egen analys" | "Regel" => 36.0,
        "Ligger under" | "Lägst hos" | "Högst hos" => 28.0,
        "Rapportens läge" | "Sammanvägning" | "Egen bedömning" | "Målnivå" => 18.0,
        h if h.contains(':') || h.len() > 20 => 18.0,
        _ => 12.0,
    }
}

/// Makes the roll-up's workbook: sheets Bedömningar (the matrix), Mål, Indikatorer and
/// Utfall per enhet.
pub fn rollup_xlsx(r: &Rollup, printed_on: time::Date) -> Result<Vec<u8>, DocumentError> {
    let mut book = workbook(&rollup_title(r), printed_on)?;
    write_sheet(&mut book, "Bedömningar", &matrix_rows(r), &width, 1)?;
    write_sheet(&mut book, "Mål", &goal_rows(r), &width, 1)?;
    write_sheet(&mut book, "Indikatorer", &indicator_rows(r), &width, 2)?;
    write_sheet(&mut book, "Utfall per enhet", &outcome_rows(r), &width, 2)?;
    book.save_to_buffer()
        .map_err(|e| DocumentError::Sheet(e.to_string()))
}
