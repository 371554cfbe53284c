//! A plan or report in print order, the same for every format: the memo header, then the
//! headings, texts and tables from top to bottom, with the words the pages use
//! (`crates/web/templates/plan.html`, `report.html`). A format walks [`items`] and only
//! decides how each item looks. Guidance is never in it; missing text is "—".

use crate::{Document, Printable};
use malkedja_domain::{
    ActivityStatus, Assessment, CascadeGoal, Date, EconomyTable, Memo, Placement, PlanSectionView,
    PrintedEconomy, ReportDocument, ReportKind, Target, Year, format_tkr,
};

/// What a missing text, value or memo field prints as.
pub const MISSING: &str = "—";

/// The headings a table of contents lists: down to this level (the sections, the
/// council's direction and area goals), as the pages' table of contents does.
pub const TOC_DEPTH: u8 = 2;

/// The memo header (Tjänsteutlåtande) as printed: every field filled, "—" where empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The city: the root of the unit's chain.
    pub city: String,
    pub unit: String,
    pub case_number: String,
    pub date: Date,
    pub case_officer: String,
    pub addressee: String,
    pub phone: String,
    pub title: String,
    /// Förslag till beslut, as text blocks; "—" when empty.
    pub proposal: Vec<Block>,
}

pub use malkedja_domain::{Block, blocks};

/// One thing printed, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A heading; level 1 is the top (a section of the plan, a direction goal).
    Heading {
        level: u8,
        text: String,
    },
    /// Running text.
    Text(Vec<Block>),
    /// A short line in smaller print ("Beslutat av Stadsdelsnämnden.").
    Note(String),
    /// A goal's assessment in a report: symbol and word ("●", "Uppfylls helt").
    Assessment {
        symbol: &'static str,
        label: &'static str,
    },
    Table(Table),
}

/// Which table it is (formats may size columns by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    /// Indicator, Årsmål, KF:s årsmål år YYYY, Periodicitet.
    PlanIndicators,
    /// Indicator, outcomes, targets, period.
    ReportIndicators,
    /// Aktivitet, Startdatum, Slutdatum.
    PlanActivities,
    /// … and Status.
    ReportActivities,
    /// Område, Kategori, T1, T2, VB, Totalt, Bedömning och åtgärder.
    Complaints,
    /// Verksamhet, the amounts of the report's kind, Avvikelse mot budget; a totals row.
    Economy,
}

impl TableKind {
    /// Whether a column holds amounts, printed aligned to the right (its header too).
    pub fn is_amount(self, column: usize) -> bool {
        self == TableKind::Economy && column > 0
    }
}

/// A table: a caption, a header row (repeated on every page) and rows that never split.
/// The first cell of each row names the row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub kind: TableKind,
    pub caption: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Rows in a run with the same first cell belong to one group (the complaints table's
    /// Område): print the group's name once, over its rows.
    pub grouped: bool,
    /// A last row that sums the rows above it (the economy's Summa), printed in bold.
    pub totals: Option<Vec<String>>,
}

/// The symbol printed before an assessment, as the city's documents print it.
pub fn assessment_symbol(a: Assessment) -> &'static str {
    match a {
        Assessment::Met => "●",
        Assessment::PartlyMet => "◐",
        Assessment::NotMet => "○",
        Assessment::NoData => "—",
    }
}

/// An activity's status as a report prints it ("✓ Klar", "Avvikelse", "Pågår").
pub fn status_text(s: ActivityStatus) -> String {
    match s {
        ActivityStatus::Done => format!("✓ {}", s.label()),
        ActivityStatus::Deviation | ActivityStatus::NotStarted | ActivityStatus::Ongoing => {
            s.label().to_string()
        }
    }
}

/// The year the document is for.
pub fn year(p: &Printable<'_>) -> Year {
    match p.document {
        Document::Plan(d) => d.plan.year,
        Document::Report(r) => r.year,
    }
}

