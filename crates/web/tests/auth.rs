//! Signing in, sessions, API tokens, CSRF and the public rule, through the router, on both
//! backends: the every-route-is-guarded walk, 401/403, CSRF refusals, session fixation,
//! expiry, throttling, open redirects, bearer tokens, and two servers on one database.

mod common;

use common::{Client, ORIGIN};

use axum::Router;
use axum::http::{Method, StatusCode, header};
use malkedja_domain::{PlanStatus, Role, RoleGrant};
use malkedja_store::{Store, both_backends, password};
use malkedja_web::{Access, Settings};

/// An account with these roles (node ids) and the common test password.
async fn person(store: &Store, email: &str, grants: &[(Role, malkedja_domain::NodeId)]) {
    let hash = password::hash(common::PASSWORD).await.unwrap();
    let mut w = store.begin_write("test").await.unwrap();
    let a = w.add_account(email, "Prov Person", &hash).await.unwrap();
    for (role, node_id) in grants {
        w.grant_role(
            a.id,
            RoleGrant {
                role: *role,
                node_id: *node_id,
            },
        )
        .await
        .unwrap();
    }
    w.commit().await.unwrap();
}

/// The demo, with a unit whose plan for `year` has `status`: (router, unit, its chain's
/// root, another unit).
struct Demo {
    app: Router,
    unit: malkedja_domain::NodeId,
    root: malkedja_domain::NodeId,
    other: malkedja_domain::NodeId,
}

async fn demo(store: &Store) -> Demo {
    let summary = malkedja_store::demo::load(store, &|_| {})
        .await
        .unwrap()
        .expect("demo loads");
    let unit = summary.units[0].0;
    let other = summary.units[1].0;
    let chain = store.chain(unit).await.unwrap();
    Demo {
        app: malkedja_web::router(store.clone()),
        unit,
        root: chain.last().unwrap().id,
        other,
    }
}

/// The address of a plan of the demo unit with this status, and its year.
async fn plan_with(
    store: &Store,
    unit: malkedja_domain::NodeId,
    status: PlanStatus,
) -> Option<i32> {
    for year in store.years().await.unwrap() {
        if let Some(doc) = store.plan_document(unit, year).await.unwrap()
            && doc.plan.status == status
        {
            return Some(year);
        }
    }
    None
}

/// Fills the parameters of a route's path with something that parses.
fn concrete(path: &str) -> String {
    path.replace("{*file}", "malkedja.css")
        .replace("{kind}", "t1")
        .replace("{year}", "2026")
        .replace(['{', '}'], "")
        .replace("/id", "/1")
}

#[test]
fn every_route_that_changes_data_needs_a_person() {
    let table = malkedja_web::route_table();
    assert!(table.len() > 10, "{table:?}");
    for r in &table {
        if r.method == Method::GET {
            continue;
        }
        let allowed =
            r.access == Access::Person || (r.access == Access::SignIn && r.path == "/logga-in");
        assert!(
            allowed,
            "{} {} is not guarded: {:?}",
            r.method, r.path, r.access
        );
    }
    let sign_in = table.iter().filter(|r| r.access == Access::SignIn).count();
    assert_eq!(
        sign_in, 1,
        "only the sign-in form may be posted anonymously"
    );
}

