//! Indicator, activity and complaints tables, in the plan layout (space
//! separated, wrapped rows) and the follow-up layout (tab separated).

use crate::lines::{Kind, Tok};
use crate::model::{Activity, ActivityStatus, Complaint, Indicator, Warning};
use crate::text::{
    collapse_ws, is_date, is_number, is_thousands_group, is_unit, join_lines, join_words,
    starts_lowercase,
};

/// Values of the "Periodicitet" column.
const PERIODS: &[&str] = &[
    "År", "Tertial", "Halvår", "Kvartal", "Månad", "Termin", "Vecka",
];

/// Longest row (in lines) a plan table keeps waiting for its end.
const MAX_ROW_LINES: usize = 60;

/// Longest group name the complaints table builds by joining continuations.
const MAX_GROUP_CHARS: usize = 400;

/// Output collections shared by the table readers.
pub struct Sink<'s> {
    pub indicators: &'s mut Vec<Indicator>,
    pub activities: &'s mut Vec<Activity>,
    pub complaints: &'s mut Vec<Complaint>,
    pub warnings: &'s mut Vec<Warning>,
    /// Period cells seen in follow-up indicator tables ("VB 2025").
    pub periods: &'s mut Vec<String>,
}

fn warn(w: &mut Vec<Warning>, line: usize, message: String) {
    w.push(Warning { line, message });
}

fn excerpt(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out
}

fn indicator(goal: usize, name: String) -> Indicator {
    Indicator {
        goal,
        name,
        target: None,
        council_target: None,
        periodicity: None,
        outcome: None,
        outcome_men: None,
        outcome_women: None,
        previous: None,
        period: None,
        analysis: None,
    }
}

// ---------------------------------------------------------------- values

fn is_tas_fram(toks: &[&str], i: usize) -> bool {
    toks.get(i).is_some_and(|t| t.eq_ignore_ascii_case("tas"))
        && toks
            .get(i + 1)
            .is_some_and(|t| t.eq_ignore_ascii_case("fram"))
}

fn starts_value(toks: &[&str], i: usize) -> bool {
    is_tas_fram(toks, i)
        || toks
            .get(i)
            .is_some_and(|t| t.chars().next().is_some_and(|c| c.is_ascii_digit()))
}

fn is_digits(t: &str) -> bool {
    !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
}

/// Splits "X Y" (both cells filled) into two values: "70 % 70 %",
/// "19 Tas fram av nämnd", "83 82", "40 000 kr 50 000 kr".
fn split_two(v: &str) -> Option<(String, String)> {
    let toks: Vec<&str> = v.split_whitespace().collect();
    if !starts_value(&toks, 0) {
        return None;
    }
    for k in 1..toks.len() {
        if !starts_value(&toks, k) {
            continue;
        }
        let cur = toks.get(k).copied().unwrap_or("");
        let prev = toks.get(k - 1).copied().unwrap_or("");
        if is_thousands_group(cur) && is_digits(prev) {
            let after = toks.get(k + 1).copied().unwrap_or("");
            if is_unit(after) || is_thousands_group(after) {
                continue;
            }
        }
        let a = toks.get(..k).map(|s| s.join(" ")).unwrap_or_default();
        let b = toks.get(k..).map(|s| s.join(" ")).unwrap_or_default();
        return Some((a, b));
    }
    None
}

/// Start index of a value at the right end of `toks`.
fn value_from_right(toks: &[&str]) -> Option<usize> {
    let n = toks.len();
    let last = *toks.last()?;
    let mut start = if is_unit(last) && n >= 2 && toks.get(n - 2).is_some_and(|t| is_number(t)) {
        n - 2
    } else if is_number(last) {
        return Some(n - 1);
    } else {
        let i = (0..n).rev().find(|&i| is_tas_fram(toks, i))?;
        return Some(i);
    };
    while start >= 2
        && toks.get(start).is_some_and(|t| is_thousands_group(t))
        && toks.get(start - 1).is_some_and(|t| is_digits(t))
    {
        start -= 1;
    }
    if start >= 1
        && toks.get(start).is_some_and(|t| is_thousands_group(t))
        && toks
            .get(start - 1)
            .is_some_and(|t| is_digits(t) && t.len() <= 3)
    {
        start -= 1;
    }
    Some(start)
}

