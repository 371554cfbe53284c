//! `malkedja export`: a unit's plan or report as a file (PDF, Word, Excel, CSV or the API's
//! JSON), read from the database like the server reads it.

use crate::DbArgs;
use anyhow::Context;
use clap::{Args, ValueEnum};
use malkedja_documents::{Document, PdfKind, Printable};
use malkedja_domain::{Memo, NodeId, OrgKind, ReportKind, Year};
use malkedja_store::Store;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub(crate) struct ExportArgs {
    /// The unit's id (see `malkedja org list`).
    #[arg(long, value_name = "ID")]
    unit: i64,
    /// The year of the plan (a report's year is its plan's).
    #[arg(long, value_name = "YYYY", value_parser = clap::value_parser!(i32).range(1900..=2999))]
    year: i32,
    /// Which document: the plan, tertial report 1 or 2, or the annual report.
    #[arg(long, value_enum, default_value_t = Kind::Plan)]
    kind: Kind,
    /// pdf and docx: the whole document as printed; xlsx and csv: every indicator with
    /// targets (and outcomes in a report), one row each; json: what the API answers.
    #[arg(long, value_enum)]
    format: Format,
    /// The file to write ("-" writes to standard output).
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
    /// json only: read as the person of this API token (`malkedja token create`), who may
    /// read drafts of their units. Without one, only approved documents (public records)
    /// are read, as the API answers anyone.
    #[arg(
        long,
        env = "MALKEDJA_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    token: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
enum Kind {
    Plan,
    Tertial1,
    Tertial2,
    AnnualReport,
}

impl Kind {
    fn report(self) -> Option<ReportKind> {
        match self {
            Kind::Plan => None,
            Kind::Tertial1 => Some(ReportKind::Tertial1),
            Kind::Tertial2 => Some(ReportKind::Tertial2),
            Kind::AnnualReport => Some(ReportKind::AnnualReport),
        }
    }

    /// "verksamhetsplanen", "tertialrapport 1" …, for messages.
    fn noun(self) -> &'static str {
        match self {
            Kind::Plan => "verksamhetsplan",
            Kind::Tertial1 => "tertialrapport 1",
            Kind::Tertial2 => "tertialrapport 2",
            Kind::AnnualReport => "verksamhetsberättelse",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Pdf,
    Docx,
    Xlsx,
    Csv,
    Json,
}

impl Format {
    fn label(self) -> &'static str {
        match self {
            Format::Pdf => "PDF",
            Format::Docx => "Word",
            Format::Xlsx => "Excel",
            Format::Csv => "CSV",
            Format::Json => "JSON",
        }
    }
}

pub(crate) async fn run(db: &DbArgs, args: ExportArgs) -> anyhow::Result<()> {
    let store = crate::open(&db.url()?).await?;
    let result = export(&store, &args).await;
    store.close().await;
    let bytes = result?;
    write(&args.output, &bytes)?;
    if args.output.as_os_str() != "-" {
        eprintln!(
            "Skrev {} ({}, {} byte) till {}.",
            args.kind.noun(),
            args.format.label(),
            bytes.len(),
            args.output.display()
        );
    }
    Ok(())
}

/// The document's bytes in the format asked for.
async fn export(store: &Store, args: &ExportArgs) -> anyhow::Result<Vec<u8>> {
    let unit = store
        .node(NodeId(args.unit))
        .await?
        .filter(|n| n.kind == OrgKind::Unit)
        .with_context(|| {
            format!(
                "det finns ingen enhet med id {} (malkedja org list visar enheterna och deras id)",
                args.unit
            )
        })?;
    let year: Year = args.year;
    let missing = || anyhow::anyhow!("{} har ingen {} för {year}", unit.name, args.kind.noun());
    let printed_on = time::OffsetDateTime::now_utc().date();
    let plan;
    let report;
    let document = match args.kind.report() {
        None => {
            plan = store
                .plan_document(unit.id, year)
                .await?
                .ok_or_else(missing)?;
            Document::Plan(&plan)
        }
        Some(kind) => {
            report = store
                .report_document(unit.id, year, kind)
                .await?
                .ok_or_else(missing)?;
            Document::Report(&report)
        }
    };
    // The memo header its writer gave the document (empty fields print as "—").
    let doc_ref = match document {
        Document::Plan(d) => malkedja_store::DocRef::Plan(d.plan.id),
        Document::Report(d) => malkedja_store::DocRef::Report(d.report.id),
    };
    let memo: Memo = store.memo(doc_ref).await?.memo;
    let p = Printable {
        document,
        memo: &memo,
        printed_on,
    };
    Ok(match args.format {
        Format::Pdf => malkedja_documents::pdf(&p, PdfKind::Download)?,
        Format::Docx => malkedja_documents::docx(&p)?,
        Format::Xlsx => malkedja_documents::xlsx(&p)?,
        Format::Csv => malkedja_documents::csv(&p)?.into_bytes(),
        // What the API answers (for an approved document, its archive copy).
        Format::Json => json(store, args, unit.id, year).await?,
    })
}

/// The API's answer for the document, asked of the API in this process: the same JSON as
/// `GET /api/v1/units/{id}/plans/{year}` (or `…/reports/{year}/{kind}`), authorized as the
/// API authorizes (anyone for an approved document, the token's person for others).
async fn json(
    store: &Store,
    args: &ExportArgs,
    unit: NodeId,
    year: Year,
) -> anyhow::Result<Vec<u8>> {
    use tower::ServiceExt;
    let path = match args.kind.report() {
        None => format!("/api/v1/units/{unit}/plans/{year}"),
        Some(kind) => format!("/api/v1/units/{unit}/reports/{year}/{}", kind.code()),
    };
    let mut request = axum::http::Request::get(&path).header("accept", "application/json");
    if let Some(token) = &args.token {
        request = request.header("authorization", format!("Bearer {}", token.trim()));
    }
    let request = request
        .body(axum::body::Body::empty())
        .context("kunde inte fråga API:t")?;
    let answer = malkedja_web::router(store.clone())
        .oneshot(request)
        .await
        .context("API:t svarade inte")?;
    let status = answer.status();
    let body = axum::body::to_bytes(answer.into_body(), usize::MAX)
        .await
        .context("kunde inte läsa API:ts svar")?;
    if status.is_success() {
        return Ok(body.to_vec());
    }
    let message = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.pointer("/error/message")?.as_str().map(str::to_string))
        .unwrap_or_else(|| status.to_string());
    match status.as_u16() {
        401 | 403 => anyhow::bail!(
            "{message} (JSON av ett dokument som inte är fastställt läses med en API-nyckel: --token eller MALKEDJA_TOKEN)"
        ),
        _ => anyhow::bail!("{message}"),
    }
}

/// Writes the file whole or not at all: into a temporary file beside it, then renamed.
fn write(output: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    if output.as_os_str() == "-" {
        let mut out = std::io::stdout().lock();
        out.write_all(bytes)
            .context("kunde inte skriva till standard ut")?;
        return out.flush().context("kunde inte skriva till standard ut");
    }
    let name = output
        .file_name()
        .with_context(|| format!("{} är inget filnamn", output.display()))?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".{}.tmp", std::process::id()));
    let temp = output.with_file_name(temp_name);
    std::fs::write(&temp, bytes)
        .with_context(|| format!("kunde inte skriva {}", temp.display()))?;
    std::fs::rename(&temp, output).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        anyhow::anyhow!("kunde inte skriva {}: {e}", output.display())
    })
}
