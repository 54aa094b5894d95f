//! Planning an update (pure): the order now (as the export would plan it), what PO Bridge wrote,
//! and the PO as Lightspeed shows it now become an [`UpdatePlan`].

use super::compare::is_cancelled;
use super::dates::ShopDates;
use super::diff::{diff_header, diff_lines, Desired};
use super::types::{ChangeCounts, HeaderChanges, LineChange, Lock, PlanState, UpdatePlan};
use super::written::{Record, Written};
use crate::core::sorted;
use crate::export::job::{build_journal, JobError};
use crate::export::journal::{Journal, StepKind, StepState};
use crate::export::plan::{Plan, PlanRow, Resolved};
use crate::export::po::PoHeaderDraft;
use crate::lightspeed::{ItemId, Order as LsOrder, OrderLine, ShopId};
use crate::nuorder::model::Order;
use std::collections::BTreeSet;

/// What an update is planned from.
#[derive(Debug, Clone, Copy)]
pub struct UpdateInputs<'a> {
    /// The order as NuORDER shows it now.
    pub order: &'a Order,
    /// The export's plan of the order now (its matching; the user's choices recorded in it);
    /// `None` only for an order with no line left (there is nothing to plan).
    pub plan: Option<&'a Plan>,
    /// What PO Bridge wrote to the PO.
    pub written: &'a Written,
    /// The PO and its lines as Lightspeed shows them now.
    pub po: &'a LsOrder,
    pub po_lines: &'a [OrderLine],
    pub account_id: &'a str,
    /// How the PO's dates read (its shop's `timeZone`).
    pub dates: ShopDates<'a>,
    /// The user chose to archive the PO of a cancelled order.
    pub archive_cancelled: bool,
}

/// The items the plan resolves the order's rows to (for matching a PO's lines by item when there
/// is no record of the export).
pub fn order_items(plan: &Plan) -> BTreeSet<ItemId> {
    sorted::set(plan.rows.iter().filter_map(|r| match r.status.resolved() {
        Resolved::Existing(id) => Some(id),
        _ => None,
    }))
}

/// Why the PO is not changed at all, if it is not.
pub fn lock_of(po: &LsOrder) -> Option<Lock> {
    if po.archived {
        Some(Lock::Archived)
    } else if po.received_date.as_deref().is_some_and(|d| !d.trim().is_empty()) {
        Some(Lock::Received)
    } else if po.complete {
        Some(Lock::Complete)
    } else {
        None
    }
}

/// Plans the update (see the module's note). Fails only when the plan is not the order's.
pub fn plan_update(i: UpdateInputs<'_>) -> Result<UpdatePlan, JobError> {
    let mut plan = empty_plan(&i);
    let Some(export_plan) = i.plan.filter(|_| !is_cancelled(i.order)) else {
        let lock = lock_of(i.po);
        let archive = i.archive_cancelled && lock.is_none();
        plan.state = PlanState::Cancelled { archive, lock };
        plan.notes.push(cancelled_note(i.po, archive));
        return Ok(plan);
    };
    if let Some(lock) = lock_of(i.po) {
        plan.state = PlanState::Locked { lock };
        plan.notes.push(locked_note(lock));
        return Ok(plan);
    }
    if !export_plan.is_ready() {
        plan.state = PlanState::NeedsChoice { rows: export_plan.counts.needs_choice };
        plan.added_rows =
            export_plan.rows.iter().filter(|r| r.status.resolved() == Resolved::Unresolved).cloned().collect();
        return Ok(plan);
    }
    let shop = i.po.shop_id.unwrap_or(ShopId(0));
    let job = build_journal(export_plan, i.order, i.account_id, shop, "2000-01-01")?;
    let desired = desired_lines(&job);
    let lines = diff_lines(&desired, &i.written.lines, i.po_lines);
    let (header, header_conflicts, after_header) =
        diff_header(&PoHeaderDraft::new(i.order, "2000-01-01"), &i.written.header, i.po, i.dates);
    plan.conflicts = lines.conflicts;
    plan.conflicts.extend(header_conflicts);
    plan.after.lines = lines.after;
    plan.after.header = after_header;
    plan.counts = ChangeCounts::of(&lines.changes, &header);
    plan.header = header;
    let added: Vec<usize> = lines
        .changes
        .iter()
        .filter_map(|c| match c {
            LineChange::Added { step, .. } => Some(*step),
            _ => None,
        })
        .collect();
    plan.added_rows = added_rows(export_plan, &job, &added);
    plan.lines = lines.changes;
    if !added.is_empty() {
        let (job, moved) = lines_job(job, &added, i.po);
        for c in &mut plan.lines {
            if let LineChange::Added { step, .. } = c {
                *step = moved.iter().find(|m| m.0 == *step).map_or(*step, |m| m.1);
            }
        }
        plan.lines_job = Some(job);
    }
    plan.state = if plan.counts.is_empty() { PlanState::Unchanged } else { PlanState::Changes };
    Ok(plan)
}

