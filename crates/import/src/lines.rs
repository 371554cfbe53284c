//! Splitting the text into classified lines and removing page furniture.

use crate::model::{Assessment, GoalLevel};
use crate::text::{collapse_ws, find_year, is_date};

/// Headings of a goal's text sections.
pub const GOAL_SECTIONS: &[&str] = &[
    "Beskrivning",
    "Förväntat resultat",
    "Arbetssätt",
    "Resursanvändning",
    "Uppföljning",
    "Utveckling",
];

/// Classification of one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Nothing on the line.
    Empty,
    /// Only whitespace on the line.
    Blank,
    /// Start of a goal heading.
    Goal(GoalLevel),
    /// A goal text section heading (index into [`GOAL_SECTIONS`]).
    GoalSection(usize),
    /// "Analys" on its own line.
    Analys,
    /// An assessment line ("● Uppfylls helt").
    Assessment(Assessment),
    /// "Indikator Årsmål KF:s årsmål år YYYY Periodicitet".
    PlanIndicatorHeader,
    /// "Aktivitet Startdatum Slutdatum".
    PlanActivityHeader,
    /// Tab-separated follow-up indicator header.
    TabIndicatorHeader,
    /// Tab-separated follow-up activity header.
    TabActivityHeader,
    /// Tab-separated complaints table header.
    ComplaintsHeader,
    /// Anything else.
    Text,
}

impl Kind {
    /// Empty or whitespace-only.
    pub fn is_gap(self) -> bool {
        matches!(self, Kind::Empty | Kind::Blank)
    }
}

/// One line of the document.
#[derive(Debug, Clone, Copy)]
pub struct Tok<'a> {
    /// Line number (1-based).
    pub no: usize,
    /// The line without its line ending.
    pub raw: &'a str,
    /// Classification.
    pub kind: Kind,
}

impl<'a> Tok<'a> {
    /// The line trimmed of whitespace.
    pub fn trimmed(&self) -> &'a str {
        self.raw.trim()
    }
}

/// A title line of a formal document: "Verksamhetsberättelse VB 2025 för …".
#[derive(Debug, Clone)]
pub struct TitleLine {
    /// Line index in the raw line list.
    pub index: usize,
    /// Trimmed text of the line.
    pub text: String,
}

/// Splits text into lines (LF, CRLF or lone CR), numbering from 1.
pub fn split_lines(text: &str) -> Vec<(usize, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.contains('\n') && text.contains('\r') {
        return text
            .split('\r')
            .enumerate()
            .map(|(i, l)| (i + 1, l))
            .collect();
    }
    text.lines().enumerate().map(|(i, l)| (i + 1, l)).collect()
}

/// Prefix of a goal heading and the rest of the line after it.
pub fn goal_prefix(trimmed: &str) -> Option<(GoalLevel, &str)> {
    const PREFIXES: &[(&str, GoalLevel)] = &[
        ("KF:s inriktningsmål:", GoalLevel::Direction),
        ("KF:s mål för verksamhetsområdet:", GoalLevel::Area),
        ("Nämndmål:", GoalLevel::Board),
        ("Avdelningsmål:", GoalLevel::Department),
        ("Enhetsmål:", GoalLevel::Unit),
    ];
    for (p, level) in PREFIXES {
        if let Some(rest) = trimmed.strip_prefix(p) {
            if *level == GoalLevel::Unit {
                let r = rest.trim_start();
                if let Some(r2) = r.strip_prefix("Avdelningsmål:") {
                    return Some((GoalLevel::Department, r2));
                }
            }
            return Some((*level, rest));
        }
    }
    None
}