fn opt(s: String) -> Option<String> {
    if s.is_empty() { None } else { Some(s) }
}

fn is_tas_fram_text(v: &str) -> bool {
    let toks: Vec<&str> = v.split_whitespace().collect();
    is_tas_fram(&toks, 0)
}

/// Reads (target, council target) from the value cells of a plan row whose
/// name is on other lines.
fn values_only(
    v: &str,
    leading_space: bool,
    council_empty: bool,
    inner_double: Option<(String, String)>,
) -> (Option<String>, Option<String>) {
    let v = collapse_ws(v);
    if v.is_empty() {
        return (None, None);
    }
    if leading_space {
        return (None, Some(v));
    }
    if council_empty {
        return (Some(v), None);
    }
    if let Some((a, b)) = inner_double {
        return (opt(a), opt(b));
    }
    if let Some((a, b)) = split_two(&v) {
        return (Some(a), Some(b));
    }
    if is_tas_fram_text(&v) {
        return (None, Some(v));
    }
    (Some(v), None)
}

/// Reads a one-line plan row "name target council" (periodicity removed).
/// Returns (name, target, council target).
fn single_line(prefix: &str) -> (String, Option<String>, Option<String>) {
    let council_empty = prefix.ends_with("  ") && !prefix.trim().is_empty();
    let body = prefix.trim();
    if let Some(p) = body.find("  ") {
        let name = collapse_ws(body.get(..p).unwrap_or(""));
        let rest = collapse_ws(body.get(p..).unwrap_or(""));
        if rest.is_empty() {
            return (name, None, None);
        }
        if let Some((a, b)) = split_two(&rest) {
            return (name, Some(a), Some(b));
        }
        if council_empty {
            return (name, Some(rest), None);
        }
        return (name, None, Some(rest));
    }
    let toks: Vec<&str> = body.split_whitespace().collect();
    let Some(s2) = value_from_right(&toks) else {
        return (collapse_ws(body), None, None);
    };
    let second = toks.get(s2..).map(|s| s.join(" ")).unwrap_or_default();
    let head = toks.get(..s2).unwrap_or(&[]);
    // A second value only if it is numeric or "Tas fram …" and something is left for the name.
    let s1 = value_from_right(head).filter(|&s| s > 0);
    match s1 {
        Some(s1) => {
            let first = head.get(s1..).map(|s| s.join(" ")).unwrap_or_default();
            let name = head.get(..s1).map(|s| s.join(" ")).unwrap_or_default();
            (name, Some(first), Some(second))
        }
        None => {
            let name = head.join(" ");
            if council_empty || !is_tas_fram_text(&second) {
                (name, Some(second), None)
            } else {
                (name, None, Some(second))
            }
        }
    }
}

/// Splits a plan row line into (text before the periodicity, periodicity).
fn split_period(raw: &str) -> Option<(&str, &'static str)> {
    let t = raw.trim_end();
    let last = t.split_whitespace().last()?;
    let p = PERIODS.iter().find(|p| **p == last)?;
    let cut = t.len().checked_sub(last.len())?;
    Some((t.get(..cut)?, p))
}

// ------------------------------------------------------ plan indicators

/// Reader of a plan indicator table ("Indikator Årsmål KF:s årsmål … Periodicitet").
pub struct PlanIndicators<'a> {
    goal: Option<usize>,
    blocks: Vec<Vec<Tok<'a>>>,
    cur: Vec<Tok<'a>>,
    cont: bool,
    last: Option<usize>,
}

impl<'a> PlanIndicators<'a> {
    pub fn new(goal: Option<usize>) -> Self {
        PlanIndicators {
            goal,
            blocks: Vec::new(),
            cur: Vec::new(),
            cont: false,
            last: None,
        }
    }

