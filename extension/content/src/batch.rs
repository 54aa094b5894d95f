//! The list's bar (issue 19): with a selection (`selection`: a checkbox on each row the badge calls
//! `selectable`), "Export N orders to POS" and "Select all not exported on this page"; a running
//! batch's "k of n exported" with its progress and Cancel. The selection is kept by order number
//! outside the rows, so the list's re-renders, sorting, filtering and brand switches neither lose
//! nor duplicate it; the bar lives in the document root, outside NuORDER's list. Its actions run
//! on trusted clicks only.

use crate::dom::{self, shadow_host};
use crate::registry::Listener;
use crate::selection;
use crate::state::{self, ask, Kind, Shown};
use crate::wire::decode;
use po_bridge::core::text::fill;
use po_bridge::inpage::replies::{RunningBatch, Staged};
use po_bridge::inpage::spec::{LABELS, LIMITS, WIDGETS};
use po_bridge::protocol::{OrderRead, PageBrand, PageRequest, SetView};
use po_bridge_browser as browser;
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlButtonElement, HtmlElement, HtmlProgressElement};

struct Bar {
    host: HtmlElement,
    parts: Vec<(&'static str, HtmlElement)>,
    _click: Listener,
}

impl Bar {
    fn part(&self, name: &str) -> Option<&HtmlElement> {
        self.parts.iter().find(|(n, _)| *n == name).map(|(_, e)| e)
    }
}

#[derive(Default)]
struct Batch {
    /// The latest batch's progress, from the background.
    set: Option<SetView>,
    busy: bool,
    note: Option<(String, bool)>,
    bar: Option<Bar>,
}

thread_local! {
    static BATCH: RefCell<Batch> = RefCell::new(Batch::default());
}

fn with<R>(f: impl FnOnce(&mut Batch) -> R) -> R {
    BATCH.with(|b| f(&mut b.borrow_mut()))
}

/// A trusted click on widget `id`'s checkbox (already toggled by the browser).
pub fn on_select(id: u32) {
    let found = state::with(|s| {
        let w = s.widgets.iter().find(|w| w.id == id)?;
        Some((w.order.clone(), w.select.as_ref()?.checked()))
    });
    let Some((order, checked)) = found else { return };
    let number = order.order.order_number.clone();
    let full = selection::with(|sel| {
        sel.retain(|(o, _)| o.order.order_number != number);
        let full = checked && sel.len() >= LIMITS.max_batch;
        if checked && !full {
            sel.push((order, crate::order::page_brand()));
        }
        full
    });
    with(|b| b.note = full.then(|| (LABELS.batch_full.to_string(), true)));
    refresh();
}

/// "Select all not exported on this page": every selectable row shown (up to the limit).
fn select_all() {
    let rows: Vec<OrderRead> = state::with(|s| {
        s.widgets
            .iter()
            .filter(|w| w.kind == Kind::Row && w.host.is_connected())
            .filter(|w| matches!(&w.shown, Shown::View(v) if v.badge.selectable))
            .map(|w| w.order.clone())
            .collect()
    });
    let brand = crate::order::page_brand();
    let full = selection::with(|sel| {
        for order in rows {
            let number = &order.order.order_number;
            if sel.iter().any(|(o, _)| &o.order.order_number == number) {
                continue;
            }
            if sel.len() >= LIMITS.max_batch {
                return true;
            }
            sel.push((order, brand.clone()));
        }
        false
    });
    with(|b| b.note = full.then(|| (LABELS.batch_full.to_string(), true)));
    refresh();
}

/// The selection changed: every row's checkbox and the bar show it.
pub fn refresh() {
    state::with(|s| {
        for w in &s.widgets {
            if let (Some(select), Some(badge)) = (&w.select, state::badge_of(w)) {
                selection::render_select(select, &w.order.order.order_number, badge.selectable && !s.orphaned);
            }
        }
    });
    render_bar();
}

fn mount_bar() -> Bar {
    let (host, shadow) = shadow_host(WIDGETS.bar.tag, "bar");
    let elements = dom::add_parts(&shadow, WIDGETS.bar.parts);
    let parts: Vec<_> = WIDGETS.bar.parts.iter().map(|p| p.part).zip(elements).collect();
    let click = Listener::new(&host, "click", false, |event| {
        event.stop_propagation();
        if !event.is_trusted() {
            return;
        }
        let target = event.composed_path().get(0).dyn_into::<Element>().ok();
        match target.and_then(|t| t.get_attribute("data-role")).as_deref() {
            Some("batch-export") => wasm_bindgen_futures::spawn_local(export()),
            Some("select-all") => select_all(),
            Some("batch-cancel") => wasm_bindgen_futures::spawn_local(cancel()),
            _ => {}
        }
    });
    if let Some(root) = dom::document().document_element() {
        let _ = root.append_child(&host);
    }
    Bar { host, parts, _click: click }
}

fn render_bar() {
    let n = selection::with(|sel| sel.len());
    let needed = n > 0 || with(|b| b.set.is_some());
    if needed && with(|b| b.bar.as_ref().is_none_or(|bar| !bar.host.is_connected())) {
        let bar = mount_bar();
        with(|b| b.bar = Some(bar));
    }
    with(|b| {
        let Some(bar) = &b.bar else { return };
        bar.host.set_hidden(!needed);
        let running = b.set.as_ref().filter(|s| !s.finished && !s.cancelled);
        let count = match (&b.set, running, n) {
            (_, Some(s), _) => s.label.clone(),
            (_, None, 1..) => fill(LABELS.selected_count, "{n}", &n.to_string()),
            (Some(s), None, 0) => s.label.clone(),
            (None, None, 0) => String::new(),
        };
        let show = |name: &str, visible: bool| {
            if let Some(e) = bar.part(name) {
                e.set_hidden(!visible);
            }
        };
        show("export", n > 0);
        show("select_all", n > 0);
        show("cancel", running.is_some());
        show("progress", b.set.is_some());
        if let Some(c) = bar.part("count") {
            c.set_text_content(Some(&count));
        }
        if let Some(p) = bar.part("progress").and_then(|p| p.dyn_ref::<HtmlProgressElement>()) {
            let (done, total) = b.set.as_ref().map_or((0, 1), |s| (s.done, s.total.max(1)));
            p.set_max(total as f64);
            p.set_value(done as f64);
        }
        if let Some(e) = bar.part("export").and_then(|e| e.dyn_ref::<HtmlButtonElement>()) {
            let text = if n == 1 {
                LABELS.batch_export_one.to_string()
            } else {
                fill(LABELS.batch_export_many, "{n}", &n.to_string())
            };
            e.set_text_content(Some(&text));
            e.set_disabled(b.busy);
        }
        if let Some(note) = bar.part("note") {
            let (text, error) = b.note.clone().unwrap_or_default();
            note.set_text_content(Some(&text));
            note.set_class_name(if error { "note error" } else { "note" });
        }
    });
}

/// "Export N orders to POS": each selected order read with the page's session and staged, then
/// the batch dialog opened at the path the background gives (it carries the set's capability).
async fn export() {
    if !browser::runtime_alive() {
        return state::mark_orphaned();
    }
    let selected = selection::with(|sel| sel.clone());
    if selected.is_empty() || with(|b| b.busy) {
        return;
    }
    with(|b| (b.busy, b.note) = (true, Some((LABELS.reading_orders.to_string(), false))));
    render_bar();
    let result = stage_all(&selected).await;
    with(|b| (b.busy, b.note) = (false, result.as_ref().err().map(|e| (e.clone(), true))));
    render_bar();
    if let Some(staged) = result.ok().filter(|s| !s.dialog.is_empty()) {
        let opener = with(|b| b.bar.as_ref().and_then(|bar| bar.part("export").cloned()));
        crate::dialog::open(&staged.order_id, &staged.dialog, opener);
    }
}

async fn stage_all(selected: &[(OrderRead, PageBrand)]) -> Result<Staged, String> {
    let mut order_ids = Vec::new();
    for (order, brand) in selected {
        let (doc, products, brand) = crate::order::read_order(order, brand).await?;
        let staged: Staged = ask(PageRequest::StageBatchOrder { order: doc, products, brand })
            .await
            .and_then(decode)
            .map_err(|e| e.message)?;
        order_ids.push(staged.order_id);
    }
    ask(PageRequest::OpenBatch { order_ids }).await.and_then(decode).map_err(|e| e.message)
}

async fn cancel() {
    let Some(set_id) = with(|b| b.set.as_ref().map(|s| s.set_id.clone())) else { return };
    match ask(PageRequest::CancelBatch { set_id }).await.and_then(decode::<SetView>) {
        Ok(view) => on_set(view),
        Err(e) => with(|b| b.note = Some((e.message, true))),
    }
    render_bar();
}

/// The bar follows the rows' changes to the selection; on load it asks the background for the
/// running batch of the buyer signed in on this tab, so after a reload, or on a tab opened while it
/// runs, the bar shows it at once (unless a progress event came first).
pub fn init() {
    selection::on_change(refresh);
    wasm_bindgen_futures::spawn_local(async {
        state::session_reported().await;
        if let Ok(RunningBatch { set: Some(set) }) = ask(PageRequest::GetBatch).await.and_then(decode) {
            if with(|b| b.set.is_none()) {
                on_set(set);
            }
        }
    });
}

/// A batch's progress from the background; a new batch clears the selection it was made from.
pub fn on_set(view: SetView) {
    let new = with(|b| b.set.as_ref().is_none_or(|s| s.set_id != view.set_id));
    if new {
        selection::with(Vec::clear);
    }
    with(|b| {
        if new {
            b.note = None;
        }
        b.set = Some(view);
    });
    refresh();
}
