//! What the platform provides to the application layer: a key-value store of JSON values, a
//! calendar (the time and the time-zone rule), events out and alarms. The browser implements them
//! in `extension/background`; [`super::memory`] holds in-memory versions for tests; the command
//! line uses [`NativeCalendar`].

#![allow(async_fn_in_trait)]

use crate::protocol::EventEnvelope;
use serde_json::Value;

/// A store failure, in words for the log (the user sees [`super::errors`]' advice).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("storage: {0}")]
pub struct StoreError(pub String);

/// A key-value store of JSON values that survives restarts (IndexedDB in the browser).
pub trait KvStore {
    /// The value under `key`; `None` when absent (a corrupt entry reads as absent).
    async fn get(&self, key: &str) -> Result<Option<Value>, StoreError>;
    async fn put(&self, key: &str, value: Value) -> Result<(), StoreError>;
    async fn delete(&self, key: &str) -> Result<(), StoreError>;
    /// Keys starting with `prefix`.
    async fn keys(&self, prefix: &str) -> Result<Vec<String>, StoreError>;
}

impl<S: KvStore + ?Sized> KvStore for &S {
    async fn get(&self, key: &str) -> Result<Option<Value>, StoreError> {
        (**self).get(key).await
    }
    async fn put(&self, key: &str, value: Value) -> Result<(), StoreError> {
        (**self).put(key, value).await
    }
    async fn delete(&self, key: &str) -> Result<(), StoreError> {
        (**self).delete(key).await
    }
    async fn keys(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        (**self).keys(prefix).await
    }
}

/// The time, and calendar dates in a time zone.
pub trait Calendar {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> u64;
    /// The `YYYY-MM-DD` date at `epoch_ms` in the IANA zone `zone` (`US/Pacific`); `None` when the
    /// zone is unknown to the platform.
    fn date_in_zone(&self, epoch_ms: i64, zone: &str) -> Option<String>;
}

impl<C: Calendar + ?Sized> Calendar for &C {
    fn now_ms(&self) -> u64 {
        (**self).now_ms()
    }
    fn date_in_zone(&self, epoch_ms: i64, zone: &str) -> Option<String> {
        (**self).date_in_zone(epoch_ms, zone)
    }
}

/// Messages from the background to content scripts and extension pages.
pub trait Events {
    /// To the content script of one tab (a tab without it ignores the message).
    fn to_tab(&self, tab_id: i64, event: &EventEnvelope);
    /// To the extension's pages (popup, dialog); nobody listening is fine.
    fn to_pages(&self, event: &EventEnvelope);
}

/// Waking the worker later.
pub trait Alarms {
    /// Wake the worker in `ms` (the platform may round it up), and again every watchdog period
    /// after that until a firing finds nothing left (`resume::after_resume`): a wake is never lost
    /// to a worker that dies while it handles the one before.
    fn wake_in(&self, ms: u64);
}

/// The native calendar: the system clock and the system's time-zone database (the command line).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone, Copy, Default)]
pub struct NativeCalendar;

#[cfg(not(target_arch = "wasm32"))]
impl Calendar for NativeCalendar {
    fn now_ms(&self) -> u64 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
    }

    fn date_in_zone(&self, epoch_ms: i64, zone: &str) -> Option<String> {
        native_date_in_zone(epoch_ms, zone)
    }
}

/// `YYYY-MM-DD` at `epoch_ms` in `zone`, from the time-zone database (natively).
#[cfg(not(target_arch = "wasm32"))]
pub fn native_date_in_zone(epoch_ms: i64, zone: &str) -> Option<String> {
    let tz = jiff::tz::TimeZone::get(zone).ok()?;
    let ts = jiff::Timestamp::from_millisecond(epoch_ms).ok()?;
    Some(tz.to_datetime(ts).date().to_string())
}
