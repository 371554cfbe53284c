//! Follow-up reports (T1, T2, the annual report): their texts, goal assessments, indicator
//! outcomes, activity statuses and complaint counts. Reads are functions on a connection;
//! writes are [`Writer`] methods that change nothing (and audit nothing) when the stored
//! value is already the same.

use crate::read::query;
use crate::versioned::VersionedRow;
use crate::{StoreError, Writer, now_text, parse_timestamp, read, rows, timestamp_text};
use malkedja_domain::{
    ActivityFollowUp, ActivityId, ActivityStatus, Assessment, ComplaintRow, Contents,
    FollowUpMarks, GoalAssessment, GoalId, GoalSection, IndicatorId, IndicatorOutcome, ItemMark,
    Measure, NodeId, Placement, PlanId, PlanStatus, Report, ReportKind, ReportSection,
    StoredOutcome, TemplateSection, Year, not_later, section_key,
};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;
use time::OffsetDateTime;

type R<T> = Result<T, StoreError>;

fn opt_code<T>(s: Option<String>, parse: impl Fn(&str) -> Option<T>) -> R<Option<T>> {
    s.map(|s| parse(&s).ok_or_else(|| StoreError::Corrupt(format!("kod {s:?}"))))
        .transpose()
}

pub(crate) async fn plan_written_at(
    c: &mut AnyConnection,
    plan: PlanId,
) -> R<Option<OffsetDateTime>> {
    let row = query("SELECT written_at FROM plan WHERE id = $1")
        .bind(plan.0)
        .fetch_optional(&mut *c)
        .await?;
    match row
        .map(|r| r.try_get::<Option<String>, _>(0))
        .transpose()?
        .flatten()
    {
        Some(s) => Ok(Some(parse_timestamp(&s)?)),
        None => Ok(None),
    }
}

pub(crate) async fn report(
    c: &mut AnyConnection,
    plan: PlanId,
    kind: ReportKind,
) -> R<Option<(Report, OffsetDateTime)>> {
    let Some(r) = query("SELECT id, plan_id, kind, status, version, written_at FROM report WHERE plan_id = $1 AND kind = $2")
        .bind(plan.0)
        .bind(kind.code())
        .fetch_optional(&mut *c)
        .await?
    else {
        return Ok(None);
    };
    report_row(&r, kind).map(Some)
}

/// A unit's report of a kind for a year, found through its plan in one query.
pub(crate) async fn report_of(
    c: &mut AnyConnection,
    unit: NodeId,
    year: Year,
    kind: ReportKind,
) -> R<Option<(Report, OffsetDateTime)>> {
    let Some(r) = query(
        "SELECT r.id, r.plan_id, r.kind, r.status, r.version, r.written_at FROM report r JOIN plan p ON p.id = r.plan_id \
         WHERE p.unit_id = $1 AND p.year = $2 AND r.kind = $3",
    )
    .bind(unit.0)
    .bind(i64::from(year))
    .bind(kind.code())
    .fetch_optional(&mut *c)
    .await?
    else {
        return Ok(None);
    };
    report_row(&r, kind).map(Some)
}

