//! Money and percentages as exact fixed-point decimals (millionths), never floats.
//!
//! Six decimals keep NuORDER's sub-cent prices (`18.375`, `price_precise`) exact; digits past the
//! sixth are rounded half away from zero when parsed. Prices that arrive as JSON numbers are read
//! through their shortest round-trip decimal form (`376.2` stays `376.2`), so no binary-float error
//! reaches the amount. Arithmetic is checked (`Option` on overflow) and rounding to the cent is
//! explicit ([`Money::round_to_cents`]).

use super::decimal::{parse_micros, DecimalError};
use super::scalar::Scalar;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

/// An amount of money in one currency (the currency is the order's), as an integer number of
/// millionths of the currency unit. `Money::parse("18.375")` is exactly 18 375 000 micros.
///
/// `Display` and `Serialize` write a plain decimal with at least two and at most six decimals
/// (`18.00`, `18.375`, `-1.50`), the form Lightspeed accepts in requests. `Deserialize` accepts a
/// JSON number or a decimal string (Lightspeed sends `"1000.5"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money {
    micros: i64,
}

impl Money {
    /// Micros in one currency unit.
    pub const MICROS_PER_UNIT: i64 = 1_000_000;
    /// Micros in one cent.
    pub const MICROS_PER_CENT: i64 = 10_000;
    pub const ZERO: Money = Money { micros: 0 };

    pub const fn from_micros(micros: i64) -> Money {
        Money { micros }
    }

    pub const fn micros(self) -> i64 {
        self.micros
    }

    /// `Money::from_cents(1850)` is 18.50.
    pub fn from_cents(cents: i64) -> Option<Money> {
        cents.checked_mul(Self::MICROS_PER_CENT).map(Money::from_micros)
    }

    /// Parses a plain decimal (`"28"`, `"18.375"`, `"-0.5"`, `".5"`, surrounding spaces allowed).
    /// No exponent, thousands separator or currency sign. Digits past the sixth decimal are rounded
    /// half away from zero.
    pub fn parse(text: &str) -> Result<Money, DecimalError> {
        parse_micros(text).map(Money::from_micros)
    }

    /// Parses an amount as a page shows it (`$1,280.00`, `€568.00`, `CA$ 1.234,50`, `(12.00)`,
    /// `−3.50`): currency signs, letters and spaces are ignored; of `.` and `,` the last one is the
    /// decimal point when the other also appears, or when it appears once and is not followed by
    /// exactly three digits; every other one separates thousands. `None` when no amount is read.
    pub fn parse_shown(text: &str) -> Option<Money> {
        let t = text.trim();
        let signs = t.chars().filter(|c| *c == '-' || *c == '\u{2212}').count();
        let negative = signs == 1 || (t.starts_with('(') && t.ends_with(')'));
        let kept: String = t.chars().filter(|c| c.is_ascii_digit() || *c == '.' || *c == ',').collect();
        let digits = kept.trim_matches(|c| c == '.' || c == ',');
        if digits.is_empty() || signs > 1 {
            return None;
        }
        let point = match digits.rfind(['.', ',']) {
            None => None,
            Some(i) => {
                let sep = digits.as_bytes()[i] as char;
                let other = if sep == '.' { ',' } else { '.' };
                let once = digits.matches(sep).count() == 1;
                (digits.contains(other) || (once && digits.len() - i - 1 != 3)).then_some(i)
            }
        };
        let mut plain = String::with_capacity(digits.len() + 1);
        if negative {
            plain.push('-');
        }
        for (i, c) in digits.char_indices() {
            match c {
                _ if Some(i) == point => plain.push('.'),
                '.' | ',' => {}
                c => plain.push(c),
            }
        }
        Money::parse(&plain).ok()
    }

    pub fn is_negative(self) -> bool {
        self.micros < 0
    }

    pub fn is_zero(self) -> bool {
        self.micros == 0
    }

    /// Rounded to the cent, half away from zero (18.375 → 18.38, −18.375 → −18.38).
    pub fn round_to_cents(self) -> Money {
        Money::from_micros(round_div(self.micros as i128, Self::MICROS_PER_CENT as i128) as i64 * Self::MICROS_PER_CENT)
    }

    /// Whole cents, rounded half away from zero.
    pub fn to_cents(self) -> i64 {
        round_div(self.micros as i128, Self::MICROS_PER_CENT as i128) as i64
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.micros.checked_add(other.micros).map(Money::from_micros)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.micros.checked_sub(other.micros).map(Money::from_micros)
    }

    /// This amount times a count (e.g. a unit price times a quantity).
    pub fn checked_mul(self, count: u64) -> Option<Money> {
        let m = (self.micros as i128).checked_mul(count as i128)?;
        i64::try_from(m).ok().map(Money::from_micros)
    }

