//! Page views: domain values arranged the way the pages print them. Templates cannot
//! recurse, so trees are flattened here into lists that carry their heading level.

use crate::text::{Block, blocks};
use malkedja_domain::{
    CascadeGoal, Decimal, OrgKind, OrgTree, PlanDocument, PlanSectionView, UnitFacts,
    format_decimal_sv,
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

pub fn section_blocks(sections: &[PlanSectionView], level: u8, out: &mut Vec<SectionBlock>) {
    for s in sections {
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
}

pub struct ActivityRow {
    pub title: String,
    pub start: String,
    pub end: String,
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
}

impl GoalBlock {
    /// The heading level of the goal's own sections.
    pub fn sub_level(&self) -> u8 {
        (self.level + 1).min(6)
    }
}

pub fn goal_blocks(goals: &[CascadeGoal], level: u8, out: &mut Vec<GoalBlock>) {
    for g in goals {
        let date = |d: malkedja_domain::Date| {
            let fmt = time::macros::format_description!("[year]-[month]-[day]");
            d.format(&fmt).unwrap_or_default()
        };
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
                .map(|i| IndicatorRow {
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
                })
                .collect(),
            activities: g
                .activities
                .iter()
                .map(|a| ActivityRow {
                    title: a.title.clone(),
                    start: date(a.start),
                    end: date(a.end),
                })
                .collect(),
        });
        goal_blocks(&g.children, level + 1, out);
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
        section_blocks(&doc.sections_before, 2, &mut before);
        let mut goals = Vec::new();
        goal_blocks(&doc.goals, 2, &mut goals);
        let mut after = Vec::new();
        section_blocks(&doc.sections_after, 2, &mut after);
        PlanView {
            before,
            goals,
            after,
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
