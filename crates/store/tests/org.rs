//! Correcting the organisation tree (rename, move), on SQLite and PostgreSQL alike.

use malkedja_domain::{DomainError, GoalLevel, NewGoal, NewNode, NodeId, OrgKind, UnitFacts};
use malkedja_store::{Store, StoreError, both_backends};

struct Org {
    city: NodeId,
    board: NodeId,
    admin: NodeId,
    dept: NodeId,
    other_dept: NodeId,
    unit: NodeId,
    operation: NodeId,
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
    let dept = node(Some(admin), OrgKind::Department, "Norr").await;
    let other_dept = node(Some(admin), OrgKind::Department, "Söder").await;
    let unit = node(Some(dept), OrgKind::Unit, "Solrosen").await;
    let operation = node(Some(unit), OrgKind::Operation, "Dagverksamheten").await;
    w.commit().await.unwrap();
    Org {
        city,
        board,
        admin,
        dept,
        other_dept,
        unit,
        operation,
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

both_backends!(
    a_node_is_renamed_with_the_audit_trail,
    |store: Store| async move {
        let o = org(&store).await;
        let mut w = store.begin_write("anna").await.unwrap();
        let renamed = w
            .rename_node(o.unit, "  Solrosens boende ", 1)
            .await
            .unwrap();
        assert_eq!(renamed.name, "Solrosens boende");
        assert_eq!(renamed.version, 2);
        let err = w.rename_node(o.unit, " ", 2).await.unwrap_err();
        assert!(
            matches!(err, StoreError::Domain(DomainError::EmptyName)),
            "{err}"
        );
        // The same name again changes nothing.
        let same = w.rename_node(o.unit, "Solrosens boende", 2).await.unwrap();
        assert_eq!(same.version, 2);
        let err = w.rename_node(NodeId(999_999), "X", 1).await.unwrap_err();
        assert!(err.is_not_found(), "{err}");
        w.commit().await.unwrap();

        let trail = store
            .audit_trail("org_node", &o.unit.to_string())
            .await
            .unwrap();
        assert_eq!(trail.len(), 2, "created, renamed once");
        assert_eq!(trail[1].action, "rename");
        assert_eq!(trail[1].actor, "anna");
        assert_eq!(trail[1].before.as_ref().unwrap()["name"], "Solrosen");
        assert_eq!(trail[1].after.as_ref().unwrap()["name"], "Solrosens boende");

        // A rename from the version before it is a conflict.
        let mut w = store.begin_write("bertil").await.unwrap();
        let err = w.rename_node(o.unit, "Bertils namn", 1).await.unwrap_err();
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
    }
);

both_backends!(
    a_node_moves_with_everything_below_it,
    |store: Store| async move {
        let o = org(&store).await;
        let mut w = store.begin_write("test").await.unwrap();
        let mut facts = UnitFacts::empty(o.operation, 2025);
        facts.clients = Some(12);
        w.save_facts(&facts).await.unwrap();
        w.create_plan(o.unit, 2025).await.unwrap();
        w.commit().await.unwrap();

        let mut w = store.begin_write("anna").await.unwrap();
        let moved = w.move_node(o.unit, o.other_dept, 1).await.unwrap();
        assert_eq!(moved.parent_id, Some(o.other_dept));
        assert_eq!(moved.version, 2);
        // Moving it where it already is changes nothing.
        let same = w.move_node(o.unit, o.other_dept, 2).await.unwrap();
        assert_eq!(same.version, 2);
        w.commit().await.unwrap();

        let chain: Vec<NodeId> = store
            .chain(o.operation)
            .await
            .unwrap()
            .iter()
            .map(|n| n.id)
            .collect();
        assert_eq!(
            chain,
            [o.operation, o.unit, o.other_dept, o.admin, o.board, o.city]
        );
        assert_eq!(
            store
                .unit_facts(o.operation, 2025)
                .await
                .unwrap()
                .unwrap()
                .clients,
            Some(12)
        );
        assert!(store.plan_document(o.unit, 2025).await.unwrap().is_some());
        let trail = store
            .audit_trail("org_node", &o.unit.to_string())
            .await
            .unwrap();
        assert_eq!(trail.len(), 2);
        assert_eq!(trail[1].action, "move");
        assert_eq!(trail[1].before.as_ref().unwrap()["parent_id"], o.dept.0);
        assert_eq!(
            trail[1].after.as_ref().unwrap()["parent_id"],
            o.other_dept.0
        );

        // A unit may also sit directly under the administration.
        let mut w = store.begin_write("anna").await.unwrap();
        w.move_node(o.unit, o.admin, 2).await.unwrap();
        w.commit().await.unwrap();
    }
);

both_backends!(
    a_move_that_breaks_the_tree_is_refused,
    |store: Store| async move {
        let o = org(&store).await;
        let mut w = store.begin_write("test").await.unwrap();
        let refused = [
            (o.unit, o.board),
            (o.unit, o.operation),
            (o.dept, o.dept),
            (o.dept, o.unit),
            (o.admin, o.operation),
            (o.city, o.board),
        ];
        for (node, parent) in refused {
            let version = w.node(node).await.unwrap().unwrap().version;
            let err = w.move_node(node, parent, version).await.unwrap_err();
            assert!(
                matches!(
                    err,
                    StoreError::Domain(
                        DomainError::NodeParent { .. }
                            | DomainError::NodeUnderItself { .. }
                            | DomainError::NodeUnderDescendant { .. }
                    )
                ),
                "{node} under {parent}: {err}"
            );
        }
        let err = w.move_node(o.dept, o.unit, 1).await.unwrap_err();
        assert_eq!(
            err.to_string(),
            "avdelningen «Norr» kan inte flyttas under enheten «Solrosen», som ligger under den"
        );
        let err = w.move_node(o.unit, NodeId(999_999), 1).await.unwrap_err();
        assert!(err.is_not_found(), "{err}");
        w.rollback().await.unwrap();
        let trail = store
            .audit_trail("org_node", &o.unit.to_string())
            .await
            .unwrap();
        assert_eq!(trail.len(), 1, "nothing moved");
    }
);

both_backends!(
    a_move_keeps_what_the_unit_inherits_above_it,
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
                Some("1.1"),
                "Område",
            ))
            .await
            .unwrap();
        let board_goal = w
            .create_goal(goal(
                GoalLevel::Board,
                o.board,
                Some(area.id),
                None,
                "Nämndmålet",
            ))
            .await
            .unwrap();
        let dept_goal = w
            .create_goal(goal(
                GoalLevel::Department,
                o.dept,
                Some(board_goal.id),
                None,
                "Norrs mål",
            ))
            .await
            .unwrap();
        let unit_goal = w
            .create_goal(goal(
                GoalLevel::Unit,
                o.unit,
                Some(dept_goal.id),
                None,
                "Solrosens mål",
            ))
            .await
            .unwrap();
        let plan = w.create_plan(o.unit, 2025).await.unwrap();
        w.select_goal(plan.id, board_goal.id).await.unwrap();
        w.include(
            malkedja_store::DocRef::Plan(plan.id),
            malkedja_store::Item::Goal(unit_goal.id),
        )
        .await
        .unwrap();
        w.commit().await.unwrap();
        let titles = async || -> Vec<String> {
            let doc = store.plan_document(o.unit, 2025).await.unwrap().unwrap();
            doc.goals
                .iter()
                .flat_map(|g| g.walk())
                .map(|g| g.goal.title.clone())
                .collect()
        };
        let before = titles().await;
        assert!(before.contains(&"Solrosens mål".to_string()), "{before:?}");

