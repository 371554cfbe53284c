//! Carrying a year into the next, on SQLite and PostgreSQL: the goal structure copied into
//! the next year (counts, the year copied from untouched, a second run copies nothing), a
//! unit's plan started from last year's (goals found again, the unplaced listed, nothing
//! overwritten, dates moved, locked plans refused), and the template's version.

use malkedja_domain::{
    ActivityEntry, Carry, Choice, Contents, Direction, GoalId, GoalLevel, GoalSection,
    IndicatorEntry, Manager, NewActivity, NewGoal, NewIndicator, NewNode, NodeId, OrgKind,
    Periodicity, PlanId, PlanStatus, StaffCount, StaffMeeting, Target, TemplateError, UnitFacts,
    ValueKind, default_plan_template,
};
use malkedja_store::{DocRef, Store, StoreError, both_backends};
use std::collections::{HashMap, HashSet};
use time::macros::{date, datetime};

const ADMIN: &str = "admin@example.se";
const MANAGER: &str = "chef@example.se";

struct Org {
    city: NodeId,
    board: NodeId,
    admin: NodeId,
    department: NodeId,
    unit: NodeId,
    operation: NodeId,
}

struct Year2025 {
    board_goal: GoalId,
    department_goal: GoalId,
    unit_goal: GoalId,
    plan: PlanId,
}

async fn org(store: &Store) -> Org {
    let mut w = store.begin_write("test").await.unwrap();
    let mut ids = Vec::new();
    let mut parent = None;
    for (kind, name) in [
        (OrgKind::City, "Staden"),
        (OrgKind::Board, "Nämnden"),
        (OrgKind::Administration, "Förvaltningen"),
        (OrgKind::Department, "Avdelningen"),
        (OrgKind::Unit, "Enheten"),
        (OrgKind::Operation, "Verksamheten"),
    ] {
        let n = w
            .create_node(NewNode {
                parent_id: parent,
                kind,
                name: name.into(),
                position: 0,
            })
            .await
            .unwrap();
        parent = Some(n.id);
        ids.push(n.id);
    }
    w.commit().await.unwrap();
    Org {
        city: ids[0],
        board: ids[1],
        admin: ids[2],
        department: ids[3],
        unit: ids[4],
        operation: ids[5],
    }
}

fn new_goal(
    level: GoalLevel,
    owner: NodeId,
    parent: Option<GoalId>,
    number: Option<&str>,
    title: &str,
    year: i32,
) -> NewGoal {
    NewGoal {
        year,
        level,
        owner_id: owner,
        parent_id: parent,
        number: number.map(Into::into),
        title: title.into(),
        position: 0,
    }
}

fn new_indicator(goal: GoalId, owner: NodeId, name: &str, council: Option<&str>) -> NewIndicator {
    NewIndicator {
        year: 2025,
        goal_id: goal,
        owner_id: owner,
        name: name.into(),
        unit_of_measure: None,
        periodicity: Periodicity::Year,
        direction: Direction::HigherIsBetter,
        value_kind: ValueKind::Percent,
        by_sex: false,
        council_target: council.and_then(Target::parse),
        position: 0,
    }
}

fn new_activity(
    goal: GoalId,
    owner: NodeId,
    title: &str,
    start: time::Date,
    end: time::Date,
) -> NewActivity {
    NewActivity {
        year: 2025,
        goal_id: goal,
        owner_id: owner,
        title: title.into(),
        start,
        end,
        position: 0,
    }
}

fn target(t: &str) -> Target {
    Target::parse(t).unwrap()
}

