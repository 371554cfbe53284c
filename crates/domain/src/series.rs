//! An indicator's history: the outcomes one unit reported for it, period by period and year
//! by year, with the target it had each year. This is what the charts draw.
//!
//! An indicator continues from one year to the next when the next year has an indicator of
//! the same owner with the same name ([`crate::same_name`]): carrying a plan forward and
//! importing the next year's document both keep the name, and there is no other link.

use crate::{
    Direction, Indicator, IndicatorId, IndicatorOutcome, Measure, NodeId, ReportKind, Target,
    ValueKind, Year, format_decimal_sv, same_name,
};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::HashMap;

/// One period's outcome of an indicator for one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeriesPoint {
    pub year: Year,
    pub kind: ReportKind,
    pub total: Option<Decimal>,
    pub women: Option<Decimal>,
    pub men: Option<Decimal>,
    /// The unit's årsmål of that year, when it is a number.
    pub target: Option<Decimal>,
    /// The report is not approved yet: the figure may still change.
    pub preliminary: bool,
}

impl SeriesPoint {
    /// "T1 2025", "T2 2025", "2025" (the annual outcome).
    pub fn label(&self) -> String {
        match self.kind {
            ReportKind::Tertial1 => format!("T1 {}", self.year),
            ReportKind::Tertial2 => format!("T2 {}", self.year),
            ReportKind::AnnualReport => format!("Helår {}", self.year),
        }
    }

    /// Whether the point has any figure to draw.
    pub fn has_figure(&self) -> bool {
        self.total.is_some() || self.women.is_some() || self.men.is_some()
    }
}

/// An indicator's history for one unit, oldest period first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorSeries {
    pub name: String,
    pub unit_of_measure: Option<String>,
    pub direction: Direction,
    pub value_kind: ValueKind,
    /// The indicator is reported for women and men ([`Indicator::by_sex`]).
    pub by_sex: bool,
    pub points: Vec<SeriesPoint>,
}

impl IndicatorSeries {
    /// Whether the chart and its table show women and men: the indicator is reported for
    /// women and men, and some period has a figure for them.
    pub fn by_sex(&self) -> bool {
        self.by_sex
            && self
                .points
                .iter()
                .any(|p| p.women.is_some() || p.men.is_some())
    }

    /// Whether a chart has anything to show: a number in at least one period.
    pub fn drawable(&self) -> bool {
        self.value_kind != ValueKind::Text && self.points.iter().any(SeriesPoint::has_figure)
    }

    /// Whether a document shows the chart beside the indicator (a report's page and PDF, the
    /// roll-up): a number in at least two periods, so that there is a course to see. The
    /// indicator's own page draws any drawable series.
    pub fn worth_a_chart(&self) -> bool {
        self.drawable() && self.points.iter().filter(|p| p.has_figure()).count() >= 2
    }

    /// A figure as charts and tables write it: Swedish decimals (at most two) and the unit
    /// of measure; "–" for none.
    pub fn figure_text(&self, v: Option<Decimal>) -> String {
        match (v, self.unit_of_measure.as_deref()) {
            (None, _) => "–".to_string(),
            (Some(v), Some(u)) if !u.trim().is_empty() => {
                format!("{} {}", format_decimal_sv(v.round_dp(2)), u.trim())
            }
            (Some(v), _) => format_decimal_sv(v.round_dp(2)),
        }
    }

    /// The smallest and largest figure or target, for the chart's scale.
    pub fn range(&self) -> Option<(Decimal, Decimal)> {
        let all = self
            .points
            .iter()
            .flat_map(|p| [p.total, p.women, p.men, p.target]);
        all.flatten().fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
    }
}

/// One stored outcome, as the store reads it for a series: of which indicator (its owner
/// and name, which is how it continues across years), in which report, and the target the
/// unit's plan of that year stated.
#[derive(Debug, Clone)]
pub struct StoredOutcome {
    pub owner: NodeId,
    pub name: String,
    pub year: Year,
    pub kind: ReportKind,
    pub approved: bool,
    pub outcome: IndicatorOutcome,
    pub target: Option<Target>,
}

/// A number as written for women or men ("12", "58,3 %").
fn figure(text: Option<&str>) -> Option<Decimal> {
    text.and_then(|t| Measure::parse(t).value)
}

