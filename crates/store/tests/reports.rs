//! Writing follow-up reports: a report is created from the unit's approved plan (refused
//! without one) with the indicators due in its period, starts from the previous report of
//! the year (prefilled, marked as such until edited); every write states its version and a
//! stale one is a conflict; a report moves Utkast → Inskickad → Fastställd with return; an
//! imported report is written the same way. On SQLite and PostgreSQL.

use malkedja_domain::{
    ActivityId, ActivityStatus, Assessment, Direction, FollowUpError, GoalId, GoalLevel,
    GoalSection, IndicatorId, NewActivity, NewGoal, NewIndicator, NewNode, NodeId, OrgKind,
    Periodicity, PlanStatus, ReportKind, Rule, Target, ValueKind,
};
use malkedja_store::import::{ImportOptions, import_document};
use malkedja_store::testing::{SmallOrg, small_org};
use malkedja_store::{EconomyInput, EconomyLineInput, Store, StoreError, both_backends};
use time::macros::date;

const WRITER: &str = "chef@example.se";
const CONTROLLER: &str = "controller@example.se";

struct Fixture {
    org: SmallOrg,
    goal: GoalId,
    tertial: IndicatorId,
    yearly: IndicatorId,
    count: IndicatorId,
    activity: ActivityId,
    operations: [NodeId; 2],
}

/// The small organisation's unit with a goal of its own: a tertial percentage, a yearly
/// indicator, a tertial count and an activity; two operations; the plan approved unless
/// `approve` is false.
async fn fixture(store: &Store, approve: bool) -> Fixture {
    let org = small_org(store).await;
    let mut w = store.begin_write(WRITER).await.unwrap();
    let goal = w
        .add_goal(
            NewGoal {
                year: 2025,
                level: GoalLevel::Unit,
                owner_id: org.unit,
                parent_id: Some(org.board_goal),
                number: None,
                title: "Delaktiga brukare".into(),
                position: 0,
            },
            &[(GoalSection::ExpectedResult, "Fler nöjda".into())],
        )
        .await
        .unwrap();
    // Only the count concerns people here: it alone is reported for women and men.
    let mut indicator = async |name: &str, p: Periodicity, kind: ValueKind, target: &str| {
        w.add_indicator(
            NewIndicator {
                year: 2025,
                goal_id: goal.id,
                owner_id: org.unit,
                name: name.into(),
                unit_of_measure: None,
                periodicity: p,
                direction: Direction::HigherIsBetter,
                value_kind: kind,
                by_sex: kind == ValueKind::Number,
                council_target: None,
                position: 0,
            },
            Target::typed(target, kind).unwrap(),
        )
        .await
        .unwrap()
        .id
    };
    let tertial = indicator(
        "Andel nöjda",
        Periodicity::Tertial,
        ValueKind::Percent,
        "70 %",
    )
    .await;
    let yearly = indicator(
        "Medskapandeindex",
        Periodicity::Year,
        ValueKind::Index,
        "83",
    )
    .await;
    let count = indicator(
        "Antal deltagare",
        Periodicity::Tertial,
        ValueKind::Number,
        "40",
    )
    .await;
    let activity = w
        .add_activity(NewActivity {
            year: 2025,
            goal_id: goal.id,
            owner_id: org.unit,
            title: "Brukarråd".into(),
            start: date!(2025 - 01 - 01),
            end: date!(2025 - 12 - 31),
            position: 0,
        })
        .await
        .unwrap()
        .id;
    let mut operations = Vec::new();
    for name in ["Caféet", "Snickeriet"] {
        operations.push(
            w.create_node(NewNode {
                parent_id: Some(org.unit),
                kind: OrgKind::Operation,
                name: name.into(),
                position: 0,
            })
            .await
            .unwrap()
            .id,
        );
    }
    if approve {
        let plan = w.plan(org.unit, 2025).await.unwrap().unwrap();
        w.set_plan_status(plan.id, plan.version, PlanStatus::Approved)
            .await
            .unwrap();
    }
    w.commit().await.unwrap();
    Fixture {
        org,
        goal: goal.id,
        tertial,
        yearly,
        count,
        activity,
        operations: [operations[0], operations[1]],
    }
}

async fn create(store: &Store, f: &Fixture, kind: ReportKind) -> Result<i64, StoreError> {
    let mut w = store.begin_write(WRITER).await?;
    let r = w.create_report(f.org.unit, 2025, kind).await?;
    w.commit().await?;
    Ok(r.id)
}

