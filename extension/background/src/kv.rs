//! Typed access to the background's IndexedDB key-value store (`js/kv.js`): extension-origin
//! storage that content scripts and pages cannot read, and that survives browser restarts.

use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/js/kv.js")]
extern "C" {
    fn kv_get(key: &str) -> js_sys::Promise;
    fn kv_put(key: &str, value: &str) -> js_sys::Promise;
    fn kv_delete(key: &str) -> js_sys::Promise;
    fn kv_keys(prefix: &str) -> js_sys::Promise;
}

#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "storage: {}", self.0)
    }
}

fn err(e: JsValue) -> StoreError {
    StoreError(
        e.as_string()
            .or_else(|| js_sys::JSON::stringify(&e).ok().and_then(|s| s.as_string()))
            .unwrap_or_else(|| "unknown".into()),
    )
}

/// The value under `key`, or `None` when absent (or unreadable: a corrupt entry is treated as absent).
pub async fn get<T: DeserializeOwned>(key: &str) -> Result<Option<T>, StoreError> {
    let v = JsFuture::from(kv_get(key)).await.map_err(err)?;
    Ok(v.as_string().and_then(|s| serde_json::from_str(&s).ok()))
}

pub async fn put<T: Serialize>(key: &str, value: &T) -> Result<(), StoreError> {
    let json = serde_json::to_string(value).map_err(|e| StoreError(e.to_string()))?;
    JsFuture::from(kv_put(key, &json)).await.map_err(err)?;
    Ok(())
}

pub async fn delete(key: &str) -> Result<(), StoreError> {
    JsFuture::from(kv_delete(key)).await.map_err(err)?;
    Ok(())
}

/// Keys starting with `prefix`.
pub async fn keys(prefix: &str) -> Result<Vec<String>, StoreError> {
    let v = JsFuture::from(kv_keys(prefix)).await.map_err(err)?;
    Ok(js_sys::Array::from(&v).iter().filter_map(|k| k.as_string()).collect())
}
