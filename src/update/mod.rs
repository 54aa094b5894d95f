//! The PO follows the order (issue 18): an exported order that NuORDER now shows differently
//! becomes a reviewed update of the same PO, applied exactly once, without touching what the
//! merchant did in Lightspeed.
//!
//! - [`compare`]: has the order changed since its PO was made? ([`Basis`], item 1.)
//! - [`written`]: what PO Bridge wrote to the PO — from the export's journal, the last update, or
//!   (without either) the PO's lines matched by item.
//! - [`dates`]: the PO's arrival date read back as a calendar date in its shop's `timeZone`.
//! - [`plan`] / [`types`]: the [`UpdatePlan`] (pure): per line *added* / *removed* / *quantity
//!   a → b* / *price a → b*, header changes, conflicts (a value PO Bridge wrote that Lightspeed
//!   shows differently is the merchant's; a line never goes below what arrived on it), the
//!   merchant's own lines (never touched), locked POs, cancelled orders. Added sizes go through
//!   the export's own matching and creation (its plan and job).
//! - [`journal`] / [`store`]: the update as a job with its own journal (revision N), kept in
//!   the order's [`UpdateLog`] in the same store as the export's journals.
//! - [`runner`]: [`review`] (reads, plans, writes nothing) and [`run_update`] (applies, resumes).
//!
//! Beside `export` in the layers: it uses `export`, `lightspeed`, `nuorder` and `core`; nothing
//! below uses it.

pub mod compare;
pub mod dates;
mod diff;
pub mod journal;
pub mod plan;
pub mod runner;
pub mod store;
pub mod types;
pub mod written;

pub use compare::{is_cancelled, is_cancelled_status, Basis, BasisLine, BasisRow, Difference};
pub use dates::{DateInZone, ShopDates};
pub use journal::{
    is_lines_job, lines_job_key, UpdateJournal, UpdateLog, UpdateOutcome, UpdateStep, UpdateStepKind, UPDATE_VERSION,
};
pub use plan::{lock_of, order_items, plan_update, UpdateInputs};
pub use runner::{keep_aligned, review, review_choosing, run_update, stopped_by, Reviewed, UpdateRun};
pub use store::{MemoryUpdates, UpdateStore};
pub use types::{
    Change, ChangeCounts, Conflict, ConflictKind, HeaderChanges, HeaderField, LineChange, Lock, PlanState, UpdatePlan,
};
pub use written::{Record, Written, WrittenHeader, WrittenLine};
