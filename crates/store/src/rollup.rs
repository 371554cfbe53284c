//! The roll-up (*sammanställning*) of a board, administration or department: what its
//! units' reports of a year and kind say, read in one snapshot in a fixed number of
//! queries whatever the number of units and goals ([`Store::rollup`]); and the node's own
//! assessment and analysis of a goal (`rollup_assessment`, migration 0018), a versioned,
//! audited row written by [`Writer::write_rollup_assessment`].
//!
//! The read: the node's chain (one recursive query), the nodes below it (one), the units'
//! reports (one), the goals of the chain (one), the goals each report shows with the goals
//! above them and the unit's assessment of each (one recursive query), the indicators
//! (one), the reports' indicators with their outcomes (one), the year's deadlines (one) and
//! the node's own assessments (one): nine; and, when an indicator's outcomes are summed,
//! their course over the last years for the charts (one more). The subtree is walked
//! inside each statement (`WITH RECURSIVE`), never as a list of ids, and not into the
//! units' operations, which have no reports. What the roll-up shows is decided in
//! [`malkedja_domain::build_rollup`].
//!
//! A board of 300 units × 40 goals is about 16 500 (report, goal) pairs and 14 400
//! (report, indicator) pairs. Each row a statement returns costs some microseconds in
//! sqlx (on SQLite it crosses from the connection's thread to the task reading it), so the
//! two large statements return one row per report, the pairs aggregated into one text
//! ([`SHOWN_ITEMS`], [`indicator_items`]); see docs/benchmarks.md, *The roll-up*.

use crate::read::{NODE_COLS, placeholders, query, sql};
use crate::versioned::VersionedRow;
use crate::{Store, StoreError, Writer, now_text, rows};
use malkedja_domain::{
    Aggregation, Assessment, GoalId, IndicatorId, Measure, NodeId, PastOutcome, PlanStatus,
    ReportKind, RollupAssessment, RollupData, UnitAssessment, UnitIndicator, UnitReport, Year,
    aggregation, check_rollup_analysis, has_rollup,
};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

type R<T> = Result<T, StoreError>;

/// The nodes at and below `$1` but the operations (which have no plans or reports), as a
/// recursive CTE `down(id)` (the depth bounded as the chain's is).
const DOWN: &str = "down (id, depth) AS ( \
       SELECT id, 0 FROM org_node WHERE id = $1 \
       UNION ALL \
       SELECT n.id, down.depth + 1 FROM org_node n JOIN down ON n.parent_id = down.id \
       WHERE down.depth < 64 AND n.kind <> 'operation' \
     )";

/// The reports of kind `$3` of plans of year `$2` of the units at and below `$1`, as
/// `reps(id, unit_id, status)`, after [`DOWN`].
const REPS: &str = "reps (id, unit_id, status) AS ( \
       SELECT r.id, p.unit_id, r.status FROM report r JOIN plan p ON p.id = r.plan_id \
       WHERE p.year = $2 AND r.kind = $3 AND p.unit_id IN (SELECT id FROM down) \
     )";

/// The ids of the goals of year `$2` owned by the chain's nodes (`$4`…).
fn chain_goals(owners: usize) -> String {
    format!(
        "SELECT id FROM goal WHERE year = $2 AND removed_at IS NULL AND owner_id IN ({})",
        placeholders(4, owners)
    )
}

/// A statement over the subtree and the chain's goals: `$1` the node, `$2` the year, `$3`
/// the kind, `$4`… the chain's nodes.
fn over_subtree(
    text: String,
    node: NodeId,
    year: Year,
    kind: ReportKind,
    chain: &[NodeId],
) -> crate::read::Query {
    let mut q = sql(text)
        .bind(node.0)
        .bind(i64::from(year))
        .bind(kind.code());
    for n in chain {
        q = q.bind(n.0);
    }
    q
}

/// A report's shown goals with its assessments, as one text: an item per goal,
/// `goal:assessment:analysis`, separated by spaces. The assessment is empty when the report
/// has no assessment of the goal, `-` when its assessment row states none, else its code;
/// the analysis is `1` when one is written. Codes and numbers only, never a person's text:
/// on SQLite every row crosses from the connection's thread to the task reading it, and a
/// board of 300 units × 55 goals is 300 rows this way instead of 16 500.
const SHOWN_ITEMS: &str = "string_agg(CAST(s.goal_id AS TEXT) || ':' || \
     CASE WHEN a.goal_id IS NULL THEN '' ELSE COALESCE(a.assessment, '-') END || ':' || \
     CASE WHEN a.analysis IS NULL OR a.analysis = '' THEN '0' ELSE '1' END, ' ')";

