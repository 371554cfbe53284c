//! Administration of the organisation and the year (`/admin/organisation`, `/admin/ar`,
//! `/admin/forvaltningar/{id}/tidsfrister/{year}`) through the router, on both backends:
//! who may do what where, CSRF, refused input kept with Swedish messages, stale pages as
//! conflicts that show both values, names escaped, and every change in the audit trail.

mod common;

use axum::http::{StatusCode, header};
use common::{Answer, Client};
use malkedja_domain::{NewNode, NodeId, OrgKind, Role, RoleGrant};
use malkedja_store::sessions::{DEFAULT_ABSOLUTE, DEFAULT_IDLE};
use malkedja_store::{Store, both_backends, password};

/// Staden > Nämnden > {Förvaltningen > {Norr > Solrosen, Söder}, Andra förvaltningen >
/// Vitsippan}.
struct Tree {
    admin: NodeId,
    north: NodeId,
    south: NodeId,
    unit: NodeId,
    other_admin: NodeId,
    other_unit: NodeId,
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
    let board = node(Some(city), OrgKind::Board, "Nämnden").await;
    let admin = node(Some(board), OrgKind::Administration, "Förvaltningen").await;
    let north = node(Some(admin), OrgKind::Department, "Norr").await;
    let south = node(Some(admin), OrgKind::Department, "Söder").await;
    let unit = node(Some(north), OrgKind::Unit, "Solrosen").await;
    let other_admin = node(Some(board), OrgKind::Administration, "Andra förvaltningen").await;
    let other_unit = node(Some(other_admin), OrgKind::Unit, "Vitsippan").await;
    w.commit().await.unwrap();
    Tree {
        admin,
        north,
        south,
        unit,
        other_admin,
        other_unit,
    }
}

/// A signed-in browser of a person with `role` on `scope`.
async fn browser(
    app: &axum::Router,
    store: &Store,
    email: &str,
    role: Role,
    scope: NodeId,
) -> Client {
    let hash = password::hash(common::PASSWORD).await.unwrap();
    let mut w = store.begin_write("test").await.unwrap();
    let a = w.add_account(email, email, &hash).await.unwrap();
    w.grant_role(
        a.id,
        RoleGrant {
            role,
            node_id: scope,
        },
    )
    .await
    .unwrap();
    let s = w
        .create_session(a.id, DEFAULT_IDLE, DEFAULT_ABSOLUTE)
        .await
        .unwrap();
    w.commit().await.unwrap();
    let mut c = Client::new(app);
    c.cookie = Some(s.secret.as_str().to_string());
    c
}

/// Posts `fields` with the CSRF token of the person's session (read from `page`).
async fn post(c: &Client, page: &str, path: &str, fields: &[(&str, &str)]) -> Answer {
    let csrf = c.get(page).await.csrf();
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    c.post(path, &all).await
}

/// Posts one of the forms of the node page `page` (`{page}/{action}`).
async fn act(c: &Client, page: &str, action: &str, fields: &[(&str, &str)]) -> Answer {
    post(c, page, &format!("{page}/{action}"), fields).await
}

fn location(a: &Answer) -> &str {
    a.header(header::LOCATION)
}

/// The page has one error summary that links to `field`, and marks the field.
fn refused_at(a: &Answer, field: &str) {
    assert!(
        a.body.contains("class=\"error-summary\" role=\"alert\""),
        "{}",
        a.body
    );
    assert!(a.body.contains(&format!("href=\"#{field}\"")), "{}", a.body);
}

