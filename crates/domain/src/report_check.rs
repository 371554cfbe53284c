//! The report check ("Kontroll av rapporten"), the counterpart of the plan check
//! ([`crate::check_plan`]) with the same [`Finding`]s, and the computed parts of a report
//! as it is read: each indicator's status against its target and each goal's suggested
//! assessment.
//!
//! Errors block submitting: an activity marked as a deviation without an analysis, and a
//! goal the unit follows up ([`crate::followed_up`]: not the council's) assessed without
//! an analysis (but *Inga data* without a reason only warns: the assessment says there was
//! nothing to assess). A council goal's assessment, which an imported report may carry, is
//! shown as written and is not the unit's to change, so it is never an error. A warning
//! does not block: an indicator due in the period
//! ([`crate::due_in`]) without an outcome (the assessment *Inga data* exists for that).

use crate::follow_up::{
    ActivityReading, IndicatorReading, StatusAgainstTarget, Suggestion, due_in, suggest_assessment,
    target_status,
};
use crate::plan_check::{Finding, Place, Rule};
use crate::{ActivityStatus, Assessment, CascadeGoal, IndicatorView, ReportDocument};

fn quoted(s: &str) -> String {
    format!("”{}”", s.trim())
}

fn blank(s: Option<&str>) -> bool {
    s.is_none_or(|s| s.trim().is_empty())
}

/// The status of one indicator's outcome in the report against the target the report
/// shows for it.
pub fn indicator_status(doc: &ReportDocument, view: &IndicatorView) -> Option<StatusAgainstTarget> {
    let outcome = doc.outcomes.get(&view.indicator.id)?;
    target_status(
        outcome.outcome.as_ref(),
        view.target.as_ref(),
        view.indicator.direction,
        view.indicator.value_kind,
    )
}

/// The suggested assessment of one goal of the report, from its indicators' statuses and
/// its activities' statuses ([`crate::suggest_assessment`]).
pub fn suggest_for_goal(doc: &ReportDocument, goal: &CascadeGoal) -> Suggestion {
    let indicators: Vec<IndicatorReading<'_>> = goal
        .indicators
        .iter()
        .map(|v| IndicatorReading {
            name: &v.indicator.name,
            outcome: doc
                .outcomes
                .get(&v.indicator.id)
                .and_then(|o| o.outcome.as_ref())
                .map(|m| m.text.as_str()),
            target: v.target.as_ref().map(|t| t.text()),
            direction: v.indicator.direction,
            status: indicator_status(doc, v).map(|s| s.status),
        })
        .collect();
    let activities: Vec<ActivityReading<'_>> = goal
        .activities
        .iter()
        .map(|a| ActivityReading {
            title: &a.title,
            status: doc.followups.get(&a.id).and_then(|f| f.status),
        })
        .collect();
    suggest_assessment(&indicators, &activities)
}

