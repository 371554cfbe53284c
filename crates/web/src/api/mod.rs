//! The JSON API, version 1. Every answer is a type of `model.rs`; the OpenAPI document is
//! generated from those types and these handlers' annotations and served at
//! `/api/v1/openapi.json`. Domain values become answers in `convert.rs` only.

pub(crate) mod convert;
pub mod history;
pub mod model;
pub mod reports;
pub mod rollup;
pub mod writing;

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, AppError, ErrorBody, ErrorCode, ErrorDetail, FieldError};
use crate::params::{self, ApiPath, KindName};
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use malkedja_domain::{Action, NodeId, OrgKind, OrgNode, build_tree};
use model::{Health, HealthStatus};
use std::sync::LazyLock;
use utoipa::openapi::response::{Response as OaResponse, ResponseBuilder};
use utoipa::openapi::schema::{AdditionalProperties, Schema};
use utoipa::openapi::{ContentBuilder, Ref, RefOr};
use utoipa::{Modify, OpenApi, ToResponse};

/// The OpenAPI document, generated from the types and annotations below.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Målkedja API",
        version = "1",
        description = "Målkedja's organisation, plans and follow-up reports, and writing a \
            plan's own sections. \
            The organisation and approved documents are public; a draft, submitted or returned \
            document needs a person with a role on its unit: send an API token as \
            `Authorization: Bearer mk_…` (401 without one, 403 when the person's roles do not \
            cover the unit). Every answer is JSON, except the documents as files (`….pdf`, \
            `….docx`, `….xlsx`). Errors have one shape, `ErrorBody`, with a message in Swedish. \
            Enumerations are always codes (`annual_report`, `tertial`, `partly_met`), never labels. \
            A write states the version it started from; a stale version is 409, never an \
            overwrite. A request body that is not JSON is 400; JSON whose values cannot be used \
            is 422, with `fields` naming them."
    ),
    paths(
        healthz,
        openapi,
        org,
        unit,
        plan,
        plan_pdf,
        plan_docx,
        plan_xlsx,
        save_section,
        save_selection,
        report,
        report_pdf,
        report_docx,
        writing::save_memo,
        writing::add_goal,
        writing::patch_goal,
        writing::delete_goal,
        writing::add_indicator,
        writing::patch_indicator,
        writing::delete_indicator,
        writing::add_activity,
        writing::patch_activity,
        writing::delete_activity,
        writing::transition,
        reports::create_report,
        reports::put_assessment,
        reports::put_outcome,
        reports::put_activity_status,
        reports::put_section,
        reports::put_economy,
        reports::transition,
        rollup::rollup,
        rollup::put_assessment,
        history::plan_history
    ),
    components(
        schemas(ErrorBody, ErrorDetail, ErrorCode, FieldError),
        responses(
            BadRequest,
            NotFound,
            Unauthorized,
            Forbidden,
            Conflict,
            Unprocessable,
            Internal,
            Unavailable
        )
    ),
    modifiers(&ServerErrors, &ClosedObjects),
    tags(
        (name = "organisation", description = "The organisation tree and its units"),
        (name = "documents", description = "Plans and follow-up reports"),
        (name = "reports", description = "Writing follow-up reports: creating one from the approved plan, assessments, outcomes, activity statuses, sections, economy and the workflow"),
        (name = "rollup", description = "A board's, administration's or department's roll-up of its units' reports, and its own assessment of each goal"),
        (name = "meta", description = "Health and this document")
    )
)]
pub struct ApiDoc;

/// A 400 answer: which part of the address is wrong, in `fields`.
pub struct BadRequest;
/// A 404 answer.
pub struct NotFound;
/// A 401 answer.
pub struct Unauthorized;
/// A 403 answer.
pub struct Forbidden;
/// A 409 answer.
pub struct Conflict;
/// A 422 answer.
pub struct Unprocessable;
/// A 500 answer.
pub struct Internal;
/// A 503 answer.
pub struct Unavailable;

