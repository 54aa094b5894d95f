//! Link where you are (issue 20), the application layer: a buyer with no Lightspeed account gets
//! the export dialog with its Connect step; linking there links the buyer, sets the only location
//! as default (several: lists them to choose once), and re-issues the dialog's capability for
//! the new account (the old one is spent). And every error of the first-PO flows ends in its
//! sentence and one next step.

mod app_support;
mod client_support;
mod sandbox_app_support;

use app_support::{acct, buyer};
use client_support::{start, ACCT};
use po_bridge::accounts::AccountsState;
use po_bridge::app::capability::{Holder, NO_CAPABILITY};
use po_bridge::app::errors::{self, advice, AppError, Surface};
use po_bridge::app::link::LinkError;
use po_bridge::app::preview::DialogView;
use po_bridge::app::sessions::Asker;
use po_bridge::lightspeed::native::block_on;
use po_bridge::lightspeed::oauth::RedirectError;
use po_bridge::protocol::{NextStep, PageBrand};
use sandbox_app_support::{sandbox_app, SandboxApp};
use serde_json::json;

const T0: u64 = 1_767_000_000_000;
const TAB: i64 = 10;

type TestApp = SandboxApp;

/// Buyer a@ signed in on tab 10 with no account linked; Lightspeed account 83050 already stored
/// (as the link flow stores it), not yet linked to the buyer.
fn setup() -> TestApp {
    sandbox_app(start(), T0, TAB)
}

/// The link flow's own result: the account stored (what `App::link` does after the consent).
fn account_linked(a: &TestApp) {
    let mut s: AccountsState = block_on(a.state()).unwrap();
    s.upsert_lightspeed(acct(ACCT));
    block_on(a.save_state(&s)).unwrap();
}

