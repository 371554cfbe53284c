use crate::{DomainError, NodeId, Year};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;

/// The kinds of node in a city's organisation, from the top down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    City,
    Board,
    Administration,
    Department,
    Unit,
    Operation,
}

impl OrgKind {
    pub const ALL: [OrgKind; 6] = [
        OrgKind::City,
        OrgKind::Board,
        OrgKind::Administration,
        OrgKind::Department,
        OrgKind::Unit,
        OrgKind::Operation,
    ];

    /// The code used in the database and the API.
    pub fn code(self) -> &'static str {
        match self {
            OrgKind::City => "city",
            OrgKind::Board => "board",
            OrgKind::Administration => "administration",
            OrgKind::Department => "department",
            OrgKind::Unit => "unit",
            OrgKind::Operation => "operation",
        }
    }

    pub fn from_code(code: &str) -> Option<OrgKind> {
        OrgKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The Swedish noun, lower case ("enhet").
    pub fn label(self) -> &'static str {
        match self {
            OrgKind::City => "stad",
            OrgKind::Board => "nämnd",
            OrgKind::Administration => "förvaltning",
            OrgKind::Department => "avdelning",
            OrgKind::Unit => "enhet",
            OrgKind::Operation => "verksamhet",
        }
    }

    /// The Swedish noun in definite form, lower case ("enheten").
    pub fn definite_label(self) -> &'static str {
        match self {
            OrgKind::City => "staden",
            OrgKind::Board => "nämnden",
            OrgKind::Administration => "förvaltningen",
            OrgKind::Department => "avdelningen",
            OrgKind::Unit => "enheten",
            OrgKind::Operation => "verksamheten",
        }
    }

    /// Whether a node of this kind may hang directly under a node of kind `parent`.
    /// A unit may sit under a department or directly under the administration.
    pub fn may_hang_under(self, parent: OrgKind) -> bool {
        matches!(
            (self, parent),
            (OrgKind::Board, OrgKind::City)
                | (OrgKind::Administration, OrgKind::Board)
                | (OrgKind::Department, OrgKind::Administration)
                | (OrgKind::Unit, OrgKind::Department | OrgKind::Administration)
                | (OrgKind::Operation, OrgKind::Unit)
        )
    }

    /// Checks the place of a new node in the tree.
    pub fn check_parent(self, parent: Option<OrgKind>) -> Result<(), DomainError> {
        match (self, parent) {
            (OrgKind::City, None) => Ok(()),
            (OrgKind::City, Some(p)) => Err(DomainError::NodeParent {
                child: self,
                parent: p,
            }),
            (_, None) => Err(DomainError::NodeNeedsParent(self)),
            (child, Some(p)) if child.may_hang_under(p) => Ok(()),
            (child, Some(p)) => Err(DomainError::NodeParent { child, parent: p }),
        }
    }
}

impl fmt::Display for OrgKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What a node can take from a node above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InheritedItem {
    Goal,
    Indicator,
    Activity,
}

impl InheritedItem {
    /// The Swedish noun in definite form ("målet").
    pub fn label(self) -> &'static str {
        match self {
            InheritedItem::Goal => "målet",
            InheritedItem::Indicator => "indikatorn",
            InheritedItem::Activity => "aktiviteten",
        }
    }
}

/// A goal, indicator or activity owned outside a subtree of the organisation that something
/// inside it rests on: a goal under it, an indicator or activity of its own on it, a
/// selection of it, a target for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inherited {
    pub item: InheritedItem,
    pub id: i64,
    pub name: String,
    /// The node that owns it.
    pub owner: NodeId,
}

/// "enheten «Solrosen»".
fn node_phrase(node: &OrgNode) -> String {
    format!("{} «{}»", node.kind.definite_label(), node.name)
}

/// "a, b och c", at most `max` of them and then "och N till".
pub(crate) fn list_sv(items: &[String], max: usize) -> String {
    let shown: Vec<&str> = items.iter().take(max).map(String::as_str).collect();
    let rest = items.len().saturating_sub(max);
    match (shown.as_slice(), rest) {
        ([], _) => String::new(),
        ([one], 0) => (*one).to_string(),
        (many, 0) => format!(
            "{} och {}",
            many[..many.len() - 1].join(", "),
            many[many.len() - 1]
        ),
        (many, rest) => format!("{} och {rest} till", many.join(", ")),
    }
}

