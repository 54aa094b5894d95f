//! Item 1's rule (issue 18): an order matches what its PO was made from until something that
//! matters to the PO changes — its lines as the export builds them, units, unit prices after
//! discounts, the ship window's end, shipping and other costs, a cancellation — and never because
//! of a timestamp alone, the order of its rows, or what the PO does not carry.

mod client_support;
mod export_run_support;
use export_run_support::*;

use po_bridge::app::made_from::PoSource;
use po_bridge::update::{Basis, Difference};
use serde_json::{json, Value};

fn source_of(v: &Value) -> PoSource {
    PoSource::of_order(&order_from(v), "83050", 1)
}

fn diff(then: &Value, now: &Value) -> Vec<Difference> {
    source_of(then).basis().differences(&Basis::of_order(&order_from(now)))
}

#[test]
fn the_same_order_matches_and_timestamps_or_row_order_do_not_count() {
    let v = order_json("h04-discount-surcharge-shipping");
    assert!(source_of(&v).matches(&order_from(&v)));
    let mut now = v.clone();
    now["modified_on"] = json!("2026-07-01T10:00:00.000Z");
    now["edited"] = json!(true);
    now["start_ship"] = json!("2026-08-20T09:30:00.000Z"); // same day, another hour
    now["line_items"].as_array_mut().unwrap().reverse();
    assert_eq!(diff(&v, &now), vec![], "only timestamps and row order moved");
}

#[test]
fn what_the_po_does_not_carry_is_no_difference() {
    // The brand moving the order along (approved → processed → shipped) and the ship window's
    // start: the PO has neither (its arrival date is the window's end).
    let v = order_json("h04-discount-surcharge-shipping");
    for status in ["processed", "shipped", "SHIPPED"] {
        let mut now = v.clone();
        now["status"] = json!(status);
        now["start_ship"] = json!("2026-01-02T00:00:00.000Z");
        assert_eq!(diff(&v, &now), vec![], "{status}");
    }
    let mut cancelled = v.clone();
    cancelled["status"] = json!("canceled");
    assert_eq!(diff(&v, &cancelled), vec![Difference::Status], "NuORDER's other spelling");
    assert_eq!(diff(&cancelled, &v), vec![Difference::Status], "a cancelled order that came back");
}

#[test]
fn what_matters_to_the_po_is_a_difference() {
    let v = order_json("h04-discount-surcharge-shipping");
    type Edit = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Edit, Vec<Difference>)> = vec![
        ("units", Box::new(|v| v["line_items"][0]["sizes"][0]["quantity"] = json!(1)), vec![Difference::Lines]),
        ("a line price", Box::new(|v| v["line_items"][0]["sizes"][0]["price"] = json!(1.5)), vec![Difference::Lines]),
        ("the order discount", Box::new(|v| v["discount"] = json!(20)), vec![Difference::Lines]),
        (
            "a size added",
            Box::new(|v| {
                let s = v["line_items"][0]["sizes"][0].clone();
                let mut s2 = s.clone();
                s2["size"] = json!("XXS");
                v["line_items"][0]["sizes"].as_array_mut().unwrap().push(s2);
            }),
            vec![Difference::Lines],
        ),
        (
            "the ship window",
            Box::new(|v| v["end_ship"] = json!("2026-12-01T00:00:00.000Z")),
            vec![Difference::ShipWindow],
        ),
        (
            "shipping",
            Box::new(|v| v["order_discounts"]["shipping_final_amount"] = json!("30")),
            vec![Difference::Costs],
        ),
        ("other costs", Box::new(|v| v["order_discounts"]["surcharge"] = json!("0")), vec![Difference::Costs]),
        ("the status", Box::new(|v| v["status"] = json!("cancelled")), vec![Difference::Status]),
    ];
    for (what, edit, want) in cases {
        let mut now = v.clone();
        edit(&mut now);
        assert_eq!(diff(&v, &now), want, "{what}");
        assert!(!source_of(&v).matches(&order_from(&now)), "{what}");
    }
}

#[test]
fn rows_of_one_item_at_one_price_compare_as_one_line() {
    // The same product and size listed twice (two deliveries) is one PO line: moving units
    // between the two rows changes nothing for the PO; changing the total does.
    let mut v = order_json("h01-basic-all-upcs");
    let twin = v["line_items"][0].clone();
    v["line_items"].as_array_mut().unwrap().push(twin);
    let mut moved = v.clone();
    moved["line_items"][0]["sizes"][0]["quantity"] = json!(20);
    moved["line_items"][2]["sizes"][0]["quantity"] = json!(4);
    assert_eq!(diff(&v, &moved), vec![], "12 + 12 = 20 + 4");
    moved["line_items"][2]["sizes"][0]["quantity"] = json!(5);
    assert_eq!(diff(&v, &moved), vec![Difference::Lines]);
    let b = Basis::of_order(&order_from(&v));
    assert_eq!(b.lines.len(), 3, "the tote twice is one line: {b:#?}");
    assert_eq!(b.lines.iter().map(|l| l.quantity).sum::<u64>(), 36);
}

#[test]
fn cancelled_or_empty_orders_say_so() {
    let mut v = order_json("h01-basic-all-upcs");
    assert!(!po_bridge::update::is_cancelled(&order_from(&v)));
    for (l, n) in [(0, 1), (1, 2)] {
        for s in 0..n {
            v["line_items"][l]["sizes"][s]["quantity"] = json!(0);
        }
    }
    assert!(po_bridge::update::is_cancelled(&order_from(&v)));
    assert!(Basis::of_order(&order_from(&v)).is_cancelled());
    let mut c = order_json("h01-basic-all-upcs");
    c["status"] = json!("cancelled");
    assert!(po_bridge::update::is_cancelled(&order_from(&c)));
}
