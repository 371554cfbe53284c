//! Writing the cascade and moving a plan through its workflow, through the API: the same
//! store writes, the same policy (through [`crate::goals::Scope`]) and the same checks as the
//! pages, answered in JSON. A request body is read field by field so that every value that
//! cannot be used is named in a 422 with the field it came in.

use super::model::{self as m, Id};
use super::{ApiResult, json_body};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, AppError, FieldError};
use crate::goals::Scope;
use crate::params::{self, ApiPath, ApiQuery};
use crate::plan_sections::{normalize, too_long};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use malkedja_domain::{
    ActivityId, Direction, GoalId, GoalLevel, GoalSection, IndicatorId, NewActivity, NewGoal,
    NewIndicator, NodeId, Periodicity, PlanId, PlanStatus, Target, Transition, ValueKind,
    plan_transition,
};
use malkedja_store::{ActivityEdit, GoalEdit, IndicatorEdit, Item, StoreError};
use serde_json::{Map, Value};

const TITLE_MAX: usize = 500;

/// A JSON object sent to the API, read field by field; the messages gather in `errors`.
pub(super) struct Body {
    pub(super) map: Map<String, Value>,
    errors: Vec<FieldError>,
}

/// A whole number, also when written with a decimal point (`3.0` is an integer in JSON
/// Schema, which the OpenAPI document speaks).
pub(super) fn whole(v: &Value) -> Option<i64> {
    v.as_i64().or_else(|| {
        v.as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
            .map(|f| f as i64)
    })
}

impl Body {
    /// The object, with only the `allowed` fields.
    pub(super) fn new(value: Value, allowed: &[&'static str]) -> Result<Body, AppError> {
        let Value::Object(map) = value else {
            return Err(AppError::Invalid(vec![FieldError {
                field: "request",
                message: format!("Skicka ett JSON-objekt med fälten {}.", allowed.join(", ")),
            }]));
        };
        let mut errors = Vec::new();
        if let Some(k) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
            errors.push(FieldError {
                field: "request",
                message: format!(
                    "Fältet \"{k}\" finns inte här: skicka bara {}.",
                    allowed.join(", ")
                ),
            });
        }
        Ok(Body { map, errors })
    }

    pub(super) fn error(&mut self, field: &'static str, message: impl Into<String>) {
        self.errors.push(FieldError {
            field,
            message: message.into(),
        });
    }

    pub(super) fn has(&self, name: &str) -> bool {
        self.map.get(name).is_some_and(|v| !v.is_null())
    }

    /// The version the change was made from (required).
    pub(super) fn version(&mut self) -> i64 {
        match self.map.get("version").and_then(whole).filter(|v| *v >= 0) {
            Some(v) => v,
            None => {
                self.error(
                    "version",
                    "version ska vara ett heltal från 0 och uppåt: den version du utgick från, som du läste den.",
                );
                0
            }
        }
    }