fn order_json() -> serde_json::Value {
    let path = format!("{}/tests/fixtures/nuorder/orders/h01-basic-all-upcs.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn stage(a: &TestApp) -> String {
    let (_, _, dialog) =
        block_on(a.stage(order_json(), vec![], PageBrand::default(), Asker::tab(Some(TAB)), &[7; 16])).unwrap();
    dialog.strip_prefix("dialog.html?cap=").unwrap().to_string()
}

fn holder() -> Holder {
    Holder { tab_id: Some(TAB), frame_id: Some(3) }
}

fn refused<T: std::fmt::Debug>(r: Result<T, AppError>) {
    let e = r.expect_err("refused");
    assert_eq!(advice(&e, Surface::Extension).message, NO_CAPABILITY, "{e:?}");
}

#[test]
fn a_buyer_without_an_account_gets_the_connect_step_and_linking_reissues_the_capability() {
    let a = setup();
    let token = stage(&a);
    // The dialog shows the Connect step, naming the order and the buyer; it cannot export.
    let DialogView::Connect(view) = block_on(a.preview(&token, holder())).unwrap() else { panic!("the Connect step") };
    assert_eq!((view.order_number.as_str(), view.buyer.as_str()), ("40718821", "Sam, Juniper"));
    assert!(!view.vendor.is_empty());
    assert!(block_on(a.start("x", "1", vec![], &token, holder())).is_err(), "no export without an account");
    // The consent linked 83050; the sandbox's account has two live shops: nothing is chosen yet.
    account_linked(&a);
    let c = block_on(a.connected(&token, holder(), ACCT, &[8; 16])).unwrap();
    assert_eq!(c.account_id, ACCT);
    assert!(c.shops.len() >= 2, "several live locations to choose from: {:?}", c.shops);
    let state = block_on(a.state()).unwrap();
    assert_eq!(state.account_for_buyer(&buyer("a@x.com")).map(|a| a.account_id.as_str()), Some(ACCT));
    assert_eq!(state.account(ACCT).unwrap().default_shop_id, None, "several: the dialog asks");
    // The old capability is spent; the new one previews the order for the new account.
    refused(block_on(a.connected(&token, holder(), ACCT, &[9; 16])));
    let fresh = c.dialog.strip_prefix("dialog.html?cap=").unwrap();
    assert_ne!(fresh, token);
    let DialogView::Preview(p) = block_on(a.preview(fresh, holder())).unwrap() else { panic!("the preview") };
    assert_eq!((p.order_number.as_str(), p.account_name.as_str()), ("40718821", "Store 83050"));
    // Another tab cannot use it.
    refused(block_on(a.preview(fresh, Holder { tab_id: Some(99), frame_id: Some(3) })));
}

#[test]
fn the_only_live_location_becomes_the_default() {
    let a = setup();
    a.clients.env.post(
        "/seed",
        json!({"replace": true, "accounts": [{"accountID": ACCT, "name": "Solo",
        "shops": [{"name": "Front"}, {"name": "Closed", "archived": true}]}]}),
    );
    let token = stage(&a);
    account_linked(&a);
    let c = block_on(a.connected(&token, holder(), ACCT, &[8; 16])).unwrap();
    assert!(c.shops.is_empty(), "nothing to choose");
    assert_eq!(block_on(a.state()).unwrap().account(ACCT).unwrap().default_shop_id.as_deref(), Some("1"));
}

#[test]
fn an_account_with_no_active_location_says_so_with_open_lightspeed() {
    let a = setup();
    a.clients.env.post(
        "/seed",
        json!({"replace": true, "accounts": [{"accountID": ACCT, "name": "Closed",
        "shops": [{"name": "Closed", "archived": true}]}]}),
    );
    let token = stage(&a);
    account_linked(&a);
    let c = block_on(a.connected(&token, holder(), ACCT, &[8; 16])).unwrap();
    let fresh = c.dialog.strip_prefix("dialog.html?cap=").unwrap();
    let e = block_on(a.preview(fresh, holder())).expect_err("no location");
    let p = advice(&e, Surface::Extension);
    assert_eq!((p.message.as_str(), p.next), (errors::NO_ACTIVE_SHOP, Some(NextStep::OpenLightspeed)));
}

#[test]
fn connect_is_refused_once_the_export_has_an_account() {
    let a = setup();
    account_linked(&a);
    let mut s = block_on(a.state()).unwrap();
    s.link_buyer(buyer("a@x.com"), ACCT).unwrap();
    block_on(a.save_state(&s)).unwrap();
    let token = stage(&a);
    assert!(matches!(block_on(a.preview(&token, holder())).unwrap(), DialogView::Preview(_)));
    assert!(matches!(block_on(a.connect_check(&token, holder())), Err(AppError::Invalid(_))));
}

#[test]
fn every_error_of_the_first_po_flows_ends_in_its_sentence_and_one_button() {
    use po_bridge::lightspeed::client::ClientError;
    use po_bridge::lightspeed::http::{Method, TransportError};
    let network = ClientError::Transport {
        method: Method::Get,
        path: "/Shop.json".into(),
        source: TransportError::Connection("refused".into()),
    };
    let cases: Vec<(AppError, &str, NextStep)> = vec![
        (LinkError::Redirect(RedirectError::AccessDenied).into(), errors::ACCESS_DENIED, NextStep::TryAgain),
        (LinkError::Cancelled.into(), errors::CONSENT_CLOSED, NextStep::TryAgain),
        (AppError::NoSession, errors::SIGN_IN_ADVICE, NextStep::SignIn),
        (AppError::NoActiveShop, errors::NO_ACTIVE_SHOP, NextStep::OpenLightspeed),
        (ClientError::NeedsRelink { detail: "invalid_grant".into() }.into(), errors::RECONNECT, NextStep::Reconnect),
        (network.into(), errors::NETWORK_DOWN, NextStep::TryAgain),
    ];
    for (e, sentence, next) in cases {
        let p = advice(&e, Surface::Extension);
        assert_eq!((p.message.as_str(), p.next), (sentence, Some(next)), "{e:?}");
    }
}