/// 2025: council, board and department goals with texts, indicators, targets and
/// activities; the unit's plan with a goal under the board goal and one under the
/// department goal, its own indicator and activity, what it chose of what it inherits, a
/// section and facts.
async fn year_2025(store: &Store, o: &Org) -> Year2025 {
    let from = datetime!(2024-12-01 0:00 UTC);
    let mut w = store.begin_write("test").await.unwrap();
    let dir = w
        .create_goal(new_goal(
            GoalLevel::Direction,
            o.city,
            None,
            Some("1"),
            "Inriktningen",
            2025,
        ))
        .await
        .unwrap();
    w.set_goal_text(dir.id, GoalSection::Description, "Inriktningens text", from)
        .await
        .unwrap();
    let area = w
        .create_goal(new_goal(
            GoalLevel::Area,
            o.city,
            Some(dir.id),
            Some("1.3"),
            "Området",
            2025,
        ))
        .await
        .unwrap();
    let council = w
        .create_indicator(new_indicator(
            area.id,
            o.city,
            "Andel nöjda brukare",
            Some("90 %"),
        ))
        .await
        .unwrap();
    w.set_target(council.id, o.board, &target("92 %"))
        .await
        .unwrap();
    let board = w
        .create_goal(new_goal(
            GoalLevel::Board,
            o.board,
            Some(area.id),
            None,
            "Nämndmålet",
            2025,
        ))
        .await
        .unwrap();
    w.set_goal_text(
        board.id,
        GoalSection::Description,
        "Nämndens beskrivning",
        from,
    )
    .await
    .unwrap();
    w.set_goal_text(
        board.id,
        GoalSection::ExpectedResult,
        "Nämndens resultat",
        from,
    )
    .await
    .unwrap();
    let sick = w
        .create_indicator(new_indicator(board.id, o.board, "Sjukfrånvaro", None))
        .await
        .unwrap();
    w.set_target(sick.id, o.board, &target("5 %"))
        .await
        .unwrap();
    let board_activity = w
        .create_activity(new_activity(
            board.id,
            o.board,
            "Nämndens aktivitet",
            date!(2024 - 02 - 29),
            date!(2025 - 06 - 30),
        ))
        .await
        .unwrap();
    w.create_activity(new_activity(
        board.id,
        o.board,
        "Hela året",
        date!(2025 - 01 - 01),
        date!(2025 - 12 - 31),
    ))
    .await
    .unwrap();
    let department = w
        .create_goal(new_goal(
            GoalLevel::Department,
            o.department,
            Some(board.id),
            None,
            "Avdelningsmålet",
            2025,
        ))
        .await
        .unwrap();
    w.set_goal_text(
        department.id,
        GoalSection::Description,
        "Avdelningens text",
        from,
    )
    .await
    .unwrap();
    w.create_activity(new_activity(
        department.id,
        o.department,
        "Avdelningens aktivitet",
        date!(2025 - 03 - 01),
        date!(2025 - 04 - 30),
    ))
    .await
    .unwrap();

    let plan = w.create_plan(o.unit, 2025).await.unwrap();
    let unit_goal = w
        .create_goal(new_goal(
            GoalLevel::Unit,
            o.unit,
            Some(board.id),
            None,
            "Enhetsmålet",
            2025,
        ))
        .await
        .unwrap();
    for (section, body) in [
        (GoalSection::ExpectedResult, "Vi väntar oss resultat"),
        (GoalSection::FollowUp, "Vi följer upp varje tertial"),
    ] {
        w.set_goal_text(unit_goal.id, section, body, from)
            .await
            .unwrap();
    }
    let own = w
        .create_indicator(new_indicator(
            unit_goal.id,
            o.unit,
            "Enhetens indikator",
            None,
        ))
        .await
        .unwrap();
    let own_activity = w
        .create_activity(new_activity(
            unit_goal.id,
            o.unit,
            "Enhetens aktivitet",
            date!(2025 - 02 - 01),
            date!(2025 - 11 - 30),
        ))
        .await
        .unwrap();
    let lonely = w
        .create_goal(new_goal(
            GoalLevel::Unit,
            o.unit,
            Some(department.id),
            None,
            "Under avdelningen",
            2025,
        ))
        .await
        .unwrap();
    w.set_goal_text(
        lonely.id,
        GoalSection::ExpectedResult,
        "Avdelningens del",
        from,
    )
    .await
    .unwrap();
    let mut contents = Contents::default();
    contents.goals.extend([board.id, unit_goal.id, lonely.id]);
    contents.indicators.insert(
        council.id,
        IndicatorEntry::with_target(Some(target("85 %"))),
    );
    contents
        .indicators
        .insert(own.id, IndicatorEntry::with_target(Some(target("70 %"))));
    contents
        .activities
        .insert(board_activity.id, ActivityEntry::default());
    contents
        .activities
        .insert(own_activity.id, ActivityEntry::default());
    w.set_contents(DocRef::Plan(plan.id), &contents)
        .await
        .unwrap();
    w.save_plan_section(plan.id, "uppdrag", "Vårt uppdrag 2025", 0)
        .await
        .unwrap();
    w.save_plan_section(plan.id, "budget", "Budgeten 2025", 0)
        .await
        .unwrap();
    for (node, clients) in [(o.unit, 40), (o.operation, 12)] {
        w.save_facts(&UnitFacts {
            managers: vec![Manager {
                title: "Enhetschef".into(),
                name: "Eva Ek".into(),
            }],
            staff: vec![StaffCount {
                role: "Stödpedagog".into(),
                women: 4,
                men: 2,
            }],
            clients: Some(clients),
            staff_meetings: vec![StaffMeeting {
                date: date!(2024 - 02 - 29),
                label: "Alla".into(),
            }],
            ..UnitFacts::empty(node, 2025)
        })
        .await
        .unwrap();
    }
    w.commit().await.unwrap();
    Year2025 {
        board_goal: board.id,
        department_goal: department.id,
        unit_goal: unit_goal.id,
        plan: plan.id,
    }
}

