//! The markers that tie a NuORDER order to its Lightspeed PO: our `refNum` (`NuORDER <n>`) and the
//! first-party integration's `b2bOrderNumber` (`n`), and the one "already exported" rule over
//! them ([`marked_numbers`], [`existing_po`]). Used by the read declaration, the PO header, the
//! job's check and the order-list badges.

use crate::lightspeed::{Order as LsOrder, OrderId};

/// `NuORDER 40718822` (a leading `#` in the number is dropped).
pub fn ref_num(order_number: &str) -> String {
    format!("NuORDER {}", bare_number(order_number))
}

/// The order number as the PO markers carry it: trimmed, without a leading `#`.
pub fn bare_number(order_number: &str) -> &str {
    order_number.trim().trim_start_matches('#').trim()
}

/// The bare order numbers a Lightspeed PO marks as exported: its `refNum` `NuORDER <n>` (ours)
/// and its `b2bOrderNumber` `n` (the first-party integration's). The one "already exported" rule:
/// [`existing_po`] and the runner's batch check both use it.
pub fn marked_numbers(po: &LsOrder) -> impl Iterator<Item = &str> {
    let ours = po.ref_num.as_deref().and_then(|r| r.trim().strip_prefix("NuORDER ")).map(str::trim);
    let first_party = po.b2b_order_number.as_deref().map(str::trim);
    ours.into_iter().chain(first_party).filter(|n| !n.is_empty())
}

/// The PO that marks `order_number` exported (either marker of [`marked_numbers`]; archived POs
/// count). Lowest id wins.
pub fn existing_po(order_number: &str, orders: &[LsOrder]) -> Option<OrderId> {
    let bare = bare_number(order_number);
    orders.iter().filter(|o| marked_numbers(o).any(|n| n == bare)).map(|o| o.order_id).min()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn po(id: u64, ref_num: Option<&str>, b2b: Option<&str>) -> LsOrder {
        let mut v = serde_json::json!({"orderID": id.to_string(), "archived": "false"});
        if let Some(r) = ref_num {
            v["refNum"] = r.into();
        }
        if let Some(b) = b2b {
            v["b2bOrderNumber"] = b.into();
        }
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn a_po_marks_the_numbers_of_either_marker() {
        let rows: [(Option<&str>, Option<&str>, &[&str]); 7] = [
            (Some("NuORDER 40718822"), None, &["40718822"]),
            (Some(" NuORDER  40718822 "), None, &["40718822"]),
            (None, Some("40718822"), &["40718822"]),
            (Some("NuORDER 1"), Some("2"), &["1", "2"]),
            (Some("40718822"), None, &[]), // not our marker
            (Some("NuORDER "), Some(""), &[]),
            (None, None, &[]),
        ];
        for (r, b, want) in rows {
            let o = po(1, r, b);
            assert_eq!(marked_numbers(&o).collect::<Vec<_>>(), want, "{r:?} {b:?}");
        }
    }

    #[test]
    fn existing_po_is_the_lowest_marking_po() {
        let orders = [
            po(12, Some("NuORDER 4071882"), None),
            po(30, None, Some("40718822")),
            po(25, Some("NuORDER 40718822"), None),
        ];
        assert_eq!(existing_po("#40718822", &orders), Some(OrderId(25)));
        assert_eq!(existing_po("40718822", &orders[..2]), Some(OrderId(30)));
        assert_eq!(existing_po("40718822", &orders[..1]), None);
    }
}