fn error_response(description: &str) -> RefOr<OaResponse> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
        .into()
}

impl<'r> ToResponse<'r> for BadRequest {
    fn response() -> (&'r str, RefOr<OaResponse>) {
        (
            "BadRequest",
            error_response(
                "A part of the address cannot name anything: not a number, out of range, or no \
                 such kind. `fields` says which.",
            ),
        )
    }
}

impl<'r> ToResponse<'r> for NotFound {
    fn response() -> (&'r str, RefOr<OaResponse>) {
        ("NotFound", error_response("No such unit, plan or report."))
    }
}

impl<'r> ToResponse<'r> for Unauthorized {
    fn response() -> (&'r str, RefOr<OaResponse>) {
        (
            "Unauthorized",
            error_response(
                "The request needs a person and carries none (the document is not approved,                  so not public), or its `Authorization` header is not a valid API token:                  malformed, unknown, expired, revoked, or of a disabled account. Carries                  `WWW-Authenticate: Bearer`.",
            ),
        )
    }
}

impl<'r> ToResponse<'r> for Forbidden {
    fn response() -> (&'r str, RefOr<OaResponse>) {
        (
            "Forbidden",
            error_response(
                "The person the token or session belongs to holds no role that covers the                  unit and allows this (a draft needs a role on the unit or above it).",
            ),
        )
    }
}

impl<'r> ToResponse<'r> for Conflict {
    fn response() -> (&'r str, RefOr<OaResponse>) {
        (
            "Conflict",
            error_response(
                "Nothing was saved: someone saved the section after the version stated (read it \
                 again and decide), or the plan is not open for writing (submitted or approved).",
            ),
        )
    }
}

impl<'r> ToResponse<'r> for Unprocessable {
    fn response() -> (&'r str, RefOr<OaResponse>) {
        (
            "Unprocessable",
            error_response(
                "The body is JSON, but a value cannot be used: `version` is not a whole number \
                 from 0, `body` is not text or is longer than 20 000 characters, or a field is \
                 missing or unknown. `fields` says which.",
            ),
        )
    }
}

impl<'r> ToResponse<'r> for Internal {
    fn response() -> (&'r str, RefOr<OaResponse>) {
        (
            "Internal",
            error_response("Something went wrong on the server; the details are in its log."),
        )
    }
}

impl<'r> ToResponse<'r> for Unavailable {
    fn response() -> (&'r str, RefOr<OaResponse>) {
        (
            "Unavailable",
            error_response("The database does not answer now; try again later."),
        )
    }
}

/// Every operation that reads the database may answer 500 and 503; every operation
/// answers 401 to an `Authorization` header that is not a valid token. Authentication is
/// optional (public documents need none): the document declares the bearer scheme and
/// that an operation may be called with it or without.
struct ServerErrors;

impl Modify for ServerErrors {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            Http, HttpAuthScheme, SecurityRequirement, SecurityScheme,
        };
        for (path, item) in doc.paths.paths.iter_mut() {
            let ops = [
                item.get.as_mut(),
                item.put.as_mut(),
                item.post.as_mut(),
                item.patch.as_mut(),
                item.delete.as_mut(),
            ];
            for op in ops.into_iter().flatten() {
                let mut answers = vec![("401", "Unauthorized")];
                if path != "/healthz" && path != "/api/v1/openapi.json" {
                    answers.extend([("500", "Internal"), ("503", "Unavailable")]);
                }
                for (status, name) in answers {
                    op.responses
                        .responses
                        .entry(status.to_string())
                        .or_insert_with(|| Ref::from_response_name(name).into());
                }
            }
        }
        if let Some(components) = doc.components.as_mut() {
            let mut bearer = Http::new(HttpAuthScheme::Bearer);
            bearer.bearer_format = Some("mk_…".into());
            bearer.description = Some(
                "An API token made with `malkedja token create` or on the page API-nycklar.                  It acts with its person's roles."
                    .into(),
            );
            components
                .security_schemes
                .insert("bearer".into(), SecurityScheme::Http(bearer).into());
        }
        doc.security = Some(vec![
            SecurityRequirement::default(),
            SecurityRequirement::new("bearer", Vec::<String>::new()),
        ]);
    }
}

