//! `malkedja`: the command line. Runs the web server, migrates the database, loads the demo.

mod archive;
mod export;
mod import;
mod org;
mod progress;
mod structure;
mod synthetic;
mod token;
mod user;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use malkedja_store::{DatabaseUrl, Store};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

#[derive(Parser)]
#[command(
    name = "malkedja",
    version,
    about = "Målkedja: goal-based planning and follow-up for Swedish municipal units.",
    long_about = "Målkedja: goal-based planning and follow-up for Swedish municipal units.\n\n\
        Every command that touches data reads the same --database-url option or \
        MALKEDJA_DATABASE_URL variable, so you can work on a database while the server runs."
)]
struct Cli {
    #[command(flatten)]
    db: DbArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
pub(crate) struct DbArgs {
    /// The database: sqlite://PATH for an SQLite file, or postgres://USER@HOST/NAME.
    /// Without it, an SQLite file in the data directory is used (created on first start).
    #[arg(long, env = "MALKEDJA_DATABASE_URL", global = true, value_name = "URL")]
    database_url: Option<String>,
    /// Where the default SQLite database is kept. Default: $XDG_DATA_HOME/malkedja or
    /// ~/.local/share/malkedja.
    #[arg(long, env = "MALKEDJA_DATA_DIR", global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
}

/// Who runs this server: shown in the accessibility statement (/tillganglighet). What is
/// not given is shown there as a marked placeholder for the operator to fill in.
#[derive(Args)]
struct ContactArgs {
    /// The organisation that provides the service, e.g. "Sjövikens stadsdelsförvaltning".
    #[arg(long, env = "MALKEDJA_ORG_NAME", value_name = "NAME")]
    org_name: Option<String>,
    /// Where people report accessibility problems or ask for content in another format.
    #[arg(long, env = "MALKEDJA_CONTACT_EMAIL", value_name = "EMAIL")]
    contact_email: Option<String>,
    /// The same by telephone, written as people should read it, e.g. "08-508 00 000".
    #[arg(long, env = "MALKEDJA_CONTACT_PHONE", value_name = "PHONE")]
    contact_phone: Option<String>,
}

/// How people reach the server and how long they stay signed in.
#[derive(Args)]
struct SessionArgs {
    /// The address people use to reach Målkedja, e.g. https://mal.stad.se (behind a
    /// reverse proxy that terminates TLS). With https, the sign-in cookie is sent only over
    /// https and answers tell browsers to use https only (HSTS); forms are accepted only
    /// from this address.
    #[arg(long, env = "MALKEDJA_PUBLIC_URL", value_name = "URL")]
    public_url: Option<String>,
    /// Minutes without activity after which a person must sign in again.
    #[arg(long, env = "MALKEDJA_SESSION_IDLE_MINUTES", default_value_t = 8 * 60, value_name = "MINUTES",
        value_parser = clap::value_parser!(u64).range(1..=60 * 24 * 30))]
    session_idle_minutes: u64,
    /// Hours after signing in after which a person must sign in again, however active.
    #[arg(long, env = "MALKEDJA_SESSION_MAX_HOURS", default_value_t = 7 * 24, value_name = "HOURS",
        value_parser = clap::value_parser!(u64).range(1..=24 * 90))]
    session_max_hours: u64,
}

