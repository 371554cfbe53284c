//! A plan's workflow: submitted, approved, returned, reopened, each step recorded and
//! audited; a plan that is not open for writing refuses a person's writes but not the
//! importer's; an approved plan keeps the goal texts it was approved with. On SQLite and
//! PostgreSQL.

use malkedja_domain::{
    GoalId, GoalLevel, GoalSection, NewGoal, NewNode, NodeId, OrgKind, PlanId, PlanStatus,
    Transition, WorkflowDoc, WorkflowError,
};
use malkedja_import::{ParseOptions, parse_with};
use malkedja_store::import::{ImportOptions, import_document};
use malkedja_store::{DocRef, Item, Store, StoreError, both_backends};
use std::collections::HashMap;
use time::macros::datetime;

const MANAGER: &str = "chef@example.se";
const CONTROLLER: &str = "controller@example.se";
const ADMIN: &str = "admin@example.se";

struct Fixture {
    unit: NodeId,
    plan: PlanId,
    board_goal: GoalId,
}

/// City → board → administration → department → unit, a board goal with a description
/// (under a council direction and area), and the unit's draft plan for 2025 that takes the
/// board goal.
async fn fixture(store: &Store) -> Fixture {
    let mut w = store.begin_write("test").await.unwrap();
    let mut nodes = Vec::new();
    let mut parent = None;
    for (kind, name) in [
        (OrgKind::City, "Staden"),
        (OrgKind::Board, "Nämnden"),
        (OrgKind::Administration, "Förvaltningen"),
        (OrgKind::Department, "Avdelningen"),
        (OrgKind::Unit, "Enheten"),
    ] {
        let node = w
            .create_node(NewNode {
                parent_id: parent,
                kind,
                name: name.into(),
                position: 0,
            })
            .await
            .unwrap();
        parent = Some(node.id);
        nodes.push(node.id);
    }
    let goal = |level, owner, parent, number: Option<&str>, title: &str| NewGoal {
        year: 2025,
        level,
        owner_id: owner,
        parent_id: parent,
        number: number.map(Into::into),
        title: title.into(),
        position: 0,
    };
    let dir = w
        .create_goal(goal(
            GoalLevel::Direction,
            nodes[0],
            None,
            Some("1"),
            "Inriktning",
        ))
        .await
        .unwrap();
    let area = w
        .create_goal(goal(
            GoalLevel::Area,
            nodes[0],
            Some(dir.id),
            Some("1.1"),
            "Område",
        ))
        .await
        .unwrap();
    let board = w
        .create_goal(goal(
            GoalLevel::Board,
            nodes[1],
            Some(area.id),
            None,
            "Nämndens mål",
        ))
        .await
        .unwrap();
    w.set_goal_text(
        board.id,
        GoalSection::Description,
        "Den lydelse som gällde när planen fastställdes",
        datetime!(2024-12-01 0:00 UTC),
    )
    .await
    .unwrap();
    let unit = nodes[4];
    let plan = w.create_plan(unit, 2025).await.unwrap();
    w.select_goal(plan.id, board.id).await.unwrap();
    // Every section that asks for text has some: the plan check lets it be submitted.
    for s in malkedja_domain::default_plan_template() {
        if !s.guidance.is_empty() {
            w.save_plan_section(plan.id, &s.key, "Skrivet.", 0)
                .await
                .unwrap();
        }
    }
    w.commit().await.unwrap();
    Fixture {
        unit,
        plan: plan.id,
        board_goal: board.id,
    }
}

async fn version(store: &Store, unit: NodeId) -> (PlanStatus, i64) {
    let p = store.plan(unit, 2025).await.unwrap().expect("a plan");
    (p.status, p.version)
}

/// Takes one step as `actor`, committed.
async fn step(
    store: &Store,
    actor: &str,
    f: &Fixture,
    to: PlanStatus,
    comment: &str,
) -> Result<Transition, StoreError> {
    let (_, v) = version(store, f.unit).await;
    let mut w = store.begin_write(actor).await?;
    let (plan, record) = w.transition_plan(f.plan, v, to, comment).await?;
    w.commit().await?;
    assert_eq!(plan.status, to);
    assert_eq!(record.to, to);
    Ok(record.transition)
}

fn description(doc: &malkedja_domain::PlanDocument, goal: GoalId) -> String {
    doc.goals
        .iter()
        .flat_map(|g| g.walk())
        .find(|g| g.goal.id == goal)
        .and_then(|g| {
            g.sections
                .iter()
                .find(|(s, _)| *s == GoalSection::Description)
                .map(|(_, b)| b.clone())
        })
        .unwrap_or_default()
}

