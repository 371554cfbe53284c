//! The JSON API, version 1. Documented in `api/openapi.json`, served at
//! `/api/v1/openapi.json`.

use crate::AppState;
use crate::error::{ApiError, AppError, parse_id};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use malkedja_domain::{
    CascadeGoal, NodeId, OrgKind, OrgTree, PlanSectionView, ReportDocument, ReportKind, Target,
    build_tree,
};
use serde::Serialize;
use serde_json::{Value, json};

const OPENAPI: &str = include_str!("../api/openapi.json");

type ApiResult = Result<Response, ApiError>;

/// `GET /healthz`: 200 when the database answers, 503 when it does not.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => Json(json!({"status": "ok"})).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "unavailable", "message": "Databasen svarar inte."})),
            )
                .into_response()
        }
    }
}

pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

#[derive(Serialize)]
struct OrgJson {
    id: i64,
    kind: &'static str,
    name: String,
    children: Vec<OrgJson>,
}

fn org_json(t: &OrgTree) -> OrgJson {
    OrgJson {
        id: t.node.id.0,
        kind: t.node.kind.code(),
        name: t.node.name.clone(),
        children: t.children.iter().map(org_json).collect(),
    }
}

/// `GET /api/v1/org`: the organisation as a list of root nodes with their children.
pub async fn org(State(state): State<AppState>) -> ApiResult {
    let nodes = state.store.org_nodes().await?;
    let forest: Vec<OrgJson> = build_tree(&nodes).iter().map(org_json).collect();
    Ok(Json(forest).into_response())
}

async fn unit_chain(
    state: &AppState,
    raw: &str,
) -> Result<Vec<malkedja_domain::OrgNode>, AppError> {
    let id = parse_id("id", raw, "Enhetens id")?;
    let chain = state.store.chain(NodeId(id)).await?;
    match chain.first() {
        Some(n) if n.kind == OrgKind::Unit => Ok(chain),
        _ => Err(AppError::NotFound(format!(
            "Det finns ingen enhet med id {id}."
        ))),
    }
}

/// `GET /api/v1/units/{id}`: a unit, where it sits and its plans.
pub async fn unit(State(state): State<AppState>, Path(raw): Path<String>) -> ApiResult {
    let chain = unit_chain(&state, &raw).await?;
    let unit = &chain[0];
    let plans = state.store.plans_of(unit.id).await?;
    let operations: Vec<Value> = state
        .store
        .children(unit.id)
        .await?
        .into_iter()
        .filter(|n| n.kind == OrgKind::Operation)
        .map(|n| json!({"id": n.id.0, "name": n.name}))
        .collect();
    Ok(Json(json!({
        "id": unit.id.0,
        "kind": unit.kind.code(),
        "name": unit.name,
        "ancestors": chain.iter().skip(1).map(|n| json!({"id": n.id.0, "kind": n.kind.code(), "name": n.name})).collect::<Vec<_>>(),
        "operations": operations,
        "plans": plans.iter().map(|p| json!({
            "id": p.id.0,
            "year": p.year,
            "status": p.status.code(),
            "href": format!("/api/v1/units/{}/plans/{}", unit.id, p.year),
        })).collect::<Vec<_>>(),
    }))
    .into_response())
}

fn target_json(t: &Option<Target>) -> Value {
    match t {
        None => Value::Null,
        Some(Target::Value(m)) => {
            json!({"kind": "value", "text": m.text, "value": m.value.map(|v| v.to_string())})
        }
        Some(Target::SetByBoard { text }) => json!({"kind": "set_by_board", "text": text}),
    }
}

fn section_json(s: &PlanSectionView, placement: &str) -> Value {
    json!({
        "key": s.key,
        "heading": s.heading,
        "text": s.body,
        "version": s.version,
        "placement": placement,
        "children": s.children.iter().map(|c| section_json(c, placement)).collect::<Vec<_>>(),
    })
}

fn goal_json(g: &CascadeGoal) -> Value {
    json!({
        "id": g.goal.id.0,
        "level": g.goal.level.code(),
        "number": g.goal.number,
        "title": g.goal.title,
        "owner": {"id": g.goal.owner_id.0, "name": g.owner_name},
        "inherited": g.inherited,
        "version": g.goal.version,
        "sections": g.sections.iter().map(|(s, body)| json!({"key": s.code(), "heading": s.heading(), "text": body})).collect::<Vec<_>>(),
        "indicators": g.indicators.iter().map(|i| json!({
            "id": i.indicator.id.0,
            "name": i.indicator.name,
            "unit_of_measure": i.indicator.unit_of_measure,
            "target": target_json(&i.target),
            "council_target": target_json(&i.indicator.council_target),
            "periodicity": i.indicator.periodicity.label(),
            "direction": i.indicator.direction.code(),
            "value_kind": i.indicator.value_kind.code(),
        })).collect::<Vec<_>>(),
        "activities": g.activities.iter().map(|a| json!({
            "id": a.id.0,
            "title": a.title,
            "start": a.start.to_string(),
            "end": a.end.to_string(),
        })).collect::<Vec<_>>(),
        "children": g.children.iter().map(goal_json).collect::<Vec<_>>(),
    })
}

