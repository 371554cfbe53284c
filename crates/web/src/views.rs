//! Page views: domain values arranged the way the pages print them. Templates cannot
//! recurse, so trees are flattened here into lists that carry their heading level.

use malkedja_domain::{Block, blocks};
use malkedja_domain::{
    CascadeGoal, Decimal, EconomyColumns, EconomyFigures, OrgKind, OrgTree, Placement,
    PlanDocument, PlanSectionView, ReportDocument, ReportEconomy, UnitFacts, economy_columns,
    format_tkr, report_sections,
};

/// A link in the breadcrumb trail.
#[derive(Debug, Clone)]
pub struct Crumb {
    pub href: String,
    pub label: String,
}

/// A heading's depth in the page's outline. Levels 1–6 are `<h1>`–`<h6>`; deeper levels
/// keep their depth for assistive technology as `role="heading"` with `aria-level`
/// (WCAG 1.3.1), styled like `<h6>`. Never capped: a unit goal's sections under five goal
/// levels are level 7.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Level(pub u8);

impl Level {
    /// One level deeper.
    pub fn next(self) -> Level {
        Level(self.0.saturating_add(1))
    }

    /// The opening tag's name and attributes, e.g. `h3` or
    /// `div role="heading" aria-level="7"` (only digits come from data: safe to print raw).
    pub fn open(self) -> String {
        match self.0 {
            1..=6 => format!("h{}", self.0),
            n => format!("div role=\"heading\" aria-level=\"{n}\""),
        }
    }

