//! The roll-up (*sammanställning*): every unit under a board, administration or department
//! at once, for one year and one kind of report.
//!
//! # What it holds
//!
//! - **Columns: the goals followed up.** The rolled-up node's own goals of the year
//!   always; the goals of the nodes above it (the board's goals for a department, the
//!   council's area and direction goals) when at least one unit's report shows them. In
//!   the cascade's order: each goal followed by the goals under it.
//! - **Rows: the units** under the node, in the tree's order, each with its report's
//!   standing against the administration's deadline ([`Standing`]: not started, draft,
//!   submitted, approved, late) and one [`Cell`] per goal: the unit's assessment, or why
//!   there is none. A unit closed before the year began, and without a report, is left
//!   out.
//! - **Per goal, a [`Tally`]** of the units' assessments.
//! - **Per indicator on those goals, an [`IndicatorRollup`]**: every unit's outcome, the
//!   spread (lowest and highest), and an aggregate only where one is sound
//!   ([`aggregation`]):
//!   - counts ([`ValueKind::Number`] measured in something countable) are **summed**, the
//!     women and men too;
//!   - shares ([`ValueKind::Percent`]) are **weighted by their denominators** when every
//!     unit's outcome states one. Målkedja's outcomes do not carry denominators (a share
//!     is typed as "58,84 %"), so today shares are listed, never averaged: an average of
//!     shares of different sizes says nothing;
//!   - indexes, rates ("kg CO2e per kg livsmedel", "gram per portion", averages) and text
//!     are **listed**.
//!
//! # Who sees what
//!
//! The roll-up is built for one reader: [`build`] takes the policy's answer for each
//! unit's report (`may_read`, given the unit's chain and the report's status). A report
//! the reader may not read shows as [`Cell::Hidden`] and adds nothing to the tallies, the
//! outcomes or the aggregates, so that a sum never gives away a draft's figures. Whether a
//! report exists and its standing are public, as on the unit's page.

use crate::{
    Assessment, DeadlineKind, Deadlines, Decimal, Goal, GoalId, Indicator, IndicatorId,
    IndicatorSeries, Measure, NodeId, OrgKind, OrgNode, PlanStatus, ReportKind, SeriesPoint,
    Standing, Target, ValueKind, Year, administration_of, chains, name_key, not_later,
    period_order,
};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use time::Date;

/// The kinds of node a roll-up is made for: everything with units under it.
pub fn has_rollup(kind: OrgKind) -> bool {
    matches!(
        kind,
        OrgKind::City | OrgKind::Board | OrgKind::Administration | OrgKind::Department
    )
}

/// A unit's assessment of one goal as the roll-up reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UnitAssessment {
    pub assessment: Option<Assessment>,
    /// Whether the unit wrote an analysis of the goal.
    pub has_analysis: bool,
    /// The analysis itself, when it was read (the roll-up reads the texts of one goal
    /// only: the one whose own assessment is being written).
    pub analysis: Option<String>,
}

/// An indicator in a unit's report: the target the report states and the outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UnitIndicator {
    pub target: Option<Target>,
    pub outcome: Option<Measure>,
    pub women: Option<String>,
    pub men: Option<String>,
    /// The share's denominator, when the outcome states one. Outcomes do not carry one
    /// yet: always `None` from the store (see the module's description).
    pub denominator: Option<Decimal>,
}

/// One unit's report of the year and kind, as the store reads it for a roll-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitReport {
    pub unit_id: NodeId,
    pub report_id: i64,
    pub status: PlanStatus,
    /// The goals the report shows among those the roll-up may show (the rolled-up node's
    /// and the nodes' above it): the goals of its record and the goals above them.
    pub shown: HashSet<GoalId>,
    pub assessments: HashMap<GoalId, UnitAssessment>,
    /// The indicators of its record on those goals.
    pub indicators: HashMap<IndicatorId, UnitIndicator>,
}

/// The rolled-up node's own assessment and analysis of a goal: one versioned row per
/// node, goal, year and kind of report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RollupAssessment {
    pub owner_id: NodeId,
    pub goal_id: GoalId,
    pub year: Year,
    pub kind: ReportKind,
    pub assessment: Option<Assessment>,
    pub analysis: Option<String>,
    /// 0 while nothing is written.
    pub version: i64,
}

impl RollupAssessment {
    /// Nothing written yet (version 0).
    pub fn empty(owner_id: NodeId, goal_id: GoalId, year: Year, kind: ReportKind) -> Self {
        RollupAssessment {
            owner_id,
            goal_id,
            year,
            kind,
            assessment: None,
            analysis: None,
            version: 0,
        }
    }
}

/// Everything a roll-up is made from, as the store reads it in one snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollupData {
    /// The rolled-up node and its ancestors, from the node up.
    pub chain: Vec<OrgNode>,
    /// Every node below it but the operations (departments, units …).
    pub below: Vec<OrgNode>,
    pub year: Year,
    pub kind: ReportKind,
    /// The goals of the year owned by the node and the nodes above it.
    pub goals: Vec<Goal>,
    /// The indicators of the year on those goals.
    pub indicators: Vec<Indicator>,
    /// The units' reports of the year and kind.
    pub reports: Vec<UnitReport>,
    /// The deadlines of the year, of every administration that has set them.
    pub deadlines: Vec<Deadlines>,
    /// The node's own assessments of the year and kind.
    pub own: Vec<RollupAssessment>,
    /// The units' outcomes, in the periods up to this one, of the indicators whose
    /// outcomes are summed ([`Aggregation::Sum`]): what their charts are drawn from.
    pub history: Vec<PastOutcome>,
}

/// One unit's outcome of an indicator in one period, as the roll-up's charts read it. The
/// indicator is named by its owner and name, which is how it continues across years
/// ([`crate::series`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastOutcome {
    pub unit_id: NodeId,
    pub status: PlanStatus,
    pub year: Year,
    pub kind: ReportKind,
    pub owner: NodeId,
    pub name: String,
    pub outcome: Option<String>,
    pub women: Option<String>,
    pub men: Option<String>,
}

/// A unit's cell for one goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Cell {
    /// The unit has assessed the goal.
    Assessed {
        assessment: Assessment,
        /// It also wrote an analysis.
        analysis: bool,
    },
    /// The report shows the goal, but it is not assessed yet.
    NotAssessed,
    /// The unit's report does not follow up this goal.
    NotInReport,
    /// The unit has no report of this kind yet.
    NoReport,
    /// The reader may not read the report (a draft, for a reader without a role on the
    /// unit).
    Hidden,
}

