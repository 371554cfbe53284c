//! What a unit chooses for its plan from what it inherits (urval): which board and
//! department goals, board activities and council (or board) indicators apply to it, and
//! its own target (årsmål) for an indicator it follows.
//!
//! A plan records what it contains ([`Contents`]); choosing replaces the inherited part of
//! that record and leaves the unit's own goals, indicators and activities as they are. A
//! goal the unit has hung its own goals (or indicators, activities) on stays chosen: taking
//! it away would leave the unit's own goals under a goal the plan says does not apply.

use crate::{
    Activity, ActivityId, CascadeGoal, CascadeInputs, Contents, DomainError, Goal, GoalId,
    GoalLevel, Indicator, IndicatorId, IndicatorTarget, NodeId, OrgNode, Target, assemble_cascade,
};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What a unit has chosen, or chooses, from what it inherits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Selection {
    pub goals: BTreeSet<GoalId>,
    pub activities: BTreeSet<ActivityId>,
    /// The indicators the plan follows, each with the unit's own target (`None`: the one
    /// set above the unit applies).
    pub indicators: BTreeMap<IndicatorId, Option<Target>>,
}

/// Everything a unit's plan may take from above in a year, with the unit's own goals and
/// items of that year (which decide what must stay chosen).
#[derive(Debug, Clone, Default)]
pub struct Choices {
    /// The unit and its ancestors, unit first.
    pub chain: Vec<OrgNode>,
    /// The goals of the year owned by a node of the chain.
    pub goals: Vec<Goal>,
    /// The indicators on those goals owned by a node of the chain.
    pub indicators: Vec<Indicator>,
    /// The targets set for those indicators on the chain.
    pub targets: Vec<IndicatorTarget>,
    /// The activities on those goals owned by a node of the chain.
    pub activities: Vec<Activity>,
}

impl Choices {
    fn unit(&self) -> Option<NodeId> {
        self.chain.first().map(|n| n.id)
    }

    /// Whether `owner` is a node above the unit.
    fn above(&self, owner: NodeId) -> bool {
        self.chain.iter().skip(1).any(|n| n.id == owner)
    }

    fn own(&self, owner: NodeId) -> bool {
        self.unit() == Some(owner)
    }

    /// The goal, if the unit may choose it: a board or department goal above the unit.
    pub fn goal(&self, id: GoalId) -> Option<&Goal> {
        self.goals.iter().find(|g| {
            g.id == id
                && matches!(g.level, GoalLevel::Board | GoalLevel::Department)
                && self.above(g.owner_id)
        })
    }

    /// The indicator, if the unit may follow it: one owned above the unit.
    pub fn indicator(&self, id: IndicatorId) -> Option<&Indicator> {
        self.indicators
            .iter()
            .find(|i| i.id == id && self.above(i.owner_id))
    }

    /// The activity, if the unit may take part in it: one owned above the unit.
    pub fn activity(&self, id: ActivityId) -> Option<&Activity> {
        self.activities
            .iter()
            .find(|a| a.id == id && self.above(a.owner_id))
    }

    /// The goals that stay chosen whatever is asked: those that the unit's own goals in the
    /// plan hang under, or that carry the unit's own indicators or activities in the plan.
    pub fn kept_goals(&self, contents: &Contents) -> BTreeSet<GoalId> {
        let own_goals = self
            .goals
            .iter()
            .filter(|g| self.own(g.owner_id) && contents.goals.contains(&g.id))
            .filter_map(|g| g.parent_id);
        let own_indicators = self
            .indicators
            .iter()
            .filter(|i| self.own(i.owner_id) && contents.indicators.contains_key(&i.id))
            .map(|i| i.goal_id);
        let own_activities = self
            .activities
            .iter()
            .filter(|a| self.own(a.owner_id) && contents.activities.contains_key(&a.id))
            .map(|a| a.goal_id);
        own_goals
            .chain(own_indicators)
            .chain(own_activities)
            .filter(|g| self.goal(*g).is_some())
            .collect()
    }

