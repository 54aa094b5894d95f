//! What the runner does next ([`Action`]) and what it reports back ([`Event`]).

use super::state::{Outcome, RecordKind};
use crate::core::tagged::internal_enum;
use crate::export::codes::Code;
use crate::export::plan::Links;
use crate::lightspeed::{
    ItemAttributeSetId, ItemId, ItemMatrixWrite, ItemWrite, OrderId, OrderLineWrite, OrderWrite, VendorId, VendorWrite,
};
use serde::{Deserialize, Serialize};

/// What the runner should do next. `step` is the index to report back in the [`Event`].
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// `GET Order.json?refNum=…&archived=true` and `GET Order.json?b2bOrderNumber=…&archived=true`;
    /// report with [`existing_po`](super::existing_po).
    CheckExists {
        step: usize,
        ref_num: String,
        b2b_order_number: String,
    },
    /// `GET Vendor.json?name=…`; report with [`pick_vendor`](super::pick_vendor).
    FindVendor {
        step: usize,
        name: String,
    },
    CreateVendor {
        step: usize,
        write: VendorWrite,
    },
    /// `GET ItemMatrix.json?description=…`; report with [`pick_matrix`](super::pick_matrix).
    FindMatrix {
        step: usize,
        description: String,
        attribute_set: ItemAttributeSetId,
    },
    CreateMatrix {
        step: usize,
        write: ItemMatrixWrite,
    },
    /// Items by code (every form in `upc` and `ean`), else by vendor number, else by
    /// manufacturer SKU (`archived=true`, with `ItemAttributes` and `ItemVendorNums`); report with
    /// [`pick_item`](super::pick_item).
    FindItem {
        step: usize,
        code: Option<Code>,
        vendor_number: Option<(VendorId, String)>,
        manufacturer_sku: String,
    },
    CreateItem {
        step: usize,
        write: ItemWrite,
    },
    /// `GET Order.json?refNum=…&archived=true`; report with [`pick_po`](super::pick_po).
    FindPo {
        step: usize,
        ref_num: String,
    },
    CreatePo {
        step: usize,
        write: OrderWrite,
    },
    /// `GET OrderLine.json?orderID=…` (or the PO with `OrderLines`); report with [`pick_line`](super::pick_line).
    FindLine {
        step: usize,
        po: OrderId,
        item: ItemId,
        quantity: u64,
    },
    CreateLine {
        step: usize,
        write: OrderLineWrite,
    },
    /// Look for a twin of the record step `of` created (a second export of the same order):
    /// vendor by name, matrix by description, item by its code (else style number) and
    /// attributes, PO by `refNum`; report [`Event::Twin`] with the lowest live id (ours
    /// included).
    FindTwins {
        step: usize,
        of: usize,
    },
    /// Look for twins of the items steps `items` created, in one request: `GET
    /// Item.json?itemCode=IN,[…]` (the codes as written) or `manufacturerSku=IN,[…]` (see
    /// [`ItemTwinLookup`]), live items with `ItemAttributes`; report [`Event::ItemTwins`] with
    /// [`twin_items`](super::twin_items).
    FindItemTwins {
        step: usize,
        items: Vec<usize>,
        lookup: ItemTwinLookup,
    },
    /// Look for twins of the matrices steps `matrices` created, in one request: `GET
    /// ItemMatrix.json?description=IN,[…]` (their descriptions), live matrices; report
    /// [`Event::MatrixTwins`] with [`twin_matrices`](super::twin_matrices).
    FindMatrixTwins {
        step: usize,
        matrices: Vec<usize>,
        descriptions: Vec<String>,
    },
    /// Give up the items this job created for their older twins: `DELETE Item/{id}.json` each
    /// (archives; repeating it is harmless, a 404 means already gone).
    ArchiveItems {
        step: usize,
        ids: Vec<u64>,
    },
    /// Give up a record this job created for its older twin: `DELETE` archives a vendor, an item
    /// or a PO (repeating it is harmless).
    Archive {
        step: usize,
        record: RecordKind,
        id: u64,
    },
    /// The final pass: `GET OrderLine.json?orderID=…`; report [`Event::Duplicates`] with
    /// [`duplicate_lines`](super::duplicate_lines).
    CheckLines {
        step: usize,
        po: OrderId,
    },
    /// `DELETE OrderLine/{id}.json` for each line this job added twice (a 404 means already gone).
    DeleteLines {
        step: usize,
        ids: Vec<u64>,
    },
    /// `PUT Order/{po}.json` with `orderedDate` (idempotent).
    MarkOrdered {
        step: usize,
        po: OrderId,
        write: OrderWrite,
    },
    /// Merge these links into the account's saved links.
    SaveLinks {
        step: usize,
        links: Links,
    },
    /// Nothing left to do.
    Finished {
        po_id: OrderId,
    },
    /// The job is not running (already exported, paused, failed); see the outcome.
    Stopped(Outcome),
}