        // Under Söder the unit's goal would hang under a goal of Norr, which is no longer
        // above it: the plan would silently lose it.
        let mut w = store.begin_write("anna").await.unwrap();
        let err = w.move_node(o.unit, o.other_dept, 1).await.unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::Domain(DomainError::MoveLosesInherited { .. })
            ),
            "{err}"
        );
        assert_eq!(
            err.to_string(),
            "enheten «Solrosen» kan inte flyttas under avdelningen «Söder»: den bygger på målet «Norrs mål» från avdelningen «Norr», som då inte längre skulle ligga ovanför den"
        );
        w.rollback().await.unwrap();

        // The whole department may move, under another administration of the same board.
        let mut w = store.begin_write("anna").await.unwrap();
        let other_admin = w
            .create_node(NewNode {
                parent_id: Some(o.board),
                kind: OrgKind::Administration,
                name: "Andra förvaltningen".into(),
                position: 1,
            })
            .await
            .unwrap();
        w.move_node(o.dept, other_admin.id, 1).await.unwrap();
        w.commit().await.unwrap();
        let chain = store.chain(o.unit).await.unwrap();
        assert_eq!(chain[2].id, other_admin.id);
        assert_eq!(titles().await, before, "the plan reads as it did");
    }
);

both_backends!(
    closing_a_department_closes_what_is_open_below_it,
    |store: Store| async move {
        let o = org(&store).await;
        let april = time::macros::date!(2025 - 04 - 01);
        let mut w = store.begin_write("test").await.unwrap();
        w.create_plan(o.unit, 2025).await.unwrap();
        w.commit().await.unwrap();

        let mut w = store.begin_write("anna").await.unwrap();
        let closed = w.close_node(o.dept, april, 1).await.unwrap();
        let ids: Vec<NodeId> = closed.iter().map(|n| n.id).collect();
        assert_eq!(ids, [o.dept, o.unit, o.operation]);
        assert!(closed.iter().all(|n| n.closed == Some(april)));
        assert!(closed.iter().all(|n| n.version == 2));
        // Closing again on the same day changes nothing; on another day it is refused.
        let same = w.close_node(o.dept, april, 2).await.unwrap();
        assert_eq!(same[0].version, 2);
        let err = w
            .close_node(o.dept, time::macros::date!(2025 - 05 - 01), 2)
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Domain(DomainError::AlreadyClosed { .. })),
            "{err}"
        );
        w.commit().await.unwrap();

        // The unit keeps its plan and its history, and shows as closed everywhere it is read.
        let unit = store.node(o.unit).await.unwrap().unwrap();
        assert_eq!(unit.closed_text().as_deref(), Some("Avvecklad 2025-04-01"));
        assert_eq!(
            store.chain(o.operation).await.unwrap()[1].closed,
            Some(april)
        );
        let overview = store.unit_overview(o.unit).await.unwrap().unwrap();
        assert_eq!(overview.chain[0].closed, Some(april));
        assert_eq!(overview.plans.len(), 1);
        assert_eq!(overview.operations[0].0.closed, Some(april));
        let trail = store
            .audit_trail("org_node", &o.unit.to_string())
            .await
            .unwrap();
        assert_eq!(trail.last().unwrap().action, "close");
        assert_eq!(trail.last().unwrap().actor, "anna");
        assert_eq!(
            trail.last().unwrap().before.as_ref().unwrap()["closed"],
            serde_json::Value::Null
        );
        assert_eq!(
            trail.last().unwrap().after.as_ref().unwrap()["closed"],
            "2025-04-01"
        );

        // No new plan, no new node, nothing open moved under it.
        let mut w = store.begin_write("anna").await.unwrap();
        let err = w.create_plan(o.unit, 2026).await.unwrap_err();
        assert!(matches!(err, StoreError::Locked(_)), "{err}");
        assert_eq!(
            err.to_string(),
            "enheten «Solrosen» är avvecklad och får inga nya planer"
        );
        let err = w
            .create_node(NewNode {
                parent_id: Some(o.dept),
                kind: OrgKind::Unit,
                name: "Vitsippan".into(),
                position: 0,
            })
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Domain(DomainError::UnderClosed { .. })),
            "{err}"
        );
        let other = w
            .create_node(NewNode {
                parent_id: Some(o.other_dept),
                kind: OrgKind::Unit,
                name: "Vitsippan".into(),
                position: 0,
            })
            .await
            .unwrap();
        let err = w.move_node(other.id, o.dept, 1).await.unwrap_err();
        assert!(
            matches!(err, StoreError::Domain(DomainError::UnderClosed { .. })),
            "{err}"
        );
        // The city is the top: never closed.
        let err = w.close_node(o.city, april, 1).await.unwrap_err();
        assert!(
            matches!(err, StoreError::Domain(DomainError::CannotClose(_))),
            "{err}"
        );
        w.rollback().await.unwrap();
    }
);

