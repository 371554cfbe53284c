//! The status of plans and reports: versioned, audited writes, on SQLite and PostgreSQL
//! alike. Which status may follow which is not the store's to decide: any status can be
//! written here.

use malkedja_domain::{NewNode, NodeId, OrgKind, PlanId, PlanStatus, ReportKind};
use malkedja_store::{AuditEvent, Store, StoreError, both_backends};
use time::macros::datetime;

/// A unit with a draft plan for 2025 and a draft annual report of it.
async fn unit_with_plan(store: &Store) -> (NodeId, PlanId, i64) {
    let mut w = store.begin_write("test").await.unwrap();
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
    }
    let unit = parent.unwrap();
    let plan = w.create_plan(unit, 2025).await.unwrap();
    let report = w
        .ensure_report(
            plan.id,
            ReportKind::AnnualReport,
            datetime!(2026-02-10 12:00 UTC),
        )
        .await
        .unwrap();
    w.commit().await.unwrap();
    assert_eq!((plan.status, plan.version), (PlanStatus::Draft, 1));
    assert_eq!((report.status, report.version), (PlanStatus::Draft, 1));
    (unit, plan.id, report.id)
}

fn assert_conflict<T: std::fmt::Debug>(r: Result<T, StoreError>, expected: i64, actual: i64) {
    match r {
        Err(StoreError::Conflict {
            expected: e,
            actual: a,
            ..
        }) if e == expected && a == actual => {}
        other => panic!("expected a conflict (from {expected}, now {actual}), got {other:?}"),
    }
}

async fn status_events(store: &Store, entity: &str, id: &str) -> Vec<AuditEvent> {
    store
        .audit_trail(entity, id)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "set_status")
        .collect()
}

/// The status and version an audit event shows before and after.
fn shown(e: &AuditEvent) -> ((String, i64), (String, i64)) {
    let of = |v: &Option<serde_json::Value>| {
        let v = v.as_ref().expect("before and after");
        (
            v["status"].as_str().unwrap_or_default().to_string(),
            v["version"].as_i64().unwrap_or_default(),
        )
    };
    (of(&e.before), of(&e.after))
}

both_backends!(
    plan_status_is_written_and_audited,
    |store: Store| async move {
        let (unit, plan, _) = unit_with_plan(&store).await;

        let mut w = store.begin_write("karin").await.unwrap();
        let submitted = w
            .set_plan_status(plan, 1, PlanStatus::Submitted)
            .await
            .unwrap();
        w.commit().await.unwrap();
        assert_eq!(submitted.status, PlanStatus::Submitted);
        assert_eq!(submitted.version, 2);
        let stored = store.plan(unit, 2025).await.unwrap().unwrap();
        assert_eq!(stored, submitted);

        let mut w = store.begin_write("sofia").await.unwrap();
        let approved = w
            .set_plan_status(plan, 2, PlanStatus::Approved)
            .await
            .unwrap();
        w.commit().await.unwrap();
        assert_eq!(
            (approved.status, approved.version),
            (PlanStatus::Approved, 3)
        );

        let events = status_events(&store, "plan", &plan.to_string()).await;
        assert_eq!(events.len(), 2, "{events:?}");
        assert_eq!(events[0].actor, "karin");
        assert_eq!(
            shown(&events[0]),
            (("draft".into(), 1), ("submitted".into(), 2))
        );
        assert_eq!(events[1].actor, "sofia");
        assert_eq!(
            shown(&events[1]),
            (("submitted".into(), 2), ("approved".into(), 3))
        );
        // The document reads with its new status.
        let doc = store.plan_document(unit, 2025).await.unwrap().unwrap();
        assert_eq!(doc.plan.status, PlanStatus::Approved);
    }
);

