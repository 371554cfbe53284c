//! Who may do what: the roles a person holds, each on an organisation node and everything
//! under it.

use serde::{Deserialize, Serialize};

/// A role, held on an organisation node and everything below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Users, the org tree, years, templates, council goals, and everything below.
    Admin,
    /// Goals, indicators, activities and texts owned by the board, administration or
    /// department nodes in scope.
    BoardEditor,
    /// Writes its units' plans and reports and submits them.
    UnitManager,
    /// Writes plans and reports but does not submit them (deputies, planners).
    UnitWriter,
    /// Reads everything in scope; approves or returns.
    Controller,
    /// Reads drafts in scope.
    Reader,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::BoardEditor,
        Role::UnitManager,
        Role::UnitWriter,
        Role::Controller,
        Role::Reader,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::BoardEditor => "board_editor",
            Role::UnitManager => "unit_manager",
            Role::UnitWriter => "unit_writer",
            Role::Controller => "controller",
            Role::Reader => "reader",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// In Swedish, as the interface names it.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administratör",
            Role::BoardEditor => "Redaktör för nämnd och förvaltning",
            Role::UnitManager => "Enhetschef",
            Role::UnitWriter => "Skribent",
            Role::Controller => "Controller",
            Role::Reader => "Läsare",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
            assert_eq!(
                serde_json::to_value(r).unwrap(),
                serde_json::json!(r.code())
            );
        }
        assert_eq!(Role::from_code("superuser"), None);
    }
}
