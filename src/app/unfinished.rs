//! The index of unfinished work: what a wake of the worker may have to resume, so that a wake reads
//! the few journals, update logs and sets that may need it, not every one ever kept (journals stay
//! forever: they answer statuses).
//!
//! An entry is a key `unfinished:<record's key>` ([`StorageKey::Unfinished`]). Each kind of record
//! is saved in one place ([`save`]: `Journals::save`, `Journals::save_set`, `Updates::save_updates`),
//! which keeps the rule:
//! - a record saved unfinished ([`Resumable::unfinished`]) has its entry stored **before** the save:
//!   a kill between the two leaves an entry with no record, or with a finished one, which a wake
//!   prunes; never an unfinished record without its entry;
//! - a record saved finished loses its entry **after** the save;
//! - a record that runs again (Retry, a rerun, a new revision of an update) gets its entry again
//!   with its first unfinished save.
//!
//! [`Marks`] is what this worker knows of the entries (every `App` of the worker shares one): a
//! record's unfinished saves write its entry once, not at each save, and a wake never prunes the
//! entry of a record that this worker is saving.
//!
//! Each kind's index has a mark, `unfinished:<the kind's prefix>` (`unfinished:po-bridge-job:`),
//! listed with its entries by the same read. A store written before the index has none: the first
//! wake that finds no mark scans every record of the kind once, writes the entries of the
//! unfinished ones, then the mark ([`migrate`]). Until then a read that is not a wake (a page's
//! statuses) scans, as before the index.

use super::keys::{StorageKey, JOB_SET_PREFIX, JOURNAL_PREFIX, UNFINISHED_PREFIX, UPDATES_PREFIX};
use super::platform::{KvStore, StoreError};
use crate::export::batch::{JobSet, JOB_SET_VERSION};
use crate::export::journal::{Journal, Outcome};
use crate::update::{UpdateLog, UpdateOutcome};
use serde::{de::DeserializeOwned, Serialize};
use std::cell::RefCell;
use std::collections::HashMap;

/// A record a wake may resume: a job's journal, an order's update log, a job set.
pub trait Resumable: Serialize + DeserializeOwned {
    /// Where records of this kind live.
    const PREFIX: &'static str;
    /// The record's storage key (starts with [`Resumable::PREFIX`]).
    fn record_key(&self) -> String;
    /// Whether a wake may have to resume it (what keeps it in the index).
    fn unfinished(&self) -> bool;
}

/// A journal is unfinished while it runs (paused for the rate limit included); a failure waits
/// for Retry, which runs it again.
impl Resumable for Journal {
    const PREFIX: &'static str = JOURNAL_PREFIX;
    fn record_key(&self) -> String {
        StorageKey::Journal(self.key.clone()).as_string()
    }
    fn unfinished(&self) -> bool {
        matches!(self.outcome, Outcome::Running)
    }
}

/// An update log is unfinished while its last revision runs.
impl Resumable for UpdateLog {
    const PREFIX: &'static str = UPDATES_PREFIX;
    fn record_key(&self) -> String {
        StorageKey::Updates(self.key.clone()).as_string()
    }
    fn unfinished(&self) -> bool {
        self.revisions.last().is_some_and(|r| matches!(r.outcome, UpdateOutcome::Running))
    }
}

/// A set is unfinished while running it again would still do something (sets of another format
/// version are left out).
impl Resumable for JobSet {
    const PREFIX: &'static str = JOB_SET_PREFIX;
    fn record_key(&self) -> String {
        self.key.storage_key()
    }
    fn unfinished(&self) -> bool {
        self.version == JOB_SET_VERSION && !self.is_finished()
    }
}

/// What this worker knows of the index: for a record's key, whether its entry is stored (`true`:
/// this worker wrote it and has not removed it) or removed (`false`). Shared by every `App` of the
/// worker.
#[derive(Debug, Default)]
pub struct Marks {
    entries: RefCell<HashMap<String, bool>>,
}

