//! *Historik* and *Jämför*: a plan's history and the history of one of its objects (a
//! goal with its texts, an indicator with the unit's target, an activity, one of the plan's
//! own sections), and the history of a board's (administration's, department's, the city's)
//! own goals of a year, read from the audit trail; and the plan between two points in time
//! (each step of its workflow, and now), heading by heading.
//!
//! Events are shown generically: the object before and after as named fields
//! (`diff::flatten`), only the fields that changed, each as a word-level difference. The
//! Swedish names of fields, actions and objects are here; a field this module does not
//! know is shown by its key. History is not public (`Action::ReadDraft` on the unit's
//! chain, whatever the plan's status). A removed goal, indicator or activity that is still
//! removed offers *Återställ* to a person who may write the plan now.

use crate::AppState;
use crate::auth::Caller;
use crate::diff::{self, Piece};
use crate::error::{AppError, HtmlError};
use crate::params::{self, PagePath};
use crate::views::Crumb;
use askama::Template;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Html;
use malkedja_domain::{
    Action, Direction, GoalLevel, GoalSection, NodeId, OrgKind, OrgNode, OutlinePart, Periodicity,
    PlanDocument, PlanStatus, Transition, ValueKind, plan_outline,
};
use malkedja_store::{HistoryEvent, HistoryPage, HistorySubject, ItemNames};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use time::{Date, Month, OffsetDateTime, UtcOffset};

/// Events on one page of history.
pub const PAGE_SIZE: usize = 50;

/// The kinds of object that have a history page of their own, as the address names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    Goal,
    Indicator,
    Activity,
    Section,
}

impl ObjectKind {
    pub fn slug(self) -> &'static str {
        match self {
            ObjectKind::Goal => "mal",
            ObjectKind::Indicator => "indikator",
            ObjectKind::Activity => "aktivitet",
            ObjectKind::Section => "avsnitt",
        }
    }

    fn from_slug(s: &str) -> Option<ObjectKind> {
        [
            ObjectKind::Goal,
            ObjectKind::Indicator,
            ObjectKind::Activity,
            ObjectKind::Section,
        ]
        .into_iter()
        .find(|k| k.slug() == s)
    }
}

/// The address of a plan's history.
pub fn plan_href(unit: NodeId, year: i32) -> String {
    format!("/enheter/{unit}/planer/{year}/historik")
}

/// The address of one object's history in a plan.
pub fn object_href(unit: NodeId, year: i32, kind: ObjectKind, id: &str) -> String {
    format!(
        "{}/{}/{}",
        plan_href(unit, year),
        kind.slug(),
        form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>()
    )
}

/// The address of *Jämför* for a plan.
pub fn compare_href(unit: NodeId, year: i32) -> String {
    format!("/enheter/{unit}/planer/{year}/jamfor")
}

// ---- time, as people in Sweden read it ----

/// The last Sunday of a month that has 31 days (March, October).
fn last_sunday(year: i32, month: Month) -> Option<Date> {
    let last = Date::from_calendar_date(year, month, 31).ok()?;
    Some(last - time::Duration::days(i64::from(last.weekday().number_days_from_sunday())))
}

/// The time in Sweden (Europe/Stockholm): UTC+2 from 01:00 UTC on the last Sunday of
/// March to 01:00 UTC on the last Sunday of October (the EU's rule since 1996), else UTC+1.
pub fn stockholm(t: OffsetDateTime) -> OffsetDateTime {
    let utc = t.to_offset(UtcOffset::UTC);
    let one = time::macros::time!(1:00);
    let summer = match (
        last_sunday(utc.year(), Month::March),
        last_sunday(utc.year(), Month::October),
    ) {
        (Some(start), Some(end)) => {
            let start = start.with_time(one).assume_utc();
            let end = end.with_time(one).assume_utc();
            utc >= start && utc < end
        }
        _ => false,
    };
    utc.to_offset(if summer {
        time::macros::offset!(+2)
    } else {
        time::macros::offset!(+1)
    })
}

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

/// "2 december 2026 kl. 10.15", Swedish time.
pub fn when_label(t: OffsetDateTime) -> String {
    let s = stockholm(t);
    format!(
        "{} {} {} kl. {:02}.{:02}",
        s.day(),
        MONTHS[usize::from(u8::from(s.month())) - 1],
        s.year(),
        s.hour(),
        s.minute()
    )
}

/// RFC 3339 in Swedish time, for `<time datetime>`.
fn when_iso(t: OffsetDateTime) -> String {
    stockholm(t)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

// ---- events as the pages show them ----

/// A field that changed: its Swedish name and the difference.
pub struct FieldView {
    pub label: String,
    pub pieces: Vec<Piece>,
}

/// The form that restores a removed goal, indicator or activity, or what a report's item
/// said before a change.
pub struct RestoreForm {
    pub action: String,
    /// What is restored, for the button's accessible name.
    pub what: String,
    /// The button's text.
    pub label: &'static str,
    /// Hidden fields the form sends (which event it restores).
    pub fields: Vec<(&'static str, String)>,
}

/// One event of a history.
pub struct EventView {
    pub id: i64,
    pub at: String,
    pub at_label: String,
    pub who: String,
    pub action: String,
    pub what: String,
    /// The object's own history, when this page is not it.
    pub href: Option<String>,
    pub fields: Vec<FieldView>,
    pub restore: Option<RestoreForm>,
}

/// What an action is called in the history.
fn action_label(e: &HistoryEvent) -> String {
    if e.action == "transition" {
        let status = |k: &str| {
            e.after
                .as_ref()
                .and_then(|a| a.get(k))
                .and_then(Value::as_str)
                .and_then(PlanStatus::from_code)
        };
        if let (Some(from), Some(to)) = (status("from"), status("to"))
            && let Some(t) = Transition::between(from, to)
        {
            return t.label().to_string();
        }
        return "Arbetsgång".into();
    }
    match e.action.as_str() {
        "create" => "Skapade",
        "update" => "Ändrade",
        "remove" => "Tog bort",
        "restore" => "Återställde",
        "save" => "Sparade",
        "set_text" => "Skrev texten",
        "set_target" => "Satte årsmålet",
        "set_contents" => "Ändrade vad planen tar med",
        "set_pins" => "Knöt planen till textversioner",
        "set_status" => "Ändrade status",
        "set_origin" => "Ändrade ursprung",
        "set_written_at" => "Ändrade när planen skrevs",
        "reorder" | "move" => "Flyttade",
        "clear_target" => "Tog bort årsmålet",
        "written_now" => "Började skriva i den importerade planen",
        "assess" => "Skrev bedömningen av",
        "outcome" => "Skrev utfallet för",
        "status" => "Skrev statusen för",
        "write_section" => "Skrev",
        "write_economy" => "Skrev",
        "create_from_plan" => "Skapade",
        "set_sections" => "Ändrade avsnitten",
        "set_complaints" => "Ändrade tabellen över synpunkter och klagomål",
        "mark_ready" => "Markerade som klar",
        "unmark_ready" => "Ångrade klar",
        "clear_ready" => "Tog bort klar-markeringen (ändrades)",
        other => other,
    }
    .to_string()
}

/// The id before the first `/` of an entity id ("7/expected_result" → 7).
fn head(entity_id: &str) -> Option<i64> {
    entity_id.split('/').next()?.parse().ok()
}

fn quoted(s: &str) -> String {
    format!("”{s}”")
}

/// The object's field `key` as the event shows it (after, else before).
fn field<'a>(e: &'a HistoryEvent, key: &str) -> Option<&'a Value> {
    e.after
        .as_ref()
        .and_then(|v| v.get(key))
        .or_else(|| e.before.as_ref().and_then(|v| v.get(key)))
}

