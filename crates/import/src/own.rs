//! Målkedja's own PDFs, as `pdftotext -layout` reads them.
//!
//! Målkedja prints its tables as columns: every cell has text ("—" when a value is
//! missing), cells are top-aligned, and long cells wrap inside their column. `pdftotext
//! -layout` keeps the columns where they were on the page, so a row may take several lines.
//! This module finds such tables by their header line (its column names stand apart, two
//! spaces or more between them; the old system's exports have single spaces) and rewrites
//! each as the tab-separated rows the follow-up tables of the old system already use, one
//! line per row, which the rest of the parser reads as usual.
//!
//! A row starts on the line where its *anchor* column has text: a column whose values never
//! wrap (Periodicitet, Period, Startdatum, T1). A header repeated after a page break
//! continues the table. It also joins words that typst hyphenated at a line's end (a soft
//! hyphen, U+00AD, ends the line) and removes the word joiner typst puts before the page
//! numbers of its table of contents.

/// The kinds of table, by the first column's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    Indicators,
    Activities,
    Complaints,
}

impl Table {
    fn from_first(name: &str) -> Option<Table> {
        match name {
            "Indikator" => Some(Table::Indicators),
            "Aktivitet" => Some(Table::Activities),
            "Uppdelning" => Some(Table::Complaints),
            _ => None,
        }
    }

    /// The anchor column among the header's columns.
    fn anchor(self, names: &[String]) -> Option<usize> {
        let find = |n: &str| names.iter().position(|c| c == n);
        match self {
            Table::Indicators => find("Periodicitet").or_else(|| find("Period")),
            Table::Activities => find("Startdatum"),
            Table::Complaints => find("T1"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Header,
    Repeat,
    Rows,
}

/// A word of a line: the column (in characters) where it starts, its byte range.
#[derive(Debug, Clone)]
struct Word<'a> {
    start: usize,
    end: usize,
    byte: usize,
    text: &'a str,
}

fn words(line: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut start: Option<(usize, usize)> = None; // (char column, byte offset)
    let mut col = 0usize;
    for (byte, c) in line.char_indices() {
        if c.is_whitespace() {
            if let Some((sc, sb)) = start.take()
                && let Some(text) = line.get(sb..byte)
            {
                out.push(Word {
                    start: sc,
                    end: col,
                    byte: sb,
                    text,
                });
            }
        } else if start.is_none() {
            start = Some((col, byte));
        }
        col += 1;
    }
    if let Some((sc, sb)) = start
        && let Some(text) = line.get(sb..)
    {
        out.push(Word {
            start: sc,
            end: col,
            byte: sb,
            text,
        });
    }
    out
}

/// Runs of words separated by two spaces or more: the cells of a header line.
fn chunks(line: &str) -> Vec<Word<'_>> {
    let mut out: Vec<Word<'_>> = Vec::new();
    for w in words(line) {
        match out.last_mut() {
            // One space: the same chunk.
            Some(last) if w.start <= last.end + 1 => {
                let to = w.byte + w.text.len();
                if let Some(t) = line.get(last.byte..to) {
                    last.text = t;
                    last.end = w.end;
                }
            }
            _ => out.push(w),
        }
    }
    out
}

/// A header line of one of Målkedja's tables: its kind, column starts and names.
fn header(line: &str) -> Option<(Table, Vec<usize>, Vec<String>)> {
    let t = line.trim_start_matches(|c: char| c.is_whitespace());
    if !["Indikator ", "Aktivitet ", "Uppdelning "]
        .iter()
        .any(|p| t.starts_with(p))
    {
        return None;
    }
    let cs = chunks(line.trim_start_matches('\u{c}'));
    let table = Table::from_first(cs.first()?.text)?;
    if cs.len() < 3 {
        return None;
    }
    let starts = cs.iter().map(|c| c.start).collect();
    let names = cs.iter().map(|c| c.text.to_string()).collect();
    Some((table, starts, names))
}

/// The column a word belongs to: the last whose start is at most two characters to the
/// right of the word's start.
fn column(starts: &[usize], start: usize) -> usize {
    starts.iter().rposition(|s| *s <= start + 2).unwrap_or(0)
}

fn is_page_furniture(line: &str) -> bool {
    let t = line.trim_matches(|c: char| c.is_whitespace());
    if t.is_empty() {
        return true;
    }
    // "Sid 3 (12)"
    let Some(rest) = t.strip_prefix("Sid ") else {
        return false;
    };
    let mut parts = rest.split_whitespace();
    let n = parts.next().unwrap_or("");
    let total = parts.next().unwrap_or("");
    parts.next().is_none()
        && !n.is_empty()
        && n.bytes().all(|b| b.is_ascii_digit())
        && total
            .strip_prefix('(')
            .and_then(|x| x.strip_suffix(')'))
            .is_some_and(|x| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit()))
}

