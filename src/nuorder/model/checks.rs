//! One value at a time: the checks every field of a raw document goes through (text bounded and
//! free of stray control characters, amounts decimal and bounded, counts whole, dates real).

use super::errors::{fail, Check, Reason};
use super::limits::{MAX_AMOUNT, MAX_TEXT_CHARS};
use super::types::Timestamp;
use crate::core::decimal::DecimalError;
use crate::core::money::Money;
use crate::core::scalar::{snippet, Scalar};

/// What control characters a text field tolerates.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum TextKind {
    /// Identifiers, codes, sizes, colors: no control characters at all; trimmed.
    Code,
    /// Names and addresses: tab, CR and LF tolerated; kept as sent.
    Prose,
}

/// The text of a leaf; numbers are accepted as the text they were written as (a shoe size sent as
/// `8.5` is the size "8.5"; `3.0` is "3").
pub(super) fn leaf_text(prefix: &str, name: &str, v: &Scalar) -> Check<String> {
    match v {
        Scalar::Text(s) => Ok(s.clone()),
        Scalar::Int(i) => Ok(i.to_string()),
        Scalar::UInt(u) => Ok(u.to_string()),
        Scalar::Float(f) if f.is_finite() => Ok(format!("{f}")),
        other => fail(prefix, name, Reason::WrongType { detail: format!("expected text, got {}", other.describe()) }),
    }
}

pub(super) fn opt_text(
    prefix: &str,
    name: &str,
    v: &Option<Scalar>,
    kind: TextKind,
    max: usize,
) -> Check<Option<String>> {
    let v = match v {
        Some(v) if !v.is_blank() => v,
        _ => return Ok(None),
    };
    let s = leaf_text(prefix, name, v)?;
    let s = match kind {
        TextKind::Code => s.trim().to_string(),
        TextKind::Prose => s,
    };
    check_text(prefix, name, &s, kind, max)?;
    Ok(Some(s))
}

pub(super) fn req_text(prefix: &str, name: &str, v: &Option<Scalar>, kind: TextKind) -> Check<String> {
    match v {
        None | Some(Scalar::Null) => fail(prefix, name, Reason::Missing),
        Some(s) if s.is_blank() => fail(prefix, name, Reason::Empty),
        _ => opt_text(prefix, name, v, kind, MAX_TEXT_CHARS).map(|s| s.unwrap_or_default()),
    }
}

pub(super) fn check_text(prefix: &str, name: &str, s: &str, kind: TextKind, max: usize) -> Check<()> {
    let mut chars = 0usize;
    for (i, c) in s.chars().enumerate() {
        chars += 1;
        let allowed = kind == TextKind::Prose && matches!(c, '\t' | '\n' | '\r');
        if c.is_control() && !allowed {
            return fail(
                prefix,
                name,
                Reason::ControlCharacter { code: format!("U+{:04X}", c as u32), position: i + 1 },
            );
        }
    }
    if chars > max {
        return fail(prefix, name, Reason::TooLong { chars, max });
    }
    Ok(())
}

/// A raw UPC/EAN: text kept as sent (no trimming), or a JSON integer kept as its digits. Whitespace
/// around it (a spreadsheet's trailing CR, a tab) is not part of the code and is tolerated;
/// [`crate::export::codes::Code::parse`] reads the digits.
pub(super) fn opt_code_raw(prefix: &str, name: &str, v: &Option<Scalar>) -> Check<Option<String>> {
    let v = match v {
        None | Some(Scalar::Null) => return Ok(None),
        Some(v) => v,
    };
    let s = match v {
        Scalar::Text(s) => s.clone(),
        Scalar::Int(i) if *i >= 0 => i.to_string(),
        Scalar::UInt(u) => u.to_string(),
        other => {
            return fail(
                prefix,
                name,
                Reason::WrongType { detail: format!("expected a code as text, got {}", other.describe()) },
            )
        }
    };
    if s.trim().is_empty() {
        return Ok(None);
    }
    check_text(prefix, name, s.trim(), TextKind::Code, MAX_TEXT_CHARS)?;
    Ok(Some(s))
}

