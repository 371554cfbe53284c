//! The template of plan sections per administration and year (`/admin/mallar`): which
//! sections the administration's plans have, their headings, the guidance writers see
//! beside each, in which order, and whether before or after the goal cascade. For those
//! the policy lets administer the administration (`Action::AdministerOrg` on its chain).
//!
//! **One object, one version.** The template is saved whole (`Writer::save_template`); every
//! form states the template's version it started from, and a stale one is a conflict page:
//! the section as it is saved now beside the person's own edit, which stays in the form
//! with the new version. A move or removal from a stale page is refused the same way and
//! shows the template as it is now.
//!
//! **No text is lost.** A section that some plan of the year has text in cannot be removed:
//! the page says how many plans have text in it (the store refuses it as well). A section
//! with sub-sections is not removed either. A heading's key never changes, so renaming a
//! heading keeps every plan's text.
//!
//! A year without a template of its own uses the default; "Kopiera förra årets mall"
//! starts it from the year before's.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, HtmlError};
use crate::forms::{FormErrors, sentence};
use crate::params::{self, PagePath};
use crate::views::Crumb;
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use malkedja_domain::{
    Action, Denied, GUIDANCE_MAX_CHARS, HEADING_MAX_CHARS, Move, OrgKind, OrgNode, Placement,
    SectionEdit, TemplateError, TemplateSection, build_tree, chains, check_guidance, check_heading,
};
use malkedja_store::{StoreError, StoredTemplate};
use serde::Deserialize;
use std::collections::HashMap;

const BASE: &str = "/admin/mallar";

fn respond(status: StatusCode, body: String) -> Response {
    let mut res = (status, Html(body)).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn crumbs(target: Option<&Target>) -> Vec<Crumb> {
    let mut c = vec![
        Crumb {
            href: "/".into(),
            label: "Start".into(),
        },
        Crumb {
            href: BASE.into(),
            label: "Mallar".into(),
        },
    ];
    if let Some(t) = target {
        c.push(Crumb {
            href: t.href(),
            label: format!("{} {}", t.admin.name, t.year),
        });
    }
    c
}

fn placement_label(p: Placement) -> &'static str {
    match p {
        Placement::BeforeCascade => "Före målen",
        Placement::AfterCascade => "Efter målen",
    }
}

/// The administration and year an address names, once the policy has let the caller
/// administer it, with its template as stored now.
struct Target {
    admin: OrgNode,
    year: i32,
    template: StoredTemplate,
    /// How many plans of the year have text in each section.
    with_text: HashMap<String, i64>,
}

impl Target {
    async fn load(
        state: &AppState,
        caller: &Caller,
        raw_admin: &str,
        raw_year: &str,
    ) -> Result<Target, AppError> {
        let id = params::node_id("id", raw_admin, "Förvaltningens nummer")?;
        let year = params::year(raw_year)?;
        let chain = state.store.chain(id).await?;
        let admin = match chain.first() {
            Some(n) if n.kind == OrgKind::Administration => n.clone(),
            _ => {
                return Err(AppError::NotFound(format!(
                    "Det finns ingen förvaltning med nummer {id}."
                )));
            }
        };
        caller.authorize(Action::AdministerOrg, &chain)?;
        if !state.store.years().await?.contains(&year) {
            return Err(AppError::NotFound(format!(
                "Planeringsåret {year} finns inte. Det läggs till under Planeringsår."
            )));
        }
        Ok(Target {
            template: state.store.template_of(id, year).await?,
            with_text: state.store.plans_with_text(id, year).await?,
            admin,
            year,
        })
    }

    /// The template as it is saved now, after a refusal.
    async fn reload(&mut self, state: &AppState) -> Result<(), AppError> {
        self.template = state.store.template_of(self.admin.id, self.year).await?;
        self.with_text = state
            .store
            .plans_with_text(self.admin.id, self.year)
            .await?;
        Ok(())
    }

    fn href(&self) -> String {
        format!("{BASE}/{}/{}", self.admin.id, self.year)
    }

    fn section(&self, key: &str) -> Option<&TemplateSection> {
        self.template.sections.iter().find(|s| s.key == key)
    }

    fn heading_of(&self, key: &str) -> String {
        self.section(key)
            .map(|s| s.heading_for(self.year))
            .unwrap_or_else(|| key.to_string())
    }

