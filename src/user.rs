//! `malkedja user`: the people who sign in, and their roles on organisation nodes.

use crate::DbArgs;
use anyhow::{Context, bail};
use clap::Subcommand;
use malkedja_domain::{Account, NodeId, OrgNode, Role, RoleGrant};
use malkedja_store::{Store, password};
use std::io::{BufRead, IsTerminal};

#[derive(Subcommand)]
pub(crate) enum UserCommand {
    /// Create an account with one role on an organisation node (and everything below it).
    /// The password is read from standard input; on a terminal it is asked for twice,
    /// without echo. It needs at least 12 characters and must not be a common one.
    Add {
        /// The person's email address: what they sign in with (letter case does not
        /// matter).
        #[arg(value_name = "EMAIL")]
        email: String,
        /// The person's name, as Målkedja shows it.
        #[arg(long, value_name = "NAME")]
        name: String,
        /// The role: admin, board_editor, unit_manager, unit_writer, controller or reader.
        #[arg(long, value_name = "ROLE")]
        role: String,
        /// The id of the organisation node the role covers, with everything below it (see
        /// `malkedja org list`).
        #[arg(long, value_name = "ORG_ID")]
        scope: i64,
        /// Make a strong random password and print it once, instead of reading one. It is a
        /// one-time password: the person must choose their own at their first sign-in.
        #[arg(long)]
        generate_password: bool,
    },
    /// List the accounts: email, name, whether disabled, last sign-in, roles and scopes.
    List,
    /// Give a person a role on an organisation node (and everything below it).
    Grant {
        #[arg(value_name = "EMAIL")]
        email: String,
        /// admin, board_editor, unit_manager, unit_writer, controller or reader.
        #[arg(long, value_name = "ROLE")]
        role: String,
        /// The id of the organisation node (see `malkedja org list`).
        #[arg(long, value_name = "ORG_ID")]
        scope: i64,
    },
    /// Take a role on an organisation node from a person.
    Revoke {
        #[arg(value_name = "EMAIL")]
        email: String,
        /// admin, board_editor, unit_manager, unit_writer, controller or reader.
        #[arg(long, value_name = "ROLE")]
        role: String,
        /// The id of the organisation node (see `malkedja org list`).
        #[arg(long, value_name = "ORG_ID")]
        scope: i64,
    },
    /// Disable an account: the person can no longer sign in. Their history stays.
    Disable {
        #[arg(value_name = "EMAIL")]
        email: String,
    },
    /// Give an account a new password, read like `user add` reads it.
    SetPassword {
        #[arg(value_name = "EMAIL")]
        email: String,
        /// Make a strong random password and print it once, instead of reading one. It is a
        /// one-time password: the person must choose their own at their next sign-in.
        #[arg(long)]
        generate_password: bool,
    },
}

/// Who the audit trail names for a change made from the command line.
fn actor() -> String {
    match std::env::var("USER") {
        Ok(user) if !user.trim().is_empty() => format!("kommandoraden ({user})"),
        _ => "kommandoraden".to_string(),
    }
}

fn role(code: &str) -> anyhow::Result<Role> {
    Role::from_code(code.trim()).ok_or_else(|| {
        let codes: Vec<&str> = Role::ALL.iter().map(|r| r.code()).collect();
        anyhow::anyhow!("okänd roll «{code}»; välj en av {}", codes.join(", "))
    })
}

fn phrase(node: &OrgNode) -> String {
    format!(
        "{} «{}» (id {})",
        node.kind.definite_label(),
        node.name,
        node.id
    )
}

async fn require_node(store: &Store, id: i64) -> anyhow::Result<OrgNode> {
    store.node(NodeId(id)).await?.ok_or_else(|| {
        anyhow::anyhow!(
            "det finns ingen nod med id {id} i organisationen (`malkedja org list` visar dem)"
        )
    })
}

async fn require_account(store: &Store, email: &str) -> anyhow::Result<Account> {
    store.account_by_email(email).await?.ok_or_else(|| {
        anyhow::anyhow!(
            "det finns inget konto med e-postadressen {} (`malkedja user list` visar dem)",
            email.trim()
        )
    })
}

