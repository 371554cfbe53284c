//! Planning years and each administration's deadlines, on SQLite and PostgreSQL alike.

use malkedja_domain::{DeadlineKind, Deadlines, DomainError, NewNode, NodeId, OrgKind, YearError};
use malkedja_store::{Store, StoreError, both_backends};
use time::macros::date;

/// Staden > Nämnden > {Förvaltningen > Enheten, Andra förvaltningen}: (admin, unit, other).
async fn org(store: &Store) -> (NodeId, NodeId, NodeId) {
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
    let unit = node(Some(admin), OrgKind::Unit, "Enheten").await;
    let other = node(Some(board), OrgKind::Administration, "Andra förvaltningen").await;
    w.commit().await.unwrap();
    (admin, unit, other)
}

both_backends!(a_planning_year_is_added_once, |store: Store| async move {
    let mut w = store.begin_write("anna").await.unwrap();
    assert_eq!(w.add_year(2026).await.unwrap(), 2026);
    let err = w.add_year(2026).await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Domain(DomainError::Year(YearError::Exists(2026)))
        ),
        "{err}"
    );
    assert_eq!(err.to_string(), "planeringsåret 2026 finns redan");
    let err = w.add_year(12026).await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Domain(DomainError::Year(YearError::OutOfRange(12026)))
        ),
        "{err}"
    );
    w.add_year(2025).await.unwrap();
    w.commit().await.unwrap();
    assert_eq!(store.years().await.unwrap(), [2025, 2026]);
    let trail = store.audit_trail("planning_year", "2026").await.unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].actor, "anna");
    assert_eq!(trail[0].action, "create");
});

both_backends!(
    deadlines_are_saved_versioned_and_audited,
    |store: Store| async move {
        let (admin, unit, other) = org(&store).await;
        let mut w = store.begin_write("test").await.unwrap();
        w.add_year(2026).await.unwrap();
        w.commit().await.unwrap();

        let empty = store.deadlines(admin, 2026).await.unwrap();
        assert_eq!(empty, Deadlines::empty(admin, 2026));

        let mut d = empty.clone();
        d.plan = Some(date!(2025 - 12 - 15));
        d.tertial1 = Some(date!(2026 - 05 - 15));
        let mut w = store.begin_write("anna").await.unwrap();
        let saved = w.save_deadlines(&d).await.unwrap();
        assert_eq!(saved.version, 1);
        assert_eq!(
            saved.get(DeadlineKind::Tertial1),
            Some(date!(2026 - 05 - 15))
        );
        assert_eq!(saved.annual_report, None);
        // The same dates again: nothing written.
        assert_eq!(w.save_deadlines(&saved).await.unwrap().version, 1);
        w.commit().await.unwrap();
        assert_eq!(store.deadlines(admin, 2026).await.unwrap(), saved);
        assert_eq!(store.deadlines(other, 2026).await.unwrap().version, 0);
        assert_eq!(
            store.deadlines_of_year(2026).await.unwrap(),
            [saved.clone()]
        );

        // Bertil saves from the page he opened before Anna saved: a conflict.
        let mut stale = empty.clone();
        stale.annual_report = Some(date!(2027 - 02 - 01));
        let mut w = store.begin_write("bertil").await.unwrap();
        let err = w.save_deadlines(&stale).await.unwrap_err();
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

        let mut next = saved.clone();
        next.annual_report = Some(date!(2027 - 02 - 01));
        next.plan = None;
        let mut w = store.begin_write("anna").await.unwrap();
        let after = w.save_deadlines(&next).await.unwrap();
        assert_eq!(after.version, 2);
        assert_eq!(after.plan, None);
        w.commit().await.unwrap();

        let trail = store
            .audit_trail("deadline", &format!("{admin}/2026"))
            .await
            .unwrap();
        assert_eq!(trail.len(), 2);
        assert_eq!(trail[0].before, None);
        assert_eq!(trail[0].after.as_ref().unwrap()["plan"], "2025-12-15");
        assert_eq!(trail[1].before.as_ref().unwrap()["plan"], "2025-12-15");
        assert_eq!(
            trail[1].after.as_ref().unwrap()["plan"],
            serde_json::Value::Null
        );
        assert_eq!(
            trail[1].after.as_ref().unwrap()["annual_report"],
            "2027-02-01"
        );

        // Dates out of place, a node that is no administration, a year that does not exist.
        let mut w = store.begin_write("anna").await.unwrap();
        let mut bad = after.clone();
        bad.tertial2 = Some(date!(2026 - 03 - 01));
        let err = w.save_deadlines(&bad).await.unwrap_err();
        assert!(
            matches!(err, StoreError::Domain(DomainError::Deadline(_))),
            "{err}"
        );
        let err = w
            .save_deadlines(&Deadlines::empty(unit, 2026))
            .await
            .unwrap_err();
        assert!(err.is_not_found(), "{err}");
        let err = w
            .save_deadlines(&Deadlines::empty(admin, 2031))
            .await
            .unwrap_err();
        assert!(err.is_not_found(), "{err}");
        w.rollback().await.unwrap();
    }
);
