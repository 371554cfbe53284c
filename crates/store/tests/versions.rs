//! Version checks under real races, on SQLite and PostgreSQL alike: two writers start from
//! the same version of an editable row; exactly one save wins, the other is a
//! [`StoreError::Conflict`], and the audit trail holds exactly one change.
//!
//! Every race is staged the same way ([`race`]): anna saves and keeps her transaction open;
//! bertil starts his own transaction from the same version and saves; only when bertil waits
//! for anna (on PostgreSQL his write waits on her row; on SQLite his writer waits for hers)
//! does anna commit.

use malkedja_domain::{NewNode, NodeId, OrgKind, PlanId, UnitFacts};
use malkedja_store::testing::wait_for_blocked_writer;
use malkedja_store::{Backend, Store, StoreError, Writer, both_backends};

struct Org {
    admin: NodeId,
    other_dept: NodeId,
    unit: NodeId,
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
    let other_dept = node(Some(admin), OrgKind::Department, "Andra avdelningen").await;
    // The year exists before the races, so that they meet on the rows they are about.
    w.ensure_year(2025).await.unwrap();
    w.commit().await.unwrap();
    Org {
        admin,
        other_dept,
        unit,
    }
}

/// Anna and bertil both save with `save`, from whatever version `save` states; anna's
/// transaction is open while bertil's save runs, and commits once bertil waits for it.
/// Bertil's writer commits when his save succeeds. Returns (anna's result, bertil's).
async fn race<T>(
    store: &Store,
    save: impl AsyncFn(&mut Writer, &'static str) -> Result<T, StoreError>,
) -> (Result<T, StoreError>, Result<T, StoreError>) {
    let mut anna = store.begin_write("anna").await.unwrap();
    let first = save(&mut anna, "anna").await;
    let second = async {
        let mut bertil = store.begin_write("bertil").await?;
        let saved = save(&mut bertil, "bertil").await?;
        bertil.commit().await?;
        Ok(saved)
    };
    let commit_first = async {
        assert!(
            wait_for_blocked_writer(store).await,
            "bertil's save never waited for anna's open transaction"
        );
        anna.commit().await.unwrap();
    };
    let (second, ()) = tokio::join!(second, commit_first);
    (first, second)
}

fn assert_conflict<T: std::fmt::Debug>(r: Result<T, StoreError>, expected: i64, actual: i64) {
    match r {
        Err(StoreError::Conflict {
            expected: e,
            actual: a,
            ..
        }) if e == expected && a == actual => {}
        other => {
            panic!("expected a conflict (from version {expected}, now {actual}), got {other:?}")
        }
    }
}

/// The audit trail of one row holds `before` events and then exactly one change, anna's.
async fn assert_one_change(store: &Store, entity: &str, id: &str, before: usize) {
    let trail = store.audit_trail(entity, id).await.unwrap();
    let actors: Vec<&str> = trail.iter().map(|e| e.actor.as_str()).collect();
    assert_eq!(trail.len(), before + 1, "{entity} {id}: {actors:?}");
    assert_eq!(trail[before].actor, "anna", "{entity} {id}: {actors:?}");
}

fn facts(unit: NodeId, version: i64, clients: i64) -> UnitFacts {
    let mut f = UnitFacts::empty(unit, 2025);
    f.clients = Some(clients);
    f.version = version;
    f
}

fn clients_of(who: &str) -> i64 {
    if who == "anna" { 10 } else { 20 }
}

both_backends!(facts_race_from_one_version, |store: Store| async move {
    let o = org(&store).await;
    let mut w = store.begin_write("start").await.unwrap();
    w.save_facts(&facts(o.unit, 0, 1)).await.unwrap();
    w.commit().await.unwrap();

    let (anna, bertil) = race(&store, async |w: &mut Writer, who| {
        w.save_facts(&facts(o.unit, 1, clients_of(who))).await
    })
    .await;
    assert_eq!(anna.unwrap().version, 2);
    assert_conflict(bertil, 1, 2);
    let stored = store.unit_facts(o.unit, 2025).await.unwrap().unwrap();
    assert_eq!(stored.clients, Some(10), "anna's value is kept");
    assert_eq!(stored.version, 2);
    assert_one_change(&store, "unit_facts", &format!("{}/2025", o.unit), 1).await;
});

both_backends!(facts_race_of_two_first_saves, |store: Store| async move {
    let o = org(&store).await;
    let (anna, bertil) = race(&store, async |w: &mut Writer, who| {
        w.save_facts(&facts(o.unit, 0, clients_of(who))).await
    })
    .await;
    assert_eq!(anna.unwrap().version, 1);
    assert_conflict(bertil, 0, 1);
    let stored = store.unit_facts(o.unit, 2025).await.unwrap().unwrap();
    assert_eq!(stored.clients, Some(10));
    assert_one_change(&store, "unit_facts", &format!("{}/2025", o.unit), 0).await;
});

async fn plan(store: &Store, unit: NodeId) -> PlanId {
    let mut w = store.begin_write("start").await.unwrap();
    let plan = w.create_plan(unit, 2025).await.unwrap();
    w.commit().await.unwrap();
    plan.id
}

both_backends!(
    plan_section_race_from_one_version,
    |store: Store| async move {
        let o = org(&store).await;
        let plan = plan(&store, o.unit).await;
        let mut w = store.begin_write("start").await.unwrap();
        w.save_plan_section(plan, "uppdrag", "Början", 0)
            .await
            .unwrap();
        w.commit().await.unwrap();

        let (anna, bertil) = race(&store, async |w: &mut Writer, who| {
            w.save_plan_section(plan, "uppdrag", &format!("{who}s text"), 1)
                .await
        })
        .await;
        assert_eq!(anna.unwrap().version, 2);
        assert_conflict(bertil, 1, 2);
        let stored = store.plan_section(plan, "uppdrag").await.unwrap().unwrap();
        assert_eq!(stored.body, "annas text");
        assert_one_change(&store, "plan_section", &format!("{plan}/uppdrag"), 1).await;
    }
);

both_backends!(
    plan_section_race_of_two_first_saves,
    |store: Store| async move {
        let o = org(&store).await;
        let plan = plan(&store, o.unit).await;
        let (anna, bertil) = race(&store, async |w: &mut Writer, who| {
            w.save_plan_section(plan, "uppdrag", &format!("{who}s text"), 0)
                .await
        })
        .await;
        assert_eq!(anna.unwrap().version, 1);
        assert_conflict(bertil, 0, 1);
        let stored = store.plan_section(plan, "uppdrag").await.unwrap().unwrap();
        assert_eq!(stored.body, "annas text");
        assert_one_change(&store, "plan_section", &format!("{plan}/uppdrag"), 0).await;
    }
);

both_backends!(plan_race_of_two_creations, |store: Store| async move {
    let o = org(&store).await;
    let (anna, bertil) = race(&store, async |w: &mut Writer, _who| {
        w.create_plan(o.unit, 2025).await
    })
    .await;
    assert_eq!(anna.unwrap().version, 1);
    assert_conflict(bertil, 0, 1);
    let plan = store.plan(o.unit, 2025).await.unwrap().unwrap();
    assert_one_change(&store, "plan", &plan.id.to_string(), 0).await;
});

// Two people change a plan's status from the same version (say, one approves while the
// other returns it): one wins, the other is a conflict, on both backends.
both_backends!(plan_status_race, |store: Store| async move {
    use malkedja_domain::PlanStatus;
    let o = org(&store).await;
    let plan = plan(&store, o.unit).await;
    let (anna, bertil) = race(&store, async |w: &mut Writer, who| {
        let status = if who == "anna" {
            PlanStatus::Approved
        } else {
            PlanStatus::Returned
        };
        w.set_plan_status(plan, 1, status).await
    })
    .await;
    assert_eq!(anna.unwrap().status, PlanStatus::Approved);
    assert_conflict(bertil, 1, 2);
    let stored = store.plan(o.unit, 2025).await.unwrap().unwrap();
    assert_eq!((stored.status, stored.version), (PlanStatus::Approved, 2));
    assert_one_change(&store, "plan", &plan.to_string(), 1).await;
});

both_backends!(report_status_race, |store: Store| async move {
    use malkedja_domain::{PlanStatus, ReportKind};
    let o = org(&store).await;
    let plan = plan(&store, o.unit).await;
    let mut w = store.begin_write("start").await.unwrap();
    let at = time::macros::datetime!(2025-12-31 0:00 UTC);
    let report = w
        .ensure_report(plan, ReportKind::AnnualReport, at)
        .await
        .unwrap()
        .id;
    w.commit().await.unwrap();
    let (anna, bertil) = race(&store, async |w: &mut Writer, who| {
        let status = if who == "anna" {
            PlanStatus::Approved
        } else {
            PlanStatus::Returned
        };
        w.set_report_status(report, 1, status).await
    })
    .await;
    assert_eq!(anna.unwrap().status, PlanStatus::Approved);
    assert_conflict(bertil, 1, 2);
    assert_changes(&store, "report", &report.to_string(), &["start", "anna"]).await;
});

/// The audit events of a node: its creation, then `after` changes.
async fn node_trail(store: &Store, node: NodeId) -> usize {
    store
        .audit_trail("org_node", &node.to_string())
        .await
        .unwrap()
        .len()
}

both_backends!(node_rename_race, |store: Store| async move {
    let o = org(&store).await;
    let (anna, bertil) = race(&store, async |w: &mut Writer, who| {
        w.rename_node(o.unit, &format!("{who}s enhet"), 1).await
    })
    .await;
    assert_eq!(anna.unwrap().version, 2);
    assert_conflict(bertil, 1, 2);
    assert_eq!(
        store.node(o.unit).await.unwrap().unwrap().name,
        "annas enhet"
    );
    assert_eq!(node_trail(&store, o.unit).await, 2);
    assert_one_change(&store, "org_node", &o.unit.to_string(), 1).await;
});

both_backends!(node_move_race, |store: Store| async move {
    let o = org(&store).await;
    let (anna, bertil) = race(&store, async |w: &mut Writer, who| {
        let to = if who == "anna" { o.other_dept } else { o.admin };
        w.move_node(o.unit, to, 1).await
    })
    .await;
    assert_eq!(anna.unwrap().parent_id, Some(o.other_dept));
    assert_conflict(bertil, 1, 2);
    assert_eq!(
        store.node(o.unit).await.unwrap().unwrap().parent_id,
        Some(o.other_dept)
    );
    assert_one_change(&store, "org_node", &o.unit.to_string(), 1).await;
});

both_backends!(node_rename_and_move_race, |store: Store| async move {
    let o = org(&store).await;
    let (anna, bertil) = race(&store, async |w: &mut Writer, who| {
        if who == "anna" {
            w.rename_node(o.unit, "Nytt namn", 1).await
        } else {
            w.move_node(o.unit, o.other_dept, 1).await
        }
    })
    .await;
    assert_eq!(anna.unwrap().name, "Nytt namn");
    assert_conflict(bertil, 1, 2);
    let node = store.node(o.unit).await.unwrap().unwrap();
    assert_ne!(
        node.parent_id,
        Some(o.other_dept),
        "bertil's move is not made"
    );
    assert_one_change(&store, "org_node", &o.unit.to_string(), 1).await;
});

// Writes without a version of their own (an import replacing what it stored) state the
// version they read: a change committed between that read and the write is a conflict, not
// a silent mix. On SQLite writers never interleave, so bertil's writer starts after anna's
// commit, reads her version and writes after it: two changes, in order.
both_backends!(follow_up_writes_race, |store: Store| async move {
    use malkedja_domain::{
        Assessment, GoalAssessment, GoalLevel, NewGoal, Placement, ReportKind, ReportSection,
    };
    let o = org(&store).await;
    let plan = plan(&store, o.unit).await;
    let mut w = store.begin_write("start").await.unwrap();
    let city = w.chain(o.unit).await.unwrap().last().unwrap().id;
    let goal = w
        .create_goal(NewGoal {
            year: 2025,
            level: GoalLevel::Direction,
            owner_id: city,
            parent_id: None,
            number: Some("1".into()),
            title: "Inriktning".into(),
            position: 0,
        })
        .await
        .unwrap();
    let at = time::macros::datetime!(2025-12-31 0:00 UTC);
    let report = w
        .ensure_report(plan, ReportKind::AnnualReport, at)
        .await
        .unwrap()
        .id;
    w.commit().await.unwrap();

    let assessment = |who: &str| GoalAssessment {
        goal_id: goal.id,
        assessment: Some(Assessment::Met),
        analysis: Some(format!("{who}s analys")),
    };
    let (anna, bertil) = race(&store, async |w: &mut Writer, who| {
        w.set_goal_assessment(report, &assessment(who)).await
    })
    .await;
    assert!(anna.unwrap());
    let id = format!("{report}/{}", goal.id);
    let serialised = store.backend() == Backend::Sqlite;
    if serialised {
        assert!(bertil.unwrap());
        assert_changes(&store, "goal_assessment", &id, &["anna", "bertil"]).await;
    } else {
        assert_conflict(bertil, 0, 1);
        assert_changes(&store, "goal_assessment", &id, &["anna"]).await;
    }

    let sections = |who: &str| {
        vec![ReportSection {
            key: "sammanfattande-analys".into(),
            version: 0,
            heading: "Sammanfattande analys".into(),
            body: format!("{who}s text"),
            placement: Placement::BeforeCascade,
        }]
    };
    let (anna, bertil) = race(&store, async |w: &mut Writer, who| {
        w.set_report_sections(report, &sections(who)).await
    })
    .await;
    assert!(anna.unwrap());
    let changes: &[&str] = if serialised {
        assert!(bertil.unwrap());
        &["start", "anna", "bertil"]
    } else {
        assert_conflict(bertil, 1, 2);
        &["start", "anna"]
    };
    assert_changes(&store, "report", &report.to_string(), changes).await;
});

async fn assert_changes(store: &Store, entity: &str, id: &str, actors: &[&str]) {
    let trail = store.audit_trail(entity, id).await.unwrap();
    let found: Vec<&str> = trail.iter().map(|e| e.actor.as_str()).collect();
    assert_eq!(found, actors, "{entity} {id}");
}

both_backends!(template_race, |store: Store| async move {
    let o = org(&store).await;
    let template = |who: &str| {
        let mut t = malkedja_domain::default_plan_template();
        t[0].guidance = format!("{who}s vägledning");
        t
    };
    let (anna, bertil) = race(&store, async |w: &mut Writer, who| {
        w.set_template(o.admin, 2025, &template(who)).await
    })
    .await;
    anna.unwrap();
    if store.backend() == Backend::Sqlite {
        // Writers take turns: bertil replaces anna's template after hers is stored.
        bertil.unwrap();
    } else {
        // Both replaced the template at once: bertil's is a conflict, not a database error.
        assert!(
            matches!(bertil, Err(StoreError::Conflict { .. })),
            "{bertil:?}"
        );
    }
});

both_backends!(account_password_race, |store: Store| async move {
    let first = malkedja_store::password::hash("vind-och-våg-7")
        .await
        .unwrap();
    let mut w = store.begin_write("start").await.unwrap();
    let account = w
        .add_account("anna@exempel.se", "Anna", &first)
        .await
        .unwrap();
    w.commit().await.unwrap();
    let anna_pw = malkedja_store::password::hash("annas-nya-lösen")
        .await
        .unwrap();
    let bertil_pw = malkedja_store::password::hash("bertils-nya-lösen")
        .await
        .unwrap();

    let (anna, bertil) = race(&store, async |w: &mut Writer, who| {
        let pw = if who == "anna" { &anna_pw } else { &bertil_pw };
        w.set_password_hash(account.id, pw, 1).await
    })
    .await;
    assert_eq!(anna.unwrap().version, 2);
    assert_conflict(bertil, 1, 2);
    let stored = store.password_hash_of(account.id).await.unwrap().unwrap();
    assert!(
        malkedja_store::password::verify("annas-nya-lösen", &stored)
            .await
            .unwrap(),
        "anna's password is kept"
    );
    assert_one_change(&store, "account", &account.id.to_string(), 1).await;
});

both_backends!(account_email_race, |store: Store| async move {
    let pw = malkedja_store::password::hash("vind-och-våg-7")
        .await
        .unwrap();
    let (anna, bertil) = race(&store, async |w: &mut Writer, who| {
        let email = if who == "anna" {
            "cecilia@exempel.se"
        } else {
            "Cecilia@Exempel.se"
        };
        w.add_account(email, who, &pw).await
    })
    .await;
    let anna = anna.unwrap();
    match bertil {
        Err(StoreError::Account(malkedja_domain::AccountError::EmailTaken(e))) => {
            assert_eq!(e, "cecilia@exempel.se")
        }
        other => panic!("expected the email to be taken, got {other:?}"),
    }
    let all = store.accounts().await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].display_name, "anna");
    assert_one_change(&store, "account", &anna.id.to_string(), 0).await;
});

