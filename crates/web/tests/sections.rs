//! Writing a plan's own sections, through the router, on both backends, with the demo: the
//! edit page (form, save, conflict, validation, escaping, read-only plans) and the API's
//! `PUT …/sections/{key}`.

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use malkedja_domain::{NodeId, PlanDocument, PlanSectionView, PlanStatus};
use malkedja_store::{Store, both_backends};
use serde_json::{Value, json};
use tower::ServiceExt;

const HOST: &str = "malkedja.test";
const ORIGIN: &str = "http://malkedja.test";
const MANAGER: &str = "enhetschef@demo.malkedja.se";
const READER: &str = "lasare@demo.malkedja.se";
const UNIT: &str = "Enheten för socialpsykiatriskt stöd";

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The value of the hidden field `name` of the page.
    fn hidden(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let at = self
            .body
            .find(&marker)
            .unwrap_or_else(|| panic!("no field {name}: {}", self.body));
        let rest = &self.body[at + marker.len()..];
        rest[..rest.find('"').unwrap()].to_string()
    }

    /// What the page's text field holds (as HTML).
    fn textarea(&self) -> &str {
        let at = self
            .body
            .find("<textarea")
            .unwrap_or_else(|| panic!("no text field: {}", self.body));
        let rest = &self.body[at..];
        let start = rest.find('>').unwrap() + 1;
        let end = rest.find("</textarea>").unwrap();
        &rest[start..end]
    }
}

#[derive(Clone)]
struct Client {
    app: Router,
    cookie: Option<String>,
    bearer: Option<String>,
}

impl Client {
    async fn send(
        &self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: String,
        csrf_header: Option<&str>,
    ) -> Answer {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, HOST)
            .header(header::ORIGIN, ORIGIN);
        if let Some(c) = &self.cookie {
            req = req.header(header::COOKIE, c.as_str());
        }
        if let Some(b) = &self.bearer {
            req = req.header(header::AUTHORIZATION, format!("Bearer {b}"));
        }
        if let Some(t) = content_type {
            req = req.header(header::CONTENT_TYPE, t);
        }
        if let Some(t) = csrf_header {
            req = req.header("x-csrf-token", t);
        }
        let res = self
            .app
            .clone()
            .oneshot(req.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn get(&self, path: &str) -> Answer {
        self.send(Method::GET, path, None, String::new(), None)
            .await
    }

    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let form = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        self.send(
            Method::POST,
            path,
            Some("application/x-www-form-urlencoded"),
            form,
            None,
        )
        .await
    }

    async fn put_json(&self, path: &str, body: &str) -> Answer {
        self.send(
            Method::PUT,
            path,
            Some("application/json"),
            body.to_string(),
            None,
        )
        .await
    }
}

struct Demo {
    app: Router,
    unit: NodeId,
    year: i32,
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
    let mut year = None;
    for y in store.years().await.unwrap() {
        if let Some(doc) = store.plan_document(unit, y).await.unwrap()
            && doc.plan.status == PlanStatus::Draft
        {
            year = Some(y);
        }
    }
    Demo {
        app: malkedja_web::router(store.clone()),
        unit,
        year: year.expect("the unit has a draft plan"),
    }
}

/// A demo person signed in (a session made directly).
async fn signed_in(store: &Store, app: &Router, email: &str) -> Client {
    let account = store
        .account_by_email(email)
        .await
        .unwrap()
        .expect("a demo account");
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
    Client {
        app: app.clone(),
        cookie: Some(format!("malkedja_session={}", session.secret.as_str())),
        bearer: None,
    }
}

/// A demo person's program, with an API token made in the store.
async fn with_token(store: &Store, app: &Router, email: &str) -> Client {
    let account = store.account_by_email(email).await.unwrap().unwrap();
    let mut w = store.begin_write("test").await.unwrap();
    let (_, secret) = w.create_token(account.id, "prov", None).await.unwrap();
    w.commit().await.unwrap();
    Client {
        app: app.clone(),
        cookie: None,
        bearer: Some(secret.as_str().to_string()),
    }
}

fn anonymous(app: &Router) -> Client {
    Client {
        app: app.clone(),
        cookie: None,
        bearer: None,
    }
}

/// Every section of the document, depth first.
fn all_sections(doc: &PlanDocument) -> Vec<&PlanSectionView> {
    fn walk<'a>(s: &'a [PlanSectionView], out: &mut Vec<&'a PlanSectionView>) {
        for x in s {
            out.push(x);
            walk(&x.children, out);
        }
    }
    let mut out = Vec::new();
    walk(&doc.sections_before, &mut out);
    walk(&doc.sections_after, &mut out);
    out
}

