//! Knowing an exported order changed (issue 18, item 1): wherever the order document is at hand
//! (staging it, the detail page's read) it is compared with what its PO was made from; the badge
//! reads *Exported · View PO #N* while it matches and *Changed since export · Review* when it does
//! not, and the popup's history shows the last state known.

mod app_support;

use app_support::{acct, app, link_on_tab_10, TestApp};
use po_bridge::app::keys::StorageKey;
use po_bridge::app::made_from::{self, PoSource};
use po_bridge::app::memory::MemStore;
use po_bridge::app::sessions::Asker;
use po_bridge::app::status::{self, journal_view};
use po_bridge::app::store;
use po_bridge::core::status::{JobStatus, Tone};
use po_bridge::export::journal::{JobKey, Journal};
use po_bridge::lightspeed::native::block_on;
use po_bridge::lightspeed::OrderId;
use po_bridge::nuorder::model::parse_order_value;
use po_bridge::protocol::{HistoryEntry, OrderRef, OrderStatusView, PageBrand, ShownRow};
use serde_json::{json, Value};

const ID: &str = "65f0a0a0a0a0a0a0a0a0a001";
const NUMBER: &str = "7001";

fn order() -> Value {
    let path = format!("{}/tests/fixtures/nuorder/orders/h01-basic-all-upcs.json", env!("CARGO_MANIFEST_DIR"));
    let mut order: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    order["_id"] = json!(ID);
    order["order_number"] = json!(NUMBER);
    order
}

fn key() -> JobKey {
    JobKey { account_id: "1".into(), order_id: ID.into() }
}

fn tab() -> Asker {
    Asker::tab(Some(10))
}

/// Account 1 linked to the buyer signed in on tab 10; the order staged there and exported as PO 5
/// (its journal finished, its history entry recorded, what the PO was made from kept).
fn exported() -> TestApp {
    let a = app(MemStore::new(), 5);
    link_on_tab_10(&a);
    block_on(a.stage(order(), vec![], PageBrand::default(), tab(), &[3; 16])).unwrap();
    let j: Journal = serde_json::from_value(json!({"version": 1, "key": {"account_id": "1", "order_id": ID},
        "order_number": NUMBER, "brand": "B", "shop_id": "1", "steps": [], "rows": [],
        "outcome": {"outcome": "exported", "po_id": "5"}}))
    .unwrap();
    block_on(store::put(&a.store, &StorageKey::Journal(key()), &j)).unwrap();
    let mut source = PoSource::of_order(&parse_order_value(&order()).unwrap(), "1", 5);
    source.po_id = Some(OrderId(5));
    block_on(store::put(&a.store, &StorageKey::MadeFrom(key()), &source)).unwrap();
    block_on(a.record_history(&journal_view(&acct("1"), &j)));
    block_on(status::remember_number(&a.store, "1", NUMBER, ID));
    a
}

/// What the detail page's read answers for `doc`.
fn observed(a: &TestApp, doc: &Value) -> OrderStatusView {
    let (linked, mut views) = block_on(a.observe(doc, tab(), &Default::default())).unwrap();
    assert!(linked);
    assert_eq!(views.len(), 1);
    views.remove(0)
}

/// What a list page's status request answers (it has only the order's number).
fn listed(a: &TestApp) -> OrderStatusView {
    let asked = [OrderRef { order_id: None, order_number: NUMBER.into() }];
    block_on(a.statuses(&asked, tab(), &Default::default())).unwrap().1.remove(0)
}

fn history(a: &TestApp) -> HistoryEntry {
    block_on(a.history()).unwrap().into_iter().find(|h| h.order_id == ID).unwrap()
}

fn assert_exported(v: &OrderStatusView) {
    assert_eq!(v.status, JobStatus::Exported { po_id: OrderId(5) });
    assert_eq!(v.badge.text, "Exported");
    assert_eq!(v.badge.link.as_ref().map(|l| l.text.as_str()), Some("View PO #5"));
    assert!(!v.badge.review);
}

fn assert_changed(v: &OrderStatusView) {
    assert_eq!(v.status, JobStatus::Changed { po_id: OrderId(5) });
    assert_eq!((v.badge.text.as_str(), v.badge.tone), ("Changed since export", Tone::Warning));
    assert!(v.badge.review, "the badge offers Review");
    assert!(!v.badge.action_enabled, "the order is not exported twice");
    assert_eq!(v.badge.link.as_ref().map(|l| l.text.as_str()), Some("View PO #5"));
}

#[test]
fn an_unchanged_order_reads_exported_and_a_timestamp_alone_changes_nothing() {
    let a = exported();
    assert_exported(&observed(&a, &order()));
    let mut touched = order();
    touched["modified_on"] = json!("2026-06-01T09:00:00.000Z");
    touched["edited"] = json!(true);
    assert_exported(&observed(&a, &touched));
    assert_exported(&listed(&a));
}

#[test]
fn the_brand_moving_the_order_along_is_no_change_to_the_po() {
    // Approved → processed → shipped is NuORDER's normal course; the PO carries none of it, nor
    // the ship window's start. Each stays *Exported* on the detail page, the list and the history.
    let a = exported();
    for status in ["processed", "shipped", "Shipped"] {
        let mut moved = order();
        moved["status"] = json!(status);
        moved["start_ship"] = json!("2026-01-20T00:00:00.000Z");
        assert_exported(&observed(&a, &moved));
        assert_exported(&row_shows(&a, "$396.00", status));
        assert_exported(&history(&a).status);
    }
}

