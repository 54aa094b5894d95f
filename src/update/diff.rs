//! The line and header differences between the order now and what PO Bridge wrote, checked
//! against what Lightspeed shows now: a value PO Bridge wrote that Lightspeed shows differently is
//! the merchant's (a conflict, never overwritten) — unless it is already the order's value: the
//! merchant made the brand's change by hand, nothing is written and the value counts as written
//! from then on — and a line never goes below what has arrived on it (`numReceived` + `checkedIn`).

use super::dates::ShopDates;
use super::types::{Change, Conflict, ConflictKind, HeaderChanges, HeaderField, LineChange};
use super::written::{WrittenHeader, WrittenLine};
use crate::core::rows::RowKey;
use crate::export::journal::ItemRef;
use crate::export::po::PoHeaderDraft;
use crate::lightspeed::{ItemId, Order as LsOrder, OrderLine};
use crate::nuorder::model::Money;

/// One line the order wants (a line step of the export's own job for the order now).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Desired {
    pub step: usize,
    pub item: ItemRef,
    /// Known for existing items; `None` for an item still to create.
    pub item_id: Option<ItemId>,
    pub quantity: u64,
    pub price: Money,
    pub original_price: Money,
    pub rows: Vec<RowKey>,
}

/// The lines' result: the changes to write, the conflicts, and what PO Bridge will have written
/// afterwards (added lines join once created).
#[derive(Debug, Default)]
pub(super) struct LineDiff {
    pub changes: Vec<LineChange>,
    pub conflicts: Vec<Conflict>,
    pub after: Vec<WrittenLine>,
}

/// Pairs desired lines with written ones: the same item and prices first, then the same item.
/// Returns the pairs (desired, written), the desired lines left (added) and the written ones
/// left (removed).
fn pair(desired: &[Desired], written: &[WrittenLine]) -> (Vec<(usize, usize)>, Vec<usize>, Vec<usize>) {
    let mut used_d = vec![false; desired.len()];
    let mut used_w = vec![false; written.len()];
    let mut pairs = Vec::new();
    for exact in [true, false] {
        for (di, d) in desired.iter().enumerate() {
            if used_d[di] || d.item_id.is_none() {
                continue;
            }
            let found = written.iter().enumerate().position(|(wi, w)| {
                !used_w[wi]
                    && Some(w.item_id) == d.item_id
                    && (!exact || (w.price == d.price && w.original_price == d.original_price))
            });
            if let Some(wi) = found {
                used_d[di] = true;
                used_w[wi] = true;
                pairs.push((di, wi));
            }
        }
    }
    let added = (0..desired.len()).filter(|&i| !used_d[i]).collect();
    let removed = (0..written.len()).filter(|&i| !used_w[i]).collect();
    (pairs, added, removed)
}

fn received(l: &OrderLine) -> u64 {
    let n = l.num_received.unwrap_or(0).max(0) + l.checked_in.unwrap_or(0).max(0);
    u64::try_from(n).unwrap_or(0)
}

fn conflict(w: &WrittenLine, kind: ConflictKind, wanted: u64, got: u64) -> Conflict {
    Conflict { item_id: Some(w.item_id), line_id: Some(w.line_id), kind, wanted: Some(wanted), received: got }
}

/// Whether a line step of a resumed revision still applies to the line as Lightspeed shows it now
/// (`shown`; `None`: the line is gone): `target` is the step's units and price (`None`: a delete).
/// It does while the line shows what PO Bridge had written (`before`) or already the step's own
/// values, and its units stay at or above what arrived; else the conflict that leaves the line to
/// the merchant, as a review would.
pub(super) fn still_applies(
    before: &WrittenLine,
    target: Option<(u64, Money)>,
    shown: Option<&OrderLine>,
) -> Option<Conflict> {
    let wanted = target.map_or(0, |t| t.0);
    let Some(ls) = shown else {
        // A line to delete that is gone is done; one to change that is gone is the merchant's.
        return target.map(|_| conflict(before, ConflictKind::LineGone, wanted, 0));
    };
    let (got, shown_q) = (received(ls), u64::try_from(ls.quantity).unwrap_or(0));
    let as_written = shown_q == before.quantity && ls.price == before.price;
    let as_wanted = target.is_some_and(|(q, p)| shown_q == q && ls.price == p);
    if wanted < got {
        Some(conflict(before, ConflictKind::Received, wanted, got))
    } else if as_written || as_wanted {
        None
    } else if shown_q != before.quantity {
        Some(conflict(before, ConflictKind::Quantity { shown: shown_q }, wanted, got))
    } else {
        Some(conflict(before, ConflictKind::Price { shown: ls.price }, wanted, got))
    }
}

