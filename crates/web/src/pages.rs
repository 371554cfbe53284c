//! The HTML pages.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, HtmlError};
use crate::params::{self, KindName, PagePath};
use crate::views::{
    ComplaintLine, Crumb, FactsView, GoalBlock, Level, PlanView, ReportView, SectionBlock, Toc,
    TocEntry, TreeItem, table_of_contents, tree_items,
};
use askama::Template;
use axum::extract::State;
use axum::http::Uri;
use axum::response::{Html, IntoResponse, Redirect, Response};
use malkedja_domain::{Action, NodeId, OrgKind, OrgNode, ReportKind, build_tree};

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
    /// No one can administer Målkedja yet: the page says how to make the first admin.
    no_admin: bool,
    /// A signed-in person's "Mitt arbete".
    work: Option<crate::my_work::MyWork>,
}

pub async fn index(State(state): State<AppState>, caller: Caller) -> PageResult {
    let nodes = state.store.org_nodes().await?;
    let no_admin = !state.store.has_admin().await?;
    let work = crate::my_work::load(&state, &caller, &nodes).await?;
    let (items, tail) = tree_items(&build_tree(&nodes));
    let page = IndexPage {
        crumbs: Vec::new(),
        items,
        tail,
        years: state.store.years().await?,
        unit_count: nodes.iter().filter(|n| n.kind == OrgKind::Unit).count(),
        no_admin,
        work,
    };
    Ok(Html(page.render()?))
}