impl ContactArgs {
    fn settings(self, session: SessionArgs) -> anyhow::Result<malkedja_web::Settings> {
        let mut s =
            malkedja_web::Settings::new(self.org_name, self.contact_email, self.contact_phone);
        s.public_origin = session
            .public_url
            .as_deref()
            .map(malkedja_web::public_origin)
            .transpose()?;
        s.session_idle = Duration::from_secs(session.session_idle_minutes * 60);
        s.session_absolute = Duration::from_secs(session.session_max_hours * 3600);
        Ok(s)
    }
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server: the pages for people and the JSON API. Stops cleanly on Ctrl-C
    /// or SIGTERM, letting requests in flight finish.
    Serve {
        /// The address to listen on. Use 0.0.0.0 to accept connections from other machines.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// The port to listen on.
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Try Målkedja with a made-up district: starts on a fresh temporary database
        /// (removed when the server stops) filled with example units, goals and plans.
        /// With --database-url, the example is loaded into that database instead.
        #[arg(long)]
        demo: bool,
        #[command(flatten)]
        contact: ContactArgs,
        #[command(flatten)]
        session: SessionArgs,
    },
    /// Fill a database with a synthetic district of any size, for benchmarks and trying
    /// Målkedja at scale: a city, a board, an administration, departments and N units,
    /// the council's and the board's goals, indicators and activities, approved plans and
    /// T1, T2 and annual reports for Y years ending last year, and this year's first
    /// tertial reports under way. A database that already has an organisation is refused
    /// unless --allow-existing is given. Recorded in the audit trail as "syntetisk".
    Demo(synthetic::DemoArgs),
    /// The archive copies of approved plans and reports (PDF/A, JSON, HTML, each with its
    /// SHA-256), made once at approval and never changed: check them, or export them with
    /// a manifest for the city's e-archive.
    Archive {
        #[command(subcommand)]
        command: archive::ArchiveCommand,
    },
    /// Create the database's tables, or bring them up to date, then exit. `serve` does
    /// this by itself at start; use this to prepare a database in advance.
    Migrate,
    /// Show the organisation tree with its ids, and correct it: move a node under another
    /// parent or rename it (for a unit an import placed or named wrongly).
    Org {
        #[command(subcommand)]
        command: org::OrgCommand,
    },
    /// The goal structure of a year (the council's, boards' and departments' goals): copy
    /// it into the next year.
    Structure {
        #[command(subcommand)]
        command: structure::StructureCommand,
    },
    /// The people who sign in: add accounts, list them, grant and revoke roles on
    /// organisation nodes, disable an account, set a new password. Every change is recorded
    /// in the audit trail (never a password or its hash).
    User {
        #[command(subcommand)]
        command: user::UserCommand,
    },
    /// API tokens for scripts and integrations (`Authorization: Bearer …`): create one
    /// for a person (printed once), list them, revoke one. A token acts with its person's
    /// roles; creation and revocation are in the audit trail (never the token).
    Token {
        #[command(subcommand)]
        command: token::TokenCommand,
    },
    /// Write a unit's plan or report to a file: PDF or Word (the whole document as the city
    /// prints it, with its memo header), Excel or CSV (every indicator with its targets and,
    /// in a report, its outcomes) or JSON (what the API answers). Exits non-zero, with the
    /// reason, when the unit has no such document.
    Export(export::ExportArgs),
    /// Import plans and reports from the old system's text exports. Each file's kind
    /// (plan, tertial report 1 or 2, annual report), year and unit are read from its text.
    /// Missing units and the council's and board's goals of the year are created; existing
    /// ones are reused. All files are stored together or not at all, and importing the
    /// same file again changes nothing.
    Import {
        /// The text files to import.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Store under this unit (its id, or its name) instead of the one the text names.
        #[arg(long, value_name = "ID|NAME")]
        unit: Option<String>,
        /// The year, when the text does not say or says it wrongly.
        #[arg(long, value_name = "YYYY")]
        year: Option<i32>,
        /// Where a unit that does not exist yet is created: the id of an administration or
        /// department. Needed only when there are several administrations.
        #[arg(long, value_name = "ID")]
        under: Option<i64>,
        /// Read and check the files, show what would be stored, and store nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the result as JSON on standard output (with --dry-run: the parsed
        /// documents, as described in docs/import.md).
        #[arg(long)]
        json: bool,
    },
}

fn default_data_dir() -> PathBuf {
    if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(x).join("malkedja");
    }
    if let Some(home) = std::env::var_os("HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(home).join(".local/share/malkedja");
    }
    PathBuf::from("malkedja-data")
}

impl DbArgs {
    /// The database this command works on.
    pub(crate) fn url(&self) -> anyhow::Result<DatabaseUrl> {
        match &self.database_url {
            Some(url) => Ok(DatabaseUrl::parse(url)?),
            None => {
                let dir = self.data_dir.clone().unwrap_or_else(default_data_dir);
                Ok(DatabaseUrl::sqlite_file(&dir.join("malkedja.db")))
            }
        }
    }
}

