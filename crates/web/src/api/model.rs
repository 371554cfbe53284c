//! The API's answers as types: what handlers serialise and what `openapi.json` is generated
//! from. Nothing here knows the domain; `convert.rs` maps domain values onto these types.
//!
//! Every struct denies unknown fields (so the document says `additionalProperties: false`)
//! and lists every field as required: a field that has no value is `null`, never absent.

use crate::params::YEARS;
use serde::{Deserialize, Serialize};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, SchemaType, Type};
use utoipa::{PartialSchema, ToSchema};

/// An id of anything stored: a positive 64-bit integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Id(pub i64);

impl PartialSchema for Id {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(SchemaType::new(Type::Integer))
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .minimum(Some(1))
            .maximum(Some(i64::MAX))
            .description(Some("An id: a positive 64-bit integer."))
            .examples([5])
            .into()
    }
}
impl ToSchema for Id {}

/// A planning year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Year(pub i32);

impl PartialSchema for Year {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(SchemaType::new(Type::Integer))
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
            .minimum(Some(*YEARS.start()))
            .maximum(Some(*YEARS.end()))
            .description(Some(format!(
                "A planning year, {} to {}.",
                YEARS.start(),
                YEARS.end()
            )))
            .examples([2025])
            .into()
    }
}
impl ToSchema for Year {}

/// An exact decimal number as text, with a decimal point ("58.84").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Decimal(pub String);

impl PartialSchema for Decimal {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(SchemaType::new(Type::String))
            .pattern(Some(r"^-?[0-9]+(\.[0-9]+)?$"))
            .description(Some(
                "An exact decimal number as text, with a decimal point (\"58.84\").",
            ))
            .examples(["58.84"])
            .into()
    }
}
impl ToSchema for Decimal {}

/// A calendar date, ISO 8601 ("2025-03-31").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Date(pub String);

impl PartialSchema for Date {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(SchemaType::new(Type::String))
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .description(Some("A calendar date, ISO 8601."))
            .examples(["2025-03-31"])
            .into()
    }
}
impl ToSchema for Date {}

// ---- enumerations: always their codes ----

/// The kind of a node in the organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    City,
    Board,
    Administration,
    Department,
    Unit,
    Operation,
}

/// Where a plan or report stands in its workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Submitted,
    Approved,
    Returned,
}

/// Why a plan exists: written (or imported) as a plan, or only to hold the reports of its
/// year because a report was imported first — such a plan has no planning texts or goals
/// of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanOrigin {
    Plan,
    Report,
}

/// Which follow-up a report is: tertial report 1 (January–April), tertial report 2
/// (January–August) or the annual report (verksamhetsberättelse).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    Tertial1,
    Tertial2,
    AnnualReport,
}

/// The level of a goal in the cascade, from the council's direction goals down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GoalLevel {
    Direction,
    Area,
    Board,
    Department,
    Unit,
}

/// A section of a goal's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GoalSectionKey {
    Description,
    ExpectedResult,
    WorkingMethods,
    ResourceUse,
    FollowUp,
    Development,
}

/// Whether a section is printed before or after the goal cascade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    BeforeCascade,
    AfterCascade,
}

/// How often an indicator is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Periodicity {
    Year,
    Tertial,
}

/// Which way is better for an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
}

/// What kind of value an indicator takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    Percent,
    Index,
    Number,
    Text,
}

/// How well a goal was met in the report's period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Assessment {
    Met,
    PartlyMet,
    NotMet,
    NoData,
}

/// What became of an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActivityStatus {
    NotStarted,
    Ongoing,
    Done,
    Deviation,
}

/// How an outcome stands against its target, computed with the indicator's direction:
/// `reached`, `near` (at most 5 percentage points, or a tenth of the target, on the worse
/// side) or `far`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetStatus {
    Reached,
    Near,
    Far,
}

// ---- health ----

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    Ok,
    Unavailable,
}

/// Whether the server and its database answer.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Health {
    pub status: HealthStatus,
    /// Why not, in Swedish; only when unavailable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

// ---- the organisation ----

/// A node of the organisation with the nodes below it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgNode {
    pub id: Id,
    pub kind: OrgKind,
    pub name: String,
    /// The day the node was closed (*avvecklad*): it keeps its documents but takes no new
    /// plans. Null while it is open.
    #[schema(required = true)]
    pub closed: Option<Date>,
    #[schema(no_recursion)]
    pub children: Vec<OrgNode>,
}

/// A node named from elsewhere: a unit's ancestor.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NodeRef {
    pub id: Id,
    pub kind: OrgKind,
    pub name: String,
}

/// A node named by id and name: the unit of a plan, the owner of a goal, an operation.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Named {
    pub id: Id,
    pub name: String,
}

