//! Typed access to the key-value store under [`StorageKey`]s, and the core's storage traits
//! (journals and links, tokens) over it.

use super::keys::StorageKey;
use super::platform::{KvStore, StoreError};
use super::unfinished::{self, Marks};
use crate::export::journal::{JobKey, Journal, JournalStore};
use crate::export::plan::Links;
use crate::lightspeed::client::TokenStore;
use crate::lightspeed::oauth::TokenSet;
use serde::{de::DeserializeOwned, Serialize};
use std::rc::Rc;

/// The value under `key`; `None` when absent or unreadable (a corrupt entry reads as absent).
pub async fn get<T: DeserializeOwned>(store: &impl KvStore, key: &StorageKey) -> Result<Option<T>, StoreError> {
    Ok(store.get(&key.as_string()).await?.and_then(crate::core::objects::read))
}

/// The value under `key`, or the default when absent.
pub async fn get_or_default<T: DeserializeOwned + Default>(
    store: &impl KvStore,
    key: &StorageKey,
) -> Result<T, StoreError> {
    Ok(get(store, key).await?.unwrap_or_default())
}

pub async fn put<T: Serialize>(store: &impl KvStore, key: &StorageKey, value: &T) -> Result<(), StoreError> {
    let v = serde_json::to_value(value).map_err(|e| StoreError(e.to_string()))?;
    store.put(&key.as_string(), v).await
}

pub async fn delete(store: &impl KvStore, key: &StorageKey) -> Result<(), StoreError> {
    store.delete(&key.as_string()).await
}

/// Journals, links and job sets in the key-value store, with the index of unfinished work
/// ([`unfinished`]) that their saves keep. In the worker, `marks` is the worker's own
/// ([`App::journals`](super::service::App::journals)).
pub struct Journals<S> {
    pub store: S,
    pub marks: Rc<Marks>,
}

impl<S> Journals<S> {
    /// Over `store`, with marks of its own (tests, tools: outside the worker).
    pub fn new(store: S) -> Journals<S> {
        Journals { store, marks: Rc::default() }
    }
}

impl<S: KvStore> JournalStore for Journals<S> {
    type Error = StoreError;
    async fn load(&self, key: &JobKey) -> Result<Option<Journal>, StoreError> {
        get(&self.store, &StorageKey::Journal(key.clone())).await
    }
    /// The one place a journal is saved: its entry in the index of unfinished work goes with it.
    async fn save(&self, journal: &Journal) -> Result<(), StoreError> {
        unfinished::save(&self.store, &self.marks, journal).await
    }
    async fn load_links(&self, account_id: &str) -> Result<Links, StoreError> {
        get_or_default(&self.store, &StorageKey::Links(account_id.to_string())).await
    }
    async fn save_links(&self, account_id: &str, links: &Links) -> Result<(), StoreError> {
        put(&self.store, &StorageKey::Links(account_id.to_string()), links).await
    }
}

/// An account's tokens in the key-value store.
pub struct Tokens<S> {
    pub store: S,
    pub account_id: String,
}

impl<S: KvStore> TokenStore for Tokens<S> {
    async fn load(&self) -> Result<Option<TokenSet>, String> {
        get(&self.store, &StorageKey::Tokens(self.account_id.clone())).await.map_err(|e| e.to_string())
    }
    async fn save(&self, tokens: &TokenSet) -> Result<(), String> {
        put(&self.store, &StorageKey::Tokens(self.account_id.clone()), tokens).await.map_err(|e| e.to_string())
    }
}