/// The differences of the lines (see the module's note).
pub(super) fn diff_lines(desired: &[Desired], written: &[WrittenLine], shown: &[OrderLine]) -> LineDiff {
    let (pairs, added, removed) = pair(desired, written);
    let mut out = LineDiff::default();
    for (di, wi) in pairs {
        paired(&desired[di], &written[wi], shown, &mut out);
    }
    for wi in removed {
        left_the_order(&written[wi], shown, &mut out);
    }
    for di in added {
        let d = &desired[di];
        out.changes.push(LineChange::Added {
            step: d.step,
            item_id: d.item_id,
            quantity: d.quantity,
            price: d.price,
            original_price: d.original_price,
            rows: d.rows.clone(),
        });
    }
    out
}

/// A line in both: its units and prices change in place unless the merchant changed them or
/// goods have arrived.
fn paired(d: &Desired, w: &WrittenLine, shown: &[OrderLine], out: &mut LineDiff) {
    let mut after = WrittenLine { rows: d.rows.clone(), ..w.clone() };
    let quantity = (d.quantity != w.quantity).then_some(Change { from: w.quantity, to: d.quantity });
    let price =
        (d.price != w.price || d.original_price != w.original_price).then_some(Change { from: w.price, to: d.price });
    if quantity.is_none() && price.is_none() {
        out.after.push(after);
        return;
    }
    let Some(ls) = shown.iter().find(|l| l.order_line_id == w.line_id) else {
        out.conflicts.push(conflict(w, ConflictKind::LineGone, d.quantity, 0));
        out.after.push(after);
        return;
    };
    let got = received(ls);
    let quantity = quantity.filter(|q| {
        let shown_q = u64::try_from(ls.quantity).unwrap_or(0);
        if shown_q == q.to {
            // The merchant already made the brand's change: nothing to write, and it now counts
            // as written (so the next review compares with what is on the PO).
            after.quantity = q.to;
            false
        } else if shown_q != w.quantity {
            out.conflicts.push(conflict(w, ConflictKind::Quantity { shown: shown_q }, q.to, got));
            false
        } else if q.to < got {
            out.conflicts.push(conflict(w, ConflictKind::Received, q.to, got));
            false
        } else {
            true
        }
    });
    let price = price.filter(|_| {
        if d.price != w.price && ls.price == d.price {
            (after.price, after.original_price) = (d.price, d.original_price);
            false
        } else if ls.price != w.price {
            out.conflicts.push(conflict(w, ConflictKind::Price { shown: ls.price }, d.quantity, got));
            false
        } else {
            true
        }
    });
    if let Some(q) = &quantity {
        after.quantity = q.to;
    }
    if price.is_some() {
        (after.price, after.original_price) = (d.price, d.original_price);
    }
    if quantity.is_some() || price.is_some() {
        out.changes.push(LineChange::Changed {
            line_id: w.line_id,
            item_id: w.item_id,
            quantity,
            price,
            original_price: d.original_price,
        });
    }
    out.after.push(after);
}

/// A line PO Bridge wrote whose item left the order (or whose units went to zero): deleted,
/// unless goods arrived on it or the merchant changed it (the rule a resumed delete is held to,
/// [`still_applies`]).
fn left_the_order(w: &WrittenLine, shown: &[OrderLine], out: &mut LineDiff) {
    let Some(ls) = shown.iter().find(|l| l.order_line_id == w.line_id) else {
        return; // already gone
    };
    match still_applies(w, None, Some(ls)) {
        None => out.changes.push(LineChange::Removed { line_id: w.line_id, item_id: w.item_id, quantity: w.quantity }),
        Some(c) => {
            out.conflicts.push(c);
            out.after.push(w.clone());
        }
    }
}