both_backends!(
    every_route_is_guarded_by_the_router,
    |store: Store| async move {
        let d = demo(&store).await;
        person(&store, "admin@prov.se", &[(Role::Admin, d.root)]).await;
        let anonymous = Client::new(&d.app);
        let mut signed_in = Client::new(&d.app);
        assert_eq!(
            signed_in
                .sign_in("admin@prov.se", common::PASSWORD, "/")
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        let csrf = signed_in.get("/").await.csrf();
        let mut foreign = signed_in.clone();
        foreign.origin = Some("http://elak.example");
        let mut no_origin = signed_in.clone();
        no_origin.origin = None;
        for r in malkedja_web::route_table() {
            let path = concrete(r.path);
            // Every declared route is one the router answers (not "no such address").
            let a = anonymous
                .send(r.method.clone(), &path, Some(String::new()))
                .await;
            assert_ne!(
                a.status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{} {path}",
                r.method
            );
            match r.access {
                Access::Public => assert_ne!(a.status, StatusCode::FORBIDDEN, "{path}"),
                Access::Person => {
                    assert_eq!(
                        a.status,
                        StatusCode::UNAUTHORIZED,
                        "{} {path}: {}",
                        r.method,
                        a.body
                    );
                    if path.starts_with("/api/") {
                        assert_eq!(a.json()["error"]["code"], "unauthorized");
                    } else {
                        assert!(a.body.contains("<h1>Logga in</h1>"), "{path}");
                    }
                }
                Access::SignIn => {}
            }
            if r.method == Method::GET {
                continue;
            }
            // A change with the session cookie: refused without the token, with a wrong one,
            // from another site, and without saying where it comes from.
            for (client, fields) in [
                (&signed_in, vec![]),
                (&signed_in, vec![("csrf", "fel-token")]),
                (&foreign, vec![("csrf", csrf.as_str())]),
                (&no_origin, vec![("csrf", csrf.as_str())]),
            ] {
                let form = form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(&fields)
                    .finish();
                let a = client.send(r.method.clone(), &path, Some(form)).await;
                assert_eq!(
                    a.status,
                    StatusCode::FORBIDDEN,
                    "{} {path} {fields:?}: {}",
                    r.method,
                    a.body
                );
                if path.starts_with("/api/") {
                    assert_eq!(a.json()["error"]["code"], "forbidden", "{path}");
                } else {
                    assert!(a.body.contains("Formuläret kunde inte skickas"), "{path}");
                }
            }
        }
        // The refusals changed nothing: the person is still signed in.
        assert!(signed_in.get("/api-nycklar").await.status == StatusCode::OK);
    }
);

both_backends!(
    the_public_reads_approved_documents_only,
    |store: Store| async move {
        let d = demo(&store).await;
        let approved = plan_with(&store, d.unit, PlanStatus::Approved)
            .await
            .expect("the demo has an approved plan");
        let draft = plan_with(&store, d.unit, PlanStatus::Draft)
            .await
            .expect("the demo has a draft plan");
        let public = Client::new(&d.app);
        for path in [
            "/".to_string(),
            format!("/enheter/{}", d.unit),
            format!("/enheter/{}/planer/{approved}", d.unit),
            format!("/enheter/{}/rapporter/{approved}/vb", d.unit),
            "/api/v1/org".to_string(),
            format!("/api/v1/units/{}", d.unit),
            format!("/api/v1/units/{}/plans/{approved}", d.unit),
            format!("/api/v1/units/{}/reports/{approved}/annual_report", d.unit),
        ] {
            assert_eq!(public.get(&path).await.status, StatusCode::OK, "{path}");
        }
        // A draft: the sign-in page, coming back to the draft; 401 JSON from the API.
        let page = public
            .get(&format!("/enheter/{}/planer/{draft}", d.unit))
            .await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        assert!(page.body.contains("<h1>Logga in</h1>"));
        assert!(page.body.contains(&format!(
            "name=\"till\" value=\"/enheter/{}/planer/{draft}\"",
            d.unit
        )));
        assert!(!page.body.contains("Förväntat resultat"));
        let api = public
            .get(&format!("/api/v1/units/{}/plans/{draft}", d.unit))
            .await;
        assert_eq!(api.status, StatusCode::UNAUTHORIZED);
        assert_eq!(api.json()["error"]["code"], "unauthorized");
        assert!(api.header(header::WWW_AUTHENTICATE).starts_with("Bearer"));
        let report = public
            .get(&format!(
                "/api/v1/units/{}/reports/{draft}/tertial1",
                d.unit
            ))
            .await;
        assert!(
            [StatusCode::UNAUTHORIZED, StatusCode::NOT_FOUND].contains(&report.status),
            "{}",
            report.status
        );

        // Signed in with a role elsewhere: 403, in Swedish; with a role on the unit: the draft.
        person(&store, "annan@prov.se", &[(Role::Reader, d.other)]).await;
        person(&store, "lasare@prov.se", &[(Role::Reader, d.unit)]).await;
        let mut elsewhere = Client::new(&d.app);
        elsewhere
            .sign_in("annan@prov.se", common::PASSWORD, "/")
            .await;
        let page = elsewhere
            .get(&format!("/enheter/{}/planer/{draft}", d.unit))
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        assert!(page.body.contains("Du har inte behörighet"));
        assert!(page.body.contains("Inloggad som"));
        let api = elsewhere
            .get(&format!("/api/v1/units/{}/plans/{draft}", d.unit))
            .await;
        assert_eq!(api.status, StatusCode::FORBIDDEN);
        assert_eq!(api.json()["error"]["code"], "forbidden");
        let mut reader = Client::new(&d.app);
        reader
            .sign_in("lasare@prov.se", common::PASSWORD, "/")
            .await;
        let page = reader
            .get(&format!("/enheter/{}/planer/{draft}", d.unit))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.header(header::CACHE_CONTROL), "private, no-store");
    }
);

