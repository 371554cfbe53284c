//! Page views: domain values arranged the way the pages print them. Templates cannot
//! recurse, so trees are flattened here into lists that carry their heading level.

use crate::text::{Block, blocks};
use malkedja_domain::{
    CascadeGoal, Decimal, OrgKind, OrgTree, Placement, PlanDocument, PlanSectionView,
    ReportDocument, UnitFacts, format_decimal_sv,
};

/// A link in the breadcrumb trail.
pub struct Crumb {
    pub href: String,
    pub label: String,
}

/// One node of the organisation tree as the start page lists it. `pre` holds only the
/// list tags that open or close nesting before this item (never user text).
pub struct TreeItem {
    pub pre: String,
    pub id: i64,
    pub href: Option<String>,
    pub name: String,
    pub kind: &'static str,
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
    let mut items = Vec::new();
    let mut prev: Option<usize> = None;
    for (depth, t) in &flat {
        let pre = match prev {
            None => String::new(),
            Some(p) if *depth > p => "<ul>".to_string(),
            Some(p) => format!("</li>{}", "</ul></li>".repeat(p - depth)),
        };
        let href = match t.node.kind {
            OrgKind::Unit => Some(format!("/enheter/{}", t.node.id)),
            _ => None,
        };
        items.push(TreeItem {
            pre,
            id: t.node.id.0,
            href,
            name: t.node.name.clone(),
            kind: t.node.kind.label(),
        });
        prev = Some(*depth);
    }
    let tail = match prev {
        Some(p) => format!("</li>{}", "</ul></li>".repeat(p)),
        None => String::new(),
    };
    (items, tail)
}

/// A section of the plan around the cascade.
pub struct SectionBlock {
    pub anchor: String,
    pub level: u8,
    pub heading: String,
    pub guidance: String,
    pub blocks: Vec<Block>,
    /// No text here nor below: shown as missing on screen, left out in print.
    pub empty: bool,
}

/// Whether a section is worth a heading: it or a section below it has text, or guidance
/// that asks for text. (Sections an import added for another unit stay out of the way.)
fn worth_showing(s: &PlanSectionView) -> bool {
    s.has_text() || !s.guidance.is_empty() || s.children.iter().any(worth_showing)
}

pub fn section_blocks(sections: &[PlanSectionView], level: u8, out: &mut Vec<SectionBlock>) {
    for s in sections.iter().filter(|s| worth_showing(s)) {
        out.push(SectionBlock {
            anchor: format!("avsnitt-{}", s.key),
            level: level.min(6),
            heading: s.heading.clone(),
            guidance: s.guidance.clone(),
            blocks: blocks(&s.body),
            empty: !s.has_text(),
        });
        section_blocks(&s.children, level + 1, out);
    }
}

pub struct IndicatorRow {
    pub name: String,
    pub target: String,
    pub council_target: String,
    pub periodicity: &'static str,
    pub direction: &'static str,
    /// Follow-up only: the period's outcome, split by gender, last year's, the period.
    pub outcome: String,
    pub men: String,
    pub women: String,
    pub previous: String,
    pub period: String,
    pub analysis: Vec<Block>,
}

pub struct ActivityRow {
    pub title: String,
    pub start: String,
    pub end: String,
    /// Follow-up only: "Genomförd", "Avvikelse" or "".
    pub status: &'static str,
    pub analysis: Vec<Block>,
}

/// A goal of the cascade as printed.
pub struct GoalBlock {
    pub anchor: String,
    pub level: u8,
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

    /// The heading level of the goal's own sections.
    pub fn sub_level(&self) -> u8 {
        (self.level + 1).min(6)
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
    level: u8,
    report: Option<&ReportDocument>,
    out: &mut Vec<GoalBlock>,
) {
    let text = |s: &Option<String>| s.clone().unwrap_or_default();
    for g in goals {
        let assessment = report.and_then(|r| r.assessments.get(&g.goal.id));
        out.push(GoalBlock {
            anchor: format!("mal-{}", g.goal.id),
            level: level.min(6),
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
                        outcome: o
                            .and_then(|o| o.outcome.as_ref())
                            .map(|m| m.text.clone())
                            .unwrap_or_default(),
                        men: o.map(|o| text(&o.men)).unwrap_or_default(),
                        women: o.map(|o| text(&o.women)).unwrap_or_default(),
                        previous: o.map(|o| text(&o.previous)).unwrap_or_default(),
                        period: o.map(|o| text(&o.period)).unwrap_or_default(),
                        analysis: o.map(|o| blocks(&text(&o.analysis))).unwrap_or_default(),
                    }
                })
                .collect(),
            activities: g
                .activities
                .iter()
                .map(|a| {
                    let f = report.and_then(|r| r.followups.get(&a.id));
                    ActivityRow {
                        title: a.title.clone(),
                        start: iso(a.start),
                        end: iso(a.end),
                        status: f
                            .and_then(|f| f.status)
                            .map(|s| s.label())
                            .unwrap_or_default(),
                        analysis: f.map(|f| blocks(&text(&f.analysis))).unwrap_or_default(),
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
        });
        goal_blocks(&g.children, level + 1, report, out);
    }
}

/// The table of contents of a plan or report: (anchor, label, heading level) of the
/// sections and goals down to level 3 (direction and area goals).
pub fn table_of_contents(
    before: &[SectionBlock],
    goals: &[GoalBlock],
    after: &[SectionBlock],
) -> Vec<(String, String, u8)> {
    let sections = |s: &[SectionBlock]| -> Vec<(String, String, u8)> {
        s.iter()
            .filter(|b| b.level <= 3)
            .map(|b| (b.anchor.clone(), b.heading.clone(), b.level))
            .collect()
    };
    let mut toc = sections(before);
    toc.extend(goals.iter().filter(|g| g.level <= 3).map(|g| {
        (
            g.anchor.clone(),
            format!("{} {}", g.number, g.title).trim().to_string(),
            g.level,
        )
    }));
    toc.extend(sections(after));
    toc
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
        section_blocks(&doc.sections_before, 2, &mut before);
        let mut goals = Vec::new();
        goal_blocks(&doc.goals, 2, None, &mut goals);
        let mut after = Vec::new();
        section_blocks(&doc.sections_after, 2, &mut after);
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

impl ReportView {
    pub fn new(doc: &ReportDocument) -> ReportView {
        let section = |placement: Placement| -> Vec<SectionBlock> {
            doc.sections
                .iter()
                .filter(|s| s.placement == placement)
                .enumerate()
                .map(|(i, s)| SectionBlock {
                    anchor: format!("avsnitt-{}-{i}", placement.code()),
                    level: 2,
                    heading: s.heading.clone(),
                    guidance: String::new(),
                    blocks: blocks(&s.body),
                    empty: s.body.trim().is_empty(),
                })
                .collect()
        };
        let mut goals = Vec::new();
        goal_blocks(&doc.goals, 2, Some(doc), &mut goals);
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
        }
    }
}

/// A budget in kronor as people say it: "28,5 mnkr" or "850 tkr".
pub fn budget_text(kr: Decimal) -> String {
    let million = Decimal::from(1_000_000);
    if kr.abs() >= million {
        format!("{} mnkr", format_decimal_sv((kr / million).round_dp(1)))
    } else {
        format!(
            "{} tkr",
            format_decimal_sv((kr / Decimal::from(1000)).round_dp(0))
        )
    }
}

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
    fn budgets_read_as_people_say_them() {
        assert_eq!(budget_text("28500000".parse().unwrap()), "28,5 mnkr");
        assert_eq!(budget_text("850000".parse().unwrap()), "850 tkr");
    }
}
