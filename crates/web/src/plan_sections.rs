//! Writing the plan's own sections (Inledning, Organisationsbeskrivning, Budget, …): the
//! edit page (`/enheter/{id}/planer/{year}/avsnitt/{key}`), and what the page and the API
//! (`PUT /api/v1/units/{id}/plans/{year}/sections/{key}`) share.
//!
//! **No lost words.** A save states the version of the section it started from; if someone
//! else saved in between, the store refuses (`StoreError::Conflict`) and the page shows the
//! other person's text beside the writer's own, which stays in the form with the new
//! version: saving again overwrites knowingly. A text that is refused (too long, a form
//! without a version) or cannot be saved (the plan was submitted meanwhile) comes back in
//! the form as it was typed.
//!
//! Who may write is the policy's answer (`Action::WriteUnitText` on the unit's chain); when
//! is the plan's status (`PlanStatus::open_for_writing`): a submitted or approved plan's
//! sections are shown read-only, with the reason.

use crate::AppState;
use crate::api::model::SectionUpdate;
use crate::auth::Caller;
use crate::error::{AppError, FieldError, HtmlError};
use crate::forms::{FormErrors, respond};
use crate::params::{self, PagePath};
use crate::views::Crumb;
use askama::Template;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use malkedja_domain::{
    Action, NodeId, OrgNode, PlanDocument, PlanSection, PlanSectionView, PlanStatus,
};
use malkedja_domain::{Block, blocks};
use malkedja_store::StoreError;
use serde::Deserialize;

/// The most characters a section's text may hold.
pub const MAX_CHARS: usize = 20_000;

/// One section of a plan as the edit page and the API need it.
#[derive(Debug, Clone)]
pub struct Found {
    pub key: String,
    pub heading: String,
    pub guidance: String,
    pub body: String,
    pub version: i64,
}

/// The section `key` of the document, wherever it sits.
pub fn find(doc: &PlanDocument, key: &str) -> Option<Found> {
    fn walk(sections: &[PlanSectionView], key: &str) -> Option<Found> {
        sections.iter().find_map(|s| {
            if s.key == key {
                Some(Found {
                    key: s.key.clone(),
                    heading: s.heading.clone(),
                    guidance: s.guidance.clone(),
                    body: s.body.clone(),
                    version: s.version,
                })
            } else {
                walk(&s.children, key)
            }
        })
    }
    walk(&doc.sections_before, key).or_else(|| walk(&doc.sections_after, key))
}

/// What a writer is about to change: the unit's chain, its plan and the section.
pub struct Target {
    pub chain: Vec<OrgNode>,
    pub doc: PlanDocument,
    pub section: Found,
}

/// The unit, after the policy has let the caller write its texts, then its plan for the
/// year and the section: 404 for a unit, plan or section that does not exist.
pub async fn load(
    state: &AppState,
    caller: &Caller,
    id: NodeId,
    year: i32,
    key: &str,
) -> Result<Target, AppError> {
    let chain = writable_unit(state, caller, id).await?;
    let doc = state
        .store
        .plan_document(id, year)
        .await?
        .ok_or_else(|| AppError::no_plan(&chain[0].name, year))?;
    let section = find(&doc, key).ok_or_else(|| {
        AppError::NotFound(format!(
            "Verksamhetsplanen för {year} har inget avsnitt som heter \"{key}\"."
        ))
    })?;
    Ok(Target {
        chain,
        doc,
        section,
    })
}

/// The unit `id` names and its ancestors, after the policy has let the caller write the
/// unit's texts (`Action::WriteUnitText` on its chain): 404 for what is not a unit.
pub async fn writable_unit(
    state: &AppState,
    caller: &Caller,
    id: NodeId,
) -> Result<Vec<OrgNode>, AppError> {
    let chain = crate::pages::load_unit(state, id).await?;
    caller.authorize(Action::WriteUnitText, &chain)?;
    Ok(chain)
}

/// The breadcrumbs of a page of a unit's plan: the organisation down to the unit, then
/// the plan.
pub fn plan_crumbs(chain: &[OrgNode], year: i32) -> Vec<Crumb> {
    let unit = &chain[0];
    let mut crumbs = crate::pages::crumbs_for(chain);
    crumbs.push(Crumb {
        href: format!("/enheter/{}", unit.id),
        label: unit.name.clone(),
    });
    crumbs.push(Crumb {
        href: format!("/enheter/{}/planer/{year}", unit.id),
        label: format!("Verksamhetsplan {year}"),
    });
    crumbs
}

