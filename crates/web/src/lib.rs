//! Målkedja's web layer: server-rendered Swedish pages and the JSON API.
//!
//! Only this crate knows about HTTP, HTML and JSON. Handlers read through
//! [`malkedja_store::Store`] and turn domain values into page or API views; they never
//! write SQL and never panic on a request: every failure becomes a Swedish error page or a
//! JSON error with a 4xx/5xx status.

mod api;
mod assets;
mod error;
mod pages;
mod params;
mod settings;
mod text;
mod views;

pub use settings::Settings;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use malkedja_store::Store;
use std::sync::Arc;
use std::time::Instant;

/// What every handler gets.
#[derive(Clone, Debug)]
pub struct AppState {
    pub store: Store,
    pub settings: Arc<Settings>,
}

/// The whole application with default settings (placeholders in the accessibility
/// statement): what tests use.
pub fn router(store: Store) -> Router {
    router_with(Settings::default(), store)
}

/// The whole application: pages, API, assets, logging and security headers.
pub fn router_with(settings: Settings, store: Store) -> Router {
    let state = AppState {
        store,
        settings: Arc::new(settings),
    };
    Router::new()
        .route("/", get(pages::index))
        .route("/tillganglighet", get(pages::accessibility))
        .route("/enheter/{id}", get(pages::unit))
        .route("/enheter/{id}/planer/{year}", get(pages::plan))
        .route("/enheter/{id}/rapporter/{year}/{kind}", get(pages::report))
        .route("/healthz", get(api::healthz))
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/api/v1/org", get(api::org))
        .route("/api/v1/units/{id}", get(api::unit))
        .route("/api/v1/units/{id}/plans/{year}", get(api::plan))
        .route("/api/v1/units/{id}/reports/{year}/{kind}", get(api::report))
        .route("/static/{*file}", get(assets::serve))
        // Only the routes above get this: it must come after them.
        .method_not_allowed_fallback(error::method_not_allowed)
        .fallback(error::fallback)
        .layer(middleware::from_fn(log_and_harden))
        .with_state(state)
}

/// The OpenAPI document of the JSON API, as served at `/api/v1/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    use utoipa::OpenApi;
    api::ApiDoc::openapi()
}

/// One structured log line per request, and the headers every response carries.
async fn log_and_harden(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
        ),
    );
    let status = res.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(target: "malkedja::http", %method, path, status, ms = format!("{ms:.1}"), "request");
    res
}
