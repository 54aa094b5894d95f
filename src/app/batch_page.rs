//! A list page and the batches (issue 19): the bar after a reload shows the tab's running set at
//! once ([`App::running_batch`], asked by the in-page layer on load), and a page's status answer
//! shows the orders waiting in a set as *Queued · k of n* ([`with_queued`]), so a reload
//! neither hides a running batch nor offers its waiting orders for another.

use super::accounts::LightspeedAccount;
use super::batch::unfinished_sets;
use super::batch_flow::set_view;
use super::batch_run::unstarted_view;
use super::errors::AppError;
use super::keys::StorageKey;
use super::platform::{Calendar, KvStore};
use super::service::{App, Clients};
use super::sessions::Asker;
use super::staging::StagedRecord;
use super::store;
use super::unfinished::Reading;
use crate::export::batch::{unstarted, JobSet, Unstarted};
use crate::protocol::{OrderStatusView, SetView};

impl<K: KvStore, Cal: Calendar, L: Clients> App<K, Cal, L> {
    /// The unfinished set of the tab's account with an order staged by this tab (`None`: none, or
    /// the tab has no account).
    pub async fn running_batch(&self, asker: Asker) -> Result<Option<SetView>, AppError> {
        let Some(tab) = asker.tab_id else { return Ok(None) };
        let account = match self.account_for_tab(asker).await {
            Ok(a) => a,
            Err(AppError::NoSession | AppError::NoAccount) => return Ok(None),
            Err(e) => return Err(e),
        };
        let sets = unfinished_sets(&self.journals(), Reading::Look).await?;
        for set in sets.into_iter().filter(|s| s.key.account_id == account.account_id) {
            for o in &set.orders {
                let key = StorageKey::Staged(o.order_id.clone());
                let record: Option<StagedRecord> = store::get(&self.store, &key).await.ok().flatten();
                if record.is_some_and(|r| r.tab_id == Some(tab)) {
                    return Ok(Some(set_view(&set)));
                }
            }
        }
        Ok(None)
    }
}

/// A page's statuses with each order waiting in an unfinished set of `account` shown as
/// *Queued · k of n* (its own status says *Not exported*: it has no export of its own yet). `sets`
/// are [`unfinished_sets`], listed beside the statuses' reads (one round of reads fewer).
pub fn with_queued(account: &LightspeedAccount, sets: &[JobSet], views: &mut [OrderStatusView]) {
    for set in sets.iter().filter(|s| s.key.account_id == account.account_id) {
        for (i, u) in unstarted(set) {
            if !matches!(u, Unstarted::Queued { .. }) {
                continue;
            }
            let queued = unstarted_view(account, set, i, u);
            for v in views.iter_mut().filter(|v| v.order_number == queued.order_number) {
                *v = queued.clone();
            }
        }
    }
}
