//! Målkedja's web layer: server-rendered Swedish pages and the JSON API.
//!
//! Only this crate knows about HTTP, HTML and JSON. Handlers read through
//! [`malkedja_store::Store`] and turn domain values into page or API views; they never
//! write SQL and never panic on a request: every failure becomes a Swedish error page or a
//! JSON error with a 4xx/5xx status.

mod admin;
mod api;
mod archive;
mod assets;
pub mod auth;
mod carry;
mod diff;
mod doc;
mod downloads;
mod editor;
mod error;
mod facts;
mod forms;
mod goals;
mod history;
mod indicator_history;
mod memo;
mod my_work;
mod org_admin;
mod own_password;
mod pages;
mod params;
mod plan_sections;
mod plan_template;
mod ready;
mod report_writing;
mod rollup;
mod routes;
mod scope;
mod selection;
mod settings;
mod sign_in;
mod structure_copy;
mod tokens;
mod views;
mod workflow;

pub use archive::freezer;
pub use routes::{Access, RouteInfo};
pub use settings::{BadPublicUrl, DemoLogin, Settings, public_origin};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
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

/// Every route, with what it needs (`routes.rs`): the router is built from this list.
fn routes() -> routes::Routes {
    use axum::http::Method;
    routes::Routes::new()
        .public("/", pages::index)
        .public("/tillganglighet", pages::accessibility)
        .public("/logga-in", sign_in::form)
        .sign_in("/logga-in", sign_in::submit)
        .change(Method::POST, "/logga-ut", sign_in::sign_out)
        .private("/api-nycklar", tokens::list)
        .change(Method::POST, "/api-nycklar", tokens::create)
        .change(Method::POST, "/api-nycklar/{id}/aterkalla", tokens::revoke)
        .private("/konto/losenord", own_password::form)
        .change(Method::POST, "/konto/losenord", own_password::submit)
        .private("/admin/personer", admin::list)
        .change(Method::POST, "/admin/personer", admin::add)
        .private("/admin/personer/ny", admin::add_form)
        .private("/admin/personer/{id}", admin::person)
        .change(Method::POST, "/admin/personer/{id}/roller", admin::grant)
        .change(
            Method::POST,
            "/admin/personer/{id}/roller/ta-bort",
            admin::revoke,
        )
        .change(
            Method::POST,
            "/admin/personer/{id}/stang-av",
            admin::disable,
        )
        .private("/admin/organisation", org_admin::tree)
        .private("/admin/organisation/{id}", org_admin::node)
        .change(
            Method::POST,
            "/admin/organisation/{id}/namn",
            org_admin::rename,
        )
        .change(
            Method::POST,
            "/admin/organisation/{id}/flytta",
            org_admin::move_node,
        )
        .change(
            Method::POST,
            "/admin/organisation/{id}/avveckla",
            org_admin::close,
        )
        .change(
            Method::POST,
            "/admin/organisation/{id}/ateroppna",
            org_admin::reopen,
        )
        .private("/admin/organisation/{id}/ny", org_admin::new_form)
        .change(
            Method::POST,
            "/admin/organisation/{id}/ny",
            org_admin::create,
        )
        .private("/admin/ar", org_admin::years)
        .change(Method::POST, "/admin/ar", org_admin::add_year)
        .private(
            "/admin/forvaltningar/{id}/tidsfrister/{year}",
            org_admin::deadlines_form,
        )
        .change(
            Method::POST,
            "/admin/forvaltningar/{id}/tidsfrister/{year}",
            org_admin::save_deadlines,
        )
        .private("/admin/mallar", plan_template::list)
        .private("/admin/mallar/{id}/{year}", plan_template::show)
        .change(
            Method::POST,
            "/admin/mallar/{id}/{year}/kopiera",
            plan_template::copy,
        )
        .private("/admin/mallar/{id}/{year}/nytt", plan_template::add_form)
        .change(
            Method::POST,
            "/admin/mallar/{id}/{year}/nytt",
            plan_template::add,
        )
        .private(
            "/admin/mallar/{id}/{year}/avsnitt/{key}",
            plan_template::edit_form,
        )
        .change(
            Method::POST,
            "/admin/mallar/{id}/{year}/avsnitt/{key}",
            plan_template::edit,
        )
        .change(
            Method::POST,
            "/admin/mallar/{id}/{year}/avsnitt/{key}/flytta",
            plan_template::move_section,
        )
        .private(
            "/admin/mallar/{id}/{year}/avsnitt/{key}/ta-bort",
            plan_template::remove_form,
        )
        .change(
            Method::POST,
            "/admin/mallar/{id}/{year}/avsnitt/{key}/ta-bort",
            plan_template::remove,
        )
        .private("/admin/malstruktur", structure_copy::show)
        .change(Method::POST, "/admin/malstruktur", structure_copy::copy)
        .public("/enheter/{id}", pages::unit)
        .public("/enheter/{id}/planer/{year}", pages::plan)
        .public(
            "/enheter/{id}/planer/{year}/dokument.pdf",
            downloads::plan_pdf,
        )
        .public(
            "/enheter/{id}/planer/{year}/dokument.docx",
            downloads::plan_docx,
        )
        .public(
            "/enheter/{id}/planer/{year}/indikatorer.xlsx",
            downloads::plan_xlsx,
        )
        .private("/enheter/{id}/planer/{year}/dokumenthuvud", memo::plan_form)
        .change(
            Method::POST,
            "/enheter/{id}/planer/{year}/dokumenthuvud",
            memo::plan_submit,
        )
        .change(
            Method::POST,
            "/enheter/{id}/planer/{year}/status",
            workflow::take_step,
        )
        .change(
            Method::POST,
            "/enheter/{id}/planer/{year}/klar",
            ready::mark,
        )
        .private("/enheter/{id}/planer/{year}/kontroll", ready::check)
        .private(
            "/enheter/{id}/planer/{year}/avsnitt/{key}",
            plan_sections::form,
        )
        .change(
            Method::POST,
            "/enheter/{id}/planer/{year}/avsnitt/{key}",
            plan_sections::submit,
        )
        .private("/enheter/{id}/planer/{year}/fakta", facts::form)
        .change(
            Method::POST,
            "/enheter/{id}/planer/{year}/fakta",
            facts::submit,
        )
        .private("/enheter/{id}/planer/{year}/urval", selection::form)
        .change(
            Method::POST,
            "/enheter/{id}/planer/{year}/urval",
            selection::submit,
        )
        .public("/organisation/{id}/uppfoljning", rollup::index)
        .public("/organisation/{id}/uppfoljning/{year}/{kind}", rollup::page)
        .public(
            "/organisation/{id}/uppfoljning/{year}/{kind}/mal/{goal}",
            rollup::goal_form,
        )
        .change(
            Method::POST,
            "/organisation/{id}/uppfoljning/{year}/{kind}/mal/{goal}",
            rollup::goal_submit,
        )
        .private("/organisation/{id}/mal/{year}", goals::owner_goals)
        .private("/organisation/{id}/mal/{year}/nytt", goals::new_goal_form)
        .change(
            Method::POST,
            "/organisation/{id}/mal/{year}/nytt",
            goals::new_goal,
        )
        .private("/mal/{id}", goals::goal_form)
        .change(Method::POST, "/mal/{id}", goals::goal_save)
        .private("/mal/{id}/ta-bort", goals::confirm_goal_removal)
        .change(Method::POST, "/mal/{id}/ta-bort", goals::remove_goal)
        .change(Method::POST, "/mal/{id}/aterstall", goals::restore_goal)
        .change(Method::POST, "/mal/{id}/flytta", goals::move_goal)
        .private("/mal/{id}/ny-indikator", goals::new_indicator_form)
        .change(Method::POST, "/mal/{id}/ny-indikator", goals::new_indicator)
        .private("/mal/{id}/ny-aktivitet", goals::new_activity_form)
        .change(Method::POST, "/mal/{id}/ny-aktivitet", goals::new_activity)
        .private("/indikatorer/{id}", goals::indicator_form)
        .change(Method::POST, "/indikatorer/{id}", goals::indicator_save)
        .private(
            "/indikatorer/{id}/ta-bort",
            goals::confirm_indicator_removal,
        )
        .change(
            Method::POST,
            "/indikatorer/{id}/ta-bort",
            goals::remove_indicator,
        )
        .change(
            Method::POST,
            "/indikatorer/{id}/aterstall",
            goals::restore_indicator,
        )
        .change(
            Method::POST,
            "/indikatorer/{id}/flytta",
            goals::move_indicator,
        )
        .private("/aktiviteter/{id}", goals::activity_form)
        .change(Method::POST, "/aktiviteter/{id}", goals::activity_save)
        .private("/aktiviteter/{id}/ta-bort", goals::confirm_activity_removal)
        .change(
            Method::POST,
            "/aktiviteter/{id}/ta-bort",
            goals::remove_activity,
        )
        .change(
            Method::POST,
            "/aktiviteter/{id}/aterstall",
            goals::restore_activity,
        )
        .change(
            Method::POST,
            "/aktiviteter/{id}/flytta",
            goals::move_activity,
        )
        .private("/enheter/{id}/planer/{year}/historik", history::plan)
        .private("/organisation/{id}/mal/{year}/historik", history::owner)
        .private(
            "/enheter/{id}/planer/{year}/historik/{kind}/{object}",
            history::object,
        )
        .private("/enheter/{id}/planer/{year}/jamfor", history::compare)
        .private(
            "/enheter/{id}/planer/{year}/utga-fran-forra-aret",
            carry::form,
        )
        .change(
            Method::POST,
            "/enheter/{id}/planer/{year}/utga-fran-forra-aret",
            carry::submit,
        )
        .public("/enheter/{id}/rapporter/{year}/{kind}", pages::report)
        .change(
            Method::POST,
            "/enheter/{id}/rapporter/{year}/{kind}",
            report_writing::create,
        )
        .change(
            Method::POST,
            "/enheter/{id}/rapporter/{year}/{kind}/status",
            workflow::take_report_step,
        )
        .change(
            Method::POST,
            "/enheter/{id}/rapporter/{year}/{kind}/klar",
            ready::mark_report,
        )
        .private(
            "/enheter/{id}/rapporter/{year}/{kind}/kontroll",
            ready::check_report,
        )
        .private(
            "/enheter/{id}/rapporter/{year}/{kind}/historik",
            history::report,
        )
        .change(
            Method::POST,
            "/enheter/{id}/rapporter/{year}/{kind}/aterstall",
            history::restore_report_item,
        )
        .private(
            "/enheter/{id}/rapporter/{year}/{kind}/mal/{goal}",
            report_writing::assessment_form,
        )
        .change(
            Method::POST,
            "/enheter/{id}/rapporter/{year}/{kind}/mal/{goal}",
            report_writing::assessment_save,
        )
        .private(
            "/enheter/{id}/rapporter/{year}/{kind}/indikatorer/{indicator}",
            report_writing::outcome_form_page,
        )
        .change(
            Method::POST,
            "/enheter/{id}/rapporter/{year}/{kind}/indikatorer/{indicator}",
            report_writing::outcome_save,
        )
        .private(
            "/enheter/{id}/rapporter/{year}/{kind}/aktiviteter/{activity}",
            report_writing::activity_form,
        )
        .change(
            Method::POST,
            "/enheter/{id}/rapporter/{year}/{kind}/aktiviteter/{activity}",
            report_writing::activity_save,
        )
        .private(
            "/enheter/{id}/rapporter/{year}/{kind}/avsnitt/{key}",
            report_writing::section_form,
        )
        .change(
            Method::POST,
            "/enheter/{id}/rapporter/{year}/{kind}/avsnitt/{key}",
            report_writing::section_save,
        )
        .private(
            "/enheter/{id}/rapporter/{year}/{kind}/ekonomi",
            report_writing::economy_form,
        )
        .change(
            Method::POST,
            "/enheter/{id}/rapporter/{year}/{kind}/ekonomi",
            report_writing::economy_save,
        )
        .public(
            "/enheter/{id}/indikatorer/{indicator}",
            indicator_history::page,
        )
        .public(
            "/enheter/{id}/rapporter/{year}/{kind}/dokument.pdf",
            downloads::report_pdf,
        )
        .public(
            "/enheter/{id}/rapporter/{year}/{kind}/dokument.docx",
            downloads::report_docx,
        )
        .private(
            "/enheter/{id}/rapporter/{year}/{kind}/dokumenthuvud",
            memo::report_form,
        )
        .change(
            Method::POST,
            "/enheter/{id}/rapporter/{year}/{kind}/dokumenthuvud",
            memo::report_submit,
        )
        .public("/healthz", api::healthz)
        .public("/api/v1/openapi.json", api::openapi)
        .public("/api/v1/org", api::org)
        .public("/api/v1/units/{id}", api::unit)
        .public("/api/v1/units/{id}/plans/{year}", api::plan)
        .change(
            Method::PUT,
            "/api/v1/units/{id}/plans/{year}/sections/{key}",
            api::save_section,
        )
        .change(
            Method::PUT,
            "/api/v1/units/{id}/plans/{year}/selection",
            api::save_selection,
        )
        .change(
            Method::POST,
            "/api/v1/units/{id}/plans/{year}/goals",
            api::writing::add_goal,
        )
        .change(
            Method::PATCH,
            "/api/v1/goals/{id}",
            api::writing::patch_goal,
        )
        .change(
            Method::DELETE,
            "/api/v1/goals/{id}",
            api::writing::delete_goal,
        )
        .change(
            Method::POST,
            "/api/v1/goals/{id}/indicators",
            api::writing::add_indicator,
        )
        .change(
            Method::PATCH,
            "/api/v1/indicators/{id}",
            api::writing::patch_indicator,
        )
        .change(
            Method::DELETE,
            "/api/v1/indicators/{id}",
            api::writing::delete_indicator,
        )
        .change(
            Method::POST,
            "/api/v1/goals/{id}/activities",
            api::writing::add_activity,
        )
        .change(
            Method::PATCH,
            "/api/v1/activities/{id}",
            api::writing::patch_activity,
        )
        .change(
            Method::DELETE,
            "/api/v1/activities/{id}",
            api::writing::delete_activity,
        )
        .change(
            Method::POST,
            "/api/v1/plans/{id}/transitions",
            api::writing::transition,
        )
        .change(
            Method::PUT,
            "/api/v1/plans/{id}/memo",
            api::writing::save_memo,
        )
        .public("/api/v1/units/{id}/reports/{year}/{kind}", api::report)
        .change(
            Method::POST,
            "/api/v1/units/{id}/reports/{year}/{kind}",
            api::reports::create_report,
        )
        .change(
            Method::PUT,
            "/api/v1/reports/{id}/goals/{goal_id}/assessment",
            api::reports::put_assessment,
        )
        .change(
            Method::PUT,
            "/api/v1/reports/{id}/indicators/{indicator_id}/outcome",
            api::reports::put_outcome,
        )
        .change(
            Method::PUT,
            "/api/v1/reports/{id}/activities/{activity_id}/status",
            api::reports::put_activity_status,
        )
        .change(
            Method::PUT,
            "/api/v1/reports/{id}/sections/{key}",
            api::reports::put_section,
        )
        .change(
            Method::PUT,
            "/api/v1/reports/{id}/economy",
            api::reports::put_economy,
        )
        .change(
            Method::POST,
            "/api/v1/reports/{id}/transitions",
            api::reports::transition,
        )
        .public("/api/v1/org/{id}/rollup/{year}/{kind}", api::rollup::rollup)
        .change(
            Method::PUT,
            "/api/v1/org/{id}/rollup/{year}/{kind}/goals/{goal_id}/assessment",
            api::rollup::put_assessment,
        )
        .private("/api/v1/plans/{id}/history", api::history::plan_history)
        .public("/static/{*file}", assets::serve)
}

