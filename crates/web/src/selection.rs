//! Choosing what a unit's plan takes from above (urval): the page
//! `/enheter/{id}/planer/{year}/urval`, and what `PUT /api/v1/units/{id}/plans/{year}/selection`
//! shares with it.
//!
//! The writer ticks which board and department goals, board activities and council (or
//! board) indicators apply to the unit, and may give the unit's own target (årsmål) for an
//! indicator it follows. The whole form is one write ([`malkedja_store::Writer::set_selection`]):
//! it states the plan's version it was made from, so a form made stale by anyone's change
//! to the plan is a conflict, shown with the differences, never a mix. A goal the unit has
//! hung its own goals on stays chosen, and the page says so. Who may choose is the policy's
//! answer (`Action::WriteUnitText` on the unit's chain); a submitted or approved plan is
//! shown read-only, with the reason.

use crate::AppState;
use crate::api::model;
use crate::auth::Caller;
use crate::error::{AppError, FieldError, HtmlError};
use crate::forms::{FormErrors, respond, sentence};
use crate::params::PagePath;
use crate::plan_sections::{closed_reason, path_parts, plan_crumbs, writable_unit};
use crate::views::{Crumb, Level};
use askama::Template;
use axum::extract::{Form, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use malkedja_domain::{
    ActivityId, CascadeGoal, Choices, Contents, GoalId, GoalLevel, IndicatorId, NodeId, OrgNode,
    Periodicity, Plan, Selection, Target,
};
use malkedja_store::{PlanChoices, StoreError};
use std::collections::{BTreeMap, BTreeSet};

/// What a writer chooses from: the unit's chain, its plan, what it may choose and what the
/// plan holds now.
pub struct Loaded {
    pub chain: Vec<OrgNode>,
    pub found: PlanChoices,
}

/// The unit, after the policy has let the caller write its texts, and its plan for the
/// year with what it may choose from: 404 for a unit or plan that does not exist.
pub async fn load(
    state: &AppState,
    caller: &Caller,
    id: NodeId,
    year: i32,
) -> Result<Loaded, AppError> {
    let chain = writable_unit(state, caller, id).await?;
    let found = state
        .store
        .plan_choices(id, year)
        .await?
        .ok_or_else(|| AppError::no_plan(&chain[0].name, year))?;
    Ok(Loaded { chain, found })
}

/// A choice as it was asked for, before it is checked: ids, and each indicator with its
/// target as typed (empty: none of the unit's own).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Asked {
    pub goals: BTreeSet<i64>,
    pub activities: BTreeSet<i64>,
    pub indicators: BTreeMap<i64, String>,
}

/// What is wrong with one part of a choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Not a goal the unit may choose.
    Goal(i64),
    Activity(i64),
    Indicator(i64),
    /// The target typed for an indicator cannot be used.
    Target {
        indicator: i64,
        message: String,
    },
}

impl Problem {
    /// The field of the API's request it concerns.
    fn field(&self) -> &'static str {
        match self {
            Problem::Goal(_) => "goals",
            Problem::Activity(_) => "activities",
            Problem::Indicator(_) | Problem::Target { .. } => "indicators",
        }
    }

    fn message(&self, choices: &Choices) -> String {
        match self {
            Problem::Goal(id) => format!(
                "Mål {id} kan inte väljas i planen: det är inget nämnd- eller avdelningsmål för året ovanför enheten."
            ),
            Problem::Activity(id) => format!(
                "Aktivitet {id} kan inte väljas i planen: det är ingen aktivitet för året som bestämts ovanför enheten."
            ),
            Problem::Indicator(id) => format!(
                "Indikator {id} kan inte väljas i planen: det är ingen indikator för året som bestämts ovanför enheten."
            ),
            Problem::Target { indicator, message } => {
                let name = choices
                    .indicator(IndicatorId(*indicator))
                    .map(|i| i.name.as_str())
                    .unwrap_or_default();
                format!("Indikator {indicator} ({name}): {message}")
            }
        }
    }
}

/// The most characters a unit's own target may have as typed.
pub const TARGET_MAX_CHARS: usize = 200;

