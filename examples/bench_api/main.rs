//! API-cost benchmark (run by `./build.sh bench` through `tests/e2e/bench.mjs`; figures, not a test).
//!
//! For orders of 10, 100 and 500 size rows with 0 %, 50 % and 100 % new items it exports the order
//! into a fresh in-process Lightspeed sandbox account (1 register: bucket 90, drip 1/s, burst 20/s)
//! twice — once with PO Bridge's runner and client, once with a deliberately **naive baseline
//! client** written here (one GET per UPC, requests back to back without pacing, `Retry-After`
//! slept on 429) — and prints one JSON document: drips spent and 429s from the sandbox's own
//! accounting, requests by kind, wall time in sandbox seconds, and the minimum drips and the
//! time floor for that order (formula in README "Performance").
//!
//! `cargo run --example bench_api -- [--speed 50] [--sizes 10,100,500] [--mixes 0,50,100]
//! [--no-naive] [--no-batch] [--batch-only]`
//!
//! The batch row (`batch.rs`): 10 orders from two brands as one batch, beside the same orders
//! one by one.
//!
//! The sandbox clock runs `speed` × real time (the bucket drains at sandbox time); the client's
//! clock is scaled the same way, and every time figure is reported in sandbox seconds.

use po_bridge::app::accounts::LightspeedAccount;
use po_bridge::app::memory::MemStore;
use po_bridge::app::status::{page_statuses, RecentAnswers, STATUS_CACHE_MS};
use po_bridge::export::journal::{JobKey, MemoryStore};
use po_bridge::export::plan::BrandContext;
use po_bridge::export::runner::{preview, run_export, RunOutcome, Staged, StartJob};
use po_bridge::lightspeed::client::{ClientConfig, LightspeedClient, StaticToken};
use po_bridge::lightspeed::endpoints::{Archived, ListShops};
use po_bridge::lightspeed::http::{Clock, HttpRequest, Method, Transport};
use po_bridge::lightspeed::native::block_on;
use po_bridge::lightspeed::ShopId;
use po_bridge::nuorder::model::{parse_order_value, parse_products};
use po_bridge::protocol::OrderRef;
use serde_json::{json, Value};
use std::cell::RefCell;
use std::time::Instant;

mod batch;
mod floor;
mod minimum;
mod sandbox;

use minimum::{Creates, Shape};
use sandbox::{by_kind, median, sandbox_stats, start_sandbox, Env, Recorder, ScaledClock};

const ACCT: &str = "83050";
const BRAND: &str = "Bench Goods";
/// Sizes per style (one matrix per style).
const SIZES_PER_STYLE: usize = 5;
const SIZE_NAMES: [&str; SIZES_PER_STYLE] = ["XS", "S", "M", "L", "XL"];

// ------------------------------------------------------------------------------------------------
// Generated orders
// ------------------------------------------------------------------------------------------------