async fn goals_of(store: &Store, year: i32) -> Vec<malkedja_domain::Goal> {
    let mut out = Vec::new();
    for level in GoalLevel::ALL {
        out.extend(store.goals_at_level(year, level).await.unwrap());
    }
    out
}

/// Everything a year holds, as text, to compare before and after.
async fn fingerprint(store: &Store, year: i32) -> String {
    let mut out = String::new();
    let mut w = store.begin_write("läsare").await.unwrap();
    for g in goals_of(store, year).await {
        out.push_str(&format!("{g:?}\n{:?}\n", w.goal_texts(g.id).await.unwrap()));
        out.push_str(&format!("{:?}\n", w.indicators_on(g.id).await.unwrap()));
        out.push_str(&format!("{:?}\n", w.activities_on(g.id).await.unwrap()));
    }
    w.rollback().await.unwrap();
    out
}

both_backends!(the_structure_is_copied_once, |store: Store| async move {
    let o = org(&store).await;
    let y = year_2025(&store, &o).await;
    let before = fingerprint(&store, 2025).await;

    let preview = store.structure_copy_preview(2025, None).await.unwrap();
    assert_eq!((preview.from, preview.to), (2025, 2026));
    let names: Vec<&str> = preview.copied.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Staden", "Nämnden", "Avdelningen"]);
    // Goals, texts, indicators, targets, activities: no unit goal, no unit item.
    assert_eq!(preview.totals(), (4, 4, 2, 2, 3));
    assert!(preview.skipped.is_empty() && preview.orphans.is_empty());

    let mut w = store.begin_write(ADMIN).await.unwrap();
    let done = w.copy_structure(2025, None).await.unwrap();
    w.commit().await.unwrap();
    assert_eq!(done, preview);

    let next = goals_of(&store, 2026).await;
    assert_eq!(next.len(), 4);
    assert!(next.iter().all(|g| g.level != GoalLevel::Unit));
    let board = next.iter().find(|g| g.level == GoalLevel::Board).unwrap();
    let area = next.iter().find(|g| g.level == GoalLevel::Area).unwrap();
    assert_eq!(board.parent_id, Some(area.id));
    assert_eq!(area.number.as_deref(), Some("1.3"));
    let texts = store.goal_texts(board.id).await.unwrap();
    let bodies: Vec<&str> = texts.iter().map(|t| t.body.as_str()).collect();
    assert_eq!(bodies, ["Nämndens beskrivning", "Nämndens resultat"]);

    let mut w = store.begin_write("läsare").await.unwrap();
    let activities = w.activities_on(board.id).await.unwrap();
    let dates: Vec<(time::Date, time::Date)> =
        activities.iter().map(|a| (a.start, a.end)).collect();
    // 29 February 2024 becomes 28 February 2025.
    assert_eq!(
        dates,
        [
            (date!(2025 - 02 - 28), date!(2026 - 06 - 30)),
            (date!(2026 - 01 - 01), date!(2026 - 12 - 31))
        ]
    );
    assert!(activities.iter().all(|a| a.year == 2026));
    let council = w.indicators_on(area.id).await.unwrap();
    assert_eq!(council.len(), 1);
    assert_eq!(council[0].council_target, Some(target("90 %")));
    w.rollback().await.unwrap();
    // The board's own targets came along: the 2026 plan of the unit sees 92 % and 5 %.
    let mut w = store.begin_write(MANAGER).await.unwrap();
    let plan = w.create_plan(o.unit, 2026).await.unwrap();
    w.select_goal(plan.id, board.id).await.unwrap();
    w.select_indicator(plan.id, council[0].id).await.unwrap();
    for i in w.indicators_on(board.id).await.unwrap() {
        w.select_indicator(plan.id, i.id).await.unwrap();
    }
    w.commit().await.unwrap();
    let doc = store.plan_document(o.unit, 2026).await.unwrap().unwrap();
    let shown: Vec<(String, Option<String>)> = doc
        .goals
        .iter()
        .flat_map(|g| g.walk())
        .flat_map(|g| g.indicators.iter())
        .map(|i| {
            (
                i.indicator.name.clone(),
                i.target.as_ref().map(|t| t.text().to_string()),
            )
        })
        .collect();
    assert!(
        shown.contains(&("Andel nöjda brukare".into(), Some("92 %".into()))),
        "{shown:?}"
    );
    assert!(
        shown.contains(&("Sjukfrånvaro".into(), Some("5 %".into()))),
        "{shown:?}"
    );

    // 2025 is as it was; the copy is in the audit trail.
    assert_eq!(fingerprint(&store, 2025).await, before);
    assert!(store.goal(y.unit_goal).await.unwrap().is_some());
    let trail = store.audit_trail("goal_structure", "2026").await.unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].actor, ADMIN);

    // A second run copies nothing: every owner has its 2026 goals.
    let again = store.structure_copy_preview(2025, None).await.unwrap();
    assert!(again.is_empty());
    assert_eq!(again.skipped.len(), 3);
    assert_eq!(again.skipped[0].existing, 2);
    let mut w = store.begin_write(ADMIN).await.unwrap();
    let done = w.copy_structure(2025, None).await.unwrap();
    w.commit().await.unwrap();
    assert!(done.is_empty());
    assert_eq!(goals_of(&store, 2026).await.len(), 4);
    assert_eq!(
        store
            .audit_trail("goal_structure", "2026")
            .await
            .unwrap()
            .len(),
        1
    );
});

