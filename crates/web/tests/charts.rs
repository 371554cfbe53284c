//! Indicator history: the chart page of an indicator for a unit (public for approved
//! outcomes, preliminary figures only for those who may read drafts), and last year's
//! annual outcome that the system fills in beside this year's in a report.

mod common;

use axum::http::Method;
use common::{Client, signed_in, with_token};
use malkedja_domain::{Measure, NodeId};
use malkedja_store::{Store, both_backends};
use serde_json::Value;

const UNIT: &str = "Enheten för socialpsykiatriskt stöd";
const MANAGER: &str = "enhetschef@demo.malkedja.se";

async fn demo(store: &Store) -> (axum::Router, NodeId) {
    let summary = malkedja_store::demo::load(store, &|_| {})
        .await
        .unwrap()
        .expect("demo loads");
    let unit = summary
        .units
        .iter()
        .find(|(_, n)| n == UNIT)
        .expect("the demo unit")
        .0;
    (malkedja_web::router(store.clone()), unit)
}

fn indicators(report: &Value) -> Vec<Value> {
    fn walk(goals: &Value, out: &mut Vec<Value>) {
        for g in goals.as_array().into_iter().flatten() {
            out.extend(g["indicators"].as_array().into_iter().flatten().cloned());
            walk(&g["children"], out);
        }
    }
    let mut out = Vec::new();
    walk(&report["goals"], &mut out);
    out
}

/// The number a text states ("58,84 %" is 58.84), as text.
fn number(v: &Value) -> Option<String> {
    Some(Measure::parse(v.as_str()?).value?.normalize().to_string())
}

