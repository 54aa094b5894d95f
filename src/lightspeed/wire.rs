//! Small serde helpers for Lightspeed's JSON quirks, used by [`super::models`].
//!
//! - Every scalar arrives as a string (`"4"`, `"false"`, `"1000.5"`): the `de_*` functions accept
//!   a string, a number or a boolean alike.
//! - Empty means unset: `""`, `null` and a missing key are all `None` for optional values.
//! - A collection with one element arrives as an object instead of an array, an empty one is
//!   absent or `""` (`"Phones": ""`): [`de_one_or_many`] and [`de_wrapped`] give a `Vec` in every
//!   case, and [`ser_wrapped`] writes the `{"ItemPrice": [...]}` form Lightspeed reads.
//! - Foreign keys use `"0"` for "none" ([`de_opt_id`]).

pub use crate::core::ids::de_opt_u64;
use crate::core::objects::Objects;
use crate::core::{Money, Scalar};
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;
#[cfg(not(target_arch = "wasm32"))]
use std::marker::PhantomData;

/// A record type and the key its collection wrapper uses (`ItemVendorNums: {ItemVendorNum: …}`),
/// which is also the key of the record in a response envelope (`{"Item": …}`).
pub trait Record {
    const KEY: &'static str;
}

fn scalar<'de, D: Deserializer<'de>>(d: D) -> Result<Scalar, D::Error> {
    Scalar::deserialize(d)
}

fn text_of(s: &Scalar) -> Option<String> {
    match s {
        Scalar::Null => None,
        Scalar::Bool(b) => Some(b.to_string()),
        Scalar::Int(i) => Some(i.to_string()),
        Scalar::UInt(u) => Some(u.to_string()),
        Scalar::Float(f) => Some(f.to_string()),
        Scalar::Text(t) => Some(t.clone()),
    }
}

/// Text; a number or boolean is taken as its text; `null` is `""`.
pub fn de_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(text_of(&scalar(d)?).unwrap_or_default())
}

/// Optional text: `""` and `null` are `None`.
pub fn de_opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(text_of(&scalar(d)?).filter(|t| !t.is_empty()))
}

fn int_of<E: de::Error>(s: &Scalar) -> Result<Option<i64>, E> {
    s.to_whole().map_err(E::custom)
}

/// A whole number from `"4"`, `4` or `"4.0"`.
pub fn de_i64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    int_of(&scalar(d)?)?.ok_or_else(|| de::Error::custom("expected a whole number, got nothing"))
}

/// An optional whole number: `""` and `null` are `None`.
pub fn de_opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    int_of(&scalar(d)?)
}

fn bool_of<E: de::Error>(s: &Scalar) -> Result<Option<bool>, E> {
    match s {
        Scalar::Null => Ok(None),
        Scalar::Bool(b) => Ok(Some(*b)),
        Scalar::Int(i) => Ok(Some(*i != 0)),
        Scalar::UInt(u) => Ok(Some(*u != 0)),
        Scalar::Text(t) => match t.trim().to_ascii_lowercase().as_str() {
            "" => Ok(None),
            "true" | "1" => Ok(Some(true)),
            "false" | "0" => Ok(Some(false)),
            other => Err(E::custom(format!("expected true or false, got {other:?}"))),
        },
        Scalar::Float(f) => Err(E::custom(format!("expected true or false, got {f}"))),
    }
}

/// A boolean from `"true"`/`"false"`, `true`/`false` or `1`/`0`; unset is `false`.
pub fn de_bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(bool_of::<D::Error>(&scalar(d)?)?.unwrap_or(false))
}

/// An optional boolean.
pub fn de_opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    bool_of(&scalar(d)?)
}

fn money_of<E: de::Error>(s: &Scalar) -> Result<Option<Money>, E> {
    if s.is_blank() {
        return Ok(None);
    }
    s.to_money().map(Some).map_err(|e| E::custom(format!("expected an amount, got {s:?} ({e})")))
}

