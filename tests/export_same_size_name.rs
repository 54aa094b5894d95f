//! One product's size name given to two size rows with different codes (a Regular M and a Tall
//! M: an order's size rows carry no size group), against the sandbox: each row finds or makes its
//! own item and gets its own PO line, and a reorder finds both again by their links.

mod client_support;
mod export_run_support;
use client_support::*;
use export_run_support::*;

use po_bridge::export::journal::MemoryStore;
use po_bridge::export::plan::Resolved;
use po_bridge::export::runner::RunOutcome;
use po_bridge::lightspeed::ItemId;
use serde_json::{json, Value};

const REGULAR_M: &str = "812345003024";
const TALL_M: &str = "812345003048";

/// h02 with a second NAVY "M" of 3 units under another code.
fn two_m() -> Value {
    let mut v = order_json("h02-two-colors-missing-upcs");
    let mut tall = v["line_items"][0]["sizes"][1].clone();
    assert_eq!((tall["size"].as_str(), tall["upc"].as_str()), (Some("M"), Some(REGULAR_M)));
    tall["upc"] = json!(TALL_M);
    tall["quantity"] = json!(3);
    v["line_items"][0]["sizes"].as_array_mut().unwrap().push(tall);
    v
}

/// (units, item id) of each PO line, sorted.
fn lines(env: &Env, po: u64) -> Vec<(i64, u64)> {
    let mut l: Vec<(i64, u64)> = po_lines(env, po).iter().map(|l| (l.1, l.0)).collect();
    l.sort();
    l
}

fn item_id(env: &Env, code: &str) -> u64 {
    let found = items_with_code(env, code);
    assert_eq!(found.len(), 1, "one item with {code}: {found:?}");
    s(&found[0]["itemID"]).parse().unwrap()
}

#[test]
fn two_sizes_of_one_name_with_their_own_codes_stay_two_items() {
    let (env, client) = setup();
    env.post(
        "/seed",
        json!({"replace": false, "accounts": [{"accountID": ACCT, "items": [
            {"description": "Pocket Tee Navy M", "upc": REGULAR_M},
            {"description": "Pocket Tee Navy M Tall", "upc": TALL_M},
        ]}]}),
    );
    let (regular, tall) = (item_id(&env, REGULAR_M), item_id(&env, TALL_M));
    let store = MemoryStore::new();
    let (p, out) = export(&client, &store, &staged(order_from(&two_m())));
    let navy_m: Vec<(u64, Resolved)> = p
        .plan
        .rows
        .iter()
        .filter(|r| r.color.as_deref() == Some("NAVY") && r.size.as_deref() == Some("M"))
        .map(|r| (r.units, r.status.resolved()))
        .collect();
    assert_eq!(navy_m, [(6, Resolved::Existing(ItemId(regular))), (3, Resolved::Existing(ItemId(tall)))]);
    let RunOutcome::Exported { po_id } = out else { panic!("{out:?}") };
    let l = lines(&env, po_id.0);
    assert!(l.contains(&(6, regular)), "Regular M's 6 units on its item: {l:?}");
    assert!(l.contains(&(3, tall)), "Tall M's 3 units on its own item: {l:?}");
}

#[test]
fn two_new_sizes_of_one_name_are_made_once_each_and_found_again() {
    let (env, client) = setup();
    let store = MemoryStore::new();
    let (p, out) = export(&client, &store, &staged(order_from(&two_m())));
    assert_eq!(p.plan.counts.new, 8, "h02's 7 and the second M: {:?}", p.plan.counts);
    let RunOutcome::Exported { po_id } = out else { panic!("{out:?}") };
    let (regular, tall) = (item_id(&env, REGULAR_M), item_id(&env, TALL_M));
    assert_ne!(regular, tall);
    for id in [regular, tall] {
        let item = rows(&tables(&env), "Item").into_iter().find(|i| s(&i["itemID"]) == id.to_string()).unwrap();
        assert_eq!(item["ItemAttributes"]["attribute2"], "M", "{item}");
    }
    let l = lines(&env, po_id.0);
    assert!(l.contains(&(6, regular)) && l.contains(&(3, tall)), "{l:?}");

    // A reorder: both rows Confirmed through the links the first export saved.
    let mut v = two_m();
    v["_id"] = json!("6f3a9c21d4e5b607182900ac");
    v["order_number"] = json!("40718897");
    let (p, out) = export(&client, &store, &staged(order_from(&v)));
    assert_eq!((p.plan.counts.confirmed, p.plan.counts.new), (8, 0), "{:?}", p.plan.counts);
    let RunOutcome::Exported { po_id } = out else { panic!("{out:?}") };
    let l = lines(&env, po_id.0);
    assert!(l.contains(&(6, regular)) && l.contains(&(3, tall)), "{l:?}");
}
