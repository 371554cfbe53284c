//! The year's calendar: planning years, and the deadlines an administration sets for each
//! year (the plan, the two tertial reports and the annual report).

use crate::{NodeId, ReportKind, Year};
use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// Dates as ISO 8601 text ("2025-04-01") in JSON (the audit trail), not `time`'s tuples.
pub(crate) mod iso_date {
    time::serde::format_description!(pub(crate) format, Date, "[year]-[month]-[day]");
    pub(crate) use format::option;
}

/// The planning years Målkedja accepts: what an address may name (`params::YEARS`).
pub const PLANNING_YEARS: std::ops::RangeInclusive<Year> = 1900..=2999;

/// Why a planning year cannot be added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum YearError {
    #[error("planeringsåret {0} finns redan")]
    Exists(Year),
    #[error("ett planeringsår ska vara ett årtal mellan 1900 och 2999, inte {0}")]
    OutOfRange(i64),
}

/// Checks a planning year to be added to those that exist.
pub fn check_new_year(year: i64, existing: &[Year]) -> Result<Year, YearError> {
    let y = Year::try_from(year)
        .ok()
        .filter(|y| PLANNING_YEARS.contains(y))
        .ok_or(YearError::OutOfRange(year))?;
    if existing.contains(&y) {
        return Err(YearError::Exists(y));
    }
    Ok(y)
}

/// The year to suggest adding: the one after the newest, or the next calendar year after
/// `today` when there is none.
pub fn next_year(existing: &[Year], today: Date) -> Year {
    existing
        .iter()
        .max()
        .map_or(today.year() + 1, |newest| newest + 1)
}

/// What a deadline is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// The plan (verksamhetsplan) for the year is submitted.
    Plan,
    /// Tertialrapport 1 (January–April).
    Tertial1,
    /// Tertialrapport 2 (January–August).
    Tertial2,
    /// The annual report (verksamhetsberättelse).
    AnnualReport,
}

impl DeadlineKind {
    /// In the order of the year.
    pub const ALL: [DeadlineKind; 4] = [
        DeadlineKind::Plan,
        DeadlineKind::Tertial1,
        DeadlineKind::Tertial2,
        DeadlineKind::AnnualReport,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DeadlineKind::Plan => "plan",
            DeadlineKind::Tertial1 => "tertial1",
            DeadlineKind::Tertial2 => "tertial2",
            DeadlineKind::AnnualReport => "annual_report",
        }
    }

    pub fn from_code(code: &str) -> Option<DeadlineKind> {
        DeadlineKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The document the deadline is for, in Swedish ("Tertialrapport 1").
    pub fn label(self) -> &'static str {
        match self {
            DeadlineKind::Plan => "Verksamhetsplan",
            DeadlineKind::Tertial1 => ReportKind::Tertial1.label(),
            DeadlineKind::Tertial2 => ReportKind::Tertial2.label(),
            DeadlineKind::AnnualReport => ReportKind::AnnualReport.label(),
        }
    }

    /// The deadline of a report of this kind.
    pub fn of_report(kind: ReportKind) -> DeadlineKind {
        match kind {
            ReportKind::Tertial1 => DeadlineKind::Tertial1,
            ReportKind::Tertial2 => DeadlineKind::Tertial2,
            ReportKind::AnnualReport => DeadlineKind::AnnualReport,
        }
    }

    /// The earliest sensible date for the year's deadline: a plan is written before or
    /// during its year, a report after the period it follows up has ended.
    fn earliest(self, year: Year) -> Option<Date> {
        let first = |y: Year, m: Month| Date::from_calendar_date(y, m, 1).ok();
        match self {
            DeadlineKind::Plan => first(year - 1, Month::January),
            DeadlineKind::Tertial1 => first(year, Month::May),
            DeadlineKind::Tertial2 => first(year, Month::September),
            DeadlineKind::AnnualReport => first(year + 1, Month::January),
        }
    }

    /// The latest sensible date: a plan within its year, a report within the next.
    fn latest(self, year: Year) -> Option<Date> {
        let last = |y: Year| Date::from_calendar_date(y, Month::December, 31).ok();
        match self {
            DeadlineKind::Plan => last(year),
            _ => last(year + 1),
        }
    }

    /// The earliest and latest sensible date for the year's deadline, as ISO text: what a
    /// form says beside the field.
    pub fn window(self, year: Year) -> (String, String) {
        let show = |d: Option<Date>| d.map(date_text).unwrap_or_default();
        (show(self.earliest(year)), show(self.latest(year)))
    }

    fn window_text(self, year: Year) -> String {
        let (from, to) = self.window(year);
        format!("mellan {from} och {to}")
    }
}

