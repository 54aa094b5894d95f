//! What the export dialog summarises about an order: its shipping address as lines, and the
//! purchase order's units and cost (net unit price × units, as the PO lines will carry them).

use super::po::net_unit_price;
use crate::nuorder::model::{Address, Money, Order};

/// The shipping address, one line per entry, empty parts left out.
pub fn address_lines(address: Option<&Address>) -> Vec<String> {
    let Some(a) = address else { return vec!["No shipping address on this order".into()] };
    let city_line = [a.city.as_deref(), a.state.as_deref(), a.zip.as_deref()]
        .iter()
        .flatten()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    [a.display_name.clone(), a.line_1.clone(), a.line_2.clone(), Some(city_line), a.country.clone()]
        .into_iter()
        .flatten()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Units (packs expanded) and cost of the PO-to-be: Σ net unit price × units over rows with a
/// quantity. `None` if the sum overflows (the model's limits make that unreachable in practice).
pub fn totals(order: &Order) -> (u64, Option<Money>) {
    let mut units = 0u64;
    let mut cost = Some(Money::ZERO);
    for (_, row) in order.size_rows().filter(|(_, r)| r.units() > 0) {
        units += row.units();
        let line = net_unit_price(row.price, order.discount).checked_mul(row.units());
        cost = cost.zip(line).and_then(|(c, l)| c.checked_add(l));
    }
    (units, cost)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nuorder::model::parse_order_value;
    use serde_json::json;

    #[test]
    fn totals_apply_the_discount_per_unit_and_expand_packs() {
        let order = parse_order_value(&json!({
            "_id": "o1", "order_number": "1", "currency_code": "USD", "discount": 10,
            "line_items": [{"product": {"_id": "p1", "style_number": "S", "color": "RED", "brand_id": "S-R"},
                "sizes": [{"size": "S", "quantity": 2, "price": 10.05, "original_price": 10.05, "upc": "012345678905"},
                          {"size": "M", "quantity": 1, "price": 20, "original_price": 20, "units_per_pack": 6, "upc": "012345678912"},
                          {"size": "L", "quantity": 0, "price": 20, "original_price": 20, "upc": "012345678929"}]}]
        }))
        .unwrap();
        let (units, cost) = totals(&order);
        assert_eq!(units, 8);
        // 10.05 × 0.9 = 9.045 → 9.05 (half away from zero); 2 × 9.05 + 6 × 18.00 = 126.10
        assert_eq!(cost.unwrap(), Money::from_micros(126_100_000));
    }

    #[test]
    fn address_lines_skip_empty_parts() {
        let a = Address {
            display_name: None,
            line_1: Some("48 Orchard St".into()),
            line_2: Some("  ".into()),
            city: Some("Burlington".into()),
            state: Some("VT".into()),
            zip: Some("05401".into()),
            country: Some("USA".into()),
        };
        assert_eq!(address_lines(Some(&a)), vec!["48 Orchard St", "Burlington VT 05401", "USA"]);
        assert_eq!(address_lines(None).len(), 1);
    }
}
