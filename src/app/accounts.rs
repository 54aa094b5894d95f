//! Linked accounts: which Lightspeed R-Series accounts PO Bridge may use, and which NuORDER buyer
//! exports into which of them. Pure data and rules; the background stores it (never tokens: those
//! live in the background's secret store, keyed by account id).
//!
//! Rules (from the first-party integration, see `shared/seed`): many NuORDER buyers may link to one
//! Lightspeed account; each NuORDER buyer links to one Lightspeed account at a time. Unlinking an
//! account removes its buyer links and keeps the export history.

pub use crate::core::accounts::{AccountsError, BuyerLink, LightspeedAccount, NuorderAccount, Region};
use serde::{Deserialize, Serialize};

/// Everything the popup's Linked accounts screen is built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AccountsState {
    #[serde(default)]
    pub lightspeed: Vec<LightspeedAccount>,
    #[serde(default)]
    pub links: Vec<BuyerLink>,
}

impl AccountsState {
    pub fn account(&self, account_id: &str) -> Option<&LightspeedAccount> {
        self.lightspeed.iter().find(|a| a.account_id == account_id)
    }

    fn account_mut(&mut self, account_id: &str) -> Result<&mut LightspeedAccount, AccountsError> {
        self.lightspeed.iter_mut().find(|a| a.account_id == account_id).ok_or(AccountsError::UnknownAccount)
    }

    /// Add a newly authorised account, or refresh one linked before (a re-link keeps its settings
    /// and its buyers, and clears `needs_relink`).
    pub fn upsert_lightspeed(&mut self, account: LightspeedAccount) {
        match self.lightspeed.iter_mut().find(|a| a.account_id == account.account_id) {
            Some(existing) => {
                existing.name = account.name;
                existing.client_id = account.client_id;
                existing.needs_relink = false;
                existing.linked_at_ms = account.linked_at_ms;
                existing.currency = account.currency.or(existing.currency.take());
            }
            None => self.lightspeed.push(account),
        }
    }

    /// Link a NuORDER buyer to an account, replacing the buyer's previous link.
    pub fn link_buyer(&mut self, buyer: NuorderAccount, account_id: &str) -> Result<(), AccountsError> {
        buyer.validate()?;
        self.account(account_id).ok_or(AccountsError::UnknownAccount)?;
        let key = buyer.key();
        self.links.retain(|l| l.buyer.key() != key);
        self.links.push(BuyerLink { buyer, account_id: account_id.to_string() });
        Ok(())
    }

    /// Remove an account and every buyer link to it. Returns the removed account.
    pub fn unlink(&mut self, account_id: &str) -> Result<LightspeedAccount, AccountsError> {
        let pos =
            self.lightspeed.iter().position(|a| a.account_id == account_id).ok_or(AccountsError::UnknownAccount)?;
        self.links.retain(|l| l.account_id != account_id);
        Ok(self.lightspeed.remove(pos))
    }

    /// The account a buyer exports into.
    pub fn account_for_buyer(&self, buyer: &NuorderAccount) -> Option<&LightspeedAccount> {
        let key = buyer.key();
        self.links.iter().find(|l| l.buyer.key() == key).and_then(|l| self.account(&l.account_id))
    }

    /// The account an export from this buyer goes to: the buyer's link; else, when the buyer has
    /// no link (or is unknown) and exactly one account is linked, that account.
    pub fn account_for(&self, buyer: Option<&NuorderAccount>) -> Option<&LightspeedAccount> {
        if let Some(a) = buyer.and_then(|b| self.account_for_buyer(b)) {
            return Some(a);
        }
        match self.lightspeed.as_slice() {
            [only] => Some(only),
            _ => None,
        }
    }

    /// Set the default location; `live_shop_ids` are the account's non-archived shops.
    pub fn set_default_shop(
        &mut self,
        account_id: &str,
        shop_id: &str,
        live_shop_ids: &[String],
    ) -> Result<(), AccountsError> {
        if !live_shop_ids.iter().any(|s| s == shop_id) {
            return Err(AccountsError::UnknownShop);
        }
        self.account_mut(account_id)?.default_shop_id = Some(shop_id.to_string());
        Ok(())
    }

    pub fn set_region(&mut self, account_id: &str, region: Region) -> Result<(), AccountsError> {
        self.account_mut(account_id)?.region = region;
        Ok(())
    }

    /// Keep the account's default currency, learnt after its link ([`LightspeedAccount::currency`]).
    pub fn set_currency(&mut self, account_id: &str, code: String) {
        if let Ok(a) = self.account_mut(account_id) {
            a.currency = Some(code);
        }
    }