/// Why a plan in this status cannot be written, or `None` when it can.
pub fn closed_reason(status: PlanStatus) -> Option<String> {
    if status.open_for_writing() {
        return None;
    }
    Some(match status {
        PlanStatus::Approved => "Planen är godkänd och kan inte längre ändras.".into(),
        _ => "Planen är inskickad och ligger hos controllern, så den kan inte ändras nu. Skickas den tillbaka kan du skriva igen.".into(),
    })
}

/// Text as it is stored: line breaks as `\n` (a browser sends `\r\n`).
pub fn normalize(body: &str) -> String {
    body.replace("\r\n", "\n").replace('\r', "\n")
}

/// Whether the text is longer than a section may be: the message if so.
pub fn too_long(body: &str) -> Option<String> {
    let n = body.chars().count();
    (n > MAX_CHARS).then(|| {
        format!(
            "Texten får vara högst {} tecken. Den är nu {} tecken; korta den med {}.",
            thousands(MAX_CHARS),
            thousands(n),
            thousands(n - MAX_CHARS)
        )
    })
}

/// "20 000" (with a no-break space, as Swedish writes it).
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}

/// Saves the text in one writer: the stored section, or the store's refusal (a conflict,
/// a locked plan).
pub async fn save(
    state: &AppState,
    actor: &str,
    target: &Target,
    body: &str,
    version: i64,
) -> Result<PlanSection, StoreError> {
    let mut w = state.store.begin_write(actor).await?;
    let saved = w
        .save_plan_section(target.doc.plan.id, &target.section.key, body, version)
        .await?;
    w.commit().await?;
    Ok(saved)
}

// ---- the edit page ----

/// The id of the text field (the error summary links to it).
const FIELD: &str = "text";

/// The edit page of a section of a plan or report's own text.
#[derive(Template)]
#[template(path = "section_edit.html")]
pub(crate) struct EditPage {
    crumbs: Vec<Crumb>,
    /// "Verksamhetsplan 2026 för Enheten".
    of: String,
    heading: String,
    guidance: String,
    action: String,
    back: String,
    /// "Tillbaka till planen", "… rapporten".
    back_label: &'static str,
    /// The section's history.
    history: String,
    /// Why the form is not offered (the document is not open for writing).
    closed: Option<String>,
    /// What the text field holds: the saved text, or what the writer sent.
    body: String,
    /// The saved text, for reading when the form is not offered.
    saved: Vec<Block>,
    version: i64,
    errors: FormErrors,
    /// Someone else's text, saved while this writer wrote (a conflict), or the text saved
    /// now when the form came back without a version it started from.
    theirs: Option<Vec<Block>>,
    /// The writer's text could not be saved and is shown to copy, the form not offered.
    unsaved: bool,
    max: String,
}

/// What a section's edit page shows: where it is, what it says now.
pub(crate) struct SectionPage {
    pub crumbs: Vec<Crumb>,
    pub of: String,
    pub heading: String,
    pub guidance: String,
    /// Where the form posts (the page's own address).
    pub action: String,
    /// Where the section is read (the document's page with its anchor).
    pub back: String,
    pub back_label: &'static str,
    pub history: String,
    pub closed: Option<String>,
    pub body: String,
    pub version: i64,
}

impl EditPage {
    pub(crate) fn new(p: SectionPage) -> EditPage {
        EditPage {
            crumbs: p.crumbs,
            of: p.of,
            saved: blocks(&p.body),
            heading: p.heading,
            guidance: p.guidance,
            action: p.action,
            back: p.back,
            back_label: p.back_label,
            history: p.history,
            closed: p.closed,
            body: p.body,
            version: p.version,
            errors: FormErrors::default(),
            theirs: None,
            unsaved: false,
            max: thousands(MAX_CHARS),
        }
    }