    /// Saves `sections` from `version` in one writer.
    async fn save(
        &self,
        state: &AppState,
        actor: &str,
        sections: &[TemplateSection],
        version: i64,
    ) -> Result<i64, StoreError> {
        let mut w = state.store.begin_write(actor).await?;
        let v = w
            .save_template(self.admin.id, self.year, sections, version)
            .await?;
        w.commit().await?;
        Ok(v)
    }
}

fn version_of(raw: &str) -> Option<i64> {
    raw.trim().parse::<i64>().ok().filter(|v| *v >= 0)
}

// ---- the list of administrations ----

struct AdminLine {
    name: String,
    /// (year, address, whether the administration has a template of its own that year).
    years: Vec<(i32, String, bool)>,
}

#[derive(Template)]
#[template(path = "template_list.html")]
struct ListPage {
    crumbs: Vec<Crumb>,
    admins: Vec<AdminLine>,
}

/// The administrations the caller administers, each with its template of each planning
/// year (a year is added under Planeringsår first).
pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Response, HtmlError> {
    let nodes = state.store.org_nodes().await?;
    let chains = chains(&nodes);
    let mut admins: Vec<&OrgNode> = Vec::new();
    fn walk<'a>(t: &'a [malkedja_domain::OrgTree], out: &mut Vec<&'a OrgNode>) {
        for n in t {
            if n.node.kind == OrgKind::Administration {
                out.push(&n.node);
            }
            walk(&n.children, out);
        }
    }
    let tree = build_tree(&nodes);
    walk(&tree, &mut admins);
    admins.retain(|n| {
        chains
            .get(&n.id)
            .is_some_and(|c| caller.may(Action::AdministerOrg, c))
    });
    if admins.is_empty() {
        return Err(AppError::Denied(if caller.person().is_some() {
            Denied::Forbidden
        } else {
            Denied::SignInRequired
        })
        .into());
    }
    let years = state.store.years().await?;
    let mut lines = Vec::new();
    for a in admins {
        let mut ys = Vec::new();
        for y in &years {
            let own = !state.store.template_of(a.id, *y).await?.is_default();
            ys.push((*y, format!("{BASE}/{}/{y}", a.id), own));
        }
        lines.push(AdminLine {
            name: a.name.clone(),
            years: ys,
        });
    }
    let page = ListPage {
        crumbs: vec![Crumb {
            href: "/".into(),
            label: "Start".into(),
        }],
        admins: lines,
    };
    Ok(respond(StatusCode::OK, page.render()?))
}

// ---- one template ----

/// A section as the template page lists it.
struct Row {
    key: String,
    heading: String,
    guidance: String,
    /// Plans of the year with text in it.
    plans: i64,
    /// Levels of the list to close before it.
    close: usize,
    /// Whether sections follow under it (a list opens after it).
    opens: bool,
    first: bool,
    last: bool,
}

/// The sections on one side of the cascade, as nested list items (templates cannot
/// recurse): each knows how many levels close before it and whether a level opens after.
fn rows(t: &Target, placement: Placement) -> (Vec<Row>, usize) {
    let all: Vec<&TemplateSection> = t
        .template
        .sections
        .iter()
        .filter(|s| s.placement == placement)
        .collect();
    let depth = |s: &TemplateSection| {
        let mut d = 0;
        let mut at = s.parent_key.clone();
        while let Some(p) = at {
            d += 1;
            at = all
                .iter()
                .find(|x| x.key == p)
                .and_then(|x| x.parent_key.clone());
            if d > 32 {
                break;
            }
        }
        d
    };
    let depths: Vec<usize> = all.iter().map(|s| depth(s)).collect();
    let mut out = Vec::new();
    let mut prev: usize = 0;
    for (i, s) in all.iter().enumerate() {
        let d = depths[i];
        let siblings: Vec<&&TemplateSection> = all
            .iter()
            .filter(|x| x.parent_key == s.parent_key)
            .collect();
        out.push(Row {
            key: s.key.clone(),
            heading: s.heading_for(t.year),
            guidance: s.guidance.clone(),
            plans: t.with_text.get(&s.key).copied().unwrap_or(0),
            close: prev.saturating_sub(d),
            opens: depths.get(i + 1).is_some_and(|n| *n > d),
            first: siblings.first().is_some_and(|x| x.key == s.key),
            last: siblings.last().is_some_and(|x| x.key == s.key),
        });
        prev = d;
    }
    (out, prev)
}

