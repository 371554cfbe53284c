//! Turning rows into domain values, and domain values into column values.

use crate::StoreError;
use malkedja_domain::{
    Activity, ActivityId, Decimal, Direction, Goal, GoalId, GoalLevel, GoalSection, Indicator,
    IndicatorId, IndicatorTarget, Measure, NodeId, OrgKind, OrgNode, Periodicity, Placement, Plan,
    PlanId, PlanOrigin, PlanSection, PlanStatus, Target, TemplateSection, TextVersion, UnitFacts,
    ValueKind,
};
use sqlx::Row;
use sqlx::any::AnyRow;
use std::str::FromStr;

type R<T> = Result<T, StoreError>;

fn code<T>(row: &AnyRow, col: &str, parse: impl Fn(&str) -> Option<T>) -> R<T> {
    let s: String = row.try_get(col)?;
    parse(&s).ok_or_else(|| StoreError::Corrupt(format!("{col} = {s:?}")))
}

/// A checked 0/1 column (no booleans on either backend).
fn flag(row: &AnyRow, col: &str) -> R<bool> {
    match row.try_get::<i64, _>(col)? {
        0 => Ok(false),
        1 => Ok(true),
        other => Err(StoreError::Corrupt(format!("{col} = {other}"))),
    }
}

pub(crate) fn date(s: &str) -> R<time::Date> {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
        .map_err(|e| StoreError::Corrupt(format!("datum {s:?}: {e}")))
}

pub(crate) fn date_text(d: time::Date) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    d.format(&fmt).unwrap_or_else(|_| d.to_string())
}

fn decimal(s: Option<String>) -> R<Option<Decimal>> {
    s.map(|s| Decimal::from_str(&s).map_err(|e| StoreError::Corrupt(format!("tal {s:?}: {e}"))))
        .transpose()
}

fn json<T: serde::de::DeserializeOwned>(row: &AnyRow, col: &str) -> R<T> {
    let s: String = row.try_get(col)?;
    serde_json::from_str(&s).map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
}

pub(crate) fn node(row: &AnyRow) -> R<OrgNode> {
    Ok(OrgNode {
        id: NodeId(row.try_get("id")?),
        parent_id: row.try_get::<Option<i64>, _>("parent_id")?.map(NodeId),
        kind: code(row, "kind", OrgKind::from_code)?,
        name: row.try_get("name")?,
        position: row.try_get("position")?,
        version: row.try_get("version")?,
        closed: row
            .try_get::<Option<String>, _>("closed_on")?
            .map(|d| date(&d))
            .transpose()?,
    })
}

pub(crate) fn goal(row: &AnyRow) -> R<Goal> {
    Ok(Goal {
        id: GoalId(row.try_get("id")?),
        year: row.try_get::<i64, _>("year")? as i32,
        level: code(row, "level", GoalLevel::from_code)?,
        owner_id: NodeId(row.try_get("owner_id")?),
        parent_id: row.try_get::<Option<i64>, _>("parent_id")?.map(GoalId),
        number: row.try_get("number")?,
        title: row.try_get("title")?,
        position: row.try_get("position")?,
        version: row.try_get("version")?,
    })
}

pub(crate) fn text_version(row: &AnyRow) -> R<(GoalId, TextVersion)> {
    let valid_from: String = row.try_get("valid_from")?;
    Ok((
        GoalId(row.try_get("goal_id")?),
        TextVersion {
            section: code(row, "section", GoalSection::from_code)?,
            revision: row.try_get("revision")?,
            body: row.try_get("body")?,
            valid_from: crate::parse_timestamp(&valid_from)?,
        },
    ))
}

/// Splits a target into (kind, text, value) columns.
pub(crate) fn target_columns(t: &Target) -> (&'static str, String, Option<String>) {
    match t {
        Target::Value(m) => ("value", m.text.clone(), m.value.map(|v| v.to_string())),
        Target::SetByBoard { text } => ("set_by_board", text.clone(), None),
    }
}

