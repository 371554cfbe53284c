//! Assembles a unit's plan from what the store holds: which inherited goals, indicators and
//! activities the unit sees, the text in force of each goal, the unit's own targets, and
//! the template's sections around the cascade.

use crate::DomainError;
use crate::{
    Activity, ActivityId, Goal, GoalId, GoalSection, Indicator, IndicatorId, IndicatorTarget,
    NodeId, OrgNode, Periodicity, Placement, Plan, PlanSection, Target, TemplateSection,
    TextVersion, UnitFacts, text_in_force,
};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use time::OffsetDateTime;

/// What one plan or report contains: the goals it shows, the indicators it follows with
/// the årsmål the document itself states, and the activities. Every document has its own
/// record, so writing or importing one never changes how another reads: a unit goal
/// renamed in a report, a revised plan, a report's own årsmål stay in their document.
///
/// Inherited items (board goals, council indicators, board activities) are in a document
/// when the unit chose them; the unit's own items are in the document they were written
/// in. The goals above a shown goal, indicator or activity are shown with it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contents {
    pub goals: HashSet<GoalId>,
    pub indicators: HashMap<IndicatorId, IndicatorEntry>,
    pub activities: HashMap<ActivityId, ActivityEntry>,
}

/// How a document states one of its indicators. What it does not state (`None`) is read
/// from the indicator, which documents share; what it does is shown as the document wrote
/// it, so a report with a typo in a name, or a plan read beside a report that wrote the
/// name differently, reads as written whatever order they were stored in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IndicatorEntry {
    /// Årsmål: the document's own target.
    pub target: Option<Target>,
    /// The name as the document writes it.
    pub name: Option<String>,
    /// KF:s årsmål as the document states it.
    pub council_target: Option<Target>,
    pub periodicity: Option<Periodicity>,
    /// Its place among its goal's indicators in the document.
    pub position: Option<i64>,
}

impl IndicatorEntry {
    /// An entry with only the document's own target.
    pub fn with_target(target: Option<Target>) -> IndicatorEntry {
        IndicatorEntry {
            target,
            ..IndicatorEntry::default()
        }
    }
}

/// How a document states one of its activities.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ActivityEntry {
    /// The title as the document writes it.
    pub title: Option<String>,
    /// Its place among its goal's activities in the document.
    pub position: Option<i64>,
}

impl Contents {
    pub fn is_empty(&self) -> bool {
        self.goals.is_empty() && self.indicators.is_empty() && self.activities.is_empty()
    }
}

/// Checks who may own an indicator or activity on a goal: the goal's owner or a node below
/// it (a unit may add its own indicator to a board goal; a board may not add one to a
/// unit's goal). `owner_chain` is the item's owner and its ancestors.
pub fn check_item_owner(goal_owner: NodeId, owner_chain: &[NodeId]) -> Result<(), DomainError> {
    if owner_chain.contains(&goal_owner) {
        Ok(())
    } else {
        Err(DomainError::ItemOwner)
    }
}

/// Whether a unit's document shows an indicator or activity: it is in the document's
/// contents and owned by the unit or a node above it. Another unit's own item never shows,
/// whatever a record says; the unit's own item shows without being chosen from anything.
pub fn item_shown(owner: NodeId, unit_chain: &[NodeId], in_contents: bool) -> bool {
    in_contents && unit_chain.contains(&owner)
}

/// An indicator as a unit's plan shows it, with the target that applies to the unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorView {
    #[serde(flatten)]
    pub indicator: Indicator,
    /// Årsmål: the unit's own target, or failing that the nearest one set above it.
    pub target: Option<Target>,
}

/// A goal as a unit's plan shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CascadeGoal {
    #[serde(flatten)]
    pub goal: Goal,
    pub owner_name: String,
    /// True when the goal belongs to a node above the unit: read-only for the unit.
    pub inherited: bool,
    /// The text in force of each section that has text, in printed order.
    pub sections: Vec<(GoalSection, String)>,
    /// An inherited goal whose shown text was revised after the document's writers last
    /// saw it (see [`CascadeInputs::seen`]): when.
    pub revised: Option<OffsetDateTime>,
    pub indicators: Vec<IndicatorView>,
    pub activities: Vec<Activity>,
    pub children: Vec<CascadeGoal>,
}