impl Cell {
    pub fn code(self) -> &'static str {
        match self {
            Cell::Assessed { assessment, .. } => assessment.code(),
            Cell::NotAssessed => "not_assessed",
            Cell::NotInReport => "not_in_report",
            Cell::NoReport => "no_report",
            Cell::Hidden => "hidden",
        }
    }

    /// A symbol that tells the cells apart by shape, never by colour alone; always shown
    /// with [`Cell::word`].
    pub fn symbol(self) -> &'static str {
        match self {
            Cell::Assessed { assessment, .. } => match assessment {
                Assessment::Met => "✓",
                Assessment::PartlyMet => "◐",
                Assessment::NotMet => "✗",
                Assessment::NoData => "?",
            },
            Cell::NotAssessed => "…",
            Cell::NotInReport | Cell::NoReport | Cell::Hidden => "–",
        }
    }

    /// The word shown in the cell, short enough for a table ("Helt", "Delvis").
    pub fn word(self) -> &'static str {
        match self {
            Cell::Assessed { assessment, .. } => match assessment {
                Assessment::Met => "Helt",
                Assessment::PartlyMet => "Delvis",
                Assessment::NotMet => "Ej",
                Assessment::NoData => "Inga data",
            },
            Cell::NotAssessed => "Ej bedömt",
            Cell::NotInReport => "Ingår inte",
            Cell::NoReport => "Ingen rapport",
            Cell::Hidden => "Ej fastställd",
        }
    }

    /// In full, for a legend, a spreadsheet or a screen reader ("Uppfylls helt").
    pub fn label(self) -> &'static str {
        match self {
            Cell::Assessed { assessment, .. } => assessment.label(),
            Cell::NotAssessed => "Inte bedömt ännu",
            Cell::NotInReport => "Följs inte upp i enhetens rapport",
            Cell::NoReport => "Enheten har ingen rapport ännu",
            Cell::Hidden => "Rapporten är inte fastställd",
        }
    }

    /// Whether the cell leads to the goal in the unit's report.
    pub fn links(self) -> bool {
        matches!(self, Cell::Assessed { .. } | Cell::NotAssessed)
    }

    /// Every kind of cell, for a legend, in the order of a tally.
    pub const LEGEND: [Cell; 8] = [
        Cell::Assessed {
            assessment: Assessment::Met,
            analysis: false,
        },
        Cell::Assessed {
            assessment: Assessment::PartlyMet,
            analysis: false,
        },
        Cell::Assessed {
            assessment: Assessment::NotMet,
            analysis: false,
        },
        Cell::Assessed {
            assessment: Assessment::NoData,
            analysis: false,
        },
        Cell::NotAssessed,
        Cell::NotInReport,
        Cell::NoReport,
        Cell::Hidden,
    ];
}

/// How the units assessed one goal: a count per kind of cell, in the order of
/// [`Cell::LEGEND`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub met: usize,
    pub partly_met: usize,
    pub not_met: usize,
    pub no_data: usize,
    pub not_assessed: usize,
    pub not_in_report: usize,
    pub no_report: usize,
    pub hidden: usize,
}

impl Tally {
    fn add(&mut self, c: Cell) {
        let n = match c {
            Cell::Assessed { assessment, .. } => match assessment {
                Assessment::Met => &mut self.met,
                Assessment::PartlyMet => &mut self.partly_met,
                Assessment::NotMet => &mut self.not_met,
                Assessment::NoData => &mut self.no_data,
            },
            Cell::NotAssessed => &mut self.not_assessed,
            Cell::NotInReport => &mut self.not_in_report,
            Cell::NoReport => &mut self.no_report,
            Cell::Hidden => &mut self.hidden,
        };
        *n += 1;
    }

    /// The counts in the order of [`Cell::LEGEND`].
    pub fn counts(&self) -> [usize; 8] {
        [
            self.met,
            self.partly_met,
            self.not_met,
            self.no_data,
            self.not_assessed,
            self.not_in_report,
            self.no_report,
            self.hidden,
        ]
    }

    /// Units that assessed the goal.
    pub fn assessed(&self) -> usize {
        self.met + self.partly_met + self.not_met + self.no_data
    }
}

/// A goal column of the roll-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RollupGoal {
    pub goal: Goal,
    /// Owned by the rolled-up node (rather than a node above it).
    pub own: bool,
    /// How deep it sits among the columns: 0 for a goal whose parent is not a column.
    pub depth: usize,
    /// A short name for a column's head: its number ("1.3"), else its level and place
    /// ("Nämndmål 2").
    pub short: String,
    pub tally: Tally,
}

/// One unit's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RollupUnit {
    pub unit: OrgNode,
    /// The nodes between the rolled-up node and the unit, from the top (an administration,
    /// a department): where it sits.
    pub path: Vec<OrgNode>,
    /// The unit and its ancestors, from the unit up, for the policy.
    pub chain: Vec<OrgNode>,
    /// Its report of the year and kind: id and status.
    pub report: Option<(i64, PlanStatus)>,
    /// Whether the reader may read the report.
    pub readable: bool,
    pub standing: Standing,
    /// The deadline of its administration for this report, when set.
    pub deadline: Option<Date>,
    /// One per goal column, in their order.
    pub cells: Vec<Cell>,
}

/// How an indicator's outcomes are combined across units, and why (in Swedish).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// Counts: summed.
    Sum,
    /// Shares, weighted by their denominators.
    WeightedShare,
    /// Listed, not combined.
    Listed,
}

/// What is done with an indicator's outcomes, and the sentence that says why.
pub fn aggregation(
    kind: ValueKind,
    unit_of_measure: Option<&str>,
    name: &str,
    denominators_known: bool,
) -> (Aggregation, &'static str) {
    match kind {
        ValueKind::Text => (
            Aggregation::Listed,
            "Utfallen är text och listas per enhet.",
        ),
        ValueKind::Index => (
            Aggregation::Listed,
            "Index kan inte summeras, och ett medelvärde av enheternas index säger inget om helheten: utfallen listas per enhet.",
        ),
        ValueKind::Percent if denominators_known => (
            Aggregation::WeightedShare,
            "Andelarna vägs samman med sina nämnare (till exempel antalet svarande), så att en stor enhet väger mer än en liten.",
        ),
        ValueKind::Percent => (
            Aggregation::Listed,
            "Andelar kan bara vägas samman med sina nämnare, och de anges inte i rapporterna. Ett medelvärde av andelar säger inget om helheten, så utfallen listas per enhet.",
        ),
        ValueKind::Number if is_rate(unit_of_measure, name) => (
            Aggregation::Listed,
            "Talet är ett mått per något (ett snitt eller en kvot) och kan inte summeras: utfallen listas per enhet.",
        ),
        ValueKind::Number => (
            Aggregation::Sum,
            "Antal summeras över enheterna, kvinnor och män för sig.",
        ),
    }
}

