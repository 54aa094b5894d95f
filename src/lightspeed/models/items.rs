//! Items, item matrices, their attributes, vendor numbers, prices and stock; and their writes.

use super::orders::Note;
use crate::core::ids::*;
use crate::core::Money;
use crate::lightspeed::wire::{
    de_bool, de_money, de_opt_bool, de_opt_i64, de_opt_id, de_opt_money, de_opt_object, de_opt_string, de_opt_u64,
    de_string, de_string_list, de_wrapped, ser_display, ser_wrapped,
};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};

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
