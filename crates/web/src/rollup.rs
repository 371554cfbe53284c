//! The roll-up (*sammanställning*) of a board, administration or department: every unit
//! under it at once, for a year and a kind of report (`/organisation/{id}/uppfoljning/
//! {year}/{kind}`), as a page, an Excel workbook (`…/{kind}.xlsx`) and through the API
//! (`GET /api/v1/org/{id}/rollup/{year}/{kind}`); and the node's own assessment and
//! analysis of a goal, written beside the units' analyses of it (`…/{kind}/mal/{goal}`,
//! `PUT /api/v1/org/{id}/rollup/{year}/{kind}/goals/{goal_id}/assessment`).
//!
//! **Who sees what** is the policy's, asked through `Caller::authorize` and `Caller::may`:
//! the roll-up itself is public (`Action::ReadPublished` on the node); each unit's report
//! is shown as `Action::read(status)` on the unit's chain allows (an approved report to
//! anyone, any other to a role on the unit or above it), and a report the reader may not
//! read counts in no tally, sum or spread (`malkedja_domain::build_rollup`). The node's own
//! assessments have no approval of their own: they are shown to a role on the node
//! (`Action::ReadDraft`) and written by `Action::WriteBoardGoals` on it.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, HtmlError};
use crate::forms::{FormErrors, respond};
use crate::params::{self, KindName, PagePath};
use crate::views::Crumb;
use askama::Template;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use malkedja_domain::{
    Action, Aggregation, Assessment, Block, Cell, GoalId, NodeId, OrgNode, ReportKind, Rollup,
    RollupAssessment, RollupData, STANDINGS, Standing, ValueKind, blocks, build_rollup,
    format_decimal_sv, has_rollup,
};
use malkedja_store::StoreError;
use serde::Deserialize;

/// The address of a node's roll-up page.
pub fn href(node: NodeId, year: i32, kind: ReportKind) -> String {
    format!("/organisation/{node}/uppfoljning/{year}/{}", kind.slug())
}

/// The address of the page of a node's own assessment of a goal.
pub fn goal_href(node: NodeId, year: i32, kind: ReportKind, goal: GoalId) -> String {
    format!("{}/mal/{goal}", href(node, year, kind))
}

pub(crate) fn node_id(raw: &str) -> Result<NodeId, AppError> {
    params::node_id("id", raw, "Organisationsnodens nummer")
}

fn no_rollup(node: &OrgNode) -> AppError {
    AppError::NotFound(format!(
        "{} har ingen sammanställning: den finns för staden, nämnder, förvaltningar och avdelningar.",
        node.name
    ))
}

/// The node `id` names, from it up to the root, if it has a roll-up: 404 otherwise.
pub(crate) async fn rollup_chain(state: &AppState, id: NodeId) -> Result<Vec<OrgNode>, AppError> {
    let chain = state.store.chain(id).await?;
    match chain.first() {
        None => Err(AppError::NotFound(format!(
            "Det finns ingen del av organisationen med nummer {id}."
        ))),
        Some(n) if !has_rollup(n.kind) => Err(no_rollup(n)),
        Some(_) => Ok(chain),
    }
}

/// A roll-up as the caller may see it, with what it was built from.
pub(crate) struct Loaded {
    pub rollup: Rollup,
    pub data: RollupData,
    /// The caller may see the node's own assessments.
    pub sees_own: bool,
}

/// Reads and builds the roll-up of `node` for the caller: 404 for a node that does not
/// exist or has no roll-up, and for a year that is not a planning year.
pub(crate) async fn load(
    state: &AppState,
    caller: &Caller,
    node: NodeId,
    year: i32,
    kind: ReportKind,
    analyses_of: Option<GoalId>,
) -> Result<Loaded, AppError> {
    let data = state
        .store
        .rollup(node, year, kind, analyses_of)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!(
                "Det finns ingen del av organisationen med nummer {node}."
            ))
        })?;
    let top = &data.chain[0];
    if !has_rollup(top.kind) {
        return Err(no_rollup(top));
    }
    caller.authorize(Action::ReadPublished, &data.chain)?;
    if !state.store.years().await?.contains(&year) {
        return Err(AppError::NotFound(format!(
            "{year} är inget planeringsår i Målkedja."
        )));
    }
    let today = time::OffsetDateTime::now_utc().date();
    let mut rollup = build_rollup(&data, today, &|chain, status| {
        caller.may(Action::read(status), chain)
    });
    let sees_own = caller.may(Action::ReadDraft, &data.chain);
    if !sees_own {
        rollup.own.clear();
    }
    Ok(Loaded {
        rollup,
        data,
        sees_own,
    })
}

