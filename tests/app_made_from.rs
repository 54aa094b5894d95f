//! What an exported PO was made from is kept, without personal data, for as long as the PO may be
//! updated (issue 14, item 4): written from the job's own copy of the order when it exports,
//! never expired by the staging sweep, deleted when the account is unlinked.

mod app_support;
#[path = "support/recordings.rs"]
mod recordings;

use app_support::{acct, app, buyer, TestApp};
use po_bridge::accounts::AccountsState;
use po_bridge::app::exports::Run;
use po_bridge::app::keys::StorageKey;
use po_bridge::app::made_from::{self, PoSource};
use po_bridge::app::memory::{MemStore, RecordedAlarms, RecordedEvents};
use po_bridge::app::sessions::{record_session, Asker, SeenSession};
use po_bridge::app::staging::{self, STAGED_TTL_MS};
use po_bridge::app::status::journal_view;
use po_bridge::app::store;
use po_bridge::export::job::build_journal;
use po_bridge::export::journal::{JobKey, Journal, StepKind};
use po_bridge::export::plan::{plan, Catalog, Links};
use po_bridge::export::runner::StartJob;
use po_bridge::lightspeed::native::{block_on, NativeTransport};
use po_bridge::lightspeed::ShopId;
use po_bridge::nuorder::model::parse_order_value;
use po_bridge::protocol::PageBrand;
use serde_json::{json, Value};
use std::path::Path;

const NOW: u64 = 1_767_000_000_000;
const ORDER_ID: &str = "65089de8ce0aac042cc47b32";

/// Every value a buyer, a rep or an address could give away, planted in the order below.
const PERSONAL: &[&str] = &[
    "Dana Whitfield",
    "dana.whitfield@example-gourmet.test",
    "+1 903 555 0142",
    "4417 Larkspur Lane",
    "Suite 12B",
    "Tylerton",
    "75799",
    "Rep Marlowe",
    "marlowe@brand-reps.test",
    "+1 212 555 0199",
    "Leave at the back door, ask for Dana",
    "PO-DANA-7731",
    "Example Gourmet Retail",
];

/// The recorded real NuORDER order (read in place), with the discount at 10 % and every personal
/// field filled. `None` when the recordings are absent (outside CI).
fn real_order() -> Option<Value> {
    let path = recordings::real_responses(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        "nuorder/processed-order-2023.json",
        "what a PO was made from, taken from a real order",
    )?;
    let mut o: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let address = json!({"line_1": PERSONAL[3], "line_2": PERSONAL[4], "city": PERSONAL[5], "state": "TX",
        "zip": PERSONAL[6], "country": "USA", "phone": PERSONAL[2], "name": PERSONAL[0]});
    o["discount"] = json!(10);
    o["shipping_address"] = address.clone();
    o["billing_address"] = address;
    o["retailer"]["buyer_name"] = json!(PERSONAL[0]);
    o["retailer"]["buyer_email"] = json!(PERSONAL[1]);
    o["retailer"]["retailer_name"] = json!(PERSONAL[12]);
    o["creator_name"] = json!(PERSONAL[0]);
    o["rep_name"] = json!(PERSONAL[7]);
    o["rep_email"] = json!(PERSONAL[8]);
    o["rep_phone"] = json!(PERSONAL[9]);
    o["notes"] = json!(PERSONAL[10]);
    o["customer_po_number"] = json!(PERSONAL[11]);
    Some(o)
}

fn brand() -> PageBrand {
    PageBrand { id: None, name: Some("Harbor Linens".into()) }
}

fn key() -> JobKey {
    JobKey { account_id: "1".into(), order_id: ORDER_ID.into() }
}

/// Account 1 linked to buyer a@x.com, signed in on tab 10; account 2 linked too.
fn linked(store: MemStore, now: u64) -> TestApp {
    let a = app(store, now);
    let mut state = AccountsState::default();
    state.upsert_lightspeed(acct("1"));
    state.upsert_lightspeed(acct("2"));
    state.link_buyer(buyer("a@x.com"), "1").unwrap();
    block_on(a.save_state(&state)).unwrap();
    let mut seen: Vec<SeenSession> = Vec::new();
    record_session(&mut seen, buyer("a@x.com"), Some(10), 1);
    block_on(store::put(&a.store, &StorageKey::NuorderSessions, &seen)).unwrap();
    a
}

