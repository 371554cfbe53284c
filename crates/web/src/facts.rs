//! The facts a plan states about its unit (Fakta om enheten): managers, staff by role and
//! gender, clients, budget, the staff meetings where the plan is presented, and each
//! operation's clients, staff and budget. The page `/enheter/{id}/planer/{year}/fakta`.
//!
//! Totals are computed, never typed: the page shows the sums of staff per gender and role
//! and of the operations' figures from the rows. Rows are added without JavaScript ("Lägg
//! till rad" sends the form and shows it again with one more row, nothing saved). All the
//! facts of the page are saved together, each row with the version it was read at: a stale
//! one is a conflict that shows what is saved now beside what was typed, which stays in the
//! form. Who may write is the policy's answer (`Action::WriteUnitText`); a submitted or
//! approved plan's facts are shown read-only.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, HtmlError};
use crate::forms::{FormErrors, respond};
use crate::params::PagePath;
use crate::plan_sections::{closed_reason, path_parts, plan_crumbs, writable_unit};
use crate::views::{Crumb, FactsView, budget_text};
use askama::Template;
use axum::extract::{Form, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use malkedja_domain::{
    Decimal, Manager, NodeId, StaffCount, StaffMeeting, UnitFacts, format_decimal_sv,
    parse_amount_kr, parse_decimal_sv,
};
use malkedja_store::{PlanFacts, StoreError};
use std::collections::HashMap;

/// Empty rows shown below the filled ones of the unit's tables (one for an operation's).
const EXTRA_ROWS: usize = 2;

/// The id of the form (the error summary links to it for what concerns the whole form).
const FORM: &str = "fakta";

/// One text field of the form.
pub struct Input {
    /// Its `id` and `name`.
    pub id: String,
    pub label: String,
    /// The label is read by assistive technology only (a column heading shows it).
    pub hidden_label: bool,
    pub value: String,
    pub numeric: bool,
    pub error: Option<String>,
}

impl Input {
    fn new(id: String, label: String, value: String) -> Input {
        Input {
            id,
            label,
            hidden_label: false,
            value,
            numeric: false,
            error: None,
        }
    }

    fn in_table(mut self) -> Input {
        self.hidden_label = true;
        self
    }

    fn numeric(mut self) -> Input {
        self.numeric = true;
        self
    }
}

pub struct ManagerRow {
    pub title: Input,
    pub name: Input,
}

pub struct StaffRow {
    pub role: Input,
    pub women: Input,
    pub men: Input,
    /// Computed from the row: women and men.
    pub total: String,
}

pub struct MeetingRow {
    pub date: Input,
    pub label: Input,
}

/// The staff of a unit or an operation: rows and the sums computed from them.
pub struct StaffTable {
    /// What the row fields' ids begin with ("" for the unit, "op-12-" for an operation).
    pub prefix: String,
    pub caption: String,
    pub rows: Vec<StaffRow>,
    pub women: i64,
    pub men: i64,
    pub total: i64,
}

pub struct OperationForm {
    pub id: i64,
    pub name: String,
    /// "Avvecklad 2025-04-01" when the operation is closed.
    pub closed: Option<String>,
    pub version_field: String,
    pub version: i64,
    pub clients: Input,
    pub clients_label: Input,
    pub budget: Input,
    pub staff: StaffTable,
    /// What is stored and not on this page (the operation's managers and meetings),
    /// kept as it is.
    stored: Option<UnitFacts>,
}

/// A line of the operations' summary: computed from what the page holds.
pub struct OperationSum {
    pub name: String,
    pub clients: String,
    pub staff: i64,
    pub budget: String,
}

/// The facts saved now, shown beside the form after a conflict: the unit's, then each
/// operation's with its name.
type Theirs = (Option<FactsView>, Vec<(String, Option<FactsView>)>);

#[derive(Template)]
#[template(path = "facts.html")]
struct FactsPage {
    crumbs: Vec<Crumb>,
    unit: String,
    year: i32,
    action: String,
    back: String,
    closed: Option<String>,
    version: i64,
    managers: Vec<ManagerRow>,
    staff: StaffTable,
    clients: Input,
    clients_label: Input,
    budget: Input,
    meetings: Vec<MeetingRow>,
    operations: Vec<OperationForm>,
    sums: Vec<OperationSum>,
    sum_clients: i64,
    sum_staff: i64,
    sum_budget: String,
    errors: FormErrors,
    /// After a conflict: the facts saved now.
    theirs: Option<Theirs>,
    saved: bool,
}

/// What the form sent, by field name.
type Sent = HashMap<String, String>;

fn sent_value(sent: &Sent, id: &str) -> String {
    sent.get(id).cloned().unwrap_or_default()
}

/// How many rows of a table the form sent: one more than the highest row number of a
/// field whose id begins with `prefix` (e.g. "roll-").
fn rows_sent(sent: &Sent, prefixes: &[String]) -> usize {
    sent.keys()
        .filter_map(|k| {
            prefixes
                .iter()
                .find_map(|p| k.strip_prefix(p.as_str()))
                .and_then(|n| n.parse::<usize>().ok())
        })
        .map(|n| n + 1)
        .max()
        .unwrap_or(0)
        .min(200)
}

/// How many rows a table shows: what is stored and `extra` empty rows; after a post, the
/// rows that were sent (at least `extra`); one more when its "Lägg till rad" was pressed.
fn row_count(
    sent: Option<&Sent>,
    prefixes: &[String],
    stored: usize,
    extra: usize,
    add: bool,
) -> usize {
    let n = match sent {
        Some(s) => rows_sent(s, prefixes).max(extra),
        None => stored + extra,
    };
    n + usize::from(add)
}

/// The operations the page shows: those open during the plan's year, and any with facts
/// for it.
fn shown_operations(
    found: &PlanFacts,
) -> impl Iterator<Item = &(malkedja_domain::OrgNode, Option<UnitFacts>)> {
    let year = found.plan.year;
    found.operations.iter().filter(move |(node, facts)| {
        facts.is_some() || node.closed.is_none_or(|d| d.year() >= year)
    })
}

fn kr_text(b: Decimal) -> String {
    format!("{} kr", format_decimal_sv(b))
}

/// A whole number from 0 as typed: `Ok(None)` when empty.
fn count(raw: &str, what: &str) -> Result<Option<i64>, String> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match parse_decimal_sv(t) {
        Some(d) if d.is_sign_negative() && !d.is_zero() => Err(format!(
            "{what} kan inte vara negativt; «{t}» är mindre än noll."
        )),
        Some(d) if d.fract().is_zero() => d
            .trunc()
            .normalize()
            .to_string()
            .parse::<i64>()
            .map(Some)
            .map_err(|_| format!("{what} är för stort.")),
        _ => Err(format!(
            "{what} ska vara ett heltal, till exempel 12; «{t}» är inget heltal."
        )),
    }
}

