//! Indicators reported for women and men (`by_sex`, migration 0019): written with the
//! indicator (versioned, audited), read with it everywhere, refused for a text indicator;
//! the migration's default from the outcomes already stored; an import marks an indicator
//! when its document gives women's or men's outcomes. On SQLite and PostgreSQL.

use malkedja_domain::{
    Direction, DomainError, GoalLevel, GoalSection, IndicatorId, NewGoal, NewIndicator,
    Periodicity, PlanDocument, Target, ValueKind,
};
use malkedja_import::{DocumentKind, ImportDocument, ParseOptions, parse_with};
use malkedja_store::import::{ImportOptions, import_document};
use malkedja_store::testing::{SmallOrg, execute_raw, same_backend_up_to, small_org};
use malkedja_store::{IndicatorEdit, Store, StoreError, both_backends};

const WRITER: &str = "chef@example.se";

fn new_indicator(org: &SmallOrg, goal: malkedja_domain::GoalId, kind: ValueKind) -> NewIndicator {
    NewIndicator {
        year: 2025,
        goal_id: goal,
        owner_id: org.unit,
        name: "Andel nöjda brukare".into(),
        unit_of_measure: Some("%".into()),
        periodicity: Periodicity::Tertial,
        direction: Direction::HigherIsBetter,
        value_kind: kind,
        by_sex: true,
        council_target: None,
        position: 0,
    }
}

fn edit(by_sex: bool, kind: ValueKind) -> IndicatorEdit {
    IndicatorEdit {
        name: "Andel nöjda brukare".into(),
        unit_of_measure: Some("%".into()),
        periodicity: Periodicity::Tertial,
        direction: Direction::HigherIsBetter,
        value_kind: kind,
        by_sex,
        target: None,
    }
}

async fn shown_by_sex(store: &Store, org: &SmallOrg, id: IndicatorId) -> bool {
    let doc: PlanDocument = store.plan_document(org.unit, 2025).await.unwrap().unwrap();
    doc.goals
        .iter()
        .flat_map(|g| g.walk())
        .flat_map(|g| &g.indicators)
        .find(|v| v.indicator.id == id)
        .expect("the plan shows the indicator")
        .indicator
        .by_sex
}

both_backends!(
    an_indicator_is_written_and_read_with_whether_it_is_by_sex,
    |store: Store| async move {
        let org = small_org(&store).await;
        let mut w = store.begin_write(WRITER).await.unwrap();
        let goal = w
            .add_goal(
                NewGoal {
                    year: 2025,
                    level: GoalLevel::Unit,
                    owner_id: org.unit,
                    parent_id: Some(org.board_goal),
                    number: None,
                    title: "Nöjda brukare".into(),
                    position: 0,
                },
                &[(GoalSection::ExpectedResult, "Fler nöjda".into())],
            )
            .await
            .unwrap();
        let added = w
            .add_indicator(
                new_indicator(&org, goal.id, ValueKind::Percent),
                Target::typed("90 %", ValueKind::Percent).unwrap(),
            )
            .await
            .unwrap();
        assert!(added.by_sex);
        // A text indicator cannot be reported for women and men.
        let e = w
            .add_indicator(new_indicator(&org, goal.id, ValueKind::Text), None)
            .await
            .unwrap_err();
        assert!(
            matches!(e, StoreError::Domain(DomainError::TextBySex)),
            "{e:?}"
        );
        w.commit().await.unwrap();

        let id = added.id;
        let read = store.indicator_for_editing(id).await.unwrap().unwrap();
        assert!(read.indicator.by_sex);
        assert!(shown_by_sex(&store, &org, id).await);
        let on_goal = store.goal_for_editing(goal.id).await.unwrap().unwrap();
        assert!(on_goal.indicators[0].by_sex);

        // Saved like every other field: from the version read, audited.
        let mut w = store.begin_write(WRITER).await.unwrap();
        let saved = w
            .save_indicator(id, added.version, &edit(false, ValueKind::Percent))
            .await
            .unwrap();
        assert!(!saved.by_sex);
        assert_eq!(saved.version, added.version + 1);
        w.commit().await.unwrap();
        assert!(!shown_by_sex(&store, &org, id).await);
        let mut w = store.begin_write(WRITER).await.unwrap();
        let stale = w
            .save_indicator(id, added.version, &edit(true, ValueKind::Percent))
            .await;
        assert!(
            matches!(stale, Err(StoreError::Conflict { .. })),
            "{stale:?}"
        );
        drop(w);
        assert!(
            !store
                .indicator_for_editing(id)
                .await
                .unwrap()
                .unwrap()
                .indicator
                .by_sex
        );

        // Turned into a text indicator, it cannot stay by sex; without the mark it can.
        let mut w = store.begin_write(WRITER).await.unwrap();
        let e = w
            .save_indicator(id, saved.version, &edit(true, ValueKind::Text))
            .await
            .unwrap_err();
        assert!(
            matches!(e, StoreError::Domain(DomainError::TextBySex)),
            "{e:?}"
        );
        drop(w);
        let mut w = store.begin_write(WRITER).await.unwrap();
        let again = w
            .save_indicator(id, saved.version, &edit(true, ValueKind::Number))
            .await
            .unwrap();
        assert!(again.by_sex);
        w.commit().await.unwrap();

        let trail = store
            .audit_trail("indicator", &id.to_string())
            .await
            .unwrap();
        let flags: Vec<(Option<bool>, Option<bool>)> = trail
            .iter()
            .map(|e| {
                let flag =
                    |v: &Option<serde_json::Value>| v.as_ref().and_then(|v| v["by_sex"].as_bool());
                (flag(&e.before), flag(&e.after))
            })
            .collect();
        assert_eq!(
            flags,
            [
                (None, Some(true)),
                (Some(true), Some(false)),
                (Some(false), Some(true))
            ]
        );
    }
);

