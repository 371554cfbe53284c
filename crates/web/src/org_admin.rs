//! Administration of the organisation and the year, for those the policy lets do
//! `Action::AdministerOrg` (an administrator, on the node they hold the role on and
//! everything below it; their *scope*, `crate::scope`):
//!
//! - `/admin/organisation`: the tree, with what the caller may do at each node;
//! - `/admin/organisation/{id}`: one node — rename, move (a list of the parents it may go
//!   under, inside the scope), close (*avveckla*, on a date, with what is open below it)
//!   or reopen; `/admin/organisation/{id}/ny`: a new node under it;
//! - `/admin/ar`: the planning years, and adding one (on the top of the organisation);
//! - `/admin/forvaltningar/{id}/tidsfrister/{year}`: an administration's deadlines for a
//!   year (plan, T1, T2, annual report).
//!
//! The target the policy is asked about is the node worked on; for a new node its parent,
//! for a move the new parent too, for a planning year the top of the organisation. The
//! rules (which kind goes under which, no node under itself, nothing open under a closed
//! node, deadlines in their places) are the domain's, checked again by the store. Every
//! form works without JavaScript, keeps what was typed when it is refused (422, a message
//! beside the field and a summary at the top), and states the version it was made from:
//! a stale page is a conflict (409) that shows what is saved now beside what was sent.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, HtmlError};
use crate::forms::{FormErrors, sentence};
use crate::params::{self, PagePath};
use crate::scope::{NodeOption, Scope, respond};
use crate::views::{Crumb, tree_items};
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use malkedja_domain::{
    Action, DeadlineKind, Deadlines, DomainError, NewNode, NodeId, OrgKind, OrgNode, OrgTree, Year,
    allowed_parents, build_tree, check_node_name, closing, date_text, next_year, parse_date,
};
use malkedja_store::{StoreError, Writer};
use serde::Deserialize;

const TREE: &str = "/admin/organisation";
const YEARS: &str = "/admin/ar";

/// Start › Organisation › `extra`.
fn crumbs(extra: Vec<Crumb>) -> Vec<Crumb> {
    let mut c = vec![
        Crumb {
            href: "/".into(),
            label: "Start".into(),
        },
        Crumb {
            href: TREE.into(),
            label: "Organisation".into(),
        },
    ];
    c.extend(extra);
    c
}

fn node_href(id: NodeId) -> String {
    format!("{TREE}/{id}")
}

fn deadlines_href(admin: NodeId, year: Year) -> String {
    format!("/admin/forvaltningar/{admin}/tidsfrister/{year}")
}

/// "enheten «Solrosen»".
fn phrase(n: &OrgNode) -> String {
    format!("{} «{}»", n.kind.definite_label(), n.name)
}

/// A version sent with a form: a whole number from 0.
fn version(raw: &str) -> Option<i64> {
    raw.trim().parse::<i64>().ok().filter(|v| *v >= 0)
}

const NO_VERSION: &str = "Formuläret saknade uppgiften om vilken version du utgick från, så inget är ändrat. Sidan visar nu hur det ser ut; gör ändringen igen.";

/// What was just done, as the page after the change says it.
#[derive(Deserialize)]
pub struct Done {
    #[serde(default)]
    klart: String,
}

fn notice(code: &str) -> Option<&'static str> {
    match code {
        "namn" => Some("Namnet är ändrat."),
        "flyttad" => Some("Noden är flyttad."),
        "avvecklad" => Some("Noden är avvecklad."),
        "ateroppnad" => Some("Noden är återöppnad."),
        "skapad" => Some("Noden är skapad."),
        "sparat" => Some("Tidsfristerna är sparade."),
        _ => None,
    }
}

/// Runs `change` in one writer as the signed-in person and commits it.
async fn write<T>(
    state: &AppState,
    actor: &str,
    change: impl AsyncFnOnce(&mut Writer) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let mut w = state.store.begin_write(actor).await?;
    let out = change(&mut w).await?;
    w.commit().await?;
    Ok(out)
}

// ---- the tree ----

struct TreeLine {
    pre: String,
    id: i64,
    name: String,
    kind: &'static str,
    closed: Option<String>,
    /// The caller may administer the node.
    may: bool,
    /// Nodes can be added under it.
    add: bool,
    /// An administration: its deadlines.
    deadlines: bool,
}

#[derive(Template)]
#[template(path = "org_admin.html")]
struct TreePage {
    crumbs: Vec<Crumb>,
    items: Vec<TreeLine>,
    tail: String,
    everything: bool,
    tops: Vec<String>,
}

