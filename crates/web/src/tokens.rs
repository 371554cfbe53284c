//! "API-nycklar": a signed-in person's own API tokens. Made here, a token is shown once;
//! afterwards only its name and dates are. Revoking one takes effect at once on every node.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, HtmlError};
use crate::params::PagePath;
use crate::views::Crumb;
use askama::Template;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use malkedja_domain::{AccountId, Action};
use malkedja_store::{ApiToken, StoreError};
use serde::Deserialize;
use std::time::Duration;

/// How long a new token may live, as the form offers it: (days, label). 0: until revoked.
const LIFETIMES: [(u64, &str); 4] = [
    (30, "30 dagar"),
    (90, "90 dagar"),
    (365, "Ett år"),
    (0, "Tills jag återkallar den"),
];

struct TokenLine {
    id: i64,
    name: String,
    created: String,
    expires: String,
    last_used: String,
    revoked: Option<String>,
}

/// "2026-12-01T10:15:00Z" as "2026-12-01 10:15".
pub(crate) fn moment(iso: &str) -> String {
    iso.get(..16).unwrap_or(iso).replace('T', " ")
}

impl TokenLine {
    fn new(t: &ApiToken) -> TokenLine {
        TokenLine {
            id: t.id,
            name: t.name.clone(),
            created: moment(&t.created_at),
            expires: t
                .expires_at
                .as_deref()
                .map_or("Tills den återkallas".into(), moment),
            last_used: t.last_used_at.as_deref().map_or("Aldrig".into(), moment),
            revoked: t.revoked_at.as_deref().map(moment),
        }
    }
}

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    crumbs: Vec<Crumb>,
    tokens: Vec<TokenLine>,
    lifetimes: &'static [(u64, &'static str)],
    /// A token just made: shown this once.
    new_secret: Option<String>,
    new_name: String,
    error: Option<String>,
    /// What the person typed, kept when it was refused.
    name: String,
    days: u64,
}

async fn render(
    state: &AppState,
    account: AccountId,
    mut page: TokensPage,
    status: StatusCode,
) -> Result<Response, AppError> {
    page.tokens = state
        .store
        .tokens_of(account)
        .await?
        .iter()
        .map(TokenLine::new)
        .collect();
    Ok((status, Html(page.render()?)).into_response())
}

fn blank() -> TokensPage {
    TokensPage {
        crumbs: vec![Crumb {
            href: "/".into(),
            label: "Start".into(),
        }],
        tokens: Vec::new(),
        lifetimes: &LIFETIMES,
        new_secret: None,
        new_name: String::new(),
        error: None,
        name: String::new(),
        days: 90,
    }
}

pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Response, HtmlError> {
    caller.authorize(Action::ManageOwnTokens, &[])?;
    let person = caller.require_person()?;
    Ok(render(&state, person.who.account, blank(), StatusCode::OK).await?)
}

#[derive(Deserialize)]
pub struct NewToken {
    #[serde(default)]
    name: String,
    #[serde(default)]
    days: String,
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form<NewToken>,
) -> Result<Response, HtmlError> {
    caller.authorize(Action::ManageOwnTokens, &[])?;
    let person = caller.require_person()?;
    let mut page = blank();
    page.name = f.name.chars().take(200).collect();
    let days = f.days.trim().parse::<u64>().ok();
    page.days = days.unwrap_or(90);
    let name = f.name.trim();
    let error = match days {
        _ if name.is_empty() => {
            Some("Ge nyckeln ett namn, till exempel vad den ska användas till.")
        }
        _ if name.chars().count() > 100 => Some("Namnet får vara högst 100 tecken."),
        Some(d) if LIFETIMES.iter().any(|(v, _)| *v == d) => None,
        _ => Some("Välj hur länge nyckeln ska gälla."),
    };
    if let Some(e) = error {
        page.error = Some(e.into());
        return Ok(render(&state, person.who.account, page, StatusCode::BAD_REQUEST).await?);
    }
    let expires_in = days
        .filter(|d| *d > 0)
        .map(|d| Duration::from_secs(d * 24 * 3600));
    let mut w = state.store.begin_write(&person.who.email).await?;
    let (token, secret) = w.create_token(person.who.account, name, expires_in).await?;
    w.commit().await?;
    page.name.clear();
    page.new_name = token.name;
    page.new_secret = Some(secret.as_str().to_string());
    Ok(render(&state, person.who.account, page, StatusCode::CREATED).await?)
}

pub async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    PagePath(raw): PagePath<String>,
) -> Result<Response, HtmlError> {
    caller.authorize(Action::ManageOwnTokens, &[])?;
    let person = caller.require_person()?;
    let id = crate::params::node_id("id", &raw, "Nyckelns nummer")?.0;
    let mut w = state.store.begin_write(&person.who.email).await?;
    match w.revoke_token(Some(person.who.account), id).await {
        Ok(_) => {}
        Err(StoreError::NotFound(_)) => {
            return Err(
                AppError::NotFound(format!("Du har ingen API-nyckel med nummer {id}.")).into(),
            );
        }
        Err(e) => return Err(e.into()),
    }
    w.commit().await?;
    Ok(Redirect::to("/api-nycklar").into_response())
}
