//! Reads. Each query is a function on a connection, so that a [`crate::Writer`] can run
//! it inside its transaction and [`Store`] on a pooled connection.

use crate::document::DocRef;
use crate::{Store, StoreError, rows};
use malkedja_domain::{
    Activity, ActivityId, CascadeInputs, Goal, GoalId, GoalLevel, Indicator, IndicatorId,
    IndicatorTarget, NodeId, OrgNode, Placement, Plan, PlanDocument, PlanId, PlanSection,
    PlanSectionView, ReportDocument, ReportKind, TemplateSection, TextVersion, UnitFacts, Year,
    administration_of, assemble_cascade, build_sections, default_plan_template, missing_sections,
};
use malkedja_domain::{Completion, PartInfo, PlanPart, section_parts};
use serde::Serialize;
use sqlx::AnyConnection;
use sqlx::Row;
use std::collections::{HashMap, HashSet};

type R<T> = Result<T, StoreError>;

pub(crate) const NODE_COLS: &str = "id, parent_id, kind, name, position, version, closed_on";
pub(crate) const GOAL_COLS: &str =
    "id, year, level, owner_id, parent_id, number, title, position, version";
pub(crate) const INDICATOR_COLS: &str = "id, year, goal_id, owner_id, name, unit_of_measure, periodicity, direction, value_kind, by_sex, council_target_kind, council_target_text, council_target_value, position, version";
pub(crate) const ACTIVITY_COLS: &str =
    "id, year, goal_id, owner_id, title, start_date, end_date, position, version";

pub(crate) type Query = sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments>;

tokio::task_local! {
    /// Statements issued by the current task, when it counts them ([`count_queries`]).
    static QUERIES: std::cell::Cell<usize>;
}

fn counted() {
    let _ = QUERIES.try_with(|n| n.set(n.get() + 1));
}

/// Runs `work` and counts the SQL statements the store issues for it: how tests hold a
/// page's read to a fixed number of queries.
pub async fn count_queries<F: std::future::Future>(work: F) -> (F::Output, usize) {
    QUERIES
        .scope(std::cell::Cell::new(0), async {
            let out = work.await;
            (out, QUERIES.with(std::cell::Cell::get))
        })
        .await
}

/// A statement of the store's own text. Every read goes through this or [`sql`], so that
/// statements can be counted.
pub(crate) fn query(text: &'static str) -> Query {
    counted();
    sqlx::query(text)
}

/// A statement built at run time. Only our own constants and `$N` placeholders are ever
/// put into `text`; values are always bound.
pub(crate) fn sql(text: String) -> Query {
    counted();
    sqlx::query(sqlx::AssertSqlSafe(text))
}

