//! Seeding: the default demo data and the control API's seed documents.

use super::state::State;
use super::store::Account;
use serde_json::{json, Value};

/// Creation order: what a record may refer to exists before it.
pub const SEED_ORDER: &[&str] =
    &["Shop", "Vendor", "Manufacturer", "Category", "ItemAttributeSet", "ItemMatrix", "Item", "Order", "OrderLine"];

fn alias(res: &str) -> &'static str {
    match res {
        "Shop" => "shops",
        "Vendor" => "vendors",
        "Manufacturer" => "manufacturers",
        "Category" => "categories",
        "ItemAttributeSet" => "itemAttributeSets",
        "ItemMatrix" => "itemMatrices",
        "Item" => "items",
        "Order" => "orders",
        "OrderLine" => "orderLines",
        _ => "",
    }
}

/// The default seed: one account with two live shops and an archived one, two vendors and a few
/// items with UPCs (one archived), good for the demo.
pub fn default_seed() -> Value {
    json!({"replace": true, "accounts": [{
        "accountID": "83050", "name": "Harborview Outfitters", "registers": 1,
        "Shop": [
            {"name": "Harborview Main Street", "timeZone": "US/Pacific"},
            {"name": "Harborview Waterfront", "timeZone": "US/Pacific"},
            {"name": "Old Warehouse (closed)", "archived": true}
        ],
        "Vendor": [
            {"name": "Harbor Goods Co.", "accountNumber": "HG-2231"},
            {"name": "Northwind Apparel", "accountNumber": "NW-0098"}
        ],
        "Manufacturer": [{"name": "Harbor Goods"}, {"name": "Northwind"}],
        "Category": [{"name": "Apparel"}, {"name": "Accessories"}],
        "Item": [
            {"description": "Canvas Tote Natural", "upc": "012345678905", "customSku": "HG-TOTE-NAT", "manufacturerSku": "HG1001",
             "defaultCost": "18", "defaultVendorID": "1", "manufacturerID": "1", "categoryID": "2",
             "Prices": {"ItemPrice": [{"amount": "42", "useTypeID": "1"}, {"amount": "45", "useTypeID": "2"}]},
             "ItemVendorNums": {"ItemVendorNum": {"vendorID": "1", "value": "HG1001-NAT", "cost": "18"}},
             "ItemShops": {"ItemShop": [{"shopID": "1", "qoh": "4"}, {"shopID": "2", "qoh": "2"}]}},
            {"description": "Rain Shell Navy M", "upc": "012345678912", "customSku": "HG-SHELL-NAV-M", "manufacturerSku": "HG2040",
             "defaultCost": "64", "defaultVendorID": "1", "manufacturerID": "1", "categoryID": "1",
             "Prices": {"ItemPrice": [{"amount": "149", "useTypeID": "1"}]},
             "ItemVendorNums": {"ItemVendorNum": {"vendorID": "1", "value": "HG2040-NAV-M", "cost": "64"}}},
            {"description": "Merino Beanie Charcoal", "upc": "098765432109", "ean": "0098765432109", "manufacturerSku": "NW-BEA-CH",
             "defaultCost": "11.5", "defaultVendorID": "2", "manufacturerID": "2", "categoryID": "2",
             "Prices": {"ItemPrice": [{"amount": "29", "useTypeID": "1"}]},
             "ItemShops": {"ItemShop": [{"shopID": "1", "qoh": "10"}]}},
            {"description": "Canvas Tote Natural (old barcode)", "upc": "012345678929", "archived": true, "defaultVendorID": "1"}
        ]
    }]})
}

/// Apply a seed document (see LIGHTSPEED.md). Returns a summary of what was created.
pub fn apply(st: &mut State, doc: &Value, now: f64) -> Result<Value, String> {
    let replace = doc.get("replace").and_then(Value::as_bool).unwrap_or(true);
    if replace {
        st.accounts.clear();
        st.buckets.clear();
        st.stats.clear();
    }
    let settings = st.settings.clone();
    let accounts = doc.get("accounts").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut summary = vec![];
    for a in accounts {
        let id =
            a.get("accountID").map(super::model::scalar).filter(|s| !s.is_empty()).unwrap_or_else(|| "83050".into());
        let name = a.get("name").and_then(Value::as_str).unwrap_or("Sandbox Account").to_string();
        let registers =
            a.get("registers").and_then(|r| super::model::scalar(r).parse().ok()).unwrap_or(settings.default_registers);
        let acct = st.accounts.entry(id.clone()).or_insert_with(|| Account::new(&id, &name, registers, now));
        if a.get("registers").is_some() {
            acct.registers = registers.max(1);
        }
        if a.get("name").is_some() {
            acct.name = name;
        }
        if let Some(code) = a.get("currency").and_then(Value::as_str) {
            acct.currency = code.to_string();
        }
        let mut created = serde_json::Map::new();
        for res in SEED_ORDER {
            let list = a.get(*res).or_else(|| a.get(alias(res))).cloned().unwrap_or(Value::Null);
            let list = match list {
                Value::Array(l) => l,
                Value::Object(o) => vec![Value::Object(o)],
                _ => continue,
            };
            let mut ids = vec![];
            for rec in list {
                let Some(rec) = rec.as_object() else { return Err(format!("{res} entries must be objects")) };
                let id = acct.create(res, rec, now, &settings, true).map_err(|e| format!("{res}: {}", e.message))?;
                ids.push(Value::String(id.to_string()));
            }
            created.insert(res.to_string(), Value::Array(ids));
        }
        summary.push(json!({"accountID": id, "created": created}));
    }
    Ok(json!({"accounts": summary}))
}
