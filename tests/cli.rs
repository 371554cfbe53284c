//! The command line as an operator meets it: help texts, clear one-line errors, a server
//! that starts, answers and stops cleanly on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn malkedja() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_malkedja"));
    c.env_remove("MALKEDJA_DATABASE_URL").env_remove("RUST_LOG");
    c
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("malkedja-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn every_subcommand_explains_itself() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["org", "--help"],
        vec!["org", "list", "--help"],
        vec!["org", "move", "--help"],
        vec!["org", "rename", "--help"],
        vec!["user", "--help"],
        vec!["user", "add", "--help"],
        vec!["user", "list", "--help"],
        vec!["user", "grant", "--help"],
        vec!["user", "revoke", "--help"],
        vec!["user", "disable", "--help"],
        vec!["user", "set-password", "--help"],
        vec!["token", "--help"],
        vec!["token", "create", "--help"],
        vec!["token", "list", "--help"],
        vec!["token", "revoke", "--help"],
        vec!["structure", "--help"],
        vec!["structure", "copy", "--help"],
    ] {
        let out = malkedja().args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("--database-url"), "{args:?}: {text}");
    }
    let serve = String::from_utf8(
        malkedja()
            .args(["serve", "--help"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    for word in [
        "Run the web server",
        "--demo",
        "--bind",
        "--port",
        "SIGTERM",
    ] {
        assert!(serve.contains(word), "serve --help lacks {word}");
    }
}

#[test]
fn a_malformed_database_url_is_one_clear_line_and_a_failure() {
    let out = malkedja()
        .args(["migrate", "--database-url", "mysql://x/y"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("malkedja:")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        lines[0].contains("sqlite://") && lines[0].contains("postgres://"),
        "{err}"
    );
}

#[test]
fn an_unreachable_database_is_one_clear_line_and_a_failure() {
    let out = malkedja()
        .args([
            "migrate",
            "--database-url",
            "postgres://nobody@127.0.0.1:1/none",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.lines()
            .any(|l| l.starts_with("malkedja: kunde inte ansluta till databasen")),
        "{err}"
    );
    assert!(!err.contains("panicked"));
}

#[test]
fn migrate_creates_the_sqlite_file_and_its_folder() {
    let dir = temp_dir("migrate");
    let db = dir.join("inner/folder/m.db");
    let out = malkedja()
        .args([
            "migrate",
            "--database-url",
            &format!("sqlite://{}", db.display()),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(db.exists());
    // The variable works as well as the option, and migrating again is harmless.
    let out = malkedja()
        .arg("migrate")
        .env(
            "MALKEDJA_DATABASE_URL",
            format!("sqlite://{}", db.display()),
        )
        .output()
        .unwrap();
    assert!(out.status.success());
    let _ = std::fs::remove_dir_all(dir);
}

fn http_get(port: u16, path: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn serve_answers_and_stops_cleanly_on_sigterm() {
    let dir = temp_dir("serve");
    let mut child = malkedja()
        .args(["serve", "--port", "0", "--data-dir"])
        .arg(&dir)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let started = Instant::now();
    let port = loop {
        let mut line = String::new();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "server exited before listening"
        );
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            break rest.split('/').next().unwrap().parse::<u16>().unwrap();
        }
        assert!(started.elapsed() < Duration::from_secs(60));
    };
    let health = http_get(port, "/healthz");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let missing = http_get(port, "/enheter/1");
    assert!(missing.starts_with("HTTP/1.1 404"), "{missing}");
    assert!(
        dir.join("malkedja.db").exists(),
        "the default database is a file in the data directory"
    );

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    let exit = child.wait().unwrap();
    assert!(exit.success(), "exit {exit:?}: {rest}");
    assert!(rest.contains("har stängts"), "{rest}");
    assert!(
        rest.contains("malkedja::http"),
        "one log line per request: {rest}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

const SNIPPET: &str = "Inledning \nEnhetens uppdrag \nVi hjälper invånarna i Exempelby med allt som rör trädgårdar. \n\nKF:s inriktningsmål: 1. Ett påhittat inriktningsmål \n\nKF:s mål för verksamhetsområdet: 1.2 Ett påhittat områdesmål \n\nNämndmål: Nämnden sköter parkerna väl \n\nBeskrivning \n\nNämnden planterar träd. \n\n  Aktivitet Startdatum Slutdatum \n\n Nämnden planterar hundra ekar 2031-03-01 2031-10-31 \n\nEnhetsmål: Enheten vattnar alla rabatter \n\nFörväntat resultat \n\nInga rabatter torkar. \n";

fn sqlite_url(dir: &std::path::Path) -> String {
    format!("sqlite://{}", dir.join("m.db").display())
}

#[test]
fn import_dry_run_prints_the_document_and_stores_nothing() {
    let dir = temp_dir("dry-run");
    let file = dir.join("plan.txt");
    std::fs::write(&file, SNIPPET).unwrap();
    let out = malkedja()
        .args([
            "import",
            "--dry-run",
            "--json",
            "--unit",
            "Trädgårdsenheten",
            "--year",
            "2031",
        ])
        .arg(&file)
        .args(["--database-url", &sqlite_url(&dir)])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["kind"], "plan");
    assert_eq!(doc["year"], 2031);
    assert_eq!(doc["unit"], "Trädgårdsenheten");
    assert_eq!(doc["goals"][3]["level"], "unit");
    assert_eq!(doc["activities"][0]["start"], "2031-03-01");
    assert!(
        !dir.join("m.db").exists(),
        "a dry run does not even open the database"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn import_stores_once_and_refuses_what_it_cannot_read() {
    let dir = temp_dir("import");
    let good = dir.join("plan.txt");
    std::fs::write(&good, SNIPPET).unwrap();
    let import = |files: &[&std::path::Path]| {
        malkedja()
            .args([
                "import",
                "--json",
                "--unit",
                "Trädgårdsenheten",
                "--year",
                "2031",
                "--database-url",
                &sqlite_url(&dir),
            ])
            .args(files)
            .output()
            .unwrap()
    };
    let out = import(&[&good]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary[0]["unit"], "Trädgårdsenheten");
    assert_eq!(summary[0]["goals_created"], 4);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("[1/1]"),
        "plain progress lines when not on a terminal: {stderr}"
    );

    let again = import(&[&good]);
    assert!(again.status.success());
    let summary: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(summary[0]["goals_created"], 0);
    assert!(String::from_utf8_lossy(&again.stderr).contains("inget ändrades"));

    // A file that is not text stops the whole import before anything is stored.
    let bad = dir.join("bild.txt");
    std::fs::write(&bad, [0x89, b'P', b'N', b'G', 0xff, 0xfe, 0x00]).unwrap();
    let other = dir.join("annan.txt");
    std::fs::write(&other, SNIPPET.replace("Trädgård", "Skog")).unwrap();
    let out = import(&[&other, &bad]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.lines()
            .any(|l| l.starts_with("malkedja:") && l.contains("bild.txt") && l.contains("UTF-8")),
        "{err}"
    );
    let out = malkedja()
        .args([
            "import",
            "--unit",
            "Trädgårdsenheten",
            "--year",
            "20310",
            "--database-url",
            &sqlite_url(&dir),
        ])
        .arg(&good)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("året 20310"));
    let empty = dir.join("tom.txt");
    std::fs::write(&empty, "").unwrap();
    let out = import(&[&empty]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("tom.txt"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn serve_takes_the_statements_contact_details_from_options_and_environment() {
    let help = malkedja().args(["serve", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    for word in [
        "--org-name",
        "MALKEDJA_ORG_NAME",
        "--contact-email",
        "MALKEDJA_CONTACT_EMAIL",
        "--contact-phone",
        "MALKEDJA_CONTACT_PHONE",
    ] {
        assert!(help.contains(word), "serve --help lacks {word}");
    }
    let dir = temp_dir("statement");
    let mut child = malkedja()
        .args(["serve", "--port", "0", "--data-dir"])
        .arg(&dir)
        .args(["--contact-email", "tillganglighet@exempel.example"])
        .env("MALKEDJA_ORG_NAME", "Exempelby förvaltning")
        .env_remove("MALKEDJA_CONTACT_EMAIL")
        .env_remove("MALKEDJA_CONTACT_PHONE")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let started = Instant::now();
    let mut said = String::new();
    let port = loop {
        let mut line = String::new();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "server exited before listening"
        );
        said.push_str(&line);
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            break rest.split('/').next().unwrap().parse::<u16>().unwrap();
        }
        assert!(started.elapsed() < Duration::from_secs(60));
    };
    let page = http_get(port, "/tillganglighet");
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("Exempelby förvaltning står bakom Målkedja"));
    assert!(page.contains("href=\"mailto:tillganglighet@exempel.example\""));
    assert!(
        page.contains("<span class=\"placeholder\">[Telefonnummer]</span>"),
        "what is not given stays a placeholder"
    );
    assert!(
        said.contains("platshållare"),
        "the operator is told at start: {said}"
    );
}

/// Runs `malkedja org …` on the database at `url`; returns (success, stdout, stderr).
fn org(url: &str, args: &[&str]) -> (bool, String, String) {
    let out = malkedja()
        .arg("org")
        .args(args)
        .args(["--database-url", url])
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The one `malkedja:` line a failure prints.
fn error_line(stderr: &str) -> &str {
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("malkedja:"))
        .collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    lines[0]
}

/// Runs `check` against a new SQLite database, giving it the store and the URL the
/// commands are run with.
fn on_sqlite(name: &str, check: impl AsyncFn(&malkedja_store::Store, &str)) {
    let dir = temp_dir(name);
    let url = sqlite_url(&dir);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = malkedja_store::Store::open(&malkedja_store::DatabaseUrl::parse(&url).unwrap())
            .await
            .unwrap();
        check(&store, &url).await;
        store.close().await;
    });
    let _ = std::fs::remove_dir_all(dir);
}

/// Runs `check` against a new PostgreSQL database when PostgreSQL tests run.
fn on_postgres(check: impl AsyncFn(&malkedja_store::Store, &str)) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let Some(db) = malkedja_store::testing::postgres().await else {
            return;
        };
        let url = match &db.url {
            malkedja_store::DatabaseUrl::Postgres(url) => url.clone(),
            other => panic!("not PostgreSQL: {other}"),
        };
        check(&db.store, &url).await;
        db.finish().await;
    });
}

/// Lists, moves and renames nodes from the command line on the database at `url`, which
/// `store` has open; checks the tree and the audit trail through `store`.
async fn org_commands(store: &malkedja_store::Store, url: &str) {
    use malkedja_domain::{NewNode, NodeId, OrgKind};
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
    let norr = node(Some(admin), OrgKind::Department, "Norr").await;
    let soder = node(Some(admin), OrgKind::Department, "Söder").await;
    let unit = node(Some(norr), OrgKind::Unit, "Solrosen").await;
    w.commit().await.unwrap();

    // The tree, with ids to copy, indented by depth.
    let (ok, list, err) = org(url, &["list"]);
    assert!(ok, "{err}");
    let line_of = |list: &str, name: &str| -> String {
        list.lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} missing: {list}"))
            .to_string()
    };
    let indent = |line: &str| {
        line.trim_start()
            .find(|c: char| !c.is_ascii_digit() && c != ' ')
    };
    assert!(
        line_of(&list, "Solrosen")
            .trim_start()
            .starts_with(&unit.to_string())
    );
    assert!(line_of(&list, "Solrosen").ends_with("Solrosen (enhet)"));
    assert!(
        indent(&line_of(&list, "Solrosen")) > indent(&line_of(&list, "Norr")),
        "{list}"
    );
    let (ok, tree, _) = org(url, &["tree"]);
    assert!(ok);
    assert_eq!(tree, list, "tree is another name for list");

    // Move and rename.
    let (ok, out, err) = org(
        url,
        &["move", &unit.to_string(), "--under", &soder.to_string()],
    );
    assert!(ok, "{err}");
    assert_eq!(
        out.trim(),
        format!("enheten «Solrosen» (id {unit}) ligger nu under avdelningen «Söder» (id {soder}).")
    );
    let (ok, out, err) = org(url, &["rename", &unit.to_string(), "Solrosens boende"]);
    assert!(ok, "{err}");
    assert_eq!(
        out.trim(),
        format!("enheten «Solrosen» (id {unit}) heter nu «Solrosens boende».")
    );
    let node = store.node(unit).await.unwrap().unwrap();
    assert_eq!(node.parent_id, Some(soder));
    assert_eq!(node.name, "Solrosens boende");
    let (_, list, _) = org(url, &["list"]);
    let lines: Vec<&str> = list.lines().collect();
    let at = |name: &str| lines.iter().position(|l| l.contains(name)).unwrap();
    assert_eq!(at("Solrosens boende"), at("Söder") + 1, "{list}");

    // Refused moves: one clear Swedish line, a failure, nothing changed.
    let (ok, _, err) = org(
        url,
        &["move", &admin.to_string(), "--under", &soder.to_string()],
    );
    assert!(!ok);
    assert_eq!(
        error_line(&err),
        "malkedja: förvaltningen «Förvaltningen» kan inte flyttas under avdelningen «Söder», som ligger under den"
    );
    let (ok, _, err) = org(
        url,
        &["move", &unit.to_string(), "--under", &board.to_string()],
    );
    assert!(!ok);
    assert_eq!(
        error_line(&err),
        "malkedja: enhet kan inte ligga under nämnd i organisationen"
    );
    let (ok, _, err) = org(url, &["rename", "999999", "Ingen"]);
    assert!(!ok);
    assert!(
        error_line(&err).contains("ingen nod med id 999999"),
        "{err}"
    );
    let (ok, _, err) = org(url, &["rename", &unit.to_string(), "  "]);
    assert!(!ok);
    assert_eq!(error_line(&err), "malkedja: namnet får inte vara tomt");

    // The audit trail names the command line and holds the two changes.
    let trail = store
        .audit_trail("org_node", &unit.to_string())
        .await
        .unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["create", "move", "rename"]);
    assert!(
        trail[1].actor.starts_with("kommandoraden"),
        "{}",
        trail[1].actor
    );
    assert_eq!(
        store.node(admin).await.unwrap().unwrap().parent_id,
        Some(board)
    );
}

#[test]
fn org_commands_correct_the_tree_on_sqlite() {
    on_sqlite("org", org_commands);
}

#[test]
fn org_commands_correct_the_tree_on_postgres() {
    on_postgres(org_commands);
}

/// Runs `malkedja user …` on the database at `url` with `stdin` as standard input (not a
/// terminal); returns (success, stdout, stderr).
fn user(url: &str, args: &[&str], stdin: &str) -> (bool, String, String) {
    let mut child = malkedja()
        .arg("user")
        .args(args)
        .args(["--database-url", url])
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Adds, lists, grants, revokes, disables and re-passwords accounts from the command line
/// on the database at `url`, which `store` has open; checks through `store`.
async fn user_commands(store: &malkedja_store::Store, url: &str) {
    use malkedja_domain::{NewNode, NodeId, OrgKind, Role, RoleGrant};
    use malkedja_store::password;
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
    w.commit().await.unwrap();
    let (city_id, board_id) = (city.to_string(), board.to_string());

    let (ok, out, err) = user(url, &["list"], "");
    assert!(ok, "{err}");
    assert!(out.contains("malkedja user add"), "{out}");

    // Added with the password on standard input.
    let (ok, out, err) = user(
        url,
        &[
            "add",
            "Anna@Exempel.se",
            "--name",
            "Anna Admin",
            "--role",
            "admin",
            "--scope",
            &city_id,
        ],
        "vind-och-våg-7\n",
    );
    assert!(ok, "{err}");
    assert_eq!(
        out.trim(),
        format!(
            "Kontot anna@exempel.se (Anna Admin) är skapat med rollen admin på staden «Staden» (id {city})."
        )
    );
    let anna = store
        .account_by_email("anna@exempel.se")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        anna.grants,
        [RoleGrant {
            role: Role::Admin,
            node_id: city
        }]
    );
    let hash = store.password_hash_of(anna.id).await.unwrap().unwrap();
    assert!(password::verify("vind-och-våg-7", &hash).await.unwrap());

    // A generated password is printed once and works.
    let (ok, out, err) = user(
        url,
        &[
            "add",
            "bo@exempel.se",
            "--name",
            "Bo",
            "--role",
            "reader",
            "--scope",
            &board_id,
            "--generate-password",
        ],
        "",
    );
    assert!(ok, "{err}");
    let generated = out
        .lines()
        .find_map(|l| l.strip_prefix("Lösenord (visas bara nu, spara det säkert): "))
        .unwrap_or_else(|| panic!("no password in {out}"))
        .to_string();
    assert_eq!(generated.chars().count(), 20);
    let bo = store
        .account_by_email("bo@exempel.se")
        .await
        .unwrap()
        .unwrap();
    let hash = store.password_hash_of(bo.id).await.unwrap().unwrap();
    assert!(password::verify(&generated, &hash).await.unwrap());
    assert!(bo.must_change_password, "a generated password is one-time");
    assert!(!anna.must_change_password, "a password typed in stands");

    // Refusals: one Swedish line, a failure, nothing stored.
    for (args, stdin, said) in [
        (
            vec![
                "add",
                "c@exempel.se",
                "--name",
                "C",
                "--role",
                "reader",
                "--scope",
                &city_id,
            ],
            "kort\n",
            "malkedja: lösenordet måste ha minst 12 tecken",
        ),
        (
            vec![
                "add",
                "c@exempel.se",
                "--name",
                "C",
                "--role",
                "reader",
                "--scope",
                &city_id,
            ],
            "Password1234\n",
            "malkedja: lösenordet är för vanligt och lätt att gissa; välj ett annat",
        ),
        (
            vec![
                "add",
                "ANNA@exempel.se",
                "--name",
                "A",
                "--role",
                "reader",
                "--scope",
                &city_id,
            ],
            "vind-och-våg-7\n",
            "malkedja: det finns redan ett konto med e-postadressen anna@exempel.se",
        ),
        (
            vec![
                "add",
                "c@exempel.se",
                "--name",
                "C",
                "--role",
                "kung",
                "--scope",
                &city_id,
            ],
            "vind-och-våg-7\n",
            "malkedja: okänd roll «kung»; välj en av admin, board_editor, unit_manager, unit_writer, controller, reader",
        ),
        (
            vec![
                "add",
                "c@exempel.se",
                "--name",
                "C",
                "--role",
                "reader",
                "--scope",
                "999999",
            ],
            "vind-och-våg-7\n",
            "malkedja: det finns ingen nod med id 999999 i organisationen (`malkedja org list` visar dem)",
        ),
        (
            vec![
                "add",
                "c@exempel.se",
                "--name",
                "C",
                "--role",
                "reader",
                "--scope",
                &city_id,
            ],
            "",
            "malkedja: inget lösenord på standard input (skriv det där, eller använd --generate-password)",
        ),
        (
            vec!["disable", "okand@exempel.se"],
            "",
            "malkedja: det finns inget konto med e-postadressen okand@exempel.se (`malkedja user list` visar dem)",
        ),
    ] {
        let (ok, _, err) = user(url, &args, stdin);
        assert!(!ok, "{args:?}");
        assert_eq!(error_line(&err), said, "{args:?}");
    }
    assert!(
        store
            .account_by_email("c@exempel.se")
            .await
            .unwrap()
            .is_none()
    );

    // Grant and revoke.
    let (ok, out, err) = user(
        url,
        &[
            "grant",
            "BO@exempel.se",
            "--role",
            "controller",
            "--scope",
            &city_id,
        ],
        "",
    );
    assert!(ok, "{err}");
    assert_eq!(
        out.trim(),
        format!("bo@exempel.se har nu rollen controller på staden «Staden» (id {city}).")
    );
    let (ok, _, err) = user(
        url,
        &[
            "revoke",
            "bo@exempel.se",
            "--role",
            "reader",
            "--scope",
            &board_id,
        ],
        "",
    );
    assert!(ok, "{err}");
    let bo = store
        .account_by_email("bo@exempel.se")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        bo.grants,
        [RoleGrant {
            role: Role::Controller,
            node_id: city
        }]
    );
    let (ok, _, err) = user(
        url,
        &[
            "revoke",
            "bo@exempel.se",
            "--role",
            "reader",
            "--scope",
            &board_id,
        ],
        "",
    );
    assert!(!ok);
    assert_eq!(
        error_line(&err),
        format!("malkedja: bo@exempel.se har inte rollen reader på nod {board}")
    );

    // A new password, then disabled.
    let (ok, _, err) = user(url, &["set-password", "bo@exempel.se"], "storm-och-sol-8\n");
    assert!(ok, "{err}");
    let hash = store.password_hash_of(bo.id).await.unwrap().unwrap();
    assert!(password::verify("storm-och-sol-8", &hash).await.unwrap());
    let bo = store
        .account_by_email("bo@exempel.se")
        .await
        .unwrap()
        .unwrap();
    assert!(!bo.must_change_password, "a password typed in clears it");
    let (ok, _, err) = user(url, &["set-password", "bo@exempel.se"], "123456789012\n");
    assert!(!ok);
    assert_eq!(
        error_line(&err),
        "malkedja: lösenordet är för vanligt och lätt att gissa; välj ett annat"
    );
    let (ok, _, err) = user(url, &["disable", "bo@exempel.se"], "");
    assert!(ok, "{err}");
    assert!(
        store
            .account_by_email("bo@exempel.se")
            .await
            .unwrap()
            .unwrap()
            .disabled
    );

    // The list shows each person with their state and roles.
    let (ok, list, err) = user(url, &["list"], "");
    assert!(ok, "{err}");
    assert_eq!(
        list,
        format!(
            "anna@exempel.se  Anna Admin  aktivt  senast inloggad: aldrig\n    admin på staden «Staden» (id {city})\n\
             bo@exempel.se  Bo  avstängt  senast inloggad: aldrig\n    controller på staden «Staden» (id {city})\n"
        )
    );

    // The audit trail names the command line and never holds a password or hash.
    let trail = store
        .audit_trail("account", &bo.id.to_string())
        .await
        .unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "create",
            "grant",
            "grant",
            "revoke",
            "set_password",
            "disable"
        ]
    );
    assert!(
        trail[0].actor.starts_with("kommandoraden"),
        "{}",
        trail[0].actor
    );
    let text = format!("{:?}", trail);
    assert!(
        !text.contains("argon2") && !text.contains(&generated),
        "{text}"
    );
}

