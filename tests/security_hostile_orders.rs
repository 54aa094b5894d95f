//! S4 (issue 8): hostile order data is refused with a clear error, or kept as inert text.
//!
//! Every text field carrying HTML/script survives parsing byte for byte (it is escaped where it is
//! shown, see the browser suite); absurd values — 10⁹ quantities, negative prices, 10,000 lines,
//! JSON nested thousands deep, lone UTF-16 surrogates, numbers that are not numbers — are refused
//! with an error that names the field. The generated-input property tests of the parser live in
//! `tests/model_nuorder.rs`. The number of hostile inputs tried is written to
//! `test-results/reliability/native-security-hostile.json` for the figures file.

use po_bridge::nuorder::model::{parse_order, parse_order_value};
use serde_json::{json, Value};
use std::path::PathBuf;

fn fixture(name: &str) -> Value {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/nuorder/orders").join(name);
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn base() -> Value {
    fixture("h01-basic-all-upcs.json")
}

/// A hostile case: a name, the order document, and what the error must mention (None = accepted).
struct Case {
    name: &'static str,
    order: Value,
    error_mentions: Option<&'static [&'static str]>,
}

fn with(f: impl FnOnce(&mut Value)) -> Value {
    let mut o = base();
    f(&mut o);
    o
}

fn cases() -> Vec<Case> {
    let huge_lines = with(|o| {
        let line = o["line_items"][0].clone();
        o["line_items"] = Value::Array((0..10_000).map(|_| line.clone()).collect());
    });
    // Deep enough to be absurd, shallow enough for a 2 MB test thread (serde_json::Value is recursive;
    // the 100,000-deep case goes through the text parser below, which stops at 128 levels).
    let mut deep = json!("x");
    for _ in 0..500 {
        deep = json!([deep]);
    }
    let deep_order = with(|o| o["notes"] = deep.clone());
    vec![
        Case {
            name: "quantity 10^9",
            order: with(|o| o["line_items"][0]["sizes"][0]["quantity"] = json!(1_000_000_000u64)),
            error_mentions: Some(&["quantity"]),
        },
        Case {
            name: "quantity -1",
            order: with(|o| o["line_items"][0]["sizes"][0]["quantity"] = json!(-1)),
            error_mentions: Some(&["quantity"]),
        },
        Case {
            name: "quantity 1.5",
            order: with(|o| o["line_items"][0]["sizes"][0]["quantity"] = json!(1.5)),
            error_mentions: Some(&["quantity"]),
        },
        Case {
            name: "quantity \"1e9\"",
            order: with(|o| o["line_items"][0]["sizes"][0]["quantity"] = json!("1e9")),
            error_mentions: Some(&["quantity"]),
        },
        Case {
            name: "negative price",
            order: with(|o| o["line_items"][0]["sizes"][0]["price"] = json!(-12.5)),
            error_mentions: Some(&["price"]),
        },
        Case {
            name: "price 10^12",
            order: with(|o| o["line_items"][0]["sizes"][0]["price"] = json!(1e12)),
            error_mentions: Some(&["price"]),
        },
        Case {
            name: "price NaN-like string",
            order: with(|o| o["line_items"][0]["sizes"][0]["price"] = json!("NaN")),
            error_mentions: Some(&["price"]),
        },
        Case { name: "10,000 lines", order: huge_lines, error_mentions: Some(&["line"]) },
        Case { name: "JSON nested 500 deep", order: deep_order, error_mentions: Some(&["notes"]) },
        Case {
            // A field the PO carries (the notes, never written, are left out instead).
            name: "text field 100k chars",
            order: with(|o| o["customer_po_number"] = json!("A".repeat(100_000))),
            error_mentions: Some(&["customer_po_number"]),
        },
        Case { name: "order is an array", order: json!([1, 2, 3]), error_mentions: Some(&["order"]) },
        Case {
            name: "HTML in every text field is kept as text",
            order: with(|o| {
                let evil = "<img src=x onerror=alert(1)></script><b>\"'&";
                o["retailer"]["retailer_name"] = json!(evil);
                o["notes"] = json!(evil);
                o["customer_po_number"] = json!(evil);
                o["line_items"][0]["product"]["name"] = json!(evil);
                o["line_items"][0]["product"]["style_number"] = json!(evil);
                o["line_items"][0]["product"]["color"] = json!(evil);
            }),
            error_mentions: None,
        },
    ]
}

fn write_figures(tried: usize) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test-results/reliability");
    std::fs::create_dir_all(&dir).unwrap();
    let part = json!({
        "part": "native-security-hostile",
        "updated": null,
        "counts": {"hostile_inputs_tried": tried},
        "cases": {"S4 native": {"hostile_inputs_tried": tried, "note": "parse_order / parse_order_value; property tests in tests/model_nuorder.rs"}},
    });
    std::fs::write(dir.join("native-security-hostile.json"), serde_json::to_string_pretty(&part).unwrap()).unwrap();
}

#[test]
fn hostile_orders_are_refused_with_a_clear_error_or_kept_as_text() {
    let cases = cases();
    let mut tried = 0;
    for c in &cases {
        tried += 1;
        let result = parse_order_value(&c.order);
        match (c.error_mentions, result) {
            (Some(words), Err(e)) => {
                let text = e.to_string();
                for w in words {
                    assert!(
                        text.to_lowercase().contains(&w.to_lowercase()),
                        "{}: error {text:?} should mention {w:?}",
                        c.name
                    );
                }
                assert!(text.len() < 600, "{}: error too long for a person: {text}", c.name);
            }
            (Some(_), Ok(_)) => panic!("{}: accepted", c.name),
            (None, Err(e)) => panic!("{}: refused: {e}", c.name),
            (None, Ok(order)) => {
                let evil = "<img src=x onerror=alert(1)></script><b>\"'&";
                assert_eq!(order.notes.as_deref(), Some(evil), "{}: notes kept byte for byte", c.name);
            }
        }
    }
    // Text documents: lone surrogates and deep nesting reach the text parser too.
    let text_cases: Vec<(&str, String, &str)> = vec![
        (
            "lone high surrogate",
            serde_json::to_string(&base()).unwrap().replacen("\"notes\":", "\"notes\":\"\\ud800\",\"x_notes\":", 1),
            "json",
        ),
        (
            "lone low surrogate",
            serde_json::to_string(&base()).unwrap().replacen("\"notes\":", "\"notes\":\"\\udc00abc\",\"x_notes\":", 1),
            "json",
        ),
        ("nested 100,000 deep", format!("{{\"notes\":{}1{}}}", "[".repeat(100_000), "]".repeat(100_000)), "notes"),
        ("truncated", "{\"order_number\":\"1".to_string(), "json"),
    ];
    for (name, text, word) in &text_cases {
        tried += 1;
        let e = parse_order(text).expect_err(name);
        assert!(e.to_string().to_lowercase().contains(word), "{name}: {e}");
    }
    write_figures(tried);
}
