//! Who is asking, and whether a state-changing request may go on: the one door every
//! request passes ([`authenticate`], a layer around the whole router).
//!
//! - **Authentication.** A request with `Authorization: Bearer mk_…` is its token's person
//!   (a bad token is 401 JSON, never anonymous); otherwise a request with a session cookie
//!   is its session's person; otherwise it is anonymous. One store query either way
//!   (`Store::token` or `Store::session`). A cookie that names no valid session (signed out
//!   elsewhere, expired, malformed) makes the request anonymous and is cleared.
//! - **CSRF.** A state-changing request (any method but GET, HEAD, OPTIONS) that carries a
//!   session cookie must come from our own origin (`Sec-Fetch-Site: same-origin`, or an
//!   `Origin` equal to ours) *and* carry the session's token: the form field `csrf` or the
//!   header `X-CSRF-Token`. A request with a bearer token carries no cookie and is exempt.
//!   A state-changing request without a cookie (the sign-in form) must still not come from
//!   another site when the browser says where it comes from. This layer judges; every
//!   route's guard (`routes.rs`) refuses a request judged so with a Swedish 403 page (or
//!   JSON under /api), before its handler.
//! - **Authorization** is [`Caller::authorize`], the only caller of
//!   [`malkedja_domain::may`] in this crate: handlers name the action and the target's chain,
//!   the policy decides. Routes are declared with the least they need (`routes.rs`), so a
//!   route that changes data cannot be reached anonymously.
//!
//! - **A one-time password must be changed first.** A person signed in (by session) whose
//!   account has a one-time password (`must_change_password`) is sent (303) to the password
//!   page from every other page and form, except signing in and out, the accessibility
//!   statement and the static files: [`PASSWORD_PAGE`]. The API is not affected.
//!
//! The person is also put in a task-local for the duration of the request, so that the
//! page frame (`base.html`) can show who is signed in, with a sign-out button carrying the
//! CSRF token, on every page including error pages: [`me`].

use crate::AppState;
use crate::error::{AppError, is_api};
use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use malkedja_domain::{Action, Denied, OrgNode, Who, may, may_somewhere};
use malkedja_store::SignedIn;
use std::net::SocketAddr;
use std::sync::Arc;
use time::OffsetDateTime;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "malkedja_session";
/// The form field that carries the session's CSRF token.
pub const CSRF_FIELD: &str = "csrf";
/// The header that carries it for scripts.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Where a person changes their own password, and is sent while they must.
pub const PASSWORD_PAGE: &str = "/konto/losenord";
/// The largest form body read for its CSRF token; larger state-changing bodies must send
/// the token in the header.
const FORM_LIMIT: usize = 1024 * 1024;

/// How the person proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A session cookie; `csrf` is the token its forms must carry.
    Session { secret: String, csrf: String },
    /// An API token (its id, never the token).
    Token { id: i64 },
}

/// A signed-in person, as this request sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub who: SignedIn,
    pub via: Via,
}

/// Who is asking. Every handler that decides something about access takes this.
#[derive(Debug, Clone, Default)]
pub struct Caller(Option<Arc<Person>>);

impl Caller {
    pub fn person(&self) -> Option<&Person> {
        self.0.as_deref()
    }

    fn who(&self) -> Who<'_> {
        match &self.0 {
            None => Who::Anonymous,
            Some(p) => Who::Person(&p.who.grants),
        }
    }

    /// Whether the policy lets this caller do `action` on the node whose chain (the node
    /// first, then its ancestors) is `chain`. The only place the web layer asks.
    pub fn authorize(&self, action: Action, chain: &[OrgNode]) -> Result<(), AppError> {
        may(self.who(), action, chain).map_err(AppError::Denied)
    }

    /// [`Caller::authorize`] as a yes or no: for showing or hiding a link.
    pub fn may(&self, action: Action, chain: &[OrgNode]) -> bool {
        self.authorize(action, chain).is_ok()
    }

    /// Whether the policy lets this caller do `action` on some node at all
    /// ([`malkedja_domain::may_somewhere`]): for offering a way to it before a target is
    /// chosen (the header's link to the administration pages).
    pub fn may_somewhere(&self, action: Action) -> bool {
        may_somewhere(self.who(), action)
    }

    /// The signed-in person, or the answer for someone who must sign in first.
    pub fn require_person(&self) -> Result<&Person, AppError> {
        self.person()
            .ok_or(AppError::Denied(Denied::SignInRequired))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = std::convert::Infallible;

    /// The caller [`authenticate`] found; anonymous if the layer is missing, so a
    /// misconfigured router can only ever give less access, never more.
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Caller>()
            .cloned()
            .unwrap_or_default())
    }
}

