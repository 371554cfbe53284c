//! A plan's workflow: which status may follow which, and what each step needs.
//!
//! ```text
//!   Utkast ──Submit──▶ Inskickad ──Approve──▶ Fastställd
//!     ▲                 │     ▲                   │
//!     │              Return   │ Submit             │
//!     │                 ▼     │                   │
//!     │             Återremitterad                 │
//!     └──────────────────Reopen───────────────────┘
//! ```
//!
//! This module says *when* (a draft can be submitted, only a submitted plan can be approved
//! or returned); who may is the access policy's ([`crate::may`]), asked with
//! [`Transition::action`]. Roles are not looked at here.

use serde::{Deserialize, Serialize};

use crate::access::Action;
use crate::plan::PlanStatus;
use crate::report::ReportKind;

/// The longest comment a transition takes, in characters (after trimming). A return's
/// comment or a reopening's reason is a message to the writers, not a document.
pub const COMMENT_MAX_CHARS: usize = 2000;

/// One step of a plan's workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    /// The unit sends its plan to the controller: Utkast or Återremitterad → Inskickad.
    Submit,
    /// The controller approves (*fastställer*) a submitted plan: Inskickad → Fastställd.
    Approve,
    /// The controller returns a submitted plan to its writers with a comment (*återremiss*):
    /// Inskickad → Återremitterad.
    Return,
    /// An administrator reopens an approved plan, with a reason: Fastställd → Utkast.
    Reopen,
}

impl Transition {
    pub const ALL: [Transition; 4] = [
        Transition::Submit,
        Transition::Approve,
        Transition::Return,
        Transition::Reopen,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Transition::Submit => "submit",
            Transition::Approve => "approve",
            Transition::Return => "return",
            Transition::Reopen => "reopen",
        }
    }

    pub fn from_code(code: &str) -> Option<Transition> {
        Transition::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The statuses the transition starts from.
    pub fn from_statuses(self) -> &'static [PlanStatus] {
        match self {
            Transition::Submit => &[PlanStatus::Draft, PlanStatus::Returned],
            Transition::Approve | Transition::Return => &[PlanStatus::Submitted],
            Transition::Reopen => &[PlanStatus::Approved],
        }
    }

    /// The status the transition leads to.
    pub fn to(self) -> PlanStatus {
        match self {
            Transition::Submit => PlanStatus::Submitted,
            Transition::Approve => PlanStatus::Approved,
            Transition::Return => PlanStatus::Returned,
            Transition::Reopen => PlanStatus::Draft,
        }
    }

    /// The transition from one status to another, if there is one (whatever the comment).
    pub fn between(from: PlanStatus, to: PlanStatus) -> Option<Transition> {
        Transition::ALL
            .into_iter()
            .find(|t| t.to() == to && t.from_statuses().contains(&from))
    }

    /// What the access policy is asked before the transition is done.
    pub fn action(self) -> Action {
        match self {
            Transition::Submit => Action::Submit,
            Transition::Approve => Action::Approve,
            Transition::Return => Action::Return,
            Transition::Reopen => Action::Reopen,
        }
    }

    /// Whether the transition needs a comment: a return says what to change, a reopening
    /// why.
    pub fn needs_comment(self) -> bool {
        matches!(self, Transition::Return | Transition::Reopen)
    }

    /// In Swedish, as the plan's history shows it.
    pub fn label(self) -> &'static str {
        match self {
            Transition::Submit => "Skickad in",
            Transition::Approve => "Fastställd",
            Transition::Return => "Återremitterad",
            Transition::Reopen => "Öppnad igen",
        }
    }
}

/// The document a workflow step is taken on, as the step's messages name it: plans and
/// reports share the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WorkflowDoc {
    Plan,
    Report(ReportKind),
}

impl WorkflowDoc {
    /// At the start of a sentence: "Planen", "Tertialrapport 1", "Verksamhetsberättelsen".
    pub fn subject(self) -> &'static str {
        match self {
            WorkflowDoc::Plan => "Planen",
            WorkflowDoc::Report(ReportKind::Tertial1) => "Tertialrapport 1",
            WorkflowDoc::Report(ReportKind::Tertial2) => "Tertialrapport 2",
            WorkflowDoc::Report(ReportKind::AnnualReport) => "Verksamhetsberättelsen",
        }
    }

    /// After "en" or "en inskickad": "plan", "tertialrapport", "verksamhetsberättelse".
    pub fn noun(self) -> &'static str {
        match self {
            WorkflowDoc::Plan => "plan",
            WorkflowDoc::Report(ReportKind::Tertial1 | ReportKind::Tertial2) => "tertialrapport",
            WorkflowDoc::Report(ReportKind::AnnualReport) => "verksamhetsberättelse",
        }
    }
}

