//! Writes. A [`Writer`] is one transaction: everything it does is stored together at
//! [`Writer::commit`] or not at all, and every change appends to the audit trail in the
//! same transaction.

use crate::versioned::VersionedRow;
use crate::workflow::WriteAs;
use crate::{DocRef, Item, StoreError, now_text, read, rows, timestamp_text};
use malkedja_domain::{
    Activity, ActivityId, Goal, GoalId, GoalSection, Indicator, IndicatorId, NewActivity, NewGoal,
    NewIndicator, NewNode, NodeId, OrgKind, OrgNode, Plan, PlanId, PlanOrigin, PlanSection,
    PlanStatus, Target, TextVersion, UnitFacts, Year,
};
use serde::Serialize;
use sqlx::{Any, Row, Transaction};
use tokio::sync::OwnedMutexGuard;

type R<T> = Result<T, StoreError>;

/// An audit event to append with others ([`Writer::audit_many`]), its before and after
/// already as JSON.
pub(crate) struct PendingAudit {
    pub action: &'static str,
    pub entity: &'static str,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl PendingAudit {
    pub(crate) fn new<B: Serialize, A: Serialize>(
        action: &'static str,
        entity: &'static str,
        entity_id: impl ToString,
        before: Option<&B>,
        after: Option<&A>,
    ) -> R<PendingAudit> {
        Ok(PendingAudit {
            action,
            entity,
            entity_id: entity_id.to_string(),
            before: before.map(to_json).transpose()?,
            after: after.map(to_json).transpose()?,
        })
    }
}

/// One write transaction on behalf of an actor.
pub struct Writer {
    pub(crate) tx: Transaction<'static, Any>,
    _guard: Option<OwnedMutexGuard<()>>,
    pub(crate) actor: String,
    /// The store's renderer of archive copies (`archive.rs`).
    pub(crate) freezer: Option<std::sync::Arc<dyn crate::Freezer>>,
}

fn to_json<T: Serialize>(v: &T) -> R<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(e.to_string()))
}

impl Writer {
    pub(crate) fn new(
        tx: Transaction<'static, Any>,
        guard: Option<OwnedMutexGuard<()>>,
        actor: &str,
    ) -> Writer {
        Writer {
            tx,
            _guard: guard,
            actor: actor.to_string(),
            freezer: None,
        }
    }

    /// Stores everything done through this writer.
    pub async fn commit(self) -> R<()> {
        self.tx.commit().await?;
        Ok(())
    }

    /// Throws away everything done through this writer.
    pub async fn rollback(self) -> R<()> {
        self.tx.rollback().await?;
        Ok(())
    }

    pub(crate) async fn audit<B: Serialize, A: Serialize>(
        &mut self,
        action: &str,
        entity: &str,
        entity_id: impl ToString,
        before: Option<&B>,
        after: Option<&A>,
    ) -> R<()> {
        let before = before.map(to_json).transpose()?;
        let after = after.map(to_json).transpose()?;
        let row = self.audit_row(action, entity, entity_id.to_string(), before, after);
        self.insert_audit(vec![row]).await
    }

    /// Appends many events to the audit trail in a few statements, as [`Writer::audit`]
    /// appends one: for a write that changes many rows at once (a report's follow-up).
    pub(crate) async fn audit_many(&mut self, events: Vec<PendingAudit>) -> R<()> {
        let rows = events
            .into_iter()
            .map(|e| self.audit_row(e.action, e.entity, e.entity_id, e.before, e.after))
            .collect();
        self.insert_audit(rows).await
    }

    fn audit_row(
        &self,
        action: &str,
        entity: &str,
        entity_id: String,
        before: Option<String>,
        after: Option<String>,
    ) -> Vec<crate::bulk::Value> {
        vec![
            now_text().into(),
            self.actor.clone().into(),
            action.into(),
            entity.into(),
            entity_id.into(),
            before.into(),
            after.into(),
        ]
    }

