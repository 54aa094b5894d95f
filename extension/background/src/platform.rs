//! The browser's side of the application layer's traits: events out (`tabs.sendMessage`,
//! `runtime.sendMessage`), alarms, one Lightspeed client per account, and the keep-alive.

use crate::kv::IdbStore;
use crate::net::{BrowserClock, FetchTransport};
use po_bridge::accounts::LightspeedAccount;
use po_bridge::app::link::LightspeedConfig;
use po_bridge::app::platform::{Alarms, Events};
use po_bridge::app::resume::WATCHDOG_MS;
use po_bridge::app::service::Clients;
use po_bridge::app::store::Tokens;
use po_bridge::lightspeed::client::{ClientConfig, LightspeedClient, TokenManager};
use po_bridge::protocol::EventEnvelope;
use po_bridge_browser as browser;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;

pub const RESUME_ALARM: &str = "po-bridge-resume";

type TokenSrc = Rc<TokenManager<FetchTransport, BrowserClock, Tokens<IdbStore>>>;
pub type Client = LightspeedClient<FetchTransport, BrowserClock, TokenSrc>;

thread_local! {
    static CLIENTS: RefCell<HashMap<String, Rc<Client>>> = RefCell::new(HashMap::new());
}

pub struct BrowserClients;

impl Clients for BrowserClients {
    type T = FetchTransport;
    type C = BrowserClock;
    type S = TokenSrc;

    fn client(&self, account: &LightspeedAccount) -> Rc<Client> {
        CLIENTS
            .with(|c| c.borrow_mut().entry(account.account_id.clone()).or_insert_with(|| new_client(account)).clone())
    }

    fn forget(&self, account_id: &str) {
        CLIENTS.with(|c| c.borrow_mut().remove(account_id));
    }
}

fn new_client(account: &LightspeedAccount) -> Rc<Client> {
    let cfg = LightspeedConfig::production(&account.client_id);
    let store = Tokens { store: IdbStore, account_id: account.account_id.clone() };
    let tokens = Rc::new(TokenManager::new(FetchTransport, BrowserClock, store, cfg.cloud_base.clone(), cfg.client_id));
    let mut config = ClientConfig::new(&cfg.api_base, &account.account_id);
    if let Some(t) = crate::dev::get().timeout_ms() {
        config.timeout_ms = t;
    }
    if let Some(w) = crate::dev::get().max_wait_ms() {
        config.max_wait_ms = w;
    }
    Rc::new(LightspeedClient::new(FetchTransport, BrowserClock, tokens, config))
}

fn function(target: &JsValue, name: &str) -> Option<js_sys::Function> {
    js_sys::Reflect::get(target, &name.into()).ok()?.dyn_into::<js_sys::Function>().ok()
}

/// Ignore a promise's rejection (a tab without our content script, nobody listening).
fn settle(result: Result<JsValue, JsValue>) {
    if let Ok(p) = result.and_then(|p| p.dyn_into::<js_sys::Promise>()) {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(p).await;
        });
    }
}

pub struct BrowserEvents;

impl Events for BrowserEvents {
    fn to_tab(&self, tab_id: i64, event: &EventEnvelope) {
        let Ok(tabs) = js_sys::Reflect::get(&browser::ext(), &"tabs".into()) else { return };
        let (Some(f), Ok(message)) = (function(&tabs, "sendMessage"), browser::to_js(event)) else { return };
        settle(f.call2(&tabs, &JsValue::from_f64(tab_id as f64), &message));
    }

    fn to_pages(&self, event: &EventEnvelope) {
        let rt = browser::runtime();
        let (Some(f), Ok(message)) = (function(&rt, "sendMessage"), browser::to_js(event)) else { return };
        settle(f.call1(&rt, &message));
    }
}

/// The one watchdog alarm, `RESUME_ALARM`: it repeats every watchdog period after its first
/// firing, so a worker that dies while it handles one firing is woken by the next; a firing that
/// finds nothing left stops it ([`BrowserAlarms::stop_unless_asked_since`]).
pub struct BrowserAlarms;

thread_local! {
    /// How many wakes this worker instance has asked for (see `stop_unless_asked_since`).
    static ASKED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

fn alarms_api(method: &str) -> Option<(JsValue, js_sys::Function)> {
    let alarms = js_sys::Reflect::get(&browser::ext(), &"alarms".into()).ok()?;
    let f = function(&alarms, method)?;
    Some((alarms, f))
}

impl BrowserAlarms {
    /// The count of wakes asked for so far (read when a resume starts).
    pub fn asked() -> u64 {
        ASKED.with(|a| a.get())
    }

    /// Stop the alarm, unless a wake was asked for since `asked` (a job started while the resume
    /// that found nothing left was reading).
    pub fn stop_unless_asked_since(asked: u64) {
        if Self::asked() != asked {
            return;
        }
        if let Some((alarms, clear)) = alarms_api("clear") {
            settle(clear.call1(&alarms, &RESUME_ALARM.into()));
        }
    }
}

impl Alarms for BrowserAlarms {
    /// At least 30 s (first firing and period) in packed Chromium builds.
    fn wake_in(&self, ms: u64) {
        ASKED.with(|a| a.set(a.get() + 1));
        let Some((alarms, create)) = alarms_api("create") else { return };
        let info = js_sys::Object::new();
        let when = js_sys::Date::now() + ms.max(1_000) as f64;
        let period = crate::dev::get().watchdog_ms(WATCHDOG_MS) as f64 / 60_000.0;
        let _ = js_sys::Reflect::set(&info, &"when".into(), &when.into());
        let _ = js_sys::Reflect::set(&info, &"periodInMinutes".into(), &period.into());
        settle(create.call2(&alarms, &RESUME_ALARM.into(), &info));
    }
}

/// While a job runs, call a trivial extension API every 20 s: Chromium ends an idle worker after
/// 30 s without extension events or API calls (IndexedDB and fetch do not count).
pub struct KeepAlive {
    handle: JsValue,
    _tick: wasm_bindgen::closure::Closure<dyn FnMut()>,
}

impl KeepAlive {
    pub fn start() -> KeepAlive {
        let tick = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(|| {
            let rt = browser::runtime();
            if let Some(f) = function(&rt, "getPlatformInfo") {
                let _ = f.call0(&rt);
            }
        });
        let global = js_sys::global();
        let handle = function(&global, "setInterval")
            .and_then(|f| f.call2(&global, tick.as_ref(), &JsValue::from_f64(20_000.0)).ok())
            .unwrap_or(JsValue::NULL);
        KeepAlive { handle, _tick: tick }
    }
}

impl Drop for KeepAlive {
    fn drop(&mut self) {
        let global = js_sys::global();
        if let Some(f) = function(&global, "clearInterval") {
            let _ = f.call1(&global, &self.handle);
        }
    }
}