/// A kind named in a page's address: its slug (`vb`), or its code, which is answered with
/// a permanent redirect to the slug.
fn page_kind(raw: &str) -> Result<(ReportKind, bool), AppError> {
    let (kind, named) = params::report_kind(raw, KindName::Slug)?;
    Ok((kind, named == KindName::Code))
}

fn crumbs(chain: &[OrgNode]) -> Vec<Crumb> {
    let mut c = crate::pages::crumbs_for(chain);
    if let Some(n) = chain.first() {
        c.push(Crumb {
            href: format!("/#nod-{}", n.id),
            label: n.name.clone(),
        });
    }
    c
}

/// The address of a node's list of roll-ups.
pub fn index_href(node: NodeId) -> String {
    format!("/organisation/{node}/uppfoljning")
}

#[derive(Template)]
#[template(path = "rollup_index.html")]
struct IndexPage {
    crumbs: Vec<Crumb>,
    node: String,
    /// Each planning year, newest first, with its roll-ups: (year, [(label, address)]).
    years: Vec<(i32, Vec<(&'static str, String)>)>,
}

/// `GET /organisation/{id}/uppfoljning`: the roll-ups of a node, by year and report.
pub async fn index(
    State(state): State<AppState>,
    caller: Caller,
    PagePath(raw_id): PagePath<String>,
) -> Result<Response, HtmlError> {
    let node = node_id(&raw_id)?;
    let chain = rollup_chain(&state, node).await?;
    caller.authorize(Action::ReadPublished, &chain)?;
    let mut years = state.store.years().await?;
    years.reverse();
    let page = IndexPage {
        crumbs: crumbs(&chain),
        node: chain[0].name.clone(),
        years: years
            .into_iter()
            .map(|y| {
                (
                    y,
                    ReportKind::ALL
                        .iter()
                        .map(|k| (k.label(), href(node, y, *k)))
                        .collect(),
                )
            })
            .collect(),
    };
    Ok(axum::response::Html(page.render().map_err(AppError::from)?).into_response())
}

// ---- the page ----

/// A cell of the matrix.
struct CellView {
    code: &'static str,
    symbol: &'static str,
    word: &'static str,
    href: Option<String>,
}

/// Units that sit in the same place ("Förvaltningen › Avdelning A"), in the tree's order.
struct RowGroup {
    path: String,
    rows: Vec<RowView>,
}

struct RowView {
    name: String,
    href: String,
    standing: &'static str,
    standing_code: &'static str,
    deadline: Option<String>,
    cells: Vec<CellView>,
}

struct GoalView {
    anchor: String,
    short: String,
    /// "Nämndmål: Alla barn …"
    name: String,
    depth: usize,
    own: bool,
    /// (label, count) of the kinds of cell that occur.
    tally: Vec<(&'static str, &'static str, usize)>,
    /// The node's own assessment, when the reader may see it and one is written.
    own_assessment: Option<(&'static str, &'static str, &'static str)>,
    own_analysis: Vec<Block>,
    /// The page of the units' analyses and the node's own assessment.
    page: String,
    /// Its own assessment was just saved.
    saved: bool,
}

struct IndicatorView {
    name: String,
    goal: String,
    kind: &'static str,
    /// "Summa 1 234 personer", or why there is none.
    combined: String,
    /// Women and men, for counts.
    split: Option<String>,
    listed: bool,
    rule: &'static str,
    min: Option<(String, String)>,
    max: Option<(String, String)>,
    /// "12 av 14"
    units: String,
    /// Each unit's outcome: (unit, outcome, the unit's chart of the indicator).
    values: Vec<(String, String, String)>,
    /// A summed indicator's course over the periods.
    chart: Option<crate::indicator_history::ChartView>,
}

#[derive(Template)]
#[template(path = "rollup.html")]
struct RollupPage {
    crumbs: Vec<Crumb>,
    node: String,
    node_kind: &'static str,
    year: i32,
    kind: &'static str,
    /// The other kinds of report of the year: (label, address, current).
    kinds: Vec<(&'static str, String, bool)>,
    xlsx: String,
    api: String,
    standings: Vec<(&'static str, &'static str, usize)>,
    legend: Vec<(&'static str, &'static str, &'static str, &'static str)>,
    goals: Vec<GoalView>,
    groups: Vec<RowGroup>,
    /// Columns of the matrix: the unit, its standing and one per goal.
    columns: usize,
    indicators: Vec<IndicatorView>,
    /// Whether a summed indicator has a chart of its course.
    has_charts: bool,
    /// How many reports the reader may not read, and whether they are signed in.
    hidden: usize,
    signed_in: bool,
    sees_own: bool,
    /// The caller may write the node's own assessments.
    can_write: bool,
    own_name: &'static str,
}

fn standing_code(s: Standing) -> &'static str {
    match s {
        Standing::NotStarted => "not-started",
        Standing::Draft => "draft",
        Standing::Submitted => "submitted",
        Standing::Approved => "approved",
        Standing::Late => "late",
    }
}

fn iso(d: time::Date) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    d.format(&fmt).unwrap_or_default()
}

/// "Nämndens", "Förvaltningens", "Avdelningens", "Stadens": whose own assessment.
pub(crate) fn owner_genitive(kind: malkedja_domain::OrgKind) -> &'static str {
    use malkedja_domain::OrgKind as K;
    match kind {
        K::City => "Stadens",
        K::Board => "Nämndens",
        K::Administration => "Förvaltningens",
        K::Department => "Avdelningens",
        K::Unit | K::Operation => "Enhetens",
    }
}

/// A number as the page writes it, with the indicator's unit ("58,84 %", "1 234 personer").
fn measure(value: malkedja_domain::Decimal, kind: ValueKind, unit: Option<&str>) -> String {
    let n = format_decimal_sv(value);
    match (kind, unit.map(str::trim).filter(|u| !u.is_empty())) {
        (ValueKind::Percent, _) => format!("{n} %"),
        (_, Some(u)) => format!("{n} {u}"),
        _ => n,
    }
}

fn goal_name(g: &malkedja_domain::Goal) -> String {
    match g.number.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => format!("{} {n} {}", g.level.heading_prefix(), g.title),
        None => format!("{}: {}", g.level.heading_prefix(), g.title),
    }
}

