//! PDF through typst, embedded in the binary: the template is `pdf/document.typ`, the
//! document reaches it as typst values (never as spliced markup), the fonts are in
//! `fonts/`. Nothing is read from the system, downloaded or spawned.

mod data;
mod fonts;

use crate::{DocumentError, Printable};
use std::sync::OnceLock;
use typst::foundations::{Datetime, IntoValue, Smart, Value};
use typst_as_lib::{TypstAsLibError, TypstEngine, TypstTemplateMainFile};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

pub use data::MISSING;

/// Which PDF: an ordinary download, or the archive copy. Both conform to PDF/A-2a and
/// PDF/UA-1, checked as they are written (accessible always); the kind names the purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfKind {
    Download,
    Archive,
}

/// A PDF and what the typesetting had to say about it.
#[derive(Debug, Clone)]
pub struct PdfOutput {
    pub bytes: Vec<u8>,
    /// Characters that no embedded font has: each was printed as "�(U+XXXX)".
    pub missing_glyphs: Vec<char>,
    /// Typst's warnings, if any.
    pub warnings: Vec<String>,
}

const TEMPLATE: &str = include_str!("pdf/document.typ");

fn engine() -> &'static TypstEngine<TypstTemplateMainFile> {
    static ENGINE: OnceLock<TypstEngine<TypstTemplateMainFile>> = OnceLock::new();
    ENGINE.get_or_init(|| {
        TypstEngine::builder()
            .main_file(TEMPLATE)
            .fonts(fonts::all().iter().cloned())
            // Keep typst's caches between documents of the same process: warm renders
            // reuse the template's layout work. Entries unused for 10 renders are dropped.
            .comemo_evict_max_age(Some(10))
            .build()
    })
}

/// Renders a plan or report as PDF.
///
/// Both kinds are tagged, carry the title, language (sv) and date, and have bookmarks
/// from the headings, and both are checked against PDF/A-2a and PDF/UA-1 as they are
/// written: a document that does not conform is an error, never a warning. The same
/// document and date give the same bytes.
pub fn pdf(printable: &Printable<'_>, kind: PdfKind) -> Result<Vec<u8>, DocumentError> {
    pdf_output(printable, kind).map(|o| o.bytes)
}

/// [`pdf`], with the characters that had to be replaced and typst's warnings.
///
/// A character that no embedded font can show is printed as "�(U+XXXX)" and listed in
/// [`PdfOutput::missing_glyphs`]. Which characters those are is decided from the fonts'
/// tables first; should typst still find one it cannot show (a script's cluster that no
/// single font has), the document is made again with that character replaced too.
pub fn pdf_output(printable: &Printable<'_>, kind: PdfKind) -> Result<PdfOutput, DocumentError> {
    // Both kinds are made alike (see [`PdfKind`]).
    let _ = kind;
    let mut refused = std::collections::BTreeSet::new();
    let mut attempt = 0;
    loop {
        match render(printable, &refused) {
            Err(e) if attempt < 4 => {
                let more = undisplayable(&e);
                if more.is_empty() || more.iter().all(|c| refused.contains(c)) {
                    return Err(e);
                }
                refused.extend(more);
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// The characters of the texts an error says could not be displayed.
fn undisplayable(e: &DocumentError) -> Vec<char> {
    let detail = match e {
        DocumentError::Typeset(d) | DocumentError::Standard { detail: d, .. } => d,
        _ => return Vec::new(),
    };
    let mut out = Vec::new();
    for part in detail.split("the text ").skip(1) {
        let Some(quoted) = part.split(" could not be displayed").next() else {
            continue;
        };
        // The text as typst quotes it: escapes like \u{658} or the characters themselves.
        let mut chars = quoted.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\\' && chars.peek() == Some(&'u') {
                chars.next();
                if chars.peek() == Some(&'{') {
                    chars.next();
                    let hex: String = chars.by_ref().take_while(|c| *c != '}').collect();
                    if let Some(ch) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                        out.push(ch);
                    }
                }
            } else if !c.is_ascii() {
                out.push(c);
            }
        }
    }
    out
}

fn render(
    printable: &Printable<'_>,
    refused: &std::collections::BTreeSet<char>,
) -> Result<PdfOutput, DocumentError> {
    let mut builder = data::Builder::new(refused.clone());
    let (mut inputs, info) = builder.document(printable);
    inputs.insert(
        "fonts".into(),
        Value::Array(fonts::FAMILIES.iter().map(|f| f.into_value()).collect()),
    );
    let missing_glyphs = builder.missing();
    // The same document gives the same file identifier: a frozen copy can be made again
    // and compared byte for byte.
    let ident = format!("malkedja-{:032x}", typst::utils::hash128(&inputs));

    let warned = engine().compile_with_input::<_, PagedDocument>(inputs);
    let warnings: Vec<String> = warned
        .warnings
        .iter()
        .map(|w| w.message.to_string())
        .collect();
    let document = warned.output.map_err(typeset_error)?;

    let date = Datetime::from_ymd(
        info.date.year(),
        u8::from(info.date.month()),
        info.date.day(),
    )
    .ok_or_else(|| DocumentError::Typeset(format!("ogiltigt datum {}", data::iso(info.date))))?;
    // Every PDF is accessible: the download conforms to the same standards as the archive
    // copy, so a character typst could not show is caught (and replaced) in both.
    let standards = PdfStandards::new(&[PdfStandard::A_2a, PdfStandard::Ua_1])
        .map_err(|e| DocumentError::Typeset(e.message().to_string()))?;
    let options = PdfOptions {
        ident: Smart::Custom(ident),
        timestamp: Some(Timestamp::new_utc(date)),
        standards,
        tagged: true,
        ..PdfOptions::default()
    };
    let bytes = typst_pdf::pdf(&document, &options).map_err(|diags| {
        let detail = diags
            .iter()
            .map(|d| d.message.to_string())
            .collect::<Vec<_>>()
            .join("; ");
        DocumentError::Standard {
            standard: "PDF/A-2a och PDF/UA-1",
            detail,
        }
    })?;
    Ok(PdfOutput {
        bytes,
        missing_glyphs,
        warnings,
    })
}

fn typeset_error(e: TypstAsLibError) -> DocumentError {
    let detail = match e {
        TypstAsLibError::TypstSource(diags) => diags
            .iter()
            .map(|d| format!("{} ({})", d.message, template_line(d.span)))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    };
    DocumentError::Typeset(detail)
}

/// Where in the template a diagnostic points, for the error message.
fn template_line(span: typst::syntax::DiagSpan) -> String {
    use typst::syntax::{DiagSpanKind, Source};
    let range = match span.get() {
        DiagSpanKind::Number { id, num, sub_range } => {
            Source::new(id, TEMPLATE.to_string()).range(num, sub_range)
        }
        DiagSpanKind::Range { range, .. } => Some(range),
        DiagSpanKind::Detached => None,
    };
    match range.and_then(|r| TEMPLATE.get(..r.start)) {
        Some(before) => format!("mallen rad {}", before.matches('\n').count() + 1),
        None => "mallen".into(),
    }
}
