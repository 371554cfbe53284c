//! The parts of a plan a writer marks ready ("Klar"), and how far the plan has come.
//!
//! A plan's parts are each of its own sections that asks for text (a section of the
//! template with guidance) and each unit goal the plan holds (a goal of the unit itself).
//! A writer marks a part ready when it is done; editing it clears the mark. The plan page
//! says "12 av 15 delar klara" and links to the rest.
//!
//! A follow-up report has parts too ([`report_parts`]): each of its own sections (those of
//! the report template, written or not, and any other it has), the follow-up of each goal
//! the unit assesses ([`followed_up`]: every goal but the council's) and, in a report that
//! asks for one ([`crate::economy_columns`]), the economy.

use crate::{
    CascadeGoal, GoalId, GoalLevel, Placement, PlanDocument, PlanSectionView, ReportDocument,
};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fmt;

/// One part of a plan that can be marked ready.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlanPart {
    /// One of the plan's own sections, by its template key.
    Section { key: String },
    /// One of the unit's own goals in the plan; in a report, a goal's follow-up (its
    /// assessment, outcomes and activity statuses).
    Goal { id: GoalId },
    /// A report's economy.
    Economy,
}

impl PlanPart {
    pub fn section(key: impl Into<String>) -> PlanPart {
        PlanPart::Section { key: key.into() }
    }

    pub fn goal(id: GoalId) -> PlanPart {
        PlanPart::Goal { id }
    }

    /// The stable code a part is stored and sent as: `section:uppdrag`, `goal:42`,
    /// `economy`.
    pub fn code(&self) -> String {
        match self {
            PlanPart::Section { key } => format!("section:{key}"),
            PlanPart::Goal { id } => format!("goal:{id}"),
            PlanPart::Economy => "economy".to_string(),
        }
    }

    /// The part a code names; `None` for anything that is not a code of a part.
    pub fn from_code(code: &str) -> Option<PlanPart> {
        if code.trim() == "economy" {
            return Some(PlanPart::Economy);
        }
        let (kind, rest) = code.trim().split_once(':')?;
        match kind {
            "section" if !rest.is_empty() && !rest.chars().any(char::is_whitespace) => {
                Some(PlanPart::section(rest))
            }
            "goal" => match rest.parse::<i64>() {
                Ok(id) if id > 0 && !rest.starts_with('+') => Some(PlanPart::goal(GoalId(id))),
                _ => None,
            },
            _ => None,
        }
    }
}

impl fmt::Display for PlanPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

/// A part of a plan with what the page calls it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartInfo {
    pub part: PlanPart,
    /// The section's heading, or "Enhetsmål: <title>".
    pub label: String,
}

/// The sections that ask for text (they have guidance), in document order, as parts.
pub fn section_parts(sections: &[PlanSectionView]) -> Vec<PartInfo> {
    let mut out = Vec::new();
    for s in sections {
        if !s.guidance.trim().is_empty() {
            out.push(PartInfo {
                part: PlanPart::section(s.key.clone()),
                label: s.heading.clone(),
            });
        }
        out.extend(section_parts(&s.children));
    }
    out
}

/// Whether a goal of the cascade is one of the unit's own goals (a part of its plan).
pub fn is_own_unit_goal(g: &CascadeGoal, unit: crate::NodeId) -> bool {
    g.goal.level == GoalLevel::Unit && g.goal.owner_id == unit
}

/// The parts of a plan, in the order the plan prints them: the sections before the
/// cascade, the unit's own goals, the sections after.
pub fn plan_parts(doc: &PlanDocument) -> Vec<PartInfo> {
    let mut out = section_parts(&doc.sections_before);
    for g in doc.goals.iter().flat_map(CascadeGoal::walk) {
        if is_own_unit_goal(g, doc.unit.id) {
            out.push(PartInfo {
                part: PlanPart::goal(g.goal.id),
                label: format!("{}: {}", g.goal.level.heading_prefix(), g.goal.title),
            });
        }
    }
    out.extend(section_parts(&doc.sections_after));
    out
}

/// Whether a report follows up this goal with an assessment of the unit's: every goal but
/// the council's (those the city's own annual report assesses).
pub fn followed_up(g: &CascadeGoal) -> bool {
    !g.goal.level.is_council()
}

/// The parts of a report, in the order the report prints them: its sections before the
/// cascade, the follow-up of each goal it assesses, its sections after, and its economy
/// when the report asks for one.
pub fn report_parts(doc: &ReportDocument) -> Vec<PartInfo> {
    let sections = crate::report_sections(doc);
    let section = |s: &crate::ReportSection| PartInfo {
        part: PlanPart::section(s.key.clone()),
        label: s.heading.clone(),
    };
    let mut out: Vec<PartInfo> = sections
        .iter()
        .filter(|s| s.placement == Placement::BeforeCascade)
        .map(section)
        .collect();
    for g in doc.goals.iter().flat_map(CascadeGoal::walk) {
        if followed_up(g) {
            out.push(PartInfo {
                part: PlanPart::goal(g.goal.id),
                label: format!("{}: {}", g.goal.level.heading_prefix(), g.goal.title),
            });
        }
    }
    out.extend(
        sections
            .iter()
            .filter(|s| s.placement == Placement::AfterCascade)
            .map(section),
    );
    if crate::economy_columns(doc.report.kind).is_some() {
        out.push(PartInfo {
            part: PlanPart::Economy,
            label: "Ekonomi".into(),
        });
    }
    out
}

