//! A plan's workflow in the store: the steps it takes (submitted, approved, returned,
//! reopened), each recorded with who took it and why, and the lock on a plan that is not
//! open for writing.
//!
//! Which step may follow which is the domain's ([`malkedja_domain::plan_transition`]); who
//! may take it is the access policy's, asked by the web layer before it calls
//! [`Writer::transition_plan`]. The store writes the status (versioned, through
//! [`Writer::set_plan_status`]), records the step, audits it, and at approval pins the
//! plan to the goal texts it shows, so that later revisions of the board's texts never
//! change an approved plan.

use crate::read::query;
use crate::{DocRef, Store, StoreError, Writer, now_text, parse_timestamp, read};
use malkedja_domain::{
    CascadeGoal, GoalId, GoalSection, OutlinePart, Plan, PlanId, PlanStatus, Transition,
    locked_reason, plan_outline, plan_transition,
};
use serde::Serialize;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;
use time::OffsetDateTime;

type R<T> = Result<T, StoreError>;

/// One step a plan took in its workflow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanTransitionRecord {
    pub id: i64,
    pub plan_id: PlanId,
    pub transition: Transition,
    pub from: PlanStatus,
    pub to: PlanStatus,
    /// Who took the step: the writer's actor (a person's email).
    pub actor: String,
    /// The comment given (trimmed); `None` when none was.
    pub comment: Option<String>,
    pub at: OffsetDateTime,
}

/// What a plan read like right after one step of its workflow: the plan as its reader saw
/// it then, heading by heading (see [`malkedja_domain::plan_outline`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanSnapshot {
    pub transition: PlanTransitionRecord,
    pub outline: Vec<OutlinePart>,
}

/// On whose behalf a plan's record (its sections, contents and pins) is written, which
/// decides whether the plan's status is asked first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WriteAs {
    /// A person (through the web, the API or the demo): only a plan open for writing
    /// ([`PlanStatus::open_for_writing`]) may be changed; any other is
    /// [`StoreError::Locked`].
    Person,
    /// The importer, which replaces what an earlier import of the same document stored,
    /// whatever the plan's status: re-importing an approved plan document keeps it as the
    /// document says.
    Import,
    /// The workflow itself, pinning an approved plan to the texts it shows.
    Workflow,
}

fn status_code(s: &str) -> R<PlanStatus> {
    PlanStatus::from_code(s).ok_or_else(|| StoreError::Corrupt(format!("status {s:?}")))
}

fn record(r: &sqlx::any::AnyRow) -> R<PlanTransitionRecord> {
    let from = status_code(&r.try_get::<String, _>("from_status")?)?;
    let to = status_code(&r.try_get::<String, _>("to_status")?)?;
    let transition = Transition::between(from, to).ok_or_else(|| {
        StoreError::Corrupt(format!("övergång från {} till {}", from.code(), to.code()))
    })?;
    Ok(PlanTransitionRecord {
        id: r.try_get("id")?,
        plan_id: PlanId(r.try_get("plan_id")?),
        transition,
        from,
        to,
        actor: r.try_get("actor")?,
        comment: r.try_get("comment")?,
        at: parse_timestamp(&r.try_get::<String, _>("at")?)?,
    })
}

const TRANSITION_COLS: &str = "id, plan_id, from_status, to_status, actor, comment, at";

pub(crate) async fn plan_transitions(
    c: &mut AnyConnection,
    plan: PlanId,
) -> R<Vec<PlanTransitionRecord>> {
    crate::read::sql(format!(
        "SELECT {TRANSITION_COLS} FROM plan_transition WHERE plan_id = $1 ORDER BY id"
    ))
    .bind(plan.0)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(record)
    .collect()
}

impl Store {
    /// The steps a plan took in its workflow, oldest first (newest last).
    pub async fn plan_transitions(&self, plan: PlanId) -> R<Vec<PlanTransitionRecord>> {
        plan_transitions(&mut *self.conn().await?, plan).await
    }

