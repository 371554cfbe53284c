//! Carrying a year into the next, through the router, on both backends, with the demo: the
//! template pages (edit, add, move, remove, copy from last year; conflict, validation,
//! escaping, a section with text kept), "Kopiera målstrukturen till nästa år" (confirmation,
//! copy, a second copy refused) and "Utgå från förra årets plan" (offered, placed, refused
//! when locked); who may, and forms without the CSRF token refused.

mod common;

use axum::Router;
use axum::http::{StatusCode, header};
use common::{Answer, Client};
use malkedja_domain::{GoalLevel, NewGoal, NodeId, OrgKind, PlanStatus};
use malkedja_store::{DocRef, Store, both_backends};
use std::collections::HashSet;

const ADMIN: &str = "admin@demo.malkedja.se";
const EDITOR: &str = "redaktor@demo.malkedja.se";
const MANAGER: &str = "enhetschef@demo.malkedja.se";
const WRITER: &str = "skribent@demo.malkedja.se";
const READER: &str = "lasare@demo.malkedja.se";
const UNIT: &str = "Enheten för socialpsykiatriskt stöd";

struct Demo {
    app: Router,
    unit: NodeId,
    admin: NodeId,
}

async fn demo(store: &Store) -> Demo {
    let summary = malkedja_store::demo::load(store, &|_| {})
        .await
        .unwrap()
        .expect("demo loads");
    let unit = summary
        .units
        .iter()
        .find(|(_, name)| name == UNIT)
        .expect("the demo has the unit")
        .0;
    let admin = store
        .org_nodes()
        .await
        .unwrap()
        .into_iter()
        .find(|n| n.kind == OrgKind::Administration)
        .expect("an administration")
        .id;
    Demo {
        app: malkedja_web::router(store.clone()),
        unit,
        admin,
    }
}

/// A demo person signed in (a session made directly).
async fn signed_in(store: &Store, app: &Router, email: &str) -> Client {
    let account = store.account_by_email(email).await.unwrap().unwrap();
    let mut w = store.begin_write("test").await.unwrap();
    let session = w
        .create_session(
            account.id,
            malkedja_store::sessions::DEFAULT_IDLE,
            malkedja_store::sessions::DEFAULT_ABSOLUTE,
        )
        .await
        .unwrap();
    w.commit().await.unwrap();
    let mut c = Client::new(app);
    c.cookie = Some(session.secret.as_str().to_string());
    c
}

/// Adds a planning year, as the administrator of the whole organisation does.
async fn add_year(store: &Store, year: i64) {
    let mut w = store.begin_write(ADMIN).await.unwrap();
    w.add_year(year).await.unwrap();
    w.commit().await.unwrap();
}

fn location(a: &Answer) -> &str {
    a.header(header::LOCATION)
}

/// Posts `fields` with the page's CSRF token.
async fn post(c: &Client, path: &str, csrf: &str, fields: &[(&str, &str)]) -> Answer {
    let mut all = vec![("csrf", csrf)];
    all.extend_from_slice(fields);
    c.post(path, &all).await
}

