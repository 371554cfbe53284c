//! The history of a plan and of what it holds, read from the audit trail: every change a
//! [`Writer`](crate::Writer) made, with who, when, and the object before and after.
//!
//! Nothing here writes: the audit trail is only ever appended to (`Writer::audit`), never
//! changed or emptied. A plan's history is the events of the plan itself (its creation,
//! status, workflow steps), of its sections, of what it takes in (`document_contents`,
//! `document_pins`), and of what its unit owns for the plan's year: its goals with their
//! texts, its indicators and activities, and the targets it set on indicators of the year.

use crate::read::sql;
use crate::{Store, StoreError, parse_timestamp};
use malkedja_domain::{ActivityId, GoalId, IndicatorId, NodeId, PlanId, Year};
use serde_json::Value;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::{BTreeSet, HashMap, HashSet};
use time::OffsetDateTime;

type R<T> = Result<T, StoreError>;

/// The most events one page of history holds.
pub const HISTORY_PAGE_MAX: usize = 500;

/// One change in the audit trail, with the name of the person who made it.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEvent {
    pub id: i64,
    pub at: OffsetDateTime,
    /// What the writer was given: a person's email, or "demo", "import", "inloggning" ….
    pub actor: String,
    /// The display name of the account whose email `actor` is, if there is one.
    pub actor_name: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Whose history is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistorySubject {
    /// A plan and everything it holds.
    Plan(PlanId),
    /// A goal and its texts.
    Goal(GoalId),
    /// An indicator and the target `unit` set for it.
    Indicator {
        indicator: IndicatorId,
        unit: NodeId,
    },
    Activity(ActivityId),
    /// One of a plan's own sections.
    Section {
        plan: PlanId,
        key: String,
    },
    /// A follow-up report and everything written in it: its status and workflow, its
    /// goal assessments, outcomes, activity statuses, sections, economy, ready marks,
    /// contents and memo header.
    Report(i64),
    /// A board's, administration's, department's or the city's own goals of a year, with
    /// their texts, indicators (and the targets it set) and activities.
    Owner {
        owner: NodeId,
        year: Year,
    },
}

/// What a goal, indicator or activity is called, who owns it and for which year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemName {
    /// "1.2 Titel" for a goal with a number; the title or name as it is now.
    pub name: String,
    pub owner: NodeId,
    pub year: Year,
    /// Removed (kept, marked removed, left out of every plan).
    pub removed: bool,
}

/// The goals, indicators and activities an answer names, by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemNames {
    pub goals: HashMap<i64, ItemName>,
    pub indicators: HashMap<i64, ItemName>,
    pub activities: HashMap<i64, ItemName>,
}

/// One page of a history, newest first.
#[derive(Debug, Clone, Default)]
pub struct HistoryPage {
    pub events: Vec<HistoryEvent>,
    /// There are older events: ask again with `before` set to this.
    pub older: Option<i64>,
    /// The names of the goals, indicators and activities these events name, as they are
    /// now (a removed one keeps its name).
    pub names: ItemNames,
    /// The goals, indicators and activities (entity, id) whose removal is among these
    /// events and which are removed now.
    pub still_removed: HashSet<(String, String)>,
}

const EVENT_COLS: &str = "e.id, e.at, e.actor, a.display_name, e.action, e.entity, e.entity_id, e.before_json, e.after_json";

fn event(r: &AnyRow) -> R<HistoryEvent> {
    let parse = |s: Option<String>| -> R<Option<Value>> {
        s.map(|s| serde_json::from_str(&s).map_err(|e| StoreError::Corrupt(e.to_string())))
            .transpose()
    };
    Ok(HistoryEvent {
        id: r.try_get("id")?,
        at: parse_timestamp(&r.try_get::<String, _>("at")?)?,
        actor: r.try_get("actor")?,
        actor_name: r.try_get("display_name")?,
        action: r.try_get("action")?,
        entity: r.try_get("entity")?,
        entity_id: r.try_get("entity_id")?,
        before: parse(r.try_get("before_json")?)?,
        after: parse(r.try_get("after_json")?)?,
    })
}

/// The ids before the first `/` of an entity id such as "7/expected_result".
fn head(entity_id: &str) -> Option<i64> {
    entity_id.split('/').next()?.parse().ok()
}

/// The id after the first `/` of an entity id such as "3/42".
fn tail(entity_id: &str) -> Option<i64> {
    entity_id.split_once('/')?.1.parse().ok()
}