/// The unit's name.
pub fn unit_name<'a>(p: &Printable<'a>) -> &'a str {
    match p.document {
        Document::Plan(d) => &d.unit.name,
        Document::Report(r) => &r.unit.name,
    }
}

/// The default title of a report: "Verksamhetsberättelse 2025 för …".
pub fn report_title(kind: ReportKind, year: Year, unit: &str) -> String {
    format!("{} {year} för {unit}", kind.label())
}

/// The title printed: the memo's, or the default of the plan or report.
pub fn title(p: &Printable<'_>) -> String {
    let unit = unit_name(p);
    let year = year(p);
    match p.document {
        Document::Plan(_) => p.memo.title_or(|| Memo::plan_title(year, unit)),
        Document::Report(r) => p.memo.title_or(|| report_title(r.report.kind, year, unit)),
    }
}

fn or_missing(s: &str) -> String {
    let t = s.trim();
    if t.is_empty() {
        MISSING.to_string()
    } else {
        t.to_string()
    }
}

/// The memo header.
pub fn header(p: &Printable<'_>) -> Header {
    let chain = match p.document {
        Document::Plan(d) => &d.chain,
        Document::Report(r) => &r.chain,
    };
    let unit = unit_name(p);
    let proposal = blocks(&p.memo.proposal);
    Header {
        city: or_missing(chain.last().map_or(unit, |n| n.name.as_str())),
        unit: or_missing(unit),
        case_number: or_missing(&p.memo.case_number),
        date: p.memo.date.unwrap_or(p.printed_on),
        case_officer: or_missing(&p.memo.case_officer),
        addressee: or_missing(&p.memo.addressee),
        phone: or_missing(&p.memo.phone),
        title: title(p),
        proposal: if proposal.is_empty() {
            vec![Block::Paragraph(MISSING.into())]
        } else {
            proposal
        },
    }
}

/// Text blocks, or "—" when there is no text.
fn text_or_missing(text: &str) -> Item {
    let b = blocks(text);
    if b.is_empty() {
        Item::Text(vec![Block::Paragraph(MISSING.into())])
    } else {
        Item::Text(b)
    }
}

/// A value as written, or "—".
pub fn target_text(t: Option<&Target>) -> String {
    t.map_or_else(|| MISSING.to_string(), |t| or_missing(t.text()))
}

fn opt_text(s: Option<&str>) -> String {
    s.map_or_else(|| MISSING.to_string(), or_missing)
}

/// The document from top to bottom, after the memo header and the table of contents.
pub fn items(p: &Printable<'_>) -> Vec<Item> {
    let mut out = Vec::new();
    match p.document {
        Document::Plan(d) => {
            plan_sections(&d.sections_before, 1, &mut out);
            for g in &d.goals {
                goal(g, 1, d.plan.year, None, &mut out);
            }
            plan_sections(&d.sections_after, 1, &mut out);
        }
        Document::Report(r) => {
            report_sections(r, Placement::BeforeCascade, &mut out);
            for g in &r.goals {
                goal(g, 1, r.year, Some(r), &mut out);
            }
            economy(r, &mut out);
            report_sections(r, Placement::AfterCascade, &mut out);
            complaints(r, &mut out);
        }
    }
    out
}

/// The headings of a table of contents: levels 1 to [`TOC_DEPTH`], in order.
pub fn toc(items: &[Item]) -> Vec<(u8, &str)> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Heading { level, text } if *level <= TOC_DEPTH => Some((*level, text.as_str())),
            _ => None,
        })
        .collect()
}

/// Whether a section is worth a heading: it or a section below it has text, or guidance
/// that asks for text (as the pages decide).
fn worth_printing(s: &PlanSectionView) -> bool {
    s.has_text() || !s.guidance.is_empty() || s.children.iter().any(worth_printing)
}

