//! The built-in demo district, on both backends.

use malkedja_domain::{
    ActivityStatus, Assessment, CascadeGoal, Direction, GoalLevel, GoalSection, NewGoal,
    NewIndicator, NewNode, NodeId, OrgKind, Periodicity, Placement, PlanDocument, PlanSectionView,
    PlanStatus, ReportDocument, ReportKind, Role, Target, Transition, ValueKind, Year,
    text_in_force,
};
use malkedja_store::demo::{self, DemoSummary};
use malkedja_store::password;
use malkedja_store::{Store, both_backends};
use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;
use time::macros::datetime;

/// The years the data writes by hand, with texts, facts and full plans.
const YEARS: [Year; 2] = [2025, 2026];
/// The years before, with plans of goals and indicators and reports of generated outcomes.
const HISTORY: [Year; 3] = [2022, 2023, 2024];
const ALL_YEARS: [Year; 5] = [2022, 2023, 2024, 2025, 2026];

/// The plan sections every demo plan fills.
const FILLED: [&str; 14] = [
    "uppdrag",
    "utvecklingsomraden",
    "organisation",
    "resursanvandning",
    "budget",
    "kvalitetsarbete",
    "synpunkter",
    "avvikelser",
    "brukarundersokning",
    "egenkontroller",
    "utvecklingsarbete",
    "personalens_medverkan",
    "kvalitetsprogram",
    "agenda2030",
];

async fn load(store: &Store) -> DemoSummary {
    demo::load(store, &|_| {})
        .await
        .expect("demo loads")
        .expect("the first load creates the district")
}

fn all_goals(doc: &PlanDocument) -> Vec<&CascadeGoal> {
    doc.goals.iter().flat_map(|g| g.walk()).collect()
}

fn section<'a>(views: &'a [PlanSectionView], key: &str) -> Option<&'a PlanSectionView> {
    views.iter().find_map(|v| {
        if v.key == key {
            Some(v)
        } else {
            section(&v.children, key)
        }
    })
}

async fn plan(store: &Store, unit: NodeId, year: Year) -> PlanDocument {
    store
        .plan_document(unit, year)
        .await
        .expect("plan document")
        .expect("the unit has a plan")
}

fn unit_named(summary: &DemoSummary, name: &str) -> NodeId {
    summary
        .units
        .iter()
        .find(|(_, n)| n == name)
        .map(|(id, _)| *id)
        .expect(name)
}

both_backends!(loads_the_district, |store: Store| async move {
    let lines = Mutex::new(Vec::<String>::new());
    let summary = demo::load(&store, &|l: &str| lines.lock().unwrap().push(l.to_string()))
        .await
        .expect("demo loads")
        .expect("the first load creates the district");

    assert_eq!(summary.units.len(), 3);
    assert_eq!(summary.years, ALL_YEARS);
    assert!(summary.goals >= 80, "goals: {}", summary.goals);
    assert!(
        summary.indicators >= 40,
        "indicators: {}",
        summary.indicators
    );
    assert!(
        summary.activities >= 60,
        "activities: {}",
        summary.activities
    );
    assert!(
        lines
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.starts_with("Mål för 2025")),
        "{:?}",
        lines.lock().unwrap()
    );
    assert!(
        lines
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.starts_with("Mål för 2026"))
    );
    for start in [
        "Uppföljning 2025: verksamhetsberättelse för ",
        "Uppföljning 2026: tertialrapport 1 för ",
    ] {
        assert!(
            lines.lock().unwrap().iter().any(|l| l.starts_with(start)),
            "{start}: {:?}",
            lines.lock().unwrap()
        );
    }
    // Every unit: T1, T2 and the annual report of 2022–2025; in 2026 the first tertial of
    // two units.
    assert_eq!(summary.reports, 3 * 3 * 4 + 2);

    let nodes = store.org_nodes().await.unwrap();
    let count = |kind: OrgKind| nodes.iter().filter(|n| n.kind == kind).count();
    assert_eq!(count(OrgKind::City), 1);
    assert_eq!(count(OrgKind::Board), 1);
    assert_eq!(count(OrgKind::Administration), 1);
    assert_eq!(count(OrgKind::Department), 2);
    assert_eq!(count(OrgKind::Unit), 3);
    assert!(count(OrgKind::Operation) >= 9);
    assert!(nodes.iter().any(|n| n.name == "Sjövikens stadsdelsnämnd"));
    assert_eq!(store.years().await.unwrap(), ALL_YEARS);

    // Every unit and operation has facts for both years.
    for n in nodes
        .iter()
        .filter(|n| matches!(n.kind, OrgKind::Unit | OrgKind::Operation))
    {
        for year in YEARS {
            let f = store
                .unit_facts(n.id, year)
                .await
                .unwrap()
                .unwrap_or_else(|| panic!("facts for {} {year}", n.name));
            assert!(!f.managers.is_empty(), "{} has a manager", n.name);
            assert!(f.staff_totals().2 > 0, "{} has staff", n.name);
            assert!(f.clients.is_some_and(|c| c > 0) && !f.clients_label.is_empty());
            assert!(
                f.budget_kr
                    .is_some_and(|b| b > malkedja_domain::Decimal::ZERO)
            );
            assert!(!f.staff_meetings.is_empty());
            assert!(f.staff_meetings.iter().all(|m| m.date.year() == year));
        }
    }

    // The set of area goals changes between the years.
    let areas = |goals: Vec<malkedja_domain::Goal>| -> BTreeSet<String> {
        goals.into_iter().filter_map(|g| g.number).collect()
    };
    let a25 = areas(store.goals_at_level(2025, GoalLevel::Area).await.unwrap());
    let a26 = areas(store.goals_at_level(2026, GoalLevel::Area).await.unwrap());
    assert!(a25.contains("2.4") && !a26.contains("2.4"));
    for n in ["1.4", "2.3", "3.7"] {
        assert!(!a25.contains(n) && a26.contains(n), "{n}");
    }
    assert_eq!(
        store
            .goals_at_level(2025, GoalLevel::Direction)
            .await
            .unwrap()
            .len(),
        3
    );
});

