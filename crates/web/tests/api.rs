//! The API's contract: the OpenAPI document generated from the API's types describes every
//! answer the demo gives (organisation, units, plans, reports, errors), field for field; and
//! the address rules that pages and API share (report kinds, impossible years, 405s).

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use malkedja_store::{Store, both_backends};
use serde_json::{Value, json};
use tower::ServiceExt;

struct Answer {
    method: Method,
    path: String,
    status: StatusCode,
    content_type: String,
    location: Option<String>,
    allow: Option<String>,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| {
            panic!(
                "{} {}: not JSON ({e}): {}",
                self.method, self.path, self.body
            )
        })
    }
}

async fn call(app: &Router, method: Method, path: &str) -> Answer {
    let res = app
        .clone()
        .oneshot(
            Request::builder()
                .method(method.clone())
                .uri(path)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let header = |name| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let content_type = header(header::CONTENT_TYPE).unwrap_or_default();
    let location = header(header::LOCATION);
    let allow = header(header::ALLOW);
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Answer {
        method,
        path: path.to_string(),
        status,
        content_type,
        location,
        allow,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

async fn get(app: &Router, path: &str) -> Answer {
    call(app, Method::GET, path).await
}

async fn demo_app(store: &Store) -> Router {
    malkedja_store::demo::load(store, &|_| {})
        .await
        .unwrap()
        .expect("demo loads into an empty database");
    common::reader_router(store).await
}

fn document() -> Value {
    serde_json::to_value(malkedja_web::openapi()).unwrap()
}

/// Follows a local `$ref` ("#/components/…") in the document.
fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let target = doc
                .pointer(r.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("dangling $ref {r}"));
            resolve(doc, target)
        }
        None => v,
    }
}

/// The document's path template that `path` matches ("/api/v1/units/7" → "/api/v1/units/{id}").
fn template_of(doc: &Value, path: &str) -> Option<String> {
    let path = path.split('?').next().unwrap_or(path);
    let parts: Vec<&str> = path.split('/').collect();
    doc["paths"].as_object()?.keys().find_map(|t| {
        let tp: Vec<&str> = t.split('/').collect();
        (tp.len() == parts.len()
            && tp
                .iter()
                .zip(&parts)
                .all(|(a, b)| a == b || (a.starts_with('{') && a.ends_with('}'))))
        .then(|| t.clone())
    })
}

/// The errors of `body` against the schema of `schema`, for `what`.
fn schema_errors(doc: &Value, schema: Value, body: &Value, what: &str) -> Vec<String> {
    let mut root = schema;
    root["components"] = doc["components"].clone();
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&root)
        .unwrap_or_else(|e| panic!("{what}: the document's schema does not compile: {e}"));
    validator
        .iter_errors(body)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(10)
        .collect()
}

/// Checks an answer against the document: its status is documented for the operation, its
/// body is JSON and valid against the documented schema. Answers to addresses or methods
/// the document does not list (404, 405) must be an `ErrorBody`.
fn assert_described(doc: &Value, a: &Answer) {
    let what = format!("{} {} → {}", a.method, a.path, a.status);
    let operation = template_of(doc, &a.path).and_then(|t| {
        doc["paths"][t.as_str()]
            .get(a.method.as_str().to_lowercase())
            .cloned()
    });
    let schema = match &operation {
        Some(op) => {
            let response = op["responses"]
                .get(a.status.as_str())
                .unwrap_or_else(|| panic!("{what}: status not documented"));
            let response = resolve(doc, response);
            match response.get("content") {
                None => {
                    assert!(a.body.is_empty(), "{what}: undocumented body {}", a.body);
                    return;
                }
                Some(content) => content
                    .get("application/json")
                    .unwrap_or_else(|| panic!("{what}: not documented as JSON"))["schema"]
                    .clone(),
            }
        }
        None => {
            assert!(
                matches!(
                    a.status,
                    StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED
                ),
                "{what}: no operation"
            );
            json!({"$ref": "#/components/schemas/ErrorBody"})
        }
    };
    assert!(
        a.content_type.starts_with("application/json"),
        "{what}: content type {}",
        a.content_type
    );
    let errors = schema_errors(doc, schema, &a.json(), &what);
    assert!(
        errors.is_empty(),
        "{what}: outside the schema:\n{}",
        errors.join("\n")
    );
}

