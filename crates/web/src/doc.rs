//! A plan or a follow-up report, as the pages both have see it: the workflow box and its
//! steps (`workflow.rs`), ready marks and the check (`ready.rs`), the history
//! (`history.rs`). What differs between the two — the address, the title, what the pages
//! call it — is here, so that those pages are written once.

use crate::AppState;
use crate::error::AppError;
use crate::params::{self, KindName};
use crate::views::Crumb;
use malkedja_domain::{NodeId, OrgNode, Plan, PlanStatus, Report, ReportKind};
use malkedja_store::DocRef;

/// A unit's plan or report of a year, with its status and version.
#[derive(Debug, Clone)]
pub struct Doc {
    pub doc: DocRef,
    pub unit: NodeId,
    pub unit_name: String,
    pub year: i32,
    /// The report's kind; `None` for a plan.
    pub kind: Option<ReportKind>,
    pub status: PlanStatus,
    pub version: i64,
}

impl Doc {
    pub fn plan(unit: &OrgNode, plan: &Plan) -> Doc {
        Doc {
            doc: DocRef::Plan(plan.id),
            unit: unit.id,
            unit_name: unit.name.clone(),
            year: plan.year,
            kind: None,
            status: plan.status,
            version: plan.version,
        }
    }

    pub fn report(unit: &OrgNode, year: i32, report: &Report) -> Doc {
        Doc {
            doc: DocRef::Report(report.id),
            unit: unit.id,
            unit_name: unit.name.clone(),
            year,
            kind: Some(report.kind),
            status: report.status,
            version: report.version,
        }
    }

    /// The document's page: `/enheter/7/planer/2026`, `/enheter/7/rapporter/2026/t1`.
    pub fn href(&self) -> String {
        match self.kind {
            None => format!("/enheter/{}/planer/{}", self.unit, self.year),
            Some(k) => crate::pages::report_href(self.unit, self.year, k),
        }
    }

    /// "Verksamhetsplan 2026", "Tertialrapport 1 2026".
    pub fn title(&self) -> String {
        match self.kind {
            None => format!("Verksamhetsplan {}", self.year),
            Some(k) => format!("{} {}", k.label(), self.year),
        }
    }

    /// "Verksamhetsplan 2026 för Enheten".
    pub fn of(&self) -> String {
        format!("{} för {}", self.title(), self.unit_name)
    }

    /// What the pages call it in a sentence: "planen", "rapporten".
    pub fn noun(&self) -> &'static str {
        if self.kind.is_some() {
            "rapporten"
        } else {
            "planen"
        }
    }

    /// The same at the start of a sentence: "Planen", "Rapporten".
    pub fn noun_capital(&self) -> &'static str {
        if self.kind.is_some() {
            "Rapporten"
        } else {
            "Planen"
        }
    }

    /// What the workflow's messages call it: "Planen", "Tertialrapport 1",
    /// "Verksamhetsberättelsen".
    pub fn workflow_doc(&self) -> malkedja_domain::WorkflowDoc {
        match self.kind {
            None => malkedja_domain::WorkflowDoc::Plan,
            Some(k) => malkedja_domain::WorkflowDoc::Report(k),
        }
    }

    pub fn is_report(&self) -> bool {
        self.kind.is_some()
    }

    /// Why its writers cannot change it now, or `None` when they can.
    pub fn locked_reason(&self) -> Option<&'static str> {
        match self.kind {
            None => malkedja_domain::locked_reason(self.status),
            Some(_) => malkedja_store::report_locked_reason(self.status),
        }
    }

    /// The breadcrumbs of a page about the document: the organisation down to the unit,
    /// then the document itself.
    pub fn crumbs(&self, chain: &[OrgNode]) -> Vec<Crumb> {
        let mut crumbs = crate::pages::crumbs_for(chain);
        crumbs.push(Crumb {
            href: format!("/enheter/{}", self.unit),
            label: self.unit_name.clone(),
        });
        crumbs.push(Crumb {
            href: self.href(),
            label: self.title(),
        });
        crumbs
    }

    /// The document's history page.
    pub fn history_href(&self) -> String {
        match self.kind {
            None => crate::history::plan_href(self.unit, self.year),
            Some(_) => format!("{}/historik", self.href()),
        }
    }
}

/// A unit's report named by a page's address (`/enheter/{id}/rapporter/{year}/{kind}`),
/// with the unit's chain: 400 for what cannot name one, 404 for a unit or report that does
/// not exist. Nothing is authorised here.
pub async fn load_report(
    state: &AppState,
    raw_id: &str,
    raw_year: &str,
    raw_kind: &str,
) -> Result<(Vec<OrgNode>, Doc), AppError> {
    let id = params::node_id("id", raw_id, "Enhetens nummer")?;
    let year = params::year(raw_year)?;
    let (kind, _) = params::report_kind(raw_kind, KindName::Slug)?;
    let chain = crate::pages::load_unit(state, id).await?;
    let report = state
        .store
        .report_of(id, year, kind)
        .await?
        .ok_or_else(|| AppError::no_report(&chain[0].name, kind, year))?;
    let doc = Doc::report(&chain[0], year, &report);
    Ok((chain, doc))
}

/// A unit's plan named by a page's address (`/enheter/{id}/planer/{year}`), with the
/// unit's chain.
pub async fn load_plan(
    state: &AppState,
    raw_id: &str,
    raw_year: &str,
) -> Result<(Vec<OrgNode>, Doc), AppError> {
    let id = params::node_id("id", raw_id, "Enhetens nummer")?;
    let year = params::year(raw_year)?;
    let chain = crate::pages::load_unit(state, id).await?;
    let plan = state
        .store
        .plan(id, year)
        .await?
        .ok_or_else(|| AppError::no_plan(&chain[0].name, year))?;
    let doc = Doc::plan(&chain[0], &plan);
    Ok((chain, doc))
}
