//! The HTML pages.

use crate::AppState;
use crate::error::{AppError, HtmlError};
use crate::views::{
    ComplaintLine, Crumb, FactsView, GoalBlock, Level, PlanView, ReportView, SectionBlock, Toc,
    TocEntry, TreeItem, table_of_contents, tree_items,
};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use malkedja_domain::{NodeId, OrgKind, OrgNode, ReportKind, build_tree};

type PageResult = Result<Html<String>, HtmlError>;

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub crumbs: Vec<Crumb>,
    pub title: String,
    pub message: String,
    pub status: u16,
}

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage {
    crumbs: Vec<Crumb>,
    items: Vec<TreeItem>,
    tail: String,
    years: Vec<i32>,
    unit_count: usize,
}

pub async fn index(State(state): State<AppState>) -> PageResult {
    let nodes = state.store.org_nodes().await?;
    let (items, tail) = tree_items(&build_tree(&nodes));
    let page = IndexPage {
        crumbs: Vec::new(),
        items,
        tail,
        years: state.store.years().await?,
        unit_count: nodes.iter().filter(|n| n.kind == OrgKind::Unit).count(),
    };
    Ok(Html(page.render()?))
}

/// Breadcrumbs from the top of the organisation down to (not including) `chain[0]`.
fn crumbs_for(chain: &[OrgNode]) -> Vec<Crumb> {
    let mut crumbs = vec![Crumb {
        href: "/".into(),
        label: "Start".into(),
    }];
    for n in chain.iter().skip(1).rev() {
        crumbs.push(Crumb {
            href: format!("/#nod-{}", n.id),
            label: n.name.clone(),
        });
    }
    crumbs
}

/// Reads a unit id from the address; anything that is not a unit is "not found".
async fn load_unit(state: &AppState, raw: &str) -> Result<Vec<OrgNode>, AppError> {
    let not_found = || AppError::NotFound(format!("Det finns ingen enhet med nummer \"{raw}\"."));
    let id = raw.parse::<i64>().map_err(|_| not_found())?;
    let chain = state.store.chain(NodeId(id)).await?;
    match chain.first() {
        Some(n) if n.kind == OrgKind::Unit => Ok(chain),
        _ => Err(not_found()),
    }
}