both_backends!(
    the_migration_marks_indicators_with_women_or_men_stored,
    |store: Store| async move {
        // A database as it was before migration 0019, with outcomes of every kind.
        let db = same_backend_up_to(&store, 18).await;
        let old = &db.store;
        let org = small_org(old).await;
        let now = "2025-05-01T00:00:00Z";
        let indicators = [
            ("Andel nöjda brukare", "percent"),
            ("Antal deltagare", "number"),
            ("Andel ekologiska livsmedel", "percent"),
            ("Beskrivning", "text"),
            ("Andel verksamheter med råd", "percent"),
            ("Antal besökare", "number"),
        ];
        for (name, kind) in indicators {
            execute_raw(
                old,
                &format!(
                    "INSERT INTO indicator (year, goal_id, owner_id, name, periodicity, direction, value_kind, position, version, created_at, updated_at) \
                     VALUES (2025, {}, {}, '{name}', 'tertial', 'higher_is_better', '{kind}', 0, 1, '{now}', '{now}')",
                    org.board_goal, org.board
                ),
            )
            .await
            .unwrap();
        }
        execute_raw(
            old,
            &format!(
                "INSERT INTO report (plan_id, kind, status, written_at, version, created_at, updated_at) \
                 VALUES ({}, 'tertial1', 'draft', '{now}', 1, '{now}', '{now}')",
                org.plan
            ),
        )
        .await
        .unwrap();
        // (name, women, men) as stored: NULL, an empty text, or a figure.
        let outcomes = [
            ("Andel nöjda brukare", "'80 %'", "'76 %'"),
            ("Antal deltagare", "NULL", "'7'"),
            ("Andel ekologiska livsmedel", "NULL", "NULL"),
            ("Beskrivning", "'Bra'", "NULL"),
            ("Andel verksamheter med råd", "''", "' '"),
        ];
        for (name, women, men) in outcomes {
            execute_raw(
                old,
                &format!(
                    "INSERT INTO indicator_outcome (report_id, indicator_id, outcome_text, women_text, men_text, version, updated_at) \
                     SELECT r.id, i.id, '1', {women}, {men}, 1, '{now}' FROM report r, indicator i WHERE i.name = '{name}'"
                ),
            )
            .await
            .unwrap();
        }

        old.migrate().await.unwrap();
        let found = old.goal_for_editing(org.board_goal).await.unwrap().unwrap();
        let mut marked: Vec<(&str, bool)> = found
            .indicators
            .iter()
            .map(|i| (i.name.as_str(), i.by_sex))
            .collect();
        marked.sort();
        assert_eq!(
            marked,
            [
                ("Andel ekologiska livsmedel", false),
                ("Andel nöjda brukare", true),
                ("Andel verksamheter med råd", false),
                ("Antal besökare", false),
                ("Antal deltagare", true),
                ("Beskrivning", false),
            ]
        );
        db.finish().await;
    }
);

