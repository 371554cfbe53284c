//! A report's economy as the report holds it, and as every printed form shows it.
//!
//! [`ReportEconomy`] is what is written (a line per operation of the unit, as typed and
//! the amounts it states, and the texts) with the unit's totals computed from the lines
//! ([`EconomyTotals::of`]). [`ReportEconomy::table`] is the table the page, the PDF and the
//! Word document print: the columns the report's kind has ([`economy_columns`]), the
//! amounts per operation and the totals, and the deviation from the budget, each amount
//! printed by [`format_tkr`]. Nothing of it is printed when the economy is empty
//! ([`ReportEconomy::is_empty`]).

use crate::{
    Decimal, EconomyColumns, EconomyLine, EconomyTotals, NodeId, ReportKind, economy_columns,
};
use serde::Serialize;

/// One operation's line of a report's economy: the figures as typed and the amounts in
/// kronor they state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EconomyLineView {
    pub operation_id: NodeId,
    pub operation_name: String,
    pub budget_text: Option<String>,
    pub forecast_text: Option<String>,
    pub outcome_text: Option<String>,
    pub amounts: EconomyLine,
}

impl EconomyLineView {
    /// An operation's line with nothing written.
    pub fn unwritten(operation_id: NodeId, operation_name: String) -> EconomyLineView {
        EconomyLineView {
            operation_id,
            operation_name,
            budget_text: None,
            forecast_text: None,
            outcome_text: None,
            amounts: EconomyLine {
                operation_id,
                budget: None,
                forecast: None,
                outcome: None,
            },
        }
    }

    /// Whether any figure of the line is written.
    pub fn has_figures(&self) -> bool {
        let a = &self.amounts;
        a.budget.is_some() || a.forecast.is_some() || a.outcome.is_some()
    }
}

/// A report's economy: one line per operation of the unit (those without figures too), the
/// totals computed from them, and the texts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReportEconomy {
    /// 0 while nothing is written.
    pub version: i64,
    pub lines: Vec<EconomyLineView>,
    /// Computed from `lines` ([`ReportEconomy::new`]), never typed.
    pub totals: EconomyTotals,
    /// Analysis of the deviations.
    pub analysis: Option<String>,
    /// Investeringar.
    pub investments: Option<String>,
    /// Medel för lokaländamål.
    pub premises: Option<String>,
}

fn written(t: &Option<String>) -> Option<&str> {
    t.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

impl ReportEconomy {
    /// An economy of these lines and texts, its totals computed from the lines.
    pub fn new(
        version: i64,
        lines: Vec<EconomyLineView>,
        analysis: Option<String>,
        investments: Option<String>,
        premises: Option<String>,
    ) -> ReportEconomy {
        let amounts: Vec<EconomyLine> = lines.iter().map(|l| l.amounts.clone()).collect();
        ReportEconomy {
            version,
            totals: EconomyTotals::of(&amounts),
            lines,
            analysis,
            investments,
            premises,
        }
    }

    /// No figure and no text: nothing to print.
    pub fn is_empty(&self) -> bool {
        !self.lines.iter().any(EconomyLineView::has_figures)
            && written(&self.analysis).is_none()
            && written(&self.investments).is_none()
            && written(&self.premises).is_none()
    }

    /// The economy as a report of `kind` prints it; `None` when the kind has no economy
    /// (the first tertial report) or nothing is written.
    pub fn printed(&self, kind: ReportKind) -> Option<PrintedEconomy<'_>> {
        let columns = economy_columns(kind)?;
        if self.is_empty() {
            return None;
        }
        let table = self
            .lines
            .iter()
            .any(EconomyLineView::has_figures)
            .then(|| self.table(columns));
        let annual = |t| {
            if columns.annual_texts {
                written(t)
            } else {
                None
            }
        };
        Some(PrintedEconomy {
            table,
            analysis: written(&self.analysis),
            investments: annual(&self.investments),
            premises: annual(&self.premises),
        })
    }

    /// The table of the economy with these columns: a row per operation, then the totals.
    pub fn table(&self, columns: EconomyColumns) -> EconomyTable {
        let deviation = |budget: Option<Decimal>, forecast, outcome| {
            let against = if columns.outcome { outcome } else { forecast };
            budget.zip(against).map(|(b, a)| b - a)
        };
        let rows = self
            .lines
            .iter()
            .map(|l| {
                let a = &l.amounts;
                EconomyFigures {
                    name: l.operation_name.trim().to_string(),
                    budget: a.budget,
                    forecast: a.forecast,
                    outcome: a.outcome,
                    deviation: deviation(a.budget, a.forecast, a.outcome),
                }
            })
            .collect();
        let t = &self.totals;
        EconomyTable {
            columns,
            rows,
            totals: EconomyFigures {
                name: EconomyTable::TOTALS.to_string(),
                budget: t.budget,
                forecast: t.forecast,
                outcome: t.outcome,
                deviation: if columns.outcome {
                    t.result
                } else {
                    t.forecast_result
                },
            },
        }
    }
}

