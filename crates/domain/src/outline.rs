//! A plan as its reader sees it, as plain text under headings: what is kept of the plan at
//! each step of its workflow, and what *Jämför* compares. Each part has a stable key (the
//! section's key, the goal's id), so that two outlines of one plan are compared heading by
//! heading even when a heading was renamed or a part moved.

use crate::{CascadeGoal, PlanDocument, PlanSectionView};
use serde::{Deserialize, Serialize};

/// One heading of a plan and the text under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutlinePart {
    /// `avsnitt/<key>` for a section of the plan, `mal/<id>` for a goal.
    pub key: String,
    /// The heading as printed ("Inledning", "Enhetsmål: 2 Trygg vård").
    pub heading: String,
    /// What is printed under it, as plain text: a goal's texts under their headings, its
    /// indicators with their targets and its activities with their dates.
    pub text: String,
}

/// The plan as printed, heading by heading, in printed order: the sections before the
/// cascade, every goal of the cascade (depth first) and the sections after it. A section
/// with no text of its own is left out (its sub-sections are not).
pub fn plan_outline(doc: &PlanDocument) -> Vec<OutlinePart> {
    let mut out = Vec::new();
    sections(&doc.sections_before, &mut out);
    for g in doc.goals.iter().flat_map(CascadeGoal::walk) {
        out.push(goal_part(g));
    }
    sections(&doc.sections_after, &mut out);
    out
}

fn sections(list: &[PlanSectionView], out: &mut Vec<OutlinePart>) {
    for s in list {
        if !s.body.trim().is_empty() {
            out.push(OutlinePart {
                key: format!("avsnitt/{}", s.key),
                heading: s.heading.clone(),
                text: s.body.trim_end().to_string(),
            });
        }
        sections(&s.children, out);
    }
}

/// The heading a goal is printed with: "Nämndmål: 1.2 Titel".
pub fn goal_heading(g: &CascadeGoal) -> String {
    let number = g.goal.number.as_deref().unwrap_or("").trim();
    let sep = if number.is_empty() { "" } else { " " };
    format!(
        "{}: {number}{sep}{}",
        g.goal.level.heading_prefix(),
        g.goal.title
    )
}

