//! Each page's replies read and write as the [`Response`]s they stand for.

use super::*;
use crate::core::accounts::{LightspeedAccount, NuorderAccount, Region};
use crate::core::ids::OrderId;
use crate::core::status::{BadgeLink, BadgeView, JobStatus, Tone};
use crate::protocol::{AccountView, BatchOrderView, FromWire, Response};
use serde::de::DeserializeOwned;

fn status() -> OrderStatusView {
    let badge = BadgeView {
        text: "Exported".into(),
        tone: Tone::Success,
        detail: None,
        progress: None,
        link: None,
        action_enabled: false,
        action_tooltip: "Already exported as PO #1042.".into(),
        retry: false,
        needs_link: false,
        review: false,
        selectable: false,
    };
    let status = JobStatus::Exported { po_id: OrderId(7) };
    OrderStatusView {
        order_number: "7001".into(),
        order_id: Some("o1".into()),
        status,
        po_number: None,
        po_url: None,
        badge,
    }
}

fn shops() -> Vec<ShopView> {
    vec![ShopView { shop_id: "1".into(), name: "Main Street".into() }]
}

fn set() -> SetView {
    SetView { set_id: "s".into(), label: "1 of 2".into(), done: 1, total: 2, finished: false, cancelled: false }
}

fn popup_responses() -> Vec<Response> {
    let buyer = NuorderAccount {
        retailer_id: "r".into(),
        retailer_name: "Juniper & Pine".into(),
        buyer_email: "avery@example.com".into(),
        buyer_name: "Avery Chen".into(),
    };
    let account = |id: &str, region, default_shop_id: Option<&str>, needs_relink| LightspeedAccount {
        account_id: id.into(),
        name: "Juniper & Pine".into(),
        client_id: "po-bridge-client".into(),
        region,
        default_shop_id: default_shop_id.map(Into::into),
        needs_relink,
        linked_at_ms: 1_733_000_000_000,
        // One account with a currency kept, one without (linked before it was kept).
        currency: needs_relink.then(|| "CAD".into()),
    };
    let accounts = vec![
        AccountView { account: account("1", Region::Us, None, false), buyers: vec![], used_by_current_tab: false },
        AccountView {
            account: account("2", Region::Aus, Some("3"), true),
            buyers: vec![buyer.clone()],
            used_by_current_tab: true,
        },
    ];
    let busy = OrderStatusView {
        status: JobStatus::InProgress { step: "Creating items 3 of 8".into(), done: 3, total: 8 },
        po_number: Some("1042".into()),
        po_url: Some("https://us.merchantos.com/?name=purchase.views.purchase&id=7".into()),
        badge: BadgeView {
            detail: Some("Creating items 3 of 8".into()),
            progress: Some((3, 8)),
            link: Some(BadgeLink { text: "View PO #1042".into(), url: "https://us.merchantos.com/".into() }),
            review: true,
            ..status().badge
        },
        ..status()
    };
    let accounts = AccountsView { accounts, nuorder_signed_in: Some(buyer), nuorder_tab_id: Some(3) };
    let entry = HistoryEntry {
        order_id: "o1".into(),
        order_number: "7001".into(),
        brand: "Juniper".into(),
        account_id: "a".into(),
        status: status(),
        updated_ms: 5,
    };
    let page = TabPageView {
        tab_id: 3,
        kind: "order".into(),
        route: "/order/o1".into(),
        status: Some(status()),
        signed_in: true,
        can_export: false,
        missing: vec!["row_actions_cell".into()],
        diagnostic: "PO Bridge 0.1.0".into(),
    };
    vec![
        Response::Accounts(accounts),
        Response::Linked { account_id: "a".into(), name: "Juniper & Pine".into() },
        Response::Shops { account_id: "a".into(), shops: shops() },
        Response::Done,
        Response::Job(status()),
        Response::Job(busy.clone()),
        Response::History(vec![entry.clone(), HistoryEntry { status: busy, ..entry }]),
        Response::History(vec![]),
        Response::Accounts(AccountsView::default()),
        Response::TabPage(Some(page)),
        Response::TabPage(None),
    ]
}