/// A temporary folder for the demo database, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> anyhow::Result<TempDir> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir =
            std::env::temp_dir().join(format!("malkedja-demo-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("kunde inte skapa {}", dir.display()))?;
        Ok(TempDir(dir))
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

pub(crate) async fn open(url: &DatabaseUrl) -> anyhow::Result<Store> {
    tracing::info!(database = %url, "opening database");
    Ok(Store::open(url).await?)
}

async fn serve(
    db: &DbArgs,
    bind: &str,
    port: u16,
    demo: bool,
    mut settings: malkedja_web::Settings,
) -> anyhow::Result<()> {
    let addr: SocketAddr = format!("{bind}:{port}")
        .parse()
        .or_else(|_| format!("[{bind}]:{port}").parse())
        .with_context(|| {
            format!("\"{bind}\" är ingen adress att lyssna på (ange t.ex. 127.0.0.1 eller 0.0.0.0)")
        })?;
    let mut _temp = None;
    let url = if demo && db.database_url.is_none() {
        let dir = TempDir::new()?;
        let url = DatabaseUrl::sqlite_file(&dir.path().join("malkedja.db"));
        _temp = Some(dir);
        url
    } else {
        db.url()?
    };
    // Approvals freeze the document (PDF/A, JSON, page) in the same transaction; so does
    // the demo for what it approves.
    let store = open(&url).await?.with_freezer(malkedja_web::freezer());
    if settings.incomplete() {
        eprintln!(
            "Tillgänglighetsredogörelsen visar platshållare: ange --org-name, --contact-email och --contact-phone."
        );
    }
    if demo {
        // The demo's accounts have published passwords: never into a real organisation.
        if db.database_url.is_some()
            && !store.org_nodes().await?.is_empty()
            && malkedja_store::demo::demo_accounts(&store)
                .await?
                .is_empty()
        {
            anyhow::bail!(
                "--demo läser bara in exempelstadsdelen i en tom databas (eller en som redan har den):                  databasen har redan en organisation, och demons konton har lösenord som står på inloggningssidan"
            );
        }
        eprintln!("Läser in exempelstadsdelen …");
        let bar = std::sync::Mutex::new(progress::Progress::open_ended());
        let step = |line: &str| {
            if let Ok(mut b) = bar.lock() {
                b.step(line);
            }
        };
        let loaded = malkedja_store::demo::load(&store, &step).await;
        if let Ok(b) = bar.lock() {
            b.finish();
        }
        match loaded? {
            Some(summary) => eprintln!(
                "Exempelstadsdelen är inläst: {} enheter, {} mål, {} indikatorer, {} aktiviteter, {} uppföljningsrapporter.",
                summary.units.len(),
                summary.goals,
                summary.indicators,
                summary.activities,
                summary.reports
            ),
            None => eprintln!("Exempelstadsdelen fanns redan i databasen."),
        }
        settings.demo_logins = malkedja_store::demo::demo_accounts(&store)
            .await?
            .into_iter()
            .map(|a| malkedja_web::DemoLogin {
                email: a.email.to_string(),
                password: a.password.to_string(),
                name: a.display_name.to_string(),
                role: a.role.label().to_string(),
                scope: a.scope_name,
            })
            .collect();
        eprintln!(
            "Demokontona (ett per roll) och deras lösenord står på inloggningssidan, /logga-in."
        );
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("kunde inte lyssna på {addr}"))?;
    let local = listener.local_addr()?;
    eprintln!(
        "Målkedja körs på http://{local}/ – öppna adressen i en webbläsare. Avsluta med Ctrl-C."
    );
    let app = malkedja_web::router_with(settings, store.clone());
    let purge = tokio::spawn(purge_sessions(store.clone()));
    // The client's address counts failed sign-ins per address.
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("servern avbröts")?;
    purge.abort();
    store.close().await;
    eprintln!("Målkedja har stängts.");
    Ok(())
}

/// How often expired sessions and failed sign-ins that no longer count are deleted.
const PURGE_EVERY: Duration = Duration::from_secs(15 * 60);

/// Deletes expired sessions now and then. Several servers on one database may all do it:
/// each deletion is one statement, and deleting what another just deleted is no error.
async fn purge_sessions(store: Store) {
    let mut every = tokio::time::interval(PURGE_EVERY);
    loop {
        every.tick().await;
        let purged = async {
            let mut w = store.begin_write("malkedja").await?;
            let n = w
                .purge_expired_sessions(time::OffsetDateTime::now_utc())
                .await?;
            w.commit().await?;
            Ok::<u64, malkedja_store::StoreError>(n)
        }
        .await;
        match purged {
            Ok(n) => tracing::debug!(sessions = n, "purged expired sessions"),
            Err(e) => tracing::warn!(error = %e, "could not purge expired sessions"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve {
            bind,
            port,
            demo,
            contact,
            session,
        } => serve(&cli.db, &bind, port, demo, contact.settings(session)?).await,
        Command::Import {
            files,
            unit,
            year,
            under,
            dry_run,
            json,
        } => import::run(&cli.db, &files, unit, year, under, dry_run, json).await,
        Command::Org { command } => org::run(&cli.db, command).await,
        Command::User { command } => user::run(&cli.db, command).await,
        Command::Structure { command } => structure::run(&cli.db, command).await,
        Command::Token { command } => token::run(&cli.db, command).await,
        Command::Archive { command } => archive::run(&cli.db, command).await,
        Command::Export(args) => export::run(&cli.db, args).await,
        Command::Demo(args) => synthetic::run(&cli.db, args).await,
        Command::Migrate => {
            let url = cli.db.url()?;
            open(&url).await?.close().await;
            eprintln!("Databasen {url} är uppdaterad.");
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("malkedja: kunde inte starta: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let chain: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            eprintln!("malkedja: {}", chain.join(": "));
            ExitCode::FAILURE
        }
    }
}
