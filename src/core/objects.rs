//! The deserializer every record is read with from a `serde_json::Value`: it reads what `Value`'s
//! own deserializer reads, and fails in the same words, except that structs are read from JSON
//! objects only. Scalars go to the visitor directly (`deserialize_any`), not through `Value`'s
//! deserializer, which was a second set of every scalar's paths in each module (issue 17).
//!
//! serde's derive gives every struct (and struct variant) a sequence form beside its map form
//! (`[v1, v2, …]` in field order), and `Value`'s deserializer reaches both, so both were compiled
//! into the wasm for every type. PO Bridge writes records as objects and Lightspeed sends them as
//! objects, never arrays: [`Objects`] refuses an array where a struct belongs and the sequence
//! forms leave the modules (issue 17). It pays only where every decode of a type goes through it
//! (a type read both ways is compiled twice): [`read`] and [`from_value`] are its entries, and the
//! tagged enums (`core::tagged`, `protocol::tagged`) and the Lightspeed records
//! (`lightspeed::wire`) read their parts through it, with the error their caller's deserializer
//! has.
//!
//! Its error is a type parameter. [`read`] fails with [`Refused`], which keeps no reason: for every
//! caller that drops the reason anyway (the store's records, the messages the background gets,
//! the pages' replies, `browser::from_js`), so the decoders of those types carry none of serde's
//! messages nor the formatting behind them (floats, `Unexpected`, each type's `expecting`).
//! [`from_value`] fails with serde_json's error, which says why: for the NuORDER models
//! ([`from_value_at`], below), the Lightspeed records (a decode failure's message is the
//! diagnostic of an API change) and the command line's files.
//! A map's keys are read as strings (no record has a map with number keys).
//!
//! [`from_value_at`] also says where a failure happened (`line_items[3].sizes[0].quantity`), for
//! the NuORDER models' errors. That was `serde_path_to_error` over `Value`'s deserializer: a
//! second compiled copy of every model's decoder and 39 KB of wrapper in the background module
//! (issue 17). Here the path costs a call per field and element, and the other decodes a flag
//! read per object and array.

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use serde_json::{Error, Map, Value};
use std::cell::RefCell;
use std::fmt::{self, Write};
use std::marker::PhantomData;

/// A `Value` whose structs read from objects only. `E` is the error it fails with: serde_json's,
/// which says why ([`from_value`]), or [`Refused`], which does not ([`read`]).
pub struct Objects<E = Error>(pub Value, PhantomData<E>);

impl<E> Objects<E> {
    pub fn new(v: Value) -> Self {
        Objects(v, PhantomData)
    }
}

/// A decode's failure without its reason: for the callers that drop the reason anyway (a stored
/// record that does not read is no record; a page's reply that does not read is a bad reply).
/// serde builds every message with `custom`, which ignores it here, so the decoders read this
/// way carry none of serde's messages, nor the formatting behind them (issue 17).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused;

impl de::Error for Refused {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Refused
    }
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a readable record")
    }
}

impl std::error::Error for Refused {}

