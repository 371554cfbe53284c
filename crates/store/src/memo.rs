//! The memo header (Tjänsteutlåtande) of a plan or report: one versioned row per document
//! (`document_memo`, migration 0013), edited by its writers on the document's page and
//! through the API, printed by the documents crate above the title.
//!
//! A save states the version it started from (0 when nothing was written yet); a stale one
//! is [`StoreError::Conflict`] ([`Writer::write_versioned`]). A person's save to a plan
//! or report that is not open for writing (submitted, approved) is [`StoreError::Locked`].

use crate::read::query;
use crate::versioned::VersionedRow;
use crate::workflow::WriteAs;
use crate::{DocRef, Store, StoreError, Writer, now_text, rows};
use malkedja_domain::{Memo, locked_reason};
use serde::Serialize;
use sqlx::{AnyConnection, Row};

type R<T> = Result<T, StoreError>;

/// A document's memo header and the version it is stored at (0: nothing written yet, the
/// memo empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StoredMemo {
    pub memo: Memo,
    pub version: i64,
}

impl DocRef {
    /// The code of the document's kind in the archive and memo tables: "plan", "report".
    pub fn kind_code(self) -> &'static str {
        match self {
            DocRef::Plan(_) => "plan",
            DocRef::Report(_) => "report",
        }
    }

    /// The document's id (the plan's or the report's).
    pub fn doc_id(self) -> i64 {
        match self {
            DocRef::Plan(p) => p.0,
            DocRef::Report(r) => r,
        }
    }
}

pub(crate) async fn memo(c: &mut AnyConnection, doc: DocRef) -> R<StoredMemo> {
    let Some(r) = query(
        "SELECT case_number, memo_date, case_officer, addressee, phone, title, proposal, version \
         FROM document_memo WHERE doc_kind = $1 AND doc_id = $2",
    )
    .bind(doc.kind_code())
    .bind(doc.doc_id())
    .fetch_optional(&mut *c)
    .await?
    else {
        return Ok(StoredMemo::default());
    };
    let date: Option<String> = r.try_get("memo_date")?;
    Ok(StoredMemo {
        memo: Memo {
            case_number: r.try_get("case_number")?,
            date: date.as_deref().map(rows::date).transpose()?,
            case_officer: r.try_get("case_officer")?,
            addressee: r.try_get("addressee")?,
            phone: r.try_get("phone")?,
            title: r.try_get("title")?,
            proposal: r.try_get("proposal")?,
        },
        version: r.try_get("version")?,
    })
}

impl Store {
    /// A unit's report of a kind for a year (without its contents), `None` when there is
    /// none.
    pub async fn report_of(
        &self,
        unit: malkedja_domain::NodeId,
        year: malkedja_domain::Year,
        kind: malkedja_domain::ReportKind,
    ) -> R<Option<malkedja_domain::Report>> {
        Ok(
            crate::followup::report_of(&mut *self.conn().await?, unit, year, kind)
                .await?
                .map(|(r, _)| r),
        )
    }

    /// The memo header of a plan or report, with its version (empty at version 0 when none
    /// was written).
    pub async fn memo(&self, doc: DocRef) -> R<StoredMemo> {
        memo(&mut *self.conn().await?, doc).await
    }
}

impl Writer {
    /// The memo header of a plan or report as this transaction sees it.
    pub async fn memo(&mut self, doc: DocRef) -> R<StoredMemo> {
        memo(&mut self.tx, doc).await
    }

    /// Saves the memo header of a plan or report, started from `expected_version` (0 when
    /// none was written). The fields are checked ([`Memo::validate`]) and trimmed; a stale
    /// version is [`StoreError::Conflict`], a document not open for writing
    /// [`StoreError::Locked`]. Audited as `save` on `document_memo` ("plan/7").
    pub async fn save_memo(
        &mut self,
        doc: DocRef,
        memo: &Memo,
        expected_version: i64,
    ) -> R<StoredMemo> {
        let memo = Memo {
            case_number: memo.case_number.trim().to_string(),
            date: memo.date,
            case_officer: memo.case_officer.trim().to_string(),
            addressee: memo.addressee.trim().to_string(),
            phone: memo.phone.trim().to_string(),
            title: memo.title.trim().to_string(),
            proposal: memo.proposal.trim_end().to_string(),
        };
        memo.validate()?;
        match doc {
            DocRef::Plan(_) => self.check_open(doc, WriteAs::Person).await?,
            DocRef::Report(id) => {
                let report = crate::followup::report_by_id(&mut self.tx, id)
                    .await?
                    .ok_or_else(|| StoreError::NotFound(format!("rapporten {id}")))?;
                if locked_reason(report.status).is_some() {
                    return Err(StoreError::Locked(
                        "Rapporten är inskickad eller godkänd och kan inte ändras nu.".into(),
                    ));
                }
            }
        }
        let before = memo_row(self, doc).await?;
        let now = now_text();
        let row = VersionedRow::insertable("document_memo", "dokumenthuvudet")
            .key("doc_kind", doc.kind_code())
            .key("doc_id", doc.doc_id())
            .set("case_number", memo.case_number.clone())
            .set("memo_date", memo.date.map(rows::date_text))
            .set("case_officer", memo.case_officer.clone())
            .set("addressee", memo.addressee.clone())
            .set("phone", memo.phone.clone())
            .set("title", memo.title.clone())
            .set("proposal", memo.proposal.clone())
            .set("updated_at", now.clone())
            .on_insert("created_at", now);
        let found = before.as_ref().map(|m| m.version).unwrap_or(0);
        self.write_versioned(row, expected_version, found).await?;
        let after = memo_row(self, doc).await?.ok_or_else(|| {
            StoreError::NotFound(format!("dokumenthuvudet för {}", doc.audit_id()))
        })?;
        self.audit(
            "save",
            "document_memo",
            doc.audit_id(),
            before.as_ref(),
            Some(&after),
        )
        .await?;
        Ok(after)
    }
}

/// The stored row, `None` when there is none (unlike [`memo`], which gives version 0).
async fn memo_row(w: &mut Writer, doc: DocRef) -> R<Option<StoredMemo>> {
    let m = memo(&mut w.tx, doc).await?;
    Ok((m.version > 0).then_some(m))
}