fn plan_sections(sections: &[PlanSectionView], level: u8, out: &mut Vec<Item>) {
    for s in sections.iter().filter(|s| worth_printing(s)) {
        out.push(Item::Heading {
            level,
            text: s.heading.trim().to_string(),
        });
        let own = blocks(&s.body);
        if !own.is_empty() {
            out.push(Item::Text(own));
        } else if !s.children.iter().any(PlanSectionView::has_text) {
            // Asked for text and has none, nor below it.
            out.push(Item::Text(vec![Block::Paragraph(MISSING.into())]));
        }
        plan_sections(&s.children, level.saturating_add(1), out);
    }
}

fn report_sections(r: &ReportDocument, placement: Placement, out: &mut Vec<Item>) {
    for s in r.sections.iter().filter(|s| s.placement == placement) {
        out.push(Item::Heading {
            level: 1,
            text: s.heading.trim().to_string(),
        });
        out.push(text_or_missing(&s.body));
    }
}

/// "Nämndmål: 1.2 Titel", as the pages write a goal's heading.
fn goal_heading(g: &CascadeGoal) -> String {
    malkedja_domain::goal_heading(g).trim().to_string()
}

/// "Nämndmål 1.2 Titel": a goal named in a table's caption, as the pages do.
fn goal_name(g: &CascadeGoal) -> String {
    let number = g.goal.number.as_deref().unwrap_or("").trim();
    let sep = if number.is_empty() { "" } else { " " };
    format!(
        "{} {number}{sep}{}",
        g.goal.level.heading_prefix(),
        g.goal.title.trim()
    )
}

fn iso(d: Date) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    d.format(&fmt).unwrap_or_default()
}

fn goal(
    g: &CascadeGoal,
    level: u8,
    year: Year,
    report: Option<&ReportDocument>,
    out: &mut Vec<Item>,
) {
    let sub = level.saturating_add(1);
    out.push(Item::Heading {
        level,
        text: goal_heading(g),
    });
    let assessment = report.and_then(|r| r.assessments.get(&g.goal.id));
    match report {
        None if g.inherited => out.push(Item::Note(format!("Beslutat av {}.", g.owner_name))),
        None => {}
        Some(_) => {
            if let Some(a) = assessment.and_then(|a| a.assessment) {
                out.push(Item::Assessment {
                    symbol: assessment_symbol(a),
                    label: a.label(),
                });
            }
        }
    }
    for (section, body) in &g.sections {
        out.push(Item::Heading {
            level: sub,
            text: section.heading().to_string(),
        });
        out.push(text_or_missing(body));
    }
    if let Some(analysis) = assessment
        .and_then(|a| a.analysis.as_deref())
        .filter(|a| !a.trim().is_empty())
    {
        out.push(Item::Heading {
            level: sub,
            text: "Analys".into(),
        });
        out.push(text_or_missing(analysis));
    }
    if !g.indicators.is_empty() {
        indicators(g, year, report, sub, out);
    }
    if !g.activities.is_empty() {
        activities(g, report, sub, out);
    }
    for c in &g.children {
        goal(c, sub, year, report, out);
    }
}

