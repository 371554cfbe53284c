//! Writing follow-up reports in the pages, through the router, on both backends, with the
//! demo's people: creating a report from the approved plan (and the message without one),
//! each form of the report's page (an assessment beside its suggestion, an outcome with
//! women and men, an activity's status, a section, the economy) with its conflict page and
//! its refusal of bad input that keeps what was typed, the report check, ready marks, the
//! workflow with the frozen copy at approval, the history with restoring, and "Mitt
//! arbete"; and who may not: a reader or another unit's writer gets 403, a visitor the
//! sign-in page.

mod common;

use axum::http::StatusCode;
use common::{Answer, Client, signed_in};
use malkedja_domain::{
    ActivityId, CascadeGoal, GoalId, IndicatorId, NodeId, PlanStatus, ReportDocument, ReportKind,
    Role, RoleGrant, ValueKind,
};
use malkedja_store::{DocRef, Store, both_backends};

const UNIT: &str = "Enheten för socialpsykiatriskt stöd";
const MANAGER: &str = "enhetschef@demo.malkedja.se";
const WRITER: &str = "skribent@demo.malkedja.se";
const CONTROLLER: &str = "controller@demo.malkedja.se";
const ADMIN: &str = "admin@demo.malkedja.se";
const READER: &str = "lasare@demo.malkedja.se";

struct Demo {
    app: axum::Router,
    unit: NodeId,
}

/// The demo's plans without its follow-up: 2025's plans are approved and its reports are
/// written here from the start.
async fn demo(store: &Store) -> Demo {
    let summary = malkedja_store::demo::load_plans(store, &|_| {})
        .await
        .unwrap()
        .expect("demo loads");
    let unit = summary
        .units
        .iter()
        .find(|(_, n)| n == UNIT)
        .expect("the demo unit")
        .0;
    Demo {
        app: malkedja_web::router(store.clone()),
        unit,
    }
}

/// A person whose only role is writing another unit's texts.
async fn other_units_writer(store: &Store, app: &axum::Router, unit: NodeId) -> Client {
    let other = store
        .org_nodes()
        .await
        .unwrap()
        .into_iter()
        .find(|n| n.kind == malkedja_domain::OrgKind::Unit && n.id != unit)
        .expect("another unit");
    let hash = malkedja_store::password::hash(common::PASSWORD)
        .await
        .unwrap();
    let mut w = store.begin_write("test").await.unwrap();
    let account = w
        .add_account("annan@test.se", "Annan enhet", &hash)
        .await
        .unwrap();
    w.grant_role(
        account.id,
        RoleGrant {
            role: Role::UnitWriter,
            node_id: other.id,
        },
    )
    .await
    .unwrap();
    w.commit().await.unwrap();
    signed_in(store, app, "annan@test.se").await
}

fn report_href(unit: NodeId, year: i32, kind: ReportKind) -> String {
    format!("/enheter/{unit}/rapporter/{year}/{}", kind.slug())
}