    /// A text field: `None` when absent or null (an error when `required`).
    pub(super) fn text(&mut self, name: &'static str, required: bool) -> Option<String> {
        match self.map.get(name) {
            None | Some(Value::Null) => {
                if required {
                    self.error(name, format!("{name} saknas."));
                }
                None
            }
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                self.error(name, format!("{name} ska vara en sträng."));
                None
            }
        }
    }

    /// A title or name: trimmed, not empty, at most 500 characters.
    fn title(&mut self, name: &'static str, required: bool) -> Option<String> {
        let t = self.text(name, required)?.trim().to_string();
        if t.is_empty() {
            self.error(name, format!("{name} får inte vara tom."));
        } else if t.chars().count() > TITLE_MAX {
            self.error(name, format!("{name} får vara högst {TITLE_MAX} tecken."));
        }
        Some(t)
    }

    /// A code of one of `all` (`tertial`, `higher_is_better`).
    pub(super) fn code<T: Copy>(
        &mut self,
        name: &'static str,
        required: bool,
        from: fn(&str) -> Option<T>,
        all: &str,
    ) -> Option<T> {
        let raw = self.text(name, required)?;
        let found = from(raw.trim());
        if found.is_none() {
            self.error(
                name,
                format!("{name} ska vara en av {all}, inte \"{raw}\"."),
            );
        }
        found
    }

    fn date(&mut self, name: &'static str, required: bool) -> Option<time::Date> {
        let raw = self.text(name, required)?;
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        let d = time::Date::parse(raw.trim(), &fmt).ok();
        if d.is_none() {
            self.error(
                name,
                format!("{name} ska vara ett datum som ÅÅÅÅ-MM-DD, inte \"{raw}\"."),
            );
        }
        d
    }

    /// A goal's texts: `[{"key": "expected_result", "text": "…"}]`, each a section of
    /// `level`.
    fn sections(&mut self, level: GoalLevel) -> Vec<(GoalSection, String)> {
        let mut out = Vec::new();
        let Some(v) = self.map.get("sections").cloned() else {
            return out;
        };
        let Some(items) = v.as_array() else {
            if !v.is_null() {
                self.error("sections", "sections ska vara en lista av {key, text}.");
            }
            return out;
        };
        for item in items {
            let key = item.get("key").and_then(Value::as_str);
            let text = item.get("text").and_then(Value::as_str);
            let extra = item
                .as_object()
                .is_some_and(|o| o.keys().any(|k| k != "key" && k != "text"));
            match (key.and_then(GoalSection::from_code), text) {
                (Some(s), Some(t)) if !extra => {
                    if !level.sections().contains(&s) {
                        self.error(
                            "sections",
                            format!("Ett {} har inget avsnitt {}.", level.label(), s.code()),
                        );
                    } else if let Some(m) = too_long(&normalize(t)) {
                        self.error("sections", m);
                    } else {
                        out.push((s, normalize(t)));
                    }
                }
                _ => self.error(
                    "sections",
                    format!(
                        "Varje avsnitt ska vara {{\"key\": …, \"text\": …}} med key en av {}.",
                        level
                            .sections()
                            .iter()
                            .map(|s| s.code())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ),
            }
        }
        out
    }

    pub(super) fn finish(self) -> Result<(), AppError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self.errors))
        }
    }
}

pub(super) fn api_id(raw: &str, what: &str) -> Result<i64, AppError> {
    params::node_id("id", raw, what).map(|n| n.0)
}

/// A store refusal as the API answers it: a rule of the cascade (a parent of another year,
/// an end before the start) is a 422 on the request.
pub(super) fn refused(e: StoreError) -> ApiError {
    match e {
        StoreError::Domain(d) => AppError::Invalid(vec![FieldError {
            field: "request",
            message: crate::forms::sentence(d),
        }])
        .into(),
        StoreError::Placement(m) => AppError::Invalid(vec![FieldError {
            field: "request",
            message: crate::forms::sentence(m),
        }])
        .into(),
        other => AppError::from(other).into(),
    }
}

pub(super) fn created<T: serde::Serialize>(body: T) -> Response {
    (StatusCode::CREATED, Json(body)).into_response()
}

