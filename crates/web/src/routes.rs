//! Every route of the application, declared with the least it needs. The router is built
//! from this one list, and the same list is what the every-route-is-guarded test walks:
//! a route that changes data can only be declared as needing a signed-in person (or as
//! the sign-in form itself), so it cannot be reached anonymously, and the authentication
//! layer holds it to the CSRF rules.
//!
//! What a person may do on a particular node is not decided here but by the policy, which
//! handlers ask through [`crate::auth::Caller::authorize`].

use crate::AppState;
use crate::auth::{Caller, CsrfRefused};
use crate::error::{AppError, is_api};
use axum::Router;
use axum::extract::{Request, State};
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{MethodFilter, on};
use malkedja_domain::Denied;

/// What a route needs before its handler runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone (reads only). What a document page shows is the policy's decision.
    Public,
    /// Anyone, to sign in: the sign-in form (same-origin is still required).
    SignIn,
    /// A signed-in person; the handler asks the policy about its target.
    Person,
}

/// One route as declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

/// The router under construction, and the list of what it holds.
pub struct Routes {
    router: Router<AppState>,
    table: Vec<RouteInfo>,
}

impl Routes {
    pub fn new() -> Routes {
        Routes {
            router: Router::new(),
            table: Vec::new(),
        }
    }

    fn add<H, T>(mut self, method: Method, path: &'static str, access: Access, h: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = if method == Method::GET {
            MethodFilter::GET
        } else if method == Method::PUT {
            MethodFilter::PUT
        } else if method == Method::DELETE {
            MethodFilter::DELETE
        } else if method == Method::PATCH {
            MethodFilter::PATCH
        } else {
            MethodFilter::POST
        };
        let route = on(filter, h).route_layer(middleware::from_fn_with_state(access, guard));
        self.router = self.router.route(path, route);
        self.table.push(RouteInfo {
            method,
            path,
            access,
        });
        self
    }

    /// A page or API read anyone may ask for.
    pub fn public<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Self {
        self.add(Method::GET, path, Access::Public, h)
    }

    /// A page or API read for signed-in people only.
    pub fn private<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Self {
        self.add(Method::GET, path, Access::Person, h)
    }

    /// A change (POST, PUT, PATCH or DELETE): a signed-in person, whose request the
    /// authentication layer has held to the CSRF rules.
    pub fn change<H: Handler<T, AppState>, T: 'static>(
        self,
        method: Method,
        path: &'static str,
        h: H,
    ) -> Self {
        let method = if [Method::PUT, Method::PATCH, Method::DELETE].contains(&method) {
            method
        } else {
            Method::POST
        };
        self.add(method, path, Access::Person, h)
    }

    /// The sign-in form's POST: the one change an anonymous visitor may send.
    pub fn sign_in<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Self {
        self.add(Method::POST, path, Access::SignIn, h)
    }

    pub fn into_parts(self) -> (Router<AppState>, Vec<RouteInfo>) {
        (self.router, self.table)
    }
}

/// What every route passes after authentication: a request that failed the CSRF rules
/// is refused (403), and a route for people refuses the anonymous (the sign-in page, or
/// 401 under /api).
async fn guard(State(access): State<Access>, caller: Caller, req: Request, next: Next) -> Response {
    let refusal = if req.extensions().get::<CsrfRefused>().is_some() {
        Some(AppError::Csrf)
    } else if access == Access::Person && caller.person().is_none() {
        Some(AppError::Denied(Denied::SignInRequired))
    } else {
        None
    };
    match refusal {
        Some(e) if is_api(req.uri().path()) => e.json(),
        Some(e) => e.html(),
        None => next.run(req).await,
    }
}