both_backends!(
    loading_twice_does_nothing_the_second_time,
    |store: Store| async move {
        load(&store).await;
        let events = store.audit_count().await.unwrap();
        let nodes = store.org_nodes().await.unwrap().len();
        let lines = Mutex::new(Vec::<String>::new());
        let again = demo::load(&store, &|l: &str| lines.lock().unwrap().push(l.to_string()))
            .await
            .unwrap();
        assert!(again.is_none());
        assert!(!lines.lock().unwrap().is_empty());
        assert_eq!(store.audit_count().await.unwrap(), events);
        assert_eq!(store.org_nodes().await.unwrap().len(), nodes);
    }
);

both_backends!(
    every_plan_has_the_whole_cascade_and_all_sections,
    |store: Store| async move {
        let summary = load(&store).await;
        for (unit, name) in &summary.units {
            for year in YEARS {
                let doc = plan(&store, *unit, year).await;
                assert_eq!(&doc.unit.name, name);
                assert!(doc.facts.is_some());
                assert!(
                    doc.operations.len() >= 3 && doc.operations.iter().all(|(_, f)| f.is_some()),
                    "{name} {year}"
                );

                let goals = all_goals(&doc);
                let levels: BTreeSet<GoalLevel> = goals.iter().map(|g| g.goal.level).collect();
                assert_eq!(
                    levels,
                    GoalLevel::ALL.into_iter().collect(),
                    "{name} {year}"
                );

                let own: Vec<_> = goals
                    .iter()
                    .filter(|g| g.goal.level == GoalLevel::Unit)
                    .collect();
                assert!(
                    (4..=6).contains(&own.len()),
                    "{name} {year}: {} unit goals",
                    own.len()
                );
                for g in &own {
                    assert!(!g.inherited);
                    let sections: Vec<GoalSection> = g.sections.iter().map(|(s, _)| *s).collect();
                    assert_eq!(sections, GoalLevel::Unit.sections(), "{}", g.goal.title);
                    assert!(
                        g.sections.iter().all(|(_, body)| body.trim().len() > 40),
                        "{}",
                        g.goal.title
                    );
                }
                assert!(own.iter().any(|g| !g.activities.is_empty()));
                assert!(
                    own.iter().any(|g| !g.indicators.is_empty()
                        && g.indicators.iter().all(|i| i.target.is_some()))
                );

                // Inherited board goals carry both texts; the unit sees only the board activities it
                // selected, and at least one selected board goal has no unit goal under it.
                let board: Vec<_> = goals
                    .iter()
                    .filter(|g| g.goal.level == GoalLevel::Board)
                    .collect();
                assert!(board.iter().all(|g| g.inherited && g.sections.len() == 2));
                assert!(board.iter().any(|g| g.children.is_empty()), "{name} {year}");
                assert!(board.iter().any(|g| !g.activities.is_empty()));
                let dept: Vec<_> = goals
                    .iter()
                    .filter(|g| g.goal.level == GoalLevel::Department)
                    .collect();
                assert!(dept.iter().all(|g| {
                    g.sections
                        .iter()
                        .any(|(s, _)| *s == GoalSection::ExpectedResult)
                }));
                assert!(dept.iter().all(|g| !g.activities.is_empty()));
                // Council indicators the unit selected are shown on the area goals.
                assert!(
                    goals
                        .iter()
                        .any(|g| g.goal.level == GoalLevel::Area && !g.indicators.is_empty())
                );

                for key in FILLED {
                    let s = section(&doc.sections_before, key)
                        .or_else(|| section(&doc.sections_after, key))
                        .unwrap_or_else(|| panic!("{key} in the template"));
                    assert!(!s.body.trim().is_empty(), "{name} {year}: {key} is filled");
                }
                let organisation = section(&doc.sections_before, "organisation").unwrap();
                assert!(organisation.body.contains("\n\n") && organisation.body.contains("\n• "));
                let focus = [
                    "stockholmarna_i_fokus",
                    "helhetssyn",
                    "hallbarhet",
                    "handlingsutrymme",
                    "larande",
                    "oppenhet",
                ]
                .into_iter()
                .filter(|k| {
                    section(&doc.sections_after, k).is_some_and(|s| !s.body.trim().is_empty())
                })
                .count();
                assert!(focus >= 2, "{name} {year}: {focus} approaches");
            }
        }
        // All three units' own goals are different from each other's.
        let mut titles = BTreeSet::new();
        for (unit, _) in &summary.units {
            let doc = plan(&store, *unit, 2025).await;
            let first = all_goals(&doc)
                .into_iter()
                .find(|g| g.goal.level == GoalLevel::Unit)
                .unwrap()
                .goal
                .title
                .clone();
            assert!(titles.insert(first));
        }
    }
);

both_backends!(
    the_revised_board_goal_reads_differently_by_date,
    |store: Store| async move {
        load(&store).await;
        let mut revised = None;
        for g in store.goals_at_level(2025, GoalLevel::Board).await.unwrap() {
            let texts = store.goal_texts(g.id).await.unwrap();
            if texts
                .iter()
                .filter(|t| t.section == GoalSection::Description)
                .count()
                > 1
            {
                revised = Some((g, texts));
            }
        }
        let (goal, texts) = revised.expect("a board goal with a revised text");
        let before = text_in_force(
            &texts,
            GoalSection::Description,
            datetime!(2025-02-01 0:00 UTC),
        )
        .unwrap();
        let after = text_in_force(
            &texts,
            GoalSection::Description,
            datetime!(2025-06-01 0:00 UTC),
        )
        .unwrap();
        assert_ne!(before.body, after.body);
        assert!(after.revision > before.revision);
        assert_eq!(after.valid_from, datetime!(2025-05-15 0:00 UTC));
        assert!(
            text_in_force(
                &texts,
                GoalSection::Description,
                datetime!(2024-11-01 0:00 UTC)
            )
            .is_none()
        );

        // A plan shows the text in force now: the revised one.
        let nodes = store.org_nodes().await.unwrap();
        let unit = nodes
            .iter()
            .find(|n| n.name == "Enheten för socialpsykiatriskt stöd")
            .unwrap();
        let doc = plan(&store, unit.id, 2025).await;
        let shown = all_goals(&doc)
            .into_iter()
            .find(|g| g.goal.id == goal.id)
            .expect("the unit selected it");
        assert!(
            shown
                .sections
                .iter()
                .any(|(s, body)| *s == GoalSection::Description && *body == after.body)
        );
    }
);

