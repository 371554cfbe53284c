use crate::pages::ErrorPage;
use askama::Template;
use axum::Json;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use malkedja_store::StoreError;
use serde::Serialize;

/// Why a request could not be answered with what was asked for.
#[derive(Debug)]
pub enum AppError {
    NotFound(String),
    BadRequest {
        field: &'static str,
        message: String,
    },
    Store(StoreError),
    Render(askama::Error),
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
    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::Store(StoreError::Conflict { .. }) => StatusCode::CONFLICT,
            AppError::Store(_) | AppError::Render(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message a user sees. Internal details are logged, not shown.
    fn message(&self) -> String {
        match self {
            AppError::NotFound(m) => m.clone(),
            AppError::BadRequest { message, .. } => message.clone(),
            AppError::Store(e @ StoreError::Conflict { .. }) => e.to_string(),
            AppError::Store(_) | AppError::Render(_) => {
                "Något gick fel hos oss. Försök igen om en stund; kvarstår felet, kontakta förvaltningens systemförvaltare.".into()
            }
        }
    }

    fn log(&self) {
        match self {
            AppError::Store(e) => tracing::error!(error = %e, "store error"),
            AppError::Render(e) => tracing::error!(error = %e, "template error"),
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
        let status = self.status();
        let code = match &self {
            AppError::NotFound(_) => "not_found",
            AppError::BadRequest { .. } => "bad_request",
            AppError::Store(StoreError::Conflict { .. }) => "conflict",
            _ => "internal",
        };
        let fields = match &self {
            AppError::BadRequest { field, message } => vec![FieldError {
                field,
                message: message.clone(),
            }],
            _ => Vec::new(),
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code,
                message: self.message(),
                fields,
            },
        };
        (status, Json(body)).into_response()
    }
}

#[derive(Serialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Serialize)]
struct ErrorDetail {
    code: &'static str,
    message: String,
    fields: Vec<FieldError>,
}

#[derive(Serialize)]
struct FieldError {
    field: &'static str,
    message: String,
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
    if path.starts_with("/api/") {
        err.json()
    } else {
        err.html()
    }
}

/// Reads a number from the path, or says which part of the address is wrong.
pub fn parse_id(field: &'static str, raw: &str, what: &str) -> Result<i64, AppError> {
    raw.parse::<i64>().map_err(|_| AppError::BadRequest {
        field,
        message: format!("{what} ska anges med siffror, inte \"{raw}\"."),
    })
}
