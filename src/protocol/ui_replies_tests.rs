//! Each page's replies read and write as the [`Response`]s they stand for.

use super::*;
use crate::core::accounts::NuorderAccount;
use crate::core::ids::OrderId;
use crate::core::status::{BadgeView, JobStatus, Tone};
use crate::protocol::BatchOrderView;
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

fn popup_replies() -> Vec<PopupReply> {
    let buyer = NuorderAccount {
        retailer_id: "r".into(),
        retailer_name: "Juniper & Pine".into(),
        buyer_email: "avery@example.com".into(),
        buyer_name: "Avery Chen".into(),
    };
    let accounts = AccountsView { accounts: vec![], nuorder_signed_in: Some(buyer), nuorder_tab_id: Some(3) };
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
        PopupReply::Accounts(accounts),
        PopupReply::Linked { account_id: "a".into(), name: "Juniper & Pine".into() },
        PopupReply::Shops { account_id: "a".into(), shops: shops() },
        PopupReply::Done,
        PopupReply::Job(status()),
        PopupReply::History(vec![entry]),
        PopupReply::TabPage(Some(page)),
        PopupReply::TabPage(None),
    ]
}

fn dialog_replies() -> Vec<DialogReply> {
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
        status: status(),
    };
    let batch =
        BatchView { account_name: "Juniper & Pine".into(), shops: shops(), default_shop_id: None, orders: vec![order] };
    let connect = ConnectView { order_number: "7001".into(), vendor: "Juniper".into(), buyer: "Avery Chen".into() };
    vec![
        DialogReply::Preview(serde_json::json!({"order_number": "7001", "rows": []})),
        DialogReply::Review(serde_json::json!({"order_number": "7001"})),
        DialogReply::Connect(connect),
        DialogReply::Batch(batch),
        DialogReply::Connected { account_id: "a".into(), dialog: "dialog.html?cap=ab".into(), shops: shops() },
        DialogReply::Linked { account_id: "a".into(), name: "Juniper & Pine".into() },
        DialogReply::Job(status()),
        DialogReply::Set(set()),
        DialogReply::Done,
    ]
}

/// `reply` is written as its `Response` is, and that `Response`'s wire reads back as `reply`.
fn travels_as_its_response<R>(reply: R)
where
    R: Clone + PartialEq + std::fmt::Debug + Serialize + DeserializeOwned + Into<Response>,
{
    let response: Response = reply.clone().into();
    let wire = serde_json::to_value(&response).unwrap();
    assert_eq!(serde_json::to_value(&reply).unwrap(), wire, "{reply:?}");
    assert_eq!(serde_json::from_value::<R>(wire).unwrap(), reply);
}

#[test]
fn each_popup_reply_travels_as_its_response() {
    popup_replies().into_iter().for_each(travels_as_its_response);
}

#[test]
fn each_dialog_reply_travels_as_its_response() {
    dialog_replies().into_iter().for_each(travels_as_its_response);
}

#[test]
fn a_reply_another_page_reads_is_refused() {
    let statuses = Response::Statuses { linked: true, statuses: vec![status()] };
    let running = Response::RunningBatch { set: Some(set()) };
    for response in [statuses, running] {
        let wire = serde_json::to_value(&response).unwrap();
        assert!(serde_json::from_value::<PopupReply>(wire.clone()).is_err(), "{wire}");
        assert!(serde_json::from_value::<DialogReply>(wire.clone()).is_err(), "{wire}");
    }
    let history = serde_json::to_value(Response::History(vec![])).unwrap();
    assert!(serde_json::from_value::<DialogReply>(history).is_err());
    let preview = serde_json::to_value(Response::Preview(serde_json::json!({}))).unwrap();
    assert!(serde_json::from_value::<PopupReply>(preview).is_err());
}
