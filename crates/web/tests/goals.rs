//! Writing the cascade through the router, on both backends, with the demo: a unit manager
//! adds a goal under the board's with its texts, an indicator and an activity; bad input
//! comes back with a Swedish message and what was typed; a stale save shows both; removing
//! asks first and restoring brings it back; a submitted plan refuses; a reader may not; a
//! board editor writes the board's goals and a unit manager may not.

mod common;

use common::{Answer, Client, signed_in};
use malkedja_domain::{GoalLevel, NodeId, OrgKind, PlanStatus};
use malkedja_store::{Store, both_backends};

const MANAGER: &str = "enhetschef@demo.malkedja.se";
const READER: &str = "lasare@demo.malkedja.se";
const EDITOR: &str = "redaktor@demo.malkedja.se";
const UNIT: &str = "Enheten för socialpsykiatriskt stöd";
const SUBMITTED_UNIT: &str = "Sjövikens dagliga verksamheter";

struct Demo {
    app: axum::Router,
    units: Vec<(NodeId, String)>,
}

impl Demo {
    fn unit(&self, name: &str) -> NodeId {
        self.units
            .iter()
            .find(|(_, n)| n == name)
            .expect("a demo unit")
            .0
    }
}

async fn demo(store: &Store) -> Demo {
    let summary = malkedja_store::demo::load(store, &|_| {})
        .await
        .unwrap()
        .expect("demo loads");
    Demo {
        app: malkedja_web::router(store.clone()),
        units: summary.units,
    }
}

/// The address in the first link of the page whose text starts with `text`.
fn link(a: &Answer, text: &str) -> String {
    let at = a
        .body
        .find(&format!(">{text}"))
        .unwrap_or_else(|| panic!("no link {text:?}: {}", a.body));
    let before = &a.body[..at];
    let href = before.rfind("href=\"").expect("a link") + 6;
    let rest = &a.body[href..];
    rest[..rest.find('"').unwrap()].replace("&amp;", "&")
}

/// The id in a redirect to `…#mal-ID`.
fn goal_anchor(a: &Answer) -> i64 {
    let loc = a.location();
    loc.rsplit("#mal-")
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no goal in {loc:?} ({})", a.status))
}

async fn form(c: &Client, path: &str, fields: &[(&str, &str)]) -> Answer {
    let page = c.get(path).await;
    assert_eq!(page.status, 200, "{path}: {}", page.body);
    let csrf = page.csrf();
    let mut all: Vec<(&str, &str)> = vec![("csrf", &csrf)];
    all.extend_from_slice(fields);
    c.post(path, &all).await
}