both_backends!(
    the_audit_trail_records_the_load,
    |store: Store| async move {
        let summary = load(&store).await;
        assert!(store.audit_count().await.unwrap() > 500);
        let goal = store
            .goals_at_level(2025, GoalLevel::Unit)
            .await
            .unwrap()
            .into_iter()
            .next()
            .unwrap();
        let trail = store
            .audit_trail("goal", &goal.id.to_string())
            .await
            .unwrap();
        assert_eq!(trail.len(), 1);
        assert_eq!(trail[0].actor, "demo");
        assert_eq!(trail[0].action, "create");
        let texts = store
            .audit_trail("goal_text", &format!("{}/working_methods", goal.id))
            .await
            .unwrap();
        assert_eq!(texts.len(), 1);
        let (unit, _) = summary.units[0];
        let plan = store.plan(unit, 2025).await.unwrap().unwrap();
        let saved = store
            .audit_trail("plan_section", &format!("{}/uppdrag", plan.id))
            .await
            .unwrap();
        assert_eq!(saved.len(), 1);
        assert_eq!(saved[0].action, "save");
    }
);

both_backends!(
    two_units_see_different_targets_for_the_same_indicator,
    |store: Store| async move {
        let summary = load(&store).await;
        let sps = unit_named(&summary, "Enheten för socialpsykiatriskt stöd");
        let hfs = unit_named(&summary, "Hälsofrämjande seniorenheten");
        for year in YEARS {
            let sick = |doc: &PlanDocument| {
                all_goals(doc)
                    .into_iter()
                    .flat_map(|g| g.indicators.iter())
                    .find(|i| i.indicator.name == "Sjukfrånvaro")
                    .cloned()
                    .expect("sick leave is selected")
            };
            let a = sick(&plan(&store, sps, year).await);
            let b = sick(&plan(&store, hfs, year).await);
            assert_eq!(a.indicator.id, b.indicator.id, "the same council indicator");
            assert_eq!(a.indicator.direction, Direction::LowerIsBetter);
            assert!(matches!(
                a.indicator.council_target,
                Some(Target::SetByBoard { .. })
            ));
            let (ta, tb) = (a.target.unwrap(), b.target.unwrap());
            assert_ne!(ta, tb, "{year}");
            assert!(
                matches!((&ta, &tb), (Target::Value(x), Target::Value(y)) if x.value.is_some() && y.value.is_some())
            );
        }
        // A unit without an own target sees the board's.
        let dv = unit_named(&summary, "Sjövikens dagliga verksamheter");
        let doc = plan(&store, dv, 2025).await;
        let genomf = all_goals(&doc)
            .into_iter()
            .flat_map(|g| g.indicators.iter())
            .find(|i| {
                i.indicator
                    .name
                    .starts_with("Andel brukare och deltagare med en genomförandeplan")
            })
            .unwrap();
        assert_eq!(genomf.target.as_ref().map(Target::text), Some("90 %"));
    }
);

both_backends!(
    an_existing_city_and_its_council_goals_are_reused,
    |store: Store| async move {
        let mut w = store.begin_write("import").await.unwrap();
        let city = w
            .create_node(NewNode {
                parent_id: None,
                kind: OrgKind::City,
                name: "Stockholms stad".into(),
                position: 0,
            })
            .await
            .unwrap();
        let other = w
            .create_node(NewNode {
                parent_id: Some(city.id),
                kind: OrgKind::Board,
                name: "En annan nämnd".into(),
                position: 0,
            })
            .await
            .unwrap();
        let dir = w
        .create_goal(NewGoal {
            year: 2025,
            level: GoalLevel::Direction,
            owner_id: city.id,
            parent_id: None,
            number: Some("3".into()),
            title: "Ett Stockholm med en stabil och hållbar ekonomi med utbildning, jobb och bostäder för alla".into(),
            position: 2,
        })
        .await
        .unwrap();
        let area = w
            .create_goal(NewGoal {
                year: 2025,
                level: GoalLevel::Area,
                owner_id: city.id,
                parent_id: Some(dir.id),
                number: Some("3.4".into()),
                title: "Medarbetare i Stockholm ska ges goda förutsättningar att göra ett bra jobb"
                    .into(),
                position: 3,
            })
            .await
            .unwrap();
        let sick = w
            .create_indicator(NewIndicator {
                year: 2025,
                goal_id: area.id,
                owner_id: city.id,
                name: "Sjukfrånvaro".into(),
                unit_of_measure: None,
                periodicity: Periodicity::Tertial,
                direction: Direction::LowerIsBetter,
                value_kind: ValueKind::Percent,
                // As the demo's own: sickness absence is reported for women and men.
                by_sex: true,
                council_target: Target::parse("Tas fram av nämnd"),
                position: 1,
            })
            .await
            .unwrap();
        w.commit().await.unwrap();

        let summary = load(&store).await;
        let nodes = store.org_nodes().await.unwrap();
        assert_eq!(nodes.iter().filter(|n| n.kind == OrgKind::City).count(), 1);
        let board = nodes
            .iter()
            .find(|n| n.name == "Sjövikens stadsdelsnämnd")
            .unwrap();
        assert_eq!(board.parent_id, Some(city.id));
        assert_ne!(board.id, other.id);
        let numbers: Vec<_> = store
            .goals_at_level(2025, GoalLevel::Area)
            .await
            .unwrap()
            .into_iter()
            .filter(|g| g.number.as_deref() == Some("3.4"))
            .map(|g| g.id)
            .collect();
        assert_eq!(numbers, [area.id]);
        let doc = plan(&store, summary.units[0].0, 2025).await;
        let shown = all_goals(&doc)
            .into_iter()
            .flat_map(|g| g.indicators.iter())
            .find(|i| i.indicator.name == "Sjukfrånvaro")
            .unwrap();
        assert_eq!(shown.indicator.id, sick.id);
        // The demo's administrator is the administrator of the city it hangs under.
        let admin = &summary.accounts[0];
        assert_eq!((admin.role, admin.scope), (Role::Admin, city.id));
        assert!(demo::load(&store, &|_| {}).await.unwrap().is_none());
    }
);

