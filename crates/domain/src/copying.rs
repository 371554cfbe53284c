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
use crate::{Goal, GoalId, GoalLevel, NodeId};
use std::collections::{HashMap, HashSet};
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

impl<'a> GoalKey<'a> {
    pub fn of(goal: &'a Goal) -> GoalKey<'a> {
        GoalKey {
            number: goal.number.as_deref(),
            title: &goal.title,
        }
    }
}

/// Each goal of one year (`from`) found again among the next year's (`next`): the same level
/// and owner, then [`match_goals`] (number, then title). Goals of the next year are taken
/// at most once. Returns the next year's goal and how it was found, by the earlier goal.
pub fn counterparts(from: &[Goal], next: &[Goal]) -> HashMap<GoalId, (GoalId, MatchedBy)> {
    let mut out = HashMap::new();
    let mut groups: HashMap<(GoalLevel, NodeId), Vec<&Goal>> = HashMap::new();
    for g in from {
        groups.entry((g.level, g.owner_id)).or_default().push(g);
    }
    for ((level, owner), mut goals) in groups {
        goals.sort_by_key(|g| (g.position, g.id));
        let mut candidates: Vec<&Goal> = next
            .iter()
            .filter(|n| n.level == level && n.owner_id == owner)
            .collect();
        candidates.sort_by_key(|g| (g.position, g.id));
        let keys: Vec<GoalKey<'_>> = goals.iter().map(|g| GoalKey::of(g)).collect();
        let cand: Vec<GoalKey<'_>> = candidates.iter().map(|g| GoalKey::of(g)).collect();
        for (i, m) in match_goals(&keys, &cand).into_iter().enumerate() {
            if let Some(m) = m {
                out.insert(goals[i].id, (candidates[m.index].id, m.by));
            }
        }
    }
    out
}

/// Where a copied goal hangs in the next year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewParent {
    /// A direction goal: at the top.
    Top,
    /// Under the copy of this goal of the earlier year, made in the same run.
    Copied(GoalId),
    /// Under this goal the next year already has.
    Existing(GoalId),
}

/// What "Kopiera målstrukturen till nästa år" does with one year's council, board and
/// department goals.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StructurePlan {
    /// The goals to copy, parents before children, each with where it will hang.
    pub copy: Vec<(GoalId, NewParent)>,
    /// Owners whose goals are not copied because the next year already has goals of
    /// theirs: the structure is copied whole per owner or not at all, never merged.
    pub skipped_owners: Vec<NodeId>,
    /// Goals not copied because the goal they hang under is neither copied nor found in
    /// the next year (by number, then title).
    pub orphans: Vec<GoalId>,
}

/// The levels the structure consists of: the council's, boards' and departments' goals.
/// Unit goals belong to the units' plans ("Utgå från förra årets plan").
pub fn is_structure(level: GoalLevel) -> bool {
    level != GoalLevel::Unit
}

/// Plans the copy of the structure of one year (`from`, its goals) into the next (`next`,
/// the goals it already has). Rules:
/// - only council, board and department goals are copied ([`is_structure`]), and only
///   those of owners `may_copy` allows (the caller's administration);
/// - an owner that already has goals in the next year is skipped whole (listed), so
///   running the copy twice copies nothing the second time;
/// - a copied goal hangs under the copy of its parent, or, when its parent's owner was
///   skipped or not copied, under the parent's counterpart in the next year (the same
///   level and owner; number, then title: [`match_goals`]); without one it is not copied
///   (an orphan), nor is anything under it.
pub fn plan_structure_copy(
    from: &[Goal],
    next: &[Goal],
    may_copy: impl Fn(NodeId) -> bool,
) -> StructurePlan {
    let has_next: HashSet<NodeId> = next
        .iter()
        .filter(|g| is_structure(g.level))
        .map(|g| g.owner_id)
        .collect();
    let mut out = StructurePlan::default();
    let mut wanted: Vec<&Goal> = from
        .iter()
        .filter(|g| is_structure(g.level) && may_copy(g.owner_id))
        .collect();
    wanted.sort_by_key(|g| (g.level, g.position, g.id));
    for g in &wanted {
        if has_next.contains(&g.owner_id) && !out.skipped_owners.contains(&g.owner_id) {
            out.skipped_owners.push(g.owner_id);
        }
    }
    let counterpart = counterparts(from, next);
    let mut copied: HashSet<GoalId> = HashSet::new();
    for g in wanted {
        if out.skipped_owners.contains(&g.owner_id) {
            continue;
        }
        let parent = match g.parent_id {
            None => Some(NewParent::Top),
            Some(p) if copied.contains(&p) => Some(NewParent::Copied(p)),
            Some(p) => counterpart.get(&p).map(|(n, _)| NewParent::Existing(*n)),
        };
        match parent {
            Some(parent) => {
                copied.insert(g.id);
                out.copy.push((g.id, parent));
            }
            None => out.orphans.push(g.id),
        }
    }
    out
}

