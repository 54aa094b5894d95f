//! Building an export job: a ready [`Plan`] and its order become a [`Journal`] whose steps are,
//! in order: check-exists, vendor, each new matrix, their twin checks, each new item, their twin
//! checks, the PO header, each line, the final line pass, the Ordered mark, save links.
//!
//! - Every step that creates the vendor or the PO is followed by a twin step
//!   ([`StepKind::Twin`]): a second export of the same order (another browser, another
//!   command-line run) may have made the same record, and the lower id survives (docs/convergence.md).
//!   The new matrices are checked together after the last of them ([`StepKind::MatrixTwins`], one
//!   step and one request per batch of [`MATRIX_TWIN_BATCH`]), before any item joins one; the new
//!   items likewise ([`StepKind::ItemTwins`], per [`ITEM_TWIN_BATCH`]), before the PO and its
//!   lines use them.
//! - The vendor step is already `Done` when the vendor exists (and has no twin step).
//! - One matrix step per product that has at least one item to create.
//! - One item step per item to create; rows that would create an item with the same code (the
//!   same UPC on two NuORDER products) share one item step, so a code is never created twice.
//! - Lines come from [`po_lines`]: rows resolving to the same item and prices merge into one line.

use super::codes::CodeKey;
use super::journal::{
    ItemRef, JobKey, Journal, Outcome, RowItem, Step, StepKind, StepState, ITEM_TWIN_BATCH, JOURNAL_VERSION,
    MATRIX_TWIN_BATCH,
};
use super::plan::{Plan, Resolved, RowKey, VendorPlan};
use super::po::{po_lines, PoHeaderDraft};
use crate::lightspeed::{ItemMatrixId, ShopId};
use crate::nuorder::model::Order;
use std::collections::BTreeMap;

/// Why a job cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    #[error("{0} size rows still need a choice before the export can start.")]
    NeedsChoice(usize),
    #[error("The plan is for order {plan}, not {order}.")]
    WrongOrder { plan: String, order: String },
    #[error("Size row {0} is in the order but not in the plan.")]
    RowNotPlanned(RowKey),
}

/// Builds the journal of a ready plan. `today` (`YYYY-MM-DD`) is the ordered date when the order
/// has no `created_on`.
pub fn build_journal(
    plan: &Plan,
    order: &Order,
    account_id: &str,
    shop: ShopId,
    today: &str,
) -> Result<Journal, JobError> {
    build_journal_with(plan, order, account_id, shop, today, &BTreeMap::new())
}

/// [`build_journal`] for an order of a job set ([`crate::export::batch`]): `matrices` maps a
/// product `_id` to the matrix an earlier order of the set already made for it. That product's
/// matrix step is then `Done` from the start with that id (like an existing vendor's step), so
/// its new items join it, and it has no twin check (the order that made it checked it).
pub fn build_journal_with(
    plan: &Plan,
    order: &Order,
    account_id: &str,
    shop: ShopId,
    today: &str,
    matrices: &BTreeMap<String, ItemMatrixId>,
) -> Result<Journal, JobError> {
    if plan.order_id != order.id {
        return Err(JobError::WrongOrder { plan: plan.order_id.clone(), order: order.id.clone() });
    }
    if !plan.is_ready() {
        return Err(JobError::NeedsChoice(plan.counts.needs_choice));
    }
    let header = PoHeaderDraft::new(order, today);
    let mut steps = opening_steps(plan, &header);
    let first_matrix = steps.len();
    let matrix_step = push_matrices(plan, matrices, &mut steps);
    push_batched_twins(first_matrix, MATRIX_TWIN_BATCH, &mut steps, |matrices| StepKind::MatrixTwins { matrices });
    let first_item = steps.len();
    let row_items = push_items(plan, &matrix_step, &mut steps)?;
    push_batched_twins(first_item, ITEM_TWIN_BATCH, &mut steps, |items| StepKind::ItemTwins { items });
    steps.push(pending(StepKind::PoHeader { draft: header.clone() }));
    push_twin(&mut steps);
    push_lines(order, &row_items, &mut steps)?;
    steps.push(pending(StepKind::DedupeLines));
    steps.push(pending(StepKind::MarkOrdered { ordered_date: header.ordered_date.clone() }));
    steps.push(pending(StepKind::SaveLinks));
    Ok(Journal {
        version: JOURNAL_VERSION,
        key: JobKey { account_id: account_id.to_string(), order_id: order.id.clone() },
        order_number: order.order_number.clone(),
        brand: plan.brand.clone(),
        shop_id: shop,
        steps,
        rows: row_items,
        outcome: Outcome::Running,
        converged: Vec::new(),
    })
}