    /// This amount less `percent` of it, exact to the micro (rounded half away from zero there):
    /// `28.00` less `12.5 %` is `24.50`. Round to cents afterwards where cents are wanted.
    pub fn less_percent(self, percent: Percent) -> Option<Money> {
        // amount × (100 − p) / 100, with p in micro-percent: amount × (100e6 − p) / 100e6.
        let hundred = 100 * Percent::MICROS_PER_POINT as i128;
        let factor = hundred - percent.micros as i128;
        let m = (self.micros as i128).checked_mul(factor)?;
        i64::try_from(round_div(m, hundred)).ok().map(Money::from_micros)
    }
}

/// `n / d` rounded half away from zero (`d` > 0).
fn round_div(n: i128, d: i128) -> i128 {
    let q = n / d;
    let r = n % d;
    if r.abs() * 2 >= d {
        q + n.signum()
    } else {
        q
    }
}

fn fmt_micros(micros: i64, min_decimals: usize, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let neg = micros < 0;
    let abs = (micros as i128).unsigned_abs();
    let units = abs / 1_000_000;
    let frac = abs % 1_000_000;
    let mut digits = format!("{frac:06}");
    while digits.len() > min_decimals && digits.ends_with('0') {
        digits.pop();
    }
    if neg {
        f.write_str("-")?;
    }
    if digits.is_empty() {
        write!(f, "{units}")
    } else {
        write!(f, "{units}.{digits}")
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_micros(self.micros, 2, f)
    }
}

impl std::str::FromStr for Money {
    type Err = DecimalError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Money::parse(s)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let scalar = Scalar::deserialize(d)?;
        scalar.micros().map(Money::from_micros).map_err(|e| de::Error::custom(format!("{e}: {:?}", scalar.describe())))
    }
}

// Defined here rather than in `scalar.rs` so that the scalar does not depend on money.
impl Scalar {
    /// The value as money (a decimal string or a JSON number).
    pub fn to_money(&self) -> Result<Money, DecimalError> {
        self.micros().map(Money::from_micros)
    }
}

/// A percentage in millionths of a percentage point: 12.5 % is 12 500 000.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Percent {
    micros: i64,
}

impl Percent {
    pub const MICROS_PER_POINT: i64 = 1_000_000;
    pub const ZERO: Percent = Percent { micros: 0 };

    pub const fn from_micros(micros: i64) -> Percent {
        Percent { micros }
    }

    pub const fn micros(self) -> i64 {
        self.micros
    }

    pub fn parse(text: &str) -> Result<Percent, DecimalError> {
        parse_micros(text).map(Percent::from_micros)
    }

    pub fn is_zero(self) -> bool {
        self.micros == 0
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_micros(self.micros, 0, f)
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_formats_and_rounds() {
        let m = |s: &str| Money::parse(s).unwrap();
        assert_eq!(m("18").to_string(), "18.00");
        assert_eq!(m("18.375").to_string(), "18.375");
        assert_eq!(m("-1.5").to_string(), "-1.50");
        assert_eq!(m("0.000001").to_string(), "0.000001");
        assert_eq!(m("18.375").round_to_cents(), m("18.38"));
        assert_eq!(m("18.374999").round_to_cents(), m("18.37"));
        assert_eq!(m("-18.375").round_to_cents(), m("-18.38"));
        assert_eq!(m("18.375").to_cents(), 1838);
        assert_eq!(m("28").less_percent(Percent::parse("12.5").unwrap()), Some(m("24.5")));
        assert_eq!(m("60.8").less_percent(Percent::parse("10").unwrap()).unwrap().round_to_cents(), m("54.72"));
        assert_eq!(m("0.01").less_percent(Percent::parse("50").unwrap()), Some(m("0.005")));
        assert_eq!(m("2.5").checked_mul(3), Some(m("7.5")));
        assert_eq!(Money::from_micros(i64::MAX).checked_mul(2), None);
        assert_eq!(Money::from_cents(1850), Some(m("18.50")));
        assert_eq!(serde_json::to_string(&m("18.375")).unwrap(), "\"18.375\"");
        assert_eq!(serde_json::from_str::<Money>("\"1000.5\"").unwrap(), m("1000.5"));
        assert_eq!(serde_json::from_str::<Money>("4.39").unwrap(), m("4.39"));
        assert!(serde_json::from_str::<Money>("\"abc\"").is_err());
        assert_eq!(Percent::parse("12.5").unwrap().to_string(), "12.5");
    }

    #[test]
    fn shown_amounts_tolerate_signs_and_separators() {
        let m = |s: &str| Some(Money::parse(s).unwrap());
        let table = [
            ("$280.00", m("280")),
            ("€568.00", m("568")),
            ("$1,280.50", m("1280.5")),
            ("CA$ 12,345,678.9", m("12345678.9")),
            ("1.234,50 €", m("1234.5")),
            ("1 234,5 kr", m("1234.5")),
            ("$1,280", m("1280")),
            ("12,5", m("12.5")),
            ("(12.00)", m("-12")),
            ("\u{2212}$3.50", m("-3.5")),
            ("$-3.50", m("-3.5")),
            ("  USD 7 ", m("7")),
            ("—", None),
            ("", None),
            ("--5", None),
        ];
        for (text, want) in table {
            assert_eq!(Money::parse_shown(text), want, "{text:?}");
        }
    }
}
