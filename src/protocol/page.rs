//! What the in-page engines send about a NuORDER page and what the core answers about it: the raw
//! snapshot, the core's reading of it, and what to read next for an order.

use super::OrderRef;
use serde::{Deserialize, Serialize};

/// What an in-page engine found on a NuORDER page, raw (attribute values and texts, unchecked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PageSnapshot {
    /// `location.pathname`.
    pub path: String,
    /// Each order row's order-row attribute (`data-test`), in the order found.
    pub rows: Vec<String>,
    /// The detail page's root, when found.
    pub detail: Option<DetailSnapshot>,
}

/// The detail page's root attributes and its Order # text, raw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct DetailSnapshot {
    pub order_id: Option<String>,
    pub order_number: Option<String>,
    pub number_text: Option<String>,
}

/// The core's reading of a [`PageSnapshot`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PageReading {
    /// Whether this is an order page at all (else nothing mounts and the engine waits for a
    /// navigation).
    pub order_page: bool,
    /// Whether this is an orders list: the engines build row widgets ahead only there.
    pub list_page: bool,
    /// One entry per snapshot row: the order it shows, if it is a valid order row on a list page.
    pub rows: Vec<Option<OrderRead>>,
    /// The detail page's order, if this is a detail page that names one.
    pub detail: Option<OrderRead>,
    /// Anchors this page should have, checked once it has settled.
    pub anchors: Vec<AnchorCheck>,
}

/// An order on a page and the NuORDER API path to read its document from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRead {
    pub order: OrderRef,
    pub path: String,
}

/// An expected anchor: when `within` matches something and `css` matches nothing, log `warning`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnchorCheck {
    /// The selector's name (`nuorder::selectors`), as a page report names it.
    pub name: String,
    pub css: String,
    pub within: Option<String>,
    pub warning: String,
}

/// What to read next for an order document, and where its export dialog is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct OrderReads {
    /// API paths of its distinct products, within the in-page limit.
    pub products: Vec<String>,
    /// The page's brand, as staging takes it.
    pub brand: PageBrand,
    /// The export dialog's page for this order, relative to the extension's root.
    pub dialog: String,
}

/// The brand the page shows (upper-left brand switcher).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PageBrand {
    pub id: Option<String>,
    pub name: Option<String>,
}
