//! Sessions, API tokens and the sign-in limit, in the database so that several web nodes
//! share them (see migration 0005).
//!
//! - **Sessions.** [`Writer::create_session`] makes a new random 256-bit id at every
//!   sign-in (no fixation) and hands it out once as a [`SessionSecret`] (the cookie value);
//!   the database keeps only its SHA-256. [`Store::session`] looks one up in a single query
//!   (session, account and roles joined): nothing for an unknown, malformed or expired id
//!   (idle or absolute) or a disabled account. Using a session moves its idle deadline on,
//!   but at most once per [`TOUCH_EVERY`]: the lookup sees when it was last seen, and only
//!   when that is older does a second, cheap `UPDATE … WHERE last_seen_at < …` run, so a
//!   busy session costs one write a minute, not one per request.
//! - **Last sign-in** is kept in `account_sign_in`, not in the versioned account row: a
//!   sign-in is not an edit of the account, so it does not move the account's version (an
//!   administrator's open edit of the account stays valid).
//! - **API tokens** are `mk_` and 43 base64url characters (32 random bytes), printed once;
//!   only their SHA-256 is stored.
//! - **Throttling.** Failed sign-ins are counted per normalised email and per client address:
//!   [`MAX_FAILURES`] within [`FAILURE_WINDOW`] block further attempts until the oldest of
//!   them leaves the window. A successful sign-in clears the account's count.
//!
//! Sign-ins, failed sign-ins, sign-outs, token creations and revocations are audited; the
//! audit trail never holds a session id, token, hash or password.

use crate::read::query;
use crate::{Store, StoreError, Writer, parse_timestamp, timestamp_text};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64ct::{Base64UrlUnpadded, Encoding};
use malkedja_domain::{AccountId, Grant, NodeId, Role, normalize_email};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::time::Duration;
use time::OffsetDateTime;

type R<T> = Result<T, StoreError>;

/// A session is touched (its idle deadline moved on) at most this often.
pub const TOUCH_EVERY: Duration = Duration::from_secs(60);
/// Failed sign-ins for one account or from one address that block further attempts…
pub const MAX_FAILURES: i64 = 5;
/// …within this window.
pub const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);
/// The prefix of every API token.
pub const TOKEN_PREFIX: &str = "mk_";
/// Default idle timeout of a session.
pub const DEFAULT_IDLE: Duration = Duration::from_secs(8 * 3600);
/// Default absolute lifetime of a session.
pub const DEFAULT_ABSOLUTE: Duration = Duration::from_secs(7 * 24 * 3600);

/// Length of 32 bytes in unpadded base64url.
const SECRET_LEN: usize = 43;

/// 32 random bytes from the operating system, as unpadded base64url.
fn random_text() -> R<String> {
    let mut bytes = [0u8; 32];
    OsRng
        .try_fill_bytes(&mut bytes)
        .map_err(|e| StoreError::Corrupt(format!("ingen slumpkälla: {e}")))?;
    let mut buf = [0u8; 64];
    let text = Base64UrlUnpadded::encode(&bytes, &mut buf)
        .map_err(|e| StoreError::Corrupt(format!("base64: {e}")))?;
    Ok(text.to_string())
}

/// Whether `s` is 43 base64url characters that decode to exactly 32 bytes.
fn well_formed(s: &str) -> bool {
    let mut buf = [0u8; 33];
    s.len() == SECRET_LEN && Base64UrlUnpadded::decode(s, &mut buf).is_ok_and(|b| b.len() == 32)
}

/// The SHA-256 of `secret`, as 64 lower-case hex digits: what the database keeps.
fn hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn plus(t: OffsetDateTime, d: Duration) -> OffsetDateTime {
    t.checked_add(time::Duration::try_from(d).unwrap_or(time::Duration::MAX))
        .unwrap_or(t)
}

fn minus(t: OffsetDateTime, d: Duration) -> OffsetDateTime {
    t.checked_sub(time::Duration::try_from(d).unwrap_or(time::Duration::MAX))
        .unwrap_or(t)
}

/// The value of a session cookie, shown once at sign-in. Its `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionSecret(String);

impl SessionSecret {
    /// The cookie value.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SessionSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionSecret(…)")
    }
}

/// An API token, shown once when it is made. Its `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenSecret(String);

impl TokenSecret {
    /// The token as the client sends it: `mk_…`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for TokenSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenSecret(…)")
    }
}

/// A new session: the cookie value and the session's CSRF token.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub secret: SessionSecret,
    pub csrf_token: String,
    pub expires_at: String,
}