/// Checks a choice against what the unit may choose, and reads the targets as the
/// indicators' kinds of value ask ("ca 90" is not a target for a percentage).
pub fn resolve(choices: &Choices, asked: &Asked) -> (Selection, Vec<Problem>) {
    let mut selection = Selection::default();
    let mut problems = Vec::new();
    for g in &asked.goals {
        match choices.goal(GoalId(*g)) {
            Some(_) => {
                selection.goals.insert(GoalId(*g));
            }
            None => problems.push(Problem::Goal(*g)),
        }
    }
    for a in &asked.activities {
        match choices.activity(ActivityId(*a)) {
            Some(_) => {
                selection.activities.insert(ActivityId(*a));
            }
            None => problems.push(Problem::Activity(*a)),
        }
    }
    for (i, typed) in &asked.indicators {
        let Some(indicator) = choices.indicator(IndicatorId(*i)) else {
            problems.push(Problem::Indicator(*i));
            continue;
        };
        let chars = typed.chars().count();
        if chars > TARGET_MAX_CHARS {
            problems.push(Problem::Target {
                indicator: *i,
                message: format!(
                    "Årsmålet får vara högst {TARGET_MAX_CHARS} tecken; det är nu {chars}."
                ),
            });
            continue;
        }
        match Target::typed(typed, indicator.value_kind) {
            Ok(target) => {
                selection.indicators.insert(IndicatorId(*i), target);
            }
            Err(e) => problems.push(Problem::Target {
                indicator: *i,
                message: sentence(e),
            }),
        }
    }
    (selection, problems)
}

/// Saves the choice in one writer: the plan as it now is, or the store's refusal (a
/// conflict, a locked plan).
pub async fn save(
    state: &AppState,
    actor: &str,
    plan: &Plan,
    version: i64,
    selection: &Selection,
) -> Result<Plan, StoreError> {
    let mut w = state.store.begin_write(actor).await?;
    let saved = w.set_selection(plan.id, version, selection).await?;
    w.commit().await?;
    Ok(saved)
}

// ---- the API ----

/// A whole number from 0, also when written with a decimal point (`3.0` is an integer in
/// JSON Schema, which the OpenAPI document speaks).
fn whole(v: &serde_json::Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| {
            v.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        })
        .filter(|v| *v >= 0)
}

/// A choice sent to the API, checked for its shape, or 422 with the fields that cannot be
/// used.
pub fn check_update(value: &serde_json::Value) -> Result<model::SelectionUpdate, AppError> {
    let err = |field: &'static str, message: String| FieldError { field, message };
    let Some(object) = value.as_object() else {
        return Err(AppError::Invalid(vec![err(
            "request",
            "Skicka ett JSON-objekt med fälten version, goals, activities och indicators.".into(),
        )]));
    };
    let mut errors = Vec::new();
    if let Some(k) = object
        .keys()
        .find(|k| !["version", "goals", "activities", "indicators"].contains(&k.as_str()))
    {
        errors.push(err(
            "request",
            format!(
                "Fältet \"{k}\" finns inte: skicka bara version, goals, activities och indicators."
            ),
        ));
    }
    let version = object.get("version").and_then(whole);
    if version.is_none() {
        errors.push(err(
            "version",
            "version ska vara ett heltal från 0 och uppåt: planens version som du utgick från."
                .into(),
        ));
    }
    let ids = |field: &'static str, errors: &mut Vec<FieldError>| -> Vec<model::Id> {
        match object.get(field).map(|v| v.as_array()) {
            Some(Some(items)) if items.iter().all(|i| whole(i).is_some_and(|i| i > 0)) => {
                items.iter().filter_map(whole).map(model::Id).collect()
            }
            _ => {
                errors.push(err(
                    field,
                    format!(
                        "{field} ska vara en lista med id:n (heltal från 1), tom om inget väljs."
                    ),
                ));
                Vec::new()
            }
        }
    };
    let goals = ids("goals", &mut errors);
    let activities = ids("activities", &mut errors);
    let mut indicators = Vec::new();
    let shape = "indicators ska vara en lista med objekt {\"id\": …, \"target\": …}: indikatorns id (heltal från 1) och enhetens årsmål som text, eller null för inget eget.";
    match object.get("indicators").map(|v| v.as_array()) {
        Some(Some(items)) => {
            for item in items {
                let o = item.as_object();
                let id = o
                    .and_then(|o| o.get("id"))
                    .and_then(whole)
                    .filter(|i| *i > 0);
                let target = match o.map(|o| o.get("target")) {
                    Some(Some(serde_json::Value::Null)) => Some(None),
                    Some(Some(serde_json::Value::String(s))) => Some(Some(s.clone())),
                    _ => None,
                };
                let known = o.is_some_and(|o| o.keys().all(|k| k == "id" || k == "target"));
                match (id, target) {
                    (Some(id), Some(target)) if known => {
                        indicators.push(model::IndicatorChoice {
                            id: model::Id(id),
                            target,
                        });
                    }
                    _ => {
                        errors.push(err("indicators", shape.into()));
                        break;
                    }
                }
            }
        }
        _ => errors.push(err("indicators", shape.into())),
    }
    match version {
        Some(version) if errors.is_empty() => Ok(model::SelectionUpdate {
            version,
            goals,
            activities,
            indicators,
        }),
        _ => Err(AppError::Invalid(errors)),
    }
}

