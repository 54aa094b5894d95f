//! What a set's orders share at write time: the records an earlier order of the set already made
//! ([`Made`]: its vendor, matrices and new items), which a later order's plan reuses instead of
//! creating them again; and which later orders' new records an order creates with its own
//! ([`shares_records`]).

use crate::export::codes::CodeKey;
use crate::export::journal::{Journal, StepKind};
use crate::export::plan::{Plan, Resolved, RowKey, RowStatus, VendorPlan, VendorVia};
use crate::lightspeed::{ItemId, ItemMatrixId, VendorId};
use std::collections::BTreeMap;

/// The records the set's other orders made, as far as their journals know them (an order's own,
/// and those it made for the later orders of its vendor).
///
/// Only a journal that has reached its PO header counts: by then its vendor, matrices and items
/// exist and have passed their twin checks (every twin check comes before the PO). An order that
/// stopped earlier leaves its records to be made by the next order that needs them (whose own
/// twin checks then converge on any the stopped order did make).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Made {
    /// Brand (trimmed) → vendor.
    vendors: BTreeMap<String, VendorId>,
    /// Size row → the item an order created for it.
    rows: BTreeMap<RowKey, ItemId>,
    /// Code → the item an order created with it (the same UPC on two NuORDER products).
    codes: BTreeMap<CodeKey, ItemId>,
    /// Product `_id` → the matrix an order created for it.
    matrices: BTreeMap<String, ItemMatrixId>,
}

impl Made {
    /// Adds what `j` made (nothing when it has not reached its PO header). The first journal to
    /// name a record wins.
    pub fn add(&mut self, j: &Journal) {
        let po_step = j.steps.iter().position(|s| matches!(s.kind, StepKind::PoHeader { .. }));
        let reached = match (po_step, j.current()) {
            (Some(po), Some(current)) => current >= po,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if !reached {
            return;
        }
        if let Some(v) = j.vendor_id() {
            self.vendors.entry(j.brand.trim().to_string()).or_insert(v);
        }
        for (i, step) in j.steps.iter().enumerate() {
            let Some(id) = j.done_id(i) else { continue };
            match &step.kind {
                StepKind::Matrix { product_id, .. } => {
                    self.matrices.entry(product_id.clone()).or_insert(ItemMatrixId(id));
                }
                StepKind::Item { rows, draft, .. } => {
                    for r in rows {
                        self.rows.entry(r.clone()).or_insert(ItemId(id));
                    }
                    if let Some(c) = &draft.code {
                        self.codes.entry(c.key()).or_insert(ItemId(id));
                    }
                }
                _ => {}
            }
        }
    }

    /// The matrices made, for [`build_journal_with`](crate::export::job::build_journal_with).
    pub fn matrices(&self) -> &BTreeMap<String, ItemMatrixId> {
        &self.matrices
    }

    /// Rewrites a later order's plan to reuse what was made: a new vendor of a brand already made
    /// becomes that vendor; a row that would create an item already made (same size row, else
    /// same code) uses that item (*Confirmed*, as a saved link would). Rows matched to existing
    /// items and user choices of an existing item are left alone.
    pub fn reuse(&self, plan: &mut Plan) {
        if let VendorPlan::New { name } = &plan.vendor {
            if let Some(id) = self.vendors.get(name.trim()) {
                plan.vendor = VendorPlan::Existing { id: *id, name: name.clone(), via: VendorVia::Link };
            }
        }
        for row in &mut plan.rows {
            if row.status.resolved() != Resolved::Create {
                continue;
            }
            let by_code = || row.code.as_ref().and_then(|c| self.codes.get(&c.key()));
            if let Some(id) = self.rows.get(&row.key).or_else(by_code) {
                row.status = RowStatus::Confirmed { item_id: *id };
            }
        }
        plan.recount();
    }
}

/// Whether an order whose plan is `first` may create the new records of the later order `later`
/// (both after [`Made::reuse`]): `later` is ready, still creates something, and writes to the
/// same vendor — the same existing one, or the same new one (by name), which `first` creates.
pub(super) fn shares_records(first: &Plan, later: &Plan) -> bool {
    let same_vendor = match (&first.vendor, &later.vendor) {
        (VendorPlan::Existing { id: a, .. }, VendorPlan::Existing { id: b, .. }) => a == b,
        (VendorPlan::New { name: a }, VendorPlan::New { name: b }) => a.trim() == b.trim(),
        _ => false,
    };
    same_vendor && later.is_ready() && later.rows.iter().any(|r| r.status.resolved() == Resolved::Create)
}
