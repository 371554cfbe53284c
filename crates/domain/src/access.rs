//! Who may do what: the roles a person holds, each on an organisation node and everything
//! under it, and the one function that decides ([`may`]).
//!
//! This is the only place roles are interpreted. Callers ask `may(who, action, target)`
//! and act on the answer; they never match on a [`Role`] themselves.

use serde::{Deserialize, Serialize};

use crate::ids::NodeId;
use crate::org::{OrgKind, OrgNode};
use crate::plan::PlanStatus;

/// A role, held on an organisation node and everything below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Users, the org tree, years, templates, council goals, and everything below.
    Admin,
    /// Goals, indicators, activities and texts owned by the board, administration or
    /// department nodes in scope.
    BoardEditor,
    /// Writes its units' plans and reports and submits them.
    UnitManager,
    /// Writes plans and reports but does not submit them (deputies, planners).
    UnitWriter,
    /// Reads everything in scope; approves or returns.
    Controller,
    /// Reads drafts in scope.
    Reader,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::BoardEditor,
        Role::UnitManager,
        Role::UnitWriter,
        Role::Controller,
        Role::Reader,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::BoardEditor => "board_editor",
            Role::UnitManager => "unit_manager",
            Role::UnitWriter => "unit_writer",
            Role::Controller => "controller",
            Role::Reader => "reader",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// In Swedish, as the interface names it.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administratör",
            Role::BoardEditor => "Redaktör för nämnd och förvaltning",
            Role::UnitManager => "Enhetschef",
            Role::UnitWriter => "Skribent",
            Role::Controller => "Controller",
            Role::Reader => "Läsare",
        }
    }
}

/// What a person asks to do, on one organisation node (the *target*).
///
/// The target is the node the thing belongs to: the unit whose plan or report it is, the
/// board, administration or department that owns a goal, the node an administrator works
/// on. Workflow rules (a submitted plan cannot be edited, only a draft can be submitted)
/// are not the policy's: the policy says who may, the workflow says when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Read what is public: the org tree, the unit pages, and approved (*fastställda*)
    /// plans and reports, as pages, API reads and exports (PDF, DOCX, XLSX, JSON) —
    /// public records. Anyone may, signed in or not. Any target.
    ReadPublished,
    /// Read a document that is not approved — a draft (*utkast*), submitted (*inskickad*)
    /// or returned (*återremitterad*) plan or report, as a page, an API read or an export —
    /// and what is not public about any document: its history and diffs (*Historik*,
    /// *Jämför*), its ready marks and plan check, the roll-up of units' unapproved
    /// reports, the start page's "Mitt arbete". Any target: the document's unit, or the
    /// board, administration or department whose roll-up it is.
    ReadDraft,
    /// Write a unit's own plan and reports: unit goals, their texts, indicators and
    /// activities, the choice of inherited goals and targets, plan sections, facts
    /// (the operations' counts included), ready marks, "Utgå från förra årets plan",
    /// follow-up (assessments, outcomes, activity statuses, analyses, economy) and the
    /// document's memo header. Target: the unit.
    WriteUnitText,
    /// Submit a unit's plan or report to the controller (*Utkast → Inskickad*). Target: the
    /// unit.
    Submit,
    /// Approve a submitted plan or report (*Inskickad → Fastställd*). Target: the unit.
    Approve,
    /// Return a submitted plan or report to its writers with a comment (*återremiss*,
    /// *Inskickad → Utkast*). Target: the unit.
    Return,
    /// Reopen an approved plan or report, with a reason (*Fastställd → Utkast*). Target:
    /// the unit.
    Reopen,
    /// Write what a board, administration or department owns: its goals with Beskrivning
    /// and Förväntat resultat, their indicators and targets, board activities, and the
    /// board's own assessment and analysis in the roll-up. Target: the board,
    /// administration or department that owns it.
    WriteBoardGoals,
    /// Set up the organisation and the year: the org tree (create, rename, move, close
    /// nodes), planning years, council direction and goals (target: the city),
    /// "Kopiera målstrukturen till nästa år", plan and report templates, deadlines. Any
    /// target: the node worked on (for a new node, its parent).
    AdministerOrg,
    /// Administer people: list, add, grant and revoke roles, disable. Target: the node the
    /// role is granted on (or the scope whose people are listed).
    AdministerUsers,
    /// Manage one's own API tokens (*API-nycklar*): any signed-in person, whatever their
    /// roles. The target is not looked at.
    ManageOwnTokens,
}

