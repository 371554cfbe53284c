//! The one place where domain values become API answers. When the domain changes, this is
//! the file to adapt; the compiler points at every match that lost or gained a variant.

use super::model::{self as m, Id, Year};
use malkedja_domain as d;
use malkedja_store::PlanOverview;

/// The address of a unit's plan in this API.
pub fn plan_href(unit: d::NodeId, year: d::Year) -> String {
    format!("/api/v1/units/{unit}/plans/{year}")
}

/// The address of a unit's report in this API.
pub fn report_href(unit: d::NodeId, year: d::Year, kind: d::ReportKind) -> String {
    format!("/api/v1/units/{unit}/reports/{year}/{}", kind.code())
}

// ---- enumerations ----

impl From<d::OrgKind> for m::OrgKind {
    fn from(k: d::OrgKind) -> Self {
        match k {
            d::OrgKind::City => m::OrgKind::City,
            d::OrgKind::Board => m::OrgKind::Board,
            d::OrgKind::Administration => m::OrgKind::Administration,
            d::OrgKind::Department => m::OrgKind::Department,
            d::OrgKind::Unit => m::OrgKind::Unit,
            d::OrgKind::Operation => m::OrgKind::Operation,
        }
    }
}

impl From<d::PlanOrigin> for m::PlanOrigin {
    fn from(o: d::PlanOrigin) -> Self {
        match o {
            d::PlanOrigin::Plan => m::PlanOrigin::Plan,
            d::PlanOrigin::Report => m::PlanOrigin::Report,
        }
    }
}

impl From<d::PlanStatus> for m::Status {
    fn from(s: d::PlanStatus) -> Self {
        match s {
            d::PlanStatus::Draft => m::Status::Draft,
            d::PlanStatus::Submitted => m::Status::Submitted,
            d::PlanStatus::Approved => m::Status::Approved,
            d::PlanStatus::Returned => m::Status::Returned,
        }
    }
}

impl From<d::ReportKind> for m::ReportKind {
    fn from(k: d::ReportKind) -> Self {
        match k {
            d::ReportKind::Tertial1 => m::ReportKind::Tertial1,
            d::ReportKind::Tertial2 => m::ReportKind::Tertial2,
            d::ReportKind::AnnualReport => m::ReportKind::AnnualReport,
        }
    }
}

impl From<d::GoalLevel> for m::GoalLevel {
    fn from(l: d::GoalLevel) -> Self {
        match l {
            d::GoalLevel::Direction => m::GoalLevel::Direction,
            d::GoalLevel::Area => m::GoalLevel::Area,
            d::GoalLevel::Board => m::GoalLevel::Board,
            d::GoalLevel::Department => m::GoalLevel::Department,
            d::GoalLevel::Unit => m::GoalLevel::Unit,
        }
    }
}

impl From<d::GoalSection> for m::GoalSectionKey {
    fn from(s: d::GoalSection) -> Self {
        match s {
            d::GoalSection::Description => m::GoalSectionKey::Description,
            d::GoalSection::ExpectedResult => m::GoalSectionKey::ExpectedResult,
            d::GoalSection::WorkingMethods => m::GoalSectionKey::WorkingMethods,
            d::GoalSection::ResourceUse => m::GoalSectionKey::ResourceUse,
            d::GoalSection::FollowUp => m::GoalSectionKey::FollowUp,
            d::GoalSection::Development => m::GoalSectionKey::Development,
        }
    }
}

impl From<d::Placement> for m::Placement {
    fn from(p: d::Placement) -> Self {
        match p {
            d::Placement::BeforeCascade => m::Placement::BeforeCascade,
            d::Placement::AfterCascade => m::Placement::AfterCascade,
        }
    }
}

impl From<d::Periodicity> for m::Periodicity {
    fn from(p: d::Periodicity) -> Self {
        match p {
            d::Periodicity::Year => m::Periodicity::Year,
            d::Periodicity::Tertial => m::Periodicity::Tertial,
        }
    }
}

