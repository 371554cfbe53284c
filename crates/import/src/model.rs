//! The dry-run structure produced by the importer (see `IMPORT.md`).

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// What kind of document the text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Verksamhetsplan (VP), written before the year.
    Plan,
    /// Tertialrapport 1 (January–April).
    Tertial1,
    /// Tertialrapport 2 (January–August).
    Tertial2,
    /// Verksamhetsberättelse (VB), the follow-up of the whole year.
    AnnualReport,
}

impl DocumentKind {
    /// The name used in the JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Plan => "plan",
            DocumentKind::Tertial1 => "tertial1",
            DocumentKind::Tertial2 => "tertial2",
            DocumentKind::AnnualReport => "annual_report",
        }
    }

    /// True for the follow-up documents (T1, T2, VB).
    pub fn is_follow_up(self) -> bool {
        !matches!(self, DocumentKind::Plan)
    }
}

// The goal levels, assessments and activity statuses are the domain's own: their JSON
// names are the dry-run's.
pub use malkedja_domain::{ActivityStatus, Assessment, GoalLevel};

/// A front- or back-matter section of the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// The heading as written.
    pub heading: String,
    /// Paragraphs joined by a blank line; "" for a heading without own text.
    pub text: String,
    /// Printed after the goal cascade began (economy, quality work …), not before it.
    /// Not part of the dry-run JSON.
    #[serde(skip)]
    pub after_cascade: bool,
}

/// Ordered text sections of a goal ("Förväntat resultat" → text), serialized
/// as a JSON object that keeps document order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoalSections(pub Vec<(String, String)>);

impl GoalSections {
    /// Text of the section with this heading, if any.
    pub fn get(&self, heading: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(h, _)| h == heading)
            .map(|(_, t)| t.as_str())
    }

    /// Headings in document order.
    pub fn headings(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(h, _)| h.as_str())
    }

    /// Number of sections.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when the goal has no text sections.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds a section; a repeated heading appends its text as a new paragraph.
    pub(crate) fn push(&mut self, heading: String, text: String) {
        if let Some((_, existing)) = self.0.iter_mut().find(|(h, _)| *h == heading) {
            if existing.is_empty() {
                *existing = text;
            } else if !text.is_empty() {
                existing.push_str("\n\n");
                existing.push_str(&text);
            }
        } else {
            self.0.push((heading, text));
        }
    }
}

impl Serialize for GoalSections {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for GoalSections {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = GoalSections;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("ett objekt med rubrik → text")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = access.next_entry::<String, String>()? {
                    out.push((k, v));
                }
                Ok(GoalSections(out))
            }
        }
        deserializer.deserialize_map(V)
    }
}

/// A goal of the cascade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    /// Level in the cascade.
    pub level: GoalLevel,
    /// "1", "1.3" for council goals; null otherwise.
    pub number: Option<String>,
    /// Title joined onto one line.
    pub title: String,
    /// Index of the parent goal in `goals`.
    pub parent: Option<usize>,
    /// Text sections in document order.
    pub sections: GoalSections,
    /// Assessment (follow-up documents only).
    pub assessment: Option<Assessment>,
    /// The goal's "Analys" text (follow-up documents only).
    pub analysis: Option<String>,
}

/// An indicator row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    /// Index of the goal the indicator is printed under.
    pub goal: usize,
    /// Name joined onto one line.
    pub name: String,
    /// Årsmål (the unit's/board's target) as written.
    pub target: Option<String>,
    /// KF:s årsmål as written.
    pub council_target: Option<String>,
    /// Periodicitet ("År", "Tertial") in plans.
    pub periodicity: Option<String>,
    /// Periodens utfall.
    pub outcome: Option<String>,
    /// Utfall män/pojkar.
    pub outcome_men: Option<String>,
    /// Utfall kvinnor/flickor.
    pub outcome_women: Option<String>,
    /// Outcome of the previous year's annual report.
    pub previous: Option<String>,
    /// Period of the outcome ("VB 2025", "2025", "T1 2025").
    pub period: Option<String>,
    /// Analys row under the indicator.
    pub analysis: Option<String>,
}

/// An activity row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    /// Index of the goal the activity is printed under.
    pub goal: usize,
    /// Title joined onto one line.
    pub title: String,
    /// Startdatum, YYYY-MM-DD.
    pub start: Option<String>,
    /// Slutdatum, YYYY-MM-DD.
    pub end: Option<String>,
    /// Status in follow-up documents.
    pub status: Option<ActivityStatus>,
    /// Analys row under the activity.
    pub analysis: Option<String>,
}

/// A row of the complaints table ("Redovisning av synpunkter och klagomål").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Complaint {
    /// First column (filled down).
    pub group: String,
    /// Second column.
    pub category: String,
    /// Utfall T1.
    pub t1: Option<i64>,
    /// Utfall T2.
    pub t2: Option<i64>,
    /// Utfall VB.
    pub annual: Option<i64>,
    /// Totalt ack.
    pub total: Option<i64>,
    /// Bedömning och planerade åtgärder.
    pub assessment: Option<String>,
}

/// Something the importer dropped or had to guess, with its line (1-based).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// Line number in the text (1-based).
    pub line: usize,
    /// Swedish explanation.
    pub message: String,
}

/// The whole parsed document (the dry-run shape).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportDocument {
    /// Kind of document.
    pub kind: DocumentKind,
    /// The year the document covers.
    pub year: i32,
    /// The unit's name.
    pub unit: String,
    /// Front and back matter in document order.
    pub sections: Vec<Section>,
    /// The goal cascade in document order.
    pub goals: Vec<Goal>,
    /// Indicators in document order.
    pub indicators: Vec<Indicator>,
    /// Activities in document order.
    pub activities: Vec<Activity>,
    /// Complaints table rows (follow-up documents).
    pub complaints: Vec<Complaint>,
    /// Warnings about dropped or guessed content.
    pub warnings: Vec<Warning>,
}

impl ImportDocument {
    /// The dry-run JSON (pretty-printed).
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
