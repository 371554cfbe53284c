use malkedja_domain::DomainError;

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
    #[error("oväntat innehåll i databasen: {0}")]
    Corrupt(String),
}

impl StoreError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, StoreError::NotFound(_))
    }
}
