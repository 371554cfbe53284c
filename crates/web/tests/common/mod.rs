//! What the web tests share: signing a test person in without going through the form.

#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use http_body_util::BodyExt;
use malkedja_domain::{Role, RoleGrant};
use malkedja_store::{Store, password};
use serde_json::Value;
use tower::ServiceExt;

/// A password that passes the rules, for test accounts.
pub const PASSWORD: &str = "testlösenord-för-prov";

/// Makes an account with `role` on every root of the organisation as it is now (no role
/// when there is none) and signs it in: the `Cookie` header value of its session.
pub async fn session_cookie(store: &Store, email: &str, role: Role) -> String {
    let roots: Vec<_> = store
        .org_nodes()
        .await
        .unwrap()
        .into_iter()
        .filter(|n| n.parent_id.is_none())
        .map(|n| n.id)
        .collect();
    let hash = password::hash(PASSWORD).await.unwrap();
    let mut w = store.begin_write("test").await.unwrap();
    let account = w.add_account(email, "Testperson", &hash).await.unwrap();
    for node_id in roots {
        w.grant_role(account.id, RoleGrant { role, node_id })
            .await
            .unwrap();
    }
    let session = w
        .create_session(
            account.id,
            malkedja_store::sessions::DEFAULT_IDLE,
            malkedja_store::sessions::DEFAULT_ABSOLUTE,
        )
        .await
        .unwrap();
    w.commit().await.unwrap();
    format!("malkedja_session={}", session.secret.as_str())
}

/// The application with every request signed in as a reader of the whole organisation:
/// for tests of what documents show, drafts included.
pub async fn reader_router(store: &Store) -> Router {
    let cookie = session_cookie(store, "lasare@test.se", Role::Reader).await;
    with_cookie(malkedja_web::router(store.clone()), cookie)
}

/// `app` with `cookie` on every request.
pub fn with_cookie(app: Router, cookie: String) -> Router {
    let value = HeaderValue::from_str(&cookie).unwrap();
    app.layer(axum::middleware::map_request(move |mut req: Request| {
        let value = value.clone();
        async move {
            req.headers_mut().insert(header::COOKIE, value);
            req
        }
    }))
}

pub const HOST: &str = "malkedja.test";
pub const ORIGIN: &str = "http://malkedja.test";

pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    /// The body as sent (files are not text).
    pub bytes: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The session cookie this answer sets: `Some("")` when it clears it.
    pub fn session_set(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| v.strip_prefix("malkedja_session="))
            .map(|v| v.split(';').next().unwrap_or("").to_string())
    }

    /// The value of the first hidden field `name` of the page.
    pub fn hidden(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let at = self
            .body
            .find(&marker)
            .unwrap_or_else(|| panic!("no field {name}: {}", self.body));
        let rest = &self.body[at + marker.len()..];
        rest[..rest.find('"').unwrap()].to_string()
    }

    /// Where a redirect leads.
    pub fn location(&self) -> &str {
        self.header(header::LOCATION)
    }

    /// The value of the hidden CSRF field of the page.
    pub fn csrf(&self) -> String {
        let at = self
            .body
            .find("name=\"csrf\" value=\"")
            .unwrap_or_else(|| panic!("no csrf field: {}", self.body));
        let rest = &self.body[at + "name=\"csrf\" value=\"".len()..];
        rest[..rest.find('"').unwrap()].to_string()
    }
}

/// An existing account (a demo person) signed in, with a session made in the store.
pub async fn signed_in(store: &Store, app: &Router, email: &str) -> Client {
    let account = store
        .account_by_email(email)
        .await
        .unwrap()
        .expect("an account");
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
        cookie: Some(session.secret.as_str().to_string()),
        ..Client::new(app)
    }
}

/// A program with an API token of an existing account (a demo person).
pub async fn with_token(store: &Store, app: &Router, email: &str) -> Client {
    let account = store
        .account_by_email(email)
        .await
        .unwrap()
        .expect("an account");
    let mut w = store.begin_write("test").await.unwrap();
    let (_, secret) = w.create_token(account.id, "prov", None).await.unwrap();
    w.commit().await.unwrap();
    Client {
        origin: None,
        bearer: Some(format!("Bearer {}", secret.as_str())),
        ..Client::new(app)
    }
}

/// A browser (or a program) talking to one router.
#[derive(Clone)]
pub struct Client {
    pub app: Router,
    pub cookie: Option<String>,
    pub origin: Option<&'static str>,
    pub bearer: Option<String>,
}

impl Client {
    pub fn new(app: &Router) -> Client {
        Client {
            app: app.clone(),
            cookie: None,
            origin: Some(ORIGIN),
            bearer: None,
        }
    }

    pub async fn send(&self, method: Method, path: &str, form: Option<String>) -> Answer {
        let body = form.map(|f| ("application/x-www-form-urlencoded", f));
        self.send_body(method, path, body).await
    }

    /// Sends JSON (`None`: no body).
    pub async fn json(&self, method: Method, path: &str, body: Option<Value>) -> Answer {
        let body = body.map(|b| ("application/json", b.to_string()));
        self.send_body(method, path, body).await
    }