    fn close_block(&mut self) {
        self.cont = false;
        if !self.cur.is_empty() {
            self.blocks.push(std::mem::take(&mut self.cur));
        }
    }

    /// A repeated header (page break) splits nothing: it only ends a block.
    pub fn header_repeat(&mut self) {
        self.close_block();
    }

    pub fn feed(&mut self, t: Tok<'a>, sink: &mut Sink<'_>) {
        match t.kind {
            Kind::Empty | Kind::Blank => self.close_block(),
            _ => {
                let is_term = split_period(t.raw).is_some();
                if self.cur.is_empty()
                    && self.blocks.is_empty()
                    && !is_term
                    && starts_lowercase(t.raw)
                    && self.last.is_some()
                {
                    self.cont = true;
                }
                if self.cont {
                    if let Some(ind) = self.last.and_then(|i| sink.indicators.get_mut(i)) {
                        join_words(&mut ind.name, t.raw);
                    }
                    return;
                }
                self.cur.push(t);
                if is_term {
                    self.close_block();
                    self.finish_row(sink);
                } else if self.cur.len() + self.blocks.iter().map(Vec::len).sum::<usize>()
                    > MAX_ROW_LINES
                {
                    self.drop_pending(sink);
                }
            }
        }
    }

    fn finish_row(&mut self, sink: &mut Sink<'_>) {
        let blocks = std::mem::take(&mut self.blocks);
        let Some(last_block) = blocks.last() else {
            return;
        };
        let Some(term) = last_block.last().copied() else {
            return;
        };
        let Some((prefix, period)) = split_period(term.raw) else {
            return;
        };
        let first_line = blocks
            .first()
            .and_then(|b| b.first())
            .map(|t| t.no)
            .unwrap_or(term.no);
        let Some(goal) = self.goal else {
            warn(
                sink.warnings,
                first_line,
                "indikatorrad före första målet ignorerades".to_string(),
            );
            return;
        };
        let is_value_block = |b: &Vec<Tok<'_>>| -> bool {
            let Some(first) = b.first() else { return false };
            let text = if first.no == term.no {
                prefix
            } else {
                first.raw
            };
            let toks: Vec<&str> = text.split_whitespace().collect();
            toks.is_empty() || starts_value(&toks, 0)
        };
        let last_is_value = is_value_block(last_block);
        let mut name_lines: Vec<&str> = Vec::new();
        let mut value_lines: Vec<&str> = Vec::new();
        let nb = blocks.len();
        for (bi, b) in blocks.iter().enumerate() {
            let is_last = bi + 1 == nb;
            if is_last && !last_is_value {
                for t in b.iter().take(b.len().saturating_sub(1)) {
                    name_lines.push(t.raw);
                }
            } else if is_last || (is_value_block(b) && !name_lines.is_empty()) {
                for t in b {
                    value_lines.push(if t.no == term.no { prefix } else { t.raw });
                }
            } else {
                for t in b {
                    name_lines.push(t.raw);
                }
            }
        }
        let (name, target, council) = if last_is_value {
            let leading_space = value_lines
                .iter()
                .find(|l| !l.trim().is_empty())
                .is_some_and(|l| l.starts_with(char::is_whitespace));
            let council_empty = prefix.ends_with("  ") && !prefix.trim().is_empty();
            let inner = value_lines
                .iter()
                .find(|l| !l.trim().is_empty())
                .and_then(|l| {
                    let t = l.trim();
                    t.find("  ").map(|p| {
                        (
                            collapse_ws(t.get(..p).unwrap_or("")),
                            collapse_ws(t.get(p..).unwrap_or("")),
                        )
                    })
                });
            let v = join_lines(value_lines.iter().copied());
            let (a, b) = values_only(&v, leading_space, council_empty, inner);
            (join_lines(name_lines.iter().copied()), a, b)
        } else {
            let (tail, a, b) = single_line(prefix);
            name_lines.push(&tail);
            (join_lines(name_lines.iter().copied()), a, b)
        };
        if name.is_empty() {
            warn(
                sink.warnings,
                first_line,
                "indikatorrad utan namn ignorerades".to_string(),
            );
            return;
        }
        let mut ind = indicator(goal, name);
        ind.target = target;
        ind.council_target = council;
        ind.periodicity = Some(period.to_string());
        sink.indicators.push(ind);
        self.last = Some(sink.indicators.len() - 1);
    }

    pub fn finish(mut self, sink: &mut Sink<'_>) {
        self.drop_pending(sink);
    }

    fn drop_pending(&mut self, sink: &mut Sink<'_>) {
        self.close_block();
        let blocks = std::mem::take(&mut self.blocks);
        let lines: Vec<&Tok<'_>> = blocks.iter().flatten().collect();
        if let Some(first) = lines.first() {
            let text = join_lines(lines.iter().map(|t| t.raw));
            warn(
                sink.warnings,
                first.no,
                format!(
                    "indikatorrad utan periodicitet ignorerades: «{}»",
                    excerpt(&text)
                ),
            );
        }
    }
}