impl Action {
    pub const ALL: [Action; 11] = [
        Action::ReadPublished,
        Action::ReadDraft,
        Action::WriteUnitText,
        Action::Submit,
        Action::Approve,
        Action::Return,
        Action::Reopen,
        Action::WriteBoardGoals,
        Action::AdministerOrg,
        Action::AdministerUsers,
        Action::ManageOwnTokens,
    ];

    /// The action that reads a plan or report in this status: approved documents are
    /// public, every other status needs a role.
    pub fn read(status: PlanStatus) -> Action {
        match status {
            PlanStatus::Approved => Action::ReadPublished,
            PlanStatus::Draft | PlanStatus::Submitted | PlanStatus::Returned => Action::ReadDraft,
        }
    }

    /// The action that writes what a node of this kind owns (its goals, their texts,
    /// indicators and activities): a unit's plan text, a board's, administration's or
    /// department's goals, or the city's council goals, which are set up by an
    /// administrator. `None` for an operation, which owns no goals.
    pub fn write_owned_by(kind: OrgKind) -> Option<Action> {
        match kind {
            OrgKind::Unit => Some(Action::WriteUnitText),
            OrgKind::Board | OrgKind::Administration | OrgKind::Department => {
                Some(Action::WriteBoardGoals)
            }
            OrgKind::City => Some(Action::AdministerOrg),
            OrgKind::Operation => None,
        }
    }

    /// Whether a node of this kind can be the action's target.
    pub fn applies_to(self, kind: OrgKind) -> bool {
        match self {
            Action::WriteUnitText
            | Action::Submit
            | Action::Approve
            | Action::Return
            | Action::Reopen => kind == OrgKind::Unit,
            Action::WriteBoardGoals => matches!(
                kind,
                OrgKind::Board | OrgKind::Administration | OrgKind::Department
            ),
            Action::ReadPublished
            | Action::ReadDraft
            | Action::AdministerOrg
            | Action::AdministerUsers
            | Action::ManageOwnTokens => true,
        }
    }
}

impl Role {
    /// Whether this role, held on a node that covers the target, allows the action. This
    /// is the role × action table; [`may`] adds who is asking and where.
    pub fn allows(self, action: Action) -> bool {
        use Action as A;
        match self {
            Role::Admin => true,
            Role::BoardEditor => matches!(
                action,
                A::ReadPublished | A::ReadDraft | A::WriteBoardGoals | A::ManageOwnTokens
            ),
            Role::UnitManager => matches!(
                action,
                A::ReadPublished | A::ReadDraft | A::WriteUnitText | A::Submit | A::ManageOwnTokens
            ),
            Role::UnitWriter => matches!(
                action,
                A::ReadPublished | A::ReadDraft | A::WriteUnitText | A::ManageOwnTokens
            ),
            Role::Controller => matches!(
                action,
                A::ReadPublished | A::ReadDraft | A::Approve | A::Return | A::ManageOwnTokens
            ),
            Role::Reader => matches!(action, A::ReadPublished | A::ReadDraft | A::ManageOwnTokens),
        }
    }
}

/// A role held on an organisation node and everything below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub scope: NodeId,
}

impl Grant {
    /// Whether the grant's scope is the target or one of its ancestors. `target_chain` is
    /// the target and its ancestors, from the target up to the root (as the store's
    /// `chain` returns it).
    pub fn covers(&self, target_chain: &[OrgNode]) -> bool {
        target_chain.iter().any(|n| n.id == self.scope)
    }
}

/// Who is asking. A disabled account, an expired session or a revoked token is
/// [`Who::Anonymous`]: the web layer never authenticates them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who<'a> {
    /// Not signed in.
    Anonymous,
    /// A signed-in person (or a token acting for one) with the roles they hold now, which
    /// may be none.
    Person(&'a [Grant]),
}

