//! Shared helpers for the export tests (`#[path]`-included by each `tests/export_*.rs`).
#![allow(dead_code)]

use po_bridge::export::plan::{Catalog, KnownItem, KnownVendor};
use po_bridge::lightspeed::{ItemAttributeSetId, ItemId, VendorId};
use po_bridge::nuorder::model::{parse_order, parse_order_value, parse_products, Money, Order, Product};

pub fn fixture(rel: &str) -> String {
    let path = format!("{}/tests/fixtures/nuorder/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn order(name: &str) -> Order {
    parse_order(&fixture(&format!("orders/{name}.json"))).expect("fixture order validates")
}

pub fn products() -> Vec<Product> {
    parse_products(&fixture("products.json")).expect("fixture products validate")
}

pub fn money(s: &str) -> Money {
    Money::parse(s).unwrap()
}

/// A one-brand order from `(product_id, style, color, brand_id, [(size, qty, price, upc, units_per_pack)])`.
pub type SizeSpec<'a> = (&'a str, u32, &'a str, Option<&'a str>, Option<u32>);

/// `(product_id, style, color, brand_id, sizes)`.
pub type LineSpec<'a> = (&'a str, &'a str, Option<&'a str>, Option<&'a str>, &'a [SizeSpec<'a>]);

pub fn order_of(lines: &[LineSpec], discount: &str) -> Order {
    let line_items: Vec<serde_json::Value> = lines
        .iter()
        .map(|(id, style, color, brand_id, sizes)| {
            serde_json::json!({
                "product": {"_id": id, "style_number": style, "color": color, "brand_id": brand_id},
                "sizes": sizes.iter().map(|(size, q, price, upc, upp)| {
                    let mut s = serde_json::json!({"size": size, "quantity": q, "price": price, "original_price": price});
                    if let Some(u) = upc { s["upc"] = serde_json::json!(u); }
                    if let Some(n) = upp { s["units_per_pack"] = serde_json::json!(n); }
                    s
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    parse_order_value(&serde_json::json!({
        "_id": "6f3a9c21d4e5b607182900ff",
        "order_number": "99000001",
        "currency_code": "USD",
        "discount": discount,
        "__brand_name": "Harbor Goods",
        "line_items": line_items,
    }))
    .expect("synthetic order validates")
}

pub fn item(id: u64, upc: Option<&str>, ean: Option<&str>) -> KnownItem {
    KnownItem {
        id: ItemId(id),
        description: format!("Item {id}"),
        archived: false,
        upc: upc.map(str::to_string),
        ean: ean.map(str::to_string),
        manufacturer_sku: None,
        matrix_id: None,
        attribute_set: None,
        attributes: [None, None, None],
        vendor_numbers: vec![],
    }
}

pub fn archived(mut i: KnownItem) -> KnownItem {
    i.archived = true;
    i
}

/// An item in the stock Color/Size set (attribute1 color, attribute2 size).
pub fn variant(id: u64, color: &str, size: &str) -> KnownItem {
    let mut i = item(id, None, None);
    i.attribute_set = Some(ItemAttributeSetId::COLOR_SIZE);
    i.attributes = [Some(color.into()), Some(size.into()), None];
    i
}

pub fn vendor(id: u64, name: &str) -> KnownVendor {
    KnownVendor { id: VendorId(id), name: name.into(), archived: false, seller_uid: None }
}

pub fn catalog(vendors: Vec<KnownVendor>, items: Vec<KnownItem>) -> Catalog {
    Catalog { vendors, items }
}
