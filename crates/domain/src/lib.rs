//! Målkedja's domain: the organisation, the goal cascade, indicators, activities and plans.
//!
//! This crate does no I/O. It holds the types every other layer speaks, the rules that keep
//! the cascade consistent (which goal may hang under which, who may own it, which unit sees
//! it) and the Swedish number formatting used in documents. The store persists these types;
//! the web layer renders them.

mod access;
mod account;
mod activity;
mod blocks;
mod calendar;
mod cascade;
mod copying;
mod economy;
mod error;
mod follow_up;
mod goal;
mod ids;
mod indicator;
mod matching;
mod memo;
mod number;
mod org;
mod outline;
mod plan;
mod plan_check;
mod ready;
mod report;
mod report_check;
mod rollup;
mod selection;
mod series;
mod template;
#[cfg(test)]
mod testing;
mod text;
mod workflow;

pub use access::{Action, Denied, Grant, Role, Who, may, may_somewhere};
pub use account::{
    Account, AccountError, AccountId, EMAIL_MAX_CHARS, NAME_MAX_CHARS, PASSWORD_MAX_BYTES,
    PASSWORD_MIN_CHARS, RoleGrant, check_password, normalize_email, normalize_name,
};
pub use activity::{Activity, NewActivity};
pub use blocks::{Block, blocks};
pub use calendar::{
    DeadlineKind, DeadlineProblem, Deadlines, PLANNING_YEARS, YearError, check_new_year, date_text,
    next_year, parse_date,
};
pub use cascade::{
    ActivityEntry, CascadeGoal, CascadeInputs, Contents, IndicatorEntry, IndicatorView,
    PlanDocument, PlanSectionView, assemble_cascade, build_sections, check_item_owner, item_shown,
    missing_sections,
};
pub use copying::{
    Carry, Choice, GoalKey, GoalMatch, MatchedBy, NewParent, StructurePlan, carry_unit_goals,
    counterparts, find_by_name, is_structure, match_goals, one_year_later, plan_structure_copy,
};
pub use economy::{
    EconomyFigures, EconomyLineView, EconomyTable, PrintedEconomy, ReportEconomy, format_tkr,
};
pub use error::DomainError;
pub use follow_up::{
    ActivityReading, CheckedOutcome, EconomyLine, EconomyTotals, FollowUpError, IndicatorReading,
    NEAR_POINTS, NEAR_SHARE, OutcomeField, StatusAgainstTarget, Suggestion, TargetStatus,
    check_activity_status, check_outcome, due_in, economy_amount, suggest_assessment,
    target_status,
};
pub use goal::{
    Goal, GoalLevel, GoalSection, NewGoal, TextVersion, check_inherited, text_in_force,
};
pub use ids::{ActivityId, GoalId, IndicatorId, NodeId, PlanId};
pub use indicator::{
    Direction, Indicator, IndicatorTarget, NewIndicator, Periodicity, Target, ValueKind,
    check_by_sex,
};
pub use matching::{NameMatch, match_names, name_key, same_name};
pub use memo::{MEMO_FIELD_MAX, MEMO_TEXT_MAX, Memo};
pub use number::{Measure, format_decimal_sv, parse_amount_kr, parse_decimal_sv};
pub use org::{
    Inherited, InheritedItem, Manager, NODE_NAME_MAX_CHARS, NewNode, OrgKind, OrgNode, OrgTree,
    StaffCount, StaffMeeting, UnitFacts, administration_of, allowed_parents, build_tree, chains,
    check_move, check_node_name, closing, descendants, is_within, reopening,
};
pub use outline::{OutlinePart, goal_heading, plan_outline};
pub use plan::{
    Placement, Plan, PlanOrigin, PlanSection, PlanStatus, TemplateSection, default_plan_template,
};
pub use plan_check::{
    Finding, Place, Rule, Severity, budget_text, check_errors, check_plan, findings_summary,
};
pub use ready::{
    Completion, PartInfo, PlanPart, followed_up, is_own_unit_goal, plan_parts, report_parts,
    section_parts,
};
pub use report::{
    ActivityFollowUp, ActivityStatus, Assessment, ComplaintRow, EconomyColumns, FollowUpMarks,
    GoalAssessment, IndicatorOutcome, ItemMark, Report, ReportDocument, ReportKind, ReportSection,
    ReportTemplateSection, economy_columns, report_sections, report_template, section_key,
};
pub use report_check::{check_report, indicator_status, suggest_for_goal};
pub use rollup::{
    Aggregation, Cell, Combined, IndicatorRollup, PastOutcome, ROLLUP_ANALYSIS_MAX, Rollup,
    RollupAssessment, RollupData, RollupGoal, RollupUnit, STANDINGS, Spread, Tally, UnitAssessment,
    UnitIndicator, UnitReport, UnitValue, aggregation, build as build_rollup,
    check_rollup_analysis, has_rollup, is_rate,
};
pub use selection::{Choices, Selection};
pub use series::{
    IndicatorSeries, SeriesPoint, StoredOutcome, histories, not_later, period_order, series,
};
pub use template::{
    GUIDANCE_MAX_CHARS, HEADING_MAX_CHARS, Move, SectionEdit, TemplateError, add_section, arranged,
    check_guidance, check_heading, check_template, move_section, new_key, remove_section,
    update_section,
};
pub use text::{
    name_distance, normalize_body, normalize_whitespace, numbers_in, same_body, swedish_cmp,
};
pub use workflow::{
    COMMENT_MAX_CHARS, Standing, Transition, WorkflowDoc, WorkflowError, locked_reason,
    plan_transition, workflow_step,
};

/// A planning year, e.g. 2025. Plans, goals, indicators and activities all belong to one.
pub type Year = i32;

/// Re-exported so that other crates name the same decimal and date types.
pub use rust_decimal::Decimal;
pub use time::Date;
