//! An order in another currency than the Lightspeed account's is told so before Export, in the
//! export dialog's preview, the batch dialog's line and the popup-free CLI alike (the rule:
//! `app::dialog_text::currency_warning`). The account's currency is learnt at link time; an account
//! linked before PO Bridge kept it learns it at its next preview, once, and keeps it.

mod app_support;
mod client_support;
mod export_run_support;
mod sandbox_app_support;

use app_support::{acct, buyer};
use client_support::{start, ACCT};
use po_bridge::accounts::AccountsState;
use po_bridge::app::capability::{token_of, Holder};
use po_bridge::app::keys::StorageKey;
use po_bridge::app::memory::{RecordedAlarms, RecordedEvents};
use po_bridge::app::preview::{DialogView, PreviewView};
use po_bridge::app::sessions::Asker;
use po_bridge::app::store;
use po_bridge::export::journal::JobKey;
use po_bridge::lightspeed::native::block_on;
use po_bridge::protocol::PageBrand;
use sandbox_app_support::{sandbox_app, SandboxApp};
use serde_json::{json, Value};

const T0: u64 = 1_767_000_000_000;
const TAB: i64 = 10;
const HOLDER: Holder = Holder { tab_id: Some(TAB), frame_id: Some(3) };

type TestApp = SandboxApp;

/// Account 83050, whose `Account/{id}.json` answers `currency`, linked (with `stored` as its kept
/// currency) to the buyer signed in on tab 10.
fn setup(currency: &str, stored: Option<&str>) -> TestApp {
    let env = start();
    env.post("/seed", json!({"replace": false, "accounts": [{"accountID": ACCT, "currency": currency}]}));
    let a = sandbox_app(env, T0, TAB);
    let mut state = AccountsState::default();
    state
        .upsert_lightspeed(po_bridge::accounts::LightspeedAccount { currency: stored.map(String::from), ..acct(ACCT) });
    state.link_buyer(buyer("a@x.com"), ACCT).unwrap();
    block_on(a.save_state(&state)).unwrap();
    a
}

/// The H01 fixture (a USD order) in `currency`.
fn order_in(currency: &str) -> Value {
    let mut doc = export_run_support::order_json("h01-basic-all-upcs");
    doc["currency_code"] = currency.into();
    doc
}

fn preview(a: &TestApp, doc: Value, nonce: u8) -> PreviewView {
    let (_, _, dialog) =
        block_on(a.stage(doc, vec![], PageBrand::default(), Asker::tab(Some(TAB)), &[nonce; 16])).unwrap();
    let token = token_of(&dialog).unwrap().to_string();
    let DialogView::Preview(p) = block_on(a.preview(&token, HOLDER)).unwrap() else { panic!("the export preview") };
    p
}

fn kept_currency(a: &TestApp) -> Option<String> {
    block_on(a.state()).unwrap().account(ACCT).unwrap().currency.clone()
}

#[test]
fn an_order_in_another_currency_is_told_so_before_export() {
    let a = setup("CAD", Some("CAD"));
    let p = preview(&a, order_in("USD"), 1);
    let warning = p.currency_warning.expect("a USD order into a CAD account is warned");
    assert!(warning.contains("This order is in USD") && warning.contains("keeps costs in CAD"), "{warning}");
    // The same currency (in any case) is no warning.
    assert_eq!(preview(&a, order_in("cad"), 2).currency_warning, None);
}

#[test]
fn an_account_linked_before_learns_its_currency_at_its_next_preview_and_keeps_it() {
    let a = setup("EUR", None);
    assert_eq!(kept_currency(&a), None);
    let p = preview(&a, order_in("USD"), 1);
    assert!(p.currency_warning.is_some_and(|w| w.contains("keeps costs in EUR")));
    assert_eq!(kept_currency(&a).as_deref(), Some("EUR"));
    // Kept: the next preview does not ask Lightspeed again (a changed answer is not seen).
    a.clients.env.post("/seed", json!({"replace": false, "accounts": [{"accountID": ACCT, "currency": "USD"}]}));
    assert!(preview(&a, order_in("USD"), 2).currency_warning.is_some_and(|w| w.contains("EUR")));
}

#[test]
fn the_same_currency_is_no_warning() {
    let a = setup("USD", None);
    assert_eq!(preview(&a, order_in("USD"), 1).currency_warning, None);
    assert_eq!(kept_currency(&a).as_deref(), Some("USD"));
}

/// Exports m01 (a EUR order whose product the brand prices in USD 95 and EUR 89, the fixture's
/// products) into the USD account through the dialog's requests, the plan the preview kept
/// dropped first when `replan`; the new scarf's prices as the sandbox keeps them.
fn export_eur_scarf(replan: bool) -> String {
    let a = setup("USD", Some("USD"));
    let doc = export_run_support::order_json("m01-eur-ean13");
    let path = format!("{}/tests/fixtures/nuorder/products.json", env!("CARGO_MANIFEST_DIR"));
    let products: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let (_, _, dialog) =
        block_on(a.stage(doc, products, PageBrand::default(), Asker::tab(Some(TAB)), &[7; 16])).unwrap();
    let token = token_of(&dialog).unwrap().to_string();
    let DialogView::Preview(p) = block_on(a.preview(&token, HOLDER)).unwrap() else { panic!("the export preview") };
    assert!(p.currency_warning.as_deref().is_some_and(|w| w.starts_with("This order is in EUR")), "{p:?}");
    if replan {
        let key = StorageKey::Plan(JobKey { account_id: ACCT.into(), order_id: p.order_id.clone() });
        block_on(store::delete(&a.store, &key)).unwrap();
    }
    let run = block_on(a.start(&p.order_id, &p.shops[0].shop_id, vec![], &token, HOLDER)).unwrap();
    block_on(a.run_job(run, &RecordedEvents::default(), &RecordedAlarms::default(), &Default::default()));
    // Exported: its dialog again has nothing to warn about (no export can start).
    let doc = export_run_support::order_json("m01-eur-ean13");
    let (_, _, dialog) = block_on(a.stage(doc, vec![], PageBrand::default(), Asker::tab(Some(TAB)), &[8; 16])).unwrap();
    let again = token_of(&dialog).unwrap().to_string();
    let DialogView::Preview(p) = block_on(a.preview(&again, HOLDER)).unwrap() else { panic!("the preview again") };
    assert_eq!(p.currency_warning, None, "{:?}", p.status.badge);
    let items = export_run_support::rows(&export_run_support::tables(&a.clients.env), "Item");
    let scarf = items.iter().find(|i| i["ean"] == "3760123450010").expect("the scarf created");
    scarf["Prices"].to_string()
}

#[test]
fn new_items_take_the_brands_retail_in_the_accounts_currency_through_the_export() {
    // The plan the preview kept, and a plan made again at the start from the staged order (as
    // the review and the update make theirs): both price the scarf at USD 95.
    for replan in [false, true] {
        let prices = export_eur_scarf(replan);
        assert!(prices.contains(r#""amount":"95"#) && !prices.contains(r#""amount":"89"#), "{replan}: {prices}");
    }
}
