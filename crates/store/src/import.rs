//! Stores a document parsed by `malkedja_import` (a plan, tertial report or annual report
//! from the old system's text export) under its unit, inside one [`Writer`] transaction.
//!
//! Everything is found before it is created, so importing the same file twice changes
//! nothing the second time, and documents of the same year share their council and board
//! goals: the same level, parent and title (whitespace normalised) is the same goal. A
//! board text that differs from the one in force is stored as a new version of it, in force
//! from when the document was written.

use crate::workflow::WriteAs;
use crate::{DocRef, StoreError, Writer};
use malkedja_domain::{
    ActivityEntry, ActivityFollowUp, ComplaintRow, Contents, Direction, Goal, GoalAssessment,
    GoalId, GoalLevel, GoalSection, IndicatorEntry, IndicatorOutcome, Measure, NewActivity,
    NewGoal, NewIndicator, NewNode, NodeId, OrgKind, OrgNode, Periodicity, Placement, PlanOrigin,
    ReportKind, ReportSection, Target, TemplateSection, ValueKind, Year, match_names,
    normalize_whitespace, same_name,
};
use malkedja_import as doc;
use serde::Serialize;
use time::{Date, Month, OffsetDateTime};

type R<T> = Result<T, StoreError>;

/// Which unit a document is stored under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitChoice {
    /// The unit the document names; found by name, or created.
    FromDocument,
    /// An existing unit.
    Id(NodeId),
    /// A unit of this name; found, or created.
    Name(String),
}

/// Where and how to store an imported document.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub unit: UnitChoice,
    /// Where the unit is: an existing unit is looked for only in this subtree, and a unit
    /// that does not exist yet is created here (an administration or department). Without
    /// it, the whole organisation is searched and a new unit goes under the only
    /// administration there is (or a new organisation when there is none).
    pub under: Option<NodeId>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            unit: UnitChoice::FromDocument,
            under: None,
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub unit_id: i64,
    pub unit: String,
    pub kind: String,
    pub year: Year,
    /// Organisation nodes created to hold the document ("enhet Stöd- och aktivitetsenheten").
    pub created_nodes: Vec<String>,
    pub goals_created: usize,
    pub goals_reused: usize,
    /// New versions of goal texts.
    pub texts_written: usize,
    /// Texts the document was tied to (a new version, or one that was already there).
    pub texts_pinned: usize,
    pub indicators_created: usize,
    pub activities_created: usize,
    pub sections_written: usize,
    pub follow_ups_written: usize,
    /// Whether the document's record of what it contains changed.
    pub contents_changed: bool,
    /// Items of the document taken as a stored item of another name (a typo, a word broken
    /// across a table cell).
    pub near_matches: Vec<NearMatch>,
    /// Things stored differently from the document, or left out, and why.
    pub notes: Vec<String>,
}

/// An item of the document taken as a stored item whose name differs a little.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NearMatch {
    /// "indicator" or "activity".
    pub item: &'static str,
    /// The name in the document.
    pub document: String,
    /// The name stored, which the document's item is now.
    pub stored: String,
}

impl ImportSummary {
    /// Whether the import changed anything.
    pub fn changed_anything(&self) -> bool {
        !self.created_nodes.is_empty()
            || self.goals_created
                + self.texts_written
                + self.texts_pinned
                + self.indicators_created
                + self.activities_created
                > 0
            || self.sections_written + self.follow_ups_written > 0
            || self.contents_changed
    }
}

fn report_kind(k: doc::DocumentKind) -> Option<ReportKind> {
    match k {
        doc::DocumentKind::Plan => None,
        doc::DocumentKind::Tertial1 => Some(ReportKind::Tertial1),
        doc::DocumentKind::Tertial2 => Some(ReportKind::Tertial2),
        doc::DocumentKind::AnnualReport => Some(ReportKind::AnnualReport),
    }
}

fn midnight(d: Date) -> OffsetDateTime {
    d.midnight().assume_utc()
}

/// When a document of this kind was written, as far as the text says: a plan at the start
/// of its year, a report at the end of its period.
fn base_time(kind: Option<ReportKind>, year: Year) -> OffsetDateTime {
    match kind {
        None => midnight(Date::from_calendar_date(year, Month::January, 1).unwrap_or(Date::MIN)),
        Some(k) => midnight(k.period_end(year)),
    }
}

fn parse_date(s: Option<&str>) -> Option<Date> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    s.and_then(|s| Date::parse(s.trim(), &fmt).ok())
}

/// A goal of the document as stored: its id, level and owner.
#[derive(Clone, Copy)]
struct Placed {
    id: GoalId,
    level: GoalLevel,
    owner: NodeId,
}