/// A unit, where it sits, its operations, and links to its plans and reports.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    pub id: Id,
    /// Always `unit`.
    pub kind: OrgKind,
    pub name: String,
    /// The day the unit was closed (*avvecklad*); null while it is open.
    #[schema(required = true)]
    pub closed: Option<Date>,
    /// From the parent up to the city.
    pub ancestors: Vec<NodeRef>,
    pub operations: Vec<Named>,
    /// Newest year first.
    pub plans: Vec<PlanLink>,
}

/// A link to one of a unit's plans, and to the reports that follow it up.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanLink {
    pub id: Id,
    pub year: Year,
    pub status: Status,
    /// The plan in this API.
    pub href: String,
    /// The reports that exist, in the order of the year.
    pub reports: Vec<ReportLink>,
}

/// A link to a follow-up report.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportLink {
    pub kind: ReportKind,
    /// The report in this API.
    pub href: String,
}

// ---- plans ----

/// A unit's plan for a year: its own sections and the whole goal cascade.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub id: Id,
    pub unit: Named,
    pub year: Year,
    pub status: Status,
    pub version: i64,
    /// `report`: the plan only holds the reports of its year; it has no texts of its own.
    pub origin: PlanOrigin,
    /// The plan's own texts in document order.
    pub sections: Vec<PlanSection>,
    /// The cascade, direction goals at the top.
    pub goals: Vec<PlanGoal>,
    /// The memo header the official documents print above the title.
    pub memo: Memo,
}

/// The memo header (Tjänsteutlåtande) of a plan or report: what its official documents
/// print above the title. Empty texts are not written yet; an empty `title` prints the
/// default one ("Verksamhetsplan 2026 för …").
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Memo {
    /// The version to state when changing it (0: nothing written yet).
    pub version: i64,
    /// Dnr, the case number.
    pub case_number: String,
    /// The memo's date; null prints the date of printing.
    #[schema(required = true)]
    pub date: Option<Date>,
    /// Handläggare.
    pub case_officer: String,
    /// Till: to whom the memo goes.
    pub addressee: String,
    /// Telefon.
    pub phone: String,
    pub title: String,
    /// Förslag till beslut.
    pub proposal: String,
}

/// A plan's new memo header (`PUT /api/v1/plans/{id}/memo`): the whole header; a text
/// left out is saved empty.
// Only its schema is used: the body is read field by field (api/writing.rs), so that
// each value that cannot be used is named in a 422.
#[allow(dead_code)]
#[derive(Debug, ToSchema)]
pub struct MemoUpdate {
    /// The memo's `version` as read (0 when nothing was written yet). If someone saved in
    /// between, nothing is saved: 409.
    #[schema(minimum = 0, examples(0))]
    pub version: i64,
    /// Dnr, at most 200 characters.
    pub case_number: Option<String>,
    /// The memo's date, ISO 8601 (`2026-01-27`); null or empty for none.
    #[schema(format = Date)]
    pub date: Option<String>,
    /// Handläggare, at most 200 characters.
    pub case_officer: Option<String>,
    /// Till, at most 200 characters.
    pub addressee: Option<String>,
    /// Telefon, at most 200 characters.
    pub phone: Option<String>,
    /// The title, at most 4 000 characters; empty for the default one.
    pub title: Option<String>,
    /// Förslag till beslut, at most 4 000 characters.
    pub proposal: Option<String>,
}

/// The bytes of a file (PDF, Word, Excel).
pub struct FileBytes;

impl PartialSchema for FileBytes {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(SchemaType::new(Type::String))
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .description(Some("The file's bytes."))
            .into()
    }
}

impl ToSchema for FileBytes {}

/// A section of a plan's own text, with its sub-sections.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanSection {
    pub key: String,
    pub heading: String,
    pub text: String,
    pub version: i64,
    pub placement: Placement,
    #[schema(no_recursion)]
    pub children: Vec<PlanSection>,
}

/// A new text for one of a plan's own sections (`PUT …/sections/{key}`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionUpdate {
    /// The version of the section the text was written from: its `version` as read (0 when
    /// it had no text yet). If someone saved in between, nothing is saved: 409.
    #[schema(minimum = 0, examples(3))]
    pub version: i64,
    /// The section's whole text: paragraphs separated by blank lines, list items on lines
    /// starting with "- ". Stored and shown as text (HTML is not interpreted). At most
    /// 20 000 characters.
    #[schema(max_length = 20000)]
    pub body: String,
}

/// One of a plan's own sections as saved.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SavedSection {
    pub key: String,
    pub body: String,
    /// The version now stored: state it in the next update.
    pub version: i64,
}

/// The text in force of one section of a goal.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalText {
    pub key: GoalSectionKey,
    pub heading: String,
    pub text: String,
}

/// A target: a value as written, or "set by the board" in the document's words.
#[derive(Debug, Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Target {
    /// A value: `text` as written ("90 %"), `value` the exact number it states, if any.
    Value {
        text: String,
        #[schema(required = true)]
        value: Option<Decimal>,
    },
    /// The board sets the target ("Tas fram av nämnd").
    SetByBoard { text: String },
}