both_backends!(
    an_owner_set_up_already_is_skipped,
    |store: Store| async move {
        let o = org(&store).await;
        year_2025(&store, &o).await;
        // The council's 2026 goals exist already, 1.3 with a new title; the department has a
        // new goal of its own.
        let mut w = store.begin_write(ADMIN).await.unwrap();
        let dir = w
            .create_goal(new_goal(
                GoalLevel::Direction,
                o.city,
                None,
                Some("1"),
                "Inriktningen",
                2026,
            ))
            .await
            .unwrap();
        let area = w
            .create_goal(new_goal(
                GoalLevel::Area,
                o.city,
                Some(dir.id),
                Some("1.3"),
                "Nytt namn",
                2026,
            ))
            .await
            .unwrap();
        w.commit().await.unwrap();

        // An administrator of the board only: the council's goals are not theirs to copy.
        let only_board: HashSet<NodeId> = [o.board, o.admin, o.department, o.unit].into();
        let preview = store
            .structure_copy_preview(2025, Some(&only_board))
            .await
            .unwrap();
        let names: Vec<&str> = preview.copied.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Nämnden", "Avdelningen"]);
        assert!(preview.skipped.is_empty());
        let mut w = store.begin_write(ADMIN).await.unwrap();
        w.copy_structure(2025, Some(&only_board)).await.unwrap();
        w.commit().await.unwrap();
        let board = store.goals_at_level(2026, GoalLevel::Board).await.unwrap();
        assert_eq!(board.len(), 1);
        assert_eq!(
            board[0].parent_id,
            Some(area.id),
            "hangs under 1.3 found by its number"
        );
        // Everyone: the city is skipped (it has its 2026 goals), nothing else is left.
        let all = store.structure_copy_preview(2025, None).await.unwrap();
        assert!(all.is_empty());
        let skipped: Vec<&str> = all.skipped.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(skipped, ["Staden", "Nämnden", "Avdelningen"]);
    }
);

both_backends!(
    a_goal_without_a_parent_next_year_is_listed,
    |store: Store| async move {
        let o = org(&store).await;
        year_2025(&store, &o).await;
        let mut w = store.begin_write(ADMIN).await.unwrap();
        w.create_goal(new_goal(
            GoalLevel::Direction,
            o.city,
            None,
            Some("2"),
            "Annan inriktning",
            2026,
        ))
        .await
        .unwrap();
        w.commit().await.unwrap();
        let preview = store.structure_copy_preview(2025, None).await.unwrap();
        assert!(preview.is_empty());
        let orphans: Vec<&str> = preview.orphans.iter().map(|g| g.title.as_str()).collect();
        assert_eq!(orphans, ["Nämndmålet", "Avdelningsmålet"]);
    }
);

