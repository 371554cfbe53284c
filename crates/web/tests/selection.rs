//! Choosing what a plan takes from above (urval), through the router, on both backends,
//! with the demo: the page (form, save, conflict, validation, escaping, read-only plans,
//! goals that stay) and the API's `PUT …/selection`.

mod common;

use axum::http::StatusCode;
use common::{Answer, Client, DEMO_MANAGER, DEMO_READER, DemoPlan, signed_in, with_token};
use malkedja_domain::{ActivityId, GoalId, IndicatorId, Selection, Target, ValueKind};
use malkedja_store::{DocRef, PlanChoices, Store, both_backends};
use serde_json::json;

/// A JSON body sent as it is written, with PUT.
trait PutJson {
    async fn put_json(&self, path: &str, body: &str) -> Answer;
}

impl PutJson for Client {
    async fn put_json(&self, path: &str, body: &str) -> Answer {
        self.send_body(
            axum::http::Method::PUT,
            path,
            Some(("application/json", body.to_string())),
        )
        .await
    }
}

fn api(d: &DemoPlan) -> String {
    format!("/api/v1/units/{}/plans/{}/selection", d.unit, d.year)
}

async fn choices(store: &Store, d: &DemoPlan) -> PlanChoices {
    store.plan_choices(d.unit, d.year).await.unwrap().unwrap()
}

/// What the plan holds now, and the goals that stay.
async fn now(store: &Store, d: &DemoPlan) -> (Selection, Vec<GoalId>, i64) {
    let f = choices(store, d).await;
    (
        f.choices.selection(&f.contents),
        f.choices.kept_goals(&f.contents).into_iter().collect(),
        f.plan.version,
    )
}

/// Parts of the demo's plan to change: a goal it may take but has not, an activity it
/// has, an indicator measured in numbers that it follows.
struct Parts {
    new_goal: GoalId,
    activity: ActivityId,
    numeric: IndicatorId,
}

async fn parts(store: &Store, d: &DemoPlan) -> Parts {
    let f = choices(store, d).await;
    let sel = f.choices.selection(&f.contents);
    let kept = f.choices.kept_goals(&f.contents);
    let new_goal = f
        .choices
        .goals
        .iter()
        .map(|g| g.id)
        .find(|g| f.choices.goal(*g).is_some() && !sel.goals.contains(g) && !kept.contains(g))
        .expect("a goal not chosen");
    let activity = *sel.activities.iter().next().expect("an activity chosen");
    let numeric = *sel
        .indicators
        .keys()
        .find(|i| {
            f.choices
                .indicator(**i)
                .is_some_and(|x| x.value_kind != ValueKind::Text)
        })
        .expect("a numeric indicator chosen");
    Parts {
        new_goal,
        activity,
        numeric,
    }
}

/// The form's fields for a selection.
fn fields(csrf: &str, version: &str, sel: &Selection) -> Vec<(String, String)> {
    let mut out = vec![
        ("csrf".to_string(), csrf.to_string()),
        ("version".to_string(), version.to_string()),
    ];
    out.extend(sel.goals.iter().map(|g| ("mal".into(), g.0.to_string())));
    out.extend(
        sel.activities
            .iter()
            .map(|a| ("aktivitet".into(), a.0.to_string())),
    );
    for (i, t) in &sel.indicators {
        out.push(("indikator".into(), i.0.to_string()));
        out.push((
            format!("arsmal-{i}"),
            t.as_ref().map(|t| t.text().to_string()).unwrap_or_default(),
        ));
    }
    out
}

/// HTML escaped as entities by name or by number, read back the one way.
fn unescaped_entities(html: &str) -> String {
    html.replace("&#60;", "&lt;")
        .replace("&#62;", "&gt;")
        .replace("&#38;", "&amp;")
        .replace("&#34;", "&quot;")
}