both_backends!(
    an_indicator_history_is_a_chart_with_its_table,
    |store: Store| async move {
        let (app, unit) = demo(&store).await;
        let anonymous = Client::new(&app);
        let annual = anonymous
            .get(&format!("/api/v1/units/{unit}/reports/2025/annual_report"))
            .await;
        assert_eq!(annual.status, 200, "{}", annual.body);
        let annual = annual.json();
        let with_outcome = indicators(&annual)
            .into_iter()
            .find(|i| number(&i["outcome"]["text"]).is_some())
            .expect("an indicator with a numeric outcome in the approved annual report");
        let id = with_outcome["id"].as_i64().unwrap();
        let page = anonymous
            .get(&format!("/enheter/{unit}/indikatorer/{id}"))
            .await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("<svg"), "{}", page.body);
        assert!(page.body.contains(r#"role="img""#));
        assert!(
            page.body
                .contains(&format!("<title id=\"diagram-{id}-title\">"))
        );
        assert!(
            page.body.contains("<th scope=\"row\">Helår 2025</th>"),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains("Här visas utfall ur fastställda rapporter."),
            "the public sees approved outcomes only"
        );

        // Addresses that name nothing.
        assert_eq!(
            anonymous
                .get(&format!("/enheter/{unit}/indikatorer/999999"))
                .await
                .status,
            404
        );
        assert_eq!(
            anonymous
                .get(&format!("/enheter/{unit}/indikatorer/x"))
                .await
                .status,
            400
        );
        assert_eq!(
            anonymous.get("/enheter/999999/indikatorer/1").await.status,
            404
        );

        // The 2026 T1 report is a draft: its figures are preliminary, for its writers only.
        let manager = with_token(&store, &app, MANAGER).await;
        let t1 = manager
            .json(
                Method::GET,
                &format!("/api/v1/units/{unit}/reports/2026/tertial1"),
                None,
            )
            .await;
        assert_eq!(t1.status, 200, "{}", t1.body);
        let t1 = t1.json();
        let drafted = indicators(&t1)
            .into_iter()
            .find(|i| number(&i["outcome"]["text"]).is_some());
        if let Some(i) = drafted {
            let path = format!("/enheter/{unit}/indikatorer/{}", i["id"]);
            let public = anonymous.get(&path).await.body;
            assert!(
                !public.contains("T1 2026"),
                "a draft's figure is not public"
            );
            let writer = signed_in(&store, &app, MANAGER).await;
            let own = writer.get(&path).await.body;
            assert!(own.contains("T1 2026 (preliminärt)"), "{own}");
        }

        // Last year's annual outcome is filled in by the system where the report does not
        // state it: an indicator of the same owner and name in 2025's annual report.
        let last_year: std::collections::HashMap<String, String> = indicators(&annual)
            .into_iter()
            .filter_map(|i| {
                Some((
                    i["name"].as_str()?.to_lowercase(),
                    number(&i["outcome"]["text"])?,
                ))
            })
            .collect();
        let mut filled = 0;
        for i in indicators(&t1) {
            let name = i["name"].as_str().unwrap().to_lowercase();
            if let Some(expected) = last_year.get(&name) {
                assert_eq!(
                    number(&i["previous"]),
                    Some(expected.clone()),
                    "{name}: {i}"
                );
                filled += 1;
            }
        }
        assert!(filled > 0, "some indicator continues from 2025");
    }
);

/// The charts in a page: each figure's id ("diagram-…"), in the page's order.
fn figures(body: &str) -> Vec<String> {
    body.split("<figure class=\"chart-figure\" aria-labelledby=\"")
        .skip(1)
        .filter_map(|rest| Some(rest.split_once("-caption\"")?.0.to_string()))
        .collect()
}

both_backends!(
    reports_and_roll_ups_show_the_course_of_their_indicators,
    |store: Store| async move {
        let (app, unit) = demo(&store).await;
        let anonymous = Client::new(&app);

        // The approved annual report (its archive copy) charts each indicator with figures
        // in at least two periods, titled, with its table.
        let page = anonymous
            .get(&format!("/enheter/{unit}/rapporter/2025/vb"))
            .await;
        assert_eq!(page.status, 200, "{}", page.body);
        let charts = figures(&page.body);
        assert!(!charts.is_empty(), "{}", page.body);
        let unique: std::collections::HashSet<&String> = charts.iter().collect();
        assert_eq!(unique.len(), charts.len(), "ids are unique on the page");
        assert!(page.body.contains("Utfall över tid: "));
        assert!(page.body.contains("Visa siffrorna som tabell"));
        assert!(page.body.contains("<th scope=\"row\">Helår 2024</th>"));

        // The draft T1 2026 as its writer sees it: the chart beside the outcome's form.
        let manager = signed_in(&store, &app, MANAGER).await;
        let t1 = manager
            .get(&format!("/enheter/{unit}/rapporter/2026/t1"))
            .await;
        assert_eq!(t1.status, 200, "{}", t1.body);
        assert!(t1.body.contains("Spara utfallet"));
        assert!(t1.body.contains("<details class=\"chart-history\">"));
        assert!(!figures(&t1.body).is_empty());

        // The roll-up of the board: the summed indicators' course, and every listed
        // outcome links to the unit's own chart.
        let board = store
            .org_nodes()
            .await
            .unwrap()
            .into_iter()
            .find(|n| n.kind == malkedja_domain::OrgKind::Board)
            .unwrap();
        let rollup = anonymous
            .get(&format!("/organisation/{}/uppfoljning/2025/vb", board.id))
            .await;
        assert_eq!(rollup.status, 200, "{}", rollup.body);
        assert!(
            rollup.body.contains("Summerade indikatorer över tid"),
            "{}",
            rollup.body
        );
        assert!(rollup.body.contains(", summerat över enheterna"));
        assert!(!figures(&rollup.body).is_empty());
        let link = format!("href=\"/enheter/{unit}/indikatorer/");
        assert!(rollup.body.contains(&link), "{}", rollup.body);
        let href = rollup.body.split(&link).nth(1).unwrap();
        let id = &href[..href.find('"').unwrap()];
        let unit_chart = anonymous
            .get(&format!("/enheter/{unit}/indikatorer/{id}"))
            .await;
        assert_eq!(unit_chart.status, 200, "{}", unit_chart.body);
    }
);
