//! The roll-up's read (`Store::rollup`) and the node's own assessment
//! (`Writer::write_rollup_assessment`), on both backends.

use malkedja_domain::{
    Assessment, Cell, GoalId, OrgNode, PlanStatus, ReportKind, Standing, build_rollup,
};
use malkedja_store::testing::{DISTRICT_YEAR, District, district, same_backend};
use malkedja_store::{Store, StoreError, both_backends, count_queries};

const KIND: ReportKind = ReportKind::AnnualReport;

fn everyone(_: &[OrgNode], _: PlanStatus) -> bool {
    true
}

fn public(_: &[OrgNode], s: PlanStatus) -> bool {
    s == PlanStatus::Approved
}

async fn built(store: &Store, d: &District) -> (usize, usize) {
    let (data, rollup_queries) =
        count_queries(store.rollup(d.board, DISTRICT_YEAR, KIND, None)).await;
    assert!(data.unwrap().is_some());
    let (data, with_texts) =
        count_queries(store.rollup(d.board, DISTRICT_YEAR, KIND, Some(d.board_goals[0]))).await;
    assert!(data.unwrap().is_some());
    assert_eq!(
        rollup_queries, with_texts,
        "the texts of a goal cost nothing more"
    );
    let (doc, report_queries) =
        count_queries(store.report_document(d.units[0], DISTRICT_YEAR, KIND)).await;
    assert!(doc.unwrap().is_some());
    (rollup_queries, report_queries)
}

both_backends!(
    a_rollup_and_a_report_cost_the_same_queries_whatever_the_number_of_units_and_goals,
    |store: Store| async move {
        let small = district(&store, 3, 2, &|_| {}).await;
        let small_counts = built(&store, &small).await;
        let other = same_backend(&store).await;
        let large = district(&other.store, 12, 6, &|_| {}).await;
        let large_counts = built(&other.store, &large).await;
        other.finish().await;
        eprintln!(
            "queries (roll-up, report) for 3 × 2: {small_counts:?}, 12 × 6: {large_counts:?}"
        );
        assert_eq!(small_counts, large_counts, "no query per unit or goal");
        assert_eq!(
            small_counts.0, 11,
            "the roll-up's read is ten queries and one for the summed indicators' course"
        );
    }
);

both_backends!(
    the_rollup_reads_what_the_units_reported,
    |store: Store| async move {
        let d = district(&store, 12, 6, &|_| {}).await;
        let data = store
            .rollup(d.board, DISTRICT_YEAR, KIND, Some(d.board_goals[0]))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            data.below
                .iter()
                .filter(|n| n.kind == malkedja_domain::OrgKind::Unit)
                .count(),
            12
        );
        assert_eq!(data.reports.len(), 11, "the tenth unit has no report");
        let today = time::macros::date!(2026 - 03 - 01);
        let r = build_rollup(&data, today, &everyone);
        // Direction 1, area 1.1 with the odd board goals, area 1.2 with the even ones.
        let shorts: Vec<&str> = r.goals.iter().map(|g| g.short.as_str()).collect();
        assert_eq!(
            shorts,
            [
                "1",
                "1.1",
                "Nämndmål 1",
                "Nämndmål 2",
                "Nämndmål 3",
                "1.2",
                "Nämndmål 4",
                "Nämndmål 5",
                "Nämndmål 6"
            ]
        );
        assert_eq!(r.units.len(), 12);
        let first = r.column(d.board_goals[0]).unwrap();
        // Unit i assesses goal j as [met, partly, not, no data][(i + j) % 4].
        assert_eq!(
            r.units[0].cells[first],
            Cell::Assessed {
                assessment: Assessment::Met,
                analysis: true
            }
        );
        assert_eq!(
            r.units[1].cells[first],
            Cell::Assessed {
                assessment: Assessment::PartlyMet,
                analysis: true
            }
        );
        assert_eq!(r.units[9].cells[first], Cell::NoReport);
        // The area goals are shown in every report, above the goals they hold, but not assessed.
        assert_eq!(r.units[0].cells[1], Cell::NotAssessed);
        assert_eq!(
            r.goals[first].tally.met, 3,
            "units 1, 5 and 9 of the eleven"
        );
        // After the deadline: the unit without a report is late; drafts are late too.
        assert_eq!(r.units[9].standing, Standing::Late);
        assert_eq!(r.units[0].standing, Standing::Approved);
        assert_eq!(r.units[1].standing, Standing::Submitted);
        assert_eq!(r.units[2].standing, Standing::Late);
        // The analyses of the goal asked for are read, of no other.
        let with_text = data.reports[0].assessments.get(&d.board_goals[0]).unwrap();
        assert_eq!(
            with_text.analysis.as_deref(),
            Some("Enhet 1: analys av mål 1.")
        );
        assert!(
            data.reports[0]
                .assessments
                .get(&d.board_goals[2])
                .unwrap()
                .analysis
                .is_none()
        );
        assert!(
            data.reports[0]
                .assessments
                .get(&d.board_goals[2])
                .unwrap()
                .has_analysis
        );
        // Counts are summed over what the reader may read.
        let count = &r.indicators[0];
        assert_eq!(count.aggregation, malkedja_domain::Aggregation::Sum);
        assert_eq!(count.expected, 11);
        assert_eq!(count.indicator.id, d.indicators[0]);
        let published = build_rollup(&data, today, &public);
        assert_eq!(
            published.indicators[0].expected, 3,
            "units 1, 4 and 7 are approved"
        );
        // Their outcomes are (i * 7) % 60: 0, 21 and 42.
        let combined = published.indicators[0].combined.as_ref().unwrap();
        assert_eq!(combined.value, malkedja_domain::Decimal::from(63));
        // Shares are listed, with their spread.
        let share = r
            .indicators
            .iter()
            .find(|i| i.indicator.id == d.indicators[1])
            .unwrap();
        assert_eq!(share.aggregation, malkedja_domain::Aggregation::Listed);
        assert!(share.combined.is_none());
        assert!(share.spread.is_some());

        // A department's roll-up: its own units; no goals of its own, the board's it follows.
        let dept = store
            .rollup(d.departments[0], DISTRICT_YEAR, KIND, None)
            .await
            .unwrap()
            .unwrap();
        let r = build_rollup(&dept, today, &everyone);
        assert_eq!(r.units.len(), 12);
        assert!(r.goals.iter().all(|g| !g.own));
        assert_eq!(r.goals.len(), 9);
        // Another kind: no reports, every unit not started (or late).
        let t1 = store
            .rollup(d.board, DISTRICT_YEAR, ReportKind::Tertial1, None)
            .await
            .unwrap()
            .unwrap();
        assert!(t1.reports.is_empty());
        let r = build_rollup(&t1, today, &everyone);
        assert!(r.units.iter().all(|u| u.standing == Standing::NotStarted));
        assert_eq!(
            r.goals.len(),
            6,
            "only the board's own goals when no report shows more"
        );
        assert!(
            store
                .rollup(malkedja_domain::NodeId(999_999), DISTRICT_YEAR, KIND, None)
                .await
                .unwrap()
                .is_none()
        );
    }
);