/// Breadcrumbs from the top of the organisation down to (not including) `chain[0]`.
pub(crate) fn crumbs_for(chain: &[OrgNode]) -> Vec<Crumb> {
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

/// Breadcrumbs of a page about a unit's plan: from the top down to the plan itself.
pub(crate) fn plan_crumbs(chain: &[OrgNode], year: i32) -> Vec<Crumb> {
    let mut crumbs = crumbs_for(chain);
    if let Some(unit) = chain.first() {
        crumbs.push(Crumb {
            href: format!("/enheter/{}", unit.id),
            label: unit.name.clone(),
        });
        crumbs.push(Crumb {
            href: format!("/enheter/{}/planer/{year}", unit.id),
            label: format!("Verksamhetsplan {year}"),
        });
    }
    crumbs
}

pub(crate) fn unit_id(raw: &str) -> Result<NodeId, AppError> {
    params::node_id("id", raw, "Enhetens nummer")
}

/// The unit `id` names and its ancestors; anything that is not a unit is "not found".
pub(crate) async fn load_unit(state: &AppState, id: NodeId) -> Result<Vec<OrgNode>, AppError> {
    let chain = state.store.chain(id).await?;
    match chain.first() {
        Some(n) if n.kind == OrgKind::Unit => Ok(chain),
        _ => Err(AppError::NotFound(format!(
            "Det finns ingen enhet med nummer {id}."
        ))),
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
    /// Whether the caller may read the plan (a draft needs a role on the unit).
    readable: bool,
    /// How many of its parts are marked ready, while it is not yet approved.
    completion: Option<malkedja_domain::Completion>,
    /// For a writer of the unit: the reports of an approved plan not yet made, each with
    /// the address that makes it and the button's text.
    create: Vec<(String, String)>,
    /// For a writer of the unit: why no report can be made from the plan yet.
    no_reports_yet: bool,
}

#[derive(Template)]
#[template(path = "unit.html")]
struct UnitPage {
    crumbs: Vec<Crumb>,
    unit: OrgNode,
    parent: String,
    facts: Option<FactsView>,
    /// Each operation: its name, "Avvecklad …" when closed, its facts.
    operations: Vec<(String, Option<String>, Option<FactsView>)>,
    plans: Vec<PlanLink>,
    /// "Utgå från förra årets plan", for a writer: (year, address) of each plan that can
    /// start from the year before's.
    carry: Vec<(i32, String)>,
}

pub async fn unit(
    State(state): State<AppState>,
    caller: Caller,
    PagePath(raw): PagePath<String>,
) -> PageResult {
    let id = unit_id(&raw)?;
    let Some(o) = state.store.unit_overview(id).await? else {
        return Err(AppError::NotFound(format!("Det finns ingen enhet med nummer {id}.")).into());
    };
    let chain = o.chain;
    let unit = chain[0].clone();
    let overview = o.plans;
    let facts = o.facts;
    let operations: Vec<(String, Option<String>, Option<FactsView>)> = o
        .operations
        .into_iter()
        .map(|(op, f)| {
            let closed = op.closed_text();
            (op.name, closed, f.as_ref().map(FactsView::new))
        })
        .collect();
    let writes = caller.may(Action::WriteUnitText, &chain) && unit.closed.is_none();
    let links = overview
        .into_iter()
        .map(|o| PlanLink {
            create: if writes && o.plan.status == malkedja_domain::PlanStatus::Approved {
                ReportKind::ALL
                    .into_iter()
                    .filter(|k| !o.reports.contains(k))
                    .map(|k| {
                        (
                            report_href(unit.id, o.plan.year, k),
                            crate::report_writing::create_label(k, o.plan.year),
                        )
                    })
                    .collect()
            } else {
                Vec::new()
            },
            no_reports_yet: writes && o.plan.status != malkedja_domain::PlanStatus::Approved,
            year: o.plan.year,
            status: o.plan.status.label(),
            href: format!("/enheter/{}/planer/{}", unit.id, o.plan.year),
            reports: o
                .reports
                .into_iter()
                .map(|k| (k.label(), report_href(unit.id, o.plan.year, k)))
                .collect(),
            readable: caller.may(Action::read(o.plan.status), &chain),
            completion: (o.plan.status != malkedja_domain::PlanStatus::Approved)
                .then_some(o.completion),
            missing: o.missing,
        })
        .collect();
    let carry = if caller.may(Action::WriteUnitText, &chain) {
        state
            .store
            .carry_offers(unit.id)
            .await?
            .into_iter()
            .map(|y| (y, carry_href(unit.id, y)))
            .collect()
    } else {
        Vec::new()
    };
    let page = UnitPage {
        carry,
        crumbs: crumbs_for(&chain),
        parent: chain.get(1).map(|n| n.name.clone()).unwrap_or_default(),
        facts: facts.as_ref().map(FactsView::new),
        operations,
        plans: links,
        unit,
    };
    Ok(Html(page.render()?))
}

/// The address of "Utgå från förra årets plan" for a unit's plan of a year.
fn carry_href(unit: NodeId, year: i32) -> String {
    format!("/enheter/{unit}/planer/{year}/utga-fran-forra-aret")
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    crumbs: Vec<Crumb>,
    unit: OrgNode,
    year: i32,
    /// The document body up to the workflow box, and after it (`plan_body.html`, or the
    /// approved plan's archive copy).
    head: String,
    main: String,
    workflow: crate::workflow::WorkflowView,
    /// Where the plan's pages for writing begin (`/enheter/{id}/planer/{year}`), when the
    /// caller may write it now.
    writing: Option<String>,
    /// "Utgå från förra årets plan": offered to a writer on an empty draft when the year
    /// before has a plan.
    carry: Option<String>,
    downloads: Vec<crate::downloads::Link>,
}

/// The document body of a plan's page (`plan_body.html`): what the page shows of the plan
/// itself, and what an approved plan's archive copy keeps.
#[derive(Template)]
#[template(path = "plan_body.html")]
struct PlanBody {
    unit: OrgNode,
    year: i32,
    status: &'static str,
    before: Vec<SectionBlock>,
    goals: Vec<GoalBlock>,
    after: Vec<SectionBlock>,
    toc: Toc,
    missing: usize,
    /// The plan holds only the reports of its year: no planning texts were imported.
    reports_only: bool,
}

impl PlanBody {
    fn new(doc: &malkedja_domain::PlanDocument, view: PlanView) -> PlanBody {
        let toc = Toc::new(table_of_contents(&view.before, &view.goals, &view.after));
        PlanBody {
            unit: doc.unit.clone(),
            year: doc.plan.year,
            status: doc.plan.status.label(),
            reports_only: doc.plan.origin == malkedja_domain::PlanOrigin::Report,
            missing: malkedja_domain::missing_sections(&doc.sections_before).len()
                + malkedja_domain::missing_sections(&doc.sections_after).len(),
            before: view.before,
            goals: view.goals,
            after: view.after,
            toc,
        }
    }
}

/// The HTML body of a plan's page as anyone reads it (no links for writing): what an
/// approved plan's archive copy keeps.
pub(crate) fn plan_body_html(doc: &malkedja_domain::PlanDocument) -> Result<String, AppError> {
    Ok(PlanBody::new(doc, PlanView::new(doc)).render()?)
}

/// Splits a document body at the place of the page's live parts (`crate::archive::SLOT`).
fn split_body(html: &str) -> (String, String) {
    match html.split_once(crate::archive::SLOT) {
        Some((head, main)) => (head.to_string(), main.to_string()),
        None => (String::new(), html.to_string()),
    }
}

pub async fn plan(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year)): PagePath<(String, String)>,
    uri: Uri,
) -> PageResult {
    let id = unit_id(&raw_id)?;
    let year = params::year(&raw_year)?;
    let chain = load_unit(&state, id).await?;
    let unit = chain[0].clone();
    let mut crumbs = crumbs_for(&chain);
    crumbs.push(Crumb {
        href: format!("/enheter/{}", unit.id),
        label: unit.name.clone(),
    });
    let downloads = crate::downloads::plan_links(unit.id, year, &unit.name);
    let plan = state
        .store
        .plan(unit.id, year)
        .await?
        .ok_or_else(|| AppError::no_plan(&unit.name, year))?;
    if plan.status == malkedja_domain::PlanStatus::Approved {
        // An approved plan reads as its archive copy: the body frozen at approval.
        caller.authorize(Action::read(plan.status), &chain)?;
        let body = crate::archive::frozen_text(
            &state,
            malkedja_store::DocRef::Plan(plan.id),
            malkedja_store::FrozenPart::Html,
        )
        .await?;
        let (head, main) = split_body(&body);
        let workflow = crate::workflow::view(
            &state,
            &caller,
            &crate::doc::Doc::plan(&unit, &plan),
            &chain,
        )
        .await?;
        let page = PlanPage {
            crumbs,
            unit,
            year,
            head,
            main,
            workflow,
            writing: None,
            carry: None,
            downloads,
        };
        return Ok(Html(page.render()?));
    }
    let doc = state
        .store
        .plan_document(unit.id, year)
        .await?
        .ok_or_else(|| AppError::no_plan(&unit.name, year))?;
    caller.authorize(Action::read(doc.plan.status), &chain)?;
    let mut workflow = crate::workflow::view(
        &state,
        &caller,
        &crate::doc::Doc::plan(&unit, &doc.plan),
        &chain,
    )
    .await?;
    let mut view = PlanView::new(&doc);
    crate::ready::decorate(&state, &caller, &doc, &chain, &mut view, &mut workflow).await?;
    let writable = doc.plan.status.open_for_writing()
        && doc.unit.closed.is_none()
        && caller.may(Action::WriteUnitText, &chain);
    // `?sparat=<key>`: the section just saved, which the page confirms at the section.
    let saved = uri
        .query()
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "sparat"))
        .map(|(_, v)| v.into_owned());
    if writable {
        for s in view.before.iter_mut().chain(view.after.iter_mut()) {
            s.edit = Some(format!(
                "/enheter/{}/planer/{year}/avsnitt/{}",
                unit.id, s.key
            ));
            s.saved = saved.as_deref() == Some(s.key.as_str());
        }
    }
    if writable {
        offer_writing(&mut view.goals, unit.id, year);
    }
    let carry = if writable && state.store.carry_offers(unit.id).await?.contains(&year) {
        Some(carry_href(unit.id, year))
    } else {
        None
    };
    let (head, main) = split_body(&PlanBody::new(&doc, view).render()?);
    let page = PlanPage {
        writing: writable.then(|| format!("/enheter/{}/planer/{year}", unit.id)),
        crumbs,
        year,
        head,
        main,
        workflow,
        carry,
        downloads,
        unit,
    };
    Ok(Html(page.render()?))
}