both_backends!(
    an_administrator_renames_moves_closes_and_reopens_a_unit,
    |store: Store| async move {
        let t = tree(&store).await;
        let app = malkedja_web::router(store.clone());
        let top = store.chain(t.admin).await.unwrap().last().unwrap().id;
        let anna = browser(&app, &store, "anna@exempel.se", Role::Admin, top).await;
        let page = format!("/admin/organisation/{}", t.unit);

        // The header leads to the tree; the tree to the unit.
        let r = anna.get("/").await;
        assert!(
            r.body.contains("href=\"/admin/organisation\""),
            "{}",
            r.body
        );
        let r = anna.get("/admin/organisation").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains(&format!("href=\"{page}\"")));
        assert!(r.body.contains("Du administrerar hela organisationen."));
        let r = anna.get(&page).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.header(header::CACHE_CONTROL), "no-store");
        assert!(
            r.body
                .contains("<title>Solrosen – Organisation – Målkedja</title>")
        );
        assert_eq!(r.body.matches("<h1").count(), 1);
        assert!(r.body.contains("name=\"version\" value=\"1\""));
        // The parents it may move under: the administration and both departments.
        for id in [t.admin, t.north, t.south, t.other_admin] {
            assert!(r.body.contains(&format!("<option value=\"{id}\"")), "{id}");
        }
        assert!(
            !r.body
                .contains(&format!("<option value=\"{}\"", t.other_unit))
        );

        // A name too long comes back as typed, with the message beside the field.
        let long = "Ö".repeat(201);
        let r = act(&anna, &page, "namn", &[("version", "1"), ("name", &long)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        refused_at(&r, "namn");
        assert!(r.body.contains("Namnet får vara högst 200 tecken."));
        assert!(r.body.contains(&format!("value=\"{long}\"")));
        assert!(r.body.contains("aria-invalid=\"true\""));

        // A name with HTML is stored as text and shown escaped everywhere.
        let evil = "<script>alert(1)</script> Solrosen";
        let r = act(&anna, &page, "namn", &[("version", "1"), ("name", evil)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(location(&r), format!("{page}?klart=namn"));
        for path in [
            page.clone(),
            "/admin/organisation".into(),
            "/".into(),
            format!("/enheter/{}", t.unit),
        ] {
            let r = anna.get(&path).await;
            assert!(!r.body.contains("<script>alert"), "{path}");
            assert!(
                r.body
                    .contains("&#60;script&#62;alert(1)&#60;/script&#62; Solrosen"),
                "{path}: {}",
                r.body
            );
        }
        assert_eq!(store.node(t.unit).await.unwrap().unwrap().name, evil);

        // From the page as it was before: a conflict that shows both names.
        let r = act(
            &anna,
            &page,
            "namn",
            &[("version", "1"), ("name", "Bertils namn")],
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        refused_at(&r, "namn");
        assert!(
            r.body
                .contains("Namnet som gäller nu: <strong>&#60;script&#62;"),
            "{}",
            r.body
        );
        assert!(r.body.contains("value=\"Bertils namn\""));
        assert!(r.body.contains("name=\"version\" value=\"2\""));

        // Moved under Söder; a stale move is a conflict; a wrong kind is refused.
        let south = t.south.to_string();
        let r = act(
            &anna,
            &page,
            "flytta",
            &[("version", "2"), ("parent", &south)],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(
            store.node(t.unit).await.unwrap().unwrap().parent_id,
            Some(t.south)
        );
        let north = t.north.to_string();
        let r = act(
            &anna,
            &page,
            "flytta",
            &[("version", "2"), ("parent", &north)],
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        refused_at(&r, "foralder");
        assert!(
            r.body
                .contains("den ligger nu under <strong>Söder (avdelning)</strong>"),
            "{}",
            r.body
        );
        assert!(
            r.body
                .contains(&format!("<option value=\"{north}\" selected>")),
            "the choice kept"
        );
        let other_unit = t.other_unit.to_string();
        let r = act(
            &anna,
            &page,
            "flytta",
            &[("version", "3"), ("parent", &other_unit)],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body
                .contains("Enhet kan inte ligga under enhet i organisationen."),
            "{}",
            r.body
        );

        // Closed: a date is needed; then the unit shows as closed, its documents stay.
        let r = act(&anna, &page, "avveckla", &[("version", "3"), ("date", "")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        refused_at(&r, "datum");
        assert!(r.body.contains("Skriv vilket datum noden avvecklas."));
        let r = act(
            &anna,
            &page,
            "avveckla",
            &[("version", "3"), ("date", "1 april")],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("value=\"1 april\""));
        let r = act(
            &anna,
            &page,
            "avveckla",
            &[("version", "3"), ("date", "2025-04-01")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        for path in [
            "/".to_string(),
            format!("/enheter/{}", t.unit),
            "/admin/organisation".into(),
            page.clone(),
        ] {
            let r = anna.get(&path).await;
            assert_eq!(r.status, StatusCode::OK, "{path}");
            assert!(
                r.body.contains("Avvecklad 2025-04-01"),
                "{path}: {}",
                r.body
            );
        }
        // The API says so too.
        let r = anna.get(&format!("/api/v1/units/{}", t.unit)).await;
        assert_eq!(r.json()["closed"], "2025-04-01");
        let r = anna.get("/api/v1/org").await;
        assert!(r.body.contains("\"closed\":\"2025-04-01\""), "{}", r.body);
        assert!(r.body.contains("\"closed\":null"), "{}", r.body);
        let r = anna
            .get(&format!("/admin/organisation/{}/ny", t.unit))
            .await;
        assert!(
            r.body
                .contains("är avvecklad, så inget nytt kan läggas under den"),
            "{}",
            r.body
        );

        // Reopened from a stale page: a conflict; then from the page as it is.
        let r = act(&anna, &page, "ateroppna", &[("version", "3")]).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(
            r.body
                .contains("Som noden är sparad nu: <strong>Avvecklad 2025-04-01</strong>"),
            "{}",
            r.body
        );
        let r = act(&anna, &page, "ateroppna", &[("version", "4")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(store.node(t.unit).await.unwrap().unwrap().closed, None);

        let trail = store
            .audit_trail("org_node", &t.unit.to_string())
            .await
            .unwrap();
        let actions: Vec<(&str, &str)> = trail
            .iter()
            .map(|e| (e.action.as_str(), e.actor.as_str()))
            .collect();
        assert_eq!(
            actions,
            [
                ("create", "test"),
                ("rename", "anna@exempel.se"),
                ("move", "anna@exempel.se"),
                ("close", "anna@exempel.se"),
                ("reopen", "anna@exempel.se"),
            ]
        );
    }
);

both_backends!(
    a_node_is_added_under_its_parent,
    |store: Store| async move {
        let t = tree(&store).await;
        let app = malkedja_web::router(store.clone());
        let anna = browser(&app, &store, "anna@exempel.se", Role::Admin, t.admin).await;
        let form = format!("/admin/organisation/{}/ny", t.north);
        let r = anna.get(&form).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.body
                .contains("<option value=\"unit\" selected>Enhet</option>"),
            "{}",
            r.body
        );

        let r = post(&anna, &form, &form, &[("kind", "unit"), ("name", "  ")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        refused_at(&r, "namn");
        assert!(r.body.contains("Namnet får inte vara tomt."));
        let r = post(
            &anna,
            &form,
            &form,
            &[("kind", "board"), ("name", "Blåklinten")],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        refused_at(&r, "slag");
        assert!(r.body.contains("value=\"Blåklinten\""));

        let r = post(
            &anna,
            &form,
            &form,
            &[("kind", "unit"), ("name", "Blåklinten")],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let created = store
            .children(t.north)
            .await
            .unwrap()
            .into_iter()
            .find(|n| n.name == "Blåklinten")
            .unwrap();
        assert_eq!(created.kind, OrgKind::Unit);
        assert_eq!(
            location(&r),
            format!("/admin/organisation/{}?klart=skapad", created.id)
        );
        let r = anna.get(location(&r)).await;
        assert!(r.body.contains("Noden är skapad."));
        let trail = store
            .audit_trail("org_node", &created.id.to_string())
            .await
            .unwrap();
        assert_eq!(trail[0].actor, "anna@exempel.se");
    }
);

both_backends!(
    an_administrator_of_another_administration_is_refused,
    |store: Store| async move {
        let t = tree(&store).await;
        let app = malkedja_web::router(store.clone());
        let olle = browser(&app, &store, "olle@exempel.se", Role::Admin, t.other_admin).await;
        let own = format!("/admin/organisation/{}", t.other_unit);
        let theirs = format!("/admin/organisation/{}", t.unit);

        // He sees the tree, with ways only into his own administration.
        let r = olle.get("/admin/organisation").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains(&format!("href=\"{own}\"")));
        assert!(!r.body.contains(&format!("href=\"{theirs}\"")));
        assert!(r.body.contains("Du administrerar Andra förvaltningen"));

        assert_eq!(olle.get(&theirs).await.status, StatusCode::FORBIDDEN);
        let mut w = store.begin_write("test").await.unwrap();
        w.add_year(2026).await.unwrap();
        w.commit().await.unwrap();
        let deadlines = format!("/admin/forvaltningar/{}/tidsfrister/2026", t.admin);
        assert_eq!(olle.get(&deadlines).await.status, StatusCode::FORBIDDEN);
        // Nothing of the other administration, and his own unit not to a place of theirs;
        // planning years are the whole organisation's.
        let north = t.north.to_string();
        let refused: [(String, &[(&str, &str)]); 6] = [
            (
                format!("{theirs}/namn"),
                &[("version", "1"), ("name", "Olles")],
            ),
            (
                format!("{theirs}/avveckla"),
                &[("version", "1"), ("date", "2025-04-01")],
            ),
            (
                format!("/admin/organisation/{}/ny", t.north),
                &[("kind", "unit"), ("name", "X")],
            ),
            (
                format!("{own}/flytta"),
                &[("version", "1"), ("parent", &north)],
            ),
            (deadlines.clone(), &[("version", "0"), ("t1", "2026-05-15")]),
            ("/admin/ar".into(), &[("year", "2030")]),
        ];
        for (path, fields) in refused {
            assert_eq!(
                post(&olle, &own, &path, fields).await.status,
                StatusCode::FORBIDDEN,
                "{path}"
            );
        }
        assert_eq!(
            store.node(t.other_unit).await.unwrap().unwrap().parent_id,
            Some(t.other_admin)
        );
        assert_eq!(store.node(t.unit).await.unwrap().unwrap().name, "Solrosen");

        // He sees the planning years, without the form to add one.
        let r = olle.get("/admin/ar").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(!r.body.contains("action=\"/admin/ar\""));
        assert_eq!(store.years().await.unwrap(), [2026]);
        assert_eq!(store.deadlines(t.admin, 2026).await.unwrap().version, 0);

        // A controller administers nothing: no link, 403; a visitor signs in first.
        let cecilia = browser(
            &app,
            &store,
            "cecilia@exempel.se",
            Role::Controller,
            t.admin,
        )
        .await;
        assert!(!cecilia.get("/").await.body.contains("/admin/organisation"));
        assert_eq!(
            cecilia.get("/admin/organisation").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(cecilia.get("/admin/ar").await.status, StatusCode::FORBIDDEN);
        let visitor = Client::new(&app);
        assert_eq!(
            visitor.get("/admin/organisation").await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(visitor.get(&theirs).await.status, StatusCode::UNAUTHORIZED);
    }
);

both_backends!(
    a_change_without_the_session_token_is_refused,
    |store: Store| async move {
        let t = tree(&store).await;
        let app = malkedja_web::router(store.clone());
        let anna = browser(&app, &store, "anna@exempel.se", Role::Admin, t.admin).await;
        let page = format!("/admin/organisation/{}", t.unit);
        for fields in [
            vec![("version", "1"), ("name", "Utan")],
            vec![("csrf", "fel"), ("version", "1"), ("name", "Fel")],
        ] {
            let r = anna.post(&format!("{page}/namn"), &fields).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN);
        }
        let mut other_site = anna.clone();
        other_site.origin = Some("https://annan.example");
        let csrf = anna.get(&page).await.csrf();
        let r = other_site
            .post(
                &format!("{page}/avveckla"),
                &[("csrf", &csrf), ("version", "1"), ("date", "2025-04-01")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let unit = store.node(t.unit).await.unwrap().unwrap();
        assert_eq!((unit.name.as_str(), unit.closed), ("Solrosen", None));
    }
);

both_backends!(
    planning_years_and_deadlines_are_set_with_both_values_on_a_conflict,
    |store: Store| async move {
        let t = tree(&store).await;
        let app = malkedja_web::router(store.clone());
        let top = store.chain(t.admin).await.unwrap().last().unwrap().id;
        let anna = browser(&app, &store, "anna@exempel.se", Role::Admin, top).await;

        let r = anna.get("/admin/ar").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("Det finns inga planeringsår ännu."));
        let r = post(&anna, "/admin/ar", "/admin/ar", &[("year", "tjugo")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        refused_at(&r, "ar");
        assert!(r.body.contains("value=\"tjugo\""));
        let r = post(&anna, "/admin/ar", "/admin/ar", &[("year", "2026")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(location(&r), "/admin/ar?tillagt=2026");
        let r = anna.get(location(&r)).await;
        assert!(r.body.contains("Planeringsåret 2026 är tillagt."));
        let years = format!("/admin/forvaltningar/{}/tidsfrister/2026", t.admin);
        assert!(r.body.contains(&format!("href=\"{years}\"")));
        let r = post(&anna, "/admin/ar", "/admin/ar", &[("year", "2026")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Planeringsåret 2026 finns redan."));
        assert_eq!(store.years().await.unwrap(), [2026]);

        // Deadlines: typed values kept with a message beside each wrong one.
        let r = anna.get(&years).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("name=\"version\" value=\"0\""));
        let r = post(
            &anna,
            &years,
            &years,
            &[
                ("version", "0"),
                ("plan", "2025-12-15"),
                ("t1", "15/5"),
                ("t2", "2026-03-01"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        refused_at(&r, "t1");
        refused_at(&r, "t2");
        assert!(r.body.contains("value=\"15/5\""));
        assert!(r.body.contains("value=\"2025-12-15\""));
        assert!(r.body.contains(
            "Tidsfristen för tertialrapport 2 2026 ska ligga mellan 2026-09-01 och 2027-12-31."
        ));
        let r = post(
            &anna,
            &years,
            &years,
            &[
                ("version", "0"),
                ("plan", "2025-12-15"),
                ("t1", "2026-05-15"),
                ("vb", "2027-02-01"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(location(&r), format!("{years}?klart=sparat"));
        let saved = store.deadlines(t.admin, 2026).await.unwrap();
        assert_eq!(saved.version, 1);
        assert_eq!(saved.tertial1, malkedja_domain::parse_date("2026-05-15"));
        let r = anna.get(location(&r)).await;
        assert!(r.body.contains("Tidsfristerna är sparade."));
        assert!(r.body.contains("value=\"2027-02-01\""));
        let r = anna.get("/admin/ar").await;
        assert!(r.body.contains("Verksamhetsplan 2025-12-15, Tertialrapport 1 2026-05-15, Verksamhetsberättelse 2027-02-01"), "{}", r.body);

        // From the page as it was before: both values, the typed ones kept.
        let r = post(
            &anna,
            &years,
            &years,
            &[("version", "0"), ("t2", "2026-09-20")],
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        refused_at(&r, "plan");
        assert!(r.body.contains("Sparat nu av någon annan: 2025-12-15"));
        assert!(r.body.contains("Sparat nu av någon annan: Inte satt"));
        assert!(r.body.contains("value=\"2026-09-20\""));
        assert!(r.body.contains("name=\"version\" value=\"1\""));
        assert_eq!(store.deadlines(t.admin, 2026).await.unwrap(), saved);

        let trail = store
            .audit_trail("deadline", &format!("{}/2026", t.admin))
            .await
            .unwrap();
        assert_eq!(trail.len(), 1);
        assert_eq!(trail[0].actor, "anna@exempel.se");

        // Only an administration has deadlines, only for a planning year.
        assert_eq!(
            anna.get(&format!("/admin/forvaltningar/{}/tidsfrister/2026", t.unit))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            anna.get(&format!(
                "/admin/forvaltningar/{}/tidsfrister/2031",
                t.admin
            ))
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            anna.get(&format!("/admin/forvaltningar/{}/tidsfrister/x", t.admin))
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
        // The administration's page leads to its deadlines.
        let r = anna.get(&format!("/admin/organisation/{}", t.admin)).await;
        assert!(r.body.contains(&format!("href=\"{years}\"")));
    }
);
