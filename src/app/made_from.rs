//! What an exported PO was made from (issue 14, item 4): the order's lines as the PO's lines used
//! them, its status, the ship window's end, currency and costs — and nothing personal (no addresses,
//! e-mails, names, phone numbers, notes). Staged snapshots and plans expire after
//! [`super::staging::STAGED_TTL_MS`]; this is kept for as long as the PO may be updated (until its
//! account is unlinked), so that a later edit of the order can be compared with it (issue 18).
//!
//! Taken from the job's own copy of the order when the job starts (a job may finish long after its
//! staged snapshot expired), and kept as the PO's source once the job has exported it.

use super::keys::StorageKey;
use super::platform::KvStore;
use super::store;
use crate::core::OrderId;
use crate::export::journal::{JobKey, Journal, Outcome};
use crate::export::plan::{keyed_size_rows, RowKey};
use crate::export::po::net_unit_price;
use crate::nuorder::model::{Money, Order, OrderStatus};
use crate::protocol::ShownRow;
use crate::update::{is_cancelled_status, Basis};
use serde::{Deserialize, Serialize};

/// One size row the PO was written from (rows with no units are left out, as the PO leaves them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRow {
    /// The row's identity across exports (NuORDER product `_id` + size), as the export keys it.
    pub key: RowKey,
    pub style_number: String,
    pub color: Option<String>,
    pub size: Option<String>,
    /// Units (packs × units per pack), as the PO line counted them.
    pub units: u64,
    /// The unit price the PO line was written with (after line and order discounts).
    pub net_price: Money,
    /// The unit price before line-level discounts.
    pub original_price: Money,
}

/// What a PO was made from. No personal data: see the module's note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoSource {
    /// NuORDER's order `_id` and number.
    pub order_id: String,
    pub order_number: String,
    /// The order's status when it was exported (`approved`, `cancelled`, …).
    pub status: Option<String>,
    /// The ship window's end (NuORDER's timestamp as sent): the PO's arrival date. (Records kept
    /// before 2026-12-07 also hold `start_ship`, which nothing reads.)
    pub end_ship: Option<String>,
    pub currency: String,
    /// The PO's shipping and other costs.
    pub ship_cost: Option<Money>,
    pub other_cost: Option<Money>,
    /// The order's total as NuORDER showed it (what the orders list's Total cell shows; `None` in
    /// a record kept before it was taken, or when the order had none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Money>,
    pub rows: Vec<SourceRow>,
    /// The Lightspeed account and the PO (`None` until the job has exported it).
    pub account_id: String,
    pub po_id: Option<OrderId>,
    /// When it was taken (the job's start), ms since the epoch.
    pub taken_ms: u64,
    /// The last state known: the order, as last seen (staged or read on its page), no longer
    /// matched what the PO was made from (*Changed since export*).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub changed: bool,
    /// While an update of the PO runs: the order it brings the PO up to (the PO is made from it
    /// once the update is done).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Box<PoSource>>,
}

impl PoSource {
    /// The source of the PO a job will write from `order`, before the job has run.
    pub fn of_order(order: &Order, account_id: &str, taken_ms: u64) -> PoSource {
        let rows = keyed_size_rows(order)
            .into_iter()
            .filter(|(_, _, s)| s.quantity > 0)
            .map(|(key, line, s)| SourceRow {
                key,
                style_number: line.product.style_number.clone(),
                color: line.product.color.clone(),
                size: s.size.clone(),
                units: s.units(),
                net_price: net_unit_price(s.price, order.discount),
                original_price: s.original_price,
            })
            .collect();
        PoSource {
            order_id: order.id.clone(),
            order_number: order.order_number.clone(),
            status: order.status.as_ref().map(|s| s.as_str().to_string()),
            end_ship: order.end_ship.as_ref().map(|t| t.as_str().to_string()),
            currency: order.currency.as_str().to_string(),
            ship_cost: order.shipping,
            other_cost: order.surcharge,
            total: order.total,
            rows,
            account_id: account_id.to_string(),
            po_id: None,
            taken_ms,
            changed: false,
            next: None,
        }
    }
}

impl PoSource {
    /// What the PO depends on in the order as it was exported (the rule: [`Basis`]).
    pub fn basis(&self) -> Basis {
        let rows = self.rows.iter().map(|r| (r.key.clone(), r.units, r.net_price, r.original_price));
        Basis::from_parts(self.status.as_deref(), self.end_ship.as_deref(), (self.ship_cost, self.other_cost), rows)
    }

    /// True while `order` (as NuORDER shows it now) still matches what the PO was made from:
    /// *Exported · View PO #N*; false: *Changed since export · Review*.
    pub fn matches(&self, order: &Order) -> bool {
        self.basis().matches(&Basis::of_order(order))
    }
}

/// Page text longer than this is not an amount or a status: it is not compared.
const MAX_SHOWN_CHARS: usize = 64;