pub(crate) fn target(
    kind: Option<String>,
    text: Option<String>,
    value: Option<String>,
) -> R<Option<Target>> {
    Ok(match kind.as_deref() {
        None => None,
        Some("set_by_board") => Some(Target::SetByBoard {
            text: text.unwrap_or_default(),
        }),
        Some("value") => Some(Target::Value(Measure {
            text: text.unwrap_or_default(),
            value: decimal(value)?,
        })),
        Some(other) => return Err(StoreError::Corrupt(format!("målvärdets sort {other:?}"))),
    })
}

pub(crate) fn indicator(row: &AnyRow) -> R<Indicator> {
    Ok(Indicator {
        id: IndicatorId(row.try_get("id")?),
        year: row.try_get::<i64, _>("year")? as i32,
        goal_id: GoalId(row.try_get("goal_id")?),
        owner_id: NodeId(row.try_get("owner_id")?),
        name: row.try_get("name")?,
        unit_of_measure: row.try_get("unit_of_measure")?,
        periodicity: code(row, "periodicity", Periodicity::from_code)?,
        direction: code(row, "direction", Direction::from_code)?,
        value_kind: code(row, "value_kind", ValueKind::from_code)?,
        by_sex: flag(row, "by_sex")?,
        council_target: target(
            row.try_get("council_target_kind")?,
            row.try_get("council_target_text")?,
            row.try_get("council_target_value")?,
        )?,
        position: row.try_get("position")?,
        version: row.try_get("version")?,
    })
}

pub(crate) fn indicator_target(row: &AnyRow) -> R<IndicatorTarget> {
    Ok(IndicatorTarget {
        indicator_id: IndicatorId(row.try_get("indicator_id")?),
        node_id: NodeId(row.try_get("node_id")?),
        target: target(
            row.try_get("kind")?,
            row.try_get("text")?,
            row.try_get("value")?,
        )?
        .ok_or_else(|| StoreError::Corrupt("målvärde utan sort".into()))?,
    })
}

pub(crate) fn activity(row: &AnyRow) -> R<Activity> {
    let start: String = row.try_get("start_date")?;
    let end: String = row.try_get("end_date")?;
    Ok(Activity {
        id: ActivityId(row.try_get("id")?),
        year: row.try_get::<i64, _>("year")? as i32,
        goal_id: GoalId(row.try_get("goal_id")?),
        owner_id: NodeId(row.try_get("owner_id")?),
        title: row.try_get("title")?,
        start: date(&start)?,
        end: date(&end)?,
        position: row.try_get("position")?,
        version: row.try_get("version")?,
    })
}

pub(crate) fn plan(row: &AnyRow) -> R<Plan> {
    Ok(Plan {
        id: PlanId(row.try_get("id")?),
        unit_id: NodeId(row.try_get("unit_id")?),
        year: row.try_get::<i64, _>("year")? as i32,
        status: code(row, "status", PlanStatus::from_code)?,
        version: row.try_get("version")?,
        origin: code(row, "origin", PlanOrigin::from_code)?,
    })
}

pub(crate) fn plan_section(row: &AnyRow) -> R<PlanSection> {
    Ok(PlanSection {
        plan_id: PlanId(row.try_get("plan_id")?),
        key: row.try_get("key")?,
        body: row.try_get("body")?,
        version: row.try_get("version")?,
    })
}

pub(crate) fn template_section(row: &AnyRow) -> R<TemplateSection> {
    Ok(TemplateSection {
        key: row.try_get("key")?,
        parent_key: row.try_get("parent_key")?,
        heading: row.try_get("heading")?,
        guidance: row.try_get("guidance")?,
        placement: code(row, "placement", Placement::from_code)?,
        position: row.try_get("position")?,
    })
}

pub(crate) fn facts(row: &AnyRow) -> R<UnitFacts> {
    facts_with_version(row, "version")
}

/// Facts from a row whose version column has another name (a join with the node's own).
pub(crate) fn facts_with_version(row: &AnyRow, version: &str) -> R<UnitFacts> {
    Ok(UnitFacts {
        node_id: NodeId(row.try_get("node_id")?),
        year: row.try_get::<i64, _>("year")? as i32,
        managers: json(row, "managers")?,
        staff: json(row, "staff")?,
        clients: row.try_get("clients")?,
        clients_label: row.try_get("clients_label")?,
        budget_kr: decimal(row.try_get("budget_kr")?)?,
        staff_meetings: json(row, "staff_meetings")?,
        version: row.try_get(version)?,
    })
}
