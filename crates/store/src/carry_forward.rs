//! "Utgå från förra årets plan": a unit's plan for a year started from its plan of the year
//! before, in one transaction.
//!
//! What is carried: the unit goals of last year's plan, each under this year's board or
//! department goal that its parent is found again as (same level and owner; number, then
//! title — [`malkedja_domain::carry_unit_goals`]) or that the writer chose, with their
//! texts, the unit's indicators (with the årsmål the plan stated and the unit's targets)
//! and activities (dates moved one year); the unit's own indicators and activities on
//! inherited goals; the choices of inherited goals, indicators and activities, found again
//! the same way (indicators and activities by name under the goal found again); the plan's
//! sections that this year's template has; and the facts of the unit and its operations.
//!
//! **It never overwrites.** What this year's plan has already — a unit goal with the same
//! title, a text section with text, an indicator or activity of the same name, a plan
//! section with text, facts — is kept and listed as skipped. So running it twice changes
//! nothing the second time. A goal whose parent is not found again is listed for the
//! writer to place (a choice of parent, or to leave it out) and carried when they have.
//!
//! A plan that is submitted or approved is [`StoreError::Locked`]; without last year's
//! plan there is nothing to start from ([`StoreError::NotFound`]).

use crate::read::{self, query};
use crate::structure::{Goals, YearItems};
use crate::{DocRef, GoalEdit, Store, StoreError, Writer};
use malkedja_domain::{
    Activity, ActivityEntry, Carry, Choice, Contents, Goal, GoalId, GoalLevel, Indicator,
    IndicatorEntry, MatchedBy, NewActivity, NewGoal, NewIndicator, NodeId, OrgKind, OrgNode, Plan,
    UnitFacts, Year, administration_of, carry_unit_goals, counterparts, find_by_name,
    one_year_later, same_name,
};
use serde::Serialize;
use sqlx::AnyConnection;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use time::OffsetDateTime;

type R<T> = Result<T, StoreError>;

/// One unit goal of last year's plan and where it goes this year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CarriedGoal {
    /// Last year's unit goal.
    pub goal: Goal,
    /// What it hung under last year.
    pub parent_then: Option<Goal>,
    /// What it hangs under this year (or, when it exists already, the goal itself's parent).
    pub parent_now: Option<Goal>,
    #[serde(skip)]
    pub carry: Carry,
}

impl CarriedGoal {
    /// How its place this year was found, when it was found rather than chosen.
    pub fn matched_by(&self) -> Option<MatchedBy> {
        match self.carry {
            Carry::Matched(_, by) => Some(by),
            _ => None,
        }
    }
}

/// What starting from last year's plan would do (the page before the writer confirms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarryPreview {
    pub unit: OrgNode,
    pub year: Year,
    /// Last year's plan.
    pub previous: Plan,
    /// This year's plan, if there is one.
    pub current: Option<Plan>,
    /// Last year's unit goals, in the plan's order.
    pub goals: Vec<CarriedGoal>,
    /// This year's board and department goals above the unit: where a goal can be placed.
    pub parents: Vec<Goal>,
}

impl CarryPreview {
    /// The goals the writer has to place (or leave out).
    pub fn unplaced(&self) -> impl Iterator<Item = &CarriedGoal> {
        self.goals.iter().filter(|g| g.carry == Carry::Unplaced)
    }
}

/// How much was made.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CarryCounts {
    pub goals: usize,
    pub texts: usize,
    pub indicators: usize,
    pub activities: usize,
    /// Inherited goals, indicators and activities taken into this year's plan.
    pub selections: usize,
    pub sections: usize,
    /// Units and operations whose facts were carried.
    pub facts: usize,
}

/// What starting from last year's plan did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CarryOutcome {
    pub plan: Plan,
    /// Whether this year's plan was made now.
    pub created_plan: bool,
    pub goals: Vec<CarriedGoal>,
    pub made: CarryCounts,
    /// What this year's plan had already and was kept, in Swedish ("Avsnittet Inledning").
    pub kept: Vec<String>,
    /// What could not be carried, in Swedish, and why.
    pub not_carried: Vec<String>,
}

