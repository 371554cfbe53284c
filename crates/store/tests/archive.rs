//! The memo header of plans and reports (versioned, audited, locked with the plan) and the
//! archive of approved documents: frozen in the approval's own transaction, never twice per
//! approval, a new copy after reopening and approving again, refused approval when the copy
//! cannot be made, and a checksum check that notices a changed row. On SQLite and
//! PostgreSQL. The freezer here is a test's own (the web layer's renders the real formats;
//! crates/web/tests/archive.rs tests those).

use malkedja_domain::{GoalSection, Memo, PlanStatus};
use malkedja_store::testing::{execute_raw, make_submittable, small_org};
use malkedja_store::{
    DocRef, FreezeFuture, FreezeInput, FreezeSource, Freezer, FrozenPart, FrozenParts, Store,
    StoreError, both_backends, sha256_hex,
};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use time::macros::{date, datetime};

/// Renders what a test can check: the board goal's description as the plan shows it, and
/// the memo's case number. Counts its calls; fails when `fail` is set.
#[derive(Default)]
struct TestFreezer {
    calls: AtomicUsize,
    fail: bool,
}

impl Freezer for TestFreezer {
    fn render(&self, input: FreezeInput) -> FreezeFuture {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let fail = self.fail;
        Box::pin(async move {
            if fail {
                return Err("testet ville inte".to_string());
            }
            let FreezeSource::Plan(doc) = &input.document else {
                return Err("bara planer här".to_string());
            };
            let texts: Vec<String> = doc
                .goals
                .iter()
                .flat_map(|g| g.walk())
                .flat_map(|g| g.sections.iter().map(|(_, t)| t.clone()))
                .collect();
            Ok(FrozenParts {
                pdf: format!("%PDF {} {}", doc.plan.id, input.memo.memo.case_number).into_bytes(),
                json: serde_json::json!({"texts": texts, "status": doc.plan.status.code()})
                    .to_string(),
                html: format!("<p>{}</p>", texts.join("|")),
            })
        })
    }
}

const MANAGER: &str = "chef@example.se";
const CONTROLLER: &str = "controller@example.se";

fn memo(case: &str) -> Memo {
    Memo {
        case_number: case.into(),
        date: Some(date!(2025 - 01 - 27)),
        case_officer: "Anna Andersson".into(),
        addressee: "Nämnden".into(),
        phone: "08-508 00 000".into(),
        title: String::new(),
        proposal: "Nämnden fastställer planen.".into(),
    }
}

/// One workflow step of the plan, from the version it is at now.
async fn step(
    store: &Store,
    actor: &str,
    plan: malkedja_domain::PlanId,
    to: PlanStatus,
    comment: &str,
) -> Result<(), StoreError> {
    let version = store.plan_by_id(plan).await?.expect("the plan").version;
    let mut w = store.begin_write(actor).await?;
    w.transition_plan(plan, version, to, comment).await?;
    w.commit().await
}

async fn save_memo(store: &Store, doc: DocRef, m: &Memo, version: i64) -> Result<i64, StoreError> {
    let mut w = store.begin_write(MANAGER).await?;
    let saved = w.save_memo(doc, m, version).await?;
    w.commit().await?;
    Ok(saved.version)
}

