use crate::{NodeId, PlanId, Year};
use serde::{Deserialize, Serialize};

/// Where the plan's status stands in its workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    Draft,
    Submitted,
    Approved,
    Returned,
}

impl PlanStatus {
    pub fn code(self) -> &'static str {
        match self {
            PlanStatus::Draft => "draft",
            PlanStatus::Submitted => "submitted",
            PlanStatus::Approved => "approved",
            PlanStatus::Returned => "returned",
        }
    }
    pub fn from_code(code: &str) -> Option<PlanStatus> {
        match code {
            "draft" => Some(PlanStatus::Draft),
            "submitted" => Some(PlanStatus::Submitted),
            "approved" => Some(PlanStatus::Approved),
            "returned" => Some(PlanStatus::Returned),
            _ => None,
        }
    }
    /// Whether the unit's writers may change a document in this status: a draft, or one
    /// returned to them. Submitted, it is with the controller; approved, it is a record.
    pub fn open_for_writing(self) -> bool {
        matches!(self, PlanStatus::Draft | PlanStatus::Returned)
    }

    pub fn label(self) -> &'static str {
        match self {
            PlanStatus::Draft => "Utkast",
            PlanStatus::Submitted => "Inskickad",
            PlanStatus::Approved => "Fastställd",
            PlanStatus::Returned => "Återremitterad",
        }
    }
}

/// Why a plan exists: it was written (or imported) as a plan, or it only holds the reports
/// of its year because a report was imported before any plan. Such a plan has no planning
/// texts of its own and says so, rather than show the report's later texts as if planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanOrigin {
    Plan,
    Report,
}

impl PlanOrigin {
    pub fn code(self) -> &'static str {
        match self {
            PlanOrigin::Plan => "plan",
            PlanOrigin::Report => "report",
        }
    }
    pub fn from_code(code: &str) -> Option<PlanOrigin> {
        match code {
            "plan" => Some(PlanOrigin::Plan),
            "report" => Some(PlanOrigin::Report),
            _ => None,
        }
    }
}

/// A unit's plan (verksamhetsplan) for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub id: PlanId,
    pub unit_id: NodeId,
    pub year: Year,
    pub status: PlanStatus,
    pub version: i64,
    pub origin: PlanOrigin,
}

/// Whether a section is printed before or after the goal cascade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    BeforeCascade,
    AfterCascade,
}

impl Placement {
    pub fn code(self) -> &'static str {
        match self {
            Placement::BeforeCascade => "before_cascade",
            Placement::AfterCascade => "after_cascade",
        }
    }
    pub fn from_code(code: &str) -> Option<Placement> {
        match code {
            "before_cascade" => Some(Placement::BeforeCascade),
            "after_cascade" => Some(Placement::AfterCascade),
            _ => None,
        }
    }
}

/// One section of a plan template. An administration sets the template for a year: which
/// sections a plan has, in which order, and the guidance shown to writers. Guidance is
/// never printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateSection {
    /// Stable key, e.g. "uppdrag".
    pub key: String,
    pub parent_key: Option<String>,
    /// Heading; "{år}" is replaced by the plan's year.
    pub heading: String,
    pub guidance: String,
    pub placement: Placement,
    pub position: i64,
}

impl TemplateSection {
    pub fn heading_for(&self, year: Year) -> String {
        self.heading.replace("{år}", &year.to_string())
    }
}

/// The text a unit wrote in one section of its plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSection {
    pub plan_id: PlanId,
    pub key: String,
    pub body: String,
    pub version: i64,
}