/// The journal of an export of the order that has written PO 5.
fn exported_journal() -> Journal {
    serde_json::from_value(json!({"version": 1, "key": {"account_id": "1", "order_id": ORDER_ID},
        "order_number": "131803493", "brand": "Harbor Linens", "shop_id": "1", "steps": [], "rows": [],
        "outcome": {"outcome": "exported", "po_id": "5"}}))
    .unwrap()
}

/// The job a start hands the runner: the staged order and a ready plan (every row new).
fn start_of(a: &TestApp) -> StartJob {
    let (staged, _, _) = block_on(a.load_staged(ORDER_ID)).unwrap();
    let p = plan(&staged.order, &[], &staged.brand, &Links::default(), &Catalog::default()).unwrap();
    StartJob { staged, plan: p, shop_id: ShopId(1), today: "2026-12-05".into() }
}

fn run(a: &TestApp, start: Option<StartJob>) {
    let account = acct("1");
    let j = exported_journal();
    let run = Run { view: journal_view(&account, &j), account, key: key(), start, buyer: None };
    block_on(a.run_job(run, &RecordedEvents::default(), &RecordedAlarms::default(), &Default::default()));
}

/// Stage the order on tab 10 and run its job to the end (PO 5; the journal is already finished,
/// so the run reaches no Lightspeed).
fn staged_and_exported(order: Value) -> TestApp {
    let a = linked(MemStore::new(), NOW);
    block_on(a.stage(order, vec![], brand(), Asker::tab(Some(10)), &[7; 16])).unwrap();
    let start = start_of(&a);
    block_on(store::put(&a.store, &StorageKey::Journal(key()), &exported_journal())).unwrap();
    run(&a, Some(start));
    a
}

#[test]
fn the_source_holds_the_lines_as_the_po_wrote_them_and_nothing_personal() {
    let Some(order) = real_order() else { return };
    let parsed = parse_order_value(&order).unwrap();
    let source = PoSource::of_order(&parsed, "1", NOW);
    assert_eq!((source.order_id.as_str(), source.order_number.as_str()), (ORDER_ID, "131803493"));
    assert_eq!(source.status.as_deref(), Some("processed"));
    assert_eq!(source.end_ship.as_deref(), Some("2023-12-20T00:00:00.000Z"));
    assert_eq!(source.currency, "USD");
    assert_eq!(source.rows.len(), 8, "one per size row with units");
    // Each PO line the export builds: its units are its rows' units, its price each row's net price.
    let p =
        plan(&parsed, &[], &staging::validate(&staged(&order)).unwrap().brand, &Links::default(), &Catalog::default())
            .unwrap();
    let j = build_journal(&p, &parsed, "1", ShopId(1), "2026-12-05").unwrap();
    let lines: Vec<_> = j
        .steps
        .iter()
        .filter_map(|s| match &s.kind {
            StepKind::Line { quantity, price, rows, .. } => Some((quantity, price, rows)),
            _ => None,
        })
        .collect();
    assert!(!lines.is_empty());
    for (quantity, price, rows) in lines {
        let of_line: Vec<_> = source.rows.iter().filter(|r| rows.contains(&r.key)).collect();
        assert_eq!(of_line.iter().map(|r| r.units).sum::<u64>(), *quantity);
        assert!(of_line.iter().all(|r| r.net_price == *price), "net {price} for {rows:?}");
    }
    assert_eq!(source.rows[0].net_price.to_string(), "25.20", "28.00 less the order's 10 %");
    let text = serde_json::to_string(&source).unwrap();
    for value in PERSONAL {
        assert!(!text.contains(value), "{value:?} is in the kept source: {text}");
    }
    for field in ["address", "email", "phone", "notes", "buyer", "rep", "retailer", "customer_po"] {
        assert!(!text.contains(field), "a {field} field is in the kept source: {text}");
    }
}

fn staged(order: &Value) -> po_bridge::app::staging::StagedRecord {
    po_bridge::app::staging::StagedRecord {
        order: order.clone(),
        products: vec![],
        brand: brand(),
        tab_id: Some(10),
        account_id: Some("1".into()),
        staged_ms: NOW,
        buyer: None,
    }
}

#[test]
fn an_exported_job_keeps_what_its_po_was_made_from() {
    let Some(order) = real_order() else { return };
    let a = staged_and_exported(order.clone());
    let source = block_on(a.made_from(&key())).expect("kept once exported");
    assert_eq!(source.po_id.map(|p| p.0), Some(5));
    assert_eq!(source.account_id, "1");
    assert_eq!(source.taken_ms, NOW);
    assert_eq!(
        source,
        PoSource { po_id: source.po_id, ..PoSource::of_order(&parse_order_value(&order).unwrap(), "1", NOW) }
    );
    let stored = a.store.entries()[&StorageKey::MadeFrom(key()).as_string()].clone();
    for value in PERSONAL {
        assert!(!stored.contains(value), "{value:?} is stored: {stored}");
    }
    assert_eq!(block_on(a.made_from(&JobKey { account_id: "2".into(), order_id: ORDER_ID.into() })), None);
}

