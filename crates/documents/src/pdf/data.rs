//! The document as typst values. Nothing here writes typst markup: every text a user wrote
//! reaches the template as a string value, which typst prints literally, so quotes, `#`,
//! `*`, `$`, backslashes or `<script>` in a unit's name are just characters.
//!
//! Characters that no embedded font has are replaced here by a visible "�" with the code
//! point, and listed, so that nothing vanishes silently.

use super::fonts;
use crate::{Document, Printable};
use malkedja_domain::{
    ActivityStatus, Assessment, CascadeGoal, ComplaintRow, EconomyFigures, EconomyTable, GoalLevel,
    OrgKind, OrgNode, Placement, PlanSectionView, PrintedEconomy, ReportDocument, ReportKind,
    format_tkr,
};
use std::collections::BTreeSet;
use time::Date;
use typst::foundations::{Array, Dict, IntoValue, Str, Value};

/// What is printed for a text that is missing.
pub const MISSING: &str = "—";

/// Builds the template's input and collects the characters no font has.
pub struct Builder {
    missing: BTreeSet<char>,
    /// Characters to replace whatever the fonts' tables say: typst could not display them.
    refused: BTreeSet<char>,
}

/// A typst dictionary built field by field.
struct D(Dict);

impl D {
    fn new() -> D {
        D(Dict::new())
    }
    fn set(mut self, key: &str, value: impl IntoValue) -> D {
        self.0.insert(Str::from(key), value.into_value());
        self
    }
    fn value(self) -> Value {
        Value::Dict(self.0)
    }
}

fn array(items: impl IntoIterator<Item = Value>) -> Value {
    Value::Array(items.into_iter().collect::<Array>())
}

/// A date as the city writes it: 2026-01-23.
pub fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

impl Builder {
    pub fn new(refused: BTreeSet<char>) -> Builder {
        Builder {
            missing: BTreeSet::new(),
            refused,
        }
    }

    /// The characters replaced because no embedded font has them, in code point order.
    pub fn missing(self) -> Vec<char> {
        self.missing.into_iter().collect()
    }

    /// A user's text, safe to print: line endings normalised, characters without a glyph
    /// replaced by "�" and their code point. Controls other than line breaks and tabs count
    /// as without a glyph.
    pub fn text(&mut self, s: &str) -> String {
        let s = s.replace("\r\n", "\n").replace('\r', "\n");
        let mut out = String::with_capacity(s.len());
        let mut base = ' ';
        for c in s.chars() {
            let ok = if self.refused.contains(&c) {
                false
            } else if unicode_normalization::char::is_combining_mark(c) {
                fonts::covers_with(base, c)
            } else {
                base = c;
                is_invisible_format(c) || fonts::covers(c)
            };
            if c == '\t' {
                out.push(' ');
            } else if ok {
                out.push(c);
            } else {
                self.missing.insert(c);
                out.push_str(&format!("\u{FFFD}(U+{:04X})", c as u32));
            }
        }
        out
    }

    /// A one-line field: whitespace collapsed; empty prints "—". A number and its "%" are
    /// kept together by a no-break space, as Swedish typesetting does ("3 %").
    pub fn field(&mut self, s: &str) -> String {
        let t = s
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace(" %", "\u{a0}%");
        if t.is_empty() {
            MISSING.to_string()
        } else {
            self.text(&t)
        }
    }

    /// A table cell: a field whose words never break after a dash inside them ("1–14",
    /// "e-tjänster"): a word joiner follows such a dash. Lines then end only at spaces, and
    /// a cell read back from the text layer has its words as written.
    fn cell(&mut self, s: &str) -> String {
        keep_dashes(&self.field(s))
    }

    fn opt_cell(&mut self, s: Option<&str>) -> String {
        self.cell(s.unwrap_or(""))
    }

    /// Running text as blocks: paragraphs (blank lines between them) and bulleted list
    /// items (lines starting "• ", "- ", "– " or "* "). Each block is
    /// `(kind: "p" | "li", text)`; a paragraph's single line breaks are kept as "\n".
    pub fn blocks(&mut self, body: &str) -> Value {
        let body = body.replace("\r\n", "\n");
        let mut out: Vec<Value> = Vec::new();
        for chunk in body.split("\n\n") {
            let mut para: Vec<&str> = Vec::new();
            let flush = |para: &mut Vec<&str>, out: &mut Vec<Value>, b: &mut Builder| {
                if !para.is_empty() {
                    let t = b.text(&para.join("\n"));
                    out.push(D::new().set("kind", "p").set("text", t).value());
                    para.clear();
                }
            };
            for line in chunk.lines().map(str::trim).filter(|l| !l.is_empty()) {
                if let Some(item) = bullet(line) {
                    flush(&mut para, &mut out, self);
                    let t = self.text(item);
                    out.push(D::new().set("kind", "li").set("text", t).value());
                } else {
                    para.push(line);
                }
            }
            flush(&mut para, &mut out, self);
        }
        if out.is_empty() {
            out.push(D::new().set("kind", "p").set("text", MISSING).value());
        }
        array(out)
    }