/// 2026 as the board set it up: the structure copied, except that the department's goal
/// got a new title (so last year's unit goal under it has no place).
async fn year_2026(store: &Store, o: &Org) {
    let mut w = store.begin_write(ADMIN).await.unwrap();
    let board_2026 = {
        let only: HashSet<NodeId> = [o.city, o.board].into();
        w.copy_structure(2025, Some(&only)).await.unwrap();
        w.goals_owned_by(2026, &[o.board]).await.unwrap()[0].id
    };
    w.create_goal(new_goal(
        GoalLevel::Department,
        o.department,
        Some(board_2026),
        None,
        "Avdelningens nya mål",
        2026,
    ))
    .await
    .unwrap();
    w.commit().await.unwrap();
}

both_backends!(a_plan_starts_from_last_years, |store: Store| async move {
    let o = org(&store).await;
    let y = year_2025(&store, &o).await;
    year_2026(&store, &o).await;
    assert_eq!(store.carry_offers(o.unit).await.unwrap(), [2026]);
    let before = fingerprint(&store, 2025).await;
    let contents_2025 = store.contents(DocRef::Plan(y.plan)).await.unwrap();

    let preview = store.carry_preview(o.unit, 2026).await.unwrap();
    assert!(preview.current.is_none());
    let found: Vec<(&str, Carry)> = preview
        .goals
        .iter()
        .map(|g| (g.goal.title.as_str(), g.carry))
        .collect();
    let board_2026 = store.goals_at_level(2026, GoalLevel::Board).await.unwrap()[0].clone();
    let department_2026 = store
        .goals_at_level(2026, GoalLevel::Department)
        .await
        .unwrap()[0]
        .clone();
    assert_eq!(
        found,
        [
            (
                "Enhetsmålet",
                Carry::Matched(board_2026.id, malkedja_domain::MatchedBy::Title)
            ),
            ("Under avdelningen", Carry::Unplaced),
        ]
    );
    assert_eq!(preview.parents.len(), 2);

    let mut w = store.begin_write(MANAGER).await.unwrap();
    let out = w
        .carry_forward(o.unit, 2026, &HashMap::new())
        .await
        .unwrap();
    w.commit().await.unwrap();
    assert!(out.created_plan);
    assert_eq!(out.plan.status, PlanStatus::Draft);
    assert_eq!(out.made.goals, 1);
    assert_eq!(out.made.texts, 2);
    assert_eq!(out.made.indicators, 1);
    assert_eq!(out.made.activities, 1);
    // The board goal, the council indicator and the board activity the unit chose.
    assert_eq!(out.made.selections, 3);
    assert_eq!(out.made.sections, 2);
    assert_eq!(out.made.facts, 2);
    let unplaced: Vec<&str> = out.unplaced().map(|g| g.goal.title.as_str()).collect();
    assert_eq!(unplaced, ["Under avdelningen"]);
    assert!(out.kept.is_empty(), "{:?}", out.kept);

    // The new plan reads as last year's did, a year on.
    let doc = store.plan_document(o.unit, 2026).await.unwrap().unwrap();
    let board = doc
        .goals
        .iter()
        .flat_map(|g| g.walk())
        .find(|g| g.goal.id == board_2026.id)
        .expect("the board goal is in the plan");
    assert_eq!(board.activities.len(), 1);
    assert_eq!(board.activities[0].start, date!(2025 - 02 - 28));
    let unit_goal = board
        .children
        .iter()
        .find(|g| g.goal.level == GoalLevel::Unit)
        .unwrap();
    assert_eq!(unit_goal.goal.title, "Enhetsmålet");
    assert_eq!(
        unit_goal.sections,
        [
            (
                GoalSection::ExpectedResult,
                "Vi väntar oss resultat".to_string()
            ),
            (
                GoalSection::FollowUp,
                "Vi följer upp varje tertial".to_string()
            )
        ]
    );
    assert_eq!(unit_goal.indicators[0].target, Some(target("70 %")));
    assert_eq!(
        (unit_goal.activities[0].start, unit_goal.activities[0].end),
        (date!(2026 - 02 - 01), date!(2026 - 11 - 30))
    );
    let council: Vec<_> = doc
        .goals
        .iter()
        .flat_map(|g| g.walk())
        .flat_map(|g| g.indicators.iter())
        .filter(|i| i.indicator.name == "Andel nöjda brukare")
        .collect();
    assert_eq!(council.len(), 1);
    assert_eq!(council[0].target, Some(target("85 %")));
    let uppdrag = store
        .plan_section(out.plan.id, "uppdrag")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(uppdrag.body, "Vårt uppdrag 2025");
    let facts = store.unit_facts(o.operation, 2026).await.unwrap().unwrap();
    assert_eq!(facts.clients, Some(12));
    assert_eq!(facts.staff_meetings[0].date, date!(2025 - 02 - 28));
    assert!(store.carry_offers(o.unit).await.unwrap().is_empty());

    // Last year's plan and goals are as they were.
    assert_eq!(fingerprint(&store, 2025).await, before);
    assert_eq!(
        store.contents(DocRef::Plan(y.plan)).await.unwrap(),
        contents_2025
    );
    let trail = store
        .audit_trail("plan", &out.plan.id.to_string())
        .await
        .unwrap();
    assert!(
        trail
            .iter()
            .any(|e| e.action == "carry_forward" && e.actor == MANAGER)
    );

    // The writer places the goal left over; the rest is kept, nothing made twice.
    let lonely = preview.goals[1].goal.id;
    let choices = HashMap::from([(lonely, Choice::Under(department_2026.id))]);
    let mut w = store.begin_write(MANAGER).await.unwrap();
    let again = w.carry_forward(o.unit, 2026, &choices).await.unwrap();
    w.commit().await.unwrap();
    assert!(!again.created_plan);
    assert_eq!(again.made.goals, 1);
    assert_eq!(again.made.texts, 1);
    assert_eq!(
        (
            again.made.indicators,
            again.made.activities,
            again.made.selections,
            again.made.sections,
            again.made.facts
        ),
        (0, 0, 0, 0, 0)
    );
    assert!(again.unplaced().next().is_none());
    assert!(
        again
            .kept
            .iter()
            .any(|k| k == "Enhetsmålet \"Enhetsmålet\" fanns redan"),
        "{:?}",
        again.kept
    );
    let unit_goals = store.goals_at_level(2026, GoalLevel::Unit).await.unwrap();
    assert_eq!(unit_goals.len(), 2);
    let placed = unit_goals
        .iter()
        .find(|g| g.title == "Under avdelningen")
        .unwrap();
    assert_eq!(placed.parent_id, Some(department_2026.id));
    let contents = store.contents(DocRef::Plan(out.plan.id)).await.unwrap();
    assert!(contents.goals.contains(&placed.id));
    // Left out the third time: nothing changes.
    let mut w = store.begin_write(MANAGER).await.unwrap();
    let third = w
        .carry_forward(o.unit, 2026, &HashMap::from([(lonely, Choice::LeaveOut)]))
        .await
        .unwrap();
    w.commit().await.unwrap();
    assert_eq!(third.made, Default::default());
    let _ = y.board_goal;
    let _ = y.department_goal;
});