both_backends!(
    a_memo_is_versioned_audited_and_locked_with_the_plan,
    |store: Store| async move {
        let org = small_org(&store).await;
        let doc = DocRef::Plan(org.plan);
        let empty = store.memo(doc).await.unwrap();
        assert_eq!(empty.version, 0);
        assert_eq!(empty.memo, Memo::default());

        let mut first = memo(" HÄ 2025/815 ");
        first.proposal = "Nämnden fastställer planen.\n\n".into();
        assert_eq!(save_memo(&store, doc, &first, 0).await.unwrap(), 1);
        let stored = store.memo(doc).await.unwrap();
        assert_eq!(stored.version, 1);
        assert_eq!(stored.memo.case_number, "HÄ 2025/815", "trimmed");
        assert_eq!(stored.memo.proposal, "Nämnden fastställer planen.");
        assert_eq!(stored.memo.date, Some(date!(2025 - 01 - 27)));

        // A second save from version 0, or a stale 1 after 2, is a conflict and changes nothing.
        let again = save_memo(&store, doc, &memo("annat"), 0).await;
        assert!(
            matches!(again, Err(StoreError::Conflict { .. })),
            "{again:?}"
        );
        assert_eq!(save_memo(&store, doc, &memo("HÄ 2"), 1).await.unwrap(), 2);
        let stale = save_memo(&store, doc, &memo("HÄ 3"), 1).await;
        assert!(
            matches!(
                stale,
                Err(StoreError::Conflict {
                    expected: 1,
                    actual: 2,
                    ..
                })
            ),
            "{stale:?}"
        );
        assert_eq!(store.memo(doc).await.unwrap().memo.case_number, "HÄ 2");

        // Too long: named, nothing stored.
        let mut long = memo("x");
        long.phone = "1".repeat(malkedja_domain::MEMO_FIELD_MAX + 1);
        let refused = save_memo(&store, doc, &long, 2).await;
        assert!(
            matches!(
                refused,
                Err(StoreError::Domain(malkedja_domain::DomainError::TooLong {
                    field: "phone",
                    ..
                }))
            ),
            "{refused:?}"
        );

        // Every save is in the audit trail, before and after.
        let trail = store
            .audit_trail("document_memo", &format!("plan/{}", org.plan))
            .await
            .unwrap();
        assert_eq!(trail.len(), 2);
        assert!(trail[0].before.is_none());
        assert_eq!(
            trail[1].after.as_ref().unwrap()["memo"]["case_number"],
            "HÄ 2"
        );

        // Submitted: locked for a person.
        make_submittable(&store, &org).await;
        step(&store, MANAGER, org.plan, PlanStatus::Submitted, "")
            .await
            .unwrap();
        let locked = save_memo(&store, doc, &memo("HÄ 4"), 2).await;
        assert!(matches!(locked, Err(StoreError::Locked(_))), "{locked:?}");
        assert_eq!(store.memo(doc).await.unwrap().version, 2);
    }
);

