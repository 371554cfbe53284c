//! One layout quirk per test, on small invented snippets.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use malkedja_import::{
    ActivityStatus, Assessment, DocumentKind, GoalLevel, ParseError, ParseOptions, parse,
    parse_bytes, parse_with,
};

fn opts() -> ParseOptions {
    ParseOptions {
        unit: Some("Testenheten".into()),
        year: Some(2031),
    }
}

const HEAD: &str = "KF:s inriktningsmål: 1. Ett påhittat mål\n\nKF:s mål för verksamhetsområdet: 1.2 Ett påhittat områdesmål\n\n";

#[test]
fn indicator_row_wraps_with_values_on_later_lines() {
    let text = format!(
        "{HEAD}  Indikator Årsmål KF:s årsmål år 2031 Periodicitet \n\n Andel glada \nkaniner i \nhagen \n\n 2,5 morötter per \nkanin \n\nÅr \n"
    );
    let d = parse_with(&text, &opts()).unwrap();
    let i = &d.indicators[0];
    assert_eq!(i.name, "Andel glada kaniner i hagen");
    assert_eq!(i.target, None);
    assert_eq!(i.council_target.as_deref(), Some("2,5 morötter per kanin"));
    assert_eq!(i.periodicity.as_deref(), Some("År"));
    assert_eq!(i.goal, 1);
}

#[test]
fn activity_dates_are_read_from_the_right_end() {
    let text = format!(
        "{HEAD}Nämndmål: Nämnden gör saker\n\n  Aktivitet Startdatum Slutdatum \n\n Nämnden ska räkna alla stenar i \nparken 2030 \n\n2031-01-01 2031-12-31 \n\n Nämnden ska mata ankorna 2031-02-01 2031-03-31 \n"
    );
    let d = parse_with(&text, &opts()).unwrap();
    assert_eq!(d.activities.len(), 2);
    assert_eq!(
        d.activities[0].title,
        "Nämnden ska räkna alla stenar i parken 2030"
    );
    assert_eq!(d.activities[0].start.as_deref(), Some("2031-01-01"));
    assert_eq!(d.activities[0].end.as_deref(), Some("2031-12-31"));
    assert_eq!(d.activities[1].title, "Nämnden ska mata ankorna");
    assert_eq!(d.activities[1].goal, 2);
}

#[test]
fn page_break_repeats_header_inside_a_row() {
    let text = format!(
        "{HEAD}  Indikator Årsmål KF:s årsmål år 2031 Periodicitet \n\n Andel stenar som \nligger i \n\n 90% År \n   Indikator Årsmål KF:s årsmål år 2031 Periodicitet \n\nrätt hög \n\n Andel pinnar \n\n12 Tas fram av nämnd Tertial \n"
    );
    let d = parse_with(&text, &opts()).unwrap();
    assert_eq!(d.indicators.len(), 2);
    assert_eq!(d.indicators[0].name, "Andel stenar som ligger i rätt hög");
    assert_eq!(d.indicators[0].council_target.as_deref(), Some("90%"));
    assert_eq!(d.indicators[1].name, "Andel pinnar");
    assert_eq!(d.indicators[1].target.as_deref(), Some("12"));
    assert_eq!(
        d.indicators[1].council_target.as_deref(),
        Some("Tas fram av nämnd")
    );
}