/// What the page frame shows of the signed-in person.
#[derive(Debug, Clone)]
pub struct Me {
    pub name: String,
    pub email: String,
    /// The CSRF token for forms; empty for a token-authenticated request (no forms).
    pub csrf: String,
    /// May administer people somewhere: the header links the administration pages.
    pub administers: bool,
    /// May administer the organisation and the year somewhere: the header links them.
    pub administers_org: bool,
    /// Signed in with a one-time password: nothing but choosing one's own is offered.
    pub must_change_password: bool,
}

tokio::task_local! {
    static FRAME: Frame;
}

/// What the page frame knows of the request being answered.
#[derive(Debug, Clone)]
struct Frame {
    me: Option<Me>,
    /// The address asked for, when it is a GET: where "Logga in" comes back to.
    here: Option<String>,
}

/// The signed-in person of the request being answered, for templates.
pub fn me() -> Option<Me> {
    FRAME.try_with(|f| f.me.clone()).ok().flatten()
}

/// The header's sign-in link: back to this page afterwards, when it is one to come back to.
pub fn sign_in_href() -> String {
    let here = FRAME.try_with(|f| f.here.clone()).ok().flatten();
    coming_back("/logga-in", here.as_deref())
}

/// `page`, with `?till=` the local address to come back to afterwards, if there is one.
fn coming_back(page: &str, return_to: Option<&str>) -> String {
    match return_to.and_then(crate::sign_in::local_path) {
        Some(till) if till != "/" => format!(
            "{page}?till={}",
            form_urlencoded::byte_serialize(till.as_bytes()).collect::<String>()
        ),
        _ => page.to_string(),
    }
}

/// The CSRF token of the request being answered, for forms (empty when not signed in).
pub fn csrf() -> String {
    me().map(|m| m.csrf).unwrap_or_default()
}

/// The client's address as the server saw the connection (no proxy headers are trusted).
pub fn client_address(extensions: &axum::http::Extensions) -> String {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "okänd".to_string())
}

/// The value of our session cookie in the request's `Cookie` headers, if any.
pub fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim_matches('"'))
}

/// The `Set-Cookie` value that gives the browser a session (`None`: clears it).
pub fn session_cookie_header(value: Option<&str>, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text = match value {
        Some(v) => format!("{SESSION_COOKIE}={v}; Path=/; HttpOnly; SameSite=Lax{secure}"),
        None => format!(
            "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax{secure}; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
        ),
    };
    // Only base64url characters and fixed text: always a valid header value.
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Where the browser says the request comes from, compared with where we are.
#[derive(Debug, PartialEq, Eq)]
enum Provenance {
    SameOrigin,
    Foreign,
    /// The request says nothing (a program, not a browser).
    Unknown,
}

fn provenance(headers: &HeaderMap, public_origin: Option<&str>) -> Provenance {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        // "none": the person typed the address or used a bookmark.
        return if site == "same-origin" || site == "none" {
            Provenance::SameOrigin
        } else {
            Provenance::Foreign
        };
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Provenance::Unknown;
    };
    let Ok(origin) = origin.to_str() else {
        return Provenance::Foreign;
    };
    let ours = match public_origin {
        Some(p) => origin.eq_ignore_ascii_case(p),
        // Without a configured public address: the host the browser addressed.
        None => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
            let origin_host = origin
                .strip_prefix("http://")
                .or_else(|| origin.strip_prefix("https://"));
            matches!((host, origin_host), (Some(h), Some(o)) if h.eq_ignore_ascii_case(o))
        }
    };
    if ours {
        Provenance::SameOrigin
    } else {
        Provenance::Foreign
    }
}

/// The CSRF token a state-changing request carries: the header, or the form field of a
/// URL-encoded body (which is read and put back for the handler).
async fn carried_token(req: Request) -> Result<(Option<String>, Request), AppError> {
    if let Some(v) = req.headers().get(CSRF_HEADER) {
        let token = v.to_str().ok().map(str::to_string);
        return Ok((token, req));
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok((None, req));
    }
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, FORM_LIMIT)
        .await
        .map_err(|_| AppError::BadRequest {
            field: "body",
            message: "Formuläret är för stort eller kom inte fram helt.".into(),
        })?;
    let token = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == CSRF_FIELD)
        .map(|(_, v)| v.into_owned());
    Ok((token, Request::from_parts(parts, Body::from(bytes))))
}