impl Marks {
    /// Note `stored` for `key`; answers what was known before.
    fn note(&self, key: &str, stored: bool) -> Option<bool> {
        self.entries.borrow_mut().insert(key.to_string(), stored)
    }

    fn forget(&self, key: &str) {
        self.entries.borrow_mut().remove(key);
    }

    /// Whether this worker stored `key`'s entry and has not removed it (it is saving the record).
    fn saving(&self, key: &str) -> bool {
        self.entries.borrow().get(key) == Some(&true)
    }
}

fn entry_key(record_key: &str) -> String {
    format!("{UNFINISHED_PREFIX}{record_key}")
}

/// Save a record under its key, keeping the index's rule (see the module's note).
pub async fn save<T: Resumable>(store: &impl KvStore, marks: &Marks, record: &T) -> Result<(), StoreError> {
    let key = record.record_key();
    let value = serde_json::to_value(record).map_err(|e| StoreError(e.to_string()))?;
    if record.unfinished() {
        // Noted before the entry's write: a wake meanwhile leaves the entry alone.
        if marks.note(&key, true) != Some(true) {
            if let Err(e) = store.put(&entry_key(&key), serde_json::Value::from(1)).await {
                marks.forget(&key);
                return Err(e);
            }
        }
        return store.put(&key, value).await;
    }
    store.put(&key, value).await?;
    // Noted before the delete: an unfinished save after it writes the entry again.
    if marks.note(&key, false) != Some(false) && store.delete(&entry_key(&key)).await.is_err() {
        // Left behind: the record is finished, so a wake prunes it.
        marks.forget(&key);
    }
    Ok(())
}

/// How a read of the unfinished records goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// A wake of the worker: a store with no index is indexed once ([`migrate`]); an entry whose
    /// record is gone, unreadable or finished is pruned (unless this worker is saving it).
    Wake,
    /// Any other read (a page's statuses): writes nothing; a store with no index yet is scanned.
    Look,
}

/// The unfinished records of one kind, read through the index.
pub async fn unfinished<T: Resumable>(
    store: &impl KvStore,
    marks: &Marks,
    reading: Reading,
) -> Result<Vec<T>, StoreError> {
    let mark = entry_key(T::PREFIX);
    let listed = store.keys(&mark).await?;
    if !listed.contains(&mark) {
        return match reading {
            Reading::Wake => migrate(store).await,
            Reading::Look => scan(store).await,
        };
    }
    let mut out = Vec::new();
    for entry in listed.iter().filter(|e| **e != mark) {
        let key = &entry[UNFINISHED_PREFIX.len()..];
        match read::<T>(store, key).await?.filter(T::unfinished) {
            Some(record) => out.push(record),
            // Checked once the record is read: a save that began meanwhile has noted its entry.
            None if reading == Reading::Wake && !marks.saving(key) => {
                let _ = store.delete(entry).await;
            }
            None => {}
        }
    }
    Ok(out)
}

async fn read<T: Resumable>(store: &impl KvStore, key: &str) -> Result<Option<T>, StoreError> {
    Ok(store.get(key).await?.and_then(crate::core::objects::read))
}

/// Every unfinished record of one kind, by reading them all (a store with no index).
async fn scan<T: Resumable>(store: &impl KvStore) -> Result<Vec<T>, StoreError> {
    let mut out = Vec::new();
    for key in store.keys(T::PREFIX).await? {
        out.extend(read::<T>(store, &key).await?.filter(T::unfinished));
    }
    Ok(out)
}

/// Index one kind of a store written before the index (once): an entry for each unfinished
/// record, then the kind's mark (a kill before the mark leaves it to the next wake to do again).
/// Answers the unfinished records.
pub async fn migrate<T: Resumable>(store: &impl KvStore) -> Result<Vec<T>, StoreError> {
    let records = scan::<T>(store).await?;
    for record in &records {
        store.put(&entry_key(&record.record_key()), serde_json::Value::from(1)).await?;
    }
    store.put(&entry_key(T::PREFIX), serde_json::Value::from(1)).await?;
    Ok(records)
}