fn dialog_responses() -> Vec<Response> {
    let order = BatchOrderView {
        order_id: "o1".into(),
        order_number: "7001".into(),
        brand: "Juniper".into(),
        units: 12,
        total: "1,234.00 USD".into(),
        matched: 2,
        new: 1,
        needs_choice: 0,
        ready: true,
        can_choose: false,
        choice_rows: serde_json::Value::Null,
        note: None,
        warning: None,
        status: status(),
    };
    // An order that needs a choice: its rows stay JSON here (the app reads them, `app::dialog_read`).
    let choosing = BatchOrderView {
        order_id: "o2".into(),
        needs_choice: 1,
        ready: false,
        can_choose: true,
        choice_rows: serde_json::json!([{"key": {"product_id": "p", "size": "M"}, "status": {"status": "new"}}]),
        note: Some("1 item(s) need a choice".into()),
        warning: Some("This order is in USD, but your Lightspeed account keeps costs in CAD.".into()),
        ..order.clone()
    };
    let orders = vec![order, choosing];
    let batch =
        BatchView { account_name: "Juniper & Pine".into(), shops: shops(), default_shop_id: Some("1".into()), orders };
    let connect = ConnectView { order_number: "7001".into(), vendor: "Juniper".into(), buyer: "Avery Chen".into() };
    let busy =
        OrderStatusView { status: JobStatus::InProgress { step: "Creating".into(), done: 1, total: 2 }, ..status() };
    vec![
        Response::Preview(serde_json::json!({"order_number": "7001", "rows": []})),
        Response::Review(serde_json::json!({"order_number": "7001"})),
        Response::Connect(connect),
        Response::Batch(batch),
        Response::Batch(BatchView {
            account_name: "Shop".into(),
            shops: vec![],
            default_shop_id: None,
            orders: vec![],
        }),
        Response::Connected { account_id: "a".into(), dialog: "dialog.html?cap=ab".into(), shops: shops() },
        Response::Connected { account_id: "a".into(), dialog: "dialog.html?cap=ab".into(), shops: vec![] },
        Response::Linked { account_id: "a".into(), name: "Juniper & Pine".into() },
        Response::Job(status()),
        Response::Job(busy),
        Response::Set(set()),
        Response::Done,
    ]
}

/// `response`'s wire reads as `R`, which writes it back to the same wire: a variant or field
/// that the page's enum renames or drops fails here. The read reply, for the caller's checks.
fn reads_as<R>(response: &Response) -> R
where
    R: std::fmt::Debug + Serialize + DeserializeOwned,
{
    let wire = serde_json::to_value(response).unwrap();
    let reply: R = serde_json::from_value(wire.clone()).unwrap_or_else(|e| panic!("{wire}: {e}"));
    assert_eq!(serde_json::to_value(&reply).unwrap(), wire, "{reply:?}");
    reply
}

/// Which variant: a variant added to `PopupReply` fails to compile here until it has an index,
/// then fails the test below until `popup_responses` has a sample.
fn popup_index(r: &PopupReply) -> usize {
    match r {
        PopupReply::Accounts(_) => 0,
        PopupReply::Linked { .. } => 1,
        PopupReply::Shops { .. } => 2,
        PopupReply::Done => 3,
        PopupReply::Job(_) => 4,
        PopupReply::History(_) => 5,
        PopupReply::TabPage(_) => 6,
    }
}

/// As [`popup_index`], for `DialogReply`.
fn dialog_index(r: &DialogReply) -> usize {
    match r {
        DialogReply::Preview(_) => 0,
        DialogReply::Review(_) => 1,
        DialogReply::Connect(_) => 2,
        DialogReply::Batch(_) => 3,
        DialogReply::Connected { .. } => 4,
        DialogReply::Linked { .. } => 5,
        DialogReply::Job(_) => 6,
        DialogReply::Set(_) => 7,
        DialogReply::Done => 8,
    }
}

