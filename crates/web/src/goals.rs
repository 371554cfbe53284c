//! Writing the cascade: goals with their texts, indicators and activities, at every level.
//!
//! - A unit writes its own goals under the board's (or department's) goals in its plan for
//!   the year (`Action::WriteUnitText`); the plan must be open (a draft or returned plan).
//! - A board, administration or department writes its own goals under the council's (or
//!   the board's) (`Action::WriteBoardGoals`); a changed text is a new revision, so an
//!   approved plan keeps the one it was approved with.
//! - The council's direction and area goals are set up by an administrator
//!   (`Action::AdministerOrg` on the city).
//!
//! Which action writes what a node owns is the policy's (`Action::write_owned_by`), asked
//! once per request through [`Caller::authorize`]. Every save states the version it started
//! from; a stale one shows what is stored beside what the writer sent, which stays in the
//! form. Removing asks first, keeps the item for its history, and is undone from there.

use crate::AppState;
use crate::auth::Caller;
use crate::editor::{EditorPage, Field, FieldKind, ItemList, sent_version};
use crate::error::{AppError, HtmlError};
use crate::forms::{FormErrors, sentence};
use crate::params::{self, PagePath};
use crate::plan_sections::{closed_reason, normalize, too_long};
use crate::views::Crumb;
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use malkedja_domain::{
    Action, ActivityId, Direction, Goal, GoalId, GoalLevel, GoalSection, IndicatorId, NewActivity,
    NewGoal, NewIndicator, NodeId, OrgKind, OrgNode, Periodicity, Plan, Target, ValueKind,
};
use malkedja_store::{ActivityEdit, GoalEdit, IndicatorEdit, Item, Move, StoreError};
use std::collections::HashMap;

type Sent = HashMap<String, String>;
type PageResult = Result<Response, HtmlError>;

/// The most characters a title or name may hold.
const TITLE_MAX: usize = 500;

// ---- where something is written, and who may ----

/// What a node owns in a year, as one writer may write it: the node and its ancestors,
/// and for a unit its plan.
pub(crate) struct Scope {
    chain: Vec<OrgNode>,
    year: i32,
    plan: Option<Plan>,
}

impl Scope {
    /// The owner and year, after the policy has let the caller write what the owner owns.
    pub(crate) async fn load(
        state: &AppState,
        caller: &Caller,
        owner: NodeId,
        year: i32,
    ) -> Result<Scope, AppError> {
        let chain = state.store.chain(owner).await?;
        let Some(node) = chain.first() else {
            return Err(AppError::NotFound(format!(
                "Det finns ingen del av organisationen med nummer {owner}."
            )));
        };
        let Some(action) = Action::write_owned_by(node.kind) else {
            return Err(AppError::NotFound(format!(
                "{} är en verksamhet och har inga egna mål.",
                node.name
            )));
        };
        caller.authorize(action, &chain)?;
        let plan = if node.kind == OrgKind::Unit {
            Some(
                state
                    .store
                    .plan(owner, year)
                    .await?
                    .ok_or_else(|| AppError::no_plan(&node.name, year))?,
            )
        } else {
            None
        };
        Ok(Scope { chain, year, plan })
    }

    pub(crate) fn owner(&self) -> &OrgNode {
        &self.chain[0]
    }

    pub(crate) fn is_unit(&self) -> bool {
        self.plan.is_some()
    }

    /// Why nothing can be written now (the unit's plan is with the controller or approved).
    fn closed(&self) -> Option<String> {
        self.plan.as_ref().and_then(|p| closed_reason(p.status))
    }

    /// The page where what was written shows: the unit's plan, or the owner's goals.
    fn page(&self) -> String {
        if self.is_unit() {
            format!("/enheter/{}/planer/{}", self.owner().id, self.year)
        } else {
            format!("/organisation/{}/mal/{}", self.owner().id, self.year)
        }
    }

    fn back_label(&self) -> String {
        if self.is_unit() {
            "Tillbaka till planen".into()
        } else {
            format!("Tillbaka till målen för {}", self.year)
        }
    }

    fn context(&self) -> String {
        if self.is_unit() {
            format!("Verksamhetsplan {} för {}", self.year, self.owner().name)
        } else {
            format!("Mål {} för {}", self.year, self.owner().name)
        }
    }

    /// The history page of a unit's own goal, indicator or activity (a board's have none yet).
    fn history(&self, kind: crate::history::ObjectKind, id: i64) -> Option<String> {
        self.is_unit()
            .then(|| crate::history::object_href(self.owner().id, self.year, kind, &id.to_string()))
    }

    fn crumbs(&self) -> Vec<Crumb> {
        let mut crumbs = crate::pages::crumbs_for(&self.chain);
        let owner = self.owner();
        if self.is_unit() {
            crumbs.push(Crumb {
                href: format!("/enheter/{}", owner.id),
                label: owner.name.clone(),
            });
            crumbs.push(Crumb {
                href: self.page(),
                label: format!("Verksamhetsplan {}", self.year),
            });
        } else {
            crumbs.push(Crumb {
                href: self.page(),
                label: format!("Mål {} för {}", self.year, owner.name),
            });
        }
        crumbs
    }

    fn page_for(&self, heading: String, action: String) -> EditorPage {
        EditorPage {
            crumbs: self.crumbs(),
            heading,
            context: self.context(),
            refused: "Det du skrev är inte sparat",
            saved: None,
            about: Vec::new(),
            closed: self.closed(),
            unsaved: false,
            conflict: false,
            action,
            version: 0,
            fields: Vec::new(),
            errors: FormErrors::default(),
            submit: "Spara",
            lists: Vec::new(),
            back: self.page(),
            back_label: self.back_label(),
            history: None,
            remove: None,
        }
    }
}

fn goal_id(raw: &str) -> Result<GoalId, AppError> {
    params::node_id("id", raw, "Målets nummer").map(|n| GoalId(n.0))
}

pub(crate) fn indicator_id(raw: &str) -> Result<IndicatorId, AppError> {
    params::node_id("id", raw, "Indikatorns nummer").map(|n| IndicatorId(n.0))
}

fn activity_id(raw: &str) -> Result<ActivityId, AppError> {
    params::node_id("id", raw, "Aktivitetens nummer").map(|n| ActivityId(n.0))
}

