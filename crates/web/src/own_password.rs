//! "Byt lösenord" (`/konto/losenord`): a signed-in person chooses a new password, giving
//! the current one and the new one twice. Someone who signed in with a one-time password
//! is sent here from every other page until they have (`auth.rs`).
//!
//! A wrong current password counts as a failed sign-in (the same limit per account and
//! address), so the form cannot be used to guess it. Passwords are never shown again on a
//! refused form; the rules are the domain's (`check_password`). A new password ends every
//! other session of the person: whoever signed in with the old one is signed out.

use crate::AppState;
use crate::auth::{Caller, PASSWORD_PAGE, Via, client_address};
use crate::error::{AppError, HtmlError};
use crate::forms::{FormErrors, sentence};
use crate::sign_in::local_path;
use crate::views::Crumb;
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::{Extensions, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use malkedja_domain::{PASSWORD_MAX_BYTES, PASSWORD_MIN_CHARS, check_password};
use malkedja_store::password;
use serde::Deserialize;
use time::OffsetDateTime;

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    crumbs: Vec<Crumb>,
    /// Signed in with a one-time password: the page says why it is shown.
    must_change: bool,
    /// The password was just changed.
    done: bool,
    /// Where to go on afterwards.
    till: String,
    errors: FormErrors,
    min_chars: usize,
}

impl PasswordPage {
    fn new(must_change: bool, till: &str) -> PasswordPage {
        PasswordPage {
            crumbs: vec![Crumb {
                href: "/".into(),
                label: "Start".into(),
            }],
            must_change,
            done: false,
            till: local_path(till).unwrap_or("/").to_string(),
            errors: FormErrors::default(),
            min_chars: PASSWORD_MIN_CHARS,
        }
    }

    fn respond(&self, status: StatusCode) -> Result<Response, AppError> {
        let mut res = (status, Html(self.render()?)).into_response();
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        Ok(res)
    }
}

#[derive(Deserialize)]
pub struct PasswordQuery {
    #[serde(default)]
    till: String,
    #[serde(default)]
    bytt: Option<String>,
}

pub async fn form(caller: Caller, Query(q): Query<PasswordQuery>) -> Result<Response, HtmlError> {
    let person = caller.require_person()?;
    let mut page = PasswordPage::new(person.who.must_change_password, &q.till);
    page.done = q.bytt.is_some() && !page.must_change;
    Ok(page.respond(StatusCode::OK)?)
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    again: String,
    #[serde(default)]
    till: String,
}

/// What is wrong with the form on its face, before the current password is checked.
fn check_form(f: &PasswordForm) -> FormErrors {
    let mut errors = FormErrors::default();
    if f.current.is_empty() {
        errors.add("nuvarande", "Skriv ditt nuvarande lösenord.");
    }
    if f.new.is_empty() {
        errors.add("nytt", "Skriv ett nytt lösenord.");
    } else if let Err(e) = check_password(&f.new) {
        errors.add("nytt", sentence(e));
    } else if f.new == f.current {
        errors.add(
            "nytt",
            "Det nya lösenordet måste vara ett annat än det nuvarande.",
        );
    }
    if f.again.is_empty() {
        errors.add("nytt-igen", "Skriv det nya lösenordet en gång till.");
    } else if !f.new.is_empty() && f.again != f.new {
        errors.add(
            "nytt-igen",
            "Lösenorden är inte lika. Skriv samma nya lösenord i båda fälten.",
        );
    }
    errors
}

pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    extensions: Extensions,
    Form(f): Form<PasswordForm>,
) -> Result<Response, HtmlError> {
    let person = caller.require_person()?;
    let Via::Session { secret, .. } = &person.via else {
        return Err(AppError::BadRequest {
            field: "body",
            message: "Lösenordet byts på sidan Byt lösenord, inte med en API-nyckel.".into(),
        }
        .into());
    };
    let who = &person.who;
    let mut page = PasswordPage::new(who.must_change_password, &f.till);
    page.errors = check_form(&f);
    if !page.errors.is_empty() {
        return Ok(page.respond(StatusCode::BAD_REQUEST)?);
    }
    let address = client_address(&extensions);
    let now = OffsetDateTime::now_utc();
    if let Some(retry_after) = state
        .store
        .sign_in_blocked(&who.email, &address, now)
        .await?
    {
        page.errors.add(
            "nuvarande",
            AppError::TooManyRequests { retry_after }.message(),
        );
        let mut res = page.respond(StatusCode::TOO_MANY_REQUESTS)?;
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        return Ok(res);
    }
    let stored = state.store.password_hash_of(who.account).await?;
    let right = f.current.len() <= PASSWORD_MAX_BYTES
        && password::verify_sign_in(&f.current, stored.as_deref()).await?;
    if !right {
        let mut w = state.store.begin_write("inloggning").await?;
        w.record_failed_sign_in(&who.email, &address, now).await?;
        w.commit().await?;
        page.errors.add(
            "nuvarande",
            "Det nuvarande lösenordet stämmer inte. Skriv det lösenord du loggade in med.",
        );
        return Ok(page.respond(StatusCode::BAD_REQUEST)?);
    }
    let account = state
        .store
        .account(who.account)
        .await?
        .ok_or_else(|| AppError::NotFound("Ditt konto finns inte längre.".into()))?;
    let hash = password::hash(&f.new).await?;
    let mut w = state.store.begin_write(&who.email).await?;
    w.set_password_hash(account.id, &hash, account.version)
        .await?;
    w.delete_other_sessions_of(account.id, secret).await?;
    w.commit().await?;
    let mut to = format!("{PASSWORD_PAGE}?bytt=1");
    if page.till != "/" {
        to.push_str("&till=");
        to.extend(form_urlencoded::byte_serialize(page.till.as_bytes()));
    }
    Ok(Redirect::to(&to).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(current: &str, new: &str, again: &str) -> PasswordForm {
        PasswordForm {
            current: current.into(),
            new: new.into(),
            again: again.into(),
            till: String::new(),
        }
    }

    #[test]
    fn the_form_is_checked_field_by_field() {
        let e = check_form(&form("", "", ""));
        assert_eq!(
            e.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(),
            ["nuvarande", "nytt", "nytt-igen"]
        );
        let e = check_form(&form("gammalt-lösen-1", "kort", "kort"));
        assert_eq!(e.get("nytt"), Some("Lösenordet måste ha minst 12 tecken."));
        let e = check_form(&form(
            "gammalt-lösen-1",
            "storm-och-sol-8",
            "storm-och-sol-9",
        ));
        assert!(e.get("nytt").is_none());
        assert!(e.get("nytt-igen").unwrap().contains("inte lika"));
        let e = check_form(&form(
            "storm-och-sol-8",
            "storm-och-sol-8",
            "storm-och-sol-8",
        ));
        assert!(e.get("nytt").unwrap().contains("annat än det nuvarande"));
        assert!(
            check_form(&form(
                "gammalt-lösen-1",
                "storm-och-sol-8",
                "storm-och-sol-8"
            ))
            .is_empty()
        );
    }
}
