//! The export runner: the engine's pure parts ([`super::plan`], [`super::job`],
//! [`super::journal`]) driven against a
//! [`LightspeedClient`](crate::lightspeed::client::LightspeedClient) and a
//! [`JournalStore`](super::journal::JournalStore).
//!
//! - [`preview`] fetches what the plan declares ([`Lookups`](super::plan::Lookups): vendor by
//!   link / `b2bSellerUID` / name, linked items, codes in `IN` batches of ≤ 100 with archived
//!   items, vendor numbers and manufacturer SKUs of code-less rows, the existing-PO check) with
//!   one executor that runs a round's reads at once, then a second round for vanished links, and
//!   plans. It writes nothing.
//! - [`run_export`] starts a job from a ready plan ([`StartJob`]) or resumes the stored one, and
//!   loops `next_actions → perform → apply`, saving the journal before every write
//!   (`IntentRecorded`) and after every result. Independent creates (the new matrices, the new
//!   items) run in waves, every intent of a wave saved before any of its writes
//!   ([`crate::export::journal::next_actions`]); the client's pacer decides when each request goes. A write whose outcome is unknown (dropped
//!   connection, 5xx after sending, kill between commit and save) is resolved by the step's lookup
//!   on the next turn — never re-sent blindly. `on_progress` sees every saved journal.
//! - It stops with a [`RunOutcome`]: exported, already exported, needs relink (paused, never
//!   failed), needs choice, failed (with advice and whether a rerun resumes), or paused for the
//!   rate limit (`resume_after_ms`, so the browser can set an alarm instead of staying awake).
//! - [`exported_orders`] answers "which of these order numbers does Lightspeed already have a PO
//!   for" in `IN` batches, for the badges on NuORDER's order list.
//!
//! Generic over the client's `Transport`/`Clock`/`TokenSource`; no I/O of its own, so it builds
//! for wasm32 as well.
//!
//! Files: `types` (what callers pass and get back), `read` (the read executor and [`preview`]),
//! `exported` (the PO-marker lookups and [`exported_orders`]), `drive` ([`run_export`] and its
//! loop), `perform` (one action).

mod drive;
pub(crate) mod exported;
mod perform;
pub(crate) mod read;
mod types;

pub use drive::run_export;
pub use exported::exported_orders;
pub use read::{preview, READ_CONCURRENCY};
pub use types::{Preview, RunError, RunOutcome, Staged, StartJob, ITEM_RELATIONS, MAX_UNKNOWN_PER_STEP};

use super::journal::Journal;
use super::plan::RowKey;
use crate::core::sorted;
use crate::lightspeed::ItemId;
use std::collections::BTreeMap;

/// The item ids of a finished (or partly finished) job's rows, for reporting.
pub fn row_items(j: &Journal) -> BTreeMap<RowKey, Option<ItemId>> {
    sorted::map(j.rows.iter().map(|r| (r.row.clone(), j.item_id(r.item))))
}