/// The assessment named by a line ("● Uppfylls helt", " Inga data").
pub fn assessment_of(trimmed: &str) -> Option<Assessment> {
    let t = trimmed.trim_start_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '●' | '○'
                    | '◐'
                    | '◑'
                    | '—'
                    | '–'
                    | '-'
                    | '•'
                    | '■'
                    | '□'
                    | '▲'
                    | '▼'
                    | '◆'
                    | '◇'
                    | '★'
                    | '☆'
                    | '✓'
                    | '✔'
                    | '✗'
                    | '✘'
                    | '⬤'
            )
    });
    let t = collapse_ws(t).to_lowercase();
    match t.as_str() {
        "uppfylls helt" => Some(Assessment::Met),
        "uppfylls delvis" => Some(Assessment::PartlyMet),
        "uppfylls ej" | "uppfylls inte" => Some(Assessment::NotMet),
        "inga data" => Some(Assessment::NoData),
        _ => None,
    }
}

fn tab_cells(raw: &str) -> Vec<String> {
    raw.split('\t').map(collapse_ws).collect()
}

fn classify(raw: &str) -> Kind {
    if raw.is_empty() {
        return Kind::Empty;
    }
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Kind::Blank;
    }
    if let Some((level, _)) = goal_prefix(trimmed) {
        return Kind::Goal(level);
    }
    if let Some(i) = GOAL_SECTIONS.iter().position(|h| *h == trimmed) {
        return Kind::GoalSection(i);
    }
    if trimmed == "Analys" {
        return Kind::Analys;
    }
    if let Some(a) = assessment_of(trimmed) {
        return Kind::Assessment(a);
    }
    if raw.contains('\t') {
        let cells = tab_cells(raw);
        let has = |name: &str| cells.iter().any(|c| c.eq_ignore_ascii_case(name));
        let lower: Vec<String> = cells.iter().map(|c| c.to_lowercase()).collect();
        if has("Aktivitet") && has("Startdatum") && has("Slutdatum") {
            return Kind::TabActivityHeader;
        }
        if lower
            .iter()
            .any(|c| c == "uppdelning" || c.starts_with("klagomål/synpunkter"))
        {
            return Kind::ComplaintsHeader;
        }
        if has("Indikator")
            && lower
                .iter()
                .any(|c| c.contains("utfall") || c == "period" || c.contains("årsmål"))
        {
            return Kind::TabIndicatorHeader;
        }
        return Kind::Text;
    }
    let c = collapse_ws(trimmed);
    if c.starts_with("Indikator ") && c.contains("Årsmål") && c.contains("Periodicitet") {
        return Kind::PlanIndicatorHeader;
    }
    if c.starts_with("Aktivitet Startdatum Slutdatum") {
        return Kind::PlanActivityHeader;
    }
    Kind::Text
}

/// Page furniture: running headers and footers of the export.
pub fn is_furniture(trimmed: &str, title: Option<&str>) -> bool {
    if trimmed.is_empty() {
        return false;
    }
    if let Some(t) = title
        && trimmed == t
    {
        return true;
    }
    let lower = trimmed.to_lowercase();
    if lower == "tjänsteutlåtande"
        || lower == "start.stockholm"
        || lower == "stockholm.se"
        || lower == "www.stockholm.se"
    {
        return true;
    }
    if lower.starts_with("dnr:") || lower.starts_with("dnr ") {
        return true;
    }
    if is_page_number(&lower) {
        return true;
    }
    is_phone(&lower)
}

fn is_page_number(lower: &str) -> bool {
    // "Sid 12 (23)", "Sida 3 av 20", "12 (23)"
    let rest = lower
        .strip_prefix("sida")
        .or_else(|| lower.strip_prefix("sid"))
        .map(str::trim_start)
        .unwrap_or(lower);
    let had_prefix = rest.len() != lower.len();
    let toks: Vec<&str> = rest.split_whitespace().collect();
    let num = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let paren = |s: &str| {
        s.strip_prefix('(')
            .and_then(|x| x.strip_suffix(')'))
            .is_some_and(num)
    };
    match toks.as_slice() {
        [a] => had_prefix && num(a),
        [a, b] => num(a) && paren(b),
        [a, "av", b] => had_prefix && num(a) && num(b),
        _ => false,
    }
}

