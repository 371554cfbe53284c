//! The roll-up through the router, on both backends: the page (who sees which reports),
//! the workbook, the API, the node's own assessment (page and API: conflicts, bad input,
//! 401 and 403) and the links that lead to them.

mod common;

use axum::http::{Method, StatusCode, header};
use common::{Client, signed_in, with_token};
use malkedja_domain::{Cell, GoalId, NodeId, ReportKind, Role, RoleGrant, Standing};
use malkedja_store::testing::{DISTRICT_YEAR, District, district};
use malkedja_store::{Store, both_backends, password};
use serde_json::{Value, json};

const EDITOR: &str = "redaktor@prov.se";
const CONTROLLER: &str = "controller@prov.se";
const READER: &str = "lasare@prov.se";
const ADMIN: &str = "admin@prov.se";

struct Setup {
    app: axum::Router,
    d: District,
}

/// A district of 10 units (annual reports of units 1, 4 and 7 approved, 2, 5 and 8
/// submitted, 3, 6 and 9 drafts, 10 without a report) and 3 board goals, and people: a
/// board editor on the board, a controller on the administration, a reader on the third
/// unit, an administrator on the city.
async fn setup(store: &Store) -> Setup {
    let d = district(store, 10, 3).await;
    let hash = password::hash(common::PASSWORD).await.unwrap();
    let mut w = store.begin_write("test").await.unwrap();
    for (email, role, node) in [
        (EDITOR, Role::BoardEditor, d.board),
        (CONTROLLER, Role::Controller, d.administration),
        (READER, Role::Reader, d.units[2]),
        (ADMIN, Role::Admin, d.city),
    ] {
        let a = w.add_account(email, "Provperson", &hash).await.unwrap();
        w.grant_role(
            a.id,
            RoleGrant {
                role,
                node_id: node,
            },
        )
        .await
        .unwrap();
    }
    w.commit().await.unwrap();
    Setup {
        app: malkedja_web::router(store.clone()),
        d,
    }
}

fn page(node: NodeId, kind: &str) -> String {
    format!("/organisation/{node}/uppfoljning/{DISTRICT_YEAR}/{kind}")
}

fn api(node: NodeId, kind: &str) -> String {
    format!("/api/v1/org/{node}/rollup/{DISTRICT_YEAR}/{kind}")
}

fn anonymous(app: &axum::Router) -> Client {
    Client {
        origin: None,
        ..Client::new(app)
    }
}

/// What the annual report of the `unit`th unit says of `goal`, as the page's cell shows it.
async fn cell_of(store: &Store, d: &District, unit: usize, goal: GoalId) -> Cell {
    let doc = store
        .report_document(d.units[unit], DISTRICT_YEAR, ReportKind::AnnualReport)
        .await
        .unwrap()
        .unwrap();
    let a = &doc.assessments[&goal];
    Cell::Assessed {
        assessment: a.assessment.unwrap(),
        analysis: a.analysis.is_some(),
    }
}

/// The name of a node.
async fn name_of(store: &Store, node: NodeId) -> String {
    store.chain(node).await.unwrap()[0].name.clone()
}

/// The index of the first indicator in the API's answer whose outcomes are summed.
fn summed(v: &Value) -> usize {
    v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .position(|i| i["aggregation"] == "sum")
        .expect("a count among the indicators")
}