/// What a writer of the unit's plan may do on each goal: write its own goals (edit, move,
/// remove, add indicators and activities), add its goals under the board's and the
/// department's, and edit its own indicators and activities.
fn offer_writing(goals: &mut [crate::views::GoalBlock], unit: NodeId, year: i32) {
    use malkedja_domain::GoalLevel;
    // The unit's goals under the same goal sit next to each other in page order.
    let own: Vec<usize> = (0..goals.len()).filter(|i| !goals[*i].inherited).collect();
    for (n, &i) in own.iter().enumerate() {
        let prev = n.checked_sub(1).map(|p| own[p]);
        let next = own.get(n + 1).copied();
        goals[i].writing = Some(crate::views::GoalWriting {
            own: true,
            first: prev.is_none_or(|p| p + 1 != i),
            last: next.is_none_or(|x| x != i + 1),
            add_goal: None,
        });
    }
    for g in goals.iter_mut() {
        if g.inherited && matches!(g.goal_level, GoalLevel::Board | GoalLevel::Department) {
            g.writing = Some(crate::views::GoalWriting {
                add_goal: Some(format!(
                    "/organisation/{unit}/mal/{year}/nytt?under={}",
                    g.id
                )),
                ..Default::default()
            });
        }
        let own = |owner: NodeId| owner == unit;
        let own_indicators: Vec<(usize, i64)> = g
            .indicators
            .iter()
            .enumerate()
            .filter(|(_, i)| own(i.owner))
            .map(|(n, i)| (n, i.id))
            .collect();
        for (k, &(n, id)) in own_indicators.iter().enumerate() {
            g.indicators[n].writing = Some(item_writing(
                format!("/indikatorer/{id}"),
                k,
                own_indicators.len(),
            ));
        }
        let own_activities: Vec<(usize, i64)> = g
            .activities
            .iter()
            .enumerate()
            .filter(|(_, a)| own(a.owner))
            .map(|(n, a)| (n, a.id))
            .collect();
        for (k, &(n, id)) in own_activities.iter().enumerate() {
            g.activities[n].writing = Some(item_writing(
                format!("/aktiviteter/{id}"),
                k,
                own_activities.len(),
            ));
        }
    }
}

