//! Generated follow-up, for the demo district's history and for the synthetic district
//! (`synthetic.rs`): outcomes that move plausibly from year to year and tertial to tertial,
//! the split between women and men, and short Swedish texts (analyses, assessments, the
//! summary) put together from sentence templates written for Målkedja.
//!
//! Nothing is random at run time: every number comes from [`Rng`], a small generator
//! (SplitMix64) seeded from names (the unit, the indicator), so the same district is
//! generated every time.

use malkedja_domain::{
    ActivityStatus, Assessment, Decimal, Direction, Measure, ReportKind, Target, TargetStatus,
    ValueKind, Year, format_decimal_sv, target_status,
};
use time::{Date, Month};

/// SplitMix64: small, fast and good enough to make believable numbers; seeded from text.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator seeded from `parts` (FNV-1a over them, with a separator).
    pub(crate) fn seeded(parts: &[&str]) -> Rng {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for p in parts {
            for b in p.bytes().chain(std::iter::once(0x1f)) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        }
        Rng(h)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A number in [lo, hi).
    pub(crate) fn between(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// A whole number in [0, n); 0 when n is 0.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            usize::try_from(self.next_u64() % n as u64).unwrap_or(0)
        }
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// How an indicator's values behave, for generating them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shape {
    pub kind: ValueKind,
    pub direction: Direction,
    /// Decimals an outcome is written with.
    pub decimals: u32,
    /// A count that adds up over the year ("Antal …"): a tertial report states the year so
    /// far.
    pub cumulative: bool,
    /// Written after the number ("besök", "gram per portion").
    pub suffix: Option<String>,
    /// Whether outcomes are split by women and men.
    pub split: bool,
}

impl Shape {
    /// The shape of an indicator from what it is: a count when its name begins with
    /// "Antal", decimals as in `sample` (an outcome written by hand) or none.
    pub(crate) fn of(
        name: &str,
        kind: ValueKind,
        direction: Direction,
        unit_of_measure: Option<&str>,
        sample: Option<&str>,
        split: bool,
    ) -> Shape {
        let decimals = sample
            .and_then(|s| {
                let number: String = s
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | ' ' | '\u{a0}'))
                    .collect();
                number
                    .trim()
                    .split_once([',', '.'])
                    .map(|(_, f)| u32::try_from(f.trim().len()).unwrap_or(0))
            })
            .unwrap_or(0);
        Shape {
            kind,
            direction,
            decimals,
            cumulative: kind == ValueKind::Number && name.trim_start().starts_with("Antal"),
            suffix: unit_of_measure
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .map(str::to_string),
            split,
        }
    }

    /// The sign that makes a change better: +1 when higher is better.
    fn better(&self) -> f64 {
        match self.direction {
            Direction::HigherIsBetter => 1.0,
            Direction::LowerIsBetter => -1.0,
        }
    }

    /// `v` kept within what the indicator can be.
    fn clamp(&self, v: f64) -> f64 {
        match self.kind {
            ValueKind::Percent => v.clamp(0.0, 100.0),
            ValueKind::Index => v.clamp(0.0, 100.0),
            _ => v.max(0.0),
        }
    }

    /// `v` rounded as the indicator is written.
    pub(crate) fn round(&self, v: f64) -> Decimal {
        let scale = 10f64.powi(i32::try_from(self.decimals).unwrap_or(0));
        let n = (self.clamp(v) * scale).round();
        Decimal::new(n as i64, self.decimals)
    }

    /// An outcome as written: "52,4 %", "2310 besök", "81".
    pub(crate) fn text(&self, v: f64) -> String {
        let n = grouped(self.round(v));
        match (&self.kind, &self.suffix) {
            (ValueKind::Percent, _) => format!("{n} %"),
            (_, Some(s)) => format!("{n} {s}"),
            _ => n,
        }
    }

    /// Women and men for an outcome `v`: for a count, two numbers that add up to it; for a
    /// share, each near it.
    pub(crate) fn women_men(&self, rng: &mut Rng, v: f64) -> Option<(String, String)> {
        if !self.split {
            return None;
        }
        if self.kind == ValueKind::Number {
            let total = self.round(v);
            let share = rng.between(0.38, 0.68);
            let women = (total * Decimal::new((share * 100.0).round() as i64, 2)).round();
            let men = total - women;
            return Some((grouped(women), grouped(men.max(Decimal::ZERO))));
        }
        let room = v.min(100.0 - v).max(1.0);
        let d = room * rng.between(-0.15, 0.15);
        Some((self.text(v + d), self.text(v - d)))
    }

    /// How far a typical year moves: a step towards the better, and the noise around it.
    /// A share moves less the nearer it is to 0 or 100 %: sick leave of 4 % moves by
    /// tenths, a share of 60 % by points.
    fn yearly(&self, level: f64) -> (f64, f64) {
        match self.kind {
            ValueKind::Percent => {
                let room = level.min(100.0 - level).max(4.0);
                ((room * 0.09).min(3.0), (room * 0.07).min(2.0))
            }
            ValueKind::Index => (1.2, 1.0),
            _ => (level.abs() * 0.05, level.abs() * 0.04),
        }
    }

    /// The values of the years before one whose value is `last`, nearest first: the
    /// further back, the further from the better side, with some years going the other way.
    pub(crate) fn earlier(&self, rng: &mut Rng, last: f64, years: usize) -> Vec<f64> {
        let mut out = Vec::new();
        let mut v = last;
        for _ in 0..years {
            let (step, noise) = self.yearly(v);
            let change = step * rng.between(0.2, 1.6) + noise * rng.between(-1.0, 1.0);
            v = self.clamp(v - self.better() * change);
            out.push(v);
        }
        out
    }

    /// The first and second tertial's outcomes of a year that ends at `annual` after a
    /// year that ended at `before`: a count so far in the year, anything else on its way
    /// from last year's level to this year's.
    pub(crate) fn tertials(&self, rng: &mut Rng, before: f64, annual: f64) -> (f64, f64) {
        if self.cumulative {
            return (
                annual * rng.between(0.29, 0.37),
                annual * rng.between(0.61, 0.70),
            );
        }
        let (_, noise) = self.yearly(annual);
        let t1 =
            before + (annual - before) * rng.between(0.2, 0.5) + noise * rng.between(-0.7, 0.7);
        let t2 =
            before + (annual - before) * rng.between(0.55, 0.9) + noise * rng.between(-0.7, 0.7);
        (self.clamp(t1), self.clamp(t2))
    }

    /// A first value for an indicator with no history, from its target: some units reach
    /// it, some come near, some are far off (`form` in [0, 1]: how well the unit does).
    pub(crate) fn around_target(&self, rng: &mut Rng, target: f64, form: f64) -> f64 {
        let (step, noise) = self.yearly(target);
        // form 1: a step on the better side; form 0: four steps on the worse side.
        let offset = (form * 5.0 - 4.0) * step + noise * rng.between(-0.5, 0.5);
        self.clamp(target + self.better() * offset)
    }

    /// The status of `v` against `target`, as the report reads it.
    pub(crate) fn status(&self, v: &str, target: Option<&Target>) -> Option<TargetStatus> {
        target_status(Some(&Measure::parse(v)), target, self.direction, self.kind).map(|s| s.status)
    }
}