/// What the event is about, in Swedish, and which object page it belongs to.
fn subject_of(
    e: &HistoryEvent,
    names: &ItemNames,
    headings: &HashMap<String, String>,
) -> (String, Option<(ObjectKind, String)>) {
    let id = head(&e.entity_id);
    let name = |map: &HashMap<i64, malkedja_store::ItemName>, fallback: &str| {
        id.and_then(|i| map.get(&i))
            .map(|n| n.name.clone())
            .or_else(|| {
                field(e, fallback)
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .unwrap_or_else(|| e.entity_id.clone())
    };
    let id_text = id.map(|i| i.to_string()).unwrap_or_default();
    // A report's item: "3/42" names item 42 of report 3.
    let item = |map: &HashMap<i64, malkedja_store::ItemName>, fallback: &str| {
        let id = e
            .entity_id
            .split_once('/')
            .and_then(|(_, i)| i.parse::<i64>().ok())
            .or_else(|| field(e, fallback).and_then(Value::as_i64));
        id.map(|i| item_name(map, i))
            .unwrap_or_else(|| e.entity_id.clone())
    };
    match e.entity.as_str() {
        "plan" => ("Planen".into(), None),
        "document_contents" => ("Vad planen tar med".into(), None),
        "document_pins" => ("Vilka textversioner planen visar".into(), None),
        "plan_section" => {
            let key = e.entity_id.split_once('/').map(|(_, k)| k).unwrap_or("");
            let heading = headings
                .get(key)
                .cloned()
                .unwrap_or_else(|| key.to_string());
            (
                format!("avsnittet {}", quoted(&heading)),
                Some((ObjectKind::Section, key.to_string())),
            )
        }
        "goal" => {
            let level = field(e, "level")
                .and_then(Value::as_str)
                .and_then(GoalLevel::from_code)
                .map(GoalLevel::label)
                .unwrap_or("målet");
            (
                format!("{level} {}", quoted(&name(&names.goals, "title"))),
                Some((ObjectKind::Goal, id_text)),
            )
        }
        "goal_text" => {
            let section = e
                .entity_id
                .split_once('/')
                .and_then(|(_, s)| GoalSection::from_code(s))
                .map(GoalSection::heading)
                .unwrap_or("texten");
            (
                format!(
                    "{} i målet {}",
                    quoted(section),
                    quoted(&name(&names.goals, "title"))
                ),
                Some((ObjectKind::Goal, id_text)),
            )
        }
        "indicator" => (
            format!("indikatorn {}", quoted(&name(&names.indicators, "name"))),
            Some((ObjectKind::Indicator, id_text)),
        ),
        "indicator_target" => (
            format!("för indikatorn {}", quoted(&name(&names.indicators, ""))),
            Some((ObjectKind::Indicator, id_text)),
        ),
        "activity" => (
            format!("aktiviteten {}", quoted(&name(&names.activities, "title"))),
            Some((ObjectKind::Activity, id_text)),
        ),
        "plan_ready_mark" => {
            let part = e
                .entity_id
                .split_once('/')
                .and_then(|(_, code)| malkedja_domain::PlanPart::from_code(code));
            match part {
                Some(malkedja_domain::PlanPart::Section { key }) => {
                    let heading = headings.get(&key).cloned().unwrap_or_else(|| key.clone());
                    (
                        format!("avsnittet {}", quoted(&heading)),
                        Some((ObjectKind::Section, key)),
                    )
                }
                Some(malkedja_domain::PlanPart::Goal { id }) => (
                    format!(
                        "enhetsmålet {}",
                        quoted(
                            &names
                                .goals
                                .get(&id.0)
                                .map(|n| n.name.clone())
                                .unwrap_or_else(|| id.to_string())
                        )
                    ),
                    Some((ObjectKind::Goal, id.to_string())),
                ),
                Some(malkedja_domain::PlanPart::Economy) | None => {
                    (format!("delen {}", e.entity_id), None)
                }
            }
        }
        "report" => ("Rapporten".into(), None),
        "document_memo" => ("dokumenthuvudet".into(), None),
        "report_economy" => ("ekonomin".into(), None),
        "goal_assessment" => (
            format!("målet {}", quoted(&item(&names.goals, "goal_id"))),
            None,
        ),
        "indicator_outcome" => (
            format!(
                "indikatorn {}",
                quoted(&item(&names.indicators, "indicator_id"))
            ),
            None,
        ),
        "activity_status" => (
            format!(
                "aktiviteten {}",
                quoted(&item(&names.activities, "activity_id"))
            ),
            None,
        ),
        "report_section" => {
            let key = e.entity_id.split_once('/').map(|(_, k)| k).unwrap_or("");
            let heading = headings
                .get(key)
                .cloned()
                .or_else(|| {
                    field(e, "heading")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
                .unwrap_or_else(|| key.to_string());
            (format!("avsnittet {}", quoted(&heading)), None)
        }
        "report_ready_mark" => {
            let part = e
                .entity_id
                .split_once('/')
                .and_then(|(_, code)| malkedja_domain::PlanPart::from_code(code));
            match part {
                Some(malkedja_domain::PlanPart::Section { key }) => (
                    format!(
                        "avsnittet {}",
                        quoted(&headings.get(&key).cloned().unwrap_or(key))
                    ),
                    None,
                ),
                Some(malkedja_domain::PlanPart::Goal { id }) => (
                    format!(
                        "uppföljningen av målet {}",
                        quoted(
                            &names
                                .goals
                                .get(&id.0)
                                .map(|n| n.name.clone())
                                .unwrap_or_else(|| id.to_string())
                        )
                    ),
                    None,
                ),
                Some(malkedja_domain::PlanPart::Economy) => ("ekonomin".into(), None),
                None => (format!("delen {}", e.entity_id), None),
            }
        }
        other => (format!("{other} {}", e.entity_id), None),
    }
}

/// Fields never shown: ids, versions, bookkeeping, and the parts of a target other than
/// its text (the number is read from the text).
fn hidden(key: &str) -> bool {
    const KEYS: [&str; 17] = [
        "id",
        "activity_id",
        "report_id",
        "placement",
        "totals",
        "version",
        "year",
        "owner_id",
        "plan_id",
        "unit_id",
        "node_id",
        "indicator_id",
        "revision",
        "valid_from",
        "key",
        "created_at",
        "updated_at",
    ];
    let last = key.rsplit('.').next().unwrap_or(key);
    KEYS.contains(&key) || matches!(last, "kind" | "value") || (key == "section")
}

/// Fields in the order they are shown; others follow.
const FIELD_ORDER: [&str; 21] = [
    "",
    "status",
    "comment",
    "level",
    "number",
    "title",
    "name",
    "body",
    "text",
    "parent_id",
    "goal_id",
    "council_target.text",
    "unit_of_measure",
    "periodicity",
    "direction",
    "value_kind",
    "by_sex",
    "start",
    "end",
    "position",
    "origin",
];

/// A field's Swedish name.
fn field_label(entity: &str, action: &str, key: &str) -> String {
    if let Some(name) = key.strip_prefix("target.") {
        return format!("Årsmål för {}", quoted(name));
    }
    match (entity, key) {
        ("indicator_target", "text") => "Årsmål",
        (_, "") => match action {
            "set_written_at" => "Skriven",
            "set_origin" => "Ursprung",
            _ => "Värde",
        },
        (_, "status") => "Status",
        (_, "assessment") => "Bedömning",
        (_, "analysis") => "Analys",
        (_, "outcome.text") => "Utfall",
        (_, "women") => "Kvinnor",
        (_, "men") => "Män",
        (_, "previous") => "Utfall föregående år",
        ("report", "prefilled") => "Förifyllt från årets förra rapport (antal värden)",
        (_, "period") => "Period",
        (_, "heading") => "Rubrik",
        (_, "investments") => "Investeringar",
        (_, "premises") => "Medel för lokaländamål",
        (_, "comment") => "Kommentar",
        (_, "level") => "Nivå",
        (_, "number") => "Nummer",
        (_, "title") => "Titel",
        (_, "name") => "Namn",
        (_, "body") => "Text",
        (_, "text") => "Text",
        (_, "parent_id") => "Överordnat mål",
        (_, "goal_id") => "Mål",
        (_, "council_target.text") => "KF:s årsmål",
        (_, "unit_of_measure") => "Måttenhet",
        (_, "periodicity") => "Periodicitet",
        (_, "direction") => "Riktning",
        (_, "by_sex") => "Redovisas för kvinnor och män",
        (_, "value_kind") => "Värdetyp",
        (_, "start") => "Startdatum",
        (_, "end") => "Slutdatum",
        (_, "position") => "Ordning",
        (_, "origin") => "Ursprung",
        (_, "goals") => "Mål",
        (_, "indicators") => "Indikatorer",
        (_, "activities") => "Aktiviteter",
        (_, "pins") => "Textversioner",
        (_, other) => other,
    }
    .to_string()
}

/// A field's value in words: codes as their Swedish labels, goals by name.
fn field_value(key: &str, raw: &str, names: &ItemNames) -> String {
    let mapped = match key {
        "status" => PlanStatus::from_code(raw)
            .map(|s| s.label().to_string())
            .or_else(|| {
                malkedja_domain::ActivityStatus::from_code(raw).map(|s| s.label().to_string())
            }),
        "assessment" => malkedja_domain::Assessment::from_code(raw).map(|a| a.label().to_string()),
        "level" => GoalLevel::from_code(raw).map(|l| l.heading_prefix().to_string()),
        "periodicity" => Periodicity::from_code(raw).map(|p| p.label().to_string()),
        "direction" => Direction::from_code(raw).map(|d| d.label().to_string()),
        "value_kind" => ValueKind::from_code(raw).map(|v| v.label().to_string()),
        "origin" => match raw {
            "plan" => Some("Verksamhetsplan".to_string()),
            "report" => Some("Rapport (ingen egen plantext)".to_string()),
            _ => None,
        },
        "parent_id" | "goal_id" => raw
            .parse::<i64>()
            .ok()
            .and_then(|id| names.goals.get(&id))
            .map(|n| n.name.clone()),
        // Places are counted from 1, as people count.
        "position" => raw.parse::<i64>().ok().map(|p| (p + 1).to_string()),
        // An activity's dates are kept in the trail as the domain serialises a date,
        // [year, day of the year]; shown as the pages show dates.
        "start" | "end" => ordinal_date(raw),
        _ => None,
    };
    mapped.unwrap_or_else(|| raw.to_string())
}

/// "2026, 32" (a date as [year, day of the year], flattened) → "2026-02-01".
fn ordinal_date(raw: &str) -> Option<String> {
    let (year, day) = raw.split_once(',')?;
    let date = Date::from_ordinal_date(year.trim().parse().ok()?, day.trim().parse().ok()?).ok()?;
    Some(malkedja_domain::date_text(date))
}

/// The name of an item by id, or "nummer N" when it is not known.
fn item_name(map: &HashMap<i64, malkedja_store::ItemName>, id: i64) -> String {
    map.get(&id)
        .map(|n| n.name.clone())
        .unwrap_or_else(|| format!("nummer {id}"))
}

/// What a document's contents list, in words: the names of its goals, indicators and
/// activities, one a line, and the årsmål it states for each indicator.
fn contents_in_words(v: &Value, names: &ItemNames) -> Value {
    let ids = |k: &str| -> Vec<i64> {
        match v.get(k) {
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_i64).collect(),
            Some(Value::Object(o)) => o.keys().filter_map(|k| k.parse().ok()).collect(),
            _ => Vec::new(),
        }
    };
    let lines = |map: &HashMap<i64, malkedja_store::ItemName>, k: &str| {
        let mut list: Vec<String> = ids(k).into_iter().map(|i| item_name(map, i)).collect();
        list.sort();
        Value::String(list.join("\n"))
    };
    let mut out = serde_json::Map::new();
    out.insert("goals".into(), lines(&names.goals, "goals"));
    out.insert("indicators".into(), lines(&names.indicators, "indicators"));
    out.insert("activities".into(), lines(&names.activities, "activities"));
    if let Some(Value::Object(entries)) = v.get("indicators") {
        for (id, entry) in entries {
            let Some(text) = entry
                .get("target")
                .and_then(|t| t.get("text"))
                .and_then(Value::as_str)
            else {
                continue;
            };
            let name = id
                .parse()
                .map(|i| item_name(&names.indicators, i))
                .unwrap_or_else(|_| id.clone());
            out.insert(format!("target.{name}"), Value::String(text.to_string()));
        }
    }
    Value::Object(out)
}

/// A report's economy in words: each operation's figures as typed, and the texts.
fn economy_in_words(v: &Value) -> Value {
    let mut out = serde_json::Map::new();
    if let Some(Value::Array(lines)) = v.get("lines") {
        for l in lines {
            let name = l
                .get("operation_name")
                .and_then(Value::as_str)
                .unwrap_or("verksamheten");
            for (key, label) in [
                ("budget_text", "Budget"),
                ("forecast_text", "Prognos"),
                ("outcome_text", "Utfall"),
            ] {
                if let Some(t) = l.get(key).and_then(Value::as_str) {
                    out.insert(format!("{label} – {name}"), Value::String(t.to_string()));
                }
            }
        }
    }
    for key in ["analysis", "investments", "premises"] {
        if let Some(t) = v.get(key).filter(|t| !t.is_null()) {
            out.insert(key.to_string(), t.clone());
        }
    }
    Value::Object(out)
}

/// The goal texts a document is tied to, in words, one a line.
fn pins_in_words(v: &Value, names: &ItemNames) -> Value {
    let mut lines: Vec<String> = match v {
        Value::Object(o) => o
            .iter()
            .map(|(k, rev)| {
                let (goal, section) = k.split_once('/').unwrap_or((k, ""));
                let goal = goal
                    .parse()
                    .map(|g| item_name(&names.goals, g))
                    .unwrap_or_else(|_| goal.to_string());
                let section = GoalSection::from_code(section)
                    .map(GoalSection::heading)
                    .unwrap_or(section);
                format!("{goal}, {section}: version {rev}")
            })
            .collect(),
        _ => Vec::new(),
    };
    lines.sort();
    json!({ "pins": lines.join("\n") })
}

/// The event's before and after, shaped for reading: a workflow step as the status it
/// moved from and to with its comment; a document's contents and pins in words.
fn shaped(e: &HistoryEvent, names: &ItemNames) -> (Option<Value>, Option<Value>) {
    match (e.entity.as_str(), e.action.as_str()) {
        ("report", "create_from_plan") => (
            None,
            e.after.as_ref().map(|a| {
                json!({
                    "status": a.get("report").and_then(|r| r.get("status")).cloned().unwrap_or(Value::Null),
                    "prefilled": a.get("prefilled").cloned().unwrap_or(Value::Null),
                })
            }),
        ),
        ("report_economy", _) => (
            e.before.as_ref().map(economy_in_words),
            e.after.as_ref().map(economy_in_words),
        ),
        ("goal_assessment" | "activity_status", _) => {
            let strip = |v: &Value| {
                let mut v = v.clone();
                if let Value::Object(o) = &mut v {
                    o.remove("goal_id");
                }
                v
            };
            (e.before.as_ref().map(strip), e.after.as_ref().map(strip))
        }
        ("plan" | "report", "transition") => (
            e.before
                .as_ref()
                .map(|b| json!({ "status": b.get("status").cloned().unwrap_or(Value::Null) })),
            e.after.as_ref().map(|a| {
                json!({
                    "status": a.get("to").cloned().unwrap_or(Value::Null),
                    "comment": a.get("comment").cloned().unwrap_or(Value::Null),
                })
            }),
        ),
        ("document_contents", _) => (
            e.before.as_ref().map(|v| contents_in_words(v, names)),
            e.after.as_ref().map(|v| contents_in_words(v, names)),
        ),
        ("document_pins", _) => (
            e.before.as_ref().map(|v| pins_in_words(v, names)),
            e.after.as_ref().map(|v| pins_in_words(v, names)),
        ),
        _ => (e.before.clone(), e.after.clone()),
    }
}

/// The fields the event changed, in Swedish, each as a word-level difference.
pub fn changed_fields(e: &HistoryEvent, names: &ItemNames) -> Vec<FieldView> {
    // A removal or a restoring changes whether the thing is there, which the action says.
    if matches!(e.action.as_str(), "remove" | "restore") {
        return Vec::new();
    }
    let (before, after) = shaped(e, names);
    let flat = |v: &Option<Value>| v.as_ref().map(diff::flatten).unwrap_or_default();
    let mut changes: Vec<(String, String, String)> =
        diff::changed_fields(&flat(&before), &flat(&after))
            .into_iter()
            .filter(|(k, _, _)| !hidden(k))
            .collect();
    let rank = |k: &str| {
        FIELD_ORDER
            .iter()
            .position(|o| *o == k)
            .unwrap_or(FIELD_ORDER.len())
    };
    changes.sort_by(|a, b| rank(&a.0).cmp(&rank(&b.0)).then_with(|| a.0.cmp(&b.0)));
    changes
        .into_iter()
        .map(|(key, b, a)| FieldView {
            label: field_label(&e.entity, &e.action, &key),
            pieces: diff::words(&field_value(&key, &b, names), &field_value(&key, &a, names)),
        })
        .filter(|f| diff::changed(&f.pieces))
        .collect()
}

/// The page's context: where the history's links lead and what the person may do.
struct Context<'a> {
    unit: NodeId,
    year: i32,
    /// Headings of the plan's sections by key.
    headings: HashMap<String, String>,
    /// The person may restore what was removed now (may write, the plan is open).
    may_restore: bool,
    /// Whether objects have history pages of their own to link to.
    object_pages: bool,
    /// The object whose history this is: its own events do not link to it.
    this: Option<(ObjectKind, String)>,
    /// A report's history for a person who may write the report now: where a change of
    /// one of its items is undone.
    report_restore: Option<String>,
    page: &'a HistoryPage,
}

fn event_view(e: &HistoryEvent, cx: &Context<'_>) -> EventView {
    let (mut what, object) = subject_of(e, &cx.page.names, &cx.headings);
    let mut action = action_label(e);
    // What a report records (its contents, the texts it shows) is named as the plan's is.
    if e.entity_id.starts_with("report/") {
        what = what.replace("planen", "rapporten");
        action = action.replace("planen", "rapporten");
    }
    let href = object
        .as_ref()
        .filter(|_| cx.object_pages)
        .filter(|o| Some(*o) != cx.this.as_ref())
        .filter(|(kind, id)| match kind {
            // Only what the unit owns has a page in its plan's history.
            ObjectKind::Goal => owned(&cx.page.names.goals, id, cx),
            ObjectKind::Indicator => owned(&cx.page.names.indicators, id, cx),
            ObjectKind::Activity => owned(&cx.page.names.activities, id, cx),
            ObjectKind::Section => true,
        })
        .map(|(kind, id)| object_href(cx.unit, cx.year, *kind, id));
    let restore = (cx.may_restore
        && e.action == "remove"
        && cx
            .page
            .still_removed
            .contains(&(e.entity.clone(), e.entity_id.clone())))
    .then(|| {
        let path = match e.entity.as_str() {
            "goal" => "mal",
            "indicator" => "indikatorer",
            _ => "aktiviteter",
        };
        RestoreForm {
            action: format!("/{path}/{}/aterstall", e.entity_id),
            what: what.clone(),
            label: "Återställ",
            fields: Vec::new(),
        }
    })
    .or_else(|| {
        let action = cx.report_restore.as_ref()?;
        let restorable = matches!(
            (e.entity.as_str(), e.action.as_str()),
            ("goal_assessment", "assess")
                | ("indicator_outcome", "outcome")
                | ("activity_status", "status")
                | ("report_section", "write_section")
        );
        (restorable && e.before.is_some()).then(|| RestoreForm {
            action: action.clone(),
            what: what.clone(),
            label: "Återställ det som stod före ändringen",
            fields: vec![
                ("handelse", e.id.to_string()),
                ("objekt", e.entity.clone()),
                ("id", e.entity_id.clone()),
            ],
        })
    });
    EventView {
        id: e.id,
        at: when_iso(e.at),
        at_label: when_label(e.at),
        who: e.actor_name.clone().unwrap_or_else(|| e.actor.clone()),
        action,
        what,
        href,
        fields: changed_fields(e, &cx.page.names),
        restore,
    }
}

fn owned(map: &HashMap<i64, malkedja_store::ItemName>, id: &str, cx: &Context<'_>) -> bool {
    id.parse::<i64>()
        .ok()
        .and_then(|i| map.get(&i))
        .is_some_and(|n| n.owner == cx.unit && n.year == cx.year)
}

// ---- loading and authorising ----

/// The unit's chain, after the policy has let the caller read what is not public about its
/// plans, and its plan for the year.
async fn load(
    state: &AppState,
    caller: &Caller,
    raw_id: &str,
    raw_year: &str,
) -> Result<(Vec<OrgNode>, PlanDocument), AppError> {
    let id = params::node_id("id", raw_id, "Enhetens nummer")?;
    let year = params::year(raw_year)?;
    let chain = state.store.chain(id).await?;
    if chain
        .first()
        .is_none_or(|n| n.kind != malkedja_domain::OrgKind::Unit)
    {
        return Err(AppError::NotFound(format!(
            "Det finns ingen enhet med nummer {id}."
        )));
    }
    caller.authorize(Action::ReadDraft, &chain)?;
    let doc = state
        .store
        .plan_document(id, year)
        .await?
        .ok_or_else(|| AppError::no_plan(&chain[0].name, year))?;
    Ok((chain, doc))
}

/// A query parameter of the address.
pub fn query_param(uri: &Uri, name: &str) -> Option<String> {
    uri.query().and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    })
}

