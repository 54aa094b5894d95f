//! Typed access to the key-value store under [`StorageKey`]s, and the core's storage traits
//! (journals and links, tokens) over it.

use super::keys::{StorageKey, JOURNAL_PREFIX};
use super::platform::{KvStore, StoreError};
use crate::export::journal::{JobKey, Journal, JournalStore};
use crate::export::plan::Links;
use crate::lightspeed::client::TokenStore;
use crate::lightspeed::oauth::TokenSet;
use serde::{de::DeserializeOwned, Serialize};

/// The value under `key`; `None` when absent or unreadable (a corrupt entry reads as absent).
pub async fn get<T: DeserializeOwned>(store: &impl KvStore, key: &StorageKey) -> Result<Option<T>, StoreError> {
    Ok(store.get(&key.as_string()).await?.and_then(|v| crate::core::objects::from_value(v).ok()))
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

/// Every stored journal's key.
pub async fn journal_keys(store: &impl KvStore) -> Result<Vec<StorageKey>, StoreError> {
    Ok(store.keys(JOURNAL_PREFIX).await?.iter().filter_map(|k| StorageKey::parse(k)).collect())
}

/// Journals and links in the key-value store.
pub struct Journals<S>(pub S);

impl<S: KvStore> JournalStore for Journals<S> {
    type Error = StoreError;
    async fn load(&self, key: &JobKey) -> Result<Option<Journal>, StoreError> {
        get(&self.0, &StorageKey::Journal(key.clone())).await
    }
    async fn save(&self, journal: &Journal) -> Result<(), StoreError> {
        put(&self.0, &StorageKey::Journal(journal.key.clone()), journal).await
    }
    async fn load_links(&self, account_id: &str) -> Result<Links, StoreError> {
        get_or_default(&self.0, &StorageKey::Links(account_id.to_string())).await
    }
    async fn save_links(&self, account_id: &str, links: &Links) -> Result<(), StoreError> {
        put(&self.0, &StorageKey::Links(account_id.to_string()), links).await
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