/// The sections on one side of the cascade.
struct Part {
    label: &'static str,
    rows: Vec<Row>,
    /// Levels of the list still open after the last row.
    close: usize,
}

#[derive(Template)]
#[template(path = "template_edit.html")]
struct TemplatePage {
    crumbs: Vec<Crumb>,
    admin: String,
    year: i32,
    href: String,
    version: i64,
    is_default: bool,
    /// The year before has a template of its own to start from.
    copy_from: Option<i32>,
    /// Before the cascade, then after.
    parts: Vec<Part>,
    notice: Option<String>,
    error: Option<String>,
}

impl TemplatePage {
    async fn new(state: &AppState, t: &Target) -> Result<TemplatePage, AppError> {
        let parts = [Placement::BeforeCascade, Placement::AfterCascade]
            .into_iter()
            .map(|p| {
                let (rows, close) = rows(t, p);
                Part {
                    label: placement_label(p),
                    rows,
                    close,
                }
            })
            .collect();
        let previous = t.year - 1;
        let copy_from = if t.template.is_default()
            && !state
                .store
                .template_of(t.admin.id, previous)
                .await?
                .is_default()
        {
            Some(previous)
        } else {
            None
        };
        Ok(TemplatePage {
            crumbs: crumbs(None),
            admin: t.admin.name.clone(),
            year: t.year,
            href: t.href(),
            version: t.template.version,
            is_default: t.template.is_default(),
            copy_from,
            parts,
            notice: None,
            error: None,
        })
    }
}

#[derive(Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    sparat: Option<String>,
    #[serde(default)]
    flyttat: Option<String>,
    #[serde(default)]
    borttaget: Option<String>,
    #[serde(default)]
    kopierat: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_admin, raw_year)): PagePath<(String, String)>,
    Query(done): Query<Done>,
) -> Result<Response, HtmlError> {
    let t = Target::load(&state, &caller, &raw_admin, &raw_year).await?;
    let mut page = TemplatePage::new(&state, &t).await?;
    page.notice = if let Some(k) = done.sparat.filter(|k| t.section(k).is_some()) {
        Some(format!("Avsnittet {} är sparat.", t.heading_of(&k)))
    } else if let Some(k) = done.flyttat.filter(|k| t.section(k).is_some()) {
        Some(format!("Avsnittet {} är flyttat.", t.heading_of(&k)))
    } else if let Some(h) = done.borttaget {
        Some(format!(
            "Avsnittet {} är borttaget ur mallen.",
            h.chars().take(HEADING_MAX_CHARS + 10).collect::<String>()
        ))
    } else {
        done.kopierat
            .map(|y| format!("Mallen för {} utgår nu från mallen för {y}.", t.year))
    };
    Ok(respond(StatusCode::OK, page.render()?))
}

/// The template page after a refusal: the template as it is now, and why.
async fn refused(
    state: &AppState,
    t: &mut Target,
    status: StatusCode,
    why: String,
) -> Result<Response, HtmlError> {
    t.reload(state).await?;
    let mut page = TemplatePage::new(state, t).await?;
    page.error = Some(why);
    Ok(respond(status, page.render()?))
}

const STALE: &str = "Någon annan har ändrat mallen sedan du öppnade sidan, så inget ändrades. Så här ser mallen ut nu; gör om ändringen om den fortfarande behövs.";

#[derive(Deserialize)]
pub struct VersionForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    riktning: String,
}

