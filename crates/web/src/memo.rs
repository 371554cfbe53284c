//! The memo header (Dokumenthuvud) of a plan or report: Dnr, datum, Handläggare, Till,
//! Telefon, the title and Förslag till beslut, which the official documents print above the
//! title. The edit page (`/enheter/{id}/planer/{year}/dokumenthuvud`,
//! `/enheter/{id}/rapporter/{year}/{kind}/dokumenthuvud`) and what the API's
//! `PUT /api/v1/plans/{id}/memo` shares with it.
//!
//! As a plan's own sections: who may write is the policy's answer (`Action::WriteUnitText`
//! on the unit's chain), when is the document's status (a submitted or approved one is
//! shown read-only). A save states the version it started from; a stale one shows the memo
//! as it is saved now beside what the writer typed, which stays in the form with the new
//! version. Every refusal keeps what was typed.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, HtmlError};
use crate::forms::{FormErrors, respond};
use crate::params::{self, KindName, PagePath};
use crate::views::Crumb;
use askama::Template;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use malkedja_domain::{MEMO_FIELD_MAX, MEMO_TEXT_MAX, Memo, OrgNode, PlanStatus, ReportKind};
use malkedja_store::{DocRef, StoreError, StoredMemo};
use serde::Deserialize;

/// The memo's fields: (name in the API, id of the form field).
pub const API_FIELDS: &[(&str, &str)] = &[
    ("case_number", "dnr"),
    ("date", "datum"),
    ("case_officer", "handlaggare"),
    ("addressee", "till"),
    ("phone", "telefon"),
    ("title", "titel"),
    ("proposal", "forslag"),
];

/// A memo from its texts by API name, and its date.
pub fn from_fields(texts: &[(&str, String)], date: Option<time::Date>) -> Memo {
    let get = |name: &str| {
        texts
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| crate::plan_sections::normalize(v))
            .unwrap_or_default()
    };
    Memo {
        case_number: get("case_number"),
        date,
        case_officer: get("case_officer"),
        addressee: get("addressee"),
        phone: get("phone"),
        title: get("title"),
        proposal: get("proposal"),
    }
}

/// What is wrong with the memo's texts, by form field, in the order of the form.
pub fn problems(memo: &Memo) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let checks: [(&str, &str, &String, usize); 6] = [
        ("dnr", "Dnr", &memo.case_number, MEMO_FIELD_MAX),
        (
            "handlaggare",
            "Handläggare",
            &memo.case_officer,
            MEMO_FIELD_MAX,
        ),
        ("till", "Till", &memo.addressee, MEMO_FIELD_MAX),
        ("telefon", "Telefon", &memo.phone, MEMO_FIELD_MAX),
        ("titel", "Titeln", &memo.title, MEMO_TEXT_MAX),
        (
            "forslag",
            "Förslag till beslut",
            &memo.proposal,
            MEMO_TEXT_MAX,
        ),
    ];
    for (id, what, value, max) in checks {
        let n = value.trim().chars().count();
        if n > max {
            out.push((
                id,
                format!(
                    "{what} får vara högst {max} tecken. Nu är det {n} tecken; korta med {}.",
                    n - max
                ),
            ));
        }
    }
    out
}

/// Saves the memo in one writer.
pub async fn save(
    state: &AppState,
    actor: &str,
    doc: DocRef,
    memo: &Memo,
    version: i64,
) -> Result<StoredMemo, StoreError> {
    let mut w = state.store.begin_write(actor).await?;
    let saved = w.save_memo(doc, memo, version).await?;
    w.commit().await?;
    Ok(saved)
}

/// The document whose memo is edited.
struct Target {
    chain: Vec<OrgNode>,
    doc: DocRef,
    /// "Verksamhetsplan 2025", "Verksamhetsberättelse 2025".
    title: String,
    /// The document's page.
    back: String,
    status: PlanStatus,
    stored: StoredMemo,
    crumbs: Vec<Crumb>,
}

