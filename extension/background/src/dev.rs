//! Test-only tuning of the background's timings, read from the extension origin's IndexedDB key
//! `dev:settings` (`{"timeout_ms":…, "max_wait_ms":…, "watchdog_ms":…}`, every field optional).
//!
//! Browser tests use it to avoid real waits: a 2 s request timeout instead of 25 s, a short
//! rate-limit wait before pausing, a 1 s watchdog alarm (unpacked extensions may set alarms under
//! 30 s). Absent (always, outside tests) the product defaults apply (request timeout 25 s, 60 s longest wait, watchdog in `app::resume`). Only extension-origin code can
//! write this store: content scripts and pages cannot reach it. Values are clamped so that a bad entry
//! cannot make the worker spin (`app::service::DevSettings`).

use crate::kv::IdbStore;
use po_bridge::app::service::DevSettings;
use po_bridge::app::{keys::StorageKey, store};
use std::cell::Cell;

thread_local! {
    static LOADED: Cell<Option<DevSettings>> = const { Cell::new(None) };
}

/// Read the settings once per worker instance (before the first client is made).
pub async fn load() {
    if LOADED.with(|l| l.get()).is_some() {
        return;
    }
    let s: DevSettings = store::get(&IdbStore, &StorageKey::DevSettings).await.ok().flatten().unwrap_or_default();
    LOADED.with(|l| l.set(Some(s)));
}

fn get() -> DevSettings {
    LOADED.with(|l| l.get()).unwrap_or_default()
}

pub fn timeout_ms() -> Option<u64> {
    get().timeout_ms()
}

pub fn max_wait_ms() -> Option<u64> {
    get().max_wait_ms()
}

pub fn watchdog_ms(default: u64) -> u64 {
    get().watchdog_ms(default)
}