async fn doc(store: &Store, f: &Fixture, kind: ReportKind) -> malkedja_domain::ReportDocument {
    store
        .report_document(f.org.unit, 2025, kind)
        .await
        .unwrap()
        .unwrap()
}

fn shown_indicators(d: &malkedja_domain::ReportDocument) -> Vec<IndicatorId> {
    let mut v: Vec<_> = d
        .goals
        .iter()
        .flat_map(|g| g.walk())
        .flat_map(|g| g.indicators.iter().map(|i| i.indicator.id))
        .collect();
    v.sort();
    v
}

both_backends!(a_report_needs_an_approved_plan, async |store: Store| {
    let f = fixture(&store, false).await;
    let e = create(&store, &f, ReportKind::Tertial1).await.unwrap_err();
    assert!(matches!(e, StoreError::NoApprovedPlan { .. }), "{e:?}");
    assert_eq!(
        e.to_string(),
        "Enheten har ingen fastställd verksamhetsplan för 2025, så tertialrapport 1 kan inte skapas. En rapport utgår från den fastställda planen: skicka in och fastställ planen först."
    );
    let e = {
        let mut w = store.begin_write(WRITER).await.unwrap();
        w.create_report(f.org.unit, 2026, ReportKind::AnnualReport)
            .await
            .unwrap_err()
    };
    assert!(matches!(e, StoreError::NoApprovedPlan { .. }), "{e:?}");
    assert!(
        store
            .report_document(f.org.unit, 2025, ReportKind::Tertial1)
            .await
            .unwrap()
            .is_none()
    );
});

both_backends!(
    a_report_takes_the_plan_and_the_indicators_due,
    async |store: Store| {
        let f = fixture(&store, true).await;
        let t1 = create(&store, &f, ReportKind::Tertial1).await.unwrap();
        let d = doc(&store, &f, ReportKind::Tertial1).await;
        assert_eq!(d.report.id, t1);
        assert_eq!(d.report.status, PlanStatus::Draft);
        let goals: Vec<GoalId> = d
            .goals
            .iter()
            .flat_map(|g| g.walk())
            .map(|g| g.goal.id)
            .collect();
        assert!(goals.contains(&f.goal) && goals.contains(&f.org.board_goal));
        let mut due = vec![f.tertial, f.count];
        due.sort();
        assert_eq!(
            shown_indicators(&d),
            due,
            "the yearly indicator waits for the annual report"
        );
        assert!(
            d.goals
                .iter()
                .flat_map(|g| g.walk())
                .any(|g| g.activities.iter().any(|a| a.id == f.activity))
        );
        // Nothing written yet: no marks, and a second creation is a conflict.
        assert!(d.marks.goals.is_empty());
        let e = create(&store, &f, ReportKind::Tertial1).await.unwrap_err();
        assert!(matches!(e, StoreError::Exists(_)), "{e:?}");
        assert_eq!(
            e.to_string(),
            "Enheten har redan en tertialrapport 1 för 2025; öppna den i stället."
        );

        let vb = create(&store, &f, ReportKind::AnnualReport).await.unwrap();
        let d = doc(&store, &f, ReportKind::AnnualReport).await;
        assert_eq!(d.report.id, vb);
        let mut all = vec![f.tertial, f.yearly, f.count];
        all.sort();
        assert_eq!(shown_indicators(&d), all);
    }
);