/// "Nämndmål 1.2 Trygg vård": a goal as headings name it.
fn goal_name(g: &Goal) -> String {
    match &g.number {
        Some(n) => format!("{} {n} {}", g.level.heading_prefix(), g.title),
        None => format!("{} {}", g.level.heading_prefix(), g.title),
    }
}

// ---- goals ----

/// The field of a goal's text section.
fn section_field(s: GoalSection) -> &'static str {
    match s {
        GoalSection::Description => "beskrivning",
        GoalSection::ExpectedResult => "forvantat-resultat",
        GoalSection::WorkingMethods => "arbetssatt",
        GoalSection::ResourceUse => "resursanvandning",
        GoalSection::FollowUp => "uppfoljning",
        GoalSection::Development => "utveckling",
    }
}

/// What each of a goal's texts is for, beside its field (never printed).
fn section_guidance(s: GoalSection) -> &'static str {
    match s {
        GoalSection::Description => "Vad målet handlar om och varför det behövs.",
        GoalSection::ExpectedResult => {
            "Vad som ska vara annorlunda när året är slut, för dem verksamheten finns till för. Skriv så att det går att följa upp."
        }
        GoalSection::WorkingMethods => "Hur ni ska arbeta för att nå målet.",
        GoalSection::ResourceUse => "Vilka resurser (tid, personal, pengar) arbetet tar.",
        GoalSection::FollowUp => {
            "Hur och när ni följer upp att målet nås: vilka indikatorer, vilka möten, hur ofta."
        }
        GoalSection::Development => "Vad ni vill utveckla vidare, också bortom året.",
    }
}

/// The fields of a goal of `level`: its title, a number above the unit, its texts.
fn goal_fields(
    level: GoalLevel,
    title: &str,
    number: &str,
    texts: &[(GoalSection, String)],
) -> Vec<Field> {
    let mut fields = vec![
        Field::new("titel", "Målets titel", FieldKind::Line)
            .value(title)
            .required(),
    ];
    if level != GoalLevel::Unit {
        let hint = if level.is_council() {
            "Inriktningsmål numreras 1, 2, 3; mål för verksamhetsområdet 1.1, 1.2 under sitt inriktningsmål."
        } else {
            "Frivilligt, till exempel 1.2."
        };
        fields.push(
            Field::new("nummer", "Nummer", FieldKind::Line)
                .value(number)
                .hint(hint),
        );
    }
    for s in level.sections() {
        let body = texts
            .iter()
            .find(|(x, _)| x == s)
            .map(|(_, b)| b.as_str())
            .unwrap_or_default();
        let mut f = Field::new(section_field(*s), s.heading(), FieldKind::Text)
            .value(body)
            .hint(
                "En tom rad börjar ett nytt stycke. Rader som börjar med ”- ” blir en punktlista.",
            );
        f.guidance = section_guidance(*s).into();
        fields.push(f);
    }
    fields
}

/// A goal form as sent, checked: the title, the number and the texts, or the messages.
fn read_goal(level: GoalLevel, sent: &Sent, errors: &mut FormErrors) -> GoalEdit {
    let title = sent
        .get("titel")
        .map(|t| t.trim().to_string())
        .unwrap_or_default();
    if title.is_empty() {
        errors.add("titel", "Skriv målets titel.");
    } else if title.chars().count() > TITLE_MAX {
        errors.add(
            "titel",
            format!("Titeln får vara högst {TITLE_MAX} tecken."),
        );
    }
    let number = (level != GoalLevel::Unit).then(|| {
        sent.get("nummer")
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
    });
    let mut sections = Vec::new();
    for s in level.sections() {
        let body = normalize(
            sent.get(section_field(*s))
                .map(String::as_str)
                .unwrap_or(""),
        );
        if let Some(m) = too_long(&body) {
            errors.add(section_field(*s), m);
        }
        sections.push((*s, body));
    }
    GoalEdit {
        title: Some(title),
        number,
        sections,
    }
}

/// The edit page of a stored goal, with its indicators and activities.
async fn goal_page(
    state: &AppState,
    caller: &Caller,
    id: GoalId,
) -> Result<(Scope, EditorPage, GoalLevel), AppError> {
    let found = state
        .store
        .goal_for_editing(id)
        .await?
        .filter(|g| !g.removed)
        .ok_or_else(|| AppError::NotFound(format!("Det finns inget mål med nummer {id}.")))?;
    let g = &found.goal;
    let scope = Scope::load(state, caller, g.owner_id, g.year).await?;
    let mut page = scope.page_for(
        format!("Redigera {}", g.level.label()),
        format!("/mal/{id}"),
    );
    page.version = g.version;
    page.fields = goal_fields(
        g.level,
        &g.title,
        g.number.as_deref().unwrap_or_default(),
        &found.texts,
    );
    if let Some(p) = g.parent_id
        && let Some(parent) = state.store.goal(p).await?
    {
        page.about.push(("Under".into(), goal_name(&parent)));
    }
    page.back = format!("{}#mal-{id}", scope.page());
    page.remove = Some(format!("/mal/{id}/ta-bort"));
    page.history = scope.history(crate::history::ObjectKind::Goal, id.0);
    if !g.level.is_council() || g.level == GoalLevel::Area {
        let open = scope.closed().is_none();
        page.lists.push(ItemList {
            heading: "Indikatorer".into(),
            empty: "Målet har inga egna indikatorer ännu.".into(),
            items: found
                .indicators
                .iter()
                .map(|i| (i.name.clone(), format!("/indikatorer/{}", i.id)))
                .collect(),
            add: open.then(|| format!("/mal/{id}/ny-indikator")),
            add_label: "Lägg till indikator".into(),
        });
        if !g.level.is_council() {
            page.lists.push(ItemList {
                heading: "Aktiviteter".into(),
                empty: "Målet har inga egna aktiviteter ännu.".into(),
                items: found
                    .activities
                    .iter()
                    .map(|a| (a.title.clone(), format!("/aktiviteter/{}", a.id)))
                    .collect(),
                add: open.then(|| format!("/mal/{id}/ny-aktivitet")),
                add_label: "Lägg till aktivitet".into(),
            });
        }
    }
    let level = g.level;
    Ok((scope, page, level))
}

