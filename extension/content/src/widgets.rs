//! Mounting the widgets: the row's badge + hover action, the kebab menu's entry, the detail page's
//! action and its Order Export Status field. Each host gets one click listener (stops the click
//! from reaching NuORDER's row, and dispatches by the clicked element's `data-role`).

use crate::dom::{add_parts, shadow_host};
use crate::registry::Listener;
use crate::state::{self, Kind, Shown, Widget};
use po_bridge::core::text::fill;
use po_bridge::inpage::spec::{Place, WidgetSpec, LABELS, LIMITS, WIDGETS};
use po_bridge::nuorder::selectors::{ATTRS, ROW_ACTIONS_CELL, ROW_MORE_ACTIONS};
use po_bridge::protocol::OrderRead;
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlButtonElement, HtmlElement};

fn next_id() -> u32 {
    state::with(|s| {
        s.next_id += 1;
        s.next_id
    })
}

/// The host's click listener: our clicks never reach the row underneath; actions and Retry run on
/// the user's clicks only (`isTrusted`: a mouse click or a keyboard activation of the button, never
/// a page script's `click()` or dispatched event).
fn click_listener(host: &HtmlElement, id: u32) -> Listener {
    Listener::new(host, "click", false, move |event| {
        event.stop_propagation();
        let target = event.composed_path().get(0).dyn_into::<Element>().ok();
        let role = target.as_ref().and_then(|t| t.get_attribute("data-role"));
        if !event.is_trusted() {
            // A page script's click on the checkbox toggles nothing.
            if role.as_deref() == Some("select") {
                event.prevent_default();
            }
            return;
        }
        match role.as_deref() {
            Some("select") => crate::batch::on_select(id),
            Some("action") => {
                event.prevent_default();
                wasm_bindgen_futures::spawn_local(crate::order::on_action(id));
            }
            // Review opens the review of the PO's update the way Retry opens the dialog.
            Some("retry" | "review") => {
                event.prevent_default();
                wasm_bindgen_futures::spawn_local(crate::order::on_retry(id));
            }
            _ => {}
        }
    })
}

/// The parts of a widget (all but its id, order and host are optional).
#[derive(Default)]
struct Parts {
    badge: Option<HtmlElement>,
    action: Option<HtmlButtonElement>,
    note: Option<HtmlElement>,
    select: Option<web_sys::HtmlInputElement>,
    row: Option<Element>,
}

fn widget(id: u32, kind: Kind, order: &OrderRead, host: HtmlElement, owner: &Element, parts: Parts) -> Widget {
    let listeners = vec![click_listener(&host, id)];
    let Parts { badge, action, note, select, row } = parts;
    Widget {
        id,
        kind,
        order: order.clone(),
        host,
        owner: owner.clone(),
        badge,
        action,
        note,
        select,
        row,
        shown: Shown::Loading,
        busy: false,
        listeners,
    }
}

/// A widget's host and parts, built from the spec and not placed yet.
struct Built {
    host: HtmlElement,
    parts: Parts,
}

thread_local! {
    /// Row widgets built ahead while the page is idle (see [`spare_up`]).
    static SPARES: RefCell<Vec<Built>> = const { RefCell::new(Vec::new()) };
    static SPARES_PENDING: Cell<bool> = const { Cell::new(false) };
}

fn spec_of(kind: Kind) -> (&'static str, &'static WidgetSpec) {
    match kind {
        Kind::Row => ("row", &WIDGETS.row),
        Kind::Menu => ("menu", &WIDGETS.menu),
        Kind::Detail => ("detail", &WIDGETS.detail),
        Kind::Status => ("status", &WIDGETS.status),
    }
}

