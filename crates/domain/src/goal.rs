use crate::{DomainError, GoalId, NodeId, OrgKind, Year};
use serde::{Deserialize, Serialize};
use std::fmt;
use time::OffsetDateTime;

/// The five levels of the goal cascade, from the council's direction goals down to the unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalLevel {
    /// KF:s inriktningsmål, numbered 1–3.
    Direction,
    /// KF:s mål för verksamhetsområdet, numbered N.M under its direction goal.
    Area,
    /// Nämndmål.
    Board,
    /// Avdelningsmål.
    Department,
    /// Enhetsmål.
    Unit,
}

impl GoalLevel {
    pub const ALL: [GoalLevel; 5] = [
        GoalLevel::Direction,
        GoalLevel::Area,
        GoalLevel::Board,
        GoalLevel::Department,
        GoalLevel::Unit,
    ];

    pub fn code(self) -> &'static str {
        match self {
            GoalLevel::Direction => "direction",
            GoalLevel::Area => "area",
            GoalLevel::Board => "board",
            GoalLevel::Department => "department",
            GoalLevel::Unit => "unit",
        }
    }

    pub fn from_code(code: &str) -> Option<GoalLevel> {
        GoalLevel::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The Swedish noun, lower case ("nämndmål").
    pub fn label(self) -> &'static str {
        match self {
            GoalLevel::Direction => "inriktningsmål",
            GoalLevel::Area => "verksamhetsområdesmål",
            GoalLevel::Board => "nämndmål",
            GoalLevel::Department => "avdelningsmål",
            GoalLevel::Unit => "enhetsmål",
        }
    }

    /// The label printed before the title in documents, as the city's documents do.
    pub fn heading_prefix(self) -> &'static str {
        match self {
            GoalLevel::Direction => "KF:s inriktningsmål",
            GoalLevel::Area => "KF:s mål för verksamhetsområdet",
            GoalLevel::Board => "Nämndmål",
            GoalLevel::Department => "Avdelningsmål",
            GoalLevel::Unit => "Enhetsmål",
        }
    }

    /// Levels a goal of this level may hang under.
    pub fn allowed_parents(self) -> &'static [GoalLevel] {
        match self {
            GoalLevel::Direction => &[],
            GoalLevel::Area => &[GoalLevel::Direction],
            GoalLevel::Board => &[GoalLevel::Area],
            GoalLevel::Department => &[GoalLevel::Board],
            GoalLevel::Unit => &[GoalLevel::Board, GoalLevel::Department],
        }
    }

    /// The kind of organisation node that owns goals of this level.
    pub fn owner_kind(self) -> OrgKind {
        match self {
            GoalLevel::Direction | GoalLevel::Area => OrgKind::City,
            GoalLevel::Board => OrgKind::Board,
            GoalLevel::Department => OrgKind::Department,
            GoalLevel::Unit => OrgKind::Unit,
        }
    }

    /// The level of a new goal that a node of `owner` writes under a goal of `parent`
    /// (`None`: a goal at the top), if it may: a unit's goal under a board or department
    /// goal, a department's under a board goal, a board's under an area goal, the council's
    /// area goals under its direction goals and direction goals at the top.
    pub fn for_new(owner: OrgKind, parent: Option<GoalLevel>) -> Option<GoalLevel> {
        match (owner, parent) {
            (OrgKind::Unit, Some(GoalLevel::Board | GoalLevel::Department)) => {
                Some(GoalLevel::Unit)
            }
            (OrgKind::Department, Some(GoalLevel::Board)) => Some(GoalLevel::Department),
            (OrgKind::Board, Some(GoalLevel::Area)) => Some(GoalLevel::Board),
            (OrgKind::City, Some(GoalLevel::Direction)) => Some(GoalLevel::Area),
            (OrgKind::City, None) => Some(GoalLevel::Direction),
            _ => None,
        }
    }

    /// Council goals are set by the city council and read-only for everyone below.
    pub fn is_council(self) -> bool {
        matches!(self, GoalLevel::Direction | GoalLevel::Area)
    }

    /// The text sections a goal of this level carries, in printed order.
    pub fn sections(self) -> &'static [GoalSection] {
        match self {
            GoalLevel::Direction | GoalLevel::Area => &[GoalSection::Description],
            GoalLevel::Board => &[GoalSection::Description, GoalSection::ExpectedResult],
            GoalLevel::Department => &[
                GoalSection::Description,
                GoalSection::ExpectedResult,
                GoalSection::WorkingMethods,
                GoalSection::ResourceUse,
                GoalSection::FollowUp,
                GoalSection::Development,
            ],
            GoalLevel::Unit => &[
                GoalSection::ExpectedResult,
                GoalSection::WorkingMethods,
                GoalSection::ResourceUse,
                GoalSection::FollowUp,
                GoalSection::Development,
            ],
        }
    }
}

