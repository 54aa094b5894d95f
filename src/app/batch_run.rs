//! Running a batch in the browser (issue 19): the job set run with [`run_job_set`] (one client,
//! one rate-limit budget), each order's progress to its row's badge, the set's progress to the
//! list's bar, the history kept per order; and the sets a wake of the worker resumes.

use super::batch::unfinished_sets;
use super::batch_flow::set_view;
use super::jobs::{send_status, stopped_status};
use super::made_from;
use super::platform::{Alarms, Calendar, Events, KvStore};
use super::recipients::Recipients;
use super::resume::{self, Throttle};
use super::service::{App, Clients};
use super::staging::{self, StagedRecord};
use super::status::{journal_view, local_journal, view};
use super::store;
use super::unfinished::Reading;
use super::{accounts::LightspeedAccount, accounts::NuorderAccount, keys::StorageKey};
use crate::core::sorted;
use crate::export::batch::{
    queued, run_job_set, unstarted, JobSet, JobSetStore, OrderState, SetKey, SetRun, Unstarted,
};
use crate::export::journal::{Journal, Outcome};
use crate::export::runner::{RunError, Staged};
use crate::export::status::JobStatus;
use crate::protocol::{Event, OrderStatusView, SetView};

/// A set to run (or resume): its key, its account, and the buyer whose tabs (as they are at each
/// event) get its events.
pub struct SetRunSpec {
    pub key: SetKey,
    pub account: LightspeedAccount,
    pub buyer: Option<NuorderAccount>,
    pub view: SetView,
    /// Its orders' `_id`s (their jobs belong to the set's runner).
    pub orders: Vec<String>,
}

/// Send a set's progress to its buyer's tabs as they are now and to the extension's pages.
pub fn send_set(events: &impl Events, to: &Recipients<'_>, view: &SetView) {
    to.send(events, Event::Set(view.clone()));
}

impl<K: KvStore, Cal: Calendar, L: Clients> App<K, Cal, L> {
    /// The spec to run a set just kept (or found on wake).
    pub async fn set_spec(&self, set: &JobSet) -> Option<SetRunSpec> {
        let account = self.state().await.ok()?.account(&set.key.account_id).cloned()?;
        let buyer = self.set_buyer(set).await;
        let orders = set.orders.iter().map(|o| o.order_id.clone()).collect();
        Some(SetRunSpec { key: set.key.clone(), account, buyer, view: set_view(set), orders })
    }

    async fn set_member(&self, order_id: &str) -> Option<Staged> {
        let record: StagedRecord = store::get(&self.store, &StorageKey::Staged(order_id.to_string())).await.ok()??;
        staging::validate(&record).ok()
    }

    /// Run (or resume) a set to its end, its pause or a dead link. Returns what to log, if anything.
    pub async fn run_set(&self, spec: SetRunSpec, events: &impl Events, alarms: &impl Alarms) -> Option<String> {
        let SetRunSpec { key, account, buyer, view, .. } = spec;
        let to = self.recipients(buyer).await;
        send_set(events, &to, &view);
        let set = self.keep_pause(&key, None).await;
        let mut staged = Vec::new();
        for o in set.iter().flat_map(|s| &s.orders) {
            if let Some(s) = self.set_member(&o.order_id).await {
                staged.push(s);
            }
        }
        let client = self.clients.client(&account);
        let mut throttle = Throttle::default();
        // The order whose job is running (number, `_id`): the one an error stops; and the set as
        // last reported, for the bar's last word then.
        let mut current: Option<(String, String)> = None;
        let mut reported: Option<JobSet> = None;
        let mut on_progress = |set: &JobSet, j: Option<&Journal>| match j {
            // An order's last save (its end) always goes out; its steps at the throttle's pace.
            Some(j) => {
                let running = matches!(j.outcome, Outcome::Running);
                current = running.then(|| (j.order_number.clone(), j.key.order_id.clone()));
                if throttle.ready(self.calendar.now_ms()) || !running {
                    send_status(events, &to, &journal_view(&account, j));
                }
            }
            None => {
                reported = Some(set.clone());
                send_set(events, &to, &set_view(set));
                for v in unstarted_views(&account, set) {
                    send_status(events, &to, &v);
                }
            }
        };
        let run = run_job_set(&*client, &self.journals(), &key, &staged, &mut on_progress).await;
        self.settle_set(&key, &account, events, &to).await;
        match run {
            Ok(SetRun::Paused { resume_after_ms }) => {
                // Remember when the wait ends, so that a wake before then (the watchdog, a job, a
                // message) leaves the set alone instead of spending a request on another 429.
                self.keep_pause(&key, Some(self.calendar.now_ms() + resume_after_ms)).await;
                alarms.wake_in(resume_after_ms);
            }
            Ok(SetRun::NeedsRelink) => self.mark_needs_relink(&account.account_id).await,
            Ok(_) => {}
            Err(e) => {
                // The order it stopped in ends as that failure (its badge would wait "in progress").
                if let Some((number, order_id)) = current {
                    let status = stopped_status(&e);
                    // The bar says so too (the set as saved still runs it: a wake resumes it).
                    if let Some(mut set) = reported {
                        stopped_in(&mut set, &order_id, &status);
                        send_set(events, &to, &set_view(&set));
                    }
                    let last = super::status::view(Some(&account), &number, Some(&order_id), status);
                    self.record_history(&last).await;
                    send_status(events, &to, &last);
                }
                return Some(log_line(&key, e));
            }
        }
        None
    }