impl CarryOutcome {
    /// The goals still to place.
    pub fn unplaced(&self) -> impl Iterator<Item = &CarriedGoal> {
        self.goals.iter().filter(|g| g.carry == Carry::Unplaced)
    }
}

/// What both the preview and the carrying read.
struct Loaded {
    chain: Vec<OrgNode>,
    previous: Plan,
    current: Option<Plan>,
    /// Last year's plan's contents.
    contents: Contents,
    last: Vec<Goal>,
    this: Vec<Goal>,
}

async fn load(c: &mut AnyConnection, unit: NodeId, year: Year) -> R<Loaded> {
    let chain = read::chain(c, unit).await?;
    let Some(node) = chain.first().filter(|n| n.kind == OrgKind::Unit) else {
        return Err(StoreError::NotFound(format!("enhet {unit}")));
    };
    let previous = read::plan(c, unit, year - 1).await?.ok_or_else(|| {
        StoreError::NotFound(format!(
            "{}s verksamhetsplan för {}, att utgå från,",
            node.name,
            year - 1
        ))
    })?;
    let current = read::plan(c, unit, year).await?;
    let contents = crate::document::contents(c, DocRef::Plan(previous.id)).await?;
    let owners: Vec<NodeId> = chain.iter().map(|n| n.id).collect();
    let last = read::goals_owned_by(c, year - 1, &owners).await?;
    let this = read::goals_owned_by(c, year, &owners).await?;
    Ok(Loaded {
        chain,
        previous,
        current,
        contents,
        last,
        this,
    })
}

impl Loaded {
    fn unit(&self) -> NodeId {
        self.chain[0].id
    }

    /// Last year's unit goals in the plan, in order.
    fn unit_goals(&self) -> Vec<Goal> {
        let unit = self.unit();
        self.last
            .iter()
            .filter(|g| {
                g.level == GoalLevel::Unit
                    && g.owner_id == unit
                    && self.contents.goals.contains(&g.id)
            })
            .cloned()
            .collect()
    }

    fn carried(&self, choices: &HashMap<GoalId, Choice>) -> Vec<CarriedGoal> {
        let goals = self.unit_goals();
        let find = |list: &[Goal], id: Option<GoalId>| {
            id.and_then(|id| list.iter().find(|g| g.id == id).cloned())
        };
        carry_unit_goals(&goals, &self.last, &self.this, choices)
            .into_iter()
            .zip(goals)
            .map(|(carry, goal)| {
                let parent_now = match carry {
                    Carry::Exists(g) => find(
                        &self.this,
                        find(&self.this, Some(g)).and_then(|g| g.parent_id),
                    ),
                    other => find(&self.this, other.target()),
                };
                CarriedGoal {
                    parent_then: find(&self.last, goal.parent_id),
                    parent_now,
                    goal,
                    carry,
                }
            })
            .collect()
    }

    fn parents(&self) -> Vec<Goal> {
        self.this
            .iter()
            .filter(|g| matches!(g.level, GoalLevel::Board | GoalLevel::Department))
            .cloned()
            .collect()
    }
}

impl Store {
    /// What "Utgå från förra årets plan" would do for a unit's plan of `year`, in one
    /// snapshot: last year's unit goals and where each would go. [`StoreError::NotFound`]
    /// when the unit has no plan for the year before.
    pub async fn carry_preview(&self, unit: NodeId, year: Year) -> R<CarryPreview> {
        let mut tx = self.snapshot().await?;
        let l = load(&mut tx, unit, year).await?;
        tx.commit().await?;
        Ok(CarryPreview {
            unit: l.chain[0].clone(),
            year,
            goals: l.carried(&HashMap::new()),
            parents: l.parents(),
            previous: l.previous,
            current: l.current,
        })
    }