/// A 12-digit UPC-A with its check digit.
fn upc(n: u64) -> String {
    let body = format!("{:011}", 84_000_000_000u64 + n);
    let sum: u32 = body.bytes().enumerate().map(|(i, b)| (b - b'0') as u32 * if i % 2 == 0 { 3 } else { 1 }).sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

struct Generated {
    order: Value,
    products: Value,
    /// Items that already exist in Lightspeed (seeded).
    existing: Vec<Value>,
    styles: usize,
    new_styles: usize,
    new_rows: usize,
}

/// `rows` size rows in styles of 5 sizes; the first `(100 − new_pct) %` of the styles already
/// exist in Lightspeed (every size, matched by UPC), the rest are new.
fn generate(case: usize, rows: usize, new_pct: u32) -> Generated {
    let styles = rows.div_ceil(SIZES_PER_STYLE);
    let new_styles = (styles as f64 * new_pct as f64 / 100.0).round() as usize;
    let existing_styles = styles - new_styles;
    let mut lines = Vec::new();
    let mut products = Vec::new();
    let mut existing = Vec::new();
    let mut new_rows = 0;
    for s in 0..styles {
        let style = format!("BN{case:02}-{s:03}");
        let n = SIZES_PER_STYLE.min(rows - s * SIZES_PER_STYLE);
        let codes: Vec<String> =
            (0..n).map(|z| upc((case as u64) * 10_000 + (s * SIZES_PER_STYLE + z) as u64)).collect();
        let ids = StyleIds { pid: format!("7{case:02}{s:021}"), size_prefix: format!("8{case:02}{s:017}") };
        let (line, product) = style_docs(&style, &ids, &format!("Bench Tee {s}"), BRAND, &codes);
        if s < existing_styles {
            existing.extend(existing_items(&style, &codes));
        } else {
            new_rows += n;
        }
        lines.push(line);
        products.push(product);
    }
    let order = order_doc(format!("9{case:02}{rows:021}"), format!("9{case:02}{rows:05}"), BRAND, lines);
    Generated { order, products: Value::Array(products), existing, styles, new_styles, new_rows }
}

/// The ids of a style's product document: its `_id` (24 digits) and its sizes' `_id` prefix (20).
struct StyleIds {
    pid: String,
    size_prefix: String,
}

/// The seeded Lightspeed items of an existing style (matched by UPC).
fn existing_items(style: &str, codes: &[String]) -> Vec<Value> {
    codes
        .iter()
        .zip(SIZE_NAMES)
        .map(|(code, name)| json!({"description": format!("{style} Black {name}"), "upc": code}))
        .collect()
}

/// One style's order line and product document: a size per code (XS, S, …), 2 units at 12 each,
/// retail 30.
fn style_docs(style: &str, ids: &StyleIds, name: &str, brand: &str, codes: &[String]) -> (Value, Value) {
    let sizes: Vec<Value> = codes
        .iter()
        .zip(SIZE_NAMES)
        .map(|(code, size)| {
            json!({"size": size, "quantity": 2, "price": 12, "original_price": 12, "upc": code,
        "discounts": {"total_discount": 0, "applied": []},
        "surcharges": {"total_surcharge": "0", "applied": []}})
        })
        .collect();
    let psizes: Vec<Value> = codes.iter().zip(SIZE_NAMES).enumerate().map(|(z, (code, size))| json!({"_id": format!("{}{z:04}", ids.size_prefix), "size": size, "size_order": z, "upc": code})).collect();
    let line_total = sizes.len() as u64 * 24;
    let line = json!({
        "product": {"_id": ids.pid, "style_number": style, "color": "BLACK", "color_code": "BLK",
                    "season": "FW26", "brand_id": format!("{style}-BLK"), "department": "APPAREL"},
        "ship_start": "2026-08-20T00:00:00.000Z", "ship_end": "2026-09-15T00:00:00.000Z",
        "discount": 0, "original_total": line_total.to_string(),
        "effective_subtotal": line_total.to_string(), "discounted_total": line_total.to_string(),
        "sizes": sizes,
    });
    let product = json!({
        "_id": ids.pid, "brand_id": format!("{style}-BLK"), "unique_key": format!("{style},FW26,BLACK"),
        "style_number": style, "season": "FW26", "seasons": ["FW26"], "color": "BLACK", "color_code": "BLK",
        "name": name, "description": "Generated for the API benchmark.",
        "category": "Apparel", "department": "APPAREL", "__brand_name": brand,
        "pricing": {"USD": {"wholesale": 12, "retail": 30, "disabled": false}},
        "sizes": psizes, "active": true, "archived": false,
    });
    (line, product)
}

/// An order document of these lines (every size 2 units at 12).
fn order_doc(id: String, number: String, brand: &str, lines: Vec<Value>) -> Value {
    let qty: u64 = lines.iter().map(|l| l["sizes"].as_array().map_or(0, Vec::len) as u64 * 2).sum();
    let total = qty * 12;
    json!({
        "_id": id,
        "order_number": number,
        "status": "approved", "order_type": "Booking", "currency_code": "USD",
        "customer_po_number": format!("BENCH-{number}"),
        "total": total, "total_quantity": qty, "discount": 0, "additional_percentage": 0, "notes": "",
        "start_ship": "2026-08-20T00:00:00.000Z", "end_ship": "2026-09-15T00:00:00.000Z",
        "created_on": "2026-05-04T14:12:09.512Z", "modified_on": "2026-05-04T14:12:09.512Z",
        "rep_name": "Dana Ruiz",
        "retailer": {"_id": "64b2e0c9a1f3d5e7b9c1a2d3", "retailer_name": "Juniper & Pine",
                     "retailer_code": "JP-001", "buyer_name": "Sam Okafor", "buyer_email": "buyer@example.com"},
        "billing_address": {"line_1": "48 Orchard St", "city": "Burlington", "state": "VT", "zip": "05401", "country": "USA"},
        "shipping_address": {"line_1": "48 Orchard St", "city": "Burlington", "state": "VT", "zip": "05401", "country": "USA"},
        "line_items": lines,
        "order_discounts": {"original_total": total.to_string(), "total_after_line_item_discount": total.to_string(),
            "total_line_items_discount": "0", "total_order_level_discount": "0", "discounted_total": total.to_string(),
            "surcharge": "0", "surcharges": {"total_surcharge": "0", "applied": []}, "shipping_final_amount": "0", "applied": []},
        "__brand_name": brand,
    })
}

// ------------------------------------------------------------------------------------------------
// One run
// ------------------------------------------------------------------------------------------------

struct Limits {
    size: f64,
    drip: f64,
    burst: f64,
}

/// Fresh account: the default seed, the bench vendor, the existing items; clock at `speed`; zero
/// stats; a token.
fn fresh(env: &Env, g: &Generated, speed: f64) -> (String, ScaledClock, Limits) {
    fresh_with(env, &[BRAND], &g.existing, speed)
}

/// The same with these vendors and existing items.
fn fresh_with(env: &Env, vendors: &[&str], existing: &[Value], speed: f64) -> (String, ScaledClock, Limits) {
    env.post("/reset", json!({}));
    let vendors: Vec<Value> = vendors.iter().map(|v| json!({"name": v})).collect();
    env.post(
        "/lightspeed/seed",
        json!({"replace": false, "accounts": [{"accountID": ACCT, "vendors": vendors, "items": existing}]}),
    );
    let token = env.post("/lightspeed/tokens", json!({}))["access_token"].as_str().unwrap().to_string();
    env.post("/lightspeed/stats/reset", json!({}));
    env.post("/lightspeed/clock/speed", json!({"speed": speed}));
    // 1 register (the default seed): bucket 90, drip 1/s, burst 20/s.
    (token, ScaledClock::new(speed), Limits { size: 90.0, drip: 1.0, burst: 20.0 })
}

/// PO Bridge: shops (as the dialog and the CLI read them), preview, run_export.
fn run_ours(env: &Env, g: &Generated, speed: f64) -> Value {
    let (token, clock, _) = fresh(env, g, speed);
    let rec = Recorder::new(env.transport.clone());
    let client = LightspeedClient::new(&rec, clock, StaticToken(token), ClientConfig::new(env.base.clone(), ACCT));
    let order = parse_order_value(&g.order).expect("generated order validates");
    let products = parse_products(&g.products.to_string()).expect("generated products validate");
    let staged = Staged { order, products, brand: BrandContext::named(BRAND), store_currency: None };
    let store = MemoryStore::default();
    let t0 = Instant::now();
    let shops = block_on(client.list_all(&ListShops { archived: Archived::Exclude })).expect("shops");
    assert!(!shops.is_empty());
    let p = block_on(preview(&client, &store, ACCT, &staged)).expect("preview");
    assert!(p.existing_po.is_none(), "fresh account has no PO");
    let key = JobKey { account_id: ACCT.into(), order_id: staged.order.id.clone() };
    let start =
        StartJob { staged: staged.clone(), plan: p.plan.clone(), shop_id: ShopId(1), today: "2026-11-27".into() };
    let out = block_on(run_export(&client, &store, &key, Some(start), &mut |_| {})).expect("run_export");
    let real_s = t0.elapsed().as_secs_f64();
    let ok = matches!(out, RunOutcome::Exported { .. });
    let log = rec.log.borrow().clone();
    let n = log.len();
    let busy = *rec.busy_ms.borrow();
    let median_rtt = median(&rec.rtts.borrow());
    json!({
        "outcome": format!("{out:?}"),
        "median_rtt_real_ms": median_rtt,
        "ok": ok,
        "real_s": real_s,
        "sandbox_s": real_s * speed,
        "client_stats": {"requests": client.stats().requests, "drips": client.stats().drips,
                         "rate_limited": client.stats().rate_limited, "paced_sandbox_s": client.stats().paced_ms as f64 / 1000.0},
        "sandbox": sandbox_stats(env),
        "mean_rtt_real_ms": if n > 0 { busy / n as f64 } else { 0.0 },
        "by_kind": by_kind(&log),
    })
}

/// The naive baseline (bench only): what a simple integration does. Back-to-back requests, no
/// pacing, one `GET Item.json?upc=` per size row, matrix + item creates for the new rows, the
/// refNum check, the PO, one POST per line, the Ordered mark; on a 429 it sleeps `Retry-After`
/// (sandbox seconds) and resends.
fn run_naive(env: &Env, g: &Generated, speed: f64) -> Value {
    let (token, clock, _) = fresh(env, g, speed);
    let rec = Recorder::new(env.transport.clone());
    let api = format!("{}/API/V3/Account/{ACCT}", env.base);
    let send = |method: Method, path: &str, body: Option<Value>| -> Value {
        loop {
            let mut req = HttpRequest::new(method, format!("{api}/{path}"))
                .with_header("Authorization", format!("Bearer {token}"))
                .with_header("Accept", "application/json");
            if let Some(b) = &body {
                req = req.with_json(b.to_string());
            }
            let r = block_on(rec.send(req, 30_000)).expect("naive send");
            if r.status == 429 {
                let s: f64 = r.header("retry-after").and_then(|v| v.trim().parse().ok()).unwrap_or(1.0);
                block_on(clock.sleep((s * 1000.0) as u64));
                continue;
            }
            assert!(r.status < 300, "naive {path}: {} {}", r.status, r.body);
            return serde_json::from_str(&r.body).unwrap();
        }
    };
    let t0 = Instant::now();
    send(Method::Get, "Shop.json?archived=false", None);
    let v = send(Method::Get, &format!("Vendor.json?name={}", BRAND.replace(' ', "%20")), None);
    let vendor_id = v["Vendor"]["vendorID"].as_str().unwrap_or("1").to_string();
    let line_items = naive_items(&send, g, &vendor_id);
    let number = g.order["order_number"].as_str().unwrap();
    send(Method::Get, &format!("Order.json?refNum=NuORDER%20{number}&archived=true"), None);
    let o = send(
        Method::Post,
        "Order.json",
        Some(json!({"vendorID": vendor_id, "shopID": "1", "refNum": format!("NuORDER {number}"),
                    "Note": {"note": "Generated by the naive baseline."}})),
    );
    let po = o["Order"]["orderID"].as_str().unwrap().to_string();
    for (item, q) in &line_items {
        send(
            Method::Post,
            "OrderLine.json",
            Some(
                json!({"orderID": po, "itemID": item, "quantity": q.to_string(), "price": "12", "originalPrice": "12"}),
            ),
        );
    }
    send(Method::Put, &format!("Order/{po}.json"), Some(json!({"orderedDate": "2026-11-27"})));
    let real_s = t0.elapsed().as_secs_f64();
    let log = rec.log.borrow().clone();
    let n = log.len();
    let busy = *rec.busy_ms.borrow();
    json!({
        "ok": true,
        "real_s": real_s,
        "sandbox_s": real_s * speed,
        "sandbox": sandbox_stats(env),
        "mean_rtt_real_ms": if n > 0 { busy / n as f64 } else { 0.0 },
        "by_kind": by_kind(&log),
    })
}

/// The naive baseline's rows: one `GET Item.json?upc=` per size row; a missing one is created
/// (with its style's matrix the first time). Item id and quantity per row.
fn naive_items(
    send: &dyn Fn(Method, &str, Option<Value>) -> Value,
    g: &Generated,
    vendor_id: &str,
) -> Vec<(String, u64)> {
    let mut line_items: Vec<(String, u64)> = Vec::new();
    for line in g.order["line_items"].as_array().unwrap() {
        let style = line["product"]["style_number"].as_str().unwrap();
        let mut matrix: Option<String> = None;
        for size in line["sizes"].as_array().unwrap() {
            let code = size["upc"].as_str().unwrap();
            let found = send(Method::Get, &format!("Item.json?upc={code}"), None);
            let item_id = match found["Item"]["itemID"].as_str() {
                Some(id) => id.to_string(),
                None => {
                    let m = match &matrix {
                        Some(m) => m.clone(),
                        None => {
                            let m = send(
                                Method::Post,
                                "ItemMatrix.json",
                                Some(json!({"description": format!("{style} Black"), "itemAttributeSetID": "2",
                                            "defaultVendorID": vendor_id,
                                            "Prices": {"ItemPrice": [{"amount": "30", "useType": "Default"},
                                                                      {"amount": "30", "useType": "MSRP"}]}})),
                            );
                            let id = m["ItemMatrix"]["itemMatrixID"].as_str().unwrap().to_string();
                            matrix = Some(id.clone());
                            id
                        }
                    };
                    let i = send(
                        Method::Post,
                        "Item.json",
                        Some(json!({"description": format!("{style} Black {}", size["size"].as_str().unwrap()),
                                    "upc": code, "itemMatrixID": m, "defaultVendorID": vendor_id,
                                    "defaultCost": "12",
                                    "ItemAttributes": {"itemAttributeSetID": "2", "attribute2": size["size"]},
                                    "ItemVendorNums": {"ItemVendorNum": [{"vendorID": vendor_id, "value": format!("{style}-{}", size["size"].as_str().unwrap())}]},
                                    "Prices": {"ItemPrice": [{"amount": "30", "useType": "Default"},
                                                              {"amount": "30", "useType": "MSRP"}]}})),
                    );
                    i["Item"]["itemID"].as_str().unwrap().to_string()
                }
            };
            line_items.push((item_id, size["quantity"].as_u64().unwrap()));
        }
    }
    line_items
}

/// A NuORDER order list page of `n` orders (a few already exported, by either marker): the
/// Lightspeed requests its statuses cost through the application's one status path, and a reload
/// within the status cache's life.
fn list_page(env: &Env, speed: f64, n: usize) -> Value {
    let g = generate(0, 0, 0);
    let (token, clock, _) = fresh(env, &g, speed);
    let orders = json!([
        {"vendorID": "1", "shopID": "1", "refNum": "NuORDER 70000003", "b2bOrderNumber": "70000003"},
        {"vendorID": "1", "shopID": "1", "b2bOrderNumber": "70000011"},
        {"vendorID": "1", "shopID": "1", "refNum": "NuORDER 70000042", "archived": true},
    ]);
    env.post("/lightspeed/seed", json!({"replace": false, "accounts": [{"accountID": ACCT, "orders": orders}]}));
    env.post("/lightspeed/stats/reset", json!({}));
    let client = LightspeedClient::new(
        env.transport.clone(),
        clock,
        StaticToken(token),
        ClientConfig::new(env.base.clone(), ACCT),
    );
    let account = LightspeedAccount {
        account_id: ACCT.into(),
        name: "Bench".into(),
        client_id: "bench".into(),
        region: Default::default(),
        default_shop_id: None,
        needs_relink: false,
        linked_at_ms: 0,
        currency: None,
    };
    let page: Vec<OrderRef> =
        (0..n).map(|i| OrderRef { order_id: None, order_number: (70_000_000 + i).to_string() }).collect();
    let (store, recent) = (MemStore::new(), RefCell::new(RecentAnswers::default()));
    let requests = || sandbox_stats(env)["requests"].as_u64().unwrap_or(0);
    let now = clock.now_ms();
    let views = block_on(page_statuses(&store, &recent, &client, &account, (&page, Some(1)), now));
    let first = requests();
    let exported = views.iter().filter(|v| v.po_number.is_some()).count();
    block_on(page_statuses(&store, &recent, &client, &account, (&page, Some(1)), now + STATUS_CACHE_MS / 2));
    let reload = requests() - first;
    json!({"orders": n, "exported": exported, "requests": first, "reload_requests": reload,
           "reload_after_ms": STATUS_CACHE_MS / 2, "cache_ms": STATUS_CACHE_MS})
}

/// The drips target of an order: within 2 drips of the minimum under 100 rows, within 1.03 × from
/// 100 rows (issue 17).
fn drips_target(rows: usize, min: f64) -> f64 {
    if rows < 100 {
        min + 2.0
    } else {
        min * 1.03
    }
}

// ------------------------------------------------------------------------------------------------
// Minimum and floor
// ------------------------------------------------------------------------------------------------

fn unit_cost(by_kind: &Value, kind: &str, default: f64) -> f64 {
    let k = &by_kind[kind];
    match (k["requests"].as_f64(), k["drips"].as_f64()) {
        (Some(n), Some(d)) if n > 0.0 => d / n,
        _ => default,
    }
}

/// The time floor (sandbox seconds) of spending `drips` in `requests` from an empty bucket: the
/// bucket absorbs `size` at once, the rest drains at `drip`/s; and the burst limiter admits at
/// most `burst` requests per 1-second window.
fn floor_s(drips: f64, requests: u64, l: &Limits) -> f64 {
    let bucket = ((drips - l.size) / l.drip).max(0.0);
    let burst = ((requests as f64 / l.burst).ceil() - 1.0).max(0.0);
    bucket.max(burst)
}

fn main() {
    let mut speed = 50.0;
    let mut sizes = vec![10usize, 100, 500];
    let mut mixes = vec![0u32, 50, 100];
    let mut naive = true;
    let mut batch_row = true;
    let mut cases_too = true;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let v = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--speed" => speed = v.parse().expect("--speed N"),
            "--sizes" => sizes = v.split(',').map(|s| s.parse().unwrap()).collect(),
            "--mixes" => mixes = v.split(',').map(|s| s.parse().unwrap()).collect(),
            "--no-naive" | "--no-batch" | "--batch-only" => {
                match args[i].as_str() {
                    "--no-naive" => naive = false,
                    "--no-batch" => batch_row = false,
                    _ => cases_too = false,
                }
                i += 1;
                continue;
            }
            other => panic!("unknown argument {other}"),
        }
        i += 2;
    }
    let env = start_sandbox();
    let limits = Limits { size: 90.0, drip: 1.0, burst: 20.0 };
    if !cases_too {
        sizes.clear();
    }
    let cases = run_cases(&env, &sizes, &mixes, speed, naive, &limits);
    let batch = if batch_row { batch::row(&env, speed, &limits) } else { Value::Null };
    eprintln!("bench_api: a 100-order list page and its reload…");
    let page = list_page(&env, speed, 100);
    let out = json!({
        "speed": speed,
        "list_page": page,
        "limits": {"bucket_size": limits.size, "drip_per_s": limits.drip, "burst_per_s": limits.burst, "registers": 1},
        "sizes_per_style": SIZES_PER_STYLE,
        "cases": cases,
        "batch": batch,
    });
    println!("{}", serde_json::to_string_pretty(&out).unwrap());
}

