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
//! - One matrix step per product that has at least one item to create; `Done` from the start
//!   when the product's new items join the live matrix its matched items are in.
//! - One item step per item to create; rows that would create an item with the same code (the
//!   same UPC on two NuORDER products) share one item step, so a code is never created twice.
//! - Lines come from [`po_lines`]: rows resolving to the same item and prices merge into one line.
//! - In a job set ([`build_journal_with`], [`SetShare`]), the journal may also create the new
//!   matrices and items of the set's later orders with the same vendor: extra matrix and item
//!   steps (before the twin checks, which then cover them too) that no line of this PO uses.

use super::codes::CodeKey;
use super::journal::{
    ItemRef, JobKey, Journal, Outcome, RowItem, Step, StepKind, StepState, ITEM_TWIN_BATCH, JOURNAL_VERSION,
    MATRIX_TWIN_BATCH,
};
use super::plan::{ItemDraft, Plan, Resolved, RowKey, VendorPlan};
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
    build_journal_with(plan, order, account_id, shop, today, &SetShare::default())
}

/// What the journal of an order of a job set ([`crate::export::batch`]) shares with the set's
/// other orders. The default shares nothing (a single export).
#[derive(Debug, Clone, Copy, Default)]
pub struct SetShare<'a> {
    /// Product `_id` → the matrix an earlier order of the set already made for it. That product's
    /// matrix step is `Done` from the start with that id (like an existing vendor's step), so its
    /// new items join it, and it has no twin check (the order that made it checked it).
    pub matrices: Option<&'a BTreeMap<String, ItemMatrixId>>,
    /// Later orders of the set with this order's vendor: their rows to create (and the matrices
    /// of those rows' products) become extra steps of this journal, each record once (by size row,
    /// else by code, as within one order), created and twin-checked with this order's own before
    /// its PO. Their rows are not this order's: no line and no [`Journal::rows`] entry.
    pub ahead: &'a [Plan],
    /// The existing-PO check of this order was already asked (together with the `ahead` orders',
    /// just before this journal is built) and found nothing: the check step is `Done` from the
    /// start. Only the job set sets it.
    pub checked: bool,
}

/// [`build_journal`] for an order of a job set: see [`SetShare`].
pub fn build_journal_with(
    plan: &Plan,
    order: &Order,
    account_id: &str,
    shop: ShopId,
    today: &str,
    share: &SetShare<'_>,
) -> Result<Journal, JobError> {
    if plan.order_id != order.id {
        return Err(JobError::WrongOrder { plan: plan.order_id.clone(), order: order.id.clone() });
    }
    if !plan.is_ready() {
        return Err(JobError::NeedsChoice(plan.counts.needs_choice));
    }
    let header = PoHeaderDraft::new(order, today);
    let mut steps = opening_steps(plan, &header, share.checked);
    let plans: Vec<&Plan> = std::iter::once(plan).chain(share.ahead).collect();
    let first_matrix = steps.len();
    let none = BTreeMap::new();
    let matrix_step = push_matrices(&plans, share.matrices.unwrap_or(&none), &mut steps);
    push_batched_twins(first_matrix, MATRIX_TWIN_BATCH, &mut steps, |matrices| StepKind::MatrixTwins { matrices });
    let first_item = steps.len();
    let mut items = ItemSteps { matrix_step: &matrix_step, by_code: BTreeMap::new(), by_row: BTreeMap::new() };
    let row_items = items.push_own(plan, &mut steps)?;
    for ahead in share.ahead {
        items.push_ahead(ahead, &mut steps);
    }
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

/// Check-exists (done already when the job set asked it: `checked`), then the vendor (already
/// done when it exists).
fn opening_steps(plan: &Plan, header: &PoHeaderDraft, checked: bool) -> Vec<Step> {
    let check =
        StepKind::CheckExists { ref_num: header.ref_num.clone(), b2b_order_number: header.b2b_order_number.clone() };
    let check = match checked {
        true => Step { kind: check, status: StepState::Done { id: None } },
        false => pending(check),
    };
    let vendor = Step {
        kind: StepKind::Vendor { name: plan.brand.clone() },
        status: match &plan.vendor {
            VendorPlan::Existing { id, .. } => StepState::Done { id: Some(id.0) },
            VendorPlan::New { .. } => StepState::Pending,
        },
    };
    let mut steps = vec![check, vendor];
    if steps[1].status == StepState::Pending {
        push_twin(&mut steps);
    }
    steps
}

/// One matrix step per product with items to create (in `plans`, this order's first), in plan
/// order, each product once: product id → its step (`Done` already when `made` has the
/// product's matrix, or when its new items join a live matrix: [`crate::export::plan::ProductPlan::joins`]).
fn push_matrices<'p>(
    plans: &[&'p Plan],
    made: &BTreeMap<String, ItemMatrixId>,
    steps: &mut Vec<Step>,
) -> BTreeMap<&'p str, usize> {
    let mut matrix_step = BTreeMap::new();
    for plan in plans {
        for p in &plan.products {
            let creates =
                plan.rows.iter().any(|r| r.key.product_id == p.product_id && r.status.resolved() == Resolved::Create);
            if creates && !matrix_step.contains_key(p.product_id.as_str()) {
                matrix_step.insert(p.product_id.as_str(), steps.len());
                let kind = StepKind::Matrix { product_id: p.product_id.clone(), draft: p.matrix.clone() };
                steps.push(match made.get(&p.product_id).or(p.joins.as_ref()) {
                    Some(id) => Step { kind, status: StepState::Done { id: Some(id.0) } },
                    None => pending(kind),
                });
            }
        }
    }
    matrix_step
}

