//! Every element of NuORDER's pages that PO Bridge anchors to, with the committed fixture page it
//! was checked against and how many matches that page has (a native test counts them).
//!
//! Sources: `nuorder.md` §4.2 (`data-test` hooks seen in public test suites) for rows, cells, the
//! kebab button and the brand picker; the detail page's hooks are our sandbox's guesses and are
//! marked so. When an anchor is missing on a live page, the in-page layer logs the selector's name.

use super::pages::PageKind;
use serde::Serialize;

/// One selector and where it was checked.
#[derive(Debug, Clone, Serialize)]
pub struct Selector {
    /// Stable name used in code and logs.
    pub name: &'static str,
    /// CSS selector.
    pub css: &'static str,
    /// What it finds.
    pub purpose: &'static str,
    /// `(fixture file under tests/fixtures/nuorder-pages/, expected number of matches)`.
    pub expect: &'static [(&'static str, usize)],
    /// Pages on which the in-page layer expects this anchor: when it matches nothing there (once
    /// the page has settled), the console names it, once per page.
    pub required_on: &'static [PageKind],
    /// Only expected inside matches of the selector with this name (and only when that one
    /// matches something): e.g. a row's cells.
    pub within: Option<&'static str>,
}

/// Prefix of an order row's `data-test` value: `order-record-{orderNumber}`.
pub const ORDER_ROW_PREFIX: &str = "order-record-";

pub const ORDER_ROW: Selector = Selector {
    name: "order_row",
    css: "[data-test^=\"order-record-\"]",
    purpose: "an order row in the orders list; the order number follows the prefix",
    expect: &[("orders-list.html", 3), ("order-detail.html", 0)],
    required_on: &[PageKind::OrdersList],
    within: None,
};
pub const ROW_ORDER_NUMBER: Selector = Selector {
    name: "row_order_number",
    css: "[data-test=\"order-number\"]",
    purpose: "the order-number cell of a row",
    expect: &[("orders-list.html", 3)],
    required_on: &[],
    within: None,
};
pub const ROW_MORE_ACTIONS: Selector = Selector {
    name: "row_more_actions",
    css: "button[data-test=\"more-actions-icon\"]",
    purpose: "the row's More actions (kebab) button",
    expect: &[("orders-list.html", 3)],
    required_on: &[PageKind::OrdersList],
    within: Some("order_row"),
};
pub const ROW_ACTIONS_MENU: Selector = Selector {
    name: "row_actions_menu",
    css: "[data-test=\"more-actions-menu\"]",
    purpose: "the menu the kebab opens (sandbox guess; only the PDF entry is documented)",
    expect: &[("orders-list.html", 0), ("orders-list-menu-open.html", 1)],
    required_on: &[],
    within: None,
};
pub const ROW_ACTIONS_CELL: Selector = Selector {
    name: "row_actions_cell",
    css: "[data-test=\"row-actions\"]",
    purpose: "the row's actions cell (holds the kebab): the row's status badge and hover action go here",
    expect: &[("orders-list.html", 3), ("order-detail.html", 0)],
    required_on: &[PageKind::OrdersList],
    within: Some("order_row"),
};
pub const ROW_TOTAL: Selector = Selector {
    name: "row_total",
    css: "[data-test=\"total\"]",
    purpose: "the Total cell of a row (`$1,280.00`): compared with the total the order's PO was made from (issue 18)",
    expect: &[("orders-list.html", 3), ("order-detail.html", 0)],
    required_on: &[],
    within: Some("order_row"),
};
pub const ROW_STATUS: Selector = Selector {
    name: "row_status",
    css: "[data-test=\"order-status\"]",
    purpose:
        "the status cell of a row (sandbox guess): compared with the status the order's PO was made from (issue 18)",
    expect: &[("orders-list.html", 3), ("order-detail.html", 1)],
    required_on: &[],
    within: Some("order_row"),
};
pub const DETAIL_ROOT: Selector = Selector {
    name: "detail_root",
    css: "[data-test=\"order-detail\"]",
    purpose: "the order detail page's container, carrying data-order-id and data-order-number (sandbox guess)",
    expect: &[("order-detail.html", 1), ("orders-list.html", 0)],
    required_on: &[PageKind::OrderDetail],
    within: None,
};
pub const DETAIL_ACTIONS: Selector = Selector {
    name: "detail_actions",
    css: "[data-test=\"order-actions\"]",
    purpose: "the upper-right actions area of the order detail page (sandbox guess)",
    expect: &[("order-detail.html", 1)],
    required_on: &[PageKind::OrderDetail],
    within: None,
};
pub const DETAIL_ORDER_NUMBER: Selector = Selector {
    name: "detail_order_number",
    css: "[data-test=\"order-detail-number\"]",
    purpose: "the Order # on the detail page (sandbox guess)",
    expect: &[("order-detail.html", 1)],
    required_on: &[],
    within: None,
};
pub const DETAIL_HEADER: Selector = Selector {
    name: "detail_header",
    css: "[data-test=\"order-header\"]",
    purpose:
        "the order header fields of the detail page: the Order Export Status field goes first in it (sandbox guess)",
    expect: &[("order-detail.html", 1), ("orders-list.html", 0)],
    required_on: &[PageKind::OrderDetail],
    within: None,
};
pub const BRAND_PICKER: Selector = Selector {
    name: "brand_picker",
    css: "[data-test=\"brand-picker\"]",
    purpose: "the upper-left brand switcher; its data-brand-name is the current brand",
    expect: &[("orders-list.html", 1), ("order-detail.html", 1)],
    required_on: &[PageKind::OrdersList, PageKind::OrderDetail],
    within: None,
};