both_backends!(
    writes_state_their_version_and_later_reports_start_from_earlier_ones,
    async |store: Store| {
        let f = fixture(&store, true).await;
        let t1 = create(&store, &f, ReportKind::Tertial1).await.unwrap();

        let mut w = store.begin_write(WRITER).await.unwrap();
        assert_eq!(
            w.write_assessment(
                t1,
                f.goal,
                0,
                Some(Assessment::PartlyMet),
                Some("Fler kommer")
            )
            .await
            .unwrap(),
            1
        );
        assert_eq!(
            w.write_outcome(
                t1,
                f.count,
                0,
                Some("12"),
                Some("7"),
                Some("5"),
                Some("Bra start")
            )
            .await
            .unwrap(),
            1
        );
        assert_eq!(
            w.write_activity_status(
                t1,
                f.activity,
                0,
                Some(ActivityStatus::Deviation),
                Some("Lokalen brann")
            )
            .await
            .unwrap(),
            1
        );
        let s = w
            .write_report_section(t1, "sammanfattande-analys", 0, "Ett bra första tertial.")
            .await
            .unwrap();
        assert_eq!(s.version, 1);
        w.commit().await.unwrap();

        // A stale version is a conflict, never an overwrite; the current one writes.
        let mut w = store.begin_write(WRITER).await.unwrap();
        let e = w
            .write_assessment(t1, f.goal, 0, Some(Assessment::Met), Some("x"))
            .await
            .unwrap_err();
        assert!(
            matches!(
                e,
                StoreError::Conflict {
                    expected: 0,
                    actual: 1,
                    ..
                }
            ),
            "{e:?}"
        );
        drop(w);
        let mut w = store.begin_write(WRITER).await.unwrap();
        assert_eq!(
            w.write_assessment(
                t1,
                f.goal,
                1,
                Some(Assessment::Met),
                Some("Bättre än väntat")
            )
            .await
            .unwrap(),
            2
        );
        let e = w
            .write_report_section(t1, "sammanfattande-analys", 0, "Över")
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Conflict { .. }), "{e:?}");
        w.commit().await.unwrap();

        // What cannot be used is refused with a Swedish message.
        let mut w = store.begin_write(WRITER).await.unwrap();
        let e = w
            .write_outcome(t1, f.count, 1, Some("12"), Some("7"), Some("6"), None)
            .await
            .unwrap_err();
        assert!(
            matches!(
                e,
                StoreError::FollowUp(FollowUpError::SplitExceedsTotal { .. })
            ),
            "{e:?}"
        );
        let e = w
            .write_outcome(t1, f.tertial, 0, Some("ungefär hälften"), None, None, None)
            .await
            .unwrap_err();
        assert!(e.to_string().contains("är inget tal"), "{e}");
        // Women and men only for an indicator reported for them.
        let e = w
            .write_outcome(t1, f.tertial, 0, Some("60 %"), None, Some("55 %"), None)
            .await
            .unwrap_err();
        assert!(
            matches!(
                e,
                StoreError::FollowUp(FollowUpError::SplitNotBySex { who: "män" })
            ),
            "{e:?}"
        );
        let e = w
            .write_activity_status(
                t1,
                f.activity,
                1,
                Some(ActivityStatus::Deviation),
                Some(" "),
            )
            .await
            .unwrap_err();
        assert!(matches!(
            e,
            StoreError::FollowUp(FollowUpError::DeviationNeedsAnalysis)
        ));
        let e = w
            .write_outcome(t1, f.yearly, 0, Some("80"), None, None, None)
            .await
            .unwrap_err();
        assert!(e.is_not_found(), "the yearly indicator is not in T1: {e:?}");
        let e = w
            .write_report_section(t1, "kompetensutveckling", 0, "x")
            .await
            .unwrap_err();
        assert!(e.is_not_found(), "T1 has no such section: {e:?}");
        drop(w);

        let d = doc(&store, &f, ReportKind::Tertial1).await;
        assert_eq!(d.assessments[&f.goal].assessment, Some(Assessment::Met));
        assert_eq!(d.marks.goals[&f.goal].version, 2);
        assert_eq!(d.marks.indicators[&f.count].version, 1);
        assert_eq!(d.outcomes[&f.count].women.as_deref(), Some("7"));
        assert_eq!(d.sections[0].key, "sammanfattande-analys");
        assert_eq!(d.sections[0].version, 1);

        // T2 starts from T1: assessments, statuses and analyses prefilled, outcomes not.
        let t2 = create(&store, &f, ReportKind::Tertial2).await.unwrap();
        let d = doc(&store, &f, ReportKind::Tertial2).await;
        assert_eq!(d.assessments[&f.goal].assessment, Some(Assessment::Met));
        assert_eq!(
            d.assessments[&f.goal].analysis.as_deref(),
            Some("Bättre än väntat")
        );
        assert!(d.marks.goals[&f.goal].prefilled);
        assert_eq!(
            d.followups[&f.activity].status,
            Some(ActivityStatus::Deviation)
        );
        assert!(d.marks.activities[&f.activity].prefilled);
        assert_eq!(d.outcomes[&f.count].outcome, None);
        assert_eq!(d.outcomes[&f.count].analysis.as_deref(), Some("Bra start"));
        assert!(d.marks.indicators[&f.count].prefilled);
        // Editing takes the mark away.
        let mut w = store.begin_write(WRITER).await.unwrap();
        w.write_assessment(
            t2,
            f.goal,
            1,
            Some(Assessment::Met),
            Some("Bättre än väntat"),
        )
        .await
        .unwrap();
        w.commit().await.unwrap();
        let d = doc(&store, &f, ReportKind::Tertial2).await;
        assert!(!d.marks.goals[&f.goal].prefilled);
        assert_eq!(d.marks.goals[&f.goal].version, 2);
        // The audit trail has every write.
        assert!(
            !store
                .audit_trail("goal_assessment", &format!("{t2}/{}", f.goal))
                .await
                .unwrap()
                .is_empty()
        );
    }
);

