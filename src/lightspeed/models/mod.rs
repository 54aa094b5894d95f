//! Lightspeed Retail (R-Series) V3 resources we read and write, with the wire's quirks absorbed.
//!
//! Read models (`Item`, `Order`, …) derive `Deserialize` only and accept what the API really sends
//! (see [`super::wire`]): string scalars, one-element collections as objects, absent empty
//! collections and omitted unset dates; unknown fields are ignored. Write payloads (`ItemWrite`,
//! `OrderWrite`, …) derive `Serialize` only and omit every `None` field, so one type serves POST
//! (create) and partial PUT (update: omitted = unchanged).
//!
//! **Ids** are `u64` newtypes ([`ItemId`], [`OrderId`], …): Lightspeed's ids are decimal integers
//! sent as strings; they are read from a string or a number and written back as strings. A foreign
//! key of `"0"` means "none" and reads as `None` (`Item.item_matrix_id`, `Order.vendor_id`, …);
//! `ItemShop.shop_id` keeps `0` because shop 0 is the account-wide summary row.
//!
//! **Amounts** are [`Money`](crate::core::Money) (exact decimal, shared with the NuORDER model); written as decimal
//! strings (`"18.00"`). Dates and timestamps stay the strings Lightspeed sends (ISO-8601).

mod accounts;
mod envelope;
mod items;
mod orders;
mod vendors;

pub use crate::core::ids::{
    AccountId, CategoryId, ItemAttributeSetId, ItemId, ItemMatrixId, ManufacturerId, NoteId, OrderId, OrderLineId,
    ShopId, TaxClassId, VendorId,
};
pub use accounts::*;
pub use envelope::*;
pub use items::*;
pub use orders::*;
pub use vendors::*;

use super::wire::Record;

macro_rules! record {
    ($($t:ident => $key:literal),* $(,)?) => {
        $(impl Record for $t { const KEY: &'static str = $key; })*
    };
}

record! {
    Account => "Account",
    Shop => "Shop",
    Vendor => "Vendor",
    Manufacturer => "Manufacturer",
    Category => "Category",
    ItemAttributeSet => "ItemAttributeSet",
    ItemMatrix => "ItemMatrix",
    Item => "Item",
    ItemPrice => "ItemPrice",
    ItemVendorNum => "ItemVendorNum",
    ItemShop => "ItemShop",
    Order => "Order",
    OrderLine => "OrderLine",
    ContactAddress => "ContactAddress",
    ContactPhone => "ContactPhone",
    ContactEmail => "ContactEmail",
    ContactWebsite => "ContactWebsite",
    VendorRep => "VendorRep",
    ItemPriceWrite => "ItemPrice",
    ItemVendorNumWrite => "ItemVendorNum",
}
