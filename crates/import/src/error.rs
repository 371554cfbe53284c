//! Errors of the importer. Messages are in Swedish and name the line where
//! that helps the user.

/// Why a text could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The input has no content (or only whitespace).
    #[error("texten är tom: det finns inget att importera")]
    Empty,

    /// The bytes are not valid UTF-8.
    #[error(
        "rad {line}: texten är inte giltig UTF-8 (ogiltig byte vid position {offset}); spara exporten som UTF-8 och försök igen"
    )]
    InvalidUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
        /// Line (1-based) where the invalid byte is.
        line: usize,
    },

    /// The text is not a plan, tertial report or annual report.
    #[error(
        "texten ser inte ut som en verksamhetsplan, tertialrapport eller verksamhetsberättelse: {reason}"
    )]
    NotADocument {
        /// What was missing.
        reason: String,
    },

    /// Year and/or unit could not be found and no override was given.
    #[error("{}", missing_message(*year, *unit))]
    MissingMetadata {
        /// The year is missing.
        year: bool,
        /// The unit's name is missing.
        unit: bool,
    },
}

fn missing_message(year: bool, unit: bool) -> String {
    match (year, unit) {
        (true, true) => "varken årtal eller enhetens namn gick att hitta i texten; ange dem med --year och --unit".to_string(),
        (true, false) => "årtalet gick inte att hitta i texten (ingen titel, tabellrubrik eller datum med årtal); ange det med --year".to_string(),
        (false, true) => "enhetens namn gick inte att hitta i texten (ingen titel med \"för …\" eller inledande beskrivning av enheten); ange det med --unit".to_string(),
        (false, false) => "metadata saknas".to_string(),
    }
}