    pub fn mark_needs_relink(&mut self, account_id: &str) {
        if let Ok(a) = self.account_mut(account_id) {
            a.needs_relink = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buyer(email: &str) -> NuorderAccount {
        NuorderAccount {
            retailer_id: "r1".into(),
            retailer_name: "Juniper & Pine".into(),
            buyer_email: email.into(),
            buyer_name: "Sam".into(),
        }
    }
    fn acct(id: &str) -> LightspeedAccount {
        LightspeedAccount {
            account_id: id.into(),
            name: format!("Store {id}"),
            client_id: "c".into(),
            region: Region::Us,
            default_shop_id: None,
            needs_relink: false,
            linked_at_ms: 1,
            currency: None,
        }
    }

    #[test]
    fn many_buyers_link_to_one_account_and_each_buyer_to_one_at_a_time() {
        let mut s = AccountsState::default();
        s.upsert_lightspeed(acct("1"));
        s.upsert_lightspeed(acct("2"));
        s.link_buyer(buyer("a@x.com"), "1").unwrap();
        s.link_buyer(buyer("b@x.com"), "1").unwrap();
        assert_eq!(s.account_for_buyer(&buyer("a@x.com")).unwrap().account_id, "1");
        s.link_buyer(buyer("A@X.com"), "2").unwrap();
        assert_eq!(s.links.len(), 2, "re-linking a buyer replaces its link");
        assert_eq!(s.account_for_buyer(&buyer("a@x.com")).unwrap().account_id, "2");
        assert_eq!(s.account_for_buyer(&buyer("b@x.com")).unwrap().account_id, "1");
    }

    #[test]
    fn linking_to_an_unknown_account_or_with_bad_data_is_refused() {
        let mut s = AccountsState::default();
        assert_eq!(s.link_buyer(buyer("a@x.com"), "9"), Err(AccountsError::UnknownAccount));
        s.upsert_lightspeed(acct("1"));
        assert_eq!(s.link_buyer(buyer("not-an-email"), "1"), Err(AccountsError::InvalidNuorderAccount("buyer_email")));
        let mut b = buyer("a@x.com");
        b.retailer_id = "  ".into();
        assert_eq!(s.link_buyer(b, "1"), Err(AccountsError::InvalidNuorderAccount("retailer_id")));
        let mut b = buyer("a@x.com");
        b.buyer_name = "x".repeat(301);
        assert!(s.link_buyer(b, "1").is_err());
        assert!(s.links.is_empty());
    }

    #[test]
    fn unlink_removes_the_account_and_its_buyers_only() {
        let mut s = AccountsState::default();
        s.upsert_lightspeed(acct("1"));
        s.upsert_lightspeed(acct("2"));
        s.link_buyer(buyer("a@x.com"), "1").unwrap();
        s.link_buyer(buyer("b@x.com"), "2").unwrap();
        assert_eq!(s.unlink("1").unwrap().account_id, "1");
        assert_eq!(s.lightspeed.len(), 1);
        assert_eq!(s.links.len(), 1);
        assert_eq!(s.unlink("1"), Err(AccountsError::UnknownAccount));
    }

    #[test]
    fn relinking_keeps_settings_and_clears_needs_relink() {
        let mut s = AccountsState::default();
        s.upsert_lightspeed(acct("1"));
        s.set_default_shop("1", "2", &["1".into(), "2".into()]).unwrap();
        s.set_region("1", Region::Eu).unwrap();
        s.mark_needs_relink("1");
        let mut again = acct("1");
        again.name = "Renamed".into();
        s.upsert_lightspeed(again);
        let a = s.account("1").unwrap();
        assert_eq!(
            (a.name.as_str(), a.default_shop_id.as_deref(), a.region, a.needs_relink),
            ("Renamed", Some("2"), Region::Eu, false)
        );
    }

    #[test]
    fn exports_go_to_the_buyers_link_else_to_the_only_account() {
        let mut s = AccountsState::default();
        assert!(s.account_for(None).is_none());
        s.upsert_lightspeed(acct("1"));
        assert_eq!(s.account_for(None).unwrap().account_id, "1");
        assert_eq!(s.account_for(Some(&buyer("a@x.com"))).unwrap().account_id, "1");
        s.upsert_lightspeed(acct("2"));
        assert!(s.account_for(Some(&buyer("a@x.com"))).is_none(), "two accounts and no link: ask the user");
        s.link_buyer(buyer("a@x.com"), "2").unwrap();
        assert_eq!(s.account_for(Some(&buyer("a@x.com"))).unwrap().account_id, "2");
    }

    #[test]
    fn default_shop_must_be_a_live_shop() {
        let mut s = AccountsState::default();
        s.upsert_lightspeed(acct("1"));
        assert_eq!(s.set_default_shop("1", "3", &["1".into()]), Err(AccountsError::UnknownShop));
    }

    #[test]
    fn po_links_point_at_the_region() {
        assert_eq!(
            Region::Eu.po_url("42"),
            "https://eu.merchantos.com/?name=purchase.views.purchase&form_name=view&id=42&tab=main"
        );
        assert_eq!(serde_json::to_string(&Region::Aus).unwrap(), "\"aus\"");
    }
}
