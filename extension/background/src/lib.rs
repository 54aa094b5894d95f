//! Background worker (Chromium service worker / Firefox event page): the JS shim registers the
//! listeners and hands every message here; this crate decodes it, checks the sender and hands it to
//! the application layer (`po_bridge::app`), which decides everything. Adapters only: IndexedDB
//! (`kv`), fetch and `Intl` (`net`), identity, events, alarms and keep-alive (`platform`).
#![cfg(target_arch = "wasm32")]

mod batch;
mod dev;
mod identity;
mod kv;
mod net;
mod platform;

use kv::IdbStore;
use net::{BrowserCalendar, FetchTransport};
use platform::{BrowserAlarms, BrowserClients, BrowserEvents, KeepAlive};
use po_bridge::app::errors::{to_protocol, AppError, PlatformFailure};
use po_bridge::app::recipients::LiveSessions;
use po_bridge::app::unfinished::Marks;
use po_bridge::app::{
    capability::Holder, exports::Run, resume, resume::AlarmAfterResume, resume::WATCHDOG_MS, service::App,
    sessions::Asker,
};
use po_bridge::app::{platform::Alarms, platform::Events, status::RecentAnswers, updates::UpdateJob};
use po_bridge::protocol::{decode_envelope, handle_ping, ErrorCode, Event, EventEnvelope, ReplyEnvelope};
use po_bridge::protocol::{Request, Response, PROTOCOL_VERSION};
use po_bridge::sender::{authorize, classify, SenderInfo, SenderKind};
use po_bridge::{export::journal::JobKey, inpage::read};
use po_bridge_browser as browser;
use std::{cell::RefCell, collections::HashSet, rc::Rc, sync::OnceLock};
use wasm_bindgen::prelude::*;

static BOOT: OnceLock<u64> = OnceLock::new();

thread_local! {
    /// Jobs running in this worker instance (a second start or resume of the same job waits).
    static RUNNING: RefCell<HashSet<JobKey>> = RefCell::new(HashSet::new());
    /// Updates of POs running in this worker instance (issue 18).
    static UPDATING: RefCell<HashSet<JobKey>> = RefCell::new(HashSet::new());
    /// Lightspeed's recent "is it exported?" answers.
    static RECENT: Rc<RefCell<RecentAnswers>> = Rc::default();
    /// The NuORDER sessions as this worker last stored them: every request's `App` shares them, so
    /// a running job's events reach the buyer's tabs as they are now.
    static LIVE: Rc<LiveSessions> = Rc::default();
    /// What this worker knows of the index of unfinished work (every request's `App` shares it).
    static UNFINISHED: Rc<Marks> = Rc::default();
}

type BrowserApp = App<IdbStore, BrowserCalendar, BrowserClients>;

fn app() -> BrowserApp {
    let (live, unfinished) = (LIVE.with(Rc::clone), UNFINISHED.with(Rc::clone));
    App { store: IdbStore, calendar: BrowserCalendar, clients: BrowserClients, live, unfinished }
}

fn boot() -> u64 {
    *BOOT.get_or_init(|| js_sys::Date::now() as u64)
}

/// Called by the shim once the wasm is ready: resume unfinished exports (the worker may have been
/// stopped mid-export, or the browser restarted).
#[wasm_bindgen]
pub fn started() {
    boot();
    dev::prefetch();
    wasm_bindgen_futures::spawn_local(async {
        let _ = app().record_boot().await;
        resume_all(false).await;
        // The wake's own work is over: a User Timing mark (DevTools shows it; the bench reads its
        // time since the worker started, issue 17).
        performance_mark("po-bridge:resumed");
    });
}

#[wasm_bindgen]
extern "C" {
    /// `performance.mark(name)`.
    #[wasm_bindgen(js_namespace = performance, js_name = mark)]
    fn performance_mark(name: &str);
}

/// Called by the shim on every `alarms.onAlarm` (the watchdog that resumes unfinished exports).
#[wasm_bindgen]
pub fn on_alarm() {
    wasm_bindgen_futures::spawn_local(resume_all(true));
}

/// Handle one `runtime.onMessage` message. `sender` is the shim's plain copy of `MessageSender`.
/// Always resolves to a reply envelope (never rejects), so the caller can answer every message.
#[wasm_bindgen]
pub async fn handle_message(message: JsValue, sender: JsValue) -> JsValue {
    let reply = dispatch(message, sender).await;
    browser::to_js(&reply).unwrap_or(JsValue::NULL)
}

