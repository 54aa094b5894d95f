//! The NuORDER order and product documents, parsed and validated into typed values.
//!
//! Two steps, so that what NuORDER really sends is accepted and what makes no sense is refused with
//! a message that names the field and the line:
//!
//! 1. **Raw parse** into [`RawOrder`] / [`RawProduct`]: serde structs that ignore unknown fields
//!    (NuORDER documents carry dozens of `__`-prefixed roll-ups), accept numbers that arrive as
//!    strings and strings that arrive as numbers ([`Scalar`]), and treat missing, `null` and `""`
//!    alike for optional values. A cheap pre-pass counts lines and size rows before anything is
//!    allocated, so a hostile document cannot make us build millions of rows.
//! 2. **Validate** ([`RawOrder::validate`], [`RawProduct::validate`]) into [`Order`] / [`Product`]:
//!    required fields present, quantities whole and bounded, prices decimal and non-negative, text
//!    bounded in length and free of control characters where they make no sense.
//!
//! Text stays text: HTML such as `<img src=x onerror=alert(1)>` in a name is legal data and is kept
//! byte for byte; escaping is the renderer's job. Identifiers and codes are trimmed of surrounding
//! whitespace; free text (names, addresses, notes) and UPCs are kept exactly as sent.
//!
//! **Money** is [`Money`]: a fixed-point amount in millionths of the currency unit (`i64` micros),
//! never a float. Six decimals keep NuORDER's sub-cent prices (`18.375`, `price_precise`) exact;
//! digits past the sixth are rounded half away from zero when parsed. Prices that arrive as JSON
//! numbers are read through their shortest round-trip decimal form (`376.2` stays `376.2`), so no
//! binary-float error reaches the amount. Arithmetic is checked (`Option` on overflow) and rounding
//! to the cent is explicit ([`Money::round_to_cents`]).
//!
//! Entry points: [`parse_order`], [`parse_order_value`], [`parse_product`], [`parse_products`],
//! [`parse_products_value`]. Errors are [`ModelError`].

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

// ------------------------------------------------------------------------------------------------
// Limits
// ------------------------------------------------------------------------------------------------

/// The largest order document accepted, in bytes of JSON (a 5,000-row order is about 5 MB).
pub const MAX_ORDER_BYTES: usize = 8 * 1024 * 1024;
/// The largest products document (an array of product documents) accepted, in bytes of JSON.
pub const MAX_PRODUCTS_BYTES: usize = 32 * 1024 * 1024;
/// Size rows in one order, all lines together.
pub const MAX_SIZE_ROWS: usize = 5_000;
/// Lines in one order (each needs at least one size row, so this is never the binding limit for a
/// valid order; it bounds the pre-pass).
pub const MAX_LINES: usize = MAX_SIZE_ROWS;
/// The largest quantity on one size row.
pub const MAX_QUANTITY: u32 = 100_000;
/// The largest `units_per_pack`.
pub const MAX_UNITS_PER_PACK: u32 = 10_000;
/// The largest unit price or order-level amount: ten million currency units.
pub const MAX_AMOUNT: Money = Money::from_micros(10_000_000 * Money::MICROS_PER_UNIT);
/// Characters in one text field (names, codes, addresses…).
pub const MAX_TEXT_CHARS: usize = 1_000;
/// Characters in the order's notes.
pub const MAX_NOTES_CHARS: usize = 4_000;
/// Products in one products document.
pub const MAX_PRODUCTS: usize = 5_000;
/// Size rows in one product.
pub const MAX_PRODUCT_SIZES: usize = 1_000;
/// Size rows over all products of one products document.
pub const MAX_PRODUCT_SIZE_ROWS: usize = 50_000;

// ------------------------------------------------------------------------------------------------
// Errors
// ------------------------------------------------------------------------------------------------

/// Which kind of document an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Document {
    Order,
    Product,
}

impl fmt::Display for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Document::Order => "order",
            Document::Product => "product",
        })
    }
}

/// Why a NuORDER document was refused.
///
/// `field` is the JSON path of the offending value, e.g. `line_items[2].sizes[0].quantity` (indices
/// from 0); the `Display` form says the same for a person ("Order line 3, size row 1: quantity …").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// Not JSON at all (or truncated). `detail` is the parser's message with line and column.
    #[error("The NuORDER {document} is not valid JSON: {detail}")]
    Syntax { document: Document, detail: String },
    /// Nested deeper than the JSON parser allows (128 levels).
    #[error("The NuORDER {document} is nested too deeply to be a NuORDER document")]
    TooDeep { document: Document },
    /// Larger than [`MAX_ORDER_BYTES`] / [`MAX_PRODUCTS_BYTES`].
    #[error("The NuORDER {document} is too large ({bytes} bytes; at most {max})")]
    TooLarge { document: Document, bytes: usize, max: usize },
    /// The order document is JSON but a value in it is missing or wrong.
    #[error("{}", describe("Order", field, reason))]
    InvalidOrder { field: String, reason: Reason },
    /// A product document is JSON but a value in it is missing or wrong.
    #[error("{}", describe("Product", field, reason))]
    InvalidProduct { field: String, reason: Reason },
}

impl ModelError {
    /// The JSON path of the offending value, when the error is about one value.
    pub fn field(&self) -> Option<&str> {
        match self {
            ModelError::InvalidOrder { field, .. } | ModelError::InvalidProduct { field, .. } => Some(field),
            _ => None,
        }
    }

    /// What is wrong with the value, when the error is about one value.
    pub fn reason(&self) -> Option<&Reason> {
        match self {
            ModelError::InvalidOrder { reason, .. } | ModelError::InvalidProduct { reason, .. } => Some(reason),
            _ => None,
        }
    }
}

/// What is wrong with one value. Each reads after the value's name: "quantity must be a whole
/// number (got \"2.5\")".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Reason {
    #[error("is missing")]
    Missing,
    #[error("is empty")]
    Empty,
    /// A value of the wrong JSON type (e.g. an object where a number belongs).
    #[error("has the wrong type ({detail})")]
    WrongType { detail: String },
    #[error("is not a number (got {got:?})")]
    NotANumber { got: String },
    #[error("must not be negative (got {got})")]
    Negative { got: String },
    #[error("must be a whole number (got {got})")]
    Fractional { got: String },
    #[error("is over the limit of {max} (got {got})")]
    TooBig { got: String, max: String },
    #[error("must be between {min} and {max} (got {got})")]
    OutOfRange { got: String, min: String, max: String },
    #[error("is too long ({chars} characters; at most {max})")]
    TooLong { chars: usize, max: usize },
    #[error("contains a control character ({code}) at character {position}")]
    ControlCharacter { code: String, position: usize },
    #[error("has too many entries ({count}; at most {max})")]
    TooMany { count: usize, max: usize },
    #[error("has neither a size nor a UPC")]
    NoSizeOrUpc,
    #[error("has no lines")]
    NoLines,
    #[error("has no size rows")]
    NoSizes,
    #[error("is not a date (got {got:?}; expected YYYY-MM-DD or an ISO-8601 date-time)")]
    NotADate { got: String },
    #[error("is not a currency code (got {got:?}; expected three letters such as USD)")]
    NotACurrency { got: String },
}