/// One item of [`SHOWN_ITEMS`]: the goal, and the unit's assessment of it if there is one
/// (without its analysis).
fn shown_item(item: &str) -> R<(GoalId, Option<UnitAssessment>)> {
    let corrupt = || StoreError::Corrupt(format!("sammanställningens mål {item:?}"));
    let mut parts = item.split(':');
    let (Some(goal), Some(code), Some(analysis), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(corrupt());
    };
    let goal = GoalId(goal.parse().map_err(|_| corrupt())?);
    let assessed = match code {
        "" => None,
        code => Some(UnitAssessment {
            assessment: match code {
                "-" => None,
                c => Some(Assessment::from_code(c).ok_or_else(corrupt)?),
            },
            has_analysis: analysis == "1",
            analysis: None,
        }),
    };
    Ok((goal, assessed))
}

/// A text column as a self-delimiting field of an aggregated item: `-` for NULL, else its
/// length in characters, `:` and the text (`4:56 %`), never ambiguous whatever the text
/// holds. `length` counts characters on both backends.
fn text_field(column: &str) -> String {
    format!("COALESCE(CAST(length({column}) AS TEXT) || ':' || {column}, '-')")
}

/// Reads an aggregated item's fields in turn.
struct Fields<'a> {
    rest: &'a str,
    whole: &'a str,
}

impl<'a> Fields<'a> {
    fn corrupt(&self) -> StoreError {
        StoreError::Corrupt(format!("sammanställningens indikatorer {:?}", self.whole))
    }

    /// A number and the `:` after it.
    fn number(&mut self) -> R<i64> {
        let (n, rest) = self.rest.split_once(':').ok_or_else(|| self.corrupt())?;
        self.rest = rest;
        n.parse().map_err(|_| self.corrupt())
    }

    /// A [`text_field`].
    fn text(&mut self) -> R<Option<String>> {
        if let Some(rest) = self.rest.strip_prefix('-') {
            self.rest = rest;
            return Ok(None);
        }
        let chars = usize::try_from(self.number()?).map_err(|_| self.corrupt())?;
        let end = match self.rest.char_indices().nth(chars) {
            Some((at, _)) => at,
            None if self.rest.chars().count() == chars => self.rest.len(),
            None => return Err(self.corrupt()),
        };
        let (text, rest) = self.rest.split_at(end);
        self.rest = rest;
        Ok(Some(text.to_string()))
    }

    /// The space between two items, or the end.
    fn end_item(&mut self) -> R<()> {
        match self.rest.strip_prefix(' ') {
            Some(rest) => self.rest = rest,
            None if self.rest.is_empty() => {}
            None => return Err(self.corrupt()),
        }
        Ok(())
    }
}

/// A report's indicators as the roll-up's read aggregates them: items separated by spaces,
/// each the indicator's id, `:`, and the [`text_field`]s of its target (kind, text,
/// value), outcome, women and men.
fn indicator_items(items: &str, into: &mut HashMap<IndicatorId, UnitIndicator>) -> R<()> {
    let mut f = Fields {
        rest: items,
        whole: items,
    };
    while !f.rest.is_empty() {
        let id = IndicatorId(f.number()?);
        let target = rows::target(f.text()?, f.text()?, f.text()?)?;
        let outcome = f.text()?;
        let women = f.text()?;
        let men = f.text()?;
        into.insert(
            id,
            UnitIndicator {
                target,
                outcome: outcome.map(|t| Measure::parse(&t)),
                women,
                men,
                // Outcomes state no denominator (see malkedja_domain::rollup).
                denominator: None,
            },
        );
        f.end_item()?;
    }
    Ok(())
}

/// One outcome of [`outcome_items`]: the indicator, its outcome, women and men.
type OutcomeItem = (IndicatorId, Option<String>, Option<String>, Option<String>);

