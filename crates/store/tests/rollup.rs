//! The roll-up's read (`Store::rollup`) and the node's own assessment
//! (`Writer::write_rollup_assessment`), on both backends.

use malkedja_domain::{
    Assessment, Cell, GoalId, GoalLevel, OrgNode, PlanStatus, ReportDocument, ReportKind, Standing,
    build_rollup,
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
        let small = district(&store, 3, 2).await;
        let small_counts = built(&store, &small).await;
        let other = same_backend(&store).await;
        let large = district(&other.store, 12, 6).await;
        let large_counts = built(&other.store, &large).await;
        other.finish().await;
        eprintln!(
            "queries (roll-up, report) for 3 × 2: {small_counts:?}, 12 × 6: {large_counts:?}"
        );
        assert_eq!(small_counts, large_counts, "no query per unit or goal");
        assert_eq!(
            small_counts.0, 11,
            "the roll-up's read is nine queries and two for the summed indicators' course"
        );
    }
);

/// The cell a unit's report should give a goal, read from the report itself.
fn expected_cell(doc: Option<&ReportDocument>, goal: GoalId) -> Cell {
    let Some(doc) = doc else {
        return Cell::NoReport;
    };
    let shown = doc
        .goals
        .iter()
        .flat_map(|g| g.walk())
        .any(|g| g.goal.id == goal);
    if !shown {
        return Cell::NotInReport;
    }
    match doc.assessments.get(&goal) {
        Some(a) if a.assessment.is_some() => Cell::Assessed {
            assessment: a.assessment.unwrap(),
            analysis: a.analysis.as_deref().is_some_and(|t| !t.trim().is_empty()),
        },
        _ => Cell::NotAssessed,
    }
}