impl RollupPage {
    fn new(l: &Loaded, caller: &Caller, saved: Option<String>) -> RollupPage {
        let r = &l.rollup;
        let node = r.node();
        let goal_views: Vec<GoalView> = r
            .goals
            .iter()
            .map(|g| {
                let own = r.own.get(&g.goal.id);
                GoalView {
                    anchor: format!("mal-{}", g.goal.id),
                    short: g.short.clone(),
                    name: goal_name(&g.goal),
                    depth: g.depth.min(3),
                    own: g.own,
                    tally: Cell::LEGEND
                        .iter()
                        .zip(g.tally.counts())
                        .filter(|(_, n)| *n > 0)
                        .map(|(c, n)| (c.symbol(), c.label(), n))
                        .collect(),
                    own_assessment: own.and_then(|a| a.assessment).map(|a| {
                        let c = Cell::Assessed {
                            assessment: a,
                            analysis: false,
                        };
                        (c.code(), c.symbol(), a.label())
                    }),
                    own_analysis: own
                        .and_then(|a| a.analysis.as_deref())
                        .map(blocks)
                        .unwrap_or_default(),
                    page: goal_href(node.id, r.year, r.kind, g.goal.id),
                    saved: saved.as_deref() == Some(g.goal.id.to_string().as_str()),
                }
            })
            .collect();
        let report_href = |unit: NodeId| crate::pages::report_href(unit, r.year, r.kind);
        let mut groups: Vec<RowGroup> = Vec::new();
        for u in &r.units {
            let path = u
                .path
                .iter()
                .map(|n| n.name.as_str())
                .collect::<Vec<_>>()
                .join(" › ");
            let base = report_href(u.unit.id);
            let row = RowView {
                name: u.unit.name.clone(),
                href: format!("/enheter/{}", u.unit.id),
                standing: u.standing.label(),
                standing_code: standing_code(u.standing),
                deadline: u.deadline.map(iso),
                cells: u
                    .cells
                    .iter()
                    .zip(&r.goals)
                    .map(|(c, g)| CellView {
                        code: c.code(),
                        symbol: c.symbol(),
                        word: c.word(),
                        href: c.links().then(|| format!("{base}#mal-{}", g.goal.id)),
                    })
                    .collect(),
            };
            match groups.last_mut() {
                Some(g) if g.path == path => g.rows.push(row),
                _ => groups.push(RowGroup {
                    path,
                    rows: vec![row],
                }),
            }
        }
        let short_of = |id: GoalId| {
            r.goals
                .iter()
                .find(|g| g.goal.id == id)
                .map(|g| g.short.clone())
                .unwrap_or_default()
        };
        let indicators: Vec<IndicatorView> = r
            .indicators
            .iter()
            .map(|i| {
                let ind = &i.indicator;
                let unit = ind.unit_of_measure.as_deref();
                let m = |v| measure(v, ind.value_kind, unit);
                let numeric = i.values.iter().filter(|v| v.value.is_some()).count();
                let combined = match (&i.combined, i.aggregation) {
                    (Some(c), Aggregation::Sum) => format!("Summa {}", m(c.value)),
                    (Some(c), Aggregation::WeightedShare) => {
                        format!("Viktad andel {}", m(c.value))
                    }
                    (_, Aggregation::Listed) => "Listas per enhet".to_string(),
                    (None, _) => "Inga utfall i tal ännu".to_string(),
                };
                let split = i.combined.as_ref().and_then(|c| {
                    let part = |label: &str, v: Option<malkedja_domain::Decimal>| {
                        v.map(|v| format!("{label} {}", format_decimal_sv(v)))
                    };
                    let parts: Vec<String> = [part("kvinnor", c.women), part("män", c.men)]
                        .into_iter()
                        .flatten()
                        .collect();
                    (!parts.is_empty()).then(|| parts.join(", "))
                });
                IndicatorView {
                    name: ind.name.clone(),
                    goal: short_of(ind.goal_id),
                    kind: ind.value_kind.label(),
                    combined,
                    split,
                    listed: i.aggregation == Aggregation::Listed,
                    rule: i.rule,
                    min: i.spread.as_ref().map(|s| (m(s.min), s.min_unit.clone())),
                    max: i.spread.as_ref().map(|s| (m(s.max), s.max_unit.clone())),
                    units: if numeric == i.values.len() {
                        format!("{numeric} av {}", i.expected)
                    } else {
                        format!("{} av {} ({} i tal)", i.values.len(), i.expected, numeric)
                    },
                    values: i
                        .values
                        .iter()
                        .map(|v| {
                            let href = format!("/enheter/{}/indikatorer/{}", v.unit_id, ind.id);
                            (v.unit.clone(), v.text.clone(), href)
                        })
                        .collect(),
                    chart: i.history.as_ref().map(|h| {
                        crate::indicator_history::ChartView::new(h, format!("diagram-{}", ind.id))
                            .titled(format!("{}, summerat över enheterna", ind.name))
                    }),
                }
            })
            .collect();
        let counts = r.standings();
        RollupPage {
            crumbs: crumbs(&r.chain),
            node: node.name.clone(),
            node_kind: node.kind.label(),
            year: r.year,
            kind: r.kind.label(),
            kinds: ReportKind::ALL
                .iter()
                .map(|k| (k.label(), href(node.id, r.year, *k), *k == r.kind))
                .collect(),
            xlsx: format!("{}.xlsx", href(node.id, r.year, r.kind)),
            api: format!(
                "/api/v1/org/{}/rollup/{}/{}",
                node.id,
                r.year,
                r.kind.code()
            ),
            standings: STANDINGS
                .iter()
                .zip(counts)
                .map(|(s, n)| (s.label(), standing_code(*s), n))
                .collect(),
            legend: Cell::LEGEND
                .iter()
                .map(|c| (c.code(), c.symbol(), c.word(), c.label()))
                .collect(),
            columns: goal_views.len() + 2,
            goals: goal_views,
            groups,
            has_charts: indicators.iter().any(|i| i.chart.is_some()),
            indicators,
            hidden: r
                .units
                .iter()
                .filter(|u| u.report.is_some() && !u.readable)
                .count(),
            signed_in: caller.person().is_some(),
            sees_own: l.sees_own,
            can_write: caller.may(Action::WriteBoardGoals, &r.chain),
            own_name: owner_genitive(node.kind),
        }
    }
}

