//! Writing the cascade: goals with their texts, indicators and activities, as the writers
//! of a unit (its own goals under the board's) and of a board or department (theirs) do it,
//! one save at a time.
//!
//! Every save states the version it started from ([`crate::versioned`]): a goal's version
//! covers its title and its texts, so two people editing the same goal are a conflict,
//! never a mix. What a unit owns belongs to its plan for the year: it is written only while
//! that plan is open ([`malkedja_domain::PlanStatus::open_for_writing`]), and a new goal,
//! indicator or activity joins the plan's contents in the same transaction. What a board
//! owns is revised: a new text is a new revision, so an approved plan keeps the one it was
//! pinned to.
//!
//! Removing keeps the row, marked `removed_at`; every read leaves it out, with all that
//! hangs on it, and [`Writer::restore`] brings it back. Both are in the audit trail.

use crate::versioned::VersionedRow;
use crate::{DocRef, Item, StoreError, Writer, now_text, read};
use malkedja_domain::{
    Activity, ActivityId, Direction, Goal, GoalId, GoalSection, Indicator, IndicatorId,
    NewActivity, NewGoal, NewIndicator, NodeId, OrgKind, Periodicity, Plan, Target, ValueKind,
    Year,
};
use sqlx::Row;
use time::Date;

type R<T> = Result<T, StoreError>;

/// A goal's title (and number, above the unit) and the texts a writer sends. A section
/// left out is not changed; an empty text empties it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoalEdit {
    pub title: Option<String>,
    /// `Some(None)` removes the number.
    pub number: Option<Option<String>>,
    pub sections: Vec<(GoalSection, String)>,
}

/// What a writer sets on an indicator. The target (årsmål) is the owner's: the unit's in
/// its plan, the board's or department's on the indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorEdit {
    pub name: String,
    pub unit_of_measure: Option<String>,
    pub periodicity: Periodicity,
    pub direction: Direction,
    pub value_kind: ValueKind,
    /// Redovisas för kvinnor och män ([`Indicator::by_sex`]); never for a text indicator.
    pub by_sex: bool,
    pub target: Option<Target>,
}

/// What a writer sets on an activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityEdit {
    pub title: String,
    pub start: Date,
    pub end: Date,
}

/// Which way an item moves among its siblings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
}

impl Item {
    fn table(self) -> &'static str {
        match self {
            Item::Goal(_) => "goal",
            Item::Indicator(_) => "indicator",
            Item::Activity(_) => "activity",
        }
    }
    fn id(self) -> i64 {
        match self {
            Item::Goal(g) => g.0,
            Item::Indicator(i) => i.0,
            Item::Activity(a) => a.0,
        }
    }
    /// The item in Swedish, for messages ("målet 7").
    fn what(self) -> String {
        match self {
            Item::Goal(g) => format!("målet {g}"),
            Item::Indicator(i) => format!("indikatorn {i}"),
            Item::Activity(a) => format!("aktiviteten {a}"),
        }
    }
    /// The items it sits among: a goal among the goals with its owner and parent, an
    /// indicator or activity among its owner's on the same goal.
    fn siblings_sql(self) -> &'static str {
        match self {
            Item::Goal(_) => {
                "SELECT s.id FROM goal s JOIN goal g ON g.id = $1 WHERE s.owner_id = g.owner_id AND s.year = g.year \
                 AND (s.parent_id = g.parent_id OR (s.parent_id IS NULL AND g.parent_id IS NULL)) \
                 AND s.removed_at IS NULL ORDER BY s.position, s.id"
            }
            Item::Indicator(_) => {
                "SELECT s.id FROM indicator s JOIN indicator i ON i.id = $1 WHERE s.goal_id = i.goal_id \
                 AND s.owner_id = i.owner_id AND s.removed_at IS NULL ORDER BY s.position, s.id"
            }
            Item::Activity(_) => {
                "SELECT s.id FROM activity s JOIN activity a ON a.id = $1 WHERE s.goal_id = a.goal_id \
                 AND s.owner_id = a.owner_id AND s.removed_at IS NULL ORDER BY s.position, s.id"
            }
        }
    }
}

