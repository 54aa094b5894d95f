//! The protocol as this layer carries it: a JS value (an answer, an event, a NuORDER document)
//! is walked into a `serde_json::Value` and the background's messages are read from there by
//! `protocol::FromWire`; a request is written as its wire `Value` (`PageRequest::to_wire`) and
//! walked into a JS value (the walks are `browser::value_from_js`/`value_to_js`, which every crate
//! uses). No serde deserializer, serde-wasm-bindgen or JSON text in between:
//! their generic code was more than half of what the module spent on the protocol (issue 17).
//! The walks are the pair of `JSON.parse`/`JSON.stringify` on JSON-shaped values, as
//! serde-wasm-bindgen's were: an integral number reads as an integer.

use po_bridge::protocol::{Envelope, FromWire, PageEvent, PageRequest, ProtocolError};
use po_bridge_browser::{self as browser, NotJson};
use serde_json::Value;
use wasm_bindgen::JsValue;

/// The envelope as a JS value.
fn encode(envelope: &Envelope<PageRequest>) -> Result<JsValue, NotJson> {
    let req = envelope.req.to_wire().ok_or(NotJson)?;
    let envelope =
        serde_json::to_value(Envelope { v: envelope.v, id: envelope.id.clone(), req }).map_err(|_| NotJson)?;
    Ok(browser::value_to_js(&envelope))
}

/// A JSON-shaped JS value read in place as a `Value` (`browser::value_from_js`).
pub fn from_js(v: &JsValue) -> Value {
    browser::value_from_js(v)
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
