//! Word (DOCX). PLACEHOLDER on the skeleton branch: the `office` helper replaces this file.
use crate::{DocumentError, Printable};

pub fn docx(_printable: &Printable<'_>) -> Result<Vec<u8>, DocumentError> {
    Err(DocumentError::Docx("inte byggt ännu".into()))
}
