//! The built-in demo district: Sjöviken, a fictional district of Stockholm with three units,
//! their operations, the goal cascade for 2025 and 2026, a full plan per unit and year, and
//! the follow-up: for 2022–2024 (the history) and 2025 each unit's tertial reports and
//! annual report, and the first tertial report of 2026.
//!
//! The years before 2025 are built from 2025's goals and indicators, with the same names
//! (so that an indicator is followed from year to year by its owner and name, as charts
//! do), without texts, activities, sections or facts; their plans are approved and their
//! reports hold outcomes generated around the values 2025's annual reports give
//! (`demo/follow_up.rs`, `fill.rs`): deterministic, varying between units, some reaching
//! their targets and some not, one with no data for its first years.
//!
//! A year before the newest one is finished: its plans are approved, and its reports were
//! written as people write them ([`Writer::create_report`], [`Writer::write_follow_up`],
//! [`Writer::write_economy`]) and went through their workflow (submitted by the demo,
//! approved by the controller; the history's reports are approved without recorded steps,
//! like its plans). In the newest year the plans show the workflow: one unit has submitted
//! its plan ([`SUBMITTED_UNIT`]), another has had it returned with a comment
//! ([`RETURNED_UNIT`]), and the rest, the unit manager's among them, are drafts. The first
//! tertial report of the newest year is a draft in the unit manager's unit, submitted in
//! [`SUBMITTED_UNIT`] and not begun in the third, so that each standing against its
//! deadline can be seen. The district comes with one account per role
//! ([`demo_accounts`]), with known passwords, so that every role can be tried.
//!
//! The content lives in `demo/sjoviken.json`, embedded in the binary, and is written through
//! the [`Writer`] in one transaction: either the whole district is there or nothing is. The
//! texts are written for this project; they describe no real unit.

use crate::{DocRef, Store, StoreError, Writer, password};
use malkedja_domain::{
    ActivityEntry, ActivityFollowUp, ActivityId, ActivityStatus, Assessment, CascadeGoal,
    ComplaintRow, Contents, Decimal, Direction, Goal, GoalAssessment, GoalId, GoalLevel,
    GoalSection, IndicatorEntry, IndicatorId, IndicatorOutcome, Manager, Measure, NewActivity,
    NewGoal, NewIndicator, NewNode, NodeId, OrgKind, OrgNode, Periodicity, Placement, PlanStatus,
    ReportKind, ReportSection, Role, RoleGrant, StaffCount, StaffMeeting, Target, UnitFacts,
    ValueKind, Year, default_plan_template, parse_decimal_sv,
};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use time::{Date, OffsetDateTime};

mod follow_up;

/// The demo district's data, embedded.
const DATA: &str = include_str!("../demo/sjoviken.json");

/// The actor the audit trail names for everything the demo writes.
const ACTOR: &str = "demo";

/// The unit (by its key in the data) whose plan for the newest year is submitted.
pub const SUBMITTED_UNIT: &str = "dv";
/// The unit (by its key in the data) whose plan for the newest year was returned by the
/// controller, with a comment.
pub const RETURNED_UNIT: &str = "hfs";
/// The controller's comment on the returned plan.
/// It asks for what the plan check lists for that plan (the demo submitted it without the
/// check), so that the returned plan shows an error to fix.
const RETURN_COMMENT: &str = "Planen hänger väl ihop med nämndens mål, men indikatorn för övade kontinuitetsplaner saknar årsmål för året. Komplettera årsmålet, beskriv kort hur enheten följer upp det under året och skicka sedan in planen igen.";

/// Where a demo account holds its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// The city (the root of the tree): everything.
    City,
    Board,
    Administration,
    /// A unit, by its key in the data.
    Unit(&'static str),
}

/// One of the demo's accounts as the demo creates it.
struct AccountSpec {
    email: &'static str,
    password: &'static str,
    display_name: &'static str,
    role: Role,
    scope: Scope,
}

/// The demo's accounts, one per role in the order of [`Role::ALL`]. The unit manager and
/// the unit writer work in the same unit (its enhetschef and biträdande enhetschef in the
/// data), which has an approved plan and annual report for 2025 and a draft plan and
/// tertial report for 2026; the reader holds the role in another unit. The passwords are
/// known on purpose: the demo shows them on the sign-in page.
const DEMO_ACCOUNTS: [AccountSpec; 6] = [
    AccountSpec {
        email: "admin@demo.malkedja.se",
        password: "demo-admin-sjoviken",
        display_name: "Helena Bergqvist",
        role: Role::Admin,
        scope: Scope::City,
    },
    AccountSpec {
        email: "redaktor@demo.malkedja.se",
        password: "demo-redaktor-sjoviken",
        display_name: "Peter Sjöberg",
        role: Role::BoardEditor,
        scope: Scope::Board,
    },
    AccountSpec {
        email: "enhetschef@demo.malkedja.se",
        password: "demo-enhetschef-sjoviken",
        display_name: "Maria Lindqvist",
        role: Role::UnitManager,
        scope: Scope::Unit("sps"),
    },
    AccountSpec {
        email: "skribent@demo.malkedja.se",
        password: "demo-skribent-sjoviken",
        display_name: "Johan Ekström",
        role: Role::UnitWriter,
        scope: Scope::Unit("sps"),
    },
    AccountSpec {
        email: "controller@demo.malkedja.se",
        password: "demo-controller-sjoviken",
        display_name: "Linnéa Ahlgren",
        role: Role::Controller,
        scope: Scope::Administration,
    },
    AccountSpec {
        email: "lasare@demo.malkedja.se",
        password: "demo-lasare-sjoviken",
        display_name: "Karin Holm",
        role: Role::Reader,
        scope: Scope::Unit("hfs"),
    },
];

/// A demo account as stored: who signs in with what, and the role it holds where. For the
/// sign-in page in demo mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    pub email: &'static str,
    pub password: &'static str,
    pub display_name: &'static str,
    pub role: Role,
    /// The name of the node the role is held on.
    pub scope_name: String,
    pub scope: NodeId,
}

/// The demo's accounts that are in the database, in the order of [`Role::ALL`]: each one
/// that exists, is not disabled and holds its demo role, with the node it holds it on.
/// Empty when the demo was never loaded (or was loaded before it had accounts). The
/// password is the demo's: one changed since (`malkedja user set-password`) is not noticed,
/// since checking would cost an Argon2 hash per account. A handful of small queries: read it
/// once, at start.
pub async fn demo_accounts(store: &Store) -> Result<Vec<DemoAccount>, StoreError> {
    let mut out = Vec::new();
    for spec in &DEMO_ACCOUNTS {
        let Some(account) = store.account_by_email(spec.email).await? else {
            continue;
        };
        if account.disabled {
            continue;
        }
        let Some(grant) = account.grants.iter().find(|g| g.role == spec.role) else {
            continue;
        };
        let Some(node) = store.node(grant.node_id).await? else {
            continue;
        };
        out.push(demo_account(spec, &node));
    }
    Ok(out)
}

fn demo_account(spec: &AccountSpec, node: &OrgNode) -> DemoAccount {
    DemoAccount {
        email: spec.email,
        password: spec.password,
        display_name: spec.display_name,
        role: spec.role,
        scope_name: node.name.clone(),
        scope: node.id,
    }
}

/// What [`load`] created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    /// The units (kind unit), in the order of the data.
    pub units: Vec<(NodeId, String)>,
    pub years: Vec<Year>,
    /// Goals created at all levels (council goals already in the database are reused).
    pub goals: usize,
    pub indicators: usize,
    pub activities: usize,
    /// Follow-up reports written (annual and tertial reports, every year).
    pub reports: usize,
    /// The accounts created, one per role (as [`demo_accounts`] reads them).
    pub accounts: Vec<DemoAccount>,
}

