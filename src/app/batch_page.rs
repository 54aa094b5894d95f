//! A list page and the batches (issue 19): the bar on a page's load shows the running set of the
//! tab's buyer at once ([`App::running_batch`], asked by the in-page layer on load: after a
//! reload, or on a tab the buyer opens while the set runs), and a page's status answer
//! shows the orders waiting in a set as *Queued · k of n* ([`with_queued`]), so a reload
//! neither hides a running batch nor offers its waiting orders for another.

use super::accounts::{LightspeedAccount, NuorderAccount};
use super::batch::unfinished_sets;
use super::batch_flow::set_view;
use super::batch_run::unstarted_view;
use super::errors::AppError;
use super::platform::{Calendar, KvStore};
use super::service::{App, Clients};
use super::sessions::{self, Asker};
use super::unfinished::Reading;
use crate::export::batch::{unstarted, JobSet, Unstarted};
use crate::protocol::{OrderStatusView, SetView};

impl<K: KvStore, Cal: Calendar, L: Clients> App<K, Cal, L> {
    /// The unfinished set of the tab's account whose buyer is signed in on the tab: the tab is one
    /// of the tabs its events go to ([`sessions::tabs_of_buyer`]), so a tab the buyer opens while a
    /// set runs shows its bar on load, as the staging tab does after a reload (`None`: none, the
    /// tab has no account, or it shows another buyer, even one exporting into the same account).
    pub async fn running_batch(&self, asker: Asker) -> Result<Option<SetView>, AppError> {
        let Some(tab) = asker.tab_id else { return Ok(None) };
        let (state, seen) = futures::join!(self.state(), self.sessions());
        let account = match sessions::account_for_tab(&state?, &seen, asker) {
            Ok(a) => a.account_id.clone(),
            Err(AppError::NoSession | AppError::NoAccount) => return Ok(None),
            Err(e) => return Err(e),
        };
        let sets = unfinished_sets(&self.journals(), Reading::Look).await?;
        for set in sets.into_iter().filter(|s| s.key.account_id == account) {
            let buyer = self.set_buyer(&set).await;
            if buyer.is_some_and(|b| sessions::tabs_of_buyer(&seen, &b).contains(&tab)) {
                return Ok(Some(set_view(&set)));
            }
        }
        Ok(None)
    }

    /// A set's buyer, whose tabs get its events and its bar: the buyer signed in on the tab that
    /// staged its orders (the first of its orders' staged records into the set's account that
    /// names one; a set keeps no buyer of its own). `None` for records written before the buyer was
    /// kept: such a set tells no tab.
    pub async fn set_buyer(&self, set: &JobSet) -> Option<NuorderAccount> {
        for o in &set.orders {
            if let Some(buyer) = self.buyer_of(&set.key.account_id, &o.order_id).await {
                return Some(buyer);
            }
        }
        None
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
