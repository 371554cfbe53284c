//! "Kopiera målstrukturen till nästa år": the council's, boards' and departments' goals of
//! one year, with their texts in force, indicators (with the council's targets and the
//! targets set by board, administration or department nodes) and activities (dates moved
//! one year), copied into the next year as a new structure that is edited like any other.
//! The year copied from is not changed.
//!
//! **Per owner, whole or not at all.** An owner (the city, a board, a department) that
//! already has goals in the next year is skipped and listed: its structure there was set
//! up already, and the copy never merges into it. So running the copy twice copies
//! nothing the second time. A copied goal whose parent was not copied hangs under the
//! parent's counterpart in the next year (same level and owner; number, then title); a
//! goal without one is listed and not copied, nor anything under it
//! ([`malkedja_domain::plan_structure_copy`]).
//!
//! Unit goals and the units' own indicators and activities are not part of the structure:
//! each unit carries its own into its next plan ("Utgå från förra årets plan").

use crate::read::{ACTIVITY_COLS, GOAL_COLS, INDICATOR_COLS, sql};
use crate::{Store, StoreError, Writer, read, rows};
use malkedja_domain::{
    Activity, Goal, GoalId, Indicator, IndicatorTarget, NewActivity, NewGoal, NewIndicator,
    NewParent, NodeId, OrgKind, OrgNode, StructurePlan, TextVersion, Year, one_year_later,
    plan_structure_copy, text_in_force,
};
use serde::Serialize;
use sqlx::AnyConnection;
use std::collections::{HashMap, HashSet};
use time::OffsetDateTime;

type R<T> = Result<T, StoreError>;

/// Which goals of a year [`YearItems::load`] reads, with everything hanging on them.
pub(crate) enum Goals<'a> {
    /// The council's, boards' and departments' goals (not units').
    Structure,
    /// The goals owned by these nodes.
    OwnedBy(&'a [NodeId]),
}

/// The goals of a year with their texts, indicators, targets and activities: five queries.
#[derive(Debug, Default)]
pub(crate) struct YearItems {
    pub goals: Vec<Goal>,
    pub texts: HashMap<GoalId, Vec<TextVersion>>,
    pub indicators: Vec<Indicator>,
    pub targets: Vec<IndicatorTarget>,
    pub activities: Vec<Activity>,
}

impl YearItems {
    pub(crate) async fn load(c: &mut AnyConnection, year: Year, which: Goals<'_>) -> R<YearItems> {
        let owners: &[NodeId] = match which {
            Goals::Structure => &[],
            Goals::OwnedBy([]) => return Ok(YearItems::default()),
            Goals::OwnedBy(o) => o,
        };
        let filter = if owners.is_empty() {
            "year = $1 AND removed_at IS NULL AND level <> 'unit'".to_string()
        } else {
            let places: Vec<String> = (0..owners.len()).map(|i| format!("${}", i + 2)).collect();
            format!(
                "year = $1 AND removed_at IS NULL AND owner_id IN ({})",
                places.join(", ")
            )
        };
        let bound = |text: String| {
            let mut q = sql(text).bind(i64::from(year));
            for o in owners {
                q = q.bind(o.0);
            }
            q
        };
        let goals: Vec<Goal> = bound(format!(
            "SELECT {GOAL_COLS} FROM goal WHERE {filter} ORDER BY position, id"
        ))
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(rows::goal)
        .collect::<R<_>>()?;
        let ids = format!("SELECT id FROM goal WHERE {filter}");
        let mut texts: HashMap<GoalId, Vec<TextVersion>> = HashMap::new();
        for r in bound(format!(
            "SELECT goal_id, section, revision, body, valid_from FROM goal_text WHERE goal_id IN ({ids})"
        ))
        .fetch_all(&mut *c)
        .await?
        {
            let (g, v) = rows::text_version(&r)?;
            texts.entry(g).or_default().push(v);
        }
        let indicators: Vec<Indicator> = bound(format!(
            "SELECT {INDICATOR_COLS} FROM indicator WHERE goal_id IN ({ids}) AND removed_at IS NULL ORDER BY position, id"
        ))
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(rows::indicator)
        .collect::<R<_>>()?;
        let targets: Vec<IndicatorTarget> = bound(format!(
            "SELECT indicator_id, node_id, kind, text, value FROM indicator_target \
             WHERE indicator_id IN (SELECT id FROM indicator WHERE goal_id IN ({ids}) AND removed_at IS NULL)"
        ))
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(rows::indicator_target)
        .collect::<R<_>>()?;
        let activities: Vec<Activity> = bound(format!(
            "SELECT {ACTIVITY_COLS} FROM activity WHERE goal_id IN ({ids}) AND removed_at IS NULL ORDER BY position, id"
        ))
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(rows::activity)
        .collect::<R<_>>()?;
        Ok(YearItems {
            goals,
            texts,
            indicators,
            targets,
            activities,
        })
    }