/// An amount from `"1000.5"` or `1000.5` (exact, see [`Money`]); unset is zero.
pub fn de_money<'de, D: Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
    Ok(money_of::<D::Error>(&scalar(d)?)?.unwrap_or(Money::ZERO))
}

/// An optional amount: `""` and `null` are `None`.
pub fn de_opt_money<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Money>, D::Error> {
    money_of(&scalar(d)?)
}

/// An optional foreign key: `"0"`, `""`, `null` (and a missing key, with `#[serde(default)]`) are
/// `None`.
pub fn de_opt_id<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: From<u64>,
{
    match de_opt_u64(d)? {
        None | Some(0) => Ok(None),
        Some(n) => Ok(Some(T::from(n))),
    }
}

/// Writes a number as a JSON string (`"4"`), as the reference's request examples do.
pub fn ser_display<S: Serializer, T: fmt::Display>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// [`ser_display`] for an `Option` (used with `skip_serializing_if = "Option::is_none"`).
pub fn ser_opt_display<S: Serializer, T: fmt::Display>(v: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.collect_str(v),
        None => s.serialize_none(),
    }
}

/// A list that may arrive as an array, a single object, `""` or `null`.
pub fn de_one_or_many<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    #[cfg(target_arch = "wasm32")]
    return Value::deserialize(d).and_then(|v| many_values(v).and_then(each).map_err(de::Error::custom));
    #[cfg(not(target_arch = "wasm32"))]
    d.deserialize_any(OneOrMany(PhantomData))
}

// In the browser every body is a `serde_json::Value` first (`client::send::decode`), and the
// one-or-many shapes are read once, as values, for every record type (the visitors below, per
// type, were a tenth of the background's size, issue 17); natively the visitors keep the JSON
// path of a failure inside the collection.

/// A one-or-many value as its records: an array's elements, a single object, nothing for `""`
/// and `null`.
pub fn many_values(v: Value) -> Result<Vec<Value>, serde_json::Error> {
    match v {
        Value::Array(items) => Ok(items),
        Value::Object(_) => Ok(vec![v]),
        Value::Null => Ok(Vec::new()),
        Value::String(s) if s.is_empty() => Ok(Vec::new()),
        other => Err(unexpected(&other, "an array, a single object, an empty string or null")),
    }
}

/// A wrapped collection `{"<key>": one-or-many}` (or `""`, `null`) as its records.
pub fn wrapped_values(v: Value, key: &str) -> Result<Vec<Value>, serde_json::Error> {
    match v {
        Value::Object(mut m) => m.remove(key).map_or(Ok(Vec::new()), many_values),
        Value::Null => Ok(Vec::new()),
        Value::String(s) if s.is_empty() => Ok(Vec::new()),
        other => Err(unexpected(&other, &format!("an object with key {key:?}, an empty string or null"))),
    }
}

/// Each value as a `T` (a struct read from an object only, [`Objects`]).
pub fn each<T: DeserializeOwned>(items: Vec<Value>) -> Result<Vec<T>, serde_json::Error> {
    items.into_iter().map(|v| T::deserialize(Objects::new(v))).collect()
}

fn unexpected(v: &Value, expected: &str) -> serde_json::Error {
    let got = match v {
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(_) => de::Unexpected::Other("number"),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Null | Value::Object(_) => de::Unexpected::Map,
    };
    de::Error::invalid_type(got, &expected)
}

#[cfg(not(target_arch = "wasm32"))]
struct OneOrMany<T>(PhantomData<T>);

#[cfg(not(target_arch = "wasm32"))]
impl<'de, T: DeserializeOwned> Visitor<'de> for OneOrMany<T> {
    type Value = Vec<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array, a single object, an empty string or null")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(256));
        while let Some(x) = seq.next_element()? {
            out.push(x);
        }
        Ok(out)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|x| vec![x])
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
        if v.is_empty() {
            Ok(Vec::new())
        } else {
            Err(E::invalid_type(de::Unexpected::Str(v), &self))
        }
    }
    fn visit_unit<E>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_none<E>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_any(self)
    }
}

