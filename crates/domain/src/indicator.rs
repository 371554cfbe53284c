use crate::{DomainError, GoalId, GoalLevel, IndicatorId, Measure, NodeId, Year};
use serde::{Deserialize, Serialize};

/// How often an indicator is reported. Serialised as its code (`year`, `tertial`), like
/// every enumeration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Periodicity {
    /// Yearly: reported in the annual report.
    Year,
    /// Each tertial: reported in T1, T2 and the annual report.
    Tertial,
}

impl Periodicity {
    pub fn code(self) -> &'static str {
        match self {
            Periodicity::Year => "year",
            Periodicity::Tertial => "tertial",
        }
    }
    pub fn from_code(code: &str) -> Option<Periodicity> {
        match code {
            "year" => Some(Periodicity::Year),
            "tertial" => Some(Periodicity::Tertial),
            _ => None,
        }
    }
    /// As printed: "År", "Tertial".
    pub fn label(self) -> &'static str {
        match self {
            Periodicity::Year => "År",
            Periodicity::Tertial => "Tertial",
        }
    }
    pub fn from_label(label: &str) -> Option<Periodicity> {
        match label.trim() {
            "År" => Some(Periodicity::Year),
            "Tertial" => Some(Periodicity::Tertial),
            _ => None,
        }
    }
}

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
}

impl Direction {
    pub fn code(self) -> &'static str {
        match self {
            Direction::HigherIsBetter => "higher_is_better",
            Direction::LowerIsBetter => "lower_is_better",
        }
    }
    pub fn from_code(code: &str) -> Option<Direction> {
        match code {
            "higher_is_better" => Some(Direction::HigherIsBetter),
            "lower_is_better" => Some(Direction::LowerIsBetter),
            _ => None,
        }
    }
    /// A first guess from the indicator's name, for indicators that arrive without a
    /// direction (imported documents do not state it): absence, emissions, climate impact
    /// and the share of hourly paid work are better lower; most shares are better higher.
    pub fn guess(name: &str) -> Direction {
        let n = name.to_lowercase();
        let lower = [
            "sjukfrånvaro",
            "frånvaro",
            "utsläpp",
            "klimatpåverkan",
            "timavlönad",
            "kostnad per",
            "väntetid",
            "personalomsättning",
        ];
        if lower.iter().any(|w| n.contains(w)) {
            Direction::LowerIsBetter
        } else {
            Direction::HigherIsBetter
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Direction::HigherIsBetter => "Högre är bättre",
            Direction::LowerIsBetter => "Lägre är bättre",
        }
    }
}

/// What kind of value an indicator takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    Percent,
    Index,
    Number,
    Text,
}

impl ValueKind {
    pub fn code(self) -> &'static str {
        match self {
            ValueKind::Percent => "percent",
            ValueKind::Index => "index",
            ValueKind::Number => "number",
            ValueKind::Text => "text",
        }
    }
    pub fn from_code(code: &str) -> Option<ValueKind> {
        match code {
            "percent" => Some(ValueKind::Percent),
            "index" => Some(ValueKind::Index),
            "number" => Some(ValueKind::Number),
            "text" => Some(ValueKind::Text),
            _ => None,
        }
    }
    /// A first guess from the indicator's name and a target as written.
    pub fn guess(name: &str, target: Option<&str>) -> ValueKind {
        let n = name.to_lowercase();
        if target.is_some_and(|t| t.contains('%'))
            || n.starts_with("andel")
            || n.contains("sjukfrånvaro")
        {
            ValueKind::Percent
        } else if n.contains("index") {
            ValueKind::Index
        } else {
            ValueKind::Number
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ValueKind::Percent => "Procent",
            ValueKind::Index => "Index",
            ValueKind::Number => "Antal",
            ValueKind::Text => "Text",
        }
    }
}

/// A target: a value, or "set by the board" (Tas fram av nämnd), in the document's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    Value(Measure),
    /// The board sets the target; `text` is how the document says so.
    SetByBoard {
        text: String,
    },
}

