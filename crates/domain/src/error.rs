use crate::{GoalLevel, OrgKind};

/// A rule of the domain was broken. Messages are Swedish: they reach users as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("{child} kan inte ligga under {parent} i organisationen")]
    NodeParent { child: OrgKind, parent: OrgKind },
    #[error("en {0} måste ligga under en annan nod i organisationen")]
    NodeNeedsParent(OrgKind),
    #[error("namnet får inte vara tomt")]
    EmptyName,
    #[error("{node} kan inte flyttas under sig själv")]
    NodeUnderItself { node: String },
    #[error("{node} kan inte flyttas under {parent}, som ligger under den")]
    NodeUnderDescendant { node: String, parent: String },
    #[error(
        "{node} kan inte flyttas under {parent}: den bygger på {}, som då inte längre skulle ligga ovanför den",
        crate::org::list_sv(items, 5)
    )]
    MoveLosesInherited {
        node: String,
        parent: String,
        items: Vec<String>,
    },
    #[error("namnet får vara högst {0} tecken")]
    NameTooLong(usize),
    #[error("{node} kan inte ligga under {parent}, som är avvecklad")]
    UnderClosed { node: String, parent: String },
    #[error("{0} kan inte avvecklas: den är organisationens topp")]
    CannotClose(String),
    #[error("{node} är redan avvecklad sedan {on}")]
    AlreadyClosed { node: String, on: String },
    #[error("{0} är inte avvecklad")]
    NotClosed(String),
    #[error("{node} ligger under {parent}, som är avvecklad: återöppna den först")]
    ReopenUnderClosed { node: String, parent: String },
    /// A deadline that cannot be used ([`crate::Deadlines::problems`]): the sentence says
    /// which and why.
    #[error("{0}")]
    Deadline(String),
    #[error(transparent)]
    Year(#[from] crate::YearError),
    #[error("rubriken får inte vara tom")]
    EmptyTitle,
    #[error("ett {child} kan inte ligga under ett {parent}")]
    GoalParent { child: GoalLevel, parent: GoalLevel },
    #[error("ett {0} måste ligga under ett mål på nivån ovanför")]
    GoalNeedsParent(GoalLevel),
    #[error("ett {0} ligger överst och kan inte ha något överordnat mål")]
    GoalHasParent(GoalLevel),
    #[error("målet ligger under ett mål från år {parent_year}, men gäller år {year}")]
    GoalYear { year: i32, parent_year: i32 },
    #[error("ett {level} kan inte ägas av en {owner}")]
    GoalOwner { level: GoalLevel, owner: OrgKind },
    #[error("ett {0} måste ha ett nummer")]
    GoalNeedsNumber(GoalLevel),
    #[error(
        "numret {number} passar inte under inriktningsmål {parent}: det ska börja med \"{parent}.\""
    )]
    AreaNumber { number: String, parent: String },
    #[error("numret \"{0}\" är inte ett giltigt målnummer")]
    BadNumber(String),
    #[error("målet ägs av en nod som inte ligger ovanför eller på enheten")]
    GoalNotInherited,
    #[error(
        "en indikator eller aktivitet ägs av målets ägare eller en nod under den, inte av en nod som ligger vid sidan av eller ovanför"
    )]
    ItemOwner,
    #[error("indikatorn eller aktiviteten hör till en annan enhet och kan inte tas med här")]
    ItemNotInherited,
    #[error("slutdatum {end} ligger före startdatum {start}")]
    ActivityDates { start: time::Date, end: time::Date },
    #[error(
        "aktiviteter kan bara ligga under nämnd-, avdelnings- eller enhetsmål, inte under ett {0}"
    )]
    ActivityLevel(GoalLevel),
    #[error(
        "indikatorer kan bara ligga under verksamhetsområdesmål, nämndmål eller enhetsmål, inte under ett {0}"
    )]
    IndicatorLevel(GoalLevel),
    #[error(
        "{0} kan inte väljas i enhetens plan: där väljs nämndens och avdelningens mål och aktiviteter och indikatorer som bestämts ovanför enheten"
    )]
    NotSelectable(String),
    #[error(
        "målet \"{0}\" är inte ett tal: skriv det som ett tal, till exempel 90 eller 90 %, eller skriv \"Tas fram av nämnd\""
    )]
    TargetNotNumber(String),
    #[error(
        "en textindikator kan inte redovisas för kvinnor och män: ta bort markeringen eller välj ett slag av värde som är ett tal"
    )]
    TextBySex,
    #[error("avsnittet {section} hör inte till ett {level}")]
    SectionLevel {
        section: &'static str,
        level: GoalLevel,
    },
    /// A memo field ([`crate::Memo`]) over its limit; `field` is the field's name.
    #[error("fältet får vara högst {max} tecken")]
    TooLong { field: &'static str, max: usize },
}
