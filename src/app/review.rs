//! The review dialog's content (issue 18, item 2): the export dialog's sibling, shown when an
//! exported order changed since its PO was made. Built here from the update's plan, once, as the
//! sentences and rows the dialog renders: per line *added* / *removed* / *quantity a → b* /
//! *price a → b* (added sizes with their item match, as in an export), the header's changes, what
//! cannot be applied and why, and whether *Update PO* writes anything.

use super::made_from::PoSource;
use super::plan_view::RowView;
use crate::core::rows::RowKey;
use crate::core::status::JobStatus;
use crate::export::plan::keyed_size_rows;
use crate::lightspeed::ItemId;
use crate::nuorder::model::{Money, Order};
use crate::protocol::{ErrorCode, NextStep, OrderStatusView, ProtocolError};
use crate::update::{Change, LineChange, PlanState, UpdateJournal, UpdateOutcome, UpdatePlan, Written};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the review shows for its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// Changes to write: *Update PO* applies them.
    Changes,
    /// The PO already matches the order.
    Unchanged,
    /// The PO is checked in, complete or archived: nothing is changed.
    Locked,
    /// Cancelled in NuORDER (or no line left): the PO stays open unless the user archives it.
    Cancelled,
    /// Added sizes need the user's choice first.
    NeedsChoice,
    /// An earlier update stopped part-way: *Update PO* finishes it.
    Interrupted,
}

/// One change of one PO line, as the review lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewLine {
    /// `added`, `removed`, `quantity` or `price`.
    pub change: String,
    /// Its words: *Added*, *Removed*, *Quantity*, *Price*.
    pub label: String,
    /// The line's item as the order names it ("TOTE-22 NAVY OS").
    pub item: String,
    /// What changes ("12 → 6 units").
    pub text: String,
}

/// The review dialog's content (`S`: the status as its reader keeps it, see [`OrderStatusView`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewView<S = JobStatus> {
    pub order_id: String,
    pub order_number: String,
    pub account_name: String,
    pub po_number: String,
    pub state: ReviewState,
    /// One sentence: what the review found ("Cancelled in NuORDER · PO #5 still open").
    pub headline: String,
    pub lines: Vec<ReviewLine>,
    /// The added sizes with their item match (Confirmed / UPC match / Matched by SKU / New /
    /// Needs choice), exactly as the export dialog shows them.
    pub added_rows: Vec<RowView>,
    /// Header changes ("Arrival date 2026-09-15 → 2026-10-01").
    pub header: Vec<String>,
    /// What cannot be applied, and why (one sentence each).
    pub conflicts: Vec<String>,
    /// Other advice (matched by item, locked, cancelled).
    pub notes: Vec<String>,
    /// Whether *Update PO* has something to write (with `archive` chosen, for a cancelled order).
    pub can_update: bool,
    /// The cancelled order's opt-in: archive the PO.
    pub archive_offered: bool,
    /// The order's status, as its badge shows it.
    pub status: OrderStatusView<S>,
    /// What stopped the last update of the PO, as advice with its one next step (`None` when the
    /// last update did not stop).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<ProtocolError>,
}

impl ReviewView {
    /// The reply carrying this view.
    pub fn into_response(self) -> crate::protocol::Response {
        crate::protocol::Response::Review(serde_json::to_value(self).unwrap_or_default())
    }
}

/// Names of size rows: the order as it is now and as the PO was made from ("STYLE COLOR SIZE").
pub struct RowNames(BTreeMap<RowKey, String>);

fn name_of(style: &str, color: Option<&str>, size: Option<&str>) -> String {
    [Some(style), color, size].into_iter().flatten().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ")
}

impl RowNames {
    pub fn of(order: &Order, source: Option<&PoSource>) -> RowNames {
        let mut names = BTreeMap::new();
        for r in source.map(|s| s.rows.as_slice()).unwrap_or_default() {
            names.insert(r.key.clone(), name_of(&r.style_number, r.color.as_deref(), r.size.as_deref()));
        }
        for (key, line, s) in keyed_size_rows(order) {
            names.insert(key, name_of(&line.product.style_number, line.product.color.as_deref(), s.size.as_deref()));
        }
        RowNames(names)
    }

    fn line(&self, rows: &[RowKey], item: Option<ItemId>) -> String {
        let named: Vec<&str> = rows.iter().filter_map(|k| self.0.get(k).map(String::as_str)).collect();
        match (named.is_empty(), item) {
            (false, _) => named.join(", "),
            (true, Some(i)) => format!("Item {i}"),
            (true, None) => "A new item".into(),
        }
    }
}