/// What the writer chose for a unit goal of last year whose place this year is not found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Carry it under this board or department goal of this year.
    Under(GoalId),
    /// Leave it out of this year's plan.
    LeaveOut,
}

/// What "Utgå från förra årets plan" does with one unit goal of last year's plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carry {
    /// This year's plan has a goal of the unit with the same title already: nothing is
    /// made, only what it lacks is filled in.
    Exists(GoalId),
    /// Under this goal of this year: its parent found again by number or title.
    Matched(GoalId, MatchedBy),
    /// Under the goal of this year the writer chose.
    Chosen(GoalId),
    /// The writer left it out.
    LeftOut,
    /// Its parent has no counterpart this year and the writer has not chosen: listed for
    /// the writer to place.
    Unplaced,
}

impl Carry {
    /// The goal of this year it hangs under (or is), when it is carried.
    pub fn target(self) -> Option<GoalId> {
        match self {
            Carry::Exists(g) | Carry::Matched(g, _) | Carry::Chosen(g) => Some(g),
            Carry::LeftOut | Carry::Unplaced => None,
        }
    }
}

/// Where each of last year's unit goals (`goals`) goes this year. `last_year` and
/// `this_year` are the goals of the unit and the nodes above it in each year. Rules, in
/// this order:
/// - a goal the writer left out is left out;
/// - a goal whose title this year's plan already has (a unit goal of the unit, whitespace
///   and case aside) exists: it is never made twice;
/// - a goal the writer placed goes under that goal, if it is a board or department goal of
///   this year above the unit;
/// - otherwise under the counterpart of its parent ([`counterparts`]: same level and
///   owner, number first, then title);
/// - otherwise it is unplaced, for the writer to place.
pub fn carry_unit_goals(
    goals: &[Goal],
    last_year: &[Goal],
    this_year: &[Goal],
    choices: &HashMap<GoalId, Choice>,
) -> Vec<Carry> {
    let found = counterparts(last_year, this_year);
    let mut taken: HashSet<GoalId> = HashSet::new();
    goals
        .iter()
        .map(|g| {
            let choice = choices.get(&g.id).copied();
            if choice == Some(Choice::LeaveOut) {
                return Carry::LeftOut;
            }
            if let Some(same) = this_year.iter().find(|t| {
                t.level == GoalLevel::Unit
                    && t.owner_id == g.owner_id
                    && !taken.contains(&t.id)
                    && same_name(&t.title, &g.title)
            }) {
                taken.insert(same.id);
                return Carry::Exists(same.id);
            }
            if let Some(Choice::Under(p)) = choice
                && this_year.iter().any(|t| {
                    t.id == p && matches!(t.level, GoalLevel::Board | GoalLevel::Department)
                })
            {
                return Carry::Chosen(p);
            }
            match g.parent_id.and_then(|p| found.get(&p)) {
                Some((p, by)) => Carry::Matched(*p, *by),
                None => Carry::Unplaced,
            }
        })
        .collect()
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

    fn goal(
        id: i64,
        level: GoalLevel,
        owner: i64,
        parent: Option<i64>,
        number: Option<&str>,
        title: &str,
        year: i32,
    ) -> Goal {
        Goal {
            id: GoalId(id),
            year,
            level,
            owner_id: NodeId(owner),
            parent_id: parent.map(GoalId),
            number: number.map(Into::into),
            title: title.into(),
            position: id,
            version: 1,
        }
    }

    /// City 1, board 2, department 4, unit 5: one goal at each level of 2025.
    fn year_2025() -> Vec<Goal> {
        vec![
            goal(
                1,
                GoalLevel::Direction,
                1,
                None,
                Some("1"),
                "Inriktning",
                2025,
            ),
            goal(2, GoalLevel::Area, 1, Some(1), Some("1.3"), "Område", 2025),
            goal(3, GoalLevel::Board, 2, Some(2), None, "Nämndmål", 2025),
            goal(
                4,
                GoalLevel::Department,
                4,
                Some(3),
                None,
                "Avdelningsmål",
                2025,
            ),
            goal(5, GoalLevel::Unit, 5, Some(4), None, "Enhetsmål", 2025),
        ]
    }

    #[test]
    fn counterparts_keep_to_their_level_and_owner() {
        let from = year_2025();
        let next = [
            goal(
                11,
                GoalLevel::Direction,
                1,
                None,
                Some("1"),
                "Inriktning",
                2026,
            ),
            // The same title, but another board's: not the same goal.
            goal(13, GoalLevel::Board, 3, Some(11), None, "Nämndmål", 2026),
            goal(14, GoalLevel::Board, 2, Some(11), None, "nämndmål", 2026),
            // A unit goal's title at department level is not it either.
            goal(
                15,
                GoalLevel::Department,
                4,
                Some(14),
                None,
                "Enhetsmål",
                2026,
            ),
        ];
        let found = counterparts(&from, &next);
        assert_eq!(
            found.get(&GoalId(1)),
            Some(&(GoalId(11), MatchedBy::Number))
        );
        assert_eq!(found.get(&GoalId(3)), Some(&(GoalId(14), MatchedBy::Title)));
        assert_eq!(found.get(&GoalId(4)), None);
        assert_eq!(found.get(&GoalId(5)), None);
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn an_empty_next_year_gets_the_whole_structure_but_no_unit_goals() {
        let plan = plan_structure_copy(&year_2025(), &[], |_| true);
        assert_eq!(
            plan.copy,
            [
                (GoalId(1), NewParent::Top),
                (GoalId(2), NewParent::Copied(GoalId(1))),
                (GoalId(3), NewParent::Copied(GoalId(2))),
                (GoalId(4), NewParent::Copied(GoalId(3))),
            ]
        );
        assert!(plan.skipped_owners.is_empty() && plan.orphans.is_empty());
    }

    #[test]
    fn an_owner_with_goals_next_year_is_skipped_and_its_goals_found_again() {
        // The council set 2026's goals already: 1.3 keeps its number, with a new title.
        let next = [
            goal(
                11,
                GoalLevel::Direction,
                1,
                None,
                Some("1"),
                "Inriktning",
                2026,
            ),
            goal(
                12,
                GoalLevel::Area,
                1,
                Some(11),
                Some("1.3"),
                "Nytt namn",
                2026,
            ),
        ];
        let plan = plan_structure_copy(&year_2025(), &next, |_| true);
        assert_eq!(plan.skipped_owners, [NodeId(1)]);
        assert_eq!(
            plan.copy,
            [
                (GoalId(3), NewParent::Existing(GoalId(12))),
                (GoalId(4), NewParent::Copied(GoalId(3))),
            ]
        );
    }

    #[test]
    fn a_goal_whose_parent_is_gone_is_not_copied_nor_anything_under_it() {
        // 2026 has no area goal 1.3 and no "Område".
        let next = [
            goal(
                11,
                GoalLevel::Direction,
                1,
                None,
                Some("1"),
                "Inriktning",
                2026,
            ),
            goal(
                12,
                GoalLevel::Area,
                1,
                Some(11),
                Some("1.4"),
                "Annat område",
                2026,
            ),
        ];
        let plan = plan_structure_copy(&year_2025(), &next, |_| true);
        assert!(plan.copy.is_empty());
        assert_eq!(plan.orphans, [GoalId(3), GoalId(4)]);
    }

    #[test]
    fn copying_twice_copies_nothing_the_second_time() {
        let from = year_2025();
        let first = plan_structure_copy(&from, &[], |_| true);
        // What the first run made, as next year's goals.
        let made: Vec<Goal> = from
            .iter()
            .filter(|g| first.copy.iter().any(|(id, _)| *id == g.id))
            .map(|g| Goal {
                id: GoalId(g.id.0 + 10),
                year: 2026,
                parent_id: g.parent_id.map(|p| GoalId(p.0 + 10)),
                ..g.clone()
            })
            .collect();
        let second = plan_structure_copy(&from, &made, |_| true);
        assert!(second.copy.is_empty());
        assert_eq!(second.skipped_owners, [NodeId(1), NodeId(2), NodeId(4)]);
    }

    #[test]
    fn only_owners_the_caller_may_copy() {
        // A board's administrator: the council's goals are not theirs, and 2026 has none
        // yet, so the board's goal has nothing to hang under.
        let plan = plan_structure_copy(&year_2025(), &[], |n| n != NodeId(1));
        assert!(plan.copy.is_empty());
        assert_eq!(plan.orphans, [GoalId(3), GoalId(4)]);
        assert!(plan.skipped_owners.is_empty());
    }

    #[test]
    fn unit_goals_follow_their_parent_into_the_new_year() {
        let last = year_2025();
        // 2026: the board goal is back with a new title under the same area goal; the
        // department's goal is gone; the unit has already written one goal.
        let this = [
            goal(
                11,
                GoalLevel::Direction,
                1,
                None,
                Some("1"),
                "Inriktning",
                2026,
            ),
            goal(
                12,
                GoalLevel::Area,
                1,
                Some(11),
                Some("1.3"),
                "Område",
                2026,
            ),
            goal(13, GoalLevel::Board, 2, Some(12), None, "Nämndmål", 2026),
            goal(
                14,
                GoalLevel::Department,
                4,
                Some(13),
                None,
                "Nytt avdelningsmål",
                2026,
            ),
            goal(
                15,
                GoalLevel::Unit,
                5,
                Some(13),
                None,
                "Redan skrivet",
                2026,
            ),
        ];
        let unit_goals = [
            goal(
                21,
                GoalLevel::Unit,
                5,
                Some(3),
                None,
                "Under nämndmålet",
                2025,
            ),
            goal(
                22,
                GoalLevel::Unit,
                5,
                Some(4),
                None,
                "Under avdelningsmålet",
                2025,
            ),
            goal(
                23,
                GoalLevel::Unit,
                5,
                Some(4),
                None,
                "redan  skrivet",
                2025,
            ),
            goal(24, GoalLevel::Unit, 5, Some(4), None, "Lämnas", 2025),
        ];
        let mut all_last = last.clone();
        all_last.extend(unit_goals.iter().cloned());
        let none = HashMap::new();
        assert_eq!(
            carry_unit_goals(&unit_goals, &all_last, &this, &none),
            [
                Carry::Matched(GoalId(13), MatchedBy::Title),
                Carry::Unplaced,
                Carry::Exists(GoalId(15)),
                Carry::Unplaced,
            ]
        );
        // The writer places one under the new department goal and leaves one out; a
        // choice of a goal that is not a board or department goal of this year is not taken.
        let choices = HashMap::from([
            (GoalId(22), Choice::Under(GoalId(14))),
            (GoalId(24), Choice::LeaveOut),
            (GoalId(21), Choice::Under(GoalId(12))),
        ]);
        assert_eq!(
            carry_unit_goals(&unit_goals, &all_last, &this, &choices),
            [
                Carry::Matched(GoalId(13), MatchedBy::Title),
                Carry::Chosen(GoalId(14)),
                Carry::Exists(GoalId(15)),
                Carry::LeftOut,
            ]
        );
        assert_eq!(Carry::Chosen(GoalId(14)).target(), Some(GoalId(14)));
        assert_eq!(Carry::Unplaced.target(), None);
    }
}