    /// The one statement that writes the audit trail: it only ever appends.
    async fn insert_audit(&mut self, rows: Vec<Vec<crate::bulk::Value>>) -> R<()> {
        crate::bulk::insert_rows(
            &mut self.tx,
            "INSERT INTO audit_event (at, actor, action, entity, entity_id, before_json, after_json)",
            "",
            rows,
        )
        .await?;
        Ok(())
    }

    // ---- reads inside the transaction ----

    pub async fn node(&mut self, id: NodeId) -> R<Option<OrgNode>> {
        read::node(&mut self.tx, id).await
    }

    pub async fn nodes(&mut self) -> R<Vec<OrgNode>> {
        read::nodes(&mut self.tx).await
    }

    pub async fn chain(&mut self, id: NodeId) -> R<Vec<OrgNode>> {
        read::chain(&mut self.tx, id).await
    }

    pub async fn goal(&mut self, id: GoalId) -> R<Option<Goal>> {
        read::goal(&mut self.tx, id).await
    }

    pub async fn goals_owned_by(&mut self, year: Year, owners: &[NodeId]) -> R<Vec<Goal>> {
        read::goals_owned_by(&mut self.tx, year, owners).await
    }

    pub async fn goal_texts(&mut self, id: GoalId) -> R<Vec<TextVersion>> {
        read::goal_texts(&mut self.tx, id).await
    }

    pub async fn indicators_on(&mut self, goal: GoalId) -> R<Vec<Indicator>> {
        read::indicators_on(&mut self.tx, goal).await
    }

    pub async fn activities_on(&mut self, goal: GoalId) -> R<Vec<Activity>> {
        read::activities_on(&mut self.tx, goal).await
    }

    pub async fn plan_section(&mut self, plan: PlanId, key: &str) -> R<Option<PlanSection>> {
        read::plan_section(&mut self.tx, plan, key).await
    }

    pub async fn plan(&mut self, unit: NodeId, year: Year) -> R<Option<Plan>> {
        read::plan(&mut self.tx, unit, year).await
    }

