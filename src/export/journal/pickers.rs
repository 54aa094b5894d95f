//! Lookup results → `Found` / `NotFound`: which record a resumed step (or the existing-PO check)
//! finds.

use super::state::{Journal, RecordKind, StepKind, StepState};
use crate::core::sorted;
use crate::core::text::folded;
use crate::export::codes::{Code, CodeKey};
use crate::export::plan::{ItemDraft, KnownItem, KnownVendor, MatrixDraft};
use crate::lightspeed::{ItemId, ItemMatrix, ItemMatrixId, OrderId, OrderLine, VendorId};
use std::collections::BTreeSet;

/// The existing-PO check's picker: the one "already exported" rule of [`crate::export::po`].
pub use crate::export::markers::existing_po;

/// Our PO on resume: `refNum` equal to ours; a live one before an archived one, the newest (ours
/// was the last created; an older one is a twin, which the PO's twin step then settles).
pub fn pick_po(ref_num: &str, orders: &[crate::lightspeed::Order]) -> Option<OrderId> {
    orders
        .iter()
        .filter(|o| o.ref_num.as_deref().map(str::trim) == Some(ref_num))
        .max_by_key(|o| (!o.archived, o.order_id))
        .map(|o| o.order_id)
}

/// The vendor created on resume: a live vendor with exactly this name; the newest wins (ours was
/// the last created).
pub fn pick_vendor(name: &str, vendors: &[KnownVendor]) -> Option<VendorId> {
    vendors.iter().filter(|v| !v.archived && v.name.trim() == name.trim()).map(|v| v.id).max()
}

/// The matrix created on resume: a live matrix with this description and attribute set; the
/// newest wins.
pub fn pick_matrix(draft: &MatrixDraft, matrices: &[ItemMatrix]) -> Option<ItemMatrixId> {
    matrices
        .iter()
        .filter(|m| {
            !m.archived
                && m.description.trim() == draft.description.trim()
                && m.item_attribute_set_id.is_none_or(|s| s == draft.attribute_set)
        })
        .map(|m| m.item_matrix_id)
        .max()
}

/// The item created on resume for an item step: a live item with the draft's code (same
/// [`CodeKey`]); for a code-less draft, a live item with the draft's vendor number for this vendor
/// (or its manufacturer SKU) and the same attributes. The newest wins.
pub fn pick_item(draft: &ItemDraft, vendor: VendorId, items: &[KnownItem]) -> Option<ItemId> {
    let key: Option<CodeKey> = draft.code.as_ref().map(Code::key);
    let attrs_match = |i: &KnownItem| {
        let same = |a: &Option<String>, b: &Option<String>| a.as_deref().map(folded) == b.as_deref().map(folded);
        same(&i.attributes[0], &draft.attribute1) && same(&i.attributes[1], &draft.attribute2)
    };
    items
        .iter()
        .filter(|i| !i.archived)
        .filter(|i| match &key {
            Some(k) => i.code_keys().any(|ik| &ik == k),
            None => {
                attrs_match(i)
                    && (draft.vendor_number.as_ref().is_some_and(|v| {
                        i.vendor_numbers.iter().any(|(iv, val)| *iv == vendor && val.trim() == v.trim())
                    }) || i.manufacturer_sku.as_deref().map(str::trim) == Some(draft.manufacturer_sku.trim()))
            }
        })
        .map(|i| i.id)
        .max()
}

/// The line of line step `step` already on the PO: a line for the same item at the same price
/// that no other done line step of this job claims. The quantity is not compared: the line is
/// the item's, whatever its quantity now. Before the first create (the PO may be another job's,
/// which added the line) the oldest such line; on resume after an intent, the newest (ours was
/// the last created; an older twin is then settled by the final line pass).
pub fn pick_line(j: &Journal, step: usize, lines: &[OrderLine]) -> Option<u64> {
    let s = j.steps.get(step)?;
    let StepKind::Line { item, price, .. } = &s.kind else {
        return None;
    };
    let item = j.item_id(*item)?;
    let claimed = claimed_lines(j);
    let ids = lines
        .iter()
        .filter(|l| l.item_id == Some(item) && l.price == *price && !claimed.contains(&l.order_line_id.0))
        .map(|l| l.order_line_id.0);
    if s.status == StepState::IntentRecorded {
        ids.max()
    } else {
        ids.min()
    }
}

/// The line ids this job's done line steps hold.
pub(super) fn claimed_lines(j: &Journal) -> BTreeSet<u64> {
    let line_steps = j.steps.iter().filter(|s| RecordKind::of(&s.kind) == Some(RecordKind::Line));
    sorted::set(line_steps.filter_map(|s| match s.status {
        StepState::Done { id } => id,
        _ => None,
    }))
}
