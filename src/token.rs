//! `malkedja token`: API tokens (`Authorization: Bearer mk_…`), which act with their
//! account's roles. A token is printed once, when it is made; the database keeps only its
//! SHA-256.

use crate::DbArgs;
use anyhow::bail;
use clap::Subcommand;
use malkedja_domain::Account;
use malkedja_store::{ApiToken, Store};
use std::time::Duration;

#[derive(Subcommand)]
pub(crate) enum TokenCommand {
    /// Make an API token for a person and print it, once: store it safely. It acts with
    /// the person's roles, never more, until it expires, is revoked or the account is
    /// disabled.
    Create {
        /// The email address of the account the token acts for.
        #[arg(long, value_name = "EMAIL")]
        user: String,
        /// What the token is for, as the token list shows it (1–100 characters).
        #[arg(long, value_name = "NAME", default_value = "kommandoraden")]
        name: String,
        /// Let the token expire after this many days (1–3650); without, it is valid until
        /// revoked.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=3650))]
        expires_days: Option<u64>,
    },
    /// List the API tokens (never the tokens themselves): id, account, name, created,
    /// expires, last used, revoked.
    List {
        /// Only this person's tokens.
        #[arg(long, value_name = "EMAIL")]
        user: Option<String>,
    },
    /// Revoke an API token by its id (see `malkedja token list`): it stops working at once,
    /// on every server.
    Revoke {
        #[arg(value_name = "ID")]
        id: i64,
    },
}

fn actor() -> String {
    match std::env::var("USER") {
        Ok(user) if !user.trim().is_empty() => format!("kommandoraden ({user})"),
        _ => "kommandoraden".to_string(),
    }
}

async fn require_account(store: &Store, email: &str) -> anyhow::Result<Account> {
    store.account_by_email(email).await?.ok_or_else(|| {
        anyhow::anyhow!(
            "det finns inget konto med e-postadressen {} (`malkedja user list` visar dem)",
            email.trim()
        )
    })
}

fn line(t: &ApiToken) -> String {
    format!(
        "{}  {}  «{}»  skapad {}  giltig till {}  senast använd {}{}",
        t.id,
        t.email,
        t.name,
        t.created_at,
        t.expires_at.as_deref().unwrap_or("återkallas"),
        t.last_used_at.as_deref().unwrap_or("aldrig"),
        t.revoked_at
            .as_deref()
            .map(|at| format!("  ÅTERKALLAD {at}"))
            .unwrap_or_default()
    )
}

pub(crate) async fn run(db: &DbArgs, command: TokenCommand) -> anyhow::Result<()> {
    let store = crate::open(&db.url()?).await?;
    let result = execute(&store, command).await;
    store.close().await;
    result
}

async fn execute(store: &Store, command: TokenCommand) -> anyhow::Result<()> {
    match command {
        TokenCommand::Create {
            user,
            name,
            expires_days,
        } => {
            let account = require_account(store, &user).await?;
            if account.disabled {
                bail!(
                    "kontot {} är avstängt; ingen nyckel är skapad",
                    account.email
                );
            }
            let mut w = store.begin_write(&actor()).await?;
            let (token, secret) = w
                .create_token(
                    account.id,
                    &name,
                    expires_days.map(|d| Duration::from_secs(d * 24 * 3600)),
                )
                .await?;
            w.commit().await?;
            eprintln!(
                "API-nyckel {} «{}» för {} är skapad{}. Den visas bara nu: spara den säkert.",
                token.id,
                token.name,
                account.email,
                token
                    .expires_at
                    .as_deref()
                    .map(|at| format!(", giltig till {at}"))
                    .unwrap_or_default()
            );
            println!("{}", secret.as_str());
        }
        TokenCommand::List { user } => {
            let tokens = match user {
                Some(email) => {
                    store
                        .tokens_of(require_account(store, &email).await?.id)
                        .await?
                }
                None => store.all_tokens().await?,
            };
            if tokens.is_empty() {
                println!("Det finns inga API-nycklar.");
            }
            for t in &tokens {
                println!("{}", line(t));
            }
        }
        TokenCommand::Revoke { id } => {
            let mut w = store.begin_write(&actor()).await?;
            let token = match w.revoke_token(None, id).await {
                Err(e) if e.is_not_found() => bail!(
                    "det finns ingen API-nyckel med id {id} (`malkedja token list` visar dem)"
                ),
                other => other?,
            };
            w.commit().await?;
            println!(
                "API-nyckel {} «{}» för {} är återkallad.",
                token.id, token.name, token.email
            );
        }
    }
    Ok(())
}
