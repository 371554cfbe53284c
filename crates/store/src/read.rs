//! Reads. Each query is a function on a connection, so that a [`crate::Writer`] can run
//! it inside its transaction and [`Store`] on a pooled connection.

use crate::{Store, StoreError, rows};
use malkedja_domain::{
    Activity, ActivityId, CascadeInputs, Goal, GoalId, GoalLevel, GoalSection, Indicator,
    IndicatorId, IndicatorTarget, NodeId, OrgKind, OrgNode, Placement, Plan, PlanDocument,
    PlanSection, PlanSectionView, ReportDocument, ReportKind, Selection, TemplateSection,
    TextVersion, UnitFacts, Year, administration_of, assemble_cascade, build_sections,
    default_plan_template, missing_sections,
};
use serde::Serialize;
use sqlx::AnyConnection;
use sqlx::Row;
use std::collections::HashMap;

type R<T> = Result<T, StoreError>;

const NODE_COLS: &str = "id, parent_id, kind, name, position, version";
const GOAL_COLS: &str = "id, year, level, owner_id, parent_id, number, title, position, version";
const INDICATOR_COLS: &str = "id, year, goal_id, owner_id, name, unit_of_measure, periodicity, direction, value_kind, council_target_kind, council_target_text, council_target_value, position, version";
const ACTIVITY_COLS: &str =
    "id, year, goal_id, owner_id, title, start_date, end_date, position, version";

/// Runs a query built at run time. Only our own constants and `$N` placeholders are ever
/// put into `sql`; values are always bound.
fn dynamic(sql: String) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments> {
    sqlx::query(sqlx::AssertSqlSafe(sql))
}

