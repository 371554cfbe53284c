//! People who sign in: accounts, the roles they hold on organisation nodes, and the rules
//! for their email addresses and passwords.
//!
//! Limits (so that an overlong input is a clear refusal, never work for the server):
//! - an email address is at most [`EMAIL_MAX_CHARS`] characters (RFC 5321's path limit)
//!   and is stored normalised: trimmed and lower-cased, so that uniqueness is
//!   case-insensitive on every backend;
//! - a password has at least [`PASSWORD_MIN_CHARS`] characters and at most
//!   [`PASSWORD_MAX_BYTES`] bytes (UTF-8), and is not one of a built-in list of common
//!   passwords (compared case-insensitively);
//! - a display name is at most [`NAME_MAX_CHARS`] characters.

use crate::{NodeId, Role};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fmt;
use std::sync::OnceLock;

/// The longest email address accepted, in characters.
pub const EMAIL_MAX_CHARS: usize = 254;
/// The shortest password accepted, in characters.
pub const PASSWORD_MIN_CHARS: usize = 12;
/// The longest password accepted, in bytes of UTF-8.
pub const PASSWORD_MAX_BYTES: usize = 1024;
/// The longest display name accepted, in characters.
pub const NAME_MAX_CHARS: usize = 200;

/// Stable id of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccountId(pub i64);

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A role held on an organisation node and everything below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RoleGrant {
    pub role: Role,
    pub node_id: NodeId,
}

/// A person who can sign in. The password hash is never part of it: it stays in the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: AccountId,
    /// Normalised: trimmed and lower-case.
    pub email: String,
    pub display_name: String,
    pub disabled: bool,
    /// The password was given to the person (a one-time password): they must choose their
    /// own at their next sign-in before doing anything else.
    #[serde(default)]
    pub must_change_password: bool,
    /// When the person last signed in (ISO 8601, UTC), `None` when never.
    pub last_sign_in_at: Option<String>,
    /// The roles the person holds, in role then node order.
    pub grants: Vec<RoleGrant>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// Why an email address, name or password is refused. Messages are Swedish.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error("e-postadressen får inte vara tom")]
    EmptyEmail,
    #[error("e-postadressen får vara högst {EMAIL_MAX_CHARS} tecken")]
    EmailTooLong,
    #[error("«{0}» är ingen e-postadress (den ska se ut som namn@exempel.se)")]
    MalformedEmail(String),
    #[error("det finns redan ett konto med e-postadressen {0}")]
    EmailTaken(String),
    #[error("namnet får inte vara tomt")]
    EmptyName,
    #[error("namnet får vara högst {NAME_MAX_CHARS} tecken")]
    NameTooLong,
    #[error("lösenordet måste ha minst {PASSWORD_MIN_CHARS} tecken")]
    PasswordTooShort,
    #[error("lösenordet får vara högst {PASSWORD_MAX_BYTES} byte")]
    PasswordTooLong,
    #[error("lösenordet är för vanligt och lätt att gissa; välj ett annat")]
    PasswordTooCommon,
}

/// The email address as stored: trimmed and lower-cased, checked for the basic shape
/// `local@domain.tld` and the length limit.
pub fn normalize_email(email: &str) -> Result<String, AccountError> {
    let email = email.trim().to_lowercase();
    if email.is_empty() {
        return Err(AccountError::EmptyEmail);
    }
    if email.chars().count() > EMAIL_MAX_CHARS {
        return Err(AccountError::EmailTooLong);
    }
    let malformed = || AccountError::MalformedEmail(email.clone());
    let (local, domain) = email.rsplit_once('@').ok_or_else(malformed)?;
    let well_formed = !local.is_empty()
        && local.len() <= 64
        && !local.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>()[]\\,;:\"".contains(c));
    if well_formed {
        Ok(email)
    } else {
        Err(malformed())
    }
}

