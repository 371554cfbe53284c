//! Administration of people (`/admin/personer`): list them, add one, give and take roles,
//! disable an account. For administrators, within what they administer.
//!
//! **What an administrator administers** is the policy's answer, node by node: the nodes on
//! which `Action::AdministerUsers` is allowed to them (for an administrator, the node they
//! hold the role on and everything below it). Here that set is called their *scope*.
//!
//! **Whom they see.** An account is listed, and its page can be opened, when it holds at
//! least one role on a node inside the scope, or holds no role at all (someone just added,
//! or whose last role was taken away, so that they can be found and given one). An
//! administrator of the whole organisation therefore sees everyone. A visible person's
//! roles are all shown, those outside the scope too (the organisation is public); only
//! those inside can be taken away.
//!
//! **What they may change.** A role is given or taken only on a node inside the scope
//! (asked of the policy on that node's chain, read from the store), and only for a visible
//! person. An account is disabled only by someone whose scope holds every role the person
//! has (a person with roles elsewhere is another administrator's to disable too), never by
//! its own holder, and only from the version the page showed: a stale page is a conflict
//! (409), never an overwrite. Disabling ends the person's sessions.
//!
//! **A new person** gets a one-time password (`password::generate`), shown once on the
//! answer page and never stored in clear: they must choose their own at the first sign-in.
//! Every change is written through the store, which audits it (never a password).

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, HtmlError};
use crate::forms::{FormErrors, sentence};
use crate::params::PagePath;
use crate::scope::{NodeOption, Scope, respond};
use crate::tokens::moment;
use crate::views::Crumb;
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use malkedja_domain::{
    Account, AccountError, AccountId, Action, Denied, NodeId, Role, RoleGrant, normalize_email,
    normalize_name, swedish_cmp,
};
use malkedja_store::{StoreError, password};
use serde::Deserialize;

const LIST: &str = "/admin/personer";

/// Whom the caller administers, within their scope (`crate::scope`).
impl Scope {
    /// Whether the account is one the caller administers: a role inside, or no role.
    fn sees(&self, a: &Account) -> bool {
        a.grants.is_empty() || a.grants.iter().any(|g| self.covers(g.node_id))
    }
}

/// The roles in a `<select>`: (code, label).
fn role_options() -> Vec<(&'static str, &'static str)> {
    Role::ALL.iter().map(|r| (r.code(), r.label())).collect()
}

fn crumbs(with_list: bool) -> Vec<Crumb> {
    let mut c = vec![Crumb {
        href: "/".into(),
        label: "Start".into(),
    }];
    if with_list {
        c.push(Crumb {
            href: LIST.into(),
            label: "Personer".into(),
        });
    }
    c
}

fn status(a: &Account) -> &'static str {
    match (a.disabled, a.must_change_password) {
        (true, _) => "Avstängt",
        (false, true) => "Aktivt, har ett engångslösenord",
        (false, false) => "Aktivt",
    }
}

fn last_sign_in(a: &Account) -> String {
    a.last_sign_in_at.as_deref().map_or("Aldrig".into(), moment)
}

/// The account `id`, if the caller administers it: 404 when there is none, 403 when it is
/// someone else's to administer.
async fn visible(state: &AppState, scope: &Scope, id: AccountId) -> Result<Account, AppError> {
    let a =
        state.store.account(id).await?.ok_or_else(|| {
            AppError::NotFound(format!("Det finns ingen person med nummer {id}."))
        })?;
    if scope.sees(&a) {
        Ok(a)
    } else {
        Err(AppError::Denied(Denied::Forbidden))
    }
}

fn account_id(raw: &str) -> Result<AccountId, AppError> {
    Ok(AccountId(
        crate::params::node_id("id", raw, "Personens nummer")?.0,
    ))
}