pub async fn tree(State(state): State<AppState>, caller: Caller) -> Result<Response, HtmlError> {
    let scope = Scope::of(&state, &caller, Action::AdministerOrg).await?;
    let (items, tail) = tree_items(&build_tree(&scope.nodes));
    let items = items
        .into_iter()
        .filter_map(|i| {
            let node = scope.nodes.iter().find(|n| n.id.0 == i.id)?;
            let may = scope.covers(node.id);
            Some(TreeLine {
                pre: i.pre,
                id: i.id,
                name: i.name,
                kind: i.kind,
                closed: i.closed,
                may,
                add: may && !node.is_closed() && !node.kind.child_kinds().is_empty(),
                deadlines: may && node.kind == OrgKind::Administration,
            })
        })
        .collect();
    let page = TreePage {
        crumbs: vec![Crumb {
            href: "/".into(),
            label: "Start".into(),
        }],
        items,
        tail,
        everything: scope.everything(),
        tops: scope.tops(),
    };
    Ok(respond(StatusCode::OK, page.render()?))
}

// ---- one node ----

/// The node the address names, with the caller's scope, once the policy has let them
/// administer it: 404 when there is none, 403 when it is someone else's.
struct Target {
    scope: Scope,
    node: OrgNode,
}

impl Target {
    async fn load(state: &AppState, caller: &Caller, raw: &str) -> Result<Target, AppError> {
        let id = params::node_id("id", raw, "Nodens nummer")?;
        let scope = Scope::of(state, caller, Action::AdministerOrg).await?;
        let node = scope
            .nodes
            .iter()
            .find(|n| n.id == id)
            .cloned()
            .ok_or_else(|| {
                AppError::NotFound(format!(
                    "Det finns ingen del av organisationen med nummer {id}."
                ))
            })?;
        caller.authorize(Action::AdministerOrg, scope.chain(id))?;
        Ok(Target { scope, node })
    }

    /// Crumbs down to the node (linked to its page when `linked`).
    fn crumbs(&self, linked: bool) -> Vec<Crumb> {
        let extra: Vec<Crumb> = self
            .scope
            .chain(self.node.id)
            .iter()
            .skip(usize::from(!linked))
            .rev()
            .filter(|n| self.scope.covers(n.id))
            .map(|n| Crumb {
                href: node_href(n.id),
                label: n.name.clone(),
            })
            .collect();
        crumbs(extra)
    }
}

struct ChildLine {
    id: i64,
    name: String,
    kind: &'static str,
    closed: Option<String>,
}

#[derive(Template)]
#[template(path = "org_node.html")]
struct NodePage {
    crumbs: Vec<Crumb>,
    id: i64,
    name: String,
    kind: &'static str,
    definite: &'static str,
    closed: Option<String>,
    version: i64,
    /// Where it sits: its ancestors from the top, as "Staden › Nämnden".
    place: String,
    unit_href: Option<String>,
    /// The roll-ups of a board, administration or department.
    rollup_href: Option<String>,
    children: Vec<ChildLine>,
    /// New nodes can be made under it (open, with kinds that go under it).
    can_add: bool,
    /// An administration: it has deadlines.
    is_admin: bool,
    /// The planning years, for an administration's deadlines.
    deadline_years: Vec<(Year, String)>,
    notice: Option<&'static str>,
    errors: FormErrors,
    /// The summary's heading: what was not done.
    not_done: &'static str,
    /// The name field: what is saved, or what was sent.
    name_value: String,
    /// The name saved now, when someone else changed it (a conflict).
    name_theirs: Option<String>,
    /// The parents it may move under; empty when it cannot move.
    parents: Vec<NodeOption>,
    parent_value: i64,
    parent_now: String,
    /// Where it sits now, when someone else moved it (a conflict).
    parent_theirs: Option<String>,
    /// It can be closed (not the top).
    closable: bool,
    date_value: String,
    /// What closing it closes too: the open nodes below it, in the tree's order (the
    /// first [`CLOSING_SHOWN`]), and how many more.
    closing_too: Vec<String>,
    closing_more: usize,
    /// The node as it is saved now, when someone else changed it (a conflict).
    closed_theirs: Option<String>,
}

/// How many of the nodes a closing takes with it the page names.
const CLOSING_SHOWN: usize = 12;