async fn saved_goal(state: &AppState, id: GoalId) -> Result<m::SavedGoal, AppError> {
    let g = state
        .store
        .goal_for_editing(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Mål {id} finns inte.")))?;
    Ok(m::SavedGoal {
        id: Id(g.goal.id.0),
        version: g.goal.version,
        level: g.goal.level.into(),
        parent_id: g.goal.parent_id.map(|p| Id(p.0)),
        number: g.goal.number.clone(),
        title: g.goal.title.clone(),
        sections: g
            .texts
            .iter()
            .filter(|(_, t)| !t.trim().is_empty())
            .map(|(s, t)| m::GoalText {
                key: (*s).into(),
                heading: s.heading().into(),
                text: t.clone(),
            })
            .collect(),
    })
}

/// The goal, after the policy has let the caller write what its owner owns.
async fn goal_scope(
    state: &AppState,
    caller: &Caller,
    id: GoalId,
) -> Result<(malkedja_store::GoalForEditing, Scope), AppError> {
    let g = state
        .store
        .goal_for_editing(id)
        .await?
        .filter(|g| !g.removed)
        .ok_or_else(|| AppError::NotFound(format!("Mål {id} finns inte.")))?;
    let scope = Scope::load(state, caller, g.goal.owner_id, g.goal.year).await?;
    Ok((g, scope))
}

/// Adds a goal to a unit's plan, under a board or department goal.
#[utoipa::path(
    post,
    path = "/api/v1/units/{id}/plans/{year}/goals",
    tag = "writing",
    params(
        ("id" = m::Id, Path, description = "The unit's id"),
        ("year" = m::Year, Path, description = "The plan's year"),
    ),
    request_body(content = m::NewGoalRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Added: the goal as stored", body = m::SavedGoal),
        (status = 400, response = super::BadRequest),
        (status = 403, response = super::Forbidden),
        (status = 404, response = super::NotFound),
        (status = 409, response = super::Conflict),
        (status = 422, response = super::Unprocessable),
    )
)]
pub async fn add_goal(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((raw_id, raw_year)): ApiPath<(String, String)>,
    req: axum::extract::Request,
) -> Result<Response, ApiError> {
    let unit = NodeId(api_id(&raw_id, "Enhetens nummer")?);
    let year = params::year(&raw_year)?;
    let person = caller.require_person()?;
    let scope = Scope::load(&state, &caller, unit, year).await?;
    if !scope.is_unit() {
        return Err(AppError::NotFound(format!("Det finns ingen enhet med nummer {unit}.")).into());
    }
    let mut b = Body::new(json_body(req).await?, &["parent_id", "title", "sections"])?;
    let parent = b.map.get("parent_id").and_then(whole).filter(|p| *p >= 1);
    if parent.is_none() {
        b.error(
            "parent_id",
            "parent_id ska vara id för nämnd- eller avdelningsmålet som enhetsmålet hör till.",
        );
    }
    let title = b.title("title", true);
    let sections = b.sections(GoalLevel::Unit);
    b.finish()?;
    let (Some(parent), Some(title)) = (parent, title) else {
        return Err(AppError::Internal("checked above".into()).into());
    };
    let new = NewGoal {
        year,
        level: GoalLevel::Unit,
        owner_id: unit,
        parent_id: Some(GoalId(parent)),
        number: None,
        title,
        position: 0,
    };
    let goal = async {
        let mut w = state.store.begin_write(&person.who.email).await?;
        let goal = w.add_goal(new, &sections).await?;
        w.commit().await?;
        Ok::<_, StoreError>(goal)
    }
    .await
    .map_err(|e| match e {
        StoreError::NotFound(_) => AppError::Invalid(vec![FieldError {
            field: "parent_id",
            message: format!(
                "Det finns inget mål {parent} för {year} att lägga enhetsmålet under."
            ),
        }])
        .into(),
        other => refused(other),
    })?;
    Ok(created(saved_goal(&state, goal.id).await?))
}

/// Changes a goal's title or texts.
#[utoipa::path(
    patch,
    path = "/api/v1/goals/{id}",
    tag = "writing",
    params(("id" = m::Id, Path, description = "The goal's id")),
    request_body(content = m::GoalPatch, content_type = "application/json"),
    responses(
        (status = 200, description = "Saved: the goal as now stored", body = m::SavedGoal),
        (status = 400, response = super::BadRequest),
        (status = 403, response = super::Forbidden),
        (status = 404, response = super::NotFound),
        (status = 409, response = super::Conflict),
        (status = 422, response = super::Unprocessable),
    )
)]
pub async fn patch_goal(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(raw): ApiPath<String>,
    req: axum::extract::Request,
) -> ApiResult<m::SavedGoal> {
    let id = GoalId(api_id(&raw, "Målets nummer")?);
    let person = caller.require_person()?;
    let (found, _) = goal_scope(&state, &caller, id).await?;
    let mut b = Body::new(json_body(req).await?, &["version", "title", "sections"])?;
    let version = b.version();
    let title = if b.has("title") {
        b.title("title", true)
    } else {
        None
    };
    let sections = b.sections(found.goal.level);
    b.finish()?;
    let edit = GoalEdit {
        title,
        number: None,
        sections,
    };
    async {
        let mut w = state.store.begin_write(&person.who.email).await?;
        w.save_goal(id, version, &edit).await?;
        w.commit().await
    }
    .await
    .map_err(refused)?;
    Ok(Json(saved_goal(&state, id).await?))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionQuery {
    /// The version as read (required). Someone else's change in between is 409. Read as
    /// text, so that a value that is not a whole number is a 422 naming `version`.
    #[param(required = true, value_type = i64, minimum = 0)]
    version: Option<String>,
}

fn query_version(q: &VersionQuery) -> Result<i64, AppError> {
    q.version
        .as_deref()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|v| *v >= 0)
        .ok_or_else(|| {
            AppError::Invalid(vec![FieldError {
                field: "version",
                message: "Ange ?version=N: den version du utgick från, som du läste den.".into(),
            }])
        })
}

