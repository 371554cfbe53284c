//! Writing a follow-up report: what is due in which report, how an outcome stands against
//! its target, the suggested assessment of a goal, checking what is typed (outcomes, the
//! women/men split, economy amounts) and the economy's totals.
//!
//! # Status against the target
//!
//! [`target_status`] compares an outcome with its årsmål using the indicator's
//! [`Direction`] and [`ValueKind`], never anything typed: both are read as Swedish numbers
//! ("58,84 %" against "70 %"). A text indicator, an outcome or target without a number, and
//! a target the board sets give no status. The gap is counted in percentage points for
//! percentages and relative to the target otherwise:
//!
//! - *Nått* ([`TargetStatus::Reached`]): the outcome is at the target or on its better side;
//! - *Nära* ([`TargetStatus::Near`]): on the worse side by at most [`NEAR_POINTS`]
//!   percentage points (percent) or [`NEAR_SHARE`] of the target (index, number);
//! - *Långt ifrån* ([`TargetStatus::Far`]): further off than that.
//!
//! # The suggested assessment (the city's rule)
//!
//! The city judges a goal *Uppfylls helt* when its outcomes move clearly towards the
//! targets, *delvis* when weakly, *ej* when not. [`suggest_assessment`] states that rule
//! over a goal's indicators and activities:
//!
//! 1. Neither an indicator with a status nor an activity with a status: **Inga data**.
//! 2. Indicators weigh first. When at least one has a status:
//!    - **Uppfylls helt** when every indicator with a status is *nått* or *nära*, at least
//!      half of them *nått*, and no activity is a deviation;
//!    - **Uppfylls ej** when none is *nått* or *nära*;
//!    - **Uppfylls delvis** otherwise (also when *helt* is held back by a deviation).
//! 3. Without indicator statuses the activities decide: **Uppfylls helt** when every
//!    activity with a status is done or ongoing, **Uppfylls ej** when none is, **Uppfylls
//!    delvis** when some are.
//!
//! The suggestion is shown with its reasons, one sentence each; the writer decides.

use crate::{
    ActivityStatus, Assessment, Decimal, Direction, Measure, NodeId, Periodicity, ReportKind,
    Target, ValueKind, format_decimal_sv, parse_amount_kr,
};
use serde::Serialize;

/// A percentage this many points on the worse side of its target is still *nära*.
pub const NEAR_POINTS: Decimal = Decimal::from_parts(5, 0, 0, false, 0);
/// An index or number this share of its target on the worse side is still *nära* (10 %).
pub const NEAR_SHARE: Decimal = Decimal::from_parts(1, 0, 0, false, 1);

/// Whether an indicator of this periodicity is reported in this report: a tertial
/// indicator in all three, a yearly one in the annual report only.
pub fn due_in(periodicity: Periodicity, kind: ReportKind) -> bool {
    match periodicity {
        Periodicity::Tertial => true,
        Periodicity::Year => kind == ReportKind::AnnualReport,
    }
}

/// How an outcome stands against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetStatus {
    Reached,
    Near,
    Far,
}

impl TargetStatus {
    pub fn code(self) -> &'static str {
        match self {
            TargetStatus::Reached => "reached",
            TargetStatus::Near => "near",
            TargetStatus::Far => "far",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TargetStatus::Reached => "Årsmålet är nått",
            TargetStatus::Near => "Nära årsmålet",
            TargetStatus::Far => "Långt ifrån årsmålet",
        }
    }
}

/// An outcome's status with the numbers it was computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusAgainstTarget {
    pub status: TargetStatus,
    pub outcome: Decimal,
    pub target: Decimal,
    /// How far on the worse side of the target the outcome is (0 when reached), in
    /// percentage points for percentages, else in the indicator's unit.
    pub gap: Decimal,
}

