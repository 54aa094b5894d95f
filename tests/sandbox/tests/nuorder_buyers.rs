//! NuORDER sandbox: two buyers at two retailers. Each signs in by the form or the control call
//! (the demo buyer by default), `GET /api/session/me` names who is signed in, and each sees only
//! its retailer's orders.

mod nuorder_util;
use nuorder_util::*;

const SECOND: &str = "buyer2@example.com";
const SECOND_ORDER: &str = "64b2e0c9a1f3d5e7b9c1b301";
const DEMO_ORDER: &str = "6f3a9c21d4e5b60718290001";

async fn cookie_for(c: &Client, body: &str) -> (u16, Option<String>, serde_json::Value) {
    let r = c.post_json("/__sandbox/nuorder/session", body, None).await;
    let json = if r.status == 200 { r.json() } else { serde_json::Value::Null };
    (r.status, r.cookie(), json)
}

#[tokio::test]
async fn each_buyer_signs_in_by_the_form_and_the_control_call_and_is_named_by_me() {
    let c = start().await;
    let by_form = c.post_form("/login", "email=Buyer2%40example.com&password=sandbox", None).await;
    assert_eq!(by_form.status, 303);
    let (status, by_control, body) = cookie_for(&c, &format!(r#"{{"buyer":"{SECOND}"}}"#)).await;
    assert_eq!((status, body["email"].as_str()), (200, Some(SECOND)));
    for cookie in [by_form.cookie().unwrap(), by_control.unwrap()] {
        let me = c.get("/api/session/me", Some(&cookie)).await.json();
        assert_eq!(me["user"]["email"], SECOND);
        assert_eq!(me["user"]["name"], "Kim Lindqvist");
        assert_eq!(me["retailer"]["retailer_name"], "Birch Row Outfitters");
    }
    // The default (no body, an empty object) stays the demo buyer.
    for body in ["", "{}"] {
        let (_, cookie, json) = cookie_for(&c, body).await;
        assert_eq!(json["email"], "buyer@example.com");
        let me = c.get("/api/session/me", Some(&cookie.unwrap())).await.json();
        assert_eq!(me["retailer"]["retailer_name"], "Juniper & Pine", "body {body:?}");
    }
    let r = c.get(&format!("/__sandbox/nuorder/sign-in?buyer={SECOND}&next=/brand/b/orders"), None).await;
    assert_eq!(r.status, 302);
    assert_eq!(c.get("/api/session/me", Some(&r.cookie().unwrap())).await.json()["user"]["email"], SECOND);
    assert_eq!(cookie_for(&c, r#"{"buyer":"nobody@example.com"}"#).await.0, 400);
    let wrong = c.post_form("/login", "email=buyer2%40example.com&password=nope", None).await;
    assert_eq!(wrong.status, 401);
    assert!(c.get("/login", None).await.text().contains(SECOND), "the sign-in page shows the second buyer");
}

async fn harbor_list(c: &Client, cookie: &str) -> Vec<String> {
    let rows = c.get(&format!("/api/brand/{HARBOR}/orders"), Some(cookie)).await.json();
    rows.as_array().unwrap().iter().map(|r| r["order_number"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn each_buyer_sees_only_its_retailers_orders() {
    let c = start().await;
    let demo = c.session_cookie().await;
    let second = cookie_for(&c, &format!(r#"{{"buyer":"{SECOND}"}}"#)).await.1.unwrap();
    let mut of_second = harbor_list(&c, &second).await;
    of_second.sort();
    assert_eq!(of_second, ["51000001", "51000002"]);
    let of_demo = harbor_list(&c, &demo).await;
    assert_eq!(of_demo.len(), 7, "the demo buyer's Harbor Goods orders are unchanged");
    assert!(!of_demo.iter().any(|n| n.starts_with("5100000")));

    let doc = c.get(&format!("/api/order/{SECOND_ORDER}"), Some(&second)).await.json();
    assert_eq!(doc["retailer"]["buyer_email"], SECOND);
    assert_eq!(doc["order_number"], "51000001");
    assert_eq!(c.get("/api/order/number/51000002", Some(&second)).await.status, 200);
    assert_eq!(c.get(&format!("/api/order/{SECOND_ORDER}/pdf"), Some(&second)).await.status, 200);
    // Neither sees the other's orders.
    assert_eq!(c.get(&format!("/api/order/{SECOND_ORDER}"), Some(&demo)).await.status, 404);
    assert_eq!(c.get("/api/order/number/51000001", Some(&demo)).await.status, 404);
    assert_eq!(c.get(&format!("/api/order/{DEMO_ORDER}"), Some(&second)).await.status, 404);
    assert_eq!(c.get(&format!("/api/brand/{MAISON}/orders"), Some(&second)).await.json(), serde_json::json!([]));
    let approved = c.get("/api/orders/approved/list", Some(&second)).await.json();
    assert!(approved.as_array().unwrap().iter().all(|id| id.as_str().unwrap().starts_with("64b2e0c9a1f3d5e7b9c1b3")));

    // The corpus control call lists the buyers and their orders; its `orders` stay the demo buyer's.
    let corpus = c.get("/__sandbox/nuorder/corpus", None).await.json();
    let buyers = corpus["buyers"].as_array().unwrap();
    assert_eq!(buyers.len(), 2);
    assert_eq!(buyers[1]["email"], SECOND);
    assert_eq!(buyers[1]["orders"].as_array().unwrap().len(), 2);
    assert!(!corpus["orders"].as_array().unwrap().iter().any(|o| o["_id"] == SECOND_ORDER));
    // A brand's edit reaches the second buyer's order too.
    let edited = c.post_json("/__sandbox/nuorder/orders/51000001/edit", r#"{"discount": 10}"#, None).await;
    assert_eq!(edited.status, 200);
    let doc = c.get(&format!("/api/order/{SECOND_ORDER}"), Some(&second)).await.json();
    assert_eq!(doc["discount"], 10);
}