impl fmt::Display for GoalLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The text sections of a goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalSection {
    /// Beskrivning
    Description,
    /// Förväntat resultat
    ExpectedResult,
    /// Arbetssätt
    WorkingMethods,
    /// Resursanvändning
    ResourceUse,
    /// Uppföljning
    FollowUp,
    /// Utveckling
    Development,
}

impl GoalSection {
    pub const ALL: [GoalSection; 6] = [
        GoalSection::Description,
        GoalSection::ExpectedResult,
        GoalSection::WorkingMethods,
        GoalSection::ResourceUse,
        GoalSection::FollowUp,
        GoalSection::Development,
    ];

    pub fn code(self) -> &'static str {
        match self {
            GoalSection::Description => "description",
            GoalSection::ExpectedResult => "expected_result",
            GoalSection::WorkingMethods => "working_methods",
            GoalSection::ResourceUse => "resource_use",
            GoalSection::FollowUp => "follow_up",
            GoalSection::Development => "development",
        }
    }

    pub fn from_code(code: &str) -> Option<GoalSection> {
        GoalSection::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The Swedish heading as printed.
    pub fn heading(self) -> &'static str {
        match self {
            GoalSection::Description => "Beskrivning",
            GoalSection::ExpectedResult => "Förväntat resultat",
            GoalSection::WorkingMethods => "Arbetssätt",
            GoalSection::ResourceUse => "Resursanvändning",
            GoalSection::FollowUp => "Uppföljning",
            GoalSection::Development => "Utveckling",
        }
    }

    pub fn from_heading(heading: &str) -> Option<GoalSection> {
        let h = heading.trim();
        GoalSection::ALL.into_iter().find(|s| s.heading() == h)
    }
}

/// One version of one text section of a goal. Board texts change during the year, so a
/// document shows the version in force when it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextVersion {
    pub section: GoalSection,
    pub revision: i64,
    pub body: String,
    #[serde(with = "time::serde::rfc3339")]
    pub valid_from: OffsetDateTime,
}

/// The version of `section` in force at `at`: the latest revision whose `valid_from` is not
/// after `at`. A text written after the document was written is not shown in it.
pub fn text_in_force(
    versions: &[TextVersion],
    section: GoalSection,
    at: OffsetDateTime,
) -> Option<&TextVersion> {
    versions
        .iter()
        .filter(|v| v.section == section && v.valid_from <= at)
        .max_by_key(|v| (v.valid_from, v.revision))
}

/// A goal at any level of the cascade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    pub id: GoalId,
    pub year: Year,
    pub level: GoalLevel,
    /// The node that owns the goal: the city for council goals, the board, the department
    /// or the unit. Nodes below the owner inherit the goal read-only.
    pub owner_id: NodeId,
    pub parent_id: Option<GoalId>,
    /// "1", "1.3" for council goals; optional below.
    pub number: Option<String>,
    pub title: String,
    pub position: i64,
    pub version: i64,
}

/// What it takes to create a goal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewGoal {
    pub year: Year,
    pub level: GoalLevel,
    pub owner_id: NodeId,
    pub parent_id: Option<GoalId>,
    pub number: Option<String>,
    pub title: String,
    pub position: i64,
}