both_backends!(
    the_economy_is_typed_per_operation_and_summed,
    async |store: Store| {
        let f = fixture(&store, true).await;
        let vb = create(&store, &f, ReportKind::AnnualReport).await.unwrap();
        let e = store.report_economy(vb).await.unwrap();
        assert_eq!(e.version, 0);
        assert_eq!(e.lines.len(), 2);
        let line = |op, b: &str, o: &str| EconomyLineInput {
            operation_id: op,
            budget: Some(b.into()),
            forecast: None,
            outcome: Some(o.into()),
        };
        let input = EconomyInput {
            lines: vec![
                line(f.operations[0], "1 000 tkr", "950 tkr"),
                line(f.operations[1], "2,5 mnkr", "2 600 000"),
            ],
            analysis: Some("Lägre kostnader för lokaler.".into()),
            investments: Some("Ny ugn".into()),
            premises: None,
        };
        let mut w = store.begin_write(WRITER).await.unwrap();
        let after = w.write_economy(vb, 0, &input).await.unwrap();
        w.commit().await.unwrap();
        assert_eq!(after.version, 1);
        assert_eq!(after.totals.budget.unwrap().to_string(), "3500000");
        assert_eq!(after.totals.outcome.unwrap().to_string(), "3550000");
        assert_eq!(after.totals.result.unwrap().to_string(), "-50000");
        assert_eq!(store.report_economy(vb).await.unwrap(), after);

        let mut w = store.begin_write(WRITER).await.unwrap();
        let bad = EconomyInput {
            lines: vec![line(f.operations[0], "ca 300 tkr", "1")],
            ..EconomyInput::default()
        };
        let e = w.write_economy(vb, 1, &bad).await.unwrap_err();
        assert!(
            e.to_string().contains("”ca 300 tkr” är inget belopp"),
            "{e}"
        );
        let e = w.write_economy(vb, 0, &input).await.unwrap_err();
        assert!(matches!(e, StoreError::Conflict { .. }), "{e:?}");
        let foreign = EconomyInput {
            lines: vec![line(f.org.unit, "1", "1")],
            ..EconomyInput::default()
        };
        assert!(
            w.write_economy(vb, 1, &foreign)
                .await
                .unwrap_err()
                .is_not_found()
        );
    }
);