/// A report by its id.
pub(crate) async fn report_by_id(c: &mut AnyConnection, id: i64) -> R<Option<Report>> {
    let Some(r) =
        query("SELECT id, plan_id, kind, status, version, written_at FROM report WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
    else {
        return Ok(None);
    };
    let kind: String = r.try_get("kind")?;
    let kind = ReportKind::from_code(&kind)
        .ok_or_else(|| StoreError::Corrupt(format!("rapportslag {kind:?}")))?;
    report_row(&r, kind).map(|(report, _)| Some(report))
}

fn report_row(r: &sqlx::any::AnyRow, kind: ReportKind) -> R<(Report, OffsetDateTime)> {
    let status: String = r.try_get("status")?;
    let written_at: String = r.try_get("written_at")?;
    Ok((
        Report {
            id: r.try_get("id")?,
            plan_id: PlanId(r.try_get("plan_id")?),
            kind,
            status: PlanStatus::from_code(&status)
                .ok_or_else(|| StoreError::Corrupt(format!("status {status:?}")))?,
            version: r.try_get("version")?,
        },
        parse_timestamp(&written_at)?,
    ))
}

/// The goal assessments and activity statuses of a report, with their marks (version,
/// prefilled), in one query.
pub(crate) async fn assessments_and_followups(
    c: &mut AnyConnection,
    report: i64,
) -> R<(
    HashMap<GoalId, GoalAssessment>,
    HashMap<ActivityId, ActivityFollowUp>,
    FollowUpMarks,
)> {
    let mut goals = HashMap::new();
    let mut activities = HashMap::new();
    let mut marks = FollowUpMarks::default();
    for r in query(
        "SELECT 'goal' AS what, goal_id AS item, assessment AS code, analysis, version, prefilled FROM goal_assessment WHERE report_id = $1 \
         UNION ALL SELECT 'activity', activity_id, status, analysis, version, prefilled FROM activity_status WHERE report_id = $1",
    )
    .bind(report)
    .fetch_all(&mut *c)
    .await?
    {
        let what: String = r.try_get(0)?;
        let item: i64 = r.try_get(1)?;
        let mark = ItemMark {
            version: r.try_get(4)?,
            prefilled: r.try_get::<i64, _>(5)? == 1,
        };
        if what == "goal" {
            let a = GoalAssessment {
                goal_id: GoalId(item),
                assessment: opt_code(r.try_get(2)?, Assessment::from_code)?,
                analysis: r.try_get(3)?,
            };
            marks.goals.insert(a.goal_id, mark);
            goals.insert(a.goal_id, a);
        } else {
            let f = ActivityFollowUp {
                activity_id: ActivityId(item),
                status: opt_code(r.try_get(2)?, ActivityStatus::from_code)?,
                analysis: r.try_get(3)?,
            };
            marks.activities.insert(f.activity_id, mark);
            activities.insert(f.activity_id, f);
        }
    }
    Ok((goals, activities, marks))
}

/// The kinds of report a plan has.
pub(crate) async fn report_kinds(c: &mut AnyConnection, plan: PlanId) -> R<Vec<ReportKind>> {
    let mut kinds: Vec<ReportKind> = query("SELECT kind FROM report WHERE plan_id = $1")
        .bind(plan.0)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .filter_map(|r| {
            r.try_get::<String, _>(0)
                .ok()
                .and_then(|k| ReportKind::from_code(&k))
        })
        .collect();
    kinds.sort_by_key(|k| ReportKind::ALL.iter().position(|x| x == k));
    Ok(kinds)
}

pub(crate) async fn report_sections(c: &mut AnyConnection, report: i64) -> R<Vec<ReportSection>> {
    query("SELECT heading, body, placement, version FROM report_section WHERE report_id = $1 ORDER BY position")
        .bind(report)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| {
            let placement: String = r.try_get(2)?;
            let heading: String = r.try_get(0)?;
            Ok(ReportSection {
                key: section_key(&heading),
                heading,
                body: r.try_get(1)?,
                version: r.try_get(3)?,
                placement: Placement::from_code(&placement)
                    .ok_or_else(|| StoreError::Corrupt(format!("placement {placement:?}")))?,
            })
        })
        .collect()
}

pub(crate) async fn assessments(
    c: &mut AnyConnection,
    report: i64,
) -> R<HashMap<GoalId, GoalAssessment>> {
    let mut out = HashMap::new();
    for r in query("SELECT goal_id, assessment, analysis FROM goal_assessment WHERE report_id = $1")
        .bind(report)
        .fetch_all(&mut *c)
        .await?
    {
        let a = GoalAssessment {
            goal_id: GoalId(r.try_get(0)?),
            assessment: opt_code(r.try_get(1)?, Assessment::from_code)?,
            analysis: r.try_get(2)?,
        };
        out.insert(a.goal_id, a);
    }
    Ok(out)
}

pub(crate) async fn outcomes(
    c: &mut AnyConnection,
    report: i64,
) -> R<HashMap<IndicatorId, IndicatorOutcome>> {
    Ok(outcomes_marked(c, report).await?.0)
}