both_backends!(signing_in_and_out, |store: Store| async move {
    let d = demo(&store).await;
    person(&store, "anna@prov.se", &[(Role::Reader, d.unit)]).await;
    let mut browser = Client::new(&d.app);

    // Wrong password and unknown email: one message, what was typed kept (not the password).
    let wrong = browser
        .sign_in("anna@prov.se", "fel-lösenord-här", "/")
        .await;
    let unknown = browser
        .sign_in("ingen@prov.se", common::PASSWORD, "/")
        .await;
    for a in [&wrong, &unknown] {
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        assert!(a.body.contains("Fel e-postadress eller lösenord"));
        assert!(a.session_set().is_none());
        assert!(!a.body.contains("fel-lösenord-här"));
    }
    assert!(wrong.body.contains("value=\"anna@prov.se\""));
    let empty = browser
        .post("/logga-in", &[("email", "anna@prov.se")])
        .await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    let long = "a".repeat(300) + "@prov.se";
    let a = browser
        .post("/logga-in", &[("email", &long), ("password", "x")])
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);

    // A fixation attempt: a cookie the browser made up is never taken over.
    browser.cookie = Some("A".repeat(43));
    let a = browser
        .sign_in("anna@prov.se", common::PASSWORD, "/enheter/1?x=1")
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.header(header::LOCATION), "/enheter/1?x=1");
    let first = browser.cookie.clone().unwrap();
    assert_ne!(first, "A".repeat(43));
    let set = a.header(header::SET_COOKIE).to_string();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Path=/"));
    assert!(!set.contains("Secure"));
    let home = browser.get("/").await;
    assert!(
        home.body
            .contains("Inloggad som <strong>Prov Person</strong>")
    );
    // Signing in again gives a new id and ends the old session.
    let again = browser.sign_in("anna@prov.se", common::PASSWORD, "/").await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_ne!(browser.cookie.as_deref(), Some(first.as_str()));
    let mut old = browser.clone();
    old.cookie = Some(first);
    let a = old.get("/").await;
    assert!(!a.body.contains("Inloggad som"));
    assert_eq!(
        a.session_set().as_deref(),
        Some(""),
        "a dead cookie is cleared"
    );

    // Only local paths are returned to.
    for till in [
        "https://elak.example/",
        "//elak.example/",
        "/\\elak.example",
        "javascript:alert(1)",
    ] {
        let mut b = Client::new(&d.app);
        let a = b.sign_in("anna@prov.se", common::PASSWORD, till).await;
        assert_eq!(a.header(header::LOCATION), "/", "{till}");
    }

    // A form token of another session is no token for this one.
    let mut someone = Client::new(&d.app);
    someone.sign_in("anna@prov.se", common::PASSWORD, "/").await;
    let theirs = someone.get("/").await.csrf();
    let a = browser.post("/logga-ut", &[("csrf", &theirs)]).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert!(browser.get("/").await.body.contains("Inloggad som"));

    // Sign-out ends the session on the server, not just in this browser.
    let csrf = browser.get("/").await.csrf();
    let kept = browser.cookie.clone();
    let out = browser.post("/logga-ut", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(out.session_set().as_deref(), Some(""));
    let mut replay = browser.clone();
    replay.cookie = kept;
    assert!(!replay.get("/").await.body.contains("Inloggad som"));
    assert_eq!(
        replay.get("/api-nycklar").await.status,
        StatusCode::UNAUTHORIZED
    );

    // The audit trail has the sign-ins, the failures and the sign-out; never a password.
    let anna = store
        .account_by_email("anna@prov.se")
        .await
        .unwrap()
        .unwrap();
    let audit = store
        .audit_trail("account", &anna.id.to_string())
        .await
        .unwrap();
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    for a in ["sign_in", "sign_in_failed", "sign_out"] {
        assert!(actions.contains(&a), "{a}: {actions:?}");
    }
    let all = format!("{audit:?}");
    assert!(!all.contains(common::PASSWORD) && !all.contains("fel-lösenord-här"));
});

