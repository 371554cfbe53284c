//! An indicator's history is printed as a chart in the report's PDF, with its title, and
//! the PDF stays PDF/A and PDF/UA (the chart has its description as alternative text).

mod fixtures;
mod pdf_support;

use malkedja_documents::{Document, PdfKind, pdf};
use malkedja_domain::{
    Direction, IndicatorId, IndicatorSeries, ReportKind, SeriesPoint, ValueKind,
};
use pdf_support::{pdftotext, squash};
use rust_decimal::Decimal;

fn point(year: i32, kind: ReportKind, total: i64) -> SeriesPoint {
    SeriesPoint {
        year,
        kind,
        total: Some(Decimal::new(total, 1)),
        women: None,
        men: None,
        target: Some(Decimal::from(7)),
        preliminary: false,
    }
}

#[test]
fn a_report_prints_the_history_of_its_indicators() {
    let mut doc = fixtures::report(false);
    let name = doc
        .goals
        .iter()
        .flat_map(|g| g.walk())
        .flat_map(|g| g.indicators.iter())
        .find(|i| i.indicator.id == IndicatorId(3))
        .expect("the fixture's indicator 3")
        .indicator
        .name
        .clone();
    doc.history.insert(
        IndicatorId(3),
        IndicatorSeries {
            name: name.clone(),
            unit_of_measure: Some("%".into()),
            direction: Direction::LowerIsBetter,
            value_kind: ValueKind::Percent,
            by_sex: false,
            points: vec![
                point(2023, ReportKind::AnnualReport, 91),
                point(2024, ReportKind::AnnualReport, 83),
                point(2025, ReportKind::AnnualReport, 72),
            ],
        },
    );
    let memo = fixtures::memo(false);
    let bytes = pdf(
        &fixtures::printable(Document::Report(&doc), &memo),
        PdfKind::Archive,
    )
    .expect("the report with a chart typesets as an archive copy");
    let text = squash(&pdftotext(&bytes, false));
    assert!(
        text.contains(&format!("Utfall över tid: {}", squash(&name))),
        "{text}"
    );
    for label in ["Helår 2023", "Helår 2024", "Helår 2025", "Årsmål"] {
        assert!(text.contains(label), "{label} in {text}");
    }
    // An indicator with one figure only has no chart.
    assert_eq!(text.matches("Utfall över tid:").count(), 1);
}