both_backends!(
    an_approval_freezes_the_plan_in_its_own_transaction,
    |store: Store| async move {
        let freezer = Arc::new(TestFreezer::default());
        let store = store.with_freezer(freezer.clone());
        let org = small_org(&store).await;
        let doc = DocRef::Plan(org.plan);
        save_memo(&store, doc, &memo("HÄ 1"), 0).await.unwrap();
        make_submittable(&store, &org).await;
        step(&store, MANAGER, org.plan, PlanStatus::Submitted, "")
            .await
            .unwrap();
        assert_eq!(
            freezer.calls.load(Ordering::SeqCst),
            0,
            "submitting freezes nothing"
        );
        assert!(
            store
                .frozen_part(doc, FrozenPart::Pdf)
                .await
                .unwrap()
                .is_none()
        );
        step(&store, CONTROLLER, org.plan, PlanStatus::Approved, "")
            .await
            .unwrap();
        assert_eq!(freezer.calls.load(Ordering::SeqCst), 1);
        let copies = store.frozen_copies(doc).await.unwrap();
        assert_eq!(copies.len(), 1);
        let info = &copies[0];
        let approval = store.plan_transitions(org.plan).await.unwrap();
        assert_eq!(info.approval, approval.last().unwrap().id);
        assert_eq!(info.approved_by, CONTROLLER);
        assert_eq!(info.approved_at, approval.last().unwrap().at);
        assert_eq!(
            (info.unit_id, info.year, info.kind.as_str()),
            (org.unit, 2025, "plan")
        );
        assert_eq!(info.unit_name, "Enheten");
        let (_, pdf) = store
            .frozen_part(doc, FrozenPart::Pdf)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(pdf, format!("%PDF {} HÄ 1", org.plan).into_bytes());
        assert_eq!(info.pdf_sha256, sha256_hex(&pdf));
        let (_, json) = store
            .frozen_part(doc, FrozenPart::Json)
            .await
            .unwrap()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(json["status"], "approved", "rendered as approved");
        assert_eq!(json["texts"][0], "Nämndens beskrivning");
        // The freeze is in the audit trail.
        let trail = store
            .audit_trail("frozen_document", &info.id.to_string())
            .await
            .unwrap();
        assert_eq!(trail.len(), 1);
        assert_eq!(trail[0].action, "freeze");

        // A later revision of the board's text does not touch the copy; freezing again makes
        // nothing new.
        let mut w = store.begin_write("nämnden").await.unwrap();
        w.set_goal_text(
            org.board_goal,
            GoalSection::Description,
            "En ny beskrivning",
            datetime!(2025-06-01 0:00 UTC),
        )
        .await
        .unwrap();
        let again = w.freeze(doc).await.unwrap();
        w.commit().await.unwrap();
        assert_eq!(&again, info);
        assert_eq!(freezer.calls.load(Ordering::SeqCst), 1);
        let (_, html) = store
            .frozen_part(doc, FrozenPart::Html)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<p>Nämndens beskrivning</p>"
        );

        // Reopened and approved again: a new copy; the old one stays.
        step(
            &store,
            "admin@example.se",
            org.plan,
            PlanStatus::Draft,
            "Rättelse av målet",
        )
        .await
        .unwrap();
        step(&store, MANAGER, org.plan, PlanStatus::Submitted, "")
            .await
            .unwrap();
        step(&store, CONTROLLER, org.plan, PlanStatus::Approved, "")
            .await
            .unwrap();
        let copies = store.frozen_copies(doc).await.unwrap();
        assert_eq!(copies.len(), 2);
        assert_eq!(copies[0], *info, "the first copy is unchanged");
        assert!(copies[1].approval > copies[0].approval);
        let (newest, _) = store
            .frozen_part(doc, FrozenPart::Html)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            newest.id, copies[1].id,
            "the newest approval's copy is served"
        );
        assert_eq!(store.frozen_documents().await.unwrap().len(), 2);
        assert!(store.verify_archive().await.unwrap().is_empty());
    }
);

both_backends!(
    an_approval_whose_copy_cannot_be_made_is_not_stored,
    |store: Store| async move {
        let failing = Arc::new(TestFreezer {
            fail: true,
            ..TestFreezer::default()
        });
        let org = small_org(&store).await;
        make_submittable(&store, &org).await;
        step(&store, MANAGER, org.plan, PlanStatus::Submitted, "")
            .await
            .unwrap();
        let refused = step(
            &store.clone().with_freezer(failing.clone()),
            CONTROLLER,
            org.plan,
            PlanStatus::Approved,
            "",
        )
        .await;
        assert!(
            matches!(refused, Err(StoreError::Archive(_))),
            "{refused:?}"
        );
        let plan = store.plan_by_id(org.plan).await.unwrap().unwrap();
        assert_eq!(
            plan.status,
            PlanStatus::Submitted,
            "the approval was rolled back"
        );
        assert!(store.frozen_documents().await.unwrap().is_empty());

        // A store without a freezer approves and freezes nothing; freezing later (as the web
        // layer does on the first read) needs one, and then makes the copy of that approval.
        step(&store, CONTROLLER, org.plan, PlanStatus::Approved, "")
            .await
            .unwrap();
        assert!(store.frozen_documents().await.unwrap().is_empty());
        let mut w = store.begin_write("arkiv").await.unwrap();
        let none = w.freeze(DocRef::Plan(org.plan)).await;
        assert!(matches!(none, Err(StoreError::Archive(_))), "{none:?}");
        w.rollback().await.unwrap();
        let freezing = store.clone().with_freezer(Arc::new(TestFreezer::default()));
        let mut w = freezing.begin_write("arkiv").await.unwrap();
        let info = w.freeze(DocRef::Plan(org.plan)).await.unwrap();
        w.commit().await.unwrap();
        let approval = store.plan_transitions(org.plan).await.unwrap();
        assert_eq!(info.approval, approval.last().unwrap().id);
        assert_eq!(
            info.approved_by, CONTROLLER,
            "the approver, not who froze it"
        );

        // A plan that is not approved is not frozen.
        step(
            &store,
            "admin@example.se",
            org.plan,
            PlanStatus::Draft,
            "Öppnas igen",
        )
        .await
        .unwrap();
        let mut w = freezing.begin_write("arkiv").await.unwrap();
        let draft = w.freeze(DocRef::Plan(org.plan)).await;
        assert!(matches!(draft, Err(StoreError::Archive(_))), "{draft:?}");
    }
);

