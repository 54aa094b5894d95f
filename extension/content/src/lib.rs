//! The in-page layer on NuORDER's order pages: finds order rows and the detail page's actions area
//! (selectors and routes come from the core's `nuorder` module), mounts an "Export order to POS"
//! widget in a shadow root once per element, and keeps doing so as the single-page app re-renders.
#![cfg(target_arch = "wasm32")]

use po_bridge::nuorder::pages::{detect, PageKind};
use po_bridge::nuorder::selectors::{self, Selector};
use po_bridge::nuorder::spec::{LABELS, MARKER_ATTR, WIDGET_CSS};
use po_bridge::protocol::{Request, Response};
use po_bridge_browser as browser;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, MutationObserver, MutationObserverInit, ShadowRootInit, ShadowRootMode};

/// Entry point called by the content loader once the wasm is ready, with the content script's
/// extension API object.
#[wasm_bindgen]
pub fn start(api: JsValue) {
    browser::set_ext(api);
    wasm_bindgen_futures::spawn_local(report_session());
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    scan(&document);
    let doc = document.clone();
    let callback = Closure::<dyn FnMut(js_sys::Array, MutationObserver)>::new(move |_records, _observer| scan(&doc));
    if let Ok(observer) = MutationObserver::new(callback.as_ref().unchecked_ref()) {
        let options = MutationObserverInit::new();
        options.set_child_list(true);
        options.set_subtree(true);
        if let Some(body) = document.body() {
            let _ = observer.observe_with_options(&body, &options);
        }
    }
    // The observer lives as long as the page: the closure must too.
    callback.forget();
}

/// Tell the background who is signed in on this tab (NuORDER's own session call, with the page's
/// cookies). The background validates the answer; nothing here decides anything.
async fn report_session() {
    let Some(window) = web_sys::window() else { return };
    let init = web_sys::RequestInit::new();
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let promise = window.fetch_with_str_and_init(po_bridge::nuorder::pages::api::SESSION_ME, &init);
    let Ok(response) = wasm_bindgen_futures::JsFuture::from(promise).await.and_then(|r| r.dyn_into::<web_sys::Response>()) else { return };
    if !response.ok() {
        return;
    }
    let Ok(json) = response.json() else { return };
    let Ok(value) = wasm_bindgen_futures::JsFuture::from(json).await else { return };
    let Ok(session) = browser::from_js::<serde_json::Value>(value) else { return };
    if let Err(e) = browser::request(Request::ReportNuorderSession { session }).await {
        browser::warn(&format!("could not report the NuORDER session: {}", e.message));
    }
}

fn query_all(root: &Document, selector: &Selector) -> Vec<Element> {
    let mut out = Vec::new();
    if let Ok(list) = root.query_selector_all(selector.css) {
        for i in 0..list.length() {
            if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                out.push(el);
            }
        }
    }
    out
}

fn scan(document: &Document) {
    let path = document.location().and_then(|l| l.pathname().ok()).unwrap_or_default();
    let Some(page) = detect(&path) else { return };
    match page.kind {
        PageKind::OrdersList => {
            for row in query_all(document, &selectors::ORDER_ROW) {
                let attr = row.get_attribute("data-test").unwrap_or_default();
                let Some(number) = selectors::order_number_from_row_attr(&attr) else { continue };
                let number = number.to_string();
                let anchor = row.query_selector(selectors::ROW_ORDER_NUMBER.css).ok().flatten().unwrap_or(row.clone());
                mount_once(document, &row, &anchor, &number);
            }
        }
        PageKind::OrderDetail => {
            let Some(actions) = query_all(document, &selectors::DETAIL_ACTIONS).into_iter().next() else { return };
            let number = query_all(document, &selectors::DETAIL_ORDER_NUMBER)
                .into_iter()
                .next()
                .and_then(|e| e.text_content())
                .unwrap_or_default();
            mount_once(document, &actions, &actions, number.trim());
        }
    }
}

/// Mount the widget in `anchor` unless `owner` already carries the marker.
fn mount_once(document: &Document, owner: &Element, anchor: &Element, order_number: &str) {
    if owner.has_attribute(MARKER_ATTR) {
        return;
    }
    let _ = owner.set_attribute(MARKER_ATTR, "1");
    if let Err(e) = mount(document, anchor, order_number) {
        browser::warn(&format!("could not mount the export action: {e:?}"));
    }
}

fn mount(document: &Document, anchor: &Element, order_number: &str) -> Result<(), JsValue> {
    let host: HtmlElement = document.create_element("po-bridge-action")?.dyn_into()?;
    host.set_attribute("data-po-bridge-engine", "wasm")?;
    host.set_attribute("data-order-number", order_number)?;
    let shadow = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;
    if let Ok(sheet) = web_sys::CssStyleSheet::new() {
        let _ = sheet.replace_sync(WIDGET_CSS);
        let sheets = js_sys::Array::of1(&sheet);
        let _ = js_sys::Reflect::set(&shadow, &"adoptedStyleSheets".into(), &sheets);
    }
    let button: HtmlElement = document.create_element("button")?.dyn_into()?;
    button.set_attribute("type", "button")?;
    button.set_attribute("part", "action")?;
    button.set_text_content(Some(LABELS.export_action));
    button.set_title(LABELS.export_action);
    shadow.append_child(&button)?;
    let host_for_click = host.clone();
    let on_click = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        event.stop_propagation();
        event.prevent_default();
        let host = host_for_click.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match browser::request(Request::Ping { from: "content".into() }).await {
                Ok(Response::Pong { boot, .. }) => {
                    let _ = host.set_attribute("data-po-bridge-state", &format!("pong:{boot}"));
                }
                Ok(_) => {
                    let _ = host.set_attribute("data-po-bridge-state", "error");
                }
                Err(e) => {
                    let _ = host.set_attribute("data-po-bridge-state", "error");
                    host.set_title(&e.message);
                }
            }
        });
    });
    button.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())?;
    // The listener belongs to the button: dropped with it when the page removes the element.
    on_click.forget();
    anchor.append_child(&host)?;
    Ok(())
}
