//! The plan check ("Kontroll av planen"): what a plan still lacks before it can be
//! submitted, and what looks wrong without blocking it.
//!
//! Errors block submitting: an empty section that asks for text, a unit goal without
//! *Förväntat resultat* or *Uppföljning*, an indicator without a target (årsmål), an
//! activity that ends before it starts or lies wholly outside the plan's year. Warnings do
//! not: a board goal in the plan without a unit goal under it, a staff count or budget
//! typed in a section that differs from the unit's facts (which are computed, never
//! typed), and a section that repeats the template's guidance instead of answering it.
//!
//! [`check_plan`] is pure: it reads the plan document as the store assembles it.

use crate::{
    ActivityId, CascadeGoal, Decimal, GoalId, GoalLevel, GoalSection, IndicatorId, PlanDocument,
    PlanSectionView, UnitFacts, Year, format_decimal_sv, is_own_unit_goal,
};
use serde::Serialize;
use std::collections::HashSet;
use time::{Date, Month};

/// How much a finding weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Blocks submitting the plan.
    Error,
    /// Worth a look; does not block.
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "Fel",
            Severity::Warning => "Varning",
        }
    }
}

/// Which rule a finding comes from: a stable code for programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    EmptySection,
    GoalTextMissing,
    IndicatorWithoutTarget,
    ActivityEndsBeforeStart,
    ActivityOutsideYear,
    BoardGoalWithoutUnitGoal,
    StaffCountDiffers,
    BudgetDiffers,
    GuidanceRepeated,
    /// Reports ([`crate::check_report`]): an activity marked as a deviation without an
    /// analysis.
    DeviationWithoutAnalysis,
    /// Reports: a goal assessed without an analysis.
    AssessmentWithoutAnalysis,
    /// Reports: a goal assessed *Inga data* without saying why. The assessment itself says
    /// that there is nothing to assess, so it does not block.
    NoDataWithoutReason,
    /// Reports: an indicator due in the period without an outcome.
    OutcomeMissing,
}

impl Rule {
    pub fn severity(self) -> Severity {
        match self {
            Rule::EmptySection
            | Rule::GoalTextMissing
            | Rule::IndicatorWithoutTarget
            | Rule::ActivityEndsBeforeStart
            | Rule::ActivityOutsideYear
            | Rule::DeviationWithoutAnalysis
            | Rule::AssessmentWithoutAnalysis => Severity::Error,
            Rule::BoardGoalWithoutUnitGoal
            | Rule::StaffCountDiffers
            | Rule::BudgetDiffers
            | Rule::GuidanceRepeated
            | Rule::NoDataWithoutReason
            | Rule::OutcomeMissing => Severity::Warning,
        }
    }
}

/// Where in the plan or report a finding is: what its link leads to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Place {
    /// One of the plan's own sections, by its template key.
    Section { key: String },
    /// A goal of the cascade.
    Goal { goal: GoalId },
    /// An indicator, on its goal; `own` when the plan's unit owns it (else its target is
    /// set where the unit chooses what applies).
    Indicator {
        goal: GoalId,
        indicator: IndicatorId,
        own: bool,
    },
    /// An activity, on its goal; `own` when the plan's unit owns it.
    Activity {
        goal: GoalId,
        activity: ActivityId,
        own: bool,
    },
}

/// One thing the check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    /// In Swedish, for the writer.
    pub message: String,
    pub place: Place,
}

impl Finding {
    pub(crate) fn new(rule: Rule, place: Place, message: String) -> Finding {
        Finding {
            rule,
            severity: rule.severity(),
            message,
            place,
        }
    }
}

/// The errors among findings: what blocks submitting.
pub fn check_errors(findings: &[Finding]) -> Vec<&Finding> {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect()
}

/// "2 fel, 3 varningar"; "Inga fel eller varningar".
pub fn findings_summary(findings: &[Finding]) -> String {
    let errors = check_errors(findings).len();
    let warnings = findings.len() - errors;
    match (errors, warnings) {
        (0, 0) => "Inga fel eller varningar".into(),
        _ => {
            let w = if warnings == 1 {
                "varning"
            } else {
                "varningar"
            };
            format!("{errors} fel, {warnings} {w}")
        }
    }
}

/// Checks a plan. Findings come errors first, each kind in the order of the document.
pub fn check_plan(doc: &PlanDocument) -> Vec<Finding> {
    let mut out = Vec::new();
    let facts = Facts::of(doc);
    let year = doc.plan.year;
    for sections in [&doc.sections_before, &doc.sections_after] {
        check_sections(sections, year, &facts, &mut out);
    }
    let unit = doc.unit.id;
    for g in doc.goals.iter().flat_map(CascadeGoal::walk) {
        check_goal(g, unit, year, &mut out);
    }
    // Errors first; the sort is stable, so each keeps the document's order.
    out.sort_by_key(|f| f.severity);
    out
}

fn quoted(s: &str) -> String {
    format!("”{}”", s.trim())
}

