//! A plan's workflow on its page: where it stands, the steps it took (who, when, why), and
//! the steps the signed-in person may take now — submit (Skicka in), approve (Fastställ),
//! return with a comment (Återremittera), reopen with a reason (Öppna igen).
//!
//! Which step may follow which is the domain's (`malkedja_domain::Transition`); who may
//! take it is the policy's, asked through the door (`Caller::authorize` with the step's
//! action on the unit's chain); the store records the step and, at approval, pins the plan
//! to the texts it shows. A step states the plan's version it was offered on: a page that
//! is out of date is a conflict, never a step from a status the person did not see.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, HtmlError};
use crate::params::{self, PagePath};
use crate::views::Crumb;
use askama::Template;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use malkedja_domain::{
    COMMENT_MAX_CHARS, OrgKind, OrgNode, Plan, PlanStatus, Transition, WorkflowError,
    plan_transition,
};
use malkedja_store::{PlanTransitionRecord, StoreError};
use serde::Deserialize;

/// The longest comment, as the forms say.
pub const COMMENT_LIMIT: usize = COMMENT_MAX_CHARS;

/// A step the plan took, as the page lists it.
pub struct StepLine {
    pub label: &'static str,
    pub actor: String,
    /// ISO 8601, for `<time datetime>`.
    pub at: String,
    /// "2026-12-02 10:15" (UTC).
    pub at_label: String,
    pub comment: Option<String>,
}

/// A step the person may take now: one form.
pub struct StepForm {
    pub to: &'static str,
    pub button: &'static str,
    /// The comment field's label when the step needs one (return, reopen).
    pub comment_label: Option<&'static str>,
    pub id: &'static str,
}

/// The workflow box of a plan page.
pub struct WorkflowView {
    pub href: String,
    pub version: i64,
    pub steps: Vec<StepLine>,
    pub forms: Vec<StepForm>,
    /// Why the writers cannot change the plan now, if they cannot.
    pub locked: Option<&'static str>,
    /// For a person who may read them: the plan's history and *Jämför*.
    pub history: Option<(String, String)>,
    /// How many of the plan's parts are marked ready (while it is open for writing).
    pub completion: Option<crate::ready::CompletionView>,
    /// What the plan check finds (until the plan is approved).
    pub check: Option<crate::ready::CheckSummary>,
}

fn step_form(t: Transition) -> StepForm {
    let (button, comment_label, id) = match t {
        Transition::Submit => ("Skicka in planen", None, "skicka-in"),
        Transition::Approve => ("Fastställ planen", None, "faststall"),
        Transition::Return => (
            "Återremittera planen",
            Some("Kommentar till enheten (krävs): vad ska ändras?"),
            "aterremittera",
        ),
        Transition::Reopen => (
            "Öppna planen igen",
            Some("Motivering (krävs): varför ska den fastställda planen ändras?"),
            "oppna-igen",
        ),
    };
    StepForm {
        to: t.to().code(),
        button,
        comment_label,
        id,
    }
}

/// A moment as the pages show it: ISO 8601 for `<time datetime>`, and "2026-12-02 10:15"
/// (UTC) to read.
pub fn time_labels(at: time::OffsetDateTime) -> (String, String) {
    let iso = at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let label = iso.get(..16).unwrap_or(&iso).replace('T', " ");
    (iso, label)
}

fn step_line(r: &PlanTransitionRecord) -> StepLine {
    let (at, at_label) = time_labels(r.at);
    StepLine {
        label: r.transition.label(),
        actor: r.actor.clone(),
        at_label,
        at,
        comment: r.comment.clone(),
    }
}

/// The plan's href on the pages.
fn plan_href(plan: &Plan) -> String {
    format!("/enheter/{}/planer/{}", plan.unit_id, plan.year)
}

/// What the plan page shows of the workflow to `caller`: the steps taken and the forms of
/// the steps the policy lets them take from the plan's status.
pub async fn view(
    state: &AppState,
    caller: &Caller,
    plan: &Plan,
    chain: &[OrgNode],
) -> Result<WorkflowView, AppError> {
    let steps = state
        .store
        .plan_transitions(plan.id)
        .await?
        .iter()
        .map(step_line)
        .collect();
    let forms = Transition::ALL
        .into_iter()
        .filter(|t| t.from_statuses().contains(&plan.status))
        .filter(|t| caller.may(t.action(), chain))
        .map(step_form)
        .collect();
    Ok(WorkflowView {
        href: plan_href(plan),
        version: plan.version,
        steps,
        forms,
        locked: malkedja_domain::locked_reason(plan.status),
        history: caller
            .may(malkedja_domain::Action::ReadDraft, chain)
            .then(|| {
                (
                    crate::history::plan_href(plan.unit_id, plan.year),
                    crate::history::compare_href(plan.unit_id, plan.year),
                )
            }),
        completion: None,
        check: None,
    })
}