/// A value as written, with the exact number it states when it states one.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    pub text: String,
    #[schema(required = true)]
    pub value: Option<Decimal>,
}

/// A goal of a plan, with its texts, indicators, activities and the goals below it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanGoal {
    pub id: Id,
    pub level: GoalLevel,
    /// "1", "1.3" for council goals; often none below.
    #[schema(required = true)]
    pub number: Option<String>,
    pub title: String,
    pub owner: Named,
    /// True when the goal belongs to a node above the unit.
    pub inherited: bool,
    pub version: i64,
    pub sections: Vec<GoalText>,
    pub indicators: Vec<PlanIndicator>,
    pub activities: Vec<PlanActivity>,
    #[schema(no_recursion)]
    pub children: Vec<PlanGoal>,
}

/// An indicator as the unit's plan shows it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanIndicator {
    pub id: Id,
    /// State it when changing the indicator.
    pub version: i64,
    pub name: String,
    #[schema(required = true)]
    pub unit_of_measure: Option<String>,
    /// Årsmål: the unit's own target, or failing that the nearest one set above it.
    #[schema(required = true)]
    pub target: Option<Target>,
    /// KF:s årsmål, when the council sets one.
    #[schema(required = true)]
    pub council_target: Option<Target>,
    pub periodicity: Periodicity,
    pub direction: Direction,
    pub value_kind: ValueKind,
    /// Redovisas för kvinnor och män: the indicator concerns people, and its outcomes are
    /// also given for women and men (never a text indicator).
    pub by_sex: bool,
}

/// An activity, from its start date to its end date.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanActivity {
    pub id: Id,
    /// State it when changing the activity.
    pub version: i64,
    pub title: String,
    pub start: Date,
    pub end: Date,
}

// ---- writing the cascade ----

/// The text of one section of a goal, as sent.
// Only its schema is used: the body is read field by field (api/writing.rs), so that
// each value that cannot be used is named in a 422.
#[allow(dead_code)]
#[derive(Debug, ToSchema)]
pub struct GoalTextUpdate {
    /// Which section: a unit goal has expected_result, working_methods, resource_use,
    /// follow_up and development; a board goal description and expected_result.
    pub key: GoalSectionKey,
    /// The whole text (an empty one empties the section). At most 20 000 characters.
    #[schema(max_length = 20000)]
    pub text: String,
}

/// A section of a unit goal's text.
// Only its schema is used (see `UnitGoalTextUpdate`).
#[allow(dead_code)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnitGoalSectionKey {
    ExpectedResult,
    WorkingMethods,
    ResourceUse,
    FollowUp,
    Development,
}

/// The text of one section of a new unit goal, as sent.
// Only its schema is used: the body is read field by field (api/writing.rs).
#[allow(dead_code)]
#[derive(Debug, ToSchema)]
pub struct UnitGoalTextUpdate {
    pub key: UnitGoalSectionKey,
    /// The whole text. At most 20 000 characters.
    #[schema(max_length = 20000)]
    pub text: String,
}

/// A new goal of the unit's plan (`POST …/plans/{year}/goals`).
// Only its schema is used: the body is read field by field (api/writing.rs), so that
// each value that cannot be used is named in a 422.
#[allow(dead_code)]
#[derive(Debug, ToSchema)]
pub struct NewGoalRequest {
    /// The board or department goal (of the same year, inherited by the unit) it is under.
    pub parent_id: Id,
    #[schema(min_length = 1, max_length = 500)]
    pub title: String,
    pub sections: Option<Vec<UnitGoalTextUpdate>>,
}

/// A change to a goal (`PATCH /goals/{id}`): any of its title and texts; what is left out
/// stays as it is.
// Only its schema is used: the body is read field by field (api/writing.rs), so that
// each value that cannot be used is named in a 422.
#[allow(dead_code)]
#[derive(Debug, ToSchema)]
pub struct GoalPatch {
    /// The goal's `version` as read. Someone else's save in between is 409.
    #[schema(minimum = 0)]
    pub version: i64,
    #[schema(min_length = 1, max_length = 500)]
    pub title: Option<String>,
    pub sections: Option<Vec<GoalTextUpdate>>,
}

/// A goal as saved.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SavedGoal {
    pub id: Id,
    /// The version now stored: state it in the next change.
    pub version: i64,
    pub level: GoalLevel,
    #[schema(required = true)]
    pub parent_id: Option<Id>,
    #[schema(required = true)]
    pub number: Option<String>,
    pub title: String,
    /// The texts in force, in printed order.
    pub sections: Vec<GoalText>,
}

