//! A job's status events go only to the tabs of the job's buyer (issue 14, item 4): the buyer
//! signed in on the tab that staged the order, never another buyer's tabs, even when that other
//! buyer exports into the same Lightspeed account.

mod app_support;

use app_support::{app, buyer, link_on_tab_10, TestApp};
use po_bridge::accounts::NuorderAccount;
use po_bridge::app::keys::StorageKey;
use po_bridge::app::memory::{MemStore, RecordedAlarms, RecordedEvents};
use po_bridge::app::sessions::{record_session, Asker, SeenSession};
use po_bridge::app::store;
use po_bridge::export::journal::{JobKey, Journal};
use po_bridge::lightspeed::native::block_on;
use po_bridge::protocol::PageBrand;
use serde_json::json;
use std::collections::BTreeSet;

/// A buyer of another retailer (a second NuORDER buyer account).
fn other_buyer() -> NuorderAccount {
    NuorderAccount {
        retailer_id: "r2".into(),
        retailer_name: "Birch".into(),
        buyer_email: "kim@birch.example".into(),
        buyer_name: "Kim".into(),
    }
}

fn order_json(id: &str, number: &str) -> serde_json::Value {
    let path = format!("{}/tests/fixtures/nuorder/orders/h01-basic-all-upcs.json", env!("CARGO_MANIFEST_DIR"));
    let mut order: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    order["_id"] = json!(id);
    order["order_number"] = json!(number);
    order
}

/// One Lightspeed account; buyer A linked to it on tabs 10 and 11; buyer B (another retailer, no
/// link of its own, so it also exports into the only account) on tab 20.
fn shared_account() -> TestApp {
    let a = app(MemStore::new(), 5);
    link_on_tab_10(&a);
    let mut seen: Vec<SeenSession> = block_on(store::get_or_default(&a.store, &StorageKey::NuorderSessions)).unwrap();
    record_session(&mut seen, other_buyer(), Some(20), 2);
    record_session(&mut seen, buyer("a@x.com"), Some(11), 3);
    block_on(store::put(&a.store, &StorageKey::NuorderSessions, &seen)).unwrap();
    a
}

/// Stage `order` from `tab` and store a finished job for it (running it sends the final status
/// without reaching Lightspeed).
fn staged_and_exported(a: &TestApp, id: &str, number: &str, tab: i64) -> String {
    let (order_id, _, _) =
        block_on(a.stage(order_json(id, number), vec![], PageBrand::default(), Asker::tab(Some(tab)), &[3; 16]))
            .unwrap();
    let j: Journal = serde_json::from_value(json!({"version": 1, "key": {"account_id": "1", "order_id": order_id},
        "order_number": number, "brand": "B", "shop_id": "1",
        "steps": [], "rows": [],
        "outcome": {"outcome": "exported", "po_id": "5"}}))
    .unwrap();
    block_on(store::put(&a.store, &StorageKey::Journal(j.key.clone()), &j)).unwrap();
    order_id
}

/// The tabs that got a status event when the job of `order_id` ran, and whether the extension's
/// pages got it too.
fn tabs_told(a: &TestApp, order_id: &str) -> (BTreeSet<i64>, bool) {
    let popup = Asker { tab_id: None, extension_page: true, framed: false };
    let run = block_on(a.retry(order_id, None, popup)).unwrap();
    let events = RecordedEvents::default();
    block_on(a.run_job(run, &events, &RecordedAlarms::default(), &Default::default()));
    let sent = events.0.borrow();
    let tabs = sent.iter().filter_map(|(tab, _)| *tab).collect();
    (tabs, sent.iter().any(|(tab, _)| tab.is_none()))
}

#[test]
fn a_jobs_events_reach_only_the_tabs_of_the_buyer_who_staged_it() {
    let a = shared_account();
    let of_a = staged_and_exported(&a, "oa", "100", 10);
    let of_b = staged_and_exported(&a, "ob", "200", 20);
    // Both jobs write into account 1; each one's events go to its own buyer's tabs only.
    assert_eq!(tabs_told(&a, &of_a), (BTreeSet::from([10, 11]), true), "buyer A's job");
    assert_eq!(tabs_told(&a, &of_b), (BTreeSet::from([20]), true), "buyer B's job");
}

#[test]
fn a_tab_that_changed_buyer_no_longer_gets_the_first_buyers_events() {
    let a = shared_account();
    let of_a = staged_and_exported(&a, "oa", "100", 10);
    // Tab 11 now shows buyer B (the profile signed in again as B).
    let mut seen = block_on(a.sessions());
    record_session(&mut seen, other_buyer(), Some(11), 9);
    block_on(store::put(&a.store, &StorageKey::NuorderSessions, &seen)).unwrap();
    assert_eq!(tabs_told(&a, &of_a).0, BTreeSet::from([10]));
}

#[test]
fn a_resumed_job_keeps_its_buyer_and_a_job_without_a_staged_record_tells_no_tab() {
    let a = shared_account();
    let of_b = staged_and_exported(&a, "ob", "200", 20);
    let key = JobKey { account_id: "1".into(), order_id: of_b.clone() };
    let mut j: Journal = block_on(store::get(&a.store, &StorageKey::Journal(key.clone()))).unwrap().unwrap();
    j.outcome = serde_json::from_value(json!({"outcome": "running"})).unwrap();
    block_on(store::put(&a.store, &StorageKey::Journal(key.clone()), &j)).unwrap();
    let (runs, _) = block_on(a.jobs_to_resume(&|_| false, 20_000));
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].buyer.as_ref().map(NuorderAccount::key), Some(other_buyer().key()), "the stager, on wake");
    assert_eq!(block_on(a.tabs_of_buyer(runs[0].buyer.as_ref())), vec![20]);
    // The staged record gone (an old job): no tab is told; the extension's pages still are.
    block_on(store::delete(&a.store, &StorageKey::Staged(of_b.clone()))).unwrap();
    let (runs, _) = block_on(a.jobs_to_resume(&|_| false, 20_000));
    assert_eq!(runs[0].buyer, None);
    assert!(block_on(a.tabs_of_buyer(None)).is_empty());
}
