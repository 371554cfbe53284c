//! Round trip: a PDF made by Målkedja, turned into text with `pdftotext -layout`
//! (poppler-utils) and read by the importer, gives back the goals, indicators and
//! activities of the document it came from. For every demo plan and report, and for every
//! seed of the old system imported into a store and printed again.
//!
//! `-layout` is the mode: it keeps the columns of a table where they are on the page, so
//! the importer can tell the cells of a row apart (see crates/import/src/own.rs). The
//! default mode reads a table column by column and loses which value is whose.

mod pdf_support;

use malkedja_documents::{Document, PdfKind, Printable, pdf};
use malkedja_domain::{CascadeGoal, Memo, PlanDocument, ReportDocument, ReportKind};
use malkedja_import::{DocumentKind, ImportDocument};
use malkedja_store::import::{ImportOptions, import_document};
use pdf_support::{demo, memo, pdftotext};
use std::path::PathBuf;
use time::macros::date;

/// What the round trip keeps: goals (level, number, title, parent), indicators, activities
/// and, in reports, assessments, outcomes and statuses.
#[derive(Debug, PartialEq, Eq)]
struct Shape {
    goals: Vec<String>,
    indicators: Vec<String>,
    activities: Vec<String>,
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn number(n: Option<&str>) -> String {
    n.unwrap_or("").trim().trim_end_matches('.').to_string()
}

fn opt(s: Option<&str>) -> String {
    s.map(squash)
        .filter(|s| !s.is_empty() && s != "—")
        .unwrap_or_default()
}

/// A goal as the comparison names it.
fn goal_name(level: malkedja_domain::GoalLevel, number_: Option<&str>, title: &str) -> String {
    format!("{level:?} {} {}", number(number_), squash(title))
}

/// The shape of an imported document.
fn imported(d: &ImportDocument) -> Shape {
    let follow_up = d.kind.is_follow_up();
    let names: Vec<String> = d
        .goals
        .iter()
        .map(|g| goal_name(g.level, g.number.as_deref(), &g.title))
        .collect();
    let name = |i: usize| names.get(i).cloned().unwrap_or_default();
    let goals = d
        .goals
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let assessment = if follow_up {
                format!(" [{}]", g.assessment.map(|a| a.label()).unwrap_or(""))
            } else {
                String::new()
            };
            format!(
                "{} ← {}{assessment}",
                name(i),
                g.parent.map(name).unwrap_or_default()
            )
        })
        .collect();
    let indicators = d
        .indicators
        .iter()
        .map(|i| {
            let mut s = format!(
                "{}: {} | {} | {}",
                name(i.goal),
                squash(&i.name),
                opt(i.target.as_deref()),
                opt(i.council_target.as_deref()),
            );
            if follow_up {
                s.push_str(&format!(" | {}", opt(i.outcome.as_deref())));
            } else {
                s.push_str(&format!(" | {}", opt(i.periodicity.as_deref())));
            }
            s
        })
        .collect();
    let activities = d
        .activities
        .iter()
        .map(|a| {
            let mut s = format!(
                "{}: {} | {} | {}",
                name(a.goal),
                squash(&a.title),
                opt(a.start.as_deref()),
                opt(a.end.as_deref())
            );
            if follow_up {
                s.push_str(&format!(" | {}", a.status.map(|s| s.label()).unwrap_or("")));
            }
            s
        })
        .collect();
    Shape {
        goals,
        indicators,
        activities,
    }
    .sorted()
}

impl Shape {
    /// The order of goals under the same goal is not compared: the PDF prints a board
    /// goal's unit goals before its department goals.
    fn sorted(mut self) -> Shape {
        self.goals.sort();
        self.indicators.sort();
        self.activities.sort();
        self
    }
}

/// The shape of a cascade as the domain holds it, with a report's follow-up.
fn cascade(goals: &[CascadeGoal], report: Option<&ReportDocument>) -> Shape {
    fn walk<'a>(
        g: &'a CascadeGoal,
        parent: Option<usize>,
        out: &mut Vec<(&'a CascadeGoal, Option<usize>)>,
    ) {
        let me = out.len();
        out.push((g, parent));
        for c in &g.children {
            walk(c, Some(me), out);
        }
    }
    let mut flat = Vec::new();
    for g in goals {
        walk(g, None, &mut flat);
    }
    let mut shape = Shape {
        goals: Vec::new(),
        indicators: Vec::new(),
        activities: Vec::new(),
    };
    let names: Vec<String> = flat
        .iter()
        .map(|(g, _)| goal_name(g.goal.level, g.goal.number.as_deref(), &g.goal.title))
        .collect();
    let name = |i: usize| names.get(i).cloned().unwrap_or_default();
    for (index, (g, parent)) in flat.iter().enumerate() {
        let index = name(index);
        let assessment = match report {
            Some(r) => format!(
                " [{}]",
                r.assessments
                    .get(&g.goal.id)
                    .and_then(|a| a.assessment)
                    .map(|a| a.label())
                    .unwrap_or("")
            ),
            None => String::new(),
        };
        shape.goals.push(format!(
            "{index} ← {}{assessment}",
            parent.map(name).unwrap_or_default()
        ));
        for i in &g.indicators {
            let mut s = format!(
                "{index}: {} | {} | {}",
                squash(&i.indicator.name),
                opt(i.target.as_ref().map(|t| t.text())),
                opt(i.indicator.council_target.as_ref().map(|t| t.text())),
            );
            match report {
                Some(r) => s.push_str(&format!(
                    " | {}",
                    opt(r
                        .outcomes
                        .get(&i.indicator.id)
                        .and_then(|o| o.outcome.as_ref())
                        .map(|m| m.text.as_str()))
                )),
                None => s.push_str(&format!(" | {}", i.indicator.periodicity.label())),
            }
            shape.indicators.push(s);
        }
        for a in &g.activities {
            let mut s = format!("{index}: {} | {} | {}", squash(&a.title), a.start, a.end);
            if let Some(r) = report {
                s.push_str(&format!(
                    " | {}",
                    r.followups
                        .get(&a.id)
                        .and_then(|f| f.status)
                        .map(|s| s.label())
                        .unwrap_or("")
                ));
            }
            shape.activities.push(s);
        }
    }
    shape.sorted()
}