/// A new indicator on a goal (`POST /goals/{id}/indicators`).
// Only its schema is used: the body is read field by field (api/writing.rs), so that
// each value that cannot be used is named in a 422.
#[allow(dead_code)]
#[derive(Debug, ToSchema)]
pub struct NewIndicatorRequest {
    #[schema(min_length = 1, max_length = 500)]
    pub name: String,
    pub unit_of_measure: Option<String>,
    pub periodicity: Periodicity,
    pub direction: Direction,
    pub value_kind: ValueKind,
    /// Redovisas för kvinnor och män: the indicator concerns people (users, participants,
    /// staff, visitors), so its outcomes are also given for women and men. False when left
    /// out; a text indicator cannot be (422).
    pub by_sex: Option<bool>,
    /// Årsmål as written: "90 %", "12", or "Tas fram av nämnd". An indicator measured in
    /// numbers needs a number first ("ca 90" is refused: 422).
    pub target: Option<String>,
}

/// A change to an indicator (`PATCH /indicators/{id}`): what is left out stays; a
/// `target` of null or "" removes the target.
// Only its schema is used: the body is read field by field (api/writing.rs), so that
// each value that cannot be used is named in a 422.
#[allow(dead_code)]
#[derive(Debug, ToSchema)]
pub struct IndicatorPatch {
    #[schema(minimum = 0)]
    pub version: i64,
    #[schema(min_length = 1, max_length = 500)]
    pub name: Option<String>,
    pub unit_of_measure: Option<String>,
    pub periodicity: Option<Periodicity>,
    pub direction: Option<Direction>,
    pub value_kind: Option<ValueKind>,
    /// Redovisas för kvinnor och män; a text indicator cannot be (422, also when the
    /// indicator is turned into a text one without sending `false`).
    pub by_sex: Option<bool>,
    pub target: Option<String>,
}

/// An indicator as saved.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SavedIndicator {
    pub id: Id,
    pub version: i64,
    pub goal_id: Id,
    pub name: String,
    #[schema(required = true)]
    pub unit_of_measure: Option<String>,
    pub periodicity: Periodicity,
    pub direction: Direction,
    pub value_kind: ValueKind,
    /// Redovisas för kvinnor och män.
    pub by_sex: bool,
    /// The owner's own årsmål.
    #[schema(required = true)]
    pub target: Option<Target>,
}

/// A new activity on a goal (`POST /goals/{id}/activities`).
// Only its schema is used: the body is read field by field (api/writing.rs), so that
// each value that cannot be used is named in a 422.
#[allow(dead_code)]
#[derive(Debug, ToSchema)]
pub struct NewActivityRequest {
    #[schema(min_length = 1, max_length = 500)]
    pub title: String,
    pub start: Date,
    /// Not before `start`.
    pub end: Date,
}

/// A change to an activity (`PATCH /activities/{id}`).
// Only its schema is used: the body is read field by field (api/writing.rs), so that
// each value that cannot be used is named in a 422.
#[allow(dead_code)]
#[derive(Debug, ToSchema)]
pub struct ActivityPatch {
    #[schema(minimum = 0)]
    pub version: i64,
    #[schema(min_length = 1, max_length = 500)]
    pub title: Option<String>,
    pub start: Option<Date>,
    pub end: Option<Date>,
}

/// An activity as saved.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SavedActivity {
    pub id: Id,
    pub version: i64,
    pub goal_id: Id,
    pub title: String,
    pub start: Date,
    pub end: Date,
}

/// A step in a plan's workflow (`POST /plans/{id}/transitions`).
// Only its schema is used: the body is read field by field (api/writing.rs), so that
// each value that cannot be used is named in a 422.
#[allow(dead_code)]
#[derive(Debug, ToSchema)]
pub struct TransitionRequest {
    /// `submitted` (the unit manager sends it in), `approved` (the controller), `draft`
    /// (returned with a comment, or an approved plan reopened with a reason by an admin).
    pub to: Status,
    /// Required to return or reopen; at most 2 000 characters.
    pub comment: Option<String>,
    /// The plan's (or report's) `version` as read; when given, one changed since is 409.
    #[schema(minimum = 0)]
    pub version: Option<i64>,
}

/// A plan after a step in its workflow.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanState {
    pub id: Id,
    pub status: Status,
    pub version: i64,
}

// ---- reports ----

/// A follow-up report: its texts, the cascade with assessments, indicator outcomes and
/// activity statuses, and the table of complaints.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Report {
    pub id: Id,
    pub unit: Named,
    pub year: Year,
    pub kind: ReportKind,
    pub status: Status,
    /// The report's version: state it in `POST /reports/{id}/transitions`.
    pub version: i64,
    pub sections: Vec<ReportSection>,
    pub goals: Vec<ReportGoal>,
    pub complaints: Vec<Complaint>,
    /// The memo header the official documents print above the title.
    pub memo: Memo,
    pub economy: Economy,
}