/// Removes an item: it leaves every document, stays in the history, and can be restored
/// from there.
async fn remove(
    state: &AppState,
    caller: &Caller,
    item: Item,
    version: i64,
) -> Result<Response, ApiError> {
    let person = caller.require_person()?;
    async {
        let mut w = state.store.begin_write(&person.who.email).await?;
        w.remove(item, version).await?;
        w.commit().await
    }
    .await
    .map_err(refused)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Removes a goal with what hangs on it. It stays in the history and can be restored.
#[utoipa::path(
    delete,
    path = "/api/v1/goals/{id}",
    tag = "writing",
    params(("id" = m::Id, Path, description = "The goal's id"), VersionQuery),
    responses(
        (status = 204, description = "Removed"),
        (status = 400, response = super::BadRequest),
        (status = 403, response = super::Forbidden),
        (status = 404, response = super::NotFound),
        (status = 409, response = super::Conflict),
        (status = 422, response = super::Unprocessable),
    )
)]
pub async fn delete_goal(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(raw): ApiPath<String>,
    ApiQuery(q): ApiQuery<VersionQuery>,
) -> Result<Response, ApiError> {
    let id = GoalId(api_id(&raw, "Målets nummer")?);
    goal_scope(&state, &caller, id).await?;
    remove(&state, &caller, Item::Goal(id), query_version(&q)?).await
}

// ---- indicators ----

const PERIODICITIES: &str = "year, tertial";
const DIRECTIONS: &str = "higher_is_better, lower_is_better";
const VALUE_KINDS: &str = "percent, index, number, text";

fn saved_indicator(found: &malkedja_store::IndicatorForEditing) -> m::SavedIndicator {
    let i = &found.indicator;
    m::SavedIndicator {
        id: Id(i.id.0),
        version: i.version,
        goal_id: Id(i.goal_id.0),
        name: i.name.clone(),
        unit_of_measure: i.unit_of_measure.clone(),
        periodicity: i.periodicity.into(),
        direction: i.direction.into(),
        value_kind: i.value_kind.into(),
        by_sex: i.by_sex,
        target: found.target.as_ref().map(super::convert::target),
    }
}

