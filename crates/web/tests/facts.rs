//! The facts a plan states about its unit (Fakta om enheten), through the router, on both
//! backends, with the demo: the form with computed sums, saving, rows added without
//! JavaScript, Swedish messages that keep what was typed, escaping, the conflict page, and
//! who may write when.

mod common;

use axum::http::StatusCode;
use common::{Answer, Client, DEMO_MANAGER, DEMO_READER, DemoPlan, signed_in};
use malkedja_domain::Decimal;
use malkedja_store::{PlanFacts, Store, both_backends};

async fn stored(store: &Store, d: &DemoPlan) -> PlanFacts {
    store.plan_facts(d.unit, d.year).await.unwrap().unwrap()
}

/// Every field of the page's form as it would be sent: its inputs with their values.
fn form_fields(page: &Answer) -> Vec<(String, String)> {
    let start = page
        .body
        .find("<form class=\"form facts-form\"")
        .expect("the form");
    let end = start + page.body[start..].find("</form>").unwrap();
    let form = &page.body[start..end];
    let mut out = Vec::new();
    for (at, _) in form.match_indices("<input ") {
        let tag = &form[at..at + form[at..].find('>').unwrap()];
        let attr = |name: &str| -> Option<String> {
            let key = format!(" {name}=\"");
            let s = tag.find(&key)? + key.len();
            Some(tag[s..s + tag[s..].find('"')?].to_string())
        };
        if let (Some(n), Some(v)) = (attr("name"), attr("value")) {
            let v = v
                .replace("&#160;", "\u{a0}")
                .replace("&#32;", " ")
                .replace("&amp;", "&");
            out.push((n, v));
        }
    }
    out
}

fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    match fields.iter_mut().find(|(k, _)| k == name) {
        Some(f) => f.1 = value.to_string(),
        None => fields.push((name.to_string(), value.to_string())),
    }
}