/// An amount as the page shows it (`"$45.00"`, or a plain number): display text, so anything
/// unreadable, negative or longer than a price is no amount rather than a refusal, and so is text
/// with more than one number in it (`"$45 / $60"` is no price, not 4,560).
pub(super) fn shown_amount(v: &Option<Scalar>) -> Option<Money> {
    let one_number = |s: &str| {
        let digits = s.trim_matches(|c: char| !c.is_ascii_digit());
        digits.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    };
    let m = match v.as_ref()? {
        Scalar::Text(s) if s.chars().count() <= 32 && one_number(s) => Money::parse_shown(s)?,
        s @ (Scalar::Int(_) | Scalar::UInt(_) | Scalar::Float(_)) => Money::from_micros(s.micros().ok()?),
        _ => return None,
    };
    (m.micros() >= 0 && m.micros() <= MAX_AMOUNT.micros()).then_some(m)
}

/// A decimal amount (price or order-level amount): not blank, a number, not above [`MAX_AMOUNT`],
/// and not negative unless `allow_negative`.
pub(super) fn amount(prefix: &str, name: &str, v: &Scalar, allow_negative: bool) -> Check<Money> {
    let micros = match v.micros() {
        Ok(m) => m,
        Err(DecimalError::Empty) => return fail(prefix, name, Reason::Empty),
        Err(DecimalError::Invalid) => return fail(prefix, name, Reason::NotANumber { got: v.describe() }),
        Err(DecimalError::TooLarge) => {
            return fail(prefix, name, Reason::TooBig { got: v.describe(), max: MAX_AMOUNT.to_string() })
        }
    };
    let m = Money::from_micros(micros);
    if m.is_negative() && !allow_negative {
        return fail(prefix, name, Reason::Negative { got: v.describe() });
    }
    if m.micros().unsigned_abs() > MAX_AMOUNT.micros().unsigned_abs() {
        return fail(prefix, name, Reason::TooBig { got: v.describe(), max: MAX_AMOUNT.to_string() });
    }
    Ok(m)
}

pub(super) fn req_amount(prefix: &str, name: &str, v: &Option<Scalar>) -> Check<Money> {
    match v {
        None | Some(Scalar::Null) => fail(prefix, name, Reason::Missing),
        Some(v) => amount(prefix, name, v, false),
    }
}

pub(super) fn opt_amount(prefix: &str, name: &str, v: &Option<Scalar>, allow_negative: bool) -> Check<Option<Money>> {
    match v {
        Some(v) if !v.is_blank() => amount(prefix, name, v, allow_negative).map(Some),
        _ => Ok(None),
    }
}

/// A whole, non-negative count no greater than `max`.
pub(super) fn count(prefix: &str, name: &str, v: &Scalar, max: u32) -> Check<u32> {
    let micros = match v.micros() {
        Ok(m) => m,
        Err(DecimalError::Empty) => return fail(prefix, name, Reason::Empty),
        Err(DecimalError::Invalid) => return fail(prefix, name, Reason::NotANumber { got: v.describe() }),
        Err(DecimalError::TooLarge) => {
            return fail(prefix, name, Reason::TooBig { got: v.describe(), max: max.to_string() })
        }
    };
    if micros < 0 {
        return fail(prefix, name, Reason::Negative { got: v.describe() });
    }
    if micros % Money::MICROS_PER_UNIT != 0 {
        return fail(prefix, name, Reason::Fractional { got: v.describe() });
    }
    let n = micros / Money::MICROS_PER_UNIT;
    if n > i64::from(max) {
        return fail(prefix, name, Reason::TooBig { got: v.describe(), max: max.to_string() });
    }
    Ok(n as u32)
}

pub(super) fn opt_timestamp(prefix: &str, name: &str, v: &Option<Scalar>) -> Check<Option<Timestamp>> {
    match v {
        Some(v) if !v.is_blank() => {
            let s = match v {
                Scalar::Text(s) => s,
                other => return fail(prefix, name, Reason::NotADate { got: other.describe() }),
            };
            Timestamp::parse(s)
                .map(Some)
                .ok_or(())
                .or_else(|_| fail(prefix, name, Reason::NotADate { got: snippet(s) }))
        }
        _ => Ok(None),
    }
}

pub(super) fn opt_bool(v: &Option<Scalar>) -> bool {
    match v {
        Some(Scalar::Bool(b)) => *b,
        Some(Scalar::Text(s)) => s.trim().eq_ignore_ascii_case("true"),
        Some(Scalar::Int(i)) => *i != 0,
        Some(Scalar::UInt(u)) => *u != 0,
        _ => false,
    }
}
