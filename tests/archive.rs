//! `malkedja archive` as an operator meets it, on both backends: `verify` passes on an
//! untouched archive and fails, listing the document and the part, once a row is changed
//! behind Målkedja's back; `export` writes every copy with a manifest whose checksums match
//! the files.

use malkedja_domain::PlanStatus;
use std::process::Command;

fn archive(url: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_malkedja"))
        .env_remove("MALKEDJA_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .arg("archive")
        .args(args)
        .args(["--database-url", url])
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

async fn archive_commands(store: &malkedja_store::Store, url: &str) {
    // A plan approved through a store that freezes, as the server's does.
    let store = store.clone().with_freezer(malkedja_web::freezer());
    let org = malkedja_store::testing::small_org(&store).await;
    malkedja_store::testing::make_submittable(&store, &org).await;
    for (actor, to) in [
        ("chef@example.se", PlanStatus::Submitted),
        ("controller@example.se", PlanStatus::Approved),
    ] {
        let version = store.plan_by_id(org.plan).await.unwrap().unwrap().version;
        let mut w = store.begin_write(actor).await.unwrap();
        w.transition_plan(org.plan, version, to, "").await.unwrap();
        w.commit().await.unwrap();
    }

    let (ok, out, err) = archive(url, &["verify"]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("Alla 1 arkivexemplar stämmer"), "{out}");

    let dir = std::env::temp_dir().join(format!(
        "malkedja-archive-{}-{}",
        std::process::id(),
        format!("{:?}", store.backend()).to_lowercase()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let (ok, out, err) = archive(url, &["export", &dir.to_string_lossy()]);
    assert!(ok, "{out}{err}");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let docs = manifest["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 1);
    let d = &docs[0];
    assert_eq!(d["unit"]["name"], "Enheten");
    assert_eq!(d["year"], 2025);
    assert_eq!(d["kind"], "plan");
    assert_eq!(d["approver"], "controller@example.se");
    assert!(d["approved_at"].as_str().unwrap().starts_with("20"));
    let files = d["files"].as_array().unwrap();
    assert_eq!(files.len(), 3);
    for f in files {
        let bytes = std::fs::read(dir.join(f["file"].as_str().unwrap())).unwrap();
        assert_eq!(
            malkedja_store::sha256_hex(&bytes),
            f["sha256"].as_str().unwrap()
        );
        if f["part"] == "pdf" {
            assert!(bytes.starts_with(b"%PDF-"));
        }
        if f["part"] == "json" {
            let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(json["status"], "approved");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);

    // Changed behind Målkedja's back: verify names the copy and the part, and fails.
    let changed = malkedja_store::testing::execute_raw(
        &store,
        "UPDATE frozen_document SET json = '{\"status\":\"draft\"}'",
    )
    .await
    .unwrap();
    assert_eq!(changed, 1);
    let (ok, out, err) = archive(url, &["verify"]);
    assert!(!ok, "a changed copy fails the check");
    assert!(out.contains("1 av 1 arkivexemplar stämmer inte"), "{out}");
    assert!(
        out.contains("plan 2025 Enheten") && out.contains(": json"),
        "{out}"
    );
    assert!(
        err.contains("malkedja: 1 arkivexemplar har ändrats"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    // Export refuses to hand a changed copy to the e-archive.
    let (ok, _, err) = archive(url, &["export", &dir.to_string_lossy()]);
    assert!(!ok);
    assert!(err.contains("stämmer inte med sin kontrollsumma"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn archive_verify_and_export_on_sqlite() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let db = malkedja_store::testing::sqlite().await;
        let url = match &db.url {
            malkedja_store::DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
            other => panic!("not SQLite: {other}"),
        };
        archive_commands(&db.store, &url).await;
        db.finish().await;
    });
}

#[test]
fn archive_verify_and_export_on_postgres() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let Some(db) = malkedja_store::testing::postgres().await else {
            return;
        };
        let url = match &db.url {
            malkedja_store::DatabaseUrl::Postgres(url) => url.clone(),
            other => panic!("not PostgreSQL: {other}"),
        };
        archive_commands(&db.store, &url).await;
        db.finish().await;
    });
}
