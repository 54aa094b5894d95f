//! A [`JournalStore`] in one JSON file (the command line's `--state STATE.json`), native only.
//!
//! Layout: `{"version":1,"links":{account: Links},"journals":{storage_key: Journal},
//! "summaries":{storage_key: any JSON},"records":{key: any JSON},"sets":{storage_key: JobSet}}`
//! (`records`: the updates of exported orders; `sets`: batches of orders; each absent until there
//! is one). The file is created when missing; every change is
//! written to a temporary file next to it, flushed, then renamed over it, so a kill leaves either
//! the old or the new state, never half of one. A file that exists but cannot be read is an error
//! (never silently replaced: it may hold a job's progress).

use super::batch::{JobSet, JobSetStore, SetKey};
use super::journal::{JobKey, Journal, JournalStore};
use super::plan::Links;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The state file format version.
pub const STATE_VERSION: u32 = 1;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct State {
    #[serde(default)]
    version: u32,
    #[serde(default)]
    links: BTreeMap<String, Links>,
    #[serde(default)]
    journals: BTreeMap<String, Journal>,
    /// Free-form per-job data a caller keeps next to the journal (the CLI's plan counts).
    #[serde(default)]
    summaries: BTreeMap<String, serde_json::Value>,
    /// Other records kept by key (the updates of exported orders, `crate::update`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    records: BTreeMap<String, serde_json::Value>,
    /// Job sets (a batch of orders, [`crate::export::batch`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    sets: BTreeMap<String, JobSet>,
}

/// Links and journals in one JSON file.
#[derive(Debug, Clone)]
pub struct FileStore {
    path: PathBuf,
}

impl FileStore {
    pub fn new(path: impl Into<PathBuf>) -> FileStore {
        FileStore { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Creates the file (empty state) when it does not exist; checks it is readable otherwise.
    pub fn ensure(&self) -> Result<(), String> {
        if self.path.exists() {
            self.read().map(|_| ())
        } else {
            self.write(&State { version: STATE_VERSION, ..State::default() })
        }
    }

    fn read(&self) -> Result<State, String> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) if text.trim().is_empty() => Ok(State::default()),
            Ok(text) => {
                let s: State = serde_json::from_str(&text)
                    .map_err(|e| format!("{} is not a PO Bridge state file: {e}", self.path.display()))?;
                // Every state file is written with its version: another JSON document (an order
                // given as --state by mistake) reads as an empty state, and the first save would
                // replace it.
                if s.version == 0 {
                    return Err(format!(
                        "{} is not a PO Bridge state file (it has no \"version\"); give a new file name, or the state file of earlier runs",
                        self.path.display()
                    ));
                }
                if s.version > STATE_VERSION {
                    return Err(format!(
                        "{} was written by a newer PO Bridge (state version {})",
                        self.path.display(),
                        s.version
                    ));
                }
                Ok(s)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::default()),
            Err(e) => Err(format!("cannot read {}: {e}", self.path.display())),
        }
    }

    fn write(&self, s: &State) -> Result<(), String> {
        let mut s = s.clone();
        s.version = STATE_VERSION;
        let json = serde_json::to_string_pretty(&s).map_err(|e| e.to_string())?;
        let dir = self.path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name =
            self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "state.json".into());
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let result = (|| -> std::io::Result<()> {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(json.as_bytes())?;
            f.write_all(b"\n")?;
            f.sync_all()?;
            std::fs::rename(&tmp, &self.path)
        })();
        if let Err(e) = result {
            let _ = std::fs::remove_file(&tmp);
            return Err(format!("cannot write {}: {e}", self.path.display()));
        }
        Ok(())
    }

    fn update(&self, f: impl FnOnce(&mut State)) -> Result<(), String> {
        let mut s = self.read()?;
        f(&mut s);
        self.write(&s)
    }

    /// The journal stored for `key`, without going through the async trait.
    pub fn journal(&self, key: &JobKey) -> Result<Option<Journal>, String> {
        Ok(self.read()?.journals.get(&key.storage_key()).cloned())
    }

    /// The caller's summary stored for `key`.
    pub fn summary(&self, key: &JobKey) -> Result<Option<serde_json::Value>, String> {
        Ok(self.read()?.summaries.get(&key.storage_key()).cloned())
    }

    pub fn set_summary(&self, key: &JobKey, value: serde_json::Value) -> Result<(), String> {
        self.update(|s| {
            s.summaries.insert(key.storage_key(), value);
        })
    }

    /// A record kept under `key` (see [`FileStore::set_record`]).
    pub fn record(&self, key: &str) -> Result<Option<serde_json::Value>, String> {
        Ok(self.read()?.records.get(key).cloned())
    }

    /// Keeps `value` under `key`, next to the journals, in the same atomic write.
    pub fn set_record(&self, key: &str, value: serde_json::Value) -> Result<(), String> {
        self.update(|s| {
            s.records.insert(key.to_string(), value);
        })
    }

    /// The links saved for an account.
    pub fn links(&self, account_id: &str) -> Result<Links, String> {
        Ok(self.read()?.links.get(account_id).cloned().unwrap_or_default())
    }
}

impl JournalStore for FileStore {
    type Error = String;

    async fn load(&self, key: &JobKey) -> Result<Option<Journal>, String> {
        self.journal(key)
    }

    async fn save(&self, journal: &Journal) -> Result<(), String> {
        self.update(|s| {
            s.journals.insert(journal.key.storage_key(), journal.clone());
        })
    }

    async fn load_links(&self, account_id: &str) -> Result<Links, String> {
        self.links(account_id)
    }

    async fn save_links(&self, account_id: &str, links: &Links) -> Result<(), String> {
        self.update(|s| {
            s.links.insert(account_id.to_string(), links.clone());
        })
    }
}

impl JobSetStore for FileStore {
    type SetError = String;

    async fn load_set(&self, key: &SetKey) -> Result<Option<JobSet>, String> {
        Ok(self.read()?.sets.get(&key.storage_key()).cloned())
    }

    async fn save_set(&self, set: &JobSet) -> Result<(), String> {
        self.update(|s| {
            s.sets.insert(set.key.storage_key(), set.clone());
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lightspeed::{ItemId, VendorId};
    use futures::executor::block_on;

    #[test]
    fn creates_round_trips_and_refuses_garbage() {
        let dir = std::env::temp_dir().join(format!("po-bridge-fs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("state.json");
        let _ = std::fs::remove_file(&path);
        let store = FileStore::new(&path);
        store.ensure().unwrap();
        assert!(path.exists());
        let mut links = Links::default();
        links.items.insert(super::super::plan::RowKey::new("p1", "M"), ItemId(7));
        links.vendors.insert("Brand".into(), VendorId(3));
        block_on(store.save_links("83050", &links)).unwrap();
        assert_eq!(block_on(store.load_links("83050")).unwrap(), links);
        assert_eq!(block_on(store.load_links("other")).unwrap(), Links::default());
        // No temporary file is left behind.
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
        std::fs::write(&path, "{not json").unwrap();
        assert!(block_on(store.load_links("83050")).is_err());
        assert!(store.ensure().is_err());
        // Another JSON document (an order given as the state file) is refused, and kept as it was.
        let order = r#"{"_id":"6f3a","order_number":"1001","line_items":[]}"#;
        std::fs::write(&path, order).unwrap();
        let e = store.ensure().unwrap_err();
        assert!(e.contains("is not a PO Bridge state file"), "{e}");
        assert!(block_on(store.save_links("83050", &links)).is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), order);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
