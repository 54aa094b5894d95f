//! The account and its shops.

use crate::core::ids::{AccountId, ShopId};
use crate::core::Money;
use crate::lightspeed::wire::{de_bool, de_opt_money, de_opt_object, de_opt_string, de_string};
use serde::Deserialize;

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

impl Account {
    /// The default currency's code, upper-cased; `None` when absent or blank.
    pub fn currency_code(&self) -> Option<String> {
        let code = self.default_currency.as_ref()?.code.trim().to_ascii_uppercase();
        (!code.is_empty()).then_some(code)
    }
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
