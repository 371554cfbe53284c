//! A synthetic district of any size, for benchmarks and for trying Målkedja at scale
//! (`malkedja demo --units N --years Y`): a city, a board, an administration, departments
//! and `units` units, the council's and the board's goals (by default 40 board goals),
//! indicators and activities, for every year from `years` years before this one up to this
//! one. Each year before this one has every unit's plan approved through the workflow (the
//! plan check passes) and its first and second tertial reports and annual report written,
//! submitted and approved (or only the kinds [`Options::report_kinds`] names, as far as
//! [`Options::stages`] says); this year has the plans approved and the first tertial
//! reports in every state: most drafts, some submitted, some not begun.
//!
//! Everything is written through [`Writer`]s as people and the demo write it (validated,
//! versioned, audited), a year's goals in one transaction and the units of a year in
//! transactions of [`UNITS_PER_TRANSACTION`]. The names and texts are generated from short
//! Swedish lists and sentence templates written for Målkedja, the numbers by `fill.rs`:
//! the same options give the same district every time.

use crate::fill::{self, Generated, Rng, Shape};
use crate::{DocRef, EconomyInput, EconomyLineInput, Store, StoreError, Writer};
use malkedja_domain::{
    ActivityEntry, Contents, Deadlines, Direction, GoalId, GoalLevel, GoalSection, IndicatorEntry,
    IndicatorId, IndicatorView, NewActivity, NewGoal, NewIndicator, NewNode, NodeId, OrgKind,
    Periodicity, PlanStatus, ReportKind, Target, ValueKind, Year, default_plan_template,
};
use std::collections::HashMap;
use time::{Date, Month};

type R<T> = Result<T, StoreError>;

/// Units written in one transaction.
pub const UNITS_PER_TRANSACTION: usize = 25;

/// The actor the audit trail names for what the generator writes.
const ACTOR: &str = "syntetisk";

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub units: usize,
    /// Years followed up in full, ending last year.
    pub years: usize,
    /// The board's goals each year.
    pub board_goals: usize,
    /// Units per department.
    pub units_per_department: usize,
    /// This year: plans approved and first tertial reports under way.
    pub this_year: Year,
    /// Generate also into a database that already has an organisation (beside it).
    pub allow_existing: bool,
    /// The kinds of report written for each year followed up in full (all three by
    /// default; the annual report alone is the quickest way to a roll-up of every unit).
    pub report_kinds: Vec<ReportKind>,
    /// How far the reports of the years followed up in full go, unit by unit in turn: unit
    /// `i`'s go as far as `stages[i % stages.len()]`. By default every report is approved.
    pub stages: Vec<Stage>,
}

/// How far a unit's reports of a year followed up in full go ([`Options::stages`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// None written.
    NotBegun,
    /// Written, not submitted.
    Draft,
    Submitted,
    Approved,
}

impl Options {
    /// `units` units followed up for `years` years up to this year (from the clock), with
    /// 40 board goals and 12 units a department.
    pub fn new(units: usize, years: usize) -> Options {
        Options {
            units,
            years,
            board_goals: 40,
            units_per_department: 12,
            this_year: time::OffsetDateTime::now_utc().year(),
            allow_existing: false,
            report_kinds: ReportKind::ALL.to_vec(),
            stages: vec![Stage::Approved],
        }
    }

    /// How far unit `i`'s reports of a year followed up in full go.
    fn stage(&self, i: usize) -> Stage {
        match self.stages.len() {
            0 => Stage::Approved,
            n => self.stages.get(i % n).copied().unwrap_or(Stage::Approved),
        }
    }

    /// The years generated, oldest first: `years` followed up in full, then this one.
    pub fn all_years(&self) -> Vec<Year> {
        let first = self.this_year - Year::try_from(self.years).unwrap_or(0);
        (first..=self.this_year).collect()
    }

    fn departments(&self) -> usize {
        self.units.div_ceil(self.units_per_department.max(1))
    }

    /// The steps [`generate`] reports: the organisation, then for each year its goals and
    /// each unit.
    pub fn steps(&self) -> usize {
        1 + self.all_years().len() * (1 + self.units)
    }
}

/// One step done, of [`Options::steps`].
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    pub done: usize,
    pub total: usize,
    pub what: &'a str,
}

/// What was generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub city: NodeId,
    pub board: NodeId,
    pub administration: NodeId,
    /// The departments, in order.
    pub departments: Vec<NodeId>,
    /// The units, in order.
    pub units: Vec<NodeId>,
    pub years: Vec<Year>,
    pub goals: usize,
    pub indicators: usize,
    pub activities: usize,
    pub plans: usize,
    pub reports: usize,
}

// ---- names and texts ----

const DEPARTMENTS: [&str; 8] = [
    "äldreomsorg",
    "funktionsstöd",
    "individ- och familjeomsorg",
    "socialpsykiatri",
    "förskola",
    "kultur och fritid",
    "hemtjänst",
    "förebyggande arbete",
];

const UNIT_KINDS: [&str; 10] = [
    "Hemtjänsten",
    "Träffpunkten",
    "Dagliga verksamheten",
    "Gruppbostaden",
    "Förskolan",
    "Fritidsgården",
    "Boendestödet",
    "Seniorboendet",
    "Öppenvården",
    "Biblioteket",
];

