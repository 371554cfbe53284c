use crate::{ActivityId, DomainError, GoalId, GoalLevel, NodeId, Year};
use serde::{Deserialize, Serialize};
use time::Date;

/// An activity under a board, department or unit goal. It may span years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub id: ActivityId,
    pub year: Year,
    pub goal_id: GoalId,
    pub owner_id: NodeId,
    pub title: String,
    pub start: Date,
    pub end: Date,
    pub position: i64,
    pub version: i64,
}

/// What it takes to create an activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewActivity {
    pub year: Year,
    pub goal_id: GoalId,
    pub owner_id: NodeId,
    pub title: String,
    pub start: Date,
    pub end: Date,
    pub position: i64,
}

impl NewActivity {
    /// Activities hang on board, department and unit goals, never on council goals, and
    /// do not end before they start.
    pub fn validate(&self, goal_level: GoalLevel) -> Result<(), DomainError> {
        if self.title.trim().is_empty() {
            return Err(DomainError::EmptyTitle);
        }
        if goal_level.is_council() {
            return Err(DomainError::ActivityLevel(goal_level));
        }
        if self.end < self.start {
            return Err(DomainError::ActivityDates {
                start: self.start,
                end: self.end,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn new(start: Date, end: Date) -> NewActivity {
        NewActivity {
            year: 2025,
            goal_id: GoalId(1),
            owner_id: NodeId(1),
            title: "Utbilda alla chefer".into(),
            start,
            end,
            position: 0,
        }
    }

    #[test]
    fn activities_hang_below_the_council() {
        let a = new(date!(2024 - 01 - 01), date!(2025 - 12 - 31));
        assert!(a.validate(GoalLevel::Board).is_ok());
        assert!(a.validate(GoalLevel::Unit).is_ok());
        assert_eq!(
            a.validate(GoalLevel::Area),
            Err(DomainError::ActivityLevel(GoalLevel::Area))
        );
    }

    #[test]
    fn end_is_not_before_start() {
        let a = new(date!(2025 - 06 - 30), date!(2025 - 01 - 01));
        assert!(matches!(
            a.validate(GoalLevel::Unit),
            Err(DomainError::ActivityDates { .. })
        ));
        assert!(
            new(date!(2025 - 01 - 01), date!(2025 - 01 - 01))
                .validate(GoalLevel::Unit)
                .is_ok()
        );
    }

    /// What the audit trail and the frozen JSON copies hold: dates as people read them,
    /// and the tuples written before this still read back.
    #[test]
    fn dates_are_written_as_dates() {
        let a = Activity {
            id: ActivityId(1),
            year: 2025,
            goal_id: GoalId(1),
            owner_id: NodeId(1),
            title: "Utbilda alla chefer".into(),
            start: date!(2025 - 03 - 01),
            end: date!(2025 - 12 - 31),
            position: 0,
            version: 1,
        };
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["start"], "2025-03-01");
        assert_eq!(json["end"], "2025-12-31");
        let mut old = json.clone();
        old["start"] = serde_json::json!([2025, 60]);
        let back: Activity = serde_json::from_value(old).unwrap();
        assert_eq!(back, a);
    }
}
