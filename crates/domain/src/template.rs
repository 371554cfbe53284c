//! Editing an administration's template of plan sections for a year: add a section,
//! rename its heading, change its guidance, move it under another or before/after the goal
//! cascade, reorder, remove. Pure functions from one template to the next; the store keeps
//! the template's version and refuses to remove a section some plan has text in.
//!
//! Rules:
//! - a section's key never changes (plans' texts are stored under it); a new section gets a
//!   key made from its heading ([`new_key`]);
//! - a heading is not empty and at most [`HEADING_MAX_CHARS`] characters, guidance at most
//!   [`GUIDANCE_MAX_CHARS`];
//! - a section lies under a section of the template, never under itself or one of its own
//!   sub-sections, and a sub-section is printed where its parent is (before or after the
//!   cascade);
//! - a section with sub-sections is not removed (its sub-sections first);
//! - positions are renumbered 0, 1, 2 … in printed order after every change.

use crate::{Placement, TemplateSection};
use std::collections::HashSet;

/// The most characters a section's heading may have.
pub const HEADING_MAX_CHARS: usize = 200;
/// The most characters a section's guidance may have.
pub const GUIDANCE_MAX_CHARS: usize = 5_000;

/// Why a template, or a change to it, is refused. Messages are Swedish.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("skriv en rubrik")]
    EmptyHeading,
    #[error("rubriken får vara högst {max} tecken; den är nu {len}")]
    HeadingTooLong { max: usize, len: usize },
    #[error("vägledningen får vara högst {max} tecken; den är nu {len}")]
    GuidanceTooLong { max: usize, len: usize },
    #[error("mallen har inget avsnitt med nyckeln {0:?}")]
    UnknownSection(String),
    #[error("två avsnitt i mallen har nyckeln {0:?}")]
    DuplicateKey(String),
    #[error("nyckeln {0:?} går inte att använda: bara a–z, 0–9 och _")]
    BadKey(String),
    #[error("avsnittet ligger under ett avsnitt som inte finns i mallen")]
    UnknownParent,
    #[error(
        "ett avsnitt kan inte ligga under sig självt eller under ett av sina egna underavsnitt"
    )]
    ParentCycle,
    #[error("avsnittet {heading:?} har underavsnitt: flytta eller ta bort dem först")]
    HasChildren { heading: String },
    #[error(
        "avsnittet {heading:?} kan inte tas bort: {} har text i det. Töm avsnittet i {} först, eller behåll det",
        plans_sv(*plans), if *plans == 1 { "den planen" } else { "de planerna" }
    )]
    HasText { heading: String, plans: i64 },
}

fn plans_sv(n: i64) -> String {
    if n == 1 {
        "1 plan".into()
    } else {
        format!("{n} planer")
    }
}

/// What a writer sets on a section: its heading, guidance, where it lies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionEdit {
    pub heading: String,
    pub guidance: String,
    /// The section it lies under; `None`: a top section.
    pub parent_key: Option<String>,
    /// Before or after the goal cascade; a sub-section follows its parent whatever this says.
    pub placement: Placement,
}

/// Checks a heading as a writer typed it.
pub fn check_heading(heading: &str) -> Result<(), TemplateError> {
    let h = heading.trim();
    let len = h.chars().count();
    if h.is_empty() {
        Err(TemplateError::EmptyHeading)
    } else if len > HEADING_MAX_CHARS {
        Err(TemplateError::HeadingTooLong {
            max: HEADING_MAX_CHARS,
            len,
        })
    } else {
        Ok(())
    }
}

/// Checks guidance as a writer typed it.
pub fn check_guidance(guidance: &str) -> Result<(), TemplateError> {
    let len = guidance.chars().count();
    if len > GUIDANCE_MAX_CHARS {
        Err(TemplateError::GuidanceTooLong {
            max: GUIDANCE_MAX_CHARS,
            len,
        })
    } else {
        Ok(())
    }
}