fn check_sections(sections: &[PlanSectionView], year: Year, facts: &Facts, out: &mut Vec<Finding>) {
    for s in sections {
        let place = || Place::Section { key: s.key.clone() };
        let asks = !s.guidance.trim().is_empty();
        if asks && s.body.trim().is_empty() && !s.children.iter().any(PlanSectionView::has_text) {
            out.push(Finding::new(
                Rule::EmptySection,
                place(),
                format!("Avsnittet {} saknar text.", quoted(&s.heading)),
            ));
        }
        if asks && repeats_guidance(&s.body, &s.guidance) {
            out.push(Finding::new(
                Rule::GuidanceRepeated,
                place(),
                format!(
                    "Avsnittet {} upprepar mallens vägledning. Vägledningen skrivs inte ut; skriv enhetens egen text i stället.",
                    quoted(&s.heading)
                ),
            ));
        }
        for (typed, computed) in staff_mismatches(&s.body, facts) {
            out.push(Finding::new(
                Rule::StaffCountDiffers,
                place(),
                format!(
                    "Avsnittet {} anger {typed} medarbetare, men enhetens uppgifter ger {computed}. Stämmer siffran?",
                    quoted(&s.heading)
                ),
            ));
        }
        for (typed, computed) in budget_mismatches(&s.body, year, facts) {
            out.push(Finding::new(
                Rule::BudgetDiffers,
                place(),
                format!(
                    "Avsnittet {} anger budgeten {typed}, men enhetens uppgifter ger {computed}. Stämmer beloppet?",
                    quoted(&s.heading)
                ),
            ));
        }
        check_sections(&s.children, year, facts, out);
    }
}

fn goal_name(g: &CascadeGoal) -> String {
    let number = g.goal.number.as_deref().unwrap_or("").trim();
    if number.is_empty() {
        quoted(&g.goal.title)
    } else {
        quoted(&format!("{number} {}", g.goal.title.trim()))
    }
}

fn check_goal(g: &CascadeGoal, unit: crate::NodeId, year: Year, out: &mut Vec<Finding>) {
    let goal = g.goal.id;
    if is_own_unit_goal(g, unit) {
        let has = |s: GoalSection| {
            g.sections
                .iter()
                .any(|(section, body)| *section == s && !body.trim().is_empty())
        };
        let missing: Vec<&str> = [GoalSection::ExpectedResult, GoalSection::FollowUp]
            .into_iter()
            .filter(|s| !has(*s))
            .map(GoalSection::heading)
            .collect();
        if !missing.is_empty() {
            out.push(Finding::new(
                Rule::GoalTextMissing,
                Place::Goal { goal },
                format!(
                    "Enhetsmålet {} saknar text under {}.",
                    goal_name(g),
                    missing.join(" och ")
                ),
            ));
        }
    }
    if g.goal.level == GoalLevel::Board && !has_own_unit_goal_below(g, unit) {
        out.push(Finding::new(
            Rule::BoardGoalWithoutUnitGoal,
            Place::Goal { goal },
            format!(
                "Nämndmålet {} har inget enhetsmål under sig. Lägg till ett enhetsmål, eller ta bort nämndmålet ur planen om det inte gäller enheten.",
                goal_name(g)
            ),
        ));
    }
    for i in &g.indicators {
        if i.target.is_none() {
            out.push(Finding::new(
                Rule::IndicatorWithoutTarget,
                Place::Indicator {
                    goal,
                    indicator: i.indicator.id,
                    own: i.indicator.owner_id == unit,
                },
                format!(
                    "Indikatorn {} under {} saknar årsmål.",
                    quoted(&i.indicator.name),
                    goal_name(g)
                ),
            ));
        }
    }
    let first = Date::from_calendar_date(year, Month::January, 1).ok();
    let last = Date::from_calendar_date(year, Month::December, 31).ok();
    for a in &g.activities {
        let place = Place::Activity {
            goal,
            activity: a.id,
            own: a.owner_id == unit,
        };
        if a.end < a.start {
            out.push(Finding::new(
                Rule::ActivityEndsBeforeStart,
                place,
                format!(
                    "Aktiviteten {} slutar ({}) innan den börjar ({}).",
                    quoted(&a.title),
                    a.end,
                    a.start
                ),
            ));
        } else if first.is_some_and(|f| a.end < f) || last.is_some_and(|l| a.start > l) {
            out.push(Finding::new(
                Rule::ActivityOutsideYear,
                place,
                format!(
                    "Aktiviteten {} ({} – {}) ligger helt utanför planens år {year}.",
                    quoted(&a.title),
                    a.start,
                    a.end
                ),
            ));
        }
    }
}

fn has_own_unit_goal_below(g: &CascadeGoal, unit: crate::NodeId) -> bool {
    g.children
        .iter()
        .any(|c| is_own_unit_goal(c, unit) || has_own_unit_goal_below(c, unit))
}

// ---- the facts a text is compared with ----

/// The numbers the unit's facts give: staff counts and budgets of the unit, of the unit
/// with its operations, and of each operation. A number in a text may mean any of them.
struct Facts {
    staff: Vec<i64>,
    budgets: Vec<Decimal>,
    /// What the message says the facts give: the unit's own, or with its operations.
    staff_label: Option<i64>,
    budget_label: Option<Decimal>,
}

