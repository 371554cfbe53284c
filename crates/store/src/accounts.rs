//! Accounts and the roles they hold. Emails are stored normalised (trimmed, lower-case):
//! a second account for the same address in other letters is refused with
//! [`AccountError::EmailTaken`], never a database error. Changes to an account are
//! versioned writes and audited; the audit trail shows the account before and after, which
//! never includes the password hash.

use crate::password::PasswordHash;
use crate::read::query;
use crate::versioned::VersionedRow;
use crate::{Store, StoreError, Writer, now_text};
use malkedja_domain::{
    Account, AccountError, AccountId, NodeId, Role, RoleGrant, normalize_email, normalize_name,
};
use sqlx::{AnyConnection, Row};

type R<T> = Result<T, StoreError>;

const ALL_ACCOUNTS: &str = "SELECT id, email, display_name, disabled, must_change_password, (SELECT s.last_sign_in_at FROM account_sign_in s WHERE s.account_id = account.id) AS last_sign_in_at, version, created_at, updated_at FROM account ORDER BY email";
const ACCOUNT_BY_EMAIL: &str = "SELECT id, email, display_name, disabled, must_change_password, (SELECT s.last_sign_in_at FROM account_sign_in s WHERE s.account_id = account.id) AS last_sign_in_at, version, created_at, updated_at FROM account WHERE email = $1";
const ACCOUNT_BY_ID: &str = "SELECT id, email, display_name, disabled, must_change_password, (SELECT s.last_sign_in_at FROM account_sign_in s WHERE s.account_id = account.id) AS last_sign_in_at, version, created_at, updated_at FROM account WHERE id = $1";
const ALL_GRANTS: &str = "SELECT account_id, role, node_id FROM role_grant";
const GRANTS_OF: &str = "SELECT account_id, role, node_id FROM role_grant WHERE account_id = $1";

