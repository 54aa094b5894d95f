//! The update's typed plan: per line *added*, *removed*, *quantity a → b*, *price a → b*; the
//! header's changes; the conflicts; the state that decides whether anything is written. Serde, so
//! the review dialog can show it as it is.

use super::written::{Record, Written};
use crate::core::rows::RowKey;
use crate::core::tagged::internal_enum;
use crate::export::journal::Journal;
use crate::export::plan::PlanRow;
use crate::lightspeed::{ItemId, OrderId, OrderLineId};
use crate::nuorder::model::Money;
use serde::{Deserialize, Serialize};

/// A value from `from` to `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change<T> {
    pub from: T,
    pub to: T,
}

/// One PO line's change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum LineChange {
    /// A new line (the export's own matching and creation; `step` is its line step in the
    /// update's line job). `item_id` is `None` while the item is still to create.
    Added {
        step: usize,
        item_id: Option<ItemId>,
        quantity: u64,
        price: Money,
        original_price: Money,
        rows: Vec<RowKey>,
    },
    /// The line's item left the order (or its units went to zero): `DELETE OrderLine`.
    Removed { line_id: OrderLineId, item_id: ItemId, quantity: u64 },
    /// Units and/or unit price change in place: `PUT OrderLine`.
    Changed {
        line_id: OrderLineId,
        item_id: ItemId,
        quantity: Option<Change<u64>>,
        price: Option<Change<Money>>,
        /// The price before line discounts, sent with a new price.
        original_price: Money,
    },
}
internal_enum!(LineChange, "change");

impl LineChange {
    /// The PO line it changes or removes (`None`: a line to add).
    pub fn line_id(&self) -> Option<OrderLineId> {
        match self {
            LineChange::Added { .. } => None,
            LineChange::Removed { line_id, .. } | LineChange::Changed { line_id, .. } => Some(*line_id),
        }
    }
}

/// A header field PO Bridge writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeaderField {
    /// The PO's arrival date: the ship window's end.
    ArrivalDate,
    ShipCost,
    OtherCost,
}

/// The header's changes (`None`: unchanged).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeaderChanges {
    pub arrival_date: Option<Change<Option<String>>>,
    pub ship_cost: Option<Change<Option<Money>>>,
    pub other_cost: Option<Change<Option<Money>>>,
}

impl HeaderChanges {
    pub fn count(&self) -> usize {
        usize::from(self.arrival_date.is_some())
            + usize::from(self.ship_cost.is_some())
            + usize::from(self.other_cost.is_some())
    }
}

/// Why a change cannot be applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum ConflictKind {
    /// Goods have arrived on the line: its units never go below them.
    Received,
    /// The merchant changed the line's units in Lightspeed (PO Bridge wrote others).
    Quantity { shown: u64 },
    /// The merchant changed the line's price in Lightspeed.
    Price { shown: Money },
    /// The line PO Bridge wrote is no longer on the PO.
    LineGone,
    /// The merchant changed a header field PO Bridge wrote.
    Header { field: HeaderField },
}
internal_enum!(ConflictKind, "kind");

/// A change left undone, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub item_id: Option<ItemId>,
    pub line_id: Option<OrderLineId>,
    pub kind: ConflictKind,
    /// The units the order wants on the line (0: the line left the order).
    pub wanted: Option<u64>,
    /// Units that have arrived on the line (`numReceived` + `checkedIn`).
    pub received: u64,
}

impl Conflict {
    /// One sentence of advice for the merchant.
    pub fn advice(&self) -> String {
        let item = self.item_id.map(|i| format!("item {i}")).unwrap_or_else(|| "this line".into());
        let wanted = self.wanted.unwrap_or(0);
        match self.kind {
            ConflictKind::Received => format!("The order now wants {wanted} of {item}, but {} have already arrived; the line was left as it is, so adjust it in Lightspeed if the brand will not ship them.", self.received),
            ConflictKind::Quantity { shown } => format!("The order now wants {wanted} of {item}, but the line was changed to {shown} in Lightspeed; PO Bridge left your change, so edit the line in Lightspeed if the order should win."),
            // The line left the order (`wanted` 0), and the merchant's price kept it: say that, not
            // which price should win.
            ConflictKind::Price { shown } if self.wanted == Some(0) => format!("{} left the order, but its price was changed to {shown} in Lightspeed; PO Bridge left the line on the purchase order, so delete it in Lightspeed if the brand will not ship it.", capitalized(&item)),
            ConflictKind::Price { shown } => format!("The price of {item} was changed to {shown} in Lightspeed; PO Bridge left your price, so edit the line in Lightspeed if the order's price should win."),
            ConflictKind::LineGone => format!("The line of {item} was removed from the purchase order in Lightspeed; PO Bridge did not add it back, so add it by hand if you still want {wanted}."),
            ConflictKind::Header { field } => {
                let f = match field {
                    HeaderField::ArrivalDate => "arrival date",
                    HeaderField::ShipCost => "shipping cost",
                    HeaderField::OtherCost => "other cost",
                };
                format!("The purchase order's {f} was changed in Lightspeed; PO Bridge left your value, so edit it in Lightspeed if the order's should win.")
            }
        }
    }
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
}