/// The series of these outcomes: one point per report, oldest first. A later report of
/// the same year and kind (there is none today) would replace an earlier one. Women's and
/// men's figures are kept only when the indicator is reported for them (`by_sex`).
pub fn series(
    name: &str,
    unit_of_measure: Option<&str>,
    direction: Direction,
    value_kind: ValueKind,
    by_sex: bool,
    outcomes: &[StoredOutcome],
) -> IndicatorSeries {
    let mut points: Vec<SeriesPoint> = outcomes
        .iter()
        .map(|o| SeriesPoint {
            year: o.year,
            kind: o.kind,
            total: o.outcome.outcome.as_ref().and_then(|m| m.value),
            // Figures stored for an indicator not (or no longer) reported for women and
            // men are not part of its history.
            women: figure(o.outcome.women.as_deref()).filter(|_| by_sex),
            men: figure(o.outcome.men.as_deref()).filter(|_| by_sex),
            target: match &o.target {
                Some(Target::Value(m)) => m.value,
                _ => None,
            },
            preliminary: !o.approved,
        })
        .collect();
    points.sort_by_key(|p| (p.year, period_order(p.kind)));
    points.dedup_by(|later, earlier| {
        let same = later.year == earlier.year && later.kind == earlier.kind;
        if same {
            std::mem::swap(later, earlier);
        }
        same
    });
    IndicatorSeries {
        name: name.to_string(),
        unit_of_measure: unit_of_measure.map(str::to_string),
        direction,
        value_kind,
        by_sex,
        points,
    }
}

/// The history of each of these indicators for one unit, from its stored outcomes: the
/// outcomes of indicators of the same owner and name ([`same_name`]), in any year.
pub fn histories(
    indicators: &[&Indicator],
    outcomes: &[StoredOutcome],
) -> HashMap<IndicatorId, IndicatorSeries> {
    indicators
        .iter()
        .map(|i| {
            let own: Vec<StoredOutcome> = outcomes
                .iter()
                .filter(|o| o.owner == i.owner_id && same_name(&o.name, &i.name))
                .cloned()
                .collect();
            let s = series(
                &i.name,
                i.unit_of_measure.as_deref(),
                i.direction,
                i.value_kind,
                i.by_sex,
                &own,
            );
            (i.id, s)
        })
        .collect()
}

/// Whether a report of `year` and `kind` comes before or is the one of `upto`.
pub fn not_later(year: Year, kind: ReportKind, upto: (Year, ReportKind)) -> bool {
    (year, period_order(kind)) <= (upto.0, period_order(upto.1))
}

impl IndicatorSeries {
    /// The annual outcome of `year`, as written, when there is one.
    pub fn annual(&self, year: Year) -> Option<&SeriesPoint> {
        self.points
            .iter()
            .find(|p| p.year == year && p.kind == ReportKind::AnnualReport && p.total.is_some())
    }
}

