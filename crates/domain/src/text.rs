//! Swedish text helpers.

use std::cmp::Ordering;

/// Sort key of one character in Swedish alphabetical order: case-insensitive, with
/// å, ä, ö after z (byte order would put ä before å).
fn sort_key(c: char) -> (u32, u32) {
    let lower = c.to_lowercase().next().unwrap_or(c);
    let primary = match lower {
        'å' => 'z' as u32 + 1,
        'ä' | 'æ' => 'z' as u32 + 2,
        'ö' | 'ø' => 'z' as u32 + 3,
        'é' | 'è' => 'e' as u32,
        'ü' => 'y' as u32,
        other => other as u32,
    };
    (primary, c as u32)
}

/// Compares two strings in Swedish alphabetical order.
pub fn swedish_cmp(a: &str, b: &str) -> Ordering {
    let ka = a.chars().map(|c| sort_key(c).0);
    let kb = b.chars().map(|c| sort_key(c).0);
    ka.cmp(kb).then_with(|| {
        a.chars()
            .map(|c| sort_key(c).1)
            .cmp(b.chars().map(|c| sort_key(c).1))
    })
}

/// Collapses runs of whitespace to single spaces and trims: titles that differ only in
/// line wrapping are the same title.
pub fn normalize_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A text body as compared: trailing spaces of each line, blank lines at either end and
/// runs of blank lines do not count. Two goal texts with the same normal form are the same
/// revision, whatever order the documents carrying them arrive in.
pub fn normalize_body(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = false;
    for line in s.lines().map(str::trim_end) {
        if line.trim().is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push_str("\n\n");
        } else if !out.is_empty() {
            out.push('\n');
        }
        blank = false;
        out.push_str(line);
    }
    out
}

/// Whether two text bodies are the same text (see [`normalize_body`]).
pub fn same_body(a: &str, b: &str) -> bool {
    normalize_body(a) == normalize_body(b)
}

/// The numbers written in a name, in order: "… i zon 3" has `["3"]`, "tertial 1" `["1"]`.
pub fn numbers_in(s: &str) -> Vec<&str> {
    s.split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect()
}

/// How far apart two names of indicators or activities are, when they may name the same
/// thing despite a typo or a word broken across a table cell ("Medskapen deindex"):
/// `Some(0)` when equal without spaces and case, `Some(n)` for `n` letters apart in a
/// long name, `None` when they are different names. Names that differ in a number
/// ("zon 3", "zon 4") are always different.
pub fn name_distance(a: &str, b: &str) -> Option<usize> {
    if numbers_in(a) != numbers_in(b) {
        return None;
    }
    let squash = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    let (a, b) = (squash(a), squash(b));
    if a == b {
        return Some(0);
    }
    let longest = a.chars().count().max(b.chars().count());
    if longest < 15 {
        return None;
    }
    let d = strsim::levenshtein(&a, &b);
    (d <= longest / 15).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_differing_only_in_whitespace_are_the_same() {
        assert!(same_body("Ett.\n\nTvå.", "Ett.  \n\n\n\nTvå.\n\n"));
        assert!(same_body("\nEtt.\nTvå.", "Ett. \nTvå."));
        assert!(
            !same_body("Ett.\nTvå.", "Ett.\n\nTvå."),
            "a new paragraph is a change"
        );
        assert!(!same_body("Ett.", "Ett!"));
        assert_eq!(normalize_body("  \n\n"), "");
    }

    #[test]
    fn names_differing_in_a_number_are_never_near() {
        assert_eq!(
            name_distance(
                "Utfasade tvättappar i plast",
                "Utfasade tvättlappar i plast"
            ),
            Some(1)
        );
        assert_eq!(
            name_distance("Aktivt Medskapen deindex", "Aktivt Medskapandeindex"),
            Some(1)
        );
        assert_eq!(
            name_distance("Aktivt Medskapande index", "Aktivt Medskapandeindex"),
            Some(0)
        );
        assert_eq!(
            name_distance("Andel nöjda brukare i zon 3", "Andel nöjda brukare i zon 4"),
            None
        );
        assert_eq!(
            name_distance("Uppföljning tertial 1 klar", "Uppföljning tertial 2 klar"),
            None
        );
        assert_eq!(name_distance("Sjukfrånvaro", "Sjukfrånvaro dag 1-14"), None);
        assert_eq!(
            name_distance("Andel nöjda brukare", "Andel nöjda anhöriga"),
            None
        );
        assert_eq!(
            name_distance("Index", "Indev"),
            None,
            "short names must match exactly"
        );
    }

    #[test]
    fn swedish_letters_come_last_in_their_order() {
        let mut v = vec!["Örby", "Älvsjö", "Åsen", "Zeta", "alfa", "Beta"];
        v.sort_by(|a, b| swedish_cmp(a, b));
        assert_eq!(v, ["alfa", "Beta", "Zeta", "Åsen", "Älvsjö", "Örby"]);
    }

    #[test]
    fn whitespace_is_normalized() {
        assert_eq!(
            normalize_whitespace("  Ett\nmål  med\tradbrytning "),
            "Ett mål med radbrytning"
        );
    }
}
