//! The update against Lightspeed and a store: [`review`] reads what an update needs and plans it
//! (writes nothing); [`run_update`] applies a reviewed plan as a new revision — or resumes the
//! revision a kill or a failure interrupted — saving the journal after every step.

use super::compare::is_cancelled;
use super::dates::{DateInZone, ShopDates};
use super::journal::{UpdateJournal, UpdateLog, UpdateOutcome, UpdateStepKind};
use super::plan::{order_items, plan_update, UpdateInputs};
use super::store::UpdateStore;
use super::types::UpdatePlan;
use super::written::Written;
use crate::core::rows::RowKey;
use crate::export::journal::{JobKey, Journal, Outcome};
use crate::export::plan::Choice;
use crate::export::runner::{exported_orders, preview, run_export, RunError, RunOutcome, Staged};
use crate::lightspeed::client::{ClientError, LightspeedClient, TokenSource};
use crate::lightspeed::endpoints::{
    converge::{DeleteOrder, DeleteOrderLine},
    Archived, GetOrder, ListOrderLines, ListShops, UpdateOrder, UpdateOrderLine,
};
use crate::lightspeed::http::{Clock, Transport};
use crate::lightspeed::{Order as LsOrder, OrderId};

/// What [`review`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reviewed {
    /// Lightspeed has no PO for this order (nothing to update).
    NotExported,
    /// This order's export has not finished (it resumes): finish it before updating its PO.
    ExportUnfinished,
    /// An earlier update of this PO was interrupted: it resumes (with the plan it was made from)
    /// before anything new is planned.
    Interrupted(Box<UpdateJournal>),
    /// The plan of the update.
    Plan(Box<UpdatePlan>),
}

/// How [`run_update`] ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdateRun {
    /// Every step is done (a resumed update that finished counts).
    Updated(Box<UpdateJournal>),
    /// The plan writes nothing.
    Nothing,
    /// Stopped with advice; `retryable`: running the update again resumes it.
    Failed { message: String, retryable: bool },
}

fn store_err(e: impl std::fmt::Display) -> RunError {
    RunError::Store(e.to_string())
}

/// The PO of the order: the one its export wrote, else the one Lightspeed marks with the
/// export's `refNum` / `b2bOrderNumber` rule.
async fn find_po<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    export: Option<&Journal>,
    order_number: &str,
) -> Result<Option<OrderId>, RunError> {
    let ours = export.and_then(|j| match j.outcome {
        Outcome::Exported { po_id } | Outcome::AlreadyExported { po_id } => Some(po_id),
        _ => None,
    });
    if ours.is_some() {
        return Ok(ours);
    }
    Ok(exported_orders(client, &[order_number.to_string()]).await?.values().next().copied())
}

/// The `timeZone` of the PO's shop, read only when the PO has an arrival date to read (`None`:
/// no such shop, or it has no zone).
async fn shop_zone<T: Transport, C: Clock, S: TokenSource>(
    client: &LightspeedClient<T, C, S>,
    po: &LsOrder,
) -> Result<Option<String>, RunError> {
    let Some(shop_id) = po.shop_id.filter(|_| po.arrival_date.is_some()) else { return Ok(None) };
    let shops = client.list_all(&ListShops { archived: Archived::Include }).await?;
    Ok(shops.into_iter().find(|s| s.shop_id == shop_id).and_then(|s| s.time_zone))
}

/// Reads the PO and its lines, its shop's zone, the export's record and the order's updates, plans
/// the order now with the export's own matching, and plans the update. Writes nothing.
/// `date_in_zone` is the platform's zone database: the PO's arrival date reads as a calendar date
/// in its shop's `timeZone` ([`ShopDates`]).
pub async fn review<T: Transport, C: Clock, S: TokenSource, U: UpdateStore>(
    client: &LightspeedClient<T, C, S>,
    store: &U,
    account_id: &str,
    staged: &Staged,
    archive_cancelled: bool,
    date_in_zone: DateInZone<'_>,
) -> Result<Reviewed, RunError> {
    review_choosing(client, store, account_id, staged, archive_cancelled, &[], date_in_zone).await
}