/// Loads the demo district unless it is already there (then returns `Ok(None)`). `progress`
/// is called with a short Swedish line per step (e.g. "Mål för 2025 …", "Uppföljning 2025:
/// verksamhetsberättelse för … …").
///
/// The district is recognised by a city node named as in the data with the demo board
/// under it. When the city exists without the demo board (say, after importing the city's
/// own plans), the demo hangs under that city and reuses its council goals and council
/// indicators of the same number and name instead of duplicating them. (Its administrator
/// account then holds its role on that city.)
///
/// The passwords of the demo accounts are hashed while the district is written, on blocking
/// threads (Argon2id, tens of milliseconds each).
pub async fn load(
    store: &Store,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<Option<DemoSummary>, StoreError> {
    load_with(store, progress, true).await
}

/// The demo district with its plans but without any follow-up: no years of history, no
/// reports (the data's years' plans are approved as in [`load`] but for the newest). For
/// tests that write a year's reports from the start.
pub async fn load_plans(
    store: &Store,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<Option<DemoSummary>, StoreError> {
    load_with(store, progress, false).await
}

async fn load_with(
    store: &Store,
    progress: &(dyn Fn(&str) + Sync),
    follow_up: bool,
) -> Result<Option<DemoSummary>, StoreError> {
    let data = parse()?;
    check_reports(&data)?;
    check_accounts(&data)?;
    // Hashed alongside the writing; dropped (and finished in the background) when the
    // district is already there.
    let hashes: Vec<_> = DEMO_ACCOUNTS
        .iter()
        .map(|a| tokio::spawn(password::hash(a.password)))
        .collect();
    let mut w = store.begin_write(ACTOR).await?;
    progress("Letar efter demodistriktet …");
    let nodes = w.nodes().await?;
    let city = nodes
        .iter()
        .find(|n| n.kind == OrgKind::City && n.name == data.city)
        .cloned();
    if let Some(city) = &city
        && nodes.iter().any(|n| {
            n.parent_id == Some(city.id) && n.kind == OrgKind::Board && n.name == data.board
        })
    {
        w.rollback().await?;
        progress("Demodistriktet finns redan.");
        return Ok(None);
    }
    let mut loader = Loader {
        w,
        nodes: HashMap::new(),
        unit_ids: Vec::new(),
        city: NodeId(0),
        board: NodeId(0),
        admin: NodeId(0),
        goals: 0,
        indicators: 0,
        activities: 0,
        reports: 0,
        thin: None,
        unit_keys: data
            .departments
            .iter()
            .flat_map(|d| d.units.iter().map(|u| u.key.clone()))
            .collect(),
    };
    // Archive copies are made for the newest finished year below, not at each approval.
    let freezer = loader.w.freezer.take();
    loader.organisation(&data, city, &nodes, progress).await?;
    let newest = data.years.last().map_or(0, |y| y.year);
    let mut tracks = follow_up::Tracks::new(&data)?;
    let mut years = Vec::new();

    // The years before the data's: thin plans, approved, and reports of generated outcomes.
    let base = data
        .years
        .iter()
        .find(|y| y.year == data.history.structure_from)
        .ok_or_else(|| corrupt("historiken bygger på ett år som saknas"))?;
    let history: &[Year] = if follow_up { &data.history.years } else { &[] };
    for &year in history {
        loader.thin = Some(Thin {
            new_then: tracks.new_then(),
        });
        progress(&format!("Mål och verksamhetsplaner {year} …"));
        let keys = loader.year(base, year, progress).await?;
        loader.thin = None;
        loader.deadlines(year).await?;
        loader.approve_plans(year).await?;
        for unit in loader.unit_keys.clone() {
            for kind in ReportKind::ALL {
                loader
                    .generated_report(
                        &unit,
                        year,
                        kind,
                        &keys,
                        &mut tracks,
                        None,
                        follow_up::Sent::Recorded,
                        progress,
                    )
                    .await?;
            }
        }
        years.push(year);
    }

    // The data's years: every year but the newest is finished, its plans approved and its
    // reports written and approved; in the newest, the first tertial is being followed up.
    for year in &data.years {
        let y = year.year;
        let keys = loader.year(year, y, progress).await?;
        loader.deadlines(y).await?;
        if y != newest {
            progress(&format!("Godkänner verksamhetsplanerna för {y} …"));
            loader.approve_plans(y).await?;
        }
        let units = if follow_up {
            loader.unit_keys.clone()
        } else {
            Vec::new()
        };
        for unit in units {
            let written: Vec<&ReportData> = data
                .reports
                .iter()
                .filter(|r| r.year == y && r.unit == unit)
                .collect();
            let annual = written
                .iter()
                .find(|r| r.kind == ReportKind::AnnualReport)
                .copied();
            if y == newest {
                for r in &written {
                    loader
                        .report(r, &keys, &data.complaint_table, progress)
                        .await?;
                }
                if unit == SUBMITTED_UNIT && written.is_empty() {
                    loader
                        .generated_report(
                            &unit,
                            y,
                            ReportKind::Tertial1,
                            &keys,
                            &mut tracks,
                            None,
                            follow_up::Sent::Submitted,
                            progress,
                        )
                        .await?;
                }
                continue;
            }
            for kind in [ReportKind::Tertial1, ReportKind::Tertial2] {
                loader
                    .generated_report(
                        &unit,
                        y,
                        kind,
                        &keys,
                        &mut tracks,
                        annual.map(|a| (a, &data.complaint_table[..])),
                        follow_up::Sent::Approved,
                        progress,
                    )
                    .await?;
            }
            match annual {
                Some(r) => {
                    loader
                        .people_report(r, &keys, &data.complaint_table, progress)
                        .await?
                }
                None => {
                    loader
                        .generated_report(
                            &unit,
                            y,
                            ReportKind::AnnualReport,
                            &keys,
                            &mut tracks,
                            None,
                            follow_up::Sent::Approved,
                            progress,
                        )
                        .await?
                }
            }
        }
        years.push(y);
    }
    loader.w.freezer = freezer;
    for year in &data.years {
        if year.year != newest {
            loader.freeze_year(year.year, progress).await?;
        }
    }
    progress(&format!(
        "Inskickade och återremitterade planer för {newest} …"
    ));
    loader.workflow(newest).await?;
    progress("Demokonton, ett för varje roll …");
    let mut passwords = Vec::new();
    for h in hashes {
        passwords.push(h.await.map_err(|e| StoreError::Password(e.to_string()))??);
    }
    let accounts = loader.accounts(&passwords).await?;
    progress("Sparar demodistriktet …");
    let Loader {
        w,
        unit_ids,
        goals,
        indicators,
        activities,
        reports,
        ..
    } = loader;
    w.commit().await?;
    progress("Klart.");
    Ok(Some(DemoSummary {
        units: unit_ids,
        years,
        goals,
        indicators,
        activities,
        reports,
        accounts,
    }))
}

/// The demo accounts' units are units of the data, and their passwords pass the rules.
fn check_accounts(data: &Data) -> Result<(), StoreError> {
    for a in &DEMO_ACCOUNTS {
        if let Scope::Unit(key) = a.scope
            && !data
                .departments
                .iter()
                .any(|d| d.units.iter().any(|u| u.key == key))
        {
            return Err(corrupt(format!("{} har en okänd enhet {key:?}", a.email)));
        }
        malkedja_domain::check_password(a.password)?;
    }
    Ok(())
}

fn parse() -> Result<Data, StoreError> {
    serde_json::from_str(DATA).map_err(|e| StoreError::Corrupt(format!("demodata: {e}")))
}

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("demodata: {what}"))
}

fn date(s: &str) -> Result<Date, StoreError> {
    Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
        .map_err(|e| corrupt(format!("datum {s:?}: {e}")))
}