    /// The whole input of the template.
    pub fn document(&mut self, p: &Printable<'_>) -> (Dict, DocInfo) {
        let memo = p.memo;
        let date = memo.date.unwrap_or(p.printed_on);
        let (unit, chain) = match p.document {
            Document::Plan(d) => (&d.unit, &d.chain),
            Document::Report(d) => (&d.unit, &d.chain),
        };
        let city = city_of(chain);
        let (kind, year, title) = match p.document {
            Document::Plan(d) => (
                "plan",
                d.plan.year,
                memo.title_or(|| malkedja_domain::Memo::plan_title(d.plan.year, &unit.name)),
            ),
            Document::Report(d) => (
                "report",
                d.year,
                memo.title_or(|| report_title(d.report.kind, d.year, &unit.name)),
            ),
        };
        let title = self.field(&title);
        let memo_value = D::new()
            .set("city", self.field(city))
            .set("unit", self.field(&unit.name))
            .set("case_number", self.field(&memo.case_number))
            .set("date", iso(date))
            .set("case_officer", self.field(&memo.case_officer))
            .set("addressee", self.field(&memo.addressee))
            .set("phone", self.field(&memo.phone))
            .set("proposal", self.blocks(&memo.proposal))
            .value();

        let mut doc = D::new()
            .set("kind", kind)
            .set("year", year as i64)
            .set("title", title)
            .set("memo", memo_value)
            .set(
                "date",
                D::new()
                    .set("year", date.year() as i64)
                    .set("month", u8::from(date.month()) as i64)
                    .set("day", date.day() as i64)
                    .value(),
            );
        match p.document {
            Document::Plan(d) => {
                let before = self.plan_sections(&d.sections_before);
                let goals = self.goals(&d.goals, None, year);
                let after = self.plan_sections(&d.sections_after);
                doc = doc
                    .set("before", before)
                    .set("goals", goals)
                    .set("after", after)
                    .set("economy", Value::None)
                    .set("complaints", Value::None);
            }
            Document::Report(r) => {
                let before = self.report_sections(r, Placement::BeforeCascade);
                let goals = self.goals(&r.goals, Some(r), year);
                let economy = self.economy(r);
                let after = self.report_sections(r, Placement::AfterCascade);
                let complaints = if r.complaints.is_empty() {
                    Value::None
                } else {
                    self.complaints(&r.complaints)
                };
                doc = doc
                    .set("before", before)
                    .set("goals", goals)
                    .set("economy", economy)
                    .set("after", after)
                    .set("complaints", complaints);
            }
        }
        let mut inputs = Dict::new();
        inputs.insert("doc".into(), doc.value());
        (inputs, DocInfo { date })
    }

    fn plan_sections(&mut self, sections: &[PlanSectionView]) -> Value {
        let mut out = Vec::new();
        for s in sections {
            // A section that asks for text but has none prints its heading and "—"; one
            // that only groups others prints its heading alone.
            let body = if s.body.trim().is_empty() && !s.children.is_empty() {
                Value::Array(Array::new())
            } else {
                self.blocks(&s.body)
            };
            out.push(
                D::new()
                    .set("heading", self.field(&s.heading))
                    .set("blocks", body)
                    .set("children", self.plan_sections(&s.children))
                    .value(),
            );
        }
        array(out)
    }

    fn report_sections(&mut self, r: &ReportDocument, placement: Placement) -> Value {
        let mut out = Vec::new();
        for s in r.sections.iter().filter(|s| s.placement == placement) {
            out.push(
                D::new()
                    .set("heading", self.field(&s.heading))
                    .set("blocks", self.blocks(&s.body))
                    .set("children", Value::Array(Array::new()))
                    .value(),
            );
        }
        array(out)
    }

    /// Goals in the document's order, except that under a board goal its unit goals come
    /// before its department goals (each with the unit goals under it): read as text, a
    /// unit goal then always belongs to the department goal above it, if there is one.
    fn goals(
        &mut self,
        goals: &[CascadeGoal],
        report: Option<&ReportDocument>,
        year: i32,
    ) -> Value {
        let mut ordered: Vec<&CascadeGoal> = goals.iter().collect();
        ordered.sort_by_key(|g| g.goal.level == GoalLevel::Department);
        let mut out = Vec::new();
        for g in ordered {
            out.push(self.goal(g, report, year));
        }
        array(out)
    }

