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
use super::status::{journal_view, local_journal, view, RecentAnswers};
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
        let Run { account, key, start, view: first, buyer } = run;
        if let Some(s) = &start {
            made_from::keep_draft(&self.store, &key, &s.staged.order, self.calendar.now_ms()).await;
        }
        let to = self.recipients(buyer).await;
        if start.is_some() {
            self.record_history(&first).await;
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
        if needs_relink(&outcome) {
            self.mark_needs_relink(&account.account_id).await;
        }
        let (stopped, log) = self.ended(outcome, &key, alarms).await;
        let journal = local_journal(&self.store, &key.account_id, &key.order_id).await;
        if let Some(j) = &journal {
            made_from::settle(&self.store, j).await;
            if let JobStatus::Exported { po_id } = JobStatus::of_journal(j) {
                recent.borrow_mut().record(&key.account_id, &j.order_number, self.calendar.now_ms(), Some(po_id));
            }
        }
        // A job the runner could not carry on (its storage failed, its journal is unreadable) ends
        // as that failure, whatever its journal still says: a badge left "in progress" would wait
        // for nothing.
        let last = match (stopped, &journal) {
            (Some(status), _) => view(Some(&account), &first.order_number, first.order_id.as_deref(), status),
            (None, Some(j)) => journal_view(&account, j),
            (None, None) => return log,
        };
        self.record_history(&last).await;
        send_status(events, &to, &last);
        log
    }

    /// What a run's end leaves to do: a pause remembered and its alarm set; an error as the status
    /// the job stopped with (see [`stopped_status`]) and the line to log.
    async fn ended(
        &self,
        outcome: Result<RunOutcome, RunError>,
        key: &JobKey,
        alarms: &impl Alarms,
    ) -> (Option<JobStatus>, Option<String>) {
        match outcome {
            Ok(RunOutcome::Paused { resume_after_ms }) => {
                // Remember when the wait ends, so that a wake before then (the watchdog, another
                // job, a message) leaves this job alone instead of spending a request on another 429.
                let until = self.calendar.now_ms() + resume_after_ms;
                let _ = store::put(&self.store, &StorageKey::Pause(key.clone()), &until).await;
                alarms.wake_in(resume_after_ms);
                (None, None)
            }
            Ok(_) => (None, None),
            Err(e) => {
                let status = stopped_status(&e);
                (
                    Some(status),
                    Some(format!("export {}: {}", key.order_id, super::errors::to_protocol(AppError::Run(e)).message)),
                )
            }
        }
    }

    /// What the PO of this job was made from (the order as the job exported it, without personal
    /// data), once the job has exported its PO; kept until the account is unlinked.
    pub async fn made_from(&self, key: &JobKey) -> Option<made_from::PoSource> {
        made_from::get(&self.store, key).await
    }
}

/// The status of a job the runner stopped with an error rather than an outcome: the advice, and
/// Retry when resuming can help (a storage failure: the journal resumes where it stopped).
pub(super) fn stopped_status(e: &RunError) -> JobStatus {
    if e.needs_relink() {
        return JobStatus::NeedsRelink;
    }
    JobStatus::Failed { message: e.user_message(), retryable: e.is_retryable(), again: false }
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
