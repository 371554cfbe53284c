//! Writing follow-up reports through the API: creating a unit's report from its approved
//! plan, a goal's assessment, an indicator's outcome, an activity's status, the report's
//! own sections, its economy, and its workflow. Bodies are read field by field as in
//! [`super::writing`], so that every value that cannot be used is a named 422; the store
//! checks the same rules again ([`malkedja_store::Writer::write_outcome`] …).
//!
//! Who may: reading the report (`Action::read(status)`) comes first, so that a person who
//! may not see it learns nothing more; then writing a unit's follow-up is
//! `Action::WriteUnitText` on the unit, and a workflow step its transition's action
//! (`Submit`, `Approve`, `Return`, `Reopen`) — all through `Caller::authorize`.

use super::model::{self as m, Id};
use super::writing::{Body, api_id, created, refused, whole};
use super::{ApiResult, convert, json_body, unit_chain, unit_id};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, AppError, FieldError};
use crate::params::{self, ApiPath};
use crate::plan_sections::{normalize, too_long};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use malkedja_domain::{
    Action, ActivityId, ActivityStatus, Assessment, CascadeGoal, GoalId, IndicatorId, NodeId,
    OrgNode, OutcomeField, PlanStatus, ReportDocument, Transition, WorkflowDoc,
    check_activity_status, check_outcome, economy_amount, workflow_step,
};
use malkedja_store::{EconomyInput, EconomyLineInput, ReportRef, StoreError};
use serde_json::Value;

/// The report, after the policy has let the caller read it.
async fn readable(
    state: &AppState,
    caller: &Caller,
    raw: &str,
) -> Result<(ReportRef, Vec<OrgNode>), AppError> {
    let id = api_id(raw, "Rapportens id")?;
    let r = state
        .store
        .report_by_id(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Rapport {id} finns inte.")))?;
    let chain = state.store.chain(r.plan.unit_id).await?;
    caller.authorize(Action::read(r.report.status), &chain)?;
    Ok((r, chain))
}

/// The report and its document, after the policy has let the caller write the unit's
/// follow-up.
async fn writable(
    state: &AppState,
    caller: &Caller,
    raw: &str,
) -> Result<(ReportRef, ReportDocument), AppError> {
    caller.require_person()?;
    let (r, chain) = readable(state, caller, raw).await?;
    caller.authorize(Action::WriteUnitText, &chain)?;
    let doc = state
        .store
        .report_document(r.plan.unit_id, r.plan.year, r.report.kind)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Rapport {} finns inte.", r.report.id)))?;
    Ok((r, doc))
}

/// An analysis or section text: line ends normalised, at most 20 000 characters; `None`
/// when absent.
fn long_text(b: &mut Body, name: &'static str) -> Option<String> {
    let t = normalize(&b.text(name, false)?);
    if let Some(message) = too_long(&t) {
        b.error(name, message);
    }
    Some(t)
}

fn email(caller: &Caller) -> Result<String, AppError> {
    Ok(caller.require_person()?.who.email.clone())
}

/// Creates a unit's report from its approved plan, prefilled from the previous report of
/// the year.
#[utoipa::path(
    post,
    path = "/api/v1/units/{id}/reports/{year}/{kind}",
    tag = "reports",
    params(
        ("id" = m::Id, Path, description = "The unit's id"),
        ("year" = m::Year, Path, description = "The year of the approved plan"),
        ("kind" = m::ReportKind, Path, description = "Which report"),
    ),
    responses(
        (status = 201, description = "Created: the report", body = m::Report),
        (status = 400, response = super::BadRequest),
        (status = 403, response = super::Forbidden),
        (status = 404, response = super::NotFound),
        (status = 409, response = super::Conflict),
        (status = 422, response = super::Unprocessable),
    )
)]
pub async fn create_report(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((raw_id, raw_year, raw_kind)): ApiPath<(String, String, String)>,
) -> Result<Response, ApiError> {
    // `…/{kind}.pdf` and `.docx` share this address pattern: they are downloads, read only.
    if let Some((_, "pdf" | "docx")) = raw_kind.rsplit_once('.') {
        let mut answer = AppError::MethodNotAllowed {
            method: axum::http::Method::POST,
        }
        .json();
        answer.headers_mut().insert(
            axum::http::header::ALLOW,
            axum::http::HeaderValue::from_static("GET,HEAD"),
        );
        return Ok(answer);
    }
    let unit = unit_id(&raw_id)?;
    let year = params::year(&raw_year)?;
    let (kind, _) = params::report_kind(&raw_kind, params::KindName::Code)?;
    let who = email(&caller)?;
    let chain = unit_chain(&state, unit).await?;
    caller.authorize(Action::WriteUnitText, &chain)?;
    async {
        let mut w = state.store.begin_write(&who).await?;
        w.create_report(unit, year, kind).await?;
        w.commit().await
    }
    .await
    .map_err(refused)?;
    let doc = state
        .store
        .report_document(unit, year, kind)
        .await?
        .ok_or_else(|| AppError::no_report(&chain[0].name, kind, year))?;
    let memo = state
        .store
        .memo(malkedja_store::DocRef::Report(doc.report.id))
        .await?;
    Ok(created(convert::report(&doc, &memo)))
}

