//! The export dialog's one-time capability (issue 14): bound to the tab that staged the order, the
//! order and the account; short-lived; single-use for the write. Wrong tab, wrong order, reused
//! after a start, expired, forged → refused, with the one sentence of advice. Plans are keyed by
//! account and order and dropped on re-stage; staged snapshots expire.

mod app_support;

use app_support::{acct, app, buyer, TestApp};
use po_bridge::accounts::AccountsState;
use po_bridge::app::capability::{self, Holder, Use, CAPABILITY_TTL_MS, NO_CAPABILITY};
use po_bridge::app::errors::{advice, AppError, Surface};
use po_bridge::app::keys::StorageKey;
use po_bridge::app::memory::MemStore;
use po_bridge::app::platform::KvStore;
use po_bridge::app::sessions::{record_session, Asker};
use po_bridge::app::staging::STAGED_TTL_MS;
use po_bridge::app::store;
use po_bridge::export::journal::JobKey;
use po_bridge::lightspeed::native::block_on;
use po_bridge::protocol::{ErrorCode, PageBrand};

const T0: u64 = 1_767_000_000_000;

fn order_json() -> serde_json::Value {
    let path = format!("{}/tests/fixtures/nuorder/orders/h01-basic-all-upcs.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Buyer a@ on tab 10 (account 1), buyer b@ on tab 20 (account 2).
fn setup(now: u64) -> TestApp {
    let a = app(MemStore::new(), now);
    let mut s = AccountsState::default();
    s.upsert_lightspeed(acct("1"));
    s.upsert_lightspeed(acct("2"));
    s.link_buyer(buyer("a@x.com"), "1").unwrap();
    s.link_buyer(buyer("b@x.com"), "2").unwrap();
    let mut seen = Vec::new();
    record_session(&mut seen, buyer("a@x.com"), Some(10), 1);
    record_session(&mut seen, buyer("b@x.com"), Some(20), 2);
    block_on(a.save_state(&s)).unwrap();
    block_on(store::put(&a.store, &StorageKey::NuorderSessions, &seen)).unwrap();
    a
}

/// The same store, `later` ms on.
fn later(a: &TestApp, now: u64) -> TestApp {
    app(MemStore::from_entries(a.store.entries()), now)
}

fn stage(a: &TestApp, tab: i64, nonce: u8) -> (String, String) {
    let (order_id, _, dialog) =
        block_on(a.stage(order_json(), vec![], PageBrand::default(), Asker::tab(Some(tab)), &[nonce; 16])).unwrap();
    let token = dialog.strip_prefix("dialog.html?cap=").expect("the dialog's path carries the capability");
    (order_id, token.to_string())
}

fn refused<T>(r: Result<T, AppError>) -> bool {
    match r {
        Err(e) => {
            let p = advice(&e, Surface::Extension);
            p.code == ErrorCode::Forbidden && p.message == NO_CAPABILITY
        }
        Ok(_) => false,
    }
}

/// The dialog inside tab `tab` (an extension page in that tab, frame 5).
fn dialog_in(tab: i64) -> Holder {
    Holder { tab_id: Some(tab), frame_id: Some(5) }
}

/// (token, asking tab, order named, use, when, accepted?)
type Row<'a> = (&'a str, i64, Option<&'a str>, Use, u64, bool);

#[test]
fn a_capability_works_only_for_its_tab_and_order_until_spent_or_expired() {
    let a = setup(T0);
    let (order, token) = stage(&a, 10, 0xab);
    assert_eq!(token, "ab".repeat(16));
    let forged = capability::token(&[0xcd; 16]);
    let other_order = "ffffffffffffffffffffffff";
    let at = |ms: u64| later(&a, ms);
    // (token, asking tab, order named, use, when) → accepted?
    let rows: Vec<Row> = vec![
        (&token, 10, None, Use::Preview, T0, true),
        (&token, 10, Some(&order), Use::Write, T0 + 1, true),
        (&token, 10, Some(&order), Use::Write, T0 + CAPABILITY_TTL_MS - 1, true),
        // Wrong tab: the page of another tab (or a page framing the dialog) holding it.
        (&token, 20, None, Use::Preview, T0, false),
        (&token, 20, Some(&order), Use::Write, T0, false),
        // Wrong order.
        (&token, 10, Some(other_order), Use::Write, T0, false),
        // Expired.
        (&token, 10, None, Use::Preview, T0 + CAPABILITY_TTL_MS, false),
        (&token, 10, Some(&order), Use::Write, T0 + CAPABILITY_TTL_MS, false),
        // Forged, malformed, empty.
        (&forged, 10, None, Use::Preview, T0, false),
        ("AB", 10, None, Use::Preview, T0, false),
        ("", 10, Some(&order), Use::Write, T0, false),
    ];
    for (t, tab, o, usage, when, ok) in rows {
        let got = block_on(at(when).capability(t, dialog_in(tab), o, usage));
        if ok {
            assert!(got.is_ok(), "{t} tab {tab} {o:?} {usage:?} at +{}: {got:?}", when - T0);
        } else {
            assert!(refused(got), "{t} tab {tab} {o:?} {usage:?} at +{} was accepted", when - T0);
        }
    }
}

#[test]
fn a_capability_is_single_use_for_the_write() {
    let a = setup(T0);
    let (order, token) = stage(&a, 10, 1);
    let cap = block_on(a.capability(&token, dialog_in(10), Some(&order), Use::Write)).unwrap();
    block_on(a.spend(&token, cap)).unwrap();
    assert!(refused(block_on(a.capability(&token, dialog_in(10), Some(&order), Use::Write))), "reused after start");
    assert!(refused(block_on(a.start(&order, "1", vec![], &token, dialog_in(10)))), "a second start");
    assert!(
        refused(block_on(a.retry(&order, Some((&token, dialog_in(10))), Asker::tab(Some(10))))),
        "a retry through a spent one"
    );
    // The dialog may still show (its status says the export is under way).
    assert!(block_on(a.capability(&token, dialog_in(10), None, Use::Preview)).is_ok());
}

#[test]
fn writes_without_the_right_capability_are_refused_before_anything_happens() {
    let a = setup(T0);
    let (order, token) = stage(&a, 10, 2);
    let forged = capability::token(&[9; 16]);
    assert!(refused(block_on(a.start(&order, "1", vec![], &forged, dialog_in(10)))), "forged");
    assert!(refused(block_on(a.start(&order, "1", vec![], &token, dialog_in(20)))), "wrong tab");
    assert!(refused(block_on(a.start("ffffffffffffffffffffffff", "1", vec![], &token, dialog_in(10)))), "wrong order");
    assert!(refused(block_on(later(&a, T0 + CAPABILITY_TTL_MS).start(&order, "1", vec![], &token, dialog_in(10)))));
    assert!(refused(block_on(a.preview(&forged, dialog_in(10)))), "a dialog framed with a made-up capability");
    assert!(refused(block_on(a.preview(&token, dialog_in(20)))), "a stolen capability in another tab");
    assert!(refused(block_on(a.retry(&order, Some((&forged, dialog_in(10))), Asker::tab(Some(10))))));
    // None of them spent the real one.
    assert!(block_on(a.capability(&token, dialog_in(10), Some(&order), Use::Write)).is_ok());
}

#[test]
fn a_re_stage_for_another_account_voids_the_old_capability_and_drops_the_plan() {
    let a = setup(T0);
    let (order, first) = stage(&a, 10, 3);
    let plan_key = StorageKey::Plan(JobKey { account_id: "1".into(), order_id: order.clone() });
    block_on(store::put(&a.store, &plan_key, &serde_json::json!({"rows": []}))).unwrap();
    let (_, second) = stage(&a, 20, 4);
    assert!(refused(block_on(a.preview(&first, dialog_in(10)))), "staged since for account 2");
    assert!(refused(block_on(a.start(&order, "1", vec![], &first, dialog_in(10)))));
    assert_ne!(first, second);
    let _ = stage(&a, 10, 5);
    let plan: Option<serde_json::Value> = block_on(store::get(&a.store, &plan_key)).unwrap();
    assert_eq!(plan, None, "a re-stage replaces the plan");
}

#[test]
fn staging_requires_a_tab_and_an_account() {
    let a = setup(T0);
    let r = block_on(a.stage(order_json(), vec![], PageBrand::default(), Asker::tab(None), &[1; 16]));
    assert!(matches!(r, Err(AppError::NoSession)), "{r:?}");
}

#[test]
fn staged_snapshots_plans_and_capabilities_expire() {
    let a = setup(T0);
    let (order, token) = stage(&a, 10, 6);
    let plan_key = StorageKey::Plan(JobKey { account_id: "1".into(), order_id: order.clone() });
    block_on(store::put(&a.store, &plan_key, &serde_json::json!({}))).unwrap();
    block_on(a.store.put("plan:0123", serde_json::json!({}))).unwrap();
    let b = later(&a, T0 + STAGED_TTL_MS - 1);
    block_on(b.sweep(T0 + STAGED_TTL_MS - 1));
    let has = |x: &TestApp, k: &str| x.store.entries().contains_key(k);
    assert!(has(&b, &format!("staged:{order}")), "kept for 24 hours");
    assert!(!has(&b, &format!("cap:{token}")), "the capability lives 10 minutes");
    assert!(!has(&b, "plan:0123"), "1695b83's plans keyed by order only go");
    let c = later(&a, T0 + STAGED_TTL_MS);
    block_on(c.sweep(T0 + STAGED_TTL_MS));
    assert!(!has(&c, &format!("staged:{order}")));
    assert!(!has(&c, &plan_key.as_string()));
}

#[test]
fn a_capability_shown_by_a_second_frame_of_its_tab_is_void() {
    let a = setup(T0);
    let (order, token) = stage(&a, 10, 8);
    block_on(a.capability(&token, dialog_in(10), None, Use::Preview)).unwrap();
    // The page read the capability and framed its own copy of the dialog in the same tab.
    let copy = Holder { tab_id: Some(10), frame_id: Some(9) };
    assert!(refused(block_on(a.preview(&token, copy))));
    assert!(refused(block_on(a.start(&order, "1", vec![], &token, copy))));
    // Theft voids it for the real dialog too: the user clicks Export order to POS again.
    assert!(refused(block_on(a.capability(&token, dialog_in(10), Some(&order), Use::Write))));
}
