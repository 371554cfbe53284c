//! Carrying one year's work into the next: the pure rules behind "Kopiera målstrukturen
//! till nästa år" (the council's, boards' and departments' goals of a year copied into the
//! next) and "Utgå från förra årets plan" (a unit's plan started from last year's).
//!
//! - Dates move one year: the same day and month a year later; 29 February becomes 28
//!   February ([`one_year_later`]).
//! - A goal of one year is found again in the next by its number first, then by its title
//!   with whitespace and letter case aside ([`match_goals`]); each goal of the next year is
//!   taken at most once, so two goals are never merged into one.

use crate::matching::{match_names, same_name};
use time::{Date, Month};

/// The same day a year later; 29 February (which next year lacks) becomes 28 February.
pub fn one_year_later(d: Date) -> Date {
    let year = d.year() + 1;
    Date::from_calendar_date(year, d.month(), d.day())
        .or_else(|_| Date::from_calendar_date(year, Month::February, 28))
        .unwrap_or(d)
}

/// What a goal is recognised by from one year to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GoalKey<'a> {
    /// "1", "1.3" for council goals; often none below.
    pub number: Option<&'a str>,
    pub title: &'a str,
}

/// How a goal was found again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchedBy {
    Number,
    Title,
}

impl MatchedBy {
    /// In Swedish, for the pages that show what was matched: "samma nummer".
    pub fn label(self) -> &'static str {
        match self {
            MatchedBy::Number => "samma nummer",
            MatchedBy::Title => "samma rubrik",
        }
    }
}

/// Where one goal of the earlier year was found among the later year's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GoalMatch {
    /// Index into the candidates.
    pub index: usize,
    pub by: MatchedBy,
}

fn number(key: &GoalKey<'_>) -> Option<String> {
    key.number
        .map(crate::normalize_whitespace)
        .filter(|n| !n.is_empty())
}

/// Finds each of `wanted` (goals of one year) among `candidates` (goals of the next year,
/// of the same level). Rules:
/// - the same number wins (numbers compared with whitespace aside); a goal without a
///   number is matched by title only;
/// - then the same title, whitespace and letter case aside ([`same_name`]); a title that is
///   only near (a typo) is not the same goal;
/// - a candidate is taken at most once, by the first goal that wants it in that pass.
pub fn match_goals(wanted: &[GoalKey<'_>], candidates: &[GoalKey<'_>]) -> Vec<Option<GoalMatch>> {
    let mut out: Vec<Option<GoalMatch>> = vec![None; wanted.len()];
    let mut taken = vec![false; candidates.len()];
    for (w, key) in wanted.iter().enumerate() {
        let Some(n) = number(key) else { continue };
        if let Some(c) = (0..candidates.len())
            .find(|&c| !taken[c] && number(&candidates[c]).as_ref() == Some(&n))
        {
            taken[c] = true;
            out[w] = Some(GoalMatch {
                index: c,
                by: MatchedBy::Number,
            });
        }
    }
    // Titles of what is left, exactly (whitespace and case aside).
    let left: Vec<usize> = (0..wanted.len()).filter(|&w| out[w].is_none()).collect();
    let free: Vec<usize> = (0..candidates.len()).filter(|&c| !taken[c]).collect();
    let titles: Vec<&str> = left.iter().map(|&w| wanted[w].title).collect();
    let stored: Vec<&str> = free.iter().map(|&c| candidates[c].title).collect();
    for (i, m) in match_names(&titles, &stored).into_iter().enumerate() {
        if let Some(m) = m.filter(|m| m.exact) {
            out[left[i]] = Some(GoalMatch {
                index: free[m.stored],
                by: MatchedBy::Title,
            });
        }
    }
    out
}