async fn plan_target(
    state: &AppState,
    caller: &Caller,
    raw_id: &str,
    raw_year: &str,
) -> Result<Target, AppError> {
    let (id, year) = crate::plan_sections::path_parts(raw_id, raw_year)?;
    let chain = crate::plan_sections::writable_unit(state, caller, id).await?;
    let plan = state
        .store
        .plan(id, year)
        .await?
        .ok_or_else(|| AppError::no_plan(&chain[0].name, year))?;
    let doc = DocRef::Plan(plan.id);
    Ok(Target {
        crumbs: crate::pages::plan_crumbs(&chain, year),
        title: format!("Verksamhetsplan {year}"),
        back: format!("/enheter/{id}/planer/{year}"),
        status: plan.status,
        stored: state.store.memo(doc).await?,
        chain,
        doc,
    })
}

async fn report_target(
    state: &AppState,
    caller: &Caller,
    (raw_id, raw_year, raw_kind): (&str, &str, &str),
) -> Result<Target, AppError> {
    let (id, year) = crate::plan_sections::path_parts(raw_id, raw_year)?;
    let (kind, _) = params::report_kind(raw_kind, KindName::Slug)?;
    let chain = crate::plan_sections::writable_unit(state, caller, id).await?;
    let report = state
        .store
        .report_of(id, year, kind)
        .await?
        .ok_or_else(|| AppError::no_report(&chain[0].name, kind, year))?;
    let doc = DocRef::Report(report.id);
    let back = crate::pages::report_href(id, year, kind);
    let mut crumbs = crate::pages::crumbs_for(&chain);
    crumbs.push(Crumb {
        href: format!("/enheter/{id}"),
        label: chain[0].name.clone(),
    });
    crumbs.push(Crumb {
        href: back.clone(),
        label: report_title(kind, year),
    });
    Ok(Target {
        crumbs,
        title: report_title(kind, year),
        back,
        status: report.status,
        stored: state.store.memo(doc).await?,
        chain,
        doc,
    })
}

fn report_title(kind: ReportKind, year: i32) -> String {
    format!("{} {year}", kind.label())
}

/// Why the memo cannot be written now, or `None`.
fn closed_reason(target: &Target) -> Option<String> {
    match target.doc {
        DocRef::Plan(_) => crate::plan_sections::closed_reason(target.status),
        DocRef::Report(_) => (!target.status.open_for_writing())
            .then(|| "Rapporten är inskickad eller godkänd och kan inte ändras nu.".to_string()),
    }
}

/// The form's values as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MemoForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    dnr: String,
    #[serde(default)]
    datum: String,
    #[serde(default)]
    handlaggare: String,
    #[serde(default)]
    till: String,
    #[serde(default)]
    telefon: String,
    #[serde(default)]
    titel: String,
    #[serde(default)]
    forslag: String,
}

impl MemoForm {
    fn of(stored: &StoredMemo) -> MemoForm {
        let m = &stored.memo;
        MemoForm {
            version: stored.version.to_string(),
            dnr: m.case_number.clone(),
            datum: m.date.map(iso).unwrap_or_default(),
            handlaggare: m.case_officer.clone(),
            till: m.addressee.clone(),
            telefon: m.phone.clone(),
            titel: m.title.clone(),
            forslag: m.proposal.clone(),
        }
    }
}

fn iso(d: time::Date) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    d.format(&fmt).unwrap_or_default()
}

/// One field of the form.
struct FieldView {
    id: &'static str,
    label: &'static str,
    hint: String,
    value: String,
    /// A text area rather than one line.
    long: bool,
    /// What is saved now, after a conflict.
    theirs: Option<String>,
}

#[derive(Template)]
#[template(path = "memo_edit.html")]
struct MemoPage {
    crumbs: Vec<Crumb>,
    unit: String,
    title: String,
    action: String,
    back: String,
    closed: Option<String>,
    version: i64,
    fields: Vec<FieldView>,
    errors: FormErrors,
    /// After a conflict: the memo was saved by someone else meanwhile.
    conflict: bool,
}