both_backends!(
    a_stale_plan_status_is_a_conflict,
    |store: Store| async move {
        let (unit, plan, _) = unit_with_plan(&store).await;
        let mut w = store.begin_write("karin").await.unwrap();
        w.set_plan_status(plan, 1, PlanStatus::Submitted)
            .await
            .unwrap();
        w.commit().await.unwrap();

        // Sofia saw version 1: whatever status she sets, it is a conflict, not an overwrite.
        for status in [PlanStatus::Approved, PlanStatus::Submitted] {
            let mut w = store.begin_write("sofia").await.unwrap();
            assert_conflict(w.set_plan_status(plan, 1, status).await, 1, 2);
            w.rollback().await.unwrap();
        }
        // A version from the future is one too.
        let mut w = store.begin_write("sofia").await.unwrap();
        assert_conflict(w.set_plan_status(plan, 5, PlanStatus::Approved).await, 5, 2);
        w.rollback().await.unwrap();

        let stored = store.plan(unit, 2025).await.unwrap().unwrap();
        assert_eq!((stored.status, stored.version), (PlanStatus::Submitted, 2));
        let events = status_events(&store, "plan", &plan.to_string()).await;
        assert_eq!(events.len(), 1, "only karin's change: {events:?}");
    }
);

both_backends!(
    setting_the_same_plan_status_changes_nothing,
    |store: Store| async move {
        let (unit, plan, _) = unit_with_plan(&store).await;
        let before = store.audit_count().await.unwrap();
        let mut w = store.begin_write("karin").await.unwrap();
        let same = w.set_plan_status(plan, 1, PlanStatus::Draft).await.unwrap();
        w.commit().await.unwrap();
        assert_eq!((same.status, same.version), (PlanStatus::Draft, 1));
        assert_eq!(store.plan(unit, 2025).await.unwrap().unwrap(), same);
        assert_eq!(store.audit_count().await.unwrap(), before);

        let mut w = store.begin_write("karin").await.unwrap();
        let missing = w
            .set_plan_status(PlanId(plan.0 + 100), 1, PlanStatus::Approved)
            .await;
        assert!(
            matches!(missing, Err(StoreError::NotFound(_))),
            "{missing:?}"
        );
    }
);

both_backends!(
    report_status_is_written_and_audited,
    |store: Store| async move {
        let (unit, plan, report) = unit_with_plan(&store).await;

        let mut w = store.begin_write("sofia").await.unwrap();
        let approved = w
            .set_report_status(report, 1, PlanStatus::Approved)
            .await
            .unwrap();
        w.commit().await.unwrap();
        assert_eq!(approved.id, report);
        assert_eq!(approved.kind, ReportKind::AnnualReport);
        assert_eq!(
            (approved.status, approved.version),
            (PlanStatus::Approved, 2)
        );
        let doc = store
            .report_document(unit, 2025, ReportKind::AnnualReport)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(doc.report, approved);
        // The plan is untouched.
        let p = store.plan(unit, 2025).await.unwrap().unwrap();
        assert_eq!((p.id, p.status, p.version), (plan, PlanStatus::Draft, 1));

        let events = status_events(&store, "report", &report.to_string()).await;
        assert_eq!(events.len(), 1, "{events:?}");
        assert_eq!(events[0].actor, "sofia");
        assert_eq!(
            shown(&events[0]),
            (("draft".into(), 1), ("approved".into(), 2))
        );
    }
);

both_backends!(
    a_stale_report_status_is_a_conflict,
    |store: Store| async move {
        let (unit, _, report) = unit_with_plan(&store).await;
        let mut w = store.begin_write("karin").await.unwrap();
        w.set_report_status(report, 1, PlanStatus::Submitted)
            .await
            .unwrap();
        w.commit().await.unwrap();

        let mut w = store.begin_write("sofia").await.unwrap();
        assert_conflict(
            w.set_report_status(report, 1, PlanStatus::Returned).await,
            1,
            2,
        );
        w.rollback().await.unwrap();
        // The same status from a stale version is a conflict too, not a quiet success.
        let mut w = store.begin_write("sofia").await.unwrap();
        assert_conflict(
            w.set_report_status(report, 1, PlanStatus::Submitted).await,
            1,
            2,
        );
        w.rollback().await.unwrap();

        let doc = store
            .report_document(unit, 2025, ReportKind::AnnualReport)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (doc.report.status, doc.report.version),
            (PlanStatus::Submitted, 2)
        );
        let events = status_events(&store, "report", &report.to_string()).await;
        assert_eq!(events.len(), 1, "only karin's change: {events:?}");

        let mut w = store.begin_write("sofia").await.unwrap();
        let missing = w
            .set_report_status(report + 100, 1, PlanStatus::Approved)
            .await;
        assert!(
            matches!(missing, Err(StoreError::NotFound(_))),
            "{missing:?}"
        );
    }
);