/// Why [`may`] said no, so that the web layer answers right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    /// Not signed in, and the action needs a person: the sign-in page (HTML) or 401 (API).
    #[error("logga in för att fortsätta")]
    SignInRequired,
    /// Signed in, but no role held covers the target and allows the action: 403.
    #[error("du har inte behörighet till detta")]
    Forbidden,
    /// The action cannot be done on this node, whoever asks (writing unit text on a board,
    /// or an empty chain): the request is wrong, not the person — 404 or 422.
    #[error("åtgärden gäller inte den här noden")]
    NotApplicable,
}

/// The access policy: whether `who` may do `action` on the node whose chain is
/// `target_chain` (the target first, then its ancestors up to the root).
///
/// A grant covers the target when its scope is in the chain. The action must apply to the
/// target's kind ([`Action::applies_to`]); that is checked first, for everyone, since the
/// org tree is public. [`Action::ReadPublished`] is allowed to anyone,
/// [`Action::ManageOwnTokens`] to any signed-in person; every other action needs a grant
/// that covers the target and whose role allows it ([`Role::allows`]).
pub fn may(who: Who<'_>, action: Action, target_chain: &[OrgNode]) -> Result<(), Denied> {
    match action {
        Action::ReadPublished => return Ok(()),
        Action::ManageOwnTokens => {
            return match who {
                Who::Anonymous => Err(Denied::SignInRequired),
                Who::Person(_) => Ok(()),
            };
        }
        _ => {}
    }
    match target_chain.first() {
        Some(target) if action.applies_to(target.kind) => {}
        _ => return Err(Denied::NotApplicable),
    }
    let grants = match who {
        Who::Anonymous => return Err(Denied::SignInRequired),
        Who::Person(grants) => grants,
    };
    if grants
        .iter()
        .any(|g| g.role.allows(action) && g.covers(target_chain))
    {
        Ok(())
    } else {
        Err(Denied::Forbidden)
    }
}