impl CascadeGoal {
    /// This goal and all goals below it, depth first.
    pub fn walk(&self) -> Vec<&CascadeGoal> {
        let mut out = vec![self];
        for c in &self.children {
            out.extend(c.walk());
        }
        out
    }
}

/// A section of the plan around the cascade, with its sub-sections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanSectionView {
    pub key: String,
    pub heading: String,
    /// Shown to writers, never printed.
    pub guidance: String,
    pub body: String,
    pub version: i64,
    pub children: Vec<PlanSectionView>,
}

impl PlanSectionView {
    /// Whether this section or any below it has text.
    pub fn has_text(&self) -> bool {
        !self.body.trim().is_empty() || self.children.iter().any(PlanSectionView::has_text)
    }
}

/// The headings of the sections that ask for text (they have guidance) and have none yet,
/// in document order: what a writer still has to do.
pub fn missing_sections(sections: &[PlanSectionView]) -> Vec<String> {
    let mut out = Vec::new();
    for s in sections {
        if !s.guidance.is_empty()
            && s.body.trim().is_empty()
            && !s.children.iter().any(PlanSectionView::has_text)
        {
            out.push(s.heading.clone());
        }
        out.extend(missing_sections(&s.children));
    }
    out
}

/// A unit's plan for a year, assembled for reading and printing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanDocument {
    pub plan: Plan,
    pub unit: OrgNode,
    /// The unit and its ancestors, from the unit up to the city.
    pub chain: Vec<OrgNode>,
    pub facts: Option<UnitFacts>,
    pub operations: Vec<(OrgNode, Option<UnitFacts>)>,
    pub sections_before: Vec<PlanSectionView>,
    pub goals: Vec<CascadeGoal>,
    pub sections_after: Vec<PlanSectionView>,
}

/// Everything the assembly needs, as loaded by the store.
pub struct CascadeInputs<'a> {
    /// The unit and its ancestors.
    pub chain: &'a [OrgNode],
    /// Goals of the plan's year owned by nodes in the chain (others are ignored).
    pub goals: &'a [Goal],
    pub texts: &'a HashMap<GoalId, Vec<TextVersion>>,
    pub indicators: &'a [Indicator],
    pub targets: &'a [IndicatorTarget],
    pub activities: &'a [Activity],
    /// What the document contains.
    pub contents: &'a Contents,
    /// Texts in force at this moment are shown …
    pub at: OffsetDateTime,
    /// When the document's writers last saw the texts of the goals they inherit (a draft's
    /// creation or last workflow step); `None` when nobody is told of later revisions.
    pub seen: Option<OffsetDateTime>,
    /// … except where the document is pinned to a revision of a section's text (the text
    /// it was written or approved with).
    pub pinned: &'a HashMap<(GoalId, GoalSection), i64>,
}