    /// What the plan read like right after each step of its workflow, oldest first. Steps
    /// taken before snapshots were kept (migration 0010) have none and are not listed.
    pub async fn plan_snapshots(&self, plan: PlanId) -> R<Vec<PlanSnapshot>> {
        query(
            "SELECT t.id, t.plan_id, t.from_status, t.to_status, t.actor, t.comment, t.at, s.outline \
             FROM plan_snapshot s JOIN plan_transition t ON t.id = s.transition_id \
             WHERE s.plan_id = $1 ORDER BY t.id",
        )
        .bind(plan.0)
        .fetch_all(&mut *self.conn().await?)
        .await?
        .iter()
        .map(|r| {
            let outline: String = r.try_get("outline")?;
            Ok(PlanSnapshot {
                transition: record(r)?,
                outline: serde_json::from_str(&outline)
                    .map_err(|e| StoreError::Corrupt(format!("planens ögonblicksbild: {e}")))?,
            })
        })
        .collect()
    }
}

impl Writer {
    /// The steps a plan took in its workflow, oldest first, as this transaction sees them.
    pub async fn plan_transitions(&mut self, plan: PlanId) -> R<Vec<PlanTransitionRecord>> {
        plan_transitions(&mut self.tx, plan).await
    }

    /// The plan, if its writers may change it now; [`StoreError::Locked`] saying why not
    /// when it is submitted or approved, or its unit is closed. For every write of a unit's plan text that the
    /// store does not check itself.
    pub async fn require_plan_open(&mut self, plan: PlanId) -> R<Plan> {
        let p = self.require_plan(plan).await?;
        if let Some(reason) = locked_reason(p.status) {
            return Err(StoreError::Locked(reason.to_string()));
        }
        // A closed unit's plans stay as they were left.
        let unit = self.require_node(p.unit_id).await?;
        if let Some(closed) = unit.closed {
            return Err(StoreError::Locked(format!(
                "{} är avvecklad sedan {}; dess planer kan inte ändras. En administratör kan öppna enheten igen.",
                unit.name,
                malkedja_domain::date_text(closed)
            )));
        }
        Ok(p)
    }

    /// Refuses a person's write to a plan that is not open for writing. Reports are not
    /// looked at here.
    pub(crate) async fn check_open(&mut self, doc: DocRef, by: WriteAs) -> R<()> {
        match (doc, by) {
            (DocRef::Plan(plan), WriteAs::Person) => self.require_plan_open(plan).await.map(drop),
            _ => Ok(()),
        }
    }

    /// Moves a plan one step in its workflow, to `to`, with `comment` (required to return or
    /// reopen, at most [`malkedja_domain::COMMENT_MAX_CHARS`] characters). `expected_version`
    /// is the plan's version the request was made from: a stale one is
    /// [`StoreError::Conflict`]. A step the workflow does not have, or a missing comment, is
    /// [`StoreError::Workflow`]. A plan in which the plan check finds errors is not
    /// submitted: [`StoreError::PlanCheck`] with the findings. The step is recorded (see [`Writer::plan_transitions`]) with
    /// the writer's actor and audited (`transition` on `plan`). At approval the plan is
    /// pinned to the revision of every goal text it shows, so that it reads the same
    /// whatever is revised later. Who may take the step is not asked here: ask the policy
    /// with [`Transition::action`] first.
    pub async fn transition_plan(
        &mut self,
        plan: PlanId,
        expected_version: i64,
        to: PlanStatus,
        comment: &str,
    ) -> R<(Plan, PlanTransitionRecord)> {
        self.take_step(plan, expected_version, to, comment, true)
            .await
    }

    /// [`Writer::transition_plan`] without the plan check: the demo submits the plan that
    /// the controller then returns for what the check lists.
    pub(crate) async fn submit_unchecked(
        &mut self,
        plan: PlanId,
        expected_version: i64,
    ) -> R<(Plan, PlanTransitionRecord)> {
        self.take_step(plan, expected_version, PlanStatus::Submitted, "", false)
            .await
    }