fn print(document: Document<'_>, memo: &Memo) -> String {
    let printable = Printable {
        document,
        memo,
        printed_on: date!(2026 - 01 - 23),
    };
    let bytes = pdf(&printable, PdfKind::Archive).expect("the document prints");
    pdftotext(&bytes, true)
}

fn read_back(text: &str, what: &str) -> ImportDocument {
    malkedja_import::parse(text)
        .unwrap_or_else(|e| panic!("{what}: the importer reads the PDF's text: {e}\n{text}"))
}

fn assert_same(what: &str, expected: &Shape, actual: &Shape, text: &str) {
    for (part, e, a) in [
        ("goals", &expected.goals, &actual.goals),
        ("indicators", &expected.indicators, &actual.indicators),
        ("activities", &expected.activities, &actual.activities),
    ] {
        if e != a {
            let first = e
                .iter()
                .zip(a.iter())
                .position(|(x, y)| x != y)
                .unwrap_or(e.len().min(a.len()));
            panic!(
                "{what}: {part} differ at {first} (expected {}, got {}):\n  expected: {:?}\n  got:      {:?}\n--- text ---\n{text}",
                e.len(),
                a.len(),
                e.get(first),
                a.get(first)
            );
        }
    }
}

fn plan_title(p: &PlanDocument) -> String {
    Memo::plan_title(p.plan.year, &p.unit.name)
}

#[tokio::test]
async fn every_demo_plan_and_report_reads_back() {
    let demo = demo().await;
    let memo = memo();
    assert!(demo.plans.len() >= 3 && demo.reports.len() >= 3);
    for p in &demo.plans {
        let what = plan_title(p);
        let text = print(Document::Plan(p), &memo);
        let back = read_back(&text, &what);
        assert_eq!(back.kind, DocumentKind::Plan, "{what}");
        assert_eq!(back.year, p.plan.year, "{what}");
        assert_eq!(back.unit, p.unit.name, "{what}: the unit from the title");
        assert_same(&what, &cascade(&p.goals, None), &imported(&back), &text);
    }
    for r in &demo.reports {
        let what = format!("{} {} för {}", r.report.kind.label(), r.year, r.unit.name);
        let text = print(Document::Report(r), &memo);
        let back = read_back(&text, &what);
        let kind = match r.report.kind {
            ReportKind::Tertial1 => DocumentKind::Tertial1,
            ReportKind::Tertial2 => DocumentKind::Tertial2,
            ReportKind::AnnualReport => DocumentKind::AnnualReport,
        };
        assert_eq!(back.kind, kind, "{what}");
        assert_eq!(back.year, r.year, "{what}");
        assert_same(&what, &cascade(&r.goals, Some(r)), &imported(&back), &text);
        if !r.complaints.is_empty() {
            assert_eq!(
                back.complaints.len(),
                r.complaints.len(),
                "{what}: complaints"
            );
        }
    }
}

fn seeds_dir() -> Option<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = manifest
        .parent()?
        .parent()?
        .join("..")
        .join("shared")
        .join("seeds");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("../shared/seeds saknas men CI=true: rundturstestet kan inte hoppas över");
    }
    eprintln!("NOTICE: ../shared/seeds not found; the seed round trip is skipped");
    None
}

#[tokio::test]
async fn every_seed_imported_and_printed_reads_back() {
    let Some(dir) = seeds_dir() else { return };
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("seeds")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    seeds.sort();
    assert!(!seeds.is_empty());
    let memo = Memo::default();
    for path in seeds {
        let what = path.file_name().unwrap().to_string_lossy().to_string();
        let original = malkedja_import::parse(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        let db = malkedja_store::testing::sqlite().await;
        let mut w = db.store.begin_write("test").await.unwrap();
        let summary = import_document(&mut w, &original, &ImportOptions::default())
            .await
            .unwrap_or_else(|e| panic!("{what}: import: {e}"));
        w.commit().await.unwrap();
        let unit = malkedja_domain::NodeId(summary.unit_id);
        let text = match original.kind {
            DocumentKind::Plan => {
                let p = db
                    .store
                    .plan_document(unit, original.year)
                    .await
                    .unwrap()
                    .expect("plan");
                print(Document::Plan(&p), &memo)
            }
            k => {
                let kind = match k {
                    DocumentKind::Tertial1 => ReportKind::Tertial1,
                    DocumentKind::Tertial2 => ReportKind::Tertial2,
                    _ => ReportKind::AnnualReport,
                };
                let r = db
                    .store
                    .report_document(unit, original.year, kind)
                    .await
                    .unwrap()
                    .expect("report");
                print(Document::Report(&r), &memo)
            }
        };
        db.finish().await;
        let back = read_back(&text, &what);
        assert_eq!(back.kind, original.kind, "{what}");
        assert_eq!(back.year, original.year, "{what}");
        assert_same(&what, &imported(&original), &imported(&back), &text);
    }
}
