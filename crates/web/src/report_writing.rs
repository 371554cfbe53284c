//! Writing a follow-up report (T1, T2, the annual report) on its page, with the guarantees
//! a plan has.
//!
//! - **Who and when.** A person the policy lets write the unit's texts
//!   (`Action::WriteUnitText` on the unit's chain, asked after reading the report) writes
//!   while the report is a draft or returned and the unit is open. Everyone else reads the
//!   report as it is printed.
//! - **Creating.** A report is made from the year's approved plan
//!   (`POST /enheter/{id}/rapporter/{year}/{kind}`), prefilled from the previous report of
//!   the year; without an approved plan the address says why, in Swedish.
//! - **What is written where.** On the report's page each goal the unit follows up has its
//!   assessment and analysis, with the suggested assessment and its reasons beside it (the
//!   writer decides); each indicator its outcome (with women and men where the indicator
//!   is reported for them, `Indicator::by_sex`), its analysis, and
//!   the status against its target, computed, never typed; each activity its status and
//!   analysis. Each form posts to its own address (`…/mal/{goal}`, `…/indikatorer/{id}`,
//!   `…/aktiviteter/{id}`), which also answers GET with the same form on a page of its own.
//!   The report's own sections (`…/avsnitt/{key}`) and its economy (`…/ekonomi`) have edit
//!   pages, as a plan's sections do.
//! - **No lost words.** Every form carries the version it started from; a stale save shows
//!   what is saved now beside what the writer typed, which stays in the form. Input that
//!   cannot be used comes back with a Swedish message at the field and what was typed.
//!   Values copied from the previous report say so ("Förifyllt från …") until edited.

