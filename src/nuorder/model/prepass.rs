//! The pre-pass: counts lines and size rows before anything is allocated, stopping as soon as a
//! limit is passed, so a hostile document cannot make us build millions of rows.

use super::errors::Reason;
use super::limits::{MAX_LINES, MAX_PRODUCTS, MAX_PRODUCT_SIZES, MAX_PRODUCT_SIZE_ROWS, MAX_SIZE_ROWS};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use std::fmt;

/// Reads only `line_items[].sizes[]`, counting, and stops as soon as a limit is passed.
#[derive(Deserialize)]
pub(super) struct CountOrder {
    #[serde(default, rename = "line_items")]
    _line_items: Option<CountLines>,
}

pub(super) struct CountLines;

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
pub(super) struct CountLine(usize);

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
pub(super) struct CountSeq<const MAX: usize>(usize);

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
pub(super) struct CountProducts;

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

/// What the pre-pass reads of a document already parsed, without copying the document (the
/// value decode owns what it reads, `core::objects`): each line's (or product's) `sizes` with
/// their elements as `null`, since only their number counts; anything of another shape is kept
/// as is, so it fails here exactly as in the document. `order`: the order, else a products document.
pub(super) fn count_view(doc: &Value, order: bool) -> Value {
    fn sizes_only(item: &Value) -> Value {
        let Value::Object(fields) = item else { return item.clone() };
        let mut view = serde_json::Map::new();
        if let Some(sizes) = fields.get("sizes") {
            let sizes = match sizes {
                Value::Array(rows) => Value::Array(vec![Value::Null; rows.len()]),
                other => other.clone(),
            };
            view.insert("sizes".to_string(), sizes);
        }
        Value::Object(view)
    }
    fn each(items: &Value) -> Value {
        match items {
            Value::Array(items) => Value::Array(items.iter().map(sizes_only).collect()),
            other => other.clone(),
        }
    }
    let mut view = serde_json::Map::new();
    match doc.get("line_items") {
        Some(lines) if order => {
            view.insert("line_items".to_string(), each(lines));
        }
        _ if order => {}
        _ if doc.is_array() => return each(doc),
        _ => return sizes_only(doc),
    }
    Value::Object(view)
}

/// Carried through serde's error as text, recognised by its prefix.
pub(super) enum LimitHit {
    Lines(usize),
    SizeRows(usize),
    Products(usize),
    ProductSizes(usize),
    ProductSizeRows(usize),
}

pub(super) const LIMIT_TAG: &str = "po-bridge limit:";

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

pub(super) fn limit_reason(message: &str) -> Option<(Reason, &'static str)> {
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
