//! Matching the items of an imported document (indicators, activities) to items stored
//! from earlier documents, by name.

use crate::{name_distance, normalize_whitespace};

/// How one item of a document was matched to a stored item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameMatch {
    /// Index of the stored item.
    pub stored: usize,
    /// True when the names are the same (whitespace and case aside); false for a near
    /// match (a typo, a word broken across a cell), which the import summary lists.
    pub exact: bool,
}

/// Whether two names or titles are the same, whitespace and letter case aside.
pub fn same_name(a: &str, b: &str) -> bool {
    name_key(a) == name_key(b)
}

/// A name as [`same_name`] compares it: whitespace normalised, lower case. Two names are
/// the same when their keys are equal, so many names can be grouped by it at once.
pub fn name_key(name: &str) -> String {
    normalize_whitespace(name).to_lowercase()
}

/// Matches the names of one document's items (`wanted`) to stored items of earlier
/// documents (`stored`). Rules:
/// - a stored item is taken by at most one item of the document, so two items of one
///   document are never merged;
/// - the same name wins over a near one; near names are paired closest first, so a near
///   match is taken only when nothing closer exists;
/// - names that differ in a number are never the same ([`name_distance`]).
pub fn match_names(wanted: &[&str], stored: &[&str]) -> Vec<Option<NameMatch>> {
    let mut out: Vec<Option<NameMatch>> = vec![None; wanted.len()];
    let mut taken = vec![false; stored.len()];
    for (w, name) in wanted.iter().enumerate() {
        if let Some(s) = (0..stored.len()).find(|&s| !taken[s] && same_name(name, stored[s])) {
            taken[s] = true;
            out[w] = Some(NameMatch {
                stored: s,
                exact: true,
            });
        }
    }
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    for (w, name) in wanted.iter().enumerate() {
        if out[w].is_some() {
            continue;
        }
        for (s, other) in stored.iter().enumerate() {
            if taken[s] {
                continue;
            }
            if let Some(d) = name_distance(name, other) {
                pairs.push((d, w, s));
            }
        }
    }
    pairs.sort_unstable();
    for (_, w, s) in pairs {
        if out[w].is_none() && !taken[s] {
            taken[s] = true;
            out[w] = Some(NameMatch {
                stored: s,
                exact: false,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matched(wanted: &[&str], stored: &[&str]) -> Vec<Option<(usize, bool)>> {
        match_names(wanted, stored)
            .into_iter()
            .map(|m| m.map(|m| (m.stored, m.exact)))
            .collect()
    }

    #[test]
    fn items_of_one_document_are_never_merged() {
        // Two indicators of one plan that differ by one digit stay two.
        assert_eq!(
            matched(
                &[
                    "Andel brukare med genomförandeplan i zon 3",
                    "Andel brukare med genomförandeplan i zon 4"
                ],
                &[]
            ),
            [None, None]
        );
        // The same name twice in a document: the second does not take the first's item.
        assert_eq!(
            matched(
                &["Andel nöjda brukare", "Andel nöjda brukare"],
                &["Andel nöjda brukare"]
            ),
            [Some((0, true)), None]
        );
    }

    #[test]
    fn the_same_name_wins_over_a_near_one() {
        let stored = [
            "Utfasade tvättlappar i plast",
            "Utfasade tvättappar i plast",
        ];
        assert_eq!(
            matched(&["Utfasade tvättappar i plast"], &stored),
            [Some((1, true))]
        );
    }

    #[test]
    fn a_near_match_only_when_nothing_closer_exists() {
        // "…tvättappar…" is one letter from the stored name; the document's exact name
        // takes it first, so the typo is not merged into it.
        let wanted = [
            "Utfasade tvättappar i plast",
            "Utfasade tvättlappar i plast",
        ];
        assert_eq!(
            matched(&wanted, &["Utfasade tvättlappar i plast"]),
            [None, Some((0, true))]
        );
        // Closest pair first.
        let wanted = ["Aktivt Medskapen deindex"];
        let stored = ["Aktivt Medskapandeindex", "Aktivt Medskapande index"];
        assert_eq!(matched(&wanted, &stored), [Some((0, false))]);
    }

    #[test]
    fn names_that_differ_in_a_number_never_match() {
        assert_eq!(
            matched(
                &["Uppföljning efter tertial 2"],
                &["Uppföljning efter tertial 1"]
            ),
            [None]
        );
    }
}
