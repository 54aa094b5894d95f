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
//! **Amounts** are [`Money`] (exact decimal, shared with the NuORDER model); written as decimal
//! strings (`"18.00"`). Dates and timestamps stay the strings Lightspeed sends (ISO-8601).

use super::wire::{
    de_bool, de_i64, de_money, de_one_or_many, de_opt_bool, de_opt_i64, de_opt_id, de_opt_money, de_opt_object,
    de_opt_string, de_opt_u64, de_string, de_string_list, de_wrapped, id_type, ser_display, ser_opt_display,
    ser_wrapped, Record,
};
use crate::nuorder::model::Money;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::marker::PhantomData;

id_type!(
    /// `accountID`
    AccountId
);
id_type!(
    /// `shopID` (0 is the account-wide summary in `ItemShops`)
    ShopId
);
id_type!(
    /// `vendorID`
    VendorId
);
id_type!(
    /// `manufacturerID`
    ManufacturerId
);
id_type!(
    /// `categoryID`
    CategoryId
);
id_type!(
    /// `itemAttributeSetID` (1 Color/Size, 2 Size, 3 Color, 4 three attributes in a stock account)
    ItemAttributeSetId
);
id_type!(
    /// `itemMatrixID`
    ItemMatrixId
);
id_type!(
    /// `itemID`
    ItemId
);
id_type!(
    /// `orderID` (a purchase order)
    OrderId
);
id_type!(
    /// `orderLineID`
    OrderLineId
);
id_type!(
    /// `noteID`
    NoteId
);
id_type!(
    /// `taxClassID`
    TaxClassId
);

impl ItemAttributeSetId {
    /// The stock "Color/Size" set (attribute1 = Color, attribute2 = Size).
    pub const COLOR_SIZE: ItemAttributeSetId = ItemAttributeSetId(1);
    /// The stock "Size" set (attribute1 empty, attribute2 = Size).
    pub const SIZE: ItemAttributeSetId = ItemAttributeSetId(2);
}

/// Price levels in `Prices.ItemPrice.useTypeID`.
pub mod use_type {
    pub const DEFAULT: u64 = 1;
    pub const MSRP: u64 = 2;
    pub const ONLINE: u64 = 3;
}

// ------------------------------------------------------------------------------------------------
// Envelopes
// ------------------------------------------------------------------------------------------------

/// `@attributes` of a response: `count` (V2 and V3 single records), V2 offset paging
/// (`offset`, `limit`) or V3 cursors (`next`, `previous`: full URLs, `""` at the ends → `None`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Attributes {
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub count: Option<u64>,
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub offset: Option<u64>,
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub limit: Option<u64>,
    #[serde(default, deserialize_with = "de_opt_string")]
    pub next: Option<String>,
    #[serde(default, deserialize_with = "de_opt_string")]
    pub previous: Option<String>,
}

impl Attributes {
    /// The `after` cursor of `next`, still URL-encoded, to reissue with the original query
    /// (integrators saw filters dropped from `next` URLs).
    pub fn next_after(&self) -> Option<&str> {
        let next = self.next.as_deref()?;
        let query = next.split_once('?')?.1;
        query.split('&').find_map(|kv| kv.strip_prefix("after=")).filter(|v| !v.is_empty())
    }
}

/// A response body: `{"@attributes": {...}, "<Resource>": one-or-many}`; the records are empty
/// when the key is absent (no results). Other keys are ignored.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope<T> {
    pub attributes: Attributes,
    pub records: Vec<T>,
}

impl<T> Envelope<T> {
    /// The one record of a single-record response.
    pub fn into_single(self) -> Option<T> {
        self.records.into_iter().next()
    }
}

impl<'de, T: Record + DeserializeOwned> Deserialize<'de> for Envelope<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Record + DeserializeOwned> Visitor<'de> for V<T> {
            type Value = Envelope<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "a Lightspeed response object with {:?} records", T::KEY)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope<T>, A::Error> {
                let mut attributes = Attributes::default();
                let mut records = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "@attributes" {
                        attributes = map.next_value()?;
                    } else if key == T::KEY {
                        records = map.next_value_seed(Many::<T>(PhantomData))?;
                    } else {
                        map.next_value::<de::IgnoredAny>()?;
                    }
                }
                Ok(Envelope { attributes, records })
            }
        }
        struct Many<T>(PhantomData<T>);
        impl<'de, T: DeserializeOwned> de::DeserializeSeed<'de> for Many<T> {
            type Value = Vec<T>;
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
                de_one_or_many(d)
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

// ------------------------------------------------------------------------------------------------
// Error bodies and OAuth
// ------------------------------------------------------------------------------------------------

/// The REST error body: `{"httpCode":"400","httpMessage":"Bad Request","message":"…",
/// "errorClass":"Exception"}` (`httpCode` a string; served as `text/html` at times).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RestError {
    #[serde(rename = "httpCode", deserialize_with = "de_i64")]
    pub http_code: i64,
    #[serde(rename = "httpMessage", default, deserialize_with = "de_opt_string")]
    pub http_message: Option<String>,
    #[serde(default, deserialize_with = "de_string")]
    pub message: String,
    #[serde(rename = "errorClass", default, deserialize_with = "de_opt_string")]
    pub error_class: Option<String>,
}