async fn indicator_answer(
    state: &AppState,
    id: IndicatorId,
) -> Result<m::SavedIndicator, AppError> {
    let found = state
        .store
        .indicator_for_editing(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Indikator {id} finns inte.")))?;
    Ok(saved_indicator(&found))
}

/// `by_sex` as sent: absent or null keeps `current`; a text indicator cannot be by sex
/// (the error is at `by_sex`).
fn by_sex_field(b: &mut Body, kind: ValueKind, current: bool) -> bool {
    let by_sex = match b.map.get("by_sex") {
        None | Some(Value::Null) => current,
        Some(Value::Bool(v)) => *v,
        Some(_) => {
            b.error("by_sex", "by_sex ska vara true eller false.");
            return current;
        }
    };
    if let Err(e) = malkedja_domain::check_by_sex(kind, by_sex) {
        b.error("by_sex", crate::forms::sentence(e));
    }
    by_sex
}

/// The target as sent: absent keeps `current`, null or "" removes it, a text is read for
/// an indicator of `kind`.
fn target_field(b: &mut Body, kind: ValueKind, current: Option<Target>) -> Option<Target> {
    if !b.map.contains_key("target") {
        return current;
    }
    let raw = b.text("target", false).unwrap_or_default();
    match Target::typed(&raw, kind) {
        Ok(t) => t,
        Err(e) => {
            b.error("target", crate::forms::sentence(e));
            None
        }
    }
}

/// Adds an indicator to a goal, owned by the goal's owner (with its own target).
#[utoipa::path(
    post,
    path = "/api/v1/goals/{id}/indicators",
    tag = "writing",
    params(("id" = m::Id, Path, description = "The goal's id")),
    request_body(content = m::NewIndicatorRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Added: the indicator as stored", body = m::SavedIndicator),
        (status = 400, response = super::BadRequest),
        (status = 403, response = super::Forbidden),
        (status = 404, response = super::NotFound),
        (status = 409, response = super::Conflict),
        (status = 422, response = super::Unprocessable),
    )
)]
pub async fn add_indicator(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(raw): ApiPath<String>,
    req: axum::extract::Request,
) -> Result<Response, ApiError> {
    let goal = GoalId(api_id(&raw, "Målets nummer")?);
    let person = caller.require_person()?;
    let (found, scope) = goal_scope(&state, &caller, goal).await?;
    let mut b = Body::new(
        json_body(req).await?,
        &[
            "name",
            "unit_of_measure",
            "periodicity",
            "direction",
            "value_kind",
            "by_sex",
            "target",
        ],
    )?;
    let name = b.title("name", true);
    let unit = b
        .text("unit_of_measure", false)
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty());
    let periodicity = b.code("periodicity", true, Periodicity::from_code, PERIODICITIES);
    let direction = b.code("direction", true, Direction::from_code, DIRECTIONS);
    let kind = b.code("value_kind", true, ValueKind::from_code, VALUE_KINDS);
    let by_sex = by_sex_field(&mut b, kind.unwrap_or(ValueKind::Percent), false);
    let target = target_field(&mut b, kind.unwrap_or(ValueKind::Text), None);
    b.finish()?;
    let (Some(name), Some(periodicity), Some(direction), Some(value_kind)) =
        (name, periodicity, direction, kind)
    else {
        return Err(AppError::Internal("checked above".into()).into());
    };
    let new = NewIndicator {
        year: found.goal.year,
        goal_id: goal,
        owner_id: scope.owner().id,
        name,
        unit_of_measure: unit,
        periodicity,
        direction,
        value_kind,
        by_sex,
        council_target: None,
        position: 0,
    };
    let added = async {
        let mut w = state.store.begin_write(&person.who.email).await?;
        let added = w.add_indicator(new, target).await?;
        w.commit().await?;
        Ok::<_, StoreError>(added)
    }
    .await
    .map_err(refused)?;
    Ok(created(indicator_answer(&state, added.id).await?))
}

async fn indicator_scope(
    state: &AppState,
    caller: &Caller,
    id: IndicatorId,
) -> Result<malkedja_store::IndicatorForEditing, AppError> {
    let found = state
        .store
        .indicator_for_editing(id)
        .await?
        .filter(|i| !i.removed)
        .ok_or_else(|| AppError::NotFound(format!("Indikator {id} finns inte.")))?;
    Scope::load(
        state,
        caller,
        found.indicator.owner_id,
        found.indicator.year,
    )
    .await?;
    Ok(found)
}

/// Changes an indicator; what is left out stays as it is.
#[utoipa::path(
    patch,
    path = "/api/v1/indicators/{id}",
    tag = "writing",
    params(("id" = m::Id, Path, description = "The indicator's id")),
    request_body(content = m::IndicatorPatch, content_type = "application/json"),
    responses(
        (status = 200, description = "Saved: the indicator as now stored", body = m::SavedIndicator),
        (status = 400, response = super::BadRequest),
        (status = 403, response = super::Forbidden),
        (status = 404, response = super::NotFound),
        (status = 409, response = super::Conflict),
        (status = 422, response = super::Unprocessable),
    )
)]
pub async fn patch_indicator(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(raw): ApiPath<String>,
    req: axum::extract::Request,
) -> ApiResult<m::SavedIndicator> {
    let id = IndicatorId(api_id(&raw, "Indikatorns nummer")?);
    let person = caller.require_person()?;
    let found = indicator_scope(&state, &caller, id).await?;
    let i = &found.indicator;
    let mut b = Body::new(
        json_body(req).await?,
        &[
            "version",
            "name",
            "unit_of_measure",
            "periodicity",
            "direction",
            "value_kind",
            "by_sex",
            "target",
        ],
    )?;
    let version = b.version();
    let name = if b.has("name") {
        b.title("name", true)
    } else {
        None
    };
    let unit = if b.map.contains_key("unit_of_measure") {
        b.text("unit_of_measure", false)
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty())
    } else {
        i.unit_of_measure.clone()
    };
    let periodicity = b.code("periodicity", false, Periodicity::from_code, PERIODICITIES);
    let direction = b.code("direction", false, Direction::from_code, DIRECTIONS);
    let kind = b.code("value_kind", false, ValueKind::from_code, VALUE_KINDS);
    let value_kind = kind.unwrap_or(i.value_kind);
    let by_sex = by_sex_field(&mut b, value_kind, i.by_sex);
    let target = target_field(&mut b, value_kind, found.target.clone());
    b.finish()?;
    let edit = IndicatorEdit {
        name: name.unwrap_or_else(|| i.name.clone()),
        unit_of_measure: unit,
        periodicity: periodicity.unwrap_or(i.periodicity),
        direction: direction.unwrap_or(i.direction),
        value_kind,
        by_sex,
        target,
    };
    async {
        let mut w = state.store.begin_write(&person.who.email).await?;
        w.save_indicator(id, version, &edit).await?;
        w.commit().await
    }
    .await
    .map_err(refused)?;
    Ok(Json(indicator_answer(&state, id).await?))
}