    fn goal(&mut self, g: &CascadeGoal, report: Option<&ReportDocument>, year: i32) -> Value {
        let heading = self.text(&goal_heading(g));
        let sections: Vec<Value> = g
            .sections
            .iter()
            .map(|(s, body)| {
                D::new()
                    .set("heading", s.heading())
                    .set("blocks", self.blocks(body))
                    .value()
            })
            .collect();
        let assessment = report.and_then(|r| r.assessments.get(&g.goal.id));
        let assessment_value = match report {
            None => Value::None,
            Some(_) => {
                let a = assessment.and_then(|a| a.assessment);
                D::new()
                    .set("symbol", assessment_symbol(a))
                    .set("label", a.map(Assessment::label).unwrap_or("Ej bedömd"))
                    .set("code", a.map(Assessment::code).unwrap_or("none"))
                    .value()
            }
        };
        let analysis = match assessment.and_then(|a| a.analysis.as_deref()) {
            Some(t) if !t.trim().is_empty() => self.blocks(t),
            _ => Value::None,
        };
        // Women and men are columns when an indicator of the table is reported for them.
        let by_sex = g.indicators.iter().any(|i| i.indicator.by_sex);
        let mut indicators = Vec::new();
        let mut indicator_analyses = Vec::new();
        let mut charts = Vec::new();
        for i in &g.indicators {
            let name = self.cell(&i.indicator.name);
            let target = self.opt_cell(i.target.as_ref().map(|t| t.text()));
            let council = self.opt_cell(i.indicator.council_target.as_ref().map(|t| t.text()));
            let periodicity = i.indicator.periodicity.label();
            let row = match report {
                None => vec![name.clone(), target, council, periodicity.to_string()],
                Some(r) => {
                    let o = r.outcomes.get(&i.indicator.id);
                    if let Some(t) = o.and_then(|o| o.analysis.as_deref())
                        && !t.trim().is_empty()
                    {
                        indicator_analyses.push(
                            D::new()
                                .set("heading", format!("Analys – {name}"))
                                .set("blocks", self.blocks(t))
                                .value(),
                        );
                    }
                    if let Some(h) = r.history.get(&i.indicator.id)
                        && h.worth_a_chart()
                    {
                        charts.push(
                            D::new()
                                .set("title", format!("Utfall över tid: {name}"))
                                .set("svg", crate::chart::svg(h, "chart"))
                                .set("alt", crate::chart::description(h))
                                .value(),
                        );
                    }
                    let mut row = vec![
                        name.clone(),
                        self.opt_cell(o.and_then(|o| o.outcome.as_ref()).map(|m| m.text.as_str())),
                    ];
                    if by_sex && i.indicator.by_sex {
                        row.push(self.opt_cell(o.and_then(|o| o.men.as_deref())));
                        row.push(self.opt_cell(o.and_then(|o| o.women.as_deref())));
                    } else if by_sex {
                        // Empty for an indicator not reported for women and men.
                        row.extend([String::new(), String::new()]);
                    }
                    row.extend([
                        self.opt_cell(r.previous_outcome(i.indicator.id).as_deref()),
                        target,
                        council,
                        self.opt_cell(o.and_then(|o| o.period.as_deref())),
                    ]);
                    row
                }
            };
            indicators.push(array(row.into_iter().map(IntoValue::into_value)));
        }
        let mut activities = Vec::new();
        let mut activity_analyses = Vec::new();
        for a in &g.activities {
            let title = self.cell(&a.title);
            let mut row = vec![title.clone(), iso(a.start), iso(a.end)];
            if let Some(r) = report {
                let f = r.followups.get(&a.id);
                let status = f.and_then(|f| f.status);
                row.push(
                    status
                        .map(ActivityStatus::label)
                        .unwrap_or("Ej angiven")
                        .into(),
                );
                if let Some(t) = f.and_then(|f| f.analysis.as_deref())
                    && !t.trim().is_empty()
                {
                    let label = status.map(ActivityStatus::label).unwrap_or("Kommentar");
                    activity_analyses.push(
                        D::new()
                            .set("heading", format!("{label} – {title}"))
                            .set("blocks", self.blocks(t))
                            .value(),
                    );
                }
            }
            activities.push(array(row.into_iter().map(IntoValue::into_value)));
        }
        D::new()
            .set("level", g.goal.level.code())
            .set("heading", heading)
            .set(
                "owner",
                if g.inherited {
                    Value::Str(self.field(&g.owner_name).into())
                } else {
                    Value::None
                },
            )
            .set("assessment", assessment_value)
            .set("analysis", analysis)
            .set("sections", array(sections))
            .set("indicators", array(indicators))
            .set("by_sex", by_sex)
            .set("indicator_analyses", array(indicator_analyses))
            .set("charts", array(charts))
            .set("activities", array(activities))
            .set("activity_analyses", array(activity_analyses))
            .set("year", year as i64)
            .set("children", self.goals(&g.children, report, year))
            .value()
    }

