//! # malkedja-import
//!
//! Reads the text exports of the old planning system (verksamhetsplan,
//! tertialrapport 1 and 2, verksamhetsberättelse) into an [`ImportDocument`]:
//! the goal cascade, indicators, activities, the complaints table, the
//! document's text sections and warnings about anything dropped or guessed.
//!
//! The parser is pure: it never reads files or the environment. It handles the
//! quirks of the exports (wrapped rows, page breaks inside tables, empty cells
//! that vanish, page furniture, tab-separated follow-up tables, lost status
//! symbols) generally, and keeps the text as written.
//!
//! ```
//! let text = "KF:s inriktningsmål: 1. Ett mål\n\nNämndmål: Nämndens mål\n\n\
//!             Enhetsmål: Enhetens mål\n\nFörväntat resultat\n\nDet går bra.\n";
//! let opts = malkedja_import::ParseOptions { unit: Some("Enheten".into()), year: Some(2025) };
//! let doc = malkedja_import::parse_with(text, &opts).unwrap();
//! assert_eq!(doc.goals.len(), 3);
//! assert_eq!(doc.goals[2].sections.get("Förväntat resultat"), Some("Det går bra."));
//! ```

mod error;
mod lines;
mod model;
mod own;
mod para;
mod parser;
mod tables;
mod text;

pub use error::ParseError;
pub use model::{
    Activity, ActivityStatus, Assessment, Complaint, DocumentKind, Goal, GoalLevel, GoalSections,
    ImportDocument, Indicator, Section, Warning,
};

use lines::{TitleLine, prepare};
use para::Layout;
use parser::{Body, read_body};
use text::{collapse_ws, find_year, first_word, is_date, parse_year};

/// Values that override or fill in what the text lacks (the CLI's `--unit`
/// and `--year`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// The unit's name; overrides the name found in the text.
    pub unit: Option<String>,
    /// The year; overrides the year found in the text.
    pub year: Option<i32>,
}

/// Parses a text export, detecting kind, year and unit from the text.
pub fn parse(text: &str) -> Result<ImportDocument, ParseError> {
    parse_with(text, &ParseOptions::default())
}

/// Parses raw bytes: checks that they are UTF-8 and not empty first.
pub fn parse_bytes(bytes: &[u8]) -> Result<ImportDocument, ParseError> {
    parse_bytes_with(bytes, &ParseOptions::default())
}

/// [`parse_bytes`] with overrides.
pub fn parse_bytes_with(bytes: &[u8], opts: &ParseOptions) -> Result<ImportDocument, ParseError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_with(text, opts),
        Err(e) => {
            let offset = e.valid_up_to();
            let line = 1 + bytes
                .get(..offset)
                .map(|b| b.iter().filter(|&&c| c == b'\n').count())
                .unwrap_or(0);
            Err(ParseError::InvalidUtf8 { offset, line })
        }
    }
}

/// Parses a text export with overrides for unit and year.
pub fn parse_with(text: &str, opts: &ParseOptions) -> Result<ImportDocument, ParseError> {
    if text.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    // Målkedja's own PDFs (pdftotext -layout): column tables as tab rows.
    let normalised = own::normalise(text);
    let text = normalised.as_deref().unwrap_or(text);
    let prep = prepare(text);
    let layout = Layout::measure(&prep.toks);
    let mut body = read_body(&prep.toks, layout);
    if body.goals.is_empty() {
        return Err(ParseError::NotADocument {
            reason: "ingen målkaskad hittades (inga rubriker som \"KF:s inriktningsmål:\", \"Nämndmål:\" eller \"Enhetsmål:\")".to_string(),
        });
    }
    let kind = detect_kind(prep.title.as_ref(), &mut body);
    let year = opts
        .year
        .or_else(|| detect_year(prep.title.as_ref(), &body));
    let unit = opts
        .unit
        .as_ref()
        .map(|u| collapse_ws(u))
        .filter(|u| !u.is_empty())
        .or_else(|| detect_unit(prep.title.as_ref(), &body));
    let (year, unit) = match (year, unit) {
        (Some(y), Some(u)) => (y, u),
        (y, u) => {
            return Err(ParseError::MissingMetadata {
                year: y.is_none(),
                unit: u.is_none(),
            });
        }
    };
    let _ = &prep.header;
    body.warnings.sort_by_key(|w| w.line);
    Ok(ImportDocument {
        kind,
        year,
        unit,
        sections: body.sections,
        goals: body.goals,
        indicators: body.indicators,
        activities: body.activities,
        complaints: body.complaints,
        warnings: body.warnings,
    })
}

fn kind_from_title(title: &str) -> Option<DocumentKind> {
    let lower = title.to_lowercase();
    if lower.starts_with("verksamhetsberättelse") {
        return Some(DocumentKind::AnnualReport);
    }
    if lower.starts_with("verksamhetsplan") {
        return Some(DocumentKind::Plan);
    }
    if lower.starts_with("tertialrapport") {
        for w in lower.split_whitespace().skip(1) {
            match w.trim_matches(|c: char| !c.is_alphanumeric()) {
                "1" | "t1" => return Some(DocumentKind::Tertial1),
                "2" | "t2" => return Some(DocumentKind::Tertial2),
                _ => {}
            }
        }
    }
    None
}

