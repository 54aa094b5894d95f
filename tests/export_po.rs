//! The purchase order: header, note, lines, quantities and prices.

#[path = "export_support.rs"]
mod support;

use po_bridge::export::plan::RowKey;
use po_bridge::export::po::*;
use po_bridge::lightspeed::{ItemId, OrderId, ShopId, VendorId};
use serde_json::json;
use support::*;

#[test]
fn header_from_an_order_with_discount_surcharge_and_shipping() {
    let o = order("h04-discount-surcharge-shipping");
    let h = PoHeaderDraft::new(&o, "2030-01-01");
    let w = serde_json::to_value(h.to_write(VendorId(7), ShopId(2))).unwrap();
    assert_eq!(w["refNum"], "NuORDER 40718824");
    assert_eq!(w["b2bOrderNumber"], "40718824");
    assert_eq!(w["vendorID"], "7");
    assert_eq!(w["shopID"], "2");
    assert_eq!(w["arrivalDate"], "2026-09-15");
    assert_eq!(w["shipCost"], "25.00");
    assert_eq!(w["otherCost"], "11.91");
    assert!(w.get("orderedDate").is_none(), "the Ordered mark comes after the lines");
    let note = w["Note"]["note"].as_str().unwrap();
    assert!(note.starts_with("NuORDER order #40718824\n"), "{note}");
    assert!(note.contains("Currency: USD") && note.contains("Discount: 10%"), "{note}");
    assert!(note.contains("Rep: "), "{note}");
    assert_eq!(serde_json::to_value(h.ordered_write()).unwrap(), json!({"orderedDate": "2026-06-02"}));
}

#[test]
fn ordered_date_is_today_when_the_order_has_no_created_on() {
    let o = order_of(&[("p1", "S1", None, None, &[("A", 1, "5", None, None)])], "0");
    assert!(o.created_on.is_none());
    let h = PoHeaderDraft::new(&o, "2026-07-04");
    assert_eq!(h.ordered_date, "2026-07-04");
    let w = serde_json::to_value(h.to_write(VendorId(1), ShopId(1))).unwrap();
    assert!(w.get("arrivalDate").is_none() && w.get("shipCost").is_none() && w.get("otherCost").is_none());
    assert_eq!(w["Note"]["note"], "NuORDER order #99000001\nCurrency: USD\nDiscount: 0%");
}

#[test]
fn note_names_order_customer_po_rep_currency_and_discount() {
    let o = order("h01-basic-all-upcs");
    let note = po_note(&o);
    let po = o.customer_po.clone().unwrap();
    let rep = o.rep.name.clone().unwrap();
    assert_eq!(note, format!("NuORDER order #40718821\nCustomer PO #: {po}\nRep: {rep}\nCurrency: USD\nDiscount: 0%"));
}

fn by_product(o: &po_bridge::nuorder::model::Order) -> Vec<LineDraft<String>> {
    // Each row its own item, named product/size.
    po_lines(o, |k: &RowKey| Some(format!("{}/{}", k.product_id, k.size))).unwrap()
}

#[test]
fn prepack_quantities_are_expanded_to_units() {
    let lines = by_product(&order("h03-prepacks"));
    let q: Vec<(String, u64, String)> =
        lines.iter().map(|l| (l.item.clone(), l.quantity, l.price.to_string())).collect();
    assert_eq!(q[0], ("6512ab34cd56ef7890a10005/S/M".into(), 24, "2.50".into())); // 4 packs × 6
    assert_eq!(q[1], ("6512ab34cd56ef7890a10005/L/XL".into(), 12, "2.50".into())); // 2 × 6
    assert_eq!(q[2], ("6512ab34cd56ef7890a10006/PPK-12".into(), 36, "7.00".into())); // 3 × 12
    assert_eq!(q[3].1, 5); // no units_per_pack: 1
}

#[test]
fn line_prices_apply_the_order_discount_rounded_half_away_from_zero() {
    let lines = by_product(&order("h04-discount-surcharge-shipping"));
    let got: Vec<(String, String)> =
        lines.iter().map(|l| (l.price.to_string(), l.original_price.to_string())).collect();
    // 60.80 (after a 5 % line discount from 64) less 10 % = 54.72; 8.25 less 10 % = 7.425 → 7.43.
    assert_eq!(got[0], ("54.72".into(), "64.00".into()));
    assert_eq!(got[1], ("7.43".into(), "8.25".into()));

    let rows: &[(&str, &str, &str)] = &[
        ("18.375", "0", "18.38"),
        ("10.005", "0", "10.01"),
        ("10.015", "0", "10.02"),
        ("19.99", "15", "16.99"), // 16.9915
        ("0.01", "50", "0.01"),   // 0.005 → 0.01
        ("12", "33.5", "7.98"),
    ];
    for (price, disc, want) in rows {
        let o = order_of(&[("p1", "S1", None, None, &[("A", 1, price, None, None)])], disc);
        let l = by_product(&o);
        assert_eq!(l[0].price.to_string(), *want, "{price} less {disc}%");
        assert_eq!(l[0].original_price.to_string(), money(price).to_string());
    }
}

#[test]
fn rows_resolving_to_the_same_item_become_one_line() {
    // p1/A twice (the product listed twice) and p2/B resolving to the same item as p1/A.
    let o = order_of(
        &[
            ("p1", "S1", Some("RED"), None, &[("A", 2, "10", None, None), ("B", 1, "10", None, None)]),
            ("p2", "S2", Some("RED"), None, &[("B", 3, "10", None, Some(2)), ("C", 0, "10", None, None)]),
            ("p1", "S1", Some("RED"), None, &[("A", 4, "10", None, None)]),
            ("p3", "S3", None, None, &[("D", 1, "11", None, None)]),
        ],
        "0",
    );
    let item = |k: &RowKey| -> Option<ItemId> {
        Some(match (k.product_id.as_str(), k.size.as_str()) {
            ("p1", "A") | ("p2", "B") => ItemId(1),
            ("p3", _) => ItemId(1), // same item, other price: its own line
            _ => ItemId(2),
        })
    };
    let lines = po_lines(&o, item).unwrap();
    let got: Vec<(u64, u64, String, usize)> =
        lines.iter().map(|l| (l.item.0, l.quantity, l.price.to_string(), l.rows.len())).collect();
    assert_eq!(got, vec![(1, 2 + 6 + 4, "10.00".into(), 2), (2, 1, "10.00".into(), 1), (1, 1, "11.00".into(), 1)]);
    let w = serde_json::to_value(lines[0].to_write(OrderId(512))).unwrap();
    assert_eq!(
        w,
        json!({"orderID": "512", "itemID": "1", "quantity": "12", "price": "10.00", "originalPrice": "10.00"})
    );
}

#[test]
fn quantity_zero_rows_make_no_line_and_unresolved_rows_are_an_error() {
    let lines = by_product(&order("h02-two-colors-missing-upcs"));
    assert_eq!(lines.len(), 7);
    assert!(lines.iter().all(|l| l.quantity > 0));
    let o = order("h01-basic-all-upcs");
    let err = po_lines::<ItemId>(&o, |_| None).unwrap_err();
    assert_eq!(err.0.product_id, "6512ab34cd56ef7890a10001");
}

#[test]
fn prices_are_never_converted_between_currencies() {
    let lines = by_product(&order("m01-eur-ean13"));
    assert_eq!(lines[0].price.to_string(), "35.00"); // EUR wholesale as sent
}
