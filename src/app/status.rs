//! The status of an order, one path: the local journal (a job of ours), then Lightspeed's recent
//! answers (20 s), then Lightspeed itself. When Lightspeed cannot be asked the status is
//! [`JobStatus::Unchecked`] ("can't check right now"), never *Not exported*.

#![allow(async_fn_in_trait)]

use super::accounts::LightspeedAccount;
use super::keys::StorageKey;
use super::limits::TabLimits;
use super::made_from;
use super::platform::KvStore;
use super::store;
use crate::core::sorted;
use crate::export::badge;
use crate::export::journal::{JobKey, Journal};
use crate::export::runner::{exported_orders, RunError};
use crate::export::status::JobStatus;
use crate::inpage::views::link_allowed;
use crate::lightspeed::client::{LightspeedClient, TokenSource};
use crate::lightspeed::http::{Clock, Transport};
use crate::lightspeed::OrderId;
use crate::protocol::{OrderRef, OrderStatusView};
use crate::update::{UpdateJournal, UpdateLog, UpdateOutcome};
use std::collections::{BTreeMap, HashMap};

/// How long a Lightspeed "is it exported?" answer is trusted for list pages.
pub const STATUS_CACHE_MS: u64 = 20_000;

/// "Which of these order numbers has a PO in Lightspeed?" (the client's batched lookup).
pub trait ExportedLookup {
    async fn exported(&self, order_numbers: &[String]) -> Result<BTreeMap<String, OrderId>, RunError>;
}

impl<T: Transport, C: Clock, S: TokenSource> ExportedLookup for LightspeedClient<T, C, S> {
    async fn exported(&self, order_numbers: &[String]) -> Result<BTreeMap<String, OrderId>, RunError> {
        exported_orders(self, order_numbers).await
    }
}

/// Lightspeed's recent answers, by account and order number: `(when, the PO if any)`, and the
/// per-tab budgets of asking it ([`TabLimits`]).
#[derive(Debug, Default)]
pub struct RecentAnswers {
    answers: HashMap<(String, String), (u64, Option<OrderId>)>,
    pub limits: TabLimits,
}

impl RecentAnswers {
    /// A fresh answer (under [`STATUS_CACHE_MS`] old).
    pub fn fresh(&self, account_id: &str, order_number: &str, now_ms: u64) -> Option<JobStatus> {
        let (at, po) = self.answers.get(&(account_id.to_string(), order_number.to_string()))?;
        (now_ms.saturating_sub(*at) < STATUS_CACHE_MS).then(|| exported_or_not(po.as_ref()))
    }

    pub fn record(&mut self, account_id: &str, order_number: &str, now_ms: u64, po: Option<OrderId>) {
        self.answers.insert((account_id.to_string(), order_number.to_string()), (now_ms, po));
    }
}

fn exported_or_not(po: Option<&OrderId>) -> JobStatus {
    po.map(|po_id| JobStatus::Exported { po_id: *po_id }).unwrap_or(JobStatus::NotExported)
}

/// What the widgets render for an order's status (`None`: the tab's buyer has no account).
pub fn view(
    account: Option<&LightspeedAccount>,
    order_number: &str,
    order_id: Option<&str>,
    status: JobStatus,
) -> OrderStatusView {
    let (po_number, po_url) = match (status.po_id(), account) {
        (Some(po_id), Some(a)) => {
            let url = a.region.po_url(&po_id.to_string());
            (Some(po_id.to_string()), link_allowed(&url).then_some(url))
        }
        (Some(po_id), None) => (Some(po_id.to_string()), None),
        (None, _) => (None, None),
    };
    let badge = match account {
        None => badge::not_linked(),
        Some(_) => badge::badge(&status, po_number.as_deref(), po_url.as_deref()),
    };
    OrderStatusView {
        order_number: order_number.to_string(),
        order_id: order_id.map(str::to_string),
        status,
        po_number,
        po_url,
        badge,
    }
}

/// The view of a stored job.
pub fn journal_view(account: &LightspeedAccount, j: &Journal) -> OrderStatusView {
    view(Some(account), &j.order_number, Some(&j.key.order_id), JobStatus::of_journal(j))
}

/// The view on a tab with no known NuORDER session.
pub fn no_session_view(order: &OrderRef) -> OrderStatusView {
    let mut v = view(None, &order.order_number, order.order_id.as_deref(), JobStatus::NotExported);
    v.badge = badge::no_session();
    v
}

/// The status when Lightspeed's lookup failed.
pub fn lookup_failed(e: &RunError) -> JobStatus {
    if e.needs_relink() {
        JobStatus::NeedsRelink
    } else {
        JobStatus::Unchecked
    }
}

/// The local job of an order, if any.
pub async fn local_journal(store: &impl KvStore, account_id: &str, order_id: &str) -> Option<Journal> {
    let key = JobKey { account_id: account_id.to_string(), order_id: order_id.to_string() };
    store::get(store, &StorageKey::Journal(key)).await.ok().flatten()
}

