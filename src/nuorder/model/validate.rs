//! Step 2: a raw document checked value by value into the typed [`Order`] / [`Product`]; the first
//! problem found is returned, naming its field.

use super::checks::{
    amount, count, leaf_text, opt_amount, opt_bool, opt_code_raw, opt_text, opt_timestamp, req_amount, req_text,
    shown_amount, TextKind,
};
use super::errors::{at, fail, product_error, Check, ModelError, Reason};
use super::limits::{
    MAX_LINES, MAX_NOTES_CHARS, MAX_PRODUCT_SIZES, MAX_QUANTITY, MAX_SIZE_ROWS, MAX_TEXT_CHARS, MAX_UNITS_PER_PACK,
};
use super::raw::{RawAddress, RawLineItem, RawOrder, RawPricing, RawProduct, RawRetailer, RawSize};
use super::types::*;
use crate::core::money::{Money, Percent};
use crate::core::scalar::{snippet, Scalar};
use std::collections::BTreeMap;

impl RawOrder {
    /// Checks every value and builds the typed [`Order`]; the first problem found is returned,
    /// naming its field.
    pub fn validate(&self) -> Result<Order, ModelError> {
        self.check().map_err(|e| ModelError::InvalidOrder { field: e.field, reason: e.reason })
    }

    fn check(&self) -> Check<Order> {
        use TextKind::{Code, Prose};
        let order_number = req_text("", "order_number", &self.order_number, Code)?;
        let id = req_text("", "_id", &self.id, Code)?;
        let currency = self.check_currency()?;
        let status = opt_text("", "status", &self.status, Code, MAX_TEXT_CHARS)?.map(|s| OrderStatus::from_text(&s));
        let customer_po = opt_text("", "customer_po_number", &self.customer_po_number, Prose, MAX_TEXT_CHARS)?;
        let rep = self.check_rep()?;
        let retailer = self.retailer.as_ref().map(|r| r.check("retailer")).transpose()?;
        let shipping_address = self.shipping_address.as_ref().map(|a| a.check("shipping_address")).transpose()?;
        let start_ship = opt_timestamp("", "start_ship", &self.start_ship)?;
        let end_ship = opt_timestamp("", "end_ship", &self.end_ship)?;
        let created_on = opt_timestamp("", "created_on", &self.created_on)?;
        let discount = self.check_discount()?;
        let (shipping, surcharge) = self.check_charges()?;
        let total = opt_amount("", "total", &self.total, false).ok().flatten();
        let brand_name = opt_text("", "__brand_name", &self.brand_name, Prose, MAX_TEXT_CHARS)?;
        // Never written to the PO: a note too long or with a stray control character is left out
        // rather than refusing an order the retailer could otherwise export.
        let notes = opt_text("", "notes", &self.notes, Prose, MAX_NOTES_CHARS).ok().flatten();
        let lines = self.check_lines()?;
        Ok(Order {
            id,
            order_number,
            status,
            currency,
            customer_po,
            rep,
            retailer,
            shipping_address,
            start_ship,
            end_ship,
            created_on,
            discount,
            shipping,
            surcharge,
            total,
            brand_name,
            notes,
            lines,
        })
    }

    fn check_currency(&self) -> Check<CurrencyCode> {
        match &self.currency_code {
            None | Some(Scalar::Null) => fail("", "currency_code", Reason::Missing),
            Some(v) => {
                let s = leaf_text("", "currency_code", v)?;
                CurrencyCode::parse(&s)
                    .ok_or(())
                    .or_else(|_| fail("", "currency_code", Reason::NotACurrency { got: snippet(&s) }))
            }
        }
    }

    fn check_rep(&self) -> Check<Rep> {
        use TextKind::{Code, Prose};
        Ok(Rep {
            name: opt_text("", "rep_name", &self.rep_name, Prose, MAX_TEXT_CHARS)?,
            code: opt_text("", "rep_code", &self.rep_code, Code, MAX_TEXT_CHARS)?,
            email: opt_text("", "rep_email", &self.rep_email, Code, MAX_TEXT_CHARS)?,
        })
    }

