//! New sizes of a product already in Lightspeed join the matrix its other sizes are in, against
//! the sandbox: a reorder with one more size makes no second matrix, and a merchant's own
//! Size-only matrix takes the new sizes in its attribute set.

mod client_support;
mod export_run_support;
use client_support::*;
use export_run_support::*;

use po_bridge::export::journal::MemoryStore;
use po_bridge::export::runner::RunOutcome;
use serde_json::{json, Value};

fn item(env: &Env, code: &str) -> Value {
    let found = items_with_code(env, code);
    assert_eq!(found.len(), 1, "one item with {code}: {found:?}");
    found[0].clone()
}

fn matrix_ids(env: &Env) -> Vec<String> {
    rows(&tables(env), "ItemMatrix").iter().map(|m| s(&m["itemMatrixID"])).collect()
}

#[test]
fn a_reorder_with_a_new_size_adds_it_to_the_products_matrix() {
    let (env, client) = setup();
    let store = MemoryStore::new();
    let (_, out) = export(&client, &store, &staged(order("h02-two-colors-missing-upcs")));
    assert!(matches!(out, RunOutcome::Exported { .. }), "{out:?}");
    let matrices = matrix_ids(&env);
    assert_eq!(matrices.len(), 2, "NAVY and OATMEAL");
    let oatmeal = s(&item(&env, "812345003116")["itemMatrixID"]);

    // The same products again, now with OATMEAL XL (quantity 0 the first time): a new item.
    let mut v = order_json("h02-two-colors-missing-upcs");
    v["_id"] = json!("6f3a9c21d4e5b607182900ab");
    v["order_number"] = json!("40718898");
    v["line_items"][1]["sizes"][3]["quantity"] = json!(3);
    let (p, out) = export(&client, &store, &staged(order_from(&v)));
    assert_eq!(p.plan.counts.new, 1, "{:?}", p.plan.counts);
    let joins: Vec<_> = p.plan.products.iter().map(|p| p.joins.map(|m| m.0.to_string())).collect();
    assert_eq!(joins, [None, Some(oatmeal.clone())], "only OATMEAL has a size to create");
    assert!(matches!(out, RunOutcome::Exported { .. }), "{out:?}");

    assert_eq!(matrix_ids(&env), matrices, "no second OATMEAL matrix, not even an empty one");
    let xl = item(&env, "812345003147");
    assert_eq!(s(&xl["itemMatrixID"]), oatmeal);
    assert_eq!(xl["ItemAttributes"]["attribute1"], "OATMEAL");
    assert_eq!(xl["ItemAttributes"]["attribute2"], "XL");
}

#[test]
fn a_merchants_size_only_matrix_takes_the_new_sizes_in_its_own_set() {
    let (env, client) = setup();
    let ids = env.post(
        "/seed",
        json!({"replace": false, "accounts": [{"accountID": ACCT,
            "itemMatrices": [{"description": "Pocket tee, navy (shop)", "itemAttributeSetID": "2"}],
        }]}),
    );
    let matrix = s(&ids["accounts"][0]["created"]["ItemMatrix"][0]);
    assert!(!matrix.is_empty(), "{ids}");
    let sized = |code: &str, size: &str| {
        json!({"description": format!("Navy tee {size}"), "upc": code, "itemMatrixID": matrix,
               "ItemAttributes": {"itemAttributeSetID": "2", "attribute2": size}})
    };
    env.post(
        "/seed",
        json!({"replace": false, "accounts": [{"accountID": ACCT,
            "items": [sized("812345003017", "S"), sized("812345003024", "M")]}]}),
    );
    let store = MemoryStore::new();
    let (p, out) = export(&client, &store, &staged(order("h02-two-colors-missing-upcs")));
    assert_eq!((p.plan.counts.upc_match, p.plan.counts.new), (2, 5), "{:?}", p.plan.counts);
    assert!(matches!(out, RunOutcome::Exported { .. }), "{out:?}");

    // NAVY L (a code) and NAVY XL (none) join the shop's matrix, Size set, no color attribute.
    let navy_l = item(&env, "812345003031");
    let navy_xl = rows(&tables(&env), "Item")
        .into_iter()
        .find(|i| s(&i["itemMatrixID"]) == matrix && i["ItemAttributes"]["attribute2"] == "XL")
        .expect("NAVY XL in the shop's matrix");
    for new in [&navy_l, &navy_xl] {
        assert_eq!(s(&new["itemMatrixID"]), matrix, "{new}");
        assert_eq!(new["ItemAttributes"]["itemAttributeSetID"], "2", "{new}");
        assert_eq!(new["ItemAttributes"]["attribute1"], "", "{new}");
    }
    assert_eq!(navy_l["ItemAttributes"]["attribute2"], "L");
    // OATMEAL matched nothing: a matrix of its own, as before.
    assert_eq!(matrix_ids(&env).len(), 2, "the shop's and OATMEAL's");
    let oatmeal = item(&env, "812345003116");
    assert_ne!(s(&oatmeal["itemMatrixID"]), matrix);
    assert_eq!(oatmeal["ItemAttributes"]["itemAttributeSetID"], "1");
}
