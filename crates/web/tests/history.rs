//! *Historik* and *Jämför* through the router, on both backends, with the demo's people: who
//! may read a plan's history (never the public, never another unit's reader), what it shows
//! (who, when, the words taken out and put in, escaped), an object's own history, the plan
//! between two steps of its workflow, the history in the API; and that nothing can change
//! or empty the audit trail.

mod common;

use axum::http::{Method, StatusCode};
use common::Client;
use malkedja_domain::{GoalLevel, NodeId, OrgKind};
use malkedja_store::{Store, both_backends};
use std::path::{Path, PathBuf};

/// A demo person, signed in.
async fn signed_in(app: &axum::Router, store: &Store, who: &str) -> Client {
    common::signed_in(store, app, &format!("{who}@demo.malkedja.se")).await
}

async fn unit_named(store: &Store, name: &str) -> NodeId {
    store
        .org_nodes()
        .await
        .unwrap()
        .into_iter()
        .find(|n| n.kind == OrgKind::Unit && n.name == name)
        .unwrap_or_else(|| panic!("{name}"))
        .id
}

/// Saves the text of a section through its edit page.
async fn save_section(c: &Client, plan: &str, key: &str, body: &str) {
    let path = format!("{plan}/avsnitt/{key}");
    let page = c.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let a = c
        .post(
            &path,
            &[
                ("csrf", &page.csrf()),
                ("version", &page.hidden("version")),
                ("body", body),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
}

/// Takes a workflow step through the plan page's form.
async fn step(c: &Client, plan: &str, to: &str, comment: &str) {
    let page = c.get(plan).await;
    let a = c
        .post(
            &format!("{plan}/status"),
            &[
                ("csrf", &page.csrf()),
                ("to", to),
                ("version", &page.hidden("version")),
                ("comment", comment),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
}

both_backends!(
    a_plans_history_and_its_comparison,
    |store: Store| async move {
        malkedja_store::demo::load(&store, &|_| {}).await.unwrap();
        let app = malkedja_web::router(store.clone());
        let unit = unit_named(&store, "Enheten för socialpsykiatriskt stöd").await;
        let plan = format!("/enheter/{unit}/planer/2026");
        let history = format!("{plan}/historik");
        let compare = format!("{plan}/jamfor");
        let plan_id = store.plan(unit, 2026).await.unwrap().unwrap().id;
        let api = format!("/api/v1/plans/{plan_id}/history");

        // Not public, not for another unit's reader.
        let public = Client::new(&app);
        for path in [&history, &compare, &format!("{history}/avsnitt/uppdrag")] {
            let a = public.get(path).await;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{path}");
            assert!(a.body.contains("<h1>Logga in</h1>"), "{path}");
        }
        let a = public.get(&api).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        assert_eq!(a.json()["error"]["code"], "unauthorized");
        let reader = signed_in(&app, &store, "lasare").await;
        for path in [&history, &compare] {
            assert_eq!(
                reader.get(path).await.status,
                StatusCode::FORBIDDEN,
                "{path}"
            );
        }
        let a = reader.get(&api).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
        assert_eq!(a.json()["error"]["code"], "forbidden");
        // Even an approved plan's history is not public, and its page does not offer it.
        let approved = public.get(&format!("/enheter/{unit}/planer/2025")).await;
        assert_eq!(approved.status, StatusCode::OK);
        assert!(!approved.body.contains("/historik"));
        assert_eq!(
            public
                .get(&format!("/enheter/{unit}/planer/2025/historik"))
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );

        // The manager finds the history from the plan and from the section's edit page.
        let manager = signed_in(&app, &store, "enhetschef").await;
        let page = manager.get(&plan).await;
        assert!(page.body.contains(&format!("href=\"{history}\"")));
        assert!(page.body.contains(&format!("href=\"{compare}\"")));
        let edit = manager.get(&format!("{plan}/avsnitt/uppdrag")).await;
        assert!(
            edit.body
                .contains(&format!("href=\"{history}/avsnitt/uppdrag\""))
        );

        // Before any step, there is nothing to compare with.
        let a = manager.get(&compare).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert!(a.body.contains("inget att jämföra med"), "{}", a.body);

        save_section(&manager, &plan, "uppdrag", "Första texten om vårt uppdrag.").await;
        save_section(
            &manager,
            &plan,
            "uppdrag",
            "Andra texten om vårt uppdrag <script>alert('x')</script>.",
        )
        .await;
        let a = manager.get(&history).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert!(a.body.contains("<h1>Historik "), "{}", a.body);
        assert!(a.body.contains("Sparade"));
        assert!(a.body.contains("avsnittet ”Enhetens uppdrag”"));
        assert!(a.body.contains("Maria Lindqvist"), "the person's name");
        assert!(a.body.contains("<time datetime=\""));
        assert!(a.body.contains(&removed("Första")), "{}", a.body);
        assert!(a.body.contains(&added("Andra")), "{}", a.body);
        assert!(a.body.contains("&#60;script&#62;"), "escaped");
        assert!(!a.body.contains("<script>"), "never as markup");
        assert!(
            a.body
                .contains(&format!("href=\"{history}/avsnitt/uppdrag\"")),
            "the section's own history"
        );

        // The section's own history: both saves, and no link to itself.
        let own = manager.get(&format!("{history}/avsnitt/uppdrag")).await;
        assert_eq!(own.status, StatusCode::OK, "{}", own.body);
        assert!(
            own.body
                .contains("Historik för avsnittet ”Enhetens uppdrag”")
        );
        assert!(own.body.contains("Första"));
        assert!(
            !own.body
                .contains(&format!("href=\"{history}/avsnitt/uppdrag\""))
        );
        assert!(
            own.body.contains(&format!("href=\"{history}\"")),
            "the whole plan's"
        );

        // A goal's history: the unit's own, never the board's or anything else.
        let doc = store.plan_document(unit, 2026).await.unwrap().unwrap();
        let goals: Vec<_> = doc.goals.iter().flat_map(|g| g.walk()).collect();
        let own_goal = goals
            .iter()
            .find(|g| g.goal.owner_id == unit)
            .expect("the demo unit has a goal of its own");
        let board_goal = goals
            .iter()
            .find(|g| g.goal.level == GoalLevel::Board)
            .unwrap();
        let a = manager
            .get(&format!("{history}/mal/{}", own_goal.goal.id))
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert!(a.body.contains(&own_goal.goal.title), "{}", a.body);
        assert!(a.body.contains("Skapade"));
        for (path, status) in [
            (format!("{history}/mal/{}", board_goal.goal.id), 404),
            (format!("{history}/mal/99999999"), 404),
            (format!("{history}/mal/abc"), 400),
            (format!("{history}/nagot/1"), 404),
            (format!("{history}/avsnitt/finns-inte"), 404),
            (format!("{history}?fore=abc"), 400),
            (format!("{compare}?fran=999999"), 400),
            (format!("{compare}?till=igar"), 400),
            (format!("/enheter/{unit}/planer/1999/historik"), 404),
        ] {
            let a = manager.get(&path).await;
            assert_eq!(a.status.as_u16(), status, "{path}: {}", a.body);
        }
        // A removed goal is restored from the history, and only while it is removed.
        let goal = own_goal.goal.id;
        let confirm = manager.get(&format!("/mal/{goal}/ta-bort")).await;
        assert_eq!(confirm.status, StatusCode::OK, "{}", confirm.body);
        let a = manager
            .post(
                &format!("/mal/{goal}/ta-bort"),
                &[
                    ("csrf", &confirm.csrf()),
                    ("version", &confirm.hidden("version")),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let restore = format!("action=\"/mal/{goal}/aterstall\"");
        let a = manager.get(&history).await;
        assert!(a.body.contains("Tog bort"), "{}", a.body);
        assert!(a.body.contains(&restore), "{}", a.body);
        // Only for who may write: the controller reads the history without the button.
        let controller = signed_in(&app, &store, "controller").await;
        let seen = controller.get(&history).await;
        assert_eq!(seen.status, StatusCode::OK);
        assert!(seen.body.contains("Tog bort") && !seen.body.contains(&restore));
        let a = manager
            .post(&format!("/mal/{goal}/aterstall"), &[("csrf", &a.csrf())])
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let a = manager.get(&history).await;
        assert!(a.body.contains("Återställde"), "{}", a.body);
        assert!(!a.body.contains(&restore), "restored: no button");
        assert!(
            store
                .plan_document(unit, 2026)
                .await
                .unwrap()
                .unwrap()
                .goals
                .iter()
                .flat_map(|g| g.walk())
                .any(|g| g.goal.id == goal),
            "the goal is back in the plan"
        );

        // An older page links back to the newest.
        let first = hidden_id(&own.body);
        let older = manager.get(&format!("{history}?fore={first}")).await;
        assert_eq!(older.status, StatusCode::OK);
        assert!(older.body.contains("Senaste händelserna"));

        // Submitted, returned, changed: Jämför shows the plan as submitted against now.
        malkedja_store::testing::make_plan_submittable(&store, unit, 2026).await;
        step(&manager, &plan, "submitted", "").await;
        step(&controller, &plan, "returned", "Skriv om uppdraget.").await;
        save_section(&manager, &plan, "uppdrag", "Tredje texten om vårt uppdrag.").await;
        let snaps = store.plan_snapshots(plan_id).await.unwrap();
        assert_eq!(snaps.len(), 2);
        let submitted = snaps[0].transition.id;
        let a = manager
            .get(&format!("{compare}?fran={submitted}&till=nu"))
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert!(a.body.contains("<option value=\"nu\" selected>Nu</option>"));
        assert!(a.body.contains(&format!(
            "<option value=\"{submitted}\" selected>Skickad in "
        )));
        assert!(a.body.contains("Återremitterad "));
        assert!(a.body.contains("Enhetens uppdrag"));
        assert!(a.body.contains(&removed("Andra")), "{}", a.body);
        assert!(a.body.contains(&added("Tredje")), "{}", a.body);
        assert!(a.body.contains("&#60;script&#62;") && !a.body.contains("<script>"));
        // Without points: the latest step against now, the same change.
        let a = manager.get(&compare).await;
        assert!(a.body.contains(&added("Tredje")), "{}", a.body);
        let a = manager.get(&format!("{compare}?fran=nu&till=nu")).await;
        assert!(a.body.contains("Ingen skillnad"), "{}", a.body);
        let a = manager
            .get(&format!(
                "{compare}?fran={submitted}&till={}",
                snaps[1].transition.id
            ))
            .await;
        assert!(
            a.body.contains("Ingen skillnad"),
            "returning changes no text"
        );
        // The steps are in the plan's history too, with the comment.
        let a = manager.get(&history).await;
        assert!(a.body.contains("Återremitterad"));
        assert!(a.body.contains("Skriv om uppdraget."));
        assert!(a.body.contains("Linnéa Ahlgren"));

        // The API: the same events, as stored, a page at a time.
        let a = manager.get(&api).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let json = a.json();
        assert_eq!(json["plan_id"], plan_id.0);
        let events = json["events"].as_array().unwrap();
        let latest = &events[0];
        assert_eq!(latest["entity"], "plan_section");
        assert_eq!(latest["entity_id"], format!("{plan_id}/uppdrag"));
        assert_eq!(latest["action"], "save");
        assert_eq!(latest["actor"], "enhetschef@demo.malkedja.se");
        assert_eq!(latest["actor_name"], "Maria Lindqvist");
        assert_eq!(latest["after"]["body"], "Tredje texten om vårt uppdrag.");
        assert!(
            latest["before"]["body"]
                .as_str()
                .unwrap()
                .contains("<script>")
        );
        assert!(events.iter().any(|e| e["action"] == "transition"));
        let ids: Vec<i64> = events.iter().map(|e| e["id"].as_i64().unwrap()).collect();
        let mut paged = Vec::new();
        let mut next: Option<i64> = None;
        loop {
            let path = match next {
                Some(b) => format!("{api}?limit=2&before={b}"),
                None => format!("{api}?limit=2"),
            };
            let page = manager.get(&path).await.json();
            paged.extend(
                page["events"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| e["id"].as_i64().unwrap()),
            );
            match page["next_before"].as_i64() {
                Some(b) => next = Some(b),
                None => break,
            }
        }
        assert_eq!(paged[..ids.len().min(paged.len())], ids[..], "pages add up");
        for (path, status) in [
            (format!("{api}?limit=0"), 400),
            (format!("{api}?limit=501"), 400),
            (format!("{api}?limit=abc"), 400),
            (format!("{api}?before=0"), 400),
            ("/api/v1/plans/abc/history".to_string(), 400),
            ("/api/v1/plans/0/history".to_string(), 400),
            ("/api/v1/plans/99999999/history".to_string(), 404),
        ] {
            let a = manager.get(&path).await;
            assert_eq!(a.status.as_u16(), status, "{path}: {}", a.body);
            assert!(a.json()["error"]["code"].is_string(), "{path}");
        }
        let a = manager.send(Method::DELETE, &api, None).await;
        assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    }
);

/// How a page shows words taken out.
fn removed(words: &str) -> String {
    format!(
        "<del><span class=\"visually-hidden\">[borttaget: </span>{words}<span class=\"visually-hidden\">]</span></del>"
    )
}

/// How a page shows words put in.
fn added(words: &str) -> String {
    format!(
        "<ins><span class=\"visually-hidden\">[tillagt: </span>{words}<span class=\"visually-hidden\">]</span></ins>"
    )
}

/// The id of the first event on a history page (`id="handelse-N"`).
fn hidden_id(page: &str) -> i64 {
    let at = page.find("id=\"handelse-").expect("an event");
    let rest = &page[at + "id=\"handelse-".len()..];
    rest[..rest.find('"').unwrap()].parse().unwrap()
}

// ---- the audit trail cannot be changed or emptied ----

/// Every source and migration file of the project (tests and this file aside).
fn sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if path.is_dir() {
                if !matches!(name.as_str(), "tests" | "target" | "node_modules" | ".git") {
                    walk(&path, out);
                }
            } else if name.ends_with(".rs") || name.ends_with(".sql") {
                out.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = Vec::new();
    walk(&root.join("crates"), &mut out);
    walk(&root.join("src"), &mut out);
    out
}

#[test]
fn no_code_changes_or_empties_the_audit_trail() {
    let table = ["AUDIT", "_EVENT"].concat();
    let mut inserts = Vec::new();
    let files = sources();
    assert!(files.len() > 20, "{files:?}");
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let flat = text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_uppercase();
        for verb in [
            "UPDATE",
            "DELETE FROM",
            "DELETE",
            "TRUNCATE",
            "TRUNCATE TABLE",
            "DROP TABLE",
            "DROP TABLE IF EXISTS",
            "ALTER TABLE",
            "REPLACE INTO",
            "INSERT OR REPLACE INTO",
        ] {
            assert!(
                !flat.contains(&format!("{verb} {table}")),
                "{}: {verb} {table}",
                path.display()
            );
        }
        // A table name given to SQL built at run time would escape the check above.
        assert!(
            !flat.contains(&format!("\"{table}\"")),
            "{}: the table's name as a value",
            path.display()
        );
        let n = flat.matches(&format!("INSERT INTO {table}")).count();
        if n > 0 {
            inserts.push((path, n));
        }
    }
    assert_eq!(
        inserts.len(),
        1,
        "one INSERT, in Writer::audit: {inserts:?}"
    );
    assert!(
        inserts[0].0.ends_with("crates/store/src/writer.rs") && inserts[0].1 == 1,
        "{inserts:?}"
    );
}

#[test]
fn history_has_no_route_that_changes_anything() {
    let table = malkedja_web::route_table();
    let history_paths: Vec<_> = table
        .iter()
        .filter(|r| {
            ["historik", "history", "jamfor"]
                .iter()
                .any(|w| r.path.contains(w))
        })
        .collect();
    assert!(history_paths.len() >= 4, "{history_paths:?}");
    for r in history_paths {
        assert_eq!(r.method, Method::GET, "{} {}", r.method, r.path);
        assert_eq!(
            r.access,
            malkedja_web::Access::Person,
            "{}: never public",
            r.path
        );
    }
}

both_backends!(
    ready_marks_are_in_the_plans_history,
    |store: Store| async move {
        malkedja_store::demo::load(&store, &|_| {}).await.unwrap();
        let app = malkedja_web::router(store.clone());
        let unit = unit_named(&store, "Enheten för socialpsykiatriskt stöd").await;
        let plan = format!("/enheter/{unit}/planer/2026");
        let manager = signed_in(&app, &store, "enhetschef").await;
        let page = manager.get(&plan).await;
        // The section's ready form: its op and version follow the part.
        let form = &page.body[page
            .body
            .find("name=\"part\" value=\"section:uppdrag\"")
            .expect("the section's ready form")..];
        let value = |name: &str| {
            let at = form.find(&format!("name=\"{name}\" value=\"")).unwrap() + name.len() + 15;
            form[at..at + form[at..].find('"').unwrap()].to_string()
        };
        let a = manager
            .post(
                &format!("{plan}/klar"),
                &[
                    ("csrf", &page.csrf()),
                    ("part", "section:uppdrag"),
                    ("op", &value("op")),
                    ("version", &value("version")),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        save_section(&manager, &plan, "uppdrag", "En ny text om uppdraget.").await;
        let a = manager.get(&format!("{plan}/historik")).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        for said in [
            "Markerade som klar",
            "Tog bort klar-markeringen (ändrades)",
            "avsnittet ”Enhetens uppdrag”",
        ] {
            assert!(a.body.contains(said), "{said}: {}", a.body);
        }
        // The section's own history has them too.
        let a = manager
            .get(&format!("{plan}/historik/avsnitt/uppdrag"))
            .await;
        assert!(a.body.contains("Markerade som klar"), "{}", a.body);
    }
);