fn line(change: &str, item: &str, text: String) -> ReviewLine {
    let label = match change {
        "added" => "Added",
        "removed" => "Removed",
        "quantity" => "Quantity",
        _ => "Price",
    };
    ReviewLine { change: change.into(), label: label.into(), item: item.into(), text }
}

/// The review's lines, one per change (a line whose units and price both change gives two).
pub fn review_lines(lines: &[LineChange], before: &Written, names: &RowNames) -> Vec<ReviewLine> {
    let rows_of = |line_id| before.lines.iter().find(|l| l.line_id == line_id).map(|l| l.rows.clone());
    let mut out = Vec::new();
    for l in lines {
        match l {
            LineChange::Added { item_id, quantity, price, rows, .. } => {
                out.push(line("added", &names.line(rows, *item_id), format!("{quantity} units at {price}")));
            }
            LineChange::Removed { line_id, item_id, quantity } => {
                let item = names.line(&rows_of(*line_id).unwrap_or_default(), Some(*item_id));
                out.push(line("removed", &item, format!("{quantity} units")));
            }
            LineChange::Changed { line_id, item_id, quantity, price, .. } => {
                let item = names.line(&rows_of(*line_id).unwrap_or_default(), Some(*item_id));
                if let Some(Change { from, to }) = quantity {
                    out.push(line("quantity", &item, format!("{from} → {to} units")));
                }
                if let Some(Change { from, to }) = price {
                    out.push(line("price", &item, format!("{from} → {to}")));
                }
            }
        }
    }
    out
}

fn shown<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(T::to_string).unwrap_or_else(|| "none".into())
}

/// The header's changes as sentences (the ship window's end is the PO's arrival date).
pub fn header_lines(plan: &UpdatePlan) -> Vec<String> {
    let h = &plan.header;
    let money = |label: &str, c: &Option<Change<Option<Money>>>| {
        c.as_ref().map(|c| format!("{label} {} → {}", shown(&c.from), shown(&c.to)))
    };
    [
        h.arrival_date.as_ref().map(|c| format!("Arrival date {} → {}", shown(&c.from), shown(&c.to))),
        money("Shipping cost", &h.ship_cost),
        money("Other cost", &h.other_cost),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The state and the headline of a plan.
pub fn headline(plan: &UpdatePlan, po_number: &str) -> (ReviewState, String) {
    match plan.state {
        PlanState::Changes => (
            ReviewState::Changes,
            format!("NuORDER shows order #{} differently from PO #{po_number}. Update PO brings the PO up to date; lines you added in Lightspeed are left as they are.", plan.order_number),
        ),
        PlanState::Unchanged => {
            (ReviewState::Unchanged, format!("PO #{po_number} already matches the order: there is nothing to update."))
        }
        PlanState::Locked { lock } => (
            ReviewState::Locked,
            format!("PO #{po_number} is {} in Lightspeed, so PO Bridge does not change it.", lock.word()),
        ),
        PlanState::Cancelled { lock: Some(lock), .. } => (
            ReviewState::Cancelled,
            format!("Cancelled in NuORDER · PO #{po_number} is {} and stays as it is", lock.word()),
        ),
        PlanState::Cancelled { lock: None, .. } => {
            (ReviewState::Cancelled, format!("Cancelled in NuORDER · PO #{po_number} still open"))
        }
        PlanState::NeedsChoice { .. } => (
            ReviewState::NeedsChoice,
            "Some added sizes need your choice before the update: pick an item or \"Create a new item\" for each row marked Needs choice.".into(),
        ),
    }
}

/// The review of an update that stopped part-way (it resumes with the plan it was made from).
pub fn interrupted_headline(j: &UpdateJournal, po_number: &str) -> String {
    format!(
        "An update of PO #{po_number} (revision {}) stopped before it finished. Update PO finishes it; nothing is written twice.",
        j.revision
    )
}

/// What stopped the update `j`, as the review shows it (the dialog's `Advice`): Lightspeed's
/// refusal of the account's authorisation asks to reconnect; a stop that resumes is a network-like
/// failure whose fix is *Update PO* again (the dialog wires *Try again* to it); any other stop is
/// the sentence alone (the review plans the update again from what is on the PO now).
pub fn failure_advice(j: &UpdateJournal) -> Option<ProtocolError> {
    let UpdateOutcome::Failed { message, retryable, relink } = &j.outcome else { return None };
    Some(match (relink, retryable) {
        (true, _) => ProtocolError::new(ErrorCode::NeedsRelink, message.clone()).with_next(NextStep::Reconnect),
        (false, true) => ProtocolError::new(ErrorCode::Network, message.clone()).with_next(NextStep::TryAgain),
        (false, false) => ProtocolError::new(ErrorCode::InvalidInput, message.clone()),
    })
}