/// `?fore=N`: the page of events older than event N.
fn before_param(uri: &Uri) -> Result<Option<i64>, AppError> {
    match query_param(uri, "fore") {
        None => Ok(None),
        Some(raw) => match raw.trim().parse::<i64>() {
            Ok(n) if n >= 1 => Ok(Some(n)),
            _ => Err(AppError::BadRequest {
                field: "fore",
                message: format!("\"{raw}\" är ingen händelse i historiken."),
            }),
        },
    }
}

fn headings(doc: &PlanDocument) -> HashMap<String, String> {
    fn walk(list: &[malkedja_domain::PlanSectionView], out: &mut HashMap<String, String>) {
        for s in list {
            out.insert(s.key.clone(), s.heading.clone());
            walk(&s.children, out);
        }
    }
    let mut out = HashMap::new();
    walk(&doc.sections_before, &mut out);
    walk(&doc.sections_after, &mut out);
    out
}

/// The trail down to the plan (and its history, on an object's page), as the plan page
/// has it.
fn crumbs(chain: &[OrgNode], year: i32, history: bool) -> Vec<Crumb> {
    let unit = &chain[0];
    let mut out = crate::pages::crumbs_for(chain);
    out.push(Crumb {
        href: format!("/enheter/{}", unit.id),
        label: unit.name.clone(),
    });
    out.push(Crumb {
        href: format!("/enheter/{}/planer/{year}", unit.id),
        label: format!("Verksamhetsplan {year}"),
    });
    if history {
        out.push(Crumb {
            href: plan_href(unit.id, year),
            label: "Historik".into(),
        });
    }
    out
}

