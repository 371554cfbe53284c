//! Each plan and report is its own record: importing or writing one never changes how
//! another reads, whatever order documents arrive in. On SQLite and PostgreSQL.

use malkedja_domain::{
    CascadeGoal, Direction, GoalLevel, GoalSection, Measure, NewIndicator, NodeId, Periodicity,
    PlanDocument, PlanOrigin, ReportDocument, ReportKind, Target, ValueKind,
};
use malkedja_import::{DocumentKind, ImportDocument, ParseOptions, parse_with};
use malkedja_store::import::{ImportOptions, UnitChoice, import_document};
use malkedja_store::{DocRef, Item, Store, StoreError, both_backends, count_queries};
use std::fmt::Write as _;

const PLAN: &str = "Inledning \nEnhetens uppdrag \nVi hjälper invånarna i Exempelby med allt som rör trädgårdar. \n\nKF:s inriktningsmål: 1. Ett påhittat inriktningsmål för \nhela staden \n\nKF:s mål för verksamhetsområdet: 1.2 Ett påhittat områdesmål \n\n  Indikator Årsmål KF:s årsmål år 2031 Periodicitet \n\n Andel nöjda \nträdgårdsägare \n\n80 % 75 % År \n\nNämndmål: Nämnden sköter parkerna väl \n\nBeskrivning \n\nNämnden planterar träd. \n\nFörväntat resultat \n\n- Fler träd. \n  Aktivitet Startdatum Slutdatum \n\n Nämnden planterar hundra ekar 2031-03-01 2031-10-31 \n\nEnhetsmål: Enheten vattnar alla rabatter \n\nFörväntat resultat \n\nInga rabatter torkar. \n\nArbetssätt \n\nVi vattnar varje morgon. \n\n Redovisning av ekonomi \n\nBudget 2031 \nBudgeten är 3 mnkr. \n";

fn snippet(unit: &str) -> ImportDocument {
    parse_with(
        PLAN,
        &ParseOptions {
            unit: Some(unit.into()),
            year: Some(2031),
        },
    )
    .expect("the snippet parses")
}

async fn import_with(
    store: &Store,
    docs: &[&ImportDocument],
    opts: &ImportOptions,
) -> Result<Vec<malkedja_store::import::ImportSummary>, StoreError> {
    let mut w = store.begin_write("import").await?;
    let mut out = Vec::new();
    for d in docs {
        out.push(import_document(&mut w, d, opts).await?);
    }
    w.commit().await?;
    Ok(out)
}

async fn import(store: &Store, docs: &[&ImportDocument]) {
    import_with(store, docs, &ImportOptions::default())
        .await
        .expect("the documents import");
}

async fn unit_named(store: &Store, name: &str) -> NodeId {
    store
        .org_nodes()
        .await
        .unwrap()
        .into_iter()
        .find(|n| n.name == name)
        .unwrap_or_else(|| panic!("{name} exists"))
        .id
}

/// How a cascade reads, without ids: what a person sees. A follow-up table states no
/// periodicity: a report shows the indicator's, which the plan of its year states when it is
/// there and which is a guess when the report came alone. `periodicity: false` leaves it out,
/// for comparing what a document states itself.
fn read_goals(goals: &[CascadeGoal], out: &mut String, depth: usize, periodicity: bool) {
    for g in goals {
        let pad = "  ".repeat(depth);
        let _ = writeln!(
            out,
            "{pad}{} {} {} ({})",
            g.goal.level.code(),
            g.goal.number.as_deref().unwrap_or(""),
            g.goal.title,
            g.owner_name
        );
        for (s, body) in &g.sections {
            let _ = writeln!(out, "{pad}  [{}] {body}", s.code());
        }
        for i in &g.indicators {
            let _ = writeln!(
                out,
                "{pad}  indikator {} årsmål {:?} KF {:?} {}",
                i.indicator.name,
                i.target.as_ref().map(Target::text),
                i.indicator.council_target.as_ref().map(Target::text),
                if periodicity {
                    i.indicator.periodicity.code()
                } else {
                    ""
                }
            );
        }
        for a in &g.activities {
            let _ = writeln!(out, "{pad}  aktivitet {} {}–{}", a.title, a.start, a.end);
        }
        read_goals(&g.children, out, depth + 1, periodicity);
    }
}

