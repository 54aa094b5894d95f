//! What PO Bridge wrote to a PO (the baseline an update compares with): each line it created or
//! last updated (its `orderLineID`, item, units and prices) and the header fields it set. Taken
//! from the export's journal, from the last finished update, or — without either — from the PO
//! itself, by item.

use super::dates::ShopDates;
use crate::core::rows::RowKey;
use crate::core::tagged::internal_enum;
use crate::export::journal::{Journal, Outcome, StepKind, StepState};
use crate::lightspeed::{ItemId, Order as LsOrder, OrderId, OrderLine, OrderLineId};
use crate::nuorder::model::Money;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// One line PO Bridge wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrittenLine {
    pub line_id: OrderLineId,
    pub item_id: ItemId,
    pub quantity: u64,
    pub price: Money,
    pub original_price: Money,
    /// The size rows it was made from (empty when matched by item).
    #[serde(default)]
    pub rows: Vec<RowKey>,
}

/// The header fields PO Bridge wrote (`None`: not written).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrittenHeader {
    pub arrival_date: Option<String>,
    pub ship_cost: Option<Money>,
    pub other_cost: Option<Money>,
}

/// Where the baseline comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum Record {
    /// The export's journal (this browser or state file exported it).
    Export,
    /// The last finished update of the PO.
    Update { revision: u32 },
    /// Neither: the PO's lines are matched by item.
    ByItem,
}
internal_enum!(Record, "kind");

/// What PO Bridge wrote to one PO.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Written {
    pub record: Record,
    pub po_id: OrderId,
    pub lines: Vec<WrittenLine>,
    pub header: WrittenHeader,
}

impl Written {
    /// From a finished export's journal (`None` when it did not write the PO itself).
    pub fn of_export(j: &Journal) -> Option<Written> {
        let Outcome::Exported { po_id } = j.outcome else { return None };
        let mut header = WrittenHeader::default();
        let mut lines = Vec::new();
        for s in &j.steps {
            match (&s.kind, s.status) {
                (StepKind::PoHeader { draft }, _) => {
                    header = WrittenHeader {
                        arrival_date: draft.arrival_date.clone(),
                        ship_cost: draft.ship_cost,
                        other_cost: draft.other_cost,
                    };
                }
                (StepKind::Line { item, quantity, price, original_price, rows }, StepState::Done { id: Some(id) }) => {
                    let Some(item_id) = j.item_id(*item) else { continue };
                    lines.push(WrittenLine {
                        line_id: OrderLineId(id),
                        item_id,
                        quantity: *quantity,
                        price: *price,
                        original_price: *original_price,
                        rows: rows.clone(),
                    });
                }
                _ => {}
            }
        }
        Some(Written { record: Record::Export, po_id, lines, header })
    }

    /// Without a record: the PO's lines whose item is one of the order's (`order_items`) are the
    /// order's, as Lightspeed shows them now; every other line is the merchant's. The header as it
    /// is now counts as written (its arrival date read as the shop's calendar date, `dates`).
    pub fn by_item(
        po: &LsOrder,
        po_lines: &[OrderLine],
        order_items: &BTreeSet<ItemId>,
        dates: ShopDates<'_>,
    ) -> Written {
        let lines = po_lines
            .iter()
            .filter(|l| l.item_id.is_some_and(|i| order_items.contains(&i)))
            .map(|l| WrittenLine {
                line_id: l.order_line_id,
                item_id: l.item_id.unwrap_or(ItemId(0)),
                quantity: u64::try_from(l.quantity).unwrap_or(0),
                price: l.price,
                original_price: l.original_price.unwrap_or(l.price),
                rows: Vec::new(),
            })
            .collect();
        let header = WrittenHeader {
            arrival_date: po.arrival_date.as_deref().map(|d| dates.date(d)),
            ship_cost: po.ship_cost,
            other_cost: po.other_cost,
        };
        Written { record: Record::ByItem, po_id: po.order_id, lines, header }
    }
}