fn good_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A key for a new section, from its heading: lower case a–z, 0–9 and `_` ("Budget {år}" →
/// "budget_ar"), unlike every key in `taken` (a number is added when needed).
pub fn new_key(heading: &str, taken: &[&str]) -> String {
    let mut base = String::new();
    for c in heading.to_lowercase().chars() {
        let c = match c {
            'å' | 'ä' | 'á' | 'à' => 'a',
            'ö' | 'ø' | 'ó' => 'o',
            'é' | 'è' | 'ë' => 'e',
            'ü' | 'ú' => 'u',
            c => c,
        };
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            base.push(c);
        } else if !base.is_empty() && !base.ends_with('_') {
            base.push('_');
        }
    }
    let mut base: String = base.trim_end_matches('_').chars().take(40).collect();
    if base.is_empty() {
        base = "avsnitt".into();
    }
    let base = base.trim_end_matches('_').to_string();
    if !taken.contains(&base.as_str()) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|k| !taken.contains(&k.as_str()))
        .unwrap_or(base)
}

/// Checks a whole template: keys usable and unique, every heading written, parents in the
/// template and no section under itself. (The limits on a heading's and guidance's length
/// are for what a person types, [`check_heading`] and [`check_guidance`]: a heading an
/// import brought in stays as the document had it.)
pub fn check_template(sections: &[TemplateSection]) -> Result<(), TemplateError> {
    let mut keys = HashSet::new();
    for s in sections {
        if !good_key(&s.key) {
            return Err(TemplateError::BadKey(s.key.clone()));
        }
        if !keys.insert(s.key.as_str()) {
            return Err(TemplateError::DuplicateKey(s.key.clone()));
        }
        if s.heading.trim().is_empty() {
            return Err(TemplateError::EmptyHeading);
        }
    }
    for s in sections {
        if let Some(p) = &s.parent_key
            && !keys.contains(p.as_str())
        {
            return Err(TemplateError::UnknownParent);
        }
        if ancestors(sections, &s.key).contains(&s.key.as_str()) {
            return Err(TemplateError::ParentCycle);
        }
    }
    Ok(())
}

/// The keys above `key`, nearest first; stops at a loop.
fn ancestors<'a>(sections: &'a [TemplateSection], key: &str) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    let mut at = sections
        .iter()
        .find(|s| s.key == key)
        .and_then(|s| s.parent_key.as_deref());
    while let Some(p) = at {
        if out.contains(&p) {
            break;
        }
        out.push(p);
        if p == key {
            break;
        }
        at = sections
            .iter()
            .find(|s| s.key == p)
            .and_then(|s| s.parent_key.as_deref());
    }
    out
}

/// The template in printed order (before the cascade, then after; each section followed by
/// its sub-sections), each sub-section placed where its parent is, positions renumbered
/// from 0. Sections whose parent is missing are kept, at the top.
pub fn arranged(sections: &[TemplateSection]) -> Vec<TemplateSection> {
    fn walk(
        parent: Option<&str>,
        placement: Option<Placement>,
        all: &[TemplateSection],
        seen: &mut HashSet<String>,
        out: &mut Vec<TemplateSection>,
    ) {
        let mut rows: Vec<&TemplateSection> = all
            .iter()
            .filter(|s| s.parent_key.as_deref() == parent && !seen.contains(&s.key))
            .collect();
        rows.sort_by_key(|s| s.position);
        for s in rows {
            if !seen.insert(s.key.clone()) {
                continue;
            }
            let mut s = s.clone();
            if let Some(p) = placement {
                s.placement = p;
            }
            let placement = s.placement;
            let key = s.key.clone();
            out.push(s);
            walk(Some(&key), Some(placement), all, seen, out);
        }
    }
    let keys: HashSet<&str> = sections.iter().map(|s| s.key.as_str()).collect();
    let mut seen = HashSet::new();
    let mut tree = Vec::new();
    // Top sections, and those whose parent is not in the template, start trees.
    let mut tops: Vec<TemplateSection> = sections
        .iter()
        .filter(|s| s.parent_key.as_deref().is_none_or(|p| !keys.contains(p)))
        .cloned()
        .map(|mut s| {
            s.parent_key = s.parent_key.filter(|p| keys.contains(p.as_str()));
            s
        })
        .collect();
    tops.sort_by_key(|s| s.position);
    for top in tops {
        if !seen.insert(top.key.clone()) {
            continue;
        }
        let placement = top.placement;
        let key = top.key.clone();
        tree.push(top);
        walk(Some(&key), Some(placement), sections, &mut seen, &mut tree);
    }
    // Printed order: everything before the cascade, then everything after.
    let mut out: Vec<TemplateSection> = tree
        .iter()
        .filter(|s| s.placement == Placement::BeforeCascade)
        .chain(
            tree.iter()
                .filter(|s| s.placement == Placement::AfterCascade),
        )
        .cloned()
        .collect();
    for (i, s) in out.iter_mut().enumerate() {
        s.position = i as i64;
    }
    out
}

