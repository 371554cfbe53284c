//! The edit page every goal, indicator and activity form shares (`editor.html`): labelled
//! fields with hints and guidance, an error summary at the top linking to each field and
//! the message again at the field, the stored value beside a field after a conflict, and
//! the writer's words kept in every case. Which fields a form has and what they mean is the
//! caller's (goals.rs).

use crate::error::AppError;
use crate::forms::FormErrors;
use crate::views::Crumb;
use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// How a field is typed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    /// One line.
    Line,
    /// A date (`<input type="date">`, ÅÅÅÅ-MM-DD without one).
    Date,
    /// Paragraphs.
    Text,
    /// One of these (value, label).
    Choice(Vec<(String, String)>),
    /// Yes or no: a checkbox, its label after it; the value is [`CHECKED`] or empty.
    Checkbox,
}

/// The value a checked checkbox sends and holds.
pub const CHECKED: &str = "ja";

/// One field of an edit form.
#[derive(Debug, Clone)]
pub struct Field {
    /// The input's `id` and `name`; the error summary links to it.
    pub id: String,
    pub label: String,
    pub kind: FieldKind,
    /// What the field holds: the stored value, or what the writer sent.
    pub value: String,
    pub hint: String,
    /// The template's guidance for this text: shown beside the field, never printed.
    pub guidance: String,
    /// After a conflict: what is stored now, when it differs from what the writer sent.
    pub theirs: Option<String>,
    pub required: bool,
}

impl Field {
    pub fn new(id: impl Into<String>, label: impl Into<String>, kind: FieldKind) -> Field {
        Field {
            id: id.into(),
            label: label.into(),
            kind,
            value: String::new(),
            hint: String::new(),
            guidance: String::new(),
            theirs: None,
            required: false,
        }
    }

    pub fn value(mut self, value: impl Into<String>) -> Field {
        self.value = value.into();
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Field {
        self.hint = hint.into();
        self
    }

    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }

    pub fn is_text(&self) -> bool {
        self.kind == FieldKind::Text
    }

    pub fn is_checkbox(&self) -> bool {
        self.kind == FieldKind::Checkbox
    }

    pub fn checked(&self) -> bool {
        self.value == CHECKED
    }

    /// A checkbox: holds [`CHECKED`] when `on`.
    pub fn check(self, on: bool) -> Field {
        self.value(if on { CHECKED } else { "" })
    }

    /// Guidance shown beside the field (never printed).
    pub fn guidance(mut self, guidance: impl Into<String>) -> Field {
        self.guidance = guidance.into();
        self
    }

    /// The value as a reader sees it: a choice by its label, a checkbox as Ja or Nej.
    pub fn shown(&self) -> String {
        match &self.kind {
            FieldKind::Checkbox => if self.checked() { "Ja" } else { "Nej" }.to_string(),
            FieldKind::Choice(options) => options
                .iter()
                .find(|(v, _)| *v == self.value)
                .map(|(_, l)| l.clone())
                .unwrap_or_else(|| self.value.clone()),
            _ => self.value.clone(),
        }
    }

    pub fn described(&self, errors: &FormErrors) -> bool {
        !self.hint.is_empty() || errors.get(&self.id).is_some()
    }

    /// The ids of the hint and the error message that describe the field.
    pub fn describedby(&self, errors: &FormErrors) -> String {
        let mut ids = Vec::new();
        if !self.hint.is_empty() {
            ids.push(format!("{}-tips", self.id));
        }
        if errors.get(&self.id).is_some() {
            ids.push(format!("{}-fel", self.id));
        }
        ids.join(" ")
    }
}

/// A list of things that hang on what is edited (a goal's indicators), with a link to add
/// one.
#[derive(Debug, Clone)]
pub struct ItemList {
    pub heading: String,
    /// What the list says when it is empty.
    pub empty: String,
    /// (label, address)
    pub items: Vec<(String, String)>,
    pub add: Option<String>,
    pub add_label: String,
}

/// An edit page.
#[derive(Template)]
#[template(path = "editor.html")]
pub struct EditorPage {
    pub crumbs: Vec<Crumb>,
    pub heading: String,
    /// What it belongs to: "Verksamhetsplan 2026 för Enheten".
    pub context: String,
    /// The error summary's heading.
    pub refused: &'static str,
    pub saved: Option<String>,
    /// Read-only facts shown above the form: (label, text).
    pub about: Vec<(String, String)>,
    /// Why the form is not offered.
    pub closed: Option<String>,
    /// The writer's words could not be saved (the plan closed): shown to copy.
    pub unsaved: bool,
    pub conflict: bool,
    pub action: String,
    pub version: i64,
    pub fields: Vec<Field>,
    pub errors: FormErrors,
    pub submit: &'static str,
    pub lists: Vec<ItemList>,
    pub back: String,
    pub back_label: String,
    pub history: Option<String>,
    pub remove: Option<String>,
}

impl EditorPage {
    /// Sets the field `id`'s value to what the writer sent. A checkbox not sent is not
    /// checked.
    pub fn keep(&mut self, sent: &std::collections::HashMap<String, String>) {
        for f in &mut self.fields {
            if f.kind == FieldKind::Checkbox {
                let on = sent.get(&f.id).is_some_and(|v| !v.trim().is_empty());
                f.value = if on { CHECKED } else { "" }.to_string();
            } else if let Some(v) = sent.get(&f.id) {
                f.value = crate::plan_sections::normalize(v);
            }
        }
    }

    /// After a conflict: beside each field, what is stored now where it differs from what
    /// the writer sent (`stored` is the page as freshly loaded).
    pub fn show_theirs(&mut self, stored: &EditorPage) {
        self.conflict = true;
        self.version = stored.version;
        for f in &mut self.fields {
            if let Some(s) = stored.fields.iter().find(|s| s.id == f.id)
                && s.value.trim() != f.value.trim()
            {
                f.theirs = Some(s.shown());
            }
        }
    }

    pub fn respond(&self, status: StatusCode) -> Result<Response, AppError> {
        respond_html(status, self.render()?)
    }
}

/// A rendered page, never stored by a cache (it holds a form's token or a draft's words).
pub fn respond_html(status: StatusCode, html: String) -> Result<Response, AppError> {
    let mut res = (status, Html(html)).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// The version a form says it started from: a whole number from 0.
pub fn sent_version(sent: &std::collections::HashMap<String, String>) -> Option<i64> {
    sent.get("version")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|v| *v >= 0)
}