    pub(crate) fn goal(&self, id: GoalId) -> Option<&Goal> {
        self.goals.iter().find(|g| g.id == id)
    }

    /// The text in force now of each section of the goal that has text.
    pub(crate) fn texts_now(
        &self,
        goal: &Goal,
        now: OffsetDateTime,
    ) -> Vec<(malkedja_domain::GoalSection, String)> {
        let versions = self.texts.get(&goal.id).map_or(&[][..], Vec::as_slice);
        goal.level
            .sections()
            .iter()
            .filter_map(|s| {
                text_in_force(versions, *s, now)
                    .filter(|t| !t.body.trim().is_empty())
                    .map(|t| (*s, t.body.clone()))
            })
            .collect()
    }
}

/// What the copy does, or did, for one owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnerCount {
    pub owner: NodeId,
    pub name: String,
    pub kind: OrgKind,
    pub goals: usize,
    /// Text sections (Beskrivning, Förväntat resultat …) with text.
    pub texts: usize,
    pub indicators: usize,
    /// Targets (årsmål) set by the council, boards, administrations or departments.
    pub targets: usize,
    pub activities: usize,
    /// Goals the owner already has in the next year (an owner skipped for that reason).
    pub existing: usize,
}

/// What copying a year's structure into the next does (the confirmation page) or did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StructureCopy {
    pub from: Year,
    pub to: Year,
    /// Owners whose goals are (or were) copied, in the order of the organisation.
    pub copied: Vec<OwnerCount>,
    /// Owners that already have goals in the next year: not copied.
    pub skipped: Vec<OwnerCount>,
    /// Goals not copied because the goal they hang under has no counterpart next year.
    pub orphans: Vec<Goal>,
}

impl StructureCopy {
    /// Whether there is nothing to copy (everything there already, or nothing to copy from).
    pub fn is_empty(&self) -> bool {
        self.copied.is_empty()
    }

    /// Goals, texts, indicators, targets and activities copied, over all owners.
    pub fn totals(&self) -> (usize, usize, usize, usize, usize) {
        self.copied.iter().fold((0, 0, 0, 0, 0), |t, o| {
            (
                t.0 + o.goals,
                t.1 + o.texts,
                t.2 + o.indicators,
                t.3 + o.targets,
                t.4 + o.activities,
            )
        })
    }
}

/// Indicators, activities and targets belong to the structure when a node of the structure
/// owns them (not a unit or an operation, whose own items are carried with their plans).
fn structure_node(kind: Option<OrgKind>) -> bool {
    kind.is_some_and(|k| !matches!(k, OrgKind::Unit | OrgKind::Operation))
}

/// Everything the copy needs, read in one transaction.
struct Prepared {
    from: YearItems,
    plan: StructurePlan,
    nodes: HashMap<NodeId, OrgNode>,
    order: Vec<NodeId>,
    existing: HashMap<NodeId, usize>,
}