// ------------------------------------------------------ plan activities

/// Reader of a plan activity table ("Aktivitet Startdatum Slutdatum").
pub struct PlanActivities<'a> {
    goal: Option<usize>,
    pending: Vec<Tok<'a>>,
    cont: bool,
    last: Option<usize>,
}

impl<'a> PlanActivities<'a> {
    pub fn new(goal: Option<usize>) -> Self {
        PlanActivities {
            goal,
            pending: Vec::new(),
            cont: false,
            last: None,
        }
    }

    pub fn header_repeat(&mut self) {
        self.cont = false;
    }

    pub fn feed(&mut self, t: Tok<'a>, sink: &mut Sink<'_>) {
        if t.kind.is_gap() {
            self.cont = false;
            return;
        }
        let ends_with_dates = t.raw.split_whitespace().last().is_some_and(is_date);
        if self.pending.is_empty()
            && !ends_with_dates
            && starts_lowercase(t.raw)
            && self.last.is_some()
        {
            self.cont = true;
        }
        if self.cont {
            if let Some(a) = self.last.and_then(|i| sink.activities.get_mut(i)) {
                join_words(&mut a.title, t.raw);
            }
            return;
        }
        self.pending.push(t);
        let prev_ends_with_date = self
            .pending
            .len()
            .checked_sub(2)
            .and_then(|i| self.pending.get(i))
            .and_then(|p| p.raw.split_whitespace().last())
            .is_some_and(is_date);
        let mut words = t.raw.split_whitespace().rev();
        let last_two_dates = words.next().is_some_and(is_date) && words.next().is_some_and(is_date);
        let only_date = ends_with_dates && t.raw.split_whitespace().count() == 1;
        if last_two_dates || (only_date && prev_ends_with_date) {
            self.try_row(sink);
        } else if self.pending.len() > MAX_ROW_LINES {
            self.drop_pending(sink);
        }
    }

    fn try_row(&mut self, sink: &mut Sink<'_>) {
        // Words of the pending row with their line index, dates read from the right end.
        let words: Vec<(usize, &str)> = self
            .pending
            .iter()
            .enumerate()
            .flat_map(|(li, t)| t.raw.split_whitespace().map(move |w| (li, w)))
            .collect();
        let n = words.len();
        if n < 2 {
            return;
        }
        let (Some((_, end)), Some((_, start))) = (words.get(n - 1), words.get(n - 2)) else {
            return;
        };
        if !is_date(end) || !is_date(start) {
            return;
        }
        let (start, end) = (start.to_string(), end.to_string());
        let mut per_line: Vec<String> = vec![String::new(); self.pending.len()];
        for (li, w) in words.iter().take(n - 2) {
            if let Some(s) = per_line.get_mut(*li) {
                if !s.is_empty() {
                    s.push(' ');
                }
                s.push_str(w);
            }
        }
        let title = join_lines(per_line.iter().map(String::as_str));
        let first_line = self.pending.first().map(|t| t.no).unwrap_or(0);
        self.pending.clear();
        let Some(goal) = self.goal else {
            warn(
                sink.warnings,
                first_line,
                "aktivitet före första målet ignorerades".to_string(),
            );
            return;
        };
        if title.is_empty() {
            warn(
                sink.warnings,
                first_line,
                "aktivitetsrad utan titel ignorerades".to_string(),
            );
            return;
        }
        sink.activities.push(Activity {
            goal,
            title,
            start: Some(start),
            end: Some(end),
            status: None,
            analysis: None,
        });
        self.last = Some(sink.activities.len() - 1);
    }