both_backends!(
    the_report_document_carries_the_economy_written,
    async |store: Store| {
        let f = fixture(&store, true).await;
        let vb = create(&store, &f, ReportKind::AnnualReport).await.unwrap();
        // An operation placed after the others: the lines follow the tree's order.
        let mut w = store.begin_write(WRITER).await.unwrap();
        let last = w
            .create_node(NewNode {
                parent_id: Some(f.org.unit),
                kind: OrgKind::Operation,
                name: "Ateljén".into(),
                position: 5,
            })
            .await
            .unwrap()
            .id;
        w.commit().await.unwrap();
        // Nothing written: a line per operation, empty, nothing printed.
        let d = doc(&store, &f, ReportKind::AnnualReport).await;
        assert_eq!(d.economy.version, 0);
        let names: Vec<&str> = d
            .economy
            .lines
            .iter()
            .map(|l| l.operation_name.as_str())
            .collect();
        assert_eq!(names, ["Caféet", "Snickeriet", "Ateljén"]);
        assert!(d.economy.is_empty());
        assert_eq!(d.economy.printed(ReportKind::AnnualReport), None);

        let input = EconomyInput {
            lines: vec![
                EconomyLineInput {
                    operation_id: f.operations[1],
                    budget: Some("2,5 mnkr".into()),
                    forecast: Some("2 550 tkr".into()),
                    outcome: Some("2 600 000".into()),
                },
                EconomyLineInput {
                    operation_id: last,
                    budget: Some("1 000 tkr".into()),
                    forecast: None,
                    outcome: Some("950 tkr".into()),
                },
            ],
            analysis: Some("Snickeriet köpte virke.".into()),
            investments: None,
            premises: Some("Inga".into()),
        };
        let mut w = store.begin_write(WRITER).await.unwrap();
        let written = w.write_economy(vb, 0, &input).await.unwrap();
        w.commit().await.unwrap();

        // The document holds what the write path stored, the same as the economy's own read.
        let d = doc(&store, &f, ReportKind::AnnualReport).await;
        assert_eq!(d.economy, written);
        assert_eq!(d.economy, store.report_economy(vb).await.unwrap());
        assert_eq!(d.economy.version, 1);
        let snickeriet = &d.economy.lines[1];
        assert_eq!(snickeriet.operation_id, f.operations[1]);
        assert_eq!(snickeriet.budget_text.as_deref(), Some("2,5 mnkr"));
        assert_eq!(snickeriet.amounts.budget.unwrap().to_string(), "2500000");
        assert_eq!(snickeriet.amounts.forecast.unwrap().to_string(), "2550000");
        assert!(!d.economy.lines[0].has_figures());
        assert_eq!(d.economy.totals.budget.unwrap().to_string(), "3500000");
        assert_eq!(d.economy.totals.outcome.unwrap().to_string(), "3550000");
        assert_eq!(d.economy.totals.result.unwrap().to_string(), "-50000");
        assert_eq!(d.economy.premises.as_deref(), Some("Inga"));
        // What the printed forms print of it.
        let printed = d.economy.printed(ReportKind::AnnualReport).unwrap();
        let table = printed.table.as_ref().unwrap();
        assert_eq!(table.rows.len(), 3);
        assert_eq!(table.totals.deviation.unwrap().to_string(), "-50000");
        assert_eq!(
            printed.texts(),
            [
                ("Analys av avvikelser", "Snickeriet köpte virke."),
                ("Medel för lokaländamål", "Inga")
            ]
        );
        // Each report has its own: the year's first tertial report has none written.
        create(&store, &f, ReportKind::Tertial1).await.unwrap();
        let t1 = doc(&store, &f, ReportKind::Tertial1).await;
        assert_eq!(t1.economy.version, 0);
        assert!(t1.economy.is_empty());
        assert_eq!(t1.economy.lines.len(), 3);
    }
);

both_backends!(
    a_report_is_submitted_returned_and_approved,
    async |store: Store| {
        let f = fixture(&store, true).await;
        let t1 = create(&store, &f, ReportKind::Tertial1).await.unwrap();
        // An assessment without analysis blocks submitting.
        let mut w = store.begin_write(WRITER).await.unwrap();
        w.write_assessment(t1, f.goal, 0, Some(Assessment::Met), None)
            .await
            .unwrap();
        let v = doc(&store, &f, ReportKind::Tertial1).await.report.version;
        let e = w
            .transition_report(t1, v, PlanStatus::Submitted, "")
            .await
            .unwrap_err();
        let StoreError::ReportCheck(findings) = &e else {
            panic!("{e:?}")
        };
        assert!(
            findings
                .iter()
                .any(|x| x.rule == Rule::AssessmentWithoutAnalysis)
        );
        assert!(
            e.to_string().starts_with("Rapporten kan inte skickas in"),
            "{e}"
        );
        w.write_assessment(t1, f.goal, 1, Some(Assessment::Met), Some("Målet nås"))
            .await
            .unwrap();
        let (r, step) = w
            .transition_report(t1, v, PlanStatus::Submitted, "")
            .await
            .unwrap();
        w.commit().await.unwrap();
        assert_eq!(r.status, PlanStatus::Submitted);
        assert_eq!(step.actor, WRITER);

        // Submitted: locked for writing.
        let mut w = store.begin_write(WRITER).await.unwrap();
        let e = w
            .write_assessment(t1, f.goal, 2, None, None)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Locked(_)), "{e:?}");
        drop(w);

        // A return needs a comment; a stale version is a conflict.
        let mut w = store.begin_write(CONTROLLER).await.unwrap();
        let e = w
            .transition_report(t1, r.version, PlanStatus::Returned, " ")
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Workflow(_)), "{e:?}");
        let e = w
            .transition_report(t1, r.version - 1, PlanStatus::Returned, "Mer analys")
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Conflict { .. }), "{e:?}");
        let (r, _) = w
            .transition_report(t1, r.version, PlanStatus::Returned, "Mer analys")
            .await
            .unwrap();
        w.commit().await.unwrap();
        let mut w = store.begin_write(WRITER).await.unwrap();
        let (r, _) = w
            .transition_report(t1, r.version, PlanStatus::Submitted, "")
            .await
            .unwrap();
        w.commit().await.unwrap();
        let mut w = store.begin_write(CONTROLLER).await.unwrap();
        let (r, _) = w
            .transition_report(t1, r.version, PlanStatus::Approved, "")
            .await
            .unwrap();
        w.commit().await.unwrap();
        assert_eq!(r.status, PlanStatus::Approved);
        let steps = store.report_transitions(t1).await.unwrap();
        assert_eq!(steps.len(), 4);
        assert_eq!(steps[1].comment.as_deref(), Some("Mer analys"));
        assert_eq!(steps[3].actor, CONTROLLER);
    }
);