both_backends!(
    a_unit_manager_writes_a_goal_with_indicator_and_activity,
    |store: Store| async move {
        let d = demo(&store).await;
        let unit = d.unit(UNIT);
        let plan = format!("/enheter/{unit}/planer/2026");
        let me = signed_in(&store, &d.app, MANAGER).await;
        let page = me.get(&plan).await;
        assert_eq!(page.status, 200);
        let new = link(&page, "Lägg till enhetsmål");
        assert!(
            new.starts_with(&format!("/organisation/{unit}/mal/2026/nytt?under=")),
            "{new}"
        );

        // An empty title: the message beside the field, in the summary, and the text kept.
        let a = form(
            &me,
            &new,
            &[
                ("titel", " "),
                ("forvantat-resultat", "Fler har ett arbete <b>nu</b>"),
            ],
        )
        .await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert!(a.body.contains("Skriv målets titel."));
        assert!(
            a.body.contains("href=\"#titel\""),
            "the summary links the field"
        );
        assert!(
            a.body
                .contains("Fler har ett arbete &#60;b&#62;nu&#60;/b&#62;"),
            "typed text kept, escaped"
        );

        let a = form(
            &me,
            &new,
            &[
                ("titel", "Fler i arbete <script>alert(1)</script>"),
                ("forvantat-resultat", "Fem fler har ett arbete."),
                ("uppfoljning", "Varje tertial."),
            ],
        )
        .await;
        assert_eq!(a.status, 303, "{}", a.body);
        let goal = goal_anchor(&a);
        let shown = me.get(&plan).await;
        assert!(
            shown
                .body
                .contains("Fler i arbete &#60;script&#62;alert(1)&#60;/script&#62;")
        );
        assert!(!shown.body.contains("<script>alert(1)"));
        assert!(shown.body.contains("Fem fler har ett arbete."));

        // Edit, then a second save from the same (now stale) version: both shown, mine kept.
        let edit = format!("/mal/{goal}");
        let page = me.get(&edit).await;
        let version = page.hidden("version");
        let csrf = page.csrf();
        let save = |title: &'static str, text: &'static str| {
            let (me, edit, version, csrf) =
                (me.clone(), edit.clone(), version.clone(), csrf.clone());
            async move {
                me.post(
                    &edit,
                    &[
                        ("csrf", &csrf),
                        ("version", &version),
                        ("titel", title),
                        ("forvantat-resultat", text),
                    ],
                )
                .await
            }
        };
        assert_eq!(
            save("Fler i arbete", "Sex fler har ett arbete.")
                .await
                .status,
            303
        );
        let stale = save("Fler i arbete", "Sju fler har ett arbete.").await;
        assert_eq!(stale.status, 409, "{}", stale.body);
        assert!(stale.body.contains("Sparat nu av någon annan"));
        assert!(
            stale.body.contains("Sex fler har ett arbete."),
            "theirs shown"
        );
        assert!(stale.body.contains("Sju fler har ett arbete."), "mine kept");
        let doc = store.plan_document(unit, 2026).await.unwrap().unwrap();
        let g = doc
            .goals
            .iter()
            .flat_map(|g| g.walk())
            .find(|g| g.goal.id.0 == goal)
            .unwrap();
        assert_eq!(g.goal.level, GoalLevel::Unit);
        assert!(
            g.sections
                .iter()
                .any(|(_, t)| t == "Sex fler har ett arbete.")
        );

        // An indicator: a target that is not a number, then a good one.
        let add = format!("/mal/{goal}/ny-indikator");
        let fields = |target: &'static str| {
            vec![
                ("namn", "Andel i arbete"),
                ("enhet", "%"),
                ("periodicitet", "tertial"),
                ("riktning", "higher_is_better"),
                ("varde", "percent"),
                ("arsmal", target),
            ]
        };
        let a = form(&me, &add, &fields("ca 90")).await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert!(a.body.contains("är inte ett tal"), "{}", a.body);
        assert!(a.body.contains("value=\"ca 90\""), "typed target kept");
        let a = form(&me, &add, &fields("90 %")).await;
        assert_eq!(a.status, 303, "{}", a.body);

        // An activity: the end before the start, then right.
        let add = format!("/mal/{goal}/ny-aktivitet");
        let a = form(
            &me,
            &add,
            &[
                ("titel", "Jobbmässa"),
                ("start", "2026-05-01"),
                ("slut", "2026-04-01"),
            ],
        )
        .await;
        assert_eq!(a.status, 422);
        assert!(a.body.contains("Slutdatum ligger före startdatum"));
        let a = form(
            &me,
            &add,
            &[
                ("titel", "Jobbmässa"),
                ("start", "2026-05-01"),
                ("slut", "den femte"),
            ],
        )
        .await;
        assert_eq!(a.status, 422);
        assert!(a.body.contains("”den femte” är inget datum"));
        let a = form(
            &me,
            &add,
            &[
                ("titel", "Jobbmässa"),
                ("start", "2026-04-01"),
                ("slut", "2026-05-01"),
            ],
        )
        .await;
        assert_eq!(a.status, 303, "{}", a.body);
        let shown = me.get(&plan).await;
        assert!(
            shown.body.contains(">Andel i arbete</a>"),
            "own indicator linked for editing"
        );
        assert!(shown.body.contains("90 %"));
        assert!(shown.body.contains(">Jobbmässa</a>"));

        // Remove asks first, then the goal and what hangs on it leave the plan; restore.
        let remove = format!("/mal/{goal}/ta-bort");
        let confirm = me.get(&remove).await;
        assert!(
            confirm.body.contains("1 indikator och 1 aktivitet"),
            "{}",
            confirm.body
        );
        let a = form(&me, &remove, &[("version", &confirm.hidden("version"))]).await;
        assert_eq!(a.status, 303, "{}", a.body);
        let gone = me.get(&plan).await;
        assert!(!gone.body.contains("Jobbmässa"));
        assert_eq!(
            me.get(&edit).await.status,
            404,
            "a removed goal is not edited"
        );
        let csrf = gone.csrf();
        let a = me
            .post(&format!("/mal/{goal}/aterstall"), &[("csrf", &csrf)])
            .await;
        assert_eq!(a.status, 303, "{}", a.body);
        assert!(
            me.get(&plan).await.body.contains("Jobbmässa"),
            "restored with what hangs on it"
        );
        let trail = store.audit_trail("goal", &goal.to_string()).await.unwrap();
        let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["create", "update", "remove", "restore"]);
    }
);