    /// The closing tag's name.
    pub fn close(self) -> &'static str {
        match self.0 {
            1 => "h1",
            2 => "h2",
            3 => "h3",
            4 => "h4",
            5 => "h5",
            6 => "h6",
            _ => "div",
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The list tags that nest items of the given depths into lists within lists: for each
/// item, the tags to print before its `<li>`, and the tags that close what is still open
/// after the last one. A deeper item opens one list inside the item before it, whatever
/// the jump; a shallower one closes back to the first open item at most as deep.
pub fn nesting<T: Ord + Copy>(depths: &[T]) -> (Vec<String>, String) {
    let mut open: Vec<T> = Vec::new();
    let mut pres = Vec::with_capacity(depths.len());
    for &d in depths {
        let mut pre = String::new();
        match open.last() {
            None => {}
            Some(&top) if d > top => pre.push_str("<ul>"),
            Some(_) => {
                pre.push_str("</li>");
                open.pop();
                while open.last().is_some_and(|&t| t >= d) {
                    pre.push_str("</ul></li>");
                    open.pop();
                }
            }
        }
        open.push(d);
        pres.push(pre);
    }
    let tail = if open.is_empty() {
        String::new()
    } else {
        format!("</li>{}", "</ul></li>".repeat(open.len() - 1))
    };
    (pres, tail)
}

/// One node of the organisation tree as the start page lists it. `pre` holds only the
/// list tags that open or close nesting before this item (never user text).
pub struct TreeItem {
    pub pre: String,
    pub id: i64,
    pub href: Option<String>,
    pub name: String,
    pub kind: &'static str,
    /// "Avvecklad 2025-04-01" for a closed node: its documents are still linked.
    pub closed: Option<String>,
    /// The node's roll-ups of its units' reports (a board, administration, department).
    pub rollup: Option<String>,
}

/// Flattens the organisation into nested-list items, depth first. Returns the items and
/// the tags that close the lists still open after the last item.
pub fn tree_items(forest: &[OrgTree]) -> (Vec<TreeItem>, String) {
    fn walk<'a>(t: &'a OrgTree, depth: usize, out: &mut Vec<(usize, &'a OrgTree)>) {
        out.push((depth, t));
        for c in &t.children {
            walk(c, depth + 1, out);
        }
    }
    let mut flat = Vec::new();
    for t in forest {
        walk(t, 0, &mut flat);
    }
    let depths: Vec<usize> = flat.iter().map(|(d, _)| *d).collect();
    let (pres, tail) = nesting(&depths);
    let items = flat
        .iter()
        .zip(pres)
        .map(|((_, t), pre)| TreeItem {
            pre,
            id: t.node.id.0,
            href: match t.node.kind {
                OrgKind::Unit => Some(format!("/enheter/{}", t.node.id)),
                _ => None,
            },
            name: t.node.name.clone(),
            kind: t.node.kind.label(),
            closed: t.node.closed_text(),
            rollup: malkedja_domain::has_rollup(t.node.kind)
                .then(|| crate::rollup::index_href(t.node.id)),
        })
        .collect();
    (items, tail)
}

/// A section of the plan around the cascade.
pub struct SectionBlock {
    pub key: String,
    pub anchor: String,
    pub level: Level,
    pub heading: String,
    pub guidance: String,
    pub blocks: Vec<Block>,
    /// No text here nor below: shown as missing on screen, left out in print.
    pub empty: bool,
    /// No text of its own: a writer's link says "Skriv" rather than "Redigera".
    pub own_empty: bool,
    /// For a person who may write it now: the address of its edit page.
    pub edit: Option<String>,
    /// Just saved: the page says so at the section.
    pub saved: bool,
    /// A part of a plan open for writing: whether it is marked ready ("Klar").
    pub ready: Option<crate::ready::ReadyView>,
}

/// Whether a section is worth a heading: it or a section below it has text, or guidance
/// that asks for text. (Sections an import added for another unit stay out of the way.)
fn worth_showing(s: &PlanSectionView) -> bool {
    s.has_text() || !s.guidance.is_empty() || s.children.iter().any(worth_showing)
}

pub fn section_blocks(sections: &[PlanSectionView], level: Level, out: &mut Vec<SectionBlock>) {
    for s in sections.iter().filter(|s| worth_showing(s)) {
        out.push(SectionBlock {
            key: s.key.clone(),
            anchor: format!("avsnitt-{}", s.key),
            level,
            heading: s.heading.clone(),
            guidance: s.guidance.clone(),
            blocks: blocks(&s.body),
            empty: !s.has_text(),
            own_empty: s.body.trim().is_empty(),
            edit: None,
            saved: false,
            ready: None,
        });
        section_blocks(&s.children, level.next(), out);
    }
}

/// A writer's actions on one of the plan's own indicators or activities.
pub struct ItemWriting {
    /// Its edit page ("/indikatorer/7"); moving posts to this address + "/flytta".
    pub edit: String,
    /// First or last of the owner's on its goal: it cannot move further that way.
    pub first: bool,
    pub last: bool,
}

pub struct IndicatorRow {
    pub id: i64,
    /// Whose it is: only its owner writes it.
    pub owner: malkedja_domain::NodeId,
    /// What a writer of the plan may do with it: edit it, move it.
    pub writing: Option<ItemWriting>,
    pub version: i64,
    pub name: String,
    pub target: String,
    pub council_target: String,
    pub periodicity: &'static str,
    pub direction: &'static str,
    /// Reported for women and men ([`malkedja_domain::Indicator::by_sex`]).
    pub by_sex: bool,
    /// Follow-up only: the period's outcome, split by gender (empty for an indicator not
    /// reported for women and men), last year's, the period.
    pub outcome: String,
    pub men: String,
    pub women: String,
    pub previous: String,
    pub period: String,
    pub analysis: Vec<Block>,
    /// A report open for writing: the form of the indicator's outcome.
    pub form: Option<crate::report_writing::OutcomeForm>,
    /// Follow-up only: the indicator's course over the years up to the report, when it has
    /// one to show ([`malkedja_domain::IndicatorSeries::worth_a_chart`]).
    pub chart: Option<crate::indicator_history::ChartView>,
}

pub struct ActivityRow {
    pub id: i64,
    pub owner: malkedja_domain::NodeId,
    pub writing: Option<ItemWriting>,
    pub version: i64,
    pub title: String,
    pub start: String,
    pub end: String,
    /// Follow-up only: "Ej påbörjad", "Pågår", "Klar", "Avvikelse" or "".
    pub status: &'static str,
    pub analysis: Vec<Block>,
    /// A report open for writing: the form of the activity's status.
    pub form: Option<crate::report_writing::ActivityForm>,
}

/// A goal of the cascade as printed.
pub struct GoalBlock {
    pub id: i64,
    pub version: i64,
    pub goal_level: malkedja_domain::GoalLevel,
    /// What a writer of the plan may do here; `None` when reading.
    pub writing: Option<GoalWriting>,
    /// An inherited goal's text revised since the plan's writers last saw it: the date.
    pub revised: Option<String>,
    pub anchor: String,
    pub level: Level,
    pub prefix: &'static str,
    pub code: &'static str,
    pub number: String,
    pub title: String,
    pub owner: String,
    pub inherited: bool,
    pub sections: Vec<(&'static str, Vec<Block>)>,
    pub indicators: Vec<IndicatorRow>,
    pub activities: Vec<ActivityRow>,
    /// Follow-up only: "Uppfylls helt" …, its code for styling, and the analysis.
    pub assessment: &'static str,
    pub assessment_code: &'static str,
    pub analysis: Vec<Block>,
    /// One of the unit's own goals in a plan open for writing, or a goal the report follows
    /// up while it is open: whether it is marked ready.
    pub ready: Option<crate::ready::ReadyView>,
    /// A report open for writing: the form of the goal's assessment.
    pub follow_up: Option<crate::report_writing::AssessmentForm>,
}

/// The actions a writer of a unit's plan has on one goal of it.
#[derive(Debug, Clone, Default)]
pub struct GoalWriting {
    /// The unit's own goal: edit, move, remove, add indicators and activities.
    pub own: bool,
    /// First or last among the unit's goals under the same goal (no move that way).
    pub first: bool,
    pub last: bool,
    /// An inherited board or department goal: "Lägg till enhetsmål" under it.
    pub add_goal: Option<String>,
}

impl GoalBlock {
    /// Whether any activity has an analysis to print below the table.
    pub fn has_activity_analysis(&self) -> bool {
        self.activities.iter().any(|a| !a.analysis.is_empty())
    }

    /// Whether any indicator has an analysis to print below the table.
    pub fn has_indicator_analysis(&self) -> bool {
        self.indicators.iter().any(|i| !i.analysis.is_empty())
    }

    /// Whether any of the goal's indicators has a chart of its course.
    pub fn has_charts(&self) -> bool {
        self.indicators.iter().any(|i| i.chart.is_some())
    }

    /// Whether the follow-up table has the columns for women and men: some indicator in
    /// it is reported for them (the others' cells are empty).
    pub fn by_sex(&self) -> bool {
        self.indicators.iter().any(|i| i.by_sex)
    }

    /// Whether the indicators are written here (forms) rather than read (a table).
    pub fn writes_indicators(&self) -> bool {
        self.indicators.iter().any(|i| i.form.is_some())
    }

    /// Whether anything of the goal's follow-up is written here.
    pub fn writes(&self) -> bool {
        self.follow_up.is_some() || self.writes_indicators() || self.writes_activities()
    }

    /// Whether the activities are written here (forms) rather than read (a table).
    pub fn writes_activities(&self) -> bool {
        self.activities.iter().any(|a| a.form.is_some())
    }

    /// The heading level of the goal's own sections.
    pub fn sub_level(&self) -> Level {
        self.level.next()
    }
}

fn iso(d: malkedja_domain::Date) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    d.format(&fmt).unwrap_or_default()
}

/// Flattens the cascade into goal blocks; with a report, each goal, indicator and activity
/// carries its follow-up.
pub fn goal_blocks(
    goals: &[CascadeGoal],
    level: Level,
    report: Option<&ReportDocument>,
    out: &mut Vec<GoalBlock>,
) {
    let text = |s: &Option<String>| s.clone().unwrap_or_default();
    for g in goals {
        let assessment = report.and_then(|r| r.assessments.get(&g.goal.id));
        out.push(GoalBlock {
            id: g.goal.id.0,
            version: g.goal.version,
            goal_level: g.goal.level,
            writing: None,
            revised: g.revised.map(|t| iso(t.date())),
            anchor: format!("mal-{}", g.goal.id),
            level,
            prefix: g.goal.level.heading_prefix(),
            code: g.goal.level.code(),
            number: g.goal.number.clone().unwrap_or_default(),
            title: g.goal.title.clone(),
            owner: g.owner_name.clone(),
            inherited: g.inherited,
            sections: g
                .sections
                .iter()
                .map(|(s, body)| (s.heading(), blocks(body)))
                .collect(),
            indicators: g
                .indicators
                .iter()
                .map(|i| {
                    let o = report.and_then(|r| r.outcomes.get(&i.indicator.id));
                    IndicatorRow {
                        id: i.indicator.id.0,
                        owner: i.indicator.owner_id,
                        writing: None,
                        version: i.indicator.version,
                        name: i.indicator.name.clone(),
                        target: i
                            .target
                            .as_ref()
                            .map(|t| t.text().to_string())
                            .unwrap_or_default(),
                        council_target: i
                            .indicator
                            .council_target
                            .as_ref()
                            .map(|t| t.text().to_string())
                            .unwrap_or_default(),
                        periodicity: i.indicator.periodicity.label(),
                        direction: i.indicator.direction.label(),
                        by_sex: i.indicator.by_sex,
                        outcome: o
                            .and_then(|o| o.outcome.as_ref())
                            .map(|m| m.text.clone())
                            .unwrap_or_default(),
                        men: o
                            .filter(|_| i.indicator.by_sex)
                            .map(|o| text(&o.men))
                            .unwrap_or_default(),
                        women: o
                            .filter(|_| i.indicator.by_sex)
                            .map(|o| text(&o.women))
                            .unwrap_or_default(),
                        previous: report
                            .and_then(|r| r.previous_outcome(i.indicator.id))
                            .unwrap_or_default(),
                        period: o.map(|o| text(&o.period)).unwrap_or_default(),
                        analysis: o.map(|o| blocks(&text(&o.analysis))).unwrap_or_default(),
                        form: None,
                        chart: report
                            .and_then(|r| r.history.get(&i.indicator.id))
                            .filter(|h| h.worth_a_chart())
                            .map(|h| {
                                crate::indicator_history::ChartView::new(
                                    h,
                                    format!("diagram-{}", i.indicator.id),
                                )
                                .titled(format!("Utfall över tid: {}", i.indicator.name))
                            }),
                    }
                })
                .collect(),
            activities: g
                .activities
                .iter()
                .map(|a| {
                    let f = report.and_then(|r| r.followups.get(&a.id));
                    ActivityRow {
                        id: a.id.0,
                        owner: a.owner_id,
                        writing: None,
                        version: a.version,
                        title: a.title.clone(),
                        start: iso(a.start),
                        end: iso(a.end),
                        status: f
                            .and_then(|f| f.status)
                            .map(|s| s.label())
                            .unwrap_or_default(),
                        analysis: f.map(|f| blocks(&text(&f.analysis))).unwrap_or_default(),
                        form: None,
                    }
                })
                .collect(),
            assessment: assessment
                .and_then(|a| a.assessment)
                .map(|a| a.label())
                .unwrap_or_default(),
            assessment_code: assessment
                .and_then(|a| a.assessment)
                .map(|a| a.code())
                .unwrap_or_default(),
            analysis: assessment
                .map(|a| blocks(&text(&a.analysis)))
                .unwrap_or_default(),
            ready: None,
            follow_up: None,
        });
        goal_blocks(&g.children, level.next(), report, out);
    }
}

/// An entry of a table of contents: where it leads, what it says, and the level of the
/// heading it leads to.
pub struct TocEntry {
    pub anchor: String,
    pub label: String,
    pub level: Level,
}

/// The headings a table of contents lists: down to this level (the sections and the
/// direction and area goals).
pub const TOC_DEPTH: Level = Level(3);

/// The entries of the table of contents of a plan or report, in page order.
pub fn table_of_contents(
    before: &[SectionBlock],
    goals: &[GoalBlock],
    after: &[SectionBlock],
) -> Vec<TocEntry> {
    let sections = |s: &[SectionBlock]| -> Vec<TocEntry> {
        s.iter()
            .filter(|b| b.level <= TOC_DEPTH)
            .map(|b| TocEntry {
                anchor: b.anchor.clone(),
                label: b.heading.clone(),
                level: b.level,
            })
            .collect()
    };
    let mut toc = sections(before);
    toc.extend(
        goals
            .iter()
            .filter(|g| g.level <= TOC_DEPTH)
            .map(|g| TocEntry {
                anchor: g.anchor.clone(),
                label: format!("{} {}", g.number, g.title).trim().to_string(),
                level: g.level,
            }),
    );
    toc.extend(sections(after));
    toc
}

/// A table of contents as nested lists that follow the headings' outline: each entry with
/// the list tags before it (never user text), and the tags that close the lists at the end.
pub struct Toc {
    pub items: Vec<(String, TocEntry)>,
    pub tail: String,
}

impl Toc {
    pub fn new(entries: Vec<TocEntry>) -> Toc {
        let levels: Vec<Level> = entries.iter().map(|e| e.level).collect();
        let (pres, tail) = nesting(&levels);
        Toc {
            items: pres.into_iter().zip(entries).collect(),
            tail,
        }
    }
}

/// Everything the plan page prints.
pub struct PlanView {
    pub before: Vec<SectionBlock>,
    pub goals: Vec<GoalBlock>,
    pub after: Vec<SectionBlock>,
}

impl PlanView {
    pub fn new(doc: &PlanDocument) -> PlanView {
        let mut before = Vec::new();
        section_blocks(&doc.sections_before, Level(2), &mut before);
        let mut goals = Vec::new();
        goal_blocks(&doc.goals, Level(2), None, &mut goals);
        let mut after = Vec::new();
        section_blocks(&doc.sections_after, Level(2), &mut after);
        PlanView {
            before,
            goals,
            after,
        }
    }
}

/// Everything a report page prints.
pub struct ReportView {
    pub before: Vec<SectionBlock>,
    pub goals: Vec<GoalBlock>,
    pub after: Vec<SectionBlock>,
    pub complaints: Vec<ComplaintLine>,
    /// The economy, when the report has one written (or is being written).
    pub economy: Option<EconomyView>,
}

/// A row of the complaints table. The first row of a group carries the group's name and
/// how many rows it spans; the rows after it have `group_span` 0.
pub struct ComplaintLine {
    pub group: String,
    pub group_span: usize,
    pub category: String,
    pub t1: String,
    pub t2: String,
    pub annual: String,
    pub total: String,
    pub assessment: String,
}

/// A report's economy as the page prints it: a row per operation with the figures the
/// report asks for, the totals computed from them, and the texts.
pub struct EconomyView {
    pub columns: EconomyColumns,
    pub rows: Vec<EconomyRow>,
    pub totals: EconomyRow,
    /// Some operation has a figure: the table is printed.
    pub has_figures: bool,
    pub analysis: Vec<Block>,
    pub investments: Vec<Block>,
    pub premises: Vec<Block>,
    /// Nothing written yet.
    pub empty: bool,
    /// For a writer of an open report: the economy's edit page.
    pub edit: Option<String>,
    pub saved: bool,
    pub ready: Option<crate::ready::ReadyView>,
}

/// One operation's figures (or the totals) and the deviation from the budget, each printed
/// by [`format_tkr`] as every printed form of the report prints them.
pub struct EconomyRow {
    pub name: String,
    pub budget: String,
    pub forecast: String,
    pub outcome: String,
    /// Budget less the outcome (annual report) or the forecast (T2): a surplus is positive.
    pub result: String,
}

impl EconomyRow {
    fn of(f: &EconomyFigures) -> EconomyRow {
        let amount = |d: Option<Decimal>| d.map(format_tkr).unwrap_or_default();
        EconomyRow {
            name: f.name.clone(),
            budget: amount(f.budget),
            forecast: amount(f.forecast),
            outcome: amount(f.outcome),
            result: amount(f.deviation),
        }
    }
}

impl EconomyView {
    /// The economy of a report of this kind; `None` when it has none (T1) or, unless
    /// `writing`, when nothing is written ([`ReportEconomy::is_empty`]: as the PDF and the
    /// Word document, which print nothing then).
    pub fn new(
        kind: malkedja_domain::ReportKind,
        economy: &ReportEconomy,
        writing: bool,
    ) -> Option<EconomyView> {
        let columns = economy_columns(kind)?;
        let empty = economy.is_empty();
        if empty && !writing {
            return None;
        }
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        let table = economy.table(columns);
        Some(EconomyView {
            columns,
            rows: table.rows.iter().map(EconomyRow::of).collect(),
            totals: EconomyRow::of(&table.totals),
            has_figures: economy.lines.iter().any(|l| l.has_figures()),
            analysis: blocks(&text(&economy.analysis)),
            investments: blocks(&text(&economy.investments)),
            premises: blocks(&text(&economy.premises)),
            empty,
            edit: None,
            saved: false,
            ready: None,
        })
    }
}

impl ReportView {
    /// The report as everyone reads it. With `template`, the sections of the report
    /// template it has not written yet are there too (empty), for its writers.
    pub fn new(doc: &ReportDocument, template: bool) -> ReportView {
        let sections = if template {
            report_sections(doc)
        } else {
            doc.sections.clone()
        };
        let guidance = |key: &str| {
            malkedja_domain::report_template(doc.report.kind)
                .into_iter()
                .find(|t| template && t.key == key)
                .map(|t| t.guidance.to_string())
                .unwrap_or_default()
        };
        let section = |placement: Placement| -> Vec<SectionBlock> {
            sections
                .iter()
                .filter(|s| s.placement == placement)
                .map(|s| SectionBlock {
                    anchor: format!("avsnitt-{}", s.key),
                    level: Level(2),
                    heading: s.heading.clone(),
                    guidance: guidance(&s.key),
                    blocks: blocks(&s.body),
                    empty: s.body.trim().is_empty(),
                    key: s.key.clone(),
                    own_empty: s.body.trim().is_empty(),
                    edit: None,
                    saved: false,
                    ready: None,
                })
                .collect()
        };
        let mut goals = Vec::new();
        goal_blocks(&doc.goals, Level(2), Some(doc), &mut goals);
        let n = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        let rows = &doc.complaints;
        let complaints = rows
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let starts = i == 0 || rows[i - 1].group != c.group;
                let group_span = if starts {
                    rows[i..].iter().take_while(|r| r.group == c.group).count()
                } else {
                    0
                };
                ComplaintLine {
                    group: c.group.clone(),
                    group_span,
                    category: c.category.clone(),
                    t1: n(c.t1),
                    t2: n(c.t2),
                    annual: n(c.annual),
                    total: n(c.total),
                    assessment: c.assessment.clone().unwrap_or_default(),
                }
            })
            .collect();
        ReportView {
            before: section(Placement::BeforeCascade),
            goals,
            after: section(Placement::AfterCascade),
            complaints,
            economy: EconomyView::new(doc.report.kind, &doc.economy, template),
        }
    }
}