    /// The economy (see `print_order::economy`): `none` when nothing is printed, else its
    /// heading, the table (`none` without figures: header, rows and the totals row, every
    /// amount as [`format_tkr`] prints it), the note under it, and the texts with their
    /// headings.
    fn economy(&mut self, r: &ReportDocument) -> Value {
        let Some(printed) = r.economy.printed(r.report.kind) else {
            return Value::None;
        };
        let table = match &printed.table {
            None => Value::None,
            Some(t) => {
                let mut row = |f: &EconomyFigures| -> Value {
                    let mut cells = vec![self.cell(&f.name)];
                    cells.extend(
                        t.amounts(f)
                            .into_iter()
                            .map(|a| a.map_or_else(|| MISSING.to_string(), format_tkr)),
                    );
                    array(cells.into_iter().map(IntoValue::into_value))
                };
                let rows: Vec<Value> = t.rows.iter().map(&mut row).collect();
                let totals = row(&t.totals);
                D::new()
                    .set(
                        "header",
                        array(t.header().into_iter().map(IntoValue::into_value)),
                    )
                    .set("rows", array(rows))
                    .set("totals", totals)
                    .set("note", EconomyTable::NOTE)
                    .value()
            }
        };
        let texts: Vec<Value> = printed
            .texts()
            .into_iter()
            .map(|(heading, text)| {
                D::new()
                    .set("heading", heading)
                    .set("blocks", self.blocks(text))
                    .value()
            })
            .collect();
        D::new()
            .set("heading", PrintedEconomy::HEADING)
            .set("table", table)
            .set("texts", array(texts))
            .value()
    }

    fn complaints(&mut self, rows: &[ComplaintRow]) -> Value {
        let num = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_else(|| MISSING.into());
        let mut out = Vec::new();
        let mut last_group: Option<&str> = None;
        for r in rows {
            let group = if last_group == Some(r.group.as_str()) {
                String::new()
            } else {
                self.cell(&r.group)
            };
            last_group = Some(r.group.as_str());
            let row = vec![
                group,
                self.cell(&r.category),
                num(r.t1),
                num(r.t2),
                num(r.annual),
                num(r.total),
                self.opt_cell(r.assessment.as_deref()),
            ];
            out.push(array(row.into_iter().map(IntoValue::into_value)));
        }
        array(out)
    }
}

/// The date for the PDF's metadata.
pub struct DocInfo {
    pub date: Date,
}

/// Zero-width and format characters that print nothing by design (joiners, variation
/// selectors, soft hyphens, direction marks): kept for typst to handle.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{E0100}'..='\u{E01EF}')
}

/// A word joiner after each dash inside a word.
fn keep_dashes(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, c) in chars.iter().enumerate() {
        out.push(*c);
        let inside = i > 0
            && chars.get(i - 1).is_some_and(|p| !p.is_whitespace())
            && chars.get(i + 1).is_some_and(|n| !n.is_whitespace());
        if matches!(c, '-' | '–' | '‐' | '/') && inside {
            out.push('\u{2060}');
        }
    }
    out
}

fn bullet(line: &str) -> Option<&str> {
    ["• ", "- ", "– ", "* "]
        .iter()
        .find_map(|b| line.strip_prefix(b))
        .map(str::trim)
}

/// The city: the root of the chain (the last node), or the first node of kind city.
fn city_of(chain: &[OrgNode]) -> &str {
    chain
        .iter()
        .find(|n| n.kind == OrgKind::City)
        .or(chain.last())
        .map(|n| n.name.as_str())
        .unwrap_or("")
}

/// A report's default title: "Verksamhetsberättelse 2025 för …".
pub fn report_title(kind: ReportKind, year: i32, unit: &str) -> String {
    format!("{} {year} för {unit}", kind.label())
}

/// "KF:s inriktningsmål: 1. Ett Stockholm …", "KF:s mål för verksamhetsområdet: 1.3 …",
/// "Nämndmål: …": the prefix, the number (a direction goal's with a full stop, as the
/// city's documents write it) and the title.
pub fn goal_heading(g: &CascadeGoal) -> String {
    let prefix = g.goal.level.heading_prefix();
    let title = g
        .goal
        .title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    match g
        .goal
        .number
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        Some(n) => {
            let n = if g.goal.level == GoalLevel::Direction && !n.ends_with('.') {
                format!("{n}.")
            } else {
                n.to_string()
            };
            format!("{prefix}: {n} {title}")
        }
        None => format!("{prefix}: {title}"),
    }
}

fn assessment_symbol(a: Option<Assessment>) -> &'static str {
    match a {
        Some(Assessment::Met) => "●",
        Some(Assessment::PartlyMet) => "◐",
        Some(Assessment::NotMet) => "○",
        Some(Assessment::NoData) | None => "—",
    }
}