async fn report(store: &Store, unit: NodeId, year: Year, kind: ReportKind) -> ReportDocument {
    store
        .report_document(unit, year, kind)
        .await
        .expect("report document")
        .unwrap_or_else(|| panic!("a {} {year}", kind.label()))
}

fn report_goals(doc: &ReportDocument) -> Vec<&CascadeGoal> {
    doc.goals.iter().flat_map(|g| g.walk()).collect()
}

/// Whether an outcome misses its target, when both are numbers.
fn misses(outcome: &Target, target: &Target, direction: Direction) -> bool {
    let value = |t: &Target| match t {
        Target::Value(m) => m.value,
        Target::SetByBoard { .. } => None,
    };
    match (value(outcome), value(target)) {
        (Some(o), Some(t)) => match direction {
            Direction::HigherIsBetter => o < t,
            Direction::LowerIsBetter => o > t,
        },
        _ => false,
    }
}

both_backends!(
    every_unit_has_an_annual_report_for_2025,
    |store: Store| async move {
        let summary = load(&store).await;
        let mut assessments = BTreeSet::new();
        for (unit, name) in &summary.units {
            let doc = report(&store, *unit, 2025, ReportKind::AnnualReport).await;
            assert_eq!(&doc.unit.name, name);

            // Texts before the cascade, economy and quality work after it.
            let headings = |placement: Placement| -> Vec<&str> {
                doc.sections
                    .iter()
                    .filter(|s| s.placement == placement)
                    .map(|s| s.heading.as_str())
                    .collect()
            };
            let before = headings(Placement::BeforeCascade);
            assert_eq!(before.first(), Some(&"Sammanfattande analys"), "{name}");
            assert!(before.len() >= 3, "{name}: {before:?}");
            let after = headings(Placement::AfterCascade);
            for h in [
                "Systematiskt kvalitetsarbete",
                "Synpunkter och klagomål",
                "Agenda 2030",
            ] {
                assert!(after.contains(&h), "{name} lacks {h}: {after:?}");
            }
            assert!(doc.sections.iter().all(|s| s.body.trim().len() > 100));
            // The economy is written in the economy, not in sections of its own, and its
            // analysis follows it up per operation.
            assert!(
                !after.contains(&"Uppföljning av ekonomi") && !after.contains(&"Investeringar"),
                "{name}: {after:?}"
            );
            let analysis = doc.economy.analysis.as_deref().unwrap_or_default();
            assert!(
                doc.economy
                    .investments
                    .as_deref()
                    .is_some_and(|t| t.len() > 100),
                "{name}"
            );
            for op in store
                .children(*unit)
                .await
                .unwrap()
                .iter()
                .filter(|n| n.kind == OrgKind::Operation)
            {
                assert!(analysis.contains(&op.name), "{name}: {}", op.name);
            }

            // An assessment of every goal the report shows, council goals too.
            let goals = report_goals(&doc);
            assert_eq!(
                goals.iter().map(|g| g.goal.level).collect::<BTreeSet<_>>(),
                GoalLevel::ALL.into_iter().collect()
            );
            for g in &goals {
                let a = doc
                    .assessments
                    .get(&g.goal.id)
                    .unwrap_or_else(|| panic!("{name}: {} is assessed", g.goal.title));
                let assessment = a.assessment.expect("an assessment");
                assessments.insert(assessment.code());
                if g.goal.level == GoalLevel::Unit {
                    assert!(a.analysis.as_ref().is_some_and(|t| t.len() > 80));
                }
            }

            // An outcome for every indicator, with an analysis where it misses the target.
            let indicators: Vec<_> = goals.iter().flat_map(|g| &g.indicators).collect();
            assert!(indicators.len() >= 10, "{name}");
            for i in &indicators {
                let o = doc
                    .outcomes
                    .get(&i.indicator.id)
                    .unwrap_or_else(|| panic!("{name}: {} has an outcome", i.indicator.name));
                let outcome = o.outcome.as_ref().expect("an outcome");
                assert!(outcome.value.is_some(), "{}", outcome.text);
                assert_eq!(o.period.as_deref(), Some("VB 2025"));
                let target = i.target.as_ref().or(i.indicator.council_target.as_ref());
                if let Some(t) = target
                    && misses(&Target::Value(outcome.clone()), t, i.indicator.direction)
                {
                    assert!(
                        o.analysis.is_some(),
                        "{name}: {} misses {} without an analysis",
                        i.indicator.name,
                        t.text()
                    );
                }
            }
            // Person-based indicators are split by gender, and last year's value is given.
            let sick = indicators
                .iter()
                .find(|i| i.indicator.name == "Sjukfrånvaro")
                .unwrap();
            let o = &doc.outcomes[&sick.indicator.id];
            assert!(o.men.is_some() && o.women.is_some() && o.previous.is_some());
            // Exactly the indicators that concern people are reported for women and men.
            assert!(sick.indicator.by_sex);
            for i in &indicators {
                let o = &doc.outcomes[&i.indicator.id];
                assert_eq!(
                    (o.women.is_some(), o.men.is_some()),
                    (i.indicator.by_sex, i.indicator.by_sex),
                    "{name}: {}",
                    i.indicator.name
                );
                if i.indicator.name.contains("ekologiska") {
                    assert!(!i.indicator.by_sex, "{}", i.indicator.name);
                }
            }
            let with_previous = indicators
                .iter()
                .filter(|i| doc.outcomes[&i.indicator.id].previous.is_some())
                .count();
            assert!(with_previous * 4 >= indicators.len() * 3, "{name}");

            // A status for every activity; every deviation is explained.
            let activities: Vec<_> = goals.iter().flat_map(|g| &g.activities).collect();
            let mut deviations = 0;
            for a in &activities {
                let f = doc
                    .followups
                    .get(&a.id)
                    .unwrap_or_else(|| panic!("{name}: {} is followed up", a.title));
                match f.status.expect("a status") {
                    ActivityStatus::Done => {}
                    other @ (ActivityStatus::NotStarted | ActivityStatus::Ongoing) => {
                        panic!("{name}: an approved annual report says {other:?}")
                    }
                    ActivityStatus::Deviation => {
                        deviations += 1;
                        assert!(f.analysis.as_ref().is_some_and(|t| t.len() > 80));
                    }
                }
            }
            assert!((1..=4).contains(&deviations), "{name}: {deviations}");

            // The complaints table: every period counted, totals the sum of the periods.
            assert!(doc.complaints.len() >= 20, "{name}");
            for c in &doc.complaints {
                let (t1, t2, vb) = (c.t1.unwrap(), c.t2.unwrap(), c.annual.unwrap());
                assert_eq!(c.total, Some(t1 + t2 + vb), "{name}: {}", c.category);
            }
            let groups: BTreeSet<&str> = doc.complaints.iter().map(|c| c.group.as_str()).collect();
            assert!(groups.iter().any(|g| g.contains("Lex Sarah")));
            assert!(groups.contains("Beröm"));
            assert!(groups.contains("Personuppgiftsincidenter"));
            assert!(doc.complaints.iter().any(|c| c.total > Some(0)));
            assert!(doc.complaints.iter().any(|c| c.assessment.is_some()));
            // A case is classified on several dimensions: the incident counts agree.
            let sum = |prefix: &str| -> i64 {
                doc.complaints
                    .iter()
                    .filter(|c| c.group.starts_with(prefix))
                    .filter_map(|c| c.total)
                    .sum()
            };
            assert_eq!(
                sum("Avvikelse – SoL/LSS"),
                sum("Avvikelser enligt SoL/LSS – vem har identifierat")
            );
            assert_eq!(
                sum("Avvikelse – SoL/LSS"),
                sum("Avvikelser enligt SoL/LSS – vilken verksamhet")
            );
            assert_eq!(
                sum("Från vem"),
                sum("Synpunkter och klagomål – ej personalrelaterade")
                    + sum("Synpunkter och klagomål – verksamhet och personal")
            );

            // The year's tertial reports came before it.
            let plan = store.plan(*unit, 2025).await.unwrap().unwrap();
            assert_eq!(store.report_kinds(plan.id).await.unwrap(), ReportKind::ALL);
        }
        assert_eq!(
            assessments,
            Assessment::ALL.into_iter().map(|a| a.code()).collect(),
            "a mix of assessments"
        );
    }
);

