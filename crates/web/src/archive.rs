//! Approved documents from the archive: the renderer the store freezes approved documents
//! with ([`WebFreezer`], given to the store when the router is built), and reading a frozen
//! part for a page, a download or the API.
//!
//! The store makes the copy in the approval's own transaction, so an approved plan always
//! has one when the approval went through this server. A document approved otherwise (an
//! import, a database from before migration 0014, a program without the renderer) is frozen
//! here on its first read ([`frozen`]), and from then on reads the same.

use crate::AppState;
use crate::api::convert;
use crate::error::AppError;
use malkedja_documents::{Document, PdfKind, Printable};
use malkedja_store::{
    DocRef, FreezeFuture, FreezeInput, FreezeSource, Freezer, FrozenPart, FrozenParts,
};
use std::sync::Arc;

/// Where a document body keeps the place of the page's live parts (the workflow box, the
/// links for writing and downloading).
pub const SLOT: &str = "<!-- malkedja:arbetsgang -->";

/// Who the audit trail names for a copy made on a first read.
const ACTOR: &str = "arkiv";

/// Renders an approved document for the archive: the PDF/A (on a blocking thread), the
/// API's JSON and the page's body.
#[derive(Debug, Clone, Copy, Default)]
pub struct WebFreezer;

/// The freezer to give a store ([`malkedja_store::Store::with_freezer`]).
pub fn freezer() -> Arc<dyn Freezer> {
    Arc::new(WebFreezer)
}

impl Freezer for WebFreezer {
    fn render(&self, input: FreezeInput) -> FreezeFuture {
        Box::pin(async move { render(input).await })
    }
}

async fn render(input: FreezeInput) -> Result<FrozenParts, String> {
    let (json, html) = match &input.document {
        FreezeSource::Plan(doc) => (
            serde_json::to_string(&convert::plan(doc, &input.memo)),
            crate::pages::plan_body_html(doc),
        ),
        FreezeSource::Report(doc) => (
            serde_json::to_string(&convert::report(doc, &input.memo)),
            crate::pages::report_body_html(doc),
        ),
    };
    let json = json.map_err(|e| format!("JSON: {e}"))?;
    let html = html.map_err(|e| format!("sidan: {e:?}"))?;
    let printed_on = input.approved_at.date();
    let pdf = tokio::task::spawn_blocking(move || {
        let document = match &input.document {
            FreezeSource::Plan(doc) => Document::Plan(doc),
            FreezeSource::Report(doc) => Document::Report(doc),
        };
        malkedja_documents::pdf(
            &Printable {
                document,
                memo: &input.memo.memo,
                printed_on,
            },
            PdfKind::Archive,
        )
    })
    .await
    .map_err(|e| format!("PDF-tråden avbröts: {e}"))?
    .map_err(|e| e.to_string())?;
    Ok(FrozenParts { pdf, json, html })
}

/// One part of an approved document's archive copy, made now if it has none.
pub async fn frozen(state: &AppState, doc: DocRef, part: FrozenPart) -> Result<Vec<u8>, AppError> {
    if let Some((_, bytes)) = state.store.frozen_part(doc, part).await? {
        return Ok(bytes);
    }
    let mut w = state.store.begin_write(ACTOR).await?;
    match w.freeze(doc).await {
        Ok(_) => w.commit().await?,
        // Someone else froze it at the same moment (PostgreSQL): theirs stands.
        Err(e) if e.is_duplicate() => {
            w.rollback().await?;
        }
        Err(e) => {
            tracing::error!(error = %e, doc = ?doc, "an approved document could not be frozen");
            return Err(e.into());
        }
    }
    state
        .store
        .frozen_part(doc, part)
        .await?
        .map(|(_, bytes)| bytes)
        .ok_or_else(|| AppError::Internal(format!("{doc:?}: no archive copy after freezing")))
}

/// A text part (the page's body, the JSON) of an approved document's archive copy.
pub async fn frozen_text(
    state: &AppState,
    doc: DocRef,
    part: FrozenPart,
) -> Result<String, AppError> {
    let bytes = frozen(state, doc, part).await?;
    String::from_utf8(bytes)
        .map_err(|e| AppError::Internal(format!("{doc:?}: archive copy not UTF-8: {e}")))
}