impl From<&model::SelectionUpdate> for Asked {
    fn from(u: &model::SelectionUpdate) -> Asked {
        Asked {
            goals: u.goals.iter().map(|g| g.0).collect(),
            activities: u.activities.iter().map(|a| a.0).collect(),
            indicators: u
                .indicators
                .iter()
                .map(|i| (i.id.0, i.target.clone().unwrap_or_default()))
                .collect(),
        }
    }
}

/// Applies the choice the API was sent: the ids and targets checked (422 naming each that
/// cannot be used), a closed plan refused (409), then saved. Returns the plan with what it
/// now holds.
pub async fn save_from_api(
    state: &AppState,
    actor: &str,
    loaded: &Loaded,
    update: &model::SelectionUpdate,
) -> Result<PlanChoices, AppError> {
    let choices = &loaded.found.choices;
    let (selection, problems) = resolve(choices, &Asked::from(update));
    if !problems.is_empty() {
        return Err(AppError::Invalid(
            problems
                .iter()
                .map(|p| FieldError {
                    field: p.field(),
                    message: p.message(choices),
                })
                .collect(),
        ));
    }
    if let Some(why) = closed_reason(loaded.found.plan.status) {
        return Err(StoreError::Locked(why).into());
    }
    save(state, actor, &loaded.found.plan, update.version, &selection).await?;
    let unit = &loaded.chain[0];
    let year = loaded.found.plan.year;
    state
        .store
        .plan_choices(unit.id, year)
        .await?
        .ok_or_else(|| AppError::no_plan(&unit.name, year))
}

// ---- the page ----

/// An indicator to tick, with the field for the unit's own target.
pub struct IndicatorChoice {
    pub id: i64,
    pub name: String,
    pub checked: bool,
    /// What the target field holds: the stored target, or what was typed.
    pub target: String,
    /// The field's id ("arsmal-12"), which the error summary links to.
    pub field: String,
    /// The target that applies without one of the unit's own (set above the unit).
    pub above: String,
    pub council: String,
    pub kind: String,
    /// How often it is followed up: "en gång om året", "varje tertial".
    pub follow_up: &'static str,
}

/// An activity to tick.
pub struct ActivityChoice {
    pub id: i64,
    pub title: String,
    pub start: String,
    pub end: String,
    pub checked: bool,
}

/// A goal of the cascade as the page shows it: council goals as headings, board and
/// department goals each as a group of choices.
pub struct GoalChoice {
    pub id: i64,
    /// Direction and area goals are headings at this level; other goals are groups.
    pub heading: Option<Level>,
    /// How far the group is indented under the goal above it.
    pub depth: usize,
    pub prefix: &'static str,
    pub number: String,
    pub title: String,
    pub owner: String,
    /// A board or department goal: it has a box of its own.
    pub choosable: bool,
    pub checked: bool,
    /// The unit's own goals under it, which keep it chosen.
    pub kept_by: Vec<String>,
    pub indicators: Vec<IndicatorChoice>,
    pub activities: Vec<ActivityChoice>,
}

