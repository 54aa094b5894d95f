//! A wake of the worker reads what is unfinished, not the retailer's whole history: the index of
//! unfinished work (`app::unfinished`) is kept by the one save of each kind of record, a store
//! written before it is indexed once by the first wake, and a kill at any write still resumes every
//! running job (and only those).

mod app_support;

use app_support::{link_on_tab_10, NoClients};
use po_bridge::app::keys::{JOB_SET_PREFIX, JOURNAL_PREFIX, UNFINISHED_PREFIX, UPDATES_PREFIX};
use po_bridge::app::memory::{FixedCalendar, MemStore};
use po_bridge::app::platform::{KvStore, StoreError};
use po_bridge::app::service::App;
use po_bridge::export::batch::{JobSet, JobSetStore, OrderState, SetKey, SetOrder, JOB_SET_VERSION};
use po_bridge::export::journal::{Journal, JournalStore};
use po_bridge::lightspeed::native::block_on;
use po_bridge::update::{UpdateLog, UpdateStore};
use serde_json::{json, Value};
use std::cell::{Cell, RefCell};

/// The worker's store: records every read; dies (every write fails) after `writes_left` writes.
struct Counted<'a> {
    inner: &'a MemStore,
    reads: RefCell<Vec<String>>,
    writes_left: Cell<Option<usize>>,
}

impl Counted<'_> {
    fn write(&self) -> Result<(), StoreError> {
        match self.writes_left.get() {
            Some(0) => Err(StoreError("killed (test)".into())),
            Some(n) => {
                self.writes_left.set(Some(n - 1));
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// How many records under `prefix` were read.
    fn read_under(&self, prefix: &str) -> usize {
        self.reads.borrow().iter().filter(|k| k.starts_with(prefix)).count()
    }
}

impl KvStore for Counted<'_> {
    async fn get(&self, key: &str) -> Result<Option<Value>, StoreError> {
        self.reads.borrow_mut().push(key.to_string());
        self.inner.get(key).await
    }
    async fn put(&self, key: &str, value: Value) -> Result<(), StoreError> {
        self.write()?;
        self.inner.put(key, value).await
    }
    async fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.write()?;
        self.inner.delete(key).await
    }
    async fn keys(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        self.inner.keys(prefix).await
    }
}

type Worker<'a> = App<Counted<'a>, FixedCalendar, NoClients>;

/// A worker (its own marks of the index: a new process) over `mem`.
fn worker(mem: &MemStore) -> Worker<'_> {
    let store = Counted { inner: mem, reads: RefCell::default(), writes_left: Cell::new(None) };
    App {
        store,
        calendar: FixedCalendar::at(1_000),
        clients: NoClients,
        live: Default::default(),
        unfinished: Default::default(),
    }
}

/// A wake: the orders of the jobs, updates and sets it resumes.
fn wake(w: &Worker<'_>) -> (Vec<String>, Vec<String>, Vec<String>) {
    let (sets, _) = block_on(w.sets_to_resume(&|_| false, 20_000));
    let (jobs, _) = block_on(w.jobs_to_resume(&|_| false, 20_000));
    let updates = block_on(w.updates_to_resume(&|_| false));
    (
        jobs.into_iter().map(|r| r.key.order_id).collect(),
        updates.into_iter().map(|u| u.key.order_id).collect(),
        sets.into_iter().map(|s| s.key.set_id).collect(),
    )
}

fn journal(order: usize, outcome: Value) -> Journal {
    serde_json::from_value(json!({"version": 1, "key": {"account_id": "1", "order_id": format!("{order:024x}")},
        "order_number": format!("{order}"), "brand": "B", "shop_id": "1", "steps": [], "rows": [],
        "outcome": outcome}))
    .unwrap()
}

fn running() -> Value {
    json!({"outcome": "running"})
}

fn exported() -> Value {
    json!({"outcome": "exported", "po_id": "5"})
}

fn failed() -> Value {
    json!({"outcome": "failed", "message": "Lightspeed is down.", "retryable": true})
}

/// An update log of order `order` whose one revision ended `outcome` (`running` or `updated`).
fn update_log(order: usize, outcome: &str) -> UpdateLog {
    let text = std::fs::read_to_string(format!("{}/tests/fixtures/stored/records.json", env!("CARGO_MANIFEST_DIR")));
    let mut log: Value = serde_json::from_str::<Value>(&text.unwrap()).unwrap()["update_logs"][0].clone();
    let key = json!({"account_id": "1", "order_id": format!("{order:024x}")});
    log["key"] = key.clone();
    log["revisions"][0]["key"] = key;
    log["revisions"][0]["outcome"] = json!({"outcome": outcome});
    serde_json::from_value(log).unwrap()
}

