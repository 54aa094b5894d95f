//! The export engine's pure parts: a NuORDER order becomes exactly one Lightspeed purchase order.
//!
//! Two phases, no I/O in either:
//!
//! 1. **Plan (preview)** — [`plan::lookups_needed`] declares, as plain data, everything a preview
//!    reads from Lightspeed (vendor by link, `b2bSellerUID` or name; linked items by id; items by
//!    code in `IN` batches; items by vendor number / manufacturer SKU for rows without a usable
//!    code; the existing-PO check). The runner's one executor fetches those (a round's reads at
//!    once; a second round only for vanished links) into a [`plan::Catalog`], and [`plan::plan`]
//!    decides, for the vendor and for every size row,
//!    *Confirmed*, *UPC match*, *Matched by SKU*, *New* or *Needs choice*. The [`plan::Plan`] is
//!    serde, shown in the export dialog, and takes the user's choices ([`plan::Plan::choose`]).
//! 2. **Job** — [`job::build_journal`] turns a ready plan into a [`journal::Journal`]: an explicit
//!    list of steps (check-exists, vendor, matrices, items, PO header, lines, Ordered mark, save
//!    links). The runner loops `next_action(&journal)` → do it → `apply(&mut journal, event)`,
//!    saving the journal through a [`journal::JournalStore`] before and after every write, so a
//!    resumed job looks each record up before creating it.
//!
//! [`runner`] drives both phases against a `LightspeedClient` and a `JournalStore`
//! ([`runner::preview`], [`runner::run_export`], [`runner::exported_orders`]); natively,
//! [`file_store::FileStore`] keeps links and journals in one JSON file (the command line).
//!
//! [`codes`] holds the UPC/EAN rules; [`markers`] the order ↔ PO markers (`refNum`,
//! `b2bOrderNumber`) and the "already exported" rule; [`po`] the purchase-order header, lines and
//! prices; [`status`] the job's public status and its state machine for the UI.

// The badge and action rules the in-page widgets render.
pub mod badge;
pub mod batch;
pub mod codes;
#[cfg(not(target_arch = "wasm32"))]
pub mod file_store;
pub mod job;
pub mod journal;
pub mod markers;
pub mod plan;
pub mod po;
pub mod runner;
pub mod status;
// The dialog's summary of an order: address lines and totals.
pub mod summary;