/// `GET /api/v1/units/{id}/plans/{year}`: the plan's sections and its whole cascade.
pub async fn plan(
    State(state): State<AppState>,
    Path((raw_id, raw_year)): Path<(String, String)>,
) -> ApiResult {
    let chain = unit_chain(&state, &raw_id).await?;
    let unit = &chain[0];
    let year = parse_id("year", &raw_year, "Året")?;
    let year = i32::try_from(year).map_err(|_| AppError::BadRequest {
        field: "year",
        message: format!("Året {year} går inte att använda."),
    })?;
    let doc = state
        .store
        .plan_document(unit.id, year)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!(
                "{} har ingen verksamhetsplan för år {year}.",
                unit.name
            ))
        })?;
    let mut sections: Vec<Value> = doc
        .sections_before
        .iter()
        .map(|s| section_json(s, "before_cascade"))
        .collect();
    sections.extend(
        doc.sections_after
            .iter()
            .map(|s| section_json(s, "after_cascade")),
    );
    Ok(Json(json!({
        "id": doc.plan.id.0,
        "unit": {"id": unit.id.0, "name": unit.name},
        "year": year,
        "status": doc.plan.status.code(),
        "version": doc.plan.version,
        "sections": sections,
        "goals": doc.goals.iter().map(goal_json).collect::<Vec<_>>(),
    }))
    .into_response())
}

/// `GET /api/v1/units/{id}/reports/{year}/{kind}`: a follow-up report with its assessments,
/// outcomes, activity statuses and complaints table.
pub async fn report(
    State(state): State<AppState>,
    Path((raw_id, raw_year, raw_kind)): Path<(String, String, String)>,
) -> ApiResult {
    let chain = unit_chain(&state, &raw_id).await?;
    let unit = &chain[0];
    let year = parse_id("year", &raw_year, "Året")?;
    let year = i32::try_from(year).map_err(|_| AppError::BadRequest {
        field: "year",
        message: format!("Året {year} går inte att använda."),
    })?;
    let kind = ReportKind::from_code(&raw_kind).ok_or_else(|| AppError::BadRequest {
        field: "kind",
        message: format!(
            "\"{raw_kind}\" är ingen rapport: ange tertial1, tertial2 eller annual_report."
        ),
    })?;
    let doc = state
        .store
        .report_document(unit.id, year, kind)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!(
                "{} har ingen {} för år {year}.",
                unit.name,
                kind.label().to_lowercase()
            ))
        })?;
    fn follow(g: &CascadeGoal, doc: &ReportDocument) -> Value {
        let mut v = goal_json(g);
        let a = doc.assessments.get(&g.goal.id);
        v["assessment"] = json!(a.and_then(|a| a.assessment).map(|a| a.code()));
        v["analysis"] = json!(a.and_then(|a| a.analysis.clone()));
        if let Some(inds) = v["indicators"].as_array_mut() {
            for (iv, i) in inds.iter_mut().zip(&g.indicators) {
                let o = doc.outcomes.get(&i.indicator.id);
                iv["outcome"] = json!(
                    o.and_then(|o| o.outcome.as_ref())
                        .map(|m| json!({"text": m.text, "value": m.value.map(|v| v.to_string())}))
                );
                iv["outcome_men"] = json!(o.and_then(|o| o.men.clone()));
                iv["outcome_women"] = json!(o.and_then(|o| o.women.clone()));
                iv["previous"] = json!(o.and_then(|o| o.previous.clone()));
                iv["period"] = json!(o.and_then(|o| o.period.clone()));
                iv["analysis"] = json!(o.and_then(|o| o.analysis.clone()));
            }
        }
        if let Some(acts) = v["activities"].as_array_mut() {
            for (av, a) in acts.iter_mut().zip(&g.activities) {
                let f = doc.followups.get(&a.id);
                av["status"] = json!(f.and_then(|f| f.status).map(|s| s.code()));
                av["analysis"] = json!(f.and_then(|f| f.analysis.clone()));
            }
        }
        v["children"] = json!(
            g.children
                .iter()
                .map(|c| follow(c, doc))
                .collect::<Vec<_>>()
        );
        v
    }
    Ok(Json(json!({
        "id": doc.report.id,
        "unit": {"id": unit.id.0, "name": unit.name},
        "year": year,
        "kind": kind.code(),
        "status": doc.report.status.code(),
        "sections": doc.sections.iter().map(|s| json!({"heading": s.heading, "text": s.body, "placement": s.placement.code()})).collect::<Vec<_>>(),
        "goals": doc.goals.iter().map(|g| follow(g, &doc)).collect::<Vec<_>>(),
        "complaints": doc.complaints.iter().map(|c| json!({
            "group": c.group, "category": c.category, "t1": c.t1, "t2": c.t2,
            "annual": c.annual, "total": c.total, "assessment": c.assessment,
        })).collect::<Vec<_>>(),
    }))
    .into_response())
}
