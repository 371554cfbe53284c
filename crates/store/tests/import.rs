//! Importing the old system's text exports into the store, on SQLite and PostgreSQL.
//!
//! Snippet tests always run. Tests over the real documents read them from
//! `$MALKEDJA_CORPUS_DIR/seeds` or `<workspace>/../shared/seeds`: without them they print
//! that they were skipped, except under `CI=true`, where a missing corpus fails the run.

use malkedja_domain::{GoalLevel, GoalSection, ReportKind};
use malkedja_import::{ImportDocument, ParseOptions, parse_with};
use malkedja_store::import::{ImportOptions, UnitChoice, import_document};
use malkedja_store::{Store, StoreError, both_backends};

const PLAN: &str = "Inledning \nEnhetens uppdrag \nVi hjälper invånarna i Exempelby med allt som rör trädgårdar. \n\nKF:s inriktningsmål: 1. Ett påhittat inriktningsmål för \nhela staden \n\nKF:s mål för verksamhetsområdet: 1.2 Ett påhittat områdesmål \n\n  Indikator Årsmål KF:s årsmål år 2031 Periodicitet \n\n Andel nöjda \nträdgårdsägare \n\n80 % 75 % År \n\nNämndmål: Nämnden sköter parkerna väl \n\nBeskrivning \n\nNämnden planterar träd. \n\nFörväntat resultat \n\n- Fler träd. \n  Aktivitet Startdatum Slutdatum \n\n Nämnden planterar hundra ekar 2031-03-01 2031-10-31 \n\nEnhetsmål: Enheten vattnar alla rabatter \n\nFörväntat resultat \n\nInga rabatter torkar. \n\nArbetssätt \n\nVi vattnar varje morgon. \n\n Redovisning av ekonomi \n\nBudget 2031 \nBudgeten är 3 mnkr. \n";

fn snippet(unit: &str) -> ImportDocument {
    parse_with(
        PLAN,
        &ParseOptions {
            unit: Some(unit.into()),
            year: Some(2031),
        },
    )
    .expect("the snippet parses")
}

async fn import(store: &Store, docs: &[&ImportDocument]) -> Result<(), StoreError> {
    let mut w = store.begin_write("import").await?;
    for d in docs {
        import_document(&mut w, d, &ImportOptions::default()).await?;
    }
    w.commit().await
}

both_backends!(
    a_snippet_plan_is_stored_and_shown,
    |store: Store| async move {
        let d = snippet("Trädgårdsenheten");
        import(&store, &[&d]).await.unwrap();
        let unit = store
            .org_nodes()
            .await
            .unwrap()
            .into_iter()
            .find(|n| n.name == "Trädgårdsenheten")
            .unwrap();
        let doc = store
            .plan_document(unit.id, 2031)
            .await
            .unwrap()
            .expect("the plan exists");
        let dir = &doc.goals[0];
        assert_eq!(
            dir.goal.title,
            "Ett påhittat inriktningsmål för hela staden"
        );
        let area = &dir.children[0];
        assert_eq!(area.goal.number.as_deref(), Some("1.2"));
        assert_eq!(
            area.indicators.len(),
            1,
            "the council indicator is selected for the unit"
        );
        assert_eq!(area.indicators[0].target.as_ref().unwrap().text(), "80 %");
        assert_eq!(
            area.indicators[0]
                .indicator
                .council_target
                .as_ref()
                .unwrap()
                .text(),
            "75 %"
        );
        let board = &area.children[0];
        assert_eq!(board.goal.level, GoalLevel::Board);
        assert_eq!(
            board.sections[0],
            (
                GoalSection::Description,
                "Nämnden planterar träd.".to_string()
            )
        );
        assert_eq!(
            board.activities.len(),
            1,
            "the board activity is selected for the unit"
        );
        let unit_goal = &board.children[0];
        assert_eq!(unit_goal.goal.title, "Enheten vattnar alla rabatter");
        assert_eq!(unit_goal.sections.len(), 2);
        let uppdrag = &doc.sections_before[0].children[0];
        assert_eq!(
            uppdrag.body,
            "Vi hjälper invånarna i Exempelby med allt som rör trädgårdar."
        );
        let overview = store.plan_overview(unit.id).await.unwrap();
        let missing = &overview[0].missing;
        assert!(
            missing.iter().any(|m| m == "Organisationsbeskrivning"),
            "{missing:?}"
        );
        assert!(
            !missing
                .iter()
                .any(|m| m == "Enhetens uppdrag" || m == "Budget 2031"),
            "{missing:?}"
        );
    }
);

