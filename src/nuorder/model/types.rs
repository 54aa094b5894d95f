//! Step 2's result: the validated order and product, typed.

use crate::core::money::{Money, Percent};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// A three-letter currency code, upper case (`USD`, `CAD`, `EUR`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct CurrencyCode(String);

impl CurrencyCode {
    /// Accepts three ASCII letters (any case; stored upper case).
    pub fn parse(text: &str) -> Option<CurrencyCode> {
        let t = text.trim();
        (t.len() == 3 && t.bytes().all(|b| b.is_ascii_alphabetic())).then(|| CurrencyCode(t.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CurrencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A NuORDER date or date-time as sent (`2026-09-15T00:00:00.000Z`), checked to start with a real
/// calendar date. [`Timestamp::date`] gives the `YYYY-MM-DD` part (what Lightspeed's date fields take).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Timestamp(String);

impl Timestamp {
    pub fn parse(text: &str) -> Option<Timestamp> {
        let t = text.trim();
        let b = t.as_bytes();
        if b.len() < 10 || b.len() > 40 || !t.is_ascii() {
            return None;
        }
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if !(digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10)) {
            return None;
        }
        let year: u32 = t[0..4].parse().ok()?;
        let month: u32 = t[5..7].parse().ok()?;
        let day: u32 = t[8..10].parse().ok()?;
        let days = crate::core::dates::days_in_month(year, month)?;
        if year == 0 || day == 0 || day > days {
            return None;
        }
        if b.len() > 10 {
            if b[10] != b'T' && b[10] != b' ' {
                return None;
            }
            if !b[11..].iter().all(|c| c.is_ascii_alphanumeric() || b":.+-Z".contains(c)) {
                return None;
            }
        }
        Some(Timestamp(t.to_string()))
    }

    /// The `YYYY-MM-DD` part.
    pub fn date(&self) -> &str {
        &self.0[..10]
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// NuORDER's order statuses (`nuorder.md` §2.2); anything else is kept as [`OrderStatus::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Draft,
    Review,
    Pending,
    Approved,
    Processed,
    Shipped,
    Cancelled,
    Other(String),
}

impl OrderStatus {
    /// A status as NuORDER writes it (any case; `canceled` is `cancelled`).
    pub fn from_text(s: &str) -> OrderStatus {
        match s.to_ascii_lowercase().as_str() {
            "draft" => OrderStatus::Draft,
            "review" => OrderStatus::Review,
            "pending" => OrderStatus::Pending,
            "approved" => OrderStatus::Approved,
            "processed" => OrderStatus::Processed,
            "shipped" => OrderStatus::Shipped,
            "cancelled" | "canceled" => OrderStatus::Cancelled,
            _ => OrderStatus::Other(s.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            OrderStatus::Draft => "draft",
            OrderStatus::Review => "review",
            OrderStatus::Pending => "pending",
            OrderStatus::Approved => "approved",
            OrderStatus::Processed => "processed",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Other(s) => s,
        }
    }
}

/// A validated NuORDER order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Order {
    /// `_id`: NuORDER's internal id.
    pub id: String,
    /// `order_number`, as shown in NuORDER ("Order #").
    pub order_number: String,
    pub status: Option<OrderStatus>,
    pub currency: CurrencyCode,
    /// `customer_po_number` (None when empty).
    pub customer_po: Option<String>,
    pub rep: Rep,
    pub retailer: Option<Retailer>,
    pub shipping_address: Option<Address>,
    pub start_ship: Option<Timestamp>,
    pub end_ship: Option<Timestamp>,
    pub created_on: Option<Timestamp>,
    /// Order-level discount (`discount`), 0–100 %; zero when absent.
    pub discount: Percent,
    /// `order_discounts.shipping_final_amount` (never negative).
    pub shipping: Option<Money>,
    /// `order_discounts.surcharge` (may be negative, as Lightspeed's `otherCost` may).
    pub surcharge: Option<Money>,
    /// `total`, the order's total as NuORDER shows it (the orders list's Total); `None` when
    /// absent or not an amount (it is only compared, never written).
    pub total: Option<Money>,
    /// `__brand_name`; absent on some real orders (the brand then comes from the page).
    pub brand_name: Option<String>,
    /// `notes`; `None` when absent, longer than `MAX_NOTES_CHARS` or holding a control character
    /// other than tab and line breaks (never written to the PO, so it never refuses an order).
    pub notes: Option<String>,
    pub lines: Vec<Line>,
}

impl Order {
    /// Every size row with its line, in document order.
    pub fn size_rows(&self) -> impl Iterator<Item = (&Line, &SizeRow)> {
        self.lines.iter().flat_map(|l| l.sizes.iter().map(move |s| (l, s)))
    }

    /// Units over all size rows (`quantity × units_per_pack`).
    pub fn total_units(&self) -> u64 {
        self.size_rows().map(|(_, s)| s.units()).sum()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Rep {
    pub name: Option<String>,
    pub code: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Retailer {
    pub id: Option<String>,
    pub name: Option<String>,
    pub code: Option<String>,
    pub buyer_name: Option<String>,
    pub buyer_email: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Address {
    pub display_name: Option<String>,
    pub line_1: Option<String>,
    pub line_2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
    pub country: Option<String>,
}

/// One order line: one product (style + season + color) and its size rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    pub product: LineProduct,
    pub sizes: Vec<SizeRow>,
    /// The MSRP the order shows for the line (`retail_string`, `"$45.00"`), in the order's
    /// currency: the only retail price on a line (nuorder.md §3.2), for when the product's own
    /// pricing is not at hand. Display text: `None` when absent or unreadable, never a refusal.
    pub retail_shown: Option<Money>,
}

/// `line_items[].product`: the order line's product reference (no name, no pricing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineProduct {
    /// NuORDER product `_id` (the key for `GET /api/product/{_id}` and for saved links).
    pub id: String,
    pub style_number: String,
    pub color: Option<String>,
    pub season: Option<String>,
    /// The brand's external product id (style + color level); absent on some real orders.
    pub brand_id: Option<String>,
}

/// One size of a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SizeRow {
    pub size: Option<String>,
    /// The UPC/EAN exactly as sent (may be `"N/A"`, have leading zeros, or be 13 digits);
    /// deciding what is a usable code is the export engine's job. A UPC sent as a JSON number is
    /// kept as its digits.
    pub upc: Option<String>,
    /// Number ordered (packs when `units_per_pack` > 1); 0 is allowed (a cancelled size).
    pub quantity: u32,
    /// Unit price after line-level discounts.
    pub price: Money,
    /// Unit price before line-level discounts (`price` when absent).
    pub original_price: Money,
    /// `price_precise`, when NuORDER sends a more precise unit price.
    pub price_precise: Option<Money>,
    /// Units in one pack; 1 when absent.
    pub units_per_pack: u32,
}

impl SizeRow {
    /// Units ordered: `quantity × units_per_pack`.
    pub fn units(&self) -> u64 {
        u64::from(self.quantity) * u64::from(self.units_per_pack)
    }
}

/// A validated NuORDER product document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Product {
    pub id: String,
    pub name: Option<String>,
    pub style_number: Option<String>,
    pub color: Option<String>,
    pub season: Option<String>,
    pub brand_id: Option<String>,
    /// `pricing`, by currency.
    pub pricing: BTreeMap<CurrencyCode, Pricing>,
    pub sizes: Vec<ProductSize>,
}

impl Product {
    /// `pricing.{currency}.retail`.
    pub fn retail(&self, currency: &CurrencyCode) -> Option<Money> {
        self.pricing.get(currency).and_then(|p| p.retail)
    }

    /// `pricing.{currency}.wholesale`.
    pub fn wholesale(&self, currency: &CurrencyCode) -> Option<Money> {
        self.pricing.get(currency).and_then(|p| p.wholesale)
    }

    /// The retail price of one size: the size's own pricing (price-per-size brands), else the
    /// product's.
    pub fn retail_for_size(&self, size: &str, currency: &CurrencyCode) -> Option<Money> {
        self.sizes
            .iter()
            .find(|s| s.size.as_deref() == Some(size))
            .and_then(|s| s.pricing.get(currency))
            .and_then(|p| p.retail)
            .or_else(|| self.retail(currency))
    }
}

/// One currency's prices.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Pricing {
    pub wholesale: Option<Money>,
    pub retail: Option<Money>,
    pub disabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProductSize {
    pub size: Option<String>,
    /// As sent (see [`SizeRow::upc`]).
    pub upc: Option<String>,
    pub ean: Option<String>,
    pub pricing: BTreeMap<CurrencyCode, Pricing>,
}
