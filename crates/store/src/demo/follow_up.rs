//! The demo district's follow-up, written as people write it: each report created from the
//! unit's plan ([`Writer::create_report`], prefilled from the previous report of the year),
//! filled ([`Writer::write_follow_up`], [`Writer::write_economy`]), submitted and approved
//! by the controller ([`Writer::transition_report`]).
//!
//! What the data gives by hand (the annual reports of the year the history is built from,
//! with the column for the year before) is written as it stands. Everything else is
//! generated (`fill.rs`): each unit's indicator is a [`Track`] of yearly values around the
//! ones the data gives, walked back year by year and interpolated over the tertials, with
//! analyses, assessments by the city's rule and a summary from sentence templates.
//!
//! An indicator is followed from year to year by its owner and name (council and board
//! indicators by their key in the data, which names the same indicator every year): the
//! model has no other link between an indicator of one year and the next.

use super::{
    ComplaintData, Data, Loader, ReportData, YearKeys, body, complaint_rows, corrupt, moment,
    optional_body, resolve,
};
use crate::fill::{self, Generated, Rng, Shape};
use crate::{AssessmentWrite, EconomyInput, EconomyLineInput, FollowUpWrites, OutcomeWrite};
use crate::{StatusWrite, StoreError};
use malkedja_domain::{
    Activity, ActivityId, ActivityStatus, IndicatorId, IndicatorView, PlanStatus, ReportKind, Role,
    ValueKind, Year,
};
use std::collections::{BTreeMap, HashMap, HashSet};

type R<T> = Result<T, StoreError>;

/// What the data's annual report says of one unit's indicator.
struct Anchor {
    outcome: String,
    previous: Option<String>,
}

/// One unit's indicator over the years: a yearly value for each year it has one.
struct Track {
    shape: Shape,
    annual: BTreeMap<Year, f64>,
    /// The indicator was new in the first year it has (no value the year before).
    new_then: bool,
}

/// The tracks of the demo's indicators, made as they are first asked for.
pub(super) struct Tracks {
    /// The year whose annual reports the data gives by hand.
    base: Year,
    /// The first year of history.
    first: Year,
    /// (unit key, indicator reference) → what the data says.
    anchors: HashMap<(String, String), Anchor>,
    /// (unit key, indicator reference) → the years without data, and why.
    no_data: HashMap<(String, String), (Vec<Year>, String)>,
    tracks: HashMap<(String, String), Option<Track>>,
}

impl Tracks {
    pub(super) fn new(data: &Data) -> R<Tracks> {
        let base = data.history.structure_from;
        let first = data.history.years.iter().copied().min().unwrap_or(base);
        let mut anchors = HashMap::new();
        for r in data
            .reports
            .iter()
            .filter(|r| r.year == base && r.kind == ReportKind::AnnualReport)
        {
            for o in &r.indicators {
                anchors.insert(
                    (r.unit.clone(), o.indicator.clone()),
                    Anchor {
                        outcome: o.outcome.clone(),
                        previous: o.previous.clone(),
                    },
                );
            }
        }
        let mut no_data = HashMap::new();
        for n in &data.history.no_data {
            if n.analysis.is_empty() {
                return Err(corrupt(format!(
                    "{:?} saknar förklaring till att data saknas",
                    n.indicator
                )));
            }
            no_data.insert(
                (n.unit.clone(), n.indicator.clone()),
                (n.years.clone(), body(&n.analysis)),
            );
        }
        Ok(Tracks {
            base,
            first,
            anchors,
            no_data,
            tracks: HashMap::new(),
        })
    }

    /// (unit key, indicator name) of the units' own indicators that were new in the base
    /// year: its annual report gives no value for the year before.
    pub(super) fn new_then(&self) -> HashSet<(String, String)> {
        self.anchors
            .iter()
            .filter(|((_, reference), a)| a.previous.is_none() && !is_key(reference))
            .map(|(k, _)| k.clone())
            .collect()
    }

    fn track(&mut self, unit: &str, reference: &str, view: &IndicatorView) -> Option<&Track> {
        let key = (unit.to_string(), reference.to_string());
        if !self.tracks.contains_key(&key) {
            let track = self.make(unit, reference, view);
            self.tracks.insert(key.clone(), track);
        }
        self.tracks.get(&key).and_then(Option::as_ref)
    }