/// T1, T2, then the annual outcome within a year.
pub fn period_order(kind: ReportKind) -> u8 {
    match kind {
        ReportKind::Tertial1 => 1,
        ReportKind::Tertial2 => 2,
        ReportKind::AnnualReport => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(year: Year, kind: ReportKind, total: &str, approved: bool) -> StoredOutcome {
        StoredOutcome {
            owner: NodeId(1),
            name: "Andel  nöjda".into(),
            year,
            kind,
            approved,
            outcome: IndicatorOutcome {
                indicator_id: IndicatorId(1),
                outcome: Some(Measure::parse(total)),
                men: Some("40".into()),
                women: None,
                previous: None,
                period: None,
                analysis: None,
            },
            target: Target::parse("70 %"),
        }
    }

    #[test]
    fn points_are_in_time_order_with_targets_and_sexes() {
        let s = series(
            "Andel nöjda",
            Some("%"),
            Direction::HigherIsBetter,
            ValueKind::Percent,
            true,
            &[
                stored(2025, ReportKind::AnnualReport, "58,84 %", true),
                stored(2024, ReportKind::AnnualReport, "61 %", true),
                stored(2025, ReportKind::Tertial1, "55 %", true),
                stored(2026, ReportKind::Tertial1, "60 %", false),
            ],
        );
        let labels: Vec<String> = s.points.iter().map(SeriesPoint::label).collect();
        assert_eq!(labels, ["Helår 2024", "T1 2025", "Helår 2025", "T1 2026"]);
        assert_eq!(s.points[2].total, Some(Decimal::new(5884, 2)));
        assert_eq!(s.points[2].target, Some(Decimal::from(70)));
        assert!(s.points[3].preliminary && !s.points[2].preliminary);
        assert!(s.by_sex());
        assert!(s.drawable());
        assert_eq!(s.range(), Some((Decimal::from(40), Decimal::from(70))));
    }

    #[test]
    fn an_indicator_continues_by_owner_and_name_across_years() {
        let ind = |id, owner, name: &str| Indicator {
            id: IndicatorId(id),
            year: 2026,
            goal_id: crate::GoalId(1),
            owner_id: NodeId(owner),
            name: name.into(),
            unit_of_measure: Some("%".into()),
            periodicity: crate::Periodicity::Year,
            direction: Direction::LowerIsBetter,
            value_kind: ValueKind::Percent,
            by_sex: true,
            council_target: None,
            position: 0,
            version: 1,
        };
        let (same, other_owner, other_name) = (
            ind(7, 1, "andel nöjda"),
            ind(8, 2, "Andel nöjda"),
            ind(9, 1, "Andel nöjda 2"),
        );
        let rows = [
            stored(2024, ReportKind::AnnualReport, "61 %", true),
            stored(2025, ReportKind::AnnualReport, "66 %", true),
        ];
        let h = histories(&[&same, &other_owner, &other_name], &rows);
        assert_eq!(h[&IndicatorId(7)].points.len(), 2);
        assert_eq!(h[&IndicatorId(7)].direction, Direction::LowerIsBetter);
        assert_eq!(
            h[&IndicatorId(7)].annual(2025).and_then(|p| p.total),
            Some(Decimal::from(66))
        );
        assert!(
            h[&IndicatorId(8)].points.is_empty(),
            "another owner's indicator"
        );
        assert!(
            h[&IndicatorId(9)].points.is_empty(),
            "a name with another number"
        );
        assert!(not_later(
            2025,
            ReportKind::AnnualReport,
            (2026, ReportKind::Tertial1)
        ));
        assert!(not_later(
            2026,
            ReportKind::Tertial1,
            (2026, ReportKind::Tertial1)
        ));
        assert!(!not_later(
            2026,
            ReportKind::Tertial2,
            (2026, ReportKind::Tertial1)
        ));
    }

    #[test]
    fn women_and_men_belong_to_the_history_of_an_indicator_reported_for_them() {
        let rows = [
            stored(2024, ReportKind::AnnualReport, "61 %", true),
            stored(2025, ReportKind::AnnualReport, "66 %", true),
        ];
        let by_sex = |b| {
            series(
                "Andel nöjda",
                Some("%"),
                Direction::HigherIsBetter,
                ValueKind::Percent,
                b,
                &rows,
            )
        };
        let split = by_sex(true);
        assert!(split.by_sex());
        assert_eq!(split.points[0].men, Some(Decimal::from(40)));
        // The same stored figures for an indicator not reported for women and men: they are
        // no part of its history, its chart or its scale.
        let whole = by_sex(false);
        assert!(!whole.by_sex());
        assert!(
            whole
                .points
                .iter()
                .all(|p| p.men.is_none() && p.women.is_none())
        );
        assert_eq!(whole.range(), Some((Decimal::from(61), Decimal::from(70))));
        // Reported for women and men, but no figures for them yet: nothing to show either.
        let mut none = by_sex(true);
        for p in &mut none.points {
            p.men = None;
        }
        assert!(!none.by_sex());
    }

    #[test]
    fn a_text_indicator_or_one_without_figures_draws_nothing() {
        let mut s = series(
            "Beskrivning",
            None,
            Direction::HigherIsBetter,
            ValueKind::Text,
            true,
            &[stored(2025, ReportKind::AnnualReport, "Bra", true)],
        );
        assert!(!s.drawable());
        s.value_kind = ValueKind::Number;
        s.points[0].men = None;
        assert!(!s.drawable(), "no number anywhere");
        assert_eq!(s.range(), Some((Decimal::from(70), Decimal::from(70))));
    }
}
