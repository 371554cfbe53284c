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
