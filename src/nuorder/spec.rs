//! The in-page specification: routes, selectors, labels and protocol version as one JSON document.
//!
//! `gen-assets` writes it into `dist/` at build time. The content wasm and the JS fallback (used
//! when a page's CSP refuses wasm) both run on it, so the fallback is never a hand-kept copy.

use super::pages::{Route, NUORDER_HOSTS, ROUTES};
use super::selectors::{Selector, ALL, ORDER_ROW_PREFIX};
use crate::protocol::PROTOCOL_VERSION;
use serde::Serialize;

/// Words the in-page layer shows.
#[derive(Debug, Clone, Serialize)]
pub struct Labels {
    pub export_action: &'static str,
    pub extension_updated: &'static str,
}

pub const LABELS: Labels = Labels {
    export_action: "Export order to POS",
    extension_updated: "PO Bridge was updated — reload the page",
};

/// Attribute that marks an element as already processed (injection is idempotent).
pub const MARKER_ATTR: &str = "data-po-bridge";

#[derive(Debug, Clone, Serialize)]
pub struct InPageSpec {
    pub protocol_version: u32,
    pub hosts: &'static [&'static str],
    pub routes: &'static [Route],
    pub selectors: Vec<&'static Selector>,
    pub order_row_prefix: &'static str,
    pub marker_attr: &'static str,
    pub labels: Labels,
}

pub fn in_page_spec() -> InPageSpec {
    InPageSpec {
        protocol_version: PROTOCOL_VERSION,
        hosts: NUORDER_HOSTS,
        routes: ROUTES,
        selectors: ALL.to_vec(),
        order_row_prefix: ORDER_ROW_PREFIX,
        marker_attr: MARKER_ATTR,
        labels: LABELS,
    }
}

/// The spec as pretty JSON (what `gen-assets` writes).
pub fn in_page_spec_json() -> String {
    serde_json::to_string_pretty(&in_page_spec()).expect("the spec serializes")
}

#[cfg(test)]
mod tests {
    #[test]
    fn spec_lists_every_selector_and_route() {
        let v: serde_json::Value = serde_json::from_str(&super::in_page_spec_json()).unwrap();
        assert_eq!(v["selectors"].as_array().unwrap().len(), super::ALL.len());
        assert_eq!(v["routes"][0]["kind"], "orders_list");
        assert_eq!(v["labels"]["export_action"], "Export order to POS");
    }
}