/// Whether a number is a rate or an average rather than a count: its unit of measure or
/// name has "/" or a word "per" or "kvot", or a word beginning "snitt", "genomsnitt" or
/// "medel" ("medelvärde", but not "livsmedel").
pub fn is_rate(unit_of_measure: Option<&str>, name: &str) -> bool {
    let unit = unit_of_measure.unwrap_or("").to_lowercase();
    let name = name.to_lowercase();
    let says_rate = |s: &str| {
        s.split(|c: char| !c.is_alphanumeric()).any(|w| {
            w == "per"
                || w == "kvot"
                || ["snitt", "genomsnitt", "medel"]
                    .iter()
                    .any(|p| w.starts_with(p))
        })
    };
    unit.contains('/') || says_rate(&unit) || says_rate(&name)
}

/// One unit's outcome of an indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitValue {
    pub unit_id: NodeId,
    pub unit: String,
    /// As written.
    pub text: String,
    /// The number it states, if any.
    pub value: Option<Decimal>,
    pub women: Option<String>,
    pub men: Option<String>,
}

/// The lowest and the highest outcome, with the units that had them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Spread {
    pub min: Decimal,
    pub min_unit: String,
    pub max: Decimal,
    pub max_unit: String,
}

/// An aggregate: the number and, for counts, the women and men.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Combined {
    pub value: Decimal,
    /// Sums of the women and men among the units that state them; `None` when none do.
    pub women: Option<Decimal>,
    pub men: Option<Decimal>,
    /// How many units' numbers went into it.
    pub units: usize,
}

/// One indicator across the units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorRollup {
    pub indicator: Indicator,
    pub aggregation: Aggregation,
    /// Why the outcomes are combined (or not) so, in Swedish.
    pub rule: &'static str,
    /// The sum or weighted share, when [`Aggregation`] is not `Listed` and some unit gave
    /// a number.
    pub combined: Option<Combined>,
    pub spread: Option<Spread>,
    /// Readable reports that follow the indicator up.
    pub expected: usize,
    /// The outcomes of those reports, in the units' order (units without one left out).
    pub values: Vec<UnitValue>,
    /// For a summed indicator, its course: the sum over the readable reports of each
    /// period up to this one, when there are at least two periods to show
    /// ([`IndicatorSeries::worth_a_chart`]). A sum has no target of its own.
    pub history: Option<IndicatorSeries>,
}

impl IndicatorRollup {
    /// Units whose outcome is not a number (and so in no aggregate or spread).
    pub fn not_numbers(&self) -> usize {
        self.values.iter().filter(|v| v.value.is_none()).count()
    }
}

/// A roll-up, built for one reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rollup {
    /// The rolled-up node and its ancestors, from the node up.
    pub chain: Vec<OrgNode>,
    pub year: Year,
    pub kind: ReportKind,
    pub goals: Vec<RollupGoal>,
    pub units: Vec<RollupUnit>,
    pub indicators: Vec<IndicatorRollup>,
    /// The node's own assessments, by goal (only goals that are columns).
    pub own: HashMap<GoalId, RollupAssessment>,
}

impl Rollup {
    pub fn node(&self) -> &OrgNode {
        &self.chain[0]
    }

    /// The index of a goal among the columns.
    pub fn column(&self, goal: GoalId) -> Option<usize> {
        self.goals.iter().position(|g| g.goal.id == goal)
    }

    /// How many units stand so ([`Standing`]), in the order of [`STANDINGS`].
    pub fn standings(&self) -> [usize; 5] {
        let mut out = [0; 5];
        for u in &self.units {
            if let Some(i) = STANDINGS.iter().position(|s| *s == u.standing) {
                out[i] += 1;
            }
        }
        out
    }
}

/// The standings in the order a summary lists them.
pub const STANDINGS: [Standing; 5] = [
    Standing::Late,
    Standing::NotStarted,
    Standing::Draft,
    Standing::Submitted,
    Standing::Approved,
];

/// A unit counts in a year's roll-up unless it was closed before the year began and has
/// no report.
fn counts_in(unit: &OrgNode, year: Year, has_report: bool) -> bool {
    has_report || unit.closed.is_none_or(|c| c.year() >= year)
}

/// The goals that are columns, in the cascade's order, with their depth.
fn columns(data: &RollupData) -> Vec<(Goal, usize)> {
    let Some(node) = data.chain.first() else {
        return Vec::new();
    };
    let shown: HashSet<GoalId> = data
        .reports
        .iter()
        .flat_map(|r| r.shown.iter().copied())
        .collect();
    let ids: HashSet<GoalId> = data
        .goals
        .iter()
        .filter(|g| g.owner_id == node.id || shown.contains(&g.id))
        .map(|g| g.id)
        .collect();
    let mut kept: Vec<&Goal> = data.goals.iter().filter(|g| ids.contains(&g.id)).collect();
    kept.sort_by(|a, b| {
        a.level
            .cmp(&b.level)
            .then(a.position.cmp(&b.position))
            .then(a.id.0.cmp(&b.id.0))
    });
    let mut out = Vec::with_capacity(kept.len());
    let mut seen = HashSet::new();
    fn walk<'a>(
        g: &'a Goal,
        depth: usize,
        kept: &[&'a Goal],
        seen: &mut HashSet<GoalId>,
        out: &mut Vec<(Goal, usize)>,
    ) {
        if !seen.insert(g.id) {
            return;
        }
        out.push((g.clone(), depth));
        for c in kept.iter().filter(|c| c.parent_id == Some(g.id)) {
            walk(c, depth + 1, kept, seen, out);
        }
    }
    for g in &kept {
        let root = g.parent_id.is_none_or(|p| !ids.contains(&p));
        if root {
            walk(g, 0, &kept, &mut seen, &mut out);
        }
    }
    out
}

/// A column's short name: its number, or its level and its place among the unnumbered
/// goals of that level.
fn short_names(goals: &[(Goal, usize)]) -> Vec<String> {
    let mut counts: HashMap<crate::GoalLevel, usize> = HashMap::new();
    goals
        .iter()
        .map(|(g, _)| match g.number.as_deref().map(str::trim) {
            Some(n) if !n.is_empty() => n.to_string(),
            _ => {
                let n = counts.entry(g.level).or_insert(0);
                *n += 1;
                let mut prefix = g.level.heading_prefix().to_string();
                if let Some(first) = prefix.get(..1) {
                    prefix = first.to_uppercase() + &prefix[1..];
                }
                format!("{prefix} {n}")
            }
        })
        .collect()
}