// ---- the history pages ----

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPageView {
    crumbs: Vec<Crumb>,
    /// "Verksamhetsplan 2026 för …" or "Mål 2026 för …".
    of: String,
    /// "Historik" or "Historik för enhetsmålet ”…”".
    title: String,
    /// Back to what the history is of: (address, "Tillbaka till planen").
    back: (String, &'static str),
    /// *Jämför*, for a plan.
    compare_href: Option<String>,
    /// The plan's whole history, when this is an object's.
    whole: Option<String>,
    events: Vec<EventView>,
    /// The address of the next, older page.
    older: Option<String>,
    /// The address of the newest page, when this is not it.
    newest: Option<String>,
}

/// Which history a page shows.
struct Shown {
    /// "Historik" or "Historik för målet ”…”".
    title: String,
    /// The object, for an object's history.
    this: Option<(ObjectKind, String)>,
    /// The page's address without its query.
    here: String,
    /// This is an older page, not the newest.
    paged: bool,
}

/// What surrounds a history: a unit's plan, or an owner's goals of a year.
struct Frame {
    crumbs: Vec<Crumb>,
    of: String,
    back: (String, &'static str),
    compare_href: Option<String>,
    whole: Option<String>,
    /// The unit (or owner) whose objects link to their own history pages, and the year.
    owner: NodeId,
    year: i32,
    /// Whether the objects have history pages of their own (a plan's do).
    object_pages: bool,
    headings: HashMap<String, String>,
    may_restore: bool,
    /// A report's history: where its items' changes are undone, for who may.
    report_restore: Option<String>,
}

/// The frame of a plan's history, or of one of its objects' when `object`.
fn plan_frame(chain: &[OrgNode], doc: &PlanDocument, caller: &Caller, object: bool) -> Frame {
    let unit = &chain[0];
    let year = doc.plan.year;
    Frame {
        crumbs: crumbs(chain, year, object),
        of: format!("Verksamhetsplan {year} för {}", unit.name),
        back: (
            format!("/enheter/{}/planer/{year}", unit.id),
            "Tillbaka till planen",
        ),
        compare_href: Some(compare_href(unit.id, year)),
        whole: object.then(|| plan_href(unit.id, year)),
        owner: unit.id,
        year,
        object_pages: true,
        headings: headings(doc),
        may_restore: doc.plan.status.open_for_writing()
            && unit.closed.is_none()
            && caller.may(Action::WriteUnitText, chain),
        report_restore: None,
    }
}

fn render(frame: Frame, shown: Shown, page: &HistoryPage) -> Result<Html<String>, AppError> {
    let Shown {
        title,
        this,
        here,
        paged,
    } = shown;
    let cx = Context {
        unit: frame.owner,
        year: frame.year,
        headings: frame.headings,
        may_restore: frame.may_restore,
        object_pages: frame.object_pages,
        this,
        report_restore: frame.report_restore,
        page,
    };
    let view = HistoryPageView {
        crumbs: frame.crumbs,
        of: frame.of,
        title,
        back: frame.back,
        compare_href: frame.compare_href,
        whole: frame.whole,
        events: page
            .events
            .iter()
            .map(|e| (e, event_view(e, &cx)))
            // A save that changed only what is shown elsewhere (a goal's texts are events
            // of their own) says nothing here.
            .filter(|(e, v)| !(e.action == "update" && v.fields.is_empty()))
            .map(|(_, v)| v)
            .collect(),
        older: page.older.map(|id| format!("{here}?fore={id}")),
        newest: paged.then_some(here),
    };
    Ok(Html(view.render()?))
}

/// `GET /organisation/{id}/mal/{year}/historik`: everything that happened to the goals a
/// board, administration, department or the city owns for a year, with their texts,
/// indicators and activities; a removed one still removed can be restored from here by
/// whoever writes them. Not public (`Action::ReadDraft` on the owner's chain).
pub async fn owner(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year)): PagePath<(String, String)>,
    uri: Uri,
) -> Result<Html<String>, HtmlError> {
    let id = params::node_id("id", &raw_id, "Numret")?;
    let year = params::year(&raw_year)?;
    let chain = state.store.chain(id).await?;
    let Some(node) = chain
        .first()
        .filter(|n| !matches!(n.kind, OrgKind::Unit | OrgKind::Operation))
    else {
        return Err(AppError::NotFound(format!(
            "Det finns ingen nämnd, förvaltning, avdelning eller stad med nummer {id}."
        ))
        .into());
    };
    caller.authorize(Action::ReadDraft, &chain)?;
    let before = before_param(&uri)?;
    let page = state
        .store
        .history(
            &HistorySubject::Owner { owner: id, year },
            before,
            PAGE_SIZE,
        )
        .await?;
    let goals = format!("/organisation/{id}/mal/{year}");
    let mut crumbs = crate::pages::crumbs_for(&chain);
    crumbs.push(Crumb {
        href: goals.clone(),
        label: format!("Mål {year}"),
    });
    let frame = Frame {
        crumbs,
        of: format!("Mål {year} för {}", node.name),
        back: (goals.clone(), "Tillbaka till målen"),
        compare_href: None,
        whole: None,
        owner: id,
        year,
        object_pages: false,
        headings: HashMap::new(),
        may_restore: node.closed.is_none()
            && Action::write_owned_by(node.kind).is_some_and(|a| caller.may(a, &chain)),
        report_restore: None,
    };
    let shown = Shown {
        title: "Historik".into(),
        this: None,
        here: format!("{goals}/historik"),
        paged: before.is_some(),
    };
    Ok(render(frame, shown, &page)?)
}

