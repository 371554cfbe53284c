//! What can go wrong on a request, and how it is answered: a Swedish page, or under
//! `/api/` (and `/healthz`) a JSON error of one shape, documented as `ErrorBody`.

use crate::auth::SignInNeeded;
use crate::pages::ErrorPage;
use askama::Template;
use axum::Json;
use axum::extract::Request;
use axum::http::{Method, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use malkedja_domain::{AccountError, Denied, WorkflowError};
use malkedja_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// Why a request could not be answered with what was asked for.
#[derive(Debug)]
pub enum AppError {
    NotFound(String),
    BadRequest {
        field: &'static str,
        message: String,
    },
    /// The address exists, but not for this method.
    MethodNotAllowed {
        method: Method,
    },
    Store(StoreError),
    Render(askama::Error),
    Internal(String),
    /// The policy said no (`malkedja_domain::may`): sign in first (401, the sign-in page),
    /// not allowed (403), or not something this node has (404).
    Denied(Denied),
    /// A credential that was offered is not valid (a bad API token): 401.
    Unauthorized(String),
    /// A state-changing request from another site, or without the session's form token.
    Csrf,
    /// Too many failed sign-ins: try again after this many seconds.
    TooManyRequests {
        retry_after: u64,
    },
    /// A well-formed request whose values cannot be used (a text too long, a version that is
    /// not a number): 422, with a message for each field.
    Invalid(Vec<FieldError>),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => AppError::NotFound(format!("{what} finns inte")),
            other => AppError::Store(other),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Render(e)
    }
}

impl AppError {
    /// The unit has no plan for the year.
    pub fn no_plan(unit: &str, year: i32) -> AppError {
        AppError::NotFound(format!("{unit} har ingen verksamhetsplan för år {year}."))
    }

    /// The unit has no report of this kind for the year.
    pub fn no_report(unit: &str, kind: malkedja_domain::ReportKind, year: i32) -> AppError {
        AppError::NotFound(format!(
            "{unit} har ingen {} för år {year}.",
            kind.label().to_lowercase()
        ))
    }

    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Store(
                StoreError::Conflict { .. } | StoreError::Locked(_) | StoreError::Exists(_),
            ) => StatusCode::CONFLICT,
            // A missing or overlong comment is bad input; a step from the wrong status a
            // conflict with the plan as it now is.
            AppError::Store(StoreError::Workflow(
                WorkflowError::CommentRequired(..) | WorkflowError::CommentTooLong { .. },
            )) => StatusCode::BAD_REQUEST,
            AppError::Store(StoreError::Workflow(_)) => StatusCode::CONFLICT,
            // A rule of the cascade (a parent of another year, an end before the start).
            AppError::Store(StoreError::Domain(_) | StoreError::Placement(_)) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            // Submitting a plan in which the check finds errors: what to fix is listed.
            AppError::Store(StoreError::PlanCheck(_)) => StatusCode::UNPROCESSABLE_ENTITY,
            // The same for a report; a report for a year without an approved plan, an
            // outcome, status or economy figure that cannot be used.
            AppError::Store(
                StoreError::ReportCheck(_)
                | StoreError::NoApprovedPlan { .. }
                | StoreError::FollowUp(_),
            ) => StatusCode::UNPROCESSABLE_ENTITY,
            // A template change refused: a section with text in plans is a conflict with
            // them, anything else bad input.
            AppError::Store(StoreError::Template(malkedja_domain::TemplateError::HasText {
                ..
            })) => StatusCode::CONFLICT,
            AppError::Store(StoreError::Template(_)) => StatusCode::UNPROCESSABLE_ENTITY,
            // A taken email is a conflict; a refused email, name or password bad input.
            AppError::Store(StoreError::Account(AccountError::EmailTaken(_))) => {
                StatusCode::CONFLICT
            }
            AppError::Store(StoreError::Account(_)) => StatusCode::BAD_REQUEST,
            AppError::Store(e) if e.is_unavailable() => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Store(_) | AppError::Render(_) | AppError::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            AppError::Denied(Denied::SignInRequired) | AppError::Unauthorized(_) => {
                StatusCode::UNAUTHORIZED
            }
            AppError::Denied(Denied::Forbidden) | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Denied(Denied::NotApplicable) => StatusCode::NOT_FOUND,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    fn code(&self) -> ErrorCode {
        match self.status() {
            StatusCode::NOT_FOUND => ErrorCode::NotFound,
            StatusCode::BAD_REQUEST => ErrorCode::BadRequest,
            StatusCode::METHOD_NOT_ALLOWED => ErrorCode::MethodNotAllowed,
            StatusCode::CONFLICT => ErrorCode::Conflict,
            StatusCode::SERVICE_UNAVAILABLE => ErrorCode::Unavailable,
            StatusCode::UNAUTHORIZED => ErrorCode::Unauthorized,
            StatusCode::FORBIDDEN => ErrorCode::Forbidden,
            StatusCode::TOO_MANY_REQUESTS => ErrorCode::TooManyRequests,
            StatusCode::UNPROCESSABLE_ENTITY => ErrorCode::Unprocessable,
            _ => ErrorCode::Internal,
        }
    }

