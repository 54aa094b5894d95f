//! The export job's journal: an explicit list of steps and a pure state machine over it, so that a
//! job killed at any point — even between "server committed" and "journal saved" — resumes to
//! exactly one of everything (issue 5, item 4).
//!
//! Each [`Step`] goes `Pending → IntentRecorded → Done{id}`. The runner drives it:
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

use super::codes::{Code, CodeKey};
use super::plan::{ItemDraft, KnownItem, KnownVendor, Links, MatrixDraft, RowKey};
use super::po::{line_write, PoHeaderDraft};
use crate::lightspeed::{
    ItemAttributeSetId, ItemId, ItemMatrix, ItemMatrixId, ItemMatrixWrite, ItemWrite, OrderId, OrderLine,
    OrderLineWrite, OrderWrite, ShopId, VendorId, VendorWrite,
};
use crate::nuorder::model::Money;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

/// The journal format version (stored; a mismatch is refused rather than misread).
pub const JOURNAL_VERSION: u32 = 1;

/// A job's identity: one Lightspeed account, one NuORDER order `_id`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct JobKey {
    pub account_id: String,
    pub order_id: String,
}

impl JobKey {
    /// The storage key (`po-bridge-job:<account>:<order>`).
    pub fn storage_key(&self) -> String {
        format!("po-bridge-job:{}:{}", self.account_id, self.order_id)
    }
}

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum StepState {
    Pending,
    /// About to write (or wrote, outcome unknown): look up before writing again.
    IntentRecorded,
    /// Finished; `id` is the record's id for vendor, matrix, item, PO and line steps.
    Done {
        id: Option<u64>,
    },
}

/// Which item a PO line is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ItemRef {
    Existing {
        item_id: ItemId,
    },
    /// The item created by this item step.
    Step {
        step: usize,
    },
}

/// What a step does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StepKind {
    /// Does Lightspeed already have a PO for this order (refNum or b2bOrderNumber, archived too)?
    CheckExists {
        ref_num: String,
        b2b_order_number: String,
    },
    /// The vendor (Done from the start when it already exists).
    Vendor {
        name: String,
    },
    Matrix {
        product_id: String,
        draft: MatrixDraft,
    },
    Item {
        rows: Vec<RowKey>,
        /// The matrix step this item joins.
        matrix: Option<usize>,
        draft: ItemDraft,
    },
    PoHeader {
        draft: PoHeaderDraft,
    },
    Line {
        item: ItemRef,
        quantity: u64,
        price: Money,
        original_price: Money,
        rows: Vec<RowKey>,
    },
    MarkOrdered {
        ordered_date: String,
    },
    SaveLinks,
}

impl StepKind {
    fn group(&self) -> &'static str {
        match self {
            StepKind::CheckExists { .. } => "check",
            StepKind::Vendor { .. } => "vendor",
            StepKind::Matrix { .. } => "matrix",
            StepKind::Item { .. } => "item",
            StepKind::PoHeader { .. } => "po",
            StepKind::Line { .. } => "line",
            StepKind::MarkOrdered { .. } => "ordered",
            StepKind::SaveLinks => "links",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    #[serde(flatten)]
    pub kind: StepKind,
    pub status: StepState,
}

/// How the job ended, if it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Running,
    Exported {
        po_id: OrderId,
    },
    /// Lightspeed already had a PO for this order before we wrote anything; nothing was written.
    AlreadyExported {
        po_id: OrderId,
    },
    /// The Lightspeed link is dead (`invalid_grant`): paused, resumes after re-linking.
    NeedsRelink,
    Failed {
        message: String,
        retryable: bool,
    },
}

/// A size row and the item it ends up as (for the links saved at the end).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowItem {
    pub row: RowKey,
    pub item: ItemRef,
}

/// The persisted job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    pub version: u32,
    pub key: JobKey,
    pub order_number: String,
    pub brand: String,
    pub shop_id: ShopId,
    pub steps: Vec<Step>,
    pub rows: Vec<RowItem>,
    pub outcome: Outcome,
}

