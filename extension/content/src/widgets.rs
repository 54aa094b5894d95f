//! Mounting the widgets: the row's badge + hover action, the kebab menu's entry, the detail page's
//! action and its Order Export Status field. Each host gets one click listener (stops the click
//! from reaching NuORDER's row, and dispatches by the clicked element's `data-role`).

use crate::dom::{el, shadow_host};
use crate::registry::Listener;
use crate::state::{self, Kind, Shown, Widget};
use po_bridge::inpage::spec::{LABELS, ROW_ICON, TAGS};
use po_bridge::nuorder::selectors::{ATTRS, ROW_MORE_ACTIONS};
use po_bridge::protocol::OrderRead;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlButtonElement, HtmlElement};

fn next_id() -> u32 {
    state::with(|s| {
        s.next_id += 1;
        s.next_id
    })
}

fn action_button(class: &str, text: &str, aria_label: bool) -> HtmlButtonElement {
    let b: HtmlButtonElement = el("button", class, Some(text)).unchecked_into();
    b.set_type("button");
    let _ = b.set_attribute("data-role", "action");
    if aria_label {
        let _ = b.set_attribute("aria-label", LABELS.export_action);
    }
    b.set_title(LABELS.export_action);
    b
}

fn note() -> HtmlElement {
    let n = el("span", "note", None);
    let _ = n.set_attribute("role", "status");
    n
}

/// The host's click listener: our clicks never reach the row underneath; actions and Retry run.
fn click_listener(host: &HtmlElement, id: u32) -> Listener {
    Listener::new(host, "click", false, move |event| {
        event.stop_propagation();
        let target = event.composed_path().get(0).dyn_into::<Element>().ok();
        let role = target.as_ref().and_then(|t| t.get_attribute("data-role"));
        match role.as_deref() {
            Some("action") => {
                event.prevent_default();
                wasm_bindgen_futures::spawn_local(crate::order::on_action(id));
            }
            Some("retry") => {
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
    row: Option<Element>,
}

fn widget(id: u32, kind: Kind, order: &OrderRead, host: HtmlElement, owner: &Element, parts: Parts) -> Widget {
    let listeners = vec![click_listener(&host, id)];
    let Parts { badge, action, note, row } = parts;
    Widget {
        id,
        kind,
        order: order.clone(),
        host,
        owner: owner.clone(),
        badge,
        action,
        note,
        row,
        shown: Shown::Loading,
        busy: false,
        listeners,
    }
}

/// A row: badge and hover action in the row's actions cell, before the kebab.
pub fn mount_row(row: &Element, cell: &Element, order: &OrderRead) {
    let id = next_id();
    let (host, shadow) = shadow_host(TAGS.action, "row");
    let _ = host.set_attribute(ATTRS.order_number, &order.order.order_number);
    let badge = el("span", "badge", None);
    let action = action_button("icon", ROW_ICON, true);
    let note = note();
    let _ = shadow.append_with_node_3(&badge, &action, &note);
    let kebab = crate::dom::query(cell, ROW_MORE_ACTIONS.css).filter(|k| k.parent_element().as_ref() == Some(cell));
    let _ = cell.insert_before(&host, kebab.as_ref().map(|k| k.as_ref()));
    let parts = Parts { badge: Some(badge), action: Some(action), note: Some(note), row: Some(row.clone()) };
    let mut w = widget(id, Kind::Row, order, host.clone(), row, parts);
    // Shown on hover of the row or focus of the button (`:host([data-hover]) .icon, .icon:focus`).
    for (kind, on) in [("mouseenter", true), ("mouseleave", false), ("focusin", true), ("focusout", false)] {
        let h = host.clone();
        w.listeners.push(Listener::new(row, kind, false, move |_| {
            let _ = if on { h.set_attribute("data-hover", "") } else { h.remove_attribute("data-hover") };
        }));
    }
    state::add_widget(w);
}

/// The entry in a row's opened More actions menu.
pub fn mount_menu_item(menu: &Element, row: &Element, order: &OrderRead) {
    let id = next_id();
    let (host, shadow) = shadow_host(TAGS.menu_item, "menu");
    let _ = host.set_attribute(ATTRS.order_number, &order.order.order_number);
    let item = action_button("menuitem", LABELS.export_action, false);
    let _ = item.set_attribute("role", "menuitem");
    let _ = shadow.append_child(&item);
    let _ = menu.append_child(&host);
    let parts = Parts { action: Some(item), row: Some(row.clone()), ..Parts::default() };
    state::add_widget(widget(id, Kind::Menu, order, host, menu, parts));
}

/// The detail page's action, in its upper-right actions area.
pub fn mount_detail_action(actions: &Element, order: &OrderRead) {
    let id = next_id();
    let (host, shadow) = shadow_host(TAGS.action, "detail");
    let _ = host.set_attribute(ATTRS.order_number, &order.order.order_number);
    let action = action_button("action", LABELS.export_action, false);
    let note = note();
    let _ = shadow.append_with_node_2(&action, &note);
    let _ = actions.append_child(&host);
    let parts = Parts { action: Some(action), note: Some(note), ..Parts::default() };
    state::add_widget(widget(id, Kind::Detail, order, host, actions, parts));
}

/// The Order Export Status field, first in the order header.
pub fn mount_status_field(header: &Element, order: &OrderRead) {
    let id = next_id();
    let (host, shadow) = shadow_host(TAGS.status, "status");
    let _ = host.set_attribute(ATTRS.order_number, &order.order.order_number);
    let label = el("span", "label", Some(LABELS.status_field));
    let badge = el("span", "badge", None);
    let _ = badge.set_attribute("role", "status");
    let _ = shadow.append_with_node_2(&label, &badge);
    let _ = header.prepend_with_node_1(&host);
    let parts = Parts { badge: Some(badge), ..Parts::default() };
    state::add_widget(widget(id, Kind::Status, order, host, header, parts));
}
