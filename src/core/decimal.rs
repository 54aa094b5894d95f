//! Plain decimals read exactly into millionths (the representation of [`super::money::Money`] and
//! [`super::money::Percent`]), and why one could not be read.

/// Why a decimal could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecimalError {
    #[error("empty")]
    Empty,
    #[error("not a decimal number")]
    Invalid,
    #[error("too large")]
    TooLarge,
}

/// A plain decimal into millionths, rounding past the sixth decimal half away from zero.
pub(crate) fn parse_micros(text: &str) -> Result<i64, DecimalError> {
    let s = text.trim();
    if s.is_empty() {
        return Err(DecimalError::Empty);
    }
    let (neg, body) = match s.as_bytes()[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (int_part, frac_part) = body.split_once('.').unwrap_or((body, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return Err(DecimalError::Invalid);
    }
    if !int_part.bytes().all(|b| b.is_ascii_digit()) || !frac_part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DecimalError::Invalid);
    }
    let mut units: i64 = 0;
    for b in int_part.bytes() {
        units = units.checked_mul(10).and_then(|u| u.checked_add(i64::from(b - b'0'))).ok_or(DecimalError::TooLarge)?;
    }
    let fb = frac_part.as_bytes();
    let mut frac: i64 = 0;
    for i in 0..6 {
        frac = frac * 10 + fb.get(i).map_or(0, |b| i64::from(b - b'0'));
    }
    let round_up = fb.get(6).is_some_and(|b| *b >= b'5');
    let mut micros = units.checked_mul(1_000_000).and_then(|m| m.checked_add(frac)).ok_or(DecimalError::TooLarge)?;
    if round_up {
        micros = micros.checked_add(1).ok_or(DecimalError::TooLarge)?;
    }
    Ok(if neg { -micros } else { micros })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_parse_exactly() {
        let cases: &[(&str, Result<i64, DecimalError>)] = &[
            ("28", Ok(28_000_000)),
            ("28.00", Ok(28_000_000)),
            ("18.375", Ok(18_375_000)),
            ("  1000.5 ", Ok(1_000_500_000)),
            ("-0.5", Ok(-500_000)),
            ("+3.", Ok(3_000_000)),
            (".25", Ok(250_000)),
            ("0.0000005", Ok(1)),
            ("0.0000004999", Ok(0)),
            ("-0.0000005", Ok(-1)),
            ("", Err(DecimalError::Empty)),
            ("   ", Err(DecimalError::Empty)),
            (".", Err(DecimalError::Invalid)),
            ("-", Err(DecimalError::Invalid)),
            ("1,000", Err(DecimalError::Invalid)),
            ("$28.00", Err(DecimalError::Invalid)),
            ("1e3", Err(DecimalError::Invalid)),
            ("1.2.3", Err(DecimalError::Invalid)),
            ("NaN", Err(DecimalError::Invalid)),
            ("99999999999999999999", Err(DecimalError::TooLarge)),
            ("9223372036854.775807", Ok(i64::MAX)),
            ("9223372036854.775808", Err(DecimalError::TooLarge)),
        ];
        for (text, want) in cases {
            assert_eq!(parse_micros(text), *want, "{text:?}");
        }
    }
}
