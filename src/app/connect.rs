//! Link where you are (issue 20): a buyer with no Lightspeed account who clicks *Export order to
//! POS* gets the export dialog all the same, with a *Connect Lightspeed* step in place of the plan.
//!
//! The click stages the order as always, and the capability is issued with no account
//! ([`Capability::account_id`] `None`). The dialog's preview then answers [`ConnectView`]. Its
//! button asks the background ([`crate::protocol::Request::ConnectLightspeed`], extension pages
//! only, with the capability) to run the same OAuth + PKCE link as the popup; once linked,
//! [`App::connected`] links the buyer who staged the order to the new account, makes the
//! account's only active location its default (with several and no default yet, the dialog asks
//! once, before it goes on), spends the capability and issues a new one for the same tab and
//! order bound to the new account. The dialog reloads on it and shows the order's preview.

use super::capability::{Capability, Holder, Use};
use super::errors::AppError;
use super::keys::StorageKey;
use super::platform::{Calendar, KvStore};
use super::service::shop_views;
use super::service::App;
use super::service::Clients;
use super::staging::{self, StagedRecord};
use super::store;
use crate::protocol::{ConnectView, ShopView};

/// What [`App::connected`] hands the dialog: the new account, the dialog's new path, and the
/// locations to choose the default from (empty: nothing to choose).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connected {
    pub account_id: String,
    pub dialog: String,
    pub shops: Vec<ShopView>,
}

/// Said when a Connect step is asked of a dialog whose export already has an account.
const ALREADY_CONNECTED: &str =
    "This order's export already has a Lightspeed account. Close this window and click Export order to POS again.";

impl<K: KvStore, Cal: Calendar, L: Clients> App<K, Cal, L> {
    /// The Connect step's content for a capability with no account.
    pub(super) async fn connect_view(&self, cap: &Capability) -> Result<ConnectView, AppError> {
        let record = self.staged_record(&cap.order_id).await?;
        let staged = staging::validate(&record)?;
        let buyer = record.buyer.as_ref().map(|b| format!("{}, {}", b.buyer_name, b.retailer_name)).unwrap_or_default();
        Ok(ConnectView {
            order_number: staged.order.order_number.clone(),
            vendor: staged.brand.name.unwrap_or_default(),
            buyer,
        })
    }

    /// The Connect step's capability, checked before the consent window opens: valid for this
    /// dialog, unspent, and still without an account.
    pub async fn connect_check(&self, token: &str, holder: Holder) -> Result<Capability, AppError> {
        let cap = self.capability(token, holder, None, Use::Write).await?;
        if cap.account_id.is_some() {
            return Err(AppError::Invalid(ALREADY_CONNECTED.into()));
        }
        Ok(cap)
    }

    /// After the consent linked `account_id`: the buyer who staged the order is linked to it, its
    /// only active location becomes the default, and the dialog's capability is spent and
    /// re-issued (`nonce`: fresh random bytes) for the same tab and order, bound to the account.
    pub async fn connected(
        &self,
        token: &str,
        holder: Holder,
        account_id: &str,
        nonce: &[u8],
    ) -> Result<Connected, AppError> {
        let cap = self.connect_check(token, holder).await?;
        let mut record = self.staged_record(&cap.order_id).await?;
        let buyer = record.buyer.clone().ok_or(AppError::NoSession)?;
        let mut state = self.state().await?;
        state.link_buyer(buyer, account_id)?;
        self.save_state(&state).await?;
        record.account_id = Some(account_id.to_string());
        store::put(&self.store, &StorageKey::Staged(cap.order_id.clone()), &record).await?;
        let account = state.account(account_id).cloned().ok_or(AppError::NoAccount)?;
        let mut shops = Vec::new();
        if account.default_shop_id.is_none() {
            shops = shop_views(&self.shops(&account).await?);
            if let [only] = shops.as_slice() {
                self.set_default_shop(account_id, &only.shop_id).await?;
                shops.clear();
            }
        }
        self.spend(token, cap.clone()).await?;
        let fresh = Capability {
            account_id: Some(account_id.to_string()),
            issued_ms: self.calendar.now_ms(),
            frame_id: None,
            spent: false,
            ..cap
        };
        Ok(Connected { account_id: account_id.to_string(), dialog: self.issue(fresh, nonce).await?, shops })
    }

    async fn staged_record(&self, order_id: &str) -> Result<StagedRecord, AppError> {
        store::get(&self.store, &StorageKey::Staged(order_id.to_string()))
            .await?
            .ok_or_else(|| AppError::NotFound(super::exports::NOT_STAGED.into()))
    }
}
