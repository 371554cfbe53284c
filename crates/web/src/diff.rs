//! Word-level differences between two texts, as pieces a template prints: the same text,
//! text taken out (`<del>`), text put in (`<ins>`), and long unchanged stretches shortened.
//! Each change is said in words too ("borttaget", "tillagt", in visually hidden text), so
//! that it is never told by colour alone. Also: an object's JSON as named fields, to show
//! what an audit event changed.

use serde_json::Value;
use similar::{ChangeTag, TextDiff};
use std::time::Duration;

/// One stretch of a difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Same(String),
    Removed(String),
    Added(String),
    /// An unchanged stretch left out: how many words.
    Skipped(usize),
}

impl Piece {
    /// The code the template switches on: same, removed, added, skipped.
    pub fn kind(&self) -> &'static str {
        match self {
            Piece::Same(_) => "same",
            Piece::Removed(_) => "removed",
            Piece::Added(_) => "added",
            Piece::Skipped(_) => "skipped",
        }
    }

    /// The text of the piece (empty for a skipped stretch).
    pub fn text(&self) -> &str {
        match self {
            Piece::Same(t) | Piece::Removed(t) | Piece::Added(t) => t,
            Piece::Skipped(_) => "",
        }
    }

    /// How many words a skipped stretch held (0 otherwise).
    pub fn skipped(&self) -> usize {
        match self {
            Piece::Skipped(n) => *n,
            _ => 0,
        }
    }
}

/// Words of unchanged text kept on each side of a change; a longer unchanged stretch
/// between changes is shortened to this many words at each end.
const CONTEXT_WORDS: usize = 25;

/// The longest a difference may take before it is approximated (the result is still a
/// correct difference, only perhaps not the smallest).
const TIMEOUT: Duration = Duration::from_millis(500);

/// The word-level difference from `before` to `after`. Whitespace changes between words
/// count as changes; unchanged stretches longer than twice [`CONTEXT_WORDS`] are shortened.
pub fn words(before: &str, after: &str) -> Vec<Piece> {
    let diff = TextDiff::configure()
        .timeout(TIMEOUT)
        .diff_words(before, after);
    let mut pieces: Vec<Piece> = Vec::new();
    for change in diff.iter_all_changes() {
        let text = change.value();
        match (change.tag(), pieces.last_mut()) {
            (ChangeTag::Equal, Some(Piece::Same(t)))
            | (ChangeTag::Delete, Some(Piece::Removed(t)))
            | (ChangeTag::Insert, Some(Piece::Added(t))) => t.push_str(text),
            (ChangeTag::Equal, _) => pieces.push(Piece::Same(text.to_string())),
            (ChangeTag::Delete, _) => pieces.push(Piece::Removed(text.to_string())),
            (ChangeTag::Insert, _) => pieces.push(Piece::Added(text.to_string())),
        }
    }
    shorten(merge_runs(pieces))
}

/// Joins changes that only whitespace separates into one removal and one addition, so that
/// a rewritten sentence reads as the old sentence and the new, not word against word.
fn merge_runs(pieces: Vec<Piece>) -> Vec<Piece> {
    let is_change = |p: &Piece| matches!(p, Piece::Removed(_) | Piece::Added(_));
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    let (mut removed, mut added, mut pending) = (String::new(), String::new(), String::new());
    let mut in_run = false;
    let flush = |out: &mut Vec<Piece>, removed: &mut String, added: &mut String| {
        if !removed.is_empty() {
            out.push(Piece::Removed(std::mem::take(removed)));
        }
        if !added.is_empty() {
            out.push(Piece::Added(std::mem::take(added)));
        }
    };
    let mut iter = pieces.into_iter().peekable();
    while let Some(p) = iter.next() {
        match p {
            Piece::Removed(t) => {
                removed.push_str(&pending);
                if !added.is_empty() {
                    added.push_str(&pending);
                }
                pending.clear();
                removed.push_str(&t);
                in_run = true;
            }
            Piece::Added(t) => {
                added.push_str(&pending);
                if !removed.is_empty() {
                    removed.push_str(&pending);
                }
                pending.clear();
                added.push_str(&t);
                in_run = true;
            }
            Piece::Same(t)
                if in_run
                    && t.chars().all(char::is_whitespace)
                    && iter.peek().is_some_and(is_change) =>
            {
                pending = t;
            }
            other => {
                flush(&mut out, &mut removed, &mut added);
                in_run = false;
                out.push(other);
            }
        }
    }
    flush(&mut out, &mut removed, &mut added);
    out
}