/// A staff table from what is stored, or what was `sent`, with `extra` empty rows (see
/// [`row_count`]).
fn staff_table(
    prefix: &str,
    caption: String,
    stored: &[StaffCount],
    sent: Option<&Sent>,
    extra: usize,
    add: bool,
) -> StaffTable {
    let n = row_count(
        sent,
        &[
            format!("{prefix}roll-"),
            format!("{prefix}kvinnor-"),
            format!("{prefix}man-"),
        ],
        stored.len(),
        extra,
        add,
    );
    let mut rows = Vec::new();
    for i in 0..n {
        let (role, women, men) = match sent {
            Some(s) => (
                sent_value(s, &format!("{prefix}roll-{i}")),
                sent_value(s, &format!("{prefix}kvinnor-{i}")),
                sent_value(s, &format!("{prefix}man-{i}")),
            ),
            None => stored
                .get(i)
                .map(|s| (s.role.clone(), s.women.to_string(), s.men.to_string()))
                .unwrap_or_default(),
        };
        let row = i + 1;
        rows.push(StaffRow {
            role: Input::new(
                format!("{prefix}roll-{i}"),
                format!("Yrkesroll, rad {row}"),
                role,
            )
            .in_table(),
            women: Input::new(
                format!("{prefix}kvinnor-{i}"),
                format!("Kvinnor, rad {row}"),
                women,
            )
            .in_table()
            .numeric(),
            men: Input::new(format!("{prefix}man-{i}"), format!("Män, rad {row}"), men)
                .in_table()
                .numeric(),
            total: String::new(),
        });
    }
    let mut table = StaffTable {
        prefix: prefix.to_string(),
        caption,
        rows,
        women: 0,
        men: 0,
        total: 0,
    };
    table.compute();
    table
}

