//! "Kopiera målstrukturen till nästa år" (`/admin/malstruktur`): the council's, boards' and
//! departments' goals of a year, with their texts, indicators, targets and activities,
//! copied into the next year as a new structure to edit, once that year is a planning year
//! (added under Planeringsår). First a confirmation step with
//! what will be copied (per owner), then the copy, in one transaction
//! (`Writer::copy_structure`).
//!
//! Who may: the owners copied are those the policy lets the caller administer
//! (`Action::AdministerOrg` on the owner's chain): an administrator of the whole
//! organisation copies everything, one of a board its board and departments. An owner that
//! already has goals in the next year is skipped whole and listed (the copy never merges
//! into a structure set up already), so a second copy copies nothing.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, HtmlError};
use crate::forms::FormErrors;
use crate::params;
use crate::views::Crumb;
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use malkedja_domain::{Action, Denied, NodeId, OrgKind, OrgNode, chains};
use malkedja_store::StructureCopy;
use serde::Deserialize;
use std::collections::HashSet;

fn respond(status: StatusCode, body: String) -> Response {
    let mut res = (status, Html(body)).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The nodes whose structure the caller may copy; 403 (or the sign-in page) when none.
fn administered(caller: &Caller, nodes: &[OrgNode]) -> Result<HashSet<NodeId>, AppError> {
    let out: HashSet<NodeId> = chains(nodes)
        .into_iter()
        .filter(|(_, c)| caller.may(Action::AdministerOrg, c))
        .map(|(id, _)| id)
        .collect();
    if out.is_empty() {
        return Err(AppError::Denied(if caller.person().is_some() {
            Denied::Forbidden
        } else {
            Denied::SignInRequired
        }));
    }
    Ok(out)
}

/// One owner's line in the table.
struct Line {
    name: String,
    kind: &'static str,
    goals: usize,
    texts: usize,
    indicators: usize,
    targets: usize,
    activities: usize,
}

fn kind_label(kind: OrgKind) -> &'static str {
    match kind {
        OrgKind::City => "Kommunfullmäktige",
        OrgKind::Board => "Nämnd",
        OrgKind::Administration => "Förvaltning",
        OrgKind::Department => "Avdelning",
        OrgKind::Unit => "Enhet",
        OrgKind::Operation => "Verksamhet",
    }
}

/// What a preview or a copy shows.
struct Shown {
    from: i32,
    to: i32,
    lines: Vec<Line>,
    total: Line,
    /// "Nämnden har redan 4 mål för 2026."
    skipped: Vec<String>,
    /// "Nämndmål Trygg omsorg (under 1.3 …)": goals that cannot be copied.
    orphans: Vec<String>,
}

impl Shown {
    fn new(c: &StructureCopy) -> Shown {
        let line = |o: &malkedja_store::OwnerCount| Line {
            name: o.name.clone(),
            kind: kind_label(o.kind),
            goals: o.goals,
            texts: o.texts,
            indicators: o.indicators,
            targets: o.targets,
            activities: o.activities,
        };
        let (goals, texts, indicators, targets, activities) = c.totals();
        Shown {
            from: c.from,
            to: c.to,
            lines: c.copied.iter().map(line).collect(),
            total: Line {
                name: "Summa".into(),
                kind: "",
                goals,
                texts,
                indicators,
                targets,
                activities,
            },
            skipped: c
                .skipped
                .iter()
                .map(|o| {
                    format!(
                        "{} har redan {} mål för {} och hoppas över.",
                        o.name, o.existing, c.to
                    )
                })
                .collect(),
            orphans: c
                .orphans
                .iter()
                .map(|g| {
                    let number = g
                        .number
                        .as_deref()
                        .map(|n| format!("{n} "))
                        .unwrap_or_default();
                    format!("{} {number}{}", capitalised(g.level.label()), g.title)
                })
                .collect(),
        }
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[derive(Template)]
#[template(path = "structure_copy.html")]
struct Page {
    crumbs: Vec<Crumb>,
    years: Vec<i32>,
    chosen: i32,
    errors: FormErrors,
    preview: Option<Shown>,
    /// After the copy: what was copied.
    done: Option<Shown>,
}

impl Page {
    /// The page, offering the planning years whose next year is a planning year too (the
    /// year is added under Planeringsår first, by whoever administers the whole
    /// organisation).
    async fn new(state: &AppState) -> Result<Page, AppError> {
        let all = state.store.years().await?;
        let years: Vec<i32> = all
            .iter()
            .copied()
            .filter(|y| all.contains(&(y + 1)))
            .collect();
        Ok(Page {
            crumbs: vec![Crumb {
                href: "/".into(),
                label: "Start".into(),
            }],
            chosen: years.last().copied().unwrap_or(0),
            years,
            errors: FormErrors::default(),
            preview: None,
            done: None,
        })
    }

    /// The year chosen in the form, if it is one of the planning years; a message at the
    /// field otherwise.
    fn choose(&mut self, raw: &str) -> Option<i32> {
        match params::year(raw.trim()) {
            Ok(y) if self.years.contains(&y) => {
                self.chosen = y;
                Some(y)
            }
            _ => {
                self.errors
                    .add("fran", "Välj ett av planeringsåren i listan.");
                None
            }
        }
    }
}

#[derive(Deserialize, Default)]
pub struct Chosen {
    #[serde(default)]
    fran: Option<String>,
}

/// The page, and with `?fran=YEAR` the confirmation step: what the copy would do.
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<Chosen>,
) -> Result<Response, HtmlError> {
    let nodes = state.store.org_nodes().await?;
    let allowed = administered(&caller, &nodes)?;
    let mut page = Page::new(&state).await?;
    let Some(raw) = q.fran else {
        return Ok(respond(StatusCode::OK, page.render()?));
    };
    let Some(from) = page.choose(&raw) else {
        return Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, page.render()?));
    };
    let preview = state
        .store
        .structure_copy_preview(from, Some(&allowed))
        .await?;
    page.preview = Some(Shown::new(&preview));
    Ok(respond(StatusCode::OK, page.render()?))
}

#[derive(Deserialize)]
pub struct CopyForm {
    #[serde(default)]
    fran: String,
}

/// The copy, after the confirmation step.
pub async fn copy(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form<CopyForm>,
) -> Result<Response, HtmlError> {
    let person = caller.require_person()?;
    let nodes = state.store.org_nodes().await?;
    let allowed = administered(&caller, &nodes)?;
    let mut page = Page::new(&state).await?;
    let Some(from) = page.choose(&f.fran) else {
        return Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, page.render()?));
    };
    let mut w = state.store.begin_write(&person.who.email).await?;
    let done = w.copy_structure(from, Some(&allowed)).await?;
    w.commit().await?;
    if done.is_empty() {
        // Someone copied (or set up) the structure since the confirmation: show what is.
        page.preview = Some(Shown::new(&done));
        return Ok(respond(StatusCode::CONFLICT, page.render()?));
    }
    page.done = Some(Shown::new(&done));
    Ok(respond(StatusCode::OK, page.render()?))
}
