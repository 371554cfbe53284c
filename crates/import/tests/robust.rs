//! Robustness: mutated seed texts and random strings never make the parser
//! panic or hang. Bounded so it runs in seconds in debug builds.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use malkedja_import::{ParseOptions, parse, parse_bytes, parse_with};
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn corpus_texts() -> Vec<String> {
    let dir: Option<PathBuf> = std::env::var("MALKEDJA_CORPUS_DIR")
        .ok()
        .map(PathBuf::from)
        .or_else(|| {
            let m = Path::new(env!("CARGO_MANIFEST_DIR"));
            Some(m.parent()?.parent()?.join("..").join("shared"))
        });
    let Some(dir) = dir else { return Vec::new() };
    let Ok(rd) = std::fs::read_dir(dir.join("seeds")) else {
        return Vec::new();
    };
    let mut paths: Vec<_> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    paths
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

/// Small invented document used when the corpus is absent.
const FALLBACK: &str = "Verksamhetsplan 2031 för Påhittade enheten\n Inledning \nEnhetens uppdrag \nText.\n\nKF:s inriktningsmål: 1. Mål \n\nKF:s mål för verksamhetsområdet: 1.1 Område\n\n  Indikator Årsmål KF:s årsmål år 2031 Periodicitet \n\nNamn  83 År\n\nNämndmål: Nämnd\n\n  Aktivitet Startdatum Slutdatum \n\n Titel 2031-01-01 2031-12-31 \n\nEnhetsmål: Enhet\n\n● Uppfylls helt\n\nAktivitet\tStartdatum\tSlutdatum\tAvvikelse\n✓ A\t2031-01-01\t2031-12-31\tAvvikelse\nAnalys x\t\t\nUppdelning\tKlagomål/synpunkter/kategorier\tUtfall T1 2031\n\tB\t1\n";

#[derive(Debug, Clone)]
enum Op {
    Delete(usize),
    Duplicate(usize),
    Swap(usize, usize),
    Insert(usize, String),
    Truncate(usize),
    InsertChars(usize, String),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        any::<usize>().prop_map(Op::Delete),
        any::<usize>().prop_map(Op::Duplicate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::Swap(a, b)),
        (any::<usize>(), "[ \t\u{a0}a-zåäöÅÄÖ0-9%:.,\\-–•●✓—]{0,40}")
            .prop_map(|(a, s)| Op::Insert(a, s)),
        any::<usize>().prop_map(Op::Truncate),
        (any::<usize>(), any::<String>()).prop_map(|(a, s)| Op::InsertChars(a, s)),
    ]
}

fn apply(text: &str, ops: &[Op]) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    for op in ops {
        let n = lines.len().max(1);
        match op {
            Op::Delete(i) => {
                if !lines.is_empty() {
                    lines.remove(i % n);
                }
            }
            Op::Duplicate(i) => {
                if let Some(l) = lines.get(i % n).cloned() {
                    lines.insert(i % n, l);
                }
            }
            Op::Swap(a, b) => {
                if !lines.is_empty() {
                    lines.swap(a % n, b % n);
                }
            }
            Op::Insert(i, s) => lines.insert(i % (lines.len() + 1), s.clone()),
            Op::Truncate(i) => lines.truncate(i % (lines.len() + 1)),
            Op::InsertChars(i, s) => {
                if let Some(l) = lines.get_mut(i % n) {
                    let at = l
                        .char_indices()
                        .map(|(k, _)| k)
                        .nth(i % (l.chars().count() + 1))
                        .unwrap_or(l.len());
                    l.insert_str(at, s);
                }
            }
        }
    }
    lines.join("\n")
}

fn check(text: &str) {
    let start = Instant::now();
    let _ = parse(text);
    let _ = parse_with(
        text,
        &ParseOptions {
            unit: Some("X".into()),
            year: Some(2030),
        },
    );
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "parsing took {:?}",
        start.elapsed()
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_documents_never_panic(seed in any::<usize>(), ops in prop::collection::vec(op(), 1..24)) {
        let corpus = corpus_texts();
        let base = if corpus.is_empty() { FALLBACK.to_string() } else { corpus[seed % corpus.len()].clone() };
        check(&apply(&base, &ops));
    }

    #[test]
    fn random_strings_never_panic(s in any::<String>(), lines in prop::collection::vec("[ \t\u{a0}A-Za-zåäöÅÄÖ0-9%:.,\\-–•●✓—*()]{0,60}", 0..40)) {
        check(&s);
        check(&lines.join("\n"));
        let _ = parse_bytes(s.as_bytes());
    }

    #[test]
    fn random_bytes_never_panic(b in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = parse_bytes(&b);
    }
}

#[test]
fn pathological_inputs_finish() {
    let long_line = "a ".repeat(200_000);
    check(&long_line);
    let many_headers = "  Indikator Årsmål KF:s årsmål år 2025 Periodicitet \n".repeat(20_000);
    check(&format!("KF:s inriktningsmål: 1. M\n{many_headers}"));
    let many_goals = "Enhetsmål: x-\n".repeat(20_000);
    check(&many_goals);
    let stars = "**\n".repeat(10_000);
    check(&stars);
    check(&"\t".repeat(100_000));
    check(&"Uppdelning\tKlagomål/synpunkter/kategorier\n\tx\t1\n".repeat(5_000));
    let lower_groups = "g\tx\t1\n\n".repeat(20_000);
    check(&format!(
        "KF:s inriktningsmål: 1. M\nUppdelning\tKlagomål/synpunkter/kategorier\nA\tb\n{lower_groups}"
    ));
    let one_dates = "Titel 2025-01-01\n".repeat(20_000);
    check(&format!(
        "KF:s inriktningsmål: 1. M\n  Aktivitet Startdatum Slutdatum \n{one_dates}"
    ));
    let names = "Namn utan slut\n".repeat(20_000);
    check(&format!(
        "KF:s inriktningsmål: 1. M\n  Indikator Årsmål KF:s årsmål år 2025 Periodicitet \n{names}"
    ));
    let acts = " Titel 2025-01-01 2025-12-31\nfortsättning\n".repeat(20_000);
    check(&format!(
        "KF:s inriktningsmål: 1. M\n  Aktivitet Startdatum Slutdatum \n{acts}"
    ));
}