/// Checks moving `node` under a new parent. `current_chain` is the node and its ancestors
/// as they are (from the node up to the root), `new_parent_chain` the new parent and its
/// ancestors, and `inherited` what the node and the nodes below it take from nodes outside
/// it. The kinds must nest ([`OrgKind::check_parent`]); a node never goes under itself or
/// under a node below it (the tree would become a cycle); and everything it inherits must
/// still come from above it after the move, or its plans would silently lose goals.
pub fn check_move(
    node: &OrgNode,
    current_chain: &[OrgNode],
    new_parent_chain: &[OrgNode],
    inherited: &[Inherited],
) -> Result<(), DomainError> {
    let Some(parent) = new_parent_chain.first() else {
        return node.kind.check_parent(None);
    };
    if parent.id == node.id {
        return Err(DomainError::NodeUnderItself {
            node: node_phrase(node),
        });
    }
    if new_parent_chain.iter().any(|n| n.id == node.id) {
        return Err(DomainError::NodeUnderDescendant {
            node: node_phrase(node),
            parent: node_phrase(parent),
        });
    }
    node.kind.check_parent(Some(parent.kind))?;
    check_open_parent(node.closed.is_some(), node_phrase(node), parent)?;
    let mut lost: Vec<String> = Vec::new();
    for i in inherited {
        if new_parent_chain.iter().any(|n| n.id == i.owner) {
            continue;
        }
        let owner = current_chain
            .iter()
            .find(|n| n.id == i.owner)
            .map(node_phrase)
            .unwrap_or_else(|| format!("nod {}", i.owner));
        let phrase = format!("{} «{}» från {owner}", i.item.label(), i.name);
        if !lost.contains(&phrase) {
            lost.push(phrase);
        }
    }
    if lost.is_empty() {
        Ok(())
    } else {
        Err(DomainError::MoveLosesInherited {
            node: node_phrase(node),
            parent: node_phrase(parent),
            items: lost,
        })
    }
}

/// An open node never sits under a closed one: a node is created or moved only under an
/// open parent, unless it is closed itself.
fn check_open_parent(closed: bool, node: String, parent: &OrgNode) -> Result<(), DomainError> {
    if parent.closed.is_some() && !closed {
        return Err(DomainError::UnderClosed {
            node,
            parent: node_phrase(parent),
        });
    }
    Ok(())
}

/// A node of the organisation tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgNode {
    pub id: NodeId,
    pub parent_id: Option<NodeId>,
    pub kind: OrgKind,
    pub name: String,
    /// Order among siblings.
    pub position: i64,
    pub version: i64,
    /// The day the node was closed (*avvecklad*); `None` while it is open. A closed node
    /// keeps its history and documents but takes no new plans.
    #[serde(default, with = "crate::calendar::iso_date::option")]
    pub closed: Option<time::Date>,
}

impl OrgNode {
    /// Whether the node is closed (*avvecklad*).
    pub fn is_closed(&self) -> bool {
        self.closed.is_some()
    }

    /// Whether a new plan may be made for the node: not when it is closed.
    pub fn takes_new_plans(&self) -> bool {
        !self.is_closed()
    }

    /// "Avvecklad 2025-04-01", or `None` while the node is open: how pages mark it.
    pub fn closed_text(&self) -> Option<String> {
        self.closed
            .map(|d| format!("Avvecklad {}", crate::calendar::date_text(d)))
    }
}

/// The most characters a node's name may have.
pub const NODE_NAME_MAX_CHARS: usize = 200;

/// A node's name as it is stored: trimmed, not empty, at most [`NODE_NAME_MAX_CHARS`].
pub fn check_node_name(name: &str) -> Result<String, DomainError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(DomainError::EmptyName);
    }
    if name.chars().count() > NODE_NAME_MAX_CHARS {
        return Err(DomainError::NameTooLong(NODE_NAME_MAX_CHARS));
    }
    Ok(name.to_string())
}

/// What it takes to create a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNode {
    pub parent_id: Option<NodeId>,
    pub kind: OrgKind,
    pub name: String,
    pub position: i64,
}

impl NewNode {
    pub fn validate(&self, parent_kind: Option<OrgKind>) -> Result<(), DomainError> {
        check_node_name(&self.name)?;
        self.kind.check_parent(parent_kind)
    }