/// How far a plan has come: how many of its parts are marked ready, and which are not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Completion {
    pub ready: usize,
    pub total: usize,
    /// The parts not marked ready, in document order.
    pub remaining: Vec<PartInfo>,
}

impl Completion {
    /// Counts the parts marked ready. Marks of parts the plan no longer has (a goal removed,
    /// a section taken out of the template) do not count.
    pub fn of(parts: Vec<PartInfo>, marked: &HashSet<PlanPart>) -> Completion {
        let total = parts.len();
        let remaining: Vec<PartInfo> = parts
            .into_iter()
            .filter(|p| !marked.contains(&p.part))
            .collect();
        Completion {
            ready: total - remaining.len(),
            total,
            remaining,
        }
    }

    /// "12 av 15 delar klara"; "1 av 1 del klar".
    pub fn label(&self) -> String {
        let words = if self.total == 1 {
            "del klar"
        } else {
            "delar klara"
        };
        format!("{} av {} {words}", self.ready, self.total)
    }

    /// Whether every part is marked ready (a plan without parts is not "done").
    pub fn all_ready(&self) -> bool {
        self.total > 0 && self.ready == self.total
    }

    /// Percent ready, rounded down (0 for a plan without parts).
    pub fn percent(&self) -> usize {
        (self.ready * 100).checked_div(self.total).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NodeId, OrgKind, OrgNode, Plan, PlanId, PlanOrigin, PlanStatus};

    fn section(key: &str, guidance: &str, children: Vec<PlanSectionView>) -> PlanSectionView {
        PlanSectionView {
            key: key.into(),
            heading: key.to_uppercase(),
            guidance: guidance.into(),
            body: String::new(),
            version: 0,
            children,
        }
    }

    fn goal(id: i64, level: GoalLevel, owner: i64, children: Vec<CascadeGoal>) -> CascadeGoal {
        let mut g = crate::testing::cascade_goal(id, level, owner);
        g.children = children;
        g
    }

    fn doc() -> PlanDocument {
        let unit = OrgNode {
            id: NodeId(5),
            parent_id: Some(NodeId(4)),
            kind: OrgKind::Unit,
            name: "Enheten".into(),
            position: 0,
            version: 1,
            closed: None,
        };
        PlanDocument {
            plan: Plan {
                id: PlanId(1),
                unit_id: NodeId(5),
                year: 2026,
                status: PlanStatus::Draft,
                version: 1,
                origin: PlanOrigin::Plan,
            },
            chain: vec![unit.clone()],
            unit,
            facts: None,
            operations: Vec::new(),
            sections_before: vec![section(
                "inledning",
                "",
                vec![section("uppdrag", "Beskriv", vec![])],
            )],
            goals: vec![goal(
                10,
                GoalLevel::Board,
                2,
                vec![
                    goal(11, GoalLevel::Unit, 5, vec![]),
                    goal(
                        12,
                        GoalLevel::Department,
                        4,
                        vec![goal(13, GoalLevel::Unit, 5, vec![])],
                    ),
                    // Another unit's goal never shows, but were it there it is not a part.
                    goal(14, GoalLevel::Unit, 6, vec![]),
                ],
            )],
            sections_after: vec![section(
                "kvalitetsarbete",
                "Beskriv",
                vec![section("synpunkter", "Hur?", vec![])],
            )],
        }
    }

    #[test]
    fn parts_are_sections_asking_for_text_and_own_unit_goals_in_page_order() {
        let parts: Vec<String> = plan_parts(&doc()).iter().map(|p| p.part.code()).collect();
        assert_eq!(
            parts,
            [
                "section:uppdrag",
                "goal:11",
                "goal:13",
                "section:kvalitetsarbete",
                "section:synpunkter"
            ]
        );
        assert_eq!(plan_parts(&doc())[1].label, "Enhetsmål: Mål 11");
    }

    #[test]
    fn codes_round_trip_and_refuse_anything_else() {
        for p in [
            PlanPart::section("budget"),
            PlanPart::goal(GoalId(42)),
            PlanPart::Economy,
        ] {
            assert_eq!(PlanPart::from_code(&p.code()), Some(p.clone()));
        }
        for bad in [
            "",
            "section:",
            "goal:",
            "goal:0",
            "goal:-3",
            "goal:+3",
            "goal:x",
            "mål:3",
            "section",
            "section:a b",
        ] {
            assert_eq!(PlanPart::from_code(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn completion_counts_marks_of_parts_the_plan_has() {
        let mut marked = HashSet::new();
        marked.insert(PlanPart::section("uppdrag"));
        marked.insert(PlanPart::goal(GoalId(13)));
        // A mark of a goal no longer in the plan does not count.
        marked.insert(PlanPart::goal(GoalId(99)));
        let c = Completion::of(plan_parts(&doc()), &marked);
        assert_eq!((c.ready, c.total), (2, 5));
        assert_eq!(c.label(), "2 av 5 delar klara");
        assert_eq!(c.percent(), 40);
        assert!(!c.all_ready());
        let remaining: Vec<String> = c.remaining.iter().map(|p| p.part.code()).collect();
        assert_eq!(
            remaining,
            ["goal:11", "section:kvalitetsarbete", "section:synpunkter"]
        );
        let none = Completion::of(Vec::new(), &marked);
        assert_eq!((none.percent(), none.all_ready()), (0, false));
        assert_eq!(none.label(), "0 av 0 delar klara");
        let one = Completion::of(vec![plan_parts(&doc())[0].clone()], &marked);
        assert_eq!(one.label(), "1 av 1 del klar");
        assert!(one.all_ready());
    }
}
