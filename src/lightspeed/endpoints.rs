//! One small typed request per Lightspeed endpoint PO Bridge uses, as plain data.
//!
//! Each implements [`Endpoint`]: [`Endpoint::to_http`] builds the [`HttpRequest`] (no auth header:
//! the client adds it) and [`Endpoint::cost_hint`] says how many drips it will cost (reference §6:
//! 1 per request, +0.5 per nested entity in a write body, `load_relations` +0.1 per to-one /
//! +0.2 per to-many, doubled on lists). `Endpoint::Record` is the resource the response envelope
//! carries. Paths are relative to `{api_base}/API/V3/Account/{account_id}/`.
//!
//! Filter values are URL-encoded; a plain-equality value containing a comma is sent as `=,value` so
//! the server never reads it as an operator.

use super::http::{HttpRequest, Method};
use super::models::*;
use super::wire::Record;
use serde::de::DeserializeOwned;

/// A request to one endpoint.
pub trait Endpoint {
    /// The resource in the response envelope.
    type Record: Record + DeserializeOwned;
    /// The request, without `Authorization`. `api_base` is e.g. `https://api.lightspeedapp.com`.
    fn to_http(&self, api_base: &str, account_id: &str) -> HttpRequest;
    /// Predicted cost in drips.
    fn cost_hint(&self) -> f64 {
        1.0
    }
}

/// The `archived` query parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Archived {
    /// Live records only (the API's default; the parameter is omitted).
    #[default]
    Exclude,
    /// Live and archived (`archived=true`): use for existence checks.
    Include,
    /// Archived only (`archived=only`).
    Only,
}

/// Why an endpoint could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    #[error("at most 100 codes per lookup (got {0})")]
    TooManyCodes(usize),
    #[error("no codes to look up")]
    NoCodes,
    #[error("code {0:?} is not 11–14 digits")]
    BadCode(String),
    #[error("value {0:?} cannot be used in a combined lookup (contains '|')")]
    BadValue(String),
}

/// Query builder: `key=value` pairs, URL-encoded once.
#[derive(Debug, Default, Clone)]
struct Query(Vec<(String, String)>);

impl Query {
    fn push(&mut self, k: &str, v: impl Into<String>) -> &mut Self {
        self.0.push((k.to_string(), v.into()));
        self
    }
    /// Plain equality, guarded against values the server would read as `OP,value`.
    fn eq(&mut self, k: &str, v: &str) -> &mut Self {
        let v = if v.contains(',') { format!("=,{v}") } else { v.to_string() };
        self.push(k, v)
    }
    fn archived(&mut self, a: Archived) -> &mut Self {
        match a {
            Archived::Exclude => self,
            Archived::Include => self.push("archived", "true"),
            Archived::Only => self.push("archived", "only"),
        }
    }
    fn relations(&mut self, rels: &[&str]) -> &mut Self {
        if rels.is_empty() {
            return self;
        }
        let json = serde_json::to_string(rels).expect("strings serialize");
        self.push("load_relations", json)
    }
    fn encode(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.0 {
            s.append_pair(k, v);
        }
        // Spaces as %20 rather than '+': both are accepted; %20 is unambiguous in every parser.
        s.finish().replace('+', "%20")
    }
}

fn account_url(api_base: &str, account_id: &str, rel: &str, q: &Query) -> String {
    let mut url = format!("{}/API/V3/Account/{account_id}/{rel}", api_base.trim_end_matches('/'));
    let qs = q.encode();
    if !qs.is_empty() {
        url.push('?');
        url.push_str(&qs);
    }
    url
}

fn get(url: String) -> HttpRequest {
    HttpRequest::new(Method::Get, url).with_header("Accept", "application/json")
}

fn write<B: serde::Serialize>(method: Method, url: String, body: &B) -> HttpRequest {
    let json = serde_json::to_string(body).expect("write payloads serialize");
    HttpRequest::new(method, url).with_header("Accept", "application/json").with_json(json)
}

/// Cost of `load_relations` (to-many relation names end in `s`), doubled on lists.
fn relations_cost(rels: &[&str], list: bool) -> f64 {
    let per: f64 = rels.iter().map(|r| if r.ends_with('s') { 0.2 } else { 0.1 }).sum();
    if list {
        per * 2.0
    } else {
        per
    }
}