impl Facts {
    fn of(doc: &PlanDocument) -> Facts {
        let all: Vec<&UnitFacts> = doc
            .facts
            .iter()
            .chain(doc.operations.iter().filter_map(|(_, f)| f.as_ref()))
            .collect();
        let staff_of = |f: &UnitFacts| (!f.staff.is_empty()).then(|| f.staff_totals().2);
        let mut staff: Vec<i64> = all.iter().filter_map(|f| staff_of(f)).collect();
        let staff_sum = (!staff.is_empty()).then(|| staff.iter().sum::<i64>());
        staff.extend(staff_sum);
        let mut budgets: Vec<Decimal> = all.iter().filter_map(|f| f.budget_kr).collect();
        let budget_sum = (!budgets.is_empty()).then(|| budgets.iter().copied().sum::<Decimal>());
        budgets.extend(budget_sum);
        Facts {
            staff_label: doc.facts.as_ref().and_then(staff_of).or(staff_sum),
            budget_label: doc.facts.as_ref().and_then(|f| f.budget_kr).or(budget_sum),
            staff,
            budgets,
        }
    }
}

/// A budget as people say it: "28,5 mnkr" or "850 tkr".
pub fn budget_text(kr: Decimal) -> String {
    let million = Decimal::from(1_000_000);
    if kr.abs() >= million {
        format!("{} mnkr", format_decimal_sv((kr / million).round_dp(1)))
    } else {
        format!(
            "{} tkr",
            format_decimal_sv((kr / Decimal::from(1000)).round_dp(0))
        )
    }
}

// ---- reading texts ----

/// The sentences of a text: split at a full stop, question or exclamation mark followed by
/// a space and a capital letter, and at blank lines. "ca. 37" stays in one sentence.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.split("\n\n") {
        let chars: Vec<char> = para.chars().collect();
        let mut current = String::new();
        for (i, c) in chars.iter().enumerate() {
            current.push(*c);
            if matches!(c, '.' | '!' | '?')
                && chars.get(i + 1).is_some_and(|n| n.is_whitespace())
                && chars[i + 1..]
                    .iter()
                    .find(|n| !n.is_whitespace())
                    .is_some_and(|n| n.is_uppercase())
            {
                out.push(std::mem::take(&mut current));
            }
        }
        out.push(current);
    }
    out.retain(|s| !s.trim().is_empty());
    out
}

/// A word of a sentence: lower case, without the punctuation around it, and whether a
/// punctuation mark ended the clause after it.
struct Word {
    text: String,
    ends_clause: bool,
}

fn words(sentence: &str) -> Vec<Word> {
    sentence
        .split_whitespace()
        .filter_map(|raw| {
            let text = raw
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            let ends_clause = raw.ends_with([',', '.', ';', ':', ')', '!', '?']);
            (!text.is_empty()).then_some(Word { text, ends_clause })
        })
        .collect()
}

fn is_count(w: &str) -> Option<i64> {
    (!w.is_empty() && w.len() <= 6 && w.chars().all(|c| c.is_ascii_digit()))
        .then(|| w.parse().ok())
        .flatten()
}

/// Words before "N medarbetare" that make it a statement of the unit's size ("Enheten har
/// totalt 39 medarbetare"). Anything else ("12 av våra medarbetare", "ca 40
/// medarbetare", "har 5 medarbetare gått utbildningen") is not compared.
const STAFF_LEAD: [&str; 8] = [
    "har",
    "totalt",
    "sammanlagt",
    "är",
    "finns",
    "omfattar",
    "idag",
    "nu",
];

/// Words after "N medarbetare" that still end the statement of a size.
const STAFF_TAIL: [&str; 6] = ["varav", "och", "i", "på", "inom", "fördelade"];

fn is_staff_word(w: &str) -> bool {
    w == "medarbetare" || w == "anställda"
}

/// The staff counts typed in a text: "har (totalt) 37 medarbetare", "antal medarbetare:
/// 37", "antalet medarbetare är 37".
fn staff_counts(text: &str) -> Vec<i64> {
    let mut out = Vec::new();
    for sentence in sentences(text) {
        let w = words(&sentence);
        for i in 0..w.len() {
            if !is_staff_word(&w[i].text) {
                continue;
            }
            // "… har totalt 37 medarbetare[,.]" / "… 37 medarbetare varav …"
            if i >= 2
                && let Some(n) = is_count(&w[i - 1].text)
                && STAFF_LEAD.contains(&w[i - 2].text.as_str())
                && !w[i - 1].ends_clause
                && (w[i].ends_clause
                    || i + 1 == w.len()
                    || STAFF_TAIL.contains(&w[i + 1].text.as_str()))
            {
                out.push(n);
            }
            // "antal(et) medarbetare: 37", "antalet medarbetare är 37", "… uppgår till 37"
            if i >= 1 && matches!(w[i - 1].text.as_str(), "antal" | "antalet") {
                let mut j = i + 1;
                while j < w.len() && matches!(w[j].text.as_str(), "är" | "uppgår" | "till") {
                    j += 1;
                }
                if let Some(n) = w.get(j).and_then(|x| is_count(&x.text))
                    && (j == i + 1) == w[i].ends_clause
                {
                    out.push(n);
                }
            }
        }
    }
    out
}