/// The one request that finds every twin of a batch of new items. Every twin shares the style
/// number and, when the item has a code, the code as the export writes it: by codes when every
/// item of the batch has one (the answer is ours and our twins only), else by style numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemTwinLookup {
    /// `itemCode=IN,[…]`: each item's code as written (`upc` or `ean`; `itemCode` asks both).
    Codes(Vec<String>),
    /// `manufacturerSku=IN,[…]`: the items' style numbers.
    Styles(Vec<String>),
}

impl Action {
    /// True for actions that write to Lightspeed: record [`Event::IntentRecorded`] and save the
    /// journal before performing them.
    pub fn is_write(&self) -> bool {
        matches!(
            self,
            Action::CreateVendor { .. }
                | Action::CreateMatrix { .. }
                | Action::CreateItem { .. }
                | Action::CreatePo { .. }
                | Action::CreateLine { .. }
                | Action::Archive { .. }
                | Action::ArchiveItems { .. }
                | Action::DeleteLines { .. }
                | Action::MarkOrdered { .. }
        )
    }

    pub fn step(&self) -> Option<usize> {
        match self {
            Action::CheckExists { step, .. }
            | Action::FindVendor { step, .. }
            | Action::CreateVendor { step, .. }
            | Action::FindMatrix { step, .. }
            | Action::CreateMatrix { step, .. }
            | Action::FindItem { step, .. }
            | Action::CreateItem { step, .. }
            | Action::FindPo { step, .. }
            | Action::CreatePo { step, .. }
            | Action::FindLine { step, .. }
            | Action::CreateLine { step, .. }
            | Action::FindTwins { step, .. }
            | Action::FindItemTwins { step, .. }
            | Action::FindMatrixTwins { step, .. }
            | Action::Archive { step, .. }
            | Action::ArchiveItems { step, .. }
            | Action::CheckLines { step, .. }
            | Action::DeleteLines { step, .. }
            | Action::MarkOrdered { step, .. }
            | Action::SaveLinks { step, .. } => Some(*step),
            Action::Finished { .. } | Action::Stopped(_) => None,
        }
    }
}

/// What happened, reported by the runner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum Event {
    /// About to perform a write action for this step (save the journal, then write).
    IntentRecorded { step: usize },
    /// The write succeeded; `id` is the new record's (ignored for the Ordered mark).
    Created { step: usize, id: u64 },
    /// The lookup found the record (check-exists: the PO that already exists).
    Found { step: usize, id: u64 },
    /// The lookup found nothing.
    NotFound { step: usize },
    /// The twin lookup: the lowest live id among our record and its twins (ours when it has none).
    Twin { step: usize, survivor: u64 },
    /// The batched item twin lookup: each item step (index) whose item has an older live twin, and
    /// that twin's id (empty: every item is ours to keep).
    ItemTwins { step: usize, given_up: Vec<(usize, u64)> },
    /// The batched matrix twin lookup: each matrix step (index) whose matrix has an older live
    /// twin, and that twin's id (ours is left empty; empty list: every matrix is ours to keep).
    MatrixTwins { step: usize, given_up: Vec<(usize, u64)> },
    /// The final line pass: each of our line steps (index) whose line duplicates an older line for
    /// the same item and price, and that older line's id.
    Duplicates { step: usize, keep: Vec<(usize, u64)> },
    /// A local step (save links), the Ordered mark, an archive or the line removals finished.
    Completed { step: usize },
    /// A write whose result is unknown (connection dropped after sending): look it up next.
    OutcomeUnknown { step: usize },
    /// The refresh token is dead: pause until the user re-links.
    NeedsRelink,
    /// The job stops with advice; `retryable` says whether a rerun resumes.
    Failed { message: String, retryable: bool },
    /// The user retries (after a retryable failure) or re-linked: run again from the journal.
    Resume,
}
internal_enum!(Event, "event");