both_backends!(
    text_written_this_year_is_never_overwritten,
    |store: Store| async move {
        let o = org(&store).await;
        year_2025(&store, &o).await;
        year_2026(&store, &o).await;
        let board_2026 = store.goals_at_level(2026, GoalLevel::Board).await.unwrap()[0].id;
        // The unit has begun its 2026 plan: a section, the goal with one text, its facts.
        let mut w = store.begin_write(MANAGER).await.unwrap();
        let plan = w.create_plan(o.unit, 2026).await.unwrap();
        w.save_plan_section(plan.id, "uppdrag", "Redan skrivet 2026", 0)
            .await
            .unwrap();
        let goal = w
            .create_goal(new_goal(
                GoalLevel::Unit,
                o.unit,
                Some(board_2026),
                None,
                "enhetsmålet",
                2026,
            ))
            .await
            .unwrap();
        w.include(DocRef::Plan(plan.id), malkedja_store::Item::Goal(goal.id))
            .await
            .unwrap();
        w.set_goal_text(
            goal.id,
            GoalSection::ExpectedResult,
            "Årets förväntade resultat",
            datetime!(2025-01-01 0:00 UTC),
        )
        .await
        .unwrap();
        w.save_facts(&UnitFacts::empty(o.unit, 2026)).await.unwrap();
        w.commit().await.unwrap();
        // Not empty any more: not offered, but it can still be used.
        assert!(store.carry_offers(o.unit).await.unwrap().is_empty());

        let mut w = store.begin_write(MANAGER).await.unwrap();
        let out = w
            .carry_forward(o.unit, 2026, &HashMap::new())
            .await
            .unwrap();
        w.commit().await.unwrap();
        assert_eq!(out.made.goals, 0);
        assert_eq!(out.made.texts, 1, "only Uppföljning, which 2026 lacked");
        assert_eq!(out.made.sections, 1, "only Budget");
        assert_eq!(out.made.facts, 1, "only the operation's");
        for kept in [
            "Enhetsmålet \"Enhetsmålet\" fanns redan",
            "Förväntat resultat i enhetsmålet \"Enhetsmålet\"",
            "Avsnittet \"Enhetens uppdrag\"",
            "Uppgifterna om Enheten för 2026",
        ] {
            assert!(
                out.kept.iter().any(|k| k == kept),
                "{kept} in {:?}",
                out.kept
            );
        }
        let texts = store.goal_texts(goal.id).await.unwrap();
        let expected: Vec<&str> = texts
            .iter()
            .filter(|t| t.section == GoalSection::ExpectedResult)
            .map(|t| t.body.as_str())
            .collect();
        assert_eq!(expected, ["Årets förväntade resultat"]);
        // The goal's version moved on with the text it got: a page opened before is stale.
        assert_eq!(
            store.goal(goal.id).await.unwrap().unwrap().version,
            goal.version + 1
        );
        let uppdrag = store
            .plan_section(plan.id, "uppdrag")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(uppdrag.body, "Redan skrivet 2026");
        assert_eq!(
            store
                .unit_facts(o.unit, 2026)
                .await
                .unwrap()
                .unwrap()
                .clients,
            None
        );
    }
);