/// Checks a report. Findings come errors first, each kind in the order of the document.
pub fn check_report(doc: &ReportDocument) -> Vec<Finding> {
    let mut out = Vec::new();
    let unit = doc.unit.id;
    for g in doc.goals.iter().flat_map(CascadeGoal::walk) {
        let goal = g.goal.id;
        if crate::followed_up(g)
            && let Some(a) = doc.assessments.get(&goal)
            && let Some(assessment) = a.assessment
            && blank(a.analysis.as_deref())
        {
            out.push(if assessment == Assessment::NoData {
                Finding::new(
                    Rule::NoDataWithoutReason,
                    Place::Goal { goal },
                    format!(
                        "Målet {} är bedömt Inga data utan förklaring. Skriv gärna varför det saknas underlag.",
                        quoted(&g.goal.title)
                    ),
                )
            } else {
                Finding::new(
                    Rule::AssessmentWithoutAnalysis,
                    Place::Goal { goal },
                    format!(
                        "Målet {} är bedömt men saknar analys. Skriv vad bedömningen bygger på.",
                        quoted(&g.goal.title)
                    ),
                )
            });
        }
        for v in &g.indicators {
            let i = &v.indicator;
            let missing = doc
                .outcomes
                .get(&i.id)
                .is_none_or(|o| o.outcome.as_ref().is_none_or(|m| m.text.trim().is_empty()));
            if due_in(i.periodicity, doc.report.kind) && missing {
                out.push(Finding::new(
                    Rule::OutcomeMissing,
                    Place::Indicator {
                        goal,
                        indicator: i.id,
                        own: i.owner_id == unit,
                    },
                    format!(
                        "Indikatorn {} ska redovisas i {} men saknar utfall.",
                        quoted(&i.name),
                        doc.report.kind.label().to_lowercase()
                    ),
                ));
            }
        }
        for a in &g.activities {
            if let Some(f) = doc.followups.get(&a.id)
                && f.status == Some(ActivityStatus::Deviation)
                && blank(f.analysis.as_deref())
            {
                out.push(Finding::new(
                    Rule::DeviationWithoutAnalysis,
                    Place::Activity {
                        goal,
                        activity: a.id,
                        own: a.owner_id == unit,
                    },
                    format!(
                        "Aktiviteten {} har en avvikelse men ingen analys. Beskriv vad som inte gick som planerat.",
                        quoted(&a.title)
                    ),
                ));
            }
        }
    }
    out.sort_by_key(|f| f.severity);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        Activity, ActivityFollowUp, ActivityId, Assessment, Direction, FollowUpMarks, Goal,
        GoalAssessment, GoalId, GoalLevel, Indicator, IndicatorId, IndicatorOutcome, Measure,
        NodeId, OrgKind, OrgNode, Periodicity, PlanId, PlanStatus, Report, ReportKind, Severity,
        Target, TargetStatus, ValueKind,
    };

    fn indicator(id: i64, name: &str, p: Periodicity, d: Direction) -> IndicatorView {
        IndicatorView {
            indicator: Indicator {
                id: IndicatorId(id),
                year: 2025,
                goal_id: GoalId(1),
                owner_id: NodeId(5),
                name: name.into(),
                unit_of_measure: None,
                periodicity: p,
                direction: d,
                value_kind: ValueKind::Percent,
                by_sex: false,
                council_target: None,
                position: id,
                version: 1,
            },
            target: Target::parse(if d == Direction::LowerIsBetter {
                "5 %"
            } else {
                "70 %"
            }),
        }
    }

    fn doc(kind: ReportKind) -> ReportDocument {
        let unit = OrgNode {
            id: NodeId(5),
            parent_id: None,
            kind: OrgKind::Unit,
            name: "Enheten".into(),
            position: 0,
            closed: None,
            version: 1,
        };
        let goal = CascadeGoal {
            goal: Goal {
                id: GoalId(1),
                year: 2025,
                level: GoalLevel::Unit,
                owner_id: NodeId(5),
                parent_id: None,
                number: None,
                title: "Delaktighet".into(),
                position: 0,
                version: 1,
            },
            owner_name: "Enheten".into(),
            inherited: false,
            sections: vec![],
            revised: None,
            indicators: vec![
                indicator(
                    10,
                    "Andel nöjda",
                    Periodicity::Tertial,
                    Direction::HigherIsBetter,
                ),
                indicator(
                    11,
                    "Sjukfrånvaro",
                    Periodicity::Year,
                    Direction::LowerIsBetter,
                ),
            ],
            activities: vec![Activity {
                id: ActivityId(20),
                year: 2025,
                goal_id: GoalId(1),
                owner_id: NodeId(5),
                title: "Brukarråd".into(),
                start: time::macros::date!(2025 - 01 - 01),
                end: time::macros::date!(2025 - 12 - 31),
                position: 0,
                version: 1,
            }],
            children: vec![],
        };
        ReportDocument {
            report: Report {
                id: 1,
                plan_id: PlanId(1),
                kind,
                status: PlanStatus::Draft,
                version: 1,
            },
            year: 2025,
            unit: unit.clone(),
            chain: vec![unit],
            sections: vec![],
            goals: vec![goal],
            assessments: Default::default(),
            outcomes: Default::default(),
            followups: Default::default(),
            complaints: vec![],
            economy: Default::default(),
            marks: FollowUpMarks::default(),
            history: Default::default(),
        }
    }

    fn outcome(id: i64, text: &str) -> IndicatorOutcome {
        IndicatorOutcome {
            indicator_id: IndicatorId(id),
            outcome: Some(Measure::parse(text)),
            men: None,
            women: None,
            previous: None,
            period: None,
            analysis: None,
        }
    }

    #[test]
    fn a_missing_outcome_is_a_warning_only_where_the_indicator_is_due() {
        let t1 = doc(ReportKind::Tertial1);
        let f = check_report(&t1);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].rule, Rule::OutcomeMissing);
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(f[0].message.contains("”Andel nöjda”"));
        let vb = doc(ReportKind::AnnualReport);
        assert_eq!(check_report(&vb).len(), 2);
        let mut vb = vb;
        vb.outcomes.insert(IndicatorId(10), outcome(10, "58,84 %"));
        vb.outcomes.insert(IndicatorId(11), outcome(11, "4,1 %"));
        assert!(check_report(&vb).is_empty());
    }

    #[test]
    fn last_years_outcome_is_filled_in_unless_the_report_states_one() {
        let mut d = doc(ReportKind::Tertial1);
        assert_eq!(d.previous_outcome(IndicatorId(10)), None, "no history");
        let point = |year, kind| crate::SeriesPoint {
            year,
            kind,
            total: Some(rust_decimal::Decimal::new(6125, 2)),
            women: None,
            men: None,
            target: None,
            preliminary: false,
        };
        d.history.insert(
            IndicatorId(10),
            crate::IndicatorSeries {
                name: "Andel nöjda".into(),
                unit_of_measure: Some("%".into()),
                direction: Direction::HigherIsBetter,
                value_kind: crate::ValueKind::Percent,
                by_sex: false,
                points: vec![
                    point(2023, ReportKind::AnnualReport),
                    point(2024, ReportKind::Tertial2),
                    point(2024, ReportKind::AnnualReport),
                ],
            },
        );
        assert_eq!(
            d.previous_outcome(IndicatorId(10)).as_deref(),
            Some("61,25 %")
        );
        d.history.get_mut(&IndicatorId(10)).unwrap().points.pop();
        assert_eq!(
            d.previous_outcome(IndicatorId(10)),
            None,
            "T2 is not an annual outcome, and 2023 is not last year"
        );
        let mut stated = outcome(10, "58,84 %");
        stated.previous = Some("60 %".into());
        d.outcomes.insert(IndicatorId(10), stated);
        assert_eq!(d.previous_outcome(IndicatorId(10)).as_deref(), Some("60 %"));
    }

    #[test]
    fn a_deviation_or_an_assessment_without_analysis_is_an_error() {
        let mut d = doc(ReportKind::AnnualReport);
        d.outcomes.insert(IndicatorId(10), outcome(10, "58,84 %"));
        d.followups.insert(
            ActivityId(20),
            ActivityFollowUp {
                activity_id: ActivityId(20),
                status: Some(ActivityStatus::Deviation),
                analysis: Some(" ".into()),
            },
        );
        d.assessments.insert(
            GoalId(1),
            GoalAssessment {
                goal_id: GoalId(1),
                assessment: Some(Assessment::PartlyMet),
                analysis: None,
            },
        );
        let f = check_report(&d);
        let rules: Vec<Rule> = f.iter().map(|x| x.rule).collect();
        assert_eq!(
            rules,
            vec![
                Rule::AssessmentWithoutAnalysis,
                Rule::DeviationWithoutAnalysis,
                Rule::OutcomeMissing
            ]
        );
        assert_eq!(f[0].severity, Severity::Error);
        assert_eq!(f[1].severity, Severity::Error);
        assert!(matches!(f[1].place, Place::Activity { own: true, .. }));
        // A council goal's assessment (an imported report carries them) is not the unit's
        // to write: no error, though it has no analysis.
        d.goals[0].goal.level = GoalLevel::Area;
        let rules: Vec<Rule> = check_report(&d).iter().map(|x| x.rule).collect();
        assert_eq!(
            rules,
            vec![Rule::DeviationWithoutAnalysis, Rule::OutcomeMissing]
        );
        // "Inga data" says itself that there was nothing to assess: a reason is asked
        // for, not required.
        d.goals[0].goal.level = GoalLevel::Unit;
        d.assessments.get_mut(&GoalId(1)).unwrap().assessment = Some(Assessment::NoData);
        let f = check_report(&d);
        assert_eq!(f[1].rule, Rule::NoDataWithoutReason);
        assert_eq!(f[1].severity, Severity::Warning);
        assert!(f[1].message.contains("Inga data"), "{}", f[1].message);
    }

    #[test]
    fn a_reports_parts_are_its_sections_its_goals_followed_up_and_its_economy() {
        let codes = |d: &ReportDocument| -> Vec<String> {
            crate::report_parts(d)
                .iter()
                .map(|p| p.part.code())
                .collect()
        };
        assert_eq!(
            codes(&doc(ReportKind::Tertial1)),
            ["section:sammanfattande-analys", "goal:1"]
        );
        assert_eq!(
            codes(&doc(ReportKind::AnnualReport)),
            [
                "section:sammanfattande-analys",
                "goal:1",
                "section:kvalitets-och-utvecklingsarbete",
                "section:kompetensutveckling",
                "section:medarbetarnas-delaktighet",
                "economy"
            ]
        );
        // A council goal is not the unit's to assess.
        let mut d = doc(ReportKind::Tertial2);
        d.goals[0].goal.level = crate::GoalLevel::Area;
        assert_eq!(codes(&d), ["section:sammanfattande-analys", "economy"]);
        assert_eq!(crate::report_parts(&d)[1].label, "Ekonomi");
    }

    #[test]
    fn statuses_and_the_suggestion_are_computed_from_the_report() {
        let mut d = doc(ReportKind::AnnualReport);
        d.outcomes.insert(IndicatorId(10), outcome(10, "58,84 %"));
        d.outcomes.insert(IndicatorId(11), outcome(11, "4,1 %"));
        let g = &d.goals[0];
        assert_eq!(
            indicator_status(&d, &g.indicators[0]).map(|s| s.status),
            Some(TargetStatus::Far)
        );
        assert_eq!(
            indicator_status(&d, &g.indicators[1]).map(|s| s.status),
            Some(TargetStatus::Reached)
        );
        let s = suggest_for_goal(&d, g);
        assert_eq!(s.assessment, Assessment::PartlyMet);
        assert_eq!(s.reasons.len(), 3);
    }
}