/// "Order line 3, size row 1: quantity must be … [line_items[2].sizes[0].quantity]"
fn describe(doc: &str, field: &str, reason: &Reason) -> String {
    let mut places: Vec<String> = Vec::new();
    let mut rest: Vec<&str> = Vec::new();
    for seg in split_path(field) {
        match seg {
            Seg::Index(name, i) => {
                let label = match name {
                    "line_items" => Some("line"),
                    "sizes" => Some("size row"),
                    "products" | "" => Some("product"),
                    _ => None,
                };
                match label {
                    Some(label) if rest.is_empty() => places.push(format!("{label} {}", i + 1)),
                    _ => rest.push(seg.text()),
                }
            }
            Seg::Key(k) => rest.push(k),
        }
    }
    let subject = match rest.as_slice() {
        [] => String::new(),
        ["line_items"] => "the order".to_string(),
        ["sizes"] => "the line".to_string(),
        ["products"] => "the document".to_string(),
        [.., last] if rest.len() == 1 => friendly(last),
        _ => rest.join("."),
    };
    let place = places.join(", ");
    let mut out = String::from(doc);
    if !place.is_empty() {
        out.push(' ');
        out.push_str(&place);
    }
    out.push_str(": ");
    if !subject.is_empty() {
        out.push_str(&subject);
        out.push(' ');
    }
    out.push_str(&reason.to_string());
    if !field.is_empty() && field != "." {
        out.push_str(" [");
        out.push_str(field);
        out.push(']');
    }
    out
}

fn friendly(name: &str) -> String {
    match name {
        "_id" => "id".into(),
        "upc" => "UPC".into(),
        "ean" => "EAN".into(),
        "__brand_name" => "brand name".into(),
        "currency_code" => "currency".into(),
        "customer_po_number" => "customer PO number".into(),
        other => other.trim_start_matches('_').replace('_', " "),
    }
}

enum Seg<'a> {
    Key(&'a str),
    Index(&'a str, usize),
}

impl<'a> Seg<'a> {
    fn text(&self) -> &'a str {
        match self {
            Seg::Key(k) | Seg::Index(k, _) => k,
        }
    }
}

/// Splits `a.b[2].c` / `[3].sizes[0]` into segments (`Index("", 3)` for a leading bare index).
fn split_path(path: &str) -> Vec<Seg<'_>> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        // A part may be `name`, `name[2]`, `[2]` or `name[2][3]` (nested arrays: keep the last index).
        match part.find('[') {
            None => out.push(Seg::Key(part)),
            Some(open) => {
                let name = &part[..open];
                let mut index = None;
                for piece in part[open..].split('[').filter(|p| !p.is_empty()) {
                    index = piece.trim_end_matches(']').parse::<usize>().ok();
                }
                match index {
                    Some(i) => out.push(Seg::Index(name, i)),
                    None => out.push(Seg::Key(part)),
                }
            }
        }
    }
    out
}

/// A refusal of one value, before we know which document it belongs to.
#[derive(Debug)]
struct FieldError {
    field: String,
    reason: Reason,
}

type Check<T> = Result<T, FieldError>;

