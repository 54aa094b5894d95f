//! Running a set: [`start_job_set`] keeps it, [`run_job_set`] runs its orders one after another
//! (each with [`run_export`]), [`cancel_job_set`] stops it before its next order.

use super::set::{JobSet, JobSetStore, OrderState, SetKey, SetOrder, JOB_SET_VERSION};
use super::shared::{shares_records, Made};
use crate::export::job::{build_journal_with, SetShare};
use crate::export::journal::{Journal, JournalStore};
use crate::export::plan::Plan;
use crate::export::runner::{exported_orders, run_export, RunError, RunOutcome, Staged, StartJob};
use crate::lightspeed::client::{ClientError, LightspeedClient, TokenSource};
use crate::lightspeed::http::{Clock, Transport};

/// How a [`run_job_set`] call ended (each order's own end is in the set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetRun {
    /// Every order reached its end (exported, already exported, needs choice, failed, cancelled).
    Finished,
    /// Cancelled: the orders not started are [`OrderState::Cancelled`].
    Cancelled,
    /// A rate-limit wait longer than the client's `max_wait_ms`: call again after this long.
    Paused { resume_after_ms: u64 },
    /// The Lightspeed link is dead: call again after re-linking (the current order resumes).
    NeedsRelink,
}

fn store_err(e: impl std::fmt::Display) -> RunError {
    RunError::Store(e.to_string())
}

/// Keeps a new set of these jobs, in this order (each order's plan with the user's choices, its
/// shop and date), and returns it. A set already stored under `key` that is not finished is kept
/// as it is instead (running it again resumes it); a finished one is replaced.
pub async fn start_job_set<J: JobSetStore>(store: &J, key: &SetKey, jobs: &[StartJob]) -> Result<JobSet, RunError> {
    if let Some(set) = store.load_set(key).await.map_err(store_err)? {
        if set.version == JOB_SET_VERSION && !set.is_finished() {
            return Ok(set);
        }
    }
    let orders = jobs
        .iter()
        .map(|s| SetOrder {
            order_id: s.staged.order.id.clone(),
            order_number: s.staged.order.order_number.clone(),
            brand: s.plan.brand.clone(),
            plan: s.plan.clone(),
            shop_id: s.shop_id,
            today: s.today.clone(),
            state: OrderState::Waiting,
        })
        .collect();
    let set = JobSet { version: JOB_SET_VERSION, key: key.clone(), orders, cancelled: false, paused_until: None };
    store.save_set(&set).await.map_err(store_err)?;
    Ok(set)
}

/// The user's Cancel: no further order of the set starts (a started one finishes); the orders
/// not started are [`OrderState::Cancelled`] at once. `None` when no set is stored.
pub async fn cancel_job_set<J: JobSetStore>(store: &J, key: &SetKey) -> Result<Option<JobSet>, RunError> {
    let Some(mut set) = store.load_set(key).await.map_err(store_err)? else {
        return Ok(None);
    };
    mark_cancelled(&mut set);
    store.save_set(&set).await.map_err(store_err)?;
    Ok(Some(set))
}

fn mark_cancelled(set: &mut JobSet) {
    set.cancelled = true;
    for o in &mut set.orders {
        if o.state == OrderState::Waiting {
            o.state = OrderState::Cancelled;
        }
    }
}

/// Takes a Cancel stored meanwhile into `set`, then saves it.
async fn sync<J: JobSetStore>(store: &J, set: &mut JobSet) -> Result<(), RunError> {
    if store.load_set(&set.key).await.map_err(store_err)?.is_some_and(|s| s.cancelled) {
        mark_cancelled(set);
    }
    store.save_set(set).await.map_err(store_err)
}