/// `GET /enheter/{id}/planer/{year}/historik`: everything that happened to the plan and
/// what it holds, newest first, a page at a time.
pub async fn plan(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year)): PagePath<(String, String)>,
    uri: Uri,
) -> Result<Html<String>, HtmlError> {
    let (chain, doc) = load(&state, &caller, &raw_id, &raw_year).await?;
    let before = before_param(&uri)?;
    let page = state
        .store
        .history(&HistorySubject::Plan(doc.plan.id), before, PAGE_SIZE)
        .await?;
    let here = plan_href(chain[0].id, doc.plan.year);
    let shown = Shown {
        title: "Historik".into(),
        this: None,
        here,
        paged: before.is_some(),
    };
    Ok(render(
        plan_frame(&chain, &doc, &caller, false),
        shown,
        &page,
    )?)
}

/// `GET /enheter/{id}/planer/{year}/historik/{kind}/{object}`: one goal (with its texts),
/// indicator (with the unit's target), activity or section of the plan. Only what the unit
/// itself owns for the plan's year has a history here; anything else is 404.
pub async fn object(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year, raw_kind, raw_object)): PagePath<(String, String, String, String)>,
    uri: Uri,
) -> Result<Html<String>, HtmlError> {
    let (chain, doc) = load(&state, &caller, &raw_id, &raw_year).await?;
    let unit = chain[0].id;
    let year = doc.plan.year;
    let kind = ObjectKind::from_slug(&raw_kind).ok_or_else(|| {
        AppError::NotFound(format!(
            "Det finns ingen historik för \"{raw_kind}\": välj mal, indikator, aktivitet eller avsnitt."
        ))
    })?;
    let before = before_param(&uri)?;
    let not_found = || {
        AppError::NotFound(format!(
            "Verksamhetsplanen för {year} har inget sådant att visa historik för."
        ))
    };
    let subject = match kind {
        ObjectKind::Section => HistorySubject::Section {
            plan: doc.plan.id,
            key: raw_object.clone(),
        },
        _ => {
            let id = params::node_id("object", &raw_object, "Numret")?.0;
            match kind {
                ObjectKind::Goal => HistorySubject::Goal(malkedja_domain::GoalId(id)),
                ObjectKind::Indicator => HistorySubject::Indicator {
                    indicator: malkedja_domain::IndicatorId(id),
                    unit,
                },
                _ => HistorySubject::Activity(malkedja_domain::ActivityId(id)),
            }
        }
    };
    let page = state.store.history(&subject, before, PAGE_SIZE).await?;
    let headings = headings(&doc);
    // The object is the unit's own, of the plan's year (a section: the plan's template
    // has it, or it has a history).
    let mine = |map: &HashMap<i64, malkedja_store::ItemName>| {
        raw_object
            .parse::<i64>()
            .ok()
            .and_then(|i| map.get(&i))
            .filter(|n| n.owner == unit && n.year == year)
            .map(|n| n.name.clone())
    };
    let title = match kind {
        ObjectKind::Section => {
            let heading = headings.get(&raw_object).cloned();
            if heading.is_none() && page.events.is_empty() {
                return Err(not_found().into());
            }
            format!(
                "Historik för avsnittet {}",
                quoted(&heading.unwrap_or_else(|| raw_object.clone()))
            )
        }
        ObjectKind::Goal => format!(
            "Historik för målet {}",
            quoted(&mine(&page.names.goals).ok_or_else(not_found)?)
        ),
        ObjectKind::Indicator => format!(
            "Historik för indikatorn {}",
            quoted(&mine(&page.names.indicators).ok_or_else(not_found)?)
        ),
        ObjectKind::Activity => format!(
            "Historik för aktiviteten {}",
            quoted(&mine(&page.names.activities).ok_or_else(not_found)?)
        ),
    };
    let here = object_href(unit, year, kind, &raw_object);
    let shown = Shown {
        title,
        this: Some((kind, raw_object)),
        here,
        paged: before.is_some(),
    };
    Ok(render(
        plan_frame(&chain, &doc, &caller, true),
        shown,
        &page,
    )?)
}