pub async fn goal_form(
    State(state): State<AppState>,
    caller: Caller,
    PagePath(raw): PagePath<String>,
) -> PageResult {
    let (_, page, _) = goal_page(&state, &caller, goal_id(&raw)?).await?;
    Ok(page.respond(StatusCode::OK)?)
}

pub async fn goal_save(
    State(state): State<AppState>,
    caller: Caller,
    PagePath(raw): PagePath<String>,
    Form(sent): Form<Sent>,
) -> PageResult {
    let id = goal_id(&raw)?;
    let person = caller.require_person()?;
    let (scope, mut page, level) = goal_page(&state, &caller, id).await?;
    page.keep(&sent);
    let edit = read_goal(level, &sent, &mut page.errors);
    let store = &state.store;
    let outcome = save_checked(&mut page, &sent, |version| async move {
        let mut w = store.begin_write(&person.who.email).await?;
        let goal = w.save_goal(id, version, &edit).await?;
        w.commit().await?;
        Ok(goal)
    })
    .await?;
    finish(
        outcome,
        page,
        &scope.page(),
        |_| format!("mal-{id}"),
        || async { Ok(goal_page(&state, &caller, id).await?.1) },
    )
    .await
}

/// What became of a save: done, refused by the form's checks, or refused by the store.
pub(crate) enum Outcome<T> {
    Saved(T),
    Invalid,
    Refused(StoreError),
}

/// Checks the version the form started from, then saves if the form had no errors.
pub(crate) async fn save_checked<T, F, Fut>(
    page: &mut EditorPage,
    sent: &Sent,
    save: F,
) -> Result<Outcome<T>, AppError>
where
    F: FnOnce(i64) -> Fut,
    Fut: std::future::Future<Output = Result<T, StoreError>>,
{
    if page.closed.is_some() {
        return Ok(Outcome::Refused(StoreError::Locked(
            page.closed.clone().unwrap_or_default(),
        )));
    }
    let Some(version) = sent_version(sent) else {
        let first = page
            .fields
            .first()
            .map(|f| f.id.clone())
            .unwrap_or_else(|| "titel".into());
        page.errors.add(
            first,
            "Formuläret saknade uppgiften om vilken version du utgick från, så inget sparades. Jämför med det som är sparat nu och spara igen.",
        );
        return Ok(Outcome::Invalid);
    };
    page.version = version;
    if !page.errors.is_empty() {
        return Ok(Outcome::Invalid);
    }
    match save(version).await {
        Ok(t) => Ok(Outcome::Saved(t)),
        Err(e @ (StoreError::Conflict { .. } | StoreError::Locked(_))) => Ok(Outcome::Refused(e)),
        Err(StoreError::Domain(e)) => {
            let first = page
                .fields
                .first()
                .map(|f| f.id.clone())
                .unwrap_or_else(|| "titel".into());
            page.errors.add(first, sentence(e));
            Ok(Outcome::Invalid)
        }
        Err(StoreError::FollowUp(e)) => {
            let first = page
                .fields
                .first()
                .map(|f| f.id.clone())
                .unwrap_or_else(|| "titel".into());
            page.errors.add(first, e.to_string());
            Ok(Outcome::Invalid)
        }
        Err(StoreError::Placement(m)) => {
            let first = page
                .fields
                .first()
                .map(|f| f.id.clone())
                .unwrap_or_else(|| "titel".into());
            page.errors.add(first, sentence(m));
            Ok(Outcome::Invalid)
        }
        Err(e) => Err(e.into()),
    }
}

/// Answers a save: to the page where it shows (`shown` + "#" + the anchor), or the form
/// again with what was sent.
pub(crate) async fn finish<T, A, R, Fut>(
    outcome: Outcome<T>,
    mut page: EditorPage,
    shown: &str,
    anchor: A,
    reload: R,
) -> PageResult
where
    A: FnOnce(&T) -> String,
    R: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<EditorPage, AppError>>,
{
    match outcome {
        Outcome::Saved(t) => Ok(Redirect::to(&format!("{shown}#{}", anchor(&t))).into_response()),
        Outcome::Invalid => Ok(page.respond(StatusCode::UNPROCESSABLE_ENTITY)?),
        Outcome::Refused(StoreError::Conflict { .. }) => {
            let stored = reload().await?;
            if stored.closed.is_some() {
                return Ok(unsaved(page, stored.closed).respond(StatusCode::CONFLICT)?);
            }
            page.show_theirs(&stored);
            Ok(page.respond(StatusCode::CONFLICT)?)
        }
        Outcome::Refused(StoreError::Locked(why)) => {
            Ok(unsaved(page, Some(why)).respond(StatusCode::CONFLICT)?)
        }
        Outcome::Refused(e) => Err(AppError::from(e).into()),
    }
}

fn unsaved(mut page: EditorPage, why: Option<String>) -> EditorPage {
    page.closed = why.or(page.closed);
    page.unsaved = true;
    page
}

// ---- new goals ----

#[derive(serde::Deserialize)]
pub struct Under {
    #[serde(default)]
    under: Option<String>,
}

/// The new-goal page of `owner` for `year` under the goal `under` (none: a direction goal).
async fn new_goal_page(
    state: &AppState,
    caller: &Caller,
    owner: NodeId,
    year: i32,
    under: Option<&str>,
) -> Result<(Scope, EditorPage, NewGoal), AppError> {
    let scope = Scope::load(state, caller, owner, year).await?;
    let parent = match under.map(str::trim).filter(|u| !u.is_empty()) {
        Some(raw) => {
            let id = params::node_id("under", raw, "Det överordnade målets nummer")?;
            Some(
                state
                    .store
                    .goal(GoalId(id.0))
                    .await?
                    .filter(|g| g.year == year)
                    .ok_or_else(|| {
                        AppError::NotFound(format!("Det finns inget mål {id} för {year}."))
                    })?,
            )
        }
        None => None,
    };
    let owner_node = scope.owner();
    let level =
        GoalLevel::for_new(owner_node.kind, parent.as_ref().map(|p| p.level)).ok_or_else(|| {
            AppError::BadRequest {
                field: "under",
                message: match &parent {
                    Some(p) => format!(
                        "{} kan inte skriva ett eget mål under {}.",
                        owner_node.name,
                        goal_name(p)
                    ),
                    None => format!("{} skriver sina mål under ett annat mål.", owner_node.name),
                },
            }
        })?;
    let action = match &parent {
        Some(p) => format!("/organisation/{owner}/mal/{year}/nytt?under={}", p.id),
        None => format!("/organisation/{owner}/mal/{year}/nytt"),
    };
    let mut page = scope.page_for(format!("Nytt {}", level.label()), action);
    page.fields = goal_fields(level, "", "", &[]);
    page.submit = "Lägg till målet";
    if let Some(p) = &parent {
        page.about.push(("Under".into(), goal_name(p)));
        page.back = format!("{}#mal-{}", scope.page(), p.id);
    }
    let new = NewGoal {
        year,
        level,
        owner_id: owner,
        parent_id: parent.map(|p| p.id),
        number: None,
        title: String::new(),
        position: 0,
    };
    Ok((scope, page, new))
}

