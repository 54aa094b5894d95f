//! The batch requests (issue 19) and the runner of job sets: one runner per set in this worker
//! (`RUNNING_SETS`, as `RUNNING` for single jobs), whose orders count as running jobs too, so a
//! wake never resumes one of them as a single export beside its set.

use crate::platform::{BrowserAlarms, BrowserEvents, KeepAlive};
use crate::{app, dev, net, BrowserApp, RUNNING};
use po_bridge::app::batch_run::SetRunSpec;
use po_bridge::app::capability::Holder;
use po_bridge::app::errors::{AppError, PlatformFailure};
use po_bridge::app::platform::Alarms;
use po_bridge::app::resume::WATCHDOG_MS;
use po_bridge::app::sessions::Asker;
use po_bridge::export::batch::SetKey;
use po_bridge::export::journal::JobKey;
use po_bridge::protocol::{PageBrand, Request, Response};
use po_bridge_browser as browser;
use std::{cell::RefCell, collections::HashSet};

thread_local! {
    /// Job sets running in this worker instance.
    static RUNNING_SETS: RefCell<HashSet<SetKey>> = RefCell::new(HashSet::new());
}

/// The batch requests (the dispatcher hands over only these).
pub async fn handle(app: &BrowserApp, req: Request, asker: Asker, holder: Holder) -> Result<Response, AppError> {
    match req {
        Request::StageBatchOrder { order, products, brand } => stage(app, order, products, brand, asker).await,
        Request::OpenBatch { order_ids } => open(app, order_ids, asker).await,
        Request::StartBatch { cap, orders } => {
            let set = app.start_batch(&cap, holder, orders).await?;
            Ok(ensure_set_running(app.set_spec(&set).await.ok_or(AppError::NoAccount)?))
        }
        Request::CancelBatch { set_id } => Ok(Response::Set(app.cancel_batch(&set_id, asker).await?)),
        Request::GetBatch => Ok(Response::RunningBatch { set: app.running_batch(asker).await? }),
        _ => Err(AppError::Invalid("Not a batch request.".into())),
    }
}

/// One order of a selection, staged without a dialog.
async fn stage(
    app: &BrowserApp,
    order: serde_json::Value,
    products: Vec<serde_json::Value>,
    brand: PageBrand,
    asker: Asker,
) -> Result<Response, AppError> {
    let (_, order_id, order_number) = app.stage_record(order, products, brand, asker).await?;
    Ok(Response::Staged { order_id, order_number, dialog: String::new() })
}

/// The selection's capability and dialog (Firefox: in its own window, as for one order).
async fn open(app: &BrowserApp, order_ids: Vec<String>, asker: Asker) -> Result<Response, AppError> {
    let nonce = net::random::<24>().map_err(PlatformFailure::Random)?;
    let (set_id, dialog) = app.open_batch(order_ids, asker, &nonce).await?;
    Ok(Response::Staged {
        order_id: set_id,
        order_number: String::new(),
        dialog: crate::shown_where(app, dialog).await?,
    })
}

/// Run (or resume) a set in the background unless this worker already runs it; answer with its
/// progress.
pub fn ensure_set_running(spec: SetRunSpec) -> Response {
    let answer = Response::Set(spec.view.clone());
    if !RUNNING_SETS.with(|r| r.borrow_mut().insert(spec.key.clone())) {
        return answer;
    }
    let account_id = spec.key.account_id.clone();
    let keys: Vec<JobKey> = spec
        .orders
        .iter()
        .map(|order_id| JobKey { account_id: account_id.clone(), order_id: order_id.clone() })
        .collect();
    // Taken before the runner starts, so a wake in between does not resume them one by one.
    let mine: Vec<JobKey> = RUNNING.with(|r| {
        let mut r = r.borrow_mut();
        keys.into_iter().filter(|k| r.insert(k.clone())).collect()
    });
    BrowserAlarms.wake_in(dev::get().watchdog_ms(WATCHDOG_MS));
    wasm_bindgen_futures::spawn_local(async move {
        let keepalive = KeepAlive::start();
        let key = spec.key.clone();
        let log = app().run_set(spec, &BrowserEvents, &BrowserAlarms).await;
        drop(keepalive);
        RUNNING.with(|r| {
            mine.iter().for_each(|k| {
                r.borrow_mut().remove(k);
            })
        });
        RUNNING_SETS.with(|r| r.borrow_mut().remove(&key));
        if let Some(message) = log {
            browser::warn(&message);
        }
    });
    answer
}

/// Whether no set runs in this worker.
pub fn idle() -> bool {
    RUNNING_SETS.with(|r| r.borrow().is_empty())
}

/// Resume every unfinished set not running here and not paused for the rate limit (before single
/// jobs: see the module's note). Answers when to wake next for sets (see `sets_to_resume`).
pub async fn resume_sets(app: &BrowserApp) -> Option<u64> {
    let running = |k: &SetKey| RUNNING_SETS.with(|r| r.borrow().contains(k));
    let (specs, wake) = app.sets_to_resume(&running, dev::get().watchdog_ms(WATCHDOG_MS)).await;
    for spec in specs {
        ensure_set_running(spec);
    }
    wake
}