/// The sections of a plan as the city's plans lay them out: Inledning before the goal
/// cascade; economy and Övrigt (systematic quality work, the quality programme, Agenda 2030)
/// after it. An administration starts from this and adapts it.
pub fn default_plan_template() -> Vec<TemplateSection> {
    use Placement::{AfterCascade as After, BeforeCascade as Before};
    let rows: &[(&str, Option<&str>, &str, &str, Placement)] = &[
        ("inledning", None, "Inledning", "", Before),
        (
            "uppdrag",
            Some("inledning"),
            "Enhetens uppdrag",
            "Beskriv enhetens uppdrag: vilka ni finns till för, vilka insatser ni utför och på vilken grund.",
            Before,
        ),
        (
            "utvecklingsomraden",
            Some("inledning"),
            "Utvecklingsområden {år}",
            "Vad ska enheten särskilt utveckla under året, och varför?",
            Before,
        ),
        (
            "organisation",
            Some("inledning"),
            "Organisationsbeskrivning",
            "Beskriv enhetens verksamheter, chefer och medarbetare, antal brukare eller deltagare, och hur medarbetarna har varit delaktiga i planen. Ange när planen gås igenom på arbetsplatsträff.",
            Before,
        ),
        ("ekonomi", None, "Redovisning av ekonomi", "", After),
        (
            "resursanvandning",
            Some("ekonomi"),
            "Resursanvändning",
            "Hur använder enheten sina resurser (medarbetare, lokaler, inköp) effektivt?",
            After,
        ),
        (
            "budget",
            Some("ekonomi"),
            "Budget {år}",
            "Ange budgetens storlek, jämför med föregående år och beskriv hur budgeten följs upp.",
            After,
        ),
        ("ovrigt", None, "Övrigt", "", After),
        (
            "kvalitetsarbete",
            Some("ovrigt"),
            "Systematiskt kvalitetsarbete",
            "Systematiskt kvalitetsarbete enligt SOSFS 2011:9. Beskriv under rubrikerna nedan hur enheten arbetar.",
            After,
        ),
        (
            "synpunkter",
            Some("kvalitetsarbete"),
            "Synpunkter och klagomål",
            "Hur tas synpunkter, klagomål och beröm emot, återkopplas och används för att förbättra verksamheten?",
            After,
        ),
        (
            "avvikelser",
            Some("kvalitetsarbete"),
            "Avvikelser och Lex Sarah",
            "Hur rapporteras och hanteras avvikelser, och hur informeras medarbetarna om Lex Sarah?",
            After,
        ),
        (
            "brukarundersokning",
            Some("kvalitetsarbete"),
            "Brukarundersökning",
            "Hur genomförs brukarundersökningar och hur används resultaten?",
            After,
        ),
        (
            "egenkontroller",
            Some("kvalitetsarbete"),
            "Egenkontroller",
            "Vilka egenkontroller gör enheten och hur ofta?",
            After,
        ),
        (
            "utvecklingsarbete",
            Some("kvalitetsarbete"),
            "Övrigt utvecklingsarbete",
            "Annat utvecklingsarbete som rör kvaliteten.",
            After,
        ),
        (
            "personalens_medverkan",
            Some("kvalitetsarbete"),
            "Personalens medverkan i kvalitetsarbetet",
            "Hur deltar medarbetarna i kvalitetsarbetet?",
            After,
        ),
        (
            "kvalitetsprogram",
            Some("ovrigt"),
            "Stadens kvalitetsprogram",
            "Vilka av kvalitetsprogrammets sex förhållningssätt fokuserar enheten på i år, och hur?",
            After,
        ),
        (
            "stockholmarna_i_fokus",
            Some("kvalitetsprogram"),
            "Stockholmarna i fokus",
            "",
            After,
        ),
        (
            "helhetssyn",
            Some("kvalitetsprogram"),
            "Helhetssyn",
            "",
            After,
        ),
        (
            "hallbarhet",
            Some("kvalitetsprogram"),
            "Hållbarhet",
            "",
            After,
        ),
        (
            "handlingsutrymme",
            Some("kvalitetsprogram"),
            "Handlingsutrymme",
            "",
            After,
        ),
        ("larande", Some("kvalitetsprogram"), "Lärande", "", After),
        ("oppenhet", Some("kvalitetsprogram"), "Öppenhet", "", After),
        (
            "agenda2030",
            Some("ovrigt"),
            "Agenda 2030",
            "Hur bidrar enheten till målen i Agenda 2030?",
            After,
        ),
    ];
    rows.iter()
        .enumerate()
        .map(
            |(i, (key, parent, heading, guidance, placement))| TemplateSection {
                key: (*key).into(),
                parent_key: parent.map(Into::into),
                heading: (*heading).into(),
                guidance: (*guidance).into(),
                placement: *placement,
                position: i as i64,
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn writers_write_drafts_and_returned_documents_only() {
        assert!(PlanStatus::Draft.open_for_writing());
        assert!(PlanStatus::Returned.open_for_writing());
        assert!(!PlanStatus::Submitted.open_for_writing());
        assert!(!PlanStatus::Approved.open_for_writing());
    }

    use super::*;

    #[test]
    fn template_follows_the_seed_order_and_parents_exist() {
        let t = default_plan_template();
        let keys: Vec<&str> = t.iter().map(|s| s.key.as_str()).collect();
        for s in &t {
            if let Some(p) = &s.parent_key {
                let pi = keys.iter().position(|k| k == p).expect("parent exists");
                let si = keys.iter().position(|k| *k == s.key).unwrap();
                assert!(pi < si, "{} comes after its parent", s.key);
            }
        }
        let before: Vec<&str> = t
            .iter()
            .filter(|s| s.placement == Placement::BeforeCascade)
            .map(|s| s.key.as_str())
            .collect();
        assert_eq!(
            before,
            ["inledning", "uppdrag", "utvecklingsomraden", "organisation"]
        );
        assert_eq!(t[2].heading_for(2026), "Utvecklingsområden 2026");
    }
}
