//! What the dialogs tell the user, against the rows, counts and orders they are told about.

use super::*;
use crate::app::plan_view::PlanView;
use crate::app::status::view;
use crate::core::ids::ItemId;
use crate::core::status::JobStatus;
use crate::export::plan::{ChoiceReason, Counts, SkuVia};
use crate::protocol::ShopView;

fn choosing(choice: Option<Choice>) -> RowStatus {
    RowStatus::NeedsChoice { reason: ChoiceReason::SeveralMatches, candidates: vec![], choice }
}

#[test]
fn each_status_has_the_first_party_words() {
    let rows = [
        (RowStatus::Confirmed { item_id: ItemId(1) }, "Confirmed"),
        (RowStatus::UpcMatch { item_id: ItemId(2) }, "UPC match"),
        (RowStatus::SkuMatch { item_id: ItemId(3), via: SkuVia::VendorNumber }, "Matched by SKU"),
        (RowStatus::SkuMatch { item_id: ItemId(3), via: SkuVia::ManufacturerSku }, "Matched by SKU"),
        (RowStatus::New, "New item"),
        (choosing(None), "Needs choice"),
        (choosing(Some(Choice::CreateNew)), "New item (chosen)"),
        (choosing(Some(Choice::Item { item_id: ItemId(4) })), "Matched (chosen)"),
    ];
    for (status, words) in rows {
        assert_eq!(status_label(&status), words, "{status:?}");
    }
    // A choice made in the dialog reads as the plan's own would.
    let item = Choice::Item { item_id: ItemId(4) };
    for choice in [None, Some(Choice::CreateNew), Some(item)] {
        assert_eq!(choice_label(choice.as_ref()), status_label(&choosing(choice.clone())), "{choice:?}");
    }
}

#[test]
fn the_totals_give_units_cost_and_each_count_in_its_place() {
    // Each count its own number, so a count shown in another's place shows.
    let counts =
        Counts { confirmed: 1, upc_match: 2, sku_match: 3, new: 4, needs_choice: 5, chosen_existing: 6, chosen_new: 7 };
    let preview = PreviewView {
        order_id: "o1".into(),
        order_number: "7001".into(),
        currency: "USD".into(),
        currency_warning: None,
        shipping_address: vec![],
        account_name: "Juniper & Pine".into(),
        shops: vec![ShopView { shop_id: "1".into(), name: "Main".into() }],
        default_shop_id: Some("1".into()),
        plan: PlanView { vendor: "Juniper".into(), counts, rows: vec![] },
        total_units: 120,
        total_cost: "1,234.00".into(),
        status: view(None, "7001", Some("o1"), JobStatus::NotExported),
    };
    assert_eq!(totals(&preview), "120 units · 1,234.00 USD · 1 confirmed, 2 UPC match, 3 by SKU, 4 new");
    assert_eq!(still_waiting(0), None);
    assert_eq!(still_waiting(2).as_deref(), Some(" · 2 need a choice"));
}

#[test]
fn export_waits_for_every_choice_first_then_for_a_location() {
    let rows = [
        (0, "1", None),
        (1, "1", Some(NEEDS_CHOICE)),
        (3, "", Some(NEEDS_CHOICE)),
        (0, "", Some(NO_LOCATION)),
        (0, "  ", Some(NO_LOCATION)),
    ];
    for (waiting, shop, refusal) in rows {
        assert_eq!(export_refusal(waiting, shop), refusal, "{waiting} waiting, shop {shop:?}");
    }
}

#[test]
fn a_batch_order_shows_its_counts() {
    let order = BatchOrderView {
        order_id: "o1".into(),
        order_number: "7001".into(),
        brand: "Juniper".into(),
        units: 12,
        total: "120.00 USD".into(),
        matched: 3,
        new: 1,
        needs_choice: 2,
        ready: false,
        can_choose: true,
        choice_rows: serde_json::Value::Null,
        note: None,
        warning: None,
        status: view(None, "7001", Some("o1"), JobStatus::NotExported),
    };
    assert_eq!(batch_counts(&order), "3 matched · 1 new · 2 need a choice");
}

#[test]
fn a_batch_order_joins_once_every_choice_is_made_and_says_so() {
    let waiting = Some("2 item(s) need a choice: choose them to export this order, or it is left out of this batch.");
    let every = Some("Every choice made: exported in this batch with your choices.");
    let exported = Some("Exported: left out of this batch.");
    // (ready, rows still waiting, its note) → (exportable, the note shown)
    let rows = [
        (false, Some(2), waiting, false, waiting),
        (false, Some(0), waiting, true, every),
        // An exported order has nothing to choose: it stays out, with its own note.
        (false, None, exported, false, exported),
        (true, None, None, true, None),
    ];
    for (ready, left, note, exportable, shown) in rows {
        assert_eq!(batch_exportable(ready, left), exportable, "{ready} {left:?}");
        assert_eq!(batch_note(note, left).as_deref(), shown, "{ready} {left:?}");
    }
}

#[test]
fn the_batch_button_counts_its_orders_in_words() {
    assert_eq!(batch_export_label(1), "Export 1 order");
    assert_eq!(batch_export_label(3), "Export 3 orders");
}

#[test]
fn the_started_note_ends_the_status_once() {
    let follow = " The status on the NuORDER page follows its progress.";
    assert_eq!(started("Export in progress"), format!("Export in progress.{follow}"));
    // An update's badge ends with its own ellipsis: no stop after it.
    assert_eq!(started("Updating PO #1042…"), format!("Updating PO #1042…{follow}"));
}

#[test]
fn an_order_in_another_currency_than_the_accounts_is_warned() {
    let warned = currency_warning("USD", Some("CAD")).expect("USD into CAD");
    assert!(warned.starts_with("This order is in USD, but your Lightspeed account keeps costs in CAD."), "{warned}");
    assert!(warned.contains("the order's USD amounts") && warned.ends_with("correct them in Lightspeed."), "{warned}");
    // The same currency in another case or with spaces around it, or an account whose currency
    // is not known (yet), is no warning.
    for (order, account) in [("USD", Some("USD")), ("usd", Some(" USD ")), ("USD", None), ("USD", Some(" "))] {
        assert_eq!(currency_warning(order, account), None, "{order} {account:?}");
    }
}