    /// [`NewNode::validate`] against the parent itself: the kinds nest, and a parent that
    /// is closed takes no new nodes.
    pub fn validate_under(&self, parent: Option<&OrgNode>) -> Result<(), DomainError> {
        self.validate(parent.map(|p| p.kind))?;
        match parent {
            Some(p) => check_open_parent(
                false,
                format!("en ny {} «{}»", self.kind.label(), self.name.trim()),
                p,
            ),
            None => Ok(()),
        }
    }
}

impl OrgKind {
    /// The kinds a node of this kind can have directly under it, from the top down.
    pub fn child_kinds(self) -> Vec<OrgKind> {
        OrgKind::ALL
            .into_iter()
            .filter(|k| k.may_hang_under(self))
            .collect()
    }
}

/// The nodes `node` could be moved under, in `nodes`' order: of a kind it may hang under,
/// not the node itself or a node below it, and open unless the node is closed too. What
/// the node's subtree inherits is not known here: [`check_move`] still decides.
pub fn allowed_parents<'a>(node: &OrgNode, nodes: &'a [OrgNode]) -> Vec<&'a OrgNode> {
    nodes
        .iter()
        .filter(|p| {
            node.kind.may_hang_under(p.kind)
                && !is_within(nodes, p.id, node.id)
                && (p.closed.is_none() || node.closed.is_some())
        })
        .collect()
}

/// The nodes of `nodes` that lie below `id` (not `id` itself), depth first in no
/// particular order among siblings.
pub fn descendants(nodes: &[OrgNode], id: NodeId) -> Vec<&OrgNode> {
    nodes
        .iter()
        .filter(|n| n.id != id && is_within(nodes, n.id, id))
        .collect()
}

/// The nodes closing `node` closes: the node and every open node below it (nothing open
/// may stay under a closed node), given the whole organisation `nodes`. The top of the
/// organisation cannot be closed, nor a node that is closed already.
pub fn closing(node: &OrgNode, nodes: &[OrgNode]) -> Result<Vec<NodeId>, DomainError> {
    if node.parent_id.is_none() {
        return Err(DomainError::CannotClose(node_phrase(node)));
    }
    if let Some(on) = node.closed {
        return Err(DomainError::AlreadyClosed {
            node: node_phrase(node),
            on: crate::calendar::date_text(on),
        });
    }
    let mut out = vec![node.id];
    out.extend(
        descendants(nodes, node.id)
            .into_iter()
            .filter(|n| n.closed.is_none())
            .map(|n| n.id),
    );
    Ok(out)
}

/// The nodes reopening `node` reopens: the node and the nodes below it that were closed
/// on the same day (closed with it), given the node's chain (the node first, then its
/// ancestors) and the whole organisation `nodes`. Its parent must be open.
pub fn reopening(chain: &[OrgNode], nodes: &[OrgNode]) -> Result<Vec<NodeId>, DomainError> {
    let Some(node) = chain.first() else {
        return Ok(Vec::new());
    };
    let Some(on) = node.closed else {
        return Err(DomainError::NotClosed(node_phrase(node)));
    };
    if let Some(parent) = chain.get(1).filter(|p| p.closed.is_some()) {
        return Err(DomainError::ReopenUnderClosed {
            node: node_phrase(node),
            parent: node_phrase(parent),
        });
    }
    let mut out = vec![node.id];
    out.extend(
        descendants(nodes, node.id)
            .into_iter()
            .filter(|n| n.closed == Some(on))
            .map(|n| n.id),
    );
    Ok(out)
}

/// A node with its children, in display order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgTree {
    pub node: OrgNode,
    pub children: Vec<OrgTree>,
}

impl OrgTree {
    /// All nodes of the tree, depth first.
    pub fn walk(&self) -> Vec<&OrgNode> {
        let mut out = vec![&self.node];
        for c in &self.children {
            out.extend(c.walk());
        }
        out
    }
}

/// Every node's chain: the node and its ancestors up to the root, as the store's `chain`
/// reads it for one node and the access policy takes it, for code that holds the whole
/// tree and asks about many nodes (in time proportional to the nodes times the depth). A
/// parent missing from `nodes` ends a chain; a cycle (which the store never holds) cannot
/// make it loop.
pub fn chains(nodes: &[OrgNode]) -> HashMap<NodeId, Vec<OrgNode>> {
    let by_id: HashMap<NodeId, &OrgNode> = nodes.iter().map(|n| (n.id, n)).collect();
    nodes
        .iter()
        .map(|start| {
            let mut chain: Vec<OrgNode> = Vec::new();
            let mut next = Some(start.id);
            while let Some(n) = next.and_then(|id| by_id.get(&id)) {
                if chain.len() > nodes.len() {
                    break;
                }
                chain.push((*n).clone());
                next = n.parent_id;
            }
            (start.id, chain)
        })
        .collect()
}