impl StaffTable {
    /// The sums, from the rows' numbers that can be read (the rest count as nothing).
    fn compute(&mut self) {
        let read = |i: &Input| count(&i.value, "").ok().flatten().unwrap_or(0);
        let (mut women, mut men) = (0i64, 0i64);
        for r in &mut self.rows {
            let (w, m) = (read(&r.women), read(&r.men));
            women = women.saturating_add(w);
            men = men.saturating_add(m);
            let typed = !r.women.value.trim().is_empty() || !r.men.value.trim().is_empty();
            r.total = if typed {
                w.saturating_add(m).to_string()
            } else {
                String::new()
            };
        }
        self.women = women;
        self.men = men;
        self.total = women.saturating_add(men);
    }

    /// The staff the rows say, or the errors beside the fields.
    fn read(&mut self, errors: &mut FormErrors) -> Vec<StaffCount> {
        let mut out = Vec::new();
        for (i, r) in self.rows.iter_mut().enumerate() {
            let row = i + 1;
            let women = count(&r.women.value, &format!("Antalet kvinnor på rad {row}"));
            let men = count(&r.men.value, &format!("Antalet män på rad {row}"));
            let role = r.role.value.trim().to_string();
            if role.is_empty() && r.women.value.trim().is_empty() && r.men.value.trim().is_empty() {
                continue;
            }
            if role.is_empty() {
                r.role.error = Some(format!("Skriv yrkesrollen på rad {row}."));
            }
            if let Err(e) = &women {
                r.women.error = Some(e.clone());
            }
            if let Err(e) = &men {
                r.men.error = Some(e.clone());
            }
            for f in [&r.role, &r.women, &r.men] {
                if let Some(e) = &f.error {
                    errors.add(f.id.clone(), e.clone());
                }
            }
            if let (Ok(w), Ok(m), false) = (women, men, role.is_empty()) {
                out.push(StaffCount {
                    role,
                    women: w.unwrap_or(0),
                    men: m.unwrap_or(0),
                });
            }
        }
        out
    }
}

/// Reads a field and puts its message beside it when it cannot be read.
fn checked<T>(
    input: &mut Input,
    errors: &mut FormErrors,
    read: impl FnOnce(&str) -> Result<T, String>,
) -> Option<T> {
    match read(&input.value) {
        Ok(v) => Some(v),
        Err(e) => {
            errors.add(input.id.clone(), e.clone());
            input.error = Some(e);
            None
        }
    }
}

/// A budget as typed: `Ok(None)` when empty.
fn budget(raw: &str, what: &str) -> Result<Option<Decimal>, String> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match parse_amount_kr(t) {
        Some(d) if d.is_sign_negative() && !d.is_zero() => {
            Err(format!("{what} kan inte vara negativ."))
        }
        Some(d) => Ok(Some(d)),
        None => Err(format!(
            "{what} ska vara ett belopp, till exempel 21 400 000 kr, 850 tkr eller 21,4 mnkr; «{t}» är inget belopp."
        )),
    }
}

/// A date as typed, year-month-day.
fn date(raw: &str, what: &str) -> Result<malkedja_domain::Date, String> {
    let t = raw.trim();
    let parts: Vec<&str> = t.split('-').collect();
    let parsed = match parts.as_slice() {
        [y, m, d] => match (y.parse::<i32>(), m.parse::<u8>(), d.parse::<u8>()) {
            (Ok(y), Ok(m), Ok(d)) => time::Month::try_from(m)
                .ok()
                .and_then(|m| malkedja_domain::Date::from_calendar_date(y, m, d).ok()),
            _ => None,
        },
        _ => None,
    };
    parsed.ok_or_else(|| {
        if t.is_empty() {
            format!("Skriv datumet för {what}, till exempel 2026-01-27.")
        } else {
            format!(
                "Datumet för {what} ska skrivas år-månad-dag, till exempel 2026-01-27; «{t}» går inte att läsa som ett datum."
            )
        }
    })
}

