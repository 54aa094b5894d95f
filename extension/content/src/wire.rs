//! The protocol as this layer carries it: a JS value (an answer, an event, a NuORDER document)
//! is walked into a `serde_json::Value` and the background's messages are read from there by
//! `protocol::FromWire`; a request is written as its wire `Value` (`PageRequest::to_wire`) and
//! walked into a JS value. No serde deserializer, serde-wasm-bindgen or JSON text in between:
//! their generic code was more than half of what the module spent on the protocol (issue 17).
//! The walks are the pair of `JSON.parse`/`JSON.stringify` on JSON-shaped values, as
//! serde-wasm-bindgen's were: an integral number reads as an integer.

use po_bridge::protocol::{Envelope, FromWire, PageEvent, PageRequest, ProtocolError};
use po_bridge_browser::{self as browser, NotJson};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};

/// The envelope as a JS value.
fn encode(envelope: &Envelope<PageRequest>) -> Result<JsValue, NotJson> {
    let req = envelope.req.to_wire().ok_or(NotJson)?;
    let envelope =
        serde_json::to_value(Envelope { v: envelope.v, id: envelope.id.clone(), req }).map_err(|_| NotJson)?;
    Ok(to_js(&envelope))
}

/// A `Value` as the JS value `JSON.parse` would make of it (the pair of [`from_js`]).
fn to_js(v: &Value) -> JsValue {
    match v {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => JsValue::from_f64(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => items.iter().map(to_js).collect::<js_sys::Array>().into(),
        Value::Object(map) => {
            let object = js_sys::Object::new();
            for (key, value) in map {
                let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), &to_js(value));
            }
            object.into()
        }
    }
}

/// A JSON-shaped JS value (a fetched document, a message) read in place as a `Value`: an integral
/// number as an integer, a non-finite one, `undefined` and anything else not JSON as `null` (as
/// `JSON.stringify` writes them). serde_json's parser and `Value`'s serde visitor cost the module
/// more than this walk (issue 17).
pub fn from_js(v: &JsValue) -> Value {
    if let Some(s) = v.as_string() {
        Value::String(s)
    } else if let Some(b) = v.as_bool() {
        Value::Bool(b)
    } else if let Some(n) = v.as_f64() {
        number(n)
    } else if js_sys::Array::is_array(v) {
        Value::Array(v.unchecked_ref::<js_sys::Array>().iter().map(|item| from_js(&item)).collect())
    } else if v.is_object() && !v.is_function() {
        let entries = js_sys::Object::entries(v.unchecked_ref());
        let mut map = serde_json::Map::new();
        for entry in entries.iter() {
            // `Object.entries` gives `[key, value]` arrays.
            let entry: js_sys::Array = entry.unchecked_into();
            if let Some(key) = entry.get(0).as_string() {
                map.insert(key, from_js(&entry.get(1)));
            }
        }
        Value::Object(map)
    } else {
        Value::Null
    }
}

/// The largest integer a JS number holds exactly.
const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() <= MAX_SAFE {
        if n >= 0.0 {
            Value::from(n as u64)
        } else {
            Value::from(n as i64)
        }
    } else {
        serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

/// Send an in-page layer's request to the background; the answer's payload (`ok.data`, `null`
/// when it has none) or its error. An extension that was updated or reloaded under the page
/// answers `UnsupportedVersion`.
pub async fn ask(req: PageRequest) -> Result<Value, ProtocolError> {
    let answer = browser::send(req, encode).await?;
    let answer = from_js(&answer);
    if let Some(err) = answer.get("err").filter(|e| !e.is_null()) {
        return Err(ProtocolError::from_wire(err).unwrap_or_else(browser::bad_reply));
    }
    match answer.get("ok") {
        Some(ok) if ok.is_object() => Ok(ok.get("data").cloned().unwrap_or(Value::Null)),
        _ => Err(browser::bad_reply()),
    }
}

/// An answer's payload from [`ask`] as `T`.
pub fn decode<T: FromWire>(data: &Value) -> Result<T, ProtocolError> {
    T::from_wire(data).ok_or_else(browser::bad_reply)
}

/// Call `f` with every background event this layer reads, for the page's lifetime.
pub fn listen_events(mut f: impl FnMut(PageEvent) + 'static) {
    browser::listen_events(move |event| {
        if let Some(event) = FromWire::from_wire(&from_js(&event)) {
            f(event);
        }
    });
}