/// Every (rows, mix) case: PO Bridge, the minimum and the floor, and the naive baseline.
fn run_cases(env: &Env, sizes: &[usize], mixes: &[u32], speed: f64, naive: bool, limits: &Limits) -> Vec<Value> {
    let mut cases = Vec::new();
    let mut case = 0;
    for &rows in sizes {
        for &mix in mixes {
            case += 1;
            let g = generate(case, rows, mix);
            eprintln!("bench_api: {rows} rows, {mix} % new: PO Bridge…");
            let ours = run_ours(env, &g, speed);
            let creates = Creates {
                matrix: unit_cost(&ours["by_kind"], "POST ItemMatrix", 1.0),
                item: unit_cost(&ours["by_kind"], "POST Item", 1.0),
                po: unit_cost(&ours["by_kind"], "POST Order", 1.0),
            };
            let shape =
                Shape { brands: 1, codes: rows, new_styles: g.new_styles, new_rows: g.new_rows, orders: 1, rows };
            let min_parts = minimum::parts(&shape, &creates);
            let (min_drips, min_requests) = minimum::total(&min_parts);
            let rtt_s = ours["median_rtt_real_ms"].as_f64().unwrap_or(0.0) * speed / 1000.0;
            let floors = floor::floors(min_drips, min_requests, rows, g.new_rows, rtt_s, limits);
            let floor = floors["floor_s"].as_f64().unwrap_or(0.0);
            let lines_floor = floors["floor_lines_in_order_s"].as_f64().unwrap_or(0.0);
            let naive_run = if naive {
                eprintln!("bench_api: {rows} rows, {mix} % new: naive baseline…");
                run_naive(env, &g, speed)
            } else {
                Value::Null
            };
            let drips = ours["sandbox"]["drips_spent"].as_f64().unwrap_or(0.0);
            let t = ours["sandbox_s"].as_f64().unwrap_or(0.0);
            let own_floor = floor_s(drips, ours["sandbox"]["requests"].as_u64().unwrap_or(0), limits);
            cases.push(json!({
                "rows": rows, "new_pct": mix, "styles": g.styles, "new_styles": g.new_styles, "new_rows": g.new_rows,
                "minimum": {"drips": min_drips, "requests": min_requests, "floor_s": floor, "floors": floors,
                            "by_kind": minimum::to_json(&min_parts),
                            "create_costs": {"matrix": creates.matrix, "item": creates.item, "po": creates.po}},
                "over_by_kind": minimum::over_by_kind(&ours["by_kind"], &min_parts),
                "ours": ours,
                "target_drips": drips_target(rows, min_drips),
                "ours_ratio": {"drips": drips / min_drips,
                               "time_vs_floor": if floor > 0.0 { Some(t / floor) } else { None },
                               "time_vs_lines_in_order_floor": if lines_floor > 0.0 { Some(t / lines_floor) } else { None },
                               "floor_own_drips_s": own_floor},
                "naive": naive_run,
                "naive_ratio": if naive {
                    json!({"drips": naive_run["sandbox"]["drips_spent"].as_f64().unwrap_or(0.0) / min_drips,
                           "time_vs_floor": if floor > 0.0 { Some(naive_run["sandbox_s"].as_f64().unwrap_or(0.0) / floor) } else { None }})
                } else { Value::Null },
            }));
        }
    }
    cases
}