impl From<d::Direction> for m::Direction {
    fn from(x: d::Direction) -> Self {
        match x {
            d::Direction::HigherIsBetter => m::Direction::HigherIsBetter,
            d::Direction::LowerIsBetter => m::Direction::LowerIsBetter,
        }
    }
}

impl From<d::ValueKind> for m::ValueKind {
    fn from(v: d::ValueKind) -> Self {
        match v {
            d::ValueKind::Percent => m::ValueKind::Percent,
            d::ValueKind::Index => m::ValueKind::Index,
            d::ValueKind::Number => m::ValueKind::Number,
            d::ValueKind::Text => m::ValueKind::Text,
        }
    }
}

impl From<d::Assessment> for m::Assessment {
    fn from(a: d::Assessment) -> Self {
        match a {
            d::Assessment::Met => m::Assessment::Met,
            d::Assessment::PartlyMet => m::Assessment::PartlyMet,
            d::Assessment::NotMet => m::Assessment::NotMet,
            d::Assessment::NoData => m::Assessment::NoData,
        }
    }
}

impl From<d::ActivityStatus> for m::ActivityStatus {
    fn from(s: d::ActivityStatus) -> Self {
        match s {
            d::ActivityStatus::NotStarted => m::ActivityStatus::NotStarted,
            d::ActivityStatus::Ongoing => m::ActivityStatus::Ongoing,
            d::ActivityStatus::Done => m::ActivityStatus::Done,
            d::ActivityStatus::Deviation => m::ActivityStatus::Deviation,
        }
    }
}

// ---- values ----

fn decimal(v: &d::Decimal) -> m::Decimal {
    // `Decimal`'s Display never uses an exponent: "58.84", "-1.5", "90".
    m::Decimal(v.to_string())
}

fn date(d: &d::Date) -> m::Date {
    m::Date(d.to_string())
}

fn measure(x: &d::Measure) -> m::Measure {
    m::Measure {
        text: x.text.clone(),
        value: x.value.as_ref().map(decimal),
    }
}

pub fn target(t: &d::Target) -> m::Target {
    match t {
        d::Target::Value(x) => m::Target::Value {
            text: x.text.clone(),
            value: x.value.as_ref().map(decimal),
        },
        d::Target::SetByBoard { text } => m::Target::SetByBoard { text: text.clone() },
    }
}

fn named(n: &d::OrgNode) -> m::Named {
    m::Named {
        id: Id(n.id.0),
        name: n.name.clone(),
    }
}

// ---- the organisation ----

pub fn org_node(t: &d::OrgTree) -> m::OrgNode {
    m::OrgNode {
        id: Id(t.node.id.0),
        kind: t.node.kind.into(),
        name: t.node.name.clone(),
        closed: t.node.closed.as_ref().map(date),
        children: t.children.iter().map(org_node).collect(),
    }
}

/// A unit with its ancestors (from the parent up to the city), its operations and the
/// overview of its plans.
pub fn unit(
    unit: &d::OrgNode,
    ancestors: &[d::OrgNode],
    operations: &[d::OrgNode],
    plans: &[PlanOverview],
) -> m::Unit {
    m::Unit {
        id: Id(unit.id.0),
        kind: unit.kind.into(),
        name: unit.name.clone(),
        closed: unit.closed.as_ref().map(date),
        ancestors: ancestors
            .iter()
            .map(|n| m::NodeRef {
                id: Id(n.id.0),
                kind: n.kind.into(),
                name: n.name.clone(),
            })
            .collect(),
        operations: operations.iter().map(named).collect(),
        plans: plans
            .iter()
            .map(|o| m::PlanLink {
                id: Id(o.plan.id.0),
                year: Year(o.plan.year),
                status: o.plan.status.into(),
                href: plan_href(unit.id, o.plan.year),
                reports: o
                    .reports
                    .iter()
                    .map(|k| m::ReportLink {
                        kind: (*k).into(),
                        href: report_href(unit.id, o.plan.year, *k),
                    })
                    .collect(),
            })
            .collect(),
    }
}

