//! The background's key-value store over IndexedDB (`js/kv.js`): extension-origin storage that
//! content scripts and pages cannot read, and that survives browser restarts. Values are stored
//! as JSON text (as commit 1695b83 stored them).

use po_bridge::app::platform::{KvStore, StoreError};
use serde_json::Value;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/js/kv.js")]
extern "C" {
    fn kv_get(key: &str) -> js_sys::Promise;
    fn kv_put(key: &str, value: &str) -> js_sys::Promise;
    fn kv_delete(key: &str) -> js_sys::Promise;
    fn kv_keys(prefix: &str) -> js_sys::Promise;
}

fn err(e: JsValue) -> StoreError {
    StoreError(
        e.as_string()
            .or_else(|| js_sys::JSON::stringify(&e).ok().and_then(|s| s.as_string()))
            .unwrap_or_else(|| "unknown".into()),
    )
}

/// The read of `key` as a promise (awaited by [`read`]; one promise may be awaited many times).
pub fn get_promise(key: &str) -> js_sys::Promise {
    kv_get(key)
}

/// The value a [`get_promise`] read resolves to (`None` when absent or unreadable).
pub async fn read(promise: &js_sys::Promise) -> Result<Option<Value>, StoreError> {
    let v = JsFuture::from(promise.clone()).await.map_err(err)?;
    Ok(v.as_string().and_then(|s| serde_json::from_str(&s).ok()))
}

/// How long a read started by [`read_ahead`] may stand for a later `get` of its key.
const AHEAD_MS: f64 = 1000.0;

thread_local! {
    /// Reads started at the wake ([`read_ahead`]): each is taken by the first `get` of its key
    /// within [`AHEAD_MS`]; a put or delete of the key drops it first.
    static AHEAD: RefCell<Vec<(String, js_sys::Promise, f64)>> = const { RefCell::new(Vec::new()) };
}

/// Start reading `keys` now (the wake: while the first message is decoded), for the first `get` of
/// each.
pub fn read_ahead(keys: &[String]) {
    let now = js_sys::Date::now();
    AHEAD.with(|a| a.borrow_mut().extend(keys.iter().map(|k| (k.clone(), kv_get(k), now))));
}

/// The read of `key` started ahead, if one still stands (the stale ones are dropped).
fn take_ahead(key: &str) -> Option<js_sys::Promise> {
    AHEAD.with(|a| {
        let mut a = a.borrow_mut();
        if a.is_empty() {
            return None;
        }
        let now = js_sys::Date::now();
        a.retain(|(_, _, at)| now - at < AHEAD_MS);
        let i = a.iter().position(|(k, _, _)| k == key)?;
        Some(a.swap_remove(i).1)
    })
}

/// A write of `key` makes its read ahead stale.
fn drop_ahead(key: &str) {
    AHEAD.with(|a| a.borrow_mut().retain(|(k, _, _)| k != key));
}

#[derive(Debug, Clone, Copy, Default)]
pub struct IdbStore;

impl KvStore for IdbStore {
    async fn get(&self, key: &str) -> Result<Option<Value>, StoreError> {
        read(&take_ahead(key).unwrap_or_else(|| kv_get(key))).await
    }
    async fn put(&self, key: &str, value: Value) -> Result<(), StoreError> {
        drop_ahead(key);
        JsFuture::from(kv_put(key, &value.to_string())).await.map_err(err)?;
        Ok(())
    }
    async fn delete(&self, key: &str) -> Result<(), StoreError> {
        drop_ahead(key);
        JsFuture::from(kv_delete(key)).await.map_err(err)?;
        Ok(())
    }
    async fn keys(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        let v = JsFuture::from(kv_keys(prefix)).await.map_err(err)?;
        Ok(js_sys::Array::from(&v).iter().filter_map(|k| k.as_string()).collect())
    }
}