/// What the runner should do next. `step` is the index to report back in the [`Event`].
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// `GET Order.json?refNum=…&archived=true` and `GET Order.json?b2bOrderNumber=…&archived=true`;
    /// report with [`existing_po`].
    CheckExists {
        step: usize,
        ref_num: String,
        b2b_order_number: String,
    },
    /// `GET Vendor.json?name=…`; report with [`pick_vendor`].
    FindVendor {
        step: usize,
        name: String,
    },
    CreateVendor {
        step: usize,
        write: VendorWrite,
    },
    /// `GET ItemMatrix.json?description=…`; report with [`pick_matrix`].
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
    /// [`pick_item`].
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
    /// `GET Order.json?refNum=…&archived=true`; report with [`pick_po`].
    FindPo {
        step: usize,
        ref_num: String,
    },
    CreatePo {
        step: usize,
        write: OrderWrite,
    },
    /// `GET OrderLine.json?orderID=…` (or the PO with `OrderLines`); report with [`pick_line`].
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
            | Action::MarkOrdered { step, .. }
            | Action::SaveLinks { step, .. } => Some(*step),
            Action::Finished { .. } | Action::Stopped(_) => None,
        }
    }
}

/// What happened, reported by the runner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// About to perform a write action for this step (save the journal, then write).
    IntentRecorded { step: usize },
    /// The write succeeded; `id` is the new record's (ignored for the Ordered mark).
    Created { step: usize, id: u64 },
    /// The lookup found the record (check-exists: the PO that already exists).
    Found { step: usize, id: u64 },
    /// The lookup found nothing.
    NotFound { step: usize },
    /// A local step (save links) or the Ordered mark finished.
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

/// A runner bug: an event that does not fit the journal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JournalError {
    #[error("event {event:?} is not for the current step ({current:?})")]
    WrongStep { event: String, current: Option<usize> },
    #[error("event {0:?} does not apply now")]
    Illegal(String),
}

impl Journal {
    /// The index of the first step not done.
    pub fn current(&self) -> Option<usize> {
        self.steps.iter().position(|s| !matches!(s.status, StepState::Done { .. }))
    }

    fn done_id(&self, step: usize) -> Option<u64> {
        match self.steps.get(step)?.status {
            StepState::Done { id } => id,
            _ => None,
        }
    }

    fn step_of(&self, group: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.kind.group() == group)
    }

    /// The vendor's id, once known.
    pub fn vendor_id(&self) -> Option<VendorId> {
        self.step_of("vendor").and_then(|i| self.done_id(i)).map(VendorId)
    }

    /// The PO's id, once created (or found on resume).
    pub fn po_id(&self) -> Option<OrderId> {
        self.step_of("po").and_then(|i| self.done_id(i)).map(OrderId)
    }

    /// The item a reference points at, once known.
    pub fn item_id(&self, r: ItemRef) -> Option<ItemId> {
        match r {
            ItemRef::Existing { item_id } => Some(item_id),
            ItemRef::Step { step } => self.done_id(step).map(ItemId),
        }
    }

    /// The links this job establishes (every row's item, the brand's vendor); `None` until all
    /// ids are known.
    pub fn links(&self) -> Option<Links> {
        let mut links = Links::default();
        links.vendors.insert(self.brand.trim().to_string(), self.vendor_id()?);
        for r in &self.rows {
            links.items.insert(r.row.clone(), self.item_id(r.item)?);
        }
        Some(links)
    }

    /// Steps done / all steps.
    pub fn progress(&self) -> (usize, usize) {
        let done = self.steps.iter().filter(|s| matches!(s.status, StepState::Done { .. })).count();
        (done, self.steps.len())
    }

    /// A label for the current step: "Creating items 12 of 40".
    pub fn label(&self) -> String {
        let Some(i) = self.current() else {
            return "Finished".to_string();
        };
        let group = self.steps[i].kind.group();
        let of_group: Vec<usize> = (0..self.steps.len()).filter(|&j| self.steps[j].kind.group() == group).collect();
        let n = of_group.iter().position(|&j| j == i).unwrap_or(0) + 1;
        let total = of_group.len();
        match group {
            "check" => "Checking Lightspeed for this order".to_string(),
            "vendor" => "Creating the vendor".to_string(),
            "matrix" => format!("Creating matrices {n} of {total}"),
            "item" => format!("Creating items {n} of {total}"),
            "po" => "Creating the purchase order".to_string(),
            "line" => format!("Adding lines {n} of {total}"),
            "ordered" => "Marking the purchase order Ordered".to_string(),
            _ => "Saving links".to_string(),
        }
    }
}