/// Staff counts in the text that none of the facts give: (typed, what the facts say).
fn staff_mismatches(text: &str, facts: &Facts) -> Vec<(i64, i64)> {
    let Some(label) = facts.staff_label else {
        return Vec::new();
    };
    let mut seen = HashSet::new();
    staff_counts(text)
        .into_iter()
        .filter(|n| !facts.staff.contains(n) && seen.insert(*n))
        .map(|n| (n, label))
        .collect()
}

/// Words that make a sentence about budgets about something else than this year's budget
/// (another year, a comparison, a result): such sentences are not compared.
const BUDGET_OTHER: [&str; 16] = [
    "föregående",
    "förra",
    "fjol",
    "fjolårets",
    "tidigare",
    "jämfört",
    "jämförelse",
    "ökning",
    "ökat",
    "minskning",
    "minskat",
    "underskott",
    "överskott",
    "prognos",
    "resultat",
    "utfall",
];

/// An amount typed in a text, in kronor, with how precisely it was written (half its
/// last written digit): "12,5 mnkr" is 12 450 000–12 550 000 kr.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Amount {
    kr: Decimal,
    tolerance: Decimal,
    text: String,
}

fn multiplier(unit: &str, next: Option<&str>) -> Option<(Decimal, bool)> {
    let kronor = |w: Option<&str>| matches!(w, Some("kr" | "kronor" | "sek"));
    Some(match unit {
        "mnkr" | "mkr" | "msek" | "mdkr" => (Decimal::from(1_000_000), false),
        "miljoner" | "miljon" => (Decimal::from(1_000_000), kronor(next)),
        "tkr" => (Decimal::from(1000), false),
        "tusen" if kronor(next) => (Decimal::from(1000), true),
        "kr" | "kronor" | "sek" => (Decimal::ONE, false),
        _ => return None,
    })
}

/// The amounts of a sentence, in order: a number (decimal comma or point, spaces between
/// groups of three digits) followed by mnkr, mkr, miljoner kronor, tkr, tusen kronor, kr.
fn amounts(sentence: &str) -> Vec<Amount> {
    let raw: Vec<&str> = sentence.split_whitespace().collect();
    let clean = |s: &str| {
        s.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let first = raw[i].trim_start_matches(|c: char| !c.is_ascii_digit());
        let first = first.trim_end_matches(|c: char| !c.is_ascii_digit());
        let is_number = !first.is_empty()
            && first
                .chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
            && first.chars().filter(|c| *c == ',' || *c == '.').count() <= 1
            && raw[i]
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .starts_with(first);
        if !is_number {
            i += 1;
            continue;
        }
        let mut digits = first.replace(',', ".");
        let mut j = i + 1;
        // Groups of three digits: "12 500 000".
        if !digits.contains('.') && digits.len() <= 3 {
            while j < raw.len() {
                let g = raw[j].trim_end_matches(|c: char| !c.is_ascii_digit());
                if g.len() == 3
                    && g.chars().all(|c| c.is_ascii_digit())
                    && raw[j - 1] == raw[j - 1].trim_end_matches([',', '.', ';', ':'])
                {
                    digits.push_str(g);
                    j += 1;
                } else {
                    break;
                }
            }
        }
        let unit = raw.get(j).map(|u| clean(u));
        let next = raw.get(j + 1).map(|u| clean(u));
        let Some((mult, two_words)) = unit.as_deref().and_then(|u| multiplier(u, next.as_deref()))
        else {
            i = j.max(i + 1);
            continue;
        };
        let Ok(value) = digits.parse::<Decimal>() else {
            i = j.max(i + 1);
            continue;
        };
        // How precisely it was written: half the last digit written, or, for a whole
        // number ending in zeros, half the last digit that is not a zero.
        let decimals = digits.split_once('.').map(|(_, d)| d.len()).unwrap_or(0);
        let step = if decimals > 0 {
            Decimal::new(1, decimals as u32)
        } else {
            let zeros = digits.len() - digits.trim_end_matches('0').len();
            let zeros = if digits.trim_end_matches('0').is_empty() {
                0
            } else {
                zeros
            };
            Decimal::from(10_i64.pow(zeros.min(12) as u32))
        };
        let end = (j + if two_words { 2 } else { 1 }).min(raw.len());
        let number = raw[i..j]
            .join(" ")
            .trim_matches(|c: char| !c.is_ascii_digit())
            .to_string();
        let unit: Vec<&str> = raw[j..end]
            .iter()
            .map(|u| u.trim_matches(|c: char| !c.is_alphanumeric()))
            .collect();
        out.push(Amount {
            kr: value * mult,
            tolerance: step * mult / Decimal::from(2),
            text: format!("{number} {}", unit.join(" ")),
        });
        i = end;
    }
    out
}

