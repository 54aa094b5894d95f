//! Where an order's updates live: beside the export's journals, in the same store
//! ([`UpdateStore`] extends the export's [`JournalStore`]). The command line's
//! [`FileStore`](crate::export::file_store::FileStore) keeps them in its `records`; tests use
//! [`MemoryUpdates`].

use super::journal::UpdateLog;
use crate::export::journal::{JobKey, Journal, JournalStore, MemoryStore};
use crate::export::plan::Links;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// A [`JournalStore`] that also keeps each order's [`UpdateLog`].
#[allow(async_fn_in_trait)]
pub trait UpdateStore: JournalStore {
    async fn load_updates(&self, key: &JobKey) -> Result<Option<UpdateLog>, Self::Error>;
    async fn save_updates(&self, log: &UpdateLog) -> Result<(), Self::Error>;
}

#[cfg(not(target_arch = "wasm32"))]
impl UpdateStore for crate::export::file_store::FileStore {
    async fn load_updates(&self, key: &JobKey) -> Result<Option<UpdateLog>, String> {
        match self.record(&UpdateLog::storage_key(key))? {
            None => Ok(None),
            Some(v) => crate::core::objects::from_value(v).map(Some).map_err(|e| {
                format!("{}: the updates of order {} are not readable ({e})", self.path().display(), key.order_id)
            }),
        }
    }

    async fn save_updates(&self, log: &UpdateLog) -> Result<(), String> {
        let v = serde_json::to_value(log).map_err(|e| e.to_string())?;
        self.set_record(&UpdateLog::storage_key(&log.key), v)
    }
}

/// An in-memory store (tests): the export's [`MemoryStore`] and the update logs as JSON.
#[derive(Debug, Default)]
pub struct MemoryUpdates {
    pub journals: MemoryStore,
    logs: Mutex<BTreeMap<JobKey, String>>,
}

impl MemoryUpdates {
    pub fn new() -> MemoryUpdates {
        MemoryUpdates::default()
    }
}

impl JournalStore for MemoryUpdates {
    type Error = String;

    async fn load(&self, key: &JobKey) -> Result<Option<Journal>, String> {
        self.journals.load(key).await
    }

    async fn save(&self, journal: &Journal) -> Result<(), String> {
        self.journals.save(journal).await
    }

    async fn load_links(&self, account_id: &str) -> Result<Links, String> {
        self.journals.load_links(account_id).await
    }

    async fn save_links(&self, account_id: &str, links: &Links) -> Result<(), String> {
        self.journals.save_links(account_id, links).await
    }
}

impl UpdateStore for MemoryUpdates {
    async fn load_updates(&self, key: &JobKey) -> Result<Option<UpdateLog>, String> {
        let logs = self.logs.lock().map_err(|e| e.to_string())?;
        match logs.get(key) {
            None => Ok(None),
            Some(json) => serde_json::from_str(json).map(Some).map_err(|e| e.to_string()),
        }
    }

    async fn save_updates(&self, log: &UpdateLog) -> Result<(), String> {
        let json = serde_json::to_string(log).map_err(|e| e.to_string())?;
        self.logs.lock().map_err(|e| e.to_string())?.insert(log.key.clone(), json);
        Ok(())
    }
}
