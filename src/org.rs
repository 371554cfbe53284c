//! `malkedja org`: look at the organisation tree and correct it (move and rename nodes).

use crate::DbArgs;
use clap::Subcommand;
use malkedja_domain::{NodeId, OrgNode, OrgTree, build_tree};
use malkedja_store::{Store, Writer};

#[derive(Subcommand)]
pub(crate) enum OrgCommand {
    /// Print the organisation as a tree, each node with its id: the NODE and PARENT the
    /// other org commands (and `import --under`) take.
    #[command(alias = "tree")]
    List,
    /// Move a node, with everything below it, under another parent. Refused when the
    /// kinds do not nest (a unit goes under a department or an administration, a
    /// department under an administration …), when the parent is the node itself or lies
    /// below it, and when goals, selections or targets below the node build on goals of
    /// nodes that would no longer be above it. Recorded in the audit trail.
    Move {
        /// The id of the node to move (see `malkedja org list`).
        #[arg(value_name = "NODE")]
        node: i64,
        /// The id of its new parent.
        #[arg(long, value_name = "PARENT")]
        under: i64,
    },
    /// Rename a node. Recorded in the audit trail.
    Rename {
        /// The id of the node to rename (see `malkedja org list`).
        #[arg(value_name = "NODE")]
        node: i64,
        /// Its new name.
        #[arg(value_name = "NAME")]
        name: String,
    },
}

/// Who the audit trail names for a change made from the command line.
fn actor() -> String {
    match std::env::var("USER") {
        Ok(user) if !user.trim().is_empty() => format!("kommandoraden ({user})"),
        _ => "kommandoraden".to_string(),
    }
}

fn phrase(node: &OrgNode) -> String {
    format!(
        "{} «{}» (id {})",
        node.kind.definite_label(),
        node.name,
        node.id
    )
}

/// The tree as lines: the id right-aligned, then the name indented by depth, then the kind
/// (and "avvecklad" with the date for a closed node).
fn tree_lines(forest: &[OrgTree]) -> Vec<String> {
    fn walk(t: &OrgTree, depth: usize, width: usize, out: &mut Vec<String>) {
        let closed = t
            .node
            .closed_text()
            .map(|c| format!(", {}", c.to_lowercase()))
            .unwrap_or_default();
        out.push(format!(
            "{:>width$}  {}{} ({}{closed})",
            t.node.id.0,
            "  ".repeat(depth),
            t.node.name,
            t.node.kind.label()
        ));
        for c in &t.children {
            walk(c, depth + 1, width, out);
        }
    }
    let width = forest
        .iter()
        .flat_map(|t| t.walk())
        .map(|n| n.id.0.to_string().len())
        .max()
        .unwrap_or(1);
    let mut out = Vec::new();
    for t in forest {
        walk(t, 0, width, &mut out);
    }
    out
}

/// The node with this id, or an error that says where to find ids.
async fn require(w: &mut Writer, id: i64) -> anyhow::Result<OrgNode> {
    w.node(NodeId(id)).await?.ok_or_else(|| {
        anyhow::anyhow!(
            "det finns ingen nod med id {id} i organisationen (`malkedja org list` visar dem)"
        )
    })
}

pub(crate) async fn run(db: &DbArgs, command: OrgCommand) -> anyhow::Result<()> {
    let store = crate::open(&db.url()?).await?;
    let result = execute(&store, command).await;
    store.close().await;
    result
}

async fn execute(store: &Store, command: OrgCommand) -> anyhow::Result<()> {
    match command {
        OrgCommand::List => {
            let nodes = store.org_nodes().await?;
            if nodes.is_empty() {
                println!("Organisationen är tom: importera en plan eller starta med --demo.");
            }
            for line in tree_lines(&build_tree(&nodes)) {
                println!("{line}");
            }
        }
        OrgCommand::Move { node, under } => {
            let mut w = store.begin_write(&actor()).await?;
            let before = require(&mut w, node).await?;
            let parent = require(&mut w, under).await?;
            if before.parent_id == Some(parent.id) {
                println!(
                    "{} ligger redan under {}.",
                    phrase(&before),
                    phrase(&parent)
                );
                return Ok(());
            }
            w.move_node(before.id, parent.id, before.version).await?;
            w.commit().await?;
            println!("{} ligger nu under {}.", phrase(&before), phrase(&parent));
        }
        OrgCommand::Rename { node, name } => {
            let mut w = store.begin_write(&actor()).await?;
            let before = require(&mut w, node).await?;
            let after = w.rename_node(before.id, &name, before.version).await?;
            w.commit().await?;
            if after.version == before.version {
                println!("{} heter redan så.", phrase(&after));
            } else {
                println!("{} heter nu «{}».", phrase(&before), after.name);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use malkedja_domain::OrgKind;

    #[test]
    fn the_tree_shows_ids_and_depth() {
        let node = |id: i64, parent: Option<i64>, kind: OrgKind, name: &str| OrgNode {
            id: NodeId(id),
            parent_id: parent.map(NodeId),
            kind,
            name: name.into(),
            position: 0,
            version: 1,
            closed: None,
        };
        let mut closed = node(12, Some(2), OrgKind::Administration, "Förvaltningen");
        closed.closed = malkedja_domain::parse_date("2025-04-01");
        let nodes = vec![
            node(1, None, OrgKind::City, "Staden"),
            node(2, Some(1), OrgKind::Board, "Nämnden"),
            closed,
        ];
        assert_eq!(
            tree_lines(&build_tree(&nodes)),
            [
                " 1  Staden (stad)",
                " 2    Nämnden (nämnd)",
                "12      Förvaltningen (förvaltning, avvecklad 2025-04-01)",
            ]
        );
    }
}
