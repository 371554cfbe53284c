//! What a unit chooses for its plan from what it inherits (urval), and the plan's facts
//! about the unit and its operations: the reads behind their pages and the writes, each
//! refused on a plan that is not open for writing.
//!
//! Choosing replaces the inherited part of the plan's record in one write
//! ([`Writer::set_selection`], through [`Writer::set_contents`]: audited as
//! `document_contents`, the plan's version moved on). The rules of what may be chosen and
//! what stays chosen are the domain's ([`Choices`]).

use crate::{DocRef, Store, StoreError, Writer, read};
use malkedja_domain::{Choices, Contents, OrgNode, Plan, PlanId, Selection, UnitFacts, Year};
use sqlx::AnyConnection;

type R<T> = Result<T, StoreError>;

/// A unit's plan for a year with everything it may choose from and what it contains now.
#[derive(Debug, Clone)]
pub struct PlanChoices {
    pub plan: Plan,
    pub choices: Choices,
    pub contents: Contents,
}

/// A unit's plan for a year with the facts of the unit and of its operations that year.
#[derive(Debug, Clone)]
pub struct PlanFacts {
    pub plan: Plan,
    /// The unit and its ancestors, unit first.
    pub chain: Vec<OrgNode>,
    pub facts: Option<UnitFacts>,
    pub operations: Vec<(OrgNode, Option<UnitFacts>)>,
}

/// Six queries: the chain, the plan, its contents, the goals, their indicators (with
/// targets) and activities.
async fn plan_choices(
    c: &mut AnyConnection,
    unit: malkedja_domain::NodeId,
    year: Year,
) -> R<Option<PlanChoices>> {
    let chain = read::chain(c, unit).await?;
    if chain.is_empty() {
        return Ok(None);
    }
    let Some(plan) = read::plan(c, unit, year).await? else {
        return Ok(None);
    };
    let contents = crate::document::contents(c, DocRef::Plan(plan.id)).await?;
    let owners: Vec<_> = chain.iter().map(|n| n.id).collect();
    let goals = read::goals_owned_by(c, year, &owners).await?;
    let (indicators, targets, activities) = if goals.is_empty() {
        Default::default()
    } else {
        read::items_of_year(c, year, &owners).await?
    };
    Ok(Some(PlanChoices {
        plan,
        choices: Choices {
            chain,
            goals,
            indicators,
            targets,
            activities,
        },
        contents,
    }))
}

async fn plan_facts(
    c: &mut AnyConnection,
    unit: malkedja_domain::NodeId,
    year: Year,
) -> R<Option<PlanFacts>> {
    let chain = read::chain(c, unit).await?;
    if chain.is_empty() {
        return Ok(None);
    }
    let Some(plan) = read::plan(c, unit, year).await? else {
        return Ok(None);
    };
    let (facts, operations) = read::facts_with_operations(c, unit, year).await?;
    Ok(Some(PlanFacts {
        plan,
        chain,
        facts,
        operations,
    }))
}

impl Store {
    /// The unit's plan for the year with what it may choose from, in one snapshot; `None`
    /// when the unit has no plan that year.
    pub async fn plan_choices(
        &self,
        unit: malkedja_domain::NodeId,
        year: Year,
    ) -> R<Option<PlanChoices>> {
        let mut tx = self.snapshot().await?;
        let out = plan_choices(&mut tx, unit, year).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// The unit's plan for the year with the facts of the unit and its operations, in one
    /// snapshot; `None` when the unit has no plan that year.
    pub async fn plan_facts(
        &self,
        unit: malkedja_domain::NodeId,
        year: Year,
    ) -> R<Option<PlanFacts>> {
        let mut tx = self.snapshot().await?;
        let out = plan_facts(&mut tx, unit, year).await?;
        tx.commit().await?;
        Ok(out)
    }
}

/// The facts without their version: what a save compares.
fn content(f: &UnitFacts) -> UnitFacts {
    UnitFacts {
        version: 0,
        ..f.clone()
    }
}

fn is_empty(f: &UnitFacts) -> bool {
    f.managers.is_empty()
        && f.staff.is_empty()
        && f.clients.is_none()
        && f.budget_kr.is_none()
        && f.staff_meetings.is_empty()
}

impl Writer {
    /// Replaces what the plan takes from what its unit inherits with `selection` (see
    /// [`Choices::apply`]: goals carrying the unit's own goals stay, the unit's own items
    /// are left as they are). `expected_version` is the plan's version the choice was made
    /// from: a stale one is [`StoreError::Conflict`], and nothing is changed. A plan that
    /// is not open for writing is [`StoreError::Locked`]; an item the unit cannot choose is
    /// [`malkedja_domain::DomainError::NotSelectable`]. Returns the plan as it now is (its
    /// version moved on when anything changed).
    pub async fn set_selection(
        &mut self,
        plan: PlanId,
        expected_version: i64,
        selection: &Selection,
    ) -> R<Plan> {
        let before = self.require_plan_open(plan).await?;
        let doc = DocRef::Plan(plan);
        if before.version != expected_version {
            return Err(doc.version_row().conflict(expected_version, before.version));
        }
        let found = plan_choices(&mut self.tx, before.unit_id, before.year)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("plan {plan}")))?;
        let new = found.choices.apply(&found.contents, selection)?;
        self.set_contents(doc, &new).await?;
        self.require_plan(plan).await
    }

    /// Saves the facts of a plan's unit and of its operations for the plan's year, all or
    /// nothing. Each states the version it started from (0: none stored): a stale one is
    /// [`StoreError::Conflict`]. Facts equal to those stored, and empty facts where none
    /// are stored, are not written. A plan that is not open for writing is
    /// [`StoreError::Locked`]; a node that is neither the unit nor one of its operations,
    /// or another year, is [`StoreError::NotFound`].
    pub async fn save_plan_facts(
        &mut self,
        plan: PlanId,
        facts: &[UnitFacts],
    ) -> R<Vec<UnitFacts>> {
        let p = self.require_plan_open(plan).await?;
        let (own, operations) =
            read::facts_with_operations(&mut self.tx, p.unit_id, p.year).await?;
        let mut stored: Vec<(malkedja_domain::NodeId, Option<UnitFacts>)> = vec![(p.unit_id, own)];
        stored.extend(operations.into_iter().map(|(n, f)| (n.id, f)));
        let mut out = Vec::new();
        for f in facts {
            let before = stored
                .iter()
                .find(|(n, _)| *n == f.node_id)
                .filter(|_| f.year == p.year)
                .ok_or_else(|| {
                    StoreError::NotFound(format!(
                        "enheten eller verksamheten {} i planen för {}",
                        f.node_id, p.year
                    ))
                })?
                .1
                .clone();
            let found = before.as_ref().map(|b| b.version).unwrap_or(0);
            let unchanged = match &before {
                Some(b) => content(b) == content(f),
                None => is_empty(f),
            };
            if unchanged {
                if found != f.version {
                    return Err(StoreError::Conflict {
                        entity: "enhetens uppgifter".into(),
                        expected: f.version,
                        actual: found,
                    });
                }
                out.extend(before);
                continue;
            }
            out.push(self.save_facts(f).await?);
        }
        Ok(out)
    }
}