/// The budgets typed in a text for the plan's year: the first amount of each sentence
/// that speaks of the budget ("Budgeten för 2026 är 12,5 mnkr") and of nothing else (no
/// other year, no comparison or result).
fn typed_budgets(text: &str, year: Year) -> Vec<Amount> {
    let mut out = Vec::new();
    for sentence in sentences(text) {
        let w = words(&sentence);
        if !w.iter().any(|x| x.text.contains("budget")) {
            continue;
        }
        let other_year = w.iter().any(|x| {
            x.text.len() == 4
                && x.text
                    .parse::<i32>()
                    .is_ok_and(|y| (1900..3000).contains(&y) && y != year)
        });
        if other_year || w.iter().any(|x| BUDGET_OTHER.contains(&x.text.as_str())) {
            continue;
        }
        if let Some(a) = amounts(&sentence).into_iter().next() {
            out.push(a);
        }
    }
    out
}

/// Budgets in the text that none of the facts give: (as typed, what the facts say).
fn budget_mismatches(text: &str, year: Year, facts: &Facts) -> Vec<(String, String)> {
    let Some(label) = facts.budget_label else {
        return Vec::new();
    };
    typed_budgets(text, year)
        .into_iter()
        .filter(|a| {
            !facts
                .budgets
                .iter()
                .any(|b| (a.kr - b).abs() <= a.tolerance)
        })
        .map(|a| (a.text, budget_text(label)))
        .collect()
}

