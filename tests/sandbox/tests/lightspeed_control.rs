//! Control API, faults, merge, state dump, seeding, back-office pages and host dispatch.

mod lightspeed_support;
use lightspeed_support::*;
use serde_json::{json, Value};
use std::time::Duration;

fn order_body() -> Value {
    json!({"vendorID": "1", "shopID": "1", "refNum": "NuORDER 777"})
}

fn orders(ls: &Ls) -> usize {
    ls.table("Order").len()
}

#[test]
fn injected_500_and_503_write_nothing_and_carry_headers() {
    let ls = start();
    let t = ls.token();
    for (kind, status) in [("500", 500), ("503", 503)] {
        ls.control("POST", "/faults", json!({"method": "POST", "path": "/API/V3/Account/*/Order.json", "kind": kind}));
        let r = ls.api(&t, "POST", "Order.json", Some(order_body()));
        assert_eq!(r.status, status);
        assert_eq!(r.json()["httpCode"], status.to_string());
        assert!(!r.h("x-ls-api-bucket-level").is_empty());
        assert_eq!(orders(&ls), 0);
    }
    // count exhausted: the next one goes through
    assert_eq!(ls.api(&t, "POST", "Order.json", Some(order_body())).status, 200);
    assert_eq!(orders(&ls), 1);
    let faults = ls.control_get("/faults");
    assert_eq!(faults["faults"][0]["hits"], 1);
}

#[test]
fn dropped_connection_writes_nothing() {
    let ls = start();
    let t = ls.token();
    ls.control("POST", "/faults", json!({"method": "POST", "path": "*/Order.json", "kind": "drop"}));
    let auth = format!("Bearer {t}");
    let r = ls.try_req(
        &ls.agent,
        "POST",
        &format!("/API/V3/Account/{ACCT}/Order.json"),
        &[("Authorization", &auth)],
        Some(("application/json", order_body().to_string().into_bytes())),
    );
    assert!(r.is_err(), "the client must see a connection error, got {r:?}");
    assert_eq!(orders(&ls), 0);
}

#[test]
fn commit_then_drop_applies_the_write() {
    let ls = start();
    let t = ls.token();
    ls.control(
        "POST",
        "/faults",
        json!({"method": "POST", "path": "/API/V3/Account/*/Order.json", "kind": "commit_then_drop", "count": 1}),
    );
    let auth = format!("Bearer {t}");
    let r = ls.try_req(
        &ls.agent,
        "POST",
        &format!("/API/V3/Account/{ACCT}/Order.json"),
        &[("Authorization", &auth)],
        Some(("application/json", order_body().to_string().into_bytes())),
    );
    assert!(r.is_err(), "connection error expected, got {r:?}");
    let all = ls.table("Order");
    assert_eq!(all.len(), 1, "the write was committed");
    assert_eq!(all[0]["refNum"], "NuORDER 777");
    // the client can find it by refNum
    let found = ls.get(&t, "Order.json?refNum=NuORDER%20777&archived=true").json();
    assert_eq!(found["Order"]["orderID"], "1");
}

#[test]
fn timeout_hangs_past_the_client_deadline() {
    let ls = start();
    let t = ls.token();
    ls.control("POST", "/faults", json!({"path": "/API/V3/Account/*/Shop.json", "kind": "timeout", "delay_ms": 400}));
    let impatient = agent(Duration::from_millis(150));
    let auth = format!("Bearer {t}");
    let started = std::time::Instant::now();
    let r =
        ls.try_req(&impatient, "GET", &format!("/API/V3/Account/{ACCT}/Shop.json"), &[("Authorization", &auth)], None);
    assert!(r.is_err(), "expected a timeout, got {r:?}");
    assert!(started.elapsed() < Duration::from_millis(390));
    // a patient client gets the answer after the delay
    ls.control("POST", "/faults", json!({"path": "/API/V3/Account/*/Shop.json", "kind": "timeout", "delay_ms": 200}));
    let started = std::time::Instant::now();
    assert_eq!(ls.get(&t, "Shop.json").status, 200);
    assert!(started.elapsed() >= Duration::from_millis(200));
}

#[test]
fn faults_on_the_oauth_host() {
    let ls = start();
    ls.control("POST", "/faults", json!({"path": "/auth/oauth/token", "kind": "503"}));
    let r = ls.req(
        "POST",
        "/auth/oauth/token",
        &[("Host", "cloud.lightspeedapp.com")],
        Some(("application/json", b"{}".to_vec())),
    );
    assert_eq!(r.status, 503);
    ls.control("DELETE", "/faults", json!({}));
    assert_eq!(ls.control_get("/faults")["faults"], json!([]));
}

