//! The parts of an address (ids, years, report kinds), read the same way for pages and the
//! API. A part that cannot name anything (not a number, out of range, no such kind) is a
//! bad request (400); a well-formed address of something that does not exist is 404.

use crate::error::{ApiError, AppError, HtmlError};
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use malkedja_domain::{NodeId, ReportKind};
use serde::de::DeserializeOwned;
use std::ops::RangeInclusive;

/// The planning years an address may name. Anything outside is not a year Målkedja can
/// hold: 400 on pages and in the API alike.
pub const YEARS: RangeInclusive<i32> = 1900..=2999;

/// An id from the address: a whole number from 1 up.
pub fn node_id(field: &'static str, raw: &str, what: &str) -> Result<NodeId, AppError> {
    match raw.parse::<i64>() {
        Ok(id) if id >= 1 => Ok(NodeId(id)),
        _ => Err(AppError::BadRequest {
            field,
            message: format!("{what} ska vara ett heltal från 1 och uppåt, inte \"{raw}\"."),
        }),
    }
}

/// A planning year from the address.
pub fn year(raw: &str) -> Result<i32, AppError> {
    match raw.parse::<i64>() {
        Ok(y) => i32::try_from(y)
            .ok()
            .filter(|y| YEARS.contains(y))
            .ok_or_else(|| AppError::BadRequest {
                field: "year",
                message: format!(
                    "Året {raw} går inte att använda: ange ett år mellan {} och {}.",
                    YEARS.start(),
                    YEARS.end()
                ),
            }),
        Err(_) => Err(AppError::BadRequest {
            field: "year",
            message: format!("Året ska anges med siffror, inte \"{raw}\"."),
        }),
    }
}

/// How an address named a report kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindName {
    /// The API's code: `tertial1`, `tertial2`, `annual_report`.
    Code,
    /// The pages' Swedish name: `t1`, `t2`, `vb`.
    Slug,
}

/// A report kind named either way, or a bad request that lists the names `wanted`.
pub fn report_kind(raw: &str, wanted: KindName) -> Result<(ReportKind, KindName), AppError> {
    if let Some(k) = ReportKind::from_code(raw) {
        return Ok((k, KindName::Code));
    }
    if let Some(k) = ReportKind::from_slug(raw) {
        return Ok((k, KindName::Slug));
    }
    let names = ReportKind::ALL.map(|k| match wanted {
        KindName::Code => k.code(),
        KindName::Slug => k.slug(),
    });
    Err(AppError::BadRequest {
        field: "kind",
        message: format!(
            "\"{raw}\" är ingen rapport: ange {}, {} eller {}.",
            names[0], names[1], names[2]
        ),
    })
}

fn unreadable(e: impl std::fmt::Display) -> AppError {
    tracing::debug!(error = %e, "unreadable path");
    AppError::BadRequest {
        field: "path",
        message: "Adressen går inte att läsa.".into(),
    }
}

/// The path's parameters for an API handler: what axum's `Path` gives, with a JSON error
/// instead of a plain-text one when the address cannot be read (bad percent-encoding).
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(t)) => Ok(ApiPath(t)),
            Err(e) => Err(ApiError(unreadable(e))),
        }
    }
}

/// The query string for an API handler: what axum's `Query` gives, with a JSON error (400,
/// naming `query`) instead of a plain-text one when it cannot be read (a field twice, a
/// value of the wrong shape).
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(t)) => Ok(ApiQuery(t)),
            Err(e) => Err(ApiError(AppError::BadRequest {
                field: "query",
                message: format!("Adressens frågedel går inte att läsa: {}", e.body_text()),
            })),
        }
    }
}

/// The path's parameters for a page handler, with a Swedish error page when the address
/// cannot be read.
pub struct PagePath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for PagePath<T> {
    type Rejection = HtmlError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(t)) => Ok(PagePath(t)),
            Err(e) => Err(HtmlError(unreadable(e))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_outside_the_range_or_not_numbers_are_bad_requests() {
        assert_eq!(year("2025").ok(), Some(2025));
        for raw in [
            "0",
            "-2025",
            "1899",
            "3000",
            "99999999999",
            "99999999999999999999999",
            "abc",
            "",
            "20 25",
        ] {
            assert!(
                matches!(year(raw), Err(AppError::BadRequest { field: "year", .. })),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn ids_start_at_one() {
        assert_eq!(node_id("id", "7", "Id").ok(), Some(NodeId(7)));
        for raw in ["0", "-1", "abc", "9223372036854775808", ""] {
            assert!(node_id("id", raw, "Id").is_err(), "{raw:?}");
        }
    }

    #[test]
    fn kinds_are_read_by_either_name() {
        assert_eq!(
            report_kind("vb", KindName::Code).ok(),
            Some((ReportKind::AnnualReport, KindName::Slug))
        );
        assert_eq!(
            report_kind("tertial1", KindName::Slug).ok(),
            Some((ReportKind::Tertial1, KindName::Code))
        );
        match report_kind("t3", KindName::Slug) {
            Err(AppError::BadRequest { field, message }) => {
                assert_eq!(field, "kind");
                assert!(message.contains("t1, t2 eller vb"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }
}
