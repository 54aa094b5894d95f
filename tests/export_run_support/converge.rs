//! Helpers for the convergence tests (two exports of one order, `tests/export_converge.rs` and
//! `tests/cli_converge.rs`): the sandbox's holds, and the end state every interleaving must reach.

use super::{ctl, rows, s, tables};
use crate::client_support::*;
use po_bridge::lightspeed::http::Method;
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub const ORDER_POST: &str = "/API/V3/Account/*/Order.json";
pub const ITEM_POST: &str = "/API/V3/Account/*/Item.json";
pub const LINE_POST: &str = "/API/V3/Account/*/OrderLine.json";

/// Holds the next `count` POSTs to `path` → the hold's id.
pub fn hold(env: &Env, path: &str, count: u64) -> u64 {
    ctl(env, "/holds", json!({"method": "POST", "path": path, "count": count}))["id"].as_u64().unwrap()
}

/// Delays the next `count` POSTs to `path` by `ms` each (they run on their own after that).
pub fn delay(env: &Env, path: &str, count: u64, ms: u64) {
    ctl(env, "/holds", json!({"method": "POST", "path": path, "count": count, "delay_ms": ms}));
}

/// Waits until `n` requests are held (8 s at most).
pub fn wait_holding(env: &Env, id: u64, n: u64) {
    ctl(env, &format!("/holds/{id}/wait"), json!({"holding": n, "timeout_ms": 8_000}));
}

/// Lets the first `count` held requests run (in arrival order), answering once they ran.
pub fn release(env: &Env, id: u64, count: u64) {
    ctl(env, &format!("/holds/{id}/release"), json!({"count": count}));
}

/// Releases everything and forgets every hold.
pub fn clear_holds(env: &Env) {
    env.control(Method::Delete, "/holds", Value::Null);
}

fn live(r: &Value) -> bool {
    s(&r["archived"]) != "true"
}

fn by_id(t: &Value, resource: &str) -> BTreeMap<String, Value> {
    rows(t, resource).into_iter().map(|r| (s(&r[format!("{}ID", id_field(resource))]), r)).collect()
}

fn id_field(resource: &str) -> String {
    match resource {
        "ItemMatrix" => "itemMatrix".into(),
        "OrderLine" => "orderLine".into(),
        r => r[..1].to_lowercase() + &r[1..],
    }
}

/// What every interleaving must end with: exactly one live PO with `ref_num`, holding `lines`
/// lines (one per item) of `units` units in all, each for a live item; no two live items made
/// for the same product and size (same description and code); one live vendor `vendor`; and
/// every live item's vendor and matrix live. Returns the PO's id.
pub fn assert_converged(env: &Env, ref_num: &str, vendor: &str, lines: usize, units: i64, what: &str) -> u64 {
    let t = tables(env);
    let pos: Vec<Value> = rows(&t, "Order").into_iter().filter(|o| live(o) && s(&o["refNum"]) == ref_num).collect();
    assert_eq!(pos.len(), 1, "{what}: one live PO: {pos:#?}");
    let po = s(&pos[0]["orderID"]);
    let items = by_id(&t, "Item");
    let po_lines: Vec<Value> = rows(&t, "OrderLine").into_iter().filter(|l| s(&l["orderID"]) == po).collect();
    let mut line_items: Vec<String> = po_lines.iter().map(|l| s(&l["itemID"])).collect();
    line_items.sort();
    assert_eq!(po_lines.len(), lines, "{what}: lines {po_lines:#?}");
    line_items.dedup();
    assert_eq!(line_items.len(), lines, "{what}: one line per item");
    assert_eq!(po_lines.iter().map(|l| s(&l["quantity"]).parse::<i64>().unwrap()).sum::<i64>(), units, "{what}");
    for i in &line_items {
        assert!(items.get(i).is_some_and(live), "{what}: line item {i} is live");
    }
    let vendors: Vec<Value> = rows(&t, "Vendor").into_iter().filter(|v| live(v) && s(&v["name"]) == vendor).collect();
    assert_eq!(vendors.len(), 1, "{what}: one live vendor {vendor}");
    let live_vendors = by_id(&t, "Vendor");
    let matrices = by_id(&t, "ItemMatrix");
    let mut seen: BTreeMap<(String, String, String), String> = BTreeMap::new();
    for (id, i) in items.iter().filter(|(_, i)| live(i)) {
        let key = (s(&i["description"]), s(&i["upc"]), s(&i["ean"]));
        if let Some(other) = seen.insert(key.clone(), id.clone()) {
            panic!("{what}: items {other} and {id} are both live for {key:?}");
        }
        let v = s(&i["defaultVendorID"]);
        assert!(v == "0" || live_vendors.get(&v).is_some_and(live), "{what}: item {id}'s vendor {v} is live");
        let m = s(&i["itemMatrixID"]);
        assert!(m.is_empty() || m == "0" || matrices.get(&m).is_some_and(live), "{what}: item {id}'s matrix {m}");
    }
    assert!(live_vendors.get(&s(&pos[0]["vendorID"])).is_some_and(live), "{what}: the PO's vendor is live");
    po.parse().unwrap()
}

/// The live items in the sandbox that are not in the default seed (ids 1–4).
pub fn live_new_items(env: &Env) -> usize {
    rows(&tables(env), "Item").iter().filter(|i| live(i) && s(&i["itemID"]).parse::<u64>().unwrap() > 4).count()
}

/// Writes this test's part of the reliability figures (`test-results/reliability/<part>.json`, the
/// format `tests/e2e/lib/reliability.mjs` sums into `test-results/reliability.json` on its next
/// aggregate): `interleavings_tried` and `kill_points_survived`.
pub fn figures(part: &str, interleavings: usize, kill_points: usize, detail: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test-results/reliability");
    // ISO 8601 in UTC, as the browser suites write it: `figures.mjs` sorts the parts' times as text.
    let updated = jiff::Timestamp::now().to_string();
    let v = json!({
        "part": part,
        "updated": updated,
        "counts": {"interleavings_tried": interleavings, "kill_points_survived": kill_points},
        "cases": {part: detail},
    });
    if std::fs::create_dir_all(&dir).is_ok() {
        let _ = std::fs::write(dir.join(format!("{part}.json")), serde_json::to_string_pretty(&v).unwrap());
    }
}