fn failed(message: &str) -> Action {
    Action::Stopped(Outcome::Failed {
        message: format!("PO Bridge could not continue this export ({message}). Please report it."),
        retryable: false,
    })
}

/// What to do next (pure; see the module docs).
pub fn next_action(j: &Journal) -> Action {
    match &j.outcome {
        Outcome::Running => {}
        Outcome::Exported { po_id } => return Action::Finished { po_id: *po_id },
        other => return Action::Stopped(other.clone()),
    }
    let Some(step) = j.current() else {
        return match j.po_id() {
            Some(po_id) => Action::Finished { po_id },
            None => failed("no purchase order recorded"),
        };
    };
    let s = &j.steps[step];
    let intent = s.status == StepState::IntentRecorded;
    match &s.kind {
        StepKind::CheckExists { ref_num, b2b_order_number } => {
            Action::CheckExists { step, ref_num: ref_num.clone(), b2b_order_number: b2b_order_number.clone() }
        }
        StepKind::Vendor { name } => {
            if intent {
                Action::FindVendor { step, name: name.clone() }
            } else {
                Action::CreateVendor { step, write: VendorWrite { name: Some(name.clone()), ..VendorWrite::default() } }
            }
        }
        StepKind::Matrix { draft, .. } => {
            let Some(vendor) = j.vendor_id() else {
                return failed("matrix before vendor");
            };
            if intent {
                Action::FindMatrix { step, description: draft.description.clone(), attribute_set: draft.attribute_set }
            } else {
                Action::CreateMatrix { step, write: draft.to_write(vendor) }
            }
        }
        StepKind::Item { matrix, draft, .. } => {
            let Some(vendor) = j.vendor_id() else {
                return failed("item before vendor");
            };
            let matrix_id = match matrix {
                Some(m) => match j.done_id(*m) {
                    Some(id) => Some(ItemMatrixId(id)),
                    None => return failed("item before its matrix"),
                },
                None => None,
            };
            if intent {
                Action::FindItem {
                    step,
                    code: draft.code.clone(),
                    vendor_number: draft.vendor_number.clone().map(|v| (vendor, v)),
                    manufacturer_sku: draft.manufacturer_sku.clone(),
                }
            } else {
                Action::CreateItem { step, write: draft.to_write(vendor, matrix_id) }
            }
        }
        StepKind::PoHeader { draft } => {
            let Some(vendor) = j.vendor_id() else {
                return failed("PO before vendor");
            };
            if intent {
                Action::FindPo { step, ref_num: draft.ref_num.clone() }
            } else {
                Action::CreatePo { step, write: draft.to_write(vendor, j.shop_id) }
            }
        }
        StepKind::Line { item, quantity, price, original_price, .. } => {
            let (Some(po), Some(item)) = (j.po_id(), j.item_id(*item)) else {
                return failed("line before its PO or item");
            };
            if intent {
                Action::FindLine { step, po, item, quantity: *quantity }
            } else {
                Action::CreateLine { step, write: line_write(po, item, *quantity, *price, *original_price) }
            }
        }
        StepKind::MarkOrdered { ordered_date } => match j.po_id() {
            Some(po) => Action::MarkOrdered {
                step,
                po,
                write: OrderWrite { ordered_date: Some(ordered_date.clone()), ..OrderWrite::default() },
            },
            None => failed("Ordered mark before the PO"),
        },
        StepKind::SaveLinks => match j.links() {
            Some(links) => Action::SaveLinks { step, links },
            None => failed("links before every id is known"),
        },
    }
}

