//! Writing follow-up reports through the API, through the router, on both backends:
//! creating a report from the approved plan (422 without one, 409 when it exists), a goal's
//! assessment, an indicator's outcome, an activity's status, a section, the economy and the
//! workflow; each with its 401/403/404/409/422.

mod common;

use axum::http::Method;
use common::{Client, with_token};
use malkedja_domain::{Direction, IndicatorId, NewIndicator, NodeId, Periodicity, ValueKind};
use malkedja_store::{DocRef, Item, Store, both_backends};
use serde_json::{Value, json};

const UNIT: &str = "Enheten för socialpsykiatriskt stöd";
const MANAGER: &str = "enhetschef@demo.malkedja.se";
const CONTROLLER: &str = "controller@demo.malkedja.se";
const READER: &str = "lasare@demo.malkedja.se";

struct Demo {
    app: axum::Router,
    unit: NodeId,
    /// A year whose plan of the unit is approved and has no reports.
    fresh: i32,
}

/// The year after the demo's newest, 2027: the council's, board's and departments' goals
/// copied from 2026 and the unit's plan started from its 2026 plan, approved. Every
/// approved plan of the demo has all its reports, so a report is created here.
async fn approved_plan_without_reports(store: &Store, unit: NodeId) -> i32 {
    let mut w = store.begin_write("test").await.unwrap();
    w.copy_structure(2026, None).await.unwrap();
    let carried = w
        .carry_forward(unit, 2027, &std::collections::HashMap::new())
        .await
        .unwrap();
    w.set_plan_status(
        carried.plan.id,
        carried.plan.version,
        malkedja_domain::PlanStatus::Approved,
    )
    .await
    .unwrap();
    w.commit().await.unwrap();
    2027
}

async fn demo(store: &Store) -> Demo {
    let summary = malkedja_store::demo::load(store, &|_| {})
        .await
        .unwrap()
        .expect("demo loads");
    let unit = summary
        .units
        .iter()
        .find(|(_, n)| n == UNIT)
        .expect("the demo unit")
        .0;
    Demo {
        app: malkedja_web::router(store.clone()),
        unit,
        fresh: approved_plan_without_reports(store, unit).await,
    }
}