fn find<'a>(
    sections: &'a [TemplateSection],
    key: &str,
) -> Result<&'a TemplateSection, TemplateError> {
    sections
        .iter()
        .find(|s| s.key == key)
        .ok_or_else(|| TemplateError::UnknownSection(key.to_string()))
}

/// Checks where an edited section is put: under a section of the template, not under
/// itself or its own sub-sections.
fn check_parent(
    sections: &[TemplateSection],
    key: Option<&str>,
    parent: Option<&str>,
) -> Result<(), TemplateError> {
    let Some(p) = parent else { return Ok(()) };
    find(sections, p).map_err(|_| TemplateError::UnknownParent)?;
    if let Some(k) = key
        && (p == k || ancestors(sections, p).contains(&k))
    {
        return Err(TemplateError::ParentCycle);
    }
    Ok(())
}

/// A position after every section's: what puts a section last among its siblings, wherever
/// they are.
fn last_position(sections: &[TemplateSection]) -> i64 {
    sections.iter().map(|s| s.position + 1).max().unwrap_or(0)
}

/// Adds a section, last among its siblings. Returns the new template and the new key.
pub fn add_section(
    sections: &[TemplateSection],
    edit: &SectionEdit,
) -> Result<(Vec<TemplateSection>, String), TemplateError> {
    check_heading(&edit.heading)?;
    check_guidance(&edit.guidance)?;
    check_parent(sections, None, edit.parent_key.as_deref())?;
    let taken: Vec<&str> = sections.iter().map(|s| s.key.as_str()).collect();
    let key = new_key(&edit.heading, &taken);
    let mut out = sections.to_vec();
    out.push(TemplateSection {
        key: key.clone(),
        parent_key: edit.parent_key.clone(),
        heading: edit.heading.trim().to_string(),
        guidance: edit.guidance.trim().to_string(),
        placement: edit.placement,
        position: last_position(sections),
    });
    Ok((arranged(&out), key))
}

/// Changes a section's heading, guidance and place. A section moved under another parent,
/// or to the other side of the cascade, comes last there; its sub-sections go with it.
pub fn update_section(
    sections: &[TemplateSection],
    key: &str,
    edit: &SectionEdit,
) -> Result<Vec<TemplateSection>, TemplateError> {
    check_heading(&edit.heading)?;
    check_guidance(&edit.guidance)?;
    let current = find(sections, key)?.clone();
    check_parent(sections, Some(key), edit.parent_key.as_deref())?;
    let moved = current.parent_key != edit.parent_key
        || (edit.parent_key.is_none() && current.placement != edit.placement);
    let position = if moved {
        last_position(sections)
    } else {
        current.position
    };
    let out: Vec<TemplateSection> = sections
        .iter()
        .map(|s| {
            if s.key == key {
                TemplateSection {
                    key: s.key.clone(),
                    parent_key: edit.parent_key.clone(),
                    heading: edit.heading.trim().to_string(),
                    guidance: edit.guidance.trim().to_string(),
                    placement: edit.placement,
                    position,
                }
            } else {
                s.clone()
            }
        })
        .collect();
    Ok(arranged(&out))
}

/// Which way a section moves among its siblings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
}

/// Moves a section one step among its siblings (the sections with the same parent, on the
/// same side of the cascade), its sub-sections with it. At the end it stays where it is.
pub fn move_section(
    sections: &[TemplateSection],
    key: &str,
    way: Move,
) -> Result<Vec<TemplateSection>, TemplateError> {
    let all = arranged(sections);
    let me = find(&all, key)?.clone();
    let siblings: Vec<&TemplateSection> = all
        .iter()
        .filter(|s| s.parent_key == me.parent_key && s.placement == me.placement)
        .collect();
    let at = siblings.iter().position(|s| s.key == key).unwrap_or(0);
    let other = match way {
        Move::Up if at > 0 => siblings[at - 1].key.clone(),
        Move::Down if at + 1 < siblings.len() => siblings[at + 1].key.clone(),
        _ => return Ok(all),
    };
    let other_position = find(&all, &other)?.position;
    let out: Vec<TemplateSection> = all
        .iter()
        .map(|s| {
            let mut s = s.clone();
            if s.key == key {
                s.position = other_position;
            } else if s.key == other {
                s.position = me.position;
            }
            s
        })
        .collect();
    Ok(arranged(&out))
}

