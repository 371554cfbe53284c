//! The official documents as files: a plan or report as PDF or Word, a plan's indicators as
//! Excel. The pages link to `/enheter/{id}/planer/{year}/dokument.pdf` (…`.docx`,
//! `indikatorer.xlsx`) and `/enheter/{id}/rapporter/{year}/{kind}/dokument.pdf` (`.docx`),
//! which answer errors as Swedish pages; the API serves the same files at
//! `GET /api/v1/units/{id}/plans/{year}.pdf` and `…/reports/{year}/{kind}.pdf`, with JSON
//! errors.
//!
//! Who may download is who may read the page: the policy's `Action::read(status)` on the
//! unit's chain (an approved document is public; a draft needs a role on the unit). An
//! approved document's PDF is its archive copy (PDF/A, made at approval: `archive.rs`);
//! everything else is rendered now, on a blocking thread. A document that cannot be made is
//! a 500, never a panic.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, HtmlError};
use crate::params::{self, KindName, PagePath};
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use malkedja_documents::{Document, DocumentError, PdfKind, Printable};
use malkedja_domain::{Action, NodeId, PlanStatus, ReportKind};
use malkedja_store::{DocRef, FrozenPart};

/// A file format the documents come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Docx,
    Xlsx,
}

impl Format {
    pub fn ext(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
        }
    }

    pub fn from_ext(ext: &str) -> Option<Format> {
        match ext {
            "pdf" => Some(Format::Pdf),
            "docx" => Some(Format::Docx),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// A link to a file on a page.
#[derive(Debug, Clone)]
pub struct Link {
    pub href: String,
    pub label: &'static str,
    /// What the file is, for a screen reader ("Verksamhetsplan 2025 för …").
    pub title: String,
    pub kind: &'static str,
    pub mime: &'static str,
}

/// The download links of a plan's page.
pub fn plan_links(unit: NodeId, year: i32, unit_name: &str) -> Vec<Link> {
    let base = format!("/enheter/{unit}/planer/{year}");
    let title = format!("Verksamhetsplan {year} för {unit_name}");
    vec![
        Link {
            href: format!("{base}/dokument.pdf"),
            label: "Ladda ner PDF",
            title: title.clone(),
            kind: "PDF",
            mime: Format::Pdf.mime(),
        },
        Link {
            href: format!("{base}/dokument.docx"),
            label: "Ladda ner Word",
            title: title.clone(),
            kind: "Word, DOCX",
            mime: Format::Docx.mime(),
        },
        Link {
            href: format!("{base}/indikatorer.xlsx"),
            label: "Ladda ner indikatorerna som Excel",
            title,
            kind: "Excel, XLSX",
            mime: Format::Xlsx.mime(),
        },
    ]
}

/// The download links of a report's page.
pub fn report_links(unit: NodeId, year: i32, kind: ReportKind, unit_name: &str) -> Vec<Link> {
    let base = crate::pages::report_href(unit, year, kind);
    let title = format!("{} {year} för {unit_name}", kind.label());
    vec![
        Link {
            href: format!("{base}/dokument.pdf"),
            label: "Ladda ner PDF",
            title: title.clone(),
            kind: "PDF",
            mime: Format::Pdf.mime(),
        },
        Link {
            href: format!("{base}/dokument.docx"),
            label: "Ladda ner Word",
            title,
            kind: "Word, DOCX",
            mime: Format::Docx.mime(),
        },
    ]
}

/// A file to send: its bytes, format and name (without the extension).
#[derive(Debug)]
pub struct Download {
    pub bytes: Vec<u8>,
    pub format: Format,
    pub name: String,
}

impl IntoResponse for Download {
    fn into_response(self) -> Response {
        let disposition = content_disposition(&self.name, self.format.ext());
        let mut res = self.bytes.into_response();
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.format.mime()),
        );
        if let Ok(v) = HeaderValue::from_str(&disposition) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        // Drafts change and are not public: never kept by a shared cache.
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-cache"),
        );
        res
    }
}

/// `attachment; filename="Verksamhetsplan_2025_Forskolan_Ekorren.pdf";
/// filename*=UTF-8''Verksamhetsplan%202025%20F%C3%B6rskolan%20Ekorren.pdf` (RFC 6266): a
/// safe ASCII name for old clients, the real one for the rest.
pub fn content_disposition(name: &str, ext: &str) -> String {
    let full = format!("{name}.{ext}");
    format!(
        "attachment; filename=\"{}.{ext}\"; filename*=UTF-8''{}",
        ascii_name(name),
        rfc5987(&full)
    )
}