/// A report's economy: budget, latest forecast and outcome per operation as typed, with
/// the amounts in kronor they state; the unit's totals are computed from the operations.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Economy {
    /// 0 while nothing is written; state it in `PUT /reports/{id}/economy`.
    pub version: i64,
    pub operations: Vec<EconomyLine>,
    pub totals: EconomyTotals,
    #[schema(required = true)]
    pub analysis: Option<String>,
    /// Investeringar.
    #[schema(required = true)]
    pub investments: Option<String>,
    /// Medel för lokaländamål.
    #[schema(required = true)]
    pub premises: Option<String>,
}

/// One operation's economy.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EconomyLine {
    pub operation: Named,
    #[schema(required = true)]
    pub budget: Option<String>,
    #[schema(required = true)]
    pub forecast: Option<String>,
    #[schema(required = true)]
    pub outcome: Option<String>,
    #[schema(required = true)]
    pub budget_kr: Option<Decimal>,
    #[schema(required = true)]
    pub forecast_kr: Option<Decimal>,
    #[schema(required = true)]
    pub outcome_kr: Option<Decimal>,
}

/// The unit's totals in kronor, summed over its operations (never typed). `result` is
/// budget − outcome, `forecast_result` budget − forecast: positive is a surplus.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EconomyTotals {
    #[schema(required = true)]
    pub budget: Option<Decimal>,
    #[schema(required = true)]
    pub forecast: Option<Decimal>,
    #[schema(required = true)]
    pub outcome: Option<Decimal>,
    #[schema(required = true)]
    pub result: Option<Decimal>,
    #[schema(required = true)]
    pub forecast_result: Option<Decimal>,
}

/// A goal's suggested assessment, computed from its indicators' statuses and its
/// activities' statuses by the rule in docs/api.md, with its reasons in Swedish.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Suggestion {
    pub assessment: Assessment,
    pub reasons: Vec<String>,
}

/// An outcome's status against its target, with the numbers it was computed from.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusAgainstTarget {
    pub status: TargetStatus,
    pub outcome: Decimal,
    pub target: Decimal,
    /// How far on the worse side of the target (0 when reached): percentage points for
    /// percentages, else the indicator's unit.
    pub gap: Decimal,
}

/// A section of a report's running text.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportSection {
    /// Its key in `PUT /reports/{id}/sections/{key}`.
    pub key: String,
    /// 0 while nothing is written.
    pub version: i64,
    pub heading: String,
    pub text: String,
    pub placement: Placement,
}

/// A goal as a report follows it up: the plan's goal with an assessment and analysis.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportGoal {
    pub id: Id,
    pub level: GoalLevel,
    #[schema(required = true)]
    pub number: Option<String>,
    pub title: String,
    pub owner: Named,
    pub inherited: bool,
    pub version: i64,
    pub sections: Vec<GoalText>,
    #[schema(required = true)]
    pub assessment: Option<Assessment>,
    #[schema(required = true)]
    pub analysis: Option<String>,
    /// The version of the assessment, 0 while none is written.
    pub assessment_version: i64,
    /// Copied from the previous report of the year and not edited since.
    pub assessment_prefilled: bool,
    pub suggestion: Suggestion,
    pub indicators: Vec<ReportIndicator>,
    pub activities: Vec<ReportActivity>,
    #[schema(no_recursion)]
    pub children: Vec<ReportGoal>,
}

/// An indicator with its outcome in the report's period.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportIndicator {
    pub id: Id,
    /// The same as `id`: the indicator in `PUT /reports/{id}/indicators/{indicator_id}/outcome`.
    pub indicator_id: Id,
    /// The version of the outcome, 0 while none is written.
    pub outcome_version: i64,
    pub outcome_prefilled: bool,
    /// Computed, never typed; absent for text indicators and targets without a number.
    #[schema(required = true)]
    pub status: Option<StatusAgainstTarget>,
    /// Whether the indicator is reported in this report's period (tertial indicators in
    /// all three, yearly ones in the annual report).
    pub due: bool,
    pub name: String,
    #[schema(required = true)]
    pub unit_of_measure: Option<String>,
    #[schema(required = true)]
    pub target: Option<Target>,
    #[schema(required = true)]
    pub council_target: Option<Target>,
    pub periodicity: Periodicity,
    pub direction: Direction,
    pub value_kind: ValueKind,
    /// Redovisas för kvinnor och män: `outcome_women` and `outcome_men` are written (and
    /// shown) only for such an indicator.
    pub by_sex: bool,
    /// Utfall: the outcome of the period.
    #[schema(required = true)]
    pub outcome: Option<Measure>,
    /// The outcome for men/boys, as written.
    #[schema(required = true)]
    pub outcome_men: Option<String>,
    /// The outcome for women/girls, as written.
    #[schema(required = true)]
    pub outcome_women: Option<String>,
    /// The previous year's outcome, as written.
    #[schema(required = true)]
    pub previous: Option<String>,
    /// The period the outcome covers, as written.
    #[schema(required = true)]
    pub period: Option<String>,
    #[schema(required = true)]
    pub analysis: Option<String>,
}