#[test]
fn merge_archives_a_and_b_gains_vendor_numbers_or_nothing() {
    let ls = start();
    ls.relax_limits();
    let t = ls.token();
    // item 5: the integration-created duplicate of item 1, with its own vendor number
    let v = ls
        .api(
            &t,
            "POST",
            "Item.json",
            Some(json!({"description": "CANVAS TOTE NAT (NuORDER)", "upc": "012345670025",
        "ItemVendorNums": {"ItemVendorNum": {"vendorID": "1", "value": "NU-TOTE-NAT"}}})),
        )
        .json();
    let a = v["Item"]["itemID"].as_str().unwrap().to_string();
    let r = ls.control("POST", "/merge", json!({"from": a, "into": "1"}));
    assert_eq!(r["vendorNumsGained"], "1");
    let b = ls.get(&t, "Item/1.json?load_relations=[\"ItemVendorNums\"]").json();
    assert_eq!(b["Item"]["description"], "Canvas Tote Natural", "B keeps its own fields");
    assert_eq!(b["Item"]["upc"], "012345678905");
    let nums: Vec<String> = elements(&b["Item"]["ItemVendorNums"]["ItemVendorNum"])
        .iter()
        .map(|n| n["value"].as_str().unwrap().to_string())
        .collect();
    assert!(nums.contains(&"NU-TOTE-NAT".to_string()) && nums.contains(&"HG1001-NAT".to_string()));
    let a_now = ls.get(&t, &format!("Item/{a}.json")).json();
    assert_eq!(a_now["Item"]["archived"], "true");
    // A can't go on a PO any more
    let o =
        ls.api(&t, "POST", "Order.json", Some(order_body())).json()["Order"]["orderID"].as_str().unwrap().to_string();
    let r = ls.api(&t, "POST", "OrderLine.json", Some(json!({"orderID": o, "itemID": a, "quantity": 1})));
    assert_eq!(r.status, 400);
    assert!(r.json()["message"].as_str().unwrap().contains("merged"));
    // the other rule: B gains nothing
    ls.control("POST", "/settings", json!({"merge_rule": "nothing"}));
    let v = ls.api(&t, "POST", "Item.json", Some(json!({"description": "Beanie dup", "ItemVendorNums": {"ItemVendorNum": {"vendorID": "2", "value": "NU-BEANIE"}}}))).json();
    let a2 = v["Item"]["itemID"].as_str().unwrap().to_string();
    let r = ls.control("POST", "/merge", json!({"from": a2, "into": "3"}));
    assert_eq!(r["vendorNumsGained"], "0");
    let b = ls.get(&t, "Item/3.json?load_relations=[\"ItemVendorNums\"]").json();
    assert!(b["Item"].get("ItemVendorNums").is_none());
    // merges show in the dump
    assert_eq!(ls.dump()["accounts"][ACCT]["merges"].as_array().unwrap().len(), 2);
}

#[test]
fn seed_dump_reset_and_account_view() {
    let ls = start();
    let seeded = ls.control("POST", "/seed", json!({"accounts": [{
        "accountID": "4242", "name": "Dup & Co", "registers": 2,
        "shops": [{"name": "Front"}, {"name": "Closed", "archived": true}],
        "vendors": [{"name": "Harbor Goods Co."}],
        "items": [
            {"description": "Tee A", "upc": "000000000017"},
            {"description": "Tee A again", "upc": "000000000017"},
            {"description": "Gone", "upc": "000000000024", "archived": true}
        ],
        "orders": [{"vendorID": "1", "shopID": "1", "refNum": "NuORDER 123", "b2bOrderNumber": "123",
                    "OrderLines": [{"itemID": "1", "quantity": "2", "price": "5"}, {"itemID": "2", "quantity": "1", "price": "5"}]}]
    }]}));
    assert_eq!(seeded["accounts"][0]["created"]["Item"], json!(["1", "2", "3"]));
    let dump = ls.dump();
    assert!(dump["accounts"].get(ACCT).is_none(), "replace: true drops the default account");
    let acct = &dump["accounts"]["4242"];
    assert_eq!(acct["registers"], 2);
    assert_eq!(acct["tables"]["Order"].as_array().unwrap().len(), 1);
    assert_eq!(acct["tables"]["OrderLine"].as_array().unwrap().len(), 2, "seeds keep every nested line");
    assert_eq!(acct["tables"]["Order"][0]["totalQuantity"], "3");
    let t = ls.token_with(json!({"accountID": "4242"}));
    let r = ls.get(&t, "/API/V3/Account/4242/Item.json?upc=000000000017").json();
    assert_eq!(elements(&r["Item"]).len(), 2, "duplicate UPCs exist in legacy data");
    let r = ls.get(&t, "/API/V3/Account/4242/Order.json?refNum=NuORDER%20123").json();
    assert_eq!(r["Order"]["b2bOrderNumber"], "123");
    assert_eq!(ls.control_get("/accounts/4242")["name"], "Dup & Co");
    // state dump has everything a test needs
    for k in
        ["clock", "settings", "clients", "accounts", "access_tokens", "refresh_tokens", "buckets", "stats", "faults"]
    {
        assert!(dump.get(k).is_some(), "{k}");
    }
    // reset brings the default seed back and forgets tokens
    ls.control("POST", "/reset", json!({}));
    assert_eq!(ls.get(&t, "/API/V3/Account/4242/Item.json").status, 401);
    let dump = ls.dump();
    assert_eq!(dump["accounts"][ACCT]["tables"]["Shop"].as_array().unwrap().len(), 3);
    assert_eq!(dump["access_tokens"], json!([]));
    // the crate-wide reset resets Lightspeed too
    ls.control(
        "POST",
        "/seed",
        json!({"replace": false, "accounts": [{"accountID": ACCT, "vendors": [{"name": "Extra"}]}]}),
    );
    let r = ls.req("POST", "/__sandbox/reset", &[], None);
    assert!(r.status < 300);
    assert_eq!(ls.table("Vendor").len(), 2);
}

