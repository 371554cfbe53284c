//! Ready marks ("Klar") and the check ("Kontroll av planen", "… av rapporten") on the
//! pages of plans and reports.
//!
//! On a plan open for writing, each part (a section that asks for text, a unit goal of the
//! unit's own; `malkedja_domain::plan_parts`) shows whether it is marked ready, and to a
//! person the policy lets write the unit's texts (`Action::WriteUnitText`) a button to mark
//! it or take the mark back (`POST /enheter/{id}/planer/{year}/klar`). The workflow box
//! says how many parts are ready, with a `<progress>` and links to the rest, and what the
//! plan check found ("2 fel, 3 varningar"), linking to the check's page
//! (`/enheter/{id}/planer/{year}/kontroll`), which lists each finding with a link to its
//! place. Submitting a plan with errors is refused in the store; the form answers with the
//! check's page and the reason.
//!
//! A form to take a mark back states the mark it saw: a double click finds nothing left to
//! take back and is harmless; a mark made again since is a conflict and stays.

use crate::AppState;
use crate::auth::Caller;
use crate::doc::Doc;
use crate::error::{AppError, HtmlError};
use crate::params::{self, PagePath};
use crate::views::{Crumb, PlanView};
use crate::workflow::WorkflowView;
use askama::Template;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use malkedja_domain::{
    Action, CascadeGoal, Completion, Finding, NodeId, OrgNode, Place, PlanDocument, PlanPart,
    PlanStatus, Severity, check_plan, findings_summary, plan_parts,
};
use malkedja_store::ReadyMark;
use serde::Deserialize;
use std::collections::HashSet;

/// Where a part is on the plan's or report's page.
pub fn anchor(part: &PlanPart) -> String {
    match part {
        PlanPart::Section { key } => format!("avsnitt-{key}"),
        PlanPart::Goal { id } => format!("mal-{id}"),
        PlanPart::Economy => "ekonomi".to_string(),
    }
}

fn plan_href(unit: NodeId, year: i32) -> String {
    format!("/enheter/{unit}/planer/{year}")
}

/// A part's mark as the page shows it.
pub struct MarkLine {
    pub actor: String,
    pub at: String,
    pub at_label: String,
}

/// The form that marks a part ready or takes its mark back.
pub struct ReadyForm {
    pub action: String,
    pub part: String,
    /// `mark` or `unmark`.
    pub op: &'static str,
    /// The mark the page shows (0: none).
    pub version: i64,
    pub button: &'static str,
    /// What the part is called, for the button's accessible name.
    pub what: String,
}

/// Whether a part is ready, and what the person may do about it.
pub struct ReadyView {
    pub mark: Option<MarkLine>,
    pub form: Option<ReadyForm>,
}

pub fn ready_view(
    part: &PlanPart,
    what: &str,
    marks: &[ReadyMark],
    action: Option<&str>,
) -> ReadyView {
    let mark = marks.iter().find(|m| &m.part == part);
    ReadyView {
        mark: mark.map(|m| {
            let (at, at_label) = crate::workflow::time_labels(m.at);
            MarkLine {
                actor: m.actor.clone(),
                at,
                at_label,
            }
        }),
        form: action.map(|action| ReadyForm {
            action: action.to_string(),
            part: part.code(),
            op: if mark.is_some() { "unmark" } else { "mark" },
            version: mark.map(|m| m.id).unwrap_or(0),
            button: if mark.is_some() {
                "Ångra klar"
            } else {
                "Markera som klar"
            },
            what: what.to_string(),
        }),
    }
}

/// How far the plan has come, as the workflow box shows it.
pub struct CompletionView {
    pub label: String,
    pub ready: usize,
    pub total: usize,
    pub percent: usize,
    /// The parts not yet ready: (what, where on the page).
    pub remaining: Vec<(String, String)>,
}

impl CompletionView {
    pub fn new(c: &Completion, plan: &str) -> CompletionView {
        CompletionView {
            label: c.label(),
            ready: c.ready,
            total: c.total,
            percent: c.percent(),
            remaining: c
                .remaining
                .iter()
                .map(|p| (p.label.clone(), format!("{plan}#{}", anchor(&p.part))))
                .collect(),
        }
    }
}

/// What the check found, as the workflow box sums it up.
pub struct CheckSummary {
    pub summary: String,
    pub errors: usize,
    pub href: String,
}