struct Importer<'a> {
    w: &'a mut Writer,
    d: &'a doc::ImportDocument,
    summary: ImportSummary,
}

/// Stores `d` through `w`. Nothing is committed here: the caller commits the writer, so
/// several documents can be stored in one transaction.
pub async fn import_document(
    w: &mut Writer,
    d: &doc::ImportDocument,
    opts: &ImportOptions,
) -> R<ImportSummary> {
    if !(1900..=2200).contains(&d.year) {
        return Err(StoreError::Placement(format!(
            "året {} går inte att använda för en verksamhetsplan eller rapport",
            d.year
        )));
    }
    let mut imp = Importer {
        w,
        d,
        summary: ImportSummary::default(),
    };
    imp.summary.kind = d.kind.as_str().to_string();
    imp.summary.year = d.year;
    imp.run(opts).await?;
    Ok(imp.summary)
}

impl Importer<'_> {
    async fn run(&mut self, opts: &ImportOptions) -> R<()> {
        let year = self.d.year;
        let unit = self.place_unit(opts).await?;
        self.summary.unit_id = unit.id.0;
        self.summary.unit = unit.name.clone();
        let chain = self.w.chain(unit.id).await?;
        let kind = report_kind(self.d.kind);
        // A report imported before its plan gets a plan that only holds the year's reports.
        let plan = match self.w.plan(unit.id, year).await? {
            Some(p) => p,
            None => {
                let origin = match kind {
                    None => PlanOrigin::Plan,
                    Some(_) => PlanOrigin::Report,
                };
                self.w.create_plan_as(unit.id, year, origin).await?
            }
        };
        let goal_ids = self.goals(&chain).await?;
        let written_at = base_time(kind, year);
        let doc = match kind {
            None => {
                self.w.set_plan_origin(&plan, PlanOrigin::Plan).await?;
                self.w.set_plan_written_at(plan.id, written_at).await?;
                DocRef::Plan(plan.id)
            }
            Some(kind) => {
                let report = self.w.ensure_report(plan.id, kind, written_at).await?;
                DocRef::Report(report.id)
            }
        };
        self.texts(&goal_ids, written_at, doc).await?;
        let indicators = self.indicators(&chain, &goal_ids).await?;
        let activities = self.activities(&chain, &goal_ids).await?;

        // The document's own record of what it contains, replacing what an earlier import
        // of it stored.
        let mut contents = Contents::default();
        contents.goals.extend(goal_ids.iter().map(|p| p.id));
        contents.indicators.extend(indicators.iter().cloned());
        contents.activities.extend(activities.iter().cloned());
        self.summary.contents_changed = self
            .w
            .set_contents_as(doc, &contents, WriteAs::Import)
            .await?;

        let indicator_ids: Vec<_> = indicators.iter().map(|(id, _)| *id).collect();
        let activity_ids: Vec<_> = activities.iter().map(|(id, _)| *id).collect();
        match doc {
            DocRef::Plan(plan) => self.plan_sections(&chain, plan).await?,
            DocRef::Report(report) => {
                self.follow_up(report, &goal_ids, &indicator_ids, &activity_ids)
                    .await?;
                // What a re-imported report no longer contains loses its follow-up.
                self.summary.follow_ups_written +=
                    self.w.retain_follow_up(report, &contents).await?;
            }
        }
        for warning in &self.d.warnings {
            self.summary
                .notes
                .push(format!("rad {}: {}", warning.line, warning.message));
        }
        Ok(())
    }

    /// Finds the unit, or creates it (and what it needs above it).
    async fn place_unit(&mut self, opts: &ImportOptions) -> R<OrgNode> {
        let nodes = self.w.nodes().await?;
        let under = match opts.under {
            Some(id) => Some(
                nodes
                    .iter()
                    .find(|n| n.id == id)
                    .cloned()
                    .ok_or_else(|| StoreError::NotFound(format!("organisationsnod {id}")))?,
            ),
            None => None,
        };
        // With --under, only that subtree is searched.
        let in_scope: Vec<&OrgNode> = match &under {
            Some(root) => nodes
                .iter()
                .filter(|n| malkedja_domain::is_within(&nodes, n.id, root.id))
                .collect(),
            None => nodes.iter().collect(),
        };
        let name = match &opts.unit {
            UnitChoice::Id(id) => {
                return in_scope
                    .into_iter()
                    .find(|n| n.id == *id && n.kind == OrgKind::Unit)
                    .cloned()
                    .ok_or_else(|| StoreError::NotFound(format!("enhet {id}")));
            }
            UnitChoice::Name(n) => n.clone(),
            UnitChoice::FromDocument => self.d.unit.clone(),
        };
        let named: Vec<&&OrgNode> = in_scope
            .iter()
            .filter(|n| n.kind == OrgKind::Unit && same_name(&n.name, &name))
            .collect();
        match named.as_slice() {
            [only] => return Ok((**only).clone()),
            [] => {}
            several => {
                let ids: Vec<String> = several.iter().map(|n| n.id.to_string()).collect();
                return Err(StoreError::Placement(format!(
                    "det finns flera enheter som heter \"{name}\" (id {}): ange var den ligger med --under ID eller välj en med --unit ID",
                    ids.join(", ")
                )));
            }
        }
        let mut parent = match under {
            Some(n) => {
                if !matches!(n.kind, OrgKind::Administration | OrgKind::Department) {
                    return Err(StoreError::Placement(format!(
                        "{} är en {}; en ny enhet läggs under en förvaltning eller avdelning",
                        n.name, n.kind
                    )));
                }
                n
            }
            None => self.administration(&nodes).await?,
        };
        let department_goals: Vec<&str> = self
            .d
            .goals
            .iter()
            .filter(|g| g.level == doc::GoalLevel::Department)
            .map(|g| g.title.as_str())
            .collect();
        if !department_goals.is_empty() && parent.kind == OrgKind::Administration {
            parent = self.department(&nodes, &parent, &department_goals).await?;
        }
        self.create(Some(parent.id), OrgKind::Unit, &normalize_whitespace(&name))
            .await
    }

    /// The department under `admin` whose goals of the year include every department goal
    /// of the document, or a new one when none has them.
    async fn department(
        &mut self,
        nodes: &[OrgNode],
        admin: &OrgNode,
        wanted: &[&str],
    ) -> R<OrgNode> {
        let mut matching = Vec::new();
        let mut count = 0;
        for d in nodes
            .iter()
            .filter(|n| n.parent_id == Some(admin.id) && n.kind == OrgKind::Department)
        {
            count += 1;
            let goals = self.w.goals_owned_by(self.d.year, &[d.id]).await?;
            if wanted.iter().all(|w| {
                goals
                    .iter()
                    .any(|g| g.level == GoalLevel::Department && same_name(&g.title, w))
            }) {
                matching.push(d.clone());
            }
        }
        match matching.len() {
            1 => Ok(matching.remove(0)),
            0 => {
                let name = if count == 0 {
                    "Avdelningen".to_string()
                } else {
                    format!("Avdelning {}", count + 1)
                };
                let node = self
                    .create(Some(admin.id), OrgKind::Department, &name)
                    .await?;
                self.summary.notes.push(format!(
                    "ingen avdelning under {} har dokumentets avdelningsmål för {}; enheten lades under en ny avdelning, \"{name}\" (id {}). Byt namn med `malkedja org rename`, flytta med `malkedja org move`, eller ange avdelningen med --under ID",
                    admin.name, self.d.year, node.id
                ));
                Ok(node)
            }
            _ => Err(StoreError::Placement(format!(
                "flera avdelningar under {} har dokumentets avdelningsmål för {}: ange vilken med --under ID",
                admin.name, self.d.year
            ))),
        }
    }

    /// The only administration there is, or a new city → board → administration.
    async fn administration(&mut self, nodes: &[OrgNode]) -> R<OrgNode> {
        let admins: Vec<&OrgNode> = nodes
            .iter()
            .filter(|n| n.kind == OrgKind::Administration)
            .collect();
        match admins.as_slice() {
            [only] => return Ok((*only).clone()),
            [] => {}
            _ => {
                return Err(StoreError::Placement(
                    "det finns flera förvaltningar: ange var enheten ska ligga (--under ID) eller en befintlig enhet (--unit ID)".into(),
                ));
            }
        }
        let city = match nodes.iter().find(|n| n.kind == OrgKind::City) {
            Some(c) => c.clone(),
            None => self.create(None, OrgKind::City, "Staden").await?,
        };
        let board = match nodes
            .iter()
            .find(|n| n.kind == OrgKind::Board && n.parent_id == Some(city.id))
        {
            Some(b) => b.clone(),
            None => {
                self.create(Some(city.id), OrgKind::Board, "Nämnden")
                    .await?
            }
        };
        self.create(Some(board.id), OrgKind::Administration, "Förvaltningen")
            .await
    }

    async fn create(&mut self, parent: Option<NodeId>, kind: OrgKind, name: &str) -> R<OrgNode> {
        let node = self
            .w
            .create_node(NewNode {
                parent_id: parent,
                kind,
                name: name.to_string(),
                position: 0,
            })
            .await?;
        self.summary
            .created_nodes
            .push(format!("{} {}", kind.label(), node.name));
        Ok(node)
    }

    /// Finds or creates every goal of the document; returns their ids by document index.
    async fn goals(&mut self, chain: &[OrgNode]) -> R<Vec<Placed>> {
        let year = self.d.year;
        let owner_of = |l: GoalLevel| {
            chain
                .iter()
                .find(|n| n.kind == l.owner_kind())
                .map(|n| n.id)
        };
        let owners: Vec<NodeId> = chain.iter().map(|n| n.id).collect();
        let mut known: Vec<Goal> = self.w.goals_owned_by(year, &owners).await?;
        let mut ids: Vec<Placed> = Vec::with_capacity(self.d.goals.len());
        // A stored goal is taken by one goal of the document at most: two goals of one
        // document are never merged.
        let mut claimed: std::collections::HashSet<GoalId> = std::collections::HashSet::new();
        for (i, g) in self.d.goals.iter().enumerate() {
            let lvl = g.level;
            let owner = owner_of(lvl).ok_or_else(|| {
                StoreError::Placement(format!(
                    "{} \"{}\" behöver en {} ovanför enheten, och det finns ingen",
                    lvl.heading_prefix(),
                    g.title,
                    lvl.owner_kind()
                ))
            })?;
            let parent = match g.parent {
                Some(p) => Some(ids.get(p).map(|placed| placed.id).ok_or_else(|| {
                    StoreError::Corrupt(format!("mål {i} pekar på ett senare mål {p}"))
                })?),
                None => None,
            };
            let found = known.iter().find(|k| {
                !claimed.contains(&k.id)
                    && k.level == lvl
                    && k.owner_id == owner
                    && k.parent_id == parent
                    && match (&g.number, &k.number, lvl.is_council()) {
                        (Some(a), Some(b), true) => a.trim() == b.trim(),
                        _ => same_name(&k.title, &g.title),
                    }
            });
            let id = match found {
                Some(k) => {
                    self.summary.goals_reused += 1;
                    k.id
                }
                None => {
                    let goal = self
                        .w
                        .create_goal(NewGoal {
                            year,
                            level: lvl,
                            owner_id: owner,
                            parent_id: parent,
                            number: g.number.clone(),
                            title: normalize_whitespace(&g.title),
                            position: i as i64,
                        })
                        .await?;
                    self.summary.goals_created += 1;
                    let id = goal.id;
                    known.push(goal);
                    id
                }
            };
            claimed.insert(id);
            ids.push(Placed {
                id,
                level: lvl,
                owner,
            });
        }
        Ok(ids)
    }

    /// Stores the document's goal texts and pins the document to them, replacing the pins
    /// an earlier import of it made. A text that is already a version of its section
    /// (whitespace aside) is reused; a text that differs becomes a new version, in force
    /// from when the document was written.
    async fn texts(
        &mut self,
        goal_ids: &[Placed],
        written_at: OffsetDateTime,
        doc: DocRef,
    ) -> R<()> {
        let mut pins = std::collections::HashMap::new();
        for (g, placed) in self.d.goals.iter().zip(goal_ids) {
            let Placed { id, level: lvl, .. } = *placed;
            for (heading, body) in &g.sections.0 {
                if body.trim().is_empty() {
                    continue;
                }
                let Some(section) =
                    GoalSection::from_heading(heading).filter(|s| lvl.sections().contains(s))
                else {
                    self.summary.notes.push(format!(
                        "avsnittet \"{heading}\" under {} \"{}\" hör inte till den nivån och sparades inte",
                        lvl.label(),
                        g.title
                    ));
                    continue;
                };
                let (revision, new) = self
                    .w
                    .goal_text_version(id, section, body, written_at)
                    .await?;
                self.summary.texts_written += usize::from(new);
                pins.insert((id, section), revision);
            }
        }
        self.summary.texts_pinned += self.w.set_pins_as(doc, &pins, WriteAs::Import).await?;
        Ok(())
    }

    /// Finds or creates every indicator of the document, matched by name among those on
    /// the same goal that the unit can see ([`match_names`]); returns each with the
    /// årsmål the document states.
    async fn indicators(
        &mut self,
        chain: &[OrgNode],
        goal_ids: &[Placed],
    ) -> R<Vec<(malkedja_domain::IndicatorId, IndicatorEntry)>> {
        let visible: Vec<NodeId> = chain.iter().map(|n| n.id).collect();
        let mut found = vec![None; self.d.indicators.len()];
        let mut by_goal: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
        for (i, ind) in self.d.indicators.iter().enumerate() {
            if goal_ids.get(ind.goal).is_none() {
                return Err(StoreError::Corrupt(format!(
                    "indikator {i} pekar på mål {}",
                    ind.goal
                )));
            }
            by_goal.entry(ind.goal).or_default().push(i);
        }
        for (goal, items) in &by_goal {
            let stored: Vec<_> = self
                .w
                .indicators_on(goal_ids[*goal].id)
                .await?
                .into_iter()
                .filter(|e| visible.contains(&e.owner_id))
                .collect();
            let wanted: Vec<&str> = items
                .iter()
                .map(|i| self.d.indicators[*i].name.as_str())
                .collect();
            let names: Vec<&str> = stored.iter().map(|e| e.name.as_str()).collect();
            for (i, m) in items.iter().zip(match_names(&wanted, &names)) {
                if let Some(m) = m {
                    let e = &stored[m.stored];
                    if !m.exact {
                        self.near("indicator", &self.d.indicators[*i].name, &e.name);
                    }
                    found[*i] = Some((e.id, e.by_sex, e.value_kind));
                }
            }
        }
        let mut out = Vec::with_capacity(self.d.indicators.len());
        for (i, ind) in self.d.indicators.iter().enumerate() {
            let Placed {
                id: goal, owner, ..
            } = goal_ids[ind.goal];
            // The document gives women's or men's outcomes: the indicator is reported for
            // women and men (the data says so, not the name).
            let gives_sexes = [&ind.outcome_women, &ind.outcome_men]
                .iter()
                .any(|v| v.as_deref().is_some_and(|t| !t.trim().is_empty()));
            let id = match found[i] {
                Some((id, by_sex, kind)) => {
                    if gives_sexes && !by_sex {
                        if kind == ValueKind::Text {
                            self.summary.notes.push(format!(
                                "indikatorn \"{}\" är en textindikator och redovisas inte för kvinnor och män; dokumentets utfall för kvinnor och män sparades men visas inte",
                                ind.name
                            ));
                        } else if self.w.mark_by_sex(id).await? {
                            self.summary.notes.push(format!(
                                "indikatorn \"{}\" redovisas nu för kvinnor och män: dokumentet anger utfall för dem",
                                ind.name
                            ));
                        }
                    }
                    id
                }
                None => {
                    let periodicity =
                        match ind.periodicity.as_deref().and_then(Periodicity::from_label) {
                            Some(p) => p,
                            None => {
                                self.summary.notes.push(format!(
                                    "indikatorn \"{}\" saknar periodicitet; den sparades som År",
                                    ind.name
                                ));
                                Periodicity::Year
                            }
                        };
                    let value_kind = ValueKind::guess(
                        &ind.name,
                        ind.target.as_deref().or(ind.council_target.as_deref()),
                    );
                    let created = self
                        .w
                        .create_indicator(NewIndicator {
                            year: self.d.year,
                            goal_id: goal,
                            owner_id: owner,
                            name: normalize_whitespace(&ind.name),
                            unit_of_measure: None,
                            periodicity,
                            direction: Direction::guess(&ind.name),
                            value_kind,
                            by_sex: gives_sexes && value_kind != ValueKind::Text,
                            council_target: ind.council_target.as_deref().and_then(Target::parse),
                            position: i as i64,
                        })
                        .await?;
                    self.summary.indicators_created += 1;
                    created.id
                }
            };
            // The document's own wording, whatever the shared indicator says.
            out.push((
                id,
                IndicatorEntry {
                    target: ind.target.as_deref().and_then(Target::parse),
                    name: Some(normalize_whitespace(&ind.name)),
                    council_target: ind.council_target.as_deref().and_then(Target::parse),
                    periodicity: ind.periodicity.as_deref().and_then(Periodicity::from_label),
                    position: Some(i as i64),
                },
            ));
        }
        Ok(out)
    }

    /// Records a near match in the summary and its notes.
    fn near(&mut self, item: &'static str, document: &str, stored: &str) {
        let noun = if item == "indicator" {
            "indikatorn"
        } else {
            "aktiviteten"
        };
        self.summary.notes.push(format!(
            "{noun} \"{document}\" togs som den befintliga \"{stored}\""
        ));
        self.summary.near_matches.push(NearMatch {
            item,
            document: document.to_string(),
            stored: stored.to_string(),
        });
    }

    /// Finds or creates every activity of the document (those under council goals are
    /// left out, with a note), matched by title as indicators are.
    async fn activities(
        &mut self,
        chain: &[OrgNode],
        goal_ids: &[Placed],
    ) -> R<Vec<(malkedja_domain::ActivityId, ActivityEntry)>> {
        let visible: Vec<NodeId> = chain.iter().map(|n| n.id).collect();
        let year_start =
            Date::from_calendar_date(self.d.year, Month::January, 1).unwrap_or(Date::MIN);
        let year_end =
            Date::from_calendar_date(self.d.year, Month::December, 31).unwrap_or(Date::MAX);
        let mut found = vec![None; self.d.activities.len()];
        let mut by_goal: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
        for (i, a) in self.d.activities.iter().enumerate() {
            let placed = goal_ids.get(a.goal).ok_or_else(|| {
                StoreError::Corrupt(format!("aktivitet {i} pekar på mål {}", a.goal))
            })?;
            if placed.level.is_council() {
                self.summary.notes.push(format!(
                    "aktiviteten \"{}\" står under ett {} och sparades inte: aktiviteter hör till nämnd-, avdelnings- och enhetsmål",
                    a.title,
                    placed.level.label()
                ));
                continue;
            }
            by_goal.entry(a.goal).or_default().push(i);
        }
        for (goal, items) in &by_goal {
            let stored: Vec<_> = self
                .w
                .activities_on(goal_ids[*goal].id)
                .await?
                .into_iter()
                .filter(|e| visible.contains(&e.owner_id))
                .collect();
            let wanted: Vec<&str> = items
                .iter()
                .map(|i| self.d.activities[*i].title.as_str())
                .collect();
            let names: Vec<&str> = stored.iter().map(|e| e.title.as_str()).collect();
            for (i, m) in items.iter().zip(match_names(&wanted, &names)) {
                if let Some(m) = m {
                    let e = &stored[m.stored];
                    if !m.exact {
                        self.near("activity", &self.d.activities[*i].title, &e.title);
                    }
                    found[*i] = Some(e.id);
                }
            }
        }
        let mut ids: Vec<usize> = by_goal.into_values().flatten().collect();
        ids.sort_unstable();
        let mut out = Vec::with_capacity(ids.len());
        for i in ids {
            let a = &self.d.activities[i];
            let Placed {
                id: goal, owner, ..
            } = goal_ids[a.goal];
            let id = match found[i] {
                Some(id) => id,
                None => {
                    let (mut start, mut end) =
                        (parse_date(a.start.as_deref()), parse_date(a.end.as_deref()));
                    if start.is_none() || end.is_none() {
                        self.summary.notes.push(format!(
                            "aktiviteten \"{}\" saknar start- eller slutdatum; året används",
                            a.title
                        ));
                    }
                    let (s, e) = (start.get_or_insert(year_start), end.get_or_insert(year_end));
                    let (s, e) = if e < s { (*e, *s) } else { (*s, *e) };
                    let created = self
                        .w
                        .create_activity(NewActivity {
                            year: self.d.year,
                            goal_id: goal,
                            owner_id: owner,
                            title: normalize_whitespace(&a.title),
                            start: s,
                            end: e,
                            position: i as i64,
                        })
                        .await?;
                    self.summary.activities_created += 1;
                    created.id
                }
            };
            out.push((
                id,
                ActivityEntry {
                    title: Some(normalize_whitespace(&a.title)),
                    position: Some(i as i64),
                },
            ));
        }
        Ok(out)
    }

    /// The plan's own sections, matched to the administration's template by heading. A
    /// heading the template lacks is added to it, where the document puts it.
    async fn plan_sections(&mut self, chain: &[OrgNode], plan: malkedja_domain::PlanId) -> R<()> {
        let year = self.d.year;
        let admin = malkedja_domain::administration_of(chain);
        let mut template = self.w.template(admin, year).await?;
        let original = template.clone();
        let mut texts: Vec<(String, String)> = Vec::new();
        let mut prev: Option<String> = None;
        for s in &self.d.sections {
            let heading = normalize_whitespace(&s.heading);
            if heading.is_empty() {
                continue;
            }
            let found = template
                .iter()
                .find(|t| same_name(&t.heading_for(year), &heading))
                .map(|t| t.key.clone());
            let key = match found {
                Some(k) => k,
                None => insert_section(
                    &mut template,
                    &heading,
                    year,
                    prev.as_deref(),
                    s.after_cascade,
                ),
            };
            if !s.text.trim().is_empty() {
                match texts.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, body)) => {
                        body.push_str("\n\n");
                        body.push_str(&s.text);
                    }
                    None => texts.push((key.clone(), s.text.clone())),
                }
            }
            prev = Some(key);
        }
        if template != original {
            match admin {
                Some(a) => self.w.set_template(a, year, &template).await?,
                None => self
                    .summary
                    .notes
                    .push("enheten ligger inte under någon förvaltning; avsnitt som mallen saknar sparades inte".into()),
            }
        }
        // A section an earlier import of this plan filled and the document no longer has is
        // emptied: the revised plan replaces the old (which stays in the history).
        for t in &template {
            if texts.iter().any(|(k, _)| *k == t.key) {
                continue;
            }
            if let Some(current) = self.w.plan_section(plan, &t.key).await?
                && !current.body.is_empty()
            {
                self.w
                    .save_plan_section_as(plan, &t.key, "", current.version, WriteAs::Import)
                    .await?;
                self.summary.sections_written += 1;
            }
        }
        for (key, body) in texts {
            if !template.iter().any(|t| t.key == key) {
                continue;
            }
            let current = self.w.plan_section(plan, &key).await?;
            if current.as_ref().is_some_and(|c| c.body == body) {
                continue;
            }
            let version = current.map(|c| c.version).unwrap_or(0);
            self.w
                .save_plan_section_as(plan, &key, &body, version, WriteAs::Import)
                .await?;
            self.summary.sections_written += 1;
        }
        Ok(())
    }

    async fn follow_up(
        &mut self,
        report: i64,
        goal_ids: &[Placed],
        indicator_ids: &[malkedja_domain::IndicatorId],
        activity_ids: &[malkedja_domain::ActivityId],
    ) -> R<()> {
        let sections: Vec<ReportSection> = self
            .d
            .sections
            .iter()
            .map(|s| ReportSection {
                key: malkedja_domain::section_key(&s.heading),
                version: 0,
                heading: normalize_whitespace(&s.heading),
                body: s.text.clone(),
                placement: if s.after_cascade {
                    Placement::AfterCascade
                } else {
                    Placement::BeforeCascade
                },
            })
            .collect();
        let mut n = usize::from(self.w.set_report_sections(report, &sections).await?);
        for (i, g) in self.d.goals.iter().enumerate() {
            if g.assessment.is_none() && g.analysis.is_none() {
                continue;
            }
            let a = GoalAssessment {
                goal_id: goal_ids[i].id,
                assessment: g.assessment,
                analysis: g.analysis.clone(),
            };
            n += usize::from(self.w.set_goal_assessment(report, &a).await?);
        }
        for (ind, id) in self.d.indicators.iter().zip(indicator_ids) {
            let has = [
                &ind.outcome,
                &ind.outcome_men,
                &ind.outcome_women,
                &ind.previous,
                &ind.period,
                &ind.analysis,
            ]
            .iter()
            .any(|v| v.is_some());
            if !has {
                continue;
            }
            let o = IndicatorOutcome {
                indicator_id: *id,
                outcome: ind.outcome.as_deref().map(Measure::parse),
                men: ind.outcome_men.clone(),
                women: ind.outcome_women.clone(),
                previous: ind.previous.clone(),
                period: ind.period.clone(),
                analysis: ind.analysis.clone(),
            };
            n += usize::from(self.w.set_indicator_outcome(report, &o).await?);
        }
        let placed = self
            .d
            .activities
            .iter()
            .filter(|a| goal_ids.get(a.goal).is_some_and(|p| !p.level.is_council()));
        for (a, id) in placed.zip(activity_ids) {
            if a.status.is_none() && a.analysis.is_none() {
                continue;
            }
            let f = ActivityFollowUp {
                activity_id: *id,
                status: a.status,
                analysis: a.analysis.clone(),
            };
            n += usize::from(self.w.set_activity_followup(report, &f).await?);
        }
        let complaints: Vec<ComplaintRow> = self
            .d
            .complaints
            .iter()
            .map(|c| ComplaintRow {
                group: c.group.clone(),
                category: c.category.clone(),
                t1: c.t1,
                t2: c.t2,
                annual: c.annual,
                total: c.total,
                assessment: c.assessment.clone(),
            })
            .collect();
        n += usize::from(self.w.set_complaints(report, &complaints).await?);
        self.summary.follow_ups_written += n;
        Ok(())
    }
}