fn is_phone(lower: &str) -> bool {
    let rest = lower
        .strip_prefix("telefon")
        .or_else(|| lower.strip_prefix("tel."))
        .or_else(|| lower.strip_prefix("tel"))
        .map(|r| r.trim_start_matches(':').trim())
        .unwrap_or(lower);
    if rest.split_whitespace().any(is_date) {
        return false;
    }
    let digits = rest.bytes().filter(|b| b.is_ascii_digit()).count();
    digits >= 7
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')' | '/'))
}

/// Finds a title line ("Verksamhetsberättelse VB 2025 för X") before the
/// first goal heading.
pub fn find_title(lines: &[(usize, &str)]) -> Option<TitleLine> {
    for (index, (_, raw)) in lines.iter().enumerate().take(120) {
        let t = raw.trim();
        if goal_prefix(t).is_some() {
            break;
        }
        if t.contains('\t') || t.chars().count() > 200 {
            continue;
        }
        let lower = t.to_lowercase();
        let starts = ["verksamhetsberättelse", "tertialrapport", "verksamhetsplan"]
            .iter()
            .any(|k| {
                lower.strip_prefix(k).is_some_and(|r| {
                    r.is_empty()
                        || r.starts_with(|c: char| c.is_whitespace() || c == ',' || c == ':')
                })
            });
        if starts && find_year(t).is_some() && !t.ends_with('.') {
            // A title too long for one line goes on on the next, with a blank line after
            // it (Målkedja's own memo header).
            let next = lines.get(index + 1).map(|(_, r)| r.trim()).unwrap_or("");
            let after = lines.get(index + 2).map(|(_, r)| r.trim());
            if !next.is_empty()
                && after.is_some_and(str::is_empty)
                && goal_prefix(next).is_none()
                && next != "Förslag till beslut"
                && !next.eq_ignore_ascii_case("innehållsförteckning")
                && !next.contains('\t')
                && next.chars().count() < 120
                && !t.ends_with(':')
            {
                return Some(TitleLine {
                    index: index + 1,
                    text: format!("{t} {next}"),
                });
            }
            return Some(TitleLine {
                index,
                text: t.to_string(),
            });
        }
    }
    None
}

/// Result of preprocessing.
pub struct Prepared<'a> {
    /// Lines kept for parsing (furniture, table of contents and memo header removed).
    pub toks: Vec<Tok<'a>>,
    /// The memo header lines (before and including the title), trimmed, non-empty.
    pub header: Vec<(usize, &'a str)>,
    /// The title line, if any.
    pub title: Option<TitleLine>,
}

/// Classifies lines and removes furniture, the memo header and the table of contents.
pub fn prepare(text: &str) -> Prepared<'_> {
    let lines = split_lines(text);
    let title = find_title(&lines);
    let mut drop = vec![false; lines.len()];
    let mut header = Vec::new();
    if let Some(t) = &title
        && t.index < 60
    {
        for (i, (no, raw)) in lines.iter().enumerate().take(t.index + 1) {
            if let Some(d) = drop.get_mut(i) {
                *d = true;
            }
            if !raw.trim().is_empty() {
                header.push((*no, raw.trim()));
            }
        }
    }
    // Bold running headers "**Stockholms" … "stad**".
    let mut i = 0;
    while i < lines.len() {
        let t = lines.get(i).map(|(_, r)| r.trim()).unwrap_or("");
        if t.starts_with("**") {
            let end = (i + 4).min(lines.len().saturating_sub(1));
            let close = (i..=end).find(|&j| {
                let tj = lines.get(j).map(|(_, r)| r.trim()).unwrap_or("");
                (j > i || t.len() > 2) && tj.ends_with("**")
            });
            let last = close.unwrap_or(i);
            for d in drop.iter_mut().take(last + 1).skip(i) {
                *d = true;
            }
            i = last + 1;
        } else {
            i += 1;
        }
    }
    // Table of contents. An entry too long for one line goes on on the next.
    let mut in_toc = false;
    for (i, (_, raw)) in lines.iter().enumerate() {
        let t = raw.trim();
        if t.eq_ignore_ascii_case("innehållsförteckning") || t == "Innehåll" {
            in_toc = true;
            if let Some(d) = drop.get_mut(i) {
                *d = true;
            }
            continue;
        }
        if in_toc {
            let continued = || lines.get(i + 1).is_some_and(|(_, next)| is_toc_entry(next));
            if t.is_empty() || is_toc_entry(raw) || continued() {
                if let Some(d) = drop.get_mut(i) {
                    *d = true;
                }
            } else {
                in_toc = false;
            }
        }
    }
    let title_text = title.as_ref().map(|t| t.text.as_str());
    let toks = lines
        .iter()
        .zip(drop.iter())
        .filter(|(_, d)| !**d)
        .filter(|((_, raw), _)| !is_furniture(raw.trim(), title_text))
        .map(|((no, raw), _)| Tok {
            no: *no,
            raw,
            kind: classify(raw),
        })
        .collect();
    Prepared {
        toks,
        header,
        title,
    }
}

