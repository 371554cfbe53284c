//! Ready marks ("Klar") on the parts of a plan, and the plan check that guards submitting.
//!
//! A writer marks a part of a plan (one of its own sections, one of the unit's goals in
//! it; [`malkedja_domain::plan_parts`]) ready, or takes the mark back; editing the part
//! clears its mark ([`Writer::clear_ready`], which the edits of sections, goals, indicators
//! and activities call). Marks are rows of `plan_ready_mark`: a mark made again is a new
//! row, so its id tells it from an earlier one, and a page that offers to take back a mark
//! states the id it saw. Marking and unmarking are refused while the plan is not open for
//! writing ([`StoreError::Locked`]); who may is the access policy's, asked by the web layer.
//!
//! Submitting is refused while [`malkedja_domain::check_plan`] finds errors
//! ([`StoreError::PlanCheck`]), in [`Writer::transition_plan`], so every way of submitting
//! (the page, the API) is held to it.

use crate::read::query;
use crate::{Store, StoreError, Writer, now_text, parse_timestamp, read};
use malkedja_domain::{Finding, Plan, PlanId, PlanPart, check_errors, check_plan, plan_parts};
use serde::Serialize;
use sqlx::{AnyConnection, Row};
use time::OffsetDateTime;

type R<T> = Result<T, StoreError>;

/// A part of a plan marked ready: by whom and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReadyMark {
    /// Tells this mark from an earlier one of the same part (the mark's version).
    pub id: i64,
    pub plan_id: PlanId,
    pub part: PlanPart,
    /// Who marked it: the writer's actor (a person's email).
    pub actor: String,
    pub at: OffsetDateTime,
}

fn mark(r: &sqlx::any::AnyRow) -> R<ReadyMark> {
    let code: String = r.try_get("part")?;
    Ok(ReadyMark {
        id: r.try_get("id")?,
        plan_id: PlanId(r.try_get("plan_id")?),
        part: PlanPart::from_code(&code)
            .ok_or_else(|| StoreError::Corrupt(format!("del {code:?}")))?,
        actor: r.try_get("actor")?,
        at: parse_timestamp(&r.try_get::<String, _>("at")?)?,
    })
}

/// The marks of a plan, oldest first.
pub(crate) async fn ready_marks(c: &mut AnyConnection, plan: PlanId) -> R<Vec<ReadyMark>> {
    query("SELECT id, plan_id, part, actor, at FROM plan_ready_mark WHERE plan_id = $1 ORDER BY id")
        .bind(plan.0)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(mark)
        .collect()
}

async fn ready_mark(c: &mut AnyConnection, plan: PlanId, part: &PlanPart) -> R<Option<ReadyMark>> {
    query(
        "SELECT id, plan_id, part, actor, at FROM plan_ready_mark WHERE plan_id = $1 AND part = $2",
    )
    .bind(plan.0)
    .bind(part.code())
    .fetch_optional(&mut *c)
    .await?
    .map(|r| mark(&r))
    .transpose()
}

/// How the audit trail names a part's mark: "7/section:budget".
fn audit_id(plan: PlanId, part: &PlanPart) -> String {
    format!("{plan}/{}", part.code())
}

impl Store {
    /// The parts of a plan marked ready, oldest mark first.
    pub async fn ready_marks(&self, plan: PlanId) -> R<Vec<ReadyMark>> {
        ready_marks(&mut *self.conn().await?, plan).await
    }
}

impl Writer {
    /// The parts of a plan marked ready, as this transaction sees them.
    pub async fn ready_marks(&mut self, plan: PlanId) -> R<Vec<ReadyMark>> {
        ready_marks(&mut self.tx, plan).await
    }

    /// Fails with [`StoreError::NotFound`] unless `part` is a part of the plan now.
    async fn require_part(&mut self, plan: &Plan, part: &PlanPart) -> R<()> {
        let doc = read::plan_document(&mut self.tx, plan.unit_id, plan.year)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("plan {}", plan.id)))?;
        if plan_parts(&doc).iter().any(|p| &p.part == part) {
            return Ok(());
        }
        Err(StoreError::NotFound(match part {
            PlanPart::Section { key } => format!("ett avsnitt {key:?} som ska skrivas i planen"),
            PlanPart::Goal { id } => format!("enhetens mål {id} i planen"),
        }))
    }

    /// Marks a part of the plan ready, on behalf of the writer's actor. Marking a part
    /// that is already marked changes nothing and returns the mark there is (a double
    /// click is harmless). A part the plan does not have is [`StoreError::NotFound`]; a
    /// plan that is not open for writing [`StoreError::Locked`]. Audited (`mark_ready`).
    pub async fn mark_ready(&mut self, plan: PlanId, part: &PlanPart) -> R<ReadyMark> {
        let p = self.require_plan_open(plan).await?;
        self.require_part(&p, part).await?;
        let added = query(
            "INSERT INTO plan_ready_mark (plan_id, part, actor, at) VALUES ($1, $2, $3, $4) ON CONFLICT (plan_id, part) DO NOTHING RETURNING id",
        )
        .bind(plan.0)
        .bind(part.code())
        .bind(self.actor.clone())
        .bind(now_text())
        .fetch_optional(&mut *self.tx)
        .await?;
        let now = ready_mark(&mut self.tx, plan, part)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("klarmarkeringen {part}")))?;
        if added.is_some() {
            self.audit::<(), _>(
                "mark_ready",
                "plan_ready_mark",
                audit_id(plan, part),
                None,
                Some(&now),
            )
            .await?;
        }
        Ok(now)
    }

    /// Takes back the mark `mark_id` of a part (the mark the page showed). No mark there is
    /// nothing to do (`false`: a double click is harmless); another mark there, made since
    /// the page was shown, is [`StoreError::Conflict`] and stays. A plan that is not open
    /// for writing is [`StoreError::Locked`]. Audited (`unmark_ready`).
    pub async fn unmark_ready(&mut self, plan: PlanId, part: &PlanPart, mark_id: i64) -> R<bool> {
        self.require_plan_open(plan).await?;
        let Some(before) = ready_mark(&mut self.tx, plan, part).await? else {
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

    /// Clears the ready mark of a part that was just changed: editing a part marked ready
    /// means it is no longer known to be done. Returns whether there was a mark. Audited
    /// (`clear_ready`). The plan's status is not asked: the edit that calls this was.
    pub async fn clear_ready(&mut self, plan: PlanId, part: &PlanPart) -> R<bool> {
        match ready_mark(&mut self.tx, plan, part).await? {
            Some(before) => self.delete_mark(&before, "clear_ready").await,
            None => Ok(false),
        }
    }

    async fn delete_mark(&mut self, mark: &ReadyMark, action: &str) -> R<bool> {
        let deleted = query("DELETE FROM plan_ready_mark WHERE id = $1")
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
            "plan_ready_mark",
            audit_id(mark.plan_id, &mark.part),
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