/// Puts the ready marks on the plan page and the completion and the check's summary in
/// its workflow box. Marks are shown while the plan is open for writing; the check until
/// the plan is approved.
pub async fn decorate(
    state: &AppState,
    caller: &Caller,
    doc: &PlanDocument,
    chain: &[OrgNode],
    view: &mut PlanView,
    workflow: &mut WorkflowView,
) -> Result<(), AppError> {
    let plan = plan_href(doc.unit.id, doc.plan.year);
    if doc.plan.status != PlanStatus::Approved {
        let findings = check_plan(doc);
        workflow.check = Some(CheckSummary {
            summary: findings_summary(&findings),
            errors: malkedja_domain::check_errors(&findings).len(),
            href: format!("{plan}/kontroll"),
        });
    }
    if !doc.plan.status.open_for_writing() {
        return Ok(());
    }
    let marks = state.store.ready_marks(doc.plan.id).await?;
    let writable = caller.may(Action::WriteUnitText, chain);
    let action = format!("{plan}/klar");
    let action = writable.then_some(action.as_str());
    let parts = plan_parts(doc);
    for s in view.before.iter_mut().chain(view.after.iter_mut()) {
        let part = PlanPart::section(s.key.clone());
        if parts.iter().any(|p| p.part == part) {
            s.ready = Some(ready_view(&part, &s.heading, &marks, action));
        }
    }
    let own: Vec<&CascadeGoal> = doc
        .goals
        .iter()
        .flat_map(CascadeGoal::walk)
        .filter(|g| malkedja_domain::is_own_unit_goal(g, doc.unit.id))
        .collect();
    for block in view.goals.iter_mut() {
        if let Some(g) = own.iter().find(|g| g.goal.id.0 == block.id) {
            let part = PlanPart::goal(g.goal.id);
            let what = format!("Enhetsmål {}", g.goal.title);
            block.ready = Some(ready_view(&part, &what, &marks, action));
        }
    }
    let marked: HashSet<PlanPart> = marks.into_iter().map(|m| m.part).collect();
    workflow.completion = Some(CompletionView::new(&Completion::of(parts, &marked), &plan));
    Ok(())
}

#[derive(Deserialize)]
pub struct ReadyRequest {
    #[serde(default)]
    part: String,
    #[serde(default)]
    op: String,
    #[serde(default)]
    version: String,
}

/// `POST /enheter/{id}/planer/{year}/klar`: marks a part of a plan ready (`op=mark`) or
/// takes the mark `version` back (`op=unmark`), then back to the part on the plan.
pub async fn mark(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year)): PagePath<(String, String)>,
    Form(f): Form<ReadyRequest>,
) -> Result<Response, HtmlError> {
    caller.require_person()?;
    let (chain, doc) = crate::doc::load_plan(&state, &raw_id, &raw_year).await?;
    Ok(apply(&state, &caller, &chain, &doc, f).await?)
}

/// `POST /enheter/{id}/rapporter/{year}/{kind}/klar`: the same for a part of a report (a
/// section, a goal's follow-up, the economy).
pub async fn mark_report(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year, raw_kind)): PagePath<(String, String, String)>,
    Form(f): Form<ReadyRequest>,
) -> Result<Response, HtmlError> {
    caller.require_person()?;
    let (chain, doc) = crate::doc::load_report(&state, &raw_id, &raw_year, &raw_kind).await?;
    Ok(apply(&state, &caller, &chain, &doc, f).await?)
}

/// Marks or unmarks a part of the document as the form asks, after the policy has let
/// the caller write the unit's texts.
async fn apply(
    state: &AppState,
    caller: &Caller,
    chain: &[OrgNode],
    doc: &Doc,
    f: ReadyRequest,
) -> Result<Response, AppError> {
    let person = caller.require_person()?;
    caller.authorize(Action::WriteUnitText, chain)?;
    let part = PlanPart::from_code(&f.part).ok_or_else(|| AppError::BadRequest {
        field: "part",
        message: format!(
            "Formuläret anger ingen del av {} (\"{}\"). Ladda om sidan och försök igen.",
            doc.noun(),
            f.part.trim()
        ),
    })?;
    let mut w = state.store.begin_write(&person.who.email).await?;
    match f.op.trim() {
        "mark" => {
            w.mark_ready_in(doc.doc, &part).await?;
        }
        "unmark" => {
            let version: i64 = f.version.trim().parse().map_err(|_| AppError::BadRequest {
                field: "version",
                message:
                    "Formuläret saknar vilken markering det gäller. Ladda om sidan och försök igen."
                        .into(),
            })?;
            w.unmark_ready_in(doc.doc, &part, version).await?;
        }
        other => {
            return Err(AppError::BadRequest {
                field: "op",
                message: format!(
                    "\"{other}\" är inget att göra med en del: välj att markera den som klar eller ångra."
                ),
            });
        }
    }
    w.commit().await?;
    Ok(Redirect::to(&format!("{}#{}", doc.href(), anchor(&part))).into_response())
}

/// A finding as the check's page lists it.
pub struct FindingLine {
    pub message: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "plan_check.html")]
struct CheckPage {
    crumbs: Vec<Crumb>,
    /// "Verksamhetsplan 2026 för Enheten".
    of: String,
    /// "planen", "rapporten".
    noun: &'static str,
    /// What the check goes through, in a sentence.
    covers: &'static str,
    /// The document's page.
    href: String,
    status: &'static str,
    summary: String,
    errors: Vec<FindingLine>,
    warnings: Vec<FindingLine>,
    /// The document was just refused: it cannot be submitted before the errors are fixed.
    refused: bool,
}