    /// A request with a body of the given content type.
    pub async fn send_body(
        &self,
        method: Method,
        path: &str,
        body: Option<(&str, String)>,
    ) -> Answer {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, HOST);
        if let Some(c) = &self.cookie {
            req = req.header(header::COOKIE, format!("malkedja_session={c}"));
        }
        if let Some(o) = self.origin {
            req = req.header(header::ORIGIN, o);
        }
        if let Some(b) = &self.bearer {
            req = req.header(header::AUTHORIZATION, b.as_str());
        }
        let body = match body {
            Some((content_type, b)) => {
                req = req.header(header::CONTENT_TYPE, content_type);
                Body::from(b)
            }
            None => Body::empty(),
        };
        let res = self
            .app
            .clone()
            .oneshot(req.body(body).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let form = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        self.send(Method::POST, path, Some(form)).await
    }

    /// A form of these fields, posted.
    pub async fn post_pairs(&self, path: &str, fields: &[(String, String)]) -> Answer {
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.post(path, &pairs).await
    }

    /// Signs in through the form; keeps the session cookie on success.
    pub async fn sign_in(&mut self, email: &str, password: &str, till: &str) -> Answer {
        let csrf = if self.cookie.is_some() {
            self.get("/logga-in").await.csrf()
        } else {
            String::new()
        };
        let a = self
            .post(
                "/logga-in",
                &[
                    ("email", email),
                    ("password", password),
                    ("till", till),
                    ("csrf", &csrf),
                ],
            )
            .await;
        if let Some(c) = a.session_set().filter(|c| !c.is_empty()) {
            self.cookie = Some(c);
        }
        a
    }
}

/// Sets the unit's target (årsmål) of every indicator of its plan for `year` that has
/// none: what the plan check asks before the plan can be submitted.
pub async fn give_every_indicator_a_target(
    store: &Store,
    unit: malkedja_domain::NodeId,
    year: i32,
) {
    let doc = store.plan_document(unit, year).await.unwrap().unwrap();
    let mut w = store.begin_write("test").await.unwrap();
    for g in doc.goals.iter().flat_map(|g| g.walk()) {
        for i in g.indicators.iter().filter(|i| i.target.is_none()) {
            let target = malkedja_domain::Target::parse("100 %").unwrap();
            w.set_target(i.indicator.id, unit, &target).await.unwrap();
        }
    }
    w.commit().await.unwrap();
}

/// The demo's unit manager and reader (the manager's roles are on [`DEMO_UNIT`], the reader
/// reads everything).
pub const DEMO_MANAGER: &str = "enhetschef@demo.malkedja.se";
pub const DEMO_READER: &str = "lasare@demo.malkedja.se";
/// The demo's unit the manager writes for.
pub const DEMO_UNIT: &str = "Enheten för socialpsykiatriskt stöd";

/// The demo loaded, with the router and [`DEMO_UNIT`]: the years of its draft and of its
/// approved plan.
pub struct DemoPlan {
    pub app: Router,
    pub unit: malkedja_domain::NodeId,
    pub year: i32,
    pub approved: i32,
}

impl DemoPlan {
    pub async fn load(store: &Store) -> DemoPlan {
        use malkedja_domain::PlanStatus;
        let summary = malkedja_store::demo::load(store, &|_| {})
            .await
            .unwrap()
            .expect("demo loads");
        let unit = summary
            .units
            .iter()
            .find(|(_, name)| name == DEMO_UNIT)
            .expect("the demo has the unit")
            .0;
        let (mut draft, mut approved) = (None, None);
        for y in store.years().await.unwrap() {
            match store.plan(unit, y).await.unwrap().map(|p| p.status) {
                Some(PlanStatus::Draft) => draft = Some(y),
                Some(PlanStatus::Approved) => approved = Some(y),
                _ => {}
            }
        }
        DemoPlan {
            app: malkedja_web::router(store.clone()),
            unit,
            year: draft.expect("a draft plan"),
            approved: approved.expect("an approved plan"),
        }
    }

    /// A page of the draft plan: `page` "urval" is `/enheter/{unit}/planer/{year}/urval`.
    pub fn page(&self, page: &str) -> String {
        format!("/enheter/{}/planer/{}/{page}", self.unit, self.year)
    }
}

impl Answer {
    /// The value of the first field (`input`) of the page with this `id`, or hidden field
    /// with this `name`, as HTML.
    pub fn value_of(&self, attr: &str, key: &str) -> Option<String> {
        let marker = format!("{attr}=\"{key}\"");
        let at = self.body.find(&marker)?;
        let start = self.body[..at].rfind('<')?;
        let tag = &self.body[start..start + self.body[start..].find('>')?];
        let v = tag.find(" value=\"")? + " value=\"".len();
        Some(tag[v..v + tag[v..].find('"')?].to_string())
    }

    /// The tag of the element with this `id`.
    pub fn tag(&self, id: &str) -> &str {
        let marker = format!(" id=\"{id}\"");
        let at = self
            .body
            .find(&marker)
            .unwrap_or_else(|| panic!("no element {id}: {}", self.body));
        let start = self.body[..at].rfind('<').unwrap();
        &self.body[start..start + self.body[start..].find('>').unwrap() + 1]
    }
}
