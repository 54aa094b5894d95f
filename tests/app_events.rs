//! A job's status events go only to the tabs of the job's buyer (issue 14, item 4): the buyer
//! signed in on the tab that staged the order, never another buyer's tabs, even when that other
//! buyer exports into the same Lightspeed account. Those tabs are the buyer's as they are at each
//! event: while an export or a set runs (against the Lightspeed sandbox), a tab the buyer opens
//! gets the later events, and a tab whose session ended or that now shows another buyer gets no
//! more (an update's: `app_update`). Two tabs reporting their sessions at once both count: the
//! reports change the stored list, and the one the running jobs follow, one at a time.

mod app_support;
mod client_support;

use app_support::{acct, app, buyer, link_on_tab_10, me, other_buyer, report, MidRun, NoClients, TestApp};
use client_support::{start, SandboxClients, ACCT};
use po_bridge::accounts::{AccountsState, NuorderAccount};
use po_bridge::app::capability::{token_of, Holder};
use po_bridge::app::keys::StorageKey;
use po_bridge::app::memory::{FixedCalendar, MemStore, RecordedAlarms, RecordedEvents};
use po_bridge::app::platform::{KvStore, StoreError};
use po_bridge::app::preview::DialogView;
use po_bridge::app::service::App;
use po_bridge::app::sessions::{record_session, Asker, SeenSession};
use po_bridge::app::store;
use po_bridge::core::status::JobStatus;
use po_bridge::export::journal::{JobKey, Journal};
use po_bridge::lightspeed::native::block_on;
use po_bridge::protocol::{BatchPick, Event, PageBrand};
use serde_json::json;
use std::collections::BTreeSet;

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

type SandboxApp = App<MemStore, FixedCalendar, SandboxClients>;

const HOLDER: Holder = Holder { tab_id: Some(10), frame_id: Some(3) };

/// The sandbox's account linked to buyer A, whom NuORDER shows on tabs 10, 11 and 13.
fn sandboxed() -> SandboxApp {
    let env = start();
    let token = env.mint(json!({})).access_token;
    let clients = SandboxClients { env, token };
    let a = App {
        store: MemStore::new(),
        calendar: FixedCalendar::at(1_767_000_000_000),
        clients,
        live: Default::default(),
        unfinished: Default::default(),
    };
    let mut seen = Vec::new();
    for (i, tab) in [10, 11, 13].into_iter().enumerate() {
        record_session(&mut seen, buyer("a@x.com"), Some(tab), i as u64);
    }
    block_on(store::put(&a.store, &StorageKey::NuorderSessions, &seen)).unwrap();
    let mut state = AccountsState::default();
    state.upsert_lightspeed(acct(ACCT));
    state.link_buyer(buyer("a@x.com"), ACCT).unwrap();
    block_on(a.save_state(&state)).unwrap();
    a
}

/// Mid-run, as content scripts report them: buyer A opens tab 12, buyer B signs in on tab 20, tab
/// 13 now shows buyer B, tab 11's session ends.
fn sessions_change(a: &SandboxApp) {
    report(a, me(&buyer("a@x.com")), 12);
    report(a, me(&other_buyer()), 20);
    report(a, me(&other_buyer()), 13);
    report(a, serde_json::Value::Null, 11);
}

/// The job's events went to buyer A's tabs as they were at each event.
fn followed(events: &MidRun) {
    let (before, after) = events.tabs_before_and_after();
    assert_eq!(before, BTreeSet::from([10, 11, 13]), "buyer A's tabs at the start");
    assert_eq!(after, BTreeSet::from([10, 12]), "then A's tabs as they are: the new one; not the ended one, nor B's");
    assert_eq!(events.tabs_of_last(), BTreeSet::from([10, 12]), "the end too");
}