fn at(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else if name.is_empty() {
        prefix.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

fn fail<T>(prefix: &str, name: &str, reason: Reason) -> Check<T> {
    Err(FieldError { field: at(prefix, name), reason })
}

/// Shortens a value for an error message.
fn snippet(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(MAX).collect();
        t.push('…');
        t
    }
}

// ------------------------------------------------------------------------------------------------
// Money
// ------------------------------------------------------------------------------------------------

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

    /// Whole currency units.
    pub fn from_units(units: i64) -> Option<Money> {
        units.checked_mul(Self::MICROS_PER_UNIT).map(Money::from_micros)
    }

    /// Parses a plain decimal (`"28"`, `"18.375"`, `"-0.5"`, `".5"`, surrounding spaces allowed).
    /// No exponent, thousands separator or currency sign. Digits past the sixth decimal are rounded
    /// half away from zero.
    pub fn parse(text: &str) -> Result<Money, DecimalError> {
        parse_micros(text).map(Money::from_micros)
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
fn parse_micros(text: &str) -> Result<i64, DecimalError> {
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

// ------------------------------------------------------------------------------------------------
// Scalar: one leaf value as NuORDER sends it
// ------------------------------------------------------------------------------------------------

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
    fn describe(&self) -> String {
        match self {
            Scalar::Null => "null".into(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::Int(i) => i.to_string(),
            Scalar::UInt(u) => u.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Text(s) => snippet(s),
        }
    }

    /// The value as money (a decimal string or a JSON number).
    pub fn to_money(&self) -> Result<Money, DecimalError> {
        self.micros().map(Money::from_micros)
    }

    /// True for null, `""` and whitespace-only text: "not given".
    pub fn is_blank(&self) -> bool {
        match self {
            Scalar::Null => true,
            Scalar::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The value as a decimal in millionths.
    fn micros(&self) -> Result<i64, DecimalError> {
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

// ------------------------------------------------------------------------------------------------
// Raw documents
// ------------------------------------------------------------------------------------------------

/// Deserializes an optional object that may also arrive as `null` or `""` (both mean "none").
fn opt_object<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct V<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object, null or an empty string")
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            if v.trim().is_empty() {
                Ok(None)
            } else {
                Err(E::invalid_type(de::Unexpected::Str(v), &self))
            }
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
        }
    }
    d.deserialize_any(V(std::marker::PhantomData))
}

/// An order document as NuORDER sends it. Unknown fields are ignored.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawOrder {
    #[serde(rename = "_id")]
    pub id: Option<Scalar>,
    pub order_number: Option<Scalar>,
    pub status: Option<Scalar>,
    pub currency_code: Option<Scalar>,
    pub customer_po_number: Option<Scalar>,
    pub rep_name: Option<Scalar>,
    pub rep_code: Option<Scalar>,
    pub rep_email: Option<Scalar>,
    #[serde(deserialize_with = "opt_object")]
    pub retailer: Option<RawRetailer>,
    #[serde(deserialize_with = "opt_object")]
    pub shipping_address: Option<RawAddress>,
    pub start_ship: Option<Scalar>,
    pub end_ship: Option<Scalar>,
    pub created_on: Option<Scalar>,
    /// Order-level discount, in percent.
    pub discount: Option<Scalar>,
    #[serde(deserialize_with = "opt_object")]
    pub order_discounts: Option<RawOrderDiscounts>,
    #[serde(rename = "__brand_name")]
    pub brand_name: Option<Scalar>,
    pub notes: Option<Scalar>,
    pub line_items: Option<Vec<RawLineItem>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawRetailer {
    #[serde(rename = "_id")]
    pub id: Option<Scalar>,
    pub retailer_name: Option<Scalar>,
    pub retailer_code: Option<Scalar>,
    pub buyer_name: Option<Scalar>,
    pub buyer_email: Option<Scalar>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawAddress {
    pub display_name: Option<Scalar>,
    pub line_1: Option<Scalar>,
    pub line_2: Option<Scalar>,
    pub city: Option<Scalar>,
    pub state: Option<Scalar>,
    pub zip: Option<Scalar>,
    pub country: Option<Scalar>,
}

/// `order_discounts`: NuORDER sends these amounts as strings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawOrderDiscounts {
    pub shipping_final_amount: Option<Scalar>,
    pub surcharge: Option<Scalar>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawLineItem {
    #[serde(deserialize_with = "opt_object")]
    pub product: Option<RawLineProduct>,
    pub sizes: Option<Vec<RawSize>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawLineProduct {
    #[serde(rename = "_id")]
    pub id: Option<Scalar>,
    pub style_number: Option<Scalar>,
    pub color: Option<Scalar>,
    pub season: Option<Scalar>,
    pub brand_id: Option<Scalar>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawSize {
    pub size: Option<Scalar>,
    pub upc: Option<Scalar>,
    pub quantity: Option<Scalar>,
    pub price: Option<Scalar>,
    pub price_precise: Option<Scalar>,
    pub original_price: Option<Scalar>,
    pub units_per_pack: Option<Scalar>,
}

/// A product document as NuORDER sends it (`GET /api/product/{_id}`). Unknown fields are ignored.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawProduct {
    #[serde(rename = "_id")]
    pub id: Option<Scalar>,
    pub name: Option<Scalar>,
    pub style_number: Option<Scalar>,
    pub color: Option<Scalar>,
    pub season: Option<Scalar>,
    pub brand_id: Option<Scalar>,
    #[serde(deserialize_with = "opt_object")]
    pub pricing: Option<BTreeMap<String, RawPricing>>,
    pub sizes: Option<Vec<RawProductSize>>,
}

/// One currency's prices: `pricing.USD = {wholesale, retail, disabled}`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawPricing {
    pub wholesale: Option<Scalar>,
    pub retail: Option<Scalar>,
    pub disabled: Option<Scalar>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawProductSize {
    pub size: Option<Scalar>,
    pub upc: Option<Scalar>,
    pub ean: Option<Scalar>,
    #[serde(deserialize_with = "opt_object")]
    pub pricing: Option<BTreeMap<String, RawPricing>>,
}

// ------------------------------------------------------------------------------------------------
// Pre-pass: count rows without building them
// ------------------------------------------------------------------------------------------------

/// Reads only `line_items[].sizes[]`, counting, and stops as soon as a limit is passed.
#[derive(Deserialize)]
struct CountOrder {
    #[serde(default, rename = "line_items")]
    _line_items: Option<CountLines>,
}

struct CountLines;

impl<'de> Deserialize<'de> for CountLines {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CountLines;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of lines")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<CountLines, A::Error> {
                let (mut lines, mut rows) = (0usize, 0usize);
                while let Some(line) = seq.next_element::<CountLine>()? {
                    lines += 1;
                    rows += line.0;
                    if lines > MAX_LINES {
                        return Err(de::Error::custom(LimitHit::Lines(lines)));
                    }
                    if rows > MAX_SIZE_ROWS {
                        return Err(de::Error::custom(LimitHit::SizeRows(rows)));
                    }
                }
                Ok(CountLines)
            }
        }
        d.deserialize_seq(V)
    }
}

/// Number of size rows of one line (capped just past the limit).
struct CountLine(usize);

impl<'de> Deserialize<'de> for CountLine {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Line {
            #[serde(default)]
            sizes: Option<CountSeq<MAX_SIZE_ROWS>>,
        }
        // A line that is not an object is reported by the real parse, with its path.
        match Option::<Line>::deserialize(d) {
            Ok(line) => Ok(CountLine(line.and_then(|l| l.sizes).map_or(0, |s| s.0))),
            Err(e) => Err(e),
        }
    }
}

/// Counts the elements of an array, ignoring their contents; stops after `MAX + 1`.
struct CountSeq<const MAX: usize>(usize);

impl<'de, const MAX: usize> Deserialize<'de> for CountSeq<MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<const MAX: usize>;
        impl<'de, const MAX: usize> Visitor<'de> for V<MAX> {
            type Value = CountSeq<MAX>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<CountSeq<MAX>, A::Error> {
                let mut n = 0usize;
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    n += 1;
                    if n > MAX {
                        let hit =
                            if MAX == MAX_PRODUCT_SIZES { LimitHit::ProductSizes(n) } else { LimitHit::SizeRows(n) };
                        return Err(de::Error::custom(hit));
                    }
                }
                Ok(CountSeq(n))
            }
        }
        d.deserialize_seq(V::<MAX>)
    }
}

/// A products document: counts products and their size rows.
struct CountProducts;

impl<'de> Deserialize<'de> for CountProducts {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct P {
            #[serde(default)]
            sizes: Option<CountSeq<MAX_PRODUCT_SIZES>>,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CountProducts;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of products or one product")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<CountProducts, A::Error> {
                let p = P::deserialize(de::value::MapAccessDeserializer::new(map))?;
                let rows = p.sizes.map_or(0, |s| s.0);
                if rows > MAX_PRODUCT_SIZES {
                    return Err(de::Error::custom(LimitHit::ProductSizes(rows)));
                }
                Ok(CountProducts)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<CountProducts, A::Error> {
                let (mut n, mut rows) = (0usize, 0usize);
                while let Some(p) = seq.next_element::<Option<P>>()? {
                    n += 1;
                    let these = p.and_then(|p| p.sizes).map_or(0, |s| s.0);
                    rows += these;
                    if n > MAX_PRODUCTS {
                        return Err(de::Error::custom(LimitHit::Products(n)));
                    }
                    if these > MAX_PRODUCT_SIZES {
                        return Err(de::Error::custom(LimitHit::ProductSizes(these)));
                    }
                    if rows > MAX_PRODUCT_SIZE_ROWS {
                        return Err(de::Error::custom(LimitHit::ProductSizeRows(rows)));
                    }
                }
                Ok(CountProducts)
            }
        }
        d.deserialize_any(V)
    }
}

