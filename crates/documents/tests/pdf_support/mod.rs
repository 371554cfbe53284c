//! Shared by the PDF tests: a small plan built by hand, and the poppler tools.
#![allow(dead_code)]

use malkedja_domain::{
    Activity, ActivityId, CascadeGoal, Direction, Goal, GoalId, GoalLevel, GoalSection, Indicator,
    IndicatorId, IndicatorView, Measure, NodeId, OrgKind, OrgNode, Periodicity, Plan, PlanDocument,
    PlanId, PlanOrigin, PlanSectionView, PlanStatus, Target, ValueKind,
};
use std::io::Write;
use std::process::Command;
use time::macros::date;

pub fn node(id: i64, parent: Option<i64>, kind: OrgKind, name: &str) -> OrgNode {
    OrgNode {
        id: NodeId(id),
        parent_id: parent.map(NodeId),
        kind,
        name: name.into(),
        position: 0,
        version: 1,
        closed: None,
    }
}

pub fn goal(id: i64, level: GoalLevel, number: Option<&str>, title: &str) -> CascadeGoal {
    CascadeGoal {
        goal: Goal {
            id: GoalId(id),
            year: 2026,
            level,
            owner_id: NodeId(1),
            parent_id: None,
            number: number.map(Into::into),
            title: title.into(),
            position: 0,
            version: 1,
        },
        owner_name: "Staden".into(),
        inherited: level != GoalLevel::Unit,
        sections: Vec::new(),
        revised: None,
        indicators: Vec::new(),
        activities: Vec::new(),
        children: Vec::new(),
    }
}

pub fn indicator(
    id: i64,
    name: &str,
    target: Option<&str>,
    council: Option<&str>,
) -> IndicatorView {
    IndicatorView {
        indicator: Indicator {
            id: IndicatorId(id),
            year: 2026,
            goal_id: GoalId(1),
            owner_id: NodeId(1),
            name: name.into(),
            unit_of_measure: None,
            periodicity: Periodicity::Year,
            direction: Direction::HigherIsBetter,
            value_kind: ValueKind::Percent,
            by_sex: false,
            council_target: council.and_then(Target::parse),
            position: id,
            version: 1,
        },
        target: target.map(|t| Target::Value(Measure::parse(t))),
    }
}

pub fn activity(id: i64, title: &str) -> Activity {
    Activity {
        id: ActivityId(id),
        year: 2026,
        goal_id: GoalId(1),
        owner_id: NodeId(5),
        title: title.into(),
        start: date!(2026 - 01 - 01),
        end: date!(2026 - 12 - 31),
        position: id,
        version: 1,
    }
}

pub fn section(key: &str, heading: &str, body: &str) -> PlanSectionView {
    PlanSectionView {
        key: key.into(),
        heading: heading.into(),
        guidance: "Skriv om uppdraget. DENNA VÄGLEDNING SKRIVS ALDRIG UT".into(),
        body: body.into(),
        version: 1,
        children: Vec::new(),
    }
}

/// A small plan of a unit named `unit`: one goal per level, a table of each kind.
pub fn small_plan(unit: &str) -> PlanDocument {
    let mut unit_goal = goal(
        5,
        GoalLevel::Unit,
        None,
        "Brukarna är delaktiga i planeringen",
    );
    unit_goal.sections = vec![(GoalSection::ExpectedResult, "Fler brukare deltar.".into())];
    unit_goal.activities = vec![activity(1, "Genomförandeplaner i alla ärenden")];
    let mut board = goal(
        3,
        GoalLevel::Board,
        None,
        "Personer med funktionsnedsättning är delaktiga",
    );
    board.sections = vec![
        (
            GoalSection::Description,
            "Målet nås genom stöd av hög kvalitet.\n\n- en punkt\n- en punkt till".into(),
        ),
        (GoalSection::ExpectedResult, "Nöjdare brukare.".into()),
    ];
    board.indicators = vec![indicator(
        2,
        "Andel nöjda brukare",
        Some("80 %"),
        Some("Tas fram av nämnd"),
    )];
    board.children = vec![unit_goal];
    let mut area = goal(
        2,
        GoalLevel::Area,
        Some("1.3"),
        "Stöd och omsorg där behoven är störst",
    );
    area.indicators = vec![indicator(
        1,
        "Andel brukare som upplever trygghet",
        None,
        Some("90 %"),
    )];
    area.children = vec![board];
    let mut direction = goal(
        1,
        GoalLevel::Direction,
        Some("1"),
        "En stad som håller samman",
    );
    direction.children = vec![area];
    let unit_node = node(5, Some(2), OrgKind::Unit, unit);
    PlanDocument {
        plan: Plan {
            id: PlanId(1),
            unit_id: NodeId(5),
            year: 2026,
            status: PlanStatus::Draft,
            version: 1,
            origin: PlanOrigin::Plan,
        },
        unit: unit_node.clone(),
        chain: vec![
            unit_node,
            node(2, Some(1), OrgKind::Board, "Nämnden"),
            node(1, None, OrgKind::City, "Stockholms stad"),
        ],
        facts: None,
        operations: Vec::new(),
        sections_before: vec![section(
            "uppdrag",
            "Vårt uppdrag",
            "Vi erbjuder daglig verksamhet.",
        )],
        goals: vec![direction],
        sections_after: vec![section("ovrigt", "Övrigt", "")],
    }
}