async fn revise(store: &Store, goal: GoalId, body: &str) {
    let mut w = store.begin_write("redaktor@example.se").await.unwrap();
    let at = time::OffsetDateTime::now_utc() - time::Duration::seconds(1);
    w.set_goal_text(goal, GoalSection::Description, body, at)
        .await
        .unwrap()
        .expect("a new revision");
    w.commit().await.unwrap();
}

fn assert_locked<T: std::fmt::Debug>(r: Result<T, StoreError>, starts: &str) {
    match r {
        Err(StoreError::Locked(m)) if m.starts_with(starts) => {}
        other => panic!("expected Locked({starts}…), got {other:?}"),
    }
}

both_backends!(every_step_recorded_and_audited, |store: Store| async move {
    let f = fixture(&store).await;
    assert!(store.plan_transitions(f.plan).await.unwrap().is_empty());
    let steps = [
        (MANAGER, PlanStatus::Submitted, "", Transition::Submit),
        (
            CONTROLLER,
            PlanStatus::Returned,
            "  Komplettera årsmålen.  ",
            Transition::Return,
        ),
        (
            MANAGER,
            PlanStatus::Submitted,
            "Nu med årsmål",
            Transition::Submit,
        ),
        (CONTROLLER, PlanStatus::Approved, "", Transition::Approve),
        (ADMIN, PlanStatus::Draft, "Nytt uppdrag", Transition::Reopen),
    ];
    for (actor, to, comment, expected) in steps {
        assert_eq!(
            step(&store, actor, &f, to, comment).await.unwrap(),
            expected
        );
        assert_eq!(version(&store, f.unit).await.0, to);
    }
    let records = store.plan_transitions(f.plan).await.unwrap();
    assert_eq!(records.len(), steps.len());
    for (r, (actor, to, comment, t)) in records.iter().zip(steps) {
        assert_eq!(r.plan_id, f.plan);
        assert_eq!((r.actor.as_str(), r.to, r.transition), (actor, to, t));
        let comment = comment.trim();
        assert_eq!(
            r.comment.as_deref(),
            (!comment.is_empty()).then_some(comment)
        );
    }
    assert_eq!(records[1].comment.as_deref(), Some("Komplettera årsmålen."));
    assert_eq!(records[0].from, PlanStatus::Draft);
    assert_eq!(records[2].from, PlanStatus::Returned);
    assert!(
        records
            .windows(2)
            .all(|w| w[0].id < w[1].id && w[0].at <= w[1].at)
    );

    let trail: Vec<_> = store
        .audit_trail("plan", &f.plan.to_string())
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "transition")
        .collect();
    assert_eq!(trail.len(), steps.len());
    for (e, r) in trail.iter().zip(&records) {
        assert_eq!(e.actor, r.actor);
        let after = e.after.as_ref().expect("the record");
        assert_eq!(after["transition"], r.transition.code());
        assert_eq!(after["to"], r.to.code());
        let before = e.before.as_ref().expect("the plan before");
        assert_eq!(before["status"], r.from.code());
    }
    // The status itself is written by the versioned, audited status write.
    let status_events = store
        .audit_trail("plan", &f.plan.to_string())
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "set_status")
        .count();
    assert_eq!(status_events, steps.len());
});

both_backends!(impossible_steps_are_refused, |store: Store| async move {
    let f = fixture(&store).await;
    let refused = |r: Result<Transition, StoreError>| match r {
        Err(StoreError::Workflow(e)) => e,
        other => panic!("expected a refusal, got {other:?}"),
    };
    // A draft cannot be approved or returned, nor become a draft.
    let e = refused(step(&store, CONTROLLER, &f, PlanStatus::Approved, "").await);
    assert!(matches!(e, WorkflowError::Impossible { .. }), "{e:?}");
    refused(step(&store, CONTROLLER, &f, PlanStatus::Returned, "x").await);
    let e = refused(step(&store, MANAGER, &f, PlanStatus::Draft, "").await);
    assert_eq!(
        e,
        WorkflowError::Already(PlanStatus::Draft, WorkflowDoc::Plan)
    );

    step(&store, MANAGER, &f, PlanStatus::Submitted, "")
        .await
        .unwrap();
    let e = refused(step(&store, MANAGER, &f, PlanStatus::Submitted, "").await);
    assert_eq!(e.to_string(), "Planen är redan inskickad");
    // A return needs a comment.
    let e = refused(step(&store, CONTROLLER, &f, PlanStatus::Returned, "  ").await);
    assert_eq!(e.to_string(), "En återremiss behöver en kommentar");
    let long = "x".repeat(malkedja_domain::COMMENT_MAX_CHARS + 1);
    let e = refused(step(&store, CONTROLLER, &f, PlanStatus::Returned, &long).await);
    assert!(matches!(e, WorkflowError::CommentTooLong { .. }), "{e:?}");

    step(&store, CONTROLLER, &f, PlanStatus::Approved, "")
        .await
        .unwrap();
    refused(step(&store, MANAGER, &f, PlanStatus::Submitted, "").await);
    // Reopening needs a reason.
    let e = refused(step(&store, ADMIN, &f, PlanStatus::Draft, "").await);
    assert_eq!(
        e,
        WorkflowError::CommentRequired(Transition::Reopen, WorkflowDoc::Plan)
    );
    assert_eq!(version(&store, f.unit).await.0, PlanStatus::Approved);
    // Only the two steps taken are recorded.
    assert_eq!(store.plan_transitions(f.plan).await.unwrap().len(), 2);
});

