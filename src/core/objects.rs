//! The deserializer every record is read with from a `serde_json::Value`: `Value`'s own, except
//! that structs are read from JSON objects only.
//!
//! serde's derive gives every struct (and struct variant) a sequence form beside its map form
//! (`[v1, v2, …]` in field order), and `Value`'s deserializer reaches both, so both were compiled
//! into the wasm for every type. PO Bridge writes records as objects and Lightspeed sends them as
//! objects, never arrays: [`Objects`] refuses an array where a struct belongs and the sequence
//! forms leave the modules (issue 17). It pays only where every decode of a type goes through it
//! (a type read both ways is compiled twice): [`from_value`] is the one entry (the store's
//! records, the messages, `browser::from_js`), and the tagged enums (`core::tagged`,
//! `protocol::tagged`) and the Lightspeed records (`lightspeed::wire`) read their parts through it.
//! A map's keys are read as strings (no record has a map with number keys).

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use serde_json::{Error, Map, Value};

/// A `Value` whose structs read from objects only.
pub struct Objects(pub Value);

fn unexpected(v: &Value) -> de::Unexpected<'_> {
    match v {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(_) => de::Unexpected::Other("number"),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

macro_rules! value_s {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            self.0.$method(v)
        })*
    };
}

impl<'de> Deserializer<'de> for Objects {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(items) => v.visit_seq(Items(items.into_iter())),
            Value::Object(fields) => v.visit_map(Fields { fields: fields.into_iter(), value: None }),
            other => other.deserialize_any(v),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(v)
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(fields) => v.visit_map(Fields { fields: fields.into_iter(), value: None }),
            other => Err(de::Error::invalid_type(unexpected(&other), &v)),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(items) => v.visit_seq(Items(items.into_iter())),
            other => Err(de::Error::invalid_type(unexpected(&other), &v)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, v: V) -> Result<V::Value, Error> {
        self.deserialize_seq(v)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        v: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(v)
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => v.visit_none(),
            other => v.visit_some(Objects(other)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, v: V) -> Result<V::Value, Error> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        let (variant, payload) = match self.0 {
            Value::String(variant) => (variant, None),
            Value::Object(one) if one.len() == 1 => {
                let (variant, payload) = one.into_iter().next().unwrap_or_default();
                (variant, Some(payload))
            }
            other => return Err(de::Error::invalid_type(unexpected(&other), &"a string or an object with one key")),
        };
        v.visit_enum(Variant { variant, payload })
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, name: &'static str, v: V) -> Result<V::Value, Error> {
        self.0.deserialize_unit_struct(name, v)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        drop(self);
        v.visit_unit()
    }

    value_s! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_u8
        deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_str deserialize_string deserialize_bytes deserialize_byte_buf deserialize_unit
        deserialize_identifier
    }
}

struct Items(std::vec::IntoIter<Value>);

impl<'de> SeqAccess<'de> for Items {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        self.0.next().map(|v| seed.deserialize(Objects(v))).transpose()
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Fields {
    fields: <Map<String, Value> as IntoIterator>::IntoIter,
    value: Option<Value>,
}

impl<'de> MapAccess<'de> for Fields {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        match self.fields.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(Value::String(key)).map(Some)
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(Objects(value)),
            None => Err(de::Error::custom("a value asked before its key")),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.fields.len())
    }
}

/// An externally tagged enum's variant (`"variant"` or `{"variant": payload}`), its payload read
/// as [`Objects`] too.
struct Variant {
    variant: String,
    payload: Option<Value>,
}

impl<'de> EnumAccess<'de> for Variant {
    type Error = Error;
    type Variant = Payload;
    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Payload), Error> {
        Ok((seed.deserialize(Value::String(self.variant))?, Payload(self.payload)))
    }
}

struct Payload(Option<Value>);

impl Payload {
    fn missing(what: &str) -> Error {
        de::Error::invalid_type(de::Unexpected::UnitVariant, &what)
    }
}

impl<'de> VariantAccess<'de> for Payload {
    type Error = Error;
    fn unit_variant(self) -> Result<(), Error> {
        match self.0 {
            None | Some(Value::Null) => Ok(()),
            Some(other) => Err(de::Error::invalid_type(unexpected(&other), &"unit variant")),
        }
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        match self.0 {
            Some(payload) => seed.deserialize(Objects(payload)),
            None => Err(Payload::missing("newtype variant")),
        }
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, v: V) -> Result<V::Value, Error> {
        match self.0 {
            Some(payload) => Objects(payload).deserialize_seq(v),
            None => Err(Payload::missing("tuple variant")),
        }
    }
    fn struct_variant<V: Visitor<'de>>(self, _fields: &'static [&'static str], v: V) -> Result<V::Value, Error> {
        match self.0 {
            Some(payload) => Objects(payload).deserialize_map(v),
            None => Err(Payload::missing("struct variant")),
        }
    }
}

/// `T` from a `Value`, its structs read from objects only.
pub fn from_value<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, Error> {
    T::deserialize(Objects(v))
}
