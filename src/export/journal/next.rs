//! What to do next: [`next_action`] reads the journal (pure) and names one action for the current
//! step. A step whose intent is recorded is looked up first (a write may have reached
//! Lightspeed); otherwise it is written.

use super::action::Action;
use super::state::{ItemRef, Journal, Outcome, StepKind, StepState};
use crate::export::plan::{ItemDraft, MatrixDraft};
use crate::export::po::{line_write, ordered_write, PoHeaderDraft};
use crate::lightspeed::{ItemMatrixId, OrderId, VendorWrite};
use crate::nuorder::model::Money;

fn failed(message: &str) -> Action {
    Action::Stopped(Outcome::Failed {
        message: format!("PO Bridge could not continue this export ({message}). Please report it."),
        retryable: false,
    })
}

/// What to do next (pure; see the module docs).
pub fn next_action(j: &Journal) -> Action {
    match &j.outcome {
        Outcome::Running => {}
        Outcome::Exported { po_id } => return Action::Finished { po_id: *po_id },
        other => return Action::Stopped(other.clone()),
    }
    let Some(step) = j.current() else {
        return match j.po_id() {
            Some(po_id) => Action::Finished { po_id },
            None => failed("no purchase order recorded"),
        };
    };
    let s = &j.steps[step];
    let intent = s.status == StepState::IntentRecorded;
    match &s.kind {
        StepKind::CheckExists { ref_num, b2b_order_number } => {
            Action::CheckExists { step, ref_num: ref_num.clone(), b2b_order_number: b2b_order_number.clone() }
        }
        StepKind::Vendor { name } => vendor_action(step, intent, name),
        StepKind::Matrix { draft, .. } => matrix_action(j, step, intent, draft),
        StepKind::Item { matrix, draft, .. } => item_action(j, step, intent, *matrix, draft),
        StepKind::PoHeader { draft } => po_action(j, step, intent, draft),
        StepKind::Line { item, quantity, price, original_price, .. } => {
            line_action(j, step, intent, *item, *quantity, (*price, *original_price))
        }
        StepKind::MarkOrdered { ordered_date } => match j.po_id() {
            Some(po) => Action::MarkOrdered { step, po, write: ordered_write(ordered_date) },
            None => failed("Ordered mark before the PO"),
        },
        StepKind::SaveLinks => match j.links() {
            Some(links) => Action::SaveLinks { step, links },
            None => failed("links before every id is known"),
        },
    }
}

fn vendor_action(step: usize, intent: bool, name: &str) -> Action {
    if intent {
        Action::FindVendor { step, name: name.to_string() }
    } else {
        Action::CreateVendor { step, write: VendorWrite { name: Some(name.to_string()), ..VendorWrite::default() } }
    }
}

fn matrix_action(j: &Journal, step: usize, intent: bool, draft: &MatrixDraft) -> Action {
    let Some(vendor) = j.vendor_id() else {
        return failed("matrix before vendor");
    };
    if intent {
        Action::FindMatrix { step, description: draft.description.clone(), attribute_set: draft.attribute_set }
    } else {
        Action::CreateMatrix { step, write: draft.to_write(vendor) }
    }
}

fn item_action(j: &Journal, step: usize, intent: bool, matrix: Option<usize>, draft: &ItemDraft) -> Action {
    let Some(vendor) = j.vendor_id() else {
        return failed("item before vendor");
    };
    let matrix_id = match matrix {
        Some(m) => match j.done_id(m) {
            Some(id) => Some(ItemMatrixId(id)),
            None => return failed("item before its matrix"),
        },
        None => None,
    };
    if intent {
        Action::FindItem {
            step,
            code: draft.code.clone(),
            vendor_number: draft.vendor_number.clone().map(|v| (vendor, v)),
            manufacturer_sku: draft.manufacturer_sku.clone(),
        }
    } else {
        Action::CreateItem { step, write: draft.to_write(vendor, matrix_id) }
    }
}

fn po_action(j: &Journal, step: usize, intent: bool, draft: &PoHeaderDraft) -> Action {
    let Some(vendor) = j.vendor_id() else {
        return failed("PO before vendor");
    };
    if intent {
        Action::FindPo { step, ref_num: draft.ref_num.clone() }
    } else {
        Action::CreatePo { step, write: draft.to_write(vendor, j.shop_id) }
    }
}

fn line_action(j: &Journal, step: usize, intent: bool, item: ItemRef, quantity: u64, prices: (Money, Money)) -> Action {
    let (Some(po), Some(item)): (Option<OrderId>, _) = (j.po_id(), j.item_id(item)) else {
        return failed("line before its PO or item");
    };
    if intent {
        Action::FindLine { step, po, item, quantity }
    } else {
        Action::CreateLine { step, write: line_write(po, item, quantity, prices.0, prices.1) }
    }
}
