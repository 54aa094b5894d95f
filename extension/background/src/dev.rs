//! Test-only timings from the IndexedDB key `dev:settings` (`{"timeout_ms", "max_wait_ms",
//! "watchdog_ms"}`, each optional): browser tests avoid real waits with them. Absent (always,
//! outside tests) the product's apply (25 s request timeout, 60 s longest wait, the watchdog of
//! `app::resume`); only extension-origin code can write the store. The shipped build reads it too,
//! so every value is clamped by `app::service::DevSettings` to a range safe in production
//! (`DEV_TIMEOUT_MS`, `DEV_MAX_WAIT_MS`, `DEV_WATCHDOG_MS`: 1 s to 60 s each; tests/app_trust.rs).

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

/// The settings read by [`load`] (clamped when used: `DevSettings`' accessors).
pub fn get() -> DevSettings {
    LOADED.with(|l| l.get()).unwrap_or_default()
}
