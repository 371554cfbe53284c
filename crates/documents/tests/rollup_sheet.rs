//! The roll-up's workbook read back with calamine: the matrix in words (never colours),
//! the goals' tallies and the indicators' aggregates as numbers.

use calamine::{Data, Reader as _, Xlsx, open_workbook_from_rs};
use malkedja_documents::rollup_xlsx;
use malkedja_domain::{OrgNode, PlanStatus, ReportKind, build_rollup};
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

    let matrix = rows(&mut book, "Bedömningar");
    assert_eq!(matrix.len(), 11, "a header and ten units");
    assert_eq!(
        matrix[0][..4],
        ["Enhet", "Ligger under", "Rapportens läge", "Tidsfrist"].map(s)
    );
    assert_eq!(matrix[0][4], s("1 Inriktningsmålet"));
    assert_eq!(matrix[0][6], s("Nämndmål 1: Nämndmål 1"));
    assert_eq!(matrix[1][0], s("Enhet 0001"));
    assert_eq!(matrix[1][1], s("Förvaltningen › Avdelning 1"));
    assert_eq!(matrix[1][2], s("Fastställd"));
    assert_eq!(matrix[1][3], s("2026-02-15"));
    assert_eq!(matrix[1][6], s("Uppfylls helt"));
    assert_eq!(
        matrix[2][6],
        s("Rapporten är inte fastställd"),
        "a submitted report, for the public"
    );
    assert_eq!(matrix[10][2], s("Försenad"));
    assert_eq!(matrix[10][6], s("Enheten har ingen rapport ännu"));
    assert!(
        matches!(matrix[1].last(), Some(Data::Float(_))),
        "the unit's id is a number"
    );

    let goals = rows(&mut book, "Mål");
    assert_eq!(goals[0][3], s("Uppfylls helt"));
    let first_board_goal = goals.iter().find(|r| r[0] == s("Nämndmål 1")).unwrap();
    assert_eq!(
        first_board_goal[3],
        Data::Float(1.0),
        "units 1 of the approved 1, 4, 7"
    );

    let indicators = rows(&mut book, "Indikatorer");
    let count = &indicators[1];
    assert_eq!(count[1], s("Antal deltagare 1"));
    assert_eq!(count[4], s("Summa"));
    // Units 1, 4 and 7 report (i * 7) % 60: 0 + 21 + 42.
    assert_eq!(count[5], Data::Float(63.0));
    assert_eq!(count[8], Data::Float(0.0));
    assert_eq!(count[10], Data::Float(42.0));
    assert_eq!(count[13], Data::Float(3.0));
    let share = indicators
        .iter()
        .find(|r| r[1] == s("Andel nöjda 2"))
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
        1 + 3 * 3,
        "three indicators of three approved reports"
    );
    assert!(outcomes[1..].iter().all(|r| matches!(r[2], Data::Float(_))));
    db.finish().await;
}