/// Whether `id` is `root` or lies below it in the organisation `nodes`.
pub fn is_within(nodes: &[OrgNode], id: NodeId, root: NodeId) -> bool {
    let mut cur = Some(id);
    for _ in 0..=nodes.len() {
        match cur {
            Some(c) if c == root => return true,
            Some(c) => cur = nodes.iter().find(|n| n.id == c).and_then(|n| n.parent_id),
            None => return false,
        }
    }
    false
}

/// The administration a node belongs to, given the node and its ancestors: its plans
/// follow that administration's template.
pub fn administration_of(chain: &[OrgNode]) -> Option<NodeId> {
    chain
        .iter()
        .find(|n| n.kind == OrgKind::Administration)
        .map(|n| n.id)
}

/// Builds the forest of trees from a flat list of nodes. Siblings are ordered by position,
/// then by name. Nodes whose parent is missing become roots, so nothing is ever hidden.
pub fn build_tree(nodes: &[OrgNode]) -> Vec<OrgTree> {
    let ids: std::collections::HashSet<NodeId> = nodes.iter().map(|n| n.id).collect();
    fn children_of(
        parent: Option<NodeId>,
        nodes: &[OrgNode],
        ids: &std::collections::HashSet<NodeId>,
    ) -> Vec<OrgTree> {
        let mut kids: Vec<&OrgNode> = nodes
            .iter()
            .filter(|n| match parent {
                Some(p) => n.parent_id == Some(p),
                None => n.parent_id.is_none_or(|p| !ids.contains(&p)),
            })
            .collect();
        kids.sort_by(|a, b| {
            a.position
                .cmp(&b.position)
                .then_with(|| crate::swedish_cmp(&a.name, &b.name))
        });
        kids.into_iter()
            .map(|n| OrgTree {
                node: n.clone(),
                children: children_of(Some(n.id), nodes, ids),
            })
            .collect()
    }
    children_of(None, nodes, &ids)
}

/// A manager of a unit or operation, as the plan names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manager {
    pub title: String,
    pub name: String,
}

/// Staff of one role, by gender.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffCount {
    pub role: String,
    pub women: i64,
    pub men: i64,
}

/// A staff meeting (APT) where the plan is presented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMeeting {
    pub date: time::Date,
    /// Which operation or group meets.
    pub label: String,
}

/// The facts a plan states about a unit or an operation for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitFacts {
    pub node_id: NodeId,
    pub year: Year,
    pub managers: Vec<Manager>,
    pub staff: Vec<StaffCount>,
    /// Number of clients or participants.
    pub clients: Option<i64>,
    /// What the clients are called here ("brukare", "deltagare", "besökare").
    pub clients_label: String,
    /// Budget for the year in kronor.
    pub budget_kr: Option<Decimal>,
    pub staff_meetings: Vec<StaffMeeting>,
    pub version: i64,
}

impl UnitFacts {
    pub fn empty(node_id: NodeId, year: Year) -> UnitFacts {
        UnitFacts {
            node_id,
            year,
            managers: Vec::new(),
            staff: Vec::new(),
            clients: None,
            clients_label: "brukare".into(),
            budget_kr: None,
            staff_meetings: Vec::new(),
            version: 0,
        }
    }

    /// Staff computed from the rows, never typed: (women, men, total).
    pub fn staff_totals(&self) -> (i64, i64, i64) {
        let women: i64 = self.staff.iter().map(|s| s.women).sum();
        let men: i64 = self.staff.iter().map(|s| s.men).sum();
        (women, men, women + men)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: i64, parent: Option<i64>, kind: OrgKind, name: &str, position: i64) -> OrgNode {
        OrgNode {
            id: NodeId(id),
            parent_id: parent.map(NodeId),
            kind,
            name: name.into(),
            position,
            version: 1,
            closed: None,
        }
    }

