//! Numbers as Swedish documents write them: decimal comma, spaces between thousands,
//! "90 %" and "90%", units after the number. Values are kept exactly (decimals, not floats)
//! together with the text as written.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// A value as written in a document, with the number it states when it states one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measure {
    /// The text exactly as written ("58,84 %", "1,5 kg CO2 per kg livsmedel").
    pub text: String,
    /// The leading number, exact ("58.84"), if the text begins with one.
    pub value: Option<Decimal>,
}

impl Measure {
    /// Reads a value as written. The text is kept; the number is taken from its start.
    pub fn parse(text: &str) -> Measure {
        let text = text.trim().to_string();
        let value = leading_number(&text).and_then(|n| parse_decimal_sv(&n));
        Measure { text, value }
    }

    /// A measure made from a number, written the Swedish way.
    pub fn from_value(value: Decimal, suffix: &str) -> Measure {
        let mut text = format_decimal_sv(value);
        if !suffix.is_empty() {
            text.push(' ');
            text.push_str(suffix);
        }
        Measure {
            text,
            value: Some(value),
        }
    }
}

/// The number at the start of a text: digits, spaces between digit groups, one decimal
/// comma or point, an optional sign.
fn leading_number(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    if let Some(&c) = chars.peek()
        && (c == '-' || c == '−' || c == '+')
    {
        out.push(if c == '+' { '+' } else { '-' });
        chars.next();
    }
    let mut seen_digit = false;
    let mut seen_sep = false;
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            out.push(c);
            seen_digit = true;
            chars.next();
        } else if (c == ',' || c == '.') && seen_digit && !seen_sep {
            // A separator counts only when a digit follows it.
            let mut look = chars.clone();
            look.next();
            if look.peek().is_some_and(|d| d.is_ascii_digit()) {
                out.push(',');
                seen_sep = true;
                chars.next();
            } else {
                break;
            }
        } else if (c == ' ' || c == '\u{a0}' || c == '\u{202f}') && seen_digit && !seen_sep {
            // "40 000 000": a space inside a number only when three digits follow.
            let mut look = chars.clone();
            look.next();
            let digits: String = look.clone().take(4).collect();
            let three =
                digits.chars().take(3).all(|d| d.is_ascii_digit()) && digits.chars().count() >= 3;
            let fourth_ok = digits.chars().nth(3).is_none_or(|d| !d.is_ascii_digit());
            if three && fourth_ok {
                chars.next();
            } else {
                break;
            }
        } else {
            break;
        }
    }
    seen_digit.then_some(out)
}

/// Parses a Swedish decimal: "58,84", "4,4", "40 000", "-1,5". Also accepts a point.
pub fn parse_decimal_sv(s: &str) -> Option<Decimal> {
    let cleaned: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .map(|c| match c {
            ',' => '.',
            '−' => '-',
            other => other,
        })
        .collect();
    if cleaned.is_empty() {
        return None;
    }
    Decimal::from_str(&cleaned).ok()
}

/// Reads an amount in kronor as people write one: "21 400 000", "21 400 000 kr",
/// "850 tkr", "21,4 mnkr". `None` when the text is not an amount ("ca 300 tkr", "300 tkr
/// ungefär").
pub fn parse_amount_kr(text: &str) -> Option<Decimal> {
    let t = text.trim().to_lowercase();
    let t = t.strip_suffix('.').unwrap_or(&t);
    let units: [(&str, i64); 6] = [
        ("mnkr", 1_000_000),
        ("mkr", 1_000_000),
        ("miljoner kronor", 1_000_000),
        ("tkr", 1_000),
        ("kronor", 1),
        ("kr", 1),
    ];
    let (number, factor) = units
        .iter()
        .find_map(|(unit, factor)| t.strip_suffix(unit).map(|n| (n, *factor)))
        .unwrap_or((t, 1));
    parse_decimal_sv(number)?
        .checked_mul(Decimal::from(factor))
        .map(|d| d.normalize())
}

