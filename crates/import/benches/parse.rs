//! Parse time per seed document. Skips (runs nothing) when the corpus is absent.
//! Run: `cargo bench -p malkedja-import --bench parse`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    if let Ok(d) = std::env::var("MALKEDJA_CORPUS_DIR") {
        return Some(PathBuf::from(d));
    }
    let m = Path::new(env!("CARGO_MANIFEST_DIR"));
    let p = m.parent()?.parent()?.join("..").join("shared");
    p.join("seeds").is_dir().then_some(p)
}

fn seed(prefix: &str) -> Option<String> {
    let dir = corpus()?.join("seeds");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    paths.sort();
    let p = paths.into_iter().find(|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
            && p.extension().is_some_and(|x| x == "txt")
    })?;
    std::fs::read_to_string(p).ok()
}

fn main() {
    if corpus().is_none() {
        eprintln!("NOTICE: corpus not found (set MALKEDJA_CORPUS_DIR); benchmark skipped");
        return;
    }
    divan::main();
}

#[divan::bench(args = ["000", "001", "002", "003"])]
fn parse_seed(bencher: divan::Bencher, n: &str) {
    let text = seed(n).unwrap_or_default();
    bencher.bench(|| malkedja_import::parse(divan::black_box(&text)).ok());
}