/// Writes a goal's assessment and analysis.
#[utoipa::path(
    put,
    path = "/api/v1/reports/{id}/goals/{goal_id}/assessment",
    tag = "reports",
    params(
        ("id" = m::Id, Path, description = "The report's id"),
        ("goal_id" = m::Id, Path, description = "A goal the report shows"),
    ),
    request_body(content = m::AssessmentRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "Saved", body = m::SavedAssessment),
        (status = 400, response = super::BadRequest),
        (status = 403, response = super::Forbidden),
        (status = 404, response = super::NotFound),
        (status = 409, response = super::Conflict),
        (status = 422, response = super::Unprocessable),
    )
)]
pub async fn put_assessment(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((raw, raw_goal)): ApiPath<(String, String)>,
    req: axum::extract::Request,
) -> ApiResult<m::SavedAssessment> {
    let goal = GoalId(api_id_named(&raw_goal, "goal_id", "Målets id")?);
    let (r, doc) = writable(&state, &caller, &raw).await?;
    if !shows_goal(&doc, goal) {
        return Err(AppError::NotFound(format!("Rapporten visar inget mål {goal}.")).into());
    }
    let mut b = Body::new(
        json_body(req).await?,
        &["version", "assessment", "analysis"],
    )?;
    let version = b.version();
    let assessment = b.code(
        "assessment",
        true,
        Assessment::from_code,
        "met, partly_met, not_met, no_data",
    );
    let analysis = long_text(&mut b, "analysis");
    b.finish()?;
    let who = email(&caller)?;
    let saved = async {
        let mut w = state.store.begin_write(&who).await?;
        let v = w
            .write_assessment(r.report.id, goal, version, assessment, analysis.as_deref())
            .await?;
        w.commit().await?;
        Ok::<_, StoreError>(v)
    }
    .await
    .map_err(refused)?;
    Ok(Json(m::SavedAssessment {
        goal_id: Id(goal.0),
        assessment: assessment.map(Into::into),
        analysis: analysis
            .filter(|a| !a.trim().is_empty())
            .map(|a| a.trim().to_string()),
        assessment_version: saved,
    }))
}

fn api_id_named(raw: &str, field: &'static str, what: &str) -> Result<i64, AppError> {
    params::node_id(field, raw, what).map(|n| n.0)
}

fn shows_goal(doc: &ReportDocument, goal: GoalId) -> bool {
    doc.goals
        .iter()
        .flat_map(CascadeGoal::walk)
        .any(|g| g.goal.id == goal)
}

