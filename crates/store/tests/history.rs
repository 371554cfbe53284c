//! A plan's history from the audit trail (what belongs to the plan and nothing else, newest
//! first, a page at a time, with the person's name), one object's history, and what the
//! plan read like at each step of its workflow. On SQLite and PostgreSQL.

use malkedja_domain::{
    ActivityId, Direction, GoalId, GoalLevel, GoalSection, IndicatorId, NewActivity, NewGoal,
    NewIndicator, NewNode, NodeId, OrgKind, Periodicity, PlanId, PlanStatus, Target, Transition,
    ValueKind, default_plan_template,
};
use malkedja_store::{DocRef, HistorySubject, Item, Store, StoreError, both_backends, password};
use std::collections::BTreeSet;
use time::macros::{date, datetime};

const CHEF: &str = "chef@example.se";
const YEAR: i32 = 2025;

struct Fixture {
    unit: NodeId,
    plan: PlanId,
    board_goal: GoalId,
    goal: GoalId,
    indicator: IndicatorId,
    council_indicator: IndicatorId,
    activity: ActivityId,
    other_goal: GoalId,
}

fn goal(level: GoalLevel, owner: NodeId, parent: Option<GoalId>, title: &str) -> NewGoal {
    NewGoal {
        year: YEAR,
        level,
        owner_id: owner,
        parent_id: parent,
        number: None,
        title: title.into(),
        position: 0,
    }
}

fn indicator(goal: GoalId, owner: NodeId, name: &str) -> NewIndicator {
    NewIndicator {
        year: YEAR,
        goal_id: goal,
        owner_id: owner,
        name: name.into(),
        unit_of_measure: None,
        periodicity: Periodicity::Year,
        direction: Direction::HigherIsBetter,
        value_kind: ValueKind::Percent,
        by_sex: false,
        council_target: None,
        position: 0,
    }
}

/// The small organisation (its unit's draft plan takes the board's goal), and: a second
/// unit; an indicator of the board's; the template of plan sections; the first unit's goal
/// with a text, an indicator and an activity, its target for the board's indicator and a
/// section of its plan, written by a person with an account; the other unit's goal and
/// target.
async fn fixture(store: &Store) -> Fixture {
    let org = malkedja_store::testing::small_org(store).await;
    let mut w = store.begin_write("test").await.unwrap();
    let other = w
        .create_node(NewNode {
            parent_id: Some(org.department),
            kind: OrgKind::Unit,
            name: "Grannenheten".into(),
            position: 1,
        })
        .await
        .unwrap()
        .id;
    w.set_template(org.administration, YEAR, &default_plan_template())
        .await
        .unwrap();
    let council_indicator = w
        .create_indicator(indicator(org.board_goal, org.board, "Nämndens indikator"))
        .await
        .unwrap()
        .id;
    let other_goal = w
        .create_goal(goal(
            GoalLevel::Unit,
            other,
            Some(org.board_goal),
            "Grannens mål",
        ))
        .await
        .unwrap()
        .id;
    w.set_target(council_indicator, other, &Target::parse("70 %").unwrap())
        .await
        .unwrap();
    let hash = password::hash("ett-långt-lösenord-för-prov").await.unwrap();
    w.add_account(CHEF, "Chef Chefsson", &hash).await.unwrap();
    w.commit().await.unwrap();

    let (unit, board) = (org.unit, org.board_goal);
    let plan = store.plan(unit, YEAR).await.unwrap().unwrap();
    let mut w = store.begin_write(CHEF).await.unwrap();
    let own = w
        .create_goal(goal(GoalLevel::Unit, unit, Some(board), "Trygg vård"))
        .await
        .unwrap();
    w.set_goal_text(
        own.id,
        GoalSection::ExpectedResult,
        "Alla känner sig trygga.",
        datetime!(2025-11-01 0:00 UTC),
    )
    .await
    .unwrap();
    let ind = w
        .create_indicator(indicator(own.id, unit, "Andel trygga"))
        .await
        .unwrap()
        .id;
    w.set_target(council_indicator, unit, &Target::parse("80 %").unwrap())
        .await
        .unwrap();
    let activity = w
        .create_activity(NewActivity {
            year: YEAR,
            goal_id: own.id,
            owner_id: unit,
            title: "Trygghetsvandring".into(),
            start: date!(2025 - 02 - 01),
            end: date!(2025 - 05 - 31),
            position: 0,
        })
        .await
        .unwrap()
        .id;
    // A unit's own items are in the plan they were written in.
    for item in [
        Item::Goal(own.id),
        Item::Indicator(ind),
        Item::Activity(activity),
    ] {
        w.include(DocRef::Plan(plan.id), item).await.unwrap();
    }
    w.save_plan_section(plan.id, "uppdrag", "Vi stöder <b>alla</b>.", 0)
        .await
        .unwrap();
    w.commit().await.unwrap();
    Fixture {
        unit,
        plan: plan.id,
        board_goal: board,
        goal: own.id,
        indicator: ind,
        council_indicator,
        activity,
        other_goal,
    }
}