    /// The unit's own goals in the plan that hang directly under `goal`.
    pub fn own_goals_under(&self, goal: GoalId, contents: &Contents) -> Vec<&Goal> {
        self.goals
            .iter()
            .filter(|g| {
                g.parent_id == Some(goal) && self.own(g.owner_id) && contents.goals.contains(&g.id)
            })
            .collect()
    }

    /// What the plan has chosen now: the inherited items in its record.
    pub fn selection(&self, contents: &Contents) -> Selection {
        Selection {
            goals: contents
                .goals
                .iter()
                .filter(|g| self.goal(**g).is_some())
                .copied()
                .collect(),
            activities: contents
                .activities
                .keys()
                .filter(|a| self.activity(**a).is_some())
                .copied()
                .collect(),
            indicators: contents
                .indicators
                .iter()
                .filter(|(i, _)| self.indicator(**i).is_some())
                .map(|(i, e)| (*i, e.target.clone()))
                .collect(),
        }
    }

    /// The plan's record with `selection` as its inherited part: what it does not name is
    /// taken out, what it names is taken in (an indicator with the target given, keeping
    /// how the document words it), the goals of [`Choices::kept_goals`] stay, and the
    /// unit's own items are left as they are. An item the unit cannot choose is
    /// [`DomainError::NotSelectable`].
    pub fn apply(
        &self,
        contents: &Contents,
        selection: &Selection,
    ) -> Result<Contents, DomainError> {
        if let Some(g) = selection.goals.iter().find(|g| self.goal(**g).is_none()) {
            return Err(DomainError::NotSelectable(format!("mål {g}")));
        }
        if let Some(a) = selection
            .activities
            .iter()
            .find(|a| self.activity(**a).is_none())
        {
            return Err(DomainError::NotSelectable(format!("aktivitet {a}")));
        }
        if let Some(i) = selection
            .indicators
            .keys()
            .find(|i| self.indicator(**i).is_none())
        {
            return Err(DomainError::NotSelectable(format!("indikator {i}")));
        }
        let kept = self.kept_goals(contents);
        let mut out = contents.clone();
        out.goals
            .retain(|g| self.goal(*g).is_none() || selection.goals.contains(g));
        out.goals
            .extend(selection.goals.iter().chain(&kept).copied());
        out.activities
            .retain(|a, _| self.activity(*a).is_none() || selection.activities.contains(a));
        for a in &selection.activities {
            out.activities.entry(*a).or_default();
        }
        out.indicators
            .retain(|i, _| self.indicator(*i).is_none() || selection.indicators.contains_key(i));
        for (i, target) in &selection.indicators {
            out.indicators.entry(*i).or_default().target = target.clone();
        }
        Ok(out)
    }

