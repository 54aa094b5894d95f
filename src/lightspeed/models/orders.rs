//! Purchase orders, their lines and notes; and their writes.

use super::accounts::Shop;
use super::vendors::Vendor;
use crate::core::ids::*;
use crate::core::Money;
use crate::lightspeed::wire::{
    de_bool, de_i64, de_money, de_opt_i64, de_opt_id, de_opt_money, de_opt_object, de_opt_string, de_string,
    de_wrapped, ser_opt_display,
};
use serde::{Deserialize, Serialize};

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