both_backends!(importing_twice_changes_nothing, |store: Store| async move {
    let d = snippet("Trädgårdsenheten");
    import(&store, &[&d]).await.unwrap();
    let events = store.audit_count().await.unwrap();
    let nodes = store.org_nodes().await.unwrap().len();
    let mut w = store.begin_write("import").await.unwrap();
    let summary = import_document(&mut w, &d, &ImportOptions::default())
        .await
        .unwrap();
    w.commit().await.unwrap();
    assert!(!summary.changed_anything(), "{summary:?}");
    assert_eq!(
        store.audit_count().await.unwrap(),
        events,
        "nothing was written the second time"
    );
    assert_eq!(store.org_nodes().await.unwrap().len(), nodes);
});

both_backends!(
    two_units_share_the_goals_of_the_year,
    |store: Store| async move {
        let a = snippet("Trädgårdsenheten");
        let b = snippet("Parkenheten");
        import(&store, &[&a, &b]).await.unwrap();
        let boards = store.goals_at_level(2031, GoalLevel::Board).await.unwrap();
        assert_eq!(boards.len(), 1, "one board goal, shared");
        assert_eq!(
            store
                .goals_at_level(2031, GoalLevel::Area)
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            store
                .goals_at_level(2031, GoalLevel::Unit)
                .await
                .unwrap()
                .len(),
            2,
            "each unit has its own"
        );
        // A board text that differs is a new version of the same goal, and each plan shows its own.
        let mut changed = snippet("Skogsenheten");
        changed.goals[2].sections.0[0].1 = "Nämnden planterar fler träd än förut.".into();
        import(&store, &[&changed]).await.unwrap();
        assert_eq!(
            store
                .goals_at_level(2031, GoalLevel::Board)
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            store
                .goal_texts(boards[0].id)
                .await
                .unwrap()
                .iter()
                .filter(|v| v.section == GoalSection::Description)
                .count(),
            2
        );
        let units = store.org_nodes().await.unwrap();
        let id = |name: &str| units.iter().find(|n| n.name == name).unwrap().id;
        let text = |doc: malkedja_domain::PlanDocument| {
            doc.goals[0].children[0].children[0].sections[0].1.clone()
        };
        assert_eq!(
            text(
                store
                    .plan_document(id("Trädgårdsenheten"), 2031)
                    .await
                    .unwrap()
                    .unwrap()
            ),
            "Nämnden planterar träd."
        );
        assert_eq!(
            text(
                store
                    .plan_document(id("Skogsenheten"), 2031)
                    .await
                    .unwrap()
                    .unwrap()
            ),
            "Nämnden planterar fler träd än förut."
        );
    }
);

both_backends!(
    a_failed_import_leaves_the_database_as_it_was,
    |store: Store| async move {
        let a = snippet("Trädgårdsenheten");
        import(&store, &[&a]).await.unwrap();
        let events = store.audit_count().await.unwrap();
        let nodes = store.org_nodes().await.unwrap();
        // The second document cannot be placed: everything of this import is thrown away.
        let b = snippet("Parkenheten");
        let mut w = store.begin_write("import").await.unwrap();
        import_document(&mut w, &b, &ImportOptions::default())
            .await
            .unwrap();
        let err = import_document(
            &mut w,
            &a,
            &ImportOptions {
                unit: UnitChoice::Id(malkedja_domain::NodeId(999_999)),
                under: None,
            },
        )
        .await
        .unwrap_err();
        assert!(err.is_not_found(), "{err}");
        drop(w);
        assert_eq!(store.audit_count().await.unwrap(), events);
        assert_eq!(store.org_nodes().await.unwrap(), nodes);
    }
);