both_backends!(
    the_manager_writes_the_facts_and_the_sums_are_computed,
    |store: Store| async move {
        let d = DemoPlan::load(&store).await;
        let m = signed_in(&store, &d.app, DEMO_MANAGER).await;
        let plan = format!("/enheter/{}/planer/{}", d.unit, d.year);
        assert!(
            m.get(&plan)
                .await
                .body
                .contains(&format!("href=\"{}\"", d.page("fakta")))
        );
        let page = m.get(&d.page("fakta")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(
            page.body
                .contains("<h1>Fakta om enheten <span class=\"for\">")
        );
        let before = stored(&store, &d).await;
        let facts = before.facts.clone().expect("the demo's facts");
        // The staff table sums the rows; nothing typed is a total.
        let (w, m_, t) = facts.staff_totals();
        assert!(page.body.contains(&format!(
            "<tfoot><tr><th scope=\"row\">Summa</th><td class=\"num\">{w}</td><td class=\"num\">{m_}</td><td class=\"num\">{t}</td></tr></tfoot>"
        )));
        assert!(page.body.contains("Verksamheterna sammanlagt"));
        let ops_clients: i64 = before
            .operations
            .iter()
            .filter_map(|(_, f)| f.as_ref().and_then(|f| f.clients))
            .sum();
        assert!(page.body.contains(&format!(
            "<th scope=\"row\">Summa</th><td>{ops_clients}</td>"
        )));
        assert!(!page.body.contains("name=\"totalt"), "no field for a total");

        let mut f = form_fields(&page);
        // A new staff row, a new manager, a budget as people write it, a meeting, and an
        // operation's clients; HTML typed is text.
        set(
            &mut f,
            &format!("roll-{}", facts.staff.len()),
            "Sjuksköterska <script>alert(1)</script>",
        );
        set(&mut f, &format!("kvinnor-{}", facts.staff.len()), "2");
        set(&mut f, &format!("man-{}", facts.staff.len()), "");
        set(&mut f, "budget", "21,9 mnkr");
        set(
            &mut f,
            &format!("apt-datum-{}", facts.staff_meetings.len()),
            "2026-3-4",
        );
        set(
            &mut f,
            &format!("apt-grupp-{}", facts.staff_meetings.len()),
            "Alla",
        );
        let (op, _) = &before.operations[0];
        set(&mut f, &format!("op-{}-brukare", op.id), "101");
        let a = m.post_pairs(&d.page("fakta"), &f).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(a.location(), format!("{}?sparat", d.page("fakta")));

        let after = stored(&store, &d).await;
        let facts2 = after.facts.clone().unwrap();
        assert_eq!(facts2.version, facts.version + 1);
        assert_eq!(facts2.staff.len(), facts.staff.len() + 1);
        let last = facts2.staff.last().unwrap();
        assert_eq!(
            (last.role.as_str(), last.women, last.men),
            ("Sjuksköterska <script>alert(1)</script>", 2, 0)
        );
        assert_eq!(facts2.budget_kr, Some(Decimal::from(21_900_000)));
        assert_eq!(facts2.managers, facts.managers);
        assert_eq!(
            facts2.staff_meetings.last().map(|m| m.label.as_str()),
            Some("Alla")
        );
        assert_eq!(after.operations[0].1.as_ref().unwrap().clients, Some(101));
        // The operation's managers and meetings, not on the page, are kept.
        assert_eq!(
            after.operations[0].1.as_ref().unwrap().staff_meetings,
            before.operations[0].1.as_ref().unwrap().staff_meetings
        );
        // Operations not changed are not written again.
        assert_eq!(
            after.operations[1].1.as_ref().unwrap().version,
            before.operations[1].1.as_ref().unwrap().version
        );

        let back = m.get(a.location()).await;
        assert!(back.body.contains("Uppgifterna är sparade."));
        assert!(!back.body.contains("<script>alert(1)"));
        assert!(back.body.contains("&lt;script&gt;") || back.body.contains("&#60;script&#62;"));
        let (w2, _, t2) = facts2.staff_totals();
        assert_eq!(w2, w + 2);
        assert!(
            back.body
                .contains(&format!("<td class=\"num\">{t2}</td></tr></tfoot>"))
        );
    }
);

both_backends!(
    wrong_figures_come_back_as_typed_with_swedish_messages,
    |store: Store| async move {
        let d = DemoPlan::load(&store).await;
        let m = signed_in(&store, &d.app, DEMO_MANAGER).await;
        let page = m.get(&d.page("fakta")).await;
        let before = stored(&store, &d).await;
        let mut f = form_fields(&page);
        set(&mut f, "kvinnor-0", "12,5");
        set(&mut f, "man-0", "-3");
        set(&mut f, "brukare", "ca 250");
        set(&mut f, "budget", "ca 300 tkr");
        set(&mut f, "apt-datum-0", "27 januari");
        let a = m.post_pairs(&d.page("fakta"), &f).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        assert!(a.body.contains("class=\"error-summary\""));
        for (id, message, typed) in [
            ("kvinnor-0", "ska vara ett heltal", "12,5"),
            ("man-0", "kan inte vara negativt", "-3"),
            ("brukare", "«ca 250» är inget heltal", "ca 250"),
            ("budget", "«ca 300 tkr» är inget belopp", "ca 300 tkr"),
            ("apt-datum-0", "år-månad-dag", "27 januari"),
        ] {
            assert!(a.body.contains(&format!("<a href=\"#{id}\">")), "{id}");
            assert!(a.body.contains(&format!("id=\"{id}-fel\"")), "{id}");
            assert!(a.body.contains(message), "{message}");
            assert!(a.tag(id).contains("aria-invalid=\"true\""), "{id}");
            assert_eq!(a.value_of("id", id).as_deref(), Some(typed), "{id}");
        }
        assert_eq!(
            stored(&store, &d).await.facts,
            before.facts,
            "nothing saved"
        );
        // The form comes back with the rows that were sent, no more.
        let rows = |p: &Answer| p.body.matches("id=\"chef-titel-").count();
        assert_eq!(rows(&a), rows(&page));

        // A role without figures is asked for; figures without a role too.
        let mut f = form_fields(&page);
        let n = before.facts.as_ref().unwrap().staff.len();
        set(&mut f, &format!("kvinnor-{n}"), "4");
        let a = m.post_pairs(&d.page("fakta"), &f).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            a.body
                .contains(&format!("Skriv yrkesrollen på rad {}", n + 1))
        );

        // A missing version: nothing saved.
        let mut f = form_fields(&page);
        f.retain(|(k, _)| k != "version");
        let a = m.post_pairs(&d.page("fakta"), &f).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(a.body.contains("<a href=\"#fakta\">"));
        assert_eq!(stored(&store, &d).await.facts, before.facts);
    }
);

