//! The NuORDER order and product model against the real recorded order, the fixture corpus, a table
//! of invalid inputs (each refused with its field named) and generated JSON.

use po_bridge::nuorder::model::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn real_order_path() -> PathBuf {
    manifest().join("../shared/real-responses/nuorder/processed-order-2023.json")
}

fn money(s: &str) -> Money {
    Money::parse(s).unwrap()
}

// ------------------------------------------------------------------------------------------------
// The real order
// ------------------------------------------------------------------------------------------------

#[test]
fn the_real_2023_order_parses() {
    let text = std::fs::read_to_string(real_order_path()).expect("the real order is read in place from ../shared");
    let order = parse_order(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(order.id, "65089de8ce0aac042cc47b32");
    assert_eq!(order.order_number, "131803493");
    assert_eq!(order.status, Some(OrderStatus::Processed));
    assert_eq!(order.currency.as_str(), "USD");
    assert_eq!(order.customer_po, None, "an empty customer PO is no PO");
    assert_eq!(order.brand_name, None, "the real order has no __brand_name");
    assert_eq!(order.rep.name.as_deref(), Some("Rep Example"));
    assert_eq!(order.rep.code, None);
    assert_eq!(order.retailer.as_ref().and_then(|r| r.name.as_deref()), Some("Example Gourmet"));
    assert_eq!(order.shipping_address.as_ref().and_then(|a| a.city.as_deref()), Some("Tyler"));
    assert_eq!(order.start_ship.as_ref().map(Timestamp::date), Some("2023-09-18"));
    assert_eq!(order.end_ship.as_ref().map(Timestamp::date), Some("2023-12-20"));
    assert_eq!(order.created_on.as_ref().map(Timestamp::date), Some("2023-09-18"));
    assert_eq!(order.discount, Percent::ZERO);
    assert_eq!(order.shipping, Some(Money::ZERO), "order_discounts amounts arrive as strings");
    assert_eq!(order.surcharge, Some(Money::ZERO));
    assert_eq!(order.lines.len(), 8);
    assert_eq!(order.total_units(), 24);
    let first = &order.lines[0];
    assert_eq!(first.product.id, "64229ea416f63f19d7ca3ed0");
    assert_eq!(first.product.style_number, "4156301-4");
    assert_eq!(first.product.color.as_deref(), Some("TURQUOISE, RED"), "commas inside a value");
    assert_eq!(first.product.season.as_deref(), Some("F22"));
    assert_eq!(first.product.brand_id, None, "the real order's products carry no brand_id");
    assert_eq!(first.sizes[0].size.as_deref(), Some("20x20 Set 4"));
    assert_eq!(first.sizes[0].upc.as_deref(), Some("844277082457"));
    assert_eq!(first.sizes[0].quantity, 3);
    assert_eq!(first.sizes[0].price, money("28"));
    assert_eq!(first.sizes[0].original_price, money("28"));
    assert_eq!(first.sizes[0].units_per_pack, 1);
    let last = &order.lines[7];
    assert_eq!(last.product.style_number, "4281301-4");
    assert_eq!(last.sizes[0].upc, None, "style 4281301-4 has no upc");
    // The same document handed over as a JSON value (as from the content script) gives the same order.
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(parse_order_value(&value).unwrap(), order);
}