// ---- plans ----

fn plan_section(s: &d::PlanSectionView, placement: d::Placement) -> m::PlanSection {
    m::PlanSection {
        key: s.key.clone(),
        heading: s.heading.clone(),
        text: s.body.clone(),
        version: s.version,
        placement: placement.into(),
        children: s
            .children
            .iter()
            .map(|c| plan_section(c, placement))
            .collect(),
    }
}

fn goal_texts(g: &d::CascadeGoal) -> Vec<m::GoalText> {
    g.sections
        .iter()
        .map(|(s, body)| m::GoalText {
            key: (*s).into(),
            heading: s.heading().to_string(),
            text: body.clone(),
        })
        .collect()
}

fn owner(g: &d::CascadeGoal) -> m::Named {
    m::Named {
        id: Id(g.goal.owner_id.0),
        name: g.owner_name.clone(),
    }
}

fn plan_goal(g: &d::CascadeGoal) -> m::PlanGoal {
    m::PlanGoal {
        id: Id(g.goal.id.0),
        level: g.goal.level.into(),
        number: g.goal.number.clone(),
        title: g.goal.title.clone(),
        owner: owner(g),
        inherited: g.inherited,
        version: g.goal.version,
        sections: goal_texts(g),
        indicators: g
            .indicators
            .iter()
            .map(|i| m::PlanIndicator {
                id: Id(i.indicator.id.0),
                version: i.indicator.version,
                name: i.indicator.name.clone(),
                unit_of_measure: i.indicator.unit_of_measure.clone(),
                target: i.target.as_ref().map(target),
                council_target: i.indicator.council_target.as_ref().map(target),
                periodicity: i.indicator.periodicity.into(),
                direction: i.indicator.direction.into(),
                value_kind: i.indicator.value_kind.into(),
                by_sex: i.indicator.by_sex,
            })
            .collect(),
        activities: g
            .activities
            .iter()
            .map(|a| m::PlanActivity {
                id: Id(a.id.0),
                version: a.version,
                title: a.title.clone(),
                start: date(&a.start),
                end: date(&a.end),
            })
            .collect(),
        children: g.children.iter().map(plan_goal).collect(),
    }
}

/// A memo header with its version.
pub fn memo(stored: &malkedja_store::StoredMemo) -> m::Memo {
    let memo = &stored.memo;
    m::Memo {
        version: stored.version,
        case_number: memo.case_number.clone(),
        date: memo.date.as_ref().map(date),
        case_officer: memo.case_officer.clone(),
        addressee: memo.addressee.clone(),
        phone: memo.phone.clone(),
        title: memo.title.clone(),
        proposal: memo.proposal.clone(),
    }
}

pub fn plan(doc: &d::PlanDocument, stored_memo: &malkedja_store::StoredMemo) -> m::Plan {
    let sections = doc
        .sections_before
        .iter()
        .map(|s| plan_section(s, d::Placement::BeforeCascade))
        .chain(
            doc.sections_after
                .iter()
                .map(|s| plan_section(s, d::Placement::AfterCascade)),
        )
        .collect();
    m::Plan {
        id: Id(doc.plan.id.0),
        unit: named(&doc.unit),
        year: Year(doc.plan.year),
        status: doc.plan.status.into(),
        version: doc.plan.version,
        origin: doc.plan.origin.into(),
        sections,
        goals: doc.goals.iter().map(plan_goal).collect(),
        memo: memo(stored_memo),
    }
}

// ---- reports ----