fn account_from(r: &sqlx::any::AnyRow) -> R<Account> {
    let disabled: i64 = r.try_get("disabled")?;
    let must_change: i64 = r.try_get("must_change_password")?;
    Ok(Account {
        id: AccountId(r.try_get("id")?),
        email: r.try_get("email")?,
        display_name: r.try_get("display_name")?,
        disabled: disabled != 0,
        must_change_password: must_change != 0,
        last_sign_in_at: r.try_get("last_sign_in_at")?,
        grants: Vec::new(),
        version: r.try_get("version")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// Puts each grant on its account, in role then node order.
fn attach(accounts: &mut [Account], rows: &[sqlx::any::AnyRow]) -> R<()> {
    for r in rows {
        let id = AccountId(r.try_get("account_id")?);
        let code: String = r.try_get("role")?;
        let role = Role::from_code(&code)
            .ok_or_else(|| StoreError::Corrupt(format!("okänd roll {code:?}")))?;
        let grant = RoleGrant {
            role,
            node_id: NodeId(r.try_get("node_id")?),
        };
        if let Some(a) = accounts.iter_mut().find(|a| a.id == id) {
            a.grants.push(grant);
        }
    }
    for a in accounts.iter_mut() {
        a.grants.sort();
    }
    Ok(())
}

async fn all(c: &mut AnyConnection) -> R<Vec<Account>> {
    let mut accounts = query(ALL_ACCOUNTS)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(account_from)
        .collect::<R<Vec<_>>>()?;
    let grants = query(ALL_GRANTS).fetch_all(&mut *c).await?;
    attach(&mut accounts, &grants)?;
    Ok(accounts)
}

async fn one(c: &mut AnyConnection, sql: &'static str, key: ByKey) -> R<Option<Account>> {
    let q = query(sql);
    let q = match key {
        ByKey::Email(e) => q.bind(e),
        ByKey::Id(id) => q.bind(id.0),
    };
    let Some(row) = q.fetch_optional(&mut *c).await? else {
        return Ok(None);
    };
    let mut account = [account_from(&row)?];
    let grants = query(GRANTS_OF)
        .bind(account[0].id.0)
        .fetch_all(&mut *c)
        .await?;
    attach(&mut account, &grants)?;
    let [account] = account;
    Ok(Some(account))
}

enum ByKey {
    Email(String),
    Id(AccountId),
}

async fn by_email(c: &mut AnyConnection, email: &str) -> R<Option<Account>> {
    // An address that cannot be normalised names no account.
    match normalize_email(email) {
        Ok(email) => one(c, ACCOUNT_BY_EMAIL, ByKey::Email(email)).await,
        Err(_) => Ok(None),
    }
}

impl Store {
    /// Every account with its roles, by email.
    pub async fn accounts(&self) -> R<Vec<Account>> {
        all(&mut *self.conn().await?).await
    }

    /// Whether any account that may sign in holds the admin role: until one does, the
    /// start page says how to create one.
    pub async fn has_admin(&self) -> R<bool> {
        Ok(query(
            "SELECT 1 FROM role_grant g JOIN account a ON a.id = g.account_id WHERE g.role = 'admin' AND a.disabled = 0 LIMIT 1",
        )
        .fetch_optional(&mut *self.conn().await?)
        .await?
        .is_some())
    }

    /// The account with this email address, in whatever letters it is written.
    pub async fn account_by_email(&self, email: &str) -> R<Option<Account>> {
        by_email(&mut *self.conn().await?, email).await
    }

    /// The account with this id, with its roles.
    pub async fn account(&self, id: AccountId) -> R<Option<Account>> {
        one(&mut *self.conn().await?, ACCOUNT_BY_ID, ByKey::Id(id)).await
    }

    /// The stored password hash (a PHC string) of the account, for
    /// [`crate::password::verify`]. `None` when there is no such account.
    pub async fn password_hash_of(&self, id: AccountId) -> R<Option<String>> {
        Ok(query("SELECT password_hash FROM account WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *self.conn().await?)
            .await?
            .map(|r| r.try_get::<String, _>(0))
            .transpose()?)
    }
}

/// The account's row, for a versioned change.
fn account_row(account: &Account) -> VersionedRow {
    VersionedRow::new("account", format!("kontot {}", account.email))
        .key("id", account.id.0)
        .set("updated_at", now_text())
}

impl Writer {
    /// The account with this email address, as this writer sees it.
    pub async fn account_by_email(&mut self, email: &str) -> R<Option<Account>> {
        by_email(&mut self.tx, email).await
    }

    async fn require_account(&mut self, id: AccountId) -> R<Account> {
        one(&mut self.tx, ACCOUNT_BY_ID, ByKey::Id(id))
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("konto {id}")))
    }

    /// Creates an account without roles, with a password the person chose. The email is
    /// normalised; one already in use, in any letters, is [`AccountError::EmailTaken`].
    pub async fn add_account(
        &mut self,
        email: &str,
        display_name: &str,
        password: &PasswordHash,
    ) -> R<Account> {
        self.insert_account(email, display_name, password, false)
            .await
    }

    /// [`Writer::add_account`] with a password given to the person (a one-time password,
    /// shown once): the account must change it at its first sign-in
    /// ([`Account::must_change_password`]).
    pub async fn add_account_with_one_time_password(
        &mut self,
        email: &str,
        display_name: &str,
        password: &PasswordHash,
    ) -> R<Account> {
        self.insert_account(email, display_name, password, true)
            .await
    }

    async fn insert_account(
        &mut self,
        email: &str,
        display_name: &str,
        password: &PasswordHash,
        one_time: bool,
    ) -> R<Account> {
        let email = normalize_email(email)?;
        let name = normalize_name(display_name)?;
        if by_email(&mut self.tx, &email).await?.is_some() {
            return Err(AccountError::EmailTaken(email).into());
        }
        let now = now_text();
        let id: i64 = sqlx::query(
            "INSERT INTO account (email, display_name, password_hash, disabled, must_change_password, version, created_at, updated_at) VALUES ($1, $2, $3, 0, $4, 1, $5, $5) RETURNING id",
        )
        .bind(email.clone())
        .bind(name)
        .bind(password.as_str().to_string())
        .bind(i64::from(one_time))
        .bind(now)
        .fetch_one(&mut *self.tx)
        .await
        .map_err(|e| match &e {
            // Created by someone else at the same moment.
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Account(AccountError::EmailTaken(email.clone()))
            }
            _ => StoreError::Database(e),
        })?
        .try_get(0)?;
        let account = self.require_account(AccountId(id)).await?;
        self.audit::<(), _>("create", "account", id, None, Some(&account))
            .await?;
        Ok(account)
    }

    /// Gives the account a role on a node (and everything below it). Returns `false`, and
    /// changes nothing, when it held that role there already.
    pub async fn grant_role(&mut self, id: AccountId, grant: RoleGrant) -> R<bool> {
        let before = self.require_account(id).await?;
        self.require_node(grant.node_id).await?;
        if before.grants.contains(&grant) {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO role_grant (account_id, role, node_id, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(id.0)
        .bind(grant.role.code())
        .bind(grant.node_id.0)
        .bind(now_text())
        .execute(&mut *self.tx)
        .await?;
        let after = self.require_account(id).await?;
        self.audit("grant", "account", id, Some(&before), Some(&after))
            .await?;
        Ok(true)
    }

    /// Takes a role on a node from the account. A role it does not hold there is
    /// [`StoreError::NotFound`].
    pub async fn revoke_role(&mut self, id: AccountId, grant: RoleGrant) -> R<()> {
        let before = self.require_account(id).await?;
        let removed = sqlx::query(
            "DELETE FROM role_grant WHERE account_id = $1 AND role = $2 AND node_id = $3",
        )
        .bind(id.0)
        .bind(grant.role.code())
        .bind(grant.node_id.0)
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        if removed == 0 {
            return Err(StoreError::NotFound(format!(
                "rollen {} på nod {} för {}",
                grant.role.code(),
                grant.node_id,
                before.email
            )));
        }
        let after = self.require_account(id).await?;
        self.audit("revoke", "account", id, Some(&before), Some(&after))
            .await?;
        Ok(())
    }

    /// Disables the account: it can no longer sign in, and its sessions end. Versioned: `expected_version` is the
    /// version the change was made from. Disabling a disabled account changes nothing.
    pub async fn disable_account(&mut self, id: AccountId, expected_version: i64) -> R<Account> {
        let before = self.require_account(id).await?;
        if before.disabled {
            if before.version != expected_version {
                return Err(account_row(&before).conflict(expected_version, before.version));
            }
            return Ok(before);
        }
        let row = account_row(&before).set("disabled", 1);
        self.write_versioned(row, expected_version, before.version)
            .await?;
        // Signed out everywhere at once; API tokens stay (revoked by nothing, refused while
        // the account is disabled).
        self.delete_sessions_of(id).await?;
        let after = self.require_account(id).await?;
        self.audit("disable", "account", id, Some(&before), Some(&after))
            .await?;
        Ok(after)
    }

    /// Replaces the account's password with one the person chose, which clears
    /// [`Account::must_change_password`]. Versioned like [`Writer::disable_account`]; the
    /// audit trail records that it changed, never the hash.
    pub async fn set_password_hash(
        &mut self,
        id: AccountId,
        password: &PasswordHash,
        expected_version: i64,
    ) -> R<Account> {
        self.replace_password(id, password, expected_version, false)
            .await
    }

    /// Gives the account a one-time password (shown once to whoever set it): the person
    /// must choose their own at their next sign-in. Versioned and audited like
    /// [`Writer::set_password_hash`].
    pub async fn set_one_time_password(
        &mut self,
        id: AccountId,
        password: &PasswordHash,
        expected_version: i64,
    ) -> R<Account> {
        self.replace_password(id, password, expected_version, true)
            .await
    }

    async fn replace_password(
        &mut self,
        id: AccountId,
        password: &PasswordHash,
        expected_version: i64,
        one_time: bool,
    ) -> R<Account> {
        let before = self.require_account(id).await?;
        let row = account_row(&before)
            .set("password_hash", password.as_str())
            .set("must_change_password", i64::from(one_time));
        self.write_versioned(row, expected_version, before.version)
            .await?;
        let after = self.require_account(id).await?;
        self.audit("set_password", "account", id, Some(&before), Some(&after))
            .await?;
        Ok(after)
    }
}
