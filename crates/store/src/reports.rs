//! Writing follow-up reports (T1, T2, the annual report) by people: creating a report from
//! the unit's approved plan, prefilled from the previous report of the year; versioned
//! writes of goal assessments, indicator outcomes, activity statuses, the report's own
//! sections and its economy; and the report's workflow (Utkast → Inskickad → Fastställd,
//! with return and reopening).
//!
//! The importer's writes of the same rows are in `followup.rs`; an imported report is read
//! and written here like any other. Every write checks what it writes with the domain's
//! rules ([`malkedja_domain::check_outcome`], [`check_activity_status`],
//! [`economy_amount`]), states the version it started from (0 while nothing is written; a
//! stale one is [`StoreError::Conflict`]) and is audited. A report that is submitted or
//! approved, or whose unit is closed, is not written ([`StoreError::Locked`]).

use crate::document::{DocRef, contents};
use crate::read::query;
use crate::versioned::VersionedRow;
use crate::workflow::WriteAs;
use crate::writer::PendingAudit;
use crate::{Store, StoreError, Writer, followup, now_text, parse_timestamp, read};
use malkedja_domain::{
    ActivityFollowUp, ActivityId, ActivityStatus, Assessment, CascadeGoal, Contents, Decimal,
    EconomyLineView, FollowUpError, GoalAssessment, GoalId, IndicatorId, IndicatorOutcome, NodeId,
    OrgKind, Periodicity, Plan, PlanPart, PlanStatus, Report, ReportDocument, ReportEconomy,
    ReportKind, ReportSection, Transition, ValueKind, WorkflowDoc, Year, check_activity_status,
    check_errors, check_outcome, check_report, due_in, economy_amount, report_template,
    workflow_step,
};
use serde::Serialize;
use sqlx::Row;
use std::collections::{HashMap, HashSet};
use std::str::FromStr;
use time::OffsetDateTime;

type R<T> = Result<T, StoreError>;

/// Why a person may not write a report now, in Swedish; `None` when they may.
pub fn report_locked_reason(status: PlanStatus) -> Option<&'static str> {
    match status {
        PlanStatus::Draft | PlanStatus::Returned => None,
        PlanStatus::Submitted => Some(
            "Rapporten är inskickad och ligger hos controllern; den kan inte ändras nu. Be controllern återremittera den om något behöver ändras.",
        ),
        PlanStatus::Approved => Some(
            "Rapporten är fastställd och kan inte ändras. En administratör kan öppna den igen.",
        ),
    }
}

/// Which report a new one starts from: T2 from T1, the annual report from T2 (or T1 when
/// there is no T2).
pub fn previous_kinds(kind: ReportKind) -> &'static [ReportKind] {
    match kind {
        ReportKind::Tertial1 => &[],
        ReportKind::Tertial2 => &[ReportKind::Tertial1],
        ReportKind::AnnualReport => &[ReportKind::Tertial2, ReportKind::Tertial1],
    }
}

/// An economy as a person sends it: the figures per operation as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EconomyInput {
    pub lines: Vec<EconomyLineInput>,
    pub analysis: Option<String>,
    pub investments: Option<String>,
    pub premises: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EconomyLineInput {
    pub operation_id: NodeId,
    pub budget: Option<String>,
    pub forecast: Option<String>,
    pub outcome: Option<String>,
}

/// A goal's assessment as a person writes it, from the version they started from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentWrite {
    pub goal: GoalId,
    pub expected: i64,
    pub assessment: Option<Assessment>,
    pub analysis: Option<String>,
}

/// An indicator's outcome as a person types it (value, women, men), with its analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeWrite {
    pub indicator: IndicatorId,
    pub expected: i64,
    pub value: Option<String>,
    pub women: Option<String>,
    pub men: Option<String>,
    pub analysis: Option<String>,
}

/// An activity's status and analysis as a person writes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusWrite {
    pub activity: ActivityId,
    pub expected: i64,
    pub status: Option<ActivityStatus>,
    pub analysis: Option<String>,
}

/// One of a report's own sections, by its key, as a person writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionWrite {
    pub key: String,
    pub expected: i64,
    pub body: String,
}

/// What [`Writer::write_follow_up`] writes in one go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowUpWrites {
    pub sections: Vec<SectionWrite>,
    pub assessments: Vec<AssessmentWrite>,
    pub outcomes: Vec<OutcomeWrite>,
    pub statuses: Vec<StatusWrite>,
}

/// One step a report took in its workflow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportTransitionRecord {
    pub id: i64,
    pub report_id: i64,
    pub transition: Transition,
    pub from: PlanStatus,
    pub to: PlanStatus,
    pub actor: String,
    pub comment: Option<String>,
    pub at: OffsetDateTime,
}