/// Why a transition was refused. The messages are Swedish: the person who asked sees them,
/// and they name the document ([`WorkflowDoc`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    /// The document already has the status asked for.
    #[error("{}", already(*.0, *.1))]
    Already(PlanStatus, WorkflowDoc),
    /// No transition leads from the document's status to the one asked for.
    #[error("{}", impossible(*from, *to, *doc))]
    Impossible {
        from: PlanStatus,
        to: PlanStatus,
        doc: WorkflowDoc,
    },
    /// A return or a reopening without a comment.
    #[error("{}", comment_required(*.0, *.1))]
    CommentRequired(Transition, WorkflowDoc),
    /// A comment longer than [`COMMENT_MAX_CHARS`].
    #[error("Kommentaren får vara högst {max} tecken lång (den är {chars} tecken)")]
    CommentTooLong { max: usize, chars: usize },
}

fn already(status: PlanStatus, doc: WorkflowDoc) -> String {
    let is = match status {
        PlanStatus::Draft => "ett utkast",
        PlanStatus::Submitted => "inskickad",
        PlanStatus::Approved => "fastställd",
        PlanStatus::Returned => "återremitterad",
    };
    format!("{} är redan {is}", doc.subject())
}

fn impossible(from: PlanStatus, to: PlanStatus, doc: WorkflowDoc) -> String {
    use PlanStatus as S;
    let (it, noun) = (doc.subject(), doc.noun());
    match (from, to) {
        (S::Approved, S::Submitted) => format!(
            "{it} är fastställd och kan inte skickas in. En administratör kan öppna den igen."
        ),
        (S::Approved, S::Returned) => format!(
            "{it} är fastställd och kan inte återremitteras. En administratör kan öppna den igen."
        ),
        (S::Draft | S::Returned, S::Approved) => {
            format!("{it} måste skickas in innan den kan fastställas")
        }
        (S::Draft, S::Returned) => format!("Bara en inskickad {noun} kan återremitteras"),
        (S::Submitted, S::Draft) => format!(
            "En inskickad {noun} går tillbaka till enheten genom en återremiss, med en kommentar"
        ),
        (S::Returned, S::Draft) => format!(
            "{it} är återremitterad och kan redan ändras; skicka in den igen när den är klar"
        ),
        _ => format!("{it} kan inte gå över till den statusen"),
    }
}

fn comment_required(t: Transition, doc: WorkflowDoc) -> String {
    match t {
        Transition::Return => "En återremiss behöver en kommentar".into(),
        Transition::Reopen => format!(
            "Att öppna en fastställd {} igen behöver en motivering",
            doc.noun()
        ),
        Transition::Submit | Transition::Approve => "Övergången behöver en kommentar".into(),
    }
}

/// Which transition a request to move a plan from `from` to `to` is, with `comment`: the
/// plan's [`workflow_step`].
pub fn plan_transition(
    from: PlanStatus,
    to: PlanStatus,
    comment: &str,
) -> Result<Transition, WorkflowError> {
    workflow_step(WorkflowDoc::Plan, from, to, comment)
}

/// Which transition a request to move `doc` (a plan or a report: they share the workflow)
/// from `from` to `to` is, with `comment` (trimmed; empty is none). Refuses a status the
/// document already has, a step the workflow does not have, a return or reopening without
/// a comment, and a comment longer than [`COMMENT_MAX_CHARS`] characters, with a message
/// that names the document. Who may take the step is not decided here: ask the policy
/// with [`Transition::action`].
pub fn workflow_step(
    doc: WorkflowDoc,
    from: PlanStatus,
    to: PlanStatus,
    comment: &str,
) -> Result<Transition, WorkflowError> {
    if from == to {
        return Err(WorkflowError::Already(from, doc));
    }
    let t = Transition::between(from, to).ok_or(WorkflowError::Impossible { from, to, doc })?;
    let comment = comment.trim();
    if t.needs_comment() && comment.is_empty() {
        return Err(WorkflowError::CommentRequired(t, doc));
    }
    let chars = comment.chars().count();
    if chars > COMMENT_MAX_CHARS {
        return Err(WorkflowError::CommentTooLong {
            max: COMMENT_MAX_CHARS,
            chars,
        });
    }
    Ok(t)
}