/// No answer carries a field its schema does not name: every object schema says
/// `additionalProperties: false`. Structs get it from `deny_unknown_fields`; this closes
/// the variants of tagged enums (`Target`), which the derive leaves open.
struct ClosedObjects;

fn close(schema: &mut Schema) {
    match schema {
        Schema::Object(o) if !o.properties.is_empty() && o.additional_properties.is_none() => {
            o.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
        }
        Schema::OneOf(one) => {
            for item in one.items.iter_mut() {
                if let RefOr::T(s) = item {
                    close(s);
                }
            }
        }
        _ => {}
    }
}

impl Modify for ClosedObjects {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = doc.components.as_mut() {
            for schema in components.schemas.values_mut() {
                if let RefOr::T(s) = schema {
                    close(s);
                }
            }
        }
    }
}

static DOCUMENT: LazyLock<Result<String, String>> = LazyLock::new(|| {
    ApiDoc::openapi()
        .to_pretty_json()
        .map_err(|e| e.to_string())
});

type ApiResult<T> = Result<Json<T>, ApiError>;

/// Whether the server runs and the database answers.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "meta",
    responses(
        (status = 200, description = "The server and its database answer", body = Health),
        (status = 503, description = "The database does not answer", body = Health),
    )
)]
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => Json(Health {
            status: HealthStatus::Ok,
            message: None,
        })
        .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Health {
                    status: HealthStatus::Unavailable,
                    message: Some("Databasen svarar inte.".into()),
                }),
            )
                .into_response()
        }
    }
}

/// This document (OpenAPI 3.1).
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    responses(
        (status = 200, description = "The OpenAPI document", body = Object),
        (status = 500, response = Internal),
    )
)]
pub async fn openapi() -> Response {
    match &*DOCUMENT {
        Ok(doc) => ([(header::CONTENT_TYPE, "application/json")], doc.clone()).into_response(),
        Err(e) => AppError::Internal(format!("the OpenAPI document: {e}")).json(),
    }
}

/// The organisation tree.
///
/// A list of root nodes (normally one city), each with its children, down to units and
/// their operations.
#[utoipa::path(
    get,
    path = "/api/v1/org",
    tag = "organisation",
    responses((status = 200, description = "The root nodes with their children", body = Vec<model::OrgNode>))
)]
pub async fn org(State(state): State<AppState>) -> ApiResult<Vec<model::OrgNode>> {
    let nodes = state.store.org_nodes().await?;
    Ok(Json(
        build_tree(&nodes).iter().map(convert::org_node).collect(),
    ))
}

/// The unit `id` names, then its ancestors up to the root; 404 when it names no unit.
async fn unit_chain(state: &AppState, id: NodeId) -> Result<Vec<OrgNode>, AppError> {
    let chain = state.store.chain(id).await?;
    match chain.first() {
        Some(n) if n.kind == OrgKind::Unit => Ok(chain),
        _ => Err(AppError::NotFound(format!(
            "Det finns ingen enhet med id {id}."
        ))),
    }
}

fn unit_id(raw: &str) -> Result<NodeId, AppError> {
    params::node_id("id", raw, "Enhetens id")
}

