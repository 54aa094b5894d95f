//! What PO Bridge wrote to a PO (the baseline an update compares with): each line it created or
//! last updated (its `orderLineID`, item, units and prices) and the header fields it set. Taken
//! from the export's journal, from the last finished update, or — without either — from the PO
//! itself, by item.

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
    /// is now counts as written.
    pub fn by_item(po: &LsOrder, po_lines: &[OrderLine], order_items: &BTreeSet<ItemId>) -> Written {
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
            arrival_date: po.arrival_date.as_deref().map(lightspeed_date),
            ship_cost: po.ship_cost,
            other_cost: po.other_cost,
        };
        Written { record: Record::ByItem, po_id: po.order_id, lines, header }
    }
}

/// The calendar date a Lightspeed date field holds (`arrivalDate`). Lightspeed keeps a date-only
/// write as the shop's local midnight, in UTC (reference §3: `2021-04-04` comes back as
/// `2021-04-04T07:00:00+00:00` from a UTC−7 shop), so east of UTC the UTC date is the day before:
/// Paris's `2026-09-15` is `2026-09-14T22:00:00+00:00`. A UTC time from 11:00 on is read as the
/// midnight of a zone east of UTC (UTC+1 to UTC+13: Europe, Australia, New Zealand), an earlier
/// one as that of UTC to UTC−10 (the Americas, Hawaii); a time with a non-zero offset is local
/// already and read as written, a bare date as itself.
pub fn lightspeed_date(text: &str) -> String {
    let t = text.trim();
    let date = t.get(..10).unwrap_or(t);
    let time = match t.as_bytes().get(10) {
        Some(b'T' | b' ') => &t[11..],
        _ => return date.to_string(),
    };
    let hour = time.get(..2).and_then(|h| h.parse::<u32>().ok());
    let offset = time.trim_start_matches(|c: char| c.is_ascii_digit() || c == ':' || c == '.');
    let utc = matches!(offset, "" | "Z" | "z" | "+00:00" | "-00:00" | "+0000" | "-0000" | "+00");
    match hour {
        Some(h) if h >= 11 && utc => next_day(date).unwrap_or_else(|| date.to_string()),
        _ => date.to_string(),
    }
}

/// `YYYY-MM-DD` + one day.
fn next_day(date: &str) -> Option<String> {
    let num = |r: std::ops::Range<usize>| date.get(r).and_then(|s| s.parse::<u32>().ok());
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let days = crate::core::clock::days_in_month(y, m)?;
    let (y, m, d) = if d < days {
        (y, m, d + 1)
    } else if m < 12 {
        (y, m + 1, 1)
    } else {
        (y + 1, 1, 1)
    };
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::lightspeed_date;

    #[test]
    fn a_lightspeed_midnight_reads_as_the_shops_calendar_date() {
        let rows = [
            ("2026-09-15T07:00:00+00:00", "2026-09-15"), // US/Pacific (the reference's example)
            ("2026-09-15T10:00:00+00:00", "2026-09-15"), // Hawaii
            ("2026-09-15T00:00:00+00:00", "2026-09-15"), // UTC
            ("2026-09-14T22:00:00+00:00", "2026-09-15"), // Europe/Paris, summer
            ("2026-09-14T14:00:00+00:00", "2026-09-15"), // Australia/Sydney
            ("2026-12-31T11:00:00+00:00", "2027-01-01"), // New Zealand, summer (UTC+13)
            ("2024-02-28T23:00:00Z", "2024-02-29"),
            ("2026-02-28T23:00:00+0000", "2026-03-01"),
            ("2026-09-15T00:00:00-07:00", "2026-09-15"), // local already
            ("2026-09-15", "2026-09-15"),
        ];
        for (shown, date) in rows {
            assert_eq!(lightspeed_date(shown), date, "{shown}");
        }
    }
}