both_backends!(
    the_first_unit_has_a_first_tertial_report_for_2026,
    |store: Store| async move {
        let summary = load(&store).await;
        let (unit, name) = &summary.units[0];
        let doc = report(&store, *unit, 2026, ReportKind::Tertial1).await;
        assert_eq!(doc.sections[0].heading, "Sammanfattande analys");
        let goals = report_goals(&doc);
        for g in &goals {
            assert!(
                doc.assessments
                    .get(&g.goal.id)
                    .is_some_and(|a| a.assessment.is_some()),
                "{name}: {}",
                g.goal.title
            );
        }
        // Tertial indicators are followed up; last year's column is the annual report's.
        let vb = report(&store, *unit, 2025, ReportKind::AnnualReport).await;
        let last_year: HashMap<&str, &str> = report_goals(&vb)
            .iter()
            .flat_map(|g| &g.indicators)
            .filter_map(|i| {
                vb.outcomes[&i.indicator.id]
                    .outcome
                    .as_ref()
                    .map(|m| (i.indicator.name.as_str(), m.text.as_str()))
            })
            .collect();
        let mut compared = 0;
        for i in goals.iter().flat_map(|g| &g.indicators) {
            let o = doc.outcomes.get(&i.indicator.id);
            if i.indicator.periodicity == Periodicity::Tertial {
                let o = o.unwrap_or_else(|| panic!("{} has an outcome", i.indicator.name));
                assert_eq!(o.period.as_deref(), Some("T1 2026"));
                if let (Some(prev), Some(vb)) = (
                    o.previous.as_deref(),
                    last_year.get(i.indicator.name.as_str()),
                ) {
                    let number = |s: &str| malkedja_domain::Measure::parse(s).value;
                    assert_eq!(number(prev), number(vb), "{}", i.indicator.name);
                    compared += 1;
                }
            } else {
                assert!(o.is_none(), "{} is yearly", i.indicator.name);
            }
        }
        assert!(compared >= 5, "{compared}");
        assert!(
            doc.followups
                .values()
                .any(|f| f.status == Some(ActivityStatus::Deviation))
        );
        // Only the first tertial is counted.
        assert!(!doc.complaints.is_empty());
        for c in &doc.complaints {
            assert!(c.t1.is_some() && c.t2.is_none() && c.annual.is_none());
            assert_eq!(c.total, c.t1);
        }

        let plan = store.plan(*unit, 2026).await.unwrap().unwrap();
        assert_eq!(
            store.report_kinds(plan.id).await.unwrap(),
            [ReportKind::Tertial1]
        );
        let trail = store
            .audit_trail("report", &doc.report.id.to_string())
            .await
            .unwrap();
        assert_eq!(trail[0].action, "create");
        assert_eq!(trail[0].actor, "demo");
        // Of the other units, one has submitted its first tertial report of 2026 and one
        // has not begun it.
        let mut others = Vec::new();
        for (other, _) in &summary.units[1..] {
            let plan = store.plan(*other, 2026).await.unwrap().unwrap();
            let mut statuses = Vec::new();
            for kind in store.report_kinds(plan.id).await.unwrap() {
                statuses.push((kind, report(&store, *other, 2026, kind).await.report.status));
            }
            others.push(statuses);
        }
        others.sort_by_key(Vec::len);
        assert_eq!(
            others,
            [vec![], vec![(ReportKind::Tertial1, PlanStatus::Submitted)]]
        );
    }
);

