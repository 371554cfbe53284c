//! The roll-up's workbook read back with calamine: the matrix in words (never colours),
//! the goals' tallies and the indicators' aggregates as numbers.

use calamine::{Data, Reader as _, Xlsx, open_workbook_from_rs};
use malkedja_documents::rollup_xlsx;
use malkedja_domain::{Aggregation, Cell, Decimal, OrgNode, PlanStatus, ReportKind, build_rollup};
use malkedja_store::testing::{DISTRICT_YEAR, district, sqlite};
use std::io::Cursor;

fn s(t: &str) -> Data {
    Data::String(t.into())
}

#[tokio::test]
async fn the_workbook_holds_the_matrix_in_words_and_the_numbers_as_numbers() {
    let db = sqlite().await;
    let d = district(&db.store, 10, 3).await;
    let data = db
        .store
        .rollup(d.board, DISTRICT_YEAR, ReportKind::AnnualReport, None)
        .await
        .unwrap()
        .unwrap();
    let public = |_: &[OrgNode], s: PlanStatus| s == PlanStatus::Approved;
    let r = build_rollup(&data, time::macros::date!(2026 - 03 - 01), &public);
    let bytes = rollup_xlsx(&r, time::macros::date!(2026 - 03 - 02)).expect("a workbook");
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("readable");
    assert_eq!(
        book.sheet_names(),
        ["Bedömningar", "Mål", "Indikatorer", "Utfall per enhet"].map(String::from)
    );
    let rows = |book: &mut Xlsx<_>, name: &str| -> Vec<Vec<Data>> {
        book.worksheet_range(name)
            .unwrap()
            .rows()
            .map(<[Data]>::to_vec)
            .collect()
    };
    let float = |d: Decimal| Data::Float(d.to_string().parse().unwrap());

    let matrix = rows(&mut book, "Bedömningar");
    assert_eq!(matrix.len(), 11, "a header and ten units");
    assert_eq!(
        matrix[0][..4],
        ["Enhet", "Ligger under", "Rapportens läge", "Tidsfrist"].map(s)
    );
    let direction = &r.goals[0].goal;
    assert_eq!(matrix[0][4], s(&format!("1 {}", direction.title)));
    // The first board goal's column: after direction 1 and area 1.1.
    let c = r.column(d.board_goals[0]).unwrap();
    assert_eq!(c, 2);
    assert_eq!(
        matrix[0][4 + c],
        s(&format!("Nämndmål 1: {}", r.goals[c].goal.title))
    );
    assert_eq!(matrix[1][0], s(&r.units[0].unit.name));
    assert_eq!(
        matrix[1][1],
        s("Exempelstadens stadsdelsförvaltning › Avdelningen för äldreomsorg")
    );
    assert_eq!(matrix[1][2], s("Fastställd"));
    assert_eq!(matrix[1][3], s("2026-02-15"));
    let first = r.units[0].cells[c];
    assert!(matches!(first, Cell::Assessed { .. }));
    assert_eq!(matrix[1][4 + c], s(first.label()));
    assert_eq!(
        matrix[2][4 + c],
        s("Rapporten är inte fastställd"),
        "a submitted report, for the public"
    );
    assert_eq!(matrix[10][2], s("Försenad"));
    assert_eq!(matrix[10][4 + c], s("Enheten har ingen rapport ännu"));
    assert!(
        matches!(matrix[1].last(), Some(Data::Float(_))),
        "the unit's id is a number"
    );

    let goals = rows(&mut book, "Mål");
    assert_eq!(goals[0][3], s("Uppfylls helt"));
    let first_board_goal = goals.iter().find(|r| r[0] == s("Nämndmål 1")).unwrap();
    assert_eq!(
        first_board_goal[3],
        Data::Float(r.goals[c].tally.met as f64),
        "of the approved units 1, 4 and 7"
    );

    let indicators = rows(&mut book, "Indikatorer");
    let sum = r
        .indicators
        .iter()
        .find(|i| i.aggregation == Aggregation::Sum)
        .expect("a count among the council's indicators");
    let count = indicators.iter().find(|r| r[4] == s("Summa")).unwrap();
    assert_eq!(count[1], s(&sum.indicator.name));
    assert_eq!(count[5], float(sum.combined.as_ref().unwrap().value));
    let spread = sum.spread.as_ref().unwrap();
    assert_eq!(count[8], float(spread.min));
    assert_eq!(count[10], float(spread.max));
    assert_eq!(count[13], Data::Float(3.0), "the three approved reports");
    let share = r
        .indicators
        .iter()
        .find(|i| i.indicator.goal_id == d.board_goals[1])
        .unwrap();
    let share = indicators
        .iter()
        .find(|r| r[1] == s(&share.indicator.name))
        .unwrap();
    assert_eq!(share[4], s("Listas per enhet"));
    assert_eq!(share[5], Data::Empty, "shares are not averaged");
    assert!(
        matches!(share[8], Data::Float(f) if f < 1.0),
        "a percentage is a fraction"
    );

    let outcomes = rows(&mut book, "Utfall per enhet");
    assert_eq!(
        outcomes.len(),
        1 + 3 * r.indicators.len(),
        "every indicator of the three approved reports"
    );
    assert!(outcomes[1..].iter().all(|r| matches!(r[2], Data::Float(_))));
    db.finish().await;
}