fn fields(v: &Value) -> Vec<String> {
    v["error"]["fields"]
        .as_array()
        .map(|f| {
            f.iter()
                .map(|f| f["field"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn walk(goals: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    for g in goals.as_array().unwrap() {
        out.push(g.clone());
        out.extend(walk(&g["children"]));
    }
    out
}

async fn put(c: &Client, path: &str, body: Value) -> common::Answer {
    c.json(Method::PUT, path, Some(body)).await
}

both_backends!(
    a_report_is_created_from_the_approved_plan,
    |store: Store| async move {
        let d = demo(&store).await;
        let manager = with_token(&store, &d.app, MANAGER).await;
        let reader = with_token(&store, &d.app, READER).await;
        let anonymous = Client {
            origin: None,
            ..Client::new(&d.app)
        };
        let t1 = format!("/api/v1/units/{}/reports/{}/tertial1", d.unit, d.fresh);

        assert_eq!(anonymous.json(Method::POST, &t1, None).await.status, 401);
        assert_eq!(reader.json(Method::POST, &t1, None).await.status, 403);
        // The report's downloads share the address pattern, and are read only.
        for file in ["pdf", "docx"] {
            let a = manager
                .json(Method::POST, &format!("{t1}.{file}"), None)
                .await;
            assert_eq!(a.status, 405, "{file}: {}", a.body);
            assert_eq!(a.json()["error"]["code"], "method_not_allowed");
            let a = manager
                .json(Method::DELETE, &format!("{t1}.{file}"), None)
                .await;
            assert_eq!(a.status, 405, "{file}: {}", a.body);
            assert_eq!(a.headers["allow"], "GET,HEAD", "{file}");
        }
        let a = manager
            .json(
                Method::POST,
                "/api/v1/units/999999/reports/2025/tertial1",
                None,
            )
            .await;
        assert_eq!(a.status, 404, "{}", a.body);
        let a = manager
            .json(
                Method::POST,
                &format!("/api/v1/units/{}/reports/2025/t9", d.unit),
                None,
            )
            .await;
        assert_eq!(a.status, 400, "{}", a.body);

        // The 2026 plan is a draft: no report from it.
        let a = manager
            .json(
                Method::POST,
                &format!("/api/v1/units/{}/reports/2026/tertial2", d.unit),
                None,
            )
            .await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert!(
            a.json()["error"]["message"]
                .as_str()
                .unwrap()
                .contains("ingen fastställd verksamhetsplan för 2026"),
            "{}",
            a.body
        );

        let a = manager.json(Method::POST, &t1, None).await;
        assert_eq!(a.status, 201, "{}", a.body);
        let r = a.json();
        assert_eq!(r["status"], "draft");
        assert!(r["id"].as_i64().unwrap() >= 1);
        assert!(r["version"].as_i64().unwrap() >= 1);
        let goals = walk(&r["goals"]);
        assert!(!goals.is_empty());
        assert!(goals.iter().all(|g| g["assessment_version"] == 0));
        assert!(
            goals
                .iter()
                .all(|g| g["suggestion"]["assessment"].is_string())
        );
        let indicators: Vec<&Value> = goals
            .iter()
            .flat_map(|g| g["indicators"].as_array().unwrap())
            .collect();
        assert!(
            indicators
                .iter()
                .all(|i| i["periodicity"] == "tertial" && i["due"] == true)
        );
        assert!(
            indicators
                .iter()
                .all(|i| i["outcome_version"] == 0 && i["indicator_id"] == i["id"])
        );
        assert!(
            r["sections"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["key"] == "sammanfattande-analys" && s["version"] == 0)
        );

        // Once is enough.
        let a = manager.json(Method::POST, &t1, None).await;
        assert_eq!(a.status, 409, "{}", a.body);
        // The report reads the same through GET.
        let got = manager.get(&t1).await;
        assert_eq!(got.status, 200);
        assert_eq!(got.json()["id"], r["id"]);
    }
);

both_backends!(
    follow_up_is_written_with_versions,
    |store: Store| async move {
        let d = demo(&store).await;
        let manager = with_token(&store, &d.app, MANAGER).await;
        let reader = with_token(&store, &d.app, READER).await;
        let anonymous = Client {
            origin: None,
            ..Client::new(&d.app)
        };
        let t1 = format!("/api/v1/units/{}/reports/{}/tertial1", d.unit, d.fresh);
        let r = manager.json(Method::POST, &t1, None).await.json();
        let id = r["id"].as_i64().unwrap();
        let goals = walk(&r["goals"]);

        // ---- an assessment ----
        let goal = &goals[0];
        let path = format!("/api/v1/reports/{id}/goals/{}/assessment", goal["id"]);
        let body =
            json!({"version": 0, "assessment": "partly_met", "analysis": "Det går åt rätt håll."});
        assert_eq!(put(&anonymous, &path, body.clone()).await.status, 401);
        assert_eq!(put(&reader, &path, body.clone()).await.status, 403);
        let a = put(
            &manager,
            &path,
            json!({"version": 0, "assessment": "helt", "extra": 1}),
        )
        .await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert_eq!(fields(&a.json()), ["request", "assessment"]);
        let a = put(&manager, &path, body.clone()).await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.json()["assessment_version"], 1);
        assert_eq!(a.json()["assessment"], "partly_met");
        let a = put(&manager, &path, body.clone()).await;
        assert_eq!(a.status, 409, "a stale version: {}", a.body);
        let a = put(
            &manager,
            &format!("/api/v1/reports/{id}/goals/999999/assessment"),
            body.clone(),
        )
        .await;
        assert_eq!(a.status, 404, "{}", a.body);
        assert_eq!(
            put(
                &manager,
                &format!("/api/v1/reports/999999/goals/{}/assessment", goal["id"]),
                body
            )
            .await
            .status,
            404
        );

        // ---- an outcome ----
        let indicator = goals
            .iter()
            .flat_map(|g| g["indicators"].as_array().unwrap().clone())
            .find(|i| i["value_kind"] != "text")
            .expect("a numeric indicator in T1");
        let path = format!(
            "/api/v1/reports/{id}/indicators/{}/outcome",
            indicator["id"]
        );
        let a = put(
            &manager,
            &path,
            json!({"version": 0, "value": "ungefär hälften"}),
        )
        .await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert_eq!(fields(&a.json()), ["value"]);
        assert!(a.body.contains("är inget tal"), "{}", a.body);
        let a = put(
            &manager,
            &path,
            json!({"version": 0, "value": "58,84 %", "analysis": "Bättre än i fjol."}),
        )
        .await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.json()["outcome_version"], 1);

        // A count of our own, for the women and men split, and a share that concerns no
        // people.
        let own_goal = goals
            .iter()
            .find(|g| g["owner"]["id"] == d.unit.0 && g["level"] == "unit")
            .expect("a unit goal");
        let mut w = store.begin_write("test").await.unwrap();
        let mut own = Vec::new();
        for (name, kind, by_sex, position) in [
            ("Antal deltagare", ValueKind::Number, true, 99),
            ("Andel återbrukat material", ValueKind::Percent, false, 100),
        ] {
            let i = w
                .create_indicator(NewIndicator {
                    year: d.fresh,
                    goal_id: malkedja_domain::GoalId(own_goal["id"].as_i64().unwrap()),
                    owner_id: d.unit,
                    name: name.into(),
                    unit_of_measure: None,
                    periodicity: Periodicity::Tertial,
                    direction: Direction::HigherIsBetter,
                    value_kind: kind,
                    by_sex,
                    council_target: None,
                    position,
                })
                .await
                .unwrap();
            w.include(DocRef::Report(id), Item::Indicator(IndicatorId(i.id.0)))
                .await
                .unwrap();
            own.push(i);
        }
        w.commit().await.unwrap();
        let (count, material) = (&own[0], &own[1]);

        // The report's indicators say which are reported for women and men.
        let shown: Vec<(String, bool)> = walk(&manager.get(&t1).await.json()["goals"])
            .iter()
            .flat_map(|g| g["indicators"].as_array().unwrap().clone())
            .map(|i| {
                let by_sex = i["by_sex"].as_bool().expect("by_sex");
                (i["name"].as_str().unwrap().to_string(), by_sex)
            })
            .collect();
        assert!(
            shown.contains(&("Antal deltagare".into(), true)),
            "{shown:?}"
        );
        assert!(
            shown.contains(&("Andel återbrukat material".into(), false)),
            "{shown:?}"
        );

        // Women and men for an indicator that is not reported for them: 422, per field.
        let path = format!("/api/v1/reports/{id}/indicators/{}/outcome", material.id);
        let a = put(
            &manager,
            &path,
            json!({"version": 0, "value": "40 %", "women": "45 %", "men": "35 %"}),
        )
        .await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert_eq!(fields(&a.json()), ["women", "men"], "{}", a.body);
        assert!(
            a.body.contains("redovisas inte för kvinnor och män"),
            "{}",
            a.body
        );
        let a = put(
            &manager,
            &path,
            json!({"version": 0, "value": "40 %", "women": null, "men": ""}),
        )
        .await;
        assert_eq!(a.status, 200, "{}", a.body);

        let path = format!("/api/v1/reports/{id}/indicators/{}/outcome", count.id);
        let a = put(
            &manager,
            &path,
            json!({"version": 0, "value": "12", "women": "7", "men": "6"}),
        )
        .await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert_eq!(fields(&a.json()), ["value"]);
        assert!(
            a.body.contains("tillsammans 13, fler än utfallet 12"),
            "{}",
            a.body
        );
        let a = put(
            &manager,
            &path,
            json!({"version": 0, "value": "12", "women": "many", "men": "5"}),
        )
        .await;
        assert_eq!(fields(&a.json()), ["women"], "{}", a.body);
        let a = put(
            &manager,
            &path,
            json!({"version": 0, "value": "12", "women": "7", "men": "5"}),
        )
        .await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.json()["women"], "7");

        // ---- an activity ----
        let activity = goals
            .iter()
            .flat_map(|g| g["activities"].as_array().unwrap().clone())
            .next()
            .expect("an activity in T1");
        let path = format!("/api/v1/reports/{id}/activities/{}/status", activity["id"]);
        let a = put(
            &manager,
            &path,
            json!({"version": 0, "status": "deviation", "analysis": " "}),
        )
        .await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert_eq!(fields(&a.json()), ["analysis"]);
        let a = put(&manager, &path, json!({"version": 0, "status": "klar"})).await;
        assert_eq!(fields(&a.json()), ["status"], "{}", a.body);
        let a = put(
            &manager,
            &path,
            json!({"version": 0, "status": "deviation", "analysis": "Lokalen stängdes i mars."}),
        )
        .await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.json()["status_version"], 1);
        assert_eq!(
            put(&manager, &path, json!({"version": 0, "status": "done"}))
                .await
                .status,
            409
        );

        // ---- a section ----
        let path = format!("/api/v1/reports/{id}/sections/sammanfattande-analys");
        let a = put(
            &manager,
            &path,
            json!({"version": 0, "body": "Ett tertial med framsteg."}),
        )
        .await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.json()["version"], 1);
        assert_eq!(
            put(&manager, &path, json!({"version": 0, "body": "x"}))
                .await
                .status,
            409
        );
        let a = put(
            &manager,
            &format!("/api/v1/reports/{id}/sections/finns-inte"),
            json!({"version": 0, "body": "x"}),
        )
        .await;
        assert_eq!(a.status, 404, "{}", a.body);

        // ---- the economy ----
        let r = manager.get(&t1).await.json();
        let ops = r["economy"]["operations"].as_array().unwrap().clone();
        assert!(!ops.is_empty(), "the demo unit has operations");
        let op = ops[0]["operation"]["id"].clone();
        let path = format!("/api/v1/reports/{id}/economy");
        let a = put(
            &manager,
            &path,
            json!({"version": 0, "operations": [{"operation_id": op, "budget": "ca 300 tkr"}]}),
        )
        .await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert_eq!(fields(&a.json()), ["operations"]);
        assert!(a.body.contains("är inget belopp"), "{}", a.body);
        let a = put(
            &manager,
            &path,
            json!({"version": 0, "operations": [{"operation_id": 999999, "budget": "1 tkr"}]}),
        )
        .await;
        assert_eq!(a.status, 422, "{}", a.body);
        let a = put(
            &manager,
            &path,
            json!({"version": 0, "operations": [{"operation_id": op, "budget": "1 000 tkr", "forecast": "980 tkr", "outcome": "300 tkr"}], "investments": "Inga"}),
        )
        .await;
        assert_eq!(a.status, 200, "{}", a.body);
        let e = a.json();
        assert_eq!(e["version"], 1);
        assert_eq!(e["totals"]["budget"], "1000000");
        assert_eq!(e["totals"]["forecast_result"], "20000");
        assert_eq!(
            put(&manager, &path, json!({"version": 0})).await.status,
            409
        );

        // ---- what the report now says ----
        let r = manager.get(&t1).await.json();
        assert_eq!(r["economy"]["version"], 1);
        let goals = walk(&r["goals"]);
        let g = goals.iter().find(|g| g["id"] == goal["id"]).unwrap();
        assert_eq!(g["assessment_version"], 1);
        assert_eq!(g["assessment_prefilled"], false);
        let i = goals
            .iter()
            .flat_map(|g| g["indicators"].as_array().unwrap().clone())
            .find(|i| i["id"] == indicator["id"])
            .unwrap();
        assert_eq!(i["outcome_version"], 1);
        if i["target"]["value"].is_string() {
            assert!(i["status"]["status"].is_string(), "{i}");
        }
        let a = goals
            .iter()
            .flat_map(|g| g["activities"].as_array().unwrap().clone())
            .find(|a| a["id"] == activity["id"])
            .unwrap();
        assert_eq!(a["status_version"], 1);
        assert_eq!(a["status"], "deviation");
    }
);

