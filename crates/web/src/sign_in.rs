//! Signing in and out: `GET/POST /logga-in`, `POST /logga-ut`.
//!
//! A wrong password, an unknown email and a disabled account get the same answer, after
//! the same work (an unknown email is checked against a stand-in hash), so neither the
//! message nor the time tells whether an account exists. Failed sign-ins are counted in the
//! database per email and per client address; past the limit the answer is 429 with
//! `Retry-After`. After signing in the person goes back to the page they asked for, when
//! that is a path on this server; someone who signed in with a one-time password goes to
//! the password page first.

use crate::AppState;
use crate::auth::{Caller, Via, client_address, session_cookie_header};
use crate::error::AppError;
use crate::settings::DemoLogin;
use crate::views::Crumb;
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::{Extensions, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use malkedja_domain::{EMAIL_MAX_CHARS, PASSWORD_MAX_BYTES};
use malkedja_store::password;
use serde::Deserialize;
use time::OffsetDateTime;

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage<'a> {
    crumbs: Vec<Crumb>,
    /// Why the form is shown again, or why it is shown at all.
    error: Option<String>,
    notice: Option<&'static str>,
    email: String,
    till: String,
    demo: &'a [DemoLogin],
}

impl SignInPage<'_> {
    fn respond(&self, status: StatusCode) -> Response {
        match self.render() {
            Ok(body) => {
                let mut res = (status, Html(body)).into_response();
                res.headers_mut()
                    .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                res
            }
            Err(e) => AppError::from(e).html(),
        }
    }
}

fn page<'a>(state: &'a AppState, till: &str) -> SignInPage<'a> {
    SignInPage {
        crumbs: vec![Crumb {
            href: "/".into(),
            label: "Start".into(),
        }],
        error: None,
        notice: None,
        email: String::new(),
        till: local_path(till).unwrap_or("/").to_string(),
        demo: &state.settings.demo_logins,
    }
}

/// The sign-in form, for a page that needs a signed-in person (the authentication layer
/// answers with this instead of the page): back to `return_to` afterwards.
pub fn page_for(state: &AppState, return_to: Option<&str>, status: StatusCode) -> Response {
    let mut p = page(state, return_to.unwrap_or("/"));
    p.notice = Some("Du behöver logga in för att se den här sidan.");
    p.respond(status)
}

/// `till` when it is a path on this server, never another site: it starts with one `/`,
/// has no backslash or control character, and is not the sign-in or sign-out address.
pub fn local_path(till: &str) -> Option<&str> {
    let ok = till.starts_with('/')
        && !till.starts_with("//")
        && !till.contains('\\')
        && !till.chars().any(char::is_control)
        && till.len() <= 2000
        && !till.starts_with("/logga-in")
        && !till.starts_with("/logga-ut");
    ok.then_some(till)
}

#[derive(Deserialize)]
pub struct SignInQuery {
    #[serde(default)]
    till: String,
}

pub async fn form(State(state): State<AppState>, Query(q): Query<SignInQuery>) -> Response {
    page(&state, &q.till).respond(StatusCode::OK)
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    till: String,
}

const WRONG: &str = "Fel e-postadress eller lösenord. Kontrollera stavningen och försök igen.";

pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    extensions: Extensions,
    Form(f): Form<SignInForm>,
) -> Response {
    match try_submit(&state, &caller, &extensions, f).await {
        Ok(res) => res,
        Err(e) => e.html(),
    }
}

async fn try_submit(
    state: &AppState,
    caller: &Caller,
    extensions: &Extensions,
    f: SignInForm,
) -> Result<Response, AppError> {
    let address = client_address(extensions);
    let mut again = page(state, &f.till);
    again.email = f.email.chars().take(EMAIL_MAX_CHARS).collect();
    if f.email.trim().is_empty() || f.password.is_empty() {
        again.error = Some("Fyll i både e-postadress och lösenord.".into());
        return Ok(again.respond(StatusCode::BAD_REQUEST));
    }
    if f.email.chars().count() > EMAIL_MAX_CHARS || f.password.len() > PASSWORD_MAX_BYTES {
        // Too long to be anyone's: the same answer as any wrong sign-in, counted as one.
        again.error = Some(WRONG.into());
        return failed(state, &f.email, &address, again).await;
    }
    let now = OffsetDateTime::now_utc();
    if let Some(retry_after) = state.store.sign_in_blocked(&f.email, &address, now).await? {
        again.error = Some(AppError::TooManyRequests { retry_after }.message());
        let mut res = again.respond(StatusCode::TOO_MANY_REQUESTS);
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        return Ok(res);
    }
    let account = state
        .store
        .account_by_email(&f.email)
        .await?
        .filter(|a| !a.disabled);
    let stored = match &account {
        Some(a) => state.store.password_hash_of(a.id).await?,
        None => None,
    };
    let right = password::verify_sign_in(&f.password, stored.as_deref()).await?;
    let Some(account) = account.filter(|_| right) else {
        again.error = Some(WRONG.into());
        return failed(state, &f.email, &address, again).await;
    };
    let mut w = state.store.begin_write(&account.email).await?;
    if let Some(Via::Session { secret, .. }) = caller.person().map(|p| &p.via) {
        // Whoever was signed in on this browser is signed out: one session per sign-in.
        w.delete_session(secret).await?;
    }
    let session = w
        .create_session_from(
            account.id,
            Some(&address),
            state.settings.session_idle,
            state.settings.session_absolute,
        )
        .await?;
    w.commit().await?;
    let to = local_path(&f.till).unwrap_or("/");
    let mut res = if account.must_change_password {
        // A one-time password: the person chooses their own first, then goes on.
        crate::auth::password_page_redirect(Some(to))
    } else {
        Redirect::to(to).into_response()
    };
    res.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie_header(
            Some(session.secret.as_str()),
            state.settings.secure_cookies(),
        ),
    );
    Ok(res)
}

/// Counts a failed sign-in and shows the form again with what was typed (never the
/// password).
async fn failed(
    state: &AppState,
    email: &str,
    address: &str,
    page: SignInPage<'_>,
) -> Result<Response, AppError> {
    let mut w = state.store.begin_write("inloggning").await?;
    w.record_failed_sign_in(email, address, OffsetDateTime::now_utc())
        .await?;
    w.commit().await?;
    Ok(page.respond(StatusCode::UNAUTHORIZED))
}

/// Signs out here and on every other node: the session is deleted, the cookie cleared.
pub async fn sign_out(State(state): State<AppState>, caller: Caller) -> Response {
    let result = async {
        if let Some(Via::Session { secret, .. }) = caller.person().map(|p| &p.via) {
            let actor = caller.person().map(|p| p.who.email.as_str()).unwrap_or("");
            let mut w = state.store.begin_write(actor).await?;
            w.delete_session(secret).await?;
            w.commit().await?;
        }
        Ok::<(), AppError>(())
    }
    .await;
    if let Err(e) = result {
        return e.html();
    }
    let mut res = Redirect::to("/").into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie_header(None, state.settings.secure_cookies()),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(
            local_path("/enheter/3/planer/2026"),
            Some("/enheter/3/planer/2026")
        );
        assert_eq!(local_path("/?a=b"), Some("/?a=b"));
        for bad in [
            "",
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "\\\\evil.example",
            "javascript:alert(1)",
            "/logga-in?till=/",
            "/logga-ut",
            "/a\nb",
            "evil.example",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }
}