both_backends!(
    the_finished_year_is_approved_the_newest_in_progress,
    |store: Store| async move {
        let lines = Mutex::new(Vec::<String>::new());
        let summary = demo::load(&store, &|l: &str| lines.lock().unwrap().push(l.to_string()))
            .await
            .unwrap()
            .unwrap();
        assert!(
            lines
                .lock()
                .unwrap()
                .iter()
                .any(|l| l.starts_with("Godkänner verksamhetsplanerna för 2025")),
            "{:?}",
            lines.lock().unwrap()
        );
        let controller = "controller@demo.malkedja.se".to_string();
        let (mut submitted, mut returned) = (0, 0);
        for (unit, name) in &summary.units {
            // 2025: the plan is approved, through a versioned, audited write by the demo;
            // its reports through their workflow: submitted by the demo, approved by the
            // controller.
            let p = plan(&store, *unit, 2025).await.plan;
            assert_eq!(p.status, PlanStatus::Approved, "{name} 2025");
            for kind in ReportKind::ALL {
                let r = report(&store, *unit, 2025, kind).await;
                assert_eq!(
                    r.report.status,
                    PlanStatus::Approved,
                    "{name} {kind:?} 2025"
                );
                let steps: Vec<(Transition, String)> = store
                    .report_transitions(r.report.id)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|t| (t.transition, t.actor))
                    .collect();
                assert_eq!(
                    steps,
                    [
                        (Transition::Submit, "demo".into()),
                        (Transition::Approve, controller.clone())
                    ],
                    "{name} {kind:?}"
                );
                assert!(
                    malkedja_domain::check_report(&r).is_empty(),
                    "{name} {kind:?}: {:?}",
                    malkedja_domain::check_report(&r)
                );
            }
            for (entity, id) in [("plan", p.id.to_string())] {
                let trail = store.audit_trail(entity, &id).await.unwrap();
                let last = trail.last().expect("an audit trail");
                assert_eq!(
                    (last.action.as_str(), last.actor.as_str()),
                    ("set_status", "demo")
                );
                let status = |v: &Option<serde_json::Value>| {
                    v.as_ref().map(|v| v["status"].clone()).unwrap_or_default()
                };
                assert_eq!(status(&last.before), "draft", "{name} {entity}");
                assert_eq!(status(&last.after), "approved", "{name} {entity}");
            }
            // 2026: drafts, but for one plan submitted and one returned with a comment,
            // through the workflow; the reports are drafts.
            let p = plan(&store, *unit, 2026).await.plan;
            let steps: Vec<(Transition, String)> = store
                .plan_transitions(p.id)
                .await
                .unwrap()
                .into_iter()
                .map(|t| (t.transition, t.actor))
                .collect();
            match p.status {
                PlanStatus::Draft => assert!(steps.is_empty(), "{name}"),
                PlanStatus::Submitted => {
                    submitted += 1;
                    assert_eq!(steps, [(Transition::Submit, "demo".into())], "{name}");
                }
                PlanStatus::Returned => {
                    returned += 1;
                    assert_eq!(
                        steps,
                        [
                            (Transition::Submit, "demo".into()),
                            (Transition::Return, controller.clone())
                        ],
                        "{name}"
                    );
                    let last = store.plan_transitions(p.id).await.unwrap().pop().unwrap();
                    assert!(last.comment.is_some_and(|c| c.len() > 40), "{name}");
                }
                PlanStatus::Approved => panic!("{name} 2026 is approved"),
            }
            for kind in store.report_kinds(p.id).await.unwrap() {
                let r = report(&store, *unit, 2026, kind).await;
                assert_eq!(kind, ReportKind::Tertial1);
                // The unit whose plan is submitted is ahead with its report too.
                let expected = if p.status == PlanStatus::Submitted {
                    PlanStatus::Submitted
                } else {
                    PlanStatus::Draft
                };
                assert_eq!(r.report.status, expected, "{name} {kind:?} 2026");
            }
        }
        assert_eq!((submitted, returned), (1, 1));
        let first = summary.units[0].0;
        let t1 = report(&store, first, 2026, ReportKind::Tertial1).await;
        assert_eq!(t1.report.status, PlanStatus::Draft);
    }
);

