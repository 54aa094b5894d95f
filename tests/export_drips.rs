//! Drips at the minimum without dropping a protection (issue 17, items 3 and 5), against the
//! Lightspeed sandbox: the PO markers are asked in plain lookups (the preview `b2bOrderNumber`, the
//! job both `refNum` and `b2bOrderNumber`, never an `or=`), every form of every code is asked once in `itemCode` (`upc` or
//! `ean`); a PO made by NuORDER's integration is seen, a PO made meanwhile by another browser
//! stops the job before it writes; a list page of 100 orders costs two requests and a reload
//! within the cache's life none.

mod client_support;
mod export_run_support;
use client_support::*;
use export_run_support::*;

use po_bridge::app::accounts::LightspeedAccount;
use po_bridge::app::memory::MemStore;
use po_bridge::app::status::{page_statuses, RecentAnswers, STATUS_CACHE_MS};
use po_bridge::export::journal::MemoryStore;
use po_bridge::export::runner::{preview, run_export, RunOutcome, StartJob};
use po_bridge::export::status::JobStatus;
use po_bridge::lightspeed::client::{LightspeedClient, StaticToken};
use po_bridge::lightspeed::http::{HttpRequest, HttpResponse, Transport, TransportError};
use po_bridge::lightspeed::native::{block_on, NativeTransport};
use po_bridge::lightspeed::ShopId;
use po_bridge::protocol::OrderRef;
use serde_json::json;
use std::cell::RefCell;
use std::rc::Rc;

/// A transport that notes every request's decoded URL.
type Seen = Rc<RefCell<Vec<String>>>;

#[derive(Clone)]
struct Urls {
    inner: NativeTransport,
    seen: Seen,
}

impl Transport for Urls {
    async fn send(&self, req: HttpRequest, timeout_ms: u64) -> Result<HttpResponse, TransportError> {
        let url: String = form_urlencoded::parse(req.url.split_once('?').map_or("", |(_, q)| q).as_bytes())
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&");
        let path = req.url.split('?').next().unwrap_or("").rsplit('/').next().unwrap_or("").to_string();
        self.seen.borrow_mut().push(format!("{:?} {path}?{url}", req.method));
        self.inner.send(req, timeout_ms).await
    }
}

fn recording() -> (Env, LightspeedClient<Urls, ScaledClock, StaticToken>, Seen) {
    let env = start();
    env.relax_limits();
    let clock = env.speed(50.0);
    let token = env.mint(json!({})).access_token;
    let seen = Rc::new(RefCell::new(Vec::new()));
    let t = Urls { inner: env.transport.clone(), seen: seen.clone() };
    let client = LightspeedClient::new(t, clock, StaticToken(token), env.config());
    (env, client, seen)
}

fn start_of(st: &po_bridge::export::runner::Staged, p: &po_bridge::export::runner::Preview) -> StartJob {
    StartJob { staged: st.clone(), plan: p.plan.clone(), shop_id: ShopId(1), today: "2026-11-27".into() }
}

#[test]
fn each_marker_is_asked_once_and_each_code_form_once() {
    let (_env, client, seen) = recording();
    let store = MemoryStore::new();
    let st = staged(order("h01-basic-all-upcs"));
    let p = block_on(preview(&client, &store, ACCT, &st)).unwrap();
    let preview_reqs = seen.borrow().clone();
    let out = block_on(run_export(&client, &store, &key(&st.order), Some(start_of(&st, &p)), &mut |_| {})).unwrap();
    assert!(matches!(out, RunOutcome::Exported { .. }), "{out:?}");
    let all = seen.borrow().clone();
    // The job's reads before its first write (after that, the convergence checks of issue 16 look
    // for twins of what it created).
    let job_all = &all[preview_reqs.len()..];
    let job_reqs = &job_all[..job_all.iter().position(|u| !u.starts_with("Get ")).unwrap_or(job_all.len())];
    let order_gets =
        |reqs: &[String]| reqs.iter().filter(|u| u.starts_with("Get Order.json")).cloned().collect::<Vec<_>>();
    assert_eq!(
        order_gets(&preview_reqs),
        ["Get Order.json?b2bOrderNumber=IN,[\"40718821\"]&archived=true"],
        "the preview asks the marker NuORDER's integration (and PO Bridge) writes"
    );
    assert_eq!(
        order_gets(job_reqs),
        [
            "Get Order.json?refNum=IN,[\"NuORDER 40718821\"]&archived=true",
            "Get Order.json?b2bOrderNumber=IN,[\"40718821\"]&archived=true"
        ],
        "the job asks both markers, each in a plain lookup, before its first write"
    );
    assert!(all.iter().all(|u| !u.contains("or=")), "no 3-drip or= query: {all:#?}");
    let code_reads: Vec<&String> = preview_reqs.iter().filter(|u| u.starts_with("Get Item.json?itemCode=IN")).collect();
    assert_eq!(code_reads.len(), 1, "one itemCode batch: {preview_reqs:#?}");
    for form in ["\"812345001013\"", "\"0812345001013\""] {
        assert!(code_reads[0].contains(form), "every form asked, {form}: {}", code_reads[0]);
    }
    // (After each create, the job's twin check of issue 16 asks the one code it wrote in its field.)
    assert!(
        preview_reqs.iter().all(|u| !u.contains("upc=") && !u.contains("ean=")),
        "no per-field code lookup: {preview_reqs:#?}"
    );
}