both_backends!(who_may_write_what, |store: Store| async move {
    let d = demo(&store).await;
    let unit = d.unit(UNIT);
    let doc = store.plan_document(unit, 2026).await.unwrap().unwrap();
    let board_goal = doc
        .goals
        .iter()
        .flat_map(|g| g.walk())
        .find(|g| g.goal.level == GoalLevel::Board)
        .expect("a board goal")
        .goal
        .clone();
    let unit_goal = doc
        .goals
        .iter()
        .flat_map(|g| g.walk())
        .find(|g| g.goal.level == GoalLevel::Unit)
        .expect("a unit goal")
        .goal
        .clone();

    // Anonymous: the sign-in page; a reader: 403; no form token: refused.
    let anon = Client::new(&d.app);
    assert_eq!(
        anon.get(&format!("/mal/{}", unit_goal.id)).await.status,
        401
    );
    let reader = signed_in(&store, &d.app, READER).await;
    assert_eq!(
        reader.get(&format!("/mal/{}", unit_goal.id)).await.status,
        403
    );
    let me = signed_in(&store, &d.app, MANAGER).await;
    let a = me
        .post(
            &format!("/mal/{}", unit_goal.id),
            &[("version", "1"), ("titel", "x")],
        )
        .await;
    assert_eq!(a.status, 403, "no CSRF token");

    // The unit manager may not write the board's goal; the board's editor may, and the
    // board's page lists it.
    assert_eq!(me.get(&format!("/mal/{}", board_goal.id)).await.status, 403);
    let editor = signed_in(&store, &d.app, EDITOR).await;
    let edit = format!("/mal/{}", board_goal.id);
    let page = editor.get(&edit).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let board = store
        .org_nodes()
        .await
        .unwrap()
        .into_iter()
        .find(|n| n.kind == OrgKind::Board && n.id == board_goal.owner_id)
        .expect("the board");
    let list = editor
        .get(&format!("/organisation/{}/mal/2026", board.id))
        .await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains(&board_goal.title));
    let a = editor
        .post(
            &edit,
            &[
                ("csrf", &page.csrf()),
                ("version", &page.hidden("version")),
                ("titel", &board_goal.title),
                ("beskrivning", "Nämndens nya lydelse."),
            ],
        )
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert!(
        a.location()
            .starts_with(&format!("/organisation/{}/mal/2026#mal-", board.id))
    );
    // The unit's draft shows the new text and says it changed since the unit saw it.
    let plan = me.get(&format!("/enheter/{unit}/planer/2026")).await;
    assert!(plan.body.contains("Nämndens nya lydelse."));
    assert!(
        plan.body.contains("ändrade texten"),
        "the draft tells of the revision"
    );

    // A submitted plan: the form is not offered and a save is refused, the words kept.
    let sent_unit = d.unit(SUBMITTED_UNIT);
    let sent = store.plan(sent_unit, 2026).await.unwrap().unwrap();
    assert_eq!(sent.status, PlanStatus::Submitted);
    let sent_doc = store.plan_document(sent_unit, 2026).await.unwrap().unwrap();
    let theirs = sent_doc
        .goals
        .iter()
        .flat_map(|g| g.walk())
        .find(|g| g.goal.level == GoalLevel::Unit)
        .expect("a unit goal in the submitted plan")
        .goal
        .clone();
    let admin = signed_in(&store, &d.app, "admin@demo.malkedja.se").await;
    let page = admin.get(&format!("/mal/{}", theirs.id)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("inskickad"), "{}", page.body);
    let a = admin
        .post(
            &format!("/mal/{}", theirs.id),
            &[
                ("csrf", &page.csrf()),
                ("version", &theirs.version.to_string()),
                ("titel", "Mina ord"),
            ],
        )
        .await;
    assert_eq!(a.status, 409, "{}", a.body);
    assert!(a.body.contains("Mina ord"), "the words are kept to copy");
});