/// The first indicator of a plan's or report's cascade, depth first.
fn first_indicator(doc: &mut Value) -> Option<&mut Value> {
    fn find(g: &mut Value) -> Option<&mut Value> {
        if g["indicators"].as_array().is_some_and(|a| !a.is_empty()) {
            return g["indicators"].get_mut(0);
        }
        g["children"].as_array_mut()?.iter_mut().find_map(find)
    }
    doc["goals"].as_array_mut()?.iter_mut().find_map(find)
}

both_backends!(
    every_answer_of_the_demo_is_described_by_the_document,
    |store: Store| async move {
        let app = demo_app(&store).await;
        let doc = document();
        let served = get(&app, "/api/v1/openapi.json").await;
        assert_eq!(served.status, StatusCode::OK);
        assert_eq!(
            served.json(),
            doc,
            "the served document is the generated one"
        );

        let mut answers = vec![get(&app, "/healthz").await, served];
        let org = get(&app, "/api/v1/org").await;
        assert_eq!(org.status, StatusCode::OK);
        fn units(n: &Value, out: &mut Vec<i64>) {
            if n["kind"] == "unit" {
                out.push(n["id"].as_i64().unwrap());
            }
            for c in n["children"].as_array().unwrap() {
                units(c, out);
            }
        }
        let mut ids = Vec::new();
        for root in org.json().as_array().unwrap() {
            units(root, &mut ids);
        }
        // Every board's, administration's and department's roll-up of the demo's years.
        fn rolled(n: &Value, out: &mut Vec<i64>) {
            if ["board", "administration", "department"].contains(&n["kind"].as_str().unwrap()) {
                out.push(n["id"].as_i64().unwrap());
            }
            for c in n["children"].as_array().unwrap() {
                rolled(c, out);
            }
        }
        let mut nodes = Vec::new();
        for root in org.json().as_array().unwrap() {
            rolled(root, &mut nodes);
        }
        assert!(!nodes.is_empty());
        for node in &nodes {
            for (year, kind) in [(2025, "annual_report"), (2026, "tertial1")] {
                let a = get(&app, &format!("/api/v1/org/{node}/rollup/{year}/{kind}")).await;
                assert_eq!(a.status, StatusCode::OK, "{}: {}", a.path, a.body);
                answers.push(a);
            }
        }
        assert!(ids.len() >= 2, "the demo has units");
        answers.push(org);

        let (mut plans, mut reports) = (0, 0);
        for id in &ids {
            let unit = get(&app, &format!("/api/v1/units/{id}")).await;
            assert_eq!(unit.status, StatusCode::OK, "{}", unit.body);
            let json = unit.json();
            answers.push(unit);
            // Every link a unit gives leads to a plan or a report.
            for plan in json["plans"].as_array().unwrap() {
                let a = get(&app, plan["href"].as_str().unwrap()).await;
                assert_eq!(a.status, StatusCode::OK, "{}: {}", a.path, a.body);
                assert_eq!(a.json()["year"], plan["year"]);
                answers.push(a);
                let history = format!("/api/v1/plans/{}/history?limit=20", plan["id"]);
                let a = get(&app, &history).await;
                assert_eq!(a.status, StatusCode::OK, "{}: {}", a.path, a.body);
                answers.push(a);
                plans += 1;
                for report in plan["reports"].as_array().unwrap() {
                    let a = get(&app, report["href"].as_str().unwrap()).await;
                    assert_eq!(a.status, StatusCode::OK, "{}: {}", a.path, a.body);
                    assert_eq!(a.json()["kind"], report["kind"]);
                    answers.push(a);
                    reports += 1;
                }
            }
        }
        assert!(
            plans >= ids.len() && reports > 0,
            "{plans} plans, {reports} reports"
        );

        let unit = ids[0];
        for (path, status) in [
            ("/api/v1/units/abc".to_string(), 400),
            ("/api/v1/units/0".to_string(), 400),
            ("/api/v1/units/-3".to_string(), 400),
            ("/api/v1/units/99999999999999999999".to_string(), 400),
            ("/api/v1/units/%FF".to_string(), 400),
            (format!("/api/v1/units/{unit}/plans/abc"), 400),
            (format!("/api/v1/units/{unit}/plans/0"), 400),
            (format!("/api/v1/units/{unit}/plans/99999999999"), 400),
            (format!("/api/v1/units/{unit}/reports/2025/t3"), 400),
            (format!("/api/v1/units/{unit}/reports/0/tertial1"), 400),
            ("/api/v1/plans/abc/history".to_string(), 400),
            ("/api/v1/plans/1/history?limit=0".to_string(), 400),
            ("/api/v1/plans/999999/history".to_string(), 404),
            ("/api/v1/units/999999".to_string(), 404),
            ("/api/v1/units/999999/plans/2025".to_string(), 404),
            (format!("/api/v1/units/{unit}/plans/1999"), 404),
            (
                format!("/api/v1/units/{unit}/reports/1999/annual_report"),
                404,
            ),
            ("/api/v1/nothing".to_string(), 404),
            ("/api/v1/units/1/plans".to_string(), 404),
        ] {
            let a = get(&app, &path).await;
            assert_eq!(a.status.as_u16(), status, "{path}: {}", a.body);
            let code = if status == 400 {
                "bad_request"
            } else {
                "not_found"
            };
            assert_eq!(a.json()["error"]["code"], code, "{path}");
            answers.push(a);
        }
        for (method, path) in [
            (Method::POST, "/api/v1/org".to_string()),
            (Method::DELETE, format!("/api/v1/units/{unit}")),
            (Method::PUT, format!("/api/v1/units/{unit}/plans/2025")),
            (Method::POST, "/api/v1/openapi.json".to_string()),
            (Method::POST, "/healthz".to_string()),
        ] {
            let a = call(&app, method, &path).await;
            assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED, "{path}");
            assert_eq!(a.allow.as_deref(), Some("GET,HEAD"), "{path}");
            assert_eq!(a.json()["error"]["code"], "method_not_allowed", "{path}");
            answers.push(a);
        }
        for a in &answers {
            assert_described(&doc, a);
        }

        // The check has teeth: labels instead of codes, a missing report field, an extra
        // field, an id of 0 and a year out of range are each outside the schema.
        let report = answers
            .iter()
            .find(|a| a.path.contains("/reports/"))
            .unwrap()
            .json();
        let schema = json!({"$ref": "#/components/schemas/Report"});
        assert!(schema_errors(&doc, schema.clone(), &report, "report").is_empty());
        let mut spoiled = Vec::new();
        let mut with = |f: &dyn Fn(&mut Value)| {
            let mut r = report.clone();
            f(&mut r);
            spoiled.push(r);
        };
        with(&|r| r["goals"][0]["level"] = json!("KF:s inriktningsmål"));
        with(&|r| {
            let i = first_indicator(r).expect("the report has an indicator");
            i["periodicity"] = json!("År");
        });
        with(&|r| {
            let i = first_indicator(r).expect("the report has an indicator");
            i.as_object_mut().unwrap().remove("outcome_women");
        });
        with(&|r| {
            r["goals"][0].as_object_mut().unwrap().remove("assessment");
        });
        with(&|r| r["goals"][0]["extra"] = json!(1));
        with(&|r| r["id"] = json!(0));
        with(&|r| r["year"] = json!(99999));
        with(&|r| r["kind"] = json!("vb"));
        for (i, r) in spoiled.iter().enumerate() {
            assert!(
                !schema_errors(&doc, schema.clone(), r, "spoiled").is_empty(),
                "spoiled report {i} passes"
            );
        }
    }
);