/// A wrapped collection `{"ItemPrice": one-or-many}` (or `""`, `null`) into a `Vec`.
pub fn de_wrapped<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Record + DeserializeOwned,
{
    #[cfg(target_arch = "wasm32")]
    return Value::deserialize(d).and_then(|v| wrapped_values(v, T::KEY).and_then(each).map_err(de::Error::custom));
    #[cfg(not(target_arch = "wasm32"))]
    d.deserialize_any(Wrapped(PhantomData))
}

#[cfg(not(target_arch = "wasm32"))]
struct Wrapped<T>(PhantomData<T>);

#[cfg(not(target_arch = "wasm32"))]
impl<'de, T: Record + DeserializeOwned> Visitor<'de> for Wrapped<T> {
    type Value = Vec<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object with key {:?}, an empty string or null", T::KEY)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == T::KEY {
                out = map.next_value_seed(OneOrManySeed::<T>(PhantomData))?;
            } else {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        Ok(out)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
        if v.is_empty() {
            Ok(Vec::new())
        } else {
            Err(E::invalid_type(de::Unexpected::Str(v), &self))
        }
    }
    fn visit_unit<E>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_none<E>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_any(self)
    }
}

#[cfg(not(target_arch = "wasm32"))]
struct OneOrManySeed<T>(PhantomData<T>);

#[cfg(not(target_arch = "wasm32"))]
impl<'de, T: DeserializeOwned> de::DeserializeSeed<'de> for OneOrManySeed<T> {
    type Value = Vec<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_any(OneOrMany(PhantomData))
    }
}

/// Writes a collection in Lightspeed's wrapper form: `{"ItemPrice": [...]}`.
pub fn ser_wrapped<S, T>(v: &[T], s: S) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    T: Record + Serialize,
{
    let mut m = s.serialize_map(Some(1))?;
    m.serialize_entry(T::KEY, v)?;
    m.end()
}

/// An optional nested object that may arrive as `""` or `null` (both `None`).
pub fn de_opt_object<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let mut v: Vec<T> = de_one_or_many(d)?;
    // An array here would be a one-to-many where a one-to-one belongs: keep its first record.
    Ok(if v.is_empty() { None } else { Some(v.swap_remove(0)) })
}

/// A list of strings that may arrive as an array, a single string or `""`
/// (`ItemMatrix.attribute1Values`).
pub fn de_string_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of strings, a string or null")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
            let mut out = Vec::new();
            while let Some(s) = seq.next_element::<Scalar>()? {
                if let Some(t) = text_of(&s) {
                    out.push(t);
                }
            }
            Ok(out)
        }
        fn visit_str<E>(self, v: &str) -> Result<Vec<String>, E> {
            Ok(if v.is_empty() { Vec::new() } else { vec![v.to_string()] })
        }
        fn visit_unit<E>(self) -> Result<Vec<String>, E> {
            Ok(Vec::new())
        }
        fn visit_none<E>(self) -> Result<Vec<String>, E> {
            Ok(Vec::new())
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Vec<String>, D::Error> {
            d.deserialize_any(self)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<String>, A::Error> {
            // Seen in XML-to-JSON shapes: {"value": [...]} — take every string inside.
            let mut out = Vec::new();
            while map.next_key::<de::IgnoredAny>()?.is_some() {
                out.extend(map.next_value_seed(StringListSeed)?);
            }
            Ok(out)
        }
    }
    struct StringListSeed;
    impl<'de> de::DeserializeSeed<'de> for StringListSeed {
        type Value = Vec<String>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<String>, D::Error> {
            de_string_list(d)
        }
    }
    d.deserialize_any(V)
}