both_backends!(
    the_rollup_reads_what_the_units_reported,
    |store: Store| async move {
        let d = district(&store, 12, 6).await;
        // An outcome whose texts hold what the read's aggregation separates items with.
        let share = store
            .rollup(d.board, DISTRICT_YEAR, KIND, None)
            .await
            .unwrap()
            .unwrap()
            .indicators
            .iter()
            .find(|i| i.goal_id == d.board_goals[0])
            .unwrap()
            .id;
        let second = store
            .report_document(d.units[1], DISTRICT_YEAR, KIND)
            .await
            .unwrap()
            .unwrap();
        let odd = "12,5 % : 3 – åäö";
        let mut w = store.begin_write("test").await.unwrap();
        w.set_indicator_outcome(
            second.report.id,
            &malkedja_domain::IndicatorOutcome {
                indicator_id: share,
                outcome: Some(malkedja_domain::Measure::parse(odd)),
                women: Some("7 : 8".into()),
                men: Some(" ".into()),
                previous: None,
                period: None,
                analysis: None,
            },
        )
        .await
        .unwrap();
        w.commit().await.unwrap();
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
        // The board's goals, in order, under the council's directions and areas that the
        // reports show (every plan takes them all: 3 directions, 12 areas).
        let own: Vec<GoalId> = r
            .goals
            .iter()
            .filter(|g| g.own)
            .map(|g| g.goal.id)
            .collect();
        assert_eq!(own, d.board_goals);
        assert_eq!(r.goals.len(), 3 + 12 + 6);
        for (i, g) in r.goals.iter().enumerate() {
            let expected_depth = match g.goal.level {
                GoalLevel::Direction => 0,
                GoalLevel::Area => 1,
                _ => 2,
            };
            assert_eq!(g.depth, expected_depth, "{}", g.short);
            if let Some(p) = g.goal.parent_id {
                let parent = r.goals.iter().position(|c| c.goal.id == p);
                assert!(
                    parent.is_some_and(|p| p < i),
                    "{} after its parent",
                    g.short
                );
            }
            match g.goal.number.as_deref() {
                Some(n) => assert_eq!(g.short, n),
                None => assert!(g.short.starts_with("Nämndmål "), "{}", g.short),
            }
        }
        assert_eq!(r.units.len(), 12);
        // Every cell is what the unit's own report says of the goal.
        let mut docs = Vec::new();
        for u in &d.units {
            docs.push(
                store
                    .report_document(*u, DISTRICT_YEAR, KIND)
                    .await
                    .unwrap(),
            );
        }
        let mut seen = std::collections::HashSet::new();
        for (i, unit) in r.units.iter().enumerate() {
            assert_eq!(unit.unit.id, d.units[i], "units in the tree's order");
            for (c, g) in r.goals.iter().enumerate() {
                let want = expected_cell(docs[i].as_ref(), g.goal.id);
                assert_eq!(unit.cells[c], want, "unit {} goal {}", i + 1, g.short);
                seen.insert(want);
            }
        }
        assert!(docs[9].is_none());
        assert!(
            seen.len() >= 3,
            "assessments of more than one kind, and no report: {seen:?}"
        );
        let first = r.column(d.board_goals[0]).unwrap();
        let met = r
            .units
            .iter()
            .filter(|u| {
                matches!(
                    u.cells[first],
                    Cell::Assessed {
                        assessment: Assessment::Met,
                        ..
                    }
                )
            })
            .count();
        assert_eq!(r.goals[first].tally.met, met);
        // After the deadline: the unit without a report is late; drafts are late too.
        assert_eq!(r.units[9].standing, Standing::Late);
        assert_eq!(r.units[0].standing, Standing::Approved);
        assert_eq!(r.units[1].standing, Standing::Submitted);
        assert_eq!(r.units[2].standing, Standing::Late);
        // The analyses of the goal asked for are read, of no other.
        let of_first = data
            .reports
            .iter()
            .find(|x| x.unit_id == d.units[0])
            .unwrap();
        let stated = docs[0].as_ref().unwrap().assessments[&d.board_goals[0]]
            .analysis
            .clone();
        assert!(stated.is_some());
        assert_eq!(
            of_first
                .assessments
                .get(&d.board_goals[0])
                .unwrap()
                .analysis,
            stated
        );
        let other = of_first.assessments.get(&d.board_goals[2]).unwrap();
        assert!(other.analysis.is_none());
        assert!(other.has_analysis);
        // Counts are summed over what the reader may read.
        let count = r
            .indicators
            .iter()
            .position(|i| i.aggregation == malkedja_domain::Aggregation::Sum)
            .expect("a count among the council's indicators");
        let id = r.indicators[count].indicator.id;
        assert_eq!(r.indicators[count].expected, 11);
        let published = build_rollup(&data, today, &public);
        let approved: Vec<&ReportDocument> = docs
            .iter()
            .flatten()
            .filter(|doc| doc.report.status == PlanStatus::Approved)
            .collect();
        assert_eq!(approved.len(), 4, "units 1, 4, 7 and 11");
        assert_eq!(published.indicators[count].indicator.id, id);
        assert_eq!(published.indicators[count].expected, 4);
        let sum_of = |docs: &[&ReportDocument]| {
            docs.iter()
                .filter_map(|doc| doc.outcomes.get(&id)?.outcome.as_ref()?.value)
                .sum::<malkedja_domain::Decimal>()
        };
        let combined = published.indicators[count].combined.as_ref().unwrap();
        assert_eq!(combined.value, sum_of(&approved));
        let all: Vec<&ReportDocument> = docs.iter().flatten().collect();
        assert_eq!(
            r.indicators[count].combined.as_ref().unwrap().value,
            sum_of(&all)
        );
        let stated = &data
            .reports
            .iter()
            .find(|x| x.unit_id == d.units[1])
            .unwrap()
            .indicators[&share];
        assert_eq!(stated.outcome.as_ref().map(|m| m.text.as_str()), Some(odd));
        assert_eq!(stated.women.as_deref(), Some("7 : 8"));
        assert_eq!(stated.men.as_deref(), Some(" "));
        // Shares are listed, with their spread.
        let share = r
            .indicators
            .iter()
            .find(|i| i.indicator.goal_id == d.board_goals[0])
            .unwrap();
        assert_eq!(
            share.indicator.value_kind,
            malkedja_domain::ValueKind::Percent
        );
        assert_eq!(share.aggregation, malkedja_domain::Aggregation::Listed);
        assert!(share.combined.is_none());
        assert!(share.spread.is_some());

        // A department's roll-up: its own units; its own goals, and the board's and the
        // council's its units' reports show.
        let dept = store
            .rollup(d.departments[0], DISTRICT_YEAR, KIND, None)
            .await
            .unwrap()
            .unwrap();
        let r = build_rollup(&dept, today, &everyone);
        assert_eq!(r.units.len(), 12);
        let own: Vec<&malkedja_domain::RollupGoal> = r.goals.iter().filter(|g| g.own).collect();
        assert_eq!(own.len(), 2);
        assert!(own.iter().all(|g| g.goal.owner_id == d.departments[0]));
        assert_eq!(r.goals.len(), 3 + 12 + 6 + 2);
        // Another kind: no reports, every unit not started, or late after the deadline
        // (2025-05-15).
        let t1 = store
            .rollup(d.board, DISTRICT_YEAR, ReportKind::Tertial1, None)
            .await
            .unwrap()
            .unwrap();
        assert!(t1.reports.is_empty());
        let r = build_rollup(&t1, time::macros::date!(2025 - 05 - 01), &everyone);
        assert!(r.units.iter().all(|u| u.standing == Standing::NotStarted));
        let r = build_rollup(&t1, today, &everyone);
        assert!(r.units.iter().all(|u| u.standing == Standing::Late));
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
        let d = district(&store, 2, 2).await;
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

both_backends!(
    the_charts_read_every_counted_outcome_the_units_reported,
    |store: Store| async move {
        let d = district(&store, 6, 3).await;
        let data = store
            .rollup(d.board, DISTRICT_YEAR, KIND, None)
            .await
            .unwrap()
            .unwrap();
        // What each unit's report states of the chain's counted indicators.
        let mut expected = Vec::new();
        for unit in &d.units {
            let Some(doc) = store
                .report_document(*unit, DISTRICT_YEAR, KIND)
                .await
                .unwrap()
            else {
                continue;
            };
            let indicators: std::collections::HashMap<_, _> = doc
                .goals
                .iter()
                .flat_map(|g| g.walk())
                .flat_map(|g| &g.indicators)
                .map(|i| (i.indicator.id, &i.indicator))
                .collect();
            for (id, o) in &doc.outcomes {
                let i = indicators[id];
                let Some(outcome) = o.outcome.as_ref().filter(|m| !m.text.is_empty()) else {
                    continue;
                };
                if i.value_kind == malkedja_domain::ValueKind::Number
                    && [d.board, d.city].contains(&i.owner_id)
                {
                    expected.push((
                        *unit,
                        doc.report.status.code(),
                        i.owner_id,
                        i.name.clone(),
                        Some(outcome.text.clone()),
                        o.women.clone(),
                        o.men.clone(),
                    ));
                }
            }
        }
        let mut got: Vec<_> = data
            .history
            .iter()
            .inspect(|o| assert_eq!((o.year, o.kind), (DISTRICT_YEAR, KIND)))
            .map(|o| {
                (
                    o.unit_id,
                    o.status.code(),
                    o.owner,
                    o.name.clone(),
                    o.outcome.clone(),
                    o.women.clone(),
                    o.men.clone(),
                )
            })
            .collect();
        expected.sort();
        got.sort();
        assert!(
            !expected.is_empty(),
            "the district reports counted outcomes"
        );
        assert_eq!(got, expected);
    }
);