fn goal_part(g: &CascadeGoal) -> OutlinePart {
    let mut blocks: Vec<String> = Vec::new();
    if g.inherited {
        blocks.push(format!("Beslutat av {}.", g.owner_name));
    }
    for (section, body) in &g.sections {
        blocks.push(format!("{}\n{}", section.heading(), body.trim_end()));
    }
    if !g.indicators.is_empty() {
        let mut lines = vec!["Indikatorer".to_string()];
        for i in &g.indicators {
            let target = |t: Option<&crate::Target>| t.map(|t| t.text().to_string());
            let mut facts = vec![format!(
                "Årsmål: {}",
                target(i.target.as_ref()).unwrap_or_else(|| "–".into())
            )];
            if let Some(c) = target(i.indicator.council_target.as_ref()) {
                facts.push(format!("KF:s årsmål: {c}"));
            }
            facts.push(format!("Periodicitet: {}", i.indicator.periodicity.label()));
            lines.push(format!(
                "- {} ({}). {}",
                i.indicator.name,
                i.indicator.direction.label().to_lowercase(),
                facts.join("; ")
            ));
        }
        blocks.push(lines.join("\n"));
    }
    if !g.activities.is_empty() {
        let mut lines = vec!["Aktiviteter".to_string()];
        for a in &g.activities {
            lines.push(format!("- {}: {} – {}", a.title, a.start, a.end));
        }
        blocks.push(lines.join("\n"));
    }
    OutlinePart {
        key: format!("mal/{}", g.goal.id),
        heading: goal_heading(g),
        text: blocks.join("\n\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        Activity, ActivityId, Direction, Goal, GoalId, GoalLevel, GoalSection, Indicator,
        IndicatorId, IndicatorView, Measure, NodeId, OrgKind, OrgNode, Periodicity, Plan, PlanId,
        PlanOrigin, PlanStatus, Target, ValueKind,
    };
    use time::macros::date;

    fn node(id: i64, kind: OrgKind, name: &str) -> OrgNode {
        OrgNode {
            id: NodeId(id),
            parent_id: None,
            kind,
            name: name.into(),
            position: 0,
            version: 1,
            closed: None,
        }
    }

    fn goal(id: i64, level: GoalLevel, number: Option<&str>, title: &str) -> Goal {
        Goal {
            id: GoalId(id),
            year: 2026,
            level,
            owner_id: NodeId(1),
            parent_id: None,
            number: number.map(Into::into),
            title: title.into(),
            position: 0,
            version: 1,
        }
    }

    fn section(
        key: &str,
        heading: &str,
        body: &str,
        children: Vec<PlanSectionView>,
    ) -> PlanSectionView {
        PlanSectionView {
            key: key.into(),
            heading: heading.into(),
            guidance: String::new(),
            body: body.into(),
            version: 1,
            children,
        }
    }

    fn doc() -> PlanDocument {
        let unit = node(5, OrgKind::Unit, "Enheten");
        let unit_goal = CascadeGoal {
            goal: goal(8, GoalLevel::Unit, None, "Trygg vård"),
            owner_name: "Enheten".into(),
            inherited: false,
            revised: None,
            sections: vec![(
                GoalSection::ExpectedResult,
                "Alla känner sig trygga.\n".into(),
            )],
            indicators: vec![IndicatorView {
                indicator: Indicator {
                    id: IndicatorId(3),
                    year: 2026,
                    goal_id: GoalId(8),
                    owner_id: NodeId(5),
                    name: "Andel trygga".into(),
                    unit_of_measure: None,
                    periodicity: Periodicity::Year,
                    direction: Direction::HigherIsBetter,
                    value_kind: ValueKind::Percent,
                    by_sex: false,
                    council_target: None,
                    position: 0,
                    version: 1,
                },
                target: Some(Target::Value(Measure::parse("90 %"))),
            }],
            activities: vec![Activity {
                id: ActivityId(4),
                year: 2026,
                goal_id: GoalId(8),
                owner_id: NodeId(5),
                title: "Trygghetsvandring".into(),
                start: date!(2026 - 02 - 01),
                end: date!(2026 - 05 - 31),
                position: 0,
                version: 1,
            }],
            children: vec![],
        };
        let board_goal = CascadeGoal {
            goal: goal(2, GoalLevel::Board, Some("1.2"), "Välfärd"),
            owner_name: "Nämnden".into(),
            inherited: true,
            revised: None,
            sections: vec![(GoalSection::Description, "Nämndens text.".into())],
            indicators: vec![],
            activities: vec![],
            children: vec![unit_goal],
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
            unit: unit.clone(),
            chain: vec![unit],
            facts: None,
            operations: vec![],
            sections_before: vec![section(
                "inledning",
                "Inledning",
                "",
                vec![section("uppdrag", "Uppdrag", "Vi stöder.", vec![])],
            )],
            goals: vec![board_goal],
            sections_after: vec![section("budget", "Budget", "  ", vec![])],
        }
    }

    #[test]
    fn the_outline_follows_the_printed_plan_with_stable_keys() {
        let parts = plan_outline(&doc());
        let keys: Vec<&str> = parts.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["avsnitt/uppdrag", "mal/2", "mal/8"]);
        assert_eq!(parts[1].heading, "Nämndmål: 1.2 Välfärd");
        assert_eq!(
            parts[1].text,
            "Beslutat av Nämnden.\n\nBeskrivning\nNämndens text."
        );
        assert_eq!(parts[2].heading, "Enhetsmål: Trygg vård");
        assert_eq!(
            parts[2].text,
            "Förväntat resultat\nAlla känner sig trygga.\n\n\
             Indikatorer\n- Andel trygga (högre är bättre). Årsmål: 90 %; Periodicitet: År\n\n\
             Aktiviteter\n- Trygghetsvandring: 2026-02-01 – 2026-05-31"
        );
    }

    #[test]
    fn an_outline_reads_back_as_it_was_written() {
        let parts = plan_outline(&doc());
        let json = serde_json::to_string(&parts).unwrap();
        let back: Vec<OutlinePart> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, parts);
    }
}
