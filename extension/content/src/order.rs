//! Reading the order (with the page's own session) and handing it to the background, then opening
//! the export dialog; Retry and "link an account first" for the other badge states. What to read
//! comes from `inpage::read`, as in the JS fallback.

use crate::dom;
use crate::state::{self, ask, Kind};
use crate::wire::decode;
use po_bridge::inpage::read::order_reads;
use po_bridge::inpage::replies::{Staged, Statuses};
use po_bridge::inpage::spec::{FETCHING, LABELS, LIMITS};
use po_bridge::nuorder::selectors::{ATTRS, BRAND_PICKER, ROW_MORE_ACTIONS};
use po_bridge::protocol::{OrderRead, OrderRef, PageBrand, PageRequest};
use po_bridge_browser as browser;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlElement;

/// Focus returns to the action that opened the dialog; a menu entry goes away with its menu, so
/// to the row's kebab then. None when the widget is gone or busy.
fn claim(id: u32) -> Option<Option<HtmlElement>> {
    state::with(|s| {
        let w = s.widgets.iter().find(|w| w.id == id && !w.busy)?;
        Some(match (w.kind, &w.row) {
            (Kind::Menu, Some(row)) => dom::query(row, ROW_MORE_ACTIONS.css).map(|k| k.unchecked_into()),
            _ => w.action.clone().map(|a| a.unchecked_into()),
        })
    })
}

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
            if let Err(e) = ask(PageRequest::OpenLinking).await {
                state::set_note(id, &e.message, true);
            }
            return;
        }
    }
    stage_and_open(id, &order).await;
}

/// Read and stage the order, then open the dialog at the path the background gives (it carries
/// the dialog's one-time capability).
async fn stage_and_open(id: u32, order: &OrderRead) {
    let Some(opener) = claim(id) else {
        return;
    };
    state::set_busy(id, true);
    state::set_note(id, LABELS.reading_order, false);
    match read_and_stage(order).await {
        Ok((order_id, dialog)) => {
            state::set_note(id, "", false);
            // Empty: the background showed the dialog in its own window (Firefox).
            if !dialog.is_empty() {
                crate::dialog::open(&order_id, &dialog, opener);
            }
        }
        Err(message) => state::set_note(id, &message, true),
    }
    state::set_busy(id, false);
}

/// The popup's *Export this order* (through the background): read and stage the detail page's
/// order by its id and open the dialog, as the action would, with no widget to report on.
pub async fn export_from_popup(order_id: String, path: String) {
    let read = OrderRead { path, order: OrderRef { order_id: Some(order_id), order_number: String::new() } };
    match read_and_stage(&read).await {
        Ok((order_id, dialog)) if !dialog.is_empty() => crate::dialog::open(&order_id, &dialog, None),
        Ok(_) => {}
        Err(message) => browser::warn(&message),
    }
}

/// Retry on a failed export: opens the dialog, where the user retries (a write is only ever
/// started from an extension page).
pub async fn on_retry(id: u32) {
    if !browser::runtime_alive() {
        state::mark_orphaned();
        return;
    }
    let Some((order, Some(_))) = state::view_of(id) else {
        return;
    };
    stage_and_open(id, &order).await;
}

/// A NuORDER API document, read with the page's session.
pub async fn fetch_json(path: &str) -> Result<serde_json::Value, &'static str> {
    let window = web_sys::window().ok_or(LABELS.read_failed)?;
    let init = web_sys::RequestInit::new();
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let headers = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&headers, &"accept".into(), &FETCHING.accept.into());
    init.set_headers(&headers);
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(path, &init))
        .await
        .ok()
        .and_then(|r| r.dyn_into().ok())
        .ok_or(LABELS.read_failed)?;
    if response.status() == FETCHING.expired_status {
        return Err(LABELS.session_expired);
    }
    if !response.ok() {
        return Err(LABELS.read_failed);
    }
    let doc = JsFuture::from(response.json().map_err(|_| LABELS.read_failed)?).await.map_err(|_| LABELS.read_failed)?;
    Ok(browser::value_from_js(&doc))
}

/// Fetch the products, `fetch_concurrency` at a time; a product that cannot be read is left out.
async fn fetch_products(paths: Vec<String>) -> Vec<serde_json::Value> {
    let paths = Rc::new(paths);
    let next = Rc::new(RefCell::new(0usize));
    let out: Rc<RefCell<Vec<Option<serde_json::Value>>>> = Rc::new(RefCell::new(vec![None; paths.len()]));
    let workers = js_sys::Array::new();
    for _ in 0..LIMITS.fetch_concurrency.min(paths.len()) {
        let (paths, next, out) = (paths.clone(), next.clone(), out.clone());
        workers.push(&dom::promise(async move {
            loop {
                let i = {
                    let mut n = next.borrow_mut();
                    *n += 1;
                    *n - 1
                };
                let Some(path) = paths.get(i) else { break };
                if let Ok(p) = fetch_json(path).await.map(|p| p.is_object().then_some(p)) {
                    out.borrow_mut()[i] = p;
                }
            }
        }));
    }
    let _ = JsFuture::from(js_sys::Promise::all(&workers)).await;
    let products = out.take();
    products.into_iter().flatten().collect()
}

/// The brand in the page's brand switcher, raw (`inpage::read` cleans it).
pub(crate) fn page_brand() -> PageBrand {
    let picker = dom::query_doc(BRAND_PICKER.css);
    let attr = |name: &str| picker.as_ref().and_then(|p| p.get_attribute(name));
    PageBrand { id: attr(ATTRS.brand_id), name: attr(ATTRS.brand_name) }
}

/// Read the order and its products from NuORDER's API and stage it with the background; the
/// staged order's `_id` and its dialog on success, the words to show otherwise.
async fn read_and_stage(order: &OrderRead) -> Result<(String, String), String> {
    let (doc, products, brand) = read_order(order, &page_brand()).await?;
    let staged: Staged =
        ask(PageRequest::StageOrder { order: doc, products, brand }).await.and_then(decode).map_err(|e| e.message)?;
    Ok((staged.order_id, staged.dialog))
}

/// The detail page's read (issue 18): the order document goes to the background, which compares
/// it with what the order's PO was made from and answers its status (*Changed since export* when
/// it moved). Best effort: without it the badge shows what the background knew.
pub async fn observe(order: OrderRead) {
    state::session_reported().await;
    let Ok(doc) = fetch_json(&order.path).await else { return };
    if let Ok(answer) = ask(PageRequest::ObserveOrder { order: doc }).await.and_then(decode::<Statuses>) {
        answer.statuses.into_iter().for_each(state::apply_view);
    }
}

/// Read an order and its products from NuORDER's API (the page's brand given): the order's
/// document, its products' and the brand as staging takes it; the words to show otherwise.
pub async fn read_order(
    order: &OrderRead,
    brand: &PageBrand,
) -> Result<(serde_json::Value, Vec<serde_json::Value>, PageBrand), String> {
    let doc = fetch_json(&order.path).await.map_err(str::to_string)?;
    let reads = order_reads(&doc, brand);
    let products = fetch_products(reads.products).await;
    Ok((doc, products, reads.brand))
}