fn read_plan(p: &PlanDocument) -> String {
    let mut out = format!("plan {} {:?}\n", p.plan.year, p.plan.origin);
    for s in p.sections_before.iter().chain(&p.sections_after) {
        fn walk(s: &malkedja_domain::PlanSectionView, out: &mut String) {
            let _ = writeln!(out, "§ {}: {}", s.heading, s.body);
            for c in &s.children {
                walk(c, out);
            }
        }
        walk(s, &mut out);
    }
    read_goals(&p.goals, &mut out, 0, true);
    out
}

fn read_report(r: &ReportDocument) -> String {
    read_report_as(r, true)
}

fn read_report_as(r: &ReportDocument, periodicity: bool) -> String {
    let mut out = format!("rapport {} {}\n", r.year, r.report.kind.code());
    for s in &r.sections {
        let _ = writeln!(out, "§ {}: {}", s.heading, s.body);
    }
    read_goals(&r.goals, &mut out, 0, periodicity);
    for g in r.goals.iter().flat_map(CascadeGoal::walk) {
        if let Some(a) = r.assessments.get(&g.goal.id) {
            let _ = writeln!(
                out,
                "bedömning {}: {:?} {:?}",
                g.goal.title, a.assessment, a.analysis
            );
        }
        for i in &g.indicators {
            if let Some(o) = r.outcomes.get(&i.indicator.id) {
                let _ = writeln!(
                    out,
                    "utfall {}: {:?}",
                    i.indicator.name,
                    o.outcome.as_ref().map(|m| &m.text)
                );
            }
        }
        for a in &g.activities {
            if let Some(f) = r.followups.get(&a.id) {
                let _ = writeln!(out, "status {}: {:?}", a.title, f.status);
            }
        }
    }
    let _ = writeln!(out, "klagomål {}", r.complaints.len());
    out
}

/// How every document of `docs` reads in `store`.
async fn read_all(store: &Store, docs: &[&ImportDocument]) -> Vec<String> {
    read_all_as(store, docs, true).await
}

async fn read_all_as(store: &Store, docs: &[&ImportDocument], periodicity: bool) -> Vec<String> {
    let mut out = Vec::new();
    for d in docs {
        let unit = unit_named(store, &d.unit).await;
        out.push(match d.kind {
            DocumentKind::Plan => {
                read_plan(&store.plan_document(unit, d.year).await.unwrap().unwrap())
            }
            k => {
                let kind = match k {
                    DocumentKind::Tertial1 => ReportKind::Tertial1,
                    DocumentKind::Tertial2 => ReportKind::Tertial2,
                    _ => ReportKind::AnnualReport,
                };
                read_report_as(
                    &store
                        .report_document(unit, d.year, kind)
                        .await
                        .unwrap()
                        .unwrap(),
                    periodicity,
                )
            }
        });
    }
    out
}

/// The real documents, parsed; `None` (with a notice) when they are not here.
fn seeds() -> Option<Vec<ImportDocument>> {
    Some(
        malkedja_store::testing::seed_files()?
            .iter()
            .map(|(_, b)| malkedja_import::parse_bytes(b).unwrap())
            .collect(),
    )
}

fn permutations(n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![Vec::new()];
    }
    let mut out = Vec::new();
    for rest in permutations(n - 1) {
        for i in 0..=rest.len() {
            let mut p = rest.clone();
            p.insert(i, n - 1);
            out.push(p);
        }
    }
    out
}

both_backends!(
    every_seed_reads_the_same_alone_and_in_every_order,
    |store: Store| async move {
        let Some(docs) = seeds() else { return };
        // Each document alone, each in a database of its own.
        let mut alone = Vec::new();
        for d in &docs {
            let db = malkedja_store::testing::same_backend(&store).await;
            import(&db.store, &[d]).await;
            alone.push(read_all_as(&db.store, &[d], false).await.remove(0));
            db.finish().await;
        }
        // All of them together, in every order.
        for order in permutations(docs.len()) {
            let db = malkedja_store::testing::same_backend(&store).await;
            let ordered: Vec<&ImportDocument> = order.iter().map(|i| &docs[*i]).collect();
            import(&db.store, &ordered).await;
            let all: Vec<&ImportDocument> = docs.iter().collect();
            let together = read_all_as(&db.store, &all, false).await;
            for (i, (a, t)) in alone.iter().zip(&together).enumerate() {
                let diff: Vec<String> = a
                    .lines()
                    .zip(t.lines())
                    .filter(|(x, y)| x != y)
                    .take(3)
                    .map(|(x, y)| format!("alone:    {x}\ntogether: {y}"))
                    .collect();
                assert!(
                    a == t,
                    "document {i} reads differently when imported in order {order:?}:\n{}",
                    diff.join("\n")
                );
            }
            db.finish().await;
        }
    }
);