/// The person a valid session or token belongs to, with the roles they hold now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub account: AccountId,
    pub email: String,
    pub display_name: String,
    pub grants: Vec<Grant>,
    /// The account has a one-time password: the person must choose their own before doing
    /// anything else.
    pub must_change_password: bool,
}

/// A valid session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    pub who: SignedIn,
    /// The per-session token every state-changing form must carry.
    pub csrf_token: String,
}

/// A valid API token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    pub token_id: i64,
    pub who: SignedIn,
}

/// An API token as listed: never its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub account: AccountId,
    pub email: String,
    pub name: String,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
    pub last_used_at: Option<String>,
}

/// What the audit trail records of a sign-in or a failed one: never a secret.
#[derive(Serialize)]
struct SignInEvent<'a> {
    address: Option<&'a str>,
    expires_at: Option<&'a str>,
}

const SESSION_LOOKUP: &str = "SELECT s.account_id, s.csrf_token, s.last_seen_at, s.idle_seconds, a.email, a.display_name, a.must_change_password, g.role, g.node_id FROM session s JOIN account a ON a.id = s.account_id LEFT JOIN role_grant g ON g.account_id = a.id WHERE s.id_hash = $1 AND s.expires_at > $2 AND s.idle_expires_at > $2 AND a.disabled = 0";

const TOKEN_LOOKUP: &str = "SELECT t.id AS token_id, t.account_id, t.last_used_at, a.email, a.display_name, a.must_change_password, g.role, g.node_id FROM api_token t JOIN account a ON a.id = t.account_id LEFT JOIN role_grant g ON g.account_id = a.id WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2) AND a.disabled = 0";

const TOKEN_COLS: &str = "SELECT t.id, t.account_id, a.email, t.name, t.created_at, t.expires_at, t.revoked_at, t.last_used_at FROM api_token t JOIN account a ON a.id = t.account_id";

/// The person of the joined rows (one per grant; a person without roles is one row with
/// null role), or `None` when there are no rows.
fn signed_in(rows: &[sqlx::any::AnyRow]) -> R<Option<SignedIn>> {
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let mut grants = Vec::new();
    for r in rows {
        let role: Option<String> = r.try_get("role")?;
        let node: Option<i64> = r.try_get("node_id")?;
        if let (Some(code), Some(node)) = (role, node) {
            let role = Role::from_code(&code)
                .ok_or_else(|| StoreError::Corrupt(format!("okänd roll {code:?}")))?;
            grants.push(Grant {
                role,
                scope: NodeId(node),
            });
        }
    }
    grants.sort_by_key(|g| (g.role.code(), g.scope.0));
    let must_change: i64 = first.try_get("must_change_password")?;
    Ok(Some(SignedIn {
        account: AccountId(first.try_get("account_id")?),
        email: first.try_get("email")?,
        display_name: first.try_get("display_name")?,
        grants,
        must_change_password: must_change != 0,
    }))
}

fn token_from(r: &sqlx::any::AnyRow) -> R<ApiToken> {
    Ok(ApiToken {
        id: r.try_get("id")?,
        account: AccountId(r.try_get("account_id")?),
        email: r.try_get("email")?,
        name: r.try_get("name")?,
        created_at: r.try_get("created_at")?,
        expires_at: r.try_get("expires_at")?,
        revoked_at: r.try_get("revoked_at")?,
        last_used_at: r.try_get("last_used_at")?,
    })
}

/// The email as the limit counts it: normalised when it is an address, otherwise trimmed
/// and lower-cased, and never longer than the column allows.
fn attempt_email(email: &str) -> String {
    let e = normalize_email(email).unwrap_or_else(|_| email.trim().to_lowercase());
    e.chars().take(254).collect()
}

fn attempt_address(address: &str) -> String {
    address.trim().chars().take(100).collect()
}

