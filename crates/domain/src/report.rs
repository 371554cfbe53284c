//! Follow-up: tertial reports and the annual report of a plan.

use crate::{ActivityId, GoalId, IndicatorId, PlanId, PlanStatus, Year};
use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// Which follow-up a report is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// Tertialrapport 1: January–April.
    Tertial1,
    /// Tertialrapport 2: January–August.
    Tertial2,
    /// Verksamhetsberättelse: the whole year.
    AnnualReport,
}

impl ReportKind {
    pub const ALL: [ReportKind; 3] = [
        ReportKind::Tertial1,
        ReportKind::Tertial2,
        ReportKind::AnnualReport,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReportKind::Tertial1 => "tertial1",
            ReportKind::Tertial2 => "tertial2",
            ReportKind::AnnualReport => "annual_report",
        }
    }

    pub fn from_code(code: &str) -> Option<ReportKind> {
        ReportKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// As a document's title names it.
    pub fn label(self) -> &'static str {
        match self {
            ReportKind::Tertial1 => "Tertialrapport 1",
            ReportKind::Tertial2 => "Tertialrapport 2",
            ReportKind::AnnualReport => "Verksamhetsberättelse",
        }
    }

    /// The part of the address that names it ("vb", "t1", "t2").
    pub fn slug(self) -> &'static str {
        match self {
            ReportKind::Tertial1 => "t1",
            ReportKind::Tertial2 => "t2",
            ReportKind::AnnualReport => "vb",
        }
    }

    pub fn from_slug(slug: &str) -> Option<ReportKind> {
        ReportKind::ALL.into_iter().find(|k| k.slug() == slug)
    }

    /// The last day of the period the report follows up.
    pub fn period_end(self, year: Year) -> Date {
        let (month, day) = match self {
            ReportKind::Tertial1 => (Month::April, 30),
            ReportKind::Tertial2 => (Month::August, 31),
            ReportKind::AnnualReport => (Month::December, 31),
        };
        Date::from_calendar_date(year, month, day).unwrap_or(Date::MIN)
    }
}

/// How well a goal was met in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assessment {
    /// Uppfylls helt.
    Met,
    /// Uppfylls delvis.
    PartlyMet,
    /// Uppfylls ej.
    NotMet,
    /// Inga data.
    NoData,
}

impl Assessment {
    pub const ALL: [Assessment; 4] = [
        Assessment::Met,
        Assessment::PartlyMet,
        Assessment::NotMet,
        Assessment::NoData,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Assessment::Met => "met",
            Assessment::PartlyMet => "partly_met",
            Assessment::NotMet => "not_met",
            Assessment::NoData => "no_data",
        }
    }

    pub fn from_code(code: &str) -> Option<Assessment> {
        Assessment::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Assessment::Met => "Uppfylls helt",
            Assessment::PartlyMet => "Uppfylls delvis",
            Assessment::NotMet => "Uppfylls ej",
            Assessment::NoData => "Inga data",
        }
    }
}

/// What became of an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityStatus {
    /// Ej påbörjad.
    NotStarted,
    /// Pågår.
    Ongoing,
    /// Klar (genomförd).
    Done,
    /// Avvikelse: did not go as planned; needs an analysis.
    Deviation,
}

impl ActivityStatus {
    pub const ALL: [ActivityStatus; 4] = [
        ActivityStatus::NotStarted,
        ActivityStatus::Ongoing,
        ActivityStatus::Done,
        ActivityStatus::Deviation,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ActivityStatus::NotStarted => "not_started",
            ActivityStatus::Ongoing => "ongoing",
            ActivityStatus::Done => "done",
            ActivityStatus::Deviation => "deviation",
        }
    }

    pub fn from_code(code: &str) -> Option<ActivityStatus> {
        ActivityStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ActivityStatus::NotStarted => "Ej påbörjad",
            ActivityStatus::Ongoing => "Pågår",
            ActivityStatus::Done => "Klar",
            ActivityStatus::Deviation => "Avvikelse",
        }
    }
}

/// A follow-up report of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub id: i64,
    pub plan_id: PlanId,
    pub kind: ReportKind,
    pub status: PlanStatus,
    pub version: i64,
}

/// A section of running text in a report (Sammanfattande analys, economy, quality work …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportSection {
    /// Its key in the address (`sammanfattande-analys`): the report template's key, or for a
    /// heading the template does not have, [`section_key`] of the heading.
    pub key: String,
    pub heading: String,
    pub body: String,
    /// Printed before the goal cascade (summary analysis …) or after it (economy, quality).
    pub placement: crate::Placement,
    /// 0 while nothing is written.
    pub version: i64,
}