/// Carried through serde's error as text, recognised by its prefix.
enum LimitHit {
    Lines(usize),
    SizeRows(usize),
    Products(usize),
    ProductSizes(usize),
    ProductSizeRows(usize),
}

const LIMIT_TAG: &str = "po-bridge limit:";

impl fmt::Display for LimitHit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (kind, n) = match self {
            LimitHit::Lines(n) => ("lines", n),
            LimitHit::SizeRows(n) => ("size_rows", n),
            LimitHit::Products(n) => ("products", n),
            LimitHit::ProductSizes(n) => ("product_sizes", n),
            LimitHit::ProductSizeRows(n) => ("product_size_rows", n),
        };
        write!(f, "{LIMIT_TAG}{kind}:{n}")
    }
}

fn limit_reason(message: &str) -> Option<(Reason, &'static str)> {
    let rest = &message[message.find(LIMIT_TAG)? + LIMIT_TAG.len()..];
    let (kind, n) = rest.split_once(':')?;
    let digits: String = n.chars().take_while(|c| c.is_ascii_digit()).collect();
    let count = digits.parse().ok()?;
    let (max, field) = match kind {
        "lines" => (MAX_LINES, "line_items"),
        "size_rows" => (MAX_SIZE_ROWS, "line_items"),
        "products" => (MAX_PRODUCTS, "products"),
        "product_sizes" => (MAX_PRODUCT_SIZES, "sizes"),
        "product_size_rows" => (MAX_PRODUCT_SIZE_ROWS, "products"),
        _ => return None,
    };
    Some((Reason::TooMany { count, max }, field))
}

// ------------------------------------------------------------------------------------------------
// Parsing entry points
// ------------------------------------------------------------------------------------------------

/// Parses and validates an order document (JSON text).
pub fn parse_order(json: &str) -> Result<Order, ModelError> {
    check_size(Document::Order, json, MAX_ORDER_BYTES)?;
    // serde would read a struct from an array, field by field; an order is an object.
    if !json.trim_start().starts_with('{') && serde_json::from_str::<IgnoredAny>(json).is_ok() {
        return Err(not_an_object(Document::Order));
    }
    run_serde(Document::Order, "", || from_str_tracked::<CountOrder>(json).map(|_| ()))?;
    let raw: RawOrder = run_serde(Document::Order, "", || from_str_tracked(json))?;
    raw.validate()
}

/// Parses and validates an order document already parsed as JSON (e.g. handed over from JS).
pub fn parse_order_value(value: &serde_json::Value) -> Result<Order, ModelError> {
    if !value.is_object() {
        return Err(not_an_object(Document::Order));
    }
    run_serde(Document::Order, "", || from_value_tracked::<CountOrder>(value).map(|_| ()))?;
    let raw: RawOrder = run_serde(Document::Order, "", || from_value_tracked(value))?;
    raw.validate()
}

/// Parses and validates one product document (JSON text).
pub fn parse_product(json: &str) -> Result<Product, ModelError> {
    check_size(Document::Product, json, MAX_PRODUCTS_BYTES)?;
    if !json.trim_start().starts_with('{') && serde_json::from_str::<IgnoredAny>(json).is_ok() {
        return Err(not_an_object(Document::Product));
    }
    run_serde(Document::Product, "", || from_str_tracked::<CountProducts>(json).map(|_| ()))?;
    let raw: RawProduct = run_serde(Document::Product, "", || from_str_tracked(json))?;
    raw.validate()
}

/// Parses and validates a products document: a JSON array of product documents (a single product
/// object is accepted as an array of one). Field paths start with `products[i]`.
pub fn parse_products(json: &str) -> Result<Vec<Product>, ModelError> {
    check_size(Document::Product, json, MAX_PRODUCTS_BYTES)?;
    run_serde(Document::Product, "products", || from_str_tracked::<CountProducts>(json).map(|_| ()))?;
    let raw: OneOrManyProducts = run_serde(Document::Product, "products", || from_str_tracked(json))?;
    validate_products(raw.0)
}

/// [`parse_products`] for an already parsed JSON value.
pub fn parse_products_value(value: &serde_json::Value) -> Result<Vec<Product>, ModelError> {
    run_serde(Document::Product, "products", || from_value_tracked::<CountProducts>(value).map(|_| ()))?;
    let raw: OneOrManyProducts = run_serde(Document::Product, "products", || from_value_tracked(value))?;
    validate_products(raw.0)
}

fn not_an_object(document: Document) -> ModelError {
    invalid(
        document,
        String::new(),
        Reason::WrongType { detail: format!("expected a JSON object: the {document} document itself") },
    )
}

fn check_size(document: Document, json: &str, max: usize) -> Result<(), ModelError> {
    if json.len() > max {
        return Err(ModelError::TooLarge { document, bytes: json.len(), max });
    }
    Ok(())
}

fn validate_products(raw: Vec<Option<RawProduct>>) -> Result<Vec<Product>, ModelError> {
    raw.into_iter()
        .enumerate()
        .map(|(i, p)| {
            let prefix = format!("products[{i}]");
            match p {
                Some(p) => p.check().map_err(|e| product_error(&prefix, e)),
                None => Err(ModelError::InvalidProduct { field: prefix, reason: Reason::Missing }),
            }
        })
        .collect()
}

fn product_error(prefix: &str, e: FieldError) -> ModelError {
    ModelError::InvalidProduct { field: at(prefix, &e.field), reason: e.reason }
}

struct OneOrManyProducts(Vec<Option<RawProduct>>);

impl<'de> Deserialize<'de> for OneOrManyProducts {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OneOrManyProducts;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of products or one product")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(p) = seq.next_element::<Option<RawProduct>>()? {
                    out.push(p);
                }
                Ok(OneOrManyProducts(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let p = RawProduct::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(OneOrManyProducts(vec![Some(p)]))
            }
        }
        d.deserialize_any(V)
    }
}

/// A serde failure and the path (`a.b[2].c`, empty at the root) where it happened.
type Tracked = (String, serde_json::Error);

fn no_path(e: serde_json::Error) -> Tracked {
    (String::new(), e)
}

fn tracked(e: serde_path_to_error::Error<serde_json::Error>) -> Tracked {
    let path = e.path().to_string();
    let path = if path == "." { String::new() } else { path };
    (path, e.into_inner())
}

fn from_str_tracked<T: de::DeserializeOwned>(json: &str) -> Result<T, Tracked> {
    let mut de = serde_json::Deserializer::from_str(json);
    let value = serde_path_to_error::deserialize(&mut de).map_err(tracked)?;
    de.end().map_err(no_path)?;
    Ok(value)
}

fn from_value_tracked<T: de::DeserializeOwned>(value: &serde_json::Value) -> Result<T, Tracked> {
    serde_path_to_error::deserialize(value).map_err(tracked)
}