both_backends!(
    a_boards_own_assessment_is_versioned_and_audited,
    |store: Store| async move {
        let d = district(&store, 2, 2, &|_| {}).await;
        let goal = d.board_goals[1];
        let write = async |owner, goal, expected, analysis: &str| {
            let mut w = store.begin_write("redaktor@test.se").await.unwrap();
            let r = w
                .write_rollup_assessment(
                    owner,
                    goal,
                    DISTRICT_YEAR,
                    KIND,
                    expected,
                    Some(Assessment::PartlyMet),
                    Some(analysis),
                )
                .await;
            if r.is_ok() {
                w.commit().await.unwrap();
            }
            r
        };
        let first = write(d.board, goal, 0, "  Nämndens analys. ")
            .await
            .unwrap();
        assert_eq!(first.version, 1);
        assert_eq!(first.analysis.as_deref(), Some("Nämndens analys."));
        let second = write(d.board, goal, 1, "Ny analys.").await.unwrap();
        assert_eq!(second.version, 2);
        assert!(matches!(
            write(d.board, goal, 1, "Gammal").await,
            Err(StoreError::Conflict {
                expected: 1,
                actual: 2,
                ..
            })
        ));
        // The department writes its own, of the board's goal.
        assert_eq!(
            write(d.departments[0], goal, 0, "Avdelningens")
                .await
                .unwrap()
                .version,
            1
        );
        // A unit has no roll-up; a goal of another year or from below is not the node's.
        assert!(matches!(
            write(d.units[0], goal, 0, "x").await,
            Err(StoreError::NotFound(_))
        ));
        assert!(matches!(
            write(d.board, GoalId(999_999), 0, "x").await,
            Err(StoreError::NotFound(_))
        ));
        let too_long = "å".repeat(malkedja_domain::ROLLUP_ANALYSIS_MAX + 1);
        assert!(matches!(
            write(d.board, goal, 2, &too_long).await,
            Err(StoreError::Domain(
                malkedja_domain::DomainError::TooLong { .. }
            ))
        ));
        let trail = store
            .audit_trail(
                "rollup_assessment",
                &format!("{}/{goal}/{DISTRICT_YEAR}/annual_report", d.board),
            )
            .await
            .unwrap();
        assert_eq!(trail.len(), 2);
        assert!(trail[0].before.is_none());
        assert_eq!(trail[1].after.as_ref().unwrap()["analysis"], "Ny analys.");
        let data = store
            .rollup(d.board, DISTRICT_YEAR, KIND, None)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(data.own.len(), 1, "the department's is its own");
        let r = build_rollup(&data, time::macros::date!(2026 - 01 - 01), &everyone);
        assert_eq!(r.own.get(&goal).map(|a| a.version), Some(2));
    }
);