both_backends!(too_many_failures_wait, |store: Store| async move {
    let d = demo(&store).await;
    person(&store, "bo@prov.se", &[]).await;
    let mut browser = Client::new(&d.app);
    for _ in 0..5 {
        let a = browser
            .sign_in("bo@prov.se", "fel-lösenord-igen", "/")
            .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    }
    // Even the right password waits now.
    let a = browser.sign_in("bo@prov.se", common::PASSWORD, "/").await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = a.header(header::RETRY_AFTER).parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    assert!(a.body.contains("För många misslyckade inloggningar"));
    assert!(a.session_set().is_none());
});

both_backends!(an_expired_session_is_anonymous, |store: Store| async move {
    let d = demo(&store).await;
    person(&store, "cecilia@prov.se", &[]).await;
    let settings = Settings {
        session_idle: std::time::Duration::from_secs(1),
        ..Settings::default()
    };
    let app = malkedja_web::router_with(settings, store.clone());
    let mut browser = Client::new(&app);
    browser
        .sign_in("cecilia@prov.se", common::PASSWORD, "/")
        .await;
    assert_eq!(browser.get("/api-nycklar").await.status, StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let a = browser.get("/api-nycklar").await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.session_set().as_deref(), Some(""));
    // Malformed cookies are simply not sessions.
    for bad in ["", "x", "%%%", &"B".repeat(500)] {
        let mut b = Client::new(&d.app);
        b.cookie = Some(bad.to_string());
        assert_eq!(b.get("/").await.status, StatusCode::OK, "{bad:?}");
        assert_eq!(b.get("/api-nycklar").await.status, StatusCode::UNAUTHORIZED);
    }
});