/// What a report prints of its economy, under the heading [`PrintedEconomy::HEADING`]: the
/// table when a figure is written, then each text that is written, under its heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedEconomy<'a> {
    pub table: Option<EconomyTable>,
    pub analysis: Option<&'a str>,
    /// Investeringar (the annual report).
    pub investments: Option<&'a str>,
    /// Medel för lokaländamål (the annual report).
    pub premises: Option<&'a str>,
}

impl PrintedEconomy<'_> {
    pub const HEADING: &'static str = "Ekonomi";
    pub const ANALYSIS: &'static str = "Analys av avvikelser";
    pub const INVESTMENTS: &'static str = "Investeringar";
    pub const PREMISES: &'static str = "Medel för lokaländamål";

    /// The texts in printed order, each with its heading.
    pub fn texts(&self) -> Vec<(&'static str, &str)> {
        [
            (Self::ANALYSIS, self.analysis),
            (Self::INVESTMENTS, self.investments),
            (Self::PREMISES, self.premises),
        ]
        .into_iter()
        .filter_map(|(h, t)| t.map(|t| (h, t)))
        .collect()
    }
}

/// The economy's table: the figures of each operation, and the unit's totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EconomyTable {
    pub columns: EconomyColumns,
    pub rows: Vec<EconomyFigures>,
    pub totals: EconomyFigures,
}

/// One row of the economy's table, in kronor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EconomyFigures {
    /// The operation's name, or [`EconomyTable::TOTALS`].
    pub name: String,
    pub budget: Option<Decimal>,
    pub forecast: Option<Decimal>,
    pub outcome: Option<Decimal>,
    /// Budget less the outcome (a report with outcomes) or the forecast (the second
    /// tertial report): a surplus is positive. `None` unless both are written.
    pub deviation: Option<Decimal>,
}

impl EconomyTable {
    /// The first cell of the totals row.
    pub const TOTALS: &'static str = "Summa";
    /// What the printed forms say under the table.
    pub const NOTE: &'static str = "Summorna och avvikelserna räknas fram ur verksamheternas belopp; ett överskott är positivt.";

    /// "Budget, prognos och utfall per verksamhet" or "Budget och prognos per verksamhet".
    pub fn caption(&self) -> &'static str {
        if self.columns.outcome {
            "Budget, prognos och utfall per verksamhet"
        } else {
            "Budget och prognos per verksamhet"
        }
    }

    /// The column headers: Verksamhet, the amounts the kind has, Avvikelse mot budget.
    pub fn header(&self) -> Vec<&'static str> {
        let c = self.columns;
        let mut h = vec!["Verksamhet"];
        for (on, name) in [
            (c.budget, "Budget"),
            (c.forecast, "Prognos"),
            (c.outcome, "Utfall"),
        ] {
            if on {
                h.push(name);
            }
        }
        h.push("Avvikelse mot budget");
        h
    }

    /// A row's amounts in the order of [`EconomyTable::header`] (after the name).
    pub fn amounts(&self, row: &EconomyFigures) -> Vec<Option<Decimal>> {
        let c = self.columns;
        let mut out = Vec::new();
        for (on, v) in [
            (c.budget, row.budget),
            (c.forecast, row.forecast),
            (c.outcome, row.outcome),
        ] {
            if on {
                out.push(v);
            }
        }
        out.push(row.deviation);
        out
    }
}

