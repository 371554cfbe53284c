//! The synthetic district (`malkedja demo --units N --years Y`), on both backends: a small
//! one is consistent.

use malkedja_domain::{GoalLevel, OrgKind, PlanStatus, ReportKind, check_errors, check_plan};
use malkedja_store::synthetic::{self, Options};
use malkedja_store::{Store, StoreError, both_backends};
use std::sync::Mutex;

fn options() -> Options {
    Options {
        this_year: 2026,
        board_goals: 8,
        units_per_department: 2,
        ..Options::new(5, 2)
    }
}

both_backends!(
    a_small_synthetic_district_is_consistent,
    |store: Store| async move {
        let o = options();
        let steps = Mutex::new(Vec::new());
        let summary = synthetic::generate(&store, &o, &|p| {
            steps
                .lock()
                .unwrap()
                .push((p.done, p.total, p.what.to_string()));
        })
        .await
        .expect("generated");
        let steps = steps.into_inner().unwrap();
        assert_eq!(steps.len(), o.steps());
        assert!(steps.iter().all(|(_, total, _)| *total == o.steps()));
        assert_eq!(steps.last().map(|s| s.0), Some(o.steps()));

        assert_eq!(summary.years, [2024, 2025, 2026]);
        assert_eq!(summary.units.len(), 5);
        assert_eq!(summary.plans, 5 * 3);
        let nodes = store.org_nodes().await.unwrap();
        let count = |k: OrgKind| nodes.iter().filter(|n| n.kind == k).count();
        assert_eq!(count(OrgKind::Unit), 5);
        assert_eq!(count(OrgKind::Department), 3);
        assert_eq!(
            store
                .goals_at_level(2025, GoalLevel::Board)
                .await
                .unwrap()
                .len(),
            8
        );

        let mut t1_states = std::collections::BTreeSet::new();
        for unit in &summary.units {
            for year in summary.years.iter().copied() {
                // The plan is approved and passes the plan check.
                let doc = store.plan_document(*unit, year).await.unwrap().unwrap();
                assert_eq!(doc.plan.status, PlanStatus::Approved, "{year}");
                assert!(
                    check_errors(&check_plan(&doc)).is_empty(),
                    "{:?}",
                    check_plan(&doc)
                );
                let kinds = store.report_kinds(doc.plan.id).await.unwrap();
                if year < 2026 {
                    assert_eq!(kinds, ReportKind::ALL);
                } else {
                    assert!(kinds.iter().all(|k| *k == ReportKind::Tertial1));
                }
                for kind in kinds {
                    // Readable, complete and in its state.
                    let r = store
                        .report_document(*unit, year, kind)
                        .await
                        .unwrap()
                        .unwrap();
                    assert!(
                        malkedja_domain::check_report(&r).is_empty(),
                        "{:?}",
                        malkedja_domain::check_report(&r)
                    );
                    let goals: Vec<_> = r.goals.iter().flat_map(|g| g.walk()).collect();
                    assert!(goals.len() >= 8 + 3);
                    assert!(goals.iter().all(|g| r.assessments.contains_key(&g.goal.id)));
                    assert!(!r.outcomes.is_empty());
                    if year < 2026 {
                        assert_eq!(r.report.status, PlanStatus::Approved);
                    } else {
                        t1_states.insert(r.report.status.code());
                    }
                    if kind == ReportKind::AnnualReport {
                        let e = store.report_economy(r.report.id).await.unwrap();
                        assert!(e.totals.outcome.is_some());
                    }
                }
            }
        }
        assert!(t1_states.contains("draft"), "{t1_states:?}");

        // Not into a database that has an organisation, unless asked.
        let again = synthetic::generate(&store, &o, &|_| {}).await;
        assert!(matches!(again, Err(StoreError::Exists(_))), "{again:?}");
    }
);

#[tokio::test]
async fn the_same_options_give_the_same_district() {
    let small = Options {
        years: 1,
        ..options()
    };
    let mut texts = Vec::new();
    for _ in 0..2 {
        let db = malkedja_store::testing::sqlite().await;
        let s = synthetic::generate(&db.store, &small, &|_| {})
            .await
            .unwrap();
        let r = db
            .store
            .report_document(s.units[2], 2025, ReportKind::AnnualReport)
            .await
            .unwrap()
            .unwrap();
        let mut outcomes: Vec<String> = r
            .outcomes
            .values()
            .filter_map(|o| o.outcome.as_ref().map(|m| m.text.clone()))
            .collect();
        outcomes.sort();
        texts.push((outcomes, r.sections[0].body.clone()));
    }
    assert_eq!(texts[0], texts[1]);
}
