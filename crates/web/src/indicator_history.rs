//! An indicator's history for one unit (`/enheter/{id}/indikatorer/{indicator}`): the
//! chart of its outcomes over years and periods ([`malkedja_documents::chart`]) with its
//! figures as a table, the chart's text alternative.
//!
//! Outcomes of approved reports are public; a person who may read the unit's drafts
//! (`Action::read(Draft)` on the unit, through `Caller::may`) also sees outcomes of reports
//! not approved yet, marked preliminary.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, HtmlError};
use crate::pages::{crumbs_for, load_unit, unit_id};
use crate::params::PagePath;
use crate::views::Crumb;
use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use malkedja_domain::{Action, IndicatorSeries, OrgNode, PlanStatus};

/// One row of the chart's table.
pub struct FigureRow {
    pub period: String,
    pub total: String,
    pub women: String,
    pub men: String,
    pub target: String,
    pub preliminary: bool,
}

/// A chart with its title, description and figures, as pages show it
/// (`chart.html`).
pub struct ChartView {
    pub id: String,
    pub title: String,
    pub svg: String,
    pub by_sex: bool,
    pub rows: Vec<FigureRow>,
}

impl ChartView {
    /// The chart of `series`; `id` is unique on the page.
    pub fn new(series: &IndicatorSeries, id: String) -> ChartView {
        let f = |v| series.figure_text(v);
        ChartView {
            svg: malkedja_documents::chart::svg(series, &id),
            id,
            title: series.name.clone(),
            by_sex: series.by_sex(),
            rows: series
                .points
                .iter()
                .map(|p| FigureRow {
                    period: p.label(),
                    total: f(p.total),
                    women: f(p.women),
                    men: f(p.men),
                    target: f(p.target),
                    preliminary: p.preliminary,
                })
                .collect(),
        }
    }

    /// The same chart under another title (the figure's caption and the table's).
    pub fn titled(self, title: String) -> ChartView {
        ChartView { title, ..self }
    }
}

#[derive(Template)]
#[template(path = "indicator_history.html")]
struct HistoryPage {
    crumbs: Vec<Crumb>,
    unit: OrgNode,
    name: String,
    direction: &'static str,
    drafts: bool,
    chart: Option<ChartView>,
}

pub async fn page(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_unit, raw_id)): PagePath<(String, String)>,
) -> Result<Response, HtmlError> {
    let unit_id = unit_id(&raw_unit)?;
    let id = crate::goals::indicator_id(&raw_id)?;
    let chain = load_unit(&state, unit_id).await?;
    let drafts = caller.may(Action::read(PlanStatus::Draft), &chain);
    let (indicator, series) = state
        .store
        .indicator_history(unit_id, id, drafts)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Indikator {id} finns inte.")))?;
    let unit = chain[0].clone();
    let mut crumbs = crumbs_for(&chain);
    crumbs.push(Crumb {
        href: format!("/enheter/{}", unit.id),
        label: unit.name.clone(),
    });
    let chart =
        (!series.points.is_empty()).then(|| ChartView::new(&series, format!("diagram-{id}")));
    let page = HistoryPage {
        crumbs,
        unit,
        name: indicator.name,
        direction: indicator.direction.label(),
        drafts,
        chart,
    };
    Ok(Html(page.render()?).into_response())
}