both_backends!(api_tokens_act_for_their_person, |store: Store| async move {
    let d = demo(&store).await;
    let draft = plan_with(&store, d.unit, PlanStatus::Draft).await.unwrap();
    let plan = format!("/api/v1/units/{}/plans/{draft}", d.unit);
    person(&store, "dan@prov.se", &[(Role::Reader, d.unit)]).await;
    person(&store, "eva@prov.se", &[]).await;

    // Made on the page "API-nycklar": shown once, then only listed.
    let mut browser = Client::new(&d.app);
    browser.sign_in("dan@prov.se", common::PASSWORD, "/").await;
    let page = browser.get("/api-nycklar").await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = page.csrf();
    let refused = browser
        .post(
            "/api-nycklar",
            &[("csrf", &csrf), ("name", " "), ("days", "30")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("Ge nyckeln ett namn"));
    let made = browser
        .post(
            "/api-nycklar",
            &[("csrf", &csrf), ("name", "Rapportverktyg"), ("days", "30")],
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let at = made.body.find("mk_").unwrap();
    let token = made.body[at..at + 46].to_string();
    let listed = browser.get("/api-nycklar").await;
    assert!(listed.body.contains("Rapportverktyg"));
    assert!(!listed.body.contains(&token), "a token is shown once");

    let mut program = Client::new(&d.app);
    program.origin = None;
    program.bearer = Some(format!("Bearer {token}"));
    assert_eq!(program.get(&plan).await.status, StatusCode::OK);
    // A token needs no CSRF token and carries no cookie.
    assert_ne!(
        program.post("/logga-ut", &[]).await.status,
        StatusCode::FORBIDDEN
    );

    // Eva's token has her roles (none), never more.
    let hash = store
        .account_by_email("eva@prov.se")
        .await
        .unwrap()
        .unwrap();
    let mut w = store.begin_write("test").await.unwrap();
    let (_, eva_token) = w.create_token(hash.id, "prov", None).await.unwrap();
    w.commit().await.unwrap();
    let mut eva = program.clone();
    eva.bearer = Some(format!("Bearer {}", eva_token.as_str()));
    assert_eq!(eva.get(&plan).await.status, StatusCode::FORBIDDEN);

    // Malformed, forged, truncated, and revoked tokens: 401 JSON, never a 500.
    for bad in [
        "Basic ZGFuOmh1bmQ=".to_string(),
        "Bearer".to_string(),
        "Bearer mk_".to_string(),
        format!("Bearer {}", &token[..token.len() - 1]),
        format!("Bearer {}x", &token[..token.len() - 1]),
        format!("Bearer {}", "mk_".to_string() + &"A".repeat(43)),
    ] {
        let mut p = program.clone();
        p.bearer = Some(bad.clone());
        let a = p.get(&plan).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{bad}");
        assert_eq!(a.json()["error"]["code"], "unauthorized");
        let a = p.get("/").await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{bad} on a page");
    }
    let listed = browser.get("/api-nycklar").await;
    let id = store
        .tokens_of(
            store
                .account_by_email("dan@prov.se")
                .await
                .unwrap()
                .unwrap()
                .id,
        )
        .await
        .unwrap()[0]
        .id;
    let a = browser
        .post(
            &format!("/api-nycklar/{id}/aterkalla"),
            &[("csrf", &listed.csrf())],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(program.get(&plan).await.status, StatusCode::UNAUTHORIZED);
    // Someone else's token cannot be revoked from here.
    let eva_id = store.tokens_of(hash.id).await.unwrap()[0].id;
    let a = browser
        .post(
            &format!("/api-nycklar/{eva_id}/aterkalla"),
            &[("csrf", &listed.csrf())],
        )
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    // A disabled person's token stops working at once.
    let mut w = store.begin_write("test").await.unwrap();
    w.disable_account(hash.id, hash.version).await.unwrap();
    w.commit().await.unwrap();
    assert_eq!(
        eva.get("/api/v1/org").await.status,
        StatusCode::UNAUTHORIZED
    );
});

#[tokio::test]
async fn a_public_https_address_makes_cookies_secure_and_asks_for_hsts() {
    let db = malkedja_store::testing::sqlite().await;
    person(&db.store, "fia@prov.se", &[]).await;
    let settings = Settings {
        public_origin: Some(malkedja_web::public_origin("https://mal.stad.se").unwrap()),
        ..Settings::default()
    };
    let app = malkedja_web::router_with(settings, db.store.clone());
    let mut browser = Client::new(&app);
    browser.origin = Some("https://mal.stad.se");
    let a = browser.sign_in("fia@prov.se", common::PASSWORD, "/").await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert!(a.header(header::SET_COOKIE).contains("; Secure"));
    assert!(
        a.header(header::STRICT_TRANSPORT_SECURITY)
            .starts_with("max-age=")
    );
    // Forms are taken only from the public address, whatever the Host header says.
    let mut other = Client::new(&app);
    other.origin = Some(ORIGIN);
    let a = other.sign_in("fia@prov.se", common::PASSWORD, "/").await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
}

/// Two servers on one PostgreSQL database share sign-ins: a session made through one works
/// through the other, and a sign-out through either ends it on both.
#[tokio::test]
async fn two_servers_share_sessions() {
    let Some(db) = malkedja_store::testing::postgres().await else {
        return;
    };
    let second = Store::open(&db.url).await.unwrap();
    let d = demo(&db.store).await;
    person(&db.store, "goran@prov.se", &[(Role::Reader, d.unit)]).await;
    let draft = plan_with(&db.store, d.unit, PlanStatus::Draft)
        .await
        .unwrap();
    let plan = format!("/enheter/{}/planer/{draft}", d.unit);
    let node_b = malkedja_web::router(second.clone());

    let mut on_a = Client::new(&d.app);
    on_a.sign_in("goran@prov.se", common::PASSWORD, "/").await;
    let mut on_b = Client::new(&node_b);
    on_b.cookie = on_a.cookie.clone();
    assert_eq!(on_b.get(&plan).await.status, StatusCode::OK);
    let csrf = on_b.get("/").await.csrf();
    assert_eq!(
        on_b.post("/logga-ut", &[("csrf", &csrf)]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(on_a.get(&plan).await.status, StatusCode::UNAUTHORIZED);
    second.close().await;
    db.finish().await;
}

/// One door: in the web crate only `auth.rs` asks the policy (`may`), and no code outside
/// tests names a particular role to decide something.
#[test]
fn only_the_door_asks_the_policy() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![dir.clone()];
    let mut checked = 0;
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // The code, without its unit tests.
        let code = text.split("#[cfg(test)]").next().unwrap();
        let name = path.strip_prefix(&dir).unwrap().display().to_string();
        checked += 1;
        for role in Role::ALL {
            let named = format!("Role::{role:?}");
            assert!(!code.contains(&named), "{name} decides by {named}");
        }
        if name != "auth.rs" {
            for call in ["may(", "may_somewhere("] {
                let bare = code
                    .match_indices(call)
                    .any(|(i, _)| i == 0 || !code[..i].ends_with(['.', '_']));
                assert!(!bare, "{name} asks the policy itself ({call}…); use Caller");
            }
        }
    }
    assert!(checked > 10, "{checked} files");
}
