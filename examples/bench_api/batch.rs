//! The batch row (issue 19, item 5): 10 orders of 50 size rows (10 styles of 5 sizes) from two
//! brands, half of each brand's styles new (the others seeded as existing items with their UPCs),
//! a third of each brand's styles in more than one order — exported as one batch by PO Bridge
//! (`preview_set`, `start_job_set`, `run_job_set`) and, on a fresh account, the same orders one by
//! one (`preview` + `run_export` each, one client), against the batch's minimum drips and its
//! time floor.
//!
//! Per brand: 38 distinct styles, 12 shared (each in two or three of the brand's 5 orders) and 26
//! in one order; the even-numbered shared and the even-numbered unique styles are new (6 + 13 = 19
//! of 38). The batch minimum (README "Performance") is the single order's (`minimum.rs`) with the
//! shared parts counted once: one vendor lookup per brand, the batch's distinct codes, each new
//! matrix and item once; per order the refNum check, the PO, its lines and the Ordered mark.

use super::minimum::{self, Creates, Shape};
use super::sandbox::{by_kind, sandbox_stats, Env, Recorder};
use super::{existing_items, floor_s, fresh_with, order_doc, style_docs, unit_cost, upc, Limits, StyleIds, ACCT};
use po_bridge::export::batch::{preview_set, run_job_set, start_job_set, SetKey, SetRun};
use po_bridge::export::journal::{JobKey, MemoryStore};
use po_bridge::export::plan::BrandContext;
use po_bridge::export::runner::{preview, run_export, RunOutcome, Staged, StartJob};
use po_bridge::lightspeed::client::{ClientConfig, LightspeedClient, StaticToken};
use po_bridge::lightspeed::endpoints::{Archived, ListShops};
use po_bridge::lightspeed::native::block_on;
use po_bridge::lightspeed::ShopId;
use po_bridge::nuorder::model::{parse_order_value, parse_products};
use serde_json::{json, Value};
use std::time::Instant;

const BRANDS: [&str; 2] = ["Bench Goods", "Bench Basics"];
const ORDERS_PER_BRAND: usize = 5;
const STYLES_PER_ORDER: usize = 10;
const SHARED: usize = 12;
const UNIQUE: usize = 26;
const SIZES: usize = 5;

/// The batch's orders, their products, the seeded items, and its distinct counts.
pub struct Batch {
    orders: Vec<Staged>,
    existing: Vec<Value>,
    codes: usize,
    new_styles: usize,
    new_rows: usize,
    rows: usize,
}

/// Shared style `j` is in orders `j mod 5` and `(j + 1) mod 5` (and a third one for none): the
/// orders get 5, 6, 5, 4, 4 shared styles, then their unique ones up to 10 styles each.
fn styles_of(k: usize) -> Vec<usize> {
    let mut shared: Vec<usize> =
        (0..SHARED).filter(|j| j % ORDERS_PER_BRAND == k || (j + 1) % ORDERS_PER_BRAND == k).collect();
    let before: usize = (0..k)
        .map(|o| {
            STYLES_PER_ORDER
                - (0..SHARED).filter(|j| j % ORDERS_PER_BRAND == o || (j + 1) % ORDERS_PER_BRAND == o).count()
        })
        .sum();
    let unique = STYLES_PER_ORDER - shared.len();
    shared.extend((before..before + unique).map(|u| SHARED + u));
    shared
}

fn is_new(s: usize) -> bool {
    if s < SHARED {
        s.is_multiple_of(2)
    } else {
        (s - SHARED).is_multiple_of(2)
    }
}

pub fn generate() -> Batch {
    let mut orders = Vec::new();
    let mut existing = Vec::new();
    let (mut codes, mut new_styles, mut new_rows, mut rows) = (0, 0, 0, 0);
    for (b, brand) in BRANDS.iter().enumerate() {
        let mut lines_of: Vec<Vec<Value>> = vec![Vec::new(); ORDERS_PER_BRAND];
        let mut products = Vec::new();
        for s in 0..SHARED + UNIQUE {
            let style = format!("BB{b}-{s:03}");
            let style_codes: Vec<String> =
                (0..SIZES).map(|z| upc(500_000 + (b * 10_000 + s * 10 + z) as u64)).collect();
            let ids = StyleIds { pid: format!("6{b:02}{s:021}"), size_prefix: format!("5{b:02}{s:017}") };
            let (line, product) = style_docs(&style, &ids, &format!("Batch Tee {b}-{s}"), brand, &style_codes);
            codes += SIZES;
            if is_new(s) {
                new_styles += 1;
                new_rows += SIZES;
            } else {
                existing.extend(existing_items(&style, &style_codes));
            }
            for k in (0..ORDERS_PER_BRAND).filter(|&k| styles_of(k).contains(&s)) {
                lines_of[k].push(line.clone());
            }
            products.push(product);
        }
        let products = parse_products(&Value::Array(products).to_string()).expect("generated products validate");
        for (k, lines) in lines_of.into_iter().enumerate() {
            rows += lines.len() * SIZES;
            let doc = order_doc(format!("6{b}{k:022}"), format!("8{b}{k:06}"), brand, lines);
            let order = parse_order_value(&doc).expect("generated order validates");
            orders.push(Staged {
                order,
                products: products.clone(),
                brand: BrandContext::named(brand),
                store_currency: None,
            });
        }
    }
    Batch { orders, existing, codes, new_styles, new_rows, rows }
}