both_backends!(
    the_api_writes_the_cascade_and_moves_the_plan,
    |store: Store| async move {
        use axum::http::Method;
        use serde_json::json;
        let d = demo(&store).await;
        let unit = d.unit(UNIT);
        let api = common::with_token(&store, &d.app, MANAGER).await;
        let plan = api
            .get(&format!("/api/v1/units/{unit}/plans/2026"))
            .await
            .json();
        let board_goal = plan["goals"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|g| g["children"].as_array().unwrap().clone())
            .flat_map(|g| g["children"].as_array().unwrap().clone())
            .find(|g| g["level"] == "board")
            .expect("a board goal in the plan");
        let goals = format!("/api/v1/units/{unit}/plans/2026/goals");

        // 422 with the fields named, nothing stored.
        let a = api
        .json(
            Method::POST,
            &goals,
            Some(json!({"parent_id": board_goal["id"], "title": "", "sections": [{"key": "description", "text": "x"}]})),
        )
        .await;
        assert_eq!(a.status, 422, "{}", a.body);
        let fields: Vec<String> = a.json()["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(fields, ["title", "sections"], "{}", a.body);

        let a = api
        .json(
            Method::POST,
            &goals,
            Some(json!({"parent_id": board_goal["id"], "title": "Via API", "sections": [{"key": "expected_result", "text": "Bättre"}]})),
        )
        .await;
        assert_eq!(a.status, 201, "{}", a.body);
        let goal = a.json();
        assert_eq!(goal["version"], 1);
        assert_eq!(goal["sections"][0]["text"], "Bättre");
        let id = goal["id"].as_i64().unwrap();

        let a = api
            .json(
                Method::PATCH,
                &format!("/api/v1/goals/{id}"),
                Some(json!({"version": 1, "title": "Via API, ändrat"})),
            )
            .await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.json()["version"], 2);
        let stale = api
            .json(
                Method::PATCH,
                &format!("/api/v1/goals/{id}"),
                Some(json!({"version": 1, "title": "Gammalt"})),
            )
            .await;
        assert_eq!(stale.status, 409, "{}", stale.body);

        // An indicator with a target that is not a number; then a good one; an activity.
        let a = api
        .json(
            Method::POST,
            &format!("/api/v1/goals/{id}/indicators"),
            Some(json!({"name": "Andel", "periodicity": "tertial", "direction": "higher_is_better", "value_kind": "percent", "target": "ca 90"})),
        )
        .await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert_eq!(a.json()["error"]["fields"][0]["field"], "target");
        let a = api
        .json(
            Method::POST,
            &format!("/api/v1/goals/{id}/indicators"),
            Some(json!({"name": "Andel", "periodicity": "tertial", "direction": "higher_is_better", "value_kind": "percent", "target": "90 %"})),
        )
        .await;
        assert_eq!(a.status, 201, "{}", a.body);
        assert_eq!(a.json()["target"]["text"], "90 %");
        let ind = a.json()["id"].as_i64().unwrap();
        let a = api
            .json(
                Method::PATCH,
                &format!("/api/v1/indicators/{ind}"),
                Some(json!({"version": 1, "target": null})),
            )
            .await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert!(a.json()["target"].is_null());
        let a = api
            .json(
                Method::POST,
                &format!("/api/v1/goals/{id}/activities"),
                Some(json!({"title": "Mässa", "start": "2026-05-01", "end": "2026-04-01"})),
            )
            .await;
        assert_eq!(a.status, 422, "{}", a.body);
        let a = api
            .json(
                Method::POST,
                &format!("/api/v1/goals/{id}/activities"),
                Some(json!({"title": "Mässa", "start": "2026-04-01", "end": "2026-05-01"})),
            )
            .await;
        assert_eq!(a.status, 201, "{}", a.body);
        let act = a.json()["id"].as_i64().unwrap();

        // The plan JSON carries every object's version.
        let plan = api
            .get(&format!("/api/v1/units/{unit}/plans/2026"))
            .await
            .json();
        let text = plan.to_string();
        assert!(
            text.contains(&format!(
                "\"id\":{act},\"start\":\"2026-04-01\",\"title\":\"Mässa\",\"version\":1"
            )),
            "the activity with its version"
        );

        // Removing needs the version; a reader may not; then it is gone.
        let a = api
            .json(Method::DELETE, &format!("/api/v1/activities/{act}"), None)
            .await;
        assert_eq!(a.status, 422, "{}", a.body);
        let reader = common::with_token(&store, &d.app, READER).await;
        let a = reader
            .json(
                Method::DELETE,
                &format!("/api/v1/activities/{act}?version=1"),
                None,
            )
            .await;
        assert_eq!(a.status, 403, "{}", a.body);
        let a = api
            .json(
                Method::DELETE,
                &format!("/api/v1/activities/{act}?version=1"),
                None,
            )
            .await;
        assert_eq!(a.status, 204, "{}", a.body);
        let a = api
            .json(
                Method::DELETE,
                &format!("/api/v1/goals/{id}?version=2"),
                None,
            )
            .await;
        assert_eq!(a.status, 204, "{}", a.body);
        let a = api
            .json(
                Method::PATCH,
                &format!("/api/v1/goals/{id}"),
                Some(json!({"version": 3})),
            )
            .await;
        assert_eq!(a.status, 404, "a removed goal: {}", a.body);

        // The workflow: the manager submits; may not approve; the controller returns without a
        // comment (422), then with one.
        let plan_id = plan["id"].as_i64().unwrap();
        let steps = format!("/api/v1/plans/{plan_id}/transitions");
        // The plan check finds an error first (an indicator without a target): 422.
        let a = api
            .json(Method::POST, &steps, Some(json!({"to": "submitted"})))
            .await;
        assert_eq!(a.status, 422, "{}", a.body);
        let message = a.json()["error"]["message"].to_string();
        assert!(message.contains("Planen kan inte skickas in"), "{message}");
        assert_eq!(a.json()["error"]["fields"][0]["field"], "to");
        let reason = a.json()["error"]["fields"][0]["message"].to_string();
        assert!(reason.contains("saknar årsmål"), "{reason}");
        common::give_every_indicator_a_target(&store, unit, 2026).await;
        let a = api
            .json(Method::POST, &steps, Some(json!({"to": "submitted"})))
            .await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.json()["status"], "submitted");
        let a = api
            .json(Method::POST, &steps, Some(json!({"to": "approved"})))
            .await;
        assert_eq!(a.status, 403, "{}", a.body);
        let controller = common::with_token(&store, &d.app, "controller@demo.malkedja.se").await;
        let a = controller
            .json(Method::POST, &steps, Some(json!({"to": "draft"})))
            .await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert_eq!(a.json()["error"]["fields"][0]["field"], "comment");
        let a = controller
            .json(
                Method::POST,
                &steps,
                Some(json!({"to": "draft", "comment": "Komplettera budgeten."})),
            )
            .await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.json()["status"], "returned");
    }
);