    #[test]
    fn kinds_nest_from_city_to_operation() {
        assert!(OrgKind::City.check_parent(None).is_ok());
        assert!(OrgKind::Board.check_parent(Some(OrgKind::City)).is_ok());
        assert!(
            OrgKind::Unit
                .check_parent(Some(OrgKind::Department))
                .is_ok()
        );
        assert!(
            OrgKind::Unit
                .check_parent(Some(OrgKind::Administration))
                .is_ok()
        );
        assert!(OrgKind::Operation.check_parent(Some(OrgKind::Unit)).is_ok());
        assert_eq!(
            OrgKind::Unit.check_parent(Some(OrgKind::City)),
            Err(DomainError::NodeParent {
                child: OrgKind::Unit,
                parent: OrgKind::City
            })
        );
        assert_eq!(
            OrgKind::Unit.check_parent(None),
            Err(DomainError::NodeNeedsParent(OrgKind::Unit))
        );
        assert!(OrgKind::City.check_parent(Some(OrgKind::City)).is_err());
    }

    /// Staden > Nämnden > Förvaltningen > {Norr > Solrosen > Dagverksamheten, Söder}.
    fn district() -> Vec<OrgNode> {
        vec![
            node(1, None, OrgKind::City, "Staden", 0),
            node(2, Some(1), OrgKind::Board, "Nämnden", 0),
            node(3, Some(2), OrgKind::Administration, "Förvaltningen", 0),
            node(4, Some(3), OrgKind::Department, "Norr", 0),
            node(5, Some(4), OrgKind::Unit, "Solrosen", 0),
            node(6, Some(5), OrgKind::Operation, "Dagverksamheten", 0),
            node(7, Some(3), OrgKind::Department, "Söder", 0),
        ]
    }

    /// The node with `id` and its ancestors, up to the root.
    fn chain(nodes: &[OrgNode], id: i64) -> Vec<OrgNode> {
        let mut out = Vec::new();
        let mut next = Some(NodeId(id));
        while let Some(n) = next.and_then(|id| nodes.iter().find(|n| n.id == id)) {
            out.push(n.clone());
            next = n.parent_id;
        }
        out
    }

    fn check(
        nodes: &[OrgNode],
        id: i64,
        parent: i64,
        inherited: &[Inherited],
    ) -> Result<(), DomainError> {
        let n = chain(nodes, id);
        check_move(&n[0], &n, &chain(nodes, parent), inherited)
    }

    #[test]
    fn chains_go_up_to_the_root() {
        let d = district();
        let all = chains(&d);
        assert_eq!(all.len(), d.len());
        let ids = |id: i64| -> Vec<i64> { all[&NodeId(id)].iter().map(|n| n.id.0).collect() };
        assert_eq!(ids(6), [6, 5, 4, 3, 2, 1]);
        assert_eq!(ids(7), [7, 3, 2, 1]);
        assert_eq!(ids(1), [1]);
        for n in &d {
            assert_eq!(all[&n.id], chain(&d, n.id.0), "as the store reads it");
        }
        // A missing parent ends the chain; a cycle does not loop.
        let orphan = vec![node(8, Some(42), OrgKind::Unit, "Ensam", 0)];
        assert_eq!(chains(&orphan)[&NodeId(8)].len(), 1);
        let cycle = vec![
            node(1, Some(2), OrgKind::Department, "A", 0),
            node(2, Some(1), OrgKind::Department, "B", 0),
        ];
        assert!(chains(&cycle)[&NodeId(1)].len() <= 3);
    }

    #[test]
    fn a_move_keeps_the_kinds_nested() {
        let d = district();
        assert_eq!(check(&d, 5, 7, &[]), Ok(()), "a unit to another department");
        assert_eq!(check(&d, 5, 3, &[]), Ok(()), "a unit to the administration");
        assert_eq!(
            check(&d, 5, 2, &[]),
            Err(DomainError::NodeParent {
                child: OrgKind::Unit,
                parent: OrgKind::Board
            })
        );
        assert_eq!(
            check_move(&d[0], &chain(&d, 1), &[], &[]),
            Ok(()),
            "the city stays at the top"
        );
    }

