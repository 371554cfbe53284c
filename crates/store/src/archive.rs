//! The archive: a frozen copy of every approved document (`frozen_document`, migration
//! 0014), made once at approval and never changed — the PDF/A, the JSON the API answers for
//! it and the HTML body of its page, each with its SHA-256.
//!
//! The store cannot render (it knows neither the documents crate nor the web's pages): the
//! layer that can gives the store a [`Freezer`] ([`Store::with_freezer`]). With one, the
//! approval of a plan ([`Writer::transition_plan`]) renders the plan as it reads once
//! approved and writes the frozen row **in the same transaction** as the approval: an
//! approval whose copy cannot be made is not stored either. [`Writer::freeze`] does the same
//! for any approved document (the demo, a report), and makes nothing twice: a document has
//! at most one copy per approval ([`FrozenInfo::approval`]). A document approved without a
//! freezer (an older database, a program that has none) has no copy until someone freezes
//! it; the web layer does that on the first read.
//!
//! Rows are only added. [`Store::verify_archive`] recomputes every checksum.

use crate::read::{query, sql};
use crate::{DocRef, Store, StoreError, Writer, now_text, parse_timestamp, read};
use malkedja_domain::{NodeId, PlanDocument, PlanStatus, ReportDocument, Year};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};
use std::future::Future;
use std::pin::Pin;
use time::OffsetDateTime;

type R<T> = Result<T, StoreError>;

/// What a [`Freezer`] renders: the document as it reads once approved, with its memo.
#[derive(Debug, Clone)]
pub enum FreezeSource {
    Plan(Box<PlanDocument>),
    Report(Box<ReportDocument>),
}

/// Everything a [`Freezer`] is given.
#[derive(Debug, Clone)]
pub struct FreezeInput {
    pub document: FreezeSource,
    pub memo: crate::StoredMemo,
    pub approved_at: OffsetDateTime,
    pub approved_by: String,
}

/// The three renderings of a frozen document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrozenParts {
    /// The PDF/A (archive) rendering.
    pub pdf: Vec<u8>,
    /// The JSON the API answers for the document.
    pub json: String,
    /// The HTML of the page's document body (what the page shows of the document itself).
    pub html: String,
}

/// What a [`Freezer`] returns: the parts, or why they could not be made (Swedish).
pub type FreezeFuture = Pin<Box<dyn Future<Output = Result<FrozenParts, String>> + Send>>;

/// Renders a document for the archive. Implemented by the layer that knows the formats.
pub trait Freezer: Send + Sync {
    fn render(&self, input: FreezeInput) -> FreezeFuture;
}

/// One part of a frozen document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FrozenPart {
    Pdf,
    Json,
    Html,
}

impl FrozenPart {
    pub const ALL: [FrozenPart; 3] = [FrozenPart::Pdf, FrozenPart::Json, FrozenPart::Html];

    pub fn code(self) -> &'static str {
        match self {
            FrozenPart::Pdf => "pdf",
            FrozenPart::Json => "json",
            FrozenPart::Html => "html",
        }
    }
}

/// A frozen document without its bytes: what the manifest and the lists need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrozenInfo {
    pub id: i64,
    pub doc: DocRef,
    /// The workflow step that approved it (`plan_transition.id`), 0 for a document approved
    /// without a recorded step.
    pub approval: i64,
    pub unit_id: NodeId,
    /// The unit's name at approval.
    pub unit_name: String,
    pub year: Year,
    /// "plan", or the report's kind ("tertial1", "tertial2", "annual_report").
    pub kind: String,
    pub approved_at: OffsetDateTime,
    /// Who approved it (a person's email), or who made the copy when no step was recorded.
    pub approved_by: String,
    pub created_at: OffsetDateTime,
    pub pdf_sha256: String,
    pub json_sha256: String,
    pub html_sha256: String,
}

impl FrozenInfo {
    /// The stored checksum of a part.
    pub fn sha256(&self, part: FrozenPart) -> &str {
        match part {
            FrozenPart::Pdf => &self.pdf_sha256,
            FrozenPart::Json => &self.json_sha256,
            FrozenPart::Html => &self.html_sha256,
        }
    }
}