impl Target {
    /// Reads a target as written: "Tas fram av nämnd(/styrelse)" means the board sets it.
    pub fn parse(text: &str) -> Option<Target> {
        let t = text.trim();
        if t.is_empty() {
            None
        } else if t.to_lowercase().starts_with("tas fram av") {
            Some(Target::SetByBoard {
                text: t.to_string(),
            })
        } else {
            Some(Target::Value(Measure::parse(t)))
        }
    }

    /// Reads a target typed for an indicator of `kind`: empty is no target; an indicator
    /// measured in numbers takes a target that begins with a number ("90 %", "1,5") or
    /// says the board sets it; a text indicator takes any text.
    pub fn typed(text: &str, kind: ValueKind) -> Result<Option<Target>, DomainError> {
        match Target::parse(text) {
            Some(Target::Value(m)) if kind != ValueKind::Text && m.value.is_none() => {
                Err(DomainError::TargetNotNumber(m.text))
            }
            other => Ok(other),
        }
    }

    /// The text to print.
    pub fn text(&self) -> &str {
        match self {
            Target::Value(m) => &m.text,
            Target::SetByBoard { text } => text,
        }
    }
}

/// An indicator hung on an area, board or unit goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    pub id: IndicatorId,
    pub year: Year,
    pub goal_id: GoalId,
    pub owner_id: NodeId,
    pub name: String,
    pub unit_of_measure: Option<String>,
    pub periodicity: Periodicity,
    pub direction: Direction,
    pub value_kind: ValueKind,
    /// Redovisas för kvinnor och män: the indicator concerns people (users, participants,
    /// staff, visitors), so its outcomes are also given for women and men, as Kolada's
    /// T/K/M (total, women, men). Never for a text indicator ([`check_by_sex`]).
    #[serde(default)]
    pub by_sex: bool,
    /// KF:s årsmål, when the council sets one.
    pub council_target: Option<Target>,
    pub position: i64,
    pub version: i64,
}

/// What it takes to create an indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIndicator {
    pub year: Year,
    pub goal_id: GoalId,
    pub owner_id: NodeId,
    pub name: String,
    pub unit_of_measure: Option<String>,
    pub periodicity: Periodicity,
    pub direction: Direction,
    pub value_kind: ValueKind,
    /// Redovisas för kvinnor och män ([`Indicator::by_sex`]).
    pub by_sex: bool,
    pub council_target: Option<Target>,
    pub position: i64,
}

/// Only an indicator measured in numbers can be reported for women and men: a text
/// indicator's outcome is a text, with nothing to split.
pub fn check_by_sex(kind: ValueKind, by_sex: bool) -> Result<(), DomainError> {
    if by_sex && kind == ValueKind::Text {
        Err(DomainError::TextBySex)
    } else {
        Ok(())
    }
}

impl NewIndicator {
    /// Indicators hang on area goals (council), board goals or unit goals, and only one
    /// measured in numbers is reported for women and men ([`check_by_sex`]).
    pub fn validate(&self, goal_level: GoalLevel) -> Result<(), DomainError> {
        if self.name.trim().is_empty() {
            return Err(DomainError::EmptyName);
        }
        check_by_sex(self.value_kind, self.by_sex)?;
        match goal_level {
            GoalLevel::Area | GoalLevel::Board | GoalLevel::Department | GoalLevel::Unit => Ok(()),
            other => Err(DomainError::IndicatorLevel(other)),
        }
    }
}