    #[test]
    fn a_node_never_moves_under_itself_or_below_itself() {
        let d = district();
        let err = check(&d, 4, 4, &[]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "avdelningen «Norr» kan inte flyttas under sig själv"
        );
        let err = check(&d, 4, 5, &[]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "avdelningen «Norr» kan inte flyttas under enheten «Solrosen», som ligger under den"
        );
        // The cycle is named first, even where the kinds alone would refuse the move.
        let err = check(&d, 3, 6, &[]).unwrap_err();
        assert!(
            matches!(err, DomainError::NodeUnderDescendant { .. }),
            "{err}"
        );
    }

    #[test]
    fn a_move_keeps_what_the_node_inherits_above_it() {
        let d = district();
        let from_board = Inherited {
            item: InheritedItem::Goal,
            id: 10,
            name: "Trygg vård".into(),
            owner: NodeId(2),
        };
        let from_norr = Inherited {
            item: InheritedItem::Indicator,
            id: 11,
            name: "Andel nöjda".into(),
            owner: NodeId(4),
        };
        assert_eq!(
            check(&d, 5, 7, std::slice::from_ref(&from_board)),
            Ok(()),
            "the board is above both departments"
        );
        let err = check(&d, 5, 7, &[from_board, from_norr.clone(), from_norr]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "enheten «Solrosen» kan inte flyttas under avdelningen «Söder»: den bygger på indikatorn «Andel nöjda» från avdelningen «Norr», som då inte längre skulle ligga ovanför den"
        );
    }

    fn closed(mut n: OrgNode, on: time::Date) -> OrgNode {
        n.closed = Some(on);
        n
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(check_node_name("  Solrosen "), Ok("Solrosen".to_string()));
        assert_eq!(check_node_name(" \t"), Err(DomainError::EmptyName));
        let long = "å".repeat(NODE_NAME_MAX_CHARS + 1);
        assert_eq!(
            check_node_name(&long).unwrap_err().to_string(),
            "namnet får vara högst 200 tecken"
        );
        assert!(check_node_name(&long[2..]).is_ok());
    }

    #[test]
    fn each_kind_has_the_kinds_below_it() {
        assert_eq!(OrgKind::City.child_kinds(), [OrgKind::Board]);
        assert_eq!(
            OrgKind::Administration.child_kinds(),
            [OrgKind::Department, OrgKind::Unit]
        );
        assert_eq!(OrgKind::Unit.child_kinds(), [OrgKind::Operation]);
        assert_eq!(OrgKind::Operation.child_kinds(), []);
    }

    #[test]
    fn a_unit_is_offered_the_parents_it_may_move_under() {
        let d = district();
        let ids = |n: &OrgNode, nodes: &[OrgNode]| -> Vec<i64> {
            allowed_parents(n, nodes).iter().map(|p| p.id.0).collect()
        };
        // Solrosen (unit 5): the administration and both departments.
        assert_eq!(ids(&d[4], &d), [3, 4, 7]);
        // Norr (department 4): only the administration; never itself or what is below it.
        assert_eq!(ids(&d[3], &d), [3]);
        // The administration: the board; the city nowhere.
        assert_eq!(ids(&d[2], &d), [2]);
        assert_eq!(ids(&d[0], &d), Vec::<i64>::new());
        // A closed department is not offered to an open unit, but to a closed one.
        let mut c = d.clone();
        c[6] = closed(c[6].clone(), time::macros::date!(2025 - 04 - 01));
        assert_eq!(ids(&c[4], &c), [3, 4]);
        let shut = closed(c[4].clone(), time::macros::date!(2025 - 04 - 01));
        assert_eq!(ids(&shut, &c), [3, 4, 7]);
    }

    #[test]
    fn nothing_open_moves_or_is_created_under_a_closed_node() {
        let mut d = district();
        d[6] = closed(d[6].clone(), time::macros::date!(2025 - 04 - 01));
        let err = check(&d, 5, 7, &[]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "enheten «Solrosen» kan inte ligga under avdelningen «Söder», som är avvecklad"
        );
        d[4] = closed(d[4].clone(), time::macros::date!(2025 - 04 - 01));
        assert_eq!(check(&d, 5, 7, &[]), Ok(()), "a closed unit may");
        let new = NewNode {
            parent_id: Some(NodeId(7)),
            kind: OrgKind::Unit,
            name: " Vitsippan ".into(),
            position: 0,
        };
        assert_eq!(
            new.validate_under(Some(&d[6])).unwrap_err().to_string(),
            "en ny enhet «Vitsippan» kan inte ligga under avdelningen «Söder», som är avvecklad"
        );
        assert_eq!(new.validate_under(Some(&d[2])), Ok(()));
        assert!(
            new.validate_under(Some(&d[5])).is_err(),
            "not under an operation"
        );
    }

