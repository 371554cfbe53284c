//! Ready marks ("Klar") on the parts of a plan or report, and the plan check that guards
//! submitting a plan (the report check guards reports in `reports.rs`).
//!
//! A writer marks a part of a plan (one of its own sections, one of the unit's goals in
//! it; [`malkedja_domain::plan_parts`]) ready, or takes the mark back; editing the part
//! clears its mark ([`Writer::clear_ready`], which the edits of sections, goals, indicators
//! and activities call). Marks are rows of `plan_ready_mark` (a report's of
//! `report_ready_mark`, migration 0017; its parts are [`malkedja_domain::report_parts`],
//! and the report's writes clear them): a mark made again is a new row, so its id tells it from an earlier one, and a page that offers to take back a mark
//! states the id it saw. Marking and unmarking are refused while the plan is not open for
//! writing ([`StoreError::Locked`]); who may is the access policy's, asked by the web layer.
//!
//! Submitting is refused while [`malkedja_domain::check_plan`] finds errors
//! ([`StoreError::PlanCheck`]), in [`Writer::transition_plan`], so every way of submitting
//! (the page, the API) is held to it.

use crate::read::sql;
use crate::{DocRef, Store, StoreError, Writer, now_text, parse_timestamp, read};
use malkedja_domain::{
    Finding, Plan, PlanId, PlanPart, check_errors, check_plan, plan_parts, report_parts,
};
use serde::Serialize;
use sqlx::{AnyConnection, Row};
use time::OffsetDateTime;

type R<T> = Result<T, StoreError>;

/// A part of a plan or report marked ready: by whom and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReadyMark {
    /// Tells this mark from an earlier one of the same part (the mark's version).
    pub id: i64,
    /// The plan or report it belongs to (the audit trail names it in the event's id).
    #[serde(skip)]
    pub doc: DocRef,
    pub part: PlanPart,
    /// Who marked it: the writer's actor (a person's email).
    pub actor: String,
    pub at: OffsetDateTime,
}

/// Where a document's marks are kept: the table, its document column, and the entity the
/// audit trail names.
fn table(doc: DocRef) -> (&'static str, &'static str) {
    match doc {
        DocRef::Plan(_) => ("plan_ready_mark", "plan_id"),
        DocRef::Report(_) => ("report_ready_mark", "report_id"),
    }
}

fn mark(doc: DocRef, r: &sqlx::any::AnyRow) -> R<ReadyMark> {
    let code: String = r.try_get("part")?;
    Ok(ReadyMark {
        id: r.try_get("id")?,
        doc,
        part: PlanPart::from_code(&code)
            .ok_or_else(|| StoreError::Corrupt(format!("del {code:?}")))?,
        actor: r.try_get("actor")?,
        at: parse_timestamp(&r.try_get::<String, _>("at")?)?,
    })
}

/// The marks of a plan or report, oldest first.
pub(crate) async fn ready_marks(c: &mut AnyConnection, doc: DocRef) -> R<Vec<ReadyMark>> {
    let (table, column) = table(doc);
    sql(format!(
        "SELECT id, part, actor, at FROM {table} WHERE {column} = $1 ORDER BY id"
    ))
    .bind(doc.doc_id())
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| mark(doc, r))
    .collect()
}

async fn ready_mark(c: &mut AnyConnection, doc: DocRef, part: &PlanPart) -> R<Option<ReadyMark>> {
    let (table, column) = table(doc);
    sql(format!(
        "SELECT id, part, actor, at FROM {table} WHERE {column} = $1 AND part = $2"
    ))
    .bind(doc.doc_id())
    .bind(part.code())
    .fetch_optional(&mut *c)
    .await?
    .map(|r| mark(doc, &r))
    .transpose()
}

/// How the audit trail names a part's mark: "7/section:budget" (plan or report 7).
fn audit_id(doc: DocRef, part: &PlanPart) -> String {
    format!("{}/{}", doc.doc_id(), part.code())
}

impl Store {
    /// The parts of a plan marked ready, oldest mark first.
    pub async fn ready_marks(&self, plan: PlanId) -> R<Vec<ReadyMark>> {
        self.ready_marks_of(DocRef::Plan(plan)).await
    }

    /// The parts of a plan or report marked ready, oldest mark first.
    pub async fn ready_marks_of(&self, doc: DocRef) -> R<Vec<ReadyMark>> {
        ready_marks(&mut *self.conn().await?, doc).await
    }
}

impl Writer {
    /// The parts of a plan marked ready, as this transaction sees them.
    pub async fn ready_marks(&mut self, plan: PlanId) -> R<Vec<ReadyMark>> {
        ready_marks(&mut self.tx, DocRef::Plan(plan)).await
    }

    /// Fails with [`StoreError::NotFound`] unless `part` is a part of the plan or report
    /// now; [`StoreError::Locked`] when its writers may not change it now.
    async fn require_open_part(&mut self, doc: DocRef, part: &PlanPart) -> R<()> {
        let parts = match doc {
            DocRef::Plan(plan) => {
                let p: Plan = self.require_plan_open(plan).await?;
                let d = read::plan_document(&mut self.tx, p.unit_id, p.year)
                    .await?
                    .ok_or_else(|| StoreError::NotFound(format!("plan {plan}")))?;
                plan_parts(&d)
            }
            DocRef::Report(report) => report_parts(&self.require_report_open(report).await?),
        };
        if parts.iter().any(|p| &p.part == part) {
            return Ok(());
        }
        Err(StoreError::NotFound(match part {
            PlanPart::Section { key } => format!("ett avsnitt {key:?} som ska skrivas"),
            PlanPart::Goal { id } => format!("målet {id} bland delarna"),
            PlanPart::Economy => "ekonomin bland delarna".to_string(),
        }))
    }