both_backends!(
    a_report_that_renames_a_unit_goal_leaves_the_plan_as_it_was,
    |store: Store| async move {
        let plan = snippet("Trädgårdsenheten");
        import(&store, &[&plan]).await;
        let unit = unit_named(&store, "Trädgårdsenheten").await;
        let before = read_plan(&store.plan_document(unit, 2031).await.unwrap().unwrap());

        let mut report = plan.clone();
        report.kind = DocumentKind::AnnualReport;
        let ug = report
            .goals
            .iter_mut()
            .find(|g| g.level == GoalLevel::Unit)
            .unwrap();
        ug.title = "Enheten vattnar alla rabatter och krukor".into();
        ug.assessment = Some(malkedja_domain::Assessment::Met);
        report.indicators[0].target = Some("85 %".into());
        report.indicators[0].outcome = Some("82 %".into());
        import(&store, &[&report]).await;

        let after = read_plan(&store.plan_document(unit, 2031).await.unwrap().unwrap());
        assert_eq!(before, after, "the plan reads as it did");
        assert!(before.contains("årsmål Some(\"80 %\")"), "{before}");
        let r = store
            .report_document(unit, 2031, ReportKind::AnnualReport)
            .await
            .unwrap()
            .unwrap();
        let text = read_report(&r);
        assert!(text.contains("alla rabatter och krukor"), "{text}");
        assert!(
            !text.contains("vattnar alla rabatter ("),
            "the old title is not in the report: {text}"
        );
        assert!(
            text.contains("årsmål Some(\"85 %\")"),
            "the report's own årsmål: {text}"
        );
    }
);

both_backends!(
    a_revised_plan_replaces_what_its_first_import_stored,
    |store: Store| async move {
        let first = snippet("Trädgårdsenheten");
        import(&store, &[&first]).await;
        let mut revised = first.clone();
        let ug = revised
            .goals
            .iter_mut()
            .find(|g| g.level == GoalLevel::Unit)
            .unwrap();
        ug.title = "Enheten sköter alla rabatter".into();
        revised.activities[0].title = "Nämnden planterar tvåhundra ekar".into();
        revised
            .sections
            .retain(|s| !s.heading.starts_with("Budget"));
        import(&store, &[&revised]).await;

        let unit = unit_named(&store, "Trädgårdsenheten").await;
        let text = read_plan(&store.plan_document(unit, 2031).await.unwrap().unwrap());
        assert!(text.contains("sköter alla rabatter"), "{text}");
        assert!(
            !text.contains("vattnar alla rabatter"),
            "only the revised goal: {text}"
        );
        assert!(
            text.contains("tvåhundra ekar") && !text.contains("planterar hundra ekar"),
            "{text}"
        );
        assert!(
            !text.contains("Budgeten är 3 mnkr"),
            "a section the revision dropped: {text}"
        );
        // The first version is in the history.
        let plan = store.plan(unit, 2031).await.unwrap().unwrap();
        let trail = store
            .audit_trail("document_contents", &format!("plan/{}", plan.id))
            .await
            .unwrap();
        assert_eq!(trail.len(), 2, "first import, then the revision: {trail:?}");
        assert!(trail[1].before.is_some());
    }
);

both_backends!(
    a_board_text_differing_only_in_whitespace_is_the_same_revision,
    |store: Store| async move {
        let a = snippet("Trädgårdsenheten");
        let mut b = snippet("Parkenheten");
        let board = b
            .goals
            .iter_mut()
            .find(|g| g.level == GoalLevel::Board)
            .unwrap();
        for (_, body) in board.sections.0.iter_mut() {
            *body = format!("\n{body}  \n\n\n");
        }
        import(&store, &[&b, &a]).await;
        let goal = store.goals_at_level(2031, GoalLevel::Board).await.unwrap()[0].clone();
        let texts = store.goal_texts(goal.id).await.unwrap();
        assert_eq!(
            texts
                .iter()
                .filter(|v| v.section == GoalSection::Description)
                .count(),
            1,
            "{texts:?}"
        );
    }
);

