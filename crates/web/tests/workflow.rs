//! A plan's workflow through the pages, on both backends, with the demo's people: the unit
//! manager submits, the controller returns with a comment and approves, the public then
//! reads the plan, an administrator reopens it with a reason; who may not gets 403, a
//! stale page a conflict, a missing comment the form back.

mod common;

use axum::http::StatusCode;
use common::Client;
use malkedja_domain::{OrgKind, PlanStatus};
use malkedja_store::{Store, both_backends};

/// The demo's password of an account, as the demo lists it.
async fn demo_password(store: &Store, email: &str) -> &'static str {
    malkedja_store::demo::demo_accounts(store)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.email == email)
        .unwrap_or_else(|| panic!("{email} is a demo account"))
        .password
}

async fn signed_in(app: &axum::Router, store: &Store, who: &str) -> Client {
    let email = format!("{who}@demo.malkedja.se");
    let mut c = Client::new(app);
    let a = c
        .sign_in(&email, demo_password(store, &email).await, "/")
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{email}: {}", a.body);
    c
}

/// The value of the hidden `version` field of the page's first step form.
fn version(page: &str) -> String {
    let at = page.find("name=\"version\" value=\"").expect("a step form");
    let rest = &page[at + "name=\"version\" value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

both_backends!(
    a_plan_goes_from_draft_to_approved_and_back,
    |store: Store| async move {
        malkedja_store::demo::load(&store, &|_| {}).await.unwrap();
        let app = malkedja_web::router(store.clone());
        let unit = store
            .org_nodes()
            .await
            .unwrap()
            .into_iter()
            .find(|n| n.kind == OrgKind::Unit && n.name == "Enheten för socialpsykiatriskt stöd")
            .unwrap()
            .id;
        let plan = format!("/enheter/{unit}/planer/2026");
        let status = format!("{plan}/status");
        let status_of = || async { store.plan(unit, 2026).await.unwrap().unwrap().status };
        assert_eq!(status_of().await, PlanStatus::Draft);

        // The writer may write but not submit: no button, and a forged form is 403.
        let writer = signed_in(&app, &store, "skribent").await;
        let page = writer.get(&plan).await;
        assert!(page.body.contains("Arbetsgång och beslut"));
        assert!(!page.body.contains("Skicka in planen"));
        let a = writer
            .post(
                &status,
                &[
                    ("csrf", &page.csrf()),
                    ("to", "submitted"),
                    ("version", &version_of(&store, unit).await),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);

        // The manager submits; the plan check finds an error first: its page, 422, and
        // nothing changes.
        let manager = signed_in(&app, &store, "enhetschef").await;
        let page = manager.get(&plan).await;
        assert!(page.body.contains("Skicka in planen"));
        assert!(!page.body.contains("Fastställ planen"));
        assert!(page.body.contains("Kontroll av planen: <strong>1 fel,"));
        let a = manager
            .post(
                &status,
                &[
                    ("csrf", &page.csrf()),
                    ("to", "submitted"),
                    ("version", &version(&page.body)),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        assert!(a.body.contains("Planen kunde inte skickas in"));
        assert!(
            a.body
                .contains("Andel verksamheter med en övad kontinuitetsplan")
        );
        assert_eq!(status_of().await, PlanStatus::Draft);
        common::give_every_indicator_a_target(&store, unit, 2026).await;
        let page = manager.get(&plan).await;
        assert!(page.body.contains("Kontroll av planen: <strong>0 fel,"));
        let a = manager
            .post(
                &status,
                &[
                    ("csrf", &page.csrf()),
                    ("to", "submitted"),
                    ("version", &version(&page.body)),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(status_of().await, PlanStatus::Submitted);
        // The same page again is stale: a conflict, nothing changes.
        let again = manager
            .post(
                &status,
                &[
                    ("csrf", &page.csrf()),
                    ("to", "submitted"),
                    ("version", &version(&page.body)),
                ],
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        let page = manager.get(&plan).await;
        assert!(page.body.contains("Skickad in"));
        assert!(page.body.contains("ligger hos controllern"));

        // The controller returns it: without a comment the form comes back, with what was typed.
        let controller = signed_in(&app, &store, "controller").await;
        let page = controller.get(&plan).await;
        assert!(
            page.body.contains("Fastställ planen") && page.body.contains("Återremittera planen")
        );
        let v = version(&page.body);
        let a = controller
            .post(
                &status,
                &[
                    ("csrf", &page.csrf()),
                    ("to", "returned"),
                    ("version", &v),
                    ("comment", "   "),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        assert!(a.body.contains("En återremiss behöver en kommentar"));
        assert!(a.body.contains("<textarea"));
        let comment = "Uppföljningen av mål 2 saknar <mätetal>.";
        let a = controller
            .post(
                &status,
                &[
                    ("csrf", &page.csrf()),
                    ("to", "returned"),
                    ("version", &v),
                    ("comment", comment),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(status_of().await, PlanStatus::Returned);
        let page = manager.get(&plan).await;
        assert!(page.body.contains("Återremitterad"));
        assert!(page.body.contains("Uppföljningen av mål 2 saknar "));
        assert!(!page.body.contains("<mätetal>"), "the comment is escaped");

        // Resubmitted and approved; the public reads it now.
        let a = manager
            .post(
                &status,
                &[
                    ("csrf", &page.csrf()),
                    ("to", "submitted"),
                    ("version", &version(&page.body)),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        let page = controller.get(&plan).await;
        let a = controller
            .post(
                &status,
                &[
                    ("csrf", &page.csrf()),
                    ("to", "approved"),
                    ("version", &version(&page.body)),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(status_of().await, PlanStatus::Approved);
        let public = Client::new(&app);
        let page = public.get(&plan).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Fastställd"));
        assert!(
            !page.body.contains("name=\"to\""),
            "no forms for the public"
        );

        // Only an administrator reopens, and only with a reason.
        let page = controller.get(&plan).await;
        assert!(!page.body.contains("Öppna planen igen"));
        let admin = signed_in(&app, &store, "admin").await;
        let page = admin.get(&plan).await;
        assert!(page.body.contains("Öppna planen igen"));
        let a = admin
            .post(
                &status,
                &[
                    ("csrf", &page.csrf()),
                    ("to", "draft"),
                    ("version", &version(&page.body)),
                    ("comment", "Budgeten ändrades i nämnden."),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(status_of().await, PlanStatus::Draft);
        assert_eq!(
            store
                .plan_transitions(store.plan(unit, 2026).await.unwrap().unwrap().id)
                .await
                .unwrap()
                .len(),
            5
        );

        // Nonsense is a clear 400, never a 500.
        for (to, v) in [("ingen", "1"), ("submitted", "x")] {
            let page = manager.get(&plan).await;
            let a = manager
                .post(
                    &status,
                    &[("csrf", &page.csrf()), ("to", to), ("version", v)],
                )
                .await;
            assert_eq!(a.status, StatusCode::BAD_REQUEST, "{to} {v}");
        }
    }
);

async fn version_of(store: &Store, unit: malkedja_domain::NodeId) -> String {
    store
        .plan(unit, 2026)
        .await
        .unwrap()
        .unwrap()
        .version
        .to_string()
}
