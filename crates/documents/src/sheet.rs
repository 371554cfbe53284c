//! XLSX and CSV of every indicator. PLACEHOLDER on the skeleton branch: the `office` helper
//! replaces this file.
use crate::{DocumentError, Printable};

pub fn xlsx(_printable: &Printable<'_>) -> Result<Vec<u8>, DocumentError> {
    Err(DocumentError::Sheet("inte byggt ännu".into()))
}

pub fn csv(_printable: &Printable<'_>) -> Result<String, DocumentError> {
    Err(DocumentError::Sheet("inte byggt ännu".into()))
}
