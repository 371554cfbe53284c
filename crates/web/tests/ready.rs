//! Ready marks and the plan check through the router, on both backends, with the demo's
//! people: the unit's writer marks parts ready and takes marks back (a double click is
//! harmless, a stale page a conflict), saving a section clears its mark, the plan shows
//! how far it has come and the unit page per plan; the check's page lists what to fix with
//! links; who may not gets the sign-in page or 403, a form without its token 403; a plan
//! with the controller refuses marks.

mod common;

use axum::Router;
use axum::http::StatusCode;
use common::Client;
use malkedja_domain::{NodeId, OrgKind, PlanPart, PlanStatus};
use malkedja_store::{Store, both_backends};

const UNIT: &str = "Enheten för socialpsykiatriskt stöd";
const SUBMITTED: &str = "Sjövikens dagliga verksamheter";

async fn unit(store: &Store, name: &str) -> NodeId {
    store
        .org_nodes()
        .await
        .unwrap()
        .into_iter()
        .find(|n| n.kind == OrgKind::Unit && n.name == name)
        .unwrap_or_else(|| panic!("the demo has {name}"))
        .id
}

/// The demo district, its router, and the manager's unit with its draft plan's address.
async fn demo(store: &Store) -> (Router, NodeId, String) {
    malkedja_store::demo::load(store, &|_| {}).await.unwrap();
    let unit = unit(store, UNIT).await;
    (
        malkedja_web::router(store.clone()),
        unit,
        format!("/enheter/{unit}/planer/2026"),
    )
}

/// A demo person signed in with a session made in the store.
async fn signed_in(store: &Store, app: &Router, who: &str) -> Client {
    common::signed_in(store, app, &format!("{who}@demo.malkedja.se")).await
}

/// The value of the hidden `version` field of the ready form of `part` on the page.
fn mark_version(page: &str, part: &str) -> String {
    let at = page
        .find(&format!("name=\"part\" value=\"{part}\""))
        .unwrap_or_else(|| panic!("a ready form for {part}"));
    let rest = &page[at..];
    let v = rest.find("name=\"version\" value=\"").unwrap() + "name=\"version\" value=\"".len();
    rest[v..v + rest[v..].find('"').unwrap()].to_string()
}

/// The button of the ready form of `part` on the page.
fn button(page: &str, part: &str) -> &'static str {
    let at = page
        .find(&format!("name=\"part\" value=\"{part}\""))
        .unwrap_or_else(|| panic!("a ready form for {part}"));
    let rest = &page[at..at + page[at..].find("</form>").unwrap()];
    if rest.contains("Ångra klar") {
        "Ångra klar"
    } else {
        assert!(rest.contains("Markera som klar"), "{rest}");
        "Markera som klar"
    }
}

/// "x av y delar klara" of the workflow box.
fn completion(page: &str) -> String {
    let at = page
        .find("<label for=\"delar-klara\">")
        .expect("the completion")
        + 25;
    page[at..at + page[at..].find('<').unwrap()].to_string()
}

async fn post_ready(c: &Client, plan: &str, part: &str, op: &str, version: &str) -> StatusCode {
    let page = c.get(plan).await;
    let a = c
        .post(
            &format!("{plan}/klar"),
            &[
                ("csrf", &page.csrf()),
                ("part", part),
                ("op", op),
                ("version", version),
            ],
        )
        .await;
    if a.status == StatusCode::SEE_OTHER {
        let anchor = match PlanPart::from_code(part).unwrap() {
            PlanPart::Section { key } => format!("#avsnitt-{key}"),
            PlanPart::Goal { id } => format!("#mal-{id}"),
            PlanPart::Economy => "#ekonomi".to_string(),
        };
        assert_eq!(
            a.header(axum::http::header::LOCATION),
            format!("{plan}{anchor}")
        );
    }
    a.status
}

