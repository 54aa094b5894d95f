//! NuORDER sandbox: the order and product API over the fixture corpus.

mod nuorder_util;
#[path = "../../support/recordings.rs"]
mod recordings;
use nuorder_util::*;
use serde_json::Value;

async fn signed_in() -> (Client, String) {
    let c = start().await;
    let k = c.session_cookie().await;
    (c, k)
}

fn numbers(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|o| o["order_number"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn brands_are_listed_with_object_ids_and_slugs() {
    let (c, k) = signed_in().await;
    let brands = c.get("/api/brands", Some(&k)).await.json();
    let brands = brands.as_array().unwrap();
    assert!(brands.len() >= 3);
    for b in brands {
        let id = b["_id"].as_str().unwrap();
        assert!(id.len() == 24 && id.chars().all(|c| c.is_ascii_hexdigit()), "{id}");
        let slug = b["slug"].as_str().unwrap();
        assert!(
            !slug.is_empty() && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{slug}"
        );
    }
    assert_eq!(brands[0]["_id"], HARBOR);
    assert!(brands.iter().any(|b| b["name"] == "Maison Éclat" && b["slug"] == "maison-eclat"));
}

#[tokio::test]
async fn order_by_id_and_by_number_return_the_same_document() {
    let (c, k) = signed_in().await;
    let by_number = c.get("/api/order/number/40718822", Some(&k)).await;
    assert_eq!(by_number.status, 200);
    let doc = by_number.json();
    let id = doc["_id"].as_str().unwrap();
    let by_id = c.get(&format!("/api/order/{id}"), Some(&k)).await.json();
    assert_eq!(doc, by_id);

    assert_eq!(doc["order_number"], "40718822");
    assert_eq!(doc["currency_code"], "USD");
    assert_eq!(doc["__brand_name"], "Harbor Goods");
    for key in [
        "status",
        "retailer",
        "shipping_address",
        "start_ship",
        "end_ship",
        "created_on",
        "order_discounts",
        "customer_po_number",
        "rep_name",
        "discount",
    ] {
        assert!(!doc[key].is_null(), "missing {key}");
    }
    assert!(doc["order_discounts"]["original_total"].is_string(), "amounts as strings");
    let li = &doc["line_items"][0];
    for key in ["_id", "style_number", "color", "season", "brand_id"] {
        assert!(li["product"][key].is_string(), "line product.{key}");
    }
    let s = &li["sizes"][0];
    for key in ["size", "upc", "quantity", "price", "original_price"] {
        assert!(!s[key].is_null(), "size.{key}");
    }
    // Sandbox-only fixture fields are not served.
    assert!(doc.as_object().unwrap().keys().all(|k| !k.starts_with("__fixture")));

    for p in ["/api/order/000000000000000000000000", "/api/order/number/99999999"] {
        let r = c.get(p, Some(&k)).await;
        assert_eq!(r.status, 404, "{p}");
        assert_eq!(r.json()["code"], 404);
    }
}

#[tokio::test]
async fn orders_by_status_detail_and_list_agree() {
    let (c, k) = signed_in().await;
    for status in ["approved", "cancelled", "pending", "shipped", "processed", "draft", "review"] {
        let detail = c.get(&format!("/api/orders/{status}/detail"), Some(&k)).await.json();
        let ids = c.get(&format!("/api/orders/{status}/list"), Some(&k)).await.json();
        let detail = detail.as_array().unwrap();
        assert!(detail.iter().all(|o| o["status"] == status), "{status}");
        let detail_ids: Vec<&Value> = detail.iter().map(|o| &o["_id"]).collect();
        assert_eq!(detail_ids, ids.as_array().unwrap().iter().collect::<Vec<_>>(), "{status}");
    }
    let cancelled = c.get("/api/orders/cancelled/detail", Some(&k)).await.json();
    assert_eq!(numbers(&cancelled), ["40718825"]);
    assert!(c.get("/api/orders/approved/list", Some(&k)).await.json().as_array().unwrap().len() >= 4);
    let r = c.get("/api/orders/bogus/detail", Some(&k)).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["code"], 400);
}

#[tokio::test]
async fn products_carry_names_pricing_per_currency_and_size_upcs() {
    let (c, k) = signed_in().await;
    let order = c.get("/api/order/number/51200101", Some(&k)).await.json();
    assert_eq!(order["currency_code"], "EUR");
    for li in order["line_items"].as_array().unwrap() {
        let pid = li["product"]["_id"].as_str().unwrap();
        let r = c.get(&format!("/api/product/{pid}"), Some(&k)).await;
        assert_eq!(r.status, 200, "{pid}");
        let p = r.json();
        assert!(p["name"].as_str().is_some_and(|n| !n.is_empty()));
        assert!(p["pricing"]["EUR"]["wholesale"].is_number() && p["pricing"]["USD"]["retail"].is_number());
        for s in li["sizes"].as_array().unwrap() {
            let ps = p["sizes"].as_array().unwrap().iter().find(|x| x["size"] == s["size"]).expect("size on product");
            assert_eq!(ps["upc"], s["upc"]);
            assert_eq!(ps["upc"].as_str().unwrap().len(), 13, "EAN-13");
        }
    }
    assert_eq!(c.get("/api/product/000000000000000000000000", Some(&k)).await.status, 404);
}

#[tokio::test]
async fn brand_orders_list_filters_and_sorts() {
    let (c, k) = signed_in().await;
    let all = c.get(&format!("/api/brand/{HARBOR}/orders"), Some(&k)).await.json();
    let created: Vec<&str> = all.as_array().unwrap().iter().map(|o| o["created_on"].as_str().unwrap()).collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]), "newest first by default");
    assert!(all.as_array().unwrap().len() >= 7);
    let row = &all[0];
    for key in ["_id", "order_number", "created_on", "total", "currency_code", "status"] {
        assert!(!row[key].is_null(), "summary {key}");
    }
    assert!(row["retailer"]["retailer_name"].is_string());

    let maison = c.get(&format!("/api/brand/{MAISON}/orders?sort=order_number&dir=asc"), Some(&k)).await.json();
    assert_eq!(numbers(&maison), ["51200101", "51200102", "51200103"]);
    let desc = c.get(&format!("/api/brand/{MAISON}/orders?sort=order_number&dir=desc"), Some(&k)).await.json();
    assert_eq!(numbers(&desc), ["51200103", "51200102", "51200101"]);
    let by_total = c.get(&format!("/api/brand/{HARBOR}/orders?sort=total&dir=desc"), Some(&k)).await.json();
    assert_eq!(numbers(&by_total)[0], "40718826", "the large order is the biggest");

    let approved = c.get(&format!("/api/brand/{HARBOR}/orders?status=approved"), Some(&k)).await.json();
    assert!(approved.as_array().unwrap().iter().all(|o| o["status"] == "approved"));
    let search = c.get(&format!("/api/brand/{HARBOR}/orders?q=jp-home"), Some(&k)).await.json();
    assert_eq!(numbers(&search), ["40718824"], "search matches the customer PO");
    let search = c.get(&format!("/api/brand/{HARBOR}/orders?q=PI%C3%B1E"), Some(&k)).await.json();
    assert_eq!(numbers(&search), ["40718827"], "search matches the company, case-insensitively");

    assert_eq!(c.get(&format!("/api/brand/{EMPTY_BRAND}/orders"), Some(&k)).await.json(), serde_json::json!([]));
    assert_eq!(c.get("/api/brand/000000000000000000000000/orders", Some(&k)).await.status, 404);
}