impl PoSource {
    /// Whether an orders-list row shows figures the PO was not made from (issue 18, item 1): its
    /// Total (read with [`Money::parse_shown`], compared to the cent) or a status that says the
    /// order was cancelled (or came back). A cell that is
    /// absent, too long or unreadable says nothing; neither does a record kept without a total.
    pub fn shown_moved(&self, shown: &ShownRow) -> bool {
        fn text(t: &Option<String>) -> Option<&str> {
            t.as_deref().map(str::trim).filter(|t| t.chars().count() <= MAX_SHOWN_CHARS)
        }
        let total = text(&shown.total).and_then(Money::parse_shown);
        let total_moved = matches!((total, self.total), (Some(a), Some(b)) if a.round_to_cents() != b.round_to_cents());
        // Only a cancellation matters to the PO (the rule: `update::is_cancelled_status`), not the
        // brand moving the order along. A status the page words in a way we do not know says nothing.
        let status = text(&shown.status).map(OrderStatus::from_text).filter(|s| !matches!(s, OrderStatus::Other(_)));
        let status_moved = status
            .is_some_and(|s| is_cancelled_status(Some(s.as_str())) != is_cancelled_status(self.status.as_deref()));
        total_moved || status_moved
    }
}

/// Keep the source of the PO a starting job will write (replacing any earlier one of the job).
pub async fn keep_draft(store: &impl KvStore, key: &JobKey, order: &Order, now_ms: u64) {
    let source = PoSource::of_order(order, &key.account_id, now_ms);
    let _ = store::put(store, &StorageKey::MadeFrom(key.clone()), &source).await;
}

/// Once a job has exported its PO, its kept source names the PO (once; best effort). A job that
/// found the PO already there (`AlreadyExported`) wrote nothing, and that PO was not made from its
/// copy: the draft is dropped.
pub async fn settle(store: &impl KvStore, journal: &Journal) {
    let key = StorageKey::MadeFrom(journal.key.clone());
    let po_id = match journal.outcome {
        Outcome::Exported { po_id } => po_id,
        Outcome::AlreadyExported { .. } => {
            let _ = store::delete(store, &key).await;
            return;
        }
        _ => return,
    };
    let Ok(Some(mut source)) = store::get::<PoSource>(store, &key).await else { return };
    if source.po_id.is_none() {
        source.po_id = Some(po_id);
        let _ = store::put(store, &key, &source).await;
    }
}

/// What the PO of this job was made from, once exported.
pub async fn get(store: &impl KvStore, key: &JobKey) -> Option<PoSource> {
    let source: PoSource = store::get(store, &StorageKey::MadeFrom(key.clone())).await.ok()??;
    source.po_id.is_some().then_some(source)
}

/// Compare `order` (as NuORDER shows it now) with what the PO of `key` was made from and keep the
/// result as the last state known. `Some(changed)` when the order has an exported PO whose source
/// is kept; `None` otherwise (nothing to compare with).
pub async fn observe(store: &impl KvStore, key: &JobKey, order: &Order) -> Option<bool> {
    let mut source = get(store, key).await?;
    let changed = !source.matches(order);
    if source.changed != changed {
        source.changed = changed;
        let _ = store::put(store, &StorageKey::MadeFrom(key.clone()), &source).await;
    }
    Some(changed)
}

/// What an orders-list row shows of the order of `key`, against what its PO was made from: when
/// it moved, the last state known turns changed (a row that matches proves nothing about the
/// lines, so it leaves the last state as it is). `Some(moved)` when there is a PO source.
pub async fn observe_shown(store: &impl KvStore, key: &JobKey, shown: &ShownRow) -> Option<bool> {
    let mut source = get(store, key).await?;
    let moved = source.shown_moved(shown);
    if moved && !source.changed {
        source.changed = true;
        let _ = store::put(store, &StorageKey::MadeFrom(key.clone()), &source).await;
    }
    Some(moved)
}

/// Whether the order was last seen changed since its PO was made (the last state known).
pub async fn changed(store: &impl KvStore, key: &JobKey) -> bool {
    get(store, key).await.is_some_and(|s| s.changed)
}

/// An update of the PO starts: once it is done, the PO is made from `order` (kept beside the
/// current source until then, so an update resumed after a stop still knows it).
pub async fn pending(store: &impl KvStore, key: &JobKey, order: &Order, now_ms: u64) {
    let Some(mut source) = get(store, key).await else { return };
    source.next = Some(Box::new(of_same_po(&source, key, order, now_ms)));
    let _ = store::put(store, &StorageKey::MadeFrom(key.clone()), &source).await;
}

/// The PO already matches `order` with nothing for PO Bridge to write (the merchant made the
/// brand's changes by hand): it is made from `order` from now on, in one write.
pub async fn remade(store: &impl KvStore, key: &JobKey, order: &Order, now_ms: u64) {
    let Some(source) = get(store, key).await else { return };
    let _ = store::put(store, &StorageKey::MadeFrom(key.clone()), &of_same_po(&source, key, order, now_ms)).await;
}

/// `order` as the source of the PO `source` describes.
fn of_same_po(source: &PoSource, key: &JobKey, order: &Order, now_ms: u64) -> PoSource {
    PoSource { po_id: source.po_id, ..PoSource::of_order(order, &key.account_id, now_ms) }
}

/// The update is done: the PO is made from the order it brought it up to, and matches it again
/// (*Exported · View PO #N*).
pub async fn settle_update(store: &impl KvStore, key: &JobKey) {
    let Some(source) = get(store, key).await else { return };
    if let Some(next) = source.next {
        let _ = store::put(store, &StorageKey::MadeFrom(key.clone()), &*next).await;
    }
}

/// Forget every PO source of an account (when it is unlinked).
pub async fn forget_account(store: &impl KvStore, account_id: &str) {
    let prefix = format!("{}{account_id}:", super::keys::MADE_FROM_PREFIX);
    for k in store.keys(&prefix).await.unwrap_or_default() {
        let _ = store.delete(&k).await;
    }
}