async fn dispatch(message: JsValue, sender: JsValue) -> ReplyEnvelope {
    let envelope = match decode_envelope(&browser::from_js(message).unwrap_or(serde_json::Value::Null)) {
        Ok(e) => e,
        Err(reply) => return reply,
    };
    let sender: SenderInfo = browser::from_js(sender).unwrap_or_default();
    let kind = classify(&sender, &browser::extension_id(), &browser::extension_url(""));
    if let Err(e) = authorize(kind, envelope.req.privilege()) {
        return ReplyEnvelope::err(envelope.id, e);
    }
    let framed = sender.frame_id.is_some_and(|f| f != 0);
    let asker = Asker { tab_id: sender.tab_id, extension_page: kind == SenderKind::ExtensionPage, framed };
    let holder = Holder { tab_id: sender.tab_id, frame_id: sender.frame_id };
    // The settings (read since the wake) are awaited once the message is decoded, not before.
    dev::load().await;
    let reply = match envelope.req {
        // A page's status request, the one a woken worker most often answers first, does not go
        // through `handle`: on a wake V8 compiles each function on its first call, and `handle`'s
        // future is the module's largest function.
        req @ (Request::GetExportStatus { .. } | Request::ObserveOrder { .. }) => status_request(req, asker).await,
        req => handle(req, asker, holder).await,
    };
    match reply.map_err(to_protocol) {
        Ok(ok) => ReplyEnvelope::ok(envelope.id, ok),
        Err(e) => {
            if e.code == ErrorCode::Internal {
                browser::warn(&e.message);
            }
            ReplyEnvelope::err(envelope.id, e)
        }
    }
}

fn is_firefox() -> bool {
    browser::extension_url("").starts_with("moz-extension:")
}

async fn handle(req: Request, asker: Asker, holder: Holder) -> Result<Response, AppError> {
    let (tab_id, app) = (asker.tab_id, app());
    Ok(match req {
        Request::Ping { from } => handle_ping(&from, &browser::extension_version(), boot()),
        Request::GetAccounts { active_tab_id } => Response::Accounts(app.accounts_view(active_tab_id).await?),
        Request::LinkLightspeed { interactive } => {
            let (account_id, name) = link_account(interactive).await?;
            Response::Linked { account_id, name }
        }
        Request::LinkNuorderBuyer { account_id, tab_id } => done(app.link_buyer(&account_id, tab_id).await)?,
        Request::Unlink { account_id } => {
            if let Some(w) = app.unlink(&account_id, &FetchTransport).await? {
                browser::warn(&format!("revoking the Lightspeed token failed: {w}"));
            }
            Response::Done
        }
        Request::GetShops { account_id } => Response::Shops { shops: app.live_shops(&account_id).await?, account_id },
        Request::SetDefaultShop { account_id, shop_id } => done(app.set_default_shop(&account_id, &shop_id).await)?,
        Request::SetRegion { account_id, region } => done(app.set_region(&account_id, region).await)?,
        Request::ReportNuorderSession { session } => done(app.report_session(&session, tab_id).await)?,
        req @ (Request::StageOrder { .. } | Request::ConnectLightspeed { .. } | Request::CloseDialog) => {
            dialog_request(req, asker, holder).await?
        }
        // `dispatch` answers a page's status request itself.
        Request::GetExportStatus { .. } | Request::ObserveOrder { .. } => {
            return Err(AppError::Invalid("Not a request for this handler.".into()))
        }
        Request::PreviewExport { cap } => match app.preview_batch(&cap, holder).await? {
            Some(view) => Response::Batch(view),
            None => app.preview(&cap, holder).await?.into_response(),
        },
        Request::StartExport { order_id, shop_id, choices, cap } => {
            ensure_running(app.start(&order_id, &shop_id, choices, &cap, holder).await?)
        }
        Request::StartUpdate { order_id, archive, choices, cap } => {
            ensure_updating(app.start_update(&order_id, archive, choices, &cap, holder).await?)
        }
        Request::RetryExport { order_id, cap } => {
            ensure_running(app.retry(&order_id, cap.as_deref().map(|c| (c, holder)), asker).await?)
        }
        Request::OpenLinking => {
            let now = js_sys::Date::now() as u64;
            if RECENT.with(|r| r.borrow_mut().limits.admit_linking(tab_id, now)) {
                browser::open_tab(&browser::extension_url("popup.html#link")).await;
            }
            Response::Done
        }
        Request::GetHistory => Response::History(app.history().await?),
        req @ (Request::ReportPage { .. } | Request::GetTabPage { .. } | Request::ExportFromPopup { .. }) => {
            page_request(req, tab_id).await?
        }
        Request::ReadPage(page) => Response::Page(read::read_page(&page)),
        Request::OrderReads { order, brand } => Response::OrderReads(read::order_reads(&order, &brand)),
        req @ (Request::StageBatchOrder { .. }
        | Request::OpenBatch { .. }
        | Request::StartBatch { .. }
        | Request::CancelBatch { .. }
        | Request::GetBatch) => batch::handle(&app, req, asker, holder).await?,
    })
}

