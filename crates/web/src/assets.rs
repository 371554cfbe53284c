//! Assets embedded in the binary: nothing is fetched from elsewhere.

use crate::error::AppError;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

const CSS: &str = include_str!("../assets/malkedja.css");
const JS: &str = include_str!("../assets/malkedja.js");

pub async fn serve(Path(file): Path<String>) -> Response {
    match file.as_str() {
        "malkedja.css" => (
            [
                (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            CSS,
        )
            .into_response(),
        "malkedja.js" => (
            [
                (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            JS,
        )
            .into_response(),
        _ => AppError::NotFound(format!("Filen {file} finns inte.")).html(),
    }
}