/// A stable key for a heading: lower case ASCII, words joined by underscores, the year left
/// out ("Kvalitets- och utvecklingsarbete 2025" → "kvalitets_och_utvecklingsarbete").
fn key_for(heading: &str, year: Year) -> String {
    let y = year.to_string();
    let mut key = String::new();
    for word in heading
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && *w != y)
    {
        if !key.is_empty() {
            key.push('_');
        }
        for c in word.to_lowercase().chars() {
            key.push(match c {
                'å' | 'ä' | 'à' | 'á' => 'a',
                'ö' | 'ø' => 'o',
                'é' | 'è' => 'e',
                'ü' => 'u',
                c if c.is_ascii_alphanumeric() => c,
                _ => 'x',
            });
        }
    }
    if key.is_empty() {
        "avsnitt".into()
    } else {
        key
    }
}

/// Adds a section the template lacks after `prev` (as its child when `prev` is a heading
/// that groups others, else as its sibling) and returns its key.
fn insert_section(
    template: &mut Vec<TemplateSection>,
    heading: &str,
    year: Year,
    prev: Option<&str>,
    after_cascade: bool,
) -> String {
    let mut key = key_for(heading, year);
    let base = key.clone();
    let mut n = 2;
    while template.iter().any(|t| t.key == key) {
        key = format!("{base}_{n}");
        n += 1;
    }
    let y = year.to_string();
    let stored_heading = heading
        .split(' ')
        .map(|w| if w == y { "{år}" } else { w })
        .collect::<Vec<_>>()
        .join(" ");
    let placement = if after_cascade {
        Placement::AfterCascade
    } else {
        Placement::BeforeCascade
    };
    let prev_row = prev.and_then(|p| template.iter().position(|t| t.key == p));
    let (parent_key, index) = match prev_row {
        Some(i) if template[i].placement == placement => {
            let p = &template[i];
            let groups = template
                .iter()
                .any(|t| t.parent_key.as_deref() == Some(p.key.as_str()));
            let parent = if groups {
                Some(p.key.clone())
            } else {
                p.parent_key.clone()
            };
            // After prev and everything below it.
            let mut end = i + 1;
            while end < template.len() && is_below(template, &template[end].key, &p.key) {
                end += 1;
            }
            (parent, if groups { i + 1 } else { end })
        }
        _ => {
            let end = match placement {
                Placement::BeforeCascade => template
                    .iter()
                    .rposition(|t| t.placement == placement)
                    .map(|i| i + 1)
                    .unwrap_or(0),
                Placement::AfterCascade => template.len(),
            };
            (None, end)
        }
    };
    template.insert(
        index.min(template.len()),
        TemplateSection {
            key: key.clone(),
            parent_key,
            heading: stored_heading,
            guidance: String::new(),
            placement,
            position: 0,
        },
    );
    for (i, t) in template.iter_mut().enumerate() {
        t.position = i as i64;
    }
    key
}

