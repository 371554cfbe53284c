//! The roll-up through the API: `GET /api/v1/org/{id}/rollup/{year}/{kind}` answers what
//! the page shows, built for the caller (`crate::rollup::load`: a report the caller may
//! not read is `hidden` and counts nowhere), and `PUT …/goals/{goal_id}/assessment` writes
//! the node's own assessment and analysis of a goal (`Action::WriteBoardGoals` on the
//! node), stating the version it started from: 409 on a stale one, 422 with field errors.

use super::model::{self as m, Id};
use super::writing::{Body, refused};
use super::{ApiResult, convert, json_body};
use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::params::{self, ApiPath, KindName};
use crate::plan_sections::{normalize, too_long};
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use malkedja_domain::{Action, Assessment, GoalId};

fn api_href(node: malkedja_domain::NodeId, year: i32, kind: malkedja_domain::ReportKind) -> String {
    format!("/api/v1/org/{node}/rollup/{year}/{}", kind.code())
}

/// The roll-up of a board, administration or department (or the city) for a year and a
/// kind of report: every unit under it with its report's standing against the deadline
/// and its assessment of each goal followed up, and the indicators across the units
/// (counts summed, shares weighted by their denominators or else listed, the spread).
///
/// Public, like the organisation: a report that is not approved is shown only to a
/// person with a role on its unit or above it (`hidden` otherwise), and counts in no
/// tally, sum or spread the caller sees. The node's own assessments are shown to a role
/// on the node. The pages' names of the kinds (`t1`, `t2`, `vb`) are answered with a
/// permanent redirect to the kind's code.
#[utoipa::path(
    get,
    path = "/api/v1/org/{id}/rollup/{year}/{kind}",
    tag = "rollup",
    params(
        ("id" = m::Id, Path, description = "The board's, administration's or department's id"),
        ("year" = m::Year, Path, description = "The planning year"),
        ("kind" = m::ReportKind, Path, description = "Which report"),
    ),
    responses(
        (status = 200, description = "The roll-up", body = m::Rollup),
        (status = 308, description = "The kind was named as the pages name it (`t1`, `t2`, `vb`): the same roll-up under its code",
            headers(("Location" = String, description = "The roll-up's address with the kind's code"))),
        (status = 400, response = super::BadRequest),
        (status = 404, response = super::NotFound),
    )
)]
pub async fn rollup(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((raw_id, raw_year, raw_kind)): ApiPath<(String, String, String)>,
) -> Result<Response, ApiError> {
    let node = crate::rollup::node_id(&raw_id)?;
    let year = params::year(&raw_year)?;
    let (kind, named) = params::report_kind(&raw_kind, KindName::Code)?;
    if named == KindName::Slug {
        return Ok(Redirect::permanent(&api_href(node, year, kind)).into_response());
    }
    crate::rollup::rollup_chain(&state, node).await?;
    let loaded = crate::rollup::load(&state, &caller, node, year, kind, None).await?;
    Ok(Json(convert::rollup(&loaded.rollup)).into_response())
}

/// Writes the node's own assessment and analysis of a goal in its roll-up, beside the
/// units' analyses. The goal must be of the year and the node's own or of a node above
/// it (404 otherwise).
///
/// State the `version` you started from (`own_assessment.version` of the roll-up's goal,
/// 0 while none is written): someone else's save in between is 409 and nothing is saved.
/// Needs a person who may write the node's goals (a board editor on it or above).
#[utoipa::path(
    put,
    path = "/api/v1/org/{id}/rollup/{year}/{kind}/goals/{goal_id}/assessment",
    tag = "rollup",
    params(
        ("id" = m::Id, Path, description = "The board's, administration's or department's id"),
        ("year" = m::Year, Path, description = "The planning year"),
        ("kind" = m::ReportKind, Path, description = "Which report"),
        ("goal_id" = m::Id, Path, description = "A goal of the roll-up"),
    ),
    request_body(content = m::OwnAssessmentRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "Saved", body = m::SavedOwnAssessment),
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
    ApiPath((raw_id, raw_year, raw_kind, raw_goal)): ApiPath<(String, String, String, String)>,
    req: axum::extract::Request,
) -> ApiResult<m::SavedOwnAssessment> {
    let node = crate::rollup::node_id(&raw_id)?;
    let year = params::year(&raw_year)?;
    let (kind, _) = params::report_kind(&raw_kind, KindName::Code)?;
    let goal = GoalId(params::node_id("goal_id", &raw_goal, "Målets id")?.0);
    let person = caller.require_person()?;
    let chain = crate::rollup::rollup_chain(&state, node).await?;
    caller.authorize(Action::WriteBoardGoals, &chain)?;
    let mut b = Body::new(
        json_body(req).await?,
        &["version", "assessment", "analysis"],
    )?;
    let version = b.version();
    let assessment = b.code(
        "assessment",
        false,
        Assessment::from_code,
        "met, partly_met, not_met, no_data",
    );
    let analysis = b.text("analysis", false).map(|t| normalize(&t));
    if let Some(message) = analysis.as_deref().and_then(too_long) {
        b.error("analysis", message);
    }
    b.finish()?;
    let input = crate::rollup::OwnInput {
        assessment,
        analysis: analysis.unwrap_or_default(),
    };
    let saved = crate::rollup::save(
        &state,
        &person.who.email,
        (node, year, kind, goal),
        version,
        &input,
    )
    .await
    .map_err(refused)?;
    Ok(Json(m::SavedOwnAssessment {
        goal_id: Id(goal.0),
        assessment: saved.assessment.map(Into::into),
        analysis: saved.analysis,
        version: saved.version,
    }))
}
