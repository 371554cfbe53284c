use crate::{DomainError, NodeId, Year};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
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
        if self.name.trim().is_empty() {
            return Err(DomainError::EmptyName);
        }
        self.kind.check_parent(parent_kind)
    }
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

/// The administration a node belongs to, given the node and its ancestors: its plans
/// follow that administration's template.
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