/// Runs (or resumes) the stored set `key`: its orders one after another, in order, each exactly
/// as a single export ([`run_export`]: its own journal, the same refNum and existing-PO rules),
/// all through one client (one rate-limit budget). An order that needs a choice or fails does not
/// stop the others. It stops early only when Lightspeed asks for a long wait
/// ([`SetRun::Paused`]), the link dies ([`SetRun::NeedsRelink`]) or storage fails (`Err`); the
/// next call resumes where it stopped. `staged` holds the orders (any order of the set not yet
/// started must be among them; others may be missing). `on_progress` sees the set after each
/// change, and each order's journal after each save.
pub async fn run_job_set<T: Transport, C: Clock, S: TokenSource, J: JournalStore + JobSetStore>(
    client: &LightspeedClient<T, C, S>,
    store: &J,
    key: &SetKey,
    staged: &[Staged],
    on_progress: &mut dyn FnMut(&JobSet, Option<&Journal>),
) -> Result<SetRun, RunError> {
    let Some(mut set) = store.load_set(key).await.map_err(store_err)? else {
        return Err(RunError::NoJob(key.set_id.clone()));
    };
    if set.version != JOB_SET_VERSION {
        return Err(RunError::Version { found: set.version, expected: JOB_SET_VERSION });
    }
    for i in 0..set.orders.len() {
        sync(store, &mut set).await?;
        if set.orders[i].state.is_final() {
            continue;
        }
        on_progress(&set, None);
        let outcome = run_order(client, store, &mut set, i, staged, on_progress).await?;
        set.orders[i].state = match &outcome {
            RunOutcome::Exported { po_id } => OrderState::Exported { po_id: *po_id },
            RunOutcome::AlreadyExported { po_id } => OrderState::AlreadyExported { po_id: *po_id },
            RunOutcome::NeedsChoice { rows } => OrderState::NeedsChoice { rows: *rows },
            RunOutcome::NeedsRelink => OrderState::NeedsRelink,
            RunOutcome::Failed { message, retryable } => {
                OrderState::Failed { message: message.clone(), retryable: *retryable }
            }
            RunOutcome::Paused { .. } => OrderState::Running,
        };
        sync(store, &mut set).await?;
        on_progress(&set, None);
        match outcome {
            RunOutcome::Paused { resume_after_ms } => return Ok(SetRun::Paused { resume_after_ms }),
            RunOutcome::NeedsRelink => return Ok(SetRun::NeedsRelink),
            _ => {}
        }
    }
    Ok(if set.cancelled { SetRun::Cancelled } else { SetRun::Finished })
}

/// Runs the `i`-th order: resumes its journal, or builds it first (reusing what the set's other
/// orders made, see [`Made`], and creating the new records of the later orders it shares them
/// with, see [`ahead_of`]).
async fn run_order<T: Transport, C: Clock, S: TokenSource, J: JournalStore + JobSetStore>(
    client: &LightspeedClient<T, C, S>,
    store: &J,
    set: &mut JobSet,
    i: usize,
    staged: &[Staged],
    on_progress: &mut dyn FnMut(&JobSet, Option<&Journal>),
) -> Result<RunOutcome, RunError> {
    let key = set.job_key(i);
    let stored = store.load(&key).await.map_err(store_err)?;
    if stored.as_ref().is_none_or(|j| set.orders[i].state == OrderState::Waiting && j.replaceable()) {
        let Some(s) = staged.iter().find(|s| s.order.id == key.order_id) else {
            let message = format!(
                "PO Bridge no longer has NuORDER order {}. Export it again from NuORDER.",
                set.orders[i].order_number
            );
            return Ok(RunOutcome::Failed { message, retryable: true });
        };
        let mut made = Made::default();
        for (k, _) in set.orders.iter().enumerate().filter(|(k, _)| *k != i) {
            if let Some(j) = store.load(&set.job_key(k)).await.map_err(store_err)? {
                made.add(&j);
            }
        }
        let o = &set.orders[i];
        let mut plan = o.plan.clone();
        made.reuse(&mut plan);
        if !plan.is_ready() {
            return Ok(RunOutcome::NeedsChoice { rows: plan.counts.needs_choice });
        }
        let ahead = match ahead_of(client, store, set, i, &plan, &made, staged).await? {
            Ok(ahead) => ahead,
            Err(stop) => return Ok(stop),
        };
        let o = &set.orders[i];
        let share = SetShare { matrices: Some(made.matrices()), ahead: &ahead.plans, checked: ahead.checked };
        let j = build_journal_with(&plan, &s.order, &key.account_id, o.shop_id, &o.today, &share)?;
        set.orders[i].state = OrderState::Running;
        sync(store, set).await?;
        store.save(&j).await.map_err(store_err)?;
    } else {
        set.orders[i].state = OrderState::Running;
        sync(store, set).await?;
    }
    let view: &JobSet = set;
    run_export(client, store, &key, None, &mut |j| on_progress(view, Some(j))).await
}