/// The node `id` and those below it, in the tree's order.
fn tree_order(nodes: &[OrgNode], id: NodeId) -> Vec<NodeId> {
    fn find(t: &OrgTree, id: NodeId) -> Option<&OrgTree> {
        if t.node.id == id {
            Some(t)
        } else {
            t.children.iter().find_map(|c| find(c, id))
        }
    }
    let forest = build_tree(nodes);
    forest
        .iter()
        .find_map(|t| find(t, id))
        .map(|t| t.walk().iter().map(|n| n.id).collect())
        .unwrap_or_default()
}

impl NodePage {
    fn new(t: &Target) -> NodePage {
        let node = &t.node;
        let scope = &t.scope;
        let chain = scope.chain(node.id);
        let place = chain
            .iter()
            .skip(1)
            .rev()
            .map(|n| n.name.as_str())
            .collect::<Vec<_>>()
            .join(" › ");
        let mut children: Vec<&OrgNode> = scope
            .nodes
            .iter()
            .filter(|n| n.parent_id == Some(node.id))
            .collect();
        children.sort_by(|a, b| {
            a.position
                .cmp(&b.position)
                .then_with(|| malkedja_domain::swedish_cmp(&a.name, &b.name))
        });
        let allowed: Vec<NodeId> = allowed_parents(node, &scope.nodes)
            .iter()
            .map(|p| p.id)
            .collect();
        let mut parents = scope.options_where(|p| allowed.contains(&p.id));
        if !parents.iter().any(|p| Some(NodeId(p.id)) != node.parent_id) {
            // Nowhere else to go.
            parents.clear();
        }
        let closing_too: Vec<String> = match closing(node, &scope.nodes) {
            Ok(ids) => tree_order(&scope.nodes, node.id)
                .into_iter()
                .filter(|id| *id != node.id && ids.contains(id))
                .map(|id| scope.place(id))
                .collect(),
            Err(_) => Vec::new(),
        };
        NodePage {
            crumbs: t.crumbs(false),
            id: node.id.0,
            name: node.name.clone(),
            kind: node.kind.label(),
            definite: node.kind.definite_label(),
            closed: node.closed_text(),
            version: node.version,
            place,
            unit_href: (node.kind == OrgKind::Unit).then(|| format!("/enheter/{}", node.id)),
            rollup_href: malkedja_domain::has_rollup(node.kind)
                .then(|| crate::rollup::index_href(node.id)),
            children: children
                .into_iter()
                .map(|c| ChildLine {
                    id: c.id.0,
                    name: c.name.clone(),
                    kind: c.kind.label(),
                    closed: c.closed_text(),
                })
                .collect(),
            can_add: !node.is_closed() && !node.kind.child_kinds().is_empty(),
            is_admin: node.kind == OrgKind::Administration,
            deadline_years: Vec::new(),
            notice: None,
            errors: FormErrors::default(),
            not_done: "",
            name_value: node.name.clone(),
            name_theirs: None,
            parent_value: node.parent_id.map_or(0, |p| p.0),
            parent_now: node.parent_id.map(|p| scope.place(p)).unwrap_or_default(),
            parents,
            parent_theirs: None,
            closable: node.parent_id.is_some(),
            date_value: String::new(),
            closing_more: closing_too.len().saturating_sub(CLOSING_SHOWN),
            closing_too: closing_too.into_iter().take(CLOSING_SHOWN).collect(),
            closed_theirs: None,
        }
    }

    /// The page for the node, with the planning years when it is an administration.
    async fn of(state: &AppState, t: &Target) -> Result<NodePage, AppError> {
        let mut page = NodePage::new(t);
        if t.node.kind == OrgKind::Administration {
            page.deadline_years = state
                .store
                .years()
                .await?
                .into_iter()
                .map(|y| (y, deadlines_href(t.node.id, y)))
                .collect();
        }
        Ok(page)
    }

    fn refused(mut self, not_done: &'static str, field: &'static str, message: String) -> Self {
        self.not_done = not_done;
        self.errors.add(field, message);
        self
    }
}

fn after_change(id: NodeId, done: &str) -> Response {
    Redirect::to(&format!("{}?klart={done}", node_href(id))).into_response()
}

pub async fn node(
    State(state): State<AppState>,
    caller: Caller,
    PagePath(raw): PagePath<String>,
    Query(done): Query<Done>,
) -> Result<Response, HtmlError> {
    let t = Target::load(&state, &caller, &raw).await?;
    let mut page = NodePage::of(&state, &t).await?;
    page.notice = notice(&done.klart);
    Ok(respond(StatusCode::OK, page.render()?))
}