    /// The track of one unit's indicator: the data's values where it gives them, the years
    /// before walked back from them, the year after one step on; an indicator the data
    /// gives nothing for starts from its target.
    fn make(&self, unit: &str, reference: &str, view: &IndicatorView) -> Option<Track> {
        let i = &view.indicator;
        if i.value_kind == ValueKind::Text {
            return None;
        }
        let anchor = self.anchors.get(&(unit.to_string(), reference.to_string()));
        let shape = Shape::of(
            &i.name,
            i.value_kind,
            i.direction,
            i.unit_of_measure.as_deref(),
            anchor.map(|a| a.outcome.as_str()),
            // The data marks the indicators that concern people (`by_sex`); their outcomes
            // are given for women and men too.
            i.by_sex,
        );
        let mut rng = Rng::seeded(&[unit, reference, "år"]);
        let Some(base_value) = anchor.and_then(|a| fill::number(&a.outcome)) else {
            // An indicator the data's annual report does not have is new since: it starts
            // in its own year, from its target, as well as the unit does on the whole.
            let form = Rng::seeded(&[unit, "form"]).between(0.3, 0.95);
            let target = fill::target_value(view.target.as_ref())?;
            let first = shape.around_target(&mut rng, target, form);
            return Some(Track {
                shape,
                annual: BTreeMap::from([(i.year, first)]),
                new_then: true,
            });
        };
        let before = anchor
            .and_then(|a| a.previous.as_deref())
            .and_then(fill::number)
            .unwrap_or_else(|| shape.earlier(&mut rng, base_value, 1)[0]);
        let mut annual = BTreeMap::new();
        annual.insert(self.base, base_value);
        annual.insert(self.base - 1, before);
        let back = usize::try_from(self.base - 1 - self.first).unwrap_or(0);
        for (n, v) in shape
            .earlier(&mut rng, before, back)
            .into_iter()
            .enumerate()
        {
            annual.insert(self.base - 2 - n as Year, v);
        }
        // The year after: about as far on the better side as the year before was on the worse.
        let next = 2.0 * base_value - shape.earlier(&mut rng, base_value, 1)[0];
        annual.insert(self.base + 1, next);
        Some(Track {
            shape,
            annual,
            new_then: anchor.is_some_and(|a| a.previous.is_none()),
        })
    }

    /// The generated outcome of one unit's indicator in a report.
    fn outcome(
        &mut self,
        unit: &str,
        reference: &str,
        view: &IndicatorView,
        year: Year,
        kind: ReportKind,
    ) -> Option<Generated> {
        let missing = |y: Year| -> Option<String> {
            self.no_data
                .get(&(unit.to_string(), reference.to_string()))
                .filter(|(years, _)| years.contains(&y))
                .map(|(_, why)| why.clone())
        };
        let (gap, gap_before) = (missing(year), missing(year - 1));
        let base = self.base;
        let track = self.track(unit, reference, view)?;
        if let Some(why) = gap {
            return Some(Generated {
                shape: track.shape.clone(),
                value: None,
                previous: None,
                analysis: Some(why),
            });
        }
        let annual = *track.annual.get(&year)?;
        let first = track.annual.keys().next().copied().unwrap_or(year);
        let new_this_year = track.new_then && (year == base || year == first);
        let previous = if gap_before.is_some() || new_this_year {
            None
        } else {
            track.annual.get(&(year - 1)).copied()
        };
        let value = match kind {
            ReportKind::AnnualReport => annual,
            _ => {
                let mut rng = Rng::seeded(&[unit, reference, &year.to_string()]);
                let (t1, t2) = track
                    .shape
                    .tertials(&mut rng, previous.unwrap_or(annual), annual);
                if kind == ReportKind::Tertial1 { t1 } else { t2 }
            }
        };
        Some(Generated {
            shape: track.shape.clone(),
            value: Some(value),
            previous,
            analysis: None,
        })
    }
}

/// How far a demo report goes once written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sent {
    /// Submitted to the controller.
    Submitted,
    /// Submitted and approved by the controller, through the workflow.
    Approved,
    /// Approved as the years of history are, like their plans: the status set, without
    /// workflow steps (those years' reports were approved before Målkedja recorded them).
    Recorded,
}

/// Whether a reference names an indicator by its key in the data (`ci_sjuk`), not by name.
fn is_key(reference: &str) -> bool {
    !reference.contains(' ') && reference.contains('_')
}

/// When a report of the kind is written: the last day of its period.
fn written_at(year: Year, kind: ReportKind) -> R<time::OffsetDateTime> {
    fill::period_end(year, kind)
        .map(|d| d.midnight().assume_utc())
        .ok_or_else(|| corrupt(format!("inget slut på perioden {} {year}", kind.label())))
}