/// Records what happened (pure; see the module docs).
pub fn apply(j: &mut Journal, event: Event) -> Result<(), JournalError> {
    let current = j.current();
    let check = |step: usize, j: &Journal| -> Result<(), JournalError> {
        if j.outcome != Outcome::Running || Some(step) != current {
            return Err(JournalError::WrongStep { event: format!("{event:?}"), current });
        }
        Ok(())
    };
    match &event {
        Event::IntentRecorded { step } => {
            check(*step, j)?;
            j.steps[*step].status = StepState::IntentRecorded;
        }
        Event::Created { step, id } => {
            check(*step, j)?;
            let s = &mut j.steps[*step];
            let id = match s.kind {
                StepKind::MarkOrdered { .. } => None,
                _ => Some(*id),
            };
            s.status = StepState::Done { id };
        }
        Event::Found { step, id } => {
            check(*step, j)?;
            if matches!(j.steps[*step].kind, StepKind::CheckExists { .. }) {
                // Lightspeed had the PO before this job wrote anything.
                j.outcome = Outcome::AlreadyExported { po_id: OrderId(*id) };
                return Ok(());
            }
            j.steps[*step].status = StepState::Done { id: Some(*id) };
        }
        Event::NotFound { step } => {
            check(*step, j)?;
            let s = &mut j.steps[*step];
            s.status = match s.kind {
                StepKind::CheckExists { .. } => StepState::Done { id: None },
                _ => StepState::Pending,
            };
        }
        Event::Completed { step } => {
            check(*step, j)?;
            j.steps[*step].status = StepState::Done { id: None };
        }
        Event::OutcomeUnknown { step } => {
            check(*step, j)?;
            j.steps[*step].status = StepState::IntentRecorded;
        }
        Event::NeedsRelink => {
            if j.outcome != Outcome::Running {
                return Err(JournalError::Illegal(format!("{event:?}")));
            }
            j.outcome = Outcome::NeedsRelink;
        }
        Event::Failed { message, retryable } => {
            if j.outcome != Outcome::Running {
                return Err(JournalError::Illegal(format!("{event:?}")));
            }
            j.outcome = Outcome::Failed { message: message.clone(), retryable: *retryable };
        }
        Event::Resume => match &j.outcome {
            Outcome::NeedsRelink | Outcome::Failed { retryable: true, .. } => j.outcome = Outcome::Running,
            Outcome::Running => {}
            _ => return Err(JournalError::Illegal(format!("{event:?}"))),
        },
    }
    if j.outcome == Outcome::Running && j.current().is_none() {
        if let Some(po_id) = j.po_id() {
            j.outcome = Outcome::Exported { po_id };
        }
    }
    Ok(())
}

// ------------------------------------------------------------------------------------------------
// Lookup results → Found / NotFound
// ------------------------------------------------------------------------------------------------

/// The PO that marks this order exported: `refNum` equal to ours, or `b2bOrderNumber` equal to the
/// order number (the first-party integration's marker); archived POs count. Lowest id wins.
pub fn existing_po(ref_num: &str, b2b_order_number: &str, orders: &[crate::lightspeed::Order]) -> Option<OrderId> {
    orders
        .iter()
        .filter(|o| {
            o.ref_num.as_deref().map(str::trim) == Some(ref_num)
                || o.b2b_order_number.as_deref().map(str::trim) == Some(b2b_order_number)
        })
        .map(|o| o.order_id)
        .min()
}

/// Our PO on resume: `refNum` equal to ours; a live one before an archived one.
pub fn pick_po(ref_num: &str, orders: &[crate::lightspeed::Order]) -> Option<OrderId> {
    orders
        .iter()
        .filter(|o| o.ref_num.as_deref().map(str::trim) == Some(ref_num))
        .min_by_key(|o| (o.archived, o.order_id))
        .map(|o| o.order_id)
}

/// The vendor created on resume: a live vendor with exactly this name; the newest wins (ours was
/// the last created).
pub fn pick_vendor(name: &str, vendors: &[KnownVendor]) -> Option<VendorId> {
    vendors.iter().filter(|v| !v.archived && v.name.trim() == name.trim()).map(|v| v.id).max()
}

/// The matrix created on resume: a live matrix with this description and attribute set; the
/// newest wins.
pub fn pick_matrix(draft: &MatrixDraft, matrices: &[ItemMatrix]) -> Option<ItemMatrixId> {
    matrices
        .iter()
        .filter(|m| {
            !m.archived
                && m.description.trim() == draft.description.trim()
                && m.item_attribute_set_id.is_none_or(|s| s == draft.attribute_set)
        })
        .map(|m| m.item_matrix_id)
        .max()
}

