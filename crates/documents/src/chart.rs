//! An indicator's history as a line chart in SVG, made on the server: the pages put it
//! inline (no JavaScript), the PDF embeds the same drawing.
//!
//! The chart never relies on colour alone (WCAG 1.4.1): the total, women and men differ in
//! line pattern and marker shape as well, the legend names them, and the target is a grey
//! dashed step line named "Årsmål". A preliminary figure (its report is not approved) has a
//! hollow marker. Every chart has a `<title>` and a `<desc>` that says what it shows in
//! words; the page also gives the figures as a table (the chart's text alternative).

use malkedja_domain::{IndicatorSeries, SeriesPoint, format_decimal_sv};
use rust_decimal::Decimal;
use std::fmt::Write;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 300.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 78.0;

/// One drawn line: what it is called, how it is drawn, and its figure in each period.
struct Line {
    name: &'static str,
    color: &'static str,
    dash: &'static str,
    marker: Marker,
    figure: fn(&SeriesPoint) -> Option<Decimal>,
}

#[derive(Clone, Copy)]
enum Marker {
    Circle,
    Square,
    Triangle,
}

const TOTAL: Line = Line {
    name: "Utfall",
    color: "#1f4e79",
    dash: "",
    marker: Marker::Circle,
    figure: |p| p.total,
};
const WOMEN: Line = Line {
    name: "Kvinnor",
    color: "#8a2b5a",
    dash: "7 4",
    marker: Marker::Square,
    figure: |p| p.women,
};
const MEN: Line = Line {
    name: "Män",
    color: "#2e6b30",
    dash: "2 3",
    marker: Marker::Triangle,
    figure: |p| p.men,
};

/// The chart's description in words: what it shows, over which periods, and the latest
/// figure against its target.
pub fn description(s: &IndicatorSeries) -> String {
    let (Some(first), Some(last)) = (s.points.first(), s.points.last()) else {
        return format!("{}: inga utfall ännu.", s.name);
    };
    let mut d = format!(
        "Utfall för {} från {} till {}",
        s.name,
        first.label(),
        last.label()
    );
    if s.by_sex() {
        d.push_str(", totalt och för kvinnor och män");
    }
    d.push('.');
    if let Some(latest) = s.points.iter().rev().find(|p| p.total.is_some()) {
        let _ = write!(
            d,
            " Senaste utfall: {} ({})",
            s.figure_text(latest.total),
            latest.label()
        );
        if let Some(t) = latest.target {
            let _ = write!(d, " mot årsmålet {}", s.figure_text(Some(t)));
        }
        d.push('.');
    }
    if s.points.iter().any(|p| p.preliminary) {
        d.push_str(" Ofyllda punkter är preliminära: rapporten är inte fastställd.");
    }
    d
}

