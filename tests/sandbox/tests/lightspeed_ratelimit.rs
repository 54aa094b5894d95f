//! Rate-limit conformance: headers on every response, costs, leaky-bucket admission with Retry-After,
//! the burst limiter, registers scaling, drain on the sandbox clock, and per-account accounting.

mod lightspeed_support;
use lightspeed_support::*;
use serde_json::json;

fn level(r: &Resp) -> f64 {
    r.h("x-ls-api-bucket-level").split('/').next().unwrap().parse().unwrap()
}

#[test]
fn headers_on_every_response() {
    let ls = start();
    let t = ls.token();
    for r in [ls.get(&t, "Shop.json"), ls.get(&t, "Item/999.json"), ls.get("bad", "Shop.json"), ls.get(&t, "Nope.json")]
    {
        for h in ["x-ls-api-bucket-level", "x-ls-api-burst-level", "x-ls-api-drip-rate", "x-ls-api-request-cost"] {
            assert!(!r.h(h).is_empty(), "{h} missing on {} {}", r.status, r.body);
        }
    }
    let r = ls.get(&t, "Shop.json");
    assert_eq!(r.h("x-ls-api-drip-rate"), "1");
    assert!(r.h("x-ls-api-bucket-level").ends_with("/90"));
    assert!(r.h("x-ls-api-burst-level").ends_with("/20"));
    assert_eq!(r.h("x-ls-acct-id"), ACCT);
}

#[test]
fn request_costs() {
    let ls = start();
    ls.freeze();
    let t = ls.token();
    let cost = |r: Resp| r.h("x-ls-api-request-cost").to_string();
    assert_eq!(cost(ls.get(&t, "Item/1.json")), "1");
    assert_eq!(cost(ls.get(&t, "Order.json?load_relations=[\"OrderLines\"]")), "1.4", "to-many ×2 on lists");
    assert_eq!(cost(ls.get(&t, "Item/1.json?load_relations=[\"ItemShops\",\"Category\"]")), "1.3");
    assert_eq!(cost(ls.get(&t, "Item.json?count=1")), "10");
    assert_eq!(cost(ls.get(&t, "Item.json?or=upc%3D1%7Cean%3D1")), "3");
    assert_eq!(cost(ls.api(&t, "POST", "Category.json", Some(json!({"name": "Shoes"})))), "10");
    assert_eq!(cost(ls.api(&t, "POST", "Item.json", Some(json!({"description": "x", "ItemVendorNums": {"ItemVendorNum": [{"vendorID": 1, "value": "a"}, {"vendorID": 2, "value": "b"}]}})))), "2");
    let stats = ls.control_get("/stats");
    assert!((stats["accounts"][ACCT]["drips_spent"].as_f64().unwrap() - 28.7).abs() < 1e-6, "{stats}");
}

#[test]
fn leaky_bucket_admits_the_first_over_limit_request_then_429_with_retry_after() {
    let ls = start();
    ls.freeze();
    let t = ls.token();
    ls.control("POST", "/bucket", json!({"level": 89.5}));
    let r = ls.get(&t, "Shop.json");
    assert_eq!(r.status, 200, "the request that crosses the size is admitted");
    assert!(level(&r) > 90.0);
    let r = ls.get(&t, "Shop.json");
    assert_eq!(r.status, 429);
    assert_eq!(r.h("x-ls-api-ratelimit-type"), "api-leaky-bucket");
    let retry: u64 = r.h("retry-after").parse().unwrap();
    assert!(retry >= 1);
    assert_eq!(r.json()["httpCode"], "429");
    // waiting less than Retry-After is not enough when it's more than a second; waiting it out is
    ls.control("POST", "/clock/advance", json!({"seconds": retry as f64}));
    let r = ls.get(&t, "Shop.json");
    assert_eq!(r.status, 200, "{}", r.body);
    let stats = ls.control_get("/stats");
    assert_eq!(stats["accounts"][ACCT]["rate_limited"], 1);
    assert_eq!(stats["accounts"][ACCT]["rate_limited_bucket"], 1);
}

#[test]
fn bucket_drains_at_the_drip_rate_on_the_sandbox_clock() {
    let ls = start();
    ls.freeze();
    let t = ls.token();
    ls.control("POST", "/bucket", json!({"level": 50}));
    ls.control("POST", "/clock/advance", json!({"seconds": 10}));
    let r = ls.get(&t, "Shop.json");
    assert!((level(&r) - 41.0).abs() < 0.01, "{}", r.h("x-ls-api-bucket-level"));
}

#[test]
fn burst_limiter_refuses_the_21st_request_in_a_second() {
    let ls = start();
    ls.freeze();
    let t = ls.token();
    for i in 0..20 {
        assert_eq!(ls.get(&t, "Shop.json").status, 200, "request {i}");
    }
    let r = ls.get(&t, "Shop.json");
    assert_eq!(r.status, 429);
    assert_eq!(r.h("x-ls-api-ratelimit-type"), "api-burst-limiter");
    assert_eq!(r.h("retry-after"), "1");
    assert!(r.json()["message"].as_str().unwrap().contains("burst rate limit exceeded"));
    ls.control("POST", "/clock/advance", json!({"seconds": 1}));
    assert_eq!(ls.get(&t, "Shop.json").status, 200);
    assert_eq!(ls.control_get("/stats")["accounts"][ACCT]["rate_limited_burst"], 1);
}

#[test]
fn registers_scale_size_and_drip() {
    let ls = start();
    let t = ls.token();
    ls.control("POST", "/registers", json!({"registers": 6}));
    let r = ls.get(&t, "Shop.json");
    assert!(r.h("x-ls-api-bucket-level").ends_with("/140"), "{}", r.h("x-ls-api-bucket-level"));
    assert_eq!(r.h("x-ls-api-drip-rate"), "3.5");
    assert!(r.h("x-ls-api-burst-level").ends_with("/31"));
}

#[test]
fn buckets_are_per_account_and_client() {
    let ls = start();
    ls.freeze();
    let chrome = ls.token();
    let firefox = ls.token_with(json!({"client_id": "po-bridge-firefox"}));
    ls.control("POST", "/bucket", json!({"level": 95}));
    assert_eq!(ls.get(&chrome, "Shop.json").status, 429);
    assert_eq!(ls.get(&firefox, "Shop.json").status, 200);
}