    pub fn finish(mut self, sink: &mut Sink<'_>) {
        self.drop_pending(sink);
    }

    fn drop_pending(&mut self, sink: &mut Sink<'_>) {
        let pending = std::mem::take(&mut self.pending);
        if let Some(first) = pending.first() {
            let text = join_lines(pending.iter().map(|t| t.raw));
            warn(
                sink.warnings,
                first.no,
                format!(
                    "aktivitetsrad utan start- och slutdatum ignorerades: «{}»",
                    excerpt(&text)
                ),
            );
        }
    }
}

// ------------------------------------------------ tab-separated tables

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TabKind {
    Indicators,
    Activities,
    Complaints,
}

#[derive(Debug, Default, Clone)]
struct Cols {
    name: Option<usize>,
    outcome: Option<usize>,
    men: Option<usize>,
    women: Option<usize>,
    previous: Option<usize>,
    target: Option<usize>,
    council: Option<usize>,
    period: Option<usize>,
    periodicity: Option<usize>,
    group: Option<usize>,
    category: Option<usize>,
    t1: Option<usize>,
    t2: Option<usize>,
    annual: Option<usize>,
    total: Option<usize>,
    assessment: Option<usize>,
    leading_empty: bool,
}

fn cells(raw: &str) -> Vec<String> {
    raw.split('\t').map(collapse_ws).collect()
}

fn map_cols(kind: TabKind, raw: &str) -> Cols {
    let mut c = Cols::default();
    let cs = cells(raw);
    c.leading_empty = cs.first().is_some_and(|s| s.is_empty());
    for (i, cell) in cs.iter().enumerate() {
        let l = cell.to_lowercase();
        if l.is_empty() {
            continue;
        }
        match kind {
            TabKind::Indicators | TabKind::Activities => {
                if l.starts_with("indikator") || l.starts_with("aktivitet") {
                    c.name.get_or_insert(i);
                } else if l.contains("män") || l.contains("pojkar") {
                    c.men.get_or_insert(i);
                } else if l.contains("kvinnor") || l.contains("flickor") {
                    c.women.get_or_insert(i);
                } else if l.contains("periodens utfall") || l == "utfall" {
                    c.outcome.get_or_insert(i);
                } else if l.starts_with("utfall") || l.contains("föregående") {
                    c.previous.get_or_insert(i);
                } else if l.starts_with("kf") {
                    c.council.get_or_insert(i);
                } else if l.starts_with("årsmål") || l == "mål" {
                    c.target.get_or_insert(i);
                } else if l.starts_with("periodicitet") {
                    c.periodicity.get_or_insert(i);
                } else if l == "period" {
                    c.period.get_or_insert(i);
                }
            }
            TabKind::Complaints => {
                if l.starts_with("uppdelning") {
                    c.group.get_or_insert(i);
                } else if l.contains("kategori") || l.starts_with("klagomål") {
                    c.category.get_or_insert(i);
                } else if l.contains("t1") {
                    c.t1.get_or_insert(i);
                } else if l.contains("t2") {
                    c.t2.get_or_insert(i);
                } else if l.contains("vb") || l.contains("helår") {
                    c.annual.get_or_insert(i);
                } else if l.starts_with("totalt") || l.contains("ack") {
                    c.total.get_or_insert(i);
                } else if l.starts_with("bedömning") || l.contains("åtgärder") {
                    c.assessment.get_or_insert(i);
                }
            }
        }
    }
    if kind == TabKind::Complaints {
        c.group.get_or_insert(0);
        c.category.get_or_insert(1);
    }
    c
}

