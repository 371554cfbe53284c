//! The main reader: walks the classified lines and builds the document.

use crate::lines::{GOAL_SECTIONS, Kind, Tok, goal_prefix};
use crate::model::{
    Activity, Complaint, Goal, GoalLevel, GoalSections, Indicator, Section, Warning,
};
use crate::para::{Layout, Para, one_line, paragraphs};
use crate::tables::{PlanActivities, PlanIndicators, Sink, TabKind, TabTable};
use crate::text::{
    char_len, collapse_ws, ends_sentence, find_year, first_word, is_bullet, join_words,
    starts_lowercase, starts_uppercase,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Front,
    Cascade,
    Back,
}

enum Table<'a> {
    PlanIndicators(PlanIndicators<'a>),
    PlanActivities(PlanActivities<'a>),
    Tab(Box<TabTable>),
}

struct GoalText<'a> {
    heading: Option<String>,
    analysis: bool,
    lines: Vec<Tok<'a>>,
}

struct TopText<'a> {
    heading: Option<String>,
    lines: Vec<Tok<'a>>,
}

/// Everything read from the body of the document.
#[derive(Default)]
pub struct Body {
    pub sections: Vec<Section>,
    /// Number of sections before the first goal.
    pub front_sections: usize,
    pub goals: Vec<Goal>,
    pub indicators: Vec<Indicator>,
    pub activities: Vec<Activity>,
    pub complaints: Vec<Complaint>,
    pub warnings: Vec<Warning>,
    /// Assessment lines or follow-up tables were seen.
    pub follow_up: bool,
    /// Years in plan indicator headers ("KF:s årsmål år 2025").
    pub header_years: Vec<i32>,
    /// Years in complaints headers ("Utfall T1 2025").
    pub complaint_years: Vec<i32>,
    /// Period cells of follow-up indicator rows.
    pub periods: Vec<String>,
}

/// Headings of front and back matter that the template uses.
const KNOWN_HEADINGS: &[&str] = &[
    "Inledning",
    "Enhetens uppdrag",
    "Organisationsbeskrivning",
    "Verksamhetsbeskrivning",
    "Medarbetare",
    "Medarbetarnas delaktighet",
    "Kompetensutveckling",
    "Förslag till beslut",
    "Sammanfattande analys",
    "Kvalitet- och utvecklingsarbete",
    "Kvalitets- och utvecklingsarbete",
    "Uppföljning av Kommunfullmäktiges inriktningsmål",
    "Redovisning av ekonomi",
    "Uppföljning av ekonomi",
    "Ekonomi",
    "Resursanvändning",
    "Investeringar",
    "Medel för lokaländamål",
    "Övrigt",
    "Systematiskt kvalitetsarbete",
    "Synpunkter och klagomål",
    "Avvikelser och Lex Sarah",
    "Avvikelser och Lex Sarah och Lex Maria",
    "Brukarundersökning",
    "Egenkontroller",
    "Övrigt utvecklingsarbete",
    "Personalens medverkan i kvalitetsarbetet",
    "Kvalitetsarbete",
    "Stockholms stads kvalitetsprogram",
    "Externa granskningar/tillsyn/brukarundersökningar",
    "Agenda 2030",
    "Redovisning av synpunkter och klagomål",
];

/// Headings with a year: "Budget 2025", "Utvecklingsområden 2026".
const YEAR_HEADINGS: &[&str] = &[
    "Budget",
    "Utvecklingsområden",
    "Kompetensutveckling",
    "Kvalitets- och utvecklingsarbete",
    "Verksamhetsplan",
];

/// Headings that end the goal cascade.
const BACK_HEADINGS: &[&str] = &[
    "Redovisning av ekonomi",
    "Uppföljning av ekonomi",
    "Ekonomi",
    "Övrigt",
    "Systematiskt kvalitetsarbete",
    "Agenda 2030",
    "Redovisning av synpunkter och klagomål",
    "Investeringar",
    "Medel för lokaländamål",
];

