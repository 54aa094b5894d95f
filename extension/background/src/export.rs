//! Exports in the background: staging orders sent by content scripts, the dialog's preview, running
//! jobs through the core's runner with an IndexedDB journal, status for pages (from Lightspeed
//! itself, cached briefly), live status events to tabs, history, and resuming unfinished jobs
//! whenever the worker wakes.

use crate::accounts::{self, load_state, seen_buyer_for_tab};
use crate::kv;
use crate::net::{self, BrowserClock, FetchTransport};
use po_bridge::accounts::LightspeedAccount;
use po_bridge::export::badge;
use po_bridge::export::journal::{JobKey, Journal, JournalStore};
use po_bridge::export::plan::{BrandContext, Links};
use po_bridge::export::runner::{self, RunOutcome, Staged, StartJob};
use po_bridge::export::status::JobStatus;
use po_bridge::export::summary;
use po_bridge::lightspeed::client::{ClientConfig, LightspeedClient, TokenManager, TokenStore};
use po_bridge::lightspeed::oauth::TokenSet;
use po_bridge::lightspeed::{OrderId, ShopId};
use po_bridge::link::LightspeedConfig;
use po_bridge::nuorder::model::{parse_order_value, parse_products_value};
use po_bridge::protocol::{
    ErrorCode, Event, EventEnvelope, HistoryEntry, OrderRef, OrderStatusView, PageBrand, PreviewView, ProtocolError,
    Response, RowChoice, PROTOCOL_VERSION,
};
use po_bridge_browser as browser;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;
use wasm_bindgen::JsCast;

const HISTORY_KEY: &str = "history";
const HISTORY_MAX: usize = 100;
/// How long a Lightspeed "is it exported?" answer is trusted for list pages.
const STATUS_CACHE_MS: u64 = 20_000;

fn staged_key(order_id: &str) -> String {
    format!("staged:{order_id}")
}

fn links_key(account_id: &str) -> String {
    format!("links:{account_id}")
}

fn internal(message: impl std::fmt::Display) -> ProtocolError {
    browser::warn(&message.to_string());
    ProtocolError::new(
        ErrorCode::Internal,
        "PO Bridge could not read or save its export records. Try again; if it keeps happening, restart the browser.",
    )
}

// ------------------------------------------------------------------------------------------------
// Stores: tokens and journals in IndexedDB
// ------------------------------------------------------------------------------------------------

/// The account's tokens in the background's IndexedDB.
pub struct KvTokenStore {
    pub account_id: String,
}

impl TokenStore for KvTokenStore {
    async fn load(&self) -> Result<Option<TokenSet>, String> {
        kv::get(&accounts::tokens_key(&self.account_id)).await.map_err(|e| e.to_string())
    }
    async fn save(&self, tokens: &TokenSet) -> Result<(), String> {
        kv::put(&accounts::tokens_key(&self.account_id), tokens).await.map_err(|e| e.to_string())
    }
}

/// Journals and links in IndexedDB.
pub struct KvJournalStore;

impl JournalStore for KvJournalStore {
    type Error = kv::StoreError;
    async fn load(&self, key: &JobKey) -> Result<Option<Journal>, Self::Error> {
        kv::get(&key.storage_key()).await
    }
    async fn save(&self, journal: &Journal) -> Result<(), Self::Error> {
        kv::put(&journal.key.storage_key(), journal).await
    }
    async fn load_links(&self, account_id: &str) -> Result<Links, Self::Error> {
        Ok(kv::get(&links_key(account_id)).await?.unwrap_or_default())
    }
    async fn save_links(&self, account_id: &str, links: &Links) -> Result<(), Self::Error> {
        kv::put(&links_key(account_id), links).await
    }
}

type Tokens = Rc<TokenManager<FetchTransport, BrowserClock, KvTokenStore>>;
type Client = LightspeedClient<FetchTransport, BrowserClock, Tokens>;

