//! Ready marks on a plan's parts (mark, take back, cleared by an edit, refused on a locked
//! plan, counted on the unit's overview) and the plan check that guards submitting. On
//! SQLite and PostgreSQL.

use malkedja_domain::{
    GoalId, GoalLevel, GoalSection, NewGoal, NodeId, PlanId, PlanPart, PlanStatus, Rule, Severity,
};
use malkedja_store::testing::{SmallOrg, make_submittable, small_org};
use malkedja_store::{Store, StoreError, both_backends};

const WRITER: &str = "skribent@example.se";

struct Fixture {
    org: SmallOrg,
    unit: NodeId,
    plan: PlanId,
    board_goal: GoalId,
    unit_goal: GoalId,
}

/// A [`SmallOrg`] whose plan also holds a goal of the unit's own under the board goal. No
/// text is written in the plan yet.
async fn fixture(store: &Store) -> Fixture {
    let org = small_org(store).await;
    let mut w = store.begin_write("test").await.unwrap();
    let own = w
        .add_goal(
            NewGoal {
                year: 2025,
                level: GoalLevel::Unit,
                owner_id: org.unit,
                parent_id: Some(org.board_goal),
                number: None,
                title: "Enhetens mål".into(),
                position: 0,
            },
            &[],
        )
        .await
        .unwrap();
    w.commit().await.unwrap();
    Fixture {
        unit: org.unit,
        plan: org.plan,
        board_goal: org.board_goal,
        unit_goal: own.id,
        org,
    }
}

async fn write_goal_texts(store: &Store, f: &Fixture) {
    let mut w = store.begin_write(WRITER).await.unwrap();
    let at = time::OffsetDateTime::now_utc() - time::Duration::seconds(1);
    for s in [GoalSection::ExpectedResult, GoalSection::FollowUp] {
        w.set_goal_text(f.unit_goal, s, "Skrivet.", at)
            .await
            .unwrap();
    }
    w.commit().await.unwrap();
}

async fn mark(store: &Store, f: &Fixture, part: &PlanPart) -> Result<i64, StoreError> {
    let mut w = store.begin_write(WRITER).await?;
    let m = w.mark_ready(f.plan, part).await?;
    w.commit().await?;
    Ok(m.id)
}

async fn unmark(store: &Store, f: &Fixture, part: &PlanPart, id: i64) -> Result<bool, StoreError> {
    let mut w = store.begin_write(WRITER).await?;
    let done = w.unmark_ready(f.plan, part, id).await?;
    w.commit().await?;
    Ok(done)
}

async fn marked(store: &Store, f: &Fixture) -> Vec<String> {
    store
        .ready_marks(f.plan)
        .await
        .unwrap()
        .iter()
        .map(|m| m.part.code())
        .collect()
}

async fn audited(store: &Store, f: &Fixture, part: &PlanPart, action: &str) -> usize {
    store
        .audit_trail("plan_ready_mark", &format!("{}/{}", f.plan, part.code()))
        .await
        .unwrap()
        .iter()
        .filter(|e| e.action == action && e.actor == WRITER)
        .count()
}

async fn save(store: &Store, f: &Fixture, key: &str, body: &str) {
    let mut w = store.begin_write(WRITER).await.unwrap();
    let v = w
        .plan_section(f.plan, key)
        .await
        .unwrap()
        .map(|s| s.version)
        .unwrap_or(0);
    w.save_plan_section(f.plan, key, body, v).await.unwrap();
    w.commit().await.unwrap();
}

both_backends!(parts_are_marked_and_counted, |store: Store| async move {
    let f = fixture(&store).await;
    let section = PlanPart::section("uppdrag");
    let goal = PlanPart::goal(f.unit_goal);
    let first = mark(&store, &f, &section).await.unwrap();
    // Marking again is harmless: the same mark, audited once.
    assert_eq!(mark(&store, &f, &section).await.unwrap(), first);
    mark(&store, &f, &goal).await.unwrap();
    assert_eq!(
        marked(&store, &f).await,
        ["section:uppdrag", format!("goal:{}", f.unit_goal).as_str()]
    );
    let marks = store.ready_marks(f.plan).await.unwrap();
    assert_eq!(marks[0].actor, WRITER);
    assert_eq!(audited(&store, &f, &section, "mark_ready").await, 1);

    // The unit's overview counts them among the plan's parts: the sections that ask for
    // text and the unit's goal.
    let asks = malkedja_domain::default_plan_template()
        .iter()
        .filter(|s| !s.guidance.is_empty())
        .count();
    let overview = store.plan_overview(f.unit).await.unwrap();
    let c = &overview[0].completion;
    assert_eq!((c.ready, c.total), (2, asks + 1));
    assert!(
        !c.remaining
            .iter()
            .any(|p| p.part == section || p.part == goal)
    );

    // What is not a part of this plan cannot be marked.
    let other = {
        let mut w = store.begin_write("test").await.unwrap();
        let g = w
            .create_goal(NewGoal {
                year: 2025,
                level: GoalLevel::Unit,
                owner_id: f.unit,
                parent_id: Some(f.board_goal),
                number: None,
                title: "Inte i planen".into(),
                position: 1,
            })
            .await
            .unwrap();
        w.commit().await.unwrap();
        g.id
    };
    for part in [
        PlanPart::section("inledning"),
        PlanPart::section("finns-inte"),
        PlanPart::goal(f.board_goal),
        PlanPart::goal(other),
        PlanPart::goal(GoalId(999_999)),
    ] {
        assert!(
            matches!(mark(&store, &f, &part).await, Err(StoreError::NotFound(_))),
            "{part}"
        );
    }
    assert_eq!(marked(&store, &f).await.len(), 2);
});