    /// The order-level discount: a percentage from 0 to 100 (none when blank).
    fn check_discount(&self) -> Check<Percent> {
        match &self.discount {
            Some(v) if !v.is_blank() => {
                let m = amount("", "discount", v, true)?;
                if m.is_negative() || m.micros() > 100 * Percent::MICROS_PER_POINT {
                    return fail(
                        "",
                        "discount",
                        Reason::OutOfRange { got: v.describe(), min: "0".into(), max: "100".into() },
                    );
                }
                Ok(Percent::from_micros(m.micros()))
            }
            _ => Ok(Percent::ZERO),
        }
    }

    /// Shipping and surcharge from `order_discounts`.
    fn check_charges(&self) -> Check<(Option<Money>, Option<Money>)> {
        match &self.order_discounts {
            None => Ok((None, None)),
            Some(d) => Ok((
                opt_amount("order_discounts", "shipping_final_amount", &d.shipping_final_amount, false)?,
                opt_amount("order_discounts", "surcharge", &d.surcharge, true)?,
            )),
        }
    }

    fn check_lines(&self) -> Check<Vec<Line>> {
        let raw_lines = match &self.line_items {
            None => return fail("", "line_items", Reason::NoLines),
            Some(l) if l.is_empty() => return fail("", "line_items", Reason::NoLines),
            Some(l) => l,
        };
        // The pre-pass already enforces this on text input; values built in code come here directly.
        let rows: usize = raw_lines.iter().map(|l| l.sizes.as_ref().map_or(0, Vec::len)).sum();
        if rows > MAX_SIZE_ROWS || raw_lines.len() > MAX_LINES {
            return fail("", "line_items", Reason::TooMany { count: rows.max(raw_lines.len()), max: MAX_SIZE_ROWS });
        }
        raw_lines.iter().enumerate().map(|(i, line)| line.check(&format!("line_items[{i}]"))).collect()
    }
}

impl RawRetailer {
    fn check(&self, p: &str) -> Check<Retailer> {
        use TextKind::{Code, Prose};
        Ok(Retailer {
            id: opt_text(p, "_id", &self.id, Code, MAX_TEXT_CHARS)?,
            name: opt_text(p, "retailer_name", &self.retailer_name, Prose, MAX_TEXT_CHARS)?,
            code: opt_text(p, "retailer_code", &self.retailer_code, Code, MAX_TEXT_CHARS)?,
            buyer_name: opt_text(p, "buyer_name", &self.buyer_name, Prose, MAX_TEXT_CHARS)?,
            buyer_email: opt_text(p, "buyer_email", &self.buyer_email, Code, MAX_TEXT_CHARS)?,
        })
    }
}

impl RawAddress {
    fn check(&self, p: &str) -> Check<Address> {
        use TextKind::Prose;
        Ok(Address {
            display_name: opt_text(p, "display_name", &self.display_name, Prose, MAX_TEXT_CHARS)?,
            line_1: opt_text(p, "line_1", &self.line_1, Prose, MAX_TEXT_CHARS)?,
            line_2: opt_text(p, "line_2", &self.line_2, Prose, MAX_TEXT_CHARS)?,
            city: opt_text(p, "city", &self.city, Prose, MAX_TEXT_CHARS)?,
            state: opt_text(p, "state", &self.state, Prose, MAX_TEXT_CHARS)?,
            zip: opt_text(p, "zip", &self.zip, Prose, MAX_TEXT_CHARS)?,
            country: opt_text(p, "country", &self.country, Prose, MAX_TEXT_CHARS)?,
        })
    }
}

impl RawLineItem {
    fn check(&self, p: &str) -> Check<Line> {
        use TextKind::Code;
        let raw = match &self.product {
            Some(raw) => raw,
            None => return fail(p, "product", Reason::Missing),
        };
        let pp = at(p, "product");
        let product = LineProduct {
            id: req_text(&pp, "_id", &raw.id, Code)?,
            style_number: req_text(&pp, "style_number", &raw.style_number, Code)?,
            color: opt_text(&pp, "color", &raw.color, Code, MAX_TEXT_CHARS)?,
            season: opt_text(&pp, "season", &raw.season, Code, MAX_TEXT_CHARS)?,
            brand_id: opt_text(&pp, "brand_id", &raw.brand_id, Code, MAX_TEXT_CHARS)?,
        };
        let raw_sizes = match &self.sizes {
            Some(s) if !s.is_empty() => s,
            _ => return fail(p, "sizes", Reason::NoSizes),
        };
        let mut sizes = Vec::with_capacity(raw_sizes.len());
        for (j, s) in raw_sizes.iter().enumerate() {
            sizes.push(s.check(&format!("{p}.sizes[{j}]"))?);
        }
        Ok(Line { product, sizes, retail_shown: shown_amount(&self.retail_string) })
    }
}