    fn of_plan(target: &Target) -> EditPage {
        let unit = &target.chain[0];
        let year = target.doc.plan.year;
        let plan = format!("/enheter/{}/planer/{year}", unit.id);
        let s = &target.section;
        EditPage::new(SectionPage {
            crumbs: crate::pages::plan_crumbs(&target.chain, year),
            of: format!("Verksamhetsplan {year} för {}", unit.name),
            heading: s.heading.clone(),
            guidance: s.guidance.clone(),
            action: format!("{plan}/avsnitt/{}", s.key),
            back: format!("{plan}#avsnitt-{}", s.key),
            back_label: "Tillbaka till planen",
            history: crate::history::object_href(
                unit.id,
                year,
                crate::history::ObjectKind::Section,
                &s.key,
            ),
            closed: closed_reason(target.doc.plan.status),
            body: s.body.clone(),
            version: s.version,
        })
    }
}

pub fn path_parts(raw_id: &str, raw_year: &str) -> Result<(NodeId, i32), AppError> {
    Ok((
        params::node_id("id", raw_id, "Enhetens nummer")?,
        params::year(raw_year)?,
    ))
}

pub async fn form(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year, key)): PagePath<(String, String, String)>,
) -> Result<Response, HtmlError> {
    let (id, year) = path_parts(&raw_id, &raw_year)?;
    let target = load(&state, &caller, id, year, &key).await?;
    Ok(respond(StatusCode::OK, &EditPage::of_plan(&target))?)
}

#[derive(Deserialize)]
pub struct SectionForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    body: String,
}

pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year, key)): PagePath<(String, String, String)>,
    Form(f): Form<SectionForm>,
) -> Result<Response, HtmlError> {
    let (id, year) = path_parts(&raw_id, &raw_year)?;
    let person = caller.require_person()?;
    let target = load(&state, &caller, id, year, &key).await?;
    let plan = format!("/enheter/{}/planer/{year}", target.chain[0].id);
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("sparat", &target.section.key)
        .finish();
    let shown = format!("{plan}?{query}#avsnitt-{}", target.section.key);
    let page = EditPage::of_plan(&target);
    let stored = target.section.body.clone();
    let (state_ref, target_ref) = (&state, &target);
    Ok(save_text(
        page,
        stored,
        f,
        shown,
        |body, version| async move {
            save(state_ref, &person.who.email, target_ref, &body, version)
                .await
                .map(drop)
        },
        || async {
            let now = load(&state, &caller, id, year, &key).await?;
            let body = now.section.body.clone();
            Ok((EditPage::of_plan(&now), body))
        },
    )
    .await?)
}

