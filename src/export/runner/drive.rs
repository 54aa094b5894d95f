//! The job loop: [`run_export`] starts or resumes a job and drives `next_actions → perform →
//! apply`, saving the journal before every write and after every result. A wave of independent
//! creates (the new matrices, the new items: [`crate::export::journal::next_actions`]) has every
//! intent saved before any of its writes is sent, then runs concurrently; the client's pacer
//! decides when each request goes.

use super::perform::perform;
use super::types::{store_err, RunError, RunOutcome, StartJob, MAX_UNKNOWN_PER_STEP};
use crate::export::job::{build_journal, JobError};
use crate::export::journal::{
    apply, next_actions, Action, Event, JobKey, Journal, JournalStore, Outcome, JOURNAL_VERSION, WAVE_MAX,
};
use crate::lightspeed::client::{ClientError, LightspeedClient, TokenSource};
use crate::lightspeed::http::{Clock, Transport};
use futures::future::join_all;
use std::collections::BTreeMap;

async fn save<J: JournalStore>(store: &J, j: &Journal, on_progress: &mut dyn FnMut(&Journal)) -> Result<(), RunError> {
    store.save(j).await.map_err(store_err)?;
    on_progress(j);
    Ok(())
}

async fn record<J: JournalStore>(
    store: &J,
    j: &mut Journal,
    event: Event,
    on_progress: &mut dyn FnMut(&Journal),
) -> Result<(), RunError> {
    apply(j, event)?;
    save(store, j, on_progress).await
}

/// The stop the journal's outcome means.
fn outcome_of(o: &Outcome) -> Option<RunOutcome> {
    match o {
        Outcome::Running => None,
        Outcome::Exported { po_id } => Some(RunOutcome::Exported { po_id: *po_id }),
        Outcome::AlreadyExported { po_id } => Some(RunOutcome::AlreadyExported { po_id: *po_id }),
        Outcome::NeedsRelink => Some(RunOutcome::NeedsRelink),
        Outcome::Failed { message, retryable } => {
            Some(RunOutcome::Failed { message: message.clone(), retryable: *retryable })
        }
    }
}

/// Starts (if no journal exists for `key`) or resumes the job, and runs it until it finishes,
/// stops (already exported, needs relink, needs choice, failed) or must wait for the rate limit
/// ([`RunOutcome::Paused`]). A stored job paused for re-linking or stopped by a retryable failure
/// is resumed (calling again *is* the retry). `start` is ignored when a job is stored, except
/// that a job that failed for good before creating its PO is replaced by a new one.
/// `on_progress` is called after every journal save.
pub async fn run_export<T: Transport, C: Clock, S: TokenSource, J: JournalStore>(
    client: &LightspeedClient<T, C, S>,
    store: &J,
    key: &JobKey,
    start: Option<StartJob>,
    on_progress: &mut dyn FnMut(&Journal),
) -> Result<RunOutcome, RunError> {
    let stored = store.load(key).await.map_err(store_err)?;
    let stored = match stored {
        Some(j) if j.version != JOURNAL_VERSION => {
            return Err(RunError::Version { found: j.version, expected: JOURNAL_VERSION })
        }
        // A dead job that never created its PO: a new start replaces it.
        Some(j) if start.is_some() && j.replaceable() => None,
        other => other,
    };
    let mut j = match stored {
        Some(j) => j,
        None => {
            let Some(s) = start else {
                return Err(RunError::NoJob(key.order_id.clone()));
            };
            if s.plan.order_id != key.order_id {
                return Err(RunError::Job(JobError::WrongOrder {
                    plan: s.plan.order_id.clone(),
                    order: key.order_id.clone(),
                }));
            }
            if !s.plan.is_ready() {
                return Ok(RunOutcome::NeedsChoice { rows: s.plan.counts.needs_choice });
            }
            let j = build_journal(&s.plan, &s.staged.order, &key.account_id, s.shop_id, &s.today)?;
            save(store, &j, on_progress).await?;
            j
        }
    };
    if matches!(j.outcome, Outcome::NeedsRelink | Outcome::Failed { retryable: true, .. }) {
        record(store, &mut j, Event::Resume, on_progress).await?;
    }
    drive(client, store, &mut j, on_progress).await
}