fn owner_year(raw_id: &str, raw_year: &str) -> Result<(NodeId, i32), AppError> {
    Ok((
        params::node_id("id", raw_id, "Organisationsdelens nummer")?,
        params::year(raw_year)?,
    ))
}

pub async fn new_goal_form(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year)): PagePath<(String, String)>,
    Query(q): Query<Under>,
) -> PageResult {
    let (owner, year) = owner_year(&raw_id, &raw_year)?;
    let (_, page, _) = new_goal_page(&state, &caller, owner, year, q.under.as_deref()).await?;
    Ok(page.respond(StatusCode::OK)?)
}

pub async fn new_goal(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year)): PagePath<(String, String)>,
    Query(q): Query<Under>,
    Form(sent): Form<Sent>,
) -> PageResult {
    let (owner, year) = owner_year(&raw_id, &raw_year)?;
    let person = caller.require_person()?;
    let (scope, mut page, mut new) =
        new_goal_page(&state, &caller, owner, year, q.under.as_deref()).await?;
    page.keep(&sent);
    let edit = read_goal(new.level, &sent, &mut page.errors);
    new.title = edit.title.clone().unwrap_or_default();
    new.number = edit.number.clone().flatten();
    let mut sent = sent;
    sent.entry("version".into()).or_insert_with(|| "0".into());
    let store = &state.store;
    let outcome = save_checked(&mut page, &sent, |_| async move {
        let mut w = store.begin_write(&person.who.email).await?;
        let goal = w.add_goal(new, &edit.sections).await?;
        w.commit().await?;
        Ok(goal)
    })
    .await?;
    finish(
        outcome,
        page,
        &scope.page(),
        |g: &Goal| format!("mal-{}", g.id),
        || async { Err(AppError::Internal("a new goal has no conflict".into())) },
    )
    .await
}

// ---- indicators ----

fn choice<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> FieldKind {
    FieldKind::Choice(
        all.iter()
            .map(|t| (code(*t).to_string(), label(*t).to_string()))
            .collect(),
    )
}

const PERIODICITIES: [Periodicity; 2] = [Periodicity::Tertial, Periodicity::Year];
const DIRECTIONS: [Direction; 2] = [Direction::HigherIsBetter, Direction::LowerIsBetter];
const VALUE_KINDS: [ValueKind; 4] = [
    ValueKind::Percent,
    ValueKind::Number,
    ValueKind::Index,
    ValueKind::Text,
];

fn indicator_fields(i: Option<(&malkedja_domain::Indicator, Option<&Target>)>) -> Vec<Field> {
    let (name, unit, periodicity, direction, kind, by_sex, target) = match i {
        Some((i, t)) => (
            i.name.clone(),
            i.unit_of_measure.clone().unwrap_or_default(),
            i.periodicity,
            i.direction,
            i.value_kind,
            i.by_sex,
            t.map(|t| t.text().to_string()).unwrap_or_default(),
        ),
        None => (
            String::new(),
            String::new(),
            Periodicity::Tertial,
            Direction::HigherIsBetter,
            ValueKind::Percent,
            false,
            String::new(),
        ),
    };
    vec![
        Field::new("namn", "Indikatorns namn", FieldKind::Line)
            .value(name)
            .required(),
        Field::new("enhet", "Enhet", FieldKind::Line)
            .value(unit)
            .hint("Till exempel %, antal eller kr. Frivilligt."),
        Field::new(
            "periodicitet",
            "Periodicitet",
            choice(&PERIODICITIES, Periodicity::code, Periodicity::label),
        )
        .value(periodicity.code())
        .hint("Tertial: följs upp i tertialrapporterna och verksamhetsberättelsen. År: bara i verksamhetsberättelsen."),
        Field::new(
            "riktning",
            "Riktning",
            choice(&DIRECTIONS, Direction::code, Direction::label),
        )
        .value(direction.code()),
        Field::new(
            "varde",
            "Slag av värde",
            choice(&VALUE_KINDS, ValueKind::code, ValueKind::label),
        )
        .value(kind.code()),
        Field::new("kon", "Redovisas för kvinnor och män", FieldKind::Checkbox)
            .check(by_sex)
            .hint("Markera när indikatorn gäller personer, till exempel brukare, deltagare, elever, medarbetare eller besökare: utfallet skrivs då också för kvinnor och män. Inte för en indikator av slaget text.")
            .guidance("Utfall ska redovisas för kvinnor och män där indikatorn gäller personer. ”Andel nöjda brukare” gäller personer, ”Andel ekologiska livsmedel” gör det inte. Så redovisar också Kolada sådana nyckeltal: totalt, kvinnor och män. Tar du bort markeringen visas inte längre de utfall för kvinnor och män som redan är skrivna för indikatorn, och nya går inte att skriva."),
        Field::new("arsmal", "Årsmål", FieldKind::Line)
            .value(target)
            .hint("Ett tal, till exempel 90 % eller 12, eller ”Tas fram av nämnd”. Lämna tomt om målet saknas ännu."),
    ]
}