fn unexpected(v: &Value) -> de::Unexpected<'_> {
    match v {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        // As `Value`'s own deserializer words it (`integer `5``), so a model's message is the same
        // from text and from a value.
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => de::Unexpected::Unsigned(u),
            (_, Some(i)) => de::Unexpected::Signed(i),
            _ => de::Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

impl<'de, E: de::Error> Deserializer<'de> for Objects<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, E> {
        match self.0 {
            Value::Null => v.visit_unit(),
            Value::Bool(b) => v.visit_bool(b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => v.visit_u64(u),
                (_, Some(i)) => v.visit_i64(i),
                _ => v.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => v.visit_string(s),
            Value::Array(items) => v.visit_seq(Items::<E>::new(items)),
            Value::Object(fields) => v.visit_map(Fields::<E>::new(fields)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, E> {
        self.deserialize_map(v)
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, E> {
        match self.0 {
            Value::Object(fields) => v.visit_map(Fields::<E>::new(fields)),
            other => Err(de::Error::invalid_type(unexpected(&other), &v)),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, E> {
        match self.0 {
            Value::Array(items) => v.visit_seq(Items::<E>::new(items)),
            other => Err(de::Error::invalid_type(unexpected(&other), &v)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, v: V) -> Result<V::Value, E> {
        self.deserialize_seq(v)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(self, _name: &'static str, _len: usize, v: V) -> Result<V::Value, E> {
        self.deserialize_seq(v)
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, E> {
        match self.0 {
            Value::Null => v.visit_none(),
            other => v.visit_some(Objects::new(other)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, v: V) -> Result<V::Value, E> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, E> {
        let (variant, payload) = match self.0 {
            Value::String(variant) => (variant, None),
            Value::Object(one) if one.len() == 1 => {
                let (variant, payload) = one.into_iter().next().unwrap_or_default();
                (variant, Some(payload))
            }
            other => return Err(de::Error::invalid_type(unexpected(&other), &"a string or an object with one key")),
        };
        v.visit_enum(Variant::<E> { variant, payload, error: PhantomData })
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _name: &'static str, v: V) -> Result<V::Value, E> {
        self.deserialize_any(v)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, E> {
        drop(self);
        v.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit identifier
    }
}

/// An array's elements; while [`from_value_at`] runs, each element's index is its step.
struct Items<E> {
    items: std::vec::IntoIter<Value>,
    /// `Some(steps to this array)` while tracking.
    depth: Option<usize>,
    index: usize,
    error: PhantomData<E>,
}

impl<E> Items<E> {
    fn new(items: Vec<Value>) -> Self {
        Items { items: items.into_iter(), depth: depth(), index: 0, error: PhantomData }
    }

    fn next_item(&mut self) -> Option<Value> {
        let item = self.items.next()?;
        if let Some(depth) = self.depth {
            step_to(depth, Step::Index(self.index));
            self.index += 1;
        }
        Some(item)
    }
}

impl<'de, E: de::Error> SeqAccess<'de> for Items<E> {
    type Error = E;
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, E> {
        let Some(item) = self.next_item() else { return Ok(None) };
        let out = seed.deserialize(Objects::new(item));
        if out.is_err() {
            failed(self.depth);
        }
        out.map(Some)
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// An object's fields; while [`from_value_at`] runs, each value's key is its step.
struct Fields<E> {
    fields: <Map<String, Value> as IntoIterator>::IntoIter,
    value: Option<Value>,
    /// `Some(steps to this object)` while tracking.
    depth: Option<usize>,
    /// The current value's key, kept only while tracking.
    key: Option<String>,
    error: PhantomData<E>,
}

impl<E: de::Error> Fields<E> {
    fn new(fields: Map<String, Value>) -> Self {
        Fields { fields: fields.into_iter(), value: None, depth: depth(), key: None, error: PhantomData }
    }

    fn next_field(&mut self) -> Option<String> {
        let (key, value) = self.fields.next()?;
        self.value = Some(value);
        self.key = self.depth.map(|_| key.clone());
        Some(key)
    }

    fn take_value(&mut self) -> Result<Value, E> {
        let value = self.value.take().ok_or_else(|| de::Error::custom("a value asked before its key"))?;
        if let (Some(depth), Some(key)) = (self.depth, self.key.take()) {
            step_to(depth, Step::Key(key));
        }
        Ok(value)
    }
}

impl<'de, E: de::Error> MapAccess<'de> for Fields<E> {
    type Error = E;
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, E> {
        match self.next_field() {
            Some(key) => seed.deserialize(Objects::<E>::new(Value::String(key))).map(Some),
            None => Ok(None),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, E> {
        let value = self.take_value()?;
        let out = seed.deserialize(Objects::new(value));
        if out.is_err() {
            failed(self.depth);
        }
        out
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.fields.len())
    }
}

/// An externally tagged enum's variant (`"variant"` or `{"variant": payload}`), its payload read
/// as [`Objects`] too.
struct Variant<E> {
    variant: String,
    payload: Option<Value>,
    error: PhantomData<E>,
}

impl<'de, E: de::Error> EnumAccess<'de> for Variant<E> {
    type Error = E;
    type Variant = Payload<E>;
    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Payload<E>), E> {
        let variant = seed.deserialize(Objects::<E>::new(Value::String(self.variant)))?;
        Ok((variant, Payload(self.payload, PhantomData)))
    }
}

struct Payload<E>(Option<Value>, PhantomData<E>);

impl<E: de::Error> Payload<E> {
    fn missing(what: &str) -> E {
        de::Error::invalid_type(de::Unexpected::UnitVariant, &what)
    }
}

impl<'de, E: de::Error> VariantAccess<'de> for Payload<E> {
    type Error = E;
    fn unit_variant(self) -> Result<(), E> {
        match self.0 {
            None | Some(Value::Null) => Ok(()),
            Some(other) => Err(de::Error::invalid_type(unexpected(&other), &"unit variant")),
        }
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, E> {
        match self.0 {
            Some(payload) => seed.deserialize(Objects::new(payload)),
            None => Err(Self::missing("newtype variant")),
        }
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, v: V) -> Result<V::Value, E> {
        match self.0 {
            Some(payload) => Objects::new(payload).deserialize_seq(v),
            None => Err(Self::missing("tuple variant")),
        }
    }
    fn struct_variant<V: Visitor<'de>>(self, _fields: &'static [&'static str], v: V) -> Result<V::Value, E> {
        match self.0 {
            Some(payload) => Objects::new(payload).deserialize_map(v),
            None => Err(Self::missing("struct variant")),
        }
    }
}

/// `T` from a `Value`, its structs read from objects only; a failure says why.
pub fn from_value<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, Error> {
    T::deserialize(Objects::new(v))
}

/// `T` from a `Value` as [`from_value`] reads it, `None` when it does not read: for a caller that
/// drops the reason, whose decoders then carry no message ([`Refused`]).
///
/// Never inlined: a store's `get` calls it only when the key holds a value, and in the browser a
/// function is compiled on its first call, so a woken worker that finds no record of a kind (an
/// order's update log, say) does not compile that kind's decoder (issue 17).
#[inline(never)]
pub fn read<T: serde::de::DeserializeOwned>(v: Value) -> Option<T> {
    T::deserialize(Objects::<Refused>::new(v)).ok()
}

/// One step from an object or array down to a value in it.
enum Step {
    Key(String),
    Index(usize),
}

/// While [`from_value_at`] runs: the steps from the root to the value last handed out, and the
/// path of the first failure (the deepest place: the error is seen first where it happened).
///
/// No step is removed when a value reads well (that would be code in every field of every record):
/// an array or object cuts the steps back to its own depth when it hands out its next value, and
/// a failure is recorded with the steps cut back to the value that failed.
#[derive(Default)]
struct Trail {
    steps: Vec<Step>,
    failed: Option<String>,
}

impl Trail {
    /// `a.b[2].c`: keys joined by dots, indices in brackets; empty at the root.
    fn path(&self) -> String {
        let (mut path, mut dot) = (String::new(), "");
        for step in &self.steps {
            match step {
                Step::Key(key) => {
                    path.push_str(dot);
                    path.push_str(key);
                }
                Step::Index(i) => {
                    let _ = write!(path, "[{i}]");
                }
            }
            dot = ".";
        }
        path
    }
}

thread_local! {
    /// `Some` while [`from_value_at`] runs on this thread (one thread in the browser).
    static TRAIL: RefCell<Option<Trail>> = const { RefCell::new(None) };
}

/// The number of steps to a new array or object: `Some` only while tracking.
fn depth() -> Option<usize> {
    TRAIL.with(|t| t.borrow().as_ref().map(|t| t.steps.len()))
}

/// The container at `depth` hands out the value one `step` below it.
fn step_to(depth: usize, step: Step) {
    TRAIL.with(|t| {
        if let Some(t) = t.borrow_mut().as_mut() {
            t.steps.truncate(depth);
            t.steps.push(step);
        }
    });
}

/// The value just handed out by the container at `depth` failed: keep its path if it is the first.
fn failed(depth: Option<usize>) {
    let Some(depth) = depth else { return };
    TRAIL.with(|t| {
        if let Some(t) = t.borrow_mut().as_mut() {
            t.steps.truncate(depth + 1);
            if t.failed.is_none() {
                t.failed = Some(t.path());
            }
        }
    });
}

/// [`from_value`], and on failure the path of the value that failed (`a.b[2].c`, empty at the
/// root): the one way a NuORDER model's error names its field (issue 17).
pub fn from_value_at<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, (String, Error)> {
    let outer = TRAIL.with(|t| t.replace(Some(Trail::default())));
    let out = T::deserialize(Objects::new(v));
    let trail = TRAIL.with(|t| t.replace(outer));
    out.map_err(|e| (trail.and_then(|t| t.failed).unwrap_or_default(), e))
}

#[cfg(test)]
mod tests {
    use super::from_value_at;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        a: Option<Inner>,
        list: Option<Vec<Inner>>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        b: Option<Vec<Leaf>>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Leaf {
        n: Option<u32>,
        pair: Option<[u32; 2]>,
    }

    fn path(v: serde_json::Value) -> String {
        from_value_at::<Outer>(v).expect_err("a wrong type").0
    }

    #[test]
    fn a_failure_is_placed_where_it_happened() {
        assert_eq!(path(json!({"a": {"b": [{"n": 1}, {"n": 2}, {"n": "x"}]}})), "a.b[2].n");
        assert_eq!(path(json!({"list": [{"b": []}, {"b": [{"n": 1}, {"n": -1}]}]})), "list[1].b[1].n");
        assert_eq!(path(json!({"list": [{}, 5]})), "list[1]");
        assert_eq!(path(json!({"a": {"b": [{}, {"n": 1}]}, "list": "x"})), "list");
        assert_eq!(path(json!([])), "");
        // An array that fails itself once its elements have read well is the place, not its last element.
        assert_eq!(path(json!({"a": {"b": [{"pair": [1]}]}})), "a.b[0].pair");
        assert_eq!(path(json!({"a": {"b": [{"pair": [1, 2]}, {"pair": [1, 2], "n": true}]}})), "a.b[1].n");
        let (_, e) = from_value_at::<Outer>(json!({"list": [{}, 5]})).unwrap_err();
        assert_eq!(e.to_string(), "invalid type: integer `5`, expected struct Inner");
    }

    #[test]
    fn read_takes_what_from_value_takes() {
        let ok = [json!({"a": {"b": [{"n": 1, "pair": [1, 2]}]}}), json!({"list": []}), json!({})];
        let bad = [json!({"list": [{}, 5]}), json!({"a": 1}), json!([]), json!({"a": {"b": [{"n": -1}]}})];
        for v in ok {
            assert!(super::read::<Outer>(v.clone()).is_some() && super::from_value::<Outer>(v).is_ok());
        }
        for v in bad {
            assert!(super::read::<Outer>(v.clone()).is_none() && super::from_value::<Outer>(v).is_err());
        }
    }

    #[test]
    fn a_success_leaves_no_trail() {
        let ok = json!({"a": {"b": [{"n": 1}]}, "list": [{"b": [{"n": 2}]}, {}]});
        assert!(from_value_at::<Outer>(ok).is_ok());
        assert!(super::depth().is_none(), "tracking ends with the decode");
        assert_eq!(path(json!({"a": 1})), "a", "a later failure starts from the root");
    }
}