/// The chart as an SVG element. `id` makes the title's and description's ids unique on a
/// page with several charts.
pub fn svg(s: &IndicatorSeries, id: &str) -> String {
    let lines: Vec<&Line> = if s.by_sex() {
        vec![&TOTAL, &WOMEN, &MEN]
    } else {
        vec![&TOTAL]
    };
    let n = s.points.len().max(1);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let (lo, hi) = s
        .range()
        .map(|(lo, hi)| (to_f64(lo), to_f64(hi)))
        .unwrap_or((0.0, 1.0));
    // From zero when the figures come near it; else from just below the lowest, so that
    // a change between 88 and 95 % is visible (the axis says where it starts).
    let floor = if lo <= 0.0 || lo <= hi * 0.4 {
        lo.min(0.0)
    } else {
        lo
    };
    let (min, max, step) = scale(floor, hi);
    let x = |i: usize| LEFT + plot_w * (i as f64 + 0.5) / n as f64;
    let y = |v: f64| TOP + plot_h * (1.0 - (v - min) / (max - min));

    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{id}-title {id}-desc" font-family="Liberation Sans, Arial, sans-serif" font-size="12"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(&s.name),
        escape(&description(s))
    );

    // Grid and y axis labels.
    let mut v = min;
    while v <= max + step / 2.0 {
        let yy = y(v);
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" x2="{}" y1="{yy:.1}" y2="{yy:.1}" stroke="#d0d0d0" stroke-width="1"/><text x="{}" y="{:.1}" text-anchor="end" fill="#333">{}</text>"##,
            WIDTH - RIGHT,
            LEFT - 6.0,
            yy + 4.0,
            escape(&axis_number(v, step))
        );
        v += step;
    }
    // Period labels on the x axis.
    for (i, p) in s.points.iter().enumerate() {
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#333">{}</text>"##,
            x(i),
            TOP + plot_h + 16.0,
            escape(&p.label())
        );
    }
    // The target: a step line, one level per year, where the year has a numeric target.
    let mut target_path = String::new();
    let mut last: Option<f64> = None;
    for (i, p) in s.points.iter().enumerate() {
        let half = plot_w / n as f64 / 2.0;
        match p.target.map(to_f64) {
            Some(t) => {
                let cmd = if last.is_some() { 'L' } else { 'M' };
                let _ = write!(
                    target_path,
                    "{cmd}{:.1} {:.1} L{:.1} {:.1} ",
                    x(i) - half,
                    y(t),
                    x(i) + half,
                    y(t)
                );
                last = Some(t);
            }
            None => last = None,
        }
    }
    if !target_path.is_empty() {
        let _ = write!(
            out,
            r##"<path d="{}" fill="none" stroke="#555" stroke-width="2" stroke-dasharray="10 5"/>"##,
            target_path.trim_end()
        );
    }
    for line in &lines {
        let points: Vec<(f64, f64, bool)> = s
            .points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| (line.figure)(p).map(|v| (x(i), y(to_f64(v)), p.preliminary)))
            .collect();
        if points.len() > 1 {
            let d: Vec<String> = points
                .iter()
                .enumerate()
                .map(|(k, (px, py, _))| {
                    format!("{}{px:.1} {py:.1}", if k == 0 { 'M' } else { 'L' })
                })
                .collect();
            let _ = write!(
                out,
                r#"<path d="{}" fill="none" stroke="{}" stroke-width="2.5" stroke-dasharray="{}"/>"#,
                d.join(" "),
                line.color,
                line.dash
            );
        }
        for (px, py, hollow) in points {
            marker(&mut out, line, px, py, hollow);
        }
    }
    legend(&mut out, &lines, !target_path.is_empty(), s);
    out.push_str("</svg>");
    out
}

fn legend(out: &mut String, lines: &[&Line], target: bool, s: &IndicatorSeries) {
    let mut lx = LEFT;
    let ly = HEIGHT - 22.0;
    for line in lines {
        let _ = write!(
            out,
            r#"<line x1="{lx}" x2="{}" y1="{ly}" y2="{ly}" stroke="{}" stroke-width="2.5" stroke-dasharray="{}"/>"#,
            lx + 28.0,
            line.color,
            line.dash
        );
        marker(out, line, lx + 14.0, ly, false);
        let _ = write!(
            out,
            r##"<text x="{}" y="{}" fill="#111">{}</text>"##,
            lx + 34.0,
            ly + 4.0,
            line.name
        );
        lx += 34.0 + 8.0 * line.name.chars().count() as f64 + 18.0;
    }
    if target {
        let _ = write!(
            out,
            r##"<line x1="{lx}" x2="{}" y1="{ly}" y2="{ly}" stroke="#555" stroke-width="2" stroke-dasharray="10 5"/><text x="{}" y="{}" fill="#111">Årsmål</text>"##,
            lx + 28.0,
            lx + 34.0,
            ly + 4.0
        );
        lx += 34.0 + 48.0 + 18.0;
    }
    if s.points.iter().any(|p| p.preliminary) {
        let _ = write!(
            out,
            r##"<circle cx="{}" cy="{ly}" r="4" fill="#fff" stroke="#111" stroke-width="2"/><text x="{}" y="{}" fill="#111">Preliminärt</text>"##,
            lx + 6.0,
            lx + 16.0,
            ly + 4.0
        );
    }
}

fn marker(out: &mut String, line: &Line, x: f64, y: f64, hollow: bool) {
    let fill = if hollow { "#fff" } else { line.color };
    let c = line.color;
    let _ = match line.marker {
        Marker::Circle => write!(
            out,
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="4.5" fill="{fill}" stroke="{c}" stroke-width="2"/>"#
        ),
        Marker::Square => write!(
            out,
            r#"<rect x="{:.1}" y="{:.1}" width="8" height="8" fill="{fill}" stroke="{c}" stroke-width="2"/>"#,
            x - 4.0,
            y - 4.0
        ),
        Marker::Triangle => write!(
            out,
            r#"<path d="M{x:.1} {:.1} L{:.1} {:.1} L{:.1} {:.1} Z" fill="{fill}" stroke="{c}" stroke-width="2"/>"#,
            y - 5.5,
            x + 5.0,
            y + 4.0,
            x - 5.0,
            y + 4.0
        ),
    };
}