/// The goals, indicators and activities the events name: their own ids, what they hang
/// on, and what a document's contents list.
fn mentioned(events: &[HistoryEvent]) -> [BTreeSet<i64>; 3] {
    let [mut goals, mut indicators, mut activities] = [(); 3].map(|_| BTreeSet::new());
    let ids = |v: &Value| -> Vec<i64> {
        match v {
            Value::Array(a) => a.iter().filter_map(Value::as_i64).collect(),
            Value::Object(o) => o.keys().filter_map(|k| k.parse().ok()).collect(),
            _ => Vec::new(),
        }
    };
    for e in events {
        let id = head(&e.entity_id);
        match e.entity.as_str() {
            "goal" | "goal_text" => goals.extend(id),
            "indicator" | "indicator_target" => indicators.extend(id),
            "activity" => activities.extend(id),
            // "7/goal:42": plan (or report) 7's ready mark of goal 42.
            "plan_ready_mark" | "report_ready_mark" => goals.extend(
                e.entity_id
                    .split_once("/goal:")
                    .and_then(|(_, g)| g.parse::<i64>().ok()),
            ),
            // "3/42": report 3's assessment of goal 42, outcome of indicator 42 ….
            "goal_assessment" => goals.extend(tail(&e.entity_id)),
            "indicator_outcome" => indicators.extend(tail(&e.entity_id)),
            "activity_status" => activities.extend(tail(&e.entity_id)),
            _ => {}
        }
        for v in [&e.before, &e.after].into_iter().flatten() {
            match e.entity.as_str() {
                "goal" => goals.extend(v.get("parent_id").and_then(Value::as_i64)),
                "indicator" | "activity" => goals.extend(v.get("goal_id").and_then(Value::as_i64)),
                "document_contents" => {
                    goals.extend(v.get("goals").map(ids).unwrap_or_default());
                    indicators.extend(v.get("indicators").map(ids).unwrap_or_default());
                    activities.extend(v.get("activities").map(ids).unwrap_or_default());
                }
                "document_pins" => {
                    if let Value::Object(o) = v {
                        goals.extend(o.keys().filter_map(|k| head(k)));
                    }
                }
                _ => {}
            }
        }
    }
    [goals, indicators, activities]
}

async fn names(c: &mut sqlx::AnyConnection, wanted: &[BTreeSet<i64>; 3]) -> R<ItemNames> {
    let mut parts = Vec::new();
    let mut next = 1;
    for (set, select) in wanted.iter().zip([
        "SELECT 'goal' AS what, id, number, title, owner_id, year, removed_at FROM goal",
        "SELECT 'indicator' AS what, id, NULL AS number, name AS title, owner_id, year, removed_at FROM indicator",
        "SELECT 'activity' AS what, id, NULL AS number, title, owner_id, year, removed_at FROM activity",
    ]) {
        if !set.is_empty() {
            let marks: Vec<String> = (next..next + set.len()).map(|i| format!("${i}")).collect();
            parts.push(format!("{select} WHERE id IN ({})", marks.join(", ")));
            next += set.len();
        }
    }
    let mut out = ItemNames::default();
    if parts.is_empty() {
        return Ok(out);
    }
    let mut q = sql(parts.join(" UNION ALL "));
    for id in wanted.iter().flatten() {
        q = q.bind(*id);
    }
    for r in q.fetch_all(&mut *c).await? {
        let what: String = r.try_get("what")?;
        let id: i64 = r.try_get("id")?;
        let number: Option<String> = r.try_get("number")?;
        let title: String = r.try_get("title")?;
        let name = ItemName {
            name: match number.as_deref().map(str::trim) {
                Some(n) if !n.is_empty() => format!("{n} {title}"),
                _ => title,
            },
            owner: NodeId(r.try_get("owner_id")?),
            year: Year::try_from(r.try_get::<i64, _>("year")?)
                .map_err(|e| StoreError::Corrupt(format!("år: {e}")))?,
            removed: r.try_get::<Option<String>, _>("removed_at")?.is_some(),
        };
        match what.as_str() {
            "goal" => out.goals.insert(id, name),
            "indicator" => out.indicators.insert(id, name),
            _ => out.activities.insert(id, name),
        };
    }
    Ok(out)
}