/// Builds the cascade a unit sees.
///
/// Rules: only goals of the year owned by the unit or a node above it are considered. An
/// indicator or activity is shown when [`item_shown`]; a goal when the document contains
/// it, or a goal, indicator or activity below it is shown. The target of an indicator is
/// the document's own årsmål, or failing that the nearest one set above the unit.
pub fn assemble_cascade(input: &CascadeInputs<'_>) -> Vec<CascadeGoal> {
    let chain_ids: Vec<NodeId> = input.chain.iter().map(|n| n.id).collect();
    let names: HashMap<NodeId, &str> = input
        .chain
        .iter()
        .map(|n| (n.id, n.name.as_str()))
        .collect();
    let goals: Vec<&Goal> = input
        .goals
        .iter()
        .filter(|g| chain_ids.contains(&g.owner_id))
        .collect();
    let goal_ids: HashSet<GoalId> = goals.iter().map(|g| g.id).collect();

    let mut children: HashMap<Option<GoalId>, Vec<&Goal>> = HashMap::new();
    for g in &goals {
        // A goal whose parent is not visible to this unit is left out, never shown at top.
        let parent = g.parent_id.filter(|p| goal_ids.contains(p));
        if g.parent_id.is_some() && parent.is_none() {
            continue;
        }
        children.entry(parent).or_default().push(g);
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| {
            a.position
                .cmp(&b.position)
                .then_with(|| number_key(a).cmp(&number_key(b)))
                .then_with(|| a.id.cmp(&b.id))
        });
    }

    let rank = |node: NodeId| chain_ids.iter().position(|c| *c == node);
    let target_for = |ind: &Indicator| -> Option<Target> {
        if let Some(own) = input
            .contents
            .indicators
            .get(&ind.id)
            .and_then(|e| e.target.as_ref())
        {
            return Some(own.clone());
        }
        input
            .targets
            .iter()
            .filter(|t| t.indicator_id == ind.id)
            .filter_map(|t| rank(t.node_id).map(|r| (r, t)))
            .min_by_key(|(r, _)| *r)
            .map(|(_, t)| t.target.clone())
    };

    fn build(
        goal: &Goal,
        input: &CascadeInputs<'_>,
        children: &HashMap<Option<GoalId>, Vec<&Goal>>,
        names: &HashMap<NodeId, &str>,
        chain_ids: &[NodeId],
        target_for: &dyn Fn(&Indicator) -> Option<Target>,
    ) -> Option<CascadeGoal> {
        let unit_id = chain_ids.first().copied();
        let kids: Vec<CascadeGoal> = children
            .get(&Some(goal.id))
            .map(|list| {
                list.iter()
                    .filter_map(|c| build(c, input, children, names, chain_ids, target_for))
                    .collect()
            })
            .unwrap_or_default();
        let mut indicators: Vec<Indicator> = input
            .indicators
            .iter()
            .filter(|i| i.goal_id == goal.id)
            .filter(|i| {
                item_shown(
                    i.owner_id,
                    chain_ids,
                    input.contents.indicators.contains_key(&i.id),
                )
            })
            .map(|i| as_stated(i, input.contents.indicators.get(&i.id)))
            .collect();
        indicators.sort_by_key(|i| (i.position, i.id));
        let mut activities: Vec<Activity> = input
            .activities
            .iter()
            .filter(|a| a.goal_id == goal.id)
            .filter(|a| {
                item_shown(
                    a.owner_id,
                    chain_ids,
                    input.contents.activities.contains_key(&a.id),
                )
            })
            .map(|a| {
                let mut a = a.clone();
                if let Some(e) = input.contents.activities.get(&a.id) {
                    if let Some(t) = &e.title {
                        a.title = t.clone();
                    }
                    if let Some(p) = e.position {
                        a.position = p;
                    }
                }
                a
            })
            .collect();
        activities.sort_by_key(|a| (a.position, a.start, a.id));

        let visible = input.contents.goals.contains(&goal.id)
            || !kids.is_empty()
            || !indicators.is_empty()
            || !activities.is_empty();
        if !visible {
            return None;
        }
        let texts = input.texts.get(&goal.id).map(Vec::as_slice).unwrap_or(&[]);
        let shown: Vec<&TextVersion> = crate::GoalSection::ALL
            .into_iter()
            .filter_map(|s| {
                let pinned = input
                    .pinned
                    .get(&(goal.id, s))
                    .and_then(|rev| texts.iter().find(|v| v.section == s && v.revision == *rev));
                pinned.or_else(|| text_in_force(texts, s, input.at))
            })
            .collect();
        let inherited = Some(goal.owner_id) != unit_id;
        let revised = input.seen.filter(|_| inherited).and_then(|seen| {
            shown
                .iter()
                .filter(|v| v.revision > 1 && v.valid_from > seen)
                .map(|v| v.valid_from)
                .max()
        });
        let sections = shown
            .into_iter()
            .filter(|v| !v.body.trim().is_empty())
            .map(|v| (v.section, v.body.clone()))
            .collect();
        Some(CascadeGoal {
            goal: goal.clone(),
            owner_name: names
                .get(&goal.owner_id)
                .copied()
                .unwrap_or_default()
                .to_string(),
            inherited,
            sections,
            revised,
            indicators: indicators
                .into_iter()
                .map(|i| IndicatorView {
                    target: target_for(&i),
                    indicator: i,
                })
                .collect(),
            activities,
            children: kids,
        })
    }

    children
        .get(&None)
        .map(|roots| {
            roots
                .iter()
                .filter_map(|g| build(g, input, &children, &names, &chain_ids, &target_for))
                .collect()
        })
        .unwrap_or_default()
}