/// The units under the node, in the tree's order (siblings by position, then name), each
/// with the nodes between the rolled-up node and it.
fn units_in_order(data: &RollupData) -> Vec<(OrgNode, Vec<OrgNode>)> {
    let Some(top) = data.chain.first() else {
        return Vec::new();
    };
    let mut children: HashMap<NodeId, Vec<&OrgNode>> = HashMap::new();
    for n in &data.below {
        if let Some(p) = n.parent_id {
            children.entry(p).or_default().push(n);
        }
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| {
            a.position
                .cmp(&b.position)
                .then_with(|| crate::swedish_cmp(&a.name, &b.name))
        });
    }
    let mut out = Vec::new();
    let mut stack: Vec<(NodeId, Vec<OrgNode>)> = vec![(top.id, Vec::new())];
    // Depth first, children in order: push in reverse.
    while let Some((id, path)) = stack.pop() {
        let Some(kids) = children.get(&id) else {
            continue;
        };
        for k in kids.iter().rev() {
            if k.kind == OrgKind::Unit {
                continue;
            }
            let mut p = path.clone();
            p.push((*k).clone());
            stack.push((k.id, p));
        }
        // Units of this node come before the units of the nodes under it.
        let mut here: Vec<(OrgNode, Vec<OrgNode>)> = kids
            .iter()
            .filter(|k| k.kind == OrgKind::Unit)
            .map(|k| ((*k).clone(), path.clone()))
            .collect();
        // The stack is popped in order, so the units go out now, before what was pushed.
        out.append(&mut here);
    }
    out
}

/// Builds the roll-up for a reader: `may_read(unit_chain, status)` is the policy's answer
/// for each unit's report; `today` decides what is late.
pub fn build(
    data: &RollupData,
    today: Date,
    may_read: &dyn Fn(&[OrgNode], PlanStatus) -> bool,
) -> Rollup {
    let cols = columns(data);
    let shorts = short_names(&cols);
    let reports: HashMap<NodeId, &UnitReport> =
        data.reports.iter().map(|r| (r.unit_id, r)).collect();
    let mut all_nodes: Vec<OrgNode> = data.chain.clone();
    all_nodes.extend(data.below.iter().cloned());
    let unit_chains = chains(&all_nodes);
    let deadlines: HashMap<NodeId, &Deadlines> =
        data.deadlines.iter().map(|d| (d.admin_id, d)).collect();
    let deadline_kind = DeadlineKind::of_report(data.kind);

    let mut units = Vec::new();
    let mut readable_reports: Vec<(&OrgNode, &UnitReport)> = Vec::new();
    let ordered = units_in_order(data);
    for (unit, path) in &ordered {
        let report = reports.get(&unit.id).copied();
        if !counts_in(unit, data.year, report.is_some()) {
            continue;
        }
        let chain = unit_chains.get(&unit.id).cloned().unwrap_or_default();
        let deadline = administration_of(&chain)
            .and_then(|a| deadlines.get(&a))
            .and_then(|d| d.get(deadline_kind));
        let standing = Standing::of(report.map(|r| r.status), deadline, today);
        let readable = report.is_some_and(|r| may_read(&chain, r.status));
        if let (Some(r), true) = (report, readable) {
            readable_reports.push((unit, r));
        }
        let cells = cols
            .iter()
            .map(|(g, _)| match report {
                None => Cell::NoReport,
                Some(_) if !readable => Cell::Hidden,
                Some(r) if !r.shown.contains(&g.id) => Cell::NotInReport,
                Some(r) => match r.assessments.get(&g.id) {
                    Some(UnitAssessment {
                        assessment: Some(a),
                        has_analysis,
                        ..
                    }) => Cell::Assessed {
                        assessment: *a,
                        analysis: *has_analysis,
                    },
                    _ => Cell::NotAssessed,
                },
            })
            .collect();
        units.push(RollupUnit {
            unit: unit.clone(),
            path: path.clone(),
            chain,
            report: report.map(|r| (r.report_id, r.status)),
            readable,
            standing,
            deadline,
            cells,
        });
    }

    let goals: Vec<RollupGoal> = cols
        .iter()
        .zip(shorts)
        .enumerate()
        .map(|(i, ((g, depth), short))| {
            let mut tally = Tally::default();
            for u in &units {
                tally.add(u.cells[i]);
            }
            RollupGoal {
                own: data.chain.first().is_some_and(|n| n.id == g.owner_id),
                goal: g.clone(),
                depth: *depth,
                short,
                tally,
            }
        })
        .collect();

    let column_ids: HashSet<GoalId> = goals.iter().map(|g| g.goal.id).collect();
    let order: HashMap<GoalId, usize> = goals
        .iter()
        .enumerate()
        .map(|(i, g)| (g.goal.id, i))
        .collect();
    let mut indicators: Vec<&Indicator> = data
        .indicators
        .iter()
        .filter(|i| column_ids.contains(&i.goal_id))
        .filter(|i| {
            data.reports
                .iter()
                .any(|r| r.indicators.contains_key(&i.id))
        })
        .collect();
    indicators.sort_by_key(|i| (order.get(&i.goal_id).copied(), i.position, i.id.0));
    let past = PastByIndicator::of(data.history.iter().filter(|o| {
        not_later(o.year, o.kind, (data.year, data.kind))
            && unit_chains
                .get(&o.unit_id)
                .is_some_and(|chain| may_read(chain, o.status))
    }));
    let indicators = indicators
        .into_iter()
        .map(|i| indicator_rollup(i, &readable_reports, &past))
        .collect();

    let own = data
        .own
        .iter()
        .filter(|a| column_ids.contains(&a.goal_id))
        .map(|a| (a.goal_id, a.clone()))
        .collect();
    Rollup {
        chain: data.chain.clone(),
        year: data.year,
        kind: data.kind,
        goals,
        units,
        indicators,
        own,
    }
}

/// The past outcomes read, grouped by the indicator they belong to: its owner and its
/// name as [`crate::same_name`] compares them (each year's indicators are new rows, so the name
/// is what ties the years together). Each distinct name is normalised once, however many
/// outcomes carry it.
struct PastByIndicator<'a> {
    names: HashMap<String, usize>,
    outcomes: HashMap<(NodeId, usize), Vec<&'a PastOutcome>>,
}

impl<'a> PastByIndicator<'a> {
    fn of(past: impl Iterator<Item = &'a PastOutcome>) -> Self {
        let mut names: HashMap<String, usize> = HashMap::new();
        let mut seen: HashMap<&'a str, usize> = HashMap::new();
        let mut outcomes: HashMap<(NodeId, usize), Vec<&'a PastOutcome>> = HashMap::new();
        for o in past {
            let name = *seen.entry(o.name.as_str()).or_insert_with(|| {
                let n = names.len();
                *names.entry(name_key(&o.name)).or_insert(n)
            });
            outcomes.entry((o.owner, name)).or_default().push(o);
        }
        PastByIndicator { names, outcomes }
    }

    fn of_indicator(&self, ind: &Indicator) -> &[&'a PastOutcome] {
        self.names
            .get(&name_key(&ind.name))
            .and_then(|n| self.outcomes.get(&(ind.owner_id, *n)))
            .map_or(&[], Vec::as_slice)
    }
}

