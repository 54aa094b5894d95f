//! Background worker (Chromium service worker / Firefox event page). The JS shim
//! (`extension/static/background.js`) registers the listeners synchronously and hands every message
//! here; this crate turns it into a typed envelope, checks who sent it and dispatches it. It is the
//! only holder of tokens and the only caller of the Lightspeed API.
#![cfg(target_arch = "wasm32")]

mod accounts;
mod dev;
mod export;
mod identity;
mod kv;
mod net;

use po_bridge::protocol::{decode_envelope, handle_ping, ProtocolError, ReplyEnvelope, Request, Response};
use po_bridge::sender::{authorize, classify, SenderInfo};
use po_bridge_browser as browser;
use std::sync::OnceLock;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

static BOOT: OnceLock<u64> = OnceLock::new();

fn boot() -> u64 {
    *BOOT.get_or_init(|| js_sys::Date::now() as u64)
}

/// Called by the shim once the wasm is ready: resume unfinished exports (the worker may have been
/// stopped mid-export, or the browser restarted).
#[wasm_bindgen]
pub fn started() {
    boot();
    wasm_bindgen_futures::spawn_local(export::resume_all());
}

/// Called by the shim on every `alarms.onAlarm` (the watchdog that resumes unfinished exports).
#[wasm_bindgen]
pub fn on_alarm() {
    wasm_bindgen_futures::spawn_local(export::resume_all());
}

pub const RESUME_ALARM: &str = "po-bridge-resume";

/// Wake the worker again in `ms` (at least 30 s in packed Chromium builds) to resume exports.
pub fn schedule_resume(ms: u64) {
    let Ok(alarms) = js_sys::Reflect::get(&browser::ext(), &"alarms".into()) else { return };
    let Ok(create) = js_sys::Reflect::get(&alarms, &"create".into()).and_then(|f| f.dyn_into::<js_sys::Function>())
    else {
        return;
    };
    let info = js_sys::Object::new();
    let when = js_sys::Date::now() + ms.max(1_000) as f64;
    let _ = js_sys::Reflect::set(&info, &"when".into(), &when.into());
    let _ = create.call2(&alarms, &RESUME_ALARM.into(), &info);
}

/// Handle one `runtime.onMessage` message. `sender` is the shim's plain copy of `MessageSender`.
/// Always resolves to a reply envelope (never rejects), so the caller can answer every message.
#[wasm_bindgen]
pub async fn handle_message(message: JsValue, sender: JsValue) -> JsValue {
    let reply = dispatch(message, sender).await;
    browser::to_js(&reply).unwrap_or(JsValue::NULL)
}

async fn dispatch(message: JsValue, sender: JsValue) -> ReplyEnvelope {
    dev::load().await;
    let value: serde_json::Value = browser::from_js(message).unwrap_or(serde_json::Value::Null);
    let envelope = match decode_envelope(&value) {
        Ok(e) => e,
        Err(reply) => return reply,
    };
    let sender: SenderInfo = browser::from_js(sender).unwrap_or_default();
    let kind = classify(&sender, &browser::extension_id(), &browser::extension_url(""));
    if let Err(e) = authorize(kind, envelope.req.privilege()) {
        return ReplyEnvelope::err(envelope.id, e);
    }
    let id = envelope.id;
    let result: Result<po_bridge::protocol::Response, ProtocolError> = match envelope.req {
        Request::Ping { from } => Ok(handle_ping(&from, &browser::extension_version(), boot())),
        Request::GetAccounts { active_tab_id } => accounts::get_accounts(active_tab_id).await,
        Request::LinkLightspeed { interactive } => accounts::link_lightspeed(interactive).await,
        Request::LinkNuorderBuyer { account_id, tab_id } => accounts::link_buyer(&account_id, tab_id).await,
        Request::Unlink { account_id } => accounts::unlink(&account_id).await,
        Request::GetShops { account_id } => accounts::get_shops(&account_id).await,
        Request::SetDefaultShop { account_id, shop_id } => accounts::set_default_shop(&account_id, &shop_id).await,
        Request::SetRegion { account_id, region } => accounts::set_region(&account_id, region).await,
        Request::ReportNuorderSession { session } => accounts::report_nuorder_session(&session, sender.tab_id).await,
        Request::StageOrder { order, products, brand } => {
            export::stage_order(order, products, brand, sender.tab_id).await
        }
        Request::GetExportStatus { orders } => export::get_export_status(orders, sender.tab_id).await,
        Request::PreviewExport { order_id } => export::preview_export(&order_id).await,
        Request::StartExport { order_id, shop_id, choices } => export::start_export(&order_id, &shop_id, choices).await,
        Request::RetryExport { order_id } => export::retry_export(&order_id, sender.tab_id).await,
        Request::CloseDialog => export::close_dialog(sender.tab_id).await,
        Request::OpenLinking => {
            browser::open_tab(&browser::extension_url("popup.html#link")).await;
            Ok(po_bridge::protocol::Response::Done)
        }
        Request::GetHistory => export::get_history().await,
        Request::ReadPage(page) => Ok(Response::Page(po_bridge::inpage::read::read_page(&page))),
        Request::OrderReads { order, brand } => {
            Ok(Response::OrderReads(po_bridge::inpage::read::order_reads(&order, &brand)))
        }
    };
    match result {
        Ok(ok) => ReplyEnvelope::ok(id, ok),
        Err(e) => ReplyEnvelope::err(id, e),
    }
}