/// An activity with what became of it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportActivity {
    pub id: Id,
    pub title: String,
    pub start: Date,
    pub end: Date,
    #[schema(required = true)]
    pub status: Option<ActivityStatus>,
    #[schema(required = true)]
    pub analysis: Option<String>,
    /// The version of the status, 0 while none is written.
    pub status_version: i64,
    pub status_prefilled: bool,
}

/// A goal's assessment (`PUT /reports/{id}/goals/{goal_id}/assessment`).
// Only its schema is used: the body is read field by field (api/reports.rs).
#[allow(dead_code)]
#[derive(Debug, ToSchema)]
pub struct AssessmentRequest {
    /// The `assessment_version` as read (0 while none is written).
    #[schema(minimum = 0)]
    pub version: i64,
    pub assessment: Assessment,
    #[schema(max_length = 20000)]
    pub analysis: Option<String>,
}

/// A goal's assessment as saved.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SavedAssessment {
    pub goal_id: Id,
    #[schema(required = true)]
    pub assessment: Option<Assessment>,
    #[schema(required = true)]
    pub analysis: Option<String>,
    pub assessment_version: i64,
}

/// An indicator's outcome (`PUT /reports/{id}/indicators/{indicator_id}/outcome`): values
/// as written ("58,84 %"); a numeric indicator's value must begin with a number; `women`
/// and `men` are given only for an indicator reported for women and men (`by_sex`; for any
/// other a value there is a 422), and for a count women + men must not exceed it.
#[allow(dead_code)]
#[derive(Debug, ToSchema)]
pub struct OutcomeRequest {
    /// The `outcome_version` as read (0 while none is written).
    #[schema(minimum = 0)]
    pub version: i64,
    pub value: Option<String>,
    pub women: Option<String>,
    pub men: Option<String>,
    #[schema(max_length = 20000)]
    pub analysis: Option<String>,
}

/// An outcome as saved.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SavedOutcome {
    pub indicator_id: Id,
    #[schema(required = true)]
    pub value: Option<String>,
    #[schema(required = true)]
    pub women: Option<String>,
    #[schema(required = true)]
    pub men: Option<String>,
    #[schema(required = true)]
    pub analysis: Option<String>,
    pub outcome_version: i64,
}

/// An activity's status (`PUT /reports/{id}/activities/{activity_id}/status`); a
/// `deviation` needs an analysis.
#[allow(dead_code)]
#[derive(Debug, ToSchema)]
pub struct ActivityStatusRequest {
    /// The `status_version` as read (0 while none is written).
    #[schema(minimum = 0)]
    pub version: i64,
    pub status: ActivityStatus,
    #[schema(max_length = 20000)]
    pub analysis: Option<String>,
}

/// An activity's status as saved.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SavedActivityStatus {
    pub activity_id: Id,
    #[schema(required = true)]
    pub status: Option<ActivityStatus>,
    #[schema(required = true)]
    pub analysis: Option<String>,
    pub status_version: i64,
}

/// A report's economy (`PUT /reports/{id}/economy`). Amounts as people write them: "21 400
/// 000", "850 tkr", "21,4 mnkr"; "ca 300 tkr" is refused.
#[allow(dead_code)]
#[derive(Debug, ToSchema)]
pub struct EconomyRequest {
    /// The economy's `version` as read (0 while none is written).
    #[schema(minimum = 0)]
    pub version: i64,
    pub operations: Option<Vec<EconomyLineRequest>>,
    #[schema(max_length = 20000)]
    pub analysis: Option<String>,
    #[schema(max_length = 20000)]
    pub investments: Option<String>,
    #[schema(max_length = 20000)]
    pub premises: Option<String>,
}

#[allow(dead_code)]
#[derive(Debug, ToSchema)]
pub struct EconomyLineRequest {
    pub operation_id: Id,
    pub budget: Option<String>,
    pub forecast: Option<String>,
    pub outcome: Option<String>,
}

/// A report after a step in its workflow.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportState {
    pub id: Id,
    pub status: Status,
    pub version: i64,
}

/// A row of the table of complaints, praise and incidents: counts per period.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Complaint {
    pub group: String,
    pub category: String,
    #[schema(required = true)]
    pub t1: Option<i64>,
    #[schema(required = true)]
    pub t2: Option<i64>,
    #[schema(required = true)]
    pub annual: Option<i64>,
    #[schema(required = true)]
    pub total: Option<i64>,
    #[schema(required = true)]
    pub assessment: Option<String>,
}

// ---- history ----

/// A page of a plan's history, newest first: every change to the plan, its sections, what
/// it takes in, and what its unit owns for the year (goals with their texts, indicators,
/// activities, targets), from the audit trail.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct History {
    pub plan_id: Id,
    pub events: Vec<HistoryEvent>,
    /// There are older events: ask again with `before` set to this. `null` on the oldest
    /// page.
    #[schema(required = true)]
    pub next_before: Option<Id>,
}