/// Sub-headings that exports sometimes run into the first line of their text.
const INLINE_HEADINGS: &[&str] = &[
    "Synpunkter och klagomål",
    "Avvikelser och Lex Sarah",
    "Brukarundersökning",
    "Egenkontroller",
    "Övrigt utvecklingsarbete",
    "Personalens medverkan i kvalitetsarbetet",
    "Kvalitetsarbete",
    "Stockholms stads kvalitetsprogram",
];

fn is_year_heading(t: &str) -> bool {
    YEAR_HEADINGS.iter().any(|h| {
        t.strip_prefix(h)
            .is_some_and(|r| r.starts_with(' ') && crate::text::parse_year(r.trim()).is_some())
    })
}

/// A known heading of the template (exact line).
pub fn is_known_heading(t: &str) -> bool {
    let c = collapse_ws(t);
    KNOWN_HEADINGS.contains(&c.as_str())
        || is_year_heading(&c)
        || c.starts_with("Analys av resultaträkning")
}

fn is_back_heading(t: &str) -> bool {
    let c = collapse_ws(t);
    BACK_HEADINGS.contains(&c.as_str())
        || c.starts_with("Analys av resultaträkning")
        || c.strip_prefix("Budget ")
            .is_some_and(|r| crate::text::parse_year(r).is_some())
}

/// Imperative verbs that start template instructions.
const IMPERATIVES: &[&str] = &[
    "Beskriv",
    "Redogör",
    "Ange",
    "Jämför",
    "Redovisa",
    "Fyll",
    "Skriv",
    "Sammanfatta",
    "Kommentera",
    "Förklara",
    "Motivera",
    "Lägg",
    "Infoga",
    "Klistra",
    "Välj",
    "Observera",
    "OBS",
    "Analysera",
    "Presentera",
    "Specificera",
    "Uppge",
    "Notera",
    "Ta",
];

const SECOND_PERSON: &[&str] = &["ni", "er", "era", "ert", "du", "din", "ditt", "dina", "dig"];

/// True for a paragraph that is an instruction of the document template.
pub fn is_instruction(text: &str) -> bool {
    let fw = first_word(text).trim_end_matches([',', ':', '.']);
    if !IMPERATIVES.contains(&fw) {
        return false;
    }
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    if words.iter().any(|w| SECOND_PERSON.contains(&w.as_str())) || text.contains("och/eller") {
        return true;
    }
    let imperative_sentences = text
        .split(['.', '!', '?'])
        .filter(|s| IMPERATIVES.contains(&first_word(s)))
        .count();
    imperative_sentences >= 2
}

struct Parser<'a, 't> {
    toks: &'t [Tok<'a>],
    layout: Layout,
    mode: Mode,
    body: Body,
    top: Option<TopText<'a>>,
    goal_text: Option<GoalText<'a>>,
    cur_goal: Option<usize>,
    table: Option<Table<'a>>,
    last_direction: Option<usize>,
    last_area: Option<usize>,
    last_board: Option<usize>,
    /// A department goal headed "Avdelningsmål:" (Målkedja's own documents): the unit
    /// goals after it, up to the next board goal, are its own. The old system's
    /// "Enhetsmål: Avdelningsmål:" is a sibling of the unit goals instead.
    last_department: Option<usize>,
    last_heading_no: usize,
}