/// The status of our own job, with what became of its PO since (issue 18): an update running is
/// [`JobStatus::Updating`]; the last update stopped is [`JobStatus::UpdateFailed`] (while it can be
/// resumed, or the order still differs); an order last seen changed since its PO was made is
/// [`JobStatus::Changed`].
pub async fn with_changes(store: &impl KvStore, key: &JobKey, status: JobStatus) -> JobStatus {
    let JobStatus::Exported { po_id } = status else { return status };
    let updates = StorageKey::Updates(key.clone());
    let (log, changed) = futures::join!(store::get::<UpdateLog>(store, &updates), made_from::changed(store, key));
    let log = log.ok().flatten();
    if let Some(s) = log.as_ref().and_then(|l| l.revisions.last()).and_then(|j| update_status(j, changed)) {
        return s;
    }
    if changed {
        JobStatus::Changed { po_id }
    } else {
        status
    }
}

/// The badge's status while the update `j` runs: *Updating PO #N…*, its steps done.
pub fn updating(j: &UpdateJournal) -> JobStatus {
    JobStatus::Updating { po_id: j.po_id, done: j.steps.iter().filter(|s| s.done).count(), total: j.steps.len() }
}

/// What the last update of a PO says of its order, if anything.
fn update_status(j: &UpdateJournal, changed: bool) -> Option<JobStatus> {
    match &j.outcome {
        UpdateOutcome::Running => Some(updating(j)),
        UpdateOutcome::Failed { message, retryable, .. } if *retryable || changed => {
            Some(JobStatus::UpdateFailed { po_id: j.po_id, message: message.clone(), retryable: *retryable })
        }
        _ => None,
    }
}

/// Order number → order id of the account's jobs (list rows know only numbers). Not when the
/// index cannot be read: the write would replace it with this one number.
pub async fn remember_number(store: &impl KvStore, account_id: &str, order_number: &str, order_id: &str) {
    let key = StorageKey::Numbers(account_id.to_string());
    let Ok(mut index) = store::get_or_default::<BTreeMap<String, String>>(store, &key).await else { return };
    index.insert(order_number.to_string(), order_id.to_string());
    let _ = store::put(store, &key, &index).await;
}

/// Statuses for a page's orders, in the same order: journal → recent answers → Lightspeed (one
/// batched lookup for the rest within the tab's budget, whose answers are remembered; over the
/// budget: [`JobStatus::Unchecked`], see [`super::limits`]).
pub async fn page_statuses(
    store: &impl KvStore,
    recent: &std::cell::RefCell<RecentAnswers>,
    lookup: &impl ExportedLookup,
    account: &LightspeedAccount,
    (orders, tab): (&[OrderRef], Option<i64>),
    now_ms: u64,
) -> Vec<OrderStatusView> {
    let acc = account.account_id.as_str();
    let mut out = local_statuses(store, acc, orders).await;
    for (o, slot) in orders.iter().zip(out.iter_mut()).filter(|(_, s)| s.is_none()) {
        *slot = recent.borrow().fresh(acc, &o.order_number, now_ms);
    }
    let mut ask: Vec<String> =
        orders.iter().zip(&out).filter(|(_, s)| s.is_none()).map(|(o, _)| o.order_number.clone()).collect();
    sorted::sort(&mut ask);
    ask.dedup();
    ask.truncate(recent.borrow_mut().limits.admit_lookups(tab, ask.len(), now_ms));
    if !ask.is_empty() {
        let answer = lookup.exported(&ask).await;
        let asked = |o: &OrderRef| ask.binary_search(&o.order_number).is_ok();
        for (o, slot) in orders.iter().zip(out.iter_mut()).filter(|(o, s)| s.is_none() && asked(o)) {
            *slot = Some(match &answer {
                Ok(found) => {
                    recent.borrow_mut().record(acc, &o.order_number, now_ms, found.get(&o.order_number).copied());
                    exported_or_not(found.get(&o.order_number))
                }
                Err(e) => lookup_failed(e),
            });
        }
    }
    orders
        .iter()
        .zip(out)
        .map(|(o, s)| view(Some(account), &o.order_number, o.order_id.as_deref(), s.unwrap_or(JobStatus::Unchecked)))
        .collect()
}

/// The statuses of the orders that are jobs of ours (journal, then what became of its PO), read
/// for all orders at once.
async fn local_statuses(store: &impl KvStore, acc: &str, orders: &[OrderRef]) -> Vec<Option<JobStatus>> {
    let local = |id: Option<String>| async move {
        let j = local_journal(store, acc, &id?).await?;
        Some(with_changes(store, &j.key, JobStatus::of_journal(&j)).await)
    };
    futures::future::join_all(order_ids(store, acc, orders).await.into_iter().map(local)).await
}

/// Each order's NuORDER id: its own, else the account's order-number index's (read only when an
/// order comes without its id).
pub async fn order_ids(store: &impl KvStore, acc: &str, orders: &[OrderRef]) -> Vec<Option<String>> {
    let index: BTreeMap<String, String> = if orders.iter().any(|o| o.order_id.is_none()) {
        store::get_or_default(store, &StorageKey::Numbers(acc.to_string())).await.unwrap_or_default()
    } else {
        BTreeMap::new()
    };
    orders.iter().map(|o| o.order_id.clone().or_else(|| index.get(&o.order_number).cloned())).collect()
}