/// One change in the audit trail.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HistoryEvent {
    pub id: Id,
    /// When, UTC (RFC 3339).
    #[schema(format = DateTime)]
    pub at: String,
    /// Who: the email of the person (or "demo", "import" for what those wrote).
    pub actor: String,
    /// The person's name, when the actor is an account's email.
    #[schema(required = true)]
    pub actor_name: Option<String>,
    /// What was done: `create`, `update`, `remove`, `restore`, `save`, `set_text`,
    /// `set_target`, `set_contents`, `set_status`, `transition` …
    pub action: String,
    /// What kind of thing: `plan`, `plan_section`, `goal`, `goal_text`, `indicator`,
    /// `indicator_target`, `activity`, `document_contents`, `document_pins` …
    pub entity: String,
    /// Which one: "7", "7/expected_result" (goal 7's text), "12/5" (indicator 12's target
    /// for node 5), "3/inledning" (plan 3's section), "plan/3" (plan 3's contents).
    pub entity_id: String,
    /// The thing before the change, as stored then; `null` when it did not exist.
    #[schema(required = true)]
    pub before: Option<serde_json::Value>,
    /// The thing after the change; `null` when it no longer exists.
    #[schema(required = true)]
    pub after: Option<serde_json::Value>,
}

/// What a plan takes from above its unit (`PUT …/selection`): the whole choice at once.
#[derive(Debug, ToSchema)]
pub struct SelectionUpdate {
    /// The plan's `version` as read. If anyone changed the plan since (its choices, its
    /// goals, its status), nothing is saved: 409.
    #[schema(minimum = 0, examples(3))]
    pub version: i64,
    /// The board and department goals that apply to the unit. A goal that the unit's own
    /// goals (or indicators, activities) hang on stays chosen whether it is named or not
    /// (`kept_goals` in the answer).
    pub goals: Vec<Id>,
    /// The board activities the unit takes part in.
    pub activities: Vec<Id>,
    /// The council and board indicators the unit follows, each with its own target.
    pub indicators: Vec<IndicatorChoice>,
}

/// An indicator the unit follows, with the unit's own target (årsmål).
#[derive(Debug, ToSchema)]
pub struct IndicatorChoice {
    pub id: Id,
    /// The unit's own target as written ("90 %", "Tas fram av nämnd"); null or empty: none
    /// of its own (the one set above the unit applies). An indicator measured
    /// in numbers (percent, index, count) needs a text that begins with a number: "ca 90"
    /// is 422. At most 200 characters.
    #[schema(max_length = 200, required = true)]
    pub target: Option<String>,
}

/// What a plan takes from above its unit, as saved.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SavedSelection {
    /// The plan's version now: state it in the next change.
    pub version: i64,
    /// The board and department goals chosen.
    pub goals: Vec<Id>,
    /// The goals that stay chosen because the unit's own goals, indicators or activities
    /// hang on them.
    pub kept_goals: Vec<Id>,
    pub activities: Vec<Id>,
    pub indicators: Vec<ChosenIndicator>,
}

/// An indicator the plan follows, with the unit's own target.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChosenIndicator {
    pub id: Id,
    /// The unit's own target; null when the one set above the unit applies.
    #[schema(required = true)]
    pub target: Option<Target>,
}

// ---- the roll-up of a board, administration or department ----

/// Where a unit's report stands against its administration's deadline: not started (no
/// report), a draft (or returned), submitted, approved, or late (not submitted and the
/// deadline has passed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    NotStarted,
    Draft,
    Submitted,
    Approved,
    Late,
}

/// What a unit's cell for a goal holds: its assessment (`assessed`), or why there is none:
/// the report shows the goal but it is not assessed yet, the report does not follow the
/// goal up, the unit has no report, or the caller may not read the report (not approved,
/// and no role on the unit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CellState {
    Assessed,
    NotAssessed,
    NotInReport,
    NoReport,
    Hidden,
}

/// How an indicator's outcomes are combined across units: counts are summed, shares
/// weighted by their denominators (when every outcome states one), anything else is listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    Sum,
    WeightedShare,
    Listed,
}

/// A board's, administration's or department's roll-up of a year and kind of report: every
/// unit under it, one cell per goal followed up, the indicators across the units. Built
/// for the caller: a report they may not read is `hidden` and counts nowhere.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rollup {
    pub node: RollupNode,
    pub year: Year,
    pub kind: ReportKind,
    /// The goals followed up: the node's own, and those above it that a unit's report
    /// shows, in the cascade's order. Each unit's `cells` are in this order.
    pub goals: Vec<RollupGoal>,
    pub units: Vec<RollupUnit>,
    pub indicators: Vec<RollupIndicator>,
}

/// The node rolled up.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RollupNode {
    pub id: Id,
    pub name: String,
    pub kind: OrgKind,
}