/// An indicator as a document states it: its own wording over the shared indicator's.
fn as_stated(i: &Indicator, entry: Option<&IndicatorEntry>) -> Indicator {
    let mut i = i.clone();
    if let Some(e) = entry {
        if let Some(n) = &e.name {
            i.name = n.clone();
        }
        if let Some(t) = &e.council_target {
            i.council_target = Some(t.clone());
        }
        if let Some(p) = e.periodicity {
            i.periodicity = p;
        }
        if let Some(p) = e.position {
            i.position = p;
        }
    }
    i
}

/// Sorts "1.10" after "1.9".
fn number_key(g: &Goal) -> Vec<u32> {
    g.number
        .as_deref()
        .unwrap_or("")
        .split('.')
        .filter_map(|p| p.trim().parse().ok())
        .collect()
}

/// Builds the sections of one placement from the template and the plan's texts.
pub fn build_sections(
    template: &[TemplateSection],
    bodies: &[PlanSection],
    year: crate::Year,
    placement: Placement,
) -> Vec<PlanSectionView> {
    let bodies: HashMap<&str, &PlanSection> = bodies.iter().map(|b| (b.key.as_str(), b)).collect();
    fn level(
        parent: Option<&str>,
        template: &[TemplateSection],
        bodies: &HashMap<&str, &PlanSection>,
        year: crate::Year,
        placement: Placement,
    ) -> Vec<PlanSectionView> {
        let mut rows: Vec<&TemplateSection> = template
            .iter()
            .filter(|t| t.parent_key.as_deref() == parent && t.placement == placement)
            .collect();
        rows.sort_by_key(|t| t.position);
        rows.into_iter()
            .map(|t| {
                let body = bodies.get(t.key.as_str());
                PlanSectionView {
                    key: t.key.clone(),
                    heading: t.heading_for(year),
                    guidance: t.guidance.clone(),
                    body: body.map(|b| b.body.clone()).unwrap_or_default(),
                    version: body.map(|b| b.version).unwrap_or(0),
                    children: level(Some(&t.key), template, bodies, year, placement),
                }
            })
            // A heading that asks for nothing (no guidance), has no text and nothing below
            // it that does is not part of this plan: another plan's import brought it into
            // the template.
            .filter(|s| !s.guidance.is_empty() || s.has_text() || !s.children.is_empty())
            .collect()
    }
    level(None, template, &bodies, year, placement)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::{Direction, GoalLevel, Measure, OrgKind, Periodicity, ValueKind};
    use time::macros::{date, datetime};

    pub(crate) fn node(id: i64, parent: Option<i64>, kind: OrgKind, name: &str) -> OrgNode {
        OrgNode {
            id: NodeId(id),
            parent_id: parent.map(NodeId),
            kind,
            name: name.into(),
            position: 0,
            version: 1,
            closed: None,
        }
    }

    pub(crate) fn goal(
        id: i64,
        level: GoalLevel,
        owner: i64,
        parent: Option<i64>,
        number: Option<&str>,
    ) -> Goal {
        Goal {
            id: GoalId(id),
            year: 2025,
            level,
            owner_id: NodeId(owner),
            parent_id: parent.map(GoalId),
            number: number.map(Into::into),
            title: format!("Mål {id}"),
            position: 0,
            version: 1,
        }
    }

    pub(crate) fn indicator(id: i64, goal: i64, owner: i64) -> Indicator {
        Indicator {
            id: IndicatorId(id),
            year: 2025,
            goal_id: GoalId(goal),
            owner_id: NodeId(owner),
            name: format!("Indikator {id}"),
            unit_of_measure: None,
            periodicity: Periodicity::Year,
            direction: Direction::HigherIsBetter,
            value_kind: ValueKind::Percent,
            by_sex: false,
            council_target: None,
            position: 0,
            version: 1,
        }
    }

    pub(crate) fn activity(id: i64, goal: i64, owner: i64) -> Activity {
        Activity {
            id: ActivityId(id),
            year: 2025,
            goal_id: GoalId(goal),
            owner_id: NodeId(owner),
            title: format!("Aktivitet {id}"),
            start: date!(2025 - 01 - 01),
            end: date!(2025 - 12 - 31),
            position: 0,
            version: 1,
        }
    }

    /// City 1 → board 2 → administration 3 → department 4 → units 5 and 6.
    pub(crate) fn chain_of(unit: i64) -> Vec<OrgNode> {
        vec![
            node(unit, Some(4), OrgKind::Unit, "Enheten"),
            node(4, Some(3), OrgKind::Department, "Avdelningen"),
            node(3, Some(2), OrgKind::Administration, "Förvaltningen"),
            node(2, Some(1), OrgKind::Board, "Nämnden"),
            node(1, None, OrgKind::City, "Staden"),
        ]
    }

    fn goals() -> Vec<Goal> {
        vec![
            goal(1, GoalLevel::Direction, 1, None, Some("1")),
            goal(2, GoalLevel::Area, 1, Some(1), Some("1.3")),
            goal(3, GoalLevel::Area, 1, Some(1), Some("1.10")),
            goal(4, GoalLevel::Board, 2, Some(2), None),
            goal(5, GoalLevel::Board, 2, Some(3), None),
            goal(6, GoalLevel::Unit, 5, Some(4), None),
            goal(7, GoalLevel::Unit, 6, Some(5), None),
            goal(8, GoalLevel::Direction, 1, None, Some("2")),
        ]
    }

    fn run(unit: i64, contents: &Contents) -> Vec<CascadeGoal> {
        run_pinned(unit, contents, &HashMap::new())
    }

    fn contents(goals: &[i64], indicators: &[(i64, Option<&str>)], activities: &[i64]) -> Contents {
        Contents {
            goals: goals.iter().map(|g| GoalId(*g)).collect(),
            indicators: indicators
                .iter()
                .map(|(i, t)| {
                    (
                        IndicatorId(*i),
                        IndicatorEntry::with_target(t.map(|t| Target::Value(Measure::parse(t)))),
                    )
                })
                .collect(),
            activities: activities
                .iter()
                .map(|a| (ActivityId(*a), ActivityEntry::default()))
                .collect(),
        }
    }

    fn run_pinned(
        unit: i64,
        contents: &Contents,
        pinned: &HashMap<(GoalId, GoalSection), i64>,
    ) -> Vec<CascadeGoal> {
        let chain = chain_of(unit);
        let goals = goals();
        let mut texts = HashMap::new();
        texts.insert(
            GoalId(4),
            vec![
                TextVersion {
                    section: GoalSection::Description,
                    revision: 1,
                    body: "Första".into(),
                    valid_from: datetime!(2024-11-01 0:00 UTC),
                },
                TextVersion {
                    section: GoalSection::Description,
                    revision: 2,
                    body: "Andra".into(),
                    valid_from: datetime!(2025-05-01 0:00 UTC),
                },
            ],
        );
        // Indicator 4 and activity 4 are unit 6's own, on board goal 4.
        let indicators = vec![
            indicator(1, 2, 1),
            indicator(2, 2, 1),
            indicator(3, 4, 2),
            indicator(4, 4, 6),
        ];
        let targets = vec![
            IndicatorTarget {
                indicator_id: IndicatorId(3),
                node_id: NodeId(2),
                target: Target::Value(Measure::parse("80 %")),
            },
            IndicatorTarget {
                indicator_id: IndicatorId(3),
                node_id: NodeId(5),
                target: Target::Value(Measure::parse("90 %")),
            },
        ];
        let activities = vec![
            activity(1, 4, 2),
            activity(2, 4, 2),
            activity(3, 6, 5),
            activity(4, 4, 6),
        ];
        assemble_cascade(&CascadeInputs {
            chain: &chain,
            goals: &goals,
            texts: &texts,
            indicators: &indicators,
            targets: &targets,
            activities: &activities,
            contents,
            at: datetime!(2025-02-01 0:00 UTC),
            seen: None,
            pinned,
        })
    }

    #[test]
    fn shows_what_the_document_contains_with_the_goals_above() {
        let sel = contents(&[6], &[(2, None), (3, Some("90 %"))], &[2, 3]);
        let tree = run(5, &sel);
        assert_eq!(
            tree.len(),
            1,
            "direction 2 has nothing under it and is left out"
        );
        let dir = &tree[0];
        assert_eq!(dir.goal.id, GoalId(1));
        assert!(dir.inherited);
        let area = &dir.children[0];
        assert_eq!(area.goal.number.as_deref(), Some("1.3"));
        assert_eq!(
            area.indicators.len(),
            1,
            "only the selected council indicator"
        );
        assert_eq!(area.indicators[0].indicator.id, IndicatorId(2));
        let board = &area.children[0];
        assert_eq!(board.goal.id, GoalId(4));
        assert_eq!(
            board.activities.iter().map(|a| a.id).collect::<Vec<_>>(),
            [ActivityId(2)]
        );
        assert_eq!(
            board.indicators[0].target.as_ref().unwrap().text(),
            "90 %",
            "the document's own target wins"
        );
        assert_eq!(
            board.sections,
            vec![(GoalSection::Description, "Första".to_string())],
            "text in force on the date"
        );
        let unit_goal = &board.children[0];
        assert!(!unit_goal.inherited);
        assert_eq!(unit_goal.activities.len(), 1);
        // Unit 6's goal under board goal 5 is not in unit 5's plan, nor is board goal 5.
        let all: Vec<GoalId> = tree
            .iter()
            .flat_map(|g| g.walk())
            .map(|g| g.goal.id)
            .collect();
        assert!(!all.contains(&GoalId(7)) && !all.contains(&GoalId(5)));
    }

    #[test]
    fn a_pinned_revision_wins_over_the_text_in_force() {
        let sel = contents(&[4], &[], &[]);
        let pinned = [((GoalId(4), GoalSection::Description), 2)].into();
        let tree = run_pinned(5, &sel, &pinned);
        let board = &tree[0].children[0].children[0];
        assert_eq!(
            board.sections,
            vec![(GoalSection::Description, "Andra".to_string())]
        );
    }

    #[test]
    fn selected_board_goal_without_unit_goal_is_shown_in_number_order() {
        let sel = contents(&[5, 6], &[], &[]);
        let tree = run(5, &sel);
        let areas: Vec<_> = tree[0]
            .children
            .iter()
            .map(|a| a.goal.number.clone().unwrap())
            .collect();
        assert_eq!(areas, ["1.3", "1.10"]);
        assert_eq!(tree[0].children[1].children[0].goal.id, GoalId(5));
        assert!(tree[0].children[1].children[0].children.is_empty());
        // Without a target of its own, unit 6's plan shows the board's target.
        let tree6 = run(6, &contents(&[4], &[(3, None)], &[]));
        let board = &tree6[0].children[0].children[0];
        assert_eq!(board.indicators[0].target.as_ref().unwrap().text(), "80 %");
    }

    #[test]
    fn a_units_own_items_on_a_board_goal_show_only_in_its_own_documents() {
        // Unit 6's own indicator and activity on board goal 4, in its plan: shown, and
        // nothing had to be selected for them.
        let own = run(6, &contents(&[], &[(4, None)], &[4]));
        let board = &own[0].children[0].children[0];
        assert_eq!(board.goal.id, GoalId(4));
        assert_eq!(board.indicators[0].indicator.id, IndicatorId(4));
        assert_eq!(board.activities[0].id, ActivityId(4));
        // Unit 5's plan never shows them, even if a record named them.
        let other = run(5, &contents(&[4], &[(4, None)], &[4]));
        let board = &other[0].children[0].children[0];
        assert!(board.indicators.is_empty() && board.activities.is_empty());
    }

    #[test]
    fn a_document_shows_items_as_it_states_them() {
        let mut sel = contents(&[], &[(1, None), (2, None)], &[]);
        sel.indicators.insert(
            IndicatorId(2),
            IndicatorEntry {
                name: Some("Indikator två, som dokumentet skrev den".into()),
                periodicity: Some(Periodicity::Tertial),
                position: Some(-1),
                ..IndicatorEntry::default()
            },
        );
        let tree = run(5, &sel);
        let area = &tree[0].children[0];
        let first = &area.indicators[0].indicator;
        assert_eq!(first.id, IndicatorId(2), "the document's order");
        assert_eq!(first.name, "Indikator två, som dokumentet skrev den");
        assert_eq!(first.periodicity, Periodicity::Tertial);
        let second = &area.indicators[1].indicator;
        assert_eq!(
            second.name, "Indikator 1",
            "what it does not state is the indicator's"
        );
    }

    #[test]
    fn a_goal_the_document_does_not_contain_is_not_shown() {
        // Unit 5 has goal 6; a document that does not contain it (a report that renamed it)
        // does not show it, nor the board goal above it.
        assert!(run(5, &contents(&[], &[], &[])).is_empty());
        let tree = run(5, &contents(&[6], &[], &[]));
        assert_eq!(
            tree[0].children[0].children[0].children[0].goal.id,
            GoalId(6)
        );
    }

    #[test]
    fn items_are_owned_by_their_goals_owner_or_below() {
        let unit_chain = [NodeId(5), NodeId(4), NodeId(3), NodeId(2), NodeId(1)];
        assert!(
            check_item_owner(NodeId(2), &unit_chain).is_ok(),
            "unit's item on a board goal"
        );
        assert!(
            check_item_owner(NodeId(5), &unit_chain).is_ok(),
            "unit's item on its goal"
        );
        let board_chain = [NodeId(2), NodeId(1)];
        assert_eq!(
            check_item_owner(NodeId(5), &board_chain),
            Err(DomainError::ItemOwner),
            "a board's item on a unit's goal"
        );
        assert_eq!(
            check_item_owner(NodeId(6), &unit_chain),
            Err(DomainError::ItemOwner),
            "an item on another unit's goal"
        );
        assert!(item_shown(NodeId(2), &unit_chain, true));
        assert!(!item_shown(NodeId(2), &unit_chain, false));
        assert!(!item_shown(NodeId(6), &unit_chain, true));
    }

    #[test]
    fn a_heading_without_guidance_or_text_is_not_part_of_the_plan() {
        let mut template = crate::default_plan_template();
        // A heading another plan's import brought into the template.
        template.push(TemplateSection {
            key: "liljans_dagliga_verksamhet".into(),
            parent_key: None,
            heading: "Liljans dagliga verksamhet".into(),
            guidance: String::new(),
            placement: Placement::AfterCascade,
            position: 99,
        });
        let headings = |bodies: &[PlanSection]| {
            build_sections(&template, bodies, 2025, Placement::AfterCascade)
                .into_iter()
                .map(|s| s.heading)
                .collect::<Vec<_>>()
        };
        assert!(!headings(&[]).contains(&"Liljans dagliga verksamhet".to_string()));
        let own = PlanSection {
            plan_id: crate::PlanId(1),
            key: "liljans_dagliga_verksamhet".into(),
            body: "Vår text".into(),
            version: 1,
        };
        assert!(headings(&[own]).contains(&"Liljans dagliga verksamhet".to_string()));
    }

    #[test]
    fn sections_follow_the_template() {
        let template = crate::default_plan_template();
        let bodies = vec![PlanSection {
            plan_id: crate::PlanId(1),
            key: "uppdrag".into(),
            body: "Vårt uppdrag".into(),
            version: 3,
        }];
        let before = build_sections(&template, &bodies, 2025, Placement::BeforeCascade);
        assert_eq!(before.len(), 1);
        assert_eq!(before[0].heading, "Inledning");
        assert_eq!(before[0].children[0].body, "Vårt uppdrag");
        assert_eq!(before[0].children[0].version, 3);
        assert_eq!(before[0].children[1].heading, "Utvecklingsområden 2025");
        assert!(before[0].has_text());
        let after = build_sections(&template, &bodies, 2025, Placement::AfterCascade);
        assert_eq!(
            after.iter().map(|s| s.heading.as_str()).collect::<Vec<_>>(),
            ["Redovisning av ekonomi", "Övrigt"]
        );
        assert!(!after[0].has_text());
    }
}
