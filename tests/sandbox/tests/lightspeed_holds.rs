//! Held requests: a test parks chosen requests and lets them run one by one, so two clients' writes
//! interleave deterministically.

mod lightspeed_support;
use lightspeed_support::*;
use serde_json::{json, Value};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const ORDER_PATH: &str = "/API/V3/Account/*/Order.json";

/// POST an Order from another thread (another client); the handle yields (status, body).
fn create_in_background(ls: &Ls, token: &str, ref_num: &str) -> JoinHandle<(u16, Value)> {
    let base = ls.base.clone();
    let auth = format!("Bearer {token}");
    let body = json!({"vendorID": "1", "shopID": "1", "refNum": ref_num}).to_string();
    std::thread::spawn(move || {
        let agent = agent(Duration::from_secs(20));
        let mut r = agent
            .post(format!("{base}/API/V3/Account/{ACCT}/Order.json"))
            .header("Authorization", &auth)
            .content_type("application/json")
            .send(body.as_bytes())
            .expect("the held request is answered once released");
        let status = r.status().as_u16();
        let text = r.body_mut().read_to_string().unwrap();
        (status, serde_json::from_str(&text).unwrap())
    })
}

fn ref_nums(ls: &Ls) -> Vec<String> {
    ls.table("Order").iter().map(|o| o["refNum"].as_str().unwrap().to_string()).collect()
}

fn wait_holding(ls: &Ls, id: &Value, n: u64) -> Value {
    ls.control("POST", &format!("/holds/{id}/wait"), json!({"holding": n, "timeout_ms": 5000}))
}

#[test]
fn two_held_creates_run_one_by_one_in_arrival_order() {
    let ls = start();
    let (ta, tb) = (ls.token(), ls.token_with(json!({"client_id": "po-bridge-firefox"})));
    let hold = ls.control("POST", "/holds", json!({"method": "POST", "path": ORDER_PATH, "count": 2}));
    let id = hold["id"].clone();
    assert_eq!(hold["holding"], 0);

    let a = create_in_background(&ls, &ta, "NuORDER A");
    wait_holding(&ls, &id, 1);
    let b = create_in_background(&ls, &tb, "NuORDER B");
    let listed = wait_holding(&ls, &id, 2);
    assert_eq!(listed["hits"], 2);
    assert_eq!(ls.control_get("/holds")["holds"][0]["holding"], 2, "GET /holds shows what is held now");
    assert!(ref_nums(&ls).is_empty(), "a held request has not been executed");

    // a request the hold no longer counts goes straight through
    let c = ls.api(&ta, "POST", "Order.json", Some(json!({"vendorID": "1", "refNum": "NuORDER C"})));
    assert_eq!(c.status, 200);
    assert_eq!(ref_nums(&ls), ["NuORDER C"]);

    let first = ls.control("POST", &format!("/holds/{id}/release"), json!({"count": 1}));
    assert_eq!(first["released"], 1);
    assert_eq!(first["hold"]["holding"], 1);
    let (status, body) = a.join().unwrap();
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Order"]["refNum"], "NuORDER A");
    assert_eq!(body["Order"]["orderID"], "2", "A ran after C, before B");
    assert_eq!(ref_nums(&ls), ["NuORDER C", "NuORDER A"], "B is still held");

    let second = ls.control("POST", &format!("/holds/{id}/release"), json!({}));
    assert_eq!(second["released"], 1);
    let (status, body) = b.join().unwrap();
    assert_eq!(status, 200);
    assert_eq!(body["Order"]["orderID"], "3");
    assert_eq!(ls.control_get("/holds")["holds"][0]["released"], 2);
}

#[test]
fn releasing_everything_runs_the_held_requests_in_arrival_order() {
    let ls = start();
    let t = ls.token();
    let hold = ls.control("POST", "/holds", json!({"path": ORDER_PATH, "count": 3}));
    let id = hold["id"].clone();
    let mut handles = vec![];
    for (i, name) in ["first", "second", "third"].iter().enumerate() {
        handles.push(create_in_background(&ls, &t, name));
        wait_holding(&ls, &id, i as u64 + 1);
    }
    let r = ls.req("DELETE", "/__sandbox/lightspeed/holds", &[], None);
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["released"], 3);
    for h in handles {
        assert_eq!(h.join().unwrap().0, 200);
    }
    assert_eq!(ref_nums(&ls), ["first", "second", "third"]);
    assert_eq!(ls.control_get("/holds")["holds"], json!([]), "DELETE /holds forgets every hold");
}

#[test]
fn a_hold_with_a_delay_lets_the_request_go_on_its_own() {
    let ls = start();
    let t = ls.token();
    ls.control("POST", "/holds", json!({"method": "GET", "path": "*/Shop.json", "delay_ms": 300}));
    let started = Instant::now();
    let r = ls.get(&t, "Shop.json");
    assert_eq!(r.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300), "delayed {:?}", started.elapsed());
    let h = &ls.control_get("/holds")["holds"][0];
    assert_eq!((h["hits"].clone(), h["holding"].clone(), h["released"].clone()), (json!(1), json!(0), json!(1)));
    let started = Instant::now();
    assert_eq!(ls.get(&t, "Shop.json").status, 200, "count 1 (default) is spent");
    assert!(started.elapsed() < Duration::from_millis(300));
}

#[test]
fn unknown_hold_and_waiting_in_vain() {
    let ls = start();
    let r = ls.req("POST", "/__sandbox/lightspeed/holds/9/release", &[], None);
    assert_eq!(r.status, 404);
    let hold = ls.control("POST", "/holds", json!({"path": ORDER_PATH}));
    let r = ls.req(
        "POST",
        &format!("/__sandbox/lightspeed/holds/{}/wait", hold["id"]),
        &[],
        Some(("application/json", json!({"holding": 1, "timeout_ms": 50}).to_string().into_bytes())),
    );
    assert_eq!(r.status, 408);
    let r = ls.req("POST", "/__sandbox/lightspeed/holds", &[], Some(("application/json", b"{}".to_vec())));
    assert_eq!(r.status, 400, "path is required");
}