/// A number the Swedish way ([`format_decimal_sv`]), four-digit numbers grouped as well
/// ("2 310").
pub(crate) fn grouped(d: Decimal) -> String {
    let text = format_decimal_sv(d);
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    if digits == 4 {
        let (a, b) = text.split_at(1);
        format!("{a}\u{a0}{b}")
    } else {
        text
    }
}

/// The value of a target, when it has one.
pub(crate) fn target_value(t: Option<&Target>) -> Option<f64> {
    match t? {
        Target::Value(m) => m.value.map(|d| d.to_string().parse().unwrap_or(0.0)),
        Target::SetByBoard { .. } => None,
    }
}

/// A number as a generator reads it.
pub(crate) fn number(text: &str) -> Option<f64> {
    Measure::parse(text)
        .value
        .and_then(|d| d.to_string().parse().ok())
}

/// The last day of the period a report covers.
pub(crate) fn period_end(year: Year, kind: ReportKind) -> Option<Date> {
    let (m, d) = match kind {
        ReportKind::Tertial1 => (Month::April, 30),
        ReportKind::Tertial2 => (Month::August, 31),
        ReportKind::AnnualReport => (Month::December, 31),
    };
    Date::from_calendar_date(year, m, d).ok()
}

/// How a report names its period in the outcome table ("T1 2025", "VB 2025").
pub(crate) fn period_label(year: Year, kind: ReportKind) -> String {
    format!("{} {year}", kind.slug().to_uppercase())
}

// ---- texts ----

/// What held a result back: the middle of a sentence ("… beror främst på {cause}.").
const CAUSES: [&str; 8] = [
    "att en tjänst stod vakant under en del av perioden",
    "att arbetet kom i gång senare än planerat",
    "en period med hög sjukfrånvaro i arbetsgruppen",
    "att rutinen ännu inte används fullt ut i alla verksamheter",
    "att fler nya brukare och deltagare än beräknat tillkom under perioden",
    "att flera medarbetare var nya och fortfarande under introduktion",
    "att lokalerna var delvis stängda för renovering under en period",
    "att uppföljningen i verksamhetssystemet krånglade under en period",
];