const SYMBOLS: &[char] = &['✓', '✔', '✗', '✘', '●', '○', '◐', '◑', '⬤', '—', '■', '□'];

fn strip_symbols(s: &str) -> &str {
    s.trim_start_matches(|c: char| c.is_whitespace() || SYMBOLS.contains(&c))
}

fn is_symbol_cell(s: &str) -> bool {
    !s.is_empty() && strip_symbols(s).is_empty()
}

fn cell(cs: &[String], i: Option<usize>) -> Option<String> {
    i.and_then(|i| cs.get(i))
        .map(|s| collapse_ws(s))
        .and_then(opt)
}

fn parse_count(s: &str) -> Result<Option<i64>, ()> {
    let t = collapse_ws(s);
    if t.is_empty() || t == "-" || t == "–" {
        return Ok(None);
    }
    let t = t
        .strip_suffix("st.")
        .or_else(|| t.strip_suffix("st"))
        .unwrap_or(&t);
    let digits: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    digits.parse::<i64>().map(Some).map_err(|_| ())
}

enum Last {
    None,
    Activity(usize),
    Indicator(usize),
}

/// Reader of a tab-separated follow-up table.
pub struct TabTable {
    pub kind: TabKind,
    cols: Cols,
    goal: Option<usize>,
    last: Last,
    group: Option<String>,
    group_start: usize,
    after_break: bool,
}

impl TabTable {
    pub fn new(kind: TabKind, header: &str, goal: Option<usize>) -> Self {
        TabTable {
            kind,
            cols: map_cols(kind, header),
            goal,
            last: Last::None,
            group: None,
            group_start: 0,
            after_break: false,
        }
    }

    /// True if the line belongs to the table.
    pub fn accepts(&self, t: &Tok<'_>) -> bool {
        match t.kind {
            Kind::Empty | Kind::Blank => true,
            Kind::Text => {
                t.raw.contains('\t')
                    || (self.analysis_text(t.raw).is_some() && !matches!(self.last, Last::None))
            }
            _ => false,
        }
    }

    fn analysis_text(&self, raw: &str) -> Option<String> {
        let t = raw.trim_start();
        let rest = t.strip_prefix("Analys")?;
        if !rest.starts_with([' ', '\t', ':']) {
            return None;
        }
        let text = rest
            .trim_start_matches(':')
            .split('\t')
            .map(collapse_ws)
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        Some(text)
    }

    /// The header was printed again (page break).
    pub fn header_repeat(&mut self) {
        self.after_break = true;
    }

    pub fn feed(&mut self, t: Tok<'_>, sink: &mut Sink<'_>) {
        if t.kind.is_gap() {
            self.after_break = true;
            return;
        }
        if self.kind != TabKind::Complaints
            && let Some(text) = self.analysis_text(t.raw)
        {
            if text.is_empty() {
                return;
            }
            let target = match self.last {
                Last::Activity(i) => sink.activities.get_mut(i).map(|a| &mut a.analysis),
                Last::Indicator(i) => sink.indicators.get_mut(i).map(|a| &mut a.analysis),
                Last::None => None,
            };
            if let Some(slot) = target {
                match slot {
                    Some(existing) => join_words(existing, &text),
                    None => *slot = Some(text),
                }
            }
            return;
        }
        match self.kind {
            TabKind::Activities => self.activity_row(t, sink),
            TabKind::Indicators => self.indicator_row(t, sink),
            TabKind::Complaints => self.complaint_row(t, sink),
        }
    }

    fn row_cells(&self, raw: &str) -> Vec<String> {
        let mut cs = cells(raw);
        if self.cols.leading_empty
            && let Some(first) = cs.first()
            && !first.is_empty()
            && !is_symbol_cell(first)
        {
            cs.insert(0, String::new());
        }
        cs
    }

