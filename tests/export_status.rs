//! Statuses have one path: `app::status::page_statuses` (the local journal, then Lightspeed's
//! recent answers, then Lightspeed) picks the status, `export::badge` renders it. This table is the
//! documentation of the widget: where a status comes from → what the badge says and allows.

use po_bridge::accounts::{LightspeedAccount, Region};
use po_bridge::app::memory::MemStore;
use po_bridge::app::platform::KvStore;
use po_bridge::app::status::{page_statuses, ExportedLookup, RecentAnswers, STATUS_CACHE_MS};
use po_bridge::export::runner::RunError;
use po_bridge::export::status::JobStatus;
use po_bridge::lightspeed::client::ClientError;
use po_bridge::lightspeed::http::{Method, TransportError};
use po_bridge::lightspeed::native::block_on;
use po_bridge::lightspeed::OrderId;
use po_bridge::protocol::OrderRef;
use serde_json::json;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

/// Lightspeed as the status lookup sees it.
enum Answer {
    Found(&'static [(&'static str, u64)]),
    Network,
    Relink,
}

struct Lookup {
    answer: Answer,
    asked: Cell<usize>,
}

impl ExportedLookup for Lookup {
    async fn exported(&self, numbers: &[String]) -> Result<BTreeMap<String, OrderId>, RunError> {
        self.asked.set(self.asked.get() + numbers.len());
        match &self.answer {
            Answer::Found(f) => Ok(f.iter().map(|(n, id)| (n.to_string(), OrderId(*id))).collect()),
            Answer::Network => Err(RunError::Client(ClientError::Transport {
                method: Method::Get,
                path: "/Order.json".into(),
                source: TransportError::Connection("offline".into()),
            })),
            Answer::Relink => Err(RunError::Client(ClientError::NeedsRelink { detail: "invalid_grant".into() })),
        }
    }
}

fn account() -> LightspeedAccount {
    LightspeedAccount {
        account_id: "7".into(),
        name: "Shop".into(),
        client_id: "c".into(),
        region: Region::Us,
        default_shop_id: None,
        needs_relink: false,
        linked_at_ms: 1,
        currency: None,
    }
}

fn journal(order_id: &str, number: &str, outcome: serde_json::Value) -> serde_json::Value {
    json!({"version": 1, "key": {"account_id": "7", "order_id": order_id}, "order_number": number,
           "brand": "B", "shop_id": "1", "steps": [], "rows": [], "outcome": outcome})
}

fn status_of(store: &MemStore, recent: &RefCell<RecentAnswers>, answer: Answer, order: OrderRef) -> (JobStatus, usize) {
    let lookup = Lookup { answer, asked: Cell::new(0) };
    let views = block_on(page_statuses(store, recent, &lookup, &account(), (&[order], None), 1_000_000));
    (views[0].status.clone(), lookup.asked.get())
}

fn order(id: Option<&str>, number: &str) -> OrderRef {
    OrderRef { order_id: id.map(str::to_string), order_number: number.to_string() }
}