impl GoalChoice {
    /// Whether the goal has a group of choices (a box of its own, indicators or
    /// activities).
    pub fn has_choices(&self) -> bool {
        self.choosable || !self.indicators.is_empty() || !self.activities.is_empty()
    }

    /// The group's legend: "Nämndmål: Titel"; for a council goal, whose heading is just
    /// above, "Indikatorer för KF:s mål för verksamhetsområdet 1.3".
    pub fn legend(&self) -> String {
        if self.heading.is_some() {
            format!("Indikatorer för {} {}", self.prefix, self.number)
                .trim_end()
                .to_string()
        } else if self.number.is_empty() {
            format!("{}: {}", self.prefix, self.title)
        } else {
            format!("{}: {} {}", self.prefix, self.number, self.title)
        }
    }
}

/// Whether anything can be chosen in `g` or below it.
fn anything_to_choose(g: &CascadeGoal, choices: &Choices) -> bool {
    choices.goal(g.goal.id).is_some()
        || g.indicators
            .iter()
            .any(|i| choices.indicator(i.indicator.id).is_some())
        || g.activities
            .iter()
            .any(|a| choices.activity(a.id).is_some())
        || g.children.iter().any(|c| anything_to_choose(c, choices))
}

fn iso(d: malkedja_domain::Date) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    d.format(&fmt).unwrap_or_default()
}

/// Flattens the cascade the unit chooses from, ticked as `selection` says (what is
/// stored, or what was sent), with `typed` targets where they were sent.
fn goal_choices(
    tree: &[CascadeGoal],
    choices: &Choices,
    contents: &Contents,
    selection: &Selection,
    typed: &BTreeMap<i64, String>,
    depth: usize,
    out: &mut Vec<GoalChoice>,
) {
    let kept = choices.kept_goals(contents);
    for g in tree {
        if !anything_to_choose(g, choices) {
            continue;
        }
        let level = g.goal.level;
        out.push(GoalChoice {
            id: g.goal.id.0,
            heading: match level {
                GoalLevel::Direction => Some(Level(2)),
                GoalLevel::Area => Some(Level(3)),
                _ => None,
            },
            depth,
            prefix: level.heading_prefix(),
            number: g.goal.number.clone().unwrap_or_default(),
            title: g.goal.title.clone(),
            owner: g.owner_name.clone(),
            choosable: choices.goal(g.goal.id).is_some(),
            checked: selection.goals.contains(&g.goal.id) || kept.contains(&g.goal.id),
            kept_by: if kept.contains(&g.goal.id) {
                choices
                    .own_goals_under(g.goal.id, contents)
                    .iter()
                    .map(|o| o.title.clone())
                    .collect()
            } else {
                Vec::new()
            },
            indicators: g
                .indicators
                .iter()
                .filter(|i| choices.indicator(i.indicator.id).is_some())
                .map(|i| {
                    let id = i.indicator.id;
                    let stored = selection.indicators.get(&id);
                    IndicatorChoice {
                        id: id.0,
                        name: i.indicator.name.clone(),
                        checked: stored.is_some(),
                        target: typed.get(&id.0).cloned().unwrap_or_else(|| {
                            stored
                                .and_then(|t| t.as_ref())
                                .map(|t| t.text().to_string())
                                .unwrap_or_default()
                        }),
                        field: format!("arsmal-{id}"),
                        above: i
                            .target
                            .as_ref()
                            .map(|t| t.text().to_string())
                            .unwrap_or_default(),
                        council: i
                            .indicator
                            .council_target
                            .as_ref()
                            .map(|t| t.text().to_string())
                            .unwrap_or_default(),
                        kind: i.indicator.value_kind.label().to_lowercase(),
                        follow_up: match i.indicator.periodicity {
                            Periodicity::Year => "en gång om året",
                            Periodicity::Tertial => "varje tertial",
                        },
                    }
                })
                .collect(),
            activities: g
                .activities
                .iter()
                .filter(|a| choices.activity(a.id).is_some())
                .map(|a| ActivityChoice {
                    id: a.id.0,
                    title: a.title.clone(),
                    start: iso(a.start),
                    end: iso(a.end),
                    checked: selection.activities.contains(&a.id),
                })
                .collect(),
        });
        let below = if level.is_council() { depth } else { depth + 1 };
        goal_choices(&g.children, choices, contents, selection, typed, below, out);
    }
}