/// Writes an indicator's outcome: value, women, men (as typed) and analysis. Women and men
/// only for an indicator reported for them (`by_sex`): for any other they are a 422.
#[utoipa::path(
    put,
    path = "/api/v1/reports/{id}/indicators/{indicator_id}/outcome",
    tag = "reports",
    params(
        ("id" = m::Id, Path, description = "The report's id"),
        ("indicator_id" = m::Id, Path, description = "An indicator the report shows"),
    ),
    request_body(content = m::OutcomeRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "Saved", body = m::SavedOutcome),
        (status = 400, response = super::BadRequest),
        (status = 403, response = super::Forbidden),
        (status = 404, response = super::NotFound),
        (status = 409, response = super::Conflict),
        (status = 422, response = super::Unprocessable),
    )
)]
pub async fn put_outcome(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((raw, raw_indicator)): ApiPath<(String, String)>,
    req: axum::extract::Request,
) -> ApiResult<m::SavedOutcome> {
    let indicator = IndicatorId(api_id_named(
        &raw_indicator,
        "indicator_id",
        "Indikatorns id",
    )?);
    let (r, doc) = writable(&state, &caller, &raw).await?;
    let Some((kind, by_sex)) = doc
        .goals
        .iter()
        .flat_map(CascadeGoal::walk)
        .flat_map(|g| &g.indicators)
        .find(|v| v.indicator.id == indicator)
        .map(|v| (v.indicator.value_kind, v.indicator.by_sex))
    else {
        return Err(
            AppError::NotFound(format!("Rapporten visar ingen indikator {indicator}.")).into(),
        );
    };
    let mut b = Body::new(
        json_body(req).await?,
        &["version", "value", "women", "men", "analysis"],
    )?;
    let version = b.version();
    let value = b.text("value", false);
    let women = b.text("women", false);
    let men = b.text("men", false);
    let analysis = long_text(&mut b, "analysis");
    let checked = check_outcome(
        kind,
        by_sex,
        value.as_deref(),
        women.as_deref(),
        men.as_deref(),
    );
    if let Err(errors) = &checked {
        for (field, e) in errors {
            let name = match field {
                OutcomeField::Value => "value",
                OutcomeField::Women => "women",
                OutcomeField::Men => "men",
            };
            b.error(name, e.to_string());
        }
    }
    b.finish()?;
    let who = email(&caller)?;
    let saved = async {
        let mut w = state.store.begin_write(&who).await?;
        let v = w
            .write_outcome(
                r.report.id,
                indicator,
                version,
                value.as_deref(),
                women.as_deref(),
                men.as_deref(),
                analysis.as_deref(),
            )
            .await?;
        w.commit().await?;
        Ok::<_, StoreError>(v)
    }
    .await
    .map_err(refused)?;
    let c = checked.map_err(|_| AppError::Internal("checked above".into()))?;
    Ok(Json(m::SavedOutcome {
        indicator_id: Id(indicator.0),
        value: c.value.map(|m| m.text),
        women: c.women,
        men: c.men,
        analysis: analysis
            .filter(|a| !a.trim().is_empty())
            .map(|a| a.trim().to_string()),
        outcome_version: saved,
    }))
}

/// Writes an activity's status and analysis; a deviation needs an analysis.
#[utoipa::path(
    put,
    path = "/api/v1/reports/{id}/activities/{activity_id}/status",
    tag = "reports",
    params(
        ("id" = m::Id, Path, description = "The report's id"),
        ("activity_id" = m::Id, Path, description = "An activity the report shows"),
    ),
    request_body(content = m::ActivityStatusRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "Saved", body = m::SavedActivityStatus),
        (status = 400, response = super::BadRequest),
        (status = 403, response = super::Forbidden),
        (status = 404, response = super::NotFound),
        (status = 409, response = super::Conflict),
        (status = 422, response = super::Unprocessable),
    )
)]
pub async fn put_activity_status(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((raw, raw_activity)): ApiPath<(String, String)>,
    req: axum::extract::Request,
) -> ApiResult<m::SavedActivityStatus> {
    let activity = ActivityId(api_id_named(
        &raw_activity,
        "activity_id",
        "Aktivitetens id",
    )?);
    let (r, doc) = writable(&state, &caller, &raw).await?;
    if !doc
        .goals
        .iter()
        .flat_map(CascadeGoal::walk)
        .flat_map(|g| &g.activities)
        .any(|a| a.id == activity)
    {
        return Err(
            AppError::NotFound(format!("Rapporten visar ingen aktivitet {activity}.")).into(),
        );
    }
    let mut b = Body::new(json_body(req).await?, &["version", "status", "analysis"])?;
    let version = b.version();
    let status = b.code(
        "status",
        true,
        ActivityStatus::from_code,
        "not_started, ongoing, done, deviation",
    );
    let analysis = long_text(&mut b, "analysis");
    if let Err(e) = check_activity_status(status, analysis.as_deref()) {
        b.error("analysis", e.to_string());
    }
    b.finish()?;
    let who = email(&caller)?;
    let saved = async {
        let mut w = state.store.begin_write(&who).await?;
        let v = w
            .write_activity_status(r.report.id, activity, version, status, analysis.as_deref())
            .await?;
        w.commit().await?;
        Ok::<_, StoreError>(v)
    }
    .await
    .map_err(refused)?;
    Ok(Json(m::SavedActivityStatus {
        activity_id: Id(activity.0),
        status: status.map(Into::into),
        analysis: analysis
            .filter(|a| !a.trim().is_empty())
            .map(|a| a.trim().to_string()),
        status_version: saved,
    }))
}

