//! The NuORDER order and product documents, parsed and validated into typed values.
//!
//! Two steps, so that what NuORDER really sends is accepted and what makes no sense is refused with
//! a message that names the field and the line:
//!
//! 1. **Raw parse** into [`RawOrder`] / [`RawProduct`]: serde structs that ignore unknown fields
//!    (NuORDER documents carry dozens of `__`-prefixed roll-ups), accept numbers that arrive as
//!    strings and strings that arrive as numbers ([`Scalar`]), and treat missing, `null` and `""`
//!    alike for optional values. A cheap pre-pass counts lines and size rows before anything is
//!    allocated, so a hostile document cannot make us build millions of rows.
//! 2. **Validate** ([`RawOrder::validate`], [`RawProduct::validate`]) into [`Order`] / [`Product`]:
//!    required fields present, quantities whole and bounded, prices decimal and non-negative, text
//!    bounded in length and free of control characters where they make no sense.
//!
//! Text stays text: HTML such as `<img src=x onerror=alert(1)>` in a name is legal data and is kept
//! byte for byte; escaping is the renderer's job. Identifiers and codes are trimmed of surrounding
//! whitespace; free text (names, addresses, notes) and UPCs are kept exactly as sent.
//!
//! **Money** is [`Money`]: a fixed-point amount in millionths of the currency unit (`i64` micros),
//! never a float. Six decimals keep NuORDER's sub-cent prices (`18.375`, `price_precise`) exact;
//! digits past the sixth are rounded half away from zero when parsed. Prices that arrive as JSON
//! numbers are read through their shortest round-trip decimal form (`376.2` stays `376.2`), so no
//! binary-float error reaches the amount. Arithmetic is checked (`Option` on overflow) and rounding
//! to the cent is explicit ([`Money::round_to_cents`]).
//!
//! Entry points: [`parse_order`], [`parse_order_value`], [`parse_product`], [`parse_products`],
//! [`parse_products_value`]. Errors are [`ModelError`].

mod checks;
mod errors;
mod limits;
mod parse;
mod prepass;
mod raw;
#[cfg(test)]
mod tests;
mod types;
mod validate;

pub use crate::core::scalar::Scalar;
pub use crate::core::{DecimalError, Money, Percent};
pub use errors::{Document, ModelError, Reason};
pub use limits::*;
pub use parse::{parse_order, parse_order_value, parse_product, parse_products, parse_products_value};
pub use raw::*;
pub use types::*;