/// Removes an indicator. It stays in the history and can be restored.
#[utoipa::path(
    delete,
    path = "/api/v1/indicators/{id}",
    tag = "writing",
    params(("id" = m::Id, Path, description = "The indicator's id"), VersionQuery),
    responses(
        (status = 204, description = "Removed"),
        (status = 400, response = super::BadRequest),
        (status = 403, response = super::Forbidden),
        (status = 404, response = super::NotFound),
        (status = 409, response = super::Conflict),
        (status = 422, response = super::Unprocessable),
    )
)]
pub async fn delete_indicator(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(raw): ApiPath<String>,
    ApiQuery(q): ApiQuery<VersionQuery>,
) -> Result<Response, ApiError> {
    let id = IndicatorId(api_id(&raw, "Indikatorns nummer")?);
    indicator_scope(&state, &caller, id).await?;
    remove(&state, &caller, Item::Indicator(id), query_version(&q)?).await
}

// ---- activities ----

fn saved_activity(a: &malkedja_domain::Activity) -> m::SavedActivity {
    m::SavedActivity {
        id: Id(a.id.0),
        version: a.version,
        goal_id: Id(a.goal_id.0),
        title: a.title.clone(),
        start: m::Date(a.start.to_string()),
        end: m::Date(a.end.to_string()),
    }
}

/// The dates checked together: the end not before the start.
fn dates(b: &mut Body, start: Option<time::Date>, end: Option<time::Date>) {
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        b.error("end", "end ligger före start.");
    }
}

/// Adds an activity to a goal, owned by the goal's owner.
#[utoipa::path(
    post,
    path = "/api/v1/goals/{id}/activities",
    tag = "writing",
    params(("id" = m::Id, Path, description = "The goal's id")),
    request_body(content = m::NewActivityRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Added: the activity as stored", body = m::SavedActivity),
        (status = 400, response = super::BadRequest),
        (status = 403, response = super::Forbidden),
        (status = 404, response = super::NotFound),
        (status = 409, response = super::Conflict),
        (status = 422, response = super::Unprocessable),
    )
)]
pub async fn add_activity(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(raw): ApiPath<String>,
    req: axum::extract::Request,
) -> Result<Response, ApiError> {
    let goal = GoalId(api_id(&raw, "Målets nummer")?);
    let person = caller.require_person()?;
    let (found, scope) = goal_scope(&state, &caller, goal).await?;
    let mut b = Body::new(json_body(req).await?, &["title", "start", "end"])?;
    let title = b.title("title", true);
    let start = b.date("start", true);
    let end = b.date("end", true);
    dates(&mut b, start, end);
    b.finish()?;
    let (Some(title), Some(start), Some(end)) = (title, start, end) else {
        return Err(AppError::Internal("checked above".into()).into());
    };
    let new = NewActivity {
        year: found.goal.year,
        goal_id: goal,
        owner_id: scope.owner().id,
        title,
        start,
        end,
        position: 0,
    };
    let added = async {
        let mut w = state.store.begin_write(&person.who.email).await?;
        let added = w.add_activity(new).await?;
        w.commit().await?;
        Ok::<_, StoreError>(added)
    }
    .await
    .map_err(refused)?;
    Ok(created(saved_activity(&added)))
}