impl MemoPage {
    fn new(target: &Target, typed: &MemoForm, theirs: Option<&MemoForm>) -> MemoPage {
        let field = |id: &'static str, label: &'static str, hint: String, value: &str, long| {
            let saved = theirs.map(|t| match id {
                "dnr" => t.dnr.clone(),
                "datum" => t.datum.clone(),
                "handlaggare" => t.handlaggare.clone(),
                "till" => t.till.clone(),
                "telefon" => t.telefon.clone(),
                "titel" => t.titel.clone(),
                _ => t.forslag.clone(),
            });
            FieldView {
                id,
                label,
                hint,
                value: value.to_string(),
                long,
                theirs: saved,
            }
        };
        let short = format!("Högst {MEMO_FIELD_MAX} tecken.");
        let unit = target.chain[0].name.clone();
        let default_title = match target.doc {
            DocRef::Plan(_) => format!("{} för {unit}", target.title),
            DocRef::Report(_) => format!("{} för {unit}", target.title),
        };
        MemoPage {
            crumbs: target.crumbs.clone(),
            title: target.title.clone(),
            action: format!("{}/dokumenthuvud", target.back),
            back: target.back.clone(),
            closed: closed_reason(target),
            version: target.stored.version,
            fields: vec![
                field(
                    "dnr",
                    "Dnr",
                    format!("Diarienumret, till exempel HÄ 2025/815. {short}"),
                    &typed.dnr,
                    false,
                ),
                field(
                    "datum",
                    "Datum",
                    "ÅÅÅÅ-MM-DD, till exempel 2026-01-27. Lämnas det tomt skrivs dagens datum ut."
                        .into(),
                    &typed.datum,
                    false,
                ),
                field(
                    "handlaggare",
                    "Handläggare",
                    short.clone(),
                    &typed.handlaggare,
                    false,
                ),
                field(
                    "till",
                    "Till",
                    format!("Vem tjänsteutlåtandet går till, till exempel nämnden. {short}"),
                    &typed.till,
                    false,
                ),
                field("telefon", "Telefon", short.clone(), &typed.telefon, false),
                field(
                    "titel",
                    "Titel",
                    format!(
                        "Lämnas den tom blir titeln ”{default_title}”. Högst {MEMO_TEXT_MAX} tecken."
                    ),
                    &typed.titel,
                    false,
                ),
                field(
                    "forslag",
                    "Förslag till beslut",
                    format!("En tom rad börjar ett nytt stycke. Högst {MEMO_TEXT_MAX} tecken."),
                    &typed.forslag,
                    true,
                ),
            ],
            unit,
            errors: FormErrors::default(),
            conflict: false,
        }
    }
}

/// What was typed, read: the memo, or the field errors (in the order of the form).
fn read_form(f: &MemoForm) -> (Memo, FormErrors) {
    let mut errors = FormErrors::default();
    let date = if f.datum.trim().is_empty() {
        None
    } else {
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        match time::Date::parse(f.datum.trim(), &fmt) {
            Ok(d) => Some(d),
            Err(_) => {
                errors.add(
                    "datum",
                    format!(
                        "Datumet ska skrivas år-månad-dag, till exempel 2026-01-27; «{}» går inte att läsa som ett datum.",
                        f.datum.trim()
                    ),
                );
                None
            }
        }
    };
    let memo = from_fields(
        &[
            ("case_number", f.dnr.clone()),
            ("case_officer", f.handlaggare.clone()),
            ("addressee", f.till.clone()),
            ("phone", f.telefon.clone()),
            ("title", f.titel.clone()),
            ("proposal", f.forslag.clone()),
        ],
        date,
    );
    let mut found: Vec<(&str, String)> = problems(&memo);
    if let Some(m) = errors.get("datum") {
        found.push(("datum", m.to_string()));
    }
    let position = |id: &str| API_FIELDS.iter().position(|(_, f)| *f == id);
    found.sort_by_key(|(id, _)| position(id));
    let mut all = FormErrors::default();
    for (id, message) in found {
        all.add(id, message);
    }
    (memo, all)
}

async fn show(target: Target) -> Result<Response, HtmlError> {
    let page = MemoPage::new(&target, &MemoForm::of(&target.stored), None);
    Ok(respond(StatusCode::OK, &page)?)
}

