//! What a unit chooses for its plan (urval) and the plan's facts about the unit: applied in
//! one write, audited, versioned (a stale form is a conflict, never a mix), refused on a
//! plan that is not open for writing. On SQLite and PostgreSQL.

use malkedja_domain::{
    ActivityId, Direction, DomainError, GoalId, GoalLevel, IndicatorId, Manager, NewActivity,
    NewGoal, NewIndicator, NewNode, NodeId, OrgKind, Periodicity, PlanId, PlanStatus, Selection,
    StaffCount, Target, UnitFacts, ValueKind,
};
use malkedja_store::testing::small_org;
use malkedja_store::{DocRef, Store, StoreError, both_backends, count_queries};
use time::macros::date;

struct Fixture {
    unit: NodeId,
    operation: NodeId,
    /// The unit's department: above the unit, not the plan's to describe.
    department_node: NodeId,
    plan: PlanId,
    area: GoalId,
    /// Board goal 1, with activities 1 and 2 and department goal `department` under it.
    board1: GoalId,
    /// Board goal 2, with the unit's own goal `own` under it.
    board2: GoalId,
    department: GoalId,
    own: GoalId,
    council_indicator: IndicatorId,
    activity1: ActivityId,
    activity2: ActivityId,
}

/// A goal of the fixture: level, owner (index in the nodes), parent (index in the goals
/// before it), number, title.
type GoalRow = (
    GoalLevel,
    usize,
    Option<usize>,
    Option<&'static str>,
    &'static str,
);

/// The small organisation of the tests, with an operation under its unit; for 2026 a
/// council direction and area goal with an indicator; two board goals, the first with two activities and a
/// department goal under it, the second with the unit's own goal; the unit's draft plan for
/// 2026, holding its own goal.
async fn fixture(store: &Store) -> Fixture {
    let org = small_org(store).await;
    let mut w = store.begin_write("test").await.unwrap();
    let operation = w
        .create_node(NewNode {
            parent_id: Some(org.unit),
            kind: OrgKind::Operation,
            name: "Verksamheten".into(),
            position: 0,
        })
        .await
        .unwrap();
    let nodes = [
        org.city,
        org.board,
        org.administration,
        org.department,
        org.unit,
        operation.id,
    ];
    let plan: [GoalRow; 6] = [
        (GoalLevel::Direction, 0, None, Some("1"), "Inriktning"),
        (GoalLevel::Area, 0, Some(0), Some("1.1"), "Område"),
        (GoalLevel::Board, 1, Some(1), None, "Nämndmål 1"),
        (GoalLevel::Board, 1, Some(1), None, "Nämndmål 2"),
        (GoalLevel::Department, 3, Some(2), None, "Avdelningsmål"),
        (GoalLevel::Unit, 4, Some(3), None, "Enhetens mål"),
    ];
    let mut goals: Vec<GoalId> = Vec::new();
    for (level, owner, parent, number, title) in plan {
        let g = w
            .create_goal(NewGoal {
                year: 2026,
                level,
                owner_id: nodes[owner],
                parent_id: parent.map(|p| goals[p]),
                number: number.map(Into::into),
                title: title.into(),
                position: 0,
            })
            .await
            .unwrap();
        goals.push(g.id);
    }
    let [_, area, board1, board2, department, own] = goals[..] else {
        unreachable!("six goals")
    };
    let council_indicator = w
        .create_indicator(NewIndicator {
            year: 2026,
            goal_id: area,
            owner_id: nodes[0],
            name: "Andel nöjda".into(),
            unit_of_measure: None,
            periodicity: Periodicity::Year,
            direction: Direction::HigherIsBetter,
            value_kind: ValueKind::Percent,
            by_sex: false,
            council_target: Target::parse("85 %"),
            position: 0,
        })
        .await
        .unwrap();
    let mut activities = Vec::new();
    for title in ["Aktivitet 1", "Aktivitet 2"] {
        let a = w
            .create_activity(NewActivity {
                year: 2026,
                goal_id: board1,
                owner_id: nodes[1],
                title: title.into(),
                start: date!(2026 - 01 - 01),
                end: date!(2026 - 12 - 31),
                position: 0,
            })
            .await
            .unwrap();
        activities.push(a.id);
    }
    let plan = w.create_plan(nodes[4], 2026).await.unwrap();
    w.select_goal(plan.id, own).await.unwrap();
    w.commit().await.unwrap();
    Fixture {
        unit: nodes[4],
        operation: nodes[5],
        department_node: nodes[3],
        plan: plan.id,
        area,
        board1,
        board2,
        department,
        own,
        council_indicator: council_indicator.id,
        activity1: activities[0],
        activity2: activities[1],
    }
}

async fn plan_version(store: &Store, f: &Fixture) -> i64 {
    store.plan(f.unit, 2026).await.unwrap().unwrap().version
}

