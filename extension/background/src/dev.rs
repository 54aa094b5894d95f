//! Test-only timings from the IndexedDB key `dev:settings` (`{"timeout_ms", "max_wait_ms",
//! "watchdog_ms"}`, each optional): browser tests avoid real waits with them. Absent (always,
//! outside tests) the product's apply (25 s request timeout, 60 s longest wait, the watchdog of
//! `app::resume`); only extension-origin code can write the store. The shipped build reads it too,
//! so every value is clamped by `app::service::DevSettings` to a range safe in production
//! (`DEV_TIMEOUT_MS`, `DEV_MAX_WAIT_MS`, `DEV_WATCHDOG_MS`: 1 s to 60 s each; tests/app_trust.rs).

use po_bridge::app::keys::StorageKey;
use po_bridge::app::service::DevSettings;
use std::cell::{Cell, RefCell};

thread_local! {
    static LOADED: Cell<Option<DevSettings>> = const { Cell::new(None) };
    /// The read in flight: started once per worker instance, by [`prefetch`] at the wake or by
    /// the first [`load`], and awaited by every [`load`] until it is done.
    static READ: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
}

/// Start reading the settings (the shim's `started`: the read runs while the first message is
/// decoded instead of before it).
pub fn prefetch() {
    READ.with(|r| {
        r.borrow_mut().get_or_insert_with(|| crate::kv::get_promise(&StorageKey::DevSettings.as_string()));
    });
}

/// Read the settings once per worker instance (before the first client is made).
pub async fn load() {
    if LOADED.with(|l| l.get()).is_some() {
        return;
    }
    prefetch();
    let Some(read) = READ.with(|r| r.borrow().clone()) else { return };
    let value = crate::kv::read(&read).await.ok().flatten();
    let s: DevSettings = value.and_then(po_bridge::core::objects::read).unwrap_or_default();
    LOADED.with(|l| l.set(Some(s)));
}

/// The settings read by [`load`] (clamped when used: `DevSettings`' accessors).
pub fn get() -> DevSettings {
    LOADED.with(|l| l.get()).unwrap_or_default()
}