both_backends!(
    the_units_own_activities_move_on_the_plan,
    |store: Store| async move {
        let d = demo(&store).await;
        let unit = d.unit(UNIT);
        let doc = store.plan_document(unit, 2026).await.unwrap().unwrap();
        fn own(goals: &[malkedja_domain::CascadeGoal], unit: NodeId) -> Option<i64> {
            goals.iter().find_map(|g| {
                (g.goal.level == GoalLevel::Unit && g.goal.owner_id == unit)
                    .then_some(g.goal.id.0)
                    .or_else(|| own(&g.children, unit))
            })
        }
        let goal = own(&doc.goals, unit).expect("the demo plan has a goal of the unit's own");
        let day = |m, d| {
            time::Date::from_calendar_date(2026, time::Month::try_from(m).unwrap(), d).unwrap()
        };
        let mut w = store.begin_write("test").await.unwrap();
        let mut added = Vec::new();
        for title in ["Först tillagd", "Sist tillagd"] {
            let a = w
                .add_activity(malkedja_domain::NewActivity {
                    year: 2026,
                    goal_id: malkedja_domain::GoalId(goal),
                    owner_id: unit,
                    title: title.into(),
                    start: day(2, 1),
                    end: day(3, 1),
                    position: 0,
                })
                .await
                .unwrap();
            added.push(a);
        }
        w.commit().await.unwrap();
        let manager = signed_in(&store, &d.app, MANAGER).await;
        let plan = format!("/enheter/{unit}/planer/2026");
        let page = manager.get(&plan).await;
        let (first, last) = (added[0].id, added[1].id);
        let move_form = |id: malkedja_domain::ActivityId, way: &str| {
            format!(
                "action=\"/aktiviteter/{id}/flytta\" class=\"inline\"><input type=\"hidden\" name=\"csrf\" value=\"{}\"><input type=\"hidden\" name=\"version\" value=\"1\"><input type=\"hidden\" name=\"riktning\" value=\"{way}\">",
                page.csrf()
            )
        };
        assert!(page.body.contains(&move_form(last, "upp")), "{}", page.body);
        assert!(!page.body.contains(&move_form(last, "ned")));
        assert!(page.body.contains(&move_form(first, "ned")));
        assert!(page.body.find("Först tillagd") < page.body.find("Sist tillagd"));

        let moved = manager
            .post(
                &format!("/aktiviteter/{last}/flytta"),
                &[
                    ("csrf", &page.csrf()),
                    ("version", "1"),
                    ("riktning", "upp"),
                ],
            )
            .await;
        assert_eq!(moved.status, 303, "{}", moved.body);
        let page = manager.get(&plan).await;
        assert!(page.body.find("Sist tillagd") < page.body.find("Först tillagd"));
        // The controller reads the draft without anything to move them with.
        let reader = signed_in(&store, &d.app, "controller@demo.malkedja.se")
            .await
            .get(&plan)
            .await;
        assert!(reader.body.contains("Sist tillagd"));
        assert!(!reader.body.contains(&format!("/aktiviteter/{last}/flytta")));
    }
);