thread_local! {
    /// One client per account: one pacing bucket and one single-flight token refresher.
    static CLIENTS: RefCell<HashMap<String, Rc<Client>>> = RefCell::new(HashMap::new());
    /// Jobs running in this worker instance (a second start or resume of the same job waits).
    static RUNNING: RefCell<HashSet<JobKey>> = RefCell::new(HashSet::new());
    /// Lightspeed's answers to "which of these orders are exported", by account and order number.
    static EXPORTED_CACHE: RefCell<HashMap<(String, String), (u64, Option<OrderId>)>> = RefCell::new(HashMap::new());
    /// Tabs that showed an order (number → tab ids), for live status events.
    static ORDER_TABS: RefCell<HashMap<String, HashSet<i64>>> = RefCell::new(HashMap::new());
}

/// The client for an account (shared tokens refresher and bucket).
pub fn client_for(account: &LightspeedAccount) -> Rc<Client> {
    CLIENTS.with(|c| {
        c.borrow_mut()
            .entry(account.account_id.clone())
            .or_insert_with(|| {
                let cfg = LightspeedConfig::production(&account.client_id);
                let tokens = Rc::new(TokenManager::new(
                    FetchTransport,
                    BrowserClock,
                    KvTokenStore { account_id: account.account_id.clone() },
                    cfg.cloud_base.clone(),
                    cfg.client_id.clone(),
                ));
                let mut config = ClientConfig::new(&cfg.api_base, &account.account_id);
                if let Some(t) = crate::dev::timeout_ms() {
                    config.timeout_ms = t;
                }
                if let Some(w) = crate::dev::max_wait_ms() {
                    config.max_wait_ms = w;
                }
                Rc::new(LightspeedClient::new(FetchTransport, BrowserClock, tokens, config))
            })
            .clone()
    })
}

/// Forget an account's client (after unlink or relink).
pub fn drop_client(account_id: &str) {
    CLIENTS.with(|c| c.borrow_mut().remove(account_id));
}

// ------------------------------------------------------------------------------------------------
// Staging
// ------------------------------------------------------------------------------------------------

/// What a content script handed over, validated, with where it came from.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StagedRecord {
    order: serde_json::Value,
    products: Vec<serde_json::Value>,
    brand: PageBrand,
    tab_id: Option<i64>,
    account_id: Option<String>,
    staged_ms: u64,
}

fn validate(record: &StagedRecord) -> Result<Staged, ProtocolError> {
    let order = parse_order_value(&record.order)
        .map_err(|e| ProtocolError::new(ErrorCode::InvalidInput, format!("This order cannot be exported: {e}")))?;
    let products = parse_products_value(&serde_json::Value::Array(record.products.clone())).map_err(|e| {
        ProtocolError::new(ErrorCode::InvalidInput, format!("A product of this order cannot be read: {e}"))
    })?;
    let brand = BrandContext {
        name: order
            .brand_name
            .clone()
            .or_else(|| record.brand.name.clone())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        seller_uid: record.brand.id.clone(),
    };
    if brand.name.is_none() {
        return Err(ProtocolError::new(
            ErrorCode::InvalidInput,
            "This order names no brand and the page shows none. Choose the brand in NuORDER's brand switcher, then export again.",
        ));
    }
    Ok(Staged { order, products, brand })
}

pub async fn stage_order(
    order: serde_json::Value,
    products: Vec<serde_json::Value>,
    brand: PageBrand,
    tab_id: Option<i64>,
) -> Result<Response, ProtocolError> {
    if products.len() > 5_000 {
        return Err(ProtocolError::new(
            ErrorCode::InvalidInput,
            "This order lists more products than PO Bridge accepts (5,000).",
        ));
    }
    let buyer = seen_buyer_for_tab(tab_id).await;
    let state = load_state().await?;
    let account_id = state.account_for(buyer.as_ref()).map(|a| a.account_id.clone());
    let record = StagedRecord { order, products, brand, tab_id, account_id, staged_ms: net::now_ms() };
    let staged = validate(&record)?;
    let order_id = staged.order.id.clone();
    let order_number = staged.order.order_number.clone();
    kv::put(&staged_key(&order_id), &record).await.map_err(internal)?;
    if let Some(t) = tab_id {
        ORDER_TABS.with(|m| m.borrow_mut().entry(order_number.clone()).or_default().insert(t));
    }
    Ok(Response::Staged { order_id, order_number })
}