/// A set of one order in `state`.
fn set(id: usize, state: OrderState) -> JobSet {
    let plan = serde_json::from_value(json!({
        "order_id": "o", "order_number": "1", "currency": "USD", "brand": "B",
        "vendor": {"status": "new", "name": "B"}, "rows": [], "products": [],
        "counts": {"confirmed": 0, "upc_match": 0, "sku_match": 0, "new": 0, "needs_choice": 0,
                   "chosen_existing": 0, "chosen_new": 0}
    }))
    .unwrap();
    let order = SetOrder {
        order_id: format!("{id:024x}"),
        order_number: format!("{id}"),
        brand: "B".into(),
        plan,
        shop_id: po_bridge::lightspeed::ShopId(1),
        today: "2026-11-27".into(),
        state,
    };
    JobSet {
        version: JOB_SET_VERSION,
        key: SetKey { account_id: "1".into(), set_id: format!("s{id}") },
        orders: vec![order],
        cancelled: false,
        paused_until: None,
    }
}

fn id(order: usize) -> String {
    format!("{order:024x}")
}

/// The records the index holds (their keys), marks of each kind left out.
fn indexed(mem: &MemStore) -> Vec<String> {
    let marks = [JOURNAL_PREFIX, UPDATES_PREFIX, JOB_SET_PREFIX].map(|p| format!("{UNFINISHED_PREFIX}{p}"));
    let entries = block_on(mem.keys(UNFINISHED_PREFIX)).unwrap();
    entries.into_iter().filter(|k| !marks.contains(k)).map(|k| k[UNFINISHED_PREFIX.len()..].to_string()).collect()
}

const HISTORY: usize = 200;

#[test]
fn a_wake_reads_what_is_unfinished_not_every_journal_update_and_set_ever_kept() {
    let mem = MemStore::new();
    let w = worker(&mem);
    link_on_tab_10(&w);
    assert_eq!(wake(&w), (vec![], vec![], vec![]), "a new install's first wake: an empty index");
    // The retailer's history, saved as the jobs save it: running, then finished.
    let (journals, updates) = (w.journals(), w.updates());
    for i in 0..HISTORY {
        let mut j = journal(i, running());
        block_on(journals.save(&j)).unwrap();
        j.outcome = serde_json::from_value(exported()).unwrap();
        block_on(journals.save(&j)).unwrap();
        block_on(updates.save_updates(&update_log(i, "running"))).unwrap();
        block_on(updates.save_updates(&update_log(i, "updated"))).unwrap();
        block_on(journals.save_set(&set(i, OrderState::Waiting))).unwrap();
        block_on(journals.save_set(&set(i, OrderState::Cancelled))).unwrap();
    }
    // And one of each still running when the worker stopped.
    block_on(journals.save(&journal(HISTORY, running()))).unwrap();
    block_on(updates.save_updates(&update_log(HISTORY + 1, "running"))).unwrap();
    block_on(journals.save_set(&set(HISTORY + 2, OrderState::Waiting))).unwrap();

    // The next worker's wake, part by part.
    let w = worker(&mem);
    let (sets, _) = block_on(w.sets_to_resume(&|_| false, 20_000));
    assert_eq!(sets.iter().map(|s| s.key.set_id.clone()).collect::<Vec<_>>(), [format!("s{}", HISTORY + 2)]);
    assert_eq!(w.store.read_under(JOB_SET_PREFIX), 1, "the running set only: {:?}", w.store.reads);
    w.store.reads.take();
    let (jobs, _) = block_on(w.jobs_to_resume(&|_| false, 20_000));
    assert_eq!(jobs.iter().map(|r| r.key.order_id.clone()).collect::<Vec<_>>(), [id(HISTORY)]);
    assert_eq!(w.store.read_under(JOURNAL_PREFIX), 1, "the running journal only: {:?}", w.store.reads);
    assert_eq!(w.store.read_under("pause:"), 1, "its pause only");
    assert_eq!(w.store.reads.take().len(), 4, "and the accounts, and its staged order (its buyer)");
    let updates = block_on(w.updates_to_resume(&|_| false));
    assert_eq!(updates.iter().map(|u| u.key.order_id.clone()).collect::<Vec<_>>(), [id(HISTORY + 1)]);
    assert_eq!(w.store.read_under(UPDATES_PREFIX), 1, "the running update's log only: {:?}", w.store.reads);
}