// ---- a report's history ----

/// `GET /enheter/{id}/rapporter/{year}/{kind}/historik`: everything that happened to a
/// report, newest first: its workflow, assessments, outcomes, statuses, sections, economy,
/// ready marks and memo header. Not public (`Action::ReadDraft` on the unit's chain). A
/// person who may write the report now can put back what an item said before a change.
pub async fn report(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year, raw_kind)): PagePath<(String, String, String)>,
    uri: Uri,
) -> Result<Html<String>, HtmlError> {
    let (chain, doc) = crate::doc::load_report(&state, &raw_id, &raw_year, &raw_kind).await?;
    caller.authorize(Action::ReadDraft, &chain)?;
    let (malkedja_store::DocRef::Report(id), Some(kind)) = (doc.doc, doc.kind) else {
        return Err(AppError::Internal("a report's history of something else".into()).into());
    };
    let before = before_param(&uri)?;
    let page = state
        .store
        .history(&HistorySubject::Report(id), before, PAGE_SIZE)
        .await?;
    let headings = state
        .store
        .report_document(doc.unit, doc.year, kind)
        .await?
        .map(|r| {
            malkedja_domain::report_sections(&r)
                .into_iter()
                .map(|s| (s.key, s.heading))
                .collect()
        })
        .unwrap_or_default();
    let writable = doc.status.open_for_writing()
        && chain[0].closed.is_none()
        && caller.may(Action::WriteUnitText, &chain);
    let frame = Frame {
        crumbs: doc.crumbs(&chain),
        of: doc.of(),
        back: (doc.href(), "Tillbaka till rapporten"),
        compare_href: None,
        whole: None,
        owner: doc.unit,
        year: doc.year,
        object_pages: false,
        headings,
        may_restore: false,
        report_restore: writable.then(|| format!("{}/aterstall", doc.href())),
    };
    let shown = Shown {
        title: "Historik".into(),
        this: None,
        here: doc.history_href(),
        paged: before.is_some(),
    };
    Ok(render(frame, shown, &page)?)
}

#[derive(serde::Deserialize)]
pub struct RestoreRequest {
    #[serde(default)]
    handelse: String,
    #[serde(default)]
    objekt: String,
    #[serde(default)]
    id: String,
}