/// +0.5 per nested related entity in a write body (wrapped collections count each element).
fn write_cost<B: serde::Serialize>(body: &B) -> f64 {
    let v = serde_json::to_value(body).unwrap_or_default();
    let Some(m) = v.as_object() else { return 1.0 };
    let mut n = 0usize;
    for v in m.values() {
        match v {
            serde_json::Value::Object(o) if o.len() == 1 && o.values().all(|x| x.is_array() || x.is_object()) => {
                n += match o.values().next() {
                    Some(serde_json::Value::Array(a)) => a.len(),
                    _ => 1,
                };
            }
            serde_json::Value::Object(o) if !o.is_empty() => n += 1,
            serde_json::Value::Array(a) => n += a.iter().filter(|x| x.is_object()).count(),
            _ => {}
        }
    }
    1.0 + 0.5 * n as f64
}

// ------------------------------------------------------------------------------------------------
// Account and shops
// ------------------------------------------------------------------------------------------------

/// `GET /API/V3/Account.json`: the accounts this token reaches (`account_id` is ignored).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GetAccounts;

impl Endpoint for GetAccounts {
    type Record = Account;
    fn to_http(&self, api_base: &str, _account_id: &str) -> HttpRequest {
        get(format!("{}/API/V3/Account.json", api_base.trim_end_matches('/')))
    }
}

/// `GET /API/V3/Account/{id}.json`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GetAccount;

impl Endpoint for GetAccount {
    type Record = Account;
    fn to_http(&self, api_base: &str, account_id: &str) -> HttpRequest {
        get(format!("{}/API/V3/Account/{account_id}.json", api_base.trim_end_matches('/')))
    }
}

/// `GET Shop.json`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListShops {
    pub archived: Archived,
}

impl Endpoint for ListShops {
    type Record = Shop;
    fn to_http(&self, api_base: &str, account_id: &str) -> HttpRequest {
        let mut q = Query::default();
        q.archived(self.archived);
        get(account_url(api_base, account_id, "Shop.json", &q))
    }
}

// ------------------------------------------------------------------------------------------------
// Vendors
// ------------------------------------------------------------------------------------------------

/// `GET Vendor.json` by exact name and/or NuORDER seller id.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListVendors {
    pub name: Option<String>,
    pub b2b_seller_uid: Option<String>,
    pub archived: Archived,
}

impl Endpoint for ListVendors {
    type Record = Vendor;
    fn to_http(&self, api_base: &str, account_id: &str) -> HttpRequest {
        let mut q = Query::default();
        if let Some(n) = &self.name {
            q.eq("name", n);
        }
        if let Some(u) = &self.b2b_seller_uid {
            q.eq("b2bSellerUID", u);
        }
        q.archived(self.archived);
        get(account_url(api_base, account_id, "Vendor.json", &q))
    }
}

/// `GET Vendor/{id}.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetVendor(pub VendorId);

impl Endpoint for GetVendor {
    type Record = Vendor;
    fn to_http(&self, api_base: &str, account_id: &str) -> HttpRequest {
        get(account_url(api_base, account_id, &format!("Vendor/{}.json", self.0), &Query::default()))
    }
}

/// `POST <Resource>.json`: a create request for one resource, its payload as given (nested
/// entities included), priced by [`write_cost`].
macro_rules! create_endpoint {
    ($(#[$doc:meta])* $name:ident, $payload:ty, $record:ty, $path:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(pub $payload);

        impl Endpoint for $name {
            type Record = $record;
            fn to_http(&self, api_base: &str, account_id: &str) -> HttpRequest {
                write(Method::Post, account_url(api_base, account_id, $path, &Query::default()), &self.0)
            }
            fn cost_hint(&self) -> f64 {
                write_cost(&self.0)
            }
        }
    };
}

create_endpoint!(
    /// `POST Vendor.json`.
    CreateVendor, VendorWrite, Vendor, "Vendor.json"
);

// ------------------------------------------------------------------------------------------------
// Items
// ------------------------------------------------------------------------------------------------

/// Which barcode field a code lookup searches (one enum with the export engine's code rules).
pub use crate::export::codes::CodeField;

/// `GET Item.json?upc=IN,[…]` (or `ean`): ≤ 100 codes of 11–14 digits, leading zeros kept.
/// Archived items are included by default so they are reported rather than duplicated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItemsByCodes {
    field: CodeField,
    codes: Vec<String>,
    pub archived: Archived,
    pub load_relations: Vec<&'static str>,
}