/// Writes one of the report's own sections (a section of the report or of its template).
#[utoipa::path(
    put,
    path = "/api/v1/reports/{id}/sections/{key}",
    tag = "reports",
    params(
        ("id" = m::Id, Path, description = "The report's id"),
        ("key" = String, Path, description = "The section's key, as the report lists it"),
    ),
    request_body(content = m::SectionUpdate, content_type = "application/json"),
    responses(
        (status = 200, description = "Saved", body = m::ReportSection),
        (status = 400, response = super::BadRequest),
        (status = 403, response = super::Forbidden),
        (status = 404, response = super::NotFound),
        (status = 409, response = super::Conflict),
        (status = 422, response = super::Unprocessable),
    )
)]
pub async fn put_section(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((raw, key)): ApiPath<(String, String)>,
    req: axum::extract::Request,
) -> ApiResult<m::ReportSection> {
    let (r, doc) = writable(&state, &caller, &raw).await?;
    let known = doc.sections.iter().any(|s| s.key == key)
        || malkedja_domain::report_template(r.report.kind)
            .iter()
            .any(|t| t.key == key);
    if !known {
        return Err(AppError::NotFound(format!("Rapporten har inget avsnitt {key:?}.")).into());
    }
    let mut b = Body::new(json_body(req).await?, &["version", "body"])?;
    let version = b.version();
    let body = long_text(&mut b, "body");
    if body.is_none() {
        b.error("body", "body saknas.");
    }
    b.finish()?;
    let who = email(&caller)?;
    let body = body.unwrap_or_default();
    let saved = async {
        let mut w = state.store.begin_write(&who).await?;
        let s = w
            .write_report_section(r.report.id, &key, version, &body)
            .await?;
        w.commit().await?;
        Ok::<_, StoreError>(s)
    }
    .await
    .map_err(refused)?;
    Ok(Json(convert::report_section(&saved)))
}

/// Writes the report's economy: the figures per operation as typed (each an amount in
/// kronor, tkr or mnkr), the analysis of deviations, Investeringar and Medel för
/// lokaländamål. The lines replace those stored; the totals are computed.
#[utoipa::path(
    put,
    path = "/api/v1/reports/{id}/economy",
    tag = "reports",
    params(("id" = m::Id, Path, description = "The report's id")),
    request_body(content = m::EconomyRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "Saved: the economy with its totals", body = m::Economy),
        (status = 400, response = super::BadRequest),
        (status = 403, response = super::Forbidden),
        (status = 404, response = super::NotFound),
        (status = 409, response = super::Conflict),
        (status = 422, response = super::Unprocessable),
    )
)]
pub async fn put_economy(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(raw): ApiPath<String>,
    req: axum::extract::Request,
) -> ApiResult<m::Economy> {
    let (r, _) = writable(&state, &caller, &raw).await?;
    let current = state.store.report_economy(r.report.id).await?;
    let mut b = Body::new(
        json_body(req).await?,
        &[
            "version",
            "operations",
            "analysis",
            "investments",
            "premises",
        ],
    )?;
    let version = b.version();
    let analysis = long_text(&mut b, "analysis");
    let investments = long_text(&mut b, "investments");
    let premises = long_text(&mut b, "premises");
    let mut lines = Vec::new();
    match b.map.get("operations").cloned() {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for item in items {
                match economy_line(&item, &current) {
                    Ok(line) => lines.push(line),
                    Err(messages) => {
                        for message in messages {
                            b.error("operations", message);
                        }
                    }
                }
            }
        }
        Some(_) => b.error(
            "operations",
            "operations ska vara en lista av {operation_id, budget, forecast, outcome}.",
        ),
    }
    b.finish()?;
    let input = EconomyInput {
        lines,
        analysis,
        investments,
        premises,
    };
    let who = email(&caller)?;
    let saved = async {
        let mut w = state.store.begin_write(&who).await?;
        let e = w.write_economy(r.report.id, version, &input).await?;
        w.commit().await?;
        Ok::<_, StoreError>(e)
    }
    .await
    .map_err(refused)?;
    Ok(Json(convert::economy(&saved)))
}