#[test]
fn a_po_made_meanwhile_by_another_browser_stops_the_job_before_it_writes() {
    for (what, po) in [
        ("PO Bridge in another browser", json!({"refNum": "NuORDER 40718821", "b2bOrderNumber": "40718821"})),
        ("our refNum alone (typed by hand)", json!({"refNum": "NuORDER 40718821"})),
        ("NuORDER's own integration", json!({"b2bOrderNumber": "40718821", "refNum": "PO-from-NuORDER"})),
    ] {
        let (env, client) = setup();
        let store = MemoryStore::new();
        let st = staged(order("h01-basic-all-upcs"));
        let p = block_on(preview(&client, &store, ACCT, &st)).unwrap();
        assert_eq!(p.existing_po, None, "{what}");
        let mut po = po;
        po["vendorID"] = "1".into();
        po["shopID"] = "1".into();
        env.post("/seed", json!({"replace": false, "accounts": [{"accountID": ACCT, "orders": [po]}]}));
        let before = tables(&env);
        let out = block_on(run_export(&client, &store, &key(&st.order), Some(start_of(&st, &p)), &mut |_| {})).unwrap();
        assert!(matches!(out, RunOutcome::AlreadyExported { .. }), "{what}: {out:?}");
        assert_eq!(tables(&env), before, "{what}: nothing written");
    }
}

#[test]
fn a_po_made_by_nuorders_integration_is_seen_by_the_preview() {
    let (env, client) = setup();
    env.post(
        "/seed",
        json!({"replace": false, "accounts": [{"accountID": ACCT, "orders": [
            {"vendorID": "1", "shopID": "1", "b2bOrderNumber": "40718821", "refNum": "PO-from-NuORDER"},
        ]}]}),
    );
    let p = block_on(preview(&client, &MemoryStore::new(), ACCT, &staged(order("h01-basic-all-upcs")))).unwrap();
    assert!(p.existing_po.is_some(), "first-party PO seen");
}

fn requests(env: &Env) -> u64 {
    env.stats()["requests"].as_u64().unwrap_or(0)
}

#[test]
fn a_list_page_of_100_orders_costs_two_requests_and_a_reload_none() {
    let (env, client) = setup();
    let seeded = json!([
        {"vendorID": "1", "shopID": "1", "refNum": "NuORDER 70000007", "b2bOrderNumber": "70000007"},
        {"vendorID": "1", "shopID": "1", "b2bOrderNumber": "70000042", "refNum": "from NuORDER"},
        {"vendorID": "1", "shopID": "1", "refNum": "NuORDER 70000099", "archived": true},
    ]);
    env.post("/seed", json!({"replace": false, "accounts": [{"accountID": ACCT, "orders": seeded}]}));
    let account = LightspeedAccount {
        account_id: ACCT.into(),
        name: "Sandbox".into(),
        client_id: CHROME.into(),
        region: Default::default(),
        default_shop_id: None,
        needs_relink: false,
        linked_at_ms: 0,
        currency: None,
    };
    let page: Vec<OrderRef> =
        (0..100).map(|i| OrderRef { order_id: None, order_number: format!("{}", 70000000 + i) }).collect();
    let (store, recent) = (MemStore::new(), RefCell::new(RecentAnswers::default()));
    let now = 1_000_000;
    let at = |t: u64| {
        let before = requests(&env);
        let views = block_on(page_statuses(&store, &recent, &client, &account, (&page, Some(1)), t));
        (views, requests(&env) - before)
    };
    let (views, first) = at(now);
    assert!(first <= 2, "a 100-order page: {first} requests");
    let exported: Vec<&str> = views
        .iter()
        .filter(|v| matches!(v.status, JobStatus::Exported { .. }))
        .map(|v| v.order_number.as_str())
        .collect();
    assert_eq!(exported, ["70000007", "70000042", "70000099"]);
    let (again, reload) = at(now + STATUS_CACHE_MS - 1);
    assert_eq!(reload, 0, "a reload within the cache's life asks Lightspeed nothing");
    assert_eq!(
        again.iter().map(|v| &v.status).collect::<Vec<_>>(),
        views.iter().map(|v| &v.status).collect::<Vec<_>>()
    );
    let (_, later) = at(now + STATUS_CACHE_MS);
    assert!(later <= 2, "after the cache's life the page is asked again: {later}");
}

