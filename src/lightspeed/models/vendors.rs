//! Vendors (with their contact) and manufacturers.

use super::accounts::Currency;
use crate::core::ids::*;
use crate::lightspeed::wire::{de_bool, de_opt_object, de_opt_string, de_string, de_wrapped};
use serde::{Deserialize, Serialize};

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