/// One of the node page's forms being answered: the node (the policy has let the caller
/// administer it), what the summary says was not done, the field its messages stand
/// beside, and how the page keeps what was sent.
struct NodeForm<'a, K: Fn(&mut NodePage)> {
    state: &'a AppState,
    caller: &'a Caller,
    raw: &'a str,
    target: Target,
    not_done: &'static str,
    field: &'static str,
    keep: K,
}

impl<'a, K: Fn(&mut NodePage)> NodeForm<'a, K> {
    async fn open(
        state: &'a AppState,
        caller: &'a Caller,
        raw: &'a str,
        not_done: &'static str,
        field: &'static str,
        keep: K,
    ) -> Result<Self, AppError> {
        Ok(NodeForm {
            target: Target::load(state, caller, raw).await?,
            state,
            caller,
            raw,
            not_done,
            field,
            keep,
        })
    }

    fn node(&self) -> &OrgNode {
        &self.target.node
    }

    /// The page for `target` with what was sent and `message` beside the field.
    async fn page(&self, target: &Target, message: String) -> Result<NodePage, AppError> {
        let mut page = NodePage::of(self.state, target).await?;
        (self.keep)(&mut page);
        Ok(page.refused(self.not_done, self.field, message))
    }

    /// Refused (422): the page again with what was sent and why.
    async fn refuse(&self, message: String) -> Result<Response, HtmlError> {
        let page = self.page(&self.target, message).await?;
        Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, page.render()?))
    }

    /// The answer to the store's answer: the node's page after a change; after a conflict
    /// (409) the page as the node is saved now, with `conflict` said and `theirs` showing
    /// what someone else saved beside what was sent; a rule broken, refused.
    async fn finish<T>(
        &self,
        result: Result<T, StoreError>,
        done: &str,
        conflict: &str,
        theirs: impl FnOnce(&mut NodePage, &OrgNode),
    ) -> Result<Response, HtmlError> {
        match result {
            Ok(_) => Ok(after_change(self.node().id, done)),
            Err(StoreError::Conflict { .. }) => {
                let now = Target::load(self.state, self.caller, self.raw).await?;
                let mut page = self.page(&now, format!("{CONFLICT} {conflict}")).await?;
                theirs(&mut page, &now.node);
                Ok(respond(StatusCode::CONFLICT, page.render()?))
            }
            Err(StoreError::Domain(e)) => self.refuse(sentence(e)).await,
            Err(e) => Err(e.into()),
        }
    }
}

const CONFLICT: &str =
    "Någon annan har ändrat noden sedan du öppnade sidan, så din ändring är inte gjord.";

#[derive(Deserialize)]
pub struct RenameForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    name: String,
}

pub async fn rename(
    State(state): State<AppState>,
    caller: Caller,
    PagePath(raw): PagePath<String>,
    Form(f): Form<RenameForm>,
) -> Result<Response, HtmlError> {
    let person = caller.require_person()?;
    let typed: String = f.name.chars().take(400).collect();
    let keep = |p: &mut NodePage| p.name_value = typed.clone();
    let form = NodeForm::open(&state, &caller, &raw, "Namnet är inte ändrat", "namn", keep).await?;
    let Some(v) = version(&f.version) else {
        return form.refuse(NO_VERSION.into()).await;
    };
    let name = match check_node_name(&f.name) {
        Ok(n) => n,
        Err(e) => return form.refuse(sentence(e)).await,
    };
    let id = form.node().id;
    let result = write(&state, &person.who.email, async |w| {
        w.rename_node(id, &name, v).await
    })
    .await;
    form.finish(
        result,
        "namn",
        "Namnet som gäller nu står här bredvid, ditt finns kvar i rutan. Spara igen om ditt ska gälla.",
        |p, now| p.name_theirs = Some(now.name.clone()),
    )
    .await
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    parent: String,
}