/// Removes a section that has no sub-sections. Whether plans have text in it is the
/// store's to check.
pub fn remove_section(
    sections: &[TemplateSection],
    key: &str,
) -> Result<Vec<TemplateSection>, TemplateError> {
    let me = find(sections, key)?;
    if sections
        .iter()
        .any(|s| s.parent_key.as_deref() == Some(key))
    {
        return Err(TemplateError::HasChildren {
            heading: me.heading.clone(),
        });
    }
    let out: Vec<TemplateSection> = sections.iter().filter(|s| s.key != key).cloned().collect();
    Ok(arranged(&out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::default_plan_template;

    fn keys(t: &[TemplateSection]) -> Vec<&str> {
        t.iter().map(|s| s.key.as_str()).collect()
    }

    fn edit(heading: &str, parent: Option<&str>, placement: Placement) -> SectionEdit {
        SectionEdit {
            heading: heading.into(),
            guidance: "Skriv något.".into(),
            parent_key: parent.map(Into::into),
            placement,
        }
    }

    #[test]
    fn the_default_template_is_valid_and_already_arranged() {
        let t = default_plan_template();
        assert_eq!(check_template(&t), Ok(()));
        assert_eq!(arranged(&t), t);
    }

    #[test]
    fn keys_are_made_from_headings_and_never_taken_twice() {
        assert_eq!(new_key("Budget {år}", &[]), "budget_ar");
        assert_eq!(
            new_key("Systematiskt kvalitetsarbete", &[]),
            "systematiskt_kvalitetsarbete"
        );
        assert_eq!(new_key("Övrigt", &["ovrigt"]), "ovrigt_2");
        assert_eq!(new_key("Övrigt", &["ovrigt", "ovrigt_2"]), "ovrigt_3");
        assert_eq!(new_key("???", &[]), "avsnitt");
        assert!(good_key(&new_key(&"Långt ord ".repeat(30), &[])));
    }

    #[test]
    fn headings_and_guidance_have_limits() {
        assert_eq!(check_heading("  "), Err(TemplateError::EmptyHeading));
        assert!(check_heading(&"å".repeat(HEADING_MAX_CHARS)).is_ok());
        assert!(matches!(
            check_heading(&"å".repeat(HEADING_MAX_CHARS + 1)),
            Err(TemplateError::HeadingTooLong { .. })
        ));
        assert!(matches!(
            check_guidance(&"x".repeat(GUIDANCE_MAX_CHARS + 1)),
            Err(TemplateError::GuidanceTooLong { .. })
        ));
    }

    #[test]
    fn a_new_section_comes_last_among_its_siblings() {
        let t = default_plan_template();
        let (t, key) = add_section(
            &t,
            &edit("Lokaler", Some("ekonomi"), Placement::BeforeCascade),
        )
        .unwrap();
        assert_eq!(key, "lokaler");
        let new = t.iter().find(|s| s.key == "lokaler").unwrap();
        // Under Redovisning av ekonomi, so after the cascade like its parent.
        assert_eq!(new.placement, Placement::AfterCascade);
        let k = keys(&t);
        let at = k.iter().position(|k| *k == "lokaler").unwrap();
        assert_eq!(k[at - 1], "budget");
        assert_eq!(k[at + 1], "ovrigt");
        assert_eq!(check_template(&t), Ok(()));
        // A top section before the cascade comes after Inledning and its sub-sections.
        let (t, key) = add_section(&t, &edit("Vision", None, Placement::BeforeCascade)).unwrap();
        let k = keys(&t);
        assert_eq!(k.iter().position(|k| *k == key), Some(4));
    }

    #[test]
    fn renaming_keeps_the_key_and_moving_takes_the_sub_sections_along() {
        let t = default_plan_template();
        let mut e = edit("Vår ekonomi {år}", None, Placement::BeforeCascade);
        e.guidance = "Ny vägledning".into();
        let t = update_section(&t, "ekonomi", &e).unwrap();
        let ekonomi = t.iter().find(|s| s.key == "ekonomi").unwrap();
        assert_eq!(ekonomi.heading, "Vår ekonomi {år}");
        assert_eq!(ekonomi.placement, Placement::BeforeCascade);
        for child in ["resursanvandning", "budget"] {
            let s = t.iter().find(|s| s.key == child).unwrap();
            assert_eq!(s.placement, Placement::BeforeCascade, "{child}");
        }
        let k = keys(&t);
        assert_eq!(
            &k[..7],
            [
                "inledning",
                "uppdrag",
                "utvecklingsomraden",
                "organisation",
                "ekonomi",
                "resursanvandning",
                "budget"
            ]
        );
        assert_eq!(check_template(&t), Ok(()));
    }

    #[test]
    fn a_section_cannot_go_under_itself_or_its_own_sub_sections() {
        let t = default_plan_template();
        let e = |p: &str| edit("Övrigt", Some(p), Placement::AfterCascade);
        assert_eq!(
            update_section(&t, "ovrigt", &e("ovrigt")),
            Err(TemplateError::ParentCycle)
        );
        assert_eq!(
            update_section(&t, "ovrigt", &e("synpunkter")),
            Err(TemplateError::ParentCycle)
        );
        assert_eq!(
            update_section(&t, "ovrigt", &e("finns_inte")),
            Err(TemplateError::UnknownParent)
        );
        assert_eq!(
            update_section(&t, "finns_inte", &e("ovrigt")),
            Err(TemplateError::UnknownSection("finns_inte".into()))
        );
    }

    #[test]
    fn sections_move_among_their_siblings() {
        let t = default_plan_template();
        let t2 = move_section(&t, "budget", Move::Up).unwrap();
        let k = keys(&t2);
        let at = k.iter().position(|k| *k == "budget").unwrap();
        assert_eq!(k[at + 1], "resursanvandning");
        // The first sibling does not move further up; the last not further down.
        assert_eq!(move_section(&t2, "budget", Move::Up).unwrap(), t2);
        assert_eq!(move_section(&t, "agenda2030", Move::Down).unwrap(), t);
        // Övrigt moves above Redovisning av ekonomi with everything under it.
        let t3 = move_section(&t, "ovrigt", Move::Up).unwrap();
        let k = keys(&t3);
        let ovrigt = k.iter().position(|k| *k == "ovrigt").unwrap();
        let ekonomi = k.iter().position(|k| *k == "ekonomi").unwrap();
        let agenda = k.iter().position(|k| *k == "agenda2030").unwrap();
        assert!(ovrigt < agenda && agenda < ekonomi);
        assert_eq!(check_template(&t3), Ok(()));
    }

    #[test]
    fn a_section_with_sub_sections_is_not_removed() {
        let t = default_plan_template();
        assert_eq!(
            remove_section(&t, "ekonomi"),
            Err(TemplateError::HasChildren {
                heading: "Redovisning av ekonomi".into()
            })
        );
        let t2 = remove_section(&t, "budget").unwrap();
        assert!(!keys(&t2).contains(&"budget"));
        assert_eq!(t2.len(), t.len() - 1);
        assert_eq!(check_template(&t2), Ok(()));
    }

    #[test]
    fn a_broken_template_is_refused() {
        let mut t = default_plan_template();
        t[1].key = "inledning".into();
        assert_eq!(
            check_template(&t),
            Err(TemplateError::DuplicateKey("inledning".into()))
        );
        let mut t = default_plan_template();
        t[0].parent_key = Some("uppdrag".into());
        assert_eq!(check_template(&t), Err(TemplateError::ParentCycle));
        let mut t = default_plan_template();
        t[0].key = "Inledning!".into();
        assert!(matches!(check_template(&t), Err(TemplateError::BadKey(_))));
    }

    #[test]
    fn the_refusal_says_how_many_plans_have_text() {
        let one = TemplateError::HasText {
            heading: "Budget {år}".into(),
            plans: 1,
        };
        assert!(one.to_string().contains("1 plan har text"), "{one}");
        let three = TemplateError::HasText {
            heading: "Budget {år}".into(),
            plans: 3,
        };
        assert!(three.to_string().contains("3 planer har text"), "{three}");
    }
}