/// [`review`] with the user's choices for added sizes that need one (the export's
/// [`Plan::choose`](crate::export::plan::Plan::choose); a choice that does not apply is ignored).
pub async fn review_choosing<T: Transport, C: Clock, S: TokenSource, U: UpdateStore>(
    client: &LightspeedClient<T, C, S>,
    store: &U,
    account_id: &str,
    staged: &Staged,
    archive_cancelled: bool,
    choices: &[(RowKey, Choice)],
    date_in_zone: DateInZone<'_>,
) -> Result<Reviewed, RunError> {
    let order = &staged.order;
    let key = JobKey { account_id: account_id.to_string(), order_id: order.id.clone() };
    let log = store.load_updates(&key).await.map_err(store_err)?.unwrap_or_else(|| UpdateLog::new(key.clone()));
    if let Some(j) = log.running() {
        return Ok(Reviewed::Interrupted(Box::new(j.clone())));
    }
    let export = store.load(&key).await.map_err(store_err)?;
    if export.as_ref().is_some_and(|j| {
        !matches!(
            j.outcome,
            Outcome::Exported { .. } | Outcome::AlreadyExported { .. } | Outcome::Failed { retryable: false, .. }
        )
    }) {
        return Ok(Reviewed::ExportUnfinished);
    }
    let Some(po_id) = find_po(client, export.as_ref(), &order.order_number).await? else {
        return Ok(Reviewed::NotExported);
    };
    let po = match client.one(&GetOrder(po_id)).await {
        Ok(po) => po,
        Err(e) if e.is_not_found() => return Ok(Reviewed::NotExported),
        Err(e) => return Err(e.into()),
    };
    let po_lines = client.list_all(&ListOrderLines { order_id: po_id, item_id: None }).await?;
    let zone = shop_zone(client, &po).await?;
    let dates = ShopDates { zone: zone.as_deref(), date_in_zone };
    let plan = if is_cancelled(order) {
        None
    } else {
        let mut plan = preview(client, store, account_id, staged).await?.plan;
        for (row, choice) in choices {
            let _ = plan.choose(row, choice.clone());
        }
        Some(plan)
    };
    let written = log
        .written(po_id)
        .cloned()
        .or_else(|| export.as_ref().and_then(Written::of_export).filter(|w| w.po_id == po_id))
        .unwrap_or_else(|| {
            Written::by_item(&po, &po_lines, &plan.as_ref().map(order_items).unwrap_or_default(), dates)
        });
    let inputs = UpdateInputs {
        order,
        plan: plan.as_ref(),
        written: &written,
        po: &po,
        po_lines: &po_lines,
        account_id,
        dates,
        archive_cancelled,
    };
    Ok(Reviewed::Plan(Box::new(plan_update(inputs)?)))
}

/// Applies `plan` as the next revision of the PO, or resumes the interrupted revision (then
/// `plan` is ignored; `None` only resumes). Saves the order's [`UpdateLog`] after every step;
/// `on_progress` sees each saved revision.
pub async fn run_update<T: Transport, C: Clock, S: TokenSource, U: UpdateStore>(
    client: &LightspeedClient<T, C, S>,
    store: &U,
    key: &JobKey,
    plan: Option<&UpdatePlan>,
    now_ms: u64,
    on_progress: &mut dyn FnMut(&UpdateJournal),
) -> Result<UpdateRun, RunError> {
    let mut log = store.load_updates(key).await.map_err(store_err)?.unwrap_or_else(|| UpdateLog::new(key.clone()));
    let (mut j, resumed) = match (log.running(), plan) {
        (Some(j), _) => (j.clone(), true),
        (None, Some(p)) => match UpdateJournal::build(p, key, log.next_revision(), now_ms) {
            Some(j) => (j, false),
            None => return Ok(UpdateRun::Nothing),
        },
        (None, None) => return Ok(UpdateRun::Nothing),
    };
    j.outcome = UpdateOutcome::Running;
    if resumed && j.line_steps_left() {
        // Planned before it stopped: the merchant may have edited its lines since.
        match client.list_all(&ListOrderLines { order_id: j.po_id, item_id: None }).await {
            Ok(lines) => j.recheck(&lines),
            Err(e) => return stop(store, &mut log, j, step_failure(e), now_ms, on_progress).await,
        }
    }
    save(store, &mut log, &j, on_progress).await?;
    while let Some(step) = j.current() {
        if let Err(failure) = perform(client, store, &j, step).await? {
            return stop(store, &mut log, j, failure, now_ms, on_progress).await;
        }
        j.steps[step].done = true;
        save(store, &mut log, &j, on_progress).await?;
    }
    let lines_job = load_lines_job(store, &j).await?;
    j.finish(lines_job.as_ref(), now_ms);
    save(store, &mut log, &j, on_progress).await?;
    Ok(UpdateRun::Updated(Box::new(j)))
}