const PLACES: [&str; 15] = [
    "Norra",
    "Södra",
    "Östra",
    "Västra",
    "Centrum",
    "Strand",
    "Ekbacken",
    "Björkhagen",
    "Lindvik",
    "Sjökanten",
    "Tallåsen",
    "Granbo",
    "Ängsvik",
    "Bergsvik",
    "Havsutsikten",
];

/// The council's directions, each with its areas.
const DIRECTIONS: [(&str, [&str; 4]); 3] = [
    (
        "En stad som håller samman med en stark och jämlik välfärd",
        [
            "Stöd och omsorg ska ges där behoven är störst",
            "Alla ska ha tillgång till kultur, idrott och föreningsliv",
            "Barn och unga ska ha goda uppväxtvillkor",
            "Äldre ska ha en trygg och aktiv vardag",
        ],
    ),
    (
        "En grön stad som leder klimatomställningen",
        [
            "Klimatpåverkan ska minska",
            "Miljön ska vara giftfri",
            "Den biologiska mångfalden ska öka",
            "Resurser ska användas hushållsamt",
        ],
    ),
    (
        "En stad med en stabil ekonomi och goda arbetsplatser",
        [
            "Medarbetare ska ha goda förutsättningar att göra ett bra jobb",
            "Verksamheterna ska klara störningar och kris",
            "Fler ska ha ett arbete",
            "Ekonomin ska vara i balans",
        ],
    ),
];

/// An indicator as the generator writes it.
struct IndicatorSpec {
    name: &'static str,
    kind: ValueKind,
    direction: Direction,
    periodicity: Periodicity,
    unit_of_measure: Option<&'static str>,
    target: &'static str,
}

const fn spec(
    name: &'static str,
    kind: ValueKind,
    direction: Direction,
    periodicity: Periodicity,
    unit_of_measure: Option<&'static str>,
    target: &'static str,
) -> IndicatorSpec {
    IndicatorSpec {
        name,
        kind,
        direction,
        periodicity,
        unit_of_measure,
        target,
    }
}

use Direction::{HigherIsBetter as Higher, LowerIsBetter as Lower};
use Periodicity::{Tertial, Year as Yearly};
use ValueKind::{Index, Number, Percent};

/// The area (by its place among [`DIRECTIONS`]' areas) each council indicator hangs on.
const COUNCIL_AREAS: [usize; 8] = [0, 1, 5, 4, 8, 8, 9, 10];

/// The council's indicators, on the areas of [`COUNCIL_AREAS`].
const COUNCIL_INDICATORS: [IndicatorSpec; 8] = [
    spec(
        "Andel brukare som är nöjda med sitt stöd",
        Percent,
        Higher,
        Yearly,
        None,
        "85 %",
    ),
    spec(
        "Andel invånare som deltar i kultur- eller fritidsaktiviteter varje månad",
        Percent,
        Higher,
        Yearly,
        None,
        "60 %",
    ),
    spec(
        "Andel ekologiska livsmedel",
        Percent,
        Higher,
        Tertial,
        None,
        "50 %",
    ),
    spec(
        "Klimatpåverkan från livsmedelsinköp",
        Number,
        Lower,
        Yearly,
        Some("kg CO2e per kg livsmedel"),
        "1,6 kg CO2e per kg livsmedel",
    ),
    spec("Sjukfrånvaro", Percent, Lower, Tertial, None, "6 %"),
    spec("Aktivt medskapandeindex", Index, Higher, Yearly, None, "80"),
    spec(
        "Andel verksamheter med en övad kontinuitetsplan",
        Percent,
        Higher,
        Yearly,
        None,
        "100 %",
    ),
    spec(
        "Antal deltagare som gått vidare till praktik, studier eller arbete",
        Number,
        Higher,
        Yearly,
        None,
        "6",
    ),
];

/// Who a board goal is about, and what it aims at (with how it is measured).
const GROUPS: [&str; 8] = [
    "Äldre",
    "Personer med funktionsnedsättning",
    "Barn och unga",
    "Brukare",
    "Deltagare",
    "Besökare",
    "Medarbetare",
    "Invånare",
];

const AIMS: [(&str, &str); 8] = [
    (
        "får ett stöd som stärker deras självständighet",
        "upplever att stödet stärker deras självständighet",
    ),
    (
        "känner sig trygga i vardagen",
        "känner sig trygga i vardagen",
    ),
    (
        "har inflytande över det stöd de får",
        "upplever att de har inflytande över stödet",
    ),
    (
        "tar del av kultur, idrott och fritid",
        "deltar i kultur-, idrotts- eller fritidsaktiviteter",
    ),
    (
        "har en meningsfull sysselsättning",
        "upplever sin sysselsättning som meningsfull",
    ),
    ("lever ett hälsosamt liv", "är fysiskt aktiva varje vecka"),
    (
        "får information som de förstår",
        "förstår den information de får",
    ),
    (
        "möter personal med rätt kompetens",
        "upplever att personalen har rätt kompetens",
    ),
];

