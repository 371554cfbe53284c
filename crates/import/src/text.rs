//! Small text helpers: joining wrapped lines, recognising values and dates.

/// Words after which a line-final hyphen is a suspended compound ("vår- och").
const CONJUNCTIONS: &[&str] = &[
    "och",
    "eller",
    "samt",
    "respektive",
    "resp",
    "resp.",
    "men",
    "utan",
    "till",
    "&",
];

/// Collapses runs of whitespace into single spaces and trims.
pub fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// First whitespace-separated word.
pub fn first_word(s: &str) -> &str {
    s.split_whitespace().next().unwrap_or("")
}

/// True if the first non-space character is a lowercase letter.
pub fn starts_lowercase(s: &str) -> bool {
    s.trim_start()
        .chars()
        .next()
        .is_some_and(|c| c.is_lowercase())
}

/// True if the first non-space character is an uppercase letter.
pub fn starts_uppercase(s: &str) -> bool {
    s.trim_start()
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase())
}

/// True if the trimmed text ends with sentence punctuation.
pub fn ends_sentence(s: &str) -> bool {
    let t = s.trim_end();
    let t = t.trim_end_matches(['"', '”', '’', ')', '»']);
    t.ends_with(['.', '!', '?', ':'])
}

/// Appends `next` to `acc` the way wrapped lines are joined: one space, or no
/// space after a word-final hyphen ("kem-" + "tekniska"), except before a
/// conjunction ("vår-" + "och" → "vår- och").
pub fn join_words(acc: &mut String, next: &str) {
    let next = collapse_ws(next);
    if next.is_empty() {
        return;
    }
    let trimmed_len = acc.trim_end().len();
    acc.truncate(trimmed_len);
    if acc.is_empty() {
        acc.push_str(&next);
        return;
    }
    if hyphen_continues(acc, &next) {
        acc.push_str(&next);
    } else {
        acc.push(' ');
        acc.push_str(&next);
    }
}

/// Joins lines into one line with [`join_words`].
pub fn join_lines<'a, I: IntoIterator<Item = &'a str>>(lines: I) -> String {
    let mut out = String::new();
    for l in lines {
        join_words(&mut out, l);
    }
    out
}

fn hyphen_continues(acc: &str, next: &str) -> bool {
    let mut rev = acc.chars().rev();
    if rev.next() != Some('-') {
        return false;
    }
    let before = rev.next();
    if !before.is_some_and(|c| c.is_alphabetic() || c.is_ascii_digit()) {
        return false;
    }
    let w = first_word(next).to_lowercase();
    let w = w.trim_end_matches([',', '.']);
    if CONJUNCTIONS.contains(&w) {
        return false;
    }
    next.chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '"' || c == '”')
}

/// A bullet or numbered item start: "• x", "- x", "-X", "– x", "1. x", "3.X".
pub fn is_bullet(s: &str) -> bool {
    let t = s.trim_start();
    let mut chars = t.chars();
    match chars.next() {
        Some('•' | '●' | '▪' | '◦' | '*' | '·') => true,
        Some('-' | '–' | '—') => {
            let rest = chars.as_str();
            rest.starts_with(' ') || rest.chars().next().is_some_and(|c| c.is_alphabetic())
        }
        Some(c) if c.is_ascii_digit() => {
            let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
            if digits.len() > 2 {
                return false;
            }
            let rest: String = t.chars().skip(digits.chars().count()).collect();
            let mut rc = rest.chars();
            match (rc.next(), rc.next()) {
                (Some('.' | ')'), Some(' ')) => true,
                (Some('.' | ')'), Some(c)) => c.is_uppercase(),
                _ => false,
            }
        }
        _ => false,
    }
}

/// True for an ISO date "YYYY-MM-DD".
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// Parses a 4-digit year in a plausible range.
pub fn parse_year(s: &str) -> Option<i32> {
    let t = s.trim_matches(|c: char| !c.is_ascii_digit());
    if t.len() != 4 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = t.parse().ok()?;
    (1990..=2100).contains(&y).then_some(y)
}

/// Finds the first plausible year token in a line.
pub fn find_year(s: &str) -> Option<i32> {
    s.split(|c: char| !c.is_ascii_digit())
        .filter(|t| t.len() == 4)
        .find_map(parse_year)
}

/// A number as written in the documents: "90", "4,4", "58,84", "90%", "1.5".
pub fn is_number(tok: &str) -> bool {
    let t = tok.trim_end_matches('%');
    let t = t.strip_prefix(['-', '−', '+']).unwrap_or(t);
    let mut seen_digit = false;
    let mut seen_sep = false;
    for c in t.chars() {
        if c.is_ascii_digit() {
            seen_digit = true;
        } else if (c == ',' || c == '.') && seen_digit && !seen_sep {
            seen_sep = true;
        } else {
            return false;
        }
    }
    seen_digit && !t.ends_with([',', '.'])
}

/// A group of exactly three digits that continues a number ("40 000").
pub fn is_thousands_group(tok: &str) -> bool {
    tok.len() == 3 && tok.bytes().all(|b| b.is_ascii_digit())
}

/// Short unit words that may follow a number in a value cell.
pub fn is_unit(tok: &str) -> bool {
    const UNITS: &[&str] = &[
        "%", "st", "st.", "kr", "kr.", "tkr", "t", "mnkr", "mkr", "procent", "dagar", "dag",
        "timmar", "tim", "min", "minuter", "h", "kg", "ton", "kwh", "mwh", "år", "gånger", "ggr",
        "personer", "pers", "p", "poäng", "ggr/år",
    ];
    UNITS.contains(&tok.to_lowercase().as_str())
}

/// Character count.
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn hyphen_joins_word() {
        assert_eq!(
            join_lines(["Vi använder kem-", "tekniska produkter"]),
            "Vi använder kem-tekniska produkter"
        );
    }

    #[test]
    fn hyphen_before_conjunction_keeps_space() {
        assert_eq!(
            join_lines(["en folder för vår- ", "och hösttermin"]),
            "en folder för vår- och hösttermin"
        );
    }

    #[test]
    fn spaced_dash_is_not_a_word_break() {
        assert_eq!(
            join_lines(["nöjd med sin insats -", " Funktion (stöd"]),
            "nöjd med sin insats - Funktion (stöd"
        );
    }

    #[test]
    fn bullets() {
        assert!(is_bullet("- punkt"));
        assert!(is_bullet(" -Punkt"));
        assert!(is_bullet("• punkt"));
        assert!(is_bullet("3.Omsorgen"));
        assert!(is_bullet("1. Första"));
        assert!(!is_bullet("2025-01-01"));
        assert!(!is_bullet("10-15 januari"));
    }

    #[test]
    fn numbers() {
        assert!(is_number("90"));
        assert!(is_number("4,4"));
        assert!(is_number("90%"));
        assert!(!is_number("1-14"));
        assert!(!is_number("CO2"));
        assert!(!is_number(","));
    }

    #[test]
    fn dates_and_years() {
        assert!(is_date("2025-01-01"));
        assert!(!is_date("2025-1-01"));
        assert_eq!(find_year("KF:s årsmål år 2026 Periodicitet"), Some(2026));
        assert_eq!(find_year("Sid 12 (23)"), None);
    }
}
