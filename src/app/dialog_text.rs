//! What the export, batch and review dialogs tell the user beyond their fixed labels: a row's
//! status, the order's totals, why Export waits, a batch order's counts and note, the batch's
//! Export button and the note once a job started. The dialog renders these; the background refuses
//! a start with the same words ([`NEEDS_CHOICE`], [`NO_LOCATION`]), so a user reads one text for one
//! reason wherever it is caught.

use super::preview::PreviewView;
use crate::export::plan::{Choice, RowStatus};
use crate::protocol::BatchOrderView;

/// Export refused: a row marked *Needs choice* has no choice yet.
pub const NEEDS_CHOICE: &str = "Some items need your choice before export: pick an item or \"Create a new item\" for each row marked Needs choice.";

/// Export refused: no location chosen.
pub const NO_LOCATION: &str = "Choose the location for the order export.";

/// The warning an order in another currency than the Lightspeed account's gets, before Export
/// (`None` when they agree, or while the account's currency is unknown; the dialogs ask it only
/// for an order whose export can start or be retried, [`crate::core::status::JobStatus::is_open`]). PO Bridge converts
/// nothing: Lightspeed keeps a PO line's cost in the account's currency (reference
/// `lightspeed-r-series-api.md`, OrderLine `price`), and the order's prices are in its own. (A new
/// item's retail is the brand's in the account's currency where the product gives one:
/// [`crate::export::plan::plan_in`].)
pub fn currency_warning(order_currency: &str, account_currency: Option<&str>) -> Option<String> {
    let account = account_currency?.trim();
    let order = order_currency.trim();
    (!account.is_empty() && !order.eq_ignore_ascii_case(account)).then(|| {
        format!(
            "This order is in {order}, but your Lightspeed account keeps costs in {account}. PO Bridge does not \
             convert: the PO's costs will be the order's {order} amounts, and so will new items' prices where the \
             brand gives none in {account}. After the export, correct them in Lightspeed."
        )
    })
}

/// A row's status words, as the first-party integration names them.
pub fn status_label(status: &RowStatus) -> &'static str {
    match status {
        RowStatus::Confirmed { .. } => "Confirmed",
        RowStatus::UpcMatch { .. } => "UPC match",
        RowStatus::SkuMatch { .. } => "Matched by SKU",
        RowStatus::New => "New item",
        RowStatus::NeedsChoice { choice, .. } => choice_label(choice.as_ref()),
    }
}

/// A *Needs choice* row's words for its choice (`None`: none yet). The dialog shows the choice the
/// user makes in it as it is made, before Export sends it.
pub fn choice_label(choice: Option<&Choice>) -> &'static str {
    match choice {
        None => "Needs choice",
        Some(Choice::CreateNew) => "New item (chosen)",
        Some(Choice::Item { .. }) => "Matched (chosen)",
    }
}

/// The preview's totals line: units, cost and how the rows matched, as the review found them.
pub fn totals<S>(preview: &PreviewView<S>) -> String {
    let c = &preview.plan.counts;
    format!(
        "{} units · {} {} · {} confirmed, {} UPC match, {} by SKU, {} new",
        preview.total_units, preview.total_cost, preview.currency, c.confirmed, c.upc_match, c.sku_match, c.new
    )
}

/// What follows the totals while rows still wait for a choice: ` · 2 need a choice`.
pub fn still_waiting(waiting: usize) -> Option<String> {
    (waiting > 0).then(|| format!(" · {waiting} need a choice"))
}

/// Why Export cannot start yet, if it cannot: rows still waiting for a choice (the first thing the
/// user sees, on the tab the dialog opens on), then a missing location.
pub fn export_refusal(waiting: usize, shop_id: &str) -> Option<&'static str> {
    if waiting > 0 {
        Some(NEEDS_CHOICE)
    } else if shop_id.trim().is_empty() {
        Some(NO_LOCATION)
    } else {
        None
    }
}

/// The note once an export or update started, seen if the dialog cannot close: the status (a
/// badge's words: "Export in progress", "Updating PO #1042…"), and where to follow it.
pub fn started(status_text: &str) -> String {
    let stop = if status_text.ends_with(".") || status_text.ends_with("…") { "" } else { "." };
    format!("{status_text}{stop} The status on the NuORDER page follows its progress.")
}

/// A batch order's counts: `3 matched · 1 new · 0 need a choice`.
pub fn batch_counts<S>(order: &BatchOrderView<S>) -> String {
    format!("{} matched · {} new · {} need a choice", order.matched, order.new, order.needs_choice)
}

/// Whether a batch order can be exported: ready from the review ([`BatchOrderView::ready`]), or
/// one the user chooses for in the dialog ([`BatchOrderView::can_choose`]) once none of its rows
/// waits. `waiting`: its rows still without a choice, `None` for an order with nothing to choose.
pub fn batch_exportable(ready: bool, waiting: Option<usize>) -> bool {
    ready || waiting == Some(0)
}

/// A batch order's note: why it is left out ([`BatchOrderView::note`]), or, once every choice is
/// made in the dialog, that it is exported with them. `waiting` as for [`batch_exportable`].
pub fn batch_note(note: Option<&str>, waiting: Option<usize>) -> Option<String> {
    match waiting {
        Some(0) => Some("Every choice made: exported in this batch with your choices.".into()),
        _ => note.map(String::from),
    }
}

/// The batch dialog's Export button for the orders chosen.
pub fn batch_export_label(orders: usize) -> String {
    match orders {
        1 => "Export 1 order".into(),
        n => format!("Export {n} orders"),
    }
}

#[cfg(test)]
#[path = "dialog_text_tests.rs"]
mod tests;