pub async fn move_node(
    State(state): State<AppState>,
    caller: Caller,
    PagePath(raw): PagePath<String>,
    Form(f): Form<MoveForm>,
) -> Result<Response, HtmlError> {
    let person = caller.require_person()?;
    let chosen = f.parent.trim().parse::<i64>().unwrap_or(0);
    let keep = |p: &mut NodePage| p.parent_value = chosen;
    let form = NodeForm::open(
        &state,
        &caller,
        &raw,
        "Noden är inte flyttad",
        "foralder",
        keep,
    )
    .await?;
    let Some(v) = version(&f.version) else {
        return form.refuse(NO_VERSION.into()).await;
    };
    let Some(parent) = form.target.scope.nodes.iter().find(|n| n.id.0 == chosen) else {
        return form
            .refuse("Välj var i organisationen noden ska ligga.".into())
            .await;
    };
    // The new place must be the caller's to administer too.
    caller.authorize(Action::AdministerOrg, form.target.scope.chain(parent.id))?;
    let (id, to) = (form.node().id, parent.id);
    let result = write(&state, &person.who.email, async |w| {
        w.move_node(id, to, v).await
    })
    .await;
    form.finish(
        result,
        "flyttad",
        "Var den ligger nu står här bredvid, ditt val är kvar. Flytta igen om den ska ligga där du valde.",
        |p, _| p.parent_theirs = Some(p.parent_now.clone()),
    )
    .await
}

#[derive(Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    date: String,
}

/// "Avvecklad 2025-04-01", or "Öppen": how a node is now, beside a refused change.
fn open_or_closed(node: &OrgNode) -> String {
    node.closed_text().unwrap_or_else(|| "Öppen".into())
}

pub async fn close(
    State(state): State<AppState>,
    caller: Caller,
    PagePath(raw): PagePath<String>,
    Form(f): Form<CloseForm>,
) -> Result<Response, HtmlError> {
    let person = caller.require_person()?;
    let typed: String = f.date.chars().take(40).collect();
    let keep = |p: &mut NodePage| p.date_value = typed.clone();
    let form = NodeForm::open(
        &state,
        &caller,
        &raw,
        "Noden är inte avvecklad",
        "datum",
        keep,
    )
    .await?;
    let Some(v) = version(&f.version) else {
        return form.refuse(NO_VERSION.into()).await;
    };
    let on = match parse_date(&f.date) {
        Some(d) if params::YEARS.contains(&d.year()) => d,
        _ if f.date.trim().is_empty() => {
            return form
                .refuse("Skriv vilket datum noden avvecklas.".into())
                .await;
        }
        _ => {
            return form
                .refuse("Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2025-04-01.".into())
                .await;
        }
    };
    let id = form.node().id;
    let result = write(&state, &person.who.email, async |w| {
        w.close_node(id, on, v).await
    })
    .await;
    form.finish(
        result,
        "avvecklad",
        "Sidan visar nu hur noden ser ut; avveckla igen om den fortfarande ska avvecklas.",
        |p, now| p.closed_theirs = Some(open_or_closed(now)),
    )
    .await
}

#[derive(Deserialize)]
pub struct ReopenForm {
    #[serde(default)]
    version: String,
}

pub async fn reopen(
    State(state): State<AppState>,
    caller: Caller,
    PagePath(raw): PagePath<String>,
    Form(f): Form<ReopenForm>,
) -> Result<Response, HtmlError> {
    let person = caller.require_person()?;
    let form = NodeForm::open(
        &state,
        &caller,
        &raw,
        "Noden är inte återöppnad",
        "ateroppna",
        |_| {},
    )
    .await?;
    let Some(v) = version(&f.version) else {
        return form.refuse(NO_VERSION.into()).await;
    };
    let id = form.node().id;
    let result = write(&state, &person.who.email, async |w| {
        w.reopen_node(id, v).await
    })
    .await;
    form.finish(
        result,
        "ateroppnad",
        "Sidan visar nu hur noden ser ut; återöppna igen om den fortfarande ska återöppnas.",
        |p, now| p.closed_theirs = Some(open_or_closed(now)),
    )
    .await
}

// ---- a new node ----

#[derive(Template)]
#[template(path = "org_new.html")]
struct NewPage {
    crumbs: Vec<Crumb>,
    parent_id: i64,
    parent: String,
    /// Why nothing can be added here, when nothing can.
    blocked: Option<String>,
    kinds: Vec<(&'static str, &'static str)>,
    kind_value: String,
    name_value: String,
    errors: FormErrors,
}

