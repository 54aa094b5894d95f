//! Items and item matrices: code, SKU and id lookups in `IN` batches, and creates.

use super::common::{
    account_url, create_endpoint, get, relations_cost, write, write_cost, Archived, Endpoint, EndpointError, Query,
};
use crate::core::ids::{ItemId, ItemMatrixId};
use crate::lightspeed::http::{HttpRequest, Method};
use crate::lightspeed::models::{Item, ItemMatrix, ItemMatrixWrite, ItemWrite};
use serde::{Deserialize, Serialize};

/// The item field a code is written to, or searched in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeField {
    Upc,
    Ean,
}

impl CodeField {
    /// The Lightspeed query field name.
    pub fn as_str(self) -> &'static str {
        match self {
            CodeField::Upc => "upc",
            CodeField::Ean => "ean",
        }
    }
}

/// `GET Item.json?upc=IN,[…]` (or `ean`, or `itemCode`): ≤ 100 codes of 11–14 digits, leading
/// zeros kept. Archived items are included by default so they are reported rather than duplicated.
///
/// [`ListItemsByCodes::in_either_field`] asks `itemCode`, which matches `upc` or `ean` (and
/// `itemID`) in one request (reference §4: `itemCode` supports `=`, `or`, `IN`): both fields for
/// the price of one, where `upc` and `ean` asked apart cost two requests per batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItemsByCodes {
    field: Option<CodeField>,
    codes: Vec<String>,
    pub archived: Archived,
    pub load_relations: Vec<&'static str>,
}

impl ListItemsByCodes {
    pub const MAX_CODES: usize = 100;

    /// The codes in one field.
    pub fn new(field: CodeField, codes: Vec<String>) -> Result<Self, EndpointError> {
        Self::build(Some(field), codes)
    }

    /// The codes in either field (`itemCode=IN,[…]`).
    pub fn in_either_field(codes: Vec<String>) -> Result<Self, EndpointError> {
        Self::build(None, codes)
    }

    fn build(field: Option<CodeField>, codes: Vec<String>) -> Result<Self, EndpointError> {
        if codes.is_empty() {
            return Err(EndpointError::NoCodes);
        }
        if codes.len() > Self::MAX_CODES {
            return Err(EndpointError::TooManyCodes(codes.len()));
        }
        if let Some(bad) =
            codes.iter().find(|c| !(11..=14).contains(&c.len()) || !c.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(EndpointError::BadCode(bad.clone()));
        }
        Ok(ListItemsByCodes { field, codes, archived: Archived::Include, load_relations: Vec::new() })
    }

    /// The field asked (`None`: either, through `itemCode`).
    pub fn field(&self) -> Option<CodeField> {
        self.field
    }

    pub fn codes(&self) -> &[String] {
        &self.codes
    }
}

impl Endpoint for ListItemsByCodes {
    type Record = Item;
    fn to_http(&self, api_base: &str, account_id: &str) -> HttpRequest {
        let mut q = Query::default();
        // Quoted JSON strings: leading zeros survive whatever the server does with numbers.
        let list = serde_json::to_string(&self.codes).expect("strings serialize");
        q.push(self.field.map_or("itemCode", CodeField::as_str), format!("IN,{list}"));
        q.archived(self.archived);
        q.relations(&self.load_relations);
        get(account_url(api_base, account_id, "Item.json", &q))
    }
    fn cost_hint(&self) -> f64 {
        1.0 + relations_cost(&self.load_relations, true)
    }
}

/// `GET Item.json` with any of these filters (all given ones must match).
///
/// - `vendor_num`: an `ItemVendorNums.value` equal to this (the vendor's SKU; the relation is loaded
///   so the caller can check the `vendorID` of the matching number — the filter cannot tie the two);
/// - `manufacturer_sku`, `custom_sku`: exact;
/// - `item_matrix_id`: every variant of a matrix.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListItems {
    pub vendor_num: Option<String>,
    pub manufacturer_sku: Option<String>,
    pub custom_sku: Option<String>,
    pub item_matrix_id: Option<ItemMatrixId>,
    pub archived: Archived,
    pub load_relations: Vec<&'static str>,
}

impl ListItems {
    fn relations(&self) -> Vec<&'static str> {
        let mut r = self.load_relations.clone();
        if self.vendor_num.is_some() && !r.contains(&"ItemVendorNums") {
            r.push("ItemVendorNums");
        }
        r
    }
}

impl Endpoint for ListItems {
    type Record = Item;
    fn to_http(&self, api_base: &str, account_id: &str) -> HttpRequest {
        let mut q = Query::default();
        if let Some(v) = &self.vendor_num {
            q.eq("ItemVendorNums.value", v);
        }
        if let Some(v) = &self.manufacturer_sku {
            q.eq("manufacturerSku", v);
        }
        if let Some(v) = &self.custom_sku {
            q.eq("customSku", v);
        }
        if let Some(id) = self.item_matrix_id {
            q.push("itemMatrixID", id.to_string());
        }
        q.archived(self.archived);
        q.relations(&self.relations());
        get(account_url(api_base, account_id, "Item.json", &q))
    }
    fn cost_hint(&self) -> f64 {
        1.0 + relations_cost(&self.relations(), true)
    }
}

/// The field an [`ListItemsIn`] lookup filters with `IN`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemInField {
    /// `itemID` (linked items).
    ItemId,
    /// `manufacturerSku` (style numbers).
    ManufacturerSku,
    /// `ItemVendorNums.value` (vendor numbers; the relation is loaded so the caller can check the
    /// `vendorID` of the matching number).
    VendorNumber,
}

