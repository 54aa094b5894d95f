//! The client against the Lightspeed sandbox: pacing without 429s, Retry-After, GET retries,
//! commit-then-drop → OutcomeUnknown resolved by lookup, pagination, error shapes, lookups.

mod client_support;
use client_support::*;
use po_bridge::lightspeed::client::ClientError;
use po_bridge::lightspeed::endpoints::*;
use po_bridge::lightspeed::http::Method;
use po_bridge::lightspeed::models::*;
use po_bridge::lightspeed::native::{block_on, SystemClock};
use serde_json::json;

#[test]
fn a_burst_of_150_requests_sees_no_429() {
    let env = start();
    let clock = env.speed(25.0);
    let t = env.mint(json!({}));
    env.post("/stats/reset", json!({}));
    let client = env.static_client(clock, &t.access_token);
    for i in 0..150 {
        block_on(client.fetch(&ListShops::default())).unwrap_or_else(|e| panic!("request {i}: {e}"));
    }
    let s = env.stats();
    assert_eq!(s["rate_limited"], 0, "{s}");
    assert_eq!(s["requests"], 150, "{s}");
    let st = client.stats();
    assert_eq!((st.requests, st.rate_limited), (150, 0));
    assert!(st.paced_ms > 0, "the bucket (90, 1/s) forced some waiting: {st:?}");
    assert!((st.drips - 150.0).abs() < 1e-6, "{st:?}");
}

#[test]
fn injected_429_honours_retry_after() {
    let env = start();
    let clock = env.speed(10.0);
    let t = env.mint(json!({}));
    // Someone else filled the bucket: the client's first request meets a 429.
    env.post("/bucket", json!({"level": 93}));
    let client = env.static_client(clock, &t.access_token);
    let shops = block_on(client.fetch(&ListShops::default())).unwrap();
    assert_eq!(shops.records.len(), 2);
    let st = client.stats();
    assert_eq!(st.rate_limited, 1, "{st:?}");
    assert_eq!(st.requests, 2);
    assert_eq!(env.stats()["rate_limited"], 1);
}

#[test]
fn get_5xx_is_retried() {
    let env = start();
    let t = env.mint(json!({}));
    env.post("/faults", json!({"method": "GET", "path": "/API/V3/Account/*/Shop.json", "kind": "503", "count": 2}));
    let client = env.static_client(SystemClock, &t.access_token);
    let shops = block_on(client.fetch(&ListShops::default())).unwrap();
    assert_eq!(shops.records.len(), 2);
    assert_eq!(client.stats().retries, 2);
    assert_eq!(client.stats().requests, 3);
}

#[test]
fn dropped_get_is_retried() {
    let env = start();
    let t = env.mint(json!({}));
    env.post("/faults", json!({"method": "GET", "path": "/API/V3/Account/*/Vendor.json", "kind": "drop", "count": 1}));
    let client = env.static_client(SystemClock, &t.access_token);
    let vendors = block_on(client.list_all(&ListVendors::default())).unwrap();
    assert_eq!(vendors.len(), 2);
    assert_eq!(client.stats().transport_errors, 1);
}

#[test]
fn commit_then_drop_on_post_is_outcome_unknown_and_resolved_by_lookup() {
    let env = start();
    let t = env.mint(json!({}));
    env.post(
        "/faults",
        json!({"method": "POST", "path": "/API/V3/Account/*/Vendor.json", "kind": "commit_then_drop", "count": 1}),
    );
    let client = env.static_client(SystemClock, &t.access_token);
    let create = CreateVendor(VendorWrite { name: Some("Tidewater Knits".into()), ..Default::default() });
    let e = block_on(client.one(&create)).unwrap_err();
    assert!(matches!(e, ClientError::OutcomeUnknown { method: Method::Post, .. }), "{e:?}");
    assert_eq!(client.stats().requests, 1, "never resent");
    // The caller looks it up: the vendor exists exactly once.
    let found = block_on(client.list_all(&ListVendors {
        name: Some("Tidewater Knits".into()),
        archived: Archived::Include,
        ..Default::default()
    }))
    .unwrap();
    assert_eq!(found.len(), 1);
}

#[test]
fn timed_out_post_is_outcome_unknown() {
    let env = start();
    let t = env.mint(json!({}));
    env.post(
        "/faults",
        json!({"method": "POST", "path": "/API/V3/Account/*/Vendor.json", "kind": "timeout", "delay_ms": 3000}),
    );
    let mut client = env.static_client(SystemClock, &t.access_token);
    let mut cfg = env.config();
    cfg.timeout_ms = 500;
    client = po_bridge::lightspeed::client::LightspeedClient::new(
        env.transport.clone(),
        SystemClock,
        client.tokens().clone(),
        cfg,
    );
    let e = block_on(client.one(&CreateVendor(VendorWrite { name: Some("Slow".into()), ..Default::default() })))
        .unwrap_err();
    assert!(matches!(&e, ClientError::OutcomeUnknown { detail, .. } if detail.contains("timed out")), "{e:?}");
}