impl From<d::TargetStatus> for m::TargetStatus {
    fn from(s: d::TargetStatus) -> Self {
        match s {
            d::TargetStatus::Reached => m::TargetStatus::Reached,
            d::TargetStatus::Near => m::TargetStatus::Near,
            d::TargetStatus::Far => m::TargetStatus::Far,
        }
    }
}

fn report_goal(g: &d::CascadeGoal, doc: &d::ReportDocument) -> m::ReportGoal {
    let assessed = doc.assessments.get(&g.goal.id);
    let mark = doc.marks.goals.get(&g.goal.id).copied().unwrap_or_default();
    let suggestion = d::suggest_for_goal(doc, g);
    m::ReportGoal {
        id: Id(g.goal.id.0),
        level: g.goal.level.into(),
        number: g.goal.number.clone(),
        title: g.goal.title.clone(),
        owner: owner(g),
        inherited: g.inherited,
        version: g.goal.version,
        sections: goal_texts(g),
        assessment: assessed.and_then(|a| a.assessment).map(Into::into),
        analysis: assessed.and_then(|a| a.analysis.clone()),
        assessment_version: mark.version,
        assessment_prefilled: mark.prefilled,
        suggestion: m::Suggestion {
            assessment: suggestion.assessment.into(),
            reasons: suggestion.reasons,
        },
        indicators: g
            .indicators
            .iter()
            .map(|i| {
                let o = doc.outcomes.get(&i.indicator.id);
                let mark = doc
                    .marks
                    .indicators
                    .get(&i.indicator.id)
                    .copied()
                    .unwrap_or_default();
                m::ReportIndicator {
                    id: Id(i.indicator.id.0),
                    indicator_id: Id(i.indicator.id.0),
                    outcome_version: mark.version,
                    outcome_prefilled: mark.prefilled,
                    status: d::indicator_status(doc, i).map(|s| m::StatusAgainstTarget {
                        status: s.status.into(),
                        outcome: decimal(&s.outcome),
                        target: decimal(&s.target),
                        gap: decimal(&s.gap),
                    }),
                    due: d::due_in(i.indicator.periodicity, doc.report.kind),
                    name: i.indicator.name.clone(),
                    unit_of_measure: i.indicator.unit_of_measure.clone(),
                    target: i.target.as_ref().map(target),
                    council_target: i.indicator.council_target.as_ref().map(target),
                    periodicity: i.indicator.periodicity.into(),
                    direction: i.indicator.direction.into(),
                    value_kind: i.indicator.value_kind.into(),
                    by_sex: i.indicator.by_sex,
                    outcome: o.and_then(|o| o.outcome.as_ref()).map(measure),
                    // Only an indicator reported for women and men has their outcomes.
                    outcome_men: o.and_then(|o| o.men.clone()).filter(|_| i.indicator.by_sex),
                    outcome_women: o
                        .and_then(|o| o.women.clone())
                        .filter(|_| i.indicator.by_sex),
                    previous: doc.previous_outcome(i.indicator.id),
                    period: o.and_then(|o| o.period.clone()),
                    analysis: o.and_then(|o| o.analysis.clone()),
                }
            })
            .collect(),
        activities: g
            .activities
            .iter()
            .map(|a| {
                let f = doc.followups.get(&a.id);
                let mark = doc.marks.activities.get(&a.id).copied().unwrap_or_default();
                m::ReportActivity {
                    status_version: mark.version,
                    status_prefilled: mark.prefilled,
                    id: Id(a.id.0),
                    title: a.title.clone(),
                    start: date(&a.start),
                    end: date(&a.end),
                    status: f.and_then(|f| f.status).map(Into::into),
                    analysis: f.and_then(|f| f.analysis.clone()),
                }
            })
            .collect(),
        children: g.children.iter().map(|c| report_goal(c, doc)).collect(),
    }
}

pub fn report_section(s: &d::ReportSection) -> m::ReportSection {
    m::ReportSection {
        key: s.key.clone(),
        version: s.version,
        heading: s.heading.clone(),
        text: s.body.clone(),
        placement: s.placement.into(),
    }
}