both_backends!(a_stale_version_is_a_conflict, |store: Store| async move {
    let f = fixture(&store).await;
    let (_, v) = version(&store, f.unit).await;
    let mut w = store.begin_write(MANAGER).await.unwrap();
    w.transition_plan(f.plan, v, PlanStatus::Submitted, "")
        .await
        .unwrap();
    w.commit().await.unwrap();
    // A controller who opened the plan before it was submitted.
    let mut w = store.begin_write(CONTROLLER).await.unwrap();
    match w.transition_plan(f.plan, v, PlanStatus::Approved, "").await {
        Err(StoreError::Conflict {
            expected, actual, ..
        }) => {
            assert_eq!(expected, v);
            assert!(actual > v);
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    w.rollback().await.unwrap();
    assert_eq!(version(&store, f.unit).await.0, PlanStatus::Submitted);
    assert_eq!(store.plan_transitions(f.plan).await.unwrap().len(), 1);
});

both_backends!(
    an_approved_plan_keeps_its_texts,
    |store: Store| async move {
        let f = fixture(&store).await;
        // A draft shows the text in force now.
        revise(&store, f.board_goal, "Andra lydelsen").await;
        let doc = store.plan_document(f.unit, 2025).await.unwrap().unwrap();
        assert_eq!(description(&doc, f.board_goal), "Andra lydelsen");

        step(&store, MANAGER, &f, PlanStatus::Submitted, "")
            .await
            .unwrap();
        step(&store, CONTROLLER, &f, PlanStatus::Approved, "")
            .await
            .unwrap();
        revise(
            &store,
            f.board_goal,
            "Tredje lydelsen, efter fastställandet",
        )
        .await;
        let doc = store.plan_document(f.unit, 2025).await.unwrap().unwrap();
        assert_eq!(description(&doc, f.board_goal), "Andra lydelsen");
        // Reopened, it still reads as approved until it is written again.
        step(&store, ADMIN, &f, PlanStatus::Draft, "Ändrat uppdrag")
            .await
            .unwrap();
        let doc = store.plan_document(f.unit, 2025).await.unwrap().unwrap();
        assert_eq!(description(&doc, f.board_goal), "Andra lydelsen");
        let pins = store
            .audit_trail("document_pins", &format!("plan/{}", f.plan))
            .await
            .unwrap();
        assert_eq!(pins.len(), 1, "pinned once, at approval");
    }
);

/// Every write of a plan's record a person can make.
async fn person_writes(store: &Store, f: &Fixture) -> Vec<Result<(), StoreError>> {
    let mut out = Vec::new();
    let doc = DocRef::Plan(f.plan);
    for i in 0..5 {
        let mut w = store.begin_write(MANAGER).await.unwrap();
        let r = match i {
            0 => w
                .save_plan_section(f.plan, "inledning", "Ny text", 0)
                .await
                .map(drop),
            1 => w.set_contents(doc, &Default::default()).await.map(drop),
            2 => w.include(doc, Item::Goal(f.board_goal)).await.map(drop),
            3 => w
                .set_pins(
                    doc,
                    &HashMap::from([((f.board_goal, GoalSection::Description), 1)]),
                )
                .await
                .map(drop),
            _ => w
                .set_document_target(doc, malkedja_domain::IndicatorId(1), None)
                .await
                .map(drop),
        };
        w.rollback().await.unwrap();
        out.push(r);
    }
    out
}

both_backends!(
    a_plan_not_open_for_writing_refuses_writes,
    |store: Store| async move {
        let f = fixture(&store).await;
        step(&store, MANAGER, &f, PlanStatus::Submitted, "")
            .await
            .unwrap();
        for r in person_writes(&store, &f).await {
            assert_locked(r, "Planen är inskickad och ligger hos controllern");
        }
        let mut w = store.begin_write(MANAGER).await.unwrap();
        assert_locked(w.require_plan_open(f.plan).await, "Planen är inskickad");
        w.rollback().await.unwrap();

        step(&store, CONTROLLER, &f, PlanStatus::Approved, "")
            .await
            .unwrap();
        for r in person_writes(&store, &f).await {
            assert_locked(
                r,
                "Planen är fastställd och kan inte ändras. En administratör kan öppna den igen.",
            );
        }
        // Reopened (or returned), it is open again.
        step(&store, ADMIN, &f, PlanStatus::Draft, "Ändrat uppdrag")
            .await
            .unwrap();
        let mut w = store.begin_write(MANAGER).await.unwrap();
        w.save_plan_section(f.plan, "inledning", "Ny text", 0)
            .await
            .unwrap();
        w.commit().await.unwrap();
        step(&store, MANAGER, &f, PlanStatus::Submitted, "")
            .await
            .unwrap();
        step(&store, CONTROLLER, &f, PlanStatus::Returned, "Mer om målen")
            .await
            .unwrap();
        let mut w = store.begin_write(MANAGER).await.unwrap();
        let s = w.plan_section(f.plan, "inledning").await.unwrap().unwrap();
        w.save_plan_section(f.plan, "inledning", "Ännu nyare text", s.version)
            .await
            .unwrap();
        w.commit().await.unwrap();
    }
);

const PLAN: &str = "Inledning \nEnhetens uppdrag \nVi sköter kommunens trädgårdar. \n\nKF:s inriktningsmål: 1. Ett påhittat inriktningsmål \n\nKF:s mål för verksamhetsområdet: 1.2 Ett påhittat områdesmål \n\nNämndmål: Nämnden sköter parkerna väl \n\nBeskrivning \n\nNämnden planterar träd. \n\nEnhetsmål: Enheten vattnar alla rabatter \n\nFörväntat resultat \n\nInga rabatter torkar. \n\n Redovisning av ekonomi \n\nBudget 2031 \nBudgeten är 3 mnkr. \n";

async fn import(store: &Store, text: &str) -> malkedja_store::import::ImportSummary {
    let d = parse_with(
        text,
        &ParseOptions {
            unit: Some("Trädgårdsenheten".into()),
            year: Some(2031),
        },
    )
    .expect("the plan parses");
    let mut w = store.begin_write("import").await.unwrap();
    let s = import_document(&mut w, &d, &ImportOptions::default())
        .await
        .expect("the plan imports");
    w.commit().await.unwrap();
    s
}

both_backends!(
    the_importer_still_writes_an_approved_plan,
    |store: Store| async move {
        import(&store, PLAN).await;
        let unit = store
            .org_nodes()
            .await
            .unwrap()
            .into_iter()
            .find(|n| n.name == "Trädgårdsenheten")
            .expect("the unit")
            .id;
        let plan = store.plan(unit, 2031).await.unwrap().expect("the plan");
        // Approved as an imported record is (the plan check, which guards submitting a
        // plan written here, is not what this is about).
        let mut w = store.begin_write(CONTROLLER).await.unwrap();
        let p = w
            .set_plan_status(plan.id, plan.version, PlanStatus::Approved)
            .await
            .unwrap();
        w.commit().await.unwrap();
        assert_eq!(p.status, PlanStatus::Approved);

        // A revised document of the same approved plan: its texts replace the old.
        let revised = PLAN
            .replace(
                "Vi sköter kommunens trädgårdar.",
                "Vi sköter stadens alla trädgårdar.",
            )
            .replace("Nämnden planterar träd.", "Nämnden planterar ekar.");
        let summary = import(&store, &revised).await;
        assert!(summary.changed_anything());
        let doc = store.plan_document(unit, 2031).await.unwrap().unwrap();
        assert_eq!(doc.plan.status, PlanStatus::Approved);
        let text = format!("{:?}", doc);
        assert!(
            text.contains("Vi sköter stadens alla trädgårdar."),
            "{text}"
        );
        assert!(text.contains("Nämnden planterar ekar."), "{text}");
        assert!(!text.contains("Nämnden planterar träd."), "{text}");
        // A person still cannot.
        let mut w = store.begin_write(MANAGER).await.unwrap();
        assert_locked(
            w.save_plan_section(plan.id, "inledning", "x", 0).await,
            "Planen är fastställd",
        );
        w.rollback().await.unwrap();
    }
);