    fn activity_row(&mut self, t: Tok<'_>, sink: &mut Sink<'_>) {
        let cs = cells(t.raw);
        let dates: Vec<usize> = cs
            .iter()
            .enumerate()
            .filter(|(_, c)| is_date(c))
            .map(|(i, _)| i)
            .collect();
        let (Some(&si), Some(&ei)) = (dates.first(), dates.get(1)) else {
            warn(
                sink.warnings,
                t.no,
                format!(
                    "aktivitetsrad utan start- och slutdatum ignorerades: «{}»",
                    excerpt(&collapse_ws(t.raw))
                ),
            );
            return;
        };
        let before = cs.get(..si).unwrap_or(&[]);
        let done = before.iter().any(|c| c.starts_with(['✓', '✔']));
        let title = join_lines(before.iter().map(|c| strip_symbols(c)));
        let deviation = cs
            .get(ei + 1..)
            .unwrap_or(&[])
            .iter()
            .any(|c| c.eq_ignore_ascii_case("avvikelse"));
        let done = done
            || cs.get(ei + 1..).unwrap_or(&[]).iter().any(|c| {
                c.starts_with(['✓', '✔'])
                    || c.eq_ignore_ascii_case("genomförd")
                    || c.eq_ignore_ascii_case("klar")
            });
        // A status written out in words after the dates ("Pågår", "Ej påbörjad").
        let trailing = collapse_ws(&cs.get(ei + 1..).unwrap_or(&[]).join(" ")).to_lowercase();
        let named = ActivityStatus::ALL
            .into_iter()
            .find(|s| !trailing.is_empty() && trailing == s.label().to_lowercase());
        let Some(goal) = self.goal else {
            warn(
                sink.warnings,
                t.no,
                "aktivitet före första målet ignorerades".to_string(),
            );
            return;
        };
        if title.is_empty() {
            warn(
                sink.warnings,
                t.no,
                "aktivitetsrad utan titel ignorerades".to_string(),
            );
            return;
        }
        sink.activities.push(Activity {
            goal,
            title,
            start: cs.get(si).cloned(),
            end: cs.get(ei).cloned(),
            status: if deviation {
                Some(ActivityStatus::Deviation)
            } else if done {
                Some(ActivityStatus::Done)
            } else {
                named
            },
            analysis: None,
        });
        self.last = Last::Activity(sink.activities.len() - 1);
    }

    fn indicator_row(&mut self, t: Tok<'_>, sink: &mut Sink<'_>) {
        let cs = self.row_cells(t.raw);
        let name_col = self.cols.name.unwrap_or(0);
        let name = cs
            .get(name_col)
            .map(|c| collapse_ws(strip_symbols(c)))
            .unwrap_or_default();
        if name.is_empty() {
            return;
        }
        let Some(goal) = self.goal else {
            warn(
                sink.warnings,
                t.no,
                "indikator före första målet ignorerades".to_string(),
            );
            return;
        };
        let c = &self.cols;
        let mut ind = indicator(goal, name);
        ind.outcome = cell(&cs, c.outcome);
        ind.outcome_men = cell(&cs, c.men);
        ind.outcome_women = cell(&cs, c.women);
        ind.previous = cell(&cs, c.previous);
        ind.target = cell(&cs, c.target);
        ind.council_target = cell(&cs, c.council);
        ind.period = cell(&cs, c.period);
        ind.periodicity = cell(&cs, c.periodicity);
        if let Some(p) = &ind.period {
            sink.periods.push(p.clone());
        }
        sink.indicators.push(ind);
        self.last = Last::Indicator(sink.indicators.len() - 1);
    }