both_backends!(document_contents_race, |store: Store| async move {
    use malkedja_domain::{Contents, GoalLevel, NewGoal};
    use malkedja_store::DocRef;
    let o = org(&store).await;
    let plan = plan(&store, o.unit).await;
    let mut w = store.begin_write("start").await.unwrap();
    let city = w.chain(o.unit).await.unwrap().last().unwrap().id;
    let mut goals = Vec::new();
    for n in ["1", "2"] {
        let g = w
            .create_goal(NewGoal {
                year: 2025,
                level: GoalLevel::Direction,
                owner_id: city,
                parent_id: None,
                number: Some(n.into()),
                title: format!("Inriktningsmål {n}"),
                position: 0,
            })
            .await
            .unwrap();
        goals.push(g.id);
    }
    w.commit().await.unwrap();
    let doc = DocRef::Plan(plan);
    let (anna, bertil) = race(&store, async |w: &mut Writer, who| {
        let mut c = Contents::default();
        c.goals
            .insert(if who == "anna" { goals[0] } else { goals[1] });
        w.set_contents(doc, &c).await
    })
    .await;
    assert!(anna.unwrap());
    let stored = store.contents(doc).await.unwrap();
    if store.backend() == Backend::Sqlite {
        // Writers take turns: bertil replaces the record after anna's is stored.
        assert!(bertil.unwrap());
        assert!(stored.goals.contains(&goals[1]));
    } else {
        // Both replaced the record at once: bertil's is a conflict, not a mix or a loss.
        assert!(
            matches!(bertil, Err(StoreError::Conflict { .. })),
            "{bertil:?}"
        );
        assert_eq!(stored.goals, [goals[0]].into());
        assert_one_change(&store, "document_contents", &format!("plan/{plan}"), 0).await;
    }
});

