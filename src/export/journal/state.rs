//! The persisted job: its key, its steps and where each stands, how it ended.

use crate::core::tagged::{self, internal_enum};
use crate::export::plan::{ItemDraft, Links, MatrixDraft, RowKey};
use crate::export::po::PoHeaderDraft;
use crate::lightspeed::{ItemId, OrderId, ShopId, VendorId};
use crate::nuorder::model::Money;
use serde::{Deserialize, Serialize};

/// The journal format version (stored; a mismatch is refused rather than misread).
pub const JOURNAL_VERSION: u32 = 1;

/// How many item steps one [`StepKind::ItemTwins`] step covers: the most values one `IN` lookup
/// takes, and a page of its answer when no twin exists.
pub const ITEM_TWIN_BATCH: usize = crate::export::codes::MAX_IN_VALUES;

/// How many matrix steps one [`StepKind::MatrixTwins`] step covers (one `IN` lookup's values).
pub const MATRIX_TWIN_BATCH: usize = crate::export::codes::MAX_IN_VALUES;

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
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum StepState {
    Pending,
    /// Looked up before writing and nothing was there (a line step): write now.
    Checked,
    /// About to write (or wrote, outcome unknown): look up before writing again.
    IntentRecorded,
    /// Finished; `id` is the record's id for vendor, matrix, item, PO and line steps.
    Done {
        id: Option<u64>,
    },
}
internal_enum!(StepState, "state");

/// Which item a PO line is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum ItemRef {
    Existing {
        item_id: ItemId,
    },
    /// The item created by this item step.
    Step {
        step: usize,
    },
}
internal_enum!(ItemRef, "kind");

/// What a step does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
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
    /// Convergence after step `of` created its record: is there a twin made by someone else (a
    /// second export of the same order)? The lower id survives; ours, if higher, is given up.
    Twin {
        of: usize,
    },
    /// Convergence for the items this job created, in one lookup (issue 17): after the last item
    /// step, one step per batch of at most [`ITEM_TWIN_BATCH`] item steps asks for all their
    /// twins in one request, before the PO (and so before any line uses an item). The lower id
    /// survives, as for [`StepKind::Twin`]; ours, if higher, is archived.
    ItemTwins {
        items: Vec<usize>,
    },
    /// Convergence for the matrices this job created, in one lookup (issue 17): after the last
    /// matrix step, one step per batch of at most [`MATRIX_TWIN_BATCH`] matrix steps asks for all
    /// their twins in one request, before the first item (and so before any item joins a
    /// matrix). The lower id survives, as for [`StepKind::Twin`]; ours, if higher, is left empty.
    /// (Journals written before it have a [`StepKind::Twin`] after each matrix; both resume.)
    MatrixTwins {
        matrices: Vec<usize>,
    },
    /// The final pass over the PO's lines: a line this job added that another line for the same
    /// item and price (lower id) duplicates is removed.
    DedupeLines,
    MarkOrdered {
        ordered_date: String,
    },
    SaveLinks,
}
internal_enum!(StepKind, "kind");

impl StepKind {
    pub(super) fn group(&self) -> &'static str {
        match self {
            StepKind::CheckExists { .. } => "check",
            StepKind::Vendor { .. } => "vendor",
            StepKind::Matrix { .. } => "matrix",
            StepKind::Item { .. } => "item",
            StepKind::PoHeader { .. } => "po",
            StepKind::Line { .. } => "line",
            StepKind::Twin { .. } => "twin",
            StepKind::ItemTwins { .. } => "twins",
            StepKind::MatrixTwins { .. } => "matrix twins",
            StepKind::DedupeLines => "dedupe",
            StepKind::MarkOrdered { .. } => "ordered",
            StepKind::SaveLinks => "links",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    #[serde(flatten)]
    pub kind: StepKind,
    pub status: StepState,
}

impl<'de> Deserialize<'de> for Step {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (kind, status) = tagged::flattened(d, "status")?;
        Ok(Step { kind, status })
    }
}

/// How the job ended, if it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
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
internal_enum!(Outcome, "outcome");

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
    /// The records this job gave up for a twin, in order (the job's history names them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub converged: Vec<Converged>,
}

/// What kind of record a convergence is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Vendor,
    Matrix,
    Item,
    Po,
    Line,
}

impl RecordKind {
    /// The kind of record a step creates (None for steps that create nothing).
    pub fn of(kind: &StepKind) -> Option<RecordKind> {
        Some(match kind {
            StepKind::Vendor { .. } => RecordKind::Vendor,
            StepKind::Matrix { .. } => RecordKind::Matrix,
            StepKind::Item { .. } => RecordKind::Item,
            StepKind::PoHeader { .. } => RecordKind::Po,
            StepKind::Line { .. } => RecordKind::Line,
            _ => return None,
        })
    }
}

/// One record given up: step `step` created `ours`, found the older twin `survivor` and carries
/// on with it. `settled` once ours is archived (vendor, item, PO) or removed (line); a matrix is
/// left empty and stays unsettled (no archive is documented for matrices).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Converged {
    pub step: usize,
    pub record: RecordKind,
    pub ours: u64,
    pub survivor: u64,
    pub settled: bool,
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

    /// Whether this job gave up its own PO for another export's (its lines then go to a PO that
    /// another job also fills, so each is looked up before it is created).
    pub fn gave_up_po(&self) -> bool {
        self.converged.iter().any(|c| c.record == RecordKind::Po)
    }

    /// The record id of a done step.
    pub fn done_id(&self, step: usize) -> Option<u64> {
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

    /// Failed for good before creating its PO: a new export of the order replaces this job (the
    /// records it did create are found again by the new one's lookups and twin checks).
    pub fn replaceable(&self) -> bool {
        matches!(self.outcome, Outcome::Failed { retryable: false, .. }) && self.po_id().is_none()
    }

    /// The item a reference points at, once known.
    pub fn item_id(&self, r: ItemRef) -> Option<ItemId> {
        match r {
            ItemRef::Existing { item_id } => Some(item_id),
            ItemRef::Step { step } => self.done_id(step).map(ItemId),
        }
    }

    /// The links this job establishes (every row's item, the brand's vendor, and the size rows of
    /// a job set's later orders whose items this job created: the links those orders' own exports
    /// would save); `None` until all ids are known.
    pub fn links(&self) -> Option<Links> {
        let mut links = Links::default();
        links.vendors.insert(self.brand.trim().to_string(), self.vendor_id()?);
        for (i, s) in self.steps.iter().enumerate() {
            if let StepKind::Item { rows, .. } = &s.kind {
                let id = self.done_id(i)?;
                links.items.extend(rows.iter().map(|r| (r.clone(), ItemId(id))));
            }
        }
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

    /// A label for the current step: "Creating items 12 of 40" (a twin step shows its record's).
    pub fn label(&self) -> String {
        let Some(mut i) = self.current() else {
            return "Finished".to_string();
        };
        match &self.steps[i].kind {
            StepKind::Twin { of } => i = *of,
            StepKind::ItemTwins { items: of } | StepKind::MatrixTwins { matrices: of } => {
                i = of.last().copied().unwrap_or(i);
            }
            _ => {}
        }
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
            "dedupe" => "Checking the purchase order's lines".to_string(),
            "ordered" => "Marking the purchase order Ordered".to_string(),
            _ => "Saving links".to_string(),
        }
    }
}