impl NewGoal {
    /// Checks the goal against the cascade's rules, given its parent goal (if any) and the
    /// kind of its owner.
    pub fn validate(&self, parent: Option<&Goal>, owner_kind: OrgKind) -> Result<(), DomainError> {
        if self.title.trim().is_empty() {
            return Err(DomainError::EmptyTitle);
        }
        if owner_kind != self.level.owner_kind() {
            return Err(DomainError::GoalOwner {
                level: self.level,
                owner: owner_kind,
            });
        }
        match (self.level.allowed_parents(), parent) {
            ([], Some(_)) => return Err(DomainError::GoalHasParent(self.level)),
            ([], None) => {}
            (_, None) => return Err(DomainError::GoalNeedsParent(self.level)),
            (allowed, Some(p)) => {
                if !allowed.contains(&p.level) {
                    return Err(DomainError::GoalParent {
                        child: self.level,
                        parent: p.level,
                    });
                }
                if p.year != self.year {
                    return Err(DomainError::GoalYear {
                        year: self.year,
                        parent_year: p.year,
                    });
                }
            }
        }
        self.validate_number(parent)
    }

    fn validate_number(&self, parent: Option<&Goal>) -> Result<(), DomainError> {
        let number = self.number.as_deref().map(str::trim);
        match self.level {
            GoalLevel::Direction => {
                let n = number.ok_or(DomainError::GoalNeedsNumber(self.level))?;
                if n.is_empty() || !n.chars().all(|c| c.is_ascii_digit()) {
                    return Err(DomainError::BadNumber(n.to_string()));
                }
            }
            GoalLevel::Area => {
                let n = number.ok_or(DomainError::GoalNeedsNumber(self.level))?;
                let parts: Vec<&str> = n.split('.').collect();
                if parts.len() != 2
                    || parts
                        .iter()
                        .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
                {
                    return Err(DomainError::BadNumber(n.to_string()));
                }
                let parent_number = parent.and_then(|p| p.number.as_deref()).unwrap_or("");
                if parts[0] != parent_number.trim() {
                    return Err(DomainError::AreaNumber {
                        number: n.to_string(),
                        parent: parent_number.to_string(),
                    });
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// Checks that a goal shown in a unit's plan is owned by the unit itself or by a node
/// above it. `unit_chain` is the unit and its ancestors.
pub fn check_inherited(goal: &Goal, unit_chain: &[NodeId]) -> Result<(), DomainError> {
    if unit_chain.contains(&goal.owner_id) {
        Ok(())
    } else {
        Err(DomainError::GoalNotInherited)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn goal(id: i64, level: GoalLevel, number: Option<&str>, year: Year) -> Goal {
        Goal {
            id: GoalId(id),
            year,
            level,
            owner_id: NodeId(1),
            parent_id: None,
            number: number.map(Into::into),
            title: "Ett mål".into(),
            position: 0,
            version: 1,
        }
    }

    fn new(level: GoalLevel, number: Option<&str>) -> NewGoal {
        NewGoal {
            year: 2025,
            level,
            owner_id: NodeId(1),
            parent_id: None,
            number: number.map(Into::into),
            title: "Ett nytt mål".into(),
            position: 0,
        }
    }

    #[test]
    fn area_number_begins_with_its_direction_number() {
        let dir = goal(1, GoalLevel::Direction, Some("1"), 2025);
        assert!(
            new(GoalLevel::Area, Some("1.3"))
                .validate(Some(&dir), OrgKind::City)
                .is_ok()
        );
        assert_eq!(
            new(GoalLevel::Area, Some("2.3")).validate(Some(&dir), OrgKind::City),
            Err(DomainError::AreaNumber {
                number: "2.3".into(),
                parent: "1".into()
            })
        );
        assert!(matches!(
            new(GoalLevel::Area, Some("13")).validate(Some(&dir), OrgKind::City),
            Err(DomainError::BadNumber(_))
        ));
        assert!(matches!(
            new(GoalLevel::Area, None).validate(Some(&dir), OrgKind::City),
            Err(DomainError::GoalNeedsNumber(GoalLevel::Area))
        ));
        assert!(matches!(
            new(GoalLevel::Direction, Some("x")).validate(None, OrgKind::City),
            Err(DomainError::BadNumber(_))
        ));
    }

    #[test]
    fn unit_goal_hangs_under_board_or_department_goal_of_same_year() {
        let board = goal(3, GoalLevel::Board, None, 2025);
        let dept = goal(4, GoalLevel::Department, None, 2025);
        let area = goal(2, GoalLevel::Area, Some("1.3"), 2025);
        let unit = new(GoalLevel::Unit, None);
        assert!(unit.validate(Some(&board), OrgKind::Unit).is_ok());
        assert!(unit.validate(Some(&dept), OrgKind::Unit).is_ok());
        assert_eq!(
            unit.validate(Some(&area), OrgKind::Unit),
            Err(DomainError::GoalParent {
                child: GoalLevel::Unit,
                parent: GoalLevel::Area
            })
        );
        assert_eq!(
            unit.validate(None, OrgKind::Unit),
            Err(DomainError::GoalNeedsParent(GoalLevel::Unit))
        );
        let last_year = goal(5, GoalLevel::Board, None, 2024);
        assert_eq!(
            unit.validate(Some(&last_year), OrgKind::Unit),
            Err(DomainError::GoalYear {
                year: 2025,
                parent_year: 2024
            })
        );
    }

    #[test]
    fn goals_are_owned_by_the_right_kind_of_node() {
        let area = goal(2, GoalLevel::Area, Some("1.3"), 2025);
        assert_eq!(
            new(GoalLevel::Board, None).validate(Some(&area), OrgKind::Unit),
            Err(DomainError::GoalOwner {
                level: GoalLevel::Board,
                owner: OrgKind::Unit
            })
        );
        assert!(
            new(GoalLevel::Board, None)
                .validate(Some(&area), OrgKind::Board)
                .is_ok()
        );
        assert_eq!(
            new(GoalLevel::Direction, Some("1")).validate(Some(&area), OrgKind::City),
            Err(DomainError::GoalHasParent(GoalLevel::Direction))
        );
        let mut blank = new(GoalLevel::Direction, Some("1"));
        blank.title = "  ".into();
        assert_eq!(
            blank.validate(None, OrgKind::City),
            Err(DomainError::EmptyTitle)
        );
    }

    #[test]
    fn a_goal_is_shown_only_below_its_owner() {
        let mut g = goal(1, GoalLevel::Board, None, 2025);
        g.owner_id = NodeId(2);
        assert!(check_inherited(&g, &[NodeId(7), NodeId(5), NodeId(2), NodeId(1)]).is_ok());
        assert_eq!(
            check_inherited(&g, &[NodeId(8), NodeId(6), NodeId(1)]),
            Err(DomainError::GoalNotInherited)
        );
    }

    #[test]
    fn text_in_force_is_the_latest_not_after_the_date() {
        let t = |rev: i64, day: u8| TextVersion {
            section: GoalSection::Description,
            revision: rev,
            body: format!("version {rev}"),
            valid_from: time::Date::from_calendar_date(2025, time::Month::January, day)
                .unwrap()
                .midnight()
                .assume_utc(),
        };
        let versions = vec![t(1, 1), t(2, 20)];
        let at = |day: u8| {
            time::Date::from_calendar_date(2025, time::Month::January, day)
                .unwrap()
                .midnight()
                .assume_utc()
        };
        assert_eq!(
            text_in_force(&versions, GoalSection::Description, at(10))
                .unwrap()
                .revision,
            1
        );
        assert_eq!(
            text_in_force(&versions, GoalSection::Description, at(25))
                .unwrap()
                .revision,
            2
        );
        assert!(text_in_force(&versions, GoalSection::ExpectedResult, at(25)).is_none());
    }

    #[test]
    fn section_headings_round_trip() {
        for s in GoalSection::ALL {
            assert_eq!(GoalSection::from_heading(s.heading()), Some(s));
            assert_eq!(GoalSection::from_code(s.code()), Some(s));
        }
    }
}