fn client<'r>(
    env: &Env,
    rec: &'r Recorder,
    token: String,
    clock: super::ScaledClock,
) -> LightspeedClient<&'r Recorder, super::ScaledClock, StaticToken> {
    LightspeedClient::new(rec, clock, StaticToken(token), ClientConfig::new(env.base.clone(), ACCT))
}

fn start_of(s: &Staged, plan: po_bridge::export::plan::Plan) -> StartJob {
    StartJob { staged: s.clone(), plan, shop_id: ShopId(1), today: "2026-11-27".into() }
}

/// The figures of one run.
fn report(env: &Env, rec: &Recorder, t0: Instant, speed: f64, exported: usize, n: usize) -> Value {
    let real_s = t0.elapsed().as_secs_f64();
    let log = rec.log.borrow().clone();
    json!({"exported": exported, "orders": n, "ok": exported == n, "real_s": real_s, "sandbox_s": real_s * speed,
           "sandbox": sandbox_stats(env), "by_kind": by_kind(&log)})
}

/// PO Bridge's batch: shops, the batch preview, one job set.
fn run_batch(env: &Env, g: &Batch, speed: f64) -> Value {
    let (token, clock, _) = fresh_with(env, &BRANDS, &g.existing, speed);
    let rec = Recorder::new(env.transport.clone());
    let client = client(env, &rec, token, clock);
    let store = MemoryStore::default();
    let t0 = Instant::now();
    block_on(client.list_all(&ListShops { archived: Archived::Exclude })).expect("shops");
    let previews = block_on(preview_set(&client, &store, ACCT, &g.orders)).expect("preview_set");
    let jobs: Vec<StartJob> =
        g.orders.iter().zip(previews).map(|(s, p)| start_of(s, p.expect("plannable").plan)).collect();
    let key = SetKey::of_orders(ACCT, g.orders.iter().map(|s| s.order.id.as_str()));
    let run = block_on(async {
        start_job_set(&store, &key, &jobs).await?;
        run_job_set(&client, &store, &key, &g.orders, &mut |_, _| {}).await
    })
    .expect("run_job_set");
    assert_eq!(run, SetRun::Finished);
    let set = block_on(po_bridge::export::batch::JobSetStore::load_set(&store, &key)).unwrap().unwrap();
    let (exported, n) = set.progress();
    report(env, &rec, t0, speed, exported, n)
}

/// The same orders one by one: shops once, then preview + export each.
fn run_one_by_one(env: &Env, g: &Batch, speed: f64) -> Value {
    let (token, clock, _) = fresh_with(env, &BRANDS, &g.existing, speed);
    let rec = Recorder::new(env.transport.clone());
    let client = client(env, &rec, token, clock);
    let store = MemoryStore::default();
    let t0 = Instant::now();
    block_on(client.list_all(&ListShops { archived: Archived::Exclude })).expect("shops");
    let mut exported = 0;
    for s in &g.orders {
        let p = block_on(preview(&client, &store, ACCT, s)).expect("preview");
        let key = JobKey { account_id: ACCT.into(), order_id: s.order.id.clone() };
        let out =
            block_on(run_export(&client, &store, &key, Some(start_of(s, p.plan)), &mut |_| {})).expect("run_export");
        exported += usize::from(matches!(out, RunOutcome::Exported { .. }));
    }
    report(env, &rec, t0, speed, exported, g.orders.len())
}

/// The batch row: both runs, the minimum and the floor.
pub fn row(env: &Env, speed: f64, limits: &Limits) -> Value {
    let g = generate();
    eprintln!("bench_api: batch of {} orders, {} rows: PO Bridge batch…", g.orders.len(), g.rows);
    let batch = run_batch(env, &g, speed);
    eprintln!("bench_api: the same orders one by one…");
    let one = run_one_by_one(env, &g, speed);
    let creates = Creates {
        matrix: unit_cost(&batch["by_kind"], "POST ItemMatrix", 2.0),
        item: unit_cost(&batch["by_kind"], "POST Item", 3.0),
        po: unit_cost(&batch["by_kind"], "POST Order", 1.5),
    };
    let n = g.orders.len();
    let shape = Shape {
        brands: BRANDS.len(),
        codes: g.codes,
        new_styles: g.new_styles,
        new_rows: g.new_rows,
        orders: n,
        rows: g.rows,
    };
    let parts = minimum::parts(&shape, &creates);
    let (drips, requests) = minimum::total(&parts);
    let floor = floor_s(drips, requests, limits);
    let spent = |r: &Value| r["sandbox"]["drips_spent"].as_f64().unwrap_or(0.0);
    json!({
        "orders": n, "brands": BRANDS.len(), "rows": g.rows, "distinct_styles": 2 * (SHARED + UNIQUE),
        "shared_styles": 2 * SHARED, "new_styles": g.new_styles, "new_rows": g.new_rows, "distinct_codes": g.codes,
        "minimum": {"drips": drips, "requests": requests, "floor_s": floor, "by_kind": minimum::to_json(&parts),
                    "create_costs": {"matrix": creates.matrix, "item": creates.item, "po": creates.po}},
        "over_by_kind": {"batch": minimum::over_by_kind(&batch["by_kind"], &parts),
                         "one_by_one": minimum::over_by_kind(&one["by_kind"], &parts)},
        "batch": batch, "one_by_one": one,
        "batch_ratio": {"drips": spent(&batch) / drips, "time_vs_floor": batch["sandbox_s"].as_f64().unwrap_or(0.0) / floor},
        "one_by_one_ratio": {"drips": spent(&one) / drips, "time_vs_floor": one["sandbox_s"].as_f64().unwrap_or(0.0) / floor},
    })
}