/// A page's status request (a list's rows, or the order a detail page read).
async fn status_request(req: Request, asker: Asker) -> Result<Response, AppError> {
    let (app, recent) = (app(), RECENT.with(Rc::clone));
    let (linked, statuses) = match req {
        Request::GetExportStatus { orders, shown } => app.row_statuses(&orders, &shown, asker, &recent).await?,
        Request::ObserveOrder { order } => app.observe(&order, asker, &recent).await?,
        _ => return Err(AppError::Invalid("Not a status request.".into())),
    };
    Ok(Response::Statuses { linked, statuses })
}

/// The requests that open, re-open or close the export dialog.
async fn dialog_request(req: Request, asker: Asker, holder: Holder) -> Result<Response, AppError> {
    let app = app();
    Ok(match req {
        Request::StageOrder { order, products, brand } => {
            let nonce = net::random::<16>().map_err(PlatformFailure::Random)?;
            let (order_id, order_number, dialog) = app.stage(order, products, brand, asker, &nonce).await?;
            Response::Staged { order_id, order_number, dialog: shown_where(&app, dialog).await? }
        }
        Request::ConnectLightspeed { cap } => {
            app.connect_check(&cap, holder).await?;
            let (account_id, _) = link_account(true).await?;
            let nonce = net::random::<16>().map_err(PlatformFailure::Random)?;
            let c = app.connected(&cap, holder, &account_id, &nonce).await?;
            Response::Connected { account_id: c.account_id, dialog: c.dialog, shops: c.shops }
        }
        Request::CloseDialog => {
            let event = EventEnvelope { v: PROTOCOL_VERSION, event: Event::CloseDialog { order_id: None } };
            match asker.tab_id {
                // The dialog's own window (Firefox) closes; the overlay is its tab's to remove.
                Some(tab) if holder.frame_id == Some(0) => browser::close_tab(tab).await,
                Some(tab) => BrowserEvents.to_tab(tab, &event),
                None => {}
            }
            Response::Done
        }
        _ => return Err(AppError::Invalid("Not a dialog request.".into())),
    })
}

/// Where a dialog with a fresh capability is shown: in Chromium, the tab's overlay (the path goes
/// back to the in-page layer); in Firefox, a window of its own (why: the ui's `dialog::guard`), its
/// capability re-bound to that window's tab, and the in-page layer gets an empty path.
pub(crate) async fn shown_where(app: &BrowserApp, dialog: String) -> Result<String, AppError> {
    if !is_firefox() {
        return Ok(dialog);
    }
    let tab = browser::open_popup_window(1000, 780).await.ok_or(PlatformFailure::Window)?;
    browser::navigate_tab(tab, &browser::extension_url(&app.rebind(&dialog, tab).await?)).await;
    Ok(String::new())
}

/// Link a Lightspeed account through the browser's consent window (OAuth 2.0 + PKCE).
async fn link_account(interactive: bool) -> Result<(String, String), AppError> {
    let app = app();
    let cfg = app.config(is_firefox()).await;
    let random = net::random::<48>().map_err(PlatformFailure::Random)?;
    app.link(&cfg, &identity::WebAuthFlow, &FetchTransport, &random, interactive).await
}