#[test]
fn a_store_written_before_the_index_is_indexed_by_its_first_wake() {
    let mem = MemStore::new();
    link_on_tab_10(&worker(&mem));
    // As an earlier version wrote them: the records alone.
    let put = |key: String, v: Value| block_on(mem.put(&key, v)).unwrap();
    for i in 0..50 {
        let j = journal(i, exported());
        put(format!("{JOURNAL_PREFIX}1:{}", id(i)), serde_json::to_value(&j).unwrap());
    }
    put(format!("{JOURNAL_PREFIX}1:{}", id(50)), serde_json::to_value(journal(50, running())).unwrap());
    put(format!("{UPDATES_PREFIX}1:{}", id(51)), serde_json::to_value(update_log(51, "running")).unwrap());
    put(format!("{UPDATES_PREFIX}1:{}", id(52)), serde_json::to_value(update_log(52, "updated")).unwrap());
    put(format!("{JOB_SET_PREFIX}1:s53"), serde_json::to_value(set(53, OrderState::Waiting)).unwrap());
    put(format!("{JOB_SET_PREFIX}1:s54"), serde_json::to_value(set(54, OrderState::Cancelled)).unwrap());

    let w = worker(&mem);
    assert_eq!(wake(&w), (vec![id(50)], vec![id(51)], vec!["s53".into()]), "the first wake scans, once");
    assert!(w.store.read_under(JOURNAL_PREFIX) > 50);
    let mut want = vec![format!("{JOURNAL_PREFIX}1:{}", id(50)), format!("{JOB_SET_PREFIX}1:s53")];
    want.push(format!("{UPDATES_PREFIX}1:{}", id(51)));
    assert_eq!(indexed(&mem), want, "the index is written");

    let w = worker(&mem);
    assert_eq!(wake(&w), (vec![id(50)], vec![id(51)], vec!["s53".into()]));
    let reads = w.store.reads.take();
    let journals: std::collections::BTreeSet<_> = reads.iter().filter(|k| k.starts_with(JOURNAL_PREFIX)).collect();
    let of = |order: usize| format!("{JOURNAL_PREFIX}1:{}", id(order));
    assert_eq!(journals, [of(50), of(51)].iter().collect(), "then only the running job's and the update's: {reads:?}");
}

/// A job's saves: it runs, fails (the network), is retried and runs again, and exports.
fn a_jobs_life() -> Vec<Journal> {
    [running(), running(), failed(), running(), running(), exported()].into_iter().map(|o| journal(7, o)).collect()
}

#[test]
fn a_kill_at_any_write_of_a_job_leaves_it_resumed_exactly_when_it_was_running() {
    let writes = {
        let mem = MemStore::new();
        let w = worker(&mem);
        wake(&w);
        w.store.writes_left.set(Some(1_000));
        a_jobs_life().iter().for_each(|j| block_on(w.journals().save(j)).unwrap());
        1_000 - w.store.writes_left.get().unwrap()
    };
    for kill in 0..=writes {
        let mem = MemStore::new();
        let w = worker(&mem);
        link_on_tab_10(&w);
        wake(&w);
        w.store.writes_left.set(Some(kill));
        for j in a_jobs_life() {
            if block_on(w.journals().save(&j)).is_err() {
                break;
            }
        }
        let stored: Option<Journal> = block_on(w.journals().load(&journal(7, running()).key)).unwrap();
        let was_running = stored.is_some_and(|j| matches!(j.outcome, po_bridge::export::journal::Outcome::Running));
        // The next worker.
        let w = worker(&mem);
        let (jobs, _, _) = wake(&w);
        let want = if was_running { vec![id(7)] } else { vec![] };
        assert_eq!(jobs, want, "killed at write {kill}");
        let left = if was_running { vec![format!("{JOURNAL_PREFIX}1:{}", id(7))] } else { vec![] };
        assert_eq!(indexed(&mem), left, "killed at write {kill}: an entry for nothing or a finished job is pruned");
    }
    // The entry costs a write when the job starts running, not at each save.
    assert_eq!(writes, 10, "an entry and a save to start, and again at the retry; a removal at each end");
}

#[test]
fn a_wake_leaves_the_entry_of_a_record_this_worker_is_saving() {
    let mem = MemStore::new();
    let w = worker(&mem);
    link_on_tab_10(&w);
    wake(&w);
    // The entry is written, the journal's save not yet (here: it failed; in the browser: pending).
    w.store.writes_left.set(Some(1));
    assert!(block_on(w.journals().save(&journal(7, running()))).is_err());
    w.store.writes_left.set(None);
    assert_eq!(wake(&w).0, Vec::<String>::new());
    block_on(w.journals().save(&journal(7, running()))).unwrap();
    assert_eq!(wake(&worker(&mem)).0, vec![id(7)], "the next worker resumes it");
}

#[test]
fn a_kill_at_any_write_of_a_set_leaves_it_resumed_exactly_when_it_was_unfinished() {
    let life = [OrderState::Waiting, OrderState::Running, OrderState::Cancelled];
    for kill in 0..=5 {
        let mem = MemStore::new();
        let w = worker(&mem);
        link_on_tab_10(&w);
        wake(&w);
        w.store.writes_left.set(Some(kill));
        for state in life.clone() {
            if block_on(w.journals().save_set(&set(3, state))).is_err() {
                break;
            }
        }
        let key = set(3, OrderState::Waiting).key;
        let unfinished = block_on(w.journals().load_set(&key)).unwrap().is_some_and(|s| !s.is_finished());
        let w = worker(&mem);
        let want: Vec<String> = if unfinished { vec!["s3".into()] } else { vec![] };
        assert_eq!(wake(&w).2, want, "killed at write {kill}");
        assert_eq!(indexed(&mem).len(), want.len(), "killed at write {kill}");
    }
}