async fn apply(store: &Store, f: &Fixture, version: i64, s: &Selection) -> Result<i64, StoreError> {
    let mut w = store.begin_write("chef@example.se").await?;
    let plan = w.set_selection(f.plan, version, s).await?;
    w.commit().await?;
    Ok(plan.version)
}

both_backends!(
    a_selection_is_applied_and_unselected_in_one_audited_write,
    |store: Store| async move {
        let f = fixture(&store).await;
        // What the unit may choose from, and what the plan holds, in six queries.
        let (found, queries) = count_queries(store.plan_choices(f.unit, 2026)).await;
        let found = found.unwrap().expect("the plan");
        assert_eq!(queries, 6);
        assert_eq!(found.plan.id, f.plan);
        assert!(found.choices.goal(f.board1).is_some());
        assert!(found.choices.goal(f.department).is_some());
        assert!(found.choices.goal(f.own).is_none() && found.choices.goal(f.area).is_none());
        assert_eq!(found.choices.kept_goals(&found.contents), [f.board2].into());

        let v0 = plan_version(&store, &f).await;
        let chosen = Selection {
            goals: [f.board1, f.department].into(),
            activities: [f.activity1].into(),
            indicators: [(f.council_indicator, Target::parse("90 %"))]
                .into_iter()
                .collect(),
        };
        let v1 = apply(&store, &f, v0, &chosen).await.unwrap();
        assert_eq!(v1, v0 + 1, "the plan's version moves on");
        let c = store.contents(DocRef::Plan(f.plan)).await.unwrap();
        assert_eq!(
            c.goals,
            [f.board1, f.board2, f.department, f.own].into(),
            "board goal 2 carries the unit's own goal and is taken in with it"
        );
        assert_eq!(
            c.activities.keys().copied().collect::<Vec<_>>(),
            [f.activity1]
        );
        assert_eq!(
            c.indicators[&f.council_indicator].target,
            Target::parse("90 %")
        );
        // The plan shows what was chosen, with the unit's own target.
        let doc = store.plan_document(f.unit, 2026).await.unwrap().unwrap();
        let area = doc
            .goals
            .iter()
            .flat_map(|g| g.walk())
            .find(|g| g.goal.id == f.area)
            .unwrap();
        assert_eq!(area.indicators[0].target, Target::parse("90 %"));

        // The same again changes nothing and audits nothing.
        let audits = store.audit_count().await.unwrap();
        assert_eq!(apply(&store, &f, v1, &chosen).await.unwrap(), v1);
        assert_eq!(store.audit_count().await.unwrap(), audits);

        // Unselecting everything: only the unit's own goal and the goal it hangs on stay.
        let v2 = apply(&store, &f, v1, &Selection::default()).await.unwrap();
        assert_eq!(v2, v1 + 1);
        let c = store.contents(DocRef::Plan(f.plan)).await.unwrap();
        assert_eq!(c.goals, [f.board2, f.own].into());
        assert!(c.activities.is_empty() && c.indicators.is_empty());
        let trail = store
            .audit_trail("document_contents", &format!("plan/{}", f.plan))
            .await
            .unwrap();
        let last = trail.last().expect("audited");
        assert_eq!(last.actor, "chef@example.se");
        assert_eq!(last.action, "set_contents");
        let before = last.before.as_ref().unwrap();
        assert_eq!(
            before["activities"][f.activity1.0.to_string()],
            serde_json::json!({"title": null, "position": null})
        );
        assert_eq!(
            last.after.as_ref().unwrap()["activities"],
            serde_json::json!({})
        );
    }
);

both_backends!(
    a_stale_selection_is_a_conflict_and_changes_nothing,
    |store: Store| async move {
        let f = fixture(&store).await;
        let v0 = plan_version(&store, &f).await;
        let first = Selection {
            activities: [f.activity1].into(),
            ..Selection::default()
        };
        apply(&store, &f, v0, &first).await.unwrap();
        let second = Selection {
            goals: [f.board1].into(),
            activities: [f.activity2].into(),
            ..Selection::default()
        };
        let err = apply(&store, &f, v0, &second).await.unwrap_err();
        assert!(
            matches!(err, StoreError::Conflict { expected, actual, .. } if expected == v0 && actual == v0 + 1),
            "{err:?}"
        );
        // Nothing of the second: never a mix.
        let c = store.contents(DocRef::Plan(f.plan)).await.unwrap();
        assert_eq!(
            c.activities.keys().copied().collect::<Vec<_>>(),
            [f.activity1]
        );
        assert!(!c.goals.contains(&f.board1));
        // A stale form that would change nothing is still a conflict.
        let err = apply(&store, &f, v0, &first).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    }
);