#[test]
fn a_running_exports_events_go_to_its_buyers_tabs_as_they_are_at_each_event() {
    let a = sandboxed();
    let doc = order_json("live-1", "300");
    let (_, _, dialog) = block_on(a.stage(doc, vec![], PageBrand::default(), Asker::tab(Some(10)), &[4; 16])).unwrap();
    let token = token_of(&dialog).unwrap().to_string();
    let DialogView::Preview(p) = block_on(a.preview(&token, HOLDER)).unwrap() else { panic!("the export preview") };
    let run = block_on(a.start(&p.order_id, &p.shops[0].shop_id, vec![], &token, HOLDER)).unwrap();
    // The sessions change once the first progress has gone out.
    let events = MidRun::new(&a.calendar.now, |e| matches!(e, Event::Status(_)), || sessions_change(&a));
    assert_eq!(block_on(a.run_job(run, &events, &RecordedAlarms::default(), &Default::default())), None);
    followed(&events);
    let to_12 = events.sent.borrow().iter().filter(|(tab, _)| *tab == Some(12)).count();
    assert!(to_12 > 1, "its progress, not only its end: {to_12}");
}

#[test]
fn a_running_sets_events_go_to_its_buyers_tabs_as_they_are_at_each_event() {
    let a = sandboxed();
    let (_, spec) = started_set(&a, &["h01-basic-all-upcs", "h04-discount-surcharge-shipping", "h03-prepacks"], 5);
    // The sessions change once the bar reads 1 of 3 exported.
    let first_done = |e: &Event| matches!(e, Event::Set(v) if v.done == 1);
    let events = MidRun::new(&a.calendar.now, first_done, || sessions_change(&a));
    assert_eq!(block_on(a.run_set(spec, &events, &RecordedAlarms::default())), None);
    followed(&events);
    let last = events.sent.borrow().last().map(|(_, e)| e.event.clone());
    assert!(matches!(&last, Some(Event::Set(v)) if v.label == "3 of 3 exported"), "{last:?}");
}

/// A set whose storage fails mid-run: the order it stopped in ends as *Export failed* with Retry
/// on its buyer's tabs (not left in progress); an order that had finished is left as it ended.
#[test]
fn a_set_whose_storage_fails_ends_its_running_order_as_failed() {
    let in_progress = |v: &po_bridge::protocol::OrderStatusView| matches!(v.status, JobStatus::InProgress { .. });
    let exported = |v: &po_bridge::protocol::OrderStatusView| matches!(v.status, JobStatus::Exported { .. });
    // Failing in the second order's job: it ends as failed.
    let (ids, last, bar) =
        set_with_storage_failing(move |ids, v| v.order_id.as_deref() == Some(&ids[1]) && in_progress(v));
    let message = po_bridge::export::runner::RunError::Store(String::new()).user_message();
    let failed = last(&ids[1]).expect("the second order's status");
    assert_eq!(failed.status, JobStatus::Failed { message, retryable: true, again: false }, "not left in progress");
    assert!(failed.badge.retry, "{:?}", failed.badge);
    assert!(exported(&last(&ids[0]).unwrap()), "the first order stays exported");
    assert_eq!(bar.as_deref(), Some("1 of 2 exported · 1 failed"), "the list's bar says one failed");
    // Failing between the orders, once the first is exported: nothing is running, nothing changes.
    let (ids, last, bar) =
        set_with_storage_failing(move |ids, v| v.order_id.as_deref() == Some(&ids[0]) && exported(v));
    assert!(exported(&last(&ids[0]).unwrap()), "the first order stays exported");
    assert!(last(&ids[1]).is_none_or(|v| !matches!(v.status, JobStatus::Failed { .. })), "{:?}", last(&ids[1]));
    assert!(bar.as_deref().is_none_or(|l| !l.contains("failed")), "{bar:?}");
}

type LastStatus = Box<dyn Fn(&str) -> Option<po_bridge::protocol::OrderStatusView>>;