/// The popup's *This page* (issue 20): a tab's report, the section, *Export this order*.
async fn page_request(req: Request, tab_id: Option<i64>) -> Result<Response, AppError> {
    let app = app();
    Ok(match req {
        Request::ReportPage { path, missing } => done(app.report_page(tab_id, path, missing).await)?,
        Request::GetTabPage { active_tab_id, own_tab_id, user_agent } => {
            let versions = (browser::extension_version(), po_bridge::inpage::diagnostic::browser_name(&user_agent));
            Response::TabPage(app.tab_page(active_tab_id, own_tab_id, (&versions.0, &versions.1)).await?)
        }
        Request::ExportFromPopup { tab_id } => {
            let order_id = app.export_target(tab_id).await?;
            let path = po_bridge::nuorder::pages::api::order_by_id(&order_id);
            let event = EventEnvelope { v: PROTOCOL_VERSION, event: Event::ExportOrder { order_id, path } };
            BrowserEvents.to_tab(tab_id, &event);
            Response::Done
        }
        _ => return Err(AppError::Invalid("Not a page request.".into())),
    })
}

fn done(r: Result<(), AppError>) -> Result<Response, AppError> {
    r.map(|()| Response::Done)
}

/// Run (or resume) a job in the background unless this worker already runs it; answer with its
/// status.
fn ensure_running(run: Run) -> Response {
    let answer = Response::Job(run.view.clone());
    if !RUNNING.with(|r| r.borrow_mut().insert(run.key.clone())) {
        return answer;
    }
    // The watchdog: Firefox suspends an idle event page even mid-job (only events count as activity
    // there); the alarm wakes it to resume from the journal, and its firing keeps it from idling.
    BrowserAlarms.wake_in(dev::get().watchdog_ms(WATCHDOG_MS));
    wasm_bindgen_futures::spawn_local(async move {
        let keepalive = KeepAlive::start();
        let key = run.key.clone();
        let log = app().run_job(run, &BrowserEvents, &BrowserAlarms, &RECENT.with(Rc::clone)).await;
        drop(keepalive);
        RUNNING.with(|r| r.borrow_mut().remove(&key));
        if let Some(message) = log {
            browser::warn(&message);
        }
    });
    answer
}

/// Run (or resume) an update of a PO in the background unless this worker already runs it; answer
/// with the order's status. Like an export: the watchdog wakes the worker to resume it.
fn ensure_updating(job: UpdateJob) -> Response {
    let answer = Response::Job(job.view.clone());
    if !UPDATING.with(|r| r.borrow_mut().insert(job.key.clone())) {
        return answer;
    }
    BrowserAlarms.wake_in(dev::get().watchdog_ms(WATCHDOG_MS));
    wasm_bindgen_futures::spawn_local(async move {
        let keepalive = KeepAlive::start();
        let key = job.key.clone();
        let log = app().run_update_job(job, &BrowserEvents).await;
        drop(keepalive);
        UPDATING.with(|r| r.borrow_mut().remove(&key));
        if let Some(message) = log {
            browser::warn(&message);
        }
    });
    answer
}

/// Resume every unfinished job and update (whenever the worker starts, and on the watchdog alarm:
/// `by_alarm`), then arm or stop the alarm as `resume::after_resume` says.
async fn resume_all(by_alarm: bool) {
    let asked = BrowserAlarms::asked();
    dev::load().await;
    let app = app();
    let set_wake = batch::resume_sets(&app).await;
    let running = |k: &JobKey| RUNNING.with(|r| r.borrow().contains(k));
    let (jobs, wake) = app.jobs_to_resume(&running, dev::get().watchdog_ms(WATCHDOG_MS)).await;
    for run in jobs {
        ensure_running(run);
    }
    let updating = |k: &JobKey| UPDATING.with(|r| r.borrow().contains(k));
    for job in app.updates_to_resume(&updating).await {
        ensure_updating(job);
    }
    let idle = RUNNING.with(|r| r.borrow().is_empty()) && UPDATING.with(|r| r.borrow().is_empty()) && batch::idle();
    match resume::after_resume([wake, set_wake], !idle, by_alarm, dev::get().watchdog_ms(WATCHDOG_MS)) {
        AlarmAfterResume::Arm(ms) => BrowserAlarms.wake_in(ms),
        AlarmAfterResume::Stop => BrowserAlarms::stop_unless_asked_since(asked),
        AlarmAfterResume::Leave => {}
    }
}