#[test]
fn empty_cells_vanish_or_become_double_spaces() {
    let text = format!(
        "{HEAD}  Indikator Årsmål KF:s årsmål år 2031 Periodicitet \n\nGladindex  77 År \n\n Plockade bär 80 %  Tertial \n\nBärindex 5 6 År \n\nKottar 3 % Tas fram av nämnd Tertial \n\nTomma rader \n\n  År \n"
    );
    let d = parse_with(&text, &opts()).unwrap();
    let got: Vec<_> = d
        .indicators
        .iter()
        .map(|i| {
            (
                i.name.as_str(),
                i.target.as_deref(),
                i.council_target.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("Gladindex", None, Some("77")),
            ("Plockade bär", Some("80 %"), None),
            ("Bärindex", Some("5"), Some("6")),
            ("Kottar", Some("3 %"), Some("Tas fram av nämnd")),
            ("Tomma rader", None, None),
        ]
    );
}

#[test]
fn department_goal_prefix() {
    let text = format!(
        "{HEAD}Nämndmål: Nämndens mål\n\nEnhetsmål: Avdelningsmål: Avdelningen gör \nnågot bra.\n\nFörväntat resultat\n\nDet blir bra.\n\nEnhetsmål: Enheten gör något\n"
    );
    let d = parse_with(&text, &opts()).unwrap();
    assert_eq!(d.goals[3].level, GoalLevel::Department);
    assert_eq!(d.goals[3].title, "Avdelningen gör något bra.");
    assert_eq!(d.goals[3].parent, Some(2));
    assert_eq!(d.goals[4].level, GoalLevel::Unit);
    assert_eq!(d.goals[4].parent, Some(2));
}

#[test]
fn hyphenated_title_lines() {
    let text = "KF:s inriktningsmål: 1. Ett mål för kultur-\nlivet och vår- \noch höstterminen\n\nNämndmål: X\n";
    let d = parse_with(text, &opts()).unwrap();
    assert_eq!(
        d.goals[0].title,
        "Ett mål för kultur-livet och vår- och höstterminen"
    );
    assert_eq!(d.goals[0].number.as_deref(), Some("1"));
}

#[test]
fn page_furniture_inside_text_is_removed() {
    let text = format!(
        "{HEAD}Nämndmål: Nämnden\n\nBeskrivning\n\nHär börjar en mening som \nTjänsteutlåtande\nSid 4 (9)\n start.stockholm\n08-508 00 000\nfortsätter efter sidbrytningen.\n"
    );
    let d = parse_with(&text, &opts()).unwrap();
    assert_eq!(
        d.goals[2].sections.get("Beskrivning"),
        Some("Här börjar en mening som fortsätter efter sidbrytningen.")
    );
}

#[test]
fn template_instruction_is_dropped_with_warning() {
    let text = format!(
        "{HEAD}Nämndmål: N\n\nRedovisning av ekonomi\n\nBudget 2031\nBudget 2031\nBeskriv här hur ni följer upp budgeten och jämför med \nföregående år.\n\nÖvrigt\n"
    );
    let d = parse_with(&text, &opts()).unwrap();
    assert_eq!(d.warnings.len(), 1);
    assert_eq!(d.warnings[0].line, 11);
    let budget: Vec<_> = d
        .sections
        .iter()
        .filter(|s| s.heading == "Budget 2031")
        .collect();
    assert_eq!(budget.len(), 1);
    assert_eq!(budget[0].text, "");
}

const FOLLOW: &str = "Tertialrapport T2 2031 för Testenheten\n\nKF:s inriktningsmål: 1. Ett mål\n\n— Inga data\n\nNämndmål: Nämndens mål\n\n Uppfylls delvis\n\n";

#[test]
fn follow_up_tables_are_tab_separated_with_trailing_tabs() {
    let text = format!(
        "{FOLLOW}Indikator\tPeriodens utfall\tUtfall män/ pojkar\tUtfall kvinnor/ flickor\tUtfall VB 2030\tÅrsmål\tKF:s årsmål\tPeriod\n Sjukfrånvaro\t9,7 %\t3 %\t12 %\t\t8,5 %\tTas fram av nämnd/styr else\tT2 2031\nAnalys Det gick sådär.\t\t\t\t\t\t\t\n"
    );
    let d = parse(&text).unwrap();
    assert_eq!(d.kind, DocumentKind::Tertial2);
    assert_eq!(d.year, 2031);
    assert_eq!(d.unit, "Testenheten");
    let i = &d.indicators[0];
    assert_eq!(i.outcome.as_deref(), Some("9,7 %"));
    assert_eq!(i.outcome_men.as_deref(), Some("3 %"));
    assert_eq!(i.outcome_women.as_deref(), Some("12 %"));
    assert_eq!(i.previous, None);
    assert_eq!(
        i.council_target.as_deref(),
        Some("Tas fram av nämnd/styr else")
    );
    assert_eq!(i.period.as_deref(), Some("T2 2031"));
    assert_eq!(i.analysis.as_deref(), Some("Det gick sådär."));
    assert_eq!(d.goals[0].assessment, Some(Assessment::NoData));
    assert_eq!(d.goals[1].assessment, Some(Assessment::PartlyMet));
}

#[test]
fn activity_status_symbols_and_deviation() {
    let text = format!(
        "{FOLLOW}\tAktivitet\tStartdatum\tSlutdatum\tAvvikelse\n✓\tMata ankorna\t2031-01-01\t2031-12-31\t\n Räkna stenar\t2031-01-01\t2031-06-30\tAvvikelse\nAnalys Stenarna var för många.\t\t\t\n✓ Kratta gången\t2031-01-01\t2031-06-30\t\n Lost symbol\t2031-01-01\t2031-06-30\t\n"
    );
    let d = parse(&text).unwrap();
    let got: Vec<_> = d
        .activities
        .iter()
        .map(|a| (a.title.as_str(), a.status))
        .collect();
    assert_eq!(
        got,
        [
            ("Mata ankorna", Some(ActivityStatus::Done)),
            ("Räkna stenar", Some(ActivityStatus::Deviation)),
            ("Kratta gången", Some(ActivityStatus::Done)),
            ("Lost symbol", None),
        ]
    );
    assert_eq!(
        d.activities[1].analysis.as_deref(),
        Some("Stenarna var för många.")
    );
}

#[test]
fn complaints_table_fills_down_across_page_break() {
    let header = "Uppdelning\tKlagomål/synpunkter/kategorier\tUtfall T1 2031\tUtfall T2 2031\tUtfall VB 2031\tTotalt ack 2031\tBedömning och planerade åtgärder";
    let text = format!(
        "{FOLLOW}Redovisning av synpunkter och klagomål\n\n{header}\nBeröm\tBeröm\t2\t\t\t2 st\t\nSynpunkter om\tMaten\t\t1\t\t1\tVi byter kock.\n\n{header}\nsaker och ting\tLokalen\t\t\t\t\t\n\tLjudet\t0 st\t\t\t\t\n"
    );
    let d = parse(&text).unwrap();
    let got: Vec<_> = d
        .complaints
        .iter()
        .map(|c| (c.group.as_str(), c.category.as_str(), c.t1, c.t2, c.total))
        .collect();
    assert_eq!(
        got,
        [
            ("Beröm", "Beröm", Some(2), None, Some(2)),
            (
                "Synpunkter om saker och ting",
                "Maten",
                None,
                Some(1),
                Some(1)
            ),
            ("Synpunkter om saker och ting", "Lokalen", None, None, None),
            (
                "Synpunkter om saker och ting",
                "Ljudet",
                Some(0),
                None,
                None
            ),
        ]
    );
    assert_eq!(
        d.complaints[1].assessment.as_deref(),
        Some("Vi byter kock.")
    );
}

#[test]
fn double_spaced_export_joins_titles_across_empty_lines() {
    let mut text = String::new();
    for l in [
        "KF:s inriktningsmål: 1. Ett mål som bryts",
        "över flera rader",
        "Nämndmål: Nämnden gör",
        "något bra",
        "Enhetsmål: Enheten gör det.",
        "Förväntat resultat",
        "Det här är en lång rad med text som fortsätter på nästa rad",
        "och slutar här.",
    ] {
        text.push_str(l);
        text.push_str(" \n\n");
    }
    // enough wrapped lines to be recognised as double spaced
    for _ in 0..6 {
        text.push_str(
            "En rad till med lite text som bryts mitt i \n\nmeningen och fortsätter.\n\n",
        );
    }
    let d = parse_with(&text, &opts()).unwrap();
    assert_eq!(d.goals[0].title, "Ett mål som bryts över flera rader");
    assert_eq!(d.goals[1].title, "Nämnden gör något bra");
    assert_eq!(d.goals[2].title, "Enheten gör det.");
    let fr = d.goals[2].sections.get("Förväntat resultat").unwrap();
    assert!(
        fr.starts_with(
            "Det här är en lång rad med text som fortsätter på nästa rad och slutar här."
        ),
        "{fr}"
    );
}

#[test]
fn plan_detects_year_and_unit_from_text() {
    let text = " Inledning \nEnhetens uppdrag \nMånskensenheten är en påhittad enhet. \n\nKF:s inriktningsmål: 1. Mål\n\n  Indikator Årsmål KF:s årsmål år 2032 Periodicitet \n\nX 1 År\n";
    let d = parse(text).unwrap();
    assert_eq!(d.kind, DocumentKind::Plan);
    assert_eq!(d.year, 2032);
    assert_eq!(d.unit, "Månskensenheten");
}

#[test]
fn overrides_win_over_the_text() {
    let text = "Verksamhetsplan 2030 för Gamla enheten\n\nKF:s inriktningsmål: 1. Mål\n";
    let d = parse_with(text, &opts()).unwrap();
    assert_eq!((d.year, d.unit.as_str()), (2031, "Testenheten"));
    let d = parse(text).unwrap();
    assert_eq!((d.year, d.unit.as_str()), (2030, "Gamla enheten"));
}

#[test]
fn errors_are_specific() {
    assert_eq!(parse("  \n\n").unwrap_err(), ParseError::Empty);
    assert_eq!(parse_bytes(b"").unwrap_err(), ParseError::Empty);
    let bad = b"rad ett\nrad tv\xff\n";
    match parse_bytes(bad).unwrap_err() {
        ParseError::InvalidUtf8 { offset, line } => {
            assert_eq!((offset, line), (14, 2));
        }
        e => panic!("{e}"),
    }
    let e = parse("Bara en vanlig text.\nUtan mål.\n").unwrap_err();
    assert!(matches!(e, ParseError::NotADocument { .. }));
    assert!(e.to_string().contains("målkaskad"));
    let e = parse("KF:s inriktningsmål: 1. Mål\n").unwrap_err();
    assert_eq!(
        e,
        ParseError::MissingMetadata {
            year: true,
            unit: true
        }
    );
    assert!(e.to_string().contains("--year"));
    let e = parse_with(
        "KF:s inriktningsmål: 1. Mål\n",
        &ParseOptions {
            unit: None,
            year: Some(2030),
        },
    )
    .unwrap_err();
    assert_eq!(
        e,
        ParseError::MissingMetadata {
            year: false,
            unit: true
        }
    );
    let msg = ParseError::InvalidUtf8 {
        offset: 3,
        line: 12,
    }
    .to_string();
    assert!(msg.starts_with("rad 12:"), "{msg}");
}

#[test]
fn dry_run_json_shape() {
    let text = format!(
        "{FOLLOW}Enhetsmål: E\n\n● Uppfylls helt\n\nFörväntat resultat\n\nBra.\n\nAnalys\n\nDet gick \n\nbra.\n"
    );
    let d = parse(&text).unwrap();
    let v = serde_json::to_value(&d).unwrap();
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 9);
    let json = serde_json::to_string(&d).unwrap();
    assert!(
        json.starts_with(
            "{\"kind\":\"tertial2\",\"year\":2031,\"unit\":\"Testenheten\",\"sections\":"
        ),
        "{json}"
    );
    let g = &v["goals"][2];
    assert_eq!(g["assessment"], "met");
    assert_eq!(g["analysis"], "Det gick bra.");
    assert_eq!(g["sections"]["Förväntat resultat"], "Bra.");
    assert_eq!(g["number"], serde_json::Value::Null);
    let back: malkedja_import::ImportDocument = serde_json::from_str(&json).unwrap();
    assert_eq!(back, d);
}
