//! Helpers for the job-set tests (`tests/export_batch*.rs`): orders that share styles, a set's
//! starts from the batch preview, and the end state a batch of them must reach.

use super::*;
use crate::client_support::*;
use po_bridge::export::batch::{preview_set, JobSet, JobSetStore, OrderState, SetKey};
use po_bridge::export::journal::MemoryStore;
use po_bridge::export::runner::{Staged, StartJob};
use po_bridge::lightspeed::client::{LightspeedClient, TokenSource};
use po_bridge::lightspeed::http::{Clock, Transport};
use po_bridge::lightspeed::native::block_on;
use po_bridge::lightspeed::ShopId;
use serde_json::Value;
use std::future::Future;
use std::task::{Context, Poll};

/// A fixture order as another order (`_id` suffix, number) with only the line items at `lines`.
pub fn variant(base: &str, n: u32, lines: &[usize]) -> Staged {
    staged(order_from(&variant_json(base, n, lines)))
}

/// [`variant`]'s JSON.
pub fn variant_json(base: &str, n: u32, lines: &[usize]) -> Value {
    let mut v: Value = order_json(base);
    v["_id"] = format!("{}{n:02}", &v["_id"].as_str().unwrap()[..22]).into();
    v["order_number"] = format!("5000{n:04}").into();
    let all = v["line_items"].as_array().unwrap().clone();
    v["line_items"] = lines.iter().map(|&i| all[i].clone()).collect::<Vec<_>>().into();
    v
}

/// A fresh sandbox and client ([`setup`]), an empty store, the [`sharing`] orders and their starts:
/// what most job-set tests begin with.
pub fn sharing_set() -> (Env, Client, MemoryStore, Vec<Staged>, Vec<StartJob>) {
    let (env, client) = setup();
    let store = MemoryStore::new();
    let orders = sharing();
    let jobs = starts(&client, &store, &orders);
    (env, client, store, orders, jobs)
}

pub fn starts<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    store: &MemoryStore,
    orders: &[Staged],
) -> Vec<StartJob> {
    let previews = block_on(preview_set(client, store, ACCT, orders)).expect("preview_set");
    orders
        .iter()
        .zip(previews)
        .map(|(s, p)| StartJob {
            staged: s.clone(),
            plan: p.expect("plannable").plan,
            shop_id: ShopId(1),
            today: "2026-11-27".into(),
        })
        .collect()
}

pub fn set_key(orders: &[Staged]) -> SetKey {
    SetKey::of_orders(ACCT, orders.iter().map(|s| s.order.id.as_str()))
}

pub fn stored_set(store: &MemoryStore, key: &SetKey) -> JobSet {
    now(store.load_set(key)).unwrap().expect("set stored")
}

/// A memory-store future, which is ready at once (usable inside a progress callback).
pub fn now<F: Future>(fut: F) -> F::Output {
    let mut fut = std::pin::pin!(fut);
    let waker = futures::task::noop_waker();
    match fut.as_mut().poll(&mut Context::from_waker(&waker)) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("a memory store future was not ready"),
    }
}

pub fn po_of(state: &OrderState) -> u64 {
    match state {
        OrderState::Exported { po_id } => po_id.0,
        other => panic!("not exported: {other:?}"),
    }
}

/// The two orders sharing TEE-101 NAVY (and the second adding OATMEAL), both new.
pub fn sharing() -> Vec<Staged> {
    vec![variant("h02-two-colors-missing-upcs", 1, &[0]), variant("h02-two-colors-missing-upcs", 2, &[0, 1])]
}

/// One export of h02 alone makes 1 vendor, 2 matrices, 7 items; the two orders together make
/// exactly those (the second reuses the first's vendor, NAVY matrix and 4 NAVY items), 2 POs.
pub fn assert_shared_once(env: &Env, set: &JobSet, what: &str) {
    assert_eq!(counts(env), (3, 2, 11, 2, 4 + 7), "{what}: vendors, matrices, items, POs, lines");
    for code in ["812345003017", "812345003024", "812345003031", "812345003116", "812345003123"] {
        assert_eq!(items_with_code(env, code).len(), 1, "{what}: {code}");
    }
    let (a, b) = (po_lines(env, po_of(&set.orders[0].state)), po_lines(env, po_of(&set.orders[1].state)));
    assert_eq!((a.len(), b.len()), (4, 7), "{what}: each PO has its own lines");
    assert_eq!(a.iter().map(|l| l.1).sum::<i64>(), 18, "{what}: NAVY units");
    assert_eq!(b.iter().map(|l| l.1).sum::<i64>(), 26, "{what}: all units");
    assert!(a.iter().all(|l| b.iter().any(|m| m.0 == l.0)), "{what}: the second PO uses the first's items");
    assert_eq!(set.label(), "2 of 2 exported", "{what}");
}

/// [`variant`] of another brand (NuORDER's `__brand_name`).
pub fn branded(base: &str, n: u32, lines: &[usize], brand: &str) -> Staged {
    let mut s = variant(base, n, lines);
    s.order.brand_name = Some(brand.to_string());
    s
}