#[test]
fn a_job_not_yet_exported_has_no_source_and_one_finished_after_its_snapshot_expired_has() {
    let Some(order) = real_order() else { return };
    let a = linked(MemStore::new(), NOW);
    block_on(a.stage(order, vec![], brand(), Asker::tab(Some(10)), &[7; 16])).unwrap();
    let parsed = start_of(&a).staged.order;
    // The job starts (its copy of the order is kept) but has not written its PO yet.
    block_on(made_from::keep_draft(&a.store, &key(), &parsed, NOW));
    assert_eq!(block_on(a.made_from(&key())), None, "no PO yet");
    // A day later the staged order is swept; the job then finishes (resumed: no start, no record).
    block_on(store::put(&a.store, &StorageKey::Journal(key()), &exported_journal())).unwrap();
    block_on(a.sweep(NOW + STAGED_TTL_MS + 1));
    assert!(block_on(a.load_staged(ORDER_ID)).is_err(), "the staged order expired");
    run(&a, None);
    assert_eq!(block_on(a.made_from(&key())).and_then(|s| s.po_id).map(|p| p.0), Some(5));
}

#[test]
fn a_job_that_found_the_po_already_there_keeps_no_source() {
    let Some(order) = real_order() else { return };
    let a = linked(MemStore::new(), NOW);
    block_on(a.stage(order, vec![], brand(), Asker::tab(Some(10)), &[7; 16])).unwrap();
    let start = start_of(&a);
    let mut j = exported_journal();
    j.outcome = serde_json::from_value(json!({"outcome": "already_exported", "po_id": "5"})).unwrap();
    block_on(store::put(&a.store, &StorageKey::Journal(key()), &j)).unwrap();
    run(&a, Some(start));
    assert_eq!(block_on(a.made_from(&key())), None, "that PO was not made by this job");
    assert!(!a.store.entries().contains_key(&StorageKey::MadeFrom(key()).as_string()), "its draft is dropped");
}

#[test]
fn the_staging_sweep_deletes_the_staged_order_and_keeps_the_source() {
    let Some(order) = real_order() else { return };
    let a = staged_and_exported(order);
    let later = NOW + STAGED_TTL_MS + 60 * 60 * 1000;
    block_on(a.sweep(later));
    let keys = a.store.entries();
    assert!(!keys.contains_key(&StorageKey::Staged(ORDER_ID.into()).as_string()), "the staged order is gone");
    assert!(!keys.contains_key(&StorageKey::Plan(key()).as_string()), "its plan is gone");
    assert!(block_on(a.made_from(&key())).is_some(), "what the PO was made from stays");
    // A month on, another sweep: still there.
    block_on(a.sweep(later + 30 * 24 * 60 * 60 * 1000));
    assert!(block_on(a.made_from(&key())).is_some());
}

#[test]
fn unlinking_an_account_deletes_its_sources_and_no_other() {
    let Some(order) = real_order() else { return };
    let a = staged_and_exported(order);
    let of_2 = JobKey { account_id: "2".into(), order_id: ORDER_ID.into() };
    let of_12 = JobKey { account_id: "12".into(), order_id: ORDER_ID.into() };
    let source = block_on(a.made_from(&key())).unwrap();
    for k in [&of_2, &of_12] {
        block_on(store::put(&a.store, &StorageKey::MadeFrom(k.clone()), &source)).unwrap();
    }
    block_on(a.unlink("1", &NativeTransport::new())).unwrap();
    assert_eq!(block_on(a.made_from(&key())), None, "account 1's source is deleted");
    assert!(block_on(a.made_from(&of_2)).is_some(), "account 2's is kept");
    assert!(block_on(a.made_from(&of_12)).is_some(), "account 12 is not account 1");
}

#[test]
fn the_key_is_spelled_madefrom_account_order_and_reads_back() {
    let k = StorageKey::MadeFrom(JobKey { account_id: "123456".into(), order_id: ORDER_ID.into() });
    assert_eq!(k.as_string(), format!("madefrom:123456:{ORDER_ID}"));
    assert_eq!(StorageKey::parse(&k.as_string()), Some(k));
    assert_eq!(StorageKey::parse("madefrom:123456"), None);
}
