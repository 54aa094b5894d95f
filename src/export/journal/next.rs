//! What to do next: [`next_action`] reads the journal (pure) and names one action for the current
//! step. A step whose intent is recorded is looked up first (a write may have reached
//! Lightspeed); otherwise it is written. A line is also looked up *before* its first write (the
//! PO may be another job's, which added it already). A twin step looks for a twin and, when ours
//! was given up, archives it (the new items: one lookup for a batch of them, then their archives;
//! the new matrices: one lookup for a batch of them, and a matrix given up is left empty); the final line pass lists the PO's lines and removes our duplicates.

use super::action::Action;
use super::converge::{item_twin_lookup, matrix_twin_lookup};
use super::state::{ItemRef, Journal, Outcome, RecordKind, StepKind, StepState};
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
    action_for(j, step)
}

/// The action of step `step` of a running job (the current step, or one of its wave:
/// [`super::next_actions`]).
pub(super) fn action_for(j: &Journal, step: usize) -> Action {
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
            // Looked up first when resumed after its intent (exactly once for itself) or when the
            // PO is shared (this job gave up its own for another's, issue 16); a job on its own PO
            // creates directly, and the final line pass removes a line it added twice.
            let fresh = s.status == StepState::Pending && !j.gave_up_po();
            let checked = s.status == StepState::Checked || fresh;
            line_action(j, step, checked, *item, *quantity, (*price, *original_price))
        }
        StepKind::Twin { of } => twin_action(j, step, intent, *of),
        StepKind::ItemTwins { items } => item_twins_action(j, step, intent, items),
        StepKind::MatrixTwins { matrices } => {
            if matrices.iter().any(|&m| j.done_id(m).is_none()) {
                return failed("matrix twin check before its matrices");
            }
            Action::FindMatrixTwins { step, matrices: matrices.clone(), descriptions: matrix_twin_lookup(j, matrices) }
        }
        StepKind::DedupeLines => match (j.po_id(), intent) {
            (None, _) => failed("line pass before the PO"),
            (Some(po), false) => Action::CheckLines { step, po },
            (Some(_), true) => Action::DeleteLines {
                step,
                ids: j
                    .converged
                    .iter()
                    .filter(|c| c.record == RecordKind::Line && !c.settled)
                    .map(|c| c.ours)
                    .collect(),
            },
        },
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

/// A line is looked up first (pending, or intent recorded) and created once the lookup found
/// nothing (`checked`).
fn line_action(
    j: &Journal,
    step: usize,
    checked: bool,
    item: ItemRef,
    quantity: u64,
    prices: (Money, Money),
) -> Action {
    let (Some(po), Some(item)): (Option<OrderId>, _) = (j.po_id(), j.item_id(item)) else {
        return failed("line before its PO or item");
    };
    if checked {
        Action::CreateLine { step, write: line_write(po, item, quantity, prices.0, prices.1) }
    } else {
        Action::FindLine { step, po, item, quantity }
    }
}

/// Pending: look for twins. Intent recorded: archive the record given up (the last unsettled
/// one of step `of`).
fn twin_action(j: &Journal, step: usize, intent: bool, of: usize) -> Action {
    if j.done_id(of).is_none() {
        return failed("twin check before its record");
    }
    if !intent {
        return Action::FindTwins { step, of };
    }
    match j.converged.iter().rev().find(|c| c.step == of && !c.settled) {
        Some(c) => Action::Archive { step, record: c.record, id: c.ours },
        None => failed("archive without a record given up"),
    }
}

/// Pending: look for the items' twins in one request. Intent recorded: archive the items given
/// up (those of these steps not yet settled).
fn item_twins_action(j: &Journal, step: usize, intent: bool, items: &[usize]) -> Action {
    if items.iter().any(|&i| j.done_id(i).is_none()) {
        return failed("item twin check before its items");
    }
    if !intent {
        return Action::FindItemTwins { step, items: items.to_vec(), lookup: item_twin_lookup(j, items) };
    }
    let ids = j
        .converged
        .iter()
        .filter(|c| c.record == RecordKind::Item && !c.settled && items.contains(&c.step))
        .map(|c| c.ours)
        .collect();
    Action::ArchiveItems { step, ids }
}