both_backends!(
    a_locked_plan_or_no_plan_last_year_is_refused,
    |store: Store| async move {
        let o = org(&store).await;
        // No plan for 2025 yet: nothing to start from.
        let mut w = store.begin_write(MANAGER).await.unwrap();
        let r = w.carry_forward(o.unit, 2026, &HashMap::new()).await;
        assert!(matches!(r, Err(StoreError::NotFound(_))), "{r:?}");
        drop(w);
        assert!(matches!(
            store.carry_preview(o.unit, 2026).await,
            Err(StoreError::NotFound(_))
        ));
        year_2025(&store, &o).await;
        year_2026(&store, &o).await;
        let mut w = store.begin_write(MANAGER).await.unwrap();
        let plan = w.create_plan(o.unit, 2026).await.unwrap();
        w.set_plan_status(plan.id, plan.version, PlanStatus::Submitted)
            .await
            .unwrap();
        w.commit().await.unwrap();
        let mut w = store.begin_write(MANAGER).await.unwrap();
        let r = w.carry_forward(o.unit, 2026, &HashMap::new()).await;
        assert!(matches!(r, Err(StoreError::Locked(_))), "{r:?}");
        drop(w);
        assert!(
            store
                .contents(DocRef::Plan(plan.id))
                .await
                .unwrap()
                .is_empty()
        );
    }
);

both_backends!(the_template_has_a_version, |store: Store| async move {
    let o = org(&store).await;
    let t = store.template_of(o.admin, 2025).await.unwrap();
    assert!(t.is_default());
    assert_eq!(t.sections, default_plan_template());

    // A first save from the default, then a stale one.
    let mut renamed = t.sections.clone();
    renamed[1].heading = "Vårt uppdrag".into();
    let mut w = store.begin_write(ADMIN).await.unwrap();
    assert_eq!(
        w.save_template(o.admin, 2025, &renamed, 0).await.unwrap(),
        1
    );
    w.commit().await.unwrap();
    let mut other = t.sections.clone();
    other[1].guidance = "Annan vägledning".into();
    let mut w = store.begin_write("bertil@example.se").await.unwrap();
    let r = w.save_template(o.admin, 2025, &other, 0).await;
    assert!(
        matches!(
            r,
            Err(StoreError::Conflict {
                expected: 0,
                actual: 1,
                ..
            })
        ),
        "{r:?}"
    );
    drop(w);
    let now = store.template_of(o.admin, 2025).await.unwrap();
    assert_eq!(
        (now.version, now.sections[1].heading.as_str()),
        (1, "Vårt uppdrag")
    );
    // The same template again changes nothing.
    let mut w = store.begin_write(ADMIN).await.unwrap();
    assert_eq!(
        w.save_template(o.admin, 2025, &renamed, 1).await.unwrap(),
        1
    );
    w.commit().await.unwrap();
    let trail = store
        .audit_trail("template", &format!("{}/2025", o.admin))
        .await
        .unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].action, "save_template");

    // A broken template is refused.
    let mut broken = renamed.clone();
    broken[2].parent_key = Some("finns_inte".into());
    let mut w = store.begin_write(ADMIN).await.unwrap();
    let r = w.save_template(o.admin, 2025, &broken, 1).await;
    assert!(
        matches!(r, Err(StoreError::Template(TemplateError::UnknownParent))),
        "{r:?}"
    );
    drop(w);

    // The importer's way moves the version on too: a page opened before is stale.
    let mut w = store.begin_write("import").await.unwrap();
    let mut more = renamed.clone();
    more[3].guidance = "Från importen".into();
    w.set_template(o.admin, 2025, &more).await.unwrap();
    w.commit().await.unwrap();
    assert_eq!(store.template_of(o.admin, 2025).await.unwrap().version, 2);

    // Next year starts from this one.
    let mut w = store.begin_write(ADMIN).await.unwrap();
    assert_eq!(w.copy_template(o.admin, 2025, 2026, 0).await.unwrap(), 1);
    w.commit().await.unwrap();
    let next = store.template_of(o.admin, 2026).await.unwrap();
    assert_eq!(next.sections, more);
    assert_eq!(store.template_of(o.admin, 2025).await.unwrap().version, 2);
});

