//! What each plan and report records about itself: its contents (the goals, indicators
//! with their årsmål, and activities it shows) and its pins (the revision of each goal
//! text it was written with). A document's record is its own: writing one never changes
//! how another reads.

use crate::read::{query, sql};
use crate::versioned::VersionedRow;
use crate::workflow::WriteAs;
use crate::{StoreError, Writer, now_text, rows};
use malkedja_domain::{
    ActivityEntry, ActivityId, Contents, DomainError, GoalId, GoalSection, IndicatorEntry,
    IndicatorId, Periodicity, PlanId, Target,
};
use serde::Serialize;
use sqlx::{AnyConnection, Row};
use std::collections::{BTreeMap, BTreeSet, HashMap};

type R<T> = Result<T, StoreError>;

/// A plan or a report: the two kinds of document that keep their own record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum DocRef {
    Plan(PlanId),
    Report(i64),
}

/// One item of a document's contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Goal(GoalId),
    Indicator(IndicatorId),
    Activity(ActivityId),
}

impl DocRef {
    fn id(self) -> i64 {
        match self {
            DocRef::Plan(p) => p.0,
            DocRef::Report(r) => r,
        }
    }
    /// The table prefix and its key column.
    fn table(self) -> (&'static str, &'static str) {
        match self {
            DocRef::Plan(_) => ("plan", "plan_id"),
            DocRef::Report(_) => ("report", "report_id"),
        }
    }
    /// The document's own row, whose version moves on whenever what it records changes: two
    /// writers replacing a document's record at once are a conflict, never a mix.
    pub(crate) fn version_row(self) -> VersionedRow {
        let (table, _) = self.table();
        let what = match self {
            DocRef::Plan(p) => format!("planen {p}"),
            DocRef::Report(r) => format!("rapporten {r}"),
        };
        VersionedRow::new(table, what)
            .key("id", self.id())
            .set("updated_at", now_text())
    }

    /// A name for the audit trail: "plan/7", "report/3".
    pub(crate) fn audit_id(self) -> String {
        format!("{}/{}", self.table().0, self.id())
    }
}

/// A document's contents in a stable order, for comparing and for the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Listing {
    goals: BTreeSet<i64>,
    indicators: BTreeMap<i64, IndicatorEntry>,
    activities: BTreeMap<i64, ActivityEntry>,
}

impl From<&Contents> for Listing {
    fn from(c: &Contents) -> Self {
        Listing {
            goals: c.goals.iter().map(|g| g.0).collect(),
            indicators: c.indicators.iter().map(|(i, e)| (i.0, e.clone())).collect(),
            activities: c.activities.iter().map(|(a, e)| (a.0, e.clone())).collect(),
        }
    }
}

/// A document's contents, in one query.
pub(crate) async fn contents(c: &mut AnyConnection, doc: DocRef) -> R<Contents> {
    let (t, key) = doc.table();
    let rows = sql(format!(
        "SELECT 'goal' AS what, goal_id AS item, NULL AS kind, NULL AS text, NULL AS value, NULL AS name, \
                NULL AS c_kind, NULL AS c_text, NULL AS c_value, NULL AS periodicity, NULL AS position \
         FROM {t}_goal WHERE {key} = $1 \
         UNION ALL SELECT 'indicator', indicator_id, target_kind, target_text, target_value, name, \
                council_target_kind, council_target_text, council_target_value, periodicity, position \
         FROM {t}_indicator WHERE {key} = $1 \
         UNION ALL SELECT 'activity', activity_id, NULL, NULL, NULL, title, NULL, NULL, NULL, NULL, position \
         FROM {t}_activity WHERE {key} = $1"
    ))
    .bind(doc.id())
    .fetch_all(&mut *c)
    .await?;
    let mut out = Contents::default();
    for r in rows {
        let what: String = r.try_get("what")?;
        let item: i64 = r.try_get("item")?;
        match what.as_str() {
            "goal" => {
                out.goals.insert(GoalId(item));
            }
            "indicator" => {
                let periodicity: Option<String> = r.try_get("periodicity")?;
                let entry = IndicatorEntry {
                    target: rows::target(
                        r.try_get("kind")?,
                        r.try_get("text")?,
                        r.try_get("value")?,
                    )?,
                    name: r.try_get("name")?,
                    council_target: rows::target(
                        r.try_get("c_kind")?,
                        r.try_get("c_text")?,
                        r.try_get("c_value")?,
                    )?,
                    periodicity: periodicity
                        .map(|p| {
                            Periodicity::from_code(&p)
                                .ok_or_else(|| StoreError::Corrupt(format!("periodicitet {p:?}")))
                        })
                        .transpose()?,
                    position: r.try_get("position")?,
                };
                out.indicators.insert(IndicatorId(item), entry);
            }
            _ => {
                let entry = ActivityEntry {
                    title: r.try_get("name")?,
                    position: r.try_get("position")?,
                };
                out.activities.insert(ActivityId(item), entry);
            }
        }
    }
    Ok(out)
}

