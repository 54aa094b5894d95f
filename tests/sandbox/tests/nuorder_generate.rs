//! NuORDER sandbox: the benchmark-only `POST /__sandbox/nuorder/generate` control call.

mod nuorder_util;
use nuorder_util::*;

#[tokio::test]
async fn generated_orders_join_the_brand_list_open_by_id_and_number_and_go_on_reset() {
    let c = start().await;
    let k = c.session_cookie().await;
    let before = c.get(&format!("/api/brand/{HARBOR}/orders"), Some(&k)).await.json().as_array().unwrap().len();

    let r =
        c.post_json("/__sandbox/nuorder/generate", &format!(r#"{{"brand_id":"{HARBOR}","count":100}}"#), None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["total"], 100);

    let list = c.get(&format!("/api/brand/{HARBOR}/orders"), Some(&k)).await.json();
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), before + 100);
    let numbers: std::collections::BTreeSet<&str> = rows.iter().map(|o| o["order_number"].as_str().unwrap()).collect();
    assert_eq!(numbers.len(), rows.len(), "order numbers are unique");
    // Other brands are untouched.
    let maison = c.get(&format!("/api/brand/{MAISON}/orders"), Some(&k)).await.json();
    assert_eq!(maison.as_array().unwrap().len(), 3);

    let by_number = c.get("/api/order/number/90000001", Some(&k)).await;
    assert_eq!(by_number.status, 200);
    let doc = by_number.json();
    let id = doc["_id"].as_str().unwrap();
    assert!(id.len() == 24 && id.chars().all(|c| c.is_ascii_hexdigit()), "{id}");
    assert_eq!(c.get(&format!("/api/order/{id}"), Some(&k)).await.json(), doc);
    assert!(!doc["line_items"].as_array().unwrap().is_empty());

    // Unknown brand, zero or too many are refused.
    assert_eq!(c.post_json("/__sandbox/nuorder/generate", r#"{"brand_id":"nope","count":1}"#, None).await.status, 404);
    assert_eq!(
        c.post_json("/__sandbox/nuorder/generate", &format!(r#"{{"brand_id":"{HARBOR}","count":0}}"#), None)
            .await
            .status,
        400
    );
    assert_eq!(
        c.post_json("/__sandbox/nuorder/generate", &format!(r#"{{"brand_id":"{HARBOR}","count":5000}}"#), None)
            .await
            .status,
        400
    );

    assert!(c.post_json("/__sandbox/reset", "", None).await.status < 300);
    let k = c.session_cookie().await;
    let after = c.get(&format!("/api/brand/{HARBOR}/orders"), Some(&k)).await.json();
    assert_eq!(after.as_array().unwrap().len(), before);
}