both_backends!(
    the_template_is_edited_with_a_version,
    |store: Store| async move {
        let d = demo(&store).await;
        let admin = signed_in(&store, &d.app, ADMIN).await;
        let base = format!("/admin/mallar/{}/2026", d.admin);

        let list = admin.get("/admin/mallar").await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert!(
            list.body.contains(&format!("href=\"{base}\"")),
            "{}",
            list.body
        );
        let page = admin.get(&base).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("ingen egen mall för 2026"));
        let csrf = page.csrf();

        // Who may not: a board editor, a unit manager, a reader (403); a visitor signs in.
        for who in [EDITOR, MANAGER, READER] {
            let c = signed_in(&store, &d.app, who).await;
            for path in [
                "/admin/mallar".to_string(),
                base.clone(),
                format!("{base}/avsnitt/budget"),
            ] {
                assert_eq!(
                    c.get(&path).await.status,
                    StatusCode::FORBIDDEN,
                    "{who} {path}"
                );
            }
            let csrf = c.get("/api-nycklar").await.csrf();
            let a = post(
                &c,
                &format!("{base}/avsnitt/budget"),
                &csrf,
                &[("version", "0"), ("rubrik", "X"), ("placering", "efter")],
            )
            .await;
            assert_eq!(a.status, StatusCode::FORBIDDEN, "{who}");
        }
        assert_eq!(
            Client::new(&d.app).get(&base).await.status,
            StatusCode::UNAUTHORIZED
        );

        // Renaming a heading: without the form token refused, with it saved.
        let edit = format!("{base}/avsnitt/budget");
        let form = admin.get(&edit).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("value=\"Budget {år}\""), "{}", form.body);
        let fields = [
            ("version", "0"),
            ("rubrik", "Budget och ekonomi {år}"),
            (
                "vagledning",
                "Ange budgetens storlek.\r\nJämför med förra året.",
            ),
            ("overordnat", "ekonomi"),
            ("placering", "efter"),
        ];
        assert_eq!(
            admin.post(&edit, &fields).await.status,
            StatusCode::FORBIDDEN
        );
        let saved = post(&admin, &edit, &csrf, &fields).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert!(location(&saved).starts_with(&format!("{base}?sparat=budget")));
        let t = store.template_of(d.admin, 2026).await.unwrap();
        assert_eq!(t.version, 1);
        let budget = t.sections.iter().find(|s| s.key == "budget").unwrap();
        assert_eq!(budget.heading, "Budget och ekonomi {år}");
        assert_eq!(
            budget.guidance,
            "Ange budgetens storlek.\nJämför med förra året."
        );
        let shown = admin.get(location(&saved)).await;
        assert!(
            shown
                .body
                .contains("Avsnittet Budget och ekonomi 2026 är sparat.")
        );
        // The plans show the new heading; their text is kept.
        let doc = store.plan_document(d.unit, 2026).await.unwrap().unwrap();
        let after: Vec<&str> = doc
            .sections_after
            .iter()
            .flat_map(|s| s.children.iter())
            .map(|s| s.heading.as_str())
            .collect();
        assert!(after.contains(&"Budget och ekonomi 2026"), "{after:?}");

        // From a stale page: a conflict, theirs beside, one's own kept in the form.
        let stale = post(
            &admin,
            &edit,
            &csrf,
            &[
                ("version", "0"),
                ("rubrik", "Min rubrik {år}"),
                ("vagledning", "Min vägledning"),
                ("overordnat", "ekonomi"),
                ("placering", "efter"),
            ],
        )
        .await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        assert!(stale.body.contains("Avsnittet som det är sparat nu"));
        assert!(stale.body.contains("Budget och ekonomi 2026"));
        assert!(stale.body.contains("value=\"Min rubrik {år}\""));
        assert!(stale.body.contains(">Min vägledning</textarea>"));
        assert!(stale.body.contains("name=\"version\" value=\"1\""));
        assert_eq!(store.template_of(d.admin, 2026).await.unwrap().version, 1);

        // A heading missing: 422 with the message at the field, what was typed kept.
        let bad = post(
            &admin,
            &edit,
            &csrf,
            &[
                ("version", "1"),
                ("rubrik", "  "),
                ("vagledning", "Behåll mig"),
                ("overordnat", "ekonomi"),
                ("placering", "efter"),
            ],
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body.contains("href=\"#rubrik\">Skriv en rubrik.</a>"),
            "{}",
            bad.body
        );
        assert!(bad.body.contains("aria-invalid=\"true\""));
        assert!(bad.body.contains(">Behåll mig</textarea>"));
        // A section under itself, or a version that is not a number.
        let bad = post(
            &admin,
            &edit,
            &csrf,
            &[
                ("version", "1"),
                ("rubrik", "B"),
                ("overordnat", "budget"),
                ("placering", "efter"),
            ],
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let bad = post(
            &admin,
            &edit,
            &csrf,
            &[("version", "ett"), ("rubrik", "B"), ("placering", "efter")],
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(store.template_of(d.admin, 2026).await.unwrap().version, 1);

        // A new section, with HTML in it: stored as text, shown escaped.
        let added = post(
            &admin,
            &format!("{base}/nytt"),
            &csrf,
            &[
                ("version", "1"),
                ("rubrik", "<script>alert(1)</script> Lokaler"),
                ("vagledning", "Beskriv <b>lokalerna</b>."),
                ("overordnat", ""),
                ("placering", "fore"),
            ],
        )
        .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let t = store.template_of(d.admin, 2026).await.unwrap();
        let new = t
            .sections
            .iter()
            .find(|s| s.heading.contains("Lokaler"))
            .unwrap()
            .clone();
        assert_eq!(new.key, "script_alert_1_script_lokaler");
        let page = admin.get(&base).await;
        assert!(
            page.body
                .contains("&#60;script&#62;alert(1)&#60;/script&#62; Lokaler")
        );
        assert!(!page.body.contains("<script>alert"));
        assert!(
            page.body
                .contains("Beskriv &#60;b&#62;lokalerna&#60;/b&#62;.")
        );

        // Moved up: before the last of the sections before the cascade.
        let before_move: Vec<String> = t.sections.iter().map(|s| s.key.clone()).collect();
        let at = before_move.iter().position(|k| *k == new.key).unwrap();
        let moved = post(
            &admin,
            &format!("{base}/avsnitt/{}/flytta", new.key),
            &csrf,
            &[("version", "2"), ("riktning", "upp")],
        )
        .await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
        let t = store.template_of(d.admin, 2026).await.unwrap();
        let keys: Vec<&str> = t.sections.iter().map(|s| s.key.as_str()).collect();
        assert!(
            keys.iter().position(|k| *k == new.key).unwrap() < at,
            "{keys:?}"
        );
        // From a stale page: 409, the template as it is now, nothing moved.
        let stale = post(
            &admin,
            &format!("{base}/avsnitt/{}/flytta", new.key),
            &csrf,
            &[("version", "2"), ("riktning", "ned")],
        )
        .await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        assert!(stale.body.contains("Någon annan har ändrat mallen"));
        assert_eq!(store.template_of(d.admin, 2026).await.unwrap().version, 3);

        // A section some plan has text in is not removed; the page says how many.
        let with_text = store.plans_with_text(d.admin, 2026).await.unwrap();
        let n = with_text["uppdrag"];
        let confirm = admin.get(&format!("{base}/avsnitt/uppdrag/ta-bort")).await;
        assert_eq!(confirm.status, StatusCode::OK);
        let plans = if n == 1 {
            "1 plan har text".to_string()
        } else {
            format!("{n} planer har text")
        };
        assert!(confirm.body.contains(&plans), "{}", confirm.body);
        assert!(!confirm.body.contains("Ta bort avsnittet</button>"));
        let refused = post(
            &admin,
            &format!("{base}/avsnitt/uppdrag/ta-bort"),
            &csrf,
            &[("version", "3")],
        )
        .await;
        assert_eq!(refused.status, StatusCode::CONFLICT);
        assert!(refused.body.contains(&plans));
        assert!(
            store
                .template_of(d.admin, 2026)
                .await
                .unwrap()
                .sections
                .iter()
                .any(|s| s.key == "uppdrag")
        );
        // One without text goes.
        let confirm = admin
            .get(&format!("{base}/avsnitt/{}/ta-bort", new.key))
            .await;
        assert!(confirm.body.contains("Ta bort avsnittet</button>"));
        let removed = post(
            &admin,
            &format!("{base}/avsnitt/{}/ta-bort", new.key),
            &csrf,
            &[("version", "3")],
        )
        .await;
        assert_eq!(removed.status, StatusCode::SEE_OTHER);
        let t = store.template_of(d.admin, 2026).await.unwrap();
        assert!(!t.sections.iter().any(|s| s.key == new.key));
        assert_eq!(t.version, 4);
        let trail = store
            .audit_trail("template", &format!("{}/2026", d.admin))
            .await
            .unwrap();
        assert_eq!(trail.iter().filter(|e| e.actor == ADMIN).count(), 4);

        // 2027 starts from 2026's template, once 2027 is a planning year.
        let next = format!("/admin/mallar/{}/2027", d.admin);
        assert_eq!(admin.get(&next).await.status, StatusCode::NOT_FOUND);
        add_year(&store, 2027).await;
        let page = admin.get(&next).await;
        assert!(
            page.body.contains("Kopiera mallen från 2026"),
            "{}",
            page.body
        );
        let copied = post(
            &admin,
            &format!("{next}/kopiera"),
            &csrf,
            &[("version", "0")],
        )
        .await;
        assert_eq!(copied.status, StatusCode::SEE_OTHER);
        assert_eq!(
            store.template_of(d.admin, 2027).await.unwrap().sections,
            store.template_of(d.admin, 2026).await.unwrap().sections
        );
        // Twice from the same page: a conflict, not a second copy.
        let again = post(
            &admin,
            &format!("{next}/kopiera"),
            &csrf,
            &[("version", "0")],
        )
        .await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert_eq!(store.template_of(d.admin, 2027).await.unwrap().version, 1);
        // What does not exist.
        assert_eq!(
            admin
                .get(&format!("{base}/avsnitt/finns_inte"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            admin
                .get(&format!("/admin/mallar/{}/2026", d.unit))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            admin.get("/admin/mallar/x/2026").await.status,
            StatusCode::BAD_REQUEST
        );
    }
);

both_backends!(
    the_structure_is_copied_after_a_confirmation,
    |store: Store| async move {
        let d = demo(&store).await;
        let admin = signed_in(&store, &d.app, ADMIN).await;
        // Only into a planning year: 2027 is added first.
        let page = admin.get("/admin/malstruktur").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("2025 till 2026"));
        assert!(!page.body.contains("2026 till 2027"));
        let not_yet = admin.get("/admin/malstruktur?fran=2026").await;
        assert_eq!(not_yet.status, StatusCode::UNPROCESSABLE_ENTITY);
        add_year(&store, 2027).await;
        let page = admin.get("/admin/malstruktur").await;
        assert!(page.body.contains("2026 till 2027"));
        let csrf = page.csrf();

        for who in [EDITOR, MANAGER, READER] {
            let c = signed_in(&store, &d.app, who).await;
            assert_eq!(
                c.get("/admin/malstruktur").await.status,
                StatusCode::FORBIDDEN,
                "{who}"
            );
            let csrf = c.get("/api-nycklar").await.csrf();
            let a = post(&c, "/admin/malstruktur", &csrf, &[("fran", "2026")]).await;
            assert_eq!(a.status, StatusCode::FORBIDDEN, "{who}");
        }
        assert_eq!(
            Client::new(&d.app).get("/admin/malstruktur").await.status,
            StatusCode::UNAUTHORIZED
        );

        let expected = store.structure_copy_preview(2026, None).await.unwrap();
        let (goals, ..) = expected.totals();
        assert!(goals > 0);
        let confirm = admin.get("/admin/malstruktur?fran=2026").await;
        assert_eq!(confirm.status, StatusCode::OK);
        assert!(
            confirm
                .body
                .contains(&format!("Kopiera {goals} mål till 2027")),
            "{}",
            confirm.body
        );
        assert!(
            store
                .goals_at_level(2027, GoalLevel::Board)
                .await
                .unwrap()
                .is_empty()
        );
        let bad = admin.get("/admin/malstruktur?fran=tjugo").await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("href=\"#fran\""));

        assert_eq!(
            admin
                .post("/admin/malstruktur", &[("fran", "2026")])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let done = post(&admin, "/admin/malstruktur", &csrf, &[("fran", "2026")]).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert!(
            done.body
                .contains("Målstrukturen för 2026 är kopierad till 2027")
        );
        let board_2026 = store.goals_at_level(2026, GoalLevel::Board).await.unwrap();
        let board_2027 = store.goals_at_level(2027, GoalLevel::Board).await.unwrap();
        assert_eq!(board_2027.len(), board_2026.len());
        // A second copy finds everything there: nothing copied, and it says so.
        let again = post(&admin, "/admin/malstruktur", &csrf, &[("fran", "2026")]).await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert!(again.body.contains("Det finns inget att kopiera"));
        assert!(again.body.contains("hoppas över"));
        assert_eq!(
            store
                .goals_at_level(2027, GoalLevel::Board)
                .await
                .unwrap()
                .len(),
            board_2026.len()
        );
    }
);

both_backends!(a_plan_starts_from_last_years, |store: Store| async move {
    let d = demo(&store).await;
    // 2027: the council's goals copied, the board's set up anew with one goal.
    let city: HashSet<NodeId> = store
        .org_nodes()
        .await
        .unwrap()
        .into_iter()
        .filter(|n| n.kind == OrgKind::City)
        .map(|n| n.id)
        .collect();
    let mut w = store.begin_write(ADMIN).await.unwrap();
    w.copy_structure(2026, Some(&city)).await.unwrap();
    let area = w
        .goals_owned_by(2027, &city.iter().copied().collect::<Vec<_>>())
        .await
        .unwrap()
        .into_iter()
        .find(|g| g.level == GoalLevel::Area)
        .unwrap();
    let board_node = store.goals_at_level(2026, GoalLevel::Board).await.unwrap()[0].owner_id;
    let fresh = w
        .create_goal(NewGoal {
            year: 2027,
            level: GoalLevel::Board,
            owner_id: board_node,
            parent_id: Some(area.id),
            number: None,
            title: "Ett helt nytt nämndmål".into(),
            position: 0,
        })
        .await
        .unwrap();
    w.commit().await.unwrap();

    let manager = signed_in(&store, &d.app, MANAGER).await;
    let path = format!("/enheter/{}/planer/2027/utga-fran-forra-aret", d.unit);
    let unit = manager.get(&format!("/enheter/{}", d.unit)).await;
    assert!(
        unit.body.contains(&format!("href=\"{path}\"")),
        "offered on the unit page"
    );
    // Not to a reader of another unit, nor to a visitor.
    let reader = signed_in(&store, &d.app, READER).await;
    assert_eq!(reader.get(&path).await.status, StatusCode::FORBIDDEN);
    assert!(
        !reader
            .get(&format!("/enheter/{}", d.unit))
            .await
            .body
            .contains(&path)
    );
    assert_eq!(
        Client::new(&d.app).get(&path).await.status,
        StatusCode::UNAUTHORIZED
    );

    let page = manager.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let csrf = page.csrf();
    let preview = store.carry_preview(d.unit, 2027).await.unwrap();
    let first = preview.goals.first().expect("the 2026 plan has unit goals");
    assert!(
        preview.unplaced().count() == preview.goals.len(),
        "no board goal of 2026 is found in 2027"
    );
    let field = format!("placera-{}", first.goal.id);
    assert!(page.body.contains(&format!("id=\"{field}\"")));
    assert!(page.body.contains("Ett helt nytt nämndmål"));

    // A choice that is not in the list: 422 at the field, nothing made.
    assert_eq!(
        manager
            .post(&path, &[(field.as_str(), "utelamna")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let bad = post(&manager, &path, &csrf, &[(field.as_str(), "999999")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains(&format!("href=\"#{field}\"")));
    assert!(store.plan(d.unit, 2027).await.unwrap().is_none());

    // The first goal under the new board goal, the rest later.
    let fresh_id = fresh.id.0.to_string();
    let done = post(
        &manager,
        &path,
        &csrf,
        &[(field.as_str(), fresh_id.as_str())],
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(
        done.body
            .contains("Verksamhetsplanen för 2027 är skapad från planen för 2026")
    );
    assert!(done.body.contains("Mål som väntar på en plats") == (preview.goals.len() > 1));
    let plan = store
        .plan(d.unit, 2027)
        .await
        .unwrap()
        .expect("the plan is made");
    assert_eq!(plan.status, PlanStatus::Draft);
    let units = store.goals_at_level(2027, GoalLevel::Unit).await.unwrap();
    let carried = units
        .iter()
        .find(|g| g.title == first.goal.title)
        .expect("carried");
    assert_eq!(carried.parent_id, Some(fresh.id));
    let contents = store.contents(DocRef::Plan(plan.id)).await.unwrap();
    assert!(contents.goals.contains(&carried.id));
    // The plan page no longer offers it (the plan has content).
    let shown = manager
        .get(&format!("/enheter/{}/planer/2027", d.unit))
        .await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(!shown.body.contains(&path));
    // Again: nothing is made twice.
    let writer = signed_in(&store, &d.app, WRITER).await;
    let csrf_w = writer.get(&path).await.csrf();
    let again = post(&writer, &path, &csrf_w, &[]).await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(again.body.contains("fanns redan"), "{}", again.body);
    assert_eq!(
        store
            .goals_at_level(2027, GoalLevel::Unit)
            .await
            .unwrap()
            .len(),
        units.len()
    );

    // Submitted, it is with the controller: refused, nothing changed.
    let mut w = store.begin_write(MANAGER).await.unwrap();
    w.set_plan_status(
        plan.id,
        store.plan(d.unit, 2027).await.unwrap().unwrap().version,
        PlanStatus::Submitted,
    )
    .await
    .unwrap();
    w.commit().await.unwrap();
    let before = store.contents(DocRef::Plan(plan.id)).await.unwrap();
    let locked = post(&manager, &path, &csrf, &[]).await;
    assert_eq!(locked.status, StatusCode::CONFLICT);
    assert!(locked.body.contains("inskickad"), "{}", locked.body);
    assert_eq!(store.contents(DocRef::Plan(plan.id)).await.unwrap(), before);
    // No plan the year before (the demo's history starts in 2022): nothing to start from.
    let none = manager
        .get(&format!(
            "/enheter/{}/planer/2022/utga-fran-forra-aret",
            d.unit
        ))
        .await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    assert!(none.body.contains("ingen verksamhetsplan för 2021"));
});

both_backends!(
    an_empty_draft_offers_last_years_plan,
    |store: Store| async move {
        let d = demo(&store).await;
        let mut w = store.begin_write(ADMIN).await.unwrap();
        w.copy_structure(2026, None).await.unwrap();
        w.create_plan(d.unit, 2027).await.unwrap();
        w.commit().await.unwrap();
        let manager = signed_in(&store, &d.app, MANAGER).await;
        let page = manager
            .get(&format!("/enheter/{}/planer/2027", d.unit))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        let path = format!("/enheter/{}/planer/2027/utga-fran-forra-aret", d.unit);
        assert!(
            page.body.contains(&format!("href=\"{path}\"")),
            "{}",
            page.body
        );
        // Everything matches: no choice to make, one button.
        let carry = manager.get(&path).await;
        assert!(!carry.body.contains("placera-"));
        assert!(carry.body.contains("Komplettera planen för 2027"));
        let done = post(&manager, &path, &carry.csrf(), &[]).await;
        assert_eq!(done.status, StatusCode::OK);
        assert!(done.body.contains("är kompletterad från planen för 2026"));
        let doc = store.plan_document(d.unit, 2027).await.unwrap().unwrap();
        let last = store.plan_document(d.unit, 2026).await.unwrap().unwrap();
        let titles = |doc: &malkedja_domain::PlanDocument| -> Vec<String> {
            doc.goals
                .iter()
                .flat_map(|g| g.walk())
                .map(|g| g.goal.title.clone())
                .collect()
        };
        assert_eq!(titles(&doc), titles(&last));
    }
);