    #[test]
    fn closing_takes_what_is_open_below_and_reopening_what_closed_with_it() {
        let april = time::macros::date!(2025 - 04 - 01);
        let march = time::macros::date!(2025 - 03 - 01);
        let mut d = district();
        // Dagverksamheten (6) closed earlier, on its own.
        d[5] = closed(d[5].clone(), march);
        assert_eq!(closing(&d[3], &d), Ok(vec![NodeId(4), NodeId(5)]));
        assert_eq!(
            closing(&d[0], &d).unwrap_err().to_string(),
            "staden «Staden» kan inte avvecklas: den är organisationens topp"
        );
        assert_eq!(
            closing(&d[5], &d).unwrap_err().to_string(),
            "verksamheten «Dagverksamheten» är redan avvecklad sedan 2025-03-01"
        );
        // Norr and Solrosen closed together in April.
        d[3] = closed(d[3].clone(), april);
        d[4] = closed(d[4].clone(), april);
        assert_eq!(
            reopening(&chain(&d, 4), &d),
            Ok(vec![NodeId(4), NodeId(5)]),
            "not Dagverksamheten, closed before"
        );
        assert_eq!(
            reopening(&chain(&d, 5), &d).unwrap_err().to_string(),
            "enheten «Solrosen» ligger under avdelningen «Norr», som är avvecklad: återöppna den först"
        );
        assert_eq!(
            reopening(&chain(&d, 7), &d).unwrap_err().to_string(),
            "avdelningen «Söder» är inte avvecklad"
        );
        assert_eq!(d[4].closed_text().as_deref(), Some("Avvecklad 2025-04-01"));
        assert!(!d[4].takes_new_plans());
        assert!(d[6].takes_new_plans());
        assert_eq!(d[6].closed_text(), None);
        let json = serde_json::to_value(&d[4]).unwrap();
        assert_eq!(json["closed"], "2025-04-01");
        let back: OrgNode = serde_json::from_value(json).unwrap();
        assert_eq!(back, d[4]);
    }

    #[test]
    fn lists_read_as_swedish() {
        let items: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        assert_eq!(list_sv(&items[..1], 5), "a");
        assert_eq!(list_sv(&items, 5), "a, b och c");
        assert_eq!(list_sv(&items, 2), "a, b och 1 till");
    }

    #[test]
    fn codes_round_trip() {
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::from_code(k.code()), Some(k));
        }
        assert_eq!(OrgKind::from_code("kommun"), None);
    }

    #[test]
    fn tree_orders_siblings_and_keeps_orphans() {
        let nodes = vec![
            node(1, None, OrgKind::City, "Staden", 0),
            node(3, Some(1), OrgKind::Board, "Bnämnd", 2),
            node(2, Some(1), OrgKind::Board, "Anämnd", 1),
            node(9, Some(99), OrgKind::Unit, "Föräldralös", 5),
        ];
        let forest = build_tree(&nodes);
        assert_eq!(forest.len(), 2);
        let names: Vec<_> = forest[0]
            .children
            .iter()
            .map(|c| c.node.name.as_str())
            .collect();
        assert_eq!(names, ["Anämnd", "Bnämnd"]);
        assert_eq!(forest[0].walk().len(), 3);
    }

    #[test]
    fn the_administration_is_found_above() {
        let chain = vec![
            node(5, Some(4), OrgKind::Unit, "Enheten", 0),
            node(4, Some(3), OrgKind::Department, "Avdelningen", 0),
            node(3, Some(2), OrgKind::Administration, "Förvaltningen", 0),
            node(2, Some(1), OrgKind::Board, "Nämnden", 0),
        ];
        assert_eq!(administration_of(&chain), Some(NodeId(3)));
        assert_eq!(administration_of(&chain[3..]), None);
    }

    #[test]
    fn staff_totals_are_computed() {
        let mut f = UnitFacts::empty(NodeId(1), 2025);
        f.staff = vec![
            StaffCount {
                role: "Boendestödjare".into(),
                women: 18,
                men: 5,
            },
            StaffCount {
                role: "Chefer".into(),
                women: 2,
                men: 1,
            },
        ];
        assert_eq!(f.staff_totals(), (20, 6, 26));
    }
}