/// The new password: generated (and printed once), asked for twice on a terminal, or the
/// first line of standard input.
fn new_password(generate: bool) -> anyhow::Result<String> {
    if generate {
        let p = password::generate();
        println!("Lösenord (visas bara nu, spara det säkert): {p}");
        return Ok(p);
    }
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Lösenord (minst 12 tecken): ")
            .context("kunde inte läsa lösenordet")?;
        let second = rpassword::prompt_password("Samma lösenord igen: ")
            .context("kunde inte läsa lösenordet")?;
        if first != second {
            bail!("lösenorden är inte lika; inget är ändrat");
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("kunde inte läsa lösenordet från standard input")?;
    let line = line.trim_end_matches(['\n', '\r']).to_string();
    if line.is_empty() {
        bail!("inget lösenord på standard input (skriv det där, eller använd --generate-password)");
    }
    Ok(line)
}

pub(crate) async fn run(db: &DbArgs, command: UserCommand) -> anyhow::Result<()> {
    let store = crate::open(&db.url()?).await?;
    let result = execute(&store, command).await;
    store.close().await;
    result
}

fn grant_lines(account: &Account, nodes: &[OrgNode]) -> Vec<String> {
    account
        .grants
        .iter()
        .map(|g| match nodes.iter().find(|n| n.id == g.node_id) {
            Some(node) => format!("{} på {}", g.role.code(), phrase(node)),
            None => format!("{} på nod {}", g.role.code(), g.node_id),
        })
        .collect()
}

async fn execute(store: &Store, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add {
            email,
            name,
            role: code,
            scope,
            generate_password,
        } => {
            let role = role(&code)?;
            let node = require_node(store, scope).await?;
            // Refuse a taken address before asking for a password.
            if let Some(existing) = store.account_by_email(&email).await? {
                bail!(
                    "det finns redan ett konto med e-postadressen {}",
                    existing.email
                );
            }
            let hash = password::hash(&new_password(generate_password)?).await?;
            let mut w = store.begin_write(&actor()).await?;
            let account = if generate_password {
                w.add_account_with_one_time_password(&email, &name, &hash)
                    .await?
            } else {
                w.add_account(&email, &name, &hash).await?
            };
            w.grant_role(
                account.id,
                RoleGrant {
                    role,
                    node_id: node.id,
                },
            )
            .await?;
            w.commit().await?;
            println!(
                "Kontot {} ({}) är skapat med rollen {} på {}.",
                account.email,
                account.display_name,
                role.code(),
                phrase(&node)
            );
            if account.must_change_password {
                println!(
                    "Lösenordet gäller en gång: vid första inloggningen väljer personen ett eget."
                );
            }
        }
        UserCommand::List => {
            let accounts = store.accounts().await?;
            if accounts.is_empty() {
                println!(
                    "Det finns inga konton. Skapa den första administratören med \
                     `malkedja user add E-POST --name NAMN --role admin --scope ORG_ID`."
                );
            }
            let nodes = store.org_nodes().await?;
            for a in &accounts {
                println!(
                    "{}  {}  {}  senast inloggad: {}{}",
                    a.email,
                    a.display_name,
                    if a.disabled { "avstängt" } else { "aktivt" },
                    a.last_sign_in_at.as_deref().unwrap_or("aldrig"),
                    if a.must_change_password {
                        "  måste byta lösenord"
                    } else {
                        ""
                    }
                );
                let grants = grant_lines(a, &nodes);
                if grants.is_empty() {
                    println!("    (inga roller)");
                }
                for g in grants {
                    println!("    {g}");
                }
            }
        }
        UserCommand::Grant {
            email,
            role: code,
            scope,
        } => {
            let role = role(&code)?;
            let node = require_node(store, scope).await?;
            let account = require_account(store, &email).await?;
            let mut w = store.begin_write(&actor()).await?;
            let grant = RoleGrant {
                role,
                node_id: node.id,
            };
            if w.grant_role(account.id, grant).await? {
                w.commit().await?;
                println!(
                    "{} har nu rollen {} på {}.",
                    account.email,
                    role.code(),
                    phrase(&node)
                );
            } else {
                println!(
                    "{} har redan rollen {} på {}.",
                    account.email,
                    role.code(),
                    phrase(&node)
                );
            }
        }
        UserCommand::Revoke {
            email,
            role: code,
            scope,
        } => {
            let role = role(&code)?;
            let account = require_account(store, &email).await?;
            let grant = RoleGrant {
                role,
                node_id: NodeId(scope),
            };
            if !account.grants.contains(&grant) {
                bail!(
                    "{} har inte rollen {} på nod {scope}",
                    account.email,
                    role.code()
                );
            }
            let mut w = store.begin_write(&actor()).await?;
            w.revoke_role(account.id, grant).await?;
            w.commit().await?;
            println!(
                "{} har inte längre rollen {} på nod {scope}.",
                account.email,
                role.code()
            );
        }
        UserCommand::Disable { email } => {
            let account = require_account(store, &email).await?;
            if account.disabled {
                println!("Kontot {} är redan avstängt.", account.email);
                return Ok(());
            }
            let mut w = store.begin_write(&actor()).await?;
            w.disable_account(account.id, account.version).await?;
            w.commit().await?;
            println!(
                "Kontot {} är avstängt: det går inte längre att logga in med det.",
                account.email
            );
        }
        UserCommand::SetPassword {
            email,
            generate_password,
        } => {
            let account = require_account(store, &email).await?;
            let hash = password::hash(&new_password(generate_password)?).await?;
            let mut w = store.begin_write(&actor()).await?;
            if generate_password {
                w.set_one_time_password(account.id, &hash, account.version)
                    .await?;
            } else {
                w.set_password_hash(account.id, &hash, account.version)
                    .await?;
            }
            w.commit().await?;
            println!("Kontot {} har fått ett nytt lösenord.", account.email);
            if generate_password {
                println!(
                    "Lösenordet gäller en gång: vid nästa inloggning väljer personen ett eget."
                );
            }
        }
    }
    Ok(())
}