/// `POST /enheter/{id}/rapporter/{year}/{kind}/aterstall`: writes back what a
/// report's assessment, outcome, activity status or section said before the change the
/// history shows (event `handelse`), as a new change over what is there now: the normal
/// write, checked, versioned and audited, which clears the part's ready mark.
pub async fn restore_report_item(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year, raw_kind)): PagePath<(String, String, String)>,
    axum::extract::Form(f): axum::extract::Form<RestoreRequest>,
) -> Result<axum::response::Response, HtmlError> {
    use axum::response::IntoResponse;
    use malkedja_domain::{ActivityFollowUp, GoalAssessment, IndicatorOutcome, ReportSection};
    let person = caller.require_person()?;
    let (chain, doc) = crate::doc::load_report(&state, &raw_id, &raw_year, &raw_kind).await?;
    caller.authorize(Action::read(doc.status), &chain)?;
    caller.authorize(Action::WriteUnitText, &chain)?;
    let (malkedja_store::DocRef::Report(report), Some(kind)) = (doc.doc, doc.kind) else {
        return Err(AppError::Internal("a report's history of something else".into()).into());
    };
    let not_found = || AppError::NotFound("Ändringen finns inte i rapportens historik.".into());
    let item =
        f.id.strip_prefix(&format!("{report}/"))
            .filter(|i| !i.is_empty())
            .ok_or_else(not_found)?
            .to_string();
    let event: i64 = f.handelse.trim().parse().map_err(|_| not_found())?;
    let found = state
        .store
        .audit_trail(&f.objekt, &f.id)
        .await?
        .into_iter()
        .find(|e| e.id == event)
        .ok_or_else(not_found)?;
    let before = found.before.ok_or_else(|| AppError::BadRequest {
        field: "handelse",
        message: "Det fanns inget före den ändringen att återställa.".into(),
    })?;
    let bad = |e: serde_json::Error| AppError::Internal(format!("history event {event}: {e}"));
    let now = state
        .store
        .report_document(doc.unit, doc.year, kind)
        .await?
        .ok_or_else(|| AppError::no_report(&doc.unit_name, kind, doc.year))?;
    let mut w = state.store.begin_write(&person.who.email).await?;
    let (saved, anchor) = match f.objekt.as_str() {
        "goal_assessment" => {
            let a: GoalAssessment = serde_json::from_value(before).map_err(bad)?;
            let v = now
                .marks
                .goals
                .get(&a.goal_id)
                .map(|m| m.version)
                .unwrap_or(0);
            w.write_assessment(report, a.goal_id, v, a.assessment, a.analysis.as_deref())
                .await?;
            (
                format!("mal-{}", a.goal_id),
                format!("bedomning-{}", a.goal_id),
            )
        }
        "indicator_outcome" => {
            let o: IndicatorOutcome = serde_json::from_value(before).map_err(bad)?;
            let id = o.indicator_id;
            let v = now
                .marks
                .indicators
                .get(&id)
                .map(|m| m.version)
                .unwrap_or(0);
            w.write_outcome(
                report,
                id,
                v,
                o.outcome.as_ref().map(|m| m.text.as_str()),
                o.women.as_deref(),
                o.men.as_deref(),
                o.analysis.as_deref(),
            )
            .await?;
            (format!("indikator-{id}"), format!("utfall-{id}"))
        }
        "activity_status" => {
            let a: ActivityFollowUp = serde_json::from_value(before).map_err(bad)?;
            let id = a.activity_id;
            let v = now
                .marks
                .activities
                .get(&id)
                .map(|m| m.version)
                .unwrap_or(0);
            w.write_activity_status(report, id, v, a.status, a.analysis.as_deref())
                .await?;
            (format!("aktivitet-{id}"), format!("status-{id}"))
        }
        "report_section" => {
            let s: ReportSection = serde_json::from_value(before).map_err(bad)?;
            let v = malkedja_domain::report_sections(&now)
                .into_iter()
                .find(|x| x.key == item)
                .map(|x| x.version)
                .unwrap_or(0);
            w.write_report_section(report, &item, v, &s.body).await?;
            (format!("avsnitt-{item}"), format!("avsnitt-{item}"))
        }
        _ => return Err(not_found().into()),
    };
    w.commit().await?;
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("sparat", &saved)
        .finish();
    Ok(axum::response::Redirect::to(&format!("{}?{query}#{anchor}", doc.href())).into_response())
}

// ---- Jämför ----

/// A heading of the plan that differs between the two points.
pub struct PartView {
    pub heading: String,
    /// The heading's own change, when it was renamed.
    pub heading_pieces: Option<Vec<Piece>>,
    /// "Ändrat", "Nytt", "Borttaget".
    pub state: &'static str,
    pub pieces: Vec<Piece>,
}

/// A point in time to compare: a workflow step, or now.
pub struct PointOption {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "compare.html")]
struct ComparePage {
    crumbs: Vec<Crumb>,
    unit: String,
    year: i32,
    action: String,
    history_href: String,
    plan_href: String,
    points: Vec<PointOption>,
    from: String,
    to: String,
    from_label: String,
    to_label: String,
    parts: Vec<PartView>,
    unchanged: usize,
}

/// The heading by heading difference between two outlines, in the newer one's order, with
/// the headings only the older one has after the heading they followed there.
pub fn compare_outlines(old: &[OutlinePart], new: &[OutlinePart]) -> (Vec<PartView>, usize) {
    let old_by_key: HashMap<&str, &OutlinePart> = old.iter().map(|p| (p.key.as_str(), p)).collect();
    let new_keys: HashMap<&str, usize> = new
        .iter()
        .enumerate()
        .map(|(i, p)| (p.key.as_str(), i))
        .collect();
    // Parts only the old outline has, by the index in `new` of the part they follow (None:
    // first).
    let mut gone: BTreeMap<Option<usize>, Vec<&OutlinePart>> = BTreeMap::new();
    let mut follows = None;
    for p in old {
        match new_keys.get(p.key.as_str()) {
            Some(&i) => follows = Some(i),
            None => gone.entry(follows).or_default().push(p),
        }
    }
    let removed = |p: &OutlinePart| PartView {
        heading: p.heading.clone(),
        heading_pieces: None,
        state: "Borttaget",
        pieces: diff::words(&p.text, ""),
    };
    let mut parts = Vec::new();
    let mut unchanged = 0;
    parts.extend(gone.get(&None).into_iter().flatten().map(|p| removed(p)));
    for (i, p) in new.iter().enumerate() {
        match old_by_key.get(p.key.as_str()) {
            None => parts.push(PartView {
                heading: p.heading.clone(),
                heading_pieces: None,
                state: "Nytt",
                pieces: diff::words("", &p.text),
            }),
            Some(o) if o.heading == p.heading && o.text == p.text => unchanged += 1,
            Some(o) => parts.push(PartView {
                heading: p.heading.clone(),
                heading_pieces: (o.heading != p.heading)
                    .then(|| diff::words(&o.heading, &p.heading)),
                state: "Ändrat",
                pieces: diff::words(&o.text, &p.text),
            }),
        }
        parts.extend(gone.get(&Some(i)).into_iter().flatten().map(|p| removed(p)));
    }
    (parts, unchanged)
}