/// Saves a section's text as a form sent it, and answers: to `shown` when saved; else the
/// edit page `page` again with the writer's text and why it was not saved. A conflict
/// shows the text saved now (`reload` gives the page as it is now and that text) beside
/// the writer's, which stays in the form with the new version.
pub(crate) async fn save_text<S, SF, L, LF>(
    mut page: EditPage,
    stored: String,
    f: SectionForm,
    shown: String,
    save: S,
    reload: L,
) -> Result<Response, AppError>
where
    S: FnOnce(String, i64) -> SF,
    SF: std::future::Future<Output = Result<(), StoreError>>,
    L: FnOnce() -> LF,
    LF: std::future::Future<Output = Result<(EditPage, String), AppError>>,
{
    let body = normalize(&f.body);
    page.body = body.clone();
    if let Some(why) = page.closed.clone() {
        return respond(StatusCode::CONFLICT, &unsaved(page, why));
    }
    let version = f.version.trim().parse::<i64>().ok().filter(|v| *v >= 0);
    if let Some(message) = too_long(&body) {
        page.errors.add(FIELD, message);
        if let Some(v) = version {
            page.version = v;
        }
    }
    if version.is_none() {
        // The form did not say which version the writer started from: show what is saved
        // now beside their text, so that saving again replaces it knowingly.
        page.errors.add(
            FIELD,
            "Formuläret saknade uppgiften om vilken version av texten du utgick från, så texten sparades inte. Jämför med texten som är sparad nu och spara igen om din ska gälla.",
        );
        page.theirs = Some(blocks(&stored));
    }
    let Some(version) = version.filter(|_| page.errors.is_empty()) else {
        return respond(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    match save(body.clone(), version).await {
        Ok(()) => Ok(Redirect::to(&shown).into_response()),
        Err(StoreError::Conflict { .. }) => {
            let (mut page, theirs) = reload().await?;
            page.body = body;
            if let Some(why) = page.closed.clone() {
                return respond(StatusCode::CONFLICT, &unsaved(page, why));
            }
            page.errors.add(
                FIELD,
                "Någon annan har sparat det här avsnittet medan du skrev, så din text är inte sparad. Deras text visas här bredvid och din finns kvar i rutan. Spara igen om din text ska ersätta deras.",
            );
            page.theirs = Some(blocks(&theirs));
            respond(StatusCode::CONFLICT, &page)
        }
        Err(StoreError::Locked(why)) => respond(StatusCode::CONFLICT, &unsaved(page, why)),
        Err(e) => Err(e.into()),
    }
}

/// The page for a text that cannot be saved because the document is closed: the reason,
/// and the writer's text to copy.
fn unsaved(mut page: EditPage, why: String) -> EditPage {
    page.closed = Some(why);
    page.unsaved = true;
    page
}

/// A text sent to the API, checked: the field errors, in the order of the fields.
pub fn check_update(value: &serde_json::Value) -> Result<SectionUpdate, AppError> {
    let mut errors: Vec<FieldError> = Vec::new();
    let Some(object) = value.as_object() else {
        return Err(AppError::Invalid(vec![FieldError {
            field: "request",
            message: "Skicka ett JSON-objekt med fälten version och body.".into(),
        }]));
    };
    for k in object.keys() {
        if k != "version" && k != "body" {
            errors.push(FieldError {
                field: "request",
                message: format!("Fältet \"{k}\" finns inte: skicka bara version och body."),
            });
            break;
        }
    }
    // A whole number, also when written with a decimal point (`3.0` is an integer in JSON
    // Schema, which the OpenAPI document speaks).
    let version = object
        .get("version")
        .and_then(|v| {
            v.as_i64().or_else(|| {
                v.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                    .map(|f| f as i64)
            })
        })
        .filter(|v| *v >= 0);
    if version.is_none() {
        errors.push(FieldError {
            field: "version",
            message: "version ska vara ett heltal från 0 och uppåt: den version av avsnittet du utgick från (0 om det saknade text).".into(),
        });
    }
    let body = object.get("body").and_then(serde_json::Value::as_str);
    match body {
        None => errors.push(FieldError {
            field: "body",
            message: "body ska vara avsnittets text, som en sträng.".into(),
        }),
        Some(b) => {
            if let Some(m) = too_long(&normalize(b)) {
                errors.push(FieldError {
                    field: "body",
                    message: m,
                });
            }
        }
    }
    match (version, body) {
        (Some(version), Some(b)) if errors.is_empty() => Ok(SectionUpdate {
            version,
            body: normalize(b),
        }),
        _ => Err(AppError::Invalid(errors)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_are_written_the_swedish_way() {
        assert_eq!(thousands(20_000), "20\u{a0}000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1\u{a0}234\u{a0}567");
    }

    #[test]
    fn line_breaks_are_stored_as_newlines_and_length_is_counted_in_characters() {
        assert_eq!(normalize("a\r\nb\rc\n"), "a\nb\nc\n");
        assert_eq!(too_long(&"å".repeat(MAX_CHARS)), None);
        assert!(too_long(&"å".repeat(MAX_CHARS + 1)).is_some());
    }

    #[test]
    fn an_update_has_a_version_and_a_text_and_nothing_else() {
        assert_eq!(
            check_update(&json!({"version": 3, "body": "a\r\nb"}))
                .ok()
                .map(|u| (u.version, u.body)),
            Some((3, "a\nb".to_string()))
        );
        let fields = |v| match check_update(&v) {
            Err(AppError::Invalid(f)) => f.iter().map(|f| f.field).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(fields(json!({"version": "3", "body": "x"})), ["version"]);
        assert_eq!(fields(json!({"version": -1, "body": "x"})), ["version"]);
        assert_eq!(fields(json!({"version": 2.5, "body": "x"})), ["version"]);
        // 2246.0 is a whole number, as JSON Schema counts.
        assert_eq!(
            check_update(&json!({"version": 2246.0, "body": "x"}))
                .ok()
                .map(|u| u.version),
            Some(2246)
        );
        assert_eq!(fields(json!({"version": 1, "body": 5})), ["body"]);
        assert_eq!(fields(json!({"body": "x"})), ["version"]);
        assert_eq!(
            fields(json!({"version": 1, "body": "x", "extra": 1})),
            ["request"]
        );
        assert_eq!(fields(json!([1])), ["request"]);
        assert_eq!(
            fields(json!({"version": 1, "body": "x".repeat(MAX_CHARS + 1)})),
            ["body"]
        );
    }
}
