//! The purchase order: header, lines and prices (issue 5, item 3). Pure; produces the
//! Lightspeed write payloads ([`OrderWrite`], [`OrderLineWrite`]).
//!
//! - Header: `refNum` = `NuORDER <order_number>` (no `#`), `b2bOrderNumber` = the order number,
//!   vendor, shop, `arrivalDate` = the date part of `end_ship`, `shipCost` =
//!   `order_discounts.shipping_final_amount`, `otherCost` = `order_discounts.surcharge`, and a note
//!   with the order #, customer PO #, rep, currency and discount %. Absent amounts and dates are
//!   omitted (Lightspeed's defaults apply).
//! - Lines: one per size row with quantity > 0; `quantity` = quantity × `units_per_pack`;
//!   `price` = the size's `price` × (1 − order discount / 100), rounded half away from zero to the
//!   cent, computed exactly (no intermediate rounding); `originalPrice` = `original_price`. Rows
//!   that resolve to the same item **and** the same prices become one line with the summed
//!   quantity. (Rows of one item at different prices — e.g. two deliveries with different line
//!   discounts — stay separate lines so the PO total stays exact.)
//! - Then `orderedDate` = the date part of `created_on` (today when absent), sent after the lines
//!   because Lightspeed marks a PO Ordered only when it has lines.
//!
//! Prices are never converted between currencies: the order's amounts go as they are.

pub use super::markers::{bare_number, existing_po, marked_numbers, ref_num};
use super::plan::{keyed_size_rows, RowKey};
use crate::lightspeed::{ItemId, NoteWrite, OrderId, OrderLineWrite, OrderWrite, ShopId, VendorId};
use crate::nuorder::model::{Money, Order, Percent};
use serde::{Deserialize, Serialize};

/// `price × (1 − discount/100)`, rounded half away from zero to the cent, exactly.
pub fn net_unit_price(price: Money, discount: Percent) -> Money {
    // micros × (100·10⁶ − p) / (100·10⁶) gives micros; cents = that / 10⁴. One division:
    // cents = micros × (100·10⁶ − p) / (100·10⁶ · 10⁴).
    let hundred = 100 * Percent::MICROS_PER_POINT as i128;
    let n = price.micros() as i128 * (hundred - discount.micros() as i128);
    let d = hundred * Money::MICROS_PER_CENT as i128;
    let q = n / d;
    let r = n % d;
    let cents = if r.abs() * 2 >= d { q + n.signum() } else { q };
    Money::from_micros((cents * Money::MICROS_PER_CENT as i128) as i64)
}

/// The header fields, before the vendor is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoHeaderDraft {
    pub ref_num: String,
    pub b2b_order_number: String,
    pub arrival_date: Option<String>,
    pub ship_cost: Option<Money>,
    pub other_cost: Option<Money>,
    pub note: String,
    /// `YYYY-MM-DD`, set once the lines are in.
    pub ordered_date: String,
}

impl PoHeaderDraft {
    /// `today` (`YYYY-MM-DD`) is used when the order has no `created_on`.
    pub fn new(order: &Order, today: &str) -> PoHeaderDraft {
        PoHeaderDraft {
            ref_num: ref_num(&order.order_number),
            b2b_order_number: bare_number(&order.order_number).to_string(),
            arrival_date: order.end_ship.as_ref().map(|t| t.date().to_string()),
            ship_cost: order.shipping,
            other_cost: order.surcharge,
            note: po_note(order),
            ordered_date: order.created_on.as_ref().map(|t| t.date().to_string()).unwrap_or_else(|| today.to_string()),
        }
    }

    /// `POST Order.json` (no `orderedDate`: that comes after the lines).
    pub fn to_write(&self, vendor: VendorId, shop: ShopId) -> OrderWrite {
        OrderWrite {
            vendor_id: Some(vendor),
            shop_id: Some(shop),
            ref_num: Some(self.ref_num.clone()),
            b2b_order_number: Some(self.b2b_order_number.clone()),
            arrival_date: self.arrival_date.clone(),
            ship_cost: self.ship_cost,
            other_cost: self.other_cost,
            note: Some(NoteWrite { note: self.note.clone(), is_public: None }),
            ..OrderWrite::default()
        }
    }

    /// `PUT Order/{id}.json` that marks the PO Ordered ([`ordered_write`]).
    pub fn ordered_write(&self) -> OrderWrite {
        ordered_write(&self.ordered_date)
    }
}

/// `PUT Order/{id}.json` that marks a PO Ordered on `ordered_date` (`YYYY-MM-DD`); repeating it
/// is harmless. The job's Ordered mark sends exactly this.
pub fn ordered_write(ordered_date: &str) -> OrderWrite {
    OrderWrite { ordered_date: Some(ordered_date.to_string()), ..OrderWrite::default() }
}

/// The PO's general note: order #, customer PO #, rep, currency, discount %.
pub fn po_note(order: &Order) -> String {
    let mut lines = vec![format!("NuORDER order #{}", bare_number(&order.order_number))];
    if let Some(po) = order.customer_po.as_deref().filter(|s| !s.trim().is_empty()) {
        lines.push(format!("Customer PO #: {po}"));
    }
    if let Some(rep) = order.rep.name.as_deref().filter(|s| !s.trim().is_empty()) {
        lines.push(format!("Rep: {rep}"));
    }
    lines.push(format!("Currency: {}", order.currency));
    lines.push(format!("Discount: {}%", order.discount));
    lines.join("\n")
}

