//! The requests an export job needs to converge with a second export of the same order (issue
//! 16): archiving a record it created itself and gave up for an older twin (`DELETE Order`,
//! `DELETE Item`, `DELETE Vendor` archive), and removing a line it added twice (`DELETE
//! OrderLine` is permanent).

use super::common::{account_url, Endpoint, Query};
use crate::core::ids::{ItemId, OrderId, OrderLineId, VendorId};
use crate::lightspeed::http::{HttpRequest, Method};
use crate::lightspeed::models::{Item, Order, OrderLine, Vendor};

fn delete(url: String) -> HttpRequest {
    HttpRequest::new(Method::Delete, url).with_header("Accept", "application/json")
}

macro_rules! delete_endpoint {
    ($(#[$doc:meta])* $name:ident, $id:ty, $record:ty, $resource:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $name(pub $id);

        impl Endpoint for $name {
            type Record = $record;
            fn to_http(&self, api_base: &str, account_id: &str) -> HttpRequest {
                let rel = format!(concat!($resource, "/{}.json"), self.0);
                delete(account_url(api_base, account_id, &rel, &Query::default()))
            }
        }
    };
}

delete_endpoint!(
    /// `DELETE Order/{id}.json`: archives the PO (still readable, `archived: "true"`, takes no new lines).
    DeleteOrder, OrderId, Order, "Order"
);
delete_endpoint!(
    /// `DELETE Item/{id}.json`: archives the item and zeroes its stock.
    DeleteItem, ItemId, Item, "Item"
);
delete_endpoint!(
    /// `DELETE Vendor/{id}.json`: archives the vendor.
    DeleteVendor, VendorId, Vendor, "Vendor"
);
delete_endpoint!(
    /// `DELETE OrderLine/{id}.json`: removes the line for good (a second DELETE → 404).
    DeleteOrderLine, OrderLineId, OrderLine, "OrderLine"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deletes_go_to_the_record() {
        let r = DeleteOrder(OrderId(7)).to_http("https://api.lightspeedapp.com", "1");
        assert_eq!(r.method, Method::Delete);
        assert_eq!(r.url, "https://api.lightspeedapp.com/API/V3/Account/1/Order/7.json");
        let r = DeleteOrderLine(OrderLineId(9)).to_http("https://x", "2");
        assert_eq!(r.url, "https://x/API/V3/Account/2/OrderLine/9.json");
    }
}