    /// Stores when the set's rate-limit pause ends (`None`: it runs now); answers the set.
    async fn keep_pause(&self, key: &SetKey, until: Option<u64>) -> Option<JobSet> {
        let store = self.journals();
        let mut set = store.load_set(key).await.ok().flatten()?;
        if set.paused_until != until {
            set.paused_until = until;
            let _ = store.save_set(&set).await;
        }
        Some(set)
    }

    /// After a run: each order's last status in the history (its badges had it from `on_progress`),
    /// what its PO was made from; each order with no export of its own its badge (queued, or left
    /// not exported); and the set's progress to the bar.
    async fn settle_set(&self, key: &SetKey, account: &LightspeedAccount, events: &impl Events, to: &Recipients<'_>) {
        let Ok(Some(set)) = self.journals().load_set(key).await else {
            return;
        };
        let mut unstarted = sorted::map(unstarted_views(account, &set).into_iter().map(|v| (v.order_id.clone(), v)));
        for o in &set.orders {
            let left = unstarted.remove(&Some(o.order_id.clone()));
            match (local_journal(&self.store, &key.account_id, &o.order_id).await, left) {
                (Some(j), _) => {
                    made_from::settle(&self.store, &j).await;
                    self.record_history(&journal_view(account, &j)).await;
                }
                (None, Some(v)) => send_status(events, to, &v),
                (None, None) => {}
            }
        }
        send_set(events, to, &set_view(&set));
    }

    /// The sets a wake of the worker resumes (unfinished, of a usable account, not run here, not
    /// paused for the rate limit past now), and when to wake next for sets: the watchdog while one
    /// runs (here or from now), else the end of the earliest pause still holding.
    pub async fn sets_to_resume(
        &self,
        running_here: &dyn Fn(&SetKey) -> bool,
        watchdog_ms: u64,
    ) -> (Vec<SetRunSpec>, Option<u64>) {
        let now = self.calendar.now_ms();
        let (mut out, mut here, mut earliest) = (Vec::new(), 0, None::<u64>);
        for set in unfinished_sets(&self.journals(), Reading::Wake).await.unwrap_or_default() {
            if running_here(&set.key) {
                here += 1;
            } else if let Some(until) = resume::pause_holds(set.paused_until, false, now) {
                earliest = Some(earliest.map_or(until, |e| e.min(until)));
            } else if let Some(spec) = self.set_spec(&set).await.filter(|s| !s.account.needs_relink) {
                out.push(spec);
            }
        }
        let wake = resume::next_wake(out.len() + here, earliest, now, watchdog_ms);
        (out, wake)
    }
}

/// The badges of the set's orders not started: *Queued · k of n*, or the status the set left one
/// in ([`unstarted`]).
pub fn unstarted_views(account: &LightspeedAccount, set: &JobSet) -> Vec<OrderStatusView> {
    unstarted(set).into_iter().map(|(i, u)| unstarted_view(account, set, i, u)).collect()
}

/// The badge of the set's `i`-th order, not started.
pub fn unstarted_view(account: &LightspeedAccount, set: &JobSet, i: usize, u: Unstarted) -> OrderStatusView {
    let o = &set.orders[i];
    let (number, id) = (o.order_number.as_str(), Some(o.order_id.as_str()));
    match u {
        Unstarted::Queued { position, total } => OrderStatusView {
            badge: queued(position, total),
            ..view(Some(account), number, id, JobStatus::NotExported)
        },
        Unstarted::Left(status) => view(Some(account), number, id, status),
    }
}

fn log_line(key: &SetKey, e: RunError) -> String {
    let advice = super::errors::to_protocol(super::errors::AppError::Run(e)).message;
    format!("batch {}: {advice}", key.set_id)
}

/// The set as the bar shows it once its run stopped on an error in `order_id`: that order with the
/// status its badge gets (failed, or waiting for a new link).
fn stopped_in(set: &mut JobSet, order_id: &str, status: &JobStatus) {
    let state = match status {
        JobStatus::NeedsRelink => OrderState::NeedsRelink,
        JobStatus::Failed { message, retryable, .. } => {
            OrderState::Failed { message: message.clone(), retryable: *retryable }
        }
        _ => return,
    };
    if let Some(o) = set.orders.iter_mut().find(|o| o.order_id == order_id) {
        o.state = state;
    }
}