/// A cell's words, joined; a word hyphenated at the end of a line in the cell (a soft
/// hyphen ends it) is joined with its rest.
fn cell_text(parts: &[&str]) -> String {
    let mut t = String::new();
    for p in parts {
        if t.ends_with('\u{ad}') {
            t.pop();
        } else if !t.is_empty() {
            t.push(' ');
        }
        t.push_str(p);
    }
    if t == "—" { String::new() } else { t }
}

/// Rewrites Målkedja's column tables as tab-separated rows; `None` when the text has none
/// (nor soft hyphens at line ends), so that other text is read exactly as before.
pub fn normalise(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.split('\n').collect();
    let has_table = lines.iter().any(|l| header(l).is_some());
    let has_soft = text.contains("\u{ad}\n") || text.contains('\u{2060}');
    if !has_table && !has_soft {
        return None;
    }
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let line = lines.get(i).copied().unwrap_or("");
        let Some((table, mut starts, names)) = header(line) else {
            out.push(line.to_string());
            i += 1;
            continue;
        };
        let Some(anchor) = table.anchor(&names) else {
            out.push(line.to_string());
            i += 1;
            continue;
        };
        let first_line = i;
        let mut head: Vec<Vec<&str>> = names.iter().map(|_| Vec::new()).collect();
        let mut rows: Vec<Vec<Vec<&str>>> = Vec::new();
        // Lines before the first row continue the header; after a repeated header they are
        // skipped.
        let mut state = State::Header;
        let head_chunks = chunks(line.trim_start_matches('\u{c}'));
        for (c, chunk) in head_chunks.iter().enumerate() {
            if let Some(h) = head.get_mut(c) {
                h.push(chunk.text);
            }
        }
        i += 1;
        while i < lines.len() {
            let l = lines.get(i).copied().unwrap_or("");
            let ws = words(l.trim_start_matches('\u{c}'));
            if ws.is_empty() || is_page_furniture(l) {
                // A gap: the table goes on if its header comes again after the page break.
                let mut j = i;
                while j < lines.len()
                    && lines
                        .get(j)
                        .is_some_and(|l| is_page_furniture(l.trim_start_matches('\u{c}')))
                {
                    j += 1;
                }
                // The new page has its own columns.
                let again = lines
                    .get(j)
                    .and_then(|l| header(l))
                    .filter(|(t, _, n)| *t == table && *n == names);
                if let Some((_, page_starts, _)) = again {
                    starts = page_starts;
                    i = j + 1;
                    state = State::Repeat;
                    continue;
                }
                break;
            }
            if ws
                .first()
                .is_some_and(|w| w.start + 2 < starts.first().copied().unwrap_or(0))
            {
                break;
            }
            let has_anchor = ws.iter().any(|w| column(&starts, w.start) == anchor);
            if has_anchor {
                state = State::Rows;
                rows.push(names.iter().map(|_| Vec::new()).collect());
            }
            let target = match state {
                State::Header => Some(&mut head),
                State::Repeat => None,
                State::Rows => rows.last_mut(),
            };
            if let Some(target) = target {
                for w in &ws {
                    if let Some(cell) = target.get_mut(column(&starts, w.start)) {
                        cell.push(w.text);
                    }
                }
            }
            i += 1;
        }
        out.push(
            head.iter()
                .map(|h| cell_text(h))
                .collect::<Vec<_>>()
                .join("\t"),
        );
        for r in &rows {
            out.push(
                r.iter()
                    .map(|c| cell_text(c))
                    .collect::<Vec<_>>()
                    .join("\t"),
            );
        }
        // Keep the line count, so that warnings name the lines of the text as given.
        while out.len() < i.max(first_line + 1 + rows.len()) {
            out.push(String::new());
        }
    }
    Some(join_soft_hyphens(&out))
}