impl ItemInField {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemInField::ItemId => "itemID",
            ItemInField::ManufacturerSku => "manufacturerSku",
            ItemInField::VendorNumber => "ItemVendorNums.value",
        }
    }
}

/// `GET Item.json?{field}=IN,[…]`: ≤ 100 values (item ids as numbers, other values as JSON
/// strings). Archived items are included by default (reported, never duplicated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItemsIn {
    field: ItemInField,
    values: Vec<String>,
    pub archived: Archived,
    pub load_relations: Vec<&'static str>,
}

impl ListItemsIn {
    pub const MAX_VALUES: usize = 100;

    pub fn new(field: ItemInField, values: Vec<String>) -> Result<Self, EndpointError> {
        if values.is_empty() {
            return Err(EndpointError::NoCodes);
        }
        if values.len() > Self::MAX_VALUES {
            return Err(EndpointError::TooManyCodes(values.len()));
        }
        if field == ItemInField::ItemId {
            if let Some(bad) = values.iter().find(|v| v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit())) {
                return Err(EndpointError::BadValue(bad.clone()));
            }
        }
        Ok(ListItemsIn { field, values, archived: Archived::Include, load_relations: Vec::new() })
    }

    /// Item ids.
    pub fn ids(ids: impl IntoIterator<Item = ItemId>) -> Result<Self, EndpointError> {
        Self::new(ItemInField::ItemId, ids.into_iter().map(|i| i.to_string()).collect())
    }

    pub fn field(&self) -> ItemInField {
        self.field
    }

    pub fn values(&self) -> &[String] {
        &self.values
    }

    fn relations(&self) -> Vec<&'static str> {
        let mut r = self.load_relations.clone();
        if self.field == ItemInField::VendorNumber && !r.contains(&"ItemVendorNums") {
            r.push("ItemVendorNums");
        }
        r
    }
}

impl Endpoint for ListItemsIn {
    type Record = Item;
    fn to_http(&self, api_base: &str, account_id: &str) -> HttpRequest {
        let mut q = Query::default();
        let list = match self.field {
            ItemInField::ItemId => format!("[{}]", self.values.join(",")),
            _ => serde_json::to_string(&self.values).expect("strings serialize"),
        };
        q.push(self.field.as_str(), format!("IN,{list}"));
        q.archived(self.archived);
        q.relations(&self.relations());
        get(account_url(api_base, account_id, "Item.json", &q))
    }
    fn cost_hint(&self) -> f64 {
        1.0 + relations_cost(&self.relations(), true)
    }
}

/// `GET ItemMatrix.json` by exact description (archived included by default: a resumed job
/// looks up the matrix it may have created).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItemMatrices {
    pub description: Option<String>,
    pub archived: Archived,
}

impl ListItemMatrices {
    pub fn by_description(description: impl Into<String>) -> Self {
        ListItemMatrices { description: Some(description.into()), archived: Archived::Include }
    }
}

impl Endpoint for ListItemMatrices {
    type Record = ItemMatrix;
    fn to_http(&self, api_base: &str, account_id: &str) -> HttpRequest {
        let mut q = Query::default();
        if let Some(d) = &self.description {
            q.eq("description", d);
        }
        q.archived(self.archived);
        get(account_url(api_base, account_id, "ItemMatrix.json", &q))
    }
}

/// `GET ItemMatrix.json?description=IN,["…"]`: the matrices with any of ≤ 100 exact
/// descriptions, in one request (a description may hold a comma, so the list is a JSON array).
/// Archived matrices are included unless [`Archived::Exclude`] is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItemMatricesIn {
    descriptions: Vec<String>,
    pub archived: Archived,
}

impl ListItemMatricesIn {
    pub const MAX_VALUES: usize = 100;

    pub fn new(descriptions: Vec<String>) -> Result<Self, EndpointError> {
        if descriptions.is_empty() {
            return Err(EndpointError::NoCodes);
        }
        if descriptions.len() > Self::MAX_VALUES {
            return Err(EndpointError::TooManyCodes(descriptions.len()));
        }
        Ok(ListItemMatricesIn { descriptions, archived: Archived::Include })
    }

    pub fn descriptions(&self) -> &[String] {
        &self.descriptions
    }
}

impl Endpoint for ListItemMatricesIn {
    type Record = ItemMatrix;
    fn to_http(&self, api_base: &str, account_id: &str) -> HttpRequest {
        let mut q = Query::default();
        let list = serde_json::to_string(&self.descriptions).expect("strings serialize");
        q.push("description", format!("IN,{list}"));
        q.archived(self.archived);
        get(account_url(api_base, account_id, "ItemMatrix.json", &q))
    }
}

/// `GET Item/{id}.json` (archived items are returned too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetItem {
    pub id: ItemId,
    pub load_relations: Vec<&'static str>,
}

impl Endpoint for GetItem {
    type Record = Item;
    fn to_http(&self, api_base: &str, account_id: &str) -> HttpRequest {
        let mut q = Query::default();
        q.relations(&self.load_relations);
        get(account_url(api_base, account_id, &format!("Item/{}.json", self.id), &q))
    }
    fn cost_hint(&self) -> f64 {
        1.0 + relations_cost(&self.load_relations, false)
    }
}

create_endpoint!(
    /// `POST ItemMatrix.json`.
    CreateItemMatrix, ItemMatrixWrite, ItemMatrix, "ItemMatrix.json"
);

create_endpoint!(
    /// `POST Item.json` (with nested attributes, vendor numbers and prices).
    CreateItem, ItemWrite, Item, "Item.json"
);