/// `GET /organisation/{id}/uppfoljning/{year}/{kind}` (and `….xlsx`).
pub async fn page(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year, raw_kind)): PagePath<(String, String, String)>,
    uri: axum::http::Uri,
) -> Result<Response, HtmlError> {
    if let Some(kind) = raw_kind.strip_suffix(".xlsx") {
        return Ok(xlsx(&state, &caller, &raw_id, &raw_year, kind).await?);
    }
    let node = node_id(&raw_id)?;
    let year = params::year(&raw_year)?;
    let (kind, redirect) = page_kind(&raw_kind)?;
    if redirect {
        return Ok(Redirect::permanent(&href(node, year, kind)).into_response());
    }
    rollup_chain(&state, node).await?;
    let loaded = load(&state, &caller, node, year, kind, None).await?;
    let saved = uri
        .query()
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "sparat"))
        .map(|(_, v)| v.into_owned());
    let page = RollupPage::new(&loaded, &caller, saved);
    Ok(axum::response::Html(page.render().map_err(AppError::from)?).into_response())
}

/// The roll-up as an Excel workbook, as the caller may see it.
async fn xlsx(
    state: &AppState,
    caller: &Caller,
    raw_id: &str,
    raw_year: &str,
    raw_kind: &str,
) -> Result<Response, AppError> {
    let node = node_id(raw_id)?;
    let year = params::year(raw_year)?;
    let (kind, _) = page_kind(raw_kind)?;
    rollup_chain(state, node).await?;
    let loaded = load(state, caller, node, year, kind, None).await?;
    let name = malkedja_documents::rollup_title(&loaded.rollup);
    let printed_on = time::OffsetDateTime::now_utc().date();
    let rollup = loaded.rollup;
    let bytes = crate::downloads::render("the roll-up's workbook", move || {
        malkedja_documents::rollup_xlsx(&rollup, printed_on)
    })
    .await?;
    Ok(crate::downloads::Download {
        bytes,
        format: crate::downloads::Format::Xlsx,
        name,
    }
    .into_response())
}

