//! Store round trips and the cascade's invariants, on SQLite and PostgreSQL alike.

use malkedja_domain::{
    Direction, DomainError, GoalLevel, GoalSection, Measure, NewActivity, NewGoal, NewIndicator,
    NewNode, NodeId, OrgKind, Periodicity, StaffCount, Target, UnitFacts, ValueKind,
};
use malkedja_store::{DocRef, Item, Store, StoreError, both_backends};
use time::macros::{date, datetime};

struct Org {
    city: NodeId,
    board: NodeId,
    unit: NodeId,
    other_unit: NodeId,
}

async fn org(store: &Store) -> Org {
    let mut w = store.begin_write("test").await.unwrap();
    let mut node = async |parent: Option<NodeId>, kind: OrgKind, name: &str| {
        w.create_node(NewNode {
            parent_id: parent,
            kind,
            name: name.into(),
            position: 0,
        })
        .await
        .unwrap()
        .id
    };
    let city = node(None, OrgKind::City, "Staden").await;
    let board = node(Some(city), OrgKind::Board, "Nämnden").await;
    let admin = node(Some(board), OrgKind::Administration, "Förvaltningen").await;
    let dept = node(Some(admin), OrgKind::Department, "Avdelningen").await;
    let unit = node(Some(dept), OrgKind::Unit, "Enheten").await;
    let other_unit = node(Some(dept), OrgKind::Unit, "Grannenheten").await;
    node(Some(unit), OrgKind::Operation, "Verksamheten").await;
    w.commit().await.unwrap();
    Org {
        city,
        board,
        unit,
        other_unit,
    }
}

fn goal(
    level: GoalLevel,
    owner: NodeId,
    parent: Option<malkedja_domain::GoalId>,
    number: Option<&str>,
    title: &str,
) -> NewGoal {
    NewGoal {
        year: 2025,
        level,
        owner_id: owner,
        parent_id: parent,
        number: number.map(Into::into),
        title: title.into(),
        position: 0,
    }
}

both_backends!(organisation_round_trip, |store: Store| async move {
    let o = org(&store).await;
    let nodes = store.org_nodes().await.unwrap();
    assert_eq!(nodes.len(), 7);
    let chain = store.chain(o.unit).await.unwrap();
    let kinds: Vec<OrgKind> = chain.iter().map(|n| n.kind).collect();
    assert_eq!(
        kinds,
        [
            OrgKind::Unit,
            OrgKind::Department,
            OrgKind::Administration,
            OrgKind::Board,
            OrgKind::City
        ]
    );
    assert_eq!(chain.last().unwrap().id, o.city);
    let kids = store.children(o.unit).await.unwrap();
    assert_eq!(kids[0].name, "Verksamheten");

    // The tree's rules hold in the store too.
    let mut w = store.begin_write("test").await.unwrap();
    let err = w
        .create_node(NewNode {
            parent_id: Some(o.city),
            kind: OrgKind::Unit,
            name: "Fel".into(),
            position: 0,
        })
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Domain(DomainError::NodeParent { .. })),
        "{err}"
    );
    let err = w
        .create_node(NewNode {
            parent_id: Some(NodeId(999_999)),
            kind: OrgKind::Unit,
            name: "Fel".into(),
            position: 0,
        })
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    w.rollback().await.unwrap();
    assert_eq!(store.org_nodes().await.unwrap().len(), 7);
});

both_backends!(facts_round_trip_and_conflict, |store: Store| async move {
    let o = org(&store).await;
    let mut facts = UnitFacts::empty(o.unit, 2025);
    facts.staff = vec![StaffCount {
        role: "Stödpedagoger".into(),
        women: 12,
        men: 4,
    }];
    facts.clients = Some(120);
    facts.budget_kr = Some("28500000.50".parse().unwrap());
    let mut w = store.begin_write("anna").await.unwrap();
    let saved = w.save_facts(&facts).await.unwrap();
    w.commit().await.unwrap();
    assert_eq!(saved.version, 1);
    let loaded = store.unit_facts(o.unit, 2025).await.unwrap().unwrap();
    assert_eq!(
        loaded.budget_kr, facts.budget_kr,
        "decimals are stored exactly"
    );
    assert_eq!(loaded.staff_totals(), (12, 4, 16));

    // A save from the stale version 0 is a conflict, not an overwrite.
    let mut w = store.begin_write("bertil").await.unwrap();
    let err = w.save_facts(&facts).await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                expected: 0,
                actual: 1,
                ..
            }
        ),
        "{err}"
    );
    w.rollback().await.unwrap();
    assert_eq!(
        store
            .unit_facts(o.unit, 2025)
            .await
            .unwrap()
            .unwrap()
            .clients,
        Some(120)
    );
});

