//! The popup's *This page* (issue 20, "a second way in"): what each tab's in-page layer reports,
//! which report the popup is about, what it offers, and where *Export this order* may go.

mod app_support;

use app_support::{acct, app, buyer};
use po_bridge::accounts::AccountsState;
use po_bridge::app::keys::StorageKey;
use po_bridge::app::memory::MemStore;
use po_bridge::app::pages::{for_popup, record, PageRecord, MAX_TABS};
use po_bridge::app::sessions::record_session;
use po_bridge::app::store;
use po_bridge::lightspeed::native::block_on;

const DETAIL: &str = "/brand/5f1a2b3c4d5e6f7081920a1b/order/6f3a9c21d4e5b60718293a4b";

fn rec(tab_id: i64, path: &str) -> PageRecord {
    PageRecord { tab_id, path: path.into(), missing: vec![], at_ms: 1 }
}

#[test]
fn one_report_per_tab_newest_first_and_bounded() {
    let mut list = Vec::new();
    for t in 0..(MAX_TABS as i64 + 5) {
        record(&mut list, rec(t, "/a"));
    }
    record(&mut list, rec(7, "/b"));
    assert_eq!(list.len(), MAX_TABS);
    assert_eq!((list[0].tab_id, list[0].path.as_str()), (7, "/b"));
    assert_eq!(list.iter().filter(|r| r.tab_id == 7).count(), 1);
}

#[test]
fn the_popup_is_about_the_active_tab_or_when_opened_as_a_tab_the_latest() {
    let list = vec![rec(3, "/x"), rec(2, "/y")];
    assert_eq!(for_popup(&list, Some(2), None).map(|r| r.tab_id), Some(2), "the toolbar popup over tab 2");
    assert_eq!(for_popup(&list, Some(9), None), None, "over a tab that is no NuORDER page");
    assert_eq!(for_popup(&list, Some(9), Some(9)).map(|r| r.tab_id), Some(3), "the popup opened as tab 9");
}

#[test]
fn an_order_page_without_anchors_offers_export_and_a_diagnostic_without_ids() {
    let a = app(MemStore::new(), 1_000);
    let mut s = AccountsState::default();
    s.upsert_lightspeed(acct("1"));
    s.link_buyer(buyer("a@x.com"), "1").unwrap();
    block_on(a.save_state(&s)).unwrap();
    let mut seen = Vec::new();
    record_session(&mut seen, buyer("a@x.com"), Some(10), 1);
    block_on(store::put(&a.store, &StorageKey::NuorderSessions, &seen)).unwrap();
    // The page reports two of our anchors missing and a name that is none of ours (dropped).
    let missing = vec!["detail_root".to_string(), "detail_actions".to_string(), "<script>".to_string()];
    block_on(a.report_page(Some(10), format!("{DETAIL}?tab=lines"), missing)).unwrap();
    block_on(a.report_page(Some(11), "/brand/5f1a2b3c4d5e6f7081920a1b/orders".into(), vec![])).unwrap();
    let v = block_on(a.tab_page(Some(10), None, ("0.1.0", "Chrome 156"))).unwrap().expect("tab 10's page");
    assert_eq!((v.kind.as_str(), v.route.as_str()), ("order detail", "/brand/{brand_id}/order/{order_id}"));
    assert!(v.signed_in && v.can_export);
    assert_eq!(v.missing, ["detail_root", "detail_actions"]);
    assert_eq!(v.status.as_ref().map(|s| s.badge.text.as_str()), Some("Not exported"));
    for secret in ["5f1a2b3c4d5e6f7081920a1b", "6f3a9c21d4e5b60718293a4b", "a@x.com", "tab=lines"] {
        assert!(!v.diagnostic.contains(secret), "{secret} in {}", v.diagnostic);
    }
    assert!(v.diagnostic.contains("detail_root, detail_actions") && v.diagnostic.contains("Chrome 156"));
    assert_eq!(block_on(a.export_target(10)).unwrap(), "6f3a9c21d4e5b60718293a4b");
    // A list page is no single order; an unknown tab is nobody's.
    let list = block_on(a.tab_page(Some(11), None, ("0.1.0", "Chrome 156"))).unwrap().unwrap();
    assert!(!list.can_export && list.status.is_none());
    assert!(block_on(a.export_target(11)).is_err());
    assert!(block_on(a.export_target(99)).is_err());
}

#[test]
fn a_signed_out_tab_is_told_to_sign_in_and_offered_no_export() {
    let a = app(MemStore::new(), 1_000);
    block_on(a.report_page(Some(10), DETAIL.into(), vec![])).unwrap();
    let v = block_on(a.tab_page(Some(10), None, ("0.1.0", "Firefox 128"))).unwrap().unwrap();
    assert!(!v.signed_in && !v.can_export);
    assert!(block_on(a.report_page(Some(10), "not a path".into(), vec![])).is_err());
    assert!(block_on(a.report_page(None, DETAIL.into(), vec![])).is_err());
}

#[test]
fn a_tab_whose_nuorder_session_ended_is_nobodys() {
    let a = app(MemStore::new(), 1_000);
    let mut seen = Vec::new();
    record_session(&mut seen, buyer("a@x.com"), Some(10), 1);
    record_session(&mut seen, buyer("b@x.com"), Some(11), 1);
    block_on(store::put(&a.store, &StorageKey::NuorderSessions, &seen)).unwrap();
    block_on(a.report_page(Some(10), DETAIL.into(), vec![])).unwrap();
    assert!(block_on(a.tab_page(Some(10), None, ("0.1.0", "x"))).unwrap().unwrap().signed_in);
    block_on(a.report_session(&serde_json::Value::Null, Some(10))).unwrap();
    let v = block_on(a.tab_page(Some(10), None, ("0.1.0", "x"))).unwrap().unwrap();
    assert!(!v.signed_in && !v.can_export, "tab 10 is nobody's now");
    let left: Vec<po_bridge::app::sessions::SeenSession> =
        block_on(store::get_or_default(&a.store, &StorageKey::NuorderSessions)).unwrap();
    assert_eq!(left.iter().map(|s| s.tab_id).collect::<Vec<_>>(), [Some(11)], "the other tab keeps its buyer");
}