/// The controller's account, who approves and returns.
fn controller() -> R<&'static str> {
    super::DEMO_ACCOUNTS
        .iter()
        .find(|a| a.role == Role::Controller)
        .map(|a| a.email)
        .ok_or_else(|| corrupt("demokonto för controllern saknas"))
}

impl Loader {
    /// Creates the unit's report of `kind` for `year` from its plan, as a person does (from
    /// an approved plan; in the newest year, whose plans show the plan's workflow, from the
    /// plan as it stands), written at the end of its period.
    async fn new_report(
        &mut self,
        unit: malkedja_domain::NodeId,
        year: Year,
        kind: ReportKind,
        at: time::OffsetDateTime,
    ) -> R<(i64, malkedja_domain::ReportDocument)> {
        let name = self.unit_name(unit);
        let plan = self
            .w
            .plan(unit, year)
            .await?
            .ok_or_else(|| corrupt(format!("{name} har ingen plan för {year}")))?;
        let report = if plan.status == PlanStatus::Approved {
            self.w.create_report(unit, year, kind).await?
        } else {
            self.w.create_report_from(&plan, &name, kind).await?
        };
        self.w.ensure_report(plan.id, kind, at).await?;
        let doc = self
            .w
            .report_document(unit, year, kind)
            .await?
            .ok_or_else(|| corrupt(format!("{} {year} för {name} saknas", kind.label())))?;
        self.reports += 1;
        Ok((report.id, doc))
    }

    /// Submits the report (as the demo) and approves it as the controller, through the
    /// report's workflow ([`Writer::transition_report`]), as far as `sent` says.
    async fn send_in(&mut self, report: i64, sent: Sent) -> R<()> {
        let version = crate::followup::report_by_id(&mut self.w.tx, report)
            .await?
            .ok_or_else(|| corrupt(format!("rapport {report}")))?
            .version;
        if sent == Sent::Recorded {
            self.w
                .set_report_status(report, version, PlanStatus::Approved)
                .await?;
            return Ok(());
        }
        let (submitted, _) = self
            .w
            .transition_report(report, version, PlanStatus::Submitted, "")
            .await?;
        if sent == Sent::Approved {
            let own = std::mem::replace(&mut self.w.actor, controller()?.to_string());
            let approved = self
                .w
                .transition_report(report, submitted.version, PlanStatus::Approved, "")
                .await;
            self.w.actor = own;
            approved?;
        }
        Ok(())
    }

