//! The dialog's hand reading of its preview and review against serde's, on what the core writes.

use super::*;
use crate::app::review::ReviewState;
use crate::app::status::view;
use crate::core::ids::{ItemId, OrderId};
use crate::core::rows::{Choice, RowKey};
use crate::core::status::JobStatus;
use crate::export::plan::SkuVia;
use crate::protocol::{ErrorCode, NextStep, ProtocolError, Response, ShopView};
use serde::de::DeserializeOwned;
use serde::Serialize;

fn candidate(id: u64, archived: bool) -> Candidate {
    Candidate {
        item_id: ItemId(id),
        description: format!("Tote {id}"),
        upc: Some("812345001013".into()),
        ean: None,
        manufacturer_sku: if archived { None } else { Some("TOTE-22".into()) },
        archived,
    }
}

fn choosing(reason: ChoiceReason, choice: Option<Choice>) -> RowStatus {
    RowStatus::NeedsChoice { reason, candidates: vec![candidate(5, false), candidate(6, true)], choice }
}

/// One status of each kind: each variant of a row's status, of a choice's reason and of a choice.
fn statuses() -> Vec<RowStatus> {
    vec![
        RowStatus::Confirmed { item_id: ItemId(1) },
        RowStatus::UpcMatch { item_id: ItemId(2) },
        RowStatus::SkuMatch { item_id: ItemId(3), via: SkuVia::VendorNumber },
        RowStatus::SkuMatch { item_id: ItemId(4), via: SkuVia::ManufacturerSku },
        RowStatus::New,
        choosing(ChoiceReason::SeveralMatches, None),
        choosing(ChoiceReason::ArchivedOnly, Some(Choice::CreateNew)),
        choosing(
            ChoiceReason::LinkVanished { item_id: ItemId(9), archived: true },
            Some(Choice::Item { item_id: ItemId(5) }),
        ),
        RowStatus::NeedsChoice { reason: ChoiceReason::SeveralMatches, candidates: vec![], choice: None },
    ]
}

/// Which variant: a variant added to `RowStatus` or `ChoiceReason` fails to compile here until it
/// has an index, then fails [`every_status_is_sampled`] until [`statuses`] has a sample.
fn index(s: &RowStatus) -> usize {
    match s {
        RowStatus::Confirmed { .. } => 0,
        RowStatus::UpcMatch { .. } => 1,
        RowStatus::SkuMatch { .. } => 2,
        RowStatus::New => 3,
        RowStatus::NeedsChoice { reason: ChoiceReason::SeveralMatches, .. } => 4,
        RowStatus::NeedsChoice { reason: ChoiceReason::ArchivedOnly, .. } => 5,
        RowStatus::NeedsChoice { reason: ChoiceReason::LinkVanished { .. }, .. } => 6,
    }
}

#[test]
fn every_status_is_sampled() {
    let mut seen = [false; 7];
    statuses().iter().for_each(|s| seen[index(s)] = true);
    assert_eq!(seen, [true; 7]);
}

fn rows() -> Vec<RowView> {
    let row = |i: usize, status: RowStatus| RowView {
        key: RowKey::new(format!("p{i}"), if i.is_multiple_of(3) { "" } else { "M" }),
        style_number: format!("TOTE-{i}"),
        color: i.is_multiple_of(2).then(|| "NAVY".into()),
        size: (!i.is_multiple_of(3)).then(|| "M".into()),
        units: 12 + i as u64,
        status,
    };
    statuses().into_iter().enumerate().map(|(i, s)| row(i, s)).collect()
}

fn preview(status: JobStatus) -> PreviewView {
    // Each count its own number, so a count read from another's field shows.
    let counts =
        Counts { confirmed: 1, upc_match: 2, sku_match: 3, new: 4, needs_choice: 5, chosen_existing: 6, chosen_new: 7 };
    PreviewView {
        order_id: "o1".into(),
        order_number: "7001".into(),
        currency: "USD".into(),
        currency_warning: Some("This order is in USD, but your Lightspeed account keeps costs in CAD.".into()),
        shipping_address: vec!["Juniper & Pine".into(), "12 Main St".into()],
        account_name: "Juniper & Pine".into(),
        shops: vec![ShopView { shop_id: "1".into(), name: "Main".into() }],
        default_shop_id: Some("1".into()),
        plan: PlanView { vendor: "Juniper".into(), counts, rows: rows() },
        total_units: 120,
        total_cost: "1,234.00".into(),
        status: view(None, "7001", Some("o1"), status),
    }
}

