//! The start page's "Mitt arbete", through the router, on both backends, with the demo: a
//! unit manager sees the plans to write, a controller those to approve and every unit of
//! the newest year against its deadline; a visitor sees none of it.

mod common;

use common::{Client, signed_in};
use malkedja_store::{Store, both_backends};

both_backends!(each_person_sees_their_work, |store: Store| async move {
    malkedja_store::demo::load(&store, &|_| {})
        .await
        .unwrap()
        .expect("demo loads");
    let app = malkedja_web::router(store.clone());

    let visitor = Client::new(&app).get("/").await;
    assert_eq!(visitor.status, 200);
    assert!(!visitor.body.contains("Mitt arbete"));

    let manager = signed_in(&store, &app, "enhetschef@demo.malkedja.se")
        .await
        .get("/")
        .await;
    assert!(manager.body.contains("Mitt arbete"));
    assert!(manager.body.contains("Planer att skriva"));
    assert!(
        manager
            .body
            .contains("Verksamhetsplan 2026 – Enheten för socialpsykiatriskt stöd")
    );
    assert!(
        !manager.body.contains("Planer att godkänna"),
        "a unit manager approves nothing"
    );
    assert!(
        manager
            .body
            .contains("skickas in senast <time datetime=\"2025-11-30\">"),
        "the administration's plan deadline"
    );
    // Each plan with how far it has come, counted as the unit page counts it.
    let unit = store
        .org_nodes()
        .await
        .unwrap()
        .into_iter()
        .find(|n| n.name == "Enheten för socialpsykiatriskt stöd")
        .expect("the manager's unit");
    let overview = store.plan_overview(unit.id).await.unwrap();
    let draft = overview
        .iter()
        .find(|o| o.plan.year == 2026)
        .expect("the 2026 draft");
    let label = draft.completion.label();
    assert!(
        manager.body.contains(&format!(
            "<span id=\"skriv-klara-1-2026\">{label}</span> <progress max=\"{}\" value=\"{}\" aria-labelledby=\"skriv-klara-1-2026\">",
            draft.completion.total, draft.completion.ready
        )),
        "{label}: {}",
        manager.body
    );

    let controller = signed_in(&store, &app, "controller@demo.malkedja.se")
        .await
        .get("/")
        .await;
    assert!(
        controller.body.contains("Planer att godkänna"),
        "{}",
        controller.body
    );
    assert!(
        controller
            .body
            .contains("Verksamhetsplan 2026 – Sjövikens dagliga verksamheter")
    );
    assert!(
        controller
            .body
            .contains("Läget för verksamhetsplanerna 2026")
    );
    // The demo's deadline for the 2026 plans (2025-11-30) has passed: a draft is late, a
    // submitted plan is not.
    for standing in ["Försenad", "Inskickad"] {
        assert!(
            controller.body.contains(&format!("<td>{standing}</td>")),
            "{standing}"
        );
    }
    assert!(
        controller
            .body
            .contains("<time datetime=\"2025-11-30\">2025-11-30</time>")
    );
});