fn is_toc_entry(raw: &str) -> bool {
    let t = raw.trim_end();
    let last = t.rsplit(['\t', '.', ' ']).next().unwrap_or("");
    !last.is_empty()
        && last.bytes().all(|b| b.is_ascii_digit())
        && last.len() <= 4
        && (t.contains('\t') || t.contains(".."))
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn furniture_lines() {
        assert!(is_furniture("Tjänsteutlåtande", None));
        assert!(is_furniture("Sid 12 (23)", None));
        assert!(is_furniture("start.stockholm", None));
        assert!(is_furniture("Telefon: 08-508 10 000", None));
        assert!(is_furniture("08-508 10 000", None));
        assert!(!is_furniture("2025-01-01 2025-12-31", None));
        assert!(!is_furniture("19 Tas fram av nämnd/styrelse Tertial", None));
        assert!(!is_furniture("83", None));
    }

    #[test]
    fn goal_prefixes() {
        assert_eq!(
            goal_prefix("Enhetsmål: Avdelningsmål: Äldre ska").map(|(l, r)| (l, r.trim())),
            Some((GoalLevel::Department, "Äldre ska"))
        );
        assert_eq!(
            goal_prefix("Enhetsmål: X").map(|(l, _)| l),
            Some(GoalLevel::Unit)
        );
    }

    #[test]
    fn assessment_with_lost_symbol() {
        assert_eq!(assessment_of(" Uppfylls helt"), Some(Assessment::Met));
        assert_eq!(assessment_of("— Inga data"), Some(Assessment::NoData));
        assert_eq!(
            assessment_of("Uppfylls delvis"),
            Some(Assessment::PartlyMet)
        );
        assert_eq!(assessment_of("Uppfylls helt och hållet av alla"), None);
    }

    #[test]
    fn headers() {
        assert_eq!(
            classify("  Indikator Årsmål KF:s årsmål år 2025 Periodicitet "),
            Kind::PlanIndicatorHeader
        );
        assert_eq!(
            classify("   Aktivitet Startdatum Slutdatum "),
            Kind::PlanActivityHeader
        );
        assert_eq!(
            classify("\tAktivitet\tStartdatum\tSlutdatum\tAvvikelse"),
            Kind::TabActivityHeader
        );
        assert_eq!(
            classify("Indikator\tPeriodens utfall\tÅrsmål\tPeriod"),
            Kind::TabIndicatorHeader
        );
        assert_eq!(
            classify("Uppdelning\tKlagomål/synpunkter/kategorier\tUtfall T1 2025"),
            Kind::ComplaintsHeader
        );
    }

    #[test]
    fn toc_entries() {
        assert!(is_toc_entry("Övrigt\t18"));
        assert!(is_toc_entry("Investeringar.....\t18"));
        assert!(!is_toc_entry("Sammanfattande analys"));
    }
}
