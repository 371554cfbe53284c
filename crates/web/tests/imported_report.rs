//! An imported annual report belongs: the annual report of seed 001, imported with the
//! other seeds, is on its page as a filled annual report (assessments, outcomes,
//! activities' statuses, the complaints table), and its writer edits it through the page's
//! form, its manager submits it and the controller approves it into the archive, as with
//! any other report. Through the router, on both backends. What the page must show is
//! read from the seed at run time.

mod common;

use axum::http::StatusCode;
use common::{Answer, Client, signed_in};
use malkedja_domain::{
    ActivityStatus, Assessment, NodeId, OrgKind, PlanStatus, ReportKind, Role, RoleGrant,
};
use malkedja_import::ImportDocument;
use malkedja_store::{DocRef, FrozenPart, Store, both_backends};

const WRITER: &str = "skribent@prov.se";
const MANAGER: &str = "enhetschef@prov.se";
const CONTROLLER: &str = "controller@prov.se";

/// Text as askama writes it into a page.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

/// Every seed, parsed, in name order, and the index of seed 001 among them; `None` (with a
/// notice) when the seeds are not here.
fn seeds() -> Option<(Vec<ImportDocument>, usize)> {
    let files = malkedja_store::testing::seed_files()?;
    let annual = files
        .iter()
        .position(|(name, _)| {
            std::path::Path::new(name)
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("001_"))
        })
        .expect("seed 001 among the seeds");
    let docs = files
        .iter()
        .map(|(_, bytes)| malkedja_import::parse_bytes(bytes).expect("a seed parses"))
        .collect();
    Some((docs, annual))
}

/// A person with one role on one node, signed in.
async fn person(
    store: &Store,
    app: &axum::Router,
    email: &str,
    role: Role,
    node: NodeId,
) -> Client {
    let hash = malkedja_store::password::hash(common::PASSWORD)
        .await
        .unwrap();
    let mut w = store.begin_write("test").await.unwrap();
    let account = w.add_account(email, "Provperson", &hash).await.unwrap();
    w.grant_role(
        account.id,
        RoleGrant {
            role,
            node_id: node,
        },
    )
    .await
    .unwrap();
    w.commit().await.unwrap();
    signed_in(store, app, email).await
}

/// The value of the `version` field of the form that posts to `action`.
fn form_version(page: &Answer, action: &str) -> String {
    let marker = format!("action=\"{action}\"");
    let at = page
        .body
        .find(&marker)
        .unwrap_or_else(|| panic!("no form to {action}: {}", page.body));
    let rest = &page.body[at..];
    let marker = "name=\"version\" value=\"";
    let v = rest.find(marker).expect("a version") + marker.len();
    rest[v..v + rest[v..].find('"').unwrap()].to_string()
}

/// How many times `needle` occurs in `hay`.
fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