#[test]
fn one_path_from_journal_to_lightspeed_to_the_badge() {
    let store = MemStore::new();
    block_on(store.put("po-bridge-job:7:a1", journal("a1", "100", json!({"outcome": "exported", "po_id": "55"}))))
        .unwrap();
    block_on(store.put("po-bridge-job:7:a2", journal("a2", "200", json!({"outcome": "running"})))).unwrap();
    let failed = json!({"outcome": "failed", "message": "Lightspeed is down.", "retryable": true});
    block_on(store.put("po-bridge-job:7:a3", journal("a3", "300", failed))).unwrap();
    block_on(store.put("po-bridge-job:7:a4", journal("a4", "400", json!({"outcome": "needs_relink"})))).unwrap();
    block_on(store.put("numbers:7", json!({"300": "a3"}))).unwrap();
    let recent = RefCell::new(RecentAnswers::default());
    recent.borrow_mut().record("7", "600", 1_000_000 - STATUS_CACHE_MS + 1, Some(OrderId(66)));
    recent.borrow_mut().record("7", "700", 1_000_000 - STATUS_CACHE_MS, Some(OrderId(77)));
    // (order, Lightspeed's answer) → (status, badge words, action enabled, Lightspeed asked)
    let rows: Vec<(OrderRef, Answer, JobStatus, &str, bool, usize)> = vec![
        (order(Some("a1"), "100"), Answer::Network, JobStatus::Exported { po_id: OrderId(55) }, "Exported", false, 0),
        (
            order(Some("a2"), "200"),
            Answer::Network,
            JobStatus::InProgress { step: "Done".into(), done: 0, total: 0 },
            "Export in progress",
            false,
            0,
        ),
        (
            order(None, "300"),
            Answer::Network,
            JobStatus::Failed { message: "Lightspeed is down.".into(), retryable: true, again: false },
            "Export failed",
            false,
            0,
        ),
        (order(Some("a4"), "400"), Answer::Network, JobStatus::NeedsRelink, "Account needs re-linking", true, 0),
        (
            order(None, "500"),
            Answer::Found(&[("500", 5)]),
            JobStatus::Exported { po_id: OrderId(5) },
            "Exported",
            false,
            1,
        ),
        (order(None, "510"), Answer::Found(&[]), JobStatus::NotExported, "Not exported", true, 1),
        (order(None, "600"), Answer::Network, JobStatus::Exported { po_id: OrderId(66) }, "Exported", false, 0),
        (order(None, "700"), Answer::Found(&[]), JobStatus::NotExported, "Not exported", true, 1),
        // Lightspeed cannot be asked: "can't check right now", never Not exported; Export stays usable.
        (order(None, "800"), Answer::Network, JobStatus::Unchecked, "Export status unavailable", true, 1),
        (order(None, "900"), Answer::Relink, JobStatus::NeedsRelink, "Account needs re-linking", true, 1),
    ];
    for (o, answer, want, words, enabled, asked) in rows {
        let number = o.order_number.clone();
        let lookup = Lookup { answer, asked: Cell::new(0) };
        let v = block_on(page_statuses(&store, &recent, &lookup, &account(), (&[o], None), 1_000_000)).remove(0);
        let got_status = match v.status {
            JobStatus::InProgress { done, total, .. } => JobStatus::InProgress { step: "Done".into(), done, total },
            s => s,
        };
        assert_eq!(got_status, want, "order {number}");
        assert_eq!((v.badge.text.as_str(), v.badge.action_enabled), (words, enabled), "order {number}");
        assert_eq!(lookup.asked.get(), asked, "order {number}: Lightspeed asked");
    }
}

#[test]
fn answers_are_remembered_for_twenty_seconds_but_failures_are_not() {
    let store = MemStore::new();
    let recent = RefCell::new(RecentAnswers::default());
    assert_eq!(status_of(&store, &recent, Answer::Network, order(None, "1")), (JobStatus::Unchecked, 1));
    assert_eq!(
        status_of(&store, &recent, Answer::Found(&[("1", 9)]), order(None, "1")).1,
        1,
        "a failure is not cached"
    );
    assert_eq!(
        status_of(&store, &recent, Answer::Network, order(None, "1")),
        (JobStatus::Exported { po_id: OrderId(9) }, 0)
    );
}

#[test]
fn status_serializes_for_the_ui() {
    let progress = JobStatus::InProgress { step: "Creating items 12 of 40".into(), done: 14, total: 52 };
    assert_eq!(
        serde_json::to_value(progress).unwrap(),
        json!({"status": "in_progress", "step": "Creating items 12 of 40", "done": 14, "total": 52})
    );
    assert_eq!(
        serde_json::to_value(JobStatus::Exported { po_id: OrderId(512) }).unwrap(),
        json!({"status": "exported", "po_id": "512"})
    );
    assert_eq!(serde_json::to_value(JobStatus::NeedsRelink).unwrap(), json!({"status": "needs_relink"}));
    assert_eq!(serde_json::to_value(JobStatus::Unchecked).unwrap(), json!({"status": "unchecked"}));
}