/// The later orders whose new records the `i`-th order's journal creates with its own.
#[derive(Default)]
struct Ahead {
    plans: Vec<Plan>,
    /// The `i`-th order's existing-PO check was asked with theirs and found nothing.
    checked: bool,
}

/// The later orders of the set whose new matrices and items the `i`-th order (its plan `plan`)
/// creates with its own ([`SetShare::ahead`]): each order after it still waiting, not started
/// (or dead, so it would be built anew), staged, with the same vendor and something to create
/// once what the set made is reused ([`shares_records`]). Their existing-PO checks come first,
/// with the `i`-th order's own, in one `refNum` and one `b2bOrderNumber` `IN` lookup per 100
/// ([`exported_orders`]): an order exported meanwhile (by PO Bridge elsewhere or NuORDER's
/// integration) is left out, so no record is written for it, exactly as its own check would stop
/// it before its first write; the `i`-th order's check step is then done (`checked`). When the
/// `i`-th order is already exported, or the lookup fails otherwise than by a long rate-limit
/// wait or a dead link (which stop the order, to run again later), nothing is shared and the
/// order's own check step decides.
async fn ahead_of<T: Transport, C: Clock, S: TokenSource, J: JournalStore>(
    client: &LightspeedClient<T, C, S>,
    store: &J,
    set: &JobSet,
    i: usize,
    plan: &Plan,
    made: &Made,
    staged: &[Staged],
) -> Result<Result<Ahead, RunOutcome>, RunError> {
    let mut later: Vec<(String, Plan)> = Vec::new();
    for (k, o) in set.orders.iter().enumerate().skip(i + 1) {
        if o.state != OrderState::Waiting || !staged.iter().any(|s| s.order.id == o.order_id) {
            continue;
        }
        if store.load(&set.job_key(k)).await.map_err(store_err)?.is_some_and(|j| !j.replaceable()) {
            continue;
        }
        let mut p = o.plan.clone();
        made.reuse(&mut p);
        if shares_records(plan, &p) {
            later.push((o.order_number.clone(), p));
        }
    }
    if later.is_empty() {
        return Ok(Ok(Ahead::default()));
    }
    let own = set.orders[i].order_number.clone();
    let numbers: Vec<String> = std::iter::once(own.clone()).chain(later.iter().map(|(n, _)| n.clone())).collect();
    let exported = match exported_orders(client, &numbers).await {
        Ok(found) => found,
        Err(RunError::Client(ClientError::RateLimited { retry_after_ms })) => {
            return Ok(Err(RunOutcome::Paused { resume_after_ms: retry_after_ms }))
        }
        Err(RunError::Client(c)) if c.needs_relink() => return Ok(Err(RunOutcome::NeedsRelink)),
        Err(RunError::Store(e)) => return Err(RunError::Store(e)),
        Err(_) => return Ok(Ok(Ahead::default())),
    };
    if exported.contains_key(&own) {
        return Ok(Ok(Ahead::default()));
    }
    let plans = later.into_iter().filter(|(n, _)| !exported.contains_key(n)).map(|(_, p)| p).collect();
    Ok(Ok(Ahead { plans, checked: true }))
}
