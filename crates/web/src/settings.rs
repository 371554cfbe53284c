//! What the operator of a Målkedja server says about the organisation behind it: shown in
//! the accessibility statement (`/tillganglighet`). Set with `malkedja serve --org-name …
//! --contact-email … --contact-phone …`; what is not set is shown as a marked placeholder.

/// The server's settings. `Default` has nothing set: the pages show placeholders.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// The organisation that provides the service, e.g. "Sjövikens stadsdelsförvaltning".
    pub org_name: Option<String>,
    /// Where people report accessibility problems or ask for content in another format.
    pub contact_email: Option<String>,
    /// The same by telephone, as people should read it, e.g. "08-123 456 00".
    pub contact_phone: Option<String>,
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
        }
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
    fn phone_numbers_become_tel_addresses() {
        let s = Settings::new(None, None, Some("08-508 00 000".into()));
        assert_eq!(s.phone_href().as_deref(), Some("tel:0850800000"));
        let s = Settings::new(None, None, Some("+46 8 508 00 000".into()));
        assert_eq!(s.phone_href().as_deref(), Some("tel:+46850800000"));
        let s = Settings::new(None, None, Some("växeln".into()));
        assert_eq!(s.phone_href(), None);
    }
}