both_backends!(template_save_race, |store: Store| async move {
    let o = org(&store).await;
    let template = |who: &str| {
        let mut t = malkedja_domain::default_plan_template();
        t[1].guidance = format!("{who}s vägledning");
        t
    };
    // Both start from the default template (version 0): anna's save stands, bertil's is a
    // conflict on either backend, never a database error or a mix of the two.
    let (anna, bertil) = race(&store, async |w: &mut Writer, who| {
        w.save_template(o.admin, 2025, &template(who), 0).await
    })
    .await;
    assert_eq!(anna.unwrap(), 1);
    assert_conflict(bertil, 0, 1);
    let now = store.template_of(o.admin, 2025).await.unwrap();
    assert_eq!(now.sections[1].guidance, "annas vägledning");
    assert_one_change(&store, "template", &format!("{}/2025", o.admin), 0).await;
});

/// 2025's council goal, and the unit's plan with a goal of its own under the board's.
async fn year_to_carry(store: &Store, o: &Org) {
    use malkedja_domain::{GoalLevel, NewGoal};
    let chain = store.chain(o.unit).await.unwrap();
    let (city, board) = (chain[chain.len() - 1].id, chain[chain.len() - 2].id);
    let goal = |level, owner, parent, number: Option<&str>, title: &str| NewGoal {
        year: 2025,
        level,
        owner_id: owner,
        parent_id: parent,
        number: number.map(Into::into),
        title: title.into(),
        position: 0,
    };
    let mut w = store.begin_write("test").await.unwrap();
    let dir = w
        .create_goal(goal(
            GoalLevel::Direction,
            city,
            None,
            Some("1"),
            "Inriktning",
        ))
        .await
        .unwrap();
    let area = w
        .create_goal(goal(
            GoalLevel::Area,
            city,
            Some(dir.id),
            Some("1.1"),
            "Område",
        ))
        .await
        .unwrap();
    let board_goal = w
        .create_goal(goal(
            GoalLevel::Board,
            board,
            Some(area.id),
            None,
            "Nämndmål",
        ))
        .await
        .unwrap();
    let plan = w.create_plan(o.unit, 2025).await.unwrap();
    let own = w
        .create_goal(goal(
            GoalLevel::Unit,
            o.unit,
            Some(board_goal.id),
            None,
            "Enhetsmål",
        ))
        .await
        .unwrap();
    w.include(
        malkedja_store::DocRef::Plan(plan.id),
        malkedja_store::Item::Goal(own.id),
    )
    .await
    .unwrap();
    w.ensure_year(2026).await.unwrap();
    w.commit().await.unwrap();
}

