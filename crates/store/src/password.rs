//! Passwords: hashed with Argon2id at OWASP's recommended parameters (19 MiB of memory,
//! 2 passes, 1 lane) and a random salt from the operating system, kept as a PHC string
//! (`$argon2id$v=19$m=19456,t=2,p=1$…`). Hashing and verifying take tens of milliseconds of
//! CPU on purpose, so both run on a blocking thread: a server never stalls on them.

use crate::StoreError;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use malkedja_domain::{PASSWORD_MAX_BYTES, check_password};

/// Memory cost in KiB (OWASP: 19 MiB).
pub const MEMORY_KIB: u32 = 19_456;
/// Number of passes (OWASP: 2).
pub const PASSES: u32 = 2;
/// Degree of parallelism (OWASP: 1).
pub const LANES: u32 = 1;

/// A password's hash as the store keeps it. Made only by [`hash`], from a password that
/// passed the rules ([`check_password`]), so no weak or unhashed password can be stored.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(…)")
    }
}

fn hasher() -> Result<Argon2<'static>, StoreError> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None)
        .map_err(|e| StoreError::Password(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

fn hash_now(password: &str) -> Result<PasswordHash, StoreError> {
    check_password(password)?;
    let salt = SaltString::generate(&mut OsRng);
    let hash = hasher()?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| StoreError::Password(e.to_string()))?;
    Ok(PasswordHash(hash.to_string()))
}

fn verify_now(password: &str, stored: &str) -> bool {
    if password.len() > PASSWORD_MAX_BYTES {
        return false;
    }
    match argon2::PasswordHash::new(stored) {
        // The parameters are those the hash names, so older hashes keep verifying.
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| StoreError::Password(e.to_string()))
}

/// Checks a new password against the rules ([`check_password`]: a refusal is
/// [`StoreError::Account`]) and hashes it with a fresh random salt, on a blocking thread.
pub async fn hash(password: &str) -> Result<PasswordHash, StoreError> {
    let password = password.to_string();
    blocking(move || hash_now(&password)).await?
}

/// Whether `password` matches the stored PHC string, on a blocking thread. A malformed
/// stored hash or an overlong password simply does not match.
pub async fn verify(password: &str, stored: &str) -> Result<bool, StoreError> {
    let (password, stored) = (password.to_string(), stored.to_string());
    blocking(move || verify_now(&password, &stored)).await
}

/// Whether `password` is right for an account whose stored hash is `stored`; `None` (no
/// such account, or one that may not sign in) is checked against a stand-in hash and is
/// never right, so that the answer takes as long either way and time does not tell whether
/// an account exists.
pub async fn verify_sign_in(password: &str, stored: Option<&str>) -> Result<bool, StoreError> {
    static STAND_IN: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    match stored {
        Some(h) => verify(password, h).await,
        None => {
            let h = STAND_IN
                .get_or_try_init(|| async { hash(&generate()).await.map(|h| h.0) })
                .await?;
            verify(password, h).await.map(|_| false)
        }
    }
}

/// A strong random password to hand out once: 20 characters from an alphabet without
/// look-alikes (about 114 bits), drawn from the operating system's generator.
pub fn generate() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let n = ALPHABET.len() as u32;
    // Rejection sampling: only values below the largest multiple of n are used.
    let zone = u32::MAX - u32::MAX % n;
    let mut out = String::with_capacity(20);
    while out.len() < 20 {
        let v = OsRng.next_u32();
        if v < zone {
            out.push(char::from(ALPHABET[(v % n) as usize]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use malkedja_domain::AccountError;

    #[tokio::test]
    async fn a_missing_account_is_never_right() {
        assert!(!verify_sign_in("vind-och-våg-7", None).await.unwrap());
        let h = hash("vind-och-våg-7").await.unwrap();
        assert!(
            verify_sign_in("vind-och-våg-7", Some(h.as_str()))
                .await
                .unwrap()
        );
        assert!(
            !verify_sign_in("fel-lösenord-12", Some(h.as_str()))
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let h = hash("vind-och-våg-7").await.unwrap();
        assert!(
            h.as_str().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{}",
            h.as_str()
        );
        assert!(verify("vind-och-våg-7", h.as_str()).await.unwrap());
        assert!(!verify("vind-och-våg-8", h.as_str()).await.unwrap());
        assert!(!verify("", h.as_str()).await.unwrap());
        assert!(!verify("vind-och-våg-7", "inte en hash").await.unwrap());
        assert!(!format!("{h:?}").contains("argon2"));
    }

    #[tokio::test]
    async fn every_hash_has_its_own_salt() {
        let a = hash("vind-och-våg-7").await.unwrap();
        let b = hash("vind-och-våg-7").await.unwrap();
        assert_ne!(a, b);
    }

    #[tokio::test]
    async fn weak_passwords_are_never_hashed() {
        for (weak, why) in [
            ("kort", AccountError::PasswordTooShort),
            ("Password1234", AccountError::PasswordTooCommon),
        ] {
            match hash(weak).await {
                Err(StoreError::Account(e)) => assert_eq!(e, why),
                other => panic!("{weak}: {other:?}"),
            }
        }
    }

    #[test]
    fn generated_passwords_are_long_varied_and_pass_the_rules() {
        let a = generate();
        assert_eq!(a.chars().count(), 20);
        assert!(check_password(&a).is_ok());
        assert_ne!(a, generate());
    }
}
