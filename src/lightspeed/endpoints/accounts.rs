//! The account and its shops.

use super::common::{account_url, get, Archived, Endpoint, Query};
use crate::lightspeed::http::HttpRequest;
use crate::lightspeed::models::{Account, Shop};

/// `GET /API/V3/Account.json`: the accounts this token reaches (`account_id` is ignored).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GetAccounts;

impl Endpoint for GetAccounts {
    type Record = Account;
    fn to_http(&self, api_base: &str, _account_id: &str) -> HttpRequest {
        get(format!("{}/API/V3/Account.json", api_base.trim_end_matches('/')))
    }
}

/// `GET /API/V3/Account/{id}.json`: the account itself, with its `defaultCurrency` (the list form
/// carries only id, name and link: reference §2.8).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GetAccount;

impl Endpoint for GetAccount {
    type Record = Account;
    fn to_http(&self, api_base: &str, account_id: &str) -> HttpRequest {
        get(format!("{}/API/V3/Account/{}.json", api_base.trim_end_matches('/'), account_id))
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