both_backends!(
    a_plan_made_for_a_report_holds_no_planning_texts,
    |store: Store| async move {
        let mut report = snippet("Trädgårdsenheten");
        report.kind = DocumentKind::AnnualReport;
        import(&store, &[&report]).await;
        let unit = unit_named(&store, "Trädgårdsenheten").await;
        let plan = store.plan_document(unit, 2031).await.unwrap().unwrap();
        assert_eq!(plan.plan.origin, PlanOrigin::Report);
        assert!(
            plan.goals.is_empty(),
            "the report's goals are not planned: {:?}",
            plan.goals
        );
        // The plan itself, imported later, makes it a plan.
        import(&store, &[&snippet("Trädgårdsenheten")]).await;
        let plan = store.plan_document(unit, 2031).await.unwrap().unwrap();
        assert_eq!(plan.plan.origin, PlanOrigin::Plan);
        assert!(!plan.goals.is_empty());
    }
);

both_backends!(
    units_with_other_department_goals_get_their_own_department,
    |store: Store| async move {
        let mut a = snippet("Trädgårdsenheten");
        let board = a
            .goals
            .iter()
            .position(|g| g.level == GoalLevel::Board)
            .unwrap();
        let dept = |title: &str| malkedja_import::Goal {
            level: GoalLevel::Department,
            number: None,
            title: title.into(),
            parent: Some(board),
            sections: malkedja_import::GoalSections(Vec::new()),
            assessment: None,
            analysis: None,
        };
        a.goals.push(dept("Avdelningen vårdar träden"));
        let mut b = snippet("Parkenheten");
        b.goals.push(dept("Avdelningen städar gångarna"));
        import(&store, &[&a]).await;
        let alone = read_all(&store, &[&a]).await;
        import(&store, &[&b]).await;
        assert_eq!(
            alone,
            read_all(&store, &[&a]).await,
            "the first plan reads as before"
        );
        let text = read_all(&store, &[&b]).await.remove(0);
        assert!(
            text.contains("städar gångarna") && !text.contains("vårdar träden"),
            "{text}"
        );
        let chain_a = store
            .chain(unit_named(&store, "Trädgårdsenheten").await)
            .await
            .unwrap();
        let chain_b = store
            .chain(unit_named(&store, "Parkenheten").await)
            .await
            .unwrap();
        assert_ne!(chain_a[1].id, chain_b[1].id, "two departments");
        // A third unit with the first's department goals joins that department.
        let mut c = snippet("Blomsterenheten");
        c.goals.push(dept("Avdelningen vårdar träden"));
        import(&store, &[&c]).await;
        let chain_c = store
            .chain(unit_named(&store, "Blomsterenheten").await)
            .await
            .unwrap();
        assert_eq!(chain_c[1].id, chain_a[1].id);

        // When two departments have those goals, the import cannot choose and says how to.
        let board_goal = store.goals_at_level(2031, GoalLevel::Board).await.unwrap()[0].clone();
        let mut w = store.begin_write("test").await.unwrap();
        let twin = w
            .create_node(malkedja_domain::NewNode {
                parent_id: Some(chain_a[2].id),
                kind: malkedja_domain::OrgKind::Department,
                name: "Tvillingavdelningen".into(),
                position: 9,
            })
            .await
            .unwrap();
        w.create_goal(malkedja_domain::NewGoal {
            year: 2031,
            level: GoalLevel::Department,
            owner_id: twin.id,
            parent_id: Some(board_goal.id),
            number: None,
            title: "Avdelningen vårdar träden".into(),
            position: 0,
        })
        .await
        .unwrap();
        w.commit().await.unwrap();
        let mut d = snippet("Lövenheten");
        d.goals.push(dept("Avdelningen vårdar träden"));
        let err = import_with(&store, &[&d], &ImportOptions::default())
            .await
            .unwrap_err();
        assert!(err.to_string().contains("--under"), "{err}");
        let opts = ImportOptions {
            unit: UnitChoice::FromDocument,
            under: Some(twin.id),
        };
        import_with(&store, &[&d], &opts).await.unwrap();
        let chain_d = store
            .chain(unit_named(&store, "Lövenheten").await)
            .await
            .unwrap();
        assert_eq!(chain_d[1].id, twin.id);
    }
);

