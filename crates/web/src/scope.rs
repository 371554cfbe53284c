//! What the administration pages share: the caller's *scope* for an action (the nodes of
//! the organisation on which the policy allows it to them, each asked on its own chain),
//! the nodes of it as a `<select>`, and the answer that no cache keeps.
//!
//! The administration of people (`admin.rs`, `Action::AdministerUsers`) and of the
//! organisation and the year (`org_admin.rs`, `Action::AdministerOrg`) both start here.

use crate::AppState;
use crate::auth::Caller;
use crate::error::AppError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use malkedja_domain::{Action, Denied, NodeId, OrgNode, OrgTree, build_tree, chains, swedish_cmp};
use std::collections::{HashMap, HashSet};

/// Every node of the organisation, and those on which the policy lets the caller do an
/// action.
pub(crate) struct Scope {
    pub(crate) nodes: Vec<OrgNode>,
    pub(crate) chains: HashMap<NodeId, Vec<OrgNode>>,
    pub(crate) inside: HashSet<NodeId>,
}

impl Scope {
    /// The caller's scope for `action`; 403 when it is empty (they may do it nowhere).
    pub(crate) async fn of(
        state: &AppState,
        caller: &Caller,
        action: Action,
    ) -> Result<Scope, AppError> {
        let nodes = state.store.org_nodes().await?;
        let chains = chains(&nodes);
        let inside: HashSet<NodeId> = chains
            .iter()
            .filter(|(_, chain)| caller.may(action, chain))
            .map(|(id, _)| *id)
            .collect();
        if inside.is_empty() {
            return Err(AppError::Denied(Denied::Forbidden));
        }
        Ok(Scope {
            nodes,
            chains,
            inside,
        })
    }

    pub(crate) fn covers(&self, node: NodeId) -> bool {
        self.inside.contains(&node)
    }

    /// Whether the scope is the whole organisation.
    pub(crate) fn everything(&self) -> bool {
        self.inside.len() == self.nodes.len()
    }

    /// The node's chain as the policy takes it (empty for a node not in the tree).
    pub(crate) fn chain(&self, node: NodeId) -> &[OrgNode] {
        self.chains.get(&node).map_or(&[], Vec::as_slice)
    }

    /// "Förskolan Solrosen (enhet)".
    pub(crate) fn place(&self, node: NodeId) -> String {
        match self.nodes.iter().find(|n| n.id == node) {
            Some(n) => format!("{} ({})", n.name, n.kind.label()),
            None => format!("nod {node}"),
        }
    }

    /// The top nodes of the scope (inside, with a parent outside), by name.
    pub(crate) fn tops(&self) -> Vec<String> {
        let mut tops: Vec<&OrgNode> = self
            .nodes
            .iter()
            .filter(|n| self.covers(n.id) && !n.parent_id.is_some_and(|p| self.covers(p)))
            .collect();
        tops.sort_by(|a, b| swedish_cmp(&a.name, &b.name));
        tops.into_iter().map(|n| n.name.clone()).collect()
    }

    /// The nodes of the scope, in the tree's order, indented by depth.
    pub(crate) fn options(&self) -> Vec<NodeOption> {
        self.options_where(|_| true)
    }

    /// The nodes of the scope that `keep` keeps, in the tree's order, indented by their
    /// depth in the scope; a closed node says so.
    pub(crate) fn options_where(&self, keep: impl Fn(&OrgNode) -> bool) -> Vec<NodeOption> {
        fn walk(
            tree: &[OrgTree],
            depth: usize,
            scope: &Scope,
            keep: &dyn Fn(&OrgNode) -> bool,
            out: &mut Vec<NodeOption>,
        ) {
            for t in tree {
                let inside = scope.covers(t.node.id);
                if inside && keep(&t.node) {
                    let closed = if t.node.is_closed() {
                        ", avvecklad"
                    } else {
                        ""
                    };
                    out.push(NodeOption {
                        id: t.node.id.0,
                        label: format!(
                            "{}{} ({}{closed})",
                            "\u{a0}\u{a0}\u{a0}".repeat(depth),
                            t.node.name,
                            t.node.kind.label()
                        ),
                    });
                }
                walk(&t.children, depth + usize::from(inside), scope, keep, out);
            }
        }
        let mut out = Vec::new();
        walk(&build_tree(&self.nodes), 0, self, &keep, &mut out);
        out
    }
}

/// A node in a `<select>`.
pub(crate) struct NodeOption {
    pub(crate) id: i64,
    pub(crate) label: String,
}

/// An administration page: never kept by a cache.
pub(crate) fn respond(status: StatusCode, body: String) -> Response {
    let mut res = (status, Html(body)).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}
