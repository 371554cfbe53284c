//! `malkedja export` as an operator meets it, on both backends: files of every office
//! format, the API's JSON (anyone for an approved document, a token's person for a draft),
//! and one clear Swedish line with a non-zero exit when there is no such document.

use std::process::Command;

fn export(url: &str, args: &[&str], token: Option<&str>) -> (bool, String, String) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_malkedja"));
    c.env_remove("MALKEDJA_DATABASE_URL")
        .env_remove("MALKEDJA_TOKEN")
        .env("RUST_LOG", "warn")
        .arg("export")
        .args(args)
        .args(["--database-url", url]);
    if let Some(t) = token {
        c.env("MALKEDJA_TOKEN", t);
    }
    let out = c.output().unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The one `malkedja:` line a failure prints.
fn error_line(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("malkedja:"))
        .collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    lines[0].to_string()
}

async fn export_commands(store: &malkedja_store::Store, url: &str) {
    use malkedja_domain::{Role, RoleGrant};
    let org = malkedja_store::testing::small_org(store).await;
    let dir = std::env::temp_dir().join(format!(
        "malkedja-export-{}-{}",
        std::process::id(),
        format!("{:?}", store.backend()).to_lowercase()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let unit = org.unit.to_string();
    let file = |name: &str| dir.join(name).to_string_lossy().into_owned();

    // Word and Excel are zips of their parts; CSV is for Swedish Excel.
    for (format, part) in [
        ("docx", "word/document.xml"),
        ("xlsx", "xl/worksheets/sheet1.xml"),
    ] {
        let out = file(&format!("plan.{format}"));
        let (ok, _, err) = export(
            url,
            &[
                "--unit", &unit, "--year", "2025", "--format", format, "-o", &out,
            ],
            None,
        );
        assert!(ok, "{format}: {err}");
        assert!(err.contains("Skrev verksamhetsplan"), "{err}");
        let bytes = std::fs::read(&out).unwrap();
        assert!(bytes.starts_with(b"PK"), "{format} is a zip");
        assert!(
            bytes.windows(part.len()).any(|w| w == part.as_bytes()),
            "{format} has {part}"
        );
    }
    // The PDF prints the memo header its writer gave the plan.
    let mut w = store.begin_write("test").await.unwrap();
    let memo = malkedja_domain::Memo {
        case_number: "KS 2025/4711".into(),
        case_officer: "Handläggaren Hedvig".into(),
        ..malkedja_domain::Memo::default()
    };
    w.save_memo(malkedja_store::DocRef::Plan(org.plan), &memo, 0)
        .await
        .unwrap();
    w.commit().await.unwrap();
    let out = file("plan.pdf");
    let (ok, _, err) = export(
        url,
        &[
            "--unit", &unit, "--year", "2025", "--format", "pdf", "-o", &out,
        ],
        None,
    );
    assert!(ok, "pdf: {err}");
    let text = std::process::Command::new("pdftotext")
        .args([out.as_str(), "-"])
        .output()
        .expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("KS 2025/4711"), "{text}");
    assert!(text.contains("Handläggaren Hedvig"), "{text}");

    let (ok, csv, err) = export(
        url,
        &[
            "--unit", &unit, "--year", "2025", "--format", "csv", "-o", "-",
        ],
        None,
    );
    assert!(ok, "{err}");
    assert!(
        csv.starts_with("\u{FEFF}Målväg;Målnivå;Mål;Indikator;"),
        "{csv}"
    );

    // JSON is the API's answer: a draft needs a person who may read it.
    let (ok, _, err) = export(
        url,
        &[
            "--unit",
            &unit,
            "--year",
            "2025",
            "--format",
            "json",
            "-o",
            &file("p.json"),
        ],
        None,
    );
    assert!(!ok);
    assert!(error_line(&err).contains("--token"), "{err}");
    let hash = malkedja_store::password::hash("vind-och-våg-7")
        .await
        .unwrap();
    let mut w = store.begin_write("test").await.unwrap();
    let anna = w
        .add_account("anna@exempel.se", "Anna", &hash)
        .await
        .unwrap();
    w.grant_role(
        anna.id,
        RoleGrant {
            role: Role::Reader,
            node_id: org.unit,
        },
    )
    .await
    .unwrap();
    let (_, secret) = w.create_token(anna.id, "export", None).await.unwrap();
    w.commit().await.unwrap();
    let (ok, _, err) = export(
        url,
        &[
            "--unit",
            &unit,
            "--year",
            "2025",
            "--format",
            "json",
            "-o",
            &file("p.json"),
        ],
        Some(secret.as_str()),
    );
    assert!(ok, "{err}");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(file("p.json")).unwrap()).unwrap();
    assert_eq!(json["year"], 2025, "{json}");
    assert_eq!(json["unit"]["name"], "Enheten", "{json}");
    assert_eq!(json["status"], "draft", "{json}");

    // No such document: one clear line, a failure, no file.
    for (args, needle) in [
        (
            vec![
                "--unit",
                unit.as_str(),
                "--year",
                "2030",
                "--format",
                "docx",
            ],
            "Enheten har ingen verksamhetsplan för 2030",
        ),
        (
            vec![
                "--unit",
                unit.as_str(),
                "--year",
                "2025",
                "--kind",
                "annual_report",
                "--format",
                "xlsx",
            ],
            "Enheten har ingen verksamhetsberättelse för 2025",
        ),
        (
            vec!["--unit", "99999", "--year", "2025", "--format", "csv"],
            "det finns ingen enhet med id 99999",
        ),
    ] {
        let target = file("saknas.out");
        let mut all = args.clone();
        all.extend(["-o", target.as_str()]);
        let (ok, _, err) = export(url, &all, None);
        assert!(!ok, "{args:?}");
        assert!(error_line(&err).contains(needle), "{args:?}: {err}");
        assert!(!std::path::Path::new(&target).exists());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn export_writes_office_files_and_the_apis_json_on_sqlite() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let db = malkedja_store::testing::sqlite().await;
        let url = match &db.url {
            malkedja_store::DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
            other => panic!("not SQLite: {other}"),
        };
        export_commands(&db.store, &url).await;
        db.finish().await;
    });
}

#[test]
fn export_writes_office_files_and_the_apis_json_on_postgres() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let Some(db) = malkedja_store::testing::postgres().await else {
            return;
        };
        let url = match &db.url {
            malkedja_store::DatabaseUrl::Postgres(url) => url.clone(),
            other => panic!("not PostgreSQL: {other}"),
        };
        export_commands(&db.store, &url).await;
        db.finish().await;
    });
}

#[test]
fn export_explains_itself() {
    let out = Command::new(env!("CARGO_BIN_EXE_malkedja"))
        .args(["export", "--help"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for word in [
        "--database-url",
        "--unit",
        "--year",
        "annual_report",
        "tertial1",
        "docx",
        "xlsx",
        "csv",
        "json",
        "--token",
    ] {
        assert!(text.contains(word), "export --help lacks {word}: {text}");
    }
}