/// A role and node chosen in a form: the role, and the node's chain once the policy has
/// allowed the caller to administer people there (403 otherwise). Field errors for what
/// is missing or no longer exists.
async fn chosen(
    state: &AppState,
    caller: &Caller,
    role: &str,
    node: &str,
    errors: &mut FormErrors,
) -> Result<Option<RoleGrant>, AppError> {
    let role = Role::from_code(role.trim());
    if role.is_none() {
        errors.add("roll", "Välj en roll.");
    }
    let node = match node.trim().parse::<i64>() {
        Ok(id) if id >= 1 => {
            let chain = state.store.chain(NodeId(id)).await?;
            if chain.is_empty() {
                errors.add(
                    "nod",
                    "Den del av organisationen du valde finns inte längre. Välj en annan.",
                );
                None
            } else {
                caller.authorize(Action::AdministerUsers, &chain)?;
                Some(NodeId(id))
            }
        }
        _ => {
            errors.add("nod", "Välj var i organisationen rollen ska gälla.");
            None
        }
    };
    Ok(role
        .zip(node)
        .map(|(role, node_id)| RoleGrant { role, node_id }))
}

// ---- the list ----

struct PersonLine {
    id: i64,
    name: String,
    email: String,
    roles: Vec<String>,
    last_sign_in: String,
    status: &'static str,
}

#[derive(Template)]
#[template(path = "admin_people.html")]
struct PeoplePage {
    crumbs: Vec<Crumb>,
    people: Vec<PersonLine>,
    everything: bool,
    tops: Vec<String>,
}

pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Response, HtmlError> {
    let scope = Scope::of(&state, &caller, Action::AdministerUsers).await?;
    let mut accounts: Vec<Account> = state
        .store
        .accounts()
        .await?
        .into_iter()
        .filter(|a| scope.sees(a))
        .collect();
    accounts.sort_by(|a, b| swedish_cmp(&a.display_name, &b.display_name));
    let people = accounts
        .iter()
        .map(|a| PersonLine {
            id: a.id.0,
            name: a.display_name.clone(),
            email: a.email.clone(),
            roles: a
                .grants
                .iter()
                .map(|g| format!("{}, {}", g.role.label(), scope.place(g.node_id)))
                .collect(),
            last_sign_in: last_sign_in(a),
            status: status(a),
        })
        .collect();
    let page = PeoplePage {
        crumbs: crumbs(false),
        people,
        everything: scope.everything(),
        tops: scope.tops(),
    };
    Ok(respond(StatusCode::OK, page.render()?))
}

// ---- adding a person ----

#[derive(Template)]
#[template(path = "admin_add.html")]
struct AddPage {
    crumbs: Vec<Crumb>,
    errors: FormErrors,
    email: String,
    name: String,
    role: String,
    node: i64,
    roles: Vec<(&'static str, &'static str)>,
    nodes: Vec<NodeOption>,
    /// The page of the person whose email was taken, when the caller administers them.
    taken: Option<i64>,
}

impl AddPage {
    fn new(scope: &Scope) -> AddPage {
        AddPage {
            crumbs: crumbs(true),
            errors: FormErrors::default(),
            email: String::new(),
            name: String::new(),
            role: String::new(),
            node: 0,
            roles: role_options(),
            nodes: scope.options(),
            taken: None,
        }
    }
}

