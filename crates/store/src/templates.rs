//! An administration's template of plan sections for a year, edited as one object with a
//! version (`plan_template`, migration 0012): a save states the version it started from
//! and a stale one is [`StoreError::Conflict`]. Version 0 means the administration has set
//! no template for the year and its plans use the default one.
//!
//! A section that has text in some plan is never removed silently: the save is refused
//! ([`TemplateError::HasText`], saying how many plans have text in it).

use crate::read::query;
use crate::versioned::VersionedRow;
use crate::{Store, StoreError, Writer, now_text, read};
use malkedja_domain::{NodeId, OrgKind, TemplateError, TemplateSection, Year, check_template};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

type R<T> = Result<T, StoreError>;

/// A template as stored: its sections in printed order and its version (0: none is set and
/// `sections` is the default template).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTemplate {
    pub admin: NodeId,
    pub year: Year,
    pub sections: Vec<TemplateSection>,
    pub version: i64,
}

impl StoredTemplate {
    /// Whether the administration has set no template for the year (the default applies).
    pub fn is_default(&self) -> bool {
        self.version == 0
    }
}

fn version_row(admin: NodeId, year: Year) -> VersionedRow {
    VersionedRow::insertable("plan_template", format!("mallen för {year}"))
        .key("admin_id", admin.0)
        .key("year", i64::from(year))
        .set("updated_at", now_text())
}

async fn stored(c: &mut AnyConnection, admin: NodeId, year: Year) -> R<StoredTemplate> {
    let version: i64 = query("SELECT version FROM plan_template WHERE admin_id = $1 AND year = $2")
        .bind(admin.0)
        .bind(i64::from(year))
        .fetch_optional(&mut *c)
        .await?
        .map(|r| r.try_get::<i64, _>(0))
        .transpose()?
        .unwrap_or(0);
    let sections = malkedja_domain::arranged(&read::template(c, Some(admin), year).await?);
    Ok(StoredTemplate {
        admin,
        year,
        sections,
        version,
    })
}

/// How many plans of the year, of units under the administration, have text in each
/// section (keys without text are missing).
async fn plans_with_text(
    c: &mut AnyConnection,
    admin: NodeId,
    year: Year,
) -> R<HashMap<String, i64>> {
    let mut out = HashMap::new();
    for r in query(
        "WITH RECURSIVE below (id, depth) AS ( \
           SELECT id, 0 FROM org_node WHERE id = $1 \
           UNION ALL \
           SELECT n.id, below.depth + 1 FROM org_node n JOIN below ON n.parent_id = below.id WHERE below.depth < 64 \
         ) \
         SELECT s.key, COUNT(*) FROM plan_section s JOIN plan p ON p.id = s.plan_id \
         WHERE p.year = $2 AND p.unit_id IN (SELECT id FROM below) AND TRIM(s.body) <> '' \
         GROUP BY s.key",
    )
    .bind(admin.0)
    .bind(i64::from(year))
    .fetch_all(&mut *c)
    .await?
    {
        out.insert(r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?);
    }
    Ok(out)
}

impl Store {
    /// The template of an administration for a year, with its version, in one snapshot.
    pub async fn template_of(&self, admin: NodeId, year: Year) -> R<StoredTemplate> {
        let mut c = self.conn().await?;
        stored(&mut c, admin, year).await
    }

    /// How many plans of the year (of units under the administration) have text in each
    /// of the template's sections: what removing a section would lose.
    pub async fn plans_with_text(&self, admin: NodeId, year: Year) -> R<HashMap<String, i64>> {
        plans_with_text(&mut *self.conn().await?, admin, year).await
    }
}

/// Who replaces a template, which decides what is checked.
#[derive(Clone, Copy, PartialEq, Eq)]
enum By {
    /// A person on the template page: the template must be whole (keys, headings, parents)
    /// and no section with text in a plan may go.
    Person,
    /// The importer, which adds the headings a document has and the template lacks.
    Import,
}