both_backends!(structure_copy_race, |store: Store| async move {
    let o = org(&store).await;
    year_to_carry(&store, &o).await;
    // Two administrators copy 2025 at once: the second finds it done and copies nothing.
    let (anna, bertil) = race(&store, async |w: &mut Writer, _| {
        w.copy_structure(2025, None).await
    })
    .await;
    assert_eq!(anna.unwrap().totals().0, 3);
    assert!(bertil.unwrap().is_empty());
    let mut all = 0;
    for level in malkedja_domain::GoalLevel::ALL {
        all += store.goals_at_level(2026, level).await.unwrap().len();
    }
    assert_eq!(all, 3, "copied once");
});

both_backends!(carry_forward_race, |store: Store| async move {
    let o = org(&store).await;
    year_to_carry(&store, &o).await;
    let mut w = store.begin_write("test").await.unwrap();
    w.copy_structure(2025, None).await.unwrap();
    w.create_plan(o.unit, 2026).await.unwrap();
    w.commit().await.unwrap();
    // Two writers start the 2026 plan from 2025's at once: the unit goal is made once.
    let (anna, bertil) = race(&store, async |w: &mut Writer, _| {
        w.carry_forward(o.unit, 2026, &Default::default()).await
    })
    .await;
    assert_eq!(anna.unwrap().made.goals, 1);
    if store.backend() == Backend::Sqlite {
        // Writers take turns: bertil finds anna's goal there and makes nothing.
        assert_eq!(bertil.unwrap().made, Default::default());
    } else {
        // Both began from the same plan: bertil's is a conflict, not a second copy.
        assert!(
            matches!(bertil, Err(StoreError::Conflict { .. })),
            "{bertil:?}"
        );
    }
    let units = store
        .goals_at_level(2026, malkedja_domain::GoalLevel::Unit)
        .await
        .unwrap();
    assert_eq!(units.len(), 1);
});