both_backends!(
    a_boards_removed_goal_is_restored_from_its_history,
    |store: Store| async move {
        let d = demo(&store).await;
        let doc = store
            .plan_document(d.unit(UNIT), 2026)
            .await
            .unwrap()
            .unwrap();
        let board_goal = doc
            .goals
            .iter()
            .flat_map(|g| g.walk())
            .find(|g| g.goal.level == GoalLevel::Board)
            .expect("a board goal")
            .goal
            .clone();
        let board = board_goal.owner_id;
        let mut w = store.begin_write(EDITOR).await.unwrap();
        let goal = w
            .add_goal(
                malkedja_domain::NewGoal {
                    year: 2026,
                    level: GoalLevel::Board,
                    owner_id: board,
                    parent_id: board_goal.parent_id,
                    number: None,
                    title: "Ett nämndmål som tas bort <b>och</b> kommer tillbaka".into(),
                    position: 0,
                },
                &[],
            )
            .await
            .unwrap();
        w.commit().await.unwrap();
        let history = format!("/organisation/{board}/mal/2026/historik");

        // Not public, and not for a unit's manager.
        let anon = Client::new(&d.app).get(&history).await;
        assert_eq!(anon.status, 401);
        let manager = signed_in(&store, &d.app, MANAGER).await;
        assert_eq!(manager.get(&history).await.status, 403);

        let editor = signed_in(&store, &d.app, EDITOR).await;
        let goals = editor.get(&format!("/organisation/{board}/mal/2026")).await;
        assert!(goals.body.contains(&format!("href=\"{history}\"")));
        let remove = format!("/mal/{}/ta-bort", goal.id);
        let confirm = editor.get(&remove).await;
        let a = form(&editor, &remove, &[("version", &confirm.hidden("version"))]).await;
        assert_eq!(a.status, 303, "{}", a.body);

        let page = editor.get(&history).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(
            page.body
                .contains("<h1>Historik <span class=\"for\">Mål 2026 för ")
        );
        assert!(page.body.contains("Tog bort nämndmål ”Ett nämndmål som tas bort &#60;b&#62;och&#60;/b&#62; kommer tillbaka”"), "{}", page.body);
        let restore = format!("/mal/{}/aterstall", goal.id);
        assert!(page.body.contains(&format!("action=\"{restore}\"")));
        let a = editor.post(&restore, &[("csrf", &page.csrf())]).await;
        assert_eq!(a.status, 303, "{}", a.body);
        let goals = editor.get(&format!("/organisation/{board}/mal/2026")).await;
        assert!(
            goals
                .body
                .contains("Ett nämndmål som tas bort &#60;b&#62;och&#60;/b&#62; kommer tillbaka")
        );
        let page = editor.get(&history).await;
        assert!(page.body.contains("Återställde"));
        assert!(
            !page.body.contains(&format!("action=\"{restore}\"")),
            "restored: nothing to restore"
        );
        // A unit is not an owner of such a page.
        assert_eq!(
            editor
                .get(&format!("/organisation/{}/mal/2026/historik", d.unit(UNIT)))
                .await
                .status,
            404
        );
    }
);