both_backends!(
    cascade_invariants_hold_in_the_store,
    |store: Store| async move {
        let o = org(&store).await;
        let mut w = store.begin_write("test").await.unwrap();
        let dir = w
            .create_goal(goal(
                GoalLevel::Direction,
                o.city,
                None,
                Some("1"),
                "Inriktning",
            ))
            .await
            .unwrap();
        let area = w
            .create_goal(goal(
                GoalLevel::Area,
                o.city,
                Some(dir.id),
                Some("1.3"),
                "Område",
            ))
            .await
            .unwrap();
        let board = w
            .create_goal(goal(
                GoalLevel::Board,
                o.board,
                Some(area.id),
                None,
                "Nämndmål",
            ))
            .await
            .unwrap();
        w.commit().await.unwrap();

        let mut w = store.begin_write("test").await.unwrap();
        // An area goal's number begins with its direction goal's.
        let err = w
            .create_goal(goal(
                GoalLevel::Area,
                o.city,
                Some(dir.id),
                Some("2.1"),
                "Fel",
            ))
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Domain(DomainError::AreaNumber { .. })),
            "{err}"
        );
        // A unit goal hangs under a board or department goal, not an area goal.
        let err = w
            .create_goal(goal(GoalLevel::Unit, o.unit, Some(area.id), None, "Fel"))
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Domain(DomainError::GoalParent { .. })),
            "{err}"
        );
        // … of the same year.
        let mut next_year = goal(GoalLevel::Unit, o.unit, Some(board.id), None, "Fel år");
        next_year.year = 2026;
        let err = w.create_goal(next_year).await.unwrap_err();
        assert!(
            matches!(err, StoreError::Domain(DomainError::GoalYear { .. })),
            "{err}"
        );
        // Board goals are owned by the board, not by a unit.
        let err = w
            .create_goal(goal(GoalLevel::Board, o.unit, Some(area.id), None, "Fel"))
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Domain(DomainError::GoalOwner { .. })),
            "{err}"
        );
        w.rollback().await.unwrap();

        // A unit cannot select a goal of another unit: it is not above it.
        let mut w = store.begin_write("test").await.unwrap();
        let theirs = w
            .create_goal(goal(
                GoalLevel::Unit,
                o.other_unit,
                Some(board.id),
                None,
                "Grannens mål",
            ))
            .await
            .unwrap();
        let plan = w.create_plan(o.unit, 2025).await.unwrap();
        let err = w.select_goal(plan.id, theirs.id).await.unwrap_err();
        assert!(
            matches!(err, StoreError::Domain(DomainError::GoalNotInherited)),
            "{err}"
        );
        w.rollback().await.unwrap();
        assert_eq!(
            store
                .goals_at_level(2025, GoalLevel::Unit)
                .await
                .unwrap()
                .len(),
            0,
            "rolled back"
        );
    }
);