#[test]
fn control_tokens_expire_and_revoke() {
    let ls = start();
    let t = ls.token();
    let u = ls.token();
    assert_eq!(ls.control("POST", "/tokens/expire", json!({"accountID": ACCT}))["expired"], 2);
    assert_eq!(ls.get(&t, "Shop.json").json()["hint"], "Access token could not be verified");
    let t = ls.token();
    ls.control("POST", "/tokens/revoke", json!({"access_token": t}));
    assert_eq!(ls.get(&t, "Shop.json").json()["hint"], "Access token has been revoked");
    let _ = u;
    let clock = ls.control_get("/clock");
    assert!(clock["now"].as_f64().unwrap() > 0.0);
    let after = ls.control("POST", "/clock/advance", json!({"seconds": 3600}));
    assert!(after["now"].as_f64().unwrap() >= clock["now"].as_f64().unwrap() + 3600.0);
}

#[test]
fn back_office_pages_escape_everything() {
    let ls = start();
    ls.relax_limits();
    let t = ls.token();
    let v = ls.api(&t, "POST", "Vendor.json", Some(json!({"name": "<script>alert(1)</script> & Sons"}))).json();
    let vid = v["Vendor"]["vendorID"].as_str().unwrap().to_string();
    let item = ls.api(&t, "POST", "Item.json", Some(json!({"description": "Tee \"Harbor\" <b>bold</b>"}))).json();
    let iid = item["Item"]["itemID"].as_str().unwrap().to_string();
    let o =
        ls.api(&t, "POST", "Order.json", Some(json!({"vendorID": vid, "shopID": "2", "refNum": "NuORDER 99"}))).json();
    let oid = o["Order"]["orderID"].as_str().unwrap().to_string();
    ls.api(&t, "POST", "OrderLine.json", Some(json!({"orderID": oid, "itemID": iid, "quantity": 3, "price": "12.5"})));
    for host in ["us.merchantos.com", "eu.merchantos.com", "aus.merchantos.com"] {
        let r = ls.req(
            "GET",
            &format!("/?name=purchase.views.purchase&form_name=view&id={oid}&tab=main"),
            &[("Host", host)],
            None,
        );
        assert_eq!(r.status, 200);
        assert!(r.h("content-type").starts_with("text/html"));
        assert!(r.body.contains(&format!("Purchase: #{oid}")));
        assert!(r.body.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Sons") && !r.body.contains("<script>"));
        assert!(r.body.contains("Tee &quot;Harbor&quot; &lt;b&gt;bold&lt;/b&gt;"));
        assert!(r.body.contains("Harborview Waterfront") && r.body.contains(">3<") && r.body.contains(">12.5<"));
    }
    let r = ls.req(
        "GET",
        &format!("/?name=item.views.item&form_name=view&id={iid}&tab=details"),
        &[("Host", "us.merchantos.com")],
        None,
    );
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Tee &quot;Harbor&quot;"));
    let r = ls.req(
        "GET",
        "/?name=purchase.views.purchase&form_name=view&id=999&tab=main",
        &[("Host", "us.merchantos.com")],
        None,
    );
    assert_eq!(r.status, 404);
}

#[test]
fn hosts_dispatch_to_api_oauth_and_back_office() {
    let ls = start();
    let t = ls.token();
    let auth = format!("Bearer {t}");
    let r = ls.req(
        "GET",
        &format!("/API/V3/Account/{ACCT}/Shop.json"),
        &[("Host", "api.lightspeedapp.com"), ("Authorization", &auth)],
        None,
    );
    assert_eq!(r.status, 200);
    // the API's page links use the request's host
    let r = ls.req(
        "GET",
        &format!("/API/V3/Account/{ACCT}/Shop.json?limit=1"),
        &[("Host", "api.lightspeedapp.com"), ("Authorization", &auth)],
        None,
    );
    assert!(r.json()["@attributes"]["next"]
        .as_str()
        .unwrap()
        .starts_with("https://api.lightspeedapp.com/API/V3/Account/83050/Shop.json?"));
    // the OAuth host doesn't serve the API, the API host doesn't serve OAuth pages
    let r = ls.req(
        "GET",
        &format!("/API/V3/Account/{ACCT}/Shop.json"),
        &[("Host", "cloud.lightspeedapp.com"), ("Authorization", &auth)],
        None,
    );
    assert_eq!(r.status, 404);
    let r = ls.req("GET", "/auth/oauth/authorize", &[("Host", "api.lightspeedapp.com")], None);
    assert_eq!(r.status, 404);
    // control API is not under the Lightspeed routes
    let r = ls.req("GET", "/__sandbox/lightspeed/nope", &[], None);
    assert_eq!(r.status, 404);
}
