//! The in-page layer on NuORDER's order pages (the JS fallback in `extension/static/content.js`
//! does the same with the same data and rules: both run on `po_bridge::inpage`). It only finds
//! anchors, mounts widgets, renders views and sends messages.
//!
//! - `scan`: finds the anchors (rows, the kebab menu, the detail page's actions and header) and
//!   mounts each widget once, again after re-renders and client-side navigation;
//! - `widgets`: the row badge + hover action, the menu entry, the detail action and status field;
//! - `state`: mounted widgets (owning their listeners), statuses (one batched request, a short
//!   cache, live events), the orphaned state after an extension update;
//! - `order`: reading the order with the page's session and staging it; Retry; linking;
//! - `dialog`: the export dialog's overlay iframe;
//! - `wire`: the protocol as this layer carries it (JS values walked to and from
//!   `serde_json::Value`, the background's messages read by `protocol::FromWire`);
//! - `registry`, `dom`: plumbing (the transport is `po_bridge_browser`'s).
#![cfg(target_arch = "wasm32")]

mod batch;
mod dialog;
mod dom;
mod order;
mod registry;
mod scan;
mod selection;
mod state;
mod widgets;
mod wire;

use po_bridge::inpage::spec::{FETCHING, LABELS, LIMITS};
use po_bridge::protocol::{PageEvent, PageRequest};
use po_bridge_browser as browser;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MutationObserver, MutationObserverInit};

/// Entry point called by the content loader once the wasm is ready, with the content script's
/// extension API object and the widget style from the generated spec it loads
/// (`po-bridge-spec.js`, made from `inpage::spec::WIDGET_CSS`): the style ships once, not again in
/// this module.
#[wasm_bindgen]
pub fn start(api: JsValue, widget_css: &str) {
    browser::set_ext(api);
    dom::set_widget_css(widget_css);
    let document = dom::document();
    if let Some(root) = document.document_element() {
        let _ = root.set_attribute("data-po-bridge-layer", "wasm");
    }
    batch::init();
    wire::listen_events(on_event);
    // The session report goes first: the first status request waits for it (or its timeout).
    let report = dom::promise(report_session());
    let timeout = js_sys::Promise::new(&mut |done, _| {
        dom::after(LIMITS.session_wait_ms, move || {
            let _ = done.call0(&JsValue::NULL);
        })
    });
    state::set_session_report(js_sys::Promise::race(&js_sys::Array::of2(&report, &timeout)));
    scan::scan();
    // Page-lifetime listeners: leaked on purpose (see `registry`).
    let on_mutation = Closure::<dyn FnMut(js_sys::Array, MutationObserver)>::new(|_records, _observer| scan::scan());
    if let Ok(observer) = MutationObserver::new(on_mutation.as_ref().unchecked_ref()) {
        let options = MutationObserverInit::new();
        options.set_child_list(true);
        options.set_subtree(true);
        let target: web_sys::Node = match document.body() {
            Some(b) => b.into(),
            None => document.clone().into(),
        };
        let _ = observer.observe_with_options(&target, &options);
    }
    on_mutation.forget();
    let on_popstate = Closure::<dyn FnMut()>::new(scan::scan);
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("popstate", on_popstate.as_ref().unchecked_ref());
    }
    on_popstate.forget();
}

/// The background's events: a batch's progress to the bar, the rest to the widgets.
fn on_event(event: PageEvent) {
    match event {
        PageEvent::Set(view) => batch::on_set(view),
        PageEvent::ExportOrder { order_id, path } => {
            wasm_bindgen_futures::spawn_local(order::export_from_popup(order_id, path));
        }
        other => state::on_event(other),
    }
}

/// Tell the background who is signed in on this tab (NuORDER's own session call, with the page's
/// cookies). The background validates the answer; nothing here decides anything.
async fn report_session() {
    let session = match order::fetch_json(FETCHING.session_me).await {
        Ok(session) => session,
        // NuORDER says the session ended: the tab is nobody's now.
        Err(e) if e == LABELS.session_expired => serde_json::Value::Null,
        Err(_) => return,
    };
    if let Err(e) = state::ask(PageRequest::ReportNuorderSession { session }).await {
        browser::warn(&format!("{}: {}", LABELS.session_not_reported, e.message));
    }
}