async fn load_staged(order_id: &str) -> Result<(Staged, LightspeedAccount), ProtocolError> {
    let record: StagedRecord = kv::get(&staged_key(order_id)).await.map_err(internal)?.ok_or_else(|| {
        ProtocolError::new(
            ErrorCode::NotFound,
            "PO Bridge no longer has this order. Close this window and click Export order to POS again.",
        )
    })?;
    let staged = validate(&record)?;
    let state = load_state().await?;
    let account = record
        .account_id
        .as_deref()
        .and_then(|a| state.account(a))
        .or_else(|| state.account_for(None))
        .cloned()
        .ok_or_else(|| {
            ProtocolError::new(
                ErrorCode::NeedsRelink,
                "No Lightspeed account is linked for this NuORDER buyer. Open PO Bridge from the toolbar and link one.",
            )
        })?;
    Ok((staged, account))
}

// ------------------------------------------------------------------------------------------------
// Status
// ------------------------------------------------------------------------------------------------

fn view(
    account: Option<&LightspeedAccount>,
    order_number: &str,
    order_id: Option<&str>,
    status: JobStatus,
) -> OrderStatusView {
    let (po_number, po_url) = match (&status, account) {
        (JobStatus::Exported { po_id }, Some(a)) => {
            (Some(po_id.to_string()), Some(a.region.po_url(&po_id.to_string())))
        }
        (JobStatus::Exported { po_id }, None) => (Some(po_id.to_string()), None),
        _ => (None, None),
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

fn journal_view(account: &LightspeedAccount, j: &Journal) -> OrderStatusView {
    view(Some(account), &j.order_number, Some(&j.key.order_id), JobStatus::of_journal(j))
}

async fn local_journal(account_id: &str, order_id: &str) -> Option<Journal> {
    KvJournalStore
        .load(&JobKey { account_id: account_id.to_string(), order_id: order_id.to_string() })
        .await
        .ok()
        .flatten()
}

/// Statuses for a page's orders: local journals first, then Lightspeed (by our refNum or the
/// first-party integration's b2bOrderNumber), batched and cached briefly.
pub async fn get_export_status(orders: Vec<OrderRef>, tab_id: Option<i64>) -> Result<Response, ProtocolError> {
    if orders.len() > 500 {
        return Err(ProtocolError::new(ErrorCode::InvalidInput, "Too many orders asked at once."));
    }
    let buyer = seen_buyer_for_tab(tab_id).await;
    let state = load_state().await?;
    let account = state.account_for(buyer.as_ref()).cloned();
    let Some(account) = account else {
        return Ok(Response::Statuses {
            linked: false,
            statuses: orders
                .iter()
                .map(|o| view(None, &o.order_number, o.order_id.as_deref(), JobStatus::NotExported))
                .collect(),
        });
    };
    if let Some(t) = tab_id {
        ORDER_TABS.with(|m| {
            let mut m = m.borrow_mut();
            for o in &orders {
                m.entry(o.order_number.clone()).or_default().insert(t);
            }
        });
    }
    let mut out: Vec<Option<OrderStatusView>> = vec![None; orders.len()];
    let index = number_index(&account.account_id).await;
    for (i, o) in orders.iter().enumerate() {
        let id = o.order_id.clone().or_else(|| index.get(&o.order_number).cloned());
        if let Some(id) = id {
            if let Some(j) = local_journal(&account.account_id, &id).await {
                out[i] = Some(journal_view(&account, &j));
            }
        }
    }
    let now = net::now_ms();
    let mut ask: Vec<String> = Vec::new();
    for (i, o) in orders.iter().enumerate() {
        if out[i].is_some() {
            continue;
        }
        let cached =
            EXPORTED_CACHE.with(|c| c.borrow().get(&(account.account_id.clone(), o.order_number.clone())).cloned());
        match cached {
            Some((at, po)) if now.saturating_sub(at) < STATUS_CACHE_MS => {
                let status = po.map(|po_id| JobStatus::Exported { po_id }).unwrap_or(JobStatus::NotExported);
                out[i] = Some(view(Some(&account), &o.order_number, o.order_id.as_deref(), status));
            }
            _ => ask.push(o.order_number.clone()),
        }
    }
    if !ask.is_empty() {
        let client = client_for(&account);
        match runner::exported_orders(&client, &ask).await {
            Ok(found) => {
                EXPORTED_CACHE.with(|c| {
                    let mut c = c.borrow_mut();
                    for n in &ask {
                        c.insert((account.account_id.clone(), n.clone()), (now, found.get(n).copied()));
                    }
                });
                for (i, o) in orders.iter().enumerate() {
                    if out[i].is_none() {
                        let status = found
                            .get(&o.order_number)
                            .map(|po_id| JobStatus::Exported { po_id: *po_id })
                            .unwrap_or(JobStatus::NotExported);
                        out[i] = Some(view(Some(&account), &o.order_number, o.order_id.as_deref(), status));
                    }
                }
            }
            Err(e) => {
                let needs_relink = e.needs_relink();
                for (i, o) in orders.iter().enumerate() {
                    if out[i].is_none() {
                        let status = if needs_relink { JobStatus::NeedsRelink } else { JobStatus::NotExported };
                        out[i] = Some(view(Some(&account), &o.order_number, o.order_id.as_deref(), status));
                    }
                }
                browser::warn(&format!("export status lookup failed: {}", e.user_message()));
            }
        }
    }
    Ok(Response::Statuses { linked: true, statuses: out.into_iter().flatten().collect() })
}

/// Order number → order `_id` of the account's jobs (list rows only know numbers).
async fn number_index(account_id: &str) -> BTreeMap<String, String> {
    kv::get(&format!("numbers:{account_id}")).await.ok().flatten().unwrap_or_default()
}

async fn remember_number(account_id: &str, order_number: &str, order_id: &str) {
    let mut index = number_index(account_id).await;
    index.insert(order_number.to_string(), order_id.to_string());
    let _ = kv::put(&format!("numbers:{account_id}"), &index).await;
}

// ------------------------------------------------------------------------------------------------
// Preview and export
// ------------------------------------------------------------------------------------------------

pub async fn preview_export(order_id: &str) -> Result<Response, ProtocolError> {
    let (staged, account) = load_staged(order_id).await?;
    let client = client_for(&account);
    let shops = accounts::live_shops(&account.account_id).await?;
    let preview =
        runner::preview(&client, &KvJournalStore, &account.account_id, &staged).await.map_err(|e| run_error(&e))?;
    // A job already started here shows its own status (and the dialog keeps Export inactive): while
    // it is unfinished, `existing_po` would be our own PO.
    let status_view = match local_journal(&account.account_id, order_id).await {
        Some(j) => journal_view(&account, &j),
        None => {
            kv::put(&format!("plan:{order_id}"), &preview.plan).await.map_err(internal)?;
            let status =
                preview.existing_po.map(|po_id| JobStatus::Exported { po_id }).unwrap_or(JobStatus::NotExported);
            view(Some(&account), &staged.order.order_number, Some(order_id), status)
        }
    };
    Ok(Response::Preview(preview_view(&staged, &account, shops, preview.plan, status_view)))
}

fn preview_view(
    staged: &Staged,
    account: &LightspeedAccount,
    shops: Vec<po_bridge::protocol::ShopView>,
    plan: po_bridge::export::plan::Plan,
    status: OrderStatusView,
) -> PreviewView {
    let (units, cost) = summary::totals(&staged.order);
    PreviewView {
        order_id: staged.order.id.clone(),
        order_number: staged.order.order_number.clone(),
        currency: staged.order.currency.to_string(),
        shipping_address: summary::address_lines(staged.order.shipping_address.as_ref()),
        account_name: account.name.clone(),
        default_shop_id: account.default_shop_id.clone().filter(|d| shops.iter().any(|s| &s.shop_id == d)),
        shops,
        plan,
        total_units: units,
        total_cost: cost.map(|c| c.to_string()).unwrap_or_default(),
        status,
    }
}

fn run_error(e: &runner::RunError) -> ProtocolError {
    if e.needs_relink() {
        ProtocolError::new(ErrorCode::NeedsRelink, e.user_message())
    } else if e.is_retryable() {
        ProtocolError::new(ErrorCode::Network, e.user_message())
    } else {
        ProtocolError::new(ErrorCode::InvalidInput, e.user_message())
    }
}

fn today() -> String {
    let d = js_sys::Date::new_0();
    format!("{:04}-{:02}-{:02}", d.get_full_year(), d.get_month() + 1, d.get_date())
}

pub async fn start_export(order_id: &str, shop_id: &str, choices: Vec<RowChoice>) -> Result<Response, ProtocolError> {
    let (staged, account) = load_staged(order_id).await?;
    let key = JobKey { account_id: account.account_id.clone(), order_id: order_id.to_string() };
    // Exactly once: a job that exists is never started again (double click, two tabs, retry
    // after success); its status is the answer.
    if let Some(j) = local_journal(&account.account_id, order_id).await {
        ensure_running(account.clone(), key.clone(), None);
        return Ok(Response::Job(journal_view(&account, &j)));
    }
    let shops = accounts::live_shops(&account.account_id).await?;
    if !shops.iter().any(|s| s.shop_id == shop_id) {
        return Err(ProtocolError::new(
            ErrorCode::InvalidInput,
            "That location is archived or unknown in Lightspeed. Choose another location.",
        ));
    }
    let mut plan: po_bridge::export::plan::Plan = match kv::get(&format!("plan:{order_id}")).await.map_err(internal)? {
        Some(p) => p,
        None => {
            runner::preview(&client_for(&account), &KvJournalStore, &account.account_id, &staged)
                .await
                .map_err(|e| run_error(&e))?
                .plan
        }
    };
    for c in choices {
        plan.choose(&c.row, c.choice).map_err(|e| ProtocolError::new(ErrorCode::InvalidInput, e.to_string()))?;
    }
    if !plan.is_ready() {
        return Err(ProtocolError::new(ErrorCode::InvalidInput, "Some items need your choice before export: pick an item or \"Create a new item\" for each row marked Needs choice."));
    }
    let shop: u64 = shop_id
        .parse()
        .map_err(|_| ProtocolError::new(ErrorCode::InvalidInput, "Choose the location for the order export."))?;
    remember_number(&account.account_id, &staged.order.order_number, order_id).await;
    let start = StartJob { staged, plan, shop_id: ShopId(shop), today: today() };
    let status = view(
        Some(&account),
        &start.staged.order.order_number,
        Some(order_id),
        JobStatus::InProgress { step: "Starting the export".into(), done: 0, total: 1 },
    );
    ensure_running(account, key, Some(start));
    Ok(Response::Job(status))
}

pub async fn retry_export(order_id: &str, tab_id: Option<i64>) -> Result<Response, ProtocolError> {
    let state = load_state().await?;
    let buyer = seen_buyer_for_tab(tab_id).await;
    let account = state.account_for(buyer.as_ref()).cloned().ok_or_else(|| {
        ProtocolError::new(
            ErrorCode::NeedsRelink,
            "No Lightspeed account is linked. Open PO Bridge from the toolbar and link one.",
        )
    })?;
    let j = local_journal(&account.account_id, order_id)
        .await
        .ok_or_else(|| ProtocolError::new(ErrorCode::NotFound, "There is no export of this order to retry."))?;
    let key = j.key.clone();
    ensure_running(account.clone(), key, None);
    Ok(Response::Job(journal_view(&account, &j)))
}

/// Run (or resume) a job in the background unless this worker already runs it.
pub fn ensure_running(account: LightspeedAccount, key: JobKey, start: Option<StartJob>) {
    let fresh = RUNNING.with(|r| r.borrow_mut().insert(key.clone()));
    if !fresh {
        return;
    }
    // The watchdog: Firefox suspends an idle event page even mid-job (extension API calls do not
    // count as activity there, only events do). The alarm wakes it to resume from the journal, and
    // while the job runs its firing is the event that keeps the page from going idle.
    // (Tests may shorten the period, see dev.rs.)
    crate::schedule_resume(crate::dev::watchdog_ms(WATCHDOG_MS));
    wasm_bindgen_futures::spawn_local(async move {
        let keepalive = KeepAlive::start();
        let client = client_for(&account);
        let mut last_sent = 0u64;
        let mut on_progress = |j: &Journal| {
            let now = net::now_ms();
            // Throttle events to ~4 a second; the final state is always sent below.
            if now.saturating_sub(last_sent) >= 250 {
                last_sent = now;
                let v = journal_view(&account, j);
                wasm_bindgen_futures::spawn_local(async move { broadcast(v).await });
            }
        };
        let _ = kv::delete(&pause_key(&key)).await;
        let outcome = runner::run_export(&client, &KvJournalStore, &key, start, &mut on_progress).await;
        drop(keepalive);
        RUNNING.with(|r| r.borrow_mut().remove(&key));
        match outcome {
            Ok(RunOutcome::Paused { resume_after_ms }) => {
                // Remember when the wait ends, so that a wake before then (the watchdog, another
                // job, a message) leaves this job alone instead of spending a request on another 429.
                let _ = kv::put(&pause_key(&key), &(net::now_ms() + resume_after_ms)).await;
                crate::schedule_resume(resume_after_ms)
            }
            Ok(_) => {}
            Err(e) => {
                if e.needs_relink() {
                    let mut state = load_state().await.unwrap_or_default();
                    state.mark_needs_relink(&account.account_id);
                    let _ = kv::put("accounts", &state).await;
                }
                browser::warn(&format!("export {}: {}", key.order_id, e.user_message()));
            }
        }
        if let Some(j) = local_journal(&key.account_id, &key.order_id).await {
            if let JobStatus::Exported { po_id } = JobStatus::of_journal(&j) {
                EXPORTED_CACHE.with(|c| {
                    c.borrow_mut()
                        .insert((key.account_id.clone(), j.order_number.clone()), (net::now_ms(), Some(po_id)))
                });
            }
            broadcast(journal_view(&account, &j)).await;
        }
    });
}

/// How often the watchdog alarm fires while a job is unfinished: under Firefox's default 30 s idle
/// timeout of the event page (Chromium clamps packed builds to 30 s, which is fine).
const WATCHDOG_MS: u64 = 20_000;

/// Where a job paused for the rate limit records when its wait ends (ms since the epoch).
fn pause_key(key: &JobKey) -> String {
    format!("pause:{}", key.storage_key())
}

/// Resume every unfinished job (called whenever the worker starts and on the watchdog alarm).
pub async fn resume_all() {
    crate::dev::load().await;
    let Ok(keys) = kv::keys("po-bridge-job:").await else { return };
    let state = load_state().await.unwrap_or_default();
    let mut unfinished = 0;
    let now = net::now_ms();
    let mut next_pause_end: Option<u64> = None;
    for k in keys {
        let Ok(Some(j)) = kv::get::<Journal>(&k).await else { continue };
        if !matches!(JobStatus::of_journal(&j), JobStatus::InProgress { .. }) {
            continue;
        }
        let Some(account) = state.account(&j.key.account_id).cloned() else { continue };
        if account.needs_relink {
            continue;
        }
        if let Ok(Some(until)) = kv::get::<u64>(&pause_key(&j.key)).await {
            if until > now && !RUNNING.with(|r| r.borrow().contains(&j.key)) {
                next_pause_end = Some(next_pause_end.map_or(until, |n| n.min(until)));
                continue;
            }
        }
        unfinished += 1;
        ensure_running(account, j.key.clone(), None);
    }
    let watchdog = (unfinished > 0).then(|| crate::dev::watchdog_ms(WATCHDOG_MS));
    let pause = next_pause_end.map(|u| u.saturating_sub(now));
    if let Some(ms) = [watchdog, pause].into_iter().flatten().min() {
        crate::schedule_resume(ms);
    }
}

// ------------------------------------------------------------------------------------------------
// Events and history
// ------------------------------------------------------------------------------------------------

async fn broadcast(status: OrderStatusView) {
    record_history(&status).await;
    let envelope = EventEnvelope { v: PROTOCOL_VERSION, event: Event::Status(status.clone()) };
    let Ok(message) = browser::to_js(&envelope) else { return };
    let tabs: Vec<i64> = ORDER_TABS
        .with(|m| m.borrow().get(&status.order_number).map(|s| s.iter().copied().collect()).unwrap_or_default());
    let known = accounts::nuorder_tab_ids().await;
    for tab in tabs.into_iter().chain(known).collect::<HashSet<_>>() {
        send_to_tab(tab, &message);
    }
    // Extension pages (popup, dialog); nobody listening is fine.
    send_runtime(&message);
}

pub fn send_to_tab(tab_id: i64, message: &wasm_bindgen::JsValue) {
    let ext = browser::ext();
    let Ok(tabs) = js_sys::Reflect::get(&ext, &"tabs".into()) else { return };
    let Ok(f) = js_sys::Reflect::get(&tabs, &"sendMessage".into()).and_then(|f| f.dyn_into::<js_sys::Function>())
    else {
        return;
    };
    if let Ok(p) = f.call2(&tabs, &wasm_bindgen::JsValue::from_f64(tab_id as f64), message) {
        if let Ok(p) = p.dyn_into::<js_sys::Promise>() {
            // A tab without our content script rejects: ignore.
            wasm_bindgen_futures::spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(p).await;
            });
        }
    }
}