    /// A report of generated follow-up (`fill.rs`), sent as far as `sent` says.
    /// `annual` is the data's annual report of the year, when there is one: its deviations
    /// show in the second tertial, its complaints table in each tertial's share.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn generated_report(
        &mut self,
        unit_key: &str,
        year: Year,
        kind: ReportKind,
        keys: &YearKeys,
        tracks: &mut Tracks,
        annual: Option<(&ReportData, &[super::ComplaintGroupData])>,
        sent: Sent,
        progress: &(dyn Fn(&str) + Sync),
    ) -> R<()> {
        let unit = self.node(unit_key)?;
        let name = self.unit_name(unit);
        progress(&format!(
            "Uppföljning {year}: {} för {name} …",
            kind.label().to_lowercase()
        ));
        let (report, doc) = self
            .new_report(unit, year, kind, written_at(year, kind)?)
            .await?;
        let by_key: HashMap<IndicatorId, &str> = keys
            .indicators
            .iter()
            .map(|(k, id)| (*id, k.as_str()))
            .collect();
        let deviating = match annual {
            Some((a, _)) if kind == ReportKind::Tertial2 => deviations(a, &doc, keys),
            _ => HashSet::new(),
        };
        let mut rng = Rng::seeded(&[unit_key, &year.to_string(), kind.code()]);
        let made = fill::generated_report(
            &doc,
            &mut rng,
            &mut |v: &IndicatorView| {
                let reference = by_key
                    .get(&v.indicator.id)
                    .map_or_else(|| v.indicator.name.clone(), |k| (*k).to_string());
                tracks.outcome(unit_key, &reference, v, year, kind)
            },
            &|a: &Activity| deviating.contains(&a.id),
        );
        self.w.write_follow_up(report, &made.writes).await?;
        self.w.set_outcome_context(report, &made.context).await?;
        if let Some((a, table)) = annual {
            let share = match kind {
                ReportKind::Tertial1 => 1,
                ReportKind::Tertial2 => 2,
                ReportKind::AnnualReport => 3,
            };
            let so_far: Vec<ComplaintData> = a
                .complaints
                .iter()
                .map(|c| ComplaintData {
                    row: c.row.clone(),
                    counts: c.counts.iter().take(share).copied().collect(),
                    assessment: None,
                })
                .collect();
            let what = format!("{} {year} för {name}", kind.label());
            let rows = complaint_rows(table, kind, &so_far, &what)?;
            self.w.set_complaints(report, &rows).await?;
        }
        self.send_in(report, sent).await
    }

    /// A report the data gives by hand, written as a person writes it on top of what the
    /// report was prefilled with, then submitted and approved: its sections, assessments,
    /// outcomes and activity statuses, the economy and the complaints table.
    pub(super) async fn people_report(
        &mut self,
        r: &ReportData,
        keys: &YearKeys,
        table: &[super::ComplaintGroupData],
        progress: &(dyn Fn(&str) + Sync),
    ) -> R<()> {
        let unit = self.node(&r.unit)?;
        let name = self.unit_name(unit);
        let what = format!("{} {} för {name}", r.kind.label(), r.year);
        progress(&format!(
            "Uppföljning {}: {} för {name} …",
            r.year,
            r.kind.label().to_lowercase()
        ));
        let (report, doc) = self
            .new_report(unit, r.year, r.kind, moment(&r.written_at)?)
            .await?;
        let resolved = resolve(r, &doc, keys, table, &what)?;
        // The data's sections are those of the old system's reports, beyond the template's.
        self.w
            .set_report_sections(report, &resolved.sections)
            .await?;
        let mut writes = FollowUpWrites::default();
        for a in &resolved.assessments {
            writes.assessments.push(AssessmentWrite {
                goal: a.goal_id,
                expected: doc.marks.goals.get(&a.goal_id).map_or(0, |m| m.version),
                assessment: a.assessment,
                analysis: a.analysis.clone(),
            });
        }
        for o in &resolved.outcomes {
            writes.outcomes.push(OutcomeWrite {
                indicator: o.indicator_id,
                expected: doc
                    .marks
                    .indicators
                    .get(&o.indicator_id)
                    .map_or(0, |m| m.version),
                value: o.outcome.as_ref().map(|m| m.text.clone()),
                women: o.women.clone(),
                men: o.men.clone(),
                analysis: o.analysis.clone(),
            });
        }
        for f in &resolved.followups {
            writes.statuses.push(StatusWrite {
                activity: f.activity_id,
                expected: doc
                    .marks
                    .activities
                    .get(&f.activity_id)
                    .map_or(0, |m| m.version),
                status: f.status,
                analysis: f.analysis.clone(),
            });
        }
        self.w.write_follow_up(report, &writes).await?;
        let context: Vec<_> = resolved
            .outcomes
            .iter()
            .map(|o| (o.indicator_id, o.previous.clone(), o.period.clone()))
            .collect();
        self.w.set_outcome_context(report, &context).await?;
        if let Some(e) = &r.economy {
            let mut lines = Vec::new();
            for l in &e.lines {
                lines.push(EconomyLineInput {
                    operation_id: self.node(&l.operation)?,
                    budget: l.budget.clone(),
                    forecast: l.forecast.clone(),
                    outcome: l.outcome.clone(),
                });
            }
            let input = EconomyInput {
                lines,
                analysis: optional_body(&e.analysis),
                investments: optional_body(&e.investments),
                premises: None,
            };
            self.w.write_economy(report, 0, &input).await?;
        }
        self.w.set_complaints(report, &resolved.complaints).await?;
        self.send_in(report, Sent::Approved).await
    }
}

/// The activities the data's annual report marks as deviations, among those `doc` shows.
fn deviations(
    annual: &ReportData,
    doc: &malkedja_domain::ReportDocument,
    keys: &YearKeys,
) -> HashSet<ActivityId> {
    let shown: Vec<&Activity> = doc
        .goals
        .iter()
        .flat_map(malkedja_domain::CascadeGoal::walk)
        .flat_map(|g| &g.activities)
        .collect();
    annual
        .activities
        .iter()
        .filter(|f| f.status == Some(ActivityStatus::Deviation))
        .filter_map(|f| {
            keys.activities
                .get(&f.activity)
                .copied()
                .or_else(|| shown.iter().find(|a| a.title == f.activity).map(|a| a.id))
        })
        .filter(|id| shown.iter().any(|a| a.id == *id))
        .collect()
}