both_backends!(
    reopening_takes_back_what_closed_with_it,
    |store: Store| async move {
        let o = org(&store).await;
        let march = time::macros::date!(2025 - 03 - 01);
        let april = time::macros::date!(2025 - 04 - 01);
        let mut w = store.begin_write("anna").await.unwrap();
        w.close_node(o.operation, march, 1).await.unwrap();
        w.close_node(o.dept, april, 1).await.unwrap();
        w.commit().await.unwrap();

        let mut w = store.begin_write("anna").await.unwrap();
        let err = w.reopen_node(o.unit, 2).await.unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::Domain(DomainError::ReopenUnderClosed { .. })
            ),
            "{err}"
        );
        let reopened = w.reopen_node(o.dept, 2).await.unwrap();
        assert_eq!(
            reopened.iter().map(|n| n.id).collect::<Vec<_>>(),
            [o.dept, o.unit],
            "the operation closed in March stays closed"
        );
        assert!(reopened.iter().all(|n| n.closed.is_none()));
        let err = w.reopen_node(o.dept, 3).await.unwrap_err();
        assert!(
            matches!(err, StoreError::Domain(DomainError::NotClosed(_))),
            "{err}"
        );
        w.commit().await.unwrap();
        assert_eq!(
            store.node(o.operation).await.unwrap().unwrap().closed,
            Some(march)
        );
        let trail = store
            .audit_trail("org_node", &o.dept.to_string())
            .await
            .unwrap();
        let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["create", "close", "reopen"]);

        // Closing from a page that showed an older version is a conflict; nothing is closed.
        let mut w = store.begin_write("bertil").await.unwrap();
        let err = w.close_node(o.unit, april, 1).await.unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::Conflict {
                    expected: 1,
                    actual: 3,
                    ..
                }
            ),
            "{err}"
        );
        w.rollback().await.unwrap();
        assert_eq!(store.node(o.unit).await.unwrap().unwrap().closed, None);
    }
);

both_backends!(
    a_name_is_bounded_and_a_stale_move_is_a_conflict,
    |store: Store| async move {
        let o = org(&store).await;
        let mut w = store.begin_write("anna").await.unwrap();
        let err = w
            .rename_node(o.unit, &"x".repeat(201), 1)
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Domain(DomainError::NameTooLong(200))),
            "{err}"
        );
        w.rename_node(o.unit, "Solrosen <script>", 1).await.unwrap();
        w.commit().await.unwrap();
        let mut w = store.begin_write("bertil").await.unwrap();
        let err = w.move_node(o.unit, o.other_dept, 1).await.unwrap_err();
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
        w.rollback().await.unwrap();
        let unit = store.node(o.unit).await.unwrap().unwrap();
        assert_eq!(unit.parent_id, Some(o.dept));
        assert_eq!(unit.name, "Solrosen <script>", "stored as text");
    }
);