fn pending(kind: StepKind) -> Step {
    Step { kind, status: StepState::Pending }
}

/// The twin step of the step just pushed.
fn push_twin(steps: &mut Vec<Step>) {
    let of = steps.len() - 1;
    steps.push(pending(StepKind::Twin { of }));
}

/// Check-exists, then the vendor (already done when it exists).
fn opening_steps(plan: &Plan, header: &PoHeaderDraft) -> Vec<Step> {
    let check =
        StepKind::CheckExists { ref_num: header.ref_num.clone(), b2b_order_number: header.b2b_order_number.clone() };
    let vendor = Step {
        kind: StepKind::Vendor { name: plan.brand.clone() },
        status: match &plan.vendor {
            VendorPlan::Existing { id, .. } => StepState::Done { id: Some(id.0) },
            VendorPlan::New { .. } => StepState::Pending,
        },
    };
    let mut steps = vec![pending(check), vendor];
    if steps[1].status == StepState::Pending {
        push_twin(&mut steps);
    }
    steps
}

/// One matrix step per product with items to create, in plan order: product id → its step
/// (`Done` already when `made` has the product's matrix).
fn push_matrices<'p>(
    plan: &'p Plan,
    made: &BTreeMap<String, ItemMatrixId>,
    steps: &mut Vec<Step>,
) -> BTreeMap<&'p str, usize> {
    let mut matrix_step = BTreeMap::new();
    for p in &plan.products {
        let creates =
            plan.rows.iter().any(|r| r.key.product_id == p.product_id && r.status.resolved() == Resolved::Create);
        if creates {
            matrix_step.insert(p.product_id.as_str(), steps.len());
            let kind = StepKind::Matrix { product_id: p.product_id.clone(), draft: p.matrix.clone() };
            steps.push(match made.get(&p.product_id) {
                Some(id) => Step { kind, status: StepState::Done { id: Some(id.0) } },
                None => pending(kind),
            });
        }
    }
    matrix_step
}

/// Item steps, one per code (or per row without code); every row's item reference.
fn push_items(
    plan: &Plan,
    matrix_step: &BTreeMap<&str, usize>,
    steps: &mut Vec<Step>,
) -> Result<Vec<RowItem>, JobError> {
    let mut by_code: BTreeMap<CodeKey, usize> = BTreeMap::new();
    let mut row_items: Vec<RowItem> = Vec::new();
    for r in &plan.rows {
        let item = match r.status.resolved() {
            Resolved::Existing(item_id) => ItemRef::Existing { item_id },
            Resolved::Unresolved => return Err(JobError::NeedsChoice(plan.counts.needs_choice)),
            Resolved::Create => {
                let draft = r.draft.clone().expect("plan rows to create always carry a draft");
                let shared = draft.code.as_ref().and_then(|c| by_code.get(&c.key()).copied());
                let step = match shared {
                    Some(step) => {
                        if let StepKind::Item { rows, .. } = &mut steps[step].kind {
                            rows.push(r.key.clone());
                        }
                        step
                    }
                    None => {
                        if let Some(c) = &draft.code {
                            by_code.insert(c.key(), steps.len());
                        }
                        let matrix = matrix_step.get(r.key.product_id.as_str()).copied();
                        steps.push(pending(StepKind::Item { rows: vec![r.key.clone()], matrix, draft }));
                        steps.len() - 1
                    }
                };
                ItemRef::Step { step }
            }
        };
        row_items.push(RowItem { row: r.key.clone(), item });
    }
    Ok(row_items)
}

/// After the matrix or item steps (from `first`), their twin checks: one step per batch of
/// `batch` of those still to create (a step done from the start was checked by who made it).
fn push_batched_twins(first: usize, batch: usize, steps: &mut Vec<Step>, twins: impl Fn(Vec<usize>) -> StepKind) {
    let of: Vec<usize> = (first..steps.len()).filter(|&i| steps[i].status == StepState::Pending).collect();
    for chunk in of.chunks(batch) {
        steps.push(pending(twins(chunk.to_vec())));
    }
}

/// Line steps from [`po_lines`].
fn push_lines(order: &Order, row_items: &[RowItem], steps: &mut Vec<Step>) -> Result<(), JobError> {
    let lines = po_lines(order, |key| row_items.iter().find(|ri| &ri.row == key).map(|ri| ri.item))
        .map_err(|e| JobError::RowNotPlanned(e.0))?;
    for l in lines {
        steps.push(pending(StepKind::Line {
            item: l.item,
            quantity: l.quantity,
            price: l.price,
            original_price: l.original_price,
            rows: l.rows,
        }));
    }
    Ok(())
}