/// A goal of the roll-up, with how the units assessed it and the node's own assessment.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RollupGoal {
    pub id: Id,
    pub level: GoalLevel,
    #[schema(required = true)]
    pub number: Option<String>,
    pub title: String,
    #[schema(required = true)]
    pub parent_id: Option<Id>,
    /// A short name for a column: the number, or the level and place ("Nämndmål 2").
    pub short: String,
    /// Owned by the node rolled up (rather than one above it).
    pub own: bool,
    pub tally: RollupTally,
    /// The node's own assessment and analysis; null when the caller has no role on the
    /// node or none is written.
    #[schema(required = true)]
    pub own_assessment: Option<OwnAssessment>,
}

/// How many units' cells for a goal are in each state.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RollupTally {
    pub met: i64,
    pub partly_met: i64,
    pub not_met: i64,
    pub no_data: i64,
    pub not_assessed: i64,
    pub not_in_report: i64,
    pub no_report: i64,
    pub hidden: i64,
}

/// The node's own assessment and analysis of a goal.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnAssessment {
    #[schema(required = true)]
    pub assessment: Option<Assessment>,
    #[schema(required = true)]
    pub analysis: Option<String>,
    /// State it in the next write (0 while nothing is written).
    pub version: i64,
}

/// A unit of the roll-up.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RollupUnit {
    pub id: Id,
    pub name: String,
    /// The nodes between the node rolled up and the unit, from the top.
    pub path: Vec<String>,
    /// Its report of the year and kind; null when it has none.
    #[schema(required = true)]
    pub report: Option<RollupReport>,
    pub standing: Standing,
    /// The administration's deadline for the report; null when none is set.
    #[schema(required = true)]
    pub deadline: Option<Date>,
    /// One per goal, in the order of `goals`.
    pub cells: Vec<RollupCell>,
}

/// A unit's report in the roll-up.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RollupReport {
    pub id: Id,
    pub status: Status,
    /// Whether the caller may read it; when not, its cells are `hidden`.
    pub readable: bool,
    /// The report in the API.
    pub href: String,
}

/// A unit's cell for a goal.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RollupCell {
    pub goal_id: Id,
    pub state: CellState,
    /// The unit's assessment, when `state` is `assessed`.
    #[schema(required = true)]
    pub assessment: Option<Assessment>,
    /// Whether the unit wrote an analysis of the goal.
    pub analysis: bool,
}

/// An indicator across the units whose reports the caller may read.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RollupIndicator {
    pub id: Id,
    pub goal_id: Id,
    pub name: String,
    #[schema(required = true)]
    pub unit_of_measure: Option<String>,
    pub value_kind: ValueKind,
    pub aggregation: Aggregation,
    /// Why the outcomes are combined so, in Swedish.
    pub rule: String,
    /// The sum or weighted share; null when the outcomes are listed or none is a number.
    #[schema(required = true)]
    pub combined: Option<Combined>,
    /// The lowest and highest outcome; null when none is a number.
    #[schema(required = true)]
    pub spread: Option<Spread>,
    /// Readable reports that follow the indicator up.
    pub expected: i64,
    /// Their outcomes, as written, in the units' order.
    pub values: Vec<UnitValue>,
}

/// An aggregate of an indicator's outcomes (a percentage for a share).
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Combined {
    pub value: Decimal,
    /// The sum of the women (counts only) among the units that state them.
    #[schema(required = true)]
    pub women: Option<Decimal>,
    #[schema(required = true)]
    pub men: Option<Decimal>,
    /// How many units' numbers went into it.
    pub units: i64,
}

/// The lowest and highest outcome, and the units that had them.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Spread {
    pub min: Decimal,
    pub min_unit: String,
    pub max: Decimal,
    pub max_unit: String,
}

/// A unit's outcome of an indicator.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitValue {
    pub unit_id: Id,
    pub unit: String,
    /// As written ("58,84 %").
    pub text: String,
    /// The number it states; null when it states none.
    #[schema(required = true)]
    pub value: Option<Decimal>,
    #[schema(required = true)]
    pub women: Option<String>,
    #[schema(required = true)]
    pub men: Option<String>,
}

/// The node's own assessment and analysis of a goal
/// (`PUT /org/{id}/rollup/{year}/{kind}/goals/{goal_id}/assessment`).
#[allow(dead_code)]
#[derive(Debug, ToSchema)]
pub struct OwnAssessmentRequest {
    /// The `own_assessment.version` as read (0 while none is written).
    #[schema(minimum = 0)]
    pub version: i64,
    /// null: no assessment yet.
    pub assessment: Option<Assessment>,
    /// Line ends as `\n`; a blank line begins a paragraph.
    #[schema(max_length = 20000)]
    pub analysis: Option<String>,
}

/// The node's own assessment as saved.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SavedOwnAssessment {
    pub goal_id: Id,
    #[schema(required = true)]
    pub assessment: Option<Assessment>,
    #[schema(required = true)]
    pub analysis: Option<String>,
    pub version: i64,
}