#[tokio::test]
async fn an_unreachable_database_is_503_as_the_document_says() {
    let db = malkedja_store::testing::sqlite().await;
    let app = malkedja_web::router(db.store.clone());
    db.store.close().await;
    let doc = document();
    for path in [
        "/healthz",
        "/api/v1/org",
        "/api/v1/units/5",
        "/api/v1/units/5/plans/2025",
        "/api/v1/units/5/reports/2025/annual_report",
    ] {
        let a = get(&app, path).await;
        assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert_described(&doc, &a);
    }
    let page = get(&app, "/enheter/5").await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.content_type.starts_with("text/html"));
    db.finish().await;
}

#[test]
fn the_document_is_complete_and_strict() {
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    let schemas = doc["components"]["schemas"].as_object().unwrap();

    // Every object lists all its fields as required and allows no others.
    fn objects<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
        if v.get("properties").is_some() {
            out.push(v);
        }
        for key in ["oneOf", "allOf", "anyOf"] {
            for s in v[key].as_array().into_iter().flatten() {
                objects(s, out);
            }
        }
    }
    // What is only ever sent (request bodies, and what they hold) may leave fields out:
    // a change names only what it changes.
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(o) => {
                if let Some(r) = o.get("$ref").and_then(Value::as_str) {
                    out.push(r.rsplit('/').next().unwrap_or_default().to_string());
                }
                o.values().for_each(|x| refs(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    let mut sent = Vec::new();
    for item in doc["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            refs(&op["requestBody"], &mut sent);
        }
    }
    let mut i = 0;
    while i < sent.len() {
        let mut inner = Vec::new();
        refs(&schemas[&sent[i]], &mut inner);
        for r in inner {
            if !sent.contains(&r) {
                sent.push(r);
            }
        }
        i += 1;
    }
    assert!(sent.iter().any(|s| s == "GoalPatch"), "{sent:?}");
    for (name, schema) in schemas {
        let mut found = Vec::new();
        objects(schema, &mut found);
        for object in found {
            let mut properties: Vec<&str> = object["properties"]
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            if name == "Health" {
                properties.retain(|p| *p != "message");
            }
            let mut required: Vec<&str> = object["required"]
                .as_array()
                .unwrap_or_else(|| panic!("{name} has no required list"))
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            properties.sort();
            required.sort();
            if sent.contains(name) {
                assert!(
                    required.iter().all(|r| properties.contains(r)),
                    "{name}: requires only its fields"
                );
            } else {
                assert_eq!(required, properties, "{name}: every field is required");
            }
            assert_eq!(
                object["additionalProperties"],
                json!(false),
                "{name}: no other fields"
            );
        }
    }

    // The report's own fields.
    let field = |schema: &str, f: &str| schemas[schema]["properties"].get(f).is_some();
    for f in ["assessment", "analysis"] {
        assert!(field("ReportGoal", f), "ReportGoal.{f}");
    }
    for f in [
        "outcome",
        "outcome_men",
        "outcome_women",
        "previous",
        "period",
        "analysis",
    ] {
        assert!(field("ReportIndicator", f), "ReportIndicator.{f}");
    }
    for f in ["status", "analysis"] {
        assert!(field("ReportActivity", f), "ReportActivity.{f}");
    }
    assert!(field("PlanLink", "reports"), "a unit links its reports");

    // Enumerations are codes.
    assert_eq!(schemas["Periodicity"]["enum"], json!(["year", "tertial"]));
    assert_eq!(
        schemas["ReportKind"]["enum"],
        json!(["tertial1", "tertial2", "annual_report"])
    );

    // Ids and years have their types and ranges.
    assert_eq!(schemas["Id"]["type"], "integer");
    assert_eq!(schemas["Id"]["format"], "int64");
    assert_eq!(schemas["Id"]["minimum"], 1);
    assert_eq!(schemas["Year"]["type"], "integer");
    assert!(schemas["Year"]["minimum"].as_i64().unwrap() >= 1);
    assert!(schemas["Year"]["maximum"].as_i64().unwrap() <= 9999);

    // Parameters are typed; every read can fail with 500 and 503.
    let report = &doc["paths"]["/api/v1/units/{id}/reports/{year}/{kind}"]["get"];
    let param = |name: &str| {
        report["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .map(|p| resolve(&doc, &p["schema"]).clone())
            .unwrap_or_else(|| panic!("no parameter {name}"))
    };
    assert_eq!(param("kind")["enum"], schemas["ReportKind"]["enum"]);
    assert_eq!(param("id"), schemas["Id"]);
    assert_eq!(param("year"), schemas["Year"]);
    for path in [
        "/api/v1/org",
        "/api/v1/units/{id}",
        "/api/v1/units/{id}/plans/{year}",
        "/api/v1/units/{id}/reports/{year}/{kind}",
    ] {
        let responses = &doc["paths"][path]["get"]["responses"];
        for status in ["200", "500", "503"] {
            assert!(responses.get(status).is_some(), "{path} documents {status}");
        }
        if path != "/api/v1/org" {
            for status in ["400", "404"] {
                assert!(responses.get(status).is_some(), "{path} documents {status}");
            }
        }
    }
    assert!(report["responses"].get("308").is_some());
}

both_backends!(
    report_kinds_redirect_to_each_sides_own_names,
    |store: Store| async move {
        let app = demo_app(&store).await;
        let org = get(&app, "/api/v1/org").await.json();
        fn first_unit(n: &Value) -> Option<i64> {
            if n["kind"] == "unit" {
                return n["id"].as_i64();
            }
            n["children"].as_array()?.iter().find_map(first_unit)
        }
        let unit = org.as_array().unwrap().iter().find_map(first_unit).unwrap();
        for (slug, code) in [
            ("t1", "tertial1"),
            ("t2", "tertial2"),
            ("vb", "annual_report"),
        ] {
            let a = get(&app, &format!("/api/v1/units/{unit}/reports/2025/{slug}")).await;
            assert_eq!(a.status, StatusCode::PERMANENT_REDIRECT, "API {slug}");
            assert_eq!(
                a.location.as_deref(),
                Some(format!("/api/v1/units/{unit}/reports/2025/{code}").as_str())
            );
            let a = get(&app, &format!("/enheter/{unit}/rapporter/2025/{code}")).await;
            assert_eq!(a.status, StatusCode::PERMANENT_REDIRECT, "page {code}");
            assert_eq!(
                a.location.as_deref(),
                Some(format!("/enheter/{unit}/rapporter/2025/{slug}").as_str())
            );
        }
        // The redirect leads to the report.
        let a = get(&app, &format!("/api/v1/units/{unit}/reports/2025/vb")).await;
        let b = get(&app, a.location.as_deref().unwrap()).await;
        assert_eq!(b.status, StatusCode::OK);
        assert_eq!(b.json()["kind"], "annual_report");
        let a = get(
            &app,
            &format!("/enheter/{unit}/rapporter/2025/annual_report"),
        )
        .await;
        let b = get(&app, a.location.as_deref().unwrap()).await;
        assert_eq!(b.status, StatusCode::OK);
        assert!(b.body.contains("Verksamhetsberättelse 2025"));
    }
);

both_backends!(
    pages_and_api_agree_on_impossible_addresses,
    |store: Store| async move {
        let app = demo_app(&store).await;
        let org = get(&app, "/api/v1/org").await.json();
        fn first_unit(n: &Value) -> Option<i64> {
            if n["kind"] == "unit" {
                return n["id"].as_i64();
            }
            n["children"].as_array()?.iter().find_map(first_unit)
        }
        let unit = org.as_array().unwrap().iter().find_map(first_unit).unwrap();
        for year in ["0", "99999999999", "abc", "-1", "1899", "3000", "20x5"] {
            for (page, api) in [
                (
                    format!("/enheter/{unit}/planer/{year}"),
                    format!("/api/v1/units/{unit}/plans/{year}"),
                ),
                (
                    format!("/enheter/{unit}/rapporter/{year}/vb"),
                    format!("/api/v1/units/{unit}/reports/{year}/annual_report"),
                ),
            ] {
                let p = get(&app, &page).await;
                let a = get(&app, &api).await;
                assert_eq!(p.status, StatusCode::BAD_REQUEST, "{page}");
                assert_eq!(a.status, StatusCode::BAD_REQUEST, "{api}");
                assert!(p.content_type.starts_with("text/html"), "{page}");
                assert!(p.body.contains("Felaktig adress"), "{page}");
                assert_eq!(a.json()["error"]["fields"][0]["field"], "year", "{api}");
            }
        }
        for id in ["abc", "0", "-1"] {
            assert_eq!(
                get(&app, &format!("/enheter/{id}")).await.status,
                StatusCode::BAD_REQUEST
            );
            assert_eq!(
                get(&app, &format!("/api/v1/units/{id}")).await.status,
                StatusCode::BAD_REQUEST
            );
        }
        // A page's report kind that names nothing is a bad address too.
        let p = get(&app, &format!("/enheter/{unit}/rapporter/2025/t3")).await;
        assert_eq!(p.status, StatusCode::BAD_REQUEST);
        assert!(p.body.contains("t1, t2 eller vb"));
        // A page asked with another method says so in Swedish, with Allow.
        let p = call(&app, Method::POST, &format!("/enheter/{unit}")).await;
        assert_eq!(p.status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(p.allow.as_deref(), Some("GET,HEAD"));
        assert!(p.body.contains("<html lang=\"sv\">"));
    }
);

/// The seed documents (`../shared/seeds`), or none with a notice when the corpus is absent
/// (under `CI=true` it must be there).
fn seeds() -> Vec<(String, Vec<u8>)> {
    let dir = std::env::var_os("MALKEDJA_CORPUS_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
        })
        .join("seeds");
    let mut found: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .filter_map(|p| {
                    let name = p.file_name()?.to_string_lossy().into_owned();
                    Some((name, std::fs::read(&p).ok()?))
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    if found.is_empty() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!(
                "the seed documents are missing from {}, and under CI=true they must be there",
                dir.display()
            );
        }
        eprintln!(
            "NOTICE: seed API test skipped: no seeds in {}",
            dir.display()
        );
    }
    found
}

/// Real documents are richer than the demo (outcomes split by sex, targets set by the
/// board, complaints): each seed, imported alone, is answered as the document says.
#[tokio::test]
async fn imported_documents_are_described_by_the_document() {
    let doc = document();
    for (name, bytes) in seeds() {
        let db = malkedja_store::testing::sqlite().await;
        let parsed = malkedja_import::parse_bytes(&bytes).unwrap();
        let mut w = db.store.begin_write("import").await.unwrap();
        let summary = malkedja_store::import::import_document(&mut w, &parsed, &Default::default())
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        w.commit().await.unwrap();
        let app = common::reader_router(&db.store).await;
        let unit = get(&app, &format!("/api/v1/units/{}", summary.unit_id)).await;
        assert_eq!(unit.status, StatusCode::OK, "{name}");
        let json = unit.json();
        assert_described(&doc, &unit);
        let mut documents = 0;
        for plan in json["plans"].as_array().unwrap() {
            let a = get(&app, plan["href"].as_str().unwrap()).await;
            assert_eq!(a.status, StatusCode::OK, "{name}: {}", a.path);
            assert_described(&doc, &a);
            documents += 1;
            for report in plan["reports"].as_array().unwrap() {
                let a = get(&app, report["href"].as_str().unwrap()).await;
                assert_eq!(a.status, StatusCode::OK, "{name}: {}", a.path);
                assert_described(&doc, &a);
                documents += 1;
            }
        }
        assert!(documents >= 1, "{name}: the unit links what was imported");
        db.finish().await;
    }
}