/// Runs a serde step and turns its error into a [`ModelError`]; `prefix` names a top-level array.
fn run_serde<T>(document: Document, prefix: &str, f: impl FnOnce() -> Result<T, Tracked>) -> Result<T, ModelError> {
    f().map_err(|(path, err)| serde_error(document, prefix, path, err))
}

fn serde_error(document: Document, prefix: &str, path: String, err: serde_json::Error) -> ModelError {
    let message = err.to_string();
    if message.contains("recursion limit exceeded") {
        return ModelError::TooDeep { document };
    }
    if let Some((reason, field)) = limit_reason(&message) {
        // Order limits are the order's (`line_items`); a product's are placed where they were hit.
        let field = match document {
            Document::Order => field.to_string(),
            Document::Product if !path.is_empty() => join_path(prefix, &path),
            Document::Product if prefix.is_empty() => field.to_string(),
            Document::Product => prefix.to_string(),
        };
        return invalid(document, field, reason);
    }
    if err.is_syntax() || err.is_eof() || err.is_io() {
        return ModelError::Syntax { document, detail: message };
    }
    // A value of the wrong type: name the field. serde_json appends " at line L column C", which
    // the path already says better.
    let detail = match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    invalid(document, join_path(prefix, &path), Reason::WrongType { detail })
}

/// `products` + `[1].sizes` → `products[1].sizes`; `` + `a.b` → `a.b`.
fn join_path(prefix: &str, path: &str) -> String {
    if path.is_empty() {
        prefix.to_string()
    } else if path.starts_with('[') {
        format!("{prefix}{path}")
    } else {
        at(prefix, path)
    }
}

fn invalid(document: Document, field: String, reason: Reason) -> ModelError {
    match document {
        Document::Order => ModelError::InvalidOrder { field, reason },
        Document::Product => ModelError::InvalidProduct { field, reason },
    }
}

// ------------------------------------------------------------------------------------------------
// Validated values
// ------------------------------------------------------------------------------------------------

/// A three-letter currency code, upper case (`USD`, `CAD`, `EUR`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct CurrencyCode(String);