/// Joins a word hyphenated at a line's end with its rest from the next line, and drops
/// word joiners (typst puts one before a page number in a table of contents).
fn join_soft_hyphens(lines: &[String]) -> String {
    let mut lines: Vec<String> = lines.iter().map(|l| l.replace('\u{2060}', "")).collect();
    for i in 0..lines.len() {
        let Some(line) = lines.get(i) else { break };
        if !line.ends_with('\u{ad}') {
            continue;
        }
        let next = lines.get(i + 1).cloned().unwrap_or_default();
        let trimmed = next.trim_start();
        let indent = next.len() - trimmed.len();
        let (rest_word, remainder) = match trimmed.find(char::is_whitespace) {
            Some(p) => (
                trimmed.get(..p).unwrap_or(""),
                trimmed.get(p..).unwrap_or(""),
            ),
            None => (trimmed, ""),
        };
        if let Some(l) = lines.get_mut(i) {
            l.pop();
            l.push_str(rest_word);
        }
        if let Some(n) = lines.get_mut(i + 1) {
            *n = format!("{}{}", " ".repeat(indent), remainder.trim_start());
        }
    }
    lines.join("\n")
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;

    const PLAN: &str = "\
KF:s mål för verksamhetsområdet: 1.3 Stöd och omsorg
 Indikator                                         Årsmål     KF:s årsmål år 2026   Periodicitet
 Andel deltagare i daglig verksamhet enligt        93 %       90 %                  År
 LSS som trivs i verksamheten
 Andel nöjda                                       —          Tas fram av           Tertial
                                                              nämnd

                                                                                 Sid 5 (12)
\u{c} Indikator                                    Årsmål     KF:s årsmål år 2026   Periodicitet
 Sista                                        80 %       —                     År

Nämndmål: Nästa mål
 Aktivitet                                                 Startdatum    Slutdatum
 Genomförandeplaner upprättas och följs upp med            2026-01-01    2026-12-31
 varje brukare
";

    #[test]
    fn column_tables_become_tab_rows() {
        let out = normalise(PLAN).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "KF:s mål för verksamhetsområdet: 1.3 Stöd och omsorg"
        );
        assert_eq!(
            lines[1],
            "Indikator\tÅrsmål\tKF:s årsmål år 2026\tPeriodicitet"
        );
        assert_eq!(
            lines[2],
            "Andel deltagare i daglig verksamhet enligt LSS som trivs i verksamheten\t93 %\t90 %\tÅr"
        );
        assert_eq!(lines[3], "Andel nöjda\t\tTas fram av nämnd\tTertial");
        assert_eq!(
            cell_text(&["Personuppgifts\u{ad}", "incidenter"]),
            "Personuppgiftsincidenter"
        );
        assert_eq!(lines[4], "Sista\t80 %\t\tÅr");
        assert!(out.contains(
            "Aktivitet\tStartdatum\tSlutdatum\nGenomförandeplaner upprättas och följs upp med varje brukare\t2026-01-01\t2026-12-31"
        ));
        assert!(out.contains("\nNämndmål: Nästa mål\n"));
        assert_eq!(out.lines().count(), PLAN.lines().count());
    }

    #[test]
    fn text_without_column_tables_is_left_alone() {
        assert!(normalise("  Indikator Årsmål KF:s årsmål år 2025 Periodicitet\nx").is_none());
    }

    #[test]
    fn soft_hyphens_join_words() {
        let out = normalise("Stödet plane\u{ad}\nras tillsammans\n").unwrap();
        assert_eq!(out, "Stödet planeras\ntillsammans\n");
    }
}