/// The revisions of goal texts a document was written with.
pub(crate) async fn pins(
    c: &mut AnyConnection,
    doc: DocRef,
) -> R<HashMap<(GoalId, GoalSection), i64>> {
    let (t, key) = doc.table();
    let mut out = HashMap::new();
    for r in sql(format!(
        "SELECT goal_id, section, revision FROM {t}_text_pin WHERE {key} = $1"
    ))
    .bind(doc.id())
    .fetch_all(&mut *c)
    .await?
    {
        let section: String = r.try_get(1)?;
        let section = GoalSection::from_code(&section)
            .ok_or_else(|| StoreError::Corrupt(format!("avsnitt {section:?}")))?;
        out.insert((GoalId(r.try_get(0)?), section), r.try_get::<i64, _>(2)?);
    }
    Ok(out)
}

impl Writer {
    /// What a document contains, as it stands in this transaction.
    pub async fn contents(&mut self, doc: DocRef) -> R<Contents> {
        contents(&mut self.tx, doc).await
    }

    /// Replaces what a document contains. Returns whether anything changed; when nothing
    /// does, nothing is written or audited. Every item must be of the document's year and
    /// owned by its unit or a node above it. A plan that is not open for writing (submitted
    /// or approved) is [`StoreError::Locked`].
    pub async fn set_contents(&mut self, doc: DocRef, new: &Contents) -> R<bool> {
        self.set_contents_as(doc, new, WriteAs::Person).await
    }

    /// [`Writer::set_contents`] on behalf of `by`: the importer replaces an approved plan's
    /// contents too.
    pub(crate) async fn set_contents_as(
        &mut self,
        doc: DocRef,
        new: &Contents,
        by: WriteAs,
    ) -> R<bool> {
        self.check_open(doc, by).await?;
        let row = doc.version_row();
        let found = self.stored_version(&row).await?;
        let before = self.contents(doc).await?;
        if before == *new {
            return Ok(false);
        }
        self.check_items(doc, &before, new).await?;
        self.write_versioned(row, found, found).await?;
        let (t, key) = doc.table();
        for table in ["goal", "indicator", "activity"] {
            sql(format!("DELETE FROM {t}_{table} WHERE {key} = $1"))
                .bind(doc.id())
                .execute(&mut *self.tx)
                .await?;
        }
        // One statement per table, however many items (`bulk.rs`).
        use crate::bulk::{Value, insert_rows};
        let goals = new
            .goals
            .iter()
            .map(|g| vec![Value::from(doc.id()), Value::from(g.0)])
            .collect();
        insert_rows(
            &mut self.tx,
            &format!("INSERT INTO {t}_goal ({key}, goal_id)"),
            "",
            goals,
        )
        .await?;
        let indicators = new
            .indicators
            .iter()
            .map(|(i, e)| {
                let (kind, text, value) = target_columns(e.target.as_ref());
                let (c_kind, c_text, c_value) = target_columns(e.council_target.as_ref());
                vec![
                    Value::from(doc.id()),
                    Value::from(i.0),
                    Value::from(kind.map(str::to_string)),
                    Value::from(text),
                    Value::from(value),
                    Value::from(e.name.clone()),
                    Value::from(c_kind.map(str::to_string)),
                    Value::from(c_text),
                    Value::from(c_value),
                    Value::from(e.periodicity.map(|p| p.code().to_string())),
                    Value::from(e.position),
                ]
            })
            .collect();
        insert_rows(
            &mut self.tx,
            &format!(
                "INSERT INTO {t}_indicator ({key}, indicator_id, target_kind, target_text, target_value, name, \
                 council_target_kind, council_target_text, council_target_value, periodicity, position)"
            ),
            "",
            indicators,
        )
        .await?;
        let activities = new
            .activities
            .iter()
            .map(|(a, e)| {
                vec![
                    Value::from(doc.id()),
                    Value::from(a.0),
                    Value::from(e.title.clone()),
                    Value::from(e.position),
                ]
            })
            .collect();
        insert_rows(
            &mut self.tx,
            &format!("INSERT INTO {t}_activity ({key}, activity_id, title, position)"),
            "",
            activities,
        )
        .await?;
        self.audit(
            "set_contents",
            "document_contents",
            doc.audit_id(),
            Some(&Listing::from(&before)),
            Some(&Listing::from(new)),
        )
        .await?;
        Ok(true)
    }