/// The twin check of issue 16 for the items a job creates: one request per page of them
/// (`⌈N / 100⌉`), not one per item (issue 17, item 3). Counted against the sandbox on orders whose
/// new items all have a code (3, and 150 over three styles), and on one with code-less items.
#[test]
fn a_job_checks_its_new_items_for_twins_in_one_request_per_page() {
    const PAGE: usize = 100;
    let cases = [
        ("h01-basic-all-upcs", order("h01-basic-all-upcs")),
        ("h02-two-colors-missing-upcs", order("h02-two-colors-missing-upcs")),
        ("150 new sizes", order_from(&many_new_sizes(3, 50))),
    ];
    for (what, o) in cases {
        let job = job_requests(what, o);
        let created = job.iter().filter(|u| u.starts_with("Post Item.json")).count();
        assert!(created > 0, "{what}: the job creates items");
        // After the job's first write, a clean run reads items only to look for their twins.
        let first_write = job.iter().position(|u| !u.starts_with("Get ")).unwrap();
        let twin_reads: Vec<&String> = job[first_write..].iter().filter(|u| u.starts_with("Get Item.json")).collect();
        let most = created.div_ceil(PAGE);
        assert!(
            twin_reads.len() <= most,
            "{what}: {created} new items, {} twin-check requests (at most {most}): {twin_reads:#?}",
            twin_reads.len()
        );
        assert!(!twin_reads.is_empty(), "{what}: the new items are still checked for twins");
    }
}

/// The twin check of issue 16 for the matrices (styles) a job creates: one request per page of
/// them (`⌈M / 100⌉`), not one per matrix (issue 17, item 3), before the first item joins one.
/// Counted against the sandbox on orders of 2, 3 and 150 new matrices.
#[test]
fn a_job_checks_its_new_matrices_for_twins_in_one_request_per_page() {
    const PAGE: usize = 100;
    let cases = [
        ("h02-two-colors-missing-upcs", order("h02-two-colors-missing-upcs")),
        ("3 new styles of 50 sizes", order_from(&many_new_sizes(3, 50))),
        ("150 new styles", order_from(&many_new_sizes(150, 1))),
    ];
    for (what, o) in cases {
        let job = job_requests(what, o);
        let created = job.iter().filter(|u| u.starts_with("Post ItemMatrix.json")).count();
        assert!(created > 0, "{what}: the job creates matrices");
        // After the job's first write, a clean run reads matrices only to look for their twins.
        let first_write = job.iter().position(|u| !u.starts_with("Get ")).unwrap();
        let twin_reads: Vec<&String> =
            job[first_write..].iter().filter(|u| u.starts_with("Get ItemMatrix.json")).collect();
        let most = created.div_ceil(PAGE);
        assert!(
            twin_reads.len() <= most,
            "{what}: {created} new matrices, {} twin-check requests (at most {most}): {:#?}",
            twin_reads.len(),
            &twin_reads[..twin_reads.len().min(3)]
        );
        assert!(!twin_reads.is_empty(), "{what}: the new matrices are still checked for twins");
        let last_matrix = job.iter().rposition(|u| u.starts_with("Post ItemMatrix.json")).unwrap();
        let first_item = job.iter().position(|u| u.starts_with("Post Item.json")).unwrap();
        assert!(
            job[last_matrix..first_item].iter().any(|u| u.starts_with("Get ItemMatrix.json")),
            "{what}: the matrices are checked after the last of them, before the first item joins one"
        );
    }
}

/// The requests of one clean export of `o` after its preview (the job's own), in order.
fn job_requests(what: &str, o: po_bridge::nuorder::model::Order) -> Vec<String> {
    let (_env, client, seen) = recording();
    let store = MemoryStore::new();
    let st = staged(o);
    let p = block_on(preview(&client, &store, ACCT, &st)).unwrap();
    let from = seen.borrow().len();
    let out = block_on(run_export(&client, &store, &key(&st.order), Some(start_of(&st, &p)), &mut |_| {})).unwrap();
    assert!(matches!(out, RunOutcome::Exported { .. }), "{what}: {out:?}");
    let job = seen.borrow()[from..].to_vec();
    job
}

/// An order of `products` products with `sizes` sizes each, every size with its own new UPC.
fn many_new_sizes(products: usize, sizes: usize) -> serde_json::Value {
    let mut o = order_json("h01-basic-all-upcs");
    let template = o["line_items"][0].clone();
    let mut lines = Vec::new();
    for p in 0..products {
        let mut line = template.clone();
        line["product"]["_id"] = format!("6512ab34cd56ef7890b2{p:04}").into();
        line["product"]["style_number"] = format!("BULK-{p}").into();
        let size = line["sizes"][0].clone();
        line["sizes"] = (0..sizes)
            .map(|s| {
                let mut z = size.clone();
                z["size"] = format!("S{s}").into();
                z["quantity"] = 1.into();
                z["upc"] = upc(format!("81234{p:04}{s:02}")).into();
                z
            })
            .collect();
        lines.push(line);
    }
    o["line_items"] = lines.into();
    o
}

/// A UPC-A with its check digit.
fn upc(eleven: String) -> String {
    let sum: u32 = eleven.bytes().enumerate().map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 }).sum();
    format!("{eleven}{}", (10 - sum % 10) % 10)
}