/// The display name as stored: trimmed, not empty, not overlong.
pub fn normalize_name(name: &str) -> Result<String, AccountError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AccountError::EmptyName);
    }
    if name.chars().count() > NAME_MAX_CHARS {
        return Err(AccountError::NameTooLong);
    }
    Ok(name.to_string())
}

fn common_passwords() -> &'static HashSet<String> {
    static LIST: OnceLock<HashSet<String>> = OnceLock::new();
    LIST.get_or_init(|| {
        include_str!("common_passwords.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_lowercase)
            .collect()
    })
}

/// Whether a new password may be used: long enough, not overlong, not a common one.
pub fn check_password(password: &str) -> Result<(), AccountError> {
    if password.len() > PASSWORD_MAX_BYTES {
        return Err(AccountError::PasswordTooLong);
    }
    if password.chars().count() < PASSWORD_MIN_CHARS {
        return Err(AccountError::PasswordTooShort);
    }
    let lower = password.to_lowercase();
    let one_character = lower.chars().all(|c| lower.starts_with(c));
    if one_character || common_passwords().contains(&lower) {
        return Err(AccountError::PasswordTooCommon);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(
            normalize_email("  Anna.Andersson@Exempel.SE \n").unwrap(),
            "anna.andersson@exempel.se"
        );
        assert_eq!(normalize_email("Åsa@Kommun.se").unwrap(), "åsa@kommun.se");
    }

    #[test]
    fn malformed_emails_are_refused() {
        assert_eq!(normalize_email("  "), Err(AccountError::EmptyEmail));
        for bad in [
            "anna",
            "anna@",
            "@exempel.se",
            "anna@exempel",
            "anna@.se",
            "anna@exempel.",
            "anna@exempel..se",
            "an na@exempel.se",
            "anna@@exempel.se",
            "<anna@exempel.se>",
        ] {
            assert!(
                matches!(normalize_email(bad), Err(AccountError::MalformedEmail(_))),
                "{bad}"
            );
        }
        let long = format!("{}@exempel.se", "a".repeat(250));
        assert_eq!(normalize_email(&long), Err(AccountError::EmailTooLong));
        let longest = format!("{}@{}.se", "a".repeat(60), "b".repeat(190));
        assert_eq!(longest.len(), 254);
        assert!(normalize_email(&longest).is_ok());
    }

    #[test]
    fn names_are_trimmed_and_required() {
        assert_eq!(normalize_name(" Anna ").unwrap(), "Anna");
        assert_eq!(normalize_name(" "), Err(AccountError::EmptyName));
        assert_eq!(
            normalize_name(&"x".repeat(NAME_MAX_CHARS + 1)),
            Err(AccountError::NameTooLong)
        );
    }

    #[test]
    fn passwords_need_twelve_characters() {
        assert_eq!(
            check_password("kort-lösen1"),
            Err(AccountError::PasswordTooShort)
        );
        // Characters, not bytes: eleven Swedish letters are still too short.
        assert_eq!(
            check_password("åäöåäöåäöåä"),
            Err(AccountError::PasswordTooShort)
        );
        assert_eq!(check_password("vind-och-våg-7"), Ok(()));
    }

    #[test]
    fn overlong_passwords_are_refused() {
        assert_eq!(check_password(&"xy".repeat(512)), Ok(()));
        assert_eq!(
            check_password(&format!("{}z", "xy".repeat(512))),
            Err(AccountError::PasswordTooLong)
        );
    }

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        assert!(
            common_passwords().len() >= 300,
            "{}",
            common_passwords().len()
        );
        for common in [
            "password1234",
            "PASSWORD1234",
            "Qwerty123456",
            "123456789012",
            "Sommar2025!!",
            "Välkommen123",
            "aaaaaaaaaaaaaaaa",
        ] {
            assert_eq!(
                check_password(common),
                Err(AccountError::PasswordTooCommon),
                "{common}"
            );
        }
    }
}
