//! Knowing an exported order changed (issue 18, item 1): what an orders-list row shows (its Total
//! and status, [`App::row_statuses`], the rule [`made_from::PoSource::shown_moved`]) and, wherever
//! the order document is at hand (staging, the detail page's read), the order itself are compared
//! with what its PO was made from
//! ([`made_from::observe`], the rule is [`crate::update::Basis`]); the result is kept as the last
//! state known, which the badge ([`super::status::with_changes`]) and the popup's history
//! ([`history::follow`]) show.

use super::accounts::LightspeedAccount;
use super::errors::AppError;
use super::history;
use super::keys::StorageKey;
use super::made_from;
use super::platform::{Calendar, KvStore};
use super::service::{App, Clients};
use super::sessions::Asker;
use super::status::{self, RecentAnswers};
use super::store;
use crate::export::journal::JobKey;
use crate::nuorder::model::{parse_order_value, Order};
use crate::protocol::{HistoryEntry, OrderRef, OrderStatusView, ShownRow};

impl<K: KvStore, Cal: Calendar, L: Clients> App<K, Cal, L> {
    /// Compare `order` with what the PO of this account's export of it was made from, and keep
    /// the result (the badge and the history follow). `Some(changed)` when there is a PO to
    /// compare with.
    pub async fn note_order(&self, account_id: &str, order: &Order) -> Option<bool> {
        let key = JobKey { account_id: account_id.to_string(), order_id: order.id.clone() };
        let changed = made_from::observe(&self.store, &key, order).await?;
        self.follow_history(&order.id, changed).await;
        Some(changed)
    }

    async fn follow_history(&self, order_id: &str, changed: bool) {
        let mut list: Vec<HistoryEntry> =
            store::get_or_default(&self.store, &StorageKey::History).await.unwrap_or_default();
        if history::follow(&mut list, order_id, changed) {
            let _ = store::put(&self.store, &StorageKey::History, &list).await;
        }
    }

    /// A list page's status request: what its rows show of exported orders (Total, status) is
    /// compared with what their POs were made from first — a row whose figures moved turns
    /// *Changed since export · Review*, and its Review reads the whole order (staging compares it
    /// again, line by line) — then the statuses are answered as [`App::statuses`] does.
    pub async fn row_statuses(
        &self,
        orders: &[OrderRef],
        shown: &[ShownRow],
        asker: Asker,
        recent: &std::cell::RefCell<RecentAnswers>,
    ) -> Result<(bool, Vec<OrderStatusView>), AppError> {
        let account = self.account_for_tab(asker).await;
        if let (Ok(account), false) = (&account, shown.len() > orders.len()) {
            self.note_rows(account, orders, shown).await;
        }
        self.statuses_for(account, orders, asker, recent).await
    }

    /// What the shown rows of the asked orders say, against what their POs were made from (the
    /// order-number index is read only when a row of an asked order has no id to go by).
    async fn note_rows(&self, account: &LightspeedAccount, orders: &[OrderRef], shown: &[ShownRow]) {
        let acc = account.account_id.as_str();
        // Only rows of the orders asked about, by their number.
        let (rows, asked): (Vec<&ShownRow>, Vec<OrderRef>) = shown
            .iter()
            .filter_map(|row| orders.iter().find(|o| o.order_number == row.order_number).map(|o| (row, o.clone())))
            .unzip();
        let ids = status::order_ids(&self.store, acc, &asked).await;
        for (row, id) in rows.into_iter().zip(ids) {
            let Some(id) = id else { continue };
            let key = JobKey { account_id: acc.to_string(), order_id: id.clone() };
            if made_from::observe_shown(&self.store, &key, row).await == Some(true) {
                self.follow_history(&id, true).await;
            }
        }
    }

    /// The order document a page read (the detail page reads it when it opens): compared with
    /// what its PO was made from, for the tab's account; answers the order's status as
    /// [`App::statuses`] does — or nothing when there is no PO source to compare with (the page's
    /// status request already says all there is: nothing is asked of Lightspeed twice).
    pub async fn observe(
        &self,
        order: &serde_json::Value,
        asker: Asker,
        recent: &std::cell::RefCell<RecentAnswers>,
    ) -> Result<(bool, Vec<OrderStatusView>), AppError> {
        let order =
            parse_order_value(order).map_err(|e| AppError::Invalid(format!("This order cannot be read: {e}")))?;
        let account = self.account_for_tab(asker).await;
        let noted = match &account {
            Ok(account) => self.note_order(&account.account_id, &order).await,
            Err(_) => None,
        };
        if noted.is_none() {
            return Ok((true, Vec::new()));
        }
        let asked = OrderRef { order_id: Some(order.id.clone()), order_number: order.order_number.clone() };
        self.statuses_for(account, &[asked], asker, recent).await
    }
}