both_backends!(
    an_imported_annual_report_is_written_like_any_other,
    async |store: Store| {
        let Some(files) = malkedja_store::testing::seed_files() else {
            return;
        };
        let Some((_, bytes)) = files.iter().find(|(name, _)| name.contains("/001_")) else {
            panic!(
                "seed 001 among {:?}",
                files.iter().map(|f| &f.0).collect::<Vec<_>>()
            );
        };
        let parsed = malkedja_import::parse_bytes(bytes).unwrap();
        let mut w = store.begin_write("import").await.unwrap();
        let summary = import_document(&mut w, &parsed, &ImportOptions::default())
            .await
            .unwrap();
        w.commit().await.unwrap();
        let unit = NodeId(summary.unit_id);
        let id = store
            .report_document(unit, summary.year, ReportKind::AnnualReport)
            .await
            .unwrap()
            .unwrap()
            .report
            .id;
        let Some(r) = store.report_by_id(id).await.unwrap() else {
            panic!("report {id}")
        };
        let d = store
            .report_document(r.plan.unit_id, r.plan.year, r.report.kind)
            .await
            .unwrap()
            .unwrap();
        let g = d
            .goals
            .iter()
            .flat_map(|g| g.walk())
            .find(|g| d.assessments.contains_key(&g.goal.id))
            .unwrap();
        let v = d.marks.goals[&g.goal.id].version;
        assert!(v >= 1);
        let mut w = store.begin_write(WRITER).await.unwrap();
        if r.report.status != PlanStatus::Draft {
            w.set_report_status(id, r.report.version, PlanStatus::Draft)
                .await
                .unwrap();
        }
        assert_eq!(
            w.write_assessment(
                id,
                g.goal.id,
                v,
                Some(Assessment::PartlyMet),
                Some("Ny analys")
            )
            .await
            .unwrap(),
            v + 1
        );
        let key = d.sections[0].key.clone();
        let s = w
            .write_report_section(id, &key, d.sections[0].version, "Ny text")
            .await
            .unwrap();
        assert_eq!(s.heading, d.sections[0].heading);
        w.commit().await.unwrap();
    }
);

/// Renders what a test can check of a report: its kind and how many goals it assesses.
/// Fails when `fail` is set.
struct ReportFreezer {
    fail: bool,
}

impl malkedja_store::Freezer for ReportFreezer {
    fn render(&self, input: malkedja_store::FreezeInput) -> malkedja_store::FreezeFuture {
        let fail = self.fail;
        Box::pin(async move {
            if fail {
                return Err("testet ville inte".to_string());
            }
            let malkedja_store::FreezeSource::Report(doc) = &input.document else {
                return Err("bara rapporter här".to_string());
            };
            let text = format!(
                "{} {} {}",
                doc.report.kind.code(),
                doc.report.status.code(),
                doc.assessments.len()
            );
            Ok(malkedja_store::FrozenParts {
                pdf: text.as_bytes().to_vec(),
                json: text.clone(),
                html: text,
            })
        })
    }
}