pub async fn add_form(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, HtmlError> {
    let scope = Scope::of(&state, &caller, Action::AdministerUsers).await?;
    Ok(respond(StatusCode::OK, AddPage::new(&scope).render()?))
}

#[derive(Deserialize)]
pub struct NewPerson {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    node: String,
}

#[derive(Template)]
#[template(path = "admin_created.html")]
struct CreatedPage {
    crumbs: Vec<Crumb>,
    id: i64,
    name: String,
    email: String,
    role: &'static str,
    place: String,
    password: String,
}

pub async fn add(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form<NewPerson>,
) -> Result<Response, HtmlError> {
    let person = caller.require_person()?;
    let scope = Scope::of(&state, &caller, Action::AdministerUsers).await?;
    let mut page = AddPage::new(&scope);
    page.email = f.email.chars().take(300).collect();
    page.name = f.name.chars().take(300).collect();
    page.role = f.role.trim().chars().take(50).collect();
    page.node = f.node.trim().parse().unwrap_or(0);
    let email = normalize_email(&f.email).map_err(|e| page.errors.add("epost", sentence(e)));
    let name = normalize_name(&f.name).map_err(|e| page.errors.add("namn", sentence(e)));
    let grant = chosen(&state, &caller, &f.role, &f.node, &mut page.errors).await?;
    let (Ok(email), Ok(name), Some(grant)) = (email, name, grant) else {
        return Ok(respond(StatusCode::BAD_REQUEST, page.render()?));
    };
    let one_time = password::generate();
    let hash = password::hash(&one_time).await?;
    let mut w = state.store.begin_write(&person.who.email).await?;
    let account = match w
        .add_account_with_one_time_password(&email, &name, &hash)
        .await
    {
        Ok(a) => a,
        Err(StoreError::Account(AccountError::EmailTaken(taken))) => {
            drop(w);
            page.errors.add(
                "epost",
                format!("Det finns redan ett konto med e-postadressen {taken}."),
            );
            page.taken = state
                .store
                .account_by_email(&taken)
                .await?
                .filter(|a| scope.sees(a))
                .map(|a| a.id.0);
            return Ok(respond(StatusCode::CONFLICT, page.render()?));
        }
        Err(e) => return Err(e.into()),
    };
    w.grant_role(account.id, grant).await?;
    w.commit().await?;
    let created = CreatedPage {
        crumbs: crumbs(true),
        id: account.id.0,
        name: account.display_name,
        email: account.email,
        role: grant.role.label(),
        place: scope.place(grant.node_id),
        password: one_time,
    };
    Ok(respond(StatusCode::CREATED, created.render()?))
}

// ---- one person ----

struct RoleLine {
    code: &'static str,
    label: &'static str,
    node: i64,
    place: String,
    /// Inside the caller's scope: they may take it away.
    revocable: bool,
}

#[derive(Template)]
#[template(path = "admin_person.html")]
struct PersonPage {
    crumbs: Vec<Crumb>,
    id: i64,
    name: String,
    email: String,
    status: &'static str,
    last_sign_in: String,
    created: String,
    disabled: bool,
    version: i64,
    roles: Vec<RoleLine>,
    role_options: Vec<(&'static str, &'static str)>,
    nodes: Vec<NodeOption>,
    /// What the grant form was sent with, kept when it was refused.
    grant_role: String,
    grant_node: i64,
    grant_errors: FormErrors,
    /// Why the caller cannot disable the account, when they cannot.
    disable_blocked: Option<&'static str>,
    disable_error: Option<String>,
    notice: Option<&'static str>,
}

impl PersonPage {
    fn new(scope: &Scope, caller: &Caller, a: &Account) -> PersonPage {
        let me = caller.person().map(|p| p.who.account);
        let disable_blocked = if a.disabled {
            None
        } else if me == Some(a.id) {
            Some("Du kan inte stänga av ditt eget konto. Be en annan administratör om det behövs.")
        } else if !a.grants.iter().all(|g| scope.covers(g.node_id)) {
            Some(
                "Personen har roller utanför det du administrerar, så du kan inte stänga av kontot. Du kan ta bort de roller som ligger inom ditt område. Ska kontot stängas av, be en administratör som ansvarar för alla personens roller.",
            )
        } else {
            None
        };
        PersonPage {
            crumbs: crumbs(true),
            id: a.id.0,
            name: a.display_name.clone(),
            email: a.email.clone(),
            status: status(a),
            last_sign_in: last_sign_in(a),
            created: moment(&a.created_at),
            disabled: a.disabled,
            version: a.version,
            roles: a
                .grants
                .iter()
                .map(|g| RoleLine {
                    code: g.role.code(),
                    label: g.role.label(),
                    node: g.node_id.0,
                    place: scope.place(g.node_id),
                    revocable: scope.covers(g.node_id),
                })
                .collect(),
            role_options: role_options(),
            nodes: scope.options(),
            grant_role: String::new(),
            grant_node: 0,
            grant_errors: FormErrors::default(),
            disable_blocked,
            disable_error: None,
            notice: None,
        }
    }
}

#[derive(Deserialize)]
pub struct PersonQuery {
    #[serde(default)]
    klart: String,
}

/// What was just done, as the page after the change says it.
fn notice(code: &str) -> Option<&'static str> {
    match code {
        "tilldelad" => Some("Rollen är tillagd."),
        "hade-redan" => Some("Personen hade redan den rollen där. Inget är ändrat."),
        "borttagen" => Some("Rollen är borttagen."),
        "avstangd" => {
            Some("Kontot är avstängt. Personen är utloggad överallt och kan inte längre logga in.")
        }
        _ => None,
    }
}

