//! Bounds on what a NuORDER document may hold, so a hostile document cannot make us build
//! millions of rows or accept absurd amounts.

use crate::core::money::Money;

/// The largest order document accepted, in bytes of JSON (a 5,000-row order is about 5 MB).
pub const MAX_ORDER_BYTES: usize = 8 * 1024 * 1024;
/// The largest products document (an array of product documents) accepted, in bytes of JSON.
pub const MAX_PRODUCTS_BYTES: usize = 32 * 1024 * 1024;
/// Size rows in one order, all lines together.
pub const MAX_SIZE_ROWS: usize = 5_000;
/// Lines in one order (each needs at least one size row, so this is never the binding limit for a
/// valid order; it bounds the pre-pass).
pub const MAX_LINES: usize = MAX_SIZE_ROWS;
/// The largest quantity on one size row.
pub const MAX_QUANTITY: u32 = 100_000;
/// The largest `units_per_pack`.
pub const MAX_UNITS_PER_PACK: u32 = 10_000;
/// The largest unit price or order-level amount: ten million currency units.
pub const MAX_AMOUNT: Money = Money::from_micros(10_000_000 * Money::MICROS_PER_UNIT);
/// Characters in one text field (names, codes, addresses…).
pub const MAX_TEXT_CHARS: usize = 1_000;
/// Characters in the order's notes.
pub const MAX_NOTES_CHARS: usize = 4_000;
/// Products in one products document.
pub const MAX_PRODUCTS: usize = 5_000;
/// Size rows in one product.
pub const MAX_PRODUCT_SIZES: usize = 1_000;
/// Size rows over all products of one products document.
pub const MAX_PRODUCT_SIZE_ROWS: usize = 50_000;