/// A report found by its id, with the plan it follows up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRef {
    pub report: Report,
    pub plan: Plan,
}

fn clean(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn decimal_text(d: Option<Decimal>) -> Option<String> {
    d.map(|d| d.normalize().to_string())
}

fn stored_decimal(s: Option<String>) -> R<Option<Decimal>> {
    s.map(|s| Decimal::from_str(&s).map_err(|_| StoreError::Corrupt(format!("belopp {s:?}"))))
        .transpose()
}

async fn report_ref(c: &mut sqlx::AnyConnection, id: i64) -> R<Option<ReportRef>> {
    let Some(report) = followup::report_by_id(c, id).await? else {
        return Ok(None);
    };
    let plan = read::plan_by_id(c, report.plan_id)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("rapport {id} utan plan")))?;
    Ok(Some(ReportRef { report, plan }))
}

/// A report's economy: a line per operation of `unit` (in the tree's order; those without
/// figures too), the texts, the totals computed. One query.
pub(crate) async fn economy(
    c: &mut sqlx::AnyConnection,
    report: i64,
    unit: NodeId,
) -> R<ReportEconomy> {
    // One row per operation of the unit, or a single row when it has none; the economy's
    // own row repeated on each.
    let rows = query(
        "SELECT e.version, e.analysis, e.investments, e.premises, n.id, n.name, n.position,                 l.budget_text, l.budget_value, l.forecast_text, l.forecast_value, l.outcome_text, l.outcome_value          FROM report r          LEFT JOIN report_economy e ON e.report_id = r.id          LEFT JOIN org_node n ON n.parent_id = $2 AND n.kind = $3          LEFT JOIN report_economy_line l ON l.report_id = r.id AND l.operation_id = n.id          WHERE r.id = $1",
    )
    .bind(report)
    .bind(unit.0)
    .bind(OrgKind::Operation.code())
    .fetch_all(&mut *c)
    .await?;
    let mut head = (0, None, None, None);
    let mut lines: Vec<(i64, EconomyLineView)> = Vec::new();
    for r in &rows {
        if let Some(version) = r.try_get::<Option<i64>, _>(0)? {
            head = (version, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?);
        }
        let Some(id) = r.try_get::<Option<i64>, _>(4)? else {
            continue;
        };
        let mut line = EconomyLineView::unwritten(NodeId(id), r.try_get(5)?);
        line.budget_text = r.try_get(7)?;
        line.amounts.budget = stored_decimal(r.try_get(8)?)?;
        line.forecast_text = r.try_get(9)?;
        line.amounts.forecast = stored_decimal(r.try_get(10)?)?;
        line.outcome_text = r.try_get(11)?;
        line.amounts.outcome = stored_decimal(r.try_get(12)?)?;
        lines.push((r.try_get(6)?, line));
    }
    // The order of the tree's siblings (`read::children`).
    lines.sort_by(|(pa, a), (pb, b)| {
        pa.cmp(pb)
            .then_with(|| malkedja_domain::swedish_cmp(&a.operation_name, &b.operation_name))
    });
    let (version, analysis, investments, premises) = head;
    Ok(ReportEconomy::new(
        version,
        lines.into_iter().map(|(_, l)| l).collect(),
        analysis,
        investments,
        premises,
    ))
}

impl Store {
    /// A report by its id, with its plan.
    pub async fn report_by_id(&self, id: i64) -> R<Option<ReportRef>> {
        report_ref(&mut *self.conn().await?, id).await
    }

