//! The protocol as this layer carries it: a request is written as its wire `Value`
//! (`PageRequest::to_wire`) and walked into a JS value, the answer walked back and read by
//! `protocol::reply` (as the extension pages read theirs), its payload and the
//! events by `protocol::FromWire`. No serde deserializer, serde-wasm-bindgen or JSON text in
//! between: their generic code was more than half of what the module spent on the protocol
//! (issue 17).

use po_bridge::protocol::{reply, FromWire, PageEvent, PageRequest, ProtocolError};
use po_bridge_browser as browser;
use serde_json::Value;

/// Send an in-page layer's request to the background; the answer's payload (`ok.data`, `null`
/// when it has none) or its error. An extension that was updated or reloaded under the page
/// answers `UnsupportedVersion`.
pub async fn ask(req: PageRequest) -> Result<Value, ProtocolError> {
    let answer =
        browser::value_from_js(&browser::send(req, |e| browser::envelope_to_js(e, PageRequest::to_wire)).await?);
    match reply(&answer) {
        Some(Ok(ok)) => Ok(ok.get("data").cloned().unwrap_or(Value::Null)),
        Some(Err(e)) => Err(e),
        None => Err(browser::bad_reply()),
    }
}

/// An answer's payload from [`ask`] as `T`.
pub fn decode<T: FromWire>(data: Value) -> Result<T, ProtocolError> {
    T::from_wire(&data).ok_or_else(browser::bad_reply)
}

/// Call `f` with every background event this layer reads, for the page's lifetime.
pub fn listen_events(mut f: impl FnMut(PageEvent) + 'static) {
    browser::listen_events(move |event| {
        if let Some(event) = FromWire::from_wire(&browser::value_from_js(&event)) {
            f(event);
        }
    });
}