fn read_indicator(sent: &Sent, errors: &mut FormErrors) -> Option<IndicatorEdit> {
    let get = |k: &str| {
        sent.get(k)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let name = get("namn");
    if name.is_empty() {
        errors.add("namn", "Skriv indikatorns namn.");
    } else if name.chars().count() > TITLE_MAX {
        errors.add("namn", format!("Namnet får vara högst {TITLE_MAX} tecken."));
    }
    let periodicity = Periodicity::from_code(&get("periodicitet"));
    if periodicity.is_none() {
        errors.add("periodicitet", "Välj tertial eller år.");
    }
    let direction = Direction::from_code(&get("riktning"));
    if direction.is_none() {
        errors.add("riktning", "Välj om högre eller lägre värden är bättre.");
    }
    let kind = ValueKind::from_code(&get("varde"));
    if kind.is_none() {
        errors.add("varde", "Välj slag av värde.");
    }
    // A checkbox sends its value only when checked.
    let by_sex = !get("kon").is_empty();
    if let Some(k) = kind
        && let Err(e) = malkedja_domain::check_by_sex(k, by_sex)
    {
        errors.add("kon", sentence(e));
    }
    let target = match Target::typed(&get("arsmal"), kind.unwrap_or(ValueKind::Text)) {
        Ok(t) => t,
        Err(e) => {
            errors.add("arsmal", sentence(e));
            None
        }
    };
    let unit = get("enhet");
    Some(IndicatorEdit {
        name,
        unit_of_measure: (!unit.is_empty()).then_some(unit),
        periodicity: periodicity?,
        direction: direction?,
        value_kind: kind?,
        by_sex,
        target,
    })
}

async fn indicator_page(
    state: &AppState,
    caller: &Caller,
    id: IndicatorId,
) -> Result<(Scope, EditorPage), AppError> {
    let found = state
        .store
        .indicator_for_editing(id)
        .await?
        .filter(|i| !i.removed)
        .ok_or_else(|| AppError::NotFound(format!("Det finns ingen indikator med nummer {id}.")))?;
    let i = &found.indicator;
    let scope = Scope::load(state, caller, i.owner_id, i.year).await?;
    let mut page = scope.page_for("Redigera indikator".into(), format!("/indikatorer/{id}"));
    page.version = i.version;
    page.fields = indicator_fields(Some((i, found.target.as_ref())));
    if let Some(goal) = state.store.goal(i.goal_id).await? {
        page.about.push(("Under".into(), goal_name(&goal)));
    }
    if let Some(t) = &i.council_target {
        page.about
            .push(("KF:s årsmål".into(), t.text().to_string()));
    }
    page.back = format!("{}#mal-{}", scope.page(), i.goal_id);
    page.remove = Some(format!("/indikatorer/{id}/ta-bort"));
    page.history = scope.history(crate::history::ObjectKind::Indicator, id.0);
    Ok((scope, page))
}

pub async fn indicator_form(
    State(state): State<AppState>,
    caller: Caller,
    PagePath(raw): PagePath<String>,
) -> PageResult {
    let (_, page) = indicator_page(&state, &caller, indicator_id(&raw)?).await?;
    Ok(page.respond(StatusCode::OK)?)
}

pub async fn indicator_save(
    State(state): State<AppState>,
    caller: Caller,
    PagePath(raw): PagePath<String>,
    Form(sent): Form<Sent>,
) -> PageResult {
    let id = indicator_id(&raw)?;
    let person = caller.require_person()?;
    let (scope, mut page) = indicator_page(&state, &caller, id).await?;
    page.keep(&sent);
    let edit = read_indicator(&sent, &mut page.errors);
    let goal = page.back.rsplit('#').next().unwrap_or_default().to_string();
    let store = &state.store;
    let outcome = save_checked(&mut page, &sent, |version| async move {
        let edit = edit.ok_or_else(|| StoreError::Placement("ofullständigt formulär".into()))?;
        let mut w = store.begin_write(&person.who.email).await?;
        let saved = w.save_indicator(id, version, &edit).await?;
        w.commit().await?;
        Ok(saved)
    })
    .await?;
    finish(
        outcome,
        page,
        &scope.page(),
        |_| goal,
        || async { Ok(indicator_page(&state, &caller, id).await?.1) },
    )
    .await
}

/// The goal something new is added to, and the page to add it on, for the goal's owner.
async fn goal_for_new(
    state: &AppState,
    caller: &Caller,
    raw: &str,
    what: &str,
    action: &str,
) -> Result<(Scope, EditorPage, Goal), AppError> {
    let id = goal_id(raw)?;
    let goal = state
        .store
        .goal_for_editing(id)
        .await?
        .filter(|g| !g.removed)
        .map(|g| g.goal)
        .ok_or_else(|| AppError::NotFound(format!("Det finns inget mål med nummer {id}.")))?;
    let scope = Scope::load(state, caller, goal.owner_id, goal.year).await?;
    let mut page = scope.page_for(format!("Ny {what}"), format!("/mal/{id}/{action}"));
    page.about.push(("Under".into(), goal_name(&goal)));
    page.back = format!("{}#mal-{id}", scope.page());
    page.submit = "Lägg till";
    Ok((scope, page, goal))
}

pub async fn new_indicator_form(
    State(state): State<AppState>,
    caller: Caller,
    PagePath(raw): PagePath<String>,
) -> PageResult {
    let (_, mut page, _) = goal_for_new(&state, &caller, &raw, "indikator", "ny-indikator").await?;
    page.fields = indicator_fields(None);
    Ok(page.respond(StatusCode::OK)?)
}

pub async fn new_indicator(
    State(state): State<AppState>,
    caller: Caller,
    PagePath(raw): PagePath<String>,
    Form(mut sent): Form<Sent>,
) -> PageResult {
    let person = caller.require_person()?;
    let (scope, mut page, goal) =
        goal_for_new(&state, &caller, &raw, "indikator", "ny-indikator").await?;
    page.fields = indicator_fields(None);
    page.keep(&sent);
    let edit = read_indicator(&sent, &mut page.errors);
    sent.entry("version".into()).or_insert_with(|| "0".into());
    let owner = scope.owner().id;
    let anchor = format!("mal-{}", goal.id);
    let store = &state.store;
    let outcome = save_checked(&mut page, &sent, |_| async move {
        let edit = edit.ok_or_else(|| StoreError::Placement("ofullständigt formulär".into()))?;
        let mut w = store.begin_write(&person.who.email).await?;
        let added = w
            .add_indicator(
                NewIndicator {
                    year: goal.year,
                    goal_id: goal.id,
                    owner_id: owner,
                    name: edit.name,
                    unit_of_measure: edit.unit_of_measure,
                    periodicity: edit.periodicity,
                    direction: edit.direction,
                    value_kind: edit.value_kind,
                    by_sex: edit.by_sex,
                    council_target: None,
                    position: 0,
                },
                edit.target,
            )
            .await?;
        w.commit().await?;
        Ok(added)
    })
    .await?;
    finish(
        outcome,
        page,
        &scope.page(),
        |_| anchor,
        || async { Err(AppError::Internal("a new indicator has no conflict".into())) },
    )
    .await
}

// ---- activities ----

fn activity_fields(title: &str, start: &str, end: &str) -> Vec<Field> {
    vec![
        Field::new("titel", "Aktivitet", FieldKind::Line)
            .value(title)
            .required(),
        Field::new("start", "Startdatum", FieldKind::Date)
            .value(start)
            .hint("ÅÅÅÅ-MM-DD, till exempel 2026-02-01.")
            .required(),
        Field::new("slut", "Slutdatum", FieldKind::Date)
            .value(end)
            .hint("ÅÅÅÅ-MM-DD. Inte före startdatum.")
            .required(),
    ]
}

fn iso(d: time::Date) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    d.format(&fmt).unwrap_or_default()
}

