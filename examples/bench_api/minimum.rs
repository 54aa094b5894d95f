//! The minimum drips of an export, request kind by request kind (README "Performance" has the
//! formula), and what a run spent over it by kind: the bench's measure of what each drip above
//! the minimum is spent on (issue 17, item 3).
//!
//! One shape serves a single order and a batch: a batch counts what its orders share once (the
//! shops, one vendor lookup per brand, its distinct codes and new records) and what each order
//! needs per order (the refNum check, the PO, its lines, the Ordered mark).

use po_bridge::lightspeed::endpoints::ListItemsByCodes;
use serde_json::{json, Value};

/// Codes asked in one `IN` lookup: the client's limit (Lightspeed: at most 100 values per field).
const CODES_PER_LOOKUP: usize = ListItemsByCodes::MAX_CODES;
/// A code lookup loads the items' attributes and vendor numbers: 1 + 0.1 × 2 + 0.2 × 2 (on a list).
const LOOKUP_COST: f64 = 1.6;

/// What an export has to write and ask, at the least.
pub struct Shape {
    /// Vendor lookups: one per brand.
    pub brands: usize,
    /// Distinct codes to match (one form each).
    pub codes: usize,
    /// Distinct new styles (one matrix each) and new size rows (one item each).
    pub new_styles: usize,
    pub new_rows: usize,
    /// POs, and their lines in all.
    pub orders: usize,
    pub rows: usize,
}

/// The sandbox's cost of each create with the nested entities it must carry (1 + 0.5 each), taken
/// from what it charged the measured run for that request kind.
pub struct Creates {
    pub matrix: f64,
    pub item: f64,
    pub po: f64,
}

/// One request kind of the minimum: `requests` requests costing `drips` in all.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub kind: &'static str,
    pub requests: u64,
    pub drips: f64,
}

fn part(kind: &'static str, requests: usize, each: f64) -> Part {
    Part { kind, requests: requests as u64, drips: requests as f64 * each }
}

/// The minimum by request kind, in the order an export sends them; kinds with no request left out.
pub fn parts(s: &Shape, c: &Creates) -> Vec<Part> {
    let all = [
        part("GET Shop", 1, 1.0),
        part("GET Vendor", s.brands, 1.0),
        part("GET Item", s.codes.div_ceil(CODES_PER_LOOKUP), LOOKUP_COST),
        part("POST ItemMatrix", s.new_styles, c.matrix),
        part("POST Item", s.new_rows, c.item),
        part("GET Order", s.orders, 1.0),
        part("POST Order", s.orders, c.po),
        part("POST OrderLine", s.rows, 1.0),
        part("PUT Order", s.orders, 1.0),
    ];
    all.into_iter().filter(|p| p.requests > 0).collect()
}

/// The minimum's drips and requests.
pub fn total(parts: &[Part]) -> (f64, u64) {
    (parts.iter().map(|p| p.drips).sum(), parts.iter().map(|p| p.requests).sum())
}

pub fn to_json(parts: &[Part]) -> Value {
    Value::Object(
        parts.iter().map(|p| (p.kind.to_string(), json!({"requests": p.requests, "drips": p.drips}))).collect(),
    )
}