struct PlanLink {
    year: i32,
    status: &'static str,
    href: String,
    /// Follow-up reports of the plan: (label, address).
    reports: Vec<(&'static str, String)>,
    /// Headings of sections still without text.
    missing: Vec<String>,
}

#[derive(Template)]
#[template(path = "unit.html")]
struct UnitPage {
    crumbs: Vec<Crumb>,
    unit: OrgNode,
    parent: String,
    facts: Option<FactsView>,
    operations: Vec<(String, Option<FactsView>)>,
    plans: Vec<PlanLink>,
}

pub async fn unit(State(state): State<AppState>, Path(raw): Path<String>) -> PageResult {
    let chain = load_unit(&state, &raw).await?;
    let unit = chain[0].clone();
    let overview = state.store.plan_overview(unit.id).await?;
    // The facts of the newest year that has them.
    let mut facts = None;
    for year in overview.iter().map(|o| o.plan.year) {
        if let Some(f) = state.store.unit_facts(unit.id, year).await? {
            facts = Some(f);
            break;
        }
    }
    let year = facts.as_ref().map(|f| f.year);
    let mut operations = Vec::new();
    for op in state
        .store
        .children(unit.id)
        .await?
        .into_iter()
        .filter(|n| n.kind == OrgKind::Operation)
    {
        let f = match year {
            Some(y) => state.store.unit_facts(op.id, y).await?,
            None => None,
        };
        operations.push((op.name, f.as_ref().map(FactsView::new)));
    }
    let links = overview
        .into_iter()
        .map(|o| PlanLink {
            year: o.plan.year,
            status: o.plan.status.label(),
            href: format!("/enheter/{}/planer/{}", unit.id, o.plan.year),
            reports: o
                .reports
                .into_iter()
                .map(|k| {
                    (
                        k.label(),
                        format!(
                            "/enheter/{}/rapporter/{}/{}",
                            unit.id,
                            o.plan.year,
                            k.slug()
                        ),
                    )
                })
                .collect(),
            missing: o.missing,
        })
        .collect();
    let page = UnitPage {
        crumbs: crumbs_for(&chain),
        parent: chain.get(1).map(|n| n.name.clone()).unwrap_or_default(),
        facts: facts.as_ref().map(FactsView::new),
        operations,
        plans: links,
        unit,
    };
    Ok(Html(page.render()?))
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    crumbs: Vec<Crumb>,
    unit: OrgNode,
    year: i32,
    status: &'static str,
    before: Vec<SectionBlock>,
    goals: Vec<GoalBlock>,
    after: Vec<SectionBlock>,
    toc: Toc,
    missing: usize,
}

pub async fn plan(
    State(state): State<AppState>,
    Path((raw_id, raw_year)): Path<(String, String)>,
) -> PageResult {
    let chain = load_unit(&state, &raw_id).await?;
    let unit = chain[0].clone();
    let no_plan = || {
        AppError::NotFound(format!(
            "{} har ingen verksamhetsplan för år {raw_year}.",
            unit.name
        ))
    };
    let year: i32 = raw_year.parse().map_err(|_| no_plan())?;
    let doc = state
        .store
        .plan_document(unit.id, year)
        .await?
        .ok_or_else(no_plan)?;
    let view = PlanView::new(&doc);
    let mut crumbs = crumbs_for(&chain);
    crumbs.push(Crumb {
        href: format!("/enheter/{}", unit.id),
        label: unit.name.clone(),
    });
    let toc = Toc::new(table_of_contents(&view.before, &view.goals, &view.after));
    let missing = malkedja_domain::missing_sections(&doc.sections_before).len()
        + malkedja_domain::missing_sections(&doc.sections_after).len();
    let page = PlanPage {
        crumbs,
        year,
        status: doc.plan.status.label(),
        before: view.before,
        goals: view.goals,
        after: view.after,
        toc,
        missing,
        unit,
    };
    Ok(Html(page.render()?))
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    crumbs: Vec<Crumb>,
    toc: Toc,
    unit: OrgNode,
    year: i32,
    title: &'static str,
    status: &'static str,
    before: Vec<SectionBlock>,
    goals: Vec<GoalBlock>,
    after: Vec<SectionBlock>,
    complaints: Vec<ComplaintLine>,
}

pub async fn report(
    State(state): State<AppState>,
    Path((raw_id, raw_year, raw_kind)): Path<(String, String, String)>,
) -> PageResult {
    let chain = load_unit(&state, &raw_id).await?;
    let unit = chain[0].clone();
    let no_report = || {
        AppError::NotFound(format!(
            "{} har ingen sådan rapport för år {raw_year}.",
            unit.name
        ))
    };
    let year: i32 = raw_year.parse().map_err(|_| no_report())?;
    let kind = ReportKind::from_slug(&raw_kind).ok_or_else(no_report)?;
    let doc = state
        .store
        .report_document(unit.id, year, kind)
        .await?
        .ok_or_else(no_report)?;
    let view = ReportView::new(&doc);
    let mut crumbs = crumbs_for(&chain);
    crumbs.push(Crumb {
        href: format!("/enheter/{}", unit.id),
        label: unit.name.clone(),
    });
    let mut toc = table_of_contents(&view.before, &view.goals, &view.after);
    if !view.complaints.is_empty() {
        toc.push(TocEntry {
            anchor: "klagomal-rubrik".into(),
            label: "Redovisning av synpunkter och klagomål".into(),
            level: Level(2),
        });
    }
    let page = ReportPage {
        crumbs,
        toc: Toc::new(toc),
        year,
        title: kind.label(),
        status: doc.report.status.label(),
        before: view.before,
        goals: view.goals,
        after: view.after,
        complaints: view.complaints,
        unit,
    };
    Ok(Html(page.render()?))
}

/// When the accessibility statement was last reviewed against this version of Målkedja:
/// (ISO date, as the page says it). Review it, and change this, whenever what the page
/// says changes.
const STATEMENT_REVIEWED: (&str, &str) = ("2026-12-01", "1 december 2026");

#[derive(Template)]
#[template(path = "accessibility.html")]
struct AccessibilityPage {
    crumbs: Vec<Crumb>,
    settings: std::sync::Arc<crate::Settings>,
    version: &'static str,
    reviewed: &'static str,
    reviewed_label: &'static str,
}

/// The accessibility statement (tillgänglighetsredogörelse) that the law on accessible
/// public digital services asks for, with the operator's contact details from the settings.
pub async fn accessibility(State(state): State<AppState>) -> PageResult {
    let page = AccessibilityPage {
        crumbs: vec![Crumb {
            href: "/".into(),
            label: "Start".into(),
        }],
        settings: state.settings.clone(),
        version: env!("CARGO_PKG_VERSION"),
        reviewed: STATEMENT_REVIEWED.0,
        reviewed_label: STATEMENT_REVIEWED.1,
    };
    Ok(Html(page.render()?))
}