/// The header's differences: the arrival date (the ship window's end, the PO's read as its shop's
/// calendar date by `dates`), shipping and other costs.
pub(super) fn diff_header(
    want: &PoHeaderDraft,
    wrote: &WrittenHeader,
    po: &LsOrder,
    dates: ShopDates<'_>,
) -> (HeaderChanges, Vec<Conflict>, WrittenHeader) {
    let mut changes = HeaderChanges::default();
    let mut conflicts = Vec::new();
    let mut after = wrote.clone();
    let mut header_conflict = |field| {
        conflicts.push(Conflict {
            item_id: None,
            line_id: None,
            kind: ConflictKind::Header { field },
            wanted: None,
            received: 0,
        })
    };
    if want.arrival_date != wrote.arrival_date {
        let shown = po.arrival_date.as_deref().map(|d| dates.date(d));
        if shown == want.arrival_date {
            after.arrival_date = want.arrival_date.clone();
        } else if shown != wrote.arrival_date {
            header_conflict(HeaderField::ArrivalDate);
        } else {
            changes.arrival_date = Some(Change { from: wrote.arrival_date.clone(), to: want.arrival_date.clone() });
            after.arrival_date = want.arrival_date.clone();
        }
    }
    let cost = |c: Option<Money>| c.unwrap_or(Money::ZERO);
    let costs = [
        (HeaderField::ShipCost, want.ship_cost, wrote.ship_cost, po.ship_cost),
        (HeaderField::OtherCost, want.other_cost, wrote.other_cost, po.other_cost),
    ];
    for (field, want, wrote, shown) in costs {
        if cost(want) == cost(wrote) {
            continue;
        }
        if cost(shown) == cost(want) {
            match field {
                HeaderField::ShipCost => after.ship_cost = want,
                _ => after.other_cost = want,
            }
            continue;
        }
        if cost(shown) != cost(wrote) {
            header_conflict(field);
            continue;
        }
        let change = Some(Change { from: wrote, to: want });
        match field {
            HeaderField::ShipCost => (changes.ship_cost, after.ship_cost) = (change, want),
            _ => (changes.other_cost, after.other_cost) = (change, want),
        }
    }
    (changes, conflicts, after)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lightspeed::OrderLineId;

    fn money(m: &str) -> Money {
        serde_json::from_value(serde_json::json!(m)).unwrap()
    }

    /// A PO line as Lightspeed shows it: units, price, units received.
    fn shown(quantity: i64, price: &str, received: i64) -> OrderLine {
        let v = serde_json::json!({"orderLineID": "7", "itemID": "5", "quantity": quantity.to_string(),
            "price": price, "numReceived": received.to_string()});
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn a_resumed_line_step_applies_only_to_a_line_as_written_or_as_wanted() {
        let before = WrittenLine {
            line_id: OrderLineId(7),
            item_id: ItemId(5),
            quantity: 12,
            price: money("18"),
            original_price: money("18"),
            rows: Vec::new(),
        };
        let put = Some((8, money("18")));
        let kind =
            |t: Option<(u64, Money)>, l: Option<OrderLine>| still_applies(&before, t, l.as_ref()).map(|c| c.kind);
        type Row = (Option<(u64, Money)>, Option<OrderLine>, Option<ConflictKind>);
        let rows: Vec<Row> = vec![
            (put, Some(shown(12, "18", 0)), None),
            (put, Some(shown(8, "18", 0)), None),
            (put, Some(shown(20, "18", 0)), Some(ConflictKind::Quantity { shown: 20 })),
            (put, Some(shown(12, "17", 0)), Some(ConflictKind::Price { shown: money("17") })),
            (put, Some(shown(12, "18", 10)), Some(ConflictKind::Received)),
            (put, None, Some(ConflictKind::LineGone)),
            (None, None, None),
            (None, Some(shown(12, "18", 0)), None),
            (None, Some(shown(12, "18", 2)), Some(ConflictKind::Received)),
            (None, Some(shown(5, "18", 0)), Some(ConflictKind::Quantity { shown: 5 })),
        ];
        for (target, line, want) in rows {
            assert_eq!(kind(target, line.clone()), want, "{target:?} on {line:?}");
        }
    }
}