both_backends!(a_mark_is_taken_back_once, |store: Store| async move {
    let f = fixture(&store).await;
    let part = PlanPart::section("budget");
    let old = mark(&store, &f, &part).await.unwrap();
    assert!(unmark(&store, &f, &part, old).await.unwrap());
    // A double click: nothing left to take back.
    assert!(!unmark(&store, &f, &part, old).await.unwrap());
    // Marked again since the page was shown: the new mark stays.
    let new = mark(&store, &f, &part).await.unwrap();
    assert_ne!(new, old);
    match unmark(&store, &f, &part, old).await {
        Err(StoreError::Conflict {
            expected, actual, ..
        }) => assert_eq!((expected, actual), (old, new)),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(marked(&store, &f).await, ["section:budget"]);
    assert!(unmark(&store, &f, &part, new).await.unwrap());
    assert!(marked(&store, &f).await.is_empty());
    assert_eq!(audited(&store, &f, &part, "unmark_ready").await, 2);
});

both_backends!(
    editing_a_section_clears_its_mark,
    |store: Store| async move {
        let f = fixture(&store).await;
        let part = PlanPart::section("uppdrag");
        save(&store, &f, "uppdrag", "Vi ger stöd.").await;
        mark(&store, &f, &part).await.unwrap();
        mark(&store, &f, &PlanPart::section("budget"))
            .await
            .unwrap();
        // The same text again (trailing spaces do not count) is no change.
        save(&store, &f, "uppdrag", "Vi ger stöd.  \n").await;
        assert_eq!(marked(&store, &f).await.len(), 2);
        save(&store, &f, "uppdrag", "Vi ger stöd varje dag.").await;
        assert_eq!(marked(&store, &f).await, ["section:budget"]);
        assert_eq!(audited(&store, &f, &part, "clear_ready").await, 1);
        // Clearing what is not marked is nothing.
        let mut w = store.begin_write(WRITER).await.unwrap();
        assert!(!w.clear_ready(f.plan, &part).await.unwrap());
        assert!(
            w.clear_ready(f.plan, &PlanPart::section("budget"))
                .await
                .unwrap()
        );
        w.commit().await.unwrap();
        assert!(marked(&store, &f).await.is_empty());
    }
);

async fn submit(store: &Store, f: &Fixture) -> Result<(), StoreError> {
    let v = store.plan(f.unit, 2025).await?.expect("the plan").version;
    let mut w = store.begin_write("chef@example.se").await?;
    w.transition_plan(f.plan, v, PlanStatus::Submitted, "")
        .await?;
    w.commit().await
}

both_backends!(
    submitting_is_refused_while_the_check_finds_errors,
    |store: Store| async move {
        let f = fixture(&store).await;
        let findings = match submit(&store, &f).await {
            Err(e @ StoreError::PlanCheck(_)) => {
                assert!(
                    e.to_string()
                        .starts_with("Planen kan inte skickas in förrän"),
                    "{e}"
                );
                let StoreError::PlanCheck(found) = e else {
                    unreachable!()
                };
                found
            }
            other => panic!("expected the check's refusal, got {other:?}"),
        };
        assert!(findings.iter().any(|x| x.rule == Rule::EmptySection));
        assert!(findings.iter().any(|x| x.rule == Rule::GoalTextMissing));
        // Errors first.
        assert!(findings.windows(2).all(|w| w[0].severity <= w[1].severity));
        assert_eq!(
            store.plan(f.unit, 2025).await.unwrap().unwrap().status,
            PlanStatus::Draft
        );
        assert!(store.plan_transitions(f.plan).await.unwrap().is_empty());

        // The goal's texts written, the sections still empty: those errors are left.
        write_goal_texts(&store, &f).await;
        match submit(&store, &f).await {
            Err(StoreError::PlanCheck(found)) => {
                assert!(
                    found
                        .iter()
                        .filter(|x| x.severity == Severity::Error)
                        .all(|x| x.rule == Rule::EmptySection),
                    "{found:?}"
                );
            }
            other => panic!("expected the check's refusal, got {other:?}"),
        }
        make_submittable(&store, &f.org).await;
        submit(&store, &f).await.unwrap();
        assert_eq!(
            store.plan(f.unit, 2025).await.unwrap().unwrap().status,
            PlanStatus::Submitted
        );
    }
);

both_backends!(
    a_plan_not_open_for_writing_refuses_marks,
    |store: Store| async move {
        let f = fixture(&store).await;
        make_submittable(&store, &f.org).await;
        let part = PlanPart::goal(f.unit_goal);
        let id = mark(&store, &f, &part).await.unwrap();
        submit(&store, &f).await.unwrap();
        for r in [
            mark(&store, &f, &PlanPart::section("budget"))
                .await
                .map(drop),
            unmark(&store, &f, &part, id).await.map(drop),
        ] {
            match r {
                Err(StoreError::Locked(m)) => assert!(m.starts_with("Planen är inskickad"), "{m}"),
                other => panic!("expected Locked, got {other:?}"),
            }
        }
        assert_eq!(marked(&store, &f).await.len(), 1);
    }
);

both_backends!(
    changing_a_goals_indicator_or_activity_clears_the_goals_mark,
    |store: Store| async move {
        let f = fixture(&store).await;
        write_goal_texts(&store, &f).await;
        let goal = PlanPart::goal(f.unit_goal);
        mark(&store, &f, &goal).await.unwrap();
        let day = |d: u8| time::Date::from_calendar_date(2025, time::Month::March, d).unwrap();
        // Adding an activity to the goal: it is not ready any more.
        let mut w = store.begin_write(WRITER).await.unwrap();
        let activity = w
            .add_activity(malkedja_domain::NewActivity {
                year: 2025,
                goal_id: f.unit_goal,
                owner_id: f.unit,
                title: "Ny aktivitet".into(),
                start: day(1),
                end: day(20),
                position: 0,
            })
            .await
            .unwrap();
        w.commit().await.unwrap();
        assert!(marked(&store, &f).await.is_empty());
        // Marked again, then the activity is changed, then removed: each clears it.
        mark(&store, &f, &goal).await.unwrap();
        let mut w = store.begin_write(WRITER).await.unwrap();
        let saved = w
            .save_activity(
                activity.id,
                activity.version,
                &malkedja_store::ActivityEdit {
                    title: "Ändrad aktivitet".into(),
                    start: day(2),
                    end: day(21),
                },
            )
            .await
            .unwrap();
        w.commit().await.unwrap();
        assert!(marked(&store, &f).await.is_empty());
        mark(&store, &f, &goal).await.unwrap();
        let mut w = store.begin_write(WRITER).await.unwrap();
        w.remove(malkedja_store::Item::Activity(activity.id), saved.version)
            .await
            .unwrap();
        w.commit().await.unwrap();
        assert!(marked(&store, &f).await.is_empty());
        assert_eq!(audited(&store, &f, &goal, "clear_ready").await, 3);
        // An indicator added to the goal clears it too.
        mark(&store, &f, &goal).await.unwrap();
        let mut w = store.begin_write(WRITER).await.unwrap();
        w.add_indicator(
            malkedja_domain::NewIndicator {
                year: 2025,
                goal_id: f.unit_goal,
                owner_id: f.unit,
                name: "Andel nöjda".into(),
                unit_of_measure: Some("%".into()),
                periodicity: malkedja_domain::Periodicity::Year,
                direction: malkedja_domain::Direction::HigherIsBetter,
                value_kind: malkedja_domain::ValueKind::Percent,
                by_sex: false,
                council_target: None,
                position: 0,
            },
            None,
        )
        .await
        .unwrap();
        w.commit().await.unwrap();
        assert!(marked(&store, &f).await.is_empty());
    }
);

both_backends!(
    a_closed_units_plan_cannot_be_written,
    |store: Store| async move {
        let f = fixture(&store).await;
        let node = store.node(f.unit).await.unwrap().expect("the unit");
        let mut w = store.begin_write("admin").await.unwrap();
        let on = time::Date::from_calendar_date(2025, time::Month::June, 30).unwrap();
        w.close_node(f.unit, on, node.version).await.unwrap();
        w.commit().await.unwrap();
        // Neither its sections, nor a ready mark, nor its goals.
        let mut w = store.begin_write(WRITER).await.unwrap();
        let err = w
            .save_plan_section(f.plan, "uppdrag", "Skrivet efter avvecklingen.", 0)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Locked(m) if m.contains("är avvecklad sedan 2025-06-30")),
            "{err:?}"
        );
        drop(w);
        assert!(matches!(
            mark(&store, &f, &PlanPart::section("uppdrag")).await,
            Err(StoreError::Locked(_))
        ));
        let mut w = store.begin_write(WRITER).await.unwrap();
        let goal = w.goal(f.unit_goal).await.unwrap().unwrap();
        let err = w
            .save_goal(
                f.unit_goal,
                goal.version,
                &malkedja_store::GoalEdit {
                    title: Some("Nytt namn".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Locked(_)), "{err:?}");
        drop(w);
        // Reopened, it can be written again.
        let node = store.node(f.unit).await.unwrap().unwrap();
        let mut w = store.begin_write("admin").await.unwrap();
        w.reopen_node(f.unit, node.version).await.unwrap();
        w.commit().await.unwrap();
        save(&store, &f, "uppdrag", "Skrivet när enheten öppnats igen.").await;
    }
);
