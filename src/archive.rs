//! `malkedja archive`: the frozen copies of approved documents (made at approval; see
//! ARCHIVE in ARCHITECTURE.md). `verify` recomputes every checksum; `export` writes every
//! copy as files with a manifest for the city's e-archive.

use crate::DbArgs;
use anyhow::Context;
use clap::Subcommand;
use malkedja_store::{DocRef, FrozenInfo, FrozenPart};
use serde_json::json;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub(crate) enum ArchiveCommand {
    /// Recompute the SHA-256 of every part (PDF/A, JSON, HTML) of every frozen document
    /// and compare it with the one stored at approval. Lists every mismatch and exits
    /// with status 1 when there is one.
    Verify,
    /// Write every frozen document into DIR (created if missing) as files — the PDF/A, the
    /// JSON and the HTML body — with manifest.json naming, for each, the unit, year, kind,
    /// when and by whom it was approved, its files and their SHA-256.
    Export {
        /// The folder to write into. Files already there with the same names are replaced.
        dir: PathBuf,
    },
}

pub(crate) async fn run(db: &DbArgs, command: ArchiveCommand) -> anyhow::Result<()> {
    let store = crate::open(&db.url()?).await?;
    let out = match command {
        ArchiveCommand::Verify => verify(&store).await,
        ArchiveCommand::Export { dir } => export(&store, &dir).await,
    };
    store.close().await;
    out
}

fn describe(i: &FrozenInfo) -> String {
    format!(
        "#{} {} {} {} (godkänd {} av {})",
        i.id,
        i.kind,
        i.year,
        i.unit_name,
        i.approved_at.date(),
        i.approved_by
    )
}

async fn verify(store: &malkedja_store::Store) -> anyhow::Result<()> {
    let all = store.frozen_documents().await?;
    let mismatches = store.verify_archive().await?;
    if mismatches.is_empty() {
        println!(
            "Alla {} arkivexemplar stämmer med sina kontrollsummor.",
            all.len()
        );
        return Ok(());
    }
    println!(
        "{} av {} arkivexemplar stämmer inte med sina kontrollsummor:",
        mismatches.len(),
        all.len()
    );
    for m in &mismatches {
        let parts: Vec<&str> = m.parts.iter().map(|p| p.code()).collect();
        println!("  {}: {}", describe(&m.info), parts.join(", "));
    }
    anyhow::bail!(
        "{} arkivexemplar har ändrats efter att de gjordes",
        mismatches.len()
    )
}

/// The file name of one part: `plan-2025-enhet-7-id-3.pdf`.
fn file_name(i: &FrozenInfo, part: FrozenPart) -> String {
    let kind = match i.doc {
        DocRef::Plan(_) => "verksamhetsplan".to_string(),
        DocRef::Report(_) => i.kind.replace('_', "-"),
    };
    format!(
        "{kind}-{}-enhet-{}-arkivexemplar-{}.{}",
        i.year,
        i.unit_id,
        i.id,
        part.code()
    )
}

async fn export(store: &malkedja_store::Store, dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("kunde inte skapa {}", dir.display()))?;
    let all = store.frozen_documents().await?;
    let mut entries = Vec::new();
    for i in &all {
        let Some(f) = store.frozen_document(i.id).await? else {
            continue;
        };
        let mut files = Vec::new();
        for part in FrozenPart::ALL {
            let name = file_name(&f.info, part);
            let bytes = f.bytes(part);
            let actual = malkedja_store::sha256_hex(bytes);
            if actual != f.info.sha256(part) {
                anyhow::bail!(
                    "{}: {} stämmer inte med sin kontrollsumma; kör malkedja archive verify",
                    describe(&f.info),
                    part.code()
                );
            }
            std::fs::write(dir.join(&name), bytes)
                .with_context(|| format!("kunde inte skriva {}", dir.join(&name).display()))?;
            files.push(json!({
                "part": part.code(),
                "file": name,
                "sha256": actual,
                "bytes": bytes.len(),
            }));
        }
        entries.push(json!({
            "id": f.info.id,
            "document": match f.info.doc { DocRef::Plan(_) => "plan", DocRef::Report(_) => "report" },
            "document_id": f.info.doc.doc_id(),
            "unit": { "id": f.info.unit_id.0, "name": f.info.unit_name },
            "year": f.info.year,
            "kind": f.info.kind,
            "approved_at": timestamp(f.info.approved_at),
            "approver": f.info.approved_by,
            "frozen_at": timestamp(f.info.created_at),
            "files": files,
        }));
    }
    let manifest = json!({
        "generator": format!("Målkedja {}", env!("CARGO_PKG_VERSION")),
        "exported_at": timestamp(time::OffsetDateTime::now_utc()),
        "documents": entries,
    });
    let path = dir.join("manifest.json");
    std::fs::write(&path, serde_json::to_string_pretty(&manifest)? + "\n")
        .with_context(|| format!("kunde inte skriva {}", path.display()))?;
    println!(
        "{} arkivexemplar skrivna till {} (manifest.json).",
        all.len(),
        dir.display()
    );
    Ok(())
}

fn timestamp(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.to_string())
}