    /// The message a user sees. Internal details are logged, not shown.
    pub(crate) fn message(&self) -> String {
        match self {
            AppError::NotFound(m) => m.clone(),
            AppError::BadRequest { message, .. } => message.clone(),
            AppError::MethodNotAllowed { method } => {
                format!("Adressen finns, men går inte att använda med {method}.")
            }
            AppError::Store(
                e @ (StoreError::Conflict { .. }
                | StoreError::Locked(_)
                | StoreError::Workflow(_)
                | StoreError::PlanCheck(_)
                | StoreError::ReportCheck(_)
                | StoreError::NoApprovedPlan { .. }
                | StoreError::FollowUp(_)
                | StoreError::Exists(_)
                | StoreError::Account(_)),
            ) => e.to_string(),
            AppError::Store(
                e @ (StoreError::Domain(_) | StoreError::Placement(_) | StoreError::Template(_)),
            ) => crate::forms::sentence(e),
            AppError::Store(e) if e.is_unavailable() => {
                "Databasen svarar inte just nu. Försök igen om en stund.".into()
            }
            AppError::Denied(Denied::SignInRequired) => {
                "Du behöver logga in för att se det här.".into()
            }
            AppError::Denied(Denied::Forbidden) => {
                "Du är inloggad, men har ingen roll som ger dig tillgång till det här. Behöver du tillgång, kontakta den som administrerar Målkedja hos er.".into()
            }
            AppError::Denied(Denied::NotApplicable) => "Det går inte att göra så här med det du valde.".into(),
            AppError::Unauthorized(m) => m.clone(),
            AppError::Csrf => {
                "Formuläret kunde inte tas emot: det skickades inte från Målkedjas egen sida, eller så har sidan hunnit bli för gammal. Ladda om sidan och försök igen. Det du skrev har inte sparats.".into()
            }
            AppError::TooManyRequests { retry_after } => format!(
                "För många misslyckade inloggningar. Vänta {} och försök igen.",
                wait_text(*retry_after)
            ),
            AppError::Invalid(fields) => match fields.as_slice() {
                [one] => one.message.clone(),
                _ => "Några av värdena går inte att använda; se fields.".into(),
            },
            AppError::Store(_) | AppError::Render(_) | AppError::Internal(_) => {
                "Något gick fel hos oss. Försök igen om en stund; kvarstår felet, kontakta förvaltningens systemförvaltare.".into()
            }
        }
    }