/// The outcomes of a report with their marks (version, prefilled), in one query.
pub(crate) async fn outcomes_marked(
    c: &mut AnyConnection,
    report: i64,
) -> R<(
    HashMap<IndicatorId, IndicatorOutcome>,
    HashMap<IndicatorId, ItemMark>,
)> {
    let mut out = HashMap::new();
    let mut marks = HashMap::new();
    for r in query(
        "SELECT indicator_id, outcome_text, men_text, women_text, previous_text, period, analysis, version, prefilled FROM indicator_outcome WHERE report_id = $1",
    )
    .bind(report)
    .fetch_all(&mut *c)
    .await?
    {
        let o = IndicatorOutcome {
            indicator_id: IndicatorId(r.try_get(0)?),
            outcome: r.try_get::<Option<String>, _>(1)?.map(|t| Measure::parse(&t)),
            men: r.try_get(2)?,
            women: r.try_get(3)?,
            previous: r.try_get(4)?,
            period: r.try_get(5)?,
            analysis: r.try_get(6)?,
        };
        marks.insert(
            o.indicator_id,
            ItemMark {
                version: r.try_get(7)?,
                prefilled: r.try_get::<i64, _>(8)? == 1,
            },
        );
        out.insert(o.indicator_id, o);
    }
    Ok((out, marks))
}

pub(crate) async fn followups(
    c: &mut AnyConnection,
    report: i64,
) -> R<HashMap<ActivityId, ActivityFollowUp>> {
    let mut out = HashMap::new();
    for r in query("SELECT activity_id, status, analysis FROM activity_status WHERE report_id = $1")
        .bind(report)
        .fetch_all(&mut *c)
        .await?
    {
        let f = ActivityFollowUp {
            activity_id: ActivityId(r.try_get(0)?),
            status: opt_code(r.try_get(1)?, ActivityStatus::from_code)?,
            analysis: r.try_get(2)?,
        };
        out.insert(f.activity_id, f);
    }
    Ok(out)
}

/// Which reports' outcomes make an indicator's history.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HistoryScope {
    /// Up to this report (year and kind); `None` for all.
    pub upto: Option<(Year, ReportKind)>,
    /// This report's own outcomes whatever its status (the report being read).
    pub this: Option<i64>,
    /// Outcomes of reports not approved yet, too.
    pub drafts: bool,
}

/// Every outcome the unit reported for an indicator, in any year, in the reports `scope`
/// takes, with the target the unit's plan of that year stated (or, failing that, the
/// unit's own target). One query for all the unit's indicators;
/// [`malkedja_domain::histories`] groups them by indicator.
pub(crate) async fn stored_outcomes(
    c: &mut AnyConnection,
    unit: NodeId,
    scope: HistoryScope,
) -> R<Vec<StoredOutcome>> {
    let rows = query(
        "SELECT i.owner_id, i.name, p.year, r.kind, r.status, r.id, o.outcome_text, o.men_text, o.women_text, \
                pi.target_kind, pi.target_text, pi.target_value, t.kind, t.text, t.value \
         FROM indicator_outcome o \
         JOIN report r ON r.id = o.report_id \
         JOIN plan p ON p.id = r.plan_id \
         JOIN indicator i ON i.id = o.indicator_id \
         LEFT JOIN plan_indicator pi ON pi.plan_id = p.id AND pi.indicator_id = o.indicator_id \
         LEFT JOIN indicator_target t ON t.indicator_id = o.indicator_id AND t.node_id = p.unit_id \
         WHERE p.unit_id = $1 AND p.year <= $2 AND (r.status = 'approved' OR r.id = $3 OR $4 = 1)",
    )
    .bind(unit.0)
    .bind(i64::from(scope.upto.map_or(Year::MAX, |u| u.0)))
    .bind(scope.this.unwrap_or(0))
    .bind(i64::from(scope.drafts))
    .fetch_all(&mut *c)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let year = r.try_get::<i64, _>(2)? as Year;
        let kind: String = r.try_get(3)?;
        let kind = ReportKind::from_code(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("rapportsort {kind:?}")))?;
        if scope.upto.is_some_and(|upto| !not_later(year, kind, upto)) {
            continue;
        }
        let stated = rows::target(r.try_get(9)?, r.try_get(10)?, r.try_get(11)?)?;
        let own = rows::target(r.try_get(12)?, r.try_get(13)?, r.try_get(14)?)?;
        out.push(StoredOutcome {
            owner: NodeId(r.try_get(0)?),
            name: r.try_get(1)?,
            year,
            kind,
            approved: r.try_get::<String, _>(4)? == PlanStatus::Approved.code(),
            outcome: IndicatorOutcome {
                indicator_id: IndicatorId(0),
                outcome: r
                    .try_get::<Option<String>, _>(6)?
                    .map(|t| Measure::parse(&t)),
                men: r.try_get(7)?,
                women: r.try_get(8)?,
                previous: None,
                period: None,
                analysis: None,
            },
            target: stated.or(own),
        });
    }
    Ok(out)
}