/// A frozen document with its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frozen {
    pub info: FrozenInfo,
    pub parts: FrozenParts,
}

impl Frozen {
    pub fn bytes(&self, part: FrozenPart) -> &[u8] {
        match part {
            FrozenPart::Pdf => &self.parts.pdf,
            FrozenPart::Json => self.parts.json.as_bytes(),
            FrozenPart::Html => self.parts.html.as_bytes(),
        }
    }
}

/// A frozen document whose bytes no longer match their checksums.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    pub info: FrozenInfo,
    pub parts: Vec<FrozenPart>,
}

/// The SHA-256 of `bytes`, in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

const INFO_COLS: &str = "id, doc_kind, doc_id, approval, unit_id, unit_name, year, kind, \
    approved_at, approved_by, created_at, pdf_sha256, json_sha256, html_sha256";

fn info(r: &sqlx::any::AnyRow) -> R<FrozenInfo> {
    let kind: String = r.try_get("doc_kind")?;
    let id: i64 = r.try_get("doc_id")?;
    let doc = match kind.as_str() {
        "plan" => DocRef::Plan(malkedja_domain::PlanId(id)),
        "report" => DocRef::Report(id),
        other => return Err(StoreError::Corrupt(format!("dokumentslag {other:?}"))),
    };
    let year: i64 = r.try_get("year")?;
    Ok(FrozenInfo {
        id: r.try_get("id")?,
        doc,
        approval: r.try_get("approval")?,
        unit_id: NodeId(r.try_get("unit_id")?),
        unit_name: r.try_get("unit_name")?,
        year: Year::try_from(year).map_err(|_| StoreError::Corrupt(format!("år {year}")))?,
        kind: r.try_get("kind")?,
        approved_at: parse_timestamp(&r.try_get::<String, _>("approved_at")?)?,
        approved_by: r.try_get("approved_by")?,
        created_at: parse_timestamp(&r.try_get::<String, _>("created_at")?)?,
        pdf_sha256: r.try_get("pdf_sha256")?,
        json_sha256: r.try_get("json_sha256")?,
        html_sha256: r.try_get("html_sha256")?,
    })
}

/// The approval a document's copy belongs to now: the plan's or report's last workflow step
/// when that step approved it, otherwise 0 (approved without a recorded step: the demo, an
/// import, a database from before the workflow).
async fn current_approval(
    c: &mut AnyConnection,
    doc: DocRef,
) -> R<(i64, Option<(String, String)>)> {
    let select = match doc {
        DocRef::Plan(_) => {
            "SELECT id, to_status, actor, at FROM plan_transition WHERE plan_id = $1 ORDER BY id DESC LIMIT 1"
        }
        DocRef::Report(_) => {
            "SELECT id, to_status, actor, at FROM report_transition WHERE report_id = $1 ORDER BY id DESC LIMIT 1"
        }
    };
    let row = query(select)
        .bind(doc.doc_id())
        .fetch_optional(&mut *c)
        .await?;
    match row {
        Some(r) if r.try_get::<String, _>("to_status")? == PlanStatus::Approved.code() => Ok((
            r.try_get("id")?,
            Some((r.try_get("actor")?, r.try_get("at")?)),
        )),
        _ => Ok((0, None)),
    }
}

async fn frozen_info(c: &mut AnyConnection, doc: DocRef, approval: i64) -> R<Option<FrozenInfo>> {
    sql(format!(
        "SELECT {INFO_COLS} FROM frozen_document WHERE doc_kind = $1 AND doc_id = $2 AND approval = $3"
    ))
    .bind(doc.kind_code())
    .bind(doc.doc_id())
    .bind(approval)
    .fetch_optional(&mut *c)
    .await?
    .as_ref()
    .map(info)
    .transpose()
}

