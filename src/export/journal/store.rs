//! Where journals and links live ([`JournalStore`]), and an in-memory store for tests.

use super::state::{JobKey, Journal};
use crate::export::plan::Links;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// Where journals and links live: extension storage in the browser, a file on the command line.
/// Methods take `&self` (implementations use interior mutability), futures need not be `Send`.
#[allow(async_fn_in_trait)]
pub trait JournalStore {
    type Error: std::fmt::Display;
    async fn load(&self, key: &JobKey) -> Result<Option<Journal>, Self::Error>;
    async fn save(&self, journal: &Journal) -> Result<(), Self::Error>;
    async fn load_links(&self, account_id: &str) -> Result<Links, Self::Error>;
    async fn save_links(&self, account_id: &str, links: &Links) -> Result<(), Self::Error>;
}

/// An in-memory store (tests). Stores journals as JSON so every save exercises the serde form,
/// and counts saves.
#[derive(Debug, Default)]
pub struct MemoryStore {
    inner: Mutex<MemoryInner>,
}

#[derive(Debug, Default)]
struct MemoryInner {
    journals: BTreeMap<JobKey, String>,
    links: BTreeMap<String, Links>,
    /// Other records by storage key, as JSON (job sets).
    records: BTreeMap<String, String>,
    saves: usize,
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// How many times a journal was saved.
    pub fn saves(&self) -> usize {
        self.inner.lock().map(|i| i.saves).unwrap_or(0)
    }

    /// Another record (a job set) by storage key, as JSON.
    pub(crate) fn record(&self, key: &str) -> Result<Option<String>, String> {
        Ok(self.inner.lock().map_err(|e| e.to_string())?.records.get(key).cloned())
    }

    pub(crate) fn put_record(&self, key: &str, json: String) -> Result<(), String> {
        self.inner.lock().map_err(|e| e.to_string())?.records.insert(key.to_string(), json);
        Ok(())
    }
}

impl JournalStore for MemoryStore {
    type Error = String;

    async fn load(&self, key: &JobKey) -> Result<Option<Journal>, String> {
        let inner = self.inner.lock().map_err(|e| e.to_string())?;
        match inner.journals.get(key) {
            None => Ok(None),
            Some(json) => serde_json::from_str(json).map(Some).map_err(|e| e.to_string()),
        }
    }

    async fn save(&self, journal: &Journal) -> Result<(), String> {
        let json = serde_json::to_string(journal).map_err(|e| e.to_string())?;
        let mut inner = self.inner.lock().map_err(|e| e.to_string())?;
        inner.journals.insert(journal.key.clone(), json);
        inner.saves += 1;
        Ok(())
    }

    async fn load_links(&self, account_id: &str) -> Result<Links, String> {
        let inner = self.inner.lock().map_err(|e| e.to_string())?;
        Ok(inner.links.get(account_id).cloned().unwrap_or_default())
    }

    async fn save_links(&self, account_id: &str, links: &Links) -> Result<(), String> {
        let mut inner = self.inner.lock().map_err(|e| e.to_string())?;
        inner.links.insert(account_id.to_string(), links.clone());
        Ok(())
    }
}