#[tokio::test]
async fn order_pdf_is_a_pdf() {
    let (c, k) = signed_in().await;
    let r = c.get("/api/order/6f3a9c21d4e5b60718290001/pdf", Some(&k)).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/pdf"));
    assert!(r.body.starts_with(b"%PDF-1.4") && r.text().trim_end().ends_with("%%EOF"));
}

#[tokio::test]
async fn recorded_real_orders_are_served_when_shared_is_present() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let what = "the sandbox serving the recorded real NuORDER order";
    let Some(recorded) = recordings::real_responses(&repo, "nuorder/processed-order-2023.json", what) else {
        return;
    };
    let real: Value = serde_json::from_str(&std::fs::read_to_string(&recorded).unwrap()).unwrap();
    let (c, k) = signed_in().await;
    let served = c.get(&format!("/api/order/{}", real["_id"].as_str().unwrap()), Some(&k)).await.json();
    assert_eq!(served, real, "served as recorded");
    let list = c.get(&format!("/api/brand/{TIDEWATER}/orders"), Some(&k)).await.json();
    assert!(numbers(&list).contains(&real["order_number"].as_str().unwrap().to_string()));
    // Its products are synthesized from the lines so the detail page can name them.
    let pid = real["line_items"][0]["product"]["_id"].as_str().unwrap();
    let p = c.get(&format!("/api/product/{pid}"), Some(&k)).await.json();
    assert_eq!(p["__sandbox_synthesized"], true);
    assert_eq!(p["sizes"][0]["upc"], real["line_items"][0]["sizes"][0]["upc"]);
}

#[tokio::test]
async fn the_control_corpus_call_lists_orders_with_their_brand() {
    let c = start().await;
    let v = c.get("/__sandbox/nuorder/corpus", None).await.json();
    let orders = v["orders"].as_array().unwrap();
    assert!(orders.len() >= 11);
    let maison: Vec<&Value> = orders.iter().filter(|o| o["brand_id"] == MAISON).collect();
    assert_eq!(maison.len(), 3);
}