/// An amount in kronor as the economy prints it, in thousands: "8 650 tkr", "−120 tkr".
/// Rounded to whole thousands (half away from zero); thousands separated by a no-break
/// space from four digits on, so that figures line up in a column, and a no-break space
/// before "tkr".
pub fn format_tkr(kr: Decimal) -> String {
    let t = (kr / Decimal::from(1000))
        .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    let digits = t.abs().normalize().to_string();
    let mut out = String::new();
    if t.is_sign_negative() && !t.is_zero() {
        out.push('−');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out.push_str("\u{a0}tkr");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn line(
        id: i64,
        name: &str,
        b: Option<&str>,
        f: Option<&str>,
        o: Option<&str>,
    ) -> EconomyLineView {
        let mut l = EconomyLineView::unwritten(NodeId(id), name.into());
        l.budget_text = b.map(Into::into);
        l.amounts.budget = b.map(dec);
        l.forecast_text = f.map(Into::into);
        l.amounts.forecast = f.map(dec);
        l.outcome_text = o.map(Into::into);
        l.amounts.outcome = o.map(dec);
        l
    }

    #[test]
    fn amounts_print_in_thousands_the_swedish_way() {
        assert_eq!(format_tkr(dec("8650000")), "8\u{a0}650\u{a0}tkr");
        assert_eq!(format_tkr(dec("16550000")), "16\u{a0}550\u{a0}tkr");
        assert_eq!(
            format_tkr(dec("1234567890")),
            "1\u{a0}234\u{a0}568\u{a0}tkr"
        );
        assert_eq!(format_tkr(dec("850000")), "850\u{a0}tkr");
        assert_eq!(format_tkr(dec("-120000")), "−120\u{a0}tkr");
        assert_eq!(
            format_tkr(dec("500")),
            "1\u{a0}tkr",
            "half a thousand rounds up"
        );
        assert_eq!(format_tkr(dec("-500")), "−1\u{a0}tkr");
        assert_eq!(format_tkr(dec("2500")), "3\u{a0}tkr", "not to the even");
        assert_eq!(format_tkr(dec("-400")), "0\u{a0}tkr", "no minus on a zero");
        assert_eq!(format_tkr(Decimal::ZERO), "0\u{a0}tkr");
    }

    #[test]
    fn totals_are_computed_from_the_lines() {
        let e = ReportEconomy::new(
            1,
            vec![
                line(1, "A", Some("1000000"), None, Some("900000")),
                line(2, "B", Some("500000"), None, Some("620000")),
            ],
            None,
            None,
            None,
        );
        assert_eq!(e.totals.budget, Some(dec("1500000")));
        assert_eq!(e.totals.result, Some(dec("-20000")));
    }

    #[test]
    fn an_economy_without_figures_or_texts_is_empty_and_prints_nothing() {
        let mut e = ReportEconomy::new(
            3,
            vec![line(1, "A", None, None, None)],
            Some("  \n".into()),
            None,
            Some(String::new()),
        );
        assert!(e.is_empty(), "a saved economy with nothing in it");
        assert_eq!(e.printed(ReportKind::AnnualReport), None);
        assert!(ReportEconomy::default().is_empty());
        e.investments = Some("Inga investeringar.".into());
        assert!(!e.is_empty());
        let p = e.printed(ReportKind::AnnualReport).unwrap();
        assert_eq!(p.table, None, "no table without a figure");
        assert_eq!(
            p.texts(),
            vec![(PrintedEconomy::INVESTMENTS, "Inga investeringar.")]
        );
        // The second tertial report has no investments or premises.
        assert_eq!(e.printed(ReportKind::Tertial2).unwrap().texts(), vec![]);
        assert_eq!(e.printed(ReportKind::Tertial1), None, "T1 has no economy");
    }

    #[test]
    fn the_annual_reports_table_has_budget_forecast_outcome_and_the_deviation() {
        let e = ReportEconomy::new(
            1,
            vec![
                line(
                    1,
                    " Träffpunkten ",
                    Some("8650000"),
                    Some("8700000"),
                    Some("8830000"),
                ),
                line(2, "Kvarnen", Some("2350000"), None, None),
            ],
            Some("Analys.".into()),
            None,
            Some("Lokaler.".into()),
        );
        let p = e.printed(ReportKind::AnnualReport).unwrap();
        let t = p.table.as_ref().unwrap();
        assert_eq!(
            t.header(),
            vec![
                "Verksamhet",
                "Budget",
                "Prognos",
                "Utfall",
                "Avvikelse mot budget"
            ]
        );
        assert_eq!(t.caption(), "Budget, prognos och utfall per verksamhet");
        assert_eq!(t.rows[0].name, "Träffpunkten");
        assert_eq!(
            t.amounts(&t.rows[0]),
            vec![
                Some(dec("8650000")),
                Some(dec("8700000")),
                Some(dec("8830000")),
                Some(dec("-180000"))
            ]
        );
        assert_eq!(
            t.amounts(&t.rows[1]),
            vec![Some(dec("2350000")), None, None, None]
        );
        assert_eq!(t.totals.name, "Summa");
        assert_eq!(
            t.amounts(&t.totals),
            vec![
                Some(dec("11000000")),
                Some(dec("8700000")),
                Some(dec("8830000")),
                Some(dec("2170000"))
            ]
        );
        assert_eq!(
            p.texts(),
            vec![
                (PrintedEconomy::ANALYSIS, "Analys."),
                (PrintedEconomy::PREMISES, "Lokaler.")
            ]
        );
    }

    #[test]
    fn the_second_tertial_reports_deviation_is_against_the_forecast() {
        let e = ReportEconomy::new(
            1,
            vec![line(1, "A", Some("300000"), Some("280000"), None)],
            None,
            None,
            None,
        );
        let p = e.printed(ReportKind::Tertial2).unwrap();
        let t = p.table.unwrap();
        assert_eq!(
            t.header(),
            vec!["Verksamhet", "Budget", "Prognos", "Avvikelse mot budget"]
        );
        assert_eq!(t.caption(), "Budget och prognos per verksamhet");
        assert_eq!(
            t.amounts(&t.rows[0]),
            vec![Some(dec("300000")), Some(dec("280000")), Some(dec("20000"))]
        );
        assert_eq!(t.totals.deviation, Some(dec("20000")));
    }
}