/// "Kopiera förra årets mall": the year before's template, for a year without its own.
pub async fn copy(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_admin, raw_year)): PagePath<(String, String)>,
    Form(f): Form<VersionForm>,
) -> Result<Response, HtmlError> {
    let person = caller.require_person()?;
    let mut t = Target::load(&state, &caller, &raw_admin, &raw_year).await?;
    let Some(version) = version_of(&f.version) else {
        return refused(
            &state,
            &mut t,
            StatusCode::UNPROCESSABLE_ENTITY,
            STALE.into(),
        )
        .await;
    };
    let result = async {
        let mut w = state.store.begin_write(&person.who.email).await?;
        let v = w
            .copy_template(t.admin.id, t.year - 1, t.year, version)
            .await?;
        w.commit().await?;
        Ok::<i64, StoreError>(v)
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("{}?kopierat={}", t.href(), t.year - 1)).into_response()),
        Err(StoreError::Conflict { .. }) => {
            refused(&state, &mut t, StatusCode::CONFLICT, STALE.into()).await
        }
        Err(StoreError::Template(e)) => {
            refused(&state, &mut t, StatusCode::CONFLICT, sentence(e)).await
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

/// "Flytta upp" / "Flytta ned": one step among its siblings.
pub async fn move_section(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_admin, raw_year, key)): PagePath<(String, String, String)>,
    Form(f): Form<VersionForm>,
) -> Result<Response, HtmlError> {
    let person = caller.require_person()?;
    let mut t = Target::load(&state, &caller, &raw_admin, &raw_year).await?;
    let way = match f.riktning.as_str() {
        "upp" => Move::Up,
        "ned" => Move::Down,
        _ => {
            return Err(AppError::BadRequest {
                field: "riktning",
                message: "Ange riktning: upp eller ned.".into(),
            }
            .into());
        }
    };
    let Some(version) = version_of(&f.version) else {
        return refused(
            &state,
            &mut t,
            StatusCode::UNPROCESSABLE_ENTITY,
            STALE.into(),
        )
        .await;
    };
    if t.section(&key).is_none() {
        return refused(
            &state,
            &mut t,
            StatusCode::CONFLICT,
            "Avsnittet finns inte längre i mallen: någon annan har tagit bort det.".into(),
        )
        .await;
    }
    let moved = malkedja_domain::move_section(&t.template.sections, &key, way)
        .map_err(|e| AppError::NotFound(sentence(e)))?;
    match t.save(&state, &person.who.email, &moved, version).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "{}?flyttat={}#avsnitt-{key}",
            t.href(),
            urlencode(&key)
        ))
        .into_response()),
        Err(StoreError::Conflict { .. }) => {
            refused(&state, &mut t, StatusCode::CONFLICT, STALE.into()).await
        }
        Err(StoreError::Template(e)) => {
            refused(&state, &mut t, StatusCode::CONFLICT, sentence(e)).await
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

// ---- adding and editing a section ----

/// The section as it is saved now, beside the person's edit on a conflict page.
struct Theirs {
    heading: String,
    guidance: String,
    parent: String,
    placement: &'static str,
}

#[derive(Template)]
#[template(path = "template_section.html")]
struct SectionPage {
    crumbs: Vec<Crumb>,
    admin: String,
    year: i32,
    /// "Redigera avsnittet Budget 2025" or "Lägg till ett avsnitt".
    title: String,
    action: String,
    back: String,
    heading: String,
    guidance: String,
    parent: String,
    before: bool,
    /// (key, label indented by depth) of the sections it can lie under.
    parents: Vec<(String, String)>,
    version: i64,
    errors: FormErrors,
    /// Why the form came back, above it (a conflict, a section removed meanwhile).
    notice: Option<String>,
    theirs: Option<Theirs>,
    max_heading: usize,
    max_guidance: usize,
}

impl SectionPage {
    /// The page for `key` (`None`: a new section), filled in with what is saved.
    fn new(t: &Target, key: Option<&str>) -> SectionPage {
        let s = key.and_then(|k| t.section(k));
        let href = t.href();
        let (title, action) = match s {
            Some(s) => (
                format!("Redigera avsnittet {}", s.heading_for(t.year)),
                format!("{href}/avsnitt/{}", urlencode(&s.key)),
            ),
            None => ("Lägg till ett avsnitt".to_string(), format!("{href}/nytt")),
        };
        SectionPage {
            crumbs: crumbs(Some(t)),
            admin: t.admin.name.clone(),
            year: t.year,
            title,
            action,
            back: match s {
                Some(s) => format!("{href}#avsnitt-{}", s.key),
                None => href.clone(),
            },
            heading: s.map(|s| s.heading.clone()).unwrap_or_default(),
            guidance: s.map(|s| s.guidance.clone()).unwrap_or_default(),
            parent: s.and_then(|s| s.parent_key.clone()).unwrap_or_default(),
            before: s.is_some_and(|s| s.placement == Placement::BeforeCascade),
            parents: parent_options(t, key),
            version: t.template.version,
            errors: FormErrors::default(),
            notice: None,
            theirs: None,
            max_heading: HEADING_MAX_CHARS,
            max_guidance: GUIDANCE_MAX_CHARS,
        }
    }
}

/// The sections `key` can lie under: every one but itself and those under it, in printed
/// order, indented by depth.
fn parent_options(t: &Target, key: Option<&str>) -> Vec<(String, String)> {
    let below = |s: &TemplateSection| {
        let Some(k) = key else { return false };
        let mut at = Some(s.key.clone());
        let mut n = 0;
        while let Some(x) = at {
            if x == k {
                return true;
            }
            n += 1;
            if n > 32 {
                break;
            }
            at = t.section(&x).and_then(|p| p.parent_key.clone());
        }
        false
    };
    let depth = |s: &TemplateSection| {
        let mut d = 0;
        let mut at = s.parent_key.clone();
        while let Some(p) = at {
            d += 1;
            if d > 32 {
                break;
            }
            at = t.section(&p).and_then(|x| x.parent_key.clone());
        }
        d
    };
    t.template
        .sections
        .iter()
        .filter(|s| !below(s))
        .map(|s| {
            (
                s.key.clone(),
                format!(
                    "{}{} ({})",
                    "\u{a0}\u{a0}\u{a0}".repeat(depth(s)),
                    s.heading_for(t.year),
                    placement_label(s.placement).to_lowercase()
                ),
            )
        })
        .collect()
}

fn theirs(t: &Target, key: &str) -> Option<Theirs> {
    t.section(key).map(|s| Theirs {
        heading: s.heading_for(t.year),
        guidance: s.guidance.clone(),
        parent: s
            .parent_key
            .as_deref()
            .map(|p| t.heading_of(p))
            .unwrap_or_else(|| "Inget (ett eget avsnitt)".into()),
        placement: placement_label(s.placement),
    })
}

#[derive(Deserialize)]
pub struct SectionForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    rubrik: String,
    #[serde(default)]
    vagledning: String,
    #[serde(default)]
    overordnat: String,
    #[serde(default)]
    placering: String,
}