    /// The years for which the unit could start its plan from the year before's: a
    /// planning year after one the unit has a plan for, in which it has no plan or an empty
    /// draft (nothing in its contents, no section text). Newest first.
    pub async fn carry_offers(&self, unit: NodeId) -> R<Vec<Year>> {
        let mut c = self.conn().await?;
        let plans = read::plans_of(&mut c, unit).await?;
        let years: Vec<Year> = query("SELECT year FROM planning_year ORDER BY year DESC")
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(|r| Ok(sqlx::Row::try_get::<i64, _>(r, 0)? as Year))
            .collect::<R<_>>()?;
        let mut out = Vec::new();
        for y in years {
            if !plans.iter().any(|p| p.year == y - 1) {
                continue;
            }
            match plans.iter().find(|p| p.year == y) {
                None => out.push(y),
                Some(p) if p.status.open_for_writing() => {
                    let contents = crate::document::contents(&mut c, DocRef::Plan(p.id)).await?;
                    let written = read::section_bodies(&mut c, p.id)
                        .await?
                        .iter()
                        .any(|s| !s.body.trim().is_empty());
                    if contents.is_empty() && !written {
                        out.push(y);
                    }
                }
                Some(_) => {}
            }
        }
        Ok(out)
    }
}

impl Writer {
    /// Starts (or fills in) a unit's plan for `year` from its plan of the year before: see
    /// the module. `choices` places the goals whose parent is not found again, or leaves
    /// them out. One transaction; everything made is audited, and the whole as
    /// `carry_forward` on the plan.
    pub async fn carry_forward(
        &mut self,
        unit: NodeId,
        year: Year,
        choices: &HashMap<GoalId, Choice>,
    ) -> R<CarryOutcome> {
        let first = load(&mut self.tx, unit, year).await?;
        // An existing plan must be open; one that was imported reads as written today from
        // now on, like any plan a person writes in.
        let (plan, created_plan) = match &first.current {
            Some(_) => match self.plan_for_owner(unit, year).await? {
                Some(p) => (p, false),
                None => return Err(StoreError::NotFound(format!("enhet {unit}"))),
            },
            None => (self.create_plan(unit, year).await?, true),
        };
        // The plan's version moves on first: someone carrying into the same plan at the
        // same moment is a conflict (on PostgreSQL they wait here, then find it moved),
        // never a second copy of everything. Then read again, as of now.
        self.write_versioned(
            DocRef::Plan(plan.id).version_row(),
            plan.version,
            plan.version,
        )
        .await?;
        let l = load(&mut self.tx, unit, year).await?;
        let chain_ids: Vec<NodeId> = l.chain.iter().map(|n| n.id).collect();
        let last = YearItems::load(&mut self.tx, year - 1, Goals::OwnedBy(&chain_ids)).await?;
        let mut this = YearItems::load(&mut self.tx, year, Goals::OwnedBy(&chain_ids)).await?;
        let mut contents = self.contents(DocRef::Plan(plan.id)).await?;
        let now = OffsetDateTime::now_utc();
        let mut made = CarryCounts::default();
        let mut kept: Vec<String> = Vec::new();
        let mut not_carried: Vec<String> = Vec::new();
        let goals = l.carried(choices);

        // The unit's goals, with their texts, indicators and activities.
        let mut goal_map: HashMap<GoalId, GoalId> = HashMap::new();
        for c in &goals {
            let g = &c.goal;
            let target = match c.carry {
                Carry::Exists(existing) => {
                    kept.push(format!("Enhetsmålet \"{}\" fanns redan", g.title));
                    existing
                }
                Carry::Matched(parent, _) | Carry::Chosen(parent) => {
                    let new = self
                        .create_goal(NewGoal {
                            year,
                            level: GoalLevel::Unit,
                            owner_id: unit,
                            parent_id: Some(parent),
                            number: g.number.clone(),
                            title: g.title.clone(),
                            position: g.position,
                        })
                        .await?;
                    made.goals += 1;
                    this.goals.push(new.clone());
                    new.id
                }
                Carry::LeftOut | Carry::Unplaced => continue,
            };
            goal_map.insert(g.id, target);
            contents.goals.insert(target);
            let Some(now_goal) = this.goal(target).cloned() else {
                continue;
            };
            let written = this.texts_now(&now_goal, now);
            let mut missing = Vec::new();
            for (section, body) in last.texts_now(g, now) {
                if written.iter().any(|(s, _)| *s == section) {
                    kept.push(format!(
                        "{} i enhetsmålet \"{}\"",
                        section.heading(),
                        g.title
                    ));
                } else {
                    missing.push((section, body));
                }
            }
            made.texts += missing.len();
            if matches!(c.carry, Carry::Exists(_)) {
                // A goal someone may have open: its version moves on with the texts, so a
                // save from a page opened before is a conflict, not an overwrite.
                if !missing.is_empty() {
                    let edit = GoalEdit {
                        sections: missing,
                        ..GoalEdit::default()
                    };
                    self.save_goal(target, now_goal.version, &edit).await?;
                }
            } else {
                for (section, body) in missing {
                    self.set_goal_text(target, section, &body, now).await?;
                }
            }
        }

        // The unit's own indicators and activities: on its goals, and on inherited goals.
        let found = counterparts(&l.last, &l.this);
        let owned = |owner: NodeId| owner == unit;
        let places = Places {
            last: &last,
            carried: &goal_map,
            found: &found,
            goals: &goals,
            unit,
        };
        for i in last
            .indicators
            .iter()
            .filter(|i| owned(i.owner_id) && l.contents.indicators.contains_key(&i.id))
        {
            let entry = l
                .contents
                .indicators
                .get(&i.id)
                .cloned()
                .unwrap_or_default();
            let name = entry.name.clone().unwrap_or_else(|| i.name.clone());
            let goal = match places.place(i, &name, &this.indicators) {
                Place::Under(goal) => goal,
                Place::Exists(x) => {
                    kept.push(format!("Indikatorn \"{}\" fanns redan", x.name));
                    contents
                        .indicators
                        .entry(x.id)
                        .or_insert_with(|| IndicatorEntry::with_target(entry.target.clone()));
                    continue;
                }
                Place::Nowhere { say } => {
                    if say {
                        not_carried.push(format!(
                            "Indikatorn \"{name}\": målet den hörde till finns inte i år"
                        ));
                    }
                    continue;
                }
            };
            let new = self
                .create_indicator(NewIndicator {
                    year,
                    goal_id: goal,
                    owner_id: unit,
                    name,
                    unit_of_measure: i.unit_of_measure.clone(),
                    periodicity: entry.periodicity.unwrap_or(i.periodicity),
                    direction: i.direction,
                    value_kind: i.value_kind,
                    by_sex: i.by_sex,
                    council_target: i.council_target.clone(),
                    position: entry.position.unwrap_or(i.position),
                })
                .await?;
            for t in last
                .targets
                .iter()
                .filter(|t| t.indicator_id == i.id && t.node_id == unit)
            {
                self.set_target(new.id, unit, &t.target).await?;
            }
            contents
                .indicators
                .insert(new.id, IndicatorEntry::with_target(entry.target.clone()));
            this.indicators.push(new);
            made.indicators += 1;
        }
        for a in last
            .activities
            .iter()
            .filter(|a| owned(a.owner_id) && l.contents.activities.contains_key(&a.id))
        {
            let entry = l
                .contents
                .activities
                .get(&a.id)
                .cloned()
                .unwrap_or_default();
            let title = entry.title.clone().unwrap_or_else(|| a.title.clone());
            let goal = match places.place(a, &title, &this.activities) {
                Place::Under(goal) => goal,
                Place::Exists(x) => {
                    kept.push(format!("Aktiviteten \"{}\" fanns redan", x.title));
                    contents.activities.entry(x.id).or_default();
                    continue;
                }
                Place::Nowhere { say } => {
                    if say {
                        not_carried.push(format!(
                            "Aktiviteten \"{title}\": målet den hörde till finns inte i år"
                        ));
                    }
                    continue;
                }
            };
            let new = self
                .create_activity(NewActivity {
                    year,
                    goal_id: goal,
                    owner_id: unit,
                    title,
                    start: one_year_later(a.start),
                    end: one_year_later(a.end),
                    position: entry.position.unwrap_or(a.position),
                })
                .await?;
            contents.activities.insert(new.id, ActivityEntry::default());
            this.activities.push(new);
            made.activities += 1;
        }

        // What the unit chose of what it inherits.
        for g in l
            .last
            .iter()
            .filter(|g| !owned(g.owner_id) && l.contents.goals.contains(&g.id))
        {
            match found.get(&g.id) {
                Some((now_id, _)) => {
                    if contents.goals.insert(*now_id) {
                        made.selections += 1;
                    }
                }
                None => not_carried.push(format!(
                    "Valet av {} \"{}\": målet finns inte i år",
                    g.level.label(),
                    g.title
                )),
            }
        }
        for i in last
            .indicators
            .iter()
            .filter(|i| !owned(i.owner_id) && l.contents.indicators.contains_key(&i.id))
        {
            let entry = l
                .contents
                .indicators
                .get(&i.id)
                .cloned()
                .unwrap_or_default();
            let candidates: Vec<_> = match found.get(&i.goal_id) {
                Some((g, _)) => this
                    .indicators
                    .iter()
                    .filter(|x| x.goal_id == *g && !owned(x.owner_id))
                    .cloned()
                    .collect(),
                None => Vec::new(),
            };
            match find_by_name(&i.name, &candidates, |x| x.name.as_str()) {
                Some(x) => {
                    if let Entry::Vacant(e) = contents.indicators.entry(x.id) {
                        e.insert(IndicatorEntry::with_target(entry.target.clone()));
                        made.selections += 1;
                    }
                }
                None => not_carried.push(format!(
                    "Valet av indikatorn \"{}\": den finns inte i år",
                    i.name
                )),
            }
        }
        for a in last
            .activities
            .iter()
            .filter(|a| !owned(a.owner_id) && l.contents.activities.contains_key(&a.id))
        {
            let candidates: Vec<_> = match found.get(&a.goal_id) {
                Some((g, _)) => this
                    .activities
                    .iter()
                    .filter(|x| x.goal_id == *g && !owned(x.owner_id))
                    .cloned()
                    .collect(),
                None => Vec::new(),
            };
            match find_by_name(&a.title, &candidates, |x| x.title.as_str()) {
                Some(x) => {
                    if let Entry::Vacant(e) = contents.activities.entry(x.id) {
                        e.insert(ActivityEntry::default());
                        made.selections += 1;
                    }
                }
                None => not_carried.push(format!(
                    "Valet av aktiviteten \"{}\": den finns inte i år",
                    a.title
                )),
            }
        }
        self.set_contents(DocRef::Plan(plan.id), &contents).await?;

        // The plan's own sections, under the keys this year's template has.
        let admin = administration_of(&l.chain);
        let template_then = read::template(&mut self.tx, admin, year - 1).await?;
        let template_now = read::template(&mut self.tx, admin, year).await?;
        let mut sections = read::section_bodies(&mut self.tx, l.previous.id).await?;
        sections.sort_by_key(|s| template_then.iter().position(|t| t.key == s.key));
        for s in sections.iter().filter(|s| !s.body.trim().is_empty()) {
            let heading = |t: &[malkedja_domain::TemplateSection], y: Year| {
                t.iter()
                    .find(|t| t.key == s.key)
                    .map(|t| t.heading_for(y))
                    .unwrap_or_else(|| s.key.clone())
            };
            if !template_now.iter().any(|t| t.key == s.key) {
                not_carried.push(format!(
                    "Avsnittet \"{}\": årets mall har det inte",
                    heading(&template_then, year - 1)
                ));
                continue;
            }
            let current = self.plan_section(plan.id, &s.key).await?;
            if current.as_ref().is_some_and(|c| !c.body.trim().is_empty()) {
                kept.push(format!("Avsnittet \"{}\"", heading(&template_now, year)));
                continue;
            }
            let version = current.map_or(0, |c| c.version);
            self.save_plan_section(plan.id, &s.key, &s.body, version)
                .await?;
            made.sections += 1;
        }

        // The facts of the unit and its operations.
        let mut nodes = vec![l.chain[0].clone()];
        nodes.extend(
            read::children(&mut self.tx, unit)
                .await?
                .into_iter()
                .filter(|n| n.kind == OrgKind::Operation),
        );
        for n in nodes {
            let Some(then) = read::facts(&mut self.tx, n.id, year - 1).await? else {
                continue;
            };
            if read::facts(&mut self.tx, n.id, year).await?.is_some() {
                kept.push(format!("Uppgifterna om {} för {year}", n.name));
                continue;
            }
            let mut facts = UnitFacts {
                year,
                version: 0,
                ..then
            };
            for m in &mut facts.staff_meetings {
                m.date = one_year_later(m.date);
            }
            self.save_facts(&facts).await?;
            made.facts += 1;
        }

        let plan = self.require_plan(plan.id).await?;
        let outcome = CarryOutcome {
            plan,
            created_plan,
            goals,
            made,
            kept,
            not_carried,
        };
        self.audit::<(), _>(
            "carry_forward",
            "plan",
            outcome.plan.id,
            None,
            Some(&outcome),
        )
        .await?;
        Ok(outcome)
    }
}