/// Writes what the report check asks before a T1 of the fixture can be submitted, and
/// submits it. Returns the report's version.
async fn submit_t1(store: &Store, f: &Fixture, t1: i64) -> i64 {
    let v = store
        .report_by_id(t1)
        .await
        .unwrap()
        .unwrap()
        .report
        .version;
    let mut w = store.begin_write(WRITER).await.unwrap();
    w.write_assessment(t1, f.goal, 0, Some(Assessment::Met), Some("Målet nås"))
        .await
        .unwrap();
    let (r, _) = w
        .transition_report(t1, v, PlanStatus::Submitted, "")
        .await
        .unwrap();
    w.commit().await.unwrap();
    r.version
}

both_backends!(
    approving_a_report_freezes_it_in_its_own_transaction,
    async |store: Store| {
        // A copy that cannot be made: no approval either.
        let failing = store
            .clone()
            .with_freezer(std::sync::Arc::new(ReportFreezer { fail: true }));
        let f = fixture(&failing, true).await;
        let t1 = create(&failing, &f, ReportKind::Tertial1).await.unwrap();
        let v = submit_t1(&failing, &f, t1).await;
        let mut w = failing.begin_write(CONTROLLER).await.unwrap();
        let e = w
            .transition_report(t1, v, PlanStatus::Approved, "")
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Archive(_)), "{e:?}");
        drop(w);
        let r = failing.report_by_id(t1).await.unwrap().unwrap().report;
        assert_eq!(r.status, PlanStatus::Submitted);
        assert!(
            failing
                .frozen_copies(malkedja_store::DocRef::Report(t1))
                .await
                .unwrap()
                .is_empty()
        );

        // Approved: the copy belongs to the approving step.
        let store = store.with_freezer(std::sync::Arc::new(ReportFreezer { fail: false }));
        let mut w = store.begin_write(CONTROLLER).await.unwrap();
        let (r, step) = w
            .transition_report(t1, v, PlanStatus::Approved, "")
            .await
            .unwrap();
        w.commit().await.unwrap();
        let doc = malkedja_store::DocRef::Report(t1);
        let copies = store.frozen_copies(doc).await.unwrap();
        assert_eq!(copies.len(), 1);
        assert_eq!(copies[0].approval, step.id);
        assert_eq!(copies[0].approved_by, CONTROLLER);
        assert_eq!(copies[0].kind, "tertial1");
        let (_, html) = store
            .frozen_part(doc, malkedja_store::FrozenPart::Html)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(String::from_utf8(html).unwrap(), "tertial1 approved 1");

        // Reopened, it reads live; approved again, it gets a copy of its own.
        let admin = "admin@example.se";
        let mut w = store.begin_write(admin).await.unwrap();
        let (r, _) = w
            .transition_report(t1, r.version, PlanStatus::Draft, "Fel siffra")
            .await
            .unwrap();
        w.commit().await.unwrap();
        assert!(
            store
                .frozen_part(doc, malkedja_store::FrozenPart::Html)
                .await
                .unwrap()
                .is_none(),
            "a reopened report has no current copy"
        );
        let mut w = store.begin_write(WRITER).await.unwrap();
        let (r, _) = w
            .transition_report(t1, r.version, PlanStatus::Submitted, "")
            .await
            .unwrap();
        w.commit().await.unwrap();
        let mut w = store.begin_write(CONTROLLER).await.unwrap();
        let (_, again) = w
            .transition_report(t1, r.version, PlanStatus::Approved, "")
            .await
            .unwrap();
        w.commit().await.unwrap();
        let copies = store.frozen_copies(doc).await.unwrap();
        assert_eq!(copies.len(), 2);
        assert_eq!(copies[1].approval, again.id);
    }
);

