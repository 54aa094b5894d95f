//! The protocol as this layer carries it: requests out as JSON text (`JSON.parse`d into the
//! message), the background's answers and events in as JSON text read into a `serde_json::Value`
//! and from there by `protocol::FromWire`. serde-wasm-bindgen and serde's visitors for the replies
//! (with their error messages) stay out of the content script's wasm (issue 17): the one
//! deserializer here is `Value`'s, which the NuORDER documents need anyway.

use po_bridge::protocol::{Envelope, FromWire, PageEvent, PageRequest, ProtocolError};
use po_bridge_browser::{self as browser, NotJson};
use serde_json::Value;
use wasm_bindgen::JsValue;

/// The envelope as a JS value, through its JSON text.
fn encode(envelope: &Envelope<PageRequest>) -> Result<JsValue, NotJson> {
    let req = envelope.req.to_wire().ok_or(NotJson)?;
    let text = serde_json::to_string(&Envelope { v: envelope.v, id: envelope.id.clone(), req }).map_err(|_| NotJson)?;
    js_sys::JSON::parse(&text).map_err(|_| NotJson)
}

/// A JS value read as JSON (`undefined` as `null`, as an absent field reads).
pub fn from_js(value: &JsValue) -> Option<Value> {
    if value.is_undefined() {
        return Some(Value::Null);
    }
    serde_json::from_str(&js_sys::JSON::stringify(value).ok()?.as_string()?).ok()
}

/// JSON text (a NuORDER document) as a `Value`.
pub fn parse(text: &str) -> Option<Value> {
    serde_json::from_str(text).ok()
}

/// Send an in-page layer's request to the background; the answer's payload (`ok.data`, `null`
/// when it has none) or its error. An extension that was updated or reloaded under the page
/// answers `UnsupportedVersion`.
pub async fn ask(req: PageRequest) -> Result<Value, ProtocolError> {
    let answer = browser::send(req, encode).await?;
    let answer = from_js(&answer).ok_or_else(browser::bad_reply)?;
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
        if let Some(event) = from_js(&event).as_ref().and_then(FromWire::from_wire) {
            f(event);
        }
    });
}