/// The first of `candidates` with the same name as `name` (an indicator or activity found
/// again under the goal it was matched to), whitespace and letter case aside.
pub fn find_by_name<'a, T>(
    name: &str,
    candidates: &'a [T],
    name_of: impl Fn(&T) -> &str,
) -> Option<&'a T> {
    candidates.iter().find(|c| same_name(name_of(c), name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn key<'a>(number: Option<&'a str>, title: &'a str) -> GoalKey<'a> {
        GoalKey { number, title }
    }

    fn found(
        wanted: &[GoalKey<'_>],
        candidates: &[GoalKey<'_>],
    ) -> Vec<Option<(usize, MatchedBy)>> {
        match_goals(wanted, candidates)
            .into_iter()
            .map(|m| m.map(|m| (m.index, m.by)))
            .collect()
    }

    #[test]
    fn dates_move_one_year() {
        assert_eq!(one_year_later(date!(2025 - 03 - 01)), date!(2026 - 03 - 01));
        assert_eq!(one_year_later(date!(2025 - 12 - 31)), date!(2026 - 12 - 31));
        assert_eq!(one_year_later(date!(2025 - 01 - 01)), date!(2026 - 01 - 01));
        // Into a leap year, 28 February stays 28 February.
        assert_eq!(one_year_later(date!(2027 - 02 - 28)), date!(2028 - 02 - 28));
    }

    #[test]
    fn the_29th_of_february_becomes_the_28th() {
        assert_eq!(one_year_later(date!(2024 - 02 - 29)), date!(2025 - 02 - 28));
        // An activity of one leap day stays one day; its end never falls before its start.
        let (start, end) = (date!(2024 - 02 - 28), date!(2024 - 02 - 29));
        assert!(one_year_later(end) >= one_year_later(start));
    }

    #[test]
    fn the_number_wins_over_the_title() {
        // Area goal 1.3 keeps its number and gets a revised title.
        let wanted = [key(Some("1.3"), "Stockholm ska ha en god äldreomsorg")];
        let next = [
            key(Some("1.4"), "Stockholm ska ha en god äldreomsorg"),
            key(Some("1.3"), "Stockholm ska ha en god och trygg äldreomsorg"),
        ];
        assert_eq!(found(&wanted, &next), [Some((1, MatchedBy::Number))]);
        // " 1.3 " is 1.3.
        assert_eq!(
            found(&[key(Some(" 1.3 "), "x")], &[key(Some("1.3"), "y")]),
            [Some((0, MatchedBy::Number))]
        );
    }

    #[test]
    fn without_a_number_the_title_decides_whitespace_and_case_aside() {
        let wanted = [
            key(None, "Alla  medarbetare har en\ngod arbetsmiljö"),
            key(Some("2.4"), "Ett mål som försvann"),
            key(None, "Brukarna är nöjda"),
        ];
        let next = [
            key(None, "Brukarna är nöjda med stödet"),
            key(None, "alla medarbetare har en god arbetsmiljö"),
        ];
        assert_eq!(
            found(&wanted, &next),
            [Some((1, MatchedBy::Title)), None, None]
        );
    }

    #[test]
    fn a_near_title_is_not_the_same_goal() {
        assert_eq!(
            found(&[key(None, "Tryggt boende")], &[key(None, "Trygt boende")]),
            [None]
        );
    }

    #[test]
    fn each_goal_of_the_next_year_is_taken_once() {
        let wanted = [key(None, "Nöjda brukare"), key(None, "Nöjda brukare")];
        let next = [key(None, "Nöjda brukare")];
        assert_eq!(found(&wanted, &next), [Some((0, MatchedBy::Title)), None]);
        // A goal taken by its number is not taken again by another's title.
        let wanted = [key(None, "Ett mål"), key(Some("1"), "Annat")];
        let next = [key(Some("1"), "Ett mål")];
        assert_eq!(found(&wanted, &next), [None, Some((0, MatchedBy::Number))]);
    }

    #[test]
    fn items_are_found_by_name() {
        let names = ["Andel nöjda brukare", "Sjukfrånvaro"];
        assert_eq!(
            find_by_name("andel  nöjda brukare", &names, |n| n),
            Some(&"Andel nöjda brukare")
        );
        assert_eq!(find_by_name("Andel nöjda", &names, |n| n), None);
    }
}