/// What is done about it: whole sentences.
const MEASURES: [&str; 7] = [
    "Resultatet följs upp varje månad på arbetsplatsträffen tills det vänt.",
    "Rutinen har setts över tillsammans med medarbetarna och gäller från nästa månad.",
    "En arbetsgrupp med en medarbetare från varje verksamhet tar fram förslag till förbättringar.",
    "Vi har bokat in uppföljningen i förväg, så att den inte skjuts upp när det är mycket att göra.",
    "Enhetschefen går igenom läget med varje team en gång i månaden.",
    "Frågan tas upp med brukar- och deltagarråden, som får komma med förslag.",
    "Vi prövar ett nytt arbetssätt under hösten och utvärderar det i nästa rapport.",
];

/// A sentence about an outcome against its target and last year's value: why it is as it
/// is and what is done about it. `None` for most outcomes that reach their target (the
/// analysis is written where there is something to explain, and now and then otherwise).
#[allow(clippy::too_many_arguments)]
pub(crate) fn outcome_analysis(
    rng: &mut Rng,
    kind: ReportKind,
    shape: &Shape,
    value: &str,
    target: Option<&str>,
    status: Option<TargetStatus>,
    previous: Option<&str>,
    better_than_before: Option<bool>,
) -> Option<String> {
    let mut out = Vec::new();
    if shape.cumulative && kind != ReportKind::AnnualReport {
        out.push(match kind {
            ReportKind::Tertial1 => format!("Utfallet {value} gäller januari–april."),
            _ => format!("Utfallet {value} gäller januari–augusti."),
        });
        // A count so far in the year is compared with the year's target in the annual
        // report; here it says whether the year is on its way.
        if rng.chance(0.5) {
            out.push("Takten motsvarar ungefär vad som behövs för att nå årsmålet.".to_string());
        }
        return Some(out.join(" "));
    }
    let target = target.unwrap_or("");
    match status {
        Some(TargetStatus::Reached) => {
            if !rng.chance(0.35) {
                return None;
            }
            out.push(match (better_than_before, previous) {
                (Some(true), Some(p)) => format!(
                    "Utfallet {value} når årsmålet {target} och är bättre än förra året ({p})."
                ),
                (Some(false), Some(p)) => format!(
                    "Årsmålet {target} nås med {value}, men resultatet är något svagare än förra året ({p})."
                ),
                _ => format!("Utfallet {value} når årsmålet {target}."),
            });
            out.push(
                rng.pick(&[
                    "Arbetssättet fungerar och fortsätter som planerat.",
                    "Vi fortsätter på samma sätt och följer utvecklingen på arbetsplatsträffarna.",
                    "Resultatet visar att satsningen under året har gett effekt.",
                ])
                .to_string(),
            );
        }
        Some(TargetStatus::Near) => {
            out.push(format!(
                "Utfallet {value} ligger nära årsmålet {target}, men når inte hela vägen. Det beror främst på {}.",
                rng.pick(&CAUSES)
            ));
            if better_than_before == Some(true) {
                out.push("Utvecklingen går ändå åt rätt håll jämfört med förra året.".into());
            }
            out.push(rng.pick(&MEASURES).to_string());
        }
        Some(TargetStatus::Far) => {
            out.push(format!(
                "Utfallet {value} ligger långt från årsmålet {target}. Det beror främst på {}.",
                rng.pick(&CAUSES)
            ));
            if better_than_before == Some(false) {
                out.push(match previous {
                    Some(p) => format!("Resultatet är också sämre än förra året ({p})."),
                    None => "Resultatet är också sämre än förra året.".to_string(),
                });
            }
            out.push(rng.pick(&MEASURES).to_string());
        }
        None => {
            if !rng.chance(0.25) {
                return None;
            }
            out.push(match (better_than_before, previous) {
                (Some(true), Some(p)) => {
                    format!("Utfallet {value} är bättre än förra årets {p}.")
                }
                (Some(false), Some(p)) => {
                    format!("Utfallet {value} är något sämre än förra årets {p}.")
                }
                _ => format!("Utfallet är {value}."),
            });
        }
    }
    Some(out.join(" "))
}