/// The stored state of an item that editing needs: its owner, year, version and whether
/// it is removed.
struct State {
    owner: NodeId,
    year: Year,
    version: i64,
    removed: bool,
}

impl Writer {
    async fn state(&mut self, item: Item) -> R<State> {
        let table = item.table();
        let row = crate::read::sql(format!(
            "SELECT owner_id, year, version, removed_at FROM {table} WHERE id = $1"
        ))
        .bind(item.id())
        .fetch_optional(&mut *self.tx)
        .await?
        .ok_or_else(|| StoreError::NotFound(item.what()))?;
        Ok(State {
            owner: NodeId(row.try_get(0)?),
            year: row.try_get::<i64, _>(1)? as Year,
            version: row.try_get(2)?,
            removed: row.try_get::<Option<String>, _>(3)?.is_some(),
        })
    }

    /// The item, unless it was removed (then it cannot be edited: [`StoreError::NotFound`]).
    async fn live(&mut self, item: Item) -> R<State> {
        let s = self.state(item).await?;
        if s.removed {
            return Err(StoreError::NotFound(format!(
                "{} (det är borttaget; återställ det från historiken för att ändra det)",
                item.what()
            )));
        }
        Ok(s)
    }

    /// The plan that what `owner` owns in `year` is written in, when `owner` is a unit: it
    /// must be open for writing ([`StoreError::Locked`] otherwise). `None` for a board's,
    /// department's or the city's own goals, which are revised instead.
    pub async fn plan_for_owner(&mut self, owner: NodeId, year: Year) -> R<Option<Plan>> {
        let node = self.require_node(owner).await?;
        if node.kind != OrgKind::Unit {
            return Ok(None);
        }
        let plan = self
            .plan(owner, year)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("{}s plan för {year}", node.name)))?;
        let plan = self.require_plan_open(plan.id).await?;
        // An imported plan reads its goal texts as they stood on the document's date. Once
        // a person writes in it, it reads as written today: the unit's new texts, and the
        // board's texts in force now, which the writer saw while writing.
        if self.plan_written_at(plan.id).await?.is_some() {
            let row = VersionedRow::new("plan", format!("planen {}", plan.id))
                .key("id", plan.id.0)
                .set("written_at", None::<String>)
                .set("updated_at", now_text());
            self.write_versioned(row, plan.version, plan.version)
                .await?;
            self.audit::<(), ()>("written_now", "plan", plan.id, None, None)
                .await?;
            return Ok(Some(self.require_plan(plan.id).await?));
        }
        Ok(Some(plan))
    }

    /// The next free position among an item's future siblings.
    async fn next_position(&mut self, sql: &str, binds: &[i64]) -> R<i64> {
        let mut q = crate::read::sql(sql.to_string());
        for b in binds {
            q = q.bind(*b);
        }
        let max: Option<i64> = q.fetch_one(&mut *self.tx).await?.try_get(0)?;
        Ok(max.map_or(0, |m| m + 1))
    }

    // ---- goals ----

    /// Adds a goal with its texts, last among its siblings. A unit's goal joins its plan
    /// for the year, which must be open. `new.position` is ignored.
    pub async fn add_goal(
        &mut self,
        mut new: NewGoal,
        sections: &[(GoalSection, String)],
    ) -> R<Goal> {
        let plan = self.plan_for_owner(new.owner_id, new.year).await?;
        new.position = match new.parent_id {
            Some(p) => {
                self.next_position(
                    "SELECT MAX(position) FROM goal WHERE owner_id = $1 AND year = $2 AND parent_id = $3",
                    &[new.owner_id.0, i64::from(new.year), p.0],
                )
                .await?
            }
            None => {
                self.next_position(
                    "SELECT MAX(position) FROM goal WHERE owner_id = $1 AND year = $2 AND parent_id IS NULL",
                    &[new.owner_id.0, i64::from(new.year)],
                )
                .await?
            }
        };
        if let Some(p) = new.parent_id {
            self.live(Item::Goal(p)).await?;
        }
        let goal = self.create_goal(new).await?;
        if let Some(plan) = &plan {
            self.include(DocRef::Plan(plan.id), Item::Goal(goal.id))
                .await?;
        }
        let now = time::OffsetDateTime::now_utc();
        for (section, body) in sections {
            if !body.trim().is_empty() {
                self.set_goal_text(goal.id, *section, body, now).await?;
            }
        }
        Ok(goal)
    }

    /// Saves a goal's title and texts, from `expected_version`. A stale version is
    /// [`StoreError::Conflict`] and nothing is written; a text that did not change adds no
    /// revision.
    pub async fn save_goal(
        &mut self,
        id: GoalId,
        expected_version: i64,
        edit: &GoalEdit,
    ) -> R<Goal> {
        let state = self.live(Item::Goal(id)).await?;
        let plan = self.plan_for_owner(state.owner, state.year).await?;
        let before = self.require_goal(id).await?;
        // A unit goal that was marked ready is being changed: it is not ready any more.
        if let Some(plan) = &plan {
            self.clear_ready(plan.id, &malkedja_domain::PlanPart::goal(id))
                .await?;
        }
        let title = match &edit.title {
            Some(t) if t.trim().is_empty() => {
                return Err(malkedja_domain::DomainError::EmptyTitle.into());
            }
            Some(t) => t.trim().to_string(),
            None => before.title.clone(),
        };
        let number = match &edit.number {
            Some(n) => n
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string),
            None => before.number.clone(),
        };
        if before.level.is_council() && number != before.number {
            // The council's numbers follow rules of their own (1, 1.3 under 1).
            let parent = match before.parent_id {
                Some(p) => Some(self.require_goal(p).await?),
                None => None,
            };
            let owner = self.require_node(before.owner_id).await?;
            NewGoal {
                year: before.year,
                level: before.level,
                owner_id: before.owner_id,
                parent_id: before.parent_id,
                number: number.clone(),
                title: title.clone(),
                position: before.position,
            }
            .validate(parent.as_ref(), owner.kind)?;
        }
        let row = VersionedRow::new("goal", format!("målet \"{}\"", before.title))
            .key("id", id.0)
            .set("title", title)
            .set("number", number)
            .set("updated_at", now_text());
        self.write_versioned(row, expected_version, before.version)
            .await?;
        let now = time::OffsetDateTime::now_utc();
        for (section, body) in &edit.sections {
            self.set_goal_text(id, *section, body, now).await?;
        }
        let after = self.require_goal(id).await?;
        self.audit("update", "goal", id, Some(&before), Some(&after))
            .await?;
        Ok(after)
    }

    /// A unit goal's indicators and activities are part of it: changing one takes away the
    /// goal's ready mark in the unit's plan, as editing the goal itself does.
    async fn unready_goal(&mut self, plan: Option<&Plan>, goal: GoalId) -> R<()> {
        if let Some(plan) = plan {
            self.clear_ready(plan.id, &malkedja_domain::PlanPart::goal(goal))
                .await?;
        }
        Ok(())
    }

    // ---- indicators ----

    /// Adds an indicator to a goal, last among the owner's on it, with the owner's target.
    /// A unit's indicator joins its plan (with the target as the plan states it).
    pub async fn add_indicator(
        &mut self,
        mut new: NewIndicator,
        target: Option<Target>,
    ) -> R<Indicator> {
        let goal = self.live(Item::Goal(new.goal_id)).await?;
        let plan = self.plan_for_owner(new.owner_id, goal.year).await?;
        new.position = self
            .next_position(
                "SELECT MAX(position) FROM indicator WHERE goal_id = $1 AND owner_id = $2",
                &[new.goal_id.0, new.owner_id.0],
            )
            .await?;
        let indicator = self.create_indicator(new).await?;
        self.unready_goal(plan.as_ref(), indicator.goal_id).await?;
        self.set_owner_target(&indicator, plan.as_ref(), target)
            .await?;
        Ok(indicator)
    }

    /// The owner's target: in a unit's plan, or on the indicator for a board.
    async fn set_owner_target(
        &mut self,
        indicator: &Indicator,
        plan: Option<&Plan>,
        target: Option<Target>,
    ) -> R<()> {
        match (plan, target) {
            (Some(plan), target) => {
                self.set_document_target(DocRef::Plan(plan.id), indicator.id, target)
                    .await?;
            }
            (None, Some(t)) => {
                self.set_target(indicator.id, indicator.owner_id, &t)
                    .await?;
            }
            (None, None) => {
                self.clear_target(indicator.id, indicator.owner_id).await?;
            }
        }
        Ok(())
    }

    async fn clear_target(&mut self, indicator: IndicatorId, node: NodeId) -> R<()> {
        let done =
            sqlx::query("DELETE FROM indicator_target WHERE indicator_id = $1 AND node_id = $2")
                .bind(indicator.0)
                .bind(node.0)
                .execute(&mut *self.tx)
                .await?;
        if done.rows_affected() > 0 {
            self.audit::<(), ()>(
                "clear_target",
                "indicator_target",
                format!("{indicator}/{node}"),
                None,
                None,
            )
            .await?;
        }
        Ok(())
    }

    /// Saves an indicator, from `expected_version`.
    pub async fn save_indicator(
        &mut self,
        id: IndicatorId,
        expected_version: i64,
        edit: &IndicatorEdit,
    ) -> R<Indicator> {
        let state = self.live(Item::Indicator(id)).await?;
        let plan = self.plan_for_owner(state.owner, state.year).await?;
        let before = read::indicator(&mut self.tx, id)
            .await?
            .ok_or_else(|| StoreError::NotFound(Item::Indicator(id).what()))?;
        if edit.name.trim().is_empty() {
            return Err(malkedja_domain::DomainError::EmptyName.into());
        }
        malkedja_domain::check_by_sex(edit.value_kind, edit.by_sex)?;
        let row = VersionedRow::new("indicator", format!("indikatorn \"{}\"", before.name))
            .key("id", id.0)
            .set("name", edit.name.trim().to_string())
            .set(
                "unit_of_measure",
                edit.unit_of_measure
                    .as_deref()
                    .map(str::trim)
                    .filter(|u| !u.is_empty())
                    .map(str::to_string),
            )
            .set("periodicity", edit.periodicity.code())
            .set("direction", edit.direction.code())
            .set("value_kind", edit.value_kind.code())
            .set("by_sex", i64::from(edit.by_sex))
            .set("updated_at", now_text());
        self.write_versioned(row, expected_version, before.version)
            .await?;
        self.unready_goal(plan.as_ref(), before.goal_id).await?;
        let after = read::indicator(&mut self.tx, id)
            .await?
            .ok_or_else(|| StoreError::NotFound(Item::Indicator(id).what()))?;
        self.set_owner_target(&after, plan.as_ref(), edit.target.clone())
            .await?;
        self.audit("update", "indicator", id, Some(&before), Some(&after))
            .await?;
        Ok(after)
    }

    /// Marks an indicator as reported for women and men ([`Indicator::by_sex`]), from the
    /// version stored: what an import does when its document gives women's or men's
    /// outcomes for an indicator that was not. Audited like a save. Returns whether it
    /// changed anything: not for an indicator that already is, nor for a text indicator,
    /// which cannot be.
    pub async fn mark_by_sex(&mut self, id: IndicatorId) -> R<bool> {
        let before = read::indicator(&mut self.tx, id)
            .await?
            .ok_or_else(|| StoreError::NotFound(Item::Indicator(id).what()))?;
        if before.by_sex || before.value_kind == ValueKind::Text {
            return Ok(false);
        }
        let row = VersionedRow::new("indicator", format!("indikatorn \"{}\"", before.name))
            .key("id", id.0)
            .set("by_sex", 1)
            .set("updated_at", now_text());
        self.write_versioned(row, before.version, before.version)
            .await?;
        let after = read::indicator(&mut self.tx, id)
            .await?
            .ok_or_else(|| StoreError::NotFound(Item::Indicator(id).what()))?;
        self.audit("update", "indicator", id, Some(&before), Some(&after))
            .await?;
        Ok(true)
    }

    // ---- activities ----

    /// Adds an activity to a goal, last among the owner's on it. A unit's activity joins
    /// its plan.
    pub async fn add_activity(&mut self, mut new: NewActivity) -> R<Activity> {
        let goal = self.live(Item::Goal(new.goal_id)).await?;
        let plan = self.plan_for_owner(new.owner_id, goal.year).await?;
        new.position = self
            .next_position(
                "SELECT MAX(position) FROM activity WHERE goal_id = $1 AND owner_id = $2",
                &[new.goal_id.0, new.owner_id.0],
            )
            .await?;
        let activity = self.create_activity(new).await?;
        self.unready_goal(plan.as_ref(), activity.goal_id).await?;
        if let Some(plan) = plan {
            self.include(DocRef::Plan(plan.id), Item::Activity(activity.id))
                .await?;
        }
        Ok(activity)
    }

    /// Saves an activity, from `expected_version`.
    pub async fn save_activity(
        &mut self,
        id: ActivityId,
        expected_version: i64,
        edit: &ActivityEdit,
    ) -> R<Activity> {
        let state = self.live(Item::Activity(id)).await?;
        let plan = self.plan_for_owner(state.owner, state.year).await?;
        let before = read::activity(&mut self.tx, id)
            .await?
            .ok_or_else(|| StoreError::NotFound(Item::Activity(id).what()))?;
        let goal = self.require_goal(before.goal_id).await?;
        NewActivity {
            year: before.year,
            goal_id: before.goal_id,
            owner_id: before.owner_id,
            title: edit.title.clone(),
            start: edit.start,
            end: edit.end,
            position: before.position,
        }
        .validate(goal.level)?;
        let row = VersionedRow::new("activity", format!("aktiviteten \"{}\"", before.title))
            .key("id", id.0)
            .set("title", edit.title.trim().to_string())
            .set("start_date", crate::rows::date_text(edit.start))
            .set("end_date", crate::rows::date_text(edit.end))
            .set("updated_at", now_text());
        self.write_versioned(row, expected_version, before.version)
            .await?;
        self.unready_goal(plan.as_ref(), before.goal_id).await?;
        let after = read::activity(&mut self.tx, id)
            .await?
            .ok_or_else(|| StoreError::NotFound(Item::Activity(id).what()))?;
        self.audit("update", "activity", id, Some(&before), Some(&after))
            .await?;
        Ok(after)
    }

    // ---- any of them ----

    /// Removes a goal, indicator or activity, from `expected_version`: it is kept, marked
    /// removed, and every read leaves it out with what hangs on it. A goal with goals of
    /// other owners under it is not removed ([`StoreError::Placement`]): theirs would
    /// vanish with it.
    pub async fn remove(&mut self, item: Item, expected_version: i64) -> R<()> {
        let state = self.live(item).await?;
        let plan = self.plan_for_owner(state.owner, state.year).await?;
        let parent_goal = match item {
            Item::Goal(_) => None,
            Item::Indicator(i) => read::indicator(&mut self.tx, i).await?.map(|x| x.goal_id),
            Item::Activity(a) => read::activity(&mut self.tx, a).await?.map(|x| x.goal_id),
        };
        if let Some(goal) = parent_goal {
            self.unready_goal(plan.as_ref(), goal).await?;
        }
        if let Item::Goal(g) = item {
            let others: i64 = sqlx::query(
                "SELECT COUNT(*) FROM goal WHERE parent_id = $1 AND removed_at IS NULL",
            )
            .bind(g.0)
            .fetch_one(&mut *self.tx)
            .await?
            .try_get(0)?;
            if others > 0 {
                return Err(StoreError::Placement(format!(
                    "målet har {others} mål under sig; ta bort eller flytta dem först"
                )));
            }
        }
        let row = VersionedRow::new(item.table(), item.what())
            .key("id", item.id())
            .set("removed_at", now_text())
            .set("updated_at", now_text());
        self.write_versioned(row, expected_version, state.version)
            .await?;
        let before = self.item_json(item).await?;
        self.audit::<_, ()>("remove", item.table(), item.id(), Some(&before), None)
            .await
    }

    /// Brings back a removed goal, indicator or activity, last among its siblings.
    /// Restoring what is not removed changes nothing. A goal whose parent is removed must
    /// wait for the parent ([`StoreError::Placement`]).
    pub async fn restore(&mut self, item: Item) -> R<()> {
        let state = self.state(item).await?;
        if !state.removed {
            return Ok(());
        }
        self.plan_for_owner(state.owner, state.year).await?;
        let parent: Option<i64> = match item {
            Item::Goal(g) => self.require_goal(g).await?.parent_id.map(|p| p.0),
            Item::Indicator(i) => read::indicator(&mut self.tx, i).await?.map(|x| x.goal_id.0),
            Item::Activity(a) => read::activity(&mut self.tx, a).await?.map(|x| x.goal_id.0),
        };
        if let Some(p) = parent
            && self.state(Item::Goal(GoalId(p))).await?.removed
        {
            return Err(StoreError::Placement(
                "det ligger under ett mål som är borttaget; återställ det målet först".into(),
            ));
        }
        let table = item.table();
        let row = VersionedRow::new(table, item.what())
            .key("id", item.id())
            .set("removed_at", None::<String>)
            .set("updated_at", now_text());
        self.write_versioned(row, state.version, state.version)
            .await?;
        let after = self.item_json(item).await?;
        self.audit::<(), _>("restore", table, item.id(), None, Some(&after))
            .await
    }

    /// Moves an item one step up or down among its siblings, from `expected_version`. At
    /// the top (or bottom) already, nothing changes.
    pub async fn move_item(&mut self, item: Item, expected_version: i64, to: Move) -> R<()> {
        let state = self.live(item).await?;
        self.plan_for_owner(state.owner, state.year).await?;
        let mut order: Vec<i64> = sqlx::query(item.siblings_sql())
            .bind(item.id())
            .fetch_all(&mut *self.tx)
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, _>>()?;
        let Some(at) = order.iter().position(|id| *id == item.id()) else {
            return Err(StoreError::NotFound(item.what()));
        };
        let other = match to {
            Move::Up if at > 0 => at - 1,
            Move::Down if at + 1 < order.len() => at + 1,
            _ => {
                if state.version != expected_version {
                    return Err(VersionedRow::new(item.table(), item.what())
                        .conflict(expected_version, state.version));
                }
                return Ok(());
            }
        };
        order.swap(at, other);
        let row = VersionedRow::new(item.table(), item.what())
            .key("id", item.id())
            .set("position", other as i64)
            .set("updated_at", now_text());
        self.write_versioned(row, expected_version, state.version)
            .await?;
        // The others keep their versions: where an item sits among its siblings is not
        // what its writer edits, so moving one never makes another's save stale.
        let table = item.table();
        let renumber = match item {
            Item::Goal(_) => "UPDATE goal SET position = $1 WHERE id = $2 AND position <> $1",
            Item::Indicator(_) => {
                "UPDATE indicator SET position = $1 WHERE id = $2 AND position <> $1"
            }
            Item::Activity(_) => {
                "UPDATE activity SET position = $1 WHERE id = $2 AND position <> $1"
            }
        };
        for (position, id) in order.iter().enumerate() {
            if *id != item.id() {
                sqlx::query(renumber)
                    .bind(position as i64)
                    .bind(*id)
                    .execute(&mut *self.tx)
                    .await?;
            }
        }
        self.audit(
            "move",
            table,
            item.id(),
            Some(&serde_json::json!({ "position": at })),
            Some(&serde_json::json!({ "position": other })),
        )
        .await
    }

    /// The item as the audit trail shows it.
    async fn item_json(&mut self, item: Item) -> R<serde_json::Value> {
        let value = match item {
            Item::Goal(g) => serde_json::to_value(self.require_goal(g).await?),
            Item::Indicator(i) => serde_json::to_value(read::indicator(&mut self.tx, i).await?),
            Item::Activity(a) => serde_json::to_value(read::activity(&mut self.tx, a).await?),
        };
        value.map_err(|e| StoreError::Corrupt(e.to_string()))
    }

    /// Whether a goal, indicator or activity is removed (`None`: there is no such item).
    pub async fn is_removed(&mut self, item: Item) -> R<Option<bool>> {
        match self.state(item).await {
            Ok(s) => Ok(Some(s.removed)),
            Err(StoreError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// What the editing pages read of one goal, in one snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalForEditing {
    pub goal: Goal,
    pub removed: bool,
    /// The text in force now of each section that has one.
    pub texts: Vec<(GoalSection, String)>,
    /// The goal owner's own indicators and activities on it (not removed), in order.
    pub indicators: Vec<Indicator>,
    pub activities: Vec<Activity>,
}

/// An indicator as its edit page reads it: whether it is removed, and its owner's target
/// (the unit's in its plan, or the board's on the indicator).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorForEditing {
    pub indicator: Indicator,
    pub removed: bool,
    pub target: Option<Target>,
}

async fn removed(c: &mut sqlx::AnyConnection, item: Item) -> R<bool> {
    let table = item.table();
    let row = crate::read::sql(format!("SELECT removed_at FROM {table} WHERE id = $1"))
        .bind(item.id())
        .fetch_optional(&mut *c)
        .await?;
    Ok(match row {
        Some(r) => r.try_get::<Option<String>, _>(0)?.is_some(),
        None => false,
    })
}

impl crate::Store {
    pub async fn goal_for_editing(&self, id: GoalId) -> R<Option<GoalForEditing>> {
        let mut tx = self.snapshot().await?;
        let Some(goal) = read::goal(&mut tx, id).await? else {
            return Ok(None);
        };
        let removed = removed(&mut tx, Item::Goal(id)).await?;
        let versions = read::goal_texts(&mut tx, id).await?;
        let now = time::OffsetDateTime::now_utc();
        let texts = GoalSection::ALL
            .into_iter()
            .filter_map(|s| {
                malkedja_domain::text_in_force(&versions, s, now).map(|v| (s, v.body.clone()))
            })
            .collect();
        let indicators = read::indicators_on(&mut tx, id)
            .await?
            .into_iter()
            .filter(|i| i.owner_id == goal.owner_id)
            .collect();
        let activities = read::activities_on(&mut tx, id)
            .await?
            .into_iter()
            .filter(|a| a.owner_id == goal.owner_id)
            .collect();
        tx.commit().await?;
        Ok(Some(GoalForEditing {
            goal,
            removed,
            texts,
            indicators,
            activities,
        }))
    }

    pub async fn indicator_for_editing(&self, id: IndicatorId) -> R<Option<IndicatorForEditing>> {
        let mut tx = self.snapshot().await?;
        let Some(indicator) = read::indicator(&mut tx, id).await? else {
            return Ok(None);
        };
        let removed = removed(&mut tx, Item::Indicator(id)).await?;
        let owner = read::node(&mut tx, indicator.owner_id).await?;
        let target = match owner.map(|n| n.kind) {
            Some(OrgKind::Unit) => {
                match read::plan(&mut tx, indicator.owner_id, indicator.year).await? {
                    Some(plan) => crate::document::contents(&mut tx, DocRef::Plan(plan.id))
                        .await?
                        .indicators
                        .get(&id)
                        .and_then(|e| e.target.clone()),
                    None => None,
                }
            }
            _ => match sqlx::query(
                "SELECT kind, text, value FROM indicator_target WHERE indicator_id = $1 AND node_id = $2",
            )
            .bind(id.0)
            .bind(indicator.owner_id.0)
            .fetch_optional(&mut *tx)
            .await?
            {
                Some(r) => {
                    crate::rows::target(r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)?
                }
                None => None,
            },
        };
        tx.commit().await?;
        Ok(Some(IndicatorForEditing {
            indicator,
            removed,
            target,
        }))
    }

    /// An activity and whether it is removed.
    pub async fn activity_for_editing(&self, id: ActivityId) -> R<Option<(Activity, bool)>> {
        let mut c = self.conn().await?;
        let Some(activity) = read::activity(&mut c, id).await? else {
            return Ok(None);
        };
        let removed = removed(&mut c, Item::Activity(id)).await?;
        Ok(Some((activity, removed)))
    }
}