async fn activity_scope(
    state: &AppState,
    caller: &Caller,
    id: ActivityId,
) -> Result<malkedja_domain::Activity, AppError> {
    let (a, _) = state
        .store
        .activity_for_editing(id)
        .await?
        .filter(|(_, removed)| !removed)
        .ok_or_else(|| AppError::NotFound(format!("Aktivitet {id} finns inte.")))?;
    Scope::load(state, caller, a.owner_id, a.year).await?;
    Ok(a)
}

/// Changes an activity; what is left out stays as it is.
#[utoipa::path(
    patch,
    path = "/api/v1/activities/{id}",
    tag = "writing",
    params(("id" = m::Id, Path, description = "The activity's id")),
    request_body(content = m::ActivityPatch, content_type = "application/json"),
    responses(
        (status = 200, description = "Saved: the activity as now stored", body = m::SavedActivity),
        (status = 400, response = super::BadRequest),
        (status = 403, response = super::Forbidden),
        (status = 404, response = super::NotFound),
        (status = 409, response = super::Conflict),
        (status = 422, response = super::Unprocessable),
    )
)]
pub async fn patch_activity(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(raw): ApiPath<String>,
    req: axum::extract::Request,
) -> ApiResult<m::SavedActivity> {
    let id = ActivityId(api_id(&raw, "Aktivitetens nummer")?);
    let person = caller.require_person()?;
    let a = activity_scope(&state, &caller, id).await?;
    let mut b = Body::new(json_body(req).await?, &["version", "title", "start", "end"])?;
    let version = b.version();
    let title = if b.has("title") {
        b.title("title", true)
    } else {
        None
    };
    let start = if b.has("start") {
        b.date("start", true)
    } else {
        Some(a.start)
    };
    let end = if b.has("end") {
        b.date("end", true)
    } else {
        Some(a.end)
    };
    dates(&mut b, start, end);
    b.finish()?;
    let edit = ActivityEdit {
        title: title.unwrap_or_else(|| a.title.clone()),
        start: start.unwrap_or(a.start),
        end: end.unwrap_or(a.end),
    };
    let saved = async {
        let mut w = state.store.begin_write(&person.who.email).await?;
        let saved = w.save_activity(id, version, &edit).await?;
        w.commit().await?;
        Ok::<_, StoreError>(saved)
    }
    .await
    .map_err(refused)?;
    Ok(Json(saved_activity(&saved)))
}

/// Removes an activity. It stays in the history and can be restored.
#[utoipa::path(
    delete,
    path = "/api/v1/activities/{id}",
    tag = "writing",
    params(("id" = m::Id, Path, description = "The activity's id"), VersionQuery),
    responses(
        (status = 204, description = "Removed"),
        (status = 400, response = super::BadRequest),
        (status = 403, response = super::Forbidden),
        (status = 404, response = super::NotFound),
        (status = 409, response = super::Conflict),
        (status = 422, response = super::Unprocessable),
    )
)]
pub async fn delete_activity(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(raw): ApiPath<String>,
    ApiQuery(q): ApiQuery<VersionQuery>,
) -> Result<Response, ApiError> {
    let id = ActivityId(api_id(&raw, "Aktivitetens nummer")?);
    activity_scope(&state, &caller, id).await?;
    remove(&state, &caller, Item::Activity(id), query_version(&q)?).await
}

// ---- the workflow ----

