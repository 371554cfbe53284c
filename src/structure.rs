//! `malkedja structure copy`: "Kopiera målstrukturen till nästa år" from the command line,
//! for the whole organisation (the page `/admin/malstruktur` does it for what a person
//! administers).

use crate::DbArgs;
use clap::Subcommand;
use malkedja_store::{Store, StructureCopy};

#[derive(Subcommand)]
pub(crate) enum StructureCommand {
    /// Copy the council's, boards' and departments' goals of a year into the next, with
    /// their texts, indicators (council targets and the boards' and departments' targets)
    /// and activities (dates moved one year, 29 February becomes 28 February). The year
    /// copied from is not changed. An owner that already has goals in the next year is
    /// skipped and listed, so running it again copies nothing. Units' own goals are not
    /// copied: each unit starts its plan from last year's ("Utgå från förra årets plan").
    /// Recorded in the audit trail.
    Copy {
        /// The year to copy from; the goals go into the year after.
        #[arg(long, value_name = "YYYY", value_parser = clap::value_parser!(i32).range(1900..=2998))]
        from: i32,
        /// Show what would be copied, and copy nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

fn actor() -> String {
    match std::env::var("USER") {
        Ok(user) if !user.trim().is_empty() => format!("kommandoraden ({user})"),
        _ => "kommandoraden".to_string(),
    }
}

/// The lines that say what a copy does or did.
fn lines(c: &StructureCopy) -> Vec<String> {
    let mut out = Vec::new();
    for o in &c.copied {
        out.push(format!(
            "  {} ({}): {} mål, {} texter, {} indikatorer, {} årsmål, {} aktiviteter",
            o.name,
            o.kind.label(),
            o.goals,
            o.texts,
            o.indicators,
            o.targets,
            o.activities
        ));
    }
    if !c.skipped.is_empty() {
        out.push(format!("Hoppas över (har redan mål för {}):", c.to));
        for o in &c.skipped {
            out.push(format!("  {} ({} mål)", o.name, o.existing));
        }
    }
    if !c.orphans.is_empty() {
        out.push(format!(
            "Kan inte kopieras (målet de ligger under finns inte för {}):",
            c.to
        ));
        for g in &c.orphans {
            let number = g
                .number
                .as_deref()
                .map(|n| format!("{n} "))
                .unwrap_or_default();
            out.push(format!("  {} {number}{}", g.level.label(), g.title));
        }
    }
    out
}

pub(crate) async fn run(db: &DbArgs, command: StructureCommand) -> anyhow::Result<()> {
    let store = crate::open(&db.url()?).await?;
    let result = execute(&store, command).await;
    store.close().await;
    result
}

async fn execute(store: &Store, command: StructureCommand) -> anyhow::Result<()> {
    let StructureCommand::Copy { from, dry_run } = command;
    let to = from + 1;
    let c = if dry_run {
        store.structure_copy_preview(from, None).await?
    } else {
        let mut w = store.begin_write(&actor()).await?;
        let c = w.copy_structure(from, None).await?;
        w.commit().await?;
        c
    };
    if c.is_empty() {
        println!("Det finns inget att kopiera från {from} till {to}.");
        for line in lines(&c) {
            println!("{line}");
        }
        return Ok(());
    }
    let (goals, _, indicators, _, activities) = c.totals();
    if dry_run {
        println!("Provkörning: så här skulle målstrukturen för {from} kopieras till {to}:");
    } else {
        println!("Målstrukturen för {from} är kopierad till {to}:");
    }
    for line in lines(&c) {
        println!("{line}");
    }
    if dry_run {
        println!(
            "Inget sparades ({goals} mål, {indicators} indikatorer, {activities} aktiviteter skulle kopieras)."
        );
    } else {
        println!(
            "Klart: {goals} mål, {indicators} indikatorer och {activities} aktiviteter. {from} är oförändrat."
        );
    }
    Ok(())
}