/// A report's outcomes as the charts' read aggregates them: items separated by spaces,
/// each the indicator's id, `:`, and the [`text_field`]s of its outcome, women and men.
fn outcome_items(items: &str) -> R<Vec<OutcomeItem>> {
    let mut f = Fields {
        rest: items,
        whole: items,
    };
    let mut out = Vec::new();
    while !f.rest.is_empty() {
        out.push((IndicatorId(f.number()?), f.text()?, f.text()?, f.text()?));
        f.end_item()?;
    }
    Ok(out)
}

fn status(s: &str) -> R<PlanStatus> {
    PlanStatus::from_code(s).ok_or_else(|| StoreError::Corrupt(format!("status {s:?}")))
}

fn assessment(s: Option<String>) -> R<Option<Assessment>> {
    s.map(|s| {
        Assessment::from_code(&s).ok_or_else(|| StoreError::Corrupt(format!("bedömning {s:?}")))
    })
    .transpose()
}

/// Reads a roll-up's data. `analyses_of`: the goal whose units' analyses are read in full
/// (the others say only whether there is one). `None` when `node` does not exist.
pub(crate) async fn rollup(
    c: &mut AnyConnection,
    node: NodeId,
    year: Year,
    kind: ReportKind,
    analyses_of: Option<GoalId>,
) -> R<Option<RollupData>> {
    let chain = crate::read::chain(c, node).await?;
    if chain.is_empty() {
        return Ok(None);
    }
    let ids: Vec<NodeId> = chain.iter().map(|n| n.id).collect();
    let goals_filter = chain_goals(ids.len());
    let run = |text: String| over_subtree(text, node, year, kind, &ids);

    // The nodes below (one query).
    let below = sql(format!(
        "WITH RECURSIVE {DOWN} SELECT {NODE_COLS} FROM org_node \
         WHERE id IN (SELECT id FROM down) AND id <> $1"
    ))
    .bind(node.0)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(rows::node)
    .collect::<R<Vec<_>>>()?;

    // The reports (one query).
    let mut reports: Vec<UnitReport> = Vec::new();
    let mut index: HashMap<i64, usize> = HashMap::new();
    for r in sql(format!(
        "WITH RECURSIVE {DOWN}, {REPS} SELECT id, unit_id, status FROM reps ORDER BY id"
    ))
    .bind(node.0)
    .bind(i64::from(year))
    .bind(kind.code())
    .fetch_all(&mut *c)
    .await?
    {
        let id: i64 = r.try_get(0)?;
        index.insert(id, reports.len());
        reports.push(UnitReport {
            unit_id: NodeId(r.try_get(1)?),
            report_id: id,
            status: status(&r.try_get::<String, _>(2)?)?,
            shown: Default::default(),
            assessments: HashMap::new(),
            indicators: HashMap::new(),
        });
    }

    // The goals of the chain (one query).
    let goals = crate::read::goals_owned_by(c, year, &ids).await?;

    // The goals each report shows (its record's and the goals above them: the goals above
    // are found once for every goal recorded, not once per report), each with the unit's
    // assessment of it when there is one, one row per report ([`SHOWN_ITEMS`]); the
    // analysis of one goal (one query).
    let n = ids.len();
    let mut q = run(format!(
        "WITH RECURSIVE {DOWN}, {REPS}, \
         recorded (goal_id) AS ( \
           SELECT DISTINCT goal_id FROM report_goal WHERE report_id IN (SELECT id FROM reps) \
         ), \
         up (goal_id, above_id) AS ( \
           SELECT goal_id, goal_id FROM recorded \
           UNION \
           SELECT up.goal_id, g.parent_id FROM up JOIN goal g ON g.id = up.above_id WHERE g.parent_id IS NOT NULL \
         ), \
         shown (report_id, goal_id) AS ( \
           SELECT DISTINCT rg.report_id, up.above_id FROM report_goal rg JOIN up ON up.goal_id = rg.goal_id \
           WHERE rg.report_id IN (SELECT id FROM reps) AND up.above_id IN ({goals_filter}) \
         ) \
         SELECT s.report_id, {SHOWN_ITEMS} AS items, \
         MAX(CASE WHEN s.goal_id = ${} THEN a.analysis END) AS analysis \
         FROM shown s LEFT JOIN goal_assessment a ON a.report_id = s.report_id AND a.goal_id = s.goal_id \
         GROUP BY s.report_id",
        4 + n
    ));
    q = q.bind(analyses_of.map(|g| g.0).unwrap_or(0));
    for r in q.fetch_all(&mut *c).await? {
        let Some(&i) = index.get(&r.try_get::<i64, _>(0)?) else {
            continue;
        };
        let analysis: Option<String> = r.try_get(2)?;
        let report = &mut reports[i];
        for item in r.try_get::<String, _>(1)?.split(' ') {
            let (goal, assessed) = shown_item(item)?;
            report.shown.insert(goal);
            if let Some(mut a) = assessed {
                if analyses_of == Some(goal) {
                    a.analysis = analysis.clone();
                }
                report.assessments.insert(goal, a);
            }
        }
    }

    // The indicators on those goals (one query).
    let indicators = crate::read::bind_year_owners(
        format!(
            "SELECT {} FROM indicator WHERE removed_at IS NULL AND year = $1 AND goal_id IN ({}) \
             ORDER BY position, id",
            crate::read::INDICATOR_COLS,
            crate::read::goal_filter(ids.len())
        ),
        year,
        &ids,
    )
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(rows::indicator)
    .collect::<R<Vec<_>>>()?;

    // The reports' indicators on those goals, with their targets and outcomes, one row per
    // report ([`indicator_items`]; one query).
    let f = text_field;
    for r in run(format!(
        "WITH RECURSIVE {DOWN}, {REPS} \
         SELECT ri.report_id, string_agg(CAST(ri.indicator_id AS TEXT) || ':' || {} || {} || {} || {} || {} || {}, ' ') AS items \
         FROM report_indicator ri LEFT JOIN indicator_outcome o ON o.report_id = ri.report_id AND o.indicator_id = ri.indicator_id \
         WHERE ri.report_id IN (SELECT id FROM reps) \
         AND ri.indicator_id IN (SELECT id FROM indicator WHERE removed_at IS NULL AND goal_id IN ({goals_filter})) \
         GROUP BY ri.report_id",
        f("ri.target_kind"),
        f("ri.target_text"),
        f("ri.target_value"),
        f("o.outcome_text"),
        f("o.women_text"),
        f("o.men_text"),
    ))
    .fetch_all(&mut *c)
    .await?
    {
        let Some(&i) = index.get(&r.try_get::<i64, _>(0)?) else {
            continue;
        };
        let items: String = r.try_get(1)?;
        indicator_items(&items, &mut reports[i].indicators)?;
    }

    // The year's deadlines (one query) and the node's own assessments (one query).
    let deadlines = crate::calendar::deadlines_of_year(c, year).await?;
    let own = own_assessments(c, node, year, kind).await?;
    // The course of the summed indicators (two queries, none when nothing is summed).
    let summed = indicators.iter().any(|i| {
        aggregation(i.value_kind, i.unit_of_measure.as_deref(), &i.name, false).0
            == Aggregation::Sum
    });
    let history = if summed {
        past_outcomes(c, node, year, &ids).await?
    } else {
        Vec::new()
    };
    Ok(Some(RollupData {
        chain,
        below,
        year,
        kind,
        goals,
        indicators,
        reports,
        deadlines,
        own,
        history,
    }))
}