fn memo_of(who: &str) -> malkedja_domain::Memo {
    malkedja_domain::Memo {
        case_number: format!("{who}s dnr"),
        ..malkedja_domain::Memo::default()
    }
}

both_backends!(memo_race_of_two_first_saves, |store: Store| async move {
    let o = org(&store).await;
    let plan = plan(&store, o.unit).await;
    let doc = malkedja_store::DocRef::Plan(plan);
    let (anna, bertil) = race(&store, async |w: &mut Writer, who| {
        w.save_memo(doc, &memo_of(who), 0).await
    })
    .await;
    assert_eq!(anna.unwrap().version, 1);
    assert_conflict(bertil, 0, 1);
    let stored = store.memo(doc).await.unwrap();
    assert_eq!(stored.memo.case_number, "annas dnr");
    assert_one_change(&store, "document_memo", &format!("plan/{plan}"), 0).await;
});

both_backends!(memo_race_from_one_version, |store: Store| async move {
    let o = org(&store).await;
    let plan = plan(&store, o.unit).await;
    let doc = malkedja_store::DocRef::Plan(plan);
    let mut w = store.begin_write("start").await.unwrap();
    w.save_memo(doc, &memo_of("start"), 0).await.unwrap();
    w.commit().await.unwrap();
    let (anna, bertil) = race(&store, async |w: &mut Writer, who| {
        w.save_memo(doc, &memo_of(who), 1).await
    })
    .await;
    assert_eq!(anna.unwrap().version, 2);
    assert_conflict(bertil, 1, 2);
    assert_eq!(store.memo(doc).await.unwrap().memo.case_number, "annas dnr");
    assert_one_change(&store, "document_memo", &format!("plan/{plan}"), 1).await;
});