/// How many changes of each kind (the command line's `changes`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeCounts {
    pub added: usize,
    pub removed: usize,
    pub quantity: usize,
    pub price: usize,
    pub header: usize,
}

impl ChangeCounts {
    pub fn of(lines: &[LineChange], header: &HeaderChanges) -> ChangeCounts {
        let mut c = ChangeCounts { header: header.count(), ..ChangeCounts::default() };
        for l in lines {
            match l {
                LineChange::Added { .. } => c.added += 1,
                LineChange::Removed { .. } => c.removed += 1,
                LineChange::Changed { quantity, price, .. } => {
                    c.quantity += usize::from(quantity.is_some());
                    c.price += usize::from(price.is_some());
                }
            }
        }
        c
    }

    pub fn is_empty(&self) -> bool {
        *self == ChangeCounts::default()
    }
}

/// Why a PO is not changed at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lock {
    /// Checked in (`receivedDate` set).
    Received,
    Complete,
    Archived,
}

impl Lock {
    /// The PO's state in the user's words ("checked in").
    pub fn word(self) -> &'static str {
        match self {
            Lock::Received => "checked in",
            Lock::Complete => "complete",
            Lock::Archived => "archived",
        }
    }
}

/// What the review shows and whether *Update PO* writes anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum PlanState {
    /// Cancelled in NuORDER (or no line left): nothing is deleted; the PO is archived only when
    /// the user chose to (`archive`), which is offered only while the PO is open (`lock: None`).
    Cancelled {
        archive: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lock: Option<Lock>,
    },
    /// The PO is checked in, complete or archived: nothing changes.
    Locked { lock: Lock },
    /// Added sizes need the user's choice (the export's *Needs choice*): nothing is written yet.
    NeedsChoice { rows: usize },
    /// Changes to write (conflicts, if any, are left as they are).
    Changes,
    /// The PO already matches the order (conflicts, if any, are left as they are).
    Unchanged,
}
internal_enum!(PlanState, "state");

/// The reviewed update of one PO.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdatePlan {
    pub order_id: String,
    pub order_number: String,
    pub po_id: OrderId,
    /// Where "what PO Bridge wrote" comes from ([`Record::ByItem`]: matched by item).
    pub record: Record,
    pub state: PlanState,
    pub lines: Vec<LineChange>,
    pub header: HeaderChanges,
    pub conflicts: Vec<Conflict>,
    pub counts: ChangeCounts,
    /// Lines on the PO that PO Bridge did not write (the merchant's): never touched.
    pub merchant_lines: Vec<OrderLineId>,
    /// The export's plan rows of the added lines (Confirmed / UPC match / Matched by SKU / New /
    /// Needs choice), and every row still needing a choice.
    pub added_rows: Vec<PlanRow>,
    /// Sentences of advice for the review (matched by item, locked, cancelled, …).
    pub notes: Vec<String>,
    /// What PO Bridge had written before this update (the baseline it was planned from).
    pub before: Written,
    /// What PO Bridge will have written once the update is applied (the added lines join as they
    /// are created).
    pub after: Written,
    /// The export job that creates the added lines' new items and the added lines (look-before-
    /// write, twins), when there are added lines.
    pub lines_job: Option<Journal>,
}

impl UpdatePlan {
    /// True when applying it writes something.
    pub fn writes(&self) -> bool {
        match self.state {
            PlanState::Cancelled { archive, .. } => archive,
            PlanState::Changes => true,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_that_left_the_order_says_so_whatever_kept_it() {
        let c = |kind, wanted| Conflict { item_id: Some(ItemId(7)), line_id: None, kind, wanted, received: 0 };
        let price = Money::parse("19.5").unwrap();
        let gone = c(ConflictKind::Price { shown: price }, Some(0)).advice();
        assert!(gone.starts_with("Item 7 left the order, but its price was changed to 19.50"), "{gone}");
        assert!(!gone.contains("should win"), "{gone}");
        let kept = c(ConflictKind::Price { shown: price }, Some(4)).advice();
        assert!(kept.starts_with("The price of item 7 was changed to 19.50") && kept.contains("should win"), "{kept}");
    }
}
