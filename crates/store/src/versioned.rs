//! Writes of versioned rows: the one place where "a save states the version it started
//! from" becomes SQL, so that no write can forget to check it.
//!
//! Every editable row carries a `version`. A write describes the row ([`VersionedRow`]:
//! table, key, columns) and states two versions to [`Writer::write_versioned`]:
//!
//! - `expected`, the version the change was made from (what the person saw; 0 when the row
//!   did not exist yet), and
//! - `found`, the version this writer read the row at just before (0: no row), the row its
//!   audit event shows as "before".
//!
//! They must agree, and the row must still be at that version when it is written:
//! `UPDATE … SET …, version = version + 1 WHERE <key> AND version = $n`, or for a first save
//! `INSERT … ON CONFLICT (<key>) DO NOTHING`. When no row changed — someone else saved in
//! between, or saved first — the write is [`StoreError::Conflict`], never an overwrite and
//! never a database error. On PostgreSQL this holds in READ COMMITTED: a concurrent writer's
//! `UPDATE` waits for the first one's transaction and then finds the version moved on.
//!
//! Writes that carry no version of their own (an import that replaces what it stored) read
//! it with [`Writer::stored_version`] *before* they read the row they compare against, and
//! state it as both versions: a change committed in between is then a conflict too.

use crate::{StoreError, Writer};
use sqlx::Row;

type R<T> = Result<T, StoreError>;

/// A value bound to a column of a versioned row.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(Some(v))
    }
}

impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Value {
        Value::Int(v)
    }
}

impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(Some(v))
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(Some(v.to_string()))
    }
}

impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Value {
        Value::Text(v)
    }
}