pub(crate) async fn complaints(c: &mut AnyConnection, report: i64) -> R<Vec<ComplaintRow>> {
    query(
        "SELECT group_name, category, t1, t2, annual, total, assessment FROM complaint_count WHERE report_id = $1 ORDER BY position",
    )
    .bind(report)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| {
        Ok(ComplaintRow {
            group: r.try_get(0)?,
            category: r.try_get(1)?,
            t1: r.try_get(2)?,
            t2: r.try_get(3)?,
            annual: r.try_get(4)?,
            total: r.try_get(5)?,
            assessment: r.try_get(6)?,
        })
    })
    .collect()
}

/// The follow-up of one kind of item in a report.
#[derive(Clone, Copy)]
enum FollowUpRow {
    Goal,
    Indicator,
    Activity,
}

/// The report row, whose version moves on when its texts or complaints table change.
fn report_version_row(report: i64) -> VersionedRow {
    crate::DocRef::Report(report).version_row()
}

impl Writer {
    /// Stores `body` as a version of a goal's section unless the same text (whitespace
    /// aside, [`malkedja_domain::same_body`]) is already one of its versions; returns the
    /// revision that holds it and whether it is new.
    pub async fn goal_text_version(
        &mut self,
        goal: GoalId,
        section: GoalSection,
        body: &str,
        valid_from: OffsetDateTime,
    ) -> R<(i64, bool)> {
        let versions = self.goal_texts(goal).await?;
        if let Some(v) = versions
            .iter()
            .find(|v| v.section == section && malkedja_domain::same_body(&v.body, body))
        {
            return Ok((v.revision, false));
        }
        let stored = self.set_goal_text(goal, section, body, valid_from).await?;
        match stored {
            Some(v) => Ok((v.revision, true)),
            None => Err(StoreError::Corrupt(format!(
                "texten för mål {goal} sparades inte"
            ))),
        }
    }

    /// When the plan was written: it shows the goal texts in force then.
    pub async fn plan_written_at(&mut self, plan: PlanId) -> R<Option<OffsetDateTime>> {
        plan_written_at(&mut self.tx, plan).await
    }

    pub async fn set_plan_written_at(&mut self, plan: PlanId, at: OffsetDateTime) -> R<()> {
        let row = VersionedRow::new("plan", format!("plan {plan}"))
            .key("id", plan.0)
            .set("written_at", timestamp_text(at))
            .set("updated_at", now_text());
        let found = self.stored_version(&row).await?;
        let before = self.plan_written_at(plan).await?;
        if before == Some(at) {
            return Ok(());
        }
        self.write_versioned(row, found, found).await?;
        let (b, a) = (before.map(timestamp_text), Some(timestamp_text(at)));
        self.audit("set_written_at", "plan", plan, b.as_ref(), a.as_ref())
            .await
    }

    /// The template of plan sections for an administration and year (the default when
    /// none is set).
    pub async fn template(&mut self, admin: Option<NodeId>, year: Year) -> R<Vec<TemplateSection>> {
        read::template(&mut self.tx, admin, year).await
    }

    /// A unit's report as it stands inside this transaction.
    pub async fn report_document(
        &mut self,
        unit: NodeId,
        year: Year,
        kind: ReportKind,
    ) -> R<Option<malkedja_domain::ReportDocument>> {
        read::report_document(&mut self.tx, unit, year, kind).await
    }

    pub async fn report(
        &mut self,
        plan: PlanId,
        kind: ReportKind,
    ) -> R<Option<(Report, OffsetDateTime)>> {
        report(&mut self.tx, plan, kind).await
    }

