//! "Mitt arbete" on the start page of a signed-in person: the plans they write (not yet
//! approved), with status, the next deadline and a return's comment; the plans waiting for
//! them to approve; the follow-up reports they write (with status, deadline, whether they
//! are late and how many parts are ready, and the next report of an approved plan to
//! create) and those waiting for them to approve; and for a controller each unit in scope
//! against the plan deadline of the newest planning year (not started, draft, submitted,
//! approved, late), with links to the roll-ups of the units' reports at the top of their
//! scope. What a person
//! sees is what the policy lets them do on each unit's chain.

use crate::AppState;
use crate::auth::Caller;
use crate::error::AppError;
use malkedja_domain::{
    Action, Completion, DeadlineKind, NodeId, OrgKind, OrgNode, Plan, PlanStatus, Report,
    ReportKind, Standing, Transition, Year, administration_of, chains,
};

/// How many of an open report's parts are marked ready.
async fn report_completion(
    state: &AppState,
    unit: NodeId,
    year: Year,
    report: &Report,
) -> Result<Option<Completion>, AppError> {
    let Some(doc) = state.store.report_document(unit, year, report.kind).await? else {
        return Ok(None);
    };
    let marks = state
        .store
        .ready_marks_of(malkedja_store::DocRef::Report(report.id))
        .await?;
    let marked: std::collections::HashSet<_> = marks.into_iter().map(|m| m.part).collect();
    Ok(Some(Completion::of(
        malkedja_domain::report_parts(&doc),
        &marked,
    )))
}
use std::collections::HashMap;

/// One plan in a list of "Mitt arbete".
pub struct PlanItem {
    pub unit: String,
    pub year: Year,
    pub status: &'static str,
    pub href: String,
    /// "Planen: 2026-11-15"
    pub deadline: Option<String>,
    /// The controller's comment when the plan was returned.
    pub returned: Option<String>,
    /// How many of its parts are marked ready ("12 av 15 delar klara").
    pub completion: Option<Completion>,
}

/// One unit against the deadline of the year followed.
pub struct UnitStanding {
    pub unit: String,
    pub href: String,
    pub standing: &'static str,
    pub code: &'static str,
    pub deadline: Option<String>,
}

/// One follow-up report in a list of "Mitt arbete": one to write, to approve, or to
/// create (the next report of an approved plan).
pub struct ReportItem {
    pub unit: String,
    /// "Tertialrapport 1 2026".
    pub title: String,
    /// "Utkast", "Inskickad", or "Inte skapad".
    pub status: &'static str,
    pub href: String,
    /// The administration's deadline for the report.
    pub deadline: Option<String>,
    /// Not with the controller, and the deadline has passed.
    pub late: bool,
    /// The controller's comment when the report was returned.
    pub returned: Option<String>,
    pub completion: Option<Completion>,
    /// The report does not exist yet: the button that creates it (address, text).
    pub create: Option<(String, String)>,
}

pub struct MyWork {
    pub to_write: Vec<PlanItem>,
    pub to_approve: Vec<PlanItem>,
    pub reports_to_write: Vec<ReportItem>,
    pub reports_to_approve: Vec<ReportItem>,
    /// The year a controller follows, and each unit in scope.
    pub year: Option<Year>,
    pub standings: Vec<UnitStanding>,
    /// The roll-ups of the boards, administrations and departments at the top of what the
    /// person may read drafts of.
    pub rollups: Vec<RollupLinks>,
}

/// A node's roll-ups: the reports of the newest year and last year's annual report.
pub struct RollupLinks {
    pub node: String,
    /// (label, address)
    pub links: Vec<(String, String)>,
}

