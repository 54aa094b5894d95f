//! The NuORDER fixture corpus (`tests/fixtures/nuorder/`) covers what issue 4 asks for and is
//! internally consistent: products exist for every line, UPC check digits hold, totals add up.

use serde_json::Value;
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/nuorder")
}

fn load(p: PathBuf) -> Value {
    serde_json::from_str(&std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))).unwrap()
}

fn orders() -> Vec<(String, Value)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir().join("orders")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files.into_iter().map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), load(p))).collect()
}

fn sizes(o: &Value) -> impl Iterator<Item = (&Value, &Value)> {
    o["line_items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|li| li["sizes"].as_array().unwrap().iter().map(move |s| (li, s)))
}

fn gs1_ok(code: &str) -> bool {
    if !(code.len() == 12 || code.len() == 13) || !code.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let digits: Vec<u32> = code.bytes().map(|b| (b - b'0') as u32).collect();
    let (body, check) = digits.split_at(digits.len() - 1);
    let sum: u32 = body.iter().rev().enumerate().map(|(i, d)| if i % 2 == 0 { d * 3 } else { *d }).sum();
    (10 - sum % 10) % 10 == check[0]
}

fn amount(v: &Value) -> f64 {
    v.as_str().map(|s| s.parse().unwrap()).or(v.as_f64()).unwrap_or_else(|| panic!("amount {v}"))
}

#[test]
fn every_order_says_what_it_is_for_and_belongs_to_a_known_brand() {
    let brands = load(dir().join("brands.json"));
    let brand_ids: Vec<&str> = brands.as_array().unwrap().iter().map(|b| b["_id"].as_str().unwrap()).collect();
    let readme = std::fs::read_to_string(dir().join("README.md")).unwrap();
    let all = orders();
    assert!(all.len() >= 10, "at least ten orders");
    let mut with_orders = std::collections::HashSet::new();
    let mut ids = std::collections::HashSet::new();
    let mut numbers = std::collections::HashSet::new();
    for (name, o) in &all {
        let purpose = o["__fixture_purpose"].as_str().unwrap_or_default();
        assert!(!purpose.trim().is_empty() && !purpose.contains('\n'), "{name}: one-line __fixture_purpose");
        let b = o["__fixture_brand_id"].as_str().unwrap();
        assert!(brand_ids.contains(&b), "{name}: unknown brand {b}");
        with_orders.insert(b);
        assert!(readme.contains(&format!("`orders/{name}`")), "{name} is missing from README.md");
        let id = o["_id"].as_str().unwrap();
        assert!(id.len() == 24 && id.chars().all(|c| c.is_ascii_hexdigit()), "{name}: _id");
        assert!(
            ids.insert(id.to_string()) && numbers.insert(o["order_number"].as_str().unwrap().to_string()),
            "{name}: duplicate id/number"
        );
    }
    assert!(with_orders.len() >= 2, "orders across at least two brands");
}

#[test]
fn lines_match_products_and_upcs_are_valid() {
    let products = load(dir().join("products.json"));
    let products = products.as_array().unwrap();
    for (name, o) in orders() {
        let currency = o["currency_code"].as_str().unwrap();
        for li in o["line_items"].as_array().unwrap() {
            let lp = &li["product"];
            let p = products
                .iter()
                .find(|p| p["_id"] == lp["_id"])
                .unwrap_or_else(|| panic!("{name}: product {} not in products.json", lp["_id"]));
            for k in ["style_number", "color", "season"] {
                assert_eq!(p[k], lp[k], "{name}: product {k}");
            }
            assert!(
                p["name"].is_string() && p["pricing"][currency]["wholesale"].is_number(),
                "{name}: product name/pricing in {currency}"
            );
            for s in li["sizes"].as_array().unwrap() {
                let ps = p["sizes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|x| x["size"] == s["size"])
                    .unwrap_or_else(|| panic!("{name}: size {} not on product", s["size"]));
                assert_eq!(ps["upc"], s["upc"], "{name}: size {} upc differs from product", s["size"]);
                if let Some(code) = s["upc"].as_str().filter(|c| *c != "N/A") {
                    assert!(gs1_ok(code), "{name}: bad check digit {code}");
                }
            }
        }
    }
}

#[test]
fn totals_add_up() {
    for (name, o) in orders() {
        let od = &o["order_discounts"];
        let (mut original, mut after_lines, mut units) = (0.0, 0.0, 0.0);
        for (_, s) in sizes(&o) {
            let upp = s["units_per_pack"].as_f64().unwrap_or(1.0);
            let q = s["quantity"].as_f64().unwrap();
            original += q * upp * s["original_price"].as_f64().unwrap();
            after_lines += q * upp * s["price"].as_f64().unwrap();
            units += q * upp;
        }
        let close = |a: f64, b: f64| (a - b).abs() < 0.011;
        assert!(close(amount(&od["original_total"]), original), "{name}: original_total");
        assert!(close(amount(&od["total_after_line_item_discount"]), after_lines), "{name}: after line discounts");
        let expected =
            amount(&od["discounted_total"]) + amount(&od["surcharge"]) + amount(&od["shipping_final_amount"]);
        assert!(close(o["total"].as_f64().unwrap(), expected), "{name}: total");
        assert_eq!(o["total_quantity"].as_f64().unwrap(), units, "{name}: total_quantity");
    }
}

#[test]
fn the_corpus_covers_every_case_the_issue_lists() {
    let all = orders();
    let any = |f: &dyn Fn(&Value) -> bool| all.iter().any(|(_, o)| f(o));
    let any_size = |f: &dyn Fn(&Value) -> bool| all.iter().any(|(_, o)| sizes(o).any(|(_, s)| f(s)));
    let text = |o: &Value| o.to_string();

    assert!(
        any(&|o| sizes(o).all(|(_, s)| s["upc"].as_str().is_some_and(gs1_ok))),
        "an order with every size having a UPC"
    );
    assert!(any_size(&|s| s.get("upc").is_none()), "a size without upc");
    assert!(any_size(&|s| s["upc"] == "N/A"), "a size with upc N/A");
    assert!(
        any_size(&|s| s["upc"].as_str().is_some_and(|u| u.starts_with('0') && gs1_ok(u))),
        "a UPC with leading zeros"
    );
    assert!(any_size(&|s| s["upc"].as_str().is_some_and(|u| u.len() == 13 && !u.starts_with('0'))), "an EAN-13");
    assert!(
        any(&|o| {
            let lines = o["line_items"].as_array().unwrap();
            lines.iter().any(|a| {
                lines.iter().any(|b| {
                    a["product"]["style_number"] == b["product"]["style_number"]
                        && a["product"]["color"] != b["product"]["color"]
                })
            })
        }),
        "one style in two colors"
    );
    assert!(any_size(&|s| s["units_per_pack"].as_u64().is_some_and(|n| n > 1)), "a prepack");
    assert!(any(&|o| amount(&o["order_discounts"]["total_order_level_discount"]) > 0.0), "order-level discount");
    assert!(any(&|o| amount(&o["order_discounts"]["surcharge"]) > 0.0), "surcharge");
    assert!(any(&|o| amount(&o["order_discounts"]["shipping_final_amount"]) > 0.0), "shipping");
    assert!(any(&|o| o["currency_code"] != "USD"), "non-USD currency");
    assert!(any(&|o| o["status"] == "cancelled"), "a cancelled order");
    assert!(any(&|o| sizes(o).count() >= 300), "300+ size rows");
    assert!(any(&|o| text(o).contains("<img src=x onerror=alert(1)>")), "HTML in names");
    assert!(any(&|o| text(o).chars().any(|c| c as u32 >= 0x1F300)), "emoji");
    assert!(any(&|o| text(o).contains('é')), "accents");
    assert!(
        any(&|o| o["retailer"]["retailer_name"].as_str().unwrap().contains('"')
            && o["shipping_address"].to_string().contains('\'')),
        "quotes"
    );
    assert!(any_size(&|s| s["quantity"] == 0), "a size with quantity 0");
    let without_brand = all.iter().filter(|(_, o)| o.get("__brand_name").is_none()).count();
    assert!(without_brand >= 1 && without_brand * 2 < all.len(), "__brand_name on most orders but not all");
    assert!(
        any(&|o| o["line_items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|li| li["sizes"][0]["price"] != li["sizes"][0]["original_price"])),
        "a line discount"
    );
    for (name, o) in &all {
        let bytes = o.to_string().len();
        assert!(bytes < 200_000, "{name} is {bytes} bytes");
    }
}