/// The report's sections, then those of its template not yet written (version 0, no
/// text).
fn report_sections(doc: &d::ReportDocument) -> Vec<m::ReportSection> {
    let mut out: Vec<m::ReportSection> = doc.sections.iter().map(report_section).collect();
    for t in d::report_template(doc.report.kind) {
        if !doc.sections.iter().any(|s| s.key == t.key) {
            out.push(m::ReportSection {
                key: t.key.to_string(),
                version: 0,
                heading: t.heading.to_string(),
                text: String::new(),
                placement: t.placement.into(),
            });
        }
    }
    out
}

/// A report's economy.
pub fn economy(e: &d::ReportEconomy) -> m::Economy {
    let dec = |d: Option<d::Decimal>| d.as_ref().map(decimal);
    m::Economy {
        version: e.version,
        operations: e
            .lines
            .iter()
            .map(|l| m::EconomyLine {
                operation: m::Named {
                    id: Id(l.operation_id.0),
                    name: l.operation_name.clone(),
                },
                budget: l.budget_text.clone(),
                forecast: l.forecast_text.clone(),
                outcome: l.outcome_text.clone(),
                budget_kr: dec(l.amounts.budget),
                forecast_kr: dec(l.amounts.forecast),
                outcome_kr: dec(l.amounts.outcome),
            })
            .collect(),
        totals: m::EconomyTotals {
            budget: dec(e.totals.budget),
            forecast: dec(e.totals.forecast),
            outcome: dec(e.totals.outcome),
            result: dec(e.totals.result),
            forecast_result: dec(e.totals.forecast_result),
        },
        analysis: e.analysis.clone(),
        investments: e.investments.clone(),
        premises: e.premises.clone(),
    }
}

pub fn report(doc: &d::ReportDocument, stored_memo: &malkedja_store::StoredMemo) -> m::Report {
    m::Report {
        id: Id(doc.report.id),
        unit: named(&doc.unit),
        year: Year(doc.year),
        kind: doc.report.kind.into(),
        status: doc.report.status.into(),
        version: doc.report.version,
        economy: economy(&doc.economy),
        sections: report_sections(doc),
        goals: doc.goals.iter().map(|g| report_goal(g, doc)).collect(),
        complaints: doc
            .complaints
            .iter()
            .map(|c| m::Complaint {
                group: c.group.clone(),
                category: c.category.clone(),
                t1: c.t1,
                t2: c.t2,
                annual: c.annual,
                total: c.total,
                assessment: c.assessment.clone(),
            })
            .collect(),
        memo: memo(stored_memo),
    }
}

/// A page of a plan's history.
pub fn history(plan: d::PlanId, page: &malkedja_store::HistoryPage) -> m::History {
    m::History {
        plan_id: Id(plan.0),
        events: page
            .events
            .iter()
            .map(|e| m::HistoryEvent {
                id: Id(e.id),
                at: e
                    .at
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default(),
                actor: e.actor.clone(),
                actor_name: e.actor_name.clone(),
                action: e.action.clone(),
                entity: e.entity.clone(),
                entity_id: e.entity_id.clone(),
                before: e.before.clone(),
                after: e.after.clone(),
            })
            .collect(),
        next_before: page.older.map(Id),
    }
}

/// What a plan takes from above its unit, after a change.
pub fn selection(found: &malkedja_store::PlanChoices) -> m::SavedSelection {
    let (choices, contents) = (&found.choices, &found.contents);
    let s = choices.selection(contents);
    m::SavedSelection {
        version: found.plan.version,
        goals: s.goals.iter().map(|g| Id(g.0)).collect(),
        kept_goals: choices
            .kept_goals(contents)
            .iter()
            .map(|g| Id(g.0))
            .collect(),
        activities: s.activities.iter().map(|a| Id(a.0)).collect(),
        indicators: s
            .indicators
            .iter()
            .map(|(i, t)| m::ChosenIndicator {
                id: Id(i.0),
                target: t.as_ref().map(target),
            })
            .collect(),
    }
}

