//! The order and product documents the NuORDER sandbox serves, read once at startup from
//! `tests/fixtures/nuorder/` (and the real recorded orders in `../shared/real-responses/nuorder/`
//! when that folder exists). Documents are served as stored, less the `__fixture_*` fields.

use serde::Serialize;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// Where the committed fixtures live (the crate is at `tests/sandbox`).
pub fn default_fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/nuorder")
}

/// Where recorded real orders live when the shared folder sits beside the repository.
pub fn default_recorded_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/real-responses/nuorder")
}

/// Order statuses NuORDER knows (nuorder.md §2.2).
pub const STATUSES: &[&str] = &["draft", "review", "pending", "approved", "processed", "shipped", "cancelled"];

#[derive(Debug, Clone, Serialize)]
pub struct Brand {
    #[serde(rename = "_id")]
    pub id: String,
    pub name: String,
    pub slug: String,
}

#[derive(Debug, Clone)]
pub struct StoredOrder {
    pub brand_id: String,
    /// The document as served (fixture-only fields removed).
    pub doc: Value,
}

impl StoredOrder {
    pub fn id(&self) -> &str {
        self.doc["_id"].as_str().unwrap_or("")
    }
    pub fn number(&self) -> &str {
        self.doc["order_number"].as_str().unwrap_or("")
    }
    pub fn status(&self) -> &str {
        self.doc["status"].as_str().unwrap_or("")
    }
}

#[derive(Debug, Default)]
pub struct Corpus {
    pub brands: Vec<Brand>,
    pub orders: Vec<StoredOrder>,
    pub products: Vec<Value>,
    /// Products built from order lines whose product is not in `products` (the recorded orders).
    pub synthesized: Vec<Value>,
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("NuORDER sandbox: cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("NuORDER sandbox: {} is not valid JSON: {e}", path.display()))
}

fn strip_fixture_fields(v: &mut Value) -> Map<String, Value> {
    let mut taken = Map::new();
    if let Value::Object(m) = v {
        let keys: Vec<String> = m.keys().filter(|k| k.starts_with("__fixture_")).cloned().collect();
        for k in keys {
            if let Some(x) = m.remove(&k) {
                taken.insert(k, x);
            }
        }
    }
    taken
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => {
            rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "json")).collect()
        }
        Err(_) => Vec::new(),
    };
    files.sort();
    files
}

impl Corpus {
    /// Read the corpus. A missing fixture folder gives an empty corpus (with a warning); a file
    /// that is present but broken panics, naming the file.
    pub fn load(fixtures: &Path, recorded: Option<&Path>) -> Corpus {
        let mut corpus = Corpus::default();
        if !fixtures.is_dir() {
            eprintln!("NuORDER sandbox: no fixture folder at {}; serving no orders", fixtures.display());
            return corpus;
        }
        let mut recorded_brand = None;
        if let Value::Array(brands) = read_json(&fixtures.join("brands.json")) {
            for b in brands {
                let s = |k: &str| b[k].as_str().unwrap_or_default().to_string();
                if b["hosts_recorded_orders"].as_bool() == Some(true) {
                    recorded_brand = Some(s("_id"));
                }
                corpus.brands.push(Brand { id: s("_id"), name: s("name"), slug: s("slug") });
            }
        }
        if let Value::Array(products) = read_json(&fixtures.join("products.json")) {
            for mut p in products {
                strip_fixture_fields(&mut p);
                corpus.products.push(p);
            }
        }
        for path in json_files(&fixtures.join("orders")) {
            let mut doc = read_json(&path);
            let meta = strip_fixture_fields(&mut doc);
            let brand_id = meta
                .get("__fixture_brand_id")
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("NuORDER sandbox: {} has no __fixture_brand_id", path.display()));
            corpus.orders.push(StoredOrder { brand_id: brand_id.to_string(), doc });
        }
        if let (Some(dir), Some(brand)) = (recorded, recorded_brand) {
            for path in json_files(dir) {
                let Ok(text) = std::fs::read_to_string(&path) else { continue };
                let Ok(doc) = serde_json::from_str::<Value>(&text) else { continue };
                if doc["_id"].is_string() && doc["order_number"].is_string() && doc["line_items"].is_array() {
                    corpus.orders.push(StoredOrder { brand_id: brand.clone(), doc });
                }
            }
        }
        corpus.synthesize_missing_products();
        corpus
    }

    fn synthesize_missing_products(&mut self) {
        let mut made = Vec::new();
        for o in &self.orders {
            let currency = o.doc["currency_code"].as_str().unwrap_or("USD").to_string();
            for li in o.doc["line_items"].as_array().into_iter().flatten() {
                let p = &li["product"];
                let Some(id) = p["_id"].as_str() else { continue };
                if self.product(id).is_some() || made.iter().any(|m: &Value| m["_id"] == id) {
                    continue;
                }
                let sizes: Vec<Value> = li["sizes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|s| {
                        let mut out = serde_json::json!({"size": s["size"]});
                        if !s["upc"].is_null() {
                            out["upc"] = s["upc"].clone();
                        }
                        out
                    })
                    .collect();
                let wholesale = li["sizes"][0]["original_price"].clone();
                let retail: Option<f64> = li["retail_string"]
                    .as_str()
                    .and_then(|r| r.trim_start_matches(|c: char| !c.is_ascii_digit()).replace(',', "").parse().ok());
                let style = p["style_number"].as_str().unwrap_or("");
                let color = p["color"].as_str().unwrap_or("");
                made.push(serde_json::json!({
                    "_id": id,
                    "style_number": style,
                    "season": p["season"],
                    "color": color,
                    "color_code": p["color_code"],
                    "department": p["department"],
                    "name": format!("{style} {color}").trim().to_string(),
                    "pricing": {currency.clone(): {"wholesale": wholesale, "retail": retail, "disabled": false}},
                    "sizes": sizes,
                    "__sandbox_synthesized": true,
                }));
            }
        }
        self.synthesized = made;
    }

    pub fn brand(&self, id: &str) -> Option<&Brand> {
        self.brands.iter().find(|b| b.id == id)
    }

    pub fn order_by_id(&self, id: &str) -> Option<&StoredOrder> {
        self.orders.iter().find(|o| o.id() == id)
    }

    pub fn order_by_number(&self, n: &str) -> Option<&StoredOrder> {
        self.orders.iter().find(|o| o.number() == n)
    }

    pub fn product(&self, id: &str) -> Option<&Value> {
        self.products.iter().chain(&self.synthesized).find(|p| p["_id"] == id)
    }
}