both_backends!(
    a_variant_of_seed_003_with_other_department_goals_stays_apart,
    |store: Store| async move {
        let Some(docs) = seeds() else { return };
        let Some(d003) = docs
            .iter()
            .find(|d| d.goals.iter().any(|g| g.level == GoalLevel::Department))
        else {
            panic!("a seed has department goals");
        };
        let mut variant = d003.clone();
        variant.unit = "Påhittade enheten".into();
        for g in variant
            .goals
            .iter_mut()
            .filter(|g| g.level == GoalLevel::Department)
        {
            g.title = format!("Påhittat avdelningsmål: {}", g.title.len());
        }
        import(&store, &[d003]).await;
        let alone = read_all(&store, &[d003]).await;
        import(&store, &[&variant]).await;
        assert_eq!(alone, read_all(&store, &[d003]).await);
        let text = read_all(&store, &[&variant]).await.remove(0);
        for g in d003
            .goals
            .iter()
            .filter(|g| g.level == GoalLevel::Department)
        {
            assert!(!text.contains(&g.title), "{}", g.title);
        }
    }
);

both_backends!(
    under_limits_the_search_for_an_existing_unit,
    |store: Store| async move {
        import(&store, &[&snippet("Trädgårdsenheten")]).await;
        let unit = unit_named(&store, "Trädgårdsenheten").await;
        let admin = store.chain(unit).await.unwrap()[1].clone();
        // A second district with a unit of the same name.
        let mut w = store.begin_write("test").await.unwrap();
        let city = store.chain(unit).await.unwrap().last().unwrap().id;
        let board = w
            .create_node(malkedja_domain::NewNode {
                parent_id: Some(city),
                kind: malkedja_domain::OrgKind::Board,
                name: "Andra nämnden".into(),
                position: 1,
            })
            .await
            .unwrap();
        let other_admin = w
            .create_node(malkedja_domain::NewNode {
                parent_id: Some(board.id),
                kind: malkedja_domain::OrgKind::Administration,
                name: "Andra förvaltningen".into(),
                position: 0,
            })
            .await
            .unwrap();
        w.commit().await.unwrap();
        let opts = ImportOptions {
            unit: UnitChoice::FromDocument,
            under: Some(other_admin.id),
        };
        let s = import_with(&store, &[&snippet("Trädgårdsenheten")], &opts)
            .await
            .unwrap();
        assert_ne!(s[0].unit_id, unit.0, "not the unit in the other district");
        let placed = store.chain(NodeId(s[0].unit_id)).await.unwrap();
        assert_eq!(placed[1].id, other_admin.id);
        // Without --under the name is now ambiguous, and the message says what to do.
        let err = import_with(
            &store,
            &[&snippet("Trädgårdsenheten")],
            &ImportOptions::default(),
        )
        .await
        .unwrap_err();
        assert!(err.to_string().contains("--under"), "{err}");
        assert_ne!(admin.id, other_admin.id);
    }
);

both_backends!(
    a_units_own_indicator_on_a_board_goal_shows_only_in_its_plan,
    |store: Store| async move {
        let a = snippet("Trädgårdsenheten");
        let b = snippet("Parkenheten");
        import(&store, &[&a, &b]).await;
        let ua = unit_named(&store, "Trädgårdsenheten").await;
        let ub = unit_named(&store, "Parkenheten").await;
        let board = store.goals_at_level(2031, GoalLevel::Board).await.unwrap()[0].clone();
        let mut w = store.begin_write("test").await.unwrap();
        let own = w
            .create_indicator(NewIndicator {
                year: 2031,
                goal_id: board.id,
                owner_id: ua,
                name: "Trädgårdsenhetens egen indikator".into(),
                unit_of_measure: None,
                periodicity: Periodicity::Year,
                direction: Direction::HigherIsBetter,
                value_kind: ValueKind::Number,
                by_sex: false,
                council_target: None,
                position: 9,
            })
            .await
            .unwrap();
        let plan_a = w.plan(ua, 2031).await.unwrap().unwrap();
        let plan_b = w.plan(ub, 2031).await.unwrap().unwrap();
        w.set_document_target(
            DocRef::Plan(plan_a.id),
            own.id,
            Some(Target::Value(Measure::parse("12"))),
        )
        .await
        .unwrap();
        // Another unit's plan cannot take it.
        let err = w
            .include(DocRef::Plan(plan_b.id), Item::Indicator(own.id))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Domain(_)), "{err}");
        w.commit().await.unwrap();
        let text_a = read_plan(&store.plan_document(ua, 2031).await.unwrap().unwrap());
        let text_b = read_plan(&store.plan_document(ub, 2031).await.unwrap().unwrap());
        assert!(
            text_a.contains("egen indikator årsmål Some(\"12\")"),
            "{text_a}"
        );
        assert!(!text_b.contains("egen indikator"), "{text_b}");
        // A board may not own an indicator on a unit's goal.
        let unit_goal = store.goals_at_level(2031, GoalLevel::Unit).await.unwrap()[0].clone();
        let mut w = store.begin_write("test").await.unwrap();
        let board_node = store.chain(ua).await.unwrap()[2].id;
        let err = w
            .create_indicator(NewIndicator {
                year: 2031,
                goal_id: unit_goal.id,
                owner_id: board_node,
                name: "Fel ägare".into(),
                unit_of_measure: None,
                periodicity: Periodicity::Year,
                direction: Direction::HigherIsBetter,
                value_kind: ValueKind::Number,
                by_sex: false,
                council_target: None,
                position: 0,
            })
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::Domain(malkedja_domain::DomainError::ItemOwner)
            ),
            "{err}"
        );
    }
);