both_backends!(
    an_imported_annual_report_is_written_submitted_and_approved_like_any_other,
    |store: Store| async move {
        let Some((docs, annual)) = seeds() else {
            return;
        };
        let seed = &docs[annual];
        assert_eq!(seed.kind, malkedja_import::DocumentKind::AnnualReport);
        // The administrator imports the year's documents, the annual report among them.
        let mut w = store.begin_write("import").await.unwrap();
        let mut unit = None;
        for (i, d) in docs.iter().enumerate() {
            let summary = malkedja_store::import::import_document(&mut w, d, &Default::default())
                .await
                .unwrap();
            if i == annual {
                unit = Some(NodeId(summary.unit_id));
            }
        }
        w.commit().await.unwrap();
        let unit = unit.unwrap();
        let year = seed.year;
        let app = malkedja_web::router(store.clone());
        let chain = store.chain(unit).await.unwrap();
        let administration = chain
            .iter()
            .find(|n| n.kind == OrgKind::Administration)
            .expect("an administration above the unit")
            .id;
        let writer = person(&store, &app, WRITER, Role::UnitWriter, unit).await;
        let manager = person(&store, &app, MANAGER, Role::UnitManager, unit).await;
        let controller = person(&store, &app, CONTROLLER, Role::Controller, administration).await;
        let href = format!(
            "/enheter/{unit}/rapporter/{year}/{}",
            ReportKind::AnnualReport.slug()
        );

        // The unit's page leads to it; its page is the annual report, filled in, open for
        // writing.
        let unit_page = writer.get(&format!("/enheter/{unit}")).await;
        assert!(
            unit_page.body.contains(&format!("href=\"{href}\"")),
            "{}",
            unit_page.body
        );
        let page = writer.get(&href).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let body = &page.body;
        assert!(body.contains(&format!("Verksamhetsberättelse {year}")));
        assert!(body.contains("Utkast"), "an imported report is a draft");
        // Every goal's assessment and analysis as the seed has them, in the goal's form.
        let assessed: Vec<_> = seed
            .goals
            .iter()
            .filter(|g| g.assessment.is_some() && !g.level.is_council())
            .collect();
        assert!(!assessed.is_empty(), "seed 001 assesses goals");
        for a in [
            Assessment::Met,
            Assessment::PartlyMet,
            Assessment::NotMet,
            Assessment::NoData,
        ] {
            let n = assessed.iter().filter(|g| g.assessment == Some(a)).count();
            assert_eq!(
                count(body, &format!("<option value=\"{}\" selected>", a.code())),
                n,
                "goals assessed {}",
                a.label()
            );
        }
        // The council's goals, which the unit does not assess in the page, show the
        // imported assessment as written.
        for a in [
            Assessment::Met,
            Assessment::PartlyMet,
            Assessment::NotMet,
            Assessment::NoData,
        ] {
            let n = seed
                .goals
                .iter()
                .filter(|g| g.level.is_council() && g.assessment == Some(a))
                .count();
            assert_eq!(
                count(
                    body,
                    &format!("class=\"assessment assessment-{}\"", a.code())
                ),
                n,
                "council goals assessed {}",
                a.label()
            );
        }
        for g in &assessed {
            if let Some(analysis) = g.analysis.as_deref().filter(|t| !t.trim().is_empty()) {
                assert!(
                    body.contains(&format!("{}</textarea>", esc(analysis))),
                    "the analysis of {:?}",
                    g.title
                );
            }
        }
        // Every indicator's outcome, women and men, in its form.
        let measured: Vec<_> = seed
            .indicators
            .iter()
            .filter(|i| i.outcome.is_some())
            .collect();
        assert!(!measured.is_empty(), "seed 001 has outcomes");
        for i in &measured {
            for (field, value) in [
                ("utfall", &i.outcome),
                ("kvinnor", &i.outcome_women),
                ("man", &i.outcome_men),
            ] {
                if let Some(v) = value {
                    assert!(
                        body.contains(&format!("name=\"{field}\" value=\"{}\"", esc(v))),
                        "{field} of {:?}: {v:?}",
                        i.name
                    );
                }
            }
        }
        // Every activity's status.
        for s in [
            ActivityStatus::NotStarted,
            ActivityStatus::Ongoing,
            ActivityStatus::Done,
            ActivityStatus::Deviation,
        ] {
            let n = seed
                .activities
                .iter()
                .filter(|a| a.status == Some(s))
                .count();
            assert_eq!(
                count(body, &format!("<option value=\"{}\" selected>", s.code())),
                n,
                "activities {s:?}"
            );
        }
        assert!(seed.activities.iter().any(|a| a.status.is_some()));
        // The complaints table, row by row.
        assert!(
            !seed.complaints.is_empty(),
            "seed 001 has a complaints table"
        );
        assert!(body.contains("Redovisning av synpunkter och klagomål"));
        let n = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        for c in &seed.complaints {
            let row = format!(
                "<td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                esc(&c.category),
                n(c.t1),
                n(c.t2),
                n(c.annual),
                n(c.total),
                esc(c.assessment.as_deref().unwrap_or_default())
            );
            assert!(body.contains(&row), "the complaints row {row}");
        }

        // The writer changes an assessment through the page's form.
        let doc = store
            .report_document(unit, year, ReportKind::AnnualReport)
            .await
            .unwrap()
            .expect("the imported report");
        let report_id = doc.report.id;
        let (goal, before) = doc
            .goals
            .iter()
            .flat_map(|g| g.walk())
            .filter(|g| !g.goal.level.is_council())
            .find_map(|g| {
                doc.assessments
                    .get(&g.goal.id)
                    .and_then(|a| a.assessment)
                    .map(|a| (g.goal.id, a))
            })
            .expect("an assessed goal");
        let changed = if before == Assessment::NotMet {
            Assessment::PartlyMet
        } else {
            Assessment::NotMet
        };
        let action = format!("{href}/mal/{goal}");
        let version = form_version(&page, &action);
        let a = writer
            .post(
                &action,
                &[
                    ("csrf", &page.csrf()),
                    ("version", &version),
                    ("bedomning", changed.code()),
                    ("analys", "Bedömningen är ändrad efter importen."),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let page = writer.get(a.location()).await;
        assert!(
            page.body.contains("Bedömningen är sparad."),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains("Bedömningen är ändrad efter importen.</textarea>")
        );
        let stored = store
            .report_document(unit, year, ReportKind::AnnualReport)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.assessments[&goal].assessment, Some(changed));

        // The check lists what must be fixed before it is submitted, each error leading
        // to its form on the page (the seed has a deviation without an analysis; its goals
        // assessed Inga data without one only warn); the writer writes them there. The
        // council's goals are not among them: the unit does not assess those.
        let check = writer.get(&format!("{href}/kontroll")).await;
        assert_eq!(check.status, StatusCode::OK, "{}", check.body);
        let errors = check
            .body
            .split("id=\"fel-rubrik\"")
            .nth(1)
            .and_then(|rest| rest.split("</section>").next())
            .unwrap_or_default();
        let page = writer.get(&href).await;
        let mut fixed = 0;
        for (anchor, path) in [("bedomning-", "mal"), ("status-", "aktiviteter")] {
            let marker = format!("href=\"{href}#{anchor}");
            for rest in errors.split(&marker).skip(1) {
                let id: i64 = rest[..rest.find('"').unwrap()].parse().unwrap();
                assert!(
                    page.body.contains(&format!("id=\"{anchor}{id}\"")),
                    "the check leads to {anchor}{id} on the page"
                );
                let action = format!("{href}/{path}/{id}");
                let version = form_version(&page, &action);
                let choice = if path == "mal" {
                    let a = stored.assessments[&malkedja_domain::GoalId(id)].assessment;
                    assert!(
                        stored
                            .goals
                            .iter()
                            .flat_map(|g| g.walk())
                            .any(|g| g.goal.id.0 == id && !g.goal.level.is_council()),
                        "a council goal is not the unit's to assess"
                    );
                    ("bedomning", a.expect("assessed").code())
                } else {
                    ("status", ActivityStatus::Deviation.code())
                };
                let a = writer
                    .post(
                        &action,
                        &[
                            ("csrf", &page.csrf()),
                            ("version", &version),
                            choice,
                            ("analys", "Skrivet efter importen."),
                        ],
                    )
                    .await;
                assert_eq!(a.status, StatusCode::SEE_OTHER, "{action}: {}", a.body);
                fixed += 1;
            }
        }
        assert!(
            fixed > 0,
            "the check finds errors in the imported report: {errors}"
        );
        let check = writer.get(&format!("{href}/kontroll")).await;
        assert!(!check.body.contains("finding-error"), "{}", check.body);
        assert!(
            check.body.contains("Inga data utan förklaring"),
            "{}",
            check.body
        );

        // The manager submits it through the workflow; the controller approves it.
        let page = manager.get(&href).await;
        let status = format!("{href}/status");
        let a = manager
            .post(
                &status,
                &[
                    ("csrf", &page.csrf()),
                    ("to", "submitted"),
                    ("version", &form_version(&page, &status)),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let page = controller.get(&href).await;
        assert!(page.body.contains("Inskickad"), "{}", page.body);
        let a = controller
            .post(
                &status,
                &[
                    ("csrf", &page.csrf()),
                    ("to", "approved"),
                    ("version", &form_version(&page, &status)),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let r = store.report_by_id(report_id).await.unwrap().unwrap();
        assert_eq!(r.report.status, PlanStatus::Approved);
        // Sent in again from the approved report's address: refused in words that name
        // the annual report.
        let csrf = manager.get(&href).await.csrf();
        let a = manager
            .post(
                &status,
                &[
                    ("csrf", &csrf),
                    ("to", "submitted"),
                    ("version", &r.report.version.to_string()),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
        assert!(
            a.body
                .contains("Verksamhetsberättelsen är fastställd och kan inte skickas in."),
            "{}",
            a.body
        );

        // Frozen at its approval, and served from that copy to anyone.
        let copies = store
            .frozen_copies(DocRef::Report(report_id))
            .await
            .unwrap();
        assert_eq!(copies.len(), 1, "{copies:?}");
        let steps = store.report_transitions(report_id).await.unwrap();
        assert_eq!(copies[0].approval, steps.last().unwrap().id);
        assert_eq!(copies[0].approved_by, CONTROLLER);
        let visitor = Client::new(&app);
        let public = visitor.get(&href).await;
        assert_eq!(public.status, StatusCode::OK, "{}", public.body);
        assert!(public.body.contains("Fastställd"));
        assert!(
            public
                .body
                .contains("Bedömningen är ändrad efter importen.")
        );
        assert!(public.body.contains(&esc(&seed.complaints[0].category)));
        let (_, html) = store
            .frozen_part(DocRef::Report(report_id), FrozenPart::Html)
            .await
            .unwrap()
            .expect("the copy's page");
        let html = String::from_utf8(html).unwrap();
        let (head, main) = html
            .split_once("<!-- malkedja:arbetsgang -->")
            .expect("the marker of the live parts");
        assert!(
            public.body.contains(head) && public.body.contains(main),
            "served from the copy"
        );
        let (_, json) = store
            .frozen_part(DocRef::Report(report_id), FrozenPart::Json)
            .await
            .unwrap()
            .expect("the copy's JSON");
        let api = visitor
            .get(&format!(
                "/api/v1/units/{unit}/reports/{year}/annual_report"
            ))
            .await;
        assert_eq!(api.status, StatusCode::OK);
        assert_eq!(api.bytes, json, "the API answers the copy");
        assert!(
            !public.body.contains("name=\"bedomning\""),
            "no forms on the approved report"
        );
    }
);