/// Moves a plan one step: submit (`submitted`), approve (`approved`), return with a
/// comment or reopen with a reason (`draft`).
#[utoipa::path(
    post,
    path = "/api/v1/plans/{id}/transitions",
    tag = "writing",
    params(("id" = m::Id, Path, description = "The plan's id")),
    request_body(content = m::TransitionRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "Done: the plan's status and version now", body = m::PlanState),
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
) -> ApiResult<m::PlanState> {
    let id = PlanId(api_id(&raw, "Planens nummer")?);
    let person = caller.require_person()?;
    let plan = state
        .store
        .plan_by_id(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Plan {id} finns inte.")))?;
    let chain = state.store.chain(plan.unit_id).await?;
    // Reading the plan comes first: a person who may not see it learns nothing more.
    caller.authorize(malkedja_domain::Action::read(plan.status), &chain)?;
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
    // "draft" from a submitted plan is a return (återremiss), from an approved one a reopening.
    let to = match (plan.status, asked) {
        (PlanStatus::Submitted, PlanStatus::Draft) => PlanStatus::Returned,
        _ => asked,
    };
    let version = version.unwrap_or(plan.version);
    if version != plan.version {
        return Err(AppError::from(StoreError::Conflict {
            entity: "planen".into(),
            expected: version,
            actual: plan.version,
        })
        .into());
    }
    let step = match plan_transition(plan.status, to, &comment) {
        Ok(t) => t,
        Err(e) => match Transition::between(plan.status, to) {
            // The step exists; only its comment is wrong.
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
        let mut w = state.store.begin_write(&person.who.email).await?;
        let done = w.transition_plan(id, version, to, &comment).await?;
        w.commit().await?;
        Ok::<_, StoreError>(done)
    }
    .await
    .map_err(refused)?;
    Ok(Json(m::PlanState {
        id: Id(after.id.0),
        status: after.status.into(),
        version: after.version,
    }))
}

// ---- the memo header ----

/// Saves a plan's memo header (Tjänsteutlåtande: Dnr, date, Handläggare, Till, Telefon,
/// title, Förslag till beslut), which its official documents print above the title.
///
/// The whole header at once: a text left out is saved empty. State the `version` of the
/// memo you started from (as the plan's `memo.version` gives it; 0 when nothing was written):
/// someone else's save in between is 409 and nothing is saved. Needs a person who may write
/// the unit's texts, and a plan open for writing (a draft, or returned).
#[utoipa::path(
    put,
    path = "/api/v1/plans/{id}/memo",
    tag = "writing",
    params(("id" = m::Id, Path, description = "The plan's id")),
    request_body(content = m::MemoUpdate, content_type = "application/json"),
    responses(
        (status = 200, description = "Saved: the memo header as now stored", body = m::Memo),
        (status = 400, response = super::BadRequest),
        (status = 403, response = super::Forbidden),
        (status = 404, response = super::NotFound),
        (status = 409, response = super::Conflict),
        (status = 422, description = "The body is JSON, but a value cannot be used: `version` is not a whole number from 0, `date` is not a date (ÅÅÅÅ-MM-DD), a text is not a string or is too long (200 characters, 4 000 for `title` and `proposal`), or a field is unknown. `fields` says which.", body = crate::error::ErrorBody),
    )
)]
pub async fn save_memo(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(raw): ApiPath<String>,
    req: axum::extract::Request,
) -> ApiResult<m::Memo> {
    let id = PlanId(api_id(&raw, "Planens nummer")?);
    let person = caller.require_person()?;
    let plan = state
        .store
        .plan_by_id(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Plan {id} finns inte.")))?;
    let chain = state.store.chain(plan.unit_id).await?;
    // Reading the plan comes first: a person who may not see it learns nothing more.
    caller.authorize(malkedja_domain::Action::read(plan.status), &chain)?;
    caller.authorize(malkedja_domain::Action::WriteUnitText, &chain)?;
    let fields = crate::memo::API_FIELDS;
    let mut all = vec!["version"];
    all.extend(fields.iter().map(|(api, _)| *api));
    let mut b = Body::new(json_body(req).await?, &all)?;
    let version = b.version();
    let mut texts = Vec::new();
    for (name, _) in fields {
        if *name == "date" {
            continue;
        }
        texts.push((*name, b.text(name, false).unwrap_or_default()));
    }
    let date = match b.map.get("date") {
        Some(Value::String(s)) if s.trim().is_empty() => None,
        _ => b.date("date", false),
    };
    let memo = crate::memo::from_fields(&texts, date);
    for (field, message) in crate::memo::problems(&memo) {
        let api = fields
            .iter()
            .find(|(_, form)| *form == field)
            .map(|(api, _)| *api)
            .unwrap_or("request");
        b.error(api, message);
    }
    b.finish()?;
    let saved = crate::memo::save(
        &state,
        &person.who.email,
        malkedja_store::DocRef::Plan(plan.id),
        &memo,
        version,
    )
    .await?;
    Ok(Json(super::convert::memo(&saved)))
}
