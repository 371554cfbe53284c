//! Official documents through the router, on both backends, with the demo: the download
//! links and files (authorized as the pages: an approved document is public, a draft needs a
//! role on the unit), the memo header's page and API (validation, conflicts, locked plans,
//! escaping), and approved plans served from their archive copy — byte for byte the same
//! after the board changes its texts, a new copy after reopening and approving again.

mod common;

use axum::http::{Method, StatusCode, header};
use common::{Client, DEMO_MANAGER, DEMO_READER, DemoPlan, signed_in, with_token};
use malkedja_domain::{GoalLevel, GoalSection, PlanStatus, Role, RoleGrant};
use malkedja_store::{
    DocRef, FreezeFuture, FreezeInput, Freezer, FrozenPart, Store, both_backends,
};
use serde_json::json;
use std::sync::Arc;

const CONTROLLER: &str = "controller@demo.malkedja.se";
const ADMIN: &str = "admin@demo.malkedja.se";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A person whose only role is on another unit than the demo plan's.
async fn outsider(store: &Store, app: &axum::Router, unit: malkedja_domain::NodeId) -> Client {
    let other = store
        .org_nodes()
        .await
        .unwrap()
        .into_iter()
        .find(|n| n.kind == malkedja_domain::OrgKind::Unit && n.id != unit)
        .expect("another unit");
    let hash = malkedja_store::password::hash(common::PASSWORD)
        .await
        .unwrap();
    let mut w = store.begin_write("test").await.unwrap();
    let account = w
        .add_account("annan@test.se", "Annan enhet", &hash)
        .await
        .unwrap();
    w.grant_role(
        account.id,
        RoleGrant {
            role: Role::UnitManager,
            node_id: other.id,
        },
    )
    .await
    .unwrap();
    w.commit().await.unwrap();
    with_token(store, app, "annan@test.se").await
}

/// A reader of the whole organisation, signed in.
async fn full_reader(store: &Store, app: &axum::Router) -> Client {
    let cookie = common::session_cookie(store, "lasare@test.se", Role::Reader).await;
    Client {
        cookie: cookie.strip_prefix("malkedja_session=").map(str::to_string),
        ..Client::new(app)
    }
}

