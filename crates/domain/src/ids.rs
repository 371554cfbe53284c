use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// Stable id of an organisation node (city, board, …, unit, operation).
    NodeId
);
id_type!(
    /// Stable id of a goal at any level.
    GoalId
);
id_type!(
    /// Stable id of an indicator.
    IndicatorId
);
id_type!(
    /// Stable id of an activity.
    ActivityId
);
id_type!(
    /// Stable id of a unit's plan for one year.
    PlanId
);