// ---- the roll-up ----

impl From<d::Standing> for m::Standing {
    fn from(s: d::Standing) -> Self {
        match s {
            d::Standing::NotStarted => m::Standing::NotStarted,
            d::Standing::Draft => m::Standing::Draft,
            d::Standing::Submitted => m::Standing::Submitted,
            d::Standing::Approved => m::Standing::Approved,
            d::Standing::Late => m::Standing::Late,
        }
    }
}

impl From<d::Aggregation> for m::Aggregation {
    fn from(a: d::Aggregation) -> Self {
        match a {
            d::Aggregation::Sum => m::Aggregation::Sum,
            d::Aggregation::WeightedShare => m::Aggregation::WeightedShare,
            d::Aggregation::Listed => m::Aggregation::Listed,
        }
    }
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn cell(goal: d::GoalId, c: d::Cell) -> m::RollupCell {
    let (state, assessment, analysis) = match c {
        d::Cell::Assessed {
            assessment,
            analysis,
        } => (m::CellState::Assessed, Some(assessment.into()), analysis),
        d::Cell::NotAssessed => (m::CellState::NotAssessed, None, false),
        d::Cell::NotInReport => (m::CellState::NotInReport, None, false),
        d::Cell::NoReport => (m::CellState::NoReport, None, false),
        d::Cell::Hidden => (m::CellState::Hidden, None, false),
    };
    m::RollupCell {
        goal_id: Id(goal.0),
        state,
        assessment,
        analysis,
    }
}

/// A node's own assessment as the API answers it.
pub fn own_assessment(a: &d::RollupAssessment) -> m::OwnAssessment {
    m::OwnAssessment {
        assessment: a.assessment.map(Into::into),
        analysis: a.analysis.clone(),
        version: a.version,
    }
}

/// A roll-up, as built for the caller.
pub fn rollup(r: &d::Rollup) -> m::Rollup {
    let node = r.node();
    m::Rollup {
        node: m::RollupNode {
            id: Id(node.id.0),
            name: node.name.clone(),
            kind: node.kind.into(),
        },
        year: Year(r.year),
        kind: r.kind.into(),
        goals: r
            .goals
            .iter()
            .map(|g| {
                let t = &g.tally;
                m::RollupGoal {
                    id: Id(g.goal.id.0),
                    level: g.goal.level.into(),
                    number: g.goal.number.clone(),
                    title: g.goal.title.clone(),
                    parent_id: g.goal.parent_id.map(|p| Id(p.0)),
                    short: g.short.clone(),
                    own: g.own,
                    tally: m::RollupTally {
                        met: count(t.met),
                        partly_met: count(t.partly_met),
                        not_met: count(t.not_met),
                        no_data: count(t.no_data),
                        not_assessed: count(t.not_assessed),
                        not_in_report: count(t.not_in_report),
                        no_report: count(t.no_report),
                        hidden: count(t.hidden),
                    },
                    own_assessment: r.own.get(&g.goal.id).map(own_assessment),
                }
            })
            .collect(),
        units: r
            .units
            .iter()
            .map(|u| m::RollupUnit {
                id: Id(u.unit.id.0),
                name: u.unit.name.clone(),
                path: u.path.iter().map(|n| n.name.clone()).collect(),
                report: u.report.map(|(id, status)| m::RollupReport {
                    id: Id(id),
                    status: status.into(),
                    readable: u.readable,
                    href: report_href(u.unit.id, r.year, r.kind),
                }),
                standing: u.standing.into(),
                deadline: u.deadline.as_ref().map(date),
                cells: u
                    .cells
                    .iter()
                    .zip(&r.goals)
                    .map(|(c, g)| cell(g.goal.id, *c))
                    .collect(),
            })
            .collect(),
        indicators: r
            .indicators
            .iter()
            .map(|i| m::RollupIndicator {
                id: Id(i.indicator.id.0),
                goal_id: Id(i.indicator.goal_id.0),
                name: i.indicator.name.clone(),
                unit_of_measure: i.indicator.unit_of_measure.clone(),
                value_kind: i.indicator.value_kind.into(),
                aggregation: i.aggregation.into(),
                rule: i.rule.to_string(),
                combined: i.combined.as_ref().map(|c| m::Combined {
                    value: decimal(&c.value),
                    women: c.women.as_ref().map(decimal),
                    men: c.men.as_ref().map(decimal),
                    units: count(c.units),
                }),
                spread: i.spread.as_ref().map(|s| m::Spread {
                    min: decimal(&s.min),
                    min_unit: s.min_unit.clone(),
                    max: decimal(&s.max),
                    max_unit: s.max_unit.clone(),
                }),
                expected: count(i.expected),
                values: i
                    .values
                    .iter()
                    .map(|v| m::UnitValue {
                        unit_id: Id(v.unit_id.0),
                        unit: v.unit.clone(),
                        text: v.text.clone(),
                        value: v.value.as_ref().map(decimal),
                        women: v.women.clone(),
                        men: v.men.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    fn code<T: Serialize>(v: T) -> String {
        serde_json::to_value(v)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// The API's enumerations serialise to exactly the domain's codes.
    #[test]
    fn enumerations_are_the_domain_codes() {
        for k in d::OrgKind::ALL {
            assert_eq!(code(m::OrgKind::from(k)), k.code());
        }
        for s in [
            d::PlanStatus::Draft,
            d::PlanStatus::Submitted,
            d::PlanStatus::Approved,
            d::PlanStatus::Returned,
        ] {
            assert_eq!(code(m::Status::from(s)), s.code());
        }
        for k in d::ReportKind::ALL {
            assert_eq!(code(m::ReportKind::from(k)), k.code());
        }
        for o in [d::PlanOrigin::Plan, d::PlanOrigin::Report] {
            assert_eq!(code(m::PlanOrigin::from(o)), o.code());
        }
        for l in d::GoalLevel::ALL {
            assert_eq!(code(m::GoalLevel::from(l)), l.code());
        }
        for s in d::GoalSection::ALL {
            assert_eq!(code(m::GoalSectionKey::from(s)), s.code());
        }
        for p in [d::Placement::BeforeCascade, d::Placement::AfterCascade] {
            assert_eq!(code(m::Placement::from(p)), p.code());
        }
        for p in [d::Periodicity::Year, d::Periodicity::Tertial] {
            assert_eq!(code(m::Periodicity::from(p)), p.code());
        }
        for x in [d::Direction::HigherIsBetter, d::Direction::LowerIsBetter] {
            assert_eq!(code(m::Direction::from(x)), x.code());
        }
        for v in [
            d::ValueKind::Percent,
            d::ValueKind::Index,
            d::ValueKind::Number,
            d::ValueKind::Text,
        ] {
            assert_eq!(code(m::ValueKind::from(v)), v.code());
        }
        for a in d::Assessment::ALL {
            assert_eq!(code(m::Assessment::from(a)), a.code());
        }
        for s in d::ActivityStatus::ALL {
            assert_eq!(code(m::ActivityStatus::from(s)), s.code());
        }
    }

    #[test]
    fn decimals_never_use_an_exponent() {
        for text in ["58,84 %", "0,000001", "-1,5", "1 000 000", "90"] {
            let v = d::Measure::parse(text).value.expect("a number");
            let s = decimal(&v).0;
            assert!(
                s.chars()
                    .all(|c| c.is_ascii_digit() || c == '.' || c == '-'),
                "{text} → {s}"
            );
        }
    }
}