both_backends!(one_demo_account_per_role, |store: Store| async move {
    assert!(demo::demo_accounts(&store).await.unwrap().is_empty());
    let started = std::time::Instant::now();
    let summary = load(&store).await;
    eprintln!("demo load with accounts: {:?}", started.elapsed());
    let accounts = &summary.accounts;
    assert_eq!(
        accounts.iter().map(|a| a.role).collect::<Vec<_>>(),
        Role::ALL
    );
    // What the sign-in page reads is what the load created.
    assert_eq!(&demo::demo_accounts(&store).await.unwrap(), accounts);

    let nodes = store.org_nodes().await.unwrap();
    let node = |id: NodeId| nodes.iter().find(|n| n.id == id).expect("a node");
    let of = |role: Role| {
        accounts
            .iter()
            .find(|a| a.role == role)
            .expect("an account")
    };
    let kind = |role: Role| node(of(role).scope).kind;
    assert_eq!(kind(Role::Admin), OrgKind::City);
    assert_eq!(node(of(Role::Admin).scope).parent_id, None);
    assert_eq!(kind(Role::BoardEditor), OrgKind::Board);
    assert_eq!(
        node(of(Role::BoardEditor).scope).name,
        "Sjövikens stadsdelsnämnd"
    );
    assert_eq!(kind(Role::Controller), OrgKind::Administration);
    assert_eq!(kind(Role::UnitManager), OrgKind::Unit);
    assert_eq!(of(Role::UnitManager).scope, of(Role::UnitWriter).scope);
    assert_eq!(kind(Role::Reader), OrgKind::Unit);
    assert_ne!(of(Role::Reader).scope, of(Role::UnitManager).scope);
    // The unit manager's unit has an approved plan for 2025 and a draft for 2026.
    let unit = of(Role::UnitManager).scope;
    assert!(summary.units.iter().any(|(u, _)| *u == unit));
    assert_eq!(
        plan(&store, unit, 2025).await.plan.status,
        PlanStatus::Approved
    );
    assert_eq!(
        plan(&store, unit, 2026).await.plan.status,
        PlanStatus::Draft
    );

    for a in accounts {
        assert!(a.email.ends_with("@demo.malkedja.se"), "{}", a.email);
        assert_eq!(a.scope_name, node(a.scope).name);
        let stored = store
            .account_by_email(a.email)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{} exists", a.email));
        assert_eq!(stored.display_name, a.display_name);
        assert!(!stored.disabled);
        assert_eq!(
            stored.grants,
            [malkedja_domain::RoleGrant {
                role: a.role,
                node_id: a.scope
            }]
        );
        let hash = store.password_hash_of(stored.id).await.unwrap().unwrap();
        assert!(
            password::verify(a.password, &hash).await.unwrap(),
            "{}",
            a.email
        );
        assert!(!password::verify("fel-lösenord-123", &hash).await.unwrap());
        let trail = store
            .audit_trail("account", &stored.id.to_string())
            .await
            .unwrap();
        let actions: Vec<(&str, &str)> = trail
            .iter()
            .map(|e| (e.action.as_str(), e.actor.as_str()))
            .collect();
        assert_eq!(actions, [("create", "demo"), ("grant", "demo")]);
    }

    // A disabled demo account is not offered on the sign-in page.
    let reader = store
        .account_by_email(of(Role::Reader).email)
        .await
        .unwrap()
        .unwrap();
    let mut w = store.begin_write("admin").await.unwrap();
    w.disable_account(reader.id, reader.version).await.unwrap();
    w.commit().await.unwrap();
    let offered = demo::demo_accounts(&store).await.unwrap();
    assert_eq!(offered.len(), 5);
    assert!(offered.iter().all(|a| a.role != Role::Reader));
});

/// The outcomes of an indicator of a unit, by year, from the annual reports: the indicator
/// is found in each year by its owner and name (the model has no other link between an
/// indicator of one year and the next).
async fn yearly_outcomes(
    store: &Store,
    unit: NodeId,
    name: &str,
) -> Vec<(Year, Option<malkedja_domain::Measure>)> {
    let mut out = Vec::new();
    for year in [2022, 2023, 2024, 2025] {
        let doc = report(store, unit, year, ReportKind::AnnualReport).await;
        let found = report_goals(&doc)
            .into_iter()
            .flat_map(|g| &g.indicators)
            .find(|i| i.indicator.name == name);
        if let Some(i) = found {
            out.push((
                year,
                doc.outcomes
                    .get(&i.indicator.id)
                    .and_then(|o| o.outcome.clone()),
            ));
        }
    }
    out
}

both_backends!(
    the_years_before_carry_outcomes_for_charts,
    |store: Store| async move {
        let summary = load(&store).await;
        let mut statuses = BTreeSet::new();
        for (unit, name) in &summary.units {
            let names_2025: BTreeSet<String> =
                report_goals(&report(&store, *unit, 2025, ReportKind::AnnualReport).await)
                    .into_iter()
                    .flat_map(|g| &g.indicators)
                    .map(|i| i.indicator.name.clone())
                    .collect();
            for year in HISTORY {
                // A plan of goals and indicators, approved.
                let p = plan(&store, *unit, year).await;
                assert_eq!(p.plan.status, PlanStatus::Approved, "{name} {year}");
                let indicators: Vec<_> = all_goals(&p)
                    .into_iter()
                    .flat_map(|g| &g.indicators)
                    .collect();
                assert!(indicators.len() >= 8, "{name} {year}");
                // The same indicators as in 2025, by name, but those new in 2025.
                for i in &indicators {
                    assert!(
                        names_2025.contains(&i.indicator.name),
                        "{}",
                        i.indicator.name
                    );
                    assert_eq!(i.indicator.year, year);
                }
                // T1, T2 and the annual report, approved, with an outcome for every
                // indicator due (one has no data in some years, and says why).
                assert_eq!(
                    store.report_kinds(p.plan.id).await.unwrap(),
                    ReportKind::ALL
                );
                for kind in ReportKind::ALL {
                    let r = report(&store, *unit, year, kind).await;
                    assert_eq!(
                        r.report.status,
                        PlanStatus::Approved,
                        "{name} {kind:?} {year}"
                    );
                    for g in report_goals(&r) {
                        let a = &r.assessments[&g.goal.id];
                        assert!(a.assessment.is_some() && a.analysis.is_some());
                        for i in &g.indicators {
                            let due = malkedja_domain::due_in(i.indicator.periodicity, kind);
                            let o = r.outcomes.get(&i.indicator.id);
                            assert_eq!(
                                o.is_some(),
                                due,
                                "{name} {year} {kind:?} {}",
                                i.indicator.name
                            );
                            let Some(o) = o else { continue };
                            assert_eq!(
                                o.period.as_deref(),
                                Some(format!("{} {year}", kind.slug().to_uppercase()).as_str())
                            );
                            match &o.outcome {
                                Some(m) => assert!(m.value.is_some(), "{}", m.text),
                                None => assert!(o.analysis.as_ref().is_some_and(|t| t.len() > 40)),
                            }
                            if let Some(s) = malkedja_domain::indicator_status(&r, i) {
                                statuses.insert(s.status);
                            }
                        }
                    }
                    assert!(r.sections.iter().any(|s| s.key == "sammanfattande-analys"));
                }
            }
        }
        // Some units reach their targets, some come near, some are far off.
        assert_eq!(statuses.len(), 3, "{statuses:?}");
    }
);

