//! Which jobs resume and when: on every wake of the worker (start, watchdog alarm), on a rerun of
//! the command line, on Retry; and how often progress is sent.

use super::accounts::AccountsState;
use crate::export::journal::{Journal, Outcome};

/// How often the watchdog alarm fires while a job is unfinished: under Firefox's default 30 s idle
/// timeout of the event page (Chromium clamps packed builds to 30 s, which is fine).
pub const WATCHDOG_MS: u64 = 20_000;

/// Progress events at most this often (the final state is always sent).
pub const PROGRESS_EVERY_MS: u64 = 250;

/// A rerun (the command line run again, or Retry) resumes this job: it is unfinished, and not a
/// failure before anything was written that a rerun cannot fix.
pub fn rerun_resumes(j: &Journal) -> bool {
    match &j.outcome {
        Outcome::Exported { .. } | Outcome::AlreadyExported { .. } => false,
        Outcome::Failed { retryable: false, .. } => !j.replaceable(),
        Outcome::Running | Outcome::NeedsRelink | Outcome::Failed { .. } => true,
    }
}

/// What a wake of the worker does with a stored job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnWake {
    /// Run it (from its journal).
    Run,
    /// Paused for the rate limit until this time (ms since the epoch): leave it, wake then.
    WaitUntil(u64),
    /// Leave it: finished, failed (Retry resumes), its account is gone or needs re-linking.
    Leave,
}

/// The decision for one job: only running jobs of a usable account resume by themselves, and a
/// job paused for the rate limit only once its wait is over (unless this worker already runs it).
pub fn on_wake(
    j: &Journal,
    state: &AccountsState,
    paused_until: Option<u64>,
    running_here: bool,
    now_ms: u64,
) -> OnWake {
    // An update's line job is the update's to resume (`app::updates`).
    if !matches!(j.outcome, Outcome::Running) || crate::update::is_lines_job(&j.key) {
        return OnWake::Leave;
    }
    match state.account(&j.key.account_id) {
        Some(a) if !a.needs_relink => {}
        _ => return OnWake::Leave,
    }
    match pause_holds(paused_until, running_here, now_ms) {
        Some(until) => OnWake::WaitUntil(until),
        None => OnWake::Run,
    }
}

/// A rate-limit pause (its end, ms since the epoch) that still holds at `now_ms`: a wake leaves
/// its job, or its job set, until then (unless this worker already runs it).
pub fn pause_holds(paused_until: Option<u64>, running_here: bool, now_ms: u64) -> Option<u64> {
    paused_until.filter(|until| *until > now_ms && !running_here)
}

/// When to wake next: the watchdog while jobs run, or the end of the earliest pause.
pub fn next_wake(running_jobs: usize, earliest_pause_end: Option<u64>, now_ms: u64, watchdog_ms: u64) -> Option<u64> {
    let watchdog = (running_jobs > 0).then_some(watchdog_ms);
    let pause = earliest_pause_end.map(|u| u.saturating_sub(now_ms));
    [watchdog, pause].into_iter().flatten().min()
}

/// What a resume of the worker does with the watchdog alarm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlarmAfterResume {
    /// Arm it to fire in this many ms (and every watchdog period after).
    Arm(u64),
    /// Nothing is left: stop it.
    Stop,
    /// Nothing is left, but this wake is not the alarm's: leave it alone (no alarm is likely set,
    /// and one that is stops at its own firing), so a wake by a message spends no API call on it.
    Leave,
}

/// The alarm after a resume: the earliest of the wakes its jobs and sets asked for and, while
/// anything runs in this worker (an update, or a job started while the resume read the store),
/// the watchdog; with nothing left, the alarm's own wake stops it.
pub fn after_resume(
    wakes: impl IntoIterator<Item = Option<u64>>,
    busy_here: bool,
    by_alarm: bool,
    watchdog_ms: u64,
) -> AlarmAfterResume {
    match wakes.into_iter().flatten().chain(busy_here.then_some(watchdog_ms)).min() {
        Some(ms) => AlarmAfterResume::Arm(ms),
        None if by_alarm => AlarmAfterResume::Stop,
        None => AlarmAfterResume::Leave,
    }
}

/// Progress throttling: at most one event per [`PROGRESS_EVERY_MS`].
#[derive(Debug, Default, Clone, Copy)]
pub struct Throttle {
    last_ms: Option<u64>,
}

impl Throttle {
    /// Whether to send progress now (and remember it).
    pub fn ready(&mut self, now_ms: u64) -> bool {
        match self.last_ms {
            Some(last) if now_ms.saturating_sub(last) < PROGRESS_EVERY_MS => false,
            _ => {
                self.last_ms = Some(now_ms);
                true
            }
        }
    }
}
