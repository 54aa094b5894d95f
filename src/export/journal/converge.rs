//! Convergence pickers (issue 16): which record survives when a second export of the same order
//! (another browser, another command-line run, each with its own journal) made the same record,
//! and which of this job's lines are duplicates. Pure; the runner fetches, these decide.
//!
//! The rule is the same for every kind: among the live records with our record's key, the
//! **lowest id** survives. Ids grow with creation, so a record's owner, looking after its create,
//! always sees every older twin; the lowest is never given up by anyone, and every other one is
//! given up by the job that made it. Records other steps of this job hold are never twins (two
//! products with one matrix description stay two matrices).
//!
//! Keys — what the export itself writes:
//! - vendor: its name;
//! - matrix (all of a job's new matrices in one lookup, [`twin_matrices`]): its description
//!   ("product color") and attribute set;
//! - item (all of a job's new items in one lookup, [`twin_items`]): the code in the field the export writes it (`upc` or `ean`, compared as a code), else
//!   nothing but the next two; always the manufacturer SKU (the style number) and the
//!   color/size attributes, so a POS item that merely shares the code is not a twin;
//! - PO: its `refNum` (`NuORDER <n>`);
//! - line (final pass): the item and the unit price on the one PO.

use super::action::ItemTwinLookup;
use super::pickers::claimed_lines;
use super::state::{Journal, RecordKind, StepKind, StepState};
use crate::core::sorted;
use crate::core::text::folded;
use crate::export::codes::Code;
use crate::export::plan::{ItemDraft, KnownItem, KnownVendor};
use crate::lightspeed::{ItemMatrix, Order, OrderLine};
use std::collections::BTreeSet;

/// Ids other steps of this job hold for records of the kind step `of` makes.
fn claimed(j: &Journal, of: usize) -> BTreeSet<u64> {
    let kind = j.steps.get(of).and_then(|s| RecordKind::of(&s.kind));
    let same_kind =
        (0..j.steps.len()).filter(|&i| i != of && kind.is_some() && RecordKind::of(&j.steps[i].kind) == kind);
    sorted::set(same_kind.filter_map(|i| j.done_id(i)))
}

/// The survivor: the lowest of our record and the (unclaimed) twins.
fn survivor(j: &Journal, of: usize, twins: impl Iterator<Item = u64>) -> Option<u64> {
    let ours = j.done_id(of)?;
    let claimed = claimed(j, of);
    twins.filter(|id| !claimed.contains(id)).chain([ours]).min()
}

fn same(a: &str, b: &str) -> bool {
    a.trim() == b.trim()
}

fn same_opt(a: &Option<String>, b: &Option<String>) -> bool {
    let norm = |s: &Option<String>| s.as_deref().map(folded).filter(|s| !s.is_empty());
    norm(a) == norm(b)
}

/// The twin step of step `of`'s vendor.
pub fn twin_vendor(j: &Journal, of: usize, vendors: &[KnownVendor]) -> Option<u64> {
    let StepKind::Vendor { name } = &j.steps.get(of)?.kind else { return None };
    survivor(j, of, vendors.iter().filter(|v| !v.archived && same(&v.name, name)).map(|v| v.id.0))
}

/// The twin step of step `of`'s matrix.
pub fn twin_matrix(j: &Journal, of: usize, matrices: &[ItemMatrix]) -> Option<u64> {
    let StepKind::Matrix { draft, .. } = &j.steps.get(of)?.kind else { return None };
    let twins = matrices
        .iter()
        .filter(|m| {
            !m.archived
                && same(&m.description, &draft.description)
                && m.item_attribute_set_id.is_none_or(|s| s == draft.attribute_set)
        })
        .map(|m| m.item_matrix_id.0);
    survivor(j, of, twins)
}

/// The descriptions that find every twin of matrix steps `matrices` in one request
/// (`description=IN,[…]`; every twin shares its description).
pub fn matrix_twin_lookup(j: &Journal, matrices: &[usize]) -> Vec<String> {
    let descriptions = sorted::set(matrices.iter().filter_map(|&m| match &j.steps.get(m)?.kind {
        StepKind::Matrix { draft, .. } => Some(draft.description.clone()),
        _ => None,
    }));
    descriptions.into_iter().collect()
}

/// The batched twin step of matrix steps `matrices`, from what [`matrix_twin_lookup`] found:
/// each matrix step whose matrix has an older live twin → that twin (the lowest). Decided matrix
/// by matrix, in step order, as if each had been checked right after its create: a matrix an
/// earlier step took is held by that step and no twin of a later one, and a matrix given up
/// earlier stays live (it is left empty, not archived), so a later step may take it.
pub fn twin_matrices(j: &Journal, matrices: &[usize], found: &[ItemMatrix]) -> Vec<(usize, u64)> {
    let mut work = j.clone();
    let mut out = Vec::new();
    for &of in matrices {
        let Some(ours) = work.done_id(of) else { continue };
        match twin_matrix(&work, of, found) {
            Some(survivor) if survivor != ours => {
                work.steps[of].status = StepState::Done { id: Some(survivor) };
                out.push((of, survivor));
            }
            _ => {}
        }
    }
    out
}