both_backends!(
    what_the_unit_cannot_choose_is_refused,
    |store: Store| async move {
        let f = fixture(&store).await;
        let v = plan_version(&store, &f).await;
        for s in [
            Selection {
                goals: [f.own].into(),
                ..Selection::default()
            },
            Selection {
                goals: [f.area].into(),
                ..Selection::default()
            },
            Selection {
                goals: [GoalId(999_999)].into(),
                ..Selection::default()
            },
        ] {
            let err = apply(&store, &f, v, &s).await.unwrap_err();
            assert!(
                matches!(err, StoreError::Domain(DomainError::NotSelectable(_))),
                "{err:?}"
            );
        }
        assert_eq!(plan_version(&store, &f).await, v);
    }
);

fn facts(node: NodeId, version: i64, clients: i64) -> UnitFacts {
    UnitFacts {
        managers: vec![Manager {
            title: "Enhetschef".into(),
            name: "Maria".into(),
        }],
        staff: vec![StaffCount {
            role: "Boendestödjare".into(),
            women: 7,
            men: 3,
        }],
        clients: Some(clients),
        version,
        ..UnitFacts::empty(node, 2026)
    }
}

async fn save(store: &Store, f: &Fixture, all: &[UnitFacts]) -> Result<Vec<UnitFacts>, StoreError> {
    let mut w = store.begin_write("chef@example.se").await?;
    let out = w.save_plan_facts(f.plan, all).await?;
    w.commit().await?;
    Ok(out)
}

both_backends!(
    the_facts_of_a_plan_are_saved_together_and_a_stale_save_is_a_conflict,
    |store: Store| async move {
        let f = fixture(&store).await;
        let (found, queries) = count_queries(store.plan_facts(f.unit, 2026)).await;
        let found = found.unwrap().expect("the plan");
        assert_eq!(queries, 3);
        assert!(found.facts.is_none());
        assert_eq!(found.operations.len(), 1);
        assert_eq!(found.operations[0].0.id, f.operation);

        // The unit's facts, and an operation with nothing: only the unit's are written.
        let empty = UnitFacts::empty(f.operation, 2026);
        let saved = save(&store, &f, &[facts(f.unit, 0, 40), empty.clone()])
            .await
            .unwrap();
        assert_eq!(saved.len(), 1);
        assert_eq!(saved[0].version, 1);
        let now = store.plan_facts(f.unit, 2026).await.unwrap().unwrap();
        assert_eq!(now.facts.as_ref().unwrap().clients, Some(40));
        assert!(now.operations[0].1.is_none());

        // Both, from what was read: the unit's unchanged is not written again.
        let audits = store.audit_count().await.unwrap();
        let saved = save(
            &store,
            &f,
            &[facts(f.unit, 1, 40), facts(f.operation, 0, 12)],
        )
        .await
        .unwrap();
        assert_eq!(saved.iter().map(|s| s.version).collect::<Vec<_>>(), [1, 1]);
        assert_eq!(store.audit_count().await.unwrap(), audits + 1);

        // A stale save: a conflict, and nothing of it is stored, the operation's neither.
        save(&store, &f, &[facts(f.unit, 1, 41)]).await.unwrap();
        let err = save(
            &store,
            &f,
            &[facts(f.operation, 1, 13), facts(f.unit, 1, 99)],
        )
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
            "{err:?}"
        );
        let now = store.plan_facts(f.unit, 2026).await.unwrap().unwrap();
        assert_eq!(now.facts.unwrap().clients, Some(41));
        assert_eq!(now.operations[0].1.as_ref().unwrap().clients, Some(12));
        // Unchanged but stale is still a conflict.
        let err = save(&store, &f, &[facts(f.unit, 1, 41)]).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");

        // Another node, or another year, is not the plan's.
        let mut other_year = facts(f.unit, 2, 41);
        other_year.year = 2025;
        for wrong in [facts(f.department_node, 0, 1), other_year] {
            let err = save(&store, &f, &[wrong]).await.unwrap_err();
            assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
        }
    }
);

both_backends!(
    a_plan_not_open_for_writing_refuses_choices_and_facts,
    |store: Store| async move {
        let f = fixture(&store).await;
        let v = plan_version(&store, &f).await;
        let mut w = store.begin_write("test").await.unwrap();
        let p = w
            .set_plan_status(f.plan, v, PlanStatus::Submitted)
            .await
            .unwrap();
        w.commit().await.unwrap();
        let s = Selection {
            goals: [f.board1].into(),
            ..Selection::default()
        };
        let err = apply(&store, &f, p.version, &s).await.unwrap_err();
        assert!(matches!(err, StoreError::Locked(_)), "{err:?}");
        let err = save(&store, &f, &[facts(f.unit, 0, 5)]).await.unwrap_err();
        assert!(matches!(err, StoreError::Locked(_)), "{err:?}");
        assert_eq!(plan_version(&store, &f).await, p.version);
        assert!(
            store
                .plan_facts(f.unit, 2026)
                .await
                .unwrap()
                .unwrap()
                .facts
                .is_none()
        );
    }
);
