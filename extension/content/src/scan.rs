//! Finding the anchors on the current page and mounting each widget once (a marker attribute per
//! anchor element), again after every re-render and client-side navigation; naming an expected
//! anchor that is missing once the page has settled (once per page). What the anchors mean (page
//! kind, order numbers, read paths) is `inpage::read`'s business, as in the JS fallback.

use crate::dom::{self, query, query_all, query_doc};
use crate::state::{self, Kind};
use crate::widgets;
use po_bridge::inpage::read::read_page;
use po_bridge::inpage::spec::{LIMITS, MARKER_ATTR};
use po_bridge::nuorder::selectors::{self, ATTRS};
use po_bridge::protocol::{AnchorCheck, DetailSnapshot, PageReading, PageSnapshot};
use po_bridge_browser as browser;
use std::cell::RefCell;
use web_sys::Element;

#[derive(Default)]
struct Page {
    href: Option<String>,
    /// Bumped on every page change so a stale settle check does nothing.
    generation: u32,
    /// Known once the page was read: whether it is an order page.
    order_page: Option<bool>,
    anchors: Vec<AnchorCheck>,
    /// The anchors already named on this page (a handful).
    warned: Vec<String>,
}

thread_local! {
    static PAGE: RefCell<Page> = RefCell::new(Page::default());
}

/// Mark `owner` as processed; false if it already was.
fn mark(owner: &Element) -> bool {
    if owner.has_attribute(MARKER_ATTR) {
        return false;
    }
    let _ = owner.set_attribute(MARKER_ATTR, "1");
    true
}

/// The anchors not processed yet (marked now), and what they say, raw.
#[derive(Default)]
struct Found {
    rows: Vec<Element>,
    menus: Vec<(Element, Element)>,
    detail: Vec<Element>,
    snapshot: PageSnapshot,
}

fn gather() -> Found {
    let mut f =
        Found { snapshot: PageSnapshot { path: dom::pathname(), ..PageSnapshot::default() }, ..Found::default() };
    let attr = |row: &Element| row.get_attribute(ATTRS.row_number).unwrap_or_default();
    f.rows = query_all(selectors::ORDER_ROW.css).into_iter().filter(mark).collect();
    f.snapshot.rows = f.rows.iter().map(attr).collect();
    for menu in query_all(selectors::ROW_ACTIONS_MENU.css) {
        if let Some(row) = menu.closest(selectors::ORDER_ROW.css).ok().flatten().filter(|_| mark(&menu)) {
            f.snapshot.rows.push(attr(&row));
            f.menus.push((menu, row));
        }
    }
    if let Some(root) = query_doc(selectors::DETAIL_ROOT.css) {
        f.detail = [&selectors::DETAIL_ACTIONS, &selectors::DETAIL_HEADER]
            .iter()
            .filter_map(|s| query_doc(s.css).filter(mark))
            .collect();
        if !f.detail.is_empty() {
            f.snapshot.detail = Some(DetailSnapshot {
                order_id: root.get_attribute(ATTRS.order_id),
                order_number: root.get_attribute(ATTRS.order_number),
                number_text: query_doc(selectors::DETAIL_ORDER_NUMBER.css).and_then(|e| e.text_content()),
            });
        }
    }
    f
}

fn unmark(anchors: &[Element]) {
    anchors.iter().for_each(|a| {
        let _ = a.remove_attribute(MARKER_ATTR);
    });
}

/// Mount a widget on every anchor the reading names an order for.
fn mount(f: &Found, reading: &PageReading) {
    if !reading.order_page {
        unmark(&f.rows);
        f.menus.iter().for_each(|(m, _)| unmark(std::slice::from_ref(m)));
        unmark(&f.detail);
        return;
    }
    for (row, order) in f.rows.iter().zip(&reading.rows) {
        // A row without its actions cell is named by the settle check.
        if let (Some(order), Some(_)) = (order, query(row, selectors::ROW_ACTIONS_CELL.css)) {
            widgets::mount(Kind::Row, row, Some(row), order);
        }
    }
    for ((menu, row), order) in f.menus.iter().zip(&reading.rows[f.rows.len()..]) {
        if let Some(order) = order {
            widgets::mount(Kind::Menu, menu, Some(row), order);
        }
    }
    let Some(order) = &reading.detail else {
        return unmark(&f.detail); // read again once the page names its order
    };
    for anchor in &f.detail {
        let kind =
            if anchor.matches(selectors::DETAIL_ACTIONS.css).unwrap_or(false) { Kind::Detail } else { Kind::Status };
        widgets::mount(kind, anchor, None, order);
    }
    if !f.detail.is_empty() {
        wasm_bindgen_futures::spawn_local(crate::order::observe(order.clone()));
    }
}

pub fn scan() {
    let href = dom::href();
    let changed = PAGE.with(|p| {
        let mut p = p.borrow_mut();
        if p.href.as_deref() == Some(href.as_str()) {
            return None;
        }
        *p = Page { href: Some(href), generation: p.generation + 1, ..Page::default() };
        Some(p.generation)
    });
    if let Some(generation) = changed {
        crate::dialog::close(false);
        dom::after(LIMITS.settle_ms, move || check_anchors(generation));
    }
    state::sweep();
    if !browser::runtime_alive() {
        state::mark_orphaned();
    }
    if PAGE.with(|p| p.borrow().order_page) == Some(false) {
        return;
    }
    let found = gather();
    if found.snapshot.rows.is_empty() && found.detail.is_empty() && changed.is_none() {
        return;
    }
    let reading = read_page(&found.snapshot);
    PAGE.with(|p| {
        let mut p = p.borrow_mut();
        p.order_page = Some(reading.order_page);
        p.anchors.clone_from(&reading.anchors);
    });
    mount(&found, &reading);
    if reading.list_page {
        widgets::spare_up();
    }
}

/// Name every anchor this page should have but does not (once per page), and report the page
/// to the background with those names (the popup's *This page*).
fn check_anchors(generation: u32) {
    let Some(anchors) = PAGE.with(|p| {
        let p = p.borrow();
        (p.generation == generation).then(|| p.anchors.clone())
    }) else {
        return;
    };
    let mut missing = Vec::new();
    for a in anchors {
        let expected = a.within.as_deref().is_none_or(|w| query_doc(w).is_some());
        if expected && query_doc(&a.css).is_none() {
            let first = PAGE.with(|p| {
                let warned = &mut p.borrow_mut().warned;
                let first = !warned.contains(&a.css);
                if first {
                    warned.push(a.css.clone());
                }
                first
            });
            if first {
                browser::warn(&a.warning);
            }
            missing.push(a.name);
        }
    }
    let path = web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default();
    wasm_bindgen_futures::spawn_local(async move {
        let _ = state::ask(po_bridge::protocol::PageRequest::ReportPage { path, missing }).await;
    });
}