fn iso(d: malkedja_domain::Date) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    d.format(&fmt).unwrap_or_default()
}

impl FactsPage {
    /// The page for the facts as stored (`sent` is `None`) or as sent, with `add` naming
    /// the table that gets one more row.
    fn new(
        chain: &[malkedja_domain::OrgNode],
        found: &PlanFacts,
        sent: Option<&Sent>,
        add: &str,
    ) -> FactsPage {
        let unit = &chain[0];
        let year = found.plan.year;
        let plan = format!("/enheter/{}/planer/{year}", unit.id);
        let empty = UnitFacts::empty(unit.id, year);
        let f = found.facts.as_ref().unwrap_or(&empty);
        let value = |id: &str, stored: String| match sent {
            Some(s) => sent_value(s, id),
            None => stored,
        };

        let n = row_count(
            sent,
            &["chef-titel-".into(), "chef-namn-".into()],
            f.managers.len(),
            EXTRA_ROWS,
            add == "chefer",
        );
        let managers = (0..n)
            .map(|i| {
                let stored = f.managers.get(i);
                ManagerRow {
                    title: Input::new(
                        format!("chef-titel-{i}"),
                        format!("Titel, rad {}", i + 1),
                        value(
                            &format!("chef-titel-{i}"),
                            stored.map(|m| m.title.clone()).unwrap_or_default(),
                        ),
                    )
                    .in_table(),
                    name: Input::new(
                        format!("chef-namn-{i}"),
                        format!("Namn, rad {}", i + 1),
                        value(
                            &format!("chef-namn-{i}"),
                            stored.map(|m| m.name.clone()).unwrap_or_default(),
                        ),
                    )
                    .in_table(),
                }
            })
            .collect();

        let n = row_count(
            sent,
            &["apt-datum-".into(), "apt-grupp-".into()],
            f.staff_meetings.len(),
            EXTRA_ROWS,
            add == "apt",
        );
        let meetings = (0..n)
            .map(|i| {
                let stored = f.staff_meetings.get(i);
                MeetingRow {
                    date: Input::new(
                        format!("apt-datum-{i}"),
                        format!("Datum, rad {}", i + 1),
                        value(
                            &format!("apt-datum-{i}"),
                            stored.map(|m| iso(m.date)).unwrap_or_default(),
                        ),
                    )
                    .in_table(),
                    label: Input::new(
                        format!("apt-grupp-{i}"),
                        format!("Verksamhet eller grupp, rad {}", i + 1),
                        value(
                            &format!("apt-grupp-{i}"),
                            stored.map(|m| m.label.clone()).unwrap_or_default(),
                        ),
                    )
                    .in_table(),
                }
            })
            .collect();

        let operations = shown_operations(found)
            .map(|(node, stored)| {
                let p = format!("op-{}-", node.id);
                let empty = UnitFacts::empty(node.id, year);
                let o = stored.as_ref().unwrap_or(&empty);
                let version_field = format!("{p}version");
                OperationForm {
                    id: node.id.0,
                    name: node.name.clone(),
                    closed: node.closed_text(),
                    version: o.version,
                    clients: Input::new(
                        format!("{p}brukare"),
                        "Antal".into(),
                        value(
                            &format!("{p}brukare"),
                            o.clients.map(|c| c.to_string()).unwrap_or_default(),
                        ),
                    )
                    .numeric(),
                    clients_label: Input::new(
                        format!("{p}benamning"),
                        "Kallas".into(),
                        value(&format!("{p}benamning"), o.clients_label.clone()),
                    ),
                    budget: Input::new(
                        format!("{p}budget"),
                        format!("Budget {year} för {}", node.name),
                        value(
                            &format!("{p}budget"),
                            o.budget_kr.map(kr_text).unwrap_or_default(),
                        ),
                    ),
                    staff: staff_table(
                        &p,
                        format!("Medarbetare i {} efter yrkesroll och kön", node.name),
                        &o.staff,
                        sent,
                        1,
                        add == p.trim_end_matches('-'),
                    ),
                    version_field,
                    stored: stored.clone(),
                }
            })
            .collect();

        let mut page = FactsPage {
            crumbs: plan_crumbs(chain, year),
            unit: unit.name.clone(),
            year,
            action: format!("{plan}/fakta"),
            back: plan,
            closed: closed_reason(found.plan.status),
            version: f.version,
            managers,
            staff: staff_table(
                "",
                format!("Medarbetare {year} efter yrkesroll och kön"),
                &f.staff,
                sent,
                EXTRA_ROWS,
                add == "medarbetare",
            ),
            clients: Input::new(
                "brukare".into(),
                "Antal".into(),
                value(
                    "brukare",
                    f.clients.map(|c| c.to_string()).unwrap_or_default(),
                ),
            )
            .numeric(),
            clients_label: Input::new(
                "benamning".into(),
                "Kallas".into(),
                value("benamning", f.clients_label.clone()),
            ),
            budget: Input::new(
                "budget".into(),
                format!("Budget {year}"),
                value("budget", f.budget_kr.map(kr_text).unwrap_or_default()),
            ),
            meetings,
            operations,
            sums: Vec::new(),
            sum_clients: 0,
            sum_staff: 0,
            sum_budget: String::new(),
            errors: FormErrors::default(),
            theirs: None,
            saved: false,
        };
        page.compute_sums();
        page
    }