fn review(failure: Option<ProtocolError>) -> ReviewView {
    ReviewView {
        order_id: "o1".into(),
        order_number: "7001".into(),
        account_name: "Juniper & Pine".into(),
        po_number: "1042".into(),
        state: ReviewState::NeedsChoice,
        headline: "2 changes · PO #1042".into(),
        lines: vec![ReviewLine {
            change: "quantity".into(),
            label: "Quantity".into(),
            item: "TOTE-22 NAVY OS".into(),
            text: "12 → 6 units".into(),
        }],
        added_rows: rows(),
        header: vec!["Arrival date 2026-09-15 → 2026-10-01".into()],
        conflicts: vec!["Line 2 was received: left as is.".into()],
        notes: vec![],
        can_update: true,
        archive_offered: false,
        status: view(None, "7001", Some("o1"), JobStatus::Exported { po_id: OrderId(1042) }),
        failure,
    }
}

/// The view's `data` as the background sends it, read by hand as `V<Value>` and by serde: the
/// same value, which writes back to the same wire. The read value, for the caller's checks.
fn reads_alike<V>(response: Response) -> V
where
    V: FromWire + DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    let wire = serde_json::to_value(response).unwrap();
    let data = wire["data"].clone();
    let serde: V = serde_json::from_value(data.clone()).unwrap_or_else(|e| panic!("{data}: {e}"));
    let hand = V::from_wire(&data).unwrap_or_else(|| panic!("not read by hand: {data}"));
    assert_eq!(hand, serde);
    assert_eq!(serde_json::to_value(&hand).unwrap(), data);
    hand
}

#[test]
fn the_dialog_reads_a_preview_by_hand_as_serde_does() {
    let busy = JobStatus::InProgress { step: "Creating items 3 of 8".into(), done: 3, total: 8 };
    for status in [JobStatus::NotExported, JobStatus::Exported { po_id: OrderId(7) }, busy] {
        let sent = preview(status);
        let read: PreviewView<Value> = reads_alike(sent.clone().into_response());
        assert_eq!(read.plan, sent.plan, "every row and count as the core made them");
        assert_eq!(read.status.badge, sent.status.badge);
        assert_eq!(read.status.status, serde_json::to_value(&sent.status.status).unwrap());
    }
}

#[test]
fn the_dialog_reads_a_review_by_hand_as_serde_does() {
    let failure =
        ProtocolError { next: Some(NextStep::TryAgain), ..ProtocolError::new(ErrorCode::Network, "Try again.") };
    for failure in [None, Some(failure)] {
        let sent = review(failure);
        let read: ReviewView<Value> = reads_alike(sent.clone().into_response());
        assert_eq!((read.added_rows, read.lines, read.failure), (sent.added_rows, sent.lines, sent.failure));
    }
}

#[test]
fn a_batch_order_s_rows_read_by_hand_as_serde_does() {
    let wire = serde_json::to_value(rows()).unwrap();
    assert_eq!(Vec::<RowView>::from_wire(&wire), Some(rows()));
    assert_eq!(serde_json::from_value::<Vec<RowView>>(wire).unwrap(), rows());
}

#[test]
fn a_row_the_dialog_cannot_read_is_refused_both_ways() {
    let good = serde_json::to_value(&rows()[7]).unwrap();
    let bad = |path: &[&str], to: Value| {
        let mut v = good.clone();
        let (last, parents) = path.split_last().unwrap();
        let mut at = &mut v;
        for p in parents {
            at = if let Ok(i) = p.parse::<usize>() { &mut at[i] } else { &mut at[*p] };
        }
        at[*last] = to;
        v
    };
    for wrong in [
        bad(&["status", "status"], "maybe".into()),
        bad(&["status", "reason", "kind"], "several".into()),
        bad(&["status", "choice", "kind"], "other".into()),
        bad(&["status", "candidates", "0", "item_id"], "five".into()),
        bad(&["units"], "12".into()),
        bad(&["key", "size"], Value::Null),
    ] {
        assert!(serde_json::from_value::<RowView>(wrong.clone()).is_err(), "serde read {wrong}");
        assert_eq!(RowView::from_wire(&wrong), None, "{wrong}");
    }
}