fn moment(s: &str) -> Result<OffsetDateTime, StoreError> {
    Ok(date(s)?.midnight().assume_utc())
}

/// Paragraphs joined by a blank line, as texts are stored.
fn body(paragraphs: &[String]) -> String {
    paragraphs.join("\n\n")
}

fn target(text: &str) -> Result<Target, StoreError> {
    Target::parse(text).ok_or_else(|| corrupt("tomt målvärde"))
}

fn position(i: usize) -> i64 {
    i64::try_from(i).unwrap_or(i64::MAX)
}

/// Paragraphs as an optional text: none when there are none.
fn optional_body(paragraphs: &[String]) -> Option<String> {
    (!paragraphs.is_empty()).then(|| body(paragraphs))
}

/// Checks what can be checked before anything is written: every report belongs to a year
/// of the data and a unit, each unit has at most one report of a kind per year, and the
/// complaints table has no key twice.
fn check_reports(data: &Data) -> Result<(), StoreError> {
    let units: HashSet<&str> = data
        .departments
        .iter()
        .flat_map(|d| d.units.iter().map(|u| u.key.as_str()))
        .collect();
    let mut seen = HashSet::new();
    for r in &data.reports {
        if !data.years.iter().any(|y| y.year == r.year) {
            return Err(corrupt(format!("rapport för okänt år {}", r.year)));
        }
        if !units.contains(r.unit.as_str()) {
            return Err(corrupt(format!("rapport för okänd enhet {:?}", r.unit)));
        }
        if !seen.insert((r.unit.as_str(), r.year, r.kind.code())) {
            return Err(corrupt(format!(
                "två rapporter {} {} för {:?}",
                r.kind.label(),
                r.year,
                r.unit
            )));
        }
    }
    let mut keys = HashSet::new();
    for row in data.complaint_table.iter().flat_map(|g| &g.rows) {
        if !keys.insert(row.key.as_str()) {
            return Err(corrupt(format!("raden {:?} finns två gånger", row.key)));
        }
    }
    Ok(())
}

// ---- the data file ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Data {
    city: String,
    board: String,
    administration: String,
    departments: Vec<DepartmentData>,
    /// The years before the data's own: outcomes for charts.
    history: HistoryData,
    years: Vec<YearData>,
    /// The rows of the table of complaints, praise and incidents that every report prints,
    /// in printed order.
    complaint_table: Vec<ComplaintGroupData>,
    /// Follow-up reports, each identified by unit, year and kind.
    #[serde(default)]
    reports: Vec<ReportData>,
}

/// The years before the data's own. Their plans have the goals and indicators of
/// `structure_from` (same names, so that an indicator is followed from year to year by its
/// owner and name), without texts, activities or sections; their reports hold outcomes
/// generated around those the data's annual report gives (`demo/follow_up.rs`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HistoryData {
    years: Vec<Year>,
    structure_from: Year,
    /// Indicators a unit had no outcome for in some years, and why.
    #[serde(default)]
    no_data: Vec<NoDataData>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoDataData {
    unit: String,
    /// By name (a unit's own indicator) or key.
    indicator: String,
    years: Vec<Year>,
    analysis: Vec<String>,
}