async fn frozen_by_id(c: &mut AnyConnection, id: i64) -> R<Option<Frozen>> {
    let Some(r) = sql(format!(
        "SELECT {INFO_COLS}, pdf, json, html FROM frozen_document WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *c)
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(Frozen {
        info: info(&r)?,
        parts: FrozenParts {
            pdf: r.try_get("pdf")?,
            json: r.try_get("json")?,
            html: r.try_get("html")?,
        },
    }))
}

/// A column of the current copy of a document, with the copy's description.
async fn current_part(
    c: &mut AnyConnection,
    doc: DocRef,
    part: FrozenPart,
) -> R<Option<(FrozenInfo, Vec<u8>)>> {
    let (approval, _) = current_approval(c, doc).await?;
    let column = part.code();
    let Some(r) = sql(format!(
        "SELECT {INFO_COLS}, {column} FROM frozen_document WHERE doc_kind = $1 AND doc_id = $2 AND approval = $3"
    ))
    .bind(doc.kind_code())
    .bind(doc.doc_id())
    .bind(approval)
    .fetch_optional(&mut *c)
    .await?
    else {
        return Ok(None);
    };
    let bytes = match part {
        FrozenPart::Pdf => r.try_get::<Vec<u8>, _>(column)?,
        _ => r.try_get::<String, _>(column)?.into_bytes(),
    };
    Ok(Some((info(&r)?, bytes)))
}

impl Store {
    /// Gives the store the renderer of archive copies: from now on an approval freezes the
    /// document in the same transaction (see the module's documentation).
    pub fn with_freezer(mut self, freezer: std::sync::Arc<dyn Freezer>) -> Store {
        self.freezer = Some(freezer);
        self
    }

    /// Whether approvals through this store freeze the document.
    pub fn freezes(&self) -> bool {
        self.freezer.is_some()
    }

    /// One part of the copy of a document frozen at its current approval (the newest, for
    /// an approved document), or `None` when it has none. Ask only for an approved
    /// document: the copy of an earlier approval is not what a reopened plan reads like.
    pub async fn frozen_part(
        &self,
        doc: DocRef,
        part: FrozenPart,
    ) -> R<Option<(FrozenInfo, Vec<u8>)>> {
        let mut tx = self.snapshot().await?;
        let out = current_part(&mut tx, doc, part).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Every copy of one document, oldest first (a reopened and again approved plan has
    /// several).
    pub async fn frozen_copies(&self, doc: DocRef) -> R<Vec<FrozenInfo>> {
        sql(format!(
            "SELECT {INFO_COLS} FROM frozen_document WHERE doc_kind = $1 AND doc_id = $2 ORDER BY id"
        ))
        .bind(doc.kind_code())
        .bind(doc.doc_id())
        .fetch_all(&mut *self.conn().await?)
        .await?
        .iter()
        .map(info)
        .collect()
    }

    /// Every frozen document, oldest first, without its bytes.
    pub async fn frozen_documents(&self) -> R<Vec<FrozenInfo>> {
        sql(format!(
            "SELECT {INFO_COLS} FROM frozen_document ORDER BY id"
        ))
        .fetch_all(&mut *self.conn().await?)
        .await?
        .iter()
        .map(info)
        .collect()
    }

    /// One frozen document with its bytes.
    pub async fn frozen_document(&self, id: i64) -> R<Option<Frozen>> {
        frozen_by_id(&mut *self.conn().await?, id).await
    }

    /// Recomputes the checksum of every part of every frozen document (one document in
    /// memory at a time): the documents whose bytes no longer match, with the parts.
    pub async fn verify_archive(&self) -> R<Vec<Mismatch>> {
        let mut out = Vec::new();
        for i in self.frozen_documents().await? {
            let Some(f) = self.frozen_document(i.id).await? else {
                continue;
            };
            let parts: Vec<FrozenPart> = FrozenPart::ALL
                .into_iter()
                .filter(|p| sha256_hex(f.bytes(*p)) != f.info.sha256(*p))
                .collect();
            if !parts.is_empty() {
                out.push(Mismatch {
                    info: f.info,
                    parts,
                });
            }
        }
        Ok(out)
    }
}

impl Writer {
    /// Freezes an approved document as it reads now, for its current approval, unless
    /// that is done already (then the existing copy). Needs the store's [`Freezer`]; without
    /// one, for a document that is not approved, or when rendering fails, it is
    /// [`StoreError::Archive`]. Audited as `freeze` on `frozen_document`.
    pub async fn freeze(&mut self, doc: DocRef) -> R<FrozenInfo> {
        let Some(freezer) = self.freezer.clone() else {
            return Err(StoreError::Archive(
                "programmet har ingen renderare för arkivexemplar".into(),
            ));
        };
        let (approval, step) = current_approval(&mut self.tx, doc).await?;
        if let Some(existing) = frozen_info(&mut self.tx, doc, approval).await? {
            return Ok(existing);
        }
        let (source, unit, year, kind, status) = match doc {
            DocRef::Plan(id) => {
                let plan = self.require_plan(id).await?;
                let d = read::plan_document(&mut self.tx, plan.unit_id, plan.year)
                    .await?
                    .ok_or_else(|| StoreError::NotFound(format!("plan {id}")))?;
                let unit = d.unit.clone();
                (
                    FreezeSource::Plan(Box::new(d)),
                    unit,
                    plan.year,
                    "plan".to_string(),
                    plan.status,
                )
            }
            DocRef::Report(id) => {
                let report = crate::followup::report_by_id(&mut self.tx, id)
                    .await?
                    .ok_or_else(|| StoreError::NotFound(format!("rapporten {id}")))?;
                let plan = self.require_plan(report.plan_id).await?;
                let d = read::report_document(&mut self.tx, plan.unit_id, plan.year, report.kind)
                    .await?
                    .ok_or_else(|| StoreError::NotFound(format!("rapporten {id}")))?;
                let unit = d.unit.clone();
                (
                    FreezeSource::Report(Box::new(d)),
                    unit,
                    plan.year,
                    report.kind.code().to_string(),
                    report.status,
                )
            }
        };
        if status != PlanStatus::Approved {
            return Err(StoreError::Archive(format!(
                "{} är inte godkänd och arkiveras inte",
                doc.audit_id()
            )));
        }
        let (approved_by, approved_at) = match step {
            Some((actor, at)) => (actor, at),
            None => (self.actor.clone(), now_text()),
        };
        let input = FreezeInput {
            document: source,
            memo: self.memo(doc).await?,
            approved_at: parse_timestamp(&approved_at)?,
            approved_by: approved_by.clone(),
        };
        let parts = freezer.render(input).await.map_err(StoreError::Archive)?;
        let id: i64 = query(
            "INSERT INTO frozen_document (doc_kind, doc_id, approval, unit_id, unit_name, year, kind, approved_at, approved_by, pdf, pdf_sha256, json, json_sha256, html, html_sha256, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
        )
        .bind(doc.kind_code())
        .bind(doc.doc_id())
        .bind(approval)
        .bind(unit.id.0)
        .bind(unit.name.clone())
        .bind(i64::from(year))
        .bind(kind)
        .bind(approved_at)
        .bind(approved_by)
        .bind(parts.pdf.clone())
        .bind(sha256_hex(&parts.pdf))
        .bind(parts.json.clone())
        .bind(sha256_hex(parts.json.as_bytes()))
        .bind(parts.html.clone())
        .bind(sha256_hex(parts.html.as_bytes()))
        .bind(now_text())
        .fetch_one(&mut *self.tx)
        .await?
        .try_get(0)?;
        let info = frozen_info(&mut self.tx, doc, approval)
            .await?
            .filter(|i| i.id == id)
            .ok_or_else(|| StoreError::Corrupt(format!("arkivexemplar {id}")))?;
        self.audit::<(), _>("freeze", "frozen_document", id, None, Some(&info))
            .await?;
        Ok(info)
    }

    /// Whether the store this writer belongs to freezes approved documents.
    pub fn freezes(&self) -> bool {
        self.freezer.is_some()
    }
}
