//! Shared helpers for the update tests (`tests/update_*.rs`): export a fixture order, edit its
//! JSON as a brand would in NuORDER, review and apply the update, read the PO back.
#![allow(dead_code)]

use crate::client_support::*;
use crate::export_run_support::*;
use po_bridge::app::platform::native_date_in_zone;
use po_bridge::export::journal::JobKey;
use po_bridge::export::runner::{RunOutcome, Staged};
use po_bridge::lightspeed::native::block_on;
use po_bridge::update::{review, run_update, MemoryUpdates, Reviewed, UpdatePlan, UpdateRun};
use serde_json::{json, Value};

pub const H01: &str = "h01-basic-all-upcs";

/// Exports `v` (an order's JSON) with `store`; the PO's id.
pub fn export_v(client: &Client, store: &MemoryUpdates, v: &Value) -> u64 {
    let (_, out) = export(client, &store.journals, &staged(order_from(v)));
    match out {
        RunOutcome::Exported { po_id } => po_id.0,
        other => panic!("export: {other:?}"),
    }
}

pub fn staged_v(v: &Value) -> Staged {
    staged(order_from(v))
}

/// The size row `size` of line `line`.
pub fn size_mut(v: &mut Value, line: usize, size: usize) -> &mut Value {
    &mut v["line_items"][line]["sizes"][size]
}

pub fn set_qty(v: &mut Value, line: usize, size: usize, q: u64) {
    size_mut(v, line, size)["quantity"] = json!(q);
}

/// A line discount: `price` after it, `original` before.
pub fn set_price(v: &mut Value, line: usize, size: usize, price: f64, original: f64) {
    let s = size_mut(v, line, size);
    s["price"] = json!(price);
    s["original_price"] = json!(original);
}

pub fn add_size(v: &mut Value, line: usize, size: &str, q: u64, price: f64, upc: &str) {
    let sizes = v["line_items"][line]["sizes"].as_array_mut().unwrap();
    sizes.push(json!({"size": size, "quantity": q, "price": price, "original_price": price, "upc": upc,
        "discounts": {"total_discount": 0, "applied": []}, "surcharges": {"total_surcharge": "0", "applied": []}}));
}

pub fn set_end_ship(v: &mut Value, date: &str) {
    v["end_ship"] = json!(format!("{date}T00:00:00.000Z"));
}

pub fn set_shipping(v: &mut Value, amount: &str) {
    v["order_discounts"]["shipping_final_amount"] = json!(amount);
}

pub fn key_v(v: &Value) -> JobKey {
    JobKey { account_id: ACCT.into(), order_id: v["_id"].as_str().unwrap().into() }
}

pub fn reviewed(client: &Client, store: &MemoryUpdates, v: &Value, archive: bool) -> Reviewed {
    block_on(review(client, store, ACCT, &staged_v(v), archive, &native_date_in_zone)).expect("review")
}

/// The plan of the update (panics when there is none).
pub fn plan(client: &Client, store: &MemoryUpdates, v: &Value, archive: bool) -> UpdatePlan {
    match reviewed(client, store, v, archive) {
        Reviewed::Plan(p) => *p,
        other => panic!("no plan: {other:?}"),
    }
}

pub fn apply(client: &Client, store: &MemoryUpdates, v: &Value, plan: &UpdatePlan) -> UpdateRun {
    block_on(run_update(client, store, &key_v(v), Some(plan), 1_000, &mut |_| {})).expect("run_update")
}

/// Review and apply; the run.
pub fn update(client: &Client, store: &MemoryUpdates, v: &Value) -> (UpdatePlan, UpdateRun) {
    let p = plan(client, store, v, false);
    let run = apply(client, store, v, &p);
    (p, run)
}

/// The PO's lines as (orderLineID, itemID, quantity, price), by line id.
pub fn lines_of(env: &Env, po: u64) -> Vec<(u64, u64, i64, String)> {
    let t = tables(env);
    let mut v: Vec<_> = rows(&t, "OrderLine")
        .into_iter()
        .filter(|l| s(&l["orderID"]) == po.to_string())
        .map(|l| {
            (
                s(&l["orderLineID"]).parse().unwrap(),
                s(&l["itemID"]).parse().unwrap(),
                s(&l["quantity"]).parse().unwrap(),
                s(&l["price"]),
            )
        })
        .collect();
    v.sort();
    v
}

/// The PO as the sandbox stores it.
pub fn po_row(env: &Env, po: u64) -> Value {
    rows(&tables(env), "Order").into_iter().find(|o| s(&o["orderID"]) == po.to_string()).expect("the PO")
}

/// A line added by hand in Lightspeed (another item, seeded): its line id.
pub fn hand_line(env: &Env, client: &Client, po: u64) -> u64 {
    use po_bridge::lightspeed::endpoints::CreateOrderLine;
    use po_bridge::lightspeed::{ItemId, OrderId, OrderLineWrite};
    env.post(
        "/seed",
        json!({"replace": false, "accounts": [{"accountID": ACCT, "items": [{"description": "Hand-added", "upc": "000000000994"}]}]}),
    );
    let item: u64 = rows(&tables(env), "Item")
        .into_iter()
        .find(|i| s(&i["upc"]) == "000000000994")
        .map(|i| s(&i["itemID"]).parse().unwrap())
        .unwrap();
    let w = OrderLineWrite {
        order_id: Some(OrderId(po)),
        item_id: Some(ItemId(item)),
        quantity: Some(2),
        price: Some(po_bridge::core::Money::parse("5.00").unwrap()),
        ..OrderLineWrite::default()
    };
    block_on(client.one(&CreateOrderLine(w))).unwrap().order_line_id.0
}