impl Writer {
    /// The template of an administration for a year as this writer sees it.
    pub async fn stored_template(&mut self, admin: NodeId, year: Year) -> R<StoredTemplate> {
        stored(&mut self.tx, admin, year).await
    }

    /// Replaces an administration's template for a year. `expected_version` is the version
    /// the person started from (0: the default template was shown); a stale one is
    /// [`StoreError::Conflict`]. A template that is not whole, or that drops a section some
    /// plan of the year has text in, is [`StoreError::Template`]. Returns the new version
    /// (the old one when nothing changed: then nothing is written or audited).
    pub async fn save_template(
        &mut self,
        admin: NodeId,
        year: Year,
        sections: &[TemplateSection],
        expected_version: i64,
    ) -> R<i64> {
        self.replace_template(admin, year, sections, Some(expected_version), By::Person)
            .await
    }

    /// Starts an administration's template for `year` from its template of `from` (the
    /// default, if it set none then). `expected_version` is the version of `year`'s
    /// template the person saw, as for [`Writer::save_template`].
    pub async fn copy_template(
        &mut self,
        admin: NodeId,
        from: Year,
        year: Year,
        expected_version: i64,
    ) -> R<i64> {
        let source = self.stored_template(admin, from).await?;
        self.save_template(admin, year, &source.sections, expected_version)
            .await
    }

    /// Sets an administration's template of plan sections for a year, replacing the old,
    /// from the version this writer reads (the importer's way: a change committed in between
    /// is a conflict).
    pub async fn set_template(
        &mut self,
        admin: NodeId,
        year: Year,
        sections: &[TemplateSection],
    ) -> R<()> {
        self.replace_template(admin, year, sections, None, By::Import)
            .await?;
        Ok(())
    }

    async fn replace_template(
        &mut self,
        admin: NodeId,
        year: Year,
        sections: &[TemplateSection],
        expected: Option<i64>,
        by: By,
    ) -> R<i64> {
        let node = self.require_node(admin).await?;
        if node.kind != OrgKind::Administration {
            return Err(StoreError::NotFound(format!("förvaltning {admin}")));
        }
        self.ensure_year(year).await?;
        let row = version_row(admin, year);
        // The version first, then what it versions: a change in between is a conflict.
        let found = self.stored_version(&row).await?;
        let expected = expected.unwrap_or(found);
        let before = read::template(&mut self.tx, Some(admin), year).await?;
        if by == By::Person {
            check_template(sections)?;
            let with_text = plans_with_text(&mut self.tx, admin, year).await?;
            for gone in before
                .iter()
                .filter(|b| !sections.iter().any(|s| s.key == b.key))
            {
                if let Some(&plans) = with_text.get(&gone.key) {
                    return Err(TemplateError::HasText {
                        heading: gone.heading_for(year),
                        plans,
                    }
                    .into());
                }
            }
            if found > 0 && before == sections {
                if expected != found {
                    return Err(row.conflict(expected, found));
                }
                return Ok(found);
            }
        }
        let version = self.write_versioned(row, expected, found).await?;
        sqlx::query("DELETE FROM template_section WHERE admin_id = $1 AND year = $2")
            .bind(admin.0)
            .bind(i64::from(year))
            .execute(&mut *self.tx)
            .await?;
        for s in sections {
            sqlx::query(
                "INSERT INTO template_section (admin_id, year, key, parent_key, heading, guidance, placement, position, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)",
            )
            .bind(admin.0)
            .bind(i64::from(year))
            .bind(s.key.clone())
            .bind(s.parent_key.clone())
            .bind(s.heading.clone())
            .bind(s.guidance.clone())
            .bind(s.placement.code())
            .bind(s.position)
            .execute(&mut *self.tx)
            .await
            .map_err(|e| StoreError::conflict_on_duplicate(e, format!("mallen för {year}")))?;
        }
        let action = match by {
            By::Person => "save_template",
            By::Import => "set_template",
        };
        self.audit(
            action,
            "template",
            format!("{admin}/{year}"),
            Some(&before),
            Some(&sections),
        )
        .await?;
        Ok(version)
    }
}