    async fn take_step(
        &mut self,
        plan: PlanId,
        expected_version: i64,
        to: PlanStatus,
        comment: &str,
        check: bool,
    ) -> R<(Plan, PlanTransitionRecord)> {
        let before = self.require_plan(plan).await?;
        if before.version != expected_version {
            return Err(StoreError::Conflict {
                entity: format!("planen {plan}"),
                expected: expected_version,
                actual: before.version,
            });
        }
        let transition = plan_transition(before.status, to, comment)?;
        if check && transition == Transition::Submit {
            self.require_check_passes(&before).await?;
        }
        self.set_plan_status(plan, expected_version, to).await?;
        if transition == Transition::Approve {
            self.pin_texts_shown(&before).await?;
        }
        let after = self.require_plan(plan).await?;
        let comment = Some(comment.trim().to_string()).filter(|c| !c.is_empty());
        let at = now_text();
        let id: i64 = query(
            "INSERT INTO plan_transition (plan_id, from_status, to_status, actor, comment, at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(plan.0)
        .bind(before.status.code())
        .bind(to.code())
        .bind(self.actor.clone())
        .bind(comment.clone())
        .bind(at.clone())
        .fetch_one(&mut *self.tx)
        .await?
        .try_get(0)?;
        let record = PlanTransitionRecord {
            id,
            plan_id: plan,
            transition,
            from: before.status,
            to,
            actor: self.actor.clone(),
            comment,
            at: parse_timestamp(&at)?,
        };
        self.audit("transition", "plan", plan, Some(&before), Some(&record))
            .await?;
        self.keep_snapshot(&after, id).await?;
        if transition == Transition::Approve && self.freezes() {
            // The archive copy, in the same transaction: no approval without it.
            self.freeze(DocRef::Plan(plan)).await?;
        }
        Ok((after, record))
    }

    /// Keeps what the plan reads like now, as the step `transition` left it.
    async fn keep_snapshot(&mut self, plan: &Plan, transition: i64) -> R<()> {
        let Some(doc) = read::plan_document(&mut self.tx, plan.unit_id, plan.year).await? else {
            return Err(StoreError::NotFound(format!("plan {}", plan.id)));
        };
        let outline = serde_json::to_string(&plan_outline(&doc))
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        query("INSERT INTO plan_snapshot (transition_id, plan_id, outline) VALUES ($1, $2, $3)")
            .bind(transition)
            .bind(plan.id.0)
            .bind(outline)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// [`Writer::transition_plan`] on behalf of someone other than the writer's actor (the
    /// demo, which writes the whole district as "demo", shows who would have taken each
    /// step).
    pub(crate) async fn transition_plan_as(
        &mut self,
        actor: &str,
        plan: PlanId,
        expected_version: i64,
        to: PlanStatus,
        comment: &str,
    ) -> R<(Plan, PlanTransitionRecord)> {
        let own = std::mem::replace(&mut self.actor, actor.to_string());
        let out = self
            .transition_plan(plan, expected_version, to, comment)
            .await;
        self.actor = own;
        out
    }

    /// Pins the plan to the revision of every goal text it shows now (those it was already
    /// pinned to stay), so that later revisions do not change it. Returns how many pins
    /// changed.
    async fn pin_texts_shown(&mut self, plan: &Plan) -> R<usize> {
        let Some(doc) = read::plan_document(&mut self.tx, plan.unit_id, plan.year).await? else {
            return Err(StoreError::NotFound(format!("plan {}", plan.id)));
        };
        let at = self
            .plan_written_at(plan.id)
            .await?
            .unwrap_or_else(OffsetDateTime::now_utc);
        let shown: Vec<GoalId> = doc
            .goals
            .iter()
            .flat_map(CascadeGoal::walk)
            .map(|g| g.goal.id)
            .collect();
        self.pin_goals(DocRef::Plan(plan.id), shown, at).await
    }

    /// Pins a plan or report to the revision of each text of the `shown` goals in force
    /// at `at` (those it was already pinned to stay). Returns how many pins changed.
    pub(crate) async fn pin_goals(
        &mut self,
        doc_ref: DocRef,
        shown: Vec<GoalId>,
        at: OffsetDateTime,
    ) -> R<usize> {
        let mut pins: HashMap<(GoalId, GoalSection), i64> =
            crate::document::pins(&mut self.tx, doc_ref).await?;
        let all_texts = read::goal_texts_of(&mut self.tx, &shown).await?;
        for goal in shown {
            let Some(texts) = all_texts.get(&goal) else {
                continue;
            };
            for section in GoalSection::ALL {
                if pins.contains_key(&(goal, section)) {
                    continue;
                }
                if let Some(v) = malkedja_domain::text_in_force(texts, section, at)
                    .filter(|v| !v.body.trim().is_empty())
                {
                    pins.insert((goal, section), v.revision);
                }
            }
        }
        self.set_pins_as(doc_ref, &pins, WriteAs::Workflow).await
    }
}
