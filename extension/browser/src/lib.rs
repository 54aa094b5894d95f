//! Browser glue shared by the wasm entry crates: the extension API object, typed messaging with the
//! background, and JS <-> serde conversion. No decisions live here; they are in the `po-bridge` core.
#![cfg(target_arch = "wasm32")]

use po_bridge::inpage::spec::LABELS;
use po_bridge::protocol::{Envelope, ErrorCode, ProtocolError, UiRequest, PROTOCOL_VERSION};
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Every module's allocator (each entry crate links this one): talc, a maintained wasm allocator,
/// instead of the default dlmalloc, the same service in fewer bytes (issue 17).
#[global_allocator]
static ALLOC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

thread_local! {
    static EXT: std::cell::RefCell<Option<JsValue>> = const { std::cell::RefCell::new(None) };
}

/// Use this extension API object from now on. Content scripts must call it: in Firefox a module
/// loaded with `import()` from a content script does not see the content script's `browser`.
pub fn set_ext(api: JsValue) {
    if !api.is_undefined() && !api.is_null() {
        EXT.with(|e| *e.borrow_mut() = Some(api));
    }
}

/// The extension API: the object given to [`set_ext`], else `globalThis.browser` (Firefox) or
/// `globalThis.chrome` (Chromium).
pub fn ext() -> JsValue {
    if let Some(api) = EXT.with(|e| e.borrow().clone()) {
        return api;
    }
    let global = js_sys::global();
    let browser = js_sys::Reflect::get(&global, &"browser".into()).unwrap_or(JsValue::UNDEFINED);
    if !browser.is_undefined() && !browser.is_null() {
        return browser;
    }
    js_sys::Reflect::get(&global, &"chrome".into()).unwrap_or(JsValue::UNDEFINED)
}

/// `ext().runtime`.
pub fn runtime() -> JsValue {
    js_sys::Reflect::get(&ext(), &"runtime".into()).unwrap_or(JsValue::UNDEFINED)
}

/// Whether the extension context is still alive (false after the extension was updated or reloaded
/// under an open page: the content script is then orphaned).
pub fn runtime_alive() -> bool {
    let rt = runtime();
    !rt.is_undefined() && js_sys::Reflect::get(&rt, &"id".into()).map(|v| v.is_string()).unwrap_or(false)
}

/// `runtime.id`.
pub fn extension_id() -> String {
    js_sys::Reflect::get(&runtime(), &"id".into()).ok().and_then(|v| v.as_string()).unwrap_or_default()
}