both_backends!(
    plan_round_trip_with_versions_and_audit,
    |store: Store| async move {
        let o = org(&store).await;
        let mut w = store.begin_write("admin").await.unwrap();
        let dir = w
            .create_goal(goal(
                GoalLevel::Direction,
                o.city,
                None,
                Some("1"),
                "Inriktning ett",
            ))
            .await
            .unwrap();
        let area = w
            .create_goal(goal(
                GoalLevel::Area,
                o.city,
                Some(dir.id),
                Some("1.3"),
                "Område ett tre",
            ))
            .await
            .unwrap();
        w.create_goal(goal(
            GoalLevel::Direction,
            o.city,
            None,
            Some("2"),
            "Inriktning två",
        ))
        .await
        .unwrap();
        let board = w
            .create_goal(goal(
                GoalLevel::Board,
                o.board,
                Some(area.id),
                None,
                "Nämndens mål",
            ))
            .await
            .unwrap();
        w.set_goal_text(
            board.id,
            GoalSection::Description,
            "Första lydelsen",
            datetime!(2024-12-01 0:00 UTC),
        )
        .await
        .unwrap();
        // A revision in force from a date in the future is not shown yet.
        w.set_goal_text(
            board.id,
            GoalSection::Description,
            "Framtida lydelse",
            datetime!(2999-01-01 0:00 UTC),
        )
        .await
        .unwrap();
        let again = w
            .set_goal_text(
                board.id,
                GoalSection::Description,
                "Framtida lydelse",
                datetime!(2999-01-01 0:00 UTC),
            )
            .await
            .unwrap();
        assert!(again.is_none(), "the same text twice is no new version");
        let council_ind = w
            .create_indicator(NewIndicator {
                year: 2025,
                goal_id: area.id,
                owner_id: o.city,
                name: "Andel nöjda brukare".into(),
                unit_of_measure: Some("%".into()),
                periodicity: Periodicity::Year,
                direction: Direction::HigherIsBetter,
                value_kind: ValueKind::Percent,
                by_sex: false,
                council_target: Some(Target::Value(Measure::parse("58,84 %"))),
                position: 0,
            })
            .await
            .unwrap();
        let board_act = w
            .create_activity(NewActivity {
                year: 2025,
                goal_id: board.id,
                owner_id: o.board,
                title: "Nämnden utbildar".into(),
                start: date!(2024 - 01 - 01),
                end: date!(2025 - 12 - 31),
                position: 0,
            })
            .await
            .unwrap();
        let unit_goal = w
            .create_goal(goal(
                GoalLevel::Unit,
                o.unit,
                Some(board.id),
                None,
                "Enhetens mål",
            ))
            .await
            .unwrap();
        for (s, body) in [
            (GoalSection::ExpectedResult, "Resultat"),
            (GoalSection::WorkingMethods, "Så arbetar vi"),
            (GoalSection::FollowUp, "Följs upp"),
        ] {
            w.set_goal_text(unit_goal.id, s, body, datetime!(2024-12-01 0:00 UTC))
                .await
                .unwrap();
        }
        let err = w
            .set_goal_text(
                unit_goal.id,
                GoalSection::Description,
                "Fel",
                datetime!(2024-12-01 0:00 UTC),
            )
            .await
            .unwrap_err();
        assert!(matches!(
            err,
            StoreError::Domain(DomainError::SectionLevel { .. })
        ));
        let unit_ind = w
            .create_indicator(NewIndicator {
                year: 2025,
                goal_id: unit_goal.id,
                owner_id: o.unit,
                name: "Sjukfrånvaro".into(),
                unit_of_measure: Some("%".into()),
                periodicity: Periodicity::Tertial,
                direction: Direction::LowerIsBetter,
                value_kind: ValueKind::Percent,
                by_sex: false,
                council_target: Some(Target::SetByBoard {
                    text: "Tas fram av nämnd".into(),
                }),
                position: 0,
            })
            .await
            .unwrap();
        let plan = w.create_plan(o.unit, 2025).await.unwrap();
        let doc = DocRef::Plan(plan.id);
        w.include(doc, Item::Goal(unit_goal.id)).await.unwrap();
        w.set_document_target(
            doc,
            unit_ind.id,
            Some(Target::Value(Measure::parse("6,5 %"))),
        )
        .await
        .unwrap();
        let own_act = w
            .create_activity(NewActivity {
                year: 2025,
                goal_id: unit_goal.id,
                owner_id: o.unit,
                title: "Egen aktivitet".into(),
                start: date!(2025 - 02 - 01),
                end: date!(2025 - 06 - 30),
                position: 0,
            })
            .await
            .unwrap();
        w.include(doc, Item::Activity(own_act.id)).await.unwrap();
        w.select_indicator(plan.id, council_ind.id).await.unwrap();
        w.select_activity(plan.id, board_act.id).await.unwrap();
        w.save_plan_section(plan.id, "uppdrag", "Vi finns till för invånarna.", 0)
            .await
            .unwrap();
        w.commit().await.unwrap();

        let doc = store
            .plan_document(o.unit, 2025)
            .await
            .unwrap()
            .expect("plan exists");
        assert_eq!(doc.unit.id, o.unit);
        assert_eq!(
            doc.goals.len(),
            1,
            "a direction goal with nothing under it is left out"
        );
        let area_v = &doc.goals[0].children[0];
        assert_eq!(area_v.goal.number.as_deref(), Some("1.3"));
        let ci = &area_v.indicators[0];
        assert_eq!(
            ci.indicator.council_target,
            Some(Target::Value(Measure {
                text: "58,84 %".into(),
                value: Some("58.84".parse().unwrap())
            })),
            "numbers come back exactly"
        );
        let board_v = &area_v.children[0];
        assert_eq!(
            board_v.sections,
            vec![(GoalSection::Description, "Första lydelsen".to_string())]
        );
        assert_eq!(board_v.activities[0].start, date!(2024 - 01 - 01));
        let unit_v = &board_v.children[0];
        assert!(!unit_v.inherited);
        assert_eq!(unit_v.sections.len(), 3);
        assert_eq!(
            unit_v.indicators[0].target.as_ref().unwrap().text(),
            "6,5 %"
        );
        assert_eq!(
            unit_v.indicators[0].indicator.periodicity,
            Periodicity::Tertial
        );
        assert_eq!(
            doc.sections_before[0].children[0].body,
            "Vi finns till för invånarna."
        );
        assert_eq!(doc.operations.len(), 1);

        // The other unit's plan does not show this unit's goal.
        let mut w = store.begin_write("admin").await.unwrap();
        w.create_plan(o.other_unit, 2025).await.unwrap();
        w.commit().await.unwrap();
        let other = store
            .plan_document(o.other_unit, 2025)
            .await
            .unwrap()
            .unwrap();
        assert!(other.goals.is_empty(), "nothing selected, nothing own");
        assert!(store.plan_document(o.unit, 2031).await.unwrap().is_none());

        // Stale section saves are conflicts; the first writer's text survives.
        let mut w = store.begin_write("bertil").await.unwrap();
        let s = w
            .save_plan_section(plan.id, "uppdrag", "Bertils text", 1)
            .await
            .unwrap();
        assert_eq!(s.version, 2);
        w.commit().await.unwrap();
        let mut w = store.begin_write("cecilia").await.unwrap();
        let err = w
            .save_plan_section(plan.id, "uppdrag", "Cecilias text", 1)
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::Conflict {
                    expected: 1,
                    actual: 2,
                    ..
                }
            ),
            "{err}"
        );
        let err = w
            .save_plan_section(plan.id, "finns_inte", "x", 0)
            .await
            .unwrap_err();
        assert!(err.is_not_found());
        w.rollback().await.unwrap();
        assert_eq!(
            store
                .plan_section(plan.id, "uppdrag")
                .await
                .unwrap()
                .unwrap()
                .body,
            "Bertils text"
        );

        // Every change is in the audit trail, with before and after.
        let trail = store
            .audit_trail("plan_section", &format!("{}/uppdrag", plan.id))
            .await
            .unwrap();
        assert_eq!(trail.len(), 2);
        assert_eq!(trail[1].actor, "bertil");
        assert_eq!(
            trail[1].before.as_ref().unwrap()["body"],
            "Vi finns till för invånarna."
        );
        assert_eq!(trail[1].after.as_ref().unwrap()["body"], "Bertils text");
        assert!(store.audit_count().await.unwrap() > 15);
        assert_eq!(store.years().await.unwrap(), vec![2025]);
        assert_eq!(store.plans_of(o.unit).await.unwrap().len(), 1);
        assert_eq!(
            store.goal_texts(board.id).await.unwrap().len(),
            2,
            "both versions are kept"
        );
    }
);

both_backends!(migrating_twice_is_harmless, |store: Store| async move {
    store.migrate().await.unwrap();
    store.ping().await.unwrap();
});

#[tokio::test]
async fn unreachable_database_is_a_clear_error() {
    let url = malkedja_store::DatabaseUrl::parse("postgres://nobody@127.0.0.1:1/none").unwrap();
    let err = Store::connect(&url).await.unwrap_err();
    assert!(matches!(err, StoreError::Connect { .. }));
    assert!(
        err.to_string()
            .starts_with("kunde inte ansluta till databasen"),
        "{err}"
    );
}