/// Whether `who` may do `action` on some node at all: what decides whether to offer a way
/// to it (a link in the page header) before any target is chosen. True exactly when
/// [`may`] allows the action on at least one node of a kind it applies to inside one of
/// the person's grants: a role that allows it covers its scope.
pub fn may_somewhere(who: Who<'_>, action: Action) -> bool {
    match (action, who) {
        (Action::ReadPublished, _) => true,
        (_, Who::Anonymous) => false,
        (Action::ManageOwnTokens, Who::Person(_)) => true,
        (_, Who::Person(grants)) => grants.iter().any(|g| g.role.allows(action)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The policy at a glance. Columns in the order of `Action::ALL`:
    /// RP read published, RD read draft, WU write unit text, SU submit, AP approve,
    /// RE return, RO reopen, WB write board goals, AO administer org, AU administer users,
    /// OT manage own tokens.
    ///
    /// `S` allowed at the grant's scope node and anywhere below it, forbidden elsewhere;
    /// `*` allowed everywhere (outside the grant's scope too); `.` forbidden everywhere;
    /// `L` sign in first (anonymous).
    const MATRIX: &str = "
                        RP RD WU SU AP RE RO WB AO AU OT
        admin            *  S  S  S  S  S  S  S  S  S  *
        board_editor     *  S  .  .  .  .  .  S  .  .  *
        unit_manager     *  S  S  S  .  .  .  .  .  .  *
        unit_writer      *  S  S  .  .  .  .  .  .  .  *
        controller       *  S  .  .  S  S  .  .  .  .  *
        reader           *  S  .  .  .  .  .  .  .  .  *
        anonymous        *  L  L  L  L  L  L  L  L  L  L
    ";
    const COLUMNS: [&str; 11] = [
        "RP", "RD", "WU", "SU", "AP", "RE", "RO", "WB", "AO", "AU", "OT",
    ];

    // city 1 → board 2 → administration 3 → department 4 → unit 5 → operation 6;
    // administration 3 → department 14 → unit 15.
    fn tree() -> Vec<OrgNode> {
        let n = |id: i64, parent: Option<i64>, kind: OrgKind| OrgNode {
            id: NodeId(id),
            parent_id: parent.map(NodeId),
            kind,
            name: format!("{kind} {id}"),
            position: 0,
            version: 1,
            closed: None,
        };
        vec![
            n(1, None, OrgKind::City),
            n(2, Some(1), OrgKind::Board),
            n(3, Some(2), OrgKind::Administration),
            n(4, Some(3), OrgKind::Department),
            n(5, Some(4), OrgKind::Unit),
            n(6, Some(5), OrgKind::Operation),
            n(14, Some(3), OrgKind::Department),
            n(15, Some(14), OrgKind::Unit),
        ]
    }

    /// The node and its ancestors, from the node up, as the store returns them.
    fn chain(id: i64) -> Vec<OrgNode> {
        let nodes = tree();
        let mut out = Vec::new();
        let mut cur = Some(NodeId(id));
        while let Some(c) = cur {
            let node = nodes.iter().find(|n| n.id == c).unwrap().clone();
            cur = node.parent_id;
            out.push(node);
        }
        out
    }

    /// A typical target of each action.
    fn target_of(action: Action) -> i64 {
        match action {
            Action::WriteBoardGoals => 4,
            _ => 5,
        }
    }

    fn grant(role: Role, scope: i64) -> Grant {
        Grant {
            role,
            scope: NodeId(scope),
        }
    }

    #[test]
    fn the_whole_matrix() {
        let mut lines = MATRIX.lines().map(str::trim).filter(|l| !l.is_empty());
        let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
        assert_eq!(header, COLUMNS);
        assert_eq!(COLUMNS.len(), Action::ALL.len());
        let mut seen_roles = Vec::new();
        let mut seen_anonymous = false;
        for line in lines {
            let mut cells = line.split_whitespace();
            let who = cells.next().unwrap();
            let cells: Vec<&str> = cells.collect();
            assert_eq!(cells.len(), Action::ALL.len(), "row {who}");
            for (action, cell) in Action::ALL.into_iter().zip(cells) {
                let target = chain(target_of(action));
                if who == "anonymous" {
                    let expected = match cell {
                        "*" => Ok(()),
                        "L" => Err(Denied::SignInRequired),
                        other => panic!("anonymous: unknown cell {other}"),
                    };
                    assert_eq!(may(Who::Anonymous, action, &target), expected, "{action:?}");
                    continue;
                }
                let role = Role::from_code(who).unwrap_or_else(|| panic!("unknown row {who}"));
                let target_id = target.first().unwrap().id.0;
                // At the target itself, at an ancestor (the board), outside (a sibling
                // department).
                let at_scope = [grant(role, target_id)];
                let above = [grant(role, 2)];
                let outside = [grant(role, 14)];
                let (inside, beyond) = match cell {
                    "S" => (Ok(()), Err(Denied::Forbidden)),
                    "*" => (Ok(()), Ok(())),
                    "." => (Err(Denied::Forbidden), Err(Denied::Forbidden)),
                    other => panic!("{who}: unknown cell {other}"),
                };
                let ctx = format!("{who} × {action:?}");
                assert_eq!(
                    may(Who::Person(&at_scope), action, &target),
                    inside,
                    "{ctx} at scope"
                );
                assert_eq!(
                    may(Who::Person(&above), action, &target),
                    inside,
                    "{ctx} below scope"
                );
                assert_eq!(
                    may(Who::Person(&outside), action, &target),
                    beyond,
                    "{ctx} outside"
                );
                assert_eq!(role.allows(action), cell != ".", "{ctx}: Role::allows");
                seen_roles.push(role);
            }
            seen_anonymous |= who == "anonymous";
        }
        seen_roles.dedup();
        assert_eq!(seen_roles, Role::ALL, "every role has one row, in order");
        assert!(seen_anonymous);
    }

    #[test]
    fn targets_by_kind() {
        // Columns: city, board, administration, department, unit, operation.
        let table: [(Action, [bool; 6]); 11] = [
            (Action::ReadPublished, [true, true, true, true, true, true]),
            (Action::ReadDraft, [true, true, true, true, true, true]),
            (
                Action::WriteUnitText,
                [false, false, false, false, true, false],
            ),
            (Action::Submit, [false, false, false, false, true, false]),
            (Action::Approve, [false, false, false, false, true, false]),
            (Action::Return, [false, false, false, false, true, false]),
            (Action::Reopen, [false, false, false, false, true, false]),
            (
                Action::WriteBoardGoals,
                [false, true, true, true, false, false],
            ),
            (Action::AdministerOrg, [true, true, true, true, true, true]),
            (
                Action::AdministerUsers,
                [true, true, true, true, true, true],
            ),
            (
                Action::ManageOwnTokens,
                [true, true, true, true, true, true],
            ),
        ];
        for (action, row) in table {
            for (kind, expected) in OrgKind::ALL.into_iter().zip(row) {
                assert_eq!(action.applies_to(kind), expected, "{action:?} on {kind:?}");
            }
        }
        // A city admin may do everything, but not on the wrong kind of node; nor may
        // anyone else, and the answer does not depend on who asks.
        let admin = [grant(Role::Admin, 1)];
        for who in [Who::Anonymous, Who::Person(&admin), Who::Person(&[])] {
            assert_eq!(
                may(who, Action::WriteUnitText, &chain(4)),
                Err(Denied::NotApplicable)
            );
            assert_eq!(
                may(who, Action::Submit, &chain(6)),
                Err(Denied::NotApplicable)
            );
            assert_eq!(
                may(who, Action::WriteBoardGoals, &chain(5)),
                Err(Denied::NotApplicable)
            );
            assert_eq!(
                may(who, Action::WriteBoardGoals, &chain(1)),
                Err(Denied::NotApplicable)
            );
            assert_eq!(may(who, Action::ReadDraft, &[]), Err(Denied::NotApplicable));
        }
        assert_eq!(
            may(Who::Person(&admin), Action::WriteBoardGoals, &chain(2)),
            Ok(())
        );
        assert_eq!(
            may(Who::Person(&admin), Action::WriteUnitText, &chain(15)),
            Ok(())
        );
    }

    #[test]
    fn several_grants_on_different_nodes() {
        let grants = [grant(Role::UnitManager, 5), grant(Role::Reader, 15)];
        let me = Who::Person(&grants);
        assert_eq!(may(me, Action::WriteUnitText, &chain(5)), Ok(()));
        assert_eq!(may(me, Action::Submit, &chain(5)), Ok(()));
        assert_eq!(may(me, Action::ReadDraft, &chain(15)), Ok(()));
        assert_eq!(
            may(me, Action::WriteUnitText, &chain(15)),
            Err(Denied::Forbidden)
        );
        assert_eq!(may(me, Action::Submit, &chain(15)), Err(Denied::Forbidden));
        // Roles do not add up across nodes: a controller elsewhere cannot approve here.
        let grants = [grant(Role::UnitManager, 5), grant(Role::Controller, 14)];
        let me = Who::Person(&grants);
        assert_eq!(may(me, Action::Approve, &chain(15)), Ok(()));
        assert_eq!(may(me, Action::Approve, &chain(5)), Err(Denied::Forbidden));
        // A board editor on the board and a unit writer on one unit.
        let grants = [grant(Role::BoardEditor, 2), grant(Role::UnitWriter, 15)];
        let me = Who::Person(&grants);
        assert_eq!(may(me, Action::WriteBoardGoals, &chain(14)), Ok(()));
        assert_eq!(may(me, Action::WriteUnitText, &chain(15)), Ok(()));
        assert_eq!(
            may(me, Action::WriteUnitText, &chain(5)),
            Err(Denied::Forbidden)
        );
        assert_eq!(may(me, Action::Submit, &chain(15)), Err(Denied::Forbidden));
    }

    #[test]
    fn a_grant_covers_downwards_only() {
        // A unit's manager reads its drafts, not its department's roll-up.
        let unit = [grant(Role::UnitManager, 5)];
        assert_eq!(
            may(Who::Person(&unit), Action::ReadDraft, &chain(5)),
            Ok(())
        );
        assert_eq!(
            may(Who::Person(&unit), Action::ReadDraft, &chain(4)),
            Err(Denied::Forbidden)
        );
        // A department's board editor writes the department's goals, not the
        // administration's or the board's.
        let dept = [grant(Role::BoardEditor, 4)];
        assert_eq!(
            may(Who::Person(&dept), Action::WriteBoardGoals, &chain(4)),
            Ok(())
        );
        assert_eq!(
            may(Who::Person(&dept), Action::WriteBoardGoals, &chain(3)),
            Err(Denied::Forbidden)
        );
        // Council goals belong to the city: only a city admin sets them.
        let board_admin = [grant(Role::Admin, 2)];
        let city_admin = [grant(Role::Admin, 1)];
        assert_eq!(
            may(Who::Person(&board_admin), Action::AdministerOrg, &chain(1)),
            Err(Denied::Forbidden)
        );
        assert_eq!(
            may(Who::Person(&city_admin), Action::AdministerOrg, &chain(1)),
            Ok(())
        );
        assert_eq!(
            may(
                Who::Person(&board_admin),
                Action::AdministerUsers,
                &chain(15)
            ),
            Ok(())
        );
        // An operation belongs to its unit: the unit's reader reads it.
        let reader = [grant(Role::Reader, 5)];
        assert_eq!(
            may(Who::Person(&reader), Action::ReadDraft, &chain(6)),
            Ok(())
        );
    }

    #[test]
    fn a_person_without_roles_is_signed_in_but_forbidden() {
        // Every role revoked: still a person, so 403 rather than the sign-in page, and
        // still the owner of their tokens.
        let nobody = Who::Person(&[]);
        for action in Action::ALL {
            let expected = match action {
                Action::ReadPublished | Action::ManageOwnTokens => Ok(()),
                _ => Err(Denied::Forbidden),
            };
            assert_eq!(
                may(nobody, action, &chain(target_of(action))),
                expected,
                "{action:?}"
            );
        }
    }

    #[test]
    fn approved_documents_are_public() {
        assert_eq!(Action::read(PlanStatus::Approved), Action::ReadPublished);
        let outside = [grant(Role::Reader, 14)];
        let inside = [grant(Role::Reader, 4)];
        for status in [
            PlanStatus::Draft,
            PlanStatus::Submitted,
            PlanStatus::Approved,
            PlanStatus::Returned,
        ] {
            let public = status == PlanStatus::Approved;
            let read = Action::read(status);
            let unit = chain(5);
            let (anonymous, stranger) = if public {
                (Ok(()), Ok(()))
            } else {
                (Err(Denied::SignInRequired), Err(Denied::Forbidden))
            };
            assert_eq!(may(Who::Anonymous, read, &unit), anonymous, "{status:?}");
            assert_eq!(
                may(Who::Person(&outside), read, &unit),
                stranger,
                "{status:?}"
            );
            assert_eq!(may(Who::Person(&inside), read, &unit), Ok(()), "{status:?}");
        }
    }

    #[test]
    fn may_somewhere_agrees_with_may_on_some_node() {
        let nodes = tree();
        for action in Action::ALL {
            for role in Role::ALL {
                // Held on the board, whose subtree has a target of every action's kind.
                let grants = [grant(role, 2)];
                let somewhere = nodes
                    .iter()
                    .any(|n| may(Who::Person(&grants), action, &chain(n.id.0)).is_ok());
                assert_eq!(
                    may_somewhere(Who::Person(&grants), action),
                    somewhere,
                    "{role:?} × {action:?}"
                );
            }
            let anonymous = nodes
                .iter()
                .any(|n| may(Who::Anonymous, action, &chain(n.id.0)).is_ok());
            assert_eq!(
                may_somewhere(Who::Anonymous, action),
                anonymous,
                "{action:?}"
            );
        }
        // Only an administrator administers people; several grants, one of them enough.
        assert!(!may_somewhere(Who::Person(&[]), Action::AdministerUsers));
        let mixed = [grant(Role::Reader, 1), grant(Role::Admin, 15)];
        assert!(may_somewhere(Who::Person(&mixed), Action::AdministerUsers));
        let readers = [grant(Role::Reader, 1), grant(Role::Controller, 5)];
        assert!(!may_somewhere(
            Who::Person(&readers),
            Action::AdministerUsers
        ));
        assert!(may_somewhere(Who::Person(&[]), Action::ManageOwnTokens));
    }

    #[test]
    fn denials_say_what_to_answer() {
        assert_eq!(
            Denied::SignInRequired.to_string(),
            "logga in för att fortsätta"
        );
        assert_eq!(
            Denied::Forbidden.to_string(),
            "du har inte behörighet till detta"
        );
    }

    #[test]
    fn codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
            assert_eq!(
                serde_json::to_value(r).unwrap(),
                serde_json::json!(r.code())
            );
        }
        assert_eq!(Role::from_code("superuser"), None);
    }
}