impl ListItemsByCodes {
    pub const MAX_CODES: usize = 100;

    pub fn new(field: CodeField, codes: Vec<String>) -> Result<Self, EndpointError> {
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

    pub fn field(&self) -> CodeField {
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
        q.push(self.field.as_str(), format!("IN,{list}"));
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

// ------------------------------------------------------------------------------------------------
// Purchase orders
// ------------------------------------------------------------------------------------------------

/// `GET Order.json` by `refNum` and/or `b2bOrderNumber`; with both, either may match (`or=`).
/// Archived orders are included by default (an archived PO still means "exported").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOrders {
    ref_num: Option<String>,
    b2b_order_number: Option<String>,
    pub archived: Archived,
    pub load_relations: Vec<&'static str>,
}

impl ListOrders {
    pub fn by_ref_num(ref_num: impl Into<String>) -> Self {
        ListOrders {
            ref_num: Some(ref_num.into()),
            b2b_order_number: None,
            archived: Archived::Include,
            load_relations: Vec::new(),
        }
    }
    pub fn by_b2b_order_number(n: impl Into<String>) -> Self {
        ListOrders {
            ref_num: None,
            b2b_order_number: Some(n.into()),
            archived: Archived::Include,
            load_relations: Vec::new(),
        }
    }
    /// Either marker: our `refNum`, or the first-party integration's `b2bOrderNumber`.
    pub fn by_either(ref_num: impl Into<String>, b2b_order_number: impl Into<String>) -> Result<Self, EndpointError> {
        let (r, b) = (ref_num.into(), b2b_order_number.into());
        for v in [&r, &b] {
            if v.contains('|') {
                return Err(EndpointError::BadValue(v.clone()));
            }
        }
        Ok(ListOrders {
            ref_num: Some(r),
            b2b_order_number: Some(b),
            archived: Archived::Include,
            load_relations: Vec::new(),
        })
    }
}

impl Endpoint for ListOrders {
    type Record = Order;
    fn to_http(&self, api_base: &str, account_id: &str) -> HttpRequest {
        let mut q = Query::default();
        let guard = |v: &str| {
            if v.contains(',') {
                format!("=,{v}")
            } else {
                v.to_string()
            }
        };
        match (&self.ref_num, &self.b2b_order_number) {
            (Some(r), Some(b)) => {
                q.push("or", format!("refNum={}|b2bOrderNumber={}", guard(r), guard(b)));
            }
            (Some(r), None) => {
                q.eq("refNum", r);
            }
            (None, Some(b)) => {
                q.eq("b2bOrderNumber", b);
            }
            (None, None) => {}
        }
        q.archived(self.archived);
        q.relations(&self.load_relations);
        get(account_url(api_base, account_id, "Order.json", &q))
    }
    fn cost_hint(&self) -> f64 {
        // `or` over two fields of one entity: +1 per operand.
        let or = if self.ref_num.is_some() && self.b2b_order_number.is_some() { 2.0 } else { 0.0 };
        1.0 + or + relations_cost(&self.load_relations, true)
    }
}

/// `GET Order/{id}.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetOrder {
    pub id: OrderId,
    pub load_relations: Vec<&'static str>,
}

impl Endpoint for GetOrder {
    type Record = Order;
    fn to_http(&self, api_base: &str, account_id: &str) -> HttpRequest {
        let mut q = Query::default();
        q.relations(&self.load_relations);
        get(account_url(api_base, account_id, &format!("Order/{}.json", self.id), &q))
    }
    fn cost_hint(&self) -> f64 {
        1.0 + relations_cost(&self.load_relations, false)
    }
}

create_endpoint!(
    /// `POST Order.json`: the PO header only (lines go one by one with [`CreateOrderLine`]; nested
    /// `OrderLines` are unreliable on the real API).
    CreateOrder, OrderWrite, Order, "Order.json"
);

/// `PUT Order/{id}.json` (partial: only the given fields change), e.g. `orderedDate` to mark the PO
/// Ordered once it has lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateOrder {
    pub id: OrderId,
    pub changes: OrderWrite,
}

impl UpdateOrder {
    /// Sets `orderedDate` (`YYYY-MM-DD`).
    pub fn mark_ordered(id: OrderId, date: impl Into<String>) -> Self {
        UpdateOrder { id, changes: OrderWrite { ordered_date: Some(date.into()), ..Default::default() } }
    }
}