both_backends!(
    a_writer_marks_parts_ready_and_back,
    |store: Store| async move {
        let (app, unit, plan) = demo(&store).await;
        let doc = store.plan_document(unit, 2026).await.unwrap().unwrap();
        let parts = malkedja_domain::plan_parts(&doc);
        let total = parts.len();
        let goal = parts
            .iter()
            .find(|p| matches!(p.part, PlanPart::Goal { .. }))
            .expect("a unit goal")
            .part
            .code();

        let writer = signed_in(&store, &app, "skribent").await;
        let page = writer.get(&plan).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(completion(&page.body), format!("0 av {total} delar klara"));
        assert!(page.body.contains(&format!(
            "<progress id=\"delar-klara\" max=\"{total}\" value=\"0\">"
        )));
        assert!(page.body.contains("Kvar att markera som klart"));
        assert_eq!(button(&page.body, "section:uppdrag"), "Markera som klar");
        assert_eq!(button(&page.body, &goal), "Markera som klar");
        // Headings without a question of their own are not parts.
        assert!(!page.body.contains("value=\"section:inledning\""));

        // Marked; a double click is the same mark.
        assert_eq!(
            post_ready(&writer, &plan, "section:uppdrag", "mark", "0").await,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            post_ready(&writer, &plan, "section:uppdrag", "mark", "0").await,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            post_ready(&writer, &plan, &goal, "mark", "0").await,
            StatusCode::SEE_OTHER
        );
        let page = writer.get(&plan).await;
        assert_eq!(completion(&page.body), format!("2 av {total} delar klara"));
        assert_eq!(button(&page.body, "section:uppdrag"), "Ångra klar");
        assert!(page.body.contains("<strong class=\"ready-badge\">Klar</strong> <span class=\"ready-by\">markerad av skribent@demo.malkedja.se"));
        assert_eq!(store.ready_marks(doc.plan.id).await.unwrap().len(), 2);

        // Taken back once; a double click finds nothing left to take back.
        let old = mark_version(&page.body, "section:uppdrag");
        assert_eq!(
            post_ready(&writer, &plan, "section:uppdrag", "unmark", &old).await,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            post_ready(&writer, &plan, "section:uppdrag", "unmark", &old).await,
            StatusCode::SEE_OTHER
        );
        // Marked again since: a page showing the old mark cannot take the new one back.
        post_ready(&writer, &plan, "section:uppdrag", "mark", "0").await;
        assert_eq!(
            post_ready(&writer, &plan, "section:uppdrag", "unmark", &old).await,
            StatusCode::CONFLICT
        );
        assert_eq!(store.ready_marks(doc.plan.id).await.unwrap().len(), 2);

        // Forms that name nothing.
        for (part, op, version, expected) in [
            ("avsnitt:uppdrag", "mark", "0", StatusCode::BAD_REQUEST),
            ("section:uppdrag", "klar", "0", StatusCode::BAD_REQUEST),
            ("section:uppdrag", "unmark", "x", StatusCode::BAD_REQUEST),
            ("section:inledning", "mark", "0", StatusCode::NOT_FOUND),
            ("goal:999999", "mark", "0", StatusCode::NOT_FOUND),
        ] {
            assert_eq!(
                post_ready(&writer, &plan, part, op, version).await,
                expected,
                "{part} {op} {version}"
            );
        }

        // The unit page shows how far each plan not yet approved has come.
        let page = writer.get(&format!("/enheter/{unit}")).await;
        assert!(
            page.body.contains(&format!(
                "<span id=\"klara-2026\">2 av {total} delar klara</span>"
            )),
            "{}",
            page.body
        );
        assert!(page.body.contains("Planen är fastställd"));
    }
);

