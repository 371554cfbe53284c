//! PDF through typst, embedded. PLACEHOLDER on the skeleton branch: the `pdf` helper
//! replaces this file; the signatures are the crate's API.
use crate::{DocumentError, Printable};

/// Which PDF: an ordinary download, or the archive copy (PDF/A-2a and PDF/UA-1, checked
/// when written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfKind {
    Download,
    Archive,
}

pub fn pdf(_printable: &Printable<'_>, _kind: PdfKind) -> Result<Vec<u8>, DocumentError> {
    Err(DocumentError::Typeset("inte byggt ännu".into()))
}