    /// Fails unless the plan or report is open for its writers ([`StoreError::Locked`]).
    async fn require_doc_open(&mut self, doc: DocRef) -> R<()> {
        match doc {
            DocRef::Plan(plan) => self.require_plan_open(plan).await.map(drop),
            DocRef::Report(report) => self.require_report_open(report).await.map(drop),
        }
    }

    /// Marks a part of the plan ready ([`Writer::mark_ready_in`]).
    pub async fn mark_ready(&mut self, plan: PlanId, part: &PlanPart) -> R<ReadyMark> {
        self.mark_ready_in(DocRef::Plan(plan), part).await
    }

    /// Marks a part of a plan or report ready, on behalf of the writer's actor. Marking a
    /// part that is already marked changes nothing and returns the mark there is (a double
    /// click is harmless). A part the document does not have is [`StoreError::NotFound`];
    /// a document that is not open for writing [`StoreError::Locked`]. Audited
    /// (`mark_ready`).
    pub async fn mark_ready_in(&mut self, doc: DocRef, part: &PlanPart) -> R<ReadyMark> {
        self.require_open_part(doc, part).await?;
        let (table, column) = table(doc);
        let added = sql(format!(
            "INSERT INTO {table} ({column}, part, actor, at) VALUES ($1, $2, $3, $4) ON CONFLICT ({column}, part) DO NOTHING RETURNING id"
        ))
        .bind(doc.doc_id())
        .bind(part.code())
        .bind(self.actor.clone())
        .bind(now_text())
        .fetch_optional(&mut *self.tx)
        .await?;
        let now = ready_mark(&mut self.tx, doc, part)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("klarmarkeringen {part}")))?;
        if added.is_some() {
            self.audit::<(), _>("mark_ready", table, audit_id(doc, part), None, Some(&now))
                .await?;
        }
        Ok(now)
    }

    /// Takes back the mark of a part of the plan ([`Writer::unmark_ready_in`]).
    pub async fn unmark_ready(&mut self, plan: PlanId, part: &PlanPart, mark_id: i64) -> R<bool> {
        self.unmark_ready_in(DocRef::Plan(plan), part, mark_id)
            .await
    }

    /// Takes back the mark `mark_id` of a part (the mark the page showed). No mark there is
    /// nothing to do (`false`: a double click is harmless); another mark there, made since
    /// the page was shown, is [`StoreError::Conflict`] and stays. A document that is not
    /// open for writing is [`StoreError::Locked`]. Audited (`unmark_ready`).
    pub async fn unmark_ready_in(&mut self, doc: DocRef, part: &PlanPart, mark_id: i64) -> R<bool> {
        self.require_doc_open(doc).await?;
        let Some(before) = ready_mark(&mut self.tx, doc, part).await? else {
            return Ok(false);
        };
        if before.id != mark_id {
            return Err(StoreError::Conflict {
                entity: "klarmarkeringen".into(),
                expected: mark_id,
                actual: before.id,
            });
        }
        self.delete_mark(&before, "unmark_ready").await
    }

    /// Clears the ready mark of a part of the plan that was just changed
    /// ([`Writer::clear_ready_in`]).
    pub async fn clear_ready(&mut self, plan: PlanId, part: &PlanPart) -> R<bool> {
        self.clear_ready_in(DocRef::Plan(plan), part).await
    }

    /// Clears the ready mark of a part that was just changed: editing a part marked ready
    /// means it is no longer known to be done. Returns whether there was a mark. Audited
    /// (`clear_ready`). The document's status is not asked: the edit that calls this was.
    pub async fn clear_ready_in(&mut self, doc: DocRef, part: &PlanPart) -> R<bool> {
        match ready_mark(&mut self.tx, doc, part).await? {
            Some(before) => self.delete_mark(&before, "clear_ready").await,
            None => Ok(false),
        }
    }

    async fn delete_mark(&mut self, mark: &ReadyMark, action: &str) -> R<bool> {
        let (table, _) = table(mark.doc);
        let deleted = sql(format!("DELETE FROM {table} WHERE id = $1"))
            .bind(mark.id)
            .execute(&mut *self.tx)
            .await?
            .rows_affected();
        if deleted == 0 {
            // Someone else took it back at the same moment: the same outcome.
            return Ok(false);
        }
        self.audit::<_, ()>(
            action,
            table,
            audit_id(mark.doc, &mark.part),
            Some(mark),
            None,
        )
        .await?;
        Ok(true)
    }

    /// Refuses to submit a plan the check finds errors in: [`StoreError::PlanCheck`] with
    /// all the findings, errors first.
    pub(crate) async fn require_check_passes(&mut self, plan: &Plan) -> R<()> {
        let doc = read::plan_document(&mut self.tx, plan.unit_id, plan.year)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("plan {}", plan.id)))?;
        let findings: Vec<Finding> = check_plan(&doc);
        if check_errors(&findings).is_empty() {
            Ok(())
        } else {
            Err(StoreError::PlanCheck(findings))
        }
    }
}
