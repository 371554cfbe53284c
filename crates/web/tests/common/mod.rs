//! What the web tests share: signing a test person in without going through the form.

#![allow(dead_code)]

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use malkedja_domain::{Role, RoleGrant};
use malkedja_store::{Store, password};

/// A password that passes the rules, for test accounts.
pub const PASSWORD: &str = "testlösenord-för-prov";

/// Makes an account with `role` on every root of the organisation as it is now (no role
/// when there is none) and signs it in: the `Cookie` header value of its session.
pub async fn session_cookie(store: &Store, email: &str, role: Role) -> String {
    let roots: Vec<_> = store
        .org_nodes()
        .await
        .unwrap()
        .into_iter()
        .filter(|n| n.parent_id.is_none())
        .map(|n| n.id)
        .collect();
    let hash = password::hash(PASSWORD).await.unwrap();
    let mut w = store.begin_write("test").await.unwrap();
    let account = w.add_account(email, "Testperson", &hash).await.unwrap();
    for node_id in roots {
        w.grant_role(account.id, RoleGrant { role, node_id })
            .await
            .unwrap();
    }
    let session = w
        .create_session(
            account.id,
            malkedja_store::sessions::DEFAULT_IDLE,
            malkedja_store::sessions::DEFAULT_ABSOLUTE,
        )
        .await
        .unwrap();
    w.commit().await.unwrap();
    format!("malkedja_session={}", session.secret.as_str())
}

/// The application with every request signed in as a reader of the whole organisation:
/// for tests of what documents show, drafts included.
pub async fn reader_router(store: &Store) -> Router {
    let cookie = session_cookie(store, "lasare@test.se", Role::Reader).await;
    with_cookie(malkedja_web::router(store.clone()), cookie)
}

/// `app` with `cookie` on every request.
pub fn with_cookie(app: Router, cookie: String) -> Router {
    let value = HeaderValue::from_str(&cookie).unwrap();
    app.layer(axum::middleware::map_request(move |mut req: Request| {
        let value = value.clone();
        async move {
            req.headers_mut().insert(header::COOKIE, value);
            req
        }
    }))
}