fn after_change(id: AccountId, done: &str) -> Response {
    Redirect::to(&format!("{LIST}/{id}?klart={done}")).into_response()
}

pub async fn person(
    State(state): State<AppState>,
    caller: Caller,
    PagePath(raw): PagePath<String>,
    Query(q): Query<PersonQuery>,
) -> Result<Response, HtmlError> {
    let scope = Scope::of(&state, &caller, Action::AdministerUsers).await?;
    let account = visible(&state, &scope, account_id(&raw)?).await?;
    let mut page = PersonPage::new(&scope, &caller, &account);
    page.notice = notice(&q.klart);
    Ok(respond(StatusCode::OK, page.render()?))
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    node: String,
}

pub async fn grant(
    State(state): State<AppState>,
    caller: Caller,
    PagePath(raw): PagePath<String>,
    Form(f): Form<RoleForm>,
) -> Result<Response, HtmlError> {
    let person = caller.require_person()?;
    let scope = Scope::of(&state, &caller, Action::AdministerUsers).await?;
    let account = visible(&state, &scope, account_id(&raw)?).await?;
    let mut errors = FormErrors::default();
    let Some(grant) = chosen(&state, &caller, &f.role, &f.node, &mut errors).await? else {
        let mut page = PersonPage::new(&scope, &caller, &account);
        page.grant_role = f.role.trim().chars().take(50).collect();
        page.grant_node = f.node.trim().parse().unwrap_or(0);
        page.grant_errors = errors;
        return Ok(respond(StatusCode::BAD_REQUEST, page.render()?));
    };
    let mut w = state.store.begin_write(&person.who.email).await?;
    let added = w.grant_role(account.id, grant).await?;
    w.commit().await?;
    Ok(after_change(
        account.id,
        if added { "tilldelad" } else { "hade-redan" },
    ))
}

pub async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    PagePath(raw): PagePath<String>,
    Form(f): Form<RoleForm>,
) -> Result<Response, HtmlError> {
    let person = caller.require_person()?;
    let scope = Scope::of(&state, &caller, Action::AdministerUsers).await?;
    let account = visible(&state, &scope, account_id(&raw)?).await?;
    let mut errors = FormErrors::default();
    let Some(grant) = chosen(&state, &caller, &f.role, &f.node, &mut errors).await? else {
        let message = errors
            .iter()
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        return Err(AppError::BadRequest {
            field: "body",
            message,
        }
        .into());
    };
    let mut w = state.store.begin_write(&person.who.email).await?;
    match w.revoke_role(account.id, grant).await {
        Ok(()) => {}
        Err(StoreError::NotFound(_)) => {
            return Err(AppError::NotFound(format!(
                "{} har inte rollen {} på {}. Någon kan ha tagit bort den redan; ladda om personens sida.",
                account.display_name,
                grant.role.label().to_lowercase(),
                scope.place(grant.node_id)
            ))
            .into());
        }
        Err(e) => return Err(e.into()),
    }
    w.commit().await?;
    Ok(after_change(account.id, "borttagen"))
}

#[derive(Deserialize)]
pub struct DisableForm {
    #[serde(default)]
    version: String,
}

