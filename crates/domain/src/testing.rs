//! Values the domain's unit tests share.

use crate::{CascadeGoal, Goal, GoalId, GoalLevel, NodeId};

/// The unit whose plan the tests read.
pub(crate) const UNIT: i64 = 5;

/// A goal of 2026 as a plan of [`UNIT`] shows it: no texts, nothing below it.
pub(crate) fn cascade_goal(id: i64, level: GoalLevel, owner: i64) -> CascadeGoal {
    CascadeGoal {
        goal: Goal {
            id: GoalId(id),
            year: 2026,
            level,
            owner_id: NodeId(owner),
            parent_id: None,
            number: None,
            title: format!("Mål {id}"),
            position: 0,
            version: 1,
        },
        owner_name: String::new(),
        inherited: owner != UNIT,
        sections: Vec::new(),
        revised: None,
        indicators: Vec::new(),
        activities: Vec::new(),
        children: Vec::new(),
    }
}
