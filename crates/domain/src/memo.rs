//! The memo header of a formal document (Tjänsteutlåtande): what the city's documents print
//! above the title. The writer of a plan or report edits these fields on its page; the
//! documents crate prints them.

use crate::{DomainError, Year};
use serde::{Deserialize, Serialize};
use time::Date;

/// The longest a memo field may be (characters); the title and the proposal may be longer.
pub const MEMO_FIELD_MAX: usize = 200;
/// The longest the title or "Förslag till beslut" may be (characters).
pub const MEMO_TEXT_MAX: usize = 4_000;

/// The memo header of a plan or report. Empty fields print as "—" (or not at all where the
/// city's layout leaves them out).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Memo {
    /// Dnr, the case number ("HÄ 2025/815").
    pub case_number: String,
    /// The memo's date; `None` prints the date of printing.
    pub date: Option<Date>,
    /// Handläggare, the case officer.
    pub case_officer: String,
    /// Till, to whom the memo goes (the board, the unit).
    pub addressee: String,
    /// Telefon.
    pub phone: String,
    /// The document's title; empty means the default ("Verksamhetsplan 2026 för …").
    pub title: String,
    /// Förslag till beslut.
    pub proposal: String,
}

impl Memo {
    /// The title to print: the written one, or "Verksamhetsplan {year} för {unit}".
    pub fn title_or(&self, default: impl FnOnce() -> String) -> String {
        let t = self.title.trim();
        if t.is_empty() {
            default()
        } else {
            t.to_string()
        }
    }

    /// The default title of a unit's plan.
    pub fn plan_title(year: Year, unit: &str) -> String {
        format!("Verksamhetsplan {year} för {unit}")
    }

    /// Checks the lengths; the error names the field.
    pub fn validate(&self) -> Result<(), DomainError> {
        let short = [
            ("case_number", &self.case_number),
            ("case_officer", &self.case_officer),
            ("addressee", &self.addressee),
            ("phone", &self.phone),
        ];
        for (field, value) in short {
            if value.chars().count() > MEMO_FIELD_MAX {
                return Err(DomainError::TooLong {
                    field,
                    max: MEMO_FIELD_MAX,
                });
            }
        }
        for (field, value) in [("title", &self.title), ("proposal", &self.proposal)] {
            if value.chars().count() > MEMO_TEXT_MAX {
                return Err(DomainError::TooLong {
                    field,
                    max: MEMO_TEXT_MAX,
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_title_falls_back_to_the_default() {
        let memo = Memo::default();
        assert_eq!(
            memo.title_or(|| Memo::plan_title(2026, "Enheten")),
            "Verksamhetsplan 2026 för Enheten"
        );
        let memo = Memo {
            title: "  Egen titel ".into(),
            ..Memo::default()
        };
        assert_eq!(memo.title_or(|| unreachable!()), "Egen titel");
    }

    #[test]
    fn overlong_fields_are_named() {
        let memo = Memo {
            phone: "1".repeat(MEMO_FIELD_MAX + 1),
            ..Memo::default()
        };
        assert!(matches!(
            memo.validate(),
            Err(DomainError::TooLong { field: "phone", .. })
        ));
        assert!(Memo::default().validate().is_ok());
    }
}
