//! The list's selection (issue 19), kept by order number with the brand the page showed when each
//! order was selected, outside the rows: what the rows' checkboxes show (`state` renders them) and
//! what the bar exports (`batch`). A change the rows cause (an order no longer selectable) calls
//! the bar's refresh, registered by `batch`.

use crate::dom;
use po_bridge::protocol::{OrderRead, PageBrand};
use std::cell::{Cell, RefCell};
use web_sys::HtmlInputElement;

thread_local! {
    static SELECTED: RefCell<Vec<(OrderRead, PageBrand)>> = const { RefCell::new(Vec::new()) };
    static ON_CHANGE: Cell<Option<fn()>> = const { Cell::new(None) };
}

/// The selection, to read or change.
pub fn with<R>(f: impl FnOnce(&mut Vec<(OrderRead, PageBrand)>) -> R) -> R {
    SELECTED.with(|s| f(&mut s.borrow_mut()))
}

pub fn is_selected(number: &str) -> bool {
    with(|s| s.iter().any(|(o, _)| o.order.order_number == number))
}

/// What runs after the rows changed the selection (the bar's refresh).
pub fn on_change(f: fn()) {
    ON_CHANGE.with(|c| c.set(Some(f)));
}

/// A row's checkbox: shown when its badge says `selectable`, checked when its order is selected.
pub fn render_select(select: &HtmlInputElement, number: &str, selectable: bool) {
    select.set_hidden(!selectable);
    select.set_checked(selectable && is_selected(number));
}

/// A status arrived: an order that is no longer selectable leaves the selection.
pub fn deselect_unless(number: &str, selectable: bool) {
    if selectable || !is_selected(number) {
        return;
    }
    with(|s| s.retain(|(o, _)| o.order.order_number != number));
    if let Some(f) = ON_CHANGE.with(Cell::get) {
        dom::after(0, f);
    }
}
