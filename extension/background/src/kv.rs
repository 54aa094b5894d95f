//! The background's key-value store over IndexedDB (`js/kv.js`): extension-origin storage that
//! content scripts and pages cannot read, and that survives browser restarts. Values are stored
//! as JSON text (as commit 1695b83 stored them).

use po_bridge::app::platform::{KvStore, StoreError};
use serde_json::Value;
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

#[derive(Debug, Clone, Copy, Default)]
pub struct IdbStore;

impl KvStore for IdbStore {
    async fn get(&self, key: &str) -> Result<Option<Value>, StoreError> {
        read(&kv_get(key)).await
    }
    async fn put(&self, key: &str, value: Value) -> Result<(), StoreError> {
        JsFuture::from(kv_put(key, &value.to_string())).await.map_err(err)?;
        Ok(())
    }
    async fn delete(&self, key: &str) -> Result<(), StoreError> {
        JsFuture::from(kv_delete(key)).await.map_err(err)?;
        Ok(())
    }
    async fn keys(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        let v = JsFuture::from(kv_keys(prefix)).await.map_err(err)?;
        Ok(js_sys::Array::from(&v).iter().filter_map(|k| k.as_string()).collect())
    }
}
