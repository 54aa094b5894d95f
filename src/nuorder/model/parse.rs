//! The entry points: JSON text or value → pre-pass → raw document → validated value, with serde's
//! failures turned into a [`ModelError`] that names the field.

use super::errors::{at, invalid, product_error, Document, ModelError, Reason};
use super::limits::{MAX_ORDER_BYTES, MAX_PRODUCTS_BYTES};
use super::prepass::{count_view, limit_reason, CountOrder, CountProducts};
use super::raw::{RawOrder, RawProduct};
use super::types::{Order, Product};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;

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
    run_serde(Document::Order, "", || from_value_tracked::<CountOrder>(&count_view(value, true)).map(|_| ()))?;
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
    let view = count_view(value, false);
    run_serde(Document::Product, "products", || from_value_tracked::<CountProducts>(&view).map(|_| ()))?;
    let raw: OneOrManyProducts = run_serde(Document::Product, "products", || from_value_tracked(value))?;
    validate_products(raw.0)
}

pub(super) fn not_an_object(document: Document) -> ModelError {
    invalid(
        document,
        String::new(),
        Reason::WrongType { detail: format!("expected a JSON object: the {document} document itself") },
    )
}

pub(super) fn check_size(document: Document, json: &str, max: usize) -> Result<(), ModelError> {
    if json.len() > max {
        return Err(ModelError::TooLarge { document, bytes: json.len(), max });
    }
    Ok(())
}

pub(super) fn validate_products(raw: Vec<Option<RawProduct>>) -> Result<Vec<Product>, ModelError> {
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

pub(super) struct OneOrManyProducts(Vec<Option<RawProduct>>);

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
pub(super) type Tracked = (String, serde_json::Error);

pub(super) fn no_path(e: serde_json::Error) -> Tracked {
    (String::new(), e)
}

pub(super) fn tracked(e: serde_path_to_error::Error<serde_json::Error>) -> Tracked {
    let path = e.path().to_string();
    let path = if path == "." { String::new() } else { path };
    (path, e.into_inner())
}

pub(super) fn from_str_tracked<T: de::DeserializeOwned>(json: &str) -> Result<T, Tracked> {
    let mut de = serde_json::Deserializer::from_str(json);
    let value = serde_path_to_error::deserialize(&mut de).map_err(tracked)?;
    de.end().map_err(no_path)?;
    Ok(value)
}

/// A value (the browser's only entry) is read through [`Objects`](crate::core::objects), the one
/// deserializer of the wasm, which places the failure itself: no second copy of the models'
/// decoders and no `serde_path_to_error` in the background module (issue 17). Text stays on
/// serde_json's streaming reader ([`from_str_tracked`], native only): it skips deep junk in ignored
/// fields without building it and refuses duplicate keys, which a `Value` cannot.
pub(super) fn from_value_tracked<T: de::DeserializeOwned>(value: &serde_json::Value) -> Result<T, Tracked> {
    crate::core::objects::from_value_at(value.clone())
}

/// Runs a serde step and turns its error into a [`ModelError`]; `prefix` names a top-level array.
pub(super) fn run_serde<T>(
    document: Document,
    prefix: &str,
    f: impl FnOnce() -> Result<T, Tracked>,
) -> Result<T, ModelError> {
    f().map_err(|(path, err)| serde_error(document, prefix, path, err))
}

pub(super) fn serde_error(document: Document, prefix: &str, path: String, err: serde_json::Error) -> ModelError {
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
pub(super) fn join_path(prefix: &str, path: &str) -> String {
    if path.is_empty() {
        prefix.to_string()
    } else if path.starts_with('[') {
        format!("{prefix}{path}")
    } else {
        at(prefix, path)
    }
}