/// The `k`th of `count` items of the unit's own on a goal (they move among themselves).
fn item_writing(edit: String, k: usize, count: usize) -> crate::views::ItemWriting {
    crate::views::ItemWriting {
        edit,
        first: k == 0,
        last: k + 1 == count,
    }
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    crumbs: Vec<Crumb>,
    unit: OrgNode,
    year: i32,
    title: &'static str,
    /// The document body before and after the place of the page's live parts
    /// (`report_body.html`, or the approved report's archive copy).
    head: String,
    main: String,
    workflow: crate::workflow::WorkflowView,
    /// The memo header's edit page, for a writer of an open report.
    memo: Option<String>,
    /// The report is written on this page: the forms need the page's script.
    writing: bool,
    downloads: Vec<crate::downloads::Link>,
}

/// The document body of a report's page (`report_body.html`).
#[derive(Template)]
#[template(path = "report_body.html")]
struct ReportBody {
    toc: Toc,
    unit: OrgNode,
    year: i32,
    title: &'static str,
    status: &'static str,
    before: Vec<SectionBlock>,
    goals: Vec<GoalBlock>,
    after: Vec<SectionBlock>,
    complaints: Vec<ComplaintLine>,
    economy: Option<crate::views::EconomyView>,
}

/// Renders a report's body from its view (read as printed, or with the forms of writing).
pub(crate) fn render_report_body(
    doc: &malkedja_domain::ReportDocument,
    view: ReportView,
) -> Result<String, AppError> {
    // The economy after the goals, before the sections that follow them.
    let mut toc = table_of_contents(&view.before, &view.goals, &[]);
    if view.economy.is_some() {
        toc.push(crate::report_writing::economy_toc(Level(2)));
    }
    toc.extend(table_of_contents(&[], &[], &view.after));
    if !view.complaints.is_empty() {
        toc.push(TocEntry {
            anchor: "klagomal-rubrik".into(),
            label: "Redovisning av synpunkter och klagomål".into(),
            level: Level(2),
        });
    }
    let body = ReportBody {
        toc: Toc::new(toc),
        unit: doc.unit.clone(),
        year: doc.year,
        title: doc.report.kind.label(),
        status: doc.report.status.label(),
        before: view.before,
        goals: view.goals,
        after: view.after,
        complaints: view.complaints,
        economy: view.economy,
    };
    Ok(body.render()?)
}