    /// A report's economy: a line per operation of its unit, totals computed.
    pub async fn report_economy(&self, report: i64) -> R<ReportEconomy> {
        let mut c = self.conn().await?;
        let r = report_ref(&mut c, report)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("rapport {report}")))?;
        economy(&mut c, report, r.plan.unit_id).await
    }

    /// Every report of the plans of `year` and later, by plan year and unit: what "Mitt
    /// arbete" lists. One query.
    pub async fn reports_from(&self, year: Year) -> R<Vec<Report>> {
        let mut c = self.conn().await?;
        let ids: Vec<i64> = query(
            "SELECT r.id FROM report r JOIN plan p ON p.id = r.plan_id WHERE p.year >= $1 ORDER BY p.year, p.unit_id, r.id",
        )
        .bind(i64::from(year))
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(r) = followup::report_by_id(&mut c, id).await? {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// What the unit's annual report of the year before `year` gave as each indicator's
    /// outcome, by the indicator's name (indicators are a year's own, so last year's
    /// counterpart is the one of the same name): what a writer sees as "last year's
    /// outcome" where the report itself states none. One query.
    pub async fn last_year_outcomes(&self, unit: NodeId, year: Year) -> R<HashMap<String, String>> {
        let rows = query(
            "SELECT i.name, o.outcome_text FROM indicator_outcome o \
             JOIN report r ON r.id = o.report_id JOIN plan p ON p.id = r.plan_id \
             JOIN indicator i ON i.id = o.indicator_id \
             WHERE p.unit_id = $1 AND p.year = $2 AND r.kind = $3 AND o.outcome_text IS NOT NULL",
        )
        .bind(unit.0)
        .bind(i64::from(year) - 1)
        .bind(ReportKind::AnnualReport.code())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let mut out = HashMap::new();
        for r in rows {
            let name: String = r.try_get(0)?;
            let text: String = r.try_get(1)?;
            if !text.trim().is_empty() {
                out.insert(name.trim().to_string(), text);
            }
        }
        Ok(out)
    }

    /// The steps a report took in its workflow, oldest first.
    pub async fn report_transitions(&self, report: i64) -> R<Vec<ReportTransitionRecord>> {
        report_transitions(&mut *self.conn().await?, report).await
    }
}

async fn report_transitions(
    c: &mut sqlx::AnyConnection,
    report: i64,
) -> R<Vec<ReportTransitionRecord>> {
    query(
        "SELECT id, report_id, from_status, to_status, actor, comment, at FROM report_transition WHERE report_id = $1 ORDER BY id",
    )
    .bind(report)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| {
        let status = |s: String| {
            PlanStatus::from_code(&s).ok_or_else(|| StoreError::Corrupt(format!("status {s:?}")))
        };
        let from = status(r.try_get("from_status")?)?;
        let to = status(r.try_get("to_status")?)?;
        Ok(ReportTransitionRecord {
            id: r.try_get("id")?,
            report_id: r.try_get("report_id")?,
            transition: Transition::between(from, to).ok_or_else(|| {
                StoreError::Corrupt(format!("övergång {} → {}", from.code(), to.code()))
            })?,
            from,
            to,
            actor: r.try_get("actor")?,
            comment: r.try_get("comment")?,
            at: parse_timestamp(&r.try_get::<String, _>("at")?)?,
        })
    })
    .collect()
}