/// A difference between what the writer chose and what is stored now (a conflict).
fn differences(
    choices: &Choices,
    stored: &Selection,
    mine: &Selection,
    contents: &Contents,
) -> Vec<String> {
    let kept = choices.kept_goals(contents);
    let yes_no = |b: bool| if b { "med" } else { "inte med" };
    let mut out = Vec::new();
    for g in &choices.goals {
        if choices.goal(g.id).is_none() {
            continue;
        }
        let now = stored.goals.contains(&g.id) || kept.contains(&g.id);
        let asked = mine.goals.contains(&g.id) || kept.contains(&g.id);
        if now != asked {
            out.push(format!(
                "{}: {} – sparat nu: {}, ditt val: {}",
                g.level.heading_prefix(),
                g.title,
                yes_no(now),
                yes_no(asked)
            ));
        }
    }
    for a in &choices.activities {
        if choices.activity(a.id).is_none() {
            continue;
        }
        let (now, asked) = (
            stored.activities.contains(&a.id),
            mine.activities.contains(&a.id),
        );
        if now != asked {
            out.push(format!(
                "Aktivitet: {} – sparat nu: {}, ditt val: {}",
                a.title,
                yes_no(now),
                yes_no(asked)
            ));
        }
    }
    let text = |t: Option<&Option<Target>>| {
        t.and_then(|t| t.as_ref())
            .map(|t| t.text().to_string())
            .unwrap_or_else(|| "inget eget".into())
    };
    for i in &choices.indicators {
        if choices.indicator(i.id).is_none() {
            continue;
        }
        let (now, asked) = (stored.indicators.get(&i.id), mine.indicators.get(&i.id));
        if now.is_some() != asked.is_some() {
            out.push(format!(
                "Indikator: {} – sparat nu: {}, ditt val: {}",
                i.name,
                yes_no(now.is_some()),
                yes_no(asked.is_some())
            ));
        } else if now.is_some() && now != asked {
            out.push(format!(
                "Indikator: {} – årsmål sparat nu: {}, ditt: {}",
                i.name,
                text(now),
                text(asked)
            ));
        }
    }
    out
}

/// The id of the form (the error summary links to it for what concerns the whole form).
const FORM: &str = "urval";

#[derive(Template)]
#[template(path = "selection.html")]
struct SelectionPage {
    crumbs: Vec<Crumb>,
    unit: String,
    year: i32,
    action: String,
    back: String,
    closed: Option<String>,
    version: i64,
    goals: Vec<GoalChoice>,
    errors: FormErrors,
    /// After a conflict: how what is stored now differs from the writer's choice.
    theirs: Option<Vec<String>>,
    saved: bool,
}

impl SelectionPage {
    fn new(loaded: &Loaded, selection: &Selection, typed: &BTreeMap<i64, String>) -> Self {
        let f = &loaded.found;
        let unit = &loaded.chain[0];
        let year = f.plan.year;
        let plan = format!("/enheter/{}/planer/{year}", unit.id);
        let mut goals = Vec::new();
        goal_choices(
            &f.choices.tree(&f.contents),
            &f.choices,
            &f.contents,
            selection,
            typed,
            0,
            &mut goals,
        );
        SelectionPage {
            crumbs: plan_crumbs(&loaded.chain, year),
            unit: unit.name.clone(),
            year,
            action: format!("{plan}/urval"),
            back: plan,
            closed: closed_reason(f.plan.status),
            version: f.plan.version,
            goals,
            errors: FormErrors::default(),
            theirs: None,
            saved: false,
        }
    }