/// Unit goals to choose from, each with its indicator.
const UNIT_GOALS: [(&str, IndicatorSpec); 8] = [
    (
        "Fler brukare har en genomförandeplan som följts upp det senaste halvåret",
        spec(
            "Andel genomförandeplaner som följts upp det senaste halvåret",
            Percent,
            Higher,
            Tertial,
            None,
            "90 %",
        ),
    ),
    (
        "Fler besökare tar del av verksamhetens aktiviteter",
        spec(
            "Antal besök",
            Number,
            Higher,
            Tertial,
            Some("besök"),
            "1 200",
        ),
    ),
    (
        "Matsvinnet minskar",
        spec(
            "Matsvinn per portion",
            Number,
            Lower,
            Tertial,
            Some("gram per portion"),
            "30 gram",
        ),
    ),
    (
        "Brukarna är nöjda med bemötandet",
        spec(
            "Andel brukare som är nöjda med bemötandet",
            Percent,
            Higher,
            Yearly,
            None,
            "90 %",
        ),
    ),
    (
        "Medarbetarna har en hållbar arbetssituation",
        spec("Personalomsättning", Percent, Lower, Yearly, None, "10 %"),
    ),
    (
        "Fler deltagare prövar praktik utanför verksamheten",
        spec(
            "Antal deltagare med praktik utanför verksamheten",
            Number,
            Higher,
            Yearly,
            None,
            "8",
        ),
    ),
    (
        "Fler brukare använder digitala tjänster",
        spec(
            "Andel brukare som använder digitala tjänster",
            Percent,
            Higher,
            Yearly,
            None,
            "40 %",
        ),
    ),
    (
        "Brukarna har inflytande över verksamheten",
        spec(
            "Antal förslag från brukarrådet som genomförts",
            Number,
            Higher,
            Yearly,
            None,
            "5",
        ),
    ),
];

/// Activities to choose from, with the months they run.
const ACTIVITIES: [(&str, Month, Month); 6] = [
    (
        "Genomgång av rutinen på arbetsplatsträff",
        Month::February,
        Month::March,
    ),
    (
        "Uppföljningsmöten med varje brukare",
        Month::January,
        Month::December,
    ),
    (
        "Temadag tillsammans med brukarrådet",
        Month::September,
        Month::October,
    ),
    (
        "Mätning två veckor per tertial",
        Month::January,
        Month::December,
    ),
    ("Utbildning för alla medarbetare", Month::March, Month::June),
    (
        "Kartläggning och handlingsplan",
        Month::August,
        Month::November,
    ),
];

/// The text of a plan section, by key, for a unit and year.
fn section_text(key: &str, unit: &str, year: Year) -> Option<String> {
    let t = match key {
        "uppdrag" => format!(
            "{unit} ger stöd och service till invånare i stadsdelen enligt nämndens uppdrag. Insatserna utgår från varje persons behov och egna mål."
        ),
        "utvecklingsomraden" => format!(
            "Under {year} utvecklar {unit} särskilt uppföljningen av genomförandeplaner, brukarnas inflytande och arbetsmiljön."
        ),
        "organisation" => format!(
            "{unit} leds av en enhetschef och har medarbetare i två verksamheter. Planen har tagits fram tillsammans med medarbetarna och gås igenom på arbetsplatsträff i januari."
        ),
        "resursanvandning" => "Enheten planerar bemanningen efter brukarnas behov, samordnar inköp med andra enheter och delar lokaler där det går.".to_string(),
        "budget" => "Budgeten följs upp varje månad tillsammans med controller, och avvikelser tas upp i ledningsgruppen.".to_string(),
        "kvalitetsarbete" => "Enheten arbetar systematiskt med kvalitet enligt ett årshjul, med uppföljning varje tertial.".to_string(),
        "synpunkter" => "Synpunkter och klagomål tas emot muntligt, skriftligt och digitalt. Alla som lämnat kontaktuppgifter får svar inom tio dagar, och synpunkterna gås igenom på arbetsplatsträff.".to_string(),
        "avvikelser" => "Avvikelser rapporteras i verksamhetssystemet och följs upp varje månad. Medarbetarna informeras om Lex Sarah vid introduktionen och en gång om året.".to_string(),
        "brukarundersokning" => "Brukarundersökningen genomförs varje höst. Resultatet gås igenom med medarbetarna och med brukarrådet, som föreslår förbättringar.".to_string(),
        "egenkontroller" => "Enheten granskar dokumentationen två gånger om året och följer upp genomförandeplanerna varje tertial.".to_string(),
        "utvecklingsarbete" => "Enheten deltar i förvaltningens nätverk för kvalitetsutveckling.".to_string(),
        "personalens_medverkan" => "Varje team har ett kvalitetsombud som leder genomgången av avvikelser och synpunkter på arbetsplatsträffen.".to_string(),
        "kvalitetsprogram" => "Enheten fokuserar på två av kvalitetsprogrammets förhållningssätt.".to_string(),
        "stockholmarna_i_fokus" => "Brukarna är med och formulerar målen i sina genomförandeplaner.".to_string(),
        "larande" => "Medarbetarna lär av varandra genom kollegial handledning en gång i månaden.".to_string(),
        "agenda2030" => "Enheten bidrar framför allt till de globala målen om hälsa och minskad ojämlikhet.".to_string(),
        _ => return None,
    };
    Some(t)
}

fn date(year: Year, month: Month, last: bool) -> R<Date> {
    let day = if last { month.length(year) } else { 1 };
    Date::from_calendar_date(year, month, day)
        .map_err(|e| StoreError::Corrupt(format!("datum {year}-{month}: {e}")))
}