/// Whether the pieces hold a change.
pub fn changed(pieces: &[Piece]) -> bool {
    pieces
        .iter()
        .any(|p| matches!(p, Piece::Removed(_) | Piece::Added(_)))
}

/// Byte offsets where words start.
fn word_starts(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        let w = !c.is_whitespace();
        if w && !in_word {
            out.push(i);
        }
        in_word = w;
    }
    out
}

/// Shortens long unchanged stretches: the words next to a change stay, the rest is
/// counted.
fn shorten(pieces: Vec<Piece>) -> Vec<Piece> {
    let last = pieces.len().saturating_sub(1);
    let mut out = Vec::with_capacity(pieces.len());
    for (i, p) in pieces.into_iter().enumerate() {
        let Piece::Same(text) = p else {
            out.push(p);
            continue;
        };
        let starts = word_starts(&text);
        // Words to keep at the start (after a change) and at the end (before one).
        let head = if i == 0 { 0 } else { CONTEXT_WORDS };
        let tail = if i == last { 0 } else { CONTEXT_WORDS };
        if starts.len() <= head + tail + 1 || (i == 0 && i == last) {
            out.push(Piece::Same(text));
            continue;
        }
        let cut_from = if head == 0 { 0 } else { starts[head] };
        let cut_to = if tail == 0 {
            text.len()
        } else {
            starts[starts.len() - tail]
        };
        if cut_from > 0 {
            out.push(Piece::Same(text[..cut_from].to_string()));
        }
        out.push(Piece::Skipped(starts.len() - head - tail));
        if cut_to < text.len() {
            out.push(Piece::Same(text[cut_to..].to_string()));
        }
    }
    out
}