async fn report(store: &Store, unit: NodeId, year: i32, kind: ReportKind) -> ReportDocument {
    store
        .report_document(unit, year, kind)
        .await
        .unwrap()
        .expect("the report")
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

/// Creates the unit's report through its page, as its manager.
async fn create(manager: &Client, unit: NodeId, year: i32, kind: ReportKind) -> String {
    let href = report_href(unit, year, kind);
    let offer = manager.get(&href).await;
    assert_eq!(offer.status, StatusCode::NOT_FOUND, "{}", offer.body);
    let a = manager.post(&href, &[("csrf", &offer.csrf())]).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(a.location(), href);
    href
}

fn followed_goal(doc: &ReportDocument) -> &CascadeGoal {
    doc.goals
        .iter()
        .flat_map(CascadeGoal::walk)
        .find(|g| malkedja_domain::followed_up(g) && !g.indicators.is_empty())
        .expect("a goal the unit follows up, with indicators")
}

both_backends!(
    a_report_is_created_from_the_approved_plan_on_its_page,
    |store: Store| async move {
        let d = demo(&store).await;
        let manager = signed_in(&store, &d.app, MANAGER).await;
        let reader = signed_in(&store, &d.app, READER).await;
        let outsider = other_units_writer(&store, &d.app, d.unit).await;
        let visitor = Client::new(&d.app);
        let t1 = report_href(d.unit, 2025, ReportKind::Tertial1);

        // The unit page offers the reports of the approved plan, and says why not for
        // the draft's.
        let unit_page = manager.get(&format!("/enheter/{}", d.unit)).await;
        assert!(
            unit_page.body.contains("Skapa tertialrapport 1 2025"),
            "{}",
            unit_page.body
        );
        assert!(
            unit_page
                .body
                .contains("Rapporterna skapas från planen när den är fastställd.")
        );
        let readers_view = reader.get(&format!("/enheter/{}", d.unit)).await;
        assert!(!readers_view.body.contains("Skapa tertialrapport"));

        // The report's address offers it to a writer; a reader meets the plain 404.
        let offer = manager.get(&t1).await;
        assert_eq!(offer.status, StatusCode::NOT_FOUND);
        assert!(
            offer.body.contains("Skapa tertialrapport 1 2025"),
            "{}",
            offer.body
        );
        assert!(offer.body.contains(&format!("action=\"{t1}\"")));
        let a = reader.get(&t1).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND);
        assert!(!a.body.contains("Skapa tertialrapport"));

        // Without an approved plan: why, in Swedish, and no button.
        let t2_2026 = report_href(d.unit, 2026, ReportKind::Tertial2);
        let a = manager.get(&t2_2026).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND);
        assert!(
            a.body
                .contains("skapas från den fastställda verksamhetsplanen för 2026"),
            "{}",
            a.body
        );
        assert!(!a.body.contains("Skapa tertialrapport 2 2026"));
        let a = manager.post(&t2_2026, &[("csrf", &offer.csrf())]).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        assert!(
            a.body.contains("ingen fastställd verksamhetsplan för 2026"),
            "{}",
            a.body
        );

        // Who may not: a visitor signs in first, a reader and another unit's writer 403.
        let a = visitor.post(&t1, &[]).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        let a = reader
            .post(&t1, &[("csrf", &reader.get("/").await.csrf())])
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
        let a = outsider
            .post(&t1, &[("csrf", &outsider.get("/").await.csrf())])
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
        // Without the form's token: refused before anything happens.
        let a = manager.post(&t1, &[]).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        assert!(
            store
                .report_of(d.unit, 2025, ReportKind::Tertial1)
                .await
                .unwrap()
                .is_none()
        );

        // Created: the page is where it is written.
        let href = create(&manager, d.unit, 2025, ReportKind::Tertial1).await;
        let page = manager.get(&href).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("Spara bedömningen"));
        assert!(page.body.contains("Spara utfallet"));
        assert!(page.body.contains("Förslag utifrån utfall och aktiviteter"));
        assert!(page.body.contains("Skicka in rapporten"));
        // Creating it again is harmless: back to it.
        let a = manager.post(&href, &[("csrf", &page.csrf())]).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        // The reader of another unit may not read the draft at all; a visitor signs in.
        assert_eq!(reader.get(&href).await.status, StatusCode::FORBIDDEN);
        assert_eq!(visitor.get(&href).await.status, StatusCode::UNAUTHORIZED);

        // Mitt arbete lists it with its status and parts, and offers the next report.
        let start = manager.get("/").await;
        assert!(
            start.body.contains("Rapporter att skriva"),
            "{}",
            start.body
        );
        assert!(
            start
                .body
                .contains(&format!("Tertialrapport 1 2025 – {UNIT}"))
        );
        assert!(start.body.contains("Skapa tertialrapport 2 2025"));
    }
);