both_backends!(
    a_row_is_added_without_javascript_and_nothing_is_saved,
    |store: Store| async move {
        let d = DemoPlan::load(&store).await;
        let m = signed_in(&store, &d.app, DEMO_MANAGER).await;
        let page = m.get(&d.page("fakta")).await;
        let before = stored(&store, &d).await;
        let n = before.facts.as_ref().unwrap().staff.len() + 2;
        assert!(page.body.contains(&format!("id=\"roll-{}\"", n - 1)));
        assert!(!page.body.contains(&format!("id=\"roll-{n}\"")));
        let mut f = form_fields(&page);
        set(&mut f, "roll-0", "Ändrad men inte sparad");
        f.push(("rad".into(), "medarbetare".into()));
        let a = m.post_pairs(&d.page("fakta"), &f).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        assert!(a.body.contains(&format!("id=\"roll-{n}\"")));
        assert_eq!(
            a.value_of("id", "roll-0").as_deref(),
            Some("Ändrad men inte sparad")
        );
        assert!(!a.body.contains("class=\"error-summary\""));
        assert_eq!(stored(&store, &d).await.facts, before.facts);
        // An operation's table too.
        let op = before.operations[0].0.id;
        let mut f = form_fields(&page);
        f.push(("rad".into(), format!("op-{op}")));
        let a = m.post_pairs(&d.page("fakta"), &f).await;
        let rows = before.operations[0].1.as_ref().unwrap().staff.len() + 1;
        assert!(a.body.contains(&format!("id=\"op-{op}-roll-{rows}\"")));
    }
);

both_backends!(
    a_stale_save_shows_what_is_saved_now_and_keeps_what_was_typed,
    |store: Store| async move {
        let d = DemoPlan::load(&store).await;
        let m = signed_in(&store, &d.app, DEMO_MANAGER).await;
        let page = m.get(&d.page("fakta")).await;
        let mut theirs = form_fields(&page);
        set(&mut theirs, "brukare", "300");
        assert_eq!(
            m.post_pairs(&d.page("fakta"), &theirs).await.status,
            StatusCode::SEE_OTHER
        );
        let mut mine = form_fields(&page);
        set(&mut mine, "brukare", "280");
        let a = m.post_pairs(&d.page("fakta"), &mine).await;
        assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
        assert!(a.body.contains("<h2 id=\"sparat-nu\">Sparat nu</h2>"));
        assert!(a.body.contains("300 brukare och deltagare"));
        assert_eq!(a.value_of("id", "brukare").as_deref(), Some("280"));
        let now = stored(&store, &d).await;
        let facts = now.facts.unwrap();
        assert_eq!(facts.clients, Some(300));
        assert_eq!(
            a.value_of("name", "version"),
            Some(facts.version.to_string())
        );
        // Saving again from the conflict page replaces theirs, knowingly.
        let again = form_fields(&a);
        assert_eq!(
            m.post_pairs(&d.page("fakta"), &again).await.status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(stored(&store, &d).await.facts.unwrap().clients, Some(280));
    }
);

both_backends!(
    only_writers_of_the_unit_write_the_facts_and_never_on_a_closed_plan,
    |store: Store| async move {
        let d = DemoPlan::load(&store).await;
        let before = stored(&store, &d).await;
        let anonymous = Client::new(&d.app);
        let a = anonymous.get(&d.page("fakta")).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        assert!(a.body.contains("<h1>Logga in</h1>"));
        assert_eq!(
            anonymous
                .post(&d.page("fakta"), &[("brukare", "1")])
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        let reader = signed_in(&store, &d.app, DEMO_READER).await;
        assert_eq!(
            reader.get(&d.page("fakta")).await.status,
            StatusCode::FORBIDDEN
        );
        let csrf = reader.get("/").await.csrf();
        let a = reader
            .post(
                &d.page("fakta"),
                &[("csrf", &csrf), ("version", "1"), ("brukare", "1")],
            )
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        let m = signed_in(&store, &d.app, DEMO_MANAGER).await;
        let page = m.get(&d.page("fakta")).await;
        let mut f = form_fields(&page);
        set(&mut f, "csrf", "fel");
        set(&mut f, "brukare", "1");
        assert_eq!(
            m.post_pairs(&d.page("fakta"), &f).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(stored(&store, &d).await.facts, before.facts);

        // The approved plan: read-only, a post refused with 409 keeping nothing changed.
        let closed = format!("/enheter/{}/planer/{}/fakta", d.unit, d.approved);
        let a = m.get(&closed).await;
        assert_eq!(a.status, StatusCode::OK);
        assert!(a.body.contains("Planen är godkänd"));
        assert!(!a.body.contains("<form class=\"form facts-form\""));
        let facts = store.plan_facts(d.unit, d.approved).await.unwrap().unwrap();
        let version = facts.facts.as_ref().map(|f| f.version).unwrap_or(0);
        let a = m
            .post(
                &closed,
                &[
                    ("csrf", page.csrf().as_str()),
                    ("version", &version.to_string()),
                    ("brukare", "1"),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::CONFLICT);
        assert!(a.body.contains("Planen är godkänd"));
        assert_eq!(
            store
                .plan_facts(d.unit, d.approved)
                .await
                .unwrap()
                .unwrap()
                .facts,
            facts.facts
        );
        for path in [
            format!("/enheter/{}/planer/1990/fakta", d.unit),
            format!("/enheter/999999/planer/{}/fakta", d.year),
        ] {
            assert_eq!(m.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
        }
    }
);