both_backends!(
    a_section_with_text_is_not_removed,
    |store: Store| async move {
        let o = org(&store).await;
        year_2025(&store, &o).await;
        // A second unit with text in Budget too.
        let mut w = store.begin_write("test").await.unwrap();
        let other = w
            .create_node(NewNode {
                parent_id: Some(o.department),
                kind: OrgKind::Unit,
                name: "Andra enheten".into(),
                position: 1,
            })
            .await
            .unwrap();
        let plan = w.create_plan(other.id, 2025).await.unwrap();
        w.save_plan_section(plan.id, "budget", "Vår budget", 0)
            .await
            .unwrap();
        w.save_plan_section(plan.id, "agenda2030", "  ", 0)
            .await
            .unwrap();
        w.commit().await.unwrap();
        let counts = store.plans_with_text(o.admin, 2025).await.unwrap();
        assert_eq!(counts.get("budget"), Some(&2));
        assert_eq!(counts.get("agenda2030"), None, "blank is no text");

        let t = store.template_of(o.admin, 2025).await.unwrap();
        let without = malkedja_domain::remove_section(&t.sections, "budget").unwrap();
        let mut w = store.begin_write(ADMIN).await.unwrap();
        let r = w.save_template(o.admin, 2025, &without, 0).await;
        match r {
            Err(StoreError::Template(e @ TemplateError::HasText { plans: 2, .. })) => {
                assert!(e.to_string().contains("Budget 2025"), "{e}");
                assert!(e.to_string().contains("2 planer har text"), "{e}");
            }
            other => panic!("{other:?}"),
        }
        drop(w);
        // A section without text goes.
        let without = malkedja_domain::remove_section(&t.sections, "agenda2030").unwrap();
        let mut w = store.begin_write(ADMIN).await.unwrap();
        w.save_template(o.admin, 2025, &without, 0).await.unwrap();
        w.commit().await.unwrap();
        let now = store.template_of(o.admin, 2025).await.unwrap();
        assert!(!now.sections.iter().any(|s| s.key == "agenda2030"));
        assert!(now.sections.iter().any(|s| s.key == "budget"));
    }
);

both_backends!(removed_items_stay_behind, |store: Store| async move {
    let o = org(&store).await;
    let y = year_2025(&store, &o).await;
    let mut w = store.begin_write(ADMIN).await.unwrap();
    let whole_year = w
        .activities_on(y.board_goal)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.title == "Hela året")
        .unwrap();
    w.remove(
        malkedja_store::Item::Activity(whole_year.id),
        whole_year.version,
    )
    .await
    .unwrap();
    let department = w.goal(y.department_goal).await.unwrap().unwrap();
    // Its unit goal goes first: a goal with goals under it is not removed.
    let unit_goals: Vec<_> = store
        .goals_at_level(2025, GoalLevel::Unit)
        .await
        .unwrap()
        .into_iter()
        .filter(|g| g.parent_id == Some(department.id))
        .collect();
    for g in unit_goals {
        w.remove(malkedja_store::Item::Goal(g.id), g.version)
            .await
            .unwrap();
    }
    w.remove(
        malkedja_store::Item::Goal(department.id),
        department.version,
    )
    .await
    .unwrap();
    w.commit().await.unwrap();
    let preview = store.structure_copy_preview(2025, None).await.unwrap();
    // Goals, texts, indicators, targets, activities: without the department's goal and
    // its activity, and without the board's removed activity.
    assert_eq!(preview.totals(), (3, 3, 2, 2, 1));
});