impl CurrencyCode {
    /// Accepts three ASCII letters (any case; stored upper case).
    pub fn parse(text: &str) -> Option<CurrencyCode> {
        let t = text.trim();
        (t.len() == 3 && t.bytes().all(|b| b.is_ascii_alphabetic())).then(|| CurrencyCode(t.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CurrencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A NuORDER date or date-time as sent (`2026-09-15T00:00:00.000Z`), checked to start with a real
/// calendar date. [`Timestamp::date`] gives the `YYYY-MM-DD` part (what Lightspeed's date fields take).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Timestamp(String);

impl Timestamp {
    pub fn parse(text: &str) -> Option<Timestamp> {
        let t = text.trim();
        let b = t.as_bytes();
        if b.len() < 10 || b.len() > 40 || !t.is_ascii() {
            return None;
        }
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if !(digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10)) {
            return None;
        }
        let year: u32 = t[0..4].parse().ok()?;
        let month: u32 = t[5..7].parse().ok()?;
        let day: u32 = t[8..10].parse().ok()?;
        let leap = matches!((year % 4, year % 100, year % 400), (0, 1.., _) | (_, _, 0));
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        if year == 0 || day == 0 || day > days {
            return None;
        }
        if b.len() > 10 {
            if b[10] != b'T' && b[10] != b' ' {
                return None;
            }
            if !b[11..].iter().all(|c| c.is_ascii_alphanumeric() || b":.+-Z".contains(c)) {
                return None;
            }
        }
        Some(Timestamp(t.to_string()))
    }

    /// The `YYYY-MM-DD` part.
    pub fn date(&self) -> &str {
        &self.0[..10]
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// NuORDER's order statuses (`nuorder.md` §2.2); anything else is kept as [`OrderStatus::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Draft,
    Review,
    Pending,
    Approved,
    Processed,
    Shipped,
    Cancelled,
    Other(String),
}

impl OrderStatus {
    fn from_text(s: &str) -> OrderStatus {
        match s.to_ascii_lowercase().as_str() {
            "draft" => OrderStatus::Draft,
            "review" => OrderStatus::Review,
            "pending" => OrderStatus::Pending,
            "approved" => OrderStatus::Approved,
            "processed" => OrderStatus::Processed,
            "shipped" => OrderStatus::Shipped,
            "cancelled" | "canceled" => OrderStatus::Cancelled,
            _ => OrderStatus::Other(s.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            OrderStatus::Draft => "draft",
            OrderStatus::Review => "review",
            OrderStatus::Pending => "pending",
            OrderStatus::Approved => "approved",
            OrderStatus::Processed => "processed",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Other(s) => s,
        }
    }
}

/// A validated NuORDER order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Order {
    /// `_id`: NuORDER's internal id.
    pub id: String,
    /// `order_number`, as shown in NuORDER ("Order #").
    pub order_number: String,
    pub status: Option<OrderStatus>,
    pub currency: CurrencyCode,
    /// `customer_po_number` (None when empty).
    pub customer_po: Option<String>,
    pub rep: Rep,
    pub retailer: Option<Retailer>,
    pub shipping_address: Option<Address>,
    pub start_ship: Option<Timestamp>,
    pub end_ship: Option<Timestamp>,
    pub created_on: Option<Timestamp>,
    /// Order-level discount (`discount`), 0–100 %; zero when absent.
    pub discount: Percent,
    /// `order_discounts.shipping_final_amount` (never negative).
    pub shipping: Option<Money>,
    /// `order_discounts.surcharge` (may be negative, as Lightspeed's `otherCost` may).
    pub surcharge: Option<Money>,
    /// `__brand_name`; absent on some real orders (the brand then comes from the page).
    pub brand_name: Option<String>,
    pub notes: Option<String>,
    pub lines: Vec<Line>,
}

impl Order {
    /// Every size row with its line, in document order.
    pub fn size_rows(&self) -> impl Iterator<Item = (&Line, &SizeRow)> {
        self.lines.iter().flat_map(|l| l.sizes.iter().map(move |s| (l, s)))
    }

    /// Units over all size rows (`quantity × units_per_pack`).
    pub fn total_units(&self) -> u64 {
        self.size_rows().map(|(_, s)| s.units()).sum()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Rep {
    pub name: Option<String>,
    pub code: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Retailer {
    pub id: Option<String>,
    pub name: Option<String>,
    pub code: Option<String>,
    pub buyer_name: Option<String>,
    pub buyer_email: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Address {
    pub display_name: Option<String>,
    pub line_1: Option<String>,
    pub line_2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
    pub country: Option<String>,
}

/// One order line: one product (style + season + color) and its size rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    pub product: LineProduct,
    pub sizes: Vec<SizeRow>,
}

/// `line_items[].product`: the order line's product reference (no name, no pricing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineProduct {
    /// NuORDER product `_id` (the key for `GET /api/product/{_id}` and for saved links).
    pub id: String,
    pub style_number: String,
    pub color: Option<String>,
    pub season: Option<String>,
    /// The brand's external product id (style + color level); absent on some real orders.
    pub brand_id: Option<String>,
}

/// One size of a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SizeRow {
    pub size: Option<String>,
    /// The UPC/EAN exactly as sent (may be `"N/A"`, have leading zeros, or be 13 digits);
    /// deciding what is a usable code is the export engine's job. A UPC sent as a JSON number is
    /// kept as its digits.
    pub upc: Option<String>,
    /// Number ordered (packs when `units_per_pack` > 1); 0 is allowed (a cancelled size).
    pub quantity: u32,
    /// Unit price after line-level discounts.
    pub price: Money,
    /// Unit price before line-level discounts (`price` when absent).
    pub original_price: Money,
    /// `price_precise`, when NuORDER sends a more precise unit price.
    pub price_precise: Option<Money>,
    /// Units in one pack; 1 when absent.
    pub units_per_pack: u32,
}

impl SizeRow {
    /// Units ordered: `quantity × units_per_pack`.
    pub fn units(&self) -> u64 {
        u64::from(self.quantity) * u64::from(self.units_per_pack)
    }
}

/// A validated NuORDER product document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Product {
    pub id: String,
    pub name: Option<String>,
    pub style_number: Option<String>,
    pub color: Option<String>,
    pub season: Option<String>,
    pub brand_id: Option<String>,
    /// `pricing`, by currency.
    pub pricing: BTreeMap<CurrencyCode, Pricing>,
    pub sizes: Vec<ProductSize>,
}

impl Product {
    /// `pricing.{currency}.retail`.
    pub fn retail(&self, currency: &CurrencyCode) -> Option<Money> {
        self.pricing.get(currency).and_then(|p| p.retail)
    }

    /// `pricing.{currency}.wholesale`.
    pub fn wholesale(&self, currency: &CurrencyCode) -> Option<Money> {
        self.pricing.get(currency).and_then(|p| p.wholesale)
    }

    /// The retail price of one size: the size's own pricing (price-per-size brands), else the
    /// product's.
    pub fn retail_for_size(&self, size: &str, currency: &CurrencyCode) -> Option<Money> {
        self.sizes
            .iter()
            .find(|s| s.size.as_deref() == Some(size))
            .and_then(|s| s.pricing.get(currency))
            .and_then(|p| p.retail)
            .or_else(|| self.retail(currency))
    }
}

/// One currency's prices.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Pricing {
    pub wholesale: Option<Money>,
    pub retail: Option<Money>,
    pub disabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProductSize {
    pub size: Option<String>,
    /// As sent (see [`SizeRow::upc`]).
    pub upc: Option<String>,
    pub ean: Option<String>,
    pub pricing: BTreeMap<CurrencyCode, Pricing>,
}

// ------------------------------------------------------------------------------------------------
// Validation helpers
// ------------------------------------------------------------------------------------------------

/// What control characters a text field tolerates.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TextKind {
    /// Identifiers, codes, sizes, colors: no control characters at all; trimmed.
    Code,
    /// Names and addresses: tab, CR and LF tolerated; kept as sent.
    Prose,
}

/// The text of a leaf; numbers written as integers are accepted as their digits.
fn leaf_text(prefix: &str, name: &str, v: &Scalar) -> Check<String> {
    match v {
        Scalar::Text(s) => Ok(s.clone()),
        Scalar::Int(i) => Ok(i.to_string()),
        Scalar::UInt(u) => Ok(u.to_string()),
        Scalar::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(format!("{f}")),
        other => fail(prefix, name, Reason::WrongType { detail: format!("expected text, got {}", other.describe()) }),
    }
}

fn opt_text(prefix: &str, name: &str, v: &Option<Scalar>, kind: TextKind, max: usize) -> Check<Option<String>> {
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

fn req_text(prefix: &str, name: &str, v: &Option<Scalar>, kind: TextKind) -> Check<String> {
    match v {
        None | Some(Scalar::Null) => fail(prefix, name, Reason::Missing),
        Some(s) if s.is_blank() => fail(prefix, name, Reason::Empty),
        _ => opt_text(prefix, name, v, kind, MAX_TEXT_CHARS).map(|s| s.unwrap_or_default()),
    }
}

fn check_text(prefix: &str, name: &str, s: &str, kind: TextKind, max: usize) -> Check<()> {
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

/// A raw UPC/EAN: text kept as sent (no trimming), or a JSON integer kept as its digits.
fn opt_code_raw(prefix: &str, name: &str, v: &Option<Scalar>) -> Check<Option<String>> {
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
    check_text(prefix, name, &s, TextKind::Code, MAX_TEXT_CHARS)?;
    Ok(Some(s))
}

/// A decimal amount (price or order-level amount): not blank, a number, not above [`MAX_AMOUNT`],
/// and not negative unless `allow_negative`.
fn amount(prefix: &str, name: &str, v: &Scalar, allow_negative: bool) -> Check<Money> {
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

fn req_amount(prefix: &str, name: &str, v: &Option<Scalar>) -> Check<Money> {
    match v {
        None | Some(Scalar::Null) => fail(prefix, name, Reason::Missing),
        Some(v) => amount(prefix, name, v, false),
    }
}

fn opt_amount(prefix: &str, name: &str, v: &Option<Scalar>, allow_negative: bool) -> Check<Option<Money>> {
    match v {
        Some(v) if !v.is_blank() => amount(prefix, name, v, allow_negative).map(Some),
        _ => Ok(None),
    }
}

/// A whole, non-negative count no greater than `max`.
fn count(prefix: &str, name: &str, v: &Scalar, max: u32) -> Check<u32> {
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

fn opt_timestamp(prefix: &str, name: &str, v: &Option<Scalar>) -> Check<Option<Timestamp>> {
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

fn opt_bool(v: &Option<Scalar>) -> bool {
    match v {
        Some(Scalar::Bool(b)) => *b,
        Some(Scalar::Text(s)) => s.trim().eq_ignore_ascii_case("true"),
        Some(Scalar::Int(i)) => *i != 0,
        Some(Scalar::UInt(u)) => *u != 0,
        _ => false,
    }
}

// ------------------------------------------------------------------------------------------------
// Validation
// ------------------------------------------------------------------------------------------------

impl RawOrder {
    /// Checks every value and builds the typed [`Order`]; the first problem found is returned,
    /// naming its field.
    pub fn validate(&self) -> Result<Order, ModelError> {
        self.check().map_err(|e| ModelError::InvalidOrder { field: e.field, reason: e.reason })
    }

    fn check(&self) -> Check<Order> {
        use TextKind::{Code, Prose};
        let order_number = req_text("", "order_number", &self.order_number, Code)?;
        let id = req_text("", "_id", &self.id, Code)?;
        let currency = match &self.currency_code {
            None | Some(Scalar::Null) => return fail("", "currency_code", Reason::Missing),
            Some(v) => {
                let s = leaf_text("", "currency_code", v)?;
                CurrencyCode::parse(&s)
                    .ok_or(())
                    .or_else(|_| fail("", "currency_code", Reason::NotACurrency { got: snippet(&s) }))?
            }
        };
        let status = opt_text("", "status", &self.status, Code, MAX_TEXT_CHARS)?.map(|s| OrderStatus::from_text(&s));
        let customer_po = opt_text("", "customer_po_number", &self.customer_po_number, Prose, MAX_TEXT_CHARS)?;
        let rep = Rep {
            name: opt_text("", "rep_name", &self.rep_name, Prose, MAX_TEXT_CHARS)?,
            code: opt_text("", "rep_code", &self.rep_code, Code, MAX_TEXT_CHARS)?,
            email: opt_text("", "rep_email", &self.rep_email, Code, MAX_TEXT_CHARS)?,
        };
        let retailer = match &self.retailer {
            None => None,
            Some(r) => Some(Retailer {
                id: opt_text("retailer", "_id", &r.id, Code, MAX_TEXT_CHARS)?,
                name: opt_text("retailer", "retailer_name", &r.retailer_name, Prose, MAX_TEXT_CHARS)?,
                code: opt_text("retailer", "retailer_code", &r.retailer_code, Code, MAX_TEXT_CHARS)?,
                buyer_name: opt_text("retailer", "buyer_name", &r.buyer_name, Prose, MAX_TEXT_CHARS)?,
                buyer_email: opt_text("retailer", "buyer_email", &r.buyer_email, Code, MAX_TEXT_CHARS)?,
            }),
        };
        let shipping_address = match &self.shipping_address {
            None => None,
            Some(a) => Some(a.check("shipping_address")?),
        };
        let start_ship = opt_timestamp("", "start_ship", &self.start_ship)?;
        let end_ship = opt_timestamp("", "end_ship", &self.end_ship)?;
        let created_on = opt_timestamp("", "created_on", &self.created_on)?;
        let discount = match &self.discount {
            Some(v) if !v.is_blank() => {
                let m = amount("", "discount", v, true)?;
                if m.is_negative() || m.micros() > 100 * Percent::MICROS_PER_POINT {
                    return fail(
                        "",
                        "discount",
                        Reason::OutOfRange { got: v.describe(), min: "0".into(), max: "100".into() },
                    );
                }
                Percent::from_micros(m.micros())
            }
            _ => Percent::ZERO,
        };
        let (shipping, surcharge) = match &self.order_discounts {
            None => (None, None),
            Some(d) => (
                opt_amount("order_discounts", "shipping_final_amount", &d.shipping_final_amount, false)?,
                opt_amount("order_discounts", "surcharge", &d.surcharge, true)?,
            ),
        };
        let brand_name = opt_text("", "__brand_name", &self.brand_name, Prose, MAX_TEXT_CHARS)?;
        let notes = opt_text("", "notes", &self.notes, Prose, MAX_NOTES_CHARS)?;

        let raw_lines = match &self.line_items {
            None => return fail("", "line_items", Reason::NoLines),
            Some(l) if l.is_empty() => return fail("", "line_items", Reason::NoLines),
            Some(l) => l,
        };
        // The pre-pass already enforces this on text input; values built in code come here directly.
        let rows: usize = raw_lines.iter().map(|l| l.sizes.as_ref().map_or(0, Vec::len)).sum();
        if rows > MAX_SIZE_ROWS || raw_lines.len() > MAX_LINES {
            return fail("", "line_items", Reason::TooMany { count: rows.max(raw_lines.len()), max: MAX_SIZE_ROWS });
        }
        let mut lines = Vec::with_capacity(raw_lines.len());
        for (i, line) in raw_lines.iter().enumerate() {
            lines.push(line.check(&format!("line_items[{i}]"))?);
        }

        Ok(Order {
            id,
            order_number,
            status,
            currency,
            customer_po,
            rep,
            retailer,
            shipping_address,
            start_ship,
            end_ship,
            created_on,
            discount,
            shipping,
            surcharge,
            brand_name,
            notes,
            lines,
        })
    }
}

impl RawAddress {
    fn check(&self, p: &str) -> Check<Address> {
        use TextKind::Prose;
        Ok(Address {
            display_name: opt_text(p, "display_name", &self.display_name, Prose, MAX_TEXT_CHARS)?,
            line_1: opt_text(p, "line_1", &self.line_1, Prose, MAX_TEXT_CHARS)?,
            line_2: opt_text(p, "line_2", &self.line_2, Prose, MAX_TEXT_CHARS)?,
            city: opt_text(p, "city", &self.city, Prose, MAX_TEXT_CHARS)?,
            state: opt_text(p, "state", &self.state, Prose, MAX_TEXT_CHARS)?,
            zip: opt_text(p, "zip", &self.zip, Prose, MAX_TEXT_CHARS)?,
            country: opt_text(p, "country", &self.country, Prose, MAX_TEXT_CHARS)?,
        })
    }
}

impl RawLineItem {
    fn check(&self, p: &str) -> Check<Line> {
        use TextKind::Code;
        let raw = match &self.product {
            Some(raw) => raw,
            None => return fail(p, "product", Reason::Missing),
        };
        let pp = at(p, "product");
        let product = LineProduct {
            id: req_text(&pp, "_id", &raw.id, Code)?,
            style_number: req_text(&pp, "style_number", &raw.style_number, Code)?,
            color: opt_text(&pp, "color", &raw.color, Code, MAX_TEXT_CHARS)?,
            season: opt_text(&pp, "season", &raw.season, Code, MAX_TEXT_CHARS)?,
            brand_id: opt_text(&pp, "brand_id", &raw.brand_id, Code, MAX_TEXT_CHARS)?,
        };
        let raw_sizes = match &self.sizes {
            Some(s) if !s.is_empty() => s,
            _ => return fail(p, "sizes", Reason::NoSizes),
        };
        let mut sizes = Vec::with_capacity(raw_sizes.len());
        for (j, s) in raw_sizes.iter().enumerate() {
            sizes.push(s.check(&format!("{p}.sizes[{j}]"))?);
        }
        Ok(Line { product, sizes })
    }
}

impl RawSize {
    fn check(&self, p: &str) -> Check<SizeRow> {
        let size = opt_text(p, "size", &self.size, TextKind::Code, MAX_TEXT_CHARS)?;
        let upc = opt_code_raw(p, "upc", &self.upc)?;
        // A row must be identifiable: a size name, or a code with at least one digit ("N/A" is not one).
        let has_code = upc.as_deref().is_some_and(|u| u.bytes().any(|b| b.is_ascii_digit()));
        if size.is_none() && !has_code {
            return fail(p, "", Reason::NoSizeOrUpc);
        }
        let quantity = match &self.quantity {
            None | Some(Scalar::Null) => return fail(p, "quantity", Reason::Missing),
            Some(v) => count(p, "quantity", v, MAX_QUANTITY)?,
        };
        let price = req_amount(p, "price", &self.price)?;
        let original_price = opt_amount(p, "original_price", &self.original_price, false)?.unwrap_or(price);
        let price_precise = opt_amount(p, "price_precise", &self.price_precise, false)?;
        let units_per_pack = match &self.units_per_pack {
            Some(v) if !v.is_blank() => {
                let n = count(p, "units_per_pack", v, MAX_UNITS_PER_PACK)?;
                if n == 0 {
                    return fail(
                        p,
                        "units_per_pack",
                        Reason::OutOfRange { got: v.describe(), min: "1".into(), max: MAX_UNITS_PER_PACK.to_string() },
                    );
                }
                n
            }
            _ => 1,
        };
        Ok(SizeRow { size, upc, quantity, price, original_price, price_precise, units_per_pack })
    }
}

impl RawProduct {
    /// Checks every value and builds the typed [`Product`].
    pub fn validate(&self) -> Result<Product, ModelError> {
        self.check().map_err(|e| product_error("", e))
    }

    fn check(&self) -> Check<Product> {
        use TextKind::{Code, Prose};
        let id = req_text("", "_id", &self.id, Code)?;
        let pricing = check_pricing("pricing", &self.pricing)?;
        let raw_sizes = self.sizes.as_deref().unwrap_or_default();
        if raw_sizes.len() > MAX_PRODUCT_SIZES {
            return fail("", "sizes", Reason::TooMany { count: raw_sizes.len(), max: MAX_PRODUCT_SIZES });
        }
        let mut sizes = Vec::with_capacity(raw_sizes.len());
        for (j, s) in raw_sizes.iter().enumerate() {
            let p = format!("sizes[{j}]");
            sizes.push(ProductSize {
                size: opt_text(&p, "size", &s.size, Code, MAX_TEXT_CHARS)?,
                upc: opt_code_raw(&p, "upc", &s.upc)?,
                ean: opt_code_raw(&p, "ean", &s.ean)?,
                pricing: check_pricing(&at(&p, "pricing"), &s.pricing)?,
            });
        }
        Ok(Product {
            id,
            name: opt_text("", "name", &self.name, Prose, MAX_TEXT_CHARS)?,
            style_number: opt_text("", "style_number", &self.style_number, Code, MAX_TEXT_CHARS)?,
            color: opt_text("", "color", &self.color, Code, MAX_TEXT_CHARS)?,
            season: opt_text("", "season", &self.season, Code, MAX_TEXT_CHARS)?,
            brand_id: opt_text("", "brand_id", &self.brand_id, Code, MAX_TEXT_CHARS)?,
            pricing,
            sizes,
        })
    }
}

/// `pricing` keyed by currency. Keys that are not currency codes are ignored, like unknown fields.
fn check_pricing(p: &str, raw: &Option<BTreeMap<String, RawPricing>>) -> Check<BTreeMap<CurrencyCode, Pricing>> {
    let mut out = BTreeMap::new();
    for (key, r) in raw.iter().flatten() {
        let Some(code) = CurrencyCode::parse(key) else {
            continue;
        };
        let pk = at(p, key);
        out.insert(
            code,
            Pricing {
                wholesale: opt_amount(&pk, "wholesale", &r.wholesale, false)?,
                retail: opt_amount(&pk, "retail", &r.retail, false)?,
                disabled: opt_bool(&r.disabled),
            },
        );
    }
    Ok(out)
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

    #[test]
    fn floats_read_through_their_shortest_decimal() {
        for (f, micros) in [(376.2, 376_200_000), (0.1, 100_000), (18.375, 18_375_000), (60.8, 60_800_000)] {
            assert_eq!(Scalar::Float(f).micros(), Ok(micros), "{f}");
        }
        assert_eq!(Scalar::Float(0.1 + 0.2).micros(), Ok(300_000));
        assert_eq!(Scalar::Float(1e300).micros(), Err(DecimalError::TooLarge));
    }

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
    fn timestamps() {
        for ok in ["2026-09-15", "2026-09-15T00:00:00.000Z", "2024-02-29T10:00:00+02:00", "2026-09-15 10:00"] {
            assert!(Timestamp::parse(ok).is_some(), "{ok}");
        }
        for bad in [
            "",
            "2026-9-15",
            "2026-13-01",
            "2025-02-29",
            "2026-09-31",
            "15/09/2026",
            "2026-09-15X",
            "2026-09-15T<b>",
            "0000-01-01",
        ] {
            assert!(Timestamp::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(Timestamp::parse("2026-09-15T00:00:00.000Z").unwrap().date(), "2026-09-15");
    }

    #[test]
    fn the_parsers_recursion_limit_is_a_typed_error() {
        // The model's own types never recurse, but serde_json's limit must still map cleanly.
        let deep = format!("{}{}", "[".repeat(500), "]".repeat(500));
        let err = serde_json::from_str::<serde_json::Value>(&deep).unwrap_err();
        assert_eq!(
            serde_error(Document::Order, "", String::new(), err),
            ModelError::TooDeep { document: Document::Order }
        );
    }

    #[test]
    fn paths_read_as_places() {
        let r = Reason::Negative { got: "-1".into() };
        assert_eq!(
            describe("Order", "line_items[2].sizes[0].quantity", &r),
            "Order line 3, size row 1: quantity must not be negative (got -1) [line_items[2].sizes[0].quantity]"
        );
        assert_eq!(
            describe("Order", "order_number", &Reason::Missing),
            "Order: order number is missing [order_number]"
        );
        assert_eq!(describe("Order", "line_items", &Reason::NoLines), "Order: the order has no lines [line_items]");
        assert_eq!(
            describe("Order", "line_items[0].sizes[4]", &Reason::NoSizeOrUpc),
            "Order line 1, size row 5: has neither a size nor a UPC [line_items[0].sizes[4]]"
        );
        assert_eq!(
            describe("Product", "products[3].pricing.USD.retail", &Reason::Empty),
            "Product product 4: pricing.USD.retail is empty [products[3].pricing.USD.retail]"
        );
        assert_eq!(
            describe("Order", "line_items[1].product.style_number", &Reason::Missing),
            "Order line 2: product.style_number is missing [line_items[1].product.style_number]"
        );
    }
}
