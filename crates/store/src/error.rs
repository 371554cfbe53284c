use malkedja_domain::{
    AccountError, DomainError, Finding, FollowUpError, ReportKind, TemplateError, WorkflowError,
    Year, check_errors,
};

/// What can go wrong in the store. Messages are Swedish where a user may see them.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("databasadressen {url:?} går inte att använda: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("kunde inte ansluta till databasen {url}: {message}")]
    Connect { url: String, message: String },
    #[error("kunde inte skapa katalogen {path}: {message}")]
    Io { path: String, message: String },
    #[error("databasens schema kunde inte uppdateras: {0}")]
    Migrate(String),
    #[error("databasfel: {0}")]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// An email address, name or password refused, or an email already taken.
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error("lösenordet kunde inte behandlas: {0}")]
    Password(String),
    #[error("{0} finns inte")]
    NotFound(String),
    #[error(
        "någon annan har ändrat {entity} sedan du öppnade det (du utgick från version {expected}, nu gäller version {actual}); din text är inte sparad över deras"
    )]
    Conflict {
        entity: String,
        expected: i64,
        actual: i64,
    },
    #[error("{0}")]
    Placement(String),
    /// A write to a document that is not open for writing (submitted: with the
    /// controller; approved: a record). The message says which and what to do.
    #[error("{0}")]
    Locked(String),
    /// A workflow step refused: the plan already has that status, no step leads there, or
    /// the comment is missing or too long. The message is Swedish and says which.
    #[error(transparent)]
    Workflow(#[from] WorkflowError),
    /// Submitting a plan in which the plan check finds errors. All its findings, errors
    /// first: the errors say what to fix, the warnings what to look at.
    #[error("{}", plan_check_message(.0))]
    PlanCheck(Vec<Finding>),
    /// A change to a plan template refused: a heading missing, a section under itself, a
    /// section removed that plans have text in. The message is Swedish and says which.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// Submitting a report in which the report check finds errors
    /// ([`malkedja_domain::check_report`]), with all its findings, errors first.
    #[error("{}", report_check_message(.0))]
    ReportCheck(Vec<Finding>),
    /// A report created that already exists: the message names it.
    #[error("{0}")]
    Exists(String),
    /// A report asked for a year in which the unit has no approved plan.
    #[error(
        "{unit} har ingen fastställd verksamhetsplan för {year}, så {} kan inte skapas. En rapport utgår från den fastställda planen: skicka in och fastställ planen först.",
        kind.label().to_lowercase()
    )]
    NoApprovedPlan {
        unit: String,
        year: Year,
        kind: ReportKind,
    },
    /// An outcome, a status or an economy figure that cannot be used; the message says why.
    #[error(transparent)]
    FollowUp(#[from] FollowUpError),
    #[error("oväntat innehåll i databasen: {0}")]
    Corrupt(String),
    /// An archive copy of an approved document could not be made (no renderer, the
    /// document is not approved, or rendering failed). The message is Swedish.
    #[error("arkivexemplaret kunde inte göras: {0}")]
    Archive(String),
}

fn plan_check_message(findings: &[Finding]) -> String {
    match check_errors(findings).as_slice() {
        [one] => format!(
            "Planen kan inte skickas in förrän ett fel är rättat: {}",
            one.message
        ),
        errors => format!(
            "Planen kan inte skickas in förrän {} fel är rättade; se Kontroll av planen.",
            errors.len()
        ),
    }
}

fn report_check_message(findings: &[Finding]) -> String {
    match check_errors(findings).as_slice() {
        [one] => format!(
            "Rapporten kan inte skickas in förrän ett fel är rättat: {}",
            one.message
        ),
        errors => format!(
            "Rapporten kan inte skickas in förrän {} fel är rättade; se Kontroll av rapporten.",
            errors.len()
        ),
    }
}

impl StoreError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, StoreError::NotFound(_))
    }

    /// A row that another writer created first, at the same moment, is a conflict (the
    /// other writer's stands), never a database error; any other error stays as it is.
    pub(crate) fn conflict_on_duplicate(e: sqlx::Error, entity: String) -> StoreError {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict {
                entity,
                expected: 0,
                actual: 1,
            },
            _ => StoreError::Database(e),
        }
    }

    /// Whether a row could not be written because another with the same key exists (two
    /// writers at the same moment).
    pub fn is_duplicate(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::Database(db)) if db.is_unique_violation())
    }

    /// Whether the database cannot be reached now (try again later: 503) rather than that
    /// something is wrong (500).
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Connect { .. } => true,
            StoreError::Database(e) => matches!(
                e,
                sqlx::Error::PoolTimedOut
                    | sqlx::Error::PoolClosed
                    | sqlx::Error::Io(_)
                    | sqlx::Error::Tls(_)
            ),
            _ => false,
        }
    }
}
