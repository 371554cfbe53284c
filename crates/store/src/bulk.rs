//! Statements that write many rows at once: `INSERT … VALUES (…), (…), …` with up to
//! [`MAX_VALUES`] bound values each, instead of one statement per row. Both backends take
//! multi-row `VALUES` (SQLite allows 32 766 bound values in a statement, PostgreSQL 65 535).
//! Used where a write stores many rows of one kind: a document's record of what it contains,
//! its pins, a report's follow-up, the audit events of such a write.

use crate::StoreError;
use crate::read::sql;
pub(crate) use crate::versioned::Value;
use sqlx::AnyConnection;

type R<T> = Result<T, StoreError>;

/// At most this many values are bound in one statement.
pub(crate) const MAX_VALUES: usize = 1000;

/// How many rows of `width` values go into one statement.
pub(crate) fn rows_per_statement(width: usize) -> usize {
    (MAX_VALUES / width.max(1)).max(1)
}

/// `($first, $first+1, …), (…)`: `rows` groups of `width` placeholders.
pub(crate) fn values_list(first: usize, width: usize, rows: usize) -> String {
    (0..rows)
        .map(|r| {
            let cells: Vec<String> = (0..width)
                .map(|c| format!("${}", first + r * width + c))
                .collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Binds `values` in order to a statement of our own text.
pub(crate) fn bound(
    text: String,
    values: impl IntoIterator<Item = Value>,
) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments> {
    let mut q = sql(text);
    for v in values {
        q = match v {
            Value::Int(i) => q.bind(i),
            Value::Text(t) => q.bind(t),
        };
    }
    q
}

/// Inserts `rows` (each of the same width) as `{head} VALUES (…), (…) {tail}`, in as few
/// statements as [`MAX_VALUES`] allows. `head` names the table and columns
/// (`INSERT INTO plan_goal (plan_id, goal_id)`), `tail` may add a conflict clause. Only our
/// own constants ever become SQL; every value is bound. Returns the rows affected.
pub(crate) async fn insert_rows(
    c: &mut AnyConnection,
    head: &str,
    tail: &str,
    rows: Vec<Vec<Value>>,
) -> R<u64> {
    let Some(width) = rows.first().map(Vec::len) else {
        return Ok(0);
    };
    if rows.iter().any(|r| r.len() != width) {
        return Err(StoreError::Corrupt(format!(
            "rader av olika bredd till {head}"
        )));
    }
    let mut affected = 0;
    for chunk in rows.chunks(rows_per_statement(width)) {
        let text = format!(
            "{head} VALUES {} {tail}",
            values_list(1, width, chunk.len())
        );
        affected += bound(text, chunk.iter().flatten().cloned())
            .execute(&mut *c)
            .await?
            .rows_affected();
    }
    Ok(affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_run_on_across_rows() {
        assert_eq!(values_list(1, 2, 3), "($1, $2), ($3, $4), ($5, $6)");
        assert_eq!(values_list(4, 1, 2), "($4), ($5)");
        assert_eq!(values_list(1, 3, 0), "");
    }

    #[test]
    fn a_statement_stays_under_the_limit() {
        assert_eq!(rows_per_statement(4), 250);
        assert_eq!(rows_per_statement(0), MAX_VALUES);
        assert_eq!(rows_per_statement(MAX_VALUES * 2), 1);
    }
}