async fn submit(
    state: &AppState,
    caller: &Caller,
    target: Target,
    reload: impl std::future::Future<Output = Result<Target, AppError>>,
    f: MemoForm,
) -> Result<Response, HtmlError> {
    let person = caller.require_person()?;
    let mut page = MemoPage::new(&target, &f, None);
    if page.closed.is_some() {
        return Ok(respond(StatusCode::CONFLICT, &page)?);
    }
    let (memo, errors) = read_form(&f);
    page.errors = errors;
    let version = f.version.trim().parse::<i64>().ok().filter(|v| *v >= 0);
    if version.is_none() {
        page.errors.add(
            "dnr",
            "Formuläret saknade uppgiften om vilken version av dokumenthuvudet du utgick från, så inget sparades. Jämför med det som är sparat nu och spara igen om ditt ska gälla.",
        );
        page = MemoPage {
            errors: page.errors,
            ..MemoPage::new(&target, &f, Some(&MemoForm::of(&target.stored)))
        };
    }
    let Some(version) = version.filter(|_| page.errors.is_empty()) else {
        if let Ok(v) = f.version.trim().parse::<i64>() {
            page.version = v.max(0);
        }
        return Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, &page)?);
    };
    match save(state, &person.who.email, target.doc, &memo, version).await {
        Ok(_) => Ok(Redirect::to(&format!("{}?sparat=dokumenthuvud", target.back)).into_response()),
        Err(StoreError::Conflict { .. }) => {
            let now = reload.await?;
            let mut page = MemoPage::new(&now, &f, Some(&MemoForm::of(&now.stored)));
            if page.closed.is_some() {
                return Ok(respond(StatusCode::CONFLICT, &page)?);
            }
            page.conflict = true;
            page.errors.add(
                "dnr",
                "Någon annan har sparat dokumenthuvudet medan du skrev, så dina uppgifter är inte sparade. Det som är sparat nu visas vid varje fält och dina uppgifter finns kvar i rutorna. Spara igen om dina ska gälla.",
            );
            Ok(respond(StatusCode::CONFLICT, &page)?)
        }
        Err(StoreError::Locked(why)) => {
            page.closed = Some(why);
            Ok(respond(StatusCode::CONFLICT, &page)?)
        }
        Err(StoreError::Domain(e)) => {
            page.errors.add("dnr", crate::forms::sentence(e));
            Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, &page)?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

/// `GET /enheter/{id}/planer/{year}/dokumenthuvud`
pub async fn plan_form(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year)): PagePath<(String, String)>,
) -> Result<Response, HtmlError> {
    show(plan_target(&state, &caller, &raw_id, &raw_year).await?).await
}

/// `POST /enheter/{id}/planer/{year}/dokumenthuvud`
pub async fn plan_submit(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year)): PagePath<(String, String)>,
    Form(f): Form<MemoForm>,
) -> Result<Response, HtmlError> {
    let target = plan_target(&state, &caller, &raw_id, &raw_year).await?;
    let reload = plan_target(&state, &caller, &raw_id, &raw_year);
    submit(&state, &caller, target, reload, f).await
}

/// `GET /enheter/{id}/rapporter/{year}/{kind}/dokumenthuvud`
pub async fn report_form(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year, raw_kind)): PagePath<(String, String, String)>,
) -> Result<Response, HtmlError> {
    show(report_target(&state, &caller, (&raw_id, &raw_year, &raw_kind)).await?).await
}

/// `POST /enheter/{id}/rapporter/{year}/{kind}/dokumenthuvud`
pub async fn report_submit(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year, raw_kind)): PagePath<(String, String, String)>,
    Form(f): Form<MemoForm>,
) -> Result<Response, HtmlError> {
    let path = (raw_id.as_str(), raw_year.as_str(), raw_kind.as_str());
    let target = report_target(&state, &caller, path).await?;
    let reload = report_target(&state, &caller, path);
    submit(&state, &caller, target, reload, f).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_is_read_with_every_problem_named_at_its_field() {
        let f = MemoForm {
            version: "0".into(),
            datum: "27/1 2026".into(),
            telefon: "1".repeat(MEMO_FIELD_MAX + 1),
            forslag: "x".repeat(MEMO_TEXT_MAX + 1),
            ..MemoForm::default()
        };
        let (_, errors) = read_form(&f);
        let ids: Vec<&str> = errors.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["datum", "telefon", "forslag"]);
        assert!(errors.get("datum").unwrap().contains("27/1 2026"));
        let ok = MemoForm {
            version: "2".into(),
            dnr: " HÄ 2025/815 ".into(),
            datum: "2026-01-27".into(),
            forslag: "Nämnden fastställer\r\nplanen.".into(),
            ..MemoForm::default()
        };
        let (memo, errors) = read_form(&ok);
        assert!(errors.is_empty());
        assert_eq!(memo.date.map(iso).as_deref(), Some("2026-01-27"));
        assert_eq!(memo.proposal, "Nämnden fastställer\nplanen.");
    }
}
