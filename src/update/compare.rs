//! Has the order changed since its PO was made? (issue 18, item 1.) Only what matters to the PO
//! is compared: its lines as the export builds them (rows of one item at one price merged into
//! one line, [`merge_row`]), their units and unit prices after discounts, the end of the ship window
//! (the PO's arrival date), shipping and other costs, and whether the order is cancelled — never
//! `modified_on` or other timestamps alone, nor what the PO does not carry: the start of the ship
//! window, or the brand moving the order along (approved → processed → shipped).

use crate::core::rows::RowKey;
use crate::core::sorted::sort;
use crate::export::po::{merge_row, po_lines, LineDraft};
use crate::nuorder::model::{Money, Order, OrderStatus, Timestamp};
use serde::{Deserialize, Serialize};

/// One PO line as the comparison sees it: its size rows (the first is its identity), units and
/// prices.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BasisLine {
    pub item: RowKey,
    pub price: Money,
    pub original_price: Money,
    pub quantity: u64,
    pub rows: Vec<RowKey>,
}

/// What a PO depends on in an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Basis {
    pub status: Option<String>,
    /// The ship window's end (`YYYY-MM-DD`): the PO's arrival date.
    pub end_ship: Option<String>,
    pub ship_cost: Option<Money>,
    pub other_cost: Option<Money>,
    /// Sorted, so the order of the rows in NuORDER's document does not matter.
    pub lines: Vec<BasisLine>,
}

/// One way an order differs from what its PO was made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Difference {
    /// Lines were added or removed, or their units or prices changed.
    Lines,
    /// The end of the ship window moved: the PO's arrival date.
    ShipWindow,
    Costs,
    /// The order was cancelled, or a cancelled order came back.
    Status,
}

/// The date part of a NuORDER timestamp as stored (`2026-06-02T00:00:00.000Z` → `2026-06-02`).
fn date_of(text: Option<&str>) -> Option<String> {
    let text = text?;
    Some(Timestamp::parse(text).map(|t| t.date().to_string()).unwrap_or_else(|| text.to_string()))
}

/// One size row as the comparison takes it: row key, units, net unit price, original price.
pub type BasisRow = (RowKey, u64, Money, Money);

impl Basis {
    /// What a PO made from `order` now depends on.
    pub fn of_order(order: &Order) -> Basis {
        let lines = po_lines(order, |key| Some(key.clone())).unwrap_or_default();
        Basis {
            status: order.status.as_ref().map(|s| s.as_str().to_string()),
            end_ship: date_of(order.end_ship.as_ref().map(Timestamp::as_str)),
            ship_cost: order.shipping,
            other_cost: order.surcharge,
            lines: sorted(lines),
        }
    }

    /// The same from a kept record of the order (the application's `PoSource`): its status, the
    /// ship window's end as NuORDER sent it, costs, and size rows with units > 0.
    pub fn from_parts(
        status: Option<&str>,
        end_ship: Option<&str>,
        costs: (Option<Money>, Option<Money>),
        rows: impl IntoIterator<Item = BasisRow>,
    ) -> Basis {
        let mut lines = Vec::new();
        for (key, units, price, original_price) in rows.into_iter().filter(|r| r.1 > 0) {
            merge_row(
                &mut lines,
                LineDraft { item: key.clone(), quantity: units, price, original_price, rows: vec![key] },
            );
        }
        Basis {
            status: status.map(str::to_string),
            end_ship: date_of(end_ship),
            ship_cost: costs.0,
            other_cost: costs.1,
            lines: sorted(lines),
        }
    }

    /// How `now` differs from `self` (empty: the PO still matches the order).
    pub fn differences(&self, now: &Basis) -> Vec<Difference> {
        let mut out = Vec::new();
        if self.lines != now.lines {
            out.push(Difference::Lines);
        }
        if self.end_ship != now.end_ship {
            out.push(Difference::ShipWindow);
        }
        let cost = |c: Option<Money>| c.unwrap_or(Money::ZERO);
        if (cost(self.ship_cost), cost(self.other_cost)) != (cost(now.ship_cost), cost(now.other_cost)) {
            out.push(Difference::Costs);
        }
        if is_cancelled_status(self.status.as_deref()) != is_cancelled_status(now.status.as_deref()) {
            out.push(Difference::Status);
        }
        out
    }

    /// True when a PO made from `self` still matches `now`.
    pub fn matches(&self, now: &Basis) -> bool {
        self.differences(now).is_empty()
    }

    /// True when the order is cancelled in NuORDER or has no line left.
    pub fn is_cancelled(&self) -> bool {
        self.lines.is_empty() || is_cancelled_status(self.status.as_deref())
    }
}

/// The one status that matters to a PO: cancelled (as NuORDER writes it, any case). The others
/// are the brand moving the order along, which asks nothing of the PO.
pub fn is_cancelled_status(status: Option<&str>) -> bool {
    status.map(OrderStatus::from_text) == Some(OrderStatus::Cancelled)
}

fn sorted(lines: Vec<LineDraft<RowKey>>) -> Vec<BasisLine> {
    let mut out: Vec<BasisLine> = lines
        .into_iter()
        .map(|mut l| {
            sort(&mut l.rows);
            BasisLine {
                item: l.item,
                price: l.price,
                original_price: l.original_price,
                quantity: l.quantity,
                rows: l.rows,
            }
        })
        .collect();
    sort(&mut out);
    out
}

/// True when the order is cancelled in NuORDER or no size row has units left (nothing is
/// deleted for it unless the user chooses to archive the PO).
pub fn is_cancelled(order: &Order) -> bool {
    order.status == Some(OrderStatus::Cancelled) || !order.size_rows().any(|(_, s)| s.quantity > 0)
}