/// `GET /enheter/{id}/planer/{year}/jamfor?fran=…&till=…`: the plan at one point against
/// another; each point is a step of its workflow (its transition's number) or `nu`.
/// Without points: the latest step against now.
pub async fn compare(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year)): PagePath<(String, String)>,
    uri: Uri,
) -> Result<Html<String>, HtmlError> {
    let (chain, doc) = load(&state, &caller, &raw_id, &raw_year).await?;
    let unit = &chain[0];
    let year = doc.plan.year;
    let snapshots = state.store.plan_snapshots(doc.plan.id).await?;
    let mut points: Vec<PointOption> = snapshots
        .iter()
        .map(|s| PointOption {
            value: s.transition.id.to_string(),
            label: format!(
                "{} {}",
                s.transition.transition.label(),
                when_label(s.transition.at)
            ),
        })
        .collect();
    points.push(PointOption {
        value: "nu".into(),
        label: "Nu".into(),
    });
    let now = plan_outline(&doc);
    let outline = |value: &str,
                   field: &'static str|
     -> Result<(&[OutlinePart], String), AppError> {
        if value == "nu" {
            return Ok((&now, "Nu".into()));
        }
        snapshots
            .iter()
            .find(|s| s.transition.id.to_string() == value)
            .map(|s| {
                (
                    s.outline.as_slice(),
                    format!(
                        "{} {}",
                        s.transition.transition.label(),
                        when_label(s.transition.at)
                    ),
                )
            })
            .ok_or_else(|| AppError::BadRequest {
                field,
                message: format!(
                    "\"{value}\" är ingen tidpunkt som planen kan jämföras vid: välj ett av stegen i listan, eller nu."
                ),
            })
    };
    let default_from = snapshots
        .last()
        .map(|s| s.transition.id.to_string())
        .unwrap_or_else(|| "nu".into());
    let from = query_param(&uri, "fran").unwrap_or(default_from);
    let to = query_param(&uri, "till").unwrap_or_else(|| "nu".into());
    let (old, from_label) = outline(from.trim(), "fran")?;
    let (new, to_label) = outline(to.trim(), "till")?;
    let (parts, unchanged) = compare_outlines(old, new);
    let page = ComparePage {
        crumbs: crumbs(&chain, year, false),
        unit: unit.name.clone(),
        year,
        action: compare_href(unit.id, year),
        history_href: plan_href(unit.id, year),
        plan_href: format!("/enheter/{}/planer/{year}", unit.id),
        points,
        from: from.trim().to_string(),
        to: to.trim().to_string(),
        from_label,
        to_label,
        parts,
        unchanged,
    };
    Ok(Html(page.render().map_err(AppError::from)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activity_dates_read_as_dates() {
        let names = ItemNames::default();
        assert_eq!(field_value("start", "2026, 32", &names), "2026-02-01");
        assert_eq!(field_value("end", "2026, 365", &names), "2026-12-31");
        assert_eq!(field_value("end", "2026-12-31", &names), "2026-12-31");
        assert_eq!(field_value("title", "2026, 32", &names), "2026, 32");
    }
    use time::macros::datetime;

    #[test]
    fn swedish_time_follows_summer_time() {
        for (utc, swedish) in [
            // Winter: UTC+1.
            (datetime!(2026-12-02 09:15 UTC), "2 december 2026 kl. 10.15"),
            // Summer time starts at 01:00 UTC on the last Sunday of March (29 March 2026) …
            (datetime!(2026-03-29 00:59 UTC), "29 mars 2026 kl. 01.59"),
            (datetime!(2026-03-29 01:00 UTC), "29 mars 2026 kl. 03.00"),
            // … and ends at 01:00 UTC on the last Sunday of October (25 October 2026).
            (datetime!(2026-10-25 00:59 UTC), "25 oktober 2026 kl. 02.59"),
            (datetime!(2026-10-25 01:00 UTC), "25 oktober 2026 kl. 02.00"),
        ] {
            assert_eq!(when_label(utc), swedish, "{utc}");
        }
        assert_eq!(
            when_iso(datetime!(2026-07-01 10:00 UTC)),
            "2026-07-01T12:00:00+02:00"
        );
    }

    fn part(key: &str, heading: &str, text: &str) -> OutlinePart {
        OutlinePart {
            key: key.into(),
            heading: heading.into(),
            text: text.into(),
        }
    }

    #[test]
    fn outlines_are_compared_heading_by_heading() {
        let old = [
            part("avsnitt/a", "Inledning", "Samma."),
            part("avsnitt/b", "Borta", "Tas bort."),
            part("mal/1", "Enhetsmål: Gammal", "Text."),
        ];
        let new = [
            part("avsnitt/a", "Inledning", "Samma."),
            part("mal/1", "Enhetsmål: Ny", "Text ändrad."),
            part("mal/2", "Enhetsmål: Nytt", "Helt nytt."),
        ];
        let (parts, unchanged) = compare_outlines(&old, &new);
        assert_eq!(unchanged, 1);
        let states: Vec<(&str, &str)> = parts
            .iter()
            .map(|p| (p.heading.as_str(), p.state))
            .collect();
        assert_eq!(
            states,
            [
                ("Borta", "Borttaget"),
                ("Enhetsmål: Ny", "Ändrat"),
                ("Enhetsmål: Nytt", "Nytt")
            ]
        );
        assert!(parts[1].heading_pieces.is_some());
        assert!(diff::changed(&parts[1].pieces));
    }

    fn event(
        entity: &str,
        action: &str,
        before: Option<Value>,
        after: Option<Value>,
    ) -> HistoryEvent {
        HistoryEvent {
            id: 1,
            at: OffsetDateTime::UNIX_EPOCH,
            actor: "a@b.se".into(),
            actor_name: None,
            action: action.into(),
            entity: entity.into(),
            entity_id: "7".into(),
            before,
            after,
        }
    }

    #[test]
    fn events_show_the_fields_that_changed_in_swedish() {
        let names = ItemNames::default();
        let e = event(
            "goal",
            "update",
            Some(
                json!({"id": 7, "title": "Trygg vård", "level": "unit", "version": 1, "position": 0}),
            ),
            Some(
                json!({"id": 7, "title": "Trygg och god vård", "level": "unit", "version": 2, "position": 0}),
            ),
        );
        let f = changed_fields(&e, &names);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].label, "Titel");
        assert_eq!(action_label(&e), "Ändrade");
        let t = event(
            "plan",
            "transition",
            Some(json!({"status": "submitted", "version": 3})),
            Some(
                json!({"from": "submitted", "to": "returned", "comment": "Mer <b>", "transition": "return"}),
            ),
        );
        let f = changed_fields(&t, &names);
        let labels: Vec<&str> = f.iter().map(|f| f.label.as_str()).collect();
        assert_eq!(labels, ["Status", "Kommentar"]);
        assert_eq!(action_label(&t), "Återremitterad");
        assert!(f[0].pieces.iter().any(|p| p.text() == "Återremitterad"));
        let unknown = event(
            "something",
            "frobnicate",
            None,
            Some(json!({"colour": "blå"})),
        );
        assert_eq!(changed_fields(&unknown, &names)[0].label, "colour");
        assert_eq!(action_label(&unknown), "frobnicate");
    }

    #[test]
    fn a_removal_still_in_force_offers_restoring_to_who_may_write() {
        let removal = HistoryEvent {
            action: "remove".into(),
            ..event(
                "goal",
                "remove",
                Some(json!({"id": 7, "title": "Trygg vård", "level": "unit", "version": 3})),
                Some(json!({"id": 7, "title": "Trygg vård", "level": "unit", "version": 4})),
            )
        };
        let mut page = HistoryPage {
            events: vec![removal.clone()],
            ..HistoryPage::default()
        };
        page.still_removed
            .insert(("goal".to_string(), "7".to_string()));
        fn cx(may_restore: bool, page: &HistoryPage) -> Context<'_> {
            Context {
                unit: NodeId(5),
                year: 2026,
                headings: HashMap::new(),
                may_restore,
                object_pages: true,
                this: None,
                report_restore: None,
                page,
            }
        }
        let view = event_view(&removal, &cx(true, &page));
        let form = view.restore.as_ref().expect("a restore form");
        assert_eq!(form.action, "/mal/7/aterstall");
        assert_eq!(view.action, "Tog bort");
        assert!(event_view(&removal, &cx(false, &page)).restore.is_none());
        let html = HistoryPageView {
            crumbs: Vec::new(),
            of: "Verksamhetsplan 2026 för Enheten".into(),
            title: "Historik".into(),
            back: ("/enheter/5/planer/2026".into(), "Tillbaka till planen"),
            compare_href: Some(compare_href(NodeId(5), 2026)),
            whole: None,
            events: vec![view],
            older: None,
            newest: None,
        }
        .render()
        .unwrap();
        assert!(
            html.contains("<form class=\"restore\" method=\"post\" action=\"/mal/7/aterstall\">")
        );
        assert!(html.contains("name=\"csrf\""));
        assert!(
            html.contains(
                "Återställ<span class=\"visually-hidden\"> enhetsmål ”Trygg vård”</span>"
            )
        );
        // Restored since: no form.
        page.still_removed.clear();
        assert!(event_view(&removal, &cx(true, &page)).restore.is_none());
        // Indicators and activities have their own addresses.
        for (entity, path) in [
            ("indicator", "/indikatorer/7/aterstall"),
            ("activity", "/aktiviteter/7/aterstall"),
        ] {
            let e = HistoryEvent {
                entity: entity.into(),
                ..removal.clone()
            };
            let mut p = HistoryPage::default();
            p.still_removed
                .insert((entity.to_string(), "7".to_string()));
            assert_eq!(event_view(&e, &cx(true, &p)).restore.unwrap().action, path);
        }
    }
}