impl NewPage {
    fn new(t: &Target) -> NewPage {
        let kinds: Vec<(&'static str, &'static str)> = t
            .node
            .kind
            .child_kinds()
            .into_iter()
            .map(|k| (k.code(), k.label()))
            .collect();
        let blocked = if t.node.is_closed() {
            Some(format!(
                "{} är avvecklad, så inget nytt kan läggas under den. Återöppna den först om det behövs.",
                sentence(phrase(&t.node)).trim_end_matches('.')
            ))
        } else if kinds.is_empty() {
            Some(format!(
                "Under en {} kan inget läggas i organisationen.",
                t.node.kind.label()
            ))
        } else {
            None
        };
        NewPage {
            crumbs: t.crumbs(true),
            parent_id: t.node.id.0,
            parent: phrase(&t.node),
            blocked,
            kind_value: match kinds.as_slice() {
                [(only, _)] => (*only).to_string(),
                _ => String::new(),
            },
            kinds,
            name_value: String::new(),
            errors: FormErrors::default(),
        }
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    caller: Caller,
    PagePath(raw): PagePath<String>,
) -> Result<Response, HtmlError> {
    let t = Target::load(&state, &caller, &raw).await?;
    Ok(respond(StatusCode::OK, NewPage::new(&t).render()?))
}

#[derive(Deserialize)]
pub struct NewForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    PagePath(raw): PagePath<String>,
    Form(f): Form<NewForm>,
) -> Result<Response, HtmlError> {
    let person = caller.require_person()?;
    let t = Target::load(&state, &caller, &raw).await?;
    let mut page = NewPage::new(&t);
    page.kind_value = f.kind.trim().chars().take(40).collect();
    page.name_value = f.name.chars().take(400).collect();
    if let Some(why) = page.blocked.clone() {
        page.errors.add("namn", why);
        return Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, page.render()?));
    }
    let kind = OrgKind::from_code(f.kind.trim()).filter(|k| t.node.kind.child_kinds().contains(k));
    if kind.is_none() {
        page.errors.add("slag", "Välj vad det är för slags nod.");
    }
    let name = check_node_name(&f.name).map_err(|e| page.errors.add("namn", sentence(e)));
    let (Some(kind), Ok(name)) = (kind, name) else {
        return Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, page.render()?));
    };
    // After its siblings, in name order among the last of them.
    let position = t
        .scope
        .nodes
        .iter()
        .filter(|n| n.parent_id == Some(t.node.id))
        .map(|n| n.position)
        .max()
        .unwrap_or(0);
    let new = NewNode {
        parent_id: Some(t.node.id),
        kind,
        name,
        position,
    };
    match write(&state, &person.who.email, async |w| {
        w.create_node(new).await
    })
    .await
    {
        Ok(created) => Ok(after_change(created.id, "skapad")),
        Err(StoreError::Domain(e)) => {
            page.errors.add("namn", sentence(e));
            Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, page.render()?))
        }
        Err(e) => Err(e.into()),
    }
}

// ---- planning years ----

struct YearLine {
    year: Year,
    /// Each administration in scope: (name, address of its deadlines, what is set).
    administrations: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "admin_years.html")]
struct YearsPage {
    crumbs: Vec<Crumb>,
    years: Vec<YearLine>,
    /// The caller may add a year (they administer the top of the organisation).
    may_add: bool,
    year_value: String,
    errors: FormErrors,
    added: Option<Year>,
}

/// The tops of the organisation: a planning year is theirs.
fn roots(scope: &Scope) -> Vec<&OrgNode> {
    scope
        .nodes
        .iter()
        .filter(|n| n.parent_id.is_none())
        .collect()
}

impl YearsPage {
    async fn of(state: &AppState, scope: &Scope) -> Result<YearsPage, AppError> {
        let years = state.store.years().await?;
        let admins: Vec<&OrgNode> = scope
            .nodes
            .iter()
            .filter(|n| n.kind == OrgKind::Administration && scope.covers(n.id))
            .collect();
        let mut lines = Vec::with_capacity(years.len());
        for &year in years.iter().rev() {
            let saved = state.store.deadlines_of_year(year).await?;
            lines.push(YearLine {
                year,
                administrations: admins
                    .iter()
                    .map(|a| {
                        let set = saved
                            .iter()
                            .find(|d| d.admin_id == a.id)
                            .map(summary)
                            .unwrap_or_else(|| "Inga tidsfrister satta".into());
                        (a.name.clone(), deadlines_href(a.id, year), set)
                    })
                    .collect(),
            });
        }
        let may_add = roots(scope).iter().all(|r| scope.covers(r.id)) && !scope.nodes.is_empty();
        Ok(YearsPage {
            crumbs: crumbs(Vec::new()),
            years: lines,
            may_add,
            year_value: next_year(&years, time::OffsetDateTime::now_utc().date()).to_string(),
            errors: FormErrors::default(),
            added: None,
        })
    }
}

