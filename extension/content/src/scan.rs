//! Finding the anchors on the current page and mounting each widget once (a marker attribute per
//! anchor element), again after every re-render and client-side navigation; naming an expected
//! anchor that is missing once the page has settled (once per page).

use crate::dom::{self, query, query_all, query_doc};
use crate::state::{self, OrderKey};
use crate::widgets;
use po_bridge::nuorder::pages::{detect, PageKind};
use po_bridge::nuorder::selectors::{self, ALL, ATTRS};
use po_bridge::nuorder::spec::{LIMITS, MARKER_ATTR, TAGS};
use po_bridge_browser as browser;
use std::cell::RefCell;
use std::collections::HashSet;
use web_sys::Element;

#[derive(Default)]
struct Page {
    href: Option<String>,
    /// Bumped on every page change so a stale settle check does nothing.
    generation: u32,
    warned: HashSet<&'static str>,
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

pub fn scan() {
    let href = dom::href();
    let changed = PAGE.with(|p| {
        let mut p = p.borrow_mut();
        if p.href.as_deref() == Some(href.as_str()) {
            return None;
        }
        p.href = Some(href);
        p.generation += 1;
        p.warned.clear();
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
    let Some(page) = detect(&dom::pathname()) else {
        return;
    };
    match page.kind {
        PageKind::OrdersList => {
            for row in query_all(selectors::ORDER_ROW.css) {
                let Some(number) = row
                    .get_attribute(ATTRS.row_number)
                    .and_then(|a| selectors::order_number_from_row_attr(&a).map(str::to_string))
                else {
                    continue;
                };
                if query(&row, &format!("{}[data-kind=row]", TAGS.action)).is_none() {
                    let _ = row.remove_attribute(MARKER_ATTR);
                }
                if !mark(&row) {
                    continue;
                }
                // A row without its actions cell is named by the settle check.
                if let Some(cell) = query(&row, selectors::ROW_ACTIONS_CELL.css) {
                    widgets::mount_row(&row, &cell, &number);
                }
            }
            for menu in query_all(selectors::ROW_ACTIONS_MENU.css) {
                let Some(row) = menu.closest(selectors::ORDER_ROW.css).ok().flatten() else {
                    continue;
                };
                let Some(number) = row
                    .get_attribute(ATTRS.row_number)
                    .and_then(|a| selectors::order_number_from_row_attr(&a).map(str::to_string))
                else {
                    continue;
                };
                if mark(&menu) {
                    widgets::mount_menu_item(&menu, &row, &number);
                }
            }
        }
        PageKind::OrderDetail => {
            let Some(root) = query_doc(selectors::DETAIL_ROOT.css) else {
                return;
            };
            let id = root.get_attribute(ATTRS.order_id).filter(|s| !s.is_empty()).or(page.order_id);
            let number = root
                .get_attribute(ATTRS.order_number)
                .or_else(|| query_doc(selectors::DETAIL_ORDER_NUMBER.css).and_then(|e| e.text_content()))
                .map(|n| n.trim().chars().take(64).collect::<String>())
                .unwrap_or_default();
            if number.is_empty() && id.is_none() {
                return;
            }
            let order = OrderKey { number, id };
            if let Some(actions) = query_doc(selectors::DETAIL_ACTIONS.css).filter(mark) {
                widgets::mount_detail_action(&actions, &order);
            }
            if let Some(header) = query_doc(selectors::DETAIL_HEADER.css).filter(mark) {
                widgets::mount_status_field(&header, &order);
            }
        }
    }
}

/// Name every anchor this page should have but does not (once per page).
fn check_anchors(generation: u32) {
    if PAGE.with(|p| p.borrow().generation) != generation {
        return;
    }
    let Some(page) = detect(&dom::pathname()) else {
        return;
    };
    for s in ALL.iter().filter(|s| s.required_on.contains(&page.kind)) {
        let css = match s.within {
            Some(parent) => {
                let Some(parent) = ALL.iter().find(|p| p.name == parent) else {
                    continue;
                };
                if query_doc(parent.css).is_none() {
                    continue;
                }
                format!("{} {}", parent.css, s.css)
            }
            None => s.css.to_string(),
        };
        if query_doc(&css).is_none() && PAGE.with(|p| p.borrow_mut().warned.insert(s.name)) {
            let kind = match page.kind {
                PageKind::OrdersList => "orders_list",
                PageKind::OrderDetail => "order_detail",
            };
            browser::warn(&format!(
                "selector \"{}\" ({}) found nothing on this {kind} page; {}",
                s.name, s.css, s.purpose
            ));
        }
    }
}
