//! What users write reaches the PDF as text, never as markup: quotes, `#`, `*`, `$`,
//! backslashes and `<script>` print literally; missing texts print "—"; a character no
//! embedded font has is never dropped silently.

mod pdf_support;

use malkedja_documents::{Document, PdfKind, Printable, pdf, pdf_output};
use malkedja_domain::{GoalSection, Memo, PlanDocument};
use pdf_support::{pdftotext, small_plan, squash};
use proptest::prelude::*;
use time::macros::date;

/// A plan whose unit, goal and indicator carry `text`.
fn plan_with(text: &str) -> PlanDocument {
    let mut plan = small_plan(text);
    let unit_goal = &mut plan.goals[0].children[0].children[0].children[0];
    unit_goal.goal.title = text.to_string();
    unit_goal.sections = vec![(GoalSection::ExpectedResult, text.to_string())];
    plan.goals[0].children[0].indicators[0].indicator.name = text.to_string();
    plan
}

fn render(plan: &PlanDocument, memo: &Memo, kind: PdfKind) -> Vec<u8> {
    let printable = Printable {
        document: Document::Plan(plan),
        memo,
        printed_on: date!(2026 - 01 - 23),
    };
    pdf(&printable, kind).unwrap_or_else(|e| panic!("{e}"))
}

/// The text layer, whitespace collapsed, without the word joiners and soft hyphens typst
/// and the template add.
fn text_of(bytes: &[u8]) -> String {
    squash(&pdftotext(bytes, false).replace(['\u{2060}', '\u{ad}'], ""))
}

#[test]
fn markup_in_user_text_prints_literally() {
    let nasty = r#"Enhet "Citat" #set text(red) *fet* $x^2$ \n \\ <script>alert(1)</script> @ref [lista] // ingen kommentar _kursiv_ `kod` = rubrik"#;
    let plan = plan_with(nasty);
    let memo = Memo {
        case_number: "#pagebreak()".into(),
        case_officer: "O'Brien \"Kalle\"".into(),
        addressee: "$ pengar $".into(),
        phone: "*08*".into(),
        title: String::new(),
        proposal: "- punkt #1\n- punkt *2*\n\n#heading[Nej]".into(),
        date: None,
    };
    let text = text_of(&render(&plan, &memo, PdfKind::Archive));
    for expected in [
        squash(nasty),
        "Dnr: #pagebreak()".into(),
        "O'Brien \"Kalle\"".into(),
        "$ pengar $".into(),
        "Telefon: *08*".into(),
        "punkt #1".into(),
        "#heading[Nej]".into(),
    ] {
        assert!(text.contains(&expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn missing_texts_print_a_dash() {
    let mut plan = small_plan("Enheten");
    plan.goals[0].children[0].indicators[0].target = None;
    let text = text_of(&render(&plan, &Memo::default(), PdfKind::Download));
    assert!(text.contains("Dnr: —"), "{text}");
    assert!(text.contains("Handläggare —"), "{text}");
    assert!(text.contains("Övrigt —"), "an empty section: {text}");
}

#[test]
fn sami_finnish_and_emoji_print_or_are_reported() {
    let sami = "Sámi giella: ŋ đ ŧ ž č á Ŋ Đ Ŧ Ž Č Á";
    let finnish = "Suomi: ä ö å š Ä Ö Å Š";
    // Symbola (Unicode 9) has these emoji; U+1FAE0 (Unicode 14) is in no embedded font.
    let emoji = "Glad 😀 hjärta ❤ tumme 👍 smält \u{1FAE0} slut";
    let plan = plan_with(&format!("{sami} {finnish} {emoji}"));
    let printable = Printable {
        document: Document::Plan(&plan),
        memo: &Memo::default(),
        printed_on: date!(2026 - 01 - 23),
    };
    let out = pdf_output(&printable, PdfKind::Archive).expect("typesets");
    assert_eq!(
        out.missing_glyphs,
        vec!['\u{1FAE0}'],
        "only the character no font has is reported"
    );
    let text = text_of(&out.bytes);
    assert!(text.contains(sami), "{text}");
    assert!(text.contains(finnish), "{text}");
    assert!(
        text.contains("Glad 😀 hjärta ❤ tumme 👍 smält \u{FFFD}(U+1FAE0) slut"),
        "a visible replacement with the code point: {text}"
    );
}

#[test]
fn very_long_words_and_tables_wrap_and_paginate() {
    let long_word = "Kommunfullmäktigesinriktningsmålsuppföljningsrapporteringsansvar".repeat(3);
    let mut plan = plan_with(&long_word);
    let rows: Vec<_> = (0..120)
        .map(|i| {
            pdf_support::indicator(
                100 + i,
                &format!("Indikator nummer {i} med ett ganska långt namn som bryts"),
                Some("80 %"),
                None,
            )
        })
        .collect();
    plan.goals[0].children[0].indicators = rows;
    let bytes = render(&plan, &Memo::default(), PdfKind::Archive);
    let text = pdftotext(&bytes, false);
    assert!(
        text.matches("Periodicitet").count() >= 3,
        "the header repeats on each page"
    );
    assert!(text.contains("Indikator nummer 119"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// Any printable text in a unit's name, a goal and an indicator comes out of the text
    /// layer as it went in, and never makes typst fail.
    #[test]
    fn printable_text_round_trips(text in "[ -~åäöÅÄÖéüÉÜ«»–—§½ŋđŧžčáŊĐŦŽČÁš]{1,60}") {
        prop_assume!(!text.trim().is_empty());
        let plan = plan_with(&text);
        let bytes = render(&plan, &Memo::default(), PdfKind::Download);
        let layer = text_of(&bytes);
        prop_assert!(layer.contains(&squash(&text)), "{:?} not in {}", squash(&text), layer);
    }

    /// Any text at all (controls, unassigned code points, right-to-left, combining marks)
    /// typesets, as an archive copy too.
    #[test]
    fn any_text_typesets(text in any::<String>()) {
        let plan = plan_with(&text);
        let printable = Printable {
            document: Document::Plan(&plan),
            memo: &Memo::default(),
            printed_on: date!(2026 - 01 - 23),
        };
        let out = pdf_output(&printable, PdfKind::Archive);
        prop_assert!(out.is_ok(), "{:?}: {:?}", text, out.err());
    }
}
