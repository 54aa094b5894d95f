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
use super::unfinished::{self, Reading};
use crate::export::batch::{JobSet, JobSetStore, SetKey};

pub use super::keys::JOB_SET_PREFIX;

impl<S: KvStore> JobSetStore for Journals<S> {
    type SetError = StoreError;

    async fn load_set(&self, key: &SetKey) -> Result<Option<JobSet>, StoreError> {
        let value = self.store.get(&key.storage_key()).await?;
        Ok(value.and_then(crate::core::objects::read))
    }

    /// The one place a set is saved: its entry in the index of unfinished work goes with it.
    async fn save_set(&self, set: &JobSet) -> Result<(), StoreError> {
        unfinished::save(&self.store, &self.marks, set).await
    }
}

/// Every stored set that running again would still do something for, read through the index of
/// unfinished work (a wake of the worker resumes these, as it resumes running journals: `Wake`
/// prunes the index; a page's statuses `Look`); sets of another format version are left out.
pub async fn unfinished_sets<S: KvStore>(store: &Journals<S>, reading: Reading) -> Result<Vec<JobSet>, StoreError> {
    unfinished::unfinished(&store.store, &store.marks, reading).await
}