/// A set of two orders run with the store failing after the first status `when` matches; the
/// orders' ids, each order's last status sent to the extension's pages, and the bar's last label.
fn set_with_storage_failing(
    when: impl Fn(&[String], &po_bridge::protocol::OrderStatusView) -> bool + 'static,
) -> (Vec<String>, LastStatus, Option<String>) {
    let a = sandboxed();
    let (ids, spec) = started_set(&a, &["h01-basic-all-upcs", "h04-discount-surcharge-shipping"], 6);
    let asked = ids.clone();
    let matches = move |e: &Event| matches!(e, Event::Status(v) if when(&asked, v));
    let events = MidRun::new(&a.calendar.now, matches, || a.store.broken.set(true));
    block_on(a.run_set(spec, &events, &RecordedAlarms::default()));
    let sent: Vec<_> = events.sent.borrow().clone();
    let bar = sent.iter().rev().find_map(|(tab, e)| match &e.event {
        Event::Set(v) if tab.is_none() => Some(v.label.clone()),
        _ => None,
    });
    let last = move |id: &str| {
        sent.iter().rev().find_map(|(tab, e)| match &e.event {
            Event::Status(v) if tab.is_none() && v.order_id.as_deref() == Some(id) => Some(v.clone()),
            _ => None,
        })
    };
    (ids, Box::new(last), bar)
}

/// These fixture orders staged on tab 10 and started as one set (`nonce`: its capability's bytes):
/// their ids, and the set to run.
fn started_set(a: &SandboxApp, fixtures: &[&str], nonce: u8) -> (Vec<String>, po_bridge::app::batch_run::SetRunSpec) {
    let brand = PageBrand { id: None, name: Some("Harbor Goods".into()) };
    let ids: Vec<String> = fixtures
        .iter()
        .map(|n| block_on(a.stage_record(fixture(n), vec![], brand.clone(), Asker::tab(Some(10)))).unwrap().1)
        .collect();
    let (_, dialog) = block_on(a.open_batch(ids.clone(), Asker::tab(Some(10)), &[nonce; 24])).unwrap();
    let cap = token_of(&dialog).unwrap().to_string();
    let view = block_on(a.preview_batch(&cap, HOLDER)).unwrap().unwrap();
    let shop = &view.shops[0].shop_id;
    let picks = ids.iter().map(|id| BatchPick { order_id: id.clone(), shop_id: shop.clone(), choices: vec![] });
    let set = block_on(a.start_batch(&cap, HOLDER, picks.collect())).unwrap();
    (ids, block_on(a.set_spec(&set)).unwrap())
}