impl Prepared {
    async fn load(
        c: &mut AnyConnection,
        from: Year,
        allowed: Option<&HashSet<NodeId>>,
    ) -> R<Prepared> {
        let items = YearItems::load(c, from, Goals::Structure).await?;
        let next = YearItems::load_goals(c, from + 1).await?;
        let all = read::nodes(c).await?;
        let order = malkedja_domain::build_tree(&all);
        let mut ids = Vec::new();
        fn walk(t: &[malkedja_domain::OrgTree], out: &mut Vec<NodeId>) {
            for n in t {
                out.push(n.node.id);
                walk(&n.children, out);
            }
        }
        walk(&order, &mut ids);
        let plan = plan_structure_copy(&items.goals, &next, |n| {
            allowed.is_none_or(|a| a.contains(&n))
        });
        let mut existing: HashMap<NodeId, usize> = HashMap::new();
        for g in &next {
            *existing.entry(g.owner_id).or_default() += 1;
        }
        Ok(Prepared {
            from: items,
            plan,
            nodes: all.into_iter().map(|n| (n.id, n)).collect(),
            order: ids,
            existing,
        })
    }

    fn kind(&self, node: NodeId) -> Option<OrgKind> {
        self.nodes.get(&node).map(|n| n.kind)
    }

    fn indicators_of(&self, goal: GoalId) -> impl Iterator<Item = &Indicator> {
        self.from
            .indicators
            .iter()
            .filter(move |i| i.goal_id == goal && structure_node(self.kind(i.owner_id)))
    }

    fn targets_of(
        &self,
        indicator: malkedja_domain::IndicatorId,
    ) -> impl Iterator<Item = &IndicatorTarget> {
        self.from
            .targets
            .iter()
            .filter(move |t| t.indicator_id == indicator && structure_node(self.kind(t.node_id)))
    }

    fn activities_of(&self, goal: GoalId) -> impl Iterator<Item = &Activity> {
        self.from
            .activities
            .iter()
            .filter(move |a| a.goal_id == goal && structure_node(self.kind(a.owner_id)))
    }

    fn count(&self, node: NodeId) -> OwnerCount {
        let (name, kind) = self
            .nodes
            .get(&node)
            .map(|n| (n.name.clone(), n.kind))
            .unwrap_or_else(|| (format!("nod {node}"), OrgKind::City));
        OwnerCount {
            owner: node,
            name,
            kind,
            goals: 0,
            texts: 0,
            indicators: 0,
            targets: 0,
            activities: 0,
            existing: self.existing.get(&node).copied().unwrap_or(0),
        }
    }

    /// What the plan copies, counted per owner, as it stands before anything is written.
    fn summary(&self, now: OffsetDateTime) -> StructureCopy {
        let from = self.from.goals.first().map_or(0, |g| g.year);
        let mut copied: HashMap<NodeId, OwnerCount> = HashMap::new();
        for (id, _) in &self.plan.copy {
            let Some(g) = self.from.goal(*id) else {
                continue;
            };
            let c = copied
                .entry(g.owner_id)
                .or_insert_with(|| self.count(g.owner_id));
            c.goals += 1;
            c.texts += self.from.texts_now(g, now).len();
            for i in self.indicators_of(g.id) {
                c.indicators += 1;
                c.targets += self.targets_of(i.id).count();
            }
            c.activities += self.activities_of(g.id).count();
        }
        let in_order = |mut v: Vec<OwnerCount>| {
            v.sort_by_key(|c| self.order.iter().position(|n| *n == c.owner));
            v
        };
        StructureCopy {
            from,
            to: from + 1,
            copied: in_order(copied.into_values().collect()),
            skipped: in_order(
                self.plan
                    .skipped_owners
                    .iter()
                    .map(|n| self.count(*n))
                    .collect(),
            ),
            orphans: self
                .plan
                .orphans
                .iter()
                .filter_map(|id| self.from.goal(*id).cloned())
                .collect(),
        }
    }
}

impl YearItems {
    /// Only the structure's goals of a year (for what the next year has already).
    async fn load_goals(c: &mut AnyConnection, year: Year) -> R<Vec<Goal>> {
        sql(format!(
            "SELECT {GOAL_COLS} FROM goal WHERE year = $1 AND removed_at IS NULL AND level <> 'unit' ORDER BY position, id"
        ))
        .bind(i64::from(year))
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(rows::goal)
        .collect()
    }
}