fn number(s: Option<&str>) -> Option<Decimal> {
    s.and_then(|s| Measure::parse(s).value)
}

/// One indicator across the readable reports.
fn indicator_rollup(
    ind: &Indicator,
    reports: &[(&OrgNode, &UnitReport)],
    past: &PastByIndicator,
) -> IndicatorRollup {
    let mut expected = 0;
    let mut values = Vec::new();
    let mut denominators = Vec::new();
    for (unit, r) in reports {
        let Some(u) = r.indicators.get(&ind.id) else {
            continue;
        };
        expected += 1;
        let Some(m) = u.outcome.as_ref().filter(|m| !m.text.trim().is_empty()) else {
            continue;
        };
        let value = if ind.value_kind == ValueKind::Text {
            None
        } else {
            m.value
        };
        if value.is_some() {
            denominators.push(u.denominator);
        }
        values.push(UnitValue {
            unit_id: unit.id,
            unit: unit.name.clone(),
            text: m.text.clone(),
            value,
            women: u.women.clone(),
            men: u.men.clone(),
        });
    }
    let known = !denominators.is_empty()
        && denominators
            .iter()
            .all(|d| d.is_some_and(|d| d > Decimal::ZERO));
    let (aggregation, rule) = aggregation(
        ind.value_kind,
        ind.unit_of_measure.as_deref(),
        &ind.name,
        known,
    );
    let numeric: Vec<(&UnitValue, Decimal)> = values
        .iter()
        .filter_map(|v| v.value.map(|n| (v, n)))
        .collect();
    let spread = spread(&numeric);
    let combined = match aggregation {
        Aggregation::Listed => None,
        _ if numeric.is_empty() => None,
        Aggregation::Sum => {
            let sum_of = |f: fn(&UnitValue) -> Option<&String>| {
                values
                    .iter()
                    .filter(|v| v.value.is_some())
                    .filter_map(|v| number(f(v).map(String::as_str)))
                    .fold(None, |acc: Option<Decimal>, n| {
                        Some(acc.unwrap_or_default() + n)
                    })
            };
            Some(Combined {
                value: numeric.iter().map(|(_, n)| *n).sum(),
                // Only for an indicator reported for women and men: one that is no
                // longer keeps what was stored, hidden.
                women: ind.by_sex.then(|| sum_of(|v| v.women.as_ref())).flatten(),
                men: ind.by_sex.then(|| sum_of(|v| v.men.as_ref())).flatten(),
                units: numeric.len(),
            })
        }
        Aggregation::WeightedShare => {
            let ds: Vec<Decimal> = denominators.iter().map(|d| d.unwrap_or_default()).collect();
            let total: Decimal = ds.iter().copied().sum();
            let weighted: Decimal = numeric.iter().zip(&ds).map(|((_, n), d)| *n * *d).sum();
            (total > Decimal::ZERO).then(|| Combined {
                value: (weighted / total).round_dp(2).normalize(),
                women: None,
                men: None,
                units: numeric.len(),
            })
        }
    };
    let history = (aggregation == Aggregation::Sum)
        .then(|| summed_history(ind, past.of_indicator(ind)))
        .filter(IndicatorSeries::worth_a_chart);
    IndicatorRollup {
        indicator: ind.clone(),
        aggregation,
        rule,
        combined,
        spread,
        expected,
        values,
        history,
    }
}

/// A summed indicator's course from its past outcomes: per period, the sum of the units' numbers (and of the
/// women's and men's among the units that state them), preliminary when a report in it
/// is not approved.
fn summed_history(ind: &Indicator, past: &[&PastOutcome]) -> IndicatorSeries {
    let add = |acc: Option<Decimal>, v: Option<Decimal>| match (acc, v) {
        (Some(a), Some(v)) => Some(a + v),
        (a, v) => a.or(v),
    };
    let mut periods: BTreeMap<(Year, u8), SeriesPoint> = BTreeMap::new();
    for o in past {
        let Some(total) = number(o.outcome.as_deref()) else {
            continue;
        };
        let p = periods
            .entry((o.year, period_order(o.kind)))
            .or_insert(SeriesPoint {
                year: o.year,
                kind: o.kind,
                total: None,
                women: None,
                men: None,
                target: None,
                preliminary: false,
            });
        p.total = add(p.total, Some(total));
        p.women = add(p.women, number(o.women.as_deref()));
        p.men = add(p.men, number(o.men.as_deref()));
        p.preliminary |= o.status != PlanStatus::Approved;
    }
    IndicatorSeries {
        name: ind.name.clone(),
        unit_of_measure: ind.unit_of_measure.clone(),
        direction: ind.direction,
        value_kind: ind.value_kind,
        by_sex: ind.by_sex,
        points: periods.into_values().collect(),
    }
}

fn spread(numeric: &[(&UnitValue, Decimal)]) -> Option<Spread> {
    let min = numeric.iter().min_by_key(|(_, n)| *n)?;
    let max = numeric.iter().max_by_key(|(_, n)| *n)?;
    Some(Spread {
        min: min.1.normalize(),
        min_unit: min.0.unit.clone(),
        max: max.1.normalize(),
        max_unit: max.0.unit.clone(),
    })
}

/// Checks an own analysis: at most [`ROLLUP_ANALYSIS_MAX`] characters.
pub fn check_rollup_analysis(analysis: &str) -> Result<(), crate::DomainError> {
    if analysis.chars().count() > ROLLUP_ANALYSIS_MAX {
        Err(crate::DomainError::TooLong {
            field: "analysis",
            max: ROLLUP_ANALYSIS_MAX,
        })
    } else {
        Ok(())
    }
}

