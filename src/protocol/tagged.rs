//! The wire form of the protocol's enums, `{"type": "<variant>", "data": <payload>}` (no `data`
//! for a variant without payload), written once for all of them.
//!
//! serde's adjacently tagged derive (`tag = "type", content = "data"`) reads that form with two
//! copies of every variant's decoder: one for the deserializer at hand and one for a buffered
//! `Content`, in case `data` comes before `type`. In the wasm modules that was the largest single
//! cost (issue 17). The enums derive serde's default, externally tagged form instead, as inherent
//! functions (`#[serde(remote = "Self")]`), and [`wire_enum!`] implements `Serialize` and
//! `Deserialize` through a `serde_json::Value` reshaped here: one decoder per variant, and one
//! deserializer (`Value`) for every payload, as the store's records already use.

use serde::de::Error;
use serde_json::{Map, Value};

/// `{"<variant>": payload}` or `"<variant>"` (serde's externally tagged form) → the wire form.
pub(crate) fn to_wire(external: Value) -> Value {
    let mut wire = Map::new();
    match external {
        Value::String(tag) => {
            wire.insert("type".into(), Value::String(tag));
        }
        Value::Object(one) if one.len() == 1 => {
            for (tag, data) in one {
                wire.insert("type".into(), Value::String(tag));
                wire.insert("data".into(), data);
            }
        }
        other => return other,
    }
    Value::Object(wire)
}

/// The wire form → serde's externally tagged form. With `deny_unknown`, anything but `type` and
/// `data` is refused (as the adjacently tagged derive with `deny_unknown_fields` refused it), else
/// ignored.
pub(crate) fn from_wire<E: Error>(wire: Value, deny_unknown: bool) -> Result<Value, E> {
    let Value::Object(wire) = wire else {
        return Err(E::custom("expected an object with `type` and `data`"));
    };
    // One walk over the map, no `remove` and no `from_iter`: the B-tree's removal and the sort
    // behind a collected map cost the content script 5 KB gzip (issue 17).
    let (mut tag, mut data, mut unknown) = (None, None, None);
    for (key, value) in wire {
        match key.as_str() {
            "type" => tag = Some(value),
            "data" => data = Some(value),
            _ => unknown = unknown.or(Some(key)),
        }
    }
    let tag = match tag {
        Some(Value::String(tag)) => tag,
        Some(_) => return Err(E::custom("`type` must be a string")),
        None => return Err(E::missing_field("type")),
    };
    if let Some(key) = unknown.filter(|_| deny_unknown) {
        return Err(E::unknown_field(&key, &["type", "data"]));
    }
    Ok(match data {
        Some(data) => {
            let mut external = Map::new();
            external.insert(tag, data);
            Value::Object(external)
        }
        None => Value::String(tag),
    })
}

/// `Serialize` and `Deserialize` in the wire form for an enum that derives both with
/// `#[serde(remote = "Self")]` (serde's externally tagged form, as inherent functions);
/// `deny_unknown_fields` refuses keys beside `type` and `data` (give it where the enum has it).
macro_rules! wire_enum {
    ($t:ty) => {
        $crate::protocol::tagged::wire_enum!($t, false);
    };
    ($t:ty, deny_unknown_fields) => {
        $crate::protocol::tagged::wire_enum!($t, true);
    };
    ($t:ty, $deny:literal) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let external =
                    <$t>::serialize(self, serde_json::value::Serializer).map_err(serde::ser::Error::custom)?;
                serde::Serialize::serialize(&$crate::protocol::tagged::to_wire(external), s)
            }
        }
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let wire = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
                let external = $crate::protocol::tagged::from_wire::<D::Error>(wire, $deny)?;
                <$t>::deserialize($crate::core::objects::Objects::<D::Error>::new(external))
            }
        }
    };
}
pub(crate) use wire_enum;