use crate::AppState;
use crate::auth::Caller;
use crate::doc::Doc;
use crate::editor::{EditorPage, Field, FieldKind};
use crate::error::{AppError, HtmlError};
use crate::forms::FormErrors;
use crate::goals::{finish, save_checked};
use crate::params::{self, KindName, PagePath};
use crate::plan_sections::{EditPage, SectionForm, SectionPage, normalize, save_text, too_long};
use crate::views::{GoalBlock, Level};
use askama::Template;
use axum::extract::{Form, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use malkedja_domain::ReportEconomy;
use malkedja_domain::{
    Action, ActivityId, ActivityStatus, Assessment, CascadeGoal, GoalId, IndicatorId,
    IndicatorView, OrgNode, OutcomeField, PlanPart, PlanStatus, ReportDocument, ReportKind,
    ValueKind, check_activity_status, check_outcome, economy_amount, economy_columns, followed_up,
    indicator_status, report_parts, report_sections, suggest_for_goal,
};
use malkedja_store::{EconomyInput, EconomyLineInput, ReadyMark, StoreError};
use std::collections::{HashMap, HashSet};

type Sent = HashMap<String, String>;
type PageResult = Result<Response, HtmlError>;

/// The hint of every analysis field.
const TEXT_HINT: &str =
    "En tom rad börjar ett nytt stycke. Rader som börjar med ”- ” blir en punktlista.";

// ---- the forms on the report's page ----

/// A goal's assessment, as its form on the report's page shows it.
pub struct AssessmentForm {
    pub action: String,
    pub version: i64,
    /// The assessment's code, or "" for none yet.
    pub assessment: String,
    pub analysis: String,
    /// "Förifyllt från tertialrapport 1", while the values are the copy.
    pub prefilled: Option<String>,
    /// The suggested assessment and why, one sentence each.
    pub suggestion: &'static str,
    pub reasons: Vec<String>,
    pub saved: bool,
}

/// An indicator's outcome, as its form on the report's page shows it.
pub struct OutcomeForm {
    pub action: String,
    pub version: i64,
    pub value: String,
    pub women: String,
    pub men: String,
    pub analysis: String,
    /// Whether the outcome is split by women and men: the indicator concerns people and is
    /// reported for women and men ([`malkedja_domain::Indicator::by_sex`]).
    pub split: bool,
    /// Last year's outcome: as the report states it, else the unit's annual report of the
    /// year before.
    pub previous: String,
    /// The status against the target: (label, code for styling, how far off).
    pub status: Option<(&'static str, &'static str, String)>,
    pub kind: &'static str,
    pub prefilled: Option<String>,
    pub saved: bool,
}

/// An activity's status, as its form on the report's page shows it.
pub struct ActivityForm {
    pub action: String,
    pub version: i64,
    /// The status's code, or "" for none yet.
    pub status: String,
    pub analysis: String,
    pub prefilled: Option<String>,
    pub saved: bool,
}

/// The assessments a form offers: (code, label), none first.
pub fn assessment_options() -> Vec<(String, String)> {
    let mut out = vec![(String::new(), "Ingen bedömning ännu".to_string())];
    out.extend(
        Assessment::ALL
            .into_iter()
            .map(|a| (a.code().to_string(), a.label().to_string())),
    );
    out
}

/// The statuses an activity's form offers: (code, label), none first.
pub fn status_options() -> Vec<(String, String)> {
    let mut out = vec![(String::new(), "Ingen status ännu".to_string())];
    out.extend(
        ActivityStatus::ALL
            .into_iter()
            .map(|s| (s.code().to_string(), s.label().to_string())),
    );
    out
}

/// How far an outcome is from its target, in words: "11,16 procentenheter från årsmålet".
fn gap_text(s: &malkedja_domain::StatusAgainstTarget, kind: ValueKind) -> String {
    if s.gap.is_zero() {
        return String::new();
    }
    let gap = malkedja_domain::format_decimal_sv(s.gap);
    match kind {
        ValueKind::Percent => format!("{gap} procentenheter från årsmålet"),
        _ => format!("{gap} från årsmålet"),
    }
}

fn text(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

/// The report's page's address of an item, its anchor, and the `sparat` value that says
/// it was just saved.
fn goal_action(href: &str, goal: GoalId) -> String {
    format!("{href}/mal/{goal}")
}
fn indicator_action(href: &str, i: IndicatorId) -> String {
    format!("{href}/indikatorer/{i}")
}
fn activity_action(href: &str, a: ActivityId) -> String {
    format!("{href}/aktiviteter/{a}")
}

/// "Förifyllt från tertialrapport 1": which report a new one was prefilled from (the first
/// of [`malkedja_store::previous_kinds`] that exists), when anything is still prefilled.
async fn prefilled_from(
    state: &AppState,
    doc: &Doc,
    report: &ReportDocument,
) -> Result<Option<String>, AppError> {
    let m = &report.marks;
    let any = m.goals.values().any(|x| x.prefilled)
        || m.indicators.values().any(|x| x.prefilled)
        || m.activities.values().any(|x| x.prefilled);
    let Some(kind) = doc.kind.filter(|_| any) else {
        return Ok(None);
    };
    for prev in malkedja_store::previous_kinds(kind) {
        if state
            .store
            .report_of(doc.unit, doc.year, *prev)
            .await?
            .is_some()
        {
            return Ok(Some(format!(
                "Förifyllt från {} – ändra det som inte längre stämmer.",
                prev.label().to_lowercase()
            )));
        }
    }
    Ok(Some(
        "Förifyllt från föregående rapport – ändra det som inte längre stämmer.".into(),
    ))
}

/// What the page needs to put the forms in: the report, where it is written, what was just
/// saved, the marks.
pub struct Writing<'a> {
    pub doc: &'a Doc,
    pub report: &'a ReportDocument,
    /// The `sparat` of the address: what was just saved.
    pub saved: Option<String>,
    pub previous: HashMap<String, String>,
    pub prefilled: Option<String>,
    pub marks: &'a [ReadyMark],
}

/// Puts the forms of a report open for writing on its page's view: each goal it follows up
/// gets its assessment form, each indicator its outcome form, each activity its status
/// form; sections and the economy their edit links; every part its ready mark.
pub fn decorate(view: &mut crate::views::ReportView, w: &Writing<'_>) {
    let href = w.doc.href();
    let ready_action = format!("{href}/klar");
    let ready = |part: &PlanPart, what: &str| {
        crate::ready::ready_view(part, what, w.marks, Some(ready_action.as_str()))
    };
    let saved = |what: &str| w.saved.as_deref() == Some(what);
    let goals: HashMap<i64, &CascadeGoal> = w
        .report
        .goals
        .iter()
        .flat_map(CascadeGoal::walk)
        .map(|g| (g.goal.id.0, g))
        .collect();
    for block in view.goals.iter_mut() {
        let Some(g) = goals.get(&block.id) else {
            continue;
        };
        decorate_goal(block, g, w, &href, &saved);
        if followed_up(g) {
            let what = format!("{} {}", g.goal.level.heading_prefix(), g.goal.title);
            block.ready = Some(ready(&PlanPart::goal(g.goal.id), &what));
        }
    }
    for s in view.before.iter_mut().chain(view.after.iter_mut()) {
        s.edit = Some(format!("{href}/avsnitt/{}", s.key));
        s.saved = saved(&format!("avsnitt-{}", s.key));
        s.ready = Some(ready(&PlanPart::section(s.key.clone()), &s.heading));
    }
    if let Some(e) = view.economy.as_mut() {
        e.edit = Some(format!("{href}/ekonomi"));
        e.saved = saved("ekonomi");
        e.ready = Some(ready(&PlanPart::Economy, "Ekonomi"));
    }
}

fn decorate_goal(
    block: &mut GoalBlock,
    g: &CascadeGoal,
    w: &Writing<'_>,
    href: &str,
    saved: &dyn Fn(&str) -> bool,
) {
    let report = w.report;
    let prefilled = |p: bool| if p { w.prefilled.clone() } else { None };
    if followed_up(g) {
        let a = report.assessments.get(&g.goal.id);
        let mark = report
            .marks
            .goals
            .get(&g.goal.id)
            .copied()
            .unwrap_or_default();
        let suggestion = suggest_for_goal(report, g);
        block.follow_up = Some(AssessmentForm {
            action: goal_action(href, g.goal.id),
            version: mark.version,
            assessment: a
                .and_then(|a| a.assessment)
                .map(|a| a.code().to_string())
                .unwrap_or_default(),
            analysis: a.map(|a| text(&a.analysis)).unwrap_or_default(),
            prefilled: prefilled(mark.prefilled),
            suggestion: suggestion.assessment.label(),
            reasons: suggestion.reasons,
            saved: saved(&format!("mal-{}", g.goal.id)),
        });
    }
    for (row, v) in block.indicators.iter_mut().zip(&g.indicators) {
        row.form = Some(outcome_form(report, v, w, href, saved));
    }
    for (row, a) in block.activities.iter_mut().zip(&g.activities) {
        let f = report.followups.get(&a.id);
        let mark = report
            .marks
            .activities
            .get(&a.id)
            .copied()
            .unwrap_or_default();
        row.form = Some(ActivityForm {
            action: activity_action(href, a.id),
            version: mark.version,
            status: f
                .and_then(|f| f.status)
                .map(|s| s.code().to_string())
                .unwrap_or_default(),
            analysis: f.map(|f| text(&f.analysis)).unwrap_or_default(),
            prefilled: prefilled(mark.prefilled),
            saved: saved(&format!("aktivitet-{}", a.id)),
        });
    }
}

fn outcome_form(
    report: &ReportDocument,
    v: &IndicatorView,
    w: &Writing<'_>,
    href: &str,
    saved: &dyn Fn(&str) -> bool,
) -> OutcomeForm {
    let i = &v.indicator;
    let o = report.outcomes.get(&i.id);
    let mark = report
        .marks
        .indicators
        .get(&i.id)
        .copied()
        .unwrap_or_default();
    let previous = o
        .and_then(|o| o.previous.clone())
        .filter(|p| !p.trim().is_empty())
        .or_else(|| w.previous.get(i.name.trim()).cloned())
        .unwrap_or_default();
    OutcomeForm {
        action: indicator_action(href, i.id),
        version: mark.version,
        value: o
            .and_then(|o| o.outcome.as_ref())
            .map(|m| m.text.clone())
            .unwrap_or_default(),
        women: o.map(|o| text(&o.women)).unwrap_or_default(),
        men: o.map(|o| text(&o.men)).unwrap_or_default(),
        analysis: o.map(|o| text(&o.analysis)).unwrap_or_default(),
        split: i.by_sex,
        previous,
        status: indicator_status(report, v).map(|s| {
            (
                s.status.label(),
                s.status.code(),
                gap_text(&s, i.value_kind),
            )
        }),
        kind: i.value_kind.label(),
        prefilled: if mark.prefilled {
            w.prefilled.clone()
        } else {
            None
        },
        saved: saved(&format!("indikator-{}", i.id)),
    }
}

/// The marks of a report's parts, the completion and the ready views' action: what the
/// page's workflow box shows.
pub fn completion(
    report: &ReportDocument,
    marks: &[ReadyMark],
    href: &str,
) -> crate::ready::CompletionView {
    let marked: HashSet<PlanPart> = marks.iter().map(|m| m.part.clone()).collect();
    crate::ready::CompletionView::new(
        &malkedja_domain::Completion::of(report_parts(report), &marked),
        href,
    )
}

// ---- loading and authorising ----

/// A report a person may write: its unit's chain, the report, its document.
struct Target {
    chain: Vec<OrgNode>,
    doc: Doc,
    report: ReportDocument,
}

impl Target {
    /// The report, after the policy has let the caller read it and then write the unit's
    /// texts.
    async fn load(
        state: &AppState,
        caller: &Caller,
        raw_id: &str,
        raw_year: &str,
        raw_kind: &str,
    ) -> Result<Target, AppError> {
        let (chain, doc) = crate::doc::load_report(state, raw_id, raw_year, raw_kind).await?;
        caller.authorize(Action::read(doc.status), &chain)?;
        caller.authorize(Action::WriteUnitText, &chain)?;
        let kind = doc
            .kind
            .ok_or_else(|| AppError::Internal("a report without a kind".into()))?;
        let report = state
            .store
            .report_document(doc.unit, doc.year, kind)
            .await?
            .ok_or_else(|| AppError::no_report(&doc.unit_name, kind, doc.year))?;
        Ok(Target { chain, doc, report })
    }

    /// Why nothing can be written now: the report is with the controller or approved, or
    /// the unit is closed.
    fn closed(&self) -> Option<String> {
        if let Some(why) = self.doc.locked_reason() {
            return Some(why.to_string());
        }
        self.chain[0].closed.map(|d| {
            format!(
                "{} är avvecklad sedan {}; dess rapporter kan inte ändras.",
                self.chain[0].name,
                malkedja_domain::date_text(d)
            )
        })
    }

    /// An edit page of something in the report.
    fn page(&self, heading: String, action: String, anchor: &str) -> EditorPage {
        EditorPage {
            crumbs: self.doc.crumbs(&self.chain),
            heading,
            context: self.doc.of(),
            refused: "Det du skrev är inte sparat",
            saved: None,
            about: Vec::new(),
            closed: self.closed(),
            unsaved: false,
            conflict: false,
            action,
            version: 0,
            fields: Vec::new(),
            errors: FormErrors::default(),
            submit: "Spara",
            lists: Vec::new(),
            back: format!("{}#{anchor}", self.doc.href()),
            back_label: "Tillbaka till rapporten".into(),
            history: Some(self.doc.history_href()),
            remove: None,
        }
    }

    /// Where a saved item shows: the report's page, saying what was saved.
    fn shown(&self, saved: &str) -> String {
        let query: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("sparat", saved)
            .finish();
        format!("{}?{query}", self.doc.href())
    }

    fn goal(&self, id: GoalId) -> Option<&CascadeGoal> {
        self.report
            .goals
            .iter()
            .flat_map(CascadeGoal::walk)
            .find(|g| g.goal.id == id)
    }
}

fn email(caller: &Caller) -> Result<String, AppError> {
    Ok(caller.require_person()?.who.email.clone())
}

fn goal_name(g: &CascadeGoal) -> String {
    match &g.goal.number {
        Some(n) => format!("{} {n} {}", g.goal.level.heading_prefix(), g.goal.title),
        None => format!("{} {}", g.goal.level.heading_prefix(), g.goal.title),
    }
}

/// A text field's value as sent, line ends normalised, with its length checked.
fn long_text(sent: &Sent, id: &str, errors: &mut FormErrors) -> String {
    let t = normalize(sent.get(id).map(String::as_str).unwrap_or(""));
    if let Some(m) = too_long(&t) {
        errors.add(id, m);
    }
    t
}

// ---- a goal's assessment ----

async fn assessment_page(
    state: &AppState,
    caller: &Caller,
    raw: (&str, &str, &str),
    raw_goal: &str,
) -> Result<(Target, EditorPage, GoalId), AppError> {
    let goal = GoalId(params::node_id("goal", raw_goal, "Målets nummer")?.0);
    let t = Target::load(state, caller, raw.0, raw.1, raw.2).await?;
    let g = t.goal(goal).filter(|g| followed_up(g)).ok_or_else(|| {
        AppError::NotFound(format!("Rapporten följer inte upp något mål {goal}."))
    })?;
    let mut page = t.page(
        "Bedömning av målet".into(),
        goal_action(&t.doc.href(), goal),
        &format!("bedomning-{goal}"),
    );
    let a = t.report.assessments.get(&goal);
    let mark = t.report.marks.goals.get(&goal).copied().unwrap_or_default();
    let suggestion = suggest_for_goal(&t.report, g);
    page.version = mark.version;
    page.about.push(("Mål".into(), goal_name(g)));
    page.about.push((
        "Förslag utifrån utfall och aktiviteter".into(),
        suggestion.assessment.label().into(),
    ));
    for r in &suggestion.reasons {
        page.about.push(("Skäl".into(), r.clone()));
    }
    if mark.prefilled
        && let Some(p) = prefilled_from(state, &t.doc, &t.report).await?
    {
        page.about.push(("Förifyllt".into(), p));
    }
    page.fields = vec![
        Field::new(
            "bedomning",
            "Bedömning",
            FieldKind::Choice(assessment_options()),
        )
        .value(
            a.and_then(|a| a.assessment)
                .map(|a| a.code())
                .unwrap_or_default(),
        )
        .hint("Förslaget är ett stöd; det är du som bedömer målet."),
        Field::new("analys", "Analys", FieldKind::Text)
            .value(a.map(|a| text(&a.analysis)).unwrap_or_default())
            .hint(format!(
                "Vad bygger bedömningen på? Krävs när målet är bedömt. {TEXT_HINT}"
            )),
    ];
    Ok((t, page, goal))
}

/// `GET …/rapporter/{year}/{kind}/mal/{goal}`: a goal's assessment on a page of its own.
pub async fn assessment_form(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((id, year, kind, goal)): PagePath<(String, String, String, String)>,
) -> PageResult {
    let (_, page, _) = assessment_page(&state, &caller, (&id, &year, &kind), &goal).await?;
    Ok(page.respond(StatusCode::OK)?)
}

/// `POST …/rapporter/{year}/{kind}/mal/{goal}`: saves a goal's assessment and analysis.
pub async fn assessment_save(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((id, year, kind, raw_goal)): PagePath<(String, String, String, String)>,
    Form(sent): Form<Sent>,
) -> PageResult {
    let who = email(&caller)?;
    let raw = (id.as_str(), year.as_str(), kind.as_str());
    let (t, mut page, goal) = assessment_page(&state, &caller, raw, &raw_goal).await?;
    page.keep(&sent);
    let code = sent.get("bedomning").map(|s| s.trim()).unwrap_or("");
    let assessment = if code.is_empty() {
        None
    } else {
        match Assessment::from_code(code) {
            Some(a) => Some(a),
            None => {
                page.errors
                    .add("bedomning", "Välj en av bedömningarna i listan.");
                None
            }
        }
    };
    let analysis = long_text(&sent, "analys", &mut page.errors);
    let report = t.report.report.id;
    let store = &state.store;
    let outcome = save_checked(&mut page, &sent, |version| async move {
        let mut w = store.begin_write(&who).await?;
        w.write_assessment(report, goal, version, assessment, Some(&analysis))
            .await?;
        w.commit().await
    })
    .await?;
    finish(
        outcome,
        page,
        &t.shown(&format!("mal-{goal}")),
        |_| format!("bedomning-{goal}"),
        || async { Ok(assessment_page(&state, &caller, raw, &raw_goal).await?.1) },
    )
    .await
}

// ---- an indicator's outcome ----

async fn outcome_page(
    state: &AppState,
    caller: &Caller,
    raw: (&str, &str, &str),
    raw_indicator: &str,
) -> Result<(Target, EditorPage, IndicatorId, (ValueKind, bool)), AppError> {
    let id = IndicatorId(params::node_id("indicator", raw_indicator, "Indikatorns nummer")?.0);
    let t = Target::load(state, caller, raw.0, raw.1, raw.2).await?;
    let v = t
        .report
        .goals
        .iter()
        .flat_map(CascadeGoal::walk)
        .flat_map(|g| &g.indicators)
        .find(|v| v.indicator.id == id)
        .cloned()
        .ok_or_else(|| AppError::NotFound(format!("Rapporten visar ingen indikator {id}.")))?;
    let previous = state
        .store
        .last_year_outcomes(t.doc.unit, t.doc.year)
        .await?;
    let prefilled = prefilled_from(state, &t.doc, &t.report).await?;
    let w = Writing {
        doc: &t.doc,
        report: &t.report,
        saved: None,
        previous,
        prefilled,
        marks: &[],
    };
    let f = outcome_form(&t.report, &v, &w, &t.doc.href(), &|_| false);
    let i = &v.indicator;
    let mut page = t.page(
        format!("Utfall för {}", i.name.trim()),
        f.action.clone(),
        &format!("utfall-{id}"),
    );
    page.version = f.version;
    let target = v.target.as_ref().map(|t| t.text().to_string());
    page.about.push(("Indikator".into(), i.name.clone()));
    page.about.push((
        "Årsmål".into(),
        target.unwrap_or_else(|| "Inget årsmål".into()),
    ));
    if let Some(c) = &i.council_target {
        page.about
            .push(("KF:s årsmål".into(), c.text().to_string()));
    }
    if !f.previous.is_empty() {
        page.about
            .push(("Utfall förra året".into(), f.previous.clone()));
    }
    page.about
        .push(("Riktning".into(), i.direction.label().into()));
    page.about.push((
        "Status mot årsmålet".into(),
        match &f.status {
            Some((label, _, gap)) if gap.is_empty() => (*label).to_string(),
            Some((label, _, gap)) => format!("{label} ({gap})"),
            None => "Räknas fram när utfallet och årsmålet är tal".into(),
        },
    ));
    if let Some(p) = &f.prefilled {
        page.about.push(("Förifyllt".into(), p.clone()));
    }
    let kind = i.value_kind;
    page.fields = vec![
        Field::new("utfall", "Periodens utfall", FieldKind::Line)
            .value(f.value.clone())
            .hint(match kind {
                ValueKind::Text => "Utfallet i ord.",
                ValueKind::Percent => "Ett tal i procent, till exempel 58,84 %.",
                _ => "Ett tal, till exempel 12 eller 4,4.",
            }),
    ];
    if f.split {
        page.fields.push(women_field(f.women.clone()));
        page.fields.push(men_field(f.men.clone()));
    }
    page.fields.push(
        Field::new("analys", "Analys", FieldKind::Text)
            .value(f.analysis.clone())
            .hint(TEXT_HINT),
    );
    Ok((t, page, id, (kind, i.by_sex)))
}

fn women_field(value: String) -> Field {
    Field::new("kvinnor", "Utfall kvinnor", FieldKind::Line)
        .value(value)
        .hint("Utfallet för kvinnor och flickor.")
}

fn men_field(value: String) -> Field {
    Field::new("man", "Utfall män", FieldKind::Line)
        .value(value)
        .hint("Utfallet för män och pojkar.")
}

/// `GET …/rapporter/{year}/{kind}/indikatorer/{id}`: an indicator's outcome on its own page.
pub async fn outcome_form_page(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((id, year, kind, ind)): PagePath<(String, String, String, String)>,
) -> PageResult {
    let (_, page, _, _) = outcome_page(&state, &caller, (&id, &year, &kind), &ind).await?;
    Ok(page.respond(StatusCode::OK)?)
}

/// `POST …/rapporter/{year}/{kind}/indikatorer/{id}`: saves an indicator's outcome, women
/// and men, and analysis.
pub async fn outcome_save(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((id, year, kind, raw_ind)): PagePath<(String, String, String, String)>,
    Form(sent): Form<Sent>,
) -> PageResult {
    let who = email(&caller)?;
    let raw = (id.as_str(), year.as_str(), kind.as_str());
    let (t, mut page, indicator, (value_kind, by_sex)) =
        outcome_page(&state, &caller, raw, &raw_ind).await?;
    page.keep(&sent);
    let get = |k: &str| {
        sent.get(k)
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let (value, women, men) = (get("utfall"), get("kvinnor"), get("man"));
    if let Err(errors) = check_outcome(value_kind, by_sex, Some(&value), Some(&women), Some(&men)) {
        for (field, e) in errors {
            let id = match field {
                OutcomeField::Value => "utfall",
                OutcomeField::Women => "kvinnor",
                OutcomeField::Men => "man",
            };
            // Women or men sent for an indicator not reported for them (a form from
            // before the indicator changed): the field is shown with what was sent, so
            // that the message has a field to stand at and the writer can empty it.
            if !page.fields.iter().any(|f| f.id == id) {
                let field = match field {
                    OutcomeField::Women => women_field(women.clone()),
                    _ => men_field(men.clone()),
                };
                let at = page.fields.len().saturating_sub(1);
                page.fields.insert(at, field);
            }
            page.errors.add(id, e.to_string());
        }
    }
    let analysis = long_text(&sent, "analys", &mut page.errors);
    let report = t.report.report.id;
    let store = &state.store;
    let outcome = save_checked(&mut page, &sent, |version| async move {
        let mut w = store.begin_write(&who).await?;
        w.write_outcome(
            report,
            indicator,
            version,
            Some(&value),
            Some(&women),
            Some(&men),
            Some(&analysis),
        )
        .await?;
        w.commit().await
    })
    .await?;
    finish(
        outcome,
        page,
        &t.shown(&format!("indikator-{indicator}")),
        |_| format!("utfall-{indicator}"),
        || async { Ok(outcome_page(&state, &caller, raw, &raw_ind).await?.1) },
    )
    .await
}

// ---- an activity's status ----

async fn activity_page(
    state: &AppState,
    caller: &Caller,
    raw: (&str, &str, &str),
    raw_activity: &str,
) -> Result<(Target, EditorPage, ActivityId), AppError> {
    let id = ActivityId(params::node_id("activity", raw_activity, "Aktivitetens nummer")?.0);
    let t = Target::load(state, caller, raw.0, raw.1, raw.2).await?;
    let a = t
        .report
        .goals
        .iter()
        .flat_map(CascadeGoal::walk)
        .flat_map(|g| &g.activities)
        .find(|a| a.id == id)
        .cloned()
        .ok_or_else(|| AppError::NotFound(format!("Rapporten visar ingen aktivitet {id}.")))?;
    let mut page = t.page(
        format!("Status för {}", a.title.trim()),
        activity_action(&t.doc.href(), id),
        &format!("status-{id}"),
    );
    let f = t.report.followups.get(&id);
    let mark = t
        .report
        .marks
        .activities
        .get(&id)
        .copied()
        .unwrap_or_default();
    page.version = mark.version;
    page.about.push(("Aktivitet".into(), a.title.clone()));
    page.about.push((
        "Tid".into(),
        format!(
            "{} – {}",
            malkedja_domain::date_text(a.start),
            malkedja_domain::date_text(a.end)
        ),
    ));
    if mark.prefilled
        && let Some(p) = prefilled_from(state, &t.doc, &t.report).await?
    {
        page.about.push(("Förifyllt".into(), p));
    }
    page.fields = vec![
        Field::new("status", "Status", FieldKind::Choice(status_options())).value(
            f.and_then(|f| f.status)
                .map(|s| s.code())
                .unwrap_or_default(),
        ),
        Field::new("analys", "Analys", FieldKind::Text)
            .value(f.map(|f| text(&f.analysis)).unwrap_or_default())
            .hint(format!(
                "Krävs vid avvikelse: vad gick inte som planerat, och vad görs nu? {TEXT_HINT}"
            )),
    ];
    Ok((t, page, id))
}

/// `GET …/rapporter/{year}/{kind}/aktiviteter/{id}`: an activity's status on its own page.
pub async fn activity_form(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((id, year, kind, act)): PagePath<(String, String, String, String)>,
) -> PageResult {
    let (_, page, _) = activity_page(&state, &caller, (&id, &year, &kind), &act).await?;
    Ok(page.respond(StatusCode::OK)?)
}

/// `POST …/rapporter/{year}/{kind}/aktiviteter/{id}`: saves an activity's status and
/// analysis; a deviation needs an analysis.
pub async fn activity_save(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((id, year, kind, raw_act)): PagePath<(String, String, String, String)>,
    Form(sent): Form<Sent>,
) -> PageResult {
    let who = email(&caller)?;
    let raw = (id.as_str(), year.as_str(), kind.as_str());
    let (t, mut page, activity) = activity_page(&state, &caller, raw, &raw_act).await?;
    page.keep(&sent);
    let code = sent.get("status").map(|s| s.trim()).unwrap_or("");
    let status = if code.is_empty() {
        None
    } else {
        match ActivityStatus::from_code(code) {
            Some(s) => Some(s),
            None => {
                page.errors.add("status", "Välj en av statusarna i listan.");
                None
            }
        }
    };
    let analysis = long_text(&sent, "analys", &mut page.errors);
    if let Err(e) = check_activity_status(status, Some(&analysis)) {
        page.errors.add("analys", e.to_string());
    }
    let report = t.report.report.id;
    let store = &state.store;
    let outcome = save_checked(&mut page, &sent, |version| async move {
        let mut w = store.begin_write(&who).await?;
        w.write_activity_status(report, activity, version, status, Some(&analysis))
            .await?;
        w.commit().await
    })
    .await?;
    finish(
        outcome,
        page,
        &t.shown(&format!("aktivitet-{activity}")),
        |_| format!("status-{activity}"),
        || async { Ok(activity_page(&state, &caller, raw, &raw_act).await?.1) },
    )
    .await
}

// ---- the economy ----

/// The form fields of one operation's figure: `budget-7`, `prognos-7`, `utfall-7`.
fn figure_id(column: &str, op: malkedja_domain::NodeId) -> String {
    format!("{column}-{op}")
}

async fn economy_page(
    state: &AppState,
    caller: &Caller,
    raw: (&str, &str, &str),
) -> Result<(Target, EditorPage, ReportEconomy), AppError> {
    let t = Target::load(state, caller, raw.0, raw.1, raw.2).await?;
    let kind = t.report.report.kind;
    let Some(columns) = economy_columns(kind) else {
        return Err(AppError::NotFound(format!(
            "{} har ingen ekonomi att skriva; den redovisas i tertialrapport 2 och verksamhetsberättelsen.",
            kind.label()
        )));
    };
    let economy = state.store.report_economy(t.report.report.id).await?;
    let mut page = t.page(
        "Ekonomi".into(),
        format!("{}/ekonomi", t.doc.href()),
        "ekonomi",
    );
    page.version = economy.version;
    let totals = crate::views::EconomyView::new(kind, &economy, true)
        .map(|e| e.totals)
        .ok_or_else(|| AppError::Internal("an economy without columns".into()))?;
    let sum = |label: &str, v: &str| {
        (
            format!("Summa {label}"),
            if v.is_empty() {
                "–".to_string()
            } else {
                v.to_string()
            },
        )
    };
    if columns.budget {
        page.about.push(sum("budget", &totals.budget));
    }
    if columns.forecast {
        page.about.push(sum("prognos", &totals.forecast));
    }
    if columns.outcome {
        page.about.push(sum("utfall", &totals.outcome));
    }
    page.about.push((
        "Avvikelse mot budget".into(),
        if totals.result.is_empty() {
            "Räknas fram när budget och {} finns"
                .replace("{}", if columns.outcome { "utfall" } else { "prognos" })
        } else {
            totals.result.clone()
        },
    ));
    page.about.push((
        "Belopp".into(),
        "I kronor, tkr eller mnkr, till exempel 850 tkr eller 21\u{a0}400\u{a0}000 kr. Summorna och avvikelsen räknas fram.".into(),
    ));
    for l in &economy.lines {
        let name = l.operation_name.trim();
        if columns.budget {
            page.fields.push(
                Field::new(
                    figure_id("budget", l.operation_id),
                    format!("Budget – {name}"),
                    FieldKind::Line,
                )
                .value(text(&l.budget_text)),
            );
        }
        if columns.forecast {
            page.fields.push(
                Field::new(
                    figure_id("prognos", l.operation_id),
                    format!("Prognos – {name}"),
                    FieldKind::Line,
                )
                .value(text(&l.forecast_text)),
            );
        }
        if columns.outcome {
            page.fields.push(
                Field::new(
                    figure_id("utfall", l.operation_id),
                    format!("Utfall – {name}"),
                    FieldKind::Line,
                )
                .value(text(&l.outcome_text)),
            );
        }
    }
    page.fields.push(
        Field::new("analys", "Analys av avvikelser", FieldKind::Text)
            .value(text(&economy.analysis))
            .hint(format!(
                "Orsaker till avvikelser mot budget och vad som görs. {TEXT_HINT}"
            )),
    );
    if columns.annual_texts {
        page.fields.push(
            Field::new("investeringar", "Investeringar", FieldKind::Text)
                .value(text(&economy.investments))
                .hint(TEXT_HINT),
        );
        page.fields.push(
            Field::new("lokaler", "Medel för lokaländamål", FieldKind::Text)
                .value(text(&economy.premises))
                .hint(TEXT_HINT),
        );
    }
    Ok((t, page, economy))
}

/// `GET …/rapporter/{year}/{kind}/ekonomi`: the economy's edit page (T2, annual report).
pub async fn economy_form(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((id, year, kind)): PagePath<(String, String, String)>,
) -> PageResult {
    let (_, page, _) = economy_page(&state, &caller, (&id, &year, &kind)).await?;
    Ok(page.respond(StatusCode::OK)?)
}

/// `POST …/rapporter/{year}/{kind}/ekonomi`: saves the economy: every figure must be an
/// amount; the totals are computed.
pub async fn economy_save(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((id, year, kind)): PagePath<(String, String, String)>,
    Form(sent): Form<Sent>,
) -> PageResult {
    let who = email(&caller)?;
    let raw = (id.as_str(), year.as_str(), kind.as_str());
    let (t, mut page, stored) = economy_page(&state, &caller, raw).await?;
    page.keep(&sent);
    let field_ids: HashSet<String> = page.fields.iter().map(|f| f.id.clone()).collect();
    // A figure the form has, as sent and checked; one it does not have stays as stored.
    let figure = |column: &str, op, stored: &Option<String>, errors: &mut FormErrors| {
        let id = figure_id(column, op);
        if !field_ids.contains(&id) {
            return stored.clone();
        }
        let t = sent
            .get(&id)
            .map(|s| s.trim().to_string())
            .unwrap_or_default();
        if let Err(e) = economy_amount(&t) {
            errors.add(id, e.to_string());
        }
        Some(t).filter(|t| !t.is_empty())
    };
    let mut errors = std::mem::take(&mut page.errors);
    let lines: Vec<EconomyLineInput> = stored
        .lines
        .iter()
        .map(|l| EconomyLineInput {
            operation_id: l.operation_id,
            budget: figure("budget", l.operation_id, &l.budget_text, &mut errors),
            forecast: figure("prognos", l.operation_id, &l.forecast_text, &mut errors),
            outcome: figure("utfall", l.operation_id, &l.outcome_text, &mut errors),
        })
        .collect();
    let texts = |id: &str, stored: &Option<String>, errors: &mut FormErrors| {
        if field_ids.contains(id) {
            Some(long_text(&sent, id, errors))
        } else {
            stored.clone()
        }
    };
    let input = EconomyInput {
        lines,
        analysis: texts("analys", &stored.analysis, &mut errors),
        investments: texts("investeringar", &stored.investments, &mut errors),
        premises: texts("lokaler", &stored.premises, &mut errors),
    };
    page.errors = errors;
    let report = t.report.report.id;
    let store = &state.store;
    let outcome = save_checked(&mut page, &sent, |version| async move {
        let mut w = store.begin_write(&who).await?;
        w.write_economy(report, version, &input).await?;
        w.commit().await
    })
    .await?;
    finish(
        outcome,
        page,
        &t.shown("ekonomi"),
        |_| "ekonomi".to_string(),
        || async { Ok(economy_page(&state, &caller, raw).await?.1) },
    )
    .await
}

// ---- the report's own sections ----

fn section_page(t: &Target, key: &str) -> Result<(EditPage, String), AppError> {
    let s = report_sections(&t.report)
        .into_iter()
        .find(|s| s.key == key)
        .ok_or_else(|| {
            AppError::NotFound(format!(
                "{} har inget avsnitt som heter \"{key}\".",
                t.doc.title()
            ))
        })?;
    let href = t.doc.href();
    let body = s.body.clone();
    Ok((
        EditPage::new(SectionPage {
            crumbs: t.doc.crumbs(&t.chain),
            of: t.doc.of(),
            heading: s.heading.clone(),
            guidance: malkedja_domain::report_template(t.report.report.kind)
                .into_iter()
                .find(|x| x.key == key)
                .map(|x| x.guidance.to_string())
                .unwrap_or_default(),
            action: format!("{href}/avsnitt/{key}"),
            back: format!("{href}#avsnitt-{key}"),
            back_label: "Tillbaka till rapporten",
            history: t.doc.history_href(),
            closed: t.closed(),
            body: s.body,
            version: s.version,
        }),
        body,
    ))
}

/// `GET …/rapporter/{year}/{kind}/avsnitt/{key}`: one of the report's own sections.
pub async fn section_form(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((id, year, kind, key)): PagePath<(String, String, String, String)>,
) -> PageResult {
    let t = Target::load(&state, &caller, &id, &year, &kind).await?;
    let (page, _) = section_page(&t, &key)?;
    Ok(crate::forms::respond(StatusCode::OK, &page)?)
}

/// `POST …/rapporter/{year}/{kind}/avsnitt/{key}`: saves a section's text, as a plan's
/// section is saved (`plan_sections::save_text`).
pub async fn section_save(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((id, year, kind, key)): PagePath<(String, String, String, String)>,
    Form(f): Form<SectionForm>,
) -> PageResult {
    let who = email(&caller)?;
    let t = Target::load(&state, &caller, &id, &year, &kind).await?;
    let (page, stored) = section_page(&t, &key)?;
    let report = t.report.report.id;
    let shown = format!("{}#avsnitt-{key}", t.shown(&format!("avsnitt-{key}")));
    let store = &state.store;
    let key_ref = key.as_str();
    Ok(save_text(
        page,
        stored,
        f,
        shown,
        |body, version| async move {
            let mut w = store.begin_write(&who).await?;
            w.write_report_section(report, key_ref, version, &body)
                .await?;
            w.commit().await
        },
        || async {
            let now = Target::load(&state, &caller, &id, &year, &kind).await?;
            section_page(&now, key_ref)
        },
    )
    .await?)
}

// ---- creating a report ----

/// `POST /enheter/{id}/rapporter/{year}/{kind}`: creates the unit's report from its
/// approved plan, then opens it. A report that exists already is simply opened.
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    PagePath((raw_id, raw_year, raw_kind)): PagePath<(String, String, String)>,
) -> PageResult {
    let who = email(&caller)?;
    let id = params::node_id("id", &raw_id, "Enhetens nummer")?;
    let year = params::year(&raw_year)?;
    let (kind, _) = params::report_kind(&raw_kind, KindName::Slug)?;
    let chain = crate::pages::load_unit(&state, id).await?;
    caller.authorize(Action::WriteUnitText, &chain)?;
    let href = crate::pages::report_href(id, year, kind);
    let mut w = state.store.begin_write(&who).await?;
    match w.create_report(id, year, kind).await {
        Ok(_) => w.commit().await.map_err(AppError::from)?,
        Err(StoreError::Exists(_)) => w.rollback().await.map_err(AppError::from)?,
        Err(e) => return Err(AppError::from(e).into()),
    }
    Ok(Redirect::to(&href).into_response())
}

/// A report that does not exist yet, as its address answers a person who may write the
/// unit's reports: the button that creates it from the approved plan, or why it cannot be
/// created yet.
#[derive(Template)]
#[template(path = "report_missing.html")]
struct MissingPage {
    crumbs: Vec<crate::views::Crumb>,
    unit: String,
    title: String,
    /// Where the button posts, when the plan of the year is approved.
    create: Option<String>,
    button: String,
    /// Why it cannot be created yet.
    why: Option<String>,
    /// The year's plan, when there is one.
    plan: Option<String>,
    /// The unit's page.
    back: String,
}

/// The answer to a report's address when the unit has no such report: for a writer, the
/// offer to create it (or why not yet), as a 404 page; for everyone else the plain 404.
pub async fn missing(
    state: &AppState,
    caller: &Caller,
    chain: &[OrgNode],
    year: i32,
    kind: ReportKind,
) -> Result<Response, AppError> {
    let unit = &chain[0];
    if !caller.may(Action::WriteUnitText, chain) || unit.closed.is_some() {
        return Err(AppError::no_report(&unit.name, kind, year));
    }
    let plan = state.store.plan(unit.id, year).await?;
    let plan_href = format!("/enheter/{}/planer/{year}", unit.id);
    let why = match &plan {
        Some(p) if p.status == PlanStatus::Approved => None,
        Some(p) => Some(format!(
            "{} skapas från den fastställda verksamhetsplanen för {year}. Planen är {} ännu; när den är fastställd kan du skapa rapporten här.",
            kind.label(),
            p.status.label().to_lowercase()
        )),
        None => Some(format!(
            "{} har ingen verksamhetsplan för {year}. {} skapas från den fastställda planen.",
            unit.name,
            kind.label()
        )),
    };
    let mut crumbs = crate::pages::crumbs_for(chain);
    crumbs.push(crate::views::Crumb {
        href: format!("/enheter/{}", unit.id),
        label: unit.name.clone(),
    });
    let page = MissingPage {
        crumbs,
        unit: unit.name.clone(),
        title: format!("{} {year}", kind.label()),
        create: why
            .is_none()
            .then(|| crate::pages::report_href(unit.id, year, kind)),
        button: create_label(kind, year),
        why,
        plan: plan.map(|_| plan_href),
        back: format!("/enheter/{}", unit.id),
    };
    crate::editor::respond_html(StatusCode::NOT_FOUND, page.render()?)
}

/// "Skapa tertialrapport 1 2025".
pub fn create_label(kind: ReportKind, year: i32) -> String {
    format!("Skapa {} {year}", kind.label().to_lowercase())
}

// ---- the report's page ----

/// The body of a report's page for a person writing it: the document with the forms in it.
pub async fn writing_body(
    state: &AppState,
    doc: &Doc,
    report: &ReportDocument,
    uri: &Uri,
) -> Result<(String, crate::ready::CompletionView), AppError> {
    let marks = state.store.ready_marks_of(doc.doc).await?;
    let previous = state.store.last_year_outcomes(doc.unit, doc.year).await?;
    let prefilled = prefilled_from(state, doc, report).await?;
    let saved = crate::history::query_param(uri, "sparat");
    let mut view = crate::views::ReportView::new(report, true);
    decorate(
        &mut view,
        &Writing {
            doc,
            report,
            saved,
            previous,
            prefilled,
            marks: &marks,
        },
    );
    let completion = completion(report, &marks, &doc.href());
    Ok((crate::pages::render_report_body(report, view)?, completion))
}

/// The ready marks a reader of an open report sees (no forms): completion only.
pub async fn reading_completion(
    state: &AppState,
    doc: &Doc,
    report: &ReportDocument,
) -> Result<crate::ready::CompletionView, AppError> {
    let marks = state.store.ready_marks_of(doc.doc).await?;
    Ok(completion(report, &marks, &doc.href()))
}

/// The economy's entry in a report's table of contents.
pub fn economy_toc(level: Level) -> crate::views::TocEntry {
    crate::views::TocEntry {
        anchor: "ekonomi".into(),
        label: "Ekonomi".into(),
        level,
    }
}