/// What picks an object's events: its own entity by id, and another entity whose ids
/// match a pattern, for what belongs to it alone (a goal's texts, the unit's target for an
/// indicator, a section's ready marks); "" matches no entity.
fn object_filter(subject: &HistorySubject) -> (&'static str, String, &'static str, String) {
    match subject {
        HistorySubject::Plan(p) => ("plan", p.to_string(), "", String::new()),
        // Read by a query of its own.
        HistorySubject::Owner { .. } | HistorySubject::Report(_) => {
            ("", String::new(), "", String::new())
        }
        HistorySubject::Goal(g) => ("goal", g.to_string(), "goal_text", format!("{g}/%")),
        HistorySubject::Indicator { indicator, unit } => (
            "indicator",
            indicator.to_string(),
            "indicator_target",
            format!("{indicator}/{unit}"),
        ),
        HistorySubject::Activity(a) => ("activity", a.to_string(), "", String::new()),
        HistorySubject::Section { plan, key } => (
            "plan_section",
            format!("{plan}/{key}"),
            "plan_ready_mark",
            format!("{plan}/section:{key}"),
        ),
    }
}

impl Store {
    /// A page of the history of `subject`, newest first: at most `limit` events (capped at
    /// [`HISTORY_PAGE_MAX`]), older than the event `before` when given. A plan that does
    /// not exist is [`StoreError::NotFound`]; an object without events has an empty history.
    pub async fn history(
        &self,
        subject: &HistorySubject,
        before: Option<i64>,
        limit: usize,
    ) -> R<HistoryPage> {
        let limit = limit.clamp(1, HISTORY_PAGE_MAX);
        let before = before.unwrap_or(i64::MAX);
        // One more than asked for tells whether there are older ones.
        let fetch = i64::try_from(limit + 1).unwrap_or(i64::MAX);
        let mut tx = self.snapshot().await?;
        let rows = match subject {
            HistorySubject::Plan(plan) => {
                let p = crate::read::plan_by_id(&mut tx, *plan)
                    .await?
                    .ok_or_else(|| StoreError::NotFound(format!("plan {plan}")))?;
                sql(format!(
                    "SELECT {EVENT_COLS} FROM audit_event e LEFT JOIN account a ON a.email = e.actor \
                     WHERE e.id < $1 AND ( \
                        (e.entity = 'plan' AND e.entity_id = $2) \
                     OR (e.entity IN ('document_contents', 'document_pins') AND e.entity_id = $3) \
                     OR (e.entity IN ('plan_section', 'plan_ready_mark') AND e.entity_id LIKE $4) \
                     OR (e.entity = 'goal' AND e.entity_id IN \
                          (SELECT CAST(g.id AS TEXT) FROM goal g WHERE g.owner_id = $5 AND g.year = $6)) \
                     OR (e.entity = 'goal_text' AND EXISTS (SELECT 1 FROM goal g \
                          WHERE g.owner_id = $5 AND g.year = $6 AND e.entity_id LIKE (CAST(g.id AS TEXT) || '/%'))) \
                     OR (e.entity = 'indicator' AND e.entity_id IN \
                          (SELECT CAST(i.id AS TEXT) FROM indicator i WHERE i.owner_id = $5 AND i.year = $6)) \
                     OR (e.entity = 'activity' AND e.entity_id IN \
                          (SELECT CAST(x.id AS TEXT) FROM activity x WHERE x.owner_id = $5 AND x.year = $6)) \
                     OR (e.entity = 'indicator_target' AND e.entity_id IN \
                          (SELECT CAST(i.id AS TEXT) || $7 FROM indicator i WHERE i.year = $6)) \
                     ) ORDER BY e.id DESC LIMIT $8"
                ))
                .bind(before)
                .bind(p.id.0.to_string())
                .bind(format!("plan/{}", p.id))
                .bind(format!("{}/%", p.id))
                .bind(p.unit_id.0)
                .bind(i64::from(p.year))
                .bind(format!("/{}", p.unit_id))
                .bind(fetch)
                .fetch_all(&mut *tx)
                .await?
            }
            HistorySubject::Report(report) => {
                crate::followup::report_by_id(&mut tx, *report)
                    .await?
                    .ok_or_else(|| StoreError::NotFound(format!("rapport {report}")))?;
                sql(format!(
                    "SELECT {EVENT_COLS} FROM audit_event e LEFT JOIN account a ON a.email = e.actor \
                     WHERE e.id < $1 AND ( \
                        (e.entity IN ('report', 'report_economy') AND e.entity_id = $2) \
                     OR (e.entity IN ('document_contents', 'document_pins', 'document_memo') AND e.entity_id = $3) \
                     OR (e.entity IN ('goal_assessment', 'indicator_outcome', 'activity_status', \
                          'report_section', 'report_ready_mark') AND e.entity_id LIKE $4) \
                     ) ORDER BY e.id DESC LIMIT $5"
                ))
                .bind(before)
                .bind(report.to_string())
                .bind(format!("report/{report}"))
                .bind(format!("{report}/%"))
                .bind(fetch)
                .fetch_all(&mut *tx)
                .await?
            }
            HistorySubject::Owner { owner, year } => {
                sql(format!(
                    "SELECT {EVENT_COLS} FROM audit_event e LEFT JOIN account a ON a.email = e.actor \
                     WHERE e.id < $1 AND ( \
                        (e.entity = 'goal' AND e.entity_id IN \
                          (SELECT CAST(g.id AS TEXT) FROM goal g WHERE g.owner_id = $2 AND g.year = $3)) \
                     OR (e.entity = 'goal_text' AND EXISTS (SELECT 1 FROM goal g \
                          WHERE g.owner_id = $2 AND g.year = $3 AND e.entity_id LIKE (CAST(g.id AS TEXT) || '/%'))) \
                     OR (e.entity = 'indicator' AND e.entity_id IN \
                          (SELECT CAST(i.id AS TEXT) FROM indicator i WHERE i.owner_id = $2 AND i.year = $3)) \
                     OR (e.entity = 'activity' AND e.entity_id IN \
                          (SELECT CAST(x.id AS TEXT) FROM activity x WHERE x.owner_id = $2 AND x.year = $3)) \
                     OR (e.entity = 'indicator_target' AND e.entity_id IN \
                          (SELECT CAST(i.id AS TEXT) || $4 FROM indicator i WHERE i.year = $3)) \
                     ) ORDER BY e.id DESC LIMIT $5"
                ))
                .bind(before)
                .bind(owner.0)
                .bind(i64::from(*year))
                .bind(format!("/{owner}"))
                .bind(fetch)
                .fetch_all(&mut *tx)
                .await?
            }
            other => {
                let (own, id, part, pattern) = object_filter(other);
                sql(format!(
                    "SELECT {EVENT_COLS} FROM audit_event e LEFT JOIN account a ON a.email = e.actor \
                     WHERE e.id < $1 AND ((e.entity = $2 AND e.entity_id = $3) \
                        OR (e.entity = $4 AND e.entity_id LIKE $5)) \
                     ORDER BY e.id DESC LIMIT $6"
                ))
                .bind(before)
                .bind(own)
                .bind(id)
                .bind(part)
                .bind(pattern)
                .bind(fetch)
                .fetch_all(&mut *tx)
                .await?
            }
        };
        let mut events = rows.iter().map(event).collect::<R<Vec<_>>>()?;
        let older = if events.len() > limit {
            events.truncate(limit);
            events.last().map(|e| e.id)
        } else {
            None
        };
        let names = names(&mut tx, &mentioned(&events)).await?;
        // Removals of what is removed still (not restored since).
        let still_removed = events
            .iter()
            .filter(|e| e.action == "remove")
            .filter(|e| {
                let map = match e.entity.as_str() {
                    "goal" => &names.goals,
                    "indicator" => &names.indicators,
                    "activity" => &names.activities,
                    _ => return false,
                };
                head(&e.entity_id)
                    .and_then(|id| map.get(&id))
                    .is_some_and(|n| n.removed)
            })
            .map(|e| (e.entity.clone(), e.entity_id.clone()))
            .collect();
        tx.commit().await?;
        Ok(HistoryPage {
            events,
            older,
            names,
            still_removed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ev(entity: &str, id: &str, before: Option<Value>, after: Option<Value>) -> HistoryEvent {
        HistoryEvent {
            id: 1,
            at: OffsetDateTime::UNIX_EPOCH,
            actor: "a@b.se".into(),
            actor_name: None,
            action: "x".into(),
            entity: entity.into(),
            entity_id: id.into(),
            before,
            after,
        }
    }

    #[test]
    fn events_name_the_items_they_touch_and_list() {
        let [g, i, a] = mentioned(&[
            ev("goal_text", "7/expected_result", None, None),
            ev("goal", "8", None, Some(json!({"parent_id": 2}))),
            ev("indicator_target", "11/5", None, None),
            ev("activity", "4", Some(json!({"goal_id": 9})), None),
            ev(
                "document_contents",
                "plan/1",
                Some(json!({"goals": [3], "indicators": {}, "activities": {}})),
                Some(json!({"goals": [3, 5], "indicators": {"12": {}}, "activities": {"6": {}}})),
            ),
            ev(
                "document_pins",
                "plan/1",
                None,
                Some(json!({"13/description": 1})),
            ),
        ]);
        assert_eq!(g.into_iter().collect::<Vec<_>>(), [2, 3, 5, 7, 8, 9, 13]);
        assert_eq!(i.into_iter().collect::<Vec<_>>(), [11, 12]);
        assert_eq!(a.into_iter().collect::<Vec<_>>(), [4, 6]);
    }
}