fn with_year(mut s: StructureCopy, from: Year) -> StructureCopy {
    s.from = from;
    s.to = from + 1;
    s
}

impl Store {
    /// What copying the structure of `from` into the next year would do, for the owners in
    /// `allowed` (`None`: every owner): the confirmation page's counts. One snapshot.
    pub async fn structure_copy_preview(
        &self,
        from: Year,
        allowed: Option<&HashSet<NodeId>>,
    ) -> R<StructureCopy> {
        let mut tx = self.snapshot().await?;
        let p = Prepared::load(&mut tx, from, allowed).await?;
        tx.commit().await?;
        Ok(with_year(p.summary(OffsetDateTime::now_utc()), from))
    }
}

impl Writer {
    /// Copies the council's, boards' and departments' goals of `from` into the next year,
    /// for the owners in `allowed` (`None`: every owner), in this one transaction: goals
    /// with their texts in force now, indicators with council targets and the targets of
    /// structure nodes, activities with their dates moved one year. Owners that already
    /// have goals next year are skipped (see the module). Each thing made is audited, and
    /// the copy as a whole (`copy_structure` on `goal_structure`). Returns what was copied.
    pub async fn copy_structure(
        &mut self,
        from: Year,
        allowed: Option<&HashSet<NodeId>>,
    ) -> R<StructureCopy> {
        // Copies of the same year take turns: the second reads what the first made, finds
        // its owners set up and copies nothing (on PostgreSQL it waits on this row; on
        // SQLite writers take turns anyway).
        sqlx::query("UPDATE planning_year SET created_at = created_at WHERE year = $1")
            .bind(i64::from(from))
            .execute(&mut *self.tx)
            .await?;
        let p = Prepared::load(&mut self.tx, from, allowed).await?;
        let now = OffsetDateTime::now_utc();
        let summary = with_year(p.summary(now), from);
        let to = from + 1;
        let mut made: HashMap<GoalId, GoalId> = HashMap::new();
        for (old, parent) in &p.plan.copy {
            let Some(g) = p.from.goal(*old) else { continue };
            let parent_id = match parent {
                NewParent::Top => None,
                NewParent::Copied(x) => made.get(x).copied(),
                NewParent::Existing(x) => Some(*x),
            };
            let new = self
                .create_goal(NewGoal {
                    year: to,
                    level: g.level,
                    owner_id: g.owner_id,
                    parent_id,
                    number: g.number.clone(),
                    title: g.title.clone(),
                    position: g.position,
                })
                .await?;
            made.insert(g.id, new.id);
            for (section, body) in p.from.texts_now(g, now) {
                self.set_goal_text(new.id, section, &body, now).await?;
            }
            for i in p.indicators_of(g.id) {
                let copy = self
                    .create_indicator(NewIndicator {
                        year: to,
                        goal_id: new.id,
                        owner_id: i.owner_id,
                        name: i.name.clone(),
                        unit_of_measure: i.unit_of_measure.clone(),
                        periodicity: i.periodicity,
                        direction: i.direction,
                        value_kind: i.value_kind,
                        by_sex: i.by_sex,
                        council_target: i.council_target.clone(),
                        position: i.position,
                    })
                    .await?;
                for t in p.targets_of(i.id) {
                    self.set_target(copy.id, t.node_id, &t.target).await?;
                }
            }
            for a in p.activities_of(g.id) {
                self.create_activity(NewActivity {
                    year: to,
                    goal_id: new.id,
                    owner_id: a.owner_id,
                    title: a.title.clone(),
                    start: one_year_later(a.start),
                    end: one_year_later(a.end),
                    position: a.position,
                })
                .await?;
            }
        }
        if !summary.is_empty() {
            self.audit::<(), _>("copy_structure", "goal_structure", to, None, Some(&summary))
                .await?;
        }
        Ok(summary)
    }
}