/// A widget of `kind` from the spec's template: its parts in a shadow root.
fn build(kind: Kind) -> Built {
    let (name, spec) = spec_of(kind);
    let (host, shadow) = shadow_host(spec.tag, name);
    let mut parts = Parts::default();
    for (p, e) in spec.parts.iter().zip(add_parts(&shadow, spec.parts)) {
        match p.part {
            "badge" => parts.badge = Some(e),
            "action" => parts.action = Some(e.unchecked_into()),
            "note" => parts.note = Some(e),
            "select" => parts.select = Some(e.unchecked_into()),
            _ => {}
        }
    }
    Built { host, parts }
}

/// Build row widgets ahead, while the page is idle, up to `limits.spare_rows` (as the JS fallback
/// does): rows arrive a hundred at once, in the page's own task, and placing a built widget costs a
/// fraction of building one there (issue 17's bench).
pub fn spare_up() {
    let full = SPARES.with(|s| s.borrow().len()) >= LIMITS.spare_rows;
    if full || state::with(|s| s.orphaned) || SPARES_PENDING.with(|p| p.replace(true)) {
        return;
    }
    let Some(w) = web_sys::window() else { return };
    let build_spares = Closure::once_into_js(|deadline: JsValue| {
        SPARES_PENDING.with(|p| p.set(false));
        // Without an idle deadline (a timer's call), build them all.
        let idle = |d: &JsValue| d.dyn_ref::<web_sys::IdleDeadline>().is_none_or(|d| d.time_remaining() > 0.0);
        while idle(&deadline) && SPARES.with(|s| s.borrow().len()) < LIMITS.spare_rows {
            let spare = build(Kind::Row);
            state::render_loading(spare.parts.badge.as_ref());
            SPARES.with(|s| s.borrow_mut().push(spare));
        }
        spare_up();
    });
    if w.request_idle_callback(build_spares.unchecked_ref()).is_err() {
        let _ = w.set_timeout_with_callback(build_spares.unchecked_ref());
    }
}

/// The widget of `kind` for `anchor` (a row, its open menu, the detail page's actions area or its
/// header), built from the spec's template (a row's taken from the spares when there is one): its
/// parts in a shadow root, its host placed in the anchor.
pub fn mount(kind: Kind, anchor: &Element, row: Option<&Element>, order: &OrderRead) {
    let spare = if kind == Kind::Row { SPARES.with(|s| s.borrow_mut().pop()) } else { None };
    let rendered = spare.is_some();
    let Built { host, mut parts } = spare.unwrap_or_else(|| build(kind));
    let spec = spec_of(kind).1;
    let id = next_id();
    let _ = host.set_attribute(ATTRS.order_number, &order.order.order_number);
    if let Some(select) = &parts.select {
        let _ = select.set_attribute("aria-label", &fill(LABELS.select_row, "{number}", &order.order.order_number));
    }
    parts.row = row.cloned();
    let _ = match spec.place {
        Place::RowCell => {
            let cell = crate::dom::query(anchor, ROW_ACTIONS_CELL.css);
            let kebab = cell.as_ref().and_then(|c| {
                crate::dom::query(c, ROW_MORE_ACTIONS.css).filter(|k| k.parent_element().as_ref() == Some(c))
            });
            cell.map(|c| c.insert_before(&host, kebab.as_ref().map(|k| k.as_ref())))
        }
        Place::Append => Some(anchor.append_child(&host)),
        Place::Prepend => Some(anchor.prepend_with_node_1(&host).map(|()| host.clone().into())),
    };
    let mut w = widget(id, kind, order, host.clone(), anchor, parts);
    // Shown on hover of the row or focus of the button (`:host([data-hover]) .icon, .icon:focus`).
    for (event, on) in [("mouseenter", true), ("mouseleave", false), ("focusin", true), ("focusout", false)] {
        let Some(row) = row.filter(|_| spec.place == Place::RowCell) else { break };
        let h = host.clone();
        w.listeners.push(Listener::new(row, event, false, move |_| {
            let _ = h.toggle_attribute_with_force("data-hover", on);
        }));
    }
    state::add_widget(w, rendered);
}
