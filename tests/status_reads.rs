//! A woken worker's status request (issue 17, item 2): an exported order's status is answered from
//! the store in as few rounds of reads as its answer allows — the tab's account and session
//! together, then the job, then what became of its PO (its updates and its made-from record)
//! together, the batches' sets listed beside the job — and no record is read twice or read at all
//! when the answer does not need it.

mod app_support;

use app_support::{link_on_tab_10, NoClients};
use po_bridge::app::keys::StorageKey;
use po_bridge::app::keys::{JOB_SET_PREFIX, UNFINISHED_PREFIX};
use po_bridge::app::made_from::PoSource;
use po_bridge::app::memory::{FixedCalendar, MemStore};
use po_bridge::app::platform::{KvStore, StoreError};
use po_bridge::app::service::App;
use po_bridge::app::sessions::Asker;
use po_bridge::app::{status, store};
use po_bridge::core::status::JobStatus;
use po_bridge::export::journal::{JobKey, Journal};
use po_bridge::lightspeed::native::block_on;
use po_bridge::lightspeed::OrderId;
use po_bridge::nuorder::model::parse_order_value;
use po_bridge::protocol::{OrderRef, OrderStatusView};
use serde_json::{json, Value};
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::{pin, Pin};
use std::task::{Context, Poll};

const ID: &str = "65f0a0a0a0a0a0a0a0a0a001";
const NUMBER: &str = "7001";

/// A store whose reads each take one round: a read asked in round `n` is answered in round `n + 1`
/// (the rounds are counted by [`run`]), so reads asked together finish together and reads asked
/// one after another take one round each. Every read is recorded with the round it was asked in.
#[derive(Default)]
struct RoundStore {
    inner: MemStore,
    round: Cell<u32>,
    /// Off while the test's records are written (reads then answer at once).
    timed: Cell<bool>,
    reads: RefCell<Vec<(u32, String)>>,
}

struct NextRound<'a>(&'a Cell<u32>, u32);

impl Future for NextRound<'_> {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0.get() > self.1 {
            return Poll::Ready(());
        }
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

impl KvStore for RoundStore {
    async fn get(&self, key: &str) -> Result<Option<Value>, StoreError> {
        if self.timed.get() {
            let asked = self.round.get();
            self.reads.borrow_mut().push((asked, key.to_string()));
            NextRound(&self.round, asked).await;
        }
        self.inner.get(key).await
    }
    async fn put(&self, key: &str, value: Value) -> Result<(), StoreError> {
        self.inner.put(key, value).await
    }
    async fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.inner.delete(key).await
    }
    async fn keys(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        if self.timed.get() {
            let asked = self.round.get();
            self.reads.borrow_mut().push((asked, format!("keys {prefix}")));
            NextRound(&self.round, asked).await;
        }
        self.inner.keys(prefix).await
    }
}

type RoundApp = App<RoundStore, FixedCalendar, NoClients>;

/// Poll `fut` until done, one round per poll.
fn run<T>(store: &RoundStore, fut: impl Future<Output = T>) -> T {
    let mut fut = pin!(fut);
    let waker = futures::task::noop_waker();
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
        store.round.set(store.round.get() + 1);
        assert!(store.round.get() < 100, "the status never finished");
    }
}

fn key() -> JobKey {
    JobKey { account_id: "1".into(), order_id: ID.into() }
}

/// Account 1 linked to the buyer signed in on tab 10; the order exported as PO 5, what the PO was
/// made from kept and its number remembered.
fn exported() -> RoundApp {
    let a: RoundApp = App {
        store: RoundStore::default(),
        calendar: FixedCalendar::at(5),
        clients: NoClients,
        live: Default::default(),
        unfinished: Default::default(),
    };
    link_on_tab_10(&a);
    let j: Journal = serde_json::from_value(json!({"version": 1, "key": {"account_id": "1", "order_id": ID},
        "order_number": NUMBER, "brand": "B", "shop_id": "1", "steps": [], "rows": [],
        "outcome": {"outcome": "exported", "po_id": "5"}}))
    .unwrap();
    block_on(store::put(&a.store, &StorageKey::Journal(key()), &j)).unwrap();
    let path = format!("{}/tests/fixtures/nuorder/orders/h01-basic-all-upcs.json", env!("CARGO_MANIFEST_DIR"));
    let mut order: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    order["_id"] = json!(ID);
    order["order_number"] = json!(NUMBER);
    let mut source = PoSource::of_order(&parse_order_value(&order).unwrap(), "1", 5);
    source.po_id = Some(OrderId(5));
    block_on(store::put(&a.store, &StorageKey::MadeFrom(key()), &source)).unwrap();
    block_on(status::remember_number(&a.store, "1", NUMBER, ID));
    // The worker has woken before (its wake indexed the store's unfinished work).
    block_on(a.sets_to_resume(&|_| false, 20_000));
    a.store.timed.set(true);
    a
}

/// A content script's status request for `order` (no rows shown), with the reads it made.
fn asked(order: OrderRef) -> (OrderStatusView, Vec<(u32, String)>) {
    let a = exported();
    let recent = Default::default();
    let (linked, mut views) = run(&a.store, a.row_statuses(&[order], &[], Asker::tab(Some(10)), &recent)).unwrap();
    assert!(linked);
    assert_eq!(views[0].status, JobStatus::Exported { po_id: OrderId(5) });
    (views.remove(0), a.store.reads.take())
}

fn keys(keys: &[StorageKey]) -> Vec<String> {
    keys.iter().map(StorageKey::as_string).collect()
}

#[test]
fn an_exported_orders_status_takes_three_rounds_of_reads_each_record_once() {
    let (_, reads) = asked(OrderRef { order_id: Some(ID.into()), order_number: NUMBER.into() });
    let round = |n: u32| reads.iter().filter(|(r, _)| *r == n).map(|(_, k)| k.clone()).collect::<Vec<_>>();
    assert_eq!(round(0), keys(&[StorageKey::Accounts, StorageKey::NuorderSessions]), "{reads:?}");
    // The batches' sets (an order waiting in one shows as queued) are listed beside the job.
    let sets = format!("keys {UNFINISHED_PREFIX}{JOB_SET_PREFIX}");
    assert_eq!(round(1), [keys(&[StorageKey::Journal(key())]), vec![sets]].concat(), "{reads:?}");
    assert_eq!(round(2), keys(&[StorageKey::Updates(key()), StorageKey::MadeFrom(key())]), "{reads:?}");
    assert_eq!(reads.len(), 6, "nothing else is read: {reads:?}");
}

#[test]
fn a_row_known_only_by_its_number_reads_the_number_index_once() {
    let (view, reads) = asked(OrderRef { order_id: None, order_number: NUMBER.into() });
    assert_eq!(view.po_number.as_deref(), Some("5"));
    let index = StorageKey::Numbers("1".into()).as_string();
    assert_eq!(reads.iter().filter(|(_, k)| *k == index).count(), 1, "{reads:?}");
    assert_eq!(reads.len(), 7, "{reads:?}");
}