    /// Adds one item to a document (a unit takes a board goal, a council indicator or a
    /// board activity into its plan; a unit's new goal goes into the plan it is written in).
    pub async fn include(&mut self, doc: DocRef, item: Item) -> R<bool> {
        let mut contents = self.contents(doc).await?;
        match item {
            Item::Goal(g) => {
                contents.goals.insert(g);
            }
            Item::Indicator(i) => {
                contents.indicators.entry(i).or_default();
            }
            Item::Activity(a) => {
                contents.activities.entry(a).or_default();
            }
        }
        self.set_contents(doc, &contents).await
    }

    /// Sets the årsmål a document states for one of its indicators (`None`: none of its
    /// own; the one set above the unit applies). The indicator joins the document.
    pub async fn set_document_target(
        &mut self,
        doc: DocRef,
        indicator: IndicatorId,
        target: Option<Target>,
    ) -> R<bool> {
        let mut contents = self.contents(doc).await?;
        contents.indicators.entry(indicator).or_default().target = target;
        self.set_contents(doc, &contents).await
    }

    /// The unit and year of a document.
    async fn document_scope(&mut self, doc: DocRef) -> R<(malkedja_domain::NodeId, i64)> {
        let row = match doc {
            DocRef::Plan(p) => query("SELECT unit_id, year FROM plan WHERE id = $1")
                .bind(p.0)
                .fetch_optional(&mut *self.tx)
                .await?,
            DocRef::Report(r) => query(
                "SELECT p.unit_id, p.year FROM report r JOIN plan p ON p.id = r.plan_id WHERE r.id = $1",
            )
            .bind(r)
            .fetch_optional(&mut *self.tx)
            .await?,
        }
        .ok_or_else(|| StoreError::NotFound(format!("dokument {}", doc.audit_id())))?;
        Ok((malkedja_domain::NodeId(row.try_get(0)?), row.try_get(1)?))
    }