/// The OAuth error body (token endpoint, and 401s from the 2024 OAuth server):
/// `{"error":"access_denied","error_description":"…","hint":"…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct OAuthError {
    #[serde(deserialize_with = "de_string")]
    pub error: String,
    #[serde(default, deserialize_with = "de_opt_string")]
    pub error_description: Option<String>,
    #[serde(default, deserialize_with = "de_opt_string")]
    pub hint: Option<String>,
    #[serde(default, deserialize_with = "de_opt_string")]
    pub message: Option<String>,
}

/// Either error shape.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum ErrorBody {
    Rest(RestError),
    OAuth(OAuthError),
}

impl ErrorBody {
    /// Reads an error body whatever its content type; `None` when it is neither shape.
    pub fn parse(body: &[u8]) -> Option<ErrorBody> {
        serde_json::from_slice(body).ok()
    }

    /// The human-readable part.
    pub fn message(&self) -> &str {
        match self {
            ErrorBody::Rest(e) => &e.message,
            ErrorBody::OAuth(e) => {
                e.error_description.as_deref().or(e.hint.as_deref()).or(e.message.as_deref()).unwrap_or(&e.error)
            }
        }
    }

    /// True for OAuth `invalid_grant` (the refresh token is dead: the user must re-link).
    pub fn is_invalid_grant(&self) -> bool {
        matches!(self, ErrorBody::OAuth(e) if e.error == "invalid_grant")
    }
}

/// The OAuth token response. `Debug` never prints the tokens.
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct TokenResponse {
    #[serde(default, deserialize_with = "de_string")]
    pub token_type: String,
    #[serde(default, deserialize_with = "de_opt_u64")]
    pub expires_in: Option<u64>,
    #[serde(deserialize_with = "de_string")]
    pub access_token: String,
    #[serde(default, deserialize_with = "de_opt_string")]
    pub refresh_token: Option<String>,
    #[serde(default, deserialize_with = "de_opt_string")]
    pub scope: Option<String>,
}

impl fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenResponse")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("access_token", &"<redacted>")
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "<redacted>"))
            .field("scope", &self.scope)
            .finish()
    }
}

// ------------------------------------------------------------------------------------------------
// Resources
// ------------------------------------------------------------------------------------------------

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

/// `Account.json`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Account {
    #[serde(rename = "accountID")]
    pub account_id: AccountId,
    #[serde(default, deserialize_with = "de_string")]
    pub name: String,
    #[serde(rename = "defaultCurrency", default, deserialize_with = "de_opt_object")]
    pub default_currency: Option<Currency>,
}