fn position(i: usize) -> i64 {
    i64::try_from(i).unwrap_or(i64::MAX)
}

fn target(text: &str) -> R<Target> {
    Target::parse(text).ok_or_else(|| StoreError::Corrupt(format!("målvärde {text:?}")))
}

/// The units' names: kind and place, numbered when the combinations run out.
fn unit_name(i: usize) -> String {
    let kind = UNIT_KINDS[i % UNIT_KINDS.len()];
    let place = PLACES[(i / UNIT_KINDS.len()) % PLACES.len()];
    let round = i / (UNIT_KINDS.len() * PLACES.len());
    if round == 0 {
        format!("{kind} {place}")
    } else {
        format!("{kind} {place} {}", round + 1)
    }
}

fn department_name(i: usize) -> String {
    let name = DEPARTMENTS[i % DEPARTMENTS.len()];
    let round = i / DEPARTMENTS.len();
    if round == 0 {
        format!("Avdelningen för {name}")
    } else {
        format!("Avdelningen för {name} {}", round + 1)
    }
}

/// A board goal's title and its indicator's name, unique for each `i` below 64.
fn board_goal(i: usize) -> (String, String) {
    let group = GROUPS[i % GROUPS.len()];
    let aim = AIMS[(i / GROUPS.len() + i) % AIMS.len()];
    let round = i / (GROUPS.len() * AIMS.len());
    let suffix = if round == 0 {
        String::new()
    } else {
        format!(" ({})", round + 1)
    };
    (
        format!("{group} {}{suffix}", aim.0),
        format!("Andel {} som {}{suffix}", group.to_lowercase(), aim.1),
    )
}

// ---- the organisation ----

struct Org {
    city: NodeId,
    board: NodeId,
    admin: NodeId,
    departments: Vec<NodeId>,
    /// Each unit with its department and operations.
    units: Vec<UnitNode>,
}

#[derive(Clone)]
struct UnitNode {
    /// Its place among the units, from 0.
    index: usize,
    id: NodeId,
    name: String,
    department: NodeId,
    operations: Vec<NodeId>,
}

/// A year's goals above the units.
#[derive(Default)]
struct YearGoals {
    /// The board's goals with their indicators.
    board: Vec<(GoalId, Vec<IndicatorId>)>,
    /// The council's area goals with their indicators.
    areas: Vec<(GoalId, Vec<IndicatorId>)>,
    /// Each department's goals, with their activities.
    departments: HashMap<NodeId, Vec<(GoalId, Vec<malkedja_domain::ActivityId>)>>,
}

/// What the generator counts.
#[derive(Default)]
struct Counts {
    goals: usize,
    indicators: usize,
    activities: usize,
    plans: usize,
    reports: usize,
}