/// A budget in kronor as people say it: "28,5 mnkr" or "850 tkr".
pub use malkedja_domain::budget_text;

/// Facts of a unit or operation as the unit page shows them.
pub struct FactsView {
    pub year: i32,
    pub managers: Vec<(String, String)>,
    pub staff: Vec<(String, i64, i64, i64)>,
    pub women: i64,
    pub men: i64,
    pub total: i64,
    pub clients: String,
    pub budget: String,
    pub meetings: Vec<(String, String)>,
}

impl FactsView {
    pub fn new(f: &UnitFacts) -> FactsView {
        let (women, men, total) = f.staff_totals();
        FactsView {
            year: f.year,
            managers: f
                .managers
                .iter()
                .map(|m| (m.title.clone(), m.name.clone()))
                .collect(),
            staff: f
                .staff
                .iter()
                .map(|s| (s.role.clone(), s.women, s.men, s.women + s.men))
                .collect(),
            women,
            men,
            total,
            clients: f
                .clients
                .map(|c| format!("{c} {}", f.clients_label))
                .unwrap_or_default(),
            budget: f.budget_kr.map(budget_text).unwrap_or_default(),
            meetings: f
                .staff_meetings
                .iter()
                .map(|m| {
                    let fmt = time::macros::format_description!("[year]-[month]-[day]");
                    (m.date.format(&fmt).unwrap_or_default(), m.label.clone())
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use malkedja_domain::{NodeId, OrgNode};

    fn tree(id: i64, kind: OrgKind, children: Vec<OrgTree>) -> OrgTree {
        OrgTree {
            node: OrgNode {
                id: NodeId(id),
                parent_id: None,
                kind,
                name: format!("N{id}"),
                position: 0,
                version: 1,
                closed: None,
            },
            children,
        }
    }

    #[test]
    fn tree_items_open_and_close_nesting() {
        let forest = vec![tree(
            1,
            OrgKind::City,
            vec![
                tree(
                    2,
                    OrgKind::Board,
                    vec![tree(3, OrgKind::Administration, vec![])],
                ),
                tree(4, OrgKind::Board, vec![]),
            ],
        )];
        let (items, tail) = tree_items(&forest);
        let shape: Vec<&str> = items.iter().map(|i| i.pre.as_str()).collect();
        assert_eq!(shape, ["", "<ul>", "<ul>", "</li></ul></li>"]);
        assert_eq!(tail, "</li></ul></li>");
    }

    #[test]
    fn headings_below_six_keep_their_level() {
        assert_eq!(Level(2).open(), "h2");
        assert_eq!(Level(6).close(), "h6");
        assert_eq!(
            Level(6).next().open(),
            r#"div role="heading" aria-level="7""#
        );
        assert_eq!(Level(9).close(), "div");
        assert_eq!(Level(255).next(), Level(255));
    }

    #[test]
    fn nesting_follows_the_outline() {
        let (pres, tail) = nesting(&[2, 3, 3, 2, 3]);
        assert_eq!(pres, ["", "<ul>", "</li>", "</li></ul></li>", "<ul>"]);
        assert_eq!(tail, "</li></ul></li>");
        // A jump of two opens one list; going back closes to the first item as shallow.
        let (pres, tail) = nesting(&[2, 4, 3]);
        assert_eq!(pres, ["", "<ul>", "</li>"]);
        assert_eq!(tail, "</li></ul></li>");
        assert_eq!(nesting::<u8>(&[]), (vec![], String::new()));
    }
}