// ---- the node's own assessment of a goal ----

/// One unit's assessment and analysis of the goal.
struct UnitAnalysis {
    unit: String,
    href: String,
    code: &'static str,
    symbol: &'static str,
    word: &'static str,
    analysis: Vec<Block>,
}

#[derive(Template)]
#[template(path = "rollup_goal.html")]
struct GoalPage {
    crumbs: Vec<Crumb>,
    node: String,
    own_name: &'static str,
    year: i32,
    kind: &'static str,
    goal: String,
    back: String,
    action: String,
    /// The form is offered (the caller may write, the node is open).
    writable: bool,
    /// Why not, when the caller may write but cannot now.
    closed: Option<String>,
    sees_own: bool,
    version: i64,
    assessment: String,
    analysis: String,
    saved_assessment: Option<&'static str>,
    saved_analysis: Vec<Block>,
    errors: FormErrors,
    /// After a conflict: what is saved now.
    theirs: Option<(Option<&'static str>, Vec<Block>)>,
    options: Vec<(&'static str, &'static str)>,
    tally: Vec<(&'static str, &'static str, usize)>,
    units: Vec<UnitAnalysis>,
    /// Units whose report the reader may not read.
    hidden: usize,
    max: String,
}

/// The goal's page: its column in the roll-up, the units' analyses (readable reports
/// only), and the node's own assessment.
async fn goal_page(
    state: &AppState,
    caller: &Caller,
    node: NodeId,
    year: i32,
    kind: ReportKind,
    goal: GoalId,
) -> Result<GoalPage, AppError> {
    let l = load(state, caller, node, year, kind, Some(goal)).await?;
    let r = &l.rollup;
    let Some(col) = r.column(goal) else {
        return Err(AppError::NotFound(format!(
            "Målet {goal} följs inte upp i sammanställningen för {} {year}.",
            r.node().name
        )));
    };
    let g = &r.goals[col];
    let n = r.node();
    let may_write = caller.may(Action::WriteBoardGoals, &r.chain);
    let closed = n.closed.map(|c| {
        format!(
            "{} är avvecklad sedan {}; dess sammanställningar kan inte ändras.",
            n.name,
            malkedja_domain::date_text(c)
        )
    });
    let own = r
        .own
        .get(&goal)
        .cloned()
        .unwrap_or_else(|| RollupAssessment::empty(n.id, goal, year, kind));
    let reports: std::collections::HashMap<NodeId, &malkedja_domain::UnitReport> =
        l.data.reports.iter().map(|x| (x.unit_id, x)).collect();
    let units = r
        .units
        .iter()
        .filter_map(|u| {
            let cell = u.cells[col];
            let (Cell::Assessed { .. } | Cell::NotAssessed) = cell else {
                return None;
            };
            let analysis = reports
                .get(&u.unit.id)
                .and_then(|x| x.assessments.get(&goal))
                .and_then(|a| a.analysis.as_deref())
                .map(blocks)
                .unwrap_or_default();
            Some(UnitAnalysis {
                unit: u.unit.name.clone(),
                href: format!(
                    "{}#mal-{goal}",
                    crate::pages::report_href(u.unit.id, year, kind)
                ),
                code: cell.code(),
                symbol: cell.symbol(),
                word: cell.label(),
                analysis,
            })
        })
        .collect();
    let page = href(n.id, year, kind);
    let mut crumbs = crumbs(&r.chain);
    crumbs.push(Crumb {
        href: page.clone(),
        label: format!("Sammanställning {} {year}", kind.label()),
    });
    Ok(GoalPage {
        crumbs,
        node: n.name.clone(),
        own_name: owner_genitive(n.kind),
        year,
        kind: kind.label(),
        goal: goal_name(&g.goal),
        back: format!("{page}#mal-{goal}"),
        action: goal_href(n.id, year, kind, goal),
        writable: may_write && closed.is_none(),
        closed: may_write.then_some(closed).flatten(),
        sees_own: l.sees_own,
        version: own.version,
        assessment: own
            .assessment
            .map(|a| a.code().to_string())
            .unwrap_or_default(),
        analysis: own.analysis.clone().unwrap_or_default(),
        saved_assessment: own.assessment.map(Assessment::label),
        saved_analysis: own.analysis.as_deref().map(blocks).unwrap_or_default(),
        errors: FormErrors::default(),
        theirs: None,
        options: Assessment::ALL
            .iter()
            .map(|a| (a.code(), a.label()))
            .collect(),
        tally: Cell::LEGEND
            .iter()
            .zip(g.tally.counts())
            .filter(|(_, n)| *n > 0)
            .map(|(c, n)| (c.symbol(), c.label(), n))
            .collect(),
        units,
        hidden: g.tally.hidden,
        max: "20 000".into(),
    })
}

fn goal_path(
    raw_id: &str,
    raw_year: &str,
    raw_kind: &str,
    raw_goal: &str,
) -> Result<(NodeId, i32, ReportKind, GoalId), AppError> {
    let node = node_id(raw_id)?;
    let year = params::year(raw_year)?;
    let (kind, _) = params::report_kind(raw_kind, KindName::Slug)?;
    let goal = GoalId(params::node_id("goal", raw_goal, "Målets nummer")?.0);
    Ok((node, year, kind, goal))
}

/// `GET /organisation/{id}/uppfoljning/{year}/{kind}/mal/{goal}`
pub async fn goal_form(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year, raw_kind, raw_goal)): PagePath<(String, String, String, String)>,
) -> Result<Response, HtmlError> {
    let (node, year, kind, goal) = goal_path(&raw_id, &raw_year, &raw_kind, &raw_goal)?;
    rollup_chain(&state, node).await?;
    let page = goal_page(&state, &caller, node, year, kind, goal).await?;
    Ok(respond(StatusCode::OK, &page)?)
}