both_backends!(report_writes_race, |store: Store| async move {
    use malkedja_domain::{Assessment, PlanStatus, ReportKind};
    use malkedja_store::{EconomyInput, EconomyLineInput};
    let org = malkedja_store::testing::small_org(&store).await;
    let mut w = store.begin_write("test").await.unwrap();
    let op = w
        .create_node(NewNode {
            parent_id: Some(org.unit),
            kind: OrgKind::Operation,
            name: "Caféet".into(),
            position: 0,
        })
        .await
        .unwrap()
        .id;
    let plan = w.plan(org.unit, 2025).await.unwrap().unwrap();
    w.set_plan_status(plan.id, plan.version, PlanStatus::Approved)
        .await
        .unwrap();
    let report = w
        .create_report(org.unit, 2025, ReportKind::Tertial1)
        .await
        .unwrap()
        .id;
    w.commit().await.unwrap();

    // Two people write the same assessment from version 0: one wins, on both backends.
    let (anna, bertil) = race(&store, async |w: &mut Writer, who| {
        w.write_assessment(
            report,
            org.board_goal,
            0,
            Some(Assessment::Met),
            Some(&format!("{who}s analys")),
        )
        .await
    })
    .await;
    assert_eq!(anna.unwrap(), 1);
    assert!(
        matches!(bertil, Err(StoreError::Conflict { .. })),
        "{bertil:?}"
    );
    assert_one_change(
        &store,
        "goal_assessment",
        &format!("{report}/{}", org.board_goal),
        0,
    )
    .await;

    let economy = |who: &str| EconomyInput {
        lines: vec![EconomyLineInput {
            operation_id: op,
            budget: Some("100 tkr".into()),
            forecast: None,
            outcome: None,
        }],
        analysis: Some(format!("{who}s analys")),
        ..EconomyInput::default()
    };
    let (anna, bertil) = race(&store, async |w: &mut Writer, who| {
        w.write_economy(report, 0, &economy(who)).await
    })
    .await;
    assert_eq!(anna.unwrap().version, 1);
    assert!(
        matches!(bertil, Err(StoreError::Conflict { .. })),
        "{bertil:?}"
    );
    assert_one_change(&store, "report_economy", &report.to_string(), 0).await;
});