/// `$from, $from+1, …` for `n` values.
fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) async fn node(c: &mut AnyConnection, id: NodeId) -> R<Option<OrgNode>> {
    dynamic(format!("SELECT {NODE_COLS} FROM org_node WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(&mut *c)
        .await?
        .map(|r| rows::node(&r))
        .transpose()
}

pub(crate) async fn nodes(c: &mut AnyConnection) -> R<Vec<OrgNode>> {
    dynamic(format!(
        "SELECT {NODE_COLS} FROM org_node ORDER BY position, id"
    ))
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(rows::node)
    .collect()
}

pub(crate) async fn children(c: &mut AnyConnection, id: NodeId) -> R<Vec<OrgNode>> {
    let mut out: Vec<OrgNode> = dynamic(format!(
        "SELECT {NODE_COLS} FROM org_node WHERE parent_id = $1 ORDER BY position, id"
    ))
    .bind(id.0)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(rows::node)
    .collect::<R<_>>()?;
    out.sort_by(|a, b| {
        a.position
            .cmp(&b.position)
            .then_with(|| malkedja_domain::swedish_cmp(&a.name, &b.name))
    });
    Ok(out)
}

/// The node and its ancestors, from the node up to the root.
pub(crate) async fn chain(c: &mut AnyConnection, id: NodeId) -> R<Vec<OrgNode>> {
    let mut out = Vec::new();
    let mut next = Some(id);
    while let Some(id) = next {
        // A cycle cannot be written through the store; stop anyway rather than loop.
        if out.len() > 32 || out.iter().any(|n: &OrgNode| n.id == id) {
            return Err(StoreError::Corrupt(format!(
                "organisationen har en slinga vid nod {id}"
            )));
        }
        let Some(n) = node(c, id).await? else { break };
        next = n.parent_id;
        out.push(n);
    }
    Ok(out)
}

pub(crate) async fn goal(c: &mut AnyConnection, id: GoalId) -> R<Option<Goal>> {
    dynamic(format!("SELECT {GOAL_COLS} FROM goal WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(&mut *c)
        .await?
        .map(|r| rows::goal(&r))
        .transpose()
}

/// Goals of a year owned by any of `owners`.
pub(crate) async fn goals_owned_by(
    c: &mut AnyConnection,
    year: Year,
    owners: &[NodeId],
) -> R<Vec<Goal>> {
    if owners.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = dynamic(format!(
        "SELECT {GOAL_COLS} FROM goal WHERE year = $1 AND owner_id IN ({}) ORDER BY position, id",
        placeholders(2, owners.len())
    ))
    .bind(i64::from(year));
    for o in owners {
        q = q.bind(o.0);
    }
    q.fetch_all(&mut *c).await?.iter().map(rows::goal).collect()
}

pub(crate) async fn goal_texts(c: &mut AnyConnection, goal_id: GoalId) -> R<Vec<TextVersion>> {
    Ok(sqlx::query(
        "SELECT goal_id, section, revision, body, valid_from FROM goal_text WHERE goal_id = $1 ORDER BY section, revision",
    )
    .bind(goal_id.0)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(rows::text_version)
    .collect::<R<Vec<_>>>()?
    .into_iter()
    .map(|(_, v)| v)
    .collect())
}

pub(crate) async fn indicator(c: &mut AnyConnection, id: IndicatorId) -> R<Option<Indicator>> {
    dynamic(format!(
        "SELECT {INDICATOR_COLS} FROM indicator WHERE id = $1"
    ))
    .bind(id.0)
    .fetch_optional(&mut *c)
    .await?
    .map(|r| rows::indicator(&r))
    .transpose()
}

pub(crate) async fn activity(c: &mut AnyConnection, id: ActivityId) -> R<Option<Activity>> {
    dynamic(format!(
        "SELECT {ACTIVITY_COLS} FROM activity WHERE id = $1"
    ))
    .bind(id.0)
    .fetch_optional(&mut *c)
    .await?
    .map(|r| rows::activity(&r))
    .transpose()
}

/// The indicators hanging on a goal.
pub(crate) async fn indicators_on(c: &mut AnyConnection, goal: GoalId) -> R<Vec<Indicator>> {
    dynamic(format!(
        "SELECT {INDICATOR_COLS} FROM indicator WHERE goal_id = $1 ORDER BY position, id"
    ))
    .bind(goal.0)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(rows::indicator)
    .collect()
}

/// The activities hanging on a goal.
pub(crate) async fn activities_on(c: &mut AnyConnection, goal: GoalId) -> R<Vec<Activity>> {
    dynamic(format!(
        "SELECT {ACTIVITY_COLS} FROM activity WHERE goal_id = $1 ORDER BY position, id"
    ))
    .bind(goal.0)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(rows::activity)
    .collect()
}

pub(crate) async fn plan(c: &mut AnyConnection, unit: NodeId, year: Year) -> R<Option<Plan>> {
    sqlx::query(
        "SELECT id, unit_id, year, status, version FROM plan WHERE unit_id = $1 AND year = $2",
    )
    .bind(unit.0)
    .bind(i64::from(year))
    .fetch_optional(&mut *c)
    .await?
    .map(|r| rows::plan(&r))
    .transpose()
}

pub(crate) async fn plan_section(
    c: &mut AnyConnection,
    plan: malkedja_domain::PlanId,
    key: &str,
) -> R<Option<PlanSection>> {
    sqlx::query(
        "SELECT plan_id, key, body, version FROM plan_section WHERE plan_id = $1 AND key = $2",
    )
    .bind(plan.0)
    .bind(key)
    .fetch_optional(&mut *c)
    .await?
    .map(|r| rows::plan_section(&r))
    .transpose()
}

pub(crate) async fn facts(c: &mut AnyConnection, node: NodeId, year: Year) -> R<Option<UnitFacts>> {
    sqlx::query(
        "SELECT node_id, year, managers, staff, clients, clients_label, budget_kr, staff_meetings, version FROM unit_facts WHERE node_id = $1 AND year = $2",
    )
    .bind(node.0)
    .bind(i64::from(year))
    .fetch_optional(&mut *c)
    .await?
    .map(|r| rows::facts(&r))
    .transpose()
}

/// The template of plan sections for an administration and year; the default template
/// when the administration has not set one.
pub(crate) async fn template(
    c: &mut AnyConnection,
    admin: Option<NodeId>,
    year: Year,
) -> R<Vec<TemplateSection>> {
    let Some(admin) = admin else {
        return Ok(default_plan_template());
    };
    let rows: Vec<TemplateSection> = sqlx::query(
        "SELECT key, parent_key, heading, guidance, placement, position FROM template_section WHERE admin_id = $1 AND year = $2 ORDER BY position",
    )
    .bind(admin.0)
    .bind(i64::from(year))
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(rows::template_section)
    .collect::<R<_>>()?;
    Ok(if rows.is_empty() {
        default_plan_template()
    } else {
        rows
    })
}

async fn ids(c: &mut AnyConnection, sql: &'static str, node: NodeId) -> R<Vec<i64>> {
    sqlx::query(sql)
        .bind(node.0)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| r.try_get::<i64, _>(0).map_err(StoreError::from))
        .collect()
}

pub(crate) async fn selection(c: &mut AnyConnection, unit: NodeId) -> R<Selection> {
    use malkedja_domain::{ActivityId, IndicatorId};
    Ok(Selection {
        goals: ids(
            c,
            "SELECT goal_id FROM selected_goal WHERE node_id = $1",
            unit,
        )
        .await?
        .into_iter()
        .map(GoalId)
        .collect(),
        indicators: ids(
            c,
            "SELECT indicator_id FROM selected_indicator WHERE node_id = $1",
            unit,
        )
        .await?
        .into_iter()
        .map(IndicatorId)
        .collect(),
        activities: ids(
            c,
            "SELECT activity_id FROM selected_activity WHERE node_id = $1",
            unit,
        )
        .await?
        .into_iter()
        .map(ActivityId)
        .collect(),
    })
}

/// The cascade a unit sees in a year, with the goal texts in force at `at`.
async fn load_cascade(
    c: &mut AnyConnection,
    chain: &[OrgNode],
    year: Year,
    at: time::OffsetDateTime,
    pinned: &HashMap<(GoalId, GoalSection), i64>,
) -> R<Vec<malkedja_domain::CascadeGoal>> {
    let Some(unit) = chain.first().map(|n| n.id) else {
        return Ok(Vec::new());
    };
    let owners: Vec<NodeId> = chain.iter().map(|n| n.id).collect();
    let goals = goals_owned_by(c, year, &owners).await?;

    // Everything hanging on those goals, in one query per table.
    let goal_filter = format!(
        "SELECT id FROM goal WHERE year = $1 AND owner_id IN ({})",
        placeholders(2, owners.len())
    );
    let bind_all = |sql: String| {
        let mut q = dynamic(sql).bind(i64::from(year));
        for o in &owners {
            q = q.bind(o.0);
        }
        q
    };
    let mut texts: HashMap<GoalId, Vec<TextVersion>> = HashMap::new();
    for row in bind_all(format!(
        "SELECT goal_id, section, revision, body, valid_from FROM goal_text WHERE goal_id IN ({goal_filter})"
    ))
    .fetch_all(&mut *c)
    .await?
    {
        let (g, v) = rows::text_version(&row)?;
        texts.entry(g).or_default().push(v);
    }
    let indicators: Vec<Indicator> = bind_all(format!(
        "SELECT {INDICATOR_COLS} FROM indicator WHERE goal_id IN ({goal_filter})"
    ))
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(rows::indicator)
    .collect::<R<_>>()?;
    let targets: Vec<IndicatorTarget> = bind_all(format!(
        "SELECT t.indicator_id, t.node_id, t.kind, t.text, t.value FROM indicator_target t JOIN indicator i ON i.id = t.indicator_id WHERE i.goal_id IN ({goal_filter}) AND t.node_id IN ({})",
        placeholders(2, owners.len())
    ))
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(rows::indicator_target)
    .collect::<R<_>>()?;
    let activities: Vec<Activity> = bind_all(format!(
        "SELECT {ACTIVITY_COLS} FROM activity WHERE goal_id IN ({goal_filter})"
    ))
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(rows::activity)
    .collect::<R<_>>()?;
    let selection = selection(c, unit).await?;
    Ok(assemble_cascade(&CascadeInputs {
        chain,
        goals: &goals,
        texts: &texts,
        indicators: &indicators,
        targets: &targets,
        activities: &activities,
        selection: &selection,
        at,
        pinned,
    }))
}

/// Loads and assembles a unit's plan for a year. `None` when the unit has no plan then.
/// The plan shows the goal texts in force when it was written (a draft: now).
pub(crate) async fn plan_document(
    c: &mut AnyConnection,
    unit: NodeId,
    year: Year,
) -> R<Option<PlanDocument>> {
    let Some(plan) = plan(c, unit, year).await? else {
        return Ok(None);
    };
    let chain = chain(c, unit).await?;
    let Some(unit_node) = chain.first().cloned() else {
        return Ok(None);
    };
    let at = crate::followup::plan_written_at(c, plan.id)
        .await?
        .unwrap_or_else(time::OffsetDateTime::now_utc);
    let pins = crate::followup::pins(c, crate::followup::PinOf::Plan(plan.id.0)).await?;
    let goals = load_cascade(c, &chain, year, at, &pins).await?;
    let (sections_before, sections_after) = plan_sections(c, &chain, &plan).await?;

    let unit_facts = facts(c, unit, year).await?;
    let mut operations = Vec::new();
    for op in children(c, unit)
        .await?
        .into_iter()
        .filter(|n| n.kind == OrgKind::Operation)
    {
        let f = facts(c, op.id, year).await?;
        operations.push((op, f));
    }
    Ok(Some(PlanDocument {
        sections_before,
        sections_after,
        plan,
        unit: unit_node,
        chain,
        facts: unit_facts,
        operations,
        goals,
    }))
}

/// A plan's own sections, before and after the cascade, from its administration's template
/// and its texts. `chain` is the plan's unit and its ancestors.
async fn plan_sections(
    c: &mut AnyConnection,
    chain: &[OrgNode],
    plan: &Plan,
) -> R<(Vec<PlanSectionView>, Vec<PlanSectionView>)> {
    let template = template(c, administration_of(chain), plan.year).await?;
    let bodies: Vec<PlanSection> =
        sqlx::query("SELECT plan_id, key, body, version FROM plan_section WHERE plan_id = $1")
            .bind(plan.id.0)
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(rows::plan_section)
            .collect::<R<_>>()?;
    Ok((
        build_sections(&template, &bodies, plan.year, Placement::BeforeCascade),
        build_sections(&template, &bodies, plan.year, Placement::AfterCascade),
    ))
}

/// A unit's plan for one year at a glance: what still lacks text and which reports follow
/// it up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanOverview {
    pub plan: Plan,
    /// Headings of the sections that ask for text and have none yet.
    pub missing: Vec<String>,
    pub reports: Vec<ReportKind>,
}

/// A unit's plans, newest year first.
pub(crate) async fn plans_of(c: &mut AnyConnection, unit: NodeId) -> R<Vec<Plan>> {
    sqlx::query(
        "SELECT id, unit_id, year, status, version FROM plan WHERE unit_id = $1 ORDER BY year DESC",
    )
    .bind(unit.0)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(rows::plan)
    .collect()
}

/// The unit's plans, newest first, each at a glance.
pub(crate) async fn plan_overview(c: &mut AnyConnection, unit: NodeId) -> R<Vec<PlanOverview>> {
    let chain = chain(c, unit).await?;
    let plans = plans_of(c, unit).await?;
    let mut out = Vec::with_capacity(plans.len());
    for plan in plans {
        let (before, after) = plan_sections(c, &chain, &plan).await?;
        let mut missing = missing_sections(&before);
        missing.extend(missing_sections(&after));
        let reports = crate::followup::report_kinds(c, plan.id).await?;
        out.push(PlanOverview {
            plan,
            missing,
            reports,
        });
    }
    Ok(out)
}

/// Loads a unit's report of a kind for a year, with the cascade as it stood when the
/// report was written.
pub(crate) async fn report_document(
    c: &mut AnyConnection,
    unit: NodeId,
    year: Year,
    kind: ReportKind,
) -> R<Option<ReportDocument>> {
    use crate::followup;
    let Some(plan) = plan(c, unit, year).await? else {
        return Ok(None);
    };
    let Some((report, at)) = followup::report(c, plan.id, kind).await? else {
        return Ok(None);
    };
    let chain = chain(c, unit).await?;
    let Some(unit_node) = chain.first().cloned() else {
        return Ok(None);
    };
    let pins = followup::pins(c, followup::PinOf::Report(report.id)).await?;
    let goals = load_cascade(c, &chain, year, at, &pins).await?;
    Ok(Some(ReportDocument {
        sections: followup::report_sections(c, report.id).await?,
        assessments: followup::assessments(c, report.id).await?,
        outcomes: followup::outcomes(c, report.id).await?,
        followups: followup::followups(c, report.id).await?,
        complaints: followup::complaints(c, report.id).await?,
        report,
        year,
        unit: unit_node,
        chain,
        goals,
    }))
}

/// One entry of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEvent {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl Store {
    async fn conn(&self) -> R<sqlx::pool::PoolConnection<sqlx::Any>> {
        Ok(self.pool.acquire().await?)
    }

    /// All nodes of the organisation, flat.
    pub async fn org_nodes(&self) -> R<Vec<OrgNode>> {
        nodes(&mut *self.conn().await?).await
    }

    pub async fn node(&self, id: NodeId) -> R<Option<OrgNode>> {
        node(&mut *self.conn().await?, id).await
    }

    pub async fn children(&self, id: NodeId) -> R<Vec<OrgNode>> {
        children(&mut *self.conn().await?, id).await
    }

    /// The node and its ancestors, from the node up to the root.
    pub async fn chain(&self, id: NodeId) -> R<Vec<OrgNode>> {
        chain(&mut *self.conn().await?, id).await
    }

    pub async fn goal(&self, id: GoalId) -> R<Option<Goal>> {
        goal(&mut *self.conn().await?, id).await
    }

    /// All versions of all sections of a goal's text.
    pub async fn goal_texts(&self, id: GoalId) -> R<Vec<TextVersion>> {
        goal_texts(&mut *self.conn().await?, id).await
    }

    /// Goals of a year at a level, across the whole organisation.
    pub async fn goals_at_level(&self, year: Year, level: GoalLevel) -> R<Vec<Goal>> {
        dynamic(format!(
            "SELECT {GOAL_COLS} FROM goal WHERE year = $1 AND level = $2 ORDER BY position, id"
        ))
        .bind(i64::from(year))
        .bind(level.code())
        .fetch_all(&mut *self.conn().await?)
        .await?
        .iter()
        .map(rows::goal)
        .collect()
    }

    /// The planning years, oldest first.
    pub async fn years(&self) -> R<Vec<Year>> {
        sqlx::query("SELECT year FROM planning_year ORDER BY year")
            .fetch_all(&mut *self.conn().await?)
            .await?
            .iter()
            .map(|r| Ok(r.try_get::<i64, _>(0)? as Year))
            .collect()
    }

    /// A unit's plans, newest year first.
    pub async fn plans_of(&self, unit: NodeId) -> R<Vec<Plan>> {
        plans_of(&mut *self.conn().await?, unit).await
    }

    /// The kinds of report a plan has, in the order of the year.
    pub async fn report_kinds(&self, plan: malkedja_domain::PlanId) -> R<Vec<ReportKind>> {
        crate::followup::report_kinds(&mut *self.conn().await?, plan).await
    }

    pub async fn plan(&self, unit: NodeId, year: Year) -> R<Option<Plan>> {
        plan(&mut *self.conn().await?, unit, year).await
    }

    pub async fn plan_section(
        &self,
        plan: malkedja_domain::PlanId,
        key: &str,
    ) -> R<Option<PlanSection>> {
        plan_section(&mut *self.conn().await?, plan, key).await
    }

    /// A unit's plan for a year, assembled: sections, inherited cascade, own goals.
    pub async fn plan_document(&self, unit: NodeId, year: Year) -> R<Option<PlanDocument>> {
        plan_document(&mut *self.conn().await?, unit, year).await
    }

    /// The unit's plans, newest first, each with the sections that still lack text and
    /// the reports that follow it up.
    pub async fn plan_overview(&self, unit: NodeId) -> R<Vec<PlanOverview>> {
        plan_overview(&mut *self.conn().await?, unit).await
    }

    /// A unit's report of a kind for a year, assembled.
    pub async fn report_document(
        &self,
        unit: NodeId,
        year: Year,
        kind: ReportKind,
    ) -> R<Option<ReportDocument>> {
        report_document(&mut *self.conn().await?, unit, year, kind).await
    }

    pub async fn unit_facts(&self, node: NodeId, year: Year) -> R<Option<UnitFacts>> {
        facts(&mut *self.conn().await?, node, year).await
    }

    pub async fn selection(&self, unit: NodeId) -> R<Selection> {
        selection(&mut *self.conn().await?, unit).await
    }

    /// The audit trail of one object, oldest first.
    pub async fn audit_trail(&self, entity: &str, entity_id: &str) -> R<Vec<AuditEvent>> {
        sqlx::query(
            "SELECT id, at, actor, action, entity, entity_id, before_json, after_json FROM audit_event WHERE entity = $1 AND entity_id = $2 ORDER BY id",
        )
        .bind(entity)
        .bind(entity_id)
        .fetch_all(&mut *self.conn().await?)
        .await?
        .iter()
        .map(|r| {
            let parse = |s: Option<String>| -> R<Option<serde_json::Value>> {
                s.map(|s| serde_json::from_str(&s).map_err(|e| StoreError::Corrupt(e.to_string()))).transpose()
            };
            Ok(AuditEvent {
                id: r.try_get("id")?,
                at: r.try_get("at")?,
                actor: r.try_get("actor")?,
                action: r.try_get("action")?,
                entity: r.try_get("entity")?,
                entity_id: r.try_get("entity_id")?,
                before: parse(r.try_get("before_json")?)?,
                after: parse(r.try_get("after_json")?)?,
            })
        })
        .collect()
    }

    /// Number of audit events, for tests and health pages.
    pub async fn audit_count(&self) -> R<i64> {
        Ok(sqlx::query("SELECT COUNT(*) FROM audit_event")
            .fetch_one(&mut *self.conn().await?)
            .await?
            .try_get::<i64, _>(0)?)
    }
}