/// How many years the roll-up's charts go back, this year included.
pub const HISTORY_YEARS: Year = 5;

/// `columns` of the counted indicators (value kind number) of the years up to `$first`
/// and after `$first + 1`, owned by the chain's nodes (`$first + 2`…).
fn counted_indicators(columns: &str, first: usize, owners: usize) -> String {
    format!(
        "SELECT {columns} FROM indicator WHERE removed_at IS NULL AND value_kind = 'number' \
         AND year <= ${first} AND year > ${} AND owner_id IN ({})",
        first + 1,
        placeholders(first + 2, owners)
    )
}

/// The outcomes of the units at and below `node`, in the last [`HISTORY_YEARS`] up to
/// `year`, of the chain's counted indicators (value kind number): what the charts of the
/// summed indicators are drawn from ([`malkedja_domain::build_rollup`] picks the summed
/// ones by owner and name, the reports the reader may read, and the periods up to the
/// roll-up's). Two queries: the indicators (a few per year), and the outcomes one row per
/// report ([`outcome_items`]): five years of three reports of 300 units are 4 500 rows
/// instead of one per outcome.
async fn past_outcomes(
    c: &mut AnyConnection,
    node: NodeId,
    year: Year,
    chain: &[NodeId],
) -> R<Vec<PastOutcome>> {
    let bind = |text: String, with_node: bool| {
        let mut q = sql(text);
        if with_node {
            q = q.bind(node.0);
        }
        q = q
            .bind(i64::from(year))
            .bind(i64::from(year - HISTORY_YEARS));
        for n in chain {
            q = q.bind(n.0);
        }
        q
    };
    let mut named: HashMap<IndicatorId, (NodeId, String)> = HashMap::new();
    for r in bind(
        counted_indicators("id, owner_id, name", 1, chain.len()),
        false,
    )
    .fetch_all(&mut *c)
    .await?
    {
        named.insert(
            IndicatorId(r.try_get(0)?),
            (NodeId(r.try_get(1)?), r.try_get(2)?),
        );
    }
    if named.is_empty() {
        return Ok(Vec::new());
    }
    let f = text_field;
    let mut out = Vec::new();
    for r in bind(
        format!(
            "WITH RECURSIVE {DOWN} \
             SELECT p.unit_id, r.status, p.year, r.kind, \
             string_agg(CAST(o.indicator_id AS TEXT) || ':' || {} || {} || {}, ' ') AS items \
             FROM indicator_outcome o \
             JOIN report r ON r.id = o.report_id \
             JOIN plan p ON p.id = r.plan_id \
             WHERE p.unit_id IN (SELECT id FROM down) AND p.year <= $2 AND p.year > $3 \
             AND o.outcome_text IS NOT NULL AND o.outcome_text <> '' \
             AND o.indicator_id IN ({}) \
             GROUP BY r.id, p.unit_id, r.status, p.year, r.kind",
            f("o.outcome_text"),
            f("o.women_text"),
            f("o.men_text"),
            counted_indicators("id", 2, chain.len()),
        ),
        true,
    )
    .fetch_all(&mut *c)
    .await?
    {
        let unit_id = NodeId(r.try_get(0)?);
        let status = status(&r.try_get::<String, _>(1)?)?;
        let year = r.try_get::<i64, _>(2)? as Year;
        let kind: String = r.try_get(3)?;
        let kind = ReportKind::from_code(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("rapportsort {kind:?}")))?;
        for (id, outcome, women, men) in outcome_items(&r.try_get::<String, _>(4)?)? {
            let Some((owner, name)) = named.get(&id) else {
                continue;
            };
            out.push(PastOutcome {
                unit_id,
                status,
                year,
                kind,
                owner: *owner,
                name: name.clone(),
                outcome,
                women,
                men,
            });
        }
    }
    Ok(out)
}