/// A section the report template asks for: its key, heading and place, and what it is
/// for (shown to its writers, never printed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReportTemplateSection {
    pub key: &'static str,
    pub heading: &'static str,
    pub placement: crate::Placement,
    pub guidance: &'static str,
}

const fn tpl(
    key: &'static str,
    heading: &'static str,
    placement: crate::Placement,
    guidance: &'static str,
) -> ReportTemplateSection {
    ReportTemplateSection {
        key,
        heading,
        placement,
        guidance,
    }
}

/// The sections a report of this kind has of its own (the economy is written apart): every
/// report opens with *Sammanfattande analys*; the annual report ends with the quality
/// work, competence development and the staff's participation.
pub fn report_template(kind: ReportKind) -> Vec<ReportTemplateSection> {
    use crate::Placement::{AfterCascade, BeforeCascade};
    let mut out = vec![tpl(
        "sammanfattande-analys",
        "Sammanfattande analys",
        BeforeCascade,
        "Hur enheten ligger till mot sina mål i perioden: vad som gått bra, vad som inte gjort det och vad enheten gör nu. Bygg på bedömningarna och analyserna under målen.",
    )];
    if kind == ReportKind::AnnualReport {
        out.extend([
            tpl(
                "kvalitets-och-utvecklingsarbete",
                "Kvalitets- och utvecklingsarbete",
                AfterCascade,
                "Hur enheten arbetat med det systematiska kvalitetsarbetet under året: egenkontroller, synpunkter, klagomål och avvikelser, och vad som förbättrats.",
            ),
            tpl(
                "kompetensutveckling",
                "Kompetensutveckling",
                AfterCascade,
                "Vilken kompetensutveckling medarbetarna fått under året och vad som planeras.",
            ),
            tpl(
                "medarbetarnas-delaktighet",
                "Medarbetarnas delaktighet",
                AfterCascade,
                "Hur medarbetarna varit delaktiga i planeringen och uppföljningen, till exempel på arbetsplatsträffar.",
            ),
        ]);
    }
    out
}

/// A report's own sections as a writer sees them: those it has, in its order, then each
/// section of the report template it does not have yet (empty, version 0).
pub fn report_sections(doc: &ReportDocument) -> Vec<ReportSection> {
    let mut out = doc.sections.clone();
    for t in report_template(doc.report.kind) {
        if !out.iter().any(|s| s.key == t.key) {
            out.push(ReportSection {
                key: t.key.to_string(),
                heading: t.heading.to_string(),
                body: String::new(),
                placement: t.placement,
                version: 0,
            });
        }
    }
    out
}

/// What a report's economy asks for: which figures per operation, and whether the texts
/// of the annual report (Investeringar, Medel för lokaländamål) belong to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EconomyColumns {
    pub budget: bool,
    pub forecast: bool,
    pub outcome: bool,
    /// Investeringar and Medel för lokaländamål.
    pub annual_texts: bool,
}

/// The economy a report of this kind is written with: none in the first tertial report;
/// the budget and the latest forecast in the second; budget, forecast and outcome, with
/// investments and premises, in the annual report. Every one that has an economy also has
/// an analysis of its deviations.
pub fn economy_columns(kind: ReportKind) -> Option<EconomyColumns> {
    match kind {
        ReportKind::Tertial1 => None,
        ReportKind::Tertial2 => Some(EconomyColumns {
            budget: true,
            forecast: true,
            outcome: false,
            annual_texts: false,
        }),
        ReportKind::AnnualReport => Some(EconomyColumns {
            budget: true,
            forecast: true,
            outcome: true,
            annual_texts: true,
        }),
    }
}