/// The twin step of step `of`'s item.
pub fn twin_item(j: &Journal, of: usize, items: &[KnownItem]) -> Option<u64> {
    item_survivor(j, of, items.iter())
}

fn item_survivor<'a>(j: &Journal, of: usize, items: impl Iterator<Item = &'a KnownItem>) -> Option<u64> {
    let StepKind::Item { draft, .. } = &j.steps.get(of)?.kind else { return None };
    let key = draft.code.as_ref().map(Code::key);
    let twins = items
        .filter(|i| {
            !i.archived
                && key.as_ref().is_none_or(|k| i.code_keys().any(|ik| &ik == k))
                && i.manufacturer_sku.as_deref().is_some_and(|s| same(s, &draft.manufacturer_sku))
                && same_opt(&i.attributes[0], &draft.attribute1)
                && same_opt(&i.attributes[1], &draft.attribute2)
        })
        .map(|i| i.id.0);
    survivor(j, of, twins)
}

/// The request that finds every twin of item steps `items` ([`ItemTwinLookup`]): their codes as
/// written when each has one, else their style numbers (every twin shares both).
pub fn item_twin_lookup(j: &Journal, items: &[usize]) -> ItemTwinLookup {
    let drafts: Vec<&ItemDraft> = items
        .iter()
        .filter_map(|&i| match &j.steps.get(i)?.kind {
            StepKind::Item { draft, .. } => Some(draft),
            _ => None,
        })
        .collect();
    let codes: Option<Vec<String>> = drafts.iter().map(|d| d.code.as_ref().map(Code::write_value)).collect();
    match codes.map(sorted::set) {
        Some(codes) if !codes.is_empty() => ItemTwinLookup::Codes(codes.into_iter().collect()),
        _ => {
            let styles = sorted::set(drafts.iter().map(|d| d.manufacturer_sku.clone()));
            ItemTwinLookup::Styles(styles.into_iter().collect())
        }
    }
}

/// The batched twin step of item steps `items`, from what [`item_twin_lookup`] found: each item
/// step whose item has an older live twin → that twin (the lowest). Decided item by item, in
/// step order, as if each had been checked right after its create: an item given up earlier in
/// the batch is no longer live, and the twin it took is held by its step.
pub fn twin_items(j: &Journal, items: &[usize], found: &[KnownItem]) -> Vec<(usize, u64)> {
    let mut work = j.clone();
    let mut given_up: BTreeSet<u64> = BTreeSet::new();
    let mut out = Vec::new();
    for &of in items {
        let Some(ours) = work.done_id(of) else { continue };
        let live = found.iter().filter(|i| !given_up.contains(&i.id.0));
        match item_survivor(&work, of, live) {
            Some(survivor) if survivor != ours => {
                work.steps[of].status = StepState::Done { id: Some(survivor) };
                given_up.insert(ours);
                out.push((of, survivor));
            }
            _ => {}
        }
    }
    out
}

/// The twin step of step `of`'s PO.
pub fn twin_po(j: &Journal, of: usize, orders: &[Order]) -> Option<u64> {
    let StepKind::PoHeader { draft } = &j.steps.get(of)?.kind else { return None };
    let twins = orders
        .iter()
        .filter(|o| !o.archived && o.ref_num.as_deref().is_some_and(|r| same(r, &draft.ref_num)))
        .map(|o| o.order_id.0);
    survivor(j, of, twins)
}

/// The final pass: each done line step whose line has an older twin on the PO (same item and
/// price, a lower id that no step of ours holds) → (that step, the older line). Only lines this
/// job holds are ever given up, so two jobs running the pass at once keep the oldest line.
pub fn duplicate_lines(j: &Journal, lines: &[OrderLine]) -> Vec<(usize, u64)> {
    let claimed = claimed_lines(j);
    let mut keep = Vec::new();
    for (i, s) in j.steps.iter().enumerate() {
        let StepKind::Line { item, price, .. } = &s.kind else { continue };
        let (Some(ours), Some(item)) = (j.done_id(i), j.item_id(*item)) else { continue };
        let older = lines
            .iter()
            .filter(|l| l.item_id == Some(item) && l.price == *price)
            .map(|l| l.order_line_id.0)
            .filter(|id| *id < ours && !claimed.contains(id))
            .min();
        if let Some(older) = older {
            keep.push((i, older));
        }
    }
    keep
}
