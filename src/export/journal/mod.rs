//! The export job's journal: an explicit list of steps and a pure state machine over it, so that a
//! job killed at any point — even between "server committed" and "journal saved" — resumes to
//! exactly one of everything (issue 5, item 4).
//!
//! Each [`Step`] goes `Pending → IntentRecorded → Done{id}`. The runner drives it (one step at a
//! time, or a wave of independent creates at once: [`next_actions`], file `wave`):
//!
//! ```text
//! loop {
//!     let action = next_action(&journal);
//!     if action.is_write() { apply(&mut journal, Event::IntentRecorded{step})?; store.save(&journal).await?; }
//!     perform the action (Lightspeed call, or saving links)
//!     apply(&mut journal, the result as an Event)?; store.save(&journal).await?;
//! }   // until Action::Finished or Action::Stopped
//! ```
//!
//! On resume, a step found in `IntentRecorded` means "a write may have reached Lightspeed": its
//! action is a **lookup** (vendor by name, matrix by description, item by code or vendor number,
//! PO by refNum, line by item and quantity). Found → `Done{id}`; not found → back to `Pending`,
//! and only then is the record created. The same happens after a POST whose outcome is unknown
//! ([`Event::OutcomeUnknown`]). The Ordered mark is a PUT of a date: repeating it is harmless, so
//! it is simply sent again. The pickers ([`pick_vendor`], [`pick_matrix`], [`pick_item`],
//! [`pick_po`], [`pick_line`], [`existing_po`]) turn lookup results into `Found`/`NotFound`.
//!
//! Convergence (issue 16, docs/convergence.md): after each of its creates the job looks for a
//! twin made by a second export of the same order and keeps the lower id (twin steps; the new
//! items are checked together, one request per batch, after the last of them, and so are the
//! new matrices), looks a
//! line up before creating it, and a final pass removes a line it added twice. What it gave up
//! is listed in [`Journal::converged`].
//!
//! Files: `state` (the persisted journal and its steps), `action` (what the runner does and reports), `next`
//! ([`next_action`]), `apply` ([`apply`]), `pickers` (lookup results), `converge` (twins and
//! duplicate lines), `store` (where journals live).

mod action;
mod apply;
mod converge;
mod next;
mod pickers;
mod state;
mod store;
mod wave;

pub use action::{Action, Event, ItemTwinLookup};
pub use apply::apply;
pub use converge::{
    duplicate_lines, item_twin_lookup, matrix_twin_lookup, twin_item, twin_items, twin_matrices, twin_matrix, twin_po,
    twin_vendor,
};
pub use next::next_action;
pub use pickers::{existing_po, pick_item, pick_line, pick_matrix, pick_po, pick_vendor};
pub use state::{
    Converged, ItemRef, JobKey, Journal, JournalError, Outcome, RecordKind, RowItem, Step, StepKind, StepState,
    ITEM_TWIN_BATCH, JOURNAL_VERSION, MATRIX_TWIN_BATCH,
};
pub use store::{JournalStore, MemoryStore};
pub use wave::{next_actions, WAVE_MAX};
