//! [`Scalar`]: one JSON leaf as a loose API sends it (numbers as strings, codes as numbers), kept
//! as sent so the reader decides what each value must be.

use super::decimal::{parse_micros, DecimalError};
use serde::de::{Deserializer, Visitor};
use serde::Deserialize;
use std::fmt;

/// A JSON leaf as sent: NuORDER sends numbers as strings (`"84"`) and sometimes codes as numbers,
/// so raw documents keep leaves in this form and validation decides what each must be. Objects and
/// arrays are refused at parse time (with the field's path), so a leaf never allocates a tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Text(String),
}

impl Scalar {
    /// What the value looks like, for error messages.
    pub fn describe(&self) -> String {
        match self {
            Scalar::Null => "null".into(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::Int(i) => i.to_string(),
            Scalar::UInt(u) => u.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Text(s) => snippet(s),
        }
    }

    /// True for null, `""` and whitespace-only text: "not given".
    pub fn is_blank(&self) -> bool {
        match self {
            Scalar::Null => true,
            Scalar::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The value as a whole number: `"2"`, `2`, `"2.0"` and `2.0` are 2; null and blank text are
    /// `None`; `"2.5"` is refused. The error is a message for the reader's own error type.
    pub fn to_whole(&self) -> Result<Option<i64>, String> {
        match self {
            Scalar::Null => Ok(None),
            Scalar::Text(t) if t.trim().is_empty() => Ok(None),
            Scalar::Int(i) => Ok(Some(*i)),
            Scalar::UInt(u) => i64::try_from(*u).map(Some).map_err(|_| "integer too large".to_string()),
            other => {
                let m = other.micros().map_err(|e| format!("expected a whole number, got {other:?} ({e})"))?;
                if m % 1_000_000 != 0 {
                    return Err(format!("expected a whole number, got {other:?}"));
                }
                Ok(Some(m / 1_000_000))
            }
        }
    }

    /// The value as a decimal in millionths.
    pub(crate) fn micros(&self) -> Result<i64, DecimalError> {
        match self {
            Scalar::Int(i) => i.checked_mul(1_000_000).ok_or(DecimalError::TooLarge),
            Scalar::UInt(u) => {
                i64::try_from(*u).ok().and_then(|i| i.checked_mul(1_000_000)).ok_or(DecimalError::TooLarge)
            }
            // Rust prints the shortest decimal that reads back as the same f64, which is the
            // decimal that was written in the JSON for any value with ≤ 15 significant digits.
            Scalar::Float(f) => parse_micros(&format!("{f}")),
            Scalar::Text(s) => parse_micros(s),
            Scalar::Null => Err(DecimalError::Empty),
            Scalar::Bool(_) => Err(DecimalError::Invalid),
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, number, boolean or null")
            }
            fn visit_unit<E>(self) -> Result<Scalar, E> {
                Ok(Scalar::Null)
            }
            fn visit_none<E>(self) -> Result<Scalar, E> {
                Ok(Scalar::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar, D::Error> {
                d.deserialize_any(V)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar::Int(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar::UInt(v))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Text(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Scalar, E> {
                Ok(Scalar::Text(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// Shortens a value for an error message (40 characters, then `…`).
pub fn snippet(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(MAX).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_read_through_their_shortest_decimal() {
        for (f, micros) in [(376.2, 376_200_000), (0.1, 100_000), (18.375, 18_375_000), (60.8, 60_800_000)] {
            assert_eq!(Scalar::Float(f).micros(), Ok(micros), "{f}");
        }
        assert_eq!(Scalar::Float(0.1 + 0.2).micros(), Ok(300_000));
        assert_eq!(Scalar::Float(1e300).micros(), Err(DecimalError::TooLarge));
    }
}