/// "2025-04-01".
pub fn date_text(d: Date) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    d.format(&fmt).unwrap_or_else(|_| d.to_string())
}

/// Reads "2025-04-01" (surrounding spaces allowed): a date as a form or the database
/// gives it.
pub fn parse_date(text: &str) -> Option<Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.trim(), &fmt).ok()
}

/// The deadlines an administration sets for one planning year. A date not set is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadlines {
    /// The administration (förvaltning) whose units they bind.
    pub admin_id: NodeId,
    pub year: Year,
    #[serde(default, with = "iso_date::option")]
    pub plan: Option<Date>,
    #[serde(default, with = "iso_date::option")]
    pub tertial1: Option<Date>,
    #[serde(default, with = "iso_date::option")]
    pub tertial2: Option<Date>,
    #[serde(default, with = "iso_date::option")]
    pub annual_report: Option<Date>,
    /// 0 while none have been saved.
    pub version: i64,
}

/// A deadline that cannot be used, with the Swedish sentence that says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineProblem {
    pub kind: DeadlineKind,
    pub message: String,
}

impl Deadlines {
    /// No deadline set yet.
    pub fn empty(admin_id: NodeId, year: Year) -> Deadlines {
        Deadlines {
            admin_id,
            year,
            plan: None,
            tertial1: None,
            tertial2: None,
            annual_report: None,
            version: 0,
        }
    }

    pub fn get(&self, kind: DeadlineKind) -> Option<Date> {
        match kind {
            DeadlineKind::Plan => self.plan,
            DeadlineKind::Tertial1 => self.tertial1,
            DeadlineKind::Tertial2 => self.tertial2,
            DeadlineKind::AnnualReport => self.annual_report,
        }
    }

    pub fn set(&mut self, kind: DeadlineKind, date: Option<Date>) {
        let slot = match kind {
            DeadlineKind::Plan => &mut self.plan,
            DeadlineKind::Tertial1 => &mut self.tertial1,
            DeadlineKind::Tertial2 => &mut self.tertial2,
            DeadlineKind::AnnualReport => &mut self.annual_report,
        };
        *slot = date;
    }

    /// Each kind with its date, in the order of the year.
    pub fn entries(&self) -> Vec<(DeadlineKind, Option<Date>)> {
        DeadlineKind::ALL
            .into_iter()
            .map(|k| (k, self.get(k)))
            .collect()
    }

    /// Whether the same dates are set (versions aside).
    pub fn same_dates(&self, other: &Deadlines) -> bool {
        self.entries() == other.entries()
    }

    /// The first deadline on or after `today`: what a start page calls the next one.
    pub fn next(&self, today: Date) -> Option<(DeadlineKind, Date)> {
        self.entries()
            .into_iter()
            .filter_map(|(k, d)| d.map(|d| (k, d)))
            .filter(|(_, d)| *d >= today)
            .min_by_key(|(k, d)| (*d, *k))
    }