#[derive(Deserialize)]
pub struct StepRequest {
    #[serde(default)]
    to: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    version: String,
}

/// The one step's form again, with what was typed and why it was refused.
#[derive(Template)]
#[template(path = "transition.html")]
struct StepPage {
    crumbs: Vec<Crumb>,
    unit: String,
    year: i32,
    href: String,
    version: i64,
    form: StepForm,
    comment: String,
    error: String,
    max: usize,
}

/// `POST /enheter/{id}/planer/{year}/status`: takes one step.
pub async fn take_step(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year)): PagePath<(String, String)>,
    Form(f): Form<StepRequest>,
) -> Result<Response, HtmlError> {
    let person = caller.require_person()?;
    let id = params::node_id("id", &raw_id, "Enhetens nummer")?;
    let year = params::year(&raw_year)?;
    let chain = state.store.chain(id).await?;
    let unit = match chain.first() {
        Some(n) if n.kind == OrgKind::Unit => n.clone(),
        _ => {
            return Err(
                AppError::NotFound(format!("Det finns ingen enhet med nummer {id}.")).into(),
            );
        }
    };
    let plan = state
        .store
        .plan(unit.id, year)
        .await?
        .ok_or_else(|| AppError::no_plan(&unit.name, year))?;
    let to = PlanStatus::from_code(f.to.trim()).ok_or_else(|| AppError::BadRequest {
        field: "to",
        message: format!("Det finns ingen status som heter \"{}\".", f.to.trim()),
    })?;
    let version: i64 = f.version.trim().parse().map_err(|_| AppError::BadRequest {
        field: "version",
        message: "Formuläret saknar planens version. Ladda om planen och försök igen.".into(),
    })?;
    // The step asked for, from the status the person saw (a stale page is a conflict in
    // the store); the policy decides whether they may take it.
    let seen = if version == plan.version {
        plan.status
    } else {
        return Err(AppError::from(StoreError::Conflict {
            entity: "planen".into(),
            expected: version,
            actual: plan.version,
        })
        .into());
    };
    match plan_transition(seen, to, &f.comment) {
        Ok(t) => caller.authorize(t.action(), &chain)?,
        Err(e @ (WorkflowError::CommentRequired(_) | WorkflowError::CommentTooLong { .. })) => {
            // The step exists; only its comment is wrong: its form again, text kept.
            let Some(t) = Transition::between(seen, to) else {
                return Err(AppError::from(StoreError::from(e)).into());
            };
            caller.authorize(t.action(), &chain)?;
            let page = StepPage {
                crumbs: vec![
                    Crumb {
                        href: "/".into(),
                        label: "Start".into(),
                    },
                    Crumb {
                        href: format!("/enheter/{}", unit.id),
                        label: unit.name.clone(),
                    },
                    Crumb {
                        href: plan_href(&plan),
                        label: format!("Verksamhetsplan {year}"),
                    },
                ],
                unit: unit.name.clone(),
                year,
                href: plan_href(&plan),
                version: plan.version,
                form: step_form(t),
                comment: f.comment.chars().take(COMMENT_MAX_CHARS * 2).collect(),
                error: e.to_string(),
                max: COMMENT_MAX_CHARS,
            };
            return Ok((StatusCode::BAD_REQUEST, Html(page.render()?)).into_response());
        }
        Err(e) => return Err(AppError::from(StoreError::from(e)).into()),
    }
    let mut w = state.store.begin_write(&person.who.email).await?;
    match w.transition_plan(plan.id, version, to, &f.comment).await {
        Ok(_) => w.commit().await?,
        // The plan check found errors: its page, with what to fix.
        Err(StoreError::PlanCheck(findings)) => {
            w.rollback().await?;
            return Ok(crate::ready::check_page(
                &caller, &chain, &plan, &findings, true,
            )?);
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::to(&format!("{}#arbetsgang", plan_href(&plan))).into_response())
}
