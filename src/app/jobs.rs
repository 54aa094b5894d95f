//! Running a job: progress events (throttled) to the tabs of the job's buyer (as they are at each
//! event: [`super::recipients`]) and to the extension's pages, the rate-limit pause recorded, a
//! dead link marked, the final state sent and kept in the history.

use super::errors::AppError;
use super::exports::Run;
use super::keys::StorageKey;
use super::made_from;
use super::platform::{Alarms, Calendar, Events, KvStore};
use super::recipients::Recipients;
use super::resume::Throttle;
use super::service::{App, Clients};
use super::status::{journal_view, local_journal, RecentAnswers};
use super::store;
use crate::export::journal::JobKey;
use crate::export::runner::{run_export, RunError, RunOutcome};
use crate::export::status::JobStatus;
use crate::protocol::{Event, OrderStatusView};
use std::cell::RefCell;

/// Send a status to the job's buyer's tabs as they are now and to the extension's pages.
pub fn send_status(events: &impl Events, to: &Recipients<'_>, status: &OrderStatusView) {
    to.send(events, Event::Status(status.clone()));
}

impl<K: KvStore, Cal: Calendar, L: Clients> App<K, Cal, L> {
    /// Run (or resume) a job to its end or its pause. Returns what to log, if anything.
    pub async fn run_job(
        &self,
        run: Run,
        events: &impl Events,
        alarms: &impl Alarms,
        recent: &RefCell<RecentAnswers>,
    ) -> Option<String> {
        let Run { account, key, start, view, buyer } = run;
        if let Some(s) = &start {
            made_from::keep_draft(&self.store, &key, &s.staged.order, self.calendar.now_ms()).await;
        }
        let to = self.recipients(buyer).await;
        if start.is_some() {
            self.record_history(&view).await;
        }
        let _ = store::delete(&self.store, &StorageKey::Pause(key.clone())).await;
        let client = self.clients.client(&account);
        let mut throttle = Throttle::default();
        let mut on_progress = |j: &crate::export::journal::Journal| {
            if throttle.ready(self.calendar.now_ms()) {
                send_status(events, &to, &journal_view(&account, j));
            }
        };
        let outcome = run_export(&client, &self.journals(), &key, start, &mut on_progress).await;
        let mut log = None;
        if needs_relink(&outcome) {
            self.mark_needs_relink(&account.account_id).await;
        }
        match outcome {
            Ok(RunOutcome::Paused { resume_after_ms }) => {
                // Remember when the wait ends, so that a wake before then (the watchdog, another
                // job, a message) leaves this job alone instead of spending a request on another 429.
                let until = self.calendar.now_ms() + resume_after_ms;
                let _ = store::put(&self.store, &StorageKey::Pause(key.clone()), &until).await;
                alarms.wake_in(resume_after_ms);
            }
            Ok(_) => {}
            Err(e) => {
                log =
                    Some(format!("export {}: {}", key.order_id, super::errors::to_protocol(AppError::Run(e)).message));
            }
        }
        if let Some(j) = local_journal(&self.store, &key.account_id, &key.order_id).await {
            made_from::settle(&self.store, &j).await;
            if let JobStatus::Exported { po_id } = JobStatus::of_journal(&j) {
                recent.borrow_mut().record(&key.account_id, &j.order_number, self.calendar.now_ms(), Some(po_id));
            }
            let last = journal_view(&account, &j);
            self.record_history(&last).await;
            send_status(events, &to, &last);
        }
        log
    }

    /// What the PO of this job was made from (the order as the job exported it, without personal
    /// data), once the job has exported its PO; kept until the account is unlinked.
    pub async fn made_from(&self, key: &JobKey) -> Option<made_from::PoSource> {
        made_from::get(&self.store, key).await
    }
}

/// Whether a job's end means the account must be linked again: the runner met a dead link and
/// paused (`RunOutcome::NeedsRelink`), or stopped on an error that says so. The popup then shows the
/// account's *Link again* warning, and resuming waits for the new link.
pub fn needs_relink(outcome: &Result<RunOutcome, RunError>) -> bool {
    match outcome {
        Ok(RunOutcome::NeedsRelink) => true,
        Ok(_) => false,
        Err(e) => e.needs_relink(),
    }
}