/// Reads the body of a prepared document.
pub fn read_body(toks: &[Tok<'_>], layout: Layout) -> Body {
    let mut p = Parser {
        toks,
        layout,
        mode: Mode::Front,
        body: Body::default(),
        top: None,
        goal_text: None,
        cur_goal: None,
        table: None,
        last_direction: None,
        last_area: None,
        last_board: None,
        last_department: None,
        last_heading_no: 0,
    };
    p.run();
    p.body
}

impl<'a, 't> Parser<'a, 't> {
    fn sink(&mut self) -> Sink<'_> {
        Sink {
            indicators: &mut self.body.indicators,
            activities: &mut self.body.activities,
            complaints: &mut self.body.complaints,
            warnings: &mut self.body.warnings,
            periods: &mut self.body.periods,
        }
    }

    fn run(&mut self) {
        let mut i = 0;
        while let Some(&t) = self.toks.get(i) {
            if self.feed_table(t) {
                i += 1;
                continue;
            }
            match t.kind {
                Kind::Goal(level) => {
                    i = self.start_goal(i, level);
                    continue;
                }
                Kind::GoalSection(k) => {
                    let name = GOAL_SECTIONS.get(k).copied().unwrap_or("");
                    if self.mode == Mode::Cascade && self.cur_goal.is_some() {
                        self.flush_goal_text();
                        self.goal_text = Some(GoalText {
                            heading: Some(name.to_string()),
                            analysis: false,
                            lines: Vec::new(),
                        });
                    } else {
                        self.start_top(name.to_string(), t.no);
                    }
                }
                Kind::Analys => {
                    if self.mode == Mode::Cascade && self.cur_goal.is_some() {
                        self.flush_goal_text();
                        self.goal_text = Some(GoalText {
                            heading: None,
                            analysis: true,
                            lines: Vec::new(),
                        });
                    } else {
                        self.start_top("Analys".to_string(), t.no);
                    }
                }
                Kind::Assessment(a) => {
                    self.body.follow_up = true;
                    match self.cur_goal.and_then(|g| self.body.goals.get_mut(g)) {
                        Some(goal) if self.mode == Mode::Cascade => {
                            if goal.assessment.is_none() {
                                goal.assessment = Some(a);
                            }
                        }
                        _ => self.text_line(i),
                    }
                }
                Kind::PlanIndicatorHeader => {
                    self.before_table();
                    if let Some(y) = find_year(t.raw) {
                        self.body.header_years.push(y);
                    }
                    self.table = Some(Table::PlanIndicators(PlanIndicators::new(self.cur_goal)));
                }
                Kind::PlanActivityHeader => {
                    self.before_table();
                    self.table = Some(Table::PlanActivities(PlanActivities::new(self.cur_goal)));
                }
                Kind::TabIndicatorHeader | Kind::TabActivityHeader => {
                    self.before_table();
                    self.body.follow_up = true;
                    let kind = if t.kind == Kind::TabIndicatorHeader {
                        TabKind::Indicators
                    } else {
                        TabKind::Activities
                    };
                    self.table = Some(Table::Tab(Box::new(TabTable::new(
                        kind,
                        t.raw,
                        self.cur_goal,
                    ))));
                }
                Kind::ComplaintsHeader => {
                    self.before_table();
                    if let Some(y) = find_year(t.raw) {
                        self.body.complaint_years.push(y);
                    }
                    let table = TabTable::new(TabKind::Complaints, t.raw, self.cur_goal);
                    self.table = Some(Table::Tab(Box::new(table)));
                }
                Kind::Empty | Kind::Blank | Kind::Text => self.text_line(i),
            }
            i += 1;
        }
        self.finish_table();
        self.flush_goal_text();
        self.flush_top();
        if self.body.goals.is_empty() {
            self.body.front_sections = self.body.sections.len();
        }
    }

    /// Offers a line to the open table. Returns true if the table took it.
    fn feed_table(&mut self, t: Tok<'a>) -> bool {
        let Some(mut table) = self.table.take() else {
            return false;
        };
        let taken = {
            let mut sink = Sink {
                indicators: &mut self.body.indicators,
                activities: &mut self.body.activities,
                complaints: &mut self.body.complaints,
                warnings: &mut self.body.warnings,
                periods: &mut self.body.periods,
            };
            match &mut table {
                Table::PlanIndicators(r) => match t.kind {
                    Kind::PlanIndicatorHeader => {
                        r.header_repeat();
                        true
                    }
                    Kind::Empty | Kind::Blank => {
                        r.feed(t, &mut sink);
                        true
                    }
                    Kind::Text if !is_known_heading(t.raw) => {
                        r.feed(t, &mut sink);
                        true
                    }
                    _ => false,
                },
                Table::PlanActivities(r) => match t.kind {
                    Kind::PlanActivityHeader => {
                        r.header_repeat();
                        true
                    }
                    Kind::Empty | Kind::Blank => {
                        r.feed(t, &mut sink);
                        true
                    }
                    Kind::Text if !is_known_heading(t.raw) => {
                        r.feed(t, &mut sink);
                        true
                    }
                    _ => false,
                },
                Table::Tab(r) => {
                    let same_header = matches!(
                        (r.kind, t.kind),
                        (TabKind::Indicators, Kind::TabIndicatorHeader)
                            | (TabKind::Activities, Kind::TabActivityHeader)
                            | (TabKind::Complaints, Kind::ComplaintsHeader)
                    );
                    if same_header {
                        r.header_repeat();
                        true
                    } else if r.accepts(&t) {
                        r.feed(t, &mut sink);
                        true
                    } else {
                        false
                    }
                }
            }
        };
        self.table = Some(table);
        if !taken {
            self.finish_table();
        }
        taken
    }

    fn finish_table(&mut self) {
        let Some(table) = self.table.take() else {
            return;
        };
        let mut sink = self.sink();
        match table {
            Table::PlanIndicators(r) => r.finish(&mut sink),
            Table::PlanActivities(r) => r.finish(&mut sink),
            Table::Tab(_) => {}
        }
    }

    fn before_table(&mut self) {
        self.finish_table();
        if self.mode == Mode::Cascade {
            self.flush_goal_text();
        }
    }

    /// Reads a goal heading and its wrapped title; returns the next line index.
    fn start_goal(&mut self, i: usize, level: GoalLevel) -> usize {
        self.finish_table();
        self.flush_goal_text();
        self.flush_top();
        if self.mode == Mode::Front {
            self.body.front_sections = self.body.sections.len();
        }
        self.mode = Mode::Cascade;
        let Some(&t) = self.toks.get(i) else {
            return i + 1;
        };
        let own_department = t.trimmed().starts_with("Avdelningsmål:");
        let rest = goal_prefix(t.trimmed()).map(|(_, r)| r).unwrap_or("");
        let mut title = collapse_ws(rest);
        let mut j = i + 1;
        let mut taken = 0;
        while taken < 10 {
            let Some(&u) = self.toks.get(j) else { break };
            match u.kind {
                Kind::Text if !is_known_heading(u.raw) && !u.raw.contains('\t') => {
                    join_words(&mut title, u.raw);
                    j += 1;
                    taken += 1;
                }
                Kind::Empty if self.layout.double_spaced && !ends_sentence(&title) => {
                    let next = self.toks.get(j + 1).filter(|n| {
                        n.kind == Kind::Text && starts_lowercase(n.raw) && !n.raw.contains('\t')
                    });
                    if next.is_some() {
                        j += 1;
                    } else {
                        break;
                    }
                }
                _ => break,
            }
        }
        let (number, title) = match level {
            GoalLevel::Direction | GoalLevel::Area => split_number(&title),
            _ => (None, title),
        };
        let parent = match level {
            GoalLevel::Direction => None,
            GoalLevel::Area => self.last_direction,
            GoalLevel::Board => self.last_area.or(self.last_direction),
            GoalLevel::Department => self.last_board.or(self.last_area).or(self.last_direction),
            GoalLevel::Unit => self
                .last_department
                .or(self.last_board)
                .or(self.last_area)
                .or(self.last_direction),
        };
        if title.is_empty() {
            self.body.warnings.push(Warning {
                line: t.no,
                message: "målrubrik utan titel".to_string(),
            });
        }
        let idx = self.body.goals.len();
        self.body.goals.push(Goal {
            level,
            number,
            title,
            parent,
            sections: GoalSections::default(),
            assessment: None,
            analysis: None,
        });
        match level {
            GoalLevel::Direction => {
                self.last_direction = Some(idx);
                self.last_area = None;
                self.last_board = None;
                self.last_department = None;
            }
            GoalLevel::Area => {
                self.last_area = Some(idx);
                self.last_board = None;
                self.last_department = None;
            }
            GoalLevel::Board => {
                self.last_board = Some(idx);
                self.last_department = None;
            }
            GoalLevel::Department => {
                self.last_department = own_department.then_some(idx);
            }
            GoalLevel::Unit => {}
        }
        self.cur_goal = Some(idx);
        j
    }

    fn text_line(&mut self, i: usize) {
        let Some(&t) = self.toks.get(i) else { return };
        match self.mode {
            Mode::Cascade => {
                if t.kind == Kind::Text && is_back_heading(t.raw) {
                    self.flush_goal_text();
                    self.mode = Mode::Back;
                    self.start_top(collapse_ws(t.raw), t.no);
                    return;
                }
                match self.goal_text.as_mut() {
                    Some(gt) => gt.lines.push(t),
                    None => {
                        if t.kind != Kind::Text || self.cur_goal.is_none() {
                            return;
                        }
                        self.goal_text = Some(GoalText {
                            heading: None,
                            analysis: false,
                            lines: vec![t],
                        });
                    }
                }
            }
            Mode::Front | Mode::Back => {
                if t.kind == Kind::Text
                    && let Some((heading, rest)) = self.top_heading(i)
                {
                    self.start_top(heading, t.no);
                    if let Some(rest) = rest
                        && let Some(top) = self.top.as_mut()
                    {
                        top.lines.push(Tok {
                            no: t.no,
                            raw: rest,
                            kind: Kind::Text,
                        });
                    }
                    return;
                }
                match self.top.as_mut() {
                    Some(top) => top.lines.push(t),
                    None => {
                        if t.kind == Kind::Text {
                            self.top = Some(TopText {
                                heading: None,
                                lines: vec![t],
                            });
                        }
                    }
                }
            }
        }
    }

    /// Decides whether line `i` of the front or back matter is a heading.
    fn top_heading(&self, i: usize) -> Option<(String, Option<&'a str>)> {
        let t = self.toks.get(i)?;
        let tr = t.trimmed();
        if t.raw.contains('\t') {
            return None;
        }
        if is_known_heading(tr) {
            return Some((collapse_ws(tr), None));
        }
        let prev = i.checked_sub(1).and_then(|p| self.toks.get(p));
        let after_gap = match prev {
            None => true,
            Some(p) => p.kind != Kind::Text || p.no == self.last_heading_no,
        };
        if !after_gap {
            return None;
        }
        // The previous text line must have ended its paragraph.
        let prev_text = self.toks.get(..i).and_then(|s| {
            s.iter()
                .rev()
                .find(|p| p.kind != Kind::Empty && p.kind != Kind::Blank)
        });
        if let Some(p) = prev_text
            && p.kind == Kind::Text
            && p.no != self.last_heading_no
            && self.layout.double_spaced
            && !ends_sentence(p.raw)
            && !self.layout.is_short(p.raw, tr)
        {
            return None;
        }
        for h in INLINE_HEADINGS {
            if let Some(rest) = tr.strip_prefix(h)
                && rest.starts_with(' ')
                && starts_uppercase(rest)
            {
                let start = t.raw.len() - t.raw.trim_start().len() + h.len();
                return Some((h.to_string(), t.raw.get(start..).map(str::trim_start)));
            }
        }
        let words = tr.split_whitespace().count();
        if words == 0 || words > 8 || char_len(tr) > 70 || !starts_uppercase(tr) || is_bullet(tr) {
            return None;
        }
        if tr.ends_with(['.', ',', ';', '!', '?']) || (tr.ends_with(':') && words > 3) {
            return None;
        }
        let next = self
            .toks
            .get(i + 1..)
            .and_then(|s| s.iter().take(4).find(|n| !n.kind.is_gap()));
        if let Some(n) = next
            && n.kind == Kind::Text
            && starts_lowercase(n.raw)
        {
            return None;
        }
        Some((collapse_ws(tr), None))
    }

    fn start_top(&mut self, heading: String, no: usize) {
        self.flush_top();
        self.last_heading_no = no;
        self.top = Some(TopText {
            heading: Some(heading),
            lines: Vec::new(),
        });
    }

    fn clean_paragraphs(&mut self, lines: &[Tok<'_>]) -> String {
        let paras: Vec<Para> = paragraphs(lines, &self.layout);
        let mut kept = Vec::new();
        for p in paras {
            if is_instruction(&p.text) {
                let excerpt: String = p.text.chars().take(50).collect();
                let range = if p.last_line > p.first_line {
                    format!("rad {}–{}", p.first_line, p.last_line)
                } else {
                    format!("rad {}", p.first_line)
                };
                self.body.warnings.push(Warning {
                    line: p.first_line,
                    message: format!(
                        "{range}: instruktion från dokumentmallen togs bort («{excerpt}…»)"
                    ),
                });
            } else {
                kept.push(p.text);
            }
        }
        kept.join("\n\n")
    }

    fn flush_top(&mut self) {
        let Some(top) = self.top.take() else { return };
        let text = self.clean_paragraphs(&top.lines);
        let heading = match top.heading {
            Some(h) => h,
            None if text.is_empty() => return,
            None => String::new(),
        };
        if let Some(last) = self.body.sections.last_mut()
            && last.heading == heading
            && last.text.is_empty()
        {
            last.text = text;
            return;
        }
        let after_cascade = !self.body.goals.is_empty();
        self.body.sections.push(Section {
            heading,
            text,
            after_cascade,
        });
    }

    fn flush_goal_text(&mut self) {
        let Some(gt) = self.goal_text.take() else {
            return;
        };
        let Some(g) = self.cur_goal else { return };
        if gt.analysis {
            let text = one_line(&gt.lines);
            if let Some(goal) = self.body.goals.get_mut(g)
                && !text.is_empty()
            {
                match goal.analysis.as_mut() {
                    Some(existing) => join_words(existing, &text),
                    None => goal.analysis = Some(text),
                }
            }
            return;
        }
        let text = self.clean_paragraphs(&gt.lines);
        let heading = match gt.heading {
            Some(h) => h,
            None if text.is_empty() => return,
            None => String::new(),
        };
        if let Some(goal) = self.body.goals.get_mut(g) {
            goal.sections.push(heading, text);
        }
    }
}

/// "1. Ett Stockholm …" → (Some("1"), "Ett Stockholm …").
fn split_number(title: &str) -> (Option<String>, String) {
    let fw = first_word(title);
    let is_num = fw.starts_with(|c: char| c.is_ascii_digit())
        && fw.chars().all(|c| c.is_ascii_digit() || c == '.');
    if !is_num {
        return (None, title.to_string());
    }
    let number = fw.trim_end_matches('.').to_string();
    let rest = title.get(fw.len()..).unwrap_or("").trim().to_string();
    (Some(number), rest)
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn numbers_of_council_goals() {
        assert_eq!(
            split_number("1. Ett mål"),
            (Some("1".into()), "Ett mål".into())
        );
        assert_eq!(
            split_number("2.4 Ett mål"),
            (Some("2.4".into()), "Ett mål".into())
        );
        assert_eq!(split_number("Ett mål"), (None, "Ett mål".into()));
    }

    #[test]
    fn template_instruction_detected() {
        assert!(is_instruction("Beskriv här hur ni arbetar med budgeten."));
        assert!(is_instruction("Ange storlek i text och/eller tabell."));
        assert!(!is_instruction("Beskriv-gruppen träffas varje vecka."));
        assert!(!is_instruction("Vi beskriver här hur enheten arbetar."));
    }

    #[test]
    fn known_headings() {
        assert!(is_known_heading("Budget 2031 "));
        assert!(is_known_heading(" Redovisning av ekonomi "));
        assert!(!is_known_heading("Budgeten för 2025"));
    }
}
