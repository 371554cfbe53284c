//! The administration of people (`/admin/personer`) and the password page
//! (`/konto/losenord`) through the router, on both backends: who may do what, within which
//! scope, versioned disabling, and the one-time password that must be changed.

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use malkedja_domain::{AccountId, NewNode, NodeId, OrgKind, Role, RoleGrant};
use malkedja_store::sessions::{DEFAULT_ABSOLUTE, DEFAULT_IDLE};
use malkedja_store::{Store, both_backends, password};
use tower::ServiceExt;

struct Resp {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Resp {
    fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The session cookie the answer sets (`name=value`), if any.
    fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("malkedja_session=") && !v.contains("Max-Age=0"))
            .map(|v| v.split(';').next().unwrap().to_string())
    }

    /// The value of the first hidden input called `name`.
    fn hidden(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self
            .body
            .find(&marker)
            .unwrap_or_else(|| panic!("no {name} in {}", self.body))
            + marker.len();
        let end = self.body[start..].find('"').unwrap() + start;
        self.body[start..end].to_string()
    }
}

/// One request as a browser on our own origin sends it, with `cookie` when given.
async fn send(
    app: &Router,
    method: Method,
    path: &str,
    cookie: Option<&str>,
    form: &[(&str, &str)],
) -> Resp {
    let mut req = Request::builder()
        .method(method.clone())
        .uri(path)
        .header(header::HOST, "localhost");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let body = if method == Method::GET {
        Body::empty()
    } else {
        req = req
            .header(header::ORIGIN, "http://localhost")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in form {
            s.append_pair(k, v);
        }
        Body::from(s.finish())
    };
    let res = app.clone().oneshot(req.body(body).unwrap()).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Resp {
        status,
        headers,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

async fn get(app: &Router, path: &str, cookie: Option<&str>) -> Resp {
    send(app, Method::GET, path, cookie, &[]).await
}

/// A form posted by the person with `cookie`, carrying the CSRF token of their session
/// (read from a page of theirs).
async fn post(app: &Router, path: &str, cookie: &str, form: &[(&str, &str)]) -> Resp {
    let csrf = get(app, "/konto/losenord", Some(cookie))
        .await
        .hidden("csrf");
    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend_from_slice(form);
    send(app, Method::POST, path, Some(cookie), &fields).await
}

/// Staden > {Norra nämnden > Norra förvaltningen > Enheten Solrosen, Södra nämnden}.
struct Tree {
    city: NodeId,
    north: NodeId,
    unit: NodeId,
    south: NodeId,
}

async fn tree(store: &Store) -> Tree {
    let mut w = store.begin_write("test").await.unwrap();
    let mut node = async |parent: Option<NodeId>, kind: OrgKind, name: &str| {
        w.create_node(NewNode {
            parent_id: parent,
            kind,
            name: name.into(),
            position: 0,
        })
        .await
        .unwrap()
        .id
    };
    let city = node(None, OrgKind::City, "Staden").await;
    let north = node(Some(city), OrgKind::Board, "Norra nämnden").await;
    let administration = node(Some(north), OrgKind::Administration, "Norra förvaltningen").await;
    let unit = node(Some(administration), OrgKind::Unit, "Enheten Solrosen").await;
    let south = node(Some(city), OrgKind::Board, "Södra nämnden").await;
    w.commit().await.unwrap();
    Tree {
        city,
        north,
        unit,
        south,
    }
}

/// An account with these roles; with `signed_in`, also its session cookie.
async fn person(
    store: &Store,
    email: &str,
    grants: &[(Role, NodeId)],
    signed_in: bool,
) -> (AccountId, Option<String>) {
    let hash = password::hash(common::PASSWORD).await.unwrap();
    let mut w = store.begin_write("test").await.unwrap();
    let a = w.add_account(email, email, &hash).await.unwrap();
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
    let cookie = if signed_in {
        let s = w
            .create_session(a.id, DEFAULT_IDLE, DEFAULT_ABSOLUTE)
            .await
            .unwrap();
        Some(format!("malkedja_session={}", s.secret.as_str()))
    } else {
        None
    };
    w.commit().await.unwrap();
    (a.id, cookie)
}

async fn sign_in(app: &Router, email: &str, password: &str) -> Resp {
    send(
        app,
        Method::POST,
        "/logga-in",
        None,
        &[("email", email), ("password", password), ("till", "/")],
    )
    .await
}

fn assert_accessible(html: &str) {
    assert!(html.contains("<html lang=\"sv\">"));
    assert_eq!(html.matches("<h1").count(), 1, "one h1");
    assert_eq!(
        html.matches("<table").count(),
        html.matches("<caption>").count(),
        "every table has a caption"
    );
    assert!(!html.contains("<th>"), "every header cell has a scope");
    // Every input, select but hidden ones has a label.
    for tag in html.split('<').filter(|t| {
        (t.starts_with("input ") && !t.contains("type=\"hidden\"")) || t.starts_with("select ")
    }) {
        let id = tag
            .split("id=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or_else(|| panic!("a field without id: {tag}"));
        assert!(
            html.contains(&format!("<label for=\"{id}\">")),
            "no label for {id}"
        );
    }
}

both_backends!(
    an_admin_adds_a_person_whose_one_time_password_must_be_changed,
    |store: Store| async move {
        let t = tree(&store).await;
        let app = malkedja_web::router(store.clone());
        let admin = common::session_cookie(&store, "admin@exempel.se", Role::Admin).await;

        // The header leads an administrator to the pages.
        let r = get(&app, "/", Some(&admin)).await;
        assert!(r.body.contains("href=\"/admin/personer\""), "{}", r.body);
        let r = get(&app, "/admin/personer", Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_accessible(&r.body);
        assert!(r.body.contains("admin@exempel.se"));
        assert!(r.body.contains("hela organisationen"));
        let r = get(&app, "/admin/personer/ny", Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_accessible(&r.body);
        assert!(r.body.contains(&format!("<option value=\"{}\"", t.unit)));

        // Bad input: kept, with Swedish messages in a summary.
        let unit = t.unit.to_string();
        let r = post(
            &app,
            "/admin/personer",
            &admin,
            &[
                ("email", "inte-en-adress"),
                ("name", "Nora Ny"),
                ("role", ""),
                ("node", &unit),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_accessible(&r.body);
        assert!(r.body.contains("role=\"alert\""));
        assert!(r.body.contains("value=\"inte-en-adress\""));
        assert!(r.body.contains("value=\"Nora Ny\""));
        assert!(r.body.contains("är ingen e-postadress"), "{}", r.body);
        assert!(r.body.contains("Välj en roll."));
        assert!(
            r.body
                .contains(&format!("<option value=\"{unit}\" selected>"))
        );

        // Added: the one-time password is shown once.
        let r = post(
            &app,
            "/admin/personer",
            &admin,
            &[
                ("email", "Nora.Ny@Exempel.se"),
                ("name", "Nora Ny"),
                ("role", "unit_writer"),
                ("node", &unit),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_accessible(&r.body);
        let one_time = r
            .body
            .split("id=\"engangslosenord\">")
            .nth(1)
            .and_then(|s| s.split('<').next())
            .unwrap()
            .to_string();
        assert_eq!(one_time.chars().count(), 20);
        let nora = store
            .account_by_email("nora.ny@exempel.se")
            .await
            .unwrap()
            .unwrap();
        assert!(nora.must_change_password);
        assert_eq!(
            nora.grants,
            [RoleGrant {
                role: Role::UnitWriter,
                node_id: t.unit
            }]
        );

        // A taken address is a clear conflict, never a 500.
        let r = post(
            &app,
            "/admin/personer",
            &admin,
            &[
                ("email", "NORA.NY@exempel.se"),
                ("name", "Nora igen"),
                ("role", "reader"),
                ("node", &unit),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(
            r.body
                .contains("Det finns redan ett konto med e-postadressen nora.ny@exempel.se")
        );
        assert!(
            r.body
                .contains(&format!("href=\"/admin/personer/{}\"", nora.id))
        );
        assert!(r.body.contains("value=\"Nora igen\""));

        // Audited by the store, without the password.
        let events = store
            .audit_trail("account", &nora.id.to_string())
            .await
            .unwrap();
        let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["create", "grant"]);
        assert!(events.iter().all(|e| e.actor == "admin@exempel.se"));
        let text = serde_json::to_string(
            &events
                .iter()
                .map(|e| (&e.before, &e.after))
                .collect::<Vec<_>>(),
        )
        .unwrap();
        assert!(!text.contains(&one_time) && !text.contains("argon2"));

        // The first sign-in leads to the password page, and so does everything else.
        let r = sign_in(&app, "nora.ny@exempel.se", &one_time).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), "/konto/losenord");
        let nora_cookie = r.session_cookie().expect("signed in");
        let nora_c = Some(nora_cookie.as_str());
        for (path, to) in [
            ("/", "/konto/losenord".to_string()),
            (
                "/api-nycklar",
                "/konto/losenord?till=%2Fapi-nycklar".to_string(),
            ),
            (
                &format!("/enheter/{}", t.unit),
                format!("/konto/losenord?till=%2Fenheter%2F{}", t.unit),
            ),
        ] {
            let r = get(&app, path, nora_c).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}");
            assert_eq!(r.location(), to, "{path}");
        }
        for open in ["/tillganglighet", "/static/malkedja.css"] {
            assert_eq!(
                get(&app, open, nora_c).await.status,
                StatusCode::OK,
                "{open}"
            );
        }
        // A form elsewhere changes nothing meanwhile.
        let r = post(
            &app,
            "/api-nycklar",
            &nora_cookie,
            &[("name", "x"), ("days", "30")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(store.tokens_of(nora.id).await.unwrap().is_empty());

        let r = get(&app, "/konto/losenord", nora_c).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_accessible(&r.body);
        assert!(r.body.contains("engångslösenord"));
        assert!(
            !r.body.contains("href=\"/api-nycklar\""),
            "nothing else offered"
        );

        // Refusals say why, in Swedish.
        let r = post(
            &app,
            "/konto/losenord",
            &nora_cookie,
            &[
                ("current", "fel-lösenord-123"),
                ("new", "storm-och-sol-8"),
                ("again", "storm-och-sol-8"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("Det nuvarande lösenordet stämmer inte"));
        assert!(r.body.contains("role=\"alert\""));
        let r = post(
            &app,
            "/konto/losenord",
            &nora_cookie,
            &[
                ("current", &one_time),
                ("new", "storm-och-sol-8"),
                ("again", "storm-och-sol-9"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("Lösenorden är inte lika"));
        let r = post(
            &app,
            "/konto/losenord",
            &nora_cookie,
            &[("current", &one_time), ("new", "kort"), ("again", "kort")],
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("Lösenordet måste ha minst 12 tecken."));

        // Changed: everything is open again, and the one-time password is spent.
        let r = post(
            &app,
            "/konto/losenord",
            &nora_cookie,
            &[
                ("current", &one_time),
                ("new", "storm-och-sol-8"),
                ("again", "storm-och-sol-8"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location(), "/konto/losenord?bytt=1");
        let r = get(&app, "/konto/losenord?bytt=1", nora_c).await;
        assert!(r.body.contains("Lösenordet är bytt"));
        assert_eq!(get(&app, "/", nora_c).await.status, StatusCode::OK);
        assert!(
            !store
                .account(nora.id)
                .await
                .unwrap()
                .unwrap()
                .must_change_password
        );
        let r = sign_in(&app, "nora.ny@exempel.se", &one_time).await;
        assert_eq!(
            r.status,
            StatusCode::UNAUTHORIZED,
            "the one-time password is spent"
        );
        let r = sign_in(&app, "nora.ny@exempel.se", "storm-och-sol-8").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), "/");
        let actions: Vec<String> = store
            .audit_trail("account", &nora.id.to_string())
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert!(actions.contains(&"set_password".to_string()), "{actions:?}");
        let _ = t.city;
    }
);

both_backends!(
    roles_are_given_and_taken_only_within_the_scope,
    |store: Store| async move {
        let t = tree(&store).await;
        let app = malkedja_web::router(store.clone());
        let (_, admin) = person(&store, "nord@exempel.se", &[(Role::Admin, t.north)], true).await;
        let admin = admin.unwrap();
        let (inside, _) = person(&store, "inne@exempel.se", &[(Role::Reader, t.unit)], false).await;
        let (outside, _) =
            person(&store, "ute@exempel.se", &[(Role::Reader, t.south)], false).await;
        let (nobody, _) = person(&store, "ingen@exempel.se", &[], false).await;
        let (both, _) = person(
            &store,
            "bada@exempel.se",
            &[(Role::Reader, t.unit), (Role::Reader, t.south)],
            false,
        )
        .await;
        let (_, city_admin) =
            person(&store, "stad@exempel.se", &[(Role::Admin, t.city)], false).await;
        assert!(city_admin.is_none());

        // Whom the board's administrator sees.
        let r = get(&app, "/admin/personer", Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_accessible(&r.body);
        for seen in ["nord@", "inne@", "ingen@", "bada@"] {
            assert!(r.body.contains(seen), "{seen}");
        }
        for unseen in ["ute@", "stad@"] {
            assert!(!r.body.contains(unseen), "{unseen}");
        }
        assert!(r.body.contains("Du administrerar Norra nämnden"));
        let r = get(&app, &format!("/admin/personer/{outside}"), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = get(&app, "/admin/personer/99999", Some(&admin)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = get(&app, "/admin/personer/abc", Some(&admin)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);

        // A role inside: given, once.
        let r = get(&app, &format!("/admin/personer/{both}"), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_accessible(&r.body);
        assert!(r.body.contains("Utanför det du administrerar"));
        assert!(
            r.body
                .contains("Personen har roller utanför det du administrerar")
        );
        let (unit, south) = (t.unit.to_string(), t.south.to_string());
        let path = format!("/admin/personer/{nobody}/roller");
        let r = post(
            &app,
            &path,
            &admin,
            &[("role", "controller"), ("node", &unit)],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            r.location(),
            format!("/admin/personer/{nobody}?klart=tilldelad")
        );
        let r = get(&app, r.location(), Some(&admin)).await;
        assert!(r.body.contains("Rollen är tillagd."));
        assert!(r.body.contains("role=\"status\""));
        let r = post(
            &app,
            &path,
            &admin,
            &[("role", "controller"), ("node", &unit)],
        )
        .await;
        assert!(r.location().ends_with("klart=hade-redan"));
        let grants = store.account(nobody).await.unwrap().unwrap().grants;
        assert_eq!(
            grants,
            [RoleGrant {
                role: Role::Controller,
                node_id: t.unit
            }]
        );
        // Bad input is shown on the person's page, with what was chosen.
        let r = post(
            &app,
            &path,
            &admin,
            &[("role", "superuser"), ("node", &unit)],
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("Välj en roll."));
        assert!(
            r.body
                .contains(&format!("<option value=\"{unit}\" selected>"))
        );

        // Outside the scope: 403, nothing changes.
        let r = post(&app, &path, &admin, &[("role", "reader"), ("node", &south)]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = post(
            &app,
            &format!("/admin/personer/{outside}/roller"),
            &admin,
            &[("role", "reader"), ("node", &unit)],
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "not their person");
        let r = post(
            &app,
            &format!("/admin/personer/{both}/roller/ta-bort"),
            &admin,
            &[("role", "reader"), ("node", &south)],
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = post(
            &app,
            "/admin/personer",
            &admin,
            &[
                ("email", "ny@exempel.se"),
                ("name", "Ny"),
                ("role", "reader"),
                ("node", &south),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(
            store
                .account_by_email("ny@exempel.se")
                .await
                .unwrap()
                .is_none()
        );
        let version = store
            .account(both)
            .await
            .unwrap()
            .unwrap()
            .version
            .to_string();
        let r = post(
            &app,
            &format!("/admin/personer/{both}/stang-av"),
            &admin,
            &[("version", &version)],
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "roles elsewhere");
        assert!(!store.account(both).await.unwrap().unwrap().disabled);
        assert_eq!(store.account(both).await.unwrap().unwrap().grants.len(), 2);

        // A role inside: taken away.
        let r = post(
            &app,
            &format!("/admin/personer/{inside}/roller/ta-bort"),
            &admin,
            &[("role", "reader"), ("node", &unit)],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(r.location().ends_with("klart=borttagen"));
        assert!(
            store
                .account(inside)
                .await
                .unwrap()
                .unwrap()
                .grants
                .is_empty()
        );
        let r = post(
            &app,
            &format!("/admin/personer/{inside}/roller/ta-bort"),
            &admin,
            &[("role", "reader"), ("node", &unit)],
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "already taken");

        // Someone who administers no one: 403 everywhere, and no link.
        let reader = common::session_cookie(&store, "lasare@exempel.se", Role::Reader).await;
        let r = get(&app, "/", Some(&reader)).await;
        assert!(r.body.contains("Inloggad som"));
        assert!(!r.body.contains("href=\"/admin/personer\""));
        for path in ["/admin/personer", "/admin/personer/ny"] {
            assert_eq!(
                get(&app, path, Some(&reader)).await.status,
                StatusCode::FORBIDDEN,
                "{path}"
            );
        }
        let r = post(&app, &path, &reader, &[("role", "admin"), ("node", &unit)]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(
            store.account(nobody).await.unwrap().unwrap().grants.len(),
            1
        );

        // Anonymous: the sign-in page.
        for path in ["/admin/personer", "/konto/losenord"] {
            let r = get(&app, path, None).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path}");
            assert!(r.body.contains("action=\"/logga-in\""), "{path}");
        }
        let r = send(
            &app,
            Method::POST,
            &path,
            None,
            &[("role", "admin"), ("node", &unit)],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            store.account(nobody).await.unwrap().unwrap().grants.len(),
            1
        );

        // Audited as the administrator.
        let events = store
            .audit_trail("account", &nobody.to_string())
            .await
            .unwrap();
        let last = events.last().unwrap();
        assert_eq!(
            (last.action.as_str(), last.actor.as_str()),
            ("grant", "nord@exempel.se")
        );
    }
);

both_backends!(
    disabling_is_versioned_and_ends_the_persons_sessions,
    |store: Store| async move {
        let t = tree(&store).await;
        let app = malkedja_web::router(store.clone());
        let (me, admin) = person(&store, "stad@exempel.se", &[(Role::Admin, t.city)], true).await;
        let admin = admin.unwrap();
        let (bo, bo_cookie) =
            person(&store, "bo@exempel.se", &[(Role::UnitWriter, t.unit)], true).await;
        let bo_cookie = bo_cookie.unwrap();
        let r = get(&app, "/api-nycklar", Some(&bo_cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "Bo is signed in");

        // The page was opened at one version; someone changed the account meanwhile.
        let page = get(&app, &format!("/admin/personer/{bo}"), Some(&admin)).await;
        assert_eq!(page.status, StatusCode::OK);
        let seen = page.hidden("version");
        let account = store.account(bo).await.unwrap().unwrap();
        let hash = password::hash(&password::generate()).await.unwrap();
        let mut w = store.begin_write("någon annan").await.unwrap();
        w.set_one_time_password(bo, &hash, account.version)
            .await
            .unwrap();
        w.commit().await.unwrap();
        let path = format!("/admin/personer/{bo}/stang-av");
        let r = post(&app, &path, &admin, &[("version", &seen)]).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert_accessible(&r.body);
        assert!(
            r.body.contains("Någon annan har ändrat kontot"),
            "{}",
            r.body
        );
        assert!(r.body.contains("role=\"alert\""));
        assert!(!store.account(bo).await.unwrap().unwrap().disabled);
        let fresh = r.hidden("version");
        assert_ne!(fresh, seen);

        // From the version shown now: disabled, and signed out at once.
        let r = post(&app, &path, &admin, &[("version", &fresh)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(r.location().ends_with("klart=avstangd"));
        let account = store.account(bo).await.unwrap().unwrap();
        assert!(account.disabled);
        let r = get(&app, "/api-nycklar", Some(&bo_cookie)).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "the session is gone");
        let r = get(&app, "/", Some(&bo_cookie)).await;
        assert!(!r.body.contains("Inloggad som"));
        let r = get(&app, &format!("/admin/personer/{bo}"), Some(&admin)).await;
        assert!(r.body.contains("Kontot är avstängt"));
        assert!(r.body.contains("Avstängt"));
        let actions: Vec<String> = store
            .audit_trail("account", &bo.to_string())
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(actions.last().map(String::as_str), Some("disable"));

        // Not oneself; not without a version.
        let version = store
            .account(me)
            .await
            .unwrap()
            .unwrap()
            .version
            .to_string();
        let r = post(
            &app,
            &format!("/admin/personer/{me}/stang-av"),
            &admin,
            &[("version", &version)],
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("Du kan inte stänga av ditt eget konto."));
        assert!(!store.account(me).await.unwrap().unwrap().disabled);
        let (carl, _) = person(&store, "carl@exempel.se", &[], false).await;
        let r = post(
            &app,
            &format!("/admin/personer/{carl}/stang-av"),
            &admin,
            &[("version", "x")],
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
    }
);