/// What a goal's assessment rests on: its indicators' statuses against their targets and
/// its activities.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Basis {
    /// Indicators compared with a target, and how many of them reach it or come near.
    pub with_status: usize,
    pub reached: usize,
    pub near: usize,
    /// Whether the goal has indicators or activities of its own at all.
    pub own_items: bool,
    pub deviation: bool,
}

/// How the indicators stand, as a clause: "indikatorn når sitt årsmål", "2 av 3
/// indikatorer med årsmål når sina mål och en ligger nära".
fn standing(b: Basis) -> String {
    if b.with_status == 1 {
        return if b.reached == 1 {
            "indikatorn når sitt årsmål".into()
        } else if b.near == 1 {
            "indikatorn ligger nära sitt årsmål men når det inte".into()
        } else {
            "indikatorn ligger långt från sitt årsmål".into()
        };
    }
    let mut out = match b.reached {
        0 => format!(
            "ingen av de {} indikatorerna med årsmål når sitt mål",
            b.with_status
        ),
        r if r == b.with_status => format!("alla {r} indikatorer med årsmål når sina mål"),
        r => format!(
            "{r} av {} indikatorer med årsmål når sina mål",
            b.with_status
        ),
    };
    if b.near > 0 {
        out.push_str(&match b.near {
            1 => " och en ligger nära".to_string(),
            n => format!(" och {n} ligger nära"),
        });
    }
    out
}

/// The analysis of a goal's assessment: what it rests on, and what comes next.
pub(crate) fn assessment_analysis(
    rng: &mut Rng,
    assessment: Assessment,
    kind: ReportKind,
    b: Basis,
) -> String {
    let mut out = Vec::new();
    match assessment {
        Assessment::Met => {
            out.push(if b.with_status > 0 {
                format!("Målet bedöms som uppfyllt: {}.", standing(b))
            } else {
                "Målet bedöms som uppfyllt: aktiviteterna är genomförda eller pågår enligt plan."
                    .to_string()
            });
            out.push(
                rng.pick(&[
                    "Arbetet fortsätter som planerat.",
                    "Det som fungerat bra sprids till fler verksamheter.",
                    "Medarbetarnas arbete med målet har gett tydliga resultat.",
                ])
                .to_string(),
            );
        }
        Assessment::PartlyMet => {
            out.push(if b.with_status > 0 {
                format!("Målet bedöms som delvis uppfyllt: {}.", standing(b))
            } else {
                "Målet bedöms som delvis uppfyllt: en del aktiviteter går enligt plan, andra inte."
                    .to_string()
            });
            if b.deviation {
                out.push(
                    "En aktivitet har en avvikelse, som beskrivs under aktiviteten.".to_string(),
                );
            }
            out.push(rng.pick(&MEASURES).to_string());
        }
        Assessment::NotMet => {
            out.push(if b.with_status > 0 {
                format!(
                    "Målet bedöms inte som uppfyllt: {}. Det beror främst på {}.",
                    standing(b),
                    rng.pick(&CAUSES)
                )
            } else {
                format!(
                    "Målet bedöms inte som uppfyllt: aktiviteterna har inte kunnat genomföras som planerat. Det beror främst på {}.",
                    rng.pick(&CAUSES)
                )
            });
            out.push(rng.pick(&MEASURES).to_string());
        }
        Assessment::NoData => {
            out.push(if !b.own_items {
                "Målet har inga egna indikatorer eller aktiviteter att följa upp i rapporten; det följs upp genom målen under det.".to_string()
            } else if kind == ReportKind::AnnualReport {
                "Det finns inga utfall att bedöma målet mot i år: målets indikatorer saknar årsmål att jämföra med.".to_string()
            } else {
                "Målets indikatorer följs upp i verksamhetsberättelsen, så det finns ännu inga utfall att bedöma målet mot.".to_string()
            });
        }
    }
    out.join(" ")
}

/// What became of an activity by the end of a report's period, from its dates: done when
/// it ended, not started when it has not begun, ongoing in between (in the annual report,
/// what was meant for the year is done). With its analysis, now and then.
pub(crate) fn activity_status(
    rng: &mut Rng,
    kind: ReportKind,
    year: Year,
    start: Date,
    end: Date,
) -> (ActivityStatus, Option<String>) {
    let Some(period_end) = period_end(year, kind) else {
        return (ActivityStatus::Ongoing, None);
    };
    let status = if end <= period_end || kind == ReportKind::AnnualReport {
        ActivityStatus::Done
    } else if start > period_end {
        ActivityStatus::NotStarted
    } else {
        ActivityStatus::Ongoing
    };
    let analysis = match status {
        ActivityStatus::Done if rng.chance(0.3) => Some(
            rng.pick(&[
                "Aktiviteten är genomförd enligt plan.",
                "Genomförd. Erfarenheterna har gåtts igenom på arbetsplatsträffen.",
                "Aktiviteten är genomförd, och arbetssättet fortsätter som en del av det vanliga arbetet.",
            ])
            .to_string(),
        ),
        ActivityStatus::Ongoing if rng.chance(0.3) => Some(
            rng.pick(&[
                "Aktiviteten pågår enligt plan.",
                "Arbetet pågår och följer tidsplanen.",
            ])
            .to_string(),
        ),
        ActivityStatus::NotStarted => Some("Aktiviteten startar senare under året, enligt planen.".to_string()),
        _ => None,
    };
    (status, analysis)
}