both_backends!(
    a_read_costs_the_same_few_queries_whatever_the_organisation,
    |store: Store| async move {
        malkedja_store::demo::load(&store, &|_| {})
            .await
            .expect("demo loads");
        // The demo's units sit at different depths with different numbers of operations.
        let nodes = store.org_nodes().await.unwrap();
        let mut measured = Vec::new();
        for unit in nodes
            .iter()
            .filter(|n| n.kind == malkedja_domain::OrgKind::Unit)
        {
            let depth = store.chain(unit.id).await.unwrap().len();
            let ops = store.children(unit.id).await.unwrap().len();
            let (plan, plan_queries) = count_queries(store.plan_document(unit.id, 2025)).await;
            assert!(plan.unwrap().is_some());
            let (report, report_queries) =
                count_queries(store.report_document(unit.id, 2025, ReportKind::AnnualReport)).await;
            assert!(report.unwrap().is_some());
            assert!(
                plan_queries <= 12,
                "a plan read took {plan_queries} queries"
            );
            // Two more than a plan: the indicators' history (last year's outcome, charts)
            // and the economy (its lines of every operation, in one query).
            assert!(
                report_queries <= 14,
                "a report read took {report_queries} queries"
            );
            measured.push((depth, ops, plan_queries, report_queries));
        }
        // Add a unit at another depth with more operations: the same count.
        let first = nodes
            .iter()
            .find(|n| n.kind == malkedja_domain::OrgKind::Unit)
            .unwrap();
        let first_chain = store.chain(first.id).await.unwrap();
        let mut w = store.begin_write("test").await.unwrap();
        use malkedja_domain::{NewNode, OrgKind};
        let parent = &first_chain[1];
        // Directly under the administration when the demo's units sit under departments;
        // under a new department when they sit under the administration.
        let host = if parent.kind == OrgKind::Department {
            first_chain[2].id
        } else {
            w.create_node(NewNode {
                parent_id: Some(parent.id),
                kind: OrgKind::Department,
                name: "Djupa avdelningen".into(),
                position: 0,
            })
            .await
            .unwrap()
            .id
        };
        let deep = w
            .create_node(NewNode {
                parent_id: Some(host),
                kind: OrgKind::Unit,
                name: "Djupa enheten".into(),
                position: 0,
            })
            .await
            .unwrap();
        for i in 0..7 {
            w.create_node(NewNode {
                parent_id: Some(deep.id),
                kind: OrgKind::Operation,
                name: format!("Verksamhet {i}"),
                position: i,
            })
            .await
            .unwrap();
        }
        let plan = w.create_plan(deep.id, 2025).await.unwrap();
        let report = w
            .ensure_report(
                plan.id,
                ReportKind::AnnualReport,
                time::macros::datetime!(2025-12-31 0:00 UTC),
            )
            .await
            .unwrap();
        w.commit().await.unwrap();
        let _ = report;
        let (_, plan_queries) = count_queries(store.plan_document(deep.id, 2025)).await;
        let (_, report_queries) =
            count_queries(store.report_document(deep.id, 2025, ReportKind::AnnualReport)).await;
        let depth = store.chain(deep.id).await.unwrap().len();
        measured.push((depth, 7, plan_queries, report_queries));
        assert_ne!(measured[0].0, depth, "two depths are compared");
        let first = measured[0];
        for m in &measured {
            assert_eq!(
                (m.2, m.3),
                (first.2, first.3),
                "depth and operations change nothing: {measured:?}"
            );
        }
        eprintln!("queries per read (depth, operations, plan, report): {measured:?}");
    }
);