/// `{code, symbol, rate?}` (account default currency, vendor purchasing currency).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Currency {
    #[serde(default, deserialize_with = "de_string")]
    pub code: String,
    #[serde(default, deserialize_with = "de_opt_string")]
    pub symbol: Option<String>,
    #[serde(default, deserialize_with = "de_opt_money")]
    pub rate: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Shop {
    #[serde(rename = "shopID")]
    pub shop_id: ShopId,
    #[serde(default, deserialize_with = "de_string")]
    pub name: String,
    #[serde(rename = "timeZone", default, deserialize_with = "de_opt_string")]
    pub time_zone: Option<String>,
    #[serde(default, deserialize_with = "de_bool")]
    pub archived: bool,
    #[serde(rename = "timeStamp", default, deserialize_with = "de_opt_string")]
    pub time_stamp: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Vendor {
    #[serde(rename = "vendorID")]
    pub vendor_id: VendorId,
    #[serde(default, deserialize_with = "de_string")]
    pub name: String,
    #[serde(default, deserialize_with = "de_bool")]
    pub archived: bool,
    #[serde(rename = "accountNumber", default, deserialize_with = "de_opt_string")]
    pub account_number: Option<String>,
    #[serde(rename = "priceLevel", default, deserialize_with = "de_opt_string")]
    pub price_level: Option<String>,
    #[serde(rename = "updatePrice", default, deserialize_with = "de_bool")]
    pub update_price: bool,
    #[serde(rename = "updateCost", default, deserialize_with = "de_bool")]
    pub update_cost: bool,
    #[serde(rename = "updateDescription", default, deserialize_with = "de_bool")]
    pub update_description: bool,
    #[serde(rename = "shareSellThrough", default, deserialize_with = "de_bool")]
    pub share_sell_through: bool,
    /// "Unique identifier of the vendor in NuORDER".
    #[serde(rename = "b2bSellerUID", default, deserialize_with = "de_opt_string")]
    pub b2b_seller_uid: Option<String>,
    #[serde(rename = "purchasingCurrency", default, deserialize_with = "de_opt_object")]
    pub purchasing_currency: Option<Currency>,
    #[serde(rename = "timeStamp", default, deserialize_with = "de_opt_string")]
    pub time_stamp: Option<String>,
    #[serde(rename = "Contact", default, deserialize_with = "de_opt_object")]
    pub contact: Option<Contact>,
    #[serde(rename = "Reps", default, deserialize_with = "de_wrapped")]
    pub reps: Vec<VendorRep>,
}

/// A vendor's or shop's contact; each list arrives wrapped, as an object when single, or `""`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Contact {
    #[serde(default, deserialize_with = "de_opt_string")]
    pub custom: Option<String>,
    #[serde(rename = "noEmail", default, deserialize_with = "de_bool")]
    pub no_email: bool,
    #[serde(rename = "noPhone", default, deserialize_with = "de_bool")]
    pub no_phone: bool,
    #[serde(rename = "noMail", default, deserialize_with = "de_bool")]
    pub no_mail: bool,
    #[serde(rename = "Addresses", default, deserialize_with = "de_wrapped")]
    pub addresses: Vec<ContactAddress>,
    #[serde(rename = "Phones", default, deserialize_with = "de_wrapped")]
    pub phones: Vec<ContactPhone>,
    #[serde(rename = "Emails", default, deserialize_with = "de_wrapped")]
    pub emails: Vec<ContactEmail>,
    #[serde(rename = "Websites", default, deserialize_with = "de_wrapped")]
    pub websites: Vec<ContactWebsite>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ContactAddress {
    #[serde(default, deserialize_with = "de_opt_string")]
    pub address1: Option<String>,
    #[serde(default, deserialize_with = "de_opt_string")]
    pub address2: Option<String>,
    #[serde(default, deserialize_with = "de_opt_string")]
    pub city: Option<String>,
    #[serde(default, deserialize_with = "de_opt_string")]
    pub state: Option<String>,
    #[serde(default, deserialize_with = "de_opt_string")]
    pub zip: Option<String>,
    #[serde(default, deserialize_with = "de_opt_string")]
    pub country: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ContactPhone {
    #[serde(default, deserialize_with = "de_string")]
    pub number: String,
    #[serde(rename = "useType", default, deserialize_with = "de_opt_string")]
    pub use_type: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ContactEmail {
    #[serde(default, deserialize_with = "de_string")]
    pub address: String,
    #[serde(rename = "useType", default, deserialize_with = "de_opt_string")]
    pub use_type: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ContactWebsite {
    #[serde(default, deserialize_with = "de_string")]
    pub url: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct VendorRep {
    #[serde(rename = "firstName", default, deserialize_with = "de_opt_string")]
    pub first_name: Option<String>,
    #[serde(rename = "lastName", default, deserialize_with = "de_opt_string")]
    pub last_name: Option<String>,
}

/// A brand (separate from vendors; one per item).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Manufacturer {
    #[serde(rename = "manufacturerID")]
    pub manufacturer_id: ManufacturerId,
    #[serde(default, deserialize_with = "de_string")]
    pub name: String,
    #[serde(rename = "createTime", default, deserialize_with = "de_opt_string")]
    pub create_time: Option<String>,
    #[serde(rename = "timeStamp", default, deserialize_with = "de_opt_string")]
    pub time_stamp: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Category {
    #[serde(rename = "categoryID")]
    pub category_id: CategoryId,
    #[serde(default, deserialize_with = "de_string")]
    pub name: String,
    #[serde(rename = "nodeDepth", default, deserialize_with = "de_opt_u64")]
    pub node_depth: Option<u64>,
    #[serde(rename = "fullPathName", default, deserialize_with = "de_opt_string")]
    pub full_path_name: Option<String>,
    #[serde(rename = "leftNode", default, deserialize_with = "de_opt_u64")]
    pub left_node: Option<u64>,
    #[serde(rename = "rightNode", default, deserialize_with = "de_opt_u64")]
    pub right_node: Option<u64>,
    #[serde(rename = "parentID", default, deserialize_with = "de_opt_id")]
    pub parent_id: Option<CategoryId>,
    #[serde(rename = "createTime", default, deserialize_with = "de_opt_string")]
    pub create_time: Option<String>,
    #[serde(rename = "timeStamp", default, deserialize_with = "de_opt_string")]
    pub time_stamp: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ItemAttributeSet {
    #[serde(rename = "itemAttributeSetID")]
    pub item_attribute_set_id: ItemAttributeSetId,
    #[serde(default, deserialize_with = "de_string")]
    pub name: String,
    #[serde(rename = "attributeName1", default, deserialize_with = "de_opt_string")]
    pub attribute_name1: Option<String>,
    #[serde(rename = "attributeName2", default, deserialize_with = "de_opt_string")]
    pub attribute_name2: Option<String>,
    #[serde(rename = "attributeName3", default, deserialize_with = "de_opt_string")]
    pub attribute_name3: Option<String>,
    #[serde(default, deserialize_with = "de_bool")]
    pub system: bool,
    #[serde(default, deserialize_with = "de_bool")]
    pub archived: bool,
}

/// A product with variants (style + color in our mapping); its variants are `Item`s.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ItemMatrix {
    #[serde(rename = "itemMatrixID")]
    pub item_matrix_id: ItemMatrixId,
    #[serde(default, deserialize_with = "de_string")]
    pub description: String,
    #[serde(default, deserialize_with = "de_opt_bool")]
    pub tax: Option<bool>,
    #[serde(rename = "defaultCost", default, deserialize_with = "de_opt_money")]
    pub default_cost: Option<Money>,
    #[serde(rename = "itemType", default, deserialize_with = "de_opt_string")]
    pub item_type: Option<String>,
    #[serde(default, deserialize_with = "de_bool")]
    pub serialized: bool,
    #[serde(rename = "modelYear", default, deserialize_with = "de_opt_i64")]
    pub model_year: Option<i64>,
    #[serde(default, deserialize_with = "de_bool")]
    pub archived: bool,
    #[serde(rename = "timeStamp", default, deserialize_with = "de_opt_string")]
    pub time_stamp: Option<String>,
    #[serde(rename = "itemAttributeSetID", default, deserialize_with = "de_opt_id")]
    pub item_attribute_set_id: Option<ItemAttributeSetId>,
    #[serde(rename = "manufacturerID", default, deserialize_with = "de_opt_id")]
    pub manufacturer_id: Option<ManufacturerId>,
    #[serde(rename = "categoryID", default, deserialize_with = "de_opt_id")]
    pub category_id: Option<CategoryId>,
    #[serde(rename = "defaultVendorID", default, deserialize_with = "de_opt_id")]
    pub default_vendor_id: Option<VendorId>,
    #[serde(rename = "taxClassID", default, deserialize_with = "de_opt_id")]
    pub tax_class_id: Option<TaxClassId>,
    #[serde(rename = "Prices", default, deserialize_with = "de_wrapped")]
    pub prices: Vec<ItemPrice>,
    #[serde(rename = "attribute1Values", default, deserialize_with = "de_string_list")]
    pub attribute1_values: Vec<String>,
    #[serde(rename = "attribute2Values", default, deserialize_with = "de_string_list")]
    pub attribute2_values: Vec<String>,
    #[serde(rename = "attribute3Values", default, deserialize_with = "de_string_list")]
    pub attribute3_values: Vec<String>,
    /// Loaded relation `ItemAttributeSet`.
    #[serde(rename = "ItemAttributeSet", default, deserialize_with = "de_opt_object")]
    pub item_attribute_set: Option<ItemAttributeSet>,
    /// Loaded relation `Items` (the variants).
    #[serde(rename = "Items", default, deserialize_with = "de_wrapped")]
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Item {
    #[serde(rename = "itemID")]
    pub item_id: ItemId,
    #[serde(rename = "systemSku", default, deserialize_with = "de_opt_string")]
    pub system_sku: Option<String>,
    #[serde(rename = "defaultCost", default, deserialize_with = "de_opt_money")]
    pub default_cost: Option<Money>,
    #[serde(rename = "avgCost", default, deserialize_with = "de_opt_money")]
    pub avg_cost: Option<Money>,
    #[serde(default, deserialize_with = "de_opt_bool")]
    pub discountable: Option<bool>,
    #[serde(default, deserialize_with = "de_opt_bool")]
    pub tax: Option<bool>,
    #[serde(default, deserialize_with = "de_bool")]
    pub archived: bool,
    #[serde(rename = "itemType", default, deserialize_with = "de_opt_string")]
    pub item_type: Option<String>,
    #[serde(default, deserialize_with = "de_bool")]
    pub serialized: bool,
    #[serde(default, deserialize_with = "de_string")]
    pub description: String,
    #[serde(rename = "modelYear", default, deserialize_with = "de_opt_i64")]
    pub model_year: Option<i64>,
    #[serde(default, deserialize_with = "de_opt_string")]
    pub upc: Option<String>,
    #[serde(default, deserialize_with = "de_opt_string")]
    pub ean: Option<String>,
    #[serde(rename = "customSku", default, deserialize_with = "de_opt_string")]
    pub custom_sku: Option<String>,
    #[serde(rename = "manufacturerSku", default, deserialize_with = "de_opt_string")]
    pub manufacturer_sku: Option<String>,
    #[serde(rename = "createTime", default, deserialize_with = "de_opt_string")]
    pub create_time: Option<String>,
    #[serde(rename = "timeStamp", default, deserialize_with = "de_opt_string")]
    pub time_stamp: Option<String>,
    #[serde(rename = "categoryID", default, deserialize_with = "de_opt_id")]
    pub category_id: Option<CategoryId>,
    #[serde(rename = "taxClassID", default, deserialize_with = "de_opt_id")]
    pub tax_class_id: Option<TaxClassId>,
    #[serde(rename = "itemMatrixID", default, deserialize_with = "de_opt_id")]
    pub item_matrix_id: Option<ItemMatrixId>,
    #[serde(rename = "itemAttributesID", default, deserialize_with = "de_opt_u64")]
    pub item_attributes_id: Option<u64>,
    #[serde(rename = "manufacturerID", default, deserialize_with = "de_opt_id")]
    pub manufacturer_id: Option<ManufacturerId>,
    #[serde(rename = "noteID", default, deserialize_with = "de_opt_id")]
    pub note_id: Option<NoteId>,
    #[serde(rename = "defaultVendorID", default, deserialize_with = "de_opt_id")]
    pub default_vendor_id: Option<VendorId>,
    #[serde(rename = "ItemAttributes", default, deserialize_with = "de_opt_object")]
    pub item_attributes: Option<ItemAttributes>,
    #[serde(rename = "ItemVendorNums", default, deserialize_with = "de_wrapped")]
    pub item_vendor_nums: Vec<ItemVendorNum>,
    #[serde(rename = "Prices", default, deserialize_with = "de_wrapped")]
    pub prices: Vec<ItemPrice>,
    #[serde(rename = "ItemShops", default, deserialize_with = "de_wrapped")]
    pub item_shops: Vec<ItemShop>,
    #[serde(rename = "Note", default, deserialize_with = "de_opt_object")]
    pub note: Option<Note>,
}

impl Item {
    /// The amount of the price with this `useTypeID` ([`use_type`]).
    pub fn price(&self, use_type_id: u64) -> Option<Money> {
        self.prices.iter().find(|p| p.use_type_id == use_type_id).map(|p| p.amount)
    }

    /// The vendor number (vendor SKU) this item has for `vendor`.
    pub fn vendor_num(&self, vendor: VendorId) -> Option<&ItemVendorNum> {
        self.item_vendor_nums.iter().find(|n| n.vendor_id == Some(vendor))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ItemAttributes {
    #[serde(rename = "itemAttributeSetID", default, deserialize_with = "de_opt_id")]
    pub item_attribute_set_id: Option<ItemAttributeSetId>,
    #[serde(default, deserialize_with = "de_opt_string")]
    pub attribute1: Option<String>,
    #[serde(default, deserialize_with = "de_opt_string")]
    pub attribute2: Option<String>,
    #[serde(default, deserialize_with = "de_opt_string")]
    pub attribute3: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ItemVendorNum {
    #[serde(rename = "itemVendorNumID", default, deserialize_with = "de_opt_u64")]
    pub item_vendor_num_id: Option<u64>,
    #[serde(default, deserialize_with = "de_string")]
    pub value: String,
    #[serde(rename = "vendorID", default, deserialize_with = "de_opt_id")]
    pub vendor_id: Option<VendorId>,
    #[serde(rename = "itemID", default, deserialize_with = "de_opt_id")]
    pub item_id: Option<ItemId>,
    #[serde(default, deserialize_with = "de_opt_money")]
    pub cost: Option<Money>,
    #[serde(rename = "catalogVendorItemID", default, deserialize_with = "de_opt_string")]
    pub catalog_vendor_item_id: Option<String>,
    #[serde(rename = "timeStamp", default, deserialize_with = "de_opt_string")]
    pub time_stamp: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ItemPrice {
    #[serde(deserialize_with = "de_money")]
    pub amount: Money,
    #[serde(rename = "useTypeID", deserialize_with = "de_i64_as_u64")]
    pub use_type_id: u64,
    #[serde(rename = "useType", default, deserialize_with = "de_opt_string")]
    pub use_type: Option<String>,
}

fn de_i64_as_u64<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    de_opt_u64(d)?.ok_or_else(|| de::Error::custom("expected a whole number"))
}

/// Stock of an item in one shop (`shop_id` 0: the account-wide summary).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ItemShop {
    #[serde(rename = "itemShopID", default, deserialize_with = "de_opt_u64")]
    pub item_shop_id: Option<u64>,
    #[serde(rename = "shopID")]
    pub shop_id: ShopId,
    #[serde(rename = "itemID", default, deserialize_with = "de_opt_id")]
    pub item_id: Option<ItemId>,
    #[serde(default, deserialize_with = "de_opt_i64")]
    pub qoh: Option<i64>,
    #[serde(default, deserialize_with = "de_opt_i64")]
    pub sellable: Option<i64>,
    /// Quantity on open purchase orders.
    #[serde(default, deserialize_with = "de_opt_i64")]
    pub backorder: Option<i64>,
    #[serde(rename = "reorderPoint", default, deserialize_with = "de_opt_i64")]
    pub reorder_point: Option<i64>,
    #[serde(rename = "reorderLevel", default, deserialize_with = "de_opt_i64")]
    pub reorder_level: Option<i64>,
    #[serde(rename = "averageCost", default, deserialize_with = "de_opt_money")]
    pub average_cost: Option<Money>,
    #[serde(rename = "lastReceivedCost", default, deserialize_with = "de_opt_money")]
    pub last_received_cost: Option<Money>,
    #[serde(rename = "timeStamp", default, deserialize_with = "de_opt_string")]
    pub time_stamp: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Note {
    #[serde(rename = "noteID", default, deserialize_with = "de_opt_id")]
    pub note_id: Option<NoteId>,
    #[serde(default, deserialize_with = "de_string")]
    pub note: String,
    #[serde(rename = "isPublic", default, deserialize_with = "de_bool")]
    pub is_public: bool,
    #[serde(rename = "timeStamp", default, deserialize_with = "de_opt_string")]
    pub time_stamp: Option<String>,
}

/// A purchase order. Unset dates are omitted by the API and read as `None`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Order {
    #[serde(rename = "orderID")]
    pub order_id: OrderId,
    #[serde(rename = "orderedDate", default, deserialize_with = "de_opt_string")]
    pub ordered_date: Option<String>,
    #[serde(rename = "receivedDate", default, deserialize_with = "de_opt_string")]
    pub received_date: Option<String>,
    #[serde(rename = "arrivalDate", default, deserialize_with = "de_opt_string")]
    pub arrival_date: Option<String>,
    #[serde(rename = "refNum", default, deserialize_with = "de_opt_string")]
    pub ref_num: Option<String>,
    #[serde(rename = "shipInstructions", default, deserialize_with = "de_opt_string")]
    pub ship_instructions: Option<String>,
    #[serde(rename = "stockInstructions", default, deserialize_with = "de_opt_string")]
    pub stock_instructions: Option<String>,
    #[serde(rename = "shipCost", default, deserialize_with = "de_opt_money")]
    pub ship_cost: Option<Money>,
    #[serde(rename = "otherCost", default, deserialize_with = "de_opt_money")]
    pub other_cost: Option<Money>,
    #[serde(default, deserialize_with = "de_bool")]
    pub complete: bool,
    #[serde(default, deserialize_with = "de_bool")]
    pub archived: bool,
    /// Percent off each unit cost.
    #[serde(default, deserialize_with = "de_opt_money")]
    pub discount: Option<Money>,
    #[serde(rename = "totalDiscount", default, deserialize_with = "de_opt_money")]
    pub total_discount: Option<Money>,
    #[serde(rename = "totalQuantity", default, deserialize_with = "de_opt_i64")]
    pub total_quantity: Option<i64>,
    #[serde(rename = "subTotalCost", default, deserialize_with = "de_opt_money")]
    pub sub_total_cost: Option<Money>,
    #[serde(rename = "totalCost", default, deserialize_with = "de_opt_money")]
    pub total_cost: Option<Money>,
    #[serde(rename = "vendorID", default, deserialize_with = "de_opt_id")]
    pub vendor_id: Option<VendorId>,
    #[serde(rename = "noteID", default, deserialize_with = "de_opt_id")]
    pub note_id: Option<NoteId>,
    #[serde(rename = "shopID", default, deserialize_with = "de_opt_id")]
    pub shop_id: Option<ShopId>,
    /// "Unique identifier of the order in NuORDER".
    #[serde(rename = "b2bOrderUID", default, deserialize_with = "de_opt_string")]
    pub b2b_order_uid: Option<String>,
    /// "Order number in NuORDER" (set by the first-party integration).
    #[serde(rename = "b2bOrderNumber", default, deserialize_with = "de_opt_string")]
    pub b2b_order_number: Option<String>,
    #[serde(rename = "createTime", default, deserialize_with = "de_opt_string")]
    pub create_time: Option<String>,
    #[serde(rename = "timeStamp", default, deserialize_with = "de_opt_string")]
    pub time_stamp: Option<String>,
    #[serde(rename = "Note", default, deserialize_with = "de_opt_object")]
    pub note: Option<Note>,
    #[serde(rename = "OrderLines", default, deserialize_with = "de_wrapped")]
    pub order_lines: Vec<OrderLine>,
    #[serde(rename = "Vendor", default, deserialize_with = "de_opt_object")]
    pub vendor: Option<Vendor>,
    #[serde(rename = "Shop", default, deserialize_with = "de_opt_object")]
    pub shop: Option<Shop>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct OrderLine {
    #[serde(rename = "orderLineID")]
    pub order_line_id: OrderLineId,
    #[serde(rename = "orderID", default, deserialize_with = "de_opt_id")]
    pub order_id: Option<OrderId>,
    #[serde(rename = "itemID", default, deserialize_with = "de_opt_id")]
    pub item_id: Option<ItemId>,
    #[serde(deserialize_with = "de_i64")]
    pub quantity: i64,
    /// Unit cost after the PO discount.
    #[serde(default, deserialize_with = "de_money")]
    pub price: Money,
    #[serde(rename = "originalPrice", default, deserialize_with = "de_opt_money")]
    pub original_price: Option<Money>,
    #[serde(rename = "vendorCost", default, deserialize_with = "de_opt_money")]
    pub vendor_cost: Option<Money>,
    #[serde(rename = "checkedIn", default, deserialize_with = "de_opt_i64")]
    pub checked_in: Option<i64>,
    #[serde(rename = "numReceived", default, deserialize_with = "de_opt_i64")]
    pub num_received: Option<i64>,
    #[serde(default, deserialize_with = "de_opt_money")]
    pub total: Option<Money>,
    #[serde(rename = "createTime", default, deserialize_with = "de_opt_string")]
    pub create_time: Option<String>,
    #[serde(rename = "timeStamp", default, deserialize_with = "de_opt_string")]
    pub time_stamp: Option<String>,
}

// ------------------------------------------------------------------------------------------------
// Write payloads (POST creates, PUT updates only what is given)
// ------------------------------------------------------------------------------------------------

/// `POST Vendor.json` / `PUT Vendor/{id}.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VendorWrite {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "accountNumber", skip_serializing_if = "Option::is_none")]
    pub account_number: Option<String>,
    #[serde(rename = "b2bSellerUID", skip_serializing_if = "Option::is_none")]
    pub b2b_seller_uid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
}

/// One price level in a write: `{"amount": "42.00", "useTypeID": "1"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemPriceWrite {
    pub amount: Money,
    #[serde(rename = "useTypeID", serialize_with = "ser_display")]
    pub use_type_id: u64,
}

impl ItemPriceWrite {
    pub fn default_price(amount: Money) -> Self {
        ItemPriceWrite { amount, use_type_id: use_type::DEFAULT }
    }

    pub fn msrp(amount: Money) -> Self {
        ItemPriceWrite { amount, use_type_id: use_type::MSRP }
    }
}

/// `POST ItemMatrix.json` (needs `description` and `itemAttributeSetID`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ItemMatrixWrite {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(rename = "itemAttributeSetID", skip_serializing_if = "Option::is_none")]
    pub item_attribute_set_id: Option<ItemAttributeSetId>,
    #[serde(rename = "defaultCost", skip_serializing_if = "Option::is_none")]
    pub default_cost: Option<Money>,
    #[serde(rename = "manufacturerID", skip_serializing_if = "Option::is_none")]
    pub manufacturer_id: Option<ManufacturerId>,
    #[serde(rename = "categoryID", skip_serializing_if = "Option::is_none")]
    pub category_id: Option<CategoryId>,
    #[serde(rename = "defaultVendorID", skip_serializing_if = "Option::is_none")]
    pub default_vendor_id: Option<VendorId>,
    #[serde(rename = "Prices", skip_serializing_if = "Vec::is_empty", serialize_with = "ser_wrapped")]
    pub prices: Vec<ItemPriceWrite>,
}

/// `ItemAttributes` of a variant: which set, and its values (`attribute1` Color, `attribute2` Size
/// in the stock Color/Size set; only `attribute2` in the Size set).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemAttributesWrite {
    #[serde(rename = "itemAttributeSetID")]
    pub item_attribute_set_id: ItemAttributeSetId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute2: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute3: Option<String>,
}

/// A vendor number (vendor SKU) and vendor cost for one vendor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemVendorNumWrite {
    #[serde(rename = "vendorID")]
    pub vendor_id: VendorId,
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<Money>,
}

/// `POST Item.json` / `PUT Item/{id}.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ItemWrite {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(rename = "itemMatrixID", skip_serializing_if = "Option::is_none")]
    pub item_matrix_id: Option<ItemMatrixId>,
    #[serde(rename = "defaultCost", skip_serializing_if = "Option::is_none")]
    pub default_cost: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upc: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ean: Option<String>,
    #[serde(rename = "manufacturerSku", skip_serializing_if = "Option::is_none")]
    pub manufacturer_sku: Option<String>,
    #[serde(rename = "customSku", skip_serializing_if = "Option::is_none")]
    pub custom_sku: Option<String>,
    #[serde(rename = "defaultVendorID", skip_serializing_if = "Option::is_none")]
    pub default_vendor_id: Option<VendorId>,
    #[serde(rename = "manufacturerID", skip_serializing_if = "Option::is_none")]
    pub manufacturer_id: Option<ManufacturerId>,
    #[serde(rename = "categoryID", skip_serializing_if = "Option::is_none")]
    pub category_id: Option<CategoryId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
    #[serde(rename = "ItemAttributes", skip_serializing_if = "Option::is_none")]
    pub item_attributes: Option<ItemAttributesWrite>,
    #[serde(rename = "ItemVendorNums", skip_serializing_if = "Vec::is_empty", serialize_with = "ser_wrapped")]
    pub item_vendor_nums: Vec<ItemVendorNumWrite>,
    #[serde(rename = "Prices", skip_serializing_if = "Vec::is_empty", serialize_with = "ser_wrapped")]
    pub prices: Vec<ItemPriceWrite>,
}

/// A nested note in an order write.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NoteWrite {
    pub note: String,
    #[serde(rename = "isPublic", skip_serializing_if = "Option::is_none")]
    pub is_public: Option<bool>,
}

/// `POST Order.json` / `PUT Order/{id}.json` (a purchase order header; lines are posted one by one
/// as [`OrderLineWrite`]). Dates are `YYYY-MM-DD` or full ISO-8601.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OrderWrite {
    #[serde(rename = "vendorID", skip_serializing_if = "Option::is_none")]
    pub vendor_id: Option<VendorId>,
    #[serde(rename = "shopID", skip_serializing_if = "Option::is_none")]
    pub shop_id: Option<ShopId>,
    #[serde(rename = "refNum", skip_serializing_if = "Option::is_none")]
    pub ref_num: Option<String>,
    #[serde(rename = "b2bOrderNumber", skip_serializing_if = "Option::is_none")]
    pub b2b_order_number: Option<String>,
    #[serde(rename = "b2bOrderUID", skip_serializing_if = "Option::is_none")]
    pub b2b_order_uid: Option<String>,
    #[serde(rename = "orderedDate", skip_serializing_if = "Option::is_none")]
    pub ordered_date: Option<String>,
    #[serde(rename = "arrivalDate", skip_serializing_if = "Option::is_none")]
    pub arrival_date: Option<String>,
    #[serde(rename = "receivedDate", skip_serializing_if = "Option::is_none")]
    pub received_date: Option<String>,
    #[serde(rename = "shipCost", skip_serializing_if = "Option::is_none")]
    pub ship_cost: Option<Money>,
    #[serde(rename = "otherCost", skip_serializing_if = "Option::is_none")]
    pub other_cost: Option<Money>,
    /// Percent off each unit cost.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discount: Option<Money>,
    #[serde(rename = "shipInstructions", skip_serializing_if = "Option::is_none")]
    pub ship_instructions: Option<String>,
    #[serde(rename = "stockInstructions", skip_serializing_if = "Option::is_none")]
    pub stock_instructions: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
    #[serde(rename = "Note", skip_serializing_if = "Option::is_none")]
    pub note: Option<NoteWrite>,
}

/// `POST OrderLine.json` / `PUT OrderLine/{id}.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OrderLineWrite {
    #[serde(rename = "orderID", skip_serializing_if = "Option::is_none")]
    pub order_id: Option<OrderId>,
    #[serde(rename = "itemID", skip_serializing_if = "Option::is_none")]
    pub item_id: Option<ItemId>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ser_opt_display")]
    pub quantity: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<Money>,
    #[serde(rename = "originalPrice", skip_serializing_if = "Option::is_none")]
    pub original_price: Option<Money>,
    #[serde(rename = "vendorCost", skip_serializing_if = "Option::is_none")]
    pub vendor_cost: Option<Money>,
}