    /// Every item a document takes in belongs to its year and to its unit or a node above
    /// it. Items already in its record were checked when they came in; the new ones are
    /// checked with one query.
    async fn check_items(&mut self, doc: DocRef, before: &Contents, new: &Contents) -> R<()> {
        let goals: Vec<GoalId> = new.goals.difference(&before.goals).copied().collect();
        let indicators: Vec<IndicatorId> = new
            .indicators
            .keys()
            .filter(|i| !before.indicators.contains_key(i))
            .copied()
            .collect();
        let activities: Vec<ActivityId> = new
            .activities
            .keys()
            .filter(|a| !before.activities.contains_key(a))
            .copied()
            .collect();
        let wanted = goals.len() + indicators.len() + activities.len();
        if wanted == 0 {
            return Ok(());
        }
        let (unit, year) = self.document_scope(doc).await?;
        let chain: Vec<_> = self.chain(unit).await?.iter().map(|n| n.id).collect();
        let found =
            crate::read::item_scopes(&mut self.tx, &goals, &indicators, &activities).await?;
        if found.len() < wanted {
            let missing = goals
                .iter()
                .map(|g| (Item::Goal(*g), format!("mål {g}")))
                .chain(
                    indicators
                        .iter()
                        .map(|i| (Item::Indicator(*i), format!("indikator {i}"))),
                )
                .chain(
                    activities
                        .iter()
                        .map(|a| (Item::Activity(*a), format!("aktivitet {a}"))),
                )
                .find(|(item, _)| !found.iter().any(|(f, _, _)| f == item))
                .map(|(_, name)| name)
                .unwrap_or_default();
            return Err(StoreError::NotFound(missing));
        }
        for (item, owner, item_year) in found {
            if !chain.contains(&owner) {
                return Err(match item {
                    Item::Goal(_) => DomainError::GoalNotInherited,
                    _ => DomainError::ItemNotInherited,
                }
                .into());
            }
            if i64::from(item_year) != year {
                return Err(StoreError::Placement(format!(
                    "det som hör till år {item_year} kan inte tas med i ett dokument för år {year}"
                )));
            }
        }
        Ok(())
    }

    /// Replaces the revisions of goal texts a document is tied to. Returns how many pins
    /// changed (added, moved or removed). A plan that is not open for writing (submitted or
    /// approved) is [`StoreError::Locked`].
    pub async fn set_pins(
        &mut self,
        doc: DocRef,
        new: &HashMap<(GoalId, GoalSection), i64>,
    ) -> R<usize> {
        self.set_pins_as(doc, new, WriteAs::Person).await
    }

    /// [`Writer::set_pins`] on behalf of `by`: the importer re-pins an approved plan to the
    /// texts of its document, the workflow pins a plan as it is approved.
    pub(crate) async fn set_pins_as(
        &mut self,
        doc: DocRef,
        new: &HashMap<(GoalId, GoalSection), i64>,
        by: WriteAs,
    ) -> R<usize> {
        self.check_open(doc, by).await?;
        let row = doc.version_row();
        let found = self.stored_version(&row).await?;
        let before = pins(&mut self.tx, doc).await?;
        let changed = before.iter().filter(|(k, v)| new.get(k) != Some(v)).count()
            + new.keys().filter(|k| !before.contains_key(k)).count();
        if changed == 0 {
            return Ok(0);
        }
        self.write_versioned(row, found, found).await?;
        let (t, key) = doc.table();
        sql(format!("DELETE FROM {t}_text_pin WHERE {key} = $1"))
            .bind(doc.id())
            .execute(&mut *self.tx)
            .await?;
        let rows = new
            .iter()
            .map(|((goal, section), revision)| {
                use crate::bulk::Value;
                vec![
                    Value::from(doc.id()),
                    Value::from(goal.0),
                    Value::from(section.code()),
                    Value::from(*revision),
                ]
            })
            .collect();
        crate::bulk::insert_rows(
            &mut self.tx,
            &format!("INSERT INTO {t}_text_pin ({key}, goal_id, section, revision)"),
            "",
            rows,
        )
        .await?;
        let listing = |m: &HashMap<(GoalId, GoalSection), i64>| {
            m.iter()
                .map(|((g, s), r)| (format!("{g}/{}", s.code()), *r))
                .collect::<BTreeMap<String, i64>>()
        };
        self.audit(
            "set_pins",
            "document_pins",
            doc.audit_id(),
            Some(&listing(&before)),
            Some(&listing(new)),
        )
        .await?;
        Ok(changed)
    }
}

fn target_columns(t: Option<&Target>) -> (Option<&'static str>, Option<String>, Option<String>) {
    match t {
        Some(t) => {
            let (k, t, v) = rows::target_columns(t);
            (Some(k), Some(t), v)
        }
        None => (None, None, None),
    }
}