/// "Verksamhetsplan 2025-12-15, Tertialrapport 1 2026-05-15".
fn summary(d: &Deadlines) -> String {
    let set: Vec<String> = d
        .entries()
        .into_iter()
        .filter_map(|(k, date)| date.map(|date| format!("{} {}", k.label(), date_text(date))))
        .collect();
    if set.is_empty() {
        "Inga tidsfrister satta".into()
    } else {
        set.join(", ")
    }
}

#[derive(Deserialize)]
pub struct YearsQuery {
    #[serde(default)]
    tillagt: String,
}

pub async fn years(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<YearsQuery>,
) -> Result<Response, HtmlError> {
    let scope = Scope::of(&state, &caller, Action::AdministerOrg).await?;
    let mut page = YearsPage::of(&state, &scope).await?;
    page.added = params::year(&q.tillagt).ok();
    Ok(respond(StatusCode::OK, page.render()?))
}

#[derive(Deserialize)]
pub struct YearForm {
    #[serde(default)]
    year: String,
}

pub async fn add_year(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form<YearForm>,
) -> Result<Response, HtmlError> {
    let person = caller.require_person()?;
    let scope = Scope::of(&state, &caller, Action::AdministerOrg).await?;
    for r in roots(&scope) {
        caller.authorize(Action::AdministerOrg, scope.chain(r.id))?;
    }
    let mut page = YearsPage::of(&state, &scope).await?;
    page.year_value = f.year.chars().take(40).collect();
    let Ok(year) = f.year.trim().parse::<i64>() else {
        page.errors
            .add("ar", "Skriv året med siffror, till exempel 2027.");
        return Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, page.render()?));
    };
    match write(&state, &person.who.email, async |w| w.add_year(year).await).await {
        Ok(y) => Ok(Redirect::to(&format!("{YEARS}?tillagt={y}")).into_response()),
        Err(StoreError::Domain(e)) => {
            page.errors.add("ar", sentence(e));
            Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, page.render()?))
        }
        Err(e) => Err(e.into()),
    }
}

// ---- deadlines ----

/// The form's field for each kind of deadline (its `id` and `name`).
fn field(kind: DeadlineKind) -> &'static str {
    match kind {
        DeadlineKind::Plan => "plan",
        DeadlineKind::Tertial1 => "t1",
        DeadlineKind::Tertial2 => "t2",
        DeadlineKind::AnnualReport => "vb",
    }
}

struct DeadlineField {
    id: &'static str,
    label: &'static str,
    hint: String,
    value: String,
    /// What is saved now, when someone else saved in between (a conflict).
    theirs: Option<String>,
}

#[derive(Template)]
#[template(path = "deadlines.html")]
struct DeadlinesPage {
    crumbs: Vec<Crumb>,
    admin: String,
    action: String,
    year: Year,
    version: i64,
    fields: Vec<DeadlineField>,
    errors: FormErrors,
    conflict: bool,
    notice: Option<&'static str>,
}

impl DeadlinesPage {
    fn new(admin: &OrgNode, saved: &Deadlines) -> DeadlinesPage {
        let year = saved.year;
        DeadlinesPage {
            crumbs: crumbs(vec![Crumb {
                href: node_href(admin.id),
                label: admin.name.clone(),
            }]),
            admin: admin.name.clone(),
            action: deadlines_href(admin.id, year),
            year,
            version: saved.version,
            fields: DeadlineKind::ALL
                .into_iter()
                .map(|k| {
                    let (from, to) = k.window(year);
                    DeadlineField {
                        id: field(k),
                        label: k.label(),
                        hint: format!("Ett datum mellan {from} och {to}, eller tomt."),
                        value: saved.get(k).map(date_text).unwrap_or_default(),
                        theirs: None,
                    }
                })
                .collect(),
            errors: FormErrors::default(),
            conflict: false,
            notice: None,
        }
    }
}

/// The administration and year of the address, once the policy has let the caller
/// administer it, and its deadlines as saved.
async fn load_deadlines(
    state: &AppState,
    caller: &Caller,
    raw_id: &str,
    raw_year: &str,
) -> Result<(OrgNode, Deadlines), AppError> {
    let id = params::node_id("id", raw_id, "Förvaltningens nummer")?;
    let year = params::year(raw_year)?;
    let chain = state.store.chain(id).await?;
    let Some(admin) = chain
        .first()
        .filter(|n| n.kind == OrgKind::Administration)
        .cloned()
    else {
        return Err(AppError::NotFound(format!(
            "Det finns ingen förvaltning med nummer {id}."
        )));
    };
    caller.authorize(Action::AdministerOrg, &chain)?;
    if !state.store.years().await?.contains(&year) {
        return Err(AppError::NotFound(format!(
            "Planeringsåret {year} finns inte. Lägg till det under Planeringsår ({YEARS})."
        )));
    }
    let saved = state.store.deadlines(id, year).await?;
    Ok((admin, saved))
}