fn empty_plan(i: &UpdateInputs<'_>) -> UpdatePlan {
    let merchant_lines = i
        .po_lines
        .iter()
        .filter(|l| !i.written.lines.iter().any(|w| w.line_id == l.order_line_id))
        .map(|l| l.order_line_id)
        .collect();
    let mut notes = Vec::new();
    if i.written.record == Record::ByItem {
        notes.push("PO Bridge has no record of writing this purchase order here (another browser, a lost state file, or NuORDER's own integration), so its lines were matched by item: a line whose item is in the order is the order's, every other line is left as yours.".to_string());
    }
    UpdatePlan {
        order_id: i.order.id.clone(),
        order_number: i.order.order_number.clone(),
        po_id: i.po.order_id,
        record: i.written.record,
        state: PlanState::Unchanged,
        lines: Vec::new(),
        header: HeaderChanges::default(),
        conflicts: Vec::new(),
        counts: ChangeCounts::default(),
        merchant_lines,
        added_rows: Vec::new(),
        notes,
        before: i.written.clone(),
        after: i.written.clone(),
        lines_job: None,
    }
}

fn cancelled_note(po: &LsOrder, archive: bool) -> String {
    let id = po.order_id;
    if archive {
        format!("The order is cancelled in NuORDER (or has no lines left); purchase order #{id} will be archived as you chose, and none of its lines are deleted.")
    } else if let Some(lock) = lock_of(po) {
        format!(
            "The order is cancelled in NuORDER (or has no lines left); purchase order #{id} is {} and stays as it is.",
            lock.word()
        )
    } else {
        format!("Cancelled in NuORDER · PO #{id} still open: nothing is deleted; choose to archive the purchase order if the brand will not ship it.")
    }
}

fn locked_note(lock: Lock) -> String {
    format!("The purchase order is {} in Lightspeed, so PO Bridge changes nothing on it; adjust it in Lightspeed if the brand's changes still matter.", lock.word())
}

/// The line steps of the export's job for the order now.
fn desired_lines(job: &Journal) -> Vec<Desired> {
    job.steps
        .iter()
        .enumerate()
        .filter_map(|(step, s)| match &s.kind {
            StepKind::Line { item, quantity, price, original_price, rows } => Some(Desired {
                step,
                item: *item,
                item_id: job.item_id(*item),
                quantity: *quantity,
                price: *price,
                original_price: *original_price,
                rows: rows.clone(),
            }),
            _ => None,
        })
        .collect()
}

/// The plan rows of the added line steps.
fn added_rows(plan: &Plan, job: &Journal, added: &[usize]) -> Vec<PlanRow> {
    let line_rows = added.iter().filter_map(|&s| match &job.steps[s].kind {
        StepKind::Line { rows, .. } => Some(rows.clone()),
        _ => None,
    });
    let rows = sorted::set(line_rows.flatten());
    plan.rows.iter().filter(|r| rows.contains(&r.key)).cloned().collect()
}

/// The export's job for the order, cut down to what the update adds: the vendor, new matrices
/// and items (with their twin checks), the added lines and the links. The existence check, the
/// PO and its twin check are done (the PO is this one); the final line pass and the Ordered mark
/// are left out (the PO has other lines, and is already Ordered). Steps before the lines keep
/// their indices, so the lines' item references stay valid.
fn lines_job(mut job: Journal, added: &[usize], po: &LsOrder) -> (Journal, Vec<(usize, usize)>) {
    let po_id = Some(po.order_id.0);
    let first_line = job.steps.iter().position(|s| matches!(s.kind, StepKind::Line { .. })).unwrap_or(job.steps.len());
    let mut kept: Vec<_> = job.steps.drain(first_line..).enumerate().collect();
    kept.retain(|(i, s)| added.contains(&(first_line + i)) || matches!(s.kind, StepKind::SaveLinks));
    let header = job.steps.iter().position(|s| matches!(s.kind, StepKind::PoHeader { .. }));
    for s in &mut job.steps {
        let done = match s.kind {
            StepKind::CheckExists { .. } => Some(None),
            StepKind::PoHeader { .. } => Some(po_id),
            StepKind::Twin { of } if Some(of) == header => Some(po_id),
            _ => None,
        };
        if let Some(id) = done {
            s.status = StepState::Done { id };
        }
    }
    let moved = kept.iter().enumerate().map(|(n, (i, _))| (first_line + i, first_line + n)).collect();
    job.steps.extend(kept.into_iter().map(|(_, s)| s));
    (job, moved)
}