    /// What is wrong with the dates, in the order of the year: each must lie where it
    /// makes sense for the year (a plan from the year before up to the end of its year, a
    /// report after its period ends and within the next year), and they follow one
    /// another (a plan before T1, T1 before T2, T2 before the annual report). Empty when
    /// they can be saved.
    pub fn problems(&self) -> Vec<DeadlineProblem> {
        let mut out: Vec<DeadlineProblem> = Vec::new();
        let mut previous: Option<(DeadlineKind, Date)> = None;
        for (kind, date) in self.entries() {
            let Some(date) = date else { continue };
            let early = kind.earliest(self.year).is_some_and(|e| date < e);
            let late = kind.latest(self.year).is_some_and(|l| date > l);
            if early || late {
                out.push(DeadlineProblem {
                    kind,
                    message: format!(
                        "Tidsfristen för {} {} ska ligga {}.",
                        kind.label().to_lowercase(),
                        self.year,
                        kind.window_text(self.year)
                    ),
                });
            } else if let Some((before, before_date)) = previous
                && date < before_date
            {
                out.push(DeadlineProblem {
                    kind,
                    message: format!(
                        "Tidsfristen för {} kan inte ligga före tidsfristen för {} ({}).",
                        kind.label().to_lowercase(),
                        before.label().to_lowercase(),
                        date_text(before_date)
                    ),
                });
            }
            previous = Some((kind, date));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_year_is_added_once_and_within_range() {
        assert_eq!(check_new_year(2027, &[2025, 2026]), Ok(2027));
        assert_eq!(
            check_new_year(2026, &[2025, 2026]),
            Err(YearError::Exists(2026))
        );
        assert_eq!(
            check_new_year(3000, &[]).unwrap_err().to_string(),
            "ett planeringsår ska vara ett årtal mellan 1900 och 2999, inte 3000"
        );
        assert!(check_new_year(i64::MAX, &[]).is_err());
        assert_eq!(next_year(&[2025, 2026], date!(2030 - 01 - 01)), 2027);
        assert_eq!(next_year(&[], date!(2030 - 06 - 01)), 2031);
    }

    #[test]
    fn kinds_round_trip_and_follow_reports() {
        for k in DeadlineKind::ALL {
            assert_eq!(DeadlineKind::from_code(k.code()), Some(k));
        }
        assert_eq!(DeadlineKind::from_code("vb"), None);
        assert_eq!(
            DeadlineKind::of_report(ReportKind::AnnualReport),
            DeadlineKind::AnnualReport
        );
        assert_eq!(DeadlineKind::Tertial1.label(), "Tertialrapport 1");
    }

    fn year_2026() -> Deadlines {
        let mut d = Deadlines::empty(NodeId(3), 2026);
        d.plan = Some(date!(2025 - 12 - 15));
        d.tertial1 = Some(date!(2026 - 05 - 15));
        d.tertial2 = Some(date!(2026 - 09 - 15));
        d.annual_report = Some(date!(2027 - 02 - 01));
        d
    }

    #[test]
    fn dates_in_their_places_pass() {
        assert_eq!(year_2026().problems(), []);
        assert_eq!(Deadlines::empty(NodeId(3), 2026).problems(), []);
        let mut some = Deadlines::empty(NodeId(3), 2026);
        some.tertial2 = Some(date!(2026 - 09 - 01));
        assert_eq!(some.problems(), []);
    }

    #[test]
    fn a_report_due_before_its_period_ends_is_refused() {
        let mut d = year_2026();
        d.tertial1 = Some(date!(2026 - 04 - 15));
        let p = d.problems();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].kind, DeadlineKind::Tertial1);
        assert_eq!(
            p[0].message,
            "Tidsfristen för tertialrapport 1 2026 ska ligga mellan 2026-05-01 och 2027-12-31."
        );
        let mut d = year_2026();
        d.plan = Some(date!(2027 - 01 - 10));
        assert_eq!(d.problems()[0].kind, DeadlineKind::Plan);
        let mut d = year_2026();
        d.annual_report = Some(date!(2026 - 12 - 31));
        assert_eq!(d.problems()[0].kind, DeadlineKind::AnnualReport);
    }

    #[test]
    fn deadlines_follow_one_another() {
        let mut d = year_2026();
        d.tertial1 = Some(date!(2026 - 10 - 01));
        let p = d.problems();
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(
            p[0].message,
            "Tidsfristen för tertialrapport 2 kan inte ligga före tidsfristen för tertialrapport 1 (2026-10-01)."
        );
    }

    #[test]
    fn the_next_deadline_is_the_first_not_passed() {
        let d = year_2026();
        assert_eq!(
            d.next(date!(2026 - 05 - 15)),
            Some((DeadlineKind::Tertial1, date!(2026 - 05 - 15)))
        );
        assert_eq!(
            d.next(date!(2026 - 05 - 16)),
            Some((DeadlineKind::Tertial2, date!(2026 - 09 - 15)))
        );
        assert_eq!(d.next(date!(2027 - 03 - 01)), None);
    }

    #[test]
    fn dates_are_iso_text_in_json() {
        let json = serde_json::to_value(year_2026()).unwrap();
        assert_eq!(json["plan"], "2025-12-15");
        let mut d = Deadlines::empty(NodeId(3), 2026);
        d.tertial1 = Some(date!(2026 - 05 - 15));
        let back: Deadlines = serde_json::from_value(serde_json::to_value(&d).unwrap()).unwrap();
        assert_eq!(back, d);
        assert_eq!(parse_date(" 2026-05-15 "), Some(date!(2026 - 05 - 15)));
        assert_eq!(parse_date("15/5 2026"), None);
        assert_eq!(parse_date("2026-02-30"), None);
    }
}