/// The status of `outcome` against `target` for an indicator of this direction and kind
/// (see the module's description). `None` when there is nothing to compare.
pub fn target_status(
    outcome: Option<&Measure>,
    target: Option<&Target>,
    direction: Direction,
    kind: ValueKind,
) -> Option<StatusAgainstTarget> {
    if kind == ValueKind::Text {
        return None;
    }
    let outcome = outcome?.value?;
    let Target::Value(t) = target? else {
        return None;
    };
    let target = t.value?;
    let worse_by = match direction {
        Direction::HigherIsBetter => target - outcome,
        Direction::LowerIsBetter => outcome - target,
    };
    let gap = worse_by.max(Decimal::ZERO);
    let near_band = match kind {
        ValueKind::Percent => NEAR_POINTS,
        _ => (target * NEAR_SHARE).abs(),
    };
    let status = if gap.is_zero() {
        TargetStatus::Reached
    } else if gap <= near_band {
        TargetStatus::Near
    } else {
        TargetStatus::Far
    };
    Some(StatusAgainstTarget {
        status,
        outcome,
        target,
        gap: gap.normalize(),
    })
}

/// One indicator of a goal, as the suggestion reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorReading<'a> {
    pub name: &'a str,
    pub outcome: Option<&'a str>,
    pub target: Option<&'a str>,
    pub direction: Direction,
    pub status: Option<TargetStatus>,
}

/// One activity of a goal, as the suggestion reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityReading<'a> {
    pub title: &'a str,
    pub status: Option<ActivityStatus>,
}

/// A suggested assessment and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub assessment: Assessment,
    /// In Swedish, one sentence each: the rule applied, then every indicator and activity
    /// that counted.
    pub reasons: Vec<String>,
}

fn q(s: &str) -> String {
    format!("”{}”", s.trim())
}