/// The words of a text for comparing: lower case, letters and digits only.
fn plain_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether a text repeats the guidance: all of a short guidance (up to eight words) in a
/// row, or most (three in five) of the three-word runs of a longer one.
fn repeats_guidance(body: &str, guidance: &str) -> bool {
    let g = plain_words(guidance);
    let b = plain_words(body);
    if g.len() < 3 || b.len() < 3 {
        return false;
    }
    if g.len() <= 8 {
        return b.windows(g.len()).any(|w| w == g.as_slice());
    }
    let runs: HashSet<&[String]> = b.windows(3).collect();
    let total = g.len() - 2;
    let found = g.windows(3).filter(|w| runs.contains(w)).count();
    found * 5 >= total * 3
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        Activity, Direction, Indicator, IndicatorView, NodeId, OrgKind, OrgNode, Periodicity, Plan,
        PlanId, PlanOrigin, PlanStatus, StaffCount, Target, ValueKind,
    };
    use time::macros::date;

    use crate::testing::{UNIT, cascade_goal as goal};

    fn section(key: &str, guidance: &str, body: &str) -> PlanSectionView {
        PlanSectionView {
            key: key.into(),
            heading: format!("Rubrik {key}"),
            guidance: guidance.into(),
            body: body.into(),
            version: 1,
            children: Vec::new(),
        }
    }

    /// A unit goal with both texts that matter.
    fn unit_goal(id: i64) -> CascadeGoal {
        let mut g = goal(id, GoalLevel::Unit, UNIT);
        g.sections = vec![
            (GoalSection::ExpectedResult, "Fler i arbete".into()),
            (GoalSection::FollowUp, "Varje tertial".into()),
        ];
        g
    }

    fn facts(node: i64, staff: &[(i64, i64)], budget: Option<&str>) -> UnitFacts {
        let mut f = UnitFacts::empty(NodeId(node), 2026);
        f.staff = staff
            .iter()
            .map(|(w, m)| StaffCount {
                role: "Stödassistent".into(),
                women: *w,
                men: *m,
            })
            .collect();
        f.budget_kr = budget.map(|b| b.parse().unwrap());
        f
    }

    fn node(id: i64, kind: OrgKind) -> OrgNode {
        OrgNode {
            id: NodeId(id),
            parent_id: None,
            kind,
            name: format!("Nod {id}"),
            position: 0,
            version: 1,
            closed: None,
        }
    }

    /// A plan without findings: one section written, a board goal with a complete unit
    /// goal under it.
    fn clean() -> PlanDocument {
        let mut board = goal(10, GoalLevel::Board, 2);
        board.children.push(unit_goal(11));
        PlanDocument {
            plan: Plan {
                id: PlanId(1),
                unit_id: NodeId(UNIT),
                year: 2026,
                status: PlanStatus::Draft,
                version: 1,
                origin: PlanOrigin::Plan,
            },
            unit: node(UNIT, OrgKind::Unit),
            chain: vec![node(UNIT, OrgKind::Unit)],
            facts: Some(facts(UNIT, &[(20, 10), (5, 2)], Some("12480000"))),
            operations: vec![(
                node(6, OrgKind::Operation),
                Some(facts(6, &[(3, 1)], Some("2100000"))),
            )],
            sections_before: vec![section(
                "uppdrag",
                "Beskriv enhetens uppdrag.",
                "Vi ger stöd.",
            )],
            goals: vec![board],
            sections_after: Vec::new(),
        }
    }

    fn rules(doc: &PlanDocument) -> Vec<Rule> {
        check_plan(doc).iter().map(|f| f.rule).collect()
    }

    #[test]
    fn a_complete_plan_has_no_findings() {
        assert_eq!(check_plan(&clean()), []);
        assert_eq!(findings_summary(&[]), "Inga fel eller varningar");
    }

    #[test]
    fn an_empty_section_that_asks_for_text_is_an_error() {
        let mut doc = clean();
        doc.sections_before
            .push(section("budget", "Ange budgeten.", "  \n"));
        // A heading that asks for nothing may be empty.
        doc.sections_before.push(section("ovrigt", "", ""));
        // A section whose sub-section has text is not empty.
        let mut parent = section("kvalitet", "Beskriv kvalitetsarbetet.", "");
        parent
            .children
            .push(section("synpunkter", "", "Vi tar emot synpunkter."));
        doc.sections_after.push(parent);
        let found = check_plan(&doc);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].rule, Rule::EmptySection);
        assert_eq!(found[0].severity, Severity::Error);
        assert_eq!(
            found[0].place,
            Place::Section {
                key: "budget".into()
            }
        );
        assert_eq!(found[0].message, "Avsnittet ”Rubrik budget” saknar text.");
    }

    #[test]
    fn a_unit_goal_needs_expected_result_and_follow_up() {
        let mut doc = clean();
        let mut g = goal(12, GoalLevel::Unit, UNIT);
        g.sections = vec![
            (GoalSection::ExpectedResult, "   ".into()),
            (GoalSection::WorkingMethods, "Så här".into()),
        ];
        g.goal.number = Some("1.2".into());
        let mut only_result = unit_goal(13);
        only_result.sections.pop();
        doc.goals[0].children.extend([g, only_result]);
        let found = check_plan(&doc);
        assert_eq!(rules(&doc), [Rule::GoalTextMissing, Rule::GoalTextMissing]);
        assert_eq!(
            found[0].message,
            "Enhetsmålet ”1.2 Mål 12” saknar text under Förväntat resultat och Uppföljning."
        );
        assert_eq!(found[0].place, Place::Goal { goal: GoalId(12) });
        assert_eq!(
            found[1].message,
            "Enhetsmålet ”Mål 13” saknar text under Uppföljning."
        );
        // Goals of others (the board's, the department's) are not the unit's to write.
        let mut doc = clean();
        let mut dept = goal(20, GoalLevel::Department, 4);
        dept.children.push(unit_goal(21));
        doc.goals[0].children.push(dept);
        assert_eq!(rules(&doc), []);
    }

    fn indicator(id: i64, goal: i64, target: Option<&str>) -> IndicatorView {
        IndicatorView {
            indicator: Indicator {
                id: IndicatorId(id),
                year: 2026,
                goal_id: GoalId(goal),
                owner_id: NodeId(UNIT),
                name: format!("Indikator {id}"),
                unit_of_measure: None,
                periodicity: Periodicity::Year,
                direction: Direction::HigherIsBetter,
                value_kind: ValueKind::Percent,
                by_sex: false,
                council_target: None,
                position: 0,
                version: 1,
            },
            target: target.and_then(Target::parse),
        }
    }

    #[test]
    fn every_indicator_in_the_plan_needs_a_target() {
        let mut doc = clean();
        doc.goals[0].children[0]
            .indicators
            .extend([indicator(30, 11, Some("90 %")), indicator(31, 11, None)]);
        // A council indicator the unit follows, on the board goal, without a target; one
        // whose target the board sets has one.
        doc.goals[0].indicators.extend([
            indicator(32, 10, Some("Tas fram av nämnd")),
            indicator(33, 10, Some("")),
        ]);
        let found = check_plan(&doc);
        assert_eq!(rules(&doc), [Rule::IndicatorWithoutTarget; 2]);
        assert_eq!(
            found[0].place,
            Place::Indicator {
                goal: GoalId(10),
                indicator: IndicatorId(33),
                own: true,
            }
        );
        assert_eq!(
            found[1].message,
            "Indikatorn ”Indikator 31” under ”Mål 11” saknar årsmål."
        );
    }

    fn activity(id: i64, start: Date, end: Date) -> Activity {
        Activity {
            id: ActivityId(id),
            year: 2026,
            goal_id: GoalId(11),
            owner_id: NodeId(UNIT),
            title: format!("Aktivitet {id}"),
            start,
            end,
            position: 0,
            version: 1,
        }
    }

    #[test]
    fn activities_start_before_they_end_and_touch_the_year() {
        let mut doc = clean();
        doc.goals[0].children[0].activities = vec![
            activity(40, date!(2026 - 01 - 01), date!(2026 - 12 - 31)),
            // Spanning years is fine.
            activity(41, date!(2025 - 09 - 01), date!(2026 - 01 - 01)),
            activity(42, date!(2026 - 12 - 31), date!(2027 - 06 - 30)),
            activity(43, date!(2026 - 05 - 01), date!(2026 - 04 - 30)),
            activity(44, date!(2025 - 01 - 01), date!(2025 - 12 - 31)),
            activity(45, date!(2027 - 01 - 01), date!(2027 - 03 - 01)),
        ];
        let found = check_plan(&doc);
        assert_eq!(
            rules(&doc),
            [
                Rule::ActivityEndsBeforeStart,
                Rule::ActivityOutsideYear,
                Rule::ActivityOutsideYear
            ]
        );
        assert_eq!(
            found[0].message,
            "Aktiviteten ”Aktivitet 43” slutar (2026-04-30) innan den börjar (2026-05-01)."
        );
        assert_eq!(
            found[1].place,
            Place::Activity {
                goal: GoalId(11),
                activity: ActivityId(44),
                own: true,
            }
        );
        assert!(found[2].message.contains("helt utanför planens år 2026"));
    }

    #[test]
    fn a_board_goal_without_a_unit_goal_is_a_warning() {
        let mut doc = clean();
        doc.goals.push(goal(50, GoalLevel::Board, 2));
        // A unit goal under a department goal counts for the board goal above it.
        let mut via_dept = goal(51, GoalLevel::Board, 2);
        let mut dept = goal(52, GoalLevel::Department, 4);
        dept.children.push(unit_goal(53));
        via_dept.children.push(dept);
        doc.goals.push(via_dept);
        let found = check_plan(&doc);
        assert_eq!(rules(&doc), [Rule::BoardGoalWithoutUnitGoal]);
        assert_eq!(found[0].severity, Severity::Warning);
        assert_eq!(found[0].place, Place::Goal { goal: GoalId(50) });
        assert_eq!(findings_summary(&found), "0 fel, 1 varning");
    }

    #[test]
    fn errors_come_before_warnings() {
        let mut doc = clean();
        doc.goals.insert(0, goal(50, GoalLevel::Board, 2));
        doc.sections_after
            .push(section("budget", "Ange budgeten.", ""));
        let found = check_plan(&doc);
        assert_eq!(
            rules(&doc),
            [Rule::EmptySection, Rule::BoardGoalWithoutUnitGoal]
        );
        assert_eq!(check_errors(&found).len(), 1);
        assert_eq!(findings_summary(&found), "1 fel, 1 varning");
    }

    #[test]
    fn staff_counts_are_read_only_where_they_state_a_size() {
        assert_eq!(
            staff_counts("Enheten har totalt 39 medarbetare, varav 30 kvinnor och 9 män."),
            [39]
        );
        assert_eq!(staff_counts("Enheten har 37 medarbetare."), [37]);
        assert_eq!(staff_counts("Vi har 37 anställda och 120 brukare"), [37]);
        assert_eq!(staff_counts("Antal medarbetare: 41"), [41]);
        assert_eq!(staff_counts("Antalet medarbetare är 41 i år."), [41]);
        assert_eq!(staff_counts("Idag finns 12 medarbetare i tre team."), [12]);
        // Not a size: a part, an estimate, an event, a word.
        for text in [
            "31 av våra 39 medarbetare har gått utbildningen.",
            "Enheten har ca 40 medarbetare.",
            "Under året har 5 medarbetare gått utbildningen.",
            "Utbildningen har gåtts av 12 medarbetare.",
            "Samtal med 4 medarbetare.",
            "Enheten har fyrtio medarbetare.",
            "Gruppen har 2 nya medarbetare.",
            "Medarbetare: alla.",
        ] {
            assert_eq!(staff_counts(text), [] as [i64; 0], "{text}");
        }
    }

    #[test]
    fn a_typed_staff_count_that_differs_from_the_facts_is_a_warning() {
        // The facts: 37 in the unit, 4 in its operation, 41 together.
        let mut doc = clean();
        doc.sections_before[0].body =
            "Enheten har totalt 37 medarbetare. Verksamheten har 4 medarbetare. Tillsammans är 41 medarbetare.".into();
        assert_eq!(rules(&doc), []);
        doc.sections_before[0].body = "Enheten har totalt 39 medarbetare, varav 30 kvinnor.".into();
        let found = check_plan(&doc);
        assert_eq!(rules(&doc), [Rule::StaffCountDiffers]);
        assert_eq!(
            found[0].message,
            "Avsnittet ”Rubrik uppdrag” anger 39 medarbetare, men enhetens uppgifter ger 37. Stämmer siffran?"
        );
        assert_eq!(
            found[0].place,
            Place::Section {
                key: "uppdrag".into()
            }
        );
        // Without staff in the facts nothing is compared.
        doc.facts = None;
        doc.operations.clear();
        assert_eq!(rules(&doc), []);
    }

    fn amount_texts(sentence: &str) -> Vec<(String, String, String)> {
        amounts(sentence)
            .into_iter()
            .map(|a| {
                (
                    a.text,
                    a.kr.normalize().to_string(),
                    a.tolerance.normalize().to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn amounts_are_read_as_written_with_their_precision() {
        let one = |s: &str| {
            amount_texts(s)
                .into_iter()
                .next()
                .map(|(_, kr, tol)| (kr, tol))
        };
        let pair = |kr: &str, tol: &str| Some((kr.to_string(), tol.to_string()));
        assert_eq!(one("budgeten är 12,5 mnkr."), pair("12500000", "50000"));
        assert_eq!(one("budgeten är 28 mkr"), pair("28000000", "500000"));
        assert_eq!(one("budget 12.48 Mkr"), pair("12480000", "5000"));
        assert_eq!(one("budget 12 500 000 kr"), pair("12500000", "50000"));
        assert_eq!(one("budget 850 tkr"), pair("850000", "5000"));
        assert_eq!(
            one("budget 12,5 miljoner kronor"),
            pair("12500000", "50000")
        );
        assert_eq!(one("budget 300 tusen kronor"), pair("300000", "50000"));
        assert_eq!(one("budgeten (12,5 mnkr)"), pair("12500000", "50000"));
        assert_eq!(
            amount_texts("budgeten är 12,5 miljoner kronor, varav 3 mnkr")[0].0,
            "12,5 miljoner kronor"
        );
        for none in [
            "budgeten är 12,5",
            "i 12 månader",
            "budget 2026",
            "12,5 procent",
        ] {
            assert_eq!(one(none), None, "{none}");
        }
    }

    #[test]
    fn a_typed_budget_that_differs_from_the_facts_is_a_warning() {
        // The facts: 12 480 000 kr in the unit, 2 100 000 in its operation.
        let mut doc = clean();
        for same in [
            "Enhetens budget för 2026 är 12,5 mnkr.",
            "Budgeten är 12 480 000 kr.",
            "Budgeten uppgår till 14,6 mnkr med verksamheten.",
            "Verksamhetens budget är 2,1 mnkr.",
            "Budgeten är 12 mnkr.",
            // Another year, a comparison or a result is not this year's budget.
            "Budgeten 2025 var 11,9 mnkr.",
            "Jämfört med förra årets budget på 11 mnkr är det mer.",
            "Budgeten följs upp varje månad.",
            "Vi har 3 mnkr i lokalkostnader.",
        ] {
            doc.sections_before[0].body = same.into();
            assert_eq!(rules(&doc), [], "{same}");
        }
        doc.sections_before[0].body =
            "Vi följer upp budgeten noga. Enhetens budget för 2026 är 13,5 mnkr.".into();
        let found = check_plan(&doc);
        assert_eq!(rules(&doc), [Rule::BudgetDiffers]);
        assert_eq!(
            found[0].message,
            "Avsnittet ”Rubrik uppdrag” anger budgeten 13,5 mnkr, men enhetens uppgifter ger 12,5 mnkr. Stämmer beloppet?"
        );
        doc.facts = None;
        doc.operations.clear();
        assert_eq!(rules(&doc), []);
    }

    /// The guidance of "Budget 2025" that seed 002 (lines 868-873) left in its text.
    const SEED_GUIDANCE: &str = "Beskriv i text och/eller tabell vilket budgetomfång (storlek i mnkr) enhetens budget har. Redogör vidare för hur budgetförutsättningarna ser ut och hur ni arbetar för att verksamheten ska bedrivas inom beslutad budget. Jämför förutsättningar och storlek med föregående år.";

    #[test]
    fn a_text_that_repeats_the_guidance_is_a_warning() {
        let mut doc = clean();
        doc.sections_after.push(section(
            "budget",
            SEED_GUIDANCE,
            // As the seed has it: wrapped, with a stray space, and more after it.
            "Beskriv i text och/eller tabell vilket budgetomfång (storlek i mnkr) enhetens budget har. \nRedogör vidare för hur budgetförutsättningarna ser ut och hur ni arbetar för att \nverksamheten ska bedrivas inom beslutad budget. Jämför förutsättningar och storlek med \nföregående år. \n Vidare ska det beskrivas hur enheten följer upp budget.",
        ));
        let found = check_plan(&doc);
        assert_eq!(rules(&doc), [Rule::GuidanceRepeated]);
        assert_eq!(found[0].severity, Severity::Warning);
        assert_eq!(
            found[0].place,
            Place::Section {
                key: "budget".into()
            }
        );
        // Most of it, a sentence dropped, still counts.
        doc.sections_after[0].body =
            SEED_GUIDANCE.replace("Jämför förutsättningar och storlek med föregående år.", "");
        assert_eq!(rules(&doc), [Rule::GuidanceRepeated]);
        // Quoting a phrase of it in an answer does not.
        doc.sections_after[0].body = "Budgeten är 12,5 mnkr. Vi arbetar för att verksamheten ska bedrivas inom beslutad budget genom månatlig uppföljning.".into();
        assert_eq!(rules(&doc), []);
        // A short guidance counts when all of it is there.
        assert!(repeats_guidance(
            "Hur deltar medarbetarna i kvalitetsarbetet? Alla deltar.",
            "Hur deltar medarbetarna i kvalitetsarbetet?"
        ));
        assert!(!repeats_guidance(
            "Medarbetarna deltar i kvalitetsarbetet.",
            "Hur deltar medarbetarna i kvalitetsarbetet?"
        ));
    }

    #[test]
    fn sentences_split_where_a_new_one_begins() {
        assert_eq!(
            sentences("Vi har ca. 37 medarbetare. Budgeten är 12,5 mnkr.\n\nNy del"),
            [
                "Vi har ca. 37 medarbetare.",
                " Budgeten är 12,5 mnkr.",
                "Ny del"
            ]
        );
    }

    #[test]
    fn budgets_read_as_people_say_them() {
        assert_eq!(budget_text("28500000".parse().unwrap()), "28,5 mnkr");
        assert_eq!(budget_text("850000".parse().unwrap()), "850 tkr");
    }
}