    fn log(&self) {
        match self {
            // What a person did wrong or met (a conflict, a locked plan) is not a fault.
            AppError::Store(
                e @ (StoreError::Conflict { .. }
                | StoreError::Locked(_)
                | StoreError::Workflow(_)
                | StoreError::Account(_)
                | StoreError::Domain(_)
                | StoreError::Placement(_)
                | StoreError::PlanCheck(_)
                | StoreError::ReportCheck(_)
                | StoreError::NoApprovedPlan { .. }
                | StoreError::FollowUp(_)
                | StoreError::Exists(_)
                | StoreError::Template(_)),
            ) => tracing::info!(error = %e, "refused"),
            AppError::Store(e) => tracing::error!(error = %e, "store error"),
            AppError::Render(e) => tracing::error!(error = %e, "template error"),
            AppError::Internal(e) => tracing::error!(error = %e, "internal error"),
            _ => {}
        }
    }

    /// Headers the answer carries whatever its format.
    fn headers(&self) -> Vec<(header::HeaderName, String)> {
        match self {
            AppError::TooManyRequests { retry_after } => {
                vec![(header::RETRY_AFTER, retry_after.to_string())]
            }
            _ => Vec::new(),
        }
    }

    fn with_headers(&self, mut res: Response) -> Response {
        for (name, value) in self.headers() {
            if let Ok(v) = header::HeaderValue::from_str(&value) {
                res.headers_mut().insert(name, v);
            }
        }
        res
    }

    /// As an HTML page. "Sign in first" is marked for the authentication layer, which
    /// answers with the sign-in form (it knows the address to come back to).
    pub fn html(self) -> Response {
        self.log();
        let status = self.status();
        if matches!(self, AppError::Denied(Denied::SignInRequired)) {
            return (status, SignInNeeded).into_response();
        }
        let page = ErrorPage {
            crumbs: Vec::new(),
            title: match status {
                StatusCode::NOT_FOUND => "Sidan finns inte".into(),
                StatusCode::BAD_REQUEST => "Felaktig adress".into(),
                StatusCode::METHOD_NOT_ALLOWED => "Det går inte att göra så här".into(),
                StatusCode::SERVICE_UNAVAILABLE => "Tillfälligt otillgänglig".into(),
                StatusCode::UNAUTHORIZED => "Logga in".into(),
                StatusCode::FORBIDDEN if matches!(self, AppError::Csrf) => {
                    "Formuläret kunde inte skickas".into()
                }
                StatusCode::FORBIDDEN => "Du har inte behörighet".into(),
                StatusCode::TOO_MANY_REQUESTS => "Vänta en stund".into(),
                StatusCode::UNPROCESSABLE_ENTITY => "Det gick inte att spara".into(),
                StatusCode::CONFLICT => "Det gick inte att spara".into(),
                _ => "Något gick fel".into(),
            },
            message: self.message(),
            status: status.as_u16(),
        };
        let res = match page.render() {
            Ok(body) => (status, Html(body)).into_response(),
            Err(_) => (status, self.message()).into_response(),
        };
        self.with_headers(res)
    }

    /// As a JSON error: `{"error": {"code", "message", "fields"}}`.
    pub fn json(self) -> Response {
        self.log();
        let fields = match &self {
            AppError::BadRequest { field, message } => vec![FieldError {
                field,
                message: message.clone(),
            }],
            AppError::Invalid(fields) => fields.clone(),
            // A submit the plan check refused: each error is a reason the step (`to`)
            // cannot be taken.
            AppError::Store(
                StoreError::PlanCheck(findings) | StoreError::ReportCheck(findings),
            ) => malkedja_domain::check_errors(findings)
                .into_iter()
                .map(|f| FieldError {
                    field: "to",
                    message: f.message.clone(),
                })
                .collect(),
            _ => Vec::new(),
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message: self.message(),
                fields,
            },
        };
        let mut res = self.with_headers((self.status(), Json(body)).into_response());
        if self.status() == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer realm=\"malkedja\""),
            );
        }
        res
    }
}