impl Store {
    /// The valid session whose cookie value is `secret` at `now`: one query. `None` for a
    /// malformed, unknown or expired (idle or absolute) session or a disabled account. A
    /// session last seen more than [`TOUCH_EVERY`] ago has its idle deadline moved on.
    pub async fn session(&self, secret: &str, now: OffsetDateTime) -> R<Option<SessionInfo>> {
        if !well_formed(secret) {
            return Ok(None);
        }
        let id_hash = hash(secret);
        let now_text = timestamp_text(now);
        let rows = query(SESSION_LOOKUP)
            .bind(id_hash.clone())
            .bind(now_text.clone())
            .fetch_all(&mut *self.conn().await?)
            .await?;
        let Some(who) = signed_in(&rows)? else {
            return Ok(None);
        };
        let first = &rows[0];
        let csrf_token: String = first.try_get("csrf_token")?;
        let last_seen: String = first.try_get("last_seen_at")?;
        let idle_seconds: i64 = first.try_get("idle_seconds")?;
        let stale = timestamp_text(minus(now, TOUCH_EVERY));
        if last_seen < stale {
            let idle = Duration::from_secs(idle_seconds.max(1).unsigned_abs());
            // Several nodes may touch at once; the condition makes all but one a no-op.
            query(
                "UPDATE session SET last_seen_at = $1, idle_expires_at = $2 WHERE id_hash = $3 AND last_seen_at < $4",
            )
            .bind(now_text)
            .bind(timestamp_text(plus(now, idle)))
            .bind(id_hash)
            .bind(stale)
            .execute(&mut *self.conn().await?)
            .await?;
        }
        Ok(Some(SessionInfo { who, csrf_token }))
    }

    /// The person the API token `secret` acts for at `now`, with their roles. `None` for a
    /// malformed, unknown, expired or revoked token or a disabled account. Its last use is
    /// recorded at most once per [`TOUCH_EVERY`].
    pub async fn token(&self, secret: &str, now: OffsetDateTime) -> R<Option<TokenInfo>> {
        let Some(body) = secret.strip_prefix(TOKEN_PREFIX) else {
            return Ok(None);
        };
        if !well_formed(body) {
            return Ok(None);
        }
        let now_text = timestamp_text(now);
        let rows = query(TOKEN_LOOKUP)
            .bind(hash(secret))
            .bind(now_text.clone())
            .fetch_all(&mut *self.conn().await?)
            .await?;
        let Some(who) = signed_in(&rows)? else {
            return Ok(None);
        };
        let token_id: i64 = rows[0].try_get("token_id")?;
        let last_used: Option<String> = rows[0].try_get("last_used_at")?;
        let stale = timestamp_text(minus(now, TOUCH_EVERY));
        if last_used.is_none_or(|t| t < stale) {
            query(
                "UPDATE api_token SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)",
            )
            .bind(now_text)
            .bind(token_id)
            .bind(stale)
            .execute(&mut *self.conn().await?)
            .await?;
        }
        Ok(Some(TokenInfo { token_id, who }))
    }

    /// The account's API tokens, newest first (never their hashes).
    pub async fn tokens_of(&self, account: AccountId) -> R<Vec<ApiToken>> {
        crate::read::sql(format!(
            "{TOKEN_COLS} WHERE t.account_id = $1 ORDER BY t.id DESC"
        ))
        .bind(account.0)
        .fetch_all(&mut *self.conn().await?)
        .await?
        .iter()
        .map(token_from)
        .collect()
    }

    /// Every API token, by account email and then newest first.
    pub async fn all_tokens(&self) -> R<Vec<ApiToken>> {
        crate::read::sql(format!("{TOKEN_COLS} ORDER BY a.email, t.id DESC"))
            .fetch_all(&mut *self.conn().await?)
            .await?
            .iter()
            .map(token_from)
            .collect()
    }

    /// Whether a sign-in for `email` from `address` is refused at `now`: the seconds until
    /// one may try again (at least 1), when [`MAX_FAILURES`] failed sign-ins for that
    /// account, or from that address, lie within [`FAILURE_WINDOW`].
    pub async fn sign_in_blocked(
        &self,
        email: &str,
        address: &str,
        now: OffsetDateTime,
    ) -> R<Option<u64>> {
        let since = timestamp_text(minus(now, FAILURE_WINDOW));
        let mut c = self.conn().await?;
        let mut retry: Option<u64> = None;
        for (sql, key) in [
            (
                "SELECT at FROM sign_in_attempt WHERE email = $1 AND at > $2 ORDER BY at DESC LIMIT 1 OFFSET $3",
                attempt_email(email),
            ),
            (
                "SELECT at FROM sign_in_attempt WHERE address = $1 AND at > $2 ORDER BY at DESC LIMIT 1 OFFSET $3",
                attempt_address(address),
            ),
        ] {
            // The MAX_FAILURES-th most recent failure in the window: blocked until it
            // leaves the window.
            let row = query(sql)
                .bind(key)
                .bind(since.clone())
                .bind(MAX_FAILURES - 1)
                .fetch_optional(&mut *c)
                .await?;
            if let Some(row) = row {
                let at = parse_timestamp(&row.try_get::<String, _>(0)?)?;
                let until = plus(at, FAILURE_WINDOW);
                let secs = (until - now).as_seconds_f64().ceil().max(1.0) as u64;
                retry = Some(retry.map_or(secs, |r| r.max(secs)));
            }
        }
        Ok(retry)
    }
}