    fn complaint_row(&mut self, t: Tok<'_>, sink: &mut Sink<'_>) {
        let cs = cells(t.raw);
        let c = self.cols.clone();
        let group_cell = cell(&cs, c.group).unwrap_or_default();
        let category = cell(&cs, c.category).unwrap_or_default();
        if group_cell.is_empty() && category.is_empty() {
            return;
        }
        let after_break = std::mem::take(&mut self.after_break);
        let can_join = after_break
            && self
                .group
                .as_ref()
                .is_some_and(|g| g.len() + group_cell.len() < MAX_GROUP_CHARS);
        let group = if group_cell.is_empty() {
            self.group.clone().unwrap_or_default()
        } else if starts_lowercase(&group_cell) && can_join {
            let old = self.group.clone().unwrap_or_default();
            let joined = join_lines([old.as_str(), group_cell.as_str()]);
            for row in sink.complaints.iter_mut().skip(self.group_start) {
                if row.group == old {
                    row.group = joined.clone();
                }
            }
            self.group = Some(joined.clone());
            joined
        } else {
            self.group_start = sink.complaints.len();
            self.group = Some(group_cell.clone());
            group_cell
        };
        let mut num = |i: Option<usize>| -> Option<i64> {
            let raw = i.and_then(|i| cs.get(i)).map(String::as_str).unwrap_or("");
            match parse_count(raw) {
                Ok(v) => v,
                Err(()) => {
                    warn(
                        sink.warnings,
                        t.no,
                        format!("antal «{}» kunde inte läsas som ett heltal", excerpt(raw)),
                    );
                    None
                }
            }
        };
        let t1 = num(c.t1);
        let t2 = num(c.t2);
        let annual = num(c.annual);
        let total = num(c.total);
        sink.complaints.push(Complaint {
            group,
            category,
            t1,
            t2,
            annual,
            total,
            assessment: cell(&cs, c.assessment),
        });
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn split_two_values() {
        assert_eq!(split_two("70 % 70 %"), Some(("70 %".into(), "70 %".into())));
        assert_eq!(split_two("83 82"), Some(("83".into(), "82".into())));
        assert_eq!(
            split_two("19 Tas fram av nämnd/styrelse"),
            Some(("19".into(), "Tas fram av nämnd/styrelse".into()))
        );
        assert_eq!(
            split_two("40 000 kr 50 000 kr"),
            Some(("40 000 kr".into(), "50 000 kr".into()))
        );
        assert_eq!(split_two("1,5 kg CO2 per kg livsmedel"), None);
    }

    #[test]
    fn one_line_rows() {
        // both cells filled, single spaces
        assert_eq!(
            single_line("Antal ärenden 83 82 "),
            ("Antal ärenden".into(), Some("83".into()), Some("82".into()))
        );
        // name ending in a number range
        assert_eq!(
            single_line("Frånvaro dag 1-14 3 % Tas fram av nämnd "),
            (
                "Frånvaro dag 1-14".into(),
                Some("3 %".into()),
                Some("Tas fram av nämnd".into())
            )
        );
        // double space after the name: target empty
        assert_eq!(
            single_line("Nöjdhetsindex  83 "),
            ("Nöjdhetsindex".into(), None, Some("83".into()))
        );
        // double space before the periodicity: council target empty
        assert_eq!(
            single_line(" Utfasade plastlappar 90 %  "),
            ("Utfasade plastlappar".into(), Some("90 %".into()), None)
        );
    }

    #[test]
    fn value_rows_with_markers() {
        assert_eq!(
            values_only("Tas fram av nämnd", true, false, None),
            (None, Some("Tas fram av nämnd".into()))
        );
        assert_eq!(
            values_only("100 %", false, true, None),
            (Some("100 %".into()), None)
        );
        assert_eq!(values_only("", false, false, None), (None, None));
    }

    #[test]
    fn counts() {
        assert_eq!(parse_count("0 st"), Ok(Some(0)));
        assert_eq!(parse_count(""), Ok(None));
        assert_eq!(parse_count("1 200"), Ok(Some(1200)));
        assert!(parse_count("många").is_err());
    }

    #[test]
    fn periods() {
        assert_eq!(
            split_period("19 Tas fram Tertial "),
            Some(("19 Tas fram ", "Tertial"))
        );
        assert_eq!(split_period("  År"), Some(("  ", "År")));
        assert_eq!(split_period("Sjukfrånvaro år"), None);
    }
}