/// Whether the section `key` lies somewhere below `ancestor` in the template.
fn is_below(template: &[TemplateSection], key: &str, ancestor: &str) -> bool {
    let mut cur = template
        .iter()
        .find(|t| t.key == key)
        .and_then(|t| t.parent_key.clone());
    let mut steps = 0;
    while let Some(p) = cur {
        if p == ancestor {
            return true;
        }
        steps += 1;
        if steps > template.len() {
            return false;
        }
        cur = template
            .iter()
            .find(|t| t.key == p)
            .and_then(|t| t.parent_key.clone());
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_ascii_and_leave_out_the_year() {
        assert_eq!(
            key_for("Kvalitets- och utvecklingsarbete 2025", 2025),
            "kvalitets_och_utvecklingsarbete"
        );
        assert_eq!(
            key_for("Vår verksamhetsidé och värdegrund", 2025),
            "var_verksamhetside_och_vardegrund"
        );
        assert_eq!(key_for("2025", 2025), "avsnitt");
    }

    #[test]
    fn new_sections_go_where_the_document_puts_them() {
        let mut t = malkedja_domain::default_plan_template();
        // Right after a grouping heading: its first child.
        let k = insert_section(&mut t, "Vår verksamhetsidé", 2025, Some("inledning"), false);
        let row = t.iter().position(|s| s.key == k).unwrap();
        assert_eq!(t[row].parent_key.as_deref(), Some("inledning"));
        assert_eq!(t[row - 1].key, "inledning");
        // After a plain section: its sibling.
        let k2 = insert_section(
            &mut t,
            "Medarbetare 2025",
            2025,
            Some("organisation"),
            false,
        );
        let row2 = t.iter().position(|s| s.key == k2).unwrap();
        assert_eq!(t[row2].parent_key.as_deref(), Some("inledning"));
        assert_eq!(t[row2].heading, "Medarbetare {år}");
        assert_eq!(t[row2 - 1].key, "organisation");
        // Nothing to go after: at the end of its part of the plan.
        let k3 = insert_section(&mut t, "Bilagor", 2025, None, true);
        assert_eq!(t.last().unwrap().key, k3);
        let positions: Vec<i64> = t.iter().map(|s| s.position).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]));
        // The same heading twice gets its own key.
        let k4 = insert_section(&mut t, "Bilagor", 2025, None, true);
        assert_ne!(k3, k4);
    }
}
