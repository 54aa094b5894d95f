//! Vendors: looked up by name or NuORDER seller id, created when missing.

use super::common::{account_url, create_endpoint, get, write, write_cost, Archived, Endpoint, Query};
use crate::core::ids::VendorId;
use crate::lightspeed::http::{HttpRequest, Method};
use crate::lightspeed::models::{Vendor, VendorWrite};

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

create_endpoint!(
    /// `POST Vendor.json`.
    CreateVendor, VendorWrite, Vendor, "Vendor.json"
);