/// "3 minuter", "1 minut", "40 sekunder".
fn wait_text(seconds: u64) -> String {
    match seconds {
        0..=1 => "en sekund".into(),
        2..=59 => format!("{seconds} sekunder"),
        60..=119 => "en minut".into(),
        _ => format!("{} minuter", seconds.div_ceil(60)),
    }
}

/// What every error answer of the API carries.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    /// For people, in Swedish.
    pub message: String,
    /// Which parts of the request were wrong; empty unless `code` is `bad_request` or
    /// `unprocessable`.
    pub fields: Vec<FieldError>,
}

/// What went wrong, for programs. The HTTP status says the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400
    BadRequest,
    /// 404
    NotFound,
    /// 405
    MethodNotAllowed,
    /// 401: no valid credential, and the request needs one.
    Unauthorized,
    /// 403: signed in but not allowed, or a refused cross-site request.
    Forbidden,
    /// 409: the version stated is not the one stored (someone else saved first), or the
    /// document is not open for writing.
    Conflict,
    /// 422: the request is well-formed but a value cannot be used; `fields` says which.
    Unprocessable,
    /// 429: too many failed sign-ins; `Retry-After` says when to try again.
    TooManyRequests,
    /// 500
    Internal,
    /// 503
    Unavailable,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldError {
    /// The part of the request: `id`, `year`, `kind` or `path` of the address; `request`
    /// (the body as a whole), or a field of the body such as `version` or `body`.
    #[schema(value_type = String)]
    pub field: &'static str,
    pub message: String,
}

/// Whether an address answers in JSON.
pub fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/") || path == "/healthz"
}

/// An HTML handler's failure.
pub struct HtmlError(pub AppError);

impl<E: Into<AppError>> From<E> for HtmlError {
    fn from(e: E) -> Self {
        HtmlError(e.into())
    }
}

impl IntoResponse for HtmlError {
    fn into_response(self) -> Response {
        self.0.html()
    }
}

/// An API handler's failure.
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.json()
    }
}

/// Anything no route matched: JSON under /api, a Swedish page elsewhere.
pub async fn fallback(req: Request) -> Response {
    let path = req.uri().path();
    let err = AppError::NotFound(format!("Det finns ingen sida på adressen {path}."));
    if is_api(path) { err.json() } else { err.html() }
}

/// A route that exists, asked with a method it does not answer. axum adds the `Allow`
/// header; this gives the body: JSON under /api, a Swedish page elsewhere.
pub async fn method_not_allowed(method: Method, uri: Uri) -> Response {
    let err = AppError::MethodNotAllowed { method };
    if is_api(uri.path()) {
        let mut answer = err.json();
        // A report's PDF or Word shares its address pattern with creating the report
        // (POST …/reports/{year}/{kind}), but is only read: say so, not GET and POST.
        if is_report_download(uri.path()) {
            answer.headers_mut().insert(
                axum::http::header::ALLOW,
                axum::http::HeaderValue::from_static("GET,HEAD"),
            );
        }
        answer
    } else {
        err.html()
    }
}

/// `/api/v1/units/{id}/reports/{year}/{kind}.pdf` or `.docx`.
pub(crate) fn is_report_download(path: &str) -> bool {
    path.starts_with("/api/v1/units/")
        && path.contains("/reports/")
        && (path.ends_with(".pdf") || path.ends_with(".docx"))
}

#[cfg(test)]
mod account_error_tests {
    use super::*;

    #[test]
    fn a_taken_or_refused_account_is_a_clear_answer_never_a_500() {
        let taken: AppError =
            StoreError::from(AccountError::EmailTaken("anna@exempel.se".into())).into();
        assert_eq!(taken.status(), StatusCode::CONFLICT);
        assert_eq!(
            taken.message(),
            "det finns redan ett konto med e-postadressen anna@exempel.se"
        );
        let short: AppError = StoreError::from(AccountError::PasswordTooShort).into();
        assert_eq!(short.status(), StatusCode::BAD_REQUEST);
        assert_eq!(short.message(), "lösenordet måste ha minst 12 tecken");
    }
}