#[derive(Deserialize)]
pub struct AssessmentForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    bedomning: String,
    #[serde(default)]
    analys: String,
}

/// The own assessment and analysis, read and checked as the page and the API send them.
pub(crate) struct OwnInput {
    pub assessment: Option<Assessment>,
    pub analysis: String,
}

/// Saves a node's own assessment in one writer.
pub(crate) async fn save(
    state: &AppState,
    actor: &str,
    (node, year, kind, goal): (NodeId, i32, ReportKind, GoalId),
    version: i64,
    input: &OwnInput,
) -> Result<RollupAssessment, StoreError> {
    let mut w = state.store.begin_write(actor).await?;
    let saved = w
        .write_rollup_assessment(
            node,
            goal,
            year,
            kind,
            version,
            input.assessment,
            Some(&input.analysis),
        )
        .await?;
    w.commit().await?;
    Ok(saved)
}

/// `POST /organisation/{id}/uppfoljning/{year}/{kind}/mal/{goal}`
pub async fn goal_submit(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year, raw_kind, raw_goal)): PagePath<(String, String, String, String)>,
    Form(f): Form<AssessmentForm>,
) -> Result<Response, HtmlError> {
    let (node, year, kind, goal) = goal_path(&raw_id, &raw_year, &raw_kind, &raw_goal)?;
    let person = caller.require_person()?;
    let chain = rollup_chain(&state, node).await?;
    caller.authorize(Action::WriteBoardGoals, &chain)?;
    let mut page = goal_page(&state, &caller, node, year, kind, goal).await?;
    let analysis = crate::plan_sections::normalize(&f.analys);
    page.analysis = analysis.clone();
    page.assessment = f.bedomning.trim().to_string();
    if let Some(why) = page.closed.clone() {
        page.errors.add("analys", why);
        return Ok(respond(StatusCode::CONFLICT, &page)?);
    }
    let version = f.version.trim().parse::<i64>().ok().filter(|v| *v >= 0);
    let assessment = match f.bedomning.trim() {
        "" => None,
        code => match Assessment::from_code(code) {
            Some(a) => Some(a),
            None => {
                page.errors.add(
                    "bedomning",
                    "Välj en bedömning i listan: uppfylls helt, delvis, ej, inga data, eller ingen bedömning ännu.",
                );
                None
            }
        },
    };
    if let Some(m) = crate::plan_sections::too_long(&analysis) {
        page.errors.add("analys", m);
    }
    if version.is_none() {
        page.errors.add(
            "analys",
            "Formuläret saknade uppgiften om vilken version du utgick från, så inget sparades. Jämför med det som är sparat nu och spara igen om ditt ska gälla.",
        );
        page.theirs = Some((page.saved_assessment, page.saved_analysis.clone()));
    }
    let Some(version) = version.filter(|_| page.errors.is_empty()) else {
        return Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, &page)?);
    };
    let input = OwnInput {
        assessment,
        analysis,
    };
    match save(
        &state,
        &person.who.email,
        (node, year, kind, goal),
        version,
        &input,
    )
    .await
    {
        Ok(_) => {
            let query: String = form_urlencoded::Serializer::new(String::new())
                .append_pair("sparat", &goal.to_string())
                .finish();
            Ok(
                Redirect::to(&format!("{}?{query}#mal-{goal}", href(node, year, kind)))
                    .into_response(),
            )
        }
        Err(StoreError::Conflict { .. }) => {
            let mut now = goal_page(&state, &caller, node, year, kind, goal).await?;
            now.theirs = Some((now.saved_assessment, now.saved_analysis.clone()));
            now.analysis = input.analysis;
            now.assessment = input
                .assessment
                .map(|a| a.code().to_string())
                .unwrap_or_default();
            now.errors.add(
                "analys",
                "Någon annan har sparat bedömningen medan du skrev, så din är inte sparad. Det som är sparat nu visas här, och ditt finns kvar i formuläret. Spara igen om ditt ska ersätta det.",
            );
            Ok(respond(StatusCode::CONFLICT, &now)?)
        }
        Err(StoreError::Locked(why)) => {
            page.errors.add("analys", why);
            Ok(respond(StatusCode::CONFLICT, &page)?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}