pub async fn disable(
    State(state): State<AppState>,
    caller: Caller,
    PagePath(raw): PagePath<String>,
    Form(f): Form<DisableForm>,
) -> Result<Response, HtmlError> {
    let person = caller.require_person()?;
    let scope = Scope::of(&state, &caller, Action::AdministerUsers).await?;
    let account = visible(&state, &scope, account_id(&raw)?).await?;
    // Every role the person holds must be the caller's to administer.
    for g in &account.grants {
        caller.authorize(Action::AdministerUsers, scope.chain(g.node_id))?;
    }
    if account.id == person.who.account {
        let mut page = PersonPage::new(&scope, &caller, &account);
        page.disable_error = Some("Du kan inte stänga av ditt eget konto.".into());
        return Ok(respond(StatusCode::BAD_REQUEST, page.render()?));
    }
    let Ok(version) = f.version.trim().parse::<i64>() else {
        return Err(AppError::BadRequest {
            field: "version",
            message: "Formuläret saknar kontots version. Ladda om sidan och försök igen.".into(),
        }
        .into());
    };
    let mut w = state.store.begin_write(&person.who.email).await?;
    match w.disable_account(account.id, version).await {
        Ok(_) => {}
        Err(StoreError::Conflict { .. }) => {
            drop(w);
            let now = visible(&state, &scope, account.id).await?;
            let mut page = PersonPage::new(&scope, &caller, &now);
            page.disable_error = Some(format!(
                "Någon annan har ändrat kontot sedan du öppnade sidan (du utgick från version {version}, nu gäller version {}). Inget är ändrat. Sidan visar nu hur kontot ser ut; stäng av det igen om det fortfarande ska stängas av.",
                now.version
            ));
            return Ok(respond(StatusCode::CONFLICT, page.render()?));
        }
        Err(e) => return Err(e.into()),
    }
    w.commit().await?;
    Ok(after_change(account.id, "avstangd"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use malkedja_domain::{OrgKind, OrgNode, chains};

    fn node(id: i64, parent: Option<i64>, kind: OrgKind, name: &str) -> OrgNode {
        OrgNode {
            id: NodeId(id),
            parent_id: parent.map(NodeId),
            kind,
            name: name.into(),
            position: 0,
            version: 1,
            closed: None,
        }
    }

    fn account(grants: &[(Role, i64)]) -> Account {
        Account {
            id: AccountId(9),
            email: "x@exempel.se".into(),
            display_name: "X".into(),
            disabled: false,
            must_change_password: false,
            last_sign_in_at: None,
            grants: grants
                .iter()
                .map(|(role, n)| RoleGrant {
                    role: *role,
                    node_id: NodeId(*n),
                })
                .collect(),
            version: 1,
            created_at: "2026-01-01T00:00:00Z".into(),
            updated_at: "2026-01-01T00:00:00Z".into(),
        }
    }

    /// Staden (1) > Norra nämnden (2) > Enheten (3); Staden > Södra nämnden (4); the
    /// caller administers the nodes `inside` (what the policy answers, given here).
    fn scope_of(inside: &[i64]) -> Scope {
        let nodes = vec![
            node(1, None, OrgKind::City, "Staden"),
            node(2, Some(1), OrgKind::Board, "Norra nämnden"),
            node(3, Some(2), OrgKind::Unit, "Enheten"),
            node(4, Some(1), OrgKind::Board, "Södra nämnden"),
        ];
        Scope {
            chains: chains(&nodes),
            nodes,
            inside: inside.iter().map(|id| NodeId(*id)).collect(),
        }
    }

    #[test]
    fn an_administrator_sees_people_with_a_role_inside_and_people_without() {
        let north = scope_of(&[2, 3]);
        assert!(!north.everything());
        assert_eq!(north.tops(), ["Norra nämnden"]);
        assert!(north.sees(&account(&[])));
        assert!(north.sees(&account(&[(Role::Reader, 3)])));
        assert!(north.sees(&account(&[(Role::Reader, 4), (Role::Reader, 2)])));
        assert!(!north.sees(&account(&[(Role::Reader, 4)])));
        assert!(!north.sees(&account(&[(Role::Admin, 1)])));
        assert_eq!(
            north
                .options()
                .iter()
                .map(|o| (o.id, o.label.as_str()))
                .collect::<Vec<_>>(),
            [
                (2, "Norra nämnden (nämnd)"),
                (3, "\u{a0}\u{a0}\u{a0}Enheten (enhet)")
            ]
        );
        let city = scope_of(&[1, 2, 3, 4]);
        assert!(city.everything());
        assert!(city.sees(&account(&[(Role::Admin, 1)])));
        assert_eq!(city.options().len(), 4);
        assert_eq!(city.place(NodeId(3)), "Enheten (enhet)");
        assert_eq!(city.place(NodeId(99)), "nod 99");
    }

    #[test]
    fn notices_are_fixed_texts() {
        assert!(notice("avstangd").is_some());
        assert!(notice("tilldelad").is_some());
        assert_eq!(notice("<script>"), None);
        assert_eq!(notice(""), None);
    }
}