/// Where a finding leads: for a person who may write the plan now, the page where it is
/// fixed (a section's or the unit's own indicator's or activity's edit page; an inherited
/// indicator's target where the unit chooses what applies); else its place on the plan page.
fn finding_href(place: &Place, plan: &str, writable: bool) -> String {
    match place {
        Place::Section { key } if writable => format!("{plan}/avsnitt/{key}"),
        Place::Indicator {
            indicator,
            own: true,
            ..
        } if writable => format!("/indikatorer/{indicator}"),
        Place::Indicator { indicator, .. } if writable => {
            format!("{plan}/urval#arsmal-{indicator}")
        }
        Place::Activity {
            activity,
            own: true,
            ..
        } if writable => format!("/aktiviteter/{activity}"),
        Place::Section { key } => format!("{plan}#{}", anchor(&PlanPart::section(key.clone()))),
        Place::Goal { goal } | Place::Indicator { goal, .. } | Place::Activity { goal, .. } => {
            format!("{plan}#{}", anchor(&PlanPart::goal(*goal)))
        }
    }
}

/// Where a finding of the report check leads: for a person who may write the report now,
/// the field where it is fixed on the report's page (a goal's assessment, an indicator's
/// outcome, an activity's status) or a section's edit page; else the goal on the page.
fn report_finding_href(place: &Place, report: &str, writable: bool) -> String {
    match place {
        Place::Section { key } if writable => format!("{report}/avsnitt/{key}"),
        Place::Goal { goal } if writable => format!("{report}#bedomning-{goal}"),
        Place::Indicator { indicator, .. } if writable => format!("{report}#utfall-{indicator}"),
        Place::Activity { activity, .. } if writable => {
            format!("{report}#status-{activity}")
        }
        Place::Section { key } => {
            format!("{report}#{}", anchor(&PlanPart::section(key.clone())))
        }
        Place::Goal { goal } | Place::Indicator { goal, .. } | Place::Activity { goal, .. } => {
            format!("{report}#{}", anchor(&PlanPart::goal(*goal)))
        }
    }
}

/// The check's page of a plan or report, with its findings (`refused`: after a refused
/// submit).
pub fn check_page(
    caller: &Caller,
    chain: &[OrgNode],
    doc: &Doc,
    findings: &[Finding],
    refused: bool,
) -> Result<Response, AppError> {
    let href = doc.href();
    let writable = doc.status.open_for_writing() && caller.may(Action::WriteUnitText, chain);
    let line = |f: &Finding| FindingLine {
        message: f.message.clone(),
        href: if doc.is_report() {
            report_finding_href(&f.place, &href, writable)
        } else {
            finding_href(&f.place, &href, writable)
        },
    };
    let page = CheckPage {
        crumbs: doc.crumbs(chain),
        of: doc.of(),
        noun: doc.noun(),
        covers: if doc.is_report() {
            "Kontrollen går igenom rapportens bedömningar, utfall och aktiviteter."
        } else {
            "Kontrollen går igenom planens avsnitt, enhetsmål, indikatorer och aktiviteter."
        },
        status: doc.status.label(),
        summary: findings_summary(findings),
        errors: findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(line)
            .collect(),
        warnings: findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .map(line)
            .collect(),
        refused,
        href,
    };
    let status = if refused {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /enheter/{id}/planer/{year}/kontroll`: the plan check's findings, errors first.
pub async fn check(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year)): PagePath<(String, String)>,
) -> Result<Response, HtmlError> {
    let id = params::node_id("id", &raw_id, "Enhetens nummer")?;
    let year = params::year(&raw_year)?;
    let chain = crate::pages::load_unit(&state, id).await?;
    let doc = state
        .store
        .plan_document(id, year)
        .await?
        .ok_or_else(|| AppError::no_plan(&chain[0].name, year))?;
    caller.authorize(Action::read(doc.plan.status), &chain)?;
    Ok(check_page(
        &caller,
        &chain,
        &Doc::plan(&chain[0], &doc.plan),
        &check_plan(&doc),
        false,
    )?)
}

/// `GET /enheter/{id}/rapporter/{year}/{kind}/kontroll`: the report check's findings.
pub async fn check_report(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year, raw_kind)): PagePath<(String, String, String)>,
) -> Result<Response, HtmlError> {
    let (chain, doc) = crate::doc::load_report(&state, &raw_id, &raw_year, &raw_kind).await?;
    caller.authorize(Action::read(doc.status), &chain)?;
    let Some(kind) = doc.kind else {
        return Err(AppError::Internal("a report without a kind".into()).into());
    };
    let report = state
        .store
        .report_document(doc.unit, doc.year, kind)
        .await?
        .ok_or_else(|| AppError::no_report(&doc.unit_name, kind, doc.year))?;
    Ok(check_page(
        &caller,
        &chain,
        &doc,
        &malkedja_domain::check_report(&report),
        false,
    )?)
}