/// Why the unit's writers cannot change a plan in this status, or `None` when they can
/// ([`PlanStatus::open_for_writing`]).
pub fn locked_reason(status: PlanStatus) -> Option<&'static str> {
    match status {
        PlanStatus::Draft | PlanStatus::Returned => None,
        PlanStatus::Submitted => Some(
            "Planen är inskickad och ligger hos controllern; den kan inte ändras nu. Be controllern återremittera den om något behöver ändras.",
        ),
        PlanStatus::Approved => {
            Some("Planen är fastställd och kan inte ändras. En administratör kan öppna den igen.")
        }
    }
}

/// Where a unit's plan for a year stands against its deadline, as a controller follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// No plan yet.
    NotStarted,
    /// Being written (a draft, or returned to its writers).
    Draft,
    Submitted,
    Approved,
    /// Not submitted, and the deadline has passed.
    Late,
}

impl Standing {
    /// The plan's standing on `today`: late when it is not yet with the controller (or
    /// approved) and the deadline is behind us.
    pub fn of(
        status: Option<PlanStatus>,
        deadline: Option<time::Date>,
        today: time::Date,
    ) -> Standing {
        let passed = deadline.is_some_and(|d| d < today);
        match status {
            Some(PlanStatus::Approved) => Standing::Approved,
            Some(PlanStatus::Submitted) => Standing::Submitted,
            _ if passed => Standing::Late,
            None => Standing::NotStarted,
            Some(PlanStatus::Draft | PlanStatus::Returned) => Standing::Draft,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Standing::NotStarted => "Inte påbörjad",
            Standing::Draft => "Utkast",
            Standing::Submitted => "Inskickad",
            Standing::Approved => "Fastställd",
            Standing::Late => "Försenad",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PlanStatus as S;

    const STATUSES: [PlanStatus; 4] = [S::Draft, S::Submitted, S::Approved, S::Returned];

    #[test]
    fn every_possible_step() {
        assert_eq!(
            plan_transition(S::Draft, S::Submitted, ""),
            Ok(Transition::Submit)
        );
        assert_eq!(
            plan_transition(S::Returned, S::Submitted, " "),
            Ok(Transition::Submit)
        );
        assert_eq!(
            plan_transition(S::Submitted, S::Approved, ""),
            Ok(Transition::Approve)
        );
        assert_eq!(
            plan_transition(S::Submitted, S::Returned, "Komplettera målen"),
            Ok(Transition::Return)
        );
        assert_eq!(
            plan_transition(S::Approved, S::Draft, "Nytt uppdrag från nämnden"),
            Ok(Transition::Reopen)
        );
    }

    #[test]
    fn the_whole_table() {
        // from → to: the transition, or none.
        let expected = |from: PlanStatus, to: PlanStatus| match (from, to) {
            (S::Draft | S::Returned, S::Submitted) => Some(Transition::Submit),
            (S::Submitted, S::Approved) => Some(Transition::Approve),
            (S::Submitted, S::Returned) => Some(Transition::Return),
            (S::Approved, S::Draft) => Some(Transition::Reopen),
            _ => None,
        };
        for from in STATUSES {
            for to in STATUSES {
                let got = plan_transition(from, to, "en kommentar");
                match expected(from, to) {
                    Some(t) => assert_eq!(got, Ok(t), "{from:?} → {to:?}"),
                    None if from == to => {
                        assert_eq!(
                            got,
                            Err(WorkflowError::Already(from, WorkflowDoc::Plan)),
                            "{from:?}"
                        )
                    }
                    None => assert_eq!(
                        got,
                        Err(WorkflowError::Impossible {
                            from,
                            to,
                            doc: WorkflowDoc::Plan
                        }),
                        "{from:?} → {to:?}"
                    ),
                }
            }
        }
        for t in Transition::ALL {
            for from in t.from_statuses() {
                assert_eq!(Transition::between(*from, t.to()), Some(t));
            }
            assert_eq!(Transition::from_code(t.code()), Some(t));
        }
    }

    #[test]
    fn refusals_say_why_in_swedish() {
        let msg = |from, to, c: &str| plan_transition(from, to, c).unwrap_err().to_string();
        assert_eq!(
            msg(S::Submitted, S::Submitted, ""),
            "Planen är redan inskickad"
        );
        assert_eq!(
            msg(S::Approved, S::Approved, ""),
            "Planen är redan fastställd"
        );
        assert_eq!(
            msg(S::Submitted, S::Returned, "  \n "),
            "En återremiss behöver en kommentar"
        );
        assert_eq!(
            msg(S::Approved, S::Draft, ""),
            "Att öppna en fastställd plan igen behöver en motivering"
        );
        assert_eq!(
            msg(S::Draft, S::Approved, ""),
            "Planen måste skickas in innan den kan fastställas"
        );
        assert!(msg(S::Approved, S::Submitted, "").contains("En administratör kan öppna den igen"));
        // A report's refusals name the report.
        let report = |kind, from, to, c: &str| {
            workflow_step(WorkflowDoc::Report(kind), from, to, c)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            report(ReportKind::Tertial1, S::Submitted, S::Submitted, ""),
            "Tertialrapport 1 är redan inskickad"
        );
        assert_eq!(
            report(ReportKind::Tertial2, S::Draft, S::Approved, ""),
            "Tertialrapport 2 måste skickas in innan den kan fastställas"
        );
        assert_eq!(
            report(ReportKind::AnnualReport, S::Approved, S::Submitted, ""),
            "Verksamhetsberättelsen är fastställd och kan inte skickas in. En administratör kan öppna den igen."
        );
        assert_eq!(
            report(ReportKind::AnnualReport, S::Approved, S::Draft, " "),
            "Att öppna en fastställd verksamhetsberättelse igen behöver en motivering"
        );
        assert_eq!(
            report(ReportKind::Tertial1, S::Draft, S::Returned, ""),
            "Bara en inskickad tertialrapport kan återremitteras"
        );
        for kind in ReportKind::ALL {
            for from in STATUSES {
                for to in STATUSES {
                    if let Err(e) = workflow_step(WorkflowDoc::Report(kind), from, to, "x") {
                        assert!(
                            !e.to_string().to_lowercase().contains("plan"),
                            "{kind:?}: {e}"
                        );
                    }
                }
            }
        }
        // Every refusal has a message of its own kind.
        for from in STATUSES {
            for to in STATUSES {
                if let Err(e) = plan_transition(from, to, "x") {
                    assert!(!e.to_string().is_empty());
                }
            }
        }
    }

    #[test]
    fn comments_have_a_limit_in_characters() {
        let at_limit = "å".repeat(COMMENT_MAX_CHARS);
        assert_eq!(
            plan_transition(S::Submitted, S::Returned, &at_limit),
            Ok(Transition::Return)
        );
        let over = format!(" {at_limit}ä ");
        let e = plan_transition(S::Submitted, S::Returned, &over).unwrap_err();
        assert_eq!(
            e,
            WorkflowError::CommentTooLong {
                max: COMMENT_MAX_CHARS,
                chars: COMMENT_MAX_CHARS + 1
            }
        );
        assert!(e.to_string().contains("högst 2000 tecken"));
        // An optional comment is held to the limit too.
        assert!(plan_transition(S::Draft, S::Submitted, &over).is_err());
    }

    #[test]
    fn actions_and_labels() {
        let actions: Vec<Action> = Transition::ALL.iter().map(|t| t.action()).collect();
        assert_eq!(
            actions,
            [
                Action::Submit,
                Action::Approve,
                Action::Return,
                Action::Reopen
            ]
        );
        let labels: Vec<&str> = Transition::ALL.iter().map(|t| t.label()).collect();
        assert_eq!(
            labels,
            ["Skickad in", "Fastställd", "Återremitterad", "Öppnad igen"]
        );
    }

    #[test]
    fn locked_exactly_when_not_open_for_writing() {
        for s in STATUSES {
            assert_eq!(locked_reason(s).is_none(), s.open_for_writing(), "{s:?}");
        }
        assert!(
            locked_reason(S::Submitted)
                .unwrap()
                .starts_with("Planen är inskickad")
        );
        assert!(
            locked_reason(S::Approved)
                .unwrap()
                .starts_with("Planen är fastställd")
        );
    }

    #[test]
    fn a_plan_not_sent_in_by_its_deadline_is_late() {
        use time::macros::date;
        let deadline = Some(date!(2026 - 11 - 15));
        let before = date!(2026 - 11 - 01);
        let after = date!(2026 - 11 - 16);
        assert_eq!(Standing::of(None, deadline, before), Standing::NotStarted);
        assert_eq!(Standing::of(None, deadline, after), Standing::Late);
        assert_eq!(
            Standing::of(Some(PlanStatus::Returned), deadline, before),
            Standing::Draft
        );
        assert_eq!(
            Standing::of(Some(PlanStatus::Draft), deadline, after),
            Standing::Late
        );
        assert_eq!(
            Standing::of(Some(PlanStatus::Submitted), deadline, after),
            Standing::Submitted
        );
        assert_eq!(
            Standing::of(Some(PlanStatus::Approved), deadline, after),
            Standing::Approved
        );
        // On the day itself it is not late yet; without a deadline never.
        assert_eq!(
            Standing::of(None, deadline, date!(2026 - 11 - 15)),
            Standing::NotStarted
        );
        assert_eq!(
            Standing::of(Some(PlanStatus::Draft), None, after),
            Standing::Draft
        );
    }
}