/// Generates a synthetic district (see the module's description), reporting each step.
/// Refused with [`StoreError::Exists`] when the database already has an organisation,
/// unless [`Options::allow_existing`].
pub async fn generate(
    store: &Store,
    options: &Options,
    progress: &(dyn Fn(Progress<'_>) + Sync),
) -> R<Summary> {
    if options.units == 0 {
        return Err(StoreError::Corrupt("minst en enhet behövs".into()));
    }
    let total = options.steps();
    let mut done = 0;
    let mut step = |what: &str| {
        done += 1;
        progress(Progress { done, total, what });
    };
    let mut counts = Counts::default();

    let mut w = store.begin_write(ACTOR).await?;
    let existing = w.nodes().await?;
    if !existing.is_empty() && !options.allow_existing {
        w.rollback().await?;
        return Err(StoreError::Exists(
            "Databasen har redan en organisation. Den syntetiska stadsdelen läses bara in i en tom databas, om du inte uttryckligen ber om det.".into(),
        ));
    }
    let org = organisation(&mut w, options, &existing).await?;
    w.commit().await?;
    step("Organisation: stad, nämnd, förvaltning, avdelningar och enheter");

    let years = options.all_years();
    let mut tracks = Tracks::default();
    for &year in &years {
        let mut w = store.begin_write(ACTOR).await?;
        let goals = year_goals(&mut w, options, &org, year, &mut counts).await?;
        w.commit().await?;
        step(&format!("Mål för {year}"));
        for chunk in org.units.chunks(UNITS_PER_TRANSACTION) {
            let mut w = store.begin_write(ACTOR).await?;
            for unit in chunk {
                unit_year(
                    &mut w,
                    options,
                    unit,
                    year,
                    &goals,
                    &mut tracks,
                    &mut counts,
                )
                .await?;
            }
            w.commit().await?;
            for unit in chunk {
                step(&format!("{year}: {}", unit.name));
            }
        }
    }
    // What a bulk load needs before it is read: the planner's statistics (PostgreSQL's
    // autovacuum would gather them in time, when it runs; SQLite's planner has none until
    // asked).
    sqlx::query("ANALYZE").execute(&store.pool).await?;
    Ok(Summary {
        city: org.city,
        board: org.board,
        administration: org.admin,
        departments: org.departments.clone(),
        units: org.units.iter().map(|u| u.id).collect(),
        years,
        goals: counts.goals,
        indicators: counts.indicators,
        activities: counts.activities,
        plans: counts.plans,
        reports: counts.reports,
    })
}

async fn node(
    w: &mut Writer,
    parent: Option<NodeId>,
    kind: OrgKind,
    name: String,
    position: i64,
) -> R<NodeId> {
    Ok(w.create_node(NewNode {
        parent_id: parent,
        kind,
        name,
        position,
    })
    .await?
    .id)
}

async fn organisation(
    w: &mut Writer,
    options: &Options,
    existing: &[malkedja_domain::OrgNode],
) -> R<Org> {
    let roots = existing.iter().filter(|n| n.parent_id.is_none()).count();
    let city_name = if roots == 0 {
        "Exempelstaden".to_string()
    } else {
        format!("Exempelstaden {}", roots + 1)
    };
    let city = node(w, None, OrgKind::City, city_name, position(roots)).await?;
    let board = node(
        w,
        Some(city),
        OrgKind::Board,
        "Exempelstadens stadsdelsnämnd".into(),
        0,
    )
    .await?;
    let admin = node(
        w,
        Some(board),
        OrgKind::Administration,
        "Exempelstadens stadsdelsförvaltning".into(),
        0,
    )
    .await?;
    let mut departments = Vec::new();
    for d in 0..options.departments() {
        departments.push(
            node(
                w,
                Some(admin),
                OrgKind::Department,
                department_name(d),
                position(d),
            )
            .await?,
        );
    }
    let mut units = Vec::new();
    for i in 0..options.units {
        let department = departments[i / options.units_per_department.max(1)];
        let name = unit_name(i);
        let id = node(
            w,
            Some(department),
            OrgKind::Unit,
            name.clone(),
            position(i % options.units_per_department.max(1)),
        )
        .await?;
        let mut operations = Vec::new();
        for (o, label) in ["dagverksamhet", "kvälls- och helgverksamhet"]
            .iter()
            .enumerate()
        {
            operations.push(
                node(
                    w,
                    Some(id),
                    OrgKind::Operation,
                    format!("{name}, {label}"),
                    position(o),
                )
                .await?,
            );
        }
        units.push(UnitNode {
            index: i,
            id,
            name,
            department,
            operations,
        });
    }
    Ok(Org {
        city,
        board,
        admin,
        departments,
        units,
    })
}

/// A goal with the texts its level asks for.
async fn goal(
    w: &mut Writer,
    new: NewGoal,
    texts: &[(GoalSection, String)],
    counts: &mut Counts,
) -> R<GoalId> {
    let g = w.create_goal(new).await?;
    counts.goals += 1;
    for (section, body) in texts {
        w.set_goal_text(g.id, *section, body, time::OffsetDateTime::UNIX_EPOCH)
            .await?;
    }
    Ok(g.id)
}

#[allow(clippy::too_many_arguments)]
async fn indicator(
    w: &mut Writer,
    year: Year,
    goal: GoalId,
    owner: NodeId,
    s: &IndicatorSpec,
    name: &str,
    council_target: Option<Target>,
    position: i64,
    counts: &mut Counts,
) -> R<IndicatorId> {
    let i = w
        .create_indicator(NewIndicator {
            year,
            goal_id: goal,
            owner_id: owner,
            name: name.to_string(),
            unit_of_measure: s.unit_of_measure.map(str::to_string),
            periodicity: s.periodicity,
            direction: s.direction,
            value_kind: s.kind,
            by_sex: s.kind != ValueKind::Text && concerns_people(name),
            council_target,
            position,
        })
        .await?;
    counts.indicators += 1;
    Ok(i.id)
}

/// Whether a generated indicator concerns people, and so is reported for women and men.
fn concerns_people(name: &str) -> bool {
    let n = name.to_lowercase();
    [
        "brukare",
        "deltagare",
        "besökare",
        "äldre",
        "sjukfrånvaro",
        "invånare",
    ]
    .iter()
    .any(|w| n.contains(w))
}

async fn activity(
    w: &mut Writer,
    year: Year,
    goal: GoalId,
    owner: NodeId,
    a: (&str, Month, Month),
    position: i64,
    counts: &mut Counts,
) -> R<malkedja_domain::ActivityId> {
    let created = w
        .create_activity(NewActivity {
            year,
            goal_id: goal,
            owner_id: owner,
            title: a.0.to_string(),
            start: date(year, a.1, false)?,
            end: date(year, a.2, true)?,
            position,
        })
        .await?;
    counts.activities += 1;
    Ok(created.id)
}

/// The council's, board's and departments' goals of a year, and the administration's
/// deadlines.
async fn year_goals(
    w: &mut Writer,
    options: &Options,
    org: &Org,
    year: Year,
    counts: &mut Counts,
) -> R<YearGoals> {
    w.ensure_year(year).await?;
    let day = |y: Year, m: Month, d: u8| Date::from_calendar_date(y, m, d).ok();
    w.save_deadlines(&Deadlines {
        admin_id: org.admin,
        year,
        plan: day(year - 1, Month::November, 30),
        tertial1: day(year, Month::May, 15),
        tertial2: day(year, Month::September, 15),
        annual_report: day(year + 1, Month::February, 15),
        version: 0,
    })
    .await?;
    let mut out = YearGoals::default();
    let mut area_index = 0;
    for (d, (title, areas)) in DIRECTIONS.iter().enumerate() {
        let direction = goal(
            w,
            NewGoal {
                year,
                level: GoalLevel::Direction,
                owner_id: org.city,
                parent_id: None,
                number: Some((d + 1).to_string()),
                title: (*title).to_string(),
                position: position(d),
            },
            &[],
            counts,
        )
        .await?;
        for (a, area_title) in areas.iter().enumerate() {
            let area = goal(
                w,
                NewGoal {
                    year,
                    level: GoalLevel::Area,
                    owner_id: org.city,
                    parent_id: Some(direction),
                    number: Some(format!("{}.{}", d + 1, a + 1)),
                    title: (*area_title).to_string(),
                    position: position(a),
                },
                &[],
                counts,
            )
            .await?;
            let mut indicators = Vec::new();
            for (n, s) in COUNCIL_INDICATORS
                .iter()
                .enumerate()
                .filter(|(n, _)| COUNCIL_AREAS[*n] == area_index)
            {
                // Every other council target is left to the board; the board sets the
                // årsmål of every council indicator for its units.
                let council_target = if n % 2 == 1 {
                    Target::parse("Tas fram av nämnd")
                } else {
                    Some(target(s.target)?)
                };
                let id = indicator(
                    w,
                    year,
                    area,
                    org.city,
                    s,
                    s.name,
                    council_target,
                    position(indicators.len()),
                    counts,
                )
                .await?;
                w.set_target(id, org.board, &target(s.target)?).await?;
                indicators.push(id);
            }
            area_index += 1;
            out.areas.push((area, indicators));
        }
    }
    for i in 0..options.board_goals {
        let (title, measure) = board_goal(i);
        let (area, _) = out.areas[i % out.areas.len()];
        let texts = [
            (
                GoalSection::Description,
                format!(
                    "Nämnden vill att {}. Målet gäller alla nämndens verksamheter.",
                    title.to_lowercase()
                ),
            ),
            (
                GoalSection::ExpectedResult,
                "Resultatet följs upp med nämndens indikator och i enheternas verksamhetsberättelser.".to_string(),
            ),
        ];
        let g = goal(
            w,
            NewGoal {
                year,
                level: GoalLevel::Board,
                owner_id: org.board,
                parent_id: Some(area),
                number: None,
                title,
                position: position(i),
            },
            &texts,
            counts,
        )
        .await?;
        let s = spec(
            "",
            Percent,
            Higher,
            if i % 2 == 0 { Tertial } else { Yearly },
            None,
            "80 %",
        );
        let id = indicator(w, year, g, org.board, &s, &measure, None, 0, counts).await?;
        w.set_target(id, org.board, &target("80 %")?).await?;
        if i % 3 == 0 {
            activity(
                w,
                year,
                g,
                org.board,
                ACTIVITIES[i % ACTIVITIES.len()],
                0,
                counts,
            )
            .await?;
        }
        out.board.push((g, vec![id]));
    }
    for (d, dept) in org.departments.iter().enumerate() {
        let mut goals = Vec::new();
        for k in 0..2 {
            let (parent, _) = out.board[(d * 2 + k) % out.board.len().max(1)];
            let g = goal(
                w,
                NewGoal {
                    year,
                    level: GoalLevel::Department,
                    owner_id: *dept,
                    parent_id: Some(parent),
                    number: None,
                    title: format!(
                        "Avdelningens enheter samverkar kring {}",
                        [
                            "brukare med flera insatser",
                            "introduktionen av nya medarbetare"
                        ][k]
                    ),
                    position: position(k),
                },
                &[
                    (
                        GoalSection::Description,
                        "Enheterna i avdelningen arbetar tillsammans så att stödet hänger ihop."
                            .to_string(),
                    ),
                    (
                        GoalSection::ExpectedResult,
                        "Brukarna upplever ett sammanhållet stöd.".to_string(),
                    ),
                ],
                counts,
            )
            .await?;
            let a = activity(
                w,
                year,
                g,
                *dept,
                ACTIVITIES[(d + k) % ACTIVITIES.len()],
                0,
                counts,
            )
            .await?;
            goals.push((g, vec![a]));
        }
        out.departments.insert(*dept, goals);
    }
    Ok(out)
}

/// One unit's plan of a year, approved through the workflow, and its reports.
#[allow(clippy::too_many_arguments)]
async fn unit_year(
    w: &mut Writer,
    options: &Options,
    unit: &UnitNode,
    year: Year,
    goals: &YearGoals,
    tracks: &mut Tracks,
    counts: &mut Counts,
) -> R<()> {
    let plan = w.create_plan(unit.id, year).await?;
    counts.plans += 1;
    let mut contents = Contents::default();
    // Every board goal, its indicators and activities; the areas above them and the
    // council's indicators on them.
    let mut rng = Rng::seeded(&[&unit.name, "plan"]);
    for (area, indicators) in &goals.areas {
        contents.goals.insert(*area);
        for i in indicators {
            contents.indicators.insert(*i, IndicatorEntry::default());
        }
    }
    for (g, indicators) in &goals.board {
        contents.goals.insert(*g);
        for i in indicators {
            contents.indicators.insert(*i, IndicatorEntry::default());
        }
        for a in w.activities_on(*g).await? {
            contents.activities.insert(a.id, ActivityEntry::default());
        }
    }
    if let Some(dept) = goals.departments.get(&unit.department) {
        for (g, activities) in dept {
            contents.goals.insert(*g);
            for a in activities {
                contents.activities.insert(*a, ActivityEntry::default());
            }
        }
    }
    // Directions: the parents of the areas.
    let mut parents = Vec::new();
    for g in &contents.goals {
        if let Some(goal) = w.goal(*g).await?
            && goal.level == GoalLevel::Area
            && let Some(p) = goal.parent_id
        {
            parents.push(p);
        }
    }
    contents.goals.extend(parents);
    // Three unit goals of the unit's own under board goals, each with an indicator and an
    // activity.
    let first = rng.below(UNIT_GOALS.len());
    for k in 0..3 {
        let (title, s) = &UNIT_GOALS[(first + k * 3) % UNIT_GOALS.len()];
        let (parent, _) = goals.board[rng.below(goals.board.len())];
        let g = goal(
            w,
            NewGoal {
                year,
                level: GoalLevel::Unit,
                owner_id: unit.id,
                parent_id: Some(parent),
                number: None,
                title: (*title).to_string(),
                position: position(k),
            },
            &[
                (GoalSection::ExpectedResult, format!("{} under {year}.", title.trim_end_matches('.'))),
                (GoalSection::WorkingMethods, "Medarbetarna arbetar efter en gemensam rutin som gås igenom på arbetsplatsträffen.".to_string()),
                (GoalSection::FollowUp, "Indikatorn följs upp varje tertial av enhetschefen tillsammans med kvalitetsombuden.".to_string()),
            ],
            counts,
        )
        .await?;
        contents.goals.insert(g);
        let i = indicator(w, year, g, unit.id, s, s.name, None, 0, counts).await?;
        contents
            .indicators
            .insert(i, IndicatorEntry::with_target(Some(target(s.target)?)));
        let a = activity(
            w,
            year,
            g,
            unit.id,
            ACTIVITIES[(first + k) % ACTIVITIES.len()],
            0,
            counts,
        )
        .await?;
        contents.activities.insert(a, ActivityEntry::default());
    }
    w.set_contents(DocRef::Plan(plan.id), &contents).await?;
    for t in default_plan_template() {
        if let Some(text) = section_text(&t.key, &unit.name, year) {
            w.save_plan_section(plan.id, &t.key, &text, 0).await?;
        }
    }
    let plan = w
        .plan(unit.id, year)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("plan {year}")))?;
    let (plan, _) = w
        .transition_plan(plan.id, plan.version, PlanStatus::Submitted, "")
        .await?;
    w.transition_plan(plan.id, plan.version, PlanStatus::Approved, "")
        .await?;

    // Follow-up: the years before this one in full; this year the first tertial, in every
    // state.
    if year < options.this_year {
        let sent = match options.stage(unit.index) {
            Stage::NotBegun => return Ok(()),
            Stage::Draft => Sent::Draft,
            Stage::Submitted => Sent::Submitted,
            Stage::Approved => Sent::Approved,
        };
        for kind in ReportKind::ALL {
            if options.report_kinds.contains(&kind) {
                report(w, unit, year, kind, tracks, sent, counts).await?;
            }
        }
    } else {
        let mut r = Rng::seeded(&[&unit.name, "t1"]);
        let roll = r.unit();
        if roll < 0.1 {
            // Not begun.
        } else if roll < 0.25 {
            report(
                w,
                unit,
                year,
                ReportKind::Tertial1,
                tracks,
                Sent::Submitted,
                counts,
            )
            .await?;
        } else {
            report(
                w,
                unit,
                year,
                ReportKind::Tertial1,
                tracks,
                Sent::Draft,
                counts,
            )
            .await?;
        }
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sent {
    Draft,
    Submitted,
    Approved,
}

/// The generated outcomes of the units' indicators, followed over the years by unit and
/// name.
#[derive(Default)]
struct Tracks {
    /// (unit, indicator name) → yearly values.
    years: HashMap<(NodeId, String), HashMap<Year, f64>>,
}

impl Tracks {
    fn outcome(
        &mut self,
        unit: &UnitNode,
        view: &IndicatorView,
        shape: &Shape,
        year: Year,
        kind: ReportKind,
    ) -> Option<Generated> {
        let name = &view.indicator.name;
        let key = (unit.id, name.clone());
        if !self.years.contains_key(&key) {
            // A unit does about as well every year; its first year is the one asked first,
            // and the values of later years move towards the better side.
            let mut rng = Rng::seeded(&[&unit.name, name]);
            let form = Rng::seeded(&[&unit.name, "form"]).between(0.25, 0.95);
            let start = shape.around_target(
                &mut rng,
                fill::target_value(view.target.as_ref())?,
                form * 0.8,
            );
            let mut values = HashMap::new();
            let mut v = start;
            for y in year..year + 12 {
                values.insert(y, v);
                // One year on: the mirror of a step back.
                v = 2.0 * v - shape.earlier(&mut rng, v, 1)[0];
            }
            self.years.insert(key.clone(), values);
        }
        let values = self.years.get(&key)?;
        let annual = *values.get(&year)?;
        let previous = values.get(&(year - 1)).copied();
        let value = match kind {
            ReportKind::AnnualReport => annual,
            _ => {
                let mut rng = Rng::seeded(&[&unit.name, name, &year.to_string()]);
                let (t1, t2) = shape.tertials(&mut rng, previous.unwrap_or(annual), annual);
                if kind == ReportKind::Tertial1 { t1 } else { t2 }
            }
        };
        Some(Generated {
            shape: shape.clone(),
            value: Some(value),
            previous,
            analysis: None,
        })
    }
}

/// A unit's report of generated follow-up, sent as far as `sent` says.
async fn report(
    w: &mut Writer,
    unit: &UnitNode,
    year: Year,
    kind: ReportKind,
    tracks: &mut Tracks,
    sent: Sent,
    counts: &mut Counts,
) -> R<()> {
    let report = w.create_report(unit.id, year, kind).await?;
    counts.reports += 1;
    let plan = w
        .plan(unit.id, year)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("plan {year}")))?;
    if let Some(end) = fill::period_end(year, kind) {
        w.ensure_report(plan.id, kind, end.midnight().assume_utc())
            .await?;
    }
    let doc = w
        .report_document(unit.id, year, kind)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("rapport {year}")))?;
    let mut rng = Rng::seeded(&[&unit.name, &year.to_string(), kind.code()]);
    let deviating: Vec<malkedja_domain::ActivityId> = doc
        .goals
        .iter()
        .flat_map(malkedja_domain::CascadeGoal::walk)
        .flat_map(|g| &g.activities)
        .filter(|a| {
            kind != ReportKind::Tertial1
                && Rng::seeded(&[&unit.name, &a.title, &year.to_string()]).chance(0.06)
        })
        .map(|a| a.id)
        .collect();
    let made = fill::generated_report(
        &doc,
        &mut rng,
        &mut |v: &IndicatorView| {
            let i = &v.indicator;
            let shape = Shape::of(
                &i.name,
                i.value_kind,
                i.direction,
                i.unit_of_measure.as_deref(),
                None,
                i.by_sex,
            );
            tracks.outcome(unit, v, &shape, year, kind)
        },
        &|a| deviating.contains(&a.id),
    );
    w.write_follow_up(report.id, &made.writes).await?;
    w.set_outcome_context(report.id, &made.context).await?;
    if kind == ReportKind::AnnualReport {
        let mut lines = Vec::new();
        for (o, op) in unit.operations.iter().enumerate() {
            let mut r = Rng::seeded(&[&unit.name, &year.to_string(), &o.to_string()]);
            let budget = (r.between(1.5, 9.0) * 20.0).round() / 20.0;
            let outcome = budget * r.between(0.95, 1.05);
            lines.push(EconomyLineInput {
                operation_id: *op,
                budget: Some(format!("{} mnkr", fill::grouped(fill_decimal(budget, 2)))),
                forecast: None,
                outcome: Some(format!("{} mnkr", fill::grouped(fill_decimal(outcome, 2)))),
            });
        }
        let input = EconomyInput {
            lines,
            analysis: Some("Verksamheterna följer budgeten i stort; avvikelserna förklaras av bemanningen under semesterperioden.".into()),
            investments: None,
            premises: None,
        };
        w.write_economy(report.id, 0, &input).await?;
    }
    if sent == Sent::Draft {
        return Ok(());
    }
    let version = crate::followup::report_by_id(&mut w.tx, report.id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("rapport {}", report.id)))?
        .version;
    let (submitted, _) = w
        .transition_report(report.id, version, PlanStatus::Submitted, "")
        .await?;
    if sent == Sent::Approved {
        w.transition_report(report.id, submitted.version, PlanStatus::Approved, "")
            .await?;
    }
    Ok(())
}

