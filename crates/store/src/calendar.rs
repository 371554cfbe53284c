//! The year's calendar in the store: planning years, and each administration's deadlines
//! for a year (`deadline`, one versioned row per administration and year; migration 0011).

use crate::read::{query, sql};
use crate::versioned::VersionedRow;
use crate::{Store, StoreError, Writer, now_text, rows};
use malkedja_domain::{
    DeadlineKind, Deadlines, DomainError, NodeId, OrgKind, Year, YearError, check_new_year,
};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

type R<T> = Result<T, StoreError>;

const COLS: &str =
    "admin_id, year, plan_due, tertial1_due, tertial2_due, annual_report_due, version";

/// The column of each kind of deadline.
fn column(kind: DeadlineKind) -> &'static str {
    match kind {
        DeadlineKind::Plan => "plan_due",
        DeadlineKind::Tertial1 => "tertial1_due",
        DeadlineKind::Tertial2 => "tertial2_due",
        DeadlineKind::AnnualReport => "annual_report_due",
    }
}

fn deadlines_row(r: &AnyRow) -> R<Deadlines> {
    let mut d = Deadlines::empty(
        NodeId(r.try_get("admin_id")?),
        r.try_get::<i64, _>("year")? as Year,
    );
    for kind in DeadlineKind::ALL {
        let date = r
            .try_get::<Option<String>, _>(column(kind))?
            .map(|s| rows::date(&s))
            .transpose()?;
        d.set(kind, date);
    }
    d.version = r.try_get("version")?;
    Ok(d)
}

/// The deadlines the administration `admin` set for `year`; [`Deadlines::empty`] (version
/// 0) when none are saved. One query: for a page's snapshot or a writer's transaction.
pub(crate) async fn deadlines(c: &mut AnyConnection, admin: NodeId, year: Year) -> R<Deadlines> {
    sql(format!(
        "SELECT {COLS} FROM deadline WHERE admin_id = $1 AND year = $2"
    ))
    .bind(admin.0)
    .bind(i64::from(year))
    .fetch_optional(&mut *c)
    .await?
    .map(|r| deadlines_row(&r))
    .transpose()
    .map(|d| d.unwrap_or_else(|| Deadlines::empty(admin, year)))
}

/// The deadlines every administration saved for `year`, by administration id. One query.
pub(crate) async fn deadlines_of_year(c: &mut AnyConnection, year: Year) -> R<Vec<Deadlines>> {
    sql(format!(
        "SELECT {COLS} FROM deadline WHERE year = $1 ORDER BY admin_id"
    ))
    .bind(i64::from(year))
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(deadlines_row)
    .collect()
}

async fn years(c: &mut AnyConnection) -> R<Vec<Year>> {
    query("SELECT year FROM planning_year ORDER BY year")
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| Ok(r.try_get::<i64, _>(0)? as Year))
        .collect()
}

impl Store {
    /// The deadlines the administration `admin` set for `year` (empty when none).
    pub async fn deadlines(&self, admin: NodeId, year: Year) -> R<Deadlines> {
        deadlines(&mut *self.conn().await?, admin, year).await
    }

    /// Every administration's deadlines for `year`.
    pub async fn deadlines_of_year(&self, year: Year) -> R<Vec<Deadlines>> {
        deadlines_of_year(&mut *self.conn().await?, year).await
    }
}

impl Writer {
    pub async fn deadlines(&mut self, admin: NodeId, year: Year) -> R<Deadlines> {
        deadlines(&mut self.tx, admin, year).await
    }

    /// Adds a planning year ([`check_new_year`]): one that exists already, or that someone
    /// else adds at the same moment, is refused.
    pub async fn add_year(&mut self, year: i64) -> R<Year> {
        let existing = years(&mut self.tx).await?;
        let year = check_new_year(year, &existing).map_err(DomainError::from)?;
        let added = sqlx::query(
            "INSERT INTO planning_year (year, created_at) VALUES ($1, $2) ON CONFLICT (year) DO NOTHING",
        )
        .bind(i64::from(year))
        .bind(now_text())
        .execute(&mut *self.tx)
        .await?
        .rows_affected();
        if added == 0 {
            return Err(DomainError::from(YearError::Exists(year)).into());
        }
        self.audit::<(), _>("create", "planning_year", year, None, Some(&year))
            .await?;
        Ok(year)
    }

    /// Saves an administration's deadlines for a year. `new.version` is the version the
    /// change was made from (0 when none were saved): a stale one is
    /// [`StoreError::Conflict`]. The dates must pass [`Deadlines::problems`]; the node must
    /// be an administration and the year a planning year. Saving the dates already saved
    /// writes (and audits) nothing.
    pub async fn save_deadlines(&mut self, new: &Deadlines) -> R<Deadlines> {
        let admin = self.require_node(new.admin_id).await?;
        if admin.kind != OrgKind::Administration {
            return Err(StoreError::NotFound(format!(
                "förvaltning {}",
                new.admin_id
            )));
        }
        if !years(&mut self.tx).await?.contains(&new.year) {
            return Err(StoreError::NotFound(format!("planeringsåret {}", new.year)));
        }
        if let Some(p) = new.problems().into_iter().next() {
            return Err(DomainError::Deadline(p.message).into());
        }
        let before = deadlines(&mut self.tx, new.admin_id, new.year).await?;
        let mut row = VersionedRow::insertable(
            "deadline",
            format!("tidsfristerna för {} {}", admin.name, new.year),
        )
        .key("admin_id", new.admin_id.0)
        .key("year", i64::from(new.year));
        if before.same_dates(new) {
            if before.version != new.version {
                return Err(row.conflict(new.version, before.version));
            }
            return Ok(before);
        }
        for kind in DeadlineKind::ALL {
            row = row.set(column(kind), new.get(kind).map(rows::date_text));
        }
        row = row.set("updated_at", now_text());
        self.write_versioned(row, new.version, before.version)
            .await?;
        let after = deadlines(&mut self.tx, new.admin_id, new.year).await?;
        let id = format!("{}/{}", new.admin_id, new.year);
        let before = (before.version > 0).then_some(before);
        self.audit("save", "deadline", id, before.as_ref(), Some(&after))
            .await?;
        Ok(after)
    }
}