/// An indicator or activity, as carrying the unit's own needs it.
trait OwnItem {
    fn goal(&self) -> GoalId;
    fn owner(&self) -> NodeId;
    fn name(&self) -> &str;
}

impl OwnItem for Indicator {
    fn goal(&self) -> GoalId {
        self.goal_id
    }
    fn owner(&self) -> NodeId {
        self.owner_id
    }
    fn name(&self) -> &str {
        &self.name
    }
}

impl OwnItem for Activity {
    fn goal(&self) -> GoalId {
        self.goal_id
    }
    fn owner(&self) -> NodeId {
        self.owner_id
    }
    fn name(&self) -> &str {
        &self.title
    }
}

/// Where one of the unit's own indicators or activities of last year goes.
enum Place<'a, T> {
    /// Under this goal of this year.
    Under(GoalId),
    /// That goal has one of the unit's with the same name already.
    Exists(&'a T),
    /// Its goal is not carried: `say` whether to list it (not when its unit goal is left
    /// out or waits for a place, which is listed itself).
    Nowhere { say: bool },
}

/// What placing the unit's own items needs: last year's goals, what the unit goals became,
/// and the counterparts of the inherited ones.
struct Places<'a> {
    last: &'a YearItems,
    carried: &'a HashMap<GoalId, GoalId>,
    found: &'a HashMap<GoalId, (GoalId, MatchedBy)>,
    goals: &'a [CarriedGoal],
    unit: NodeId,
}

impl Places<'_> {
    /// Where `item` (called `name` in last year's plan) goes, among `now`, this year's
    /// items: to what its unit goal became, or to the counterpart of the inherited goal it
    /// hung on.
    fn place<'n, T: OwnItem>(&self, item: &T, name: &str, now: &'n [T]) -> Place<'n, T> {
        let goal = item.goal();
        let target = match self.last.goal(goal) {
            Some(g) if g.level == GoalLevel::Unit => self.carried.get(&goal).copied(),
            Some(_) => self.found.get(&goal).map(|(g, _)| *g),
            None => None,
        };
        let Some(target) = target else {
            let left = self
                .goals
                .iter()
                .any(|c| c.goal.id == goal && c.carry.target().is_none());
            return Place::Nowhere { say: !left };
        };
        match now
            .iter()
            .find(|x| x.goal() == target && x.owner() == self.unit && same_name(x.name(), name))
        {
            Some(x) => Place::Exists(x),
            None => Place::Under(target),
        }
    }
}