/// The HTML body of a report's page as anyone reads it (no forms): what an approved
/// report's archive copy keeps.
pub(crate) fn report_body_html(doc: &malkedja_domain::ReportDocument) -> Result<String, AppError> {
    render_report_body(doc, ReportView::new(doc, false))
}

/// The address of a unit's report page.
pub(crate) fn report_href(unit: NodeId, year: i32, kind: ReportKind) -> String {
    format!("/enheter/{unit}/rapporter/{year}/{}", kind.slug())
}

/// A report. The API's names of the kinds (`tertial1`, `tertial2`, `annual_report`) are
/// answered with a permanent redirect to the page's own name (`t1`, `t2`, `vb`). For a
/// person who may write the unit's follow-up while it is open, the page is where it is
/// written (`report_writing.rs`); an approved report reads as its archive copy. A report
/// that does not exist is offered to be created from the approved plan.
pub async fn report(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year, raw_kind)): PagePath<(String, String, String)>,
    uri: Uri,
) -> Result<Response, HtmlError> {
    let id = unit_id(&raw_id)?;
    let year = params::year(&raw_year)?;
    let (kind, named) = params::report_kind(&raw_kind, KindName::Slug)?;
    if named == KindName::Code {
        return Ok(Redirect::permanent(&report_href(id, year, kind)).into_response());
    }
    let chain = load_unit(&state, id).await?;
    let unit = chain[0].clone();
    let mut crumbs = crumbs_for(&chain);
    crumbs.push(Crumb {
        href: format!("/enheter/{}", unit.id),
        label: unit.name.clone(),
    });
    let Some(report) = state.store.report_of(unit.id, year, kind).await? else {
        return Ok(crate::report_writing::missing(&state, &caller, &chain, year, kind).await?);
    };
    caller.authorize(Action::read(report.status), &chain)?;
    let doc = crate::doc::Doc::report(&unit, year, &report);
    let mut workflow = crate::workflow::view(&state, &caller, &doc, &chain).await?;
    let open = report.status.open_for_writing();
    let writable = open && unit.closed.is_none() && caller.may(Action::WriteUnitText, &chain);
    let body = if report.status == malkedja_domain::PlanStatus::Approved {
        crate::archive::frozen_text(
            &state,
            malkedja_store::DocRef::Report(report.id),
            malkedja_store::FrozenPart::Html,
        )
        .await?
    } else {
        let rdoc = state
            .store
            .report_document(unit.id, year, kind)
            .await?
            .ok_or_else(|| AppError::no_report(&unit.name, kind, year))?;
        let findings = malkedja_domain::check_report(&rdoc);
        workflow.check = Some(crate::ready::CheckSummary {
            summary: malkedja_domain::findings_summary(&findings),
            errors: malkedja_domain::check_errors(&findings).len(),
            href: format!("{}/kontroll", doc.href()),
        });
        if writable {
            let (body, completion) =
                crate::report_writing::writing_body(&state, &doc, &rdoc, &uri).await?;
            workflow.completion = Some(completion);
            body
        } else {
            if open {
                workflow.completion =
                    Some(crate::report_writing::reading_completion(&state, &doc, &rdoc).await?);
            }
            report_body_html(&rdoc)?
        }
    };
    let (head, main) = split_body(&body);
    let page = ReportPage {
        crumbs,
        year,
        title: kind.label(),
        head,
        main,
        workflow,
        memo: writable.then(|| format!("{}/dokumenthuvud", report_href(unit.id, year, kind))),
        writing: writable,
        downloads: crate::downloads::report_links(unit.id, year, kind, &unit.name),
        unit,
    };
    Ok(Html(page.render()?).into_response())
}

/// When the accessibility statement was last reviewed against this version of Målkedja:
/// (ISO date, as the page says it). Review it, and change this, whenever what the page
/// says changes.
const STATEMENT_REVIEWED: (&str, &str) = ("2026-12-02", "2 december 2026");

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
