//! A plan's or report's workflow on its page: where it stands, the steps it took (who,
//! when, why), and the steps the signed-in person may take now — submit (Skicka in),
//! approve (Fastställ), return with a comment (Återremittera), reopen with a reason (Öppna
//! igen). Plans and reports share the rules, the box and the handler (`crate::doc::Doc`
//! says which is which); the store records a plan's steps in `transition_plan` and a
//! report's in `transition_report`, and either freezes the document at approval.
//!
//! Which step may follow which is the domain's (`malkedja_domain::Transition`); who may
//! take it is the policy's, asked through the door (`Caller::authorize` with the step's
//! action on the unit's chain); the store records the step and, at approval, pins the plan
//! to the texts it shows. A step states the plan's version it was offered on: a page that
//! is out of date is a conflict, never a step from a status the person did not see.

use crate::AppState;
use crate::auth::Caller;
use crate::doc::Doc;
use crate::error::{AppError, HtmlError};
use crate::params::PagePath;
use crate::views::Crumb;
use askama::Template;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use malkedja_domain::{
    COMMENT_MAX_CHARS, OrgNode, PlanStatus, Transition, WorkflowError, workflow_step,
};
use malkedja_store::{DocRef, StoreError};
use serde::Deserialize;

/// The longest comment, as the forms say.
pub const COMMENT_LIMIT: usize = COMMENT_MAX_CHARS;

/// A step the plan or report took, as the page lists it.
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
    pub button: String,
    /// The comment field's label when the step needs one (return, reopen).
    pub comment_label: Option<String>,
    pub id: &'static str,
    /// "planen", "rapporten": where the comment shows.
    pub noun: &'static str,
}

/// The workflow box of a plan's or report's page.
pub struct WorkflowView {
    pub href: String,
    pub version: i64,
    /// "planen", "rapporten", and the same capitalised.
    pub noun: &'static str,
    pub noun_capital: &'static str,
    pub steps: Vec<StepLine>,
    pub forms: Vec<StepForm>,
    /// Why the writers cannot change the document now, if they cannot.
    pub locked: Option<&'static str>,
    /// For a person who may read it: the document's history.
    pub history: Option<String>,
    /// *Jämför*, for a plan.
    pub compare: Option<String>,
    /// How many of the document's parts are marked ready (while it is open for writing).
    pub completion: Option<crate::ready::CompletionView>,
    /// What the check finds (until the document is approved).
    pub check: Option<crate::ready::CheckSummary>,
}

fn step_form(t: Transition, doc: &Doc) -> StepForm {
    let noun = doc.noun();
    let (button, comment_label, id) = match t {
        Transition::Submit => (format!("Skicka in {noun}"), None, "skicka-in"),
        Transition::Approve => (format!("Fastställ {noun}"), None, "faststall"),
        Transition::Return => (
            format!("Återremittera {noun}"),
            Some("Kommentar till enheten (krävs): vad ska ändras?".to_string()),
            "aterremittera",
        ),
        Transition::Reopen => (
            format!("Öppna {noun} igen"),
            Some(format!(
                "Motivering (krävs): varför ska den fastställda {} ändras?",
                noun
            )),
            "oppna-igen",
        ),
    };
    StepForm {
        to: t.to().code(),
        button,
        comment_label,
        id,
        noun,
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

fn step_line(
    transition: Transition,
    actor: &str,
    at: time::OffsetDateTime,
    comment: &Option<String>,
) -> StepLine {
    let (at, at_label) = time_labels(at);
    StepLine {
        label: transition.label(),
        actor: actor.to_string(),
        at_label,
        at,
        comment: comment.clone(),
    }
}

/// The steps a plan or report took, oldest first.
async fn steps(state: &AppState, doc: &Doc) -> Result<Vec<StepLine>, AppError> {
    Ok(match doc.doc {
        DocRef::Plan(plan) => state
            .store
            .plan_transitions(plan)
            .await?
            .iter()
            .map(|r| step_line(r.transition, &r.actor, r.at, &r.comment))
            .collect(),
        DocRef::Report(report) => state
            .store
            .report_transitions(report)
            .await?
            .iter()
            .map(|r| step_line(r.transition, &r.actor, r.at, &r.comment))
            .collect(),
    })
}

/// What a plan's or report's page shows of the workflow to `caller`: the steps taken and
/// the forms of the steps the policy lets them take from the document's status.
pub async fn view(
    state: &AppState,
    caller: &Caller,
    doc: &Doc,
    chain: &[OrgNode],
) -> Result<WorkflowView, AppError> {
    let forms = Transition::ALL
        .into_iter()
        .filter(|t| t.from_statuses().contains(&doc.status))
        .filter(|t| caller.may(t.action(), chain))
        .map(|t| step_form(t, doc))
        .collect();
    let reads_drafts = caller.may(malkedja_domain::Action::ReadDraft, chain);
    Ok(WorkflowView {
        href: doc.href(),
        version: doc.version,
        noun: doc.noun(),
        noun_capital: doc.noun_capital(),
        steps: steps(state, doc).await?,
        forms,
        locked: doc.locked_reason(),
        history: reads_drafts.then(|| doc.history_href()),
        compare: (reads_drafts && !doc.is_report())
            .then(|| crate::history::compare_href(doc.unit, doc.year)),
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
    /// "Verksamhetsplan 2026 för Enheten".
    of: String,
    href: String,
    version: i64,
    form: StepForm,
    comment: String,
    error: String,
    max: usize,
}

/// `POST /enheter/{id}/planer/{year}/status`: takes one step of a plan.
pub async fn take_step(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year)): PagePath<(String, String)>,
    Form(f): Form<StepRequest>,
) -> Result<Response, HtmlError> {
    caller.require_person()?;
    let (chain, doc) = crate::doc::load_plan(&state, &raw_id, &raw_year).await?;
    Ok(step(&state, &caller, &chain, &doc, f).await?)
}

/// `POST /enheter/{id}/rapporter/{year}/{kind}/status`: takes one step of a report.
pub async fn take_report_step(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year, raw_kind)): PagePath<(String, String, String)>,
    Form(f): Form<StepRequest>,
) -> Result<Response, HtmlError> {
    caller.require_person()?;
    let (chain, doc) = crate::doc::load_report(&state, &raw_id, &raw_year, &raw_kind).await?;
    Ok(step(&state, &caller, &chain, &doc, f).await?)
}