    fn stored(loaded: &Loaded) -> Self {
        let f = &loaded.found;
        SelectionPage::new(loaded, &f.choices.selection(&f.contents), &BTreeMap::new())
    }
}

pub async fn form(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year)): PagePath<(String, String)>,
    uri: Uri,
) -> Result<Response, HtmlError> {
    let (id, year) = path_parts(&raw_id, &raw_year)?;
    let loaded = load(&state, &caller, id, year).await?;
    let mut page = SelectionPage::stored(&loaded);
    page.saved = uri
        .query()
        .is_some_and(|q| q.split('&').any(|p| p == "sparat"));
    Ok(respond(StatusCode::OK, &page)?)
}

/// What the form sent.
struct Sent {
    /// The plan's version the form was made from; `None` when it is not a number.
    version: Option<i64>,
    /// What was ticked, each ticked indicator with the target typed beside it.
    asked: Asked,
    /// Every target typed, ticked or not (shown again as typed).
    typed: BTreeMap<i64, String>,
    /// A box named something that cannot be an id (a changed page).
    malformed: bool,
}

fn read_form(pairs: &[(String, String)]) -> Sent {
    let mut sent = Sent {
        version: None,
        asked: Asked::default(),
        typed: BTreeMap::new(),
        malformed: false,
    };
    let mut ticked: BTreeSet<i64> = BTreeSet::new();
    for (k, v) in pairs {
        let id = v.trim().parse::<i64>().ok().filter(|i| *i > 0);
        match (k.as_str(), id) {
            ("version", _) => sent.version = v.trim().parse::<i64>().ok().filter(|v| *v >= 0),
            ("mal", Some(id)) => {
                sent.asked.goals.insert(id);
            }
            ("aktivitet", Some(id)) => {
                sent.asked.activities.insert(id);
            }
            ("indikator", Some(id)) => {
                ticked.insert(id);
            }
            ("mal" | "aktivitet" | "indikator", None) => sent.malformed = true,
            (other, _) => {
                if let Some(i) = other
                    .strip_prefix("arsmal-")
                    .and_then(|i| i.parse::<i64>().ok())
                {
                    sent.typed.insert(i, v.clone());
                }
            }
        }
    }
    for i in ticked {
        let typed = sent.typed.get(&i).cloned().unwrap_or_default();
        sent.asked.indicators.insert(i, typed);
    }
    sent
}

pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year)): PagePath<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, HtmlError> {
    let (id, year) = path_parts(&raw_id, &raw_year)?;
    let person = caller.require_person()?;
    let loaded = load(&state, &caller, id, year).await?;
    let Sent {
        version,
        asked,
        typed,
        malformed,
    } = read_form(&pairs);
    let choices = &loaded.found.choices;
    let stored = choices.selection(&loaded.found.contents);
    let (selection, problems) = resolve(choices, &asked);
    let mut page = SelectionPage::new(&loaded, &selection, &typed);
    if let Some(why) = page.closed.clone() {
        page.errors.add(FORM, why);
        return Ok(respond(StatusCode::CONFLICT, &page)?);
    }
    if malformed
        || problems
            .iter()
            .any(|p| !matches!(p, Problem::Target { .. }))
    {
        page.errors.add(
            FORM,
            "Formuläret innehöll val som inte finns i planen längre. Ladda om sidan och välj igen.",
        );
    }
    for p in &problems {
        if let Problem::Target { indicator, message } = p {
            page.errors
                .add(format!("arsmal-{indicator}"), message.clone());
        }
    }
    // A new target typed for an indicator left unticked would be lost: ask.
    for (i, t) in typed
        .iter()
        .filter(|(i, _)| !asked.indicators.contains_key(i))
    {
        let before = stored
            .indicators
            .get(&IndicatorId(*i))
            .and_then(|t| t.as_ref())
            .map(|t| t.text().to_string())
            .unwrap_or_default();
        if !t.trim().is_empty() && t.trim() != before {
            page.errors.add(
                format!("arsmal-{i}"),
                "Du har skrivit ett årsmål för en indikator som inte är vald. Kryssa i indikatorn om den ska vara med, eller töm rutan.",
            );
        }
    }
    match version {
        Some(v) => page.version = v,
        None => page.errors.add(
            FORM,
            "Formuläret saknade uppgiften om vilken version av planen du utgick från, så urvalet sparades inte. Se över valen och spara igen.",
        ),
    }
    let Some(version) = version.filter(|_| page.errors.is_empty()) else {
        return Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, &page)?);
    };
    match save(
        &state,
        &person.who.email,
        &loaded.found.plan,
        version,
        &selection,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{}?sparat", page.action)).into_response()),
        Err(StoreError::Conflict { .. }) => {
            let now = load(&state, &caller, id, year).await?;
            let mut page = SelectionPage::new(&now, &selection, &typed);
            if let Some(why) = page.closed.clone() {
                page.errors.add(FORM, why);
                return Ok(respond(StatusCode::CONFLICT, &page)?);
            }
            let f = &now.found;
            page.theirs = Some(differences(
                &f.choices,
                &f.choices.selection(&f.contents),
                &selection,
                &f.contents,
            ));
            page.errors.add(
                FORM,
                "Någon annan har ändrat planen medan du valde, så ditt urval är inte sparat. Det som skiljer mot det som är sparat nu står under rubriken Sparat nu; dina val finns kvar i formuläret. Spara igen om dina val ska gälla.",
            );
            Ok(respond(StatusCode::CONFLICT, &page)?)
        }
        Err(StoreError::Locked(why)) => {
            page.closed = Some(why.clone());
            page.errors.add(FORM, why);
            Ok(respond(StatusCode::CONFLICT, &page)?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_form_says_what_was_ticked_and_typed() {
        let pairs: Vec<(String, String)> = [
            ("csrf", "x"),
            ("version", "4"),
            ("mal", "3"),
            ("mal", "5"),
            ("aktivitet", "7"),
            ("indikator", "9"),
            ("arsmal-9", "90 %"),
            ("arsmal-10", "ca 80"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let sent = read_form(&pairs);
        assert_eq!(sent.version, Some(4));
        assert!(!sent.malformed);
        assert_eq!(sent.asked.goals, [3, 5].into());
        assert_eq!(sent.asked.activities, [7].into());
        assert_eq!(
            sent.asked.indicators,
            [(9, "90 %".to_string())].into_iter().collect()
        );
        assert_eq!(sent.typed[&10], "ca 80", "kept to show again");
        assert!(read_form(&[("mal".into(), "tre".into())]).malformed);
        assert_eq!(read_form(&[("version".into(), "-1".into())]).version, None);
    }

    #[test]
    fn an_api_choice_has_its_shape_checked() {
        let ok = check_update(&json!({
            "version": 3.0, "goals": [1, 2], "activities": [],
            "indicators": [{"id": 4, "target": "90 %"}, {"id": 5, "target": null}, {"id": 6, "target": ""}]
        }))
        .unwrap();
        assert_eq!(ok.version, 3);
        let asked = Asked::from(&ok);
        assert_eq!(asked.goals, [1, 2].into());
        assert_eq!(asked.indicators[&4], "90 %");
        assert_eq!(asked.indicators[&5], "");
        assert_eq!(asked.indicators[&6], "");
        let fields = |v| match check_update(&v) {
            Err(AppError::Invalid(f)) => f.iter().map(|f| f.field).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            fields(json!({"version": "1", "goals": [], "activities": [], "indicators": []})),
            ["version"]
        );
        assert_eq!(
            fields(
                json!({"version": 1, "goals": [0], "activities": "x", "indicators": [{"id": 1, "target": 5}]})
            ),
            ["goals", "activities", "indicators"]
        );
        assert_eq!(
            fields(
                json!({"version": 1, "goals": [], "activities": [], "indicators": [], "mer": 1})
            ),
            ["request"]
        );
        assert_eq!(
            fields(json!({"version": 1})),
            ["goals", "activities", "indicators"]
        );
        assert_eq!(fields(json!([])), ["request"]);
        assert_eq!(
            fields(json!({"version": 1, "goals": [], "activities": [], "indicators": [{"id": 1}]})),
            ["indicators"]
        );
    }
}
