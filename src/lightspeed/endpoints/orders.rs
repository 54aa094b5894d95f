//! Purchase orders and their lines: the "already exported?" lookups, the create, the update that
//! marks a PO Ordered, and the lines.

use super::common::{
    account_url, create_endpoint, get, relations_cost, write, write_cost, Archived, Endpoint, EndpointError, Query,
};
use crate::core::ids::{ItemId, OrderId, OrderLineId};
use crate::lightspeed::http::{HttpRequest, Method};
use crate::lightspeed::models::{Order, OrderLine, OrderLineWrite, OrderWrite};

/// `GET Order.json` by one marker: our `refNum`, or the first-party integration's `b2bOrderNumber`
/// (two plain lookups, not an `or=`: each costs 1 where an `or` costs 3, reference §6). Archived
/// orders are included by default (an archived PO still means "exported").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOrders {
    marker: Marker,
    pub archived: Archived,
    pub load_relations: Vec<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Marker {
    RefNum(String),
    B2bOrderNumber(String),
}

impl ListOrders {
    fn by(marker: Marker) -> Self {
        ListOrders { marker, archived: Archived::Include, load_relations: Vec::new() }
    }
    pub fn by_ref_num(ref_num: impl Into<String>) -> Self {
        ListOrders::by(Marker::RefNum(ref_num.into()))
    }
    pub fn by_b2b_order_number(n: impl Into<String>) -> Self {
        ListOrders::by(Marker::B2bOrderNumber(n.into()))
    }
}

impl Endpoint for ListOrders {
    type Record = Order;
    fn to_http(&self, api_base: &str, account_id: &str) -> HttpRequest {
        let mut q = Query::default();
        match &self.marker {
            Marker::RefNum(r) => q.eq("refNum", r),
            Marker::B2bOrderNumber(b) => q.eq("b2bOrderNumber", b),
        };
        q.archived(self.archived);
        q.relations(&self.load_relations);
        get(account_url(api_base, account_id, "Order.json", &q))
    }
    fn cost_hint(&self) -> f64 {
        1.0 + relations_cost(&self.load_relations, true)
    }
}

/// The marker field a [`FindOrders`] lookup filters with `IN`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderRefField {
    /// `refNum`: PO Bridge's marker, `NuORDER <order number>`.
    RefNum,
    /// `b2bOrderNumber`: the first-party integration's marker, the bare order number.
    B2bOrderNumber,
}

impl OrderRefField {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderRefField::RefNum => "refNum",
            OrderRefField::B2bOrderNumber => "b2bOrderNumber",
        }
    }
}

/// `GET Order.json?{refNum|b2bOrderNumber}=IN,["…"]&archived=true`: the POs carrying any of ≤ 100
/// markers (sent as JSON strings, so `NuORDER 40718822` and leading zeros survive). Archived POs are
/// included by default: an archived PO still means "exported".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindOrders {
    field: OrderRefField,
    values: Vec<String>,
    pub archived: Archived,
}

impl FindOrders {
    pub const MAX_VALUES: usize = 100;

    pub fn new(field: OrderRefField, values: Vec<String>) -> Result<Self, EndpointError> {
        if values.is_empty() {
            return Err(EndpointError::NoCodes);
        }
        if values.len() > Self::MAX_VALUES {
            return Err(EndpointError::TooManyCodes(values.len()));
        }
        Ok(FindOrders { field, values, archived: Archived::Include })
    }

    pub fn field(&self) -> OrderRefField {
        self.field
    }

    pub fn values(&self) -> &[String] {
        &self.values
    }
}

impl Endpoint for FindOrders {
    type Record = Order;
    fn to_http(&self, api_base: &str, account_id: &str) -> HttpRequest {
        let mut q = Query::default();
        let list = serde_json::to_string(&self.values).expect("strings serialize");
        q.push(self.field.as_str(), format!("IN,{list}"));
        q.archived(self.archived);
        get(account_url(api_base, account_id, "Order.json", &q))
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

/// `GET Order/{id}.json`: one PO (archived ones too), its header as Lightspeed shows it now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetOrder(pub OrderId);

impl Endpoint for GetOrder {
    type Record = Order;
    fn to_http(&self, api_base: &str, account_id: &str) -> HttpRequest {
        get(account_url(api_base, account_id, &format!("Order/{}.json", self.0), &Query::default()))
    }
}

/// `PUT OrderLine/{id}.json` (partial: only the given fields change), e.g. a new `quantity` or
/// `price` when the order changed in NuORDER. Repeating it is harmless (the values are absolute).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateOrderLine {
    pub id: OrderLineId,
    pub changes: OrderLineWrite,
}

impl Endpoint for UpdateOrderLine {
    type Record = OrderLine;
    fn to_http(&self, api_base: &str, account_id: &str) -> HttpRequest {
        write(
            Method::Put,
            account_url(api_base, account_id, &format!("OrderLine/{}.json", self.id), &Query::default()),
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
    /// Only the lines of this item (one request, where the whole PO would be one per 100 lines).
    pub item_id: Option<ItemId>,
}

impl Endpoint for ListOrderLines {
    type Record = OrderLine;
    fn to_http(&self, api_base: &str, account_id: &str) -> HttpRequest {
        let mut q = Query::default();
        q.push("orderID", self.order_id.to_string());
        if let Some(item) = self.item_id {
            q.push("itemID", item.to_string());
        }
        get(account_url(api_base, account_id, "OrderLine.json", &q))
    }
}

create_endpoint!(
    /// `POST OrderLine.json`.
    CreateOrderLine, OrderLineWrite, OrderLine, "OrderLine.json"
);