    /// The whole cascade of the year as the unit chooses from it: every goal above the
    /// unit with every indicator and activity owned above it, and the unit's own goals and
    /// items in the plan. An indicator's target is the one set on the chain (not the
    /// plan's own); names are as the plan words them.
    pub fn tree(&self, contents: &Contents) -> Vec<CascadeGoal> {
        let mut all = Contents::default();
        let goals: Vec<Goal> = self
            .goals
            .iter()
            .filter(|g| !self.own(g.owner_id) || contents.goals.contains(&g.id))
            .cloned()
            .collect();
        all.goals = goals.iter().map(|g| g.id).collect();
        for i in &self.indicators {
            if !self.own(i.owner_id) || contents.indicators.contains_key(&i.id) {
                let mut entry = contents.indicators.get(&i.id).cloned().unwrap_or_default();
                entry.target = None;
                all.indicators.insert(i.id, entry);
            }
        }
        for a in &self.activities {
            if !self.own(a.owner_id) || contents.activities.contains_key(&a.id) {
                let entry = contents.activities.get(&a.id).cloned().unwrap_or_default();
                all.activities.insert(a.id, entry);
            }
        }
        assemble_cascade(&CascadeInputs {
            chain: &self.chain,
            goals: &goals,
            texts: &HashMap::new(),
            indicators: &self.indicators,
            targets: &self.targets,
            activities: &self.activities,
            contents: &all,
            at: time::OffsetDateTime::UNIX_EPOCH,
            seen: None,
            pinned: &HashMap::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cascade::tests::{activity, chain_of, goal, indicator};
    use crate::{ActivityEntry, IndicatorEntry, Measure};

    /// City 1 → board 2 → administration 3 → department 4 → unit 5 (unit 6 beside it).
    /// Direction goal 1 → area 2 (council indicator 1) → board goals 3 and 4 (activities 1,
    /// 2 on 3) → department goal 5 under 3 → unit 5's goal 6 under 4; unit 6's goal 7 under
    /// 3; unit 5's own activity 3 on board goal 3.
    fn choices() -> Choices {
        Choices {
            chain: chain_of(5),
            goals: vec![
                goal(1, GoalLevel::Direction, 1, None, Some("1")),
                goal(2, GoalLevel::Area, 1, Some(1), Some("1.1")),
                goal(3, GoalLevel::Board, 2, Some(2), None),
                goal(4, GoalLevel::Board, 2, Some(2), None),
                goal(5, GoalLevel::Department, 4, Some(3), None),
                goal(6, GoalLevel::Unit, 5, Some(4), None),
            ],
            indicators: vec![indicator(1, 2, 1), indicator(2, 6, 5)],
            targets: vec![IndicatorTarget {
                indicator_id: IndicatorId(1),
                node_id: NodeId(2),
                target: Target::Value(Measure::parse("80 %")),
            }],
            activities: vec![activity(1, 3, 2), activity(2, 3, 2), activity(3, 3, 5)],
        }
    }

    fn target(t: &str) -> Option<Target> {
        Target::parse(t)
    }

    /// The plan holds board goal 3 with activity 1, indicator 1 with the name as the plan
    /// wrote it, and the unit's own goal 6 with its indicator 2.
    fn contents() -> Contents {
        let mut c = Contents::default();
        c.goals.extend([GoalId(3), GoalId(6)]);
        c.activities.insert(ActivityId(1), ActivityEntry::default());
        c.indicators.insert(
            IndicatorId(1),
            IndicatorEntry {
                name: Some("Indikatorn som planen skrev den".into()),
                ..IndicatorEntry::with_target(target("85 %"))
            },
        );
        c.indicators
            .insert(IndicatorId(2), IndicatorEntry::with_target(target("10")));
        c
    }

    #[test]
    fn only_what_is_owned_above_the_unit_can_be_chosen() {
        let ch = choices();
        assert!(ch.goal(GoalId(3)).is_some() && ch.goal(GoalId(5)).is_some());
        // Council goals are not chosen (they show above what is); own goals are not inherited.
        assert!(ch.goal(GoalId(1)).is_none() && ch.goal(GoalId(2)).is_none());
        assert!(ch.goal(GoalId(6)).is_none());
        assert!(ch.indicator(IndicatorId(1)).is_some());
        assert!(ch.indicator(IndicatorId(2)).is_none());
        assert!(ch.activity(ActivityId(1)).is_some() && ch.activity(ActivityId(3)).is_none());
    }

    #[test]
    fn the_current_selection_is_the_inherited_part_of_the_record() {
        let ch = choices();
        let sel = ch.selection(&contents());
        assert_eq!(sel.goals, [GoalId(3)].into());
        assert_eq!(sel.activities, [ActivityId(1)].into());
        assert_eq!(
            sel.indicators,
            [(IndicatorId(1), target("85 %"))].into_iter().collect()
        );
    }

    #[test]
    fn applying_takes_out_what_is_not_named_and_keeps_the_units_own() {
        let ch = choices();
        let c = contents();
        let sel = Selection {
            goals: [GoalId(5)].into(),
            activities: [ActivityId(2)].into(),
            indicators: [(IndicatorId(1), target("90 %"))].into_iter().collect(),
        };
        let out = ch.apply(&c, &sel).unwrap();
        // Board goal 4 carries the unit's goal 6: it stays although not named; 3 goes.
        assert_eq!(out.goals, [GoalId(4), GoalId(5), GoalId(6)].into());
        assert_eq!(
            out.activities.keys().copied().collect::<BTreeSet<_>>(),
            [ActivityId(2)].into()
        );
        let entry = &out.indicators[&IndicatorId(1)];
        assert_eq!(entry.target, target("90 %"));
        assert_eq!(
            entry.name.as_deref(),
            Some("Indikatorn som planen skrev den"),
            "how the plan words it stays"
        );
        assert_eq!(out.indicators[&IndicatorId(2)].target, target("10"));
        // Nothing chosen: only the unit's own and what they need.
        let none = ch.apply(&c, &Selection::default()).unwrap();
        assert_eq!(none.goals, [GoalId(4), GoalId(6)].into());
        assert!(none.activities.is_empty());
        assert_eq!(
            none.indicators.keys().copied().collect::<Vec<_>>(),
            [IndicatorId(2)]
        );
        // Applying what is there adds only the goal that must stay.
        assert_eq!(ch.apply(&c, &ch.selection(&c)).unwrap().goals.len(), 3);
    }

    #[test]
    fn goals_carrying_the_units_own_items_stay() {
        let ch = choices();
        let mut c = contents();
        assert_eq!(ch.kept_goals(&c), [GoalId(4)].into());
        assert_eq!(
            ch.own_goals_under(GoalId(4), &c)
                .iter()
                .map(|g| g.id)
                .collect::<Vec<_>>(),
            [GoalId(6)]
        );
        c.activities.insert(ActivityId(3), ActivityEntry::default());
        assert_eq!(ch.kept_goals(&c), [GoalId(3), GoalId(4)].into());
        // A unit goal taken out of the plan keeps nothing.
        c.goals.remove(&GoalId(6));
        assert_eq!(ch.kept_goals(&c), [GoalId(3)].into());
    }

    #[test]
    fn what_cannot_be_chosen_is_refused() {
        let ch = choices();
        let c = contents();
        for (sel, what) in [
            (
                Selection {
                    goals: [GoalId(2)].into(),
                    ..Selection::default()
                },
                "mål 2",
            ),
            (
                Selection {
                    goals: [GoalId(99)].into(),
                    ..Selection::default()
                },
                "mål 99",
            ),
            (
                Selection {
                    activities: [ActivityId(3)].into(),
                    ..Selection::default()
                },
                "aktivitet 3",
            ),
            (
                Selection {
                    indicators: [(IndicatorId(2), None)].into_iter().collect(),
                    ..Selection::default()
                },
                "indikator 2",
            ),
        ] {
            assert_eq!(
                ch.apply(&c, &sel),
                Err(DomainError::NotSelectable(what.into()))
            );
        }
    }

    #[test]
    fn the_tree_shows_everything_to_choose_from() {
        let ch = choices();
        let tree = ch.tree(&contents());
        let all: Vec<&CascadeGoal> = tree.iter().flat_map(|g| g.walk()).collect();
        let ids: Vec<GoalId> = all.iter().map(|g| g.goal.id).collect();
        assert_eq!(
            ids.iter().copied().collect::<BTreeSet<_>>(),
            (1..=6).map(GoalId).collect()
        );
        let area = all.iter().find(|g| g.goal.id == GoalId(2)).unwrap();
        assert_eq!(
            area.indicators[0].indicator.name,
            "Indikatorn som planen skrev den"
        );
        assert_eq!(
            area.indicators[0].target,
            target("80 %"),
            "the target set above, not the plan's own"
        );
        let board = all.iter().find(|g| g.goal.id == GoalId(3)).unwrap();
        assert_eq!(
            board.activities.iter().map(|a| a.id).collect::<Vec<_>>(),
            [ActivityId(1), ActivityId(2)],
            "the unit's own activity 3 is not in the plan"
        );
    }
}