both_backends!(
    a_report_moves_through_its_workflow,
    |store: Store| async move {
        let d = demo(&store).await;
        let manager = with_token(&store, &d.app, MANAGER).await;
        let controller = with_token(&store, &d.app, CONTROLLER).await;
        let reader = with_token(&store, &d.app, READER).await;
        let t1 = format!("/api/v1/units/{}/reports/{}/tertial1", d.unit, d.fresh);
        let r = manager.json(Method::POST, &t1, None).await.json();
        let id = r["id"].as_i64().unwrap();
        let path = format!("/api/v1/reports/{id}/transitions");
        let post = |c: &Client, body: Value| {
            let c = c.clone();
            let path = path.clone();
            async move { c.json(Method::POST, &path, Some(body)).await }
        };

        assert_eq!(post(&reader, json!({"to": "submitted"})).await.status, 403);
        let a = post(&manager, json!({"to": "skickad"})).await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert_eq!(fields(&a.json()), ["to"]);
        let a = post(
            &manager,
            json!({"to": "submitted", "version": r["version"].as_i64().unwrap() + 5}),
        )
        .await;
        assert_eq!(a.status, 409, "{}", a.body);

        // An assessment without analysis blocks submitting: 422 with the reason. (A goal
        // the unit follows up: the council's are not the unit's to assess.)
        let goals = walk(&r["goals"]);
        let goal = goals
            .iter()
            .find(|g| !["direction", "area"].contains(&g["level"].as_str().unwrap_or("")))
            .expect("a goal below the council's");
        put(
            &manager,
            &format!("/api/v1/reports/{id}/goals/{}/assessment", goal["id"]),
            json!({"version": 0, "assessment": "met"}),
        )
        .await;
        let a = post(&manager, json!({"to": "submitted"})).await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert!(a.body.contains("saknar analys"), "{}", a.body);
        put(
            &manager,
            &format!("/api/v1/reports/{id}/goals/{}/assessment", goal["id"]),
            json!({"version": 1, "assessment": "met", "analysis": "Målet nås."}),
        )
        .await;

        let a = post(&manager, json!({"to": "submitted"})).await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.json()["status"], "submitted");
        // Submitted: the unit cannot write, nor approve its own report.
        let a = put(
            &manager,
            &format!("/api/v1/reports/{id}/goals/{}/assessment", goal["id"]),
            json!({"version": 2, "assessment": "not_met", "analysis": "x"}),
        )
        .await;
        assert_eq!(a.status, 409, "{}", a.body);
        // Sent in twice: the refusal names the report, not a plan.
        let a = post(&manager, json!({"to": "submitted"})).await;
        assert_eq!(a.status, 409, "{}", a.body);
        assert!(
            a.body.contains("Tertialrapport 1 är redan inskickad"),
            "{}",
            a.body
        );
        assert_eq!(post(&manager, json!({"to": "approved"})).await.status, 403);
        // A return needs a comment.
        let a = post(&controller, json!({"to": "draft"})).await;
        assert_eq!(a.status, 422, "{}", a.body);
        assert_eq!(fields(&a.json()), ["comment"]);
        let a = post(
            &controller,
            json!({"to": "draft", "comment": "Skriv mer om aktiviteterna."}),
        )
        .await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.json()["status"], "returned");
        assert_eq!(post(&manager, json!({"to": "submitted"})).await.status, 200);
        let a = post(&controller, json!({"to": "approved"})).await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.json()["status"], "approved");
        // Approved: public, and closed for writing.
        let anonymous = Client::new(&d.app);
        assert_eq!(anonymous.get(&t1).await.json()["status"], "approved");
    }
);
