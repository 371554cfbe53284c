//! Rebuilding paragraphs from wrapped lines.

use crate::lines::{Kind, Tok};
use crate::text::{char_len, ends_sentence, first_word, is_bullet, join_words, starts_lowercase};

/// Layout facts measured on the whole document.
#[derive(Debug, Clone, Copy, Default)]
pub struct Layout {
    /// Typical width (characters) of a full wrapped line, if measurable.
    pub width: Option<usize>,
    /// True when the export puts an empty line after every text line.
    pub double_spaced: bool,
}

impl Layout {
    /// Measures the layout from the lines.
    pub fn measure(toks: &[Tok<'_>]) -> Layout {
        let mut wrapped = Vec::new();
        let mut lower_after_gap = 0usize;
        let mut lower_after_text = 0usize;
        for (i, t) in toks.iter().enumerate() {
            if t.kind != Kind::Text || t.raw.contains('\t') {
                continue;
            }
            let Some(next) = toks.get(i + 1) else {
                continue;
            };
            let (b, gap) = if next.kind == Kind::Empty {
                (toks.get(i + 2), true)
            } else {
                (Some(next), false)
            };
            let Some(b) = b else { continue };
            if b.kind != Kind::Text || !starts_lowercase(b.raw) || ends_sentence(t.raw) {
                continue;
            }
            wrapped.push(char_len(t.raw.trim_end()));
            if gap {
                lower_after_gap += 1;
            } else {
                lower_after_text += 1;
            }
        }
        wrapped.sort_unstable();
        let width = if wrapped.len() >= 20 {
            wrapped.get(wrapped.len() * 9 / 10).copied()
        } else {
            None
        };
        Layout {
            width,
            double_spaced: lower_after_gap > lower_after_text && lower_after_gap >= 5,
        }
    }

    /// True when the first word of `b` would have fitted on line `a`, i.e. the
    /// line break after `a` was made by the writer, not by wrapping.
    pub fn is_short(&self, a: &str, b: &str) -> bool {
        match self.width {
            Some(w) => {
                let need = char_len(a.trim()) + 1 + char_len(first_word(b));
                need * 100 <= w * 88
            }
            None => ends_sentence(a),
        }
    }
}

/// A rebuilt paragraph.
#[derive(Debug, Clone)]
pub struct Para {
    /// Line number of the first line.
    pub first_line: usize,
    /// Line number of the last line.
    pub last_line: usize,
    /// Text: wrapped lines joined by spaces, kept line breaks as "\n".
    pub text: String,
}

/// Groups text lines into paragraphs.
pub fn paragraphs(lines: &[Tok<'_>], layout: &Layout) -> Vec<Para> {
    let mut out: Vec<Para> = Vec::new();
    let mut cur: Option<Para> = None;
    let mut prev_raw: &str = "";
    let mut cur_item_is_bullet = false;
    let mut gap: Option<Kind> = None;
    for t in lines {
        match t.kind {
            Kind::Empty => {
                if gap != Some(Kind::Blank) {
                    gap = Some(Kind::Empty);
                }
                continue;
            }
            Kind::Blank => {
                gap = Some(Kind::Blank);
                continue;
            }
            _ => {}
        }
        let b = t.raw;
        let bullet = is_bullet(b);
        match cur.as_mut() {
            None => {
                cur = Some(Para {
                    first_line: t.no,
                    last_line: t.no,
                    text: b.trim().to_string(),
                });
                cur_item_is_bullet = bullet;
            }
            Some(p) => {
                let relation = relation(prev_raw, b, gap, bullet, cur_item_is_bullet, layout);
                match relation {
                    Rel::NewPara => {
                        if let Some(done) = cur.take() {
                            out.push(done);
                        }
                        cur = Some(Para {
                            first_line: t.no,
                            last_line: t.no,
                            text: b.trim().to_string(),
                        });
                        cur_item_is_bullet = bullet;
                    }
                    Rel::LineBreak => {
                        p.text.push('\n');
                        p.text.push_str(b.trim());
                        p.last_line = t.no;
                        cur_item_is_bullet = bullet;
                    }
                    Rel::Join => {
                        join_words(&mut p.text, b);
                        p.last_line = t.no;
                    }
                }
            }
        }
        prev_raw = b;
        gap = None;
    }
    if let Some(done) = cur {
        out.push(done);
    }
    out
}

enum Rel {
    NewPara,
    LineBreak,
    Join,
}

fn relation(
    a: &str,
    b: &str,
    gap: Option<Kind>,
    bullet: bool,
    in_bullet: bool,
    layout: &Layout,
) -> Rel {
    match gap {
        Some(Kind::Blank) => Rel::NewPara,
        Some(_) => {
            if starts_lowercase(b) && !ends_sentence(a) {
                Rel::Join
            } else if layout.double_spaced {
                if bullet {
                    if in_bullet {
                        Rel::LineBreak
                    } else {
                        Rel::NewPara
                    }
                } else if layout.is_short(a, b) {
                    Rel::NewPara
                } else {
                    Rel::Join
                }
            } else {
                Rel::NewPara
            }
        }
        None => {
            let short = layout.is_short(a, b) && (layout.width.is_some() || !starts_lowercase(b));
            if bullet || short {
                Rel::LineBreak
            } else {
                Rel::Join
            }
        }
    }
}

/// Joins all text lines into one line (used for "Analys" texts).
pub fn one_line(lines: &[Tok<'_>]) -> String {
    let mut s = String::new();
    for t in lines {
        if t.kind == Kind::Text {
            join_words(&mut s, t.raw);
        }
    }
    s
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;

    fn toks(lines: &[&'static str]) -> Vec<Tok<'static>> {
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| Tok {
                no: i + 1,
                raw: l,
                kind: if l.is_empty() {
                    Kind::Empty
                } else if l.trim().is_empty() {
                    Kind::Blank
                } else {
                    Kind::Text
                },
            })
            .collect()
    }

    #[test]
    fn wrapped_lines_join_and_blank_lines_split() {
        let layout = Layout {
            width: Some(40),
            double_spaced: false,
        };
        let t = toks(&[
            "Det här är en rad som bryts av",
            "exporten mitt i meningen.",
            "",
            "Nytt stycke.",
        ]);
        let p = paragraphs(&t, &layout);
        assert_eq!(p.len(), 2);
        assert_eq!(
            p[0].text,
            "Det här är en rad som bryts av exporten mitt i meningen."
        );
        assert_eq!(p[1].text, "Nytt stycke.");
    }

    #[test]
    fn bullets_stay_on_own_lines() {
        let layout = Layout {
            width: Some(40),
            double_spaced: false,
        };
        let t = toks(&[
            "- första punkten som är lång och",
            "fortsätter här",
            "-andra punkten",
        ]);
        let p = paragraphs(&t, &layout);
        assert_eq!(p.len(), 1);
        assert_eq!(
            p[0].text,
            "- första punkten som är lång och fortsätter här\n-andra punkten"
        );
    }

    #[test]
    fn double_spaced_export_joins_across_empty_lines() {
        let layout = Layout {
            width: Some(60),
            double_spaced: true,
        };
        let t = toks(&[
            "Enheten har som uppdrag att stärka alla",
            "",
            "och minska ensamheten hos seniorer.",
            "",
            "Kort.",
            "",
            "Nästa stycke börjar här.",
        ]);
        let p = paragraphs(&t, &layout);
        assert_eq!(p.len(), 3, "{p:?}");
        assert_eq!(
            p[0].text,
            "Enheten har som uppdrag att stärka alla och minska ensamheten hos seniorer."
        );
    }
}