impl Writer {
    /// Signs the account in: a new session with a fresh random id (never one the client
    /// offered), valid until `idle` passes without use or `absolute` after now. Records the
    /// sign-in (not a versioned change of the account), clears the account's failed
    /// sign-ins and audits it. A disabled or unknown account is [`StoreError::NotFound`].
    pub async fn create_session(
        &mut self,
        account: AccountId,
        idle: Duration,
        absolute: Duration,
    ) -> R<NewSession> {
        self.create_session_from(account, None, idle, absolute)
            .await
    }

    /// [`Writer::create_session`], recording the client's address in the audit trail.
    pub async fn create_session_from(
        &mut self,
        account: AccountId,
        address: Option<&str>,
        idle: Duration,
        absolute: Duration,
    ) -> R<NewSession> {
        let row = query("SELECT email FROM account WHERE id = $1 AND disabled = 0")
            .bind(account.0)
            .fetch_optional(&mut *self.tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("aktivt konto {account}")))?;
        let email: String = row.try_get(0)?;
        let secret = random_text()?;
        let csrf_token = random_text()?;
        let now = OffsetDateTime::now_utc();
        let now_text = timestamp_text(now);
        let idle = idle.max(Duration::from_secs(1));
        let expires_at = timestamp_text(plus(now, absolute));
        query(
            "INSERT INTO session (id_hash, account_id, csrf_token, created_at, last_seen_at, idle_seconds, idle_expires_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5, $6, $7)",
        )
        .bind(hash(&secret))
        .bind(account.0)
        .bind(csrf_token.clone())
        .bind(now_text.clone())
        .bind(i64::try_from(idle.as_secs()).unwrap_or(i64::MAX))
        .bind(timestamp_text(plus(now, idle)))
        .bind(expires_at.clone())
        .execute(&mut *self.tx)
        .await?;
        query(
            "INSERT INTO account_sign_in (account_id, last_sign_in_at) VALUES ($1, $2) ON CONFLICT (account_id) DO UPDATE SET last_sign_in_at = excluded.last_sign_in_at",
        )
        .bind(account.0)
        .bind(now_text)
        .execute(&mut *self.tx)
        .await?;
        query("DELETE FROM sign_in_attempt WHERE email = $1")
            .bind(email)
            .execute(&mut *self.tx)
            .await?;
        let event = SignInEvent {
            address,
            expires_at: Some(&expires_at),
        };
        self.audit::<(), _>("sign_in", "account", account, None, Some(&event))
            .await?;
        Ok(NewSession {
            secret: SessionSecret(secret),
            csrf_token,
            expires_at,
        })
    }

    /// Signs out: deletes the session whose cookie value is `secret`, on every node at
    /// once. Returns whether there was one.
    pub async fn delete_session(&mut self, secret: &str) -> R<bool> {
        if !well_formed(secret) {
            return Ok(false);
        }
        let row = query("DELETE FROM session WHERE id_hash = $1 RETURNING account_id")
            .bind(hash(secret))
            .fetch_optional(&mut *self.tx)
            .await?;
        let Some(row) = row else {
            return Ok(false);
        };
        let account: i64 = row.try_get(0)?;
        self.audit::<(), ()>("sign_out", "account", account, None, None)
            .await?;
        Ok(true)
    }

    /// Ends every other session of the account than the one whose cookie value is `keep`
    /// (when the person chose a new password: whoever signed in with the old one is signed
    /// out). Returns how many.
    pub async fn delete_other_sessions_of(&mut self, account: AccountId, keep: &str) -> R<u64> {
        Ok(
            query("DELETE FROM session WHERE account_id = $1 AND id_hash <> $2")
                .bind(account.0)
                .bind(hash(keep))
                .execute(&mut *self.tx)
                .await?
                .rows_affected(),
        )
    }

    /// Ends every session of the account (when it is disabled). Returns how many.
    pub async fn delete_sessions_of(&mut self, account: AccountId) -> R<u64> {
        Ok(query("DELETE FROM session WHERE account_id = $1")
            .bind(account.0)
            .execute(&mut *self.tx)
            .await?
            .rows_affected())
    }

    /// Deletes the sessions expired at `now` (idle or absolute) and failed sign-ins that
    /// no longer count. Returns how many sessions went.
    pub async fn purge_expired_sessions(&mut self, now: OffsetDateTime) -> R<u64> {
        let now_text = timestamp_text(now);
        let n = query("DELETE FROM session WHERE expires_at <= $1 OR idle_expires_at <= $1")
            .bind(now_text)
            .execute(&mut *self.tx)
            .await?
            .rows_affected();
        query("DELETE FROM sign_in_attempt WHERE at <= $1")
            .bind(timestamp_text(minus(now, FAILURE_WINDOW)))
            .execute(&mut *self.tx)
            .await?;
        Ok(n)
    }

    /// Counts a failed sign-in for `email` (whether or not it names an account) from
    /// `address`, and audits it (the address, never the password). Failed sign-ins older
    /// than the window are purged on the way.
    pub async fn record_failed_sign_in(
        &mut self,
        email: &str,
        address: &str,
        now: OffsetDateTime,
    ) -> R<()> {
        let email = attempt_email(email);
        let address = attempt_address(address);
        query("DELETE FROM sign_in_attempt WHERE at <= $1")
            .bind(timestamp_text(minus(now, FAILURE_WINDOW)))
            .execute(&mut *self.tx)
            .await?;
        query("INSERT INTO sign_in_attempt (email, address, at) VALUES ($1, $2, $3)")
            .bind(email.clone())
            .bind(address.clone())
            .bind(timestamp_text(now))
            .execute(&mut *self.tx)
            .await?;
        let event = SignInEvent {
            address: Some(&address),
            expires_at: None,
        };
        let account = query("SELECT id FROM account WHERE email = $1")
            .bind(email.clone())
            .fetch_optional(&mut *self.tx)
            .await?;
        match account {
            Some(row) => {
                let id: i64 = row.try_get(0)?;
                self.audit::<(), _>("sign_in_failed", "account", id, None, Some(&event))
                    .await
            }
            None => {
                self.audit::<(), _>("sign_in_failed", "sign_in", email, None, Some(&event))
                    .await
            }
        }
    }

    /// Makes an API token for the account, valid for `expires_in` from now (`None`: until
    /// revoked), and returns it: the only time it is seen. The database keeps only its
    /// SHA-256.
    pub async fn create_token(
        &mut self,
        account: AccountId,
        name: &str,
        expires_in: Option<Duration>,
    ) -> R<(ApiToken, TokenSecret)> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(StoreError::Placement(
                "nyckelns namn ska ha 1–100 tecken".to_string(),
            ));
        }
        query("SELECT id FROM account WHERE id = $1 AND disabled = 0")
            .bind(account.0)
            .fetch_optional(&mut *self.tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("aktivt konto {account}")))?;
        let secret = format!("{TOKEN_PREFIX}{}", random_text()?);
        let now = OffsetDateTime::now_utc();
        let id: i64 = query(
            "INSERT INTO api_token (account_id, name, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(account.0)
        .bind(name.to_string())
        .bind(hash(&secret))
        .bind(timestamp_text(now))
        .bind(expires_in.map(|d| timestamp_text(plus(now, d))))
        .fetch_one(&mut *self.tx)
        .await?
        .try_get(0)?;
        let token = self.require_token(id).await?;
        self.audit::<(), _>("create", "api_token", id, None, Some(&token))
            .await?;
        Ok((token, TokenSecret(secret)))
    }

    async fn require_token(&mut self, id: i64) -> R<ApiToken> {
        let row = crate::read::sql(format!("{TOKEN_COLS} WHERE t.id = $1"))
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("API-nyckel {id}")))?;
        token_from(&row)
    }

    /// Revokes the token `id`. With `owner`, only a token of that account (someone
    /// managing their own tokens); without, any (the command line). A token that is not
    /// there (or not the owner's) is [`StoreError::NotFound`]; revoking a revoked token
    /// changes nothing.
    pub async fn revoke_token(&mut self, owner: Option<AccountId>, id: i64) -> R<ApiToken> {
        let before = self.require_token(id).await?;
        if owner.is_some_and(|o| o != before.account) {
            return Err(StoreError::NotFound(format!("API-nyckel {id}")));
        }
        if before.revoked_at.is_some() {
            return Ok(before);
        }
        query("UPDATE api_token SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(timestamp_text(OffsetDateTime::now_utc()))
            .bind(id)
            .execute(&mut *self.tx)
            .await?;
        let after = self.require_token(id).await?;
        self.audit("revoke", "api_token", id, Some(&before), Some(&after))
            .await?;
        Ok(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_well_formed_and_hashed() {
        let a = random_text().unwrap();
        let b = random_text().unwrap();
        assert_ne!(a, b);
        assert!(well_formed(&a), "{a}");
        assert!(!well_formed(&a[1..]));
        assert!(!well_formed(&format!("{}!", &a[1..])));
        assert_eq!(hash(&a).len(), 64);
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