fn to_f64(d: Decimal) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    d.to_f64().unwrap_or(0.0)
}

/// A scale from below `lo` to above `hi` in 4–6 round steps (1, 2 or 5 times a power of ten).
fn scale(lo: f64, hi: f64) -> (f64, f64, f64) {
    let span = if hi > lo { hi - lo } else { hi.abs().max(1.0) };
    let raw = span / 5.0;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power);
    let min = (lo / step).floor() * step;
    let mut max = (hi / step).ceil() * step;
    if max <= min {
        max = min + step;
    }
    (min, max, step)
}

/// An axis number with as many decimals as the step needs, the Swedish way.
fn axis_number(v: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil() as u32 + 1
    };
    let d = Decimal::from_f64_retain(v)
        .map(|d| d.round_dp(decimals))
        .unwrap_or_default();
    format_decimal_sv(d)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use malkedja_domain::{Direction, ReportKind, ValueKind};

    fn point(year: i32, kind: ReportKind, total: i64, women: Option<i64>) -> SeriesPoint {
        SeriesPoint {
            year,
            kind,
            total: Some(Decimal::from(total)),
            women: women.map(Decimal::from),
            men: women.map(|w| Decimal::from(total - w)),
            target: Some(Decimal::from(70)),
            preliminary: year == 2026,
        }
    }

    fn sample(by_sex: bool) -> IndicatorSeries {
        let w = |v| by_sex.then_some(v);
        IndicatorSeries {
            name: "Andel nöjda <brukare> & anhöriga".into(),
            unit_of_measure: Some("%".into()),
            direction: Direction::HigherIsBetter,
            value_kind: ValueKind::Percent,
            by_sex,
            points: vec![
                point(2024, ReportKind::AnnualReport, 61, w(30)),
                point(2025, ReportKind::AnnualReport, 66, w(31)),
                point(2026, ReportKind::Tertial1, 72, w(40)),
            ],
        }
    }

    #[test]
    fn a_chart_has_a_title_a_description_and_escaped_text() {
        let svg = svg(&sample(false), "c1");
        assert!(svg.starts_with("<svg "));
        assert!(svg.contains(r#"role="img" aria-labelledby="c1-title c1-desc""#));
        assert!(
            svg.contains(
                "<title id=\"c1-title\">Andel nöjda &lt;brukare&gt; &amp; anhöriga</title>"
            )
        );
        assert!(svg.contains("Senaste utfall: 72 % (T1 2026) mot årsmålet 70 %."));
        assert!(svg.contains("Årsmål"), "the target is named in the legend");
        assert!(svg.contains("Preliminärt"), "a draft's figure is marked");
        assert!(
            !svg.contains("Kvinnor"),
            "no lines for sexes that were not reported"
        );
        roxmltree_like_check(&svg);
    }

    #[test]
    fn women_and_men_are_told_apart_by_more_than_colour() {
        let svg = svg(&sample(true), "c2");
        for name in ["Utfall", "Kvinnor", "Män"] {
            assert!(
                svg.contains(&format!(">{name}</text>")),
                "{name} in the legend"
            );
        }
        assert!(
            svg.contains(r#"stroke-dasharray="7 4""#) && svg.contains(r#"stroke-dasharray="2 3""#)
        );
        assert!(
            svg.contains("<rect") && svg.contains(" Z\""),
            "square and triangle markers"
        );
        assert!(description(&sample(true)).contains("totalt och för kvinnor och män"));
    }

    #[test]
    fn scales_are_round() {
        assert_eq!(scale(0.0, 72.0), (0.0, 80.0, 20.0));
        assert_eq!(scale(0.0, 7.1), (0.0, 8.0, 2.0));
        assert_eq!(scale(-3.0, 12.0), (-5.0, 15.0, 5.0));
        assert_eq!(scale(0.0, 0.0), (0.0, 0.2, 0.2));
        assert_eq!(axis_number(2.5, 0.5), "2,5");
        assert_eq!(axis_number(40.0, 20.0), "40");
    }

    #[test]
    fn an_empty_series_still_says_so() {
        let mut s = sample(false);
        s.points.clear();
        assert_eq!(
            description(&s),
            "Andel nöjda <brukare> & anhöriga: inga utfall ännu."
        );
        assert!(svg(&s, "c3").ends_with("</svg>"));
    }

    /// The drawing is well-formed XML: every element opened is closed.
    fn roxmltree_like_check(svg: &str) {
        let mut reader = quick_xml::Reader::from_str(svg);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("not well-formed: {e}"),
            }
        }
    }
}
