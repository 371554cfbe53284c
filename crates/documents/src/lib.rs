//! Målkedja's official documents. This crate knows neither HTTP nor SQL: it takes the
//! domain's assembled plan or report (with its memo header) and returns the bytes of a PDF,
//! a Word document, a spreadsheet or a CSV file. Fonts are inside the binary; nothing is
//! downloaded or spawned.

pub mod chart;
mod docx;
mod pdf;
pub mod print_order;
mod sheet;

pub use docx::docx;
pub use pdf::{MISSING, PdfKind, PdfOutput, pdf, pdf_output};
pub use sheet::{Cell, Rows, csv, indicator_rows, number_cell, rollup_title, rollup_xlsx, xlsx};

use malkedja_domain::{Memo, PlanDocument, ReportDocument};
use time::Date;

/// What to print: a unit's plan or one of its reports, with its memo header.
#[derive(Debug, Clone, Copy)]
pub struct Printable<'a> {
    pub document: Document<'a>,
    pub memo: &'a Memo,
    /// The date the document is printed (the memo's date when it has none).
    pub printed_on: Date,
}

#[derive(Debug, Clone, Copy)]
pub enum Document<'a> {
    Plan(&'a PlanDocument),
    Report(&'a ReportDocument),
}

/// A document could not be made. Messages are Swedish: they may reach users.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("PDF-dokumentet kunde inte sättas: {0}")]
    Typeset(String),
    #[error("PDF-dokumentet uppfyller inte {standard}: {detail}")]
    Standard {
        standard: &'static str,
        detail: String,
    },
    #[error("Word-dokumentet kunde inte skrivas: {0}")]
    Docx(String),
    #[error("kalkylbladet kunde inte skrivas: {0}")]
    Sheet(String),
}