impl SectionForm {
    /// The form read into an edit, with a message at each field that cannot be used. The
    /// page gets what was typed either way.
    fn read(&self, page: &mut SectionPage) -> Option<(SectionEdit, i64)> {
        let heading = self.rubrik.trim().to_string();
        let guidance = self.vagledning.replace("\r\n", "\n").replace('\r', "\n");
        let guidance = guidance.trim().to_string();
        page.heading = heading.clone();
        page.guidance = guidance.clone();
        page.parent = self.overordnat.trim().to_string();
        let placement = match self.placering.as_str() {
            "fore" => Some(Placement::BeforeCascade),
            "efter" => Some(Placement::AfterCascade),
            _ => None,
        };
        page.before = placement == Some(Placement::BeforeCascade);
        if let Err(e) = check_heading(&heading) {
            page.errors.add("rubrik", sentence(e));
        }
        if let Err(e) = check_guidance(&guidance) {
            page.errors.add("vagledning", sentence(e));
        }
        if !page.parent.is_empty() && !page.parents.iter().any(|(k, _)| *k == page.parent) {
            page.errors.add(
                "overordnat",
                "Välj ett avsnitt i listan, eller inget om avsnittet ska stå för sig självt.",
            );
        }
        if placement.is_none() && page.parent.is_empty() {
            page.errors.add(
                "placering-fore",
                "Välj om avsnittet står före eller efter målen.",
            );
        }
        let version = version_of(&self.version);
        if let Some(v) = version {
            page.version = v;
        } else {
            page.errors.add(
                "rubrik",
                "Formuläret saknade uppgiften om vilken version av mallen du utgick från, så inget sparades. Kontrollera uppgifterna och spara igen.",
            );
        }
        if !page.errors.is_empty() {
            return None;
        }
        let edit = SectionEdit {
            heading,
            guidance,
            parent_key: (!page.parent.is_empty()).then(|| page.parent.clone()),
            placement: placement.unwrap_or(Placement::AfterCascade),
        };
        Some((edit, version.unwrap_or(0)))
    }
}

fn field_of(e: &TemplateError) -> &'static str {
    match e {
        TemplateError::GuidanceTooLong { .. } => "vagledning",
        TemplateError::UnknownParent | TemplateError::ParentCycle => "overordnat",
        _ => "rubrik",
    }
}