/// The nodes with a roll-up on which the person may read drafts, without those under
/// another such node: the top of their scope.
fn rollups(caller: &Caller, nodes: &[OrgNode], newest: Year) -> Vec<RollupLinks> {
    use malkedja_domain::{ReportKind, has_rollup};
    let chains = chains(nodes);
    let kinds: HashMap<NodeId, OrgKind> = nodes.iter().map(|n| (n.id, n.kind)).collect();
    let reads = |id: NodeId| {
        kinds.get(&id).is_some_and(|k| has_rollup(*k))
            && chains
                .get(&id)
                .is_some_and(|c| caller.may(Action::ReadDraft, c))
    };
    let mut out = Vec::new();
    for n in malkedja_domain::build_tree(nodes)
        .iter()
        .flat_map(|t| t.walk())
        .filter(|n| reads(n.id) && !n.parent_id.is_some_and(reads))
    {
        let mut links: Vec<(String, String)> = ReportKind::ALL
            .iter()
            .map(|k| {
                (
                    format!("{} {newest}", k.label()),
                    crate::rollup::href(n.id, newest, *k),
                )
            })
            .collect();
        links.push((
            format!("{} {}", ReportKind::AnnualReport.label(), newest - 1),
            crate::rollup::href(n.id, newest - 1, ReportKind::AnnualReport),
        ));
        out.push(RollupLinks {
            node: n.name.clone(),
            links,
        });
    }
    out
}

fn standing_code(s: Standing) -> &'static str {
    match s {
        Standing::NotStarted => "not-started",
        Standing::Draft => "draft",
        Standing::Submitted => "submitted",
        Standing::Approved => "approved",
        Standing::Late => "late",
    }
}