/// The suggested assessment of a goal from its indicators' and activities' statuses, by
/// the rule in the module's description.
pub fn suggest_assessment(
    indicators: &[IndicatorReading<'_>],
    activities: &[ActivityReading<'_>],
) -> Suggestion {
    let mut reasons = Vec::new();
    let statuses: Vec<TargetStatus> = indicators.iter().filter_map(|i| i.status).collect();
    let acts: Vec<ActivityStatus> = activities.iter().filter_map(|a| a.status).collect();
    for i in indicators {
        if let Some(s) = i.status {
            reasons.push(format!(
                "Indikatorn {}: utfallet {} mot årsmålet {} ({}) – {}.",
                q(i.name),
                i.outcome.unwrap_or("").trim(),
                i.target.unwrap_or("").trim(),
                i.direction.label().to_lowercase(),
                s.label().to_lowercase()
            ));
        }
    }
    for a in activities {
        if let Some(s) = a.status {
            reasons.push(format!(
                "Aktiviteten {}: {}.",
                q(a.title),
                s.label().to_lowercase()
            ));
        }
    }
    let on_track = |s: &ActivityStatus| matches!(s, ActivityStatus::Done | ActivityStatus::Ongoing);
    let assessment = if statuses.is_empty() && acts.is_empty() {
        reasons.insert(
            0,
            "Inget utfall med årsmål att jämföra och ingen aktivitet med status: inga data.".into(),
        );
        Assessment::NoData
    } else if !statuses.is_empty() {
        let reached = statuses
            .iter()
            .filter(|s| **s == TargetStatus::Reached)
            .count();
        let near = statuses
            .iter()
            .filter(|s| **s == TargetStatus::Near)
            .count();
        let deviation = acts.contains(&ActivityStatus::Deviation);
        let (a, why) = if reached + near == statuses.len() && reached * 2 >= statuses.len() {
            if deviation {
                (
                    Assessment::PartlyMet,
                    "Indikatorerna når eller ligger nära sina årsmål, men en aktivitet har en avvikelse: uppfylls delvis.",
                )
            } else {
                (
                    Assessment::Met,
                    "Indikatorerna når eller ligger nära sina årsmål, minst hälften är nådda: uppfylls helt.",
                )
            }
        } else if reached + near == 0 {
            (
                Assessment::NotMet,
                "Ingen indikator når eller ligger nära sitt årsmål: uppfylls ej.",
            )
        } else {
            (
                Assessment::PartlyMet,
                "En del indikatorer når eller ligger nära sina årsmål, andra inte: uppfylls delvis.",
            )
        };
        reasons.insert(0, why.into());
        a
    } else {
        let good = acts.iter().filter(|s| on_track(s)).count();
        let (a, why) = if good == acts.len() {
            (
                Assessment::Met,
                "Inget utfall att jämföra; alla aktiviteter är klara eller pågår: uppfylls helt.",
            )
        } else if good == 0 {
            (
                Assessment::NotMet,
                "Inget utfall att jämföra; ingen aktivitet är klar eller pågår: uppfylls ej.",
            )
        } else {
            (
                Assessment::PartlyMet,
                "Inget utfall att jämföra; en del aktiviteter är klara eller pågår, andra inte: uppfylls delvis.",
            )
        };
        reasons.insert(0, why.into());
        a
    };
    Suggestion {
        assessment,
        reasons,
    }
}

/// Why a typed outcome or economy figure cannot be used. Messages are Swedish.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FollowUpError {
    #[error(
        "”{0}” är inget tal. Skriv utfallet som ett tal, till exempel 58,84 % eller 12; lämna fältet tomt om utfallet saknas."
    )]
    OutcomeNotNumber(String),
    #[error("”{0}” är inget antal. Skriv ett tal, till exempel 12, eller lämna fältet tomt.")]
    SplitNotNumber(String),
    /// Women's or men's outcome for an indicator not reported for women and men
    /// ([`crate::Indicator::by_sex`]); `who` is "kvinnor" or "män".
    #[error(
        "Indikatorn redovisas inte för kvinnor och män, så den har inget utfall för {who}. Lämna fältet tomt, eller ändra indikatorn i planen så att den redovisas för kvinnor och män."
    )]
    SplitNotBySex { who: &'static str },
    #[error(
        "Kvinnor och män är tillsammans {sum}, fler än utfallet {total}. Rätta antalen så att de inte överstiger utfallet."
    )]
    SplitExceedsTotal { sum: String, total: String },
    #[error(
        "”{0}” är inget belopp. Skriv ett belopp i kronor, tkr eller mnkr, till exempel 300 tkr eller 21 400 000 kr, utan ord som ”ca”."
    )]
    NotAnAmount(String),
    #[error("Beskriv avvikelsen i en analys: vad gick inte som planerat, och vad görs nu?")]
    DeviationNeedsAnalysis,
}

/// A typed outcome, checked. `value`, `women` and `men` are kept as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedOutcome {
    pub value: Option<Measure>,
    pub women: Option<String>,
    pub men: Option<String>,
}

fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Which field a [`FollowUpError`] of [`check_outcome`] belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeField {
    Value,
    Women,
    Men,
}

/// Checks an outcome typed for an indicator of `kind`: a numeric indicator's outcome must
/// begin with a number; women and men are given only for an indicator reported for women
/// and men (`by_sex`, [`crate::Indicator::by_sex`]; refused, not ignored, for any other, so
/// that nothing typed is silently dropped) and are numbers; and for a count
/// ([`ValueKind::Number`]) women + men must not exceed the outcome. Every problem is
/// returned with its field.
pub fn check_outcome(
    kind: ValueKind,
    by_sex: bool,
    value: Option<&str>,
    women: Option<&str>,
    men: Option<&str>,
) -> Result<CheckedOutcome, Vec<(OutcomeField, FollowUpError)>> {
    let mut errors = Vec::new();
    let value = non_empty(value).map(|v| Measure::parse(&v));
    if let Some(m) = &value
        && kind != ValueKind::Text
        && m.value.is_none()
    {
        errors.push((
            OutcomeField::Value,
            FollowUpError::OutcomeNotNumber(m.text.clone()),
        ));
    }
    let women = non_empty(women);
    let men = non_empty(men);
    let mut split = Vec::new();
    for (field, who, text) in [
        (OutcomeField::Women, "kvinnor", &women),
        (OutcomeField::Men, "män", &men),
    ] {
        if let Some(t) = text {
            if !by_sex || kind == ValueKind::Text {
                errors.push((field, FollowUpError::SplitNotBySex { who }));
                continue;
            }
            match Measure::parse(t).value {
                Some(v) => split.push(v),
                None => errors.push((field, FollowUpError::SplitNotNumber(t.clone()))),
            }
        }
    }
    if kind == ValueKind::Number
        && split.len() == 2
        && let Some(total) = value.as_ref().and_then(|m| m.value)
    {
        let sum = split[0] + split[1];
        if sum > total {
            errors.push((
                OutcomeField::Value,
                FollowUpError::SplitExceedsTotal {
                    sum: format_decimal_sv(sum),
                    total: format_decimal_sv(total),
                },
            ));
        }
    }
    if errors.is_empty() {
        Ok(CheckedOutcome { value, women, men })
    } else {
        Err(errors)
    }
}