/// Records a reviewed plan that writes nothing but finds the brand's changes already on the PO
/// ([`UpdateJournal::aligned`]), unless an update of the PO is unfinished. True when recorded.
pub async fn keep_aligned<U: UpdateStore>(
    store: &U,
    key: &JobKey,
    plan: &UpdatePlan,
    now_ms: u64,
) -> Result<bool, RunError> {
    let mut log = store.load_updates(key).await.map_err(store_err)?.unwrap_or_else(|| UpdateLog::new(key.clone()));
    if log.running().is_some() {
        return Ok(false);
    }
    let Some(j) = UpdateJournal::aligned(plan, key, log.next_revision(), now_ms) else { return Ok(false) };
    log.put(j);
    store.save_updates(&log).await.map_err(store_err)?;
    Ok(true)
}

/// A revision stopped by `failure`: recorded (a stop for good settles what was written).
async fn stop<U: UpdateStore>(
    store: &U,
    log: &mut UpdateLog,
    mut j: UpdateJournal,
    failure: StepFailure,
    now_ms: u64,
    on_progress: &mut dyn FnMut(&UpdateJournal),
) -> Result<UpdateRun, RunError> {
    let StepFailure { message, retryable, relink } = failure;
    j.outcome = UpdateOutcome::Failed { message: message.clone(), retryable, relink };
    if !retryable {
        let lines_job = load_lines_job(store, &j).await?;
        j.settle_failed(lines_job.as_ref(), now_ms);
    }
    save(store, log, &j, on_progress).await?;
    Ok(UpdateRun::Failed { message, retryable })
}

/// The stored line job of a revision, if it has one.
async fn load_lines_job<U: UpdateStore>(store: &U, j: &UpdateJournal) -> Result<Option<Journal>, RunError> {
    let key = j.steps.iter().find_map(|s| match &s.kind {
        UpdateStepKind::AddLines { job } => Some(job.key.clone()),
        _ => None,
    });
    match key {
        Some(k) => store.load(&k).await.map_err(store_err),
        None => Ok(None),
    }
}

async fn save<U: UpdateStore>(
    store: &U,
    log: &mut UpdateLog,
    j: &UpdateJournal,
    on_progress: &mut dyn FnMut(&UpdateJournal),
) -> Result<(), RunError> {
    log.put(j.clone());
    store.save_updates(log).await.map_err(store_err)?;
    on_progress(j);
    Ok(())
}

/// A step's failure: advice, whether running the update again resumes, and whether Lightspeed
/// refused the account's authorisation.
struct StepFailure {
    message: String,
    retryable: bool,
    relink: bool,
}

fn failure(message: String, retryable: bool) -> StepFailure {
    StepFailure { message, retryable, relink: false }
}

/// One step. `Ok(Err(..))`: Lightspeed refused or failed (recorded in the journal); `Err`: the
/// store failed (not recordable).
async fn perform<T: Transport, C: Clock, S: TokenSource, U: UpdateStore>(
    client: &LightspeedClient<T, C, S>,
    store: &U,
    j: &UpdateJournal,
    step: usize,
) -> Result<Result<(), StepFailure>, RunError> {
    let done = match &j.steps[step].kind {
        UpdateStepKind::AddLines { job } => return add_lines(client, store, job).await,
        UpdateStepKind::PutLine { line_id, quantity, price } => {
            let changes = UpdateStepKind::line_write(*quantity, *price);
            client.apply_again(&UpdateOrderLine { id: *line_id, changes }).await
        }
        UpdateStepKind::DeleteLine { line_id } => client.apply_again(&DeleteOrderLine(*line_id)).await,
        UpdateStepKind::PutHeader { arrival_date, ship_cost, other_cost } => {
            let changes = UpdateStepKind::header_write(arrival_date, *ship_cost, *other_cost);
            client.apply_again(&UpdateOrder { id: j.po_id, changes }).await
        }
        UpdateStepKind::Archive => client.apply_again(&DeleteOrder(j.po_id)).await,
    };
    Ok(done.map_err(step_failure))
}