both_backends!(
    an_indicator_is_reported_for_women_and_men_when_it_concerns_people,
    |store: Store| async move {
        use axum::http::Method;
        use serde_json::json;
        let d = demo(&store).await;
        let unit = d.unit(UNIT);
        let plan = format!("/enheter/{unit}/planer/2026");
        let me = signed_in(&store, &d.app, MANAGER).await;
        let new = link(&me.get(&plan).await, "Lägg till enhetsmål");
        let a = form(
            &me,
            &new,
            &[
                ("titel", "Nöjda deltagare"),
                ("forvantat-resultat", "Fler är nöjda."),
            ],
        )
        .await;
        assert_eq!(a.status, 303, "{}", a.body);
        let goal = goal_anchor(&a);

        // The checkbox with its guidance, not checked for a new indicator.
        let add = format!("/mal/{goal}/ny-indikator");
        let page = me.get(&add).await;
        assert!(
            page.body.contains(r#"<input type="checkbox" id="kon" name="kon" value="ja" aria-describedby="kon-tips">"#),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains(r#"<label for="kon">Redovisas för kvinnor och män</label>"#)
        );
        assert!(page.body.contains("Markera när indikatorn gäller personer"));
        assert!(page.body.contains(
            "Vägledning<span class=\"visually-hidden\"> för Redovisas för kvinnor och män"
        ));

        // A text indicator cannot be: refused at the field, the mark and the rest kept.
        let fields = |kind: &'static str, by_sex: bool| {
            let mut f = vec![
                ("namn", "Andel nöjda deltagare"),
                ("periodicitet", "tertial"),
                ("riktning", "higher_is_better"),
                ("varde", kind),
                ("arsmal", "90 %"),
            ];
            if by_sex {
                f.push(("kon", "ja"));
            }
            f
        };
        let a = form(
            &me,
            &add,
            &[
                ("varde", "text"),
                ("namn", "Beskrivning"),
                ("periodicitet", "year"),
                ("riktning", "higher_is_better"),
                ("kon", "ja"),
            ],
        )
        .await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert!(
            a.body.contains("href=\"#kon\""),
            "the summary links the checkbox"
        );
        assert!(
            a.body
                .contains("En textindikator kan inte redovisas för kvinnor och män"),
            "{}",
            a.body
        );
        assert!(
            a.body.contains(
                r#"value="ja" checked aria-describedby="kon-tips kon-fel" aria-invalid="true">"#
            ),
            "the mark kept, the field marked: {}",
            a.body
        );
        // Another field wrong: the mark is kept, checked or not.
        let a = form(
            &me,
            &add,
            &[
                ("namn", " "),
                ("periodicitet", "tertial"),
                ("riktning", "higher_is_better"),
                ("varde", "percent"),
                ("kon", "ja"),
            ],
        )
        .await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert!(
            a.body
                .contains(r#"value="ja" checked aria-describedby="kon-tips">"#),
            "{}",
            a.body
        );

        let a = form(&me, &add, &fields("percent", true)).await;
        assert_eq!(a.status, 303, "{}", a.body);
        let doc = store.plan_document(unit, 2026).await.unwrap().unwrap();
        let added = doc
            .goals
            .iter()
            .flat_map(|g| g.walk())
            .flat_map(|g| &g.indicators)
            .find(|i| i.indicator.name == "Andel nöjda deltagare")
            .expect("the indicator in the plan")
            .indicator
            .clone();
        assert!(added.by_sex);

        // Its edit page shows the mark; unchecking it is saved like any field.
        let edit = format!("/indikatorer/{}", added.id);
        let page = me.get(&edit).await;
        assert!(page.body.contains(r#"value="ja" checked"#), "{}", page.body);
        let version = page.hidden("version");
        let mut sent = fields("percent", false);
        sent.push(("version", &version));
        let a = form(&me, &edit, &sent).await;
        assert_eq!(a.status, 303, "{}", a.body);
        let read = store
            .indicator_for_editing(added.id)
            .await
            .unwrap()
            .unwrap();
        assert!(!read.indicator.by_sex);
        assert!(!me.get(&edit).await.body.contains(r#"value="ja" checked"#));
        let trail = store
            .audit_trail("indicator", &added.id.to_string())
            .await
            .unwrap();
        assert_eq!(
            trail.last().unwrap().after.as_ref().unwrap()["by_sex"],
            false
        );
        // The history names the change in Swedish.
        let history = me
            .get(&format!("{plan}/historik/indikator/{}", added.id))
            .await;
        assert_eq!(history.status, 200, "{}", history.body);
        assert!(
            history.body.contains("Redovisas för kvinnor och män"),
            "{}",
            history.body
        );

        // The API takes and returns it; a text indicator cannot be (422 at by_sex).
        let api = common::with_token(&store, &d.app, MANAGER).await;
        let indicators = format!("/api/v1/goals/{goal}/indicators");
        let a = api
            .json(
                Method::POST,
                &indicators,
                Some(json!({"name": "Beskrivning", "periodicity": "year", "direction": "higher_is_better", "value_kind": "text", "by_sex": true})),
            )
            .await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert_eq!(
            a.json()["error"]["fields"][0]["field"],
            "by_sex",
            "{}",
            a.body
        );
        let a = api
            .json(
                Method::POST,
                &indicators,
                Some(json!({"name": "Antal deltagare", "periodicity": "tertial", "direction": "higher_is_better", "value_kind": "number", "by_sex": "ja"})),
            )
            .await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert!(
            a.body.contains("by_sex ska vara true eller false"),
            "{}",
            a.body
        );
        let a = api
            .json(
                Method::POST,
                &indicators,
                Some(json!({"name": "Antal deltagare", "periodicity": "tertial", "direction": "higher_is_better", "value_kind": "number", "by_sex": true})),
            )
            .await;
        assert_eq!(a.status, 201, "{}", a.body);
        assert_eq!(a.json()["by_sex"], true);
        let id = a.json()["id"].as_i64().unwrap();
        let a = api
            .json(
                Method::POST,
                &indicators,
                Some(json!({"name": "Antal utflykter", "periodicity": "tertial", "direction": "higher_is_better", "value_kind": "number"})),
            )
            .await;
        assert_eq!(a.status, 201, "{}", a.body);
        assert_eq!(a.json()["by_sex"], false, "false when left out");
        let patch = format!("/api/v1/indicators/{id}");
        let a = api
            .json(
                Method::PATCH,
                &patch,
                Some(json!({"version": 1, "value_kind": "text"})),
            )
            .await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert_eq!(
            a.json()["error"]["fields"][0]["field"],
            "by_sex",
            "{}",
            a.body
        );
        let a = api
            .json(
                Method::PATCH,
                &patch,
                Some(json!({"version": 1, "name": "Antal deltagare i grupp"})),
            )
            .await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.json()["by_sex"], true, "kept when left out");
        let a = api
            .json(
                Method::PATCH,
                &patch,
                Some(json!({"version": 2, "by_sex": false})),
            )
            .await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.json()["by_sex"], false);
        let plan_json = api
            .get(&format!("/api/v1/units/{unit}/plans/2026"))
            .await
            .json()
            .to_string();
        assert!(
            plan_json.contains("\"by_sex\":false") && plan_json.contains("\"by_sex\":true"),
            "the plan's indicators carry it"
        );
    }
);