/// A deviation needs an analysis; other statuses do not.
pub fn check_activity_status(
    status: Option<ActivityStatus>,
    analysis: Option<&str>,
) -> Result<(), FollowUpError> {
    if status == Some(ActivityStatus::Deviation) && non_empty(analysis).is_none() {
        Err(FollowUpError::DeviationNeedsAnalysis)
    } else {
        Ok(())
    }
}

/// An economy figure as typed: empty is none; otherwise it must be an amount
/// ([`parse_amount_kr`]). Returns the amount in kronor.
pub fn economy_amount(text: &str) -> Result<Option<Decimal>, FollowUpError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    parse_amount_kr(t)
        .map(Some)
        .ok_or_else(|| FollowUpError::NotAnAmount(t.to_string()))
}

/// One operation's economy in a report, in kronor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EconomyLine {
    pub operation_id: NodeId,
    pub budget: Option<Decimal>,
    pub forecast: Option<Decimal>,
    pub outcome: Option<Decimal>,
}

/// The unit's economy totals, computed from its operations (never typed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EconomyTotals {
    pub budget: Option<Decimal>,
    pub forecast: Option<Decimal>,
    pub outcome: Option<Decimal>,
    /// Budget − outcome: positive is a surplus, negative a deficit. `None` unless both are
    /// known.
    pub result: Option<Decimal>,
    /// Budget − forecast, in the same way.
    pub forecast_result: Option<Decimal>,
}

fn sum(values: impl Iterator<Item = Option<Decimal>>) -> Option<Decimal> {
    values.fold(None, |acc, v| match (acc, v) {
        (a, None) => a,
        (None, Some(v)) => Some(v),
        (Some(a), Some(v)) => Some(a + v),
    })
}