/// `$from, $from+1, …` for `n` values.
pub(crate) fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) async fn node(c: &mut AnyConnection, id: NodeId) -> R<Option<OrgNode>> {
    sql(format!("SELECT {NODE_COLS} FROM org_node WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(&mut *c)
        .await?
        .map(|r| rows::node(&r))
        .transpose()
}

pub(crate) async fn nodes(c: &mut AnyConnection) -> R<Vec<OrgNode>> {
    sql(format!(
        "SELECT {NODE_COLS} FROM org_node ORDER BY position, id"
    ))
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(rows::node)
    .collect()
}

/// Siblings in the tree: by position, then by name in Swedish order.
fn sibling_order(a: &OrgNode, b: &OrgNode) -> std::cmp::Ordering {
    a.position
        .cmp(&b.position)
        .then_with(|| malkedja_domain::swedish_cmp(&a.name, &b.name))
}

pub(crate) async fn children(c: &mut AnyConnection, id: NodeId) -> R<Vec<OrgNode>> {
    let mut out: Vec<OrgNode> = sql(format!(
        "SELECT {NODE_COLS} FROM org_node WHERE parent_id = $1 ORDER BY position, id"
    ))
    .bind(id.0)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(rows::node)
    .collect::<R<_>>()?;
    out.sort_by(sibling_order);
    Ok(out)
}

/// The node and its ancestors, from the node up to the root, in one query whatever the
/// depth.
pub(crate) async fn chain(c: &mut AnyConnection, id: NodeId) -> R<Vec<OrgNode>> {
    let out: Vec<OrgNode> = query(
        "WITH RECURSIVE up (id, parent_id, kind, name, position, version, closed_on, depth) AS ( \
           SELECT id, parent_id, kind, name, position, version, closed_on, 0 FROM org_node WHERE id = $1 \
           UNION ALL \
           SELECT n.id, n.parent_id, n.kind, n.name, n.position, n.version, n.closed_on, up.depth + 1 \
           FROM org_node n JOIN up ON n.id = up.parent_id WHERE up.depth < 64 \
         ) SELECT id, parent_id, kind, name, position, version, closed_on FROM up ORDER BY depth",
    )
    .bind(id.0)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(rows::node)
    .collect::<R<_>>()?;
    // A cycle cannot be written through the store; say so rather than show half a chain.
    if out.len() > 64 {
        return Err(StoreError::Corrupt(format!(
            "organisationen har en slinga vid nod {id}"
        )));
    }
    Ok(out)
}

/// The owner and year of each of these goals, indicators and activities, in one query:
/// what a document needs to know of the items it takes in. Ids that do not exist are
/// missing from the answer.
pub(crate) async fn item_scopes(
    c: &mut AnyConnection,
    goals: &[GoalId],
    indicators: &[IndicatorId],
    activities: &[ActivityId],
) -> R<Vec<(crate::Item, NodeId, Year)>> {
    let mut parts = Vec::new();
    let mut next = 1;
    for (what, table, n) in [
        ("goal", "goal", goals.len()),
        ("indicator", "indicator", indicators.len()),
        ("activity", "activity", activities.len()),
    ] {
        if n > 0 {
            parts.push(format!(
                "SELECT '{what}' AS what, id, owner_id, year FROM {table} WHERE id IN ({})",
                placeholders(next, n)
            ));
            next += n;
        }
    }
    if parts.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = sql(parts.join(" UNION ALL "));
    for id in goals.iter().map(|g| g.0) {
        q = q.bind(id);
    }
    for id in indicators.iter().map(|i| i.0) {
        q = q.bind(id);
    }
    for id in activities.iter().map(|a| a.0) {
        q = q.bind(id);
    }
    q.fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| {
            let what: String = r.try_get(0)?;
            let id: i64 = r.try_get(1)?;
            let item = match what.as_str() {
                "goal" => crate::Item::Goal(GoalId(id)),
                "indicator" => crate::Item::Indicator(IndicatorId(id)),
                _ => crate::Item::Activity(ActivityId(id)),
            };
            Ok((item, NodeId(r.try_get(2)?), r.try_get::<i64, _>(3)? as Year))
        })
        .collect()
}

pub(crate) async fn goal(c: &mut AnyConnection, id: GoalId) -> R<Option<Goal>> {
    sql(format!("SELECT {GOAL_COLS} FROM goal WHERE id = $1"))
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
    let mut q = sql(format!(
        "SELECT {GOAL_COLS} FROM goal WHERE year = $1 AND removed_at IS NULL AND owner_id IN ({}) ORDER BY position, id",
        placeholders(2, owners.len())
    ))
    .bind(i64::from(year));
    for o in owners {
        q = q.bind(o.0);
    }
    q.fetch_all(&mut *c).await?.iter().map(rows::goal).collect()
}

pub(crate) async fn goal_texts(c: &mut AnyConnection, goal_id: GoalId) -> R<Vec<TextVersion>> {
    Ok(query(
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

/// The texts of many goals in one query, by goal (a goal without texts is absent).
pub(crate) async fn goal_texts_of(
    c: &mut AnyConnection,
    goals: &[GoalId],
) -> R<HashMap<GoalId, Vec<TextVersion>>> {
    let mut out: HashMap<GoalId, Vec<TextVersion>> = HashMap::new();
    for chunk in goals.chunks(crate::bulk::MAX_VALUES) {
        let mut q = sql(format!(
            "SELECT goal_id, section, revision, body, valid_from FROM goal_text WHERE goal_id IN ({}) ORDER BY goal_id, section, revision",
            placeholders(1, chunk.len())
        ));
        for g in chunk {
            q = q.bind(g.0);
        }
        for row in q.fetch_all(&mut *c).await? {
            let (g, v) = rows::text_version(&row)?;
            out.entry(g).or_default().push(v);
        }
    }
    Ok(out)
}

/// Many indicators by id in one query (those that exist).
pub(crate) async fn indicators_by_id(
    c: &mut AnyConnection,
    ids: &[IndicatorId],
) -> R<Vec<Indicator>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(crate::bulk::MAX_VALUES) {
        let mut q = sql(format!(
            "SELECT {INDICATOR_COLS} FROM indicator WHERE id IN ({})",
            placeholders(1, chunk.len())
        ));
        for i in chunk {
            q = q.bind(i.0);
        }
        for row in q.fetch_all(&mut *c).await? {
            out.push(rows::indicator(&row)?);
        }
    }
    Ok(out)
}

pub(crate) async fn indicator(c: &mut AnyConnection, id: IndicatorId) -> R<Option<Indicator>> {
    sql(format!(
        "SELECT {INDICATOR_COLS} FROM indicator WHERE id = $1"
    ))
    .bind(id.0)
    .fetch_optional(&mut *c)
    .await?
    .map(|r| rows::indicator(&r))
    .transpose()
}

pub(crate) async fn activity(c: &mut AnyConnection, id: ActivityId) -> R<Option<Activity>> {
    sql(format!(
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
    sql(format!(
        "SELECT {INDICATOR_COLS} FROM indicator WHERE goal_id = $1 AND removed_at IS NULL ORDER BY position, id"
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
    sql(format!(
        "SELECT {ACTIVITY_COLS} FROM activity WHERE goal_id = $1 AND removed_at IS NULL ORDER BY position, id"
    ))
    .bind(goal.0)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(rows::activity)
    .collect()
}

const PLAN_COLS: &str = "id, unit_id, year, status, version, origin, written_at";

pub(crate) async fn plan(c: &mut AnyConnection, unit: NodeId, year: Year) -> R<Option<Plan>> {
    Ok(plan_and_written_at(c, unit, year).await?.map(|p| p.plan))
}

/// A plan by its id.
pub(crate) async fn plan_by_id(c: &mut AnyConnection, id: PlanId) -> R<Option<Plan>> {
    sql(format!("SELECT {PLAN_COLS} FROM plan WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(&mut *c)
        .await?
        .map(|r| rows::plan(&r))
        .transpose()
}

/// A plan and when it was written (`None`: a draft, which shows the texts in force now).
/// A plan, when its texts were written (an imported document's date; `None`: read them as
/// of now), and when its writers last saw the board's texts: when it was created or last
/// moved in its workflow.
struct PlanRead {
    plan: Plan,
    written_at: Option<time::OffsetDateTime>,
    seen_at: time::OffsetDateTime,
}

async fn plan_and_written_at(
    c: &mut AnyConnection,
    unit: NodeId,
    year: Year,
) -> R<Option<PlanRead>> {
    sql(format!(
        "SELECT {PLAN_COLS}, created_at, (SELECT MAX(t.at) FROM plan_transition t WHERE t.plan_id = plan.id) AS last_step \
         FROM plan WHERE unit_id = $1 AND year = $2"
    ))
    .bind(unit.0)
    .bind(i64::from(year))
    .fetch_optional(&mut *c)
    .await?
    .map(|r| {
        let at: Option<String> = r.try_get("written_at")?;
        let created: String = r.try_get("created_at")?;
        let step: Option<String> = r.try_get("last_step")?;
        Ok(PlanRead {
            plan: rows::plan(&r)?,
            written_at: at.map(|a| crate::parse_timestamp(&a)).transpose()?,
            seen_at: crate::parse_timestamp(step.as_deref().unwrap_or(&created))?,
        })
    })
    .transpose()
}

pub(crate) async fn plan_section(
    c: &mut AnyConnection,
    plan: malkedja_domain::PlanId,
    key: &str,
) -> R<Option<PlanSection>> {
    query("SELECT plan_id, key, body, version FROM plan_section WHERE plan_id = $1 AND key = $2")
        .bind(plan.0)
        .bind(key)
        .fetch_optional(&mut *c)
        .await?
        .map(|r| rows::plan_section(&r))
        .transpose()
}

pub(crate) async fn facts(c: &mut AnyConnection, node: NodeId, year: Year) -> R<Option<UnitFacts>> {
    query(
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
    let rows: Vec<TemplateSection> = query(
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

/// The ids of the goals of a year owned by `owners` nodes, removed ones left out: `$1` is
/// the year, `$2`… the owners (see [`bind_year_owners`]).
pub(crate) fn goal_filter(owners: usize) -> String {
    format!(
        "SELECT id FROM goal WHERE year = $1 AND removed_at IS NULL AND owner_id IN ({})",
        placeholders(2, owners)
    )
}

/// `text` with the year and the owners bound, for [`goal_filter`].
pub(crate) fn bind_year_owners(text: String, year: Year, owners: &[NodeId]) -> Query {
    let mut q = sql(text).bind(i64::from(year));
    for o in owners {
        q = q.bind(o.0);
    }
    q
}

/// The cascade a document of a unit shows in a year: its contents, with the goal texts it
/// is pinned to or, where it has none, those in force at `at`. Six queries, whatever the
/// size of the organisation.
async fn load_cascade(
    c: &mut AnyConnection,
    chain: &[OrgNode],
    year: Year,
    at: time::OffsetDateTime,
    seen: Option<time::OffsetDateTime>,
    doc: DocRef,
) -> R<Vec<malkedja_domain::CascadeGoal>> {
    let pinned = crate::document::pins(c, doc).await?;
    let contents = crate::document::contents(c, doc).await?;
    let owners: Vec<NodeId> = chain.iter().map(|n| n.id).collect();
    let goals = goals_owned_by(c, year, &owners).await?;
    if goals.is_empty() {
        return Ok(Vec::new());
    }

    // Everything hanging on those goals, in one query per table.
    let goal_filter = goal_filter(owners.len());
    let bind_all = |text: String| bind_year_owners(text, year, &owners);
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
    // A pin names a revision that exists (the schema makes sure); if one ever did not, the
    // document cannot be shown as it was written, and that is an error, not a fallback.
    for ((goal, section), revision) in &pinned {
        let found = texts.get(goal).is_some_and(|v| {
            v.iter()
                .any(|t| t.section == *section && t.revision == *revision)
        });
        if !found && goals.iter().any(|g| g.id == *goal) {
            return Err(StoreError::Corrupt(format!(
                "dokumentet är knutet till version {revision} av {} för mål {goal}, som inte finns",
                section.heading()
            )));
        }
    }
    let (indicators, targets, activities) = items_of_year(c, year, &owners).await?;
    Ok(assemble_cascade(&CascadeInputs {
        chain,
        goals: &goals,
        texts: &texts,
        indicators: &indicators,
        targets: &targets,
        activities: &activities,
        contents: &contents,
        at,
        seen,
        pinned: &pinned,
    }))
}

/// The indicators and activities of a year on the goals `owners` own, with the targets
/// set for those indicators on `owners`: two queries. Removed ones are left out.
pub(crate) async fn items_of_year(
    c: &mut AnyConnection,
    year: Year,
    owners: &[NodeId],
) -> R<(Vec<Indicator>, Vec<IndicatorTarget>, Vec<Activity>)> {
    let goal_filter = goal_filter(owners.len());
    let bind_all = |text: String| bind_year_owners(text, year, owners);
    // Indicators with the targets set on the unit's chain: one row per indicator and
    // target.
    let mut indicators: Vec<Indicator> = Vec::new();
    let mut targets: Vec<IndicatorTarget> = Vec::new();
    for row in bind_all(format!(
        "SELECT i.id, i.year, i.goal_id, i.owner_id, i.name, i.unit_of_measure, i.periodicity, i.direction, i.value_kind, i.by_sex, \
         i.council_target_kind, i.council_target_text, i.council_target_value, i.position, i.version, \
         t.node_id AS target_node, t.kind AS target_kind, t.text AS target_text, t.value AS target_value \
         FROM indicator i LEFT JOIN indicator_target t ON t.indicator_id = i.id AND t.node_id IN ({}) \
         WHERE i.goal_id IN ({goal_filter}) AND i.removed_at IS NULL ORDER BY i.id",
        placeholders(2, owners.len())
    ))
    .fetch_all(&mut *c)
    .await?
    {
        let ind = rows::indicator(&row)?;
        if let Some(node) = row.try_get::<Option<i64>, _>("target_node")?
            && let Some(target) = rows::target(
                row.try_get("target_kind")?,
                row.try_get("target_text")?,
                row.try_get("target_value")?,
            )?
        {
            targets.push(IndicatorTarget {
                indicator_id: ind.id,
                node_id: NodeId(node),
                target,
            });
        }
        if indicators.last().is_none_or(|last| last.id != ind.id) {
            indicators.push(ind);
        }
    }
    let activities: Vec<Activity> = bind_all(format!(
        "SELECT {ACTIVITY_COLS} FROM activity WHERE goal_id IN ({goal_filter}) AND removed_at IS NULL"
    ))
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(rows::activity)
    .collect::<R<_>>()?;
    Ok((indicators, targets, activities))
}

/// The facts of a unit and of each of its operations for a year, in one query.
pub(crate) async fn facts_with_operations(
    c: &mut AnyConnection,
    unit: NodeId,
    year: Year,
) -> R<(Option<UnitFacts>, Vec<(OrgNode, Option<UnitFacts>)>)> {
    let rows = query(
        "SELECT n.id, n.parent_id, n.kind, n.name, n.position, n.version, n.closed_on, \
         f.node_id, f.year, f.managers, f.staff, f.clients, f.clients_label, f.budget_kr, f.staff_meetings, f.version AS facts_version \
         FROM org_node n LEFT JOIN unit_facts f ON f.node_id = n.id AND f.year = $2 \
         WHERE n.id = $1 OR (n.parent_id = $1 AND n.kind = 'operation') \
         ORDER BY n.position, n.id",
    )
    .bind(unit.0)
    .bind(i64::from(year))
    .fetch_all(&mut *c)
    .await?;
    let mut own = None;
    let mut operations = Vec::new();
    for r in rows {
        let node = rows::node(&r)?;
        let facts = match r.try_get::<Option<i64>, _>("node_id")? {
            Some(_) => Some(rows::facts_with_version(&r, "facts_version")?),
            None => None,
        };
        if node.id == unit {
            own = facts;
        } else {
            operations.push((node, facts));
        }
    }
    operations.sort_by(|(a, _), (b, _)| sibling_order(a, b));
    Ok((own, operations))
}

/// Loads and assembles a unit's plan for a year. `None` when the unit has no plan then.
/// The plan shows the goal texts in force when it was written (a draft: now). Eleven
/// queries, whatever the depth of the organisation and the number of operations.
pub(crate) async fn plan_document(
    c: &mut AnyConnection,
    unit: NodeId,
    year: Year,
) -> R<Option<PlanDocument>> {
    let chain = chain(c, unit).await?;
    let Some(unit_node) = chain.first().cloned() else {
        return Ok(None);
    };
    let Some(PlanRead {
        plan,
        written_at,
        seen_at,
    }) = plan_and_written_at(c, unit, year).await?
    else {
        return Ok(None);
    };
    let at = written_at.unwrap_or_else(time::OffsetDateTime::now_utc);
    // Its writers are told of a board text revised since they last saw it.
    let seen = plan.status.open_for_writing().then_some(seen_at);
    let goals = load_cascade(c, &chain, year, at, seen, DocRef::Plan(plan.id)).await?;
    let (sections_before, sections_after) = plan_sections(c, &chain, &plan).await?;
    let (facts, operations) = facts_with_operations(c, unit, year).await?;
    Ok(Some(PlanDocument {
        sections_before,
        sections_after,
        plan,
        unit: unit_node,
        chain,
        facts,
        operations,
        goals,
    }))
}

/// The texts of a plan's own sections, in one query.
pub(crate) async fn section_bodies(
    c: &mut AnyConnection,
    plan: malkedja_domain::PlanId,
) -> R<Vec<PlanSection>> {
    query("SELECT plan_id, key, body, version FROM plan_section WHERE plan_id = $1")
        .bind(plan.0)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(rows::plan_section)
        .collect()
}

/// A plan's own sections, before and after the cascade, from its administration's template
/// and its texts. `chain` is the plan's unit and its ancestors.
async fn plan_sections(
    c: &mut AnyConnection,
    chain: &[OrgNode],
    plan: &Plan,
) -> R<(Vec<PlanSectionView>, Vec<PlanSectionView>)> {
    let template = template(c, administration_of(chain), plan.year).await?;
    let bodies = section_bodies(c, plan.id).await?;
    Ok((
        build_sections(&template, &bodies, plan.year, Placement::BeforeCascade),
        build_sections(&template, &bodies, plan.year, Placement::AfterCascade),
    ))
}

/// A unit's plan for one year at a glance: what still lacks text, how many of its parts
/// are marked ready, and which reports follow it up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanOverview {
    pub plan: Plan,
    /// Headings of the sections that ask for text and have none yet.
    pub missing: Vec<String>,
    /// Its parts (sections that ask for text, the unit's own goals) marked ready.
    pub completion: malkedja_domain::Completion,
    pub reports: Vec<ReportKind>,
}

/// A unit at a glance: where it sits, its plans (newest first) with what they lack and
/// their reports, and the facts of the unit and its operations for the newest year that
/// has them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitOverview {
    /// The unit and its ancestors, from the unit up.
    pub chain: Vec<OrgNode>,
    pub plans: Vec<PlanOverview>,
    pub facts: Option<UnitFacts>,
    /// The unit's operations, each with its facts of the same year.
    pub operations: Vec<(OrgNode, Option<UnitFacts>)>,
}

pub(crate) async fn unit_overview(c: &mut AnyConnection, unit: NodeId) -> R<Option<UnitOverview>> {
    let chain = chain(c, unit).await?;
    if chain
        .first()
        .is_none_or(|n| n.kind != malkedja_domain::OrgKind::Unit)
    {
        return Ok(None);
    }
    let plans = plan_overview(c, &chain).await?;
    let newest: Option<i64> = query("SELECT MAX(year) FROM unit_facts WHERE node_id = $1")
        .bind(unit.0)
        .fetch_one(&mut *c)
        .await?
        .try_get(0)?;
    let (facts, operations) = match newest {
        Some(year) => facts_with_operations(c, unit, year as Year).await?,
        None => {
            let ops = children(c, unit)
                .await?
                .into_iter()
                .filter(|n| n.kind == malkedja_domain::OrgKind::Operation)
                .map(|n| (n, None))
                .collect();
            (None, ops)
        }
    };
    Ok(Some(UnitOverview {
        chain,
        plans,
        facts,
        operations,
    }))
}

/// A unit's plans, newest year first.
pub(crate) async fn plans_of(c: &mut AnyConnection, unit: NodeId) -> R<Vec<Plan>> {
    sql(format!(
        "SELECT {PLAN_COLS} FROM plan WHERE unit_id = $1 ORDER BY year DESC"
    ))
    .bind(unit.0)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(rows::plan)
    .collect()
}

/// The plans of the unit `chain` starts with, each at a glance: its plans, all their
/// sections' texts, their unit goals, their ready marks and all their reports in five
/// queries, plus the template of each year.
pub(crate) async fn plan_overview(
    c: &mut AnyConnection,
    chain: &[OrgNode],
) -> R<Vec<PlanOverview>> {
    let Some(unit) = chain.first().map(|n| n.id) else {
        return Ok(Vec::new());
    };
    let plans = plans_of(c, unit).await?;
    let bodies: Vec<PlanSection> = query(
        "SELECT s.plan_id, s.key, s.body, s.version FROM plan_section s JOIN plan p ON p.id = s.plan_id WHERE p.unit_id = $1",
    )
    .bind(unit.0)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(rows::plan_section)
    .collect::<R<_>>()?;
    let mut reports: HashMap<i64, Vec<ReportKind>> = HashMap::new();
    for r in query(
        "SELECT r.plan_id, r.kind FROM report r JOIN plan p ON p.id = r.plan_id WHERE p.unit_id = $1",
    )
    .bind(unit.0)
    .fetch_all(&mut *c)
    .await?
    {
        let kind: String = r.try_get(1)?;
        let kind = ReportKind::from_code(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("rapportsort {kind:?}")))?;
        reports.entry(r.try_get(0)?).or_default().push(kind);
    }
    // The unit's own goals in each plan: parts that are marked ready.
    let mut goals: HashMap<i64, Vec<PartInfo>> = HashMap::new();
    for r in query(
        "SELECT pg.plan_id, g.id, g.title FROM plan_goal pg JOIN goal g ON g.id = pg.goal_id JOIN plan p ON p.id = pg.plan_id \
         WHERE p.unit_id = $1 AND g.owner_id = $1 AND g.level = 'unit' ORDER BY g.position, g.id",
    )
    .bind(unit.0)
    .fetch_all(&mut *c)
    .await?
    {
        let title: String = r.try_get(2)?;
        goals.entry(r.try_get(0)?).or_default().push(PartInfo {
            part: PlanPart::goal(GoalId(r.try_get(1)?)),
            label: format!("{}: {title}", GoalLevel::Unit.heading_prefix()),
        });
    }
    let mut marks: HashMap<i64, HashSet<PlanPart>> = HashMap::new();
    for r in query(
        "SELECT m.plan_id, m.part FROM plan_ready_mark m JOIN plan p ON p.id = m.plan_id WHERE p.unit_id = $1",
    )
    .bind(unit.0)
    .fetch_all(&mut *c)
    .await?
    {
        let code: String = r.try_get(1)?;
        let part = PlanPart::from_code(&code)
            .ok_or_else(|| StoreError::Corrupt(format!("del {code:?}")))?;
        marks.entry(r.try_get(0)?).or_default().insert(part);
    }
    let admin = administration_of(chain);
    let mut out = Vec::with_capacity(plans.len());
    for plan in plans {
        let template = template(c, admin, plan.year).await?;
        let own: Vec<PlanSection> = bodies
            .iter()
            .filter(|b| b.plan_id == plan.id)
            .cloned()
            .collect();
        let before = build_sections(&template, &own, plan.year, Placement::BeforeCascade);
        let after = build_sections(&template, &own, plan.year, Placement::AfterCascade);
        let mut missing = missing_sections(&before);
        missing.extend(missing_sections(&after));
        let mut parts = section_parts(&before);
        parts.extend(goals.remove(&plan.id.0).unwrap_or_default());
        parts.extend(section_parts(&after));
        let completion = Completion::of(parts, &marks.remove(&plan.id.0).unwrap_or_default());
        let mut kinds = reports.remove(&plan.id.0).unwrap_or_default();
        kinds.sort_by_key(|k| ReportKind::ALL.iter().position(|x| x == k));
        out.push(PlanOverview {
            plan,
            missing,
            completion,
            reports: kinds,
        });
    }
    Ok(out)
}

/// Loads a unit's report of a kind for a year, with the cascade as it stood when the
/// report was written, and its economy. Fourteen queries, whatever the organisation.
pub(crate) async fn report_document(
    c: &mut AnyConnection,
    unit: NodeId,
    year: Year,
    kind: ReportKind,
) -> R<Option<ReportDocument>> {
    use crate::followup;
    let chain = chain(c, unit).await?;
    let Some(unit_node) = chain.first().cloned() else {
        return Ok(None);
    };
    let Some((report, at)) = followup::report_of(c, unit, year, kind).await? else {
        return Ok(None);
    };
    let goals = load_cascade(c, &chain, year, at, None, DocRef::Report(report.id)).await?;
    let (assessments, followups, mut marks) =
        followup::assessments_and_followups(c, report.id).await?;
    let (outcomes, outcome_marks) = followup::outcomes_marked(c, report.id).await?;
    marks.indicators = outcome_marks;
    let scope = followup::HistoryScope {
        upto: Some((year, kind)),
        this: Some(report.id),
        drafts: false,
    };
    let stored = followup::stored_outcomes(c, unit, scope).await?;
    let shown: Vec<&Indicator> = goals
        .iter()
        .flat_map(|g| g.walk())
        .flat_map(|g| g.indicators.iter().map(|v| &v.indicator))
        .collect();
    let history = malkedja_domain::histories(&shown, &stored);
    Ok(Some(ReportDocument {
        sections: followup::report_sections(c, report.id).await?,
        assessments,
        outcomes,
        followups,
        marks,
        complaints: followup::complaints(c, report.id).await?,
        economy: crate::reports::economy(c, report.id, unit).await?,
        history,
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
    pub(crate) async fn conn(&self) -> R<sqlx::pool::PoolConnection<sqlx::Any>> {
        Ok(self.pool.acquire().await?)
    }

    /// A read-only transaction: every query of a page's read sees the same snapshot, even
    /// while an import commits. PostgreSQL: REPEATABLE READ READ ONLY; SQLite (WAL): a
    /// deferred transaction reads one snapshot from its first read to its end.
    pub(crate) async fn snapshot(&self) -> R<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            crate::Backend::Postgres => {
                self.pool
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?
            }
            crate::Backend::Sqlite => self.pool.begin().await?,
        })
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
        sql(format!(
            "SELECT {GOAL_COLS} FROM goal WHERE year = $1 AND level = $2 AND removed_at IS NULL ORDER BY position, id"
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
        query("SELECT year FROM planning_year ORDER BY year")
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

    /// Every plan of `year` and later, in one query: what start pages follow.
    pub async fn plans_from(&self, year: Year) -> R<Vec<Plan>> {
        sql(format!(
            "SELECT {PLAN_COLS} FROM plan WHERE year >= $1 ORDER BY year, unit_id"
        ))
        .bind(i64::from(year))
        .fetch_all(&mut *self.conn().await?)
        .await?
        .iter()
        .map(rows::plan)
        .collect()
    }

    pub async fn plan_by_id(&self, id: malkedja_domain::PlanId) -> R<Option<Plan>> {
        plan_by_id(&mut *self.conn().await?, id).await
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
        let mut tx = self.snapshot().await?;
        let out = plan_document(&mut tx, unit, year).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// A unit at a glance, in one snapshot; `None` when `unit` names no unit.
    pub async fn unit_overview(&self, unit: NodeId) -> R<Option<UnitOverview>> {
        let mut tx = self.snapshot().await?;
        let out = unit_overview(&mut tx, unit).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// The unit's plans, newest first, each with the sections that still lack text and
    /// the reports that follow it up.
    pub async fn plan_overview(&self, unit: NodeId) -> R<Vec<PlanOverview>> {
        let mut tx = self.snapshot().await?;
        let chain = chain(&mut tx, unit).await?;
        let out = plan_overview(&mut tx, &chain).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// An indicator's history for a unit: its outcomes in every year's reports (of the
    /// indicator and of the indicators it continues, [`malkedja_domain::histories`]),
    /// from approved reports only unless `drafts`. `None` when the indicator does not exist.
    pub async fn indicator_history(
        &self,
        unit: NodeId,
        id: IndicatorId,
        drafts: bool,
    ) -> R<Option<(Indicator, malkedja_domain::IndicatorSeries)>> {
        let mut tx = self.snapshot().await?;
        let Some(ind) = indicator(&mut tx, id).await? else {
            return Ok(None);
        };
        let scope = crate::followup::HistoryScope {
            upto: None,
            this: None,
            drafts,
        };
        let stored = crate::followup::stored_outcomes(&mut tx, unit, scope).await?;
        tx.commit().await?;
        let mut all = malkedja_domain::histories(&[&ind], &stored);
        let series = all
            .remove(&ind.id)
            .ok_or_else(|| StoreError::Corrupt(format!("indikatorn {id} saknar historik")))?;
        Ok(Some((ind, series)))
    }

    /// A unit's report of a kind for a year, assembled.
    pub async fn report_document(
        &self,
        unit: NodeId,
        year: Year,
        kind: ReportKind,
    ) -> R<Option<ReportDocument>> {
        let mut tx = self.snapshot().await?;
        let out = report_document(&mut tx, unit, year, kind).await?;
        tx.commit().await?;
        Ok(out)
    }

    pub async fn unit_facts(&self, node: NodeId, year: Year) -> R<Option<UnitFacts>> {
        facts(&mut *self.conn().await?, node, year).await
    }

    /// What a plan or report contains.
    pub async fn contents(&self, doc: DocRef) -> R<malkedja_domain::Contents> {
        crate::document::contents(&mut *self.conn().await?, doc).await
    }

    /// The audit trail of one object, oldest first.
    pub async fn audit_trail(&self, entity: &str, entity_id: &str) -> R<Vec<AuditEvent>> {
        query(
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
        Ok(query("SELECT COUNT(*) FROM audit_event")
            .fetch_one(&mut *self.conn().await?)
            .await?
            .try_get::<i64, _>(0)?)
    }
}
