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

#[cfg(test)]
mod tests {
    use super::*;

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