both_backends!(
    downloads_are_authorized_like_the_pages,
    |store: Store| async move {
        let demo = DemoPlan::load(&store).await;
        let (unit, draft, approved) = (demo.unit, demo.year, demo.approved);
        let anonymous = Client::new(&demo.app);

        // The plan's and the report's pages link to their files.
        let reader = full_reader(&store, &demo.app).await;
        let page = reader.get(&format!("/enheter/{unit}/planer/{draft}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        for href in ["dokument.pdf", "dokument.docx", "indikatorer.xlsx"] {
            assert!(
                page.body
                    .contains(&format!("href=\"/enheter/{unit}/planer/{draft}/{href}\"")),
                "{href}"
            );
        }
        assert!(page.body.contains(">Ladda ner PDF<"));
        assert!(page.body.contains(">Ladda ner Word<"));
        let report = reader
            .get(&format!("/enheter/{unit}/rapporter/{approved}/vb"))
            .await;
        assert_eq!(report.status, StatusCode::OK, "{}", report.body);
        assert!(report.body.contains(&format!(
            "href=\"/enheter/{unit}/rapporter/{approved}/vb/dokument.docx\""
        )));

        // Anyone downloads an approved plan; its name is safe ASCII and exact UTF-8.
        let word = anonymous
            .get(&format!("/enheter/{unit}/planer/{approved}/dokument.docx"))
            .await;
        assert_eq!(word.status, StatusCode::OK, "{}", word.body);
        assert_eq!(word.header(header::CONTENT_TYPE), DOCX);
        assert!(word.bytes.starts_with(b"PK"), "a zip file");
        let disposition = word.header(header::CONTENT_DISPOSITION);
        assert!(
        disposition.starts_with(&format!(
            "attachment; filename=\"Verksamhetsplan_{approved}_Enheten_for_socialpsykiatriskt_stod.docx\"; filename*=UTF-8''Verksamhetsplan%20{approved}%20Enheten%20f%C3%B6r%20socialpsykiatriskt%20st%C3%B6d.docx"
        )),
        "{disposition}"
    );
        let api = anonymous
            .get(&format!("/api/v1/units/{unit}/plans/{approved}.xlsx"))
            .await;
        assert_eq!(api.status, StatusCode::OK, "{}", api.body);
        assert_eq!(api.header(header::CONTENT_TYPE), XLSX);
        let vb = anonymous
            .get(&format!(
                "/api/v1/units/{unit}/reports/{approved}/annual_report.docx"
            ))
            .await;
        assert_eq!(vb.status, StatusCode::OK, "{}", vb.body);
        assert_eq!(vb.header(header::CONTENT_TYPE), DOCX);

        // A draft needs a role on the unit: anonymous 401 (the API says so in JSON, the page
        // asks to sign in), another unit's manager 403, a reader of everything 200.
        for path in [
            format!("/api/v1/units/{unit}/plans/{draft}.docx"),
            format!("/api/v1/units/{unit}/plans/{draft}.pdf"),
            format!("/api/v1/units/{unit}/plans/{draft}.xlsx"),
        ] {
            let a = anonymous.get(&path).await;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{path}");
            assert_eq!(a.json()["error"]["code"], "unauthorized", "{path}");
            assert!(a.bytes.len() < 2000, "no document in the answer");
        }
        let a = anonymous
            .get(&format!("/enheter/{unit}/planer/{draft}/dokument.docx"))
            .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        assert!(a.body.contains("Logga in"), "{}", a.body);
        let other = outsider(&store, &demo.app, unit).await;
        let a = other
            .get(&format!("/api/v1/units/{unit}/plans/{draft}.docx"))
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
        assert_eq!(a.json()["error"]["code"], "forbidden");
        let a = other
            .get(&format!("/api/v1/units/{unit}/plans/{approved}.docx"))
            .await;
        assert_eq!(a.status, StatusCode::OK, "approved is public");
        let a = reader
            .get(&format!("/enheter/{unit}/planer/{draft}/dokument.docx"))
            .await;
        assert_eq!(a.status, StatusCode::OK);
        assert_eq!(a.header(header::CONTENT_TYPE), DOCX);

        // Addresses that name nothing: 400 and 404 as the rest of the API.
        let a = anonymous
            .get(&format!("/api/v1/units/{unit}/plans/abc.pdf"))
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        assert_eq!(a.json()["error"]["fields"][0]["field"], "year");
        let a = anonymous.get("/api/v1/units/99999999/plans/2025.pdf").await;
        assert_eq!(a.status, StatusCode::NOT_FOUND);
        let a = anonymous
            .get(&format!("/api/v1/units/{unit}/plans/2031.docx"))
            .await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
        let a = anonymous
            .get(&format!(
                "/api/v1/units/{unit}/reports/{approved}/nothing.pdf"
            ))
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        let a = anonymous
            .get(&format!("/enheter/{unit}/planer/{approved}/dokument.odt"))
            .await;
        assert_eq!(a.status, StatusCode::NOT_FOUND);
    }
);

/// The demo's approved plan: its page, its API answer and its PDF, anonymously.
async fn approved_bytes(app: &Client, unit: malkedja_domain::NodeId, year: i32) -> [Vec<u8>; 3] {
    let page = app.get(&format!("/enheter/{unit}/planer/{year}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let json = app.get(&format!("/api/v1/units/{unit}/plans/{year}")).await;
    assert_eq!(json.status, StatusCode::OK, "{}", json.body);
    assert!(
        json.header(header::CONTENT_TYPE)
            .starts_with("application/json")
    );
    let pdf = app
        .get(&format!("/api/v1/units/{unit}/plans/{year}.pdf"))
        .await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.body);
    assert_eq!(pdf.header(header::CONTENT_TYPE), "application/pdf");
    assert!(pdf.bytes.starts_with(b"%PDF-"));
    let page_pdf = app
        .get(&format!("/enheter/{unit}/planer/{year}/dokument.pdf"))
        .await;
    assert_eq!(
        page_pdf.bytes, pdf.bytes,
        "the page's link gives the same file"
    );
    [page.bytes, json.bytes, pdf.bytes]
}

both_backends!(
    an_approved_plan_reads_the_same_after_the_board_changes_its_text,
    |store: Store| async move {
        let demo = DemoPlan::load(&store).await;
        let (unit, year) = (demo.unit, demo.approved);
        let anonymous = Client::new(&demo.app);
        let before = approved_bytes(&anonymous, unit, year).await;
        let plan = store.plan(unit, year).await.unwrap().unwrap();
        let copies = store.frozen_copies(DocRef::Plan(plan.id)).await.unwrap();
        assert_eq!(copies.len(), 1, "frozen on the first read");

        // The board writes a new description of its goal, and renames it.
        let doc = store.plan_document(unit, year).await.unwrap().unwrap();
        let board_goal = doc
            .goals
            .iter()
            .flat_map(|g| g.walk())
            .find(|g| g.goal.level == GoalLevel::Board)
            .expect("a board goal in the plan")
            .goal
            .clone();
        let mut w = store
            .begin_write("redaktor@demo.malkedja.se")
            .await
            .unwrap();
        w.set_goal_text(
            board_goal.id,
            GoalSection::Description,
            "Nämnden har skrivit om sitt mål i efterhand.",
            time::OffsetDateTime::now_utc(),
        )
        .await
        .unwrap();
        w.save_goal(
            board_goal.id,
            board_goal.version,
            &malkedja_store::GoalEdit {
                title: Some("Ett nytt namn på nämndens mål".into()),
                number: None,
                sections: Vec::new(),
            },
        )
        .await
        .unwrap();
        w.commit().await.unwrap();
        // The plan read now has changed …
        let live = store.plan_document(unit, year).await.unwrap().unwrap();
        assert!(
            live.goals
                .iter()
                .flat_map(|g| g.walk())
                .any(|g| g.goal.title == "Ett nytt namn på nämndens mål"),
            "the change reaches the live plan"
        );
        // … but the approved plan's page, JSON and PDF are the archive copy, byte for byte.
        let after = approved_bytes(&anonymous, unit, year).await;
        assert_eq!(before[0], after[0], "the page");
        assert_eq!(before[1], after[1], "the JSON");
        assert_eq!(before[2], after[2], "the PDF");
        let page = String::from_utf8(after[0].clone()).unwrap();
        assert!(!page.contains("Ett nytt namn på nämndens mål"));
        assert!(page.contains(&board_goal.title));
        assert_eq!(
            store
                .frozen_copies(DocRef::Plan(plan.id))
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(store.verify_archive().await.unwrap().is_empty());
    }
);

both_backends!(
    approving_through_the_api_freezes_and_reopening_keeps_the_old_copy,
    |store: Store| async move {
        let demo = DemoPlan::load(&store).await;
        let (unit, year) = (demo.unit, demo.year);
        malkedja_store::testing::make_plan_submittable(&store, unit, year).await;
        common::give_every_indicator_a_target(&store, unit, year).await;
        let plan = store.plan(unit, year).await.unwrap().unwrap();
        let manager = with_token(&store, &demo.app, DEMO_MANAGER).await;
        let controller = with_token(&store, &demo.app, CONTROLLER).await;
        let admin = with_token(&store, &demo.app, ADMIN).await;
        let transitions = format!("/api/v1/plans/{}/transitions", plan.id);
        let step = async |c: &Client, to: &str, comment: &str| {
            let version = store.plan_by_id(plan.id).await.unwrap().unwrap().version;
            let a = c
                .json(
                    Method::POST,
                    &transitions,
                    Some(json!({"to": to, "version": version, "comment": comment})),
                )
                .await;
            assert_eq!(a.status, StatusCode::OK, "{to}: {}", a.body);
        };
        // The memo goes into the copy.
        let a = manager
            .json(
                Method::PUT,
                &format!("/api/v1/plans/{}/memo", plan.id),
                Some(json!({"version": 0, "case_number": "HÄ 2026/17", "date": "2026-01-27"})),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        step(&manager, "submitted", "").await;
        assert!(store.frozen_documents().await.unwrap().is_empty());
        step(&controller, "approved", "").await;
        let copies = store.frozen_copies(DocRef::Plan(plan.id)).await.unwrap();
        assert_eq!(copies.len(), 1, "frozen in the approval");
        let approval = store.plan_transitions(plan.id).await.unwrap();
        assert_eq!(copies[0].approval, approval.last().unwrap().id);
        assert_eq!(copies[0].approved_by, CONTROLLER);
        let anonymous = Client::new(&demo.app);
        let json = anonymous
            .get(&format!("/api/v1/units/{unit}/plans/{year}"))
            .await;
        assert_eq!(json.status, StatusCode::OK, "approved: public");
        assert_eq!(json.json()["status"], "approved");
        assert_eq!(json.json()["memo"]["case_number"], "HÄ 2026/17");
        let (_, frozen_json) = store
            .frozen_part(DocRef::Plan(plan.id), FrozenPart::Json)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(json.bytes, frozen_json, "served from the copy");
        let (_, html) = store
            .frozen_part(DocRef::Plan(plan.id), FrozenPart::Html)
            .await
            .unwrap()
            .unwrap();
        let html = String::from_utf8(html).unwrap();
        let page = anonymous
            .get(&format!("/enheter/{unit}/planer/{year}"))
            .await;
        let (head, main) = html.split_once("<!-- malkedja:arbetsgang -->").unwrap();
        assert!(page.body.contains(head) && page.body.contains(main));
        assert!(
            page.body.contains("Arbetsgång och beslut"),
            "the live workflow box"
        );

        // Reopened by an administrator: a draft again, read live; the copy stays. Approved
        // again: a second copy, which is what is served.
        step(&admin, "draft", "Ett fel i målen").await;
        let draft = anonymous
            .get(&format!("/api/v1/units/{unit}/plans/{year}"))
            .await;
        assert_eq!(draft.status, StatusCode::UNAUTHORIZED);
        step(&manager, "submitted", "").await;
        step(&controller, "approved", "").await;
        let copies = store.frozen_copies(DocRef::Plan(plan.id)).await.unwrap();
        assert_eq!(copies.len(), 2);
        let (served, _) = store
            .frozen_part(DocRef::Plan(plan.id), FrozenPart::Pdf)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(served.id, copies[1].id);
        let pdf = anonymous
            .get(&format!("/api/v1/units/{unit}/plans/{year}.pdf"))
            .await;
        assert_eq!(pdf.status, StatusCode::OK);
        assert_eq!(malkedja_store::sha256_hex(&pdf.bytes), copies[1].pdf_sha256);
    }
);

/// A freezer that cannot render: what a broken renderer does to an approval.
struct Broken;

impl Freezer for Broken {
    fn render(&self, _: FreezeInput) -> FreezeFuture {
        Box::pin(async { Err("sättningen misslyckades".to_string()) })
    }
}

both_backends!(
    an_approval_whose_copy_cannot_be_made_is_a_500_page,
    |store: Store| async move {
        let demo = DemoPlan::load(&store).await;
        let (unit, year) = (demo.unit, demo.year);
        malkedja_store::testing::make_plan_submittable(&store, unit, year).await;
        common::give_every_indicator_a_target(&store, unit, year).await;
        let app = malkedja_web::router(store.clone().with_freezer(Arc::new(Broken)));
        let plan = store.plan(unit, year).await.unwrap().unwrap();
        let mut w = store.begin_write(DEMO_MANAGER).await.unwrap();
        w.transition_plan(plan.id, plan.version, PlanStatus::Submitted, "")
            .await
            .unwrap();
        w.commit().await.unwrap();
        let controller = signed_in(&store, &app, CONTROLLER).await;
        let page = controller
            .get(&format!("/enheter/{unit}/planer/{year}"))
            .await;
        let version = store.plan_by_id(plan.id).await.unwrap().unwrap().version;
        let a = controller
            .post(
                &format!("/enheter/{unit}/planer/{year}/status"),
                &[
                    ("csrf", &page.csrf()),
                    ("version", &version.to_string()),
                    ("to", "approved"),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", a.body);
        assert!(a.body.contains("Något gick fel hos oss"), "{}", a.body);
        assert!(a.header(header::CONTENT_TYPE).starts_with("text/html"));
        let plan = store.plan_by_id(plan.id).await.unwrap().unwrap();
        assert_eq!(
            plan.status,
            PlanStatus::Submitted,
            "not approved without its copy"
        );
        assert!(store.frozen_documents().await.unwrap().is_empty());
    }
);

both_backends!(
    the_memo_page_checks_keeps_what_was_typed_and_refuses_stale_saves,
    |store: Store| async move {
        let demo = DemoPlan::load(&store).await;
        let (unit, year, approved) = (demo.unit, demo.year, demo.approved);
        let path = format!("/enheter/{unit}/planer/{year}/dokumenthuvud");
        let manager = signed_in(&store, &demo.app, DEMO_MANAGER).await;
        // The plan page leads a writer there; a reader neither sees the link nor the page.
        let plan_page = manager.get(&format!("/enheter/{unit}/planer/{year}")).await;
        assert!(plan_page.body.contains(&format!(
            "href=\"/enheter/{unit}/planer/{year}/dokumenthuvud\""
        )));
        let reader = full_reader(&store, &demo.app).await;
        let r = reader.get(&format!("/enheter/{unit}/planer/{year}")).await;
        assert!(!r.body.contains("dokumenthuvud"));
        assert_eq!(reader.get(&path).await.status, StatusCode::FORBIDDEN);
        assert_eq!(
            Client::new(&demo.app).get(&path).await.status,
            StatusCode::UNAUTHORIZED
        );

        let form = manager.get(&path).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        assert_eq!(form.hidden("version"), "0");
        for id in [
            "dnr",
            "datum",
            "handlaggare",
            "till",
            "telefon",
            "titel",
            "forslag",
        ] {
            assert!(form.body.contains(&format!("<label for=\"{id}\"")), "{id}");
        }
        let csrf = form.csrf();

        // Bad input: 422, each message at its field, everything typed kept (escaped).
        let long_phone = "1".repeat(201);
        let bad = manager
            .post(
                &path,
                &[
                    ("csrf", csrf.as_str()),
                    ("version", "0"),
                    ("dnr", "<script>alert(1)</script>"),
                    ("datum", "27 januari"),
                    ("telefon", long_phone.as_str()),
                    ("forslag", "Nämnden \"fastställer\" & godkänner"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.body.contains("Dokumenthuvudet är inte sparat"));
        assert!(bad.body.contains("href=\"#datum\""));
        assert!(bad.body.contains("href=\"#telefon\""));
        assert!(bad.body.contains("«27 januari»"));
        assert!(
            bad.body
                .contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
            "{}",
            bad.body
        );
        assert!(!bad.body.contains("<script>alert(1)"));
        assert!(
            bad.body
                .contains("Nämnden &#34;fastställer&#34; &#38; godkänner"),
            "{}",
            bad.body
        );
        assert!(bad.tag("datum").contains("aria-invalid=\"true\""));
        assert_eq!(
            store
                .memo(DocRef::Plan(
                    store.plan(unit, year).await.unwrap().unwrap().id
                ))
                .await
                .unwrap()
                .version,
            0
        );

        // A good save goes back to the plan.
        let good = [
            ("csrf", csrf.as_str()),
            ("version", "0"),
            ("dnr", "HÄ 2026/17"),
            ("datum", "2026-01-27"),
            ("handlaggare", "Anna <Andersson>"),
            ("forslag", "Nämnden fastställer planen."),
        ];
        let saved = manager.post(&path, &good).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert!(
            saved
                .location()
                .starts_with(&format!("/enheter/{unit}/planer/{year}"))
        );
        let again = manager.get(&path).await;
        assert_eq!(again.hidden("version"), "1");
        assert_eq!(again.value_of("id", "dnr").as_deref(), Some("HÄ 2026/17"));
        assert_eq!(
            again.value_of("id", "handlaggare").as_deref(),
            Some("Anna &#60;Andersson&#62;")
        );
        // The API's plan carries it with its version.
        let api = with_token(&store, &demo.app, DEMO_MANAGER).await;
        let plan_json = api
            .get(&format!("/api/v1/units/{unit}/plans/{year}"))
            .await
            .json();
        assert_eq!(plan_json["memo"]["version"], 1);
        assert_eq!(plan_json["memo"]["date"], "2026-01-27");
        assert_eq!(plan_json["memo"]["case_officer"], "Anna <Andersson>");

        // The same form again, from version 0: a conflict, both versions shown, mine kept.
        let mut mine = good.to_vec();
        mine[2] = ("dnr", "Mitt eget dnr");
        let stale = manager.post(&path, &mine).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
        assert!(
            stale
                .body
                .contains("Någon annan har sparat dokumenthuvudet")
        );
        assert!(stale.body.contains("Sparat nu: HÄ 2026/17"));
        assert_eq!(
            stale.value_of("id", "dnr").as_deref(),
            Some("Mitt eget dnr")
        );
        assert_eq!(
            stale.hidden("version"),
            "1",
            "saving again overwrites knowingly"
        );

        // An approved plan's memo is shown, not offered; a save is refused.
        let locked = format!("/enheter/{unit}/planer/{approved}/dokumenthuvud");
        let a = manager.get(&locked).await;
        assert_eq!(a.status, StatusCode::OK);
        assert!(a.body.contains("Planen är godkänd"), "{}", a.body);
        assert!(!a.body.contains("<form class=\"form memo-form\""));
        let a = manager.post(&locked, &good).await;
        assert_eq!(a.status, StatusCode::CONFLICT);
        assert!(a.body.contains("HÄ 2026/17"), "what was typed is shown");
    }
);

both_backends!(
    the_memo_api_names_every_unusable_field,
    |store: Store| async move {
        let demo = DemoPlan::load(&store).await;
        let (unit, year, approved) = (demo.unit, demo.year, demo.approved);
        let plan = store.plan(unit, year).await.unwrap().unwrap();
        let path = format!("/api/v1/plans/{}/memo", plan.id);
        let manager = with_token(&store, &demo.app, DEMO_MANAGER).await;
        let a = manager
        .json(
            Method::PUT,
            &path,
            Some(json!({"version": -1, "date": "igår", "phone": 7, "title": "x".repeat(4001), "extra": 1})),
        )
        .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        let fields: Vec<String> = a.json()["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap().to_string())
            .collect();
        for f in ["request", "version", "date", "phone", "title"] {
            assert!(fields.iter().any(|x| x == f), "{f} in {fields:?}");
        }
        let a = manager
            .send_body(Method::PUT, &path, Some(("application/json", "{".into())))
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        let a = manager
            .json(
                Method::PUT,
                &path,
                Some(json!({"version": 0, "case_number": "HÄ 1", "date": ""})),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert_eq!(a.json()["version"], 1);
        assert_eq!(a.json()["date"], serde_json::Value::Null);
        let a = manager
            .json(
                Method::PUT,
                &path,
                Some(json!({"version": 0, "case_number": "HÄ 2"})),
            )
            .await;
        assert_eq!(a.status, StatusCode::CONFLICT);
        assert_eq!(a.json()["error"]["code"], "conflict");
        // Who may not write the unit's texts: 401, 403; an approved plan: 409.
        let anonymous = Client::new(&demo.app);
        let a = anonymous
            .json(Method::PUT, &path, Some(json!({"version": 1})))
            .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        let reader = with_token(&store, &demo.app, DEMO_READER).await;
        let a = reader
            .json(Method::PUT, &path, Some(json!({"version": 1})))
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
        let done = store.plan(unit, approved).await.unwrap().unwrap();
        let a = manager
            .json(
                Method::PUT,
                &format!("/api/v1/plans/{}/memo", done.id),
                Some(json!({"version": 0, "case_number": "HÄ 9"})),
            )
            .await;
        assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
        let a = manager
            .json(
                Method::PUT,
                "/api/v1/plans/99999999/memo",
                Some(json!({"version": 0})),
            )
            .await;
        assert_eq!(a.status, StatusCode::NOT_FOUND);
    }
);

/// The text of a PDF, by poppler's `pdftotext` (as the documents crate's tests read it).
fn pdf_text(bytes: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!(
        "malkedja_web_economy_{}_{}.pdf",
        std::process::id(),
        bytes.len()
    ));
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs (apt-get install poppler-utils)");
    let _ = std::fs::remove_file(&path);
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

both_backends!(
    an_approved_annual_reports_copy_holds_its_economy_in_every_part,
    |store: Store| async move {
        use malkedja_domain::{ReportKind, format_tkr};
        let demo = DemoPlan::load(&store).await;
        let unit = demo.unit;
        let doc = store
            .report_document(unit, 2025, ReportKind::AnnualReport)
            .await
            .unwrap()
            .expect("the demo's annual report");
        assert_eq!(doc.report.status, PlanStatus::Approved);
        let printed = doc
            .economy
            .printed(ReportKind::AnnualReport)
            .expect("the demo's annual report has an economy");
        let table = printed.table.as_ref().expect("with figures");
        let budget = format_tkr(table.totals.budget.unwrap());
        let outcome = format_tkr(table.totals.outcome.unwrap());
        let first = &table.rows[0].name;

        // Anyone reads the approved report: its page, JSON and PDF are the archive copy.
        let reader = Client::new(&demo.app);
        let page = reader
            .get(&format!("/enheter/{unit}/rapporter/2025/vb"))
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let html = String::from_utf8(
            store
                .frozen_part(DocRef::Report(doc.report.id), FrozenPart::Html)
                .await
                .unwrap()
                .expect("frozen on the first read")
                .1,
        )
        .unwrap();
        for body in [&page.body, &html] {
            let at = |s: &str| {
                body.find(s)
                    .unwrap_or_else(|| panic!("{s} not in the page"))
            };
            assert!(body.contains(&budget) && body.contains(&outcome) && body.contains(first));
            // After the goals, before the sections that follow them, as in the PDF.
            assert!(at("class=\"goal ") < at("<h2 id=\"ekonomi\">Ekonomi</h2>"));
            assert!(at("<h2 id=\"ekonomi\">") < at("id=\"avsnitt-systematiskt-kvalitetsarbete\""));
            assert!(at("href=\"#ekonomi\"") < at("href=\"#avsnitt-systematiskt-kvalitetsarbete\""));
        }
        let json = reader
            .get(&format!("/api/v1/units/{unit}/reports/2025/annual_report"))
            .await
            .json();
        assert_eq!(
            json["economy"]["totals"]["budget"],
            table.totals.budget.unwrap().to_string()
        );
        assert_eq!(
            json["economy"]["operations"][0]["operation"]["name"],
            **first
        );
        let pdf = reader
            .get(&format!("/enheter/{unit}/rapporter/2025/vb/dokument.pdf"))
            .await;
        assert_eq!(pdf.status, StatusCode::OK);
        let frozen_pdf = store
            .frozen_part(DocRef::Report(doc.report.id), FrozenPart::Pdf)
            .await
            .unwrap()
            .expect("frozen")
            .1;
        assert_eq!(pdf.bytes, frozen_pdf, "the download is the archive copy");
        // pdftotext reads a no-break space as a space.
        let text = pdf_text(&pdf.bytes);
        for needle in [
            "Ekonomi",
            "Avvikelse mot",
            "Summa",
            first,
            &budget,
            &outcome,
        ] {
            let needle = needle.replace('\u{a0}', " ");
            assert!(text.contains(&needle), "{needle} not in the PDF:\n{text}");
        }
        let docx = reader
            .get(&format!("/enheter/{unit}/rapporter/2025/vb/dokument.docx"))
            .await;
        assert_eq!(docx.status, StatusCode::OK);
        assert_eq!(docx.header(header::CONTENT_TYPE), DOCX);
    }
);