    /// The operations' summary, from what the page holds.
    fn compute_sums(&mut self) {
        let (mut clients, mut staff, mut budget_sum) = (0i64, 0i64, Decimal::ZERO);
        self.sums = self
            .operations
            .iter()
            .map(|o| {
                let c = count(&o.clients.value, "").ok().flatten();
                let b = budget(&o.budget.value, "").ok().flatten();
                clients = clients.saturating_add(c.unwrap_or(0));
                staff = staff.saturating_add(o.staff.total);
                budget_sum = budget_sum
                    .checked_add(b.unwrap_or_default())
                    .unwrap_or(budget_sum);
                OperationSum {
                    name: o.name.clone(),
                    clients: c
                        .map(|c| format!("{c} {}", o.clients_label.value.trim()))
                        .unwrap_or_default(),
                    staff: o.staff.total,
                    budget: b.map(budget_text).unwrap_or_default(),
                }
            })
            .collect();
        self.sum_clients = clients;
        self.sum_staff = staff;
        self.sum_budget = budget_text(budget_sum);
    }

    /// The facts the form says, for the unit and then each operation, or the errors beside
    /// the fields.
    fn read(&mut self, unit: NodeId, versions: &HashMap<String, i64>) -> Option<Vec<UnitFacts>> {
        let mut errors = FormErrors::default();
        let year = self.year;
        let mut managers = Vec::new();
        for (i, r) in self.managers.iter_mut().enumerate() {
            let (title, name) = (r.title.value.trim(), r.name.value.trim());
            match (title.is_empty(), name.is_empty()) {
                (true, true) => {}
                (false, false) => managers.push(Manager {
                    title: title.into(),
                    name: name.into(),
                }),
                (true, false) => {
                    checked::<()>(&mut r.title, &mut errors, |_| {
                        Err(format!(
                            "Skriv chefens titel på rad {}, till exempel Enhetschef.",
                            i + 1
                        ))
                    });
                }
                (false, true) => {
                    checked::<()>(&mut r.name, &mut errors, |_| {
                        Err(format!("Skriv chefens namn på rad {}.", i + 1))
                    });
                }
            }
        }
        let staff = self.staff.read(&mut errors);
        let clients = checked(&mut self.clients, &mut errors, |v| {
            count(v, "Antalet brukare eller deltagare")
        })
        .flatten();
        let budget_kr = checked(&mut self.budget, &mut errors, |v| budget(v, "Budgeten")).flatten();
        let mut staff_meetings = Vec::new();
        for (i, r) in self.meetings.iter_mut().enumerate() {
            if r.date.value.trim().is_empty() && r.label.value.trim().is_empty() {
                continue;
            }
            let what = format!("arbetsplatsträffen på rad {}", i + 1);
            if let Some(d) = checked(&mut r.date, &mut errors, |v| date(v, &what)) {
                staff_meetings.push(StaffMeeting {
                    date: d,
                    label: r.label.value.trim().to_string(),
                });
            }
        }
        let label = |i: &Input| {
            let t = i.value.trim();
            if t.is_empty() {
                "brukare".to_string()
            } else {
                t.to_string()
            }
        };
        let mut out = vec![UnitFacts {
            node_id: unit,
            year,
            managers,
            staff,
            clients,
            clients_label: label(&self.clients_label),
            budget_kr,
            staff_meetings,
            version: versions.get("version").copied().unwrap_or(0),
        }];
        for o in &mut self.operations {
            let name = o.name.clone();
            let staff = o.staff.read(&mut errors);
            let clients = checked(&mut o.clients, &mut errors, |v| {
                count(v, &format!("Antalet brukare eller deltagare i {name}"))
            })
            .flatten();
            let budget_kr = checked(&mut o.budget, &mut errors, |v| {
                budget(v, &format!("Budgeten för {name}"))
            })
            .flatten();
            let node = NodeId(o.id);
            let mut f = o
                .stored
                .clone()
                .unwrap_or_else(|| UnitFacts::empty(node, year));
            f.staff = staff;
            f.clients = clients;
            f.clients_label = label(&o.clients_label);
            f.budget_kr = budget_kr;
            f.version = versions.get(&o.version_field).copied().unwrap_or(0);
            out.push(f);
        }
        self.errors = errors;
        self.errors.is_empty().then_some(out)
    }
}