pub async fn deadlines_form(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year)): PagePath<(String, String)>,
    Query(done): Query<Done>,
) -> Result<Response, HtmlError> {
    let (admin, saved) = load_deadlines(&state, &caller, &raw_id, &raw_year).await?;
    let mut page = DeadlinesPage::new(&admin, &saved);
    page.notice = notice(&done.klart).filter(|_| done.klart == "sparat");
    Ok(respond(StatusCode::OK, page.render()?))
}

#[derive(Deserialize)]
pub struct DeadlinesForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    plan: String,
    #[serde(default)]
    t1: String,
    #[serde(default)]
    t2: String,
    #[serde(default)]
    vb: String,
}

impl DeadlinesForm {
    fn typed(&self, kind: DeadlineKind) -> &str {
        match kind {
            DeadlineKind::Plan => &self.plan,
            DeadlineKind::Tertial1 => &self.t1,
            DeadlineKind::Tertial2 => &self.t2,
            DeadlineKind::AnnualReport => &self.vb,
        }
    }
}

pub async fn save_deadlines(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year)): PagePath<(String, String)>,
    Form(f): Form<DeadlinesForm>,
) -> Result<Response, HtmlError> {
    let person = caller.require_person()?;
    let (admin, saved) = load_deadlines(&state, &caller, &raw_id, &raw_year).await?;
    let mut page = DeadlinesPage::new(&admin, &saved);
    let mut new = Deadlines::empty(admin.id, saved.year);
    for (kind, fld) in DeadlineKind::ALL.into_iter().zip(page.fields.iter_mut()) {
        let typed = f.typed(kind);
        fld.value = typed.chars().take(40).collect();
        if typed.trim().is_empty() {
            continue;
        }
        match parse_date(typed) {
            Some(d) => new.set(kind, Some(d)),
            None => page.errors.add(
                fld.id,
                format!(
                    "Skriv tidsfristen för {} som ÅÅÅÅ-MM-DD, till exempel {}.",
                    kind.label().to_lowercase(),
                    kind.window(saved.year).0
                ),
            ),
        }
    }
    for p in new.problems() {
        page.errors.add(field(p.kind), p.message);
    }
    match version(&f.version) {
        Some(v) => {
            new.version = v;
            page.version = v;
        }
        None => page.errors.add("plan", NO_VERSION),
    }
    if !page.errors.is_empty() {
        return Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, page.render()?));
    }
    match write(&state, &person.who.email, async |w| {
        w.save_deadlines(&new).await
    })
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "{}?klart=sparat",
            deadlines_href(admin.id, saved.year)
        ))
        .into_response()),
        Err(StoreError::Conflict { .. }) => {
            let now = state.store.deadlines(admin.id, saved.year).await?;
            page.version = now.version;
            page.conflict = true;
            for (kind, fld) in DeadlineKind::ALL.into_iter().zip(page.fields.iter_mut()) {
                fld.theirs = Some(now.get(kind).map_or_else(|| "Inte satt".into(), date_text));
            }
            page.errors.add(
                "plan",
                "Någon annan har sparat tidsfristerna medan du ändrade dem, så dina är inte sparade. De som gäller nu står vid varje fält; dina finns kvar i fälten. Spara igen om dina ska gälla.",
            );
            Ok(respond(StatusCode::CONFLICT, page.render()?))
        }
        Err(StoreError::Domain(DomainError::Deadline(m))) => {
            page.errors.add("plan", m);
            Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, page.render()?))
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_are_fixed_texts() {
        assert!(notice("avvecklad").is_some());
        assert_eq!(notice("<script>"), None);
        assert_eq!(version(" 3 "), Some(3));
        assert_eq!(version("-1"), None);
        assert_eq!(version("tre"), None);
    }

    #[test]
    fn a_summary_names_what_is_set() {
        let mut d = Deadlines::empty(NodeId(3), 2026);
        assert_eq!(summary(&d), "Inga tidsfrister satta");
        d.tertial1 = parse_date("2026-05-15");
        assert_eq!(summary(&d), "Tertialrapport 1 2026-05-15");
    }
}