/// One operation's line of an economy request, or what is wrong with it.
fn economy_line(
    item: &Value,
    current: &malkedja_domain::ReportEconomy,
) -> Result<EconomyLineInput, Vec<String>> {
    const FIELDS: [&str; 4] = ["operation_id", "budget", "forecast", "outcome"];
    let Some(o) = item.as_object() else {
        return Err(vec![
            "Varje verksamhet ska vara ett objekt {operation_id, budget, forecast, outcome}."
                .into(),
        ]);
    };
    let mut errors = Vec::new();
    if let Some(k) = o.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        errors.push(format!(
            "Fältet \"{k}\" finns inte i en verksamhets rad: skicka bara {}.",
            FIELDS.join(", ")
        ));
    }
    let id = o.get("operation_id").and_then(whole).filter(|i| *i >= 1);
    let line = id.and_then(|id| current.lines.iter().find(|l| l.operation_id.0 == id));
    let name = match (id, line) {
        (Some(_), Some(l)) => l.operation_name.clone(),
        (Some(id), None) => {
            errors.push(format!("Enheten har ingen verksamhet med id {id}."));
            format!("verksamhet {id}")
        }
        (None, _) => {
            errors.push("operation_id ska vara id för en av enhetens verksamheter.".into());
            "verksamheten".into()
        }
    };
    let mut amount = |field: &str| -> Option<String> {
        match o.get(field) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => {
                if let Err(e) = economy_amount(s) {
                    errors.push(format!("{name}, {field}: {e}"));
                }
                Some(s.clone())
            }
            Some(_) => {
                errors.push(format!(
                    "{name}, {field}: skriv beloppet som en sträng, till exempel \"300 tkr\"."
                ));
                None
            }
        }
    };
    let budget = amount("budget");
    let forecast = amount("forecast");
    let outcome = amount("outcome");
    match (errors.is_empty(), id) {
        (true, Some(id)) => Ok(EconomyLineInput {
            operation_id: NodeId(id),
            budget,
            forecast,
            outcome,
        }),
        _ => Err(errors),
    }
}

/// Moves a report one step: submit (`submitted`), approve (`approved`), return with a
/// comment or reopen with a reason (`draft`).
#[utoipa::path(
    post,
    path = "/api/v1/reports/{id}/transitions",
    tag = "reports",
    params(("id" = m::Id, Path, description = "The report's id")),
    request_body(content = m::TransitionRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "Done: the report's status and version now", body = m::ReportState),
        (status = 400, response = super::BadRequest),
        (status = 403, response = super::Forbidden),
        (status = 404, response = super::NotFound),
        (status = 409, response = super::Conflict),
        (status = 422, response = super::Unprocessable),
    )
)]
pub async fn transition(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(raw): ApiPath<String>,
    req: axum::extract::Request,
) -> ApiResult<m::ReportState> {
    let who = email(&caller)?;
    let (r, chain) = readable(&state, &caller, &raw).await?;
    let report = r.report;
    let mut b = Body::new(json_body(req).await?, &["to", "comment", "version"])?;
    let to = b.code(
        "to",
        true,
        PlanStatus::from_code,
        "submitted, approved, draft",
    );
    let comment = b.text("comment", false).unwrap_or_default();
    let version = if b.has("version") {
        Some(b.version())
    } else {
        None
    };
    b.finish()?;
    let Some(asked) = to else {
        return Err(AppError::Internal("checked above".into()).into());
    };
    // "draft" from a submitted report is a return, from an approved one a reopening.
    let to = match (report.status, asked) {
        (PlanStatus::Submitted, PlanStatus::Draft) => PlanStatus::Returned,
        _ => asked,
    };
    let version = version.unwrap_or(report.version);
    if version != report.version {
        return Err(AppError::from(StoreError::Conflict {
            entity: "rapporten".into(),
            expected: version,
            actual: report.version,
        })
        .into());
    }
    let step = match workflow_step(
        WorkflowDoc::Report(report.kind),
        report.status,
        to,
        &comment,
    ) {
        Ok(t) => t,
        Err(e) => match Transition::between(report.status, to) {
            Some(t) => {
                caller.authorize(t.action(), &chain)?;
                return Err(AppError::Invalid(vec![FieldError {
                    field: "comment",
                    message: crate::forms::sentence(e),
                }])
                .into());
            }
            None => return Err(AppError::from(StoreError::from(e)).into()),
        },
    };
    caller.authorize(step.action(), &chain)?;
    let (after, _) = async {
        let mut w = state.store.begin_write(&who).await?;
        let done = w
            .transition_report(report.id, version, to, &comment)
            .await?;
        w.commit().await?;
        Ok::<_, StoreError>(done)
    }
    .await
    .map_err(refused)?;
    Ok(Json(m::ReportState {
        id: Id(after.id),
        status: after.status.into(),
        version: after.version,
    }))
}