#[test]
fn each_popup_reply_travels_as_its_response() {
    let mut seen = [false; 7];
    for response in popup_responses() {
        let reply = reads_as::<PopupReply>(&response);
        // The popup reads it by hand (`popup_read`), as serde does.
        let wire = serde_json::to_value(&response).unwrap();
        assert_eq!(PopupReply::from_wire(&wire).as_ref(), Some(&reply), "{wire}");
        seen[popup_index(&reply)] = true;
    }
    assert_eq!(seen, [true; 7]);
}

#[test]
fn the_popup_reads_an_account_s_defaults_as_serde_does() {
    let wire = serde_json::json!({"type": "accounts", "data": {"accounts": [{
        "account": {"account_id": "1", "name": "Shop", "client_id": "c", "linked_at_ms": 5},
        "buyers": [], "used_by_current_tab": false,
    }], "nuorder_signed_in": null, "nuorder_tab_id": null}});
    let serde: PopupReply = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(PopupReply::from_wire(&wire), Some(serde));
    let mut bad = wire.clone();
    bad["data"]["accounts"][0]["account"]["region"] = "mars".into();
    assert!(serde_json::from_value::<PopupReply>(bad.clone()).is_err());
    assert_eq!(PopupReply::from_wire(&bad), None);
}

#[test]
fn the_popup_shows_the_badge_the_background_computed() {
    let response = Response::Job(status());
    let PopupReply::Job(read) = reads_as::<PopupReply>(&response) else { panic!("not a Job") };
    assert_eq!(read.badge, status().badge);
    assert_eq!(read.status, serde_json::to_value(status().status).unwrap());
}

#[test]
fn each_dialog_reply_travels_as_its_response() {
    let mut seen = [false; 9];
    for response in dialog_responses() {
        let reply = reads_as::<DialogReply>(&response);
        // The dialog reads it by hand (`dialog_read`), as serde does.
        let wire = serde_json::to_value(&response).unwrap();
        assert_eq!(DialogReply::from_wire(&wire).as_ref(), Some(&reply), "{wire}");
        seen[dialog_index(&reply)] = true;
    }
    assert_eq!(seen, [true; 9]);
}

#[test]
fn the_dialog_reads_a_batch_order_s_defaults_as_serde_does() {
    let wire = serde_json::json!({"type": "batch", "data": {
        "account_name": "Shop", "shops": [], "default_shop_id": null, "orders": [{
            "order_id": "o1", "order_number": "7001", "brand": "B", "units": 1, "total": "",
            "matched": 1, "new": 0, "needs_choice": 0, "ready": true, "note": null,
            "status": serde_json::to_value(status()).unwrap(),
    }]}});
    let serde: DialogReply = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(DialogReply::from_wire(&wire), Some(serde));
    let mut bad = wire.clone();
    bad["data"]["orders"][0]["units"] = "one".into();
    assert!(serde_json::from_value::<DialogReply>(bad.clone()).is_err());
    assert_eq!(DialogReply::from_wire(&bad), None);
}

#[test]
fn a_reply_another_page_reads_is_refused() {
    let statuses = Response::Statuses { linked: true, statuses: vec![status()] };
    let running = Response::RunningBatch { set: Some(set()) };
    for response in [statuses, running] {
        let wire = serde_json::to_value(&response).unwrap();
        assert!(serde_json::from_value::<PopupReply>(wire.clone()).is_err(), "{wire}");
        assert_eq!(PopupReply::from_wire(&wire), None, "{wire}");
        assert!(serde_json::from_value::<DialogReply>(wire.clone()).is_err(), "{wire}");
        assert_eq!(DialogReply::from_wire(&wire), None, "{wire}");
    }
    let history = serde_json::to_value(Response::History(vec![])).unwrap();
    assert!(serde_json::from_value::<DialogReply>(history.clone()).is_err());
    assert_eq!(DialogReply::from_wire(&history), None);
    let preview = serde_json::to_value(Response::Preview(serde_json::json!({}))).unwrap();
    assert!(serde_json::from_value::<PopupReply>(preview.clone()).is_err());
    assert_eq!(PopupReply::from_wire(&preview), None);
}
