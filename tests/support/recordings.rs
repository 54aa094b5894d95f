//! Where tests find the recorded real responses, and what they do when there are none.
//!
//! The recordings live beside the repository, in `../shared/real-responses/`, and are read in
//! place (never copied in). A clone on its own has no such folder: a test that reads them then
//! prints one line naming what it did not check, and passes. With `CI=true` the recordings are
//! required: a missing folder fails the test. `PO_BRIDGE_REAL_RESPONSES` replaces the folder (any
//! path, e.g. one that does not exist, to try both ways).
//!
//! Included with `#[path]` by every test that reads recordings, in this crate and in the sandbox.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Replaces `<repository>/../shared/real-responses`.
pub const OVERRIDE: &str = "PO_BRIDGE_REAL_RESPONSES";

/// True when `CI` is set to anything but empty, `0` or `false` (CI services set `CI=true`).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false"))
}

/// `sub` (a folder or a file, e.g. `lightspeed-2016`) inside the recorded responses of the
/// repository at `repo_root`; `None` when they are absent outside CI (after printing one line that
/// names `what` went unchecked). Panics in CI when they are absent.
pub fn real_responses(repo_root: &Path, sub: &str, what: &str) -> Option<PathBuf> {
    let (root, label) = match std::env::var_os(OVERRIDE) {
        Some(dir) => (PathBuf::from(&dir), PathBuf::from(dir).display().to_string()),
        None => (repo_root.join("../shared/real-responses"), "../shared/real-responses".to_string()),
    };
    let path = root.join(sub);
    if path.exists() {
        return Some(path);
    }
    let missing = if root.is_dir() { format!("{label}/{sub}") } else { label };
    assert!(!in_ci(), "CI=true and {missing} is missing: {what} cannot be checked, and CI requires them");
    skip_once(&format!("skipped: {missing} missing — {what} not checked"));
    None
}

/// Writes `line` to the real stderr (past the test harness's capture), once per test binary.
fn skip_once(line: &str) {
    static SAID: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());
    let mut said = SAID.lock().unwrap_or_else(|e| e.into_inner());
    if said.insert(line.to_string()) {
        let _ = writeln!(std::io::stderr(), "{line}");
    }
}