/// A report's economy: figures per operation (by key), as typed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EconomyData {
    lines: Vec<EconomyLineData>,
    #[serde(default)]
    analysis: Vec<String>,
    #[serde(default)]
    investments: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EconomyLineData {
    operation: String,
    #[serde(default)]
    budget: Option<String>,
    #[serde(default)]
    forecast: Option<String>,
    #[serde(default)]
    outcome: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DepartmentData {
    key: String,
    name: String,
    units: Vec<UnitData>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitData {
    key: String,
    name: String,
    operations: Vec<OperationData>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OperationData {
    key: String,
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearData {
    year: Year,
    /// When the board's texts of the year come into force.
    board_texts_from: String,
    /// When the units' goal texts were written.
    unit_texts_from: String,
    facts: Vec<FactsData>,
    council: Vec<DirectionData>,
    board_goals: Vec<BoardGoalData>,
    department_goals: Vec<DepartmentGoalData>,
    units: Vec<UnitYearData>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FactsData {
    node: String,
    managers: Vec<Manager>,
    staff: Vec<StaffCount>,
    clients: Option<i64>,
    clients_label: String,
    budget_kr: Option<String>,
    staff_meetings: Vec<MeetingData>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MeetingData {
    date: String,
    label: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DirectionData {
    number: String,
    title: String,
    areas: Vec<AreaData>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AreaData {
    number: String,
    title: String,
    #[serde(default)]
    indicators: Vec<IndicatorData>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorData {
    /// Key for references within the year; unit indicators need none.
    #[serde(default)]
    key: Option<String>,
    name: String,
    #[serde(default)]
    unit_of_measure: Option<String>,
    periodicity: Periodicity,
    direction: Direction,
    value_kind: ValueKind,
    /// Redovisas för kvinnor och män: the indicator concerns people (users, participants,
    /// visitors, staff).
    #[serde(default)]
    by_sex: bool,
    /// KF:s årsmål (council indicators only).
    #[serde(default)]
    council_target: Option<String>,
    /// The board's target (council and board indicators).
    #[serde(default)]
    board_target: Option<String>,
    /// The owner's own target (unit indicators).
    #[serde(default)]
    target: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActivityData {
    #[serde(default)]
    key: Option<String>,
    title: String,
    start: String,
    end: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RevisionData {
    valid_from: String,
    #[serde(default)]
    description: Option<Vec<String>>,
    #[serde(default)]
    expected_result: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BoardGoalData {
    key: String,
    area: String,
    title: String,
    description: Vec<String>,
    expected_result: Vec<String>,
    #[serde(default)]
    revisions: Vec<RevisionData>,
    #[serde(default)]
    indicators: Vec<IndicatorData>,
    #[serde(default)]
    activities: Vec<ActivityData>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DepartmentGoalData {
    key: String,
    department: String,
    parent: String,
    title: String,
    description: Vec<String>,
    expected_result: Vec<String>,
    #[serde(default)]
    activities: Vec<ActivityData>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitYearData {
    unit: String,
    select_goals: Vec<String>,
    select_activities: Vec<String>,
    select_indicators: Vec<String>,
    #[serde(default)]
    targets: Vec<TargetData>,
    goals: Vec<UnitGoalData>,
    /// Plan sections by template key, each a list of paragraphs.
    plan: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetData {
    indicator: String,
    target: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitGoalData {
    parent: String,
    title: String,
    expected_result: Vec<String>,
    working_methods: Vec<String>,
    resource_use: Vec<String>,
    follow_up: Vec<String>,
    development: Vec<String>,
    #[serde(default)]
    indicators: Vec<IndicatorData>,
    #[serde(default)]
    activities: Vec<ActivityData>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ComplaintGroupData {
    group: String,
    rows: Vec<ComplaintCategoryData>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ComplaintCategoryData {
    /// How reports refer to the row.
    key: String,
    category: String,
}

/// A report of a unit's plan. Goals, indicators and activities are named by their key in
/// the year's data (area goals by number), or else by number or title (name for
/// indicators) among what the unit's plan shows.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportData {
    unit: String,
    year: Year,
    kind: ReportKind,
    written_at: String,
    sections: Vec<ReportSectionData>,
    goals: Vec<AssessmentData>,
    indicators: Vec<OutcomeData>,
    #[serde(default)]
    activities: Vec<FollowUpData>,
    /// The economy (annual reports).
    #[serde(default)]
    economy: Option<EconomyData>,
    /// The rows with cases; the others print zeros.
    complaints: Vec<ComplaintData>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportSectionData {
    heading: String,
    placement: Placement,
    body: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssessmentData {
    goal: String,
    assessment: Assessment,
    #[serde(default)]
    analysis: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OutcomeData {
    indicator: String,
    outcome: String,
    #[serde(default)]
    men: Option<String>,
    #[serde(default)]
    women: Option<String>,
    /// The outcome in the previous year's annual report.
    #[serde(default)]
    previous: Option<String>,
    #[serde(default)]
    analysis: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FollowUpData {
    activity: String,
    status: Option<ActivityStatus>,
    #[serde(default)]
    analysis: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ComplaintData {
    row: String,
    /// One count per tertial the report covers: T1; T1 and T2; or T1, T2 and the last
    /// tertial (the annual report). The total is their sum.
    counts: Vec<i64>,
    #[serde(default)]
    assessment: Option<String>,
}

// ---- loading ----

struct Loader {
    w: Writer,
    /// Organisation nodes by their key in the data.
    nodes: HashMap<String, NodeId>,
    unit_ids: Vec<(NodeId, String)>,
    city: NodeId,
    board: NodeId,
    admin: NodeId,
    goals: usize,
    indicators: usize,
    activities: usize,
    reports: usize,
    /// Set while a year of history is loaded.
    thin: Option<Thin>,
    /// The unit keys in the data's order.
    unit_keys: Vec<String>,
}

/// How a year of history is built from another year's data: its goals and indicators with
/// their targets, without texts, activities, plan sections or facts, and without the units'
/// own indicators that were new in that year.
struct Thin {
    /// (unit key, indicator name) of the units' own indicators new in the year the history
    /// is built from (its annual report gives no value for the year before).
    new_then: HashSet<(String, String)>,
}

/// Goals, indicators and activities of one year by their key in the data.
#[derive(Default)]
struct YearKeys {
    goals: HashMap<String, GoalId>,
    indicators: HashMap<String, IndicatorId>,
    activities: HashMap<String, ActivityId>,
}

impl YearKeys {
    fn goal(&self, key: &str) -> Result<GoalId, StoreError> {
        self.goals
            .get(key)
            .copied()
            .ok_or_else(|| corrupt(format!("okänt mål {key:?}")))
    }
    fn indicator(&self, key: &str) -> Result<IndicatorId, StoreError> {
        self.indicators
            .get(key)
            .copied()
            .ok_or_else(|| corrupt(format!("okänd indikator {key:?}")))
    }
    fn activity(&self, key: &str) -> Result<ActivityId, StoreError> {
        self.activities
            .get(key)
            .copied()
            .ok_or_else(|| corrupt(format!("okänd aktivitet {key:?}")))
    }
}

impl Loader {
    fn node(&self, key: &str) -> Result<NodeId, StoreError> {
        self.nodes
            .get(key)
            .copied()
            .ok_or_else(|| corrupt(format!("okänd nod {key:?}")))
    }

    async fn create_node(
        &mut self,
        parent: Option<NodeId>,
        kind: OrgKind,
        name: &str,
        position: i64,
    ) -> Result<OrgNode, StoreError> {
        self.w
            .create_node(NewNode {
                parent_id: parent,
                kind,
                name: name.to_string(),
                position,
            })
            .await
    }

    async fn organisation(
        &mut self,
        data: &Data,
        city: Option<OrgNode>,
        existing: &[OrgNode],
        progress: &(dyn Fn(&str) + Sync),
    ) -> Result<(), StoreError> {
        progress("Organisation: stad, nämnd, förvaltning, avdelningar och enheter …");
        let city = match city {
            Some(c) => c,
            None => {
                let roots = existing.iter().filter(|n| n.parent_id.is_none()).count();
                self.create_node(None, OrgKind::City, &data.city, position(roots))
                    .await?
            }
        };
        self.city = city.id;
        let boards = existing
            .iter()
            .filter(|n| n.parent_id == Some(city.id))
            .count();
        let board = self
            .create_node(Some(city.id), OrgKind::Board, &data.board, position(boards))
            .await?;
        self.board = board.id;
        let admin = self
            .create_node(
                Some(board.id),
                OrgKind::Administration,
                &data.administration,
                0,
            )
            .await?;
        self.admin = admin.id;
        for (di, dept) in data.departments.iter().enumerate() {
            let d = self
                .create_node(
                    Some(admin.id),
                    OrgKind::Department,
                    &dept.name,
                    position(di),
                )
                .await?;
            self.nodes.insert(dept.key.clone(), d.id);
            for (ui, unit) in dept.units.iter().enumerate() {
                let u = self
                    .create_node(Some(d.id), OrgKind::Unit, &unit.name, position(ui))
                    .await?;
                self.nodes.insert(unit.key.clone(), u.id);
                self.unit_ids.push((u.id, u.name.clone()));
                for (oi, op) in unit.operations.iter().enumerate() {
                    let o = self
                        .create_node(Some(u.id), OrgKind::Operation, &op.name, position(oi))
                        .await?;
                    self.nodes.insert(op.key.clone(), o.id);
                }
            }
        }
        Ok(())
    }

    /// The administration's deadlines of a year, as a city sets them: the plan by the end
    /// of November the year before, the tertial reports in mid-May and mid-September, the
    /// annual report in mid-February the year after.
    async fn deadlines(&mut self, year: Year) -> Result<(), StoreError> {
        let day = |y: Year, m: time::Month, d: u8| time::Date::from_calendar_date(y, m, d).ok();
        self.w
            .save_deadlines(&malkedja_domain::Deadlines {
                admin_id: self.admin,
                year,
                plan: day(year - 1, time::Month::November, 30),
                tertial1: day(year, time::Month::May, 15),
                tertial2: day(year, time::Month::September, 15),
                annual_report: day(year + 1, time::Month::February, 15),
                version: 0,
            })
            .await?;
        Ok(())
    }

    /// Approves the year's plans (as they were before the workflow was recorded: no steps).
    async fn approve_plans(&mut self, year: Year) -> Result<(), StoreError> {
        for (unit, _) in self.unit_ids.clone() {
            let Some(plan) = self.w.plan(unit, year).await? else {
                continue;
            };
            self.w
                .set_plan_status(plan.id, plan.version, PlanStatus::Approved)
                .await?;
        }
        Ok(())
    }

    /// Makes the archive copies (`archive.rs`) of the year's approved plans and reports, as
    /// an approval would, when the store freezes approved documents.
    async fn freeze_year(
        &mut self,
        year: Year,
        progress: &(dyn Fn(&str) + Sync),
    ) -> Result<(), StoreError> {
        if !self.w.freezes() {
            return Ok(());
        }
        for (unit, name) in self.unit_ids.clone() {
            let Some(plan) = self.w.plan(unit, year).await? else {
                continue;
            };
            if plan.status == PlanStatus::Approved {
                progress(&format!(
                    "Arkivexemplar av verksamhetsplanen {year} för {name} …"
                ));
                self.w.freeze(DocRef::Plan(plan.id)).await?;
            }
            for kind in ReportKind::ALL {
                if let Some((report, _)) = self.w.report(plan.id, kind).await?
                    && report.status == PlanStatus::Approved
                {
                    progress(&format!(
                        "Arkivexemplar av {} {year} för {name} …",
                        kind.label().to_lowercase()
                    ));
                    self.w.freeze(DocRef::Report(report.id)).await?;
                }
            }
        }
        Ok(())
    }

    /// The newest year's workflow: one plan submitted, one submitted and returned by the
    /// controller with a comment.
    async fn workflow(&mut self, year: Year) -> Result<(), StoreError> {
        let controller = DEMO_ACCOUNTS
            .iter()
            .find(|a| a.role == Role::Controller)
            .map(|a| a.email)
            .ok_or_else(|| corrupt("demokonto för controllern saknas"))?;
        for (key, returned) in [(SUBMITTED_UNIT, false), (RETURNED_UNIT, true)] {
            let unit = self.node(key)?;
            let plan = self
                .w
                .plan(unit, year)
                .await?
                .ok_or_else(|| corrupt(format!("plan {year} för {key}")))?;
            // The submitted plan passes the plan check; the returned one was sent in with
            // the error its return comment names.
            let (plan, _) = if returned {
                self.w.submit_unchecked(plan.id, plan.version).await?
            } else {
                self.w
                    .transition_plan(plan.id, plan.version, PlanStatus::Submitted, "")
                    .await?
            };
            if returned {
                self.w
                    .transition_plan_as(
                        controller,
                        plan.id,
                        plan.version,
                        PlanStatus::Returned,
                        RETURN_COMMENT,
                    )
                    .await?;
            }
        }
        Ok(())
    }

    /// Creates the demo accounts with their (already hashed) passwords and roles.
    async fn accounts(
        &mut self,
        passwords: &[password::PasswordHash],
    ) -> Result<Vec<DemoAccount>, StoreError> {
        let mut out = Vec::new();
        for (spec, hash) in DEMO_ACCOUNTS.iter().zip(passwords) {
            let scope = match spec.scope {
                Scope::City => self.city,
                Scope::Board => self.board,
                Scope::Administration => self.admin,
                Scope::Unit(key) => self.node(key)?,
            };
            let node = self.w.require_node(scope).await?;
            let account = self
                .w
                .add_account(spec.email, spec.display_name, hash)
                .await?;
            self.w
                .grant_role(
                    account.id,
                    RoleGrant {
                        role: spec.role,
                        node_id: scope,
                    },
                )
                .await?;
            out.push(demo_account(spec, &node));
        }
        Ok(out)
    }

    fn unit_name(&self, unit: NodeId) -> String {
        self.unit_ids
            .iter()
            .find(|(id, _)| *id == unit)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    }

    /// Loads a year; returns the keys of its goals, indicators and activities.
    /// Loads a year as `year` describes it, for the year `y` (a year of history is built
    /// from another year's data, thinly: see [`Thin`]); returns the keys of its goals,
    /// indicators and activities.
    async fn year(
        &mut self,
        year: &YearData,
        y: Year,
        progress: &(dyn Fn(&str) + Sync),
    ) -> Result<YearKeys, StoreError> {
        let mut keys = YearKeys::default();

        self.w.ensure_year(y).await?;
        if self.thin.is_none() {
            progress(&format!("Enheternas uppgifter för {y} …"));
            for f in &year.facts {
                self.facts(y, f).await?;
            }
        }

        progress(&format!("Mål för {y}: kommunfullmäktige …"));
        self.council(y, &year.council, &mut keys).await?;

        progress(&format!("Mål för {y}: nämnden …"));
        let board_from = moment(&year.board_texts_from)?;
        for (i, bg) in year.board_goals.iter().enumerate() {
            self.board_goal(y, bg, position(i), board_from, &mut keys)
                .await?;
        }

        progress(&format!("Mål för {y}: avdelningarna …"));
        for (i, dg) in year.department_goals.iter().enumerate() {
            self.department_goal(y, dg, position(i), board_from, &mut keys)
                .await?;
        }

        let unit_from = moment(&year.unit_texts_from)?;
        for u in &year.units {
            let unit = self.node(&u.unit)?;
            let name = self.unit_name(unit);
            progress(&format!("Enhetsmål och verksamhetsplan {y}: {name} …"));
            self.unit_year(y, unit, u, unit_from, &keys).await?;
        }
        Ok(keys)
    }

    async fn facts(&mut self, year: Year, f: &FactsData) -> Result<(), StoreError> {
        let budget_kr: Option<Decimal> = f
            .budget_kr
            .as_deref()
            .map(|b| parse_decimal_sv(b).ok_or_else(|| corrupt(format!("budget {b:?}"))))
            .transpose()?;
        let staff_meetings = f
            .staff_meetings
            .iter()
            .map(|m| {
                Ok(StaffMeeting {
                    date: date(&m.date)?,
                    label: m.label.clone(),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let facts = UnitFacts {
            node_id: self.node(&f.node)?,
            year,
            managers: f.managers.clone(),
            staff: f.staff.clone(),
            clients: f.clients,
            clients_label: f.clients_label.clone(),
            budget_kr,
            staff_meetings,
            version: 0,
        };
        self.w.save_facts(&facts).await?;
        Ok(())
    }

    async fn create_goal(&mut self, new: NewGoal) -> Result<Goal, StoreError> {
        let g = self.w.create_goal(new).await?;
        self.goals += 1;
        Ok(g)
    }

    async fn council(
        &mut self,
        year: Year,
        directions: &[DirectionData],
        keys: &mut YearKeys,
    ) -> Result<(), StoreError> {
        let existing = self.w.goals_owned_by(year, &[self.city]).await?;
        let find = |level: GoalLevel, number: &str| {
            existing
                .iter()
                .find(|g| g.level == level && g.number.as_deref() == Some(number))
                .cloned()
        };
        for (di, d) in directions.iter().enumerate() {
            let direction = match find(GoalLevel::Direction, &d.number) {
                Some(g) => g,
                None => {
                    self.create_goal(NewGoal {
                        year,
                        level: GoalLevel::Direction,
                        owner_id: self.city,
                        parent_id: None,
                        number: Some(d.number.clone()),
                        title: d.title.clone(),
                        position: position(di),
                    })
                    .await?
                }
            };
            for (ai, a) in d.areas.iter().enumerate() {
                let (area, reused) = match find(GoalLevel::Area, &a.number) {
                    Some(g) => (g, true),
                    None => {
                        let g = self
                            .create_goal(NewGoal {
                                year,
                                level: GoalLevel::Area,
                                owner_id: self.city,
                                parent_id: Some(direction.id),
                                number: Some(a.number.clone()),
                                title: a.title.clone(),
                                position: position(ai),
                            })
                            .await?;
                        (g, false)
                    }
                };
                keys.goals.insert(a.number.clone(), area.id);
                let present = if reused {
                    self.indicators_on(area.id).await?
                } else {
                    Vec::new()
                };
                for (ii, ind) in a.indicators.iter().enumerate() {
                    let id = match present.iter().find(|(_, name)| *name == ind.name) {
                        Some((id, _)) => *id,
                        None => {
                            self.indicator(year, area.id, self.city, ind, position(ii))
                                .await?
                        }
                    };
                    if let Some(t) = &ind.board_target {
                        self.w.set_target(id, self.board, &target(t)?).await?;
                    }
                    if let Some(k) = &ind.key {
                        keys.indicators.insert(k.clone(), id);
                    }
                }
            }
        }
        Ok(())
    }

    /// Indicators already hanging on a council goal that existed before the demo.
    async fn indicators_on(
        &mut self,
        goal: GoalId,
    ) -> Result<Vec<(IndicatorId, String)>, StoreError> {
        Ok(self
            .w
            .indicators_on(goal)
            .await?
            .into_iter()
            .map(|i| (i.id, i.name))
            .collect())
    }

    async fn indicator(
        &mut self,
        year: Year,
        goal: GoalId,
        owner: NodeId,
        ind: &IndicatorData,
        position: i64,
    ) -> Result<IndicatorId, StoreError> {
        let council_target = match ind.council_target.as_deref() {
            Some(t) if !t.trim().is_empty() => Some(target(t)?),
            _ => None,
        };
        let created = self
            .w
            .create_indicator(NewIndicator {
                year,
                goal_id: goal,
                owner_id: owner,
                name: ind.name.clone(),
                unit_of_measure: ind.unit_of_measure.clone(),
                periodicity: ind.periodicity,
                direction: ind.direction,
                value_kind: ind.value_kind,
                by_sex: ind.by_sex,
                council_target,
                position,
            })
            .await?;
        self.indicators += 1;
        // A unit's own årsmål is stated in its plan (the caller puts it there); a target
        // set by the council or the board applies to every unit below.
        let unit_owned = self
            .w
            .node(owner)
            .await?
            .is_some_and(|n| n.kind == OrgKind::Unit);
        if let Some(t) = &ind.target
            && !unit_owned
        {
            self.w.set_target(created.id, owner, &target(t)?).await?;
        }
        Ok(created.id)
    }

    async fn activity(
        &mut self,
        year: Year,
        goal: GoalId,
        owner: NodeId,
        a: &ActivityData,
        position: i64,
        keys: &mut YearKeys,
    ) -> Result<ActivityId, StoreError> {
        let created = self
            .w
            .create_activity(NewActivity {
                year,
                goal_id: goal,
                owner_id: owner,
                title: a.title.clone(),
                start: date(&a.start)?,
                end: date(&a.end)?,
                position,
            })
            .await?;
        self.activities += 1;
        if let Some(k) = &a.key {
            keys.activities.insert(k.clone(), created.id);
        }
        Ok(created.id)
    }

    async fn text(
        &mut self,
        goal: GoalId,
        section: GoalSection,
        paragraphs: &[String],
        from: OffsetDateTime,
    ) -> Result<(), StoreError> {
        if paragraphs.is_empty() {
            return Err(corrupt(format!(
                "tomt avsnitt {:?} i mål {goal}",
                section.heading()
            )));
        }
        if self.thin.is_some() {
            return Ok(());
        }
        self.w
            .set_goal_text(goal, section, &body(paragraphs), from)
            .await?;
        Ok(())
    }

    async fn board_goal(
        &mut self,
        year: Year,
        bg: &BoardGoalData,
        position: i64,
        from: OffsetDateTime,
        keys: &mut YearKeys,
    ) -> Result<(), StoreError> {
        let parent = keys.goal(&bg.area)?;
        let goal = self
            .create_goal(NewGoal {
                year,
                level: GoalLevel::Board,
                owner_id: self.board,
                parent_id: Some(parent),
                number: None,
                title: bg.title.clone(),
                position,
            })
            .await?;
        keys.goals.insert(bg.key.clone(), goal.id);
        self.text(goal.id, GoalSection::Description, &bg.description, from)
            .await?;
        self.text(
            goal.id,
            GoalSection::ExpectedResult,
            &bg.expected_result,
            from,
        )
        .await?;
        let revisions = if self.thin.is_some() {
            &[][..]
        } else {
            &bg.revisions[..]
        };
        for rev in revisions {
            let at = moment(&rev.valid_from)?;
            if let Some(p) = &rev.description {
                self.text(goal.id, GoalSection::Description, p, at).await?;
            }
            if let Some(p) = &rev.expected_result {
                self.text(goal.id, GoalSection::ExpectedResult, p, at)
                    .await?;
            }
        }
        for (i, ind) in bg.indicators.iter().enumerate() {
            let id = self
                .indicator(year, goal.id, self.board, ind, self::position(i))
                .await?;
            if let Some(t) = &ind.board_target {
                self.w.set_target(id, self.board, &target(t)?).await?;
            }
            if let Some(k) = &ind.key {
                keys.indicators.insert(k.clone(), id);
            }
        }
        if self.thin.is_none() {
            for (i, a) in bg.activities.iter().enumerate() {
                self.activity(year, goal.id, self.board, a, self::position(i), keys)
                    .await?;
            }
        }
        Ok(())
    }

    async fn department_goal(
        &mut self,
        year: Year,
        dg: &DepartmentGoalData,
        position: i64,
        from: OffsetDateTime,
        keys: &mut YearKeys,
    ) -> Result<(), StoreError> {
        let owner = self.node(&dg.department)?;
        let parent = keys.goal(&dg.parent)?;
        let goal = self
            .create_goal(NewGoal {
                year,
                level: GoalLevel::Department,
                owner_id: owner,
                parent_id: Some(parent),
                number: None,
                title: dg.title.clone(),
                position,
            })
            .await?;
        keys.goals.insert(dg.key.clone(), goal.id);
        self.text(goal.id, GoalSection::Description, &dg.description, from)
            .await?;
        self.text(
            goal.id,
            GoalSection::ExpectedResult,
            &dg.expected_result,
            from,
        )
        .await?;
        if self.thin.is_none() {
            for (i, a) in dg.activities.iter().enumerate() {
                self.activity(year, goal.id, owner, a, self::position(i), keys)
                    .await?;
            }
        }
        Ok(())
    }

    async fn unit_year(
        &mut self,
        year: Year,
        unit: NodeId,
        u: &UnitYearData,
        from: OffsetDateTime,
        keys: &YearKeys,
    ) -> Result<(), StoreError> {
        // The plan records what it contains: the board goals, council indicators and board
        // activities the unit chose, its department's goals, and everything of its own.
        let plan = self.w.create_plan(unit, year).await?;
        let mut contents = Contents::default();
        for g in &u.select_goals {
            contents.goals.insert(keys.goal(g)?);
        }
        if self.thin.is_none() {
            for a in &u.select_activities {
                contents
                    .activities
                    .insert(keys.activity(a)?, ActivityEntry::default());
            }
        }
        for i in &u.select_indicators {
            contents
                .indicators
                .insert(keys.indicator(i)?, IndicatorEntry::default());
        }
        for t in &u.targets {
            contents.indicators.insert(
                keys.indicator(&t.indicator)?,
                IndicatorEntry::with_target(Some(target(&t.target)?)),
            );
        }
        if let Some(department) = self.w.node(unit).await?.and_then(|n| n.parent_id) {
            for g in self.w.goals_owned_by(year, &[department]).await? {
                contents.goals.insert(g.id);
                for a in self.w.activities_on(g.id).await? {
                    contents.activities.insert(a.id, ActivityEntry::default());
                }
            }
        }
        // Unit goals' own activities need no keys; a scratch map keeps `keys` read-only.
        let mut scratch = YearKeys::default();
        for (gi, g) in u.goals.iter().enumerate() {
            let parent = keys.goal(&g.parent)?;
            let goal = self
                .create_goal(NewGoal {
                    year,
                    level: GoalLevel::Unit,
                    owner_id: unit,
                    parent_id: Some(parent),
                    number: None,
                    title: g.title.clone(),
                    position: position(gi),
                })
                .await?;
            contents.goals.insert(goal.id);
            let sections: [(GoalSection, &[String]); 5] = [
                (GoalSection::ExpectedResult, &g.expected_result),
                (GoalSection::WorkingMethods, &g.working_methods),
                (GoalSection::ResourceUse, &g.resource_use),
                (GoalSection::FollowUp, &g.follow_up),
                (GoalSection::Development, &g.development),
            ];
            for (section, paragraphs) in sections {
                self.text(goal.id, section, paragraphs, from).await?;
            }
            for (i, ind) in g.indicators.iter().enumerate() {
                if self
                    .thin
                    .as_ref()
                    .is_some_and(|t| t.new_then.contains(&(u.unit.clone(), ind.name.clone())))
                {
                    continue;
                }
                let id = self
                    .indicator(year, goal.id, unit, ind, position(i))
                    .await?;
                let own = ind.target.as_deref().map(target).transpose()?;
                contents
                    .indicators
                    .insert(id, IndicatorEntry::with_target(own));
            }
            if self.thin.is_some() {
                continue;
            }
            for (i, a) in g.activities.iter().enumerate() {
                let id = self
                    .activity(year, goal.id, unit, a, position(i), &mut scratch)
                    .await?;
                contents.activities.insert(id, ActivityEntry::default());
            }
        }
        // The board's own indicators hang on the board goals the plan shows.
        let shown_goals: Vec<GoalId> = contents.goals.iter().copied().collect();
        for g in shown_goals {
            let goal = self.w.goal(g).await?;
            if let Some(parent) = goal.and_then(|g| g.parent_id) {
                contents.goals.insert(parent);
            }
        }
        for g in contents.goals.clone() {
            if self
                .w
                .goal(g)
                .await?
                .is_some_and(|g| g.level == GoalLevel::Board)
            {
                for i in self.w.indicators_on(g).await? {
                    contents.indicators.entry(i.id).or_default();
                }
            }
        }
        self.w
            .set_contents(DocRef::Plan(plan.id), &contents)
            .await?;
        if self.thin.is_some() {
            return Ok(());
        }
        let template = default_plan_template();
        if let Some(key) = u
            .plan
            .keys()
            .find(|k| !template.iter().any(|t| &t.key == *k))
        {
            return Err(corrupt(format!(
                "avsnittet {key:?} finns inte i planens mall"
            )));
        }
        // In the template's order, so that the audit trail reads like the plan.
        for section in &template {
            let Some(paragraphs) = u.plan.get(&section.key) else {
                continue;
            };
            if paragraphs.is_empty() {
                return Err(corrupt(format!("tomt avsnitt {:?} i planen", section.key)));
            }
            self.w
                .save_plan_section(plan.id, &section.key, &body(paragraphs), 0)
                .await?;
        }
        Ok(())
    }

    /// Writes a follow-up report of a unit's plan as the old system's import would: its
    /// texts, an assessment of every goal the plan shows, the outcomes of its indicators,
    /// what became of its activities and the complaints table (see [`Loader::resolve`]).
    /// For a report whose plan is not approved, which a person could not create.
    async fn report(
        &mut self,
        r: &ReportData,
        keys: &YearKeys,
        table: &[ComplaintGroupData],
        progress: &(dyn Fn(&str) + Sync),
    ) -> Result<(), StoreError> {
        let unit = self.node(&r.unit)?;
        let name = self.unit_name(unit);
        let what = format!("{} {} för {name}", r.kind.label(), r.year);
        progress(&format!(
            "Uppföljning {}: {} för {name} …",
            r.year,
            r.kind.label().to_lowercase()
        ));
        let plan = self
            .w
            .plan(unit, r.year)
            .await?
            .ok_or_else(|| corrupt(format!("{name} har ingen plan för {}", r.year)))?;
        let report = self
            .w
            .ensure_report(plan.id, r.kind, moment(&r.written_at)?)
            .await?;
        // A report follows up what its plan contains.
        let planned = self.w.contents(DocRef::Plan(plan.id)).await?;
        self.w
            .set_contents(DocRef::Report(report.id), &planned)
            .await?;
        // What the report shows: the unit's cascade as it stood when the report was written.
        let doc = self
            .w
            .report_document(unit, r.year, r.kind)
            .await?
            .ok_or_else(|| corrupt(format!("{what} saknas")))?;
        let resolved = resolve(r, &doc, keys, table, &what)?;
        self.w
            .set_report_sections(report.id, &resolved.sections)
            .await?;
        for a in &resolved.assessments {
            self.w.set_goal_assessment(report.id, a).await?;
        }
        for o in &resolved.outcomes {
            self.w.set_indicator_outcome(report.id, o).await?;
        }
        for f in &resolved.followups {
            self.w.set_activity_followup(report.id, f).await?;
        }
        self.w
            .set_complaints(report.id, &resolved.complaints)
            .await?;
        self.reports += 1;
        Ok(())
    }
}

/// A report of the data with its references resolved against what the report shows.
struct Resolved {
    sections: Vec<ReportSection>,
    assessments: Vec<GoalAssessment>,
    outcomes: Vec<IndicatorOutcome>,
    followups: Vec<ActivityFollowUp>,
    complaints: Vec<ComplaintRow>,
}

/// Resolves a report of the data against the document it fills (`doc`, as it stands when
/// written) and checks it: an annual report must cover every goal, indicator and activity
/// the unit sees; a tertial report every goal and every indicator followed up per tertial;
/// a deviation is explained.
fn resolve(
    r: &ReportData,
    doc: &malkedja_domain::ReportDocument,
    keys: &YearKeys,
    table: &[ComplaintGroupData],
    what: &str,
) -> Result<Resolved, StoreError> {
    let what = what.to_string();
    let shown = Shown::of(&doc.goals);
    let annual = r.kind == ReportKind::AnnualReport;

    let mut sections = Vec::new();
    for s in &r.sections {
        if s.body.is_empty() {
            return Err(corrupt(format!("tomt avsnitt {:?} i {what}", s.heading)));
        }
        sections.push(ReportSection {
            key: malkedja_domain::section_key(&s.heading),
            version: 0,
            heading: s.heading.clone(),
            body: body(&s.body),
            placement: s.placement,
        });
    }

    let mut assessed = HashSet::new();
    let mut assessments = Vec::new();
    for a in &r.goals {
        let goal = shown.goal(keys, &a.goal, &what)?;
        if !assessed.insert(goal) {
            return Err(corrupt(format!(
                "målet {:?} bedöms två gånger i {what}",
                a.goal
            )));
        }
        assessments.push(GoalAssessment {
            goal_id: goal,
            assessment: Some(a.assessment),
            analysis: optional_body(&a.analysis),
        });
    }
    if let Some(g) = shown.goals.iter().find(|g| !assessed.contains(&g.goal.id)) {
        return Err(corrupt(format!(
            "{what} saknar en bedömning av målet {:?}",
            g.goal.title
        )));
    }

    let period = format!("{} {}", r.kind.slug().to_uppercase(), r.year);
    let mut reported = HashSet::new();
    let mut outcomes = Vec::new();
    for o in &r.indicators {
        let indicator = shown.indicator(keys, &o.indicator, &what)?;
        if !reported.insert(indicator) {
            return Err(corrupt(format!(
                "indikatorn {:?} har två utfall i {what}",
                o.indicator
            )));
        }
        outcomes.push(IndicatorOutcome {
            indicator_id: indicator,
            outcome: Some(Measure::parse(&o.outcome)),
            men: o.men.clone(),
            women: o.women.clone(),
            previous: o.previous.clone(),
            period: Some(period.clone()),
            analysis: optional_body(&o.analysis),
        });
    }
    if let Some((_, n, _)) = shown
        .indicators
        .iter()
        .find(|(id, _, p)| (annual || *p == Periodicity::Tertial) && !reported.contains(id))
    {
        return Err(corrupt(format!(
            "{what} saknar utfall för indikatorn {n:?}"
        )));
    }

    let mut followed = HashSet::new();
    let mut followups = Vec::new();
    for f in &r.activities {
        let activity = shown.activity(keys, &f.activity, &what)?;
        if !followed.insert(activity) {
            return Err(corrupt(format!(
                "aktiviteten {:?} följs upp två gånger i {what}",
                f.activity
            )));
        }
        if f.status == Some(ActivityStatus::Deviation) && f.analysis.is_empty() {
            return Err(corrupt(format!(
                "avvikelsen {:?} i {what} saknar analys",
                f.activity
            )));
        }
        if annual && f.status.is_none() {
            return Err(corrupt(format!(
                "aktiviteten {:?} saknar status i {what}",
                f.activity
            )));
        }
        followups.push(ActivityFollowUp {
            activity_id: activity,
            status: f.status,
            analysis: optional_body(&f.analysis),
        });
    }
    if annual
        && let Some((_, t)) = shown
            .activities
            .iter()
            .find(|(id, _)| !followed.contains(id))
    {
        return Err(corrupt(format!(
            "{what} saknar status för aktiviteten {t:?}"
        )));
    }

    let complaints = complaint_rows(table, r.kind, &r.complaints, &what)?;
    Ok(Resolved {
        sections,
        assessments,
        outcomes,
        followups,
        complaints,
    })
}

/// The goals, indicators and activities a report shows, to resolve the data's references.
struct Shown<'a> {
    goals: Vec<&'a CascadeGoal>,
    indicators: Vec<(IndicatorId, String, Periodicity)>,
    activities: Vec<(ActivityId, String)>,
}

impl<'a> Shown<'a> {
    fn of(roots: &'a [CascadeGoal]) -> Shown<'a> {
        let goals: Vec<&CascadeGoal> = roots.iter().flat_map(|g| g.walk()).collect();
        let indicators = goals
            .iter()
            .flat_map(|g| &g.indicators)
            .map(|i| {
                (
                    i.indicator.id,
                    i.indicator.name.clone(),
                    i.indicator.periodicity,
                )
            })
            .collect();
        let activities = goals
            .iter()
            .flat_map(|g| &g.activities)
            .map(|a| (a.id, a.title.clone()))
            .collect();
        Shown {
            goals,
            indicators,
            activities,
        }
    }

    /// The one item a reference names: by key when the year has that key, else by text.
    fn pick<Id: Copy + PartialEq>(
        by_key: Option<Id>,
        items: impl Iterator<Item = (Id, bool)>,
        reference: &str,
        kind: &str,
        what: &str,
    ) -> Result<Id, StoreError> {
        let found: Vec<Id> = match by_key {
            Some(id) => items.filter(|(i, _)| *i == id).map(|(i, _)| i).collect(),
            None => items.filter(|(_, hit)| *hit).map(|(i, _)| i).collect(),
        };
        match found.as_slice() {
            [one] => Ok(*one),
            [] => Err(corrupt(format!("{kind} {reference:?} visas inte i {what}"))),
            _ => Err(corrupt(format!(
                "{kind} {reference:?} är tvetydigt i {what}"
            ))),
        }
    }

    fn goal(&self, keys: &YearKeys, reference: &str, what: &str) -> Result<GoalId, StoreError> {
        let items = self.goals.iter().map(|g| {
            let hit = g.goal.title == reference || g.goal.number.as_deref() == Some(reference);
            (g.goal.id, hit)
        });
        Self::pick(
            keys.goals.get(reference).copied(),
            items,
            reference,
            "målet",
            what,
        )
    }

    fn indicator(
        &self,
        keys: &YearKeys,
        reference: &str,
        what: &str,
    ) -> Result<IndicatorId, StoreError> {
        let items = self
            .indicators
            .iter()
            .map(|(id, name, _)| (*id, name == reference));
        Self::pick(
            keys.indicators.get(reference).copied(),
            items,
            reference,
            "indikatorn",
            what,
        )
    }

    fn activity(
        &self,
        keys: &YearKeys,
        reference: &str,
        what: &str,
    ) -> Result<ActivityId, StoreError> {
        let items = self
            .activities
            .iter()
            .map(|(id, title)| (*id, title == reference));
        Self::pick(
            keys.activities.get(reference).copied(),
            items,
            reference,
            "aktiviteten",
            what,
        )
    }
}

/// The report's complaints table: every row of the data's table, with the report's counts
/// (zeros where it has none) for the tertials it covers and their sum as the total.
fn complaint_rows(
    table: &[ComplaintGroupData],
    kind: ReportKind,
    complaints: &[ComplaintData],
    what: &str,
) -> Result<Vec<ComplaintRow>, StoreError> {
    let periods = match kind {
        ReportKind::Tertial1 => 1,
        ReportKind::Tertial2 => 2,
        ReportKind::AnnualReport => 3,
    };
    let mut given: HashMap<&str, &ComplaintData> = HashMap::new();
    for c in complaints {
        if !table
            .iter()
            .flat_map(|g| &g.rows)
            .any(|row| row.key == c.row)
        {
            return Err(corrupt(format!("okänd rad {:?} i {what}", c.row)));
        }
        if c.counts.len() != periods || c.counts.iter().any(|n| *n < 0) {
            return Err(corrupt(format!(
                "raden {:?} i {what} ska ha {periods} antal som inte är negativa",
                c.row
            )));
        }
        if given.insert(c.row.as_str(), c).is_some() {
            return Err(corrupt(format!(
                "raden {:?} finns två gånger i {what}",
                c.row
            )));
        }
    }
    let zeros = vec![0; periods];
    let mut rows = Vec::new();
    for group in table {
        for row in &group.rows {
            let c = given.get(row.key.as_str());
            let counts = c.map_or(zeros.as_slice(), |c| c.counts.as_slice());
            rows.push(ComplaintRow {
                group: group.group.clone(),
                category: row.category.clone(),
                t1: counts.first().copied(),
                t2: counts.get(1).copied(),
                annual: counts.get(2).copied(),
                total: Some(counts.iter().sum()),
                assessment: c.and_then(|c| c.assessment.clone()),
            });
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_data_parses() {
        let data = parse().expect("demo data parses");
        assert_eq!(
            data.years.iter().map(|y| y.year).collect::<Vec<_>>(),
            [2025, 2026]
        );
        check_reports(&data).expect("the reports refer to years and units of the data");
        assert!(
            data.reports
                .iter()
                .any(|r| r.kind == ReportKind::AnnualReport)
        );
        check_accounts(&data).expect("the demo accounts' units and passwords");
        let template: Vec<String> = default_plan_template().into_iter().map(|t| t.key).collect();
        for y in &data.years {
            for u in &y.units {
                for key in u.plan.keys() {
                    assert!(template.contains(key), "{key} is a template key");
                }
            }
        }
    }

    /// The plans that show the workflow are other units' than the unit manager's, whose
    /// newest plan stays a draft to write in.
    #[test]
    fn the_workflow_is_shown_in_other_units() {
        let data = parse().expect("demo data parses");
        let newest = data.years.last().expect("a year");
        for key in [SUBMITTED_UNIT, RETURNED_UNIT] {
            assert!(
                newest.units.iter().any(|u| u.unit == key),
                "{key} has a plan"
            );
            for a in &DEMO_ACCOUNTS {
                if matches!(a.role, Role::UnitManager | Role::UnitWriter) {
                    assert_ne!(a.scope, Scope::Unit(key), "{}", a.email);
                }
            }
        }
        assert_ne!(SUBMITTED_UNIT, RETURNED_UNIT);
        assert!(
            malkedja_domain::plan_transition(
                PlanStatus::Submitted,
                PlanStatus::Returned,
                RETURN_COMMENT
            )
            .is_ok()
        );
    }

    #[test]
    fn one_demo_account_per_role() {
        let roles: Vec<Role> = DEMO_ACCOUNTS.iter().map(|a| a.role).collect();
        assert_eq!(roles, Role::ALL);
        let emails: HashSet<&str> = DEMO_ACCOUNTS.iter().map(|a| a.email).collect();
        assert_eq!(emails.len(), DEMO_ACCOUNTS.len());
        for a in &DEMO_ACCOUNTS {
            assert!(a.email.ends_with("@demo.malkedja.se"), "{}", a.email);
            assert!(
                malkedja_domain::check_password(a.password).is_ok(),
                "{}",
                a.password
            );
        }
        let manager = DEMO_ACCOUNTS.iter().find(|a| a.role == Role::UnitManager);
        let writer = DEMO_ACCOUNTS.iter().find(|a| a.role == Role::UnitWriter);
        let reader = DEMO_ACCOUNTS.iter().find(|a| a.role == Role::Reader);
        let scope = |a: Option<&AccountSpec>| a.map(|a| a.scope);
        assert_eq!(scope(manager), scope(writer));
        assert_ne!(scope(manager), scope(reader));
        assert!(matches!(scope(reader), Some(Scope::Unit(_))));
    }
}