const OWN_COLS: &str = "owner_id, goal_id, year, kind, assessment, analysis, version";

fn own_row(r: &sqlx::any::AnyRow) -> R<RollupAssessment> {
    let kind: String = r.try_get("kind")?;
    Ok(RollupAssessment {
        owner_id: NodeId(r.try_get("owner_id")?),
        goal_id: GoalId(r.try_get("goal_id")?),
        year: r.try_get::<i64, _>("year")? as Year,
        kind: ReportKind::from_code(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("rapportsort {kind:?}")))?,
        assessment: assessment(r.try_get("assessment")?)?,
        analysis: r.try_get("analysis")?,
        version: r.try_get("version")?,
    })
}

async fn own_assessments(
    c: &mut AnyConnection,
    owner: NodeId,
    year: Year,
    kind: ReportKind,
) -> R<Vec<RollupAssessment>> {
    sql(format!(
        "SELECT {OWN_COLS} FROM rollup_assessment WHERE owner_id = $1 AND year = $2 AND kind = $3"
    ))
    .bind(owner.0)
    .bind(i64::from(year))
    .bind(kind.code())
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(own_row)
    .collect()
}

async fn own_assessment(
    c: &mut AnyConnection,
    owner: NodeId,
    goal: GoalId,
    year: Year,
    kind: ReportKind,
) -> R<RollupAssessment> {
    Ok(query(
        "SELECT owner_id, goal_id, year, kind, assessment, analysis, version FROM rollup_assessment \
         WHERE owner_id = $1 AND goal_id = $2 AND year = $3 AND kind = $4",
    )
    .bind(owner.0)
    .bind(goal.0)
    .bind(i64::from(year))
    .bind(kind.code())
    .fetch_optional(&mut *c)
    .await?
    .map(|r| own_row(&r))
    .transpose()?
    .unwrap_or_else(|| RollupAssessment::empty(owner, goal, year, kind)))
}

