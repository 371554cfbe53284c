//! Writing the cascade: a unit's goals with their texts, indicators and activities join its
//! plan; every save states its version and a stale one is a conflict; a submitted plan
//! refuses; removing keeps the item for its history and restoring brings it back; moving
//! reorders. A board's goal text written after a plan's approval is a new revision the
//! approved plan does not show. On SQLite and PostgreSQL.

use malkedja_domain::{
    Direction, GoalLevel, GoalSection, NewActivity, NewGoal, NewIndicator, Periodicity,
    PlanDocument, PlanStatus, Target, ValueKind,
};
use malkedja_store::testing::{SmallOrg, make_submittable, small_org};
use malkedja_store::{
    ActivityEdit, GoalEdit, IndicatorEdit, Item, Move, Store, StoreError, both_backends,
};
use time::macros::date;

const WRITER: &str = "chef@example.se";

fn unit_goal(org: &SmallOrg, title: &str) -> NewGoal {
    NewGoal {
        year: 2025,
        level: GoalLevel::Unit,
        owner_id: org.unit,
        parent_id: Some(org.board_goal),
        number: None,
        title: title.into(),
        position: 0,
    }
}

async fn add_goal(store: &Store, org: &SmallOrg, title: &str) -> malkedja_domain::Goal {
    let mut w = store.begin_write(WRITER).await.unwrap();
    let g = w
        .add_goal(
            unit_goal(org, title),
            &[(GoalSection::ExpectedResult, "Fler i arbete".into())],
        )
        .await
        .unwrap();
    w.commit().await.unwrap();
    g
}

async fn doc(store: &Store, org: &SmallOrg) -> PlanDocument {
    store.plan_document(org.unit, 2025).await.unwrap().unwrap()
}

/// The unit's own goals as the plan shows them: title and texts.
fn own_goals(doc: &PlanDocument) -> Vec<(String, Vec<(GoalSection, String)>)> {
    doc.goals
        .iter()
        .flat_map(|g| g.walk())
        .filter(|g| !g.inherited)
        .map(|g| (g.goal.title.clone(), g.sections.clone()))
        .collect()
}

fn conflict<T: std::fmt::Debug>(r: Result<T, StoreError>) {
    assert!(matches!(r, Err(StoreError::Conflict { .. })), "{r:?}");
}

both_backends!(
    a_unit_goal_is_written_in_its_plan,
    |store: Store| async move {
        let org = small_org(&store).await;
        let g = add_goal(&store, &org, "Alla får en plan").await;
        assert_eq!(g.version, 1);
        assert_eq!(
            own_goals(&doc(&store, &org).await),
            [(
                "Alla får en plan".to_string(),
                vec![(GoalSection::ExpectedResult, "Fler i arbete".to_string())]
            )]
        );

        // A save from the version read: title and texts, one new version.
        let mut w = store.begin_write(WRITER).await.unwrap();
        let saved = w
            .save_goal(
                g.id,
                1,
                &GoalEdit {
                    title: Some("Alla får en egen plan".into()),
                    number: None,
                    sections: vec![
                        (GoalSection::ExpectedResult, "Fler i arbete".into()),
                        (GoalSection::FollowUp, "Varje tertial".into()),
                    ],
                },
            )
            .await
            .unwrap();
        w.commit().await.unwrap();
        assert_eq!(saved.version, 2);
        let shown = own_goals(&doc(&store, &org).await);
        assert_eq!(shown[0].0, "Alla får en egen plan");
        assert_eq!(
            shown[0].1,
            [
                (GoalSection::ExpectedResult, "Fler i arbete".to_string()),
                (GoalSection::FollowUp, "Varje tertial".to_string())
            ]
        );

        // A stale save changes nothing, texts included.
        let mut w = store.begin_write(WRITER).await.unwrap();
        conflict(
            w.save_goal(
                g.id,
                1,
                &GoalEdit {
                    title: None,
                    number: None,
                    sections: vec![(GoalSection::FollowUp, "Aldrig".into())],
                },
            )
            .await,
        );
        w.rollback().await.unwrap();
        assert_eq!(own_goals(&doc(&store, &org).await), shown);

        // An empty title is refused.
        let mut w = store.begin_write(WRITER).await.unwrap();
        let r = w
            .save_goal(
                g.id,
                2,
                &GoalEdit {
                    title: Some("  ".into()),
                    ..GoalEdit::default()
                },
            )
            .await;
        assert!(matches!(r, Err(StoreError::Domain(_))), "{r:?}");
        w.rollback().await.unwrap();

        // Every change is in the audit trail.
        let trail = store.audit_trail("goal", &g.id.to_string()).await.unwrap();
        let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["create", "update"]);
    }
);

