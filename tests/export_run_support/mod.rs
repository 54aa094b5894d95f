//! Shared helpers for the runner tests against the Lightspeed sandbox (`tests/export_run_*.rs`):
//! staging fixture orders, running preview + export, and reading the sandbox's state dump.
#![allow(dead_code)]

pub mod batch;
pub mod converge;
pub mod kill;

use crate::client_support::*;
use po_bridge::export::journal::{JobKey, Journal, MemoryStore};
use po_bridge::export::plan::BrandContext;
use po_bridge::export::runner::{preview, run_export, Preview, RunOutcome, Staged, StartJob};
use po_bridge::lightspeed::client::{LightspeedClient, StaticToken};
use po_bridge::lightspeed::native::{block_on, NativeTransport};
use po_bridge::lightspeed::ShopId;
use po_bridge::nuorder::model::{parse_order, parse_order_value, parse_products, Order, Product};
use serde_json::{json, Value};

pub type Client = LightspeedClient<NativeTransport, ScaledClock, StaticToken>;

pub fn fixture(rel: &str) -> String {
    let path = format!("{}/tests/fixtures/nuorder/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn order(name: &str) -> Order {
    parse_order(&fixture(&format!("orders/{name}.json"))).expect("fixture order validates")
}

pub fn order_json(name: &str) -> Value {
    serde_json::from_str(&fixture(&format!("orders/{name}.json"))).unwrap()
}

pub fn order_from(v: &Value) -> Order {
    parse_order_value(v).expect("order validates")
}

pub fn products() -> Vec<Product> {
    parse_products(&fixture("products.json")).expect("fixture products validate")
}

pub fn staged(order: Order) -> Staged {
    Staged { order, products: products(), brand: BrandContext::default(), store_currency: None }
}

/// A sandbox with relaxed limits, time × 50, a token, and a client.
pub fn setup() -> (Env, Client) {
    let env = start();
    env.relax_limits();
    let clock = env.speed(50.0);
    let t = env.mint(json!({}));
    let client = env.static_client(clock, &t.access_token);
    (env, client)
}

pub fn key(order: &Order) -> JobKey {
    JobKey { account_id: ACCT.into(), order_id: order.id.clone() }
}

/// Preview, then (when ready and not exported) start the job on shop 1.
pub fn export(client: &Client, store: &MemoryStore, s: &Staged) -> (Preview, RunOutcome) {
    let p = block_on(preview(client, store, ACCT, s)).expect("preview");
    if let Some(po_id) = p.existing_po {
        return (p, RunOutcome::AlreadyExported { po_id });
    }
    let start = StartJob { staged: s.clone(), plan: p.plan.clone(), shop_id: ShopId(1), today: "2026-11-27".into() };
    let out = block_on(run_export(client, store, &key(&s.order), Some(start), &mut |_| {})).expect("run_export");
    (p, out)
}

pub fn journal(store: &MemoryStore, s: &Staged) -> Journal {
    block_on(po_bridge::export::journal::JournalStore::load(store, &key(&s.order))).unwrap().expect("journal stored")
}

/// The account's raw tables from the sandbox.
pub fn tables(env: &Env) -> Value {
    env.get(&format!("/accounts/{ACCT}"))["tables"].clone()
}

pub fn rows(t: &Value, resource: &str) -> Vec<Value> {
    t[resource].as_object().map(|m| m.values().cloned().collect()).unwrap_or_default()
}

/// (vendors, matrices, items, orders, order lines) in the sandbox, archived included.
pub fn counts(env: &Env) -> (usize, usize, usize, usize, usize) {
    let t = tables(env);
    (
        rows(&t, "Vendor").len(),
        rows(&t, "ItemMatrix").len(),
        rows(&t, "Item").len(),
        rows(&t, "Order").len(),
        rows(&t, "OrderLine").len(),
    )
}

pub fn s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The PO's lines as (itemID, quantity, price, originalPrice), sorted.
pub fn po_lines(env: &Env, po: u64) -> Vec<(u64, i64, String, String)> {
    let t = tables(env);
    let mut v: Vec<_> = rows(&t, "OrderLine")
        .into_iter()
        .filter(|l| s(&l["orderID"]) == po.to_string())
        .map(|l| {
            (
                s(&l["itemID"]).parse().unwrap(),
                s(&l["quantity"]).parse().unwrap(),
                s(&l["price"]),
                s(&l["originalPrice"]),
            )
        })
        .collect();
    v.sort();
    v
}

/// Live items holding this code key (any 11–14 digit form) in upc or ean.
pub fn items_with_code(env: &Env, code: &str) -> Vec<Value> {
    let key = format!("{:0>14}", code);
    rows(&tables(env), "Item")
        .into_iter()
        .filter(|i| [s(&i["upc"]), s(&i["ean"])].iter().any(|c| !c.is_empty() && format!("{:0>14}", c) == key))
        .collect()
}

/// Decimal text as cents (sandbox prints `18`, `2.5`, `17.1`).
pub fn cents(v: &str) -> i64 {
    let (w, f) = v.split_once('.').unwrap_or((v, ""));
    let f = format!("{:0<2}", f);
    w.parse::<i64>().unwrap() * 100 + f[..2].parse::<i64>().unwrap()
}

/// A control-API POST that retries once on a connection error (a pooled keep-alive connection
/// closed by the server under load); control calls here are safe to repeat.
pub fn ctl(env: &Env, path: &str, body: Value) -> Value {
    use po_bridge::lightspeed::http::{HttpRequest, Method, Transport};
    for attempt in 0..3 {
        let req = HttpRequest::new(Method::Post, format!("{}/__sandbox/lightspeed{path}", env.base))
            .with_json(body.to_string());
        match block_on(env.transport.send(req, 10_000)) {
            Ok(r) => {
                assert!(r.status < 300, "control {path}: {} {}", r.status, r.body);
                return if r.body.trim().is_empty() { Value::Null } else { serde_json::from_str(&r.body).unwrap() };
            }
            Err(e) if attempt < 2 => eprintln!("control {path}: {e}; retrying"),
            Err(e) => panic!("control {path}: {e}"),
        }
    }
    unreachable!()
}
