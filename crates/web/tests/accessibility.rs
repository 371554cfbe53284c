//! Accessibility through the router: headings keep their depth below h6 (WCAG 1.3.1) and
//! tables of contents follow the outline; every page links the accessibility statement,
//! which shows the operator's contact details or marked placeholders.

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use malkedja_domain::{
    GoalId, GoalLevel, NewGoal, NewNode, NodeId, OrgKind, Placement, TemplateSection,
};
use malkedja_store::{Store, both_backends};
use malkedja_web::Settings;
use time::macros::datetime;
use tower::ServiceExt;

async fn get(app: &Router, path: &str) -> (StatusCode, String) {
    let res = app
        .clone()
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

/// A heading as assistive technology sees it.
#[derive(Debug, Clone)]
struct Heading {
    level: u8,
    id: Option<String>,
    text: String,
}

/// The tags of `html` in order: (the text between `<` and `>`, the offset after `>`).
fn tags(html: &str) -> Vec<(&str, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        let Some(len) = html[start..].find('>') else {
            break;
        };
        out.push((&html[start + 1..start + len], start + len + 1));
        i = start + len + 1;
    }
    out
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// The level of a heading tag: `h1`…`h6`, or `role="heading"` with its `aria-level`.
fn heading_level(tag: &str) -> Option<u8> {
    let b = tag.as_bytes();
    if b.len() >= 2
        && b[0] == b'h'
        && (b'1'..=b'6').contains(&b[1])
        && (b.len() == 2 || b[2] == b' ')
    {
        return Some(b[1] - b'0');
    }
    if attr(tag, "role") == Some("heading") {
        let level: u8 = attr(tag, "aria-level")
            .unwrap_or_else(|| panic!("role=heading without aria-level: <{tag}>"))
            .parse()
            .unwrap();
        assert!(
            level > 6,
            "aria-level {level} where an h{level} element would do: <{tag}>"
        );
        return Some(level);
    }
    None
}

/// Reads the outline of the page's `<main>` and checks that it nests: one h1 first, no
/// level skipped going down (each heading at most one below the one before), and every
/// heading inside a `<section>` (or `<nav>`) deeper than that section's own heading (the
/// first one in it). Capping levels at 6 breaks the last: a unit goal's "Förväntat
/// resultat" would be a sibling of the goal instead of under it.
fn outline(html: &str) -> Vec<Heading> {
    let main = &html[html.find("<main").expect("a <main>")..html.find("</main>").unwrap()];
    let mut sections: Vec<Option<u8>> = Vec::new();
    let mut headings: Vec<Heading> = Vec::new();
    for (tag, after) in tags(main) {
        let name = tag.split(' ').next().unwrap_or("");
        match name {
            "section" | "nav" => {
                sections.push(None);
                continue;
            }
            "/section" | "/nav" => {
                sections.pop();
                continue;
            }
            _ => {}
        }
        let Some(level) = heading_level(tag) else {
            continue;
        };
        let close = if tag.starts_with('h') {
            format!("</h{level}>")
        } else {
            "</div>".to_string()
        };
        let inner = &main[after..after + main[after..].find(&close).expect("closed heading")];
        let text = tags_stripped(inner);
        let heading = Heading {
            level,
            id: attr(tag, "id").map(str::to_string),
            text,
        };
        match headings.last() {
            None => assert_eq!(level, 1, "the page starts with its h1: {heading:?}"),
            Some(prev) => {
                assert_ne!(level, 1, "a second h1: {heading:?}");
                assert!(
                    level <= prev.level + 1,
                    "heading skips from level {} to {level}: {heading:?} after {prev:?}",
                    prev.level
                );
            }
        }
        let depth = sections.len();
        match sections.last().copied() {
            Some(None) => {
                let around = sections[..depth - 1]
                    .iter()
                    .rev()
                    .find_map(|s| *s)
                    .unwrap_or(1);
                assert!(
                    level > around,
                    "a section's heading must be deeper than the section around it (level {around}): {heading:?}"
                );
                sections[depth - 1] = Some(level);
            }
            Some(Some(own)) => assert!(
                level > own,
                "a heading inside a level-{own} section must be deeper than the section's own: {heading:?}"
            ),
            None => {}
        }
        headings.push(heading);
    }
    headings
}

fn tags_stripped(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Checks the table of contents against the outline: every entry leads to a heading of
/// its level, sits in a list nested as deep as that level, and every heading with an
/// anchor down to level 3 is listed, in page order. Returns the number of entries.
fn check_toc(html: &str, headings: &[Heading]) -> usize {
    let Some(start) = html.find("<nav class=\"toc\"") else {
        return 0;
    };
    let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
    let mut depth = 0usize;
    let mut entries: Vec<(u8, usize, String)> = Vec::new();
    for (tag, _) in tags(nav) {
        if tag == "ul" {
            depth += 1;
        } else if tag == "/ul" {
            depth -= 1;
        } else if let Some(class) = tag.strip_prefix("li class=\"toc-") {
            let level: u8 = class.trim_end_matches('"').parse().unwrap();
            entries.push((level, depth, String::new()));
        } else if let Some(href) = attr(tag, "href") {
            entries.last_mut().expect("a link inside an entry").2 = href.to_string();
        }
    }
    assert_eq!(depth, 0, "the table of contents closes its lists");
    let mut listed = Vec::new();
    for (level, depth, href) in &entries {
        let anchor = href.strip_prefix('#').expect("a link within the page");
        let target = headings
            .iter()
            .find(|h| h.id.as_deref() == Some(anchor))
            .unwrap_or_else(|| {
                panic!("the table of contents leads to {href}, which is no heading")
            });
        assert_eq!(*level, target.level, "entry level for {target:?}");
        assert_eq!(
            usize::from(*level) - 1,
            *depth,
            "an entry for a level-{level} heading is nested {depth} lists deep: {target:?}"
        );
        listed.push(anchor.to_string());
    }
    let expected: Vec<String> = headings
        .iter()
        // The page's own parts (the contents and the workflow box) are not the document's.
        .filter(|h| {
            h.level <= 3
                && h.id
                    .as_deref()
                    .is_some_and(|id| id != "toc-rubrik" && id != "arbetsgang")
        })
        .filter_map(|h| h.id.clone())
        .collect();
    assert_eq!(
        listed, expected,
        "the table of contents lists every heading down to level 3"
    );
    entries.len()
}

fn max_level(headings: &[Heading]) -> u8 {
    headings.iter().map(|h| h.level).max().unwrap_or(0)
}

// Every plan and report of the demo: the outline nests and reaches below h6 where the
// cascade is that deep (a unit goal under a department goal: its sections are level 7).
both_backends!(
    demo_documents_keep_their_outline,
    |store: Store| async move {
        let summary = malkedja_store::demo::load(&store, &|_| {})
            .await
            .unwrap()
            .expect("demo loads into an empty database");
        let app = common::reader_router(&store).await;
        let mut deepest = 0;
        let mut checked = 0;
        for (unit, _) in &summary.units {
            let (_, page) = get(&app, &format!("/enheter/{unit}")).await;
            outline(&page);
            let documents: Vec<String> = tags(&page)
                .into_iter()
                .filter_map(|(tag, _)| attr(tag, "href"))
                .filter(|h| h.contains("/planer/") || h.contains("/rapporter/"))
                .map(str::to_string)
                .collect();
            assert!(!documents.is_empty());
            for path in documents {
                let (status, body) = get(&app, &path).await;
                assert_eq!(status, StatusCode::OK, "{path}");
                let headings = outline(&body);
                assert!(
                    check_toc(&body, &headings) > 0,
                    "{path} has a table of contents"
                );
                let deep = headings.iter().find(|h| h.level > 6);
                if let Some(h) = deep {
                    assert!(
                        body.contains("<div role=\"heading\" aria-level=\"7\">"),
                        "{path}: {h:?}"
                    );
                }
                deepest = deepest.max(max_level(&headings));
                checked += 1;
            }
        }
        assert!(checked >= 6, "plans and reports of every unit: {checked}");
        assert_eq!(
            deepest, 7,
            "a unit goal under a department goal has its sections at level 7"
        );
    }
);

// The deepest plan the model allows, built through the writer: a unit goal under a
// department, board, area and direction goal, and a template whose sections nest eight
// deep. Nothing is capped at h6; the table of contents stops at level 3.
both_backends!(a_deep_plan_keeps_every_level, |store: Store| async move {
    let mut w = store.begin_write("test").await.unwrap();
    let mut ids = Vec::new();
    let mut parent = None;
    for (kind, name) in [
        (OrgKind::City, "Staden"),
        (OrgKind::Board, "Nämnden"),
        (OrgKind::Administration, "Förvaltningen"),
        (OrgKind::Department, "Avdelningen"),
        (OrgKind::Unit, "Enheten"),
    ] {
        let n = w
            .create_node(NewNode {
                parent_id: parent,
                kind,
                name: name.into(),
                position: 0,
            })
            .await
            .unwrap();
        parent = Some(n.id);
        ids.push(n.id);
    }
    let [city, board, admin, dept, unit]: [NodeId; 5] = ids.try_into().unwrap();
    let sections: Vec<TemplateSection> = (1..=8)
        .map(|i| TemplateSection {
            key: format!("djup{i}"),
            parent_key: (i > 1).then(|| format!("djup{}", i - 1)),
            heading: format!("Avsnitt på djup {i}"),
            guidance: format!("Skriv om djup {i}."),
            placement: Placement::BeforeCascade,
            position: i,
        })
        .collect();
    w.set_template(admin, 2025, &sections).await.unwrap();
    let mut goal_parent: Option<GoalId> = None;
    for (level, owner, number, title) in [
        (GoalLevel::Direction, city, Some("1"), "Inriktningen"),
        (GoalLevel::Area, city, Some("1.1"), "Området"),
        (GoalLevel::Board, board, None, "Nämndmålet"),
        (GoalLevel::Department, dept, None, "Avdelningsmålet"),
        (GoalLevel::Unit, unit, None, "Enhetsmålet"),
    ] {
        let g = w
            .create_goal(NewGoal {
                year: 2025,
                level,
                owner_id: owner,
                parent_id: goal_parent,
                number: number.map(Into::into),
                title: title.into(),
                position: 0,
            })
            .await
            .unwrap();
        for s in level.sections() {
            w.set_goal_text(
                g.id,
                *s,
                &format!("{title}: {}", s.heading()),
                datetime!(2024-12-01 0:00 UTC),
            )
            .await
            .unwrap();
        }
        goal_parent = Some(g.id);
    }
    let plan = w.create_plan(unit, 2025).await.unwrap();
    // The plan contains the unit's goal; the goals above it are shown with it.
    w.include(
        malkedja_store::DocRef::Plan(plan.id),
        malkedja_store::Item::Goal(goal_parent.unwrap()),
    )
    .await
    .unwrap();
    w.save_plan_section(plan.id, "djup8", "Längst ner.", 0)
        .await
        .unwrap();
    w.commit().await.unwrap();

    let app = common::reader_router(&store).await;
    let (status, body) = get(&app, &format!("/enheter/{unit}/planer/2025")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let headings = outline(&body);
    let level_of = |text: &str| {
        headings
            .iter()
            .find(|h| h.text.contains(text))
            .unwrap_or_else(|| panic!("no heading {text:?} in {headings:?}"))
            .level
    };
    for i in 1..=8u8 {
        assert_eq!(level_of(&format!("Avsnitt på djup {i}")), i + 1);
    }
    assert_eq!(level_of("Enhetsmålet"), 6);
    let unit_sections = GoalLevel::Unit.sections();
    assert!(!unit_sections.is_empty());
    let first = unit_sections[0].heading();
    let after_unit_goal = headings
        .iter()
        .skip_while(|h| !h.text.contains("Enhetsmålet"))
        .nth(1)
        .unwrap();
    assert_eq!(
        (after_unit_goal.text.as_str(), after_unit_goal.level),
        (first, 7),
        "the unit goal's sections sit under it"
    );
    for level in 7..=9 {
        assert!(
            body.contains(&format!("<div role=\"heading\" aria-level=\"{level}\"")),
            "aria-level {level}"
        );
    }
    assert_eq!(
        check_toc(&body, &headings),
        4,
        "djup1, djup2, direction, area"
    );
});

/// The pages whose footer must link the statement, with the status each answers.
async fn every_kind_of_page(store: &Store) -> Vec<(String, StatusCode)> {
    let summary = malkedja_store::demo::load(store, &|_| {})
        .await
        .unwrap()
        .expect("demo loads");
    let unit = summary.units[0].0;
    let board = store
        .org_nodes()
        .await
        .unwrap()
        .into_iter()
        .find(|n| n.kind == OrgKind::Board)
        .unwrap()
        .id;
    vec![
        ("/".into(), StatusCode::OK),
        (format!("/organisation/{board}/uppfoljning"), StatusCode::OK),
        (
            format!("/organisation/{board}/uppfoljning/2025/vb"),
            StatusCode::OK,
        ),
        (format!("/enheter/{unit}"), StatusCode::OK),
        (format!("/enheter/{unit}/planer/2025"), StatusCode::OK),
        (format!("/enheter/{unit}/planer/2026"), StatusCode::OK),
        (
            format!("/enheter/{unit}/planer/2026/historik"),
            StatusCode::OK,
        ),
        (
            format!("/enheter/{unit}/planer/2026/jamfor"),
            StatusCode::OK,
        ),
        (
            format!("/enheter/{unit}/planer/2026/kontroll"),
            StatusCode::OK,
        ),
        (format!("/enheter/{unit}/rapporter/2025/vb"), StatusCode::OK),
        (format!("/enheter/{unit}/rapporter/2026/t1"), StatusCode::OK),
        ("/tillganglighet".into(), StatusCode::OK),
        ("/logga-in".into(), StatusCode::OK),
        ("/api-nycklar".into(), StatusCode::OK),
        ("/enheter/999999".into(), StatusCode::NOT_FOUND),
        ("/finns/inte".into(), StatusCode::NOT_FOUND),
    ]
}

/// Pages for the public, of a database where the demo is already loaded: some are the
/// sign-in page.
async fn public_paths(store: &Store) -> Vec<String> {
    let unit = store
        .org_nodes()
        .await
        .unwrap()
        .into_iter()
        .find(|n| n.kind == OrgKind::Unit)
        .unwrap()
        .id;
    ["/", "/logga-in", "/api-nycklar", "/tillganglighet"]
        .into_iter()
        .map(String::from)
        .chain([
            format!("/enheter/{unit}"),
            format!("/enheter/{unit}/planer/2025"),
            format!("/enheter/{unit}/planer/2026"),
        ])
        .collect()
}

fn footer(html: &str) -> &str {
    let start = html.find("<footer").expect("a footer");
    &html[start..start + html[start..].find("</footer>").unwrap()]
}

both_backends!(
    every_page_links_the_accessibility_statement,
    |store: Store| async move {
        let pages = every_kind_of_page(&store).await;
        let app = common::reader_router(&store).await;
        for (path, expected) in pages {
            let (status, body) = get(&app, &path).await;
            assert_eq!(status, expected, "{path}");
            assert!(
                footer(&body)
                    .contains("<a href=\"/tillganglighet\">Tillgänglighetsredogörelse</a>"),
                "{path}: footer {}",
                footer(&body)
            );
            outline(&body);
        }
        // The same pages for the public: a draft is the sign-in page, in the same frame.
        let public = malkedja_web::router(store.clone());
        for path in public_paths(&store).await {
            let (status, body) = get(&public, &path).await;
            assert!(
                footer(&body).contains("Tillgänglighetsredogörelse"),
                "{path}"
            );
            if status == StatusCode::UNAUTHORIZED {
                assert!(body.contains("<h1>Logga in</h1>"), "{path}");
            }
            outline(&body);
        }
    }
);

#[tokio::test]
async fn the_statement_says_what_the_law_asks_and_marks_what_is_missing() {
    let db = malkedja_store::testing::sqlite().await;
    let app = malkedja_web::router(db.store.clone());
    let (status, body) = get(&app, "/tillganglighet").await;
    assert_eq!(status, StatusCode::OK);
    let headings = outline(&body);
    assert!(headings[0].text.starts_with("Tillgänglighetsredogörelse"));
    for text in [
        "delvis förenlig",
        "lagen (2018:1937) om tillgänglighet till digital offentlig service",
        "Myndigheten för digital förvaltning",
        "href=\"https://www.digg.se/tdosanmalan\"",
        "axe-core",
        "WCAG 2.1 nivå A och AA",
        "Tangentbord",
        "Utskrift",
        "Inloggning och roller",
        "PDF/UA",
        "sammanställningen av alla enheters rapporter",
        "självskattning",
        "<time datetime=\"",
    ] {
        assert!(body.contains(text), "the statement lacks {text:?}");
    }
    for title in [
        "Hur tillgänglig är tjänsten?",
        "Vad kan du göra om du inte kan använda delar av tjänsten?",
        "Rapportera brister i tjänstens tillgänglighet",
        "Tillsyn",
        "Teknisk information om tjänstens tillgänglighet",
        "Innehåll som inte är tillgängligt",
        "Hur vi testat Målkedja",
    ] {
        assert!(
            headings.iter().any(|h| h.text == title),
            "no heading {title:?}"
        );
    }
    // Nothing configured: marked placeholders and a notice for the operator.
    for placeholder in [
        "[Organisationens namn]",
        "[E-postadress]",
        "[Telefonnummer]",
    ] {
        assert!(
            body.contains(&format!("<span class=\"placeholder\">{placeholder}</span>")),
            "{placeholder}"
        );
    }
    assert!(body.contains("Redogörelsen är inte ifylld"));
    assert!(body.contains("--org-name"));
    assert!(!body.contains("mailto:"));
    db.finish().await;
}

#[tokio::test]
async fn the_statement_shows_the_configured_contact_details() {
    let db = malkedja_store::testing::sqlite().await;
    let settings = Settings::new(
        Some("Sjövikens <stadsdelsförvaltning>".into()),
        Some("tillganglighet@sjoviken.example".into()),
        Some("08-508 00 000".into()),
    );
    let app = malkedja_web::router_with(settings, db.store.clone());
    let (status, body) = get(&app, "/tillganglighet").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("Sjövikens &#60;stadsdelsförvaltning&#62; står bakom Målkedja")
            || body.contains("Sjövikens &lt;stadsdelsförvaltning&gt; står bakom Målkedja"),
        "the organisation, escaped"
    );
    assert!(body.contains(
        "<a href=\"mailto:tillganglighet@sjoviken.example\">tillganglighet@sjoviken.example</a>"
    ));
    assert!(body.contains("<a href=\"tel:0850800000\">08-508 00 000</a>"));
    assert!(!body.contains("class=\"placeholder\""));
    assert!(!body.contains("Redogörelsen är inte ifylld"));
    // The rest of the application is the same.
    let (status, _) = get(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    db.finish().await;
}

/// Every form control of a page's `<main>` has a label (`<label for>` naming its id), and
/// every id is used once.
fn controls_are_labelled(html: &str) -> usize {
    let main = &html[html.find("<main").expect("a <main>")..html.find("</main>").unwrap()];
    let mut ids = std::collections::HashSet::new();
    let mut checked = 0;
    for (tag, _) in tags(main) {
        if let Some(id) = attr(tag, "id") {
            assert!(ids.insert(id.to_string()), "id {id} is used twice");
        }
        let name = tag.split(' ').next().unwrap_or("");
        if !matches!(name, "input" | "select" | "textarea") || attr(tag, "type") == Some("hidden") {
            continue;
        }
        let id = attr(tag, "id").unwrap_or_else(|| panic!("a control without an id: <{tag}>"));
        assert!(
            main.contains(&format!("<label for=\"{id}\"")),
            "no label for {id}"
        );
        checked += 1;
    }
    checked
}

// Choosing what a plan takes from above and the facts of the unit, as their writer sees
// them and with errors: the outline nests, every field is labelled, the footer links the
// statement.
both_backends!(
    the_pages_for_choosing_and_facts_keep_their_outline_and_labels,
    |store: Store| async move {
        let d = common::DemoPlan::load(&store).await;
        let m = common::signed_in(&store, &d.app, common::DEMO_MANAGER).await;
        let (urval, fakta) = (d.page("urval"), d.page("fakta"));
        let form = m.get(&urval).await;
        let csrf = form.csrf();
        let version = form.value_of("name", "version").unwrap();
        let target = form
            .body
            .split("name=\"arsmal-")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .map(|id| format!("arsmal-{id}"))
            .expect("a target field");
        let error = m
            .post(
                &urval,
                &[
                    ("csrf", csrf.as_str()),
                    ("version", version.as_str()),
                    (target.as_str(), "ca 90"),
                ],
            )
            .await;
        assert_eq!(error.status, StatusCode::UNPROCESSABLE_ENTITY);
        let facts = m.get(&fakta).await;
        let facts_version = facts.value_of("name", "version").unwrap();
        let facts_error = m
            .post(
                &fakta,
                &[
                    ("csrf", csrf.as_str()),
                    ("version", facts_version.as_str()),
                    ("kvinnor-0", "12,5"),
                    ("budget", "ca 300 tkr"),
                ],
            )
            .await;
        assert_eq!(facts_error.status, StatusCode::UNPROCESSABLE_ENTITY);
        for (what, page) in [
            ("urval", &form),
            ("urval med fel", &error),
            ("fakta", &facts),
            ("fakta med fel", &facts_error),
        ] {
            assert!(
                footer(&page.body).contains("Tillgänglighetsredogörelse"),
                "{what}"
            );
            let headings = outline(&page.body);
            assert_eq!(headings[0].level, 1, "{what}");
            assert!(controls_are_labelled(&page.body) > 3, "{what}");
        }
    }
);

both_backends!(
    the_administration_and_carry_pages_keep_their_outline,
    |store: Store| async move {
        let summary = malkedja_store::demo::load(&store, &|_| {})
            .await
            .unwrap()
            .expect("demo loads");
        let unit = summary.units[0].0;
        let admin = store
            .org_nodes()
            .await
            .unwrap()
            .into_iter()
            .find(|n| n.kind == OrgKind::Administration)
            .unwrap()
            .id;
        let mut w = store.begin_write("test").await.unwrap();
        w.add_year(2027).await.unwrap();
        w.commit().await.unwrap();
        let cookie =
            common::session_cookie(&store, "admin@test.se", malkedja_domain::Role::Admin).await;
        let app = common::with_cookie(malkedja_web::router(store.clone()), cookie);
        let template = format!("/admin/mallar/{admin}/2026");
        for path in [
            "/admin/mallar".to_string(),
            template.clone(),
            format!("/admin/mallar/{admin}/2027"),
            format!("{template}/nytt"),
            format!("{template}/avsnitt/budget"),
            format!("{template}/avsnitt/budget/ta-bort"),
            format!("{template}/avsnitt/uppdrag/ta-bort"),
            "/admin/malstruktur".to_string(),
            "/admin/malstruktur?fran=2026".to_string(),
            format!("/enheter/{unit}/planer/2027/utga-fran-forra-aret"),
        ] {
            let (status, body) = get(&app, &path).await;
            assert_eq!(status, StatusCode::OK, "{path}: {body}");
            assert!(
                footer(&body).contains("Tillgänglighetsredogörelse"),
                "{path}"
            );
            outline(&body);
        }
    }
);