both_backends!(
    indicators_and_activities_join_the_plan,
    |store: Store| async move {
        let org = small_org(&store).await;
        let g = add_goal(&store, &org, "Mål").await;
        let mut w = store.begin_write(WRITER).await.unwrap();
        let ind = w
            .add_indicator(
                NewIndicator {
                    year: 2025,
                    goal_id: g.id,
                    owner_id: org.unit,
                    name: "Andel nöjda".into(),
                    unit_of_measure: Some("%".into()),
                    periodicity: Periodicity::Tertial,
                    direction: Direction::HigherIsBetter,
                    value_kind: ValueKind::Percent,
                    by_sex: false,
                    council_target: None,
                    position: 0,
                },
                Target::typed("90 %", ValueKind::Percent).unwrap(),
            )
            .await
            .unwrap();
        let act = w
            .add_activity(NewActivity {
                year: 2025,
                goal_id: g.id,
                owner_id: org.unit,
                title: "Utbilda personalen".into(),
                start: date!(2025 - 02 - 01),
                end: date!(2025 - 06 - 30),
                position: 0,
            })
            .await
            .unwrap();
        w.commit().await.unwrap();
        let d = doc(&store, &org).await;
        let shown = d
            .goals
            .iter()
            .flat_map(|x| x.walk())
            .find(|x| x.goal.id == g.id)
            .unwrap();
        assert_eq!(shown.indicators.len(), 1);
        assert_eq!(
            shown.indicators[0].target.as_ref().map(|t| t.text()),
            Some("90 %")
        );
        assert_eq!(shown.activities[0].title, "Utbilda personalen");

        let mut w = store.begin_write(WRITER).await.unwrap();
        let saved = w
            .save_indicator(
                ind.id,
                ind.version,
                &IndicatorEdit {
                    name: "Andel nöjda brukare".into(),
                    unit_of_measure: Some("%".into()),
                    periodicity: Periodicity::Year,
                    direction: Direction::HigherIsBetter,
                    value_kind: ValueKind::Percent,
                    by_sex: false,
                    target: Target::typed("92 %", ValueKind::Percent).unwrap(),
                },
            )
            .await
            .unwrap();
        assert_eq!(saved.version, ind.version + 1);
        // An end before the start is refused; a stale version is a conflict.
        let r = w
            .save_activity(
                act.id,
                act.version,
                &ActivityEdit {
                    title: "Utbilda".into(),
                    start: date!(2025 - 06 - 30),
                    end: date!(2025 - 02 - 01),
                },
            )
            .await;
        assert!(matches!(r, Err(StoreError::Domain(_))), "{r:?}");
        w.commit().await.unwrap();
        let mut w = store.begin_write(WRITER).await.unwrap();
        conflict(
            w.save_indicator(
                ind.id,
                ind.version,
                &IndicatorEdit {
                    name: "Gammal".into(),
                    unit_of_measure: None,
                    periodicity: Periodicity::Year,
                    direction: Direction::HigherIsBetter,
                    value_kind: ValueKind::Percent,
                    by_sex: false,
                    target: None,
                },
            )
            .await,
        );
        w.rollback().await.unwrap();
        let d = doc(&store, &org).await;
        let shown = d
            .goals
            .iter()
            .flat_map(|x| x.walk())
            .find(|x| x.goal.id == g.id)
            .unwrap();
        assert_eq!(shown.indicators[0].indicator.name, "Andel nöjda brukare");
        assert_eq!(
            shown.indicators[0].target.as_ref().map(|t| t.text()),
            Some("92 %")
        );
    }
);

both_backends!(
    removed_goals_vanish_and_come_back,
    |store: Store| async move {
        let org = small_org(&store).await;
        let a = add_goal(&store, &org, "A").await;
        let b = add_goal(&store, &org, "B").await;
        let titles = |d: &PlanDocument| -> Vec<String> {
            own_goals(d).into_iter().map(|(t, _)| t).collect()
        };
        assert_eq!(titles(&doc(&store, &org).await), ["A", "B"]);

        // Moving B up puts it first; moving the first up changes nothing.
        let mut w = store.begin_write(WRITER).await.unwrap();
        w.move_item(Item::Goal(b.id), b.version, Move::Up)
            .await
            .unwrap();
        w.commit().await.unwrap();
        assert_eq!(titles(&doc(&store, &org).await), ["B", "A"]);
        let mut w = store.begin_write(WRITER).await.unwrap();
        conflict(w.move_item(Item::Goal(b.id), b.version, Move::Up).await);
        w.rollback().await.unwrap();

        // Removing needs the current version, and keeps the goal for its history.
        let mut w = store.begin_write(WRITER).await.unwrap();
        conflict(w.remove(Item::Goal(a.id), 7).await);
        w.rollback().await.unwrap();
        let mut w = store.begin_write(WRITER).await.unwrap();
        w.remove(Item::Goal(a.id), a.version).await.unwrap();
        assert_eq!(w.is_removed(Item::Goal(a.id)).await.unwrap(), Some(true));
        w.commit().await.unwrap();
        assert_eq!(titles(&doc(&store, &org).await), ["B"]);
        // A removed goal cannot be edited.
        let mut w = store.begin_write(WRITER).await.unwrap();
        let r = w.save_goal(a.id, a.version + 1, &GoalEdit::default()).await;
        assert!(matches!(r, Err(StoreError::NotFound(_))), "{r:?}");
        w.rollback().await.unwrap();

        let mut w = store.begin_write(WRITER).await.unwrap();
        w.restore(Item::Goal(a.id)).await.unwrap();
        w.commit().await.unwrap();
        assert_eq!(titles(&doc(&store, &org).await), ["B", "A"]);
        let trail = store.audit_trail("goal", &a.id.to_string()).await.unwrap();
        let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["create", "remove", "restore"]);
        let trail = store.audit_trail("goal", &b.id.to_string()).await.unwrap();
        assert_eq!(trail.last().map(|e| e.action.as_str()), Some("move"));

        // A board goal with the unit's goals under it is not removed.
        let mut w = store.begin_write("redaktor@example.se").await.unwrap();
        let board = w.goal(org.board_goal).await.unwrap().unwrap();
        let r = w.remove(Item::Goal(org.board_goal), board.version).await;
        assert!(matches!(r, Err(StoreError::Placement(_))), "{r:?}");
        w.rollback().await.unwrap();
    }
);

