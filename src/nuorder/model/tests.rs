//! Unit tests of the model's private helpers (the public behaviour is in `tests/model_nuorder.rs`).

use super::errors::{describe, Document, ModelError, Reason};
use super::parse::serde_error;
use super::types::Timestamp;

#[test]
fn timestamps() {
    for ok in ["2026-09-15", "2026-09-15T00:00:00.000Z", "2024-02-29T10:00:00+02:00", "2026-09-15 10:00"] {
        assert!(Timestamp::parse(ok).is_some(), "{ok}");
    }
    for bad in [
        "",
        "2026-9-15",
        "2026-13-01",
        "2025-02-29",
        "2026-09-31",
        "15/09/2026",
        "2026-09-15X",
        "2026-09-15T<b>",
        "0000-01-01",
    ] {
        assert!(Timestamp::parse(bad).is_none(), "{bad}");
    }
    assert_eq!(Timestamp::parse("2026-09-15T00:00:00.000Z").unwrap().date(), "2026-09-15");
}

#[test]
fn the_parsers_recursion_limit_is_a_typed_error() {
    // The model's own types never recurse, but serde_json's limit must still map cleanly.
    let deep = format!("{}{}", "[".repeat(500), "]".repeat(500));
    let err = serde_json::from_str::<serde_json::Value>(&deep).unwrap_err();
    assert_eq!(serde_error(Document::Order, "", String::new(), err), ModelError::TooDeep { document: Document::Order });
}

#[test]
fn paths_read_as_places() {
    let r = Reason::Negative { got: "-1".into() };
    assert_eq!(
        describe("Order", "line_items[2].sizes[0].quantity", &r),
        "Order line 3, size row 1: quantity must not be negative (got -1) [line_items[2].sizes[0].quantity]"
    );
    assert_eq!(describe("Order", "order_number", &Reason::Missing), "Order: order number is missing [order_number]");
    assert_eq!(describe("Order", "line_items", &Reason::NoLines), "Order: the order has no lines [line_items]");
    assert_eq!(
        describe("Order", "line_items[0].sizes[4]", &Reason::NoSizeOrUpc),
        "Order line 1, size row 5: has neither a size nor a UPC [line_items[0].sizes[4]]"
    );
    assert_eq!(
        describe("Product", "products[3].pricing.USD.retail", &Reason::Empty),
        "Product product 4: pricing.USD.retail is empty [products[3].pricing.USD.retail]"
    );
    assert_eq!(
        describe("Order", "line_items[1].product.style_number", &Reason::Missing),
        "Order line 2: product.style_number is missing [line_items[1].product.style_number]"
    );
}
