//! The plain account data every layer passes around: a NuORDER buyer, a linked Lightspeed account,
//! its back-office region, and the link between a buyer and an account. The rules over them (who
//! links to what, which account an export uses) live above, in the top-level accounts module.

use serde::{Deserialize, Serialize};

/// A NuORDER buyer as the NuORDER app reports the signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NuorderAccount {
    pub retailer_id: String,
    pub retailer_name: String,
    pub buyer_email: String,
    pub buyer_name: String,
}

impl NuorderAccount {
    /// Identity of a buyer: the retailer and the buyer's e-mail, case-insensitively.
    pub fn key(&self) -> String {
        format!("{}/{}", self.retailer_id, self.buyer_email.to_lowercase())
    }

    /// Refuse values no NuORDER page would send (the content script is not trusted).
    pub fn validate(&self) -> Result<(), AccountsError> {
        let fields = [
            ("retailer_id", &self.retailer_id, 64),
            ("retailer_name", &self.retailer_name, 300),
            ("buyer_email", &self.buyer_email, 320),
            ("buyer_name", &self.buyer_name, 300),
        ];
        for (name, value, max) in fields {
            if value.trim().is_empty() || value.chars().count() > max || value.chars().any(char::is_control) {
                return Err(AccountsError::InvalidNuorderAccount(name));
            }
        }
        if !self.buyer_email.contains('@') {
            return Err(AccountsError::InvalidNuorderAccount("buyer_email"));
        }
        Ok(())
    }
}

/// Lightspeed back-office region: where "View PO #" links point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Region {
    #[default]
    Us,
    Eu,
    Aus,
}

impl Region {
    pub const ALL: [Region; 3] = [Region::Us, Region::Eu, Region::Aus];

    /// The region's name as the wire writes it (`rename_all = "lowercase"`; the test holds them
    /// together): the popup's region picker and the extension pages' requests use it.
    pub fn name(self) -> &'static str {
        match self {
            Region::Us => "us",
            Region::Eu => "eu",
            Region::Aus => "aus",
        }
    }

    pub fn host(self) -> &'static str {
        match self {
            Region::Us => "us.merchantos.com",
            Region::Eu => "eu.merchantos.com",
            Region::Aus => "aus.merchantos.com",
        }
    }

    /// The purchase order's page in Lightspeed's back office (`lightspeed-r-series-api.md` §10).
    pub fn po_url(self, order_id: &str) -> String {
        format!("https://{}/?name=purchase.views.purchase&form_name=view&id={}&tab=main", self.host(), order_id)
    }
}

/// A linked Lightspeed R-Series account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LightspeedAccount {
    pub account_id: String,
    pub name: String,
    /// The OAuth client the tokens were issued to (one per browser).
    pub client_id: String,
    #[serde(default)]
    pub region: Region,
    #[serde(default)]
    pub default_shop_id: Option<String>,
    /// The refresh token was refused: the merchant must link again; exports wait.
    #[serde(default)]
    pub needs_relink: bool,
    pub linked_at_ms: u64,
    /// The account's default currency (`Account/{id}.json` `defaultCurrency.code`), learnt at link
    /// time; `None` for an account linked before PO Bridge kept it, until its next preview learns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// A NuORDER buyer exporting into a Lightspeed account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuyerLink {
    pub buyer: NuorderAccount,
    pub account_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountsError {
    #[error("That Lightspeed account is not linked. Link it first from the Linked accounts screen.")]
    UnknownAccount,
    #[error("NuORDER reported an account PO Bridge cannot use ({0}). Sign in to NuORDER again and retry.")]
    InvalidNuorderAccount(&'static str),
    #[error("That location is not one of this account's active shops. Pick another location.")]
    UnknownShop,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buyer(retailer_id: &str, email: &str, name: &str) -> NuorderAccount {
        NuorderAccount {
            retailer_id: retailer_id.into(),
            retailer_name: "Juniper & Pine".into(),
            buyer_email: email.into(),
            buyer_name: name.into(),
        }
    }

    #[test]
    fn a_buyer_is_valid_only_with_every_field_sane() {
        let long = "x".repeat(301);
        let rows: &[(NuorderAccount, Result<(), AccountsError>)] = &[
            (buyer("r1", "sam@example.com", "Sam"), Ok(())),
            (buyer(" ", "sam@example.com", "Sam"), Err(AccountsError::InvalidNuorderAccount("retailer_id"))),
            (buyer("r1", "no-at-sign", "Sam"), Err(AccountsError::InvalidNuorderAccount("buyer_email"))),
            (buyer("r1", "sam@example.com", ""), Err(AccountsError::InvalidNuorderAccount("buyer_name"))),
            (buyer("r1", "sam@example.com", &long), Err(AccountsError::InvalidNuorderAccount("buyer_name"))),
            (buyer("r1\n", "sam@example.com", "Sam"), Err(AccountsError::InvalidNuorderAccount("retailer_id"))),
        ];
        for (b, want) in rows {
            assert_eq!(&b.validate(), want, "{b:?}");
        }
    }

    #[test]
    fn a_buyer_is_known_by_retailer_and_email_whatever_its_case() {
        assert_eq!(buyer("r1", "Sam@Example.com", "Sam").key(), buyer("r1", "sam@example.com", "S").key());
        assert_ne!(buyer("r1", "sam@example.com", "Sam").key(), buyer("r2", "sam@example.com", "Sam").key());
    }

    #[test]
    fn regions_name_their_back_office() {
        let rows =
            [(Region::Us, "us.merchantos.com"), (Region::Eu, "eu.merchantos.com"), (Region::Aus, "aus.merchantos.com")];
        for (region, host) in rows {
            assert_eq!(region.host(), host);
            assert!(region.po_url("7").starts_with(&format!("https://{host}/?")), "{region:?}");
        }
        assert_eq!(Region::default(), Region::Us);
    }

    #[test]
    fn a_region_s_name_is_its_wire_form() {
        for region in Region::ALL {
            assert_eq!(serde_json::to_value(region).unwrap(), region.name());
        }
    }
}