#[test]
fn pagination_across_pages_keeps_filters() {
    let env = start();
    env.relax_limits();
    let items: Vec<_> =
        (0..230).map(|i| json!({"description": format!("Bulk {i}"), "manufacturerSku": "BULK"})).collect();
    env.post("/seed", json!({"replace": false, "accounts": [{"accountID": ACCT, "items": items}]}));
    // Even when `next` URLs drop the filters, the client reissues its own query.
    env.post("/settings", json!({"keep_params_in_page_links": false}));
    let t = env.mint(json!({}));
    let client = env.static_client(SystemClock, &t.access_token);
    let found =
        block_on(client.list_all(&ListItems { manufacturer_sku: Some("BULK".into()), ..Default::default() })).unwrap();
    assert_eq!(found.len(), 230);
    let mut ids: Vec<u64> = found.iter().map(|i| i.item_id.0).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 230);
    assert_eq!(client.stats().requests, 3);
}

#[test]
fn error_shapes_are_mapped() {
    let env = start();
    let t = env.mint(json!({}));
    let client = env.static_client(SystemClock, &t.access_token);
    // 400 in the REST shape.
    let e = block_on(client.one(&CreateItem(ItemWrite::default()))).unwrap_err();
    match &e {
        ClientError::Api { status: 400, error: Some(b), .. } => match &**b {
            ErrorBody::Rest(r) => assert!(r.message.contains("description"), "{r:?}"),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    assert!(e.user_message().contains("refused the data"), "{}", e.user_message());
    // 404.
    let e = block_on(client.one(&GetItem { id: ItemId(99_999), load_relations: vec![] })).unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    // 403: the token's scope lacks purchase orders.
    let narrow = env.mint(json!({"scope": "employee:inventory"}));
    let client = env.static_client(SystemClock, &narrow.access_token);
    let e = block_on(client.list_all(&ListOrders::by_ref_num("NuORDER 1"))).unwrap_err();
    assert_eq!(e.status(), Some(403), "{e:?}");
    assert!(e.user_message().contains("not allowed"));
    // 401 (unknown token, REST shape): a fixed token cannot be refreshed → re-link.
    let client = env.static_client(SystemClock, "not-a-token");
    assert!(block_on(client.fetch(&ListShops::default())).unwrap_err().needs_relink());
}

#[test]
fn lookups_the_export_needs() {
    let env = start();
    let t = env.mint(json!({}));
    let client = env.static_client(SystemClock, &t.access_token);
    // UPC batch, archived included (item 4 is archived).
    let by_upc = ListItemsByCodes::new(
        CodeField::Upc,
        vec!["012345678905".into(), "012345678929".into(), "000000000000".into()],
    )
    .unwrap();
    let mut ids: Vec<u64> = block_on(client.list_all(&by_upc)).unwrap().iter().map(|i| i.item_id.0).collect();
    ids.sort();
    assert_eq!(ids, vec![1, 4]);
    let by_ean = ListItemsByCodes::new(CodeField::Ean, vec!["0098765432109".into()]).unwrap();
    assert_eq!(block_on(client.list_all(&by_ean)).unwrap()[0].item_id, ItemId(3));
    // Vendor number.
    let by_num =
        block_on(client.list_all(&ListItems { vendor_num: Some("HG1001-NAT".into()), ..Default::default() })).unwrap();
    assert_eq!(by_num.len(), 1);
    assert_eq!(by_num[0].item_id, ItemId(1));
    // A PO: header, a line, mark ordered, then find it by either marker.
    let po = block_on(client.one(&CreateOrder(OrderWrite {
        vendor_id: Some(VendorId(1)),
        shop_id: Some(ShopId(1)),
        ref_num: Some("NuORDER 40718822".into()),
        b2b_order_number: Some("40718822".into()),
        ..Default::default()
    })))
    .unwrap();
    let line = block_on(client.one(&CreateOrderLine(OrderLineWrite {
        order_id: Some(po.order_id),
        item_id: Some(ItemId(1)),
        quantity: Some(3),
        price: Some("12.50".parse().unwrap()),
        original_price: Some("12.50".parse().unwrap()),
        ..Default::default()
    })))
    .unwrap();
    assert_eq!(line.order_id, Some(po.order_id));
    block_on(client.one(&UpdateOrder::mark_ordered(po.order_id, "2026-08-01"))).unwrap();
    let lines = block_on(client.list_all(&ListOrderLines { order_id: po.order_id, item_id: None })).unwrap();
    assert_eq!(lines.len(), 1);
    for lookup in [ListOrders::by_ref_num("NuORDER 40718822"), ListOrders::by_b2b_order_number("40718822")] {
        let found = block_on(client.list_all(&lookup)).unwrap();
        assert_eq!(found.len(), 1, "{lookup:?}");
        assert_eq!(found[0].order_id, po.order_id);
    }
    assert!(block_on(client.list_all(&ListOrders::by_ref_num("NuORDER 1"))).unwrap().is_empty());
}