/// `runtime.getURL(path)`.
pub fn extension_url(path: &str) -> String {
    let rt = runtime();
    js_sys::Reflect::get(&rt, &"getURL".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call1(&rt, &path.into()).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// The manifest's version.
pub fn extension_version() -> String {
    let rt = runtime();
    js_sys::Reflect::get(&rt, &"getManifest".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call0(&rt).ok())
        .and_then(|m| js_sys::Reflect::get(&m, &"version".into()).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Serialize for anything that crosses `sendMessage`: plain objects, never `Map`s. The one
/// encoder of every crate: `T` → `serde_json::Value` → JS. Every type is (de)serialized through
/// `Value` only (as the store's records and the protocol's enums are, `protocol::tagged`), and
/// `Value` is walked into JS by [`value_to_js`]: each further format would be one more copy of
/// every type's serde code in the wasm (issue 17).
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, NotJson> {
    Ok(value_to_js(&serde_json::to_value(value).map_err(|_| NotJson)?))
}

/// The one decoder, the pair of [`to_js`]: JS → `serde_json::Value` ([`value_from_js`]) → `T`.
pub fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, NotJson> {
    po_bridge::core::objects::read(value_from_js(&value)).ok_or(NotJson)
}

/// A `Value` as the JS value `JSON.parse` would make of it (the pair of [`value_from_js`]).
/// A walk instead of serde-wasm-bindgen: its serializer and deserializer for `Value` weighed more
/// in every module than these two functions (issue 17).
pub fn value_to_js(v: &serde_json::Value) -> JsValue {
    use serde_json::Value;
    match v {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => JsValue::from_f64(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => items.iter().map(value_to_js).collect::<js_sys::Array>().into(),
        Value::Object(map) => {
            let object = js_sys::Object::new();
            for (key, value) in map {
                let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), &value_to_js(value));
            }
            object.into()
        }
    }
}

/// A JSON-shaped JS value (a fetched document, a message, a stored record) read in place as a
/// `Value`: an integral number as an integer (as serde-wasm-bindgen read it), a non-finite one,
/// `undefined` and anything else not JSON as `null` (as `JSON.stringify` writes them).
pub fn value_from_js(v: &JsValue) -> serde_json::Value {
    use serde_json::Value;
    if let Some(s) = v.as_string() {
        Value::String(s)
    } else if let Some(b) = v.as_bool() {
        Value::Bool(b)
    } else if let Some(n) = v.as_f64() {
        number(n)
    } else if js_sys::Array::is_array(v) {
        // `Array.isArray`, not `instanceof`: a message's arrays may come from another realm.
        Value::Array(v.unchecked_ref::<js_sys::Array>().iter().map(|item| value_from_js(&item)).collect())
    } else if v.is_object() && !v.is_function() {
        let mut map = serde_json::Map::new();
        for entry in js_sys::Object::entries(v.unchecked_ref()).iter() {
            // `Object.entries` gives `[key, value]` arrays.
            let entry: js_sys::Array = entry.unchecked_into();
            if let Some(key) = entry.get(0).as_string() {
                map.insert(key, value_from_js(&entry.get(1)));
            }
        }
        Value::Object(map)
    } else {
        Value::Null
    }
}

/// A JS number as JSON reads it: an integer when it is one a JS number holds exactly.
fn number(n: f64) -> serde_json::Value {
    const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
    if n.fract() == 0.0 && n.abs() <= MAX_SAFE {
        if n >= 0.0 {
            serde_json::Value::from(n as u64)
        } else {
            serde_json::Value::from(n as i64)
        }
    } else {
        serde_json::Number::from_f64(n).map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

/// What [`to_js`] and [`from_js`] say when a value does not convert: nothing more. Every caller
/// turns it into its own advice or default, so the serde error's text would never be shown, and
/// formatting it would only weigh down each module (issue 17).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotJson;

/// A fresh message id.
pub fn new_id() -> String {
    format!("{:x}-{:x}", js_sys::Date::now() as u64, (js_sys::Math::random() * 4_294_967_296.0) as u64)
}

fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn orphaned() -> ProtocolError {
    ProtocolError::new(ErrorCode::UnsupportedVersion, LABELS.extension_updated)
}

/// What a reply that does not read as expected becomes.
pub fn bad_reply() -> ProtocolError {
    ProtocolError::new(ErrorCode::BadReply, LABELS.bad_reply)
}

/// An envelope as a JS value, its request in the wire form `wire` writes (`UiRequest::to_wire`,
/// `PageRequest::to_wire`: no encoder of a request the sender never sends, issue 17).
pub fn envelope_to_js<R>(
    envelope: &Envelope<R>,
    wire: impl Fn(&R) -> Option<serde_json::Value>,
) -> Result<JsValue, NotJson> {
    let req = wire(&envelope.req).ok_or(NotJson)?;
    Ok(value_to_js(&Envelope { v: envelope.v, id: envelope.id.clone(), req }.into_wire()))
}

/// Send an extension page's `req` in its envelope: the answer's `ok` object, undecoded, or its
/// error (`protocol::reply` reads the answer, for the pages as for the content script). Each
/// extension page decodes the `ok` object as the replies it reads (`protocol::PopupReply`,
/// `DialogReply`).
pub async fn exchange(req: UiRequest) -> Result<serde_json::Value, ProtocolError> {
    let answer = value_from_js(&send(req, |e| envelope_to_js(e, |r| Some(r.to_wire()))).await?);
    match po_bridge::protocol::reply(&answer) {
        Some(Ok(ok)) => Ok(ok.clone()),
        Some(Err(e)) => Err(e),
        None => Err(bad_reply()),
    }
}

/// Send `req` in its envelope, encoded by `encode`, to the background: its answer as it came
/// (`{v, id, ok}` or `{v, id, err}`, undecoded: `protocol::reply` reads it), or why there is none.
pub async fn send<R>(
    req: R,
    encode: impl FnOnce(&Envelope<R>) -> Result<JsValue, NotJson>,
) -> Result<JsValue, ProtocolError> {
    if !runtime_alive() {
        return Err(orphaned());
    }
    let envelope = Envelope { v: PROTOCOL_VERSION, id: new_id(), req };
    let message = encode(&envelope)
        .map_err(|_| ProtocolError::new(ErrorCode::Internal, "PO Bridge could not prepare its message."))?;
    let rt = runtime();
    let send = get(&rt, "sendMessage").dyn_into::<js_sys::Function>().map_err(|_| orphaned())?;
    // Chromium throws "Extension context invalidated" synchronously once the extension is gone.
    let promise = send.call1(&rt, &message).map_err(|_| orphaned())?;
    match wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&promise)).await {
        Ok(answer) => Ok(answer),
        Err(_) if !runtime_alive() => Err(orphaned()),
        Err(_) => Err(ProtocolError::new(ErrorCode::Internal, LABELS.no_answer)),
    }
}

/// Call `f` with every background event of this protocol version (`{v, event}`: the `event`
/// object, undecoded: the content script reads it without serde's visitors, issue 17), for the
/// page's lifetime (the listener is leaked on purpose); anything else is ignored and not answered.
pub fn listen_events(mut f: impl FnMut(JsValue) + 'static) {
    let on_message = get(&runtime(), "onMessage");
    let Ok(add) = get(&on_message, "addListener").dyn_into::<js_sys::Function>() else {
        return;
    };
    let cb = Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |message: JsValue| {
        let event = get(&message, "event");
        if get(&message, "v").as_f64() == Some(f64::from(PROTOCOL_VERSION)) && event.is_object() {
            f(event);
        }
        JsValue::UNDEFINED
    });
    let _ = add.call1(&on_message, cb.as_ref());
    cb.forget();
}

/// Log to the console with the extension's prefix.
pub fn log(message: &str) {
    web_sys::console::log_1(&format!("[PO Bridge] {message}").into());
}

pub fn warn(message: &str) {
    web_sys::console::warn_1(&format!("[PO Bridge] {message}").into());
}

fn call_method(target: &JsValue, name: &str, args: &[JsValue]) -> Option<JsValue> {
    let f = js_sys::Reflect::get(target, &name.into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    let array = args.iter().collect::<js_sys::Array>();
    f.apply(target, &array).ok()
}

async fn await_value(v: Option<JsValue>) -> Option<JsValue> {
    let v = v?;
    if v.has_type::<js_sys::Promise>() {
        wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(v)).await.ok()
    } else {
        Some(v)
    }
}

/// The id of the active tab in the current window (no `tabs` permission needed for the id).
pub async fn active_tab_id() -> Option<i64> {
    let tabs = js_sys::Reflect::get(&ext(), &"tabs".into()).ok()?;
    let query = js_sys::Object::new();
    js_sys::Reflect::set(&query, &"active".into(), &true.into()).ok()?;
    js_sys::Reflect::set(&query, &"currentWindow".into(), &true.into()).ok()?;
    let list = await_value(call_method(&tabs, "query", &[query.into()])).await?;
    let first = js_sys::Array::from(&list).get(0);
    js_sys::Reflect::get(&first, &"id".into()).ok()?.as_f64().map(|f| f as i64)
}

/// The id of the tab this page is in (`None` for the toolbar popup, which is no tab).
pub async fn current_tab_id() -> Option<i64> {
    let tabs = js_sys::Reflect::get(&ext(), &"tabs".into()).ok()?;
    let tab = await_value(call_method(&tabs, "getCurrent", &[])).await?;
    js_sys::Reflect::get(&tab, &"id".into()).ok()?.as_f64().map(|f| f as i64)
}

/// The browser's user agent (the popup's diagnostic keeps only its name and major version).
pub fn user_agent() -> String {
    js_sys::Reflect::get(&navigator(), &"userAgent".into()).ok().and_then(|v| v.as_string()).unwrap_or_default()
}

fn navigator() -> JsValue {
    js_sys::Reflect::get(&js_sys::global(), &"navigator".into()).unwrap_or(JsValue::UNDEFINED)
}

/// Put `text` on the clipboard (from a click); false when the browser refused.
pub async fn copy_text(text: &str) -> bool {
    let clipboard = js_sys::Reflect::get(&navigator(), &"clipboard".into()).unwrap_or(JsValue::UNDEFINED);
    await_value(call_method(&clipboard, "writeText", &[text.into()])).await.is_some()
}

/// Open a URL in a new tab.
pub async fn open_tab(url: &str) {
    let Ok(tabs) = js_sys::Reflect::get(&ext(), &"tabs".into()) else { return };
    let props = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&props, &"url".into(), &url.into());
    let _ = await_value(call_method(&tabs, "create", &[props.into()])).await;
}

/// A new popup window of the extension, blank; its tab's id (the background then binds the
/// export dialog's capability to that tab and loads the dialog into it with [`navigate_tab`]).
pub async fn open_popup_window(width: u32, height: u32) -> Option<i64> {
    let windows = js_sys::Reflect::get(&ext(), &"windows".into()).ok()?;
    let props = js_sys::Object::new();
    let blank = [("url", JsValue::from("about:blank")), ("type", "popup".into())];
    for (k, v) in blank.into_iter().chain([("width", width.into()), ("height", height.into())]) {
        js_sys::Reflect::set(&props, &k.into(), &v).ok()?;
    }
    let window = await_value(call_method(&windows, "create", &[props.into()])).await?;
    let tab = js_sys::Array::from(&js_sys::Reflect::get(&window, &"tabs".into()).ok()?).get(0);
    js_sys::Reflect::get(&tab, &"id".into()).ok()?.as_f64().map(|f| f as i64)
}

/// Load `url` into tab `tab_id`.
pub async fn navigate_tab(tab_id: i64, url: &str) {
    let Ok(tabs) = js_sys::Reflect::get(&ext(), &"tabs".into()) else { return };
    let props = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&props, &"url".into(), &url.into());
    let _ = await_value(call_method(&tabs, "update", &[(tab_id as f64).into(), props.into()])).await;
}

/// Close tab `tab_id`.
pub async fn close_tab(tab_id: i64) {
    let Ok(tabs) = js_sys::Reflect::get(&ext(), &"tabs".into()) else { return };
    let _ = await_value(call_method(&tabs, "remove", &[(tab_id as f64).into()])).await;
}