/// What a stopped update's advice ends with when running it again resumes it.
const RESUMES: &str = " Run the update again: it resumes where it stopped and writes nothing twice.";

/// What a refused or failed write of an update tells the user. Nothing resumes an update by
/// itself once it stopped, so a rate limit the client's own waits did not outlast says when to run
/// it again (not the export's "continues in about N seconds").
fn step_failure(e: ClientError) -> StepFailure {
    if let ClientError::RateLimited { retry_after_ms } = e {
        return failure(
            format!("Lightspeed's rate limit asks to wait {} s.{RESUMES}", retry_after_ms.div_ceil(1000)),
            true,
        );
    }
    // A PUT or DELETE whose answer was lost is safe to send again.
    let unknown = matches!(e, ClientError::OutcomeUnknown { .. });
    let e = RunError::Client(e);
    let retryable = unknown || e.is_retryable();
    let tail =
        if retryable { RESUMES } else { " This update stopped; the purchase order keeps the changes made before it." };
    StepFailure { message: format!("{}{tail}", e.user_message()), retryable, relink: e.needs_relink() }
}

/// What an update stopped by an error of its own (its storage failed, its journal is unreadable)
/// tells the user, and whether running it again can finish it.
pub fn stopped_by(e: &RunError) -> (String, bool) {
    let retryable = e.is_retryable();
    let message = match e {
        RunError::Store(_) => {
            "PO Bridge could not read or save the update's progress in its storage. Free some space or restart the browser.".into()
        }
        _ => e.user_message(),
    };
    let tail = if retryable { RESUMES } else { "" };
    (format!("{message}{tail}"), retryable)
}

/// The added lines: the export's own job for them (stored under its key the first time), run to
/// its end; a resumed one looks each line up before writing it again.
async fn add_lines<T: Transport, C: Clock, S: TokenSource, U: UpdateStore>(
    client: &LightspeedClient<T, C, S>,
    store: &U,
    job: &Journal,
) -> Result<Result<(), StepFailure>, RunError> {
    if store.load(&job.key).await.map_err(store_err)?.is_none() {
        store.save(job).await.map_err(store_err)?;
    }
    Ok(match run_export(client, store, &job.key, None, &mut |_| {}).await {
        Ok(RunOutcome::Exported { .. }) => Ok(()),
        Ok(RunOutcome::Failed { message, retryable }) => Err(failure(message, retryable)),
        Ok(RunOutcome::NeedsRelink) => Err(StepFailure {
            message: format!("Lightspeed needs the account linked again.{RESUMES}"),
            retryable: true,
            relink: true,
        }),
        Ok(RunOutcome::Paused { resume_after_ms }) => {
            Err(step_failure(ClientError::RateLimited { retry_after_ms: resume_after_ms }))
        }
        Ok(_) => Err(failure(
            "PO Bridge could not add the new lines to this purchase order. Please report it to support.".into(),
            false,
        )),
        Err(e) if matches!(e, RunError::Store(_)) => return Err(e),
        Err(e) => {
            let retryable = e.is_retryable();
            let message = format!("{}{}", e.user_message(), if retryable { RESUMES } else { "" });
            Err(StepFailure { message, retryable, relink: e.needs_relink() })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_failure_says_what_to_do_for_an_update() {
        let rate = step_failure(ClientError::RateLimited { retry_after_ms: 12_500 });
        assert_eq!(
            (rate.message.as_str(), rate.retryable, rate.relink),
            (
                "Lightspeed's rate limit asks to wait 13 s. Run the update again: it resumes where it stopped and writes nothing twice.",
                true,
                false
            )
        );
        assert!(!rate.message.contains("continues"));
        let path = "/API/V3/Account/1/OrderLine/7.json".to_string();
        let method = crate::lightspeed::http::Method::Put;
        let lost = step_failure(ClientError::OutcomeUnknown { method, path, detail: "reset".into() });
        assert!(lost.retryable && lost.message.ends_with("writes nothing twice."), "{}", lost.message);
    }
}