fn parse_date(raw: &str) -> Option<time::Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(raw.trim(), &fmt).ok()
}

fn read_activity(sent: &Sent, errors: &mut FormErrors) -> Option<ActivityEdit> {
    let get = |k: &str| {
        sent.get(k)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let title = get("titel");
    if title.is_empty() {
        errors.add("titel", "Skriv vad aktiviteten är.");
    } else if title.chars().count() > TITLE_MAX {
        errors.add(
            "titel",
            format!("Texten får vara högst {TITLE_MAX} tecken."),
        );
    }
    let mut date = |id: &'static str, what: &str| {
        let raw = get(id);
        let d = parse_date(&raw);
        if d.is_none() {
            errors.add(
                id,
                if raw.is_empty() {
                    format!("Skriv {what}.")
                } else {
                    format!("”{raw}” är inget datum: skriv {what} som ÅÅÅÅ-MM-DD, till exempel 2026-03-01.")
                },
            );
        }
        d
    };
    let start = date("start", "startdatum");
    let end = date("slut", "slutdatum");
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        errors.add(
            "slut",
            "Slutdatum ligger före startdatum: ändra något av dem.",
        );
    }
    Some(ActivityEdit {
        title,
        start: start?,
        end: end?,
    })
}

async fn activity_page(
    state: &AppState,
    caller: &Caller,
    id: ActivityId,
) -> Result<(Scope, EditorPage), AppError> {
    let (a, _) = state
        .store
        .activity_for_editing(id)
        .await?
        .filter(|(_, removed)| !removed)
        .ok_or_else(|| AppError::NotFound(format!("Det finns ingen aktivitet med nummer {id}.")))?;
    let scope = Scope::load(state, caller, a.owner_id, a.year).await?;
    let mut page = scope.page_for("Redigera aktivitet".into(), format!("/aktiviteter/{id}"));
    page.version = a.version;
    page.fields = activity_fields(&a.title, &iso(a.start), &iso(a.end));
    if let Some(goal) = state.store.goal(a.goal_id).await? {
        page.about.push(("Under".into(), goal_name(&goal)));
    }
    page.back = format!("{}#mal-{}", scope.page(), a.goal_id);
    page.remove = Some(format!("/aktiviteter/{id}/ta-bort"));
    page.history = scope.history(crate::history::ObjectKind::Activity, id.0);
    Ok((scope, page))
}

pub async fn activity_form(
    State(state): State<AppState>,
    caller: Caller,
    PagePath(raw): PagePath<String>,
) -> PageResult {
    let (_, page) = activity_page(&state, &caller, activity_id(&raw)?).await?;
    Ok(page.respond(StatusCode::OK)?)
}

pub async fn activity_save(
    State(state): State<AppState>,
    caller: Caller,
    PagePath(raw): PagePath<String>,
    Form(sent): Form<Sent>,
) -> PageResult {
    let id = activity_id(&raw)?;
    let person = caller.require_person()?;
    let (scope, mut page) = activity_page(&state, &caller, id).await?;
    page.keep(&sent);
    let edit = read_activity(&sent, &mut page.errors);
    let goal = page.back.rsplit('#').next().unwrap_or_default().to_string();
    let store = &state.store;
    let outcome = save_checked(&mut page, &sent, |version| async move {
        let edit = edit.ok_or_else(|| StoreError::Placement("ofullständigt formulär".into()))?;
        let mut w = store.begin_write(&person.who.email).await?;
        let saved = w.save_activity(id, version, &edit).await?;
        w.commit().await?;
        Ok(saved)
    })
    .await?;
    finish(
        outcome,
        page,
        &scope.page(),
        |_| goal,
        || async { Ok(activity_page(&state, &caller, id).await?.1) },
    )
    .await
}

pub async fn new_activity_form(
    State(state): State<AppState>,
    caller: Caller,
    PagePath(raw): PagePath<String>,
) -> PageResult {
    let (_, mut page, goal) =
        goal_for_new(&state, &caller, &raw, "aktivitet", "ny-aktivitet").await?;
    page.fields = activity_fields(
        "",
        &format!("{}-01-01", goal.year),
        &format!("{}-12-31", goal.year),
    );
    Ok(page.respond(StatusCode::OK)?)
}

pub async fn new_activity(
    State(state): State<AppState>,
    caller: Caller,
    PagePath(raw): PagePath<String>,
    Form(mut sent): Form<Sent>,
) -> PageResult {
    let person = caller.require_person()?;
    let (scope, mut page, goal) =
        goal_for_new(&state, &caller, &raw, "aktivitet", "ny-aktivitet").await?;
    page.fields = activity_fields("", "", "");
    page.keep(&sent);
    let edit = read_activity(&sent, &mut page.errors);
    sent.entry("version".into()).or_insert_with(|| "0".into());
    let owner = scope.owner().id;
    let anchor = format!("mal-{}", goal.id);
    let store = &state.store;
    let outcome = save_checked(&mut page, &sent, |_| async move {
        let edit = edit.ok_or_else(|| StoreError::Placement("ofullständigt formulär".into()))?;
        let mut w = store.begin_write(&person.who.email).await?;
        let added = w
            .add_activity(NewActivity {
                year: goal.year,
                goal_id: goal.id,
                owner_id: owner,
                title: edit.title,
                start: edit.start,
                end: edit.end,
                position: 0,
            })
            .await?;
        w.commit().await?;
        Ok(added)
    })
    .await?;
    finish(
        outcome,
        page,
        &scope.page(),
        |_| anchor,
        || async { Err(AppError::Internal("a new activity has no conflict".into())) },
    )
    .await
}

