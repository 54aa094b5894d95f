//! Reading the order (with the page's own session) and handing it to the background, then opening
//! the export dialog; Retry and "link an account first" for the other badge states.

use crate::dom;
use crate::messaging::{self, Reply};
use crate::state::{self, Kind, OrderKey};
use po_bridge::nuorder::pages::api;
use po_bridge::nuorder::selectors::{ATTRS, BRAND_PICKER, ROW_MORE_ACTIONS};
use po_bridge::nuorder::spec::{LABELS, LIMITS, ORDER_FIELDS};
use po_bridge::protocol::{PageBrand, Request};
use po_bridge_browser as browser;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlElement;

/// "Export order to POS" was clicked on widget `id`.
pub async fn on_action(id: u32) {
    if !browser::runtime_alive() {
        state::mark_orphaned();
        return;
    }
    let Some((order, view)) = state::view_of(id) else {
        return;
    };
    if let Some(v) = &view {
        if !v.badge.action_enabled {
            return;
        }
        if v.badge.needs_link {
            state::set_note(id, LABELS.link_note, false);
            if let Err(e) = messaging::send(Request::OpenLinking).await {
                state::set_note(id, &e.message, true);
            }
            return;
        }
    }
    let (started, opener) = state::with(|s| {
        let Some(w) = s.widgets.iter_mut().find(|w| w.id == id) else {
            return (false, None);
        };
        if w.busy {
            return (false, None);
        }
        // Focus returns to the action that opened the dialog; a menu entry goes away with its
        // menu, so to the row's kebab then.
        let opener: Option<HtmlElement> = match (w.kind, &w.row) {
            (Kind::Menu, Some(row)) => dom::query(row, ROW_MORE_ACTIONS.css).map(|k| k.unchecked_into()),
            _ => w.action.clone().map(|a| a.unchecked_into()),
        };
        (true, opener)
    });
    if !started {
        return;
    }
    state::set_busy(id, true);
    state::set_note(id, LABELS.reading_order, false);
    match read_and_stage(&order).await {
        Ok(order_id) => {
            state::set_note(id, "", false);
            crate::dialog::open(&order_id, opener);
        }
        Err(message) => state::set_note(id, &message, true),
    }
    state::set_busy(id, false);
}

/// Retry on a failed export.
pub async fn on_retry(id: u32) {
    let Some((order, Some(view))) = state::view_of(id) else {
        return;
    };
    let Some(order_id) = view.order_id.or(order.id) else {
        return;
    };
    match messaging::send(Request::RetryExport { order_id }).await {
        Ok(Reply::Job(v)) => state::apply_view(v),
        Ok(_) => {}
        Err(e) => state::set_note(id, &e.message, true),
    }
}

async fn fetch_json(path: &str) -> Result<JsValue, &'static str> {
    let window = web_sys::window().ok_or(LABELS.read_failed)?;
    let init = web_sys::RequestInit::new();
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(path, &init))
        .await
        .ok()
        .and_then(|r| r.dyn_into().ok())
        .ok_or(LABELS.read_failed)?;
    if response.status() == 401 {
        return Err(LABELS.session_expired);
    }
    if !response.ok() {
        return Err(LABELS.read_failed);
    }
    JsFuture::from(response.json().map_err(|_| LABELS.read_failed)?).await.map_err(|_| LABELS.read_failed)
}

fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// The distinct `line_items[].product._id` of an order document, at most `max_products`.
fn product_ids(order: &JsValue) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let lines = get(order, ORDER_FIELDS.lines);
    if !js_sys::Array::is_array(&lines) {
        return ids;
    }
    for line in js_sys::Array::from(&lines).iter() {
        if let Some(id) = get(&get(&line, ORDER_FIELDS.product), ORDER_FIELDS.id).as_string().filter(|s| !s.is_empty())
        {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        if ids.len() >= LIMITS.max_products {
            break;
        }
    }
    ids
}

/// Fetch the products, `fetch_concurrency` at a time; a product that cannot be read is left out.
async fn fetch_products(ids: Vec<String>) -> Vec<JsValue> {
    let ids = Rc::new(ids);
    let next = Rc::new(RefCell::new(0usize));
    let out: Rc<RefCell<Vec<Option<JsValue>>>> = Rc::new(RefCell::new(vec![None; ids.len()]));
    let workers = js_sys::Array::new();
    for _ in 0..LIMITS.fetch_concurrency.min(ids.len()) {
        let (ids, next, out) = (ids.clone(), next.clone(), out.clone());
        workers.push(&wasm_bindgen_futures::future_to_promise(async move {
            loop {
                let i = {
                    let mut n = next.borrow_mut();
                    let i = *n;
                    *n += 1;
                    i
                };
                let Some(id) = ids.get(i) else { break };
                if let Ok(p) = fetch_json(&api::product(id)).await {
                    if p.is_object() {
                        out.borrow_mut()[i] = Some(p);
                    }
                }
            }
            Ok(JsValue::UNDEFINED)
        }));
    }
    let _ = JsFuture::from(js_sys::Promise::all(&workers)).await;
    let got = out.borrow_mut().drain(..).flatten().collect();
    got
}

/// The brand in the page's brand switcher.
fn page_brand() -> PageBrand {
    let picker = dom::query_doc(BRAND_PICKER.css);
    let attr = |name: &str| {
        picker
            .as_ref()
            .and_then(|p| p.get_attribute(name))
            .filter(|v| !v.is_empty())
            .map(|v| v.chars().take(200).collect())
    };
    PageBrand { id: attr(ATTRS.brand_id), name: attr(ATTRS.brand_name) }
}

/// Read the order and its products from NuORDER's API and stage it with the background; the
/// staged order's `_id` on success, the words to show otherwise.
async fn read_and_stage(order: &OrderKey) -> Result<String, String> {
    let path = match &order.id {
        Some(id) => api::order_by_id(id),
        None => api::order_by_number(&order.number),
    };
    let doc = fetch_json(&path).await.map_err(str::to_string)?;
    let products = fetch_products(product_ids(&doc)).await;
    let order_json: serde_json::Value = browser::from_js(doc).map_err(|_| LABELS.read_failed.to_string())?;
    let products = products.into_iter().filter_map(|p| browser::from_js::<serde_json::Value>(p).ok()).collect();
    match messaging::send(Request::StageOrder { order: order_json, products, brand: page_brand() }).await {
        Ok(Reply::Staged { order_id }) => Ok(order_id),
        Ok(_) => Err("PO Bridge's background sent an answer this page does not understand. Reload the page.".into()),
        Err(e) => Err(e.message),
    }
}