impl Endpoint for UpdateOrder {
    type Record = Order;
    fn to_http(&self, api_base: &str, account_id: &str) -> HttpRequest {
        write(
            Method::Put,
            account_url(api_base, account_id, &format!("Order/{}.json", self.id), &Query::default()),
            &self.changes,
        )
    }
    fn cost_hint(&self) -> f64 {
        write_cost(&self.changes)
    }
}

/// `GET OrderLine.json?orderID={id}`: a PO's lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOrderLines {
    pub order_id: OrderId,
}

impl Endpoint for ListOrderLines {
    type Record = OrderLine;
    fn to_http(&self, api_base: &str, account_id: &str) -> HttpRequest {
        let mut q = Query::default();
        q.push("orderID", self.order_id.to_string());
        get(account_url(api_base, account_id, "OrderLine.json", &q))
    }
}

create_endpoint!(
    /// `POST OrderLine.json`.
    CreateOrderLine, OrderLineWrite, OrderLine, "OrderLine.json"
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nuorder::model::Money;

    const B: &str = "https://api.lightspeedapp.com";

    fn check<E: Endpoint>(ep: &E, method: Method, path_and_query: &str, body: Option<serde_json::Value>, cost: f64) {
        let r = ep.to_http(B, "83050");
        assert_eq!(r.method, method, "{path_and_query}");
        assert_eq!(r.path_and_query(), path_and_query);
        assert!(r.url.starts_with(B));
        assert_eq!(r.header("accept"), Some("application/json"));
        assert!(r.header("authorization").is_none());
        match body {
            Some(want) => {
                assert_eq!(r.header("content-type"), Some("application/json"));
                let got: serde_json::Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
                assert_eq!(got, want, "{path_and_query}");
            }
            None => assert_eq!(r.body, None),
        }
        assert!((ep.cost_hint() - cost).abs() < 1e-9, "{path_and_query}: cost {}", ep.cost_hint());
    }

    fn money(s: &str) -> Money {
        s.parse().unwrap()
    }

    #[test]
    fn reads() {
        check(&GetAccounts, Method::Get, "/API/V3/Account.json", None, 1.0);
        check(&GetAccount, Method::Get, "/API/V3/Account/83050.json", None, 1.0);
        check(&ListShops::default(), Method::Get, "/API/V3/Account/83050/Shop.json", None, 1.0);
        check(
            &ListShops { archived: Archived::Include },
            Method::Get,
            "/API/V3/Account/83050/Shop.json?archived=true",
            None,
            1.0,
        );
        check(
            &ListVendors { name: Some("Harbor Goods Co.".into()), b2b_seller_uid: None, archived: Archived::Include },
            Method::Get,
            "/API/V3/Account/83050/Vendor.json?name=Harbor%20Goods%20Co.&archived=true",
            None,
            1.0,
        );
        check(
            &ListVendors {
                name: Some("A, B & C".into()),
                b2b_seller_uid: Some("5f1".into()),
                archived: Archived::Only,
            },
            Method::Get,
            "/API/V3/Account/83050/Vendor.json?name=%3D%2CA%2C%20B%20%26%20C&b2bSellerUID=5f1&archived=only",
            None,
            1.0,
        );
        check(&GetVendor(VendorId(7)), Method::Get, "/API/V3/Account/83050/Vendor/7.json", None, 1.0);
        check(
            &ListItemsByCodes::new(CodeField::Upc, vec!["012345678905".into(), "00098765432109".into()]).unwrap(),
            Method::Get,
            "/API/V3/Account/83050/Item.json?upc=IN%2C%5B%22012345678905%22%2C%2200098765432109%22%5D&archived=true",
            None,
            1.0,
        );
        let mut by_ean = ListItemsByCodes::new(CodeField::Ean, vec!["0098765432109".into()]).unwrap();
        by_ean.archived = Archived::Exclude;
        by_ean.load_relations = vec!["ItemVendorNums", "ItemAttributes"];
        check(
            &by_ean,
            Method::Get,
            "/API/V3/Account/83050/Item.json?ean=IN%2C%5B%220098765432109%22%5D&load_relations=%5B%22ItemVendorNums%22%2C%22ItemAttributes%22%5D",
            None,
            1.0 + 0.8,
        );
        check(
            &ListItems { vendor_num: Some("HG1001-NAT".into()), ..Default::default() },
            Method::Get,
            "/API/V3/Account/83050/Item.json?ItemVendorNums.value=HG1001-NAT&load_relations=%5B%22ItemVendorNums%22%5D",
            None,
            1.4,
        );
        check(
            &ListItems { manufacturer_sku: Some("HG-1001".into()), archived: Archived::Include, ..Default::default() },
            Method::Get,
            "/API/V3/Account/83050/Item.json?manufacturerSku=HG-1001&archived=true",
            None,
            1.0,
        );
        check(
            &ListItems {
                item_matrix_id: Some(ItemMatrixId(12)),
                load_relations: vec!["ItemAttributes"],
                ..Default::default()
            },
            Method::Get,
            "/API/V3/Account/83050/Item.json?itemMatrixID=12&load_relations=%5B%22ItemAttributes%22%5D",
            None,
            1.4,
        );
        check(
            &GetItem { id: ItemId(3), load_relations: vec![] },
            Method::Get,
            "/API/V3/Account/83050/Item/3.json",
            None,
            1.0,
        );
        check(
            &ListOrders::by_ref_num("NuORDER 40718822"),
            Method::Get,
            "/API/V3/Account/83050/Order.json?refNum=NuORDER%2040718822&archived=true",
            None,
            1.0,
        );
        check(
            &ListOrders::by_b2b_order_number("40718822"),
            Method::Get,
            "/API/V3/Account/83050/Order.json?b2bOrderNumber=40718822&archived=true",
            None,
            1.0,
        );
        check(
            &ListOrders::by_either("NuORDER 40718822", "40718822").unwrap(),
            Method::Get,
            "/API/V3/Account/83050/Order.json?or=refNum%3DNuORDER%2040718822%7Cb2bOrderNumber%3D40718822&archived=true",
            None,
            3.0,
        );
        assert_eq!(ListOrders::by_either("a|b", "1"), Err(EndpointError::BadValue("a|b".into())));
        check(
            &GetOrder { id: OrderId(5), load_relations: vec!["OrderLines"] },
            Method::Get,
            "/API/V3/Account/83050/Order/5.json?load_relations=%5B%22OrderLines%22%5D",
            None,
            1.2,
        );
        check(
            &ListOrderLines { order_id: OrderId(5) },
            Method::Get,
            "/API/V3/Account/83050/OrderLine.json?orderID=5",
            None,
            1.0,
        );
    }

    #[test]
    fn in_lookups_and_matrices() {
        let mut by_ids = ListItemsIn::ids([ItemId(3), ItemId(40)]).unwrap();
        by_ids.load_relations = vec!["ItemAttributes", "ItemVendorNums"];
        check(
            &by_ids,
            Method::Get,
            "/API/V3/Account/83050/Item.json?itemID=IN%2C%5B3%2C40%5D&archived=true&load_relations=%5B%22ItemAttributes%22%2C%22ItemVendorNums%22%5D",
            None,
            1.8, // the heuristic counts ItemAttributes as to-many (over-estimates by 0.2)
        );
        check(
            &ListItemsIn::new(ItemInField::ManufacturerSku, vec!["HG-1001".into(), "A,B".into()]).unwrap(),
            Method::Get,
            "/API/V3/Account/83050/Item.json?manufacturerSku=IN%2C%5B%22HG-1001%22%2C%22A%2CB%22%5D&archived=true",
            None,
            1.0,
        );
        check(
            &ListItemsIn::new(ItemInField::VendorNumber, vec!["HG1001-NAT".into()]).unwrap(),
            Method::Get,
            "/API/V3/Account/83050/Item.json?ItemVendorNums.value=IN%2C%5B%22HG1001-NAT%22%5D&archived=true&load_relations=%5B%22ItemVendorNums%22%5D",
            None,
            1.4,
        );
        let too_many: Vec<String> = (0..101).map(|i| i.to_string()).collect();
        assert_eq!(ListItemsIn::new(ItemInField::ItemId, too_many), Err(EndpointError::TooManyCodes(101)));
        assert_eq!(ListItemsIn::new(ItemInField::ItemId, vec!["1]".into()]), Err(EndpointError::BadValue("1]".into())));
        assert_eq!(ListItemsIn::new(ItemInField::ManufacturerSku, vec![]), Err(EndpointError::NoCodes));
        check(
            &ListItemMatrices::by_description("Rain Shell, Navy"),
            Method::Get,
            "/API/V3/Account/83050/ItemMatrix.json?description=%3D%2CRain%20Shell%2C%20Navy&archived=true",
            None,
            1.0,
        );
    }

    #[test]
    fn code_lookups_refuse_bad_batches() {
        let codes = |n: usize| (0..n).map(|i| format!("{:012}", i)).collect::<Vec<_>>();
        assert!(ListItemsByCodes::new(CodeField::Upc, codes(100)).is_ok());
        assert_eq!(ListItemsByCodes::new(CodeField::Upc, codes(101)), Err(EndpointError::TooManyCodes(101)));
        assert_eq!(ListItemsByCodes::new(CodeField::Upc, vec![]), Err(EndpointError::NoCodes));
        for bad in ["N/A", "1234567890", "123456789012345", "01234567890a"] {
            assert_eq!(
                ListItemsByCodes::new(CodeField::Ean, vec![bad.into()]),
                Err(EndpointError::BadCode(bad.into()))
            );
        }
    }

    #[test]
    fn writes() {
        check(
            &CreateVendor(VendorWrite { name: Some("Harbor Goods Co.".into()), ..Default::default() }),
            Method::Post,
            "/API/V3/Account/83050/Vendor.json",
            Some(serde_json::json!({"name": "Harbor Goods Co."})),
            1.0,
        );
        check(
            &CreateItemMatrix(ItemMatrixWrite {
                description: Some("Rain Shell Navy".into()),
                item_attribute_set_id: Some(ItemAttributeSetId::COLOR_SIZE),
                ..Default::default()
            }),
            Method::Post,
            "/API/V3/Account/83050/ItemMatrix.json",
            Some(serde_json::json!({"description": "Rain Shell Navy", "itemAttributeSetID": "1"})),
            1.0,
        );
        let item = ItemWrite {
            description: Some("Rain Shell Navy M".into()),
            item_matrix_id: Some(ItemMatrixId(4)),
            upc: Some("012345678912".into()),
            item_vendor_nums: vec![ItemVendorNumWrite {
                vendor_id: VendorId(1),
                value: "HG-RS".into(),
                cost: Some(money("40")),
            }],
            prices: vec![ItemPriceWrite::default_price(money("99")), ItemPriceWrite::msrp(money("99"))],
            ..Default::default()
        };
        let r = CreateItem(item.clone()).to_http(B, "83050");
        assert_eq!((r.method, r.path_and_query()), (Method::Post, "/API/V3/Account/83050/Item.json"));
        let body: serde_json::Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
        assert_eq!(body["upc"], "012345678912");
        assert_eq!(body["itemMatrixID"], "4");
        assert_eq!(body["ItemVendorNums"]["ItemVendorNum"][0]["value"], "HG-RS");
        assert_eq!(CreateItem(item).cost_hint(), 1.0 + 0.5 * 3.0);

        check(
            &CreateOrder(OrderWrite {
                vendor_id: Some(VendorId(7)),
                shop_id: Some(ShopId(1)),
                ref_num: Some("NuORDER 40718822".into()),
                note: Some(NoteWrite { note: "Order #40718822".into(), is_public: None }),
                ..Default::default()
            }),
            Method::Post,
            "/API/V3/Account/83050/Order.json",
            Some(
                serde_json::json!({"vendorID": "7", "shopID": "1", "refNum": "NuORDER 40718822", "Note": {"note": "Order #40718822"}}),
            ),
            1.5,
        );
        check(
            &UpdateOrder::mark_ordered(OrderId(512), "2026-08-01"),
            Method::Put,
            "/API/V3/Account/83050/Order/512.json",
            Some(serde_json::json!({"orderedDate": "2026-08-01"})),
            1.0,
        );
        let line = CreateOrderLine(OrderLineWrite {
            order_id: Some(OrderId(512)),
            item_id: Some(ItemId(1044)),
            quantity: Some(4),
            price: Some(money("18.00")),
            original_price: Some(money("18.00")),
            ..Default::default()
        });
        let r = line.to_http(B, "83050");
        assert_eq!((r.method, r.path_and_query()), (Method::Post, "/API/V3/Account/83050/OrderLine.json"));
        let body: serde_json::Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
        assert_eq!(body["orderID"], "512");
        assert_eq!(body["itemID"], "1044");
        assert!(body.get("OrderLines").is_none());
        assert_eq!(line.cost_hint(), 1.0);
    }
}