fn indicators(
    g: &CascadeGoal,
    year: Year,
    report: Option<&ReportDocument>,
    sub: u8,
    out: &mut Vec<Item>,
) {
    let caption = format!("Indikatorer – {}", goal_name(g));
    match report {
        None => out.push(Item::Table(Table {
            kind: TableKind::PlanIndicators,
            caption,
            header: vec![
                "Indikator".into(),
                "Årsmål".into(),
                format!("KF:s årsmål år {year}"),
                "Periodicitet".into(),
            ],
            rows: g
                .indicators
                .iter()
                .map(|i| {
                    vec![
                        format!(
                            "{} ({})",
                            i.indicator.name.trim(),
                            i.indicator.direction.label().to_lowercase()
                        ),
                        target_text(i.target.as_ref()),
                        target_text(i.indicator.council_target.as_ref()),
                        i.indicator.periodicity.label().to_string(),
                    ]
                })
                .collect(),
            grouped: false,
            totals: None,
        })),
        Some(r) => {
            // Women and men are columns when an indicator of the table is reported for
            // them; the others' cells there are empty.
            let by_sex = g.indicators.iter().any(|i| i.indicator.by_sex);
            let mut header = vec!["Indikator", "Periodens utfall"];
            if by_sex {
                header.extend(["Utfall män", "Utfall kvinnor"]);
            }
            header.extend(["Utfall föregående år", "Årsmål", "KF:s årsmål", "Period"]);
            out.push(Item::Table(Table {
                kind: TableKind::ReportIndicators,
                caption,
                header: header.into_iter().map(String::from).collect(),
                rows: g
                    .indicators
                    .iter()
                    .map(|i| {
                        let o = r.outcomes.get(&i.indicator.id);
                        let mut row = vec![
                            or_missing(&i.indicator.name),
                            opt_text(o.and_then(|o| o.outcome.as_ref()).map(|m| m.text.as_str())),
                        ];
                        if by_sex {
                            let sex = |s: Option<&str>| {
                                if i.indicator.by_sex {
                                    opt_text(s)
                                } else {
                                    String::new()
                                }
                            };
                            row.push(sex(o.and_then(|o| o.men.as_deref())));
                            row.push(sex(o.and_then(|o| o.women.as_deref())));
                        }
                        row.extend([
                            opt_text(r.previous_outcome(i.indicator.id).as_deref()),
                            target_text(i.target.as_ref()),
                            target_text(i.indicator.council_target.as_ref()),
                            opt_text(o.and_then(|o| o.period.as_deref())),
                        ]);
                        row
                    })
                    .collect(),
                grouped: false,
                totals: None,
            }));
            for i in &g.indicators {
                if let Some(a) = r
                    .outcomes
                    .get(&i.indicator.id)
                    .and_then(|o| o.analysis.as_deref())
                    .filter(|a| !a.trim().is_empty())
                {
                    out.push(Item::Heading {
                        level: sub,
                        text: format!("Analys – {}", i.indicator.name.trim()),
                    });
                    out.push(text_or_missing(a));
                }
            }
        }
    }
}

fn activities(g: &CascadeGoal, report: Option<&ReportDocument>, sub: u8, out: &mut Vec<Item>) {
    let caption = format!("Aktiviteter – {}", goal_name(g));
    let mut header: Vec<String> = ["Aktivitet", "Startdatum", "Slutdatum"]
        .map(String::from)
        .to_vec();
    if report.is_some() {
        header.push("Status".into());
    }
    let rows = g
        .activities
        .iter()
        .map(|a| {
            let mut row = vec![or_missing(&a.title), iso(a.start), iso(a.end)];
            if let Some(r) = report {
                row.push(
                    r.followups
                        .get(&a.id)
                        .and_then(|f| f.status)
                        .map_or_else(|| MISSING.to_string(), status_text),
                );
            }
            row
        })
        .collect();
    out.push(Item::Table(Table {
        kind: if report.is_some() {
            TableKind::ReportActivities
        } else {
            TableKind::PlanActivities
        },
        caption,
        header,
        rows,
        grouped: false,
        totals: None,
    }));
    if let Some(r) = report {
        for a in &g.activities {
            let Some(f) = r.followups.get(&a.id) else {
                continue;
            };
            let Some(analysis) = f.analysis.as_deref().filter(|t| !t.trim().is_empty()) else {
                continue;
            };
            let what = f.status.map_or("Kommentar", ActivityStatus::label);
            out.push(Item::Heading {
                level: sub,
                text: format!("{what} – {}", a.title.trim()),
            });
            out.push(text_or_missing(analysis));
        }
    }
}

