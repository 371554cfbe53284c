//! The fonts inside the binary, and which characters they cover.
//!
//! Liberation Sans is the body font (metric-compatible with Arial, which the city's
//! documents use); DejaVu Sans covers what it lacks (Sami, Cyrillic, Greek, most symbols);
//! Symbola covers emoji and other pictographs. Licences are in `fonts/LICENSE-*.txt`.
//! Nothing is read from the system.

use std::sync::OnceLock;
use typst::foundations::Bytes;
use typst::text::Font;

const FILES: [&[u8]; 7] = [
    include_bytes!("../../fonts/LiberationSans-Regular.ttf"),
    include_bytes!("../../fonts/LiberationSans-Bold.ttf"),
    include_bytes!("../../fonts/LiberationSans-Italic.ttf"),
    include_bytes!("../../fonts/LiberationSans-BoldItalic.ttf"),
    include_bytes!("../../fonts/DejaVuSans.ttf"),
    include_bytes!("../../fonts/DejaVuSans-Bold.ttf"),
    include_bytes!("../../fonts/Symbola.ttf"),
];

/// The font families in fallback order, as the template names them.
pub const FAMILIES: [&str; 3] = ["Liberation Sans", "DejaVu Sans", "Symbola"];

/// Every embedded font, parsed once.
pub fn all() -> &'static [Font] {
    static FONTS: OnceLock<Vec<Font>> = OnceLock::new();
    FONTS.get_or_init(|| {
        FILES
            .iter()
            .flat_map(|bytes| Font::iter(Bytes::new(*bytes)))
            .collect()
    })
}

/// Whether every style of some embedded family has glyphs for both `base` and the
/// combining mark `mark`: typst shapes them together, in one font.
pub fn covers_with(base: char, mark: char) -> bool {
    family_covers(|f| {
        let cov = &f.info().coverage;
        cov.contains(mark as u32) && (base.is_whitespace() || cov.contains(base as u32))
    })
}

/// Whether every style of some embedded family has a glyph for `c`: a bold heading finds
/// it too, not only body text. Whitespace always counts as covered.
pub fn covers(c: char) -> bool {
    if matches!(c, ' ' | '\n' | '\t' | '\u{a0}') {
        return true;
    }
    family_covers(|f| f.info().coverage.contains(c as u32))
}

fn family_covers(has: impl Fn(&Font) -> bool) -> bool {
    FAMILIES.iter().any(|family| {
        let mut styles = all()
            .iter()
            .filter(|f| f.info().family.eq_ignore_ascii_case(family))
            .peekable();
        styles.peek().is_some() && styles.all(&has)
    })
}