both_backends!(
    the_real_documents_import_faithfully,
    |store: Store| async move {
        let Some(files) = malkedja_store::testing::seed_files() else {
            return;
        };
        let docs: Vec<ImportDocument> = files
            .iter()
            .map(|(_, b)| malkedja_import::parse_bytes(b).unwrap())
            .collect();
        let refs: Vec<&ImportDocument> = docs.iter().collect();
        import(&store, &refs).await.unwrap();

        // The plans and the annual report of 2025 share one board goal.
        let boards = store.goals_at_level(2025, GoalLevel::Board).await.unwrap();
        let employer: Vec<_> = boards
            .iter()
            .filter(|g| {
                g.title
                    .starts_with("Stadsdelsnämnden är en attraktiv arbetsgivare")
            })
            .collect();
        assert_eq!(employer.len(), 1, "{employer:?}");
        assert_eq!(
            store
                .goals_at_level(2026, GoalLevel::Board)
                .await
                .unwrap()
                .iter()
                .filter(|g| g
                    .title
                    .starts_with("Stadsdelsnämnden är en attraktiv arbetsgivare"))
                .count(),
            1
        );
        assert_eq!(
            store
                .goals_at_level(2025, GoalLevel::Direction)
                .await
                .unwrap()
                .len(),
            3
        );

        let units = store.org_nodes().await.unwrap();
        for d in &docs {
            let unit = units
                .iter()
                .find(|n| n.name == d.unit)
                .unwrap_or_else(|| panic!("{} was created", d.unit));
            match d.kind {
                malkedja_import::DocumentKind::Plan => {
                    let plan = store
                        .plan_document(unit.id, d.year)
                        .await
                        .unwrap()
                        .expect("the plan exists");
                    let shown: usize = plan.goals.iter().map(|g| g.walk().len()).sum();
                    assert_eq!(
                        shown,
                        d.goals.len(),
                        "{}: every goal of the document is in its plan",
                        d.unit
                    );
                    let acts: usize = plan
                        .goals
                        .iter()
                        .flat_map(|g| g.walk())
                        .map(|g| g.activities.len())
                        .sum();
                    assert_eq!(acts, d.activities.len(), "{}: every activity", d.unit);
                    let inds: usize = plan
                        .goals
                        .iter()
                        .flat_map(|g| g.walk())
                        .map(|g| g.indicators.len())
                        .sum();
                    assert!(inds >= d.indicators.len(), "{}: every indicator", d.unit);
                }
                malkedja_import::DocumentKind::AnnualReport => {
                    let report = store
                        .report_document(unit.id, d.year, ReportKind::AnnualReport)
                        .await
                        .unwrap()
                        .expect("the report exists");
                    assert_eq!(
                        report
                            .assessments
                            .values()
                            .filter(|a| a.assessment.is_some())
                            .count(),
                        d.goals.iter().filter(|g| g.assessment.is_some()).count()
                    );
                    assert_eq!(
                        report.outcomes.len(),
                        d.indicators
                            .iter()
                            .filter(|i| i.outcome.is_some()
                                || i.analysis.is_some()
                                || i.period.is_some())
                            .count()
                    );
                    assert_eq!(
                        report
                            .followups
                            .values()
                            .filter(|f| f.status.is_some())
                            .count(),
                        d.activities.iter().filter(|a| a.status.is_some()).count()
                    );
                    assert_eq!(report.complaints.len(), d.complaints.len());
                    assert!(
                        report
                            .sections
                            .iter()
                            .any(|s| s.heading == "Sammanfattande analys" && !s.body.is_empty())
                    );
                }
                _ => {}
            }
        }

        // The annual report revised board texts: those are new versions, and the plan of the
        // year still shows what it was written with.
        let revised = employer[0];
        let texts = store.goal_texts(revised.id).await.unwrap();
        assert!(
            texts
                .iter()
                .filter(|v| v.section == GoalSection::Description)
                .count()
                >= 2,
            "the report's revised text is a new version"
        );
        let text_in = |goals: &[malkedja_domain::CascadeGoal]| {
            goals
                .iter()
                .flat_map(|g| g.walk())
                .find(|g| g.goal.id == revised.id)
                .and_then(|g| {
                    g.sections
                        .iter()
                        .find(|(s, _)| *s == GoalSection::Description)
                })
                .map(|(_, t)| t.clone())
        };
        let of = |kind: malkedja_import::DocumentKind| {
            docs.iter()
                .find(|d| d.kind == kind && d.year == 2025)
                .unwrap()
        };
        let plan_unit = units
            .iter()
            .find(|n| n.name == of(malkedja_import::DocumentKind::Plan).unit)
            .unwrap();
        let report_unit = units
            .iter()
            .find(|n| n.name == of(malkedja_import::DocumentKind::AnnualReport).unit)
            .unwrap();
        let in_plan = text_in(
            &store
                .plan_document(plan_unit.id, 2025)
                .await
                .unwrap()
                .unwrap()
                .goals,
        )
        .expect("the plan shows the board goal");
        let in_report = text_in(
            &store
                .report_document(report_unit.id, 2025, ReportKind::AnnualReport)
                .await
                .unwrap()
                .unwrap()
                .goals,
        )
        .expect("the report shows the board goal");
        assert_ne!(
            in_plan, in_report,
            "each document shows the text it was written with"
        );

        // Importing all of it again changes nothing.
        let events = store.audit_count().await.unwrap();
        let mut w = store.begin_write("import").await.unwrap();
        for d in &docs {
            let s = import_document(&mut w, d, &ImportOptions::default())
                .await
                .unwrap();
            assert!(!s.changed_anything(), "{}: {s:?}", d.unit);
        }
        w.commit().await.unwrap();
        assert_eq!(store.audit_count().await.unwrap(), events);
    }
);