    /// The plan's report of this kind, created as a draft when it does not exist, written
    /// at `written_at`.
    pub async fn ensure_report(
        &mut self,
        plan: PlanId,
        kind: ReportKind,
        written_at: OffsetDateTime,
    ) -> R<Report> {
        if let Some((r, at)) = self.report(plan, kind).await? {
            if at != written_at {
                let row = VersionedRow::new("report", format!("rapporten {}", kind.label()))
                    .key("id", r.id)
                    .set("written_at", timestamp_text(written_at))
                    .set("updated_at", now_text());
                self.write_versioned(row, r.version, r.version).await?;
                let (b, a) = (timestamp_text(at), timestamp_text(written_at));
                self.audit("set_written_at", "report", r.id, Some(&b), Some(&a))
                    .await?;
            }
            return Ok(r);
        }
        let now = now_text();
        // A first save: when someone else created the report first, a conflict.
        let row = VersionedRow::insertable("report", format!("rapporten {}", kind.label()))
            .key("plan_id", plan.0)
            .key("kind", kind.code())
            .on_insert("status", PlanStatus::Draft.code())
            .on_insert("written_at", timestamp_text(written_at))
            .on_insert("created_at", now.clone())
            .on_insert("updated_at", now);
        self.write_versioned(row, 0, 0).await?;
        let (r, _) = self
            .report(plan, kind)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("rapport {}", kind.label())))?;
        self.audit::<(), _>("create", "report", r.id, None, Some(&r))
            .await?;
        Ok(r)
    }

    /// Sets the report's status (draft, submitted, approved, returned), like
    /// [`Writer::set_plan_status`]: versioned (a stale `expected_version` is
    /// [`StoreError::Conflict`]), audited, no workflow rules, and setting the status it
    /// already has changes nothing.
    pub async fn set_report_status(
        &mut self,
        report: i64,
        expected_version: i64,
        status: PlanStatus,
    ) -> R<Report> {
        let before = self.require_report(report).await?;
        let row = report_version_row(report).set("status", status.code());
        if before.status == status {
            if before.version != expected_version {
                return Err(row.conflict(expected_version, before.version));
            }
            return Ok(before);
        }
        self.write_versioned(row, expected_version, before.version)
            .await?;
        let after = self.require_report(report).await?;
        self.audit("set_status", "report", report, Some(&before), Some(&after))
            .await?;
        Ok(after)
    }

    async fn require_report(&mut self, report: i64) -> R<Report> {
        report_by_id(&mut self.tx, report)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("rapport {report}")))
    }

    /// Replaces the report's running texts when they differ.
    pub async fn set_report_sections(
        &mut self,
        report: i64,
        sections: &[ReportSection],
    ) -> R<bool> {
        let row = report_version_row(report);
        let found = self.stored_version(&row).await?;
        let before = report_sections(&mut self.tx, report).await?;
        let same = |a: &ReportSection, b: &ReportSection| {
            (&a.heading, &a.body, a.placement) == (&b.heading, &b.body, b.placement)
        };
        if before.len() == sections.len() && before.iter().zip(sections).all(|(a, b)| same(a, b)) {
            return Ok(false);
        }
        // Replacing the texts changes the report: its version moves on, so that two
        // writers replacing them at once are a conflict, not a mix.
        self.write_versioned(row, found, found).await?;
        sqlx::query("DELETE FROM report_section WHERE report_id = $1")
            .bind(report)
            .execute(&mut *self.tx)
            .await?;
        let now = now_text();
        let rows = sections
            .iter()
            .enumerate()
            .map(|(i, s)| {
                use crate::bulk::Value;
                vec![
                    Value::from(report),
                    Value::from(i as i64),
                    Value::from(s.heading.clone()),
                    Value::from(s.body.clone()),
                    Value::from(s.placement.code()),
                    Value::from(1),
                    Value::from(now.clone()),
                ]
            })
            .collect();
        crate::bulk::insert_rows(
            &mut self.tx,
            "INSERT INTO report_section (report_id, position, heading, body, placement, version, updated_at)",
            "",
            rows,
        )
        .await?;
        self.audit(
            "set_sections",
            "report",
            report,
            Some(&before),
            Some(&sections),
        )
        .await?;
        Ok(true)
    }

    pub async fn set_goal_assessment(&mut self, report: i64, a: &GoalAssessment) -> R<bool> {
        let row = VersionedRow::insertable(
            "goal_assessment",
            format!("bedömningen av mål {}", a.goal_id),
        )
        .key("report_id", report)
        .key("goal_id", a.goal_id.0)
        .set("assessment", a.assessment.map(|x| x.code().to_string()))
        .set("analysis", a.analysis.clone())
        .set("updated_at", now_text());
        let found = self.stored_version(&row).await?;
        let before = assessments(&mut self.tx, report).await?.remove(&a.goal_id);
        if before.as_ref() == Some(a) {
            return Ok(false);
        }
        self.write_versioned(row, found, found).await?;
        self.audit(
            "assess",
            "goal_assessment",
            format!("{report}/{}", a.goal_id),
            before.as_ref(),
            Some(a),
        )
        .await?;
        Ok(true)
    }

    pub async fn set_indicator_outcome(&mut self, report: i64, o: &IndicatorOutcome) -> R<bool> {
        let row = VersionedRow::insertable(
            "indicator_outcome",
            format!("utfallet för indikator {}", o.indicator_id),
        )
        .key("report_id", report)
        .key("indicator_id", o.indicator_id.0)
        .set("outcome_text", o.outcome.as_ref().map(|m| m.text.clone()))
        .set(
            "outcome_value",
            o.outcome
                .as_ref()
                .and_then(|m| m.value)
                .map(|v| v.to_string()),
        )
        .set("men_text", o.men.clone())
        .set("women_text", o.women.clone())
        .set("previous_text", o.previous.clone())
        .set("period", o.period.clone())
        .set("analysis", o.analysis.clone())
        .set("updated_at", now_text());
        let found = self.stored_version(&row).await?;
        let before = outcomes(&mut self.tx, report)
            .await?
            .remove(&o.indicator_id);
        if before.as_ref() == Some(o) {
            return Ok(false);
        }
        self.write_versioned(row, found, found).await?;
        self.audit(
            "outcome",
            "indicator_outcome",
            format!("{report}/{}", o.indicator_id),
            before.as_ref(),
            Some(o),
        )
        .await?;
        Ok(true)
    }

    pub async fn set_activity_followup(&mut self, report: i64, f: &ActivityFollowUp) -> R<bool> {
        let row = VersionedRow::insertable(
            "activity_status",
            format!("uppföljningen av aktivitet {}", f.activity_id),
        )
        .key("report_id", report)
        .key("activity_id", f.activity_id.0)
        .set("status", f.status.map(|s| s.code().to_string()))
        .set("analysis", f.analysis.clone())
        .set("updated_at", now_text());
        let found = self.stored_version(&row).await?;
        let before = followups(&mut self.tx, report)
            .await?
            .remove(&f.activity_id);
        if before.as_ref() == Some(f) {
            return Ok(false);
        }
        self.write_versioned(row, found, found).await?;
        self.audit(
            "status",
            "activity_status",
            format!("{report}/{}", f.activity_id),
            before.as_ref(),
            Some(f),
        )
        .await?;
        Ok(true)
    }

    /// Sets what the outcome table prints beside stored outcomes, as an import carries it
    /// from the old system: last year's value and the period. Each `(indicator, previous,
    /// period)` whose outcome row exists and differs is written (versioned from the
    /// version stored now, audited like [`Writer::set_indicator_outcome`]), in a few
    /// statements. Returns how many changed.
    pub(crate) async fn set_outcome_context(
        &mut self,
        report: i64,
        context: &[(IndicatorId, Option<String>, Option<String>)],
    ) -> R<usize> {
        let (stored, marks) = outcomes_marked(&mut self.tx, report).await?;
        let now = now_text();
        let mut rows = Vec::new();
        let mut events = Vec::new();
        for (indicator, previous, period) in context {
            let Some(before) = stored.get(indicator) else {
                continue;
            };
            if before.previous == *previous && before.period == *period {
                continue;
            }
            let after = IndicatorOutcome {
                previous: previous.clone(),
                period: period.clone(),
                ..before.clone()
            };
            let version = marks.get(indicator).map_or(0, |m| m.version);
            rows.push((
                VersionedRow::new(
                    "indicator_outcome",
                    format!("utfallet för indikator {indicator}"),
                )
                .key("report_id", report)
                .key("indicator_id", indicator.0)
                .set("previous_text", previous.clone())
                .set("period", period.clone())
                .set("updated_at", now.clone()),
                version,
                version,
            ));
            events.push(crate::writer::PendingAudit::new(
                "outcome",
                "indicator_outcome",
                format!("{report}/{indicator}"),
                Some(before),
                Some(&after),
            )?);
        }
        let n = rows.len();
        self.write_versioned_many(rows).await?;
        self.audit_many(events).await?;
        Ok(n)
    }

    /// Removes the assessments, outcomes and activity statuses of items the report no
    /// longer contains (a revised report re-imported). Returns how many were removed.
    pub async fn retain_follow_up(&mut self, report: i64, contents: &Contents) -> R<usize> {
        let (goals, activities, _) = assessments_and_followups(&mut self.tx, report).await?;
        let mut removed = 0;
        for (goal, a) in goals {
            if !contents.goals.contains(&goal) {
                self.remove_follow_up(FollowUpRow::Goal, report, goal.0, &a)
                    .await?;
                removed += 1;
            }
        }
        for (ind, o) in outcomes(&mut self.tx, report).await? {
            if !contents.indicators.contains_key(&ind) {
                self.remove_follow_up(FollowUpRow::Indicator, report, ind.0, &o)
                    .await?;
                removed += 1;
            }
        }
        for (act, f) in activities {
            if !contents.activities.contains_key(&act) {
                self.remove_follow_up(FollowUpRow::Activity, report, act.0, &f)
                    .await?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    async fn remove_follow_up<T: serde::Serialize>(
        &mut self,
        row: FollowUpRow,
        report: i64,
        item: i64,
        before: &T,
    ) -> R<()> {
        let (sql, entity) = match row {
            FollowUpRow::Goal => (
                "DELETE FROM goal_assessment WHERE report_id = $1 AND goal_id = $2",
                "goal_assessment",
            ),
            FollowUpRow::Indicator => (
                "DELETE FROM indicator_outcome WHERE report_id = $1 AND indicator_id = $2",
                "indicator_outcome",
            ),
            FollowUpRow::Activity => (
                "DELETE FROM activity_status WHERE report_id = $1 AND activity_id = $2",
                "activity_status",
            ),
        };
        query(sql)
            .bind(report)
            .bind(item)
            .execute(&mut *self.tx)
            .await?;
        self.audit::<_, ()>(
            "remove",
            entity,
            format!("{report}/{item}"),
            Some(before),
            None,
        )
        .await
    }

    /// Replaces the report's complaints table when it differs.
    pub async fn set_complaints(&mut self, report: i64, rows_in: &[ComplaintRow]) -> R<bool> {
        let row = report_version_row(report);
        let found = self.stored_version(&row).await?;
        let before = complaints(&mut self.tx, report).await?;
        if before == rows_in {
            return Ok(false);
        }
        // Like the texts, the table is part of the report: its version moves on.
        self.write_versioned(row, found, found).await?;
        sqlx::query("DELETE FROM complaint_count WHERE report_id = $1")
            .bind(report)
            .execute(&mut *self.tx)
            .await?;
        let rows = rows_in
            .iter()
            .enumerate()
            .map(|(i, c)| {
                use crate::bulk::Value;
                vec![
                    Value::from(report),
                    Value::from(i as i64),
                    Value::from(c.group.clone()),
                    Value::from(c.category.clone()),
                    Value::from(c.t1),
                    Value::from(c.t2),
                    Value::from(c.annual),
                    Value::from(c.total),
                    Value::from(c.assessment.clone()),
                ]
            })
            .collect();
        crate::bulk::insert_rows(
            &mut self.tx,
            "INSERT INTO complaint_count (report_id, position, group_name, category, t1, t2, annual, total, assessment)",
            "",
            rows,
        )
        .await?;
        self.audit(
            "set_complaints",
            "report",
            report,
            Some(&before),
            Some(&rows_in),
        )
        .await?;
        Ok(true)
    }
}