/// The name in ASCII letters, digits, `-` and `_`: Swedish letters without their marks,
/// anything else `_`, at most 120 characters.
fn ascii_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let mapped = match c {
            'å' | 'ä' | 'à' | 'á' | 'â' => 'a',
            'Å' | 'Ä' | 'À' | 'Á' | 'Â' => 'A',
            'ö' | 'ø' | 'ó' | 'ò' | 'ô' => 'o',
            'Ö' | 'Ø' | 'Ó' | 'Ò' | 'Ô' => 'O',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'É' | 'È' | 'Ê' | 'Ë' => 'E',
            'ü' | 'ú' => 'u',
            'Ü' | 'Ú' => 'U',
            c if c.is_ascii_alphanumeric() || c == '-' => c,
            _ => '_',
        };
        if mapped == '_' && out.ends_with('_') {
            continue;
        }
        out.push(mapped);
    }
    let trimmed: String = out.trim_matches('_').chars().take(120).collect();
    if trimmed.is_empty() {
        "dokument".into()
    } else {
        trimmed
    }
}

/// Percent-encodes everything but RFC 5987's attr-chars.
fn rfc5987(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Runs a renderer of the documents crate on a blocking thread.
pub(crate) async fn render<F>(what: &str, f: F) -> Result<Vec<u8>, AppError>
where
    F: FnOnce() -> Result<Vec<u8>, DocumentError> + Send + 'static,
{
    match tokio::task::spawn_blocking(f).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(e)) => Err(AppError::Internal(format!("{what}: {e}"))),
        Err(e) => Err(AppError::Internal(format!(
            "{what}: the rendering thread: {e}"
        ))),
    }
}

/// A unit's plan as a file, after the policy has let the caller read it.
pub async fn plan_file(
    state: &AppState,
    caller: &Caller,
    unit: NodeId,
    year: i32,
    format: Format,
) -> Result<Download, AppError> {
    let chain = crate::pages::load_unit(state, unit).await?;
    let unit_name = chain[0].name.clone();
    let plan = state
        .store
        .plan(unit, year)
        .await?
        .ok_or_else(|| AppError::no_plan(&unit_name, year))?;
    caller.authorize(Action::read(plan.status), &chain)?;
    let name = match format {
        Format::Xlsx => format!("Indikatorer {year} {unit_name}"),
        _ => format!("Verksamhetsplan {year} {unit_name}"),
    };
    let doc_ref = DocRef::Plan(plan.id);
    if format == Format::Pdf && plan.status == PlanStatus::Approved {
        let bytes = crate::archive::frozen(state, doc_ref, FrozenPart::Pdf).await?;
        return Ok(Download {
            bytes,
            format,
            name,
        });
    }
    let doc = state
        .store
        .plan_document(unit, year)
        .await?
        .ok_or_else(|| AppError::no_plan(&unit_name, year))?;
    let memo = state.store.memo(doc_ref).await?.memo;
    let printed_on = time::OffsetDateTime::now_utc().date();
    let bytes = render("the plan's file", move || {
        let p = Printable {
            document: Document::Plan(&doc),
            memo: &memo,
            printed_on,
        };
        match format {
            Format::Pdf => malkedja_documents::pdf(&p, PdfKind::Download),
            Format::Docx => malkedja_documents::docx(&p),
            Format::Xlsx => malkedja_documents::xlsx(&p),
        }
    })
    .await?;
    Ok(Download {
        bytes,
        format,
        name,
    })
}

/// A unit's report as a file (PDF or Word), after the policy has let the caller read it.
pub async fn report_file(
    state: &AppState,
    caller: &Caller,
    unit: NodeId,
    year: i32,
    kind: ReportKind,
    format: Format,
) -> Result<Download, AppError> {
    let chain = crate::pages::load_unit(state, unit).await?;
    let unit_name = chain[0].name.clone();
    let report = state
        .store
        .report_of(unit, year, kind)
        .await?
        .ok_or_else(|| AppError::no_report(&unit_name, kind, year))?;
    caller.authorize(Action::read(report.status), &chain)?;
    let name = format!("{} {year} {unit_name}", kind.label());
    let doc_ref = DocRef::Report(report.id);
    if format == Format::Pdf && report.status == PlanStatus::Approved {
        let bytes = crate::archive::frozen(state, doc_ref, FrozenPart::Pdf).await?;
        return Ok(Download {
            bytes,
            format,
            name,
        });
    }
    let doc = state
        .store
        .report_document(unit, year, kind)
        .await?
        .ok_or_else(|| AppError::no_report(&unit_name, kind, year))?;
    let memo = state.store.memo(doc_ref).await?.memo;
    let printed_on = time::OffsetDateTime::now_utc().date();
    let bytes = render("the report's file", move || {
        let p = Printable {
            document: Document::Report(&doc),
            memo: &memo,
            printed_on,
        };
        match format {
            Format::Pdf => malkedja_documents::pdf(&p, PdfKind::Download),
            Format::Docx => malkedja_documents::docx(&p),
            Format::Xlsx => malkedja_documents::xlsx(&p),
        }
    })
    .await?;
    Ok(Download {
        bytes,
        format,
        name,
    })
}