/// Maps a client error during a step to the journal and the outcome.
async fn stop_on_error<J: JournalStore>(
    store: &J,
    j: &mut Journal,
    e: RunError,
    on_progress: &mut dyn FnMut(&Journal),
) -> Result<RunOutcome, RunError> {
    match &e {
        RunError::Client(ClientError::RateLimited { retry_after_ms }) => {
            // The journal stays Running: the next call continues with this step.
            Ok(RunOutcome::Paused { resume_after_ms: *retry_after_ms })
        }
        RunError::Client(c) if c.needs_relink() => {
            record(store, j, Event::NeedsRelink, on_progress).await?;
            Ok(RunOutcome::NeedsRelink)
        }
        RunError::Client(_) | RunError::Endpoint(_) => {
            let retryable = e.is_retryable();
            let mut message = e.user_message();
            if retryable && !message.contains("resumes") {
                message.push_str(" Export again to resume where it stopped.");
            }
            // Before its PO, exporting the order again starts anew (`Journal::replaceable`).
            if !retryable && j.po_id().is_some() {
                message.push_str(" This export stopped; nothing more will be written for it.");
            }
            record(store, j, Event::Failed { message: message.clone(), retryable }, on_progress).await?;
            Ok(RunOutcome::Failed { message, retryable })
        }
        // Storage and journal errors cannot be recorded reliably: hand them back.
        _ => Err(e),
    }
}

async fn drive<T: Transport, C: Clock, S: TokenSource, J: JournalStore>(
    client: &LightspeedClient<T, C, S>,
    store: &J,
    j: &mut Journal,
    on_progress: &mut dyn FnMut(&Journal),
) -> Result<RunOutcome, RunError> {
    let mut unknown: BTreeMap<usize, u32> = BTreeMap::new();
    loop {
        let actions = next_actions(j, WAVE_MAX);
        match &actions[0] {
            Action::Finished { po_id } => return Ok(RunOutcome::Exported { po_id: *po_id }),
            Action::Stopped(o) => {
                return Ok(outcome_of(o).unwrap_or(RunOutcome::Failed {
                    message: "PO Bridge could not continue this export. Please report it.".into(),
                    retryable: false,
                }))
            }
            _ => {}
        }
        // Every write of the wave is recorded, in one save, before any of them is sent.
        let writes: Vec<usize> = actions.iter().filter(|a| a.is_write()).filter_map(Action::step).collect();
        if !writes.is_empty() {
            for &step in &writes {
                apply(j, Event::IntentRecorded { step })?;
            }
            save(store, j, on_progress).await?;
        }
        let results = {
            let snapshot: &Journal = j;
            join_all(actions.iter().map(|a| perform(client, store, snapshot, a))).await
        };
        if let Some(stop) = take_results(store, j, &actions, results, &mut unknown, on_progress).await? {
            return Ok(stop);
        }
    }
}

/// Records a wave's results (in step order, one save): each answer as its event, an unknown
/// outcome as [`Event::OutcomeUnknown`] (the step is looked up next). Then the first error, if
/// any, stops the job (every answer that came is recorded first, so no created id is lost).
async fn take_results<J: JournalStore>(
    store: &J,
    j: &mut Journal,
    actions: &[Action],
    results: Vec<Result<Event, RunError>>,
    unknown: &mut BTreeMap<usize, u32>,
    on_progress: &mut dyn FnMut(&Journal),
) -> Result<Option<RunOutcome>, RunError> {
    let mut error: Option<RunError> = None;
    let mut dropping = false;
    for (action, result) in actions.iter().zip(results) {
        let step = action.step().expect("actions other than Finished/Stopped have a step");
        let event = match result {
            Ok(ev) => ev,
            Err(RunError::Client(ClientError::OutcomeUnknown { .. })) => {
                let n = unknown.entry(step).or_default();
                *n += 1;
                dropping |= *n > MAX_UNKNOWN_PER_STEP;
                Event::OutcomeUnknown { step }
            }
            Err(e) => {
                error.get_or_insert(e);
                continue;
            }
        };
        apply(j, event)?;
    }
    save(store, j, on_progress).await?;
    if let Some(e) = error {
        return stop_on_error(store, j, e, on_progress).await.map(Some);
    }
    if dropping {
        let message = "Lightspeed keeps dropping the connection while PO Bridge saves. Try again in a few minutes; the export resumes where it stopped and creates nothing twice.".to_string();
        record(store, j, Event::Failed { message: message.clone(), retryable: true }, on_progress).await?;
        return Ok(Some(RunOutcome::Failed { message, retryable: true }));
    }
    Ok(None)
}