/// The key of a section by its heading: lower case, å and ä as a, ö as o, other
/// characters than letters and digits as single hyphens ("Kvalitets- och
/// utvecklingsarbete" → `kvalitets-och-utvecklingsarbete`).
pub fn section_key(heading: &str) -> String {
    let mut out = String::new();
    for c in heading.trim().to_lowercase().chars() {
        let c = match c {
            'å' | 'ä' | 'à' | 'á' => 'a',
            'ö' | 'ø' => 'o',
            'é' | 'è' => 'e',
            'ü' => 'u',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The version and draft mark of one written item of a report (a goal's assessment, an
/// indicator's outcome, an activity's status).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemMark {
    /// 0 while nothing is written.
    pub version: i64,
    /// Copied from the previous report of the year and not edited since ("utkast från
    /// förra rapporten").
    pub prefilled: bool,
}

/// The marks of a report's written items.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowUpMarks {
    pub goals: std::collections::HashMap<GoalId, ItemMark>,
    pub indicators: std::collections::HashMap<IndicatorId, ItemMark>,
    pub activities: std::collections::HashMap<ActivityId, ItemMark>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalAssessment {
    pub goal_id: GoalId,
    pub assessment: Option<Assessment>,
    pub analysis: Option<String>,
}

/// An indicator's outcome in a report, as written; `outcome_value` is the number it states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorOutcome {
    pub indicator_id: IndicatorId,
    pub outcome: Option<crate::Measure>,
    pub men: Option<String>,
    pub women: Option<String>,
    pub previous: Option<String>,
    pub period: Option<String>,
    pub analysis: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityFollowUp {
    pub activity_id: ActivityId,
    pub status: Option<ActivityStatus>,
    pub analysis: Option<String>,
}

/// One row of a report's table of complaints, praise and incidents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintRow {
    pub group: String,
    pub category: String,
    pub t1: Option<i64>,
    pub t2: Option<i64>,
    pub annual: Option<i64>,
    pub total: Option<i64>,
    pub assessment: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_end_where_the_city_says() {
        assert_eq!(
            ReportKind::Tertial1.period_end(2025).to_string(),
            "2025-04-30"
        );
        assert_eq!(
            ReportKind::Tertial2.period_end(2025).to_string(),
            "2025-08-31"
        );
        assert_eq!(
            ReportKind::AnnualReport.period_end(2025).to_string(),
            "2025-12-31"
        );
    }

    #[test]
    fn section_keys_are_plain() {
        assert_eq!(
            section_key("Kvalitets- och utvecklingsarbete"),
            "kvalitets-och-utvecklingsarbete"
        );
        assert_eq!(
            section_key(" Medel för lokaländamål "),
            "medel-for-lokalandamal"
        );
        for kind in ReportKind::ALL {
            for s in report_template(kind) {
                assert_eq!(section_key(s.heading), s.key);
            }
        }
    }

    #[test]
    fn codes_round_trip() {
        for k in ReportKind::ALL {
            assert_eq!(ReportKind::from_code(k.code()), Some(k));
            assert_eq!(ReportKind::from_slug(k.slug()), Some(k));
        }
        for a in Assessment::ALL {
            assert_eq!(Assessment::from_code(a.code()), Some(a));
        }
        for s in ActivityStatus::ALL {
            assert_eq!(ActivityStatus::from_code(s.code()), Some(s));
        }
    }
}

/// A report assembled for reading: the cascade as it stood when the report was written,
/// with the report's assessments, outcomes and statuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportDocument {
    pub report: Report,
    pub year: Year,
    pub unit: crate::OrgNode,
    /// The unit and its ancestors, from the unit up.
    pub chain: Vec<crate::OrgNode>,
    pub sections: Vec<ReportSection>,
    pub goals: Vec<crate::CascadeGoal>,
    pub assessments: std::collections::HashMap<GoalId, GoalAssessment>,
    pub outcomes: std::collections::HashMap<IndicatorId, IndicatorOutcome>,
    pub followups: std::collections::HashMap<ActivityId, ActivityFollowUp>,
    pub complaints: Vec<ComplaintRow>,
    /// The economy as written (a line per operation of the unit), with its totals.
    pub economy: crate::ReportEconomy,
    pub marks: FollowUpMarks,
    /// Each shown indicator's history for the unit up to this report: the outcomes of
    /// approved reports and this report's own (see [`crate::histories`]).
    pub history: std::collections::HashMap<IndicatorId, crate::IndicatorSeries>,
}

impl ReportDocument {
    /// Last year's annual outcome of an indicator, from its history: what the system fills
    /// in beside this year's. `None` when last year has none.
    pub fn last_year(&self, indicator: IndicatorId) -> Option<&crate::SeriesPoint> {
        self.history.get(&indicator)?.annual(self.year - 1)
    }

    /// "Utfall föregående år" of an indicator: as the report states it, or else last
    /// year's annual outcome from its history, filled in by the system.
    pub fn previous_outcome(&self, indicator: IndicatorId) -> Option<String> {
        let stated = self
            .outcomes
            .get(&indicator)
            .and_then(|o| o.previous.as_deref());
        if let Some(p) = stated.filter(|p| !p.trim().is_empty()) {
            return Some(p.to_string());
        }
        let last = self.last_year(indicator)?;
        Some(self.history.get(&indicator)?.figure_text(last.total))
    }
}