/// A unit: where it sits, its operations, and links to its plans and their reports.
#[utoipa::path(
    get,
    path = "/api/v1/units/{id}",
    tag = "organisation",
    params(("id" = model::Id, Path, description = "The unit's id")),
    responses(
        (status = 200, description = "The unit", body = model::Unit),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
    )
)]
pub async fn unit(
    State(state): State<AppState>,
    ApiPath(raw): ApiPath<String>,
) -> ApiResult<model::Unit> {
    let id = unit_id(&raw)?;
    let o = state
        .store
        .unit_overview(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Det finns ingen enhet med id {id}.")))?;
    let mut chain = o.chain.into_iter();
    let unit = chain
        .next()
        .ok_or_else(|| AppError::NotFound(format!("Det finns ingen enhet med id {id}.")))?;
    let ancestors: Vec<OrgNode> = chain.collect();
    let operations: Vec<OrgNode> = o.operations.into_iter().map(|(n, _)| n).collect();
    Ok(Json(convert::unit(
        &unit,
        &ancestors,
        &operations,
        &o.plans,
    )))
}

/// A unit's plan for a year: its own sections, the whole goal cascade and the memo header.
///
/// An approved plan is answered from its archive copy, made at approval: the same bytes
/// every time, whatever changes above it later.
#[utoipa::path(
    get,
    path = "/api/v1/units/{id}/plans/{year}",
    tag = "documents",
    params(
        ("id" = model::Id, Path, description = "The unit's id"),
        ("year" = model::Year, Path, description = "The plan's year"),
    ),
    responses(
        (status = 200, description = "The plan", body = model::Plan),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn plan(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((raw_id, raw_year)): ApiPath<(String, String)>,
) -> Result<Response, ApiError> {
    // `2025.pdf`, `2025.docx`, `2025.xlsx`: the plan as a file (the router cannot tell
    // a suffix after a parameter).
    if let Some((year, ext)) = raw_year.rsplit_once('.')
        && let Some(format) = crate::downloads::Format::from_ext(ext)
    {
        use crate::downloads::Format;
        let path = ApiPath((raw_id, year.to_string()));
        return match format {
            Format::Pdf => plan_pdf(State(state), caller, path).await,
            Format::Docx => plan_docx(State(state), caller, path).await,
            Format::Xlsx => plan_xlsx(State(state), caller, path).await,
        };
    }
    let id = unit_id(&raw_id)?;
    let year = params::year(&raw_year)?;
    let chain = unit_chain(&state, id).await?;
    let unit = &chain[0];
    let plan = state
        .store
        .plan(unit.id, year)
        .await?
        .ok_or_else(|| AppError::no_plan(&unit.name, year))?;
    caller.authorize(Action::read(plan.status), &chain)?;
    if plan.status == malkedja_domain::PlanStatus::Approved {
        let json = crate::archive::frozen(
            &state,
            malkedja_store::DocRef::Plan(plan.id),
            malkedja_store::FrozenPart::Json,
        )
        .await?;
        return Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response());
    }
    let doc = state
        .store
        .plan_document(unit.id, year)
        .await?
        .ok_or_else(|| AppError::no_plan(&unit.name, year))?;
    caller.authorize(Action::read(doc.plan.status), &chain)?;
    let memo = state
        .store
        .memo(malkedja_store::DocRef::Plan(doc.plan.id))
        .await?;
    Ok(Json(convert::plan(&doc, &memo)).into_response())
}

async fn plan_file(
    state: &AppState,
    caller: &Caller,
    raw_id: &str,
    raw_year: &str,
    format: crate::downloads::Format,
) -> Result<Response, ApiError> {
    let id = unit_id(raw_id)?;
    let year = params::year(raw_year)?;
    unit_chain(state, id).await?;
    Ok(crate::downloads::plan_file(state, caller, id, year, format)
        .await?
        .into_response())
}

/// A unit's plan as PDF, in the city's layout with its memo header.
///
/// An approved plan's PDF is its archive copy (PDF/A, made at approval); any other is
/// made now. Authorized as the plan itself.
#[utoipa::path(
    get,
    path = "/api/v1/units/{id}/plans/{year}.pdf",
    tag = "documents",
    params(
        ("id" = model::Id, Path, description = "The unit's id"),
        ("year" = model::Year, Path, description = "The plan's year"),
    ),
    responses(
        (status = 200, description = "The plan as PDF", content_type = "application/pdf", body = model::FileBytes,
            headers(("Content-Disposition" = String, description = "attachment, with the file's name in ASCII and in UTF-8"))),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn plan_pdf(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((raw_id, raw_year)): ApiPath<(String, String)>,
) -> Result<Response, ApiError> {
    plan_file(
        &state,
        &caller,
        &raw_id,
        &raw_year,
        crate::downloads::Format::Pdf,
    )
    .await
}

/// A unit's plan as a Word document (DOCX) with real headings and tables, to edit further.
#[utoipa::path(
    get,
    path = "/api/v1/units/{id}/plans/{year}.docx",
    tag = "documents",
    params(
        ("id" = model::Id, Path, description = "The unit's id"),
        ("year" = model::Year, Path, description = "The plan's year"),
    ),
    responses(
        (status = 200, description = "The plan as DOCX", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = model::FileBytes,
            headers(("Content-Disposition" = String, description = "attachment, with the file's name in ASCII and in UTF-8"))),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn plan_docx(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((raw_id, raw_year)): ApiPath<(String, String)>,
) -> Result<Response, ApiError> {
    plan_file(
        &state,
        &caller,
        &raw_id,
        &raw_year,
        crate::downloads::Format::Docx,
    )
    .await
}

/// Every indicator of a unit's plan, with its targets, as an Excel workbook (XLSX).
#[utoipa::path(
    get,
    path = "/api/v1/units/{id}/plans/{year}.xlsx",
    tag = "documents",
    params(
        ("id" = model::Id, Path, description = "The unit's id"),
        ("year" = model::Year, Path, description = "The plan's year"),
    ),
    responses(
        (status = 200, description = "The plan's indicators as XLSX", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = model::FileBytes,
            headers(("Content-Disposition" = String, description = "attachment, with the file's name in ASCII and in UTF-8"))),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn plan_xlsx(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((raw_id, raw_year)): ApiPath<(String, String)>,
) -> Result<Response, ApiError> {
    plan_file(
        &state,
        &caller,
        &raw_id,
        &raw_year,
        crate::downloads::Format::Xlsx,
    )
    .await
}

/// A follow-up report: its texts, the cascade with assessments, indicator outcomes and
/// activity statuses, the table of complaints and the memo header.
///
/// The pages' names of the kinds (`t1`, `t2`, `vb`) are answered with a permanent
/// redirect (308) to the same report under its code. An approved report is answered from
/// its archive copy.
#[utoipa::path(
    get,
    path = "/api/v1/units/{id}/reports/{year}/{kind}",
    tag = "documents",
    params(
        ("id" = model::Id, Path, description = "The unit's id"),
        ("year" = model::Year, Path, description = "The year of the plan the report follows up"),
        ("kind" = model::ReportKind, Path, description = "Which report"),
    ),
    responses(
        (status = 200, description = "The report", body = model::Report),
        (status = 308, description = "The kind was named as the pages name it (`t1`, `t2`, `vb`): the same report under its code",
            headers(("Location" = String, description = "The report's address with the kind's code"))),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn report(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((raw_id, raw_year, raw_kind)): ApiPath<(String, String, String)>,
) -> Result<Response, ApiError> {
    if let Some((kind, ext)) = raw_kind.rsplit_once('.') {
        let path = ApiPath((raw_id.clone(), raw_year.clone(), kind.to_string()));
        match ext {
            "pdf" => return report_pdf(State(state), caller, path).await,
            "docx" => return report_docx(State(state), caller, path).await,
            _ => {}
        }
    }
    let id = unit_id(&raw_id)?;
    let year = params::year(&raw_year)?;
    let (kind, named) = params::report_kind(&raw_kind, KindName::Code)?;
    if named == KindName::Slug {
        return Ok(Redirect::permanent(&convert::report_href(id, year, kind)).into_response());
    }
    let chain = unit_chain(&state, id).await?;
    let unit = &chain[0];
    let found = state
        .store
        .report_of(unit.id, year, kind)
        .await?
        .ok_or_else(|| AppError::no_report(&unit.name, kind, year))?;
    caller.authorize(Action::read(found.status), &chain)?;
    let doc_ref = malkedja_store::DocRef::Report(found.id);
    if found.status == malkedja_domain::PlanStatus::Approved {
        let json =
            crate::archive::frozen(&state, doc_ref, malkedja_store::FrozenPart::Json).await?;
        return Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response());
    }
    let doc = state
        .store
        .report_document(unit.id, year, kind)
        .await?
        .ok_or_else(|| AppError::no_report(&unit.name, kind, year))?;
    caller.authorize(Action::read(doc.report.status), &chain)?;
    let memo = state.store.memo(doc_ref).await?;
    Ok(Json(convert::report(&doc, &memo)).into_response())
}

async fn report_file(
    state: &AppState,
    caller: &Caller,
    (raw_id, raw_year, raw_kind): (&str, &str, &str),
    format: crate::downloads::Format,
) -> Result<Response, ApiError> {
    let id = unit_id(raw_id)?;
    let year = params::year(raw_year)?;
    let (kind, _) = params::report_kind(raw_kind, KindName::Code)?;
    unit_chain(state, id).await?;
    Ok(
        crate::downloads::report_file(state, caller, id, year, kind, format)
            .await?
            .into_response(),
    )
}

/// A follow-up report as PDF. An approved report's PDF is its archive copy (PDF/A).
#[utoipa::path(
    get,
    path = "/api/v1/units/{id}/reports/{year}/{kind}.pdf",
    tag = "documents",
    params(
        ("id" = model::Id, Path, description = "The unit's id"),
        ("year" = model::Year, Path, description = "The year of the plan the report follows up"),
        ("kind" = model::ReportKind, Path, description = "Which report"),
    ),
    responses(
        (status = 200, description = "The report as PDF", content_type = "application/pdf", body = model::FileBytes,
            headers(("Content-Disposition" = String, description = "attachment, with the file's name in ASCII and in UTF-8"))),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn report_pdf(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((raw_id, raw_year, raw_kind)): ApiPath<(String, String, String)>,
) -> Result<Response, ApiError> {
    report_file(
        &state,
        &caller,
        (&raw_id, &raw_year, &raw_kind),
        crate::downloads::Format::Pdf,
    )
    .await
}

/// A follow-up report as a Word document (DOCX).
#[utoipa::path(
    get,
    path = "/api/v1/units/{id}/reports/{year}/{kind}.docx",
    tag = "documents",
    params(
        ("id" = model::Id, Path, description = "The unit's id"),
        ("year" = model::Year, Path, description = "The year of the plan the report follows up"),
        ("kind" = model::ReportKind, Path, description = "Which report"),
    ),
    responses(
        (status = 200, description = "The report as DOCX", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = model::FileBytes,
            headers(("Content-Disposition" = String, description = "attachment, with the file's name in ASCII and in UTF-8"))),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
pub async fn report_docx(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((raw_id, raw_year, raw_kind)): ApiPath<(String, String, String)>,
) -> Result<Response, ApiError> {
    report_file(
        &state,
        &caller,
        (&raw_id, &raw_year, &raw_kind),
        crate::downloads::Format::Docx,
    )
    .await
}

/// The largest request body read (20 000 characters, escaped, fit well within it).
const BODY_LIMIT: usize = 512 * 1024;

/// The request's body as JSON: 400 (in the API's error shape) when it is not JSON.
async fn json_body(req: axum::extract::Request) -> Result<serde_json::Value, AppError> {
    let bad = |message: &str| AppError::BadRequest {
        field: "request",
        message: message.into(),
    };
    let is_json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return Err(bad("Skicka JSON, med Content-Type: application/json."));
    }
    let bytes = axum::body::to_bytes(req.into_body(), BODY_LIMIT)
        .await
        .map_err(|_| bad("Begäran är för stor eller kom inte fram helt."))?;
    serde_json::from_slice(&bytes).map_err(|e| AppError::BadRequest {
        field: "request",
        message: format!("Begäran är inte giltig JSON ({e})."),
    })
}

/// Saves the text of one of a plan's own sections (Inledning, Budget, …).
///
/// State the `version` of the section you started from (as `GET …/plans/{year}` gives it;
/// 0 when it has no text). Someone else's save in between is 409 and nothing is saved:
/// read the plan again and decide. Needs a person who may write the unit's texts, and a
/// plan open for writing (a draft, or returned); a submitted or approved plan is 409.
#[utoipa::path(
    put,
    path = "/api/v1/units/{id}/plans/{year}/sections/{key}",
    tag = "documents",
    params(
        ("id" = model::Id, Path, description = "The unit's id"),
        ("year" = model::Year, Path, description = "The plan's year"),
        ("key" = String, Path, description = "The section's key, as the plan's `sections` give it"),
    ),
    request_body(content = model::SectionUpdate, content_type = "application/json"),
    responses(
        (status = 200, description = "Saved: the section as now stored", body = model::SavedSection),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 422, response = Unprocessable),
    )
)]
pub async fn save_section(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((raw_id, raw_year, key)): ApiPath<(String, String, String)>,
    req: axum::extract::Request,
) -> ApiResult<model::SavedSection> {
    use crate::plan_sections;
    let id = unit_id(&raw_id)?;
    let year = params::year(&raw_year)?;
    let person = caller.require_person()?;
    let target = plan_sections::load(&state, &caller, id, year, &key).await?;
    let update = plan_sections::check_update(&json_body(req).await?)?;
    if let Some(why) = plan_sections::closed_reason(target.doc.plan.status) {
        return Err(AppError::Store(malkedja_store::StoreError::Locked(why)).into());
    }
    let saved = plan_sections::save(
        &state,
        &person.who.email,
        &target,
        &update.body,
        update.version,
    )
    .await?;
    Ok(Json(model::SavedSection {
        key: saved.key,
        body: saved.body,
        version: saved.version,
    }))
}

/// Chooses what a unit's plan takes from above: the board and department goals, board
/// activities and council (or board) indicators that apply, and the unit's own target for
/// each indicator it follows. The whole choice at once: what is not named is taken out
/// (the unit's own goals, indicators and activities are left as they are).
///
/// State the plan's `version` (as `GET …/plans/{year}` gives it): any change to the plan
/// since is 409 and nothing is saved. A goal the unit's own goals hang on stays chosen
/// (`kept_goals`). Needs a person who may write the unit's texts, and a plan open for
/// writing (a draft, or returned).
#[utoipa::path(
    put,
    path = "/api/v1/units/{id}/plans/{year}/selection",
    tag = "documents",
    params(
        ("id" = model::Id, Path, description = "The unit's id"),
        ("year" = model::Year, Path, description = "The plan's year"),
    ),
    request_body(content = model::SelectionUpdate, content_type = "application/json"),
    responses(
        (status = 200, description = "Saved: what the plan now takes, and its new version", body = model::SavedSelection),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, description = "Nothing was saved: the plan changed after the version stated (read it again and decide), or it is not open for writing (submitted or approved).", body = ErrorBody),
        (status = 422, description = "The body is JSON, but a value cannot be used: `version` is not a whole number from 0, an id is not one the unit may choose, a target is not a number where the indicator is measured in numbers or is longer than 200 characters, or a field is missing or unknown. `fields` says which.", body = ErrorBody),
    )
)]
pub async fn save_selection(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((raw_id, raw_year)): ApiPath<(String, String)>,
    req: axum::extract::Request,
) -> ApiResult<model::SavedSelection> {
    use crate::selection;
    let id = unit_id(&raw_id)?;
    let year = params::year(&raw_year)?;
    let person = caller.require_person()?;
    let loaded = selection::load(&state, &caller, id, year).await?;
    let update = selection::check_update(&json_body(req).await?)?;
    let now = selection::save_from_api(&state, &person.who.email, &loaded, &update).await?;
    Ok(Json(convert::selection(&now)))
}