/// The analysis a deviation needs: what did not go as planned, and what is done now.
pub(crate) fn deviation_analysis(rng: &mut Rng) -> String {
    format!(
        "Aktiviteten har inte kunnat genomföras som planerat, vilket främst berodde på {}. {}",
        rng.pick(&CAUSES),
        rng.pick(&MEASURES)
    )
}

/// Counts behind a report's summary.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Tally {
    pub with_status: usize,
    pub reached: usize,
    pub near: usize,
    pub deviations: usize,
}

/// The report's "Sammanfattande analys": how the period went, in a few sentences.
pub(crate) fn summary(rng: &mut Rng, kind: ReportKind, year: Year, t: Tally) -> String {
    let mut out = Vec::new();
    out.push(match kind {
        ReportKind::Tertial1 => format!(
            "{} {year} har i stort gått enligt planen.",
            rng.pick(&["Årets första tertial", "Första tertialet"])
        ),
        ReportKind::Tertial2 => format!(
            "Årets andra tertial {year} har präglats av {}.",
            rng.pick(&[
                "sommarens semesterplanering och arbetet inför hösten",
                "att flera av årets aktiviteter kom i gång på allvar",
                "ett högt tryck i verksamheterna",
            ])
        ),
        ReportKind::AnnualReport => format!(
            "{year} var {}.",
            if t.reached * 2 >= t.with_status {
                rng.pick(&[
                    "ett år då enheten tog flera steg framåt",
                    "ett stabilt år för enheten",
                ])
            } else {
                rng.pick(&[
                    "ett år med både framsteg och motgångar",
                    "ett år då flera resultat gick åt rätt håll men ännu inte når sina mål",
                ])
            }
        ),
    });
    if t.with_status > 0 {
        let b = Basis {
            with_status: t.with_status,
            reached: t.reached,
            near: t.near,
            ..Basis::default()
        };
        let s = standing(b);
        let mut first = s.chars();
        let s = first
            .next()
            .map(|c| c.to_uppercase().collect::<String>() + first.as_str())
            .unwrap_or_default();
        out.push(format!("{s}."));
    }
    out.push(match t.deviations {
        0 => "Aktiviteterna går enligt plan.".to_string(),
        1 => "En aktivitet har en avvikelse, som beskrivs under sitt mål.".to_string(),
        n => format!("{n} aktiviteter har avvikelser, som beskrivs under sina mål."),
    });
    out.push(rng.pick(&MEASURES).to_string());
    out.join(" ")
}

/// The texts the annual report's template asks for after the goals (quality work,
/// competence development, the staff's participation), by section key.
pub(crate) fn annual_sections(rng: &mut Rng) -> Vec<(&'static str, String)> {
    vec![
        (
            "kvalitets-och-utvecklingsarbete",
            format!(
                "Egenkontrollerna har genomförts enligt årshjulet. {} Avvikelser och synpunkter har gåtts igenom på varje arbetsplatsträff.",
                rng.pick(&[
                    "Dokumentationsgranskningen visade att målen i genomförandeplanerna oftare formuleras med brukarens egna ord.",
                    "Den största förbättringen gäller uppföljningen av genomförandeplaner.",
                    "Granskningen visade att rutinen för överlämning behöver bli tydligare, och den har setts över.",
                ])
            ),
        ),
        (
            "kompetensutveckling",
            rng.pick(&[
                "Alla medarbetare har gått stadens webbutbildningar. Flera har gått utbildning i motiverande samtal, och arbetshandledarna har haft extern handledning.",
                "Medarbetarna har gått utbildning i lågaffektivt bemötande och i dokumentation. Nya medarbetare har fått en introduktion med en erfaren kollega som stöd.",
                "Under året har medarbetarna utbildats i det nya verksamhetssystemet och i brandskydd. Två medarbetare har gått en längre utbildning till handledare.",
            ])
            .to_string(),
        ),
        (
            "medarbetarnas-delaktighet",
            rng.pick(&[
                "Medarbetarna har tagit fram verksamhetsplanen tillsammans på planeringsdagen. På arbetsplatsträffarna turas de om att leda en punkt.",
                "Varje team har ett kvalitetsombud som leder genomgången av avvikelser och synpunkter. Förslag från medarbetarna tas upp på nästa arbetsplatsträff.",
                "Medarbetarna har varit med och formulerat enhetens mål och följer själva upp sina indikatorer varje tertial.",
            ])
            .to_string(),
        ),
    ]
}

