//! What the forms of the pages share: field errors, shown in an error summary at the top of
//! the form (`role="alert"`, each message a link to its field) and again at the field
//! (`aria-invalid`, `aria-describedby`), as WCAG 3.3.1 and 3.3.3 ask.

use crate::error::AppError;
use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use std::fmt::Display;

/// A page with a form, with `status`: never stored by a cache (it holds what was typed).
pub fn respond<T: Template>(status: StatusCode, page: &T) -> Result<Response, AppError> {
    let mut res = (status, Html(page.render()?)).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// A message about one field of a form: `id` is the field's `id` attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub id: String,
    pub message: String,
}

/// The errors of one form, in the order of its fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormErrors(Vec<FieldError>);

impl FormErrors {
    /// Adds a message for the field `id`; a field keeps its first message only.
    pub fn add(&mut self, id: impl Into<String>, message: impl Into<String>) {
        let id = id.into();
        if self.get(&id).is_none() {
            self.0.push(FieldError {
                id,
                message: message.into(),
            });
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, FieldError> {
        self.0.iter()
    }

    /// The message for the field `id`, if it has one.
    pub fn get(&self, id: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.message.as_str())
    }
}

/// A rule's message ("lösenordet måste ha minst 12 tecken") as a sentence: capital first
/// letter and a full stop.
pub fn sentence(message: impl Display) -> String {
    let text = message.to_string();
    let mut chars = text.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if !out.is_empty() && !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_keeps_its_first_message() {
        let mut e = FormErrors::default();
        assert!(e.is_empty());
        e.add("namn", "Skriv ett namn.");
        e.add("epost", "Skriv en e-postadress.");
        e.add("namn", "Något annat.");
        assert_eq!(e.get("namn"), Some("Skriv ett namn."));
        assert_eq!(e.get("roll"), None);
        assert_eq!(
            e.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(),
            ["namn", "epost"]
        );
    }

    #[test]
    fn messages_become_sentences() {
        assert_eq!(
            sentence("lösenordet måste ha minst 12 tecken"),
            "Lösenordet måste ha minst 12 tecken."
        );
        assert_eq!(sentence("«x» är fel."), "«x» är fel.");
        assert_eq!(sentence("ärligt"), "Ärligt.");
        assert_eq!(sentence(""), "");
    }
}
