//! Job sets in the extension's storage (issue 19): [`JobSetStore`] over the key-value store, beside
//! the journals ([`Journals`]), and the sets a wake of the worker resumes ([`unfinished_sets`]).
//!
//! A set lives under [`SetKey::storage_key`] (`po-bridge-set:<account>:<set>`, prefix
//! [`JOB_SET_PREFIX`]); its orders' journals under their own job keys, as for a single export. The
//! browser's batch dialog starts a set with [`start_job_set`](crate::export::batch::start_job_set)
//! (from the plans it previewed with [`preview_set`](crate::export::batch::preview_set)), runs it
//! with [`run_job_set`](crate::export::batch::run_job_set) and cancels it with
//! [`cancel_job_set`](crate::export::batch::cancel_job_set), each over `Journals(store)`.

use super::platform::{KvStore, StoreError};
use super::store::Journals;
use crate::export::batch::{JobSet, JobSetStore, SetKey, JOB_SET_VERSION};

/// Where job sets live in the key-value store.
pub const JOB_SET_PREFIX: &str = "po-bridge-set:";

impl<S: KvStore> JobSetStore for Journals<S> {
    type SetError = StoreError;

    async fn load_set(&self, key: &SetKey) -> Result<Option<JobSet>, StoreError> {
        let value = self.0.get(&key.storage_key()).await?;
        Ok(value.and_then(|v| crate::core::objects::from_value(v).ok()))
    }

    async fn save_set(&self, set: &JobSet) -> Result<(), StoreError> {
        let v = serde_json::to_value(set).map_err(|e| StoreError(e.to_string()))?;
        self.0.put(&set.key.storage_key(), v).await
    }
}

/// Every stored set that running again would still do something for (a wake of the worker
/// resumes these, as it resumes running journals); sets of another format version are left out.
pub async fn unfinished_sets(store: &impl KvStore) -> Result<Vec<JobSet>, StoreError> {
    let mut out = Vec::new();
    for k in store.keys(JOB_SET_PREFIX).await? {
        let set = store.get(&k).await?.and_then(|v| crate::core::objects::from_value::<JobSet>(v).ok());
        if let Some(set) = set.filter(|s| s.version == JOB_SET_VERSION && !s.is_finished()) {
            out.push(set);
        }
    }
    Ok(out)
}