fn unit_id(raw: &str) -> Result<NodeId, AppError> {
    params::node_id("id", raw, "Enhetens nummer")
}

async fn plan_page_file(
    state: AppState,
    caller: Caller,
    raw_id: String,
    raw_year: String,
    format: Format,
) -> Result<Response, HtmlError> {
    let unit = unit_id(&raw_id)?;
    let year = params::year(&raw_year)?;
    Ok(plan_file(&state, &caller, unit, year, format)
        .await?
        .into_response())
}

/// `GET /enheter/{id}/planer/{year}/dokument.pdf`
pub async fn plan_pdf(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year)): PagePath<(String, String)>,
) -> Result<Response, HtmlError> {
    plan_page_file(state, caller, raw_id, raw_year, Format::Pdf).await
}

/// `GET /enheter/{id}/planer/{year}/dokument.docx`
pub async fn plan_docx(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year)): PagePath<(String, String)>,
) -> Result<Response, HtmlError> {
    plan_page_file(state, caller, raw_id, raw_year, Format::Docx).await
}

/// `GET /enheter/{id}/planer/{year}/indikatorer.xlsx`
pub async fn plan_xlsx(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year)): PagePath<(String, String)>,
) -> Result<Response, HtmlError> {
    plan_page_file(state, caller, raw_id, raw_year, Format::Xlsx).await
}

async fn report_page_file(
    state: AppState,
    caller: Caller,
    (raw_id, raw_year, raw_kind): (String, String, String),
    format: Format,
) -> Result<Response, HtmlError> {
    let unit = unit_id(&raw_id)?;
    let year = params::year(&raw_year)?;
    let (kind, _) = params::report_kind(&raw_kind, KindName::Slug)?;
    Ok(report_file(&state, &caller, unit, year, kind, format)
        .await?
        .into_response())
}

/// `GET /enheter/{id}/rapporter/{year}/{kind}/dokument.pdf`
pub async fn report_pdf(
    State(state): State<AppState>,
    caller: Caller,
    PagePath(path): PagePath<(String, String, String)>,
) -> Result<Response, HtmlError> {
    report_page_file(state, caller, path, Format::Pdf).await
}

/// `GET /enheter/{id}/rapporter/{year}/{kind}/dokument.docx`
pub async fn report_docx(
    State(state): State<AppState>,
    caller: Caller,
    PagePath(path): PagePath<(String, String, String)>,
) -> Result<Response, HtmlError> {
    report_page_file(state, caller, path, Format::Docx).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_ascii_and_exact_utf8() {
        let h = content_disposition("Verksamhetsplan 2025 Förskolan \"Ekorren\" <b>", "pdf");
        assert_eq!(
            h,
            "attachment; filename=\"Verksamhetsplan_2025_Forskolan_Ekorren_b.pdf\"; \
             filename*=UTF-8''Verksamhetsplan%202025%20F%C3%B6rskolan%20%22Ekorren%22%20%3Cb%3E.pdf"
        );
        assert!(HeaderValue::from_str(&h).is_ok());
        assert_eq!(ascii_name("ÅÄÖ åäö"), "AAO_aao");
        assert_eq!(ascii_name("\"\"\""), "dokument");
        assert_eq!(ascii_name(&"x".repeat(500)).len(), 120);
        // Emoji are left out of the ASCII name, never out of the other.
        let h = content_disposition("Sámi 🌲", "docx");
        assert!(h.contains("filename=\"Sami.docx\""), "{h}");
        assert!(h.contains("S%C3%A1mi%20%F0%9F%8C%B2.docx"), "{h}");
    }
}