both_backends!(
    items_of_one_document_are_never_merged_and_near_matches_are_listed,
    |store: Store| async move {
        // One plan with two indicators that differ in a digit: two indicators, each with
        // its own target.
        let mut a = snippet("Trädgårdsenheten");
        let mut second = a.indicators[0].clone();
        a.indicators[0].name = "Andel nöjda trädgårdsägare i zon 3".into();
        second.name = "Andel nöjda trädgårdsägare i zon 4".into();
        second.target = Some("60 %".into());
        a.indicators.push(second);
        let s = import_with(&store, &[&a], &ImportOptions::default())
            .await
            .unwrap();
        assert!(s[0].near_matches.is_empty(), "{:?}", s[0].near_matches);
        let unit = unit_named(&store, "Trädgårdsenheten").await;
        let text = read_plan(&store.plan_document(unit, 2031).await.unwrap().unwrap());
        assert!(text.contains("zon 3 årsmål Some(\"80 %\")"), "{text}");
        assert!(text.contains("zon 4 årsmål Some(\"60 %\")"), "{text}");

        // A later document writing one of them with a typo takes it, and says so.
        let mut b = snippet("Parkenheten");
        b.indicators[0].name = "Andel nöjda trädgårdsägarre i zon 3".into();
        let s = import_with(&store, &[&b], &ImportOptions::default())
            .await
            .unwrap();
        assert_eq!(s[0].indicators_created, 0, "{:?}", s[0]);
        assert_eq!(s[0].near_matches.len(), 1, "{:?}", s[0].near_matches);
        assert_eq!(
            s[0].near_matches[0].stored,
            "Andel nöjda trädgårdsägare i zon 3"
        );
        let json = serde_json::to_value(&s[0]).unwrap();
        assert_eq!(json["near_matches"][0]["item"], "indicator");
        // It reads as the document wrote it.
        let ub = unit_named(&store, "Parkenheten").await;
        let text = read_plan(&store.plan_document(ub, 2031).await.unwrap().unwrap());
        assert!(text.contains("trädgårdsägarre i zon 3"), "{text}");
    }
);

both_backends!(
    a_pin_must_name_a_revision_that_exists,
    |store: Store| async move {
        import(&store, &[&snippet("Trädgårdsenheten")]).await;
        let unit = unit_named(&store, "Trädgårdsenheten").await;
        let plan = store.plan(unit, 2031).await.unwrap().unwrap();
        let board = store.goals_at_level(2031, GoalLevel::Board).await.unwrap()[0].clone();
        let mut w = store.begin_write("test").await.unwrap();
        let dangling = [((board.id, GoalSection::Description), 99)].into();
        let err = w.set_pins(DocRef::Plan(plan.id), &dangling).await;
        assert!(err.is_err(), "a pin to revision 99 is refused");
    }
);

both_backends!(
    a_document_takes_in_only_items_of_its_year_that_exist,
    |store: Store| async move {
        import(&store, &[&snippet("Trädgårdsenheten")]).await;
        let mut later = snippet("Trädgårdsenheten");
        later.year = 2032;
        import(&store, &[&later]).await;
        let unit = unit_named(&store, "Trädgårdsenheten").await;
        let plan = store.plan(unit, 2031).await.unwrap().unwrap();
        let next_year = store.goals_at_level(2032, GoalLevel::Board).await.unwrap()[0].clone();
        let mut w = store.begin_write("test").await.unwrap();
        let err = w
            .include(DocRef::Plan(plan.id), Item::Goal(next_year.id))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Placement(_)), "{err}");
        let err = w
            .include(
                DocRef::Plan(plan.id),
                Item::Goal(malkedja_domain::GoalId(999_999)),
            )
            .await
            .unwrap_err();
        assert!(err.is_not_found(), "{err}");
    }
);