/// The unit, after the policy has let the caller write its texts, and its plan's facts:
/// 404 for a unit or plan that does not exist.
async fn load(
    state: &AppState,
    caller: &Caller,
    id: NodeId,
    year: i32,
) -> Result<(Vec<malkedja_domain::OrgNode>, PlanFacts), AppError> {
    let chain = writable_unit(state, caller, id).await?;
    let found = state
        .store
        .plan_facts(id, year)
        .await?
        .ok_or_else(|| AppError::no_plan(&chain[0].name, year))?;
    Ok((chain, found))
}

pub async fn form(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year)): PagePath<(String, String)>,
    uri: Uri,
) -> Result<Response, HtmlError> {
    let (id, year) = path_parts(&raw_id, &raw_year)?;
    let (chain, found) = load(&state, &caller, id, year).await?;
    let mut page = FactsPage::new(&chain, &found, None, "");
    page.saved = uri
        .query()
        .is_some_and(|q| q.split('&').any(|p| p == "sparat"));
    Ok(respond(StatusCode::OK, &page)?)
}

/// The versions the form says it started from: the unit's (`version`) and each
/// operation's (`op-{id}-version`); `None` when one is missing or not a number.
fn versions(found: &PlanFacts, sent: &Sent) -> Option<HashMap<String, i64>> {
    let read = |k: &str| -> Option<(String, i64)> {
        let v = sent
            .get(k)?
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|v| *v >= 0)?;
        Some((k.to_string(), v))
    };
    let mut out: HashMap<String, i64> = HashMap::new();
    out.extend(read("version"));
    let mut wanted = 1;
    for (node, _) in shown_operations(found) {
        let k = format!("op-{}-version", node.id);
        out.extend(read(&k));
        wanted += 1;
    }
    (out.len() == wanted).then_some(out)
}

pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year)): PagePath<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, HtmlError> {
    let (id, year) = path_parts(&raw_id, &raw_year)?;
    let person = caller.require_person()?;
    let (chain, found) = load(&state, &caller, id, year).await?;
    let sent: Sent = pairs.into_iter().collect();
    let add = sent.get("rad").cloned().unwrap_or_default();
    let mut page = FactsPage::new(&chain, &found, Some(&sent), &add);
    let versions = versions(&found, &sent);
    if let Some(v) = &versions {
        page.version = v.get("version").copied().unwrap_or(page.version);
        for o in &mut page.operations {
            o.version = v.get(&o.version_field).copied().unwrap_or(o.version);
        }
    }
    if let Some(why) = page.closed.clone() {
        page.errors.add(FORM, why);
        return Ok(respond(StatusCode::CONFLICT, &page)?);
    }
    if !add.is_empty() {
        // One more row, nothing saved.
        return Ok(respond(StatusCode::OK, &page)?);
    }
    let facts = page.read(id, versions.as_ref().unwrap_or(&HashMap::new()));
    if versions.is_none() {
        page.errors.add(
            FORM,
            "Formuläret saknade uppgiften om vilken version av uppgifterna du utgick från, så inget sparades. Se över uppgifterna och spara igen.",
        );
    }
    let (Some(facts), Some(_)) = (facts.filter(|_| page.errors.is_empty()), &versions) else {
        return Ok(respond(StatusCode::UNPROCESSABLE_ENTITY, &page)?);
    };
    let saved = async {
        let mut w = state.store.begin_write(&person.who.email).await?;
        w.save_plan_facts(found.plan.id, &facts).await?;
        w.commit().await
    }
    .await;
    match saved {
        Ok(()) => Ok(Redirect::to(&format!("{}?sparat", page.action)).into_response()),
        Err(StoreError::Conflict { .. }) => {
            let (chain, now) = load(&state, &caller, id, year).await?;
            let mut page = FactsPage::new(&chain, &now, Some(&sent), "");
            if let Some(why) = page.closed.clone() {
                page.errors.add(FORM, why);
                return Ok(respond(StatusCode::CONFLICT, &page)?);
            }
            page.theirs = Some((
                now.facts.as_ref().map(FactsView::new),
                now.operations
                    .iter()
                    .map(|(n, f)| (n.name.clone(), f.as_ref().map(FactsView::new)))
                    .collect(),
            ));
            page.errors.add(
                FORM,
                "Någon annan har sparat uppgifter om enheten medan du skrev, så dina ändringar är inte sparade. Det som är sparat nu visas under rubriken Sparat nu; det du skrev finns kvar i formuläret. Spara igen om dina uppgifter ska gälla.",
            );
            Ok(respond(StatusCode::CONFLICT, &page)?)
        }
        Err(StoreError::Locked(why)) => {
            page.closed = Some(why.clone());
            page.errors.add(FORM, why);
            Ok(respond(StatusCode::CONFLICT, &page)?)
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_whole_numbers_from_zero() {
        assert_eq!(count(" 12 ", "Antalet"), Ok(Some(12)));
        assert_eq!(count("1 200", "Antalet"), Ok(Some(1200)));
        assert_eq!(count("", "Antalet"), Ok(None));
        assert_eq!(count("3,0", "Antalet"), Ok(Some(3)));
        assert!(count("2,5", "Antalet").unwrap_err().contains("heltal"));
        assert!(
            count("ca 12", "Antalet")
                .unwrap_err()
                .contains("«ca 12» är inget heltal")
        );
        assert!(count("-3", "Antalet").unwrap_err().contains("negativt"));
        assert!(count("99999999999999999999999", "Antalet").is_err());
    }

    #[test]
    fn budgets_are_amounts() {
        assert_eq!(
            budget("850 tkr", "Budgeten"),
            Ok(Some(Decimal::from(850_000)))
        );
        assert_eq!(budget(" ", "Budgeten"), Ok(None));
        assert!(
            budget("ca 300 tkr", "Budgeten")
                .unwrap_err()
                .contains("«ca 300 tkr» är inget belopp")
        );
        assert!(budget("-5 kr", "Budgeten").unwrap_err().contains("negativ"));
    }

    #[test]
    fn dates_are_year_month_day() {
        assert_eq!(iso(date("2026-1-7", "x").unwrap()), "2026-01-07");
        assert!(
            date("27 januari", "x")
                .unwrap_err()
                .contains("«27 januari»")
        );
        assert!(date("2026-02-30", "x").is_err());
        assert!(date("", "x").unwrap_err().starts_with("Skriv datumet"));
    }

    #[test]
    fn rows_are_counted_from_the_fields_sent() {
        let sent: Sent = [("roll-0", "a"), ("kvinnor-3", "2"), ("man-x", "1")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(rows_sent(&sent, &["roll-".into(), "kvinnor-".into()]), 4);
        assert_eq!(rows_sent(&sent, &["apt-datum-".into()]), 0);
    }
}