fn send_runtime(message: &wasm_bindgen::JsValue) {
    let rt = browser::runtime();
    let Ok(f) = js_sys::Reflect::get(&rt, &"sendMessage".into()).and_then(|f| f.dyn_into::<js_sys::Function>()) else {
        return;
    };
    if let Ok(p) = f.call1(&rt, message) {
        if let Ok(p) = p.dyn_into::<js_sys::Promise>() {
            wasm_bindgen_futures::spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(p).await;
            });
        }
    }
}

async fn record_history(status: &OrderStatusView) {
    let Some(order_id) = status.order_id.clone() else { return };
    let mut history: Vec<HistoryEntry> = kv::get(HISTORY_KEY).await.ok().flatten().unwrap_or_default();
    let (brand, account_id) = match kv::get::<StagedRecord>(&staged_key(&order_id)).await.ok().flatten() {
        Some(r) => (
            r.order
                .get("__brand_name")
                .and_then(|v| v.as_str())
                .map(str::to_string)
                .or(r.brand.name)
                .unwrap_or_default(),
            r.account_id.unwrap_or_default(),
        ),
        None => (String::new(), String::new()),
    };
    history.retain(|h| h.order_id != order_id);
    history.insert(
        0,
        HistoryEntry {
            order_id,
            order_number: status.order_number.clone(),
            brand,
            account_id,
            status: status.clone(),
            updated_ms: net::now_ms(),
        },
    );
    history.truncate(HISTORY_MAX);
    let _ = kv::put(HISTORY_KEY, &history).await;
}