/// Constant-time comparison of two tokens.
fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The layer every request passes: finds the caller, refuses cross-site or token-less
/// state changes, and answers a "sign in first" with the sign-in page.
pub async fn authenticate(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let api = is_api(&path);
    let answer = |e: AppError| if api { e.json() } else { e.html() };
    let now = OffsetDateTime::now_utc();
    let secure = state.settings.secure_cookies();
    let mut clear_cookie = false;
    let person = if let Some(auth) = req.headers().get(header::AUTHORIZATION) {
        let Some(token) = auth
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
        else {
            return AppError::Unauthorized(
                "Authorization ska vara \"Bearer\" följt av en API-nyckel.".into(),
            )
            .json();
        };
        match state.store.token(token, now).await {
            Ok(Some(info)) => Some(Person {
                who: info.who,
                via: Via::Token { id: info.token_id },
            }),
            Ok(None) => {
                return AppError::Unauthorized(
                    "API-nyckeln gäller inte: den är felskriven, har gått ut eller är återkallad."
                        .into(),
                )
                .json();
            }
            Err(e) => return AppError::from(e).json(),
        }
    } else if let Some(secret) = session_cookie(req.headers()) {
        match state.store.session(secret, now).await {
            Ok(Some(info)) => Some(Person {
                who: info.who,
                via: Via::Session {
                    secret: secret.to_string(),
                    csrf: info.csrf_token,
                },
            }),
            Ok(None) => {
                clear_cookie = true;
                None
            }
            Err(e) => return answer(AppError::from(e)),
        }
    } else {
        None
    };

    let mut req = req;
    let mut refused = false;
    if !is_safe(req.method()) {
        let has_cookie = session_cookie(req.headers()).is_some()
            && req.headers().get(header::AUTHORIZATION).is_none();
        let from = provenance(req.headers(), state.settings.public_origin());
        refused = from == Provenance::Foreign || (has_cookie && from == Provenance::Unknown);
        if let Some(Person {
            via: Via::Session { csrf, .. },
            ..
        }) = &person
            && !refused
        {
            let (token, back) = match carried_token(req).await {
                Ok(x) => x,
                Err(e) => return answer(e),
            };
            req = back;
            refused = !token.is_some_and(|t| same_token(&t, csrf));
        }
    }
    if refused {
        // Refused by every route (`routes.rs`); an address no route has stays a 404/405.
        req.extensions_mut().insert(CsrfRefused);
    }

    let return_to = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .filter(|_| req.method() == Method::GET);
    let must_change = person
        .as_ref()
        .is_some_and(|p| p.who.must_change_password && matches!(p.via, Via::Session { .. }));
    if must_change && !api && !open_before_password_change(&path) {
        // Nothing else until the one-time password is replaced; nothing is changed.
        return password_page_redirect(return_to.as_deref());
    }
    let caller = Caller(person.map(Arc::new));
    let me = caller.person().map(|p| Me {
        name: p.who.display_name.clone(),
        email: p.who.email.clone(),
        csrf: match &p.via {
            Via::Session { csrf, .. } => csrf.clone(),
            Via::Token { .. } => String::new(),
        },
        administers: caller.may_somewhere(Action::AdministerUsers),
        administers_org: caller.may_somewhere(Action::AdministerOrg),
        must_change_password: p.who.must_change_password,
    });
    let signed_in = caller.person().is_some();
    req.extensions_mut().insert(caller);
    let frame = Frame {
        me,
        here: return_to.clone(),
    };
    let mut res = FRAME.scope(frame, next.run(req)).await;
    if signed_in && !res.headers().contains_key(header::CACHE_CONTROL) {
        // What a signed-in person sees may be a draft: never kept by a shared cache.
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    if res.extensions().get::<SignInNeeded>().is_some() && !api {
        res = crate::sign_in::page_for(&state, return_to.as_deref(), res.status());
    }
    if clear_cookie {
        res.headers_mut()
            .append(header::SET_COOKIE, session_cookie_header(None, secure));
    }
    res
}

/// What a person who must change their one-time password may still reach: the password
/// page, signing in and out, the accessibility statement and the static files.
fn open_before_password_change(path: &str) -> bool {
    path == PASSWORD_PAGE
        || path == "/logga-in"
        || path == "/logga-ut"
        || path == "/tillganglighet"
        || path.starts_with("/static/")
}

/// To the password page (303), coming back to `return_to` (a GET's address) afterwards.
pub fn password_page_redirect(return_to: Option<&str>) -> Response {
    let mut res = Redirect::to(&coming_back(PASSWORD_PAGE, return_to)).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Marks a state-changing request that failed the CSRF rules: no route lets it through.
#[derive(Debug, Clone, Copy)]
pub struct CsrfRefused;

/// Marks an error response whose page should be the sign-in form.
#[derive(Debug, Clone, Copy)]
pub struct SignInNeeded;

impl IntoResponse for SignInNeeded {
    fn into_response(self) -> Response {
        let mut res = Response::default();
        res.extensions_mut().insert(self);
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let h = headers(&[("cookie", "a=1; malkedja_session=abc; b=2")]);
        assert_eq!(session_cookie(&h), Some("abc"));
        let h = headers(&[("cookie", "a=1"), ("cookie", "malkedja_session=xyz")]);
        assert_eq!(session_cookie(&h), Some("xyz"));
        assert_eq!(
            session_cookie(&headers(&[("cookie", "x_malkedja_session=1")])),
            None
        );
        assert_eq!(session_cookie(&HeaderMap::new()), None);
    }

    #[test]
    fn the_cookie_is_http_only_lax_and_secure_when_asked() {
        let v = session_cookie_header(Some("abc"), false);
        assert_eq!(
            v.to_str().unwrap(),
            "malkedja_session=abc; Path=/; HttpOnly; SameSite=Lax"
        );
        let v = session_cookie_header(Some("abc"), true);
        assert!(v.to_str().unwrap().ends_with("; Secure"));
        let v = session_cookie_header(None, false);
        assert!(v.to_str().unwrap().contains("Max-Age=0"));
    }

    #[test]
    fn provenance_follows_fetch_metadata_then_origin() {
        use Provenance::*;
        let p = |pairs, public| provenance(&headers(pairs), public);
        assert_eq!(p(&[("sec-fetch-site", "same-origin")], None), SameOrigin);
        assert_eq!(p(&[("sec-fetch-site", "cross-site")], None), Foreign);
        assert_eq!(p(&[("sec-fetch-site", "same-site")], None), Foreign);
        assert_eq!(
            p(
                &[
                    ("origin", "http://localhost:8080"),
                    ("host", "localhost:8080")
                ],
                None
            ),
            SameOrigin
        );
        assert_eq!(
            p(
                &[
                    ("origin", "http://evil.example"),
                    ("host", "localhost:8080")
                ],
                None
            ),
            Foreign
        );
        assert_eq!(p(&[("origin", "null"), ("host", "a")], None), Foreign);
        assert_eq!(
            p(
                &[("origin", "https://mal.stad.se"), ("host", "10.0.0.5:8080")],
                Some("https://mal.stad.se")
            ),
            SameOrigin
        );
        assert_eq!(p(&[], None), Unknown);
    }

    #[test]
    fn only_the_password_page_and_the_bare_necessities_are_open_before_a_change() {
        for open in [
            "/konto/losenord",
            "/logga-ut",
            "/logga-in",
            "/tillganglighet",
            "/static/malkedja.css",
        ] {
            assert!(open_before_password_change(open), "{open}");
        }
        for closed in [
            "/",
            "/api-nycklar",
            "/admin/personer",
            "/konto/losenord/x",
            "/enheter/3",
            "/staticx",
        ] {
            assert!(!open_before_password_change(closed), "{closed}");
        }
        let to = |r: Option<&str>| {
            password_page_redirect(r)
                .headers()
                .get(header::LOCATION)
                .unwrap()
                .to_str()
                .unwrap()
                .to_string()
        };
        assert_eq!(to(None), "/konto/losenord");
        assert_eq!(to(Some("/")), "/konto/losenord");
        assert_eq!(
            to(Some("/enheter/3?x=a b")),
            "/konto/losenord?till=%2Fenheter%2F3%3Fx%3Da+b"
        );
        assert_eq!(to(Some("//evil.example")), "/konto/losenord");
    }

    #[test]
    fn tokens_compare_in_full() {
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "ab"));
        assert!(!same_token("", "a"));
    }
}