fn kind_from_period(p: &str) -> Option<DocumentKind> {
    let up = p.to_uppercase();
    let words: Vec<&str> = up.split_whitespace().collect();
    if words.contains(&"VB") {
        Some(DocumentKind::AnnualReport)
    } else if words.contains(&"T2") {
        Some(DocumentKind::Tertial2)
    } else if words.contains(&"T1") {
        Some(DocumentKind::Tertial1)
    } else {
        None
    }
}

fn detect_kind(title: Option<&TitleLine>, body: &mut Body) -> DocumentKind {
    if let Some(k) = title.and_then(|t| kind_from_title(&t.text)) {
        return k;
    }
    if !body.follow_up {
        return DocumentKind::Plan;
    }
    let mut counts = [0usize; 3];
    for p in &body.periods {
        match kind_from_period(p) {
            Some(DocumentKind::Tertial1) => counts[0] += 1,
            Some(DocumentKind::Tertial2) => counts[1] += 1,
            Some(DocumentKind::AnnualReport) => counts[2] += 1,
            _ => {}
        }
    }
    let kinds = [
        DocumentKind::Tertial1,
        DocumentKind::Tertial2,
        DocumentKind::AnnualReport,
    ];
    let best = counts
        .iter()
        .zip(kinds)
        .filter(|(c, _)| **c > 0)
        .max_by_key(|(c, _)| **c)
        .map(|(_, k)| k);
    match best {
        Some(k) => k,
        None => {
            body.warnings.push(Warning {
                line: 1,
                message: "uppföljningsdokument utan titel eller perioder: tolkas som verksamhetsberättelse".to_string(),
            });
            DocumentKind::AnnualReport
        }
    }
}

fn detect_year(title: Option<&TitleLine>, body: &Body) -> Option<i32> {
    if let Some(y) = title.and_then(|t| find_year(&t.text)) {
        return Some(y);
    }
    if let Some(y) = mode(&body.header_years) {
        return Some(y);
    }
    if let Some(y) = mode(&body.complaint_years) {
        return Some(y);
    }
    let period_years: Vec<i32> = body.periods.iter().filter_map(|p| find_year(p)).collect();
    if let Some(y) = mode(&period_years) {
        return Some(y);
    }
    let heading_years: Vec<i32> = body
        .sections
        .iter()
        .filter(|s| {
            ["Utvecklingsområden", "Budget", "Verksamhetsplan"]
                .iter()
                .any(|h| s.heading.starts_with(h))
        })
        .filter_map(|s| find_year(&s.heading))
        .collect();
    if let Some(y) = mode(&heading_years) {
        return Some(y);
    }
    let end_years: Vec<i32> = body
        .activities
        .iter()
        .filter_map(|a| a.end.as_deref())
        .filter(|d| is_date(d))
        .filter_map(|d| d.get(..4).and_then(parse_year))
        .collect();
    mode(&end_years)
}

fn mode(v: &[i32]) -> Option<i32> {
    let mut sorted = v.to_vec();
    sorted.sort_unstable();
    let mut best: Option<(i32, usize)> = None;
    for run in sorted.chunk_by(|a, b| a == b) {
        let (Some(&y), n) = (run.first(), run.len()) else {
            continue;
        };
        if best.is_none_or(|(_, bn)| n > bn) {
            best = Some((y, n));
        }
    }
    best.map(|(y, _)| y)
}

const UNIT_VERBS: &[&str] = &[
    "är", "har", "består", "erbjuder", "utför", "arbetar", "bedriver", "ansvarar", "omfattar",
    "driver", "ger", "riktar",
];

const UNIT_STOP: &[&str] = &[
    "Enheten",
    "Enhetens",
    "Enheterna",
    "Vi",
    "Inom",
    "I",
    "Det",
    "Den",
    "Denna",
    "Detta",
    "Hela",
    "Varje",
    "Alla",
    "På",
    "Från",
    "Under",
    "Vår",
    "Våra",
    "Verksamheten",
    "Verksamheterna",
];

fn detect_unit(title: Option<&TitleLine>, body: &Body) -> Option<String> {
    if let Some(t) = title
        && let Some(pos) = t.text.find(" för ")
    {
        let u = collapse_ws(t.text.get(pos + 5..).unwrap_or(""));
        if !u.is_empty() {
            return Some(u);
        }
    }
    let front = body.sections.get(..body.front_sections).unwrap_or(&[]);
    // A heading repeated as the subject of its own text: "X" / "X består av …".
    for s in front {
        if parser::is_known_heading(&s.heading) || s.heading.is_empty() {
            continue;
        }
        let rest = s.text.strip_prefix(s.heading.as_str());
        if rest.is_some_and(|r| r.starts_with(' ') && UNIT_VERBS.contains(&first_word(r))) {
            return Some(s.heading.clone());
        }
    }
    // "Stöd- och aktivitetsenheten är …", "Hälsofrämjande enheten har …".
    for s in front {
        for para in s.text.split("\n\n") {
            let words: Vec<&str> = para.split_whitespace().take(7).collect();
            let Some(first) = words.first() else { continue };
            if UNIT_STOP.contains(first) || !first.starts_with(char::is_uppercase) {
                continue;
            }
            for n in 1..words.len().min(6) {
                let (Some(last), Some(verb)) = (words.get(n - 1), words.get(n)) else {
                    break;
                };
                if UNIT_VERBS.contains(verb) {
                    if last.to_lowercase().contains("enhet") {
                        return words.get(..n).map(|w| w.join(" "));
                    }
                    break;
                }
            }
        }
    }
    None
}