#[test]
fn an_edited_order_turns_changed_on_its_page_on_the_list_and_in_the_history() {
    let a = exported();
    let mut edited = order();
    edited["line_items"][0]["sizes"][0]["quantity"] = json!(6);
    assert_changed(&observed(&a, &edited));
    assert_changed(&listed(&a));
    let h = history(&a);
    assert_changed(&h.status);
    assert_eq!(block_on(a.history()).unwrap()[0].order_id, ID, "the entry keeps its place");
    // Seen matching again (the brand reverted the edit): back to Exported everywhere.
    assert_exported(&observed(&a, &order()));
    assert_exported(&listed(&a));
    assert_exported(&history(&a).status);
}

/// One brand edit of the order document.
type Edit = Box<dyn Fn(&mut Value)>;

#[test]
fn staging_compares_too_and_each_thing_the_po_depends_on_counts() {
    let edits: Vec<(&str, Edit)> = vec![
        ("price", Box::new(|o| o["line_items"][0]["sizes"][0]["price"] = json!(17))),
        ("ship window", Box::new(|o| o["end_ship"] = json!("2026-10-01T00:00:00.000Z"))),
        ("status", Box::new(|o| o["status"] = json!("cancelled"))),
        ("removed line", Box::new(|o| o["line_items"].as_array_mut().unwrap().truncate(1))),
    ];
    for (what, edit) in edits {
        let a = exported();
        let mut doc = order();
        edit(&mut doc);
        block_on(a.stage(doc, vec![], PageBrand::default(), tab(), &[4; 16])).unwrap();
        assert!(block_on(made_from::changed(&a.store, &key())), "{what}");
        assert_changed(&listed(&a));
    }
}

#[test]
fn an_order_without_a_kept_source_or_account_is_left_as_it_was() {
    let a = exported();
    block_on(store::delete(&a.store, &StorageKey::MadeFrom(key()))).unwrap();
    let mut edited = order();
    edited["line_items"][0]["sizes"][0]["quantity"] = json!(6);
    // Nothing to compare with: no answer beyond the page's own status request.
    assert_eq!(block_on(a.observe(&edited, tab(), &Default::default())).unwrap().1, vec![]);
    assert_exported(&listed(&a));
    let stranger = Asker::tab(Some(99));
    assert_eq!(block_on(a.observe(&edited, stranger, &Default::default())).unwrap().1, vec![]);
    assert!(block_on(a.observe(&json!({"nope": 1}), tab(), &Default::default())).is_err());
}

/// What a list page's status request answers when its row shows `total` and `status`.
fn row_shows(a: &TestApp, total: &str, status: &str) -> OrderStatusView {
    let asked = [OrderRef { order_id: None, order_number: NUMBER.into() }];
    let shown = [ShownRow { order_number: NUMBER.into(), total: Some(total.into()), status: Some(status.into()) }];
    block_on(a.row_statuses(&asked, &shown, tab(), &Default::default())).unwrap().1.remove(0)
}

#[test]
fn a_list_row_showing_the_exported_figures_stays_exported_whatever_their_format() {
    let a = exported();
    for (total, status) in
        [("$396.00", "approved"), ("US$ 396", "Approved"), ("396,00 $", " APPROVED "), ("$ 396.0", "")]
    {
        let v = row_shows(&a, total, status);
        assert_eq!(v.status, JobStatus::Exported { po_id: OrderId(5) }, "{total} {status}");
    }
    // Cells that say nothing (unreadable, too long, a status we do not know) compare nothing.
    assert_exported(&row_shows(&a, "—", "Awaiting brand"));
    assert_exported(&row_shows(&a, &format!("${}", "1".repeat(80)), "approved"));
    assert_exported(&history(&a).status);
}

#[test]
fn a_list_row_whose_total_or_status_moved_turns_changed_and_the_full_read_decides_after() {
    for (total, status) in [("$1,396.00", "approved"), ("$395.99", "approved"), ("$396.00", "cancelled")] {
        let a = exported();
        assert_changed(&row_shows(&a, total, status));
        assert_changed(&history(&a).status);
        // A later row showing the exported figures again proves nothing about the lines.
        assert_changed(&row_shows(&a, "$396.00", "approved"));
        // Review reads the whole order: here it still matches, so the order reads Exported again.
        assert_exported(&observed(&a, &order()));
    }
}

#[test]
fn list_rows_of_orders_not_asked_about_or_without_a_kept_source_change_nothing() {
    let a = exported();
    let shown = [ShownRow { order_number: NUMBER.into(), total: Some("$1.00".into()), status: None }];
    let other = [OrderRef { order_id: None, order_number: "7002".into() }];
    block_on(a.row_statuses(&other, &shown, tab(), &Default::default())).unwrap();
    assert_exported(&listed(&a));
    block_on(store::delete(&a.store, &StorageKey::MadeFrom(key()))).unwrap();
    assert_exported(&row_shows(&a, "$1.00", "cancelled"));
}