pub async fn add_form(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_admin, raw_year)): PagePath<(String, String)>,
) -> Result<Response, HtmlError> {
    let t = Target::load(&state, &caller, &raw_admin, &raw_year).await?;
    let mut page = SectionPage::new(&t, None);
    page.before = false;
    Ok(respond(StatusCode::OK, page.render()?))
}

pub async fn add(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_admin, raw_year)): PagePath<(String, String)>,
    Form(f): Form<SectionForm>,
) -> Result<Response, HtmlError> {
    write_section(&state, &caller, (&raw_admin, &raw_year), None, &f).await
}

pub async fn edit(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_admin, raw_year, key)): PagePath<(String, String, String)>,
    Form(f): Form<SectionForm>,
) -> Result<Response, HtmlError> {
    write_section(&state, &caller, (&raw_admin, &raw_year), Some(&key), &f).await
}

/// Adds a section (`key`: `None`) or saves one, from the version the form states.
async fn write_section(
    state: &AppState,
    caller: &Caller,
    (raw_admin, raw_year): (&str, &str),
    key: Option<&str>,
    f: &SectionForm,
) -> Result<Response, HtmlError> {
    let person = caller.require_person()?;
    let mut t = Target::load(state, caller, raw_admin, raw_year).await?;
    if let Some(k) = key
        && t.section(k).is_none()
    {
        // Removed while the person wrote: what they wrote can still become a new section.
        let mut typed = SectionPage::new(&t, None);
        let _ = f.read(&mut typed);
        return Ok(respond(StatusCode::CONFLICT, gone(&t, typed).render()?));
    }
    let mut page = SectionPage::new(&t, key);
    let Some((edit, version)) = f.read(&mut page) else {
        return Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, page.render()?));
    };
    let changed = match key {
        Some(k) => malkedja_domain::update_section(&t.template.sections, k, &edit)
            .map(|s| (s, k.to_string())),
        None => malkedja_domain::add_section(&t.template.sections, &edit),
    };
    let (sections, saved_key) = match changed {
        Ok(x) => x,
        Err(e) => {
            page.errors.add(field_of(&e), sentence(e));
            return Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, page.render()?));
        }
    };
    match t.save(state, &person.who.email, &sections, version).await {
        Ok(_) => Ok(saved(&t, &saved_key)),
        Err(StoreError::Conflict { .. }) => {
            t.reload(state).await?;
            let Some(k) = key else {
                let mut again = SectionPage::new(&t, None);
                again.heading = page.heading;
                again.guidance = page.guidance;
                again.parent = page.parent;
                again.before = page.before;
                again.notice = Some("Någon annan har ändrat mallen medan du skrev, så avsnittet lades inte till. Det du skrev finns kvar i formuläret; se efter i mallen att avsnittet inte redan finns och spara igen.".into());
                again
                    .errors
                    .add("rubrik", "Mallen har ändrats sedan du öppnade sidan.");
                return Ok(respond(StatusCode::CONFLICT, again.render()?));
            };
            if t.section(k).is_none() {
                return Ok(respond(StatusCode::CONFLICT, gone(&t, page).render()?));
            }
            let mut again = SectionPage::new(&t, Some(k));
            again.heading = page.heading;
            again.guidance = page.guidance;
            again.parent = page.parent;
            again.before = page.before;
            again.theirs = theirs(&t, k);
            again.errors.add(
                "rubrik",
                "Någon annan har ändrat mallen medan du skrev, så din ändring är inte sparad. Avsnittet som det är sparat nu visas här bredvid och det du skrev finns kvar i formuläret. Spara igen om din version ska gälla.",
            );
            Ok(respond(StatusCode::CONFLICT, again.render()?))
        }
        Err(StoreError::Template(e)) => {
            page.errors.add(field_of(&e), sentence(e));
            Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, page.render()?))
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

fn saved(t: &Target, key: &str) -> Response {
    Redirect::to(&format!(
        "{}?sparat={}#avsnitt-{key}",
        t.href(),
        urlencode(key)
    ))
    .into_response()
}