both_backends!(
    indicators_are_followed_over_the_years,
    |store: Store| async move {
        let summary = load(&store).await;
        let sps = unit_named(&summary, "Enheten för socialpsykiatriskt stöd");
        // Sick leave, lower is better, falls from 2022 to 2025 and ends at what the annual
        // report of 2025 says; last year's column agrees with the year before.
        let sick = yearly_outcomes(&store, sps, "Sjukfrånvaro").await;
        let values: Vec<f64> = sick
            .iter()
            .map(|(_, m)| {
                m.as_ref()
                    .unwrap()
                    .value
                    .unwrap()
                    .to_string()
                    .parse()
                    .unwrap()
            })
            .collect();
        assert_eq!(values.len(), 4);
        assert!(values[0] > values[3], "{values:?}");
        assert_eq!(values[2], 8.3);
        assert_eq!(values[3], 7.1);
        let vb = report(&store, sps, 2024, ReportKind::AnnualReport).await;
        let o = report_goals(&vb)
            .into_iter()
            .flat_map(|g| &g.indicators)
            .find(|i| i.indicator.name == "Sjukfrånvaro")
            .map(|i| vb.outcomes[&i.indicator.id].clone())
            .unwrap();
        assert!(o.women.is_some() && o.men.is_some(), "sick leave is split");
        let number = |s: &str| malkedja_domain::Measure::parse(s).value;
        assert_eq!(
            o.previous.as_deref().and_then(number),
            sick[1].1.as_ref().and_then(|m| m.value)
        );

        // An indicator with no data in its first years.
        let dv = unit_named(&summary, "Sjövikens dagliga verksamheter");
        let wood = yearly_outcomes(&store, dv, "Andel återbrukat virke i Snickeriet Spånet").await;
        let known: Vec<bool> = wood.iter().map(|(_, m)| m.is_some()).collect();
        assert_eq!(known, [false, false, true, true]);

        // An indicator new in 2025 has no history.
        assert_eq!(
            yearly_outcomes(&store, sps, "Matsvinn per portion")
                .await
                .iter()
                .map(|(y, _)| *y)
                .collect::<Vec<_>>(),
            [2025]
        );

        // Units differ: the same council indicator has different outcomes.
        let hfs = unit_named(&summary, "Hälsofrämjande seniorenheten");
        assert_ne!(
            yearly_outcomes(&store, sps, "Sjukfrånvaro").await,
            yearly_outcomes(&store, hfs, "Sjukfrånvaro").await
        );
        // The history is the same every time it is loaded.
        let other = malkedja_store::testing::sqlite().await;
        let again = load(&other.store).await;
        let dv_again = unit_named(&again, "Sjövikens dagliga verksamheter");
        let ami = |s: Vec<(Year, Option<malkedja_domain::Measure>)>| {
            s.into_iter()
                .map(|(y, m)| (y, m.map(|m| m.text)))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ami(yearly_outcomes(&other.store, dv_again, "Aktivt medskapandeindex").await),
            ami(yearly_outcomes(&store, dv, "Aktivt medskapandeindex").await)
        );
    }
);

both_backends!(
    every_unit_follows_up_2025_tertial_by_tertial,
    |store: Store| async move {
        let summary = load(&store).await;
        let mut deviations = 0;
        for (unit, name) in &summary.units {
            for kind in [ReportKind::Tertial1, ReportKind::Tertial2] {
                let r = report(&store, *unit, 2025, kind).await;
                assert_eq!(r.report.status, PlanStatus::Approved);
                let goals = report_goals(&r);
                for g in &goals {
                    let a = &r.assessments[&g.goal.id];
                    assert!(a.assessment.is_some(), "{name} {kind:?}: {}", g.goal.title);
                    assert!(a.analysis.as_ref().is_some_and(|t| t.len() > 40));
                    for i in &g.indicators {
                        let o = r.outcomes.get(&i.indicator.id);
                        if i.indicator.periodicity == Periodicity::Tertial {
                            let o = o.unwrap_or_else(|| panic!("{name}: {}", i.indicator.name));
                            assert!(o.outcome.as_ref().is_some_and(|m| m.value.is_some()));
                        } else {
                            assert!(o.is_none(), "{name}: {} is yearly", i.indicator.name);
                        }
                    }
                    for a in &g.activities {
                        let f = r
                            .followups
                            .get(&a.id)
                            .unwrap_or_else(|| panic!("{}", a.title));
                        let status = f.status.expect("a status");
                        if status == ActivityStatus::Deviation {
                            deviations += 1;
                            assert_eq!(kind, ReportKind::Tertial2);
                            assert!(f.analysis.as_ref().is_some_and(|t| t.len() > 40));
                        }
                    }
                }
                let summary_text = &r.sections[0];
                assert_eq!(summary_text.heading, "Sammanfattande analys");
                assert!(summary_text.body.len() > 80);
                // The complaints counted so far in the year.
                for c in &r.complaints {
                    assert_eq!(
                        c.t2.is_some(),
                        kind == ReportKind::Tertial2,
                        "{}",
                        c.category
                    );
                    assert!(c.annual.is_none());
                }
            }
            // The annual report has its economy, per operation.
            let vb = report(&store, *unit, 2025, ReportKind::AnnualReport).await;
            let economy = store.report_economy(vb.report.id).await.unwrap();
            assert!(
                economy
                    .lines
                    .iter()
                    .all(|l| l.amounts.budget.is_some() && l.amounts.outcome.is_some()),
                "{name}"
            );
            assert!(
                economy
                    .totals
                    .budget
                    .is_some_and(|b| b > malkedja_domain::Decimal::ZERO)
            );
            assert!(economy.analysis.is_some() && economy.investments.is_some());
        }
        assert!(deviations >= 3, "{deviations}");
    }
);