fn entities(page: &malkedja_store::HistoryPage) -> BTreeSet<(String, String)> {
    page.events
        .iter()
        .map(|e| (e.entity.clone(), e.entity_id.clone()))
        .collect()
}

fn pair(entity: &str, id: impl ToString) -> (String, String) {
    (entity.to_string(), id.to_string())
}

both_backends!(
    a_plans_history_is_what_belongs_to_the_plan,
    |store: Store| async move {
        let f = fixture(&store).await;
        let page = store
            .history(&HistorySubject::Plan(f.plan), None, 500)
            .await
            .unwrap();
        let found = entities(&page);
        let expected: BTreeSet<_> = [
            pair("plan", f.plan),
            pair("document_contents", format!("plan/{}", f.plan)),
            pair("goal", f.goal),
            pair("goal_text", format!("{}/expected_result", f.goal)),
            pair("indicator", f.indicator),
            pair(
                "indicator_target",
                format!("{}/{}", f.council_indicator, f.unit),
            ),
            pair("activity", f.activity),
            pair("plan_section", format!("{}/uppdrag", f.plan)),
        ]
        .into_iter()
        .collect();
        assert_eq!(found, expected, "only what belongs to the plan");
        // Newest first; what the person wrote with their name ("test" is no account).
        assert!(page.events.windows(2).all(|w| w[0].id > w[1].id));
        for e in &page.events {
            let name = (e.actor == CHEF).then_some("Chef Chefsson");
            assert_eq!(e.actor_name.as_deref(), name, "{e:?}");
        }
        assert!(page.events.iter().filter(|e| e.actor == CHEF).count() > 5);
        assert_eq!(page.older, None);
        let section = page
            .events
            .iter()
            .find(|e| e.entity == "plan_section")
            .unwrap();
        assert_eq!(section.action, "save");
        assert_eq!(section.before, None);
        assert_eq!(
            section.after.as_ref().unwrap()["body"],
            "Vi stöder <b>alla</b>."
        );
        // The names of what the events name, the goal the plan took in included.
        let own = page.names.goals.get(&f.goal.0).unwrap();
        assert_eq!(
            (own.name.as_str(), own.owner, own.year),
            ("Trygg vård", f.unit, YEAR)
        );
        assert_eq!(
            page.names.goals.get(&f.board_goal.0).unwrap().name,
            "Nämndens mål"
        );
        let board = page.names.indicators.get(&f.council_indicator.0).unwrap();
        assert_eq!(board.name, "Nämndens indikator");
        assert_ne!(board.owner, f.unit);
        assert_eq!(
            page.names.activities.get(&f.activity.0).unwrap().name,
            "Trygghetsvandring"
        );
        assert!(page.still_removed.is_empty());

        // A page at a time: the pages together are the whole, in order, without overlap.
        let mut all = Vec::new();
        let mut before = None;
        loop {
            let p = store
                .history(&HistorySubject::Plan(f.plan), before, 3)
                .await
                .unwrap();
            assert!(p.events.len() <= 3);
            all.extend(p.events.iter().map(|e| e.id));
            match p.older {
                Some(id) => {
                    assert_eq!(Some(&id), all.last());
                    before = Some(id);
                }
                None => break,
            }
        }
        assert_eq!(all, page.events.iter().map(|e| e.id).collect::<Vec<_>>());

        // Someone else's plan, and a plan that does not exist.
        assert!(matches!(
            store
                .history(&HistorySubject::Plan(PlanId(9999)), None, 10)
                .await,
            Err(StoreError::NotFound(_))
        ));
        let _ = f.other_goal;
    }
);

both_backends!(
    an_objects_history_is_its_own_and_its_parts,
    |store: Store| async move {
        let f = fixture(&store).await;
        let of = |s: HistorySubject| {
            let store = store.clone();
            async move { entities(&store.history(&s, None, 50).await.unwrap()) }
        };
        assert_eq!(
            of(HistorySubject::Goal(f.goal)).await,
            [
                pair("goal", f.goal),
                pair("goal_text", format!("{}/expected_result", f.goal))
            ]
            .into_iter()
            .collect()
        );
        // The board's indicator with this unit's target, not the neighbour's.
        assert_eq!(
            of(HistorySubject::Indicator {
                indicator: f.council_indicator,
                unit: f.unit
            })
            .await,
            [
                pair("indicator", f.council_indicator),
                pair(
                    "indicator_target",
                    format!("{}/{}", f.council_indicator, f.unit)
                )
            ]
            .into_iter()
            .collect()
        );
        assert_eq!(
            of(HistorySubject::Activity(f.activity)).await,
            [pair("activity", f.activity)].into_iter().collect()
        );
        assert_eq!(
            of(HistorySubject::Section {
                plan: f.plan,
                key: "uppdrag".into()
            })
            .await,
            [pair("plan_section", format!("{}/uppdrag", f.plan))]
                .into_iter()
                .collect()
        );
        assert!(
            of(HistorySubject::Section {
                plan: f.plan,
                key: "upp%".into()
            })
            .await
            .is_empty(),
            "a key is matched exactly"
        );
        assert!(of(HistorySubject::Goal(GoalId(99999))).await.is_empty());
    }
);