impl EconomyTotals {
    /// Sums each column over the operations that state it; a column no operation states
    /// is `None`.
    pub fn of(lines: &[EconomyLine]) -> EconomyTotals {
        let budget = sum(lines.iter().map(|l| l.budget));
        let forecast = sum(lines.iter().map(|l| l.forecast));
        let outcome = sum(lines.iter().map(|l| l.outcome));
        let diff = |a: Option<Decimal>, b: Option<Decimal>| a.zip(b).map(|(a, b)| a - b);
        EconomyTotals {
            budget,
            forecast,
            outcome,
            result: diff(budget, outcome),
            forecast_result: diff(budget, forecast),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn m(s: &str) -> Measure {
        Measure::parse(s)
    }
    fn t(s: &str) -> Target {
        Target::parse(s).unwrap()
    }
    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }
    fn status(o: &str, target: &str, d: Direction, k: ValueKind) -> Option<TargetStatus> {
        target_status(Some(&m(o)), Some(&t(target)), d, k).map(|s| s.status)
    }

    #[test]
    fn a_percentage_below_a_higher_is_better_target_is_far_by_points() {
        let s = target_status(
            Some(&m("58,84 %")),
            Some(&t("70 %")),
            Direction::HigherIsBetter,
            ValueKind::Percent,
        )
        .unwrap();
        assert_eq!(s.status, TargetStatus::Far);
        assert_eq!(s.gap, dec("11.16"));
        assert_eq!(s.outcome, dec("58.84"));
        use Direction::*;
        use ValueKind::*;
        assert_eq!(
            status("66 %", "70 %", HigherIsBetter, Percent),
            Some(TargetStatus::Near)
        );
        assert_eq!(
            status("65 %", "70 %", HigherIsBetter, Percent),
            Some(TargetStatus::Near)
        );
        assert_eq!(
            status("64,99 %", "70 %", HigherIsBetter, Percent),
            Some(TargetStatus::Far)
        );
        assert_eq!(
            status("70,0%", "70 %", HigherIsBetter, Percent),
            Some(TargetStatus::Reached)
        );
        assert_eq!(
            status("92 %", "90%", HigherIsBetter, Percent),
            Some(TargetStatus::Reached)
        );
    }

    #[test]
    fn sick_leave_is_better_lower() {
        use Direction::*;
        use ValueKind::*;
        assert_eq!(
            status("4,2 %", "5 %", LowerIsBetter, Percent),
            Some(TargetStatus::Reached)
        );
        assert_eq!(
            status("6,5 %", "5 %", LowerIsBetter, Percent),
            Some(TargetStatus::Near)
        );
        assert_eq!(
            status("12,5 %", "5 %", LowerIsBetter, Percent),
            Some(TargetStatus::Far)
        );
        // The same numbers read the other way round.
        assert_eq!(
            status("12,5 %", "5 %", HigherIsBetter, Percent),
            Some(TargetStatus::Reached)
        );
    }

    #[test]
    fn indexes_and_numbers_are_near_within_a_tenth_of_the_target() {
        use Direction::*;
        use ValueKind::*;
        assert_eq!(
            status("76", "83", HigherIsBetter, Index),
            Some(TargetStatus::Near)
        );
        assert_eq!(
            status("74", "83", HigherIsBetter, Index),
            Some(TargetStatus::Far)
        );
        assert_eq!(
            status("4,4", "4,5", HigherIsBetter, Number),
            Some(TargetStatus::Near)
        );
        assert_eq!(
            status(
                "1,7 kg CO2 per kg livsmedel",
                "1,5 kg CO2 per kg livsmedel",
                LowerIsBetter,
                Number
            ),
            Some(TargetStatus::Far)
        );
    }

    #[test]
    fn text_values_and_targets_without_numbers_give_no_status() {
        use Direction::*;
        assert_eq!(
            status("Bra", "70 %", HigherIsBetter, ValueKind::Percent),
            None
        );
        assert_eq!(
            status("80 %", "80 %", HigherIsBetter, ValueKind::Text),
            None
        );
        assert_eq!(
            status(
                "80 %",
                "Tas fram av nämnd",
                HigherIsBetter,
                ValueKind::Percent
            ),
            None
        );
        assert_eq!(
            target_status(Some(&m("80")), None, HigherIsBetter, ValueKind::Number),
            None
        );
        assert_eq!(
            target_status(None, Some(&t("80")), HigherIsBetter, ValueKind::Number),
            None
        );
    }

    #[test]
    fn tertial_indicators_are_due_in_every_report_yearly_ones_in_the_annual_report() {
        for k in ReportKind::ALL {
            assert!(due_in(Periodicity::Tertial, k));
        }
        assert!(!due_in(Periodicity::Year, ReportKind::Tertial1));
        assert!(!due_in(Periodicity::Year, ReportKind::Tertial2));
        assert!(due_in(Periodicity::Year, ReportKind::AnnualReport));
    }

    fn ind(status: Option<TargetStatus>) -> IndicatorReading<'static> {
        IndicatorReading {
            name: "Andel nöjda",
            outcome: Some("58,84 %"),
            target: Some("70 %"),
            direction: Direction::HigherIsBetter,
            status,
        }
    }
    fn act(status: Option<ActivityStatus>) -> ActivityReading<'static> {
        ActivityReading {
            title: "Brukarråd",
            status,
        }
    }

    #[test]
    fn the_suggestion_follows_the_stated_rule() {
        use ActivityStatus::*;
        use TargetStatus::*;
        let s = |i: &[Option<TargetStatus>], a: &[Option<ActivityStatus>]| {
            let i: Vec<_> = i.iter().map(|s| ind(*s)).collect();
            let a: Vec<_> = a.iter().map(|s| act(*s)).collect();
            suggest_assessment(&i, &a).assessment
        };
        assert_eq!(s(&[], &[]), Assessment::NoData);
        assert_eq!(s(&[None], &[None]), Assessment::NoData);
        assert_eq!(s(&[Some(Reached), Some(Near)], &[]), Assessment::Met);
        assert_eq!(
            s(&[Some(Reached), Some(Near), Some(Near)], &[]),
            Assessment::PartlyMet
        );
        assert_eq!(
            s(&[Some(Reached)], &[Some(Deviation)]),
            Assessment::PartlyMet
        );
        assert_eq!(s(&[Some(Reached), Some(Far)], &[]), Assessment::PartlyMet);
        assert_eq!(
            s(&[Some(Far), Some(Far)], &[Some(Done)]),
            Assessment::NotMet
        );
        assert_eq!(s(&[Some(Far), None], &[]), Assessment::NotMet);
        assert_eq!(s(&[None], &[Some(Done), Some(Ongoing)]), Assessment::Met);
        assert_eq!(
            s(&[], &[Some(Done), Some(Deviation)]),
            Assessment::PartlyMet
        );
        assert_eq!(
            s(&[], &[Some(NotStarted), Some(Deviation)]),
            Assessment::NotMet
        );
    }

    #[test]
    fn the_suggestion_gives_its_reasons_in_swedish() {
        let sg = suggest_assessment(
            &[ind(Some(TargetStatus::Far))],
            &[act(Some(ActivityStatus::Done))],
        );
        assert_eq!(sg.assessment, Assessment::NotMet);
        assert_eq!(sg.reasons.len(), 3);
        assert!(sg.reasons[0].contains("uppfylls ej"), "{:?}", sg.reasons);
        assert!(sg.reasons[1].contains("”Andel nöjda”"));
        assert!(sg.reasons[1].contains("58,84 % mot årsmålet 70 %"));
        assert!(sg.reasons[1].contains("högre är bättre"));
        assert!(sg.reasons[2].contains("”Brukarråd”: klar"));
        let none = suggest_assessment(&[], &[]);
        assert!(none.reasons[0].contains("inga data"));
    }

    #[test]
    fn outcomes_of_numeric_indicators_are_numbers() {
        let e = check_outcome(
            ValueKind::Percent,
            true,
            Some("ungefär hälften"),
            None,
            None,
        )
        .unwrap_err();
        assert_eq!(e[0].0, OutcomeField::Value);
        assert!(
            e[0].1
                .to_string()
                .contains("”ungefär hälften” är inget tal")
        );
        assert!(check_outcome(ValueKind::Text, false, Some("ungefär hälften"), None, None).is_ok());
        let ok =
            check_outcome(ValueKind::Percent, true, Some(" 58,84 % "), Some(""), None).unwrap();
        assert_eq!(ok.value.unwrap().value, Some(dec("58.84")));
        assert_eq!(ok.women, None);
        let e = check_outcome(
            ValueKind::Number,
            true,
            Some("12"),
            Some("många"),
            Some("x"),
        )
        .unwrap_err();
        assert_eq!(
            e.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
            vec![OutcomeField::Women, OutcomeField::Men]
        );
    }

    #[test]
    fn women_and_men_do_not_exceed_a_count() {
        let e =
            check_outcome(ValueKind::Number, true, Some("12"), Some("7"), Some("6")).unwrap_err();
        assert_eq!(
            e,
            vec![(
                OutcomeField::Value,
                FollowUpError::SplitExceedsTotal {
                    sum: "13".into(),
                    total: "12".into()
                }
            )]
        );
        assert!(
            e[0].1
                .to_string()
                .contains("tillsammans 13, fler än utfallet 12")
        );
        assert!(check_outcome(ValueKind::Number, true, Some("12"), Some("7"), Some("5")).is_ok());
        // Shares of women and men are not parts of a total.
        assert!(
            check_outcome(
                ValueKind::Percent,
                true,
                Some("60 %"),
                Some("70 %"),
                Some("55 %")
            )
            .is_ok()
        );
    }

    #[test]
    fn women_and_men_only_for_an_indicator_reported_for_them() {
        // Empty fields are nothing typed, whatever the indicator.
        let ok = check_outcome(ValueKind::Percent, false, Some("60 %"), Some(" "), None).unwrap();
        assert_eq!((ok.women, ok.men), (None, None));
        let e = check_outcome(
            ValueKind::Percent,
            false,
            Some("60 %"),
            Some("70 %"),
            Some("55 %"),
        )
        .unwrap_err();
        assert_eq!(
            e,
            vec![
                (
                    OutcomeField::Women,
                    FollowUpError::SplitNotBySex { who: "kvinnor" }
                ),
                (
                    OutcomeField::Men,
                    FollowUpError::SplitNotBySex { who: "män" }
                ),
            ]
        );
        assert!(
            e[0].1.to_string().contains(
                "redovisas inte för kvinnor och män, så den har inget utfall för kvinnor"
            )
        );
        assert!(e[1].1.to_string().contains("inget utfall för män"));
        // Only the field that is typed is refused, and the outcome is still checked.
        let e =
            check_outcome(ValueKind::Number, false, Some("ca 12"), None, Some("5")).unwrap_err();
        assert_eq!(
            e.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
            vec![OutcomeField::Value, OutcomeField::Men]
        );
        // A text indicator is never reported for women and men, whatever it is told.
        let e = check_outcome(ValueKind::Text, true, Some("Bra"), Some("Bra"), None).unwrap_err();
        assert_eq!(
            e,
            vec![(
                OutcomeField::Women,
                FollowUpError::SplitNotBySex { who: "kvinnor" }
            )]
        );
    }

    #[test]
    fn a_deviation_needs_an_analysis() {
        assert_eq!(
            check_activity_status(Some(ActivityStatus::Deviation), Some("  ")),
            Err(FollowUpError::DeviationNeedsAnalysis)
        );
        assert!(check_activity_status(Some(ActivityStatus::Deviation), Some("Sjukdom")).is_ok());
        assert!(check_activity_status(Some(ActivityStatus::Done), None).is_ok());
    }

    #[test]
    fn economy_figures_are_amounts() {
        assert_eq!(economy_amount(" "), Ok(None));
        assert_eq!(economy_amount("850 tkr"), Ok(Some(dec("850000"))));
        let e = economy_amount("ca 300 tkr").unwrap_err();
        assert_eq!(e, FollowUpError::NotAnAmount("ca 300 tkr".into()));
        assert!(e.to_string().contains("”ca 300 tkr” är inget belopp"));
    }

    #[test]
    fn economy_totals_are_computed_from_the_operations() {
        let line = |b: Option<&str>, f: Option<&str>, o: Option<&str>| EconomyLine {
            operation_id: NodeId(1),
            budget: b.map(dec),
            forecast: f.map(dec),
            outcome: o.map(dec),
        };
        let totals = EconomyTotals::of(&[
            line(Some("1000000"), Some("950000"), Some("900000")),
            line(Some("500000"), None, Some("599000")),
            line(None, None, None),
        ]);
        assert_eq!(totals.budget, Some(dec("1500000")));
        assert_eq!(totals.forecast, Some(dec("950000")));
        assert_eq!(totals.outcome, Some(dec("1499000")));
        assert_eq!(totals.result, Some(dec("1000")));
        assert_eq!(totals.forecast_result, Some(dec("550000")));
        assert_eq!(EconomyTotals::of(&[]), EconomyTotals::default());
    }
}