    pub(crate) async fn require_node(&mut self, id: NodeId) -> R<OrgNode> {
        self.node(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("organisationsnod {id}")))
    }

    pub(crate) async fn require_goal(&mut self, id: GoalId) -> R<Goal> {
        self.goal(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("mål {id}")))
    }

    /// Fails unless `owner` is `node` or above it.
    async fn require_inherited(&mut self, node: NodeId, owner: NodeId) -> R<()> {
        let chain = self.chain(node).await?;
        if chain.iter().any(|n| n.id == owner) {
            Ok(())
        } else {
            Err(malkedja_domain::DomainError::GoalNotInherited.into())
        }
    }

    // ---- organisation ----

    /// Creates a node under its parent: the kinds must nest and the parent must be open
    /// ([`NewNode::validate_under`]).
    pub async fn create_node(&mut self, new: NewNode) -> R<OrgNode> {
        let parent = match new.parent_id {
            Some(p) => Some(self.require_node(p).await?),
            None => None,
        };
        new.validate_under(parent.as_ref())?;
        let now = now_text();
        let id: i64 = sqlx::query(
            "INSERT INTO org_node (parent_id, kind, name, position, version, created_at, updated_at) VALUES ($1, $2, $3, $4, 1, $5, $5) RETURNING id",
        )
        .bind(new.parent_id.map(|p| p.0))
        .bind(new.kind.code())
        .bind(new.name.trim().to_string())
        .bind(new.position)
        .bind(now)
        .fetch_one(&mut *self.tx)
        .await?
        .try_get(0)?;
        let node = self.require_node(NodeId(id)).await?;
        self.audit::<(), _>("create", "org_node", id, None, Some(&node))
            .await?;
        Ok(node)
    }

    /// Saves the facts of a unit or operation for a year. `facts.version` is the version
    /// the caller started from (0 for none): a stale save is a conflict.
    pub async fn save_facts(&mut self, facts: &UnitFacts) -> R<UnitFacts> {
        self.require_node(facts.node_id).await?;
        self.ensure_year(facts.year).await?;
        let before = read::facts(&mut self.tx, facts.node_id, facts.year).await?;
        let row = VersionedRow::insertable("unit_facts", "enhetens uppgifter")
            .key("node_id", facts.node_id.0)
            .key("year", i64::from(facts.year))
            .set("managers", to_json(&facts.managers)?)
            .set("staff", to_json(&facts.staff)?)
            .set("clients", facts.clients)
            .set("clients_label", facts.clients_label.clone())
            .set("budget_kr", facts.budget_kr.map(|b| b.to_string()))
            .set("staff_meetings", to_json(&facts.staff_meetings)?)
            .set("updated_at", now_text());
        let found = before.as_ref().map(|f| f.version).unwrap_or(0);
        self.write_versioned(row, facts.version, found).await?;
        let after = read::facts(&mut self.tx, facts.node_id, facts.year)
            .await?
            .ok_or_else(|| StoreError::NotFound("enhetens uppgifter".into()))?;
        let id = format!("{}/{}", facts.node_id, facts.year);
        self.audit("save", "unit_facts", id, before.as_ref(), Some(&after))
            .await?;
        Ok(after)
    }

    // ---- years and goals ----

    /// Makes sure the planning year exists.
    pub async fn ensure_year(&mut self, year: Year) -> R<()> {
        let done = sqlx::query("INSERT INTO planning_year (year, created_at) VALUES ($1, $2) ON CONFLICT (year) DO NOTHING")
            .bind(i64::from(year))
            .bind(now_text())
            .execute(&mut *self.tx)
            .await?;
        if done.rows_affected() > 0 {
            self.audit::<(), _>("create", "planning_year", year, None, Some(&year))
                .await?;
        }
        Ok(())
    }

    pub async fn create_goal(&mut self, new: NewGoal) -> R<Goal> {
        let owner = self.require_node(new.owner_id).await?;
        let parent = match new.parent_id {
            Some(p) => Some(self.require_goal(p).await?),
            None => None,
        };
        new.validate(parent.as_ref(), owner.kind)?;
        if let Some(p) = &parent {
            // A goal hangs under a goal of its owner or of a node above it.
            self.require_inherited(new.owner_id, p.owner_id).await?;
        }
        self.ensure_year(new.year).await?;
        let now = now_text();
        let id: i64 = sqlx::query(
            "INSERT INTO goal (year, level, owner_id, parent_id, number, title, position, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8) RETURNING id",
        )
        .bind(i64::from(new.year))
        .bind(new.level.code())
        .bind(new.owner_id.0)
        .bind(new.parent_id.map(|p| p.0))
        .bind(new.number.as_ref().map(|n| n.trim().to_string()))
        .bind(new.title.trim().to_string())
        .bind(new.position)
        .bind(now)
        .fetch_one(&mut *self.tx)
        .await?
        .try_get(0)?;
        let goal = self.require_goal(GoalId(id)).await?;
        self.audit::<(), _>("create", "goal", id, None, Some(&goal))
            .await?;
        Ok(goal)
    }

    /// Stores a new version of one section of a goal's text, in force from `valid_from`.
    /// Returns `None` when the text in force at `valid_from` is already exactly this
    /// (nothing changes).
    pub async fn set_goal_text(
        &mut self,
        goal: GoalId,
        section: GoalSection,
        body: &str,
        valid_from: time::OffsetDateTime,
    ) -> R<Option<TextVersion>> {
        let g = self.require_goal(goal).await?;
        if !g.level.sections().contains(&section) {
            return Err(malkedja_domain::DomainError::SectionLevel {
                section: section.heading(),
                level: g.level,
            }
            .into());
        }
        let versions = self.goal_texts(goal).await?;
        let in_force = malkedja_domain::text_in_force(&versions, section, valid_from);
        if in_force.is_some_and(|v| malkedja_domain::same_body(&v.body, body)) {
            return Ok(None);
        }
        let revision = versions
            .iter()
            .filter(|v| v.section == section)
            .map(|v| v.revision + 1)
            .max()
            .unwrap_or(1);
        let version = TextVersion {
            section,
            revision,
            body: body.to_string(),
            valid_from,
        };
        // Revisions are never changed, only added: the revision number is the text's
        // version. Someone else who stored the same revision first is a conflict.
        let added = sqlx::query(
            "INSERT INTO goal_text (goal_id, section, revision, body, valid_from, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (goal_id, section, revision) DO NOTHING",
        )
        .bind(goal.0)
        .bind(section.code())
        .bind(revision)
        .bind(body.to_string())
        .bind(timestamp_text(valid_from))
        .bind(now_text())
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        if added == 0 {
            return Err(StoreError::Conflict {
                entity: format!("texten {:?} för mål {goal}", section.heading()),
                expected: revision - 1,
                actual: self
                    .goal_texts(goal)
                    .await?
                    .iter()
                    .filter(|v| v.section == section)
                    .map(|v| v.revision)
                    .max()
                    .unwrap_or(revision),
            });
        }
        let id = format!("{goal}/{}", section.code());
        self.audit("set_text", "goal_text", id, in_force, Some(&version))
            .await?;
        Ok(Some(version))
    }

    /// The owner of an indicator or activity is the goal's owner or a node below it.
    async fn check_item_owner(&mut self, goal: &Goal, owner: NodeId) -> R<()> {
        let chain: Vec<NodeId> = self.chain(owner).await?.iter().map(|n| n.id).collect();
        if chain.is_empty() {
            return Err(StoreError::NotFound(format!("organisationsnod {owner}")));
        }
        malkedja_domain::check_item_owner(goal.owner_id, &chain)?;
        Ok(())
    }

    pub async fn create_indicator(&mut self, new: NewIndicator) -> R<Indicator> {
        let goal = self.require_goal(new.goal_id).await?;
        new.validate(goal.level)?;
        self.check_item_owner(&goal, new.owner_id).await?;
        let (kind, text, value) = match &new.council_target {
            Some(t) => {
                let (k, t, v) = rows::target_columns(t);
                (Some(k), Some(t), v)
            }
            None => (None, None, None),
        };
        let now = now_text();
        let id: i64 = sqlx::query(
            "INSERT INTO indicator (year, goal_id, owner_id, name, unit_of_measure, periodicity, direction, value_kind, by_sex, council_target_kind, council_target_text, council_target_value, position, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $14) RETURNING id",
        )
        .bind(i64::from(goal.year))
        .bind(new.goal_id.0)
        .bind(new.owner_id.0)
        .bind(new.name.trim().to_string())
        .bind(new.unit_of_measure.clone())
        .bind(new.periodicity.code())
        .bind(new.direction.code())
        .bind(new.value_kind.code())
        .bind(i64::from(new.by_sex))
        .bind(kind)
        .bind(text)
        .bind(value)
        .bind(new.position)
        .bind(now)
        .fetch_one(&mut *self.tx)
        .await?
        .try_get(0)?;
        let indicator = read::indicator(&mut self.tx, IndicatorId(id))
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("indikator {id}")))?;
        self.audit::<(), _>("create", "indicator", id, None, Some(&indicator))
            .await?;
        Ok(indicator)
    }

    /// Sets the target (årsmål) a node has for an indicator.
    pub async fn set_target(
        &mut self,
        indicator: IndicatorId,
        node: NodeId,
        target: &Target,
    ) -> R<()> {
        self.require_node(node).await?;
        let stored = sqlx::query(
            "SELECT indicator_id, node_id, kind, text, value, version FROM indicator_target WHERE indicator_id = $1 AND node_id = $2",
        )
        .bind(indicator.0)
        .bind(node.0)
        .fetch_optional(&mut *self.tx)
        .await?;
        let found: i64 = match &stored {
            Some(r) => r.try_get("version")?,
            None => 0,
        };
        let before = stored
            .map(|r| rows::indicator_target(&r))
            .transpose()?
            .map(|t| t.target);
        if before.as_ref() == Some(target) {
            return Ok(());
        }
        let (kind, text, value) = rows::target_columns(target);
        let row = VersionedRow::insertable("indicator_target", "årsmålet")
            .key("indicator_id", indicator.0)
            .key("node_id", node.0)
            .set("kind", kind)
            .set("text", text)
            .set("value", value)
            .set("updated_at", now_text());
        // Set from what this writer read: someone else's change in between is a conflict.
        self.write_versioned(row, found, found).await?;
        self.audit(
            "set_target",
            "indicator_target",
            format!("{indicator}/{node}"),
            before.as_ref(),
            Some(target),
        )
        .await
    }

    pub async fn create_activity(&mut self, new: NewActivity) -> R<Activity> {
        let goal = self.require_goal(new.goal_id).await?;
        new.validate(goal.level)?;
        self.check_item_owner(&goal, new.owner_id).await?;
        let now = now_text();
        let id: i64 = sqlx::query(
            "INSERT INTO activity (year, goal_id, owner_id, title, start_date, end_date, position, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8) RETURNING id",
        )
        .bind(i64::from(goal.year))
        .bind(new.goal_id.0)
        .bind(new.owner_id.0)
        .bind(new.title.trim().to_string())
        .bind(rows::date_text(new.start))
        .bind(rows::date_text(new.end))
        .bind(new.position)
        .bind(now)
        .fetch_one(&mut *self.tx)
        .await?
        .try_get(0)?;
        let activity = read::activity(&mut self.tx, ActivityId(id))
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("aktivitet {id}")))?;
        self.audit::<(), _>("create", "activity", id, None, Some(&activity))
            .await?;
        Ok(activity)
    }

    // ---- what a plan takes from what it inherits ----

    /// The plan takes an inherited board (or department) goal.
    pub async fn select_goal(&mut self, plan: PlanId, goal: GoalId) -> R<bool> {
        self.include(DocRef::Plan(plan), Item::Goal(goal)).await
    }

    /// The plan follows an inherited (council) indicator.
    pub async fn select_indicator(&mut self, plan: PlanId, indicator: IndicatorId) -> R<bool> {
        self.include(DocRef::Plan(plan), Item::Indicator(indicator))
            .await
    }

    /// The plan takes part in an inherited board activity.
    pub async fn select_activity(&mut self, plan: PlanId, activity: ActivityId) -> R<bool> {
        self.include(DocRef::Plan(plan), Item::Activity(activity))
            .await
    }

    // ---- plans ----

    /// Creates a unit's plan for a year, as a draft. A closed unit takes no new plan
    /// ([`OrgNode::takes_new_plans`]).
    pub async fn create_plan(&mut self, unit: NodeId, year: Year) -> R<Plan> {
        let node = self.require_node(unit).await?;
        if !node.takes_new_plans() {
            return Err(StoreError::Locked(format!(
                "{} «{}» är avvecklad och får inga nya planer",
                node.kind.definite_label(),
                node.name
            )));
        }
        self.create_plan_as(unit, year, PlanOrigin::Plan).await
    }

    /// Creates a unit's plan for a year, as a draft, saying why it exists. The importer's
    /// way: an old document of a unit closed since is still stored.
    pub async fn create_plan_as(
        &mut self,
        unit: NodeId,
        year: Year,
        origin: PlanOrigin,
    ) -> R<Plan> {
        let node = self.require_node(unit).await?;
        if node.kind != OrgKind::Unit {
            return Err(StoreError::NotFound(format!("enhet {unit}")));
        }
        self.ensure_year(year).await?;
        let now = now_text();
        // A first save: when someone else created the plan first, a conflict.
        let row = VersionedRow::insertable("plan", format!("planen för {year}"))
            .key("unit_id", unit.0)
            .key("year", i64::from(year))
            .on_insert("status", PlanStatus::Draft.code())
            .on_insert("origin", origin.code())
            .on_insert("created_at", now.clone())
            .on_insert("updated_at", now);
        self.write_versioned(row, 0, 0).await?;
        let plan = self
            .plan(unit, year)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("plan {year}")))?;
        self.audit::<(), _>("create", "plan", plan.id, None, Some(&plan))
            .await?;
        Ok(plan)
    }

    /// A plan that held only the reports of its year becomes a plan of its own (a plan
    /// document for the year was imported or written).
    pub async fn set_plan_origin(&mut self, plan: &Plan, origin: PlanOrigin) -> R<()> {
        if plan.origin == origin {
            return Ok(());
        }
        let row = VersionedRow::new("plan", format!("planen {}", plan.id))
            .key("id", plan.id.0)
            .set("origin", origin.code())
            .set("updated_at", now_text());
        self.write_versioned(row, plan.version, plan.version)
            .await?;
        self.audit(
            "set_origin",
            "plan",
            plan.id,
            Some(&plan.origin.code()),
            Some(&origin.code()),
        )
        .await
    }

    /// Sets the plan's status (draft, submitted, approved, returned). `expected_version`
    /// is the version the change was made from: a stale one is [`StoreError::Conflict`],
    /// never an overwrite. The status is only stored here; which status may follow which
    /// is not decided here. Setting the status the plan already has changes nothing and
    /// audits nothing (a stale version is still a conflict).
    pub async fn set_plan_status(
        &mut self,
        plan: PlanId,
        expected_version: i64,
        status: PlanStatus,
    ) -> R<Plan> {
        let before = self.require_plan(plan).await?;
        let row = DocRef::Plan(plan)
            .version_row()
            .set("status", status.code());
        if before.status == status {
            if before.version != expected_version {
                return Err(row.conflict(expected_version, before.version));
            }
            return Ok(before);
        }
        self.write_versioned(row, expected_version, before.version)
            .await?;
        let after = self.require_plan(plan).await?;
        self.audit("set_status", "plan", plan, Some(&before), Some(&after))
            .await?;
        Ok(after)
    }

    pub(crate) async fn require_plan(&mut self, plan: PlanId) -> R<Plan> {
        read::plan_by_id(&mut self.tx, plan)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("plan {plan}")))
    }

    /// Saves the text of one section of a plan. `expected_version` is the version the
    /// writer started from (0 when the section had no text yet); if someone saved in
    /// between, nothing is overwritten and [`StoreError::Conflict`] says so. A plan that is
    /// not open for writing (submitted or approved) is [`StoreError::Locked`]. A changed
    /// text clears the section's ready mark ([`Writer::clear_ready`]).
    pub async fn save_plan_section(
        &mut self,
        plan: PlanId,
        key: &str,
        body: &str,
        expected_version: i64,
    ) -> R<PlanSection> {
        self.save_plan_section_as(plan, key, body, expected_version, WriteAs::Person)
            .await
    }

    /// [`Writer::save_plan_section`] on behalf of `by`: the importer writes an approved
    /// plan's sections too.
    pub(crate) async fn save_plan_section_as(
        &mut self,
        plan: PlanId,
        key: &str,
        body: &str,
        expected_version: i64,
        by: WriteAs,
    ) -> R<PlanSection> {
        self.check_open(DocRef::Plan(plan), by).await?;
        let row = sqlx::query("SELECT unit_id, year FROM plan WHERE id = $1")
            .bind(plan.0)
            .fetch_optional(&mut *self.tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("plan {plan}")))?;
        let (unit, year): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
        let chain = self.chain(NodeId(unit)).await?;
        let admin = malkedja_domain::administration_of(&chain);
        let template = read::template(&mut self.tx, admin, year as Year).await?;
        if !template.iter().any(|t| t.key == key) {
            return Err(StoreError::NotFound(format!(
                "avsnittet {key:?} i planens mall"
            )));
        }
        let before = read::plan_section(&mut self.tx, plan, key).await?;
        let row = VersionedRow::insertable("plan_section", format!("avsnittet {key:?}"))
            .key("plan_id", plan.0)
            .key("key", key)
            .set("body", body)
            .set("updated_at", now_text());
        let found = before.as_ref().map(|s| s.version).unwrap_or(0);
        self.write_versioned(row, expected_version, found).await?;
        let after = read::plan_section(&mut self.tx, plan, key)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("avsnittet {key:?}")))?;
        self.audit(
            "save",
            "plan_section",
            format!("{plan}/{key}"),
            before.as_ref(),
            Some(&after),
        )
        .await?;
        // A section marked ready and then changed is no longer known to be done.
        let was = before.as_ref().map(|b| b.body.as_str()).unwrap_or("");
        if !malkedja_domain::same_body(was, body) {
            self.clear_ready(plan, &malkedja_domain::PlanPart::section(key))
                .await?;
        }
        Ok(after)
    }
}