/// The list-page query: filter by status and text, sort by a column.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct ListQuery {
    pub status: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub dir: Option<String>,
}

/// One row of the orders list (what the list API returns per order).
pub fn summary(o: &StoredOrder) -> Value {
    let d = &o.doc;
    let mut s = serde_json::json!({
        "_id": d["_id"],
        "order_number": d["order_number"],
        "status": d["status"],
        "created_on": d["created_on"],
        "total": d["total"],
        "total_quantity": d["total_quantity"],
        "currency_code": d["currency_code"],
        "customer_po_number": d["customer_po_number"],
        "start_ship": d["start_ship"],
        "end_ship": d["end_ship"],
        "retailer": {"retailer_name": d["retailer"]["retailer_name"], "buyer_name": d["retailer"]["buyer_name"]},
    });
    if let Some(b) = d.get("__brand_name") {
        s["__brand_name"] = b.clone();
    }
    s
}

fn lc(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_lowercase()
}

/// The orders of a brand, filtered and sorted as the list page asks.
pub fn list<'a>(corpus: &'a Corpus, brand_id: &str, q: &ListQuery) -> Vec<&'a StoredOrder> {
    list_in(corpus.orders.iter(), brand_id, q)
}

/// [`list`] over any orders (the corpus and the generated ones).
pub fn list_in<'a>(
    orders: impl Iterator<Item = &'a StoredOrder>,
    brand_id: &str,
    q: &ListQuery,
) -> Vec<&'a StoredOrder> {
    let needle = q.q.as_deref().unwrap_or("").trim().to_lowercase();
    let status = q.status.as_deref().filter(|s| !s.is_empty() && *s != "all");
    let mut out: Vec<&StoredOrder> = orders
        .filter(|o| o.brand_id == brand_id)
        .filter(|o| status.is_none_or(|s| o.status() == s))
        .filter(|o| {
            needle.is_empty()
                || [&o.doc["order_number"], &o.doc["retailer"]["retailer_name"], &o.doc["customer_po_number"]]
                    .iter()
                    .any(|v| lc(v).contains(&needle))
        })
        .collect();
    let key = q.sort.as_deref().unwrap_or("created_on");
    out.sort_by(|a, b| {
        let (a, b) = (&a.doc, &b.doc);
        match key {
            "order_number" => {
                let n = |v: &Value| v.as_str().and_then(|s| s.parse::<u64>().ok());
                match (n(&a["order_number"]), n(&b["order_number"])) {
                    (Some(x), Some(y)) => x.cmp(&y),
                    _ => lc(&a["order_number"]).cmp(&lc(&b["order_number"])),
                }
            }
            "total" => a["total"].as_f64().unwrap_or(0.0).total_cmp(&b["total"].as_f64().unwrap_or(0.0)),
            "company_name" => lc(&a["retailer"]["retailer_name"]).cmp(&lc(&b["retailer"]["retailer_name"])),
            "status" => lc(&a["status"]).cmp(&lc(&b["status"])),
            _ => lc(&a["created_on"]).cmp(&lc(&b["created_on"])),
        }
    });
    let default_desc = key == "created_on";
    let desc = match q.dir.as_deref() {
        Some("asc") => false,
        Some("desc") => true,
        _ => default_desc,
    };
    if desc {
        out.reverse();
    }
    out
}