/// An object's JSON as named fields, depth first: `title`, `council_target.text`. A value
/// that is not an object is one field named "". Lists of plain values are one field (the
/// values joined by ", "); `null` is an empty field.
pub fn flatten(value: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk("", value, &mut out);
    out
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::Null => Some(String::new()),
        Value::Bool(true) => Some("ja".into()),
        Value::Bool(false) => Some("nej".into()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn walk(key: &str, v: &Value, out: &mut Vec<(String, String)>) {
    let join = |k: &str| {
        if key.is_empty() {
            k.to_string()
        } else {
            format!("{key}.{k}")
        }
    };
    match v {
        Value::Object(o) => {
            for (k, v) in o {
                walk(&join(k), v, out);
            }
        }
        Value::Array(a) => {
            if let Some(values) = a.iter().map(scalar).collect::<Option<Vec<_>>>() {
                out.push((key.to_string(), values.join(", ")));
            } else {
                for (i, v) in a.iter().enumerate() {
                    walk(&join(&i.to_string()), v, out);
                }
            }
        }
        other => out.push((key.to_string(), scalar(other).unwrap_or_default())),
    }
}

/// The fields whose value differs between two flattened objects, in the order the newer
/// one names them (then those only the older one has): (name, before, after), with an
/// absent field as "".
pub fn changed_fields(
    before: &[(String, String)],
    after: &[(String, String)],
) -> Vec<(String, String, String)> {
    let find = |list: &[(String, String)], k: &str| {
        list.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut keys: Vec<&str> = after.iter().map(|(k, _)| k.as_str()).collect();
    for (k, _) in before {
        if !keys.contains(&k.as_str()) {
            keys.push(k);
        }
    }
    keys.into_iter()
        .map(|k| (k.to_string(), find(before, k), find(after, k)))
        .filter(|(_, b, a)| b != a)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn show(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|p| match p {
                Piece::Same(t) => t.clone(),
                Piece::Removed(t) => format!("[-{t}-]"),
                Piece::Added(t) => format!("{{+{t}+}}"),
                Piece::Skipped(n) => format!("<{n}>"),
            })
            .collect()
    }

    #[test]
    fn words_that_changed_are_marked() {
        let d = words("Alla känner sig trygga.", "Alla brukare känner sig trygga!");
        assert!(changed(&d));
        assert_eq!(
            show(&d),
            "Alla {+brukare +}känner sig [-trygga.-]{+trygga!+}"
        );
        assert!(!changed(&words("samma text", "samma text")));
        assert_eq!(show(&words("", "ny")), "{+ny+}");
        // A rewritten stretch reads as the old words and the new, not word against word.
        assert_eq!(
            show(&words("Vi gör a b c nu.", "Vi gör x y z nu.")),
            "Vi gör [-a b c-]{+x y z+} nu."
        );
        assert_eq!(show(&words("ett två", "ett")), "ett[- två-]");
        assert_eq!(show(&words("gammal", "")), "[-gammal-]");
    }

    #[test]
    fn long_unchanged_stretches_are_shortened_around_the_change() {
        let long: Vec<String> = (1..=200).map(|i| format!("ord{i}")).collect();
        let before = format!("{} slut", long.join(" "));
        let after = format!("{} SLUT", long.join(" "));
        let d = words(&before, &after);
        assert_eq!(d[0], Piece::Skipped(200 - CONTEXT_WORDS));
        assert!(
            d[1].text()
                .starts_with(&format!("ord{} ", 200 - CONTEXT_WORDS + 1))
        );
        assert_eq!(d[2], Piece::Removed("slut".into()));
        // A change in the middle keeps words on both sides.
        let mid = words(
            &format!("{} x {}", long.join(" "), long.join(" ")),
            &format!("{} y {}", long.join(" "), long.join(" ")),
        );
        assert_eq!(mid.iter().filter(|p| p.skipped() > 0).count(), 2);
        let kept: usize = mid
            .iter()
            .filter(|p| p.kind() == "same")
            .map(|p| word_starts(p.text()).len())
            .sum();
        assert_eq!(kept, 2 * CONTEXT_WORDS);
        // Unchanged text alone is kept whole.
        assert_eq!(words(&before, &before).len(), 1);
    }

    #[test]
    fn objects_become_named_fields() {
        let v = json!({
            "title": "Mål",
            "number": null,
            "council_target": {"kind": "value", "text": "90 %", "value": "90"},
            "goals": [3, 5],
            "rows": [{"a": 1}],
            "done": true
        });
        let f = flatten(&v);
        let get = |k: &str| f.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
        assert_eq!(get("title"), Some("Mål"));
        assert_eq!(get("number"), Some(""));
        assert_eq!(get("council_target.text"), Some("90 %"));
        assert_eq!(get("goals"), Some("3, 5"));
        assert_eq!(get("rows.0.a"), Some("1"));
        assert_eq!(get("done"), Some("ja"));
        assert_eq!(
            flatten(&json!("2025-01-01")),
            [(String::new(), "2025-01-01".into())]
        );
    }

    #[test]
    fn only_changed_fields_are_listed() {
        let before = flatten(&json!({"title": "A", "version": 1, "gone": "x"}));
        let after = flatten(&json!({"title": "B", "version": 1, "new": "y"}));
        assert_eq!(
            changed_fields(&before, &after),
            [
                ("new".into(), String::new(), "y".into()),
                ("title".into(), "A".into(), "B".into()),
                ("gone".into(), "x".into(), String::new()),
            ]
        );
    }
}
