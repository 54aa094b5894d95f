//! The time floor of an order (issue 17, item 4): `max((D − B)/d, ⌈Q/L⌉ − 1, k × r)`: the bucket's
//! drain, the burst limiter's windows, and the round trips of the longest chain of requests that
//! must run one after another (k of them, r the median round trip measured in the same run).

use super::{floor_s, Limits};
use serde_json::{json, Value};

/// The requests on the longest chain that must run one after another: shops → code lookups →
/// vendor → matrix → item → PO → line → Ordered mark; an order with no new item has no matrix and
/// no item on it.
pub fn chain(new_rows: usize) -> u64 {
    if new_rows > 0 {
        8
    } else {
        6
    }
}

/// The floor with `k` requests in a chain of round trips of `rtt_s` (sandbox seconds).
pub fn floor_chain_s(drips: f64, requests: u64, k: u64, rtt_s: f64, l: &Limits) -> f64 {
    floor_s(drips, requests, l).max(k as f64 * rtt_s)
}

/// An order's floors: the (one line on the chain) and the one with the PO's lines created
/// one after another (all `rows` lines on the chain: the order's order is kept only that way).
pub fn floors(drips: f64, requests: u64, rows: usize, new_rows: usize, rtt_s: f64, l: &Limits) -> Value {
    let k = chain(new_rows);
    let lines_k = k + rows.saturating_sub(1) as u64;
    json!({
        "floor_s": floor_chain_s(drips, requests, k, rtt_s, l),
        "floor_bucket_s": floor_s(drips, requests, l),
        "chain": k,
        "rtt_s": rtt_s,
        "chain_lines_in_order": lines_k,
        "floor_lines_in_order_s": floor_chain_s(drips, requests, lines_k, rtt_s, l),
    })
}
