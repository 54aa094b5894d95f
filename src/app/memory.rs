//! In-memory platform services for tests: a store, a settable calendar, recorded events and
//! alarms.

use super::platform::{Alarms, Calendar, Events, KvStore, StoreError};
use crate::protocol::EventEnvelope;
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

/// A key-value store in memory. Values are kept as JSON text, as IndexedDB keeps them.
#[derive(Debug, Default)]
pub struct MemStore {
    entries: RefCell<BTreeMap<String, String>>,
    /// When set, every call fails (to test storage errors).
    pub broken: Cell<bool>,
}

impl MemStore {
    pub fn new() -> MemStore {
        MemStore::default()
    }

    /// A store holding exactly these entries (key → the JSON text stored under it).
    pub fn from_entries(entries: BTreeMap<String, String>) -> MemStore {
        MemStore { entries: RefCell::new(entries), broken: Cell::new(false) }
    }

    /// Every entry (key → JSON text).
    pub fn entries(&self) -> BTreeMap<String, String> {
        self.entries.borrow().clone()
    }

    fn check(&self) -> Result<(), StoreError> {
        if self.broken.get() {
            Err(StoreError("the store is broken (test)".into()))
        } else {
            Ok(())
        }
    }
}

impl KvStore for MemStore {
    async fn get(&self, key: &str) -> Result<Option<Value>, StoreError> {
        self.check()?;
        Ok(self.entries.borrow().get(key).and_then(|s| serde_json::from_str(s).ok()))
    }
    async fn put(&self, key: &str, value: Value) -> Result<(), StoreError> {
        self.check()?;
        self.entries.borrow_mut().insert(key.to_string(), value.to_string());
        Ok(())
    }
    async fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.check()?;
        self.entries.borrow_mut().remove(key);
        Ok(())
    }
    async fn keys(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        self.check()?;
        Ok(self.entries.borrow().keys().filter(|k| k.starts_with(prefix)).cloned().collect())
    }
}

/// A calendar whose time the test sets; zones from a small table (zone → offset in minutes).
#[derive(Debug, Default)]
pub struct FixedCalendar {
    pub now: Cell<u64>,
    pub zones: BTreeMap<String, i64>,
}

impl FixedCalendar {
    pub fn at(now_ms: u64) -> FixedCalendar {
        FixedCalendar { now: Cell::new(now_ms), zones: BTreeMap::new() }
    }

    /// Add a fixed-offset zone.
    pub fn with_zone(mut self, zone: &str, offset_minutes: i64) -> FixedCalendar {
        self.zones.insert(zone.to_string(), offset_minutes);
        self
    }
}

impl Calendar for FixedCalendar {
    fn now_ms(&self) -> u64 {
        self.now.get()
    }
    fn date_in_zone(&self, epoch_ms: i64, zone: &str) -> Option<String> {
        let offset = self.zones.get(zone)?;
        Some(super::dates::utc_date(epoch_ms + offset * 60_000))
    }
}

/// Events sent, in order: `(Some(tab), event)` to a tab, `(None, event)` to the pages.
#[derive(Debug, Default)]
pub struct RecordedEvents(pub RefCell<Vec<(Option<i64>, EventEnvelope)>>);

impl Events for RecordedEvents {
    fn to_tab(&self, tab_id: i64, event: &EventEnvelope) {
        self.0.borrow_mut().push((Some(tab_id), event.clone()));
    }
    fn to_pages(&self, event: &EventEnvelope) {
        self.0.borrow_mut().push((None, event.clone()));
    }
}

/// Wakes asked for, in ms.
#[derive(Debug, Default)]
pub struct RecordedAlarms(pub RefCell<Vec<u64>>);

impl Alarms for RecordedAlarms {
    fn wake_in(&self, ms: u64) {
        self.0.borrow_mut().push(ms);
    }
}