both_backends!(
    a_submitted_plan_refuses_its_writers,
    |store: Store| async move {
        let org = small_org(&store).await;
        let g = add_goal(&store, &org, "Mål").await;
        make_submittable(&store, &org).await;
        let g = store.goal(g.id).await.unwrap().unwrap();
        let plan = store.plan(org.unit, 2025).await.unwrap().unwrap();
        let mut w = store.begin_write(WRITER).await.unwrap();
        w.transition_plan(org.plan, plan.version, PlanStatus::Submitted, "")
            .await
            .unwrap();
        w.commit().await.unwrap();
        let mut w = store.begin_write(WRITER).await.unwrap();
        let r = w
            .save_goal(
                g.id,
                g.version,
                &GoalEdit {
                    title: Some("Ändrat".into()),
                    ..GoalEdit::default()
                },
            )
            .await;
        assert!(matches!(r, Err(StoreError::Locked(_))), "{r:?}");
        let r = w.add_goal(unit_goal(&org, "Nytt"), &[]).await;
        assert!(matches!(r, Err(StoreError::Locked(_))), "{r:?}");
        let r = w.remove(Item::Goal(g.id), g.version).await;
        assert!(matches!(r, Err(StoreError::Locked(_))), "{r:?}");
        w.rollback().await.unwrap();
    }
);

both_backends!(
    a_draft_shows_a_revised_board_text_and_says_so,
    |store: Store| async move {
        let org = small_org(&store).await;
        let board_goal = |d: &PlanDocument| {
            d.goals
                .iter()
                .flat_map(|x| x.walk())
                .find(|x| x.goal.id == org.board_goal)
                .cloned()
                .unwrap()
        };
        assert_eq!(board_goal(&doc(&store, &org).await).revised, None);
        let mut w = store.begin_write("redaktor@example.se").await.unwrap();
        let board = w.goal(org.board_goal).await.unwrap().unwrap();
        w.save_goal(
            org.board_goal,
            board.version,
            &GoalEdit {
                title: None,
                number: None,
                sections: vec![(GoalSection::Description, "Ny lydelse".into())],
            },
        )
        .await
        .unwrap();
        w.commit().await.unwrap();
        let shown = board_goal(&doc(&store, &org).await);
        assert_eq!(
            shown.sections,
            [(GoalSection::Description, "Ny lydelse".to_string())]
        );
        assert!(shown.revised.is_some(), "the draft says the text changed");
    }
);

both_backends!(
    a_board_text_revised_after_approval_is_not_in_the_approved_plan,
    |store: Store| async move {
        let org = small_org(&store).await;
        add_goal(&store, &org, "Mål").await;
        make_submittable(&store, &org).await;
        for to in [PlanStatus::Submitted, PlanStatus::Approved] {
            let plan = store.plan(org.unit, 2025).await.unwrap().unwrap();
            let mut w = store.begin_write(WRITER).await.unwrap();
            w.transition_plan(org.plan, plan.version, to, "")
                .await
                .unwrap();
            w.commit().await.unwrap();
        }
        // The board's editor revises the board goal: no plan lock on the board's own goals.
        let mut w = store.begin_write("redaktor@example.se").await.unwrap();
        let board = w.goal(org.board_goal).await.unwrap().unwrap();
        w.save_goal(
            org.board_goal,
            board.version,
            &GoalEdit {
                title: None,
                number: None,
                sections: vec![(GoalSection::Description, "Ny lydelse".into())],
            },
        )
        .await
        .unwrap();
        w.commit().await.unwrap();
        let d = doc(&store, &org).await;
        let shown = d
            .goals
            .iter()
            .flat_map(|x| x.walk())
            .find(|x| x.goal.id == org.board_goal)
            .unwrap();
        assert_eq!(
            shown.sections,
            [(GoalSection::Description, "Nämndens beskrivning".to_string())]
        );
        let texts = store.goal_texts(org.board_goal).await.unwrap();
        assert_eq!(texts.len(), 2, "a new revision, the old one kept");
    }
);