impl Writer {
    async fn require_report_ref(&mut self, report: i64) -> R<ReportRef> {
        report_ref(&mut self.tx, report)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("rapport {report}")))
    }

    /// The report and its document, if a person may write it now: [`StoreError::Locked`]
    /// when it is submitted or approved or its unit is closed.
    async fn open_report(&mut self, report: i64) -> R<(ReportRef, ReportDocument)> {
        let r = self.require_report_ref(report).await?;
        if let Some(reason) = report_locked_reason(r.report.status) {
            return Err(StoreError::Locked(reason.to_string()));
        }
        let unit = self.require_node(r.plan.unit_id).await?;
        if let Some(closed) = unit.closed {
            return Err(StoreError::Locked(format!(
                "{} är avvecklad sedan {}; dess rapporter kan inte ändras.",
                unit.name,
                malkedja_domain::date_text(closed)
            )));
        }
        let doc = read::report_document(&mut self.tx, r.plan.unit_id, r.plan.year, r.report.kind)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("rapport {report}")))?;
        Ok((r, doc))
    }

    /// The report's document, if a person may write it now ([`StoreError::Locked`] when
    /// not).
    pub(crate) async fn require_report_open(&mut self, report: i64) -> R<ReportDocument> {
        Ok(self.open_report(report).await?.1)
    }

    /// Creates a unit's report of `kind` for `year` from its approved plan: every goal and
    /// activity of the plan and the indicators due in the period ([`due_in`]). It starts
    /// from the previous report of the year ([`previous_kinds`]): its goal assessments and
    /// activity statuses with their analyses, and its indicators' analyses, are copied and
    /// marked as prefilled until someone edits them. Refused with
    /// [`StoreError::NoApprovedPlan`] when the year has no approved plan, and with
    /// [`StoreError::Exists`] when the report exists.
    pub async fn create_report(&mut self, unit: NodeId, year: Year, kind: ReportKind) -> R<Report> {
        let node = self.require_node(unit).await?;
        let plan = match self.plan(unit, year).await? {
            Some(p) if p.status == PlanStatus::Approved => p,
            _ => {
                return Err(StoreError::NoApprovedPlan {
                    unit: node.name,
                    year,
                    kind,
                });
            }
        };
        self.create_report_from(&plan, &node.name, kind).await
    }

    /// [`Writer::create_report`] from a plan whatever its status: for the demo, whose
    /// newest plans show the plan's workflow while the year's first tertial is followed up.
    pub(crate) async fn create_report_from(
        &mut self,
        plan: &Plan,
        unit_name: &str,
        kind: ReportKind,
    ) -> R<Report> {
        let year = plan.year;
        if self.report(plan.id, kind).await?.is_some() {
            return Err(StoreError::Exists(format!(
                "{unit_name} har redan en {} för {year}; öppna den i stället.",
                kind.label().to_lowercase()
            )));
        }
        let plan_contents = contents(&mut self.tx, DocRef::Plan(plan.id)).await?;
        let ids: Vec<IndicatorId> = plan_contents.indicators.keys().copied().collect();
        let periodicity: HashMap<IndicatorId, Periodicity> =
            read::indicators_by_id(&mut self.tx, &ids)
                .await?
                .into_iter()
                .map(|i| (i.id, i.periodicity))
                .collect();
        let report_contents = Contents {
            goals: plan_contents.goals.clone(),
            indicators: plan_contents
                .indicators
                .iter()
                .filter(|(id, e)| {
                    let p = e
                        .periodicity
                        .or_else(|| periodicity.get(id).copied())
                        .unwrap_or(Periodicity::Year);
                    due_in(p, kind)
                })
                .map(|(id, e)| (*id, e.clone()))
                .collect(),
            activities: plan_contents.activities.clone(),
        };
        let report = self
            .ensure_report(plan.id, kind, OffsetDateTime::now_utc())
            .await?;
        self.set_contents_as(DocRef::Report(report.id), &report_contents, WriteAs::Person)
            .await?;
        let mut prefilled = 0;
        for prev in previous_kinds(kind) {
            if let Some((p, _)) = self.report(plan.id, *prev).await? {
                prefilled = self.prefill(p.id, report.id, &report_contents).await?;
                break;
            }
        }
        let after = self.require_report_ref(report.id).await?.report;
        #[derive(Serialize)]
        struct Created<'a> {
            report: &'a Report,
            prefilled: usize,
        }
        self.audit::<(), _>(
            "create_from_plan",
            "report",
            report.id,
            None,
            Some(&Created {
                report: &after,
                prefilled,
            }),
        )
        .await?;
        Ok(after)
    }

    /// Copies the previous report's assessments, statuses and indicator analyses into a
    /// new report, marked as prefilled. Returns how many rows were copied.
    async fn prefill(&mut self, from: i64, to: i64, contents: &Contents) -> R<usize> {
        let now = now_text();
        let goals = query(
            "INSERT INTO goal_assessment (report_id, goal_id, assessment, analysis, version, updated_at, prefilled) \
             SELECT $1, goal_id, assessment, analysis, 1, $2, 1 FROM goal_assessment WHERE report_id = $3",
        )
        .bind(to)
        .bind(now.clone())
        .bind(from)
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        let mut n = usize::try_from(goals).unwrap_or(0);
        let (_, statuses, _) = followup::assessments_and_followups(&mut self.tx, from).await?;
        for (activity, f) in statuses {
            if !contents.activities.contains_key(&activity) {
                continue;
            }
            query(
                "INSERT INTO activity_status (report_id, activity_id, status, analysis, version, updated_at, prefilled) VALUES ($1, $2, $3, $4, 1, $5, 1)",
            )
            .bind(to)
            .bind(activity.0)
            .bind(f.status.map(|s| s.code().to_string()))
            .bind(f.analysis)
            .bind(now.clone())
            .execute(&mut *self.tx)
            .await?;
            n += 1;
        }
        for (indicator, o) in followup::outcomes(&mut self.tx, from).await? {
            if !contents.indicators.contains_key(&indicator)
                || clean(o.analysis.as_deref()).is_none()
            {
                continue;
            }
            query(
                "INSERT INTO indicator_outcome (report_id, indicator_id, analysis, version, updated_at, prefilled) VALUES ($1, $2, $3, 1, $4, 1)",
            )
            .bind(to)
            .bind(indicator.0)
            .bind(o.analysis)
            .bind(now.clone())
            .execute(&mut *self.tx)
            .await?;
            n += 1;
        }
        Ok(n)
    }

    /// Writes a person's follow-up of a report in one go: sections, goal assessments,
    /// indicator outcomes and activity statuses, each from the version it started from,
    /// as [`Writer::write_report_section`], [`Writer::write_assessment`],
    /// [`Writer::write_outcome`] and [`Writer::write_activity_status`] write one (the same
    /// checks, the same audit events), reading the report once and writing the rows of a
    /// kind in a few statements. All or nothing: the first item that cannot be written is
    /// the error. Returns the sections as written.
    pub async fn write_follow_up(
        &mut self,
        report: i64,
        writes: &FollowUpWrites,
    ) -> R<Vec<ReportSection>> {
        let (r, doc) = self.open_report(report).await?;
        let now = now_text();
        let mut events = Vec::new();
        let goals: HashSet<GoalId> = doc
            .goals
            .iter()
            .flat_map(CascadeGoal::walk)
            .map(|g| g.goal.id)
            .collect();
        let indicators: HashMap<IndicatorId, (ValueKind, bool)> = doc
            .goals
            .iter()
            .flat_map(CascadeGoal::walk)
            .flat_map(|g| &g.indicators)
            .map(|v| (v.indicator.id, (v.indicator.value_kind, v.indicator.by_sex)))
            .collect();
        let activities: HashSet<ActivityId> = doc
            .goals
            .iter()
            .flat_map(CascadeGoal::walk)
            .flat_map(|g| &g.activities)
            .map(|a| a.id)
            .collect();

        let (section_rows, sections) = self
            .section_rows(report, r.report.kind, &doc.sections, &writes.sections, &now)
            .await?;
        for (s, before) in &sections {
            events.push(PendingAudit::new(
                "write_section",
                "report_section",
                format!("{report}/{}", s.key),
                before.as_ref(),
                Some(s),
            )?);
        }

        let mut assessment_rows = Vec::new();
        for a in &writes.assessments {
            if !goals.contains(&a.goal) {
                return Err(StoreError::NotFound(format!("mål {} i rapporten", a.goal)));
            }
            let after = GoalAssessment {
                goal_id: a.goal,
                assessment: a.assessment,
                analysis: clean(a.analysis.as_deref()),
            };
            let row = VersionedRow::insertable(
                "goal_assessment",
                format!("bedömningen av mål {}", a.goal),
            )
            .key("report_id", report)
            .key("goal_id", a.goal.0)
            .set("assessment", a.assessment.map(|a| a.code().to_string()))
            .set("analysis", after.analysis.clone())
            .set("prefilled", 0)
            .set("updated_at", now.clone());
            let found = doc.marks.goals.get(&a.goal).map_or(0, |m| m.version);
            assessment_rows.push((row, a.expected, found));
            events.push(PendingAudit::new(
                "assess",
                "goal_assessment",
                format!("{report}/{}", a.goal),
                doc.assessments.get(&a.goal),
                Some(&after),
            )?);
        }

        let mut outcome_rows = Vec::new();
        for o in &writes.outcomes {
            let Some((kind, by_sex)) = indicators.get(&o.indicator) else {
                return Err(StoreError::NotFound(format!(
                    "indikator {} i rapporten",
                    o.indicator
                )));
            };
            let checked = check_outcome(
                *kind,
                *by_sex,
                o.value.as_deref(),
                o.women.as_deref(),
                o.men.as_deref(),
            )
            .map_err(|mut e| StoreError::FollowUp(e.remove(0).1))?;
            let before = doc.outcomes.get(&o.indicator);
            let after = IndicatorOutcome {
                indicator_id: o.indicator,
                outcome: checked.value,
                women: checked.women,
                men: checked.men,
                previous: before.and_then(|b| b.previous.clone()),
                period: before.and_then(|b| b.period.clone()),
                analysis: clean(o.analysis.as_deref()),
            };
            let row = VersionedRow::insertable(
                "indicator_outcome",
                format!("utfallet för indikator {}", o.indicator),
            )
            .key("report_id", report)
            .key("indicator_id", o.indicator.0)
            .set(
                "outcome_text",
                after.outcome.as_ref().map(|m| m.text.clone()),
            )
            .set(
                "outcome_value",
                after
                    .outcome
                    .as_ref()
                    .and_then(|m| m.value)
                    .map(|v| v.to_string()),
            )
            .set("women_text", after.women.clone())
            .set("men_text", after.men.clone())
            .set("analysis", after.analysis.clone())
            .set("prefilled", 0)
            .set("updated_at", now.clone());
            let found = doc
                .marks
                .indicators
                .get(&o.indicator)
                .map_or(0, |m| m.version);
            outcome_rows.push((row, o.expected, found));
            events.push(PendingAudit::new(
                "outcome",
                "indicator_outcome",
                format!("{report}/{}", o.indicator),
                before,
                Some(&after),
            )?);
        }

        let mut status_rows = Vec::new();
        for s in &writes.statuses {
            if !activities.contains(&s.activity) {
                return Err(StoreError::NotFound(format!(
                    "aktivitet {} i rapporten",
                    s.activity
                )));
            }
            check_activity_status(s.status, s.analysis.as_deref())?;
            let after = ActivityFollowUp {
                activity_id: s.activity,
                status: s.status,
                analysis: clean(s.analysis.as_deref()),
            };
            let row = VersionedRow::insertable(
                "activity_status",
                format!("uppföljningen av aktivitet {}", s.activity),
            )
            .key("report_id", report)
            .key("activity_id", s.activity.0)
            .set("status", s.status.map(|s| s.code().to_string()))
            .set("analysis", after.analysis.clone())
            .set("prefilled", 0)
            .set("updated_at", now.clone());
            let found = doc
                .marks
                .activities
                .get(&s.activity)
                .map_or(0, |m| m.version);
            status_rows.push((row, s.expected, found));
            events.push(PendingAudit::new(
                "status",
                "activity_status",
                format!("{report}/{}", s.activity),
                doc.followups.get(&s.activity),
                Some(&after),
            )?);
        }

        for rows in [section_rows, assessment_rows, outcome_rows, status_rows] {
            self.write_versioned_many(rows).await?;
        }
        self.audit_many(events).await?;
        // Every part written is no longer known to be done: its ready mark goes (one read
        // of the report's marks, a delete for each mark that goes).
        let goal_of = |wanted: &dyn Fn(&CascadeGoal) -> bool| {
            doc.goals
                .iter()
                .flat_map(CascadeGoal::walk)
                .find(|g| wanted(g))
                .map(|g| g.goal.id)
        };
        let mut parts: HashSet<PlanPart> = HashSet::new();
        parts.extend(writes.sections.iter().map(|w| PlanPart::section(&w.key)));
        parts.extend(writes.assessments.iter().map(|a| PlanPart::goal(a.goal)));
        for o in &writes.outcomes {
            let has = |g: &CascadeGoal| g.indicators.iter().any(|v| v.indicator.id == o.indicator);
            parts.extend(goal_of(&has).map(PlanPart::goal));
        }
        for st in &writes.statuses {
            let has = |g: &CascadeGoal| g.activities.iter().any(|a| a.id == st.activity);
            parts.extend(goal_of(&has).map(PlanPart::goal));
        }
        if !parts.is_empty() {
            for mark in crate::ready::ready_marks(&mut self.tx, DocRef::Report(report)).await? {
                if parts.contains(&mark.part) {
                    self.clear_ready_in(DocRef::Report(report), &mark.part)
                        .await?;
                }
            }
        }
        Ok(sections.into_iter().map(|(s, _)| s).collect())
    }

    /// The rows of the sections a batch writes, and each section as written with the
    /// section it replaces: an existing section at its position, a section of the report
    /// template not yet written after the last one.
    #[allow(clippy::type_complexity)]
    async fn section_rows(
        &mut self,
        report: i64,
        kind: ReportKind,
        existing: &[ReportSection],
        writes: &[SectionWrite],
        now: &str,
    ) -> R<(
        Vec<(VersionedRow, i64, i64)>,
        Vec<(ReportSection, Option<ReportSection>)>,
    )> {
        let (mut rows, mut out) = (Vec::new(), Vec::new());
        if writes.is_empty() {
            return Ok((rows, out));
        }
        let positions: Vec<i64> =
            query("SELECT position FROM report_section WHERE report_id = $1 ORDER BY position")
                .bind(report)
                .fetch_all(&mut *self.tx)
                .await?
                .iter()
                .map(|r| r.try_get(0))
                .collect::<Result<_, _>>()?;
        let mut next = positions.last().map_or(0, |p| p + 1);
        for w in writes {
            let (position, heading, placement, before) =
                match existing.iter().position(|s| s.key == w.key) {
                    Some(i) => {
                        let s = &existing[i];
                        let position = positions.get(i).copied().ok_or_else(|| {
                            StoreError::Corrupt(format!("avsnittet {:?} saknar plats", w.key))
                        })?;
                        (position, s.heading.clone(), s.placement, Some(s.clone()))
                    }
                    None => {
                        let Some(t) = report_template(kind).into_iter().find(|t| t.key == w.key)
                        else {
                            return Err(StoreError::NotFound(format!(
                                "avsnittet {:?} i rapporten",
                                w.key
                            )));
                        };
                        next += 1;
                        (next - 1, t.heading.to_string(), t.placement, None)
                    }
                };
            let found = before.as_ref().map_or(0, |s| s.version);
            rows.push((
                VersionedRow::insertable("report_section", format!("avsnittet {heading}"))
                    .key("report_id", report)
                    .key("position", position)
                    .set("body", w.body.clone())
                    .set("updated_at", now.to_string())
                    .on_insert("heading", heading.clone())
                    .on_insert("placement", placement.code()),
                w.expected,
                found,
            ));
            out.push((
                ReportSection {
                    key: w.key.clone(),
                    heading,
                    body: w.body.clone(),
                    placement,
                    version: found + 1,
                },
                before,
            ));
        }
        Ok((rows, out))
    }

    /// Writes a goal's assessment and analysis in a report, from `expected` (0 while none
    /// is written). The goal must be one the report shows.
    pub async fn write_assessment(
        &mut self,
        report: i64,
        goal: GoalId,
        expected: i64,
        assessment: Option<Assessment>,
        analysis: Option<&str>,
    ) -> R<i64> {
        let writes = FollowUpWrites {
            assessments: vec![AssessmentWrite {
                goal,
                expected,
                assessment,
                analysis: analysis.map(str::to_string),
            }],
            ..FollowUpWrites::default()
        };
        self.write_follow_up(report, &writes).await?;
        Ok(expected + 1)
    }

    /// Writes an indicator's outcome (value, women, men as typed) and analysis, from
    /// `expected`. Checked with [`check_outcome`] for the indicator's value kind and whether
    /// it is reported for women and men: the first problem is [`StoreError::FollowUp`].
    #[allow(clippy::too_many_arguments)]
    pub async fn write_outcome(
        &mut self,
        report: i64,
        indicator: IndicatorId,
        expected: i64,
        value: Option<&str>,
        women: Option<&str>,
        men: Option<&str>,
        analysis: Option<&str>,
    ) -> R<i64> {
        let own = |s: Option<&str>| s.map(str::to_string);
        let writes = FollowUpWrites {
            outcomes: vec![OutcomeWrite {
                indicator,
                expected,
                value: own(value),
                women: own(women),
                men: own(men),
                analysis: own(analysis),
            }],
            ..FollowUpWrites::default()
        };
        self.write_follow_up(report, &writes).await?;
        Ok(expected + 1)
    }

    /// Writes an activity's status and analysis, from `expected`. A deviation needs an
    /// analysis ([`check_activity_status`]).
    pub async fn write_activity_status(
        &mut self,
        report: i64,
        activity: ActivityId,
        expected: i64,
        status: Option<ActivityStatus>,
        analysis: Option<&str>,
    ) -> R<i64> {
        let writes = FollowUpWrites {
            statuses: vec![StatusWrite {
                activity,
                expected,
                status,
                analysis: analysis.map(str::to_string),
            }],
            ..FollowUpWrites::default()
        };
        self.write_follow_up(report, &writes).await?;
        Ok(expected + 1)
    }

    /// Writes one of the report's own sections by its key, from `expected` (0 for a
    /// section of the report template not yet written). A key that is neither a section
    /// of the report nor of its template is [`StoreError::NotFound`].
    pub async fn write_report_section(
        &mut self,
        report: i64,
        key: &str,
        expected: i64,
        body: &str,
    ) -> R<ReportSection> {
        let writes = FollowUpWrites {
            sections: vec![SectionWrite {
                key: key.to_string(),
                expected,
                body: body.to_string(),
            }],
            ..FollowUpWrites::default()
        };
        self.write_follow_up(report, &writes)
            .await?
            .pop()
            .ok_or_else(|| StoreError::NotFound(format!("avsnittet {key:?} i rapporten")))
    }

    /// Writes a report's economy, from `expected` (0 while none is written): the figures
    /// per operation of the unit (each checked with [`economy_amount`]; an operation not of
    /// the unit is [`StoreError::NotFound`]) and the texts. The lines are replaced; the
    /// totals are computed when read.
    pub async fn write_economy(
        &mut self,
        report: i64,
        expected: i64,
        input: &EconomyInput,
    ) -> R<ReportEconomy> {
        let (r, _) = self.open_report(report).await?;
        let unit = r.plan.unit_id;
        let before = economy(&mut self.tx, report, unit).await?;
        let ops: Vec<NodeId> = before.lines.iter().map(|l| l.operation_id).collect();
        let mut amounts = Vec::new();
        for l in &input.lines {
            if !ops.contains(&l.operation_id) {
                return Err(StoreError::NotFound(format!(
                    "verksamhet {} i enheten",
                    l.operation_id
                )));
            }
            let read =
                |t: &Option<String>| -> Result<(Option<String>, Option<Decimal>), FollowUpError> {
                    let text = clean(t.as_deref());
                    let value = match &text {
                        Some(t) => economy_amount(t)?,
                        None => None,
                    };
                    Ok((text, value))
                };
            amounts.push((
                l.operation_id,
                read(&l.budget)?,
                read(&l.forecast)?,
                read(&l.outcome)?,
            ));
        }
        let row = VersionedRow::insertable("report_economy", "rapportens ekonomi")
            .key("report_id", report)
            .set("analysis", clean(input.analysis.as_deref()))
            .set("investments", clean(input.investments.as_deref()))
            .set("premises", clean(input.premises.as_deref()))
            .set("updated_at", now_text());
        let found = self.stored_version(&row).await?;
        self.write_versioned(row, expected, found).await?;
        query("DELETE FROM report_economy_line WHERE report_id = $1")
            .bind(report)
            .execute(&mut *self.tx)
            .await?;
        for (op, (bt, bv), (ft, fv), (ot, ov)) in amounts {
            if bt.is_none() && ft.is_none() && ot.is_none() {
                continue;
            }
            query(
                "INSERT INTO report_economy_line (report_id, operation_id, budget_text, budget_value, forecast_text, forecast_value, outcome_text, outcome_value) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(report)
            .bind(op.0)
            .bind(bt)
            .bind(decimal_text(bv))
            .bind(ft)
            .bind(decimal_text(fv))
            .bind(ot)
            .bind(decimal_text(ov))
            .execute(&mut *self.tx)
            .await?;
        }
        self.clear_ready_in(DocRef::Report(report), &PlanPart::Economy)
            .await?;
        let after = economy(&mut self.tx, report, unit).await?;
        self.audit(
            "write_economy",
            "report_economy",
            report,
            Some(&before),
            Some(&after),
        )
        .await?;
        Ok(after)
    }

    /// Moves a report one step in its workflow, by the plan's rules
    /// ([`malkedja_domain::workflow_step`]: a return or a reopening needs a comment; a
    /// refusal names the report).
    /// A stale `expected_version` is [`StoreError::Conflict`]; a report in which the report
    /// check finds errors is not submitted ([`StoreError::ReportCheck`]). At approval the
    /// report is pinned to the goal texts it shows. The step is recorded and audited.
    pub async fn transition_report(
        &mut self,
        report: i64,
        expected_version: i64,
        to: PlanStatus,
        comment: &str,
    ) -> R<(Report, ReportTransitionRecord)> {
        let r = self.require_report_ref(report).await?;
        let before = r.report;
        if before.version != expected_version {
            return Err(StoreError::Conflict {
                entity: format!("rapporten {report}"),
                expected: expected_version,
                actual: before.version,
            });
        }
        let transition =
            workflow_step(WorkflowDoc::Report(before.kind), before.status, to, comment)?;
        let doc = read::report_document(&mut self.tx, r.plan.unit_id, r.plan.year, before.kind)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("rapport {report}")))?;
        if transition == Transition::Submit {
            let findings = check_report(&doc);
            if !check_errors(&findings).is_empty() {
                return Err(StoreError::ReportCheck(findings));
            }
        }
        let after = self.set_report_status(report, expected_version, to).await?;
        if transition == Transition::Approve {
            let shown: Vec<GoalId> = doc
                .goals
                .iter()
                .flat_map(CascadeGoal::walk)
                .map(|g| g.goal.id)
                .collect();
            let at = followup::report(&mut self.tx, r.plan.id, before.kind)
                .await?
                .map(|(_, at)| at)
                .unwrap_or_else(OffsetDateTime::now_utc);
            self.pin_goals(DocRef::Report(report), shown, at).await?;
        }
        let comment = clean(Some(comment));
        let at = now_text();
        let id: i64 = query(
            "INSERT INTO report_transition (report_id, from_status, to_status, actor, comment, at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(report)
        .bind(before.status.code())
        .bind(to.code())
        .bind(self.actor.clone())
        .bind(comment.clone())
        .bind(at.clone())
        .fetch_one(&mut *self.tx)
        .await?
        .try_get(0)?;
        let record = ReportTransitionRecord {
            id,
            report_id: report,
            transition,
            from: before.status,
            to,
            actor: self.actor.clone(),
            comment,
            at: parse_timestamp(&at)?,
        };
        self.audit("transition", "report", report, Some(&before), Some(&record))
            .await?;
        if transition == Transition::Approve && self.freezes() {
            // The archive copy, in the approval's own transaction, as for a plan: no
            // approval without it.
            self.freeze(DocRef::Report(report)).await?;
        }
        let after = self.require_report_ref(after.id).await?.report;
        Ok((after, record))
    }
}