/// What a run spent over the minimum, by request kind (`by_kind` as the sandbox counted the run:
/// `{kind: {requests, drips}}`): every kind whose drips or requests differ, the largest excess
/// first, each `{kind, requests, drips}` as the difference (negative where the run spent less).
pub fn over_by_kind(by_kind: &Value, parts: &[Part]) -> Value {
    let mut kinds: Vec<String> = parts.iter().map(|p| p.kind.to_string()).collect();
    if let Some(m) = by_kind.as_object() {
        kinds.extend(m.keys().filter(|k| !parts.iter().any(|p| p.kind == k.as_str())).cloned());
    }
    let mut over: Vec<(String, i64, f64)> = kinds
        .into_iter()
        .map(|k| {
            let min = parts.iter().find(|p| p.kind == k);
            let spent = &by_kind[k.as_str()];
            let requests = spent["requests"].as_u64().unwrap_or(0) as i64 - min.map_or(0, |p| p.requests as i64);
            let drips = spent["drips"].as_f64().unwrap_or(0.0) - min.map_or(0.0, |p| p.drips);
            (k, requests, (drips * 1000.0).round() / 1000.0)
        })
        .filter(|(_, requests, drips)| *requests != 0 || drips.abs() >= 0.001)
        .collect();
    over.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    Value::Array(
        over.into_iter()
            .map(|(kind, requests, drips)| json!({"kind": kind, "requests": requests, "drips": drips}))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const COSTS: Creates = Creates { matrix: 2.0, item: 3.0, po: 1.5 };

    fn order(rows: usize, new_styles: usize, new_rows: usize) -> Shape {
        Shape { brands: 1, codes: rows, new_styles, new_rows, orders: 1, rows }
    }

    #[test]
    fn a_single_orders_minimum_is_the_readmes_formula() {
        // README: 1 + 1 + ⌈U/100⌉ × 1.6 + M × 2 + N × 3 + 1 + 1.5 + R + 1.
        for (shape, drips, requests) in [
            (order(10, 0, 0), 17.1, 16),
            (order(10, 1, 5), 34.1, 22),
            (order(10, 2, 10), 51.1, 28),
            (order(100, 10, 50), 277.1, 166),
            (order(500, 0, 0), 513.5, 510),
            (order(101, 0, 0), 109.7, 108),
        ] {
            let (d, r) = total(&parts(&shape, &COSTS));
            assert!((d - drips).abs() < 1e-9, "{d} drips, want {drips}");
            assert_eq!(r, requests);
        }
    }

    #[test]
    fn a_batch_counts_what_it_shares_once_and_each_orders_own_per_order() {
        let shape = Shape { brands: 2, codes: 380, new_styles: 38, new_rows: 190, orders: 10, rows: 500 };
        let p = parts(&shape, &COSTS);
        let kind = |k: &str| p.iter().find(|x| x.kind == k).cloned().unwrap();
        assert_eq!(kind("GET Vendor").requests, 2);
        assert_eq!(kind("GET Item").requests, 4);
        assert_eq!(kind("GET Order").requests, 10);
        assert_eq!(kind("PUT Order").requests, 10);
        assert_eq!(kind("POST OrderLine").requests, 500);
        // The batch row of README's table: 1190.4 drips in 765 requests.
        let (d, r) = total(&p);
        assert!((d - 1190.4).abs() < 1e-9, "{d}");
        assert_eq!(r, 765);
    }

    #[test]
    fn no_new_item_means_no_create_kind() {
        let kinds: Vec<_> = parts(&order(10, 0, 0), &COSTS).into_iter().map(|p| p.kind).collect();
        assert!(!kinds.contains(&"POST Item") && !kinds.contains(&"POST ItemMatrix"), "{kinds:?}");
    }

    #[test]
    fn the_excess_is_named_by_kind_largest_first() {
        let p = parts(&order(10, 2, 10), &COSTS);
        let spent = json!({
            "GET Shop": {"requests": 1, "drips": 1.0},
            "GET Vendor": {"requests": 1, "drips": 1.0},
            "GET Item": {"requests": 2, "drips": 3.2},
            "GET ItemMatrix": {"requests": 1, "drips": 1.0},
            "POST ItemMatrix": {"requests": 2, "drips": 4.0},
            "POST Item": {"requests": 10, "drips": 30.0},
            "GET Order": {"requests": 4, "drips": 4.0},
            "POST Order": {"requests": 1, "drips": 1.5},
            "GET OrderLine": {"requests": 1, "drips": 1.0},
            "POST OrderLine": {"requests": 10, "drips": 10.0},
        });
        let over = over_by_kind(&spent, &p);
        assert_eq!(
            over,
            json!([
                {"kind": "GET Order", "requests": 3, "drips": 3.0},
                {"kind": "GET Item", "requests": 1, "drips": 1.6},
                {"kind": "GET ItemMatrix", "requests": 1, "drips": 1.0},
                {"kind": "GET OrderLine", "requests": 1, "drips": 1.0},
                {"kind": "PUT Order", "requests": -1, "drips": -1.0},
            ])
        );
        // The parts sum to what the rows of `over` add to the minimum.
        let sum: f64 = over.as_array().unwrap().iter().map(|o| o["drips"].as_f64().unwrap()).sum();
        let spent_total: f64 = spent.as_object().unwrap().values().map(|v| v["drips"].as_f64().unwrap()).sum();
        assert!((total(&p).0 + sum - spent_total).abs() < 1e-9);
    }
}