pub async fn get_history() -> Result<Response, ProtocolError> {
    Ok(Response::History(kv::get(HISTORY_KEY).await.map_err(internal)?.unwrap_or_default()))
}

pub async fn close_dialog(tab_id: Option<i64>) -> Result<Response, ProtocolError> {
    if let Some(tab) = tab_id {
        let envelope = EventEnvelope { v: PROTOCOL_VERSION, event: Event::CloseDialog { order_id: None } };
        if let Ok(message) = browser::to_js(&envelope) {
            send_to_tab(tab, &message);
        }
    }
    Ok(Response::Done)
}

// ------------------------------------------------------------------------------------------------
// Keep-alive
// ------------------------------------------------------------------------------------------------

/// While a job runs, call a trivial extension API every 20 s: Chromium ends an idle worker after
/// 30 s without extension events or API calls (IndexedDB and fetch do not count).
struct KeepAlive {
    handle: wasm_bindgen::JsValue,
    _tick: wasm_bindgen::closure::Closure<dyn FnMut()>,
}

impl KeepAlive {
    fn start() -> KeepAlive {
        let tick = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(|| {
            let rt = browser::runtime();
            if let Ok(f) =
                js_sys::Reflect::get(&rt, &"getPlatformInfo".into()).and_then(|f| f.dyn_into::<js_sys::Function>())
            {
                let _ = f.call0(&rt);
            }
        });
        let global = js_sys::global();
        let handle = js_sys::Reflect::get(&global, &"setInterval".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .and_then(|f| f.call2(&global, tick.as_ref(), &wasm_bindgen::JsValue::from_f64(20_000.0)).ok())
            .unwrap_or(wasm_bindgen::JsValue::NULL);
        KeepAlive { handle, _tick: tick }
    }
}

impl Drop for KeepAlive {
    fn drop(&mut self) {
        let global = js_sys::global();
        if let Ok(f) =
            js_sys::Reflect::get(&global, &"clearInterval".into()).and_then(|f| f.dyn_into::<js_sys::Function>())
        {
            let _ = f.call1(&global, &self.handle);
        }
    }
}
