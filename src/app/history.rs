//! The popup's history: the latest status of each exported order, newest first.

use super::staging::{brand_of, StagedRecord};
use crate::export::badge;
use crate::export::status::JobStatus;
use crate::protocol::{HistoryEntry, OrderStatusView};

/// How many orders the history keeps.
pub const HISTORY_MAX: usize = 100;

/// Put an order's latest status first (replacing its earlier entry). `staged` names the brand and
/// the account; without it (the staged snapshot is gone) they stay empty.
pub fn record(history: &mut Vec<HistoryEntry>, status: &OrderStatusView, staged: Option<&StagedRecord>, now_ms: u64) {
    let Some(order_id) = status.order_id.clone() else { return };
    let (brand, account_id) = match staged {
        Some(r) => (brand_of(r), r.account_id.clone().unwrap_or_default()),
        None => (String::new(), String::new()),
    };
    history.retain(|h| h.order_id != order_id);
    let entry = HistoryEntry {
        order_id,
        order_number: status.order_number.clone(),
        brand,
        account_id,
        status: status.clone(),
        updated_ms: now_ms,
    };
    history.insert(0, entry);
    history.truncate(HISTORY_MAX);
}

/// The history shows the last state known: an exported order's entry turns *Changed since export*
/// (or back to *Exported*) where it is, keeping its place and brand. True when it changed.
pub fn follow(history: &mut [HistoryEntry], order_id: &str, changed: bool) -> bool {
    let Some(entry) = history.iter_mut().find(|h| h.order_id == order_id) else { return false };
    let status = match entry.status.status {
        JobStatus::Exported { po_id } if changed => JobStatus::Changed { po_id },
        JobStatus::Changed { po_id } if !changed => JobStatus::Exported { po_id },
        _ => return false,
    };
    let v = &mut entry.status;
    v.badge = badge::badge(&status, v.po_number.as_deref(), v.po_url.as_deref());
    v.status = status;
    true
}
