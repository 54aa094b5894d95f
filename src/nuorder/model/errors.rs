//! Why a document was refused: [`ModelError`] for the caller, [`Reason`] for the value, and the
//! field paths (`line_items[2].sizes[0].quantity`) read back as places ("line 3, size row 1").

use serde::Serialize;
use std::fmt;

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
    /// Larger than [`MAX_ORDER_BYTES`](super::MAX_ORDER_BYTES) / [`MAX_PRODUCTS_BYTES`](super::MAX_PRODUCTS_BYTES).
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
pub(super) fn describe(doc: &str, field: &str, reason: &Reason) -> String {
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

pub(super) fn friendly(name: &str) -> String {
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

pub(super) enum Seg<'a> {
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
pub(super) fn split_path(path: &str) -> Vec<Seg<'_>> {
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
pub(super) struct FieldError {
    pub(super) field: String,
    pub(super) reason: Reason,
}

pub(super) type Check<T> = Result<T, FieldError>;

pub(super) fn at(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else if name.is_empty() {
        prefix.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

pub(super) fn fail<T>(prefix: &str, name: &str, reason: Reason) -> Check<T> {
    Err(FieldError { field: at(prefix, name), reason })
}

pub(super) fn product_error(prefix: &str, e: FieldError) -> ModelError {
    ModelError::InvalidProduct { field: at(prefix, &e.field), reason: e.reason }
}

pub(super) fn invalid(document: Document, field: String, reason: Reason) -> ModelError {
    match document {
        Document::Order => ModelError::InvalidOrder { field, reason },
        Document::Product => ModelError::InvalidProduct { field, reason },
    }
}