both_backends!(
    the_manager_chooses_what_applies_and_the_plan_shows_it,
    |store: Store| async move {
        let d = DemoPlan::load(&store).await;
        let m = signed_in(&store, &d.app, DEMO_MANAGER).await;
        let plan = format!("/enheter/{}/planer/{}", d.unit, d.year);

        // The plan links the page; the page groups the cascade with legends.
        let page = m.get(&plan).await;
        assert!(page.body.contains(&format!("href=\"{}\"", d.page("urval"))));
        let form = m.get(&d.page("urval")).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        assert!(
            form.body.contains(
                "<h1>Välj nämndens mål, aktiviteter och indikatorer <span class=\"for\">"
            )
        );
        assert!(form.body.contains("<fieldset class=\"choice"));
        assert!(form.body.contains("<legend>Nämndmål: "));
        assert!(form.body.contains("Beslutat av Sjövikens stadsdelsnämnd."));
        assert!(form.body.contains("Beslutat av Stockholms stad."));
        assert!(form.body.contains(">Spara urvalet</button>"));

        // Goals carrying the unit's own goals are ticked, cannot be unticked, and say why.
        let (before, kept, version) = now(&store, &d).await;
        assert!(!kept.is_empty());
        for k in &kept {
            let tag = form.tag(&format!("mal-{k}"));
            assert!(
                tag.contains(" checked") && tag.contains(" disabled"),
                "{tag}"
            );
            assert!(
                form.body
                    .contains(&format!("id=\"mal-{k}-tips\">Är alltid med"))
            );
        }
        assert_eq!(form.value_of("name", "version"), Some(version.to_string()));

        let p = parts(&store, &d).await;
        let mut chosen = before.clone();
        chosen.goals.insert(p.new_goal);
        chosen.activities.remove(&p.activity);
        let script = "Tas fram av nämnd <script>alert(1)</script>";
        chosen.indicators.insert(p.numeric, Target::parse(script));
        let a = m
            .post_pairs(
                &d.page("urval"),
                &fields(&form.csrf(), &version.to_string(), &chosen),
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        assert_eq!(a.location(), format!("{}?sparat", d.page("urval")));

        let (after, _, v2) = now(&store, &d).await;
        assert_eq!(v2, version + 1);
        assert!(after.goals.contains(&p.new_goal));
        assert!(!after.activities.contains(&p.activity));
        assert_eq!(
            after.indicators[&p.numeric]
                .as_ref()
                .map(|t| t.text().to_string()),
            Some(script.to_string())
        );
        let c = store
            .contents(DocRef::Plan(
                store.plan(d.unit, d.year).await.unwrap().unwrap().id,
            ))
            .await
            .unwrap();
        for k in &kept {
            assert!(c.goals.contains(k), "kept goals stay in the plan");
        }

        // Back on the page: saved, the target as text, escaped.
        let back = m.get(a.location()).await;
        assert!(back.body.contains("Urvalet är sparat."));
        assert!(!back.body.contains("<script>alert(1)"));
        assert!(unescaped_entities(&back.body).contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(
            !back
                .tag(&format!("akt-{}", p.activity))
                .contains(" checked")
        );
        assert!(
            back.tag(&format!("mal-{}", p.new_goal))
                .contains(" checked")
        );
        let shown = m.get(&plan).await;
        assert!(!shown.body.contains("<script>alert(1)"));
        assert!(unescaped_entities(&shown.body).contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }
);

both_backends!(
    a_target_that_cannot_be_used_comes_back_as_typed,
    |store: Store| async move {
        let d = DemoPlan::load(&store).await;
        let m = signed_in(&store, &d.app, DEMO_MANAGER).await;
        let form = m.get(&d.page("urval")).await;
        let (before, _, version) = now(&store, &d).await;
        let p = parts(&store, &d).await;
        let field = format!("arsmal-{}", p.numeric);

        for typed in ["ca 90", "<script>alert(1)</script>"] {
            let mut f = fields(&form.csrf(), &version.to_string(), &before);
            f.retain(|(k, _)| *k != field);
            f.push((field.clone(), typed.to_string()));
            let a = m.post_pairs(&d.page("urval"), &f).await;
            assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
            assert!(a.body.contains("class=\"error-summary\""));
            assert!(a.body.contains(&format!("<a href=\"#{field}\">")));
            assert!(a.body.contains(&format!("id=\"{field}-fel\"")));
            assert!(a.body.contains("är inte ett tal"), "{}", a.body);
            let tag = a.tag(&field);
            assert!(tag.contains("aria-invalid=\"true\""), "{tag}");
            assert!(!a.body.contains("<script>alert(1)"));
            let kept = a.value_of("id", &field).unwrap();
            assert_eq!(
                unescaped_entities(&kept)
                    .replace("&lt;", "<")
                    .replace("&gt;", ">"),
                typed
            );
            assert_eq!(a.value_of("name", "version"), Some(version.to_string()));
        }
        assert!(
            m.get(&d.page("urval"))
                .await
                .body
                .contains(&format!("id=\"{field}\"")),
        );
        assert_eq!(now(&store, &d).await.2, version, "nothing saved");

        // A new target beside an indicator left unticked would be lost: asked, not saved.
        let mut unticked = before.clone();
        unticked.indicators.remove(&p.numeric);
        let mut f = fields(&form.csrf(), &version.to_string(), &unticked);
        f.push((field.clone(), "99 %".into()));
        let a = m.post_pairs(&d.page("urval"), &f).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(a.body.contains("inte är vald"));
        assert_eq!(a.value_of("id", &field).as_deref(), Some("99 %"));
        assert!(!a.tag(&format!("ind-{}", p.numeric)).contains(" checked"));

        // No version, or a box that names nothing: not saved.
        let mut f = fields(&form.csrf(), "", &before);
        let a = m.post_pairs(&d.page("urval"), &f).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(a.body.contains("<a href=\"#urval\">"));
        f = fields(&form.csrf(), &version.to_string(), &before);
        f.push(("mal".into(), "999999".into()));
        let a = m.post_pairs(&d.page("urval"), &f).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(a.body.contains("inte finns i planen"));
        assert_eq!(now(&store, &d).await.2, version, "nothing saved");
    }
);

both_backends!(
    a_stale_form_is_a_conflict_that_shows_the_differences,
    |store: Store| async move {
        let d = DemoPlan::load(&store).await;
        let m = signed_in(&store, &d.app, DEMO_MANAGER).await;
        let form = m.get(&d.page("urval")).await;
        let (before, _, version) = now(&store, &d).await;
        let p = parts(&store, &d).await;
        // Someone else takes in a goal first.
        let mut theirs = before.clone();
        theirs.goals.insert(p.new_goal);
        let a = m
            .post_pairs(
                &d.page("urval"),
                &fields(&form.csrf(), &version.to_string(), &theirs),
            )
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        // Mine, from the same page: drops an activity.
        let mut mine = before.clone();
        mine.activities.remove(&p.activity);
        let a = m
            .post_pairs(
                &d.page("urval"),
                &fields(&form.csrf(), &version.to_string(), &mine),
            )
            .await;
        assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
        assert!(a.body.contains("<h2 id=\"sparat-nu\">Sparat nu</h2>"));
        assert!(
            a.body.contains("sparat nu: med, ditt val: inte med"),
            "{}",
            a.body
        );
        assert!(a.body.contains("class=\"error-summary\""));
        // My choice is in the form, with the version now stored.
        assert!(!a.tag(&format!("akt-{}", p.activity)).contains(" checked"));
        assert!(!a.tag(&format!("mal-{}", p.new_goal)).contains(" checked"));
        let (stored, _, v) = now(&store, &d).await;
        assert_eq!(v, version + 1);
        assert_eq!(a.value_of("name", "version"), Some(v.to_string()));
        assert!(stored.goals.contains(&p.new_goal) && stored.activities.contains(&p.activity));
        // Saving again replaces theirs, knowingly.
        let again = m
            .post_pairs(
                &d.page("urval"),
                &fields(&form.csrf(), &v.to_string(), &mine),
            )
            .await;
        assert_eq!(again.status, StatusCode::SEE_OTHER);
        let (stored, _, _) = now(&store, &d).await;
        assert!(!stored.goals.contains(&p.new_goal) && !stored.activities.contains(&p.activity));
    }
);

both_backends!(
    only_writers_of_the_unit_choose_and_never_on_a_closed_plan,
    |store: Store| async move {
        let d = DemoPlan::load(&store).await;
        let (before, _, version) = now(&store, &d).await;
        let anonymous = Client::new(&d.app);
        let a = anonymous.get(&d.page("urval")).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        assert!(a.body.contains("<h1>Logga in</h1>"));
        let a = anonymous
            .post(&d.page("urval"), &[("version", &version.to_string())])
            .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);

        let reader = signed_in(&store, &d.app, DEMO_READER).await;
        assert_eq!(
            reader.get(&d.page("urval")).await.status,
            StatusCode::FORBIDDEN
        );
        let csrf = reader.get("/").await.csrf();
        let a = reader
            .post_pairs(
                &d.page("urval"),
                &fields(&csrf, &version.to_string(), &Selection::default()),
            )
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);

        // The manager without the form's token, or from another site: refused.
        let m = signed_in(&store, &d.app, DEMO_MANAGER).await;
        let a = m
            .post_pairs(
                &d.page("urval"),
                &fields("fel", &version.to_string(), &Selection::default()),
            )
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        let mut foreign = m.clone();
        foreign.origin = Some("https://elak.example");
        let csrf = m.get("/").await.csrf();
        let a = foreign
            .post_pairs(
                &d.page("urval"),
                &fields(&csrf, &version.to_string(), &Selection::default()),
            )
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        assert_eq!(now(&store, &d).await.0, before, "nothing changed");

        // The approved plan: shown read-only, a post refused with 409.
        let closed = format!("/enheter/{}/planer/{}/urval", d.unit, d.approved);
        let a = m.get(&closed).await;
        assert_eq!(a.status, StatusCode::OK);
        assert!(a.body.contains("Planen är godkänd"));
        assert!(!a.body.contains("<form class=\"form choice-form\""));
        assert!(a.body.contains(" disabled"));
        let plan = store.plan(d.unit, d.approved).await.unwrap().unwrap();
        let a = m
            .post_pairs(
                &closed,
                &fields(&csrf, &plan.version.to_string(), &Selection::default()),
            )
            .await;
        assert_eq!(a.status, StatusCode::CONFLICT);
        assert!(a.body.contains("Planen är godkänd"));
        assert_eq!(
            store
                .plan(d.unit, d.approved)
                .await
                .unwrap()
                .unwrap()
                .version,
            plan.version
        );
        let page = m
            .get(&format!("/enheter/{}/planer/{}", d.unit, d.approved))
            .await;
        assert!(!page.body.contains("/urval\""), "no link on a closed plan");

        // No such plan or unit.
        for path in [
            format!("/enheter/{}/planer/1990/urval", d.unit),
            format!("/enheter/999999/planer/{}/urval", d.year),
        ] {
            assert_eq!(m.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
        }
    }
);

both_backends!(the_api_chooses_what_applies, |store: Store| async move {
    let d = DemoPlan::load(&store).await;
    let (before, kept, version) = now(&store, &d).await;
    let p = parts(&store, &d).await;
    let body = |version: i64, goals: Vec<i64>, target: serde_json::Value| {
        json!({
            "version": version,
            "goals": goals,
            "activities": before.activities.iter().map(|a| a.0).collect::<Vec<_>>(),
            "indicators": [{"id": p.numeric.0, "target": target}],
        })
        .to_string()
    };
    let goals: Vec<i64> = vec![p.new_goal.0];

    let a = Client::new(&d.app)
        .put_json(&api(&d), &body(version, goals.clone(), json!("90 %")))
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.json()["error"]["code"], "unauthorized");
    let reader = with_token(&store, &d.app, DEMO_READER).await;
    let a = reader
        .put_json(&api(&d), &body(version, goals.clone(), json!("90 %")))
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(a.json()["error"]["code"], "forbidden");

    let m = with_token(&store, &d.app, DEMO_MANAGER).await;
    // Values that cannot be used: 422 naming the field, nothing saved.
    for (b, field) in [
        (body(version, goals.clone(), json!("ca 90")), "indicators"),
        (body(version, vec![999_999], json!(null)), "goals"),
        (
            json!({"version": "1", "goals": [], "activities": [], "indicators": []}).to_string(),
            "version",
        ),
        (
            json!({"version": 1, "goals": [], "activities": [], "indicators": [], "mer": 1})
                .to_string(),
            "request",
        ),
    ] {
        let a = m.put_json(&api(&d), &b).await;
        assert_eq!(
            a.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{b}: {}",
            a.body
        );
        let v = a.json();
        assert_eq!(v["error"]["code"], "unprocessable");
        assert_eq!(v["error"]["fields"][0]["field"], field, "{v}");
    }
    let a = m
        .put_json(&api(&d), &body(version, goals.clone(), json!("ca 90")))
        .await;
    assert!(
        a.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("\"ca 90\" är inte ett tal")
    );
    let a = m
        .send_body(
            axum::http::Method::PUT,
            &api(&d),
            Some(("application/json", "{\"version\":".into())),
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(now(&store, &d).await.2, version, "nothing saved");

    // Saved: the new version and what the plan now takes.
    let a = m
        .put_json(&api(&d), &body(version, goals.clone(), json!("90 %")))
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let v = a.json();
    assert_eq!(v["version"], version + 1);
    let ids = |key: &str| -> Vec<i64> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i.as_i64().unwrap())
            .collect()
    };
    assert!(ids("goals").contains(&p.new_goal.0));
    for k in &kept {
        assert!(ids("goals").contains(&k.0) && ids("kept_goals").contains(&k.0));
    }
    assert_eq!(
        v["indicators"],
        json!([{"id": p.numeric.0, "target": {"kind": "value", "text": "90 %", "value": "90"}}])
    );
    let (after, _, _) = now(&store, &d).await;
    assert_eq!(after.indicators.len(), 1, "the others are taken out");

    // Stale: 409, nothing changed.
    let a = m
        .put_json(&api(&d), &body(version, vec![], json!(null)))
        .await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert_eq!(a.json()["error"]["code"], "conflict");
    assert_eq!(now(&store, &d).await.0, after);

    // A closed plan: 409; no such plan or unit: 404.
    let closed = store.plan(d.unit, d.approved).await.unwrap().unwrap();
    let a = m
        .put_json(
            &format!("/api/v1/units/{}/plans/{}/selection", d.unit, d.approved),
            &json!({"version": closed.version, "goals": [], "activities": [], "indicators": []})
                .to_string(),
        )
        .await;
    assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
    for path in [
        format!("/api/v1/units/{}/plans/1990/selection", d.unit),
        format!("/api/v1/units/999999/plans/{}/selection", d.year),
    ] {
        let a = m.put_json(&path, &body(0, vec![], json!(null))).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(a.json()["error"]["code"], "not_found");
    }
});

#[test]
fn the_document_describes_choosing() {
    let doc = serde_json::to_value(malkedja_web::openapi()).unwrap();
    let op = &doc["paths"]["/api/v1/units/{id}/plans/{year}/selection"]["put"];
    for status in [
        "200", "400", "401", "403", "404", "409", "422", "500", "503",
    ] {
        assert!(op["responses"].get(status).is_some(), "documents {status}");
    }
    let saved = &doc["components"]["schemas"]["SavedSelection"];
    assert_eq!(saved["additionalProperties"], false);
    let choice = &doc["components"]["schemas"]["IndicatorChoice"];
    assert_eq!(choice["properties"]["target"]["maxLength"], 200);
}