/// One PO line, for any kind of item reference `K` (an [`ItemId`], or a job step that will
/// create the item).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineDraft<K> {
    pub item: K,
    /// Units.
    pub quantity: u64,
    pub price: Money,
    pub original_price: Money,
    /// The size rows merged into this line.
    pub rows: Vec<RowKey>,
}

impl LineDraft<ItemId> {
    pub fn to_write(&self, order: OrderId) -> OrderLineWrite {
        line_write(order, self.item, self.quantity, self.price, self.original_price)
    }
}

/// `POST OrderLine.json`.
pub fn line_write(order: OrderId, item: ItemId, quantity: u64, price: Money, original_price: Money) -> OrderLineWrite {
    OrderLineWrite {
        order_id: Some(order),
        item_id: Some(item),
        quantity: Some(i64::try_from(quantity).unwrap_or(i64::MAX)),
        price: Some(price),
        original_price: Some(original_price),
        vendor_cost: None,
    }
}

/// A size row the caller could not resolve to an item.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Size row {0} has no item yet (a choice is missing).")]
pub struct Unresolved(pub RowKey);

/// The PO lines: rows with quantity > 0, resolved through `item_of`, merged by (item, price,
/// original price), in order of first appearance.
pub fn po_lines<K: PartialEq>(
    order: &Order,
    mut item_of: impl FnMut(&RowKey) -> Option<K>,
) -> Result<Vec<LineDraft<K>>, Unresolved> {
    let mut lines: Vec<LineDraft<K>> = Vec::new();
    for (key, _, size) in keyed_size_rows(order) {
        if size.quantity == 0 {
            continue;
        }
        let item = item_of(&key).ok_or_else(|| Unresolved(key.clone()))?;
        let price = net_unit_price(size.price, order.discount);
        merge_row(
            &mut lines,
            LineDraft { item, quantity: size.units(), price, original_price: size.original_price, rows: vec![key] },
        );
    }
    Ok(lines)
}

/// The merge rule of PO lines: `row` (one size row as a line) joins the line for the same item
/// and prices (summing units), else becomes a line of its own. [`po_lines`] builds with it, and
/// so does the update's comparison of an order with what its PO was made from.
pub fn merge_row<K: PartialEq>(lines: &mut Vec<LineDraft<K>>, row: LineDraft<K>) {
    let same =
        |l: &&mut LineDraft<K>| l.item == row.item && l.price == row.price && l.original_price == row.original_price;
    match lines.iter_mut().find(same) {
        Some(l) => {
            l.quantity += row.quantity;
            for key in row.rows {
                if !l.rows.contains(&key) {
                    l.rows.push(key);
                }
            }
        }
        None => lines.push(row),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }
    fn p(s: &str) -> Percent {
        Percent::parse(s).unwrap()
    }

    #[test]
    fn net_price_rounds_half_away_from_zero_to_the_cent() {
        let rows = [
            ("18.375", "0", "18.38"),
            ("10.005", "0", "10.01"),
            ("10.004999", "0", "10.00"),
            ("18", "5", "17.10"),
            ("11.5", "10", "10.35"),
            ("60.8", "10", "54.72"),
            ("8.25", "10", "7.43"),   // 7.425 → 7.43
            ("0.15", "50", "0.08"),   // 0.075 → 0.08
            ("10.01", "50", "5.01"),  // 5.005 → 5.01
            ("9.99", "12.5", "8.74"), // 8.74125
            ("1.00", "33.333333", "0.67"),
            ("0.05", "90", "0.01"),     // 0.005 → 0.01
            ("0.04", "90", "0.00"),     // 0.004 → 0
            ("-18.375", "0", "-18.38"), // half away from zero, negative side too
            ("25", "100", "0.00"),
            ("0", "5", "0.00"),
        ];
        for (price, disc, want) in rows {
            assert_eq!(net_unit_price(m(price), p(disc)), m(want), "{price} less {disc}%");
        }
    }

    #[test]
    fn exact_math_avoids_double_rounding() {
        // 20.0099 less 50 % = 10.00495 exactly → 10.00; rounding to micros first could not change
        // that, but a two-step cent rounding of 10.005 would. Check the boundary both sides.
        assert_eq!(net_unit_price(m("20.0099"), p("50")), m("10.00"));
        assert_eq!(net_unit_price(m("20.01"), p("50")), m("10.01"));
    }

    #[test]
    fn the_ordered_mark_is_a_date_only_put() {
        let w = serde_json::to_value(ordered_write("2026-06-02")).unwrap();
        assert_eq!(w, serde_json::json!({"orderedDate": "2026-06-02"}));
    }

    #[test]
    fn ref_num_has_no_hash() {
        assert_eq!(ref_num("40718822"), "NuORDER 40718822");
        assert_eq!(ref_num("#40718822"), "NuORDER 40718822");
        assert_eq!(ref_num(" 40718822 "), "NuORDER 40718822");
    }
}