// ---- removing, restoring, moving ----

/// A goal, indicator or activity as removing, restoring and moving need it.
struct Found {
    item: Item,
    scope: Scope,
    /// "målet ”Trygg vård”"
    name: String,
    version: i64,
    removed: bool,
    /// The anchor of the goal it is (or hangs on) on the page where it shows.
    anchor: String,
    /// What goes with it when it is removed, in words ("2 indikatorer och 1 aktivitet").
    with: Option<String>,
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

async fn find_item(state: &AppState, caller: &Caller, item: Item) -> Result<Found, AppError> {
    let missing = || AppError::NotFound("Det finns inte.".into());
    let (owner, year, name, version, removed, goal, with) = match item {
        Item::Goal(id) => {
            let g = state
                .store
                .goal_for_editing(id)
                .await?
                .ok_or_else(missing)?;
            let with = (!g.indicators.is_empty() || !g.activities.is_empty()).then(|| {
                format!(
                    "{} och {}",
                    count(g.indicators.len(), "indikator", "indikatorer"),
                    count(g.activities.len(), "aktivitet", "aktiviteter")
                )
            });
            (
                g.goal.owner_id,
                g.goal.year,
                format!("{}et ”{}”", g.goal.level.label(), g.goal.title),
                g.goal.version,
                g.removed,
                id,
                with,
            )
        }
        Item::Indicator(id) => {
            let i = state
                .store
                .indicator_for_editing(id)
                .await?
                .ok_or_else(missing)?;
            let x = i.indicator;
            (
                x.owner_id,
                x.year,
                format!("indikatorn ”{}”", x.name),
                x.version,
                i.removed,
                x.goal_id,
                None,
            )
        }
        Item::Activity(id) => {
            let (a, removed) = state
                .store
                .activity_for_editing(id)
                .await?
                .ok_or_else(missing)?;
            (
                a.owner_id,
                a.year,
                format!("aktiviteten ”{}”", a.title),
                a.version,
                removed,
                a.goal_id,
                None,
            )
        }
    };
    let scope = Scope::load(state, caller, owner, year).await?;
    Ok(Found {
        item,
        scope,
        name,
        version,
        removed,
        anchor: format!("mal-{goal}"),
        with,
    })
}

/// The address of an item's own pages ("/mal/7").
fn item_path(item: Item) -> String {
    match item {
        Item::Goal(g) => format!("/mal/{g}"),
        Item::Indicator(i) => format!("/indikatorer/{i}"),
        Item::Activity(a) => format!("/aktiviteter/{a}"),
    }
}

#[derive(Template)]
#[template(path = "remove.html")]
struct RemovePage {
    crumbs: Vec<Crumb>,
    name: String,
    context: String,
    with: Option<String>,
    action: String,
    version: i64,
    back: String,
    closed: Option<String>,
    problem: Option<String>,
}

fn remove_page(found: &Found) -> RemovePage {
    RemovePage {
        crumbs: found.scope.crumbs(),
        name: found.name.clone(),
        context: found.scope.context(),
        with: found.with.clone(),
        action: format!("{}/ta-bort", item_path(found.item)),
        version: found.version,
        back: format!("{}#{}", found.scope.page(), found.anchor),
        closed: found.scope.closed(),
        problem: None,
    }
}

async fn confirm_removal(state: &AppState, caller: &Caller, item: Item) -> PageResult {
    let found = find_item(state, caller, item).await?;
    if found.removed {
        return Ok(
            Redirect::to(&format!("{}#{}", found.scope.page(), found.anchor)).into_response(),
        );
    }
    let page = remove_page(&found);
    Ok(crate::editor::respond_html(
        StatusCode::OK,
        page.render().map_err(AppError::from)?,
    )?)
}

#[derive(serde::Deserialize)]
pub struct VersionForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    riktning: String,
}

