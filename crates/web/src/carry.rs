//! "Utgå från förra årets plan" (`/enheter/{id}/planer/{year}/utga-fran-forra-aret`): a
//! unit's plan for a year started from its plan of the year before
//! (`Writer::carry_forward`). For those who write the unit's texts
//! (`Action::WriteUnitText` on the unit).
//!
//! The page shows each of last year's unit goals and where it will go: under this year's
//! board or department goal with the same number or title, or — when none has — a choice
//! of this year's goals, "decide later" or "leave out". The carrying never overwrites what
//! this year's plan has; the answer lists what was made, what was kept and what could not
//! be carried. A goal still to place can be placed from the same page later. A submitted
//! or approved plan is refused (409) with the reason.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, HtmlError};
use crate::params::{self, PagePath};
use crate::plan_sections::closed_reason;
use crate::views::Crumb;
use askama::Template;
use axum::extract::{Form, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use malkedja_domain::{Action, Carry, Choice, Goal, GoalId, NodeId, OrgKind, OrgNode};
use malkedja_store::{CarryOutcome, CarryPreview, StoreError};
use std::collections::HashMap;

/// The value of "Ta inte med" in a goal's choice.
const LEAVE_OUT: &str = "utelamna";

fn respond(status: StatusCode, body: String) -> Response {
    let mut res = (status, Html(body)).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// "Nämndmål: 1.3 Trygg omsorg".
fn goal_label(g: &Goal) -> String {
    let number = g
        .number
        .as_deref()
        .map(|n| format!("{n} "))
        .unwrap_or_default();
    format!("{}: {number}{}", g.level.heading_prefix(), g.title)
}

/// One of last year's unit goals on the page.
struct Line {
    title: String,
    then: String,
    /// Where it goes, when that is decided.
    now: Option<String>,
    /// How it was decided ("samma rubrik", "finns redan i planen").
    how: &'static str,
    /// The choice field, for a goal without a place: its name and id.
    field: Option<String>,
    chosen: String,
    error: Option<String>,
}

/// What the carrying did, as the answer lists it.
struct Done {
    created_plan: bool,
    made: Vec<String>,
    kept: Vec<String>,
    not_carried: Vec<String>,
    unplaced: Vec<String>,
    left_out: Vec<String>,
}

#[derive(Template)]
#[template(path = "carry.html")]
struct Page {
    crumbs: Vec<Crumb>,
    unit: String,
    year: i32,
    previous: i32,
    action: String,
    plan_href: String,
    previous_href: String,
    /// This year's plan exists already.
    exists: bool,
    /// Why this year's plan cannot be written (submitted, approved).
    closed: Option<String>,
    lines: Vec<Line>,
    /// (id, label) of this year's goals a goal can be placed under.
    parents: Vec<(i64, String)>,
    /// (field id, message) for the error summary.
    errors: Vec<(String, String)>,
    notice: Option<String>,
    done: Option<Done>,
}

impl Page {
    fn new(chain: &[OrgNode], p: &CarryPreview) -> Page {
        let unit = &chain[0];
        let year = p.year;
        let plan_href = format!("/enheter/{}/planer/{year}", unit.id);
        let mut crumbs = crate::pages::crumbs_for(chain);
        crumbs.push(Crumb {
            href: format!("/enheter/{}", unit.id),
            label: unit.name.clone(),
        });
        let lines = p
            .goals
            .iter()
            .map(|g| {
                let (how, field) = match g.carry {
                    Carry::Exists(_) => ("finns redan i årets plan", None),
                    Carry::Matched(_, by) => (by.label(), None),
                    Carry::Chosen(_) => ("ditt val", None),
                    Carry::LeftOut => ("tas inte med", None),
                    Carry::Unplaced => ("", Some(format!("placera-{}", g.goal.id))),
                };
                Line {
                    title: g.goal.title.clone(),
                    then: g.parent_then.as_ref().map(goal_label).unwrap_or_default(),
                    now: g.parent_now.as_ref().map(goal_label),
                    how,
                    field,
                    chosen: String::new(),
                    error: None,
                }
            })
            .collect();
        Page {
            crumbs,
            unit: unit.name.clone(),
            year,
            previous: year - 1,
            action: format!("{plan_href}/utga-fran-forra-aret"),
            previous_href: format!("/enheter/{}/planer/{}", unit.id, year - 1),
            exists: p.current.is_some(),
            closed: p.current.as_ref().and_then(|c| closed_reason(c.status)),
            plan_href,
            lines,
            parents: p.parents.iter().map(|g| (g.id.0, goal_label(g))).collect(),
            errors: Vec::new(),
            notice: None,
            done: None,
        }
    }
}

/// The unit, once the policy has let the caller write its texts, and what starting from
/// last year's plan would do: 404 for a unit that does not exist or has no plan the year
/// before.
async fn load(
    state: &AppState,
    caller: &Caller,
    raw_id: &str,
    raw_year: &str,
) -> Result<(Vec<OrgNode>, CarryPreview), AppError> {
    let id: NodeId = params::node_id("id", raw_id, "Enhetens nummer")?;
    let year = params::year(raw_year)?;
    let chain = state.store.chain(id).await?;
    if chain.first().is_none_or(|n| n.kind != OrgKind::Unit) {
        return Err(AppError::NotFound(format!(
            "Det finns ingen enhet med nummer {id}."
        )));
    }
    caller.authorize(Action::WriteUnitText, &chain)?;
    match state.store.carry_preview(id, year).await {
        Ok(p) => Ok((chain, p)),
        Err(StoreError::NotFound(_)) => Err(AppError::NotFound(format!(
            "{} har ingen verksamhetsplan för {} att utgå från.",
            chain[0].name,
            year - 1
        ))),
        Err(e) => Err(e.into()),
    }
}

pub async fn form(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year)): PagePath<(String, String)>,
) -> Result<Response, HtmlError> {
    let (chain, preview) = load(&state, &caller, &raw_id, &raw_year).await?;
    Ok(respond(
        StatusCode::OK,
        Page::new(&chain, &preview).render()?,
    ))
}

pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year)): PagePath<(String, String)>,
    Form(fields): Form<HashMap<String, String>>,
) -> Result<Response, HtmlError> {
    let person = caller.require_person()?;
    let (chain, preview) = load(&state, &caller, &raw_id, &raw_year).await?;
    let mut page = Page::new(&chain, &preview);
    if let Some(why) = page.closed.clone() {
        page.notice = Some(why);
        return Ok(respond(StatusCode::CONFLICT, page.render()?));
    }
    // The writer's choices for the goals without a place.
    let mut choices: HashMap<GoalId, Choice> = HashMap::new();
    for (g, line) in preview.goals.iter().zip(page.lines.iter_mut()) {
        let Some(field) = &line.field else { continue };
        let value = fields.get(field).map(|v| v.trim()).unwrap_or("");
        line.chosen = value.chars().take(20).collect();
        let choice = match value {
            "" => None,
            LEAVE_OUT => Some(Choice::LeaveOut),
            v => match v.parse::<i64>() {
                Ok(id) if preview.parents.iter().any(|p| p.id.0 == id) => {
                    Some(Choice::Under(GoalId(id)))
                }
                _ => {
                    let message = format!(
                        "Välj var \"{}\" ska ligga {} bland målen i listan, eller att det inte ska tas med.",
                        g.goal.title, preview.year
                    );
                    page.errors.push((field.clone(), message.clone()));
                    line.error = Some(message);
                    None
                }
            },
        };
        if let Some(c) = choice {
            choices.insert(g.goal.id, c);
        }
    }
    if !page.errors.is_empty() {
        return Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, page.render()?));
    }
    let unit = chain[0].id;
    let result = async {
        let mut w = state.store.begin_write(&person.who.email).await?;
        let out = w.carry_forward(unit, preview.year, &choices).await?;
        w.commit().await?;
        Ok::<CarryOutcome, StoreError>(out)
    }
    .await;
    match result {
        Ok(out) => {
            let (chain, now) = load(&state, &caller, &raw_id, &raw_year).await?;
            let mut page = Page::new(&chain, &now);
            page.done = Some(done(&out));
            Ok(respond(StatusCode::OK, page.render()?))
        }
        Err(StoreError::Locked(why)) => {
            page.notice = Some(why);
            Ok(respond(StatusCode::CONFLICT, page.render()?))
        }
        Err(StoreError::Conflict { .. }) => {
            page.notice = Some("Någon annan ändrade planen samtidigt, så inget fördes över. Försök igen: det som redan finns i planen skrivs aldrig över.".into());
            Ok(respond(StatusCode::CONFLICT, page.render()?))
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

fn done(out: &CarryOutcome) -> Done {
    let m = &out.made;
    let mut made = Vec::new();
    for (n, one, many) in [
        (m.goals, "enhetsmål", "enhetsmål"),
        (m.texts, "text till enhetsmålen", "texter till enhetsmålen"),
        (m.indicators, "indikator", "indikatorer"),
        (
            m.activities,
            "aktivitet, med datum ett år fram",
            "aktiviteter, med datum ett år fram",
        ),
        (
            m.selections,
            "val av nämndens mål, indikatorer eller aktiviteter",
            "val av nämndens mål, indikatorer och aktiviteter",
        ),
        (m.sections, "avsnitt i planen", "avsnitt i planen"),
        (
            m.facts,
            "uppgifter om enheten eller en verksamhet",
            "uppgifter om enheten och verksamheterna",
        ),
    ] {
        if n > 0 {
            made.push(format!("{n} {}", if n == 1 { one } else { many }));
        }
    }
    Done {
        created_plan: out.created_plan,
        made,
        kept: out.kept.clone(),
        not_carried: out.not_carried.clone(),
        unplaced: out.unplaced().map(|g| g.goal.title.clone()).collect(),
        left_out: out
            .goals
            .iter()
            .filter(|g| g.carry == Carry::LeftOut)
            .map(|g| g.goal.title.clone())
            .collect(),
    }
}
