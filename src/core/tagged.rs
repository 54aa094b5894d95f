//! The stored form of an internally tagged enum, `{"<tag>": "<variant>", ...fields}`, written once
//! for all of them.
//!
//! serde's internally tagged derive (`#[serde(tag = "...")]`) buffers every value into its
//! `Content` before it knows the variant, and then decodes the variant from that buffer: a second
//! copy of every variant's decoder beside the one for the deserializer at hand, the largest cost of
//! the journal, plan and update records in the wasm modules (issue 17). The enums derive serde's
//! default, externally tagged form instead, as inherent functions (`#[serde(remote = "Self")]`),
//! and `internal_enum!` implements `Serialize` and `Deserialize` through a `serde_json::Value`
//! reshaped here: one decoder per variant, `Value`'s, as the store's records already use.

use super::objects::Objects;
use serde::de::Error;
use serde_json::{Map, Value};

/// `{"<variant>": {fields}}` or `"<variant>"` (serde's externally tagged form) → `{tag: variant,
/// ...fields}`.
pub fn to_internal(external: Value, tag: &str) -> Value {
    let (variant, fields) = match external {
        Value::String(variant) => (variant, Map::new()),
        Value::Object(one) if one.len() == 1 => match one.into_iter().next().unwrap_or_default() {
            (variant, Value::Object(fields)) => (variant, fields),
            (_, other) => return other,
        },
        other => return other,
    };
    let mut internal = one_field(tag.to_owned(), Value::String(variant));
    internal.extend(fields);
    Value::Object(internal)
}

/// The internally tagged form → `T`, through `external` (serde's externally tagged decoder of
/// `T`). A variant with fields reads `{variant: fields}`; a variant without reads `"variant"`, and
/// like serde's internally tagged derive it ignores any other keys.
pub fn from_internal<T, E: Error>(
    internal: Value,
    tag: &'static str,
    external: fn(Value) -> Result<T, E>,
) -> Result<T, E> {
    let mut fields = match internal {
        Value::Object(fields) => fields,
        other => {
            return Err(E::custom(format_args!("invalid type: {}, expected an object with `{tag}`", kind(&other))))
        }
    };
    let variant = match fields.remove(tag) {
        Some(Value::String(variant)) => variant,
        Some(_) => return Err(E::custom(format_args!("`{tag}` must be a string"))),
        None => return Err(E::missing_field(tag)),
    };
    let unit = Value::String(variant.clone());
    if fields.is_empty() {
        // A unit variant, or one whose fields all have defaults.
        return external(unit).or_else(|_| external(Value::Object(one_field(variant, Value::Object(fields)))));
    }
    external(Value::Object(one_field(variant, Value::Object(fields)))).or_else(|e| external(unit).map_err(|_| e))
}

/// `{key: value}`, by an insert: `Map::from_iter` would compile a sort of its pairs ([`super::sorted`]).
fn one_field(key: String, value: Value) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert(key, value);
    map
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "sequence",
        Value::Object(_) => "map",
    }
}

/// Takes `name` out of an object (a struct that flattens an internally tagged enum decodes its own
/// fields, then the enum from the rest).
fn take_field<E: Error>(value: &mut Value, name: &'static str) -> Result<Value, E> {
    match value {
        Value::Object(fields) => fields.remove(name).ok_or_else(|| E::missing_field(name)),
        _ => Err(E::custom("expected an object")),
    }
}

/// Decodes a struct of a flattened internally tagged enum `K` and one field `name` of type `F`
/// (the form `#[serde(flatten)]` writes) without serde's `flatten`, which buffers the whole record
/// into its `Content` first: the field, then the enum from the rest.
pub fn flattened<'de, D, K, F>(d: D, name: &'static str) -> Result<(K, F), D::Error>
where
    D: serde::Deserializer<'de>,
    K: serde::de::DeserializeOwned,
    F: serde::de::DeserializeOwned,
{
    let mut rest = <Value as serde::Deserialize>::deserialize(d)?;
    let field = F::deserialize(Objects::<D::Error>::new(take_field::<D::Error>(&mut rest, name)?))?;
    Ok((K::deserialize(Objects::<D::Error>::new(rest))?, field))
}

/// `Serialize` and `Deserialize` in the internally tagged form (`tag` names the variant) for an
/// enum that derives both with `#[serde(remote = "Self")]` (serde's externally tagged form, as
/// inherent functions) and no `tag` attribute.
macro_rules! internal_enum {
    ($t:ty, $tag:literal) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let external =
                    <$t>::serialize(self, serde_json::value::Serializer).map_err(serde::ser::Error::custom)?;
                serde::Serialize::serialize(&$crate::core::tagged::to_internal(external, $tag), s)
            }
        }
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let internal = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
                $crate::core::tagged::from_internal::<Self, D::Error>(internal, $tag, |v| {
                    <$t>::deserialize($crate::core::objects::Objects::new(v))
                })
            }
        }
    };
}
pub(crate) use internal_enum;