type Columns = Vec<(&'static str, Value)>;

/// One row of a table with a `version` column, and what a write puts in it. Table and
/// column names are `'static`: only our own constants ever become SQL; values are bound.
#[derive(Debug, Clone)]
pub(crate) struct VersionedRow {
    table: &'static str,
    /// What the row is, in Swedish, for the conflict message ("enhetens uppgifter").
    what: String,
    key: Columns,
    set: Columns,
    /// Columns only a first save writes (`created_at`); `None` when the row is never
    /// created by a versioned write, only changed.
    insert: Option<Columns>,
}

impl VersionedRow {
    /// A row that is only ever changed here (it is created elsewhere).
    pub(crate) fn new(table: &'static str, what: impl Into<String>) -> VersionedRow {
        VersionedRow {
            table,
            what: what.into(),
            key: Vec::new(),
            set: Vec::new(),
            insert: None,
        }
    }

    /// A row that a first save (from version 0) creates. The key must be the table's
    /// primary key or a unique constraint.
    pub(crate) fn insertable(table: &'static str, what: impl Into<String>) -> VersionedRow {
        VersionedRow {
            insert: Some(Vec::new()),
            ..VersionedRow::new(table, what)
        }
    }

    pub(crate) fn key(mut self, column: &'static str, value: impl Into<Value>) -> VersionedRow {
        self.key.push((column, value.into()));
        self
    }

    /// A column written by every save.
    pub(crate) fn set(mut self, column: &'static str, value: impl Into<Value>) -> VersionedRow {
        self.set.push((column, value.into()));
        self
    }

    /// A column written only when the row is created.
    pub(crate) fn on_insert(
        mut self,
        column: &'static str,
        value: impl Into<Value>,
    ) -> VersionedRow {
        self.insert
            .get_or_insert_with(Vec::new)
            .push((column, value.into()));
        self
    }

    fn key_condition(&self, first: usize) -> String {
        self.key
            .iter()
            .enumerate()
            .map(|(i, (c, _))| format!("{c} = ${}", first + i))
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// `INSERT … ON CONFLICT (<key>) DO NOTHING` with version 1.
    fn insert_sql(&self, only_on_insert: &Columns) -> (String, Vec<Value>) {
        let columns: Vec<&(&'static str, Value)> = self
            .key
            .iter()
            .chain(&self.set)
            .chain(only_on_insert)
            .collect();
        let names: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
        let params: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
        let key: Vec<&str> = self.key.iter().map(|(c, _)| *c).collect();
        let sql = format!(
            "INSERT INTO {} ({}, version) VALUES ({}, 1) ON CONFLICT ({}) DO NOTHING",
            self.table,
            names.join(", "),
            params.join(", "),
            key.join(", ")
        );
        (sql, columns.into_iter().map(|(_, v)| v.clone()).collect())
    }

    /// `UPDATE … SET …, version = version + 1 WHERE <key> AND version = $n`.
    fn update_sql(&self, expected: i64) -> (String, Vec<Value>) {
        let set: Vec<String> = self
            .set
            .iter()
            .enumerate()
            .map(|(i, (c, _))| format!("{c} = ${}", i + 1))
            .chain(std::iter::once("version = version + 1".to_string()))
            .collect();
        let n = self.set.len();
        let sql = format!(
            "UPDATE {} SET {} WHERE {} AND version = ${}",
            self.table,
            set.join(", "),
            self.key_condition(n + 1),
            n + self.key.len() + 1
        );
        let values = self
            .set
            .iter()
            .chain(&self.key)
            .map(|(_, v)| v.clone())
            .chain(std::iter::once(Value::Int(Some(expected))))
            .collect();
        (sql, values)
    }

    /// The row's key as text, to compare with the keys a statement returns.
    fn key_text(&self) -> String {
        self.key
            .iter()
            .map(|(_, v)| match v {
                Value::Int(i) => format!("{i:?}"),
                Value::Text(t) => format!("{t:?}"),
            })
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The columns a first save writes, `version` last.
    fn insert_shape(&self) -> Vec<&'static str> {
        self.key
            .iter()
            .chain(&self.set)
            .chain(self.insert.iter().flatten())
            .map(|(c, _)| *c)
            .chain(std::iter::once("version"))
            .collect()
    }

    fn insert_width(&self) -> usize {
        self.insert_shape().len() - 1
    }

    /// The columns of the values a change names: key, set, and the version it expects.
    fn update_shape(&self) -> Vec<&'static str> {
        self.key
            .iter()
            .chain(&self.set)
            .map(|(c, _)| *c)
            .chain(std::iter::once("expected"))
            .collect()
    }

    fn update_width(&self) -> usize {
        self.update_shape().len()
    }

    fn version_sql(&self) -> (String, Vec<Value>) {
        let sql = format!(
            "SELECT version FROM {} WHERE {}",
            self.table,
            self.key_condition(1)
        );
        (sql, self.key.iter().map(|(_, v)| v.clone()).collect())
    }

    pub(crate) fn conflict(&self, expected: i64, actual: i64) -> StoreError {
        StoreError::Conflict {
            entity: self.what.clone(),
            expected,
            actual,
        }
    }
}

/// Runs `sql` (built from our constants only) with `values` bound in order.
fn query(
    sql: String,
    values: Vec<Value>,
) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments> {
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for v in values {
        q = match v {
            Value::Int(i) => q.bind(i),
            Value::Text(t) => q.bind(t),
        };
    }
    q
}

impl Writer {
    /// The version the row is stored at as this writer sees it, 0 when there is none.
    pub(crate) async fn stored_version(&mut self, row: &VersionedRow) -> R<i64> {
        let (sql, values) = row.version_sql();
        Ok(query(sql, values)
            .fetch_optional(&mut *self.tx)
            .await?
            .map(|r| r.try_get::<i64, _>(0))
            .transpose()?
            .unwrap_or(0))
    }

    /// Writes `row` if it is still at version `expected` (see the module's documentation):
    /// a first save when `expected` is 0 and the row is insertable, otherwise an update of
    /// that version. `found` is the version this writer read the row at before the change.
    /// Returns the row's new version; a row that moved on, or that someone else created
    /// first, is [`StoreError::Conflict`]; a row that is only changed here and does not
    /// exist is [`StoreError::NotFound`].
    pub(crate) async fn write_versioned(
        &mut self,
        row: VersionedRow,
        expected: i64,
        found: i64,
    ) -> R<i64> {
        if found != expected {
            return Err(row.conflict(expected, found));
        }
        let (sql, values) = match (&row.insert, expected) {
            (Some(only_on_insert), 0) => row.insert_sql(only_on_insert),
            _ => row.update_sql(expected),
        };
        let changed = query(sql, values)
            .execute(&mut *self.tx)
            .await?
            .rows_affected();
        if changed == 1 {
            return Ok(expected + 1);
        }
        if changed > 1 {
            return Err(StoreError::Corrupt(format!(
                "{} ändrade {changed} rader i {}",
                row.what, row.table
            )));
        }
        let actual = self.stored_version(&row).await?;
        if actual == 0 && row.insert.is_none() {
            return Err(StoreError::NotFound(row.what));
        }
        Err(row.conflict(expected, actual))
    }

    /// Writes many rows as [`Writer::write_versioned`] writes one, each `(row, expected,
    /// found)` by the same rules, in a few statements: first saves of rows of one shape
    /// (table and columns) in one `INSERT … VALUES (…), (…) ON CONFLICT (<key>) DO NOTHING`,
    /// changes in one `WITH v (…) AS (VALUES …) UPDATE … FROM v WHERE <key> AND version =
    /// v.expected` (as many as [`crate::bulk::MAX_VALUES`] allows). When fewer rows changed
    /// than were written, the first row that did not is the [`StoreError::Conflict`] (or
    /// [`StoreError::NotFound`]), and the writer's transaction is to be dropped.
    pub(crate) async fn write_versioned_many(
        &mut self,
        rows: Vec<(VersionedRow, i64, i64)>,
    ) -> R<()> {
        let mut inserts: Vec<(VersionedRow, i64)> = Vec::new();
        let mut updates: Vec<(VersionedRow, i64)> = Vec::new();
        for (row, expected, found) in rows {
            if found != expected {
                return Err(row.conflict(expected, found));
            }
            if row.insert.is_some() && expected == 0 {
                inserts.push((row, expected));
            } else {
                updates.push((row, expected));
            }
        }
        for group in same_shape(inserts, VersionedRow::insert_shape) {
            for chunk in group.chunks(crate::bulk::rows_per_statement(group[0].0.insert_width())) {
                let (sql, values) = insert_many_sql(chunk);
                self.run_many(chunk, sql, values).await?;
            }
        }
        for group in same_shape(updates, VersionedRow::update_shape) {
            for chunk in group.chunks(crate::bulk::rows_per_statement(group[0].0.update_width())) {
                let (sql, values) = update_many_sql(chunk);
                self.run_many(chunk, sql, values).await?;
            }
        }
        Ok(())
    }

    /// Runs a statement of [`Writer::write_versioned_many`], which returns the keys of the
    /// rows it changed: every row of `chunk` changed, or the first that did not is the
    /// error.
    async fn run_many(
        &mut self,
        chunk: &[(VersionedRow, i64)],
        sql: String,
        values: Vec<Value>,
    ) -> R<()> {
        let changed = query(sql, values).fetch_all(&mut *self.tx).await?;
        if changed.len() == chunk.len() {
            return Ok(());
        }
        let mut keys = std::collections::HashSet::new();
        for r in &changed {
            keys.insert(returned_key(&chunk[0].0, r)?);
        }
        for (row, expected) in chunk {
            if keys.contains(&row.key_text()) {
                continue;
            }
            let actual = self.stored_version(row).await?;
            if actual == 0 && row.insert.is_none() {
                return Err(StoreError::NotFound(row.what.clone()));
            }
            return Err(row.conflict(*expected, actual));
        }
        Err(StoreError::Corrupt(format!(
            "{} av {} rader ändrades",
            changed.len(),
            chunk.len()
        )))
    }
}

/// The key of a row a statement returned, as [`VersionedRow::key_text`] writes it.
fn returned_key(shape: &VersionedRow, r: &sqlx::any::AnyRow) -> R<String> {
    let mut out = Vec::new();
    for (i, (_, v)) in shape.key.iter().enumerate() {
        out.push(match v {
            Value::Int(_) => format!("{:?}", r.try_get::<Option<i64>, _>(i)?),
            Value::Text(_) => format!("{:?}", r.try_get::<Option<String>, _>(i)?),
        });
    }
    Ok(out.join("/"))
}

/// Runs of rows with the same shape, in order (rows of one shape are written together).
fn same_shape(
    rows: Vec<(VersionedRow, i64)>,
    shape: fn(&VersionedRow) -> Vec<&'static str>,
) -> Vec<Vec<(VersionedRow, i64)>> {
    let mut out: Vec<Vec<(VersionedRow, i64)>> = Vec::new();
    for r in rows {
        match out.last_mut() {
            Some(group) if shape(&group[0].0) == shape(&r.0) => group.push(r),
            _ => out.push(vec![r]),
        }
    }
    out
}

/// `INSERT INTO t (<key>, <set>, <on insert>, version) VALUES (…, 1), … ON CONFLICT (<key>)
/// DO NOTHING` for rows of one shape.
fn insert_many_sql(rows: &[(VersionedRow, i64)]) -> (String, Vec<Value>) {
    let first = &rows[0].0;
    let names = first.insert_shape();
    let key: Vec<&str> = first.key.iter().map(|(c, _)| *c).collect();
    let width = names.len() - 1;
    let tuples: Vec<String> = (0..rows.len())
        .map(|r| {
            let cells: Vec<String> = (0..width)
                .map(|c| format!("${}", r * width + c + 1))
                .collect();
            format!("({}, 1)", cells.join(", "))
        })
        .collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES {} ON CONFLICT ({}) DO NOTHING RETURNING {}",
        first.table,
        names.join(", "),
        tuples.join(", "),
        key.join(", "),
        key.join(", ")
    );
    let values = rows
        .iter()
        .flat_map(|(row, _)| {
            row.key
                .iter()
                .chain(&row.set)
                .chain(row.insert.iter().flatten())
                .map(|(_, v)| v.clone())
        })
        .collect();
    (sql, values)
}

/// `WITH v (<key>, <set>, expected) AS (VALUES …) UPDATE t SET <set> = v.<set>, version =
/// t.version + 1 FROM v WHERE t.<key> = v.<key> AND t.version = v.expected` for rows of one
/// shape.
fn update_many_sql(rows: &[(VersionedRow, i64)]) -> (String, Vec<Value>) {
    let first = &rows[0].0;
    let t = first.table;
    let names = first.update_shape();
    let width = names.len();
    let set: Vec<String> = first
        .set
        .iter()
        .map(|(c, _)| format!("{c} = v.{c}"))
        .chain(std::iter::once(format!("version = {t}.version + 1")))
        .collect();
    let key: Vec<String> = first
        .key
        .iter()
        .map(|(c, _)| format!("{t}.{c} = v.{c}"))
        .chain(std::iter::once(format!("{t}.version = v.expected")))
        .collect();
    let returning: Vec<String> = first.key.iter().map(|(c, _)| format!("{t}.{c}")).collect();
    let sql = format!(
        "WITH v ({}) AS (VALUES {}) UPDATE {t} SET {} FROM v WHERE {} RETURNING {}",
        names.join(", "),
        crate::bulk::values_list(1, width, rows.len()),
        set.join(", "),
        key.join(" AND "),
        returning.join(", ")
    );
    let values = rows
        .iter()
        .flat_map(|(row, expected)| {
            row.key
                .iter()
                .chain(&row.set)
                .map(|(_, v)| v.clone())
                .chain(std::iter::once(Value::Int(Some(*expected))))
        })
        .collect();
    (sql, values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> VersionedRow {
        VersionedRow::insertable("unit_facts", "enhetens uppgifter")
            .key("node_id", 7)
            .key("year", 2025)
            .set("clients", Some(12))
            .set("updated_at", "nu")
            .on_insert("created_at", "nu")
    }

    /// The tables whose rows carry a `version`, from the migrations.
    fn versioned_tables() -> Vec<String> {
        let mut out = Vec::new();
        for (_, _, sql) in crate::migrate::MIGRATIONS {
            for chunk in sql.split("CREATE TABLE ").skip(1) {
                let name = chunk.split_whitespace().next().unwrap_or_default();
                let body = chunk.split(");").next().unwrap_or_default();
                if body.contains("\n    version BIGINT") {
                    out.push(name.to_string());
                }
            }
        }
        out
    }

    /// What follows `at` in `src` up to the end of the string literal it is in.
    fn statement(src: &str, at: usize) -> &str {
        let rest = &src[at..];
        &rest[..rest.find('"').unwrap_or(rest.len())]
    }

    /// So that no new write can forget the check: outside this module, no code moves a
    /// version on, updates a versioned table, or upserts over a versioned row.
    #[test]
    fn versioned_rows_are_written_only_here() {
        let tables = versioned_tables();
        for t in [
            "unit_facts",
            "plan_section",
            "org_node",
            "report",
            "goal_assessment",
            "account",
        ] {
            assert!(tables.iter().any(|x| x == t), "{t} in {tables:?}");
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut checked = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if !name.ends_with(".rs") || name == "versioned.rs" {
                continue;
            }
            let src = std::fs::read_to_string(&path).unwrap();
            checked += 1;
            let hint = "write versioned rows through Writer::write_versioned (versioned.rs)";
            assert!(
                !src.contains("version + 1"),
                "{name} moves a version on: {hint}"
            );
            for (at, _) in src.match_indices("UPDATE ") {
                let table = src[at + 7..].split_whitespace().next().unwrap_or_default();
                let upsert = src[..at].ends_with("DO ");
                // Renumbering siblings around a moved item: a position is not what a
                // writer edits (see editing.rs), and nothing else is set.
                let renumber = statement(&src, at)
                    .ends_with("SET position = $1 WHERE id = $2 AND position <> $1");
                assert!(
                    upsert || renumber || !tables.iter().any(|t| t == table),
                    "{name} updates {table} itself: {hint}"
                );
            }
            for (at, _) in src.match_indices("INSERT INTO ") {
                let table = src[at + 12..].split_whitespace().next().unwrap_or_default();
                assert!(
                    !(tables.iter().any(|t| t == table)
                        && statement(&src, at).contains("DO UPDATE")),
                    "{name} upserts over {table}: {hint}"
                );
            }
        }
        assert!(
            checked > 5,
            "the store's modules were read from {}",
            dir.display()
        );
    }

    #[test]
    fn an_update_names_the_version_it_started_from() {
        let (sql, values) = row().update_sql(3);
        assert_eq!(
            sql,
            "UPDATE unit_facts SET clients = $1, updated_at = $2, version = version + 1 WHERE node_id = $3 AND year = $4 AND version = $5"
        );
        assert_eq!(values.len(), 5);
        assert!(matches!(values[4], Value::Int(Some(3))));
    }

    #[test]
    fn a_first_save_does_nothing_when_the_row_exists() {
        let r = row();
        let only = r.insert.clone().unwrap();
        let (sql, values) = r.insert_sql(&only);
        assert_eq!(
            sql,
            "INSERT INTO unit_facts (node_id, year, clients, updated_at, created_at, version) VALUES ($1, $2, $3, $4, $5, 1) ON CONFLICT (node_id, year) DO NOTHING"
        );
        assert_eq!(values.len(), 5);
        let (sql, _) = r.version_sql();
        assert_eq!(
            sql,
            "SELECT version FROM unit_facts WHERE node_id = $1 AND year = $2"
        );
    }
}