/// Every route the application declares, with what it needs: what the
/// every-route-is-guarded test walks.
pub fn route_table() -> Vec<RouteInfo> {
    routes().into_parts().1
}

/// The whole application: pages, API, assets, authentication, logging and security
/// headers. The store is given the renderer of archive copies ([`freezer`]): an approval
/// through this application freezes the document in the same transaction.
pub fn router_with(settings: Settings, store: Store) -> Router {
    let store = if store.freezes() {
        store
    } else {
        store.with_freezer(freezer())
    };
    let state = AppState {
        store,
        settings: Arc::new(settings),
    };
    let (router, _) = routes().into_parts();
    router
        // Only the routes above get this: it must come after them.
        .method_not_allowed_fallback(error::method_not_allowed)
        .fallback(error::fallback)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            log_and_harden,
        ))
        .with_state(state)
}

/// The OpenAPI document of the JSON API, as served at `/api/v1/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    use utoipa::OpenApi;
    api::ApiDoc::openapi()
}

/// One structured log line per request, and the headers every response carries.
async fn log_and_harden(State(state): State<AppState>, req: Request, next: Next) -> Response {
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
    if state.settings.secure_cookies() {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    let status = res.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(target: "malkedja::http", %method, path, status, ms = format!("{ms:.1}"), "request");
    res
}