const PLAN: &str = "Inledning \nEnhetens uppdrag \nVi hjälper invånarna i Exempelby med allt som rör trädgårdar. \n\nKF:s inriktningsmål: 1. Ett påhittat inriktningsmål för \nhela staden \n\nKF:s mål för verksamhetsområdet: 1.2 Ett påhittat områdesmål \n\n  Indikator Årsmål KF:s årsmål år 2031 Periodicitet \n\n Andel nöjda \nträdgårdsägare \n\n80 % 75 % År \n\nNämndmål: Nämnden sköter parkerna väl \n\nBeskrivning \n\nNämnden planterar träd. \n\nFörväntat resultat \n\n- Fler träd. \n  Aktivitet Startdatum Slutdatum \n\n Nämnden planterar hundra ekar 2031-03-01 2031-10-31 \n\nEnhetsmål: Enheten vattnar alla rabatter \n\nFörväntat resultat \n\nInga rabatter torkar. \n\nArbetssätt \n\nVi vattnar varje morgon. \n\n Redovisning av ekonomi \n\nBudget 2031 \nBudgeten är 3 mnkr. \n";

fn plan(unit: &str) -> ImportDocument {
    parse_with(
        PLAN,
        &ParseOptions {
            unit: Some(unit.into()),
            year: Some(2031),
        },
    )
    .expect("the snippet parses")
}

/// The plan's annual report, with an outcome for the indicator, for women and men when
/// `split`.
fn annual_report(unit: &str, split: bool) -> ImportDocument {
    let mut d = plan(unit);
    d.kind = DocumentKind::AnnualReport;
    let i = &mut d.indicators[0];
    i.outcome = Some("78 %".into());
    if split {
        i.outcome_women = Some("80 %".into());
        i.outcome_men = Some("76 %".into());
    }
    d
}

async fn import(store: &Store, d: &ImportDocument) -> malkedja_store::import::ImportSummary {
    let mut w = store.begin_write("import").await.unwrap();
    let s = import_document(&mut w, d, &ImportOptions::default())
        .await
        .unwrap();
    w.commit().await.unwrap();
    s
}

async fn imported_indicator(store: &Store) -> malkedja_domain::Indicator {
    let area = store.goals_at_level(2031, GoalLevel::Area).await.unwrap()[0].clone();
    let found = store.goal_for_editing(area.id).await.unwrap().unwrap();
    assert_eq!(found.indicators.len(), 1, "{:?}", found.indicators);
    found.indicators[0].clone()
}

both_backends!(
    an_imported_indicator_is_by_sex_when_its_document_gives_women_and_men,
    |store: Store| async move {
        // A plan gives no outcomes: the indicator is not reported for women and men.
        import(&store, &plan("Trädgårdsenheten")).await;
        let before = imported_indicator(&store).await;
        assert!(!before.by_sex);
        // Its annual report without women and men changes nothing.
        import(&store, &annual_report("Trädgårdsenheten", false)).await;
        assert!(!imported_indicator(&store).await.by_sex);
        // With them, the indicator is marked, said in the summary and audited, once.
        let s = import(&store, &annual_report("Trädgårdsenheten", true)).await;
        assert!(
            s.notes
                .iter()
                .any(|n| n.contains("redovisas nu för kvinnor och män")),
            "{:?}",
            s.notes
        );
        let after = imported_indicator(&store).await;
        assert!(after.by_sex);
        assert_eq!(after.version, before.version + 1);
        let s = import(&store, &annual_report("Trädgårdsenheten", true)).await;
        assert!(
            !s.notes.iter().any(|n| n.contains("kvinnor och män")),
            "{:?}",
            s.notes
        );
        assert_eq!(imported_indicator(&store).await.version, after.version);
        let trail = store
            .audit_trail("indicator", &after.id.to_string())
            .await
            .unwrap();
        let actions: Vec<(&str, &str)> = trail
            .iter()
            .map(|e| (e.action.as_str(), e.actor.as_str()))
            .collect();
        assert_eq!(actions, [("create", "import"), ("update", "import")]);
    }
);

both_backends!(
    an_indicator_first_imported_with_women_and_men_is_by_sex,
    |store: Store| async move {
        import(&store, &annual_report("Parkenheten", true)).await;
        assert!(imported_indicator(&store).await.by_sex);
    }
);
