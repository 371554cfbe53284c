//! What can go wrong on a request, and how it is answered: a Swedish page, or under
//! `/api/` (and `/healthz`) a JSON error of one shape, documented as `ErrorBody`.

use crate::pages::ErrorPage;
use askama::Template;
use axum::Json;
use axum::extract::Request;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use malkedja_domain::AccountError;
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
            AppError::Store(StoreError::Conflict { .. }) => StatusCode::CONFLICT,
            // A taken email is a conflict; a refused email, name or password bad input.
            AppError::Store(StoreError::Account(AccountError::EmailTaken(_))) => {
                StatusCode::CONFLICT
            }
            AppError::Store(StoreError::Account(_)) => StatusCode::BAD_REQUEST,
            AppError::Store(e) if e.is_unavailable() => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Store(_) | AppError::Render(_) | AppError::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    fn code(&self) -> ErrorCode {
        match self.status() {
            StatusCode::NOT_FOUND => ErrorCode::NotFound,
            StatusCode::BAD_REQUEST => ErrorCode::BadRequest,
            StatusCode::METHOD_NOT_ALLOWED => ErrorCode::MethodNotAllowed,
            StatusCode::CONFLICT => ErrorCode::Conflict,
            StatusCode::SERVICE_UNAVAILABLE => ErrorCode::Unavailable,
            _ => ErrorCode::Internal,
        }
    }

    /// The message a user sees. Internal details are logged, not shown.
    fn message(&self) -> String {
        match self {
            AppError::NotFound(m) => m.clone(),
            AppError::BadRequest { message, .. } => message.clone(),
            AppError::MethodNotAllowed { method } => {
                format!("Adressen finns, men går inte att använda med {method}.")
            }
            AppError::Store(e @ (StoreError::Conflict { .. } | StoreError::Account(_))) => {
                e.to_string()
            }
            AppError::Store(e) if e.is_unavailable() => {
                "Databasen svarar inte just nu. Försök igen om en stund.".into()
            }
            AppError::Store(_) | AppError::Render(_) | AppError::Internal(_) => {
                "Något gick fel hos oss. Försök igen om en stund; kvarstår felet, kontakta förvaltningens systemförvaltare.".into()
            }
        }
    }

    fn log(&self) {
        match self {
            AppError::Store(e) => tracing::error!(error = %e, "store error"),
            AppError::Render(e) => tracing::error!(error = %e, "template error"),
            AppError::Internal(e) => tracing::error!(error = %e, "internal error"),
            _ => {}
        }
    }

    /// As an HTML page.
    pub fn html(self) -> Response {
        self.log();
        let status = self.status();
        let page = ErrorPage {
            crumbs: Vec::new(),
            title: match status {
                StatusCode::NOT_FOUND => "Sidan finns inte".into(),
                StatusCode::BAD_REQUEST => "Felaktig adress".into(),
                StatusCode::METHOD_NOT_ALLOWED => "Det går inte att göra så här".into(),
                StatusCode::SERVICE_UNAVAILABLE => "Tillfälligt otillgänglig".into(),
                _ => "Något gick fel".into(),
            },
            message: self.message(),
            status: status.as_u16(),
        };
        match page.render() {
            Ok(body) => (status, Html(body)).into_response(),
            Err(_) => (status, self.message()).into_response(),
        }
    }

    /// As a JSON error: `{"error": {"code", "message", "fields"}}`.
    pub fn json(self) -> Response {
        self.log();
        let fields = match &self {
            AppError::BadRequest { field, message } => vec![FieldError {
                field,
                message: message.clone(),
            }],
            _ => Vec::new(),
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message: self.message(),
                fields,
            },
        };
        (self.status(), Json(body)).into_response()
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
    /// Which parts of the request were wrong; empty unless `code` is `bad_request`.
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
    /// 409
    Conflict,
    /// 500
    Internal,
    /// 503
    Unavailable,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldError {
    /// The part of the request: `id`, `year`, `kind` or `path`.
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
        err.json()
    } else {
        err.html()
    }
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