both_backends!(
    the_forms_of_a_report_keep_what_was_typed,
    |store: Store| async move {
        let d = demo(&store).await;
        let manager = signed_in(&store, &d.app, MANAGER).await;
        let writer = signed_in(&store, &d.app, WRITER).await;
        let reader = signed_in(&store, &d.app, READER).await;
        let outsider = other_units_writer(&store, &d.app, d.unit).await;
        let visitor = Client::new(&d.app);
        let href = create(&manager, d.unit, 2025, ReportKind::Tertial1).await;
        let doc = report(&store, d.unit, 2025, ReportKind::Tertial1).await;
        let goal = followed_goal(&doc).goal.id;
        let page = manager.get(&href).await;
        let csrf = page.csrf();

        // The assessment: saved, confirmed at the goal.
        let action = format!("{href}/mal/{goal}");
        assert_eq!(form_version(&page, &action), "0");
        let a = manager
            .post(
                &action,
                &[
                    ("csrf", &csrf),
                    ("version", "0"),
                    ("bedomning", "partly_met"),
                    ("analysis", ""),
                    ("analys", "Hälften av målen är nådda."),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(
            a.location(),
            format!("{href}?sparat=mal-{goal}#bedomning-{goal}")
        );
        let saved = manager.get(a.location()).await;
        assert!(saved.body.contains("Bedömningen är sparad."));
        assert_eq!(form_version(&saved, &action), "1");

        // Someone else saved meanwhile: the conflict page shows both, keeps the writer's.
        let a = writer
            .post(
                &action,
                &[
                    ("csrf", &writer.get(&href).await.csrf()),
                    ("version", "0"),
                    ("bedomning", "met"),
                    ("analys", "Allt gick bra."),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
        assert!(a.body.contains("Någon annan har sparat medan du skrev"));
        assert!(a.body.contains("Allt gick bra."));
        assert!(a.body.contains("Hälften av målen är nådda."));
        assert_eq!(a.hidden("version"), "1");
        // A bad choice is refused with the text kept.
        let a = manager
            .post(
                &action,
                &[
                    ("csrf", &csrf),
                    ("version", "1"),
                    ("bedomning", "kanske"),
                    ("analys", "Min text."),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(a.body.contains("Välj en av bedömningarna"));
        assert!(a.body.contains("Min text."));
        // Its own page (where the check leads) shows the suggestion and its reasons.
        let own = manager.get(&action).await;
        assert_eq!(own.status, StatusCode::OK);
        assert!(own.body.contains("Förslag utifrån utfall och aktiviteter"));
        assert!(own.body.contains("Skäl"));

        // An outcome that is not a number: refused, kept, with the Swedish message.
        let indicator = doc
            .goals
            .iter()
            .flat_map(CascadeGoal::walk)
            .flat_map(|g| &g.indicators)
            .find(|v| v.indicator.value_kind == ValueKind::Percent && v.indicator.by_sex)
            .expect("a percentage reported for women and men")
            .indicator
            .id;
        let action = format!("{href}/indikatorer/{indicator}");
        let a = manager
            .post(
                &action,
                &[("csrf", &csrf), ("version", "0"), ("utfall", "ca 30")],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        assert!(a.body.contains("”ca 30” är inget tal"), "{}", a.body);
        assert!(a.body.contains("value=\"ca 30\""));
        assert!(a.body.contains("aria-invalid=\"true\""));
        let a = manager
            .post(
                &action,
                &[
                    ("csrf", &csrf),
                    ("version", "0"),
                    ("utfall", "58,84 %"),
                    ("kvinnor", "60 %"),
                    ("man", "55 %"),
                    ("analys", "Lägre än målet."),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let saved = manager.get(a.location()).await;
        assert!(saved.body.contains("Utfallet för"));
        // The status against the target is computed and shown, never typed.
        assert!(
            saved.body.contains("target-status"),
            "a status against the target: {}",
            saved.body
        );
        let stored = report(&store, d.unit, 2025, ReportKind::Tertial1).await;
        let o = &stored.outcomes[&indicator];
        assert_eq!(o.women.as_deref(), Some("60 %"));
        assert_eq!(o.outcome.as_ref().unwrap().text, "58,84 %");

        // A count: women and men together may not be more than the total.
        let count: IndicatorId = doc
            .goals
            .iter()
            .flat_map(CascadeGoal::walk)
            .flat_map(|g| &g.indicators)
            .find(|v| v.indicator.value_kind == ValueKind::Number && v.indicator.by_sex)
            .expect("a count reported for women and men")
            .indicator
            .id;
        let a = manager
            .post(
                &format!("{href}/indikatorer/{count}"),
                &[
                    ("csrf", &csrf),
                    ("version", "0"),
                    ("utfall", "12"),
                    ("kvinnor", "7"),
                    ("man", "6"),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            a.body.contains("tillsammans 13, fler än utfallet 12"),
            "{}",
            a.body
        );
        assert!(a.body.contains("value=\"7\"") && a.body.contains("value=\"6\""));

        // A deviation needs an analysis.
        let activity: ActivityId = doc
            .goals
            .iter()
            .flat_map(CascadeGoal::walk)
            .flat_map(|g| &g.activities)
            .next()
            .expect("an activity")
            .id;
        let action = format!("{href}/aktiviteter/{activity}");
        let a = manager
            .post(
                &action,
                &[
                    ("csrf", &csrf),
                    ("version", "0"),
                    ("status", "deviation"),
                    ("analys", " "),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            a.body.contains("Beskriv avvikelsen i en analys"),
            "{}",
            a.body
        );
        assert!(a.body.contains("<option value=\"deviation\" selected>"));
        let a = manager
            .post(
                &action,
                &[
                    ("csrf", &csrf),
                    ("version", "0"),
                    ("status", "deviation"),
                    ("analys", "En tjänst var vakant under våren."),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);

        // A section of the report template, with the plan's conflict page.
        let action = format!("{href}/avsnitt/sammanfattande-analys");
        let form = manager.get(&action).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        let a = manager
            .post(
                &action,
                &[
                    ("csrf", &csrf),
                    ("version", "0"),
                    ("body", "Ett bra tertial."),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let a = writer
            .post(
                &action,
                &[
                    ("csrf", &writer.get(&href).await.csrf()),
                    ("version", "0"),
                    ("body", "Min sammanfattning."),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::CONFLICT);
        assert!(a.body.contains("Ett bra tertial."));
        assert!(a.body.contains("Min sammanfattning."));

        // T1 has no economy; T2 is prefilled from T1 and has one.
        assert_eq!(
            manager.get(&format!("{href}/ekonomi")).await.status,
            StatusCode::NOT_FOUND
        );
        let t2 = create(&manager, d.unit, 2025, ReportKind::Tertial2).await;
        let page = manager.get(&t2).await;
        assert!(
            page.body.contains("Förifyllt från tertialrapport 1"),
            "{}",
            page.body
        );
        let economy = manager.get(&format!("{t2}/ekonomi")).await;
        assert_eq!(economy.status, StatusCode::OK, "{}", economy.body);
        let op = store
            .report_economy(
                report(&store, d.unit, 2025, ReportKind::Tertial2)
                    .await
                    .report
                    .id,
            )
            .await
            .unwrap()
            .lines[0]
            .operation_id;
        let a = manager
            .post(
                &format!("{t2}/ekonomi"),
                &[
                    ("csrf", &csrf),
                    ("version", "0"),
                    (&format!("budget-{op}"), "ca 300 tkr"),
                    ("analys", "Prognosen håller."),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            a.body.contains("”ca 300 tkr” är inget belopp"),
            "{}",
            a.body
        );
        assert!(a.body.contains("value=\"ca 300 tkr\""));
        assert!(a.body.contains("Prognosen håller."));
        let a = manager
            .post(
                &format!("{t2}/ekonomi"),
                &[
                    ("csrf", &csrf),
                    ("version", "0"),
                    (&format!("budget-{op}"), "300 tkr"),
                    (&format!("prognos-{op}"), "280 tkr"),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let page = manager.get(a.location()).await;
        assert!(page.body.contains("Ekonomin är sparad."));
        assert!(
            page.body.contains("20\u{a0}tkr"),
            "the deviation is computed, printed as every form prints it: {}",
            page.body
        );

        // Who may not write: a reader and another unit's writer 403, a visitor signs in.
        let goal_form = format!("{href}/mal/{goal}");
        assert_eq!(reader.get(&goal_form).await.status, StatusCode::FORBIDDEN);
        assert_eq!(outsider.get(&goal_form).await.status, StatusCode::FORBIDDEN);
        assert_eq!(
            visitor.get(&goal_form).await.status,
            StatusCode::UNAUTHORIZED
        );
        let a = outsider
            .post(
                &goal_form,
                &[
                    ("csrf", &outsider.get("/").await.csrf()),
                    ("version", "1"),
                    ("bedomning", "met"),
                    ("analys", "x"),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        for path in [
            format!("{href}/indikatorer/{indicator}"),
            format!("{href}/aktiviteter/{activity}"),
            format!("{href}/avsnitt/sammanfattande-analys"),
            format!("{t2}/ekonomi"),
            format!("{href}/historik"),
            format!("{href}/kontroll"),
        ] {
            assert_eq!(
                reader.get(&path).await.status,
                StatusCode::FORBIDDEN,
                "{path}"
            );
            assert_eq!(
                visitor.get(&path).await.status,
                StatusCode::UNAUTHORIZED,
                "{path}"
            );
        }
        let unchanged = report(&store, d.unit, 2025, ReportKind::Tertial1).await;
        assert_eq!(
            unchanged.assessments[&goal].analysis.as_deref(),
            Some("Hälften av målen är nådda.")
        );
    }
);

both_backends!(
    a_report_is_checked_submitted_returned_and_approved_into_the_archive,
    |store: Store| async move {
        let d = demo(&store).await;
        let manager = signed_in(&store, &d.app, MANAGER).await;
        let writer = signed_in(&store, &d.app, WRITER).await;
        let controller = signed_in(&store, &d.app, CONTROLLER).await;
        let admin = signed_in(&store, &d.app, ADMIN).await;
        let href = create(&manager, d.unit, 2025, ReportKind::Tertial1).await;
        let doc = report(&store, d.unit, 2025, ReportKind::Tertial1).await;
        let goal = followed_goal(&doc);
        let (goal_id, goal_title) = (goal.goal.id, goal.goal.title.clone());
        let csrf = manager.get(&href).await.csrf();

        // Ready marks: a goal's follow-up marked ready; an edit clears it.
        let a = manager
            .post(
                &format!("{href}/klar"),
                &[
                    ("csrf", &csrf),
                    ("part", &format!("goal:{goal_id}")),
                    ("op", "mark"),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(a.location(), format!("{href}#mal-{goal_id}"));
        let page = manager.get(&href).await;
        assert!(page.body.contains("ready-badge"));
        assert!(page.body.contains("1 av "), "{}", page.body);
        let a = manager
            .post(
                &format!("{href}/klar"),
                &[("csrf", &csrf), ("part", "economy"), ("op", "mark")],
            )
            .await;
        assert_eq!(
            a.status,
            StatusCode::NOT_FOUND,
            "T1 has no economy: {}",
            a.body
        );

        // An assessment without analysis is an error of the check, which blocks submitting.
        let a = manager
            .post(
                &format!("{href}/mal/{goal_id}"),
                &[
                    ("csrf", &csrf),
                    ("version", "0"),
                    ("bedomning", "met"),
                    ("analys", ""),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        let marks = store
            .ready_marks_of(DocRef::Report(doc.report.id))
            .await
            .unwrap();
        assert!(marks.is_empty(), "the edit cleared the mark: {marks:?}");
        let check = manager.get(&format!("{href}/kontroll")).await;
        assert_eq!(check.status, StatusCode::OK);
        assert!(check.body.contains("Kontroll av rapporten"));
        assert!(
            check.body.contains("är bedömt men saknar analys"),
            "{}",
            check.body
        );
        assert!(check.body.contains(&format!("{href}#bedomning-{goal_id}")));
        assert!(check.body.contains("saknar utfall"));
        let version = store
            .report_of(d.unit, 2025, ReportKind::Tertial1)
            .await
            .unwrap()
            .unwrap()
            .version
            .to_string();
        // The writer may not submit.
        let a = writer
            .post(
                &format!("{href}/status"),
                &[
                    ("csrf", &writer.get(&href).await.csrf()),
                    ("to", "submitted"),
                    ("version", &version),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        let a = manager
            .post(
                &format!("{href}/status"),
                &[("csrf", &csrf), ("to", "submitted"), ("version", &version)],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        assert!(a.body.contains("Rapporten kunde inte skickas in"));
        let a = manager
            .post(
                &format!("{href}/mal/{goal_id}"),
                &[
                    ("csrf", &csrf),
                    ("version", "1"),
                    ("bedomning", "met"),
                    ("analys", "Alla indikatorer når målen."),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER);

        // Submitted (a stale page is a conflict), then locked for its writers.
        let a = manager
            .post(
                &format!("{href}/status"),
                &[("csrf", &csrf), ("to", "submitted"), ("version", &version)],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let a = manager
            .post(
                &format!("{href}/status"),
                &[("csrf", &csrf), ("to", "submitted"), ("version", &version)],
            )
            .await;
        assert_eq!(a.status, StatusCode::CONFLICT);
        let page = manager.get(&href).await;
        assert!(!page.body.contains("Spara bedömningen"));
        assert!(page.body.contains("Rapporten är inskickad"));
        let a = manager
            .post(
                &format!("{href}/mal/{goal_id}"),
                &[
                    ("csrf", &csrf),
                    ("version", "2"),
                    ("bedomning", "met"),
                    ("analys", "Ny text"),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
        assert!(a.body.contains("Ny text"), "the words are kept to copy");

        // The controller returns it with a comment; the comment needs to be there.
        let page = controller.get(&href).await;
        let v = form_version(&page, &format!("{href}/status"));
        let a = controller
            .post(
                &format!("{href}/status"),
                &[
                    ("csrf", &page.csrf()),
                    ("to", "returned"),
                    ("version", &v),
                    ("comment", " "),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        assert!(
            a.body.contains("En återremiss behöver en kommentar"),
            "{}",
            a.body
        );
        let a = controller
            .post(
                &format!("{href}/status"),
                &[
                    ("csrf", &page.csrf()),
                    ("to", "returned"),
                    ("version", &v),
                    ("comment", "Skriv en sammanfattande analys."),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let start = manager.get("/").await;
        assert!(start.body.contains("Skriv en sammanfattande analys."));
        let page = manager.get(&href).await;
        let v = form_version(&page, &format!("{href}/status"));
        let a = manager
            .post(
                &format!("{href}/status"),
                &[("csrf", &csrf), ("to", "submitted"), ("version", &v)],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER);

        // Approved: frozen in the approval's own transaction, and read from the copy.
        let start = controller.get("/").await;
        assert!(
            start.body.contains("Rapporter att godkänna"),
            "{}",
            start.body
        );
        let page = controller.get(&href).await;
        let v = form_version(&page, &format!("{href}/status"));
        let a = controller
            .post(
                &format!("{href}/status"),
                &[("csrf", &page.csrf()), ("to", "approved"), ("version", &v)],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let id = doc.report.id;
        let copies = store.frozen_copies(DocRef::Report(id)).await.unwrap();
        assert_eq!(copies.len(), 1, "{copies:?}");
        let step = store.report_transitions(id).await.unwrap();
        assert_eq!(copies[0].approval, step.last().unwrap().id);
        assert_eq!(copies[0].approved_by, CONTROLLER);
        // A later change of a board goal's title does not change the approved report.
        let board = doc
            .goals
            .iter()
            .flat_map(CascadeGoal::walk)
            .find(|g| g.goal.level == malkedja_domain::GoalLevel::Board)
            .expect("a board goal")
            .goal
            .clone();
        let mut w = store.begin_write("test").await.unwrap();
        w.save_goal(
            board.id,
            board.version,
            &malkedja_store::GoalEdit {
                title: Some("Ett annat namn".into()),
                number: None,
                sections: Vec::new(),
            },
        )
        .await
        .unwrap();
        w.commit().await.unwrap();
        let visitor = Client::new(&d.app);
        let public = visitor.get(&href).await;
        assert_eq!(public.status, StatusCode::OK, "{}", public.body);
        assert!(public.body.contains(&board.title));
        assert!(public.body.contains(&goal_title));
        assert!(!public.body.contains("Ett annat namn"));
        assert!(public.body.contains("Fastställd"));
        // The API answers the same copy.
        let json = visitor
            .get(&format!("/api/v1/units/{}/reports/2025/tertial1", d.unit))
            .await;
        assert_eq!(json.status, StatusCode::OK);
        assert!(json.body.contains(&board.title) && !json.body.contains("Ett annat namn"));

        // An administrator reopens it with a reason; it reads live again.
        let page = admin.get(&href).await;
        let v = form_version(&page, &format!("{href}/status"));
        let a = admin
            .post(
                &format!("{href}/status"),
                &[
                    ("csrf", &page.csrf()),
                    ("to", "draft"),
                    ("version", &v),
                    ("comment", "Fel siffra."),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(
            store
                .report_of(d.unit, 2025, ReportKind::Tertial1)
                .await
                .unwrap()
                .unwrap()
                .status,
            PlanStatus::Draft
        );
        let page = manager.get(&href).await;
        assert!(page.body.contains("Ett annat namn"));
        assert!(page.body.contains("Spara bedömningen"));
    }
);

both_backends!(
    a_reports_history_shows_its_changes_and_restores_them,
    |store: Store| async move {
        let d = demo(&store).await;
        let manager = signed_in(&store, &d.app, MANAGER).await;
        let reader = signed_in(&store, &d.app, READER).await;
        let href = create(&manager, d.unit, 2025, ReportKind::Tertial1).await;
        let doc = report(&store, d.unit, 2025, ReportKind::Tertial1).await;
        let goal: GoalId = followed_goal(&doc).goal.id;
        let csrf = manager.get(&href).await.csrf();
        for (version, text) in [("0", "Första analysen."), ("1", "Andra analysen.")] {
            let a = manager
                .post(
                    &format!("{href}/mal/{goal}"),
                    &[
                        ("csrf", &csrf),
                        ("version", version),
                        ("bedomning", "met"),
                        ("analys", text),
                    ],
                )
                .await;
            assert_eq!(a.status, StatusCode::SEE_OTHER);
        }
        let history = manager.get(&format!("{href}/historik")).await;
        assert_eq!(history.status, StatusCode::OK, "{}", history.body);
        assert!(
            history.body.contains("Skrev bedömningen av"),
            "{}",
            history.body
        );
        assert!(
            history.body.contains("[borttaget: </span>Första<"),
            "{}",
            history.body
        );
        assert!(history.body.contains("[tillagt: </span>Andra<"));
        assert!(history.body.contains("Uppfylls helt"));
        assert!(history.body.contains("Skapade"));
        let readers = reader.get(&format!("{href}/historik")).await;
        assert_eq!(readers.status, StatusCode::FORBIDDEN);
        // Restoring what the assessment said before the last change.
        let event = store
            .audit_trail("goal_assessment", &format!("{}/{goal}", doc.report.id))
            .await
            .unwrap()
            .last()
            .unwrap()
            .id;
        let a = manager
            .post(
                &format!("{href}/aterstall"),
                &[
                    ("csrf", &csrf),
                    ("handelse", &event.to_string()),
                    ("objekt", "goal_assessment"),
                    ("id", &format!("{}/{goal}", doc.report.id)),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let now = report(&store, d.unit, 2025, ReportKind::Tertial1).await;
        assert_eq!(
            now.assessments[&goal].analysis.as_deref(),
            Some("Första analysen.")
        );
        // Another report's event is not this one's to restore.
        let a = manager
            .post(
                &format!("{href}/aterstall"),
                &[
                    ("csrf", &csrf),
                    ("handelse", &event.to_string()),
                    ("objekt", "goal_assessment"),
                    ("id", &format!("999999/{goal}")),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::NOT_FOUND);
    }
);

both_backends!(
    women_and_men_only_where_the_indicator_is_reported_for_them,
    |store: Store| async move {
        let d = demo(&store).await;
        let manager = signed_in(&store, &d.app, MANAGER).await;
        let controller = signed_in(&store, &d.app, CONTROLLER).await;
        let href = create(&manager, d.unit, 2025, ReportKind::Tertial1).await;
        let doc = report(&store, d.unit, 2025, ReportKind::Tertial1).await;
        let numeric = |by_sex: bool| {
            doc.goals
                .iter()
                .flat_map(CascadeGoal::walk)
                .flat_map(|g| g.indicators.iter().map(move |v| (g.goal.id, v)))
                .find(|(_, v)| {
                    v.indicator.value_kind != ValueKind::Text && v.indicator.by_sex == by_sex
                })
                .map(|(g, v)| (g, v.indicator.clone()))
                .unwrap_or_else(|| panic!("an indicator with by_sex {by_sex} in T1"))
        };
        let ((split_goal, split), (_, whole)) = (numeric(true), numeric(false));

        // The forms on the report's page: women and men only for the one reported for them.
        let page = manager.get(&href).await;
        assert!(page.body.contains(&format!("id=\"kvinnor-{}\"", split.id)));
        assert!(page.body.contains(&format!("id=\"man-{}\"", split.id)));
        assert!(!page.body.contains(&format!("id=\"kvinnor-{}\"", whole.id)));
        assert!(!page.body.contains(&format!("id=\"man-{}\"", whole.id)));

        // Women sent for the other (a form from before it changed): refused, at a field of
        // its own that holds what was sent; nothing stored.
        let csrf = page.csrf();
        let action = format!("{href}/indikatorer/{}", whole.id);
        let a = manager
            .post(
                &action,
                &[
                    ("csrf", &csrf),
                    ("version", "0"),
                    ("utfall", "12"),
                    ("kvinnor", "7"),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        assert!(
            a.body.contains(
                "Indikatorn redovisas inte för kvinnor och män, så den har inget utfall för kvinnor."
            ),
            "{}",
            a.body
        );
        assert!(a.body.contains("href=\"#kvinnor\""), "{}", a.body);
        assert!(
            a.body
                .contains("id=\"kvinnor\" name=\"kvinnor\" value=\"7\""),
            "{}",
            a.body
        );
        assert!(!a.body.contains("id=\"man\""), "only the field sent");
        let stored = report(&store, d.unit, 2025, ReportKind::Tertial1).await;
        assert!(!stored.outcomes.contains_key(&whole.id));
        // Its own page offers no fields for women and men.
        let own = manager.get(&action).await;
        assert!(!own.body.contains("id=\"kvinnor\""), "{}", own.body);

        // A table of one goal with an indicator reported for women and men and one that is
        // not: the columns stay, the other's cells are empty (not a dash, not a zero).
        let mut w = store.begin_write("test").await.unwrap();
        let beside = w
            .create_indicator(malkedja_domain::NewIndicator {
                year: 2025,
                goal_id: split_goal,
                owner_id: d.unit,
                name: "Antal återbrukade möbler".into(),
                unit_of_measure: None,
                periodicity: malkedja_domain::Periodicity::Tertial,
                direction: malkedja_domain::Direction::HigherIsBetter,
                value_kind: ValueKind::Number,
                by_sex: false,
                council_target: None,
                position: 99,
            })
            .await
            .unwrap();
        let report_id = stored.report.id;
        w.include(
            DocRef::Report(report_id),
            malkedja_store::Item::Indicator(beside.id),
        )
        .await
        .unwrap();
        w.write_outcome(
            report_id,
            split.id,
            0,
            Some("40"),
            Some("22"),
            Some("18"),
            None,
        )
        .await
        .unwrap();
        w.write_outcome(report_id, beside.id, 0, Some("12"), None, None, None)
            .await
            .unwrap();
        w.commit().await.unwrap();
        let read = controller.get(&href).await;
        assert_eq!(read.status, StatusCode::OK, "{}", read.body);
        assert!(
            !read.body.contains("Spara utfallet"),
            "the controller reads"
        );
        assert!(
            read.body.contains(
                "<tr><th scope=\"row\">Antal återbrukade möbler</th><td>12</td><td></td><td></td><td>"
            ),
            "{}",
            read.body
        );
        let header = "<th scope=\"col\">Utfall män</th><th scope=\"col\">Utfall kvinnor</th>";
        let tables = read
            .body
            .matches("<table class=\"indicators followup\">")
            .count();
        let with_sexes = read.body.matches(header).count();
        assert!(with_sexes >= 1, "{}", read.body);
        // Tables whose indicators none is reported for women and men have no such columns.
        let without = doc
            .goals
            .iter()
            .flat_map(CascadeGoal::walk)
            .filter(|g| !g.indicators.is_empty())
            .filter(|g| g.indicators.iter().all(|v| !v.indicator.by_sex))
            .count();
        assert!(without >= 1, "the demo's T1 has such a goal");
        assert_eq!(tables - with_sexes, without, "{}", read.body);
    }
);