both_backends!(verify_notices_a_changed_copy, |store: Store| async move {
    let store = store.with_freezer(Arc::new(TestFreezer::default()));
    let org = small_org(&store).await;
    make_submittable(&store, &org).await;
    step(&store, MANAGER, org.plan, PlanStatus::Submitted, "")
        .await
        .unwrap();
    step(&store, CONTROLLER, org.plan, PlanStatus::Approved, "")
        .await
        .unwrap();
    assert!(store.verify_archive().await.unwrap().is_empty());
    let changed = execute_raw(
        &store,
        "UPDATE frozen_document SET html = '<p>Ändrad i efterhand</p>'",
    )
    .await
    .unwrap();
    assert_eq!(changed, 1);
    let mismatches = store.verify_archive().await.unwrap();
    assert_eq!(mismatches.len(), 1);
    assert_eq!(mismatches[0].parts, [FrozenPart::Html]);
    assert_eq!(mismatches[0].info.doc, DocRef::Plan(org.plan));
});

/// No code of Målkedja's changes or removes an archive copy: the only statement that
/// names the table in the store, the web layer or the binary is the insert in archive.rs
/// (as the audit trail is only appended to).
#[test]
fn no_code_updates_or_deletes_a_frozen_copy() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut checked = 0;
    let mut inserts = 0;
    for dir in [
        "crates/store/src",
        "crates/web/src",
        "src",
        "crates/documents/src",
    ] {
        let mut todo = vec![root.join(dir)];
        while let Some(d) = todo.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    todo.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs") {
                    continue;
                }
                let src = std::fs::read_to_string(&path).unwrap().to_uppercase();
                checked += 1;
                for needle in [
                    "UPDATE FROZEN_DOCUMENT",
                    "DELETE FROM FROZEN_DOCUMENT",
                    "DROP TABLE FROZEN_DOCUMENT",
                    "TRUNCATE FROZEN_DOCUMENT",
                ] {
                    assert!(
                        !src.contains(needle),
                        "{} changes archive copies: {needle}",
                        path.display()
                    );
                }
                inserts += src.matches("INSERT INTO FROZEN_DOCUMENT").count();
                assert!(
                    !src.contains("INTO FROZEN_DOCUMENT")
                        || src.matches("INTO FROZEN_DOCUMENT").count()
                            == src.matches("INSERT INTO FROZEN_DOCUMENT").count(),
                    "{}: only plain inserts",
                    path.display()
                );
                if src.contains("INSERT INTO FROZEN_DOCUMENT") {
                    assert!(
                        !src.contains("ON CONFLICT (DOC_KIND, DOC_ID, APPROVAL) DO UPDATE"),
                        "{}",
                        path.display()
                    );
                }
            }
        }
    }
    assert!(checked > 50, "the sources were read ({checked} files)");
    assert_eq!(inserts, 1, "one insert, in crates/store/src/archive.rs");
}