/// The PDF's text layer as `pdftotext` reads it (poppler-utils), in the given mode.
pub fn pdftotext(pdf: &[u8], layout: bool) -> String {
    let dir = tempdir();
    let path = dir.join("doc.pdf");
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(pdf))
        .expect("write pdf");
    let mut cmd = Command::new("pdftotext");
    if layout {
        cmd.arg("-layout");
    }
    let out = cmd
        .arg("-enc")
        .arg("UTF-8")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs (apt-get install poppler-utils)");
    assert!(
        out.status.success(),
        "pdftotext: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
    String::from_utf8(out.stdout).expect("utf-8")
}

/// A new empty folder under the system's temporary folder.
pub fn tempdir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "malkedja_pdf_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Whitespace collapsed to single spaces.
pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every demo plan and report, assembled from a fresh SQLite store with the demo district.
pub struct Demo {
    pub plans: Vec<PlanDocument>,
    pub reports: Vec<malkedja_domain::ReportDocument>,
}

pub async fn demo() -> Demo {
    use malkedja_domain::ReportKind;
    let db = malkedja_store::testing::sqlite().await;
    let summary = malkedja_store::demo::load(&db.store, &|_| {})
        .await
        .expect("demo loads")
        .expect("a fresh database gets the district");
    let mut plans = Vec::new();
    let mut reports = Vec::new();
    for (unit, _) in &summary.units {
        for year in &summary.years {
            if let Some(p) = db.store.plan_document(*unit, *year).await.expect("plan") {
                plans.push(p);
            }
            for kind in ReportKind::ALL {
                if let Some(r) = db
                    .store
                    .report_document(*unit, *year, kind)
                    .await
                    .expect("report")
                {
                    reports.push(r);
                }
            }
        }
    }
    db.finish().await;
    Demo { plans, reports }
}

/// The number of goals, indicators and activities in a cascade: its size.
pub fn size(goals: &[CascadeGoal]) -> usize {
    goals
        .iter()
        .flat_map(|g| g.walk())
        .map(|g| {
            1 + g.indicators.len()
                + g.activities.len()
                + g.sections.iter().map(|s| s.1.len() / 400).sum::<usize>()
        })
        .sum()
}

/// The demo's largest plan.
pub fn largest(plans: &[PlanDocument]) -> &PlanDocument {
    plans
        .iter()
        .max_by_key(|p| size(&p.goals) + p.sections_before.len() + p.sections_after.len())
        .expect("the demo has plans")
}

/// A memo as a writer fills it in.
pub fn memo() -> malkedja_domain::Memo {
    malkedja_domain::Memo {
        case_number: "SV 2026/1234".into(),
        date: Some(date!(2026 - 01 - 23)),
        case_officer: "Anna Andersson".into(),
        addressee: "Sjövikens stadsdelsnämnd".into(),
        phone: "08-508 000 00".into(),
        title: String::new(),
        proposal: "Stadsdelsnämnden godkänner verksamhetsplanen.".into(),
    }
}