fn cells(v: &Value, unit: usize) -> Vec<String> {
    v["units"][unit]["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["state"].as_str().unwrap().to_string())
        .collect()
}

both_backends!(
    the_page_shows_every_unit_and_each_reports_goals_as_the_policy_allows,
    |store: Store| async move {
        let s = setup(&store).await;
        let d = &s.d;
        let goal = d.board_goals[0];
        let public = anonymous(&s.app);
        let a = public.get(&page(d.board, "vb")).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let html = &a.body;
        assert!(html.contains("<table class=\"rollup-matrix\">"), "{html}");
        assert!(html.contains("<caption id=\"matris\">"));
        assert!(html.contains("<th scope=\"col\">Enhet</th>"));
        assert!(html.contains("<th scope=\"row\"><a href=\"/enheter/"));
        assert!(
            html.contains("scope=\"rowgroup\""),
            "units grouped by department"
        );
        // The approved report's cell: a symbol and a word, linking to the goal in the report.
        let link = format!(
            "/enheter/{}/rapporter/{DISTRICT_YEAR}/vb#mal-{goal}",
            d.units[0]
        );
        let cell = cell_of(&store, d, 0, goal).await;
        assert!(
            html.contains(&format!(
                "<a href=\"{link}\"><span aria-hidden=\"true\">{}</span> {}</a>",
                cell.symbol(),
                cell.word()
            )),
            "{html}"
        );
        // The submitted and the draft report are not for the public.
        assert!(
            html.contains(
                "<td class=\"c c-hidden\"><span aria-hidden=\"true\">–</span> Ej fastställd</td>"
            ),
            "{html}"
        );
        assert!(
            html.contains("6 av enheternas rapporter är inte fastställda"),
            "{html}"
        );
        assert!(!html.contains(&format!(
            "/enheter/{}/rapporter/{DISTRICT_YEAR}/vb#mal",
            d.units[1]
        )));
        // Standing against the deadline (2026-02-15): shown to everyone.
        assert!(html.contains("Rapportens läge"));
        assert!(html.contains("2026-02-15"));
        // Indicators: counts summed, shares listed.
        assert!(html.contains("Summa "), "{html}");
        assert!(html.contains("Listas per enhet"));
        let data = store
            .rollup(d.board, DISTRICT_YEAR, ReportKind::AnnualReport, None)
            .await
            .unwrap()
            .unwrap();
        let share = data
            .indicators
            .iter()
            .find(|i| i.goal_id == d.board_goals[1])
            .unwrap();
        assert!(
            html.contains(&format!("Utfallen per enhet: {}", share.name)),
            "{html}"
        );
        // The downloads and the other reports of the year.
        assert!(html.contains(&format!("{}.xlsx", page(d.board, "vb"))));
        assert!(html.contains(&api(d.board, "annual_report")));
        assert!(html.contains(&page(d.board, "t1")));

        // A controller of the administration reads every report.
        let controller = signed_in(&store, &s.app, CONTROLLER).await;
        let a = controller.get(&page(d.board, "vb")).await;
        assert_eq!(a.status, StatusCode::OK);
        assert!(!a.body.contains("<td class=\"c c-hidden\">"), "{}", a.body);
        assert!(a.body.contains(&format!(
            "/enheter/{}/rapporter/{DISTRICT_YEAR}/vb#mal-{goal}",
            d.units[2]
        )));
        // The anchor the cell leads to is the goal's heading in the report.
        let report = controller
            .get(&format!(
                "/enheter/{}/rapporter/{DISTRICT_YEAR}/vb",
                d.units[2]
            ))
            .await;
        assert_eq!(report.status, StatusCode::OK);
        assert!(
            report.body.contains(&format!("id=\"mal-{goal}\"")),
            "{}",
            report.body
        );
        // A reader of the third unit sees its draft, not the submitted one of the second.
        let reader = signed_in(&store, &s.app, READER).await;
        let body = reader.get(&page(d.board, "vb")).await.body;
        assert!(body.contains(&format!(
            "/enheter/{}/rapporter/{DISTRICT_YEAR}/vb#mal-{goal}",
            d.units[2]
        )));
        assert!(
            body.contains("5 av enheternas rapporter är inte fastställda"),
            "{body}"
        );

        // A department's roll-up, and another kind: no reports, every unit late (the
        // deadline was 2025-05-15).
        let a = public.get(&page(d.departments[0], "t1")).await;
        assert_eq!(a.status, StatusCode::OK);
        assert!(
            a.body
                .contains(&format!("{}: <strong>10</strong>", Standing::Late.label())),
            "{}",
            a.body
        );

        // Addresses.
        let a = public.get(&page(d.board, "annual_report")).await;
        assert_eq!(a.status, StatusCode::PERMANENT_REDIRECT);
        assert_eq!(a.location(), page(d.board, "vb"));
        for (path, status) in [
            (
                format!("/organisation/abc/uppfoljning/{DISTRICT_YEAR}/vb"),
                400,
            ),
            (
                format!("/organisation/{}/uppfoljning/20x5/vb", d.board),
                400,
            ),
            (
                format!("/organisation/{}/uppfoljning/{DISTRICT_YEAR}/t9", d.board),
                400,
            ),
            (
                format!("/organisation/999999/uppfoljning/{DISTRICT_YEAR}/vb"),
                404,
            ),
            (page(d.units[0], "vb"), 404),
            (
                format!("/organisation/{}/uppfoljning/1999/vb", d.board),
                404,
            ),
        ] {
            let a = public.get(&path).await;
            assert_eq!(a.status.as_u16(), status, "{path}: {}", a.body);
            assert!(
                a.header(header::CONTENT_TYPE).starts_with("text/html"),
                "{path}"
            );
        }
    }
);

both_backends!(
    the_workbook_and_the_api_answer_the_same,
    |store: Store| async move {
        let s = setup(&store).await;
        let d = &s.d;
        let public = anonymous(&s.app);
        let a = public.get(&format!("{}.xlsx", page(d.board, "vb"))).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert_eq!(
            a.header(header::CONTENT_TYPE),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert!(a.header(header::CONTENT_DISPOSITION).contains("Sammanst"));
        assert!(a.bytes.starts_with(b"PK"), "a zip");
        let a = public
            .get(&format!(
                "/organisation/{}/uppfoljning/{DISTRICT_YEAR}/t9.xlsx",
                d.board
            ))
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        let a = public
            .get(&format!("{}.xlsx", page(d.units[0], "vb")))
            .await;
        assert_eq!(a.status, StatusCode::NOT_FOUND);

        let a = public.get(&api(d.board, "annual_report")).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let v = a.json();
        assert_eq!(v["node"]["kind"], "board");
        assert_eq!(v["kind"], "annual_report");
        assert_eq!(v["units"].as_array().unwrap().len(), 10);
        // The council's 3 directions and 12 areas (every plan takes them), and the three
        // board goals.
        assert_eq!(v["goals"].as_array().unwrap().len(), 3 + 12 + 3);
        assert_eq!(v["units"][0]["standing"], "approved");
        assert_eq!(v["units"][0]["report"]["readable"], true);
        assert!(cells(&v, 1).iter().all(|c| c == "hidden"));
        assert!(cells(&v, 9).iter().all(|c| c == "no_report"));
        assert_eq!(v["units"][9]["standing"], "late");
        assert_eq!(v["units"][9]["deadline"], "2026-02-15");
        assert!(
            v["goals"]
                .as_array()
                .unwrap()
                .iter()
                .all(|g| g["own_assessment"].is_null())
        );
        let count = &v["indicators"][summed(&v)];
        assert_eq!(
            count["expected"], 3,
            "the public reads the three approved reports"
        );
        let controller = with_token(&store, &s.app, CONTROLLER).await;
        let v = controller.get(&api(d.board, "annual_report")).await.json();
        assert!(cells(&v, 1).iter().any(|c| c == "assessed"));
        assert_eq!(v["indicators"][summed(&v)]["expected"], 9);

        let a = public.get(&api(d.board, "vb")).await;
        assert_eq!(a.status, StatusCode::PERMANENT_REDIRECT);
        assert_eq!(a.location(), api(d.board, "annual_report"));
        for (path, status, code) in [
            (
                format!("/api/v1/org/abc/rollup/{DISTRICT_YEAR}/annual_report"),
                400,
                "bad_request",
            ),
            (
                format!("/api/v1/org/{}/rollup/0/annual_report", d.board),
                400,
                "bad_request",
            ),
            (
                format!("/api/v1/org/{}/rollup/{DISTRICT_YEAR}/t9", d.board),
                400,
                "bad_request",
            ),
            (
                format!("/api/v1/org/999999/rollup/{DISTRICT_YEAR}/annual_report"),
                404,
                "not_found",
            ),
            (api(d.units[0], "annual_report"), 404, "not_found"),
            (
                format!("/api/v1/org/{}/rollup/1999/annual_report", d.board),
                404,
                "not_found",
            ),
        ] {
            let a = public.get(&path).await;
            assert_eq!(a.status.as_u16(), status, "{path}: {}", a.body);
            assert_eq!(a.json()["error"]["code"], code, "{path}");
        }
        let a = public
            .json(Method::DELETE, &api(d.board, "annual_report"), None)
            .await;
        assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    }
);

both_backends!(
    the_boards_own_assessment_is_written_beside_the_units_analyses,
    |store: Store| async move {
        let s = setup(&store).await;
        let d = &s.d;
        let goal = d.board_goals[0];
        let path = format!("{}/mal/{goal}", page(d.board, "vb"));

        // Anyone reads the units' analyses of approved reports; no form, no own text.
        let first = format!(">{}</a></h3>", name_of(&store, d.units[0]).await);
        let third = format!(">{}</a></h3>", name_of(&store, d.units[2]).await);
        let public = anonymous(&s.app);
        let a = public.get(&path).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert!(a.body.contains(&first), "{}", a.body);
        assert!(a.body.contains("class=\"unit-analysis\""));
        assert!(!a.body.contains(&third));
        assert!(!a.body.contains("<form class=\"form section-form\""));
        assert!(a.body.contains("visas för den som har en roll"));
        // Not signed in: the sign-in page; a reader of a unit: 403.
        let a = Client::new(&s.app)
            .post(
                &path,
                &[("version", "0"), ("bedomning", "met"), ("analys", "x")],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{}", a.body);
        let reader = signed_in(&store, &s.app, READER).await;
        let form = reader.get(&path).await;
        let a = reader
            .post(
                &path,
                &[
                    ("csrf", &form.csrf()),
                    ("version", "0"),
                    ("bedomning", "met"),
                    ("analys", "x"),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);

        // The board's editor: the form beside every unit's analysis.
        let editor = signed_in(&store, &s.app, EDITOR).await;
        let form = editor.get(&path).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains(&third), "{}", form.body);
        assert!(
            form.body
                .contains("<select id=\"bedomning\" name=\"bedomning\"")
        );
        assert_eq!(form.hidden("version"), "0");
        let csrf = form.csrf();
        // Bad input keeps what was typed.
        let long = "å".repeat(20_001);
        let a = editor
            .post(
                &path,
                &[
                    ("csrf", &csrf),
                    ("version", "0"),
                    ("bedomning", "helt"),
                    ("analys", "Min text"),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(a.body.contains("Välj en bedömning i listan"));
        assert!(a.body.contains(">Min text</textarea>"));
        let a = editor
            .post(
                &path,
                &[
                    ("csrf", &csrf),
                    ("version", "0"),
                    ("bedomning", "met"),
                    ("analys", &long),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(a.body.contains("högst 20"), "{}", a.body);
        let a = editor
            .post(
                &path,
                &[
                    ("csrf", &csrf),
                    ("bedomning", "met"),
                    ("analys", "Utan version"),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(a.body.contains(">Utan version</textarea>"));
        // Saved.
        let a = editor
            .post(
                &path,
                &[
                    ("csrf", &csrf),
                    ("version", "0"),
                    ("bedomning", "partly_met"),
                    ("analys", "Nämndens analys."),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(
            a.location(),
            format!("{}?sparat={goal}#mal-{goal}", page(d.board, "vb"))
        );
        let shown = editor.get(&page(d.board, "vb")).await.body;
        assert!(shown.contains("Nämndens bedömning:"), "{shown}");
        assert!(shown.contains("Nämndens analys."));
        // The public does not see it; the controller of the administration (below the
        // board) does not either.
        assert!(
            !public
                .get(&page(d.board, "vb"))
                .await
                .body
                .contains("Nämndens analys.")
        );
        // A stale save: 409, theirs beside mine, mine kept.
        let a = editor
            .post(
                &path,
                &[
                    ("csrf", &csrf),
                    ("version", "0"),
                    ("bedomning", "met"),
                    ("analys", "Min senare text"),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
        assert!(a.body.contains("Någon annan har sparat"));
        assert!(a.body.contains("Sparat nu: Uppfylls delvis"));
        assert!(a.body.contains(">Min senare text</textarea>"));
        assert_eq!(a.hidden("version"), "1");
        // A goal that is no column of the roll-up: 404.
        let a = editor
            .get(&format!("{}/mal/999999", page(d.board, "vb")))
            .await;
        assert_eq!(a.status, StatusCode::NOT_FOUND);
    }
);

both_backends!(
    the_api_writes_the_own_assessment_with_versions,
    |store: Store| async move {
        let s = setup(&store).await;
        let d = &s.d;
        let goal = d.board_goals[1];
        let path = format!("{}/goals/{goal}/assessment", api(d.board, "annual_report"));
        let put = async |c: &Client, body: Value| c.json(Method::PUT, &path, Some(body)).await;
        let body = json!({"version": 0, "assessment": "met", "analysis": "Bra år."});
        assert_eq!(put(&anonymous(&s.app), body.clone()).await.status, 401);
        let reader = with_token(&store, &s.app, READER).await;
        assert_eq!(put(&reader, body.clone()).await.status, 403);
        let controller = with_token(&store, &s.app, CONTROLLER).await;
        assert_eq!(put(&controller, body.clone()).await.status, 403);
        let editor = with_token(&store, &s.app, EDITOR).await;
        let a = put(
            &editor,
            json!({"version": -1, "assessment": "helt", "extra": 1}),
        )
        .await;
        assert_eq!(a.status, 422, "{}", a.body);
        let v = a.json();
        let fields: Vec<&str> = v["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert!(
            fields.contains(&"request")
                && fields.contains(&"version")
                && fields.contains(&"assessment"),
            "{fields:?}"
        );
        let a = put(
            &editor,
            json!({"version": 0, "analysis": "å".repeat(20_001)}),
        )
        .await;
        assert_eq!(a.status, 422);
        let a = editor
            .send_body(
                Method::PUT,
                &path,
                Some(("application/json", "{inte json".into())),
            )
            .await;
        assert_eq!(a.status, 400);
        let a = put(&editor, body.clone()).await;
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.json()["version"], 1);
        assert_eq!(a.json()["assessment"], "met");
        let a = put(&editor, body.clone()).await;
        assert_eq!(a.status, 409, "{}", a.body);
        assert_eq!(a.json()["error"]["code"], "conflict");
        let a = put(
            &editor,
            json!({"version": 1, "assessment": null, "analysis": null}),
        )
        .await;
        assert_eq!(a.status, 200);
        assert!(a.json()["assessment"].is_null());
        // It reads back for a role on the board.
        let v = editor.get(&api(d.board, "annual_report")).await.json();
        let g = v["goals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["id"] == goal.0)
            .unwrap()
            .clone();
        assert_eq!(g["own_assessment"]["version"], 2);
        // A goal that is not of the board or above it, of another year, or a node without a
        // roll-up: 404.
        let other = format!("{}/goals/999999/assessment", api(d.board, "annual_report"));
        assert_eq!(
            editor
                .json(Method::PUT, &other, Some(body.clone()))
                .await
                .status,
            404
        );
        let unit = format!(
            "{}/goals/{goal}/assessment",
            api(d.units[0], "annual_report")
        );
        assert_eq!(
            editor
                .json(Method::PUT, &unit, Some(body.clone()))
                .await
                .status,
            404
        );
    }
);

both_backends!(
    the_rollups_are_linked_from_the_tree_the_node_and_my_work,
    |store: Store| async move {
        let s = setup(&store).await;
        let d = &s.d;
        let public = anonymous(&s.app);
        let start = public.get("/").await.body;
        let list = format!("/organisation/{}/uppfoljning", d.board);
        assert!(start.contains(&format!("href=\"{list}\"")), "{start}");
        let a = public.get(&list).await;
        assert_eq!(a.status, StatusCode::OK);
        assert!(a.body.contains(&page(d.board, "vb")));
        assert_eq!(
            public
                .get(&format!("/organisation/{}/uppfoljning", d.units[0]))
                .await
                .status,
            404
        );
        let admin = signed_in(&store, &s.app, ADMIN).await;
        let node = admin
            .get(&format!("/admin/organisation/{}", d.departments[0]))
            .await;
        assert_eq!(node.status, StatusCode::OK, "{}", node.body);
        assert!(
            node.body.contains("/uppfoljning\">Uppföljning"),
            "{}",
            node.body
        );
        let controller = signed_in(&store, &s.app, CONTROLLER).await;
        let work = controller.get("/").await.body;
        let administration = name_of(&store, d.administration).await;
        assert!(
            work.contains(&format!("Uppföljning av enheterna: {administration}")),
            "{work}"
        );
        assert!(work.contains(&format!("/organisation/{}/uppfoljning/", d.administration)));
    }
);