both_backends!(
    a_reports_parts_are_marked_ready_and_an_edit_clears_the_mark,
    async |store: Store| {
        use malkedja_domain::PlanPart;
        use malkedja_store::DocRef;
        let f = fixture(&store, true).await;
        let t1 = create(&store, &f, ReportKind::Tertial1).await.unwrap();
        let t2 = create(&store, &f, ReportKind::Tertial2).await.unwrap();
        let goal = PlanPart::goal(f.goal);
        let section = PlanPart::section("sammanfattande-analys");
        let mut w = store.begin_write(WRITER).await.unwrap();
        for p in [&goal, &section, &PlanPart::Economy] {
            w.mark_ready_in(DocRef::Report(t2), p).await.unwrap();
        }
        // Marking again is harmless; T1 has no economy; a goal it does not show is no part.
        let again = w.mark_ready_in(DocRef::Report(t2), &goal).await.unwrap();
        let e = w
            .mark_ready_in(DocRef::Report(t1), &PlanPart::Economy)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::NotFound(_)), "{e:?}");
        let e = w
            .mark_ready_in(DocRef::Report(t1), &PlanPart::goal(GoalId(999_999)))
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::NotFound(_)), "{e:?}");
        // Taking back a mark made again since is a conflict.
        let e = w
            .unmark_ready_in(DocRef::Report(t2), &goal, again.id + 1)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Conflict { .. }), "{e:?}");
        w.commit().await.unwrap();
        let marks = store.ready_marks_of(DocRef::Report(t2)).await.unwrap();
        assert_eq!(marks.len(), 3);
        assert!(
            store
                .ready_marks_of(DocRef::Report(t1))
                .await
                .unwrap()
                .is_empty()
        );

        // Each edit clears its part's mark: an outcome its goal's, a section and the economy
        // their own.
        let mut w = store.begin_write(WRITER).await.unwrap();
        w.write_outcome(t2, f.tertial, 0, Some("72 %"), None, None, None)
            .await
            .unwrap();
        w.write_report_section(t2, "sammanfattande-analys", 0, "Bra.")
            .await
            .unwrap();
        w.write_economy(
            t2,
            0,
            &EconomyInput {
                lines: vec![EconomyLineInput {
                    operation_id: f.operations[0],
                    budget: Some("100 tkr".into()),
                    forecast: None,
                    outcome: None,
                }],
                analysis: None,
                investments: None,
                premises: None,
            },
        )
        .await
        .unwrap();
        w.commit().await.unwrap();
        assert!(
            store
                .ready_marks_of(DocRef::Report(t2))
                .await
                .unwrap()
                .is_empty()
        );
        let trail = store
            .audit_trail("report_ready_mark", &format!("{t2}/goal:{}", f.goal))
            .await
            .unwrap();
        let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["mark_ready", "clear_ready"]);

        // Locked with the report.
        let v = submit_t1(&store, &f, t1).await;
        assert!(v > 0);
        let mut w = store.begin_write(WRITER).await.unwrap();
        let e = w
            .mark_ready_in(DocRef::Report(t1), &goal)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Locked(_)), "{e:?}");
    }
);

both_backends!(
    a_reports_history_holds_what_was_written_in_it,
    async |store: Store| {
        let f = fixture(&store, true).await;
        let t1 = create(&store, &f, ReportKind::Tertial1).await.unwrap();
        let t2 = create(&store, &f, ReportKind::Tertial2).await.unwrap();
        let mut w = store.begin_write(WRITER).await.unwrap();
        w.write_assessment(t1, f.goal, 0, Some(Assessment::Met), Some("Ja"))
            .await
            .unwrap();
        w.write_activity_status(t1, f.activity, 0, Some(ActivityStatus::Done), None)
            .await
            .unwrap();
        w.write_outcome(t2, f.tertial, 0, Some("72 %"), None, None, None)
            .await
            .unwrap();
        w.commit().await.unwrap();
        let page = store
            .history(&malkedja_store::HistorySubject::Report(t1), None, 50)
            .await
            .unwrap();
        let entities: Vec<&str> = page.events.iter().map(|e| e.entity.as_str()).collect();
        assert!(entities.contains(&"goal_assessment"), "{entities:?}");
        assert!(entities.contains(&"activity_status"));
        assert!(entities.contains(&"report"));
        assert!(
            !entities.contains(&"indicator_outcome"),
            "the other report's outcome is not in this one's history: {entities:?}"
        );
        assert!(page.names.goals.contains_key(&f.goal.0));
        assert!(page.names.activities.contains_key(&f.activity.0));
        let e = store
            .history(&malkedja_store::HistorySubject::Report(999_999), None, 50)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::NotFound(_)), "{e:?}");
        // "Mitt arbete" reads every report of the years it follows.
        let reports = store.reports_from(2025).await.unwrap();
        let ids: Vec<i64> = reports.iter().map(|r| r.id).collect();
        assert_eq!(ids, [t1, t2]);
    }
);