/// Writes a decimal the Swedish way: decimal comma, no-break spaces between thousands in
/// numbers of five digits or more, trailing zeros of the fraction dropped.
pub fn format_decimal_sv(d: Decimal) -> String {
    let d = d.normalize();
    let s = d.abs().to_string();
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s.clone(), None),
    };
    let int = if int.len() > 4 {
        let mut grouped = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push('\u{a0}');
            }
            grouped.push(c);
        }
        grouped
    } else {
        int
    };
    let mut out = String::new();
    if d.is_sign_negative() && !d.is_zero() {
        out.push('−');
    }
    out.push_str(&int);
    if let Some(f) = frac {
        out.push(',');
        out.push_str(&f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Target;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn reads_the_forms_documents_use() {
        assert_eq!(Measure::parse("58,84 %").value, Some(dec("58.84")));
        assert_eq!(Measure::parse("90%").value, Some(dec("90")));
        assert_eq!(Measure::parse("90 %").value, Some(dec("90")));
        assert_eq!(Measure::parse("83").value, Some(dec("83")));
        assert_eq!(Measure::parse("4,4 mnkr").value, Some(dec("4.4")));
        assert_eq!(
            Measure::parse("1,5 kg CO2 per kg livsmedel").value,
            Some(dec("1.5"))
        );
        assert_eq!(Measure::parse("40 000 000 kr").value, Some(dec("40000000")));
        assert_eq!(Measure::parse("0 st").value, Some(dec("0")));
        assert_eq!(Measure::parse("-3,3").value, Some(dec("-3.3")));
        assert_eq!(Measure::parse("Tas fram av nämnd").value, None);
        assert_eq!(Measure::parse("19 Tas fram").value, Some(dec("19")));
        assert_eq!(Measure::parse("2025 10 st").value, Some(dec("2025")));
    }

    #[test]
    fn amounts_read_in_kronor() {
        assert_eq!(parse_amount_kr("21 400 000"), Some(dec("21400000")));
        assert_eq!(
            parse_amount_kr(" 21\u{a0}400\u{a0}000 kr "),
            Some(dec("21400000"))
        );
        assert_eq!(parse_amount_kr("850 tkr"), Some(dec("850000")));
        assert_eq!(parse_amount_kr("21,4 mnkr"), Some(dec("21400000")));
        assert_eq!(parse_amount_kr("4,4 Mkr."), Some(dec("4400000")));
        assert_eq!(parse_amount_kr("2 miljoner kronor"), Some(dec("2000000")));
        assert_eq!(parse_amount_kr("-5 tkr"), Some(dec("-5000")));
        assert_eq!(parse_amount_kr("ca 300 tkr"), None);
        assert_eq!(parse_amount_kr("300 tkr ungefär"), None);
        assert_eq!(parse_amount_kr("tkr"), None);
        assert_eq!(parse_amount_kr(""), None);
    }

    #[test]
    fn keeps_the_text_as_written() {
        assert_eq!(Measure::parse(" 90% ").text, "90%");
    }

    #[test]
    fn writes_decimal_comma_and_groups_thousands() {
        assert_eq!(format_decimal_sv(dec("58.84")), "58,84");
        assert_eq!(format_decimal_sv(dec("4.40")), "4,4");
        assert_eq!(format_decimal_sv(dec("8.5")), "8,5");
        assert_eq!(format_decimal_sv(dec("2025")), "2025");
        assert_eq!(format_decimal_sv(dec("28000000")), "28\u{a0}000\u{a0}000");
        assert_eq!(format_decimal_sv(dec("-895")), "−895");
        assert_eq!(Measure::from_value(dec("70"), "%").text, "70 %");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Whatever people type, reading it never fails and keeps the text.
        #[test]
        fn any_text_is_read_without_panic(text in "\\PC{0,40}") {
            let m = Measure::parse(&text);
            proptest::prop_assert_eq!(m.text, text.trim());
            let _ = Target::parse(&text);
        }

        /// Every number written the Swedish way reads back as the same number.
        #[test]
        fn written_numbers_read_back(units in -10_000_000_000i64..10_000_000_000i64, scale in 0u32..5) {
            let d = Decimal::new(units, scale);
            let written = format_decimal_sv(d);
            proptest::prop_assert_eq!(parse_decimal_sv(&written), Some(d.normalize()));
            proptest::prop_assert_eq!(Measure::parse(&format!("{written} %")).value, Some(d.normalize()));
        }
    }

    #[test]
    fn parse_and_format_round_trip() {
        for s in ["0", "1,5", "58,84", "12\u{a0}345", "−7,25"] {
            assert_eq!(format_decimal_sv(parse_decimal_sv(s).unwrap()), s);
        }
    }
}