/// The item steps being built: one per code (or per size row without code), each size row once.
struct ItemSteps<'m> {
    matrix_step: &'m BTreeMap<&'m str, usize>,
    by_code: BTreeMap<CodeKey, usize>,
    by_row: BTreeMap<RowKey, usize>,
}

impl ItemSteps<'_> {
    /// The item step that creates `row`'s item: a step of the same size row, else of the same
    /// code (which then takes the row too: the same UPC on two NuORDER products is one item),
    /// else a new one.
    fn step_for(&mut self, row: &RowKey, draft: &ItemDraft, steps: &mut Vec<Step>) -> usize {
        if let Some(&step) = self.by_row.get(row) {
            return step;
        }
        let shared = draft.code.as_ref().and_then(|c| self.by_code.get(&c.key()).copied());
        let step = match shared {
            Some(step) => {
                if let StepKind::Item { rows, .. } = &mut steps[step].kind {
                    rows.push(row.clone());
                }
                step
            }
            None => {
                if let Some(c) = &draft.code {
                    self.by_code.insert(c.key(), steps.len());
                }
                let matrix = self.matrix_step.get(row.product_id.as_str()).copied();
                let kind = StepKind::Item { rows: vec![row.clone()], matrix, draft: draft.clone() };
                steps.push(pending(kind));
                steps.len() - 1
            }
        };
        self.by_row.insert(row.clone(), step);
        step
    }

    /// This order's item steps; every row's item reference.
    fn push_own(&mut self, plan: &Plan, steps: &mut Vec<Step>) -> Result<Vec<RowItem>, JobError> {
        let mut row_items: Vec<RowItem> = Vec::new();
        for r in &plan.rows {
            let item = match r.status.resolved() {
                Resolved::Existing(item_id) => ItemRef::Existing { item_id },
                Resolved::Unresolved => return Err(JobError::NeedsChoice(plan.counts.needs_choice)),
                Resolved::Create => {
                    let draft = r.draft.as_ref().expect("plan rows to create always carry a draft");
                    ItemRef::Step { step: self.step_for(&r.key, draft, steps) }
                }
            };
            row_items.push(RowItem { row: r.key.clone(), item });
        }
        Ok(row_items)
    }

    /// The item steps of a later order's rows to create (rows of this order, or of an earlier
    /// later order, already have theirs).
    fn push_ahead(&mut self, plan: &Plan, steps: &mut Vec<Step>) {
        for r in plan.rows.iter().filter(|r| r.status.resolved() == Resolved::Create) {
            if let Some(draft) = &r.draft {
                self.step_for(&r.key, draft, steps);
            }
        }
    }
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