impl Store {
    /// What a roll-up of `node` for `year` and `kind` is made from, in one snapshot and
    /// nine queries (eleven when an indicator is summed) whatever the number of units and
    /// goals; `None` when the node does not
    /// exist. `analyses_of`: the goal whose units' analyses are read in full.
    pub async fn rollup(
        &self,
        node: NodeId,
        year: Year,
        kind: ReportKind,
        analyses_of: Option<GoalId>,
    ) -> R<Option<RollupData>> {
        let mut tx = self.snapshot().await?;
        let out = rollup(&mut tx, node, year, kind, analyses_of).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// A node's own assessment of a goal for a year and kind (version 0 when none is
    /// written).
    pub async fn rollup_assessment(
        &self,
        owner: NodeId,
        goal: GoalId,
        year: Year,
        kind: ReportKind,
    ) -> R<RollupAssessment> {
        own_assessment(&mut *self.conn().await?, owner, goal, year, kind).await
    }
}

impl Writer {
    /// Writes a node's own assessment and analysis of a goal in its roll-up of `year` and
    /// `kind`, from `expected` (0 while none is written; a stale one is
    /// [`StoreError::Conflict`]). The node must have a roll-up (a board, administration,
    /// department or the city) and be open; the goal must be of the year and owned by the
    /// node or a node above it. The analysis is at most
    /// [`malkedja_domain::ROLLUP_ANALYSIS_MAX`] characters. Audited.
    #[allow(clippy::too_many_arguments)]
    pub async fn write_rollup_assessment(
        &mut self,
        owner: NodeId,
        goal: GoalId,
        year: Year,
        kind: ReportKind,
        expected: i64,
        assessment: Option<Assessment>,
        analysis: Option<&str>,
    ) -> R<RollupAssessment> {
        let node = self.require_node(owner).await?;
        if !has_rollup(node.kind) {
            return Err(StoreError::NotFound(format!(
                "en sammanställning för {}",
                node.name
            )));
        }
        if let Some(closed) = node.closed {
            return Err(StoreError::Locked(format!(
                "{} är avvecklad sedan {}; dess sammanställningar kan inte ändras.",
                node.name,
                malkedja_domain::date_text(closed)
            )));
        }
        let g = self.require_goal(goal).await?;
        let chain = self.chain(owner).await?;
        if g.year != year || !chain.iter().any(|n| n.id == g.owner_id) {
            return Err(StoreError::NotFound(format!(
                "mål {goal} i sammanställningen för {} {year}",
                node.name
            )));
        }
        let analysis = analysis
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_string);
        if let Some(a) = &analysis {
            check_rollup_analysis(a)?;
        }
        let before = own_assessment(&mut self.tx, owner, goal, year, kind).await?;
        let row = VersionedRow::insertable(
            "rollup_assessment",
            format!("{}s bedömning av målet", node.name),
        )
        .key("owner_id", owner.0)
        .key("goal_id", goal.0)
        .key("year", i64::from(year))
        .key("kind", kind.code())
        .set("assessment", assessment.map(|a| a.code().to_string()))
        .set("analysis", analysis)
        .set("updated_at", now_text());
        self.write_versioned(row, expected, before.version).await?;
        let after = own_assessment(&mut self.tx, owner, goal, year, kind).await?;
        self.audit(
            "assess",
            "rollup_assessment",
            format!("{owner}/{goal}/{year}/{}", kind.code()),
            (before.version > 0).then_some(&before),
            Some(&after),
        )
        .await?;
        Ok(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregated_indicators_are_read_back_whatever_their_texts_hold() {
        let mut into = HashMap::new();
        let odd = "1 2: 3 – å";
        let items = format!(
            "7:5:value4:40 %2:404:56 %-- 8:----{}:{odd}0: 9:12:set_by_board17:Tas fram av nämnd----",
            odd.chars().count()
        );
        indicator_items(&items, &mut into).unwrap();
        assert_eq!(into.len(), 3);
        let seven = &into[&IndicatorId(7)];
        assert_eq!(
            seven.outcome.as_ref().map(|m| m.text.as_str()),
            Some("56 %")
        );
        assert!(matches!(
            seven.target,
            Some(malkedja_domain::Target::Value(_))
        ));
        assert_eq!(seven.women, None);
        let eight = &into[&IndicatorId(8)];
        assert_eq!(eight.target, None);
        assert_eq!(eight.outcome, None);
        assert_eq!(eight.women.as_deref(), Some(odd));
        assert_eq!(eight.men.as_deref(), Some(""));
        assert!(matches!(
            into[&IndicatorId(9)].target,
            Some(malkedja_domain::Target::SetByBoard { .. })
        ));
        for bad in [
            "7",
            "7:5:valu",
            "x:-",
            "7:-----",
            "7:------x",
            "7:9:value------",
        ] {
            assert!(
                indicator_items(bad, &mut HashMap::new()).is_err(),
                "{bad:?}"
            );
        }
        indicator_items("", &mut into).unwrap();
    }

    /// A text as [`text_field`] writes it in SQL.
    fn field(t: &Option<String>) -> String {
        match t {
            None => "-".into(),
            Some(t) => format!("{}:{t}", t.chars().count()),
        }
    }

    #[test]
    fn a_reports_outcomes_are_read_back_whatever_their_texts_hold() {
        let items = format!(
            "7:{}{}{} 9:{}--",
            field(&Some("1 200 st".into())),
            field(&Some("6: 0 -".into())),
            field(&None),
            field(&Some("3".into()))
        );
        assert_eq!(
            outcome_items(&items).unwrap(),
            vec![
                (
                    IndicatorId(7),
                    Some("1 200 st".into()),
                    Some("6: 0 -".into()),
                    None
                ),
                (IndicatorId(9), Some("3".into()), None, None),
            ]
        );
        assert_eq!(outcome_items("").unwrap(), vec![]);
        assert!(outcome_items("7:-").is_err());
        assert!(outcome_items("7:---x").is_err());
    }

    proptest::proptest! {
        /// Whatever people type (spaces, colons, digits, dashes, any script), each
        /// indicator's texts come back as written.
        #[test]
        fn any_texts_survive_the_aggregation(
            rows in proptest::collection::vec(
                (1i64..1_000_000, proptest::option::of(".{0,12}"), proptest::option::of("[-: 0-9a-zå]{0,6}"), proptest::option::of(".{0,6}")),
                0..6,
            )
        ) {
            let mut rows = rows;
            rows.sort_by_key(|r| r.0);
            rows.dedup_by_key(|r| r.0);
            let items = rows
                .iter()
                .map(|(id, outcome, women, men)| {
                    format!("{id}:---{}{}{}", field(outcome), field(women), field(men))
                })
                .collect::<Vec<_>>()
                .join(" ");
            let mut into = HashMap::new();
            indicator_items(&items, &mut into).unwrap();
            proptest::prop_assert_eq!(into.len(), rows.len());
            for (id, outcome, women, men) in &rows {
                let got = &into[&IndicatorId(*id)];
                // The outcome is read as a measure, which trims it.
                proptest::prop_assert_eq!(
                    got.outcome.as_ref().map(|m| m.text.clone()),
                    outcome.as_deref().map(|t| Measure::parse(t).text)
                );
                proptest::prop_assert_eq!(&got.women, women);
                proptest::prop_assert_eq!(&got.men, men);
            }
        }

        /// Anything else is an error, never a panic.
        #[test]
        fn any_text_is_read_or_refused(items in ".{0,40}") {
            let _ = indicator_items(&items, &mut HashMap::new());
            let _ = shown_item(&items);
        }
    }

    #[test]
    fn a_shown_goal_says_whether_and_how_it_is_assessed() {
        assert_eq!(shown_item("5::0").unwrap(), (GoalId(5), None));
        let (g, a) = shown_item("6:partly_met:1").unwrap();
        assert_eq!(g, GoalId(6));
        let a = a.unwrap();
        assert_eq!(a.assessment, Some(Assessment::PartlyMet));
        assert!(a.has_analysis);
        let (_, a) = shown_item("6:-:1").unwrap();
        assert_eq!(a.unwrap().assessment, None);
        for bad in ["", "6", "6:met", "x:met:0", "6:helt:0", "6:met:0:1"] {
            assert!(shown_item(bad).is_err(), "{bad:?}");
        }
    }
}