both_backends!(rollup_assessment_race, |store: Store| async move {
    use malkedja_domain::{Assessment, ReportKind};
    let org = malkedja_store::testing::small_org(&store).await;
    let save = async |w: &mut Writer, who: &'static str, from: i64| {
        w.write_rollup_assessment(
            org.board,
            org.board_goal,
            2025,
            ReportKind::AnnualReport,
            from,
            Some(Assessment::Met),
            Some(&format!("{who}s analys")),
        )
        .await
    };
    // Two first saves, then two saves from one version.
    let (anna, bertil) = race(&store, async |w: &mut Writer, who| save(w, who, 0).await).await;
    assert_eq!(anna.unwrap().version, 1);
    assert_conflict(bertil, 0, 1);
    let (anna, bertil) = race(&store, async |w: &mut Writer, who| save(w, who, 1).await).await;
    assert_eq!(anna.unwrap().version, 2);
    assert_conflict(bertil, 1, 2);
    let stored = store
        .rollup_assessment(org.board, org.board_goal, 2025, ReportKind::AnnualReport)
        .await
        .unwrap();
    assert_eq!(stored.analysis.as_deref(), Some("annas analys"));
    let id = format!("{}/{}/2025/annual_report", org.board, org.board_goal);
    assert_one_change(&store, "rollup_assessment", &id, 1).await;
});