/// The economy, after the goals as in the city's documents: the table of the operations'
/// figures with the unit's totals, a note on how they are computed, then the analysis of
/// the deviations, Investeringar and Medel för lokaländamål. Nothing when it is empty.
fn economy(r: &ReportDocument, out: &mut Vec<Item>) {
    let Some(printed) = r.economy.printed(r.report.kind) else {
        return;
    };
    out.push(Item::Heading {
        level: 1,
        text: PrintedEconomy::HEADING.into(),
    });
    if let Some(t) = &printed.table {
        let row = |f: &malkedja_domain::EconomyFigures| -> Vec<String> {
            let mut cells = vec![or_missing(&f.name)];
            cells.extend(
                t.amounts(f)
                    .into_iter()
                    .map(|a| a.map_or_else(|| MISSING.to_string(), format_tkr)),
            );
            cells
        };
        out.push(Item::Table(Table {
            kind: TableKind::Economy,
            caption: t.caption().into(),
            header: t.header().into_iter().map(String::from).collect(),
            rows: t.rows.iter().map(row).collect(),
            grouped: false,
            totals: Some(row(&t.totals)),
        }));
        out.push(Item::Note(EconomyTable::NOTE.into()));
    }
    for (heading, text) in printed.texts() {
        out.push(Item::Heading {
            level: 2,
            text: heading.into(),
        });
        out.push(text_or_missing(text));
    }
}

fn complaints(r: &ReportDocument, out: &mut Vec<Item>) {
    if r.complaints.is_empty() {
        return;
    }
    let n = |v: Option<i64>| v.map_or_else(String::new, |v| v.to_string());
    out.push(Item::Heading {
        level: 1,
        text: "Redovisning av synpunkter och klagomål".into(),
    });
    out.push(Item::Table(Table {
        kind: TableKind::Complaints,
        caption: format!("Synpunkter, klagomål och avvikelser {} per tertial", r.year),
        header: [
            "Område",
            "Kategori",
            "T1",
            "T2",
            "VB",
            "Totalt",
            "Bedömning och åtgärder",
        ]
        .map(String::from)
        .to_vec(),
        rows: r
            .complaints
            .iter()
            .map(|c| {
                vec![
                    c.group.trim().to_string(),
                    c.category.trim().to_string(),
                    n(c.t1),
                    n(c.t2),
                    n(c.annual),
                    n(c.total),
                    c.assessment.as_deref().unwrap_or("").trim().to_string(),
                ]
            })
            .collect(),
        grouped: true,
        totals: None,
    }));
}

/// Text as XML 1.0 can carry it: control characters other than tab and line feed are
/// dropped (they cannot appear in an XML document, escaped or not), a carriage return too
/// (a line break is "\n"), and the two non-characters U+FFFE and U+FFFF.
pub fn xml_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| (c < ' ' && c != '\t' && c != '\n') || c == '\u{FFFE}' || c == '\u{FFFF}';
    if s.chars().any(bad) {
        std::borrow::Cow::Owned(s.chars().filter(|c| !bad(*c)).collect())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_lists() {
        let b = blocks("Första stycket\nfortsätter.\n\nVi ska:\n• göra det\n• och detta\nSlut.");
        assert_eq!(
            b,
            vec![
                Block::Paragraph("Första stycket\nfortsätter.".into()),
                Block::Paragraph("Vi ska:".into()),
                Block::List(vec!["göra det".into(), "och detta".into()]),
                Block::Paragraph("Slut.".into()),
            ]
        );
        assert!(blocks("  \n\n ").is_empty());
    }

    #[test]
    fn control_characters_are_dropped_and_the_rest_kept() {
        assert_eq!(xml_safe("a\u{1}b\u{7}c\r\nd\te"), "abc\nd\te");
        assert_eq!(xml_safe("<&\"'>"), "<&\"'>");
        assert!(matches!(
            xml_safe("ren text"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn every_assessment_has_a_symbol() {
        for a in Assessment::ALL {
            assert!(!assessment_symbol(a).is_empty());
        }
    }
}