/// `v` rounded to `scale` decimals.
fn fill_decimal(v: f64, scale: u32) -> malkedja_domain::Decimal {
    let f = 10f64.powi(i32::try_from(scale).unwrap_or(0));
    malkedja_domain::Decimal::new((v * f).round() as i64, scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        let units: std::collections::HashSet<String> = (0..400).map(unit_name).collect();
        assert_eq!(units.len(), 400);
        let goals: std::collections::HashSet<String> = (0..100).map(|i| board_goal(i).0).collect();
        assert_eq!(goals.len(), 100);
        let measures: std::collections::HashSet<String> =
            (0..100).map(|i| board_goal(i).1).collect();
        assert_eq!(measures.len(), 100);
        assert_eq!(department_name(9), "Avdelningen för funktionsstöd 2");
    }

    #[test]
    fn every_section_that_asks_for_text_gets_some() {
        for t in default_plan_template() {
            let children = default_plan_template()
                .iter()
                .any(|c| c.parent_key.as_deref() == Some(t.key.as_str()));
            if !t.guidance.trim().is_empty() && !children {
                assert!(section_text(&t.key, "Enheten", 2025).is_some(), "{}", t.key);
            }
        }
    }

    #[test]
    fn the_years_end_with_this_one() {
        let o = Options {
            this_year: 2026,
            ..Options::new(5, 3)
        };
        assert_eq!(o.all_years(), [2023, 2024, 2025, 2026]);
        assert_eq!(o.steps(), 1 + 4 * 6);
        assert_eq!(Options::new(300, 4).departments(), 25);
    }
}