async fn section(store: &Store, d: &Demo, key: &str) -> PlanSectionView {
    let doc = store.plan_document(d.unit, d.year).await.unwrap().unwrap();
    all_sections(&doc)
        .into_iter()
        .find(|s| s.key == key)
        .cloned()
        .unwrap()
}

/// A section with guidance: (key, heading).
async fn a_section(store: &Store, d: &Demo) -> (String, String) {
    let doc = store.plan_document(d.unit, d.year).await.unwrap().unwrap();
    let s = all_sections(&doc)
        .into_iter()
        .find(|s| !s.guidance.is_empty())
        .expect("a section with guidance");
    (s.key.clone(), s.heading.clone())
}

both_backends!(
    the_manager_writes_a_section_and_sees_it_on_the_plan,
    |store: Store| async move {
        let d = demo(&store).await;
        let (key, heading) = a_section(&store, &d).await;
        let plan = format!("/enheter/{}/planer/{}", d.unit, d.year);
        let edit = format!("{plan}/avsnitt/{key}");
        let manager = signed_in(&store, &d.app, MANAGER).await;

        // The plan links every section to its edit page.
        let page = manager.get(&plan).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains(&format!("href=\"{edit}\"")),
            "{}",
            page.body
        );
        assert!(page.body.contains(&format!(
            "<span class=\"visually-hidden\"> {heading}</span></a>"
        )));

        // The form: a labelled field, the guidance beside it, the version, the token.
        let form = manager.get(&edit).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        assert!(form.body.contains("<label for=\"text\">"));
        assert!(form.body.contains("<details class=\"guidance\" open>"));
        assert!(form.body.contains(">Spara</button>"));
        assert!(
            form.body
                .contains(&format!("href=\"{plan}#avsnitt-{key}\""))
        );
        let version = form.hidden("version");
        let before = section(&store, &d, &key).await;
        assert_eq!(version, before.version.to_string());

        // Saving: back to the plan at the section, which says it is saved.
        let text = "Vi arbetar nära brukarna.\r\n\r\n<script>alert(1)</script> & <b>fet</b>";
        let a = manager
            .post(
                &edit,
                &[
                    ("csrf", &form.hidden("csrf")),
                    ("version", &version),
                    ("body", text),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(a.location(), format!("{plan}?sparat={key}#avsnitt-{key}"));
        let saved = section(&store, &d, &key).await;
        assert_eq!(
            saved.body,
            "Vi arbetar nära brukarna.\n\n<script>alert(1)</script> & <b>fet</b>"
        );
        assert_eq!(saved.version, before.version + 1);
        let page = manager.get(a.location()).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Avsnittet är sparat."));
        assert!(page.body.contains("Vi arbetar nära brukarna."));
        // HTML in the text is text.
        assert!(!page.body.contains("<script>alert(1)</script>"));
        assert!(!page.body.contains("<b>fet</b>"));
        // (escaped as entities by name or by number, depending on the filter)
        let shown = page
            .body
            .replace("&#60;", "&lt;")
            .replace("&#62;", "&gt;")
            .replace("&#38;", "&amp;");
        assert!(
            shown.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;fet&lt;/b&gt;")
        );
        let form = manager.get(&edit).await;
        assert!(
            form.textarea().contains("&lt;script&gt;")
                || form.textarea().contains("&#60;script&#62;"),
            "{}",
            form.textarea()
        );
        assert!(!form.body.contains("<script>alert"));

        // The public sees no links, and a reader elsewhere no page.
        let reader = signed_in(&store, &d.app, READER).await;
        let a = reader.get(&edit).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        let a = reader
            .post(&edit, &[("csrf", "x"), ("version", "1"), ("body", "x")])
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        let a = anonymous(&d.app).get(&edit).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        assert!(a.body.contains("<h1>Logga in</h1>"));
        assert_eq!(section(&store, &d, &key).await.body, saved.body);
    }
);

both_backends!(
    a_stale_version_shows_both_texts_and_loses_nothing,
    |store: Store| async move {
        let d = demo(&store).await;
        let (key, _) = a_section(&store, &d).await;
        let edit = format!("/enheter/{}/planer/{}/avsnitt/{key}", d.unit, d.year);
        let manager = signed_in(&store, &d.app, MANAGER).await;
        let form = manager.get(&edit).await;
        let (csrf, version) = (form.hidden("csrf"), form.hidden("version"));
        // Someone else saves first.
        let theirs = manager
            .post(
                &edit,
                &[
                    ("csrf", &csrf),
                    ("version", &version),
                    ("body", "Deras text."),
                ],
            )
            .await;
        assert_eq!(theirs.status, StatusCode::SEE_OTHER);
        let a = manager
            .post(
                &edit,
                &[
                    ("csrf", &csrf),
                    ("version", &version),
                    ("body", "Min text."),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
        assert!(a.body.contains("Deras text."));
        assert_eq!(a.textarea(), "Min text.");
        assert!(a.body.contains("class=\"error-summary\""));
        assert!(a.body.contains("href=\"#text\""));
        let now = section(&store, &d, &key).await;
        assert_eq!(now.body, "Deras text.");
        assert_eq!(a.hidden("version"), now.version.to_string());
        // Saving again from the conflict page overwrites, knowingly.
        let again = manager
            .post(
                &edit,
                &[
                    ("csrf", &csrf),
                    ("version", &a.hidden("version")),
                    ("body", "Min text."),
                ],
            )
            .await;
        assert_eq!(again.status, StatusCode::SEE_OTHER);
        assert_eq!(section(&store, &d, &key).await.body, "Min text.");
    }
);

both_backends!(
    a_refused_text_comes_back_as_typed,
    |store: Store| async move {
        let d = demo(&store).await;
        let (key, _) = a_section(&store, &d).await;
        let edit = format!("/enheter/{}/planer/{}/avsnitt/{key}", d.unit, d.year);
        let manager = signed_in(&store, &d.app, MANAGER).await;
        let form = manager.get(&edit).await;
        let (csrf, version) = (form.hidden("csrf"), form.hidden("version"));
        let before = section(&store, &d, &key).await;

        let long = "å".repeat(20_001);
        let a = manager
            .post(
                &edit,
                &[("csrf", &csrf), ("version", &version), ("body", &long)],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(a.textarea(), long);
        assert!(a.body.contains("högst 20\u{a0}000 tecken"), "{}", a.body);
        assert!(a.body.contains("id=\"text-fel\""));
        assert!(a.body.contains("aria-invalid=\"true\""));
        assert!(a.body.contains("<a href=\"#text\">"));
        assert_eq!(a.hidden("version"), version);

        let a = manager
            .post(
                &edit,
                &[("csrf", &csrf), ("version", "tre"), ("body", "Text.")],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(a.textarea(), "Text.");
        assert!(a.body.contains("Texten som är sparad nu"));
        assert_eq!(section(&store, &d, &key).await.body, before.body);

        // No such section, plan or unit.
        for path in [
            format!("/enheter/{}/planer/{}/avsnitt/finns-inte", d.unit, d.year),
            format!("/enheter/{}/planer/1990/avsnitt/{key}", d.unit),
            format!("/enheter/999999/planer/{}/avsnitt/{key}", d.year),
        ] {
            assert_eq!(
                manager.get(&path).await.status,
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
    }
);

both_backends!(
    a_plan_not_open_for_writing_is_shown_read_only,
    |store: Store| async move {
        let d = demo(&store).await;
        let manager = signed_in(&store, &d.app, MANAGER).await;
        let mut approved = None;
        for y in store.years().await.unwrap() {
            if let Some(doc) = store.plan_document(d.unit, y).await.unwrap()
                && doc.plan.status == PlanStatus::Approved
            {
                approved = Some(doc);
            }
        }
        let doc = approved.expect("an approved plan");
        let s = all_sections(&doc)
            .into_iter()
            .find(|s| !s.body.trim().is_empty())
            .expect("a section with text")
            .clone();
        let plan = format!("/enheter/{}/planer/{}", d.unit, doc.plan.year);
        let edit = format!("{plan}/avsnitt/{}", s.key);
        let page = manager.get(&plan).await;
        assert!(!page.body.contains("/avsnitt/"), "no edit links");
        let a = manager.get(&edit).await;
        assert_eq!(a.status, StatusCode::OK);
        assert!(a.body.contains("Planen är godkänd"));
        assert!(!a.body.contains("<form class=\"form section-form\""));
        let csrf = manager.get("/").await.hidden("csrf");
        let a = manager
            .post(
                &edit,
                &[
                    ("csrf", &csrf),
                    ("version", &s.version.to_string()),
                    ("body", "Ny."),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::CONFLICT);
        assert!(a.body.contains("Planen är godkänd"));
        assert_eq!(a.textarea(), "Ny.");
        let api = manager
            .send(
                Method::PUT,
                &format!(
                    "/api/v1/units/{}/plans/{}/sections/{}",
                    d.unit, doc.plan.year, s.key
                ),
                Some("application/json"),
                json!({"version": s.version, "body": "Ny."}).to_string(),
                Some(&csrf),
            )
            .await;
        assert_eq!(api.status, StatusCode::CONFLICT, "{}", api.body);
        assert_eq!(api.json()["error"]["code"], "conflict");
        let after = store
            .plan_document(d.unit, doc.plan.year)
            .await
            .unwrap()
            .unwrap();
        let kept = all_sections(&after)
            .into_iter()
            .find(|x| x.key == s.key)
            .unwrap()
            .body
            .clone();
        assert_eq!(kept, s.body);
    }
);

both_backends!(the_api_saves_a_section, |store: Store| async move {
    let d = demo(&store).await;
    let (key, _) = a_section(&store, &d).await;
    let path = format!("/api/v1/units/{}/plans/{}/sections/{key}", d.unit, d.year);
    let before = section(&store, &d, &key).await;

    // No token: 401.
    let a = anonymous(&d.app)
        .put_json(
            &path,
            &json!({"version": before.version, "body": "x"}).to_string(),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.json()["error"]["code"], "unauthorized");

    let manager = with_token(&store, &d.app, MANAGER).await;
    let reader = with_token(&store, &d.app, READER).await;

    let a = reader
        .put_json(
            &path,
            &json!({"version": before.version, "body": "x"}).to_string(),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(a.json()["error"]["code"], "forbidden");

    let a = manager
        .put_json(
            &path,
            &json!({"version": before.version, "body": "Ny <text>."}).to_string(),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(
        a.json(),
        json!({"key": key, "body": "Ny <text>.", "version": before.version + 1})
    );

    // Stale: 409, nothing changed.
    let a = manager
        .put_json(
            &path,
            &json!({"version": before.version, "body": "Gammal."}).to_string(),
        )
        .await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert_eq!(a.json()["error"]["code"], "conflict");
    assert_eq!(section(&store, &d, &key).await.body, "Ny <text>.");

    // Values that cannot be used: 422 with the field.
    for (body, field) in [
        (json!({"version": "ett", "body": "x"}), "version"),
        (json!({"version": 1, "body": "x".repeat(20_001)}), "body"),
        (json!({"version": 1, "body": "x", "mer": 1}), "request"),
    ] {
        let a = manager.put_json(&path, &body.to_string()).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let v = a.json();
        assert_eq!(v["error"]["code"], "unprocessable");
        assert_eq!(v["error"]["fields"][0]["field"], field, "{v}");
    }
    // Not JSON: 400 in the same shape.
    for (ct, body) in [
        (Some("application/json"), "{\"version\": 1,"),
        (Some("text/plain"), "{}"),
        (None, "{}"),
    ] {
        let a = manager
            .send(Method::PUT, &path, ct, body.to_string(), None)
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{ct:?} {body}");
        assert_eq!(a.json()["error"]["code"], "bad_request");
    }
    // No such section, plan or unit: 404.
    for p in [
        format!(
            "/api/v1/units/{}/plans/{}/sections/finns-inte",
            d.unit, d.year
        ),
        format!("/api/v1/units/{}/plans/1990/sections/{key}", d.unit),
        format!("/api/v1/units/999999/plans/{}/sections/{key}", d.year),
    ] {
        let a = manager
            .put_json(&p, &json!({"version": 0, "body": "x"}).to_string())
            .await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{p}");
        assert_eq!(a.json()["error"]["code"], "not_found");
    }
    assert_eq!(section(&store, &d, &key).await.body, "Ny <text>.");
});

#[test]
fn the_document_describes_saving_a_section() {
    let doc = serde_json::to_value(malkedja_web::openapi()).unwrap();
    let op = &doc["paths"]["/api/v1/units/{id}/plans/{year}/sections/{key}"]["put"];
    for status in [
        "200", "400", "401", "403", "404", "409", "422", "500", "503",
    ] {
        assert!(op["responses"].get(status).is_some(), "documents {status}");
    }
    let update = &doc["components"]["schemas"]["SectionUpdate"];
    assert_eq!(update["properties"]["body"]["maxLength"], 20_000);
    assert_eq!(update["additionalProperties"], false);
    assert!(
        doc["components"]["schemas"]["ErrorCode"]["enum"]
            .as_array()
            .unwrap()
            .contains(&json!("unprocessable"))
    );
}