/// Attributes the in-page layer reads on the anchors above.
#[derive(Debug, Clone, Serialize)]
pub struct Attrs {
    /// On an order row: `order-record-{number}` (see [`ORDER_ROW_PREFIX`]).
    pub row_number: &'static str,
    /// On [`DETAIL_ROOT`]: the order's `_id` and number.
    pub order_id: &'static str,
    pub order_number: &'static str,
    /// On [`BRAND_PICKER`]: the current brand.
    pub brand_id: &'static str,
    pub brand_name: &'static str,
}

pub const ATTRS: Attrs = Attrs {
    row_number: "data-test",
    order_id: "data-order-id",
    order_number: "data-order-number",
    brand_id: "data-brand-id",
    brand_name: "data-brand-name",
};

/// All selectors, for the generated in-page spec and the fixture test.
pub const ALL: &[&Selector] = &[
    &ORDER_ROW,
    &ROW_ORDER_NUMBER,
    &ROW_MORE_ACTIONS,
    &ROW_ACTIONS_MENU,
    &ROW_ACTIONS_CELL,
    &ROW_TOTAL,
    &ROW_STATUS,
    &DETAIL_ROOT,
    &DETAIL_ACTIONS,
    &DETAIL_ORDER_NUMBER,
    &DETAIL_HEADER,
    &BRAND_PICKER,
];

/// The order number in a row's `data-test` value, if it is one: ASCII letters, digits and the
/// separators a brand may type into its order numbers (`- _ . /` and inner spaces; the number
/// is editable by the brand, `nuorder.md` §3.1), at most 64 characters. Markup, quotes and
/// control characters are no order number.
pub fn order_number_from_row_attr(data_test: &str) -> Option<&str> {
    let n = data_test.strip_prefix(ORDER_ROW_PREFIX)?;
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ' ');
    let padded = n.starts_with(' ') || n.ends_with(' ');
    (!n.is_empty() && !padded && n.len() <= 64 && n.chars().all(allowed)).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_attribute_yields_the_order_number() {
        assert_eq!(order_number_from_row_attr("order-record-40718822"), Some("40718822"));
        assert_eq!(order_number_from_row_attr("order-record-"), None);
        assert_eq!(order_number_from_row_attr("order-record-<img>"), None);
        // Numbers a brand typed: separators and inner spaces.
        for n in ["SO-1001", "PO 881", "12345.1", "ABC/123", "R7_b"] {
            assert_eq!(order_number_from_row_attr(&format!("order-record-{n}")), Some(n), "{n}");
        }
        for n in [" 1001", "1001 ", "#1001", "Zürich", "10\"01", "10'01", "1001\n", "a&b", "x".repeat(65).as_str()] {
            assert_eq!(order_number_from_row_attr(&format!("order-record-{n}")), None, "{n:?}");
        }
        assert_eq!(order_number_from_row_attr("order-number"), None);
    }

    #[test]
    fn every_selector_names_a_fixture_and_names_are_unique() {
        let mut names = std::collections::HashSet::new();
        for s in ALL {
            assert!(!s.expect.is_empty(), "{} has no fixture expectation", s.name);
            assert!(names.insert(s.name), "duplicate selector name {}", s.name);
        }
        for s in ALL {
            if let Some(parent) = s.within {
                assert!(names.contains(parent), "{} is within unknown selector {parent}", s.name);
            }
        }
    }
}