both_backends!(
    each_step_keeps_what_the_plan_read_like,
    |store: Store| async move {
        let f = fixture(&store).await;
        assert!(store.plan_snapshots(f.plan).await.unwrap().is_empty());
        malkedja_store::testing::make_plan_submittable(&store, f.unit, YEAR).await;
        let step = |to: PlanStatus, comment: &'static str| {
            let store = store.clone();
            async move {
                let v = store.plan(f.unit, YEAR).await.unwrap().unwrap().version;
                let mut w = store.begin_write(CHEF).await.unwrap();
                w.transition_plan(f.plan, v, to, comment).await.unwrap();
                w.commit().await.unwrap();
            }
        };
        step(PlanStatus::Submitted, "").await;
        step(PlanStatus::Returned, "Mer om budgeten.").await;
        let mut w = store.begin_write(CHEF).await.unwrap();
        let v = w
            .plan_section(f.plan, "uppdrag")
            .await
            .unwrap()
            .unwrap()
            .version;
        w.save_plan_section(f.plan, "uppdrag", "Vi stöder alla som bor här.", v)
            .await
            .unwrap();
        w.commit().await.unwrap();
        step(PlanStatus::Submitted, "").await;
        step(PlanStatus::Approved, "").await;

        let snaps = store.plan_snapshots(f.plan).await.unwrap();
        let steps: Vec<Transition> = snaps.iter().map(|s| s.transition.transition).collect();
        assert_eq!(
            steps,
            [
                Transition::Submit,
                Transition::Return,
                Transition::Submit,
                Transition::Approve
            ]
        );
        let text = |i: usize, key: &str| {
            snaps[i]
                .outline
                .iter()
                .find(|p| p.key == key)
                .map(|p| p.text.clone())
                .unwrap_or_default()
        };
        assert_eq!(text(0, "avsnitt/uppdrag"), "Vi stöder <b>alla</b>.");
        assert_eq!(text(3, "avsnitt/uppdrag"), "Vi stöder alla som bor här.");
        let goal = snaps[0]
            .outline
            .iter()
            .find(|p| p.key == format!("mal/{}", f.goal))
            .expect("the unit's goal");
        assert_eq!(goal.heading, "Enhetsmål: Trygg vård");
        assert!(
            goal.text.contains("Alla känner sig trygga."),
            "{}",
            goal.text
        );
        assert!(
            snaps[0]
                .outline
                .iter()
                .any(|p| p.key == format!("mal/{}", f.board_goal)),
            "the board goal the plan takes in"
        );
        assert!(
            !snaps[0]
                .outline
                .iter()
                .any(|p| p.key == format!("mal/{}", f.other_goal)),
            "never the neighbour's goal"
        );
        assert_eq!(snaps[3].transition.actor, CHEF);

        // A step that is refused keeps nothing.
        let v = store.plan(f.unit, YEAR).await.unwrap().unwrap().version;
        let mut w = store.begin_write(CHEF).await.unwrap();
        assert!(
            w.transition_plan(f.plan, v - 1, PlanStatus::Draft, "Varför")
                .await
                .is_err()
        );
        drop(w);
        assert_eq!(store.plan_snapshots(f.plan).await.unwrap().len(), 4);
    }
);

both_backends!(
    a_removal_counts_until_it_is_restored,
    |store: Store| async move {
        let f = fixture(&store).await;
        let version = store.goal(f.goal).await.unwrap().unwrap().version;
        let mut w = store.begin_write(CHEF).await.unwrap();
        w.remove(Item::Goal(f.goal), version).await.unwrap();
        w.commit().await.unwrap();
        let removal = (String::from("goal"), f.goal.to_string());
        for subject in [HistorySubject::Goal(f.goal), HistorySubject::Plan(f.plan)] {
            let page = store.history(&subject, None, 50).await.unwrap();
            assert_eq!(page.events[0].action, "remove");
            assert!(page.still_removed.contains(&removal), "{subject:?}");
            // A removed goal keeps its name and its place in the plan's history.
            assert!(page.names.goals[&f.goal.0].removed);
            assert_eq!(page.names.goals[&f.goal.0].name, "Trygg vård");
        }
        let mut w = store.begin_write(CHEF).await.unwrap();
        w.restore(Item::Goal(f.goal)).await.unwrap();
        w.commit().await.unwrap();
        let page = store
            .history(&HistorySubject::Goal(f.goal), None, 50)
            .await
            .unwrap();
        let actions: Vec<&str> = page
            .events
            .iter()
            .take(2)
            .map(|e| e.action.as_str())
            .collect();
        assert_eq!(actions, ["restore", "remove"]);
        assert!(page.still_removed.is_empty(), "restored");
        assert!(!page.names.goals[&f.goal.0].removed);
    }
);