#[test]
fn user_commands_manage_accounts_on_sqlite() {
    on_sqlite("user", user_commands);
}

#[test]
fn user_commands_manage_accounts_on_postgres() {
    on_postgres(user_commands);
}

/// Runs `malkedja token …` on the database at `url`; returns (success, stdout, stderr).
fn token(url: &str, args: &[&str]) -> (bool, String, String) {
    let out = malkedja()
        .arg("token")
        .args(args)
        .args(["--database-url", url])
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Creates, lists and revokes API tokens from the command line on the database at `url`,
/// which `store` has open; checks through `store`.
async fn token_commands(store: &malkedja_store::Store, url: &str) {
    use malkedja_store::password;
    let hash = password::hash("vind-och-våg-7").await.unwrap();
    let mut w = store.begin_write("test").await.unwrap();
    let anna = w
        .add_account("anna@exempel.se", "Anna", &hash)
        .await
        .unwrap();
    let bo = w.add_account("bo@exempel.se", "Bo", &hash).await.unwrap();
    w.commit().await.unwrap();
    let now = time_now();

    let (ok, out, err) = token(
        url,
        &[
            "create",
            "--user",
            "Anna@Exempel.se",
            "--name",
            "rapporter",
            "--expires-days",
            "30",
        ],
    );
    assert!(ok, "{err}");
    let secret = out.trim().to_string();
    assert!(secret.starts_with("mk_") && secret.len() == 46, "{out}");
    assert!(err.contains("visas bara nu"), "{err}");
    let info = store.token(&secret, now).await.unwrap().unwrap();
    assert_eq!(info.who.account, anna.id);
    let (ok, out, _) = token(url, &["create", "--user", "bo@exempel.se"]);
    assert!(ok);
    let bo_secret = out.trim().to_string();

    // The list shows names and ids, never a token or its hash.
    let (ok, out, err) = token(url, &["list"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("rapporter") && out.contains("bo@exempel.se"),
        "{out}"
    );
    assert!(
        !out.contains(&secret[3..]) && !out.contains(&bo_secret[3..]),
        "{out}"
    );
    let (ok, out, _) = token(url, &["list", "--user", "anna@exempel.se"]);
    assert!(ok);
    assert_eq!(out.lines().count(), 1, "{out}");
    let id = info.token_id.to_string();
    assert!(out.starts_with(&format!("{id}  anna@exempel.se")), "{out}");

    // Revoke: it stops working at once.
    let (ok, out, err) = token(url, &["revoke", &id]);
    assert!(ok, "{err}");
    assert!(out.contains("återkallad"), "{out}");
    assert!(store.token(&secret, now).await.unwrap().is_none());
    assert!(store.token(&bo_secret, now).await.unwrap().is_some());
    let (_, out, _) = token(url, &["list", "--user", "anna@exempel.se"]);
    assert!(out.contains("ÅTERKALLAD"), "{out}");

    // Clear one-line refusals.
    for (args, needle) in [
        (vec!["revoke", "9999"], "ingen API-nyckel"),
        (vec!["create", "--user", "ingen@exempel.se"], "inget konto"),
        (vec!["list", "--user", "ingen@exempel.se"], "inget konto"),
        (
            vec!["create", "--user", "bo@exempel.se", "--expires-days", "0"],
            "0",
        ),
    ] {
        let (ok, _, err) = token(url, &args);
        assert!(!ok, "{args:?}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    let _ = bo;
}

fn time_now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

#[test]
fn token_commands_manage_api_tokens_on_sqlite() {
    on_sqlite("token", token_commands);
}

#[test]
fn token_commands_manage_api_tokens_on_postgres() {
    on_postgres(token_commands);
}

/// Starts `malkedja serve` with `args` on a free port; returns the child and its port.
fn start_serve(args: &[&str]) -> (std::process::Child, u16) {
    let mut child = malkedja()
        .args(["serve", "--port", "0"])
        .args(args)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let started = Instant::now();
    let port = loop {
        let mut line = String::new();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "server exited before listening"
        );
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            break rest.split('/').next().unwrap().parse::<u16>().unwrap();
        }
        assert!(started.elapsed() < Duration::from_secs(60));
    };
    // Keep draining standard error so the server never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
    (child, port)
}

fn stop(mut child: std::process::Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
}

#[test]
fn the_demo_lists_its_accounts_and_a_real_server_says_how_to_make_an_admin() {
    let (demo, port) = start_serve(&["--demo"]);
    let sign_in = http_get(port, "/logga-in");
    stop(demo);
    assert!(sign_in.starts_with("HTTP/1.1 200"), "{sign_in}");
    assert!(sign_in.contains("Demokonton"));
    for email in [
        "admin@demo.malkedja.se",
        "enhetschef@demo.malkedja.se",
        "lasare@demo.malkedja.se",
    ] {
        assert!(sign_in.contains(email), "{email}");
    }

    let dir = temp_dir("no-admin");
    let data_dir = dir.to_str().unwrap().to_string();
    let (real, port) = start_serve(&["--data-dir", &data_dir]);
    let start = http_get(port, "/");
    let sign_in = http_get(port, "/logga-in");
    stop(real);
    assert!(start.contains("Ingen administratör ännu"));
    assert!(start.contains("malkedja user add"));
    assert!(
        !sign_in.contains("Demokonton"),
        "no accounts outside demo mode"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_demo_is_never_loaded_into_a_real_organisation() {
    let dir = temp_dir("demo-refused");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("plan.txt");
    std::fs::write(&file, SNIPPET).unwrap();
    let url = sqlite_url(&dir);
    let out = malkedja()
        .args([
            "import",
            "--unit",
            "Trädgårdsenheten",
            "--year",
            "2031",
            "--database-url",
            &url,
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = malkedja()
        .args(["serve", "--demo", "--port", "0", "--database-url", &url])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("--demo läser bara in exempelstadsdelen i en tom databas"),
        "{stderr}"
    );
    let out = malkedja()
        .args([
            "serve",
            "--port",
            "0",
            "--public-url",
            "mal.stad.se",
            "--database-url",
            &url,
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("den publika adressen ska se ut som"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

fn structure(url: &str, args: &[&str]) -> (bool, String, String) {
    let out = malkedja()
        .arg("structure")
        .args(args)
        .args(["--database-url", url])
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Copies a year's goal structure from the command line: a dry run stores nothing, the
/// copy is made once, a second run says there is nothing to copy.
async fn structure_commands(store: &malkedja_store::Store, url: &str) {
    use malkedja_domain::{GoalLevel, NewGoal, NewNode, OrgKind};
    let mut w = store.begin_write("test").await.unwrap();
    let city = w
        .create_node(NewNode {
            parent_id: None,
            kind: OrgKind::City,
            name: "Staden".into(),
            position: 0,
        })
        .await
        .unwrap();
    let board = w
        .create_node(NewNode {
            parent_id: Some(city.id),
            kind: OrgKind::Board,
            name: "Nämnden".into(),
            position: 0,
        })
        .await
        .unwrap();
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
            city.id,
            None,
            Some("1"),
            "Inriktning",
        ))
        .await
        .unwrap();
    let area = w
        .create_goal(goal(
            GoalLevel::Area,
            city.id,
            Some(dir.id),
            Some("1.1"),
            "Område",
        ))
        .await
        .unwrap();
    w.create_goal(goal(
        GoalLevel::Board,
        board.id,
        Some(area.id),
        None,
        "Nämndmålet",
    ))
    .await
    .unwrap();
    w.commit().await.unwrap();

    let (ok, out, err) = structure(url, &["copy", "--from", "2025", "--dry-run"]);
    assert!(ok, "{err}");
    assert!(out.contains("Provkörning"), "{out}");
    assert!(out.contains("Nämnden (nämnd): 1 mål"), "{out}");
    assert!(
        store
            .goals_at_level(2026, GoalLevel::Board)
            .await
            .unwrap()
            .is_empty()
    );

    let (ok, out, err) = structure(url, &["copy", "--from", "2025"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("Målstrukturen för 2025 är kopierad till 2026"),
        "{out}"
    );
    assert!(out.contains("Klart: 3 mål"), "{out}");
    assert_eq!(
        store
            .goals_at_level(2026, GoalLevel::Board)
            .await
            .unwrap()
            .len(),
        1
    );
    let trail = store.audit_trail("goal_structure", "2026").await.unwrap();
    assert!(trail[0].actor.starts_with("kommandoraden"));

    let (ok, out, err) = structure(url, &["copy", "--from", "2025"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("Det finns inget att kopiera från 2025 till 2026"),
        "{out}"
    );
    assert!(out.contains("Hoppas över"), "{out}");
    assert_eq!(
        store
            .goals_at_level(2026, GoalLevel::Board)
            .await
            .unwrap()
            .len(),
        1
    );

    let (ok, _, err) = structure(url, &["copy", "--from", "tjugo"]);
    assert!(!ok);
    assert!(err.contains("tjugo"), "{err}");
}

#[test]
fn structure_copy_on_sqlite() {
    on_sqlite("structure", structure_commands);
}

#[test]
fn structure_copy_on_postgres() {
    on_postgres(structure_commands);
}