impl RawSize {
    fn check(&self, p: &str) -> Check<SizeRow> {
        let size = opt_text(p, "size", &self.size, TextKind::Code, MAX_TEXT_CHARS)?;
        let upc = opt_code_raw(p, "upc", &self.upc)?;
        // A row must be identifiable: a size name, or a code with at least one digit ("N/A" is not one).
        let has_code = upc.as_deref().is_some_and(|u| u.bytes().any(|b| b.is_ascii_digit()));
        if size.is_none() && !has_code {
            return fail(p, "", Reason::NoSizeOrUpc);
        }
        let quantity = match &self.quantity {
            None | Some(Scalar::Null) => return fail(p, "quantity", Reason::Missing),
            Some(v) => count(p, "quantity", v, MAX_QUANTITY)?,
        };
        let price = req_amount(p, "price", &self.price)?;
        let original_price = opt_amount(p, "original_price", &self.original_price, false)?.unwrap_or(price);
        let price_precise = opt_amount(p, "price_precise", &self.price_precise, false)?;
        let units_per_pack = match &self.units_per_pack {
            Some(v) if !v.is_blank() => {
                let n = count(p, "units_per_pack", v, MAX_UNITS_PER_PACK)?;
                if n == 0 {
                    return fail(
                        p,
                        "units_per_pack",
                        Reason::OutOfRange { got: v.describe(), min: "1".into(), max: MAX_UNITS_PER_PACK.to_string() },
                    );
                }
                n
            }
            _ => 1,
        };
        Ok(SizeRow { size, upc, quantity, price, original_price, price_precise, units_per_pack })
    }
}

impl RawProduct {
    /// Checks every value and builds the typed [`Product`].
    pub fn validate(&self) -> Result<Product, ModelError> {
        self.check().map_err(|e| product_error("", e))
    }

    pub(super) fn check(&self) -> Check<Product> {
        use TextKind::{Code, Prose};
        let id = req_text("", "_id", &self.id, Code)?;
        let pricing = check_pricing("pricing", &self.pricing)?;
        let raw_sizes = self.sizes.as_deref().unwrap_or_default();
        if raw_sizes.len() > MAX_PRODUCT_SIZES {
            return fail("", "sizes", Reason::TooMany { count: raw_sizes.len(), max: MAX_PRODUCT_SIZES });
        }
        let mut sizes = Vec::with_capacity(raw_sizes.len());
        for (j, s) in raw_sizes.iter().enumerate() {
            let p = format!("sizes[{j}]");
            sizes.push(ProductSize {
                size: opt_text(&p, "size", &s.size, Code, MAX_TEXT_CHARS)?,
                upc: opt_code_raw(&p, "upc", &s.upc)?,
                ean: opt_code_raw(&p, "ean", &s.ean)?,
                pricing: check_pricing(&at(&p, "pricing"), &s.pricing)?,
            });
        }
        Ok(Product {
            id,
            name: opt_text("", "name", &self.name, Prose, MAX_TEXT_CHARS)?,
            style_number: opt_text("", "style_number", &self.style_number, Code, MAX_TEXT_CHARS)?,
            color: opt_text("", "color", &self.color, Code, MAX_TEXT_CHARS)?,
            season: opt_text("", "season", &self.season, Code, MAX_TEXT_CHARS)?,
            brand_id: opt_text("", "brand_id", &self.brand_id, Code, MAX_TEXT_CHARS)?,
            pricing,
            sizes,
        })
    }
}

/// `pricing` keyed by currency. Keys that are not currency codes are ignored, like unknown fields.
pub(super) fn check_pricing(
    p: &str,
    raw: &Option<BTreeMap<String, RawPricing>>,
) -> Check<BTreeMap<CurrencyCode, Pricing>> {
    let mut out = BTreeMap::new();
    for (key, r) in raw.iter().flatten() {
        let Some(code) = CurrencyCode::parse(key) else {
            continue;
        };
        let pk = at(p, key);
        out.insert(
            code,
            Pricing {
                wholesale: opt_amount(&pk, "wholesale", &r.wholesale, false)?,
                retail: opt_amount(&pk, "retail", &r.retail, false)?,
                disabled: opt_bool(&r.disabled),
            },
        );
    }
    Ok(out)
}