fn fixture(name: &str) -> serde_json::Value {
    let path = format!("{}/tests/fixtures/nuorder/orders/{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The in-memory store answering one turn of the executor later (as IndexedDB's answers come): a
/// read answers what was stored when it was asked, a write lands when it answers. Two requests'
/// reads and writes interleave.
struct Slow(MemStore);

async fn one_turn() {
    let mut waited = false;
    std::future::poll_fn(|cx| {
        if std::mem::replace(&mut waited, true) {
            return std::task::Poll::Ready(());
        }
        cx.waker().wake_by_ref();
        std::task::Poll::Pending
    })
    .await;
}

impl KvStore for Slow {
    async fn get(&self, key: &str) -> Result<Option<serde_json::Value>, StoreError> {
        let value = self.0.get(key).await;
        one_turn().await;
        value
    }
    async fn put(&self, key: &str, value: serde_json::Value) -> Result<(), StoreError> {
        one_turn().await;
        self.0.put(key, value).await
    }
    async fn delete(&self, key: &str) -> Result<(), StoreError> {
        one_turn().await;
        self.0.delete(key).await
    }
    async fn keys(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        let keys = self.0.keys(prefix).await;
        one_turn().await;
        keys
    }
}

#[test]
fn two_tabs_reporting_at_once_both_count() {
    let a = App {
        store: Slow(MemStore::new()),
        calendar: FixedCalendar::at(1),
        clients: NoClients,
        live: Default::default(),
        unfinished: Default::default(),
    };
    // Running jobs of each buyer, started before either tab reported.
    let (to_a, to_b) =
        block_on(async { futures::join!(a.recipients(Some(buyer("a@x.com"))), a.recipients(Some(other_buyer()))) });
    let (of_a, of_b) = (me(&buyer("a@x.com")), me(&other_buyer()));
    let (ra, rb) =
        block_on(async { futures::join!(a.report_session(&of_a, Some(10)), a.report_session(&of_b, Some(20))) });
    ra.unwrap();
    rb.unwrap();
    let stored: Vec<SeenSession> = block_on(store::get_or_default(&a.store.0, &StorageKey::NuorderSessions)).unwrap();
    let tabs: BTreeSet<_> = stored.iter().filter_map(|s| s.tab_id).collect();
    assert_eq!(tabs, BTreeSet::from([10, 20]), "both reports stored: {stored:?}");
    assert_eq!((to_a.tabs(), to_b.tabs()), (vec![10], vec![20]), "the running jobs follow both");
}

/// The in-memory store whose reads of one key fail (a storage fault).
struct Unreadable(MemStore, StorageKey);

impl KvStore for Unreadable {
    async fn get(&self, key: &str) -> Result<Option<serde_json::Value>, StoreError> {
        if key == self.1.as_string() {
            return Err(StoreError("the read failed".into()));
        }
        self.0.get(key).await
    }
    async fn put(&self, key: &str, value: serde_json::Value) -> Result<(), StoreError> {
        self.0.put(key, value).await
    }
    async fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.0.delete(key).await
    }
    async fn keys(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        self.0.keys(prefix).await
    }
}

#[test]
fn a_report_whose_stored_sessions_cannot_be_read_keeps_the_others() {
    let kept = vec![SeenSession { account: buyer("a@x.com"), tab_id: Some(10), seen_ms: 1 }];
    let store = MemStore::new();
    block_on(store::put(&store, &StorageKey::NuorderSessions, &kept)).unwrap();
    let a = App {
        store: Unreadable(store, StorageKey::NuorderSessions),
        calendar: FixedCalendar::at(2),
        clients: NoClients,
        live: Default::default(),
        unfinished: Default::default(),
    };
    assert!(block_on(a.report_session(&me(&other_buyer()), Some(20))).is_err(), "the fault is answered");
    let stored: Vec<SeenSession> = block_on(store::get_or_default(&a.store.0, &StorageKey::NuorderSessions)).unwrap();
    assert_eq!(stored, kept, "tab 10's buyer is not dropped");
}

/// A read of the history or of the order-number index that fails leaves it as it is: writing
/// after it would replace every entry with the one being added.
#[test]
fn an_unreadable_history_or_number_index_is_not_written_over() {
    use po_bridge::app::status::{remember_number, view};
    use po_bridge::core::status::JobStatus;
    let store = MemStore::new();
    let older = view(Some(&acct(ACCT)), "1001", Some("o1"), JobStatus::NotExported);
    let plain = App {
        store: MemStore::new(),
        calendar: FixedCalendar::at(2),
        clients: NoClients,
        live: Default::default(),
        unfinished: Default::default(),
    };
    block_on(plain.record_history(&older));
    let kept: serde_json::Value = block_on(store::get(&plain.store, &StorageKey::History)).unwrap().unwrap();
    block_on(store::put(&store, &StorageKey::History, &kept)).unwrap();
    let numbers = StorageKey::Numbers(ACCT.into());
    block_on(remember_number(&store, ACCT, "1001", "o1"));

    let a = App {
        store: Unreadable(store, StorageKey::History),
        calendar: plain.calendar,
        clients: NoClients,
        live: Default::default(),
        unfinished: Default::default(),
    };
    let newer = view(Some(&acct(ACCT)), "1002", Some("o2"), JobStatus::NotExported);
    block_on(a.record_history(&newer));
    let after: serde_json::Value = block_on(store::get(&a.store.0, &StorageKey::History)).unwrap().unwrap();
    assert_eq!(after, kept, "order 1001 is still in the history");

    let index = Unreadable(a.store.0, numbers.clone());
    block_on(remember_number(&index, ACCT, "1002", "o2"));
    let after: std::collections::BTreeMap<String, String> = block_on(store::get(&index.0, &numbers)).unwrap().unwrap();
    assert_eq!(after.keys().collect::<Vec<_>>(), ["1001"]);
}