async fn do_remove(state: &AppState, caller: &Caller, item: Item, f: VersionForm) -> PageResult {
    let person = caller.require_person()?;
    let found = find_item(state, caller, item).await?;
    let back = format!("{}#{}", found.scope.page(), found.anchor);
    if found.removed {
        return Ok(Redirect::to(&back).into_response());
    }
    let mut page = remove_page(&found);
    let Some(version) = f.version.trim().parse::<i64>().ok() else {
        page.problem = Some("Formuläret saknade versionen; försök igen.".into());
        return Ok(crate::editor::respond_html(
            StatusCode::UNPROCESSABLE_ENTITY,
            page.render().map_err(AppError::from)?,
        )?);
    };
    let result = async {
        let mut w = state.store.begin_write(&person.who.email).await?;
        w.remove(item, version).await?;
        w.commit().await
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to(&back).into_response()),
        Err(
            e @ (StoreError::Conflict { .. } | StoreError::Locked(_) | StoreError::Placement(_)),
        ) => {
            page.problem = Some(match e {
                StoreError::Conflict { .. } => format!(
                    "Någon annan har ändrat {} medan du bestämde dig, så det är inte borttaget. Titta på det igen innan du tar bort det.",
                    found.name
                ),
                other => sentence(other),
            });
            page.version = found.version;
            Ok(crate::editor::respond_html(
                StatusCode::CONFLICT,
                page.render().map_err(AppError::from)?,
            )?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

async fn do_restore(state: &AppState, caller: &Caller, item: Item) -> PageResult {
    let person = caller.require_person()?;
    let found = find_item(state, caller, item).await?;
    let mut w = state
        .store
        .begin_write(&person.who.email)
        .await
        .map_err(AppError::from)?;
    w.restore(item).await.map_err(AppError::from)?;
    w.commit().await.map_err(AppError::from)?;
    Ok(Redirect::to(&format!("{}#{}", found.scope.page(), found.anchor)).into_response())
}

async fn do_move(state: &AppState, caller: &Caller, item: Item, f: VersionForm) -> PageResult {
    let person = caller.require_person()?;
    let found = find_item(state, caller, item).await?;
    let to = match f.riktning.as_str() {
        "upp" => Move::Up,
        "ned" => Move::Down,
        _ => {
            return Err(AppError::BadRequest {
                field: "riktning",
                message: "Välj att flytta upp eller ned.".into(),
            }
            .into());
        }
    };
    let version = f
        .version
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest {
            field: "version",
            message: "Formuläret saknade versionen; ladda om sidan och försök igen.".into(),
        })?;
    let mut w = state
        .store
        .begin_write(&person.who.email)
        .await
        .map_err(AppError::from)?;
    w.move_item(item, version, to)
        .await
        .map_err(AppError::from)?;
    w.commit().await.map_err(AppError::from)?;
    Ok(Redirect::to(&format!("{}#{}", found.scope.page(), found.anchor)).into_response())
}

macro_rules! item_handlers {
    ($parse:ident, $make:expr, $confirm:ident, $remove:ident, $restore:ident, $move_:ident) => {
        pub async fn $confirm(
            State(state): State<AppState>,
            caller: Caller,
            PagePath(raw): PagePath<String>,
        ) -> PageResult {
            confirm_removal(&state, &caller, $make($parse(&raw)?)).await
        }
        pub async fn $remove(
            State(state): State<AppState>,
            caller: Caller,
            PagePath(raw): PagePath<String>,
            Form(f): Form<VersionForm>,
        ) -> PageResult {
            do_remove(&state, &caller, $make($parse(&raw)?), f).await
        }
        pub async fn $restore(
            State(state): State<AppState>,
            caller: Caller,
            PagePath(raw): PagePath<String>,
        ) -> PageResult {
            do_restore(&state, &caller, $make($parse(&raw)?)).await
        }
        pub async fn $move_(
            State(state): State<AppState>,
            caller: Caller,
            PagePath(raw): PagePath<String>,
            Form(f): Form<VersionForm>,
        ) -> PageResult {
            do_move(&state, &caller, $make($parse(&raw)?), f).await
        }
    };
}

item_handlers!(
    goal_id,
    Item::Goal,
    confirm_goal_removal,
    remove_goal,
    restore_goal,
    move_goal
);
item_handlers!(
    indicator_id,
    Item::Indicator,
    confirm_indicator_removal,
    remove_indicator,
    restore_indicator,
    move_indicator
);
item_handlers!(
    activity_id,
    Item::Activity,
    confirm_activity_removal,
    remove_activity,
    restore_activity,
    move_activity
);

// ---- a board's, department's or the city's own goals ----

/// One of the owner's own goals in the list.
struct OwnGoal {
    id: GoalId,
    name: String,
    version: i64,
    first: bool,
    last: bool,
}

/// A goal above the owner's, with the owner's goals under it.
struct Group {
    anchor: String,
    parent: String,
    /// The parent's own edit page, when the owner wrote it (the city's direction goals).
    edit: Option<String>,
    goals: Vec<OwnGoal>,
    add: String,
    add_label: String,
}

#[derive(Template)]
#[template(path = "owner_goals.html")]
struct OwnerGoalsPage {
    crumbs: Vec<Crumb>,
    owner: String,
    owner_id: NodeId,
    year: i32,
    groups: Vec<Group>,
    /// "Lägg till inriktningsmål" for the city.
    top_add: Option<String>,
    closed_note: Option<String>,
}

pub async fn owner_goals(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year)): PagePath<(String, String)>,
) -> PageResult {
    let (owner, year) = owner_year(&raw_id, &raw_year)?;
    let scope = Scope::load(&state, &caller, owner, year).await?;
    if scope.is_unit() {
        return Ok(Redirect::to(&scope.page()).into_response());
    }
    let node = scope.owner();
    let (parent_level, own_level) = match node.kind {
        OrgKind::City => (GoalLevel::Direction, GoalLevel::Area),
        OrgKind::Board => (GoalLevel::Area, GoalLevel::Board),
        OrgKind::Department => (GoalLevel::Board, GoalLevel::Department),
        _ => {
            return Err(AppError::NotFound(format!(
                "{} skriver inga egna mål: målen skrivs av nämnden, avdelningarna och enheterna.",
                node.name
            ))
            .into());
        }
    };
    let chain_ids: Vec<NodeId> = scope.chain.iter().map(|n| n.id).collect();
    let parents: Vec<Goal> = state
        .store
        .goals_at_level(year, parent_level)
        .await?
        .into_iter()
        .filter(|g| chain_ids.contains(&g.owner_id))
        .collect();
    let own: Vec<Goal> = state
        .store
        .goals_at_level(year, own_level)
        .await?
        .into_iter()
        .filter(|g| g.owner_id == owner)
        .collect();
    let groups = parents
        .iter()
        .map(|p| {
            let mine: Vec<&Goal> = own.iter().filter(|g| g.parent_id == Some(p.id)).collect();
            let n = mine.len();
            Group {
                anchor: format!("mal-{}", p.id),
                parent: goal_name(p),
                edit: (p.owner_id == owner).then(|| format!("/mal/{}", p.id)),
                goals: mine
                    .iter()
                    .enumerate()
                    .map(|(i, g)| OwnGoal {
                        id: g.id,
                        name: goal_name(g),
                        version: g.version,
                        first: i == 0,
                        last: i + 1 == n,
                    })
                    .collect(),
                add: format!("/organisation/{owner}/mal/{year}/nytt?under={}", p.id),
                add_label: format!("Lägg till {} under {}", own_level.label(), goal_name(p)),
            }
        })
        .collect();
    let page = OwnerGoalsPage {
        crumbs: crate::pages::crumbs_for(&scope.chain),
        owner: node.name.clone(),
        owner_id: owner,
        year,
        groups,
        top_add: (node.kind == OrgKind::City)
            .then(|| format!("/organisation/{owner}/mal/{year}/nytt")),
        closed_note: parents.is_empty().then(|| {
            format!(
                "Det finns inga {} för {year} att skriva mål under ännu.",
                match parent_level {
                    GoalLevel::Direction => "inriktningsmål",
                    GoalLevel::Area => "mål för verksamhetsområdet",
                    _ => "nämndmål",
                }
            )
        }),
    };
    Ok(crate::editor::respond_html(
        StatusCode::OK,
        page.render().map_err(AppError::from)?,
    )?)
}
