//! `GET /api/v1/plans/{id}/history`: a plan's history from the audit trail, a page at a
//! time. Not public, whatever the plan's status: it needs a person who may read the unit's
//! drafts (`Action::ReadDraft` on the unit's chain).

use super::{BadRequest, Forbidden, NotFound, convert, model};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, AppError};
use crate::params::ApiPath;
use axum::Json;
use axum::extract::State;
use axum::http::Uri;
use malkedja_domain::{Action, PlanId};
use malkedja_store::{HISTORY_PAGE_MAX, HistorySubject};

/// Events on a page when `limit` is not given.
const DEFAULT_LIMIT: usize = 100;

/// A whole number from a query parameter within `min..=max`: 400 naming it otherwise.
fn number(uri: &Uri, field: &'static str, min: i64, max: i64) -> Result<Option<i64>, AppError> {
    let Some(raw) = crate::history::query_param(uri, field) else {
        return Ok(None);
    };
    match raw.trim().parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
        _ => Err(AppError::BadRequest {
            field,
            message: format!("{field} ska vara ett heltal från {min} till {max}, inte \"{raw}\"."),
        }),
    }
}

/// A plan's history: every change to the plan, its sections, what it takes in, and what
/// its unit owns for the year (goals with their texts, indicators, activities, targets),
/// newest first.
///
/// At most `limit` events (default 100, at most 500); `next_before` names the page of older
/// ones (ask again with `before`). `before` and `after` are the changed thing as stored
/// then, as JSON. Needs a person who may read the unit's drafts, whatever the plan's
/// status: history is never public.
#[utoipa::path(
    get,
    path = "/api/v1/plans/{id}/history",
    tag = "documents",
    params(
        ("id" = model::Id, Path, description = "The plan's id (as the plan's `id` gives it)"),
        ("before" = Option<model::Id>, Query, description = "Only events older than this one (a page's `next_before`)"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 500, description = "The most events to return (default 100)"),
    ),
    responses(
        (status = 200, description = "A page of the plan's history, newest first", body = model::History),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn plan_history(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(raw_id): ApiPath<String>,
    uri: Uri,
) -> Result<Json<model::History>, ApiError> {
    let id = PlanId(crate::params::node_id("id", &raw_id, "Planens id")?.0);
    let before = number(&uri, "before", 1, i64::MAX)?;
    let max = i64::try_from(HISTORY_PAGE_MAX).unwrap_or(i64::MAX);
    let limit = number(&uri, "limit", 1, max)?
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(DEFAULT_LIMIT);
    let plan = state
        .store
        .plan_by_id(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Det finns ingen plan med id {id}.")))?;
    let chain = state.store.chain(plan.unit_id).await?;
    caller.authorize(Action::ReadDraft, &chain)?;
    let page = state
        .store
        .history(&HistorySubject::Plan(id), before, limit)
        .await?;
    Ok(Json(convert::history(id, &page)))
}