both_backends!(
    saving_a_section_clears_its_mark,
    |store: Store| async move {
        let (app, unit, plan) = demo(&store).await;
        let manager = signed_in(&store, &app, "enhetschef").await;
        post_ready(&manager, &plan, "section:uppdrag", "mark", "0").await;
        post_ready(&manager, &plan, "section:budget", "mark", "0").await;
        let edit = format!("{plan}/avsnitt/uppdrag");
        let form = manager.get(&edit).await;
        let at = form.body.find("name=\"version\" value=\"").unwrap() + 22;
        let version = &form.body[at..at + form.body[at..].find('"').unwrap()];
        let a = manager
            .post(
                &edit,
                &[
                    ("csrf", &form.csrf()),
                    ("version", version),
                    ("body", "Ett nytt uppdrag, skrivet om."),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let page = manager.get(&plan).await;
        assert_eq!(button(&page.body, "section:uppdrag"), "Markera som klar");
        assert_eq!(button(&page.body, "section:budget"), "Ångra klar");
        let doc = store.plan_document(unit, 2026).await.unwrap().unwrap();
        let marks: Vec<String> = store
            .ready_marks(doc.plan.id)
            .await
            .unwrap()
            .iter()
            .map(|m| m.part.code())
            .collect();
        assert_eq!(marks, ["section:budget"]);
        let trail = store
            .audit_trail(
                "plan_ready_mark",
                &format!("{}/section:uppdrag", doc.plan.id),
            )
            .await
            .unwrap();
        let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["mark_ready", "clear_ready"]);
    }
);

both_backends!(
    only_writers_mark_and_only_with_the_form_token,
    |store: Store| async move {
        let (app, unit, plan) = demo(&store).await;
        let klar = format!("{plan}/klar");
        let fields = [
            ("part", "section:uppdrag"),
            ("op", "mark"),
            ("version", "0"),
        ];

        // Anonymous: the sign-in page, for the form and the check alike.
        let anonymous = Client::new(&app);
        let a = anonymous.post(&klar, &fields).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        assert!(a.body.contains("Logga in"));
        let a = anonymous.get(&format!("{plan}/kontroll")).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        assert!(a.body.contains("Logga in"));

        // Who may not: a reader of another unit (403 for both), the controller, who reads
        // the plan and its check but writes no unit text (no buttons; a forged form 403).
        let reader = signed_in(&store, &app, "lasare").await;
        let controller = signed_in(&store, &app, "controller").await;
        let page = controller.get(&plan).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("Markera som klar"));
        assert!(page.body.contains("delar klara"));
        for (who, check) in [
            (&reader, StatusCode::FORBIDDEN),
            (&controller, StatusCode::OK),
        ] {
            let csrf = who.get("/").await.csrf();
            let with_token = [fields.as_slice(), &[("csrf", csrf.as_str())]].concat();
            assert_eq!(
                who.post(&klar, &with_token).await.status,
                StatusCode::FORBIDDEN
            );
            assert_eq!(who.get(&format!("{plan}/kontroll")).await.status, check);
        }

        // The writer, without the form token or from another site: 403, nothing marked.
        let writer = signed_in(&store, &app, "skribent").await;
        assert_eq!(
            writer.post(&klar, &fields).await.status,
            StatusCode::FORBIDDEN
        );
        let csrf = writer.get(&plan).await.csrf();
        let with_token = [fields.as_slice(), &[("csrf", csrf.as_str())]].concat();
        let mut foreign = writer.clone();
        foreign.origin = Some("http://elak.example");
        assert_eq!(
            foreign.post(&klar, &with_token).await.status,
            StatusCode::FORBIDDEN
        );
        let doc = store.plan_document(unit, 2026).await.unwrap().unwrap();
        assert!(store.ready_marks(doc.plan.id).await.unwrap().is_empty());
        assert_eq!(
            writer.post(&klar, &with_token).await.status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(store.ready_marks(doc.plan.id).await.unwrap().len(), 1);
    }
);

both_backends!(
    the_check_lists_what_to_fix_with_links,
    |store: Store| async move {
        let (app, unit, plan) = demo(&store).await;
        let manager = signed_in(&store, &app, "enhetschef").await;

        let page = manager.get(&plan).await;
        assert!(page.body.contains("Kontroll av planen: <strong>1 fel, 3 varningar</strong> (felen måste rättas innan planen kan skickas in)."));
        assert!(
            page.body
                .contains(&format!("<a href=\"{plan}/kontroll\">Visa kontrollen"))
        );

        let check = manager.get(&format!("{plan}/kontroll")).await;
        assert_eq!(check.status, StatusCode::OK);
        assert!(check.body.contains("<h1>Kontroll av planen"));
        assert!(check.body.contains("1 fel, 3 varningar"));
        assert!(!check.body.contains("Planen kunde inte skickas in"));
        // Errors before warnings, each a link to its place on the plan.
        let error = check
            .body
            .find("<span class=\"severity\">Fel:</span>")
            .expect("an error");
        let warning = check
            .body
            .find("<span class=\"severity\">Varning:</span>")
            .expect("a warning");
        assert!(error < warning);
        let doc = store.plan_document(unit, 2026).await.unwrap().unwrap();
        let findings = malkedja_domain::check_plan(&doc);
        let malkedja_domain::Place::Indicator {
            indicator,
            own: false,
            ..
        } = findings[0].place
        else {
            panic!("the error is an inherited indicator's: {:?}", findings[0]);
        };
        // The council's indicator gets its target where the unit chooses what applies.
        assert!(check.body.contains(&format!("<a href=\"{plan}/urval#arsmal-{indicator}\">Indikatorn ”Andel verksamheter med en övad kontinuitetsplan”")));
        let selection = manager.get(&format!("{plan}/urval")).await;
        assert!(
            selection
                .body
                .contains(&format!("id=\"arsmal-{indicator}\""))
        );

        // An empty section: the writer's link goes to its edit page.
        let mut w = store.begin_write("test").await.unwrap();
        let s = w
            .plan_section(doc.plan.id, "agenda2030")
            .await
            .unwrap()
            .unwrap();
        w.save_plan_section(doc.plan.id, "agenda2030", "", s.version)
            .await
            .unwrap();
        w.commit().await.unwrap();
        let check = manager.get(&format!("{plan}/kontroll")).await;
        assert!(check.body.contains("2 fel, 3 varningar"));
        assert!(check.body.contains(&format!(
            "<a href=\"{plan}/avsnitt/agenda2030\">Avsnittet ”Agenda 2030” saknar text.</a>"
        )));

        // A plan with the controller: no marks to set, and the check still readable.
        let dv = crate::unit(&store, SUBMITTED).await;
        let submitted = format!("/enheter/{dv}/planer/2026");
        let controller = signed_in(&store, &app, "controller").await;
        let page = controller.get(&submitted).await;
        assert!(page.body.contains("Kontroll av planen: <strong>0 fel,"));
        assert!(!page.body.contains("delar klara"));
        assert_eq!(
            controller
                .get(&format!("{submitted}/kontroll"))
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            store.plan(dv, 2026).await.unwrap().unwrap().status,
            PlanStatus::Submitted
        );
    }
);

both_backends!(
    a_plan_with_the_controller_refuses_marks,
    |store: Store| async move {
        malkedja_store::demo::load(&store, &|_| {}).await.unwrap();
        let app = malkedja_web::router(store.clone());
        let dv = unit(&store, SUBMITTED).await;
        let plan = format!("/enheter/{dv}/planer/2026");
        // A unit manager of the whole district may write the unit's texts, but not now.
        let cookie =
            common::session_cookie(&store, "chef@test.se", malkedja_domain::Role::UnitManager)
                .await;
        let mut manager = Client::new(&app);
        manager.cookie = Some(cookie.trim_start_matches("malkedja_session=").to_string());
        let page = manager.get(&plan).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("Markera som klar"));
        let a = manager
            .post(
                &format!("{plan}/klar"),
                &[
                    ("csrf", &page.csrf()),
                    ("part", "section:uppdrag"),
                    ("op", "mark"),
                    ("version", "0"),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::CONFLICT);
        assert!(a.body.contains("Planen är inskickad"));
    }
);