/// What the signed-in person has to do; `None` for a visitor.
pub async fn load(
    state: &AppState,
    caller: &Caller,
    nodes: &[OrgNode],
) -> Result<Option<MyWork>, AppError> {
    if caller.person().is_none() {
        return Ok(None);
    }
    let years = state.store.years().await?;
    let Some(&newest) = years.iter().max() else {
        return Ok(Some(MyWork {
            to_write: Vec::new(),
            to_approve: Vec::new(),
            reports_to_write: Vec::new(),
            reports_to_approve: Vec::new(),
            year: None,
            standings: Vec::new(),
            rollups: Vec::new(),
        }));
    };
    let today = time::OffsetDateTime::now_utc().date();
    // Plans of last year and later: older ones are settled.
    let plans = state.store.plans_from(newest - 1).await?;
    let deadlines: HashMap<(NodeId, Year), malkedja_domain::Deadlines> = {
        let mut all = HashMap::new();
        for y in [newest - 1, newest] {
            for d in state.store.deadlines_of_year(y).await? {
                all.insert((d.admin_id, y), d);
            }
        }
        all
    };
    let chains = chains(nodes);
    let units: Vec<&OrgNode> = nodes
        .iter()
        .filter(|n| n.kind == OrgKind::Unit && n.closed.is_none())
        .collect();
    let plan_deadline = |chain: &[OrgNode], year: Year| {
        administration_of(chain)
            .and_then(|a| deadlines.get(&(a, year)))
            .and_then(|d| d.plan)
    };
    let report_deadline = |chain: &[OrgNode], year: Year, kind: ReportKind| {
        administration_of(chain)
            .and_then(|a| deadlines.get(&(a, year)))
            .and_then(|d| d.get(DeadlineKind::of_report(kind)))
    };
    let reports = state.store.reports_from(newest - 1).await?;
    let mut reports_to_write = Vec::new();
    let mut reports_to_approve = Vec::new();
    let mut to_write = Vec::new();
    let mut to_approve = Vec::new();
    let mut standings = Vec::new();
    for unit in &units {
        let Some(chain) = chains.get(&unit.id) else {
            continue;
        };
        let writes = caller.may(Action::WriteUnitText, chain);
        let approves = caller.may(Action::Approve, chain);
        if !writes && !approves {
            continue;
        }
        let theirs: Vec<&Plan> = plans.iter().filter(|p| p.unit_id == unit.id).collect();
        // Completion of the unit's plans, read once per unit that has a plan to show.
        let mut completions: Option<HashMap<malkedja_domain::PlanId, Completion>> = None;
        for plan in &theirs {
            let shown = (writes && plan.status.open_for_writing())
                || (approves && plan.status == PlanStatus::Submitted);
            if !shown {
                continue;
            }
            if completions.is_none() {
                completions = Some(
                    state
                        .store
                        .plan_overview(unit.id)
                        .await?
                        .into_iter()
                        .map(|o| (o.plan.id, o.completion))
                        .collect(),
                );
            }
            let completion = completions.as_ref().and_then(|c| c.get(&plan.id)).cloned();
            let item = || async {
                let returned = if plan.status == PlanStatus::Returned {
                    state
                        .store
                        .plan_transitions(plan.id)
                        .await?
                        .into_iter()
                        .rev()
                        .find(|t| t.transition == Transition::Return)
                        .and_then(|t| t.comment)
                } else {
                    None
                };
                Ok::<_, AppError>(PlanItem {
                    unit: unit.name.clone(),
                    year: plan.year,
                    status: plan.status.label(),
                    href: format!("/enheter/{}/planer/{}", unit.id, plan.year),
                    deadline: plan_deadline(chain, plan.year).map(|d| d.to_string()),
                    returned,
                    completion: completion.clone(),
                })
            };
            if writes && plan.status.open_for_writing() {
                to_write.push(item().await?);
            }
            if approves && plan.status == PlanStatus::Submitted {
                to_approve.push(item().await?);
            }
        }
        for plan in &theirs {
            let of_plan: Vec<&Report> = reports.iter().filter(|r| r.plan_id == plan.id).collect();
            for r in &of_plan {
                let to_write = writes && r.status.open_for_writing();
                let to_approve = approves && r.status == PlanStatus::Submitted;
                if !to_write && !to_approve {
                    continue;
                }
                let deadline = report_deadline(chain, plan.year, r.kind);
                let mut item = ReportItem {
                    unit: unit.name.clone(),
                    title: format!("{} {}", r.kind.label(), plan.year),
                    status: r.status.label(),
                    href: crate::pages::report_href(unit.id, plan.year, r.kind),
                    deadline: deadline.map(malkedja_domain::date_text),
                    late: Standing::of(Some(r.status), deadline, today) == Standing::Late,
                    returned: None,
                    completion: None,
                    create: None,
                };
                if to_write {
                    item.completion = report_completion(state, unit.id, plan.year, r).await?;
                    if r.status == PlanStatus::Returned {
                        item.returned = state
                            .store
                            .report_transitions(r.id)
                            .await?
                            .into_iter()
                            .rev()
                            .find(|t| t.transition == Transition::Return)
                            .and_then(|t| t.comment);
                    }
                    reports_to_write.push(item);
                } else {
                    reports_to_approve.push(item);
                }
            }
            // The first report of an approved plan that the unit has not made yet.
            if writes && plan.status == PlanStatus::Approved {
                let next = ReportKind::ALL
                    .into_iter()
                    .find(|k| !of_plan.iter().any(|r| r.kind == *k));
                if let Some(kind) = next {
                    let deadline = report_deadline(chain, plan.year, kind);
                    let href = crate::pages::report_href(unit.id, plan.year, kind);
                    reports_to_write.push(ReportItem {
                        unit: unit.name.clone(),
                        title: format!("{} {}", kind.label(), plan.year),
                        status: "Inte skapad",
                        deadline: deadline.map(malkedja_domain::date_text),
                        late: Standing::of(None, deadline, today) == Standing::Late,
                        returned: None,
                        completion: None,
                        create: Some((
                            href.clone(),
                            crate::report_writing::create_label(kind, plan.year),
                        )),
                        href,
                    });
                }
            }
        }
        if approves {
            let plan = theirs.iter().find(|p| p.year == newest);
            let deadline = plan_deadline(chain, newest);
            let standing = Standing::of(plan.map(|p| p.status), deadline, today);
            standings.push(UnitStanding {
                unit: unit.name.clone(),
                href: match plan {
                    Some(_) => format!("/enheter/{}/planer/{newest}", unit.id),
                    None => format!("/enheter/{}", unit.id),
                },
                standing: standing.label(),
                code: standing_code(standing),
                deadline: deadline.map(|d| d.to_string()),
            });
        }
    }
    Ok(Some(MyWork {
        to_write,
        to_approve,
        reports_to_write,
        reports_to_approve,
        year: Some(newest),
        standings,
        rollups: rollups(caller, nodes, newest),
    }))
}