/// The most characters an own analysis may hold (as a plan's section).
pub const ROLLUP_ANALYSIS_MAX: usize = 20_000;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Direction, GoalLevel, Periodicity};
    use std::str::FromStr;

    fn node(id: i64, parent: Option<i64>, kind: OrgKind, name: &str) -> OrgNode {
        OrgNode {
            id: NodeId(id),
            parent_id: parent.map(NodeId),
            kind,
            name: name.into(),
            position: 0,
            version: 1,
            closed: None,
        }
    }

    fn goal(
        id: i64,
        level: GoalLevel,
        owner: i64,
        parent: Option<i64>,
        number: Option<&str>,
    ) -> Goal {
        Goal {
            id: GoalId(id),
            year: 2025,
            level,
            owner_id: NodeId(owner),
            parent_id: parent.map(GoalId),
            number: number.map(Into::into),
            title: format!("Mål {id}"),
            position: 0,
            version: 1,
        }
    }

    fn indicator(id: i64, goal: i64, kind: ValueKind, unit: Option<&str>, name: &str) -> Indicator {
        Indicator {
            id: IndicatorId(id),
            year: 2025,
            goal_id: GoalId(goal),
            owner_id: NodeId(2),
            name: name.into(),
            unit_of_measure: unit.map(Into::into),
            periodicity: Periodicity::Tertial,
            direction: Direction::HigherIsBetter,
            value_kind: kind,
            by_sex: kind != ValueKind::Text,
            council_target: None,
            position: id,
            version: 1,
        }
    }

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn outcome(text: &str, women: Option<&str>, men: Option<&str>) -> UnitIndicator {
        UnitIndicator {
            target: None,
            outcome: Some(Measure::parse(text)),
            women: women.map(Into::into),
            men: men.map(Into::into),
            denominator: None,
        }
    }

    /// City 1 → board 2 → administration 3 → departments 4, 5 → units 6, 7 (under 4), 8
    /// (under 5), 9 (directly under the administration). Council goals 10 (direction),
    /// 11 (area, under 10); board goals 20, 21 under 11; a department goal 30 under 20.
    fn data() -> RollupData {
        let below = vec![
            node(3, Some(2), OrgKind::Administration, "Förvaltningen"),
            node(4, Some(3), OrgKind::Department, "Avdelning A"),
            node(5, Some(3), OrgKind::Department, "Avdelning B"),
            node(6, Some(4), OrgKind::Unit, "Enhet Sex"),
            node(7, Some(4), OrgKind::Unit, "Enhet Sju"),
            node(8, Some(5), OrgKind::Unit, "Enhet Åtta"),
            node(9, Some(3), OrgKind::Unit, "Enhet Nio"),
            node(99, Some(6), OrgKind::Operation, "Verksamheten"),
        ];
        let mut reports = Vec::new();
        let report = |unit: i64, status, shown: &[i64]| UnitReport {
            unit_id: NodeId(unit),
            report_id: unit * 100,
            status,
            shown: shown.iter().map(|g| GoalId(*g)).collect(),
            assessments: HashMap::new(),
            indicators: HashMap::new(),
        };
        let mut six = report(6, PlanStatus::Approved, &[10, 11, 20, 21]);
        six.assessments.insert(
            GoalId(20),
            UnitAssessment {
                assessment: Some(Assessment::Met),
                has_analysis: true,
                analysis: None,
            },
        );
        six.assessments.insert(
            GoalId(11),
            UnitAssessment {
                assessment: Some(Assessment::PartlyMet),
                has_analysis: false,
                analysis: None,
            },
        );
        six.indicators
            .insert(IndicatorId(1), outcome("12", Some("5"), Some("7")));
        six.indicators
            .insert(IndicatorId(2), outcome("70 %", None, None));
        six.indicators
            .insert(IndicatorId(3), outcome("1,5", None, None));
        let mut seven = report(7, PlanStatus::Draft, &[10, 11, 20]);
        seven.assessments.insert(
            GoalId(20),
            UnitAssessment {
                assessment: Some(Assessment::NotMet),
                has_analysis: false,
                analysis: None,
            },
        );
        seven
            .indicators
            .insert(IndicatorId(1), outcome("1000", None, None));
        let mut eight = report(8, PlanStatus::Approved, &[10, 11, 20]);
        eight
            .indicators
            .insert(IndicatorId(1), outcome("8", Some("3"), None));
        eight
            .indicators
            .insert(IndicatorId(2), outcome("90 %", None, None));
        eight
            .indicators
            .insert(IndicatorId(3), outcome("2", None, None));
        reports.push(six);
        reports.push(seven);
        reports.push(eight);
        RollupData {
            chain: vec![
                node(2, Some(1), OrgKind::Board, "Nämnden"),
                node(1, None, OrgKind::City, "Staden"),
            ],
            below,
            year: 2025,
            kind: ReportKind::Tertial1,
            goals: vec![
                goal(10, GoalLevel::Direction, 1, None, Some("1")),
                goal(11, GoalLevel::Area, 1, Some(10), Some("1.1")),
                goal(12, GoalLevel::Area, 1, Some(10), Some("1.2")),
                goal(21, GoalLevel::Board, 2, Some(11), None),
                goal(20, GoalLevel::Board, 2, Some(11), None),
                goal(22, GoalLevel::Board, 2, Some(12), None),
            ],
            indicators: vec![
                indicator(
                    1,
                    20,
                    ValueKind::Number,
                    Some("personer"),
                    "Antal deltagare",
                ),
                indicator(2, 20, ValueKind::Percent, None, "Andel nöjda"),
                indicator(
                    3,
                    21,
                    ValueKind::Number,
                    Some("kg CO2e per kg livsmedel"),
                    "Klimatpåverkan",
                ),
                indicator(4, 22, ValueKind::Number, None, "Ingen följer upp"),
            ],
            reports,
            deadlines: vec![Deadlines {
                tertial1: Some(Date::from_calendar_date(2025, time::Month::May, 15).unwrap()),
                ..Deadlines::empty(NodeId(3), 2025)
            }],
            own: vec![RollupAssessment {
                assessment: Some(Assessment::PartlyMet),
                analysis: Some("Nämndens analys".into()),
                version: 2,
                ..RollupAssessment::empty(NodeId(2), GoalId(20), 2025, ReportKind::Tertial1)
            }],
            history: vec![
                past(
                    6,
                    PlanStatus::Approved,
                    2024,
                    ReportKind::AnnualReport,
                    "Antal deltagare",
                    "30",
                    Some("10"),
                ),
                past(
                    8,
                    PlanStatus::Approved,
                    2024,
                    ReportKind::AnnualReport,
                    "antal deltagare ",
                    "20",
                    Some("5"),
                ),
                past(
                    6,
                    PlanStatus::Approved,
                    2024,
                    ReportKind::Tertial2,
                    "Antal deltagare",
                    "ca tjugo",
                    None,
                ),
                past(
                    6,
                    PlanStatus::Approved,
                    2025,
                    ReportKind::Tertial1,
                    "Antal deltagare",
                    "12",
                    Some("5"),
                ),
                past(
                    7,
                    PlanStatus::Draft,
                    2025,
                    ReportKind::Tertial1,
                    "Antal deltagare",
                    "1000",
                    None,
                ),
                past(
                    8,
                    PlanStatus::Approved,
                    2025,
                    ReportKind::Tertial1,
                    "Antal deltagare",
                    "8",
                    Some("3"),
                ),
                // Later than the roll-up's period, and another indicator: not in its course.
                past(
                    8,
                    PlanStatus::Approved,
                    2025,
                    ReportKind::Tertial2,
                    "Antal deltagare",
                    "99",
                    None,
                ),
                past(
                    8,
                    PlanStatus::Approved,
                    2024,
                    ReportKind::AnnualReport,
                    "Antal besök",
                    "77",
                    None,
                ),
            ],
        }
    }

    fn past(
        unit: i64,
        status: PlanStatus,
        year: Year,
        kind: ReportKind,
        name: &str,
        total: &str,
        women: Option<&str>,
    ) -> PastOutcome {
        PastOutcome {
            unit_id: NodeId(unit),
            status,
            year,
            kind,
            owner: NodeId(2),
            name: name.into(),
            outcome: Some(total.into()),
            women: women.map(Into::into),
            men: None,
        }
    }

    fn today() -> Date {
        Date::from_calendar_date(2025, time::Month::June, 1).unwrap()
    }

    /// A reader who may read approved reports only (the public).
    fn public(_: &[OrgNode], s: PlanStatus) -> bool {
        s == PlanStatus::Approved
    }

    fn everyone(_: &[OrgNode], _: PlanStatus) -> bool {
        true
    }

    #[test]
    fn a_summed_indicator_has_its_course_over_the_periods_up_to_the_roll_ups() {
        let points = |r: &Rollup, id: i64| {
            r.indicators
                .iter()
                .find(|i| i.indicator.id.0 == id)
                .and_then(|i| i.history.as_ref())
                .map(|h| {
                    h.points
                        .iter()
                        .map(|p| (p.label(), p.total, p.women, p.preliminary))
                        .collect::<Vec<_>>()
                })
        };
        // The public: approved reports only; the same name in any case and spacing; a
        // figure that is not a number is left out; T2 2025 comes after the roll-up's T1.
        let r = build(&data(), today(), &public);
        assert_eq!(
            points(&r, 1),
            Some(vec![
                (
                    "Helår 2024".to_string(),
                    Some(dec("50")),
                    Some(dec("15")),
                    false
                ),
                (
                    "T1 2025".to_string(),
                    Some(dec("20")),
                    Some(dec("8")),
                    false
                ),
            ])
        );
        // Someone who reads drafts: the draft counts, and its period is preliminary.
        let r = build(&data(), today(), &everyone);
        assert_eq!(
            points(&r, 1).unwrap()[1],
            (
                "T1 2025".to_string(),
                Some(dec("1020")),
                Some(dec("8")),
                true
            )
        );
        // Shares and rates are not summed, so they have no course of a sum.
        assert_eq!(points(&r, 2), None);
        assert_eq!(points(&r, 3), None);
        // One period only: nothing to chart.
        let mut one = data();
        one.history.retain(|o| o.year == 2025);
        assert_eq!(points(&build(&one, today(), &everyone), 1), None);
    }

    #[test]
    fn columns_are_the_nodes_goals_and_the_goals_above_that_units_follow_in_cascade_order() {
        let r = build(&data(), today(), &everyone);
        let cols: Vec<(i64, usize, &str, bool)> = r
            .goals
            .iter()
            .map(|g| (g.goal.id.0, g.depth, g.short.as_str(), g.own))
            .collect();
        // 12 (area 1.2) is followed by no unit: not a column. The board's own 22 under it
        // is, at depth 0 because its parent is not a column. 20 and 21 keep their order
        // (position, then id).
        assert_eq!(
            cols,
            vec![
                (10, 0, "1", false),
                (11, 1, "1.1", false),
                (20, 2, "Nämndmål 1", true),
                (21, 2, "Nämndmål 2", true),
                (22, 0, "Nämndmål 3", true),
            ]
        );
    }

    #[test]
    fn units_come_in_the_trees_order_with_the_nodes_between() {
        let r = build(&data(), today(), &everyone);
        let rows: Vec<(&str, Vec<&str>)> = r
            .units
            .iter()
            .map(|u| {
                (
                    u.unit.name.as_str(),
                    u.path.iter().map(|n| n.name.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                ("Enhet Nio", vec!["Förvaltningen"]),
                ("Enhet Sex", vec!["Förvaltningen", "Avdelning A"]),
                ("Enhet Sju", vec!["Förvaltningen", "Avdelning A"]),
                ("Enhet Åtta", vec!["Förvaltningen", "Avdelning B"]),
            ]
        );
        assert_eq!(
            r.units[1].chain.len(),
            5,
            "unit, department, administration, board, city"
        );
    }

    #[test]
    fn cells_say_what_each_unit_assessed_or_why_not() {
        let r = build(&data(), today(), &everyone);
        let c = r.column(GoalId(20)).unwrap();
        let cell = |unit: &str, col: usize| {
            r.units.iter().find(|u| u.unit.name == unit).unwrap().cells[col]
        };
        assert_eq!(
            cell("Enhet Sex", c),
            Cell::Assessed {
                assessment: Assessment::Met,
                analysis: true
            }
        );
        assert_eq!(
            cell("Enhet Sju", c),
            Cell::Assessed {
                assessment: Assessment::NotMet,
                analysis: false
            }
        );
        assert_eq!(cell("Enhet Åtta", c), Cell::NotAssessed);
        assert_eq!(cell("Enhet Nio", c), Cell::NoReport);
        assert_eq!(
            cell("Enhet Sju", r.column(GoalId(21)).unwrap()),
            Cell::NotInReport
        );
        let t = r.goals[c].tally;
        assert_eq!(
            (t.met, t.not_met, t.not_assessed, t.no_report),
            (1, 1, 1, 1)
        );
        assert_eq!(t.assessed(), 2);
    }

    #[test]
    fn a_report_the_reader_may_not_read_is_hidden_and_counts_nowhere() {
        let r = build(&data(), today(), &public);
        let seven = r.units.iter().find(|u| u.unit.name == "Enhet Sju").unwrap();
        assert!(!seven.readable);
        assert!(seven.cells.iter().all(|c| *c == Cell::Hidden));
        // Its standing is public, as on the unit's page.
        assert_eq!(seven.standing, Standing::Late);
        let c = r.column(GoalId(20)).unwrap();
        assert_eq!(r.goals[c].tally.hidden, 1);
        assert_eq!(r.goals[c].tally.not_met, 0);
        // The draft's 1000 participants are in no sum.
        let count = &r.indicators[0];
        assert_eq!(count.combined.as_ref().unwrap().value, dec("20"));
        assert_eq!(count.expected, 2);
        let all = build(&data(), today(), &everyone);
        assert_eq!(
            all.indicators[0].combined.as_ref().unwrap().value,
            dec("1020")
        );
    }

    #[test]
    fn standings_follow_the_deadline_of_the_units_administration() {
        let r = build(&data(), today(), &everyone);
        let s: Vec<(&str, Standing)> = r
            .units
            .iter()
            .map(|u| (u.unit.name.as_str(), u.standing))
            .collect();
        assert_eq!(
            s,
            vec![
                ("Enhet Nio", Standing::Late),
                ("Enhet Sex", Standing::Approved),
                ("Enhet Sju", Standing::Late),
                ("Enhet Åtta", Standing::Approved),
            ]
        );
        let early = build(
            &data(),
            Date::from_calendar_date(2025, time::Month::May, 2).unwrap(),
            &everyone,
        );
        assert_eq!(early.units[0].standing, Standing::NotStarted);
        assert_eq!(early.units[2].standing, Standing::Draft);
        assert_eq!(early.standings(), [0, 1, 1, 0, 2]);
        assert_eq!(
            early.units[0].deadline,
            Date::from_calendar_date(2025, time::Month::May, 15).ok()
        );
    }

    #[test]
    fn a_unit_closed_before_the_year_without_a_report_is_left_out() {
        let mut d = data();
        for n in d.below.iter_mut() {
            if n.id == NodeId(9) {
                n.closed = Date::from_calendar_date(2024, time::Month::June, 30).ok();
            }
        }
        let r = build(&d, today(), &everyone);
        assert!(r.units.iter().all(|u| u.unit.id != NodeId(9)));
        // Closed during the year: still there.
        for n in d.below.iter_mut() {
            if n.id == NodeId(9) {
                n.closed = Date::from_calendar_date(2025, time::Month::March, 1).ok();
            }
        }
        let r = build(&d, today(), &everyone);
        assert!(r.units.iter().any(|u| u.unit.id == NodeId(9)));
    }

    #[test]
    fn counts_are_summed_with_women_and_men_and_the_spread() {
        let r = build(&data(), today(), &public);
        let count = &r.indicators[0];
        assert_eq!(count.indicator.id, IndicatorId(1));
        assert_eq!(count.aggregation, Aggregation::Sum);
        let c = count.combined.as_ref().unwrap();
        assert_eq!(
            (c.value, c.women, c.men, c.units),
            (dec("20"), Some(dec("8")), Some(dec("7")), 2)
        );
        let s = count.spread.as_ref().unwrap();
        assert_eq!((s.min, s.min_unit.as_str()), (dec("8"), "Enhet Åtta"));
        assert_eq!((s.max, s.max_unit.as_str()), (dec("12"), "Enhet Sex"));

        // Not reported for women and men (any more): no sums of what was stored.
        let mut d = data();
        for i in d.indicators.iter_mut() {
            i.by_sex = false;
        }
        let r = build(&d, today(), &public);
        let c = r.indicators[0].combined.as_ref().unwrap();
        assert_eq!((c.value, c.women, c.men), (dec("20"), None, None));
    }

    #[test]
    fn shares_without_denominators_are_listed_not_averaged() {
        let r = build(&data(), today(), &public);
        let share = &r.indicators[1];
        assert_eq!(share.aggregation, Aggregation::Listed);
        assert_eq!(share.combined, None);
        assert!(share.rule.contains("nämnare"));
        assert_eq!(share.values.len(), 2);
        let s = share.spread.as_ref().unwrap();
        assert_eq!((s.min, s.max), (dec("70"), dec("90")));
    }

    #[test]
    fn shares_with_denominators_are_weighted_by_them() {
        let mut d = data();
        for r in d.reports.iter_mut() {
            if let Some(i) = r.indicators.get_mut(&IndicatorId(2)) {
                // 70 % of 100 and 90 % of 300: 250 of 400.
                i.denominator = Some(if r.unit_id == NodeId(6) {
                    dec("100")
                } else {
                    dec("300")
                });
            }
        }
        let r = build(&d, today(), &public);
        let share = &r.indicators[1];
        assert_eq!(share.aggregation, Aggregation::WeightedShare);
        assert_eq!(share.combined.as_ref().unwrap().value, dec("85"));
        // One missing denominator and the shares are listed again.
        d.reports[0]
            .indicators
            .get_mut(&IndicatorId(2))
            .unwrap()
            .denominator = None;
        let r = build(&d, today(), &public);
        assert_eq!(r.indicators[1].aggregation, Aggregation::Listed);
    }

    #[test]
    fn rates_and_indexes_and_texts_are_listed() {
        let r = build(&data(), today(), &public);
        let rate = &r.indicators[2];
        assert_eq!(rate.indicator.id, IndicatorId(3));
        assert_eq!(rate.aggregation, Aggregation::Listed);
        assert!(rate.spread.is_some());
        // An indicator no report follows up is not a row.
        assert!(
            r.indicators
                .iter()
                .all(|i| i.indicator.id != IndicatorId(4))
        );
        assert_eq!(
            aggregation(ValueKind::Index, None, "Index", false).0,
            Aggregation::Listed
        );
        assert_eq!(
            aggregation(ValueKind::Text, None, "Text", true).0,
            Aggregation::Listed
        );
        assert!(is_rate(Some("gram per portion"), "Matsvinn"));
        assert!(is_rate(Some("kr/timme"), "Kostnad"));
        assert!(is_rate(None, "Genomsnittlig väntetid"));
        assert!(is_rate(None, "Medelvärde av betyg"));
        assert!(!is_rate(Some("personer"), "Antal deltagare"));
        assert!(!is_rate(Some("besök"), "Antal besök i simhallen"));
        assert!(!is_rate(None, "Antal personer som fått stöd"));
        assert!(!is_rate(Some("kg"), "Inköpta kg livsmedel"));
    }

    #[test]
    fn a_text_outcome_of_a_count_is_listed_but_not_summed() {
        let mut d = data();
        d.reports[2]
            .indicators
            .insert(IndicatorId(1), outcome("ungefär tio", None, None));
        let r = build(&d, today(), &public);
        let count = &r.indicators[0];
        assert_eq!(count.combined.as_ref().unwrap().value, dec("12"));
        assert_eq!(count.not_numbers(), 1);
        assert_eq!(count.values.len(), 2);
    }

    #[test]
    fn own_assessments_are_kept_for_the_columns() {
        let r = build(&data(), today(), &everyone);
        assert_eq!(
            r.own.get(&GoalId(20)).and_then(|a| a.assessment),
            Some(Assessment::PartlyMet)
        );
    }

    #[test]
    fn every_cell_has_a_symbol_and_a_word_and_they_differ() {
        let symbols: HashSet<&str> = Cell::LEGEND[..5].iter().map(|c| c.symbol()).collect();
        assert_eq!(symbols.len(), 5, "assessments differ by shape");
        let words: HashSet<&str> = Cell::LEGEND.iter().map(|c| c.word()).collect();
        assert_eq!(words.len(), Cell::LEGEND.len());
        for c in Cell::LEGEND {
            assert!(!c.word().is_empty() && !c.label().is_empty());
        }
        assert!(check_rollup_analysis(&"å".repeat(ROLLUP_ANALYSIS_MAX)).is_ok());
        assert!(check_rollup_analysis(&"å".repeat(ROLLUP_ANALYSIS_MAX + 1)).is_err());
    }
}