/// The item created on resume for an item step: a live item with the draft's code (same
/// [`CodeKey`]); for a code-less draft, a live item with the draft's vendor number for this vendor
/// (or its manufacturer SKU) and the same attributes. The newest wins.
pub fn pick_item(draft: &ItemDraft, vendor: VendorId, items: &[KnownItem]) -> Option<ItemId> {
    let key: Option<CodeKey> = draft.code.as_ref().map(Code::key);
    let attrs_match = |i: &KnownItem| {
        let same = |a: &Option<String>, b: &Option<String>| {
            a.as_deref().map(|s| s.trim().to_lowercase()) == b.as_deref().map(|s| s.trim().to_lowercase())
        };
        same(&i.attributes[0], &draft.attribute1) && same(&i.attributes[1], &draft.attribute2)
    };
    items
        .iter()
        .filter(|i| !i.archived)
        .filter(|i| match &key {
            Some(k) => i.code_keys().any(|ik| &ik == k),
            None => {
                attrs_match(i)
                    && (draft.vendor_number.as_ref().is_some_and(|v| {
                        i.vendor_numbers.iter().any(|(iv, val)| *iv == vendor && val.trim() == v.trim())
                    }) || i.manufacturer_sku.as_deref().map(str::trim) == Some(draft.manufacturer_sku.trim()))
            }
        })
        .map(|i| i.id)
        .max()
}

/// The line created on resume for line step `step`: a line of the PO for the same item and
/// quantity that no other done line step already claims.
pub fn pick_line(j: &Journal, step: usize, lines: &[OrderLine]) -> Option<u64> {
    let StepKind::Line { item, quantity, .. } = &j.steps.get(step)?.kind else {
        return None;
    };
    let item = j.item_id(*item)?;
    let claimed: BTreeSet<u64> = j
        .steps
        .iter()
        .filter(|s| matches!(s.kind, StepKind::Line { .. }))
        .filter_map(|s| match s.status {
            StepState::Done { id } => id,
            _ => None,
        })
        .collect();
    lines
        .iter()
        .filter(|l| {
            l.item_id == Some(item)
                && u64::try_from(l.quantity).ok() == Some(*quantity)
                && !claimed.contains(&l.order_line_id.0)
        })
        .map(|l| l.order_line_id.0)
        .min()
}

// ------------------------------------------------------------------------------------------------
// Storage
// ------------------------------------------------------------------------------------------------

/// Where journals and links live: extension storage in the browser, a file on the command line.
/// Methods take `&self` (implementations use interior mutability), futures need not be `Send`.
#[allow(async_fn_in_trait)]
pub trait JournalStore {
    type Error: std::fmt::Display;
    async fn load(&self, key: &JobKey) -> Result<Option<Journal>, Self::Error>;
    async fn save(&self, journal: &Journal) -> Result<(), Self::Error>;
    async fn load_links(&self, account_id: &str) -> Result<Links, Self::Error>;
    async fn save_links(&self, account_id: &str, links: &Links) -> Result<(), Self::Error>;
}

/// An in-memory store (tests). Stores journals as JSON so every save exercises the serde form,
/// and counts saves.
#[derive(Debug, Default)]
pub struct MemoryStore {
    inner: Mutex<MemoryInner>,
}

#[derive(Debug, Default)]
struct MemoryInner {
    journals: BTreeMap<JobKey, String>,
    links: BTreeMap<String, Links>,
    saves: usize,
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// How many times a journal was saved.
    pub fn saves(&self) -> usize {
        self.inner.lock().map(|i| i.saves).unwrap_or(0)
    }
}

impl JournalStore for MemoryStore {
    type Error = String;

    async fn load(&self, key: &JobKey) -> Result<Option<Journal>, String> {
        let inner = self.inner.lock().map_err(|e| e.to_string())?;
        match inner.journals.get(key) {
            None => Ok(None),
            Some(json) => serde_json::from_str(json).map(Some).map_err(|e| e.to_string()),
        }
    }

    async fn save(&self, journal: &Journal) -> Result<(), String> {
        let json = serde_json::to_string(journal).map_err(|e| e.to_string())?;
        let mut inner = self.inner.lock().map_err(|e| e.to_string())?;
        inner.journals.insert(journal.key.clone(), json);
        inner.saves += 1;
        Ok(())
    }

    async fn load_links(&self, account_id: &str) -> Result<Links, String> {
        let inner = self.inner.lock().map_err(|e| e.to_string())?;
        Ok(inner.links.get(account_id).cloned().unwrap_or_default())
    }

    async fn save_links(&self, account_id: &str, links: &Links) -> Result<(), String> {
        let mut inner = self.inner.lock().map_err(|e| e.to_string())?;
        inner.links.insert(account_id.to_string(), links.clone());
        Ok(())
    }
}
