use crate::StoreError;
use std::path::{Path, PathBuf};

/// Which database engine a URL selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A parsed database URL: `sqlite://PATH` (or `sqlite:PATH`) for an SQLite file,
/// `postgres://…` or `postgresql://…` for PostgreSQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(s: &str) -> Result<DatabaseUrl, StoreError> {
        let s = s.trim();
        let bad = |reason: &str| StoreError::BadUrl {
            url: redact(s),
            reason: reason.to_string(),
        };
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            let rest = s.split_once("://").map(|(_, r)| r).unwrap_or("");
            if rest.is_empty() || rest.starts_with('/') && rest.len() == 1 {
                return Err(bad("adressen saknar värd och databas"));
            }
            Ok(DatabaseUrl::Postgres(s.to_string()))
        } else if let Some(rest) = s
            .strip_prefix("sqlite://")
            .or_else(|| s.strip_prefix("sqlite:"))
        {
            let path = rest.split('?').next().unwrap_or("");
            if path.is_empty() {
                return Err(bad("adressen saknar en sökväg till databasfilen"));
            }
            if path == ":memory:" {
                return Err(bad("en databas i minnet sparar ingenting; ange en fil"));
            }
            Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
        } else {
            Err(bad("den ska börja med sqlite:// eller postgres://"))
        }
    }

    pub fn sqlite_file(path: &Path) -> DatabaseUrl {
        DatabaseUrl::Sqlite(path.to_path_buf())
    }

    pub fn backend(&self) -> Backend {
        match self {
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        }
    }

    /// The string sqlx connects with.
    pub(crate) fn connect_string(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => format!("sqlite://{}?mode=rwc", path.display()),
            DatabaseUrl::Postgres(url) => url.clone(),
        }
    }

    /// The URL without a password, for messages and logs.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => redact(url),
        }
    }
}

impl std::fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// Hides the password in `scheme://user:password@host`.
fn redact(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://")
        && let Some((auth, host)) = rest.split_once('@')
        && let Some((user, _)) = auth.split_once(':')
    {
        return format!("{scheme}://{user}:***@{host}");
    }
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_backends() {
        assert_eq!(
            DatabaseUrl::parse("sqlite:///var/lib/malkedja/m.db").unwrap(),
            DatabaseUrl::Sqlite("/var/lib/malkedja/m.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:data/m.db").unwrap(),
            DatabaseUrl::Sqlite("data/m.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("postgres://u@localhost/m")
                .unwrap()
                .backend(),
            Backend::Postgres
        );
        assert_eq!(
            DatabaseUrl::parse("postgresql://u@localhost/m")
                .unwrap()
                .backend(),
            Backend::Postgres
        );
    }

    #[test]
    fn rejects_what_it_cannot_use_with_a_reason() {
        for bad in [
            "mysql://x/y",
            "",
            "sqlite://",
            "sqlite::memory:",
            "postgres://",
            "/tmp/x.db",
        ] {
            let err = DatabaseUrl::parse(bad).unwrap_err();
            assert!(matches!(err, StoreError::BadUrl { .. }), "{bad}: {err}");
        }
    }

    #[test]
    fn hides_passwords() {
        let url = DatabaseUrl::parse("postgres://malkedja:hemligt@db.example/m").unwrap();
        assert_eq!(url.redacted(), "postgres://malkedja:***@db.example/m");
        assert!(!url.to_string().contains("hemligt"));
    }
}