/// The target (årsmål) one node sets for an indicator. Units' targets for the same
/// indicator may differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorTarget {
    pub indicator_id: IndicatorId,
    pub node_id: NodeId,
    pub target: Target,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_target_of_a_measured_indicator_is_a_number() {
        assert_eq!(Target::typed(" ", ValueKind::Percent), Ok(None));
        assert!(matches!(
            Target::typed("90 %", ValueKind::Percent),
            Ok(Some(Target::Value(Measure { value: Some(_), .. })))
        ));
        assert!(matches!(
            Target::typed("Tas fram av nämnd", ValueKind::Number),
            Ok(Some(Target::SetByBoard { .. }))
        ));
        assert_eq!(
            Target::typed("ca 90", ValueKind::Number),
            Err(DomainError::TargetNotNumber("ca 90".into()))
        );
        assert!(Target::typed("ca 90", ValueKind::Text).is_ok());
    }

    #[test]
    fn targets_read_as_written() {
        assert_eq!(
            Target::parse("Tas fram av nämnd/styrelse"),
            Some(Target::SetByBoard {
                text: "Tas fram av nämnd/styrelse".into()
            })
        );
        assert_eq!(Target::parse("  "), None);
        let t = Target::parse("90 %").unwrap();
        assert_eq!(t.text(), "90 %");
        assert!(matches!(t, Target::Value(Measure { value: Some(_), .. })));
    }

    #[test]
    fn indicators_never_hang_on_direction_goals() {
        let ni = NewIndicator {
            year: 2025,
            goal_id: GoalId(1),
            owner_id: NodeId(1),
            name: "Andel".into(),
            unit_of_measure: None,
            periodicity: Periodicity::Year,
            direction: Direction::HigherIsBetter,
            value_kind: ValueKind::Percent,
            by_sex: true,
            council_target: None,
            position: 0,
        };
        assert_eq!(
            ni.validate(GoalLevel::Direction),
            Err(DomainError::IndicatorLevel(GoalLevel::Direction))
        );
        assert!(ni.validate(GoalLevel::Area).is_ok());
        assert!(ni.validate(GoalLevel::Unit).is_ok());
    }

    #[test]
    fn only_an_indicator_of_numbers_is_reported_for_women_and_men() {
        for kind in [ValueKind::Percent, ValueKind::Index, ValueKind::Number] {
            assert_eq!(check_by_sex(kind, true), Ok(()));
            assert_eq!(check_by_sex(kind, false), Ok(()));
        }
        assert_eq!(check_by_sex(ValueKind::Text, false), Ok(()));
        assert_eq!(
            check_by_sex(ValueKind::Text, true),
            Err(DomainError::TextBySex)
        );
        let text = NewIndicator {
            year: 2025,
            goal_id: GoalId(1),
            owner_id: NodeId(1),
            name: "Beskrivning av arbetet".into(),
            unit_of_measure: None,
            periodicity: Periodicity::Year,
            direction: Direction::HigherIsBetter,
            value_kind: ValueKind::Text,
            by_sex: true,
            council_target: None,
            position: 0,
        };
        assert_eq!(text.validate(GoalLevel::Unit), Err(DomainError::TextBySex));
        assert!(
            DomainError::TextBySex
                .to_string()
                .contains("kvinnor och män")
        );
        let plain = NewIndicator {
            by_sex: false,
            ..text
        };
        assert_eq!(plain.validate(GoalLevel::Unit), Ok(()));
    }

    #[test]
    fn guesses_follow_the_name() {
        assert_eq!(
            Direction::guess("Sjukfrånvaro dag 1-14"),
            Direction::LowerIsBetter
        );
        assert_eq!(
            Direction::guess("Andel nöjda brukare"),
            Direction::HigherIsBetter
        );
        assert_eq!(
            ValueKind::guess("Aktivt Medskapandeindex", None),
            ValueKind::Index
        );
        assert_eq!(
            ValueKind::guess("Utfasade tvättlappar i plast", Some("90 %")),
            ValueKind::Percent
        );
        assert_eq!(
            ValueKind::guess("Antal besök", Some("120")),
            ValueKind::Number
        );
    }

    #[test]
    fn codes_round_trip() {
        for p in [Periodicity::Year, Periodicity::Tertial] {
            assert_eq!(Periodicity::from_code(p.code()), Some(p));
            assert_eq!(Periodicity::from_label(p.label()), Some(p));
        }
        for d in [Direction::HigherIsBetter, Direction::LowerIsBetter] {
            assert_eq!(Direction::from_code(d.code()), Some(d));
        }
        for v in [
            ValueKind::Percent,
            ValueKind::Index,
            ValueKind::Number,
            ValueKind::Text,
        ] {
            assert_eq!(ValueKind::from_code(v.code()), Some(v));
        }
    }
}