pub async fn edit_form(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_admin, raw_year, key)): PagePath<(String, String, String)>,
) -> Result<Response, HtmlError> {
    let t = Target::load(&state, &caller, &raw_admin, &raw_year).await?;
    if t.section(&key).is_none() {
        return Err(no_section(&t, &key).into());
    }
    Ok(respond(
        StatusCode::OK,
        SectionPage::new(&t, Some(&key)).render()?,
    ))
}

/// The form of a new section with what was typed for one that someone else removed
/// meanwhile: nothing typed is lost, and saving adds it anew.
fn gone(t: &Target, typed: SectionPage) -> SectionPage {
    let mut page = SectionPage::new(t, None);
    page.heading = typed.heading;
    page.guidance = typed.guidance;
    page.before = typed.before;
    page.notice = Some("Avsnittet finns inte längre i mallen: någon annan har tagit bort det medan du skrev. Det du skrev finns kvar här; spara för att lägga till det som ett nytt avsnitt.".into());
    page
}

fn no_section(t: &Target, key: &str) -> AppError {
    AppError::NotFound(format!(
        "Mallen för {} har inget avsnitt som heter \"{key}\".",
        t.year
    ))
}

// ---- removing a section ----

#[derive(Template)]
#[template(path = "template_remove.html")]
struct RemovePage {
    crumbs: Vec<Crumb>,
    admin: String,
    year: i32,
    heading: String,
    action: String,
    back: String,
    version: i64,
    /// Why it cannot be removed (text in plans, sub-sections), or a refusal just now.
    blocked: Option<String>,
    error: Option<String>,
}

impl RemovePage {
    fn new(t: &Target, key: &str) -> RemovePage {
        let heading = t.heading_of(key);
        let plans = t.with_text.get(key).copied().unwrap_or(0);
        let blocked = if plans > 0 {
            Some(sentence(TemplateError::HasText {
                heading: heading.clone(),
                plans,
            }))
        } else {
            malkedja_domain::remove_section(&t.template.sections, key)
                .err()
                .map(sentence)
        };
        RemovePage {
            crumbs: crumbs(Some(t)),
            admin: t.admin.name.clone(),
            year: t.year,
            action: format!("{}/avsnitt/{}/ta-bort", t.href(), urlencode(key)),
            back: format!("{}#avsnitt-{key}", t.href()),
            heading,
            version: t.template.version,
            blocked,
            error: None,
        }
    }
}

pub async fn remove_form(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_admin, raw_year, key)): PagePath<(String, String, String)>,
) -> Result<Response, HtmlError> {
    let t = Target::load(&state, &caller, &raw_admin, &raw_year).await?;
    if t.section(&key).is_none() {
        return Err(no_section(&t, &key).into());
    }
    Ok(respond(StatusCode::OK, RemovePage::new(&t, &key).render()?))
}

pub async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_admin, raw_year, key)): PagePath<(String, String, String)>,
    Form(f): Form<VersionForm>,
) -> Result<Response, HtmlError> {
    let person = caller.require_person()?;
    let mut t = Target::load(&state, &caller, &raw_admin, &raw_year).await?;
    let Some(section) = t.section(&key).cloned() else {
        // Gone already: nothing is lost by saying so.
        return Ok(Redirect::to(&t.href()).into_response());
    };
    let Some(version) = version_of(&f.version) else {
        let mut page = RemovePage::new(&t, &key);
        page.error = Some(STALE.into());
        return Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, page.render()?));
    };
    let sections = match malkedja_domain::remove_section(&t.template.sections, &key) {
        Ok(s) => s,
        Err(e) => {
            let mut page = RemovePage::new(&t, &key);
            page.error = Some(sentence(e));
            return Ok(respond(StatusCode::CONFLICT, page.render()?));
        }
    };
    match t.save(&state, &person.who.email, &sections, version).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "{}?borttaget={}",
            t.href(),
            urlencode(&section.heading_for(t.year))
        ))
        .into_response()),
        Err(e @ (StoreError::Conflict { .. } | StoreError::Template(_))) => {
            let why = match e {
                StoreError::Template(e) => sentence(e),
                _ => STALE.into(),
            };
            t.reload(&state).await?;
            if t.section(&key).is_none() {
                return Ok(Redirect::to(&t.href()).into_response());
            }
            let mut page = RemovePage::new(&t, &key);
            page.error = Some(why);
            Ok(respond(StatusCode::CONFLICT, page.render()?))
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}
