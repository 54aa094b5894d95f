//! Requests to the background and its events, with only the answers this layer reads decoded
//! (decoding every `Response` would pull the export plan's types into the content wasm).

use po_bridge::nuorder::spec::LABELS;
use po_bridge::protocol::{
    Envelope, ErrorCode, EventEnvelope, OrderStatusView, ProtocolError, Request, PROTOCOL_VERSION,
};
use po_bridge_browser as browser;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The answers the in-page layer uses.
pub enum Reply {
    Staged { order_id: String },
    Statuses(Vec<OrderStatusView>),
    Job(OrderStatusView),
    Other,
}

fn orphaned_error() -> ProtocolError {
    crate::state::mark_orphaned();
    ProtocolError::new(ErrorCode::UnsupportedVersion, LABELS.extension_updated)
}

fn bad_reply() -> ProtocolError {
    ProtocolError::new(
        ErrorCode::BadReply,
        "PO Bridge's background sent an answer this page does not understand. Reload the page.",
    )
}

fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

pub async fn send(req: Request) -> Result<Reply, ProtocolError> {
    if !browser::runtime_alive() {
        return Err(orphaned_error());
    }
    let envelope = Envelope { v: PROTOCOL_VERSION, id: browser::new_id(), req };
    let message = browser::to_js(&envelope)
        .map_err(|_| ProtocolError::new(ErrorCode::Internal, "PO Bridge could not prepare its message."))?;
    let rt = browser::runtime();
    let Some(send) = get(&rt, "sendMessage").dyn_into::<js_sys::Function>().ok() else {
        return Err(orphaned_error());
    };
    // Chromium throws "Extension context invalidated" synchronously once the extension is gone.
    let Ok(promise) = send.call1(&rt, &message) else {
        return Err(orphaned_error());
    };
    let answer = match wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&promise)).await {
        Ok(a) => a,
        Err(_) if !browser::runtime_alive() => return Err(orphaned_error()),
        Err(_) => {
            return Err(ProtocolError::new(
                ErrorCode::Internal,
                "PO Bridge's background did not answer. Try again in a moment.",
            ))
        }
    };
    let err = get(&answer, "err");
    if !err.is_undefined() && !err.is_null() {
        let e: ProtocolError = browser::from_js(err).map_err(|_| bad_reply())?;
        if e.code == ErrorCode::UnsupportedVersion {
            crate::state::mark_orphaned();
        }
        return Err(e);
    }
    let ok = get(&answer, "ok");
    let data = get(&ok, "data");
    Ok(match get(&ok, "type").as_string().as_deref() {
        Some("staged") => Reply::Staged { order_id: get(&data, "order_id").as_string().ok_or_else(bad_reply)? },
        Some("statuses") => Reply::Statuses(browser::from_js(get(&data, "statuses")).map_err(|_| bad_reply())?),
        Some("job") => Reply::Job(browser::from_js(data).map_err(|_| bad_reply())?),
        Some(_) => Reply::Other,
        None => return Err(bad_reply()),
    })
}

/// Listen for the background's events for the page's lifetime (the closure is leaked on purpose).
pub fn listen_for_events() {
    let rt = browser::runtime();
    let on_message = get(&rt, "onMessage");
    let Ok(add) = get(&on_message, "addListener").dyn_into::<js_sys::Function>() else {
        return;
    };
    let cb = Closure::<dyn FnMut(JsValue) -> JsValue>::new(|message: JsValue| {
        // Only `{v, event}` of this protocol version; anything else is ignored and not answered.
        if get(&message, "v").as_f64() == Some(f64::from(PROTOCOL_VERSION)) && get(&message, "event").is_object() {
            if let Ok(env) = browser::from_js::<EventEnvelope>(message) {
                crate::state::on_event(env.event);
            }
        }
        JsValue::UNDEFINED
    });
    let _ = add.call1(&on_message, cb.as_ref());
    cb.forget();
}
