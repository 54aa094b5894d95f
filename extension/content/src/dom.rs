//! Small DOM helpers: elements with text (never HTML), shadow hosts styled by one shared
//! constructed stylesheet, queries, timers.

use po_bridge::inpage::spec::{Part, ENGINE_ATTR};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

thread_local! {
    static SHEET: std::cell::OnceCell<web_sys::CssStyleSheet> = const { std::cell::OnceCell::new() };
}

/// The widget style, as the loader hands it over (see `start`): one constructed sheet that every
/// widget's shadow root adopts.
pub fn set_widget_css(css: &str) {
    let sheet = web_sys::CssStyleSheet::new().ok().filter(|sheet| sheet.replace_sync(css).is_ok());
    if let Some(sheet) = sheet {
        let _ = SHEET.with(|s| s.set(sheet));
    }
}

pub fn document() -> Document {
    web_sys::window().and_then(|w| w.document()).expect("a content script has a document")
}

/// A new element of `tag` with class `class` and text `text` (set as text, never parsed).
pub fn el(tag: &str, class: &str, text: Option<&str>) -> HtmlElement {
    let e: HtmlElement = document().create_element(tag).unwrap_or_else(|_| panic!("valid tag")).unchecked_into();
    if !class.is_empty() {
        e.set_class_name(class);
    }
    if let Some(t) = text {
        e.set_text_content(Some(t));
    }
    e
}

/// A widget host `<tag data-kind=kind>` with an open shadow root that adopts the widget style.
pub fn shadow_host(tag: &str, kind: &str) -> (HtmlElement, ShadowRoot) {
    let host = el(tag, "", None);
    let _ = host.set_attribute(ENGINE_ATTR, "wasm");
    let _ = host.set_attribute("data-kind", kind);
    let shadow = host
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .unwrap_or_else(|_| panic!("custom elements take a shadow root"));
    let sheet = SHEET.with(|s| s.get().cloned());
    if let Some(sheet) = sheet {
        let _ = js_sys::Reflect::set(&shadow, &"adoptedStyleSheets".into(), &js_sys::Array::of1(&sheet));
    }
    (host, shadow)
}

/// The spec's `parts` of a widget, added to its shadow root and returned in the spec's order.
pub fn add_parts(shadow: &ShadowRoot, parts: &[Part]) -> Vec<HtmlElement> {
    let add = |p: &Part| {
        let e = el(p.tag, p.class, p.text);
        for (k, v) in p.attrs {
            let _ = e.set_attribute(k, v);
        }
        let _ = shadow.append_child(&e);
        e
    };
    parts.iter().map(add).collect()
}

pub fn query(root: &Element, css: &str) -> Option<Element> {
    root.query_selector(css).ok().flatten()
}

pub fn query_doc(css: &str) -> Option<Element> {
    document().query_selector(css).ok().flatten()
}

pub fn query_all(css: &str) -> Vec<Element> {
    let mut out = Vec::new();
    if let Ok(list) = document().query_selector_all(css) {
        for i in 0..list.length() {
            if let Some(e) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                out.push(e);
            }
        }
    }
    out
}

/// Run `f` once after `ms` milliseconds.
pub fn after(ms: u32, f: impl FnOnce() + 'static) {
    after_boxed(ms, Box::new(f));
}

/// A promise of `f`'s end, one future type for every caller (wasm-bindgen's glue is made once
/// per future type).
pub fn promise(f: impl std::future::Future<Output = ()> + 'static) -> js_sys::Promise {
    let f: std::pin::Pin<Box<dyn std::future::Future<Output = Result<JsValue, JsValue>>>> = Box::pin(async move {
        f.await;
        Ok(JsValue::UNDEFINED)
    });
    wasm_bindgen_futures::future_to_promise(f)
}

/// One closure type for every [`after`]: wasm-bindgen's glue is made once per closure type.
fn after_boxed(ms: u32, f: Box<dyn FnOnce()>) {
    if let Some(w) = web_sys::window() {
        let cb = Closure::once_into_js(f);
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), ms as i32);
    }
}

pub fn now() -> f64 {
    js_sys::Date::now()
}

pub fn href() -> String {
    web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default()
}

pub fn pathname() -> String {
    web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default()
}