/// One step of a plan's or report's workflow, from the status the person saw: the policy
/// decides whether they may take it, the store records it (and at approval freezes the
/// document). A step refused by the check answers with the check's page.
async fn step(
    state: &AppState,
    caller: &Caller,
    chain: &[OrgNode],
    doc: &Doc,
    f: StepRequest,
) -> Result<Response, AppError> {
    let person = caller.require_person()?;
    let to = PlanStatus::from_code(f.to.trim()).ok_or_else(|| AppError::BadRequest {
        field: "to",
        message: format!("Det finns ingen status som heter \"{}\".", f.to.trim()),
    })?;
    let version: i64 = f.version.trim().parse().map_err(|_| AppError::BadRequest {
        field: "version",
        message: format!(
            "Formuläret saknar {}s version. Ladda om sidan och försök igen.",
            doc.noun()
        ),
    })?;
    // The step asked for, from the status the person saw (a stale page is a conflict in
    // the store); the policy decides whether they may take it.
    if version != doc.version {
        return Err(AppError::from(StoreError::Conflict {
            entity: doc.noun().into(),
            expected: version,
            actual: doc.version,
        }));
    }
    match workflow_step(doc.workflow_doc(), doc.status, to, &f.comment) {
        Ok(t) => caller.authorize(t.action(), chain)?,
        Err(e @ (WorkflowError::CommentRequired(..) | WorkflowError::CommentTooLong { .. })) => {
            // The step exists; only its comment is wrong: its form again, text kept.
            let Some(t) = Transition::between(doc.status, to) else {
                return Err(AppError::from(StoreError::from(e)));
            };
            caller.authorize(t.action(), chain)?;
            let page = StepPage {
                crumbs: doc.crumbs(chain),
                of: doc.of(),
                href: doc.href(),
                version: doc.version,
                form: step_form(t, doc),
                comment: f.comment.chars().take(COMMENT_MAX_CHARS * 2).collect(),
                error: e.to_string(),
                max: COMMENT_MAX_CHARS,
            };
            return Ok((StatusCode::BAD_REQUEST, Html(page.render()?)).into_response());
        }
        Err(e) => return Err(AppError::from(StoreError::from(e))),
    }
    let mut w = state.store.begin_write(&person.who.email).await?;
    let done = match doc.doc {
        DocRef::Plan(plan) => w
            .transition_plan(plan, version, to, &f.comment)
            .await
            .map(drop),
        DocRef::Report(report) => w
            .transition_report(report, version, to, &f.comment)
            .await
            .map(drop),
    };
    match done {
        Ok(()) => w.commit().await?,
        // The check found errors: its page, with what to fix.
        Err(StoreError::PlanCheck(findings) | StoreError::ReportCheck(findings)) => {
            w.rollback().await?;
            return crate::ready::check_page(caller, chain, doc, &findings, true);
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::to(&format!("{}#arbetsgang", doc.href())).into_response())
}
