//! `malkedja import`: reads text exports, shows or stores them.

use crate::DbArgs;
use crate::progress::Progress;
use anyhow::Context;
use malkedja_domain::NodeId;
use malkedja_import::{ImportDocument, ParseOptions};
use malkedja_store::Writer;
use malkedja_store::import::{ImportOptions, ImportSummary, UnitChoice, import_document};
use std::path::PathBuf;

fn kind_label(d: &ImportDocument) -> &'static str {
    match d.kind {
        malkedja_import::DocumentKind::Plan => "verksamhetsplan",
        malkedja_import::DocumentKind::Tertial1 => "tertialrapport 1",
        malkedja_import::DocumentKind::Tertial2 => "tertialrapport 2",
        malkedja_import::DocumentKind::AnnualReport => "verksamhetsberättelse",
    }
}

fn summary_line(file: &str, s: &ImportSummary) -> String {
    if !s.changed_anything() {
        return format!(
            "{file}: redan importerad, inget ändrades ({} {} för {}).",
            s.kind, s.year, s.unit
        );
    }
    format!(
        "{file}: {} för {} (id {}): {} nya mål och {} befintliga, {} texter, {} indikatorer, {} aktiviteter, {} avsnitt, {} uppföljningsuppgifter.",
        s.year,
        s.unit,
        s.unit_id,
        s.goals_created,
        s.goals_reused,
        s.texts_written,
        s.indicators_created,
        s.activities_created,
        s.sections_written,
        s.follow_ups_written
    )
}

pub async fn run(
    db: &DbArgs,
    files: &[PathBuf],
    unit: Option<String>,
    year: Option<i32>,
    under: Option<i64>,
    dry_run: bool,
    json: bool,
) -> anyhow::Result<()> {
    // Read and parse everything first: a file that cannot be read stops the import before
    // anything is stored.
    let opts = ParseOptions {
        unit: unit.clone().filter(|u| u.parse::<i64>().is_err()),
        year,
    };
    let mut progress = Progress::new(files.len());
    let mut docs = Vec::with_capacity(files.len());
    for file in files {
        let name = file.display().to_string();
        let bytes = std::fs::read(file).with_context(|| format!("{name}: kunde inte läsas"))?;
        let doc = malkedja_import::parse_bytes_with(&bytes, &opts)
            .with_context(|| format!("{name}: kunde inte importeras"))?;
        progress.step(&format!(
            "{name}: {} {} för {}",
            kind_label(&doc),
            doc.year,
            doc.unit
        ));
        docs.push((name, doc));
    }
    progress.finish();

    if dry_run {
        if json {
            let out = if docs.len() == 1 {
                serde_json::to_string_pretty(&docs[0].1)?
            } else {
                serde_json::to_string_pretty(&docs.iter().map(|(_, d)| d).collect::<Vec<_>>())?
            };
            println!("{out}");
        } else {
            for (name, d) in &docs {
                println!(
                    "{name}: {} {} för {}: {} mål, {} indikatorer, {} aktiviteter, {} avsnitt{}",
                    kind_label(d),
                    d.year,
                    d.unit,
                    d.goals.len(),
                    d.indicators.len(),
                    d.activities.len(),
                    d.sections.len(),
                    if d.complaints.is_empty() {
                        String::new()
                    } else {
                        format!(", {} rader synpunkter och klagomål", d.complaints.len())
                    }
                );
                for w in &d.warnings {
                    println!("  rad {}: {}", w.line, w.message);
                }
            }
            println!("Provkörning: ingenting sparades.");
        }
        return Ok(());
    }

    let url = db.url()?;
    let store = crate::open(&url).await?;
    let choice = match unit {
        Some(u) => match u.parse::<i64>() {
            Ok(id) => UnitChoice::Id(NodeId(id)),
            Err(_) => UnitChoice::Name(u),
        },
        None => UnitChoice::FromDocument,
    };
    let import_opts = ImportOptions {
        unit: choice,
        under: under.map(NodeId),
    };
    let mut w: Writer = store.begin_write("import").await?;
    let mut progress = Progress::new(docs.len());
    let mut summaries = Vec::new();
    for (name, d) in &docs {
        let s = import_document(&mut w, d, &import_opts)
            .await
            .with_context(|| {
                format!("{name}: kunde inte sparas; ingenting av importen sparades")
            })?;
        progress.step(name);
        progress.say(&summary_line(name, &s));
        for note in &s.notes {
            progress.say(&format!("  {note}"));
        }
        for created in &s.created_nodes {
            progress.say(&format!("  skapade {created}"));
        }
        summaries.push(s);
    }
    progress.finish();
    w.commit().await.context("importen kunde inte sparas")?;
    store.close().await;
    if json {
        println!("{}", serde_json::to_string_pretty(&summaries)?);
    }
    Ok(())
}
