//! What the operator of a Målkedja server says about it: the organisation behind it (shown
//! in the accessibility statement, `/tillganglighet`; set with `malkedja serve --org-name …
//! --contact-email … --contact-phone …`; what is not set is shown as a marked placeholder),
//! the public address it is reached at, how long sessions last, and in demo mode the demo's
//! accounts.

use std::time::Duration;

/// A demo account as the sign-in page lists it (demo mode only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    pub email: String,
    pub password: String,
    pub name: String,
    /// The role, as people read it ("Enhetschef").
    pub role: String,
    /// Where the role holds ("Förskolan Solrosen").
    pub scope: String,
}

/// The server's settings. `Default` has nothing set: the pages show placeholders, cookies
/// are not `Secure`, sessions last the default times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The organisation that provides the service, e.g. "Sjövikens stadsdelsförvaltning".
    pub org_name: Option<String>,
    /// Where people report accessibility problems or ask for content in another format.
    pub contact_email: Option<String>,
    /// The same by telephone, as people should read it, e.g. "08-123 456 00".
    pub contact_phone: Option<String>,
    /// The origin people reach the server at (`https://mal.stad.se`), without a path. When
    /// it is https, the session cookie is `Secure` and every answer carries HSTS; state
    /// changes must come from exactly this origin. `None`: the host the browser addressed.
    pub public_origin: Option<String>,
    /// A session ends after this long without use…
    pub session_idle: Duration,
    /// …and at the latest this long after sign-in.
    pub session_absolute: Duration,
    /// Listed on the sign-in page: set only by `serve --demo`.
    pub demo_logins: Vec<DemoLogin>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            org_name: None,
            contact_email: None,
            contact_phone: None,
            public_origin: None,
            session_idle: malkedja_store::sessions::DEFAULT_IDLE,
            session_absolute: malkedja_store::sessions::DEFAULT_ABSOLUTE,
            demo_logins: Vec::new(),
        }
    }
}

/// Why a public address cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "den publika adressen ska se ut som https://mal.stad.se (http eller https, ingen sökväg), inte {0:?}"
)]
pub struct BadPublicUrl(pub String);

/// The origin of a public address: scheme and host (and port), lower-case, no path.
pub fn public_origin(url: &str) -> Result<String, BadPublicUrl> {
    let bad = || BadPublicUrl(url.to_string());
    let trimmed = url.trim().trim_end_matches('/');
    let uri: axum::http::Uri = trimmed.parse().map_err(|_| bad())?;
    let scheme = uri.scheme_str().ok_or_else(bad)?.to_ascii_lowercase();
    let authority = uri.authority().ok_or_else(bad)?;
    let has_path = uri
        .path_and_query()
        .is_some_and(|p| p.as_str() != "/" && !p.as_str().is_empty());
    if !(scheme == "http" || scheme == "https") || has_path || authority.as_str().contains('@') {
        return Err(bad());
    }
    Ok(format!(
        "{scheme}://{}",
        authority.as_str().to_ascii_lowercase()
    ))
}

impl Settings {
    /// Settings from the operator's values; empty or blank values count as not set.
    pub fn new(
        org_name: Option<String>,
        contact_email: Option<String>,
        contact_phone: Option<String>,
    ) -> Settings {
        let clean = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        Settings {
            org_name: clean(org_name),
            contact_email: clean(contact_email),
            contact_phone: clean(contact_phone),
            ..Settings::default()
        }
    }

    /// Whether the session cookie is `Secure` (and answers carry HSTS): the public address
    /// is https.
    pub fn secure_cookies(&self) -> bool {
        self.public_origin
            .as_deref()
            .is_some_and(|o| o.starts_with("https://"))
    }

    /// The configured public origin, if any.
    pub fn public_origin(&self) -> Option<&str> {
        self.public_origin.as_deref()
    }

    /// Whether anything the statement needs is still a placeholder.
    pub fn incomplete(&self) -> bool {
        self.org_name.is_none() || self.contact_email.is_none() || self.contact_phone.is_none()
    }

    /// The telephone number as a `tel:` address: digits and a leading plus only.
    pub fn phone_href(&self) -> Option<String> {
        let phone = self.contact_phone.as_deref()?;
        let mut out = String::from("tel:");
        for (i, c) in phone.chars().enumerate() {
            if c.is_ascii_digit() || (i == 0 && c == '+') {
                out.push(c);
            }
        }
        (out.len() > 4).then_some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_values_are_not_set() {
        let s = Settings::new(Some("  ".into()), Some(" a@b.se ".into()), None);
        assert_eq!(s.org_name, None);
        assert_eq!(s.contact_email.as_deref(), Some("a@b.se"));
        assert!(s.incomplete());
        assert!(Settings::default().incomplete());
    }

    #[test]
    fn public_addresses_become_origins() {
        assert_eq!(
            public_origin("https://Mal.Stad.se/").unwrap(),
            "https://mal.stad.se"
        );
        assert_eq!(
            public_origin("http://10.0.0.5:8080").unwrap(),
            "http://10.0.0.5:8080"
        );
        assert!(public_origin("mal.stad.se").is_err());
        assert!(public_origin("ftp://mal.stad.se").is_err());
        assert!(public_origin("https://mal.stad.se/malkedja").is_err());
        assert!(public_origin("https://user@mal.stad.se").is_err());
        let mut s = Settings::default();
        assert!(!s.secure_cookies());
        s.public_origin = Some(public_origin("https://mal.stad.se").unwrap());
        assert!(s.secure_cookies());
    }

    #[test]
    fn phone_numbers_become_tel_addresses() {
        let s = Settings::new(None, None, Some("08-508 00 000".into()));
        assert_eq!(s.phone_href().as_deref(), Some("tel:0850800000"));
        let s = Settings::new(None, None, Some("+46 8 508 00 000".into()));
        assert_eq!(s.phone_href().as_deref(), Some("tel:+46850800000"));
        let s = Settings::new(None, None, Some("växeln".into()));
        assert_eq!(s.phone_href(), None);
    }
}