/// One indicator's generated outcome in a report.
#[derive(Debug, Clone)]
pub(crate) struct Generated {
    pub shape: Shape,
    /// `None`: no data for the period (then `analysis` says why).
    pub value: Option<f64>,
    /// Last year's annual outcome, for the comparison and the report's column.
    pub previous: Option<f64>,
    /// Written instead of a generated analysis.
    pub analysis: Option<String>,
}

/// A generated report's writes, and what the outcome table says beside each outcome
/// (last year's value, the period).
pub(crate) struct GeneratedReport {
    pub writes: crate::FollowUpWrites,
    pub context: Vec<(malkedja_domain::IndicatorId, Option<String>, Option<String>)>,
}

/// The follow-up of a report generated from what it shows (`doc`, as created): an outcome
/// for every indicator due in the period (from `outcome`; an indicator it has nothing for
/// is left as it is), a status for every activity (from its dates, a deviation where
/// `deviation` says so), an assessment of every goal by the city's rule
/// ([`malkedja_domain::suggest_for_goal`]) with its analysis, the summary and, in an annual
/// report, the template's other sections. Each write states the version the document
/// shows.
pub(crate) fn generated_report(
    doc: &malkedja_domain::ReportDocument,
    rng: &mut Rng,
    outcome: &mut dyn FnMut(&malkedja_domain::IndicatorView) -> Option<Generated>,
    deviation: &dyn Fn(&malkedja_domain::Activity) -> bool,
) -> GeneratedReport {
    use crate::{AssessmentWrite, FollowUpWrites, OutcomeWrite, SectionWrite, StatusWrite};
    use malkedja_domain::{
        ActivityFollowUp, CascadeGoal, IndicatorOutcome, due_in, suggest_for_goal,
    };
    let kind = doc.report.kind;
    let year = doc.year;
    let mut local = doc.clone();
    let mut writes = FollowUpWrites::default();
    let mut context = Vec::new();
    let mut tally = Tally::default();
    let goals: Vec<&CascadeGoal> = doc.goals.iter().flat_map(CascadeGoal::walk).collect();
    let mut statuses: std::collections::HashMap<malkedja_domain::IndicatorId, TargetStatus> =
        std::collections::HashMap::new();
    for g in &goals {
        for v in &g.indicators {
            let id = v.indicator.id;
            if !due_in(v.indicator.periodicity, kind) || context.iter().any(|(i, _, _)| *i == id) {
                continue;
            }
            let Some(made) = outcome(v) else {
                continue;
            };
            let value = made.value.map(|x| made.shape.text(x));
            let previous = made.previous.map(|x| made.shape.text(x));
            let status = value
                .as_deref()
                .and_then(|t| made.shape.status(t, v.target.as_ref()));
            // A count so far in the year is not compared with the year's target.
            let counted =
                status.filter(|_| !(made.shape.cumulative && kind != ReportKind::AnnualReport));
            if let Some(s) = counted {
                statuses.insert(id, s);
                tally.with_status += 1;
                match s {
                    TargetStatus::Reached => tally.reached += 1,
                    TargetStatus::Near => tally.near += 1,
                    TargetStatus::Far => {}
                }
            }
            let better = match (made.value, made.previous) {
                (Some(a), Some(b)) => Some(made.shape.better() * (a - b) > 0.0),
                _ => None,
            };
            let analysis = made.analysis.clone().or_else(|| {
                value.as_deref().and_then(|t| {
                    outcome_analysis(
                        rng,
                        kind,
                        &made.shape,
                        t,
                        v.target.as_ref().map(Target::text),
                        status,
                        previous.as_deref(),
                        better,
                    )
                })
            });
            let (women, men) = match made.value.and_then(|x| made.shape.women_men(rng, x)) {
                Some((w, m)) => (Some(w), Some(m)),
                None => (None, None),
            };
            writes.outcomes.push(OutcomeWrite {
                indicator: id,
                expected: doc.marks.indicators.get(&id).map_or(0, |m| m.version),
                value: value.clone(),
                women: women.clone(),
                men: men.clone(),
                analysis: analysis.clone(),
            });
            // A count so far in the year says nothing yet against the year's target: the
            // suggestion reads the other indicators.
            if !(made.shape.cumulative && kind != ReportKind::AnnualReport) {
                local.outcomes.insert(
                    id,
                    IndicatorOutcome {
                        indicator_id: id,
                        outcome: value.as_deref().map(Measure::parse),
                        men,
                        women,
                        previous: previous.clone(),
                        period: Some(period_label(year, kind)),
                        analysis,
                    },
                );
            }
            context.push((id, previous, Some(period_label(year, kind))));
        }
        for a in &g.activities {
            if writes.statuses.iter().any(|s| s.activity == a.id) {
                continue;
            }
            let (status, analysis) = if deviation(a) {
                tally.deviations += 1;
                (ActivityStatus::Deviation, Some(deviation_analysis(rng)))
            } else {
                activity_status(rng, kind, year, a.start, a.end)
            };
            writes.statuses.push(StatusWrite {
                activity: a.id,
                expected: doc.marks.activities.get(&a.id).map_or(0, |m| m.version),
                status: Some(status),
                analysis: analysis.clone(),
            });
            // An activity that starts later in the year, as planned, does not count against
            // its goal.
            if status != ActivityStatus::NotStarted {
                local.followups.insert(
                    a.id,
                    ActivityFollowUp {
                        activity_id: a.id,
                        status: Some(status),
                        analysis,
                    },
                );
            }
        }
    }
    for g in &goals {
        let suggestion = suggest_for_goal(&local, g);
        let own: Vec<TargetStatus> = g
            .indicators
            .iter()
            .filter_map(|v| statuses.get(&v.indicator.id).copied())
            .collect();
        let basis = Basis {
            with_status: own.len(),
            reached: own.iter().filter(|s| **s == TargetStatus::Reached).count(),
            near: own.iter().filter(|s| **s == TargetStatus::Near).count(),
            own_items: !g.indicators.is_empty() || !g.activities.is_empty(),
            deviation: g.activities.iter().any(|a| {
                local.followups.get(&a.id).and_then(|f| f.status) == Some(ActivityStatus::Deviation)
            }),
        };
        writes.assessments.push(AssessmentWrite {
            goal: g.goal.id,
            expected: doc.marks.goals.get(&g.goal.id).map_or(0, |m| m.version),
            assessment: Some(suggestion.assessment),
            analysis: Some(assessment_analysis(rng, suggestion.assessment, kind, basis)),
        });
    }
    let version_of = |key: &str| {
        doc.sections
            .iter()
            .find(|s| s.key == key)
            .map_or(0, |s| s.version)
    };
    writes.sections.push(SectionWrite {
        key: "sammanfattande-analys".into(),
        expected: version_of("sammanfattande-analys"),
        body: summary(rng, kind, year, tally),
    });
    if kind == ReportKind::AnnualReport {
        for (key, body) in annual_sections(rng) {
            writes.sections.push(SectionWrite {
                key: key.into(),
                expected: version_of(key),
                body,
            });
        }
    }
    GeneratedReport { writes, context }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn percent(direction: Direction) -> Shape {
        Shape::of(
            "Andel nöjda",
            ValueKind::Percent,
            direction,
            None,
            Some("52,4 %"),
            true,
        )
    }

    #[test]
    fn the_same_seed_gives_the_same_numbers() {
        let a: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::seeded(&["sps", "Sjukfrånvaro"]);
                move |_| r.next_u64()
            })
            .collect();
        let b: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::seeded(&["sps", "Sjukfrånvaro"]);
                move |_| r.next_u64()
            })
            .collect();
        assert_eq!(a, b);
        let mut c = Rng::seeded(&["dv", "Sjukfrånvaro"]);
        assert_ne!(a[0], c.next_u64());
        let mut r = Rng::seeded(&["x"]);
        for _ in 0..1000 {
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
            assert!(r.below(3) < 3);
        }
    }

    #[test]
    fn shapes_read_decimals_and_counts() {
        let s = percent(Direction::HigherIsBetter);
        assert_eq!(s.decimals, 1);
        assert_eq!(s.text(52.44), "52,4 %");
        assert_eq!(s.text(120.0), "100 %");
        let count = Shape::of(
            "Antal besök på träffpunkten",
            ValueKind::Number,
            Direction::HigherIsBetter,
            Some("besök"),
            Some("2 310 besök"),
            true,
        );
        assert!(count.cumulative && count.decimals == 0);
        assert_eq!(count.text(2310.4), "2\u{a0}310 besök");
        assert_eq!(count.text(12.0), "12 besök");
        assert_eq!(grouped(Decimal::new(123456, 0)), "123\u{a0}456");
        let mut r = Rng::seeded(&["split"]);
        let (w, m) = count.women_men(&mut r, 2310.0).unwrap();
        let n = |s: &str| number(s).unwrap();
        assert_eq!(n(&w) + n(&m), 2310.0);
    }

    #[test]
    fn earlier_years_lie_on_the_worse_side_on_the_whole() {
        for (direction, sign) in [
            (Direction::HigherIsBetter, 1.0),
            (Direction::LowerIsBetter, -1.0),
        ] {
            let s = percent(direction);
            let mut worse = 0;
            for seed in 0..200 {
                let mut r = Rng::seeded(&["trend", &seed.to_string()]);
                let back = s.earlier(&mut r, 50.0, 3);
                assert_eq!(back.len(), 3);
                if sign * (50.0 - back[2]) > 0.0 {
                    worse += 1;
                }
            }
            assert!(worse > 160, "{direction:?}: {worse} of 200");
        }
    }

    #[test]
    fn tertials_of_a_count_add_up_over_the_year() {
        let count = Shape::of(
            "Antal deltagare",
            ValueKind::Number,
            Direction::HigherIsBetter,
            None,
            None,
            false,
        );
        let mut r = Rng::seeded(&["t"]);
        let (t1, t2) = count.tertials(&mut r, 900.0, 1000.0);
        assert!(t1 < t2 && t2 < 1000.0 && t1 > 250.0);
        let share = percent(Direction::HigherIsBetter);
        let (t1, t2) = share.tertials(&mut r, 40.0, 60.0);
        assert!((35.0..65.0).contains(&t1) && (35.0..65.0).contains(&t2));
    }

    #[test]
    fn analyses_explain_what_misses_its_target() {
        let s = percent(Direction::HigherIsBetter);
        let mut r = Rng::seeded(&["a"]);
        for _ in 0..20 {
            let far = outcome_analysis(
                &mut r,
                ReportKind::AnnualReport,
                &s,
                "40 %",
                Some("80 %"),
                Some(TargetStatus::Far),
                Some("45 %"),
                Some(false),
            )
            .unwrap();
            assert!(far.contains("långt från årsmålet 80 %"), "{far}");
            assert!(far.contains("sämre än förra året (45 %)"), "{far}");
        }
        let d = deviation_analysis(&mut r);
        assert!(
            d.starts_with(
                "Aktiviteten har inte kunnat genomföras som planerat, vilket främst berodde på "
            ),
            "{d}"
        );
        let basis = Basis {
            with_status: 3,
            reached: 1,
            near: 1,
            own_items: true,
            deviation: true,
        };
        let a = assessment_analysis(&mut r, Assessment::PartlyMet, ReportKind::Tertial2, basis);
        assert!(
            a.starts_with("Målet bedöms som delvis uppfyllt: 1 av 3 indikatorer med årsmål når sina mål och en ligger nära.")
                && a.contains("avvikelse"),
            "{a}"
        );
        let one = Basis {
            with_status: 1,
            reached: 1,
            ..basis
        };
        assert!(
            assessment_analysis(&mut r, Assessment::Met, ReportKind::AnnualReport, one)
                .starts_with("Målet bedöms som uppfyllt: indikatorn når sitt årsmål.")
        );
    }

    #[test]
    fn activities_follow_their_dates() {
        let d = |m: Month, day: u8| Date::from_calendar_date(2025, m, day).unwrap();
        let mut r = Rng::seeded(&["act"]);
        let s = |r: &mut Rng, kind, start, end| activity_status(r, kind, 2025, start, end).0;
        assert_eq!(
            s(
                &mut r,
                ReportKind::Tertial1,
                d(Month::January, 1),
                d(Month::March, 31)
            ),
            ActivityStatus::Done
        );
        assert_eq!(
            s(
                &mut r,
                ReportKind::Tertial1,
                d(Month::September, 1),
                d(Month::December, 31)
            ),
            ActivityStatus::NotStarted
        );
        assert_eq!(
            s(
                &mut r,
                ReportKind::Tertial2,
                d(Month::March, 1),
                d(Month::December, 31)
            ),
            ActivityStatus::Ongoing
        );
        assert_eq!(
            s(
                &mut r,
                ReportKind::AnnualReport,
                d(Month::March, 1),
                d(Month::December, 31)
            ),
            ActivityStatus::Done
        );
    }
}
